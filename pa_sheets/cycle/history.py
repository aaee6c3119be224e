"""Year after year: each evaluated round goes into the long table as history, and evaluate
shows per indicator how its realisatie went over the years.

The history is the long table merge writes as parquet (merge/long.py), one partition per year,
gemeente and kind of workbook: `MAP/jaar=2027/gemeente=GM0344/soort_werkboek=monitor/L1234.parquet`.
`evaluate --historie MAP` adds the round it evaluates (unless that year is there already: then
only with --force, which replaces the year as a whole) and reads the earlier years of the same
gemeente and kind from it.

Per indicator and year the realisatie is counted as evaluate counts it for that year (the
Indicatoren sheet): the afspraken with the indicator in its eenheid, each once: a collective
one (one afspraak in several corporaties' workbooks, Merged.collectives) as evaluate grouped
that round (the round file keeps it: TOGETHER), on a corporatie's or its huurders' tab the
parts together (none when a part is missing), on the gemeente's or a partner's tab the one
figure they all give; then, of the afspraken whose target has the term and form most have
(target_term, chosen_term), added up, or the mean for a % or rapportcijfer. An afspraak is
followed over the years by its nummer (codes are for ever), per corporatie (its L-nummer).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pa_sheets.errors import OutputError, UsageError
from pa_sheets.merge.combine import Merged
from pa_sheets.merge.indicator_tables import NOT_ADDITIVE, chosen_term, target_term
from pa_sheets.merge.long import column_kind, long_columns, long_table, partition, write_parquet
from pa_sheets.merge.sources import Record, Source
from pa_sheets.spec.model import Indicator, Spec
from pa_sheets.spec.names import OWN_ROLES
from pa_sheets.workbook.output import atomic_path, output_path

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

# The columns that say a target's term and form (target_term): only like adds up. A history
# written before spec 1.5 lacks the forms' columns: read as empty.
TERM_TEXTS = ("planning", "doelsoort", "referentie", "doeltermijn")
TERM_COLUMNS = (*TERM_TEXTS, "streefwaarde_tot")
# Per row of a round as evaluate --historie writes it: the number of its collective afspraak
# in that round (1, 2, ...; Merged.collectives), 0 for an afspraak of one corporatie (a whole
# number, stored as the long table stores one: float64). Rows without it (a year merge --long
# wrote, or a round written before) are told apart by AFSPRAAK.
TOGETHER = "gezamenlijk"
NUMBERS = ("realisatie", "nulmeting", "streefwaarde", "mijlpaal", "streefwaarde_tot", TOGETHER)
# What the trend needs of the long table: read only these columns.
COLUMNS = (
    "corporatie",
    "l_nummer",
    "thema",
    "rol",
    "nummer",
    "afspraak",
    "indicator",
    "eenheid",
    "realisatie",
    "status",
    "nulmeting",
    "streefwaarde",
    "mijlpaal",
    *TERM_COLUMNS,
    TOGETHER,
)
# Without TOGETHER, the columns that tell one afspraak from another when the trend counts it
# once: its tab, nummer and text, and its figures and target. Rows alike in all of them in
# several workbooks are one afspraak; one under the same nummer with another target or
# planning is another. Close to evaluate's rule, not the same: its collectives compare every
# fixed cell (agreed.Copies), and rows that differ only in their type or kern are one here,
# two there.
AFSPRAAK = (
    *("thema", "rol", "nummer", "afspraak"),
    *("nulmeting", "streefwaarde", "mijlpaal", *TERM_COLUMNS),
)
# What the trend counts of each afspraak in a year (its rows grouped in arrow).
PER_AFSPRAAK = [
    ("indicator", "min"),
    ("jaar", "min"),
    ("rol", "min"),
    ([], "count_all"),
    ("realisatie", "count"),
    ("realisatie", "sum"),
    ("realisatie", "mean"),
    ("realisatie", "min"),
    ("realisatie", "max"),
    ("termijn", "first"),
]
ROOM = 2**62  # _one_number numbers combinations below this
ROUND_FILE = "ronde.parquet"  # a round in its partition (merge writes one per corporatie)


@dataclass(frozen=True)
class Trend:
    """One standard indicator over the years: its realisatie per year (None: not measured)."""

    code: str
    naam: str
    eenheid: str
    berekend: str  # "som", or "gemiddelde (ongewogen)"
    waarden: tuple[float | None, ...]  # per year of Historie.years


@dataclass(frozen=True)
class Gevolgd:
    """One afspraak of one corporatie followed over the years by its nummer."""

    corporatie: str
    l_nummer: str
    nummer: str
    afspraak: str  # as it stands in the latest year
    indicator: str
    eenheid: str
    realisatie: tuple[float | None, ...]  # per year of Historie.years
    status: tuple[str, ...]  # per year; "" where it did not stand


@dataclass
class Historie:
    """The years of the history and this round: per indicator its trend, per afspraak its
    realisatie and status (worked out when asked: a country's history has a million rows);
    and what became of this round in the history."""

    years: list[int]
    trend: list[Trend] = field(default_factory=list)
    rows: pa.Table | None = field(default=None, repr=False, compare=False)
    note: str = ""  # where this round went, or why not

    @functools.cached_property
    def afspraken(self) -> list[Gevolgd]:
        return [] if self.rows is None else _followed(self.rows, self.years)


def read_history(folder: Path, gemeente_code: str, kind: str, before: int) -> pa.Table:
    """The rows of the earlier years (before `before`) of one gemeente and kind of workbook
    from the parquet history at `folder`, with a column jaar; empty when there are none. The
    texts as parquet stores them, once per file with a number per row (a dictionary): a
    country's five years are a million rows of a few thousand texts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema()
    texts = [key for key in COLUMNS if pa.types.is_dictionary(schema.field(key).type)]
    tables = []
    for year_dir in sorted(folder.glob("jaar=*")):
        year = _year_of(year_dir.name)
        place = year_dir / f"gemeente={gemeente_code}" / f"soort_werkboek={kind}"
        if year is None or year >= before or not place.is_dir():
            continue
        files = sorted(place.glob("*.parquet"))
        if not files:
            continue
        try:
            present = set(pq.read_schema(files[0]).names)
            table = pq.read_table(
                [str(f) for f in files],
                columns=[key for key in COLUMNS if key in present],
                read_dictionary=[key for key in texts if key in present],
            )
            table = _complete(table)
        except (OSError, pa.ArrowException) as exc:
            raise UsageError(f"{place}: de historie is niet te lezen ({exc}).") from None
        tables.append(
            table.append_column("jaar", pa.repeat(pa.scalar(year, pa.int64()), len(table)))
        )
    if not tables:
        return schema.append(pa.field("jaar", pa.int64())).empty_table()
    return pa.concat_tables(tables)


def round_rows(merged: Merged) -> pa.Table:
    """The rows of the round being evaluated, as the history holds them."""
    import pyarrow as pa

    records = list(merged.records(merged.afspraak_blocks()))
    columns, table = _round_table(merged, records)
    schema = _schema()
    arrays = [
        pa.array(table[columns.index(key)], schema.field(key).type)
        if key in columns
        else pa.nulls(len(records), schema.field(key).type)
        for key in COLUMNS
    ]
    arrays.append(pa.array([merged.years[0]] * len(records), pa.int64()))
    return pa.Table.from_arrays(arrays, names=[*COLUMNS, "jaar"])


def _round_table(
    merged: Merged, records: list[tuple[Source, Record]]
) -> tuple[list[str], list[list[object]]]:
    """The columns and the long table of these records of the round, with TOGETHER last."""
    columns = long_columns(merged.spec, merged.template)
    table = long_table(merged.spec, merged.kind, records, columns)
    table.append([*_together(merged, records)])
    return [*columns, TOGETHER], table


def _together(merged: Merged, records: Iterable[tuple[Source, Record]]) -> list[int]:
    """Per record the number of its collective afspraak in `merged` (1, 2, ...), 0 for an
    afspraak of its corporatie alone: how evaluate counted it (TOGETHER)."""
    numbers = {id(c): number for number, c in enumerate(merged.collectives, start=1)}
    found = []
    for _, record in records:
        collective = merged.collective_of(record)
        found.append(0 if collective is None else numbers[id(collective)])
    return found


def _schema() -> pa.Schema:
    import pyarrow as pa

    text = pa.dictionary(pa.int32(), pa.string())
    return pa.schema([pa.field(key, pa.float64() if key in NUMBERS else text) for key in COLUMNS])


def _complete(table: pa.Table) -> pa.Table:
    """`table` with every column of COLUMNS, in order and typed: one it lacks as empty."""
    import pyarrow as pa

    schema = _schema()
    arrays = [
        table[key]
        if key in table.column_names
        else pa.nulls(table.num_rows, schema.field(key).type)
        for key in COLUMNS
    ]
    return pa.Table.from_arrays(arrays, names=list(COLUMNS)).cast(schema)


def history(merged: Merged, folder: Path, *, record: bool = True, force: bool = False) -> Historie:
    """The trend of the round in `merged` with the earlier years from the history at `folder`;
    with `record`, this round goes into the history too (an existing year only with `force`).

    Example: history(merge_paths([Path("monitoring-2028-terug/")]), Path("historie")).trend
    """
    _need_pyarrow()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is een bestand; de historie is een map (parquet per jaar).")
    import pyarrow as pa

    year = merged.years[0]
    earlier = read_history(folder, merged.template.gemeente_code, merged.kind, year)
    now = round_rows(merged)
    note = record_round(merged, folder, force=force) if record else ""
    found = trend_of(pa.concat_tables([earlier, now]), merged.spec)
    found.note = note
    return found


def record_round(merged: Merged, folder: Path, *, force: bool = False) -> str:
    """Write the round into the history, unless its year is there already (then only with
    `force`, replacing the year as a whole); returns what happened, in Dutch. The round is one
    file of the long table (ROUND_FILE) in its partition: the years of a gemeente are read in
    a few files, however many corporaties it has."""
    import pyarrow as pa

    first = merged.sources[0]
    place = output_path(folder, *partition(merged.template, first.path))
    old = sorted(place.glob("*.parquet")) if place.is_dir() else []
    if old and not force:
        return (
            f"{merged.years[0]} staat al in de historie ({place}); niet opnieuw geschreven. "
            "Gebruik --force om dit jaar te vervangen."
        )
    columns, table = _round_table(merged, list(merged.records()))
    kinds = [*(column_kind(merged.spec, key) for key in columns[:-1]), "integer"]
    try:
        place.mkdir(parents=True, exist_ok=True)
        with atomic_path(place / ROUND_FILE, pa.ArrowException) as temp:
            write_parquet(temp, columns, kinds, table)
        for stale in old:
            if stale.name != ROUND_FILE:
                stale.unlink()
    except OSError as exc:
        raise OutputError(f"{place}: kan de historie niet schrijven ({exc.strerror}).") from None
    return f"{merged.years[0]} toegevoegd aan de historie: {place / ROUND_FILE}"


def trend_of(rows: pa.Table, spec: Spec) -> Historie:
    """Per standard indicator its realisatie per year, from long-table rows with a column
    jaar (read_history, round_rows); per afspraak when Historie.afspraken is asked. Counted
    in arrow on numbers for the texts (_coded): a country's five years are a million rows."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    years = sorted(int(y) for y in pc.unique(rows["jaar"]).to_pylist())
    coded = {key: _coded(rows[key]) for key in ("indicator", "eenheid", *AFSPRAAK)}
    names, named = coded["indicator"]
    indicators, keep = _standard(coded, spec)
    if not len(keep):
        return Historie(years, [], rows)
    # Per row of an indicator in its eenheid: the indicator, the year, and which afspraak.
    year = np.searchsorted(years, rows["jaar"].take(keep).to_numpy())
    terms, term_names = _terms(rows, keep, spec)
    measured = pa.table(
        {
            "indicator": names[keep],
            "jaar": year,
            "rol": coded["rol"][0][keep] + 1,  # 0: none
            "groep": _afspraak_of(rows, keep, coded, year, len(years)),
            "realisatie": rows["realisatie"].take(keep),
            "termijn": terms,
        }
    )
    groups = measured.group_by(["groep"], use_threads=False).aggregate(PER_AFSPRAAK)
    at, size, count, total, mean, low, high = (
        groups[key].to_numpy()
        for key in (
            "indicator_min",
            "count_all",
            "realisatie_count",
            "realisatie_sum",
            "realisatie_mean",
            "realisatie_min",
            "realisatie_max",
        )
    )
    order = [i.code for i in spec.indicators]
    per_text = [indicators.get(i) for i in range(len(named))]
    adds = np.array([i is not None and i.eenheid not in NOT_ADDITIVE for i in per_text])[at]
    roles = [None, *coded["rol"][1].to_pylist()]
    own = np.array([rol in OWN_ROLES for rol in roles])[groups["rol_min"].to_numpy()]
    complete, alone = size == count, size == 1
    combined = np.where(adds, total, mean)
    # Own tabs: the parts together; the gemeente's or a partner's: the one figure.
    value = np.where(
        own | alone,
        np.where(complete, combined, np.nan),
        np.where(complete & (low == high), low, np.nan),
    )
    counted = ~np.isnan(value)
    code = np.array([-1 if i is None else order.index(i.code) for i in per_text])[at]
    frame = pd.DataFrame(
        {
            "code": code[counted],
            "jaar": groups["jaar_min"].to_numpy()[counted],
            "waarde": value[counted],
            "termijn": groups["termijn_first"].to_numpy()[counted],
        }
    )
    frame = _of_one_term(frame, term_names, years)
    totals = frame.groupby(["code", "jaar"])["waarde"].agg(["sum", "mean"])
    return Historie(years, _trend(totals, indicators.values(), spec, len(years)), rows)


def _afspraak_of(
    rows: pa.Table,
    keep: np.ndarray,
    coded: dict[str, tuple[np.ndarray, pa.Array]],
    year: np.ndarray,
    years: int,
) -> np.ndarray:
    """Per row at `keep` (its year's place in `year`) a number for the afspraak it is a row
    of: as evaluate grouped its round (TOGETHER: per year its collective afspraak, or the row
    alone), and where a round did not keep that, by its indicator and AFSPRAAK cells."""
    import numpy as np

    names, named = coded["indicator"]
    parts = [(names[keep], len(named)), (year, years)]
    parts += [(coded[key][0][keep] + 1, len(coded[key][1]) + 1) for key in AFSPRAAK]
    alike = _one_number(parts)  # from 0 up
    together = rows[TOGETHER].take(keep).to_numpy(zero_copy_only=False)
    known = ~np.isnan(together)
    if not known.any():
        return alike
    # The collectives numbered anew from 1, whatever a file holds (a number is only a label).
    number = np.zeros(len(together), np.int64)
    shared = known & (together != 0)
    if shared.any():
        number[shared] = np.unique(together[shared], return_inverse=True)[1].reshape(-1) + 1
    collective = len(number) + year * (number.max() + 1) + number  # per year and collective
    own = np.arange(len(number))  # each row its own afspraak
    # Below zero: apart from the numbers of `alike`.
    return np.where(known, -1 - np.where(number > 0, collective, own), alike)


def _standard(
    coded: dict[str, tuple[np.ndarray, pa.Array]], spec: Spec
) -> tuple[dict[int, Indicator], np.ndarray]:
    """The standard indicators among the rows' indicator texts (by the place of the text in
    its dictionary), and the rows that give one in its own eenheid."""
    import numpy as np

    names, named = coded["indicator"]
    units, unit_names = coded["eenheid"]
    unit_at = {unit: at for at, unit in enumerate(unit_names.to_pylist())}
    used = np.bincount(names[names >= 0], minlength=len(named))
    indicators: dict[int, Indicator] = {}  # place of its text in `named` -> the indicator
    # Per indicator text the place of its eenheid; -2 (no row's) for a text that is not a
    # standard indicator or whose eenheid no row has, and (the last) for rows without one.
    wanted = np.full(len(named) + 1, -2)
    for at, name in enumerate(named.to_pylist()):
        found = spec.indicator(str(name)) if used[at] else None
        if found is not None:
            indicators[at] = found
            wanted[at] = unit_at.get(found.eenheid, -2)
    return indicators, np.flatnonzero(wanted[names] == units)


def _trend(
    totals: pd.DataFrame, indicators: Iterable[Indicator], spec: Spec, years: int
) -> list[Trend]:
    """Per indicator in the spec's order its sum (or mean) per year from `totals` (per code,
    the indicator's place in the spec, and year its place in the years)."""
    order = [i.code for i in spec.indicators]
    trend = []
    for place in sorted({order.index(i.code) for i in indicators}):
        indicator = spec.indicators[place]
        additive = indicator.eenheid not in NOT_ADDITIVE
        column = totals["sum" if additive else "mean"]
        trend.append(
            Trend(
                indicator.code,
                indicator.naam,
                indicator.eenheid,
                "som" if additive else "gemiddelde (ongewogen)",
                tuple(_float(column.get((place, y))) for y in range(years)),
            )
        )
    return trend


def _of_one_term(frame: pd.DataFrame, term_names: list[str], years: list[int]) -> pd.DataFrame:
    """The afspraken of `frame` (per row its code, jaar and termijn) whose target has the
    term and form most of its indicator's have that year, as evaluate counts them
    (chosen_term): 200 per jaar and 1.250 over the period do not add up."""
    which = (frame["code"] * len(years) + frame["jaar"]).tolist()  # indicator and year
    terms_of: dict[int, list[str]] = {}
    for key, term in zip(which, frame["termijn"].tolist(), strict=True):
        terms_of.setdefault(key, []).append(term_names[term])
    chosen = {key: chosen_term(found, years[key % len(years)]) for key, found in terms_of.items()}
    same = [
        term_names[term] == chosen[key]
        for key, term in zip(which, frame["termijn"].tolist(), strict=True)
    ]
    return frame[same]


def _terms(rows: pa.Table, keep: np.ndarray, spec: Spec) -> tuple[np.ndarray, list[str]]:
    """Per row at `keep` the place of its target's term and form (target_term) among the
    returned terms, worked out once per distinct planning and form: a country's history has
    a million rows and a few hundred of those."""
    import numpy as np
    import pyarrow.compute as pc

    coded = {key: _coded(rows[key]) for key in TERM_TEXTS}
    texts = {key: [*values.to_pylist(), None] for key, (_, values) in coded.items()}  # -1: None
    ranged = pc.is_valid(rows["streefwaarde_tot"]).to_numpy(zero_copy_only=False)[keep]
    parts = [(coded[key][0][keep] + 1, len(texts[key])) for key in TERM_TEXTS]
    parts.append((ranged.astype(np.int64), 2))
    _, first, where = np.unique(_one_number(parts), return_index=True, return_inverse=True)
    names: list[str] = []
    places = []
    for kept in first.tolist():
        at = keep[kept]
        values: dict[str, object] = {key: texts[key][coded[key][0][at]] for key in TERM_TEXTS}
        values["streefwaarde_tot"] = 1.0 if ranged[kept] else None
        name = target_term(values, spec)
        if name not in names:
            names.append(name)
        places.append(names.index(name))
    return np.array(places, np.int64)[where.reshape(-1)], names


def _one_number(parts: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """One number per row for the combination of its `parts` (each a number per row from 0
    up to its size): the same for the same combination. Numbered anew in between where the
    numbers would grow past int64."""
    import numpy as np

    key, room = np.zeros(len(parts[0][0]), np.int64), 1
    for codes, size in parts:
        if room * size >= ROOM:
            key, room = _renumbered(key)
        key, room = key * size + codes, room * size
    return key


def _renumbered(key: np.ndarray) -> tuple[np.ndarray, int]:
    import numpy as np

    found, key = np.unique(key, return_inverse=True)
    return key.astype(np.int64), len(found)


def _coded(column: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """A column as numbers: one dictionary of its texts (or figures), and per row the place of
    its value in it (-1 where it is empty). Grouping and comparing numbers instead of the texts
    makes counting a million rows a matter of tenths of seconds."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    column = pa.table({"c": column}).unify_dictionaries()["c"]
    if column.num_chunks == 0:
        return np.empty(0, np.int32), pa.array([], pa.string())
    codes = [
        (pc.fill_null(chunk.indices, -1) if chunk.null_count else chunk.indices).to_numpy()
        for chunk in column.chunks
    ]
    return np.concatenate(codes), column.chunk(0).dictionary


def _followed(rows: pa.Table, years: list[int]) -> list[Gevolgd]:
    """Every afspraak of every corporatie, by L-nummer and nummer, with its realisatie and
    status per year (the first row of a year where it stands twice); its text and corporatie
    as in the latest year it stands in. Worked out on numbers for the texts (_coded)."""
    import numpy as np

    texts = ("corporatie", "l_nummer", "nummer", "afspraak", "indicator", "eenheid", "status")
    coded = {key: _coded(rows[key]) for key in texts}
    # Per column its texts, and "" last: for the rows where it is empty (-1).
    spoken = {
        key: np.array([*("" if t is None else str(t) for t in values.to_pylist()), ""], object)
        for key, (_, values) in coded.items()
    }
    numbers, l_numbers = coded["nummer"][0], coded["l_nummer"][0]
    rows_at = np.flatnonzero(numbers >= 0)
    if not len(rows_at):
        return []
    # Each afspraak a number (L-nummer and nummer), and with it each year it stands in.
    parts = [
        (l_numbers[rows_at] + 1, len(spoken["l_nummer"])),
        (numbers[rows_at], len(spoken["nummer"])),
    ]
    afspraak = _renumbered(_one_number(parts))[0]
    year = np.searchsorted(years, rows["jaar"].to_numpy()[rows_at])
    in_year = afspraak * len(years) + year
    order = np.argsort(in_year, kind="stable")  # within a year in the order of the rows
    ordered = in_year[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    first = rows_at[order[starts]]  # per afspraak and year its first row
    which, when = ordered[starts] // len(years), ordered[starts] % len(years)
    done = np.full((which[-1] + 1, len(years)), np.nan)
    done[which, when] = rows["realisatie"].to_numpy()[first]
    said = np.full(done.shape, -1)
    said[which, when] = coded["status"][0][first]
    last = np.r_[which[1:] != which[:-1], True]
    latest, latest_year = first[last], when[last]  # per afspraak
    # By corporatie and nummer; with the same two, in the order of their latest row.
    ranks = [_ranks(spoken[key])[coded[key][0][latest]] for key in ("nummer", "corporatie")]
    place = np.lexsort((latest, latest_year, *ranks))
    latest, done, said = latest[place], done[place], said[place]

    def of(key: str) -> list[str]:
        return spoken[key][coded[key][0][latest]].tolist()

    realisatie = [[None if v != v else v for v in done[:, at].tolist()] for at in range(len(years))]
    status = [spoken["status"][said[:, at]].tolist() for at in range(len(years))]
    return [
        Gevolgd(*fields)
        for fields in zip(
            of("corporatie"),
            of("l_nummer"),
            of("nummer"),
            of("afspraak"),
            of("indicator"),
            of("eenheid"),
            zip(*realisatie, strict=True),
            zip(*status, strict=True),
            strict=True,
        )
    ]


def _ranks(texts: np.ndarray) -> np.ndarray:
    """Each text's place among the different `texts`, in Python's order of strings."""
    import numpy as np

    order = {text: at for at, text in enumerate(sorted(set(texts.tolist())))}
    return np.array([order[text] for text in texts.tolist()])


def _float(value: object) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value)  # type: ignore[arg-type]  # numpy numbers
        except (TypeError, ValueError):
            return None
    return None if math.isnan(value) else float(value)


def _year_of(name: str) -> int | None:
    text = name.partition("=")[2]
    return int(text) if text.isdigit() else None


def _need_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError(
            "--historie leest en schrijft parquet; installeer pyarrow: pip install "
            "'pa-sheets[parquet]'."
        ) from None

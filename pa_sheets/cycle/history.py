"""Year after year: each evaluated round goes into the long table as history, and evaluate
shows per indicator how its realisatie went over the years.

The history is the long table merge writes as parquet (merge/long.py), one partition per year,
gemeente and kind of workbook: `MAP/jaar=2027/gemeente=GM0344/soort_werkboek=monitor/L1234.parquet`.
`evaluate --historie MAP` adds the round it evaluates (unless that year is there already: then
only with --force, which replaces the year as a whole) and reads the earlier years of the same
gemeente and kind from it.

Per indicator and year the realisatie is counted as evaluate counts it for that year (the
Indicatoren sheet): the afspraken with the indicator in its eenheid, each once: an afspraak that
stands with the same text in several corporaties' workbooks (a collective one) as one, on a
corporatie's or its huurders' tab the parts together (none when a part is missing), on the
gemeente's or a partner's tab the one figure they all give; then, of the afspraken whose target
has the term and form most have (target_term, chosen_term), added up, or the mean for a % or
rapportcijfer. An afspraak is followed over the years by its nummer (codes are for ever),
per corporatie (its L-nummer).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pa_sheets.errors import OutputError, UsageError
from pa_sheets.merge.combine import Merged
from pa_sheets.merge.indicator_tables import NOT_ADDITIVE, chosen_term, target_term
from pa_sheets.merge.long import column_kind, long_columns, long_table, partition, write_parquet
from pa_sheets.spec.model import Spec
from pa_sheets.spec.names import OWN_ROLES
from pa_sheets.workbook.output import atomic_path, output_path

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

# The columns that say a target's term and form (target_term): only like adds up. A history
# written before spec 1.5 lacks the forms' columns: read as empty.
TERM_COLUMNS = ("planning", "doelsoort", "streefwaarde_tot", "referentie", "doeltermijn")
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
    *TERM_COLUMNS,
)
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
        return [] if self.rows is None else _followed(self.rows.to_pandas(), self.years)


def read_history(folder: Path, gemeente_code: str, kind: str, before: int) -> pa.Table:
    """The rows of the earlier years (before `before`) of one gemeente and kind of workbook
    from the parquet history at `folder`, with a column jaar; empty when there are none."""
    import pyarrow as pa
    import pyarrow.parquet as pq

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
            table = pq.read_table([str(f) for f in files], columns=[*present & set(COLUMNS)])
            table = _complete(table)
        except (OSError, pa.ArrowException) as exc:
            raise UsageError(f"{place}: de historie is niet te lezen ({exc}).") from None
        tables.append(table.append_column("jaar", pa.array([year] * table.num_rows, pa.int64())))
    if not tables:
        return _schema().append(pa.field("jaar", pa.int64())).empty_table()
    return pa.concat_tables(tables)


def round_rows(merged: Merged) -> pa.Table:
    """The rows of the round being evaluated, as the history holds them."""
    import pyarrow as pa

    spec = merged.spec
    columns = long_columns(spec, merged.template)
    records = list(merged.records(merged.afspraak_blocks()))
    table = long_table(spec, merged.kind, records, columns)
    schema = _schema()
    arrays = [
        pa.array(table[columns.index(key)], schema.field(key).type)
        if key in columns
        else pa.nulls(len(records), schema.field(key).type)
        for key in COLUMNS
    ]
    arrays.append(pa.array([merged.years[0]] * len(records), pa.int64()))
    return pa.Table.from_arrays(arrays, names=[*COLUMNS, "jaar"])


def _schema() -> pa.Schema:
    import pyarrow as pa

    numbers = ("realisatie", "streefwaarde_tot")
    return pa.schema(
        [pa.field(key, pa.float64() if key in numbers else pa.string()) for key in COLUMNS]
    )


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


def _terms(rows: pa.Table, spec: Spec) -> pa.Array:
    """The term and form of each row's target (target_term), worked out once per distinct
    planning and form: a country's history has a million rows and a few hundred of those."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = [pc.fill_null(rows[key], "") for key in TERM_COLUMNS if key != "streefwaarde_tot"]
    ranged = pc.if_else(pc.is_valid(rows["streefwaarde_tot"]), "1", "")
    key = pc.binary_join_element_wise(*texts, ranged, "\x1f")
    distinct = pc.unique(key)
    names = [k for k in TERM_COLUMNS if k != "streefwaarde_tot"]
    terms = []
    for joined in distinct.to_pylist():
        *parts, tot = joined.split("\x1f")
        values: dict[str, object] = dict(zip(names, parts, strict=True))
        values["streefwaarde_tot"] = 1.0 if tot else None
        terms.append(target_term(values, spec))
    return pc.take(pa.array(terms, pa.string()), pc.index_in(key, value_set=distinct))


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
    spec = merged.spec
    columns = long_columns(spec, merged.template)
    table = long_table(spec, merged.kind, merged.records(), columns)
    kinds = [column_kind(spec, key) for key in columns]
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
    in arrow: a country's five years are a million rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    years = sorted(int(y) for y in pc.unique(rows["jaar"]).to_pylist())
    indicators = {}
    for name in pc.unique(rows["indicator"]).drop_null().to_pylist():
        found = spec.indicator(str(name))
        if found is not None:
            indicators[name] = found
    names = pa.array(list(indicators), pa.string())
    measured = rows.filter(pc.is_in(rows["indicator"], value_set=names))
    where = pc.index_in(measured["indicator"], value_set=names)
    units = pa.array([i.eenheid for i in indicators.values()], pa.string())
    measured = measured.filter(pc.equal(measured["eenheid"], pc.take(units, where)))
    measured = measured.append_column("termijn", _terms(measured, spec))
    keys = ["indicator", "jaar", "thema", "rol", "nummer", "afspraak"]
    groups = (
        measured.group_by(keys, use_threads=False)
        .aggregate(
            [
                ([], "count_all"),
                ("realisatie", "count"),
                ("realisatie", "sum"),
                ("realisatie", "mean"),
                ("realisatie", "min"),
                ("realisatie", "max"),
                ("termijn", "first"),
            ]
        )
        .to_pandas()
    )
    trend = []
    if len(groups):
        code = groups["indicator"].map({n: i.code for n, i in indicators.items()})
        additive = code.map({i.code: i.eenheid not in NOT_ADDITIVE for i in indicators.values()})
        size, count = groups["count_all"], groups["realisatie_count"]
        complete = size == count
        own = groups["rol"].isin(OWN_ROLES)
        same = groups["realisatie_min"] == groups["realisatie_max"]
        combined = groups["realisatie_sum"].where(additive, groups["realisatie_mean"])
        # Own tabs: the parts together; the gemeente's or a partner's: the one figure.
        value = combined.where(complete & (own | (size == 1)))
        value = value.where(own | (size == 1), groups["realisatie_min"].where(complete & same))
        frame = groups.assign(code=code, waarde=value).dropna(subset=["waarde"])
        # Of one term and form only, the one most have, as evaluate counts it (chosen_term).
        chosen = {
            (found, year): chosen_term(part["termijn_first"], int(year))
            for (found, year), part in frame.groupby(["code", "jaar"], sort=False)
        }
        wanted = [
            chosen[(found, year)] == term
            for found, year, term in zip(
                frame["code"], frame["jaar"], frame["termijn_first"], strict=True
            )
        ]
        frame = frame[wanted]
        totals = frame.groupby(["code", "jaar"])["waarde"].agg(["sum", "mean"]).reset_index()
        by_code = {i.code: i for i in indicators.values()}
        for found_code in sorted(by_code, key=[i.code for i in spec.indicators].index):
            indicator = by_code[found_code]
            adds = indicator.eenheid not in NOT_ADDITIVE
            mine = totals[totals["code"] == found_code]
            per_year = dict(zip(mine["jaar"], mine["sum" if adds else "mean"], strict=True))
            trend.append(
                Trend(
                    found_code,
                    indicator.naam,
                    indicator.eenheid,
                    "som" if adds else "gemiddelde (ongewogen)",
                    tuple(_float(per_year.get(year)) for year in years),
                )
            )
    return Historie(years, trend, rows)


def _followed(rows: pd.DataFrame, years: list[int]) -> list[Gevolgd]:
    """Every afspraak of every corporatie, by L-nummer and nummer, with its realisatie and
    status per year; its text and corporatie as in the latest year it stands in."""
    key = ["l_nummer", "nummer"]
    rows = rows[rows["nummer"].notna()].sort_values("jaar", kind="stable")
    once = rows.drop_duplicates([*key, "jaar"], keep="first")
    wide = once.pivot(index=key, columns="jaar", values=["realisatie", "status"])
    latest = once.drop_duplicates(key, keep="last").set_index(key)
    wide = wide.reindex(latest.index)

    def per_year(what: str) -> list[list[object]]:
        return [
            wide[(what, year)].tolist() if (what, year) in wide.columns else [None] * len(wide)
            for year in years
        ]

    done, said = per_year("realisatie"), per_year("status")
    followed = [
        Gevolgd(
            str(corporatie),
            str(l_nummer),
            str(nummer),
            "" if _missing(afspraak) else str(afspraak),
            "" if _missing(indicator) else str(indicator),
            "" if _missing(eenheid) else str(eenheid),
            tuple(_float(column[i]) for column in done),
            tuple("" if _missing(column[i]) else str(column[i]) for column in said),
        )
        for i, ((l_nummer, nummer), corporatie, afspraak, indicator, eenheid) in enumerate(
            zip(
                latest.index,
                latest["corporatie"],
                latest["afspraak"],
                latest["indicator"],
                latest["eenheid"],
                strict=True,
            )
        )
    ]
    followed.sort(key=lambda g: (g.corporatie, g.nummer))
    return followed


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


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

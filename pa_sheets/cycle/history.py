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
gemeente's or a partner's tab the one figure they all give; then added up, or the mean for a %
or rapportcijfer. An afspraak is followed over the years by its nummer (codes are for ever),
per corporatie (its L-nummer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pa_sheets.errors import OutputError, UsageError
from pa_sheets.merge.combine import Merged
from pa_sheets.merge.indicator_tables import NOT_ADDITIVE
from pa_sheets.merge.long import long_columns, long_table, partition, write_long
from pa_sheets.spec.model import Spec
from pa_sheets.spec.names import OWN_ROLES
from pa_sheets.workbook.output import output_path

if TYPE_CHECKING:
    import pandas as pd

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
)
PARQUET = "parquet"


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
    realisatie and status; and what became of this round in the history."""

    years: list[int]
    trend: list[Trend] = field(default_factory=list)
    afspraken: list[Gevolgd] = field(default_factory=list)
    note: str = ""  # where this round went, or why not


def read_history(folder: Path, gemeente_code: str, kind: str, before: int) -> pd.DataFrame:
    """The rows of the earlier years (before `before`) of one gemeente and kind of workbook
    from the parquet history at `folder`, with a column jaar; empty when there are none."""
    import pandas as pd
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
            table = pq.read_table([str(f) for f in files], columns=list(COLUMNS))
        except (OSError, pa.ArrowException) as exc:
            raise UsageError(f"{place}: de historie is niet te lezen ({exc}).") from None
        tables.append(table.append_column("jaar", pa.array([year] * table.num_rows, pa.int64())))
    if not tables:
        return pd.DataFrame(columns=[*COLUMNS, "jaar"])
    return pa.concat_tables(tables).to_pandas()


def round_rows(merged: Merged) -> pd.DataFrame:
    """The rows of the round being evaluated, as the history holds them."""
    import pandas as pd

    spec = merged.spec
    columns = long_columns(spec, merged.template)
    records = list(merged.records(merged.afspraak_blocks()))
    table = long_table(spec, merged.kind, records, columns)
    frame = pd.DataFrame({key: table[columns.index(key)] for key in COLUMNS})
    frame["realisatie"] = pd.to_numeric(frame["realisatie"], errors="coerce")
    frame["jaar"] = merged.years[0]
    return frame


def history(merged: Merged, folder: Path, *, record: bool = True, force: bool = False) -> Historie:
    """The trend of the round in `merged` with the earlier years from the history at `folder`;
    with `record`, this round goes into the history too (an existing year only with `force`).

    Example: history(merge_paths([Path("monitoring-2028-terug/")]), Path("historie")).trend
    """
    _need_pyarrow()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is een bestand; de historie is een map (parquet per jaar).")
    import pandas as pd

    year = merged.years[0]
    earlier = read_history(folder, merged.template.gemeente_code, merged.kind, year)
    now = round_rows(merged)  # before recording: writing the parts empties the records
    note = record_round(merged, folder, force=force) if record else ""
    found = trend_of(
        pd.concat([earlier, now], ignore_index=True) if len(earlier) else now, merged.spec
    )
    found.note = note
    return found


def record_round(merged: Merged, folder: Path, *, force: bool = False) -> str:
    """Write the round into the history, unless its year is there already (then only with
    `force`); returns what happened, in Dutch."""
    first = merged.sources[0]
    place = output_path(folder, *partition(merged.template, first.path))
    if place.is_dir() and any(place.glob("*.parquet")) and not force:
        return (
            f"{merged.years[0]} staat al in de historie ({place}); niet opnieuw geschreven. "
            "Gebruik --force om dit jaar te vervangen."
        )
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise OutputError(f"{folder}: kan de map niet maken ({exc.strerror}).") from None
    write_long(merged, folder, PARQUET, force=True)
    return f"{merged.years[0]} toegevoegd aan de historie: {place}"


def trend_of(rows: pd.DataFrame, spec: Spec) -> Historie:
    """Per standard indicator its realisatie per year, and per afspraak of a corporatie its
    realisatie and status per year, from long-table rows with a column jaar."""
    import pandas as pd

    years = sorted(int(y) for y in rows["jaar"].unique())
    indicators = {}
    for name in rows["indicator"].dropna().unique():
        found = spec.indicator(str(name))
        if found is not None:
            indicators[name] = found
    measured = rows[rows["indicator"].isin(list(indicators))].copy()
    measured["code"] = measured["indicator"].map({n: i.code for n, i in indicators.items()})
    wanted = measured["indicator"].map({n: i.eenheid for n, i in indicators.items()})
    measured = measured[measured["eenheid"] == wanted]
    trend = []
    if len(measured):
        measured["realisatie"] = pd.to_numeric(measured["realisatie"], errors="coerce")
        keys = ["code", "jaar", "thema", "rol", "nummer", "afspraak"]
        groups = measured.groupby(keys, sort=False, dropna=False)["realisatie"].agg(
            ["size", "count", "sum", "mean", "min", "max"]
        )
        groups = groups.reset_index()
        additive = groups["code"].map(
            {i.code: i.eenheid not in NOT_ADDITIVE for i in indicators.values()}
        )
        complete = groups["count"] == groups["size"]
        own = groups["rol"].isin(OWN_ROLES)
        same = groups["min"] == groups["max"]
        combined = groups["sum"].where(additive, groups["mean"])
        groups["waarde"] = combined.where(complete & (own | same | (groups["size"] == 1)))
        groups.loc[~own & (groups["size"] > 1), "waarde"] = groups["min"].where(complete & same)
        groups["additief"] = additive
        valued = groups.dropna(subset=["waarde"])
        totals = valued.groupby(["code", "jaar"])["waarde"].agg(["sum", "mean"]).reset_index()
        by_code = {i.code: i for i in indicators.values()}
        for code in sorted(by_code, key=[i.code for i in spec.indicators].index):
            indicator = by_code[code]
            adds = indicator.eenheid not in NOT_ADDITIVE
            mine = totals[totals["code"] == code]
            per_year = dict(zip(mine["jaar"], mine["sum" if adds else "mean"], strict=True))
            trend.append(
                Trend(
                    code,
                    indicator.naam,
                    indicator.eenheid,
                    "som" if adds else "gemiddelde (ongewogen)",
                    tuple(_float(per_year.get(year)) for year in years),
                )
            )
    return Historie(years, trend, _followed(rows, years))


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

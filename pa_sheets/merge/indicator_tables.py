"""The tables of the standard indicators: a value counts only in its indicator's eenheid; a
stand is one number per corporatie and peildatum, never a sum over afspraken or years;
percentages, rapportcijfers and indicators that are themselves an average (optellen: false in
indicatoren.yaml: BT07, a wachttijd) are averaged, and say so.
"""

import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pa_sheets.merge.combine import (
    COLLECTIVE,
    OWN_CODE,
    Collective,
    Merged,
    indicator_key,
)
from pa_sheets.merge.sources import Record, Source
from pa_sheets.merge.tables import SUM_HEADER, Table
from pa_sheets.spec.model import NOT_ADDITIVE, Indicator, Spec, year_key, year_of
from pa_sheets.spec.names import CORPORATIE, PROGRESS_KINDS
from pa_sheets.spec.planning import cached_span
from pa_sheets.spec.targets import BANDBREEDTE, ENKEL, form_of

# How a value that is not counted is set apart: (column, record, key, value, reden).
_SetApart = Callable[[str, Record, str, float, str], None]

MEAN_HEADER = "Gemiddelde (ongewogen)"
INDICATOR_LEAD = ["Code", "Indicator", "Eenheid", "Soort"]


@dataclass
class Apart:
    """A value under a standard indicator that is not counted, and why."""

    corporatie: str  # or COLLECTIVE
    nummer: str
    indicator: Indicator
    eenheid: str  # the row's own
    maat: str
    jaar: int | None
    waarde: float
    reden: str


def standaardindicatoren(merged: Merged) -> Table:
    """Per standard indicator the target per corporatie (jaarschijf: streefwaarde; bod: the
    aantal, of all years for a stroom, of the last year for a stand), added up where the
    eenheid allows it, else averaged."""
    columns = merged.count_columns()
    rows: list[list[object]] = []
    apart: list[Apart] = []
    first, last = merged.years[0], merged.years[-1]
    for indicator in merged.indicators:
        jaren: object
        if merged.kind in PROGRESS_KINDS:
            keys, jaren = ["streefwaarde"], first
        elif indicator.soort == "stand":
            keys, jaren = [year_key("aantal", last)], last
        else:
            keys, jaren = [year_key("aantal", y) for y in merged.years], f"{first}-{last}"
        row = _indicator_row(merged, indicator, keys, apart)
        if row is not None:
            rows.append([*_indicator_lead(indicator), jaren, *row])
    what = "streefwaarde" if merged.kind in PROGRESS_KINDS else "aantal"
    not_counted = len(indicator_figures(merged)[1])
    return Table(
        "Standaardindicatoren",
        f"Standaardindicatoren ({what})",
        [*INDICATOR_LEAD, "Jaar", *columns, SUM_HEADER, MEAN_HEADER],
        rows,
        note=_indicator_note(merged, not_counted),
    )


def kengetallen(merged: Merged) -> Table:
    """Standard indicators by corporatie: nulmeting (per year it was measured), streefwaarde
    and realisatie (jaarschijf), or the aantal and investering of every year (bod)."""
    rows, apart = indicator_figures(merged)
    return Table(
        "Kengetallen",
        "Standaardindicatoren per corporatie",
        [*INDICATOR_LEAD, "Maat", "Jaar", *merged.count_columns(), SUM_HEADER, MEAN_HEADER],
        rows,
        note=_indicator_note(merged, len(apart)),
    )


# Why a reden keeps a value apart: said once below the table, not on every row (on paper a
# reden of four lines a row took a page more).
APART_NOTE = (
    "Een doel over een andere termijn wordt niet opgeteld of gemiddeld; een stand (voorraad) "
    "wordt niet over afspraken opgeteld."
)


def niet_meegeteld(merged: Merged) -> Table | None:
    """The values under a standard indicator that the Kengetallen do not count, and why."""
    apart = indicator_figures(merged)[1]
    if not apart:
        return None
    rows: list[list[object]] = [
        [
            item.indicator.code,
            item.indicator.naam,
            item.eenheid,
            item.maat,
            item.jaar,
            item.waarde,
            item.corporatie,
            item.nummer,
            item.reden,
        ]
        for item in apart
    ]
    header = ["Code", "Indicator", "Eenheid", "Maat", "Jaar", "Waarde", "Corporatie", "Nummer"]
    return Table("NietMeegeteld", "Niet meegeteld", [*header, "Reden"], rows, note=APART_NOTE)


# ---------------------------------------------------------------------------------------------
# Standard indicators: a value counts only in its indicator's eenheid; a stand is one number
# per corporatie and peildatum, never a sum over afspraken or years; percentages and
# rapportcijfers are averaged, and say so.
# ---------------------------------------------------------------------------------------------


# Three tables show the figures of one merge: they are counted once, and kept no longer than
# the merge.
_FIGURES: "weakref.WeakKeyDictionary[Merged, tuple[list[list[object]], list[Apart]]]" = (
    weakref.WeakKeyDictionary()
)


def indicator_figures(merged: Merged) -> tuple[list[list[object]], list[Apart]]:
    """The rows of the Kengetallen and the values they leave out (counted once per merge)."""
    if merged not in _FIGURES:
        _FIGURES[merged] = _kengetallen(merged)
    return _FIGURES[merged]


def _kengetallen(merged: Merged) -> tuple[list[list[object]], list[Apart]]:
    rows: list[list[object]] = []
    apart: list[Apart] = []
    for indicator in merged.indicators:
        for key, year, wanted in _measures(merged, indicator):
            maat = (
                merged.header(key).replace(f" {year}", "") if year_of(key) else merged.header(key)
            )
            row = _indicator_row(merged, indicator, [key], apart, maat, year, wanted)
            if row is not None:
                rows.append([*_indicator_lead(indicator), maat, year, *row])
    return rows, apart


def _measures(
    merged: Merged, indicator: Indicator
) -> list[tuple[str, int | None, Callable[[Record], bool] | None]]:
    """(column key, its year, which afspraken) of every row of the Kengetallen for this
    indicator: a nulmeting per year it was measured in (a nulmeting without a year last,
    without one), then streefwaarde and realisatie of the jaarschijf's year; or in a bod the
    aantal and investering of each year."""
    if merged.kind not in PROGRESS_KINDS:
        return [
            (year_key(key, y), y, None) for key in ("aantal", "investering") for y in merged.years
        ]
    measured: set[int | None] = set()
    for _, record in merged.by_indicator.get(indicator_key(indicator), []):
        if isinstance(record.values.get("nulmeting"), float):
            measured.add(_year(record.values.get("nulmeting_jaar")))
    years = sorted(y for y in measured if y is not None) + ([None] if None in measured else [])
    found: list[tuple[str, int | None, Callable[[Record], bool] | None]] = [
        ("nulmeting", y, _measured_in(y)) for y in years
    ]
    year = merged.years[0]
    return [
        *found,
        ("streefwaarde", year, None),
        ("streefwaarde_tot", year, None),  # the upper bounds of counted bandbreedtes
        ("mijlpaal", year, None),
        ("realisatie", year, None),
    ]


def _measured_in(year: int | None) -> Callable[[Record], bool]:
    """Whether a record's nulmeting was measured in `year` (None: in no year given)."""
    return lambda record: _year(record.values.get("nulmeting_jaar")) == year


def _year(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _indicator_lead(indicator: Indicator) -> list[object]:
    return [indicator.code, indicator.naam, indicator.eenheid, indicator.soort]


def _indicator_note(merged: Merged, not_counted: int) -> str:
    lines = [
        "Per corporatie de som over haar afspraken met deze indicator, alleen in de eenheid van "
        "de indicator. Een stand (voorraad op een peildatum) wordt niet over afspraken of jaren "
        "opgeteld, wel over corporaties.",
        "Percentages, rapportcijfers en gemiddelden (een bedrag per woning per maand, een "
        f"wachttijd) worden niet opgeteld: per corporatie en in '{MEAN_HEADER}' staat het "
        "gemiddelde van de afspraken, elk even zwaar.",
    ]
    if merged.kind == "jaarschijf":
        lines.append(
            "Een streefwaarde telt alleen mee met streefwaarden voor dezelfde termijn (een jaar, "
            "een periode, per jaar): 1.250 over 2026-2030, 200 per jaar en 170 in 2027 zijn "
            "drie uitspraken over één doel, geen 1.620; de termijn van de meeste telt. Zo ook "
            "een bandbreedte (1.900 tot 2.500): alleen met andere bandbreedtes, de ondergrenzen "
            "opgeteld als Streefwaarde, de bovengrenzen als Streefwaarde tot. Een doel ten "
            "opzichte van iets anders (de inflatie) heeft geen getal en telt nooit mee."
        )
    if len(merged.indicators) > len(merged.spec.indicators):
        lines.append(
            f"Code '{OWN_CODE}': een eigen indicator van de afspraken, geen standaardindicator; "
            "alleen opgeteld bij afspraken met dezelfde naam en eenheid."
        )
    if merged.collectives:
        lines.append(
            f"{COLLECTIVE}: een lopende afspraak die in het werkboek van elke corporatie staat, "
            "telt één keer met haar vaste waarden; wat elke corporatie zelf invult telt bij haar."
        )
    if merged.asks_of_others:
        lines.append(
            "Alleen de tabbladen van de corporaties zelf; wat zij van anderen vragen staat op "
            "de themabladen."
        )
    if not_counted:
        lines.append(
            f"{not_counted} waarde(n) niet meegeteld (andere eenheid, een stand met "
            "verschillende waarden, of een doel over een andere termijn): zie het blad "
            "'Niet meegeteld', met de reden per waarde."
        )
    return "\n".join(lines)


def _indicator_row(
    merged: Merged,
    indicator: Indicator,
    keys: list[str],
    apart: list[Apart],
    maat: str = "",
    jaar: int | None = None,
    wanted: Callable[[Record], bool] | None = None,
) -> list[object] | None:
    """The values of `keys` for the afspraken with this indicator, per count column, then the
    sum for the gemeente (an eenheid that adds up) or the unweighted mean of every value
    counted (% and rapportcijfer). What is not counted goes to `apart`. None when nothing is
    counted."""
    money = all(merged.spec.column_for(key).type == "money" for key in keys)
    additive = money or (indicator.eenheid not in NOT_ADDITIVE and indicator.additive)
    stock = indicator.soort == "stand" and additive and not money  # one number, not a sum

    def set_apart(column: str, record: Record, key: str, value: float, reden: str) -> None:
        nummer, eenheid = record.values.get("nummer"), record.values.get("eenheid")
        year = jaar if jaar is not None else year_of(key)
        what = maat or merged.header(key)
        apart.append(
            Apart(
                column, str(nummer or ""), indicator, str(eenheid or ""), what, year, value, reden
            )
        )

    found = _values_by_column(merged, indicator, keys, wanted, money, set_apart)
    if any(base in TARGETS for base in keys):
        chosen = None
        if "streefwaarde_tot" in keys:  # the bounds of the bandbreedtes the Streefwaarde counts
            lower = _values_by_column(merged, indicator, ["streefwaarde"], None, money, _ignore)
            chosen = _chosen_term(lower, merged.years[0], merged.spec)
        found = _one_term(found, merged.years[0], set_apart, merged.spec, chosen)
    cells, counted = _cells(found, stock, additive, set_apart)
    if not cells:
        return None
    row: list[object] = [cells.get(column) for column in merged.count_columns()]
    total = sum(cells.values()) if additive else None
    mean = None if additive else _mean(counted)
    return [*row, total, mean]


def _values_by_column(
    merged: Merged,
    indicator: Indicator,
    keys: list[str],
    wanted: Callable[[Record], bool] | None,
    money: bool,
    set_apart: _SetApart,
) -> dict[str, list[tuple[float, Record, str]]]:
    """The values of `keys` for the afspraken with this indicator, per count column, each
    with its record and key; a value in another eenheid, or of a collective afspraak the
    workbooks disagree on, goes apart."""
    fields = set(merged.afspraak_fields())
    found: dict[str, list[tuple[float, Record, str]]] = {}
    for source, record in merged.by_indicator.get(indicator_key(indicator), []):
        if merged.asks_of_others and record.rol != CORPORATIE:
            continue
        if wanted is not None and not wanted(record):
            continue
        collective = merged.collective_of(record)
        for key in keys:
            value = record.values.get(key)
            if not isinstance(value, float):
                continue
            column = _column(source, record, collective, key, fields)
            if column is None:
                continue  # a collective afspraak's fixed value: counted at its first member
            if not money and record.values.get("eenheid") != indicator.eenheid:
                reden = f"andere eenheid dan die van de indicator ({indicator.eenheid})"
                set_apart(column or source.corporatie, record, key, value, reden)
            elif not column:
                partij = collective.partij if collective else ""
                reden = (
                    f"gezamenlijke afspraak van {partij}: de werkboeken geven verschillende waarden"
                )
                set_apart(source.corporatie, record, key, value, reden)
            else:
                found.setdefault(column, []).append((value, record, key))
    return found


# The measures that are targets: a streefwaarde or mijlpaal holds for the term of its planning.
TARGETS = ("streefwaarde", "streefwaarde_tot", "mijlpaal")


def _ignore(column: str, record: Record, key: str, value: float, reden: str) -> None:
    """A _SetApart that keeps nothing: for values looked at only to choose a term."""


def term(planning: object) -> str:
    """The term a target holds for, as its planning says it: a year (2024, also Q3 2024 or a
    date in it), a period (2022-2026), a deadline (t/m 2030), 'per jaar' (jaarlijks,
    doorlopend), or '' (no planning). Two targets add up only within one term."""
    span = cached_span(planning) if planning not in (None, "") else None
    if span is None:
        return ""
    if span.end is None:
        return PER_YEAR
    if span.start is None:
        return f"t/m {span.end.year}"
    first, last = span.start.year, span.end.year
    return str(first) if first == last else f"{first}-{last}"


PER_YEAR = "per jaar"


def target_term(values: Mapping[str, object], spec: Spec) -> str:
    """The term and form a target holds for: its planning's term (per jaar also when its
    doeltermijn says so), and 'bandbreedte' or 'ten opzichte van ...' for those forms: two
    targets add up only when this is the same. '2026-2030', 'per jaar', '2027, bandbreedte'."""
    form = form_of(values, spec)
    when = PER_YEAR if form.per_jaar else term(values.get("planning"))
    if form.vorm == ENKEL:
        return when
    what = form.vorm if form.vorm == BANDBREEDTE else f"ten opzichte van {form.referentie}"
    return f"{when}, {what}" if when else what


def ranged(name: str | None) -> bool:
    """Whether a term and form (target_term) is a bandbreedte's: 'bandbreedte', '2027,
    bandbreedte', 'per jaar, bandbreedte'. Such a total has upper bounds too."""
    return name is not None and name.rpartition(", ")[2] == BANDBREEDTE


def _chosen_term(
    found: dict[str, list[tuple[float, Record, str]]], year: int, spec: Spec
) -> str | None:
    """The term (and form) most of these targets have (chosen_term)."""
    return chosen_term(
        (target_term(record.values, spec) for e in found.values() for _, record, _ in e), year
    )


def chosen_term(terms: Iterable[str], year: int) -> str | None:
    """The term (and form, target_term) a total counts: the one most targets have; of equals
    the year's own (the jaarschijf's, the evaluated one), then per jaar, then a term that
    holds the year before a doorkijk past it, then the shortest (one number before a
    bandbreedte), then the first given. None when there are none."""
    counts = Counter(terms)
    if not counts:
        return None

    def rank(name: str) -> tuple[int, int, int]:
        own = 0 if name == str(year) else 1 if name == PER_YEAR else 2 if _holds(name, year) else 3
        return (-counts[name], own, len(name))

    return min(counts, key=rank)


def _one_term(
    found: dict[str, list[tuple[float, Record, str]]],
    year: int,
    set_apart: _SetApart,
    spec: Spec,
    chosen: str | None = None,
) -> dict[str, list[tuple[float, Record, str]]]:
    """Only the targets of one term and form count: 1.250 over 2022-2026, 200 per jaar and 170
    in 2024 are three statements of a goal, not 1.620; 56% in 2026 and 50% in 2024 are no
    average; a bandbreedte adds up only with bandbreedtes. The term counted is `chosen`, else
    the one most targets have (_chosen_term); the others are listed apart, with why."""
    terms = {
        id(record): target_term(record.values, spec) for e in found.values() for _, record, _ in e
    }
    if chosen is None:
        if len(set(terms.values())) < 2:
            return found
        chosen = _chosen_term(found, year, spec)
    kept: dict[str, list[tuple[float, Record, str]]] = {}
    for column, entries in found.items():
        for value, record, key in entries:
            if terms[id(record)] == chosen:
                kept.setdefault(column, []).append((value, record, key))
            else:
                other = terms[id(record)] or "geen planning"
                what = "ander soort doel" if "," in f"{other}{chosen}" else "andere termijn"
                reden = f"{what} ({other}) dan de getelde streefwaarden ({chosen or 'geen'})"
                set_apart(column, record, key, value, reden)
    return kept


def _holds(name: str, year: int) -> bool:
    """Whether the term `name` (a period 2022-2026, or t/m 2030) holds the year; a single
    year holds only itself (ranked apart)."""
    deadline = name.startswith("t/m ")
    bounds = name.removeprefix("t/m ").split("-")
    if not all(part.isdigit() for part in bounds) or (len(bounds) == 1 and not deadline):
        return False
    first = year if deadline else int(bounds[0])
    return first <= year <= int(bounds[-1])


def _cells(
    found: dict[str, list[tuple[float, Record, str]]],
    stock: bool,
    additive: bool,
    set_apart: _SetApart,
) -> tuple[dict[str, float], list[float]]:
    """Per count column its one figure (the stock, the sum or the mean of its values), and
    every value counted; a stock that its afspraken give different values goes apart."""
    cells: dict[str, float] = {}
    counted: list[float] = []
    for column, entries in found.items():
        values = [value for value, _, _ in entries]
        if stock and len(set(values)) > 1:
            reden = "stand: de afspraken van deze corporatie geven verschillende waarden"
            for value, record, key in entries:
                set_apart(column, record, key, value, reden)
            continue
        counted += values
        if stock:
            cells[column] = values[0]  # the same stock, named by more than one afspraak
        elif additive:
            cells[column] = sum(values)
        else:
            cells[column] = _mean(values)
    return cells, counted


def _mean(values: list[float]) -> float:
    """The unweighted mean, to 9 decimals: a spreadsheet keeps 15 significant digits, so
    68.66666666666667 would not come back the same from LibreOffice."""
    return round(sum(values) / len(values), 9)


def _column(
    source: Source, record: Record, collective: Collective | None, key: str, fields: set[str]
) -> str | None:
    """Where a value of a record counts: its corporatie; COLLECTIVE for the fixed values of a
    collective afspraak (once: its first member) and for what the one party of a shared
    collective afspraak reports, when every workbook says the same; "" when they differ
    (listed apart); None to skip (a member that is not the first)."""
    if collective is None or (key not in fields and not collective.shared):
        return source.corporatie  # a collective afspraak's realisatie: each its own part
    if key not in fields:
        said = {r.values.get(key) for _, r in collective.members} - {None, ""}
        if len(said) > 1:
            return ""
    first = next(r for _, r in collective.members if isinstance(r.values.get(key), float))
    return COLLECTIVE if first is record else None

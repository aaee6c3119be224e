"""The spring evaluation: how the afspraken of a jaarschijf stand, per thema, party and
corporatie, which ones need attention (rood first, then oranje), how many SMART warnings
remain, and per standard indicator whether it moved in its richting from nulmeting to
realisatie. A collective afspraak (the same lopende afspraak in every corporatie's workbook)
counts once; when the corporaties give it different statuses, the evaluation says so. It reads
returned jaarschijven (validated as for merge) or a gezamenlijk overzicht that merge wrote
(through read_overview), and computes from the `Merged` either gives, the same way: plain
tables the CLI prints, and that write_evaluation() puts in a workbook with a chart.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from xlsxwriter.chart import Chart
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pa_sheets.check.findings import FileReport
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import COLLECTIVE, DIFFERENT_STATUS, Collective, Merged
from pa_sheets.merge.indicator_tables import NOT_ADDITIVE
from pa_sheets.merge.read_overview import load_merged, smart_warnings
from pa_sheets.merge.signing import ondertekening
from pa_sheets.merge.tables import Table
from pa_sheets.numbers import dutch_number
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import Indicator, Spec, load_spec
from pa_sheets.spec.names import ATTENTION_SHEET, EVALUATION_SHEET
from pa_sheets.workbook.output import atomic_path, guard_output
from pa_sheets.workbook.writer import (
    LINE_HEIGHT,
    NUMBER_ROOM,
    SUMMARY_SCALE,
    Formats,
    fit_widths,
    narrowest,
    now,
    paper_widths,
    place_charts,
    print_setup,
    row_height,
    text_safe_workbook,
)

NO_STATUS = "geen status"
# validate's SMART warnings (M001-M003), counted as the overview's table per corporatie counts
# them: by their family letter.
SMART_FAMILY = "M"
# Whether an indicator moved in its richting from nulmeting to realisatie.
ON_COURSE, OFF_COURSE, NO_DIRECTION, UNKNOWN = (
    "op koers",
    "niet op koers",
    "geen richting",
    "onbekend",
)


@dataclass(frozen=True)
class Afspraak:
    """One afspraak as the evaluation needs it."""

    corporatie: str
    thema: str
    partij: str
    nummer: str
    afspraak: str
    trekker: str
    status: str  # a status from the spec, or NO_STATUS
    toelichting: str
    collectief: bool = False  # in every corporatie's workbook: counted once


@dataclass(frozen=True)
class Conflict:
    """A collective afspraak the corporaties give different statuses."""

    nummer: str
    thema: str
    partij: str
    afspraak: str
    statuses: tuple[tuple[str, str], ...]  # (corporatie, status or NO_STATUS)


@dataclass(frozen=True)
class Koers:
    """Whether a standard indicator moved in its richting: the nulmeting against the
    realisatie of the afspraken that name it in its eenheid and have both."""

    code: str
    naam: str
    eenheid: str
    soort: str
    richting: str
    afspraken: int  # in the indicator's eenheid, a collective one once
    gemeten: int  # of which with a nulmeting and a realisatie
    nulmeting: float | None
    realisatie: float | None
    berekend: str  # "som", or "gemiddelde (ongewogen)" for % and rapportcijfer
    oordeel: str  # ON_COURSE, OFF_COURSE, NO_DIRECTION or UNKNOWN
    andere_eenheid: int  # afspraken with this indicator in another eenheid: not counted


@dataclass
class Evaluation:
    title: str
    statuses: list[str]  # the stoplicht columns: the spec's statuses, then NO_STATUS
    # The statuses that need steering (spec: toelichting_verplicht), worst first: rood, oranje.
    attention_statuses: tuple[str, ...]
    afspraken: list[Afspraak]  # every row of every workbook, as each corporatie reports it
    # Corporatie -> SMART warnings left in its workbook (validate's M001-M003). Counted per
    # corporatie, not per afspraak: an overview keeps no more than that.
    smart: dict[str, int] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)  # the files evaluated: never written over
    # Every afspraak once: a collective one as COLLECTIVE, with its common status or
    # DIFFERENT_STATUS. What the stoplicht tables count.
    counted: list[Afspraak] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    koers: list[Koers] = field(default_factory=list)
    signing: Table | None = None  # who signed the jaarschijf, per corporatie (spec 1.4)

    def by(self, name: str, key: Callable[[Afspraak], str]) -> Table:
        """Counts and shares of every status per group, with a totals row."""
        groups: dict[str, Counter[str]] = {}
        for item in self.counted:
            groups.setdefault(key(item), Counter())[item.status] += 1
        rows = []
        # The same order whatever the source; the collective afspraken after the corporaties.
        for group, counts in sorted(groups.items(), key=lambda g: (g[0] == COLLECTIVE, g[0])):
            total = sum(counts.values())
            rows.append([group, total, *(counts[s] for s in self.statuses)])
        table = Table(
            f"Per{name.replace(' ', '')}",
            f"Stoplicht per {name}",
            [name.capitalize(), "Afspraken", *self.statuses],
            rows,
        )
        return table.add_totals("Alle", 1)

    def attention(self) -> list[Afspraak]:
        """Every rood and oranje afspraak: rood first, then by corporatie, thema and nummer."""
        order = self.attention_statuses
        found = [a for a in self.afspraken if a.status in order]
        return sorted(found, key=lambda a: (order.index(a.status), a.corporatie, a.thema, a.nummer))

    @property
    def smart_warnings(self) -> int:
        return sum(self.smart.values())


def evaluate_paths(
    paths: Iterable[Path],
    *,
    spec: Spec | None = None,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> Evaluation:
    """The evaluation of returned jaarschijven, or of one gezamenlijk overzicht; with the
    gemeente's `config` or the workbooks as `sent`, the workbooks are compared with it too.

    Example: evaluate_paths([Path("terug-2027/")]).attention()
    """
    loaded = load_merged(paths, spec or load_spec(), allow_invalid=True, config=config, sent=sent)
    merged = loaded.merged
    if loaded.overview is not None:
        smart = _overview_smart(loaded.overview, merged)
    else:
        smart = {source.corporatie: _smart_findings(source.report) for source in merged.sources}
    return evaluate_merged(merged, smart, loaded.inputs)


def evaluate_merged(
    merged: Merged, smart: Mapping[str, int], inputs: Iterable[Path] = ()
) -> Evaluation:
    """The evaluation of merged jaarschijven, given the SMART warnings validate gave each
    corporatie's workbook; `inputs` are the files they were read from.

    Example: evaluate_merged(merge_paths([Path("terug/")], allow_invalid=True), {})
    """
    inputs = list(inputs)
    if merged.kind != "jaarschijf":
        where = inputs[0] if inputs else merged.sources[0].path
        raise UsageError(
            f"{where} is een {merged.kind}: een bod heeft geen stoplicht. Evalueer de jaarschijven."
        )
    known = set(_statuses(merged.spec))

    def status_of(value: object) -> str:
        return value if value in known else NO_STATUS

    afspraken, counted = _afspraken(merged, status_of)
    conflicts = [
        Conflict(
            collective.nummer,
            collective.record.thema,
            collective.partij,
            str(collective.record.values.get("afspraak") or ""),
            tuple((c, status_of(s)) for c, s in collective.statuses().items()),
        )
        for collective in merged.collectives
        if len({status_of(s) for s in collective.statuses().values()}) > 1
    ]
    template = merged.template
    return Evaluation(
        f"Evaluatie jaarschijf {template.years[0]}, {template.gemeente}",
        _statuses(merged.spec, bool(merged.collectives)),
        # The spec lists the statuses from good to bad: what will not be met comes first. An
        # afspraak the parties agree to disagree on needs no steering but talk (Samenvatting).
        tuple(
            status
            for status in reversed(merged.spec.statuses_needing_toelichting())
            if status not in merged.spec.disagreeing_statuses()
        ),
        afspraken,
        {source.corporatie: smart.get(source.corporatie, 0) for source in merged.sources},
        inputs,
        counted,
        sorted(conflicts, key=lambda c: (c.thema, c.nummer)),
        [k for indicator in merged.spec.indicators if (k := _koers(merged, indicator))],
        ondertekening(merged),
    )


def _statuses(spec: Spec, collectives: bool = False) -> list[str]:
    different = [DIFFERENT_STATUS] if collectives else []
    return [term.naam for term in spec.statussen] + different + [NO_STATUS]


def _koers(merged: Merged, indicator: Indicator) -> Koers | None:
    """The nulmeting against the realisatie of the afspraken with this indicator in its
    eenheid, each once; None when no afspraak names it."""
    found = merged.by_indicator.get(indicator.code, [])
    if not found:
        return None
    additive = indicator.eenheid not in NOT_ADDITIVE
    pairs: list[tuple[object, object]] = []
    other, seen = 0, set()
    for _, record in found:
        collective = merged.collective_of(record)
        if collective is not None:
            if id(collective) in seen:
                continue
            seen.add(id(collective))
        if record.values.get("eenheid") != indicator.eenheid:
            other += 1
            continue
        realisatie = (
            record.values.get("realisatie")
            if collective is None
            else _collective_realisatie(collective, additive)
        )
        pairs.append((record.values.get("nulmeting"), realisatie))
    measured = [(n, r) for n, r in pairs if isinstance(n, float) and isinstance(r, float)]
    nulmeting = realisatie = None
    if measured:
        total = sum if additive else _mean
        nulmeting = total(n for n, _ in measured)
        realisatie = total(r for _, r in measured)
    return Koers(
        indicator.code,
        indicator.naam,
        indicator.eenheid,
        indicator.soort,
        indicator.richting,
        len(pairs),
        len(measured),
        nulmeting,
        realisatie,
        "som" if additive else "gemiddelde (ongewogen)",
        _oordeel(merged.spec, indicator, nulmeting, realisatie),
        other,
    )


def _collective_realisatie(collective: Collective, additive: bool) -> float | None:
    """A collective afspraak's realisatie: on the tab of each corporatie (or its
    huurdersorganisatie) each reports its own part, so the parts together when every one
    reported; on the gemeente's or a partner's tab that one party's figure, when every
    workbook gives the same."""
    values = [record.values.get("realisatie") for _, record in collective.members]
    if collective.shared:
        given = {v for v in values if isinstance(v, float)}
        return given.pop() if len(given) == 1 else None
    numbers = [v for v in values if isinstance(v, float)]
    if len(numbers) != len(values):
        return None
    return sum(numbers) if additive else _mean(numbers)


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values)


def _oordeel(
    spec: Spec, indicator: Indicator, nulmeting: float | None, realisatie: float | None
) -> str:
    """Op koers when the realisatie moved from the nulmeting in the indicator's richting, or
    stays at the best end of its bereik (0 huisuitzettingen stays good)."""
    if indicator.richting not in ("hoger", "lager"):
        return NO_DIRECTION
    if nulmeting is None or realisatie is None:
        return UNKNOWN
    low, high = spec.bereik(indicator.eenheid, indicator)
    if indicator.richting == "hoger":
        better = realisatie > nulmeting or (high is not None and realisatie >= high)
    else:
        better = realisatie < nulmeting or (low is not None and realisatie <= low)
    return ON_COURSE if better else OFF_COURSE


def _smart_findings(report: FileReport) -> int:
    return sum(finding.code.startswith(SMART_FAMILY) for finding in report.findings)


def _afspraken(
    merged: Merged, status_of: Callable[[object], str]
) -> tuple[list[Afspraak], list[Afspraak]]:
    """Every afspraak as each corporatie reported it, and the afspraken as they are counted:
    a collective afspraak once, for all its corporaties, with their status if they agree."""
    afspraken, counted = [], []
    for source, record in merged.records(merged.afspraak_blocks()):
        values = record.values
        collective = merged.collective_of(record)
        item = Afspraak(
            source.corporatie,
            record.thema,
            record.partij,
            str(values.get("nummer") or ""),
            str(values.get("afspraak") or ""),
            str(values.get("trekker") or ""),
            status_of(values.get("status")),
            str(values.get("toelichting") or ""),
            collective is not None,
        )
        afspraken.append(item)
        if collective is None:
            counted.append(item)
        elif collective.record is record:  # once, for all its corporaties
            statuses = {status_of(status) for status in collective.statuses().values()}
            status = statuses.pop() if len(statuses) == 1 else DIFFERENT_STATUS
            counted.append(
                replace(item, corporatie=COLLECTIVE, partij=collective.partij, status=status)
            )
    return afspraken, counted


def _overview_smart(path: Path, merged: Merged) -> dict[str, int]:
    """The SMART warnings per corporatie as the overview counted them when it was made: it
    keeps their number per corporatie, not the findings (so not which afspraken they were on)."""
    per_number = smart_warnings(path)
    smart = {}
    for source in merged.sources:
        number = source.facts.l_nummer  # read from _bronnen
        if number not in per_number:
            raise UsageError(
                f"{path}: de samenvatting noemt {source.corporatie} ({number}) niet. Is het "
                "overzicht met de hand gewijzigd? Voeg opnieuw samen."
            )
        smart[source.corporatie] = per_number[number]
    return smart


# ---------------------------------------------------------------------------------------------
# Output.
# ---------------------------------------------------------------------------------------------


def tables(evaluation: Evaluation) -> list[Table]:
    return [
        evaluation.by("thema", lambda a: a.thema),
        evaluation.by("partij", lambda a: a.partij),
        evaluation.by("corporatie", lambda a: a.corporatie),
    ]


def _count_rows(table: Table) -> list[tuple[str, list[int]]]:
    """The rows of a stoplicht table (Evaluation.by), then its totals: each as its label and
    its counts (the afspraken, then one per status; nothing counted is 0)."""
    rows = table.rows if table.totals is None else [*table.rows, table.totals]
    return [(str(r[0]), [c if isinstance(c, int) else 0 for c in r[1:]]) for r in rows]


KOERS_HEADER = [
    "Code",
    "Indicator",
    "Eenheid",
    "Soort",
    "Richting",
    "Afspraken",
    "Met nulmeting en realisatie",
    "Nulmeting",
    "Realisatie",
    "Berekend als",
    "Oordeel",
    "Andere eenheid (niet meegeteld)",
]
CONFLICT_TITLE = "Gezamenlijke afspraken met een verschillende status per corporatie"


def koers_rows(evaluation: Evaluation) -> list[list[object]]:
    """The richting per indicator as rows under KOERS_HEADER."""
    return [
        [
            k.code,
            k.naam,
            k.eenheid,
            k.soort,
            k.richting,
            k.afspraken,
            k.gemeten,
            k.nulmeting,
            k.realisatie,
            k.berekend,
            k.oordeel,
            k.andere_eenheid,
        ]
        for k in evaluation.koers
    ]


def text_evaluation(evaluation: Evaluation) -> str:
    """Compact tables for the terminal: counts, and the share of rood and oranje; the
    collective afspraken with different statuses; the richting per indicator."""
    lines = [evaluation.title, ""]
    short = {
        "niet gestart": "niet gest.",
        "gerealiseerd": "gereal.",
        DIFFERENT_STATUS: "uiteenl.",
        NO_STATUS: "geen",
    }
    for table in tables(evaluation):
        rows = _count_rows(table)
        width = max(len(label) for label in [table.header[0], *(label for label, _ in rows)])
        names = [short.get(s, s) for s in evaluation.statuses]
        lines.append(
            f"{table.header[0]:<{width}}  {'afspr.':>6} "
            + " ".join(f"{n:>10}" for n in names)
            + f" {'+'.join(evaluation.attention_statuses):>11}"
        )
        for label, (total, *counts) in rows:
            lag = sum(counts[evaluation.statuses.index(s)] for s in evaluation.attention_statuses)
            share = f"{lag / total:.0%}" if total else "-"
            lines.append(
                f"{label:<{width}}  {total:>6} "
                + " ".join(f"{count:>10}" for count in counts)
                + f" {share:>11}"
            )
        lines.append("")
    if evaluation.conflicts:
        lines.append(f"{CONFLICT_TITLE} (geteld als '{DIFFERENT_STATUS}'):")
        for conflict in evaluation.conflicts:
            said = "; ".join(f"{c}: {status}" for c, status in conflict.statuses)
            lines.append(f"  {conflict.nummer:<7} {conflict.partij}: {said}")
        lines.append("")
    if evaluation.koers:
        lines.append("Richting per indicator (nulmeting -> realisatie, afspraken met beide)")
        lines.append(
            f"{'code':<5} {'indicator':<40} {'richting':<8} {'gemeten':>7} "
            f"{'nulmeting':>10} {'realisatie':>10}  oordeel"
        )
        for k in evaluation.koers:
            naam = k.naam if len(k.naam) <= 40 else k.naam[:39] + "…"
            lines.append(
                f"{k.code:<5} {naam:<40} {k.richting:<8} {f'{k.gemeten}/{k.afspraken}':>7} "
                f"{_number(k.nulmeting):>10} {_number(k.realisatie):>10}  {k.oordeel}"
                + (" (gemiddelde)" if k.gemeten and k.berekend != "som" else "")
            )
        lines.append("")
    attention = evaluation.attention()
    lines.append(f"Aandacht nodig: {len(attention)} afspraak/afspraken (rood eerst)")
    for item in attention:
        who = f"{item.corporatie} (gezamenlijke afspraak)" if item.collectief else item.corporatie
        lines.append(f"  {item.status:<6} {item.nummer:<7} {who}: {item.afspraak}")
        lines.append(
            f"         trekker: {item.trekker or '-'}; {item.toelichting or 'geen toelichting'}"
        )
    lines.append(f"SMART-waarschuwingen nog open: {evaluation.smart_warnings}")
    lines += signing_lines(evaluation)
    return "\n".join(lines)


def _number(value: float | None) -> str:
    """12345.67 as 12.345,7, the Dutch way to one decimal; '-' for nothing."""
    return "-" if value is None else dutch_number(round(value, 1))


def write_evaluation(
    evaluation: Evaluation,
    path: Path,
    spec: Spec,
    *,
    force: bool = False,
    created: dt.datetime | None = None,
) -> Path:
    """The same tables in a workbook, with shares and a chart of the stoplicht per thema;
    never over one of the files evaluated, nor over an existing file unless `force`."""
    guard_output(path, evaluation.inputs, force=force)
    colours = {term.naam: term.kleur for term in spec.statussen}
    with atomic_path(path, XlsxWriterException) as temp:
        workbook = text_safe_workbook(temp, created or now(), title=evaluation.title)
        fmt = Formats(workbook)
        _write_stoplicht(workbook, fmt, evaluation, colours)
        _write_attention(workbook, fmt, evaluation, colours)
        _write_koers(workbook, fmt, evaluation)
        _write_signing(workbook, fmt, evaluation)
        workbook.close()
    return path


def _write_stoplicht(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, str | None]
) -> None:
    """The Evaluatie sheet: the counts per thema, partij and corporatie with their shares,
    the collective afspraken the corporaties disagree on, and the chart per thema below."""
    bold, share = fmt(bold=True), fmt(num_format="0%")
    sheet = workbook.add_worksheet(EVALUATION_SHEET)
    sheet.write_string(0, 0, evaluation.title, fmt(bold=True, size=14))
    row = 2
    places = {}
    widths = _count_widths(evaluation)
    for table in tables(evaluation):
        places[table.name] = (row + 2, len(table.rows))
        _write_counts(sheet, fmt, row, table, evaluation.statuses, (bold, share), widths)
        row += len(table.rows) + 5
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    if evaluation.conflicts:
        _write_conflicts(sheet, fmt, row, evaluation.conflicts, widths)
        row += len(evaluation.conflicts) + 5
    chart = _stoplicht_chart(workbook, evaluation.statuses, places["Perthema"], colours)
    # Below the tables, never over a cell in use; on paper on a page of its own.
    place_charts(sheet, row + 1, [chart])
    sheet.set_h_pagebreaks([row])
    print_setup(sheet, repeat_columns=1, widths=widths, scale=SUMMARY_SCALE)


def _count_widths(evaluation: Evaluation) -> list[float]:
    """The columns of the count tables: the labels, then counts and shares, narrowed to one
    page wide (their headers wrap)."""
    header = ["", "Afspraken", *evaluation.statuses, *(f"% {s}" for s in evaluation.statuses)]
    floors = narrowest(header, [[0] * len(header)])  # no word of a header broken
    floors[0] = 26  # a thema's name on a line or two
    widths = [34.0] + [max(11.0, floor) for floor in floors[1:]]
    return paper_widths(widths, floors, SUMMARY_SCALE)


def _write_counts(
    sheet: Worksheet,
    fmt: Formats,
    row: int,
    table: Table,
    statuses: list[str],
    formats: tuple[Format, Format],
    widths: list[float],
) -> None:
    """A table of counts from `row` on: its title, its header, then per row the counts and
    the share of each status in the row's afspraken (`formats`: bold, and a share; `widths`:
    of the columns, for the header's height)."""
    bold, share = formats
    sheet.write_string(row, 0, table.title, bold)
    header = [*table.header, *(f"% {s}" for s in statuses)]
    sheet.write_row(row + 1, 0, header, fmt(bold=True, text_wrap=True, valign="top"))
    sheet.set_row(row + 1, row_height(zip(header, widths, strict=True)))
    number = fmt(**NUMBER_ROOM)
    for index, (label, (total, *counts)) in enumerate(_count_rows(table)):
        offset = row + 2 + index
        sheet.write_string(offset, 0, label, bold if index == len(table.rows) else None)
        sheet.write_row(offset, 1, [total, *counts], number)
        for col, count in enumerate(counts, start=len(table.header)):
            sheet.write_number(offset, col, count / total if total else 0, share)


def _write_conflicts(
    sheet: Worksheet, fmt: Formats, row: int, conflicts: list[Conflict], widths: list[float]
) -> None:
    """The collective afspraken whose corporaties gave different statuses, from `row` on, in
    the narrow columns (`widths`) of the counts above: Nummer and Thema one each, Partij and
    each corporatie two merged, so a name keeps its words whole; the afspraak runs on last."""
    sheet.write_string(row, 0, CONFLICT_TITLE, fmt(bold=True))
    corporaties = [c for c, _ in conflicts[0].statuses]
    spans = [(0, 0), (1, 1)] + [(2 + 2 * i, 3 + 2 * i) for i in range(len(corporaties) + 2)]
    spanned = [sum(widths[a : b + 1]) if b < len(widths) else 22.0 for a, b in spans]
    header, wrap = fmt(bold=True, text_wrap=True, valign="top"), fmt(text_wrap=True, valign="top")

    def write(line: int, values: list[str], style: Format, afspraak: str) -> None:
        for (first, last), value in zip(spans, values, strict=False):
            if first == last:
                sheet.write_string(line, first, value, style)
            else:
                sheet.merge_range(line, first, line, last, value, style)
        sheet.write_string(line, spans[len(values)][0], afspraak, fmt(valign="top"))
        sheet.set_row(line, row_height(zip(values, spanned, strict=False)))

    write(row + 1, ["Nummer", "Thema", "Partij", *corporaties], header, "Afspraak")
    for offset, conflict in enumerate(conflicts, start=row + 2):
        said = dict(conflict.statuses)
        values = [conflict.nummer, conflict.thema, conflict.partij]
        values += [said.get(c, "") for c in corporaties]
        write(offset, values, wrap, conflict.afspraak)
    note = f"Geteld als '{DIFFERENT_STATUS}'. Spreek samen af welke status klopt."
    sheet.write_string(row + len(conflicts) + 3, 0, note, fmt(italic=True))


def _stoplicht_chart(
    workbook: Workbook,
    statuses: list[str],
    place: tuple[int, int],
    colours: dict[str, str | None],
) -> Chart:
    """Per thema a bar stacked in the stoplicht's own colours, from the table at `place`
    (its first data row and its number of rows)."""
    first, count = place
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    for col, status in enumerate(statuses, start=2):
        series: dict[str, object] = {
            "name": [EVALUATION_SHEET, first - 1, col],
            "categories": [EVALUATION_SHEET, first, 0, first + count - 1, 0],
            "values": [EVALUATION_SHEET, first, col, first + count - 1, col],
        }
        if colours.get(status):
            series["fill"] = {"color": colours[status]}
            series["border"] = {"color": "#7F7F7F"}
        chart.add_series(series)
    chart.set_title({"name": "Stoplicht per thema"})
    chart.set_y_axis({"reverse": True})  # the themas top to bottom, as in the table
    chart.set_legend({"position": "bottom"})
    return chart


def _write_attention(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, str | None]
) -> None:
    """The Aandacht sheet: every rood and oranje afspraak, in its status's colour."""
    attention = workbook.add_worksheet(ATTENTION_SHEET)
    header = ["Status", "Corporatie", "Thema", "Partij", "Nummer", "Afspraak", "Trekker"]
    attention.write_row(0, 0, [*header, "Toelichting"], fmt(bold=True))
    fills = {
        s: fmt(bg_color=colours.get(s) or "#FFFFFF", valign="top")
        for s in evaluation.attention_statuses
    }
    fields = ("status", "corporatie", "thema", "partij", "nummer", "afspraak", "trekker")
    rows = [
        [getattr(item, name) for name in (*fields, "toelichting")]
        for item in evaluation.attention()
    ]
    widths = fit_widths([*header, "Toelichting"], rows, high=24)
    widths[5], widths[7] = 50, 36  # the afspraak and its toelichting wrap
    wrap = fmt(text_wrap=True, valign="top")
    for offset, values in enumerate(rows, start=1):
        attention.write_string(offset, 0, values[0], fills[values[0]])
        for col, value in enumerate(values[1:], start=1):
            attention.write_string(offset, col, value, wrap)
        height = row_height(zip(values, widths, strict=True))
        if height > LINE_HEIGHT:
            attention.set_row(offset, height)
    for col, width in enumerate(widths):
        attention.set_column(col, col, width)
    attention.freeze_panes(1, 0)
    print_setup(attention, repeat_row=0, widths=widths)
    attention.autofilter(0, 0, max(len(evaluation.attention()), 1), 7)


def signing_lines(evaluation: Evaluation) -> list[str]:
    """Per corporatie whether its jaarschijf was signed, and by whom not."""
    table = evaluation.signing
    if table is None:
        return []
    lines = ["Ondertekening van de jaarschijf:"]
    for corporatie, getekend, count, akkoord, voorbehoud, nee, open_ in table.rows:
        line = f"  {corporatie}: getekend {getekend} ({akkoord} van {count} partijen akkoord)"
        extra = [f"met voorbehoud: {voorbehoud}"] if voorbehoud else []
        extra += [f"geen akkoord: {nee}"] if nee else []
        extra += [f"nog open: {open_}"] if open_ else []
        lines.append(line + ("; " + "; ".join(extra) if extra else ""))
    return lines


def _write_signing(workbook: Workbook, fmt: Formats, evaluation: Evaluation) -> None:
    """The Ondertekening per corporatie on a sheet of its own."""
    table = evaluation.signing
    if table is None:
        return
    sheet = workbook.add_worksheet("Ondertekening")
    sheet.write_string(0, 0, table.title, fmt(bold=True, size=14))
    sheet.write_row(2, 0, table.header, fmt(bold=True))
    number = fmt(**NUMBER_ROOM)  # a count keeps room before a name beside it
    for row, values in enumerate(table.rows, start=3):
        for col, value in enumerate(values):
            sheet.write(row, col, value, number if isinstance(value, int | float) else None)
    sheet.write_string(len(table.rows) + 4, 0, table.note, fmt(italic=True))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 3, 10)
    sheet.set_column(4, 6, 30)
    print_setup(sheet, repeat_row=2)


def _write_koers(workbook: Workbook, fmt: Formats, evaluation: Evaluation) -> None:
    """The sheet Indicatoren: per standard indicator its richting and whether it moved in it."""
    sheet = workbook.add_worksheet("Indicatoren")
    sheet.write_string(0, 0, "Richting per indicator", fmt(bold=True, size=14))
    sheet.write_string(
        1,
        0,
        "De nulmeting tegen de realisatie van de afspraken met deze indicator in haar eenheid "
        "die beide hebben; een gezamenlijke afspraak één keer. Op koers: in de richting van de "
        "indicator bewogen, of op het beste eind van haar bereik gebleven.",
        fmt(italic=True),
    )
    header_row = 3
    sheet.write_row(header_row, 0, KOERS_HEADER, fmt(bold=True, text_wrap=True, valign="bottom"))
    number = fmt(num_format="#,##0.##", **NUMBER_ROOM)
    verdict = {
        ON_COURSE: fmt(bg_color="#C6EFCE"),
        OFF_COURSE: fmt(bg_color="#FFC7CE"),
    }
    for row, values in enumerate(koers_rows(evaluation), start=header_row + 1):
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                style = verdict.get(value) if KOERS_HEADER[col] == "Oordeel" else None
                sheet.write_string(row, col, value, style)
            else:
                sheet.write_number(row, col, value, number)
    last = header_row + max(len(evaluation.koers), 1)
    sheet.autofilter(header_row, 0, last, len(KOERS_HEADER) - 1)
    widths: list[float] = [7, 44, 12, 8, 9, 10, 12, 11, 11, 21, 13, 14]
    # An indicator's name on one line, not cut by the Eenheid beside it.
    widths[1] = fit_widths(KOERS_HEADER, koers_rows(evaluation), high=64)[1]
    sheet.set_row(header_row, row_height(zip(KOERS_HEADER, widths, strict=True)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header_row + 1, 2)
    print_setup(sheet, repeat_row=header_row, widths=widths)

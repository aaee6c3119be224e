"""The spring evaluation: how the afspraken of a jaarschijf stand, per thema, party and
corporatie, which ones need attention (rood first, then oranje) and how many SMART warnings
remain. It reads returned jaarschijven (validated as for merge) or a gezamenlijk overzicht that
merge wrote (through read_overview), and computes from the `Merged` either gives, the same way:
plain tables the CLI prints, and that write_evaluation() puts in a workbook with a chart.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.exceptions import XlsxWriterException

from pa_sheets.check.findings import FileReport
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import Merged, Table, merge_paths
from pa_sheets.merge.read_overview import is_overview, read_overview, smart_warnings
from pa_sheets.spec.model import Spec, load_spec
from pa_sheets.workbook.output import atomic_path, check_output
from pa_sheets.workbook.writer import Formats, now, print_setup, text_safe_workbook

NO_STATUS = "geen status"
# validate's SMART warnings (M001-M003), counted as the overview's table per corporatie counts
# them: by their family letter.
SMART_FAMILY = "M"


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


@dataclass
class Evaluation:
    title: str
    statuses: list[str]  # the stoplicht columns: the spec's statuses, then NO_STATUS
    # The statuses that need steering (spec: toelichting_verplicht), worst first: rood, oranje.
    attention_statuses: tuple[str, ...]
    afspraken: list[Afspraak]
    # Corporatie -> SMART warnings left in its workbook (validate's M001-M003). Counted per
    # corporatie, not per afspraak: an overview keeps no more than that.
    smart: dict[str, int] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)  # the files evaluated: never written over

    def by(self, name: str, key: Callable[[Afspraak], str]) -> Table:
        """Counts and shares of every status per group, with a totals row."""
        groups: dict[str, Counter[str]] = {}
        for item in self.afspraken:
            groups.setdefault(key(item), Counter())[item.status] += 1
        rows = []
        for group, counts in sorted(groups.items()):  # the same order whatever the source
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


def evaluate_paths(paths: Iterable[Path], *, spec: Spec | None = None) -> Evaluation:
    """The evaluation of returned jaarschijven, or of one gezamenlijk overzicht.

    Example: evaluate_paths([Path("terug-2027/")]).attention()
    """
    spec = spec or load_spec()
    paths = list(paths)
    if len(paths) == 1 and paths[0].is_file() and is_overview(paths[0]):
        merged = read_overview(paths[0], spec)
        return evaluate_merged(merged, _overview_smart(paths[0], merged), paths)
    merged = merge_paths(paths, spec=spec, allow_invalid=True)
    smart = {source.corporatie: _smart_findings(source.report) for source in merged.sources}
    return evaluate_merged(merged, smart, [s.path for s in merged.sources + merged.set_aside])


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
    afspraken = []
    for source, record in merged.records(merged.afspraak_blocks()):
        values = record.values
        status = values.get("status")
        afspraken.append(
            Afspraak(
                source.corporatie,
                record.thema,
                record.partij,
                str(values.get("nummer") or ""),
                str(values.get("afspraak") or ""),
                str(values.get("trekker") or ""),
                status if status in known else NO_STATUS,  # type: ignore[arg-type]
                str(values.get("toelichting") or ""),
            )
        )
    template = merged.template
    return Evaluation(
        f"Evaluatie jaarschijf {template.years[0]}, {template.gemeente}",
        _statuses(merged.spec),
        # The spec lists the statuses from good to bad: what will not be met comes first.
        tuple(reversed(merged.spec.statuses_needing_toelichting())),
        afspraken,
        {source.corporatie: smart.get(source.corporatie, 0) for source in merged.sources},
        inputs,
    )


def _statuses(spec: Spec) -> list[str]:
    return [term.naam for term in spec.statussen] + [NO_STATUS]


def _smart_findings(report: FileReport) -> int:
    return sum(finding.code.startswith(SMART_FAMILY) for finding in report.findings)


def _overview_smart(path: Path, merged: Merged) -> dict[str, int]:
    """The SMART warnings per corporatie as the overview counted them when it was made: it
    keeps their number per corporatie, not the findings (so not which afspraken they were on)."""
    per_number = smart_warnings(path)
    smart = {}
    for source in merged.sources:
        number = source.template.l_nummer  # type: ignore[union-attr]  # read from _bronnen
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


def text_evaluation(evaluation: Evaluation) -> str:
    """Compact tables for the terminal: counts, and the share of rood and oranje."""
    lines = [evaluation.title, ""]
    short = {"niet gestart": "niet gest.", "gerealiseerd": "gereal.", NO_STATUS: "geen"}
    for table in tables(evaluation):
        width = max(len(str(row[0])) for row in [table.header, *table.rows, table.totals])
        names = [short.get(s, s) for s in evaluation.statuses]
        lines.append(
            f"{table.header[0]:<{width}}  {'afspr.':>6} "
            + " ".join(f"{n:>10}" for n in names)
            + f" {'+'.join(evaluation.attention_statuses):>11}"
        )
        for row in [*table.rows, table.totals]:
            total = row[1] or 0
            lag = sum(
                row[2 + evaluation.statuses.index(status)] or 0
                for status in evaluation.attention_statuses
            )
            share = f"{lag / total:.0%}" if total else "-"
            lines.append(
                f"{row[0]!s:<{width}}  {total:>6} "
                + " ".join(f"{count:>10}" for count in row[2:])
                + f" {share:>11}"
            )
        lines.append("")
    attention = evaluation.attention()
    lines.append(f"Aandacht nodig: {len(attention)} afspraak/afspraken (rood eerst)")
    for item in attention:
        lines.append(f"  {item.status:<6} {item.nummer:<7} {item.corporatie}: {item.afspraak}")
        lines.append(
            f"         trekker: {item.trekker or '-'}; {item.toelichting or 'geen toelichting'}"
        )
    lines.append(f"SMART-waarschuwingen nog open: {evaluation.smart_warnings}")
    return "\n".join(lines)


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
    check_output(path, evaluation.inputs, force=force)
    colours = {term.naam: term.kleur for term in spec.statussen}
    with atomic_path(path, XlsxWriterException) as temp:
        workbook = text_safe_workbook(temp, created or now(), title=evaluation.title)
        fmt = Formats(workbook)
        bold = fmt(bold=True)
        share = fmt(num_format="0%")
        sheet = workbook.add_worksheet("Evaluatie")
        sheet.write_string(0, 0, evaluation.title, fmt(bold=True, size=14))
        row = 2
        places = {}
        for table in tables(evaluation):
            sheet.write_string(row, 0, table.title, bold)
            header = [*table.header, *(f"% {s}" for s in evaluation.statuses)]
            sheet.write_row(row + 1, 0, header, bold)
            places[table.name] = (row + 2, len(table.rows))
            for offset, values in enumerate([*table.rows, table.totals], start=row + 2):
                sheet.write_string(
                    offset, 0, str(values[0]), bold if values is table.totals else None
                )
                sheet.write_row(offset, 1, values[1:])
                total = values[1] or 0
                for col, count in enumerate(values[2:], start=len(table.header)):
                    sheet.write_number(offset, col, (count or 0) / total if total else 0, share)
            row += len(table.rows) + 5
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 2 * len(evaluation.statuses) + 2, 11)
        first, count = places["Perthema"]
        chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
        for col, status in enumerate(evaluation.statuses, start=2):
            series = {
                "name": ["Evaluatie", first - 1, col],
                "categories": ["Evaluatie", first, 0, first + count - 1, 0],
                "values": ["Evaluatie", first, col, first + count - 1, col],
            }
            if colours.get(status):
                series["fill"] = {"color": colours[status]}
                series["border"] = {"color": "#7F7F7F"}
            chart.add_series(series)
        chart.set_title({"name": "Stoplicht per thema"})
        chart.set_size({"width": 760, "height": 380})
        sheet.insert_chart(2, 2 * len(evaluation.statuses) + 4, chart)
        attention = workbook.add_worksheet("Aandacht")
        header = ["Status", "Corporatie", "Thema", "Partij", "Nummer", "Afspraak", "Trekker"]
        attention.write_row(0, 0, [*header, "Toelichting"], bold)
        fills = {
            s: fmt(bg_color=colours.get(s) or "#FFFFFF") for s in evaluation.attention_statuses
        }
        for offset, item in enumerate(evaluation.attention(), start=1):
            attention.write_string(offset, 0, item.status, fills[item.status])
            values = [item.corporatie, item.thema, item.partij, item.nummer, item.afspraak]
            for col, value in enumerate([*values, item.trekker, item.toelichting], start=1):
                attention.write_string(offset, col, value)
        attention.set_column(0, 4, 14)
        attention.set_column(5, 5, 60)
        attention.set_column(6, 7, 30)
        attention.freeze_panes(1, 0)
        print_setup(sheet)
        print_setup(attention, repeat_row=0)
        attention.autofilter(0, 0, max(len(evaluation.attention()), 1), 7)
        workbook.close()
    return path

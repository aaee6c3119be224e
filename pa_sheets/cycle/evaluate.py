"""The spring evaluation: how the afspraken of a jaarschijf stand, per thema, party and
corporatie, which ones need attention (rood first, then oranje) and how many SMART warnings
remain. It reads returned jaarschijven (validated as for merge) or a gezamenlijk overzicht that
merge wrote, and gives plain tables: the CLI prints them, write_evaluation() puts them in a
workbook with a chart.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pa_sheets.errors import OutputError, UsageError
from pa_sheets.merge.combine import Table, merge_paths
from pa_sheets.merge.overview import SUMMARY_SHEET
from pa_sheets.merge.read_overview import is_overview
from pa_sheets.spec.model import Spec, load_spec
from pa_sheets.workbook.output import atomic_path

NO_STATUS = "geen status"
ATTENTION = ("rood", "oranje")  # in this order: what will not be met comes first
AFSPRAAK_BLOCKS = ("going_concern", "nieuw")


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
    smart_gaps: int  # SMART warnings left on this row (validate's M001-M003)


@dataclass
class Evaluation:
    title: str
    statuses: list[str]  # the stoplicht columns: the spec's statuses, then NO_STATUS
    afspraken: list[Afspraak]

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
        found = [a for a in self.afspraken if a.status in ATTENTION]
        return sorted(
            found, key=lambda a: (ATTENTION.index(a.status), a.corporatie, a.thema, a.nummer)
        )

    @property
    def smart_warnings(self) -> int:
        return sum(a.smart_gaps for a in self.afspraken)


def evaluate_paths(paths: Iterable[Path], *, spec: Spec | None = None) -> Evaluation:
    """The evaluation of returned jaarschijven, or of one gezamenlijk overzicht.

    Example: evaluate_paths([Path("terug-2027/")]).attention()
    """
    spec = spec or load_spec()
    paths = list(paths)
    if len(paths) == 1 and paths[0].is_file() and is_overview(paths[0]):
        return _from_overview(paths[0], spec)
    return _from_workbooks(paths, spec)


def _statuses(spec: Spec) -> list[str]:
    return [term.naam for term in spec.statussen] + [NO_STATUS]


def _from_workbooks(paths: list[Path], spec: Spec) -> Evaluation:
    merged = merge_paths(paths, spec=spec, allow_invalid=True)
    if merged.kind != "jaarschijf":
        raise UsageError(
            f"{merged.sources[0].path} is een {merged.kind}: een bod heeft geen stoplicht. "
            "Evalueer de jaarschijven."
        )
    known = set(_statuses(spec))
    afspraken = []
    for source in merged.sources:
        gaps = Counter((f.sheet, f.row) for f in source.report.findings if f.code.startswith("M"))
        for record in source.records:
            if record.block not in AFSPRAAK_BLOCKS:
                continue
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
                    gaps[(record.sheet, record.row)],
                )
            )
    template = merged.template
    return Evaluation(
        f"Evaluatie jaarschijf {template.years[0]}, {template.gemeente}",
        _statuses(spec),
        afspraken,
    )


def _from_overview(path: Path, spec: Spec) -> Evaluation:
    """The afspraken on the thema sheets of a gezamenlijk overzicht (merge's xlsx)."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    known = set(_statuses(spec))
    headers = {column.header: key for key, column in spec.columns.items()}
    headers.update({"Corporatie": "corporatie", "Thema": "thema", "Partij": "partij"})
    headers.update({"Blok": "blok"})
    afspraken = []
    title = ""
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python()
        if name == SUMMARY_SHEET and len(rows) > 1:
            gemeente = str(rows[1][0]).split(" (")[0]
            title = str(rows[0][0]).replace("Gezamenlijk overzicht", "Evaluatie") + f", {gemeente}"
        if not rows or "Bronregel" not in rows[0] or "Status" not in rows[0]:
            continue
        keys = [headers.get(str(h), str(h)) for h in rows[0]]
        for row in rows[1:]:
            values = dict(zip(keys, row, strict=False))
            if not values.get("nummer"):
                continue  # the totals row under the table
            status = values.get("status") or NO_STATUS
            gaps = 0
            if values.get("blok") == "nieuw":
                gaps += not values.get("trekker")
                gaps += not values.get("planning")
                gaps += not (values.get("indicator") and values.get("streefwaarde") != "")
            afspraken.append(
                Afspraak(
                    str(values.get("corporatie", "")),
                    str(values.get("thema", "")),
                    str(values.get("partij", "")),
                    str(values["nummer"]),
                    str(values.get("afspraak", "")),
                    str(values.get("trekker", "")),
                    status if status in known else NO_STATUS,
                    str(values.get("toelichting", "")),
                    gaps,
                )
            )
    if not afspraken:
        raise UsageError(f"{path}: geen afspraken met een status gevonden in dit overzicht.")
    return Evaluation(title or f"Evaluatie {path.name}", _statuses(spec), afspraken)


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
            + f" {'rood+oranje':>11}"
        )
        for row in [*table.rows, table.totals]:
            total = row[1] or 0
            lag = (row[2 + evaluation.statuses.index("rood")] or 0) + (
                row[2 + evaluation.statuses.index("oranje")] or 0
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
    evaluation: Evaluation, path: Path, spec: Spec, *, force: bool = False
) -> Path:
    """The same tables in a workbook, with shares and a chart of the stoplicht per thema."""
    import xlsxwriter

    if path.exists() and not force:
        raise OutputError(f"{path} bestaat al; gebruik --force om te overschrijven.")
    colours = {term.naam: term.kleur for term in spec.statussen}
    with atomic_path(path) as temp:
        workbook = xlsxwriter.Workbook(
            str(temp),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        workbook.set_properties({"title": evaluation.title, "created": dt.datetime.now()})
        bold = workbook.add_format({"bold": True})
        share = workbook.add_format({"num_format": "0%"})
        sheet = workbook.add_worksheet("Evaluatie")
        sheet.write_string(0, 0, evaluation.title, workbook.add_format({"bold": True, "size": 14}))
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
            s: workbook.add_format({"bg_color": colours.get(s) or "#FFFFFF"}) for s in ATTENTION
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
        attention.autofilter(0, 0, max(len(evaluation.attention()), 1), 7)
        workbook.close()
    return path

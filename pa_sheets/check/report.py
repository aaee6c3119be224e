"""Present a validation Report: as text for a person, as JSON for tools, and as an annotated
copy of each workbook that can go straight back to the party that filled it in."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pa_sheets.check.findings import ERROR, FileReport, Finding, Report, Signing
from pa_sheets.errors import UnusableWorkbook
from pa_sheets.workbook.meta import CONTROL_SHEET
from pa_sheets.workbook.output import atomic_path, check_output
from pa_sheets.workbook.writer import display_text, row_height, text_lines

if TYPE_CHECKING:  # openpyxl is loaded only to annotate: validate itself never needs it
    from openpyxl.styles import Border
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SEVERITY_WORDS = {ERROR: "fout", "warning": "waarschuwing"}
# A finding is marked by a thick border in these colours, never by a fill: a fill would look
# like a stoplicht status (rood, oranje) in the cell.
ERROR_BORDER, WARNING_BORDER = "C00000", "ED7D31"
ANNOTATED_SUFFIX = "-controle"
COMMENT_CHARACTERS = 48  # about what a comment box 320 pixels wide holds on a line
MESSAGE_WIDTH = 70  # with the other columns one A4 landscape page wide at ~90 %
FONT = "Calibri"  # the generated workbooks' own: one family throughout
CONTROL_HEADER_ROW = 7  # the Controle sheet: a title, a legend, then the table from here
CONTROL_HEADERS = ["Ernst", "Code", "Tabblad", "Cel", "Kolom", "Waarde", "Melding"]
CONTROL_WIDTHS = (13, 7, 16, 7, 18, 28, MESSAGE_WIDTH)
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's grid
SIDES = ("left", "right", "top", "bottom")


def text_report(report: Report, color: bool = False) -> str:
    """Per file and sheet, errors first, then a one-line verdict per file."""
    lines: list[str] = []
    for file in report.files:
        lines.append(click.style(str(file.path), bold=True) if color else str(file.path))
        if file.unusable:
            lines.append("  " + _style(f"onbruikbaar: {file.unusable}", "red", color))
            continue
        by_sheet: dict[str, list[Finding]] = {}
        for item in file.findings:
            by_sheet.setdefault(item.sheet or "(werkboek)", []).append(item)
        for sheet, items in by_sheet.items():
            lines.append(f"  {sheet}")
            for item in sorted(items, key=lambda f: f.severity != ERROR):
                where = item.cell or (f"regel {item.row}" if item.row else "")
                word = SEVERITY_WORDS[item.severity]
                label = _style(f"{word:<12}", "red" if item.severity == ERROR else "yellow", color)
                column = f"{item.column}: " if item.column else ""
                lines.append(f"    {where:<6} {label} {item.code}  {column}{item.message}")
        lines.append("  " + _verdict(file, report.strict, color))
        if file.signing is not None:
            lines.append("  " + signing_line(file.signing))
    if report.source_note and report.files:
        lines.append(report.source_note)
    valid = sum(f.valid(report.strict) for f in report.files)
    lines.append(f"{valid} van {len(report.files)} werkboek(en) in orde.")
    return "\n".join(lines)


def signing_line(signing: Signing) -> str:
    """One line on who signed: 'getekend: ...' or 'nog niet getekend: ...'."""
    parties = signing.parties
    if signing.signed:
        with_voorbehoud = [p.partij for p in parties if p.voorbehoud]
        extra = f" ({len(with_voorbehoud)} met voorbehoud)" if with_voorbehoud else ""
        return f"getekend: alle {len(parties)} partijen akkoord{extra}"
    refused = [str(p.partij) for p in parties if p.akkoord == "geen akkoord"]
    open_ = [str(p.partij) for p in parties if not p.akkoord]
    parts = ([f"geen akkoord van {', '.join(refused)}"] if refused else []) + (
        [f"nog open bij {', '.join(open_)}"] if open_ else []
    )
    return "nog niet getekend: " + ("; ".join(parts) or "de ondertekening is nog niet in orde")


def json_report(report: Report) -> str:
    """Exactly Report.to_dict(), as JSON."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def annotate(file: FileReport, out_dir: Path, inputs: Iterable[Path] = ()) -> Path | None:
    """Write a copy of the file with a thick red (error) or orange (warning) border round each
    cell with a finding, its message as a comment, and a first sheet Controle: a title, a
    legend, and every finding with a link to its cell. The
    returned file itself and the other `inputs` of the run are never touched; an earlier copy
    is replaced. Nothing is written for an unusable file."""
    if file.unusable:
        return None
    target = out_dir / f"{file.path.stem}{ANNOTATED_SUFFIX}.xlsx"
    out_dir.mkdir(parents=True, exist_ok=True)
    check_output(target, [file.path, *inputs], force=True)
    workbook = _load(file)
    marks = _marks()
    _mark_cells(workbook, file, marks)
    _write_control_sheet(workbook, file, marks)
    with atomic_path(target) as temp:
        workbook.save(temp)
    return target


def _load(file: FileReport) -> "Workbook":
    """The returned workbook, opened with openpyxl to be written again."""
    import openpyxl

    try:
        # From a handle: openpyxl, like calamine, would choose by the name (validate has
        # decided from the content that this is an .xlsx).
        with file.path.open("rb") as handle:
            return openpyxl.load_workbook(handle)
    except Exception:  # openpyxl is stricter than the reader: a damaged part, odd XML
        raise UnusableWorkbook(
            f"{file.path}: geen kopie met opmerkingen mogelijk; het werkboek is beschadigd. "
            "De bevindingen hierboven gelden wel."
        ) from None


def _marks() -> "dict[str, Border]":
    """Severity -> the thick border that marks a cell with a finding of that severity."""
    from openpyxl.styles import Border, Side

    return {
        sev: Border(**{side: Side(style="thick", color=colour) for side in SIDES})
        for sev, colour in ((ERROR, ERROR_BORDER), ("warning", WARNING_BORDER))
    }


def _mark_cells(workbook: "Workbook", file: FileReport, marks: "dict[str, Border]") -> None:
    """Each cell with findings: the border of the worst, every message in one comment."""
    from openpyxl.comments import Comment

    comments: dict[tuple[str, str], list[Finding]] = {}
    for item in file.findings:
        if item.sheet in workbook.sheetnames and _on_grid(item.cell):
            comments.setdefault((item.sheet, item.cell), []).append(item)
    for (sheet, cell), items in comments.items():
        target_cell = _writable(workbook[sheet], cell)
        worst = ERROR if any(i.severity == ERROR for i in items) else "warning"
        target_cell.border = marks[worst]
        text = "\n".join(f"{i.code}: {i.message}" for i in items)
        # A comment box does not grow with its text either: X005 holds two afspraak texts.
        height = max(120, 15 * text_lines(text, COMMENT_CHARACTERS) + 10)
        target_cell.comment = Comment(text, "pa-sheets", width=320, height=height)


def _write_control_sheet(
    workbook: "Workbook", file: FileReport, marks: "dict[str, Border]"
) -> None:
    """The sheet Controle, first and active: title, legend, and the findings as a table."""
    if CONTROL_SHEET in workbook.sheetnames:
        del workbook[CONTROL_SHEET]
    control = workbook.create_sheet(CONTROL_SHEET, 0)
    _write_intro(control, file, marks)
    _write_findings(control, workbook, file, marks)
    _set_page(control)
    workbook.active = 0
    for sheet in workbook.worksheets[1:]:
        sheet.sheet_view.tabSelected = False


def _write_intro(control: "Worksheet", file: FileReport, marks: "dict[str, Border]") -> None:
    """The title, what was found, and the legend of the marks."""
    from openpyxl.styles import Font

    plain = Font(name=FONT, size=10)
    errors, warnings = len(file.errors), len(file.warnings)
    intro = [
        (f"Controle van {file.path.name}", Font(name=FONT, size=14, bold=True)),
        (
            f"{errors} fout(en) en {warnings} waarschuwing(en); elke bevinding staat hieronder, "
            "met een koppeling naar haar cel.",
            plain,
        ),
        (
            "De melding staat ook als opmerking bij de cel. Een kleur in een cel is een status "
            "van het stoplicht, geen bevinding.",
            plain,
        ),
    ]
    for row, (text, font) in enumerate(intro, start=1):
        control.cell(row, 1, text).font = font
    # The legend: each mark in its own cell, as the Ernst column shows it, the words beside it.
    legend = [
        (ERROR, "de cel heeft een dikke rode rand. Herstel hem voor u het werkboek terugstuurt."),
        ("warning", "de cel heeft een dikke oranje rand. Kijk of het klopt."),
    ]
    for row, (severity, text) in enumerate(legend, start=len(intro) + 1):
        mark = control.cell(row, 1, SEVERITY_WORDS[severity])
        mark.font, mark.border = plain, marks[severity]
        control.cell(row, 2, text).font = plain


def _write_findings(
    control: "Worksheet", workbook: "Workbook", file: FileReport, marks: "dict[str, Border]"
) -> None:
    """Every finding on a row of its own, with a link to its cell when the cell exists."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    plain, bold = Font(name=FONT, size=10), Font(name=FONT, size=10, bold=True)
    top = Alignment(wrap_text=True, vertical="top")
    for col, header in enumerate(CONTROL_HEADERS, start=1):
        control.cell(CONTROL_HEADER_ROW, col, header).font = bold
    for row, item in enumerate(file.findings, start=CONTROL_HEADER_ROW + 1):
        values = [
            SEVERITY_WORDS[item.severity],
            item.code,
            item.sheet,
            item.cell,
            item.column,
            item.value,
            item.message,
        ]
        for col, value in enumerate(values, start=1):
            cell = control.cell(row, col)
            _text(cell, value)
            cell.font, cell.alignment = plain, top
        control.cell(row, 1).border = marks[item.severity]
        # Spreadsheet programs do not grow a row for wrapped text by themselves.
        control.row_dimensions[row].height = row_height(
            zip([display_text(v) for v in values[5:]], CONTROL_WIDTHS[5:], strict=True), size=10
        )
        if item.sheet in workbook.sheetnames and _on_grid(item.cell):
            link = control.cell(row, 4)
            # A location inside the workbook, not a "#..." target: that one LibreOffice
            # rewrites as 'BT%20Linde'!D23 on saving.
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{item.sheet}'!{item.cell}")
            link.font = Font(name=FONT, size=10, color="0563C1", underline="single")


def _set_page(control: "Worksheet") -> None:
    """Column widths, frozen header, and a print of A4 landscape pages one page wide."""
    for letter, width in zip("ABCDEFG", CONTROL_WIDTHS, strict=True):
        control.column_dimensions[letter].width = width
    control.freeze_panes = f"A{CONTROL_HEADER_ROW + 1}"
    control.page_setup.orientation = "landscape"
    control.page_setup.paperSize = control.PAPERSIZE_A4
    control.page_margins.left = control.page_margins.right = 0.4
    control.page_setup.fitToHeight = 0
    control.sheet_properties.pageSetUpPr.fitToPage = True
    control.print_title_rows = f"{CONTROL_HEADER_ROW}:{CONTROL_HEADER_ROW}"
    control.oddFooter.left.text = "&A"
    control.oddFooter.right.text = "Pagina &P van &N"


def _writable(sheet, cell: str):
    """The cell itself, or for a cell inside merged cells the first of them: only that one
    can hold a fill and a comment."""
    for merged in sheet.merged_cells.ranges:
        if cell in merged:
            return sheet.cell(merged.min_row, merged.min_col)
    return sheet[cell]


def _on_grid(cell: str | None) -> bool:
    """Whether a finding's cell exists in a spreadsheet (a damaged file can name A1048577)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    if not cell:
        return False
    row, col = coordinate_to_tuple(cell)
    return row <= MAX_ROW and col <= MAX_COLUMN


def _text(cell, value: object) -> None:
    """Text from a returned workbook stays text: '=...' must never become a formula."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return
    if isinstance(value, bool | int | float):
        cell.value = value
        return
    # Control characters are not allowed in a cell: show them as \x00 rather than fail.
    cell.value = ILLEGAL_CHARACTERS_RE.sub(lambda m: repr(m.group())[1:-1], str(value))
    cell.data_type = "s"


def _verdict(file: FileReport, strict: bool, color: bool) -> str:
    counts = f"{len(file.errors)} fout(en), {len(file.warnings)} waarschuwing(en)"
    if file.valid(strict):
        return _style(f"in orde ({counts})", "green", color)
    return _style(f"niet in orde: {counts}", "red", color)


def _style(text: str, colour: str, color: bool) -> str:
    return click.style(text, fg=colour) if color else text

"""Present a validation Report: as text for a person, as JSON for tools, and as an annotated
copy of each workbook that can go straight back to the party that filled it in."""

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

import click

from pa_sheets.check.findings import ERROR, FileReport, Finding, Report, Signing
from pa_sheets.check.safety import DEFAULT_LIMITS
from pa_sheets.display import name, one_line
from pa_sheets.errors import OutputError, UnusableWorkbook
from pa_sheets.workbook.meta import CONTROL_SHEET
from pa_sheets.workbook.output import atomic_path, fit_name, guard_output, output_path, short_hash
from pa_sheets.workbook.writer import TEXT_PER_DIGIT, display_text, row_height, text_lines

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


def text_report(report: Report, color: bool = False) -> str:
    """Per file and sheet, errors first, then a one-line verdict per file."""
    lines: list[str] = []
    for file in report.files:
        # A name, a sheet or a cell may hold a newline: each is shown on its own line, escaped,
        # so that a file cannot print a verdict of its own ("in orde").
        header = name(file.path)
        lines.append(click.style(header, bold=True) if color else header)
        if file.unusable:
            lines.append("  " + _style(f"onbruikbaar: {one_line(file.unusable)}", "red", color))
            continue
        by_sheet: dict[str, list[Finding]] = {}
        for item in file.findings:
            by_sheet.setdefault(item.sheet or "(werkboek)", []).append(item)
        for sheet, items in by_sheet.items():
            lines.append(f"  {one_line(sheet)}")
            for item in sorted(items, key=lambda f: f.severity != ERROR):
                where = item.cell or (f"regel {item.row}" if item.row else "")
                word = SEVERITY_WORDS[item.severity]
                label = _style(f"{word:<12}", "red" if item.severity == ERROR else "yellow", color)
                column = f"{item.column}: " if item.column else ""
                text = one_line(f"{column}{item.message}")
                lines.append(f"    {where:<6} {label} {item.code}  {text}")
        lines.append("  " + _verdict(file, report.strict, color))
        if file.signing is not None:
            lines.append("  " + signing_line(file.signing))
    if report.source_note and report.files:
        lines.append(report.source_note)
    valid = sum(f.valid(report.strict) and not f.empty for f in report.files)
    empty = sum(f.valid(report.strict) and f.empty for f in report.files)
    blank = f", {empty} leeg (niets ingevuld)" if empty else ""
    lines.append(f"{valid} van {len(report.files)} werkboek(en) in orde{blank}.")
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
    is replaced, any other file of that name is not (see sealed_copy). Nothing is written for
    an unusable file."""
    if file.unusable:
        return None
    inputs = list(inputs)
    target = output_path(out_dir, annotated_name(file.path, inputs))
    out_dir.mkdir(parents=True, exist_ok=True)
    guard_output(target, [file.path, *inputs], force=True)
    if target.exists() and not sealed_copy(target):
        raise OutputError(
            f"{target} bestaat al en is geen kopie met bevindingen van pa-sheets (of is sindsdien "
            "bewaard); die wordt niet overschreven. Verwijder het zelf of kies een andere map "
            "voor --annotate."
        )
    workbook = _load(file)
    marks = _marks()
    _mark_cells(workbook, file, marks)
    _write_control_sheet(workbook, file, marks)
    with atomic_path(target) as temp:
        temp.write_bytes(_sealed(workbook))
    return target


def annotated_name(path: Path, inputs: Iterable[Path] = ()) -> str:
    """linde.xlsx -> linde-controle.xlsx, at most NAME_BYTES long. When another input of the
    run has the same name (terug/a/linde.xlsx, terug/b/linde.xlsx), each copy's name carries a
    short hash of its own file's full path, so neither copy replaces the other."""
    stem, own = path.stem, path.resolve()
    if any(p.stem.casefold() == stem.casefold() and p.resolve() != own for p in inputs):
        stem = f"{stem}-{short_hash(str(own))}"
    return fit_name(stem, f"{ANNOTATED_SUFFIX}.xlsx")


# The annotated copy carries, as a custom document property, a hash of its content parts.
# An existing file is pa-sheets' own copy, to be replaced, only when that hash still matches:
# a returned workbook never has it, and a copy opened and saved in Excel or LibreOffice (a
# party that fixed its findings in the copy and sent it back) no longer matches either.
COPY_MARK = "pa-sheets-kopie"
COPY_MAX_BYTES = 256 * 1024 * 1024  # unpacked: far above any copy, and hashed in about a second
_CUSTOM_PART = "docProps/custom.xml"
_MARK_VALUE = re.compile(
    rb'(name="' + COPY_MARK.encode() + rb'"[^>]*>\s*<vt:lpwstr>)([0-9a-f]{64})(</vt:lpwstr>)'
)


def _sealed(workbook: "Workbook") -> bytes:
    """The workbook as xlsx bytes, with COPY_MARK set to the hash of its other parts."""
    from openpyxl.packaging.custom import StringProperty

    properties = workbook.custom_doc_props  # type: ignore[attr-defined]  # openpyxl 3.1
    if COPY_MARK in properties.names:  # a mark from elsewhere is not ours
        del properties[COPY_MARK]
    properties.append(StringProperty(name=COPY_MARK, value="0" * 64))
    saved = io.BytesIO()
    workbook.save(saved)
    sealed = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(sealed, "w") as target:
        digest = _parts_hash(source)
        for info in source.infolist():
            data = source.read(info)
            if info.filename == _CUSTOM_PART:
                data = _MARK_VALUE.sub(lambda m: m[1] + digest.encode() + m[3], data)
            target.writestr(info, data)
    return sealed.getvalue()


def sealed_copy(path: Path) -> bool:
    """Whether `path` is an annotated copy pa-sheets wrote and nobody saved since."""
    try:
        if not path.is_file() or path.stat().st_size > DEFAULT_LIMITS.max_file_bytes:
            return False  # a FIFO or a device is never ours, and never opened
        with zipfile.ZipFile(path) as archive:
            if archive.getinfo(_CUSTOM_PART).file_size > 1024 * 1024:
                return False
            found = _MARK_VALUE.search(archive.read(_CUSTOM_PART))
            return found is not None and found[2].decode() == _parts_hash(archive)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError):
        return False


def _parts_hash(archive: zipfile.ZipFile) -> str:
    """sha256 over the name and content of every part but the document properties, within
    the bounds validate reads a workbook in (a large or odd file is simply not a copy of ours)."""
    # Not the document properties: their times differ on every save, the content does not.
    parts = [info for info in archive.infolist() if not info.filename.startswith("docProps/")]
    if sum(i.file_size for i in parts) > COPY_MAX_BYTES:
        raise ValueError("te groot")
    digest = hashlib.sha256()
    for info in sorted(parts, key=lambda i: i.filename):
        digest.update(f"{info.filename}\0{info.file_size}\0".encode())
        with archive.open(info) as part:
            for chunk in iter(lambda: part.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


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

    def thick(colour: str) -> Border:
        left, right, top, bottom = (Side(style="thick", color=colour) for _ in range(4))
        return Border(left=left, right=right, top=top, bottom=bottom)

    return {
        sev: thick(colour) for sev, colour in ((ERROR, ERROR_BORDER), ("warning", WARNING_BORDER))
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
        # text_lines counts a column's width in digits: the box holds COMMENT_CHARACTERS.
        lines = text_lines(text, COMMENT_CHARACTERS / TEXT_PER_DIGIT)
        height = max(120, 15 * lines + 10)
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
    """Every finding on a row of its own, errors first (in their order), with a link to its
    cell when the cell exists."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    plain, bold = Font(name=FONT, size=10), Font(name=FONT, size=10, bold=True)
    # Left, numbers too: a number on the right of its cell would run into the message.
    top = Alignment(wrap_text=True, vertical="top", horizontal="left")
    for col, header in enumerate(CONTROL_HEADERS, start=1):
        control.cell(CONTROL_HEADER_ROW, col, header).font = bold
    errors_first = sorted(file.findings, key=lambda item: item.severity != ERROR)
    for row, item in enumerate(errors_first, start=CONTROL_HEADER_ROW + 1):
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
    fit, footer = control.sheet_properties.pageSetUpPr, control.oddFooter
    assert fit is not None and footer is not None  # openpyxl makes both with every sheet
    fit.fitToPage = True
    control.print_title_rows = f"{CONTROL_HEADER_ROW}:{CONTROL_HEADER_ROW}"
    footer.left.text = "&A"
    footer.right.text = "Pagina &P van &N"


def _writable(sheet, cell: str):
    """The cell itself, or for a cell inside merged cells the first of them: only that one
    can hold a fill and a comment."""
    for merged in sheet.merged_cells.ranges:
        if cell in merged:
            return sheet.cell(merged.min_row, merged.min_col)
    return sheet[cell]


def _on_grid(cell: str | None) -> TypeGuard[str]:
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
    if file.valid(strict) and file.empty:
        return _style(f"leeg: er is niets ingevuld ({counts})", "yellow", color)
    if file.valid(strict):
        return _style(f"in orde ({counts})", "green", color)
    return _style(f"niet in orde: {counts}", "red", color)


def _style(text: str, colour: str, color: bool) -> str:
    return click.style(text, fg=colour) if color else text

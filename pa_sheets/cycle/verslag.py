"""Per corporatie its section for the volkshuisvestingsverslag (Woningwet art. 36a, Btiv art.
32 lid 1): its afspraken, its realisatie, the judgement and its toelichting, with room for the
zienswijzen of gemeente and huurdersorganisatie (art. 38). As lines for the text report, and
as a workbook of its own beside the evaluation (issue 27: in the evaluation it doubled its
pages), which the evaluation's Verslag sheet points to.
"""

import datetime as dt
from collections import Counter
from pathlib import Path

from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pa_sheets.cycle.evaluate import Afspraak, Evaluation
from pa_sheets.cycle.evaluation_tables import judgement_text, shown, target_cell
from pa_sheets.spec.palette import Swatch
from pa_sheets.workbook.output import (
    atomic_path,
    fit_name,
    name_part,
    output_path,
    refuse_same_names,
)
from pa_sheets.workbook.writer import (
    LINE_HEIGHT,
    NUMBER_ROOM,
    Formats,
    print_setup,
    row_height,
    text_safe_workbook,
)

VERSLAG_SHEET = "Verslag"
VERSLAG_TITLE = "Voor het volkshuisvestingsverslag"
VERSLAG_NOTE = (
    "De evaluatie van de prestatieafspraken is deel van het volkshuisvestingsverslag van de "
    "corporatie (Woningwet art. 36a, Btiv art. 32 lid 1). Gemeente en huurdersorganisatie "
    "kunnen er een zienswijze op geven (Woningwet art. 38)."
)
VERSLAG_HEADER = [
    "Thema",
    "Nummer",
    "Afspraak",
    "Indicator",
    "Eenheid",
    "Streefwaarde",
    "Mijlpaal",
    "Planning",
    "Realisatie",
    "Status",
    "Oordeel",
    "Toelichting",
]
VERSLAG_WIDTHS = [7, 8, 36, 18, 11, 12, 9, 11, 10, 13, 30, 30]
TARGET_COLUMN, PLANNING_COLUMN, STATUS_COLUMN, JUDGEMENT_COLUMN = map(
    VERSLAG_HEADER.index, ("Streefwaarde", "Planning", "Status", "Oordeel")
)
ZIENSWIJZEN = ("Zienswijze van de gemeente", "Zienswijze van de huurdersorganisatie")


def verslag_rows(items: list[Afspraak]) -> list[list[object]]:
    """A corporatie's afspraken under VERSLAG_HEADER: what was agreed (a bandbreedte as
    '100 tot 150'), its own realisatie, and the judgement (of a collective afspraak: of the
    contributions together)."""
    return [
        [
            a.thema,
            a.nummer,
            a.afspraak,
            a.indicator,
            a.eenheid,
            target_cell(a.streefwaarde, a.streefwaarde_tot),
            a.mijlpaal,
            a.planning,
            a.realisatie,
            a.status,
            judgement_text(a),
            a.toelichting,
        ]
        for a in items
    ]


def verslag_lines(evaluation: Evaluation) -> list[str]:
    """Per corporatie its section for the volkshuisvestingsverslag, for the terminal."""
    lines = ["", f"{VERSLAG_TITLE} (per corporatie)", VERSLAG_NOTE]
    for corporatie, items in evaluation.verslag().items():
        lines += ["", f"{corporatie}: {len(items)} afspraken"]
        for item in items:
            own = "" if item.realisatie is None else f"; realisatie {shown(item.realisatie)}"
            lines.append(f"  {item.nummer:<7} {item.status:<13} {judgement_text(item)}{own}")
            if item.toelichting:
                lines.append(f"          {item.toelichting}")
    return lines


def verslag_paths(evaluation: Evaluation, path: Path) -> dict[str, Path]:
    """Per corporatie the workbook of its Verslag, beside the evaluation at `path` and named
    after it, so that two evaluations in one folder keep theirs apart: evaluatie-2027.xlsx ->
    evaluatie-2027-verslag-woonstichting-de-linde.xlsx. Two corporaties whose names give one
    file name are refused, before anything is written.

    Example: verslag_paths(evaluation, Path("uit/evaluatie-2027.xlsx"))
    """
    stem = path.name.removesuffix(path.suffix) or path.name
    paths = {
        corporatie: output_path(
            path.parent,
            fit_name(f"{stem}-verslag-{name_part(corporatie, keep_apart=True)}", ".xlsx"),
        )
        for corporatie in evaluation.verslag()
    }
    refuse_same_names([(target, corporatie) for corporatie, target in paths.items()])
    return paths


def write_verslag(
    evaluation: Evaluation,
    corporatie: str,
    path: Path,
    colours: dict[str, Swatch],
    created: dt.datetime,
) -> Path:
    """The workbook a corporatie takes into its volkshuisvestingsverslag: a sheet with its
    afspraken, realisatie, judgement and toelichting, printed one page wide with its header
    row on every page, and a sheet with room for the zienswijzen. The caller guards `path`
    first."""
    items = evaluation.verslag()[corporatie]
    with atomic_path(path, XlsxWriterException) as temp:
        title = f"{corporatie}: {VERSLAG_TITLE}"
        workbook = text_safe_workbook(temp, created, title=title)
        fmt = Formats(workbook)
        sheet = workbook.add_worksheet(VERSLAG_SHEET)
        header_row = _write_section(sheet, fmt, corporatie, items, evaluation, colours)
        for col, width in enumerate(VERSLAG_WIDTHS):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(header_row + 1, 0)
        # Whose pages these are, on every page: a page is often read on its own.
        print_setup(
            sheet,
            repeat_row=header_row,
            header="&C" + _page_header(corporatie),
            widths=VERSLAG_WIDTHS,
        )
        sheet.fit_to_pages(1, 0)  # a section to take into a report: its columns on one page
        _write_zienswijzen(workbook, fmt, corporatie, evaluation.title)
        workbook.close()
    return path


def summary_text(items: list[Afspraak]) -> str:
    """'20 afspraken. Status: 12 groen, 3 oranje. Oordeel: 5 op koers, 2 achter.'"""
    statuses = Counter(item.status for item in items)
    oordelen = Counter(item.oordeel.oordeel for item in items)
    said = ", ".join(f"{count} {status}" for status, count in statuses.most_common())
    judged = ", ".join(f"{count} {oordeel}" for oordeel, count in oordelen.most_common())
    return f"{len(items)} afspraken. Status: {said or '-'}. Oordeel: {judged or '-'}."


def _write_section(
    sheet: Worksheet,
    fmt: Formats,
    corporatie: str,
    items: list[Afspraak],
    evaluation: Evaluation,
    colours: dict[str, Swatch],
) -> int:
    """A corporatie's section: title, note, summary and its afspraken under VERSLAG_HEADER.
    Returns the header's row."""
    wrap = fmt(text_wrap=True, valign="top")
    # A text after a number (the planning after the mijlpaal) or after a status's coloured
    # (or dashed) cell a little apart from it.
    apart = fmt(text_wrap=True, valign="top", align="left", indent=1)
    number = fmt(num_format="#,##0.##", valign="top", **NUMBER_ROOM)
    bounds = fmt(text_wrap=True, valign="top", **NUMBER_ROOM)  # a bandbreedte: '100 tot 150'
    heading = fmt(bold=True, text_wrap=True, valign="bottom", bottom=1)
    looks = {TARGET_COLUMN: bounds, PLANNING_COLUMN: apart, JUDGEMENT_COLUMN: apart}
    # What a text has of its column to wrap in: an indented one a character less.
    indented = (TARGET_COLUMN, PLANNING_COLUMN, STATUS_COLUMN, JUDGEMENT_COLUMN)
    room = [width - (col in indented) for col, width in enumerate(VERSLAG_WIDTHS)]
    sheet.write_string(0, 0, f"{corporatie}: {evaluation.title}", fmt(bold=True, size=14))
    last = len(VERSLAG_HEADER) - 1
    note = f"{VERSLAG_TITLE}. {VERSLAG_NOTE}"
    for row, text in ((1, note), (2, summary_text(items))):
        sheet.merge_range(row, 0, row, last, text, fmt(italic=row == 1, text_wrap=True))
        sheet.set_row(row, row_height([(text, sum(VERSLAG_WIDTHS))]))
    header_row = row = 4
    sheet.write_row(row, 0, VERSLAG_HEADER, heading)
    sheet.set_row(row, row_height(zip(VERSLAG_HEADER, VERSLAG_WIDTHS, strict=True)))
    row += 1
    for values in verslag_rows(items):
        status = str(values[STATUS_COLUMN])
        for col, value in enumerate(values):
            if isinstance(value, float):
                sheet.write_number(row, col, value, number)
            elif col == STATUS_COLUMN and status in colours:
                sheet.write_string(
                    row,
                    col,
                    status,
                    fmt(
                        **colours[status].cell(),
                        text_wrap=True,
                        valign="top",
                        align="left",
                        indent=1,
                    ),
                )
            elif value not in (None, ""):
                sheet.write_string(row, col, str(value), looks.get(col, wrap))
        height = row_height(zip(values, room, strict=True))
        if height > LINE_HEIGHT:
            sheet.set_row(row, height)
        row += 1
    return header_row


ZIENSWIJZEN_SHEET = "Zienswijzen"
ZIENSWIJZE_ROWS = 8  # the box for a zienswijze, in rows: room to write in by hand too


def _write_zienswijzen(workbook: Workbook, fmt: Formats, corporatie: str, title: str) -> None:
    """Room for the zienswijzen of gemeente and huurdersorganisatie, on a sheet of its own:
    on paper a page of their own, never cut between two pages or under the table's header."""
    sheet = workbook.add_worksheet(ZIENSWIJZEN_SHEET)
    last = len(VERSLAG_WIDTHS) - 1
    sheet.write_string(0, 0, f"{corporatie}: {title}", fmt(bold=True, size=14))
    note = (
        "Gemeente en huurdersorganisatie kunnen een zienswijze geven op het "
        "volkshuisvestingsverslag van de corporatie en de evaluatie van de prestatieafspraken "
        "daarin (Woningwet art. 38)."
    )
    sheet.merge_range(1, 0, 1, last, note, fmt(italic=True, text_wrap=True))
    sheet.set_row(1, row_height([(note, sum(VERSLAG_WIDTHS))]))
    row = 3
    for label in ZIENSWIJZEN:
        sheet.write_string(row, 0, f"{label}:", fmt(bold=True))
        sheet.merge_range(row + 1, 0, row + ZIENSWIJZE_ROWS, last, "", fmt(border=1))
        row += ZIENSWIJZE_ROWS + 3
    for col, width in enumerate(VERSLAG_WIDTHS):
        sheet.set_column(col, col, width)
    print_setup(sheet, header="&C" + _page_header(corporatie), widths=VERSLAG_WIDTHS)
    sheet.fit_to_pages(1, 0)


def _page_header(corporatie: str) -> str:
    """A corporatie's name as a page header: whose pages these are, also read on their own."""
    return fit_name(corporatie, limit=100).replace("&", "&&")


POINTER_HEADER = ["Corporatie", "Afspraken", "Werkboek"]
POINTER_WIDTHS = [34, 11, 70]
POINTER_NOTE = (
    "Elke corporatie heeft een eigen werkboek naast deze evaluatie, om in haar "
    "volkshuisvestingsverslag op te nemen: haar afspraken, realisatie, oordeel en toelichting, "
    "met ruimte voor de zienswijzen van gemeente en huurdersorganisatie."
)


def write_verslag_pointer(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, paths: dict[str, Path]
) -> None:
    """The evaluation's Verslag sheet: which workbook holds each corporatie's section."""
    sheet = workbook.add_worksheet(VERSLAG_SHEET)
    sheet.write_string(0, 0, VERSLAG_TITLE, fmt(bold=True, size=14))
    note = f"{POINTER_NOTE} {VERSLAG_NOTE}"
    last = len(POINTER_HEADER) - 1
    sheet.merge_range(1, 0, 1, last, note, fmt(italic=True, text_wrap=True, valign="top"))
    sheet.set_row(1, row_height([(note, sum(POINTER_WIDTHS))]))
    header_row = 3
    sheet.write_row(header_row, 0, POINTER_HEADER, fmt(bold=True))
    number = fmt(**NUMBER_ROOM)  # a count keeps room before the name beside it
    sections = evaluation.verslag()
    for row, (corporatie, path) in enumerate(paths.items(), start=header_row + 1):
        sheet.write_string(row, 0, corporatie)
        sheet.write_number(row, 1, len(sections[corporatie]), number)
        sheet.write_string(row, 2, path.name)
    for col, width in enumerate(POINTER_WIDTHS):
        sheet.set_column(col, col, width)
    print_setup(sheet, repeat_row=header_row, widths=POINTER_WIDTHS)

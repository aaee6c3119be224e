"""Per corporatie its section for the volkshuisvestingsverslag (Woningwet art. 36a, Btiv art.
32 lid 1): its afspraken, its realisatie, the judgement and its toelichting, with room for the
zienswijzen of gemeente and huurdersorganisatie (art. 38). As lines for the text report and as
a sheet.
"""

from xlsxwriter.workbook import Workbook

from pa_sheets.cycle.evaluate import Afspraak, Evaluation
from pa_sheets.cycle.evaluation_tables import judgement_text, shown
from pa_sheets.spec.palette import Swatch
from pa_sheets.workbook.writer import (
    LINE_HEIGHT,
    NUMBER_ROOM,
    Formats,
    print_setup,
    row_height,
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
ZIENSWIJZEN = ("Zienswijze van de gemeente", "Zienswijze van de huurdersorganisatie")


def verslag_rows(items: list[Afspraak]) -> list[list[object]]:
    """A corporatie's afspraken under VERSLAG_HEADER: its own realisatie, and the judgement
    (of a collective afspraak: of the contributions together)."""
    return [
        [
            a.thema,
            a.nummer,
            a.afspraak,
            a.indicator,
            a.eenheid,
            a.streefwaarde,
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


def write_verslag_sheet(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, Swatch]
) -> None:
    """The Verslag sheet: per corporatie a section (on paper from a page of its own) with
    its afspraken, its realisatie, the judgement and its toelichting, and room for the
    zienswijzen of gemeente and huurdersorganisatie."""
    sheet = workbook.add_worksheet(VERSLAG_SHEET)
    wrap = fmt(text_wrap=True, valign="top")
    # A text after a number (the planning after the mijlpaal) a little apart from it.
    apart = fmt(text_wrap=True, valign="top", align="left", indent=1)
    number = fmt(num_format="#,##0.##", valign="top", **NUMBER_ROOM)
    heading = fmt(bold=True, text_wrap=True, valign="bottom", bottom=1)
    breaks, row = [], 0
    for corporatie, items in evaluation.verslag().items():
        if row:
            breaks.append(row)
        sheet.write_string(row, 0, f"{corporatie}: {evaluation.title}", fmt(bold=True, size=14))
        last = len(VERSLAG_HEADER) - 1
        note = f"{VERSLAG_TITLE}. {VERSLAG_NOTE}"
        sheet.merge_range(row + 1, 0, row + 1, last, note, fmt(italic=True, text_wrap=True))
        sheet.set_row(row + 1, row_height([(note, sum(VERSLAG_WIDTHS))]))
        row += 3
        sheet.write_row(row, 0, VERSLAG_HEADER, heading)
        sheet.set_row(row, row_height(zip(VERSLAG_HEADER, VERSLAG_WIDTHS, strict=True)))
        row += 1
        for values in verslag_rows(items):
            status = str(values[9])
            for col, value in enumerate(values):
                if isinstance(value, float):
                    sheet.write_number(row, col, value, number)
                elif col == 9 and status in colours:
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
                    sheet.write_string(row, col, str(value), apart if col == 7 else wrap)
            height = row_height(zip(values, VERSLAG_WIDTHS, strict=True))
            if height > LINE_HEIGHT:
                sheet.set_row(row, height)
            row += 1
        row += 1
        for label in ZIENSWIJZEN:
            sheet.write_string(row, 0, f"{label}:", fmt(bold=True))
            sheet.merge_range(row + 1, 0, row + 3, last, "", fmt(border=1))
            row += 5
        row += 1
    for col, width in enumerate(VERSLAG_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.set_h_pagebreaks(breaks)
    print_setup(sheet, widths=VERSLAG_WIDTHS)
    sheet.fit_to_pages(1, 0)  # a section to take into a report: its columns on one page

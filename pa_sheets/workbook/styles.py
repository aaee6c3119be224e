"""What every sheet of a generated workbook shares: its protection, colours and number formats,
and `Styles`, the one object through which the sheet writers (cover, tabs, investments,
signing, `_meta`) ask for the workbook's cell formats.

Formats are made on first use, in the order the writers ask for them: that order is the order
of styles.xml, so the writers are called in a fixed order (generate.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pa_sheets.spec.types import NUMERIC_TYPES, TYPES
from pa_sheets.workbook import meta
from pa_sheets.workbook.writer import NUMBER_ROOM, Formats

if TYPE_CHECKING:
    import xlsxwriter

    from pa_sheets.workbook.layout import PlacedColumn, WorkbookPlan

# Users may resize, insert and delete rows (to add afspraken), filter and format; never unlock.
PROTECTION = {
    "format_columns": True,
    "format_rows": True,
    "insert_rows": True,
    "delete_rows": True,
    "autofilter": True,
    "sort": False,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}
# Cells of these types wrap: a text, and a choice from a list (an indicator's long name).
WRAPPING_TYPES = ("text", "enum")
# The room a column type's cells keep before the next column's text. A number, shown
# right-aligned, keeps an indent. A date is centered, a character or more to spare on each
# side: LibreOffice printed the monitor's right-aligned peildatum against the status beside
# it, its indent dropped ("31-12-2027groen", however wide the column).
ROOM: dict[str, dict[str, object]] = {
    **{name: NUMBER_ROOM for name in NUMERIC_TYPES},
    "date": {"align": "center"},
}
# The number format of each column type's input cells.
NUMBER_FORMATS = {name: kind.input_format for name, kind in TYPES.items()}
# The title band of a block: lopende afspraken, new afspraken, the others (leefbaarheid, ...).
LOPEND_BAND, NEW_BAND, OTHER_BAND = "#1F4E78", "#375623", "#7F6000"
INPUT_FILL, FIXED_FILL, HEADER_FILL = "#FFFFFF", "#EDEDED", "#D9E1F2"
# The text of a required column's header (and label): dark red, beside the REQUIRED_MARK.
REQUIRED_FONT = "#9C0006"


def header_style(required: bool) -> dict[str, object]:
    """The format of a column header, in a tab and in the set-up workbook alike."""
    return {
        "bold": True,
        "bg_color": HEADER_FILL,
        "border": 1,
        "text_wrap": True,
        "valign": "top",
        "font_color": REQUIRED_FONT if required else "#000000",
    }


# The page header and footer of a tab and of the signing sheet.
PAGE_FOOTER = "&LGemaakt met pa-sheets&RPagina &P van &N"


def page_header(sheet_name: str, plan: WorkbookPlan) -> str:
    return f'&L&"Calibri,Bold"{sheet_name}&R{plan.corporatie.party.naam}'


def years_text(plan: WorkbookPlan) -> str:
    return meta.years_text(tuple(plan.years))


class Styles:
    """The cell formats of one workbook: `format` in the workbook's font (Calibri 10),
    `status` only a fill (a status's colour in conditional formatting, no font)."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.format = Formats(workbook, font_name="Calibri", font_size=10)
        self.status = Formats(workbook)

    def cell(self, placed: PlacedColumn, fixed: bool, num_format: str | None = None):
        """The format of a cell of this column in a block: grey and locked when fixed; a
        number or date keeps room before the next column's text ("31-12-2027groen")."""
        column = placed.column
        return self.format(
            **ROOM.get(column.type, {}),
            num_format=num_format or NUMBER_FORMATS[column.type],
            border=1,
            border_color="#BFBFBF",
            valign="top",
            text_wrap=column.type in WRAPPING_TYPES,
            locked=fixed,
            bg_color=FIXED_FILL if fixed else INPUT_FILL,
        )

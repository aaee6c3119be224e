"""The hidden _lijsten sheet: every list a dropdown draws from, a column each in the order of
SPEC_LISTS, and each eenheid's bereik for the check of a measure against its row's eenheid."""

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pa_sheets.spec.config import ALLE
from pa_sheets.spec.model import SPEC_LISTS
from pa_sheets.workbook import meta
from pa_sheets.workbook.layout import WorkbookPlan
from pa_sheets.workbook.styles import PROTECTION, Styles
from pa_sheets.workbook.validation import NUMBER_LIMIT, UNIT_TABLE


class ListSheet:
    """The lists of one workbook: their values, where a dropdown finds each, and the sheet."""

    def __init__(self, plan: WorkbookPlan):
        self.plan = plan
        self.values = self._list_values()

    def _list_values(self) -> dict[str, list[str]]:
        """The parties and a basisbod's gemeenten are this workbook's own; the others the
        spec's."""
        plan = self.plan
        own = {
            "partijen": [party.display for party in plan.parties],
            "gemeenten": [ALLE, *(g.code for g in plan.gemeenten)] if plan.gemeenten else [],
        }
        return {
            name: own[name] if name in own else plan.spec.list_values(name) for name in SPEC_LISTS
        }

    def ref(self, name: str) -> str:
        """The range of list `name` on _lijsten, as a dropdown's source."""
        col = xl_col_to_name(SPEC_LISTS.index(name))
        return f"='{meta.LISTS_SHEET}'!${col}$2:${col}${len(self.values[name]) + 1}"

    def write(self, workbook: Workbook, worksheet: Worksheet, styles: Styles) -> None:
        bold = styles.format(bold=True)
        for col, name in enumerate(SPEC_LISTS):
            worksheet.write_string(0, col, name, bold)
            for row, value in enumerate(self.values[name], start=1):
                worksheet.write_string(row, col, value)
            worksheet.set_column(col, col, 30)
        # Each eenheid's bereik, for the check of a measure against the eenheid of its row.
        first = len(SPEC_LISTS) + 1
        worksheet.write_row(0, first, ["eenheid", "min", "max", "geheel"], bold)
        for row, unit in enumerate(self.plan.spec.eenheden, start=1):
            low = -NUMBER_LIMIT if unit.min is None else unit.min
            high = NUMBER_LIMIT if unit.max is None else unit.max
            worksheet.write_row(row, first, [unit.naam, low, high, int(unit.geheel)])
        top, bottom = (
            xl_rowcol_to_cell(1, first, True, True),
            xl_rowcol_to_cell(len(self.plan.spec.eenheden), first + 3, True, True),
        )
        workbook.define_name(UNIT_TABLE, f"='{meta.LISTS_SHEET}'!{top}:{bottom}")
        worksheet.protect("", PROTECTION)
        worksheet.hide()

"""Read back what a generated workbook says about itself, the way a test needs it."""

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pa_sheets.workbook.meta import BLOCK_FIELDS


def meta(workbook: Workbook) -> dict[str, str]:
    """The key/value facts at the top of _meta."""
    facts = {}
    for key, value, *_ in workbook["_meta"].iter_rows(values_only=True):
        if key is None:
            break
        facts[key] = value
    return facts


def meta_rows(workbook: Workbook, kind: str) -> list[tuple]:
    """The rows of one _meta table ("partij" or "blok"), without their header row."""
    rows = [row for row in workbook["_meta"].iter_rows(values_only=True) if row[0] == kind]
    return rows[1:]


def blocks(workbook: Workbook) -> list[dict]:
    return [dict(zip(BLOCK_FIELDS, row[1:11], strict=True)) for row in meta_rows(workbook, "blok")]


def validation_at(sheet: Worksheet, cell: str):
    """The data validation that covers `cell`, or None."""
    for validation in sheet.data_validations.dataValidation:
        if cell in validation.sqref:
            return validation
    return None


def list_values(workbook: Workbook, formula: str) -> list[str]:
    """The values a list dropdown offers, read from the range its formula names."""
    sheet_part, area = formula.lstrip("=").split("!")
    sheet = workbook[sheet_part.strip("'")]
    return [row[0].value for row in sheet[area.replace("$", "")] if row[0].value is not None]

"""The Excel rule of an input cell: every rule a column gets (dropdown, number or date check,
input message) comes from its spec through `excel_validation()`, the one mapping from spec
types to Excel.
"""

import datetime as dt

from xlsxwriter.utility import xl_rowcol_to_cell

from pa_sheets.numbers import dutch_number
from pa_sheets.spec.types import TYPES
from pa_sheets.workbook.layout import PlacedBlock, PlacedColumn

# The defined name of the eenheden's bereik on _lijsten.
UNIT_TABLE = "Eenheden"
# Bounds for numbers without min or max: Excel needs both ends of a "between" rule.
NUMBER_LIMIT = 1e15
DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2100, 12, 31))


def excel_validation(
    placed: PlacedColumn,
    list_ref: str | None,
    unit_check: str | None = None,
    dates: tuple[dt.date, dt.date] | None = None,
) -> dict:
    """The xlsxwriter data validation for an input cell of this column, or None.

    The kind of rule is the column type's `excel_rule` (spec/types.py): a list dropdown (open
    lists only inform), a whole or decimal number between min and max, a date range, a maximum
    length. A measure in the row's eenheid (`unit_check`, a formula) warns
    outside the eenheid's bereik. A date lies between `dates` (a monitor's round) or in
    DATE_RANGE. The input message is the spec's message.
    """
    column = placed.column
    excel_rule = TYPES[column.type].excel_rule
    rule: dict
    if unit_check is not None:
        rule = {
            "validate": "custom",
            "value": unit_check,
            "error_type": "warning",  # a standard indicator may have its own bereik
            "error_message": "Dit getal past niet bij de eenheid in deze rij (bijv. een "
            "rapportcijfer is 1 tot 10, een percentage 0 tot 100, woningen tel je heel). "
            "Klopt het?",
        }
    elif excel_rule == "list":
        rule = {
            "validate": "list",
            "source": list_ref,
            # Several values in one cell are typed, not picked: Excel then only informs.
            "error_type": "information" if column.open or column.meerdere else "stop",
            "error_message": "Kies een waarde uit de lijst."
            + (" Een eigen waarde mag ook." if column.open else "")
            + (" Meer waarden: zet komma's ertussen." if column.meerdere else ""),
        }
    elif excel_rule in ("integer", "decimal"):
        low, high = column.bounds()
        low = -NUMBER_LIMIT if low is None else low
        high = NUMBER_LIMIT if high is None else high
        rule = {
            "validate": excel_rule,
            "criteria": "between",
            "minimum": low,
            "maximum": high,
            "error_message": _number_message(column.type, low, high),
        }
    elif excel_rule == "date":
        rule = _date_rule(dates)
    elif excel_rule == "length" and column.max_length is not None:
        rule = {
            "validate": "length",
            "criteria": "<=",
            "value": column.max_length,
            "error_message": f"Hoogstens {column.max_length} tekens.",
        }
    else:
        rule = {"validate": "any"}
    rule.update(
        {
            "input_title": placed.header,
            "input_message": placed.message,
            "error_title": placed.header,
        }
    )
    if rule["validate"] == "any":
        rule.pop("error_title")
    return rule


def _date_rule(dates: tuple[dt.date, dt.date] | None) -> dict:
    """A date between `dates` (a monitor's round, said in the message) or in DATE_RANGE."""
    low, high = dates or DATE_RANGE
    message = "Vul een datum in, bijv. 31-12-2027."
    if dates is not None:
        message = f"Vul een datum in van {low:%d-%m-%Y} tot en met {high:%d-%m-%Y}."
    return {
        "validate": "date",
        "criteria": "between",
        "minimum": low,
        "maximum": high,
        "error_message": message,
    }


def unit_check(block: PlacedBlock, placed: PlacedColumn) -> str | None:
    """For a measure (nulmeting, streefwaarde, realisatie) in a block with an eenheid column:
    the formula, for the block's first row, that a value is a number inside the bereik of the
    eenheid of its row and whole where that eenheid counts whole things."""
    unit = next((p for p in block.columns if p.key == "eenheid"), None)
    if unit is None or not placed.column.in_eenheid:
        return None
    cell = xl_rowcol_to_cell(block.first_row, placed.index)
    unit_cell = xl_rowcol_to_cell(block.first_row, unit.index, col_abs=True)

    # Written as LibreOffice writes it back (0 for FALSE, numbers in full), so that a re-saved
    # workbook keeps the same rule word for word.
    def look(col: int, default: int) -> str:
        return f"IFERROR(VLOOKUP({unit_cell},{UNIT_TABLE},{col},0),{default})"

    limit = int(NUMBER_LIMIT)
    return (
        f"=AND(ISNUMBER({cell}),{cell}>={look(2, -limit)},{cell}<={look(3, limit)},"
        f"OR({look(4, 0)}=0,{cell}=INT({cell})))"
    )


def _number_message(kind: str, low: float, high: float) -> str:
    if kind == "percentage":
        return f"Vul een percentage in tussen {low:.0%} en {high:.0%}, bijv. 15%."
    what = TYPES[kind].asked
    if abs(low) >= NUMBER_LIMIT and abs(high) >= NUMBER_LIMIT:
        return f"Vul {what} in, zonder tekst."
    if abs(high) >= NUMBER_LIMIT:
        return f"Vul {what} in van minstens {dutch_number(low)}, zonder tekst."
    return f"Vul {what} in tussen {dutch_number(low)} en {dutch_number(high)}, zonder tekst."

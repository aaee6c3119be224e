"""What each column type of the spec means, in one place: how a value typed in it is read, what
the schema checks, which Excel rule and number format its input cells get, how the overview
shows it and which type it has in the long table.

Every step reads its part from `TYPES`; a new column type is one entry here (and, when it needs
a new way of reading, a normaliser in check/normalise.py under the entry's `normaliser` name).
Nothing here imports pandera, xlsxwriter or pyarrow: the steps translate the names.
"""

from dataclasses import dataclass
from typing import Any

# The output formats of merge: the overview for people, and the long table for analysts.
WORKBOOK_FORMAT = "xlsx"
LONG_FORMATS = ("csv", "parquet")
OUTPUT_FORMATS = (WORKBOOK_FORMAT, *LONG_FORMATS)


@dataclass(frozen=True)
class ColumnType:
    name: str  # as the spec names it: type: money
    dutch: str  # as a person calls it (the field reference, docs/velden.md)
    normaliser: str  # the converter in check/normalise.py that reads a typed value
    checks: tuple[str, ...]  # the schema checks (check/schemas.py), in order
    excel_rule: str  # the Excel data validation of an input cell (workbook/validation.py)
    input_format: str  # the number format of an input cell
    overview_format: str | None  # the number format in the overview; None: as text
    long_type: str  # the type in the long table (csv, parquet): float64, date32 or string
    whole: bool = False  # a number that must be whole (an Excel whole-number rule)
    asked: str = "een getal"  # how an input message asks for a number of this type

    @property
    def numeric(self) -> bool:
        """Read and written as numbers (floats)."""
        return self.long_type == "float64"


def _number(name: str, dutch: str, **facts: Any) -> ColumnType:
    """A number column: read by the number normaliser, checked against its min and max (V003),
    a float in the long table."""
    return ColumnType(
        name, dutch, normaliser="number", checks=("range",), long_type="float64", **facts
    )


TYPES: dict[str, ColumnType] = {
    kind.name: kind
    for kind in (
        ColumnType(
            "text",
            "tekst",
            normaliser="text",
            checks=("length", "pattern"),  # V005, V006
            excel_rule="length",
            input_format="@",
            overview_format=None,
            long_type="string",
        ),
        _number(
            "integer",
            "geheel getal",
            excel_rule="integer",
            input_format="#,##0",
            overview_format="0",
            whole=True,
            asked="een geheel getal",
        ),
        _number(
            "decimal",
            "getal",
            excel_rule="decimal",
            input_format="General",
            overview_format="#,##0.###",
        ),
        _number(
            "percentage",
            "percentage",
            excel_rule="decimal",
            input_format="0.0%",
            overview_format="0%",
        ),
        _number(
            "money",
            "bedrag (EUR)",
            excel_rule="decimal",
            input_format='"€" #,##0',
            overview_format="#,##0",
            asked="een bedrag in euro's",
        ),
        _number(
            "year",
            "jaartal",
            excel_rule="integer",
            input_format="0",
            overview_format="0",
            whole=True,
            asked="een jaartal",
        ),
        ColumnType(
            "date",
            "datum",
            normaliser="date",
            checks=(),
            excel_rule="date",
            input_format="dd-mm-yyyy",
            overview_format="dd-mm-yyyy",
            long_type="date32",
        ),
        ColumnType(
            "planning",
            "planning (datum, kwartaal of jaar)",
            normaliser="planning",
            checks=(),  # a planning the normaliser cannot read is V007, a vague one M004
            excel_rule="length",
            input_format="@",
            overview_format=None,
            long_type="string",
        ),
        ColumnType(
            "enum",
            "keuzelijst",
            normaliser="enum",
            checks=("list",),  # V004
            excel_rule="list",
            input_format="@",
            overview_format=None,
            long_type="string",
        ),
    )
}
COLUMN_TYPES = tuple(TYPES)
NUMERIC_TYPES = tuple(name for name, kind in TYPES.items() if kind.numeric)

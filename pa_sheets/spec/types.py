"""What each column type of the spec means, in one place: how a value typed in it is read, what
the schema checks, which Excel rule and number format its input cells get, how the overview
shows it and which type it has in the long table.

Every step reads its part from `TYPES`; a new column type is one entry here (and, when it needs
a new way of reading, a normaliser in check/normalise.py under the entry's `normaliser` name).
Nothing here imports pandera, xlsxwriter or pyarrow: the steps translate the names.
"""

from dataclasses import dataclass

# The output formats of merge: the overview for people, and the long table for analysts.
WORKBOOK_FORMAT = "xlsx"
LONG_FORMATS = ("csv", "parquet")
OUTPUT_FORMATS = (WORKBOOK_FORMAT, *LONG_FORMATS)


@dataclass(frozen=True)
class ColumnType:
    name: str  # as the spec names it: type: money
    dutch: str  # as a person calls it
    normaliser: str  # the converter in check/normalise.py that reads a typed value
    checks: tuple[str, ...]  # the schema checks (check/schemas.py), in order
    excel_rule: str  # the Excel data validation of an input cell (workbook/generate.py)
    input_format: str  # the number format of an input cell
    overview_format: str | None  # the number format in the overview; None: as text
    long_type: str  # the type in the long table (csv, parquet): float64, date32 or string
    whole: bool = False  # a number that must be whole (an Excel whole-number rule)
    asked: str = "een getal"  # how an input message asks for a number of this type

    @property
    def numeric(self) -> bool:
        """Read and written as numbers (floats)."""
        return self.long_type == "float64"


_NUMBER_CHECKS = ("range",)  # V003: between the column's min and max
TYPES: dict[str, ColumnType] = {
    kind.name: kind
    for kind in (
        ColumnType("text", "tekst", "text", ("length", "pattern"), "length", "@", None, "string"),
        ColumnType(
            "integer",
            "geheel getal",
            "number",
            _NUMBER_CHECKS,
            "integer",
            "#,##0",
            "0",
            "float64",
            whole=True,
            asked="een geheel getal",
        ),
        ColumnType(
            "decimal",
            "getal",
            "number",
            _NUMBER_CHECKS,
            "decimal",
            "General",
            "#,##0.###",
            "float64",
        ),
        ColumnType(
            "percentage",
            "percentage",
            "number",
            _NUMBER_CHECKS,
            "decimal",
            "0.0%",
            "0%",
            "float64",
        ),
        ColumnType(
            "money",
            "bedrag",
            "number",
            _NUMBER_CHECKS,
            "decimal",
            '"€" #,##0',
            "#,##0",
            "float64",
            asked="een bedrag in euro's",
        ),
        ColumnType(
            "year",
            "jaartal",
            "number",
            _NUMBER_CHECKS,
            "integer",
            "0",
            "0",
            "float64",
            whole=True,
            asked="een jaartal",
        ),
        ColumnType("date", "datum", "date", (), "date", "dd-mm-yyyy", "dd-mm-yyyy", "date32"),
        ColumnType("planning", "planning", "planning", (), "length", "@", None, "string"),
        ColumnType("enum", "keuzelijst", "enum", ("list",), "list", "@", None, "string"),
    )
}
COLUMN_TYPES = tuple(TYPES)
NUMERIC_TYPES = tuple(name for name, kind in TYPES.items() if kind.numeric)

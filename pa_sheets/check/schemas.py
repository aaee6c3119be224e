"""Pandera schemas derived from the spec: one per block of each template.

The schema checks values after validate.py has read them into proper types (numbers as floats,
list values in their canonical spelling): required, ranges, allowed values, lengths, patterns.
Each check carries its finding code as its `error`, so a failure maps straight to a finding.
Per-year columns (aantal_2027, ...) are matched by a regular expression.

`python -m pa_sheets.check.schemas` exports them as YAML into schemas/ for people to read; pandera's
YAML keeps types and built-in checks, which is all these schemas use.
"""

import re
import sys
from collections.abc import Iterable
from operator import eq
from pathlib import Path

from pa_sheets.spec.model import Block, Column, Spec, load_spec
from pa_sheets.spec.types import TYPES

# The findings the schemas give: each check carries its code as `error`; V001 is pandera's own
# not_nullable check (a required column).
SCHEMA_CODES = ("V001", "V003", "V004", "V005", "V006")
# Lists that are checked elsewhere, against the workbook's own _meta: trekker against its
# parties (X002), a basisbod's gemeente against its gemeenten (X008). An open list (indicator)
# accepts its own values.
CROSS_CHECKED_LISTS = ("partijen", "gemeenten")


def block_schema(spec: Spec, block: Block, only: set[str] | None = None):
    """The pandera DataFrameSchema of one block (or of the columns in `only`)."""
    import pandera.pandas as pa

    columns = {}
    for key in block.columns:
        if only is not None and key not in only:
            continue
        column = spec.columns[key]
        name = rf"^{key}_\d{{4}}$" if column.per_jaar else key
        columns[name] = pa.Column(
            float if TYPES[column.type].numeric else None,
            checks=_checks(pa, spec, column),
            nullable=not column.required,
            required=not column.per_jaar,
            regex=column.per_jaar,
            title=column.header,
            description=column.message or None,
        )
    return pa.DataFrameSchema(columns, name=block.key, strict=False, coerce=False)


def _checks(pa, spec: Spec, column: Column) -> list:
    """The checks the column's type asks for (spec/types.py), as far as the column sets them."""
    made = (_CHECKS[name](pa, spec, column) for name in TYPES[column.type].checks)
    return [check for check in made if check is not None]


def _range(pa, spec: Spec, column: Column):
    low, high = column.bounds()
    if low is not None and high is not None:
        return pa.Check.in_range(low, high, error="V003")
    if low is not None:
        return pa.Check.ge(low, error="V003")
    if high is not None:
        return pa.Check.le(high, error="V003")
    return None


def _list(pa, spec: Spec, column: Column):
    if column.open or column.values in CROSS_CHECKED_LISTS:
        return None
    return pa.Check.isin(spec.list_values(column.list_name), error="V004")


def _length(pa, spec: Spec, column: Column):
    if not column.max_length:
        return None
    return pa.Check.str_length(max_value=column.max_length, error="V005")


def _pattern(pa, spec: Spec, column: Column):
    return pa.Check.str_matches(column.pattern, error="V006") if column.pattern else None


# The schema check of each name a type's `checks` use.
_CHECKS = {"range": _range, "list": _list, "length": _length, "pattern": _pattern}


def passes(spec: Spec, key: str, values: Iterable[object]) -> bool:
    """Whether the values of column `key` pass every check of its schema for sure, judged on
    its distinct values, in C where it can: a column that passes is left out of the frame, so
    pandera's steps per cell (object columns) are spent only on a column that may fail. False
    whenever in doubt, e.g. for a value of another type than the checks expect."""
    column = spec.column_for(key)
    distinct = set(values)
    if None in distinct:
        if column.required:
            return False  # V001
        distinct.discard(None)
    numeric = TYPES[column.type].numeric
    if set(map(type, distinct)) - {float if numeric else str}:
        return False
    if numeric and not all(map(eq, distinct, distinct)):
        return False  # a NaN (never equal to itself), which pandera counts as empty
    return all(
        name in _PASSES and _PASSES[name](spec, column, distinct)
        for name in TYPES[column.type].checks
    )


def _range_passes(spec: Spec, column: Column, numbers: set) -> bool:
    low, high = column.bounds()
    return not numbers or (
        (low is None or min(numbers) >= low) and (high is None or max(numbers) <= high)
    )


def _list_passes(spec: Spec, column: Column, texts: set) -> bool:
    if column.open or column.values in CROSS_CHECKED_LISTS:
        return True
    return texts <= set(spec.list_values(column.list_name))


def _length_passes(spec: Spec, column: Column, texts: set) -> bool:
    return not column.max_length or max(map(len, texts), default=0) <= column.max_length


def _pattern_passes(spec: Spec, column: Column, texts: set) -> bool:
    # as pandas' str.match, which pandera's str_matches calls: re.match, no flags
    return not column.pattern or all(map(re.compile(column.pattern).match, texts))


# Whether the distinct values (not empty, of the type the checks expect) pass each check.
_PASSES = {
    "range": _range_passes,
    "list": _list_passes,
    "length": _length_passes,
    "pattern": _pattern_passes,
}


def export(directory: Path, spec: Spec | None = None) -> list[Path]:
    """Write schemas/<template>-<block>.yaml for every block; return the paths."""
    spec = spec or load_spec()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for template in spec.templates.values():
        for block in template.blocks:
            path = directory / f"{template.kind}-{block.key}.yaml"
            path.write_text(schema_yaml(spec, block), encoding="utf-8")
            written.append(path)
    return written


def schema_yaml(spec: Spec, block: Block) -> str:
    header = (
        f"# Gegenereerd uit templates/ (spec {spec.version}) door\n"
        "# python -m pa_sheets.check.schemas; niet met de hand bewerken.\n"
        "# Kolommen met _JJJJ staan er een keer per jaar.\n"
    )
    return header + block_schema(spec, block).to_yaml()


if __name__ == "__main__":
    for written in export(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")):
        print(written)

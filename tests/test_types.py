"""The registry of column types (spec/types.py) is what every step does: the Excel rule and
number format of an input cell, the number format in the overview, the type in the long table.
Each is checked in what the steps actually write, not in the tables they read it from."""

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from workbook_helpers import blocks

from pa_sheets.check import normalise, schemas
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.form import LEAD, TRAIL
from pa_sheets.merge.long import column_kind, long_header, merge_long, write_long
from pa_sheets.merge.overview import write_overview
from pa_sheets.spec.model import COLUMN_TYPES, NUMERIC_TYPES, base_key
from pa_sheets.spec.types import TYPES

JAARSCHIJVEN = sorted((ROOT / "samples" / "ingevuld").glob("jaarschijf-*.xlsx"))
# How openpyxl names the data validation xlsxwriter writes for each excel_rule.
OPENPYXL_RULE = {
    "list": "list",
    "integer": "whole",
    "decimal": "decimal",
    "date": "date",
    "length": "textLength",
}
PYARROW_TYPE = {"float64": pa.float64(), "date32": pa.date32(), "string": pa.string()}


def test_every_type_the_model_uses_has_one_complete_entry(spec):
    used = {column.type for column in spec.columns.values()}
    assert used <= set(TYPES)
    assert tuple(TYPES) == COLUMN_TYPES
    numeric = tuple(name for name, kind in TYPES.items() if kind.long_type == "float64")
    assert numeric == NUMERIC_TYPES
    for name, kind in TYPES.items():
        assert kind.name == name and kind.dutch
        assert kind.normaliser in normalise._NORMALISERS, name
        assert set(kind.checks) <= set(schemas._CHECKS), name
        assert kind.excel_rule in OPENPYXL_RULE, name
        assert kind.long_type in PYARROW_TYPE, name
        assert kind.whole <= kind.numeric, name  # only a number can be whole


def _expected_rule(spec, entry: dict, key: str) -> str | None:
    """The openpyxl type of the validation an input cell of `key` gets in this block."""
    column = spec.column_for(key)
    keys = [base_key(k) for k in entry["kolommen"].split(",")]
    if column.in_eenheid and "eenheid" in keys:
        return "custom"  # a measure is checked against the bereik of its row's eenheid
    rule = TYPES[column.type].excel_rule
    if rule == "length" and column.max_length is None:
        return None  # only an input message
    return OPENPYXL_RULE[rule]


@pytest.mark.parametrize("kind", ["jaarschijf", "bod"])
def test_input_cells_have_the_rule_and_format_of_their_type(kind, jaarschijf, bod, spec):
    workbook = {"jaarschijf": jaarschijf, "bod": bod}[kind]
    seen = set()
    for entry in blocks(workbook):
        sheet = workbook[entry["blad"]]
        for col, key in enumerate(entry["kolommen"].split(","), start=1):
            cell = sheet.cell(entry["eerste_rij"], col)
            if cell.protection.locked:
                continue  # a fixed column: filled in, not typed
            column = spec.column_for(key)
            where = (entry["blad"], entry["sleutel"], key)
            assert cell.number_format == TYPES[column.type].input_format, where
            found = None
            for validation in sheet.data_validations.dataValidation:
                if cell.coordinate in validation.sqref:
                    found = validation.type
            assert found == _expected_rule(spec, entry, key), where
            seen.add(column.type)
    assert seen == {
        c.type for b in spec.templates[kind].blocks for c in map(spec.column_for, b.columns)
    }


@pytest.fixture(scope="module")
def merged(spec):
    return merge_paths(JAARSCHIJVEN, spec=spec)


def test_the_overview_shows_each_column_in_its_type_s_format(merged, spec, tmp_path):
    path = write_overview(merged, tmp_path / "o.xlsx")
    workbook = openpyxl.load_workbook(path)
    headers = {h: k for k, h, _ in LEAD + TRAIL}
    every_block = [*merged.afspraak_blocks(), *merged.other_blocks()]
    values = [*merged.columns(every_block), "planning_van", "planning_tot"]
    headers.update({long_header(spec, key): key for key in values})
    checked = set()
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows())
        if "Bronregel" not in [cell.value for cell in rows[0]]:
            continue  # not a sheet of records
        records = [row for row in rows[1:] if row[0].value != "Totaal"]
        for col, header in enumerate(rows[0]):
            kind = column_kind(spec, headers[header.value])
            cells = [row[col] for row in records if row[col].value is not None]
            expected = TYPES[kind].overview_format or "General"
            assert {cell.number_format for cell in cells} <= {expected}, (sheet.title, kind)
            checked.update([kind] if cells else [])
    assert checked >= {"text", "integer", "enum", "planning", "date"}


def test_the_long_table_has_the_type_of_each_column_and_is_built_one_way(merged, spec, tmp_path):
    """The parquet of merge_long (straight from validation's blocks) and of an overview in
    memory (from its records) are the same table, each column in its type's long type."""
    streamed, _ = merge_long(JAARSCHIJVEN, tmp_path / "a", "parquet", spec=spec, workers=1)
    written = write_long(merged, tmp_path / "b", "parquet")
    for path in written:
        table = pq.read_table(path)
        other = pq.read_table(tmp_path / "a" / path.relative_to(tmp_path / "b"))
        assert table.equals(other), path.name
        for field in table.schema:
            expected = (
                pa.int64()
                if field.name == "bronregel"
                else PYARROW_TYPE[TYPES[column_kind(spec, field.name)].long_type]
            )
            assert field.type == expected, field.name
    assert len(written) == len(streamed.sources) == 3

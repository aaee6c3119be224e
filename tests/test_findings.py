"""Findings point at cells the way Excel names them."""

from hypothesis import given
from hypothesis import strategies as st
from xlsxwriter.utility import xl_rowcol_to_cell

from pa_sheets.check.findings import cell_name


@given(st.integers(1, 1_048_576), st.integers(0, 16_383))
def test_cell_names_are_excels(row, col):
    assert cell_name(row, col) == xl_rowcol_to_cell(row - 1, col)


def test_no_cell_name_outside_the_sheet():
    assert cell_name(0, 0) is None and cell_name(1, -1) is None

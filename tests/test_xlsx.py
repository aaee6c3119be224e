"""QuickWorkbook (pa_sheets/workbook/xlsx.py) writes what xlsxwriter's own Workbook writes."""

import zipfile

import pytest
import xlsxwriter

from pa_sheets.workbook import xlsx
from pa_sheets.workbook.xlsx import QuickWorkbook


def _write(workbook_class, path, future: bool) -> dict[str, bytes]:
    """A workbook with formulas that xlsxwriter rewrites (XLOOKUP always, ACOT only with
    use_future_functions), the same formulas written twice, in cells, data validations and
    conditional formats; its zip parts by name."""
    workbook = workbook_class(str(path), {"use_future_functions": future})
    for name in ("A", "B"):
        sheet = workbook.add_worksheet(name)
        sheet.write_formula("A1", "=XLOOKUP(1,B1:B3,C1:C3)")
        sheet.write_formula("A2", "=ACOT(2)+SUM(B1:B3)")
        sheet.data_validation("D1:D9", {"validate": "list", "source": "=$B$1:$B$3"})
        sheet.data_validation("E1:E9", {"validate": "custom", "value": "=ACOT(E1)>0"})
        sheet.conditional_format(
            "F1:F9", {"type": "formula", "criteria": "=XLOOKUP(F1,B1:B3,C1:C3)=1"}
        )
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("future", [False, True])
def test_the_parts_are_those_xlsxwriter_writes(tmp_path, future):
    plain = _write(xlsxwriter.Workbook, tmp_path / "plain.xlsx", future)
    quick = _write(QuickWorkbook, tmp_path / "quick.xlsx", future)
    assert quick == plain
    sheet = quick["xl/worksheets/sheet2.xml"].decode()
    assert "_xlfn.XLOOKUP(1,B1:B3,C1:C3)" in sheet
    assert ("_xlfn.ACOT(2)" in sheet) is future


def test_a_big_workbook_goes_through_temporary_files(tmp_path, monkeypatch):
    """Up to IN_MEMORY_CELLS cells the zip is made from memory; past it the parts go to
    temporary files first (xlsxwriter's default), so the XML is not held beside the cells."""
    monkeypatch.setattr(xlsx, "IN_MEMORY_CELLS", 3)
    modes = []
    for cells in (3, 4):
        workbook = QuickWorkbook(str(tmp_path / f"{cells}.xlsx"))
        sheet = workbook.add_worksheet()
        for row in range(cells):
            sheet.write_number(row, 0, row)
        workbook.close()
        modes.append(workbook.in_memory)
    assert modes == [True, False]

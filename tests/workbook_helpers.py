"""Read back what a generated workbook says about itself, the way a test needs it."""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
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


def typed(source: Path, target: Path, rows: dict[tuple[str, str, object], dict]) -> Path:
    """A copy of `source` with cells typed in as a party would: (sheet, block key, the nummer of
    a lopende afspraak or the index of a row) -> {column key: value}; a value None leaves its
    cell as it is. The last few sources stay loaded: the cells are put back after the save."""
    workbook = loaded(source)
    with _typed_over(workbook) as write:
        for (name, key, where), values in rows.items():
            block = next(b for b in blocks(workbook) if b["blad"] == name and b["sleutel"] == key)
            columns = block["kolommen"].split(",")
            sheet = workbook[name]
            if isinstance(where, str):
                nummer = columns.index("nummer") + 1
                row = next(
                    r
                    for r in range(block["eerste_rij"], block["laatste_rij"] + 1)
                    if sheet.cell(r, nummer).value == where
                )
            else:
                row = block["eerste_rij"] + where
            for column, value in values.items():
                if value is not None:
                    write(sheet[f"{get_column_letter(columns.index(column) + 1)}{row}"], value)
        target.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(target)
    return target


def saved_with(
    workbook: Workbook, target: Path, cells: dict[tuple[str, str], object], text: bool = False
) -> Path:
    """Save `workbook` to `target` with `cells` ((sheet, coordinate) -> value) typed over, then
    put those cells back as they were: one loaded workbook serves many changed copies (a load
    costs as much as the save). `text`: a value that starts with = typed as text, not as a
    formula, as a party might."""
    with _typed_over(workbook) as write:
        for (name, ref), value in cells.items():
            cell = write(workbook[name][ref], value)
            if text and isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
        target.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(target)
    return target


def loaded(source: Path) -> Workbook:
    """The workbook at `source`, loaded once while it is among the last few asked for: for
    typed and saved_with, which put back what they change (never change it otherwise)."""
    stat = source.stat()
    return _loaded(source.resolve(), (stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4)
def _loaded(path: Path, stamp: tuple[int, int]) -> Workbook:
    """The workbook at `path` as it was at `stamp` (mtime, size), loaded once while it is among
    the last few asked for (a load costs as much as a save)."""
    return openpyxl.load_workbook(path)


@contextmanager
def _typed_over(workbook: Workbook) -> Iterator[Callable[[Cell, object], Cell]]:
    """`write(cell, value)` types a value; when the block ends each cell written is put back as
    it was (value and number format), so the loaded workbook can serve the next copy."""
    before: dict[tuple[str, str], tuple[object, str]] = {}

    def write(cell: Cell, value: object) -> Cell:
        before.setdefault((cell.parent.title, cell.coordinate), (cell.value, cell.number_format))
        cell.value = value
        return cell

    try:
        yield write
    finally:
        for (name, ref), (value, number_format) in before.items():
            workbook[name][ref].value = value
            workbook[name][ref].number_format = number_format


def collective_tabs(corporatie: str, huurders: str) -> dict[str, str]:
    """The sample's lopende afspraken for `alle` (in every corporatie's jaarschijf), by nummer,
    with the tab each stands on in the workbook of this corporatie and huurdersorganisatie."""
    return {
        "BS-01": f"BS {corporatie}",
        "BS-02": "BS Gemeente",
        "BT-01": f"BT {corporatie}",
        "BT-02": "BT Gemeente",
        "VD-02": f"VD {huurders}",
        "WZ-01": "WZ Zorggroep",
        "SW-01": "SW Gemeente",
    }

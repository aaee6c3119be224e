"""The formulas a party typed in input cells, as text.

Validation reports a formula in an input cell (V010) and reads only its cached value, which a
formula written by another program may not have. Merge keeps what was typed, as inert text in
"Onleesbare waarden", so that nothing a party wrote is lost from the overview.
"""

import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

from pa_sheets.check.findings import Finding
from pa_sheets.check.read import _sheet_parts

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def typed_formulas(path: Path, findings: Iterable[Finding]) -> dict[tuple[str, str], str]:
    """(sheet, cell) -> the formula as typed ('=HYPERLINK(...)'), for every cell a V010 finding
    names. Safe to parse: check_file refused any part with a DOCTYPE and bounded every sheet.
    Empty when the file cannot be read this way: the formula is then already reported."""
    wanted: dict[str, set[str]] = {}
    for item in findings:
        if item.code == "V010" and item.sheet and item.cell:
            wanted.setdefault(item.sheet, set()).add(item.cell)
    if not wanted:
        return {}
    found: dict[tuple[str, str], str] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            for sheet, cells in wanted.items():
                if parts.get(sheet) not in archive.namelist():
                    continue
                with archive.open(parts[sheet]) as part:
                    for _, element in ElementTree.iterparse(part):
                        if element.tag != f"{_MAIN}c":
                            continue
                        formula, cell = element.find(f"{_MAIN}f"), element.get("r")
                        if cell in cells and formula is not None:
                            text = formula.text or ""
                            found[(sheet, cell)] = f"={text}" if text else "(formule)"
                        element.clear()
    except Exception:  # a courtesy after validation: the formula is reported either way
        return found
    return found

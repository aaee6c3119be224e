"""Re-save the generated workbooks in LibreOffice, as a user would, and check that the
structure, the dropdowns, the checks and the protection survive.

LibreOffice's headless conversion keeps no view settings (frozen panes) and turns a very hidden
sheet into a hidden one; a reader must therefore not depend on either.
"""

import openpyxl
import pytest
from conftest import resave
from workbook_helpers import blocks, meta

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves these out

NAMES = [
    "jaarschijf-2027-voorbeeldstad-linde.xlsx",
    "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx",
    "jaarschijf-2027-voorbeeldstad-baken.xlsx",
    "bod-2027-2031-voorbeeldstad-linde.xlsx",
]


@pytest.fixture(scope="module")
def resaved(generated, tmp_path_factory):
    """Every generated template, opened and saved by LibreOffice."""
    assert sorted(NAMES) == sorted(generated)
    out = tmp_path_factory.mktemp("libreoffice")
    resave([generated[n] for n in NAMES], out, tmp_path_factory.mktemp("lo-profiel"))
    return {name: out / name for name in NAMES}


def _validations(workbook):
    """Every validated range as (sheet, range, type, source, error style), normalised: a
    spreadsheet may join equal rules into one multi-range rule, quote sheet names differently
    or give a rule without check ("any", only an input message) an unused formula."""
    found = set()
    for sheet in workbook.worksheets:
        for v in sheet.data_validations.dataValidation:
            source = (v.formula1 or "").replace("'", "").lstrip("=") if v.type else ""
            if v.type in ("decimal", "whole", "textLength"):
                source = float(source)  # 1e15 may come back as 1000000000000000
            for area in str(v.sqref).split():
                found.add((sheet.title, area, v.type, source, v.errorStyle or "stop", v.prompt))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_structure_validations_and_protection_survive_libreoffice(name, generated, resaved):
    original = openpyxl.load_workbook(generated[name])
    again = openpyxl.load_workbook(resaved[name])
    assert again.sheetnames == original.sheetnames
    assert again["_meta"].sheet_state in ("hidden", "veryHidden")
    assert meta(again) == meta(original)
    assert blocks(again) == blocks(original)
    for entry in blocks(original):
        header = [c.value for c in original[entry["blad"]][entry["kopregel"]]]
        assert [c.value for c in again[entry["blad"]][entry["kopregel"]]][: len(header)] == header
    assert _validations(again) == _validations(original)
    for entry in blocks(original):
        sheet_before, sheet_after = original[entry["blad"]], again[entry["blad"]]
        assert sheet_after.protection.sheet
        for row in (entry["kopregel"], entry["eerste_rij"], entry["laatste_rij"]):
            for col in range(1, len(entry["kolommen"].split(",")) + 1):
                before = sheet_before.cell(row, col).protection.locked
                assert sheet_after.cell(row, col).protection.locked == before


def test_a_filled_workbook_resaved_by_libreoffice_validates_the_same(generated, spec, tmp_path):
    from pa_sheets.check.validate import validate_file
    from pa_sheets.demo.faults import FAULTS, apply_faults
    from pa_sheets.demo.fill import fill_workbook

    filled = fill_workbook(generated[NAMES[0]], tmp_path / "ingevuld" / NAMES[0], spec=spec)
    names = ("onbekende-trekker", "getal-als-tekst", "rood-zonder-toelichting", "niet-smart")
    faulty = tmp_path / "fouten" / NAMES[0]
    apply_faults([f for f in FAULTS if f.name in names], filled, faulty)
    out = tmp_path / "libreoffice"
    resave([faulty], out, tmp_path / "profiel")
    original = [(f.code, f.sheet, f.cell, f.value) for f in validate_file(faulty, spec).findings]
    again = [
        (f.code, f.sheet, f.cell, f.value) for f in validate_file(out / NAMES[0], spec).findings
    ]
    assert len(original) == 6
    assert again == original


def test_merge_of_resaved_workbooks_and_the_overview_itself_survive_libreoffice(tmp_path):
    """Workbooks re-saved by LibreOffice merge to the same values; the overview opens and
    re-saves with the same values, its totals recalculated by LibreOffice."""
    from test_merge import CREATED, JAARSCHIJVEN, cells, merged_overview

    resave(JAARSCHIJVEN, tmp_path / "lo-in", tmp_path / "profiel")
    original = cells(merged_overview(JAARSCHIJVEN, tmp_path / "a.xlsx"))
    again = cells(merged_overview(sorted((tmp_path / "lo-in").iterdir()), tmp_path / "b.xlsx"))
    # Both merges carry the same stamp, so their Samenvatting can be compared whole.
    stamp = f"samengevoegd op {CREATED:%d-%m-%Y %H:%M}"
    assert [v for v in original["Samenvatting"][2] if stamp in str(v)], original["Samenvatting"][2]
    assert original.pop("Bronnen") != again.pop("Bronnen")  # other paths and hashes
    # The hidden provenance (each source's SHA-256, for publish) differs with the files too.
    provenance = original.pop("_bronnen")
    assert provenance != again.pop("_bronnen")
    assert again == original
    resave([tmp_path / "a.xlsx"], tmp_path / "lo-uit", tmp_path / "profiel")
    reopened = cells(tmp_path / "lo-uit" / "a.xlsx")
    reopened.pop("Bronnen")
    assert reopened.pop("_bronnen") == provenance  # LibreOffice keeps the hidden sheet
    assert list(reopened) == list(original)
    for name, rows in original.items():
        assert reopened[name] == rows, name


def test_the_annotated_copy_survives_libreoffice(spec, tmp_path):
    """The copy that goes back to the corporatie opens and re-saves with its Controle sheet,
    its links and its comments."""
    from test_merge import WITH_FAULTS

    from pa_sheets.check.report import CONTROL_HEADER_ROW, annotate
    from pa_sheets.check.validate import validate_file

    copy = annotate(validate_file(WITH_FAULTS, spec), tmp_path / "controle")
    resave([copy], tmp_path / "lo", tmp_path / "profiel")
    before, after = (
        openpyxl.load_workbook(copy),
        openpyxl.load_workbook(tmp_path / "lo" / copy.name),
    )
    assert after.sheetnames == before.sheetnames
    rows = [[c.value for c in row] for row in before["Controle"].iter_rows()]
    assert [[c.value for c in row] for row in after["Controle"].iter_rows()] == rows
    first = f"D{CONTROL_HEADER_ROW + 1}"
    link = after["Controle"][first]
    assert (
        link.hyperlink is not None
        and link.hyperlink.location == before["Controle"][first].hyperlink.location
    )
    cell = before["Controle"][first].value
    assert after["BT Linde"][cell].comment is not None

"""The three outputs of validate: text, JSON (equal to the library result) and the annotated
copy, and the exit codes of the command."""

import hashlib
import json
import re
import shutil
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from pa_sheets.check.report import CONTROL_HEADER_ROW, annotate, text_report
from pa_sheets.check.validate import validate_paths
from pa_sheets.cli import cli
from pa_sheets.demo.faults import FAULTS, Book, apply_faults
from pa_sheets.errors import OutputError


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="pa-sheets")


@pytest.fixture(scope="module")
def returned(filled, tmp_path_factory):
    """A folder with one clean workbook and one with an error, a warning and injected text."""
    folder = tmp_path_factory.mktemp("terug")
    baken = "jaarschijf-2027-voorbeeldstad-baken.xlsx"
    clean = shutil.copyfile(filled[baken], folder / baken)
    linde = filled["jaarschijf-2027-voorbeeldstad-linde.xlsx"]  # read only: shared
    faulty = folder / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    names = ("ongeldig-type", "hoofdletters-in-lijst", "formule-in-invoercel")
    book = Book(openpyxl.load_workbook(linde))  # apply_faults, and the text typed in one save
    for fault in FAULTS:
        if fault.name in names:
            fault.edit(book)
    book.workbook["VD Linde"]["A23"] = '=HYPERLINK("http://example.invalid","klik")'
    book.workbook["VD Linde"]["A23"].data_type = "s"
    book.workbook.save(faulty)
    return {"folder": folder, "clean": clean, "faulty": faulty, "linde": linde}


@pytest.fixture(scope="module")
def checked(returned):
    """validate_paths on the returned folder, once: the tests that read its result."""
    return validate_paths([returned["folder"]])


def _faulty(checked, returned):
    """The result for the faulty workbook."""
    (found,) = [f for f in checked.files if f.path == returned["faulty"]]
    return found


def test_text_groups_per_file_and_sheet_errors_first_with_a_verdict(returned, checked):
    report = checked
    text = text_report(report)
    faulty = str(returned["faulty"])
    block = text[text.index(faulty) :]
    lines = block.splitlines()
    start = lines.index("  VD Linde")
    assert lines[start + 1 : start + 3] == [
        "    A23    fout         V005  Nummer: De tekst is 43 tekens lang; hoogstens 8 mag.",
        '    A23    fout         V006  Nummer: \'=HYPERLINK("http://example.invalid","klik")\' '
        "is geen geldig nummer. Gebruik de themacode, een streepje en een volgnummer, bijv. "
        "BT-03.",
    ]
    assert "  niet in orde: " in block
    assert text.splitlines()[-1] == "1 van 2 werkboek(en) in orde."
    sw = block[block.index("  SW Linde") :].splitlines()
    assert sw[1].split()[1] == "fout" and sw[2].split()[1] == "waarschuwing"


def test_json_output_is_exactly_the_library_result(returned, checked):
    result = run("validate", returned["folder"], "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == checked.to_dict()
    data = json.loads(result.stdout)
    assert data["summary"] == {
        "files": 2,
        "valid": 1,
        "unusable": 0,
        "errors": 6,
        "warnings": 4,
        "strict": False,
        "exit_code": 1,
    }
    first = data["files"][1]
    assert set(first) == {
        "path",
        "valid",
        "unusable",
        "template",
        "getekend",
        "ondertekening",
        "findings",
    }
    assert first["template"]["soort"] == "jaarschijf"
    assert set(first["findings"][0]) == {
        "severity",
        "code",
        "sheet",
        "cell",
        "row",
        "column",
        "value",
        "message",
    }


def test_exit_codes_and_strict(returned, tmp_path):
    assert run("validate", returned["clean"]).exit_code == 0
    assert run("validate", returned["faulty"]).exit_code == 1
    warned = tmp_path / "alleen-waarschuwing.xlsx"
    apply_faults(
        [f for f in FAULTS if f.name == "hoofdletters-in-lijst"], returned["linde"], warned
    )
    assert run("validate", warned).exit_code == 0
    assert run("validate", warned, "--strict").exit_code == 1


def test_annotated_copy_marks_cells_and_lists_every_finding(returned, checked, tmp_path):
    before = hashlib.sha256(returned["faulty"].read_bytes()).hexdigest()
    result = run("validate", returned["faulty"], "--annotate", tmp_path)
    assert result.exit_code == 1
    copy = tmp_path / "jaarschijf-2027-voorbeeldstad-linde-controle.xlsx"
    assert f"Kopie met bevindingen: {copy}" in result.output
    assert hashlib.sha256(returned["faulty"].read_bytes()).hexdigest() == before
    workbook = openpyxl.load_workbook(copy)
    assert workbook.sheetnames[0] == "Controle"
    report = _faulty(checked, returned)
    control = workbook["Controle"]
    assert control["A1"].value == f"Controle van {returned['faulty'].name}"
    first = CONTROL_HEADER_ROW + 1
    rows = list(control.iter_rows(min_row=first, values_only=True))
    # Every finding, the errors first (each kind in the order validate found them).
    errors_first = sorted(report.findings, key=lambda f: f.severity != "error")
    assert errors_first != report.findings  # this workbook has a warning before an error
    assert [(r[1], r[2], r[3]) for r in rows] == [(f.code, f.sheet, f.cell) for f in errors_first]
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), key=lambda w: w != "fout")
    link = control.cell(first, 4).hyperlink
    assert link.location == f"'{errors_first[0].sheet}'!{errors_first[0].cell}"
    for item in report.findings:
        cell = workbook[item.sheet][item.cell]
        assert item.code in cell.comment.text and item.message in cell.comment.text
        # A thick border, never a fill that could pass for a stoplicht colour.
        colour = "C00000" if item.severity == "error" else "ED7D31"
        assert cell.border.left.style == "thick" and cell.border.left.color.rgb.endswith(colour)
        assert not cell.fill.fgColor.rgb.endswith(("FFC7CE", "FFE699"))
    # The legend: each mark in a cell of its own, as in the Ernst column, its words beside it.
    legend = [(r[0].value, r[0].border.left.color.rgb[-6:], r[1].value) for r in control["A4:B5"]]
    assert [(word, colour) for word, colour, _ in legend] == [
        ("fout", "C00000"),
        ("waarschuwing", "ED7D31"),
    ]
    assert all(text.startswith("de cel heeft een dikke") for _, _, text in legend)
    # One font family throughout the Controle sheet.
    fonts = {c.font.name for row in control.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Calibri"}
    injected = next(r for r in control.iter_rows(min_row=first) if r[1].value == "V006")
    assert injected[5].data_type == "s"
    assert injected[5].value.startswith("=HYPERLINK")


def test_annotate_never_overwrites_the_returned_file(returned, checked, tmp_path):
    before = returned["faulty"].read_bytes()
    report = _faulty(checked, returned)
    copy = annotate(report, returned["folder"])
    try:  # into the folder it came from: a copy under its own name, the returned file as it was
        assert copy == returned["folder"] / "jaarschijf-2027-voorbeeldstad-linde-controle.xlsx"
        assert returned["faulty"].read_bytes() == before
    finally:
        copy.unlink()
    # The copy's name never equals the returned file's own, so only a link can lead the copy
    # back to it: the returned linde.xlsx is a link to linde-controle.xlsx. Refused, untouched.
    folder = tmp_path / "terug"
    folder.mkdir()
    real = folder / "linde-controle.xlsx"
    real.write_bytes(before)
    link = folder / "linde.xlsx"
    link.symlink_to(real)
    report = validate_paths([link]).files[0]
    assert report.unusable is None  # readable, so annotate would write a copy
    with pytest.raises(OutputError):
        annotate(report, folder)
    assert real.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["linde-controle.xlsx", "linde.xlsx"]


def test_annotate_never_overwrites_another_returned_file_of_the_run(returned, tmp_path):
    # Two returned files in one folder: linde.xlsx and a party's own linde-controle.xlsx.
    # Annotating into that folder would put linde's copy over the other input: refused, and
    # the command says so, goes on, and ends with exit 2 (a copy it could not make).
    folder = tmp_path / "terug"
    folder.mkdir()
    before = returned["faulty"].read_bytes()
    (folder / "linde.xlsx").write_bytes(before)
    (folder / "linde-controle.xlsx").write_bytes(before)
    result = CliRunner().invoke(cli, ["validate", str(folder), "--annotate", str(folder)])
    assert result.exit_code == 2
    assert f"Let op: {folder / 'linde-controle.xlsx'}: is een van de invoerbestanden" in (
        result.stderr
    )
    assert (folder / "linde-controle.xlsx").read_bytes() == before
    assert (folder / "linde.xlsx").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [
        "linde-controle-controle.xlsx",
        "linde-controle.xlsx",
        "linde.xlsx",
    ]


NEW_TEXT = "Wij doen ons best om woningen op te leveren, zoveel als de markt en de bouw toelaten."


def _fixed_text_changed(linde, target, keep_generated_text=True):
    """A copy of `linde` with the first lopende afspraak of BS Linde rewritten; without the
    sheet of fixed texts when not `keep_generated_text`, as a workbook made before it existed."""
    workbook = openpyxl.load_workbook(linde)
    original = workbook["BS Linde"]["B7"].value
    workbook["BS Linde"]["B7"] = NEW_TEXT
    if not keep_generated_text:
        del workbook["_vaste_tekst"]
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return original


def test_a_changed_fixed_text_is_shown_as_found_and_as_it_should_be(returned, tmp_path):
    target = tmp_path / "terug" / "linde.xlsx"
    original = _fixed_text_changed(returned["linde"], target)
    report = validate_paths([target]).files[0]
    [item] = report.findings
    assert (item.code, item.sheet, item.cell, item.column, item.value) == (
        "X005",
        "BS Linde",
        "B7",
        "Afspraak",
        NEW_TEXT,
    )
    assert item.message == (
        f"De vaste tekst van lopende afspraak BS-01 is gewijzigd: er staat nu «{NEW_TEXT}»; "
        f"er hoort «{original}» te staan. Zet hem terug; een wijziging bespreekt u als "
        "nieuwe afspraak."
    )
    assert report.to_dict()["findings"][0]["message"] == item.message
    copy = annotate(report, tmp_path / "controle")
    workbook = openpyxl.load_workbook(copy)
    comment = workbook["BS Linde"]["B7"].comment
    assert comment.text == f"X005: {item.message}"
    rows = workbook["Controle"].iter_rows(min_row=CONTROL_HEADER_ROW + 1, values_only=True)
    [row] = [r for r in rows if r[1] == "X005"]
    assert row[3:] == ("B7", "Afspraak", NEW_TEXT, item.message)
    # The comment box grows with the two texts (openpyxl reads no box size back: the VML).
    with zipfile.ZipFile(copy) as archive:
        shapes = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".vml")]
    [height] = [int(h) for vml in shapes for h in re.findall(r"height:(\d+)px", vml)]
    assert height > 120


def test_a_workbook_without_the_fixed_texts_shows_the_text_as_found(returned, tmp_path):
    target = tmp_path / "terug" / "linde.xlsx"
    _fixed_text_changed(returned["linde"], target, keep_generated_text=False)
    [item] = validate_paths([target]).files[0].findings
    assert (item.code, item.cell, item.value) == ("X005", "B7", NEW_TEXT)
    assert item.message == (
        f"De vaste tekst van lopende afspraak BS-01 is gewijzigd: er staat nu «{NEW_TEXT}». "
        "Zet hem terug; een wijziging bespreekt u als nieuwe afspraak."
    )

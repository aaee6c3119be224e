"""Every file of the corpus of bad inputs (tests/corpus.py) gets exactly its outcome from
validate, merge refuses or takes it as it should, nothing raises, and hostile text stays text
in every output: the text and JSON reports, the annotated copy and the merged overview."""

import json
import shutil
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT
from corpus import CASES, FORMULA_AFSPRAAK, HOSTILE_TEXTS, build, doctype_in

from pa_sheets.check.findings import Report
from pa_sheets.check.read import read_workbook
from pa_sheets.check.report import annotate
from pa_sheets.check.validate import WORKBOOK_SUFFIXES, validate_file
from pa_sheets.cli import cli
from pa_sheets.errors import InvalidInputs
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves these out

FILLED = ROOT / "samples" / "ingevuld"
LINDE = FILLED / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
OTHERS = [FILLED / "jaarschijf-2027-voorbeeldstad-baken.xlsx"]
OTHERS.append(FILLED / "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx")
BY_NAME = {case.name: case for case in CASES}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(LINDE, tmp_path_factory.mktemp("corpus"))


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_validate_gives_each_file_its_outcome(name, corpus, spec):
    case, path = BY_NAME[name], corpus[name]
    report = validate_file(path, spec)
    assert Report([report]).exit_code == case.exit
    if case.exit == 2:
        assert report.unusable.startswith(f"{path}: {case.expect}")
        assert report.findings == []
    else:
        assert report.unusable is None
        assert tuple(sorted(f.code for f in report.findings)) == case.expect


@pytest.mark.parametrize("name", sorted(name for name, case in BY_NAME.items() if case.like))
def test_a_sample_written_another_way_keeps_its_findings(name, corpus, spec):
    """The same XML with the attributes in another order or with prefixed elements: each
    finding on the same cell, with the same value."""
    like = validate_file(ROOT / "samples" / "fouten" / BY_NAME[name].like, spec).findings
    assert like
    found = validate_file(corpus[name], spec).findings
    assert [(f.code, f.sheet, f.cell, f.value) for f in found] == [
        (f.code, f.sheet, f.cell, f.value) for f in like
    ]
    with zipfile.ZipFile(corpus[name]) as archive:
        sheets = b"".join(
            archive.read(part) for part in archive.namelist() if part.startswith("xl/worksheets/")
        )
    for item in like:  # no longer written as <c r="S23" ...>, as the sample has it
        assert f'<c r="{item.cell}"'.encode() not in sheets
        assert f'r="{item.cell}"'.encode() in sheets


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_merge_refuses_or_takes_each_file(name, corpus, spec, tmp_path):
    case, path = BY_NAME[name], corpus[name]
    if case.exit == 0:
        merged = merge_paths([path, *OTHERS], spec=spec, workers=1)
    else:
        with pytest.raises(InvalidInputs) as refused:
            merge_paths([path, *OTHERS], spec=spec, workers=1)
        assert refused.value.report.exit_code == case.exit
        assert [f.path for f in refused.value.report.files] == [path]
        merged = merge_paths([path, *OTHERS], spec=spec, workers=1, allow_invalid=True)
    taken = [source.path for source in merged.sources]
    assert (path in taken) == (case.exit != 2)
    write_overview(merged, tmp_path / "overzicht.xlsx")


def test_the_cli_reads_the_whole_corpus_without_a_traceback(corpus, tmp_path):
    folder = tmp_path / "terug"
    shutil.copytree(next(iter(corpus.values())).parent, folder)
    shutil.copy(OTHERS[0], folder / OTHERS[0].name)
    result = CliRunner().invoke(
        cli, ["validate", str(folder), "--annotate", str(tmp_path / "controle")]
    )
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    read = [c for c in CASES if c.name.endswith(WORKBOOK_SUFFIXES)]  # a folder skips .pdf, .docx
    assert result.output.count("onbruikbaar:") == sum(case.exit == 2 for case in read)
    assert f"{folder / OTHERS[0].name}\n  in orde (0 fout(en), 0 waarschuwing(en))" in result.output
    copies = sorted(p.name for p in (tmp_path / "controle").iterdir())
    readable = [c.name for c in CASES if c.exit != 2] + [OTHERS[0].name]
    assert copies == sorted(name.rsplit(".", 1)[0] + "-controle.xlsx" for name in readable)


def test_hostile_text_stays_text_in_every_output(corpus, spec, tmp_path):
    path = corpus["formule-injectie.xlsx"]
    report = validate_file(path, spec)
    document = json.loads(
        CliRunner().invoke(cli, ["validate", str(path), "--format", "json"]).output
    )
    assert document["files"][0]["findings"][0]["code"] == "V010"
    copy = openpyxl.load_workbook(annotate(report, tmp_path))
    sheet = copy["BT Linde"]
    column = next(
        c.column_letter
        for row in sheet.iter_rows(max_row=8)
        for c in row
        if c.value == "Toelichting"
    )
    texts = [c for c in sheet[column] if c.value in HOSTILE_TEXTS]
    assert {c.value for c in texts} == set(HOSTILE_TEXTS)
    assert all(c.data_type == "s" for c in texts)
    # The live formula is the party's own (V010 asks to replace it): kept, and marked.
    (formula,) = [f for f in report.findings if f.code == "V010"]
    assert copy["BT Linde"][formula.cell].border.left.color.rgb.endswith("C00000")
    merged = merge_paths([path, *OTHERS], spec=spec, workers=1, allow_invalid=True)
    overview = openpyxl.load_workbook(write_overview(merged, tmp_path / "o.xlsx"))
    texts = [
        c
        for row in overview["BT Betaalbaarheid"].iter_rows()
        for c in row
        if c.value in HOSTILE_TEXTS
    ]
    assert {c.value for c in texts} == set(HOSTILE_TEXTS)
    assert all(c.data_type == "s" and c.hyperlink is None for c in texts)


def test_missing_file_and_empty_folder(tmp_path):
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "weg.xlsx")])
    assert result.exit_code == 2
    assert f"onbruikbaar: {tmp_path / 'weg.xlsx'}: bestand niet gevonden." in result.output
    empty = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert empty.exit_code == 2
    assert empty.output == f"Fout: geen werkboeken (.xlsx) gevonden in {tmp_path}.\n"
    result = CliRunner().invoke(cli, ["merge", str(tmp_path), "--out", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2
    assert f"Fout: geen werkboeken (.xlsx) gevonden in {tmp_path}." in result.output


def test_entities_in_the_shared_strings_of_a_generated_workbook(generated, spec, tmp_path):
    """The filled samples have inline strings (openpyxl); a workbook as xlsxwriter or Excel
    writes it keeps its texts in xl/sharedStrings.xml, the usual place for this attack."""
    target = tmp_path / "entiteiten-in-gedeelde-teksten.xlsx"
    doctype_in("xl/sharedStrings.xml")(
        generated["jaarschijf-2027-voorbeeldstad-baken.xlsx"], target
    )
    report = validate_file(target, spec)
    assert report.unusable == (
        f"{target}: onderdeel xl/sharedStrings.xml bevat een DOCTYPE-declaratie; zulke "
        "bestanden worden om veiligheidsredenen niet gelezen."
    )


@pytest.mark.parametrize("fault", sorted(p.name for p in (ROOT / "samples" / "fouten").iterdir()))
def test_merge_takes_each_everyday_mistake_with_allow_invalid(fault, spec):
    """The tampered templates of everyday use (renamed, deleted or added sheets, moved columns,
    changed headers...) are samples/fouten/: merge refuses them or takes them, never raises."""
    path = ROOT / "samples" / "fouten" / fault
    valid = validate_file(path, spec).valid()
    merged = merge_paths([path, *OTHERS], spec=spec, workers=1, allow_invalid=True)
    (source,) = [s for s in merged.sources if s.path == path]
    assert source.valid == valid
    assert len(source.records) == sum(len(b.rows) for b in read_workbook(path, spec).blocks)


def test_a_formula_a_party_typed_is_kept_as_text_in_the_overview(corpus, spec, tmp_path):
    """merge --allow-invalid keeps what was typed as a live formula under Onleesbare waarden,
    as inert text: the afspraak is not lost, and nothing is live in the overview."""
    for name, text in (
        ("formule-als-afspraak.xlsx", f"Afspraak: {FORMULA_AFSPRAAK}"),
        ("formule-injectie.xlsx", "Bijdrage (EUR): =cmd|' /C calc'!A0"),
    ):
        merged = merge_paths([corpus[name], *OTHERS], spec=spec, workers=1, allow_invalid=True)
        overview = openpyxl.load_workbook(write_overview(merged, tmp_path / f"{name}.xlsx"))
        (cell,) = [
            c for sheet in overview for row in sheet.iter_rows() for c in row if c.value == text
        ]
        assert cell.data_type == "s"
        assert cell.hyperlink is None
        assert cell.parent.cell(1, cell.column).value == "Onleesbare waarden"

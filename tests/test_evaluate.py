"""evaluate: the stoplicht per thema, party and corporatie, rood and oranje first, SMART
warnings left; the same from returned workbooks as from a gezamenlijk overzicht."""

import shutil
import zipfile
from collections import Counter

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT

from pa_sheets.cli import cli
from pa_sheets.cycle.evaluate import NO_STATUS, evaluate_paths, tables, write_evaluation
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import merge_paths, per_corporatie
from pa_sheets.merge.form import SMART_HEADER
from pa_sheets.merge.overview import write_overview
from pa_sheets.merge.read_overview import smart_warnings

FILLED = ROOT / "samples" / "ingevuld"
NOT_SMART = ROOT / "samples" / "fouten" / "niet-smart.xlsx"
INPUTS = [
    NOT_SMART,
    FILLED / "jaarschijf-2027-voorbeeldstad-baken.xlsx",
    FILLED / "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx",
]


@pytest.fixture(scope="module")
def from_workbooks(spec):
    return evaluate_paths(INPUTS, spec=spec)


@pytest.fixture(scope="module")
def merged(spec):
    return merge_paths(INPUTS, spec=spec, workers=1, allow_invalid=True)


@pytest.fixture(scope="module")
def overview(merged, tmp_path_factory):
    return write_overview(merged, tmp_path_factory.mktemp("overzicht") / "overzicht.xlsx")


def test_counts_follow_the_statuses_of_the_rows(from_workbooks, spec):
    merged = merge_paths(INPUTS, spec=spec, workers=1, allow_invalid=True)
    statuses = Counter(
        (r.thema, r.values.get("status") or NO_STATUS)
        for _, r in merged.records(merged.afspraak_blocks())
    )
    per_thema = tables(from_workbooks)[0]
    for row in per_thema.rows:
        counts = dict(zip(from_workbooks.statuses, row[2:], strict=True))
        assert counts == {s: statuses[(row[0], s)] for s in from_workbooks.statuses}
        assert row[1] == sum(row[2:])
    assert per_thema.totals[1] == sum(statuses.values())


def test_attention_lists_rood_first_then_oranje(from_workbooks):
    attention = from_workbooks.attention()
    order = [item.status for item in attention]
    assert order == sorted(order, key=["rood", "oranje"].index)
    assert set(order) == {"rood", "oranje"}
    assert all(item.toelichting for item in attention)  # V009 makes it required
    assert len(attention) == sum(a.status in ("rood", "oranje") for a in from_workbooks.afspraken)


def test_smart_warnings_are_validates_m_findings(from_workbooks, spec):
    from pa_sheets.check.validate import validate_file

    found = sum(
        f.code.startswith("M") for path in INPUTS for f in validate_file(path, spec).findings
    )
    assert found == 3 and from_workbooks.smart_warnings == found


def test_the_same_from_a_gezamenlijk_overzicht(from_workbooks, overview, spec):
    again = evaluate_paths([overview], spec=spec)
    assert [t.rows for t in tables(again)] == [t.rows for t in tables(from_workbooks)]
    assert again.attention() == from_workbooks.attention()
    assert again.afspraken == from_workbooks.afspraken
    assert again.smart == from_workbooks.smart and again.smart_warnings == 3
    assert again.title == from_workbooks.title == "Evaluatie jaarschijf 2027, Voorbeeldstad"
    assert again.inputs == [overview]


def test_an_overview_keeps_validates_smart_warnings_per_corporatie(merged, overview):
    """What evaluate reads from an overview is what merge counted from validate's findings."""
    assert SMART_HEADER in per_corporatie(merged).header
    assert smart_warnings(overview) == {
        source.template.l_nummer: sum(f.code.startswith("M") for f in source.report.findings)
        for source in merged.sources
    }


def test_the_workbook_has_shares_and_a_chart(from_workbooks, spec, tmp_path):
    path = write_evaluation(from_workbooks, tmp_path / "evaluatie.xlsx", spec)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Evaluatie", "Aandacht"]
    rows = list(workbook["Evaluatie"].iter_rows(values_only=True))
    header = rows[3]
    assert header[:3] == ("Thema", "Afspraken", "groen")
    first = rows[4]
    shares = [v for h, v in zip(header, first, strict=False) if str(h).startswith("% ")]
    assert sum(shares) == pytest.approx(1.0)
    attention = list(workbook["Aandacht"].iter_rows(values_only=True))
    assert [r[0] for r in attention[1:]] == [a.status for a in from_workbooks.attention()]
    with zipfile.ZipFile(path) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_the_command(tmp_path):
    result = CliRunner().invoke(
        cli, ["evaluate", *map(str, INPUTS), "--out", str(tmp_path / "e.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Evaluatie jaarschijf 2027, Voorbeeldstad\n")
    assert "\nSMART-waarschuwingen nog open: 3\n" in result.output
    assert f"Evaluatie geschreven: {tmp_path / 'e.xlsx'}" in result.output
    bod = CliRunner().invoke(
        cli, ["evaluate", str(FILLED / "bod-2027-2031-voorbeeldstad-linde.xlsx")]
    )
    assert bod.exit_code == 2 and "een bod heeft geen stoplicht" in bod.output


def test_the_evaluation_is_never_written_over_a_returned_workbook(tmp_path):
    returned = tmp_path / "terug"
    returned.mkdir()
    for path in INPUTS:
        shutil.copyfile(path, returned / path.name)
    target = returned / INPUTS[1].name
    before = target.read_bytes()
    result = CliRunner().invoke(cli, ["evaluate", str(returned), "--out", str(target), "--force"])
    assert result.exit_code == 2, result.output
    assert f"Fout: {target}: is een van de invoerbestanden; kies een andere naam." in (
        result.output
    )
    assert target.read_bytes() == before


def test_a_bod_is_refused(spec):
    with pytest.raises(UsageError, match="een bod heeft geen stoplicht"):
        evaluate_paths([FILLED / "bod-2027-2031-voorbeeldstad-linde.xlsx"], spec=spec)


@pytest.mark.slow  # LibreOffice
def test_the_evaluation_workbook_survives_libreoffice(from_workbooks, spec, tmp_path):
    """Opened and saved by LibreOffice: the same values on both sheets, the chart still there."""
    from conftest import resave

    path = write_evaluation(from_workbooks, tmp_path / "evaluatie.xlsx", spec)
    resave([path], tmp_path / "lo", tmp_path / "profiel")
    before, after = (
        openpyxl.load_workbook(path),
        openpyxl.load_workbook(tmp_path / "lo" / path.name),
    )
    assert after.sheetnames == before.sheetnames
    for name in before.sheetnames:
        assert _rounded(after[name]) == _rounded(before[name]), name
    with zipfile.ZipFile(tmp_path / "lo" / path.name) as package:
        assert any(n.startswith("xl/charts/chart") for n in package.namelist())


def _rounded(sheet) -> list[list[object]]:
    """The cell values, shares to 9 decimals: LibreOffice stores 15 significant digits."""
    return [
        [round(c.value, 9) if isinstance(c.value, float) else c.value for c in row]
        for row in sheet.iter_rows()
    ]

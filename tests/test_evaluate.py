"""evaluate: the stoplicht per thema, party and corporatie, rood and oranje first, SMART
warnings left; the same from returned workbooks as from a gezamenlijk overzicht."""

import shutil
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT
from workbook_helpers import collective_tabs, typed

from pa_sheets.cli import cli
from pa_sheets.cycle.evaluate import (
    NO_STATUS,
    evaluate_paths,
    tables,
    text_evaluation,
    write_evaluation,
)
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.form import SMART_HEADER
from pa_sheets.merge.overview import write_overview
from pa_sheets.merge.read_overview import smart_warnings
from pa_sheets.merge.tables import per_corporatie

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
    members = {id(r) for c in merged.collectives for _, r in c.members}
    statuses = Counter(
        (r.thema, r.values.get("status") or NO_STATUS)
        for _, r in merged.records(merged.afspraak_blocks())
        if id(r) not in members
    )
    for collective in merged.collectives:  # once, with the status all give it, if they agree
        said = {s or NO_STATUS for s in collective.statuses().values()}
        statuses[(collective.record.thema, said.pop() if len(said) == 1 else "uiteenlopend")] += 1
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
    assert again.counted == from_workbooks.counted
    assert again.conflicts == from_workbooks.conflicts
    assert again.koers == from_workbooks.koers
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
    assert workbook.sheetnames == ["Evaluatie", "Aandacht", "Indicatoren", "Ondertekening"]
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


# ---------------------------------------------------------------------------------------------
# A collective afspraak once, and the richting per indicator: from blank jaarschijven with only
# the cells each test types.
# ---------------------------------------------------------------------------------------------

CORPORATIES = {
    "linde": ("Linde", "HV Linde", "Woonstichting De Linde"),
    "stadswonen": ("Stadswonen", "BR Stadswonen", "Stadswonen Voorbeeldstad"),
    "baken": ("Baken", "HB Baken", "Wooncorporatie Het Baken"),
}


def returned(generated, tmp_path: Path, per_corporatie) -> list[Path]:
    """The three jaarschijven 2027 with `per_corporatie(corporatie, huurders, naam)` typed in."""
    return [
        typed(
            generated[f"jaarschijf-2027-voorbeeldstad-{kort}.xlsx"],
            tmp_path / "terug" / f"{kort}.xlsx",
            per_corporatie(*CORPORATIES[kort]),
        )
        for kort in CORPORATIES
    ]


def collective_statuses(corporatie: str, huurders: str, naam: str) -> dict:
    """Every lopende afspraak for alle groen; Stadswonen says oranje for BS-01."""
    where = collective_tabs(corporatie, huurders)
    rows = {
        (sheet, "going_concern", nummer): {"status": "groen"} for nummer, sheet in where.items()
    }
    if corporatie == "Stadswonen":
        rows[("BS Stadswonen", "going_concern", "BS-01")] = {
            "status": "oranje",
            "toelichting": "Een locatie schuift een jaar op.",
        }
    return rows


def test_a_collective_afspraak_counts_once_and_different_statuses_are_named(
    generated, spec, tmp_path
):
    evaluation = evaluate_paths(returned(generated, tmp_path, collective_statuses), spec=spec)
    per_corporatie = tables(evaluation)[2]
    rows = {
        row[0]: dict(zip(per_corporatie.header, row, strict=True)) for row in per_corporatie.rows
    }
    assert rows["Gezamenlijk"]["Afspraken"] == 7  # not 21: once for the three corporaties
    assert rows["Gezamenlijk"]["groen"] == 6 and rows["Gezamenlijk"]["uiteenlopend"] == 1
    assert rows["Woonstichting De Linde"]["Afspraken"] == 1  # VD-01, De Linde's own
    assert per_corporatie.totals[1] == 8
    (conflict,) = evaluation.conflicts
    assert conflict.nummer == "BS-01" and conflict.partij == "Alle corporaties"
    assert dict(conflict.statuses) == {
        "Woonstichting De Linde": "groen",
        "Stadswonen Voorbeeldstad": "oranje",
        "Wooncorporatie Het Baken": "groen",
    }
    text = text_evaluation(evaluation)
    assert "Gezamenlijke afspraken met een verschillende status per corporatie" in text
    assert "Stadswonen Voorbeeldstad: oranje" in text
    # Stadswonen's oranje still needs attention, with its own toelichting.
    (item,) = evaluation.attention()
    assert (item.corporatie, item.nummer, item.collectief) == (
        "Stadswonen Voorbeeldstad",
        "BS-01",
        True,
    )


def richting(corporatie: str, huurders: str, naam: str) -> dict:
    """BS-01 (each corporatie its own part of the nieuwbouw), BT-02 (the gemeente's
    huisuitzettingen, the same figure in each workbook) and a few new afspraken."""
    realisatie = {"Linde": 10, "Stadswonen": 20, "Baken": 30}[corporatie]
    rows: dict = {
        (f"BS {corporatie}", "going_concern", "BS-01"): {"realisatie": realisatie},
        ("BT Gemeente", "going_concern", "BT-02"): {"realisatie": 8},  # nulmeting 12, lager
    }
    if corporatie == "Linde":
        new = {"nummer": "LB-01", "afspraak": "Huurdersoordeel.", "soort": "nieuw"}
        new |= {"type": "handelingsafspraak", "trekker": naam, "eenheid": "rapportcijfer"}
        new |= {"indicator": "Huurdersoordeel over de woonomgeving", "nulmeting": 7.0}
        new |= {"nulmeting_jaar": 2025, "streefwaarde": 7.5, "realisatie": 6.5}
        rows[("LB Linde", "nieuw", 0)] = new
        other = dict(new, nummer="LB-02", eenheid="EUR", nulmeting=1.0, realisatie=90_000)
        rows[("LB Linde", "nieuw", 1)] = other  # another eenheid: not counted
    return rows


def test_each_indicator_is_judged_by_its_richting(generated, spec, tmp_path):
    evaluation = evaluate_paths(returned(generated, tmp_path, richting), spec=spec)
    koers = {k.code: k for k in evaluation.koers}
    nieuwbouw = koers["BS01"]  # hoger: 0 -> 10 + 20 + 30
    assert (nieuwbouw.afspraken, nieuwbouw.gemeten) == (1, 1)  # BS-01 once
    assert (nieuwbouw.nulmeting, nieuwbouw.realisatie, nieuwbouw.oordeel) == (0, 60, "op koers")
    uitzettingen = koers["BT05"]  # lager: 12 -> 8, the gemeente's one figure
    assert (uitzettingen.nulmeting, uitzettingen.realisatie) == (12, 8)
    assert uitzettingen.oordeel == "op koers"
    oordeel = koers["LB01"]  # hoger: 7 -> 6,5
    assert (oordeel.oordeel, oordeel.berekend) == ("niet op koers", "gemiddelde (ongewogen)")
    assert (oordeel.afspraken, oordeel.andere_eenheid) == (1, 1)
    assert koers["SW01"].oordeel == "geen richting"  # neutraal: a choice, not a goal
    assert koers["BT03"].oordeel == "onbekend"  # BT-01: no realisatie given
    text = text_evaluation(evaluation)
    assert "Richting per indicator" in text
    line = next(line for line in text.splitlines() if line.startswith("BT05"))
    assert line.split()[-2:] == ["op", "koers"] and " 12 " in line and " 8 " in line
    path = write_evaluation(evaluation, tmp_path / "evaluatie.xlsx", spec)
    sheet = openpyxl.load_workbook(path)["Indicatoren"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[3]
    found = {row[0]: dict(zip(header, row, strict=True)) for row in rows[4:]}
    assert found["LB01"]["Oordeel"] == "niet op koers"
    assert found["BS01"]["Realisatie"] == 60

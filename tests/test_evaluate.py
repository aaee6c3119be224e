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
from pa_sheets.cycle.evaluate import MARK_HEADER, NO_STATUS, evaluate_paths
from pa_sheets.cycle.evaluation_tables import (
    CONFLICT_TITLE,
    GEDEELD_TITLE,
    judgement_tables,
    tables,
    target_cell,
)
from pa_sheets.cycle.evaluation_text import text_evaluation
from pa_sheets.cycle.evaluation_workbook import write_evaluation
from pa_sheets.cycle.verslag import VERSLAG_HEADER, ZIENSWIJZEN, verslag_paths
from pa_sheets.errors import OutputError, UsageError
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


def test_counts_follow_the_statuses_of_the_rows(from_workbooks, merged):
    """Every status once per corporatie row: a collective afspraak at each corporatie, with
    the status that corporatie gives it; uiteenlopend is an extra column, never instead."""
    statuses = Counter(
        (r.thema, r.values.get("status") or NO_STATUS)
        for _, r in merged.records(merged.afspraak_blocks())
    )
    differing = Counter(
        c.record.thema
        for c in merged.collectives
        for _ in c.members
        if len(set(c.statuses().values())) > 1
    )
    per_thema = tables(from_workbooks)[0]
    for row in per_thema.rows:
        counts = dict(zip(per_thema.header[2:], row[2:], strict=True))
        assert {s: counts[s] for s in from_workbooks.statuses} == {
            s: statuses[(row[0], s)] for s in from_workbooks.statuses
        }
        assert counts.get(MARK_HEADER, 0) == differing[row[0]]
        assert row[1] == sum(counts[s] for s in from_workbooks.statuses)
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
    assert workbook.sheetnames == [
        "Evaluatie",
        "Aandacht",
        "Status en cijfers",
        "Indicatoren",
        "Verslag",
        "Ondertekening",
    ]
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


def test_the_collective_afspraken_start_a_page_and_the_charts_follow_them(
    from_workbooks, spec, tmp_path
):
    # Issue 27: the last rows of the table of afspraken whose corporaties differ printed alone
    # on a page, without its header. Now the table starts the page after the counts, and the
    # charts fit below it (no second break).
    path = write_evaluation(from_workbooks, tmp_path / "evaluatie.xlsx", spec)
    sheet = openpyxl.load_workbook(path)["Evaluatie"]
    column = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert from_workbooks.conflicts
    assert [b.id for b in sheet.row_breaks.brk] == [column.index(CONFLICT_TITLE)]


def test_the_command(tmp_path):
    result = CliRunner().invoke(
        cli, ["evaluate", *map(str, INPUTS), "--out", str(tmp_path / "e.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Evaluatie jaarschijf 2027, Voorbeeldstad\n")
    assert "\nSMART-waarschuwingen nog open: 3\n" in result.output
    assert f"Evaluatie geschreven: {tmp_path / 'e.xlsx'}" in result.output
    verslag = tmp_path / "e-verslag-woonstichting-de-linde.xlsx"
    assert f"\n  Woonstichting De Linde: {verslag}\n" in result.output
    assert verslag.exists()
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


def test_every_status_counts_at_its_corporatie_and_uiteenlopend_is_an_extra_mark(
    generated, spec, tmp_path
):
    """The coordinator's test of issue 24: every table showed oranje 0 while two oranje
    afspraken were listed. Now Stadswonen's oranje counts at Stadswonen, and BS-01 is marked
    uiteenlopend besides, at each of its corporaties."""
    evaluation = evaluate_paths(returned(generated, tmp_path, collective_statuses), spec=spec)
    per_thema, _, per_corporatie = tables(evaluation)
    rows = {
        row[0]: dict(zip(per_corporatie.header, row, strict=True)) for row in per_corporatie.rows
    }
    assert "Gezamenlijk" not in rows
    assert rows["Stadswonen Voorbeeldstad"]["oranje"] == 1
    assert rows["Stadswonen Voorbeeldstad"]["groen"] == 6
    assert rows["Woonstichting De Linde"]["Afspraken"] == 8  # the 7 shared, and its VD-01
    for row in rows.values():
        assert row[MARK_HEADER] == 1  # its copy of BS-01
        assert row["Afspraken"] == sum(row[s] for s in evaluation.statuses)
    assert per_corporatie.totals[1] == 22 == len(evaluation.afspraken)
    totals = dict(zip(per_thema.header, per_thema.totals, strict=True))
    assert totals["oranje"] == 1 == len(evaluation.attention())
    assert totals[MARK_HEADER] == 3
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


JOINT = {
    "nummer": "BS-20",
    "afspraak": "De corporaties leveren samen 100 sociale huurwoningen op in 2026-2029.",
    "soort": "nieuw",
    "type": "handelingsafspraak",
    "scope": "alle corporaties",
    "indicator": "BS01",
    "eenheid": "woningen",
    "streefwaarde": 100,
    "mijlpaal": 50,
    "planning": "2026-2029",
}


def figures(corporatie: str, huurders: str, naam: str) -> dict:
    """BS-01 (each corporatie its own 60 from 2026 to 2030: pro rata 24 in 2027), BS-20 (one
    target of the three together, mijlpaal 50), BT-02 (the gemeente's huisuitzettingen, at
    most 5 in 2025-2028: 8 is past it for good), and Linde's VD-01 reported groen while behind."""
    realisatie = {"Linde": 10, "Stadswonen": 20, "Baken": 30}[corporatie]
    status = {"Linde": "groen", "Stadswonen": "rood", "Baken": "groen"}[corporatie]
    rows: dict = {
        (f"BS {corporatie}", "going_concern", "BS-01"): {
            "realisatie": realisatie,
            "status": "groen",
        },
        ("BT Gemeente", "going_concern", "BT-02"): {"realisatie": 8, "status": "oranje"},
        (f"BS {corporatie}", "nieuw", 0): dict(
            JOINT, trekker=naam, realisatie=realisatie, status=status, toelichting="-"
        ),
    }
    if corporatie == "Linde":
        rows[("VD Linde", "going_concern", "VD-01")] = {"realisatie": 40, "status": "groen"}
        new = {"nummer": "LB-01", "afspraak": "Huurdersoordeel.", "soort": "nieuw"}
        new |= {"type": "handelingsafspraak", "trekker": naam, "eenheid": "rapportcijfer"}
        new |= {"indicator": "Huurdersoordeel over de woonomgeving", "nulmeting": 7.0}
        new |= {"nulmeting_jaar": 2025, "streefwaarde": 7.5, "realisatie": 7.2}
        new |= {"planning": 2029}
        rows[("LB Linde", "nieuw", 0)] = new
        other = dict(new, nummer="LB-02", eenheid="EUR", nulmeting=1.0, realisatie=90_000)
        rows[("LB Linde", "nieuw", 1)] = other  # another eenheid: not counted
    return rows


@pytest.fixture(scope="module")
def with_figures(generated, tmp_path_factory, spec):
    """The evaluation of the three jaarschijven with `figures` typed in (read by two tests)."""
    folder = tmp_path_factory.mktemp("cijfers")
    return evaluate_paths(returned(generated, folder, figures), spec=spec)


def test_each_afspraak_is_judged_against_what_was_agreed(with_figures, spec, tmp_path):
    evaluation = with_figures
    judged = {(a.corporatie, a.nummer): a.oordeel for a in evaluation.afspraken}
    # Each corporatie's own 60 (scope empty): pro rata 24 at the end of 2027 (2 of 5 years).
    assert judged[("Woonstichting De Linde", "BS-01")].oordeel == "achter"
    assert judged[("Wooncorporatie Het Baken", "BS-01")].oordeel == "op koers"
    assert "pro rata 24 (2 van 5 jaar)" in judged[("Wooncorporatie Het Baken", "BS-01")].uitleg
    # One target together: 10 + 20 + 30 against the mijlpaal 50, at each corporatie.
    joint = {judged[(c, "BS-20")] for c in evaluation.corporaties}
    assert len(joint) == 1
    (oordeel,) = joint
    assert oordeel.oordeel == "op koers" and oordeel.realisatie == 60
    assert oordeel.uitleg.startswith("samen 60 van 100 gerealiseerd, mijlpaal 50 (bijdragen:")
    (shared,) = evaluation.gedeeld  # the joint target, each corporatie's part and status
    assert (shared.nummer, shared.streefwaarde, shared.mijlpaal) == ("BS-20", 100, 50)
    assert shared.oordeel == oordeel
    assert shared.bijdragen == (
        ("Woonstichting De Linde", 10, "groen"),
        ("Stadswonen Voorbeeldstad", 20, "rood"),
        ("Wooncorporatie Het Baken", 30, "groen"),
    )
    # At most 5 huisuitzettingen from 2025 to 2028: 8 already is past it.
    assert judged[("Woonstichting De Linde", "BT-02")].oordeel == "niet gehaald"
    # A rapportcijfer is a stand: 7,2 against 7,5 in 2029, no mijlpaal: behind its target.
    assert judged[("Woonstichting De Linde", "LB-01")].oordeel == "achter"
    # The stoplicht stays beside it; where it says otherwise, a finding.
    found = {(t.corporatie, t.nummer): t.tekst for t in evaluation.tegenspraak}
    assert found[("Stadswonen Voorbeeldstad", "BS-20")].startswith(
        "rood gemeld, samen 60 van 100 gerealiseerd, mijlpaal 50"
    )
    assert found[("Woonstichting De Linde", "BS-01")] == (
        "groen gemeld, 10 van 60 gerealiseerd, pro rata 24 (2 van 5 jaar)"
    )
    assert found[("Woonstichting De Linde", "VD-01")] == (
        "groen gemeld, 40 van 240 gerealiseerd, pro rata 160 (2 van 3 jaar)"
    )
    assert ("Wooncorporatie Het Baken", "BS-20") not in found  # groen and op koers agree
    # The counts add up: every corporatie row has one status and one judgement.
    stoplicht = tables(evaluation)[2]
    oordelen = judgement_tables(evaluation)[1]
    assert stoplicht.totals[1] == oordelen.totals[1] == len(evaluation.afspraken)
    assert oordelen.totals[1] == sum(oordelen.totals[2:])
    per_indicator = {k.code: k for k in evaluation.koers}
    nieuwbouw = per_indicator["BS01"]
    # BS-01 each its own 60 over 2026-2030, BS-20 one 100 over 2026-2029: targets of two terms
    # are no one total (issue 26), as in the overview's Kengetallen, and nor are their
    # realisaties (60 of each: 120 was given). One term counts, of equals the first: BS-20's
    # 10 + 20 + 30 against its 100; BS-01 is left out.
    assert (nieuwbouw.afspraken, nieuwbouw.gemeten, nieuwbouw.realisatie) == (2, 2, 60)
    assert (nieuwbouw.termijn, nieuwbouw.andere_termijn, nieuwbouw.streefwaarde) == (
        "2026-2029",
        1,
        100,
    )
    assert sum(nieuwbouw.oordelen) == 6  # three corporaties, two afspraken each
    assert per_indicator["LB01"].andere_eenheid == 1
    text = text_evaluation(evaluation)
    assert "Status en cijfers spreken elkaar tegen: " in text
    assert "  VD-01   Woonstichting De Linde: groen gemeld, 40 van 240" in text
    assert "\n  BS-20   op koers: samen 60 van 100" in text
    assert "Stadswonen Voorbeeldstad: 20 (rood)" in text
    path = write_evaluation(evaluation, tmp_path / "evaluatie.xlsx", spec)
    workbook = openpyxl.load_workbook(path)
    cells = list(workbook["Evaluatie"].iter_rows(values_only=True))
    title = next(i for i, row in enumerate(cells) if row[0] == GEDEELD_TITLE)
    header = cells[title + 1]
    table = [dict(zip(header, row, strict=False)) for row in cells[title + 2 : title + 6]]
    assert [(r["Corporatie"], r["Realisatie"], r["Status of oordeel"]) for r in table] == [
        ("Woonstichting De Linde", 10, "groen"),
        ("Stadswonen Voorbeeldstad", 20, "rood"),
        ("Wooncorporatie Het Baken", 30, "groen"),
        ("Samen", 60, "op koers"),
    ]
    assert (table[-1]["Doel"], table[-1]["Mijlpaal"]) == (100, 50)
    rows = list(workbook["Status en cijfers"].iter_rows(min_row=5, values_only=True))
    assert sorted((r[0], r[2], r[6]) for r in rows) == sorted(
        (t.corporatie, t.nummer, t.tekst) for t in evaluation.tegenspraak
    )
    sheet = list(workbook["Indicatoren"].iter_rows(values_only=True))
    found_rows = {row[0]: dict(zip(sheet[3], row, strict=True)) for row in sheet[4:]}
    assert found_rows["BS01"]["Realisatie"] == 60 and found_rows["BS01"]["Op koers"] == 4


def test_two_afspraken_with_one_nummer_count_each_their_own_realisatie(generated, spec, tmp_path):
    """Two afspraken may share a nummer (a corporatie's own ones, or two collectives whose
    copies differ): the indicator's realisatie counts each with its own figure, not the one
    of the last row with that nummer."""

    def rows(corporatie: str, huurders: str, naam: str) -> dict:
        if corporatie != "Linde":
            return {}
        first = {"nummer": "LB-01", "afspraak": "Huurdersoordeel.", "soort": "nieuw"}
        first |= {"type": "handelingsafspraak", "trekker": naam, "eenheid": "rapportcijfer"}
        first |= {"indicator": "Huurdersoordeel over de woonomgeving", "nulmeting": 7.0}
        first |= {"nulmeting_jaar": 2025, "streefwaarde": 7.5, "realisatie": 7.0}
        first |= {"planning": 2029, "status": "groen"}
        second = dict(first, afspraak="Huurdersoordeel in de wijk.", realisatie=8.0)
        return {("LB Linde", "nieuw", 0): first, ("LB Linde", "nieuw", 1): second}

    evaluation = evaluate_paths(returned(generated, tmp_path, rows), spec=spec)
    (koers,) = [k for k in evaluation.koers if k.code == "LB01"]
    assert (koers.afspraken, koers.gemeten, koers.streefwaarde) == (2, 2, 7.5)
    assert koers.realisatie == 7.5  # the mean of 7.0 and 8.0; 8.0 was counted twice before


def bandbreedtes(corporatie: str, huurders: str, naam: str) -> dict:
    """Each corporatie a bandbreedte for 2027 in woningen (BS01: 100 tot 150, 200 tot 250,
    300 tot 400); Linde and Stadswonen one as a rapportcijfer (LB01: 7 tot 8, 8 tot 9); the
    gemeente's BT-02 (BT05, at most 5) one number."""
    bouw = {"Linde": (100, 150, 120), "Stadswonen": (200, 250, 210), "Baken": (300, 400, 420)}
    low, high, realisatie = bouw[corporatie]
    new = {"soort": "nieuw", "type": "handelingsafspraak", "trekker": naam, "status": "groen"}
    new |= {"doelsoort": "bandbreedte", "planning": 2027}
    rows: dict = {
        (f"BS {corporatie}", "nieuw", 0): dict(
            new,
            nummer="BS-30",
            afspraak="Sociale huurwoningen opleveren in 2027.",
            indicator="BS01",
            eenheid="woningen",
            streefwaarde=low,
            streefwaarde_tot=high,
            realisatie=realisatie,
        ),
        ("BT Gemeente", "going_concern", "BT-02"): {"realisatie": 3, "status": "groen"},
    }
    if corporatie != "Baken":
        low = {"Linde": 7, "Stadswonen": 8}[corporatie]
        rows[(f"LB {corporatie}", "nieuw", 0)] = dict(
            new,
            nummer="LB-30",
            afspraak="Huurdersoordeel over de woonomgeving.",
            indicator="Huurdersoordeel over de woonomgeving",
            eenheid="rapportcijfer",
            streefwaarde=low,
            streefwaarde_tot=low + 1,
            realisatie=low + 0.5,
        )
    return rows


def test_an_indicator_of_bandbreedtes_shows_what_was_agreed(generated, spec, tmp_path):
    """Issue 24/26: of bandbreedtes the evaluation showed only the sum of the lower bounds as
    the Streefwaarde (600 where 600 tot 800 was agreed). Now the upper bounds add up beside
    them, as on the overview's Kengetallen; of a rapportcijfer their means."""
    evaluation = evaluate_paths(returned(generated, tmp_path, bandbreedtes), spec=spec)
    # BS01: the three bandbreedtes measured, the lopende BS-01 (each its own 60) not.
    koers = {k.code: k for k in evaluation.koers}
    bouw, oordeel, uitzettingen = koers["BS01"], koers["LB01"], koers["BT05"]
    assert (bouw.termijn, bouw.gemeten, bouw.andere_termijn) == ("2027, bandbreedte", 3, 0)
    assert (bouw.streefwaarde, bouw.streefwaarde_tot, bouw.realisatie) == (600, 800, 750)
    assert oordeel.berekend == "gemiddelde (ongewogen)"
    assert (oordeel.streefwaarde, oordeel.streefwaarde_tot, oordeel.realisatie) == (7.5, 8.5, 8)
    assert (uitzettingen.streefwaarde, uitzettingen.streefwaarde_tot) == (5, None)
    lines = text_evaluation(evaluation).splitlines()
    (line,) = [line for line in lines if line.startswith("BS01 ")]
    assert f"{'3/4':>7} {'600 tot 800':>11} {'750':>10}  " in line
    (line,) = [line for line in lines if line.startswith("LB01 ")]
    assert f"{'2/2':>7} {'7,5 tot 8,5':>11} {'8':>10}  " in line
    (line,) = [line for line in lines if line.startswith("BT05 ")]
    assert f" {'5':>11} {'3':>10}  " in line
    path = write_evaluation(evaluation, tmp_path / "evaluatie.xlsx", spec)
    sheet = list(openpyxl.load_workbook(path)["Indicatoren"].iter_rows(values_only=True))
    header = sheet[3]
    assert header[header.index("Streefwaarde") + 1] == "Streefwaarde tot"
    assert "de bovengrenzen als Streefwaarde tot" in sheet[1][0]
    found = {row[0]: dict(zip(header, row, strict=True)) for row in sheet[4:]}
    shown = {
        code: (r["Streefwaarde"], r["Streefwaarde tot"], r["Realisatie"])
        for code, r in found.items()
    }
    assert shown["BS01"] == (600, 800, 750)
    assert shown["LB01"] == (7.5, 8.5, 8)
    assert shown["BT05"] == (5, None, 3)


def joint_bandbreedte(corporatie: str, huurders: str, naam: str) -> dict:
    """bandbreedtes, and BS-20 as a joint bandbreedte: 100 tot 140 woningen together."""
    rows = bandbreedtes(corporatie, huurders, naam)
    realisatie = {"Linde": 30, "Stadswonen": 40, "Baken": 50}[corporatie]
    joint = dict(JOINT, doelsoort="bandbreedte", streefwaarde_tot=140, mijlpaal=None)
    joint |= {"trekker": naam, "realisatie": realisatie, "status": "groen"}
    rows[(f"BS {corporatie}", "nieuw", 1)] = joint
    return rows


def test_a_bandbreedte_is_reported_as_agreed_not_as_its_lower_bound(spec, generated, tmp_path):
    """The section for the volkshuisvestingsverslag and the joint targets showed the lower
    bound of a bandbreedte as its Streefwaarde (100 where 100 tot 150 was agreed)."""
    evaluation = evaluate_paths(returned(generated, tmp_path, joint_bandbreedte), spec=spec)
    own = {(a.corporatie, a.nummer): a for a in evaluation.afspraken}
    linde = own[("Woonstichting De Linde", "BS-30")]
    assert (linde.streefwaarde, linde.streefwaarde_tot) == (100, 150)
    assert own[("Woonstichting De Linde", "BS-01")].streefwaarde_tot is None
    (shared,) = evaluation.gedeeld
    assert (shared.nummer, shared.streefwaarde, shared.streefwaarde_tot) == ("BS-20", 100, 140)
    path = write_evaluation(evaluation, tmp_path / "evaluatie.xlsx", spec)
    cells = list(openpyxl.load_workbook(path)["Evaluatie"].iter_rows(values_only=True))
    title = next(i for i, row in enumerate(cells) if row[0] == GEDEELD_TITLE)
    header = cells[title + 1]
    together = dict(zip(header, cells[title + 5], strict=False))
    assert (together["Corporatie"], together["Realisatie"]) == ("Samen", 120)
    assert together["Doel"] == "100 tot 140"
    verslag = verslag_paths(evaluation, path)["Woonstichting De Linde"]
    rows = list(openpyxl.load_workbook(verslag)["Verslag"].iter_rows(values_only=True))
    targets = {row[1]: row[VERSLAG_HEADER.index("Streefwaarde")] for row in rows[5:]}
    assert targets["BS-30"] == "100 tot 150"  # a text: the range as agreed
    assert targets["BS-01"] == 60  # one number stays a number
    assert targets["BS-20"] == "100 tot 140"


@pytest.mark.parametrize(
    ("low", "high", "cell"),
    [
        (100.0, 150.0, "100 tot 150"),
        (2.25, 2.75, "2,25 tot 2,75"),  # not '2,2 tot 2,8': what was agreed
        (1250000.0, 1500000.0, "1.250.000 tot 1.500.000"),
        (None, 150.0, "- tot 150"),  # a bandbreedte without its lower bound (D002)
    ],
)
def test_a_bandbreedte_in_a_cell_reads_as_agreed(low, high, cell):
    assert target_cell(low, high) == cell
    assert target_cell(low, None) == low  # one number stays a number


def test_without_bandbreedtes_the_indicators_have_no_column_for_them(with_figures, tmp_path, spec):
    assert all(k.streefwaarde_tot is None for k in with_figures.koers)
    path = write_evaluation(with_figures, tmp_path / "evaluatie.xlsx", spec)
    sheet = openpyxl.load_workbook(path)["Indicatoren"]
    assert "Streefwaarde tot" not in [c.value for c in sheet[4]]


def test_each_corporatie_gets_a_workbook_for_its_volkshuisvestingsverslag(
    with_figures, spec, tmp_path
):
    """Issue 27: the Verslag doubled the evaluation's pages. Each corporatie gets its section
    as a workbook of its own beside the evaluation, which says where."""
    evaluation = with_figures
    out = tmp_path / "uit"
    out.mkdir()
    path = write_evaluation(evaluation, out / "evaluatie.xlsx", spec)
    files = verslag_paths(evaluation, path)
    assert list(files) == evaluation.corporaties
    assert files["Woonstichting De Linde"] == out / "evaluatie-verslag-woonstichting-de-linde.xlsx"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["evaluatie.xlsx", *(p.name for p in files.values())]
    )
    pointer = list(openpyxl.load_workbook(path)["Verslag"].iter_rows(values_only=True))
    assert "Woningwet art. 36a" in pointer[1][0] and "art. 38" in pointer[1][0]
    assert pointer[3] == ("Corporatie", "Afspraken", "Werkboek")
    assert [row[2] for row in pointer[4:]] == [p.name for p in files.values()]
    sheet = openpyxl.load_workbook(files["Woonstichting De Linde"])["Verslag"]
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][0] == f"Woonstichting De Linde: {evaluation.title}"
    assert "Woningwet art. 36a" in cells[1][0] and "art. 38" in cells[1][0]
    items = evaluation.verslag()["Woonstichting De Linde"]
    assert cells[2][0].startswith(f"{len(items)} afspraken. Status: ")
    header = cells[4]
    assert list(header) == VERSLAG_HEADER
    assert sheet.print_title_rows == "$5:$5"  # its header on every printed page
    assert sheet.page_setup.fitToHeight == 0 and (sheet.page_setup.fitToWidth or 1) == 1
    assert "Woonstichting De Linde" in sheet.oddHeader.center.text
    rows = [dict(zip(header, row, strict=True)) for row in cells[5:] if row[1]]
    by_nummer = {row["Nummer"]: row for row in rows}
    assert len(rows) == len(items)
    assert by_nummer["BS-20"]["Realisatie"] == 10  # its own contribution
    assert by_nummer["BS-20"]["Oordeel"].startswith("op koers: samen 60 van 100")
    assert by_nummer["VD-01"]["Status"] == "groen"
    assert by_nummer["VD-01"]["Oordeel"].startswith("achter: 40 van 240")
    # The zienswijzen on a sheet of their own: on paper never cut, nor under the table's header.
    zienswijzen = openpyxl.load_workbook(files["Woonstichting De Linde"])["Zienswijzen"]
    labels = [row[0] for row in zienswijzen.iter_rows(values_only=True) if row[0]]
    assert labels[0] == cells[0][0] and "Woningwet art. 38" in labels[1]
    assert labels[2:] == [f"{z}:" for z in ZIENSWIJZEN]
    other = openpyxl.load_workbook(files["Stadswonen Voorbeeldstad"])["Verslag"]
    theirs = [row[8] for row in other.iter_rows(min_row=6, values_only=True) if row[1] == "BS-20"]
    assert theirs == [20]  # each workbook its own corporatie's contribution
    text = text_evaluation(evaluation)
    assert "\nWoonstichting De Linde: 8 afspraken\n" not in text  # it has more: the new ones
    assert f"\nWoonstichting De Linde: {len(rows)} afspraken\n" in text


def test_a_verslag_workbook_is_checked_before_anything_is_written(with_figures, spec, tmp_path):
    evaluation = with_figures
    out = tmp_path / "uit"
    out.mkdir()
    taken = verslag_paths(evaluation, out / "evaluatie.xlsx")["Stadswonen Voorbeeldstad"]
    taken.write_bytes(b"van iemand anders")
    with pytest.raises(OutputError, match="bestaat al; gebruik --force"):
        write_evaluation(evaluation, out / "evaluatie.xlsx", spec)
    assert sorted(p.name for p in out.iterdir()) == [taken.name]  # nothing written
    assert taken.read_bytes() == b"van iemand anders"

"""rollover decides per afspraak what becomes of it: an agree-to-disagree point stays open, a
recurring afspraak goes on after one gerealiseerd, the report says why, last year's status
comes through one seam, and the agreed termijnen go along (issue 24, part 5)."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import CREATED, ROOT, SAMPLE

from pa_sheets.check.read import read_workbook
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.check.validate import validate_file, validate_paths
from pa_sheets.cycle.rollover import (
    LOOPT_DOOR,
    OPEN_PUNT,
    STOPT,
    VorigJaar,
    _recurs,
    rollover,
)
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.spec.kalender import Termijnen, legal_deadline
from pa_sheets.workbook.generate import generate

FILLED = ROOT / "samples" / "ingevuld"
JAARSCHIJVEN = sorted(FILLED.glob("jaarschijf-*.xlsx"))
STADSWONEN = FILLED / "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx"
LINDE = FILLED / "jaarschijf-2027-voorbeeldstad-linde.xlsx"


def rows_of(path, spec) -> dict[str, dict[str, object]]:
    """nummer -> the values of every afspraak row, with its block and sheet."""
    merged = merge_paths([path], spec=spec, workers=1, allow_invalid=True)
    return {
        str(r.values["nummer"]): {**r.values, "blok": r.block, "blad": r.sheet, "rij": r.row}
        for r in merged.sources[0].records
        if r.block in ("going_concern", "nieuw")
    }


def cover_section(path, title: str) -> list[tuple]:
    """The rows under a heading of the cover sheet that starts with `title`."""
    workbook = openpyxl.load_workbook(path, read_only=True)  # values only
    rows = list(workbook["Toelichting"].iter_rows(values_only=True))
    workbook.close()
    start = next(i for i, row in enumerate(rows) if str(row[0]).startswith(title))
    found = []
    for row in rows[start + 3 :]:
        if row[0] is None:
            break
        found.append(row[:5])
    return found


def _rolled(rolled_over, sample: Path) -> Path:
    """The rollover to 2028 of `sample` (conftest's rolled_over: the three samples at once)."""
    name = sample.name.replace("2027", "2028")
    (path,) = [path for path in rolled_over[0] if path.name == name]
    return path


@pytest.fixture(scope="module")
def stadswonen_2028(rolled_over) -> Path:
    """Stadswonen's jaarschijf rolled over to 2028 (two tests read it)."""
    return _rolled(rolled_over, STADSWONEN)


def test_an_agree_to_disagree_point_stays_open_and_is_no_agreed_text(stadswonen_2028, spec):
    """Stadswonen's BS-03 was signed as agree to disagree: next year it is not a lopende
    afspraak with fixed text but an open point among the nieuwe afspraken, its text there to
    negotiate on and editable, last year's status beside it, and the procesafspraak on the
    cover."""
    before = rows_of(STADSWONEN, spec)["BS-03"]
    assert before["status"] == "agree to disagree" and before["blok"] == "nieuw"
    path = stadswonen_2028
    after = rows_of(path, spec)["BS-03"]
    assert after["blok"] == "nieuw" and after["soort"] == "nieuw"
    for key in ("afspraak", "type", "trekker", "indicator", "streefwaarde", "planning"):
        assert after.get(key) == before.get(key), key
    assert after.get("status") is None and after.get("toelichting") is None
    assert after["status_vorig"] == "agree to disagree"
    # Editable: the text and the status are input, last year's status stays locked.
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[after["blad"]]
    header = [c.value for c in sheet[after["rij"] - 1]]
    locked = {
        name: sheet.cell(after["rij"], header.index(name) + 1).protection.locked
        for name in ("Afspraak *", "Status", "Status vorig jaar")
    }
    assert locked == {"Afspraak *": False, "Status": False, "Status vorig jaar": True}
    # On the cover as an open point with the procesafspraak, and not as a closed afspraak:
    # the same nummer is wanted again, so no X010.
    assert cover_section(path, "Open punten uit 2027") == [
        ("BS-03", before["afspraak"], "agree to disagree", before["toelichting"], "BS Stadswonen")
    ]
    meta = workbook["_meta"]
    assert "BS-03" not in [r[1] for r in meta.iter_rows(values_only=True) if r[0] == "afgerond"]
    report = validate_file(path, spec)
    assert report.valid() and "X010" not in {f.code for f in report.findings}


def test_an_open_point_agreed_next_year_becomes_a_lopende_afspraak(stadswonen_2028, tmp_path, spec):
    """Once the parties agree on it (a status other than agree to disagree), the open point
    rolls over as any new afspraak: fixed text, nummer kept."""
    path = stadswonen_2028
    row = rows_of(path, spec)["BS-03"]
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[row["blad"]]
    header = [c.value for c in sheet[row["rij"] - 1]]
    sheet.cell(row["rij"], header.index("Status") + 1, "groen")
    # The text is theirs to change: checked against the workbook as sent, that is no fault.
    new_text = "De corporatie sloopt in 2028 30 portiekwoningen; de rest volgt in 2029."
    sheet.cell(row["rij"], header.index("Afspraak *") + 1, new_text)
    (tmp_path / "terug").mkdir()
    workbook.save(tmp_path / "terug" / "akkoord.xlsx")
    sent = SentWorkbooks.read(path.parent, spec, [path])
    checked = validate_paths([tmp_path / "terug"], spec=spec, sent=sent, workers=1)
    assert checked.exit_code == 0
    assert not [f for f in checked.files[0].findings if f.code.startswith("X")]
    (tmp_path / "terug" / "akkoord.xlsx").rename(tmp_path / "akkoord.xlsx")
    (again,) = rollover([tmp_path / "akkoord.xlsx"], 2029, tmp_path / "2029", spec=spec)
    carried = rows_of(again, spec)["BS-03"]
    assert carried["blok"] == "going_concern" and carried["status_vorig"] == "groen"
    assert carried["afspraak"] == new_text


@pytest.mark.parametrize(
    ("planning", "afspraak", "recurs"),
    [
        ("jaarlijks", "De corporatie organiseert een bewonersavond.", True),
        ("doorlopend", "Overleg over de wachtlijst.", True),
        ("2026-2030", "De corporatie renoveert 40 woningen per jaar.", True),
        ("2026-2028", "De corporatie renoveert 40 woningen per jaar.", True),
        ("2025-2027", "De corporatie renoveert 40 woningen per jaar.", False),
        ("Q4 2026", "De gemeente stelt jaarlijks locaties beschikbaar.", True),
        ("2027", "Elk jaar een schouw in de wijk.", True),
        ("2027", "De corporatie sloopt 32 woningen.", False),
        ("eind 2029", "De corporatie sloopt 32 woningen.", False),
        (None, "De continuïteit van het overleg is geborgd.", False),
    ],
)
def test_what_recurs_in_2028(planning, afspraak, recurs):
    assert bool(_recurs(planning, afspraak, 2028)) is recurs


def test_a_recurring_afspraak_gerealiseerd_once_goes_on(rolled_over, spec):
    """BS-02 ('De gemeente stelt jaarlijks locaties beschikbaar') was gerealiseerd in 2027:
    due again in 2028, so a lopende afspraak with its status of last year; VD-02, done once,
    ends and is on the cover."""
    before = rows_of(LINDE, spec)
    assert (
        before["BS-02"]["status"] == "gerealiseerd" and "jaarlijks" in before["BS-02"]["afspraak"]
    )
    assert before["VD-02"]["status"] == "gerealiseerd"
    path = _rolled(rolled_over, LINDE)
    after = rows_of(path, spec)
    assert after["BS-02"]["blok"] == "going_concern"
    assert after["BS-02"]["status_vorig"] == "gerealiseerd"
    assert after["BS-02"]["afspraak"] == before["BS-02"]["afspraak"]
    assert "VD-02" not in after
    assert [row[0] for row in cover_section(path, "Afgerond of vervallen in 2027")] == ["VD-02"]


def test_the_report_says_per_corporatie_what_goes_on_is_open_and_ends_and_why(rolled_over, spec):
    written, said = rolled_over
    text = (written[0].parent / "rollover-2028.txt").read_text(encoding="utf-8")
    assert said == [text]
    assert text.startswith("Rollover 2027 naar 2028: Voorbeeldstad\n")
    sections = text.rstrip("\n").split("\n\n")[1:]
    assert len(sections) == 3  # one per corporatie, in the order of the workbooks
    for path, section in zip(written, sections, strict=True):
        facts = read_workbook(path, spec).template
        assert section.startswith(f"{facts.corporatie} ({facts.l_nummer}) -> {path.name}\n")
        # Every afspraak of last year is in exactly one list, by nummer.
        source = next(
            p
            for p in JAARSCHIJVEN
            if facts.l_nummer in str(read_workbook(p, spec).template.l_nummer)
        )
        listed = [
            line.split()[0]
            for line in section.splitlines()
            if line.startswith("    ") and not line.startswith("      ")
        ]
        assert sorted(listed) == sorted(rows_of(source, spec))
    stadswonen = sections[
        [p.name for p in written].index("jaarschijf-2028-voorbeeldstad-stadswonen.xlsx")
    ]
    assert f"  {OPEN_PUNT} (1):\n    BS-03 [BS Stadswonen] De corporatie sloopt" in stadswonen
    assert "      agree to disagree: Gemeente en corporatie zijn het niet eens" in stadswonen
    assert "-> geen afgesproken tekst; weer bij de nieuwe afspraken" in stadswonen
    assert f"  {STOPT} (1):\n    VD-02 " in stadswonen
    assert stadswonen.endswith("\n      gerealiseerd")  # VD-02, without a toelichting
    assert (
        "      gerealiseerd: Afgerond; opgenomen in het volkshuisvestingsverslag. -> terugkerend "
        "('jaarlijks' in de afspraak), dus ook in 2028\n"
    ) in stadswonen
    assert f"  {LOOPT_DOOR} (30):" in stadswonen


def test_last_years_status_comes_through_one_seam(tmp_path, spec):
    """`reported` (later: the monitoring round) decides per L-nummer and nummer what last
    year brought: what the rows show as Status and Realisatie vorig jaar, and whether an
    afspraak goes on; afspraken it does not name keep the signed state."""
    before = rows_of(LINDE, spec)
    reported = {
        ("L1234", "BT-01"): VorigJaar("groen", 0.96, "Gehaald na bijsturen."),
        ("L1234", "BS-05"): VorigJaar("vervallen", None, "De locatie gaat niet door."),
        # A lopende afspraak they no longer agree on: open again too.
        ("L1234", "SW-01"): VorigJaar("agree to disagree", None, "In Q2 een nieuw ritme."),
        ("L9999", "BT-01"): VorigJaar("rood"),  # another corporatie: not this one's
    }
    (path,) = rollover([LINDE], 2028, tmp_path, spec=spec, created=CREATED, reported=reported)
    after = rows_of(path, spec)
    assert (after["BT-01"]["status_vorig"], after["BT-01"]["realisatie_vorig"]) == ("groen", 0.96)
    assert "BS-05" not in after
    assert ("BS-05", "vervallen", "De locatie gaat niet door.") in [
        (r[0], r[2], r[3]) for r in cover_section(path, "Afgerond of vervallen in 2027")
    ]
    assert before["SW-01"]["blok"] == "going_concern" and after["SW-01"]["blok"] == "nieuw"
    assert [(r[0], r[3]) for r in cover_section(path, "Open punten uit 2027")] == [
        ("SW-01", "In Q2 een nieuw ritme.")
    ]
    # Not named: as signed.
    assert after["BT-02"]["status_vorig"] == before["BT-02"]["status"]
    text = (tmp_path / "rollover-2028.txt").read_text(encoding="utf-8")
    assert "      vervallen: De locatie gaat niet door.\n" in text


AGREED = Termijnen(bod=(6, 15), afspraken=(9, 15), monitor=(3, 1))


def _config_with_termijnen(tmp_path):
    path = tmp_path / "termijnen.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "periode:\n",
            "termijnen:\n  bod: 15 juni\n  afspraken: 15 september\n  monitor: 1 maart\n\n"
            "periode:\n",
            1,
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def with_termijnen(tmp_path_factory, spec) -> list[Path]:
    """The jaarschijven 2027 of a config with agreed termijnen (read by both ways through)."""
    folder = tmp_path_factory.mktemp("termijnen")
    config = _config_with_termijnen(folder)
    return generate("jaarschijf", config, (2027,), folder / "2027", spec=spec, created=CREATED)


@pytest.mark.parametrize("through", ["werkboeken", "overzicht"])
def test_the_agreed_termijnen_go_into_next_years_workbooks(with_termijnen, tmp_path, spec, through):
    """The termijnen the gemeente agreed are in the jaarschijf's _meta; rollover (from the
    workbooks or from their overview) writes them into next year's, so its cover, its
    inleverdatum, the kalender and validate keep them."""
    made = with_termijnen
    assert read_workbook(made[0], spec).template.termijnen == AGREED
    paths = made
    if through == "overzicht":
        merged = merge_paths(made, spec=spec)
        paths = [write_overview(merged, tmp_path / "gezamenlijk-2027.xlsx", created=CREATED)]
    written = rollover(paths, 2028, tmp_path / "2028", spec=spec, created=CREATED)
    for path in written:
        facts = read_workbook(path, spec).template
        assert facts.termijnen == AGREED
        # Due by the agreed date for the afspraken (15 september), before the advised 1 oktober.
        assert facts.deadline == dt.date(2027, 9, 15).isoformat()
        workbook = openpyxl.load_workbook(path, read_only=True)  # values only
        rows = {r[0]: r[1] for r in workbook["Toelichting"].iter_rows(values_only=True) if r[0]}
        workbook.close()
        assert rows["Wettelijke termijn"] == legal_deadline("jaarschijf", 2028, AGREED)
    assert validate_paths(written, spec=spec).exit_code == 0

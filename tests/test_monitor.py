"""The monitoring round: `generate monitor` from the signed jaarschijven, the monitor's cells,
protection and _meta, validate's R codes on broken monitors, and evaluate and merge on filled
ones. The signed jaarschijven are only read: their bytes stay the same."""

import datetime as dt
import functools
import hashlib
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import CREATED, SAMPLE, resave
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from workbook_helpers import blocks, meta, saved_with, validation_at

from pa_sheets.check.validate import validate_paths
from pa_sheets.cli import cli
from pa_sheets.cycle.evaluate import evaluate_paths
from pa_sheets.cycle.judgement import doel_of, judge
from pa_sheets.cycle.monitor import generate_monitor
from pa_sheets.demo.fill import fill_workbook
from pa_sheets.demo.monitor import fill_monitor
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.merge.sources import read_source
from pa_sheets.workbook.generate import generate

LINDE = "monitor-2027-voorbeeldstad-linde.xlsx"
NAMES = [
    "monitor-2027-voorbeeldstad-baken.xlsx",
    LINDE,
    "monitor-2027-voorbeeldstad-stadswonen.xlsx",
]
FIXED = ["nummer", "afspraak", "indicator", "eenheid", "streefwaarde", "mijlpaal", "planning"]
INPUT = ["realisatie", "peildatum", "status", "toelichting"]
# Spec 1.5: also open, beside them on screen, the value of a relative target's reference.
OPEN = [*INPUT, "referentiewaarde"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def signed(monitor_round) -> Path:
    """The three filled and signed jaarschijven 2027, in a folder of their own."""
    return monitor_round["getekend"]


@pytest.fixture(scope="module")
def signed_hashes(filled) -> dict[str, str]:
    """The signed jaarschijven's bytes as they were before any monitor was made from them."""
    return {name: _sha(path) for name, path in filled.items() if name.startswith("jaarschijf-")}


@pytest.fixture(scope="module")
def monitors(monitor_round) -> dict[str, Path]:
    return {path.name: path for path in sorted(monitor_round["leeg"].glob("*.xlsx"))}


@pytest.fixture(scope="module")
def filled_monitors(monitor_round) -> Path:
    """Every monitor filled in; Baken's (seed 1) stoplicht disagrees with its numbers."""
    return monitor_round["ingevuld"]


@functools.cache
def _workbook(path: Path) -> Workbook:
    """The workbook at `path` loaded once: the monitors of the fixtures are only read (_break
    saves a changed copy and puts the cells back)."""
    return openpyxl.load_workbook(path)


def _rows(workbook, block: dict) -> list[dict[str, object]]:
    sheet = workbook[block["blad"]]
    keys = block["kolommen"].split(",")
    return [
        {key: sheet.cell(row, col).value for col, key in enumerate(keys, start=1)}
        for row in range(block["eerste_rij"], block["laatste_rij"] + 1)
    ]


def _signed_afspraken(path: Path, spec) -> dict[tuple[str, str], str]:
    """(tab, nummer) -> afspraak text of every afspraak in a signed jaarschijf, but the ones the
    parties agree to disagree on."""
    source = read_source(path, spec)
    return {
        (record.sheet, str(record.values["nummer"])): str(record.values["afspraak"])
        for record in source.records
        if record.block in ("going_concern", "nieuw")
        and record.values.get("nummer")
        and record.values.get("status") != "agree to disagree"
    }


# -- generate ----------------------------------------------------------------------------------


def test_one_monitor_per_corporatie_and_the_signed_files_unchanged(
    monitors, filled_monitors, signed, signed_hashes
):
    assert sorted(monitors) == NAMES
    evaluate_paths([filled_monitors])
    assert {path.name: _sha(path) for path in sorted(signed.iterdir())} == signed_hashes


def test_every_signed_afspraak_stands_in_the_monitor_with_its_text(monitors, signed, spec):
    workbook = _workbook(monitors[LINDE])
    found = {
        (block["blad"], str(row["nummer"])): row["afspraak"]
        for block in blocks(workbook)
        for row in _rows(workbook, block)
    }
    expected = _signed_afspraken(signed / "jaarschijf-2027-voorbeeldstad-linde.xlsx", spec)
    assert found == expected
    assert len(found) > 30


def test_fixed_cells_locked_input_cells_open_and_the_sheet_protected(monitors):
    workbook = _workbook(monitors[LINDE])
    for block in blocks(workbook):
        sheet = workbook[block["blad"]]
        assert sheet.protection.sheet
        keys = block["kolommen"].split(",")
        assert [key for key in keys if key in INPUT] == [
            "realisatie",
            "peildatum",
            "status",
            "toelichting",
        ]
        assert block["vaste_rijen"] == block["laatste_rij"] - block["eerste_rij"] + 1
        for row in range(block["eerste_rij"], block["laatste_rij"] + 1):
            for col, key in enumerate(keys, start=1):
                locked = sheet.cell(row, col).protection.locked
                assert locked == (key not in OPEN), (block["blad"], row, key)
            for key in INPUT:
                assert sheet.cell(row, keys.index(key) + 1).value is None


def test_a_tab_prints_one_page_wide_what_the_reader_needs(monitors):
    # On paper the afspraak, its target and what is reported (issue 27: a tab printed two pages
    # wide, the afspraak only on the first); who leads, the planning and the details on screen.
    workbook = _workbook(monitors[LINDE])
    printed = ["nummer", "afspraak", "indicator", "eenheid", "streefwaarde", "mijlpaal"]
    printed += ["realisatie", "peildatum", "status", "toelichting"]
    for block in blocks(workbook):
        sheet = workbook[block["blad"]]
        keys = block["kolommen"].split(",")
        assert keys[: len(printed)] == printed
        last = sheet.print_area.split(":")[-1]
        assert last.startswith(f"${get_column_letter(len(printed))}$"), (sheet.title, last)
        assert (sheet.page_setup.fitToWidth or 1) == 1, sheet.title
        assert sheet.print_title_cols == "$A:$A", sheet.title  # Nummer, should it run over


def test_the_peildatum_keeps_room_before_the_status_beside_it(monitors):
    # LibreOffice printed the right-aligned peildatum against the status ("31-12-2027groen"):
    # it dropped the indent there, and a wider column only moved both. Centered, a date keeps
    # what its column has to spare on both sides, whatever the program.
    workbook = openpyxl.load_workbook(monitors[LINDE])
    checked = 0
    for block in blocks(workbook):
        sheet = workbook[block["blad"]]
        col = block["kolommen"].split(",").index("peildatum") + 1
        width = next(
            d.width for d in sheet.column_dimensions.values() if d.min <= col <= (d.max or d.min)
        )
        # Ten characters of 11 pt (the unit of a width) hold the date in 10 pt with room.
        assert width >= len("31-12-2027") + 1, sheet.title
        for row in range(block["eerste_rij"], block["laatste_rij"] + 1):
            assert sheet.cell(row, col).alignment.horizontal == "center", (sheet.title, row)
            checked += 1
    assert checked > 20


def test_mijlpaal_and_streefwaarde_come_from_the_signed_jaarschijf(monitors, signed, spec):
    source = read_source(signed / "jaarschijf-2027-voorbeeldstad-linde.xlsx", spec)
    signed_rows = {
        str(r.values["nummer"]): r.values for r in source.records if r.values.get("nummer")
    }
    workbook = _workbook(monitors[LINDE])
    with_milestone = 0
    for block in blocks(workbook):
        for row in _rows(workbook, block):
            before = signed_rows[str(row["nummer"])]
            for key in ("streefwaarde", "mijlpaal", "nulmeting", "eenheid", "indicator"):
                assert (row[key] or None) == (before.get(key) or None), (row["nummer"], key)
            with_milestone += row["mijlpaal"] is not None
    assert with_milestone == 0  # the sample config has no mijlpalen: see the next test


def test_the_mijlpaal_of_the_year_and_a_realisatie_judged_by_it(tmp_path, spec):
    """A target over 2026-2030 with a mijlpaal for 2027: the monitor shows the mijlpaal, the
    filler reports near it, not near the streefwaarde of 2030."""
    text = SAMPLE.read_text(encoding="utf-8").replace(
        '    streefwaarde: 60\n    planning: "2030"\n',
        "    streefwaarde: 60\n    planning: 2026-2030\n    mijlpalen: {2027: 24, 2030: 60}\n",
        1,
    )
    assert "mijlpalen" in text
    config = tmp_path / "voorbeeldstad.yaml"
    config.write_text(text, encoding="utf-8")
    (blank,) = generate("jaarschijf", config, (2027,), tmp_path / "leeg", ["Linde"], spec=spec)
    signed = fill_workbook(blank, tmp_path / "getekend" / blank.name, seed=2, spec=spec)
    (monitor,) = generate_monitor([signed], tmp_path / "monitor", spec=spec, created=CREATED)
    for seed in (0, 1):  # behind the mijlpaal (19, oranje) and meeting it (25, groen)
        filled = fill_monitor(monitor, tmp_path / f"terug-{seed}.xlsx", seed=seed, spec=spec)
        (row,) = [r for r in _reported(filled) if r["nummer"] == "BS-01"]
        assert (row["mijlpaal"], row["streefwaarde"], row["planning"]) == (24, 60, "2026-2030")
        assert 0 < row["realisatie"] <= 26  # near the mijlpaal 24, far from 60


def test_dropdowns_and_guidance(monitors, spec):
    workbook = _workbook(monitors[LINDE])
    facts = meta(workbook)
    shared = _shared(monitors[LINDE])
    assert shared  # BT-01 and others: `corporatie: alle` in the config
    seen_shared = seen_own = False
    for block in blocks(workbook):
        sheet = workbook[block["blad"]]
        keys = block["kolommen"].split(",")
        row = block["eerste_rij"]
        letter = {key: openpyxl.utils.get_column_letter(i + 1) for i, key in enumerate(keys)}
        status = validation_at(sheet, f"{letter['status']}{row}")
        assert status.type == "list" and status.errorStyle in (None, "stop")
        peildatum = validation_at(sheet, f"{letter['peildatum']}{row}")
        assert peildatum.type == "date"
        assert "31-12-2027" in peildatum.error and "30-06-2028" in peildatum.error
        for offset, values in enumerate(_rows(workbook, block)):
            rule = validation_at(sheet, f"{letter['realisatie']}{row + offset}")
            assert rule.type == "custom"  # the unit check of the eenheid in its row
            if str(values["nummer"]) in shared and block["rol"] == "corporatie":
                assert "Gedeelde afspraak" in rule.prompt and facts["corporatie"] in rule.prompt
                seen_shared = True
            elif str(values["nummer"]) not in shared:
                assert "Gedeelde" not in rule.prompt
                seen_own = True
    assert seen_shared and seen_own


def test_meta_says_what_the_monitor_is(monitors, signed, signed_hashes):
    facts = meta(_workbook(monitors[LINDE]))
    assert facts["soort"] == "monitor"
    assert facts["jaren"] == "2027"  # the evaluated year
    assert (facts["peildatum_van"], facts["peildatum_tot"]) == ("2027-12-31", "2028-06-30")
    assert facts["getekend_bron"] == "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    assert facts["getekend_sha256"] == signed_hashes["jaarschijf-2027-voorbeeldstad-linde.xlsx"]
    assert facts["inleverdatum"] == "2028-02-15"  # the monitor termijn (15 februari) of 2028
    report = validate_paths([monitors[LINDE]], workers=1).to_dict()["files"][0]["template"]
    assert report["soort"] == "monitor" and report["jaren"] == [2027]
    assert (report["peildatum_van"], report["peildatum_tot"]) == ("2027-12-31", "2028-06-30")


def test_the_cover_says_when_and_how(monitors):
    cover = _workbook(monitors[LINDE])["Toelichting"]
    texts = [str(c.value) for row in cover.iter_rows() for c in row if c.value is not None]
    assert "Monitoring prestatieafspraken 2027" in texts
    assert any("alleen de bijdrage" in text for text in texts)
    assert any("31 december 2027 en 30 juni 2028" in text for text in texts)
    # Its own steps: no new afspraken to number, no rows to insert; every afspraak counted.
    assert not any("Voeg rijen in" in text or "Nieuwe afspraken" in text for text in texts)
    assert any(text.startswith("Gedeelde afspraak") for text in texts)
    assert "Afspraken" in texts and "Lopende afspraken" not in texts


def test_from_the_gezamenlijk_overzicht_the_same_monitors(signed, monitors, tmp_path, spec):
    overview = write_overview(merge_paths([signed], workers=1), tmp_path / "gezamenlijk.xlsx")
    again = generate_monitor([overview], tmp_path / "uit", ["Linde"], spec=spec, created=CREATED)
    assert [path.name for path in again] == [LINDE]
    before, after = _workbook(monitors[LINDE]), openpyxl.load_workbook(again[0])
    assert blocks(after) == blocks(before)
    for block in blocks(before):
        assert _rows(after, block) == _rows(before, block)
    assert meta(after)["getekend_bron"] == f"gezamenlijk.xlsx ({meta(before)['getekend_bron']})"


def test_refused_a_bod_a_monitor_and_an_unsigned_jaarschijf(
    filled, filled_monitors, tmp_path, spec
):
    bod = filled["bod-2027-2031-voorbeeldstad-linde.xlsx"]
    with pytest.raises(UsageError, match="dit is een bod, geen jaarschijf"):
        generate_monitor([bod], tmp_path / "a", spec=spec)
    with pytest.raises(UsageError, match="dit is een monitor, geen jaarschijf"):
        generate_monitor([filled_monitors / LINDE], tmp_path / "b", spec=spec)
    unsigned = tmp_path / "ongetekend.xlsx"
    workbook = openpyxl.load_workbook(filled["jaarschijf-2027-voorbeeldstad-linde.xlsx"])
    sheet = workbook["Ondertekening"]
    for row in range(6, sheet.max_row + 1):
        if sheet.cell(row, 4).value == "akkoord":  # not yet: no akkoord, date, name, function
            for col in range(4, 8):
                sheet.cell(row, col).value = None
            break
    workbook.save(unsigned)
    with pytest.raises(UsageError, match="niet getekend"):
        generate_monitor([unsigned], tmp_path / "c", spec=spec)
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())


def test_cli_generate_monitor(signed, filled, tmp_path):
    result = CliRunner().invoke(
        cli, ["generate", "monitor", str(signed), "--out", str(tmp_path), "--corporatie", "L1234"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"1 monitor-werkboek(en) in {tmp_path}"
    assert (tmp_path / LINDE).exists()
    bod = filled["bod-2027-2031-voorbeeldstad-linde.xlsx"]
    wrong = CliRunner().invoke(cli, ["generate", "monitor", str(bod), "--out", str(tmp_path)])
    assert wrong.exit_code == 2 and "dit is een bod, geen jaarschijf" in wrong.output
    assert "Traceback" not in wrong.output


# -- validate ----------------------------------------------------------------------------------


def test_a_blank_monitor_asks_a_status_for_every_afspraak_and_a_realisatie_if_measured(
    monitors,
):
    report = validate_paths([monitors[LINDE]], workers=1).files[0]
    workbook = _workbook(monitors[LINDE])
    rows = [row for block in blocks(workbook) for row in _rows(workbook, block)]
    # Said once at the top (S040, a warning), then per afspraak what is missing (errors).
    assert Counter(f.code for f in report.findings) == {
        "S040": 1,
        "R002": len(rows),
        "R001": sum(1 for row in rows if row["indicator"]),
    }
    assert all(f.severity == "error" for f in report.findings if f.code != "S040")


def test_filled_monitors_are_in_order(filled_monitors):
    report = validate_paths([filled_monitors], workers=1)
    assert [f.errors for f in report.files] == [[], [], []]
    assert report.exit_code == 0


def _break(source: Path, target: Path, changes: dict[tuple[str, str], object]) -> Path:
    """A copy of a filled monitor with the cells of (nummer, column key) changed (saved from
    the loaded monitor, whose cells saved_with puts back)."""
    workbook = _workbook(source)
    cells = {}
    for block in blocks(workbook):
        sheet = workbook[block["blad"]]
        keys = block["kolommen"].split(",")
        for row in range(block["eerste_rij"], block["laatste_rij"] + 1):
            nummer = sheet.cell(row, 1).value
            for (wanted, key), value in changes.items():
                if nummer == wanted and block["rol"] == "corporatie":
                    cells[(sheet.title, sheet.cell(row, keys.index(key) + 1).coordinate)] = value
    return saved_with(workbook, target, cells)


def _where(workbook_path: Path, nummer: str, key: str) -> tuple[str, str]:
    workbook = _workbook(workbook_path)
    for block in blocks(workbook):
        keys = block["kolommen"].split(",")
        sheet = workbook[block["blad"]]
        for row in range(block["eerste_rij"], block["laatste_rij"] + 1):
            if sheet.cell(row, 1).value == nummer and block["rol"] == "corporatie":
                letter = openpyxl.utils.get_column_letter(keys.index(key) + 1)
                return block["blad"], f"{letter}{row}"
    raise AssertionError(f"{nummer} niet gevonden")


def _measured(path: Path, eenheid: str, below: bool = False) -> str:
    """The nummer of a measured afspraak in `eenheid` on a tab of the corporatie, groen; with
    `below`, one whose realisatie is under its streefwaarde (so rood is plausible)."""
    workbook = _workbook(path)
    for block in blocks(workbook):
        if block["rol"] != "corporatie":
            continue
        for row in _rows(workbook, block):
            under = isinstance(row["streefwaarde"], int | float) and (
                row["realisatie"] < row["streefwaarde"]  # rood is plausible (no P007)
            )
            wanted = row["indicator"] and row["eenheid"] == eenheid and row["status"] == "groen"
            if wanted and (under or not below):
                return str(row["nummer"])
    raise AssertionError(f"geen gemeten afspraak in {eenheid}")


@pytest.mark.parametrize(
    ("case", "changes", "codes"),
    [
        ("geen status", {"status": None}, [("R002", "status")]),
        ("geen realisatie", {"realisatie": None, "peildatum": None}, [("R001", "realisatie")]),
        ("geen peildatum", {"peildatum": None}, [("R003", "peildatum")]),
        ("peildatum te laat", {"peildatum": dt.datetime(2028, 7, 1)}, [("R004", "peildatum")]),
        ("peildatum te vroeg", {"peildatum": dt.datetime(2027, 6, 30)}, [("R004", "peildatum")]),
        (
            "rood zonder toelichting",
            {"status": "rood", "toelichting": None},
            [("V009", "toelichting")],
        ),
        ("vaste tekst gewijzigd", {"afspraak": "Iets anders."}, [("X005", "afspraak")]),
        ("halve woning", {"realisatie": 12.5}, [("P002", "realisatie")]),
        ("geen getal", {"realisatie": "veel"}, [("V002", "realisatie")]),
    ],
)
def test_a_broken_monitor_gives_exactly_its_finding(
    filled_monitors, tmp_path, case, changes, codes
):
    source = filled_monitors / LINDE
    nummer = _measured(source, "woningen", below=True)
    broken = _break(source, tmp_path / LINDE, {(nummer, k): v for k, v in changes.items()})
    report = validate_paths([broken], workers=1).files[0]
    expected = [(code, *_where(source, nummer, key)) for code, key in codes]
    assert [(f.code, f.sheet, f.cell) for f in report.findings] == expected, case


def test_peildatum_outside_the_round_says_the_round(filled_monitors, tmp_path):
    source = filled_monitors / LINDE
    nummer = _measured(source, "woningen")
    broken = _break(source, tmp_path / LINDE, {(nummer, "peildatum"): dt.datetime(2028, 7, 1)})
    (found,) = validate_paths([broken], workers=1).files[0].findings
    assert found.message == (
        "De peildatum 01-07-2028 ligt buiten de monitoringronde: van 31-12-2027 tot en met "
        "30-06-2028. Meet op het eind van het jaar van de afspraken of in de eerste helft van "
        "het jaar erna."
    )


def test_a_percentage_outside_its_bereik(filled_monitors, tmp_path):
    source = filled_monitors / LINDE
    nummer = _measured(source, "%")
    broken = _break(source, tmp_path / LINDE, {(nummer, "realisatie"): 250})
    report = validate_paths([broken], workers=1).files[0]
    assert [(f.code, f.sheet, f.cell) for f in report.findings] == [
        ("P001", *_where(source, nummer, "realisatie"))
    ]


def test_vervallen_needs_no_realisatie(filled_monitors, tmp_path):
    source = filled_monitors / LINDE
    nummer = _measured(source, "woningen")
    changes = {"status": "vervallen", "realisatie": None, "peildatum": None, "toelichting": "Weg."}
    broken = _break(source, tmp_path / LINDE, {(nummer, k): v for k, v in changes.items()})
    assert validate_paths([broken], workers=1).files[0].findings == []


# -- the filler, evaluate and merge --------------------------------------------------------------


def _reported(path: Path) -> list[dict[str, object]]:
    workbook = _workbook(path)
    return [row for block in blocks(workbook) for row in _rows(workbook, block)]


def _behind(row: dict[str, object], spec) -> bool:
    """Whether the figures are behind what was agreed, as evaluate judges them."""
    if row["realisatie"] is None:
        return False
    verdict = judge(doel_of(row, spec), row["realisatie"], 2027).oordeel
    return verdict in ("achter", "niet gehaald", "afwijkend")


def test_the_filler_reports_as_parties_do(filled_monitors, spec):
    baken = _reported(filled_monitors / NAMES[0])  # seed 1: its stoplicht disagrees
    linde = _reported(filled_monitors / LINDE)
    for rows in (baken, linde):
        assert {"groen", "oranje"} <= {row["status"] for row in rows}
        for row in rows:
            if row["status"] in ("oranje", "rood"):
                assert row["toelichting"]
            if row["realisatie"] is not None:
                assert isinstance(row["peildatum"], dt.datetime)
    assert any(row["status"] in ("oranje", "rood") and _behind(row, spec) for row in linde)
    # A shared afspraak's realisatie is a part of the target: not behind.
    shared_baken, shared_linde = (
        _shared(filled_monitors / NAMES[0]),
        _shared(filled_monitors / LINDE),
    )
    baken = [r for r in baken if r["nummer"] not in shared_baken]
    linde = [r for r in linde if r["nummer"] not in shared_linde]
    optimistic = [r for r in baken if r["status"] == "groen" and _behind(r, spec)]
    assert len(optimistic) == 1
    assert not [r for r in linde if r["status"] == "groen" and _behind(r, spec)]


def _shared(path: Path) -> set[str]:
    rows = _workbook(path)["_meta"].iter_rows(values_only=True)
    return {row[1] for row in rows if row[0] == "gedeeld"} - {"nummer"}


def test_evaluate_runs_on_filled_monitors(filled_monitors):
    evaluation = evaluate_paths([filled_monitors])
    assert evaluation.title.startswith("Evaluatie")
    rows = sum(len(_reported(filled_monitors / name)) for name in NAMES)
    assert len(evaluation.afspraken) == rows
    assert "oranje" in {item.status for item in evaluation.afspraken}
    result = CliRunner().invoke(cli, ["evaluate", str(filled_monitors)])
    assert result.exit_code == 0, result.output


def test_merge_reads_a_monitor_with_the_jaarschijf_columns(filled_monitors, tmp_path):
    merged = merge_paths([filled_monitors], workers=1)
    assert merged.kind == "monitor" and len(merged.sources) == 3
    record = next(r for _, r in merged.records() if r.values.get("realisatie") is not None)
    assert {"status", "realisatie", "toelichting", "peildatum"} <= set(record.values)
    assert isinstance(record.values["peildatum"], dt.date)
    overview = write_overview(merged, tmp_path / "gezamenlijk-monitor.xlsx")
    assert len(evaluate_paths([overview]).afspraken) == len(
        evaluate_paths([filled_monitors]).afspraken
    )


# -- LibreOffice ---------------------------------------------------------------------------------


@pytest.mark.slow  # `pytest -m "not slow"` leaves it out
def test_a_monitor_through_libreoffice(monitors, filled_monitors, tmp_path):
    """A blank and a filled monitor, opened and saved by LibreOffice: the same _meta, blocks,
    locks and rules, and the same findings (none for the filled one)."""
    resave([monitors[LINDE]], tmp_path / "leeg", tmp_path / "profiel-1")
    resave([filled_monitors / LINDE], tmp_path / "terug", tmp_path / "profiel-2")
    original, again = (
        openpyxl.load_workbook(monitors[LINDE]),
        openpyxl.load_workbook(tmp_path / "leeg" / LINDE),
    )
    assert meta(again) == meta(original) and blocks(again) == blocks(original)
    for block in blocks(original):
        before, after = original[block["blad"]], again[block["blad"]]
        assert after.protection.sheet
        for col in range(1, len(block["kolommen"].split(",")) + 1):
            cell = f"{openpyxl.utils.get_column_letter(col)}{block['eerste_rij']}"
            assert after[cell].protection.locked == before[cell].protection.locked, cell
            rule = validation_at(after, cell)
            assert (rule.type if rule else None) == (
                validation_at(before, cell).type if validation_at(before, cell) else None
            ), cell

    def found(path: Path) -> list[tuple[str, str | None, str | None]]:
        return [
            (f.code, f.sheet, f.cell) for f in validate_paths([path], workers=1).files[0].findings
        ]

    assert found(tmp_path / "leeg" / LINDE) == found(monitors[LINDE])
    assert found(tmp_path / "terug" / LINDE) == found(filled_monitors / LINDE) == []
    statuses = [a.status for a in evaluate_paths([tmp_path / "terug"]).afspraken]
    assert statuses == [a.status for a in evaluate_paths([filled_monitors / LINDE]).afspraken]


def test_a_monitor_is_compared_with_the_sent_monitors_not_with_the_config(
    monitors, filled_monitors
):
    result = CliRunner().invoke(cli, ["validate", "--config", str(SAMPLE), str(filled_monitors)])
    assert result.exit_code == 2
    assert "een monitor komt uit de getekende jaarschijf, niet uit de config" in result.output
    sent = monitors[LINDE].parent
    result = CliRunner().invoke(
        cli, ["validate", "--verzonden", str(sent), str(filled_monitors / LINDE)]
    )
    assert result.exit_code == 0, result.output

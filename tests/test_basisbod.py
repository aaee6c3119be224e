"""One bod for a corporatie in several gemeenten: the basisbod, its checks, and split-bod.

The sample corporatie De Linde works in Voorbeeldstad (GM9001, seven themes, partner Zorggroep
for WZ) and in Anderdorp (GM9002, five themes, partner GGD for LB). Both gemeenten have a
lopende afspraak BS-01 for it, with different texts.
"""

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import BOD_YEARS, CREATED, ROOT, SAMPLE, resave
from workbook_helpers import blocks, list_values, meta, validation_at

from pa_sheets.check.validate import inspect_file, validate_file
from pa_sheets.cli import cli
from pa_sheets.cycle.basisbod import generate_basisbod, split_bod
from pa_sheets.errors import ConfigError, InvalidInputs, UsageError
from pa_sheets.workbook.generate import generate

ANDERDORP = ROOT / "samples" / "anderdorp.yaml"
CONFIGS = [SAMPLE, ANDERDORP]
NAMES = {"GM9001": "voorbeeldstad", "GM9002": "anderdorp"}


def _block(workbook, sheet: str, key: str) -> dict:
    return next(b for b in blocks(workbook) if b["blad"] == sheet and b["sleutel"] == key)


def _set_row(path: Path, sheet: str, key: str, offset: int, values: dict, target: Path) -> int:
    """Type `values` (by column key) into row `offset` of a block; return its Excel row."""
    return _set_rows(path, sheet, key, {offset: values}, target)[0]


def _set_rows(path: Path, sheet: str, key: str, rows: dict[int, dict], target: Path) -> list[int]:
    """Type each offset's values into its row of a block, in one load and save; return the
    Excel rows."""
    workbook = openpyxl.load_workbook(path)
    block = _block(workbook, sheet, key)
    columns = block["kolommen"].split(",")
    for offset, values in rows.items():
        for column, value in values.items():
            workbook[sheet].cell(block["eerste_rij"] + offset, columns.index(column) + 1, value)
    workbook.save(target)
    return [block["eerste_rij"] + offset for offset in rows]


def test_the_basisbod_has_every_tab_and_a_gemeente_column_with_its_dropdown(basisbod):
    workbook = openpyxl.load_workbook(basisbod)
    assert basisbod.name == "basisbod-2027-2031-linde.xlsx"
    facts = meta(workbook)
    assert (facts["soort"], facts["gemeente_code"]) == ("basisbod", "GM9001, GM9002")
    # Themes and partners of both gemeenten; the gemeente tab stands for each gemeente's own.
    tabs = [name for name in workbook.sheetnames if name[:2].isupper() and " " in name]
    assert "BS Gemeente" in tabs and "WZ Zorggroep" in tabs and "LB GGD" in tabs
    assert {name.split()[0] for name in tabs} == {"BS", "BT", "VD", "WZ", "AG", "LB", "SW"}
    assert "WZ GGD" not in tabs and "LB Zorggroep" not in tabs
    cover = [[c.value for c in row] for row in workbook["Toelichting"].iter_rows()]
    assert ["Gemeenten", "Voorbeeldstad (GM9001), Anderdorp (GM9002)"] in [r[:2] for r in cover]
    # Every block starts with the gemeente column; new rows pick from alle and the codes.
    sheet = workbook["BS Linde"]
    nieuw = _block(workbook, "BS Linde", "nieuw")
    assert nieuw["kolommen"].startswith("gemeente,nummer,")
    assert sheet.cell(nieuw["kopregel"], 1).value == "Voor gemeente *"
    rule = validation_at(sheet, f"A{nieuw['eerste_rij']}")
    assert rule.type == "list" and rule.errorStyle in (None, "stop")  # stop is the default
    assert list_values(workbook, rule.formula1) == ["alle", "GM9001", "GM9002"]
    assert not sheet.cell(nieuw["eerste_rij"], 1).protection.locked
    # Each gemeente's BS-01 is there, fixed and locked, marked with its gemeente.
    lopend = _block(workbook, "BS Linde", "going_concern")
    rows = [
        [sheet.cell(r, c).value for c in (1, 2)]
        for r in range(lopend["eerste_rij"], lopend["eerste_rij"] + lopend["vaste_rijen"])
    ]
    assert rows == [["GM9001", "BS-01"], ["GM9002", "BS-01"]]
    assert sheet.cell(lopend["eerste_rij"], 1).protection.locked
    assert validation_at(sheet, f"A{lopend['eerste_rij']}") is None


def test_a_blank_and_a_filled_basisbod_validate_cleanly(basisbod, filled_basisbod, spec):
    # Blank: valid, with the one warning that nothing is filled in yet (S040).
    assert [f.code for f in validate_file(basisbod, spec).findings] == ["S040"]
    assert validate_file(filled_basisbod, spec).errors == []


def test_a_nummer_may_come_back_for_another_gemeente_but_not_next_to_alle(basisbod, tmp_path, spec):
    two = tmp_path / "twee.xlsx"
    _, row = _set_rows(
        basisbod, "BT Linde", "nieuw", {0: _new("BT-09", "GM9001"), 1: _new("BT-09", "GM9002")}, two
    )
    assert validate_file(two, spec).findings == []
    _set_row(two, "BT Linde", "nieuw", 1, {"gemeente": "alle"}, two)
    found = [(f.code, f.cell) for f in validate_file(two, spec).findings]
    assert found == [("X001", f"B{row - 1}"), ("X001", f"B{row}")]


def test_an_unknown_gemeente_is_an_error_and_a_name_is_read_as_its_code(basisbod, tmp_path, spec):
    path = tmp_path / "gemeente.xlsx"
    row, _ = _set_rows(
        basisbod,
        "BT Linde",
        "nieuw",
        {0: _new("BT-09", "GM1234"), 1: _new("BT-10", "anderdorp")},
        path,
    )
    found = [(f.code, f.cell, f.message) for f in validate_file(path, spec).findings]
    assert found == [
        (
            "X008",
            f"A{row}",
            "'GM1234' is geen gemeente van dit basisbod. Kies 'alle' of een code: alle, "
            "GM9001, GM9002.",
        ),
        ("T002", f"A{row + 1}", "'anderdorp' is gelezen als 'GM9002' uit de keuzelijst."),
    ]


@pytest.fixture(scope="module")
def split(filled_basisbod, tmp_path_factory, spec):
    """The filled basisbod split into the bod of each gemeente (two tests read it)."""
    out = tmp_path_factory.mktemp("boden")
    return split_bod(filled_basisbod, out, spec=spec, created=CREATED)


def test_split_bod_puts_every_row_in_the_bod_of_its_gemeenten(filled_basisbod, split, spec):
    result = split
    assert [p.name for p in result.paths] == [
        "bod-2027-2031-voorbeeldstad-linde.xlsx",
        "bod-2027-2031-anderdorp-linde.xlsx",
    ]
    for path in result.paths:
        report = validate_file(path, spec)
        assert report.errors == [], path
    # Every row of the basisbod, once for each gemeente it is for that has its tab; the rows
    # left out are exactly the notes.
    basis = inspect_file(filled_basisbod, spec)
    wanted: Counter = Counter()
    left_out = 0
    tabs = {code: _tabs(path) for code, path in zip(NAMES, result.paths, strict=True)}
    for block, clean in zip(basis.data.blocks, basis.clean, strict=True):
        for index in range(len(block.rows)):
            row = {k: v[index] for k, v in clean.items() if v[index] is not None}
            gemeente = row.pop("gemeente")
            for code in NAMES if gemeente == "alle" else [gemeente]:
                if (block.meta.thema, block.meta.rol, block.key) in tabs[code]:
                    wanted[(code, *_row_key(block, row))] += 1
                else:
                    assert gemeente == "alle"
                    left_out += 1
    got: Counter = Counter()
    for code, path in zip(NAMES, result.paths, strict=True):
        split = inspect_file(path, spec)
        for block, clean in zip(split.data.blocks, split.clean, strict=True):
            for index in range(len(block.rows)):
                row = {k: v[index] for k, v in clean.items() if v[index] is not None}
                got[(code, *_row_key(block, row))] += 1
    assert got == wanted
    assert len(result.notes) == left_out > 0
    assert all("(alle) staat niet in het bod voor" in note for note in result.notes)


def test_a_split_bod_is_the_bod_generate_makes_for_that_gemeente(split, tmp_path, spec):
    """Same tabs and the same lopende afspraken as `generate bod` with that config alone."""
    for config, path in zip(CONFIGS, split.paths, strict=True):
        (direct,) = generate("bod", config, BOD_YEARS, tmp_path / "direct", ["Linde"], spec=spec)
        # Their names and _meta only.
        made = openpyxl.load_workbook(path, read_only=True)
        own = openpyxl.load_workbook(direct, read_only=True)
        assert made.sheetnames == own.sheetnames
        assert _table(made, "vast") == _table(own, "vast")
        assert _table(made, "partij") == _table(own, "partij")
        assert meta(made)["gemeente_code"] == meta(own)["gemeente_code"]
        made.close()
        own.close()


@pytest.mark.parametrize("several", [False, True])
def test_the_trekker_becomes_that_gemeentes_own_party(basisbod, tmp_path, spec, several):
    path = tmp_path / "trekker.xlsx"
    trekker = "Gemeente, Woonstichting De Linde" if several else "Gemeente"
    _set_row(
        basisbod, "BS Gemeente", "nieuw", 0, {**_new("BS-09", "alle"), "trekker": trekker}, path
    )
    boden = split_bod(path, tmp_path / "boden", spec=spec).paths
    trekkers = []
    for path in boden:
        workbook = openpyxl.load_workbook(path)
        block = _block(workbook, "BS Gemeente", "nieuw")
        column = block["kolommen"].split(",").index("trekker") + 1
        trekkers.append(workbook["BS Gemeente"].cell(block["eerste_rij"], column).value)
    linde = ", Woonstichting De Linde" if several else ""  # several trekkers: each its own
    assert trekkers == [f"Gemeente Voorbeeldstad{linde}", f"Gemeente Anderdorp{linde}"]


def test_a_row_for_a_gemeente_without_that_tab_is_refused(basisbod, tmp_path, spec):
    path = tmp_path / "verkeerd.xlsx"
    row = _set_row(basisbod, "WZ Linde", "nieuw", 0, _new("WZ-09", "GM9002"), path)
    with pytest.raises(InvalidInputs) as refused:
        split_bod(path, tmp_path / "boden", spec=spec)
    (finding,) = refused.value.report.files[0].findings
    assert (finding.code, finding.sheet, finding.cell) == ("X009", "WZ Linde", f"A{row}")
    assert finding.message == (
        "Deze rij is voor Anderdorp (GM9002), maar Anderdorp heeft geen thema WZ. Kies 'alle' "
        "of een andere gemeente."
    )
    assert not (tmp_path / "boden").exists()
    result = CliRunner().invoke(cli, ["split-bod", str(path), "--out", str(tmp_path / "boden")])
    assert result.exit_code == 1
    assert "X009" in result.output and "niets gesplitst" in result.output


def test_split_bod_refuses_what_is_no_valid_basisbod(basisbod, generated, tmp_path, spec):
    with pytest.raises(UsageError, match="is een bod, geen basisbod"):
        split_bod(generated["bod-2027-2031-voorbeeldstad-linde.xlsx"], tmp_path, spec=spec)
    broken = tmp_path / "fout.xlsx"
    _set_row(basisbod, "BT Linde", "nieuw", 0, _new("BT-9", "alle"), broken)
    runner = CliRunner()
    result = runner.invoke(cli, ["split-bod", str(broken), "--out", str(tmp_path / "uit")])
    assert result.exit_code == 1 and "V006" in result.output
    result = runner.invoke(cli, ["split-bod", str(tmp_path / "weg.xlsx"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and result.output.startswith("Fout: ")
    assert not (tmp_path / "uit").exists()


def test_merge_refuses_a_basisbod(filled_basisbod, tmp_path):
    result = CliRunner().invoke(
        cli, ["merge", str(filled_basisbod), "--out", str(tmp_path / "m.xlsx")]
    )
    assert result.exit_code == 2
    assert "is een basisbod" in result.output and "split-bod" in result.output


def test_the_cli_makes_a_basisbod_from_several_configs_and_splits_it(tmp_path):
    runner = CliRunner()
    args = ["generate", "bod", "--config", str(SAMPLE), "--config", str(ANDERDORP)]
    args += ["--years", "2027-2031", "--out", str(tmp_path)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2 and "noem haar met --corporatie" in result.output
    result = runner.invoke(cli, [*args, "--corporatie", "L1234"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "basisbod-2027-2031-linde.xlsx"
    assert f"Basisbod voor 2 gemeenten: {path}" in result.output
    result = runner.invoke(cli, ["split-bod", str(path), "--out", str(tmp_path / "boden")])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "2 bod-werkboek(en) in " + str(tmp_path / "boden") + ", alle in orde.\n"
    )


def test_the_corporatie_must_be_one_corporatie_in_every_gemeente(tmp_path, spec):
    with pytest.raises(ConfigError, match="geen corporatie 'Baken'") as refused:
        generate_basisbod(CONFIGS, "Baken", BOD_YEARS, tmp_path, spec=spec)
    assert str(ANDERDORP) in str(refused.value)
    with pytest.raises(ConfigError, match="GM9001 komt twee keer voor"):
        generate_basisbod([SAMPLE, SAMPLE], "Linde", BOD_YEARS, tmp_path, spec=spec)
    other = tmp_path / "ander-nummer.yaml"
    other.write_text(ANDERDORP.read_text().replace("L1234", "L9999"), encoding="utf-8")
    with pytest.raises(ConfigError, match="verschillende L-nummers"):
        generate_basisbod([SAMPLE, other], "Linde", BOD_YEARS, tmp_path, spec=spec)


@pytest.mark.slow  # LibreOffice
def test_a_basisbod_resaved_by_libreoffice_still_splits(filled_basisbod, tmp_path, spec):
    resave([filled_basisbod], tmp_path / "lo", tmp_path / "profiel")
    again = tmp_path / "lo" / filled_basisbod.name
    assert validate_file(again, spec).errors == []
    first = split_bod(filled_basisbod, tmp_path / "a", spec=spec, created=CREATED)
    second = split_bod(again, tmp_path / "b", spec=spec, created=CREATED)
    assert second.notes == first.notes
    for one, other in zip(first.paths, second.paths, strict=True):
        assert _values(one) == _values(other)


# ---------------------------------------------------------------------------------------------


def _new(nummer: str, gemeente: str) -> dict[str, object]:
    return {
        "gemeente": gemeente,
        "nummer": nummer,
        "afspraak": "Een nieuwe afspraak.",
        "type": "handelingsafspraak",
        "trekker": "Woonstichting De Linde",
        "indicator": "Nieuwbouw sociale huurwoningen opgeleverd",
        "eenheid": "woningen",
        "aantal_2027": 10,
    }


def _tabs(path: Path) -> set[tuple[str, str, str]]:
    """(thema, rol, block key) of every block of a bod: where a row can go."""
    workbook = openpyxl.load_workbook(path, read_only=True)  # _meta only
    tabs = {(b["thema"], b["rol"], b["sleutel"]) for b in blocks(workbook)}
    workbook.close()
    return tabs


def _row_key(block, row: dict) -> tuple:
    """A row as comparable across workbooks: without its trekker (another name per gemeente)."""
    row = {k: v for k, v in row.items() if k != "trekker"}
    return (block.meta.thema, block.meta.rol, block.key, tuple(sorted(row.items(), key=str)))


def _table(workbook, name: str) -> list[tuple]:
    rows = [r for r in workbook["_meta"].iter_rows(values_only=True) if r[0] == name]
    return sorted(rows, key=str)


def _values(path: Path) -> dict[str, list[list[object]]]:
    workbook = openpyxl.load_workbook(path)
    return {
        name: [[c.value for c in row] for row in workbook[name].iter_rows()]
        for name in workbook.sheetnames
        if name not in ("_meta", "Toelichting", "Investeringen")
    }

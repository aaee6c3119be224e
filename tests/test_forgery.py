"""A returned workbook cannot lie (issue 23): forged agreed text, deleted lopende afspraken,
relabelled workbooks and tampered signing rows, each built the way a party with a reason to
cheat would, from a generated and filled workbook with openpyxl, recomputing `_meta` with the
meta module's own fingerprint functions."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SAMPLE
from openpyxl.workbook.workbook import Workbook

from pa_sheets.check.findings import OWN_RECORD_ONLY, Report
from pa_sheets.check.read import FoundBlock, WorkbookData, read_workbook
from pa_sheets.check.report import json_report, text_report
from pa_sheets.check.source import SentWorkbooks, config_check
from pa_sheets.check.validate import expand_paths, validate_file, validate_paths
from pa_sheets.cli import cli
from pa_sheets.errors import InvalidInputs
from pa_sheets.merge.combine import merge_paths
from pa_sheets.spec.model import base_key
from pa_sheets.workbook import meta

LINDE = "jaarschijf-2027-voorbeeldstad-linde.xlsx"
TAB = "BS Linde"  # BS-01: "levert nieuwe sociale huurwoningen op", streefwaarde 60
SIGNING = "Ondertekening"


def run(*args: object):
    return CliRunner().invoke(cli, [str(arg) for arg in args], prog_name="pa-sheets")


@pytest.fixture
def linde(filled, tmp_path) -> Path:
    path = tmp_path / LINDE
    shutil.copy(filled[LINDE], path)
    return path


@pytest.fixture(scope="module")
def forged(filled, tmp_path_factory) -> Callable[[str, Callable[[Path], None]], Path]:
    """(name, forge) -> a copy of Linde's filled jaarschijf that `forge` changed, made once per
    module: the tests that validate one forgery with and without the config only read it."""
    made: dict[str, Path] = {}

    def get(name: str, forge: Callable[[Path], None]) -> Path:
        if name not in made:
            path = tmp_path_factory.mktemp(name) / LINDE
            shutil.copy(filled[LINDE], path)
            forge(path)
            made[name] = path
        return made[name]

    return get


def _cells(path: Path, sheet: str, cells: dict[str, object]) -> Workbook:
    """Type `cells` into `sheet`; the workbook as saved, for _rewrite_meta to go on with."""
    workbook = openpyxl.load_workbook(path)
    for cell, value in cells.items():
        workbook[sheet][cell] = value
    workbook.save(path)
    return workbook


def _rewrite_meta(
    path: Path,
    spec,
    change: Callable[[meta.Meta, WorkbookData], None],
    workbook: Workbook | None = None,
) -> None:
    """Read the workbook as pa-sheets does, let `change` alter its Meta, write `_meta` again.
    `workbook`: the one just saved at `path`, when the caller has it (no second load)."""
    data = read_workbook(path, spec)
    change(data.meta, data)
    workbook = workbook or openpyxl.load_workbook(path)
    sheet = workbook[meta.SHEET]
    sheet.delete_rows(1, sheet.max_row)
    for row, values in enumerate(meta.to_rows(data.meta), start=1):
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value)
    workbook.save(path)


def _recompute_prints(spec) -> Callable[[meta.Meta, WorkbookData], None]:
    """What a forger does: the fingerprints of the going-concern rows as the tabs now hold
    them, worked out with pa-sheets' own functions."""

    def change(info: meta.Meta, data: WorkbookData) -> None:
        lopend = spec.templates["jaarschijf"].lopend_block
        for block in data.blocks:
            if block.key != lopend.key:
                continue
            sheet = block.meta.sheet
            fixed = [key for key in block.meta.columns if base_key(key) in lopend.fixed]
            columns = [block.values[key] for key in fixed]
            info.fixed = {place: p for place, p in info.fixed.items() if place[0] != sheet}
            prints = meta.fingerprints(columns) if block.rows else []
            for nummer, print_ in zip(block.values["nummer"], prints, strict=True):
                info.fixed[(sheet, str(nummer))] = print_
            if block.rows:
                info.block_prints[sheet] = meta.block_fingerprint(columns)
            else:
                info.block_prints.pop(sheet, None)

    return change


def _codes(report) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.sheet, f.cell) for f in report.findings]


def _streefwaarde_cell(path: Path, spec) -> str:
    block = next(b for b in read_workbook(path, spec).blocks if b.sheet == TAB and b.rows)
    return meta_cell(block.rows[0], block.columns["streefwaarde"])


def meta_cell(row: int, col: int) -> str:
    return f"{openpyxl.utils.get_column_letter(col + 1)}{row}"


# -------------------------------------------------------------------------------------------------
# Honest workbooks: the config changes nothing
# -------------------------------------------------------------------------------------------------


def test_honest_workbooks_give_the_same_findings_with_the_config(filled, spec, config):
    for path in filled.values():
        without = validate_file(path, spec)
        with_config = validate_file(path, spec, config=config)
        assert _codes(with_config) == _codes(without), path.name
        assert with_config.getekend == without.getekend


def test_without_the_config_the_report_says_once_what_was_compared(filled, spec, config):
    paths = [filled[LINDE], filled["jaarschijf-2027-voorbeeldstad-baken.xlsx"]]
    report = validate_paths(paths, spec=spec)
    assert text_report(report).count(OWN_RECORD_ONLY) == 1
    assert json.loads(json_report(report))["bron"] == {
        "config": None,
        "verzonden": None,
        "melding": OWN_RECORD_ONLY,
    }
    checked = validate_paths(paths, spec=spec, config=config)
    assert OWN_RECORD_ONLY not in text_report(checked)
    assert json.loads(json_report(checked))["bron"] == {
        "config": str(SAMPLE),
        "verzonden": None,
        "melding": None,
    }


# -------------------------------------------------------------------------------------------------
# Agreed text
# -------------------------------------------------------------------------------------------------


def test_forged_text_with_recomputed_fingerprints_is_caught_by_the_config(linde, spec, config):
    cell = _streefwaarde_cell(linde, spec)
    workbook = _cells(
        linde,
        TAB,
        {cell: 6, "B7": "Levert nieuwe sociale huurwoningen op als de markt het toelaat"},
    )
    _rewrite_meta(linde, spec, _recompute_prints(spec), workbook)
    # The workbook's own record agrees with the forgery: that is the attack.
    assert validate_file(linde, spec).valid()
    report = validate_file(linde, spec, config=config)
    forged = [f for f in report.errors if f.code == "X011"]
    assert [(f.sheet, f.cell) for f in forged] == [(TAB, "B7"), (TAB, cell)]
    assert "als de markt het toelaat" in forged[0].message and "BS-01" in forged[0].message
    assert "er staat «6»" in forged[1].message and "hoort er «60» te staan" in forged[1].message
    assert not report.valid()


def test_deleting_a_lopende_afspraak_with_its_meta_entry_is_caught(linde, spec, config):
    workbook = openpyxl.load_workbook(linde)
    workbook[TAB].delete_rows(7)
    workbook.save(linde)
    _rewrite_meta(linde, spec, _recompute_prints(spec), workbook)
    assert "X006" not in [f.code for f in validate_file(linde, spec).findings]
    report = validate_file(linde, spec, config=config)
    (gone,) = [f for f in report.errors if f.code == "X012"]
    assert gone.sheet == TAB and gone.value == "BS-01"


def test_an_edited_vaste_tekst_cannot_say_what_should_be_with_the_config(linde, spec, config):
    cell = _streefwaarde_cell(linde, spec)
    workbook = openpyxl.load_workbook(linde)
    workbook[TAB][cell] = 6
    hidden = workbook[meta.FIXED_TEXT_SHEET]
    header = [c.value for c in hidden[1]]
    row = next(r for r in range(2, hidden.max_row + 1) if hidden.cell(r, 2).value == "BS-01")
    hidden.cell(row, header.index("streefwaarde") + 1, 6)  # the "should be" text forged too
    workbook.save(linde)
    (own,) = [f for f in validate_file(linde, spec).findings if f.code == "X005"]
    assert "60" not in own.message  # the file's own record no longer knows the agreed value
    report = validate_file(linde, spec, config=config)
    (changed,) = [f for f in report.findings if f.code == "X005"]
    assert changed.cell == cell and "er staat nu «6»; er hoort «60» te staan" in changed.message
    assert "X011" not in [f.code for f in report.findings]  # said once, by X005


def test_a_renumbered_lopende_afspraak_is_not_the_configs(linde, spec, config):
    workbook = _cells(linde, TAB, {"A7": "BS-09"})
    _rewrite_meta(linde, spec, _recompute_prints(spec), workbook)
    assert validate_file(linde, spec).valid()
    report = validate_file(linde, spec, config=config)
    assert [(f.code, f.cell) for f in report.errors] == [("X012", "A6"), ("X013", "A7")]


# -------------------------------------------------------------------------------------------------
# Relabelled workbooks
# -------------------------------------------------------------------------------------------------


def _relabel(path: Path, spec, **facts: str) -> None:
    def change(info: meta.Meta, data: WorkbookData) -> None:
        info.facts.update(facts)

    _rewrite_meta(path, spec, change)


def test_a_workbook_relabelled_as_another_corporatie_is_refused(linde, spec, config):
    baken = next(c.party for c in config.corporaties if c.party.kort == "Baken")
    _relabel(linde, spec, corporatie=baken.naam, corporatie_kort="Baken", l_nummer=baken.code or "")
    report = validate_file(linde, spec, config=config)
    wrong = {f.column for f in report.errors if f.code == "X014"}
    assert {"partij 2", "tabblad BS Linde", "tabblad BS Baken"} <= wrong
    with pytest.raises(InvalidInputs):
        merge_paths([linde], spec=spec, config=config)
    merged = merge_paths([linde], spec=spec)  # without the config, only the own record speaks
    assert merged.sources[0].corporatie == baken.naam


def test_a_workbook_of_no_corporatie_of_the_config_is_refused(linde, spec, config):
    _relabel(linde, spec, corporatie_kort="Elders", l_nummer="L9999")
    report = validate_file(linde, spec, config=config)
    assert [f.code for f in report.errors] == ["X015"]
    assert "corporatie Elders (L9999)" in report.errors[0].message
    assert "voorbeeldstad.yaml" in report.errors[0].message


def test_a_workbook_relabelled_as_another_gemeente_is_refused(linde, spec, config):
    _relabel(linde, spec, gemeente_code="GM0344", gemeente="Anderdorp")
    report = validate_file(linde, spec, config=config)
    assert [f.code for f in report.errors] == ["X015"]
    assert "gemeente GM0344" in report.errors[0].message
    with pytest.raises(InvalidInputs):
        merge_paths([linde], spec=spec, config=config)


def test_a_changed_party_in_meta_differs_from_the_config(linde, spec, config):
    def change(info: meta.Meta, data: WorkbookData) -> None:
        info.parties[2] = {**info.parties[2], "naam": "Huurdersvereniging Elders"}

    _rewrite_meta(linde, spec, change)
    report = validate_file(linde, spec, config=config)
    assert any(f.code == "X014" and f.column == "partij 3" for f in report.errors)


# -------------------------------------------------------------------------------------------------
# The Ondertekening
# -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("with_config", [False, True])
def test_a_deleted_signing_row_is_never_getekend(forged, filled, spec, config, with_config):
    assert validate_file(filled[LINDE], spec).getekend  # the filled sample: every party agreed

    def forge(path: Path) -> None:
        workbook = openpyxl.load_workbook(path)
        workbook[SIGNING].delete_rows(9)  # the huurdersorganisatie's row
        workbook.save(path)

    linde = forged("ondertekening-zonder-rij", forge)
    report = validate_file(linde, spec, config=config if with_config else None)
    (gone,) = [f for f in report.errors if f.code == "O011"]
    assert gone.value == "Huurdersvereniging De Linde" and gone.sheet == SIGNING
    assert not report.getekend and not report.signing.signed
    assert "niet getekend" in text_report(Report([report]))


@pytest.mark.parametrize("with_config", [False, True])
def test_a_signing_row_overwritten_with_the_gemeentes_is_never_getekend(
    forged, spec, config, with_config
):
    def forge(path: Path) -> None:
        workbook = openpyxl.load_workbook(path)
        sheet = workbook[SIGNING]
        for col in range(1, sheet.max_column + 1):
            sheet.cell(9, col, sheet.cell(7, col).value)
        workbook.save(path)

    linde = forged("ondertekening-overschreven", forge)
    report = validate_file(linde, spec, config=config if with_config else None)
    codes = [(f.code, f.cell) for f in report.errors]
    assert ("O012", "A9") in codes and ("O011", "A6") in codes
    assert not report.getekend


@pytest.mark.parametrize("with_config", [False, True])
def test_a_changed_locked_signing_cell_is_never_getekend(forged, spec, config, with_config):
    linde = forged(
        "ondertekening-veranderd",
        lambda path: _cells(
            path, SIGNING, {"A10": "Zorggroep Elders", "B9": "Gemeente", "C8": "BT"}
        ),
    )
    report = validate_file(linde, spec, config=config if with_config else None)
    altered = {(f.cell, str(f.value)) for f in report.errors if f.code == "O013"}
    assert altered == {("A10", "Zorggroep Elders"), ("B9", "Gemeente"), ("C8", "BT")}
    assert ("O011", "A6") in [(f.code, f.cell) for f in report.errors]  # Zorggroep is gone
    assert not report.getekend


def test_signing_rows_out_of_order_are_an_error(linde, spec):
    workbook = openpyxl.load_workbook(linde)
    sheet = workbook[SIGNING]
    rows = [[sheet.cell(r, c).value for c in range(1, 10)] for r in (7, 8)]
    for r, values in zip((8, 7), rows, strict=True):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c, value)
    workbook.save(linde)
    report = validate_file(linde, spec)
    assert [(f.code, f.cell) for f in report.errors] == [("O013", "A7")]
    assert not report.getekend


# -------------------------------------------------------------------------------------------------
# The command line
# -------------------------------------------------------------------------------------------------


def _six(spec) -> Callable[[Path], None]:
    """The forgery: BS-01's streefwaarde 6 instead of 60, with the fingerprints recomputed."""

    def forge(path: Path) -> None:
        workbook = _cells(path, TAB, {_streefwaarde_cell(path, spec): 6})
        _rewrite_meta(path, spec, _recompute_prints(spec), workbook)

    return forge


def test_validate_and_merge_take_the_config(forged, spec, tmp_path):
    linde = forged("zes", _six(spec))
    assert run("validate", linde).exit_code == 0
    result = run("validate", linde, "--config", SAMPLE, "--format", "json")
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]] == ["X011"]
    merged = run("merge", linde, "--config", SAMPLE, "--out", tmp_path / "samen.xlsx")
    assert merged.exit_code == 1 and not (tmp_path / "samen.xlsx").exists()
    long = run("merge", linde, "--config", SAMPLE, "--out", tmp_path / "lang.csv")
    assert long.exit_code == 1 and not (tmp_path / "lang.csv").exists()
    assert "X011" in long.output and OWN_RECORD_ONLY not in long.output


def test_a_config_that_is_not_there_is_refused(linde):
    result = run("validate", linde, "--config", linde.parent / "geen.yaml")
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.slow  # a whole cycle: generate, fill, sign, roll over, validate
def test_publish_and_rollover_refuse_a_forgery_with_the_config(linde, spec, tmp_path):
    cell = _streefwaarde_cell(linde, spec)
    _cells(linde, TAB, {cell: 6})
    _rewrite_meta(linde, spec, _recompute_prints(spec))
    rolled = run("rollover", linde, "--year", 2028, "--out", tmp_path / "2028", "--config", SAMPLE)
    assert rolled.exit_code == 1 and not (tmp_path / "2028").exists()
    assert "X011" in rolled.output and OWN_RECORD_ONLY not in rolled.output
    published = run("publish", linde, "--out", tmp_path / "web", "--config", SAMPLE)
    assert published.exit_code == 1 and "niet in orde (1 fout(en))" in published.output
    assert "Traceback" not in rolled.output + published.output
    evaluated = run("evaluate", linde, "--config", SAMPLE)
    assert evaluated.exit_code == 0, evaluated.output


def test_an_overview_with_the_config_is_refused(filled, spec, tmp_path):
    overview = tmp_path / "samen.xlsx"
    assert run("merge", filled[LINDE], "--out", overview).exit_code == 0
    result = run("evaluate", overview, "--config", SAMPLE)
    assert result.exit_code == 2 and "geen werkboek meer" in result.output


@pytest.mark.slow  # a whole cycle: generate, fill, sign, roll over, validate
def test_an_honest_rolled_over_jaarschijf_passes_with_the_config(filled, spec, config, tmp_path):
    from pa_sheets.cycle.rollover import rollover

    jaarschijven = [path for name, path in sorted(filled.items()) if name.startswith("jaarschijf")]
    written = rollover(jaarschijven, 2028, tmp_path, spec=spec, gemeente_config=config)
    for path in written:
        without = validate_file(path, spec)
        assert _codes(validate_file(path, spec, config=config)) == _codes(without), path.name


def test_agreed_deadlines_are_facts_of_the_config(spec, tmp_path):
    from pa_sheets.spec.config import load_config
    from pa_sheets.workbook.generate import generate

    text = SAMPLE.read_text(encoding="utf-8")
    agreed = tmp_path / "voorbeeldstad.yaml"
    agreed.write_text(
        text.replace("periode:\n", 'termijnen:\n  afspraken: "1 December"\n\nperiode:\n', 1)
    )
    config = load_config(agreed, spec)
    (path,) = generate("jaarschijf", agreed, (2027,), tmp_path / "uit", ["Linde"], spec=spec)
    assert _codes(validate_file(path, spec, config=config)) == _codes(validate_file(path, spec))

    def back_to_the_law(info: meta.Meta, data: WorkbookData) -> None:
        info.facts = {
            key: value for key, value in info.facts.items() if not key.startswith("termijn_")
        }

    _rewrite_meta(path, spec, back_to_the_law)
    report = validate_file(path, spec, config=config)
    assert [f.column for f in report.errors if f.code == "X014"] == ["feit termijn_afspraken"]


@pytest.mark.slow  # a whole cycle: generate, fill, sign, roll over, validate
def test_a_partner_signing_for_every_thema_passes_before_and_after_a_rollover(spec, tmp_path):
    from pa_sheets.cycle.rollover import rollover
    from pa_sheets.spec.config import load_config
    from pa_sheets.workbook.generate import generate

    text = SAMPLE.read_text(encoding="utf-8")
    everything = tmp_path / "voorbeeldstad.yaml"
    everything.write_text(text.replace("themas: [WZ]", "themas: [BS, BT, VD, WZ, AG, LB, SW]", 1))
    config = load_config(everything, spec)
    made = generate("jaarschijf", everything, (2027,), tmp_path / "2027", spec=spec)
    rolled = rollover(made, 2028, tmp_path / "2028", spec=spec)
    for path in [*made, *rolled]:
        report = validate_file(path, spec, config=config)
        assert _codes(report) == _codes(validate_file(path, spec)), path.name
        assert not [f for f in report.findings if f.code.startswith(("O01", "X01"))]


# -------------------------------------------------------------------------------------------------
# The workbooks as sent (--verzonden): what a rollover carried is checked too
# -------------------------------------------------------------------------------------------------


def _sent(folder: Path, spec) -> SentWorkbooks:
    return SentWorkbooks.read(folder, spec, expand_paths([folder]))


def test_the_sent_workbook_catches_a_forgery_and_a_workbook_never_sent(
    filled, forged, generated, spec, tmp_path
):
    """The comparison itself, on year 1: the generated folder is what the gemeente sent."""
    sent_folder = tmp_path / "verzonden"
    sent_folder.mkdir()
    for name in (LINDE, "jaarschijf-2027-voorbeeldstad-baken.xlsx"):
        shutil.copy(generated[name], sent_folder / name)
    sent = _sent(sent_folder, spec)
    honest = validate_file(filled[LINDE], spec, sent=sent)
    assert _codes(honest) == _codes(validate_file(filled[LINDE], spec)) and honest.getekend
    cell = _streefwaarde_cell(filled[LINDE], spec)
    linde = forged("zes", _six(spec))
    report = validate_file(linde, spec, sent=sent)
    (forged,) = report.errors
    assert (forged.code, forged.sheet, forged.cell) == ("X011", TAB, cell)
    assert f"volgens het verzonden werkboek {LINDE} hoort er «60» te staan" in forged.message
    (sent_folder / LINDE).unlink()
    never = validate_file(linde, spec, sent=_sent(sent_folder, spec))
    assert [(f.code, f.sheet) for f in never.errors] == [("X015", meta.SHEET)]
    assert "corporatie Linde (L1234)" in never.errors[0].message
    assert str(sent_folder) in never.errors[0].message


def test_a_sent_folder_without_workbooks_is_refused(linde, tmp_path):
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = run("validate", linde, "--verzonden", empty)
    assert result.exit_code == 2 and "geen verzonden werkboeken" in result.output
    (empty / "niet-van-ons.xlsx").write_bytes(b"geen werkboek")
    result = run("validate", linde, "--verzonden", empty)
    assert result.exit_code == 2 and "niet-van-ons.xlsx" in result.output
    assert "Traceback" not in result.output
    itself = run("validate", linde, "--verzonden", linde.parent)  # it would pass against itself
    assert itself.exit_code == 2 and "staat zelf in de map --verzonden" in itself.output


@pytest.fixture(scope="module")
def year_two(tmp_path_factory, spec) -> tuple[Path, Path]:
    """A jaarschijf 2028 made by rollover from the signed 2027 workbooks: the folder as sent
    (rollover's output, which the coordinator keeps) and Linde's workbook filled as returned."""
    from pa_sheets.cycle.rollover import rollover
    from pa_sheets.demo.fill import fill_workbook
    from pa_sheets.workbook.generate import generate

    base = tmp_path_factory.mktemp("jaar-twee")
    blank = generate("jaarschijf", SAMPLE, (2027,), base / "2027", spec=spec)
    signed = [
        fill_workbook(p, base / "terug-2027" / p.name, seed=i + 1, spec=spec)
        for i, p in enumerate(blank)
    ]
    sent = rollover(signed, 2028, base / "verzonden", spec=spec)
    linde = next(path for path in sent if path.name.endswith("-linde.xlsx"))
    returned = fill_workbook(linde, base / "terug-2028" / linde.name, seed=5, spec=spec)
    return base / "verzonden", returned


def _carried(path: Path, spec, config) -> tuple[FoundBlock, int]:
    """A lopende afspraak the rollover carried (last year's new one), which the config does
    not name: its block and row index."""
    data = read_workbook(path, spec)
    named = config_check(data, spec, config).sent.rows()
    lopend = spec.templates["jaarschijf"].lopend_block.key
    return next(
        (block, index)
        for block in data.blocks
        if block.key == lopend
        for index, nummer in enumerate(block.values["nummer"])
        if nummer is not None and (block.meta.sheet, str(nummer)) not in named
    )


@pytest.mark.slow  # a whole cycle: generate, fill, roll over, fill again, validate
def test_an_honest_returned_year_two_workbook_passes_with_the_sent_folder(year_two, spec):
    sent_folder, returned = year_two
    report = validate_file(returned, spec, sent=_sent(sent_folder, spec))
    assert _codes(report) == _codes(validate_file(returned, spec))
    assert not [f for f in report.findings if f.code.startswith("X01")]


@pytest.mark.slow  # a whole cycle: generate, fill, roll over, fill again, validate
def test_a_forged_carried_afspraak_passes_the_config_but_not_the_sent_workbook(
    year_two, spec, config, tmp_path
):
    sent_folder, returned = year_two
    forged = shutil.copy(returned, tmp_path / returned.name)
    block, index = _carried(forged, spec, config)
    nummer, was = block.values["nummer"][index], block.values["afspraak"][index]
    cell = meta_cell(block.rows[index], block.columns["afspraak"])
    _cells(forged, block.sheet, {cell: "Doet wat haalbaar is"})
    _rewrite_meta(forged, spec, _recompute_prints(spec))
    # The hole --verzonden closes: the config does not know last year's new afspraken, and
    # the workbook's own record was worked out again, so the forgery passes with --config.
    assert validate_file(forged, spec, config=config).valid()
    report = validate_file(forged, spec, sent=_sent(sent_folder, spec))
    (x011,) = report.errors
    assert (x011.code, x011.sheet, x011.cell) == ("X011", block.sheet, cell)
    assert str(nummer) in x011.message and "«Doet wat haalbaar is»" in x011.message
    assert " ".join(str(was).split()) in x011.message
    both = validate_file(forged, spec, config=config, sent=_sent(sent_folder, spec))
    assert [(f.code, f.cell) for f in both.errors] == [("X011", cell)]  # the sent one wins
    result = run("validate", forged, "--verzonden", sent_folder, "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert [f["code"] for f in found["files"][0]["findings"]] == ["X011"]
    assert found["bron"] == {"config": None, "verzonden": str(sent_folder), "melding": None}
    merged = run("merge", forged, "--verzonden", sent_folder, "--out", tmp_path / "samen.xlsx")
    assert merged.exit_code == 1 and not (tmp_path / "samen.xlsx").exists()
    rolled = run("rollover", forged, "--year", 2029, "--out", tmp_path / "2029")
    assert rolled.exit_code == 0  # without the source the forgery would be carried again
    refused = run(
        "rollover", forged, "--year", 2029, "--out", tmp_path / "2029b", "--verzonden", sent_folder
    )
    assert refused.exit_code == 1 and "X011" in refused.output
    assert not (tmp_path / "2029b").exists()
    published = run("publish", forged, "--out", tmp_path / "web", "--verzonden", sent_folder)
    assert published.exit_code == 1 and "niet in orde (1 fout(en))" in published.output
    evaluated = run("evaluate", forged, "--verzonden", sent_folder)
    assert evaluated.exit_code == 0 and "Traceback" not in evaluated.output


@pytest.mark.slow  # a whole cycle: generate, fill, roll over, fill again, validate
def test_a_deleted_carried_afspraak_is_missing_from_the_sent_workbook(
    year_two, spec, config, tmp_path
):
    sent_folder, returned = year_two
    deleted = shutil.copy(returned, tmp_path / returned.name)
    block, index = _carried(deleted, spec, config)
    nummer = block.values["nummer"][index]
    workbook = openpyxl.load_workbook(deleted)
    workbook[block.sheet].delete_rows(block.rows[index])
    workbook.save(deleted)
    _rewrite_meta(deleted, spec, _recompute_prints(spec))
    assert "X012" not in [f.code for f in validate_file(deleted, spec, config=config).findings]
    report = validate_file(deleted, spec, sent=_sent(sent_folder, spec))
    (gone,) = [f for f in report.errors if f.code == "X012"]
    assert (gone.sheet, gone.value) == (block.sheet, str(nummer))


@pytest.mark.slow  # a whole cycle: generate, fill, roll over, fill again, validate
def test_a_forged_status_of_last_year_is_caught_by_the_sent_workbook(
    year_two, spec, config, tmp_path
):
    sent_folder, returned = year_two
    forged = shutil.copy(returned, tmp_path / returned.name)
    block, index = _carried(forged, spec, config)
    cell = meta_cell(block.rows[index], block.columns["status_vorig"])
    was = block.values["status_vorig"][index]
    now = "gerealiseerd" if was != "gerealiseerd" else "vertraagd"
    _cells(forged, block.sheet, {cell: now})
    _rewrite_meta(forged, spec, _recompute_prints(spec))
    assert "X011" not in [f.code for f in validate_file(forged, spec, config=config).findings]
    report = validate_file(forged, spec, sent=_sent(sent_folder, spec))
    (x011,) = [f for f in report.errors if f.code == "X011"]
    assert (x011.sheet, x011.cell) == (block.sheet, cell) and f"«{now}»" in x011.message


@pytest.mark.slow  # a whole cycle: generate, fill, roll over, fill again, validate
def test_a_year_two_workbook_not_in_the_sent_folder_is_an_error(year_two, spec, tmp_path):
    sent_folder, returned = year_two
    others = tmp_path / "verzonden"
    others.mkdir()
    for path in sent_folder.iterdir():
        if path.name != returned.name:
            shutil.copy(path, others / path.name)
    report = validate_file(returned, spec, sent=_sent(others, spec))
    assert [f.code for f in report.errors] == ["X015"]
    assert "jaarschijf 2028, gemeente" in report.errors[0].message
    assert "corporatie Linde (L1234)" in report.errors[0].message


def test_a_basisbod_is_compared_with_the_basisbod_as_sent(basisbod, filled_basisbod, spec):
    """A basisbod holds a BT-01 of each gemeente on one tab: each row is compared with its own
    gemeente's."""
    sent = _sent(basisbod.parent, spec)
    honest = validate_file(filled_basisbod, spec, sent=sent)
    assert _codes(honest) == _codes(validate_file(filled_basisbod, spec))
    data = read_workbook(filled_basisbod, spec)
    lopend = spec.templates["basisbod"].lopend_block.key
    nummers = [
        (block.sheet, n)
        for block in data.blocks
        if block.key == lopend
        for n in block.values["nummer"]
        if n
    ]
    assert len(nummers) > len(set(nummers))  # the same nummer for two gemeenten on one tab

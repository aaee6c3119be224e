"""A lopende afspraak that several corporaties share is one agreement: a copy changed in one
workbook, with its _meta fingerprints recomputed so that validate finds nothing, is refused by
merge (each differing cell named), marked in the overview with --allow-invalid, and never
published as agreed. Honest workbooks, and afspraken of their own that happen to share a nummer,
merge as before."""

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import CREATED, PUBLISHED, ROOT, SAMPLE
from test_merge import cells, record_sheets, table
from workbook_helpers import blocks

from pa_sheets.check.validate import validate_file
from pa_sheets.cli import cli
from pa_sheets.cycle.publish import NotPublishable, publish_paths
from pa_sheets.errors import InvalidInputs
from pa_sheets.merge.agreed import DIFFERENT, MISSING, mark_differences, shared_nummers
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.merge.sources import read_source
from pa_sheets.spec.config import load_config
from pa_sheets.spec.model import base_key
from pa_sheets.workbook import meta

FILLED = ROOT / "samples" / "ingevuld"  # filled in and signed by every party
BAKEN, LINDE, STADSWONEN = sorted(FILLED.glob("jaarschijf-*.xlsx"))
ORIGINAL = (
    "De corporatie levert jaarlijks nieuwe sociale huurwoningen op volgens de gezamenlijke "
    "nieuwbouwplanning."
)
BOTH = "Wooncorporatie Het Baken en Stadswonen Voorbeeldstad"  # the two copies that agree
FORGED = "De corporatie levert nieuwe sociale huurwoningen op als de markt het toelaat."


def forged(source: Path, target: Path, sheet: str, nummer: str, values: dict) -> Path:
    """A copy of `source` with fixed cells of one lopende afspraak typed over, and its row and
    block fingerprints in _meta recomputed with meta's own functions: validate finds nothing."""
    workbook = openpyxl.load_workbook(source)
    block = next(
        b for b in blocks(workbook) if b["blad"] == sheet and b["sleutel"] == "going_concern"
    )
    columns = block["kolommen"].split(",")
    tab = workbook[sheet]
    rows = list(range(block["eerste_rij"], block["eerste_rij"] + block["vaste_rijen"]))
    row = next(r for r in rows if tab.cell(r, columns.index("nummer") + 1).value == nummer)
    for key, value in values.items():
        tab.cell(row, columns.index(key) + 1, value)
    from pa_sheets.spec.model import load_spec

    fixed_keys = load_spec().templates["jaarschijf"].lopend_block.fixed
    fixed = [key for key in columns if base_key(key) in fixed_keys]
    by_column = [[tab.cell(r, columns.index(key) + 1).value for r in rows] for key in fixed]
    row_print = meta.fingerprint([tab.cell(row, columns.index(k) + 1).value for k in fixed])
    for cells_ in workbook[meta.SHEET].iter_rows():
        marker, name = cells_[0].value, cells_[1].value if len(cells_) > 1 else None
        if marker == "vast" and name == sheet:
            entries = str(cells_[2].value).split()
            cells_[2].value = " ".join(
                f"{nummer}:{row_print}" if entry.rpartition(":")[0] == nummer else entry
                for entry in entries
            )
        elif marker == "blokafdruk" and name == sheet:
            cells_[2].value = meta.block_fingerprint(by_column)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


def cell_of(path: Path, sheet: str, nummer: str, key: str) -> str:
    """The cell of column `key` of lopende afspraak `nummer` on `sheet`, as C7."""
    workbook = openpyxl.load_workbook(path)
    block = next(
        b for b in blocks(workbook) if b["blad"] == sheet and b["sleutel"] == "going_concern"
    )
    columns = block["kolommen"].split(",")
    tab = workbook[sheet]
    for row in range(block["eerste_rij"], block["laatste_rij"] + 1):
        if tab.cell(row, columns.index("nummer") + 1).value == nummer:
            return tab.cell(row, columns.index(key) + 1).coordinate
    raise AssertionError(f"{nummer} niet op {sheet}")


@pytest.fixture(scope="module")
def forged_linde(tmp_path_factory) -> Path:
    """Linde's signed jaarschijf with BS-01 changed as a party with a reason to would: weaker
    text, a tenth of the target; its _meta made to match."""
    folder = tmp_path_factory.mktemp("vervalst")
    return forged(
        LINDE,
        folder / LINDE.name,
        "BS Linde",
        "BS-01",
        {"afspraak": FORGED, "streefwaarde": 6},
    )


def test_the_forgery_passes_validate_on_its_own(forged_linde, spec):
    """What the check is for: the workbook alone cannot tell."""
    report = validate_file(forged_linde, spec)
    assert report.valid(), [f.message for f in report.errors]
    assert not any(f.code == "X005" for f in report.findings)


def test_merge_refuses_a_shared_text_that_differs_and_names_each_cell(forged_linde, spec):
    with pytest.raises(InvalidInputs) as refused:
        merge_paths([BAKEN, forged_linde, STADSWONEN], spec=spec, workers=1)
    assert "2 verschil(len) in gedeelde afspraken tussen de werkboeken" in str(refused.value)
    (linde,) = refused.value.report.files  # only the workbook that differs is refused
    assert linde.path == forged_linde
    found = [(f.code, f.sheet, f.cell, f.column, f.value) for f in linde.findings]
    assert found == [
        (DIFFERENT, "BS Linde", cell_of(forged_linde, "BS Linde", "BS-01", "afspraak"),
         "Afspraak", FORGED),
        (DIFFERENT, "BS Linde", cell_of(forged_linde, "BS Linde", "BS-01", "streefwaarde"),
         "Streefwaarde", 6.0),
    ]  # fmt: skip
    text, number = (f.message for f in linde.findings)
    assert f"hier {FORGED!r}" in text and f"{BOTH}: {ORIGINAL!r}" in text
    assert "Lopende afspraak BS-01" in text
    assert f"hier 6 en daar anders ({BOTH}: 60)" in number


def test_the_cli_refuses_with_exit_1_and_the_differences_in_dutch(forged_linde, tmp_path):
    out = tmp_path / "overzicht.xlsx"
    result = CliRunner().invoke(
        cli, ["merge", str(BAKEN), str(forged_linde), str(STADSWONEN), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    cell = cell_of(forged_linde, "BS Linde", "BS-01", "afspraak")
    lines = result.output.splitlines()
    sheet = lines.index("  BS Linde")  # the report names the sheet, then each cell under it
    assert lines[sheet + 1].split()[:3] == [cell, "fout", DIFFERENT], result.output
    assert FORGED in result.output and ORIGINAL in result.output
    assert "verschil(len) in gedeelde afspraken" in result.output
    assert "--allow-invalid" in result.output
    assert not out.exists()


def test_with_allow_invalid_the_overview_marks_the_differing_workbook(forged_linde, tmp_path):
    merged = merge_paths([BAKEN, forged_linde, STADSWONEN], allow_invalid=True, workers=1)
    path = write_overview(merged, tmp_path / "overzicht.xlsx", created=CREATED)
    sheets = cells(path)
    rows = [r for rs in record_sheets(sheets).values() for r in rs if r["Nummer"] == "BS-01"]
    # Linde's copy is shown as Linde's, and marked: its workbook is not in orde.
    shown = sorted((r["Corporatie"], r["Afspraak"], r["Bron in orde"]) for r in rows)
    assert shown == [
        ("Stadswonen Voorbeeldstad", ORIGINAL, "ja"),
        ("Wooncorporatie Het Baken", ORIGINAL, "ja"),
        ("Woonstichting De Linde", FORGED, "nee"),
    ], shown
    summary = sheets["Samenvatting"]
    assert any("1 met fouten (hun rijen zijn oranje gemarkeerd)" in str(r[0]) for r in summary)
    # At the top of the summary, before the counts, each cell that differs.
    header, body = table(summary, "Gedeelde afspraken die verschillen")
    assert header == ["Corporatie", "Nummer", "Blad", "Cel", "Kolom", "Melding"]
    cell = cell_of(forged_linde, "BS Linde", "BS-01", "afspraak")
    linde = ["Woonstichting De Linde", "BS-01", "BS Linde", cell, "Afspraak"]
    assert body[0][:5] == linde
    assert len(body) == 2 and FORGED in body[0][5] and ORIGINAL in body[0][5]
    first = [row[0] for row in summary].index("Gedeelde afspraken die verschillen")
    assert first < [row[0] for row in summary].index("Afspraken per thema en corporatie")
    # Published from this overview: refused, its workbook was not in orde when merged.
    with pytest.raises(NotPublishable) as refused:
        publish_paths([path], tmp_path / "website", created=PUBLISHED)
    assert "niet in orde bij het samenvoegen" in refused.value.problems[0]


def test_publish_refuses_the_differing_text(forged_linde, spec, tmp_path):
    out = tmp_path / "website"
    with pytest.raises(NotPublishable) as refused:
        publish_paths([BAKEN, forged_linde, STADSWONEN], out, spec=spec, created=PUBLISHED)
    (problem,) = refused.value.problems
    assert str(forged_linde) in problem and "BS-01" in problem and "gedeelde" in problem
    assert not out.exists()
    result = CliRunner().invoke(
        cli, ["publish", str(BAKEN), str(forged_linde), str(STADSWONEN), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert "BS-01" in result.output and not out.exists()


def test_two_workbooks_with_the_config_the_gemeente_says_what_is_shared(forged_linde, spec, config):
    """With two workbooks no copy is the majority: without the config a difference cannot be
    told from two afspraken of their own under one nummer; the config says BS-01 is for all,
    and both copies are named (neither is 'the' agreed one)."""
    sources = [read_source(path, spec) for path in (BAKEN, forged_linde)]
    assert mark_differences(sources, spec) == []  # undecided without the config
    assert "BS-01" in shared_nummers(config) and "VD-01" not in shared_nummers(config)
    found = mark_differences(sources, spec, shared_nummers(config))
    where = sorted((f.sheet, f.column) for f in found)
    assert where == [
        ("BS Baken", "Afspraak"),
        ("BS Baken", "Streefwaarde"),
        ("BS Linde", "Afspraak"),
        ("BS Linde", "Streefwaarde"),
    ]
    baken, linde = sources
    assert not baken.valid and not linde.valid
    assert any(f"Woonstichting De Linde: {FORGED!r}" in f.message for f in baken.report.findings)


def test_a_changed_value_on_a_shared_party_tab_is_found_too(spec, tmp_path):
    """The gemeente's own afspraak (its tab in every workbook): planning moved in one copy."""
    changed = forged(
        STADSWONEN, tmp_path / STADSWONEN.name, "SW Gemeente", "SW-01", {"planning": "2030"}
    )
    with pytest.raises(InvalidInputs) as refused:
        merge_paths([BAKEN, LINDE, changed], spec=spec, workers=1)
    ((finding,),) = [f.findings for f in refused.value.report.files]
    assert (finding.sheet, finding.column, finding.value) == ("SW Gemeente", "Planning", "2030")
    assert "Wooncorporatie Het Baken en Woonstichting De Linde: '2026'" in finding.message


def test_honest_workbooks_merge_as_before(spec):
    merged = merge_paths([BAKEN, LINDE, STADSWONEN], spec=spec, workers=1)
    assert all(source.valid for source in merged.sources)
    assert not any(f.code == DIFFERENT for s in merged.sources for f in s.report.findings)
    assert len(merged.collectives) == 7


def test_own_afspraken_that_share_a_nummer_are_not_compared(spec, tmp_path):
    """Two corporaties' own afspraken may carry one nummer (a config may number them alike,
    and after rollover their new afspraken often do): a difference between two copies and no
    more is no forgery without the config."""
    config = tmp_path / "twee.yaml"
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "  - nummer: VD-01\n    corporatie: Linde\n",
        "  - nummer: VD-03\n    corporatie: Baken\n    partij: corporatie\n"
        "    afspraak: Baken isoleert de daken van de flats aan de Dijk.\n"
        "    type: handelingsafspraak\n    trekker: corporatie\n    planning: '2027'\n"
        "  - nummer: VD-03\n    corporatie: Linde\n",
    )
    config.write_text(text, encoding="utf-8")
    load_config(config, spec)  # the config is right: a nummer is unique per workbook
    from pa_sheets.workbook.generate import generate

    chosen = generate(
        "jaarschijf", config, (2027,), tmp_path / "leeg", ["Linde", "Baken"], spec=spec
    )
    sources = [read_source(path, spec) for path in chosen]
    assert mark_differences(sources, spec) == []
    shutil.rmtree(tmp_path / "leeg")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_long_format_compares_too(forged_linde, tmp_path, fmt):
    """merge --format csv/parquet keeps no records in memory, but the lopende afspraken come
    back from each worker to be compared: refused alike, nothing written."""
    out = tmp_path / ("lang.csv" if fmt == "csv" else "landelijk")
    args = ["merge", str(BAKEN), str(forged_linde), str(STADSWONEN), "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--format", fmt])
    assert result.exit_code == 1, result.output
    assert DIFFERENT in result.output and FORGED in result.output
    assert not out.exists() or not any(out.rglob("*.parquet"))
    result = CliRunner().invoke(cli, [*args, "--format", fmt, "--allow-invalid"])
    assert result.exit_code == 0, result.output
    assert "heeft 2 fout(en); rijen gemarkeerd" in result.output


def test_a_joint_scope_says_shared_without_the_config(hogeland, spec, tmp_path):
    """Two workbooks, no config: a copy whose scope says its target is of all corporaties
    together is compared; Het Hogeland's 620 nieuwbouwwoningen cut to 62 in one of them."""
    wenb, woonzorg = hogeland
    assert merge_paths([wenb, woonzorg], spec=spec, workers=1).collectives  # honest: as before
    changed = forged(
        woonzorg, tmp_path / woonzorg.name, "BS Woonzorg", "BS-01", {"streefwaarde": 62}
    )
    assert validate_file(changed, spec).valid()
    with pytest.raises(InvalidInputs) as refused:
        merge_paths([wenb, changed], spec=spec, workers=1)
    files = {f.path.name: [(x.sheet, x.column, x.value) for x in f.findings] for f in
             refused.value.report.files}  # fmt: skip
    # Neither copy is the majority: both are named, each with what the other says.
    assert files == {
        wenb.name: [("BS WenB", "Streefwaarde", 620.0)],
        woonzorg.name: [("BS Woonzorg", "Streefwaarde", 62.0)],
    }


def test_with_the_config_a_shared_afspraak_missing_from_one_workbook_is_named(spec, config):
    """Its row and its fingerprint deleted (as if validate found nothing): the config says it
    is in every workbook, the others carry it."""
    baken, linde, stadswonen = (read_source(p, spec) for p in (BAKEN, LINDE, STADSWONEN))
    linde.records = [r for r in linde.records if r.values.get("nummer") != "BS-01"]
    assert mark_differences([baken, linde, stadswonen], spec) == []  # a gap, without config
    (found,) = mark_differences([baken, linde, stadswonen], spec, shared_nummers(config))
    assert (found.code, found.sheet, found.value) == (MISSING, "BS Linde", "BS-01")
    assert f"werkboeken van {BOTH}, maar niet in dit werkboek" in found.message
    assert not linde.valid and baken.valid and stadswonen.valid


def test_a_copy_that_differs_only_in_spacing_is_the_same_text(spec, tmp_path):
    """As for the fingerprints: spacing does not change what was agreed."""
    spaced = forged(
        LINDE,
        tmp_path / LINDE.name,
        "BS Linde",
        "BS-01",
        {"afspraak": ORIGINAL.replace(" jaarlijks ", "  jaarlijks\n")},
    )
    merged = merge_paths([BAKEN, spaced, STADSWONEN], spec=spec, workers=1)
    assert all(source.valid for source in merged.sources)


@pytest.mark.slow  # a whole cycle: merge, roll over
def test_rollover_does_not_carry_a_differing_text_into_next_year(forged_linde, spec, tmp_path):
    from pa_sheets.cycle.rollover import rollover

    with pytest.raises(InvalidInputs) as refused:
        rollover([BAKEN, forged_linde, STADSWONEN], 2028, tmp_path / "2028", spec=spec)
    assert [f.path for f in refused.value.report.files] == [forged_linde]
    assert not (tmp_path / "2028").exists()


def test_a_concept_page_lists_the_differing_copy_as_not_agreed(forged_linde, spec, tmp_path):
    """--concept publishes what is not in orde, marked CONCEPT; the differing copy is not
    shown among the afspraken but under those the parties do not agree on, with why."""
    out = tmp_path / "website"
    result = publish_paths([BAKEN, forged_linde, STADSWONEN], out, concept=True, spec=spec)
    page = result.pages[0].read_text(encoding="utf-8")
    agreed, not_agreed = page.split('id="tabel-oneens"')
    assert ORIGINAL in agreed and FORGED not in agreed
    assert FORGED in not_agreed and "staat ook in andere werkboeken" in not_agreed


def test_merge_with_the_config_compares_what_it_says_is_shared(forged_linde, spec, config):
    """Two workbooks: no majority, so only the config (passed on by merge_paths) says BS-01 is
    for all; the refusal counts the differing copies besides the forged workbook's own errors."""
    with pytest.raises(InvalidInputs) as refused:
        merge_paths([BAKEN, forged_linde], spec=spec, config=config)
    assert "verschil(len) in gedeelde afspraken" in str(refused.value)
    baken = next(r for r in refused.value.report.files if r.path.name == BAKEN.name)
    assert {(f.code, f.sheet) for f in baken.findings} >= {(DIFFERENT, "BS Baken")}


def test_two_identical_copies_among_many_different_ones_are_no_shared_afspraak(spec):
    """Five workbooks whose gemeente tab holds an afspraak of its own under one nummer: two
    happen to be alike. Without a majority that is a coincidence, not a shared afspraak that
    three corporaties changed (bench_merge's thirty workbooks made this refuse a merge)."""
    sources = [read_source(path, spec) for path in (BAKEN, LINDE, STADSWONEN, BAKEN, LINDE)]
    texts = ["Eigen tekst A.", "Eigen tekst A.", "Eigen tekst B.", "Eigen tekst C.", "Tekst D."]
    for source, text in zip(sources, texts, strict=True):
        (record,) = [r for r in source.records if r.values.get("nummer") == "BS-02"]
        record.values["afspraak"] = text
    assert mark_differences(sources, spec) == []
    texts[3] = texts[4] = "Eigen tekst A."  # now four of five say A: the one with B changed it
    for source, text in zip(sources, texts, strict=True):
        next(r for r in source.records if r.values.get("nummer") == "BS-02").values["afspraak"] = (
            text
        )
    found = mark_differences(sources, spec)
    assert sorted(f.value for f in found) == ["Eigen tekst B."]

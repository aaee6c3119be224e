"""A corporatie's aandeel in a joint target (spec 1.6, issue 26): "samen minimaal 1.500 sociale
huurwoningen in 2021-2025; Tiwos minimaal 375". The config gives the shares of a lopende
afspraak of the corporaties together; each corporatie's workbook shows its own, locked; the
joint target is counted once, never with the shares; the evaluation judges a corporatie's own
contribution against its share and the joint total against the joint target."""

from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import CREATED, SAMPLE
from test_merge import cells, table
from workbook_helpers import blocks, typed

from pa_sheets.check.validate import validate_file
from pa_sheets.cycle.evaluate import evaluate_merged
from pa_sheets.cycle.judgement import ACHTER, GEHAALD, OP_KOERS, Doel, judge_share
from pa_sheets.errors import ConfigError
from pa_sheets.merge.combine import COLLECTIVE, merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.spec.config import load_config
from pa_sheets.workbook.generate import generate

JOINT = {
    "nummer": "BS-90",
    "partij": "corporatie",
    "afspraak": "De corporaties bouwen samen minimaal 600 sociale huurwoningen; De Linde 200.",
    "type": "resultaatafspraak",
    "indicator": "BS01",
    "eenheid": "woningen",
    "streefwaarde": 600,
    "doelsoort": "minimaal",
    "scope": "alle corporaties",
    "planning": "2026-2030",
}


def _config(tmp_path, **changes) -> object:
    config = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    config["lopende_afspraken"] = [*config["lopende_afspraken"], {**JOINT, **changes}]
    path = tmp_path / "voorbeeldstad.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_the_config_reads_the_shares_by_short_or_full_name(tmp_path, spec):
    path = _config(tmp_path, aandelen={"Linde": 200, "Stadswonen Voorbeeldstad": 150})
    row = next(r for r in load_config(path, spec).lopend if r.nummer == "BS-90")
    assert row.aandelen == (("Linde", 200.0), ("Stadswonen", 150.0))
    assert row.aandeel("Baken") is None and "aandeel" not in row.values


@pytest.mark.parametrize(
    "changes,problem",
    [
        (dict(aandelen={"Eik": 100}), "geen corporatie 'Eik' (wel: Linde, Stadswonen, Baken)"),
        (
            dict(aandelen={"Linde": 100}, scope="deze corporatie"),
            "een aandeel hoort bij een doel van de corporaties samen",
        ),
        (dict(aandelen={"Linde": 100}, scope=None), "niet bij scope leeg"),
        (
            dict(aandelen={"Linde": 100}, streefwaarde=None),
            "een aandeel is een deel van een streefwaarde",
        ),
        (dict(aandelen={"Linde": 100}, corporatie="Baken"), "niet in het werkboek van Linde"),
        (
            dict(aandelen={"Linde": 400, "Baken": 300}, doelsoort="maximaal"),
            "de aandelen samen (700) zijn meer dan het gezamenlijke doel (maximaal 600)",
        ),
        (dict(aandelen={"Linde": -5}), "een aandeel is niet negatief"),
    ],
)
def test_the_config_refuses_a_share_that_cannot_be(tmp_path, spec, changes, problem):
    path = _config(tmp_path, **changes)
    with pytest.raises(ConfigError) as error:
        load_config(path, spec)
    assert problem in str(error.value)
    assert "aandelen" in str(error.value)  # at its key


def test_shares_above_a_minimaal_target_are_more_than_the_minimum(tmp_path, spec):
    # 'Wij leggen de eigen lat hoger': above a minimum is no contradiction.
    path = _config(tmp_path, aandelen={"Linde": 400, "Baken": 300})
    row = next(r for r in load_config(path, spec).lopend if r.nummer == "BS-90")
    assert sum(share for _, share in row.aandelen) == 700


@pytest.fixture(scope="module")
def blanks(tmp_path_factory, spec) -> list[Path]:
    """The three jaarschijven 2027 with BS-90 (Linde 200, Stadswonen 150, Baken none), blank."""
    tmp_path = tmp_path_factory.mktemp("aandeel")
    path = _config(tmp_path, aandelen={"Linde": 200, "Stadswonen": 150})
    return generate("jaarschijf", path, (2027,), tmp_path / "leeg", created=CREATED, spec=spec)


@pytest.fixture(scope="module")
def monitors(blanks, tmp_path_factory, spec) -> list[Path]:
    """The monitors of the blanks, signed (filled in by the demo, seed 2)."""
    from pa_sheets.cycle.monitor import generate_monitor
    from pa_sheets.demo.fill import fill_workbook

    tmp_path = tmp_path_factory.mktemp("monitor")
    signed = [
        fill_workbook(blank, tmp_path / "getekend" / blank.name, seed=2, spec=spec)
        for blank in blanks
    ]
    return generate_monitor(signed, tmp_path / "monitor", spec=spec, created=CREATED)


@pytest.fixture(scope="module")
def returned(blanks, tmp_path_factory):
    """The blanks each filled in with its own realisatie of the joint target."""
    tmp_path = tmp_path_factory.mktemp("aandeel-terug")
    paths = blanks
    realisatie = {"linde": 90, "stadswonen": 30, "baken": 40}
    back = []
    for blank in paths:
        workbook = openpyxl.load_workbook(blank, read_only=True)  # to read the nummers only
        rows = {}
        for block in blocks(workbook):
            if block["sleutel"] != "going_concern":
                continue
            nummers = workbook[block["blad"]].iter_rows(
                min_row=block["eerste_rij"], max_row=block["laatste_rij"], max_col=1
            )
            for (cell,) in nummers:
                if cell.value:
                    rows[(block["blad"], "going_concern", cell.value)] = {"status": "groen"}
        workbook.close()
        own = next(k for k in realisatie if k in blank.name)
        sheet = next(k for k in rows if k[2] == "BS-90")
        rows[sheet] = {"status": "groen", "realisatie": realisatie[own]}
        back.append(typed(blank, tmp_path / "terug" / blank.name, rows))
    return back


@pytest.fixture(scope="module")
def merged(returned, spec):
    """The returned workbooks merged once: the tests below only read the result."""
    return merge_paths(returned, spec=spec, workers=1)


def _cell(path, nummer: str, key: str, workbook=None):
    """The cell of `key` in afspraak `nummer`, and its header; `workbook` is `path` loaded
    (loaded here if not given)."""
    workbook = workbook or openpyxl.load_workbook(path)
    for block in blocks(workbook):
        columns = block["kolommen"].split(",")
        if key not in columns:
            continue
        sheet = workbook[block["blad"]]
        for r in range(block["eerste_rij"], block["laatste_rij"] + 1):
            if sheet.cell(r, 1).value == nummer:
                header = sheet.cell(block["eerste_rij"] - 1, columns.index(key) + 1).value
                return sheet.cell(r, columns.index(key) + 1), header
    raise AssertionError(f"{nummer} {key} niet gevonden in {path.name}")


def test_each_workbook_shows_its_own_share_locked(returned, spec):
    shares = {}
    for path in returned:
        workbook = openpyxl.load_workbook(path)
        cell, header = _cell(path, "BS-90", "aandeel", workbook)
        assert header == "Aandeel deze corporatie"
        assert cell.protection.locked  # the config gives it, the corporatie does not
        assert (
            _cell(path, "BS-90", "streefwaarde", workbook)[0].value == 600
        )  # the joint target, as is
        shares[path.name.split("-")[-1].removesuffix(".xlsx")] = cell.value
    assert shares == {"linde": 200, "stadswonen": 150, "baken": None}


def test_the_workbooks_with_their_shares_validate_and_merge_as_one_afspraak(returned, merged, spec):
    for path in returned:
        report = validate_file(path, spec)
        assert report.errors == [], [(f.code, f.cell, f.message) for f in report.errors]
        assert not [f for f in report.findings if f.code.startswith("X")]
    (collective,) = [c for c in merged.collectives if c.nummer == "BS-90"]
    assert len(collective.members) == 3  # the shares differ; still one afspraak
    assert not [f for s in merged.sources for f in s.report.findings if f.code.startswith("X")]


def test_the_joint_target_counts_once_never_with_the_shares(merged, tmp_path):
    sheets = cells(write_overview(merged, tmp_path / "overzicht.xlsx", created=CREATED))
    header, rows = table(sheets["Kengetallen"], "Standaardindicatoren per corporatie")
    (bs01,) = [
        dict(zip(header, row, strict=True))
        for row in rows
        if row[0] == "BS01" and row[4] == "Streefwaarde"
    ]
    assert (bs01["Gezamenlijk"], bs01["Gemeente"]) == (600, 600)  # not 950 with the shares
    # The share is on the corporatie's own row of the overview's thema sheet.
    rows = sheets["BS Beschikbaarheid"]
    shown = [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row and row[0]]
    by_corporatie = {
        r["Corporatie"]: r["Aandeel deze corporatie"] for r in shown if r["Nummer"] == "BS-90"
    }
    assert by_corporatie == {
        "Woonstichting De Linde": 200,
        "Stadswonen Voorbeeldstad": 150,
        "Wooncorporatie Het Baken": "",
    }


def test_a_share_is_judged_on_its_own_and_the_joint_target_together(merged):
    evaluation = evaluate_merged(merged, {})
    rows = {(a.corporatie, a.nummer): a for a in evaluation.afspraken if a.nummer == "BS-90"}
    linde = rows[("Woonstichting De Linde", "BS-90")]
    stadswonen = rows[("Stadswonen Voorbeeldstad", "BS-90")]
    baken = rows[("Wooncorporatie Het Baken", "BS-90")]
    # 2 of 5 years: pro rata 80 of Linde's 200 (90: op koers), 60 of Stadswonen's 150 (30).
    assert linde.oordeel.oordeel == OP_KOERS and linde.oordeel.uitleg.startswith("eigen aandeel")
    assert stadswonen.oordeel.oordeel == ACHTER
    # Together 160 of 600, pro rata 240: achter; Baken, without a share, has the joint one.
    (joint,) = [a for a in evaluation.counted if a.nummer == "BS-90"]
    assert joint.corporatie == COLLECTIVE and joint.oordeel.oordeel == ACHTER
    assert "samen" in joint.oordeel.uitleg and baken.oordeel == joint.oordeel


def test_judge_share_takes_the_joint_targets_form():
    doel = Doel(1500, doelsoort="minimaal", planning="2021-2025", mijlpaal=900)
    assert judge_share(doel, 375, 400, 2025).oordeel == GEHAALD
    said = judge_share(doel, 375, 100, 2023).uitleg
    assert said.startswith("eigen aandeel") and "375" in said and "900" not in said


def test_the_monitor_carries_the_share_locked(monitors):
    (monitor,) = [m for m in monitors if "linde" in m.name]
    cell, header = _cell(monitor, "BS-90", "aandeel")
    assert (header, cell.value, cell.protection.locked) == ("Aandeel deze corporatie", 200, True)


def test_the_page_and_the_open_data_show_each_share(returned, spec, tmp_path):
    import csv
    import io

    from pa_sheets.cycle.opendata import AFSPRAAK_COLUMNS, SCHEMA_VERSION
    from pa_sheets.cycle.publish import publish_paths

    assert SCHEMA_VERSION == "1.2" and AFSPRAAK_COLUMNS[-1] == "aandeel"  # added at the end
    out = tmp_path / "site"
    publish_paths(returned, out, concept=True, spec=spec, created=CREATED)
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "600 woningen, waarvan Woonstichting De Linde 200, Stadswonen Voorbeeldstad 150" in page
    text = next(out.glob("*-afspraken.csv")).read_text(encoding="utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["nummer"] == "BS-90"]
    assert {r["corporatie"]: r["aandeel"] for r in rows} == {
        "Woonstichting De Linde": "200",
        "Stadswonen Voorbeeldstad": "150",
        "Wooncorporatie Het Baken": "",
    }
    assert {r["streefwaarde"] for r in rows} == {"600"}  # the joint target in every row


def test_a_package_of_schema_1_1_without_the_share_still_stacks(spec, tmp_path):
    import csv
    import io
    import json
    import shutil

    from conftest import PUBLISHED, ROOT

    from pa_sheets.cycle.publish import publish_paths
    from pa_sheets.cycle.verzamel import verzamel

    jaarschijven = sorted((ROOT / "samples" / "ingevuld").glob("jaarschijf-*.xlsx"))
    new = tmp_path / "sites" / "nieuw"
    publish_paths(jaarschijven, new, spec=spec, created=PUBLISHED)
    old = tmp_path / "sites" / "oud"
    old.mkdir()
    for path in new.iterdir():
        if path.suffix not in (".csv", ".json"):
            shutil.copy(path, old / path.name)
            continue
        text = path.read_text(encoding="utf-8-sig").replace("GM9001", "GM9002")
        if path.name.endswith("-afspraken.csv"):  # the last column, aandeel, cut off
            rows = list(csv.reader(io.StringIO(text, newline="")))
            assert rows[0][-1] == "aandeel"
            out = io.StringIO(newline="")
            csv.writer(out, lineterminator="\r\n").writerows(row[:-1] for row in rows)
            text = out.getvalue()
        if path.name == "datapackage.json":
            package = json.loads(text)
            package["schema_versie"] = package["version"] = "1.1"
            for resource in package["resources"]:
                schema = resource["schema"]
                schema["fields"] = [f for f in schema["fields"] if f["name"] != "aandeel"]
            text = json.dumps(package, ensure_ascii=False)
        (old / path.name).write_text(
            text, encoding="utf-8-sig" if path.suffix == ".csv" else "utf-8"
        )
    stacked = verzamel([tmp_path / "sites"], tmp_path / "landelijk")
    assert len(stacked.packages) == 2


def test_the_set_up_workbook_keeps_the_shares(tmp_path, spec):
    # The coordinator's other way in (pa-sheets opzet): one cell 'Linde: 200; Stadswonen: 150'.
    from test_opzet import _round_trip

    from pa_sheets.spec.opzet import read_setup
    from pa_sheets.workbook.opzet import write_setup

    source = _config(tmp_path, aandelen={"Linde": 200, "Stadswonen": 150.5})
    _round_trip(source, tmp_path, spec)
    row = next(r for r in load_config(source, spec).lopend if r.nummer == "BS-90")
    assert row.aandelen == (("Linde", 200), ("Stadswonen", 150.5))
    workbook = write_setup(yaml.safe_load(source.read_text()), tmp_path / "opzet-fout.xlsx", spec)
    sheet = openpyxl.load_workbook(workbook)["Lopende afspraken"]
    cell = next(
        c for r in sheet.iter_rows() for c in r if c.value == "Linde: 200; Stadswonen: 150,5"
    )
    cell.value = "Linde 200"
    sheet.parent.save(tmp_path / "fout.xlsx")
    (problem,) = read_setup(tmp_path / "fout.xlsx", spec).problems
    assert "geen reeks aandelen" in str(problem) and cell.coordinate in str(problem)


def test_rollover_carries_each_share_into_next_year(returned, spec, tmp_path):
    from pa_sheets.cycle.rollover import rollover

    after = rollover(returned, 2028, tmp_path / "2028", spec=spec)
    shares = {path.name.split("-")[-1].removesuffix(".xlsx"): path for path in after}
    assert {k: _cell(p, "BS-90", "aandeel")[0].value for k, p in shares.items()} == {
        "linde": 200,
        "stadswonen": 150,
        "baken": None,
    }
    for path in after:
        assert validate_file(path, spec).errors == []


def test_the_evaluation_sets_each_share_beside_its_contribution(merged, spec, tmp_path):
    from pa_sheets.cycle.evaluation_text import text_evaluation
    from pa_sheets.cycle.evaluation_workbook import GEDEELD_HEADER, write_evaluation

    evaluation = evaluate_merged(merged, {})
    (shared,) = [g for g in evaluation.gedeeld if g.nummer == "BS-90"]
    assert dict(zip((c for c, _, _ in shared.bijdragen), shared.aandelen, strict=True)) == {
        "Woonstichting De Linde": 200,
        "Stadswonen Voorbeeldstad": 150,
        "Wooncorporatie Het Baken": None,
    }
    text = text_evaluation(evaluation)
    assert "Woonstichting De Linde: 90 van aandeel 200 (groen)" in text
    assert "Wooncorporatie Het Baken: 40 (groen)" in text
    path = write_evaluation(evaluation, tmp_path / "evaluatie.xlsx", spec, created=CREATED)
    sheet = openpyxl.load_workbook(path)["Evaluatie"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    start = rows.index(GEDEELD_HEADER + [None] * (len(rows[0]) - len(GEDEELD_HEADER)))
    doel = GEDEELD_HEADER.index("Doel")
    lines = {r[0]: r[doel] for r in rows[start + 1 :] if r[1] == "BS-90"}
    assert lines == {
        "Woonstichting De Linde": 200,
        "Stadswonen Voorbeeldstad": 150,
        "Wooncorporatie Het Baken": None,
        "Samen": 600,  # the joint target, once
    }


def test_monitors_with_different_shares_merge_as_one_afspraak(monitors, spec, tmp_path):
    from pa_sheets.demo.monitor import fill_monitor

    filled = [fill_monitor(m, tmp_path / "ingevuld" / m.name, seed=1, spec=spec) for m in monitors]
    merged = merge_paths(filled, spec=spec, workers=1, allow_invalid=True)
    (collective,) = [c for c in merged.collectives if c.nummer == "BS-90"]
    assert len(collective.members) == 3
    # The copies differ in their aandeel only: no finding that they differ (X020 and the like).
    assert not [f for s in merged.sources for f in s.report.findings if "BS-90" in f.message]

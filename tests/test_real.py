"""Real afspraken from published prestatieafspraken (tests/real/afspraken.yaml, with their
sources) go through the whole cycle as a coordinator and the corporaties would: the gemeente's
config holds the parties and the lopende afspraken, each corporatie's workbook is generated,
filled in (a status for every lopende afspraak, the new afspraken typed in), validated without
errors and merged; a target of all corporaties together is counted once."""

import re
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import yaml
from conftest import CREATED, ROOT
from test_merge import cells, table
from workbook_helpers import blocks, meta, typed

from pa_sheets.merge.overview import write_overview
from pa_sheets.spec.config import ALLE, load_config
from pa_sheets.spec.model import load_spec
from pa_sheets.workbook.generate import generate
from pa_sheets.workbook.layout import party_ref
from pa_sheets.workbook.meta import BLOCK_FIELDS

REAL = ROOT / "tests" / "real"
CORPUS = yaml.safe_load((REAL / "afspraken.yaml").read_text(encoding="utf-8"))
BRONNEN = {bron["id"]: bron for bron in CORPUS["bronnen"]}
# The keys of an afspraak that are the coordinator's, not a column of the config.
NOT_CONFIG = ("bron", "invoer", "in_bron")
# What a real afspraak may still be told: it is not SMART (no indicator, a vague planning), or
# its type was read from the gemeente's own word (resultaatafspraak).
WARNINGS = {"M002", "M003", "M004", "T002"}
# The bronnen whose whole cycle takes longest (many corporaties or afspraken, 3-6 s each): in the
# full suite only, so `pytest -m "not slow"` stays within its 90 s; the others cover the same code.
SLOW = {
    "heerlen-2024",
    "het-hogeland-2020-2023",
    "molenlanden-2021",
    "utrechtse-heuvelrug-2019",
    "vijfheerenlanden-2024",
}


def afspraken(bron: str, invoer: str | None = None) -> list[dict]:
    return [
        a
        for a in CORPUS["afspraken"]
        if a["bron"] == bron and (invoer is None or a["invoer"] == invoer)
    ]


def test_the_corpus_is_real_and_large_enough():
    assert len(CORPUS["afspraken"]) >= 40
    documents = {b["id"] for b in CORPUS["bronnen"] if b["soort"].startswith("document")}
    assert len(BRONNEN) >= 3 and len(documents) >= 3
    for afspraak in CORPUS["afspraken"]:
        assert BRONNEN[afspraak["bron"]]["url"].startswith("https://")
        assert afspraak["afspraak"] and afspraak["invoer"] in ("lopend", "nieuw")


def _bron(bron: str):
    return pytest.param(bron, marks=pytest.mark.slow) if bron in SLOW else bron


def built(bron: str, folder: Path) -> tuple[Path, list[Path]]:
    """The gemeente's config with its lopende afspraken, and every corporatie's jaarschijf,
    generated and filled in."""
    info = BRONNEN[bron]
    config = yaml.safe_load((REAL / info["config"]).read_text(encoding="utf-8"))
    config["lopende_afspraken"] = [
        {k: v for k, v in a.items() if k not in NOT_CONFIG} for a in afspraken(bron, "lopend")
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / info["config"]
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    paths = generate("jaarschijf", path, (info["jaarschijf"],), folder / "leeg", created=CREATED)
    return path, [_fill(bron, path, blank, folder / "terug") for blank in paths]


def _fill(bron: str, config_path: Path, blank: Path, out: Path) -> Path:
    """A corporatie's answers: every lopende afspraak on schedule, its new afspraken typed in
    with the parties by their names in this workbook."""
    spec = load_spec()
    config = load_config(config_path, spec)
    workbook = openpyxl.load_workbook(blank)
    own = next(c for c in config.corporaties if c.party.naam == meta(workbook)["corporatie"])
    rows: dict[tuple[str, str, object], dict] = {}
    for block in blocks(workbook):
        if block["sleutel"] == "going_concern":
            sheet = workbook[block["blad"]]
            for row in range(block["eerste_rij"], block["laatste_rij"] + 1):
                nummer = sheet.cell(row, 1).value
                if nummer:
                    rows[(block["blad"], "going_concern", nummer)] = {"status": "groen"}
    names = {party_ref(p, own): p.display for p in config.parties(own)}
    tabs = {party_ref(p, own): p.kort for p in config.parties(own)}
    count: dict[str, int] = {}
    for a in afspraken(bron, "nieuw"):
        if a["corporatie"] not in (ALLE, own.party.kort):
            continue
        sheet = f"{a['nummer'].split('-')[0]} {tabs[a['partij']]}"
        index = count.get(sheet, 0)
        count[sheet] = index + 1
        values = {k: v for k, v in a.items() if k not in (*NOT_CONFIG, "corporatie", "partij")}
        for key in ("trekker", "betrokken"):
            if key in values:
                values[key] = ", ".join(names.get(ref, ref) for ref in values[key])
        if "indicator" in values and (standard := spec.indicator(values["indicator"])):
            values["indicator"] = standard.naam
        rows[(sheet, "nieuw", index)] = values
    return typed(blank, out / blank.name, rows)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("echt")


@pytest.mark.parametrize("bron", [_bron(bron) for bron in BRONNEN])
def test_real_afspraken_generate_fill_in_and_validate(bron, real_built, real_merged):
    _, paths = real_built(bron)
    # The reports of the merge (validate_file on each, which merge runs first): once per bron.
    merged = real_merged(bron)
    reports = {source.path.name: source.report for source in merged.sources + merged.set_aside}
    typed_in = 0
    for path in paths:
        report = reports[path.name]
        assert report.errors == [], [(f.sheet, f.cell, f.message) for f in report.errors]
        assert {f.code for f in report.warnings} <= WARNINGS, [
            (f.code, f.message) for f in report.warnings if f.code not in WARNINGS
        ]
        typed_in += _afspraken_in(path)
    n = len(paths)
    expected = sum(n if a["corporatie"] == ALLE else 1 for a in afspraken(bron))
    assert typed_in == expected  # every real afspraak stands in the workbooks it is for


def _afspraken_in(path: Path) -> int:
    """How many afspraken (a text in column B) the going-concern and new blocks hold."""
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = [row for row in workbook.get_sheet_by_name("_meta").to_python() if row[0] == "blok"]
    found = 0
    for row in rows[1:]:
        block = dict(zip(BLOCK_FIELDS, row[1:11], strict=True))
        if block["sleutel"] in ("going_concern", "nieuw"):
            values = workbook.get_sheet_by_name(block["blad"]).to_python(skip_empty_area=False)
            first, last = int(block["eerste_rij"]), int(block["laatste_rij"])
            found += sum(1 for row in values[first - 1 : last] if len(row) > 1 and row[1])
    return found


@pytest.mark.parametrize("bron", [_bron(bron) for bron in BRONNEN])
def test_real_afspraken_merge_with_joint_targets_counted_once(
    bron, folder, spec, real_built, real_merged
):
    _, paths = real_built(bron)
    merged = real_merged(bron)
    n = len(paths)
    joint = set(spec.joint_scopes())
    # An afspraak in more than one workbook is one collective afspraak, unless its target is
    # each corporatie's own; a new one when its scope says it is shared.
    shared = {
        a["nummer"]
        for a in afspraken(bron)
        if n > 1
        and a["corporatie"] == ALLE
        and (a["scope"] in joint or (a["invoer"] == "lopend" and a["scope"] != "deze corporatie"))
    }
    assert {c.nummer for c in merged.collectives} == shared
    sheets = cells(write_overview(merged, folder / f"{bron}-overzicht.xlsx", created=CREATED))
    header, rows = table(sheets["Kengetallen"], "Standaardindicatoren per corporatie")
    figures = {(row[0], row[4]): dict(zip(header, row, strict=True)) for row in rows}
    for code, total in _expected_targets(bron, n, spec).items():
        assert figures[(code, "Streefwaarde")]["Gemeente"] == total, code


def _expected_targets(bron: str, n: int, spec) -> dict[str, float]:
    """Per standard indicator that adds up: a shared target once, a target of each corporatie
    (corporatie: alle, scope deze corporatie) once per workbook. A target for a term past the
    period (a doorkijk) is not added to those of the period."""
    config = yaml.safe_load((REAL / BRONNEN[bron]["config"]).read_text(encoding="utf-8"))
    last = config["periode"]["laatste_jaar"]
    totals: dict[str, float] = {}
    for a in afspraken(bron):
        indicator = spec.indicator(a.get("indicator") or "")
        if indicator is None or "streefwaarde" not in a or indicator.eenheid in ("%",):
            continue
        start = re.search(r"\d{4}", str(a.get("planning", "")))
        if start and int(start.group()) > last:
            continue
        times = n if a["corporatie"] == ALLE and a.get("scope") == "deze corporatie" else 1
        totals[indicator.code] = totals.get(indicator.code, 0) + a["streefwaarde"] * times
    return totals


def test_a_joint_target_is_not_multiplied(spec, real_built):
    # Haarlemmermeer: 'de bouw van 1177 nieuwe sociale huurwoningen', five corporaties.
    _, paths = real_built("haarlemmermeer-2024-2027")
    assert len(paths) == 5
    assert _expected_targets("haarlemmermeer-2024-2027", 5, spec)["BS01"] == 1177


def test_a_target_past_the_period_is_listed_apart_not_counted(folder, real_merged):
    # Haarlemmermeer: 1.177 woningen t/m 2027, and 'tussen 2028 en 2031 de overige 2.843' (a
    # doorkijk). One target each: the period's own counts, the doorkijk is listed apart.
    bron = "haarlemmermeer-2024-2027"
    merged = real_merged(bron)
    sheets = cells(write_overview(merged, folder / f"{bron}-doorkijk.xlsx", created=CREATED))
    header, rows = table(sheets["Niet meegeteld"], "Niet meegeteld")
    apart = [dict(zip(header, row, strict=True)) for row in rows if row[0] == "BS01"]
    assert [(r["Nummer"], r["Waarde"]) for r in apart] == [("BS-02", 2843)]
    assert apart[0]["Reden"] == (
        "andere termijn (2028-2031) dan de getelde streefwaarden (2024-2027)"
    )


def test_own_indicators_are_summed_only_with_the_same_name_and_eenheid(folder, real_merged):
    # Tilburg: 'minimaal 1500 sociale huurwoningen bij' in the period, for the three corporaties
    # together, measured as the gemeente words it; not a standard indicator.
    merged = real_merged("tilburg-2023")
    sheets = cells(write_overview(merged, folder / "tilburg-2023-eigen.xlsx", created=CREATED))
    header, rows = table(sheets["Kengetallen"], "Standaardindicatoren per corporatie")
    own = {
        (row[1], row[2]): dict(zip(header, row, strict=True))
        for row in rows
        if row[0] == "eigen" and row[4] == "Streefwaarde"
    }
    netto = own[("Netto toevoeging sociale huurwoningen", "woningen")]
    assert netto["Gezamenlijk"] == 1500 and netto["Gemeente"] == 1500
    share = own[("Aandeel corporatiebouw in grote nieuwbouwprojecten", "%")]
    assert share["Gemeente"] == "" and share["Gemiddelde (ongewogen)"] == 20  # % is not added


def test_a_corporaties_share_of_the_joint_target_stands_in_its_own_workbook(
    folder, real_built, real_merged
):
    # Tilburg: 'minimaal 1500 sociale huurwoningen ... Tiwos neemt daarvan minimaal 375 voor
    # haar rekening'; TBV Wonen's 'netto 500 woningen erbij' is its part of the same target.
    _, paths = real_built("tilburg-2023")
    shares = {}
    for path in paths:
        workbook = openpyxl.load_workbook(path)
        for block in blocks(workbook):
            columns = block["kolommen"].split(",")
            if block["sleutel"] != "going_concern" or "aandeel" not in columns:
                continue
            sheet = workbook[block["blad"]]
            for row in range(block["eerste_rij"], block["laatste_rij"] + 1):
                if sheet.cell(row, 1).value == "BS-02":
                    cell = sheet.cell(row, columns.index("aandeel") + 1)
                    assert cell.protection.locked
                    shares[meta(workbook)["corporatie"]] = cell.value
    assert shares == {"TBV Wonen": 500, "Tiwos": 375, "WonenBreburg": None}
    merged = real_merged("tilburg-2023")
    sheets = cells(write_overview(merged, folder / "tilburg-2023-aandeel.xlsx", created=CREATED))
    header, rows = table(sheets["Kengetallen"], "Standaardindicatoren per corporatie")
    (netto,) = [
        r
        for r in rows
        if r[1] == "Netto toevoeging sociale huurwoningen" and r[4] == "Streefwaarde"
    ]
    assert dict(zip(header, netto, strict=True))["Gemeente"] == 1500  # not 2.375


# -------------------------------------------------------------------------------------------------
# The fit measurement (issue 26): how many real afspraken fit without bending
# -------------------------------------------------------------------------------------------------

FIT = yaml.safe_load((REAL / "fit.yaml").read_text(encoding="utf-8"))
# The forms a bent afspraak lacks (fit.yaml's header says what each means).
VORMEN = {"relatief doel", "bereik", "per jaar", "niveau", "meer doelen", "aandeel"}


def _key(afspraak: dict) -> str:
    return f"{afspraak['bron']}/{afspraak['nummer']}"


def test_every_real_afspraak_has_a_fit_verdict():
    verdicts = FIT["oordelen"]
    assert sorted(verdicts) == sorted(_key(a) for a in CORPUS["afspraken"])
    for key, verdict in verdicts.items():
        if verdict != "past":
            assert set(verdict) == {"gebogen", "vorm"}, key
            assert verdict["gebogen"].strip() and verdict["vorm"] in VORMEN, key


def test_the_share_that_fits_without_bending_does_not_fall():
    verdicts = FIT["oordelen"].values()
    fits = sum(verdict == "past" for verdict in verdicts)
    bent: dict[str, int] = {}
    for verdict in verdicts:
        if verdict != "past":
            bent[verdict["vorm"]] = bent.get(verdict["vorm"], 0) + 1
    print(
        f"\n{fits} van {len(verdicts)} echte afspraken passen zonder buigen "
        f"({fits / len(verdicts):.1%}); gebogen: {bent}"
    )
    assert len(verdicts) == FIT["gemeten"]["totaal"]
    assert fits >= FIT["gemeten"]["past"], "minder afspraken passen dan gemeten (fit.yaml)"


@pytest.mark.parametrize("bron", [_bron(bron) for bron in BRONNEN])
def test_every_afspraak_that_fits_goes_through_the_cycle(bron, real_built, real_merged):
    """Each `past` afspraak stands, as typed, in every workbook it is for; those workbooks
    validate without an error and are all merged, none set aside."""
    _, paths = real_built(bron)
    merged = real_merged(bron)
    assert merged.set_aside == [] and len(merged.sources) == len(paths)
    texts = {path.name: _texts(path) for path in paths}
    for afspraak in afspraken(bron):
        if FIT["oordelen"][_key(afspraak)] != "past":
            continue
        text = " ".join(afspraak["afspraak"].split())
        where = [name for name, found in texts.items() if text in found]
        assert len(where) == (len(paths) if afspraak["corporatie"] == ALLE else 1), _key(afspraak)


def _texts(path: Path) -> set[str]:
    """Every text in the workbook, its whitespace made single spaces."""
    return {
        " ".join(value.split())
        for rows in cells(path).values()
        for row in rows
        for value in row
        if isinstance(value, str)
    }

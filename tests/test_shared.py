"""Afspraken of several parties: several trekkers and betrokken partijen in one cell, and a
target that holds for all corporaties together, entered once by the gemeente, fixed in every
workbook and counted once. Built on a small config after Het Hogeland (five corporaties there,
two here): 'In de periode 2022-2026 willen de woningcorporaties 620 nieuwbouwwoningen
realiseren' must not become 620 per corporatie."""

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import CREATED
from test_merge import cells, table
from workbook_helpers import blocks, typed

from pa_sheets.check.validate import validate_file
from pa_sheets.errors import ConfigError
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.spec.config import load_config
from pa_sheets.workbook.generate import generate

CONFIG = """\
gemeente: {naam: Het Hogeland, code: "GM1966"}
periode: {eerste_jaar: 2022, laatste_jaar: 2026}
themas: [BS, VD, SW]
corporaties:
  - naam: Wierden en Borgen
    kort: WenB
    l_nummer: L1001
    huurdersorganisatie:
      - {naam: Huurdersvereniging Wierden en Borgen, kort: HV WenB}
      - {naam: Bewonerscommissie Warffum, kort: BC Warffum}
  - naam: Woonzorg Nederland
    kort: Woonzorg
    l_nummer: L1002
    huurdersorganisatie: {naam: Huurdersvereniging Wierden en Borgen, kort: HV WenB}
samenwerkingsverbanden:
  - {naam: Federatie Hogeland, kort: Federatie, corporaties: [WenB, Woonzorg]}
lopende_afspraken:
  - nummer: BS-01
    bronnummer: "2.1.1"
    corporatie: alle
    partij: corporatie
    afspraak: In de periode 2022-2026 willen de woningcorporaties 620 nieuwbouwwoningen realiseren.
    type: resultaatafspraak
    trekker: corporatie
    betrokken: [gemeente]
    scope: alle corporaties
    doelsoort: ongeveer
    indicator: BS01
    eenheid: woningen
    streefwaarde: 620
    mijlpalen: {2024: 300, 2026: 620}
    planning: 2022-2026
    kader: Woondeal Groningen
  - nummer: BS-02
    corporatie: alle
    partij: corporatie
    afspraak: Elke corporatie verkoopt in 2024 ten hoogste 10 sociale huurwoningen.
    type: garantieafspraak
    trekker: corporatie
    scope: deze corporatie
    doelsoort: maximaal
    indicator: BS05
    eenheid: woningen
    streefwaarde: 10
    planning: 2024
  - nummer: VD-01
    corporatie: alle
    partij: gemeente
    afspraak: Samen zetten wij in op versnelling van zon-op-dak.
    type: procesafspraak
    trekker: [gemeente, corporatie]
    planning: doorlopend
    kern: Warffum, Uithuizen
  - nummer: SW-01
    corporatie: alle
    partij: Federatie
    afspraak: De Federatie en de gemeente overleggen elk kwartaal over de voortgang.
    type: procesafspraak
    trekker: [Federatie, gemeente]
    planning: 1 x per kwartaal
  - nummer: VD-02
    corporatie: WenB
    partij: BC Warffum
    afspraak: In 2023 startten we met buurtbemiddeling in Warffum; die loopt door.
    type: handelingsafspraak
    trekker: BC Warffum
    indicator: Buurtbemiddelingszaken
    eenheid: aantal
    streefwaarde: 12
    planning: 2023-2030
"""


def make_hogeland(out: Path, spec) -> list[Path]:
    """The two jaarschijven 2024, generated and filled in: a status for every lopende
    afspraak, and a new afspraak that names two trekkers (conftest's hogeland, made once)."""
    config = out / "hogeland.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    paths = generate("jaarschijf", config, (2024,), out / "leeg", spec=spec, created=CREATED)
    filled = []
    for path in paths:
        workbook = openpyxl.load_workbook(path)
        rows = {
            (block["blad"], "going_concern", nummer): {"status": "groen"}
            for block in blocks(workbook)
            if block["sleutel"] == "going_concern"
            for nummer in _nummers(workbook, block)
        }
        corporatie = "WenB" if "wenb" in path.name else "Woonzorg"
        rows[(f"BS {corporatie}", "nieuw", 0)] = {
            "nummer": "BS-10",
            "afspraak": "Pilot Housing First in samenwerking met zorgaanbieder en gemeente.",
            "type": "handelingsafspraak",
            "trekker": f"Gemeente Het Hogeland en {_naam(corporatie)}",
            "indicator": "Housing First-plekken",
            "eenheid": "aantal",
            "streefwaarde": 5,
            "planning": "eind 2025",
        }
        filled.append(typed(path, out / "terug" / path.name, rows))
    return filled


def _naam(kort: str) -> str:
    return {"WenB": "Wierden en Borgen", "Woonzorg": "Woonzorg Nederland"}[kort]


def _nummers(workbook, block) -> list[str]:
    sheet = workbook[block["blad"]]
    return [
        sheet.cell(row, 1).value
        for row in range(block["eerste_rij"], block["laatste_rij"] + 1)
        if sheet.cell(row, 1).value
    ]


def test_the_parties_real_gemeenten_have(tmp_path, spec):
    path = tmp_path / "c.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path, spec)
    wenb, woonzorg = config.corporaties
    assert [ho.kort for ho in wenb.huurdersorganisaties] == ["HV WenB", "BC Warffum"]
    assert woonzorg.huurders.naam == wenb.huurders.naam  # one huurdersorganisatie, two corporaties
    assert [p.naam for p in config.parties(woonzorg)] == [
        "Het Hogeland",
        "Woonzorg Nederland",
        "Huurdersvereniging Wierden en Borgen",
        "Federatie Hogeland",
    ]
    rows = {row.nummer: row.values for row in config.lopend}
    assert rows["BS-01"]["type"] == "handelingsafspraak"  # resultaatafspraak, as its type
    assert rows["VD-01"]["trekker"] == "gemeente, corporatie"
    assert rows["VD-02"]["indicator"] == "Buurtbemiddelingszaken"  # an own indicator
    assert rows["VD-02"]["planning"] == "2023-2030"  # started before the period, runs past it


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "kort: Federatie, corporaties: [WenB, Woonzorg]",
            "kort: Federatie, corporaties: [WenB, Acantus]",
            "samenwerkingsverbanden[0].corporaties: geen corporatie 'Acantus'",
        ),
        (
            "    trekker: [Federatie, gemeente]",
            "    trekker: [Federatie, provincie]",
            "lopende_afspraken[3].trekker: 'provincie' is geen rol of partij",
        ),
        (
            "    indicator: Buurtbemiddelingszaken\n    eenheid: aantal\n",
            "    indicator: Buurtbemiddelingszaken\n",
            "lopende_afspraken[4].indicator: geen standaardindicator",
        ),
        (
            "mijlpalen: {2024: 300, 2026: 620}",
            "mijlpalen: {2024: veel, 2026: 620}",
            "lopende_afspraken[0].mijlpalen.2024: verwacht een getal, gevonden 'veel'",
        ),
        (
            "kort: BC Warffum}",
            "kort: HV WenB}",
            "'HV WenB' is al in gebruik",
        ),
    ],
)
def test_a_mistake_in_the_parties_names_the_key(tmp_path, spec, old, new, message):
    path = tmp_path / "c.yaml"
    assert old in CONFIG
    path.write_text(CONFIG.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(path, spec)


def test_a_shared_afspraak_is_fixed_with_all_its_parties(hogeland):
    workbook = openpyxl.load_workbook(hogeland[0])
    assert "BS WenB" in workbook.sheetnames and "BS BC Warffum" in workbook.sheetnames
    assert "SW Federatie" in workbook.sheetnames
    block = next(
        b
        for b in blocks(workbook)
        if b["blad"] == "VD Gemeente" and b["sleutel"] == "going_concern"
    )
    columns = block["kolommen"].split(",")
    sheet = workbook["VD Gemeente"]
    row = block["eerste_rij"]
    cell = sheet.cell(row, columns.index("trekker") + 1)
    assert cell.value == "Gemeente Het Hogeland, Wierden en Borgen"
    assert cell.protection.locked
    assert sheet.cell(row, columns.index("kern") + 1).value == "Warffum, Uithuizen"
    assert sheet.cell(row, columns.index("planning") + 1).value == "doorlopend"
    bs = workbook["BS WenB"]
    first = next(b for b in blocks(workbook) if b["blad"] == "BS WenB")["eerste_rij"]
    milestone = bs.cell(first, columns.index("mijlpaal") + 1)
    assert milestone.value == 300 and milestone.protection.locked
    assert bs.cell(first, columns.index("streefwaarde") + 1).value == 620


def test_the_filled_workbooks_are_valid(hogeland, spec):
    for path in hogeland:
        report = validate_file(path, spec)
        assert report.errors == [], [f.message for f in report.errors]
        # The own indicator and two trekkers are fine; nothing but SMART notices remain.
        assert {f.code for f in report.findings} <= {"M003"}


def test_every_trekker_in_a_cell_is_checked(hogeland, spec, tmp_path):
    path = typed(
        hogeland[0],
        tmp_path / "x.xlsx",
        {("BS WenB", "nieuw", 0): {"trekker": "Gemeente Het Hogeland; Provincie en WenB"}},
    )
    found = [(f.code, f.value) for f in validate_file(path, spec).findings if f.code == "X002"]
    assert found == [("X002", "Provincie"), ("X002", "WenB")]


def test_a_joint_target_is_counted_once(hogeland, spec, tmp_path):
    merged = merge_paths(hogeland, spec=spec, workers=1)
    nummers = sorted(c.nummer for c in merged.collectives)
    # BS-01 (alle corporaties) and the gemeente's and Federatie's afspraken once; BS-02 (deze
    # corporatie) stays each corporatie's own; BS-10 names the corporatie itself.
    assert nummers == ["BS-01", "SW-01", "VD-01"]
    sheets = cells(write_overview(merged, tmp_path / "o.xlsx", created=CREATED))
    header, rows = table(sheets["Kengetallen"], "Standaardindicatoren per corporatie")
    by_key = {(row[0], row[4]): dict(zip(header, row, strict=True)) for row in rows}
    nieuwbouw = by_key[("BS01", "Streefwaarde")]
    assert nieuwbouw["Gezamenlijk"] == 620 and nieuwbouw["Gemeente"] == 620
    # The milestone of 2024 on the way to 620 in 2026, once too.
    mijlpaal = by_key[("BS01", "Mijlpaal dit jaar")]
    assert mijlpaal["Gezamenlijk"] == 300 and mijlpaal["Gemeente"] == 300
    verkoop = by_key[("BS05", "Streefwaarde")]
    assert verkoop["Wierden en Borgen"] == verkoop["Woonzorg Nederland"] == 10
    assert verkoop["Gemeente"] == 20


def test_the_overview_shows_when_a_planning_starts_and_ends(hogeland, spec, tmp_path):
    merged = merge_paths(hogeland, spec=spec, workers=1)
    sheets = cells(write_overview(merged, tmp_path / "o.xlsx", created=CREATED))
    header, *rows = sheets["BS Beschikbaarheid"]
    # The planning prints; when it starts and ends is for the screen, with the details after.
    at = [header.index(h) for h in ("Planning", "Planning van", "Planning tot")]
    assert at[0] < header.index("Status") < at[1] < at[2]
    spans = {
        row[header.index("Nummer")]: [row[col] for col in at] for row in rows if row[0] != "Totaal"
    }
    assert [str(v)[:10] for v in spans["BS-01"]] == ["2022-2026", "2022-01-01", "2026-12-31"]
    assert [str(v)[:10] for v in spans["BS-10"]] == ["eind 2025", "2025-10-01", "2025-12-31"]
    vd = dict(
        zip(
            sheets["VD Verduurzaming en kwaliteit"][0],
            sheets["VD Verduurzaming en kwaliteit"][1],
            strict=True,
        )
    )
    assert vd["Planning"] == "doorlopend" and vd["Planning van"] == vd["Planning tot"] == ""
    assert header.index("Wijk of kern") and header.index("Kader")  # shown, even when empty


def test_rollover_carries_several_trekkers(hogeland, spec, tmp_path):
    from pa_sheets.check.validate import validate_paths
    from pa_sheets.cycle.rollover import rollover

    next_year = rollover(hogeland, 2025, tmp_path / "2025", spec=spec, created=CREATED)
    workbook = openpyxl.load_workbook(next(p for p in next_year if "wenb" in p.name))
    block = next(
        b
        for b in blocks(workbook)
        if b["blad"] == "VD Gemeente" and b["sleutel"] == "going_concern"
    )
    columns = block["kolommen"].split(",")
    cell = workbook["VD Gemeente"].cell(block["eerste_rij"], columns.index("trekker") + 1)
    assert cell.value == "Gemeente Het Hogeland, Wierden en Borgen"
    assert validate_paths(next_year, spec=spec).exit_code == 0  # nothing left to fill in: valid
    # The second huurdersorganisatie keeps its own tab and afspraak; the Federatie stays a party.
    warffum = next(
        b
        for b in blocks(workbook)
        if b["blad"] == "VD BC Warffum" and b["sleutel"] == "going_concern"
    )
    assert workbook["VD BC Warffum"].cell(warffum["eerste_rij"], 1).value == "VD-02"
    woonzorg = openpyxl.load_workbook(next(p for p in next_year if "woonzorg" in p.name))
    assert "SW Federatie" in woonzorg.sheetnames and "VD BC Warffum" not in woonzorg.sheetnames

"""The set-up workbook (pa-sheets opzet): a config without YAML. It says what a YAML config
says (yaml -> xlsx -> yaml loses nothing), reports every mistake at its sheet and cell, survives
LibreOffice, rolls over from last year, and a coordinator can fill one in and generate the
jaarschijven from it."""

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import PUBLISHED, ROOT, SAMPLE, examples, resave
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pa_sheets.cli import cli
from pa_sheets.errors import ConfigError
from pa_sheets.spec.config import ConfigProblems, config_mapping, load_config
from pa_sheets.spec.config_schema import ConfigModel
from pa_sheets.spec.model import load_spec
from pa_sheets.spec.opzet import (
    CORPORATIES,
    GEMEENTE,
    LOPEND,
    PARTNERS,
    THEMAS,
    read_setup,
    yaml_text,
)
from pa_sheets.spec.yamlfile import load_yaml
from pa_sheets.workbook import meta
from pa_sheets.workbook.opzet import write_setup

CONFIGS = sorted(
    path
    for path in [*ROOT.glob("samples/*.yaml"), *ROOT.glob("tests/real/*.yaml")]
    if re.search(r"^gemeente:", path.read_text(encoding="utf-8"), re.MULTILINE)
)

# Everything a config can say, in one: agreed termijnen, an own thema, a samenwerkingsverband,
# a huurdersfederatie, a corporatie with two huurdersorganisaties and one with none, mijlpalen,
# a date as planning, several trekkers, an own indicator.
EVERYTHING = """
gemeente: {naam: Elders, code: "0123", kort: Gem Elders}
periode: {eerste_jaar: 2027, laatste_jaar: 2031}
termijnen: {bod: 15 juni, afspraken: 1 december}
themas: [BS, BT, {code: T1, naam: Eigen thema, omschrijving: Waar het over gaat}]
corporaties:
  - naam: Woonstichting Een
    kort: Een
    l_nummer: L0001
    huurdersorganisatie:
      - {naam: Huurders Een Noord, kort: HEN}
      - {naam: Huurders Een Zuid, kort: HEZ}
  - naam: Woonstichting Twee
    l_nummer: L0002
    huurdersorganisatie: {naam: Huurdersraad Twee}
  - naam: Woonstichting Drie Zonder Huurders
    kort: Drie
    l_nummer: L0003
samenwerkingsverbanden:
  - {naam: Federatie Een en Drie, kort: Fed, corporaties: [Een, Drie]}
huurdersfederaties:
  - {naam: Huurdersfederatie Een en Twee, kort: HFed, corporaties: [Een, Woonstichting Twee]}
partners:
  - {naam: Zorg 1880, kort: Zorg, themas: [T1, BT]}
lopende_afspraken:
  - nummer: BS-01
    bronnummer: "2.1"
    corporatie: Een
    partij: corporatie
    afspraak: "Bouwen; met: tekens = en 'quotes'."
    type: resultaatafspraak
    trekker: [corporatie, gemeente]
    betrokken: HEZ
    scope: alle corporaties
    kern: Noord
    kader: Woonvisie 2025
    doelsoort: maximaal
    mijlpalen: {2027: 100, 2028: 250.5}
    indicator: BS01
    eenheid: woningen
    nulmeting: 0
    nulmeting_jaar: 2026
    streefwaarde: 300
    planning: 2030-06-30
    bijdrage: 1250000.5
  - nummer: T1-01
    partij: Zorg
    afspraak: De zorgpartij meldt uitstroom.
    type: procesafspraak
    indicator: Aantal meldingen
    eenheid: aantal
    streefwaarde: 12
    planning: jaarlijks
  - nummer: BT-02
    corporatie: alle
    partij: gemeente
    afspraak: Vroegsignalering.
    type: procesafspraak
    trekker: Fed
    planning: Q3 2028
  - nummer: BT-03
    partij: HFed
    afspraak: De huurdersfederatie adviseert over het huurbeleid.
    type: procesafspraak
    trekker: [HFed, corporatie]
"""


def _same_config(a, b) -> bool:
    return dataclasses.replace(a, path=b.path) == b


def _shape(data: dict, spec) -> dict:
    """The config as its schema reads it, with the spellings of one meaning made one: a list
    of one huurdersorganisatie, the standard themes left out."""
    dumped = ConfigModel.model_validate(data, context={"spec": spec}).model_dump(exclude_none=True)
    dumped.setdefault("themas", [thema.code for thema in spec.themas])
    for corporatie in dumped["corporaties"]:
        listed = corporatie.get("huurdersorganisatie")
        if isinstance(listed, list) and len(listed) == 1:
            corporatie["huurdersorganisatie"] = listed[0]
    return dumped


def _round_trip(source: Path, tmp_path: Path, spec) -> None:
    data = load_yaml(source, ConfigError)
    workbook = write_setup(data, tmp_path / "opzet.xlsx", spec)
    back = read_setup(workbook, spec)
    assert back.problems == []
    assert _same_config(load_config(source, spec), load_config(workbook, spec))
    assert _shape(back.data, spec) == _shape(data, spec)
    # and on to YAML: the text reads as the workbook did
    text = tmp_path / "terug.yaml"
    text.write_text(yaml_text(back.data, workbook.name), encoding="utf-8")
    assert load_yaml(text, ConfigError) == back.data
    assert _same_config(load_config(source, spec), load_config(text, spec))


@pytest.mark.parametrize("source", CONFIGS, ids=lambda path: path.name)
def test_every_config_goes_to_a_set_up_workbook_and_back_without_loss(source, tmp_path, spec):
    _round_trip(source, tmp_path, spec)


def test_the_configs_are_all_there():
    names = {path.name for path in CONFIGS}
    assert {"voorbeeldstad.yaml", "anderdorp.yaml", "tilburg.yaml"} <= names
    assert "afspraken.yaml" not in names  # no config: a list of afspraken


def test_everything_a_config_can_say_goes_there_and_back(tmp_path, spec):
    source = tmp_path / "elders.yaml"
    source.write_text(EVERYTHING, encoding="utf-8")
    _round_trip(source, tmp_path, spec)
    config = load_config(
        write_setup(load_yaml(source, ConfigError), tmp_path / "x.xlsx", spec), spec
    )
    assert config.corporatie("Drie").huurders is None
    assert [ho.kort for ho in config.corporatie("Een").huurdersorganisaties] == ["HEN", "HEZ"]
    assert config.lopend[0].mijlpalen == ((2027, 100.0), (2028, 250.5))
    assert config.lopend[0].values["planning"] == dt.date(2030, 6, 30)
    assert config.termijnen.bod == (6, 15)


texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda text: text.strip() == text and text.strip())


@settings(
    max_examples=examples(full=25, fast=6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    naam=texts,
    afspraak=texts,
    streefwaarde=st.integers(0, 10**9)
    | st.floats(0, 1e9, allow_nan=False).map(lambda x: round(x, 3)),
    planning=st.sampled_from(["2027", "Q3 2028", "eind 2029", "2027-2030", "jaarlijks"])
    | st.dates(dt.date(2027, 1, 1), dt.date(2031, 12, 31)),
)
def test_any_text_and_number_goes_there_and_back(
    tmp_path, spec, naam, afspraak, streefwaarde, planning
):
    data = load_yaml(SAMPLE, ConfigError)
    data["corporaties"][0]["naam"] = naam
    row = data["lopende_afspraken"][0]
    row |= {"afspraak": afspraak, "streefwaarde": streefwaarde, "planning": planning}
    row.pop("nulmeting", None)
    workbook = write_setup(data, tmp_path / "opzet.xlsx", spec, force=True)
    back = read_setup(workbook, spec)
    assert _shape(back.data, spec) == _shape(data, spec)


# ---------------------------------------------------------------------------------------------
# Mistakes: all at once, each at its sheet and cell, in Dutch, exit 2.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def sample_setup(tmp_path, spec) -> Path:
    return write_setup(load_yaml(SAMPLE, ConfigError), tmp_path / "opzet.xlsx", spec)


def _edit(path: Path, changes: dict[tuple[str, str], object]) -> Path:
    workbook = openpyxl.load_workbook(path)
    for (sheet, cell), value in changes.items():
        workbook[sheet][cell] = value
    workbook.save(path)
    return path


def test_mistakes_in_the_shape_are_named_by_sheet_and_cell_all_at_once(sample_setup, spec):
    _edit(
        sample_setup,
        {
            (GEMEENTE, "B6"): None,  # the CBS-code
            (CORPORATIES, "C6"): "L23",
            (CORPORATIES, "A7"): None,
            (PARTNERS, "E5"): "Linde",  # a partner has no corporaties
            (LOPEND, "N5"): "ooit",
            (LOPEND, "O5"): "2027: 3; x",
        },
    )
    with pytest.raises(ConfigProblems) as error:
        load_config(sample_setup, spec)
    assert [str(problem) for problem in error.value.problems] == [
        "blad Gemeente, cel B6 (CBS-code): deze cel is leeg; vul hem in.",
        "blad Corporaties, cel C6 (L-nummer): 'L23' is ongeldig: verwacht L gevolgd door 4 "
        "cijfers, bijv. L1234.",
        "blad Corporaties, cel A7 (Naam van de corporatie): deze cel is leeg; vul hem in.",
        "blad Partners, cel E5 (Corporaties (verband, federatie)): een partner heeft geen "
        "corporaties; maak deze cel leeg.",
        "blad Lopende afspraken, cel N5 (Planning): 'ooit': verwacht een datum (2027-12-31), "
        "kwartaal (Q3 2027), jaar (2027), periode (2024-2028), eind 2028, uiterlijk 2028, "
        "of hoe vaak (maandelijks, jaarlijks, doorlopend).",
        "blad Lopende afspraken, cel O5 (Mijlpalen): '2027: 3; x' is geen reeks mijlpalen: "
        "schrijf per jaar jaar en waarde, met puntkomma's ertussen, bijv. 2026: 300; 2027: 620.",
    ]


def test_mistakes_across_sheets_are_named_by_sheet_and_cell(sample_setup, spec):
    _edit(
        sample_setup,
        {
            (CORPORATIES, "B6"): "Linde",  # a kort used twice
            (LOPEND, "C6"): "Zorggroepp",
            (PARTNERS, "D5"): "WZ, XX",
        },
    )
    with pytest.raises(ConfigProblems) as error:
        load_config(sample_setup, spec)
    assert [str(problem) for problem in error.value.problems] == [
        "blad Corporaties, cel B6 (Korte naam): 'Linde' is al in gebruik (blad Corporaties, "
        "cel A5); kies een andere korte naam.",
        "blad Partners, cel D5 (Thema's (partner)): onbekend thema 'XX' (wel: BS, BT, VD, WZ, "
        "AG, LB, SW).",
        "blad Lopende afspraken, cel C6 (Partij): 'Zorggroepp' is geen rol of partner (kies uit "
        "gemeente, corporatie, huurdersorganisatie, Zorggroep).",
    ]


def test_a_thema_named_twice_is_shown_at_the_themas(sample_setup, spec):
    _edit(sample_setup, {(THEMAS, "A5"): "BT"})
    with pytest.raises(ConfigProblems) as error:
        load_config(sample_setup, spec)
    assert [str(problem) for problem in error.value.problems] == [
        "blad Thema's, cel A5 (Code): een themacode komt twee keer voor."
    ]


def test_the_cli_says_the_mistakes_and_exits_2(sample_setup, tmp_path):
    _edit(sample_setup, {(CORPORATIES, "C6"): "L23", (GEMEENTE, "B8"): "twintig"})
    result = CliRunner().invoke(
        cli,
        [
            "generate",
            "jaarschijf",
            "--config",
            str(sample_setup),
            "--year",
            "2027",
            "--out",
            str(tmp_path / "uit"),
        ],
    )
    assert result.exit_code == 2
    assert "2 fouten:" in result.output
    assert (
        "blad Gemeente, cel B8 (Eerste jaar): verwacht een geheel getal, gevonden 'twintig'."
        in (result.output)
    )
    assert "blad Corporaties, cel C6 (L-nummer)" in result.output
    assert not (tmp_path / "uit").exists()


def test_another_workbook_as_config_is_told_to_use_opzet(generated, spec):
    path = next(p for name, p in generated.items() if name.startswith("jaarschijf"))
    with pytest.raises(ConfigError, match=r"geen opzetwerkboek.*pa-sheets opzet"):
        load_config(path, spec)


# ---------------------------------------------------------------------------------------------
# The command.
# ---------------------------------------------------------------------------------------------


def _opzet(*args: str) -> str:
    result = CliRunner().invoke(cli, ["opzet", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_opzet_turns_yaml_into_a_workbook_and_back(tmp_path, spec):
    workbook, text = tmp_path / "opzet-2027.xlsx", tmp_path / "terug.yaml"
    assert "Geschreven" in _opzet("--van", str(SAMPLE), "--out", str(workbook))
    _opzet("--van", str(workbook), "--out", str(text))
    assert text.read_text(encoding="utf-8").startswith("# Gemeenteconfig van pa-sheets")
    assert _same_config(load_config(SAMPLE, spec), load_config(text, spec))
    data, _, _ = config_mapping(text, spec)
    assert _shape(data, spec) == _shape(load_yaml(SAMPLE, ConfigError), spec)


def test_opzet_refuses_an_unknown_suffix_and_an_existing_file(tmp_path):
    result = CliRunner().invoke(cli, ["opzet", "--out", str(tmp_path / "opzet.txt")])
    assert result.exit_code == 2 and ".xlsx (een opzetwerkboek) of .yaml" in result.output
    (tmp_path / "opzet.xlsx").write_bytes(b"")
    result = CliRunner().invoke(cli, ["opzet", "--out", str(tmp_path / "opzet.xlsx")])
    assert result.exit_code == 2 and "--force" in result.output


def test_an_empty_set_up_workbook_has_the_standard_themes_and_asks_for_the_rest(tmp_path, spec):
    path = tmp_path / "leeg.xlsx"
    _opzet("--out", str(path))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[:7] == [
        "Uitleg",
        GEMEENTE,
        THEMAS,
        CORPORATIES,
        PARTNERS,
        LOPEND,
        "Eigen indicatoren",
    ]
    assert workbook["_lijsten"].sheet_state == "hidden"
    assert [workbook[THEMAS].cell(5 + i, 1).value for i in range(7)] == [
        t.code for t in spec.themas
    ]
    with pytest.raises(ConfigProblems) as error:
        load_config(path, spec)
    assert [str(p) for p in error.value.problems] == [
        "blad Gemeente, cel B5 (Naam van de gemeente): deze cel is leeg; vul hem in.",
        "blad Gemeente, cel B6 (CBS-code): deze cel is leeg; vul hem in.",
        "blad Gemeente, cel B8 (Eerste jaar): deze cel is leeg; vul hem in.",
        "blad Gemeente, cel B9 (Laatste jaar): deze cel is leeg; vul hem in.",
        "blad Corporaties, cel A5 (Naam van de corporatie): noem minstens een corporatie.",
    ]


def test_the_lopende_afspraken_have_dropdowns_and_guidance(sample_setup, spec):
    sheet = openpyxl.load_workbook(sample_setup)[LOPEND]
    header = [cell.value for cell in sheet[4]]
    rules = {}
    for rule in sheet.data_validations.dataValidation:
        column = header[
            openpyxl.utils.column_index_from_string(re.match(r"[A-Z]+", str(rule.sqref)).group())
            - 1
        ]
        rules[column] = rule
    for column in (
        "Partij *",
        "Type afspraak *",
        "Indicator",
        "Doel geldt voor",
        "Streefwaarde is",
    ):
        assert rules[column].type == "list", column
        assert rules[column].prompt, column
    assert rules["Type afspraak *"].errorStyle in (None, "stop")
    assert rules["Indicator"].errorStyle == "information"  # an own indicator may be typed
    assert "kwartaal (Q3 2027)" in rules["Planning"].prompt
    lists = openpyxl.load_workbook(sample_setup)["_lijsten"]
    values = [c.value for c in lists["I"]]  # the indicators: the standard list, then own ones
    assert spec.indicators[0].naam in values


# ---------------------------------------------------------------------------------------------
# Done when: a coordinator sets up three corporaties, one without huurdersorganisatie, and
# generates the jaarschijven without a text editor.
# ---------------------------------------------------------------------------------------------


def _fill_as_a_coordinator(path: Path) -> None:
    """What a coordinator types into an empty set-up workbook (openpyxl keeps the rules)."""
    workbook = openpyxl.load_workbook(path)
    gemeente = workbook[GEMEENTE]
    for cell, value in {"B5": "Nieuwdorp", "B6": "GM9003", "B8": 2027, "B9": 2030}.items():
        gemeente[cell] = value
    corporaties = workbook[CORPORATIES]
    rows = [
        ("Woonstichting Noord", "Noord", "L4001", "Huurdersvereniging Noord", "HV Noord"),
        ("Woonbedrijf Zuid", "Zuid", "L4002", "Bewonersraad Zuid", None),
        ("Stichting Klein Wonen", "Klein", "L4003", None, None),  # no huurdersorganisatie
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            corporaties.cell(5 + i, 1 + j, value)
    partners = workbook[PARTNERS]
    for j, value in enumerate(["partner", "Welzijn Nieuwdorp", "Welzijn", "LB"]):
        partners.cell(5, 1 + j, value)
    lopend = workbook[LOPEND]
    afspraken = [
        [
            "BS-01",
            "alle",
            "corporatie",
            "De corporatie bouwt sociale huurwoningen.",
            "handelingsafspraak",
            "corporatie",
            None,
            "Nieuwbouw sociale huurwoningen opgeleverd",
            "woningen",
            0,
            2026,
            120,
            None,
            "2030",
        ],
        [
            "BT-01",
            "alle",
            "huurdersorganisatie",
            "De huurdersorganisatie informeert huurders.",
            "procesafspraak",
            "huurdersorganisatie",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "jaarlijks",
        ],
        [
            "LB-01",
            "Klein",
            "Welzijn",
            "Welzijn organiseert buurtavonden.",
            "handelingsafspraak",
            "Welzijn",
            "gemeente, corporatie",
            None,
            None,
            None,
            None,
            None,
            None,
            "Q4 2027",
        ],
        [
            "SW-01",
            "alle",
            "gemeente",
            "De driehoek komt vier keer per jaar bijeen.",
            "procesafspraak",
            "gemeente",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "doorlopend",
        ],
    ]
    for i, row in enumerate(afspraken):
        for j, value in enumerate(row):
            if value is not None:
                lopend.cell(5 + i, 1 + j, value)
    workbook.save(path)


def test_a_coordinator_sets_up_three_corporaties_and_generates_without_a_text_editor(tmp_path):
    setup, out = tmp_path / "opzet-2027.xlsx", tmp_path / "jaarschijf-2027"
    _opzet("--out", str(setup))
    _fill_as_a_coordinator(setup)
    runner = CliRunner()
    made = runner.invoke(
        cli,
        [
            "generate",
            "jaarschijf",
            "--config",
            str(setup),
            "--year",
            "2027",
            "--out",
            str(out),
            "--inleverdatum",
            "01-10-2027",
        ],
    )
    assert made.exit_code == 0, made.output
    names = sorted(path.name for path in out.glob("*.xlsx"))
    assert names == [
        "jaarschijf-2027-nieuwdorp-klein.xlsx",
        "jaarschijf-2027-nieuwdorp-noord.xlsx",
        "jaarschijf-2027-nieuwdorp-zuid.xlsx",
    ]
    klein = openpyxl.load_workbook(out / "jaarschijf-2027-nieuwdorp-klein.xlsx")
    noord = openpyxl.load_workbook(out / "jaarschijf-2027-nieuwdorp-noord.xlsx")
    assert "BT HV Noord" in noord.sheetnames and "BT Gemeente" in klein.sheetnames
    assert not any("HV" in name or "HO" in name for name in klein.sheetnames)
    assert "LB Welzijn" in klein.sheetnames
    signing = [c.value for c in klein["Ondertekening"]["A"] if c.value]
    assert signing[signing.index("Partij") + 1 :] == [
        "Gemeente Nieuwdorp",
        "Stichting Klein Wonen",
        "Welzijn Nieuwdorp",
    ]
    cover = [row for row in klein[meta.COVER_SHEET].iter_rows(values_only=True) if row[0]]
    assert ("Huurdersorganisatie", "geen") in [(row[0], row[1]) for row in cover]
    # Validate against the set-up workbook: no error (only "niets ingevuld": they are blank),
    # and no signature of a huurdersorganisatie asked of Klein.
    checked = runner.invoke(cli, ["validate", str(out), "--config", str(setup)])
    assert checked.exit_code == 0, checked.output
    assert "0 van 3 werkboek(en) in orde, 3 leeg (niets ingevuld)" in checked.output
    klein_part = checked.output.split("klein.xlsx")[1].split(".xlsx")[0]
    assert "nog open bij" in klein_part and "uurders" not in klein_part


# ---------------------------------------------------------------------------------------------
# The set-up rolls over; LibreOffice; the basisbod.
# ---------------------------------------------------------------------------------------------


def test_next_years_set_up_starts_from_the_returned_jaarschijven(filled, tmp_path, spec):
    returned = [path for name, path in filled.items() if name.startswith("jaarschijf")]
    setup = tmp_path / "opzet-2028.xlsx"
    _opzet(*[arg for path in returned for arg in ("--van", str(path))], "--out", str(setup))
    config = load_config(setup, spec)
    sample = load_config(SAMPLE, spec)
    assert [c.party for c in config.corporaties] == [c.party for c in sample.corporaties]
    assert [p.kort for p in config.partners] == ["Zorggroep"]
    nummers = {row.nummer for row in config.lopend}
    assert {"BS-01", "BT-01", "SW-01"} <= nummers
    # An afspraak every corporatie carries alike is one row for all of them.
    shared = [row for row in config.lopend if row.nummer == "SW-01"]
    assert [row.corporatie for row in shared] == ["alle"]
    # The signed overview of the same jaarschijven gives the same set-up.
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.merge.overview import write_overview

    overview = write_overview(merge_paths(returned, spec=spec), tmp_path / "gezamenlijk.xlsx")
    from_overview = tmp_path / "opzet-2028-uit-overzicht.yaml"
    _opzet("--van", str(overview), "--out", str(from_overview))
    assert load_yaml(from_overview, ConfigError) == read_setup(setup, spec).data


@pytest.mark.slow
def test_a_set_up_workbook_saved_by_libreoffice_reads_the_same(tmp_path, spec):
    source = tmp_path / "elders.yaml"
    source.write_text(EVERYTHING, encoding="utf-8")
    original = write_setup(load_yaml(source, ConfigError), tmp_path / "opzet.xlsx", spec)
    out = tmp_path / "lo"
    out.mkdir()
    resave([original], out, tmp_path / "profiel")
    again = out / "opzet.xlsx"
    assert read_setup(again, spec).data == read_setup(original, spec).data
    # the dropdowns and their guidance survive too, as the jaarschijf's do
    from test_roundtrip import _validations

    kept = _validations(openpyxl.load_workbook(again))
    assert kept == _validations(openpyxl.load_workbook(original))
    assert any(rule[2] == "list" and rule[0] == LOPEND for rule in kept)
    assert _same_config(load_config(original, spec), load_config(again, spec))
    # and a filled one, as a coordinator fills it
    empty = write_setup(None, tmp_path / "leeg.xlsx", spec)
    _fill_as_a_coordinator(empty)
    resave([empty], out, tmp_path / "profiel")
    assert _same_config(load_config(empty, spec), load_config(out / "leeg.xlsx", spec))


def test_a_basisbod_keeps_the_set_up_workbook_as_yaml(tmp_path, spec):
    from conftest import ANDERDORP

    from pa_sheets.cycle.basisbod import generate_basisbod

    setup = write_setup(load_yaml(SAMPLE, ConfigError), tmp_path / "opzet.xlsx", spec)
    path = generate_basisbod(
        [setup, ANDERDORP], "Linde", (2027, 2028, 2029, 2030, 2031), tmp_path / "uit", spec=spec
    )
    assert path.exists()


def test_own_indicators_give_their_eenheid_and_must_agree_with_it(sample_setup, spec):
    _edit(
        sample_setup,
        {
            ("Eigen indicatoren", "A5"): "Aantal buurtavonden",
            ("Eigen indicatoren", "B5"): "aantal",
            ("Eigen indicatoren", "A6"): spec.indicators[0].naam,
            ("Eigen indicatoren", "B6"): "woningen",
            (LOPEND, "H8"): "Aantal buurtavonden",  # BT-02, in aantal already: agrees
            (LOPEND, "H11"): "Aantal buurtavonden",  # WZ-01: in woningen, then in none
            (LOPEND, "I11"): "woningen",
        },
    )
    with pytest.raises(ConfigProblems) as error:
        load_config(sample_setup, spec)
    assert [str(problem) for problem in error.value.problems] == [
        "blad Lopende afspraken, cel I11 (Eenheid): Aantal buurtavonden wordt volgens het blad "
        "Eigen indicatoren gemeten in aantal, niet in woningen; maak ze gelijk.",
        f"blad Eigen indicatoren, cel A6 (Eigen indicator): {spec.indicators[0].naam} staat al in "
        "de standaardlijst; haal hem hier weg.",
    ]
    _edit(
        sample_setup,
        {
            (LOPEND, "I11"): None,
            ("Eigen indicatoren", "A6"): None,
            ("Eigen indicatoren", "B6"): None,
        },
    )
    config = load_config(sample_setup, spec)
    row = next(row for row in config.lopend if row.nummer == "WZ-01")
    assert (row.values["indicator"], row.values["eenheid"]) == ("Aantal buurtavonden", "aantal")


@pytest.mark.slow  # a whole cycle: generate, fill, opzet --van, publish, rollover
def test_a_corporatie_without_huurdersorganisatie_rolls_over_and_so_do_the_termijnen(
    tmp_path, spec, monkeypatch
):
    """The coordinator's set-up, with an agreed termijn, through a filled year to next year's
    set-up and jaarschijven: Klein keeps no huurdersorganisatie, the termijn comes along."""
    from pa_sheets.demo.fill import fill_workbook

    setup, out, back = tmp_path / "opzet-2027.xlsx", tmp_path / "uit", tmp_path / "terug"
    _opzet("--out", str(setup))
    _fill_as_a_coordinator(setup)
    _edit(setup, {(GEMEENTE, "B10"): "15 juni"})
    runner = CliRunner()
    made = runner.invoke(
        cli, ["generate", "jaarschijf", "--config", str(setup), "--year", "2027", "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    back.mkdir()
    for i, path in enumerate(sorted(out.glob("*.xlsx"))):
        fill_workbook(path, back / path.name, seed=i, spec=spec)
    next_setup = tmp_path / "opzet-2028.xlsx"
    _opzet("--van", str(back), "--out", str(next_setup))
    assert openpyxl.load_workbook(next_setup)[GEMEENTE]["B10"].value == "15 juni"
    config = load_config(next_setup, spec)
    assert config.termijnen.bod == (6, 15)
    assert config.corporatie("Klein").huurders is None
    assert config.corporatie("Noord").huurders.naam == "Huurdersvereniging Noord"
    assert {"BS-01", "LB-01", "SW-01"} <= {row.nummer for row in config.lopend}
    # Published after the last signature (the filler signs in early december), not today.
    monkeypatch.setattr("pa_sheets.cycle.publish.now", lambda: PUBLISHED)
    # Signed by every party it has: published, with the set-up workbook as the config. The
    # huurdersorganisatie's BT-01 for alle is not missing from Klein (X021): it has no tab there.
    published = runner.invoke(
        cli, ["publish", str(back), "--config", str(setup), "--out", str(tmp_path / "site")]
    )
    assert published.exit_code == 0, published.output
    rolled = runner.invoke(
        cli,
        [
            "rollover",
            str(back),
            "--config",
            str(setup),
            "--year",
            "2028",
            "--out",
            str(tmp_path / "2028"),
        ],
    )
    assert rolled.exit_code == 0, rolled.output
    klein = openpyxl.load_workbook(tmp_path / "2028" / "jaarschijf-2028-nieuwdorp-klein.xlsx")
    signing = [c.value for c in klein["Ondertekening"]["A"] if c.value]
    assert signing[signing.index("Partij") + 1 :] == [
        "Gemeente Nieuwdorp",
        "Stichting Klein Wonen",
        "Welzijn Nieuwdorp",
    ]


def test_a_second_huurdersorganisatie_stands_directly_below_its_corporatie(tmp_path, spec):
    source = tmp_path / "elders.yaml"
    source.write_text(EVERYTHING, encoding="utf-8")
    setup = write_setup(load_yaml(source, ConfigError), tmp_path / "opzet.xlsx", spec)
    # Een's second (row 6) is read as Een's; one typed below a gap belongs to no one.
    _edit(setup, {(CORPORATIES, "D20"): "Huurders Los", (CORPORATIES, "D5"): None})
    with pytest.raises(ConfigProblems) as error:
        load_config(setup, spec)
    assert [str(problem) for problem in error.value.problems] == [
        "blad Corporaties, cel D5 (Huurdersorganisatie): deze cel is leeg; vul hem in.",
        "blad Corporaties, cel D20 (Huurdersorganisatie): een huurdersorganisatie zonder "
        "corporatie: zet haar direct onder haar corporatie (zonder lege regel ertussen), of vul "
        "de corporatie in.",
    ]


def test_a_renamed_sheet_is_refused_rather_than_read_as_empty(sample_setup, spec):
    workbook = openpyxl.load_workbook(sample_setup)
    workbook[LOPEND].title = "Afspraken"
    workbook.save(sample_setup)
    with pytest.raises(ConfigError, match="het blad Lopende afspraken ontbreekt; het is hernoemd"):
        load_config(sample_setup, spec)


def test_the_party_dropdown_follows_partners_and_second_huurdersorganisaties(tmp_path, spec):
    source = tmp_path / "elders.yaml"
    source.write_text(EVERYTHING, encoding="utf-8")
    setup = write_setup(load_yaml(source, ConfigError), tmp_path / "opzet.xlsx", spec)
    lists = openpyxl.load_workbook(setup, data_only=True)["_lijsten"]
    assert [c.value for c in lists["H"] if c.value] == [
        "partijen",
        "gemeente",
        "corporatie",
        "huurdersorganisatie",
        "Zorg",
        "Fed",
        "HFed",
        "HEZ",
    ]
    # a kort left empty: the name, cut to a kort's length (the config abbreviates it alike)
    assert [c.value for c in lists["G"] if c.value] == [
        "corporaties",
        "alle",
        "Een",
        "Woonstichting Twee",
        "Drie",
    ]
    formulas = openpyxl.load_workbook(setup)["_lijsten"]
    assert formulas["H5"].value.startswith("=IF('Partners'!$C$5<>")


def test_kalender_reads_the_termijnen_of_a_set_up_workbook(tmp_path):
    source = tmp_path / "elders.yaml"
    source.write_text(EVERYTHING, encoding="utf-8")
    setup = tmp_path / "opzet.xlsx"
    _opzet("--van", str(source), "--out", str(setup))
    runner = CliRunner()
    from_yaml = runner.invoke(cli, ["kalender", "--year", "2027", "--config", str(source)])
    from_setup = runner.invoke(cli, ["kalender", "--year", "2027", "--config", str(setup)])
    assert from_setup.exit_code == 0, from_setup.output
    assert from_setup.output == from_yaml.output
    assert "15 juni" in from_setup.output


@st.composite
def configs(draw) -> dict:
    """A config of any party structure: one to four corporaties with none, one or two
    huurdersorganisaties, partners, a samenwerkingsverband, lopende afspraken of each."""
    n = draw(st.integers(1, 4))
    corporaties = []
    for i in range(n):
        entry: dict = {"naam": f"Corporatie {i}", "kort": f"C{i}", "l_nummer": f"L{1000 + i}"}
        huurders = draw(st.integers(0, 2))
        listed = [{"naam": f"Huurders {i}.{j}", "kort": f"H{i}{j}"} for j in range(huurders)]
        if huurders == 1:
            entry["huurdersorganisatie"] = listed[0]
        elif huurders:
            entry["huurdersorganisatie"] = listed
        corporaties.append(entry)
    data: dict = {
        "gemeente": {"naam": draw(texts), "code": "GM0999"},
        "periode": {"eerste_jaar": 2027, "laatste_jaar": 2031},
        "corporaties": corporaties,
    }
    if draw(st.booleans()):
        data["themas"] = draw(
            st.lists(st.sampled_from(["BS", "BT", "VD", "LB"]), min_size=1, max_size=4, unique=True)
        )
    codes = data.get("themas", ["BS", "BT", "VD", "WZ", "AG", "LB", "SW"])
    partners = [
        {"naam": f"Partner {k}", "kort": f"P{k}", "themas": [draw(st.sampled_from(codes))]}
        for k in range(draw(st.integers(0, 2)))
    ]
    if partners:
        data["partners"] = partners
    if n >= 2 and draw(st.booleans()):
        data["samenwerkingsverbanden"] = [{"naam": "Verband", "corporaties": ["C0", "C1"]}]
    if draw(st.booleans()):  # a huurdersfederatie for some of the corporaties
        leden = draw(st.lists(st.sampled_from([c["kort"] for c in corporaties]), min_size=1))
        data["huurdersfederaties"] = [
            {"naam": "Huurdersfederatie", "kort": "HF", "corporaties": sorted(set(leden))}
        ]
    rows = []
    for k in range(draw(st.integers(0, 4))):
        partner = draw(st.sampled_from([None, *partners]))
        thema = partner["themas"][0] if partner else draw(st.sampled_from(codes))
        row = {
            "nummer": f"{thema}-{k + 1:02d}",
            "corporatie": draw(st.sampled_from([ALLE_, *(c["kort"] for c in corporaties)])),
            "partij": partner["kort"]
            if partner
            else draw(st.sampled_from(["gemeente", "corporatie"])),
            "afspraak": draw(texts),
            "type": draw(st.sampled_from(["procesafspraak", "handelingsafspraak"])),
        }
        if draw(st.booleans()):
            row |= {
                "indicator": "BS01",
                "eenheid": "woningen",
                "streefwaarde": draw(st.integers(0, 500)),
            }
        if draw(st.booleans()):
            row["planning"] = draw(st.sampled_from(["2028", "Q2 2029", "doorlopend"]))
        rows.append(row)
    if rows:
        data["lopende_afspraken"] = rows
    return data


ALLE_ = "alle"
SPEC = load_spec()  # not a fixture: hypothesis would print it with a failing example


@settings(
    max_examples=int(os.environ.get("OPZET_EXAMPLES", examples(full=20, fast=5))),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=configs())
def test_any_party_structure_goes_there_and_back(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("structuur")
    source = folder / "config.yaml"
    source.write_text(yaml_text(data, "hypothesis"), encoding="utf-8")
    _round_trip(source, folder, SPEC)


def test_the_set_up_workbook_looks_as_the_others_do(tmp_path, spec):
    """As test_look asks of every output: each wrapped text has a row high enough for it, and
    each sheet prints on A4 landscape, at most two pages wide, with page numbers."""
    from test_look import widths

    from pa_sheets.workbook.writer import LINE_HEIGHT, row_height

    source = tmp_path / "elders.yaml"
    source.write_text(EVERYTHING, encoding="utf-8")
    workbook = openpyxl.load_workbook(
        write_setup(load_yaml(source, ConfigError), tmp_path / "opzet.xlsx", spec)
    )
    checked = 0
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize in (9, "9"), sheet.title
        assert (setup.fitToWidth or 1) <= 2 and setup.fitToHeight == 0, sheet.title
        assert "&P" in (sheet.oddFooter.right.text or ""), sheet.title
        sizes = widths(sheet)
        for row in sheet.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.alignment.wrap_text):
                    continue
                size = 10 if (cell.font.sz or 11) <= 10 else 11
                need = row_height([(cell.value, sizes.get(cell.column, 8.43))], size)
                have = sheet.row_dimensions[cell.row].height or LINE_HEIGHT
                assert have >= need, (sheet.title, cell.coordinate, cell.value)
                checked += 1
    assert checked > 20

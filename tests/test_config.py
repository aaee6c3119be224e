"""The gemeente config: the sample loads, and every kind of mistake names its exact key."""

import json

import pytest
from conftest import SAMPLE
from hypothesis import given
from hypothesis import strategies as st

from pa_sheets.errors import ConfigError
from pa_sheets.spec.config import ConfigProblems, abbreviate, load_config
from pa_sheets.spec.config_schema import SCHEMA_FILE, ConfigModel, schema_text
from pa_sheets.spec.kalender import WETTELIJK, Termijnen


def test_sample_config_has_three_corporaties_and_a_partner(config):
    assert config.gemeente.code == "GM9001"
    assert [c.party.kort for c in config.corporaties] == ["Linde", "Stadswonen", "Baken"]
    assert [c.party.code for c in config.corporaties] == ["L1234", "L2345", "L3456"]
    assert config.corporatie("baken").huurders.kort == "HB Baken"
    assert [p.kort for p in config.partners] == ["Zorggroep"]
    assert (config.eerste_jaar, config.laatste_jaar) == (2026, 2030)
    assert [t.code for t in config.themas] == ["BS", "BT", "VD", "WZ", "AG", "LB", "SW"]


def _load(tmp_path, spec, text):
    path = tmp_path / "gemeente.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, spec)


SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  code: GM9001 ",
            "  kode: GM9001 ",
            # Both: the key is unknown, and so code is missing.
            "2 fouten:\n  regel 3: gemeente.code: ontbreekt.\n"
            "  regel 5: gemeente.kode: onbekende sleutel (toegestaan: naam, code, kort).",
        ),
        (
            "  code: GM9001 ",
            "  code: G9001 ",
            "regel 5: gemeente.code: 'G9001' is ongeldig: verwacht GM gevolgd door 4 cijfers, "
            "bijv. GM0344.",
        ),
        (
            "  code: GM9001 ",
            "  code: 0344 ",
            'regel 5: gemeente.code: zet de code tussen aanhalingstekens, bijv. "GM0344".',
        ),
        (
            "    l_nummer: L2345",
            "    l_nummer: L234",
            "regel 24: corporaties[1].l_nummer: 'L234' is ongeldig: verwacht L gevolgd door 4 "
            "cijfers, bijv. L1234.",
        ),
        (
            "    l_nummer: L2345",
            "    l_nummer: L1234",
            "regel 24: corporaties[1].l_nummer: L1234 komt twee keer voor.",
        ),
        (
            "    kort: Baken",
            "    kort: Linde",
            "regel 29: corporaties[2].kort: 'Linde' is al in gebruik (corporaties[0]); kies een "
            "andere korte naam.",
        ),
        (
            "    kort: Baken",
            "    kort: Ba/ken",
            "regel 29: corporaties[2].kort: 'Ba/ken': hoogstens 24 tekens, zonder []:*?/\\'.",
        ),
        (
            "  laatste_jaar: 2030",
            "  laatste_jaar: 2024",
            "regel 9: periode.laatste_jaar: 2024 moet tussen 2026 en 2036 liggen.",
        ),
        (
            "themas: [BS, BT, VD, WZ, AG, LB, SW]",
            "themas: [BS, XX]",
            "regel 13: themas[1]: onbekend thema 'XX'; kies uit BS, BT, VD, WZ, AG, LB, SW of geef "
            "code en naam van een eigen thema.",
        ),
        (
            "    themas: [WZ]",
            "    themas: [ZZ]",
            # And so the Zorggroep no longer signs for the thema of its lopende afspraak.
            "2 fouten:\n"
            "  regel 39: partners[0].themas: onbekend thema 'ZZ' (wel: BS, BT, VD, WZ, AG, LB, "
            "SW).\n"
            "  regel 112: lopende_afspraken[6].partij: Zorggroep tekent niet voor thema WZ.",
        ),
        (
            "    planning: Q4 2028",
            "    planning: eind volgend jaar",
            "regel 98: lopende_afspraken[4].planning: 'eind volgend jaar': verwacht een datum "
            "(2027-12-31), kwartaal (Q3 2027), jaar (2027), periode (2024-2028), eind 2028, "
            "uiterlijk 2028, of hoe vaak (maandelijks, jaarlijks, doorlopend).",
        ),
        (
            "  - nummer: BT-02",
            "  - nummer: BT-01",
            "regel 75: lopende_afspraken[3].nummer: BT-01 komt al voor in het werkboek van Linde.",
        ),
        (
            "    type: garantieafspraak",
            "    type: garantie",
            "regel 67: lopende_afspraken[2].type: 'garantie' is niet toegestaan (kies uit "
            "procesafspraak, beschrijvende afspraak, intentieafspraak, handelingsafspraak, "
            "garantieafspraak, transactieafspraak).",
        ),
        (
            "    streefwaarde: 95",
            "    streefwaarde: 250",
            "regel 73: lopende_afspraken[2].streefwaarde: 250 ligt buiten het bereik 0 tot 100.",
        ),
        (
            '    eenheid: "%"',
            "    eenheid: woningen",
            "regel 70: lopende_afspraken[2].eenheid: Passend toegewezen woningen wordt gemeten "
            "in %, niet in woningen.",
        ),
        (
            "    streefwaarde: 60",
            "    streefwaarde: 60.5",
            "regel 54: lopende_afspraken[0].streefwaarde: 60.5 is geen heel aantal woningen.",
        ),
        (
            "    trekker: Zorggroep",
            "    trekker: Welzijn",
            "regel 115: lopende_afspraken[6].trekker: 'Welzijn' is geen rol of partij (kies uit "
            "gemeente, corporatie, huurdersorganisatie, Zorggroep, of de korte naam of naam van "
            "een partij).",
        ),
        (
            "    streefwaarde: 240",
            "    streefwaarde: veel",
            "regel 97: lopende_afspraken[4].streefwaarde: verwacht een getal, gevonden 'veel'.",
        ),
        (
            "  - nummer: VD-01\n    corporatie: Linde",
            "  - nummer: VD-01\n    corporatie: Eik",
            "regel 88: lopende_afspraken[4].corporatie: geen corporatie 'Eik' (wel: Linde, "
            "Stadswonen, Baken).",
        ),
        (
            # Issue 26: a mistyped code silently became an own indicator.
            "    indicator: BT05",
            "    indicator: BT99",
            "regel 81: lopende_afspraken[3].indicator: BT99 is geen code van een "
            "standaardindicator (zie indicatoren.yaml); bedoelt u BT09 (Woningen met een huur "
            "tussen de kwaliteitskortingsgrens en de aftoppingsgrenzen)? Een eigen indicator "
            "schrijft u met haar naam en een eenheid, niet als code.",
        ),
        (
            "    indicator: BT05\n    eenheid: aantal",
            "    indicator: Huisuitzetting wegens huurachterstand",
            "regel 81: lopende_afspraken[3].indicator: geen standaardindicator (zie "
            "indicatoren.yaml, of gebruik de code, bijv. BS01); een eigen indicator mag, met een "
            "eenheid; de naaste standaardindicator is BT05 (Huisuitzettingen wegens "
            "huurachterstand).",
        ),
    ],
)
def test_a_mistake_names_the_file_and_exact_key(tmp_path, spec, old, new, message):
    assert old in SAMPLE_TEXT, old
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, spec, SAMPLE_TEXT.replace(old, new, 1))
    assert str(error.value) == f"{tmp_path / 'gemeente.yaml'}: {message}"


def test_a_four_digit_code_is_normalised(tmp_path, spec):
    config = _load(tmp_path, spec, SAMPLE_TEXT.replace("  code: GM9001 ", '  code: "0344" '))
    assert config.gemeente.code == "GM0344"


def test_own_themes_and_a_subset(tmp_path, spec):
    text = SAMPLE_TEXT.replace(
        "themas: [BS, BT, VD, WZ, AG, LB, SW]",
        "themas:\n  - BS\n  - BT\n  - VD\n  - WZ\n  - AG\n  - LB\n  - SW\n"
        "  - {code: ST, naam: Studentenhuisvesting}",
    )
    config = _load(tmp_path, spec, text)
    assert config.themas[-1].naam == "Studentenhuisvesting"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "verwacht een lijst van sleutels en waarden bovenaan het bestand."),
        ("gemeente: [\n", "geen geldige YAML (regel 2, kolom 1)."),
        (
            "gemeente: {naam: X, code: GM0001}\n",
            "2 fouten:\n  periode: ontbreekt.\n  corporaties: ontbreekt.",
        ),
    ],
)
def test_unusable_files(tmp_path, spec, text, message):
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, spec, text)
    assert str(error.value) == f"{tmp_path / 'gemeente.yaml'}: {message}"


def test_missing_file(tmp_path, spec):
    with pytest.raises(ConfigError, match="bestand niet gevonden"):
        load_config(tmp_path / "weg.yaml", spec)


def test_year_outside_the_period(config):
    with pytest.raises(ConfigError, match="jaar 2031 ligt buiten de periode 2026-2030"):
        config.check_year(2031)


@pytest.mark.parametrize(
    ("naam", "kort"),
    [
        ("Woonstichting De Linde", "Woonstichting De Linde"),
        ("Stichting Woonbelang Regio Voorbeeldstad", "Stichting Woonbelang"),
        ("Wonen: Noord/Zuid [B.V.]", "Wonen Noord Zuid B.V."),
        ("Woningbouwverenigingvoorbeeldstad", "Woningbouwverenigingvoor"),
    ],
)
def test_long_names_are_abbreviated_predictably(naam, kort):
    assert abbreviate(naam) == kort
    assert abbreviate(kort) == kort  # and abbreviating it again changes nothing


@given(st.text(min_size=1, max_size=80).filter(str.strip))
def test_any_name_abbreviates_to_a_valid_sheet_name_part(naam):
    kort = abbreviate(naam)
    assert len(kort) <= 24
    assert not set(kort) & set("[]:*?/\\'")
    assert kort == kort.strip()
    assert abbreviate(kort) == kort


def test_every_mistake_is_reported_at_once_with_its_line(tmp_path, spec):
    text = (
        SAMPLE_TEXT.replace("  laatste_jaar: 2030", "  laatste_jaar: twee", 1)
        .replace("    l_nummer: L2345", "    l_nummer: L234", 1)
        .replace("    streefwaarde: 240", "    streefwaarde: veel", 1)
    )
    with pytest.raises(ConfigProblems) as error:
        _load(tmp_path, spec, text)
    found = [(p.line, p.path) for p in error.value.problems]
    assert found == [
        (9, "periode.laatste_jaar"),
        (24, "corporaties[1].l_nummer"),
        (97, "lopende_afspraken[4].streefwaarde"),
    ]
    assert str(error.value) == (
        f"{tmp_path / 'gemeente.yaml'}: 3 fouten:\n"
        "  regel 9: periode.laatste_jaar: verwacht een geheel getal, gevonden 'twee'.\n"
        "  regel 24: corporaties[1].l_nummer: 'L234' is ongeldig: verwacht L gevolgd door 4 "
        "cijfers, bijv. L1234.\n"
        "  regel 97: lopende_afspraken[4].streefwaarde: verwacht een getal, gevonden 'veel'."
    )


def test_an_unknown_key_is_refused_at_its_line(tmp_path, spec):
    text = SAMPLE_TEXT.replace("    kort: Baken\n", "    kort: Baken\n    kleur: blauw\n", 1)
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, spec, text)
    assert str(error.value) == (
        f"{tmp_path / 'gemeente.yaml'}: regel 30: corporaties[2].kleur: onbekende sleutel "
        "(toegestaan: naam, kort, l_nummer, huurdersorganisatie)."
    )
    assert text.splitlines()[30 - 1] == "    kleur: blauw"


def test_the_checks_across_parts_are_reported_together(tmp_path, spec):
    """A kort used twice and a trekker who is no party: both, not only the first."""
    text = SAMPLE_TEXT.replace("    kort: Baken", "    kort: Linde", 1).replace(
        "    trekker: Zorggroep", "    trekker: Welzijn", 1
    )
    with pytest.raises(ConfigProblems) as error:
        _load(tmp_path, spec, text)
    assert [(p.line, p.path) for p in error.value.problems] == [
        (29, "corporaties[2].kort"),
        (115, "lopende_afspraken[6].trekker"),
    ]


def test_agreed_deadlines(tmp_path, spec, config):
    assert config.termijnen == WETTELIJK  # the sample names none: the law's
    text = SAMPLE_TEXT.replace(
        "periode:\n", 'termijnen:\n  afspraken: "1 December"\n\nperiode:\n', 1
    )
    agreed = _load(tmp_path, spec, text)
    assert agreed.termijnen == Termijnen(bod=(7, 1), afspraken=(12, 1))
    assert agreed.termijnen.afspraken_text == "1 december"
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, spec, text.replace('"1 December"', "31 februari"))
    assert str(error.value) == (
        f"{tmp_path / 'gemeente.yaml'}: regel 8: termijnen.afspraken: '31 februari' is geen dag "
        "van het jaar: schrijf dag en maand, bijv. 1 juli."
    )


def test_the_json_schema_file_is_the_one_the_model_gives():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "schemas/config.schema.json is verouderd: draai python -m pa_sheets.spec.config_schema"
    )
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(ConfigModel.model_fields)
    assert "termijnen" in schema["properties"]


def test_docs_config_names_every_key():
    """docs/config.md explains each key the model knows: a new key needs its explanation."""
    from pa_sheets.spec import config_schema

    docs = (SCHEMA_FILE.parents[1] / "docs" / "config.md").read_text(encoding="utf-8")
    models = [
        model
        for model in vars(config_schema).values()
        if isinstance(model, type)
        and issubclass(model, config_schema.Part)
        and model is not config_schema.Part
    ]
    assert len(models) == 11
    missing = {key for model in models for key in model.model_fields if f"`{key}`" not in docs}
    assert not missing


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      kort: HB Baken\n",
            "      kort: HB Baken\n      x: 1\n",
            "regel 34: corporaties[2].huurdersorganisatie.x: onbekende sleutel (toegestaan: naam, "
            "kort).",
        ),
        (
            "      naam: Huurdersbelang Het Baken\n      kort: HB Baken\n",
            "      - naam: A\n        q: 1\n      - naam: B\n",
            "regel 33: corporaties[2].huurdersorganisatie[0].q: onbekende sleutel (toegestaan: "
            "naam, kort).",
        ),
        (
            "themas: [BS, BT, VD, WZ, AG, LB, SW]",
            "themas: [BS, BT, VD, WZ, AG, LB, SW, {code: ST, naam: S, kleur: rood}]",
            "regel 13: themas[7].kleur: onbekende sleutel (toegestaan: code, naam, omschrijving).",
        ),
        (
            "periode:\n",
            "termijnen: {bod: 1 juli, eind: 1 mei}\nperiode:\n",
            "regel 7: termijnen.eind: onbekende sleutel (toegestaan: bod, afspraken, monitor).",
        ),
    ],
)
def test_an_unknown_key_anywhere_names_the_keys_allowed_there(tmp_path, spec, old, new, message):
    assert old in SAMPLE_TEXT, old
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, spec, SAMPLE_TEXT.replace(old, new, 1))
    assert str(error.value) == f"{tmp_path / 'gemeente.yaml'}: {message}"


def test_aliases_cannot_make_a_config_endless(tmp_path, spec):
    """A config may come from a returned workbook (a basisbod keeps its gemeenten's): an
    anchor or alias is refused at its line before the document is built, and without aliases
    a config of more values than any gemeente needs is refused too."""
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        bomb.append(f"b{i}: &b{i} [{', '.join(['*a' if i == 1 else f'*b{i - 1}'] * 10)}]")
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, spec, "\n".join(bomb) + "\n")
    assert str(error.value).endswith(
        ": regel 1: een anker (&) of verwijzing (*) mag hier niet; schrijf de waarde zelf uit."
    )
    itself = SAMPLE_TEXT.replace("    themas: [WZ]", "    themas: &t [*t]", 1)
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, spec, itself)
    assert ": regel 39: een anker (&) of verwijzing (*) mag hier niet" in str(error.value)
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, spec, f"a: [{', '.join(['1'] * 100_001)}]\n")
    assert str(error.value).endswith(": te groot: meer dan 100000 waarden.")


BAKEN_HUURDERS = """    huurdersorganisatie:
      naam: Huurdersbelang Het Baken
      kort: HB Baken
"""


def test_a_corporatie_may_have_no_huurdersorganisatie(tmp_path, spec):
    """Some corporaties have none (issue 26): no tab, no party, no signing row for one."""
    config = _load(tmp_path, spec, SAMPLE_TEXT.replace(BAKEN_HUURDERS, ""))
    baken = config.corporatie("Baken")
    assert baken.huurders is None and baken.huurdersorganisaties == ()
    assert [p.rol for p in config.parties(baken)] == ["gemeente", "corporatie", "overig"]
    # The huurdersorganisatie's VD-02 for all corporaties stands only where there is one.
    assert config.corporatie("Linde").huurders.kort == "HV Linde"


def test_an_afspraak_cannot_lean_on_a_huurdersorganisatie_that_is_not_there(tmp_path, spec):
    text = SAMPLE_TEXT.replace(BAKEN_HUURDERS, "").replace(
        "    trekker: gemeente\n    planning: Q4 2026",
        "    trekker: [gemeente, huurdersorganisatie]\n    planning: Q4 2026",
    )
    text += (
        "  - nummer: LB-09\n    corporatie: Baken\n    partij: huurdersorganisatie\n"
        "    afspraak: Tekst.\n    type: procesafspraak\n"
    )
    with pytest.raises(ConfigProblems) as error:
        _load(tmp_path, spec, text)
    assert [(p.path, p.message) for p in error.value.problems] == [
        (
            "lopende_afspraken[1].trekker",
            "Baken heeft geen huurdersorganisatie; noem die hier niet, of zet de afspraak per "
            "corporatie",
        ),
        (
            "lopende_afspraken[8].partij",
            "Baken heeft geen huurdersorganisatie; kies een andere partij, of noem de "
            "huurdersorganisatie bij de corporatie",
        ),
    ]

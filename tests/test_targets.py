"""The forms of a target (spec 1.5, issue 26), each carried through the cycle with its meaning.

Real afspraken state a target as a bandbreedte ("1.900 tot 2.500 per jaar", "3 tot 5%"), as
relative to a reference ("niet meer dan de inflatie", "op of boven het landelijk gemiddelde"),
and as a yearly rate or a total over the period. A table of forms: each is accepted by the
config and by validate, each mistake in it is a finding of its own code at its cell, a merge
adds only like with like, and the judgement reads each as meant."""

import csv
import io
import json

import openpyxl
import pytest
from test_merge import (
    LINDE_NAAM,
    STADSWONEN_NAAM,
    blank,
    cells,
    column,
    kengetallen_rows,
    merged_overview,
    new_row,
    table,
)
from workbook_helpers import blocks, typed

from pa_sheets.check.validate import validate_file
from pa_sheets.cycle.judgement import (
    ACHTER,
    AFWIJKEND,
    GEHAALD,
    NIET_GEHAALD,
    NIET_TE_BEOORDELEN,
    OP_KOERS,
    Doel,
    doel_of,
    judge,
)
from pa_sheets.errors import ConfigError
from pa_sheets.spec.config import load_config
from pa_sheets.spec.targets import BANDBREEDTE, ENKEL, RELATIEF, form_of

BOUW = "Nieuwbouw sociale huurwoningen opgeleverd"  # BS01, a stroom in woningen
HUUR = "Huursomstijging"  # BT01, in %, richting lager
LABELS = "Aandeel sociale huurwoningen onder de eerste aftoppingsgrens"  # BT02, a stand in %

# (name, row typed in De Linde's new afspraken, form, per jaar): every form a coordinator types.
FORMS = [
    ("enkel", dict(indicator=BOUW, eenheid="woningen", streefwaarde=60), ENKEL, False),
    (
        "bandbreedte per jaar",
        dict(
            indicator=BOUW,
            eenheid="woningen",
            streefwaarde=1900,
            streefwaarde_tot=2500,
            doeltermijn="per jaar",
        ),
        BANDBREEDTE,
        True,
    ),
    (
        "bandbreedte in %",
        dict(
            indicator=LABELS,
            eenheid="%",
            streefwaarde=3,
            streefwaarde_tot=5,
            doelsoort="bandbreedte",
        ),
        BANDBREEDTE,
        False,
    ),
    (
        "niet meer dan de inflatie",
        dict(indicator=HUUR, eenheid="%", referentie="inflatie", doelsoort="maximaal"),
        RELATIEF,
        False,
    ),
    (
        "op of boven het landelijk gemiddelde",
        dict(
            indicator="Huurdersoordeel over de woonomgeving",
            eenheid="rapportcijfer",
            referentie="landelijk gemiddelde",
            doelsoort="minimaal",
        ),
        RELATIEF,
        False,
    ),
    (
        "200 per jaar",
        dict(indicator=BOUW, eenheid="woningen", streefwaarde=200, doeltermijn="per jaar"),
        ENKEL,
        True,
    ),
    (
        "1.250 in totaal",
        dict(indicator=BOUW, eenheid="woningen", streefwaarde=1250, doeltermijn="in totaal"),
        ENKEL,
        False,
    ),
]

# (name, row, code, column key of the cell): every mistake in a form, with its own code.
MISTAKES = [
    (
        "tot onder van",
        dict(indicator=BOUW, eenheid="woningen", streefwaarde=2500, streefwaarde_tot=1900),
        "D001",
        "streefwaarde_tot",
    ),
    (
        "bandbreedte zonder bovengrens",
        dict(indicator=BOUW, eenheid="woningen", streefwaarde=1900, doelsoort="bandbreedte"),
        "D002",
        "streefwaarde_tot",
    ),
    (
        "tot bij maximaal",
        dict(
            indicator=BOUW,
            eenheid="woningen",
            streefwaarde=1900,
            streefwaarde_tot=2500,
            doelsoort="maximaal",
        ),
        "D003",
        "streefwaarde_tot",
    ),
    (
        "getal naast een referentie",
        dict(indicator=HUUR, eenheid="%", referentie="inflatie", streefwaarde=3),
        "D004",
        "streefwaarde",
    ),
    (
        "per jaar bij een stand",
        dict(indicator=LABELS, eenheid="%", streefwaarde=60, doeltermijn="per jaar"),
        "D005",
        "doeltermijn",
    ),
]


# Two rows for M003: a reference is a target without a number; nothing at all is none.
SMART = [
    ("relatief", dict(indicator=HUUR, eenheid="%", referentie="inflatie")),
    ("niets", dict(indicator=HUUR, eenheid="%")),
]


@pytest.fixture(scope="module")
def typed_forms(generated, tmp_path_factory, spec) -> dict[str, list]:
    """Every form, every mistake and the two rows of SMART typed in one jaarschijf, each in a row
    of its own of De Linde's new afspraken, validated once: name -> the findings at its row and
    those of no row (which would concern every row)."""
    cases = [(f[0], f[1]) for f in FORMS] + [(m[0], m[1]) for m in MISTAKES] + SMART
    source = blank(generated, "jaarschijf", "linde")
    rows = {}
    for index, (_, row) in enumerate(cases):
        values = dict(row)
        values.setdefault("planning", "2026-2030")
        rows[("BS Linde", "nieuw", index)] = new_row(f"BS-{70 + index}", LINDE_NAAM, **values)
    path = typed(source, tmp_path_factory.mktemp("vormen") / source.name, rows)
    workbook = openpyxl.load_workbook(source, read_only=True)
    (first,) = [
        b["eerste_rij"]
        for b in blocks(workbook)
        if (b["blad"], b["sleutel"]) == ("BS Linde", "nieuw")
    ]
    workbook.close()
    findings = validate_file(path, spec).findings
    return {
        name: [f for f in findings if f.row in (first + index, None)]
        for index, (name, _) in enumerate(cases)
    }


@pytest.mark.parametrize("name,row,vorm,per_jaar", FORMS, ids=[f[0] for f in FORMS])
def test_each_form_is_accepted_and_read_as_meant(typed_forms, spec, name, row, vorm, per_jaar):
    mine = [f for f in typed_forms[name] if f.sheet == "BS Linde"]
    assert not [f for f in mine if f.code[0] in "DM" or f.severity == "error"], mine
    form = form_of(row, spec)
    assert (form.vorm, form.per_jaar) == (vorm, per_jaar)


@pytest.mark.parametrize("name,row,code,key", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_in_a_form_is_its_own_finding_at_its_cell(
    typed_forms, spec, name, row, code, key
):
    found = [f for f in typed_forms[name] if f.code.startswith("D")]
    assert [(f.code, f.sheet, f.column) for f in found] == [
        (code, "BS Linde", spec.header_for(key))
    ]
    assert found[0].cell is not None


def test_a_relative_target_needs_no_streefwaarde_to_be_smart(typed_forms):
    # M003 asks a measurable afspraak for a target: a reference is one, without a number.
    codes = {name: {f.code for f in typed_forms[name]} for name, _ in SMART}
    assert "M003" not in codes["relatief"] and "M003" in codes["niets"]


# ---------------------------------------------------------------------------------------------
# The config: a lopende afspraak takes the same forms, and the same mistakes are refused.
# ---------------------------------------------------------------------------------------------

CONFIG = """
gemeente: {naam: Proefstad, code: "GM9999"}
periode: {eerste_jaar: 2026, laatste_jaar: 2030}
themas: [BS, BT]
corporaties:
  - {naam: Eik, l_nummer: L9999, huurdersorganisatie: {naam: Huurders Eik}}
lopende_afspraken:
  - {nummer: BS-01, partij: corporatie, afspraak: Bouwen., type: handelingsafspraak,
     indicator: BS01, planning: 2026-2030, %s}
"""


@pytest.mark.parametrize(
    "keys,problem",
    [
        ("streefwaarde: 1900, streefwaarde_tot: 2500, doeltermijn: per jaar", None),
        ("referentie: landelijk gemiddelde, doelsoort: minimaal", None),
        ("streefwaarde: 1250, doeltermijn: in totaal", None),
        ("streefwaarde: 2500, streefwaarde_tot: 1900", "streefwaarde_tot 1900 ligt onder"),
        ("doelsoort: bandbreedte, streefwaarde: 1900", "een bandbreedte heeft"),
        ("streefwaarde_tot: 2500, streefwaarde: 1, doelsoort: exact", "hoort bij doelsoort"),
        ("referentie: inflatie, streefwaarde: 3", "geen getal"),
        ("referentie: inflatie, mijlpalen: {2027: 3}", "mijlpalen: een doel ten opzichte"),
        ("streefwaarde: 1, doeltermijn: elk jaar", "doeltermijn"),
    ],
)
def test_the_config_takes_each_form_and_refuses_each_mistake(tmp_path, spec, keys, problem):
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG % keys, encoding="utf-8")
    if problem is None:
        (row,) = load_config(path, spec).lopend
        assert form_of(row.values, spec).vorm in (ENKEL, BANDBREEDTE, RELATIEF)
        return
    with pytest.raises(ConfigError) as error:
        load_config(path, spec)
    assert problem in str(error.value)


# ---------------------------------------------------------------------------------------------
# The judgement: inside a bandbreedte is gehaald; per jaar each year anew; relative only with
# the reference's value of the year.
# ---------------------------------------------------------------------------------------------

STROOM = dict(soort="stroom", richting="hoger", eenheid="woningen")
RANGE = dict(STROOM, streefwaarde=1900, tot=2500)
LAGER = dict(soort="stand", richting="lager", eenheid="%")
JUDGEMENTS = [
    # A bandbreedte at its end: inside (bounds included), short of it, past it.
    (dict(RANGE, planning=2027), 1900, GEHAALD, "streefwaarde 1900 tot 2500 (2027)"),
    (dict(RANGE, planning=2027), 2500, GEHAALD, "2500 gerealiseerd"),
    (dict(RANGE, planning=2027), 1800, NIET_GEHAALD, ""),
    (dict(RANGE, planning=2027), 2600, AFWIJKEND, ""),
    # Before its end: both bounds pro rata (2 of 5 years: 760 tot 1000).
    (dict(RANGE, planning="2026-2030"), 800, OP_KOERS, "pro rata 760 tot 1000"),
    (dict(RANGE, planning="2026-2030"), 700, ACHTER, ""),
    (dict(RANGE, planning="2026-2030"), 1100, OP_KOERS, ""),  # ahead, not yet past 2500
    (dict(RANGE, planning="2026-2030"), 2600, AFWIJKEND, ""),  # a flow past it for good
    # With a mijlpaal: the mijlpaal is the lower bound of the year.
    (dict(RANGE, planning="2026-2030", mijlpaal=700), 720, OP_KOERS, "mijlpaal 700"),
    # A stand in %: 3 tot 5.
    (dict(soort="stand", eenheid="%", streefwaarde=3, tot=5, planning=2027), 4, GEHAALD, ""),
    (dict(soort="stand", eenheid="%", streefwaarde=3, tot=5, planning=2027), 6, AFWIJKEND, ""),
    # Per jaar: the realisatie of the year against the streefwaarde itself, no pro rata.
    (dict(STROOM, streefwaarde=200, planning="2026-2030", per_jaar=True), 210, GEHAALD, ""),
    (
        dict(STROOM, streefwaarde=200, planning="2026-2030", per_jaar=True),
        150,
        NIET_GEHAALD,
        "streefwaarde 200 per jaar",
    ),
    # In totaal (as before 1.5): 200 by the end of 2027 of 1.250 over 2026-2030 is behind.
    (dict(STROOM, streefwaarde=1250, planning="2026-2030"), 200, ACHTER, "pro rata 500"),
    # Relative: without the reference's value nothing can be said.
    (
        dict(LAGER, streefwaarde=None, referentie="inflatie", planning="jaarlijks"),
        2.5,
        NIET_TE_BEOORDELEN,
        "geen waarde van inflatie",
    ),
    # With it, the value is the target of the year; richting lager: niet meer dan.
    (
        dict(LAGER, streefwaarde=None, referentie="inflatie", referentiewaarde=3.1, planning=2027),
        2.5,
        GEHAALD,
        "inflatie ten hoogste 3,1",
    ),
    (
        dict(LAGER, streefwaarde=None, referentie="inflatie", referentiewaarde=3.1, planning=2027),
        3.5,
        NIET_GEHAALD,
        "",
    ),
    # Op of boven het landelijk gemiddelde by 2030: below it in 2027 is behind, not failed.
    (
        dict(
            soort="stand",
            eenheid="rapportcijfer",
            streefwaarde=None,
            doelsoort="minimaal",
            referentie="landelijk gemiddelde",
            referentiewaarde=7.4,
            planning="2026-2030",
        ),
        7.2,
        ACHTER,
        "",
    ),
]


@pytest.mark.parametrize("doel,realisatie,verdict,said", JUDGEMENTS)
def test_each_form_is_judged_as_meant(doel, realisatie, verdict, said):
    oordeel = judge(Doel(**doel), realisatie, 2027)
    assert oordeel.oordeel == verdict, oordeel.uitleg
    assert said in oordeel.uitleg


def test_the_judgement_reads_the_forms_from_a_row(spec):
    row = dict(indicator=BOUW, eenheid="woningen", streefwaarde=1900.0, streefwaarde_tot=2500.0)
    row |= dict(doeltermijn="per jaar", planning="2026-2030")
    doel = doel_of(row, spec)
    assert (doel.tot, doel.per_jaar, doel.kind) == (2500, True, "bandbreedte")
    relative = doel_of(
        dict(indicator=HUUR, eenheid="%", referentie="inflatie", referentiewaarde=3.1), spec
    )
    assert (relative.referentie, relative.referentiewaarde, relative.kind) == (
        "inflatie",
        3.1,
        "maximaal",  # the richting of the Huursomstijging: niet meer dan
    )


# ---------------------------------------------------------------------------------------------
# Totals: only like with like.
# ---------------------------------------------------------------------------------------------


def test_totals_never_add_unlike_targets(generated, tmp_path):
    # Two corporaties each a bandbreedte per jaar, and beside it one a total over the period,
    # one a single number per jaar, and one a target relative to the landelijk gemiddelde:
    # the bandbreedtes add up as bandbreedtes (1.900 + 300 tot 2.500 + 400), nothing else does.
    linde = typed(
        blank(generated, "jaarschijf", "linde"),
        tmp_path / "in" / "linde.xlsx",
        {
            ("BS Linde", "nieuw", 0): new_row(
                "BS-80",
                LINDE_NAAM,
                BOUW,
                "woningen",
                streefwaarde=1900,
                streefwaarde_tot=2500,
                doeltermijn="per jaar",
                planning="2026-2030",
            ),
            ("BS Linde", "nieuw", 1): new_row(
                "BS-81", LINDE_NAAM, BOUW, "woningen", streefwaarde=1250, planning="2026-2030"
            ),
            ("BS Linde", "nieuw", 2): new_row(
                "BS-82",
                LINDE_NAAM,
                BOUW,
                "woningen",
                streefwaarde=200,
                doeltermijn="per jaar",
                planning="2026-2030",
            ),
        },
    )
    stadswonen = typed(
        blank(generated, "jaarschijf", "stadswonen"),
        tmp_path / "in" / "stadswonen.xlsx",
        {
            ("BS Stadswonen", "nieuw", 0): new_row(
                "BS-80",
                STADSWONEN_NAAM,
                BOUW,
                "woningen",
                streefwaarde=300,
                streefwaarde_tot=400,
                doeltermijn="per jaar",
                planning="2026-2030",
            ),
            ("BS Stadswonen", "nieuw", 1): new_row(
                "BS-81",
                STADSWONEN_NAAM,
                BOUW,
                "woningen",
                referentie="landelijk gemiddelde",
                planning="2026-2030",
            ),
        },
    )
    out = merged_overview([linde, stadswonen], tmp_path / "o.xlsx", allow_invalid=True)
    header, rows = kengetallen_rows(out)
    low, high = rows[("BS01", "Streefwaarde", 2027)], rows[("BS01", "Streefwaarde tot", 2027)]
    assert (column(header, low, LINDE_NAAM), column(header, high, LINDE_NAAM)) == (1900, 2500)
    assert (column(header, low, "Gemeente"), column(header, high, "Gemeente")) == (2200, 2900)
    header, apart = table(cells(out)["Niet meegeteld"], "Niet meegeteld")
    said = {
        (r["Nummer"], r["Waarde"]): r["Reden"]
        for r in (dict(zip(header, row, strict=True)) for row in apart)
        if r["Maat"] == "Streefwaarde"
    }
    # The sample's BS-01 (60 by 2030, in totaal) of each corporatie is set apart too.
    assert {("BS-81", 1250), ("BS-82", 200)} <= set(said)
    assert said[("BS-82", 200)] == (
        "ander soort doel (per jaar) dan de getelde streefwaarden (per jaar, bandbreedte)"
    )
    assert not any(
        nummer == "BS-81" and "landelijk" in reden for (nummer, _), reden in said.items()
    )


def test_the_evaluation_adds_the_realisatie_only_of_like_targets(generated, tmp_path, spec):
    # The evaluation's Indicatoren (realisatie per indicator) follows the overview's term
    # grouping: two bandbreedtes per jaar add up, realisatie and target; the total over the
    # period (500 so far) and the 210 of a target per jaar are left out, not added to them.
    from pa_sheets.cycle.evaluate import evaluate_paths
    from pa_sheets.cycle.evaluation_text import text_evaluation
    from pa_sheets.cycle.evaluation_workbook import write_evaluation

    per_jaar = dict(doeltermijn="per jaar", planning="2026-2030", status="groen")
    linde = typed(
        blank(generated, "jaarschijf", "linde"),
        tmp_path / "in" / "linde.xlsx",
        {
            ("BS Linde", "nieuw", 0): new_row(
                "BS-80",
                LINDE_NAAM,
                BOUW,
                "woningen",
                streefwaarde=1900,
                streefwaarde_tot=2500,
                realisatie=2000,
                **per_jaar,
            ),
            ("BS Linde", "nieuw", 1): new_row(
                "BS-81",
                LINDE_NAAM,
                BOUW,
                "woningen",
                streefwaarde=1250,
                planning="2026-2030",
                realisatie=500,
                status="groen",
            ),
            ("BS Linde", "nieuw", 2): new_row(
                "BS-82", LINDE_NAAM, BOUW, "woningen", streefwaarde=200, realisatie=210, **per_jaar
            ),
        },
    )
    stadswonen = typed(
        blank(generated, "jaarschijf", "stadswonen"),
        tmp_path / "in" / "stadswonen.xlsx",
        {
            ("BS Stadswonen", "nieuw", 0): new_row(
                "BS-80",
                STADSWONEN_NAAM,
                BOUW,
                "woningen",
                streefwaarde=300,
                streefwaarde_tot=400,
                realisatie=350,
                **per_jaar,
            ),
        },
    )
    evaluation = evaluate_paths([linde, stadswonen], spec=spec)
    (bouw,) = [k for k in evaluation.koers if k.code == "BS01"]
    assert (bouw.streefwaarde, bouw.realisatie) == (2200, 2350)  # not 3.060 of all four
    assert bouw.streefwaarde_tot == 2900  # 2500 + 400: what was agreed is 2200 tot 2900
    assert (bouw.gemeten, bouw.termijn, bouw.andere_termijn) == (4, "per jaar, bandbreedte", 2)
    workbook = openpyxl.load_workbook(write_evaluation(evaluation, tmp_path / "e.xlsx", spec))
    sheet = list(workbook["Indicatoren"].iter_rows(values_only=True))
    (row,) = [dict(zip(sheet[3], r, strict=True)) for r in sheet[4:] if r[0] == "BS01"]
    assert (row["Berekend als"], row["Streefwaarde"], row["Realisatie"]) == (
        "som, doelen per jaar, bandbreedte",
        2200,
        2350,
    )
    assert row["Streefwaarde tot"] == 2900
    assert row["Niet meegeteld (andere eenheid, termijn of vorm)"] == 2
    text = text_evaluation(evaluation)
    assert "geteld: termijn per jaar, bandbreedte, 2 met een andere termijn of vorm niet" in text
    assert " 2200 tot 2900       2350  " in text


# ---------------------------------------------------------------------------------------------
# Publication: the page says the target as the afspraak does; the open data carry the forms in
# columns of schema 1.1, and a 1.0 package (without them) still stacks.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values,shown",
    [
        (dict(streefwaarde=60.0, eenheid="woningen"), "60 woningen"),
        (
            dict(streefwaarde=1900.0, streefwaarde_tot=2500.0, eenheid="woningen")
            | dict(doeltermijn="per jaar"),
            "1900 tot 2500 woningen per jaar",
        ),
        (dict(streefwaarde=3.0, streefwaarde_tot=5.0, eenheid="%"), "3 tot 5 %"),
        (dict(referentie="inflatie", doelsoort="maximaal", eenheid="%"), "niet meer dan inflatie"),
        (
            dict(referentie="landelijk gemiddelde", doelsoort="minimaal"),
            "op of boven landelijk gemiddelde",
        ),
        (
            dict(streefwaarde=1250.0, eenheid="woningen", doeltermijn="in totaal"),
            "1250 woningen in totaal",
        ),
    ],
)
def test_the_page_shows_a_target_as_the_afspraak_says_it(values, shown):
    from pa_sheets.cycle.publish import _shown

    assert _shown(values, "streefwaarde") == shown


def test_the_open_data_carry_the_forms_and_a_package_without_them_still_stacks(spec, tmp_path):
    import shutil

    from conftest import PUBLISHED, ROOT

    from pa_sheets.cycle.opendata import SCHEMA_VERSION, SINCE_1_1, schemas
    from pa_sheets.cycle.publish import publish_paths
    from pa_sheets.cycle.verzamel import verzamel

    assert SCHEMA_VERSION >= "1.1"
    fields = {f["name"]: f for f in schemas(spec)["afspraken"]["fields"]}
    assert fields["doeltermijn"]["constraints"]["enum"] == ["in totaal", "per jaar"]
    assert "constraints" not in fields["referentie"]  # an open list: a gemeente's own words
    assert fields["streefwaarde_tot"]["type"] == "number"
    names = list(fields)
    assert names[names.index("realisatie_vorig") + 1 :][: len(SINCE_1_1)] == list(SINCE_1_1)
    # A package of schema 1.0 (made before spec 1.5) lacks the three columns: it stacks with
    # one of 1.1, its rows with the forms empty.
    jaarschijven = sorted((ROOT / "samples" / "ingevuld").glob("jaarschijf-*.xlsx"))
    new = tmp_path / "sites" / "nieuw"
    publish_paths(jaarschijven, new, spec=spec, created=PUBLISHED)
    old = tmp_path / "sites" / "oud"
    old.mkdir()
    for path in new.iterdir():
        text = path.read_text(encoding="utf-8-sig").replace("GM9001", "GM9002")
        if path.name.endswith("-afspraken.csv"):
            rows = list(csv.reader(io.StringIO(text, newline="")))
            keep = [i for i, name in enumerate(rows[0]) if name not in SINCE_1_1]
            out = io.StringIO(newline="")
            csv.writer(out, lineterminator="\r\n").writerows([[r[i] for i in keep] for r in rows])
            text = out.getvalue()
        if path.name == "datapackage.json":
            package = json.loads(text)
            package["schema_versie"] = package["version"] = "1.0"
            for resource in package["resources"]:
                schema = resource["schema"]
                schema["fields"] = [f for f in schema["fields"] if f["name"] not in SINCE_1_1]
            text = json.dumps(package, ensure_ascii=False)
        (old / path.name).write_text(
            text, encoding="utf-8-sig" if path.suffix == ".csv" else "utf-8"
        )
    for path in new.iterdir():
        if path.suffix not in (".csv", ".json"):
            shutil.copy(path, old / path.name)  # the page itself
    stacked = verzamel([tmp_path / "sites"], tmp_path / "landelijk")
    assert len(stacked.packages) == 2


# ---------------------------------------------------------------------------------------------
# Real afspraken (tests/real/afspraken.yaml) whose source states a target in one of the forms:
# through config, generate, fill in, validate and merge (test_real.py) they keep that form,
# and are judged as meant.
# ---------------------------------------------------------------------------------------------

REAL_FORMS = [
    # "De huren stijgen niet meer dan de inflatie": each year, against that year's inflatie.
    ("arnhem-2018", "BT-01", RELATIEF, True, "inflatie"),
    # "behalen samen de gezamenlijke taakstelling": op of boven the Rijk's taakstelling.
    ("utrechtse-heuvelrug-2019", "T1-02", RELATIEF, False, "taakstelling"),
    # "maximaal 25% van hun vrijkomende ... toe": a share of each year's allocations.
    ("utrechtse-heuvelrug-2019", "T1-03", ENKEL, True, ""),
    # "Voor hen houden we het aantal woningen hetzelfde": gelijk aan het huidige aantal.
    ("tilburg-2023", "ST-01", RELATIEF, False, "het huidige aantal"),
    # "minimaal 1500 ... in de periode 2021-2025": a total over the period.
    ("tilburg-2023", "BS-02", ENKEL, False, ""),
    # "20% van de vrijkomende woningen" (jaarlijks): per jaar.
    ("aa-en-hunze-2024", "AG-01", ENKEL, True, ""),
]


def _real(case: tuple) -> object:
    from test_real import SLOW  # the bronnen whose whole cycle takes longest

    return pytest.param(*case, marks=pytest.mark.slow) if case[0] in SLOW else case


@pytest.mark.parametrize("bron,nummer,vorm,per_jaar,referentie", [_real(c) for c in REAL_FORMS])
def test_real_afspraken_keep_their_form_through_the_cycle(
    real_merged, spec, bron, nummer, vorm, per_jaar, referentie
):
    merged = real_merged(bron)
    records = [
        record
        for source in merged.sources
        for record in source.records
        if record.values.get("nummer") == nummer
    ]
    assert records
    for record in records:
        form = form_of(record.values, spec)
        assert (form.vorm, form.per_jaar, form.referentie) == (vorm, per_jaar, referentie)


def test_the_arnhem_rent_target_is_judged_against_the_inflation_of_its_year(spec):
    # BT-01 of Arnhem 2018, as its row is read: no number, niet meer dan de inflatie.
    row = dict(indicator=HUUR, eenheid="%", doelsoort="maximaal", referentie="inflatie")
    row |= dict(doeltermijn="per jaar", planning="2018")
    assert judge(doel_of(row, spec), 1.9, 2018).oordeel == NIET_TE_BEOORDELEN
    # CBS: the inflatie of 2018 was 1,7%; a huursomstijging of 1,9 is more, of 1,5 not.
    row["referentiewaarde"] = 1.7
    assert judge(doel_of(row, spec), 1.9, 2018).oordeel == NIET_GEHAALD
    assert judge(doel_of(row, spec), 1.5, 2018).oordeel == GEHAALD


# ---------------------------------------------------------------------------------------------
# The monitoring round: the monitor shows a target's form, locked, and asks the reference's
# value of the year beside the realisatie; the judgement reads both.
# ---------------------------------------------------------------------------------------------


def test_the_monitor_carries_the_forms_and_asks_the_reference_value(tmp_path, spec):
    import yaml
    from conftest import CREATED, SAMPLE
    from workbook_helpers import blocks

    from pa_sheets.cycle.monitor import generate_monitor
    from pa_sheets.demo.fill import fill_workbook
    from pa_sheets.demo.monitor import fill_monitor
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.workbook.generate import generate

    config = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    config["lopende_afspraken"] += [
        {
            "nummer": "BT-90",
            "partij": "corporatie",
            "corporatie": "Linde",
            "afspraak": "De huren stijgen niet meer dan de inflatie.",
            "type": "garantieafspraak",
            "indicator": "BT01",
            "referentie": "inflatie",
            "doelsoort": "maximaal",
            "doeltermijn": "per jaar",
            "planning": "jaarlijks",
        },
        {
            "nummer": "BS-90",
            "partij": "corporatie",
            "corporatie": "Linde",
            "afspraak": "De Linde bouwt 40 tot 60 sociale huurwoningen per jaar.",
            "type": "handelingsafspraak",
            "indicator": "BS01",
            "streefwaarde": 40,
            "streefwaarde_tot": 60,
            "doeltermijn": "per jaar",
            "planning": "2026-2030",
        },
    ]
    path = tmp_path / "voorbeeldstad.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (blank,) = generate("jaarschijf", path, (2027,), tmp_path / "leeg", ["Linde"], spec=spec)
    signed = fill_workbook(blank, tmp_path / "getekend" / blank.name, seed=2, spec=spec)
    (monitor,) = generate_monitor([signed], tmp_path / "monitor", spec=spec, created=CREATED)
    workbook = openpyxl.load_workbook(monitor)
    (block,) = [b for b in blocks(workbook) if b["blad"] == "BT Linde"]
    columns = block["kolommen"].split(",")
    sheet = workbook["BT Linde"]
    row = next(
        r
        for r in range(block["eerste_rij"], block["laatste_rij"] + 1)
        if sheet.cell(r, 1).value == "BT-90"
    )
    cell = {key: sheet.cell(row, columns.index(key) + 1) for key in columns}
    assert (cell["referentie"].value, cell["doeltermijn"].value) == ("inflatie", "per jaar")
    assert cell["referentie"].protection.locked and cell["doeltermijn"].protection.locked
    assert not cell["referentiewaarde"].protection.locked  # the party reports it
    answers = {
        ("BT Linde", "monitor", "BT-90"): dict(
            realisatie=2.5, referentiewaarde=3.1, status="groen", peildatum="31-12-2027"
        ),
        ("BS Linde", "monitor", "BS-90"): dict(
            realisatie=70, status="groen", peildatum="31-12-2027"
        ),
    }
    others = fill_monitor(monitor, tmp_path / "ingevuld.xlsx", seed=1, spec=spec)
    back = typed(others, tmp_path / "terug" / monitor.name, answers)
    report = validate_file(back, spec)
    assert not [f for f in report.findings if f.code.startswith("D") or f.severity == "error"]
    merged = merge_paths([back], spec=spec, workers=1, allow_invalid=True)
    judged = {
        record.values["nummer"]: judge(
            doel_of(record.values, spec), record.values["realisatie"], 2027
        )
        for source in merged.sources
        for record in source.records
        if record.values.get("nummer") in ("BT-90", "BS-90")
    }
    assert (
        judged["BT-90"].oordeel == GEHAALD and "inflatie ten hoogste 3,1" in judged["BT-90"].uitleg
    )
    # 70 in 2027 is past 60 per jaar: afwijkend, and the groen it was reported with says otherwise.
    assert judged["BS-90"].oordeel == AFWIJKEND


def test_the_set_up_workbook_keeps_the_forms_of_a_lopende_afspraak(tmp_path, spec):
    # The coordinator's other way in (pa-sheets opzet): the three columns of the forms stand
    # after the columns a set-up workbook had before 1.5, and read back the same.
    from test_opzet import _round_trip

    keys = "streefwaarde: 1900, streefwaarde_tot: 2500, doeltermijn: per jaar"
    text = CONFIG % keys + (
        "  - {nummer: BT-01, partij: corporatie, afspraak: Huren., type: garantieafspraak,\n"
        "     indicator: BT01, referentie: inflatie, doelsoort: maximaal, planning: jaarlijks}\n"
    )
    source = tmp_path / "config.yaml"
    source.write_text(text, encoding="utf-8")
    _round_trip(source, tmp_path, spec)
    forms = [form_of(row.values, spec) for row in load_config(source, spec).lopend]
    assert [(f.vorm, f.per_jaar) for f in forms] == [(BANDBREEDTE, True), (RELATIEF, False)]


def test_rollover_carries_a_target_in_its_form_into_next_year(tmp_path, spec):
    from pa_sheets.cycle.rollover import rollover
    from pa_sheets.demo.fill import fill_workbook
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.workbook.generate import generate

    keys = "streefwaarde: 1900, streefwaarde_tot: 2500, doeltermijn: per jaar"
    text = CONFIG % keys + (
        "  - {nummer: BT-01, partij: corporatie, afspraak: Huren., type: garantieafspraak,\n"
        "     indicator: BT01, referentie: inflatie, doelsoort: maximaal, planning: jaarlijks}\n"
    )
    config = tmp_path / "config.yaml"
    config.write_text(text, encoding="utf-8")
    (blank,) = generate("jaarschijf", config, (2027,), tmp_path / "leeg", spec=spec)
    filled = fill_workbook(blank, tmp_path / "ingevuld.xlsx", seed=3, spec=spec)
    going = {"status": "groen", "realisatie": None}
    back = typed(
        filled,
        tmp_path / "terug" / blank.name,
        {("BS Eik", "going_concern", "BS-01"): going, ("BT Eik", "going_concern", "BT-01"): going},
    )
    (after,) = rollover([back], 2028, tmp_path / "2028", spec=spec)
    report = validate_file(after, spec)
    assert not [f for f in report.findings if f.code.startswith("D")]
    merged = merge_paths([after], spec=spec, workers=1, allow_invalid=True)
    forms = {
        record.values.get("nummer"): form_of(record.values, spec)
        for source in merged.sources
        for record in source.records
    }
    assert (forms["BS-01"].vorm, forms["BS-01"].per_jaar) == (BANDBREEDTE, True)
    assert (forms["BT-01"].vorm, forms["BT-01"].referentie) == (RELATIEF, "inflatie")

"""Each rule on a workbook read once and changed in memory: milliseconds a case.

The end-to-end tests (test_validate.py) make each mistake in a saved workbook; here the rule
itself is run on the values as read, so every corner of a rule is cheap to try.
"""

import copy
from pathlib import Path

import pytest

from pa_sheets.check.findings import CODES
from pa_sheets.check.read import WorkbookData, read_workbook
from pa_sheets.check.rules import RULES
from pa_sheets.check.validate import check_workbook, normalise_workbook
from pa_sheets.cycle.judgement import GEHAALD, NIET_TE_BEOORDELEN, doel_of, judge

FILLED = Path(__file__).resolve().parent.parent / "samples" / "ingevuld"
GEMEENTE, LINDE = "Gemeente Voorbeeldstad", "Woonstichting De Linde"


@pytest.fixture(scope="module")
def jaarschijf(spec) -> WorkbookData:
    return read_workbook(FILLED / "jaarschijf-2027-voorbeeldstad-linde.xlsx", spec)


@pytest.fixture(scope="module")
def bod(spec) -> WorkbookData:
    return read_workbook(FILLED / "bod-2027-2031-voorbeeldstad-linde.xlsx", spec)


def put(data: WorkbookData, sheet: str, key: str, column: str, index: int, value) -> None:
    """Change one value as if the party had typed it."""
    block = next(b for b in data.blocks if b.sheet == sheet and b.key == key)
    block.values[column][index] = value


def run(spec, data: WorkbookData, code: str, *changes) -> list[tuple[str | None, str | None]]:
    """(sheet, cell) of every finding of rule `code` after the changes, on a copy."""
    data = copy.deepcopy(data)
    for change in changes:
        put(data, *change)
    context, _, _ = normalise_workbook(data, spec)
    (rule,) = [r for r in RULES if r.code == code]
    return [(f.sheet, f.cell) for f in rule.check(context)]


def test_every_rule_has_its_own_code_with_a_message_and_a_description():
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    assert set(codes) <= set(CODES)
    assert all(rule.controle.endswith(".") for rule in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_filled_sample_breaks_no_rule(spec, jaarschijf, bod, rule):
    assert run(spec, jaarschijf, rule.code) == []
    assert run(spec, bod, rule.code) == []


def first_new(data: WorkbookData, sheet: str = "BS Linde") -> str:
    """The nummer of the first new afspraak on `sheet`."""
    block = next(b for b in data.blocks if b.sheet == sheet and b.key == "nieuw")
    return str(block.values["nummer"][0])


def test_x001_a_nummer_used_twice_is_reported_at_both_cells(spec, jaarschijf):
    nummer = first_new(jaarschijf)
    found = run(spec, jaarschijf, "X001", ("BS Linde", "nieuw", "nummer", 1, nummer))
    assert found == [("BS Linde", "A13"), ("BS Linde", "A14")]


def test_x002_a_trekker_that_is_no_party(spec, jaarschijf):
    found = run(spec, jaarschijf, "X002", ("BS Linde", "nieuw", "trekker", 0, "De buren"))
    assert found == [("BS Linde", "F13")]


def test_x002_reads_the_trekker_case_insensitively_first(spec, jaarschijf):
    # Normalising turns the spelling into the party's name (T002); the rule then accepts it.
    assert run(spec, jaarschijf, "X002", ("BS Linde", "nieuw", "trekker", 0, LINDE.upper())) == []


@pytest.mark.parametrize("status", ["oranje", "rood"])
def test_v009_oranje_and_rood_need_a_toelichting(spec, jaarschijf, status):
    changes = [
        ("BS Linde", "nieuw", "status", 0, status),
        ("BS Linde", "nieuw", "toelichting", 0, None),
    ]
    assert run(spec, jaarschijf, "V009", *changes) == [("BS Linde", "V13")]


@pytest.mark.parametrize("status", ["groen", "niet gestart", "gerealiseerd"])
def test_v009_other_statuses_need_none(spec, jaarschijf, status):
    assert run(spec, jaarschijf, "V009", ("BS Linde", "nieuw", "status", 0, status)) == []


@pytest.mark.parametrize(
    "planning, outside",
    [
        ("2025", True),
        ("31-12-2030", False),
        ("2026", False),
        ("Q4 2030", False),
        # Issue 26: deadlines as documents write them (the period is 2026-2030).
        ("uiterlijk 2025", True),
        ("vóór 2026", True),  # "vóór" and "tot" exclude what follows: 31-12-2025
        ("tot 2030", False),
        ("t/m 2028", False),
        ("uiterlijk 31-12-2027", False),
        ("tot 2040", False),  # it may already run: a deadline ending after the period overlaps
        # A new afspraak planned wholly after the period is an ambition (X016), not an error.
        ("Q1 2031", False),
        ("2050", False),
    ],
)
def test_x003_a_planning_outside_the_period(spec, jaarschijf, planning, outside):
    found = run(spec, jaarschijf, "X003", ("BS Linde", "nieuw", "planning", 0, planning))
    assert found == ([("BS Linde", "R13")] if outside else [])


def test_x016_an_ambition_past_the_period_is_a_kader(spec, jaarschijf):
    # Issue 26: "aardgasvrij in 2050" as a new afspraak was X003, an error; it is the frame of
    # the afspraak. Without a kader it is said where it belongs; with one, nothing.
    change = ("BS Linde", "nieuw", "planning", 0, "2050")
    assert run(spec, jaarschijf, "X016", change) == [("BS Linde", "R13")]
    kader = ("BS Linde", "nieuw", "kader", 0, "Aardgasvrij in 2050 (Transitievisie Warmte)")
    assert run(spec, jaarschijf, "X016", change, kader) == []
    assert run(spec, jaarschijf, "X016", ("BS Linde", "nieuw", "planning", 0, "2030")) == []


def test_x003_a_bod_may_plan_from_the_year_before_it(spec, bod):
    # A bod 2027-2031 is written in 2026: "gevraagd voor" 2026 is fine, 2025 is not.
    block = next(b for b in bod.blocks if b.key == "wederkerigheid" and b.rows)
    change = (block.sheet, "wederkerigheid", "gevraagd_voor", 0)
    assert run(spec, bod, "X003", (*change, "2026")) == []
    assert len(run(spec, bod, "X003", (*change, "2025"))) == 1
    assert run(spec, bod, "X003", (*change, "2032")) == [
        run(spec, bod, "X003", (*change, "2025"))[0]
    ]


@pytest.mark.parametrize("start, fine", [(2030.0, False), (2031.0, False), (2029.0, True)])
def test_x004_the_nulmeting_lies_before_the_planning(spec, jaarschijf, start, fine):
    # BS-04 is planned 2030.
    found = run(spec, jaarschijf, "X004", ("BS Linde", "nieuw", "nulmeting_jaar", 0, start))
    assert found == ([] if fine else [("BS Linde", "N13")])


@pytest.mark.parametrize(
    "code, column, cell", [("M001", "trekker", "F13"), ("M002", "planning", "R13")]
)
def test_smart_a_new_afspraak_without_who_or_when(spec, jaarschijf, code, column, cell):
    assert run(spec, jaarschijf, code, ("BS Linde", "nieuw", column, 0, None)) == [
        ("BS Linde", cell)
    ]


@pytest.mark.parametrize("column", ["indicator", "streefwaarde"])
def test_m003_either_half_of_a_target_missing_is_reported_at_the_streefwaarde(
    spec, jaarschijf, column
):
    found = run(spec, jaarschijf, "M003", ("BS Linde", "nieuw", column, 0, ""))
    assert found == [("BS Linde", "P13")]


def test_smart_applies_to_new_afspraken_only(spec, jaarschijf):
    assert run(spec, jaarschijf, "M001", ("BS Linde", "going_concern", "trekker", 0, None)) == []


def test_x005_a_changed_fixed_text(spec, jaarschijf):
    found = run(spec, jaarschijf, "X005", ("BS Linde", "going_concern", "afspraak", 0, "Anders"))
    assert found == [("BS Linde", "B7")]
    # The value is the text as found (the Controle sheet shows it); the message the nummer.
    data = copy.deepcopy(jaarschijf)
    put(data, "BS Linde", "going_concern", "afspraak", 0, "Anders")
    context, _, _ = normalise_workbook(data, spec)
    (rule,) = [r for r in RULES if r.code == "X005"]
    (item,) = rule.check(context)
    assert item.value == "Anders" and "lopende afspraak BS-01 is gewijzigd" in item.message
    assert "er staat nu «Anders»; er hoort «" in item.message


def test_x005_points_at_the_fixed_cell_that_changed(spec, jaarschijf):
    # The text as generated (the sample's very hidden sheet) says which fixed cell differs.
    data = copy.deepcopy(jaarschijf)
    block = next(b for b in data.blocks if b.sheet == "BS Linde" and b.key == "going_concern")
    trekker = block.values["trekker"][0]
    put(data, "BS Linde", "going_concern", "trekker", 0, "Iemand anders")
    context, _, _ = normalise_workbook(data, spec)
    (rule,) = [r for r in RULES if r.code == "X005"]
    (item,) = rule.check(context)
    assert (item.column, item.value) == ("Trekker", "Iemand anders")
    assert f"er staat nu «Iemand anders»; er hoort «{trekker}» te staan" in item.message


def test_x005_whitespace_and_number_forms_are_no_change(spec, jaarschijf):
    data = copy.deepcopy(jaarschijf)
    block = next(b for b in data.blocks if b.sheet == "BS Linde" and b.key == "going_concern")
    text = block.values["afspraak"][0]
    changes = [("BS Linde", "going_concern", "afspraak", 0, "  " + text.replace(" ", "  ") + " ")]
    assert run(spec, data, "X005", *changes) == []


def test_x006_a_lost_lopende_afspraak_is_named_at_the_header(spec, jaarschijf):
    data = copy.deepcopy(jaarschijf)
    block = next(b for b in data.blocks if b.sheet == "BS Linde" and b.key == "going_concern")
    block.rows.clear()
    for values in block.values.values():
        values.clear()
    context, _, _ = normalise_workbook(data, spec)
    (rule,) = [r for r in RULES if r.code == "X006"]
    assert [(f.sheet, f.cell, f.value) for f in rule.check(context)] == [
        ("BS Linde", "A6", "BS-01")
    ]


def test_x010_a_new_afspraak_under_a_closed_nummer(spec, jaarschijf):
    data = copy.deepcopy(jaarschijf)
    data.meta.closed[first_new(data)] = "gerealiseerd"
    assert run(spec, data, "X010") == [("BS Linde", "A13")]


def test_v010_a_formula_in_an_input_cell(spec, jaarschijf):
    data = copy.deepcopy(jaarschijf)
    data.formulas["BS Linde"] = {"S14"}
    assert run(spec, data, "V010") == [("BS Linde", "S14")]


def test_x007_investeringen_that_do_not_add_up(spec, bod):
    data = copy.deepcopy(bod)
    header = next(i for i, row in enumerate(data.investments) if row and row[0] == "Thema")
    row = data.investments[header + 1]
    row[1] = (row[1] or 0) + 1000
    found = run(spec, data, "X007")
    assert found == [("Investeringen", f"B{header + 2}")]


def test_x007_the_own_investments_leave_out_what_is_asked_of_the_gemeente(spec, generated):
    """A bod made now keeps the corporatie's own investments (its tabs) apart from what it
    asks of the other parties: an amount on the Gemeente tab belongs in the second table."""
    path = generated["bod-2027-2031-voorbeeldstad-linde.xlsx"]
    data = read_workbook(path, spec)  # every amount 0, as generated
    put(data, "BS Gemeente", "going_concern", "investering_2027", 0, 250_000.0)
    rows = {row[0]: number for number, row in enumerate(data.investments, start=1) if row}
    assert run(spec, data, "X007") == [("Investeringen", f"B{rows['Gemeente Voorbeeldstad']}")]
    put(data, "BS Linde", "going_concern", "investering_2027", 0, 100_000.0)
    found = run(spec, data, "X007")
    assert ("Investeringen", f"B{rows['BS Beschikbaarheid']}") in found
    assert len(found) == 2


def test_x007_an_earlier_sheet_without_the_second_table_adds_up_every_tab(spec, generated):
    path = generated["bod-2027-2031-voorbeeldstad-linde.xlsx"]
    data = read_workbook(path, spec)
    apart = next(i for i, row in enumerate(data.investments) if row and row[0] == "Gevraagd van")
    data.investments = data.investments[: apart - 1]  # as pa-sheets wrote it before
    bs = next(i for i, row in enumerate(data.investments) if row[0] == "BS Beschikbaarheid")
    data.investments[bs][1] = 250_000.0
    assert (
        run(spec, data, "X007", ("BS Gemeente", "going_concern", "investering_2027", 0, 250_000.0))
        == []
    )


def test_x008_a_basisbod_row_for_an_unknown_gemeente(spec, bod):
    # A bod has no gemeente column: the rule has nothing to do there.
    assert run(spec, bod, "X008") == []


def test_the_whole_pipeline_sorts_findings_by_sheet_and_cell(spec, jaarschijf):
    data = copy.deepcopy(jaarschijf)
    put(data, "BS Linde", "nieuw", "trekker", 1, "De buren")
    put(data, "BS Gemeente", "nieuw", "planning", 0, "Q1 2040")
    findings, clean = check_workbook(data, spec)
    assert [(f.code, f.sheet, f.cell) for f in findings] == [
        ("X016", "BS Gemeente", "R13"),
        ("X002", "BS Linde", "F14"),
    ]
    assert len(clean) == len(data.blocks)


def test_every_finding_code_comes_from_exactly_one_step():
    from pa_sheets.check.normalise import NORMALISE_CODES
    from pa_sheets.check.read import READ_CODES
    from pa_sheets.check.schemas import SCHEMA_CODES
    from pa_sheets.cycle.basisbod import SPLIT_CODES
    from pa_sheets.merge.agreed import MERGE_CODES

    steps = [READ_CODES, NORMALISE_CODES, SCHEMA_CODES, [r.code for r in RULES], SPLIT_CODES]
    steps += [MERGE_CODES]
    codes = [code for step in steps for code in step]
    assert sorted(codes) == sorted(CODES)  # each once, none forgotten


# -------------------------------------------------------------------------------------------------
# Plausibility. Each case adds its own row to a new-afspraken block, so that it depends on the
# sample only for the sheet it writes on.
# -------------------------------------------------------------------------------------------------

ROW = {
    "nummer": "BS-90",
    "afspraak": "De corporatie levert sociale huurwoningen op aan de Stationsweg.",
    "soort": "nieuw",
    "type": "handelingsafspraak",
    "trekker": LINDE,
    "indicator": "Nieuwbouw sociale huurwoningen opgeleverd",
    "eenheid": "woningen",
    "nulmeting": 0.0,
    "nulmeting_jaar": 2025.0,
    "streefwaarde": 40.0,
    "planning": "Q4 2027",
    "status": "groen",
}


def with_row(data: WorkbookData, sheet: str = "BS Linde", **values) -> tuple[WorkbookData, str]:
    """A copy of `data` with one more new afspraak on `sheet` (ROW, changed by `values`), and
    the Excel row it stands on."""
    data = copy.deepcopy(data)
    block = next(b for b in data.blocks if b.sheet == sheet and b.key == "nieuw")
    row = (block.rows[-1] if block.rows else block.header_row) + 1
    block.rows.append(row)
    fields = {**ROW, "nummer": f"{sheet[:2]}-90", **values}
    for key, column in block.values.items():
        column.append(fields.get(key))
    return data, str(row)


def found(spec, data: WorkbookData, code: str, row: str) -> list[tuple[str | None, str | None]]:
    """(sheet, cell) of the findings of rule `code` on the added `row` of BS Linde."""
    context, _, _ = normalise_workbook(data, spec)
    (rule,) = [r for r in RULES if r.code == code]
    return [
        (f.sheet, f.cell)
        for f in rule.check(context)
        if f.sheet == "BS Linde" and str(f.row) == row
    ]


@pytest.mark.parametrize(
    "values, column",
    [
        (
            {
                "indicator": "Huurdersoordeel over de woonomgeving",
                "eenheid": "rapportcijfer",
                "nulmeting": 6.5,
                "streefwaarde": 52.0,
            },
            "P",
        ),
        (
            {
                "indicator": "Huurdersoordeel over de woonomgeving",
                "eenheid": "rapportcijfer",
                "nulmeting": 0.0,
                "streefwaarde": 7.0,
            },
            "M",
        ),
        ({"indicator": "Passend toegewezen woningen", "eenheid": "%", "streefwaarde": 250.0}, "P"),
        ({"indicator": "Passend toegewezen woningen", "eenheid": "%", "realisatie": -40.0}, "U"),
        ({"streefwaarde": -50.0}, "P"),
        ({"indicator": None, "eenheid": "EUR", "streefwaarde": -1.0}, "P"),
    ],
)
def test_p001_a_value_outside_the_bereik_of_its_eenheid(spec, jaarschijf, values, column):
    data, row = with_row(jaarschijf, **values)
    assert found(spec, data, "P001", row) == [("BS Linde", column + row)]


@pytest.mark.parametrize(
    "values",
    [
        {
            "indicator": "Huurdersoordeel over de woonomgeving",
            "eenheid": "rapportcijfer",
            "nulmeting": 6.5,
            "streefwaarde": 7.5,
        },
        {
            "indicator": "Passend toegewezen woningen",
            "eenheid": "%",
            "nulmeting": 93.0,
            "streefwaarde": 95.0,
        },
        {"indicator": "Huursomstijging", "eenheid": "%", "nulmeting": 4.0, "streefwaarde": -1.5},
        {"streefwaarde": 40.0},
        {"indicator": "Eigen indicator", "eenheid": "%", "streefwaarde": 100.0},
    ],
)
def test_p001_sensible_values_pass(spec, jaarschijf, values):
    data, row = with_row(jaarschijf, **values)
    assert found(spec, data, "P001", row) == []


def test_p001_a_huursomstijging_may_be_negative_but_not_minus_forty(spec, jaarschijf):
    data, row = with_row(
        jaarschijf, indicator="Huursomstijging", eenheid="%", nulmeting=3.0, streefwaarde=-40.0
    )
    assert found(spec, data, "P001", row) == [("BS Linde", f"P{row}")]


def test_p002_a_fraction_of_whole_things(spec, jaarschijf):
    data, row = with_row(jaarschijf, streefwaarde=12.7)
    assert found(spec, data, "P002", row) == [("BS Linde", f"P{row}")]
    data, row = with_row(jaarschijf, indicator="Huursomstijging", eenheid="%", streefwaarde=2.5)
    assert found(spec, data, "P002", row) == []


def test_p002_says_the_fraction_the_dutch_way_and_keeps_the_number(spec, jaarschijf):
    data, _ = with_row(jaarschijf, streefwaarde=1.5)
    context, _, _ = normalise_workbook(data, spec)
    (rule,) = [r for r in RULES if r.code == "P002"]
    (p002,) = rule.check(context)
    assert p002.message == "1,5 is geen heel aantal woningen. Vul een geheel getal in."
    assert p002.to_dict()["value"] == 1.5  # the number itself, not its text


@pytest.mark.parametrize(
    ("typed", "read_as"), [("93.5", "93,5"), ("1250000", "1.250.000"), ("12,5", "12,5")]
)
def test_t001_says_what_a_number_typed_as_text_was_read_as_the_dutch_way(
    spec, jaarschijf, typed, read_as
):
    data, row = with_row(jaarschijf, nulmeting=typed)
    _, findings, _ = normalise_workbook(data, spec)
    (t001,) = [f for f in findings if f.code == "T001" and str(f.row) == row]
    assert t001.message == (
        f"'{typed}' is als tekst ingevuld en gelezen als {read_as}. Vul getallen in als getal."
    )
    assert t001.value == typed  # what was typed, as typed


def test_x007_says_the_amounts_the_dutch_way_and_keeps_the_numbers(spec, bod):
    data = copy.deepcopy(bod)
    header = next(i for i, row in enumerate(data.investments) if row and row[0] == "Thema")
    row = data.investments[header + 1]
    row[1] = 1_250_000.0  # the tabs add up to less
    context, _, _ = normalise_workbook(data, spec)
    (rule,) = [r for r in RULES if r.code == "X007"]
    (x007,) = rule.check(context)
    assert x007.value == 1_250_000.0
    assert x007.message.startswith("Het blad Investeringen toont 1.250.000 voor ")


def test_p003_a_standard_indicator_in_another_eenheid(spec, jaarschijf):
    data, row = with_row(
        jaarschijf,
        indicator="Huurdersoordeel over de woonomgeving",
        eenheid="EUR",
        streefwaarde=150000.0,
    )
    assert found(spec, data, "P003", row) == [("BS Linde", f"L{row}")]
    message = run_messages(spec, data, "P003")[0]
    assert "wordt gemeten in rapportcijfer, niet in 'EUR'" in message


def run_messages(spec, data: WorkbookData, code: str) -> list[str]:
    context, _, _ = normalise_workbook(copy.deepcopy(data), spec)
    (rule,) = [r for r in RULES if r.code == code]
    return [f.message for f in rule.check(context) if f.sheet == "BS Linde"]


def test_p004_a_nulmeting_after_the_year_of_the_jaarschijf(spec, jaarschijf):
    data, row = with_row(jaarschijf, nulmeting_jaar=2029.0, planning="Q4 2030")
    assert found(spec, data, "P004", row) == [("BS Linde", f"N{row}")]
    data, row = with_row(jaarschijf, nulmeting_jaar=2027.0, planning="Q4 2028")
    assert found(spec, data, "P004", row) == []


def test_p005_a_new_afspraak_planned_before_the_year_of_the_jaarschijf(spec, jaarschijf):
    data, row = with_row(jaarschijf, planning="Q2 2026")
    assert found(spec, data, "P005", row) == [("BS Linde", f"R{row}")]
    data, row = with_row(jaarschijf, planning="Q1 2027")
    assert found(spec, data, "P005", row) == []


@pytest.mark.parametrize(
    "indicator, realisatie, warned",
    [
        ("Nieuwbouw sociale huurwoningen opgeleverd", 20.0, True),  # hoger is beter, 20 < 40
        ("Nieuwbouw sociale huurwoningen opgeleverd", 40.0, False),
        ("Woningen in slechte staat van onderhoud", 20.0, False),  # lager: 20 <= 40 is met
        ("Woningen in slechte staat van onderhoud", 60.0, True),
        ("Sociale huurwoningen verkocht", 60.0, False),  # an instrument: neutraal (issue 26)
        ("Sociale huurwoningen gesloopt", 20.0, False),  # neutraal: no verdict
    ],
)
def test_p006_gerealiseerd_while_the_streefwaarde_is_missed(
    spec, jaarschijf, indicator, realisatie, warned
):
    data, row = with_row(
        jaarschijf, indicator=indicator, status="gerealiseerd", realisatie=realisatie
    )
    assert found(spec, data, "P006", row) == ([("BS Linde", f"T{row}")] if warned else [])


def test_p007_rood_while_the_streefwaarde_is_met(spec, jaarschijf):
    data, row = with_row(jaarschijf, status="rood", realisatie=45.0, toelichting="Vertraagd.")
    assert found(spec, data, "P007", row) == [("BS Linde", f"T{row}")]
    data, row = with_row(jaarschijf, status="rood", realisatie=12.0, toelichting="Vertraagd.")
    assert found(spec, data, "P007", row) == []


# The columns of the target forms (spec 1.5) and the monitor's Waarde referentie: the sample
# jaarschijf predates them, so they are added in memory, empty on its own rows.
FORM_KEYS = ("streefwaarde_tot", "referentie", "doeltermijn", "referentiewaarde")
BOUW = {"indicator": "Nieuwbouw sociale huurwoningen opgeleverd"}  # BS01: stroom, hoger
VERKOCHT = {"indicator": "Sociale huurwoningen verkocht"}  # BS05: stroom, neutraal
UITZETTINGEN = {"indicator": "Huisuitzettingen wegens huurachterstand", "eenheid": "aantal"}
HUUR = {"indicator": "Huursomstijging", "eenheid": "%", "nulmeting": 3.0, "streefwaarde": None}
INFLATIE = {**HUUR, "referentie": "inflatie", "doelsoort": "maximaal", "planning": "jaarlijks"}
RANGE = {"streefwaarde": 40.0, "streefwaarde_tot": 60.0}
ROOD = {"status": "rood", "toelichting": "Vertraagd."}
LATER = {"planning": "2026-2030"}  # in 2027 a total over this planning is not due yet

# (case, the row, the realisatie, the finding): what the status says against the target as
# agreed, in the year of the jaarschijf (2027). P006: gerealiseerd while the realisatie misses
# it; P007: rood while it is met for good (where the evaluation says gehaald).
VERDICTS = [
    ("minimaal gehaald", {**BOUW, "status": "gerealiseerd"}, 45.0, None),
    ("minimaal gemist", {**BOUW, "status": "gerealiseerd"}, 30.0, "P006"),
    ("maximaal over", {**BOUW, "doelsoort": "maximaal", "status": "gerealiseerd"}, 45.0, "P006"),
    (
        "ongeveer binnen 10%",
        {**BOUW, "doelsoort": "ongeveer", "status": "gerealiseerd"},
        37.0,
        None,
    ),
    (
        "ongeveer ver over",
        {**BOUW, "doelsoort": "ongeveer", "status": "gerealiseerd"},
        50.0,
        "P006",
    ),
    ("exact ernaast", {**BOUW, "doelsoort": "exact", "status": "gerealiseerd"}, 41.0, "P006"),
    ("bandbreedte binnen", {**BOUW, **RANGE, "status": "gerealiseerd"}, 50.0, None),
    ("bandbreedte erboven", {**BOUW, **RANGE, "status": "gerealiseerd"}, 70.0, "P006"),
    ("bandbreedte eronder", {**BOUW, **RANGE, "status": "gerealiseerd"}, 30.0, "P006"),
    (
        "bandbreedte als doelsoort",
        {**BOUW, **RANGE, "doelsoort": "bandbreedte", "status": "gerealiseerd"},
        70.0,
        "P006",
    ),
    ("neutraal zonder doelsoort", {**VERKOCHT, "status": "gerealiseerd"}, 60.0, None),
    (
        "neutraal met doelsoort",
        {**VERKOCHT, "doelsoort": "maximaal", "status": "gerealiseerd"},
        60.0,
        "P006",
    ),
    ("relatief zonder waarde", {**INFLATIE, "status": "gerealiseerd"}, 4.0, None),
    (
        "relatief, getal ernaast",
        {**INFLATIE, "streefwaarde": 2.0, "status": "gerealiseerd"},
        4.0,
        None,
    ),
    (
        "relatief boven de waarde",
        {**INFLATIE, "referentiewaarde": 3.1, "status": "gerealiseerd"},
        4.0,
        "P006",
    ),
    (
        "relatief onder de waarde",
        {**INFLATIE, "referentiewaarde": 3.1, "status": "gerealiseerd"},
        2.5,
        None,
    ),
    ("rood, minimaal gehaald", {**BOUW, **ROOD}, 45.0, "P007"),
    ("rood, minimaal nog niet", {**BOUW, **ROOD}, 12.0, None),
    ("rood, maximaal in totaal, loopt nog", {**UITZETTINGEN, **ROOD, **LATER}, 20.0, None),
    (
        "rood, maximaal per jaar",
        {**UITZETTINGEN, **ROOD, **LATER, "doeltermijn": "per jaar"},
        20.0,
        "P007",
    ),
    (
        "rood, maximaal, planning voorbij",
        {**UITZETTINGEN, **ROOD, "planning": "2025-2027"},
        20.0,
        "P007",
    ),
    ("rood, maximaal in totaal, al over", {**UITZETTINGEN, **ROOD, **LATER}, 50.0, None),
    ("rood, bandbreedte binnen, loopt nog", {**BOUW, **RANGE, **ROOD, **LATER}, 50.0, None),
    (
        "rood, bandbreedte binnen, per jaar",
        {**BOUW, **RANGE, **ROOD, **LATER, "doeltermijn": "per jaar"},
        50.0,
        "P007",
    ),
    ("rood, bandbreedte erboven", {**BOUW, **RANGE, **ROOD}, 70.0, None),
    ("rood, relatief zonder waarde", {**INFLATIE, **ROOD}, 2.0, None),
    ("rood, relatief eronder", {**INFLATIE, **ROOD, "referentiewaarde": 3.1}, 2.0, "P007"),
]


def with_forms(data: WorkbookData, sheet: str = "BS Linde") -> WorkbookData:
    """A copy of `data` whose new afspraken on `sheet` have the columns of the target forms."""
    data = copy.deepcopy(data)
    block = next(b for b in data.blocks if b.sheet == sheet and b.key == "nieuw")
    for key in FORM_KEYS:
        block.values.setdefault(key, [None] * len(block.values["nummer"]))
    return data


@pytest.mark.parametrize(
    ("values", "realisatie", "code"),
    [case[1:] for case in VERDICTS],
    ids=[case[0] for case in VERDICTS],
)
def test_p006_p007_judge_the_target_as_agreed_and_as_the_evaluation_does(
    spec, jaarschijf, values, realisatie, code
):
    data, row = with_row(with_forms(jaarschijf), **values, realisatie=realisatie)
    for rule in ("P006", "P007"):
        assert found(spec, data, rule, row) == ([("BS Linde", f"T{row}")] if rule == code else [])
    # The same target as the evaluation's: rood is contradicted exactly where it says gehaald.
    oordeel = judge(doel_of({**ROW, **values}, spec), realisatie, 2027).oordeel
    if values["status"] == "rood":
        assert (code == "P007") == (oordeel == GEHAALD)
    if code == "P006":
        assert oordeel != GEHAALD
    if "referentie" in values and "referentiewaarde" not in values:
        assert oordeel == NIET_TE_BEOORDELEN


@pytest.mark.parametrize(
    ("values", "realisatie", "message"),
    [
        (
            {**BOUW, "streefwaarde": 1900.0, "streefwaarde_tot": 2500.0, "doeltermijn": "per jaar"},
            2600.0,
            "Status 'gerealiseerd', maar de realisatie (2600) haalt de streefwaarde (1900 tot "
            "2500 per jaar) niet.",
        ),
        (
            {**BOUW, "streefwaarde": 12500.0, "doelsoort": "maximaal"},
            13250.5,
            "Status 'gerealiseerd', maar de realisatie (13.250,5) haalt de streefwaarde (ten "
            "hoogste 12.500) niet.",
        ),
        (
            {**INFLATIE, "referentiewaarde": 3.1},
            4.0,
            "Status 'gerealiseerd', maar de realisatie (4) haalt de streefwaarde (inflatie ten "
            "hoogste 3,1) niet.",
        ),
    ],
)
def test_p006_says_the_target_as_agreed(spec, jaarschijf, values, realisatie, message):
    data, _ = with_row(
        with_forms(jaarschijf), **values, status="gerealiseerd", realisatie=realisatie
    )
    (said,) = run_messages(spec, data, "P006")
    assert said.startswith(message)


def test_p008_realisatie_and_streefwaarde_a_hundredfold_apart(spec, jaarschijf):
    data, row = with_row(jaarschijf, realisatie=4500.0)
    assert found(spec, data, "P008", row) == [("BS Linde", f"U{row}")]
    data, row = with_row(jaarschijf, realisatie=4000.0)  # exactly 100 times: not more
    assert found(spec, data, "P008", row) == []


def test_p009_an_amount_above_a_billion(spec, jaarschijf, bod):
    data, row = with_row(jaarschijf, bijdrage=1e12)
    assert found(spec, data, "P009", row) == [("BS Linde", f"S{row}")]
    assert run_messages(spec, data, "P009") == [
        "€ 1.000.000.000.000 is meer dan 1 miljard euro. Controleer het bedrag."
    ]
    data, row = with_row(jaarschijf, bijdrage=25_000_000.0)
    assert found(spec, data, "P009", row) == []


def test_p010_a_nummer_of_another_thema(spec, jaarschijf):
    data, row = with_row(jaarschijf, nummer="VD-93")
    assert found(spec, data, "P010", row) == [("BS Linde", f"A{row}")]


def test_p011_a_lopende_afspraak_returned_without_status(spec, jaarschijf):
    assert run(spec, jaarschijf, "P011", ("BS Linde", "going_concern", "status", 0, None)) == [
        ("BS Linde", "T7")
    ]


def test_p012_an_indicator_code_that_does_not_exist(spec, jaarschijf):
    # Issue 26: BT99 silently became an own indicator, out of every total.
    data, row = with_row(jaarschijf, indicator="BT99", eenheid="EUR")
    assert found(spec, data, "P012", row) == [("BS Linde", f"K{row}")]
    (message,) = [m for m in run_messages(spec, data, "P012")]
    assert "Bedoelt u BT09 (Woningen met een huur tussen de kwaliteitskortingsgrens" in message
    # A code that exists is read as its indicator, with the notice of any word from a list.
    data, row = with_row(jaarschijf, indicator="bs01", eenheid="woningen")
    assert found(spec, data, "P012", row) == []
    context, notes, _ = normalise_workbook(data, spec)
    block = next(b for b in context.data.blocks if b.sheet == "BS Linde" and b.key == "nieuw")
    clean = context.clean[context.data.blocks.index(block)]
    assert clean["indicator"][-1] == "Nieuwbouw sociale huurwoningen opgeleverd"
    assert ("T002", f"K{row}") in {(f.code, f.cell) for f in notes}
    # An own indicator with a name is no code.
    data, row = with_row(jaarschijf, indicator="Woningen met een CO2-meter", eenheid="woningen")
    assert found(spec, data, "P012", row) == []

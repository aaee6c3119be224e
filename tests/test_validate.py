"""Validation: a filled workbook is clean, and each real mistake gives exactly its finding."""

import dataclasses
import datetime as dt

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from test_merge import cells as sheet_values
from workbook_helpers import saved_with, typed

from pa_sheets.check.findings import CODES
from pa_sheets.check.normalise import parse_date, parse_number
from pa_sheets.check.report import text_report
from pa_sheets.check.validate import validate_file, validate_paths
from pa_sheets.demo.faults import FAULTS, apply_fault
from pa_sheets.spec.planning import planning_year
from pa_sheets.workbook import meta


@pytest.fixture(scope="session")
def linde(filled):
    return filled["jaarschijf-2027-voorbeeldstad-linde.xlsx"]


@pytest.fixture(scope="module")
def linde_loaded(linde) -> Workbook:
    """Linde's filled jaarschijf loaded once: tests save a changed copy with saved_with, which
    puts the cells back."""
    return openpyxl.load_workbook(linde)


def test_filled_workbooks_are_valid_without_findings(filled, spec):
    for path in filled.values():
        report = validate_file(path, spec)
        assert report.unusable is None
        assert report.findings == [], path.name
        assert report.template["corporatie"] in (
            "Woonstichting De Linde",
            "Stadswonen Voorbeeldstad",
            "Wooncorporatie Het Baken",
        )


def test_a_workbook_returned_blank_says_nothing_is_filled_in(generated, spec):
    # Issue 26: a completely empty returned bod validated "in orde". Now every blank workbook
    # says once that nothing is filled in, instead of a P011 per lopende afspraak that only
    # the parties can act on. It stays valid (a warning): the coordinator checks blanks before
    # sending them, and rollover and split-bod go on from one.
    for path in generated.values():
        report = validate_file(path, spec)
        assert report.valid() and not report.valid(strict=True) and report.empty
        assert [(f.code, f.sheet, f.cell) for f in report.findings] == [("S040", None, None)]
        assert report.findings[0].message.startswith("Er is niets ingevuld")
    text = text_report(validate_paths(list(generated.values()), spec=spec))
    assert "  leeg: er is niets ingevuld (0 fout(en), 1 waarschuwing(en))" in text.splitlines()
    assert text.endswith("0 van 4 werkboek(en) in orde, 4 leeg (niets ingevuld).")


def test_one_status_filled_in_is_not_empty(generated, tmp_path, spec):
    # Something typed anywhere makes it a returned workbook: the other lopende afspraken
    # without a status are named one by one again.
    blank = generated["jaarschijf-2027-voorbeeldstad-linde.xlsx"]
    path = typed(
        blank, tmp_path / "een.xlsx", {("BS Linde", "going_concern", 0): {"toelichting": "loopt"}}
    )
    codes = [f.code for f in validate_file(path, spec).findings]
    assert "S040" not in codes and codes.count("P011") > 1


def test_a_bod_with_only_a_request_filled_in_is_not_empty(generated, tmp_path, spec):
    blank = generated["bod-2027-2031-voorbeeldstad-linde.xlsx"]
    path = typed(
        blank,
        tmp_path / "bod.xlsx",
        {("BS Gemeente", "wederkerigheid", 0): {"vraag": "Twee locaties voor flexwonen"}},
    )
    assert "S040" not in {f.code for f in validate_file(path, spec).findings}


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_each_mistake_gives_exactly_its_findings(fault, linde, tmp_path, spec):
    target = tmp_path / f"{fault.name}.xlsx"
    expected = apply_fault(fault, linde, target)
    report = validate_file(target, spec)
    assert report.unusable is None
    found = sorted((f.code, f.sheet, f.cell) for f in report.findings)
    assert found == sorted(expected, key=lambda item: (item[0], item[1], item[2] or ""))
    for item in report.findings:
        assert item.severity == CODES[item.code][0]
        assert item.message and "{" not in item.message


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_a_workbook_without_block_fingerprints_gives_the_same_findings(
    fault, linde, tmp_path, spec, monkeypatch
):
    """Workbooks made before _meta had them are checked row by row, with the same outcome."""
    target = tmp_path / f"{fault.name}.xlsx"
    apply_fault(fault, linde, target)
    with_block_prints = validate_file(target, spec).findings
    parse = meta.parse
    monkeypatch.setattr(
        meta, "parse", lambda rows: dataclasses.replace(parse(rows), block_prints={})
    )
    assert validate_file(target, spec).findings == with_block_prints


def test_a_finding_names_row_column_and_value(linde, tmp_path, spec):
    target = tmp_path / "type.xlsx"
    apply_fault(next(f for f in FAULTS if f.name == "ongeldig-type"), linde, target)
    [item] = validate_file(target, spec).findings
    assert item.to_dict() == {
        "severity": "error",
        "code": "V004",
        "sheet": "BT Linde",
        "cell": "M23",  # Type afspraak: after the columns that print
        "row": 23,
        "column": "Type afspraak",
        "value": "garantie",
        "message": "'garantie' staat niet in de keuzelijst. Kies uit: procesafspraak, "
        "beschrijvende afspraak, intentieafspraak, handelingsafspraak, garantieafspraak, "
        "transactieafspraak.",
    }


def test_bod_investeringen_must_match_the_tabs(filled, tmp_path, spec):
    workbook = openpyxl.load_workbook(filled["bod-2027-2031-voorbeeldstad-linde.xlsx"])
    workbook["Investeringen"]["B5"] = 999  # a total typed over the formula
    target = tmp_path / "bod.xlsx"
    workbook.save(target)
    found = [(f.code, f.sheet, f.cell) for f in validate_file(target, spec).findings]
    assert found == [("X007", "Investeringen", "B5")]


def test_newer_spec_version_is_refused(linde_loaded, tmp_path, spec):
    target = saved_with(linde_loaded, tmp_path / "nieuwer.xlsx", {("_meta", "B2"): "9.0"})
    report = validate_file(target, spec)
    assert report.unusable == (
        f"{target}: gemaakt met spec 9.0; deze pa-sheets kent spec {spec.version}. "
        "Werk pa-sheets bij."
    )


def test_a_workbook_not_made_by_pa_sheets_is_refused(tmp_path, spec):
    target = tmp_path / "eigen.xlsx"
    openpyxl.Workbook().save(target)
    assert validate_file(target, spec).unusable == (
        f"{target}: geen werkboek van pa-sheets (het verborgen blad _meta ontbreekt). "
        "Gebruik het werkboek dat de gemeente heeft gestuurd."
    )


@pytest.mark.parametrize(
    ("text", "percentage", "number"),
    [
        ("1.234,5", False, 1234.5),
        ("1234,5", False, 1234.5),
        ("EUR 2.500", False, 2500.0),  # with a euro sign: Dutch notation
        ("€ 2.500,00", False, 2500.0),
        ("1.234.567", False, 1234567.0),
        ("15%", True, 0.15),
        ("15%", False, 15.0),
        ("-3", False, -3.0),
        ("2.5", False, 2.5),
        ("1.234", False, None),
        ("1,2,3", False, None),
        ("veel", False, None),
    ],
)
def test_dutch_numbers_as_people_type_them(text, percentage, number):
    assert parse_number(text, percentage) == number


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("Q3 2027", 2027),
        ("q1-2028", 2028),
        ("2027", 2027),
        (2027.0, 2027),
        (dt.datetime(2027, 12, 31), 2027),
        ("31-12-2027", 2027),
        ("eind 2027", 2027),
        ("2024-2028", 2028),
        ("maandelijks", None),
        ("binnen afzienbare termijn", None),
        (12.5, None),
        # Deadlines (issue 26): "tot" and "vóór" exclude what follows, as in Dutch law.
        ("tot 2030", 2029),
        ("vóór 1-7-2027", 2027),
        ("vóór 2027", 2026),
        ("t/m 2028", 2028),
        ("tot en met 2028", 2028),
        ("uiterlijk 2028", 2028),
        ("Uiterlijk Q3 2027", 2027),
        ("uiterlijk 31-12-2027", 2027),
        ("voor 2027", None),  # "voor" may mean "for 2027": not read as a deadline
        ("tot uiterlijk 2028", None),
    ],
)
def test_planning_years(value, year):
    assert planning_year(value) == year


def test_a_deadline_has_no_start_of_its_own():
    from pa_sheets.spec.planning import planning_span

    span = planning_span("vóór 1-7-2027")
    assert (span.start, span.end, span.kind) == (None, dt.date(2027, 6, 30), "uiterlijk")


def test_dates_as_text():
    assert parse_date("31-12-2027") == dt.date(2027, 12, 31)
    assert parse_date("2027-12-31") == dt.date(2027, 12, 31)
    assert parse_date("31-02-2027") is None


def test_a_renamed_required_header_is_one_finding_not_one_per_row(linde_loaded, tmp_path, spec):
    from workbook_helpers import blocks

    workbook = linde_loaded
    gc = next(
        b for b in blocks(workbook) if b["blad"] == "BS Linde" and b["sleutel"] == "going_concern"
    )
    header = ("BS Linde", f"B{gc['kopregel']}")
    target = saved_with(workbook, tmp_path / "kop.xlsx", {header: "Omschrijving"})
    found = [(f.code, f.sheet, f.cell) for f in validate_file(target, spec).findings]
    assert found == [("S011", "BS Linde", None), ("S013", "BS Linde", "B6")]


def test_a_lost_header_between_two_blocks_does_not_mix_their_rows(filled, tmp_path, spec):
    """Regression: the rows under a block whose header is gone are not read as rows of the
    block above; they are named (S020) and the block itself is reported missing (S010)."""
    from workbook_helpers import blocks

    workbook = openpyxl.load_workbook(filled["bod-2027-2031-voorbeeldstad-linde.xlsx"])
    sheet = workbook["LB Linde"]
    nieuw = next(b for b in blocks(workbook) if b["blad"] == "LB Linde" and b["sleutel"] == "nieuw")
    for cell in sheet[nieuw["kopregel"]]:
        cell.value = None
    filled_rows = [
        r
        for r in range(nieuw["eerste_rij"], nieuw["laatste_rij"] + 1)
        if sheet.cell(r, 1).value is not None
    ]
    sheet.insert_rows(8, 2)  # rows inserted inside the going-concern block above
    target = tmp_path / "kop-weg.xlsx"
    workbook.save(target)
    found = [(f.code, f.row) for f in validate_file(target, spec).findings]
    assert found == [("S010", nieuw["kopregel"])] + [("S020", r + 2) for r in filled_rows]


def test_a_percentage_typed_in_excel_is_read_on_the_scale_of_its_text(spec):
    # 95% typed in Excel is 0.95 in a cell shown as a percentage; '95%' as text is 95. Both
    # are read as 95, each with a warning that says what was read. The shipped sample of this
    # fault (test_samples proves it is the fault's, at the fault's cell).
    from conftest import ROOT

    from pa_sheets.check.validate import inspect_file

    inspection = inspect_file(ROOT / "samples" / "fouten" / "percentage-als-opmaak.xlsx", spec)
    (warning,) = [f for f in inspection.report.findings if f.code == "T004"]
    sheet, cell = warning.sheet, warning.cell
    assert (sheet, warning.value) == ("BT Linde", 0.95)
    assert "gelezen als 95 (procent)" in warning.message
    block_number, block = next(
        (i, b)
        for i, b in enumerate(inspection.data.blocks)
        if b.sheet == sheet and b.key == "nieuw"
    )
    index = block.rows.index(int(cell[1:]))
    assert inspection.clean[block_number]["streefwaarde"][index] == 95.0
    assert not [f for f in inspection.report.findings if f.code == "P001" and f.cell == cell]


@pytest.mark.parametrize(
    ("cell", "value", "why"),
    [("A10", "aantal_jaren", "het gegeven 'jaren' ontbreekt"), ("B10", "twintig", "jaartallen")],
)
def test_a_changed_meta_is_named_in_dutch(linde_loaded, tmp_path, spec, cell, value, why):
    workbook = linde_loaded
    facts = [row[0].value for row in workbook["_meta"].iter_rows(max_col=1)]
    row = facts.index("jaren") + 1
    target = saved_with(workbook, tmp_path / "meta.xlsx", {("_meta", f"{cell[0]}{row}"): value})
    message = validate_file(target, spec).unusable
    assert message.startswith(f"{target}: _meta is onvolledig of gewijzigd (")
    assert why in message and message.endswith(
        "Gebruik het werkboek dat de gemeente heeft gestuurd."
    )


def test_the_verzoeken_header_asks_when_and_an_old_header_is_still_read(generated, spec):
    # Issue 26: "Gevraagd voor" was read as "for which afspraak"; it asks for a date.
    blank = sheet_values(generated["jaarschijf-2027-voorbeeldstad-linde.xlsx"])
    headers = [value for row in blank["BS Gemeente"] for value in row if value]
    assert "Nodig uiterlijk" in headers and "Gevraagd voor" not in headers
    # The shipped sample was made with the old header: read without a finding.
    from conftest import ROOT

    old = ROOT / "samples" / "ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    sample = sheet_values(old)
    assert "Gevraagd voor" in [value for row in sample["BS Gemeente"] for value in row]
    assert validate_file(old, spec).findings == []


def test_an_afspraak_nummer_typed_as_the_date_of_a_request(generated, tmp_path, spec):
    blank = generated["jaarschijf-2027-voorbeeldstad-linde.xlsx"]
    path = typed(
        blank,
        tmp_path / "verzoek.xlsx",
        {
            ("BS Gemeente", "verzoeken", 0): {"gevraagd_voor": "BS-02", "vraag": "Grond"},
            ("BS Gemeente", "verzoeken", 1): {"gevraagd_voor": "Q2 2027", "vraag": "Een locatie"},
        },
    )
    found = [
        f
        for f in validate_file(path, spec).findings
        if f.sheet == "BS Gemeente" and f.code != "P011"
    ]
    assert [(f.code, f.column) for f in found] == [("V013", "Nodig uiterlijk")]
    assert found[0].message.startswith("'BS-02' is het nummer van een afspraak, geen tijd.")

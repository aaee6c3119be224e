"""Open the generated workbooks with openpyxl and check what a user and a reader rely on."""

import datetime as dt

import openpyxl
import pytest
from conftest import BOD_YEARS, CREATED, SAMPLE
from openpyxl.utils import get_column_letter
from workbook_helpers import blocks, list_values, meta, meta_rows, validation_at

from pa_sheets.spec.model import Column, expand_header
from pa_sheets.workbook.generate import generate
from pa_sheets.workbook.layout import PlacedColumn
from pa_sheets.workbook.validation import excel_validation

THEMAS = ["BS", "BT", "VD", "WZ", "AG", "LB", "SW"]
FORBIDDEN = set("[]:*?/\\")


def test_one_workbook_per_corporatie_named_predictably(generated):
    assert sorted(generated) == [
        "bod-2027-2031-voorbeeldstad-linde.xlsx",
        "jaarschijf-2027-voorbeeldstad-baken.xlsx",
        "jaarschijf-2027-voorbeeldstad-linde.xlsx",
        "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx",
    ]


def test_tabs_per_thema_and_party_with_partner_only_for_its_themes(jaarschijf):
    expected = []
    for thema in THEMAS:
        expected += [f"{thema} Gemeente", f"{thema} Linde", f"{thema} HV Linde"]
        if thema == "WZ":
            expected.append("WZ Zorggroep")
    assert jaarschijf.sheetnames == [
        "Toelichting",
        *expected,
        "Ondertekening",
        "_lijsten",
        "_meta",
        "_vaste_tekst",
    ]
    for name in jaarschijf.sheetnames:
        assert len(name) <= 31 and not FORBIDDEN & set(name)
    assert len({n.casefold() for n in jaarschijf.sheetnames}) == len(jaarschijf.sheetnames)


def test_the_fixed_texts_continue_on_a_next_sheet(generated, spec, tmp_path, monkeypatch):
    """Past meta.FIXED_TEXT_ROWS going-concern rows the fixed texts go on _vaste_tekst_2, ...
    (each sheet stays within what the safety check vouches for at once); read_fixed_texts
    finds the same texts as from one sheet."""
    from pa_sheets.check.read import read_fixed_texts
    from pa_sheets.check.validate import validate_file
    from pa_sheets.workbook import meta as meta_module

    one_sheet = read_fixed_texts(generated["jaarschijf-2027-voorbeeldstad-linde.xlsx"])
    monkeypatch.setattr(meta_module, "FIXED_TEXT_ROWS", 7)
    (path,) = generate(
        "jaarschijf", SAMPLE, (2027,), tmp_path, ["Linde"], spec=spec, created=CREATED
    )
    workbook = openpyxl.load_workbook(path)
    names = [n for n in workbook.sheetnames if n.startswith("_vaste_tekst")]
    assert names == ["_vaste_tekst"] + [f"_vaste_tekst_{n}" for n in range(2, len(names) + 1)]
    assert len(names) == -(-len(one_sheet) // 7) > 1
    for name in names:
        sheet = workbook[name]
        assert sheet.sheet_state == "veryHidden" and sheet.protection.sheet
        assert [c.value for c in sheet[1]][:2] == ["blad", "sleutel"]
        assert 1 < sheet.max_row <= 8
    assert read_fixed_texts(path) == one_sheet
    report = validate_file(path, spec)  # no structure finding: the sheets are known
    assert not report.unusable and {f.code for f in report.findings} == {"S040"}  # blank


def test_meta_is_very_hidden_and_describes_the_workbook(jaarschijf, spec):
    assert jaarschijf["_meta"].sheet_state == "veryHidden"
    assert jaarschijf["_vaste_tekst"].sheet_state == "veryHidden"
    assert jaarschijf["_lijsten"].sheet_state == "hidden"
    facts = meta(jaarschijf)
    assert facts == {
        "soort": "jaarschijf",
        "spec_versie": spec.version,
        "spec_hash": spec.hash,
        "pa_sheets_versie": "0.1.0",
        "aangemaakt": "2026-09-01T12:00:00",
        "gemeente": "Voorbeeldstad",
        "gemeente_code": "GM9001",
        "corporatie": "Woonstichting De Linde",
        "corporatie_kort": "Linde",
        "l_nummer": "L1234",
        "jaren": "2027",
        "periode": "2026-2030",
        "inleverdatum": "2026-10-01",
    }
    parties = [row[1:5] for row in meta_rows(jaarschijf, "partij")]
    assert parties == [
        ("gemeente", "Gemeente Voorbeeldstad", "Gemeente", "GM9001"),
        ("corporatie", "Woonstichting De Linde", "Linde", "L1234"),
        ("huurdersorganisatie", "Huurdersvereniging De Linde", "HV Linde", None),
        ("overig", "Zorggroep Voorbeeldstad", "Zorggroep", None),
    ]


@pytest.mark.parametrize("kind", ["jaarschijf", "bod"])
def test_headers_in_the_workbook_are_the_spec_headers_where_meta_says(kind, jaarschijf, bod, spec):
    workbook = {"jaarschijf": jaarschijf, "bod": bod}[kind]
    template = spec.templates[kind]
    years = (2027,) if kind == "jaarschijf" else BOD_YEARS
    found = blocks(workbook)
    assert found, "geen blokken in _meta"
    for entry in found:
        block = template.block(entry["sleutel"])
        expected_keys, expected_headers = [], []
        for key in block.columns:
            column = spec.columns[key]
            for year in years if column.per_jaar else (None,):
                expected_keys.append(f"{key}_{year}" if year else key)
                required = column.required and key not in block.fixed
                expected_headers.append(
                    expand_header(column.header, year) + (" *" if required else "")
                )
        assert entry["kolommen"].split(",") == expected_keys
        sheet = workbook[entry["blad"]]
        row = next(
            sheet.iter_rows(
                min_row=entry["kopregel"],
                max_row=entry["kopregel"],
                max_col=len(expected_headers),
                values_only=True,
            )
        )
        assert list(row) == expected_headers, (entry["blad"], entry["sleutel"])
        assert sheet.cell(entry["kopregel"] - 2, 1).value == block.titel


def test_going_concern_rows_are_prefilled_and_locked_except_the_report(jaarschijf):
    sheet = jaarschijf["BS Linde"]
    gc = next(
        b for b in blocks(jaarschijf) if b["blad"] == "BS Linde" and b["sleutel"] == "going_concern"
    )
    assert (gc["kopregel"], gc["eerste_rij"], gc["laatste_rij"], gc["vaste_rijen"]) == (6, 7, 7, 1)
    keys = gc["kolommen"].split(",")
    row = {key: sheet.cell(7, i + 1) for i, key in enumerate(keys)}
    assert row["nummer"].value == "BS-01"
    assert row["soort"].value == "going concern"
    assert row["trekker"].value == "Woonstichting De Linde"
    assert row["indicator"].value == "Nieuwbouw sociale huurwoningen opgeleverd"
    assert row["streefwaarde"].value == 60
    assert row["planning"].value == "2030"
    for key in ("nummer", "afspraak", "type", "trekker", "streefwaarde", "planning"):
        assert row[key].protection.locked, key
    for key in ("status", "realisatie", "toelichting"):
        assert not row[key].protection.locked, key
    assert sheet["A6"].protection.locked  # header


def test_rows_for_one_corporatie_only_reach_its_workbook(generated):
    for name, expected in [("linde", "VD-01"), ("baken", "Geen lopende afspraken op dit tabblad.")]:
        path = generated[f"jaarschijf-2027-voorbeeldstad-{name}.xlsx"]
        workbook = openpyxl.load_workbook(path, read_only=True)  # one value
        sheet_name = "VD Linde" if name == "linde" else "VD Baken"
        assert workbook[sheet_name]["A7"].value == expected
        workbook.close()


def test_empty_going_concern_block_says_so_and_has_no_rows(jaarschijf):
    gc = next(
        b
        for b in blocks(jaarschijf)
        if b["blad"] == "BS HV Linde" and b["sleutel"] == "going_concern"
    )
    assert gc["laatste_rij"] == gc["kopregel"] and gc["vaste_rijen"] == 0
    assert jaarschijf["BS HV Linde"].cell(gc["eerste_rij"], 1).value == (
        "Geen lopende afspraken op dit tabblad."
    )


def _nieuw(workbook, sheet_name):
    entry = next(b for b in blocks(workbook) if b["blad"] == sheet_name and b["sleutel"] == "nieuw")
    columns = {key: get_column_letter(i + 1) for i, key in enumerate(entry["kolommen"].split(","))}
    return entry, columns


def test_new_block_has_dropdowns_from_the_lists(jaarschijf, spec):
    sheet = jaarschijf["BT Gemeente"]
    entry, col = _nieuw(jaarschijf, "BT Gemeente")
    first, last = entry["eerste_rij"], entry["laatste_rij"]
    assert last - first + 1 == 25
    expected = {
        "type": spec.list_values("types"),
        "soort": ["going concern", "nieuw"],
        "status": [
            "groen",
            "oranje",
            "rood",
            "niet gestart",
            "gerealiseerd",
            "vervallen",
            "agree to disagree",
        ],
        "eenheid": spec.list_values("eenheden"),
        "indicator": spec.list_values("indicatoren"),
        "trekker": [
            "Gemeente Voorbeeldstad",
            "Woonstichting De Linde",
            "Huurdersvereniging De Linde",
            "Zorggroep Voorbeeldstad",
        ],
    }
    for key, values in expected.items():
        for row in (first, last):
            validation = validation_at(sheet, f"{col[key]}{row}")
            assert validation is not None and validation.type == "list", key
            assert list_values(jaarschijf, validation.formula1) == values, key
            assert validation.showInputMessage and validation.prompt
    assert validation_at(sheet, f"{col['type']}{last + 1}") is None
    assert validation_at(sheet, f"{col['indicator']}{first}").errorStyle == "information"
    assert validation_at(sheet, f"{col['type']}{first}").errorStyle in (None, "stop")


def test_new_block_checks_numbers_years_and_lengths(jaarschijf):
    sheet = jaarschijf["BT Gemeente"]
    entry, col = _nieuw(jaarschijf, "BT Gemeente")
    row = entry["eerste_rij"]
    checks = {
        "bijdrage": ("decimal", "between", "0", "1000000000000000"),
        "nulmeting_jaar": ("whole", "between", "2000", "2100"),
        "afspraak": ("textLength", "lessThanOrEqual", "2000", None),
        "nummer": ("textLength", "lessThanOrEqual", "8", None),
    }
    for key, (kind, operator, low, high) in checks.items():
        validation = validation_at(sheet, f"{col[key]}{row}")
        # OOXML leaves out "between", its default operator.
        assert (validation.type, validation.operator or "between") == (kind, operator), key
        assert float(validation.formula1) == float(low), key
        if high is not None:
            assert float(validation.formula2) == float(high), key
        assert validation.showErrorMessage and validation.error, key
    assert "Q3 2027" in validation_at(sheet, f"{col['planning']}{row}").prompt


def test_a_measure_is_checked_against_the_eenheid_of_its_row(jaarschijf, spec):
    # nulmeting, streefwaarde and realisatie: a number inside the bereik of the eenheid typed
    # in the same row, whole where it counts whole things; a warning, since a standard
    # indicator may have its own bereik (a huursomstijging may be negative).
    sheet = jaarschijf["BT Gemeente"]
    entry, col = _nieuw(jaarschijf, "BT Gemeente")
    row, unit = entry["eerste_rij"], f"${col['eenheid']}{entry['eerste_rij']}"
    for key in ("nulmeting", "streefwaarde", "realisatie"):
        validation = validation_at(sheet, f"{col[key]}{row}")
        cell = f"{col[key]}{row}"
        assert (validation.type, validation.errorStyle) == ("custom", "warning"), key
        assert validation.formula1 == (
            f"AND(ISNUMBER({cell}),"
            f"{cell}>=IFERROR(VLOOKUP({unit},Eenheden,2,0),-1000000000000000),"
            f"{cell}<=IFERROR(VLOOKUP({unit},Eenheden,3,0),1000000000000000),"
            f"OR(IFERROR(VLOOKUP({unit},Eenheden,4,0),0)=0,{cell}=INT({cell})))"
        ), key
    area = jaarschijf.defined_names["Eenheden"].attr_text
    table = jaarschijf["_lijsten"][area.split("!")[1].replace("$", "")]
    bereik = {r[0].value: (r[1].value, r[2].value, r[3].value) for r in table}
    assert bereik["rapportcijfer"] == (1, 10, 0)
    assert bereik["%"] == (0, 100, 0)
    assert bereik["woningen"][0] == 0 and bereik["woningen"][2] == 1
    assert set(bereik) == {unit.naam for unit in spec.eenheden}


def test_every_input_cell_is_unlocked_and_every_tab_protected(jaarschijf, spec):
    # Last year's status, and an aandeel (spec 1.6: from the config, for lopende afspraken only):
    # locked.
    fixed = spec.templates["jaarschijf"].block("nieuw").fixed
    assert fixed == {"status_vorig", "realisatie_vorig", "aandeel"}
    for entry in blocks(jaarschijf):
        sheet = jaarschijf[entry["blad"]]
        assert sheet.protection.sheet and not sheet.protection.password
        if entry["sleutel"] != "nieuw":
            continue
        for i, key in enumerate(entry["kolommen"].split(",")):
            for row in (entry["eerste_rij"], entry["laatste_rij"]):
                assert sheet.cell(row, i + 1).protection.locked == (key in fixed), key
    for name in ("Toelichting", "_lijsten", "_meta"):
        assert jaarschijf[name].protection.sheet


def test_frozen_header_print_setup_and_status_colours(jaarschijf):
    sheet = jaarschijf["BT Linde"]
    assert sheet.freeze_panes == "B7"
    assert sheet.page_setup.orientation == "landscape"
    # One page wide (openpyxl reads the default, 1, as None), as many down as it needs: on
    # paper the columns up to Toelichting, the details after it stay on screen.
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.page_setup.paperSize == 9 and sheet.oddFooter.right.text == "Pagina &P van &N"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$6:$6" and sheet.print_title_cols == "$A:$A"
    assert sheet.print_area.split(":")[-1].startswith("$J$")  # J: Toelichting
    assert sheet["J6"].value == "Toelichting"
    assert sheet.column_dimensions["B"].width > 40
    rules = [rule for cf in sheet.conditional_formatting for rule in cf.rules]
    statuses = [
        "groen",
        "oranje",
        "rood",
        "niet gestart",
        "gerealiseerd",
        "vervallen",
        "agree to disagree",
    ]
    # One rule per status on the status column of each of the two blocks.
    assert sorted(rule.formula[0] for rule in rules) == sorted([f'"{s}"' for s in statuses] * 2)


def test_cover_sheet_names_parties_deadline_and_links_every_tab(jaarschijf):
    cover = jaarschijf["Toelichting"]
    values = {row[0]: row[1] for row in cover.iter_rows(max_col=2, values_only=True) if row[0]}
    assert values["Gemeente"] == "Gemeente Voorbeeldstad (GM9001)"
    assert values["Corporatie"] == "Woonstichting De Linde (L1234)"
    assert values["Terugsturen vóór"] == dt.datetime(2026, 10, 1)
    links = {cell.hyperlink.location for row in cover.iter_rows() for cell in row if cell.hyperlink}
    tabs = [
        n
        for n in jaarschijf.sheetnames
        if n not in ("Toelichting", "_lijsten", "_meta", "_vaste_tekst")
    ]
    assert links == {f"'{name}'!A1" for name in tabs}
    assert jaarschijf.active.title == "Toelichting"


def test_same_config_gives_the_same_cells(tmp_path, spec):
    first = generate(
        "jaarschijf", SAMPLE, (2027,), tmp_path / "a", ["Baken"], spec=spec, created=CREATED
    )[0]
    second = generate(
        "jaarschijf",
        SAMPLE,
        (2027,),
        tmp_path / "b",
        ["Baken"],
        spec=spec,
        created=CREATED + dt.timedelta(days=3),
    )[0]
    a, b = openpyxl.load_workbook(first), openpyxl.load_workbook(second)
    assert a.sheetnames == b.sheetnames
    differences = [
        (name, ca.coordinate)
        for name in a.sheetnames
        for ra, rb in zip(a[name].iter_rows(), b[name].iter_rows(), strict=True)
        for ca, cb in zip(ra, rb, strict=True)
        if ca.value != cb.value
    ]
    assert differences == [("_meta", "B5")]  # aangemaakt


def test_text_from_the_config_is_never_a_formula(tmp_path, spec):
    config = SAMPLE.read_text(encoding="utf-8").replace(
        "afspraak: De lokale driehoek komt vier keer per jaar bestuurlijk bijeen.",
        'afspraak: "=HYPERLINK(\\"http://example.invalid\\")"',
    )
    path = tmp_path / "config.yaml"
    path.write_text(config, encoding="utf-8")
    out = generate("jaarschijf", path, (2027,), tmp_path, ["Linde"], spec=spec)[0]
    cell = openpyxl.load_workbook(out)["SW Gemeente"]["B7"]
    assert cell.value == '=HYPERLINK("http://example.invalid")'
    assert cell.data_type == "s"


def test_bod_has_year_columns_leefbaarheid_and_wederkerigheid_where_they_belong(bod):
    keys_by_sheet: dict[str, list[str]] = {}
    for entry in blocks(bod):
        keys_by_sheet.setdefault(entry["blad"], []).append(entry["sleutel"])
    assert keys_by_sheet["LB Linde"] == ["going_concern", "nieuw", "leefbaarheid"]
    assert keys_by_sheet["BS Linde"] == ["going_concern", "nieuw"]
    for name in ("BS Gemeente", "BS HV Linde", "WZ Zorggroep"):
        assert keys_by_sheet[name] == ["going_concern", "nieuw", "wederkerigheid"]
    headers = [c.value for c in bod["BS Linde"][6]]
    assert headers[7:17] == [f"Aantal {y}" for y in BOD_YEARS] + [
        f"Investering {y} (EUR)" for y in BOD_YEARS
    ]
    assert meta(bod)["jaren"] == "2027-2031" and meta(bod)["inleverdatum"] == "2026-07-01"


def test_bod_investeringen_adds_up_each_thema_and_year_with_formulas(bod):
    sheet = bod["Investeringen"]
    assert [c.value for c in sheet[4]] == ["Thema", *map(str, BOD_YEARS), "Totaal"]
    assert sheet["A5"].value == "BS Beschikbaarheid"
    # The corporatie's own investments per thema; what it asks of the gemeente and the
    # huurdersorganisatie stands apart, per party, below.
    for name, cell in (("BS Linde", "B5"), ("BS Gemeente", "B17"), ("BS HV Linde", "B18")):
        gc = next(b for b in blocks(bod) if b["blad"] == name and b["sleutel"] == "nieuw")
        column = get_column_letter(gc["kolommen"].split(",").index("investering_2027") + 1)
        area = f"'{name}'!${column}${gc['eerste_rij']}:${column}${gc['laatste_rij']}"
        assert area in sheet[cell].value
        assert (area in sheet["B5"].value) == (name == "BS Linde")
    assert sheet["A17"].value == "Gemeente Voorbeeldstad"
    assert sheet["A18"].value == "Huurdersvereniging De Linde"
    lb_2027 = sheet["B10"].value
    leef = next(
        b for b in blocks(bod) if b["blad"] == "LB Linde" and b["sleutel"] == "leefbaarheid"
    )
    column = get_column_letter(leef["kolommen"].split(",").index("budget_2027") + 1)
    assert f"'LB Linde'!${column}${leef['eerste_rij']}:${column}${leef['laatste_rij']}" in lb_2027
    assert sheet["G5"].value == "=SUM(B5:F5)"
    assert sheet["A12"].value == "Totaal" and sheet["B12"].value == "=SUM(B5:B11)"


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (
            Column("aandeel", "Aandeel", "percentage"),
            {
                "validate": "decimal",
                "minimum": 0,
                "maximum": 1,
                "error_message": "Vul een percentage in tussen 0% en 100%, bijv. 15%.",
            },
        ),
        (
            Column("datum", "Datum", "date"),
            {
                "validate": "date",
                "minimum": dt.date(2000, 1, 1),
                "maximum": dt.date(2100, 12, 31),
                "error_message": "Vul een datum in, bijv. 31-12-2027.",
            },
        ),
        (
            Column("aantal", "Aantal", "integer", min=0, max=500),
            {
                "validate": "integer",
                "minimum": 0,
                "maximum": 500,
                "error_message": "Vul een geheel getal in tussen 0 en 500, zonder tekst.",
            },
        ),
        (
            Column("planning", "Planning", "planning", message="Q3 2027"),
            {"validate": "any", "input_message": "Q3 2027"},
        ),
    ],
)
def test_each_spec_type_maps_to_its_excel_rule(column, expected):
    placed = PlacedColumn(column, column.key, column.header, column.message, None, 0, False)
    rule = excel_validation(placed, None)
    assert {key: rule[key] for key in expected} == expected
    assert rule["input_title"] == column.header

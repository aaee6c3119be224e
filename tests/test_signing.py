"""The Ondertekening (spec 1.4): a row per party in the jaarschijf, checked by validate, and a
workbook where every party signs is getekend."""

import datetime as dt
import functools
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from openpyxl.workbook.workbook import Workbook
from workbook_helpers import list_values, meta_rows, saved_with, validation_at

from pa_sheets.check.findings import Report
from pa_sheets.check.report import json_report, text_report
from pa_sheets.check.validate import validate_file

FILLED = ROOT / "samples" / "ingevuld"
LINDE = FILLED / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
BAKEN = FILLED / "jaarschijf-2027-voorbeeldstad-baken.xlsx"
OLD = ROOT / "samples" / "oud"
SHEET = "Ondertekening"
COLUMNS = {
    "partij": "A",
    "rol": "B",
    "tekent_voor": "C",
    "akkoord": "D",
    "datum": "E",
    "naam": "F",
    "functie": "G",
    "voorbehoud": "H",
    "niet_getekend": "I",
}
ROWS = {"gemeente": 7, "corporatie": 8, "huurdersorganisatie": 9, "partner": 10}


def test_the_jaarschijf_has_a_row_per_party_with_fixed_names(jaarschijf):
    sheet = jaarschijf[SHEET]
    assert [sheet[f"A{row}"].value for row in ROWS.values()] == [
        "Gemeente Voorbeeldstad",
        "Woonstichting De Linde",
        "Huurdersvereniging De Linde",
        "Zorggroep Voorbeeldstad",
    ]
    # A partner signs only for its own themas; the others for all.
    assert [sheet[f"C{row}"].value for row in ROWS.values()] == ["alle thema's"] * 3 + ["WZ"]
    assert sheet.protection.sheet
    assert sheet["A7"].protection.locked and not sheet["D7"].protection.locked
    validation = validation_at(sheet, "D7")
    assert validation.type == "list"
    assert list_values(jaarschijf, validation.formula1) == [
        "akkoord",
        "akkoord met voorbehoud",
        "geen akkoord",
    ]
    assert validation_at(sheet, "E10").type == "date"
    (row,) = meta_rows(jaarschijf, "ondertekening")
    assert row[1] == SHEET


def test_a_bod_is_not_signed(bod):
    assert SHEET not in bod.sheetnames


def test_the_samples_are_signed_and_say_so(spec):
    report = validate_file(BAKEN, spec)
    assert report.valid() and report.getekend
    parties = report.signing.parties
    huurders = next(p for p in parties if p.rol == "Huurdersorganisatie")
    assert huurders.akkoord == "akkoord met voorbehoud" and huurders.niet_getekend == ("BT",)
    assert huurders.datum.startswith("2026-12-")
    data = json.loads(json_report(Report([report])))["files"][0]
    assert data["getekend"] is True and len(data["ondertekening"]) == 4
    (huurders_json,) = [p for p in data["ondertekening"] if p["rol"] == "Huurdersorganisatie"]
    assert list(huurders_json) == [
        "partij",
        "rol",
        "tekent_voor",
        "akkoord",
        "datum",
        "naam",
        "functie",
        "voorbehoud",
        "niet_getekend",
    ]
    assert huurders_json["niet_getekend"] == ["BT"] and huurders_json["datum"] == huurders.datum
    assert "getekend: alle 4 partijen akkoord (1 met voorbehoud)" in text_report(Report([report]))


def test_older_workbooks_still_validate_without_an_ondertekening(spec):
    report = validate_file(OLD / "jaarschijf-2027-voorbeeldstad-baken-spec-1.3.xlsx", spec)
    assert report.valid() and report.template["spec_versie"] == "1.3"
    assert report.signing is None and not report.getekend
    assert json.loads(json_report(Report([report])))["files"][0]["getekend"] is None


@functools.cache
def _linde() -> Workbook:
    return openpyxl.load_workbook(LINDE)


def _signed(tmp_path: Path, cells: dict[str, object]) -> Path:
    """A copy of the signed Linde sample with cells of the Ondertekening typed over (one loaded
    workbook serves every copy)."""
    changes = {(SHEET, cell): value for cell, value in cells.items()}
    return saved_with(_linde(), tmp_path / LINDE.name, changes)


def _codes(report) -> set[tuple[str, str]]:
    return {(f.code, f.cell) for f in report.findings}


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"D9": "akkoord met voorbehoud"}, ("O001", "H9")),
        ({"F7": None}, ("O002", "F7")),
        ({"E8": None}, ("O003", "E8")),
        ({"E7": dt.datetime(2027, 1, 5)}, ("O005", "E7")),  # late, still publishable
        ({"E7": dt.datetime(2028, 1, 5)}, ("O004", "E7")),
        ({"E7": dt.datetime(2025, 12, 1)}, ("O004", "E7")),
        ({"E7": dt.datetime(2026, 12, 20)}, ("O005", "E7")),
        ({"I9": "BT, XX"}, ("O006", "I9")),
        ({"I7": "BT"}, ("O007", "I7")),
        ({"H8": "Alleen als de subsidie doorgaat."}, ("O008", "D8")),
        ({"D10": None}, ("O009", "D10")),
        ({"D10": "ja hoor"}, ("O010", "D10")),
        ({"E8": "geen idee"}, ("V008", "E8")),
    ],
)
def test_signing_findings(spec, tmp_path, cells, expected):
    report = validate_file(_signed(tmp_path, cells), spec)
    assert expected in _codes(report)
    assert all(f.sheet == SHEET for f in report.findings)
    # An error in the Ondertekening: not getekend, even where every party chose akkoord.
    assert not (report.errors and report.getekend)
    if report.errors and all(p.akkoord for p in report.signing.parties):
        text = text_report(Report([report]))
        assert "nog niet getekend: de ondertekening is nog niet in orde" in text


def test_a_date_typed_as_text_is_read_and_a_party_without_akkoord_is_not_signed(spec, tmp_path):
    report = validate_file(_signed(tmp_path, {"E7": "10-12-2026", "D8": "geen akkoord"}), spec)
    assert ("T003", "E7") in _codes(report)
    assert not report.getekend
    text = text_report(Report([report]))
    assert "nog niet getekend: geen akkoord van Woonstichting De Linde" in text
    report = validate_file(_signed(tmp_path, {"D9": None, "E9": None, "F9": None}), spec)
    assert report.valid() and not report.getekend
    assert "nog open bij Huurdersvereniging De Linde" in text_report(Report([report]))


def test_agree_to_disagree_needs_its_reason(spec, tmp_path):
    report = validate_file(FILLED / "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx", spec)
    assert report.valid()
    workbook = openpyxl.load_workbook(FILLED / "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx")
    found = [
        (sheet.title, cell.row, cell.column)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == "agree to disagree"
    ]
    assert len([f for f in found if f[0] not in ("_lijsten", "Toelichting")]) == 1
    sheet, row, col = next(f for f in found if f[0] not in ("_lijsten", "Toelichting"))
    workbook[sheet].cell(row, col + 2).value = None  # the toelichting, two columns on
    path = tmp_path / "oneens.xlsx"
    workbook.save(path)
    assert "V009" in {f.code for f in validate_file(path, spec).findings}


def test_merge_and_evaluate_say_per_corporatie_who_signed(spec, tmp_path):
    from test_merge import cells, table

    from pa_sheets.cycle.evaluate import evaluate_paths
    from pa_sheets.cycle.evaluation_text import text_evaluation
    from pa_sheets.cycle.evaluation_workbook import write_evaluation
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.merge.overview import write_overview

    old = OLD / "jaarschijf-2027-voorbeeldstad-baken-spec-1.3.xlsx"
    paths = [LINDE, FILLED / "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx", old]
    unsigned = _signed(tmp_path, {"D8": "geen akkoord", "D9": None, "E9": None, "F9": None})
    paths[0] = unsigned
    merged = merge_paths(paths, spec=spec, workers=1)
    overview = write_overview(merged, tmp_path / "overzicht.xlsx")
    sheets = cells(overview)
    header, rows = table(sheets["Samenvatting"], "Ondertekening per corporatie")
    assert header[:4] == ["Corporatie", "Getekend", "Partijen", "Akkoord"]
    by_name = {row[0]: row for row in rows}
    assert by_name["Woonstichting De Linde"][1:4] == ["nee", 4, 2]
    assert by_name["Woonstichting De Linde"][5:] == [
        "Woonstichting De Linde",
        "Huurdersvereniging De Linde",
    ]
    assert by_name["Stadswonen Voorbeeldstad"][1:4] == ["ja", 4, 4]
    assert by_name["Wooncorporatie Het Baken"][1] == "onbekend"  # spec 1.3: no Ondertekening
    header, parties = table(sheets["Ondertekening"], "Ondertekening per partij")
    assert len(parties) == 8 and "Datum" in header
    assert all(row[header.index("Datum")].endswith("-2026") for row in parties if row[4])
    # Read back from the overview, evaluate says the same as from the workbooks.
    from_overview = evaluate_paths([overview], spec=spec)
    from_workbooks = evaluate_paths(paths, spec=spec)
    assert from_overview.signing.rows == from_workbooks.signing.rows
    text = text_evaluation(from_overview)
    assert "Woonstichting De Linde: getekend nee (2 van 4 partijen akkoord)" in text
    written = cells(write_evaluation(from_overview, tmp_path / "evaluatie.xlsx", spec))
    assert written["Ondertekening"][3][:2] == ["Woonstichting De Linde", "nee"]


def test_next_years_jaarschijf_is_signed_anew_and_agree_to_disagree_carries_over(spec, rolled_over):
    # Stadswonen's jaarschijf 2027 (conftest's rolled_over: the samples rolled over to 2028).
    (path,) = [
        p for p in rolled_over[0] if p.name == "jaarschijf-2028-voorbeeldstad-stadswonen.xlsx"
    ]
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SHEET]
    assert sheet["A7"].value == "Gemeente Voorbeeldstad"
    assert all(sheet[f"{col}{row}"].value is None for col in "DEFGHI" for row in ROWS.values())
    report = validate_file(path, spec)
    assert report.valid() and not report.getekend
    # The afspraak they did not agree on is still there, with last year's status to show it.
    vorig = [
        cell.value
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value == "agree to disagree"
        and ws.title not in ("_lijsten", "Toelichting", "_vaste_tekst")
    ]
    assert vorig == ["agree to disagree"]

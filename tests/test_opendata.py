"""The open data as a Frictionless Data Package (cycle/opendata.py): frictionless-py's own
validation passes, every column has its type, whole numbers are whole, only public columns
unless the coordinator chooses more, and the CSV opens in Excel with its accents."""

import csv
import io
import json

import pytest
from conftest import PUBLISHED, ROOT
from frictionless import Package, validate

from pa_sheets.cycle.opendata import (
    AFSPRAAK_COLUMNS,
    HERKOMST,
    PACKAGE_FILE,
    RESOURCES,
    SCHEMA_VERSION,
)
from pa_sheets.cycle.publish import publish_paths

JAARSCHIJVEN = sorted((ROOT / "samples" / "ingevuld").glob("jaarschijf-*.xlsx"))


@pytest.fixture(scope="module")
def folder(spec, tmp_path_factory):
    out = tmp_path_factory.mktemp("open")
    publish_paths(JAARSCHIJVEN, out, spec=spec, created=PUBLISHED)
    return out


def rows_of(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def descriptor(folder):
    return json.loads((folder / PACKAGE_FILE).read_text(encoding="utf-8"))


def test_the_package_validates_with_frictionless(folder):
    report = validate(str(folder / PACKAGE_FILE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = descriptor(folder)
    assert package["schema_versie"] == SCHEMA_VERSION
    assert [r["name"] for r in package["resources"]] == list(RESOURCES)
    for resource in package["resources"]:
        assert resource["schema"]["primaryKey"]
        assert all(field["type"] for field in resource["schema"]["fields"])
        assert (folder / resource["path"]).read_bytes().startswith(b"\xef\xbb\xbf")  # BOM


def test_frictionless_finds_a_number_written_wrong(folder, tmp_path):
    """The check bites: a year written as a float breaks the package."""
    for path in folder.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    afspraken = next(tmp_path.glob("*-afspraken.csv"))
    text = afspraken.read_text(encoding="utf-8-sig").replace(",2027,", ",2027.0,", 1)
    afspraken.write_text(text, encoding="utf-8-sig")
    report = validate(str(tmp_path / PACKAGE_FILE))
    assert not report.valid
    assert "type-error" in {
        error[2] for error in report.flatten(["rowNumber", "fieldName", "type"])
    }


def test_columns_types_and_whole_numbers(folder):
    package = Package(str(folder / PACKAGE_FILE))
    fields = {f.name: f for f in package.get_resource("afspraken").schema.fields}
    assert list(fields) == list(AFSPRAAK_COLUMNS)
    assert fields["jaar"].type == fields["nulmeting_jaar"].type == "integer"
    assert fields["planning_van"].type == fields["planning_tot"].type == "date"
    assert fields["bijdrage"].to_dict()["unit"] == "EUR"
    assert "groen" in fields["status"].constraints["enum"]
    assert fields["gemeente_code"].constraints["pattern"] == "^GM[0-9]{4}$"
    rows = rows_of(next(folder.glob("*-afspraken.csv")))
    assert {r["gemeente_code"] for r in rows} == {"GM9001"} and {r["jaar"] for r in rows} == {
        "2027"
    }
    assert not any(value.endswith(".0") for row in rows for value in row.values())
    coded = [r for r in rows if r["indicator"]]
    assert coded and all(r["indicator_code"] for r in coded if r["indicator_code"])
    assert any(r["planning_van"] for r in rows)
    resource = package.get_resource("afspraken")
    typed = resource.read_rows()
    assert isinstance(typed[0]["jaar"], int)


def test_provenance_and_toelichting_only_when_chosen(spec, tmp_path):
    out = tmp_path / "web"
    publish_paths(
        JAARSCHIJVEN[:1], out, spec=spec, created=PUBLISHED, toelichting=True, herkomst=True
    )
    rows = rows_of(next(out.glob("*-afspraken.csv")))
    assert {*HERKOMST, "toelichting"} <= set(rows[0])
    assert any(r["toelichting"] for r in rows)
    report = validate(str(out / PACKAGE_FILE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_every_csv_starts_with_one_byte_order_mark_then_its_header(folder):
    """With the mark, Excel reads the file as UTF-8 (without it, as Windows-1252: 'é' shows
    as 'Ã©'); every other reader skips it."""
    for path in folder.glob("*.csv"):
        data = path.read_bytes()
        assert data[:3] == b"\xef\xbb\xbf"
        text = data[3:].decode("utf-8")
        assert "\ufeff" not in text
        assert next(csv.reader(io.StringIO(text)))[0] == "gemeente_code"

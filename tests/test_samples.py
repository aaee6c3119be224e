"""The shipped samples: the filled ones are valid, each one with a mistake gives its finding.
Regenerate them with python tests/make_samples.py.

These are also the end-to-end check of each mistake in `pytest -m "not slow"`, which leaves out
test_validate's own (the same faults applied to a freshly filled workbook, saved and validated)."""

import openpyxl
import pytest
from conftest import ROOT

from pa_sheets.check.findings import CODES
from pa_sheets.check.validate import validate_file
from pa_sheets.demo.faults import FAULTS, Book

SAMPLES = ROOT / "samples"
LINDE = SAMPLES / "ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx"


def test_filled_samples_are_valid(spec):
    paths = sorted((SAMPLES / "ingevuld").glob("*.xlsx"))
    assert len(paths) == 4
    for path in paths:
        assert validate_file(path, spec).findings == [], path.name


@pytest.fixture(scope="module")
def scratch() -> dict:
    """Linde's sample loaded once, for the faults to type into in turn (nothing is saved): what
    a fault expects follows from the sample's _meta (Book.info, which no fault changes), not
    from what an earlier fault typed, so one load serves them all. The one holder is refilled
    when a fault renamed or deleted a sheet that a later one types into."""
    sample = openpyxl.load_workbook(LINDE)
    return {"sample": sample, "sheets": list(sample.sheetnames)}


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_each_fault_sample_gives_its_codes(fault, scratch, spec):
    path = SAMPLES / "fouten" / f"{fault.name}.xlsx"
    assert path.exists(), "draai python tests/make_samples.py"
    if scratch["sample"].sheetnames != scratch["sheets"]:
        scratch["sample"] = openpyxl.load_workbook(LINDE)
    expected = fault.edit(Book(scratch["sample"]))  # its findings, nothing saved
    report = validate_file(path, spec)
    found = sorted((f.code, f.sheet, f.cell) for f in report.findings)
    assert found == sorted(expected, key=lambda item: (item[0], item[1], item[2] or ""))
    for item in report.findings:  # as test_validate checks them, which `not slow` leaves out
        assert item.severity == CODES[item.code][0]
        assert item.message and "{" not in item.message

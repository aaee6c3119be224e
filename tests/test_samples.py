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


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_each_fault_sample_gives_its_codes(fault, spec):
    path = SAMPLES / "fouten" / f"{fault.name}.xlsx"
    assert path.exists(), "draai python tests/make_samples.py"
    expected = fault.edit(Book(openpyxl.load_workbook(LINDE)))  # its findings, nothing saved
    report = validate_file(path, spec)
    found = sorted((f.code, f.sheet, f.cell) for f in report.findings)
    assert found == sorted(expected, key=lambda item: (item[0], item[1], item[2] or ""))
    for item in report.findings:  # as test_validate checks them, which `not slow` leaves out
        assert item.severity == CODES[item.code][0]
        assert item.message and "{" not in item.message

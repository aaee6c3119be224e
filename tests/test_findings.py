"""Findings point at cells the way Excel names them."""

from hypothesis import given
from hypothesis import strategies as st
from xlsxwriter.utility import xl_rowcol_to_cell

from pa_sheets.check.findings import cell_name


@given(st.integers(1, 1_048_576), st.integers(0, 16_383))
def test_cell_names_are_excels(row, col):
    assert cell_name(row, col) == xl_rowcol_to_cell(row - 1, col)


def test_no_cell_name_outside_the_sheet():
    assert cell_name(0, 0) is None and cell_name(1, -1) is None


def test_a_signing_summary_is_read_by_attribute_and_cannot_be_changed_after_the_fact():
    import dataclasses
    from pathlib import Path

    import pytest

    from pa_sheets.check.findings import FileReport, PartySigning, Signing

    party = PartySigning(
        "Huurdersvereniging", "Huurdersorganisatie", None, "akkoord", "2026-12-10", "A. de Vries",
        "voorzitter", None, ("BT",),
    )  # fmt: skip
    signing = Signing(signed=True, parties=(party,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        signing.signed = False  # type: ignore[misc]
    report = FileReport(Path("x.xlsx"), signing=signing)
    assert report.getekend
    assert report.to_dict()["ondertekening"] == [
        {
            "partij": "Huurdersvereniging",
            "rol": "Huurdersorganisatie",
            "tekent_voor": None,
            "akkoord": "akkoord",
            "datum": "2026-12-10",
            "naam": "A. de Vries",
            "functie": "voorzitter",
            "voorbehoud": None,
            "niet_getekend": ["BT"],
        }
    ]
    assert not FileReport(Path("x.xlsx"), signing=Signing(False, (party,))).getekend

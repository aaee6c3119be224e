"""Numbers inside messages are written the Dutch way: 1.250.000 and 93,5, never 1.25e+06."""

import pytest

from pa_sheets.check.findings import finding
from pa_sheets.numbers import dutch_number, euro


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1_250_000.0, "1.250.000"),
        (1.25e6, "1.250.000"),
        (93.5, "93,5"),
        (2027, "2027"),  # a year, and any number of four digits, stays whole
        (9999.5, "9999,5"),
        (10_000, "10.000"),
        (-12_345.25, "-12.345,25"),
        (0.1 + 0.2, "0,3"),
        (-0.0, "0"),
        (1e20, "100.000.000.000.000.000.000"),
        (10**21, "1.000.000.000.000.000.000.000"),
    ],
)
def test_dutch_number(number, text):
    assert dutch_number(number) == text


def test_findings_write_their_numbers_the_dutch_way():
    out_of_range = finding("V003", value=1.25e6, detail="hoogstens 100")
    assert out_of_range.message.startswith("1.250.000 ligt buiten het toegestane bereik")
    assert out_of_range.value == 1.25e6  # the JSON keeps the number itself
    read_as = finding("T001", value="93.5", detail=93.5)
    assert read_as.message.startswith("'93.5' is als tekst ingevuld en gelezen als 93,5.")
    too_long = finding("V005", detail=32767, limit=2000)
    assert "32.767" in too_long.message and "2000" in too_long.message
    assert "e+" not in finding("V003", value=1e22, detail="").message


@pytest.mark.parametrize(
    ("number", "decimals", "text"),
    [(7, 1, "7,0"), (7.25, 1, "7,2"), (12_345.5, 2, "12.345,50"), (-0.04, 1, "0,0"), (3, 0, "3")],
)
def test_dutch_number_with_a_fixed_number_of_decimals(number, decimals, text):
    assert dutch_number(number, decimals) == text


def test_an_amount_in_whole_euros():
    assert euro(2_400_000.4) == "€ 2.400.000"
    assert euro(1234) == "€ 1234"  # four digits stay whole, as every number

"""Numbers in messages written the Dutch way: 1.250.000 and 93,5, never 1.25e+06 or 93.5.

A point groups the thousands from 10.000 up; a number of four digits stays whole, as the
Taalunie allows, so that a year (2027) never reads as 2.027. Used by every text a
coordinator or a corporatie reads: findings, refusals, the input messages of a generated
workbook, the evaluation's summary and the demo's afspraken. A finding keeps the number itself
(its JSON `value`); only its message shows it this way.
"""

import math

_DECIMALS = 10  # enough for any value typed in a cell; float noise (0.30000000000000004) goes


def dutch_number(number: float, decimals: int | None = None) -> str:
    """'1.250.000' for 1250000.0, '93,5' for 93.5, '-12.345,25', '2027' for 2027; with
    `decimals` that many places after the comma ('7,0' for 7 with one)."""
    if isinstance(number, bool) or not math.isfinite(number):
        return str(number)
    if decimals is not None:
        text = f"{abs(number):.{decimals}f}"
    elif isinstance(number, int):
        text = str(abs(number))
    else:
        # Fifteen significant digits, what a double holds: 1808441.9, not 1808441.8999999999.
        text = f"{abs(number):.15g}"
        if "e" in text or len(text.partition(".")[2]) > _DECIMALS:
            text = f"{abs(number):.{_DECIMALS}f}".rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    if len(whole) > 4:
        whole = f"{int(whole):,}".replace(",", ".")
    sign = "-" if number < 0 and text.strip("0.") else ""  # never -0 or -0,0
    return sign + whole + ("," + fraction if fraction else "")


def euro(amount: float) -> str:
    """'€ 2.400.000' for 2400000.4: an amount in whole euros."""
    return "€ " + dutch_number(round(amount))


class _Shown(str):
    """A number as text in a message: `{value!r}` shows it without quotes, like a number."""

    def __repr__(self) -> str:
        return str(self)


def shown(value: object) -> object:
    """`value` for a message template: a number in its Dutch form, anything else unchanged."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _Shown(dutch_number(value))
    return value

"""Numbers in messages written the Dutch way: 1.250.000 and 93,5, never 1.25e+06 or 93.5.

A point groups the thousands from 10.000 up; a number of four digits stays whole, as the
Taalunie allows, so that a year (2027) never reads as 2.027. Used by every message a
coordinator or a corporatie reads: findings, and the input messages of a generated workbook.
"""

import math

_DECIMALS = 10  # enough for any value typed in a cell; float noise (0.30000000000000004) goes


def dutch_number(number: float) -> str:
    """'1.250.000' for 1250000.0, '93,5' for 93.5, '-12.345,25', '2027' for 2027."""
    if isinstance(number, bool) or not math.isfinite(number):
        return str(number)
    if isinstance(number, int):
        text = str(abs(number))
    else:
        text = f"{abs(number):.{_DECIMALS}f}".rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    if len(whole) > 4:
        whole = f"{int(whole):,}".replace(",", ".")
    sign = "-" if number < 0 and text not in ("0", "") else ""
    return sign + whole + ("," + fraction if fraction else "")


class _Shown(str):
    """A number as text in a message: `{value!r}` shows it without quotes, like a number."""

    def __repr__(self) -> str:
        return str(self)


def shown(value: object) -> object:
    """`value` for a message template: a number in its Dutch form, anything else unchanged."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _Shown(dutch_number(value))
    return value

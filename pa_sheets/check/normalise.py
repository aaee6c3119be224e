"""Bring the values people type into the shape the schemas expect.

Pure functions: a column's values in, the normalised values and notes out. A note says what
had to be guessed (a warning: `'1.234,5'` read as 1234.5) or what could not be read at all (an
error; the cell is then left empty for the schema, which must not report it as missing).
"""

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from operator import is_not
from typing import cast

from pa_sheets.spec.config import ALLE
from pa_sheets.spec.model import Column, Spec
from pa_sheets.spec.planning import YEAR, parse_date, planning_span
from pa_sheets.spec.types import TYPES

# The findings normalising can give: a value it had to guess (T) or could not read (V).
NORMALISE_CODES = ("V002", "V007", "V008", "V011", "V013", "T001", "T002", "T003", "T004", "M004")
# Several parties in one cell: 'Gemeente, Linde en Baken' or 'A; B'.
PARTY_SEPARATOR = re.compile(r"\s*[,;]\s*")
AND = re.compile(r"\s+(?:en|&)\s+", re.IGNORECASE)
NUMBER_TEXT = re.compile(r"(?i)^(eur|€)?\s*([-+]?)\s*([\d.,\s]*\d)\s*(%|eur|€)?$")


@dataclass(frozen=True)
class Allowed:
    """The values of a list column in one workbook, and the same keyed by a folded spelling
    (case and spaces), so `Groen ` can be read as `groen`."""

    values: frozenset[str]
    folded: dict[str, str]


class Lists:
    """The allowed values of every list column in one workbook: the spec's lists, the
    workbook's own parties (trekker), and in a basisbod `alle` and its gemeenten, where a
    gemeente's name is read as its code."""

    def __init__(
        self,
        spec: Spec,
        parties: list[str],
        gemeenten: dict[str, tuple[str, str]],
        version: str | None = None,
    ):
        self.spec, self.parties, self.gemeenten = spec, parties, gemeenten
        self.version = version  # the spec the workbook was made with: what its codes meant
        self._cache: dict[str, Allowed] = {}

    def __call__(self, column: Column) -> Allowed:
        if column.key not in self._cache:
            if column.values == "partijen":
                values = self.parties
            elif column.values == "gemeenten":
                values = [ALLE, *self.gemeenten]
            else:
                values = self.spec.list_values(column.list_name)
            folded = {" ".join(v.split()).casefold(): v for v in values}
            if column.values == "types":  # a synonym (resultaatafspraak) is read as its type
                folded.update({k.casefold(): v for k, v in self.spec.synonyms("types").items()})
            if column.values == "indicatoren":  # a code (bs01) is read as its indicator,
                # with the meaning it had in the spec the workbook was made with (VD04 in 1.2)
                codes = self.spec.codes_as_of(self.version)
                folded.update({code.casefold(): naam for code, naam in codes.items()})
            if column.values == "gemeenten":
                folded.update({naam.casefold(): code for code, (naam, _) in self.gemeenten.items()})
            self._cache[column.key] = Allowed(frozenset(values), folded)
        return self._cache[column.key]


@dataclass(frozen=True)
class Note:
    """What normalising one cell had to say: a finding code, the value as typed, a detail for
    the message, and whether the cell could not be read."""

    index: int
    code: str
    value: object
    detail: object
    unreadable: bool


_given: Callable[[object], object] = partial(is_not, None)  # in C: whether a value is not None


def normalise_column(
    column: Column, values: list[object], allowed: Allowed | None = None
) -> tuple[list[object], list[Note]]:
    """The values as the schema expects them, and the notes. Each distinct value is converted
    once: a column holds few of them. `allowed` is needed for a list column."""
    if values.count(None) == len(values):
        return values, []  # an empty column (most of them), in C
    column_type = TYPES[column.type]
    convert = _CONVERTERS[column.type]
    # The common cases, kept cheap: a number in a number column, text in a text column, a
    # value spelled exactly as in its list. (A float in a whole-number column must still be
    # looked at.)
    fine_type = (
        float
        if column_type.numeric and not column_type.whole
        else str
        if column.type == "text"
        else None
    )
    fine_values = allowed.values if column.type == "enum" and allowed else frozenset()
    if column.type == "enum":
        if set(values) - {None} <= fine_values:
            return values, []
    elif set(map(type, values)) <= {type(None), fine_type} and (
        fine_type is not float or math.isfinite(sum(cast(Iterable[float], filter(_given, values))))
    ):
        return values, []  # (a sum is finite only when every number is: no inf, no NaN)
    # Convert each distinct value (by type too: 1, 1.0 and True are equal) and go over the
    # cells only when one of them changes: most of a column is fine as it is.
    results: dict[tuple[type, object], tuple] = {}
    for kind, value in set(zip(map(type, values), values, strict=True)):
        if value is None or value in fine_values:
            continue
        if kind is fine_type and (not isinstance(value, float) or math.isfinite(value)):
            continue
        result = convert(column, value, allowed)
        if result is not None:
            results[(kind, value)] = result
    if not results:
        return values, []
    out, notes = list(values), []
    for index, value in enumerate(values):
        result = results.get((type(value), value))
        if result is None:
            continue
        new_value, code, detail = result
        out[index] = new_value
        if code is not None:
            notes.append(Note(index, code, value, detail, new_value is None))
    return out, notes


def from_percent_cells(
    values: list[object], cells: list[str | None], percents: set[str]
) -> tuple[list[object], list[Note]]:
    """One scale for percentages: 95% typed in Excel is stored as 0.95 in a cell shown as a
    percentage (`cells` names the cell of each value, None outside the sheet); it is read as
    95, as the text '95%'."""
    out, notes = list(values), []
    for index, (value, cell) in enumerate(zip(values, cells, strict=True)):
        if type(value) is float and cell in percents:
            out[index] = value * 100
            notes.append(Note(index, "T004", value, value * 100, False))
    return out, notes


# Each converter returns None when the value is fine as it is, or (new value, finding code or
# None, detail for the message). A new value of None means: unreadable.


def _number(column: Column, value: object, allowed: Allowed | None):
    if type(value) is float and not math.isfinite(value):
        return None, "V002", None  # a cell of 1e999 or NaN: no number anyone meant
    if type(value) is float:  # only here for whole-number columns
        return None if value.is_integer() else (None, "V011", None)
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return None, "V002", None
    if isinstance(value, int):
        return float(value), None, None
    number = parse_number(str(value), percentage=column.type == "percentage")
    if number is None:
        return None, "V002", None
    if TYPES[column.type].whole and not number.is_integer():
        return None, "V011", None
    return number, "T001", number  # the message shows it the Dutch way


def _enum(column: Column, value: object, allowed: Allowed | None):
    assert allowed is not None  # a list column always comes with its values
    text = as_text(value)
    if column.meerdere:
        parts = split_values(text, allowed)
        if len(parts) > 1:
            found = [allowed.folded.get(" ".join(p.split()).casefold(), p) for p in parts]
            joined = ", ".join(found)
            # Only the spelling of a value is worth a notice, not the separators.
            refolded = found != parts
            return joined, ("T002" if refolded else None), joined
    if text in allowed.values:
        return (text, None, None) if text != value else None
    match = allowed.folded.get(" ".join(text.split()).casefold())
    if match is not None:
        return match, "T002", match
    return text, None, None  # not in the list: the schema or a rule reports it


def _text(column: Column, value: object, allowed: Allowed | None):
    return None if isinstance(value, str) else (as_text(value), None, None)


# An afspraak's nummer (BS-02, T1-03), typed where a planning belongs.
NUMMER = re.compile(r"[A-Za-z][A-Za-z0-9]{1,3}-[0-9]{1,3}")


def _planning(column: Column, value: object, allowed: Allowed | None):
    if planning_span(value) is not None:
        return None
    if isinstance(value, str) and NUMMER.fullmatch(value.strip()):
        return None, "V013", None
    if (isinstance(value, str) and not YEAR.search(value)) or _vague_with_year(value):
        # Text such as 'binnen afzienbare termijn': a planning, but not a SMART one.
        return value, "M004", None
    return None, "V007", None


def _vague_with_year(value: object) -> bool:
    """'voor de zomer van 2027': a text with a year that is no planning form pa-sheets reads.
    Read as vague (a warning), where a number or a garbled date is unreadable (an error)."""
    return isinstance(value, str) and len(value.split()) > 2 and parse_date(value) is None


def _date(column: Column, value: object, allowed: Allowed | None):
    if isinstance(value, dt.date):
        return None
    parsed = parse_date(str(value))
    if parsed is None:
        return None, "V008", None
    return parsed, "T003", parsed.strftime("%d-%m-%Y")


# The converter of each column type, by the name its entry in spec/types.py gives it.
_NORMALISERS = {
    "number": _number,
    "enum": _enum,
    "text": _text,
    "planning": _planning,
    "date": _date,
}
_CONVERTERS = {name: _NORMALISERS[kind.normaliser] for name, kind in TYPES.items()}


def is_empty(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


def parse_number(text: str, percentage: bool = False) -> float | None:
    """A number as people type it in Dutch: '1.234,5', '15%', 'EUR 2.500', '-3'. Returns None
    when it is no number or ambiguous: '1.234' is 1234 in Dutch but 1.234 in English; with a
    euro sign it can only be an amount in Dutch notation."""
    match = NUMBER_TEXT.match(text.strip())
    if match is None:
        return None
    prefix, sign, digits, unit = match.groups()
    digits = digits.replace(" ", "")
    money = bool(prefix) or (unit or "").lower() in ("eur", "€")
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits:
        if digits.count(",") > 1:
            return None
        digits = digits.replace(",", ".")
    elif "." in digits:
        groups = digits.split(".")
        if len(groups) > 2 and all(len(g) == 3 for g in groups[1:]):
            digits = digits.replace(".", "")  # 1.234.567
        elif len(groups) == 2 and len(groups[1]) == 3:
            if not money:
                return None  # 1.234: thousands (Dutch) or decimals (English)?
            digits = digits.replace(".", "")
        elif len(groups) > 2:
            return None
    try:
        number = float(sign + digits)
    except ValueError:
        return None
    if unit == "%" and percentage:
        number /= 100
    return number


def split_values(text: str, allowed: Allowed) -> list[str]:
    """The values named in one cell of a column with `meerdere`: split at ',' and ';', and at
    ' en ' unless the words around it are one value of the list ('Wonen en Zorg')."""
    parts = []
    for chunk in filter(None, PARTY_SEPARATOR.split(text.strip())):
        words = AND.split(chunk)
        i = 0
        while i < len(words):
            # The longest run of words joined by ' en ' that is one value; else one word.
            j = next(
                (
                    j
                    for j in range(len(words), i + 1, -1)
                    if " en ".join(words[i:j]).casefold() in allowed.folded
                ),
                i + 1,
            )
            parts.append(" en ".join(words[i:j]) if j > i + 1 else words[i])
            i = j
    return parts or [text]

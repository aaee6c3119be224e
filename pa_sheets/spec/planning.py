"""What a planning means in time. Real documents plan in years, quarters and dates, but also in
periods (2024-2028), parts of a year (eind 2028) and frequencies (maandelijks, doorlopend); each
becomes a start and an end, for the checks, the config and the overview."""

import datetime as dt
import functools
import re
from dataclasses import dataclass

QUARTER = re.compile(r"(?i)q\s*([1-4])[\s-]*(\d{4})")
YEAR = re.compile(r"(\d{4})")
DATE_TEXT = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})")
# A period as documents write it: 2024-2028, 2024 - 2028, 2024 t/m 2028, 2024 tot en met 2028.
PERIOD = re.compile(r"(?i)(\d{4})\s*(?:-|–|t/m|tot en met|tot)\s*(\d{4})")
# A part of a year: eind 2028, begin 2026, medio 2027, voorjaar 2025, najaar 2025.
PART_OF_YEAR = re.compile(r"(?i)(begin|voorjaar|medio|zomer|najaar|eind|uiterlijk eind)\s+(\d{4})")
_PARTS = {
    "begin": (1, 3),
    "voorjaar": (3, 5),
    "medio": (6, 7),
    "zomer": (6, 8),
    "najaar": (9, 11),
    "eind": (10, 12),
    "uiterlijk eind": (10, 12),
}
# A deadline as documents write it, before a year, quarter or date: "uiterlijk 2028",
# "t/m 2028", "tot 2030", "vóór 1-7-2027". In Dutch "tot" excludes what follows ("tot en met"
# includes it): tot 2030 and vóór 2030 end on 31-12-2029; uiterlijk and t/m 2028 on 31-12-2028.
DEADLINE = re.compile(
    r"(?i)(tot en met|t/m|tot|vóór|uiterlijk(?: in| op)?|ten laatste(?: in| op)?)\s+(.+)"
)
_EXCLUSIVE = ("tot", "vóór")  # not "voor": "voor 2027" may mean "for 2027"
# How often, with no year: the afspraak runs over the whole period (start and end: the period).
FREQUENCIES = (
    "dagelijks",
    "wekelijks",
    "maandelijks",
    "per kwartaal",
    "elk kwartaal",
    "ieder kwartaal",
    "1 x per kwartaal",
    "1x per kwartaal",
    "halfjaarlijks",
    "twee keer per jaar",
    "2 x per jaar",
    "jaarlijks",
    "elk jaar",
    "1 x per jaar",
    "1x per jaar",
    "doorlopend",
    "continu",
)


@dataclass(frozen=True)
class Span:
    """What a planning means in time: its first and last day; both None for a frequency or
    'doorlopend' (the afspraak runs over the whole period). `kind` names the form."""

    start: dt.date | None
    end: dt.date | None
    kind: str


@functools.lru_cache(maxsize=4096, typed=True)
def cached_span(value: object) -> Span | None:
    """planning_span for the many repeated plannings of a column ("Q4 2027", "2028")."""
    return planning_span(value)


def planning_year(value: object) -> int | None:
    """The year a planning ends in: a date, a quarter (Q3 2027), a year (2027 or 2027.0), a
    period (its last year), eind 2027. None for a frequency or what cannot be read."""
    return _end_year(planning_span(value))


def cached_planning_year(value: object) -> int | None:
    """planning_year for the many repeated plannings of a column, through cached_span."""
    return _end_year(cached_span(value))


def _end_year(span: Span | None) -> int | None:
    return span.end.year if span is not None and span.end is not None else None


def planning_span(value: object) -> Span | None:
    """A planning as a start and end: 2027 is 1-1-2027 to 31-12-2027, Q3 2027 July to
    September, 2024-2028 five whole years, eind 2028 October to December 2028, a date that day;
    maandelijks, jaarlijks, doorlopend: no dates of their own. None: not a planning."""
    if isinstance(value, dt.datetime):
        return Span(value.date(), value.date(), "datum")
    if isinstance(value, dt.date):
        return Span(value, value, "datum")
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and 1900 <= value <= 2200:
            return _years(int(value), int(value), "jaar")
        return None
    text = " ".join(str(value).split())
    folded = text.casefold().rstrip(".")
    if folded in FREQUENCIES:
        return Span(
            None, None, "doorlopend" if folded in ("doorlopend", "continu") else "frequentie"
        )
    if match := QUARTER.fullmatch(text):
        quarter, year = int(match.group(1)), int(match.group(2))
        return _months(year, 3 * quarter - 2, 3 * quarter, "kwartaal")
    if match := YEAR.fullmatch(text):
        return _years(int(match.group(1)), int(match.group(1)), "jaar")
    if match := PERIOD.fullmatch(text):
        first, last = int(match.group(1)), int(match.group(2))
        return _years(first, last, "periode") if first <= last else None
    if match := PART_OF_YEAR.fullmatch(text):
        low, high = _PARTS[match.group(1).casefold()]
        return _months(int(match.group(2)), low, high, match.group(1).casefold())
    if match := DEADLINE.fullmatch(text):
        return _deadline(match.group(1).casefold(), match.group(2))
    parsed = parse_date(text)
    return Span(parsed, parsed, "datum") if parsed else None


def _deadline(word: str, rest: str) -> Span | None:
    """'uiterlijk 2028', 'tot 2030': no start of its own (it may already run), an end by the
    word: through what follows, or up to it."""
    if DEADLINE.fullmatch(rest):
        return None  # "tot uiterlijk 2028" is not a form
    after = planning_span(rest)
    if after is None or after.start is None or after.end is None:
        return None
    end = after.start - dt.timedelta(days=1) if word in _EXCLUSIVE else after.end
    return Span(None, end, "uiterlijk")


def _years(first: int, last: int, kind: str) -> Span | None:
    if not (1900 <= first <= 2200 and 1900 <= last <= 2200):
        return None
    return Span(dt.date(first, 1, 1), dt.date(last, 12, 31), kind)


def _months(year: int, first: int, last: int, kind: str) -> Span | None:
    if not 1900 <= year <= 2200:
        return None
    following = dt.date(year + (last == 12), last % 12 + 1, 1)
    return Span(dt.date(year, first, 1), following - dt.timedelta(days=1), kind)


def parse_date(text: str) -> dt.date | None:
    match = DATE_TEXT.fullmatch(text.strip())
    if match is None:
        return None
    day, month, year = (
        (match.group(1), match.group(2), match.group(3))
        if match.group(1)
        else (match.group(6), match.group(5), match.group(4))
    )
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None

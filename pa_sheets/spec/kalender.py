"""The legal moments of the yearly cycle (Woningwet art. 42-44, Btiv art. 39), for
`pa-sheets kalender` and for the deadlines on cover sheets."""

import datetime as dt
from dataclasses import dataclass

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


# When the jaarschijven of next year go out (the year is filled in): a month before they are due.
SEND_JAARSCHIJF = dt.date(2000, 9, 1)
# When a jaarschijf comes back if the coordinator sets no date: advice, not law. It leaves time
# to negotiate before the afspraken are signed.
JAARSCHIJF_TERUG = (10, 1)


@dataclass(frozen=True)
class Termijnen:
    """The two deadlines of the law, as (month, day) in the year before the afspraken: the bod
    (Woningwet art. 44: 1 juli) and the signed, published afspraken (art. 44a: 15 december).
    The law's dates are defaults: the parties of a gemeente may agree others (config key
    `termijnen`)."""

    bod: tuple[int, int] = (7, 1)
    afspraken: tuple[int, int] = (12, 15)

    def bod_date(self, year: int) -> dt.date:
        return dt.date(year, *self.bod)

    def afspraken_date(self, year: int) -> dt.date:
        return dt.date(year, *self.afspraken)

    @property
    def bod_text(self) -> str:
        return day_month(self.bod)

    @property
    def afspraken_text(self) -> str:
        return day_month(self.afspraken)

    def facts(self) -> dict[str, str]:
        """The agreed deadlines for a workbook's _meta, so validate checks against them; none
        when they are the law's (older workbooks have none either)."""
        return {
            f"termijn_{which}": day_month(getattr(self, which))
            for which in ("bod", "afspraken")
            if getattr(self, which) != getattr(WETTELIJK, which)
        }

    @classmethod
    def from_facts(cls, facts: dict[str, str]) -> "Termijnen":
        """The deadlines a workbook was made with (see facts); the law's where it names none."""
        bod = parse_day_month(facts.get("termijn_bod", "")) or cls.bod
        afspraken = parse_day_month(facts.get("termijn_afspraken", "")) or cls.afspraken
        return cls(bod, afspraken)

    def basis(self, which: str, article: str) -> str:
        """Where a deadline comes from: the article, or that it is agreed instead of it."""
        if getattr(self, which) == getattr(WETTELIJK, which):
            return article
        return f"afgesproken termijn; {article} noemt {day_month(getattr(WETTELIJK, which))}"


WETTELIJK = Termijnen()


def day_month(month_day: tuple[int, int]) -> str:
    """(12, 15) as '15 december'."""
    return f"{month_day[1]} {MONTHS[month_day[0] - 1]}"


def parse_day_month(text: str) -> tuple[int, int] | None:
    """'15 december' (or '1 Juli') as (month, day); None when it is no day of the year."""
    parts = str(text).split()
    if len(parts) != 2 or not parts[0].isdigit() or parts[1].casefold() not in MONTHS:
        return None
    month, day = MONTHS.index(parts[1].casefold()) + 1, int(parts[0])
    try:
        dt.date(2000, month, day)  # a leap year: 29 februari is a day of the year
    except ValueError:
        return None
    return month, day


@dataclass(frozen=True)
class Moment:
    start: dt.date
    end: dt.date  # the same day, or the last day of a period
    what: str
    basis: str  # where it comes from: the law, or the advice of the Handreiking / pa-sheets
    command: str = ""  # the pa-sheets command that belongs to it

    @property
    def when(self) -> str:
        if self.start == self.end:
            return f"{WEEKDAYS[self.start.weekday()]} {dutch_date(self.start)}"
        return f"{dutch_date(self.start)} t/m {dutch_date(self.end)}"


def moments(year: int, termijnen: Termijnen = WETTELIJK) -> list[Moment]:
    """What happens in `year`, in the order it happens: the monitoring round and evaluation of
    last year, the bod for the next five years, and making, signing and publishing next year's
    jaarschijf."""
    happenings = _looking_back(year) + _looking_ahead(year, termijnen)
    # Agreed deadlines may move a moment past another: the calendar stays in order of time.
    return sorted(happenings, key=lambda moment: moment.start)


def _looking_back(year: int) -> list[Moment]:
    """The monitoring round and evaluation of last year's afspraken."""
    end_of_february = dt.date(year, 3, 1) - dt.timedelta(days=1)
    return [
        Moment(
            dt.date(year, 1, 1),
            end_of_february,
            f"Monitoringronde {year - 1}: de partijen vullen in hun getekende jaarschijf "
            f"{year - 1} de status en de realisatie van het afgelopen jaar in en sturen hem "
            "terug.",
            "Handreiking prestatieafspraken, hoofdstuk 6",
            f"pa-sheets validate monitoring-{year - 1}/",
        ),
        Moment(
            dt.date(year, 3, 1),
            dt.date(year, 3, 31),
            f"Evaluatie van de afspraken van {year - 1}: partijen bespreken samen het stoplicht "
            "uit de monitoringronde.",
            "Handreiking prestatieafspraken, hoofdstuk 6",
            f"pa-sheets evaluate monitoring-{year - 1}/ --out evaluatie-{year - 1}.xlsx",
        ),
    ]


def _looking_ahead(year: int, termijnen: Termijnen) -> list[Moment]:
    """The bod for the next five years, and making, signing and publishing next year's
    jaarschijf, by the agreed termijnen."""
    due = default_deadline("jaarschijf", year + 1, termijnen)
    bod = termijnen.bod_date(year)
    signed = termijnen.afspraken_date(year)
    return [
        Moment(
            dt.date(year, 4, 1),
            dt.date(year, 4, 1),
            "De corporatie nodigt gemeente en huurdersorganisatie uit voor het vooroverleg: "
            "terugkijken en bespreken wat in het bod moet komen.",
            "Woningwet art. 44 lid 2",
            f"pa-sheets generate bod --config gemeente.yaml --years {year + 1}-{year + 5} "
            "--out bod/",
        ),
        Moment(
            bod,
            bod,
            f"Elke corporatie stuurt gemeente en huurdersorganisatie haar bod voor "
            f"{year + 1}-{year + 5} (overzicht van voorgenomen werkzaamheden).",
            termijnen.basis("bod", "Woningwet art. 43 lid 1 en art. 44; Btiv art. 39"),
            f"pa-sheets validate bod/ && pa-sheets merge bod/ --out bod-{year + 1}.xlsx",
        ),
        Moment(
            SEND_JAARSCHIJF.replace(year=year),
            SEND_JAARSCHIJF.replace(year=year),
            f"De jaarschijven {year + 1} gaan naar de partijen, gemaakt uit die van {year}: de "
            f"lopende afspraken gaan door. Ze zijn terug op {dutch_date(due)}.",
            "advies van pa-sheets, geen wettelijke termijn",
            f"pa-sheets rollover getekend-{year}/ --year {year + 1} --out jaarschijf-{year + 1}/",
        ),
        Moment(
            due,
            due,
            f"De ingevulde jaarschijven {year + 1} terug bij de gemeente, zodat er tijd is om "
            "te onderhandelen en te tekenen.",
            "advies van pa-sheets, geen wettelijke termijn",
            "pa-sheets validate terug/ && "
            f"pa-sheets merge terug/ --out gezamenlijk-{year + 1}.xlsx",
        ),
        Moment(
            signed,
            signed,
            f"De prestatieafspraken voor {year + 1} zijn ondertekend (blad Ondertekening); de "
            "corporatie publiceert ze op haar website.",
            termijnen.basis("afspraken", "Woningwet art. 44a lid 1"),
            f"pa-sheets merge getekend-{year + 1}/ --out gezamenlijk-{year + 1}.xlsx && "
            f"pa-sheets publish gezamenlijk-{year + 1}.xlsx --out website-{year + 1}/",
        ),
    ]


def default_deadline(kind: str, first_year: int, termijnen: Termijnen = WETTELIJK) -> dt.date:
    """When a workbook should come back if the coordinator sets no date.

    The bod for years Y..Y+4 is due on the bod termijn (1 juli) of Y-1. The jaarschijf for Y
    must be agreed before the afspraken are published (15 december) of Y-1; 1 oktober leaves
    time to negotiate, unless the agreed date for the afspraken comes before it.
    """
    if kind == "bod":
        return termijnen.bod_date(first_year - 1)
    return min(dt.date(first_year - 1, *JAARSCHIJF_TERUG), termijnen.afspraken_date(first_year - 1))


def legal_deadline(kind: str, first_year: int, termijnen: Termijnen = WETTELIJK) -> str:
    """The legal moment a workbook serves, as one Dutch sentence for its cover sheet."""
    if kind == "bod":
        return (
            f"Het bod ligt uiterlijk {dutch_date(termijnen.bod_date(first_year - 1))} bij "
            f"gemeente en huurdersorganisatie ({termijnen.basis('bod', 'Woningwet art. 44')})."
        )
    return (
        f"De afspraken voor {first_year} worden uiterlijk "
        f"{dutch_date(termijnen.afspraken_date(first_year - 1))} ondertekend en gepubliceerd "
        f"({termijnen.basis('afspraken', 'Woningwet art. 44a')})."
    )


def dutch_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def passed_deadline(
    kind: str,
    first_year: int,
    deadline: dt.date | None = None,
    today: dt.date | None = None,
    termijnen: Termijnen = WETTELIJK,
) -> dt.date | None:
    """The inleverdatum on the cover sheet (the one given, else the default by the agreed
    termijnen) when it has already passed: a cover sheet that asks the impossible of a party.
    None when it has not."""
    deadline = deadline or default_deadline(kind, first_year, termijnen)
    return deadline if deadline < (today or dt.date.today()) else None


def late_deadline(
    kind: str, first_year: int, deadline: dt.date | None, termijnen: Termijnen = WETTELIJK
) -> tuple[dt.date, str] | None:
    """When an inleverdatum lies after the moment the workbook serves: the bod after its
    termijn (Woningwet art. 44: 1 juli), a jaarschijf after the afspraken are to be signed and
    published (art. 44a: 15 december), both in the year before `first_year` and by the agreed
    termijnen. Returns that moment and where it comes from; None when the date is in time."""
    if deadline is None:
        return None
    if kind == "bod":
        due, basis = termijnen.bod_date(first_year - 1), termijnen.basis("bod", "Woningwet art. 44")
    else:
        due = termijnen.afspraken_date(first_year - 1)
        basis = termijnen.basis("afspraken", "Woningwet art. 44a")
    return (due, basis) if deadline > due else None

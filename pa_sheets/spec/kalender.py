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


def moments(year: int) -> list[Moment]:
    """What happens in `year`, in order: evaluating last year, the bod for the next five, and
    agreeing and publishing next year's jaarschijf."""
    return [
        Moment(
            dt.date(year, 1, 1),
            dt.date(year, 3, 31),
            f"Evaluatie van de afspraken van {year - 1}: partijen bespreken samen het stoplicht.",
            "Handreiking prestatieafspraken, hoofdstuk 6",
            f"pa-sheets evaluate terug-{year - 1}/ --out evaluatie-{year - 1}.xlsx",
        ),
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
            dt.date(year, 7, 1),
            dt.date(year, 7, 1),
            f"Elke corporatie stuurt gemeente en huurdersorganisatie haar bod voor "
            f"{year + 1}-{year + 5} (overzicht van voorgenomen werkzaamheden).",
            "Woningwet art. 43 lid 1 en art. 44; Btiv art. 39",
            f"pa-sheets validate bod/ && pa-sheets merge bod/ --out bod-{year + 1}.xlsx",
        ),
        Moment(
            default_deadline("jaarschijf", year + 1),
            default_deadline("jaarschijf", year + 1),
            f"De ingevulde jaarschijven {year + 1} terug bij de gemeente, zodat er tijd is om "
            "te onderhandelen.",
            "advies van pa-sheets, geen wettelijke termijn",
            "pa-sheets validate terug/ && "
            f"pa-sheets merge terug/ --out gezamenlijk-{year + 1}.xlsx",
        ),
        Moment(
            dt.date(year, 12, 15),
            dt.date(year, 12, 15),
            f"De prestatieafspraken voor {year + 1} zijn ondertekend; de corporatie publiceert "
            "ze op haar website.",
            "Woningwet art. 44a lid 1",
            f"pa-sheets rollover terug-{year}/ --year {year + 1} --out jaarschijf-{year + 1}/",
        ),
    ]


def default_deadline(kind: str, first_year: int) -> dt.date:
    """When a workbook should come back if the coordinator sets no date.

    The bod for years Y..Y+4 is due on 1 juli of Y-1. The jaarschijf for Y must be agreed before
    the agreements are published on 15 december of Y-1; 1 oktober leaves time to negotiate.
    """
    if kind == "bod":
        return dt.date(first_year - 1, 7, 1)
    return dt.date(first_year - 1, 10, 1)


def legal_deadline(kind: str, first_year: int) -> str:
    """The legal moment a workbook serves, as one Dutch sentence for its cover sheet."""
    if kind == "bod":
        return (
            f"Het bod ligt uiterlijk {dutch_date(dt.date(first_year - 1, 7, 1))} bij gemeente en "
            "huurdersorganisatie (Woningwet art. 44)."
        )
    return (
        f"De afspraken voor {first_year} worden uiterlijk "
        f"{dutch_date(dt.date(first_year - 1, 12, 15))} ondertekend en gepubliceerd "
        "(Woningwet art. 44a)."
    )


def dutch_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

"""The moments of the yearly cycle, each with the law or advice behind it, for
`pa-sheets kalender` and for the deadlines on cover sheets and in validate."""

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


# Where each moment of the cycle comes from, each said once, as the Handreiking
# prestatieafspraken (2021, seeds/002) states it: the article of the law, or that it is advice.
# Checked against its text: the bod on 1 juli is art. 43 lid 1 (4.1, "Wat neemt de corporatie
# in haar bod op?"); the invitation on 1 april comes from the 2021 amendment its disclaimer
# describes, without an article (the art. 44 lid 2 it names is the invitation that goes with
# the bod); publication is art. 44a lid 1; the RvC approves the bod (art. 26 lid 1 onder j);
# the evaluation is part of the volkshuisvestingsverslag (art. 36a, Btiv art. 32 lid 1), on
# which gemeente and huurdersorganisatie may give a zienswijze (art. 38) (steps 2-4 of "the
# steps in the law"); a geschil goes to the minister (art. 44 lid 3), who decides on the advice
# of a commissie ("Hoe gaan we om met geschillen die ontstaan?").
HANDREIKING = "Handreiking prestatieafspraken"
GROND_BOD = "Woningwet art. 43 lid 1"
GROND_AFSPRAKEN = "Woningwet art. 44a lid 1"
GROND_UITNODIGING = (
    f"wijziging van de Woningwet van 2021, zoals de {HANDREIKING} die beschrijft (disclaimer); "
    "zij noemt er geen artikel bij"
)
GROND_RVC = "Woningwet art. 26 lid 1 onder j"
GROND_VERSLAG = "Woningwet art. 36a; Btiv art. 32 lid 1"
GROND_ZIENSWIJZE = "Woningwet art. 38"
GROND_GESCHIL = "Woningwet art. 44 lid 3"
GROND_MONITORING = f"{HANDREIKING}, hoofdstuk 6"
ADVIES = "advies van pa-sheets, geen wettelijke termijn"

# When the jaarschijven of next year go out (the year is filled in): a month before they are due.
SEND_JAARSCHIJF = dt.date(2000, 9, 1)
# When a jaarschijf comes back if the coordinator sets no date: advice, not law. It leaves time
# to negotiate before the afspraken are signed.
JAARSCHIJF_TERUG = (10, 1)
# The monitoring round: the monitor workbooks go out in January and are evaluated in March.
MONITOR_UIT = (1, 1)
EVALUATIE = ((3, 1), (3, 31))
# A realisatie is measured at the end of Y or in the first half of Y+1 (its peildatum).
PEILDATUM_LAATST = (6, 30)


def monitor_round(year: int) -> tuple[dt.date, dt.date]:
    """The first and last peildatum of the monitoring round of jaarschijf `year`: the end of
    that year (31 december) up to the end of the first half of the next (30 juni)."""
    return dt.date(year, 12, 31), dt.date(year + 1, *PEILDATUM_LAATST)


@dataclass(frozen=True)
class Termijnen:
    """The deadlines of the cycle, as (month, day): the two of the law in the year before the
    afspraken, the bod (GROND_BOD: 1 juli) and the signed, published afspraken
    (GROND_AFSPRAKEN: 15 december); and pa-sheets' advice for the monitoring round, the day
    the monitor workbooks of last year are back (15 februari, in the year after the
    afspraken). The defaults are the law's and the advice: the parties of a gemeente may agree
    others (config key `termijnen`)."""

    bod: tuple[int, int] = (7, 1)
    afspraken: tuple[int, int] = (12, 15)
    monitor: tuple[int, int] = (2, 15)

    def bod_date(self, year: int) -> dt.date:
        return dt.date(year, *self.bod)

    def afspraken_date(self, year: int) -> dt.date:
        return dt.date(year, *self.afspraken)

    def monitor_date(self, year: int) -> dt.date:
        """When the monitor workbooks of jaarschijf `year` are back: early in year + 1."""
        return dt.date(year + 1, *self.monitor)

    @property
    def bod_text(self) -> str:
        return day_month(self.bod)

    @property
    def afspraken_text(self) -> str:
        return day_month(self.afspraken)

    def facts(self) -> dict[str, str]:
        """The agreed deadlines for a workbook's _meta, so validate checks against them and
        rollover carries them on; none when they are the defaults (older workbooks have none
        either)."""
        return {
            f"termijn_{which}": day_month(getattr(self, which))
            for which in TERMIJN_GROND
            if getattr(self, which) != getattr(WETTELIJK, which)
        }

    @classmethod
    def from_facts(cls, facts: dict[str, str]) -> "Termijnen":
        """The deadlines a workbook was made with (see facts); the defaults where it names
        none."""
        return cls(
            **{
                which: parse_day_month(facts.get(f"termijn_{which}", ""))
                or getattr(WETTELIJK, which)
                for which in TERMIJN_GROND
            }
        )

    def basis(self, which: str) -> str:
        """Where a deadline comes from: its article (or the advice), or that it is agreed
        instead of it."""
        grond, default = TERMIJN_GROND[which], day_month(getattr(WETTELIJK, which))
        if getattr(self, which) == getattr(WETTELIJK, which):
            return grond
        if grond == ADVIES:
            return f"afgesproken termijn; pa-sheets adviseert {default}"
        return f"afgesproken termijn; {grond} noemt {default}"


WETTELIJK = Termijnen()
# Each termijn with where its default comes from.
TERMIJN_GROND = {"bod": GROND_BOD, "afspraken": GROND_AFSPRAKEN, "monitor": ADVIES}


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
    """What happens in `year`, in the order it happens: the monitoring round, evaluation and
    volkshuisvestingsverslag of last year, the bod for the next five years, and making,
    signing and publishing next year's jaarschijf."""
    happenings = _looking_back(year, termijnen) + _looking_ahead(year, termijnen)
    # Agreed deadlines may move a moment past another: the calendar stays in order of time
    # (a stable sort: moments of the same day keep the order they are listed in).
    return sorted(happenings, key=lambda moment: (moment.start, moment.end))


def _looking_back(year: int, termijnen: Termijnen) -> list[Moment]:
    """The monitoring round and evaluation of last year's afspraken, and the corporatie's
    account of them."""
    last = year - 1
    back = termijnen.monitor_date(last)
    evaluation = [dt.date(year, *day) for day in EVALUATIE]
    return [
        Moment(
            dt.date(year, *MONITOR_UIT),
            dt.date(year, 1, 31),
            f"Monitoringronde {last}: uit de getekende jaarschijven {last} gaat per "
            "corporatie een monitorwerkboek naar de partijen; zij vullen de realisatie, de "
            "peildatum, de status en een toelichting in. De getekende jaarschijf blijft zoals "
            f"hij is. Terug op {dutch_date(back)}.",
            GROND_MONITORING,
            f"pa-sheets generate monitor getekend-{last}/ --out monitoring-{last}/",
        ),
        Moment(
            back,
            back,
            f"De ingevulde monitorwerkboeken {last} terug bij de gemeente.",
            termijnen.basis("monitor"),
            f"pa-sheets validate monitoring-{last}-terug/ --verzonden monitoring-{last}/",
        ),
        Moment(
            evaluation[0],
            evaluation[1],
            f"Evaluatie van de afspraken van {last}: partijen bespreken samen de realisatie "
            "tegen wat was afgesproken, en het stoplicht.",
            GROND_MONITORING,
            f"pa-sheets evaluate monitoring-{last}-terug/ --out evaluatie-{last}.xlsx",
        ),
        Moment(
            evaluation[1] + dt.timedelta(days=1),
            dt.date(year, 6, 30),
            f"Elke corporatie neemt de evaluatie op in haar volkshuisvestingsverslag over "
            f"{last}: hoe de afspraken tot stand kwamen en hoe ze zijn uitgevoerd. (De periode "
            "is advies van pa-sheets; de Handreiking noemt geen datum.)",
            GROND_VERSLAG,
        ),
        Moment(
            evaluation[1] + dt.timedelta(days=1),
            dt.date(year, 6, 30),
            f"Gemeente en huurdersorganisatie kunnen hun zienswijze geven op het "
            f"volkshuisvestingsverslag over {last}, de evaluatie.",
            GROND_ZIENSWIJZE,
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
            GROND_UITNODIGING,
            f"pa-sheets generate bod --config gemeente.yaml --years {year + 1}-{year + 5} "
            "--out bod/",
        ),
        Moment(
            max(bod - dt.timedelta(days=30), dt.date(year, 1, 1)),
            max(bod - dt.timedelta(days=1), dt.date(year, 1, 1)),
            "De raad van commissarissen van elke corporatie keurt haar bod goed, voor het "
            "uitgaat; bij een gezamenlijk bod elke raad alleen het deel van de eigen corporatie.",
            GROND_RVC,
            "pa-sheets validate bod/",
        ),
        Moment(
            bod,
            bod,
            f"Elke corporatie stuurt gemeente en huurdersorganisatie haar bod voor "
            f"{year + 1}-{year + 5} (overzicht van voorgenomen werkzaamheden).",
            termijnen.basis("bod"),
            f"pa-sheets merge bod/ --out bod-{year + 1}.xlsx",
        ),
        Moment(
            SEND_JAARSCHIJF.replace(year=year),
            SEND_JAARSCHIJF.replace(year=year),
            f"De jaarschijven {year + 1} gaan naar de partijen, gemaakt uit die van {year}: de "
            "lopende afspraken gaan door, een punt van 'agree to disagree' staat weer open. "
            f"Ze zijn terug op {dutch_date(due)}.",
            ADVIES,
            f"pa-sheets rollover getekend-{year}/ --year {year + 1} --out jaarschijf-{year + 1}/",
        ),
        Moment(
            due,
            due,
            f"De ingevulde jaarschijven {year + 1} terug bij de gemeente, zodat er tijd is om "
            "te onderhandelen en te tekenen.",
            ADVIES,
            "pa-sheets validate terug/ && "
            f"pa-sheets merge terug/ --out gezamenlijk-{year + 1}.xlsx",
        ),
        Moment(
            signed,
            signed,
            f"De prestatieafspraken voor {year + 1} zijn ondertekend (blad Ondertekening); de "
            "corporatie publiceert ze op haar website.",
            termijnen.basis("afspraken"),
            f"pa-sheets merge getekend-{year + 1}/ --out gezamenlijk-{year + 1}.xlsx && "
            f"pa-sheets publish gezamenlijk-{year + 1}.xlsx --out website-{year + 1}/",
        ),
        Moment(
            signed,
            signed,
            "Komen de partijen er samen niet uit (ook niet met een procesbegeleider of "
            "mediator), dan kan elk van hen het geschil aan de minister voorleggen, die op "
            "advies van een commissie een bindende uitspraak doet.",
            GROND_GESCHIL,
        ),
    ]


def default_deadline(kind: str, first_year: int, termijnen: Termijnen = WETTELIJK) -> dt.date:
    """When a workbook should come back if the coordinator sets no date.

    The bod for years Y..Y+4 is due on the bod termijn (1 juli) of Y-1. The jaarschijf for Y
    must be agreed before the afspraken are published (15 december) of Y-1; 1 oktober leaves
    time to negotiate, unless the agreed date for the afspraken comes before it. The monitor
    of jaarschijf Y is back on the monitor termijn (15 februari) of Y+1.
    """
    if kind == "bod":
        return termijnen.bod_date(first_year - 1)
    if kind == "monitor":
        return termijnen.monitor_date(first_year)
    return min(dt.date(first_year - 1, *JAARSCHIJF_TERUG), termijnen.afspraken_date(first_year - 1))


def legal_deadline(kind: str, first_year: int, termijnen: Termijnen = WETTELIJK) -> str:
    """The legal moment a workbook serves, as one Dutch sentence for its cover sheet."""
    if kind == "bod":
        return (
            f"Het bod ligt uiterlijk {dutch_date(termijnen.bod_date(first_year - 1))} bij "
            f"gemeente en huurdersorganisatie ({termijnen.basis('bod')})."
        )
    if kind == "monitor":
        return (
            f"De realisatie van de afspraken van {first_year} is uiterlijk "
            f"{dutch_date(termijnen.monitor_date(first_year))} terug bij de gemeente "
            f"({termijnen.basis('monitor')}). Peildatum tussen "
            f"{' en '.join(dutch_date(day) for day in monitor_round(first_year))}."
        )
    return (
        f"De afspraken voor {first_year} worden uiterlijk "
        f"{dutch_date(termijnen.afspraken_date(first_year - 1))} ondertekend en gepubliceerd "
        f"({termijnen.basis('afspraken')})."
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
    termijn, a jaarschijf after the afspraken are to be signed and published, both in the year
    before `first_year` and by the agreed termijnen (TERMIJN_GROND says where each comes from).
    Returns that moment and where it comes from; None when the date is in time, and for a
    monitor, whose return date is advice, not law."""
    if deadline is None or kind == "monitor":
        return None
    if kind == "bod":
        due, basis = termijnen.bod_date(first_year - 1), termijnen.basis("bod")
    else:
        due, basis = termijnen.afspraken_date(first_year - 1), termijnen.basis("afspraken")
    return (due, basis) if deadline > due else None

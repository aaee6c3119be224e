"""The forms of a target (spec 1.5, issue 26), as real afspraken state them.

- one number, by its doelsoort: "minimaal 125" (minimaal, maximaal, ongeveer, exact);
- a bandbreedte: "1.900 tot 2.500", streefwaarde the lower bound, streefwaarde_tot the upper
  (doelsoort bandbreedte, or empty with streefwaarde_tot filled);
- relatief: "niet meer dan de inflatie", a reference (referentie) and no number; the
  doelsoort says the richting (maximaal: niet meer dan; minimaal: op of boven), an empty one
  the indicator's richting, as for a number;
- each of them `per jaar` (each year of its planning anew: "200 per jaar") or in totaal over
  its planning ("1.250 over 2026-2030"; empty, as before 1.5), the doeltermijn.

One place says which form a row's values have (form_of) and what is wrong with them
(mistakes): validate reports them as findings D001-D006 at the cell, the config as problems at
the key, so a lopende afspraak and a party's own row are held to the same rules.

One place says too when a realisatie meets a target (meets, by the doelsoort that applies:
doelsoort_of), when the streefwaarde itself decides (due) and when a target met stays met
(stays_met): the evaluation's judgement (cycle/judgement.py) and validate's P006 and P007
both read them, so a status is held to the same target as the evaluation holds the figures to.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from pa_sheets.numbers import dutch_number
from pa_sheets.spec.model import NOT_ADDITIVE, Indicator, Spec
from pa_sheets.spec.planning import Span

ENKEL, BANDBREEDTE, RELATIEF = "enkel", "bandbreedte", "relatief"
# The column of a bandbreedte's upper bound (Streefwaarde tot); streefwaarde is the lower.
UPPER_BOUND = "streefwaarde_tot"
# The columns of the target forms: a row without any of them is a target as before 1.5.
FORM_COLUMNS = (UPPER_BOUND, "referentie", "doeltermijn", "referentiewaarde")
# Numbers that a relative target does not have: it is measured against its reference.
NUMBERS = ("streefwaarde", UPPER_BOUND, "mijlpaal")


@dataclass(frozen=True, slots=True)
class Form:
    """What a row's target is: ENKEL, BANDBREEDTE or RELATIEF, and whether it holds per jaar."""

    vorm: str = ENKEL
    per_jaar: bool = False
    referentie: str = ""

    @property
    def label(self) -> str:
        """'bandbreedte per jaar', 'relatief (inflatie)', '' for one number in totaal."""
        words = [] if self.vorm == ENKEL else [self.vorm]
        if self.vorm == RELATIEF:
            words = [f"ten opzichte van {self.referentie}"]
        if self.per_jaar:
            words.append("per jaar")
        return " ".join(words)


def _filled(value: object) -> bool:
    return value is not None and value != "" and not (isinstance(value, float) and value != value)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def form_of(values: Mapping[str, object], spec: Spec) -> Form:
    """The form of a row's target, from its values as read (or a lopende afspraak's)."""
    referentie = values.get("referentie")
    per_jaar = values.get("doeltermijn") in spec.yearly_doeltermijnen()
    if _filled(referentie):
        return Form(RELATIEF, per_jaar, str(referentie))
    if values.get("doelsoort") in spec.range_doelsoorten() or _filled(
        values.get("streefwaarde_tot")
    ):
        return Form(BANDBREEDTE, per_jaar)
    return Form(ENKEL, per_jaar)


def has_form_values(values: Mapping[str, object], spec: Spec) -> bool:
    """Whether a row uses any of the forms of spec 1.5 (nearly always none do)."""
    return any(_filled(values.get(key)) for key in FORM_COLUMNS) or (
        values.get("doelsoort") in spec.range_doelsoorten()
    )


def mistakes(
    values: Mapping[str, object], spec: Spec, soort: str | None = None
) -> list[tuple[str, str, object, object]]:
    """What is wrong with a row's target form: (code, column key, value, detail) per mistake.
    `soort` is the stand or stroom of its standard indicator, when it names one.

    D001 Streefwaarde tot below the streefwaarde; D002 a bandbreedte without both bounds;
    D003 a Streefwaarde tot with another doelsoort; D004 a number beside a reference;
    D005 per jaar for a stand (a stock at a peildatum is no yearly amount: a yearly rate in %,
    a huursomstijging, is a stroom and may be per jaar); D006 a Waarde referentie
    without a reference."""
    found: list[tuple[str, str, object, object]] = []
    low, high = values.get("streefwaarde"), values.get("streefwaarde_tot")
    doelsoort = values.get("doelsoort")
    ranged = doelsoort in spec.range_doelsoorten()
    referentie = values.get("referentie")
    if _filled(referentie):
        found += [
            ("D004", key, values.get(key), referentie)
            for key in NUMBERS
            if _filled(values.get(key))
        ]
        if ranged:
            found.append(("D004", "doelsoort", doelsoort, referentie))
    elif _filled(high) and _filled(doelsoort) and not ranged:
        found.append(("D003", "streefwaarde_tot", high, doelsoort))
    elif ranged and not (_number(low) and _number(high)):
        key = "streefwaarde" if not _filled(low) else "streefwaarde_tot"
        found.append(("D002", key, None, doelsoort))
    elif _number(low) and _number(high) and float(high) < float(low):  # type: ignore[arg-type]
        found.append(("D001", "streefwaarde_tot", high, low))
    if values.get("doeltermijn") in spec.yearly_doeltermijnen() and soort == "stand":
        found.append(("D005", "doeltermijn", values.get("doeltermijn"), values.get("indicator")))
    if _filled(values.get("referentiewaarde")) and not _filled(referentie):
        found.append(("D006", "referentiewaarde", values.get("referentiewaarde"), None))
    return found


# How near a value must be to count as the target: ongeveer 10%, exact only float noise.
ONGEVEER_MARGE = 0.10
EXACT = 1e-9
# An empty doelsoort: the spec's default (minimaal), unless the indicator wants less.
DEFAULT_DOELSOORT = "minimaal"
# The doelsoorten met from both sides (BANDBREEDTE is also the doelsoort of a range).
TWO_SIDED = ("ongeveer", "exact", BANDBREEDTE)
# How a message says the doelsoort before the number: 'ten hoogste 5'.
BOUND_WORDS = {"maximaal": "ten hoogste ", "ongeveer": "ongeveer ", "exact": "precies "}


def doelsoort_of(doelsoort: str | None, richting: str, tot: float | None, referentie: str) -> str:
    """The doelsoort that applies: a bandbreedte when it has an upper bound (and no
    reference), else the one given, else by the indicator's richting (lager: maximaal, else
    minimaal)."""
    if tot is not None and not referentie:
        return BANDBREEDTE
    if doelsoort and doelsoort != BANDBREEDTE:
        return doelsoort
    return "maximaal" if richting == "lager" else DEFAULT_DOELSOORT


def meets(value: float, target: float, kind: str, high: float | None = None) -> int:
    """0 when `value` meets `target` by the doelsoort `kind`; -1 when it falls short of it
    (below a minimum or an ongeveer, above a maximum), 1 when it is past it on the other side
    (only for ongeveer, exact and a bandbreedte, whose upper bound is `high`)."""
    if kind == BANDBREEDTE and high is not None:
        noise = EXACT * max(1.0, abs(target), abs(high))
        return -1 if value < target - noise else 1 if value > high + noise else 0
    margin = abs(target) * (ONGEVEER_MARGE if kind == "ongeveer" else EXACT)
    if kind == "maximaal":
        return 0 if value <= target + EXACT * max(1.0, abs(target)) else -1
    if kind in TWO_SIDED:
        margin = max(margin, EXACT)
        if abs(value - target) <= margin:
            return 0
        return -1 if value < target else 1
    return 0 if value >= target - EXACT * max(1.0, abs(target)) else -1


def due(per_jaar: bool, span: Span | None, year: int) -> bool:
    """Whether the streefwaarde itself decides at the end of `year`: a target per jaar (or a
    planning jaarlijks, doorlopend) every year anew, another once its planning has ended."""
    if per_jaar or (span is not None and span.end is None):
        return True
    return span is not None and span.end is not None and span.end <= dt.date(year, 12, 31)


def stays_met(kind: str, soort: str | None) -> bool:
    """Whether a target met before its end stays met: a stand at its peildatum, or a minimum
    reached. A maximum or an ongeveer of a stroom can still be passed."""
    return soort == "stand" or kind == "minimaal"


def soort_of(indicator: Indicator | None, eenheid: object) -> str | None:
    """Stand or stroom, as a target is judged: its standard indicator's; in % or as a
    rapportcijfer always a stand (a passend toegewezen share of 94% is no flow of 94); None
    for an own indicator."""
    if eenheid in NOT_ADDITIVE:
        return "stand"
    return indicator.soort if indicator is not None else None


def target_words(target: float, kind: str, high: float | None = None, referentie: str = "") -> str:
    """What a target asks, in words: 'ten hoogste 5', '1900 tot 2500' (a bandbreedte, `high`
    its upper bound), 'inflatie ten hoogste 2,5' (relative, `target` the reference's value)."""
    if referentie:
        return f"{referentie} {BOUND_WORDS.get(kind, '')}{_n(target)}"
    if high is not None and kind == BANDBREEDTE:
        return f"{_n(target)} tot {_n(high)}"
    return f"{BOUND_WORDS.get(kind, '')}{_n(target)}"


def _n(value: float) -> str:
    """A number as a reader sees it: Dutch, at most two decimals."""
    return dutch_number(round(value, 2))


# What the config says for each mistake of a lopende afspraak (validate's messages are in
# check/findings.py, at a cell; these at a key of the YAML).
CONFIG_TEXTS = {
    "D001": "streefwaarde_tot {value} ligt onder de streefwaarde {detail}: de bovengrens van "
    "een bandbreedte is de hoogste",
    "D002": "een bandbreedte heeft een streefwaarde (de ondergrens) en een streefwaarde_tot "
    "(de bovengrens)",
    "D003": "streefwaarde_tot hoort bij doelsoort bandbreedte, niet bij {detail}",
    "D004": "een doel ten opzichte van {detail} heeft geen getal; laat deze sleutel weg, of "
    "referentie",
    "D005": "per jaar past niet bij {detail}: een stand (een voorraad op een peildatum) is "
    "geen hoeveelheid per jaar",
    "D006": "referentiewaarde zonder referentie",
}

"""The judgement of an afspraak: its realisatie against what was agreed, never against the
nulmeting alone.

The yardstick of the evaluated year is the mijlpaal of that year; without one, the
streefwaarde: a stroom (a flow, counted up from the start of its planning) pro rata over its
planning, a stand (a stock at a peildatum) the target itself. Whether the realisatie meets it
follows from the doelsoort (minimaal, maximaal, ongeveer, exact); an empty doelsoort follows the
indicator's richting (lager: at most, else at least). When the planning has ended by the end of
the evaluated year, the streefwaarde itself decides: gehaald or niet gehaald.

The target forms of spec 1.5 (spec/targets.py): a bandbreedte is met inside its bounds (both
included), short of the lower one niet gehaald, past the upper one afwijkend; a target per jaar
holds each year anew, so the realisatie of the year meets the streefwaarde itself (no pro
rata); a target relative to a reference (niet meer dan de inflatie) is niet te beoordelen until
the monitor gives the reference's value of the year, and then that value is the streefwaarde of
the year, by the doelsoort or the richting.

Pure: no workbook, no files. evaluate.py builds a `Doel` per afspraak (doel_of) and puts the
`Oordeel` beside the party's own stoplicht; where the two disagree (contradicts) that is a
finding for the coordinator ("groen gemeld, 30 van 60 gerealiseerd, mijlpaal 50").
"""

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pa_sheets.numbers import dutch_number
from pa_sheets.spec.model import Indicator, Spec
from pa_sheets.spec.planning import Span, cached_span
from pa_sheets.spec.targets import (
    BANDBREEDTE,
    BOUND_WORDS,
    TWO_SIDED,
    doelsoort_of,
    due,
    soort_of,
    stays_met,
    target_words,
)
from pa_sheets.spec.targets import meets as _meets

# The judgements, from good to bad, then the ones that judge nothing.
GEHAALD = "gehaald"  # the streefwaarde is met
OP_KOERS = "op koers"  # the yardstick of the year is met, the streefwaarde not yet (not due)
ACHTER = "achter"  # the yardstick of the year is not met; the planning has not ended
NIET_GEHAALD = "niet gehaald"  # the planning has ended and the streefwaarde is not met
AFWIJKEND = "afwijkend"  # ongeveer or exact, and past the target on its far side
NIET_TE_BEOORDELEN = "niet te beoordelen"  # a target, but no realisatie or no yardstick
GEEN_DOEL = "geen meetbaar doel"  # no streefwaarde and no mijlpaal: the stoplicht alone
JUDGEMENTS = (GEHAALD, OP_KOERS, ACHTER, NIET_GEHAALD, AFWIJKEND, NIET_TE_BEOORDELEN, GEEN_DOEL)
# The judgements that say something good or bad of the afspraak (the others judge nothing).
JUDGED = (GEHAALD, OP_KOERS, ACHTER, NIET_GEHAALD, AFWIJKEND)

# When a realisatie meets a target (doelsoort_of, meets) and when a target met stays met
# (due, stays_met) is said once, in spec/targets.py: validate's P006 and P007 read it too.

# Which judgements a status of the party's stoplicht contradicts: groen (op schema) while the
# figures are behind; rood (wordt niet gehaald) while they are met or on course; gerealiseerd
# while they are not met; oranje (risico) while the target is already met. A status not named
# here (niet gestart, vervallen, agree to disagree) contradicts nothing.
CONTRADICTS: Mapping[str, frozenset[str]] = {
    "groen": frozenset({ACHTER, NIET_GEHAALD, AFWIJKEND}),
    "oranje": frozenset({GEHAALD}),
    "rood": frozenset({GEHAALD, OP_KOERS}),
    "gerealiseerd": frozenset({OP_KOERS, ACHTER, NIET_GEHAALD, AFWIJKEND}),
}


@dataclass(frozen=True, slots=True)
class Doel:
    """What was agreed for one afspraak, as far as a judgement needs it."""

    streefwaarde: float | None
    mijlpaal: float | None = None  # of the evaluated year, counted up from the start
    soort: str | None = "stroom"  # stand or stroom; None: an own indicator, not known
    richting: str = "neutraal"  # hoger, lager or neutraal
    doelsoort: str | None = None  # minimaal, maximaal, ongeveer, exact; None: by richting
    planning: object = None  # the planning cell as read (2030, 'Q3 2027', '2024-2028'...)
    nulmeting: float | None = None  # only says which way an ongeveer-target lies
    nulmeting_jaar: int | None = None  # a stroom counts from the year after it
    eenheid: str = ""
    tot: float | None = None  # a bandbreedte's upper bound (streefwaarde: the lower one)
    per_jaar: bool = False  # the streefwaarde holds each year of its planning anew
    referentie: str = ""  # a target relative to this (inflatie), without a number
    referentiewaarde: float | None = None  # the reference's value of the year, when given

    @property
    def kind(self) -> str:
        """The doelsoort that applies: the one given, else by the richting."""
        return doelsoort_of(self.doelsoort, self.richting, self.tot, self.referentie)


@dataclass(frozen=True, slots=True)
class Oordeel:
    """The judgement of one afspraak, with what it was measured against, in words."""

    oordeel: str  # JUDGEMENTS
    uitleg: str  # '30 van 60 gerealiseerd, mijlpaal 50'
    realisatie: float | None = None
    maatstaf: float | None = None  # the yardstick of the year, where there was one
    maatstaf_naam: str = ""  # 'mijlpaal', 'pro rata', 'streefwaarde'

    @property
    def judged(self) -> bool:
        return self.oordeel in JUDGED


def judge(doel: Doel, realisatie: float | None, year: int) -> Oordeel:
    """The judgement of a realisatie at the end of `year` against what was agreed.

    Example: judge(Doel(60, mijlpaal=50, planning="2025-2028"), 30, 2027).uitleg
    -> '30 van 60 gerealiseerd, mijlpaal 50'
    """
    if doel.referentie:
        doel_or_none = _by_reference(doel)
        if doel_or_none is None:
            return Oordeel(NIET_TE_BEOORDELEN, _NO_REFERENCE.format(doel.referentie), realisatie)
        doel = doel_or_none
    target, kind = doel.streefwaarde, doel.kind
    if target is None and doel.mijlpaal is None:
        return Oordeel(GEEN_DOEL, "geen streefwaarde of mijlpaal", realisatie)
    if realisatie is None:
        return Oordeel(NIET_TE_BEOORDELEN, "geen realisatie opgegeven", None)
    done = _done(doel, realisatie)
    span = cached_span(doel.planning) if doel.planning is not None else None
    if target is not None:
        final = _meets(realisatie, target, kind, doel.tot)
        # jaarlijks, doorlopend, or a target per jaar: each year's realisatie meets it anew
        if due(doel.per_jaar, span, year):
            verdict = GEHAALD if final == 0 else _missed(final, kind, doel, target)
            return Oordeel(verdict, f"{done}, {_target_text(doel, target)}", realisatie)
        # Before its end a target that is met stays met: a stand at its peildatum, or a
        # stroom's minimum already reached. A maximum or an ongeveer of a stroom can still be
        # passed, so those are judged by the yardstick of the year.
        if final == 0 and stays_met(kind, doel.soort):
            return Oordeel(GEHAALD, f"{done}, {_target_text(doel, target)}", realisatie)
        # A flow past its maximum (or past an exact total) cannot come back under it.
        if doel.soort == "stroom" and final != 0 and _past_for_good(final, kind):
            verdict = AFWIJKEND if kind == BANDBREEDTE else NIET_GEHAALD  # as when due
            return Oordeel(verdict, f"{done}, {_target_text(doel, target)}", realisatie)
    if doel.mijlpaal is not None and kind == BANDBREEDTE:
        # A mijlpaal of a range is its lower bound of the year.
        return _by(
            dataclasses.replace(doel, tot=None, doelsoort="minimaal"),
            realisatie,
            doel.mijlpaal,
            "mijlpaal",
            done,
        )
    if doel.mijlpaal is not None:
        return _by(doel, realisatie, doel.mijlpaal, "mijlpaal", done)
    assert target is not None  # a mijlpaal or a streefwaarde, checked above
    if doel.soort == "stand":
        return _by(doel, realisatie, target, "streefwaarde", done, high=doel.tot)
    if doel.soort is None:
        return Oordeel(
            NIET_TE_BEOORDELEN,
            f"{done}, {_target_text(doel, target)}; geen mijlpaal, en van een eigen indicator "
            "is niet bekend of het een stand of een stroom is",
            realisatie,
        )
    share = _pro_rata(doel, span, year)
    if isinstance(share, str):
        return Oordeel(
            NIET_TE_BEOORDELEN, f"{done}, {_target_text(doel, target)}; {share}", realisatie
        )
    fraction, years = share
    high = doel.tot * fraction if doel.tot is not None else None
    return _by(doel, realisatie, target * fraction, "pro rata", done, years, high)


_NO_REFERENCE = "ten opzichte van {0}: geen waarde van {0} opgegeven (Waarde referentie)"


def _by_reference(doel: Doel) -> Doel | None:
    """A target relative to a reference as a target of the year: the reference's value is its
    streefwaarde, as a level; None without that value."""
    if doel.referentiewaarde is None:
        return None
    return dataclasses.replace(
        doel, streefwaarde=doel.referentiewaarde, mijlpaal=None, soort="stand"
    )


def contradicts(status: object, oordeel: Oordeel) -> bool:
    """Whether the party's own status says otherwise than the figures."""
    return isinstance(status, str) and oordeel.oordeel in CONTRADICTS.get(status, ())


def finding(status: str, oordeel: Oordeel) -> str:
    """The coordinator's finding: 'groen gemeld, 30 van 60 gerealiseerd, mijlpaal 50'."""
    return f"{status} gemeld, {oordeel.uitleg}"


# The fixed cells of a row doel_of reads: rows equal in these and in REFERENTIEWAARDE (the
# party's own input) have the same Doel.
REFERENTIEWAARDE = "referentiewaarde"
DOEL_KEYS = (
    "indicator",
    "eenheid",
    "streefwaarde",
    "mijlpaal",
    "planning",
    "nulmeting",
    "nulmeting_jaar",
    "doelsoort",
    "streefwaarde_tot",
    "doeltermijn",
    "referentie",
)


def judge_share(doel: Doel, aandeel: float, realisatie: float | None, year: int) -> Oordeel:
    """A corporatie's own contribution to a joint target judged against its aandeel (spec
    1.6): the joint target's doelsoort, planning and indicator, its share as the streefwaarde
    (no mijlpaal of its own: pro rata over the planning). The joint target itself is judged on
    the contributions together, apart from this.

    Example: judge_share(Doel(1500, planning="2021-2025"), 375, 400, 2025).oordeel -> 'gehaald'
    """
    own = dataclasses.replace(doel, streefwaarde=aandeel, mijlpaal=None, tot=None, referentie="")
    oordeel = judge(own, realisatie, year)
    return dataclasses.replace(oordeel, uitleg=f"eigen aandeel: {oordeel.uitleg}")


def doel_of(values: Mapping[str, object], spec: Spec) -> Doel:
    """The Doel of an afspraak's row (its values as read): the richting and soort of its
    standard indicator when it names one in that indicator's eenheid; in % or as a
    rapportcijfer always a stand (a passend toegewezen share of 94% is no flow of 94)."""
    name, eenheid = values.get("indicator"), values.get("eenheid")
    indicator = _indicator(spec, name) if isinstance(name, str) else None
    if indicator is not None and isinstance(eenheid, str) and eenheid != indicator.eenheid:
        indicator = None  # another eenheid: not what the indicator measures
    year = values.get("nulmeting_jaar")
    doelsoort = values.get("doelsoort")
    referentie = values.get("referentie")
    return Doel(
        streefwaarde=_number(values.get("streefwaarde")),
        mijlpaal=_number(values.get("mijlpaal")),
        soort=soort_of(indicator, eenheid),
        richting=indicator.richting if indicator is not None else "neutraal",
        doelsoort=doelsoort if isinstance(doelsoort, str) and doelsoort else None,
        planning=values.get("planning"),
        nulmeting=_number(values.get("nulmeting")),
        nulmeting_jaar=int(year) if isinstance(year, int | float) and year else None,
        eenheid=eenheid if isinstance(eenheid, str) else "",
        tot=_number(values.get("streefwaarde_tot")),
        per_jaar=values.get("doeltermijn") in spec.yearly_doeltermijnen(),
        referentie=str(referentie)
        if isinstance(referentie, str | int | float) and referentie
        else "",
        referentiewaarde=_number(values.get(REFERENTIEWAARDE)),
    )


# (spec hash, name) -> the standard indicator it names: the same few names on many rows.
_NAMED: dict[tuple[str, str], Indicator | None] = {}


def _indicator(spec: Spec, name: str) -> Indicator | None:
    key = (spec.hash, name)
    if key not in _NAMED:
        if len(_NAMED) > 10_000:  # own indicators are free text: keep the memo small
            _NAMED.clear()
        _NAMED[key] = spec.indicator(name)
    return _NAMED[key]


def combined(parts: Sequence[float | None], additive: bool) -> float | None:
    """The realisatie of a shared target from each corporatie's contribution: their sum (a
    mean, unweighted, for a % or rapportcijfer); None when one of them gave none."""
    if not parts or any(part is None for part in parts):
        return None
    numbers = [float(part) for part in parts if part is not None]
    return sum(numbers) if additive else sum(numbers) / len(numbers)


# ---------------------------------------------------------------------------------------------
# Private helpers.
# ---------------------------------------------------------------------------------------------


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _missed(side: int, kind: str, doel: Doel, target: float) -> str:
    """Not met at the end: short of it is niet gehaald; past an ongeveer or exact target on
    the far side is afwijkend."""
    if kind in TWO_SIDED and side == 1 and not _lies_beyond(doel, target):
        return AFWIJKEND
    if kind in TWO_SIDED and side == -1 and _lies_beyond(doel, target):
        return AFWIJKEND
    return NIET_GEHAALD


def _past_for_good(side: int, kind: str) -> bool:
    """A stroom counted up from zero that is over a maximum, or over an exact total."""
    return (kind == "maximaal" and side == -1) or (kind in ("exact", BANDBREEDTE) and side == 1)


def _lies_beyond(doel: Doel, target: float) -> bool:
    """Whether the way to an ongeveer or exact target goes down (from a higher nulmeting,
    or an indicator where less is better)."""
    if doel.soort == "stroom":
        return False  # a flow is counted up from zero
    if doel.nulmeting is not None and doel.nulmeting != target:
        return doel.nulmeting > target
    return doel.richting == "lager"


def _by(
    doel: Doel,
    realisatie: float,
    yardstick: float,
    name: str,
    done: str,
    years: str = "",
    high: float | None = None,
) -> Oordeel:
    """Before the end of the planning: the yardstick of the year decides (of a bandbreedte
    its two bounds, `high` the upper)."""
    kind = doel.kind
    side = _meets(realisatie, yardstick, kind, high)
    if side == 0:
        verdict = OP_KOERS
    elif kind in TWO_SIDED:
        down = _lies_beyond(doel, doel.streefwaarde if doel.streefwaarde is not None else 0)
        behind = side == (1 if down else -1)
        target = doel.streefwaarde
        # A stroom ahead of its pro rata share, not yet past the target: ahead, not off.
        ahead = (
            not behind
            and target is not None
            and doel.soort == "stroom"
            and _meets(realisatie, target, kind, doel.tot) != 1
        )
        verdict = ACHTER if behind else OP_KOERS if ahead else AFWIJKEND
    else:
        verdict = ACHTER
    shown = _n(yardstick) if high is None else f"{_n(yardstick)} tot {_n(high)}"
    if name == "pro rata":
        shown = f"{shown}{years}"
    what = f"{name} {_bound(kind)}{shown}"
    return Oordeel(verdict, f"{done}, {what}", realisatie, yardstick, name)


def _done(doel: Doel, realisatie: float) -> str:
    """'30 van 60 gerealiseerd' for a stroom, '94 gemeten' for a stand."""
    if (
        doel.soort == "stroom"
        and doel.streefwaarde is not None
        and doel.kind not in ("maximaal", BANDBREEDTE)
        and not doel.per_jaar
    ):
        return f"{_n(realisatie)} van {_n(doel.streefwaarde)} gerealiseerd"
    return (
        f"{_n(realisatie)} gerealiseerd" if doel.soort == "stroom" else f"{_n(realisatie)} gemeten"
    )


def _target_text(doel: Doel, target: float) -> str:
    """What the streefwaarde asks, with its planning: 'streefwaarde ten hoogste 5 (2028)'."""
    when = f" ({doel.planning})" if doel.planning not in (None, "") else ""
    when = f" per jaar{when}" if doel.per_jaar else when
    if isinstance(doel.planning, float) and doel.planning.is_integer():
        when = f" ({int(doel.planning)})"
    words = target_words(target, doel.kind, doel.tot, doel.referentie)
    return f"{words}{when}" if doel.referentie else f"streefwaarde {words}{when}"


def _bound(kind: str) -> str:
    return BOUND_WORDS.get(kind, "")


def _pro_rata(doel: Doel, span: Span | None, year: int) -> tuple[float, str] | str:
    """The share of a stroom's planning that lies in or before `year`, and that in words;
    or why there is none. The planning runs from its own start (a period, 2024-2028) or from
    the year after the nulmeting, to its end."""
    if span is None or span.end is None:
        return "geen planning om pro rata mee te rekenen; geef een mijlpaal"
    start = span.start if span.kind == "periode" else None
    if start is None and doel.nulmeting_jaar is not None:
        start = dt.date(doel.nulmeting_jaar + 1, 1, 1)
    if start is None or start > span.end:
        return (
            "geen begin van de planning (een periode, bijv. 2025-2028, of het jaar van de "
            "nulmeting); geef een mijlpaal"
        )
    year_end = dt.date(year, 12, 31)
    if start > year_end:
        return f"de planning begint pas in {start.year}"
    if start == dt.date(start.year, 1, 1) and span.end == dt.date(span.end.year, 12, 31):
        whole_years = span.end.year - start.year + 1  # whole years: 2 of 5, not by days
        passed_years = min(year, span.end.year) - start.year + 1
        fraction = passed_years / whole_years
        text = f" ({passed_years} van {whole_years} jaar)"
    else:
        whole = (span.end - start).days + 1
        fraction = ((min(year_end, span.end) - start).days + 1) / whole
        text = f" ({round(100 * fraction)}% van de looptijd)"
    return fraction, text


@functools.lru_cache(maxsize=4096)
def _n(value: float) -> str:
    """A number as a reader sees it: Dutch, at most two decimals."""
    return dutch_number(round(value, 2))

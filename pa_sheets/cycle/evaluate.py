"""The spring evaluation: how the afspraken of a jaarschijf stand, per thema, party and
corporatie, which ones need attention (rood first, then oranje), how many SMART warnings
remain, and per afspraak a judgement of its realisatie against what was agreed (judgement.py:
the mijlpaal of the year, else the streefwaarde), beside the party's own stoplicht; where the
two disagree, that is a finding for the coordinator. Every status is counted once per
corporatie row; a collective afspraak (the same lopende afspraak in every corporatie's
workbook) is judged once, on the contributions together, and when the corporaties give it
different statuses it is marked "uiteenlopend" besides. Per corporatie a section for its
volkshuisvestingsverslag (Woningwet art. 36a). It reads returned jaarschijven (validated as for
merge) or a gezamenlijk overzicht that merge wrote (through read_overview), and computes from
the `Merged` either gives, the same way, one `Evaluation`.

What is shown of it flows one way from here: evaluation_tables.py (the tables and words the
text and the workbooks share), verslag.py (the section per corporatie) and evaluation_trend.py
(year after year), then evaluation_text.py (the text the CLI prints) and
evaluation_workbook.py (write_evaluation: the workbook with charts).
"""

import datetime as dt
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import NamedTuple

from pa_sheets.check.findings import FileReport
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.cycle.history import Historie, history
from pa_sheets.cycle.judgement import (
    DOEL_KEYS,
    GEEN_DOEL,
    JUDGEMENTS,
    NIET_TE_BEOORDELEN,
    REFERENTIEWAARDE,
    Oordeel,
    combined,
    contradicts,
    doel_of,
    finding,
    judge,
    judge_share,
)
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import COLLECTIVE, DIFFERENT_STATUS, Collective, Merged
from pa_sheets.merge.indicator_tables import NOT_ADDITIVE, chosen_term, ranged, target_term
from pa_sheets.merge.read_overview import load_merged, smart_warnings
from pa_sheets.merge.signing import ondertekening
from pa_sheets.merge.sources import Record
from pa_sheets.merge.tables import Table
from pa_sheets.numbers import dutch_number
from pa_sheets.parallel import gc_paused
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import Indicator, Spec, load_spec
from pa_sheets.spec.names import PROGRESS_KINDS
from pa_sheets.spec.palette import GEEN_STATUS, UITEENLOPEND
from pa_sheets.spec.targets import UPPER_BOUND

NO_STATUS = GEEN_STATUS
# validate's SMART warnings (M001-M003), counted as the overview's table per corporatie counts
# them: by their family letter.
SMART_FAMILY = "M"
# The extra column of the stoplicht tables: of the rows counted, how many are a corporatie's
# copy of a collective afspraak the corporaties give different statuses. Never a status.
MARK_HEADER = f"waarvan {UITEENLOPEND}"
NOT_JUDGED = Oordeel(GEEN_DOEL, "")
# A collective afspraak whose target is each corporatie's own: judged per corporatie row.
PER_CORPORATIE = Oordeel(NIET_TE_BEOORDELEN, "per corporatie beoordeeld")


@dataclass(frozen=True)
class Afspraak:
    """One afspraak as the evaluation needs it: as one corporatie reports it."""

    corporatie: str
    thema: str
    partij: str
    nummer: str
    afspraak: str
    trekker: str
    status: str  # a status from the spec, or NO_STATUS
    toelichting: str
    collectief: bool = False  # in every corporatie's workbook: judged once
    indicator: str = ""
    eenheid: str = ""
    streefwaarde: float | None = None
    mijlpaal: float | None = None
    planning: str = ""
    realisatie: float | None = None  # this corporatie's own figure (its contribution)
    # The judgement; of a collective afspraak on the contributions together.
    oordeel: Oordeel = NOT_JUDGED
    uiteenlopend: bool = False  # a collective afspraak the corporaties give different statuses
    # A bandbreedte's upper bound (1.900 tot 2.500; `streefwaarde` is the lower one), else None.
    streefwaarde_tot: float | None = None


@dataclass(frozen=True)
class Conflict:
    """A collective afspraak the corporaties give different statuses."""

    nummer: str
    thema: str
    partij: str
    afspraak: str
    statuses: tuple[tuple[str, str], ...]  # (corporatie, status or NO_STATUS)


@dataclass(frozen=True)
class Tegenspraak:
    """A status that says otherwise than the figures: a finding for the coordinator."""

    corporatie: str
    thema: str
    nummer: str
    afspraak: str
    status: str
    oordeel: str
    tekst: str  # 'groen gemeld, 30 van 60 gerealiseerd, mijlpaal 50'


@dataclass(frozen=True)
class Gedeeld:
    """A target of the corporaties together (a joint scope): their contributions added up
    against it, and what each contributed and reported."""

    nummer: str
    thema: str
    afspraak: str
    streefwaarde: float | None
    mijlpaal: float | None
    oordeel: Oordeel
    bijdragen: tuple[tuple[str, float | None, str], ...]  # (corporatie, realisatie, status)
    # Each corporatie's aandeel in the target (spec 1.6), in the order of bijdragen; None: none.
    aandelen: tuple[float | None, ...] = ()
    streefwaarde_tot: float | None = None  # a bandbreedte's upper bound, as of an Afspraak


@dataclass(frozen=True)
class Koers:
    """A standard indicator: the realisatie of the afspraken that name it in its eenheid, and
    how many of them each judgement got."""

    code: str
    naam: str
    eenheid: str
    soort: str
    richting: str
    afspraken: int  # in the indicator's eenheid, a collective one once
    gemeten: int  # of which with a realisatie
    streefwaarde: float | None  # of those with a realisatie, added up (or their mean)
    realisatie: float | None
    berekend: str  # "som", or "gemiddelde (ongewogen)" for % and rapportcijfer
    oordelen: tuple[int, ...]  # per JUDGEMENTS, of the afspraken in its eenheid
    andere_eenheid: int  # afspraken with this indicator in another eenheid: not counted
    # Measured afspraken whose target has another term or form than `termijn`, the one the
    # totals count (target_term, chosen_term): not in streefwaarde or realisatie.
    andere_termijn: int = 0
    termijn: str = ""  # '2027', 'per jaar', '2026-2030, bandbreedte'; '' without a planning
    # When `termijn` is a bandbreedte's (1.900 tot 2.500): its upper bounds (Streefwaarde
    # tot), as `streefwaarde` counts its lower ones; None for any other target.
    streefwaarde_tot: float | None = None


@dataclass
class Evaluation:
    title: str
    statuses: list[str]  # the stoplicht columns: the spec's statuses, then NO_STATUS
    # The statuses that need steering (spec: toelichting_verplicht), worst first: rood, oranje.
    attention_statuses: tuple[str, ...]
    afspraken: list[Afspraak]  # every row of every workbook, as each corporatie reports it
    # Corporatie -> SMART warnings left in its workbook (validate's M001-M003). Counted per
    # corporatie, not per afspraak: an overview keeps no more than that.
    smart: dict[str, int] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)  # the files evaluated: never written over
    # Every afspraak once, as it is judged: a collective one as COLLECTIVE, with its common
    # status or DIFFERENT_STATUS.
    counted: list[Afspraak] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    koers: list[Koers] = field(default_factory=list)
    signing: Table | None = None  # who signed the jaarschijf, per corporatie (spec 1.4)
    tegenspraak: list[Tegenspraak] = field(default_factory=list)
    gedeeld: list[Gedeeld] = field(default_factory=list)  # the joint targets
    year: int = 0
    corporaties: list[str] = field(default_factory=list)  # in the order of the merge
    historie: Historie | None = None  # with earlier years (evaluate --historie)

    def by(self, name: str, key: Callable[[Afspraak], str]) -> Table:
        """Counts and shares of every status per group, every corporatie row once, with a
        totals row; the collective afspraken with different statuses as an extra column."""
        groups: dict[str, Counter[str]] = {}
        for item in self.afspraken:
            counts = groups.setdefault(key(item), Counter())
            counts[item.status] += 1
            counts[MARK_HEADER] += item.uiteenlopend
        marks = [MARK_HEADER] if self.conflicts else []
        rows = []
        for group, counts in sorted(groups.items()):
            total = sum(counts[s] for s in self.statuses)
            rows.append([group, total, *(counts[s] for s in [*self.statuses, *marks])])
        table = Table(
            f"Per{name.replace(' ', '')}",
            f"Stoplicht per {name}",
            [name.capitalize(), "Afspraken", *self.statuses, *marks],
            rows,
        )
        return table.add_totals("Alle", 1)

    def judged_by(self, name: str, key: Callable[[Afspraak], str]) -> Table:
        """How many afspraken got each judgement, per group: like the statuses, every
        corporatie row once (a joint target's judgement on each of its corporaties' rows)."""
        groups: dict[str, Counter[str]] = {}
        for item in self.afspraken:
            groups.setdefault(key(item), Counter())[item.oordeel.oordeel] += 1
        rows = [
            [group, sum(counts.values()), *(counts[j] for j in JUDGEMENTS)]
            for group, counts in sorted(groups.items())
        ]
        table = Table(
            f"Oordeel{name.replace(' ', '')}",
            f"Oordeel per {name} (tegen wat is afgesproken)",
            [name.capitalize(), "Afspraken", *JUDGEMENTS],
            rows,
        )
        return table.add_totals("Alle", 1)

    def attention(self) -> list[Afspraak]:
        """Every rood and oranje afspraak: rood first, then by corporatie, thema and nummer."""
        order = self.attention_statuses
        found = [a for a in self.afspraken if a.status in order]
        return sorted(found, key=lambda a: (order.index(a.status), a.corporatie, a.thema, a.nummer))

    def verslag(self) -> dict[str, list[Afspraak]]:
        """Per corporatie its afspraken, by thema and nummer: its section for the
        volkshuisvestingsverslag."""
        sections: dict[str, list[Afspraak]] = {c: [] for c in self.corporaties}
        for item in self.afspraken:
            sections.setdefault(item.corporatie, []).append(item)
        themas = list(dict.fromkeys(item.thema for item in self.afspraken))
        for items in sections.values():
            items.sort(key=lambda a: (themas.index(a.thema), a.nummer))
        return sections

    @property
    def smart_warnings(self) -> int:
        return sum(self.smart.values())


def evaluate_paths(
    paths: Iterable[Path],
    *,
    spec: Spec | None = None,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
    historie: Path | None = None,
    force: bool = False,
) -> Evaluation:
    """The evaluation of returned jaarschijven or monitors, or of one gezamenlijk overzicht;
    with the gemeente's `config` or the workbooks as `sent`, the workbooks are compared with it
    too. With `historie` (a parquet folder, cycle/history.py) this round goes into it (a year
    there already only with `force`) and the earlier years give the trend per indicator.

    Example: evaluate_paths([Path("monitoring-2028-terug/")], historie=Path("historie"))
    """
    # As while merging: a row or two of objects per afspraak, no cycles. Paused once over
    # both: the collector meets the rows after evaluating, not also in between.
    with gc_paused():
        loaded = load_merged(
            paths, spec or load_spec(), allow_invalid=True, config=config, sent=sent
        )
        merged = loaded.merged
        if loaded.overview is not None:
            smart = _overview_smart(loaded.overview, merged)
        else:
            smart = {s.corporatie: _smart_findings(s.report) for s in merged.sources}
        evaluation = evaluate_merged(merged, smart, loaded.inputs)
    if historie is not None:
        evaluation.historie = history(merged, historie, force=force)
    return evaluation


def evaluate_merged(
    merged: Merged, smart: Mapping[str, int], inputs: Iterable[Path] = ()
) -> Evaluation:
    """The evaluation of merged jaarschijven, given the SMART warnings validate gave each
    corporatie's workbook; `inputs` are the files they were read from.

    Example: evaluate_merged(merge_paths([Path("terug/")], allow_invalid=True), {})
    """
    inputs = list(inputs)
    if merged.kind not in PROGRESS_KINDS:  # a monitor is evaluated as a jaarschijf is
        where = inputs[0] if inputs else merged.sources[0].path
        raise UsageError(
            f"{where} is een {merged.kind}: een bod heeft geen stoplicht. Evalueer de "
            "ingevulde monitors (of de jaarschijven)."
        )
    known = set(_statuses(merged.spec))

    def status_of(value: object) -> str:
        return value if value in known else NO_STATUS

    shared = _shared(merged, status_of)
    afspraken, counted, named = _afspraken(merged, shared, status_of)
    conflicts = [
        Conflict(
            collective.nummer,
            collective.record.thema,
            collective.partij,
            str(collective.record.values.get("afspraak") or ""),
            tuple((c, status_of(s)) for c, s in collective.statuses().items()),
        )
        for collective in merged.collectives
        if len(shared[id(collective.record)].statuses) > 1
    ]
    template = merged.template
    return Evaluation(
        f"Evaluatie jaarschijf {template.years[0]}, {template.gemeente}",
        _statuses(merged.spec),
        # The spec lists the statuses from good to bad: what will not be met comes first. An
        # afspraak the parties agree to disagree on needs no steering but talk (Samenvatting).
        tuple(
            status
            for status in reversed(merged.spec.statuses_needing_toelichting())
            if status not in merged.spec.disagreeing_statuses()
        ),
        afspraken,
        {source.corporatie: smart.get(source.corporatie, 0) for source in merged.sources},
        inputs,
        counted,
        sorted(conflicts, key=lambda c: (c.thema, c.nummer)),
        [
            k
            for indicator in merged.spec.indicators
            if (k := _koers(merged, indicator, named.get(indicator.code, [])))
        ],
        ondertekening(merged),
        _tegenspraak(afspraken),
        _gedeeld(merged, shared, status_of),
        template.years[0],
        merged.corporaties,
    )


def _statuses(spec: Spec) -> list[str]:
    return [term.naam for term in spec.statussen] + [NO_STATUS]


def _judgement(merged: Merged, record: Record, collective: Collective, own: Oordeel) -> Oordeel:
    """The judgement of a collective afspraak's joint target (alle corporaties: one target
    together), at its first row with that scope: on the contributions together. On the
    gemeente's or a partner's tab each workbook holds a copy of that party's figure: the
    row's `own` judgement."""
    if collective.shared:
        return own
    year = merged.years[0]
    doel = doel_of(record.values, merged.spec)
    parts = [(s.corporatie, _number(r.values.get("realisatie"))) for s, r in collective.members]
    additive = doel.eenheid not in NOT_ADDITIVE
    oordeel = judge(doel, combined([value for _, value in parts], additive), year)
    shown = "; ".join(f"{c} {'-' if v is None else _number_text(v)}" for c, v in parts)
    how = "samen" if additive else "gemiddeld"
    return replace(oordeel, uitleg=f"{how} {oordeel.uitleg} (bijdragen: {shown})")


# The cells a row's _Measured is worked out from: what was agreed (doel_of), the realisatie.
_MEASURED_KEYS = (*DOEL_KEYS, REFERENTIEWAARDE, "realisatie")
# Every cell of a row the evaluation reads, those first: read once per row (_reader).
_ROW_KEYS = (*_MEASURED_KEYS, "nummer", "afspraak", "trekker", "status", "toelichting", "scope")
_MEASURED = len(_MEASURED_KEYS)


def _reader(keys: tuple[str, ...]) -> Callable[[Mapping[str, object]], tuple[object, ...]]:
    """A function giving a row's cells of `keys` in one tuple, None where it has no such
    column: values.get per key, as one operator.itemgetter (a few times faster: a row is read
    220,000 times at 1,000 monitors) while the row has them all, as a monitor's rows have. A
    jaarschijf's have no Waarde referentie: read key by key (an exception per row, and
    still faster than the reads this walk replaced)."""
    whole = operator.itemgetter(*keys)

    def read(values: Mapping[str, object]) -> tuple[object, ...]:
        try:
            return whole(values)
        except KeyError:  # a block without one of these columns (a jaarschijf's)
            return tuple(map(values.get, keys))

    return read


class _Measured(NamedTuple):
    """What a row's cells of _MEASURED_KEYS give: its judgement on its own figure (judge),
    those cells as an Afspraak shows them, the standard indicator it names (by code or name,
    as Merged.by_indicator finds it) and whether in that indicator's eenheid, its target's
    term and form (target_term) and the upper bound of a bandbreedte (None: none)."""

    oordeel: Oordeel
    # Afspraak's indicator, eenheid, streefwaarde, mijlpaal, planning and realisatie, in order.
    shown: tuple[str, str, float | None, float | None, str, float | None]
    indicator: Indicator | None
    in_eenheid: bool
    term: str
    tot: float | None

    @property
    def realisatie(self) -> float | None:
        """The realisatie as a number (None: none, or not a number)."""
        return self.shown[-1]


class _Measures(dict[tuple[object, ...], _Measured]):
    """A row's _Measured, remembered by its cells of _MEASURED_KEYS: rows alike in them (the
    copies of a collective afspraak, the rows without a target, the afspraken of an indicator
    with one planning and form) are worked out once: 1,500 times for 220,000 rows in the
    bench. The key holds each cell's type beside its value, as 2030 and 2030.0 or 1 and True
    are equal but not read alike."""

    def __init__(self, merged: Merged):
        super().__init__()
        self.spec, self.year = merged.spec, merged.years[0]

    def __call__(self, cells: tuple[object, ...], values: Mapping[str, object]) -> _Measured:
        key = (cells, tuple(map(type, cells)))
        found = self.get(key)
        if found is None:
            found = self[key] = self._measure(values)
        return found

    def _measure(self, values: Mapping[str, object]) -> _Measured:
        get = values.get
        realisatie = _number(get("realisatie"))
        name = get("indicator")
        indicator = self.spec.indicator(name) if isinstance(name, str) else None
        return _Measured(
            judge(doel_of(values, self.spec), realisatie, self.year),
            (
                str(get("indicator") or ""),
                str(get("eenheid") or ""),
                _number(get("streefwaarde")),
                _number(get("mijlpaal")),
                _planning_text(get("planning")),
                realisatie,
            ),
            indicator,
            indicator is not None and get("eenheid") == indicator.eenheid,
            target_term(values, self.spec),
            _number(get(UPPER_BOUND)),
        )


def _own_share(merged: Merged, values: Mapping[str, object], together: Oordeel) -> Oordeel:
    """A row of a joint target: with an Aandeel deze corporatie, its own realisatie judged
    against that share; without one, the joint target's judgement (its collective's)."""
    share = _number(values.get("aandeel"))
    if share is None:
        return together
    realisatie = _number(values.get("realisatie"))
    return judge_share(doel_of(values, merged.spec), share, realisatie, merged.years[0])


_JOINT: dict[str, frozenset[str]] = {}  # spec hash -> its joint scopes: asked per row


def _joint_scopes(spec: Spec) -> frozenset[str]:
    if spec.hash not in _JOINT:
        _JOINT[spec.hash] = frozenset(spec.joint_scopes())
    return _JOINT[spec.hash]


def _collective_realisatie(shared: "_Shared", additive: bool) -> float | None:
    """A collective afspraak's realisatie for its indicator: on the tab of each corporatie
    (or its huurdersorganisatie) each reports its own part, so the parts together when every
    one reported; on the gemeente's or a partner's tab that one party's figure, when every
    workbook gives the same."""
    values = shared.realisaties
    if shared.collective.shared:
        given = set(values)
        return given.pop() if len(given) == 1 else None
    return combined(values, additive)


def _gedeeld(
    merged: Merged, shared: Mapping[int, "_Shared"], status_of: Callable[[object], str]
) -> list[Gedeeld]:
    """The collective afspraken with a joint scope on the corporaties' own tabs: one target
    of them together, judged on their contributions."""
    joint = merged.spec.joint_scopes()
    found = [
        Gedeeld(
            c.nummer,
            c.record.thema,
            str(c.record.values.get("afspraak") or ""),
            _number(c.record.values.get("streefwaarde")),
            _number(c.record.values.get("mijlpaal")),
            shared[id(c.record)].judged(),
            tuple(
                (
                    source.corporatie,
                    _number(record.values.get("realisatie")),
                    status_of(record.values.get("status")),
                )
                for source, record in c.members
            ),
            tuple(_number(record.values.get("aandeel")) for _, record in c.members),
            _number(c.record.values.get(UPPER_BOUND)),
        )
        for c in merged.collectives
        if not c.shared and c.record.values.get("scope") in joint
    ]
    return sorted(found, key=lambda g: (g.thema, g.nummer))


def _tegenspraak(afspraken: list[Afspraak]) -> list[Tegenspraak]:
    """Every corporatie row whose status says otherwise than its judgement."""
    return [
        Tegenspraak(
            a.corporatie,
            a.thema,
            a.nummer,
            a.afspraak,
            a.status,
            a.oordeel.oordeel,
            finding(a.status, a.oordeel),
        )
        for a in afspraken
        if contradicts(a.status, a.oordeel)
    ]


def _koers(merged: Merged, indicator: Indicator, named: list["_Row"]) -> Koers | None:
    """The realisatie of the afspraken with this indicator in its eenheid, each once (a
    collective one: its parts together), and the judgements of every corporatie row; None
    when no afspraak names it. Of the rows that name it (`named`, in the order of the walk
    over all rows that made them) it counts what that walk worked out."""
    if not named:
        return None
    additive = indicator.eenheid not in NOT_ADDITIVE
    pairs: list[_Pair] = []
    # The term and form of each pair's target (target_term), of those with a realisatie.
    terms: list[str] = []
    verdicts: list[str] = []
    other, seen = 0, set()
    for afspraak, oordeel, shared, joint, measured in named:
        if not measured.in_eenheid:
            other += 1
            continue
        verdicts.append(oordeel.oordeel)
        if shared is not None:
            if id(shared) in seen:
                continue
            seen.add(id(shared))
        # Its own realisatie, a collective one's its parts together: not looked up by nummer,
        # as two afspraken may share one (two collectives whose copies differ, a corporatie's
        # lopende and nieuwe afspraak).
        if shared is None:
            realisatie = afspraak.realisatie
        else:
            realisatie = _collective_realisatie(shared, additive)
        target, tot = afspraak.streefwaarde, measured.tot
        if shared is not None and additive and not (shared.collective.shared or joint):
            # Each corporatie's own target (no joint scope): the realisatie adds up their
            # parts, so the target adds up theirs too, and a bandbreedte's upper bounds.
            times = len(shared.collective.members)
            target = None if target is None else target * times
            tot = None if tot is None else tot * times
        pairs.append(_Pair(target, tot, realisatie))
        terms.append(measured.term if realisatie is not None else "")
    if not pairs and not other:
        return None
    totals = _of_one_term(pairs, terms, additive, merged.years[0])
    return Koers(
        indicator.code,
        indicator.naam,
        indicator.eenheid,
        indicator.soort,
        indicator.richting,
        len(pairs),
        sum(pair.realisatie is not None for pair in pairs),
        totals.streefwaarde,
        totals.realisatie,
        "som" if additive else "gemiddelde (ongewogen)",
        tuple(map(Counter(verdicts).__getitem__, JUDGEMENTS)),
        other,
        totals.left_out,
        totals.termijn or "",
        totals.streefwaarde_tot,
    )


class _Pair(NamedTuple):
    """An afspraak's target and realisatie as an indicator's totals count them."""

    streefwaarde: float | None
    tot: float | None  # a bandbreedte's upper bound
    realisatie: float | None


class _Totals(NamedTuple):
    """What _of_one_term counts of an indicator's _Pairs."""

    termijn: str | None  # the term and form counted (target_term); None: none measured
    streefwaarde: float | None
    streefwaarde_tot: float | None  # only when `termijn` is a bandbreedte's
    realisatie: float | None
    left_out: int  # measured, with a target of another term or form


def _of_one_term(pairs: list[_Pair], terms: list[str], additive: bool, year: int) -> _Totals:
    """The term counted, the totals of the `pairs` with a realisatie, and how many were left
    out. Only targets of one term and form add up, and so their realisaties (1.250 over the
    period, 200 per jaar, a bandbreedte: issue 26): the term most have counts, as on the
    overview's Kengetallen; the others are left out of every total. Of a bandbreedte the
    lower bounds add up as the streefwaarde, the upper ones as its Streefwaarde tot (as the
    Kengetallen count them)."""
    total = sum if additive else _mean
    measured = [
        (term, pair) for term, pair in zip(terms, pairs, strict=True) if pair.realisatie is not None
    ]
    chosen = chosen_term((term for term, _ in measured), year)
    counted = [pair for term, pair in measured if term == chosen]

    def all_of(values: list[float | None]) -> float | None:  # None when one has none
        given = [v for v in values if v is not None]
        return total(given) if given and len(given) == len(values) else None

    return _Totals(
        chosen,
        all_of([pair.streefwaarde for pair in counted]),
        all_of([pair.tot for pair in counted]) if ranged(chosen) else None,
        total(pair.realisatie for pair in counted if pair.realisatie is not None)
        if counted
        else None,
        len(measured) - len(counted),
    )


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _number_text(value: float) -> str:
    return dutch_number(round(value, 2))


def _planning_text(value: object) -> str:
    """A planning as read, the way people write it: 2030 (not 2030.0), 31-12-2027."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


_FIELDS = tuple(f.name for f in fields(Afspraak))


def _afspraak(*values: object) -> Afspraak:
    """Afspraak(*values), twice as fast: a frozen dataclass sets each of its 17 fields
    through object.__setattr__, and evaluate makes one per row (220,000 at 1,000 monitors).
    The same object: its fields in order, no defaults or checks skipped (it has none)."""
    item = object.__new__(Afspraak)
    item.__dict__.update(zip(_FIELDS, values, strict=True))
    return item


def _smart_findings(report: FileReport) -> int:
    return sum(finding.code.startswith(SMART_FAMILY) for finding in report.findings)


@dataclass(eq=False)
class _Shared:
    """What the rows of one collective afspraak share in the walk (_afspraken): the statuses
    its corporaties give it, the judgement of its joint target (made at its first row with a
    joint scope), and their realisaties as the walk reads them: in the order of its members,
    the order of the sources."""

    collective: Collective
    first: Record  # its first row (collective.record, a property): where it is counted
    statuses: set[str]
    together: Oordeel | None = None
    realisaties: list[float | None] = field(default_factory=list)

    def judged(self) -> Oordeel:
        """The judgement of its joint target: made at its first row, which has that scope."""
        assert self.together is not None, self.collective.nummer
        return self.together


def _shared(merged: Merged, status_of: Callable[[object], str]) -> dict[int, _Shared]:
    """id(record) -> the _Shared of its collective afspraak, for each of its rows. Its
    statuses are those of its members: one per corporatie (Collective.statuses), as a merge
    takes one workbook per corporatie."""
    found: dict[int, _Shared] = {}
    for collective in merged.collectives:
        statuses = {status_of(record.values.get("status")) for _, record in collective.members}
        shared = _Shared(collective, collective.record, statuses)
        found.update((id(record), shared) for _, record in collective.members)
    return found


class _Row(NamedTuple):
    """A corporatie's row that names a standard indicator, as the walk (_afspraken) leaves it
    for the Koers table (_koers): so that need not read the row's cells a second time."""

    afspraak: Afspraak  # as the corporatie reports it
    oordeel: Oordeel  # its judgement; of a joint target the target's, not the row's share
    shared: _Shared | None  # of its collective afspraak
    joint: bool  # its scope: a target of the corporaties together
    measured: _Measured


def _afspraken(
    merged: Merged, shared_of: Mapping[int, _Shared], status_of: Callable[[object], str]
) -> tuple[list[Afspraak], list[Afspraak], dict[str, list[_Row]]]:
    """Every afspraak as each corporatie reported it, with its judgement; the afspraken as
    they are judged: a collective afspraak once, for all its corporaties, with their status
    if they agree; and per standard indicator the _Row of each afspraak that names it. One
    walk over the rows, reading each row's cells once (_reader), what follows from its
    target and realisatie once per distinct cells (_Measures)."""
    afspraken, counted = [], []
    named: dict[str, list[_Row]] = {}
    # Where a collective afspraak is counted (at its first row), that row, and its judgement.
    firsts: list[tuple[int, Afspraak, _Shared, Oordeel | None]] = []
    measures = _Measures(merged)
    read = _reader(_ROW_KEYS)
    blocks = {block.key for block in merged.afspraak_blocks()}
    joint_scopes = _joint_scopes(merged.spec)
    for source in merged.sources:
        corporatie = source.corporatie
        for record in source.records:
            if record.block not in blocks:
                continue
            cells = read(record.values)
            measured = measures(cells[:_MEASURED], record.values)
            nummer, afspraak, trekker, status, toelichting, scope = cells[_MEASURED:]
            oordeel = verdict = measured.oordeel
            shared = shared_of.get(id(record))
            joint = scope in joint_scopes
            if shared is not None and joint:  # a joint target, judged once
                if shared.together is None:
                    shared.together = _judgement(merged, record, shared.collective, oordeel)
                verdict = shared.together
                oordeel = _own_share(merged, record.values, verdict)
            item = _afspraak(
                corporatie,
                record.thema,
                record.partij,
                str(nummer or ""),
                str(afspraak or ""),
                str(trekker or ""),
                status_of(status),
                str(toelichting or ""),
                shared is not None,
                *measured.shown,
                oordeel,
                shared is not None and len(shared.statuses) > 1,
                measured.tot,
            )
            afspraken.append(item)
            if measured.indicator is not None:
                row = _Row(item, verdict, shared, joint, measured)
                named.setdefault(measured.indicator.code, []).append(row)
            if shared is None:
                counted.append(item)
                continue
            shared.realisaties.append(measured.realisatie)
            if shared.first is record:  # counted once, for all its corporaties
                firsts.append((len(counted), item, shared, shared.together if joint else None))
                counted.append(item)  # until the walk has read all their realisaties
    for at, item, shared, together in firsts:
        counted[at] = _as_collective(item, shared, together)
    return afspraken, counted, named


def _as_collective(item: Afspraak, shared: _Shared, together: Oordeel | None) -> Afspraak:
    """A collective afspraak as it is counted: once, for all its corporaties (its first row,
    `item`), with their status if they agree, their realisaties together, and the judgement
    of its joint target (`together`), else judged per corporatie."""
    statuses = shared.statuses
    return replace(
        item,
        corporatie=COLLECTIVE,
        partij=shared.collective.partij,
        status=next(iter(statuses)) if len(statuses) == 1 else DIFFERENT_STATUS,
        realisatie=_collective_realisatie(shared, item.eenheid not in NOT_ADDITIVE),
        oordeel=together if together is not None else PER_CORPORATIE,
    )


def _overview_smart(path: Path, merged: Merged) -> dict[str, int]:
    """The SMART warnings per corporatie as the overview counted them when it was made: it
    keeps their number per corporatie, not the findings (so not which afspraken they were on)."""
    per_number = smart_warnings(path)
    smart = {}
    for source in merged.sources:
        number = source.facts.l_nummer  # read from _bronnen
        if number not in per_number:
            raise UsageError(
                f"{path}: de samenvatting noemt {source.corporatie} ({number}) niet. Is het "
                "overzicht met de hand gewijzigd? Voeg opnieuw samen."
            )
        smart[source.corporatie] = per_number[number]
    return smart


# ---------------------------------------------------------------------------------------------

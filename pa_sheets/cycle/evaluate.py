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
the `Merged` either gives, the same way: plain tables the CLI prints, and that
write_evaluation() puts in a workbook with charts.
"""

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from xlsxwriter.chart import Chart
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pa_sheets.check.findings import FileReport
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.cycle.history import Historie, history
from pa_sheets.cycle.judgement import (
    AFWIJKEND,
    DOEL_KEYS,
    GEEN_DOEL,
    JUDGEMENTS,
    NIET_TE_BEOORDELEN,
    Oordeel,
    combined,
    contradicts,
    doel_of,
    finding,
    judge,
)
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import COLLECTIVE, DIFFERENT_STATUS, Collective, Merged
from pa_sheets.merge.indicator_tables import NOT_ADDITIVE
from pa_sheets.merge.read_overview import load_merged, smart_warnings
from pa_sheets.merge.signing import ondertekening
from pa_sheets.merge.sources import Record
from pa_sheets.merge.tables import Table
from pa_sheets.numbers import dutch_number
from pa_sheets.parallel import gc_paused
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import Indicator, Spec, load_spec
from pa_sheets.spec.names import ATTENTION_SHEET, EVALUATION_SHEET, PROGRESS_KINDS
from pa_sheets.spec.palette import EDGE, GEEN_STATUS, MARKS, UITEENLOPEND, Swatch, palette
from pa_sheets.workbook.output import atomic_path, guard_output
from pa_sheets.workbook.writer import (
    CHART_GAP,
    CHART_SIZE,
    DEFAULT_ROW_PIXELS,
    LINE_HEIGHT,
    NUMBER_ROOM,
    PAGE_HEIGHT_PIXELS,
    SUMMARY_SCALE,
    Formats,
    fit_widths,
    narrowest,
    now,
    paper_widths,
    place_charts,
    print_setup,
    row_height,
    text_safe_workbook,
)

NO_STATUS = GEEN_STATUS
# validate's SMART warnings (M001-M003), counted as the overview's table per corporatie counts
# them: by their family letter.
SMART_FAMILY = "M"
# The extra column of the stoplicht tables: of the rows counted, how many are a corporatie's
# copy of a collective afspraak the corporaties give different statuses. Never a status.
MARK_HEADER = f"waarvan {UITEENLOPEND}"
# A judgement in the stoplicht's colours: what it resembles (the palette has one look each).
JUDGEMENT_LOOK = {
    "gehaald": "gerealiseerd",
    "op koers": "groen",
    "achter": "oranje",
    "niet gehaald": "rood",
    "afwijkend": "oranje",
    NIET_TE_BEOORDELEN: GEEN_STATUS,
    GEEN_DOEL: "vervallen",
}
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
    loaded = load_merged(paths, spec or load_spec(), allow_invalid=True, config=config, sent=sent)
    merged = loaded.merged
    if loaded.overview is not None:
        smart = _overview_smart(loaded.overview, merged)
    else:
        smart = {source.corporatie: _smart_findings(source.report) for source in merged.sources}
    with gc_paused():  # as while merging: a row or two of objects per afspraak, no cycles
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

    afspraken, counted, of_row = _afspraken(merged, status_of)
    once = {(a.corporatie, a.thema, a.nummer): a for a in counted}
    conflicts = [
        Conflict(
            collective.nummer,
            collective.record.thema,
            collective.partij,
            str(collective.record.values.get("afspraak") or ""),
            tuple((c, status_of(s)) for c, s in collective.statuses().items()),
        )
        for collective in merged.collectives
        if len({status_of(s) for s in collective.statuses().values()}) > 1
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
            if (k := _koers(merged, indicator, once, of_row))
        ],
        ondertekening(merged),
        _tegenspraak(afspraken),
        _gedeeld(merged, of_row, status_of),
        template.years[0],
        merged.corporaties,
    )


def _statuses(spec: Spec) -> list[str]:
    return [term.naam for term in spec.statussen] + [NO_STATUS]


def _judgement(
    merged: Merged,
    record: Record,
    collective: Collective | None,
    memo: dict[tuple[int, float | None], Oordeel] | None = None,
) -> Oordeel:
    """The judgement of a corporatie's row. A collective afspraak with a joint scope (alle
    corporaties: one target together) is judged on the contributions together; any other
    row on its own figure (the scope 'deze corporatie', also when empty: each its own target;
    on the gemeente's tab each workbook's copy of the gemeente's figure). `memo`: when the
    cells the judgement reads are fixed (the same in every copy of a collective afspraak),
    the judgements of the collective afspraken by their realisatie, each worked out once."""
    year = merged.years[0]
    if collective is None or collective.shared or not _joint(merged, record):
        realisatie = _number(record.values.get("realisatie"))
        if collective is None or memo is None:
            return judge(doel_of(record.values, merged.spec), realisatie, year)
        key = (id(collective), realisatie)
        if key not in memo:
            memo[key] = judge(doel_of(record.values, merged.spec), realisatie, year)
        return memo[key]
    doel = doel_of(record.values, merged.spec)
    parts = [(s.corporatie, _number(r.values.get("realisatie"))) for s, r in collective.members]
    additive = doel.eenheid not in NOT_ADDITIVE
    oordeel = judge(doel, combined([value for _, value in parts], additive), year)
    shown = "; ".join(f"{c} {'-' if v is None else _number_text(v)}" for c, v in parts)
    how = "samen" if additive else "gemiddeld"
    return replace(oordeel, uitleg=f"{how} {oordeel.uitleg} (bijdragen: {shown})")


def _joint(merged: Merged, record: Record) -> bool:
    """Whether a row's scope is one target of several parties together."""
    return record.values.get("scope") in _joint_scopes(merged.spec)


_JOINT: dict[str, frozenset[str]] = {}  # spec hash -> its joint scopes: asked per row


def _joint_scopes(spec: Spec) -> frozenset[str]:
    if spec.hash not in _JOINT:
        _JOINT[spec.hash] = frozenset(spec.joint_scopes())
    return _JOINT[spec.hash]


def _collective_realisatie(collective: Collective, additive: bool) -> float | None:
    """A collective afspraak's realisatie for its indicator: on the tab of each corporatie
    (or its huurdersorganisatie) each reports its own part, so the parts together when every
    one reported; on the gemeente's or a partner's tab that one party's figure, when every
    workbook gives the same."""
    values = [_number(record.values.get("realisatie")) for _, record in collective.members]
    if collective.shared:
        given = set(values)
        return given.pop() if len(given) == 1 else None
    return combined(values, additive)


def _gedeeld(
    merged: Merged, of_row: dict[int, Oordeel], status_of: Callable[[object], str]
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
            of_row[id(c.record)],
            tuple(
                (
                    source.corporatie,
                    _number(record.values.get("realisatie")),
                    status_of(record.values.get("status")),
                )
                for source, record in c.members
            ),
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


def _koers(
    merged: Merged,
    indicator: Indicator,
    once: Mapping[tuple[str, str, str], Afspraak],
    of_row: dict[int, Oordeel],
) -> Koers | None:
    """The realisatie of the afspraken with this indicator in its eenheid, each once (a
    collective one: its parts together), and the judgements of every corporatie row; None
    when no afspraak names it."""
    found = merged.by_indicator.get(indicator.code, [])
    if not found:
        return None
    additive = indicator.eenheid not in NOT_ADDITIVE
    pairs: list[tuple[float | None, float | None]] = []
    verdicts: Counter[str] = Counter()
    other, seen = 0, set()
    for source, record in found:
        if record.values.get("eenheid") != indicator.eenheid:
            other += 1
            continue
        collective = merged.collective_of(record)
        verdicts[of_row[id(record)].oordeel] += 1
        if collective is not None:
            if id(collective) in seen:
                continue
            seen.add(id(collective))
        nummer = str(record.values.get("nummer") or "")
        who = COLLECTIVE if collective is not None else source.corporatie
        item = once.get((who, record.thema, nummer))
        realisatie = item.realisatie if item is not None else None
        target = _number(record.values.get("streefwaarde"))
        joint = _joint(merged, record)
        if target is not None and collective is not None and additive:
            # Each corporatie's own target (no joint scope): the realisatie adds up their
            # parts, so the target adds up theirs too.
            target *= 1 if collective.shared or joint else len(collective.members)
        pairs.append((target, realisatie))
    if not pairs and not other:
        return None
    measured = [(t, r) for t, r in pairs if r is not None]
    total = sum if additive else _mean
    targets = [t for t, _ in measured if t is not None]
    return Koers(
        indicator.code,
        indicator.naam,
        indicator.eenheid,
        indicator.soort,
        indicator.richting,
        len(pairs),
        len(measured),
        total(targets) if targets and len(targets) == len(measured) else None,
        total(r for _, r in measured if r is not None) if measured else None,
        "som" if additive else "gemiddelde (ongewogen)",
        tuple(verdicts[j] for j in JUDGEMENTS),
        other,
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


def _smart_findings(report: FileReport) -> int:
    return sum(finding.code.startswith(SMART_FAMILY) for finding in report.findings)


def _afspraken(
    merged: Merged, status_of: Callable[[object], str]
) -> tuple[list[Afspraak], list[Afspraak], dict[int, Oordeel]]:
    """Every afspraak as each corporatie reported it, with its judgement, and the afspraken
    as they are judged: a collective afspraak once, for all its corporaties, with their
    status if they agree."""
    afspraken, counted = [], []
    judged: dict[int, Oordeel] = {}
    of_row: dict[int, Oordeel] = {}  # id(record) -> its judgement
    said: dict[int, set[str]] = {}  # id(collective) -> the statuses its corporaties give
    # The copies of a collective afspraak have the same fixed cells: when those are all the
    # judgement reads, one judgement per realisatie (most give the same figure).
    memo: dict[tuple[int, float | None], Oordeel] | None = None
    if set(DOEL_KEYS) <= set(merged.afspraak_fields()):
        memo = {}
    for source, record in merged.records(merged.afspraak_blocks()):
        values = record.values
        collective = merged.collective_of(record)
        joint = collective is not None and _joint(merged, record)
        key = id(collective) if joint else id(record)  # a joint target is judged once
        if key not in judged:
            judged[key] = _judgement(merged, record, collective, memo)
        of_row[id(record)] = judged[key]
        if collective is not None and id(collective) not in said:
            said[id(collective)] = {status_of(s) for s in collective.statuses().values()}
        statuses = set(said[id(collective)]) if collective is not None else set()
        item = Afspraak(
            source.corporatie,
            record.thema,
            record.partij,
            str(values.get("nummer") or ""),
            str(values.get("afspraak") or ""),
            str(values.get("trekker") or ""),
            status_of(values.get("status")),
            str(values.get("toelichting") or ""),
            collective is not None,
            str(values.get("indicator") or ""),
            str(values.get("eenheid") or ""),
            _number(values.get("streefwaarde")),
            _number(values.get("mijlpaal")),
            _planning_text(values.get("planning")),
            _number(values.get("realisatie")),
            judged[key],
            len(statuses) > 1,
        )
        afspraken.append(item)
        if collective is None:
            counted.append(item)
        elif collective.record is record:  # once, for all its corporaties
            status = statuses.pop() if len(statuses) == 1 else DIFFERENT_STATUS
            counted.append(
                replace(
                    item,
                    corporatie=COLLECTIVE,
                    partij=collective.partij,
                    status=status,
                    realisatie=_collective_realisatie(collective, item.eenheid not in NOT_ADDITIVE),
                    oordeel=judged[key] if joint else PER_CORPORATIE,
                )
            )
    return afspraken, counted, of_row


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
# Output.
# ---------------------------------------------------------------------------------------------


def tables(evaluation: Evaluation) -> list[Table]:
    """The stoplicht per thema, partij and corporatie: every corporatie row once."""
    return [
        evaluation.by("thema", lambda a: a.thema),
        evaluation.by("partij", lambda a: a.partij),
        evaluation.by("corporatie", lambda a: a.corporatie),
    ]


def judgement_tables(evaluation: Evaluation) -> list[Table]:
    """The judgements per thema and corporatie: every afspraak once."""
    return [
        evaluation.judged_by("thema", lambda a: a.thema),
        evaluation.judged_by("corporatie", lambda a: a.corporatie),
    ]


def _count_rows(table: Table) -> list[tuple[str, list[int]]]:
    """The rows of a count table (Evaluation.by, judged_by), then its totals: each as its
    label and its counts (the afspraken, then one per column; nothing counted is 0)."""
    rows = table.rows if table.totals is None else [*table.rows, table.totals]
    return [(str(r[0]), [c if isinstance(c, int) else 0 for c in r[1:]]) for r in rows]


KOERS_HEADER = [
    "Code",
    "Indicator",
    "Eenheid",
    "Soort",
    "Richting",
    "Afspraken",
    "Met realisatie",
    "Streefwaarde",
    "Realisatie",
    "Berekend als",
    *(j.capitalize() for j in JUDGEMENTS),
    "Andere eenheid (niet meegeteld)",
]
CONFLICT_TITLE = "Gezamenlijke afspraken met een verschillende status per corporatie"
COUNT_NOTE = (
    "Elke status telt één keer per corporatie: een gezamenlijke afspraak bij elke corporatie, "
    "met de status die zij geeft."
)
MARK_NOTE = (
    f"'{MARK_HEADER}': hoeveel daarvan bij een gezamenlijke afspraak horen die de corporaties "
    "een verschillende status geven; een extra teken, geen status."
)


def count_note(evaluation: "Evaluation") -> str:
    """What the stoplicht tables count, and their extra column when they have one."""
    return COUNT_NOTE + (" " + MARK_NOTE if evaluation.conflicts else "")


JUDGEMENT_NOTE = (
    "Oordeel: de realisatie tegen wat is afgesproken: de mijlpaal van het jaar, anders de "
    "streefwaarde (een stroom naar rato van de planning, een stand het doel zelf), naar "
    "doelsoort en richting; na het einde van de planning de streefwaarde zelf. De nulmeting "
    "alleen zegt niets. Elke corporatie één keer; een gezamenlijk doel (scope alle "
    "corporaties): de bijdragen samen tegen dat doel, bij elke corporatie."
)
TEGENSPRAAK_TITLE = "Status en cijfers spreken elkaar tegen"
GEDEELD_TITLE = "Gezamenlijke doelen: de bijdragen samen tegen het doel, per corporatie haar status"
VERSLAG_SHEET = "Verslag"
VERSLAG_TITLE = "Voor het volkshuisvestingsverslag"
VERSLAG_NOTE = (
    "De evaluatie van de prestatieafspraken is deel van het volkshuisvestingsverslag van de "
    "corporatie (Woningwet art. 36a, Btiv art. 32 lid 1). Gemeente en huurdersorganisatie "
    "kunnen er een zienswijze op geven (Woningwet art. 38)."
)
VERSLAG_HEADER = [
    "Thema",
    "Nummer",
    "Afspraak",
    "Indicator",
    "Eenheid",
    "Streefwaarde",
    "Mijlpaal",
    "Planning",
    "Realisatie",
    "Status",
    "Oordeel",
    "Toelichting",
]
VERSLAG_WIDTHS = [7, 8, 36, 18, 11, 12, 9, 11, 10, 13, 30, 30]
ZIENSWIJZEN = ("Zienswijze van de gemeente", "Zienswijze van de huurdersorganisatie")


def koers_rows(evaluation: Evaluation) -> list[list[object]]:
    """The realisatie and judgements per indicator as rows under KOERS_HEADER."""
    return [
        [
            k.code,
            k.naam,
            k.eenheid,
            k.soort,
            k.richting,
            k.afspraken,
            k.gemeten,
            k.streefwaarde,
            k.realisatie,
            k.berekend,
            *k.oordelen,
            k.andere_eenheid,
        ]
        for k in evaluation.koers
    ]


def verslag_rows(items: list[Afspraak]) -> list[list[object]]:
    """A corporatie's afspraken under VERSLAG_HEADER: its own realisatie, and the judgement
    (of a collective afspraak: of the contributions together)."""
    return [
        [
            a.thema,
            a.nummer,
            a.afspraak,
            a.indicator,
            a.eenheid,
            a.streefwaarde,
            a.mijlpaal,
            a.planning,
            a.realisatie,
            a.status,
            _judgement_text(a),
            a.toelichting,
        ]
        for a in items
    ]


def _judgement_text(item: Afspraak) -> str:
    """'achter: 30 van 60 gerealiseerd, mijlpaal 50'; only the judgement when nothing was
    measured against."""
    oordeel = item.oordeel
    if oordeel.oordeel == GEEN_DOEL:
        return oordeel.oordeel
    return f"{oordeel.oordeel}: {oordeel.uitleg}" if oordeel.uitleg else oordeel.oordeel


def text_evaluation(evaluation: Evaluation) -> str:
    """Compact tables for the terminal: counts, and the share of rood and oranje; the
    judgements; where status and figures disagree; the collective afspraken with different
    statuses; per indicator; and per corporatie its section for the volkshuisvestingsverslag."""
    lines = [evaluation.title, ""]
    short = {
        "niet gestart": "niet gest.",
        "gerealiseerd": "gereal.",
        "agree to disagree": "oneens",
        MARK_HEADER: "uiteenl.",
        NO_STATUS: "geen",
    }
    for table in tables(evaluation):
        rows = _count_rows(table)
        width = max(len(label) for label in [table.header[0], *(label for label, _ in rows)])
        names = [short.get(s, s) for s in table.header[2:]]
        lines.append(
            f"{table.header[0]:<{width}}  {'afspr.':>6} "
            + " ".join(f"{n:>10}" for n in names)
            + f" {'+'.join(evaluation.attention_statuses):>11}"
        )
        for label, (total, *counts) in rows:
            lag = sum(counts[evaluation.statuses.index(s)] for s in evaluation.attention_statuses)
            share = f"{lag / total:.0%}" if total else "-"
            lines.append(
                f"{label:<{width}}  {total:>6} "
                + " ".join(f"{count:>10}" for count in counts)
                + f" {share:>11}"
            )
        lines.append("")
    lines += [count_note(evaluation), ""]
    judged_short = {
        "niet gehaald": "niet geh.",
        NIET_TE_BEOORDELEN: "n.t.b.",
        GEEN_DOEL: "geen doel",
    }
    for table in judgement_tables(evaluation):
        rows = _count_rows(table)
        width = max(len(label) for label in [table.header[0], *(label for label, _ in rows)])
        lines.append(table.title)
        lines.append(
            f"{table.header[0]:<{width}}  {'afspr.':>6} "
            + " ".join(f"{judged_short.get(j, j):>10}" for j in JUDGEMENTS)
        )
        for label, (total, *counts) in rows:
            lines.append(
                f"{label:<{width}}  {total:>6} " + " ".join(f"{count:>10}" for count in counts)
            )
        lines.append("")
    lines += _findings_lines(evaluation)
    lines += koers_lines(evaluation)
    if evaluation.historie is not None:
        lines += history_lines(evaluation.historie)
    lines += attention_lines(evaluation)
    return "\n".join(lines)


TREND_TITLE = "Trend per indicator"
TREND_NOTE = (
    "Per jaar de realisatie van de afspraken met deze indicator in haar eenheid, zoals het blad "
    "Indicatoren van dat jaar haar telt: een gezamenlijke afspraak één keer, opgeteld (of het "
    "gemiddelde bij % en rapportcijfer). Uit de historie (evaluate --historie) en deze ronde."
)
FOLLOWED_SHEET = "Historie per afspraak"


def history_lines(found: Historie) -> list[str]:
    """The trend per indicator as a table for the terminal: a column per year."""
    years = found.years
    lines = [f"{TREND_TITLE}, {years[0]}-{years[-1]} (realisatie per jaar)"]
    lines.append(f"{'code':<5} {'indicator':<40} " + " ".join(f"{y:>12}" for y in years))
    for trend in found.trend:
        naam = trend.naam if len(trend.naam) <= 40 else trend.naam[:39] + "…"
        values = " ".join(f"{_shown(v):>12}" for v in trend.waarden)
        mean = " (gemiddelde)" if trend.berekend != "som" else ""
        lines.append(f"{trend.code:<5} {naam:<40} {values}{mean}")
    lines.append(
        f"Afspraken gevolgd op hun nummer: {len(found.afspraken)} (per corporatie; in het "
        f"werkboek op het blad {FOLLOWED_SHEET})"
    )
    if found.note:
        lines.append(found.note)
    return [*lines, ""]


def _findings_lines(evaluation: Evaluation) -> list[str]:
    """Where status and figures disagree, the collective afspraken with different statuses,
    and the joint targets, for the terminal."""
    lines: list[str] = []
    lines.append(f"{TEGENSPRAAK_TITLE}: {len(evaluation.tegenspraak)}")
    for found in evaluation.tegenspraak:
        lines.append(f"  {found.nummer:<7} {found.corporatie}: {found.tekst}")
    lines.append("")
    if evaluation.conflicts:
        lines.append(f"{CONFLICT_TITLE} (elke status geteld bij haar corporatie):")
        for conflict in evaluation.conflicts:
            said = "; ".join(f"{c}: {status}" for c, status in conflict.statuses)
            lines.append(f"  {conflict.nummer:<7} {conflict.partij}: {said}")
        lines.append("")
    if evaluation.gedeeld:
        lines.append(f"{GEDEELD_TITLE}:")
        for shared in evaluation.gedeeld:
            lines.append(f"  {shared.nummer:<7} {shared.oordeel.oordeel}: {shared.oordeel.uitleg}")
            lines.append(
                "          "
                + "; ".join(f"{c}: {_shown(r)} ({status})" for c, r, status in shared.bijdragen)
            )
        lines.append("")
    return lines


def attention_lines(evaluation: Evaluation) -> list[str]:
    """Every rood and oranje afspraak, the SMART warnings, the signing, and per corporatie
    its section for the volkshuisvestingsverslag: the end of the text."""
    lines: list[str] = []
    attention = evaluation.attention()
    lines.append(f"Aandacht nodig: {len(attention)} afspraak/afspraken (rood eerst)")
    for item in attention:
        who = f"{item.corporatie} (gezamenlijke afspraak)" if item.collectief else item.corporatie
        lines.append(f"  {item.status:<6} {item.nummer:<7} {who}: {item.afspraak}")
        lines.append(
            f"         trekker: {item.trekker or '-'}; {item.toelichting or 'geen toelichting'}"
        )
        lines.append(f"         oordeel: {_judgement_text(item)}")
    lines.append(f"SMART-waarschuwingen nog open: {evaluation.smart_warnings}")
    lines += signing_lines(evaluation)
    lines += ["", f"{VERSLAG_TITLE} (per corporatie)", VERSLAG_NOTE]
    for corporatie, items in evaluation.verslag().items():
        lines += ["", f"{corporatie}: {len(items)} afspraken"]
        for item in items:
            own = "" if item.realisatie is None else f"; realisatie {_shown(item.realisatie)}"
            lines.append(f"  {item.nummer:<7} {item.status:<13} {_judgement_text(item)}{own}")
            if item.toelichting:
                lines.append(f"          {item.toelichting}")
    return lines


def koers_lines(evaluation: Evaluation) -> list[str]:
    """Per indicator the realisatie and judgements, for the terminal; none without one."""
    lines: list[str] = []
    if evaluation.koers:
        lines.append("Per indicator (realisatie van de afspraken met een realisatie; oordelen)")
        lines.append(
            f"{'code':<5} {'indicator':<40} {'gemeten':>7} {'streefw.':>10} {'realisatie':>10}"
            "  oordelen"
        )
        for k in evaluation.koers:
            naam = k.naam if len(k.naam) <= 40 else k.naam[:39] + "…"
            verdicts = ", ".join(
                f"{j} {n}" for j, n in zip(JUDGEMENTS, k.oordelen, strict=True) if n
            )
            lines.append(
                f"{k.code:<5} {naam:<40} {f'{k.gemeten}/{k.afspraken}':>7} "
                f"{_shown(k.streefwaarde):>10} {_shown(k.realisatie):>10}  {verdicts}"
                + (" (gemiddelde)" if k.gemeten and k.berekend != "som" else "")
            )
        lines.append("")
    return lines


def _shown(value: float | None) -> str:
    """12345.67 as 12.345,7, the Dutch way to one decimal; '-' for nothing."""
    return "-" if value is None else dutch_number(round(value, 1))


def write_evaluation(
    evaluation: Evaluation,
    path: Path,
    spec: Spec,
    *,
    force: bool = False,
    created: dt.datetime | None = None,
) -> Path:
    """The same tables in a workbook, with shares and charts, the judgements, and per
    corporatie its section for the volkshuisvestingsverslag; never over one of the files
    evaluated, nor over an existing file unless `force`."""
    guard_output(path, evaluation.inputs, force=force)
    colours = palette(spec)
    with atomic_path(path, XlsxWriterException) as temp:
        workbook = text_safe_workbook(temp, created or now(), title=evaluation.title)
        fmt = Formats(workbook)
        _write_stoplicht(workbook, fmt, evaluation, colours)
        _write_attention(workbook, fmt, evaluation, colours)
        _write_tegenspraak(workbook, fmt, evaluation)
        _write_koers(workbook, fmt, evaluation, colours)
        if evaluation.historie is not None:
            _write_trend(workbook, fmt, evaluation.historie)
            _write_followed(workbook, fmt, evaluation.historie)
        _write_verslag(workbook, fmt, evaluation, colours)
        _write_signing(workbook, fmt, evaluation)
        workbook.close()
    return path


def _look(colours: dict[str, Swatch], name: str) -> Swatch:
    """A status's swatch, or a judgement's (in the colour of the status it resembles;
    afwijkend, past the target on its far side, hatched over achter's colour)."""
    look = colours.get(JUDGEMENT_LOOK.get(name, name), MARKS[GEEN_STATUS])
    return replace(look, hatch=EDGE) if name == AFWIJKEND else look


def _write_stoplicht(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, Swatch]
) -> None:
    """The Evaluatie sheet: the counts per thema, partij and corporatie with their shares,
    the judgements per thema and corporatie, the collective afspraken the corporaties
    disagree on, and the charts per thema below."""
    bold, share = fmt(bold=True), fmt(num_format="0%")
    sheet = workbook.add_worksheet(EVALUATION_SHEET)
    sheet.write_string(0, 0, evaluation.title, fmt(bold=True, size=14))
    row = 2
    places = {}
    widths = _count_widths(evaluation)
    for table in tables(evaluation):
        places[table.name] = (row + 2, len(table.rows))
        _write_counts(sheet, fmt, row, table, evaluation.statuses, (bold, share), widths)
        row += len(table.rows) + 5
    _note(sheet, fmt, row - 2, count_note(evaluation), widths)
    row += 1
    for table in judgement_tables(evaluation):
        places[table.name] = (row + 2, len(table.rows))
        _write_counts(sheet, fmt, row, table, list(JUDGEMENTS), (bold, share), widths)
        row += len(table.rows) + 5
    _note(sheet, fmt, row - 2, JUDGEMENT_NOTE, widths)
    row += 1
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    # The tables of collective afspraken start a page (issue 27: the last rows of one printed
    # alone on a page without its header), the charts below them when they fit.
    breaks, below = [row], row
    if evaluation.conflicts:
        _write_conflicts(sheet, fmt, row, evaluation.conflicts, widths)
        row += len(evaluation.conflicts) + 5
    if evaluation.gedeeld:
        row = _write_gedeeld(sheet, fmt, row, evaluation)
    if row > below and not _charts_fit_below(row - below):
        breaks.append(row)
    charts = [
        _count_chart(
            workbook, evaluation.statuses, places["Perthema"], colours, "Stoplicht per thema"
        ),
        _count_chart(
            workbook,
            list(JUDGEMENTS),
            places["Oordeelthema"],
            {j: _look(colours, j) for j in JUDGEMENTS},
            "Oordeel per thema",
        ),
    ]
    # Below the tables, never over a cell in use; on paper after the counts, on a page of
    # their own or below the tables of collective afspraken.
    place_charts(sheet, row + 1, charts)
    sheet.set_h_pagebreaks(breaks)
    print_setup(sheet, repeat_columns=1, widths=widths, scale=SUMMARY_SCALE)


def _charts_fit_below(rows: int) -> bool:
    """Whether the two charts fit on a page below `rows` rows of tables (rows of two lines
    at most, most of one), at the scale the Evaluatie sheet prints."""
    charts = 2 * (CHART_SIZE[1] + CHART_GAP)
    return charts + rows * 1.5 * DEFAULT_ROW_PIXELS <= PAGE_HEIGHT_PIXELS / SUMMARY_SCALE


NOTE_COLUMNS = 9  # a note below a table wraps over its first columns: one page wide


def _note(sheet: Worksheet, fmt: Formats, row: int, text: str, widths: list[float]) -> None:
    """An italic note over the first NOTE_COLUMNS columns (of `widths`)."""
    sheet.merge_range(row, 0, row, NOTE_COLUMNS - 1, text, fmt(italic=True, text_wrap=True))
    sheet.set_row(row, row_height([(text, sum(widths[:NOTE_COLUMNS]))]))


def _count_widths(evaluation: Evaluation) -> list[float]:
    """The columns of the count tables (of statuses, and of judgements): the labels, then
    counts and shares, narrowed to one page wide (their headers wrap)."""
    headers = [
        [*table.header, *(f"% {s}" for s in labels)]
        for tables_of, labels in (
            (tables, evaluation.statuses),
            (judgement_tables, list(JUDGEMENTS)),
        )
        for table in tables_of(evaluation)[:1]
    ]
    floors = [0.0] * max(len(header) for header in headers)
    for header in headers:  # no word of any table's header broken
        for col, floor in enumerate(narrowest(header, [[0] * len(header)])):
            floors[col] = max(floors[col], floor)
    floors[0] = 26  # a thema's name on a line or two
    widths = [34.0] + [max(11.0, floor) for floor in floors[1:]]
    return paper_widths(widths, floors, SUMMARY_SCALE)


def _write_counts(
    sheet: Worksheet,
    fmt: Formats,
    row: int,
    table: Table,
    statuses: list[str],
    formats: tuple[Format, Format],
    widths: list[float],
) -> None:
    """A table of counts from `row` on: its title, its header, then per row the counts and
    the share of each of `statuses` in the row's afspraken (`formats`: bold, and a share;
    `widths`: of the columns, for the header's height). A column after the statuses
    (uiteenlopend) is a mark: it has no share."""
    bold, share = formats
    sheet.write_string(row, 0, table.title, bold)
    header = [*table.header, *(f"% {s}" for s in statuses)]
    sheet.write_row(row + 1, 0, header, fmt(bold=True, text_wrap=True, valign="top"))
    sheet.set_row(row + 1, row_height(zip(header, widths[: len(header)], strict=True)))
    number = fmt(**NUMBER_ROOM)
    for index, (label, (total, *counts)) in enumerate(_count_rows(table)):
        offset = row + 2 + index
        sheet.write_string(offset, 0, label, bold if index == len(table.rows) else None)
        sheet.write_row(offset, 1, [total, *counts], number)
        for col, count in enumerate(counts[: len(statuses)], start=len(table.header)):
            sheet.write_number(offset, col, count / total if total else 0, share)


def _write_conflicts(
    sheet: Worksheet, fmt: Formats, row: int, conflicts: list[Conflict], widths: list[float]
) -> None:
    """The collective afspraken whose corporaties gave different statuses, from `row` on, in
    the narrow columns (`widths`) of the counts above: Nummer and Thema one each, Partij and
    each corporatie two merged, so a name keeps its words whole; the afspraak runs on last."""
    sheet.write_string(row, 0, CONFLICT_TITLE, fmt(bold=True))
    corporaties = [c for c, _ in conflicts[0].statuses]
    spans = [(0, 0), (1, 1)] + [(2 + 2 * i, 3 + 2 * i) for i in range(len(corporaties) + 2)]
    spanned = [sum(widths[a : b + 1]) if b < len(widths) else 22.0 for a, b in spans]
    header, wrap = fmt(bold=True, text_wrap=True, valign="top"), fmt(text_wrap=True, valign="top")

    def write(line: int, values: list[str], style: Format, afspraak: str) -> None:
        for (first, last), value in zip(spans, values, strict=False):
            if first == last:
                sheet.write_string(line, first, value, style)
            else:
                sheet.merge_range(line, first, line, last, value, style)
        sheet.write_string(line, spans[len(values)][0], afspraak, fmt(valign="top"))
        sheet.set_row(line, row_height(zip(values, spanned, strict=False)))

    write(row + 1, ["Nummer", "Thema", "Partij", *corporaties], header, "Afspraak")
    for offset, conflict in enumerate(conflicts, start=row + 2):
        said = dict(conflict.statuses)
        values = [conflict.nummer, conflict.thema, conflict.partij]
        values += [said.get(c, "") for c in corporaties]
        write(offset, values, wrap, conflict.afspraak)
    note = (
        "Elke status is geteld bij haar corporatie, en de afspraak is gemarkeerd als "
        f"'{UITEENLOPEND}'. Spreek samen af welke status klopt."
    )
    sheet.write_string(row + len(conflicts) + 3, 0, note, fmt(italic=True))


GEDEELD_HEADER = ["Corporatie", "Nummer", "Realisatie", "Status of oordeel", "Doel", "Mijlpaal"]
TOGETHER = "Samen"


def _write_gedeeld(sheet: Worksheet, fmt: Formats, row: int, evaluation: Evaluation) -> int:
    """The joint targets from `row` on: per target a row per corporatie (its contribution
    and its status), then the contributions together with the target and the judgement.
    Returns the first row after them."""
    sheet.write_string(row, 0, GEDEELD_TITLE, fmt(bold=True))
    sheet.write_row(row + 1, 0, GEDEELD_HEADER, fmt(bold=True, text_wrap=True, valign="top"))
    sheet.set_row(row + 1, row_height(zip(GEDEELD_HEADER, [34] + [11] * 5, strict=True)))
    number, bold = fmt(num_format="#,##0.##"), fmt(bold=True)
    bold_number = fmt(bold=True, num_format="#,##0.##")
    offset = row + 2
    for shared in evaluation.gedeeld:
        lines: list[tuple[list[object], bool]] = [
            ([corporatie, shared.nummer, realisatie, status, None, None], False)
            for corporatie, realisatie, status in shared.bijdragen
        ]
        together = [TOGETHER, shared.nummer, shared.oordeel.realisatie, shared.oordeel.oordeel]
        lines.append(([*together, shared.streefwaarde, shared.mijlpaal], True))
        for values, total in lines:
            for col, value in enumerate(values):
                if isinstance(value, float):
                    sheet.write_number(offset, col, value, bold_number if total else number)
                elif value not in (None, ""):
                    sheet.write_string(offset, col, str(value), bold if total else None)
            offset += 1
    return offset + 2


def _count_chart(
    workbook: Workbook,
    columns: list[str],
    place: tuple[int, int],
    colours: Mapping[str, Swatch],
    title: str,
) -> Chart:
    """Per thema a bar stacked in the palette's colours, from the table at `place` (its
    first data row and its number of rows), one series per column from the third."""
    first, count = place
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    for col, name in enumerate(columns, start=2):
        look = colours.get(name, MARKS[GEEN_STATUS])
        series: dict[str, object] = {
            "name": [EVALUATION_SHEET, first - 1, col],
            "categories": [EVALUATION_SHEET, first, 0, first + count - 1, 0],
            "values": [EVALUATION_SHEET, first, col, first + count - 1, col],
            **look.chart(),
        }
        chart.add_series(series)
    chart.set_title({"name": title})
    chart.set_y_axis({"reverse": True})  # the themas top to bottom, as in the table
    chart.set_legend({"position": "bottom"})
    return chart


def _write_attention(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, Swatch]
) -> None:
    """The Aandacht sheet: every rood and oranje afspraak, in its status's colour, with its
    judgement beside it."""
    attention = workbook.add_worksheet(ATTENTION_SHEET)
    header = ["Status", "Corporatie", "Thema", "Partij", "Nummer", "Afspraak", "Trekker"]
    header += ["Toelichting", "Oordeel"]
    attention.write_row(0, 0, header, fmt(bold=True))
    fills = {
        s: fmt(**_look(colours, s).cell(), valign="top") for s in evaluation.attention_statuses
    }
    fields = ("status", "corporatie", "thema", "partij", "nummer", "afspraak", "trekker")
    rows = [
        [*(getattr(item, name) for name in (*fields, "toelichting")), _judgement_text(item)]
        for item in evaluation.attention()
    ]
    widths = fit_widths(header, rows, high=24)
    widths[5], widths[7], widths[8] = 50, 36, 36  # the afspraak, toelichting, oordeel wrap
    widths = paper_widths(widths, narrowest(header, rows))  # one page wide, their text wraps
    _text_rows(attention, 1, rows, widths, fmt(text_wrap=True, valign="top"), fills)
    attention.freeze_panes(1, 0)
    print_setup(attention, repeat_row=0, widths=widths)
    attention.autofilter(0, 0, max(len(evaluation.attention()), 1), len(header) - 1)


def _text_rows(
    sheet: Worksheet,
    first_row: int,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    wrap: Format,
    first: Mapping[str, Format] | None = None,
) -> None:
    """Rows of texts from `first_row` on, wrapped in columns of `widths` and each row as high
    as its longest text; the first column in the format `first` gives its value (a status in
    its colour) when given."""
    for offset, values in enumerate(rows, start=first_row):
        for col, value in enumerate(values):
            sheet.write_string(offset, col, value, first[value] if first and col == 0 else wrap)
        height = row_height(zip(values, widths, strict=True))
        if height > LINE_HEIGHT:
            sheet.set_row(offset, height)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)


def _write_tegenspraak(workbook: Workbook, fmt: Formats, evaluation: Evaluation) -> None:
    """The sheet of the statuses that say otherwise than the figures."""
    sheet = workbook.add_worksheet("Status en cijfers")
    sheet.write_string(0, 0, TEGENSPRAAK_TITLE, fmt(bold=True, size=14))
    sheet.write_string(
        1,
        0,
        "De status die de partij meldt tegen het oordeel uit de cijfers (zie de noot op het "
        "blad Evaluatie). Vraag de partij welke klopt.",
        fmt(italic=True),
    )
    header = ["Corporatie", "Thema", "Nummer", "Afspraak", "Gemeld", "Oordeel", "Bevinding"]
    sheet.write_row(3, 0, header, fmt(bold=True))
    rows = [
        [t.corporatie, t.thema, t.nummer, t.afspraak, t.status, t.oordeel, t.tekst]
        for t in evaluation.tegenspraak
    ]
    if not rows:
        sheet.write_string(4, 0, "Geen: elke status past bij de cijfers.", fmt(italic=True))
    widths = [28, 7, 8, 44, 12, 13, 60]
    _text_rows(sheet, 4, rows, widths, fmt(text_wrap=True, valign="top"))
    sheet.freeze_panes(4, 0)
    print_setup(sheet, repeat_row=3, widths=widths)


def _write_verslag(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, Swatch]
) -> None:
    """The Verslag sheet: per corporatie a section (on paper from a page of its own) with
    its afspraken, its realisatie, the judgement and its toelichting, and room for the
    zienswijzen of gemeente and huurdersorganisatie."""
    sheet = workbook.add_worksheet(VERSLAG_SHEET)
    wrap = fmt(text_wrap=True, valign="top")
    # A text after a number (the planning after the mijlpaal) a little apart from it.
    apart = fmt(text_wrap=True, valign="top", align="left", indent=1)
    number = fmt(num_format="#,##0.##", valign="top", **NUMBER_ROOM)
    heading = fmt(bold=True, text_wrap=True, valign="bottom", bottom=1)
    breaks, row = [], 0
    for corporatie, items in evaluation.verslag().items():
        if row:
            breaks.append(row)
        sheet.write_string(row, 0, f"{corporatie}: {evaluation.title}", fmt(bold=True, size=14))
        last = len(VERSLAG_HEADER) - 1
        note = f"{VERSLAG_TITLE}. {VERSLAG_NOTE}"
        sheet.merge_range(row + 1, 0, row + 1, last, note, fmt(italic=True, text_wrap=True))
        sheet.set_row(row + 1, row_height([(note, sum(VERSLAG_WIDTHS))]))
        row += 3
        sheet.write_row(row, 0, VERSLAG_HEADER, heading)
        sheet.set_row(row, row_height(zip(VERSLAG_HEADER, VERSLAG_WIDTHS, strict=True)))
        row += 1
        for values in verslag_rows(items):
            status = str(values[9])
            for col, value in enumerate(values):
                if isinstance(value, float):
                    sheet.write_number(row, col, value, number)
                elif col == 9 and status in colours:
                    sheet.write_string(
                        row,
                        col,
                        status,
                        fmt(
                            **colours[status].cell(),
                            text_wrap=True,
                            valign="top",
                            align="left",
                            indent=1,
                        ),
                    )
                elif value not in (None, ""):
                    sheet.write_string(row, col, str(value), apart if col == 7 else wrap)
            height = row_height(zip(values, VERSLAG_WIDTHS, strict=True))
            if height > LINE_HEIGHT:
                sheet.set_row(row, height)
            row += 1
        row += 1
        for label in ZIENSWIJZEN:
            sheet.write_string(row, 0, f"{label}:", fmt(bold=True))
            sheet.merge_range(row + 1, 0, row + 3, last, "", fmt(border=1))
            row += 5
        row += 1
    for col, width in enumerate(VERSLAG_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.set_h_pagebreaks(breaks)
    print_setup(sheet, widths=VERSLAG_WIDTHS)
    sheet.fit_to_pages(1, 0)  # a section to take into a report: its columns on one page


def signing_lines(evaluation: Evaluation) -> list[str]:
    """Per corporatie whether its jaarschijf was signed, and by whom not."""
    table = evaluation.signing
    if table is None:
        return []
    lines = ["Ondertekening van de jaarschijf:"]
    for corporatie, getekend, count, akkoord, voorbehoud, nee, open_ in table.rows:
        line = f"  {corporatie}: getekend {getekend} ({akkoord} van {count} partijen akkoord)"
        extra = [f"met voorbehoud: {voorbehoud}"] if voorbehoud else []
        extra += [f"geen akkoord: {nee}"] if nee else []
        extra += [f"nog open: {open_}"] if open_ else []
        lines.append(line + ("; " + "; ".join(extra) if extra else ""))
    return lines


def _write_signing(workbook: Workbook, fmt: Formats, evaluation: Evaluation) -> None:
    """The Ondertekening per corporatie on a sheet of its own."""
    table = evaluation.signing
    if table is None:
        return
    sheet = workbook.add_worksheet("Ondertekening")
    sheet.write_string(0, 0, table.title, fmt(bold=True, size=14))
    sheet.write_row(2, 0, table.header, fmt(bold=True))
    number = fmt(**NUMBER_ROOM)  # a count keeps room before a name beside it
    for row, values in enumerate(table.rows, start=3):
        for col, value in enumerate(values):
            sheet.write(row, col, value, number if isinstance(value, int | float) else None)
    sheet.write_string(len(table.rows) + 4, 0, table.note, fmt(italic=True))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 3, 10)
    sheet.set_column(4, 6, 30)
    print_setup(sheet, repeat_row=2)


def _write_koers(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, Swatch]
) -> None:
    """The sheet Indicatoren: per standard indicator the realisatie of its afspraken and how
    many got each judgement."""
    sheet = workbook.add_worksheet("Indicatoren")
    sheet.write_string(0, 0, "Oordeel per indicator", fmt(bold=True, size=14))
    sheet.write_string(
        1,
        0,
        "De afspraken met deze indicator in haar eenheid, een gezamenlijke afspraak één keer: "
        "de streefwaarde en realisatie van de afspraken met een realisatie (opgeteld, of het "
        "gemiddelde bij % en rapportcijfer), en hoeveel afspraken elk oordeel kregen.",
        fmt(italic=True),
    )
    header_row = 3
    sheet.write_row(header_row, 0, KOERS_HEADER, fmt(bold=True, text_wrap=True, valign="bottom"))
    for offset, judgement in enumerate(JUDGEMENTS, start=KOERS_HEADER.index("Gehaald")):
        look = _look(colours, judgement).cell()
        sheet.write_string(
            header_row, offset, KOERS_HEADER[offset], fmt(bold=True, text_wrap=True, **look)
        )
    widths: list[float] = [7, 40, 11, 8, 9, 10, 10, 13, 11, 21, *([10] * len(JUDGEMENTS)), 12]
    # An indicator's name on one line, not cut by the Eenheid beside it.
    rows = koers_rows(evaluation)
    widths[1] = fit_widths(KOERS_HEADER, rows, high=64)[1]
    widths = paper_widths(widths, narrowest(KOERS_HEADER, rows))  # one page wide
    # Narrowed to the page, a name or a 'gemiddelde (ongewogen)' wraps rather than is cut.
    number = fmt(num_format="#,##0.##", valign="top", **NUMBER_ROOM)
    wrap = fmt(text_wrap=True, valign="top")
    for row, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, value, wrap)
            else:
                sheet.write_number(row, col, value, number)
        if (height := row_height(zip(values, widths, strict=True))) > LINE_HEIGHT:
            sheet.set_row(row, height)
    last = header_row + max(len(evaluation.koers), 1)
    sheet.autofilter(header_row, 0, last, len(KOERS_HEADER) - 1)
    sheet.set_row(header_row, row_height(zip(KOERS_HEADER, widths, strict=True)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header_row + 1, 2)
    print_setup(sheet, repeat_row=header_row, widths=widths)


TREND_SHEET = "Trend"
TREND_CHART_HEIGHT = 300  # pixels: two to a landscape page
TREND_CHART_ROWS = math.ceil((TREND_CHART_HEIGHT + CHART_GAP) / DEFAULT_ROW_PIXELS)
TREND_CHARTS_PER_PAGE = 2


def _write_trend(workbook: Workbook, fmt: Formats, found: Historie) -> None:
    """The sheet Trend: per indicator its realisatie per year, and below a line chart of
    each indicator measured in some year."""
    sheet = workbook.add_worksheet(TREND_SHEET)
    years = found.years
    sheet.write_string(0, 0, f"{TREND_TITLE}, {years[0]}-{years[-1]}", fmt(bold=True, size=14))
    widths = [7, 52, 11, 21, *([12] * len(years))]
    sheet.merge_range(1, 0, 1, len(widths) - 1, TREND_NOTE, fmt(italic=True, text_wrap=True))
    sheet.set_row(1, row_height([(TREND_NOTE, sum(widths))]))
    header_row = 3
    header = ["Code", "Indicator", "Eenheid", "Berekend als", *(str(y) for y in years)]
    sheet.write_row(header_row, 0, header, fmt(bold=True, text_wrap=True, valign="bottom"))
    number = fmt(num_format="#,##0.##")
    charts = []
    for row, trend in enumerate(found.trend, start=header_row + 1):
        for col, text in enumerate((trend.code, trend.naam, trend.eenheid, trend.berekend)):
            sheet.write_string(row, col, text)
        for col, value in enumerate(trend.waarden, start=4):
            if value is not None:
                sheet.write_number(row, col, value, number)
        if any(value is not None for value in trend.waarden):
            charts.append(_trend_chart(workbook, trend, row, header_row, len(years)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    last = header_row + len(found.trend)
    sheet.freeze_panes(header_row + 1, 2)
    # On paper from a page of their own, TREND_CHARTS_PER_PAGE to a page: never cut in two.
    first = last + 2
    breaks = [first]
    for index, chart in enumerate(charts):
        chart.set_size({"width": CHART_SIZE[0], "height": TREND_CHART_HEIGHT})
        row = first + index * TREND_CHART_ROWS
        if index and index % TREND_CHARTS_PER_PAGE == 0:
            breaks.append(row)
        sheet.insert_chart(row, 0, chart, {"object_position": 2})
    sheet.set_h_pagebreaks(breaks)
    print_setup(sheet, widths=widths)


def _trend_chart(workbook: Workbook, trend, row: int, header_row: int, count: int) -> Chart:
    """A line over the years of one indicator's row on the Trend sheet."""
    chart = workbook.add_chart({"type": "line"})
    chart.add_series(
        {
            "name": f"{trend.code} {trend.naam}",
            "categories": [TREND_SHEET, header_row, 4, header_row, 3 + count],
            "values": [TREND_SHEET, row, 4, row, 3 + count],
            "marker": {"type": "circle", "size": 6},
            "data_labels": {"value": True, "position": "above", "num_format": "#,##0.##"},
        }
    )
    how = "gemiddelde" if trend.berekend != "som" else "samen"
    chart.set_title({"name": f"{trend.code} {trend.naam} ({trend.eenheid}, {how})"})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "#,##0.##", "min": 0})
    return chart


def _write_followed(workbook: Workbook, fmt: Formats, found: Historie) -> None:
    """The sheet Historie per afspraak: each afspraak of each corporatie, followed over the
    years by its nummer, its realisatie and its status per year."""
    sheet = workbook.add_worksheet(FOLLOWED_SHEET)
    years = found.years
    header = ["Corporatie", "L-nummer", "Nummer", "Afspraak", "Indicator", "Eenheid"]
    header += [f"Realisatie {y}" for y in years] + [f"Status {y}" for y in years]
    widths = [26, 9, 8, 44, 24, 11, *([11] * len(years)), *([12] * len(years))]
    sheet.write_row(0, 0, header, fmt(bold=True, text_wrap=True, valign="bottom"))
    sheet.set_row(0, row_height(zip(header, widths, strict=True)))
    number, wrap = fmt(num_format="#,##0.##", valign="top"), fmt(text_wrap=True, valign="top")
    for row, item in enumerate(found.afspraken, start=1):
        texts = (item.corporatie, item.l_nummer, item.nummer, item.afspraak, item.indicator)
        for col, text in enumerate((*texts, item.eenheid)):
            if text:
                sheet.write_string(row, col, text, wrap)
        for col, value in enumerate(item.realisatie, start=6):
            if value is not None:
                sheet.write_number(row, col, value, number)
        for col, status in enumerate(item.status, start=6 + len(years)):
            if status:
                sheet.write_string(row, col, status, wrap)
        height = row_height(zip([*texts, item.eenheid], widths, strict=False))
        if height > LINE_HEIGHT:
            sheet.set_row(row, height)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, max(len(found.afspraken), 1), len(header) - 1)
    print_setup(sheet, repeat_row=0, widths=widths)
    sheet.fit_to_pages(1, 0)  # the years beside the afspraak, on one page wide

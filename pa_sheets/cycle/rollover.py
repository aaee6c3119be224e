"""Rollover: next year's jaarschijven from this year's returned ones.

Each afspraak of year Y is accounted for in Y+1, by what last year brought for it (its status,
realisatie and toelichting: `last_year`):
- a new afspraak that is not closed becomes a lopende afspraak (its text fixed, its nummer
  kept), a lopende afspraak continues; both show last year's status and realisatie as
  reference, and their status is empty again;
- a recurring afspraak (planned `jaarlijks` or another frequency, or over a period that runs
  into the new year) continues even when it was `gerealiseerd`: done this year, due again;
- an afspraak the parties agree to disagree on is no agreed text: it comes back as an open
  point among the nieuwe afspraken of its tab, its text prefilled and editable, last year's
  status beside it, and is listed on the cover sheet with its toelichting (the procesafspraak);
- a finished or dropped afspraak ends, listed on the cover sheet.
The report (`report_text`, also written as rollover-Y+1.txt) says this per corporatie.

What last year brought comes from the monitoring round when its filled monitors are given
(`monitors`: validated, of the same gemeente and year, read by `from_monitors`): the realisatie
and status each corporatie reported there, in the first quarter after the year. The signed
jaarschijven are only read; an afspraak no monitor names (an open point, which the monitor
leaves out, or a corporatie without a monitor) keeps the state at signing.

The gemeente, the parties, the period and the agreed termijnen come from the returned
workbooks' _meta, so no config is needed: the coordinator rolls over exactly what was agreed.
"""

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pa_sheets.check.source import SentWorkbooks
from pa_sheets.check.validate import expand_paths
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import Merged
from pa_sheets.merge.read_overview import load_merged
from pa_sheets.merge.sources import Record, Source
from pa_sheets.spec.config import Config, Corporatie, LopendeAfspraak, Party, renamed_parties
from pa_sheets.spec.kalender import default_deadline
from pa_sheets.spec.model import Spec, Thema, load_spec
from pa_sheets.spec.names import HUURDERSFEDERATIE
from pa_sheets.spec.planning import FREQUENCIES, cached_span
from pa_sheets.workbook import layout
from pa_sheets.workbook.generate import write_workbooks
from pa_sheets.workbook.layout import Answers, ClosedAfspraak, plan_workbook
from pa_sheets.workbook.meta import MONITOR, party_ref
from pa_sheets.workbook.output import atomic_path, output_path
from pa_sheets.workbook.writer import now

KIND = "jaarschijf"
# Going-concern columns that are not carried as they were: the soort is the block's, and last
# year's reference columns are filled from last year's status and realisatie.
# A milestone is this year's; next year's comes from the gemeente's config, not this workbook.
NOT_CARRIED = ("soort", "status_vorig", "realisatie_vorig", "mijlpaal")
# What an open point does not take from last year's row: this year's answers and milestone.
NOT_REOPENED = (*NOT_CARRIED, "status", "realisatie", "toelichting")
# What becomes of an afspraak of last year, in the order the report lists them.
LOOPT_DOOR = "Loopt door"
OPEN_PUNT = "Open punt, opnieuw te bespreken"
STOPT = "Stopt"
FATES = (LOOPT_DOOR, OPEN_PUNT, STOPT)
# A frequency said in an afspraak's text: it recurs, whatever its planning.
RECURRING = re.compile(r"(?i)\b(?:" + "|".join(re.escape(word) for word in FREQUENCIES) + r")\b")


@dataclass(frozen=True)
class VorigJaar:
    """What last year brought for one afspraak of one corporatie: what next year's jaarschijf
    shows as Status and Realisatie vorig jaar, and what decides whether the afspraak goes on."""

    status: str | None
    realisatie: object = None
    toelichting: str = ""


# Per corporatie (its L-nummer) and afspraak nummer.
LastYear = Mapping[tuple[str, str], VorigJaar]


@dataclass(frozen=True)
class Fate:
    """What becomes of one afspraak of last year, and why, for the report."""

    nummer: str
    sheet: str
    afspraak: str
    fate: str  # FATES
    why: str


def rollover(
    paths: Iterable[Path],
    year: int,
    out_dir: Path,
    *,
    force: bool = False,
    spec: Spec | None = None,
    deadline: dt.date | None = None,
    created: dt.datetime | None = None,
    progress: Callable[[Path], None] = lambda path: None,
    gemeente_config: Config | None = None,
    sent: SentWorkbooks | None = None,
    reported: LastYear | None = None,
    report: Callable[[str], None] = lambda text: None,
    monitors: Iterable[Path] = (),
) -> list[Path]:
    """Write next year's jaarschijf for every corporatie of the returned jaarschijven (with
    `gemeente_config`, the config they were made from, or the workbooks as `sent`, checked
    against it first), and the report of what rolls over (rollover-YEAR.txt, and to `report`).
    `reported`: last year's status and realisatie from elsewhere (the monitoring round), per
    L-nummer and nummer; `monitors`: the filled monitors of the year (files or folders),
    whose realisatie and status come before the returned jaarschijven's; without either,
    those of the returned jaarschijven.

    Example: rollover([Path("getekend-2027/")], 2028, Path("jaarschijf-2028"),
                      monitors=[Path("monitoring-2027-terug/")])
    """
    spec = spec or load_spec()
    merged, inputs = _returned(list(paths), spec, gemeente_config, sent)
    if merged.kind != KIND:
        raise UsageError(
            f"{merged.sources[0].path} is een {merged.kind}; rollover maakt de jaarschijf van "
            "volgend jaar uit de teruggestuurde jaarschijven."
        )
    last, (first_year, last_year_of_period) = merged.years[0], merged.template.period
    if year <= last:
        raise UsageError(f"jaar {year} ligt niet na {last}, het jaar van de jaarschijven.")
    if year > last_year_of_period:
        raise UsageError(
            f"jaar {year} ligt na de periode {first_year}-{last_year_of_period} van de "
            "afspraken; maak voor een nieuwe periode nieuwe afspraken met een gemeenteconfig."
        )
    monitors = list(monitors)
    brought, monitor_files = _brought(merged, spec, monitors, reported)
    inputs += [path for path in expand_paths(monitors) if path not in inputs]  # not over them
    config = config_from(merged, spec, year, brought)
    if gemeente_config is not None:  # the config the workbooks were checked against
        config = dataclasses.replace(config, termijnen=gemeente_config.termijnen)
    deadline = deadline or default_deadline(KIND, year, config.termijnen)
    plans = []
    for corporatie, source in zip(config.corporaties, merged.sources, strict=True):
        reopened = _reopened(source, spec, brought, config, corporatie)
        plan = plan_workbook(
            spec,
            config,
            KIND,
            corporatie,
            (year,),
            deadline,
            listed_afspraken(source, spec, year, brought, STOPT),
            answers=reopened,
        )
        listed = listed_afspraken(source, spec, year, brought, OPEN_PUNT)
        plans.append(dataclasses.replace(plan, reopened=listed))
    written = write_workbooks(plans, out_dir, force, created or now(), progress, inputs=inputs)
    text = report_text(merged, spec, year, brought, written, monitor_files)
    with atomic_path(output_path(out_dir, f"rollover-{year}.txt"), OSError) as path:
        path.write_text(text, encoding="utf-8")
    report(text)
    return written


def last_year(
    merged: Merged, spec: Spec, reported: LastYear | None = None
) -> dict[tuple[str, str], VorigJaar]:
    """What last year brought for each afspraak, per L-nummer and nummer: from `reported`
    where it names the afspraak (the monitoring round, once rollover reads it), else what the
    returned jaarschijven themselves say (today's source: the state at signing)."""
    signed = {
        (source.facts.l_nummer, str(record.values.get("nummer") or "")): VorigJaar(
            _text(record.values.get("status")) or None,
            record.values.get("realisatie"),
            _text(record.values.get("toelichting")),
        )
        for source in merged.sources
        for record in _afspraken(source, spec)
    }
    return signed | dict(reported or {})


def _brought(
    merged: Merged, spec: Spec, monitors: list[Path], reported: LastYear | None
) -> tuple[dict[tuple[str, str], VorigJaar], dict[str, str] | None]:
    """What last year brought (last_year): from the monitors when given, `reported` over
    them; and per L-nummer the monitor read (None without monitors)."""
    if not monitors:
        return last_year(merged, spec, reported), None
    by_monitor, files = from_monitors(monitors, merged, spec)
    return last_year(merged, spec, {**by_monitor, **dict(reported or {})}), files


def from_monitors(
    paths: Iterable[Path], merged: Merged, spec: Spec
) -> tuple[dict[tuple[str, str], VorigJaar], dict[str, str]]:
    """What the filled monitors in `paths` report on the jaarschijven of `merged`, per
    L-nummer and nummer (each corporatie's own realisatie: of a shared afspraak its
    contribution), and per L-nummer the monitor it came from. The monitors are validated as
    merge validates (errors: InvalidInputs) and must be of the same gemeente and year, one per
    corporatie of `merged`; otherwise UsageError."""
    loaded = load_merged(paths, spec)
    monitor = loaded.merged
    where = ", ".join(str(path) for path in paths)
    if monitor.kind != MONITOR:
        raise UsageError(
            f"{where}: dit is een {monitor.kind}, geen monitor. Geef bij --monitor de ingevulde "
            "monitors van de monitoringronde."
        )
    signed, reported = merged.template, monitor.template
    if reported.gemeente_code != signed.gemeente_code:
        raise UsageError(
            f"{where}: de monitors zijn van {reported.gemeente}, de jaarschijven van "
            f"{signed.gemeente}."
        )
    if monitor.years[0] != merged.years[0]:
        raise UsageError(
            f"{where}: de monitors gaan over {monitor.years[0]}, de jaarschijven over "
            f"{merged.years[0]}. Geef de monitors van hetzelfde jaar."
        )
    known = {source.facts.l_nummer for source in merged.sources}
    strangers = [s for s in monitor.sources if s.facts.l_nummer not in known]
    if strangers:
        names = ", ".join(f"{s.path.name} ({s.facts.l_nummer})" for s in strangers)
        raise UsageError(
            f"{names}: geen jaarschijf van deze corporatie bij de invoer; een monitor hoort bij "
            "een getekende jaarschijf."
        )
    found = {
        (source.facts.l_nummer, str(record.values.get("nummer") or "")): VorigJaar(
            _text(record.values.get("status")) or None,
            record.values.get("realisatie"),
            _text(record.values.get("toelichting")),
        )
        for source, record in monitor.records(monitor.afspraak_blocks())
        if record.values.get("nummer")
    }
    return found, {source.facts.l_nummer: source.path.name for source in monitor.sources}


def report_text(
    merged: Merged,
    spec: Spec,
    year: int,
    brought: LastYear,
    written: Iterable[Path] = (),
    monitor_files: Mapping[str, str] | None = None,
) -> str:
    """What rolls over into `year`, what ends and why, per corporatie, as plain Dutch text;
    with `monitor_files` (per L-nummer the monitor read), where last year's status came from."""
    files = list(written)
    lines = [
        f"Rollover {merged.years[0]} naar {year}: {merged.template.gemeente}",
        "",
    ]
    for i, source in enumerate(merged.sources):
        where = f" -> {files[i].name}" if i < len(files) else ""
        lines.append(f"{source.facts.corporatie} ({source.facts.l_nummer}){where}")
        if monitor_files is not None:
            monitor = monitor_files.get(source.facts.l_nummer)
            lines.append(
                f"  Status en realisatie {merged.years[0]}: uit de monitor {monitor}"
                if monitor
                else f"  Status en realisatie {merged.years[0]}: geen monitor, dus zoals getekend"
            )
        fates = [
            Fate(
                str(record.values.get("nummer") or ""),
                record.sheet,
                _text(record.values.get("afspraak")),
                *_fate(record, source, spec, year, brought),
            )
            for record in _afspraken(source, spec)
        ]
        for kind in FATES:
            chosen = [fate for fate in fates if fate.fate == kind]
            lines.append(f"  {kind} ({len(chosen)}):")
            for fate in chosen:
                lines.append(f"    {fate.nummer} [{fate.sheet}] {_short(fate.afspraak)}")
                if fate.why:  # an afspraak that simply goes on needs no reason
                    lines.append(f"      {fate.why}")
        lines.append("")
    return "\n".join(lines)


def _returned(
    paths: list[Path],
    spec: Spec,
    gemeente_config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> tuple[Merged, list[Path]]:
    """Last year's afspraken: from the returned jaarschijven, validated, one gemeente and one
    year and one per corporatie, as merge takes them; or from the overview merge made. And
    the files they were read from."""
    loaded = load_merged(paths, spec, config=gemeente_config, sent=sent)
    refused = [source.path.name for source in loaded.merged.sources if source.note]
    if loaded.overview is not None and refused:
        raise UsageError(
            f"{loaded.overview}: {', '.join(refused)} waren niet in orde bij het samenvoegen. "
            "Rollover begint alleen bij werkboeken die in orde zijn."
        )
    return loaded.merged, loaded.inputs


def config_from(
    merged: Merged, spec: Spec, year: int | None = None, brought: LastYear | None = None
) -> Config:
    """The gemeente config the returned workbooks were made from, as far as next year needs
    it: the parties, the themes, the period, the agreed termijnen, and the afspraken that go
    on (into `year`, by what last year `brought`)."""
    template = merged.template
    first = merged.sources[0]
    year = year or merged.years[0] + 1
    brought = brought if brought is not None else last_year(merged, spec)
    gemeente = _party(first, "gemeente", code=template.gemeente_code, naam=template.gemeente)
    corporaties = tuple(
        Corporatie(
            _party(source, "corporatie", code=source.facts.l_nummer),
            *_huurders(source),
        )
        for source in merged.sources
    )
    partners, verbanden = _partners(merged, corporaties)
    federaties = _federaties(merged, corporaties)
    names = {thema.code: thema.naam for thema in spec.themas}
    for source in merged.sources:
        names.update(source.themas)
    codes = dict.fromkeys(thema for source in merged.sources for thema, _, _ in source.tabs)
    lopend = tuple(
        row
        for corporatie, source in zip(corporaties, merged.sources, strict=True)
        for row in _carried(source, corporatie.party.kort, spec, year, brought)
    )
    return Config(
        path=first.path,
        gemeente=gemeente,
        eerste_jaar=template.period[0],
        laatste_jaar=template.period[1],
        themas=tuple(Thema(code, names.get(code, code)) for code in codes),
        corporaties=corporaties,
        partners=partners,
        lopend=lopend,
        verbanden=verbanden,
        termijnen=template.termijnen,
        federaties=federaties,
    )


def listed_afspraken(
    source: Source, spec: Spec, year: int, brought: LastYear, fate: str
) -> tuple[ClosedAfspraak, ...]:
    """The afspraken of one workbook with this fate, as the cover lists them: those that end
    (STOPT) and those open again (OPEN_PUNT)."""
    return tuple(
        _listed(source, record, brought)
        for record in _afspraken(source, spec)
        if _fate(record, source, spec, year, brought)[0] == fate
    )


def _afspraken(source: Source, spec: Spec) -> list[Record]:
    blocks = {block.key for block in spec.templates[KIND].blocks if block.holds_afspraken}
    return [record for record in source.records if record.block in blocks]


def _vorig(source: Source, record: Record, brought: LastYear) -> VorigJaar:
    key = (source.facts.l_nummer, str(record.values.get("nummer") or ""))
    return brought.get(key) or VorigJaar(_text(record.values.get("status")) or None)


def _fate(
    record: Record, source: Source, spec: Spec, year: int, brought: LastYear
) -> tuple[str, str]:
    """What becomes of one afspraak in `year`, and why, in Dutch; the why is empty for an
    afspraak that simply goes on."""
    vorig = _vorig(source, record, brought)
    status = vorig.status
    said = f"{status or 'geen status'}" + (
        f": {_short(vorig.toelichting)}" if vorig.toelichting else ""
    )
    if status in spec.disagreeing_statuses():
        return OPEN_PUNT, f"{said} -> geen afgesproken tekst; weer bij de nieuwe afspraken"
    if status in spec.closing_statuses():
        recurs = _recurs(record.values.get("planning"), record.values.get("afspraak"), year)
        if status in spec.statuses_saying("gehaald") and recurs:
            return LOOPT_DOOR, f"{said} -> terugkerend ({recurs}), dus ook in {year}"
        return STOPT, said
    return LOOPT_DOOR, ""


def _recurs(planning: object, afspraak: object, year: int) -> str:
    """Why an afspraak is due again in `year`: planned as a frequency (jaarlijks, doorlopend)
    or over a period that runs into it, or a frequency in its text ('De gemeente stelt
    jaarlijks locaties beschikbaar'). Empty when it is not."""
    span = cached_span(planning)
    if span is not None and span.kind in ("frequentie", "doorlopend"):
        return f"planning {planning}"
    if span is not None and span.kind == "periode" and span.end and span.end.year >= year:
        return f"planning {planning}"
    found = RECURRING.search(_text(afspraak))
    return f"'{found.group(0)}' in de afspraak" if found else ""


def _listed(source: Source, record: Record, brought: LastYear) -> ClosedAfspraak:
    vorig = _vorig(source, record, brought)
    return ClosedAfspraak(
        str(record.values.get("nummer") or ""),
        record.sheet,
        _text(record.values.get("afspraak")),
        str(vorig.status or ""),
        vorig.toelichting,
    )


def _carried(
    source: Source, corporatie: str, spec: Spec, year: int, brought: LastYear
) -> list[LopendeAfspraak]:
    """The afspraken of one workbook that go on, as lopende afspraken of its corporatie: what
    the spec fixes in a going-concern row is what they keep."""
    block = spec.templates[KIND].lopend_block
    assert block is not None  # a jaarschijf has lopende afspraken
    fixed = [key for key in block.columns if key in block.fixed and key not in NOT_CARRIED]
    refs = {party["naam"]: _ref(source, party) for party in source.parties}
    rows = []
    for record in _afspraken(source, spec):
        if _fate(record, source, spec, year, brought)[0] != LOOPT_DOOR:
            continue
        values = record.values
        carried = {key: values.get(key) for key in fixed if values.get(key) is not None}
        for key in ("trekker", "betrokken"):  # validated: the names of parties
            if key in carried:
                carried[key] = renamed_parties(carried[key], refs)
        vorig = _vorig(source, record, brought)
        carried["status_vorig"] = vorig.status
        carried["realisatie_vorig"] = vorig.realisatie
        party = next(p for p in source.parties if p["naam"] == record.partij)
        rows.append(
            LopendeAfspraak(
                str(values["nummer"]), record.thema, refs[party["naam"]], corporatie, carried
            )
        )
    return rows


def _reopened(
    source: Source, spec: Spec, brought: LastYear, config: Config, corporatie: Corporatie
) -> Answers:
    """The open points of one workbook (agree to disagree) as prefilled rows of the nieuw
    block of their tab: last year's text to negotiate on, editable; last year's status and
    realisatie beside it, fixed as in every row."""
    nieuw = next(b for b in spec.templates[KIND].blocks if b.holds_afspraken and not b.lopend)
    refs = {party["naam"]: _ref(source, party) for party in source.parties}
    names = {
        layout.party_ref(party, corporatie): party.display for party in config.parties(corporatie)
    }
    rows: dict[tuple[str, str, str], list[dict[str, object]]] = {}
    for record in _afspraken(source, spec):
        vorig = _vorig(source, record, brought)
        if vorig.status not in spec.disagreeing_statuses():
            continue
        values = {
            key: record.values[key]
            for key in nieuw.columns
            if key not in NOT_REOPENED and record.values.get(key) is not None
        }
        for key in ("trekker", "betrokken"):
            if key in values:
                values[key] = renamed_parties(renamed_parties(values[key], refs), names)
        values |= {
            "soort": nieuw.soort,
            "status_vorig": vorig.status,
            "realisatie_vorig": vorig.realisatie,
        }
        party = next(p for p in source.parties if p["naam"] == record.partij)
        rows.setdefault((record.thema, refs[party["naam"]], nieuw.key), []).append(values)
    return rows


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _short(text: str, limit: int = 90) -> str:
    """One line of at most `limit` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _party(source: Source, rol: str, *, code: str | None = None, naam: str | None = None) -> Party:
    found = next(p for p in source.parties if p["rol"] == rol)
    return Party(rol, naam or found["naam"], found["kort"], code or found["code"] or None)


def _huurders(source: Source) -> tuple[Party | None, tuple[Party, ...]]:
    """A corporatie's huurdersorganisaties, in the order of its workbook: the first (None when
    it has none), the rest."""
    found = [
        Party("huurdersorganisatie", p["naam"], p["kort"])
        for p in source.parties
        if p["rol"] == "huurdersorganisatie"
    ]
    return (found[0] if found else None), tuple(found[1:])


def _ref(source: Source, party: dict[str, str]) -> str:
    """How the config names a party of this workbook: a second huurdersorganisatie by its kort,
    as a partner; the others by role (layout.party_ref)."""
    first = next((p for p in source.parties if p["rol"] == "huurdersorganisatie"), None)
    if party["rol"] == "huurdersorganisatie" and party is not first:
        return party["kort"]
    return party_ref(party)


def _partners(
    merged: Merged, corporaties: tuple[Corporatie, ...]
) -> tuple[tuple[Party, ...], tuple[Party, ...]]:
    """The other partners, each with the themes it has a tab for; and the
    samenwerkingsverbanden: a party of rol overig in the workbooks of some corporaties only."""
    names: dict[str, str] = {}
    themes: dict[str, dict[str, None]] = {}
    members: dict[str, list[str]] = {}
    for source, corporatie in zip(merged.sources, corporaties, strict=True):
        for party in source.parties:
            if party["rol"] == "overig":
                names[party["kort"]] = party["naam"]
                members.setdefault(party["kort"], []).append(corporatie.party.kort)
        for thema, rol, kort in source.tabs:
            if rol == "overig":
                themes.setdefault(kort, {})[thema] = None
    everyone = len(corporaties)
    partners = tuple(
        Party("overig", names[kort], kort, None, tuple(themes.get(kort, {})))
        for kort in names
        if len(members[kort]) == everyone
    )
    verbanden = tuple(
        Party("overig", names[kort], kort, leden=tuple(members[kort]))
        for kort in names
        if len(members[kort]) < everyone
    )
    return partners, verbanden


def _federaties(merged: Merged, corporaties: tuple[Corporatie, ...]) -> tuple[Party, ...]:
    """The huurdersfederaties, each with the corporaties in whose workbooks it is a party."""
    names: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for source, corporatie in zip(merged.sources, corporaties, strict=True):
        for party in source.parties:
            if party["rol"] == HUURDERSFEDERATIE:
                names[party["kort"]] = party["naam"]
                members.setdefault(party["kort"], []).append(corporatie.party.kort)
    return tuple(
        Party(HUURDERSFEDERATIE, names[kort], kort, leden=tuple(members[kort])) for kort in names
    )

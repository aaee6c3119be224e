"""Checked against the source: a returned workbook compared with what the gemeente sent.

The fingerprints in `_meta` only tell whether a workbook still agrees with itself: a party
that changes a lopende afspraak and works out the fingerprints again passes them. Two sources
are kept by the gemeente, not by the parties, and a returned workbook is compared with one:

- the config (`--config`, the YAML the workbooks were generated from): the plan the generator
  makes from it for that corporatie, kind and years (layout.plan_workbook, in memory);
- the workbooks as sent (`--verzonden`, the output folder of generate or rollover): the one
  with the same kind, years, gemeente and corporatie, read with the same reader.

Both are a `Source`: the facts, parties and tabs of `_meta`, the fixed cells of every
lopende afspraak and the locked cells of the Ondertekening as sent. Any difference is an
error (X011-X015), whichever source said it.

What the config cannot vouch for: the afspraken a rollover carried into a later jaarschijf
(last year's new afspraken) and last year's status and realisatie beside them; with the
config alone those are compared with the workbook's own record only (X005, X006). The sent
workbook holds them: with `--verzonden` they are compared too, and with both options the
sent workbook is the source (the config still says whether the workbook is the gemeente's).
A basisbod is checked against the config for its gemeente only: its lopende afspraken come
from several configs.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pa_sheets.check.findings import Finding, finding
from pa_sheets.check.read import FoundBlock, WorkbookData, facts_of, read_workbook
from pa_sheets.check.safety import (
    DEFAULT_LIMITS,
    Limits,
    not_returned,
    open_xlsx,
    reader_failed,
    scan_file,
)
from pa_sheets.errors import PaSheetsError, UsageError
from pa_sheets.numbers import shown
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import Spec, base_key
from pa_sheets.workbook import meta
from pa_sheets.workbook.layout import ALL_THEMAS, WorkbookPlan, plan_workbook

# Fixed columns a rollover fills from last year's answers, not from the config: compared with
# the workbook's own record only, or with the sent workbook (which holds them).
LAST_YEARS_ANSWERS = ("status_vorig", "realisatie_vorig")
# A finding at a cell of a block: (code, block, column key, row index, value, **details).
At = Callable[..., Finding]
SentRows = dict[tuple[str, str], dict[str, object]]  # (tab, row key) -> fixed cells as sent


class Source(Protocol):
    """What the gemeente sent, as far as a returned workbook is compared with it."""

    named: str  # in a message: "de config voorbeeldstad.yaml", "het verzonden werkboek ..."
    carries: bool  # holds the afspraken a rollover carried, and last year's answers

    def facts(self, found: dict[str, str], rolled: bool) -> dict[str, str]:
        """The facts of `_meta` as sent (`found`: as returned; `rolled`: after a rollover)."""
        ...

    def parties(self) -> list[dict[str, str]]:
        """The parties of `_meta`, in order, by meta.PARTY_FIELDS."""
        ...

    def tabs(self) -> dict[str, str]:
        """Every tab with a block: its name -> "thema rol partij"."""
        ...

    def closed(self) -> dict[str, str] | None:
        """The afspraken closed last year (nummer -> status); None when not known."""
        ...

    def rows(self) -> SentRows:
        """The fixed cells of every lopende afspraak as sent."""
        ...

    def signing_rows(self) -> list[dict[str, object]] | None:
        """The locked cells of the Ondertekening, a row per party; None without one."""
        ...


@dataclass
class SourceCheck:
    """One workbook against the source: what was sent (None when the workbook is not the
    source's, or a basisbod against its config) and the findings that say why."""

    sent: Source | None = None
    findings: list[Finding] = field(default_factory=list)


def source_check(
    data: WorkbookData,
    spec: Spec,
    config: Config | None = None,
    sent: "SentWorkbooks | None" = None,
) -> SourceCheck:
    """The source of a returned workbook: the sent workbook when `sent` is given (it holds
    the afspraken a rollover carried), else the config's plan; a workbook the config does
    not know (X015) is not looked up among the sent ones."""
    if data.template.kind == meta.MONITOR and config is not None:
        # A monitor is made from the signed jaarschijf, not planned from the config.
        if sent is None:
            raise UsageError(
                f"{data.path}: een monitor komt uit de getekende jaarschijf, niet uit de config. "
                "Vergelijk hem met --verzonden MAP (de map met de verzonden monitors)."
            )
        config = None
    check = config_check(data, spec, config) if config is not None else SourceCheck()
    if sent is None or check.findings:
        return check
    found = sent.source_for(data, spec)
    if isinstance(found, Finding):
        return SourceCheck(None, [found])
    return SourceCheck(found, check.findings)


def config_check(data: WorkbookData, spec: Spec, config: Config) -> SourceCheck:
    """Find the corporatie of the config the workbook says it is for, and plan its workbook
    as the generator would; a workbook of another gemeente or corporatie is an error (X015)."""
    check = SourceCheck()
    named = f"de config {config.path.name}"
    facts = data.template
    gemeente = str(config.gemeente.code or "")
    codes = [code.strip() for code in facts.gemeente_code.split(",")]
    if facts.kind == "basisbod":
        if gemeente not in codes:
            check.findings.append(relabelled(f"gemeente {facts.gemeente_code}", gemeente, named))
        return check
    if facts.gemeente_code != gemeente:
        check.findings.append(relabelled(f"gemeente {facts.gemeente_code}", gemeente, named))
        return check
    corporatie = next(
        (
            c
            for c in config.corporaties
            if (c.party.code or "") == facts.l_nummer and c.party.kort == facts.corporatie_kort
        ),
        None,
    )
    if corporatie is None:
        known = ", ".join(f"{c.party.kort} ({c.party.code or '-'})" for c in config.corporaties)
        said = f"corporatie {facts.corporatie_kort} ({facts.l_nummer or '-'})"
        check.findings.append(relabelled(said, known, named))
        return check
    try:
        deadline = dt.date.fromisoformat(facts.deadline)
    except ValueError:
        deadline = dt.date(facts.years[0], 1, 1)  # not compared: a fact the gemeente may set
    try:
        plan = plan_workbook(spec, config, facts.kind, corporatie, facts.years, deadline)
    except (PaSheetsError, KeyError) as exc:
        check.findings.append(relabelled(f"{facts.kind} {facts.years}", str(exc), named))
        return check
    check.sent = ConfigSource(plan, named)
    return check


def relabelled(said: str, known: str, named: str) -> Finding:
    """X015: the workbook says it is `said`; the source (`named`) knows `known`."""
    return finding("X015", sheet=meta.SHEET, value=said, detail=known, limit=named)


class ConfigSource:
    """What the config generates for a workbook: the generator's plan."""

    carries = False

    def __init__(self, plan: WorkbookPlan, named: str) -> None:
        self.plan, self.named = plan, named
        self._rows: SentRows | None = None

    def facts(self, found: dict[str, str], rolled: bool) -> dict[str, str]:
        """The facts the config decides. A rollover does not carry agreed deadlines
        (termijnen): not compared after one."""
        config, party = self.plan.config, self.plan.corporatie.party
        expected = {
            "soort": self.plan.kind,
            "gemeente": config.gemeente.naam,
            "gemeente_code": str(config.gemeente.code or ""),
            "corporatie": party.naam,
            "corporatie_kort": party.kort,
            "l_nummer": party.code or "",
            "jaren": meta.years_text(tuple(self.plan.years)),
            "periode": f"{config.eerste_jaar}-{config.laatste_jaar}",
        }
        if not rolled:
            expected |= config.termijnen.facts()
            expected |= {k: "" for k in found if k.startswith("termijn_") and k not in expected}
        return expected

    def parties(self) -> list[dict[str, str]]:
        return [
            dict(zip(meta.PARTY_FIELDS, (p.rol, p.display, p.kort, p.code or ""), strict=True))
            for p in self.plan.parties
        ]

    def tabs(self) -> dict[str, str]:
        return {
            sheet.name: f"{sheet.thema.code} {sheet.party.rol} {sheet.party.kort}"
            for sheet in self.plan.sheets
        }

    def closed(self) -> dict[str, str] | None:
        return None  # last year's answers: the config does not know them

    def rows(self) -> SentRows:
        """As the generator writes them."""
        if self._rows is None:
            self._rows = {}
            for sheet in self.plan.sheets:
                for block in sheet.blocks:
                    fixed = [p.key for p in block.columns if p.fixed]
                    for values in block.rows[: block.fixed_rows]:
                        key = meta.row_key(values["nummer"])
                        self._rows[(sheet.name, key)] = {k: values.get(k) for k in fixed}
        return self._rows

    def signing_rows(self) -> list[dict[str, object]] | None:
        plan = self.plan
        if plan.signing is None:
            return None
        fixed = [p.key for p in plan.signing.columns if p.fixed]
        rows = [{key: row.get(key) for key in fixed} for row in plan.signing.rows]
        every = tuple(thema.code for thema in plan.config.themas)
        for row, party in zip(rows, plan.parties, strict=True):
            if party.rol == "overig" and "tekent_voor" in row:
                themas = party.themas or every
                row["tekent_voor"] = SignsFor(tuple(themas), set(themas) >= set(every))
        return rows


class SentSource:
    """A workbook as the gemeente sent it (our own file, read with the same reader as the
    returned one): everything in it is what was sent, last year's answers included."""

    carries = True

    def __init__(self, data: WorkbookData, spec: Spec) -> None:
        self.data = data
        self.named = f"het verzonden werkboek {data.path.name}"
        template = spec.templates[data.template.kind]
        lopend = template.lopend_block
        self._rows: SentRows = {}
        for block in data.blocks:
            if lopend is None or block.key != lopend.key:
                continue
            fixed = [key for key in block.values if base_key(key) in lopend.fixed]
            for index, nummer, gemeente in _numbered(block, template.gemeente_column):
                row = {key: block.values[key][index] for key in fixed}
                self._rows[(block.meta.sheet, meta.row_key(nummer, gemeente))] = row

    def facts(self, found: dict[str, str], rolled: bool) -> dict[str, str]:
        return dict(self.data.meta.facts)  # every one: a returned workbook changes none

    def parties(self) -> list[dict[str, str]]:
        return [dict(party) for party in self.data.meta.parties]

    def tabs(self) -> dict[str, str]:
        return {b.sheet: f"{b.thema} {b.rol} {b.partij}" for b in self.data.meta.blocks}

    def closed(self) -> dict[str, str] | None:
        return dict(self.data.meta.closed)

    def rows(self) -> SentRows:
        return self._rows

    def signing_rows(self) -> list[dict[str, object]] | None:
        block = self.data.signing
        if block is None:
            return None
        return [
            {key: block.values.get(key, [None] * len(block.rows))[index] for key in LOCKED_SIGNING}
            for index in range(len(block.rows))
            if block.values.get("partij") and block.values["partij"][index] is not None
        ]


def _numbered(block: FoundBlock, gemeente_column: str | None) -> list[tuple[int, object, object]]:
    """(row index, nummer, gemeente) of every row with a nummer; the gemeente only in a
    basisbod, where two gemeenten may each have a BT-01 on one tab (meta.row_key)."""
    nummers = block.values.get("nummer", [])
    gemeenten = block.values.get(gemeente_column or "") or [None] * len(nummers)
    return [
        (index, nummer, gemeente)
        for index, (nummer, gemeente) in enumerate(zip(nummers, gemeenten, strict=True))
        if nummer is not None
    ]


# The cells of a party's row of the Ondertekening the gemeente locked.
LOCKED_SIGNING = ("partij", "rol", "tekent_voor")


# -------------------------------------------------------------------------------------------------
# The folder of sent workbooks (--verzonden)
# -------------------------------------------------------------------------------------------------

# How many sent workbooks a message names when none is the returned one's (a folder may hold
# a hundred corporaties' workbooks).
KNOWN_SHOWN = 5
# What a returned workbook and its sent counterpart share: kind, years, gemeente, corporatie.
Identity = tuple[str, tuple[int, ...], str, str, str]


def identity(facts: meta.Facts) -> Identity:
    return (facts.kind, facts.years, facts.gemeente_code, facts.l_nummer, facts.corporatie_kort)


def _said(facts: meta.Facts) -> str:
    """What a workbook says it is, for a message."""
    corporatie = f", corporatie {facts.corporatie_kort} ({facts.l_nummer or '-'})"
    return f"{facts.kind} {meta.years_text(facts.years)}, gemeente {facts.gemeente_code}" + (
        corporatie if facts.corporatie_kort or facts.l_nummer else ""
    )


@dataclass(frozen=True)
class SentWorkbooks:
    """The folder of the workbooks the gemeente sent (the output folder of generate or
    rollover), as the facts of each one's `_meta`, read once. A returned workbook is compared
    with the one of the same kind, years, gemeente and corporatie (SentWorkbooks.source_for)."""

    folder: Path
    sent: tuple[tuple[Path, meta.Facts], ...]

    @classmethod
    def read(
        cls, folder: Path, spec: Spec, files: Iterable[Path], limits: Limits = DEFAULT_LIMITS
    ) -> "SentWorkbooks":
        """The facts of every workbook in `files` (the spreadsheets of `folder`); a file
        there that is not a workbook pa-sheets sent is refused (UsageError, exit 2)."""
        sent = []
        for path in files:
            try:
                sent.append((path, _sent_facts(path, spec, limits)))
            except PaSheetsError as exc:
                raise UsageError(f"--verzonden {folder}: {exc}") from None
        if not sent:
            raise UsageError(f"--verzonden {folder}: geen verzonden werkboeken (.xlsx) gevonden.")
        return cls(folder, tuple(sent))

    def source_for(self, data: WorkbookData, spec: Spec) -> "SentSource | Finding":
        """The sent workbook of a returned one, read; or X015 when none was sent; a returned
        workbook that is itself in the folder is refused (UsageError). Of two sent with the
        same identity (generated twice), the one created at the same moment as the returned
        workbook says it was (both are the gemeente's own), else the newest."""
        facts = data.template
        same = [(path, f) for path, f in self.sent if identity(f) == identity(facts)]
        if not same:
            named = f"de verzonden werkboeken in {self.folder}"
            known = sorted({_said(f) for _, f in self.sent if f.kind == facts.kind})
            shown = "; ".join(known[:KNOWN_SHOWN]) or "geen van deze soort"
            if len(known) > KNOWN_SHOWN:
                shown += f" en {len(known) - KNOWN_SHOWN} meer"
            return relabelled(_said(facts), shown, named)
        if any(path.resolve() == data.path.resolve() for path, _ in same):
            raise UsageError(  # it would be compared with itself, and always pass
                f"{data.path} staat zelf in de map --verzonden {self.folder}. Geef de map met "
                "de werkboeken zoals de gemeente ze stuurde, en lees de teruggestuurde ergens "
                "anders."
            )
        twin = [path for path, f in same if f.created == facts.created]
        path = twin[0] if twin else max(same, key=lambda item: item[1].created)[0]
        return SentSource(read_workbook(path, spec), spec)


def _sent_facts(path: Path, spec: Spec, limits: Limits) -> meta.Facts:
    """The facts of a sent workbook's `_meta`, without reading its tabs."""
    scan_file(path, limits)
    try:
        workbook = open_xlsx(path)
        names = list(workbook.sheet_names)
        if meta.SHEET not in names:
            raise not_returned(path, names)
        info = meta.parse(workbook.get_sheet_by_name(meta.SHEET).to_python())
        workbook.close()
    except BaseException as exc:  # calamine's own types, and a Rust panic
        raise reader_failed(path, exc) from None
    return facts_of(path, info.facts, spec)


# -------------------------------------------------------------------------------------------------
# _meta: the facts, the parties and the tabs
# -------------------------------------------------------------------------------------------------


def meta_differences(data: WorkbookData, sent: Source, lopend_key: str) -> list[Finding]:
    """Every fact, party, tab and closed afspraak of `_meta` that is not as sent (X014)."""
    found = data.meta.facts
    expected = sent.facts(found, _rolled_over(data, lopend_key))
    if sent.carries:  # a fact added to the returned workbook is a difference too
        expected |= {key: "" for key in found if key not in expected}
    findings = [
        _meta_finding(f"feit {key}", found.get(key, ""), want, sent)
        for key, want in expected.items()
        if found.get(key, "") != want
    ]
    parties = sent.parties()
    for number in range(max(len(parties), len(data.meta.parties))):
        want = _party_text(parties[number]) if number < len(parties) else "geen partij"
        have = (
            _party_text(data.meta.parties[number])
            if number < len(data.meta.parties)
            else "geen partij"
        )
        if want != have:
            findings.append(_meta_finding(f"partij {number + 1}", have, want, sent))
    tabs = sent.tabs()
    found_tabs = {b.sheet: f"{b.thema} {b.rol} {b.partij}" for b in data.meta.blocks}
    for name in dict.fromkeys([*tabs, *found_tabs]):
        if tabs.get(name) != found_tabs.get(name):
            have = found_tabs.get(name, "geen tabblad")
            want = tabs.get(name, "geen tabblad")
            findings.append(_meta_finding(f"tabblad {name}", have, want, sent))
    closed = sent.closed()
    if closed is not None:
        for nummer in dict.fromkeys([*closed, *data.meta.closed]):
            have, want = data.meta.closed.get(nummer, ""), closed.get(nummer, "")
            if have != want:
                findings.append(_meta_finding(f"afgerond {nummer}", have, want, sent))
    return findings


def _party_text(party: dict[str, str]) -> str:
    return " | ".join(party.get(key, "") for key in meta.PARTY_FIELDS)


def _meta_finding(what: str, found: str, want: str, sent: Source) -> Finding:
    return finding(
        "X014", sheet=meta.SHEET, column=what, value=found, detail=want, limit=sent.named
    )


# -------------------------------------------------------------------------------------------------
# The lopende afspraken
# -------------------------------------------------------------------------------------------------


def lopende_differences(
    data: WorkbookData,
    sent: Source,
    lopend_key: str,
    already: set[tuple[int, int]],
    missing: set[tuple[str, str]],
    at: At,
    gemeente_column: str | None = None,
) -> list[Finding]:
    """Every fixed cell of a lopende afspraak that is not as sent (X011), every afspraak sent
    that is gone (X012) and every row that was not sent (X013). Not reported twice: `already`,
    (block id, row index) of the rows X005 reports, and `missing`, (tab, row key) of those
    X006 reports. A basisbod's rows are keyed by gemeente too (`gemeente_column`). After a
    rollover the config does not know last year's new afspraken: a row it does not name is
    then not an error (the sent workbook does know them)."""
    rows = sent.rows()
    strict = sent.carries or not _rolled_over(data, lopend_key)
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    found_sheets: dict[str, FoundBlock] = {}
    for block in data.blocks:
        if block.key != lopend_key:
            continue
        found_sheets[block.meta.sheet] = block
        matched: list[tuple[int, object, dict[str, object]]] = []
        for index, nummer, gemeente in _numbered(block, gemeente_column):
            place = (block.meta.sheet, meta.row_key(nummer, gemeente))
            expected = rows.get(place)
            if expected is None:
                if strict:
                    findings.append(at("X013", block, "nummer", index, nummer, limit=sent.named))
                continue
            seen.add(place)
            if (id(block), index) not in already:
                matched.append((index, nummer, expected))
        for index, nummer, expected in _differing(block, matched, sent.carries):
            findings += _cell_differences(block, index, nummer, expected, at, sent)
    closed = sent.closed()
    if closed is None:  # the config: what the workbook says was closed last year
        closed = data.meta.closed if not strict else {}
    for sheet, key in rows:
        if (sheet, key) in seen or (sheet, key) in missing or key in closed:
            continue
        tab = found_sheets.get(sheet)  # None: the tab is gone (S001)
        row = tab.header_row if tab is not None else None
        findings.append(
            finding(
                "X012",
                sheet=tab.sheet if tab else sheet,
                row=row,
                col=0,
                value=key,
                limit=sent.named,
            )
        )
    return findings


def _rolled_over(data: WorkbookData, lopend_key: str) -> bool:
    """Whether the workbook shows the marks of a rollover: afspraken closed last year, or
    last year's status beside a lopende afspraak. Its lopende afspraken then include last
    year's new ones, which the config does not name."""
    if data.meta.closed:
        return True
    return any(
        value is not None
        for block in data.blocks
        if block.key == lopend_key
        for key in LAST_YEARS_ANSWERS
        for value in block.values.get(key, ())
    )


def _differing(
    block: FoundBlock, matched: list[tuple[int, object, dict[str, object]]], carries: bool
) -> list[tuple[int, object, dict[str, object]]]:
    """The rows among `matched` (index, nummer, cells as sent) whose fixed cells differ from
    what was sent, found with a fingerprint per row worked out column by column (fast on
    100,000 rows); _cell_differences then names the cells of these few."""
    if not matched:
        return []
    keys = [key for key in _compared(block, matched[0][2], carries) if key != "mijlpaal"]
    found = [[block.values[key][index] for index, _, _ in matched] for key in keys]
    sent = [[expected.get(key) for _, _, expected in matched] for key in keys]
    milestones = block.values.get("mijlpaal")
    if milestones is not None and "mijlpaal" in matched[0][2]:
        now = [milestones[index] for index, _, _ in matched]
        found.append(now)  # an empty milestone is not compared with the config
        sent.append(
            [
                e.get("mijlpaal") if n is not None or carries else None
                for n, (_, _, e) in zip(now, matched, strict=True)
            ]
        )
    if not found:
        return []  # every fixed column gone (S011)
    pairs = zip(meta.fingerprints(found), meta.fingerprints(sent), strict=True)
    return [row for row, (have, want) in zip(matched, pairs, strict=True) if have != want]


def _compared(block: FoundBlock, expected: dict[str, object], carries: bool) -> list[str]:
    """The columns of a lopende afspraak compared with the source: those it sends, but for
    a column gone from the tab (S011) and, against the config, last year's answers."""
    return [
        key
        for key in expected
        if key in block.columns and (carries or base_key(key) not in LAST_YEARS_ANSWERS)
    ]


def _cell_differences(
    block: FoundBlock,
    index: int,
    nummer: object,
    expected: dict[str, object],
    at: At,
    sent: Source,
) -> list[Finding]:
    findings = []
    for key in _compared(block, expected, sent.carries):
        now, was = block.values[key][index], expected[key]
        if key == "mijlpaal" and now is None and not sent.carries:
            continue  # a rollover leaves next year's milestone empty; the config has one
        if meta.fingerprint([now]) != meta.fingerprint([was]):
            findings.append(
                at(
                    "X011",
                    block,
                    key,
                    index,
                    now,
                    nummer=nummer,
                    found=quoted(now),
                    detail=quoted(was),
                    limit=sent.named,
                )
            )
    return findings


def quoted(value: object) -> str:
    """A cell's value in a message: between guillemets, numbers the Dutch way; 'niets' if empty."""
    text = " ".join(str(shown(value)).split()) if value is not None else ""
    return f"«{text}»" if text else "niets"


# -------------------------------------------------------------------------------------------------
# The Ondertekening
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignsFor:
    """What a partner's Tekent voor may say: its themas in any order, or, when they are every
    thema of the workbook, also "alle thema's" (a rollover writes them out)."""

    themas: tuple[str, ...]
    every: bool

    def __str__(self) -> str:
        return ALL_THEMAS if self.every else ", ".join(self.themas)

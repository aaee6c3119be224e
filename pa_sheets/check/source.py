"""Checked against the source: a returned workbook compared with what the gemeente's config
generates for it.

The fingerprints in `_meta` only tell whether a workbook still agrees with itself: a party
that changes a lopende afspraak and works out the fingerprints again passes them. The config
(`--config`, the YAML the workbooks were generated from) is kept by the gemeente, not sent: a
workbook is compared with the plan the generator makes from it for that corporatie, kind and
years (layout.plan_workbook, in memory). Any difference in a fixed text or value, a party, a
tab, a locked cell of the Ondertekening or a fact of `_meta` is an error.

What the config cannot vouch for: the afspraken a rollover carried into a later jaarschijf
(last year's new afspraken) and last year's status and realisatie beside them; those are
compared with the workbook's own record only (X005, X006). A basisbod is checked for its
gemeente only: its lopende afspraken come from several configs.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from pa_sheets.check.findings import Finding, finding
from pa_sheets.check.read import FoundBlock, WorkbookData
from pa_sheets.errors import PaSheetsError
from pa_sheets.numbers import shown
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import Spec, base_key
from pa_sheets.workbook import meta
from pa_sheets.workbook.layout import ALL_THEMAS, WorkbookPlan, plan_workbook

# Fixed columns a rollover fills from last year's answers, not from the config: compared with
# the workbook's own record only.
LAST_YEARS_ANSWERS = ("status_vorig", "realisatie_vorig")
# A finding at a cell of a block: (code, block, column key, row index, value, **details).
At = Callable[..., Finding]


@dataclass
class SourceCheck:
    """One workbook against the config: the plan the config makes for it (None when the
    workbook does not belong to the config, or is a basisbod) and the findings that say why."""

    config: Config
    plan: WorkbookPlan | None = None
    findings: list[Finding] = field(default_factory=list)


def source_check(data: WorkbookData, spec: Spec, config: Config) -> SourceCheck:
    """Find the corporatie of the config the workbook says it is for, and plan its workbook
    as the generator would; a workbook of another gemeente or corporatie is an error (X015)."""
    check = SourceCheck(config)
    facts = data.template
    gemeente = str(config.gemeente.code or "")
    codes = [code.strip() for code in facts.gemeente_code.split(",")]
    if facts.kind == "basisbod":
        if gemeente not in codes:
            check.findings.append(_relabelled(f"gemeente {facts.gemeente_code}", gemeente, config))
        return check
    if facts.gemeente_code != gemeente:
        check.findings.append(_relabelled(f"gemeente {facts.gemeente_code}", gemeente, config))
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
        check.findings.append(_relabelled(said, known, config))
        return check
    try:
        deadline = dt.date.fromisoformat(facts.deadline)
    except ValueError:
        deadline = dt.date(facts.years[0], 1, 1)  # not compared: a fact the gemeente may set
    try:
        check.plan = plan_workbook(spec, config, facts.kind, corporatie, facts.years, deadline)
    except (PaSheetsError, KeyError) as exc:
        check.findings.append(_relabelled(f"{facts.kind} {facts.years}", str(exc), config))
    return check


def _relabelled(said: str, config_says: str, config: Config) -> Finding:
    return finding("X015", sheet=meta.SHEET, value=said, detail=config_says, limit=config.path.name)


# -------------------------------------------------------------------------------------------------
# _meta: the facts, the parties and the tabs
# -------------------------------------------------------------------------------------------------


def meta_differences(data: WorkbookData, plan: WorkbookPlan, lopend_key: str) -> list[Finding]:
    """Every fact, party and tab of `_meta` that is not what the config generates (X014). A
    rollover does not carry agreed deadlines (termijnen): not compared after one."""
    config, party = plan.config, plan.corporatie.party
    expected = {
        "soort": plan.kind,
        "gemeente": config.gemeente.naam,
        "gemeente_code": str(config.gemeente.code or ""),
        "corporatie": party.naam,
        "corporatie_kort": party.kort,
        "l_nummer": party.code or "",
        "jaren": meta.years_text(tuple(plan.years)),
        "periode": f"{config.eerste_jaar}-{config.laatste_jaar}",
    }
    found = data.meta.facts
    if not _rolled_over(data, lopend_key):
        expected |= config.termijnen.facts()
        expected |= {key: "" for key in found if key.startswith("termijn_") and key not in expected}
    findings = [
        _meta_finding(f"feit {key}", found.get(key, ""), want)
        for key, want in expected.items()
        if found.get(key, "") != want
    ]
    sent = [
        dict(zip(meta.PARTY_FIELDS, (p.rol, p.display, p.kort, p.code or ""), strict=True))
        for p in plan.parties
    ]
    for number in range(max(len(sent), len(data.meta.parties))):
        want = _party_text(sent[number]) if number < len(sent) else "geen partij"
        have = (
            _party_text(data.meta.parties[number])
            if number < len(data.meta.parties)
            else "geen partij"
        )
        if want != have:
            findings.append(_meta_finding(f"partij {number + 1}", have, want))
    tabs = {
        sheet.name: f"{sheet.thema.code} {sheet.party.rol} {sheet.party.kort}"
        for sheet in plan.sheets
    }
    found_tabs = {b.sheet: f"{b.thema} {b.rol} {b.partij}" for b in data.meta.blocks}
    for name in dict.fromkeys([*tabs, *found_tabs]):
        if tabs.get(name) != found_tabs.get(name):
            have = found_tabs.get(name, "geen tabblad")
            findings.append(_meta_finding(f"tabblad {name}", have, tabs.get(name, "geen tabblad")))
    return findings


def _party_text(party: dict[str, str]) -> str:
    return " | ".join(party.get(key, "") for key in meta.PARTY_FIELDS)


def _meta_finding(what: str, found: str, sent: str) -> Finding:
    return finding("X014", sheet=meta.SHEET, column=what, value=found, detail=sent)


# -------------------------------------------------------------------------------------------------
# The lopende afspraken
# -------------------------------------------------------------------------------------------------


def sent_rows(plan: WorkbookPlan) -> dict[tuple[str, str], dict[str, object]]:
    """The fixed cells of every lopende afspraak the config puts in the workbook, by (tab,
    row key), as the generator writes them."""
    rows = {}
    for sheet in plan.sheets:
        for block in sheet.blocks:
            fixed = [p.key for p in block.columns if p.fixed]
            for values in block.rows[: block.fixed_rows]:
                key = meta.row_key(values["nummer"])
                rows[(sheet.name, key)] = {k: values.get(k) for k in fixed}
    return rows


def lopende_differences(
    data: WorkbookData,
    plan: WorkbookPlan,
    lopend_key: str,
    already: set[tuple[int, int]],
    missing: set[tuple[str, str]],
    at: At,
) -> list[Finding]:
    """Every fixed cell of a lopende afspraak that is not as the config sent it (X011), every
    afspraak of the config that is gone (X012) and every row that is not the config's (X013).
    Not reported twice: `already`, (block id, row index) of the rows X005 reports, and
    `missing`, (tab, row key) of those X006 reports."""
    sent = sent_rows(plan)
    rolled = _rolled_over(data, lopend_key)
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    found_sheets: dict[str, FoundBlock] = {}
    for block in data.blocks:
        if block.key != lopend_key:
            continue
        found_sheets[block.meta.sheet] = block
        matched: list[tuple[int, object, dict[str, object]]] = []
        for index, nummer in enumerate(block.values.get("nummer", [])):
            if nummer is None:
                continue
            place = (block.meta.sheet, meta.row_key(nummer))
            expected = sent.get(place)
            if expected is None:
                if not rolled:
                    findings.append(at("X013", block, "nummer", index, nummer))
                continue
            seen.add(place)
            if (id(block), index) not in already:
                matched.append((index, nummer, expected))
        for index, nummer, expected in _differing(block, matched):
            findings += _cell_differences(block, index, nummer, expected, at)
    closed = data.meta.closed if rolled else {}
    for sheet, key in sent:
        if (sheet, key) in seen or (sheet, key) in missing or key in closed:
            continue
        tab = found_sheets.get(sheet)  # None: the tab is gone (S001)
        row = tab.header_row if tab is not None else None
        findings.append(
            finding("X012", sheet=tab.sheet if tab else sheet, row=row, col=0, value=key)
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
    block: FoundBlock, matched: list[tuple[int, object, dict[str, object]]]
) -> list[tuple[int, object, dict[str, object]]]:
    """The rows among `matched` (index, nummer, cells as sent) whose fixed cells differ from
    what was sent, found with a fingerprint per row worked out column by column (fast on
    100,000 rows); _cell_differences then names the cells of these few."""
    if not matched:
        return []
    keys = [key for key in _compared(block, matched[0][2]) if key != "mijlpaal"]
    found = [[block.values[key][index] for index, _, _ in matched] for key in keys]
    sent = [[expected.get(key) for _, _, expected in matched] for key in keys]
    milestones = block.values.get("mijlpaal")
    if milestones is not None and "mijlpaal" in matched[0][2]:
        now = [milestones[index] for index, _, _ in matched]
        found.append(now)  # an empty milestone is not compared (see _cell_differences)
        sent.append(
            [
                e.get("mijlpaal") if n is not None else None
                for n, (_, _, e) in zip(now, matched, strict=True)
            ]
        )
    if not found:
        return []  # every fixed column gone (S011)
    pairs = zip(meta.fingerprints(found), meta.fingerprints(sent), strict=True)
    return [row for row, (have, want) in zip(matched, pairs, strict=True) if have != want]


def _compared(block: FoundBlock, expected: dict[str, object]) -> list[str]:
    """The columns of a lopende afspraak compared with the config: those it sends, but for
    last year's answers (a rollover's) and a column gone from the tab (S011)."""
    return [
        key for key in expected if base_key(key) not in LAST_YEARS_ANSWERS and key in block.columns
    ]


def _cell_differences(
    block: FoundBlock, index: int, nummer: object, expected: dict[str, object], at: At
) -> list[Finding]:
    findings = []
    for key in _compared(block, expected):
        now, was = block.values[key][index], expected[key]
        if key == "mijlpaal" and now is None:
            continue  # a rollover leaves next year's milestone empty
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


def sent_signing_rows(plan: WorkbookPlan) -> list[dict[str, object]] | None:
    """The locked cells of the Ondertekening as the config generates them, a row per party."""
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

"""The rules across cells, rows and sheets: each a small function with one finding code.

A rule gets the Context of one workbook (what was read, the values as normalised, the spec)
and returns its findings. `@rule(code)` registers it in RULES, the one list validate runs and
docs/bevindingen.md is generated from. Rules work column by column: a dict per row is too slow
on 100,000 rows. Most workbooks break no rule, so a rule first looks whether it has anything to
do.
"""

import datetime as dt
import functools
import math
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from itertools import chain, compress, count, filterfalse, repeat
from operator import and_, eq, gt, is_, lt
from typing import cast

from pa_sheets.check.findings import Finding, PartySigning, Signing, finding
from pa_sheets.check.normalise import Lists, is_empty, split_values
from pa_sheets.check.read import FoundBlock, WorkbookData, read_fixed_texts
from pa_sheets.check.source import (
    LOCKED_SIGNING,
    SignsFor,
    SourceCheck,
    lopende_differences,
    meta_differences,
)
from pa_sheets.display import HIDDEN, has_hidden, hidden_in, marked
from pa_sheets.numbers import shown
from pa_sheets.spec.config import ALLE
from pa_sheets.spec.kalender import GROND_AFSPRAKEN, WETTELIJK
from pa_sheets.spec.model import Indicator, Spec, base_key, bereik_text, year_key
from pa_sheets.spec.names import (
    ASKED_INVESTMENTS_HEADER,
    CORPORATIE,
    HUURDERSFEDERATIE,
    HUURDERSORGANISATIE,
    OWN_INVESTMENTS_HEADER,
    TOTAL_LABEL,
)
from pa_sheets.spec.planning import cached_planning_year, cached_span
from pa_sheets.spec.targets import (
    BANDBREEDTE,
    FORM_COLUMNS,
    doelsoort_of,
    due,
    meets,
    mistakes,
    soort_of,
    stays_met,
    target_words,
)
from pa_sheets.spec.types import NUMERIC_TYPES
from pa_sheets.workbook import meta
from pa_sheets.workbook.layout import ALL_THEMAS

Clean = dict[str, list[object]]  # column key -> the normalised value of every row of a block


@dataclass
class Context:
    """One workbook as the rules see it. `clean[i]` holds the normalised columns of
    `data.blocks[i]`."""

    data: WorkbookData
    spec: Spec
    clean: list[Clean]
    lists: Lists
    cache: dict[str, object] = field(default_factory=dict)  # what several rules work out once
    signing: Clean | None = None  # the Ondertekening's normalised columns, if it was read
    source: SourceCheck | None = None  # --config or --verzonden, when given (check/source.py)

    @functools.cached_property
    def template(self):
        return self.spec.templates[self.data.template.kind]

    def blocks(self, key: str | None = None) -> Iterator[tuple[FoundBlock, Clean]]:
        """Every block read (or those of one spec block) with its normalised values."""
        for block, clean in zip(self.data.blocks, self.clean, strict=True):
            if key is None or block.key == key:
                yield block, clean

    def finding(
        self, code: str, block: FoundBlock, key: str, index: int, value: object, **details: object
    ) -> Finding:
        return block_finding(self.spec, code, block, key, index, value, **details)

    def planning_bounds(self) -> tuple[int, int]:
        """The years a planning may name: the agreements' period for a jaarschijf; for a bod
        its years and the year before (a bod is written the year before it starts)."""
        template = self.data.template
        if template.kind == "jaarschijf":
            return template.period
        return template.years[0] - 1, template.years[-1]

    @property
    def period_text(self) -> str:
        low, high = self.planning_bounds()
        return f"{low}-{high}"

    @functools.cached_property
    def going_concern(self) -> "GoingConcern":
        return _compare_going_concern(self)


def block_finding(
    spec: Spec, code: str, block: FoundBlock, key: str, index: int, value: object, **details: object
) -> Finding:
    """A finding at the cell of column `key` in row `index` of `block`: the one place where a
    position in a block becomes a cell in the user's terms (header row + offset -> C7)."""
    return finding(
        code,
        sheet=block.sheet,
        row=block.rows[index],
        col=block.columns[key],
        column=spec.header_for(key),
        value=value,
        **details,
    )


@dataclass(frozen=True)
class Rule:
    code: str
    controle: str  # what it checks, in Dutch, for docs/bevindingen.md
    check: Callable[[Context], list[Finding]]


RULES: list[Rule] = []


def rule(code: str, controle: str) -> Callable:
    """Register a rule for finding `code`, in the order rules run; `controle` says in Dutch
    what it checks."""

    def register(check: Callable[[Context], list[Finding]]) -> Callable:
        RULES.append(Rule(code, controle, check))
        return check

    return register


# -------------------------------------------------------------------------------------------------
# Nummers
# -------------------------------------------------------------------------------------------------


@rule(
    "X001",
    "Elke afspraak heeft een eigen nummer; in een basisbod mag een nummer per gemeente "
    "terugkomen, maar niet naast een rij voor alle.",
)
def unique_nummers(ctx: Context) -> list[Finding]:
    # A set of them first is cheap; nearly always no doubles.
    given = list(
        map(str, filter(None, chain.from_iterable(c.get("nummer", []) for c in ctx.clean)))
    )
    if len(set(given)) == len(given):
        return []
    marker = ctx.template.gemeente_column or ""
    seen: dict[str, list[tuple[FoundBlock, int, object]]] = {}
    for block, clean in ctx.blocks():
        nummers = clean.get("nummer")
        if not nummers:
            continue
        gemeenten = clean.get(marker) or [None] * len(nummers)
        for index, (nummer, gemeente) in enumerate(zip(nummers, gemeenten, strict=True)):
            if nummer:
                seen.setdefault(str(nummer), []).append((block, index, gemeente))
    findings = []
    for nummer, places in seen.items():
        for block, index, gemeente in places if len(places) > 1 else []:
            others = [
                f"{b.sheet} regel {b.rows[i]}"
                for b, i, other in places
                if (b, i) != (block, index) and (gemeente == other or ALLE in (gemeente, other))
            ]
            if others:
                findings.append(
                    ctx.finding("X001", block, "nummer", index, nummer, detail=", ".join(others))
                )
    return findings


@rule(
    "X010",
    "Een nieuwe afspraak krijgt niet het nummer van een afspraak die vorig jaar is afgerond "
    "of vervallen.",
)
def nummer_of_a_closed_afspraak(ctx: Context) -> list[Finding]:
    # A nummer stands for one afspraak in every year: a comparison across years would mix them.
    closed = ctx.data.meta.closed
    findings = []
    for block, clean in ctx.blocks() if closed else ():
        if not ctx.template.block(block.key).is_new:
            continue
        for index, nummer in enumerate(clean.get("nummer", [])):
            if nummer and str(nummer) in closed:
                detail = closed[str(nummer)]
                findings.append(ctx.finding("X010", block, "nummer", index, nummer, detail=detail))
    return findings


# -------------------------------------------------------------------------------------------------
# Between the cells of a row
# -------------------------------------------------------------------------------------------------


@rule(
    "X008",
    "In een basisbod is elke rij voor alle of voor een van de gemeenten van het basisbod.",
)
def gemeente_of_the_basisbod(ctx: Context) -> list[Finding]:
    marker = ctx.template.gemeente_column
    if marker is None:
        return []
    gemeenten = [ALLE, *ctx.data.meta.gemeenten]
    return [
        ctx.finding("X008", block, marker, index, gemeente, detail=", ".join(gemeenten))
        for block, clean in ctx.blocks()
        for index, gemeente in enumerate(clean.get(marker, ()))
        if gemeente and gemeente not in gemeenten
    ]


@rule(
    "X002",
    "Elke trekker en betrokken partij van een nieuwe afspraak is een partij van dit werkboek "
    "(een cel mag er meer noemen, gescheiden door komma's). De vaste tekst van een lopende "
    "afspraak is van de gemeente: zij mag een partij noemen die dit werkboek niet tekent (een "
    "samenwerkingsverband zonder deze corporatie, de huurdersorganisatie van een andere); een "
    "wijziging daarin is X005 of X011.",
)
def trekker_is_a_party(ctx: Context) -> list[Finding]:
    allowed = ctx.lists(ctx.spec.columns["trekker"])
    names = ", ".join(ctx.lists.parties)
    findings = []
    for block, clean in ctx.blocks():
        fixed = ctx.template.block(block.key).fixed
        for key in ("trekker", "betrokken"):
            if key in fixed:
                continue
            for index, cell in enumerate(clean.get(key, ())):
                if not cell or cell in allowed.values:
                    continue
                for part in split_values(str(cell), allowed):
                    if part not in allowed.values:
                        findings.append(ctx.finding("X002", block, key, index, part, detail=names))
    return findings


@rule("V009", "Bij een status die bijsturing vraagt (oranje, rood) staat een toelichting.")
def toelichting_with_oranje_and_rood(ctx: Context) -> list[Finding]:
    needs = ctx.spec.statuses_needing_toelichting()
    findings = []
    for block, clean in ctx.blocks():
        if "status" not in clean or "toelichting" not in clean:
            continue
        if not any(status in needs for status in set(clean["status"])):
            continue  # no status that needs one (nearly always): no step per row
        pairs = zip(clean["status"], clean["toelichting"], strict=True)
        for index, (status, toelichting) in enumerate(pairs):
            if status in needs and not toelichting:
                findings.append(ctx.finding("V009", block, "toelichting", index, status))
    return findings


@rule(
    "X003",
    "De planning ligt in de periode van de afspraken (bij een bod: de jaren van het bod en "
    "het jaar ervoor).",
)
def planning_in_the_period(ctx: Context) -> list[Finding]:
    low, high = ctx.planning_bounds()
    findings = []
    for block, clean in ctx.blocks():
        # A lopende afspraak's planning is the gemeente's (it may have started before the
        # period or aim past it); a period counts when it overlaps the agreements' period, and
        # a deadline (uiterlijk 2030, tot 2030) when it ends in or after it.
        spec_block = ctx.template.block(block.key)
        for key, values in clean.items():
            if ctx.spec.column_for(key).type != "planning" or key in spec_block.fixed:
                continue
            if not any(_outside_period(value, low, high) for _, value in _distinct(values)):
                continue  # each distinct planning judged once: nearly always all inside
            for index, value in enumerate(values):
                span = cached_span(value) if value is not None else None
                if span is None or span.end is None:
                    continue
                first = span.start.year if span.start is not None else None
                last = span.end.year
                if first is not None and first > high and spec_block.is_new:
                    continue  # an ambition past the period: X016, unless it has a kader
                if last < low or (first is not None and first > high):
                    detail = f"Jaar {first}" if first == last else f"Periode {first}-{last}"
                    if first is None:
                        detail = f"Uiterlijk {last}"
                    limit = f"{low}-{high}"
                    findings.append(
                        ctx.finding("X003", block, key, index, value, detail=detail, limit=limit)
                    )
    return findings


@rule(
    "X016",
    "Een nieuwe afspraak met een planning na de periode (aardgasvrij in 2050) is een ambitie: "
    "die staat als kader in de kolom Kader. Met een kader is het in orde.",
)
def ambition_past_the_period(ctx: Context) -> list[Finding]:
    _, high = ctx.planning_bounds()
    findings = []
    for block, clean in ctx.blocks():
        if not ctx.template.block(block.key).is_new or "planning" not in clean:
            continue
        if not any(_starts_after(value, high) for _, value in _distinct(clean["planning"])):
            continue  # each distinct planning judged once: nearly always none after the period
        kader = clean.get("kader") or [None] * len(clean["planning"])
        for index, (value, frame) in enumerate(zip(clean["planning"], kader, strict=True)):
            if not _starts_after(value, high):
                continue
            if is_empty(frame):
                findings.append(
                    ctx.finding("X016", block, "planning", index, value, limit=ctx.period_text)
                )
    return findings


def _starts_after(value: object, high: int) -> bool:
    """Whether a planning starts after the year `high`."""
    span = cached_span(value) if value is not None else None
    return span is not None and span.start is not None and span.start.year > high


def _distinct(values: list[object]) -> set[tuple[type, object]]:
    """A column's distinct values, told apart by type too (1, 1.0 and True are equal), as
    (type, value): a rule that finds nothing among them needs no step per row."""
    return set(zip(map(type, values), values, strict=True))


def _outside_period(value: object, low: int, high: int) -> bool:
    """Whether a planning ends before the period or starts after it (a deadline, uiterlijk
    2025, has no start: only its end counts)."""
    span = cached_span(value) if value is not None else None
    if span is None or span.end is None:
        return False
    return span.end.year < low or (span.start is not None and span.start.year > high)


@rule("X004", "Het jaar van de nulmeting ligt voor het jaar van de planning.")
def nulmeting_before_planning(ctx: Context) -> list[Finding]:
    findings = []
    for block, clean in ctx.blocks():
        if "nulmeting_jaar" not in clean or "planning" not in clean:
            continue
        # Nothing to find unless some nulmeting lies on or after the earliest planning year.
        starts = [start for start in set(clean["nulmeting_jaar"]) if isinstance(start, float)]
        targets = [
            target
            for _, planning in _distinct(clean["planning"])
            if planning is not None and (target := cached_planning_year(planning)) is not None
        ]
        if not starts or not targets:
            continue
        earliest = min(targets)
        if not any(start >= earliest for start in starts):
            continue
        pairs = zip(clean["nulmeting_jaar"], clean["planning"], strict=True)
        for index, (start, planning) in enumerate(pairs):
            target = cached_planning_year(planning) if planning is not None else None
            if isinstance(start, float) and target is not None and start >= target:
                findings.append(
                    ctx.finding("X004", block, "nulmeting_jaar", index, int(start), detail=target)
                )
    return findings


# -------------------------------------------------------------------------------------------------
# SMART: the Handreiking asks every new afspraak to say who does what, and when. Judged on what
# was typed, so that an unreadable planning is reported as such, not as missing.
# -------------------------------------------------------------------------------------------------


def _missing(
    ctx: Context, code: str, keys: tuple[str, ...], asked: Callable[[Clean, int], str | None]
) -> list[Finding]:
    """A finding at the last of `keys` for every row of a new-afspraken block in which one of
    them is empty, when `asked` says what is asked of the row (None: nothing)."""
    findings = []
    for block, clean in ctx.blocks():
        present = [key for key in keys if key in block.columns]
        if not present or not ctx.template.block(block.key).is_new:
            continue
        columns = [block.values[key] for key in present]
        empties = set().union(*map(_empties, columns))
        if not empties:
            continue  # nothing missing (nearly always): no step per row
        if empties == {None}:  # as read (an empty cell), the rows are found in C
            rows = sorted(
                set(
                    chain.from_iterable(
                        compress(count(), map(is_, c, repeat(None))) for c in columns
                    )
                )
            )
        else:
            rows = [
                i for i, row in enumerate(zip(*columns, strict=True)) if any(map(is_empty, row))
            ]
        for index in rows:
            if (what := asked(clean, index)) is not None:
                findings.append(ctx.finding(code, block, present[-1], index, None, detail=what))
    return findings


def _empties(column: list[object]) -> set[object]:
    """The empty values (is_empty) among a column's distinct values: None and "" found by
    hashing, a NaN (never equal to itself) looked for in C; a step per value only if one is."""
    distinct = set(column)
    found = distinct & {None, ""}
    if all(map(eq, distinct, distinct)):
        return found
    return found | {value for value in distinct if is_empty(value)}


def _every(clean: Clean, index: int) -> str:
    return "afspraak"


@rule("M001", "Een nieuwe afspraak noemt haar trekker.")
def smart_trekker(ctx: Context) -> list[Finding]:
    return _missing(ctx, "M001", ("trekker",), _every)


@rule("M002", "Een nieuwe afspraak heeft een planning.")
def smart_planning(ctx: Context) -> list[Finding]:
    return _missing(ctx, "M002", ("planning",), _every)


@rule(
    "M003",
    "Een nieuwe handelings-, garantie- of transactieafspraak (de types met meetbaar in de spec) "
    "heeft een meetbaar doel: een indicator en een streefwaarde (of, zonder getal, 'Ten "
    "opzichte van'). Van de andere types vraagt "
    "SMART een afspraak en een planning (M002).",
)
def smart_target(ctx: Context) -> list[Finding]:
    measurable = {term.naam for term in ctx.spec.types if term.meetbaar}

    def asked(clean: Clean, index: int) -> str | None:
        if (
            "referentie" in clean
            and "indicator" in clean
            and not is_empty(clean["referentie"][index])
            and not is_empty(clean["indicator"][index])
        ):
            return None  # relative: measured against its reference, without a number
        kind = clean["type"][index] if "type" in clean else None
        if not kind or kind not in ctx.spec.list_values("types"):
            return "afspraak"  # no type (V001) or an unknown one: ask it anyway
        return str(kind) if kind in measurable else None

    return _missing(ctx, "M003", ("indicator", "streefwaarde"), asked)


# -------------------------------------------------------------------------------------------------
# The forms of a target (spec 1.5): spec/targets.py says what each form is and what is wrong
# with it; these rules put that at the cell. A workbook without the columns (made before 1.5)
# or without a filled one (nearly every row) is passed over.
# -------------------------------------------------------------------------------------------------


def _form_mistakes(ctx: Context) -> list[Finding]:
    """Every mistake in the target forms of the workbook, found once for the six codes."""
    if "forms" in ctx.cache:
        return cast(list[Finding], ctx.cache["forms"])
    standard = _standard(ctx)
    ranged = set(ctx.spec.range_doelsoorten())
    found = []
    for block, clean in ctx.blocks():
        # The columns with a value (an empty one, nearly all, is told in C): their rows.
        present = [key for key in FORM_COLUMNS if key in clean]
        filled = [key for key in present if clean[key].count(None) != len(clean[key])]
        if not present:
            continue
        rows = {
            index for key in filled for index, value in enumerate(clean[key]) if not is_empty(value)
        }
        rows |= {i for i, kind in enumerate(clean.get("doelsoort", ())) if kind in ranged}
        for index in sorted(rows):
            values = {key: column[index] for key, column in clean.items()}
            indicator = standard.get(values.get("indicator"))
            soort = (
                indicator.soort
                if indicator is not None and values.get("eenheid") in (None, indicator.eenheid)
                else None
            )
            for code, key, value, detail in mistakes(values, ctx.spec, soort):
                if key in block.columns:
                    found.append(ctx.finding(code, block, key, index, value, detail=detail))
    ctx.cache["forms"] = found
    return found


def _forms(code: str) -> Callable[[Context], list[Finding]]:
    return lambda ctx: [f for f in _form_mistakes(ctx) if f.code == code]


rule("D001", "Bij een bandbreedte ligt Streefwaarde tot niet onder de streefwaarde.")(
    _forms("D001")
)
rule("D002", "Een bandbreedte heeft een ondergrens (Streefwaarde) en een bovengrens.")(
    _forms("D002")
)
rule(
    "D003",
    "Streefwaarde tot staat alleen bij de doelsoort bandbreedte (of een lege doelsoort).",
)(_forms("D003"))
rule(
    "D004",
    "Een doel ten opzichte van iets anders (inflatie, landelijk gemiddelde) heeft geen "
    "streefwaarde, Streefwaarde tot of mijlpaal, en is geen bandbreedte.",
)(_forms("D004"))
rule("D005", "Een streefwaarde per jaar hoort bij een stroom, niet bij een stand.")(_forms("D005"))
rule("D006", "Een Waarde referentie staat alleen bij een doel met 'Ten opzichte van'.")(
    _forms("D006")
)


# -------------------------------------------------------------------------------------------------
# Texts as they are shown
# -------------------------------------------------------------------------------------------------


# An error, not a warning: what a party signs and the website publishes must be the text as it
# is shown. A right-to-left override shows "06" where 60 is written; a zero-width space makes
# two texts that look the same differ. A warning would let merge and publish carry such a text
# on; typing the cell again costs a party a minute.
@rule(
    "V012",
    "Een tekst bevat geen onzichtbare tekens die veranderen hoe hij wordt getoond "
    "(richtingstekens U+202A-202E en U+2066-2069, tekens zonder breedte U+200B-200F, U+2060, "
    "U+FEFF).",
)
def no_hidden_characters(ctx: Context) -> list[Finding]:
    found = []
    signing = [ctx.data.signing] if ctx.data.signing is not None else []
    for block in [*ctx.data.blocks, *signing]:
        texts = {
            key: column
            for key, column in block.values.items()
            # a text in a number column is T001 already, shown as it is typed
            if key in block.columns and ctx.spec.column_for(key).type not in NUMERIC_TYPES
        }
        # The usual case: every text of a column is one Latin-1 can hold, which no hidden
        # character is (one copy in C per column). Else one search over the distinct texts
        # that are not ASCII of the columns that are not (str.isascii: no step per character).
        odd = [
            value
            for column in texts.values()
            if not _latin1(column)
            for value in set(column)
            if isinstance(value, str) and not value.isascii()
        ]
        if not odd or not has_hidden("\n".join(odd)):
            continue
        for key, column in texts.items():
            for index, value in enumerate(column):
                if isinstance(value, str) and HIDDEN.search(value):
                    detail = ", ".join(hidden_in(value))
                    found.append(
                        ctx.finding("V012", block, key, index, marked(value), detail=detail)
                    )
    return found


def _latin1(column: list[object]) -> bool:
    """Whether a column holds only texts (or nothing) that Latin-1 can hold, so no hidden
    character (each lies beyond U+00FF); False too for a column with a number or a date."""
    try:
        "".join(filter(None, cast(list[str], column))).encode("latin-1")  # else TypeError
    except (TypeError, UnicodeEncodeError):
        return False
    return True


# -------------------------------------------------------------------------------------------------
# The workbook as generated
# -------------------------------------------------------------------------------------------------


@rule("V010", "In een invoercel staat een waarde, geen formule.")
def no_formulas_in_input_cells(ctx: Context) -> list[Finding]:
    findings = []
    for block, _ in ctx.blocks():
        cells = ctx.data.formulas.get(block.sheet)
        if not cells:
            continue
        for key, col in block.columns.items():
            for index, row in enumerate(block.rows):
                if finding("V010", row=row, col=col).cell in cells:
                    findings.append(
                        ctx.finding("V010", block, key, index, block.values[key][index])
                    )
    return findings


@dataclass
class GoingConcern:
    """The going-concern rows compared with their fingerprints in _meta."""

    changed: list[tuple[FoundBlock, int, object]] = field(
        default_factory=list
    )  # block, index, nummer
    missing: list[tuple[FoundBlock, str]] = field(default_factory=list)  # block, nummer


@rule(
    "X005",
    "De vaste tekst van een lopende afspraak is ongewijzigd (een vingerafdruk per regel in _meta).",
)
def fixed_text_unchanged(ctx: Context) -> list[Finding]:
    # The finding is at the first fixed cell that differs from the text as generated, its
    # value the text as found; the message holds both. The text as generated is read only
    # now, when a row changed; a workbook made before it was kept shows the afspraak as found.
    changed = ctx.going_concern.changed
    generated = read_fixed_texts(ctx.data.path) if changed else {}
    sent = ctx.source.sent if ctx.source is not None else None
    if changed and sent is not None:  # the text as sent, not as the file says
        generated |= sent.rows()
    found = []
    for block, i, nr in changed:
        gemeente = block.values.get(ctx.template.gemeente_column or "")
        expected = generated.get((block.meta.sheet, meta.row_key(nr, gemeente and gemeente[i])))
        key, detail = _changed_cell(block, i, expected)
        found.append(ctx.finding("X005", block, key, i, block.values[key][i], nummer=nr, **detail))
    return found


def _changed_cell(
    block: FoundBlock, index: int, expected: dict[str, object] | None
) -> tuple[str, dict[str, str]]:
    """The column of a changed going-concern row to point at, and the message's detail: the
    text as found and as it should be (only the first when the second is unknown)."""
    expected = expected or {}  # unknown: no column to compare
    for key in block.meta.columns:
        if key not in expected or key not in block.columns:
            continue
        now, was = block.values[key][index], expected[key]
        if meta.fingerprint([now]) != meta.fingerprint([was]):
            detail = f": er staat nu {_quoted(now)}; er hoort {_quoted(was)} te staan"
            return key, {"detail": detail}
    key = "afspraak" if "afspraak" in block.columns else "nummer"
    return key, {"detail": f": er staat nu {_quoted(block.values[key][index])}"}


def _quoted(value: object) -> str:
    """A cell's value in a message: between guillemets, numbers the Dutch way; 'niets' if empty."""
    text = " ".join(str(shown(value)).split()) if value is not None else ""
    return f"«{text}»" if text else "niets"


@rule("X006", "Elke lopende afspraak uit het gemaakte werkboek staat er nog.")
def no_lopende_afspraak_lost(ctx: Context) -> list[Finding]:
    return [
        finding("X006", sheet=block.sheet, row=block.header_row, col=0, column="Nummer", value=nr)
        for block, nr in ctx.going_concern.missing
    ]


def _compare_going_concern(ctx: Context) -> GoingConcern:
    result = GoingConcern()
    template_block = ctx.template.lopend_block
    if template_block is None:
        return result
    meta_info = ctx.data.meta
    seen: set[tuple[str, str]] = set()
    marker = ctx.template.gemeente_column or ""
    read_sheets = {}
    for block, _ in ctx.blocks(template_block.key):
        read_sheets[block.meta.sheet] = block
        if not block.rows:
            continue  # no row to compare or to have seen (its rows, if any, are missing)
        nummers = block.values.get("nummer", [])
        gemeenten = block.values.get(marker) or [None] * len(nummers)
        row_keys = [meta.row_key(n, g) for n, g in zip(nummers, gemeenten, strict=True)]
        fixed = [key for key in block.meta.columns if base_key(key) in template_block.fixed]
        columns = [block.values[key] for key in fixed] if set(fixed) <= set(block.columns) else []
        # A fixed column missing (S011, text cannot be compared) or every row as generated:
        # nothing to report, and every row was seen.
        if not columns or meta.block_fingerprint(columns) == meta_info.block_prints.get(
            block.meta.sheet
        ):
            seen.update((block.meta.sheet, key) for key in row_keys)
            continue
        prints = meta.fingerprints(columns)
        for index, (nummer, key, print_) in enumerate(zip(nummers, row_keys, prints, strict=True)):
            original = meta_info.fixed.get((block.meta.sheet, key))
            if original is None or print_ != original:
                result.changed.append((block, index, nummer))
            if original is not None:
                seen.add((block.meta.sheet, key))
    for sheet, nummer in meta_info.fixed:
        read = read_sheets.get(sheet)
        if read is not None and (sheet, nummer) not in seen:
            result.missing.append((read, nummer))
    return result


# -------------------------------------------------------------------------------------------------
# Checked against the source: the gemeente's config (--config) or the workbook as sent
# (--verzonden); see check/source.py
# -------------------------------------------------------------------------------------------------


@rule(
    "X015",
    "Met --config: het werkboek is voor een gemeente en corporatie van de config (niet "
    "omgelabeld naar een andere); met --verzonden: er is een verzonden werkboek van dezelfde "
    "soort, jaren, gemeente en corporatie.",
)
def of_the_config(ctx: Context) -> list[Finding]:
    return list(ctx.source.findings) if ctx.source is not None else []


@rule(
    "X014",
    "Met --config: de feiten, partijen en tabbladen in _meta zijn wat de config maakt; met "
    "--verzonden: wat in _meta van het verzonden werkboek staat (ook de vorig jaar afgeronde "
    "afspraken).",
)
def meta_as_in_the_config(ctx: Context) -> list[Finding]:
    sent = ctx.source.sent if ctx.source is not None else None
    lopend = ctx.template.lopend_block
    return meta_differences(ctx.data, sent, lopend.key if lopend else "") if sent else []


def _lopende_against_the_config(ctx: Context, code: str) -> list[Finding]:
    """The findings of one code among those of the lopende afspraken against the config,
    worked out once."""
    sent = ctx.source.sent if ctx.source is not None else None
    lopend = ctx.template.lopend_block
    if sent is None or lopend is None:
        return []
    if "against config" not in ctx.cache:
        gone = ctx.going_concern
        already = {(id(block), index) for block, index, _ in gone.changed}
        missing = {(block.meta.sheet, str(nummer)) for block, nummer in gone.missing}
        ctx.cache["against config"] = lopende_differences(
            ctx.data,
            sent,
            lopend.key,
            already,
            missing,
            ctx.finding,
            ctx.template.gemeente_column,
        )
    found: list[Finding] = ctx.cache["against config"]  # type: ignore[assignment]
    return [item for item in found if item.code == code]


@rule(
    "X011",
    "Met --config: elke vaste cel van een lopende afspraak is wat de config van de gemeente "
    "stuurde (ook als de vingerafdrukken in _meta opnieuw zijn berekend); met --verzonden: "
    "wat in het verzonden werkboek staat, ook bij afspraken die een rollover meenam en de "
    "status en realisatie van vorig jaar.",
)
def fixed_text_as_sent(ctx: Context) -> list[Finding]:
    return _lopende_against_the_config(ctx, "X011")


@rule(
    "X012",
    "Met --config: elke lopende afspraak uit de config staat in het werkboek (na een rollover: "
    "tenzij vorig jaar afgerond); met --verzonden: elke uit het verzonden werkboek.",
)
def lopende_afspraak_of_the_config_present(ctx: Context) -> list[Finding]:
    return _lopende_against_the_config(ctx, "X012")


@rule(
    "X013",
    "Met --config: een lopende afspraak staat in de config (na een rollover ook die van vorig "
    "jaar, vergeleken met het eigen vastleggen van het werkboek); met --verzonden: in het "
    "verzonden werkboek.",
)
def lopende_afspraak_from_the_config(ctx: Context) -> list[Finding]:
    return _lopende_against_the_config(ctx, "X013")


@rule("X007", "Het blad Investeringen toont wat de tabbladen per thema en jaar optellen.")
def investments_add_up(ctx: Context) -> list[Finding]:
    rows, keys = ctx.data.investments, ctx.template.investment_columns
    # The sheet's two tables, found by their headers. A sheet without the second table was
    # made before the corporatie's own investments were kept apart: its first table adds up
    # the tabs of every party.
    own_header, others_header = OWN_INVESTMENTS_HEADER, ASKED_INVESTMENTS_HEADER
    starts = {
        header: next((i for i, row in enumerate(rows or []) if row and row[0] == header), None)
        for header in (own_header, others_header)
    }
    if not rows or not keys or starts[own_header] is None:
        return []
    apart = starts[others_header] is not None
    names = {party["kort"]: party["naam"] for party in ctx.data.meta.parties}
    years = ctx.data.template.years
    totals: dict[tuple[str, str, int], float] = {}  # (table, thema or party, year) -> sum
    for block, clean in ctx.blocks():
        if apart and block.meta.rol != CORPORATIE:
            place = (others_header, names.get(block.meta.partij, block.meta.partij))
        else:
            place = (own_header, block.meta.thema)
        for year in years:
            for key in keys:
                for value in clean.get(year_key(key, year), []):
                    if isinstance(value, float) and not math.isnan(value):
                        totals[(*place, year)] = totals.get((*place, year), 0.0) + value
    findings = []
    for table in (own_header, others_header) if apart else (own_header,):
        start = starts[table]
        assert start is not None  # checked above: the first always, the second when apart
        for offset, row in enumerate(rows[start + 1 :], start=start + 2):
            label = str(row[0]) if row and row[0] else ""
            if label == TOTAL_LABEL:
                break  # the table's totals: sums of the rows above, in the sheet itself
            if not label:
                continue
            what = label.split(" ")[0] if table == own_header else label
            for col, year in enumerate(years, start=1):
                shown = row[col] if col < len(row) else None
                if not isinstance(shown, int | float) or isinstance(shown, bool):
                    continue  # no cached value (never recalculated): nothing to compare
                expected = totals.get((table, what, year), 0.0)
                if abs(shown - expected) > 0.5:
                    findings.append(
                        finding(
                            "X007",
                            sheet=meta.INVESTMENT_SHEET,
                            row=offset,
                            col=col,
                            column=str(year),
                            value=shown,
                            detail=f"{what} {year}",
                            limit=expected,
                        )
                    )
    return findings


# -------------------------------------------------------------------------------------------------
# Plausibility: a number the gemeente must be able to defend. The measures of a row (nulmeting,
# streefwaarde, realisatie) are in the row's eenheid; a standard indicator says which eenheid,
# bereik and richting it has (templates/indicatoren.yaml). Fixed cells of lopende afspraken
# come from the gemeente's config and are not judged here.
# -------------------------------------------------------------------------------------------------

BILLION = 1e9


@dataclass(frozen=True)
class _Measures:
    """One column of numbers in the eenheid of their row, with that eenheid and indicator.
    The rules first judge the column by its distinct numbers and the distinct (eenheid,
    indicator) pairs of its block (`kinds`), and go over its rows only when one of those might
    break the rule."""

    block: FoundBlock
    key: str
    values: list[object]
    units: list[object]
    names: list[object]
    kinds: set[tuple[object, object]]

    @functools.cached_property
    def distinct(self) -> list[float]:
        """Its distinct numbers."""
        distinct = set(self.values)
        distinct.discard(None)
        if set(map(type, distinct)) <= {float}:  # the usual case: the types looked at in C
            return list(cast(set[float], distinct))
        return [value for value in distinct if type(value) is float]

    @functools.cached_property
    def span(self) -> tuple[float, float] | None:
        """Its lowest and highest number; None when it has none. A NaN (which normalising
        never leaves) makes it -inf to inf, so that every row is looked at."""
        if not self.distinct:
            return None
        if any(map(math.isnan, self.distinct)):
            return -math.inf, math.inf
        return min(self.distinct), max(self.distinct)

    def numbers(
        self, units: Container[object], values: Container[object]
    ) -> Iterator[tuple[int, float, object, object]]:
        """(row index, value, eenheid, indicator name) of every number that is one of
        `values`, in one of `units`. The rows are picked in C: nearly always none are."""
        rows = compress(
            count(),
            map(and_, map(units.__contains__, self.units), map(values.__contains__, self.values)),
        )
        for index in rows:
            value = self.values[index]
            if type(value) is float:
                yield index, value, self.units[index], self.names[index]


def _measures(ctx: Context) -> list[_Measures]:
    """Every column of numbers a party gave in the eenheid of their row; worked out once."""
    if "measures" not in ctx.cache:
        found = []
        for block, clean in ctx.blocks():
            if "eenheid" not in clean:
                continue
            fixed = ctx.template.block(block.key).fixed
            units = clean["eenheid"]
            names = clean.get("indicator") or [None] * len(units)
            keys = [
                key for key in clean if key not in fixed and ctx.spec.column_for(key).in_eenheid
            ]
            kinds = set(zip(units, names, strict=True)) if keys else set()
            found += [_Measures(block, key, clean[key], units, names, kinds) for key in keys]
        ctx.cache["measures"] = found
    return cast(list[_Measures], ctx.cache["measures"])


def _standard(ctx: Context) -> dict[object, Indicator]:
    """The standard indicators by name, as the indicator column holds them (looked up with
    whatever a cell holds)."""
    if "standard" not in ctx.cache:
        ctx.cache["standard"] = {indicator.naam: indicator for indicator in ctx.spec.indicators}
    return cast(dict[object, Indicator], ctx.cache["standard"])


@rule("P001", "Een getal ligt binnen het bereik van zijn eenheid of standaardindicator.")
def value_in_bereik(ctx: Context) -> list[Finding]:
    standard = _standard(ctx)
    bounds: dict[tuple[object, object], tuple[float | None, float | None, Indicator | None]] = {}

    def bounds_of(
        unit: object, name: object
    ) -> tuple[float | None, float | None, Indicator | None]:
        if (unit, name) not in bounds:
            indicator = standard.get(name)
            bounds[(unit, name)] = (*ctx.spec.bereik(str(unit or ""), indicator), indicator)
        return bounds[(unit, name)]

    findings = []
    for column in _measures(ctx):
        if column.span is None:
            continue
        lowest, highest = column.span
        # The eenheden whose bereik its lowest or highest number leaves (nearly always none),
        # and its numbers outside one of those: only rows with both are looked at.
        outside = [
            (unit, low, high)
            for unit, name in column.kinds
            for low, high, _ in [bounds_of(unit, name)]
            if (low is not None and lowest < low) or (high is not None and highest > high)
        ]
        if not outside:
            continue
        values: set[float] = set()  # below a low or above a high, each picked in C
        for _, low, high in outside:
            if low is not None:
                values.update(filter(functools.partial(gt, low), column.distinct))
            if high is not None:
                values.update(filter(functools.partial(lt, high), column.distinct))
        units = {unit for unit, _, _ in outside}
        findings += _outside_bereik(ctx, column, units, values, bounds_of)
    return findings


def _outside_bereik(
    ctx: Context,
    column: _Measures,
    units: Container[object],
    values: Container[object],
    bounds_of: Callable[[object, object], tuple[float | None, float | None, Indicator | None]],
) -> list[Finding]:
    findings = []
    for index, value, unit, name in column.numbers(units, values):
        low, high, indicator = bounds_of(unit, name)
        if (low is not None and value < low) or (high is not None and value > high):
            own = indicator is not None and unit == indicator.eenheid
            where = f"{indicator.naam} in {unit}" if indicator is not None and own else unit
            findings.append(
                ctx.finding(
                    "P001",
                    column.block,
                    column.key,
                    index,
                    value,
                    detail=where,
                    limit=bereik_text(low, high),
                )
            )
    return findings


@rule("P002", "Een eenheid die hele dingen telt (woningen, aantal, personen) heeft geen breuken.")
def whole_things(ctx: Context) -> list[Finding]:
    whole = {unit.naam for unit in ctx.spec.eenheden if unit.geheel}
    return [
        ctx.finding("P002", column.block, column.key, index, value, detail=unit)
        for column in _measures(ctx)
        if any(unit in whole for unit, _ in column.kinds)  # a column without one: no step
        # the rows of its fractions (nearly always none in a whole eenheid, but a column
        # mixes eenheden)
        if (fractions := set(filterfalse(float.is_integer, column.distinct)))
        for index, value, unit, _ in column.numbers(whole, fractions)
    ]


@rule("P003", "Een standaardindicator staat in zijn eigen eenheid.")
def indicator_in_its_eenheid(ctx: Context) -> list[Finding]:
    standard = _standard(ctx)
    findings = []
    for block, clean in ctx.blocks():
        if "indicator" not in clean or "eenheid" not in clean:
            continue
        if {"indicator", "eenheid"} & ctx.template.block(block.key).fixed:
            continue
        pairs = set(zip(clean["indicator"], clean["eenheid"], strict=True))
        if not any(
            (indicator := standard.get(name)) is not None and unit and unit != indicator.eenheid
            for name, unit in pairs
        ):
            continue  # each distinct (indicator, eenheid) judged once: nearly always fine
        for index, (name, unit) in enumerate(
            zip(clean["indicator"], clean["eenheid"], strict=True)
        ):
            indicator = standard.get(name)
            if indicator is not None and unit and unit != indicator.eenheid:
                findings.append(
                    ctx.finding(
                        "P003", block, "eenheid", index, name, detail=indicator.eenheid, limit=unit
                    )
                )
    return findings


@rule(
    "P012",
    "Een indicator die als code is geschreven (BT99) is een standaardindicator; anders is het "
    "een tikfout, geen eigen indicator. De melding noemt de naaste standaardcode.",
)
def indicator_code_exists(ctx: Context) -> list[Finding]:
    findings = []
    for block, clean in ctx.blocks():
        if "indicator" not in clean or "indicator" in ctx.template.block(block.key).fixed:
            continue
        # Each distinct indicator judged once: nearly always none is an unknown code.
        names = clean["indicator"]
        unknown = {
            name for name in set(names) if isinstance(name, str) and ctx.spec.unknown_code(name)
        }
        if not unknown:
            continue
        for index, name in enumerate(names):
            if isinstance(name, str) and name in unknown:
                nearest = ctx.spec.nearest_indicator(name)
                meant = f"Bedoelt u {nearest.code} ({nearest.naam})? " if nearest else ""
                if (gone := ctx.spec.retired_code(name)) is not None:
                    meant = f"{gone.code} is vervallen sinds spec {gone.since} ({gone.naam}). "
                findings.append(ctx.finding("P012", block, "indicator", index, name, detail=meant))
    return findings


@rule("P004", "Het jaar van de nulmeting ligt niet na het jaar van het werkboek.")
def nulmeting_measured(ctx: Context) -> list[Finding]:
    year = ctx.data.template.years[0]
    findings = []
    for block, clean in ctx.blocks():
        if "nulmeting_jaar" in ctx.template.block(block.key).fixed:
            continue
        starts = clean.get("nulmeting_jaar", [])
        if not any(isinstance(start, float) and start > year for start in set(starts)):
            continue  # each distinct year judged once: nearly always none after the year
        for index, start in enumerate(starts):
            if isinstance(start, float) and start > year:
                findings.append(
                    ctx.finding("P004", block, "nulmeting_jaar", index, int(start), detail=year)
                )
    return findings


@rule("P005", "De planning van een nieuwe afspraak ligt niet voor het jaar van de jaarschijf.")
def planning_not_past(ctx: Context) -> list[Finding]:
    if ctx.data.template.kind != "jaarschijf":
        return []
    year = ctx.data.template.years[0]
    findings = []
    for block, clean in ctx.blocks():
        if not ctx.template.block(block.key).is_new:
            continue
        plannings = clean.get("planning", [])
        if not any(
            (planned := cached_planning_year(value)) is not None and planned < year
            for _, value in _distinct(plannings)
            if value is not None
        ):
            continue  # each distinct planning judged once: nearly always none in the past
        for index, value in enumerate(plannings):
            planned = cached_planning_year(value) if value is not None else None
            if planned is not None and planned < year:
                findings.append(ctx.finding("P005", block, "planning", index, value, detail=year))
    return findings


# The cells of a row that say what its target is (spec/targets.py).
_TARGET_KEYS = (
    "indicator",
    "eenheid",
    "realisatie",
    "streefwaarde",
    "doelsoort",
    "streefwaarde_tot",
    "referentie",
    "referentiewaarde",
    "doeltermijn",
    "planning",
)


def _verdicts(ctx: Context, uitkomst: str, for_good: bool, code: str) -> list[Finding]:
    """A status that says the streefwaarde is met (or will not be) while the realisatie says
    otherwise, for a standard indicator in its own eenheid. Met means what the evaluation
    means (spec/targets.py): by the doelsoort agreed, else the indicator's richting (none for
    neutraal); inside a bandbreedte; a target relative to a reference only once the reference's
    value is given. P006: the realisatie does not meet the streefwaarde. P007 (`for_good`):
    it meets it for good, where the evaluation says gehaald: a target per jaar or whose
    planning has ended, a stand, or a minimum reached."""
    statuses = ctx.spec.statuses_saying(uitkomst)
    standard: dict[object, Indicator] = {i.naam: i for i in ctx.spec.indicators}
    yearly = ctx.spec.yearly_doeltermijnen()
    year = ctx.data.template.years[0]
    findings = []
    for block, clean in ctx.blocks():
        if not {"status", "realisatie", "indicator"} <= set(clean):
            continue
        if not any(status in statuses for status in set(clean["status"])):
            continue  # no row with such a status: no step per row
        empty = [None] * len(clean["status"])
        columns = {key: clean.get(key) or empty for key in _TARGET_KEYS}
        for index, status in enumerate(clean["status"]):
            if status not in statuses:
                continue
            row = {key: column[index] for key, column in columns.items()}
            indicator = standard.get(row["indicator"])
            done = row["realisatie"]
            if indicator is None or row["eenheid"] != indicator.eenheid or type(done) is not float:
                continue
            judged = _met(row, indicator, done, yearly, year)
            if judged is None:
                continue
            now, settled, words = judged
            if settled if for_good else not now:
                findings.append(
                    ctx.finding(code, block, "status", index, status, detail=done, limit=words)
                )
    return findings


def _met(
    row: dict[str, object], indicator: Indicator, done: float, yearly: tuple[str, ...], year: int
) -> tuple[bool, bool, str] | None:
    """Whether the realisatie meets the row's target, whether for good (the evaluation would
    say gehaald), and the target in words ('1900 tot 2500 per jaar'); None when there is
    nothing to judge by."""
    referentie = row["referentie"]
    referentie = str(referentie) if isinstance(referentie, str | int | float) and referentie else ""
    tot = row["streefwaarde_tot"] if type(row["streefwaarde_tot"]) is float else None
    target = row["referentiewaarde" if referentie else "streefwaarde"]
    if type(target) is not float:
        return None  # no streefwaarde, or a reference without its value of the year
    doelsoort = row["doelsoort"] if isinstance(row["doelsoort"], str) else None
    kind = doelsoort_of(doelsoort, indicator.richting, tot, referentie)
    said = (doelsoort and doelsoort != BANDBREEDTE) or (tot is not None and not referentie)
    if not said and indicator.richting == "neutraal":
        return None  # nobody said which way is better
    side = meets(done, target, kind, tot)
    per_jaar = row["doeltermijn"] in yearly
    span = cached_span(row["planning"]) if row["planning"] is not None else None
    for_good = side == 0 and (
        due(per_jaar, span, year) or stays_met(kind, soort_of(indicator, row["eenheid"]))
    )
    words = target_words(target, kind, tot, referentie) + (" per jaar" if per_jaar else "")
    return side == 0, for_good, words


@rule(
    "P006",
    "Een afspraak die gerealiseerd heet, haalt haar streefwaarde zoals afgesproken: naar de "
    "doelsoort (of de richting van de indicator), binnen de bandbreedte.",
)
def realised_means_met(ctx: Context) -> list[Finding]:
    return _verdicts(ctx, "gehaald", False, "P006")


@rule(
    "P007",
    "Een afspraak die rood staat, haalt haar streefwaarde nog niet voorgoed (zoals de "
    "evaluatie oordeelt).",
)
def rood_means_not_met(ctx: Context) -> list[Finding]:
    return _verdicts(ctx, "niet gehaald", True, "P007")


@rule("P008", "Realisatie en streefwaarde liggen binnen een factor 100 van elkaar.")
def realisatie_near_streefwaarde(ctx: Context) -> list[Finding]:
    findings = []
    for block, clean in ctx.blocks():
        if "realisatie" not in clean or "streefwaarde" not in clean:
            continue
        if not any(type(done) is float and done for done in set(clean["realisatie"])):
            continue  # no realisatie given: no step per row
        pairs = zip(clean["realisatie"], clean["streefwaarde"], strict=True)
        for index, (done, target) in enumerate(pairs):
            if type(done) is not float or type(target) is not float or not done or not target:
                continue
            small, large = sorted((abs(done), abs(target)))
            if large > 100 * small:
                findings.append(
                    ctx.finding("P008", block, "realisatie", index, done, detail=target)
                )
    return findings


@rule("P009", "Een bedrag ligt onder 1 miljard euro.")
def amounts_below_a_billion(ctx: Context) -> list[Finding]:
    findings = []
    for block, clean in ctx.blocks():
        money = [key for key in clean if ctx.spec.column_for(key).type == "money"]
        for key in money:
            if not any(type(value) is float and value > BILLION for value in set(clean[key])):
                continue  # (a NaN, which normalising never leaves, is no amount above either)
            for index, value in enumerate(clean[key]):
                if type(value) is float and value > BILLION:
                    findings.append(ctx.finding("P009", block, key, index, value))

    for column in _measures(ctx):
        if column.span is None or column.span[1] <= BILLION:
            continue
        above = {value for value in column.distinct if value > BILLION}
        for index, value, _, _ in column.numbers({"EUR"}, above):
            findings.append(ctx.finding("P009", column.block, column.key, index, value))
    return findings


@rule("P010", "Het nummer van een nieuwe afspraak begint met de themacode van haar tabblad.")
def nummer_of_its_thema(ctx: Context) -> list[Finding]:
    findings = []
    for block, clean in ctx.blocks():
        spec_block = ctx.template.block(block.key)
        if not spec_block.holds_afspraken or spec_block.lopend:
            continue
        thema = block.meta.thema
        nummers = clean.get("nummer", [])
        if "-" not in thema and _all_start_with(nummers, f"{thema}-"):
            continue  # every nummer of its thema (nearly always), found in C
        for index, nummer in enumerate(nummers):
            letters, dash, _ = str(nummer or "").partition("-")
            if dash and letters.isalpha() and letters.isupper() and letters != thema:
                findings.append(ctx.finding("P010", block, "nummer", index, nummer, detail=thema))
    return findings


def nothing_filled_in(ctx: Context) -> bool:
    """Whether every cell a party fills in is empty: no status, realisatie or toelichting, no
    new afspraak, no request, no signature. The fixed text of lopende afspraken does not count."""
    if "nothing filled in" not in ctx.cache:
        ctx.cache["nothing filled in"] = _all_empty(ctx)
    return bool(ctx.cache["nothing filled in"])


def _all_empty(ctx: Context) -> bool:
    for block, clean in ctx.blocks():
        fixed = ctx.template.block(block.key).fixed
        for key, values in clean.items():
            if base_key(key) not in fixed and not all(map(is_empty, values)):
                return False
    if ctx.signing is not None and ctx.template.signing is not None:
        fixed = ctx.template.signing.fixed
        for key, values in ctx.signing.items():
            if key not in fixed and not all(map(is_empty, values)):
                return False
    # A formula typed in an input cell is something typed (and V010 says so).
    return not any(ctx.data.formulas.values())


@rule(
    "S040",
    "Een teruggestuurd werkboek heeft iets ingevuld: een status, realisatie, nieuwe afspraak, "
    "verzoek of ondertekening. Een leeg werkboek is niet in orde (en geeft dan geen P011 per "
    "lopende afspraak).",
)
def something_filled_in(ctx: Context) -> list[Finding]:
    return [finding("S040", value=ctx.data.template.kind)] if nothing_filled_in(ctx) else []


def _all_start_with(values: list[object], prefix: str) -> bool:
    """Whether every value is a text that starts with `prefix`."""
    try:
        return all(map(str.startswith, values, repeat(prefix)))  # type: ignore[arg-type]
    except TypeError:  # a value that is no text (an empty cell, a number)
        return False


@rule("P011", "Elke lopende afspraak van een jaarschijf krijgt een status.")
def lopende_afspraak_has_status(ctx: Context) -> list[Finding]:
    lopend = ctx.template.lopend_block
    if lopend is None or ctx.data.template.kind == meta.MONITOR or nothing_filled_in(ctx):
        # a monitor: R002, an error; an empty workbook is said once (S040)
        return []
    findings = []
    for block, clean in ctx.blocks(lopend.key):
        if "status" not in clean:
            continue
        nummers = clean.get("nummer") or [None] * len(clean["status"])
        for index, (status, nummer) in enumerate(zip(clean["status"], nummers, strict=True)):
            if is_empty(status):
                findings.append(ctx.finding("P011", block, "status", index, nummer))
    return findings


# -------------------------------------------------------------------------------------------------
# The monitoring round: a monitor reports on every afspraak of the signed jaarschijf, each
# measured one with a realisatie, measured within the round (Facts.round, from _meta).
# -------------------------------------------------------------------------------------------------


def _monitor_rows(ctx: Context) -> Iterator[tuple[FoundBlock, Clean, int, object]]:
    """(block, its values, row index, nummer) of every afspraak of a monitor; none for the
    other kinds of workbook."""
    if ctx.data.template.kind != meta.MONITOR:
        return
    for block, clean in ctx.blocks():
        nummers = clean.get("nummer") or []
        for index, nummer in enumerate(nummers):
            yield block, clean, index, nummer


def _value(clean: Clean, key: str, index: int) -> object:
    values = clean.get(key)
    return values[index] if values is not None else None


@rule(
    "R001",
    "In een monitor heeft elke afspraak met een indicator een realisatie (niet nodig bij "
    "vervallen).",
)
def measured_afspraak_has_realisatie(ctx: Context) -> list[Finding]:
    dropped = {t.naam for t in ctx.spec.statussen if t.afgerond and t.uitkomst is None}
    return [
        ctx.finding("R001", block, "realisatie", index, nummer)
        for block, clean, index, nummer in _monitor_rows(ctx)
        if "realisatie" in clean
        and not is_empty(_value(clean, "indicator", index))
        and is_empty(clean["realisatie"][index])
        and is_empty(block.values["realisatie"][index])  # typed but unreadable: V002 said so
        and _value(clean, "status", index) not in dropped
    ]


@rule("R002", "In een monitor heeft elke afspraak een status.")
def monitored_afspraak_has_status(ctx: Context) -> list[Finding]:
    return [
        ctx.finding("R002", block, "status", index, nummer)
        for block, clean, index, nummer in _monitor_rows(ctx)
        if "status" in clean and is_empty(clean["status"][index])
    ]


@rule("R003", "In een monitor heeft elke realisatie een peildatum.")
def realisatie_has_peildatum(ctx: Context) -> list[Finding]:
    round_ = ctx.data.template.round
    example = shown_date(round_[0]) if round_ else "31-12"
    return [
        ctx.finding("R003", block, "peildatum", index, nummer, detail=example)
        for block, clean, index, nummer in _monitor_rows(ctx)
        if "peildatum" in clean
        and not is_empty(_value(clean, "realisatie", index))
        and is_empty(clean["peildatum"][index])
    ]


@rule(
    "R004",
    "In een monitor ligt de peildatum in de monitoringronde: van het eind van het jaar van de "
    "afspraken tot en met 30 juni van het jaar erna.",
)
def peildatum_in_the_round(ctx: Context) -> list[Finding]:
    round_ = ctx.data.template.round
    if round_ is None:
        return []
    first, last = round_
    findings = []
    for block, clean, index, _ in _monitor_rows(ctx):
        day = _value(clean, "peildatum", index)
        if isinstance(day, dt.datetime):
            day = day.date()
        if isinstance(day, dt.date) and not first <= day <= last:
            findings.append(
                ctx.finding(
                    "R004",
                    block,
                    "peildatum",
                    index,
                    shown_date(day),
                    detail=shown_date(first),
                    limit=shown_date(last),
                )
            )
    return findings


def shown_date(day: dt.date) -> str:
    """A date as a message shows it: 31-12-2027."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


# -------------------------------------------------------------------------------------------------
# Ondertekening (spec 1.4)
# -------------------------------------------------------------------------------------------------


def _signing_rows(ctx: Context) -> Iterator[tuple[int, dict[str, object]]]:
    """Each party's row of the Ondertekening, normalised, with its index in the block."""
    block, clean = ctx.data.signing, ctx.signing
    if block is None or clean is None:
        return
    for index in range(len(block.rows)):
        yield index, {key: values[index] for key, values in clean.items()}


def _signing_finding(ctx: Context, code: str, key: str, index: int, value: object, **details):
    block = ctx.data.signing
    assert block is not None
    if key not in block.columns:
        key = "partij" if "partij" in block.columns else next(iter(block.columns))
    return ctx.finding(code, block, key, index, value, **details)


def _chosen(row: dict[str, object]) -> str:
    return "" if is_empty(row.get("akkoord")) else str(row["akkoord"])


@rule("O010", "Het akkoord van een partij komt uit de keuzelijst.")
def akkoord_from_the_list(ctx: Context) -> list[Finding]:
    allowed = ctx.spec.list_values("akkoord")
    return [
        _signing_finding(ctx, "O010", "akkoord", i, row["akkoord"], detail=", ".join(allowed))
        for i, row in _signing_rows(ctx)
        if _chosen(row) and _chosen(row) not in allowed
    ]


@rule("O001", "Bij akkoord met voorbehoud staat het voorbehoud in woorden.")
def voorbehoud_in_words(ctx: Context) -> list[Finding]:
    needing = {term.naam for term in ctx.spec.akkoord if term.voorbehoud_verplicht}
    return [
        _signing_finding(ctx, "O001", "voorbehoud", i, _chosen(row))
        for i, row in _signing_rows(ctx)
        if _chosen(row) in needing and is_empty(row.get("voorbehoud"))
    ]


@rule("O002", "Een partij die tekent, noemt wie tekent.")
def signed_by_someone(ctx: Context) -> list[Finding]:
    return [
        _signing_finding(ctx, "O002", "naam", i, row.get("partij"), detail=_chosen(row))
        for i, row in _signing_rows(ctx)
        if _chosen(row) in ctx.spec.signing_akkoord() and is_empty(row.get("naam"))
    ]


@rule("O003", "Een partij die tekent, zet er de datum bij.")
def signed_on_a_date(ctx: Context) -> list[Finding]:
    return [
        _signing_finding(ctx, "O003", "datum", i, row.get("partij"), detail=_chosen(row))
        for i, row in _signing_rows(ctx)
        if _chosen(row) in ctx.spec.signing_akkoord() and is_empty(row.get("datum"))
    ]


def _signing_dates(ctx: Context) -> Iterator[tuple[int, dt.date]]:
    for i, row in _signing_rows(ctx):
        day = row.get("datum")
        if isinstance(day, dt.date):  # empty or unreadable (V008) is said elsewhere
            yield i, day


@rule(
    "O004",
    "De datum van ondertekening ligt in het jaar voor de jaarschijf, of (te laat, zie O005) in "
    "het jaar van de jaarschijf zelf.",
)
def signed_in_the_year_before(ctx: Context) -> list[Finding]:
    year = ctx.data.template.years[0]
    return [
        _signing_finding(
            ctx, "O004", "datum", i, day.strftime("%d-%m-%Y"), detail=year - 1, limit=year
        )
        for i, day in _signing_dates(ctx)
        if day.year not in (year - 1, year)
    ]


@rule(
    "O005",
    f"De afspraken zijn uiterlijk {WETTELIJK.afspraken_text} getekend ({GROND_AFSPRAKEN}), "
    "of op de dag die de partijen afspraken (termijnen in de config).",
)
def signed_in_time(ctx: Context) -> list[Finding]:
    year = ctx.data.template.years[0]
    termijnen = ctx.data.template.termijnen  # as the workbook was made
    basis = termijnen.basis("afspraken")
    return [
        _signing_finding(
            ctx,
            "O005",
            "datum",
            i,
            day.strftime("%d-%m-%Y"),
            detail=termijnen.afspraken_text,
            limit=basis,
        )
        for i, day in _signing_dates(ctx)
        # One rule for every late signature: after the deadline, in december or in january,
        # is a warning; the afspraken can still be published (O004 only for another year).
        if day.year == year or (day.year == year - 1 and (day.month, day.day) > termijnen.afspraken)
    ]


def themas_named(text: object) -> list[str]:
    """The thema codes in a cell such as 'BT, VD', 'BT; VD' or 'BT en VD'."""
    parts = str(text).replace(" en ", ",").replace(";", ",").split(",")
    return [part.strip().upper() for part in parts if part.strip()]


def _not_signed(ctx: Context) -> Iterator[tuple[int, dict[str, object], bool]]:
    """Rows naming themas not signed, and whether the party is the huurdersorganisatie."""
    # A huurdersfederatie speaks for tenants as a huurdersorganisatie does, with the same right.
    huurders = {ctx.spec.roles[rol] for rol in (HUURDERSORGANISATIE, HUURDERSFEDERATIE)}
    for i, row in _signing_rows(ctx):
        if not is_empty(row.get("niet_getekend")):
            yield i, row, row.get("rol") in huurders


@rule("O006", "De huurdersorganisatie noemt bestaande themacodes die zij niet mee tekent.")
def themas_not_signed_exist(ctx: Context) -> list[Finding]:
    codes = list(ctx.data.meta.themas)
    return [
        _signing_finding(ctx, "O006", "niet_getekend", i, code, detail=", ".join(codes))
        for i, row, huurders in _not_signed(ctx)
        if huurders
        for code in themas_named(row["niet_getekend"])
        if codes and code not in codes
    ]


@rule("O007", "Alleen de huurdersorganisatie noemt thema's die zij niet mee tekent.")
def only_huurders_leave_themas_out(ctx: Context) -> list[Finding]:
    return [
        _signing_finding(ctx, "O007", "niet_getekend", i, row.get("partij"))
        for i, row, huurders in _not_signed(ctx)
        if not huurders
    ]


@rule("O008", "Een voorbehoud staat alleen bij akkoord met voorbehoud.")
def voorbehoud_with_its_choice(ctx: Context) -> list[Finding]:
    needing = {term.naam for term in ctx.spec.akkoord if term.voorbehoud_verplicht}
    return [
        _signing_finding(ctx, "O008", "akkoord", i, _chosen(row))
        for i, row in _signing_rows(ctx)
        if not is_empty(row.get("voorbehoud")) and _chosen(row) and _chosen(row) not in needing
    ]


@rule("O009", "Wie een naam of datum invult, kiest ook of de partij akkoord is.")
def a_signature_says_its_akkoord(ctx: Context) -> list[Finding]:
    return [
        _signing_finding(ctx, "O009", "akkoord", i, row.get("partij"))
        for i, row in _signing_rows(ctx)
        if not _chosen(row) and not (is_empty(row.get("naam")) and is_empty(row.get("datum")))
    ]


def _sent_signing(ctx: Context) -> list[dict[str, object]]:
    """The locked cells of each party's row as sent, in order: as the source (the config, or
    the sent workbook) has them when one was given; else from the workbook's own list of
    parties, where a partner's themas are those of its tabs (a tuple: in any order)."""
    source = ctx.source.sent if ctx.source is not None else None
    sent = source.signing_rows() if source is not None else None
    if sent is not None:
        return sent
    tabs: dict[tuple[str, str], dict[str, None]] = {}
    for block in ctx.data.meta.blocks:
        tabs.setdefault((block.rol, block.partij), {})[block.thema] = None
    every = set(ctx.data.meta.themas)
    rows: list[dict[str, object]] = []
    for party in ctx.data.meta.parties:
        themas = tuple(tabs.get((party["rol"], party["kort"]), {}))
        partner = party["rol"] == "overig" and bool(themas)
        rows.append(
            {
                "partij": party["naam"],
                "rol": ctx.spec.roles.get(party["rol"], party["rol"]),
                "tekent_voor": SignsFor(themas, set(themas) >= every) if partner else ALL_THEMAS,
            }
        )
    return rows


def _same_locked(now: object, sent: object) -> bool:
    """Whether a locked cell still holds what was sent; a partner's themas in any order."""
    if isinstance(sent, SignsFor):
        text = " ".join(str(now or "").split())
        return (sent.every and text == ALL_THEMAS) or sorted(themas_named(text)) == sorted(
            sent.themas
        )
    return meta.fingerprint([now]) == meta.fingerprint([sent])


def _shown_sent(sent: object) -> str:
    return _quoted(str(sent) if isinstance(sent, SignsFor) else sent)


def _signing_rows_checked(ctx: Context) -> list[Finding]:
    """The Ondertekening's rows against the parties of the workbook: one row per party, in
    the order sent, its locked cells as sent (O011, O012, O013), worked out once."""
    block = ctx.data.signing
    if block is None or "partij" not in block.columns or not ctx.data.meta.parties:
        return []  # no Ondertekening, or its Partij column gone (S011)
    if "signing rows" in ctx.cache:
        return ctx.cache["signing rows"]  # type: ignore[return-value]
    sent = _sent_signing(ctx)
    names = [" ".join(str(row["partij"]).split()) for row in sent]
    first_at: dict[str, int] = {}
    findings = []
    for index, value in enumerate(block.values["partij"]):
        name = " ".join(str(value or "").split())
        if name in first_at:
            line = block.rows[first_at[name]]
            findings.append(_signing_finding(ctx, "O012", "partij", index, name, detail=line))
        elif name in names:
            first_at[name] = index
        else:
            was = _quoted(names[index]) if index < len(names) else "geen rij"
            findings.append(_signing_finding(ctx, "O013", "partij", index, value, detail=was))
    for name in names:
        if name not in first_at:
            findings.append(
                finding(
                    "O011",
                    sheet=block.sheet,
                    row=block.header_row,
                    col=block.columns["partij"],
                    column=ctx.spec.header_for("partij"),
                    value=name,
                )
            )
    order = [name for name in names if name in first_at]
    for place, name in zip(sorted(first_at, key=first_at.__getitem__), order, strict=True):
        if place != name:  # the first row out of the order sent
            detail = f"{_quoted(name)} op deze plaats (de volgorde van de partijen)"
            index = first_at[place]
            findings.append(_signing_finding(ctx, "O013", "partij", index, place, detail=detail))
            break
    for name, row in zip(names, sent, strict=True):
        if name not in first_at:
            continue  # a missing row: O011 above
        at = first_at[name]
        for key in LOCKED_SIGNING[1:]:
            if key in block.columns and not _same_locked(block.values[key][at], row[key]):
                now, was = block.values[key][at], _shown_sent(row[key])
                findings.append(_signing_finding(ctx, "O013", key, at, now, detail=was))
    ctx.cache["signing rows"] = findings
    return findings


@rule("O011", "Elke partij van het werkboek heeft haar rij op de Ondertekening.")
def a_row_per_party(ctx: Context) -> list[Finding]:
    return [item for item in _signing_rows_checked(ctx) if item.code == "O011"]


@rule("O012", "Geen partij staat twee keer op de Ondertekening.")
def no_party_twice(ctx: Context) -> list[Finding]:
    return [item for item in _signing_rows_checked(ctx) if item.code == "O012"]


@rule(
    "O013",
    "De vaste cellen van de Ondertekening (Partij, Rol, Tekent voor) staan er zoals gestuurd, "
    "in de volgorde van de partijen (met --config: zoals de config ze maakt).",
)
def signing_rows_as_sent(ctx: Context) -> list[Finding]:
    return [item for item in _signing_rows_checked(ctx) if item.code == "O013"]


# The fields of a party's signature that are texts as typed.
_SIGNING_TEXTS = ("partij", "rol", "tekent_voor", "naam", "functie", "voorbehoud")


def _text_or_none(value: object) -> str | None:
    """A text column's normalised value: a text, or None when empty or unreadable."""
    return value if isinstance(value, str) else None


def signing_summary(ctx: Context) -> Signing | None:
    """Who agreed, and whether every party chose an akkoord that signs (validate then also
    asks that the Ondertekening has no errors). None for a workbook without an Ondertekening."""
    if ctx.data.signing is None or ctx.signing is None:
        return None
    signs = ctx.spec.signing_akkoord()
    parties = []
    for _, row in _signing_rows(ctx):
        day = row.get("datum")
        text = {key: _text_or_none(row.get(key)) for key in _SIGNING_TEXTS}
        parties.append(
            PartySigning(
                **text,
                akkoord=_chosen(row) or None,
                datum=day.isoformat() if hasattr(day, "isoformat") else None,
                niet_getekend=tuple(
                    themas_named(row["niet_getekend"])
                    if not is_empty(row.get("niet_getekend"))
                    else []
                ),
            )
        )
    signed = bool(parties) and all(party.akkoord in signs for party in parties)
    return Signing(signed, tuple(parties))

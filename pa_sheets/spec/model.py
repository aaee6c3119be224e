"""Load and check the template spec in templates/: the single source of truth for every column.

The generator, the validation schemas and the field reference are all derived from the `Spec`
returned by `load_spec()`; nothing about a column is written anywhere else.
"""

import difflib
import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

from pa_sheets.errors import SpecError
from pa_sheets.numbers import dutch_number
from pa_sheets.spec.names import ROLE_TEXTS, ROLES
from pa_sheets.spec.types import COLUMN_TYPES
from pa_sheets.spec.types import NUMERIC_TYPES as NUMERIC_TYPES  # still importable from here
from pa_sheets.spec.yamlfile import Section, load_yaml, read_text

# Lists an enum column can draw from; `partijen` is filled per workbook with its parties,
# `gemeenten` with `alle` and the gemeenten of a basisbod.
SPEC_LISTS = (
    "types",
    "soorten",
    "statussen",
    "eenheden",
    "indicatoren",
    "partijen",
    "gemeenten",
    "akkoord",
    "scopes",
    "doelsoorten",
    "referenties",
    "doeltermijnen",
)
TEMPLATE_KINDS = ("jaarschijf", "bod", "monitor")  # one YAML each; the basisbod is derived
# from the bod
BASISBOD = "basisbod"
# Letters, or a letter and digits as real documents number their themes (T1, A4).
THEMA_CODE = r"[A-Z][A-Z0-9]{1,3}"
# What a person types when they mean an indicator's code (BT99, bt-7, VD 04): letters, then a
# number. Such a text that is no standard code is a typing mistake, not an own indicator.
LOOKS_LIKE_A_CODE = re.compile(r"([A-Za-z]{2,4})[ -]?([0-9]{1,3})")
# A per-year column appears once per year of a bod: key `aantal` becomes `aantal_2027`, ...
_YEAR_SUFFIX = re.compile(r"_(\d{4})$")
# Excel's limits on a data validation's input message and title.
MAX_MESSAGE, MAX_TITLE = 255, 32


@dataclass(frozen=True)
class Thema:
    code: str
    naam: str
    omschrijving: str = ""


UITKOMSTEN = ("gehaald", "niet gehaald")  # what a status says of the streefwaarde
INDICATOR_SOORTEN = ("stand", "stroom")  # a stock at a peildatum, or a flow in a year
RICHTINGEN = ("hoger", "lager", "neutraal")  # which way is better
# Percentages and report marks are never added up: without a teller and noemer only an
# average can be shown, and it says so. A target in them is a level (a stand), never a flow.
NOT_ADDITIVE = frozenset(["%", "rapportcijfer"])


@dataclass(frozen=True)
class Eenheid:
    """A unit a value is measured in, and what a value in it can be."""

    naam: str
    min: float | None = None
    max: float | None = None
    geheel: bool = False  # counts whole things: 12.5 woningen is a typing mistake


@dataclass(frozen=True)
class Indicator:
    code: str
    naam: str
    thema: str
    eenheid: str
    soort: str = "stroom"  # INDICATOR_SOORTEN: a stand is never summed over years
    richting: str = "neutraal"  # RICHTINGEN
    min: float | None = None  # a bereik narrower or other than the eenheid's
    max: float | None = None
    bron: str = ""  # where the sector measures it
    # False: an average or a rate (EUR per woning per maand, years of waiting), never summed
    # over corporaties or years; % and rapportcijfer are never summed either (their eenheid).
    additive: bool = True


@dataclass(frozen=True)
class EarlierMeaning:
    """What an indicator code meant up to and including spec `up_to`, and the code that means
    that now (None: no standard indicator measures it any more)."""

    code: str
    up_to: str
    naam: str
    eenheid: str
    now: str | None = None


@dataclass(frozen=True)
class Retired:
    """A code no longer in use since spec `since`: never given to another indicator."""

    code: str
    since: str
    naam: str


def version_key(version: str) -> tuple[int, ...]:
    """'1.10' after '1.9': a spec version as numbers."""
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Term:
    """An entry of a fixed list (type, soort, status) with its explanation for the legend."""

    naam: str
    omschrijving: str
    kleur: str | None = None
    lopend: bool = False  # a soort whose afspraken carry over with fixed text (going concern)
    toelichting_verplicht: bool = False  # a status the party must explain (oranje, rood)
    afgerond: bool = False  # a status that closes the afspraak: it is not carried over
    uitkomst: str | None = None  # a status's verdict on the streefwaarde: UITKOMSTEN
    oneens: bool = False  # a status saying the parties agree to disagree on the afspraak
    getekend: bool = False  # an akkoord that signs the afspraken
    voorbehoud_verplicht: bool = False  # an akkoord whose voorbehoud is said in words
    synoniemen: tuple[str, ...] = ()  # other words for it, read as this term (a type)
    meetbaar: bool = False  # a type asked for an indicator and streefwaarde (M003)
    gezamenlijk: bool = False  # a scope whose target is one of several parties together
    tussen: bool = False  # a doelsoort between streefwaarde and streefwaarde_tot (bandbreedte)
    per_jaar: bool = False  # a doeltermijn: the streefwaarde holds each year of its planning


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str
    required: bool = False
    values: str | None = None
    open: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    pattern: str | None = None
    per_jaar: bool = False
    in_eenheid: bool = False  # a measure in the eenheid of its row (nulmeting, streefwaarde...)
    meerdere: bool = False  # an enum cell may name several values: 'A, B en C'
    width: float = 12
    # Headers this column had in an earlier spec: a workbook made then is still read.
    old_headers: tuple[str, ...] = ()
    message: str = ""

    @property
    def list_name(self) -> str:
        """The spec list an enum column takes its values from (the spec requires one)."""
        if self.values is None:
            raise ValueError(f"kolom {self.key} is geen enum-kolom: ze heeft geen lijst")
        return self.values

    def bounds(self) -> tuple[float | None, float | None]:
        """The allowed range of a number column; a percentage is a fraction (0..1) unless the
        spec says otherwise."""
        default = (0, 1) if self.type == "percentage" else (None, None)
        return (
            self.min if self.min is not None else default[0],
            self.max if self.max is not None else default[1],
        )


@dataclass(frozen=True)
class Block:
    key: str
    titel: str
    uitleg: str
    columns: tuple[str, ...]
    fixed: frozenset[str] = frozenset()
    soort: str | None = None
    lopend: bool = False  # its soort carries over with fixed text (going concern)
    empty_rows: int = 0
    roles: tuple[str, ...] | None = None
    themas: tuple[str, ...] | None = None
    overview_sheet: str | None = None  # its sheet in the gezamenlijk overzicht (no soort)

    @property
    def holds_afspraken(self) -> bool:
        """Going concern or new afspraken (it has a soort), not leefbaarheid or wederkerigheid."""
        return self.soort is not None

    @property
    def is_new(self) -> bool:
        """New afspraken, written in full by the party: the SMART checks apply."""
        return self.soort is not None and not self.lopend

    def applies_to(self, role: str, thema: str) -> bool:
        """Whether this block stands on the tab of `role` for `thema`."""
        return (self.roles is None or role in self.roles) and (
            self.themas is None or thema in self.themas
        )


@dataclass(frozen=True)
class Signing:
    """The Ondertekening sheet of a template: one row per party, the fixed columns first."""

    sheet: str
    titel: str
    uitleg: str
    columns: tuple[str, ...]
    fixed: frozenset[str]


@dataclass(frozen=True)
class Template:
    kind: str
    titel: str
    uitleg: str
    blocks: tuple[Block, ...]
    years: int | None = None
    investment_columns: tuple[str, ...] = ()
    gemeente_column: str | None = None  # the basisbod's: for which gemeente a row is
    signing: Signing | None = None  # the Ondertekening sheet (spec 1.4, jaarschijf)
    # Its own steps on the cover instead of the spec's (voorblad.stappen): a monitor has no
    # new afspraken and no rows to insert.
    cover_steps: tuple[str, ...] = ()

    def block(self, key: str) -> Block:
        return next(block for block in self.blocks if block.key == key)

    @property
    def lopend_block(self) -> Block | None:
        """The block of lopende afspraken (going concern), if the template has one."""
        return next((block for block in self.blocks if block.lopend), None)


@dataclass(frozen=True)
class Spec:
    version: str
    hash: str
    roles: dict[str, str]
    themas: tuple[Thema, ...]
    types: tuple[Term, ...]
    soorten: tuple[Term, ...]
    statussen: tuple[Term, ...]
    eenheden: tuple[Eenheid, ...]
    indicators: tuple[Indicator, ...]
    columns: dict[str, Column]
    cover_steps: tuple[str, ...] = ()  # how to fill in a workbook, on its cover sheet
    akkoord: tuple[Term, ...] = ()  # what a party says on the Ondertekening sheet
    scopes: tuple[Term, ...] = ()
    doelsoorten: tuple[Term, ...] = ()
    referenties: tuple[Term, ...] = ()  # what a target without a number is measured against
    doeltermijnen: tuple[Term, ...] = ()  # per jaar or in totaal over the planning
    templates: dict[str, Template] = field(default_factory=dict)
    earlier: tuple[EarlierMeaning, ...] = ()  # indicator codes that meant something else
    retired: tuple[Retired, ...] = ()  # indicator codes no longer in use, never reused

    def list_values(self, name: str) -> list[str]:
        """The allowed values of a spec list (all but `partijen`, which is per workbook)."""
        lists = {
            "types": [term.naam for term in self.types],
            "soorten": [term.naam for term in self.soorten],
            "statussen": [term.naam for term in self.statussen],
            "eenheden": [eenheid.naam for eenheid in self.eenheden],
            "indicatoren": [indicator.naam for indicator in self.indicators],
            "akkoord": [term.naam for term in self.akkoord],
            "scopes": [term.naam for term in self.scopes],
            "doelsoorten": [term.naam for term in self.doelsoorten],
            "referenties": [term.naam for term in self.referenties],
            "doeltermijnen": [term.naam for term in self.doeltermijnen],
        }
        return lists[name]

    def statuses_needing_toelichting(self) -> tuple[str, ...]:
        """The statuses that need steering, which the party must explain (oranje, rood)."""
        return tuple(term.naam for term in self.statussen if term.toelichting_verplicht)

    def statuses_saying(self, uitkomst: str) -> tuple[str, ...]:
        """The statuses that say the streefwaarde is (or will not be) met: UITKOMSTEN."""
        return tuple(term.naam for term in self.statussen if term.uitkomst == uitkomst)

    def disagreeing_statuses(self) -> tuple[str, ...]:
        """The statuses saying the parties agree to disagree on an afspraak."""
        return tuple(term.naam for term in self.statussen if term.oneens)

    def signing_akkoord(self) -> tuple[str, ...]:
        """The akkoord values that sign (akkoord, akkoord met voorbehoud)."""
        return tuple(term.naam for term in self.akkoord if term.getekend)

    def synonyms(self, name: str) -> dict[str, str]:
        """Other words for the terms of a spec list, each with the term it means."""
        terms = self.types if name == "types" else ()
        return {word: term.naam for term in terms for word in term.synoniemen}

    def range_doelsoorten(self) -> tuple[str, ...]:
        """The doelsoorten of a range: between streefwaarde and streefwaarde_tot."""
        return tuple(term.naam for term in self.doelsoorten if term.tussen)

    def yearly_doeltermijnen(self) -> tuple[str, ...]:
        """The doeltermijnen whose streefwaarde holds each year of its planning (per jaar)."""
        return tuple(term.naam for term in self.doeltermijnen if term.per_jaar)

    def joint_scopes(self) -> tuple[str, ...]:
        """The scopes whose target is one of several parties together (counted once)."""
        return tuple(term.naam for term in self.scopes if term.gezamenlijk)

    def closing_statuses(self) -> tuple[str, ...]:
        """The statuses that close an afspraak (gerealiseerd, vervallen)."""
        return tuple(term.naam for term in self.statussen if term.afgerond)

    def column_for(self, key: str) -> Column:
        """The column of a key as read or written, per-year keys included ('aantal_2027')."""
        return self.columns[base_key(key)]

    def header_for(self, key: str) -> str:
        """The header the generator writes for a key: 'Aantal 2027' for 'aantal_2027'."""
        return expand_header(self.column_for(key).header, year_of(key))

    def eenheid(self, naam: str) -> Eenheid | None:
        return next((eenheid for eenheid in self.eenheden if eenheid.naam == naam), None)

    def bereik(self, eenheid: str, indicator: Indicator | None = None):
        """The (min, max) a value may take in `eenheid`; a standard indicator in its own
        eenheid may set its own. None where there is no limit."""
        unit = self.eenheid(eenheid)
        low, high = (unit.min, unit.max) if unit else (None, None)
        if indicator is not None and indicator.eenheid == eenheid:
            low = indicator.min if indicator.min is not None else low
            high = indicator.max if indicator.max is not None else high
        return low, high

    def indicator(self, code_or_name: str) -> Indicator | None:
        wanted = code_or_name.strip().casefold()
        return next(
            (i for i in self.indicators if wanted in (i.code.casefold(), i.naam.casefold())), None
        )

    def earlier_meaning(self, code: str, version: str | None) -> EarlierMeaning | None:
        """What `code` meant in spec `version`, when that is not what it means now."""
        if not version:
            return None
        wanted = code.strip().casefold()
        return next(
            (
                m
                for m in self.earlier
                if m.code.casefold() == wanted and version_key(version) <= version_key(m.up_to)
            ),
            None,
        )

    def indicator_as_of(self, code_or_name: str, version: str | None) -> Indicator | None:
        """The standard indicator `code_or_name` means in a workbook or config of spec
        `version` (None: this spec): a code of before 1.3 by its meaning then (VD04 in spec 1.2:
        woningen met zonnepanelen, now VD05). None when no standard indicator means it now."""
        meant = self.earlier_meaning(code_or_name, version)
        if meant is not None:
            return self.indicator(meant.now) if meant.now else None
        return self.indicator(code_or_name)

    def codes_as_of(self, version: str | None) -> dict[str, str]:
        """Every indicator code a workbook of spec `version` may hold -> the name of the
        standard indicator it means (a code whose meaning is gone has none)."""
        codes = {i.code: i.naam for i in self.indicators}
        for meant in self.earlier:
            if self.earlier_meaning(meant.code, version) is meant:
                now = self.indicator(meant.now) if meant.now else None
                # A meaning no standard indicator has now: read as an own indicator of its name.
                codes[meant.code] = now.naam if now is not None else meant.naam
        return codes

    def retired_code(self, code: str) -> Retired | None:
        wanted = code.strip().casefold()
        return next((r for r in self.retired if r.code.casefold() == wanted), None)

    def unknown_code(self, text: str) -> bool:
        """Whether `text` is written as an indicator code (BT99) but is no standard indicator."""
        return LOOKS_LIKE_A_CODE.fullmatch(text.strip()) is not None and not self.indicator(text)

    def nearest_indicator(self, text: str) -> Indicator | None:
        """The standard indicator `text` most likely meant (difflib): for a code, the nearest
        code of the same thema if it has one (BT99 -> BT07); for a name, the nearest name."""
        text = text.strip()
        code = LOOKS_LIKE_A_CODE.fullmatch(text)
        if code:
            letters, number = code.group(1).upper(), int(code.group(2))
            wanted = f"{letters}{number:02d}"
            same = [i for i in self.indicators if i.code.startswith(letters)] or self.indicators
            close = difflib.get_close_matches(wanted, [i.code for i in same], n=3, cutoff=0.5)
            if not close:
                return None
            best = difflib.SequenceMatcher(None, wanted, close[0]).ratio()
            # Of the codes as close as the best, the one whose number is nearest.
            tied = [c for c in close if difflib.SequenceMatcher(None, wanted, c).ratio() == best]
            chosen = min(tied, key=lambda c: abs(int(c[len(letters) :] or 0) - number))
            return self.indicator(chosen)
        names = {i.naam.casefold(): i for i in self.indicators}
        close = difflib.get_close_matches(text.casefold(), names, n=1, cutoff=0.6)
        return names[close[0]] if close else None


def default_spec_dir() -> Path:
    """The templates/ folder shipped with the package."""
    return Path(str(files("pa_sheets.templates")))


SPEC_FILES = (
    "spec.yaml",
    "kolommen.yaml",
    "indicatoren.yaml",
    *(f"{k}.yaml" for k in TEMPLATE_KINDS),
)
# The specs read so far, by folder and the sha256 of their files: every step of a cycle (and
# every test) asks for the spec again, and building it from its YAML takes tens of milliseconds.
_LOADED: dict[tuple[str, str], Spec] = {}


def load_spec(directory: Path | None = None) -> Spec:
    """Read spec.yaml, kolommen.yaml, indicatoren.yaml and one YAML per template kind.

    Files with the same contents as before give the same Spec object, not a copy: a Spec is
    never changed once built (its dicts are filled here only)."""
    directory = directory or default_spec_dir()
    try:
        texts = [read_text(directory / name, SpecError) for name in SPEC_FILES]
    except SpecError:  # the loader says which file, in the order it always has
        return _load_spec(directory)
    digest = hashlib.sha256()
    for name, text in zip(SPEC_FILES, texts, strict=True):
        digest.update(name.encode() + b"\0" + text.encode())  # the bytes read: they were UTF-8
    key = (str(directory.resolve()), digest.hexdigest())
    if key not in _LOADED:
        _LOADED[key] = _load_spec(directory)
    return _LOADED[key]


def _load_spec(directory: Path) -> Spec:
    """Build the Spec from the YAML files in `directory` (see load_spec)."""
    names = list(SPEC_FILES)
    raw = {name: load_yaml(directory / name, SpecError) for name in names}
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + (directory / name).read_bytes())

    base = Section(raw["spec.yaml"], "", directory / "spec.yaml", SpecError)
    required = ("versie", "rollen", "themas", "types", "soorten", "statussen", "eenheden")
    base.only([*required, "voorblad", "akkoord", *_TARGET_LISTS], required=required)
    roles = base.section("rollen")
    roles.only(list(ROLES), required=tuple(r for r in ROLES if r not in ROLE_TEXTS))
    lists = _target_lists(base)
    spec = Spec(
        version=base.text("versie", pattern=r"\d+\.\d+", hint="verwacht bijv. 1.0"),
        hash=digest.hexdigest(),
        roles={role: roles.text(role) if roles.has(role) else ROLE_TEXTS[role] for role in ROLES},
        themas=tuple(_thema(entry) for entry in base.sections("themas")),
        types=tuple(_term(entry, ("meetbaar",), synonyms=True) for entry in base.sections("types")),
        soorten=tuple(_term(entry, ("lopend",)) for entry in base.sections("soorten")),
        statussen=tuple(
            _term(entry, ("toelichting_verplicht", "afgerond", "oneens"), uitkomst=True)
            for entry in base.sections("statussen")
        ),
        eenheden=tuple(_eenheid(entry) for entry in base.sections("eenheden")),
        indicators=_indicators(
            Section(raw["indicatoren.yaml"], "", directory / "indicatoren.yaml", SpecError)
        ),
        earlier=_earlier(
            Section(raw["indicatoren.yaml"], "", directory / "indicatoren.yaml", SpecError)
        ),
        retired=_retired(
            Section(raw["indicatoren.yaml"], "", directory / "indicatoren.yaml", SpecError)
        ),
        columns=_columns(Section(raw["kolommen.yaml"], "", directory / "kolommen.yaml", SpecError)),
        cover_steps=_cover_steps(base),
        akkoord=tuple(
            _term(entry, ("getekend", "voorbehoud_verplicht"))
            for entry in base.sections("akkoord", [])
        ),
        scopes=lists["scopes"],
        doelsoorten=lists["doelsoorten"],
        referenties=lists["referenties"],
        doeltermijnen=lists["doeltermijnen"],
    )
    for kind in TEMPLATE_KINDS:
        section = Section(raw[f"{kind}.yaml"], "", directory / f"{kind}.yaml", SpecError)
        spec.templates[kind] = _template(section, kind, spec)
        if section.has(BASISBOD):
            basis = section.section(BASISBOD)
            spec.templates[BASISBOD] = _basisbod(basis, spec.templates[kind], spec)
    _check_indicators(spec, directory / "indicatoren.yaml")
    return spec


def bereik_text(low: float | None, high: float | None, whole: bool = False) -> str:
    """A bereik as people read it: '1 tot 10', 'vanaf 0, geheel', 'vrij'."""
    parts = []
    if low is not None and high is not None:
        parts.append(f"{dutch_number(low)} tot {dutch_number(high)}")
    elif low is not None:
        parts.append(f"vanaf {dutch_number(low)}")
    elif high is not None:
        parts.append(f"tot {dutch_number(high)}")
    if whole:
        parts.append("geheel")
    return ", ".join(parts) or "vrij"


@functools.cache  # asked for every column of every block: a big workbook has few keys
def base_key(key: str) -> str:
    """'aantal_2027' -> 'aantal'; other keys stay as they are."""
    return _YEAR_SUFFIX.sub("", key)


def year_of(key: str) -> int | None:
    """'aantal_2027' -> 2027; None for a key that is not per year."""
    match = _YEAR_SUFFIX.search(key)
    return int(match.group(1)) if match else None


def year_key(key: str, year: int) -> str:
    """'aantal', 2027 -> 'aantal_2027': the key of one year of a per-year column."""
    return f"{key}_{year}"


def value_columns(spec: "Spec", blocks: Iterable["Block"], years: Sequence[int]) -> list[str]:
    """The column keys of these blocks, in order, per-year columns once for every year."""
    keys: list[str] = []
    for block in blocks:
        for key in block.columns:
            column = spec.columns[key]
            expanded = [year_key(key, y) for y in years] if column.per_jaar else [key]
            keys += [k for k in expanded if k not in keys]
    return keys


def expand_header(text: str, year: int | None) -> str:
    """A header or message with `{jaar}` filled in (per-year columns)."""
    return text.replace("{jaar}", str(year)) if year is not None else text


# ---------------------------------------------------------------------------------------------
# Private helpers: one per part of the spec.
# ---------------------------------------------------------------------------------------------


def _thema(entry: Section) -> Thema:
    entry.only(["code", "naam", "omschrijving"], required=("code", "naam"))
    return Thema(
        code=entry.text(
            "code",
            pattern=THEMA_CODE,
            hint="2 tot 4 hoofdletters of cijfers, beginnend met een letter, bijv. BT of T1",
        ),
        naam=entry.text("naam"),
        omschrijving=entry.text("omschrijving", ""),
    )


def _cover_steps(base: Section) -> tuple[str, ...]:
    if not base.has("voorblad"):
        return ()
    cover = base.section("voorblad")
    cover.only(["stappen"], required=("stappen",))
    return tuple(" ".join(str(step).split()) for step in cover.items("stappen"))


# The lists of what a target says, each with the flags it may set.
_TARGET_LISTS = {
    "scopes": ("gezamenlijk",),
    "doelsoorten": ("tussen",),
    "referenties": (),
    "doeltermijnen": ("per_jaar",),
}


def _target_lists(base: Section) -> dict[str, tuple[Term, ...]]:
    """For whom a target holds (scopes), what it says (doelsoorten), what it is measured
    against (referenties) and what it holds for (doeltermijnen); optional in spec.yaml."""
    return {
        name: tuple(_term(entry, flags) for entry in base.sections(name, []))
        for name, flags in _TARGET_LISTS.items()
    }


def _term(
    entry: Section, flags: tuple[str, ...] = (), uitkomst: bool = False, synonyms: bool = False
) -> Term:
    """An entry of a fixed list; `flags` are the yes/no attributes this list may set, a
    status may say its `uitkomst` and a type its `synoniemen`."""
    allowed = ["naam", "omschrijving", "kleur", *flags, *(["uitkomst"] if uitkomst else [])]
    allowed += ["synoniemen"] if synonyms else []
    entry.only(allowed, required=("naam", "omschrijving"))
    verdict = entry.text("uitkomst", None) if uitkomst else None
    if verdict is not None and verdict not in UITKOMSTEN:
        raise entry.fail("uitkomst", f"kies uit {', '.join(UITKOMSTEN)}")
    return Term(
        naam=entry.text("naam"),
        omschrijving=entry.text("omschrijving"),
        kleur=entry.text("kleur", None, pattern=r"#[0-9A-Fa-f]{6}", hint="verwacht #RRGGBB"),
        uitkomst=verdict,
        synoniemen=tuple(str(word) for word in entry.items("synoniemen", [])),
        **{flag: entry.flag(flag) for flag in flags},
    )


def _eenheid(entry: Section) -> Eenheid:
    entry.only(["naam", "min", "max", "geheel"], required=("naam",))
    return Eenheid(
        naam=entry.text("naam"),
        min=entry.number("min", None),
        max=entry.number("max", None),
        geheel=entry.flag("geheel"),
    )


def _earlier(section: Section) -> tuple[EarlierMeaning, ...]:
    return tuple(
        _entry(entry, ("code", "tot", "naam", "eenheid"), ("nu",), EarlierMeaning)
        for entry in section.sections("eerder", [])
    )


def _retired(section: Section) -> tuple[Retired, ...]:
    return tuple(
        _entry(entry, ("code", "sinds", "naam"), (), Retired)
        for entry in section.sections("vervallen", [])
    )


def _entry(entry: Section, required: tuple[str, ...], optional: tuple[str, ...], kind):
    entry.only([*required, *optional], required=required)
    values = [entry.text(key) for key in required] + [entry.text(k, None) for k in optional]
    return kind(*values)


# Before this spec version codes could be given a new meaning (1.3 renumbered them); from it on
# a code keeps its meaning for ever.
CODES_FOR_EVER_FROM = "1.3"


def _indicators(section: Section) -> tuple[Indicator, ...]:
    section.only(["indicatoren", "eerder", "vervallen"], required=("indicatoren",))
    indicators = []
    for entry in section.sections("indicatoren"):
        required = ("code", "naam", "thema", "eenheid", "soort", "richting", "bron")
        entry.only([*required, "min", "max", "optellen"], required=required)
        soort, richting = entry.text("soort"), entry.text("richting")
        if soort not in INDICATOR_SOORTEN:
            raise entry.fail("soort", f"kies uit {', '.join(INDICATOR_SOORTEN)}")
        if richting not in RICHTINGEN:
            raise entry.fail("richting", f"kies uit {', '.join(RICHTINGEN)}")
        indicators.append(
            Indicator(
                code=entry.text("code", pattern=THEMA_CODE + r"[0-9]{2}", hint="bijv. BS01"),
                naam=entry.text("naam"),
                thema=entry.text("thema"),
                eenheid=entry.text("eenheid"),
                soort=soort,
                richting=richting,
                min=entry.number("min", None),
                max=entry.number("max", None),
                bron=entry.text("bron"),
                additive=entry.raw("optellen", True) is not False,
            )
        )
    return tuple(indicators)


def _check_indicators(spec: Spec, path: Path) -> None:
    codes = {thema.code for thema in spec.themas}
    seen: set[str] = set()
    for i, indicator in enumerate(spec.indicators):
        where = f"{path}: indicatoren[{i}]"
        if indicator.thema not in codes:
            raise SpecError(f"{where}.thema: onbekend thema {indicator.thema!r}.")
        if spec.eenheid(indicator.eenheid) is None:
            raise SpecError(f"{where}.eenheid: {indicator.eenheid!r} staat niet in eenheden.")
        for key in (indicator.code, indicator.naam.casefold()):
            if key in seen:
                raise SpecError(f"{where}: {key!r} komt twee keer voor.")
            seen.add(key)
    # Codes are for ever: a retired code is never reused; a code changes its meaning only in
    # the history before the rule.
    current = {indicator.code for indicator in spec.indicators}
    for gone in spec.retired:
        if gone.code in current:
            raise SpecError(
                f"{path}: {gone.code} is vervallen sinds spec {gone.since} ({gone.naam}) en "
                "wordt nooit opnieuw gebruikt; geef de indicator een nieuwe code."
            )
    for meant in spec.earlier:
        if version_key(meant.up_to) >= version_key(CODES_FOR_EVER_FROM):
            raise SpecError(
                f"{path}: {meant.code} kreeg na spec {meant.up_to} een andere betekenis; vanaf "
                f"spec {CODES_FOR_EVER_FROM} houdt een code haar betekenis. Laat de code "
                "vervallen (vervallen) en geef de indicator een nieuwe code."
            )
        if meant.now is not None and meant.now not in current:
            raise SpecError(f"{path}: eerder {meant.code}: nu {meant.now!r} bestaat niet.")


def _columns(section: Section) -> dict[str, Column]:
    section.only(["kolommen"], required=("kolommen",))
    columns = {}
    table = section.section("kolommen")
    for key in table.data:
        entry = table.section(str(key))
        entry.only(
            [
                "header",
                "type",
                "required",
                "values",
                "open",
                "min",
                "max",
                "max_length",
                "pattern",
                "per_jaar",
                "in_eenheid",
                "meerdere",
                "width",
                "message",
                "eerdere_koppen",
            ],
            required=("header", "type"),
        )
        column = Column(
            key=str(key),
            header=entry.text("header"),
            type=entry.text("type"),
            required=bool(entry.raw("required", False)),
            values=entry.text("values", None),
            open=bool(entry.raw("open", False)),
            min=entry.raw("min", None),  # type: ignore[arg-type]
            max=entry.raw("max", None),  # type: ignore[arg-type]
            max_length=entry.integer("max_length", None, low=1, high=32767),
            pattern=entry.text("pattern", None),
            per_jaar=bool(entry.raw("per_jaar", False)),
            in_eenheid=entry.flag("in_eenheid"),
            meerdere=entry.flag("meerdere"),
            width=entry.raw("width", 12),  # type: ignore[arg-type]
            message=entry.text("message", ""),
            old_headers=tuple(str(text) for text in entry.items("eerdere_koppen", [])),
        )
        _check_column(column, entry)
        columns[column.key] = column
    return columns


def _check_column(column: Column, entry: Section) -> None:
    if column.type not in COLUMN_TYPES:
        raise entry.fail("type", f"onbekend type {column.type!r} (kies uit {COLUMN_TYPES})")
    if (column.type == "enum") != (column.values is not None):
        raise entry.fail("values", "een enum-kolom heeft values nodig, een andere kolom niet")
    if column.values is not None and column.values not in SPEC_LISTS:
        raise entry.fail("values", f"onbekende lijst {column.values!r} (kies uit {SPEC_LISTS})")
    # A four-digit year is what {jaar} becomes; Excel refuses longer texts silently.
    if len(expand_header(column.message, 2000)) > MAX_MESSAGE:
        raise entry.fail("message", f"langer dan {MAX_MESSAGE} tekens (Excel-grens)")
    if len(expand_header(column.header, 2000)) > MAX_TITLE:
        raise entry.fail("header", f"langer dan {MAX_TITLE} tekens (Excel-grens)")
    for bound in ("min", "max", "width"):
        value = getattr(column, bound)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise entry.fail(bound, f"verwacht een getal, gevonden {value!r}")


def _template(section: Section, kind: str, spec: Spec) -> Template:
    section.only(
        [
            "soort",
            "titel",
            "uitleg",
            "jaren",
            "blokken",
            "investeringen",
            BASISBOD,
            "ondertekening",
            "stappen",
        ],
        required=("soort", "titel", "uitleg", "blokken"),
    )
    if section.text("soort") != kind:
        raise section.fail("soort", f"verwacht {kind!r}")
    blocks = tuple(_block(entry, spec) for entry in section.sections("blokken"))
    keys = [block.key for block in blocks]
    if len(set(keys)) != len(keys):
        raise section.fail("blokken", "een bloksleutel komt twee keer voor")
    investment = tuple(section.items("investeringen", []))
    for key in investment:
        column = spec.columns.get(key)
        if column is None or not column.per_jaar or column.type != "money":
            raise section.fail("investeringen", f"{key!r} is geen geldkolom per jaar")
    return Template(
        kind=kind,
        titel=section.text("titel"),
        uitleg=section.text("uitleg"),
        blocks=blocks,
        years=section.integer("jaren", None, low=1, high=10),
        investment_columns=investment,
        signing=_signing(section.section("ondertekening"), spec)
        if section.has("ondertekening")
        else None,
        cover_steps=tuple(" ".join(str(step).split()) for step in section.items("stappen", [])),
    )


def _signing(entry: Section, spec: Spec) -> Signing:
    entry.only(
        ["blad", "titel", "uitleg", "kolommen", "vast"], required=("blad", "titel", "kolommen")
    )
    columns = tuple(str(key) for key in entry.items("kolommen"))
    fixed = frozenset(str(key) for key in entry.items("vast", []))
    for key in columns:
        if key not in spec.columns:
            raise entry.fail("kolommen", f"onbekende kolom {key!r} (zie kolommen.yaml)")
    if not fixed <= set(columns):
        raise entry.fail("vast", f"{sorted(fixed - set(columns))} staan niet in kolommen")
    for key in ("partij", "akkoord"):
        if key not in columns:
            raise entry.fail("kolommen", f"de kolom {key!r} hoort erbij")
    sheet = entry.text("blad")
    if len(sheet) > 31:
        raise entry.fail("blad", "een bladnaam heeft ten hoogste 31 tekens")
    return Signing(sheet, entry.text("titel"), entry.text("uitleg", ""), columns, fixed)


def _basisbod(section: Section, bod: Template, spec: Spec) -> Template:
    """The basisbod: the bod with one column in front of every block saying for which gemeente
    a row is. In a going-concern block it is fixed: a lopende afspraak is of one gemeente."""
    section.only(["titel", "uitleg", "kolom"], required=("titel", "uitleg", "kolom"))
    key = section.text("kolom")
    if key not in spec.columns or spec.columns[key].values != "gemeenten":
        raise section.fail("kolom", f"{key!r} is geen kolom met values: gemeenten")
    blocks = tuple(
        replace(
            block,
            columns=(key, *block.columns),
            fixed=block.fixed | {key} if block.fixed else block.fixed,
        )
        for block in bod.blocks
    )
    return replace(
        bod,
        kind=BASISBOD,
        titel=section.text("titel"),
        uitleg=section.text("uitleg"),
        blocks=blocks,
        gemeente_column=key,
    )


def _block(entry: Section, spec: Spec) -> Block:
    entry.only(
        [
            "sleutel",
            "titel",
            "uitleg",
            "soort",
            "lege_rijen",
            "kolommen",
            "vast",
            "rollen",
            "themas",
            "overzicht",
        ],
        required=("sleutel", "titel", "uitleg", "kolommen"),
    )
    columns = tuple(str(key) for key in entry.items("kolommen"))
    fixed = frozenset(str(key) for key in entry.items("vast", []))
    for key in columns:
        if key not in spec.columns:
            raise entry.fail("kolommen", f"onbekende kolom {key!r} (zie kolommen.yaml)")
    if not fixed <= set(columns):
        raise entry.fail("vast", f"{sorted(fixed - set(columns))} staan niet in kolommen")
    roles = entry.items("rollen", None)
    if roles is not None and not set(roles) <= set(ROLES):
        raise entry.fail("rollen", f"kies uit {ROLES}")
    soort = entry.text("soort", None)
    if soort is not None and soort not in spec.list_values("soorten"):
        raise entry.fail("soort", f"{soort!r} staat niet in soorten")
    themas = entry.items("themas", None)
    overview_sheet = entry.text("overzicht", None)
    if soort is None and overview_sheet is None:
        raise entry.fail(
            "overzicht", "een blok zonder soort noemt zijn blad in het gezamenlijk overzicht"
        )
    if overview_sheet is not None and len(overview_sheet) > 31:
        raise entry.fail("overzicht", "een bladnaam heeft ten hoogste 31 tekens")
    return Block(
        key=entry.text("sleutel", pattern=r"[a-z_]+", hint="kleine letters en _"),
        titel=entry.text("titel"),
        uitleg=entry.text("uitleg"),
        columns=columns,
        fixed=fixed,
        soort=soort,
        lopend=any(term.lopend for term in spec.soorten if term.naam == soort),
        empty_rows=entry.integer("lege_rijen", 0, low=0, high=10000),
        roles=tuple(roles) if roles is not None else None,
        themas=tuple(themas) if themas is not None else None,
        overview_sheet=overview_sheet,
    )

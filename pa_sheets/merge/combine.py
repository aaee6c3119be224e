"""Merge the returned workbooks of the corporaties in one gemeente into the gezamenlijk overzicht.

Every input is validated by the same engine as `validate`, on every core; the rows validation
read become records with their provenance (corporatie, partij, file, sheet, row). The totals
are computed here from those records alone, so each total is the sum of rows that are shown.
Writing the workbook or the long format is overview.py's job: this module only decides what
goes in.
"""

import datetime as dt
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pa_sheets.check.findings import FileReport, Report, cell_name
from pa_sheets.check.read import Template
from pa_sheets.check.safety import DEFAULT_LIMITS, Limits
from pa_sheets.check.validate import expand_paths, inspect_file
from pa_sheets.check.validate import failed as failed_report
from pa_sheets.errors import InvalidInputs, MergeError, UsageError
from pa_sheets.merge.form import SMART_HEADER
from pa_sheets.parallel import map_files
from pa_sheets.spec.config import renamed_parties
from pa_sheets.spec.model import (
    BASISBOD,
    Block,
    Indicator,
    Spec,
    load_spec,
    value_columns,
    year_key,
    year_of,
)

# Percentages and report marks are never added up: without a teller and noemer only an
# average can be shown, and it says so.
NOT_ADDITIVE = frozenset(["%", "rapportcijfer"])
NO_STATUS = "geen of onbekend"
# A collective afspraak whose corporaties give it different statuses is counted once, here.
DIFFERENT_STATUS = "uiteenlopend"
# The column (or row) of the afspraken every corporatie has: counted once, not per corporatie.
COLLECTIVE = "Gezamenlijk"
CORPORATIE_ROLE = "corporatie"
# The parties of a corporatie's own workbook: each corporatie has its own. A collective
# afspraak on their tabs binds each of them; on the gemeente's or a partner's tab it is that
# one party's afspraak, the same in every workbook.
OWN_ROLES = ("corporatie", "huurdersorganisatie")
ALL_OF_ROLE = {"corporatie": "Alle corporaties", "huurdersorganisatie": "Alle huurdersorganisaties"}
PARTY_KEYS = ("trekker", "betrokken")  # cells that name parties of the workbook
SUM_HEADER, MEAN_HEADER = "Gemeente", "Gemiddelde (ongewogen)"
# The code column of an indicator of the afspraken' own (not in indicatoren.yaml): it is added
# up only with rows of the same name and eenheid.
OWN_CODE = "eigen"
INDICATOR_LEAD = ["Code", "Indicator", "Eenheid", "Soort"]


@dataclass
class Record:
    """One row of one block of one input, as validation read it."""

    block: str  # the block's key in the template
    thema: str  # thema code
    rol: str
    partij: str  # the party's name as the workbook shows it
    sheet: str  # the sheet's name in the returned workbook
    row: int  # Excel row, 1-based
    values: dict[str, object]  # column key (per year: aantal_2027) -> normalised value
    unreadable: str = ""  # values validation could not read, as typed: nothing is lost


@dataclass
class Source:
    """One input file: its validation report, and its records when it could be read."""

    path: Path
    report: FileReport
    template: Template | None = None
    sha256: str = ""
    modified: float = 0.0  # the file's modification time, for --latest
    parties: list[dict[str, str]] = field(default_factory=list)  # rol, naam, kort, code
    themas: dict[str, str] = field(default_factory=dict)  # code -> naam, from _meta
    tabs: list[tuple[str, str, str]] = field(default_factory=list)  # (thema, rol, kort) per tab
    records: list[Record] = field(default_factory=list)
    note: str = ""  # why it was set aside, if it was
    # Merging into the long table (long.py): the worker wrote the records to this part file
    # and sent back only their number.
    part: Path | None = None
    part_rows: int = 0

    @property
    def row_count(self) -> int:
        return self.part_rows if self.part is not None else len(self.records)

    @property
    def valid(self) -> bool:
        return self.report.valid()

    @property
    def verdict(self) -> str:
        if self.report.unusable:
            return "onbruikbaar"
        return "in orde" if self.valid else "niet in orde"

    @property
    def corporatie(self) -> str:
        return self.template.corporatie if self.template else ""


@dataclass
class Collective:
    """A lopende afspraak that stands in the workbooks of several corporaties with the same
    nummer and the same fixed text: one afspraak for all of them (`corporatie: alle` in the
    gemeente's config), counted once. So is a new afspraak whose scope says it is shared
    (alle corporaties, gemeente), typed the same in each workbook. A scope of 'deze
    corporatie' makes each workbook's row that corporatie's own."""

    members: list[tuple[Source, Record]]  # one per corporatie, in the order of the sources

    @property
    def record(self) -> Record:
        return self.members[0][1]

    @property
    def nummer(self) -> str:
        return str(self.record.values.get("nummer") or "")

    @property
    def shared(self) -> bool:
        """On the tab of a party all workbooks share (the gemeente, a partner): that party's
        one afspraak. Otherwise each corporatie (or its huurdersorganisatie) carries it."""
        return self.record.rol not in OWN_ROLES

    @property
    def partij(self) -> str:
        return self.record.partij if self.shared else ALL_OF_ROLE[self.record.rol]

    def statuses(self) -> dict[str, object]:
        """Corporatie -> the status its workbook gives the afspraak."""
        return {source.corporatie: record.values.get("status") for source, record in self.members}

    def status(self) -> object:
        """The status all corporaties give it, or DIFFERENT_STATUS."""
        found = set(self.statuses().values())
        return found.pop() if len(found) == 1 else DIFFERENT_STATUS


@dataclass
class Merged:
    """What the overview shows: the merged sources in a fixed order, and the ones set aside."""

    spec: Spec
    sources: list[Source]
    set_aside: list[Source]

    @property
    def template(self) -> Template:
        return self.sources[0].template  # type: ignore[return-value]  # merged ones have one

    @property
    def kind(self) -> str:
        return self.template.kind

    @property
    def years(self) -> tuple[int, ...]:
        return self.template.years

    @property
    def corporaties(self) -> list[str]:
        return [source.corporatie for source in self.sources]

    def afspraak_blocks(self) -> list[Block]:
        """The blocks that hold afspraken (going concern, nieuw): one sheet per thema."""
        return [b for b in self.spec.templates[self.kind].blocks if b.soort is not None]

    def other_blocks(self) -> list[Block]:
        """The blocks with a sheet of their own in the overview (bod: leefbaarheid...)."""
        return [b for b in self.spec.templates[self.kind].blocks if b.soort is None]

    def columns(self, blocks: Iterable[Block]) -> list[str]:
        """The column keys of these blocks, in order, per-year columns once for every year."""
        return value_columns(self.spec, blocks, self.years)

    def header(self, key: str) -> str:
        return self.spec.header_for(key)

    def themas(self) -> dict[str, str]:
        """Thema code -> naam, in the spec's order, then the gemeente's own themes."""
        names = {thema.code: thema.naam for thema in self.spec.themas}
        for source in self.sources:
            names.update(source.themas)
        found = dict.fromkeys(r.thema for _, r in self.records())
        order = [t.code for t in self.spec.themas if t.code in found]
        order += [code for code in found if code not in order]
        return {code: names.get(code, code) for code in order}

    def parties(self) -> list[tuple[str, str]]:
        """(rol, naam) of every party: the gemeente, each corporatie with its
        huurdersorganisatie, then the other partners."""
        rank = {"gemeente": 0, "corporatie": 1, "huurdersorganisatie": 1, "overig": 2}
        seen: dict[tuple[str, str], tuple[int, int]] = {}
        for index, source in enumerate(self.sources):
            for party in source.parties:
                key = (party["rol"], party["naam"])
                group = rank.get(party["rol"], 2)
                seen.setdefault(key, (group, index if group == 1 else 0))
        return sorted(seen, key=lambda key: seen[key])

    @functools.cached_property
    def by_indicator(self) -> dict[str, list[tuple[Source, Record]]]:
        """Standard indicator code -> the afspraken that name it (by code or name); an own
        indicator by its name and eenheid (indicator_key)."""
        found: dict[str, list[tuple[Source, Record]]] = {}
        known: dict[object, Indicator | None] = {}  # a few names, on many rows
        for source, record in self.records(self.afspraak_blocks()):
            name = record.values.get("indicator")
            if name not in known:
                known[name] = self.spec.indicator(name) if isinstance(name, str) else None
            indicator = known[name]
            if indicator is not None:
                found.setdefault(indicator.code, []).append((source, record))
            elif (own := self._own_indicator(record)) is not None:
                found.setdefault(indicator_key(own), []).append((source, record))
        return found

    def _own_indicator(self, record: Record) -> Indicator | None:
        """The own indicator a row names, when it has a name that is not standard and an
        eenheid of the spec."""
        name, eenheid = record.values.get("indicator"), record.values.get("eenheid")
        if not isinstance(name, str) or not isinstance(eenheid, str) or not name.strip():
            return None
        if self.spec.eenheid(eenheid) is None:
            return None
        return Indicator(OWN_CODE, " ".join(name.split()), record.thema, eenheid)

    @functools.cached_property
    def indicators(self) -> list[Indicator]:
        """The standard indicators, then the own ones the afspraken name: one per name and
        eenheid, in the order of the thema's and their names."""
        codes = {indicator.code for indicator in self.spec.indicators}
        own = [
            self._own_indicator(members[0][1])
            for key, members in self.by_indicator.items()
            if key not in codes
        ]
        themas = list(self.themas())
        order = sorted(
            filter(None, own), key=lambda i: (themas.index(i.thema), i.naam.casefold(), i.eenheid)
        )
        return [*self.spec.indicators, *order]

    @property
    def asks_of_others(self) -> bool:
        """A bod: the tabs of the gemeente, huurdersorganisatie and partners hold what the
        corporatie asks of them, not its own plans."""
        return self.kind == "bod"

    def afspraak_fields(self) -> list[str]:
        """The fixed columns that make a lopende afspraak what it is (nummer, text, type,
        indicator, targets): fixed in its block, but not in the block of new afspraken. Last
        year's status is fixed too, and is each corporatie's own."""
        blocks = self.afspraak_blocks()
        lopend = [block for block in blocks if block.lopend]
        if not lopend:
            return []
        other = set().union(*(block.fixed for block in blocks if not block.lopend))
        return [key for key in lopend[0].columns if key in lopend[0].fixed - other]

    @functools.cached_property
    def collectives(self) -> list[Collective]:
        """The lopende afspraken that stand, with the same nummer and fixed text, on the same
        tab (by thema and party, each corporatie's own party by its role) in the workbooks of
        more than one corporatie: one afspraak each; a new afspraak too when its scope is
        shared. A trekker that is the workbook's own corporatie or huurdersorganisatie counts
        by its role."""
        fields = self.afspraak_fields()
        joint = self.spec.joint_scopes()
        groups: dict[tuple[object, ...], list[tuple[Source, Record]]] = {}
        for source, record in self.records(self.afspraak_blocks()):
            scope = record.values.get("scope")
            if not record.values.get("nummer") or (scope and scope not in joint):
                continue  # 'deze corporatie': each corporatie's own target, counted by each
            if record.block not in self._lopend_keys and scope not in joint:
                continue  # a new afspraak is shared only when it says so, the same everywhere
            # Each corporatie's own parties by their role: 'Gemeente X, Linde' in Linde's
            # workbook and 'Gemeente X, Baken' in Baken's both read 'Gemeente X, corporatie'.
            own = {p["naam"]: p["rol"] for p in source.parties if p["rol"] in OWN_ROLES}
            party = record.rol if record.rol in OWN_ROLES else record.partij
            values = tuple(
                renamed_parties(value, own)
                if key in PARTY_KEYS and isinstance(value, str)
                else None
                if key == "soort" and record.block not in self._lopend_keys
                else value
                for key, value in ((key, record.values.get(key)) for key in fields)
            )
            key = (record.block, record.thema, party, values)
            groups.setdefault(key, []).append((source, record))
        found = []
        for members in groups.values():
            corporaties = {id(source) for source, _ in members}
            if len(corporaties) > 1 and len(corporaties) == len(members):
                found.append(Collective(members))
        return found

    @functools.cached_property
    def _lopend_keys(self) -> set[str]:
        return {block.key for block in self.afspraak_blocks() if block.lopend}

    @functools.cached_property
    def _collective_of(self) -> dict[int, Collective]:
        return {id(record): c for c in self.collectives for _, record in c.members}

    def collective_of(self, record: Record) -> Collective | None:
        return self._collective_of.get(id(record))

    def count_columns(self) -> list[str]:
        """The columns that count afspraken or values: each corporatie's own, and the
        collective afspraken once, when there are any."""
        return self.corporaties + ([COLLECTIVE] if self.collectives else [])

    def counted(
        self, blocks: Iterable[Block] | None = None
    ) -> Iterator[tuple[str, Record, Collective | None]]:
        """Every afspraak once, with its column: its corporatie, or COLLECTIVE for a
        collective afspraak (its first member stands for all)."""
        for source, record in self.records(blocks):
            collective = self.collective_of(record)
            if collective is None:
                yield source.corporatie, record, None
            elif collective.record is record:
                yield COLLECTIVE, record, collective

    @functools.cached_property
    def indicator_figures(self) -> tuple[list[list[object]], list["Apart"]]:
        """The rows of the Kengetallen and the values they leave out (computed once)."""
        return _kengetallen(self)

    def records(self, blocks: Iterable[Block] | None = None) -> Iterator[tuple[Source, Record]]:
        """Every record of every merged source, in output order; only those of `blocks`."""
        keys = None if blocks is None else {block.key for block in blocks}
        for source in self.sources:
            for record in source.records:
                if keys is None or record.block in keys:
                    yield source, record


def indicator_key(indicator: Indicator) -> str:
    """How by_indicator names an indicator: a standard one by code, an own one by its name
    (case and spaces folded) and eenheid."""
    if indicator.code != OWN_CODE:
        return indicator.code
    return f"{indicator.naam.casefold()}|{indicator.eenheid}"


def merge_paths(
    paths: Iterable[Path],
    *,
    allow_invalid: bool = False,
    latest: bool = False,
    spec: Spec | None = None,
    limits: Limits = DEFAULT_LIMITS,
    workers: int | None = None,
    progress: Callable[[Path], None] = lambda path: None,
) -> Merged:
    """Validate and read every workbook (folders expanded) and decide what the overview holds.
    Raises MergeError for inputs that do not belong together and InvalidInputs for inputs
    with errors (unless `allow_invalid`).

    Example: merge_paths([Path("terug/")], latest=True).corporaties
    """
    spec = spec or load_spec()
    files = input_files(paths)
    read = functools.partial(read_source, spec=spec, limits=limits)
    failed = lambda path, exc: Source(path, failed_report(path, exc))  # noqa: E731
    sources = map_files(read, files, workers=workers, progress=progress, failed=failed)
    return combine(sources, spec, allow_invalid=allow_invalid, latest=latest)


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The workbooks to merge, folders expanded; a file named twice (also through its folder)
    is one input."""
    paths = list(paths)
    unique: dict[Path, Path] = {}
    for path in expand_paths(paths):
        unique.setdefault(path.resolve(), path)
    if not unique:
        raise UsageError(f"geen werkboeken (.xlsx) gevonden in {', '.join(map(str, paths))}.")
    return list(unique.values())


@dataclass
class BlockRows:
    """One block of one input as validation read it, column by column: what a record is made
    of, without an object per row (the long table is built from these directly)."""

    block: str  # the block's key in the template
    thema: str
    rol: str
    partij: str  # the party's name as the workbook shows it
    sheet: str
    rows: list[int]  # Excel rows, 1-based
    values: dict[str, list[object]]  # column key -> one normalised value per row
    lost: dict[int, str]  # row index -> the values validation could not read, as typed


def read_source(path: Path, spec: Spec, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Validate one file and turn what was read into records; never raises for bad input."""
    source, blocks = read_blocks(path, spec, limits)
    for rows in blocks:
        keys = list(rows.values)
        for index, (row, *values) in enumerate(zip(rows.rows, *rows.values.values(), strict=True)):
            source.records.append(
                Record(
                    rows.block,
                    rows.thema,
                    rows.rol,
                    rows.partij,
                    rows.sheet,
                    row,
                    dict(zip(keys, values, strict=True)),
                    rows.lost.get(index, ""),
                )
            )
    return source


def read_blocks(
    path: Path, spec: Spec, limits: Limits = DEFAULT_LIMITS
) -> tuple[Source, list[BlockRows]]:
    """Validate one file: the source (without records) and what was read, per block."""
    inspection = inspect_file(path, spec, limits)
    data = inspection.data
    if data is None:
        return Source(path, inspection.report), []
    with path.open("rb") as file:
        sha256 = hashlib.file_digest(file, "sha256").hexdigest()
    names = {party["kort"]: party["naam"] for party in data.meta.parties}
    formulas = data.typed_formulas(inspection.report.findings)
    blocks = []
    for block, clean in zip(data.blocks, inspection.clean, strict=True):
        # Values validation could not read (it reported them) go along as typed, by row.
        # So do formulas typed in input cells (V010), as text.
        lost: dict[int, list[str]] = {}
        for key, values in clean.items():
            typed_values = block.values[key]
            if not formulas and values.count(None) == typed_values.count(None):
                continue  # every empty cell was empty as typed: nothing lost (nearly always)
            pairs = enumerate(zip(values, typed_values, strict=True))
            if formulas:
                column = block.columns.get(key, -1)
                cells = [(block.sheet, cell_name(row, column)) for row in block.rows]
                pairs = (
                    (i, (None if cells[i] in formulas else value, formulas.get(cells[i], typed)))
                    for i, (value, typed) in pairs
                )
            for index, (value, typed) in pairs:
                if value is None and typed is not None:
                    lost.setdefault(index, []).append(f"{spec.header_for(key)}: {typed}")
        partij = names.get(block.meta.partij, block.meta.partij)
        texts = {index: "; ".join(parts) for index, parts in lost.items()}
        blocks.append(
            BlockRows(
                block.key,
                block.meta.thema,
                block.meta.rol,
                partij,
                block.sheet,
                block.rows,
                clean,
                texts,
            )
        )
    source = Source(
        path,
        inspection.report,
        data.template,
        sha256,
        path.stat().st_mtime,
        data.meta.parties,
        data.meta.themas,
        list(dict.fromkeys((b.thema, b.rol, b.partij) for b in data.meta.blocks)),
    )
    return source, blocks


def combine(
    sources: list[Source], spec: Spec, *, allow_invalid: bool = False, latest: bool = False
) -> Merged:
    """The sources that go into the overview, in a fixed order whatever the order of input."""
    unusable = [s for s in sources if s.template is None]
    readable = [s for s in sources if s.template is not None]
    _check_together(readable)
    chosen, replaced = _one_per_corporatie(readable, latest)
    refused = [s for s in unusable + chosen if not s.valid]
    if refused and not allow_invalid:
        report = Report([s.report for s in sorted(refused, key=lambda s: str(s.path))])
        invalid, why = len(refused) - len(unusable), []
        if invalid:  # a corporatie's own workbook with mistakes: it can mend them
            why.append(f"{invalid} werkboek(en) niet in orde: laat de corporatie ze herstellen")
        if unusable:  # no workbook of pa-sheets at all: no corporatie can mend that
            why.append(f"{len(unusable)} bestand(en) onbruikbaar: haal ze uit de invoer")
        raise InvalidInputs("; ".join(why) + ".", report)
    if not chosen:
        reasons = [str(source.report.unusable).rstrip(".") for source in unusable[:3]]
        more = f" (en {len(unusable) - 3} meer)" if len(unusable) > 3 else ""
        raise MergeError(
            "geen enkel werkboek kon worden gelezen; er is niets samen te voegen: "
            + "; ".join(reasons)
            + more
            + "."
        )
    for source in unusable:  # the reason names the file already; the note is the reason
        source.note = str(source.report.unusable).removeprefix(f"{source.path}: ").rstrip(".")
    chosen.sort(key=lambda s: (s.template.l_nummer, s.corporatie, s.path.name, str(s.path)))  # type: ignore[union-attr]
    set_aside = sorted(replaced + unusable, key=lambda s: (s.path.name, str(s.path)))
    return Merged(spec, chosen, set_aside)


def _check_together(sources: list[Source]) -> None:
    """One gemeente, one kind, the same years and spec: else name the files that differ."""
    aspects: list[tuple[str, Callable[[Template], object]]] = [
        ("gemeente", lambda t: f"{t.gemeente} ({t.gemeente_code})"),
        ("soort", lambda t: t.kind),
        ("jaar", lambda t: "-".join(str(y) for y in sorted({t.years[0], t.years[-1]}))),
        ("specversie", lambda t: t.spec_version.split(".")[0] + ".x"),
    ]
    for source in sources:
        if source.template.kind == BASISBOD:  # type: ignore[union-attr]
            raise MergeError(
                f"{source.path} is een basisbod, voor meer gemeenten. Maak eerst het bod per "
                "gemeente (pa-sheets split-bod) en voeg die samen."
            )
    for aspect, value_of in aspects:
        values = [value_of(s.template) for s in sources]  # type: ignore[arg-type]
        counts = Counter(values)
        if len(counts) < 2:
            continue
        common = max(counts, key=lambda v: (counts[v], -values.index(v)))
        odd = [
            f"{s.path} ({aspect} {v})" for s, v in zip(sources, values, strict=True) if v != common
        ]
        raise MergeError(
            f"deze werkboeken horen niet bij de andere ({aspect} {common}): {', '.join(odd)}. "
            "Voeg alleen werkboeken van één gemeente, soort en jaar samen."
        )


def _one_per_corporatie(sources: list[Source], latest: bool) -> tuple[list[Source], list[Source]]:
    """One workbook per corporatie: two are an error, or with `latest` the newest counts."""
    by_corporatie: dict[str, list[Source]] = {}
    for source in sources:
        by_corporatie.setdefault(source.template.l_nummer, []).append(source)  # type: ignore[union-attr]
    chosen, replaced = [], []
    for l_nummer, group in by_corporatie.items():
        group.sort(key=lambda s: (s.modified, s.template.created, s.path.name), reverse=True)  # type: ignore[union-attr]
        if len(group) > 1 and not latest:
            names = " en ".join(str(s.path) for s in sorted(group, key=lambda s: str(s.path)))
            raise MergeError(
                f"twee werkboeken voor {group[0].corporatie} ({l_nummer}): {names}. Geef er één, "
                "of neem met --latest het nieuwste."
            )
        chosen.append(group[0])
        for older in group[1:]:
            older.note = f"vervangen door het nieuwere {group[0].path}"
            replaced.append(older)
    return chosen, replaced


# ---------------------------------------------------------------------------------------------
# What the summary sheets show, as plain tables; every total is the sum of the rows above it.
# ---------------------------------------------------------------------------------------------


@dataclass
class Table:
    """A table for a summary sheet: its rows, and a totals row (None: nothing to add up)."""

    name: str  # the Excel table's name
    title: str
    header: list[str]
    rows: list[list[object]]
    totals: list[object] | None = None
    note: str = ""  # below the table; one line per line

    def add_totals(self, label: str, first: int) -> "Table":
        """Sum every column from `first` on; a column holding a None anywhere gets no total."""
        totals: list[object] = [label] + [None] * (len(self.header) - 1)
        for col in range(first, len(self.header)):
            cells = [row[col] for row in self.rows]
            if all(isinstance(cell, int | float) for cell in cells):
                totals[col] = sum(cells)  # type: ignore[arg-type]
        self.totals = totals
        return self


COLLECTIVE_NOTE = (
    f"{COLLECTIVE}: de lopende afspraken die in het werkboek van elke corporatie staan (zelfde "
    "nummer en vaste tekst), één keer geteld en niet bij de corporaties."
)


def afspraken_per_thema(merged: Merged) -> Table:
    """Afspraken (going concern and nieuw together) per thema and corporatie; a collective
    afspraak once, in its own column."""
    counts = Counter((column, r.thema) for column, r, _ in merged.counted(merged.afspraak_blocks()))
    columns = merged.count_columns()
    rows = [
        [f"{code} {naam}", *(counts[(c, code)] for c in columns)]
        for code, naam in merged.themas().items()
    ]
    for row in rows:
        row.append(sum(row[1:]))  # type: ignore[arg-type]
    return Table(
        "AfsprakenPerThema",
        "Afspraken per thema en corporatie",
        ["Thema", *columns, "Totaal"],
        rows,
        note=COLLECTIVE_NOTE if merged.collectives else "",
    ).add_totals("Alle thema's", 1)


def per_corporatie(merged: Merged) -> Table:
    """Per corporatie: going concern, nieuw, the stoplicht and the SMART warnings left; the
    collective afspraken once, on a row of their own."""
    statuses, groups = _statuses(merged), _by_column(merged, lambda record: True)
    rows = []
    for source in merged.sources:
        row: list[object] = [source.corporatie, source.template.l_nummer]  # type: ignore[union-attr]
        row += _split_and_stoplicht(groups.get(source.corporatie, []), statuses)
        row.append(sum(f.code.startswith("M") for f in source.report.findings))
        rows.append(row)
    if merged.collectives:
        # Lopende afspraken only: validate's SMART warnings are about new ones.
        rows.append(
            [COLLECTIVE, "", *_split_and_stoplicht(groups.get(COLLECTIVE, []), statuses), 0]
        )
    return Table(
        "PerCorporatie",
        "Per corporatie",
        ["Corporatie", "L-nummer", *_count_header(statuses), SMART_HEADER],
        rows,
    ).add_totals("Gemeente", 2)


def per_thema_en_corporatie(merged: Merged) -> Table:
    """Going concern, nieuw and the stoplicht per thema and corporatie (and the collective
    afspraken once)."""
    statuses = _statuses(merged)
    rows = []
    for code, naam in merged.themas().items():
        groups = _by_column(merged, lambda record, code=code: record.thema == code)
        for column in merged.count_columns():
            row: list[object] = [f"{code} {naam}", column]
            rows.append(row + _split_and_stoplicht(groups.get(column, []), statuses))
    return Table(
        "PerThemaEnCorporatie",
        "Per thema en corporatie",
        ["Thema", "Corporatie", *_count_header(statuses)],
        rows,
    ).add_totals("Totaal", 2)


def stoplicht_per_thema(merged: Merged) -> Table | None:
    """The stoplicht per thema, all corporaties together (a collective afspraak once); None
    when the template has no status."""
    statuses = _statuses(merged)
    if not statuses:
        return None
    rows = []
    for code, naam in merged.themas().items():
        groups = _by_column(merged, lambda record, code=code: record.thema == code)
        afspraken = [a for column in merged.count_columns() for a in groups.get(column, [])]
        rows.append([f"{code} {naam}", *_split_and_stoplicht(afspraken, statuses)[3:]])
    return Table("StoplichtPerThema", "Stoplicht per thema", ["Thema", *statuses], rows).add_totals(
        "Alle thema's", 1
    )


def investeringen_per_jaar(merged: Merged) -> Table | None:
    """Bod: the corporaties' own planned investments per year, all themas together."""
    invest = investeringen(merged)
    if invest is None:
        return None
    rows = []
    for year in merged.years:
        sums = [row[2:] for row in invest.rows if row[1] == year]
        rows.append([year, *(sum(column) for column in zip(*sums, strict=True))])
    return Table(
        "InvesteringenPerJaar",
        "Eigen investeringen per jaar (EUR)",
        ["Jaar", *merged.corporaties, SUM_HEADER],
        rows,
    ).add_totals("Totaal", 1)


def collective_statuses(merged: Merged) -> Table | None:
    """The collective afspraken the corporaties give different statuses: which corporatie
    says what. None when they all agree (or the template has no status)."""
    if DIFFERENT_STATUS not in _statuses(merged):
        return None
    differ = [c for c in merged.collectives if c.status() == DIFFERENT_STATUS]
    if not differ:
        return None
    rows = []
    for collective in differ:
        said = collective.statuses()
        row: list[object] = [collective.nummer, collective.record.thema, collective.partij]
        row += [str(said[c]) if said.get(c) else "" for c in merged.corporaties]
        rows.append([*row, str(collective.record.values.get("afspraak") or "")])
    return Table(
        "VerschillendeStatus",
        "Gezamenlijke afspraken met een verschillende status per corporatie",
        ["Nummer", "Thema", "Partij", *merged.corporaties, "Afspraak"],
        rows,
        note=f"Geteld als '{DIFFERENT_STATUS}'. Een lege cel: geen status. Spreek samen af "
        "welke status klopt.",
    )


@dataclass
class Apart:
    """A value under a standard indicator that is not counted, and why."""

    corporatie: str  # or COLLECTIVE
    nummer: str
    indicator: Indicator
    eenheid: str  # the row's own
    maat: str
    jaar: int | None
    waarde: float
    reden: str


def standaardindicatoren(merged: Merged) -> Table:
    """Per standard indicator the target per corporatie (jaarschijf: streefwaarde; bod: the
    aantal, of all years for a stroom, of the last year for a stand), added up where the
    eenheid allows it, else averaged."""
    columns, rows, apart = merged.count_columns(), [], []
    first, last = merged.years[0], merged.years[-1]
    for indicator in merged.indicators:
        jaren: object
        if merged.kind == "jaarschijf":
            keys, jaren = ["streefwaarde"], first
        elif indicator.soort == "stand":
            keys, jaren = [year_key("aantal", last)], last
        else:
            keys, jaren = [year_key("aantal", y) for y in merged.years], f"{first}-{last}"
        row = _indicator_row(merged, indicator, keys, apart)
        if row is not None:
            rows.append([*_indicator_lead(indicator), jaren, *row])
    what = "streefwaarde" if merged.kind == "jaarschijf" else "aantal"
    not_counted = len(merged.indicator_figures[1])
    return Table(
        "Standaardindicatoren",
        f"Standaardindicatoren ({what})",
        [*INDICATOR_LEAD, "Jaar", *columns, SUM_HEADER, MEAN_HEADER],
        rows,
        note=_indicator_note(merged, not_counted),
    )


def kengetallen(merged: Merged) -> Table:
    """Standard indicators by corporatie: nulmeting (per year it was measured), streefwaarde
    and realisatie (jaarschijf), or the aantal and investering of every year (bod)."""
    rows, apart = merged.indicator_figures
    return Table(
        "Kengetallen",
        "Standaardindicatoren per corporatie",
        [*INDICATOR_LEAD, "Maat", "Jaar", *merged.count_columns(), SUM_HEADER, MEAN_HEADER],
        rows,
        note=_indicator_note(merged, len(apart)),
    )


def niet_meegeteld(merged: Merged) -> Table | None:
    """The values under a standard indicator that the Kengetallen do not count, and why."""
    apart = merged.indicator_figures[1]
    if not apart:
        return None
    rows = [
        [
            item.indicator.code,
            item.indicator.naam,
            item.eenheid,
            item.maat,
            item.jaar,
            item.waarde,
            item.corporatie,
            item.nummer,
            item.reden,
        ]
        for item in apart
    ]
    header = ["Code", "Indicator", "Eenheid", "Maat", "Jaar", "Waarde", "Corporatie", "Nummer"]
    return Table("NietMeegeteld", "Niet meegeteld", [*header, "Reden"], rows)


def investeringen(merged: Merged) -> Table | None:
    """Bod: the corporaties' own planned investments per thema and year (the money columns
    per year of their own tabs, as the Investeringen sheet of each bod adds them up)."""
    keys = merged.spec.templates[merged.kind].investment_columns
    if not keys:
        return None
    corporaties = merged.corporaties
    sums: Counter[tuple[str, int, str]] = Counter()
    for source, record in merged.records():
        if record.rol != CORPORATIE_ROLE:
            continue
        for year in merged.years:
            for key in keys:
                value = record.values.get(year_key(key, year))
                if isinstance(value, float):
                    sums[(record.thema, year, source.corporatie)] += value
    rows = []
    for code, naam in merged.themas().items():
        for year in merged.years:
            row: list[object] = [f"{code} {naam}", year]
            row += [sums[(code, year, c)] for c in corporaties]
            rows.append([*row, sum(row[2:])])  # type: ignore[arg-type]
    return Table(
        "Investeringen",
        "Eigen investeringen per thema en jaar (EUR)",
        ["Thema", "Jaar", *corporaties, SUM_HEADER],
        rows,
        note="Alleen de tabbladen van de corporaties zelf; wat zij van andere partijen vragen "
        "staat daaronder apart.",
    ).add_totals("Totaal", 2)


def gevraagd(merged: Merged) -> Table | None:
    """Bod: what each corporatie asks of the other parties per year (the money columns of
    their tabs in its bod), apart from its own investments. None when nothing is asked."""
    keys = merged.spec.templates[merged.kind].investment_columns
    if not keys:
        return None
    corporaties = merged.corporaties
    sums: Counter[tuple[str, int, str]] = Counter()
    parties: dict[str, None] = {}
    for source, record in merged.records():
        if record.rol == CORPORATIE_ROLE:
            continue
        # Each corporatie's own huurdersorganisatie on one row; the gemeente and partners
        # by name.
        own = record.rol in OWN_ROLES
        party = merged.spec.roles.get(record.rol, record.rol) if own else record.partij
        for year in merged.years:
            for key in keys:
                value = record.values.get(year_key(key, year))
                if isinstance(value, float):
                    parties.setdefault(party)
                    sums[(party, year, source.corporatie)] += value
    if not parties:
        return None
    rows = []
    for party in parties:
        for year in merged.years:
            row: list[object] = [party, year, *(sums[(party, year, c)] for c in corporaties)]
            rows.append([*row, sum(row[2:])])  # type: ignore[arg-type]
    return Table(
        "Gevraagd",
        "Gevraagd van andere partijen per jaar (EUR)",
        ["Gevraagd van", "Jaar", *corporaties, "Totaal"],
        rows,
        note="Wat elke corporatie in haar bod van de gemeente, de huurdersorganisatie en "
        "partners vraagt; niet in de eigen investeringen.",
    ).add_totals("Totaal", 2)


def wederkerigheid(merged: Merged) -> Table:
    """Per thema how many afspraken each party carries; flag themes where only corporaties
    commit themselves. A collective afspraak of one party (the gemeente, a partner) counts
    once; one that binds every corporatie counts for each."""
    parties = merged.parties()
    counts: Counter[tuple[str, str, str]] = Counter()
    for _, record in merged.records(merged.afspraak_blocks()):
        collective = merged.collective_of(record)
        if collective is None or not collective.shared or collective.record is record:
            counts[(record.thema, record.rol, record.partij)] += 1
    rows = []
    for code, naam in merged.themas().items():
        per_party = [counts[(code, rol, partij)] for rol, partij in parties]
        others = sum(
            n for (rol, _), n in zip(parties, per_party, strict=True) if rol != CORPORATIE_ROLE
        )
        only = "ja" if sum(per_party) and not others else ""
        rows.append([f"{code} {naam}", *per_party, sum(per_party), only])
    table = Table(
        "Wederkerigheid",
        "Wederkerigheid: afspraken per thema en partij",
        ["Thema", *(partij for _, partij in parties), "Totaal", "Alleen corporaties"],
        rows,
        note="'Alleen corporaties': op dit thema leggen alleen de corporaties zich vast; de "
        "handreiking vraagt om wederkerige afspraken.",
    )
    return table.add_totals("Alle thema's", 1)


def bronnen(merged: Merged) -> Table:
    rows = []
    for source in merged.sources + merged.set_aside:
        template = source.template
        rows.append(
            [
                source.path.name,
                str(source.path),
                source.sha256,
                template.kind if template else "",
                template.spec_version if template else "",
                template.gemeente if template else "",
                source.corporatie,
                template.l_nummer if template else "",
                "-".join(str(y) for y in sorted({template.years[0], template.years[-1]}))
                if template
                else "",
                template.created if template else "",
                dt.datetime.fromtimestamp(source.modified).isoformat(timespec="seconds")
                if source.modified
                else "",
                source.verdict,
                len(source.report.errors),
                len(source.report.warnings),
                0 if source.note else len(source.records),
                source.note or source.report.unusable or "samengevoegd",
            ]
        )
    header = ["Bestand", "Pad", "SHA-256", "Soort", "Specversie", "Gemeente", "Corporatie"]
    header += ["L-nummer", "Jaar", "Aangemaakt", "Gewijzigd", "Oordeel", "Fouten"]
    header += ["Waarschuwingen", "Rijen samengevoegd", "Opmerking"]
    return Table("Bronnen", "Bronnen", header, rows)


def _statuses(merged: Merged) -> list[str]:
    """The stoplicht columns, when the template has a status column; DIFFERENT_STATUS when
    there are collective afspraken."""
    if "status" not in merged.columns(merged.afspraak_blocks()):
        return []
    different = [DIFFERENT_STATUS] if merged.collectives else []
    return [term.naam for term in merged.spec.statussen] + different + [NO_STATUS]


def _count_header(statuses: list[str]) -> list[str]:
    return ["Going concern", "Nieuw", "Afspraken", *statuses]


def _by_column(
    merged: Merged, wanted: Callable[[Record], bool]
) -> dict[str, list[tuple[bool, object]]]:
    """Per count column its afspraken (a collective one once), each as (lopend, status)."""
    lopend = {block.key for block in merged.afspraak_blocks() if block.lopend}
    groups: dict[str, list[tuple[bool, object]]] = {}
    for column, record, collective in merged.counted(merged.afspraak_blocks()):
        if wanted(record):
            status = collective.status() if collective else record.values.get("status")
            groups.setdefault(column, []).append((record.block in lopend, status))
    return groups


def _split_and_stoplicht(afspraken: list[tuple[bool, object]], statuses: list[str]) -> list[object]:
    going = sum(lopend for lopend, _ in afspraken)
    row: list[object] = [going, len(afspraken) - going, len(afspraken)]
    if statuses:
        found = Counter(status for _, status in afspraken)
        known = statuses[:-1]
        row += [found[s] for s in known]
        row.append(len(afspraken) - sum(found[s] for s in known))
    return row


# ---------------------------------------------------------------------------------------------
# Standard indicators: a value counts only in its indicator's eenheid; a stand is one number
# per corporatie and peildatum, never a sum over afspraken or years; percentages and
# rapportcijfers are averaged, and say so.
# ---------------------------------------------------------------------------------------------


def _kengetallen(merged: Merged) -> tuple[list[list[object]], list[Apart]]:
    rows: list[list[object]] = []
    apart: list[Apart] = []
    for indicator in merged.indicators:
        for key, year, wanted in _measures(merged, indicator):
            maat = (
                merged.header(key).replace(f" {year}", "") if year_of(key) else merged.header(key)
            )
            row = _indicator_row(merged, indicator, [key], apart, maat, year, wanted)
            if row is not None:
                rows.append([*_indicator_lead(indicator), maat, year, *row])
    return rows, apart


def _measures(
    merged: Merged, indicator: Indicator
) -> list[tuple[str, int | None, Callable[[Record], bool] | None]]:
    """(column key, its year, which afspraken) of every row of the Kengetallen for this
    indicator: a nulmeting per year it was measured in (a nulmeting without a year last,
    without one), then streefwaarde and realisatie of the jaarschijf's year; or in a bod the
    aantal and investering of each year."""
    if merged.kind != "jaarschijf":
        return [
            (year_key(key, y), y, None) for key in ("aantal", "investering") for y in merged.years
        ]
    measured: set[int | None] = set()
    for _, record in merged.by_indicator.get(indicator_key(indicator), []):
        if isinstance(record.values.get("nulmeting"), float):
            measured.add(_year(record.values.get("nulmeting_jaar")))
    years = sorted(y for y in measured if y is not None) + ([None] if None in measured else [])
    found: list[tuple[str, int | None, Callable[[Record], bool] | None]] = [
        ("nulmeting", y, lambda r, y=y: _year(r.values.get("nulmeting_jaar")) == y) for y in years
    ]
    year = merged.years[0]
    return [
        *found,
        ("streefwaarde", year, None),
        ("mijlpaal", year, None),
        ("realisatie", year, None),
    ]


def _year(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _indicator_lead(indicator: Indicator) -> list[object]:
    return [indicator.code, indicator.naam, indicator.eenheid, indicator.soort]


def _indicator_note(merged: Merged, not_counted: int) -> str:
    lines = [
        "Per corporatie de som over haar afspraken met deze indicator, alleen in de eenheid van "
        "de indicator. Een stand (voorraad op een peildatum) wordt niet over afspraken of jaren "
        "opgeteld, wel over corporaties.",
        f"Percentages en rapportcijfers worden niet opgeteld: per corporatie en in "
        f"'{MEAN_HEADER}' staat het gemiddelde van de afspraken, elk even zwaar.",
    ]
    if len(merged.indicators) > len(merged.spec.indicators):
        lines.append(
            f"Code '{OWN_CODE}': een eigen indicator van de afspraken, geen standaardindicator; "
            "alleen opgeteld bij afspraken met dezelfde naam en eenheid."
        )
    if merged.collectives:
        lines.append(
            f"{COLLECTIVE}: een lopende afspraak die in het werkboek van elke corporatie staat, "
            "telt één keer met haar vaste waarden; wat elke corporatie zelf invult telt bij haar."
        )
    if merged.asks_of_others:
        lines.append(
            "Alleen de tabbladen van de corporaties zelf; wat zij van anderen vragen staat op "
            "de themabladen."
        )
    if not_counted:
        lines.append(
            f"{not_counted} waarde(n) niet meegeteld (andere eenheid, of een stand met "
            "verschillende waarden): zie 'Niet meegeteld' op het blad Kengetallen."
        )
    return "\n".join(lines)


def _indicator_row(
    merged: Merged,
    indicator: Indicator,
    keys: list[str],
    apart: list[Apart],
    maat: str = "",
    jaar: int | None = None,
    wanted: Callable[[Record], bool] | None = None,
) -> list[object] | None:
    """The values of `keys` for the afspraken with this indicator, per count column, then the
    sum for the gemeente (an eenheid that adds up) or the unweighted mean of every value
    counted (% and rapportcijfer). What is not counted goes to `apart`. None when nothing is
    counted."""
    money = all(merged.spec.column_for(key).type == "money" for key in keys)
    additive = money or indicator.eenheid not in NOT_ADDITIVE
    stock = indicator.soort == "stand" and additive and not money  # one number, not a sum
    fields = set(merged.afspraak_fields())

    def set_apart(column: str, record: Record, key: str, value: float, reden: str) -> None:
        nummer, eenheid = record.values.get("nummer"), record.values.get("eenheid")
        year = jaar if jaar is not None else year_of(key)
        what = maat or merged.header(key)
        apart.append(
            Apart(
                column, str(nummer or ""), indicator, str(eenheid or ""), what, year, value, reden
            )
        )

    found: dict[str, list[tuple[float, Record, str]]] = {}
    for source, record in merged.by_indicator.get(indicator_key(indicator), []):
        if merged.asks_of_others and record.rol != CORPORATIE_ROLE:
            continue
        if wanted is not None and not wanted(record):
            continue
        collective = merged.collective_of(record)
        for key in keys:
            value = record.values.get(key)
            if not isinstance(value, float):
                continue
            column = _column(source, record, collective, key, fields)
            if column is None:
                continue  # a collective afspraak's fixed value: counted at its first member
            if not money and record.values.get("eenheid") != indicator.eenheid:
                reden = f"andere eenheid dan die van de indicator ({indicator.eenheid})"
                set_apart(column or source.corporatie, record, key, value, reden)
            elif not column:
                partij = collective.partij if collective else ""
                reden = (
                    f"gezamenlijke afspraak van {partij}: de werkboeken geven verschillende waarden"
                )
                set_apart(source.corporatie, record, key, value, reden)
            else:
                found.setdefault(column, []).append((value, record, key))
    cells: dict[str, float] = {}
    counted: list[float] = []
    for column, entries in found.items():
        values = [value for value, _, _ in entries]
        if stock and len(set(values)) > 1:
            reden = (
                "stand: de afspraken van deze corporatie geven verschillende waarden; een "
                "voorraad wordt niet over afspraken opgeteld"
            )
            for value, record, key in entries:
                set_apart(column, record, key, value, reden)
            continue
        counted += values
        if stock:
            cells[column] = values[0]  # the same stock, named by more than one afspraak
        elif additive:
            cells[column] = sum(values)
        else:
            cells[column] = _mean(values)
    if not cells:
        return None
    row: list[object] = [cells.get(column) for column in merged.count_columns()]
    total = sum(cells.values()) if additive else None
    mean = None if additive else _mean(counted)
    return [*row, total, mean]


def _mean(values: list[float]) -> float:
    """The unweighted mean, to 9 decimals: a spreadsheet keeps 15 significant digits, so
    68.66666666666667 would not come back the same from LibreOffice."""
    return round(sum(values) / len(values), 9)


def _column(
    source: Source, record: Record, collective: Collective | None, key: str, fields: set[str]
) -> str | None:
    """Where a value of a record counts: its corporatie; COLLECTIVE for the fixed values of a
    collective afspraak (once: its first member) and for what the one party of a shared
    collective afspraak reports, when every workbook says the same; "" when they differ
    (listed apart); None to skip (a member that is not the first)."""
    if collective is None or (key not in fields and not collective.shared):
        return source.corporatie  # a collective afspraak's realisatie: each its own part
    if key not in fields:
        said = {r.values.get(key) for _, r in collective.members} - {None, ""}
        if len(said) > 1:
            return ""
    first = next(r for _, r in collective.members if isinstance(r.values.get(key), float))
    return COLLECTIVE if first is record else None

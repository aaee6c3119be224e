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
from pa_sheets.check.formulas import typed_formulas
from pa_sheets.check.read import Template
from pa_sheets.check.safety import DEFAULT_LIMITS, Limits
from pa_sheets.check.validate import expand_paths, inspect_file
from pa_sheets.check.validate import failed as failed_report
from pa_sheets.errors import InvalidInputs, MergeError, UsageError
from pa_sheets.merge.form import SMART_HEADER
from pa_sheets.parallel import map_files
from pa_sheets.spec.model import BASISBOD, Block, Indicator, Spec, load_spec, year_key

# The indicator list says so: percentages and report marks are never added up.
NOT_ADDITIVE = frozenset(["%", "rapportcijfer"])
NO_STATUS = "geen of onbekend"
AVERAGED = (
    "Per corporatie de som over haar afspraken met deze indicator. Percentages en "
    "rapportcijfers worden niet opgeteld: daar staat het gemiddelde, zonder totaal."
)
CORPORATIE_ROLE = "corporatie"


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
        keys: list[str] = []
        for block in blocks:
            for key in block.columns:
                column = self.spec.columns[key]
                expanded = [year_key(key, y) for y in self.years] if column.per_jaar else [key]
                keys += [k for k in expanded if k not in keys]
        return keys

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
        """Standard indicator code -> the afspraken that name it (by code or name)."""
        found: dict[str, list[tuple[Source, Record]]] = {}
        known: dict[object, Indicator | None] = {}  # a few names, on many rows
        for source, record in self.records(self.afspraak_blocks()):
            name = record.values.get("indicator")
            if name not in known:
                known[name] = self.spec.indicator(name) if isinstance(name, str) else None
            indicator = known[name]
            if indicator is not None:
                found.setdefault(indicator.code, []).append((source, record))
        return found

    def records(self, blocks: Iterable[Block] | None = None) -> Iterator[tuple[Source, Record]]:
        """Every record of every merged source, in output order; only those of `blocks`."""
        keys = None if blocks is None else {block.key for block in blocks}
        for source in self.sources:
            for record in source.records:
                if keys is None or record.block in keys:
                    yield source, record


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
    unique: dict[Path, Path] = {}  # a file named twice (also through its folder) is one input
    for path in expand_paths(paths):
        unique.setdefault(path.resolve(), path)
    files = list(unique.values())
    if not files:
        raise UsageError(f"geen werkboeken (.xlsx) gevonden in {', '.join(map(str, paths))}.")
    read = functools.partial(read_source, spec=spec, limits=limits)
    failed = lambda path, exc: Source(path, failed_report(path, exc))  # noqa: E731
    sources = map_files(read, files, workers=workers, progress=progress, failed=failed)
    return combine(sources, spec, allow_invalid=allow_invalid, latest=latest)


def read_source(path: Path, spec: Spec, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Validate one file and turn what was read into records; never raises for bad input."""
    inspection = inspect_file(path, spec, limits)
    data = inspection.data
    if data is None:
        return Source(path, inspection.report)
    with path.open("rb") as file:
        sha256 = hashlib.file_digest(file, "sha256").hexdigest()
    names = {party["kort"]: party["naam"] for party in data.meta.parties}
    formulas = typed_formulas(path, inspection.report.findings)
    records = []
    for block, clean in zip(data.blocks, inspection.clean, strict=True):
        keys = list(clean)
        # Values validation could not read (it reported them) go along as typed, by row.
        # So do formulas typed in input cells (V010), as text.
        lost: dict[int, list[str]] = {}
        for key in keys:
            for index, (value, typed) in enumerate(zip(clean[key], block.values[key], strict=True)):
                cell = cell_name(block.rows[index], block.columns.get(key, -1))
                typed = formulas.get((block.sheet, cell), typed)
                if (value is None or (block.sheet, cell) in formulas) and typed is not None:
                    lost.setdefault(index, []).append(f"{spec.header_for(key)}: {typed}")
        partij = names.get(block.meta.partij, block.meta.partij)
        for index, (row, *values) in enumerate(zip(block.rows, *clean.values(), strict=True)):
            records.append(
                Record(
                    block.key,
                    block.meta.thema,
                    block.meta.rol,
                    partij,
                    block.sheet,
                    row,
                    dict(zip(keys, values, strict=True)),
                    "; ".join(lost.get(index, ())),
                )
            )
    return Source(
        path,
        inspection.report,
        data.template,
        sha256,
        path.stat().st_mtime,
        data.meta.parties,
        data.meta.themas,
        list(dict.fromkeys((b.thema, b.rol, b.partij) for b in data.meta.blocks)),
        records,
    )


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
        raise InvalidInputs(
            f"{len(refused)} werkboek(en) niet in orde; laat de corporatie de fouten herstellen.",
            report,
        )
    if not chosen:
        raise MergeError("geen enkel werkboek kon worden gelezen; er is niets samen te voegen.")
    for source in unusable:
        source.note = "niet samengevoegd: het bestand kon niet worden gelezen"
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
    note: str = ""

    def add_totals(self, label: str, first: int) -> "Table":
        """Sum every column from `first` on; a column holding a None anywhere gets no total."""
        totals: list[object] = [label] + [None] * (len(self.header) - 1)
        for col in range(first, len(self.header)):
            cells = [row[col] for row in self.rows]
            if all(isinstance(cell, int | float) for cell in cells):
                totals[col] = sum(cells)  # type: ignore[arg-type]
        self.totals = totals
        return self


def afspraken_per_thema(merged: Merged) -> Table:
    """Afspraken (going concern and nieuw together) per thema and corporatie."""
    counts = Counter((s.corporatie, r.thema) for s, r in merged.records(merged.afspraak_blocks()))
    corporaties = merged.corporaties
    rows = [
        [f"{code} {naam}", *(counts[(c, code)] for c in corporaties)]
        for code, naam in merged.themas().items()
    ]
    for row in rows:
        row.append(sum(row[1:]))  # type: ignore[arg-type]
    return Table(
        "AfsprakenPerThema",
        "Afspraken per thema en corporatie",
        ["Thema", *corporaties, "Totaal"],
        rows,
    ).add_totals("Alle thema's", 1)


def per_corporatie(merged: Merged) -> Table:
    """Per corporatie: going concern, nieuw, the stoplicht and the SMART warnings left."""
    statuses, afspraak = _statuses(merged), _keys(merged.afspraak_blocks())
    rows = []
    for source in merged.sources:
        records = [r for r in source.records if r.block in afspraak]
        row: list[object] = [source.corporatie, source.template.l_nummer]  # type: ignore[union-attr]
        row += _split_and_stoplicht(merged, records, statuses)
        row.append(sum(f.code.startswith("M") for f in source.report.findings))
        rows.append(row)
    return Table(
        "PerCorporatie",
        "Per corporatie",
        ["Corporatie", "L-nummer", *_count_header(merged, statuses), SMART_HEADER],
        rows,
    ).add_totals("Gemeente", 2)


def per_thema_en_corporatie(merged: Merged) -> Table:
    """Going concern, nieuw and the stoplicht per thema and corporatie."""
    statuses, afspraak = _statuses(merged), _keys(merged.afspraak_blocks())
    rows = []
    for code, naam in merged.themas().items():
        for source in merged.sources:
            records = [r for r in source.records if r.thema == code and r.block in afspraak]
            row: list[object] = [f"{code} {naam}", source.corporatie]
            rows.append(row + _split_and_stoplicht(merged, records, statuses))
    return Table(
        "PerThemaEnCorporatie",
        "Per thema en corporatie",
        ["Thema", "Corporatie", *_count_header(merged, statuses)],
        rows,
    ).add_totals("Totaal", 2)


def standaardindicatoren(merged: Merged) -> Table:
    """Per standard indicator the target per corporatie (jaarschijf: streefwaarde; bod: the
    aantallen of all years), added up where the unit allows it."""
    if merged.kind == "jaarschijf":
        keys, what = ["streefwaarde"], "streefwaarde"
    else:
        keys, what = [f"aantal_{year}" for year in merged.years], "aantal, alle jaren samen"
    rows = []
    for indicator in merged.spec.indicators:
        row = _indicator_row(merged, indicator, keys)
        if row is not None:
            rows.append([indicator.code, indicator.naam, indicator.eenheid, *row])
    return Table(
        "Standaardindicatoren",
        f"Standaardindicatoren ({what})",
        ["Code", "Indicator", "Eenheid", *merged.corporaties, "Gemeente"],
        rows,
        note=AVERAGED,
    )


def kengetallen(merged: Merged) -> Table:
    """Standard indicators by corporatie: nulmeting, streefwaarde and realisatie (jaarschijf),
    or the aantal and investering of every year (bod)."""
    if merged.kind == "jaarschijf":
        year = merged.years[0]
        measures = [(key, year) for key in ("nulmeting", "streefwaarde", "realisatie")]
    else:
        measures = [
            (year_key(key, y), y) for key in ("aantal", "investering") for y in merged.years
        ]
    rows = []
    for indicator in merged.spec.indicators:
        for key, year in measures:
            row = _indicator_row(merged, indicator, [key])
            if row is not None:
                maat = merged.header(key).replace(f" {year}", "")
                rows.append([indicator.code, indicator.naam, indicator.eenheid, maat, year, *row])
    return Table(
        "Kengetallen",
        "Standaardindicatoren per corporatie",
        ["Code", "Indicator", "Eenheid", "Maat", "Jaar", *merged.corporaties, "Gemeente"],
        rows,
        note=AVERAGED,
    )


def investeringen(merged: Merged) -> Table | None:
    """Bod: the planned investments per thema and year, per corporatie (the tabs' money
    columns per year, as the Investeringen sheet of each bod adds them up)."""
    keys = merged.spec.templates[merged.kind].investment_columns
    if not keys:
        return None
    corporaties = merged.corporaties
    sums: Counter[tuple[str, int, str]] = Counter()
    for source, record in merged.records():
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
        "Investeringen per thema en jaar (EUR)",
        ["Thema", "Jaar", *corporaties, "Gemeente"],
        rows,
    ).add_totals("Totaal", 2)


def wederkerigheid(merged: Merged) -> Table:
    """Per thema how many afspraken each party carries; flag themes where only corporaties
    commit themselves."""
    parties = merged.parties()
    counts = Counter(
        (r.thema, r.rol, r.partij) for _, r in merged.records(merged.afspraak_blocks())
    )
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


def _keys(blocks: Iterable[Block]) -> set[str]:
    return {block.key for block in blocks}


def _statuses(merged: Merged) -> list[str]:
    """The stoplicht columns, when the template has a status column."""
    has_status = "status" in merged.columns(merged.afspraak_blocks())
    return [term.naam for term in merged.spec.statussen] + [NO_STATUS] if has_status else []


def _count_header(merged: Merged, statuses: list[str]) -> list[str]:
    return ["Going concern", "Nieuw", "Afspraken", *statuses]


def _split_and_stoplicht(
    merged: Merged, records: list[Record], statuses: list[str]
) -> list[object]:
    lopend = {block.key for block in merged.afspraak_blocks() if block.lopend}
    going = sum(r.block in lopend for r in records)
    row: list[object] = [going, len(records) - going, len(records)]
    if statuses:
        found = Counter(r.values.get("status") for r in records)
        known = statuses[:-1]
        row += [found[s] for s in known]
        row.append(len(records) - sum(found[s] for s in known))
    return row


def _indicator_row(merged: Merged, indicator: Indicator, keys: list[str]) -> list[object] | None:
    """The values of `keys` for afspraken with this indicator, per corporatie and for the
    gemeente: summed, or for a unit that cannot be added up the mean and no total. None when
    no corporatie has a value."""
    additive = indicator.eenheid not in NOT_ADDITIVE or all(
        merged.spec.column_for(key).type == "money" for key in keys
    )
    found: dict[str, list[float]] = {}
    for source, record in merged.by_indicator.get(indicator.code, []):
        for key in keys:
            value = record.values.get(key)
            if isinstance(value, float):
                found.setdefault(source.corporatie, []).append(value)
    if not found:
        return None
    per_corporatie: list[object] = [
        None
        if corporatie not in found
        else sum(found[corporatie])
        if additive
        else sum(found[corporatie]) / len(found[corporatie])
        for corporatie in merged.corporaties
    ]
    total = sum(v for v in per_corporatie if isinstance(v, float)) if additive else None
    return [*per_corporatie, total]

"""Combine the returned workbooks of the corporaties in one gemeente into what the gezamenlijk
overzicht shows.

The sources (sources.py) are checked to belong together, one per corporatie, and the lopende
afspraken that stand in several of them are found (collectives), so that each is counted once;
their copies are compared first (agreed.py), so that one that differs is not taken as agreed.
The tables of the summary sheets are computed from the records alone (tables.py,
indicator_tables.py), so each total is the sum of rows that are shown. Writing the workbook or
the long format is overview.py's and long.py's job: this module only decides what goes in.
"""

import functools
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pa_sheets.check.findings import Report
from pa_sheets.check.safety import DEFAULT_LIMITS, Limits
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.check.validate import failed as failed_report
from pa_sheets.errors import InvalidInputs, MergeError
from pa_sheets.merge.agreed import (
    Copies,
    Group,
    afspraak_fields,
    compare_copies,
    shared_nummers,
)
from pa_sheets.merge.sources import Record, Source, input_files, read_source
from pa_sheets.parallel import gc_paused, map_files
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import BASISBOD, Block, Indicator, Spec, load_spec, value_columns
from pa_sheets.spec.names import OWN_ROLES
from pa_sheets.spec.palette import UITEENLOPEND
from pa_sheets.workbook.meta import Facts

# A collective afspraak whose corporaties give it different statuses is counted once, here.
DIFFERENT_STATUS = UITEENLOPEND  # its look: spec/palette.py
# The column (or row) of the afspraken every corporatie has: counted once, not per corporatie.
COLLECTIVE = "Gezamenlijk"
# The parties of a corporatie's own workbook: each corporatie has its own. A collective
# afspraak on their tabs binds each of them; on the gemeente's or a partner's tab it is that
# one party's afspraak, the same in every workbook.
ALL_OF_ROLE = {"corporatie": "Alle corporaties", "huurdersorganisatie": "Alle huurdersorganisaties"}
# The code column of an indicator of the afspraken' own (not in indicatoren.yaml): it is added
# up only with rows of the same name and eenheid.
OWN_CODE = "eigen"


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


@dataclass(eq=False)  # one merge is itself: what is derived from it is kept by identity
class Merged:
    """What the overview shows: the merged sources in a fixed order, and the ones set aside."""

    spec: Spec
    sources: list[Source]
    set_aside: list[Source]
    # The afspraak rows of `sources` as combine read them to compare the copies (agreed.py),
    # for collectives to group: read once. Without them, collectives reads its own.
    copies: Copies | None = field(default=None, repr=False)

    @property
    def template(self) -> Facts:
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
        """The fixed columns that make a lopende afspraak what it is (agreed.afspraak_fields)."""
        return afspraak_fields(self.afspraak_blocks())

    @functools.cached_property
    def collectives(self) -> list[Collective]:
        """The lopende afspraken that stand, with the same nummer and fixed text, on the same
        tab (by thema and party, each corporatie's own party by its role) in the workbooks of
        more than one corporatie: one afspraak each; a new afspraak too when its scope is
        shared. A trekker that is the workbook's own corporatie or huurdersorganisatie counts
        by its role."""
        copies = self.copies
        if copies is None or sorted(map(id, copies.sources)) != sorted(map(id, self.sources)):
            copies = Copies(self.sources, self.spec)
        self.copies = None  # read once: not kept (some 60 MB at 1,000 workbooks)
        fields = copies.fields
        soort = fields.index("soort") if "soort" in fields else -1
        lopend = self._lopend_keys
        order = {id(source): index for index, source in enumerate(self.sources)}
        found: list[Collective] = []
        for where, group in copies.groups.items():
            alike = group.alike
            if soort >= 0 and where[0] not in lopend:  # a new afspraak has no soort
                alike = _without(alike, soort)
            for places in _alike(group, alike, copies):
                members = [group.copies[place] for place in places]
                if len({id(source) for source, _ in members}) == len(members) > 1:
                    members.sort(key=lambda member: order[id(member[0])])
                    found.append(Collective(members))
        # In the order of their first record, as the sources hold them.
        first = {order[id(c.members[0][0])] for c in found}
        at = {id(r): i for index in first for i, r in enumerate(self.sources[index].records)}
        return sorted(found, key=lambda c: (order[id(c.members[0][0])], at[id(c.record)]))

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
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> Merged:
    """Validate and read every workbook (folders expanded; against the gemeente's `config`
    or the workbooks as `sent` too, when given) and decide what the overview holds. Raises
    MergeError for inputs that do not belong together and InvalidInputs for inputs with
    errors (unless `allow_invalid`).

    Example: merge_paths([Path("terug/")], latest=True).corporaties
    """
    spec = spec or load_spec()
    files = input_files(paths)
    read = functools.partial(read_source, spec=spec, limits=limits, config=config, sent=sent)
    failed = lambda path, exc: Source(path, failed_report(path, exc))  # noqa: E731
    with gc_paused():
        sources = map_files(read, files, workers=workers, progress=progress, failed=failed)
        return combine(
            sources, spec, allow_invalid=allow_invalid, latest=latest, config=config, sent=sent
        )


def combine(
    sources: list[Source],
    spec: Spec,
    *,
    allow_invalid: bool = False,
    latest: bool = False,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> Merged:
    """The sources that go into the overview, in a fixed order whatever the order of input.
    `config`: the gemeente's config the sources were compared with: it names the afspraken
    every workbook shares, and the refusal's report names it (and the folder of the workbooks
    as `sent`, when they were compared with those)."""
    unusable = [s for s in sources if s.template is None]
    readable = [s for s in sources if s.template is not None]
    _check_together(readable)
    chosen, replaced = _one_per_corporatie(readable, latest)
    shared = shared_nummers(config) if config is not None else ()
    copies = Copies(chosen, spec)  # their afspraak rows read once: compared, then counted
    differing = check_shared_text(copies, shared)
    refused = [s for s in unusable + chosen if not s.valid]
    if refused and not allow_invalid:
        report = Report(
            [s.report for s in sorted(refused, key=lambda s: str(s.path))],
            config=config.path if config is not None else None,
            sent=sent.folder if sent is not None else None,
        )
        invalid, why = len(refused) - len(unusable), []
        if invalid:  # a corporatie's own workbook with mistakes: it can mend them
            why.append(f"{invalid} werkboek(en) niet in orde: laat de corporatie ze herstellen")
        if differing:  # a shared afspraak is not what the others say: not agreed
            why.append(f"{differing} verschil(len) in gedeelde afspraken tussen de werkboeken")
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
    return Merged(spec, chosen, set_aside, copies)


def check_shared_text(copies: Copies, shared: Collection[str] = ()) -> int:
    """Compare the copies of the lopende afspraken that several workbooks share (agreed.py);
    a copy that differs gets a finding and is not in orde. `shared`: the nummers a gemeente's
    config puts in every workbook. Returns the number of differences (cells, missing rows)."""
    return len(compare_copies(copies, shared))


def _check_together(sources: list[Source]) -> None:
    """One gemeente, one kind, the same years and spec: else name the files that differ."""
    aspects: list[tuple[str, Callable[[Facts], object]]] = [
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


def _alike(
    group: Group, alike: dict[tuple[object, ...], list[int]], copies: Copies
) -> Iterator[list[int]]:
    """The copies of a group (their places in it, two or more) that are one afspraak: their
    fixed values (`alike`: values -> places) the same as written, or with each workbook's own
    parties by their role. A row naming the corporaties by name (Volkshuisvesting, Vivare,
    Portaal) reads the same in every workbook as written, while a row naming 'corporatie'
    reads the same by role; either is one afspraak. A copy whose scope makes it each
    corporatie's own is none."""
    forms = list(alike.values())
    if group.own_scope:
        forms = [[p for p in places if p not in group.own_scope] for places in forms]
    # Values alike by role are alike in every cell but those that name parties: only the
    # forms that share those with another can be one with it; the others stand alone.
    rests = list(map(copies.rest, alike))
    if len(set(rests)) == len(rests):  # no two share them: each stands alone
        yield from (places for places in forms if len(places) > 1)
        return
    count = Counter(rests)
    yield from (p for p, rest in zip(forms, rests, strict=True) if count[rest] == 1 and len(p) > 1)
    maybe = [form for form, rest in enumerate(rests) if count[rest] > 1]
    parent = {form: form for form in maybe}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    written = list(alike)
    first: dict[tuple[object, ...], int] = {}  # by role -> the first form that reads so
    for index, role, _ in copies.by_role(group, [(written[f], forms[f]) for f in maybe]):
        form = maybe[index]
        other = first.setdefault(role, form)
        if other != form:
            parent[root(form)] = root(other)
    found: dict[int, list[int]] = {}
    for form in maybe:
        found.setdefault(root(form), []).extend(forms[form])
    yield from (sorted(places) for places in found.values() if len(places) > 1)


def _without(
    alike: dict[tuple[object, ...], list[int]], at: int
) -> dict[tuple[object, ...], list[int]]:
    """The copies alike (values -> their places) without the value at `at`: a new afspraak's
    soort, which it does not have."""
    found: dict[tuple[object, ...], list[int]] = {}
    for values, places in alike.items():
        found.setdefault((*values[:at], None, *values[at + 1 :]), []).extend(places)
    for places in found.values():
        places.sort()
    return found

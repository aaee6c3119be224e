"""Shared agreed text: a lopende afspraak that stands in the workbooks of several corporaties is
one agreement, so its fixed text and values must be the same in every copy.

Each workbook's own fingerprints (validate's X005) only say that a copy is as its own `_meta`
says it was made; a party that changes a shared afspraak and its `_meta` passes them. So merge
compares the copies with each other: every fixed cell in which a copy differs from the others
is a finding (MERGE_CODES) in that copy's report, naming its sheet and cell, what it says and
what the others say. The workbook is then not in orde: merge refuses it (exit 1) unless
--allow-invalid, which marks its rows and lists the differences first on the overview's
summary; publish and rollover refuse it. With the config, a shared afspraak that some
workbooks carry and one does not is named too (its row deleted with its fingerprint).

Which afspraken are shared? The workbooks do not say, and two corporaties may each have an
afspraak of their own under the same nummer on their own tab (a config may number them alike;
after rollover their new afspraken often are). So a group of copies with the same nummer on
the same tab (each corporatie's own parties by their role) is compared when
* the gemeente's config puts the afspraak in every workbook (`corporatie: alle`), or
* a copy's scope says its target is shared (alle corporaties, gemeente), or
* more than half of the copies are the same in every fixed cell (what merge counts once
  under 'Alle corporaties'): a copy that differs from them claims the same afspraak with other
  text. Two identical copies among thirty different ones are a coincidence of afspraken of
  their own, not a shared one that twenty-eight corporaties changed.
Without a config, two workbooks that each say something else of an afspraak under one nummer
cannot be told from two afspraken of their own; with three or more, the copies that agree show
which one was changed.
"""

from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from pa_sheets.check.findings import Finding, finding
from pa_sheets.merge.sources import Record, Source
from pa_sheets.numbers import shown
from pa_sheets.spec.config import ALLE, Config, party_names, renamed_parties
from pa_sheets.spec.model import Block, Spec, value_columns
from pa_sheets.spec.names import OWN_FIXED_COLUMNS, OWN_ROLES

DIFFERENT, MISSING = "X020", "X021"
MERGE_CODES = (DIFFERENT, MISSING)  # the findings only a merge can give: they compare workbooks
PARTY_KEYS = ("trekker", "betrokken")
# The column types of the figures of an afspraak: copies of one version have the same ones.
FIGURE_TYPES = ("decimal", "year")

if TYPE_CHECKING:
    from pa_sheets.merge.combine import Merged
    from pa_sheets.merge.tables import Table

Copy = tuple[Source, Record]


def shared_nummers(config: Config) -> set[str]:
    """The nummers of the lopende afspraken the config puts in every corporatie's workbook."""
    return {row.nummer for row in config.lopend if row.corporatie == ALLE}


def mark_differences(
    sources: list[Source], spec: Spec, shared: Collection[str] = ()
) -> list[Finding]:
    """Compare the copies of every shared lopende afspraak across `sources` (one per
    corporatie, read), and add a finding to the report of each copy that differs. `shared`:
    the nummers a config puts in every workbook (shared_nummers). Returns the findings added.

    Example: mark_differences(merged.sources, load_spec(), shared_nummers(config))
    """
    return compare_copies(Copies(sources, spec), shared)


def compare_copies(copies: "Copies", shared: Collection[str] = ()) -> list[Finding]:
    """mark_differences on the rows already read: merge reads them once for this and for
    Merged.collectives."""
    read, spec = copies.sources, copies.spec
    lopend = [block for block in copies.blocks if block.lopend]
    if len(read) < 2 or not lopend:
        return []
    fields = copies.fields
    places = {
        block.key: value_columns(spec, [block], read[0].template.years)  # type: ignore[union-attr]
        for block in lopend
    }
    groups = {where: group for where, group in copies.groups.items() if where[0] in places}
    folded = _Folded()  # the copies of an afspraak repeat their texts: each folded once
    figures = _picker(
        [i for i, key in enumerate(fields) if spec.column_for(key).type in FIGURE_TYPES]
    )
    added = _missing(read, groups, shared)
    for group in groups.values():
        if group.twice or len(group.copies) < 2:
            continue  # one workbook twice: X001 says so; not a matter between workbooks
        if len(group.alike) == 1:
            continue  # the same as written: a row naming the corporaties by their own names
        nummer = str(group.copies[0][1].values.get("nummer"))
        by_majority = nummer not in shared and not group.scoped  # shared if most agree
        if by_majority and _no_majority(group, figures):
            continue  # afspraken of their own that share a nummer: no majority says otherwise
        forms = _versions(list(group.alike), folded)  # in the order of group.alike
        if len(set(forms)) == 1:
            continue  # the same but for whitespace
        # Copies alike by role are alike in every cell but those that name parties.
        if by_majority and max(_held(group, forms, copies.rest).values()) * 2 <= len(group.copies):
            continue  # afspraken of their own that share a nummer: no majority says otherwise
        roles = list(copies.by_role(group, zip(forms, group.alike.values(), strict=True)))
        counts: Counter[tuple[object, ...]] = Counter()
        for _, role, at in roles:
            counts[role] += len(at)
        if len(counts) == 1:
            continue
        most, top = counts.most_common(1)[0]
        if by_majority and top * 2 <= len(group.copies):
            continue  # afspraken of their own that share a nummer: no majority says otherwise
        versions: list[tuple[object, ...]] = [()] * len(group.copies)
        for _, role, at in roles:
            for place in at:
                versions[place] = role
        tied = sum(1 for count in counts.values() if count == top) > 1
        agreed = None if tied else most
        for (source, record), version in zip(group.copies, versions, strict=True):
            if version == agreed:
                continue
            new = _findings(
                source, record, version, group.copies, versions, agreed, fields, places, spec
            )
            source.report.findings.extend(new)
            added += new
    return added


def afspraak_fields(blocks: list[Block]) -> list[str]:
    """The fixed columns that make a lopende afspraak what it is (nummer, text, type,
    indicator, targets), of the afspraak blocks of a kind: fixed in its block, but not in the
    block of new afspraken. Last year's status is fixed too, and is each corporatie's own."""
    lopend = [block for block in blocks if block.lopend]
    if not lopend:
        return []
    other = set().union(*(block.fixed for block in blocks if not block.lopend))
    return [key for key in lopend[0].columns if key in lopend[0].fixed - other - OWN_FIXED_COLUMNS]


class Group:
    """The copies of one afspraak on one tab with one nummer (Copies), in the order of the
    sources; a copy is named by its place in `copies`."""

    __slots__ = ("alike", "copies", "own_scope", "scoped", "twice")

    def __init__(self) -> None:
        self.copies: list[Copy] = []
        # Each copy's fixed values as written -> the copies that hold them (their places).
        self.alike: dict[tuple[object, ...], list[int]] = {}
        self.twice = False  # a workbook has it twice: X001 says so
        self.scoped = False  # a copy's scope says its target is shared
        self.own_scope: set[int] = set()  # the copies whose scope says: this corporatie's own


class Copies:
    """The afspraak rows with a nummer of the sources that were read, read once for both
    questions merge asks of them: are the copies of a shared lopende afspraak the same
    (mark_differences: the lopende ones), and which afspraken stand in several workbooks as
    one, counted once (Merged.collectives: a new afspraak too, only when its scope says it is
    shared; so the others are left out).

    `groups`: per tab and nummer (block, thema, party, nummer), each corporatie's own party by
    its role, so 'BS Linde' in Linde's workbook and 'BS Baken' in Baken's are one tab. Read
    workbook by workbook, twice as fast as group by group (a row's values are near each other
    in memory)."""

    def __init__(self, sources: Iterable[Source], spec: Spec) -> None:
        self.spec = spec
        self.sources = [source for source in sources if source.template is not None]
        kind = self.sources[0].template.kind if self.sources else None  # type: ignore[union-attr]
        blocks = spec.templates[kind].blocks if kind is not None else []
        self.blocks = [block for block in blocks if block.soort is not None]
        self.fields = afspraak_fields(self.blocks)
        # Per workbook, its party cells by role: the same few trekkers on many rows.
        self.renamed = {id(source): PartiesByRole(source) for source in self.sources}
        self.named = [index for index, key in enumerate(self.fields) if key in PARTY_KEYS]
        # The cells by-role values have in common with the values as written: all but those.
        self.rest = _picker([i for i in range(len(self.fields)) if i not in self.named])
        self._names_own = _NamesOwn(
            set().union(*(parties.own for parties in self.renamed.values()))
        )
        self.groups: dict[tuple[object, ...], Group] = {}
        self._read(set(spec.joint_scopes()))

    def by_role(
        self, group: Group, forms: Iterable[tuple[tuple[object, ...], list[int]]]
    ) -> Iterator[tuple[int, tuple[object, ...], list[int]]]:
        """For each of `forms` (values, and the places in `group` of the copies that hold
        them), by its index: the values with each workbook's own corporatie and
        huurdersorganisatie by their role in the cells that name parties, and the places of the
        copies that read so ('Gemeente X, Linde' in Linde's workbook and 'Gemeente X, Baken' in
        Baken's both read 'Gemeente X, corporatie'). Values that name no workbook's own party
        read the same in each: worked out once, not per copy."""
        copies, renamed, named = group.copies, self.renamed, self.named
        for form, (values, places) in enumerate(forms):
            if not places:
                continue  # none left (collectives leaves out each corporatie's own)
            if not self._names_own.named_in(values, named):
                yield form, values, places
                continue
            split: dict[tuple[object, ...], list[int]] = {}
            for place in places:
                role = _by_role(values, renamed[id(copies[place][0])], named)
                split.setdefault(role, []).append(place)
            for role, at in split.items():
                yield form, role, at

    def _read(self, joint: set[str]) -> None:
        """Group the rows: a lopende afspraak with a nummer, a new one when shared by scope."""
        lopend = {block.key for block in self.blocks if block.lopend}
        new = {block.key for block in self.blocks} - lopend
        fixed, groups, seen = _picker(self.fields), self.groups, set()
        for source in self.sources:
            again = id(source) in seen  # the same workbook given twice
            seen.add(id(source))
            for record in source.records:
                values, block = record.values, record.block
                nummer = values.get("nummer")
                if not nummer:
                    continue
                scope = values.get("scope")
                if block not in lopend and (block not in new or scope not in joint):
                    continue
                party = record.rol if record.rol in OWN_ROLES else record.partij
                where = (block, record.thema, party, nummer)
                group = groups.get(where)
                if group is None:
                    groups[where] = group = Group()
                copies = group.copies
                if copies and (again or copies[-1][0] is source):
                    group.twice = True
                try:
                    written = fixed(values)
                except KeyError:  # a row of an overview holds only its filled cells
                    written = tuple(map(values.get, self.fields))
                places = group.alike.get(written)
                if places is None:
                    group.alike[written] = [len(copies)]
                else:
                    places.append(len(copies))
                if scope in joint:
                    group.scoped = True
                elif scope:
                    group.own_scope.add(len(copies))
                copies.append((source, record))


def _picker(keys: Sequence[Hashable]) -> Callable[[Any], tuple[object, ...]]:
    """A function that gives the items at `keys` of a row as one tuple: itemgetter's, also
    for one key or none."""
    if len(keys) > 1:
        return itemgetter(*keys)
    return lambda row: tuple(row[key] for key in keys)


def _held(
    group: Group, forms: Iterable[tuple[object, ...]], key: Callable[[Any], tuple[object, ...]]
) -> Counter[tuple[object, ...]]:
    """How many copies of the group hold each `key` of their values (`forms`: the values of
    group.alike, in its order, or their versions)."""
    if len(group.alike) == len(group.copies):  # each copy's values its own
        return Counter(map(key, forms))
    counts: Counter[tuple[object, ...]] = Counter()
    for values, places in zip(forms, group.alike.values(), strict=True):
        counts[key(values)] += len(places)
    return counts


def _no_majority(group: Group, figures: Callable[[Any], tuple[object, ...]]) -> bool:
    """Whether no version of these copies (their fixed values as written) can be held by more
    than half of them, seen from their figures (`figures`: the cells that hold a number or a
    year, a text there read as ""): folding whitespace and naming parties by role change
    texts only, so the copies of one version agree in those. Cheaper than working out the
    versions, for the groups of each corporatie's own afspraken under one nummer."""
    counts: Counter[tuple[object, ...]] = Counter()
    for figure, count in _held(group, group.alike, figures).items():
        if any(isinstance(value, str) for value in figure):
            figure = tuple(["" if isinstance(value, str) else value for value in figure])
        counts[figure] += count
    return max(counts.values()) * 2 <= len(group.copies)


def _missing(
    sources: list[Source], groups: dict[tuple[object, ...], Group], shared: Collection[str]
) -> list[Finding]:
    """A lopende afspraak the config puts in every workbook, carried by some and not by
    another: that one lost it (the row and its fingerprint deleted)."""
    added = []
    for (_, thema, party, nummer), group in groups.items():
        if nummer not in shared:
            continue
        copies = group.copies
        having = {id(source) for source, _ in copies}
        for source in sources:
            if id(source) in having or not _has_tab(source, str(thema), str(party)):
                continue  # carried, or its party has no tab here (a corporatie without
                # huurdersorganisatie, a samenwerkingsverband it is not part of)
            # Its tab: where this workbook has other rows of the same thema and party.
            sheet = next(
                (
                    r.sheet
                    for r in source.records
                    if (r.thema, r.rol if r.rol in OWN_ROLES else r.partij) == (thema, party)
                ),
                None,
            )
            detail = _joined([s.corporatie for s, _ in copies])
            found = finding(MISSING, sheet=sheet, value=nummer, detail=detail)
            source.report.findings.append(found)
            added.append(found)
    return added


def _has_tab(source: Source, thema: str, party: str) -> bool:
    """Whether the workbook has a tab for this thema and party (an own party by its role,
    another by its naam)."""
    if party in OWN_ROLES:
        return any(t == thema and rol == party for t, rol, _ in source.tabs)
    names = {p["naam"] for p in source.parties if party in (p["naam"], p["kort"])} | {party}
    korts = {p["kort"] for p in source.parties if p["naam"] in names} | names
    return any(t == thema and (named in korts) for t, _, named in source.tabs)


def _versions(written: list[tuple[object, ...]], folded: "_Folded") -> list[tuple[object, ...]]:
    """The copies' fixed values as written (a list of tuples of the same length), in versions.
    Whitespace in a text counts as one space, as for the fingerprints (X005): it does not
    change what was agreed. Column by column: a column holds a few texts, on many rows."""
    columns = list(zip(*written, strict=True))
    for index, column in enumerate(columns):
        texts = {value for value in set(column) if isinstance(value, str)}
        changed = {text: folded[text] for text in texts if folded[text] != text}
        if changed:
            columns[index] = tuple(map(changed.get, column, column))
    return list(zip(*columns, strict=True))


def _by_role(version: tuple[object, ...], own: "PartiesByRole", named: list[int]) -> tuple:
    """A copy's version with its own corporatie and huurdersorganisatie (`own`) by their role
    in the cells that name parties (at `named`), as combine.py groups the collective
    afspraken."""
    values = list(version)
    changed = False
    for index in named:
        value = values[index]
        if isinstance(value, str):
            values[index] = renamed = own[value]
            changed = changed or renamed != value
    return tuple(values) if changed else version


class _Folded(dict[str, str]):
    """Text -> the text with its whitespace folded to single spaces, worked out once each."""

    def __missing__(self, text: str) -> str:
        self[text] = folded = " ".join(text.split())
        return folded


class _NamesOwn(dict[str, bool]):
    """Party cell -> whether it names an own corporatie or huurdersorganisatie of any of the
    workbooks (`names`): only such a cell reads otherwise by role. Worked out once per cell."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names

    def __missing__(self, cell: str) -> bool:
        self[cell] = found = any(name in self.names for name in party_names(cell))
        return found

    def named_in(self, values: tuple[object, ...], named: list[int]) -> bool:
        """Whether the party cells of these values (at `named`) name one."""
        for index in named:
            cell = values[index]
            if isinstance(cell, str) and self[cell]:
                return True
        return False


class PartiesByRole(dict[str, str]):
    """A workbook's party cell -> the cell with its own corporatie and huurdersorganisaties by
    their role: 'Gemeente X, Linde' in Linde's workbook and 'Gemeente X, Baken' in Baken's
    both read 'Gemeente X, corporatie'. Worked out once per cell: the same few trekkers stand
    on many rows."""

    def __init__(self, source: Source) -> None:
        super().__init__()
        self.own = {p["naam"]: p["rol"] for p in source.parties if p["rol"] in OWN_ROLES}

    def __missing__(self, cell: str) -> str:
        self[cell] = renamed = renamed_parties(cell, self.own)
        return renamed


def _findings(
    source: Source,
    record: Record,
    version: tuple[object, ...],
    copies: list[Copy],
    versions: list[tuple[object, ...]],
    agreed: tuple[object, ...] | None,
    fields: list[str],
    places: dict[str, list[str]],
    spec: Spec,
) -> list[Finding]:
    """One finding per fixed cell in which this copy differs: from the agreed version (held by
    more copies than any other), or, when none is, from each other copy."""
    found = []
    nummer = record.values.get("nummer")
    for index, key in enumerate(fields):
        if agreed is not None:
            others = [(agreed[index], _names(copies, versions, agreed))]
        else:
            said: dict[object, list[str]] = {}
            for (other, _), theirs in zip(copies, versions, strict=True):
                if other is not source:
                    said.setdefault(theirs[index], []).append(other.corporatie)
            others = [(value, _joined(names)) for value, names in said.items()]
        others = [(value, names) for value, names in others if value != version[index]]
        if not others:
            continue
        found.append(
            finding(
                DIFFERENT,
                sheet=record.sheet,
                row=record.row,
                # where this workbook has it (its own _meta), else where the spec puts it
                col=record.columns.get(key, places[record.block].index(key)),
                column=spec.header_for(key),
                value=record.values.get(key),
                nummer=nummer,
                found=_said(record.values.get(key)),
                detail="; ".join(f"{names}: {_said(value)}" for value, names in others),
            )
        )
    return found


def _names(copies: list[Copy], versions: list[tuple[object, ...]], agreed: tuple) -> str:
    """The corporaties whose copy is the agreed version, as 'Baken en Stadswonen'."""
    return _joined(
        [s.corporatie for (s, _), v in zip(copies, versions, strict=True) if v == agreed]
    )


def _joined(names: list[str]) -> str:
    """'A', 'A en B', 'A, B en C'."""
    return ", ".join(names[:-1]) + " en " + names[-1] if len(names) > 1 else names[0]


def _said(value: object) -> str:
    """A value as the message quotes it: a text in quotes, an empty cell as (leeg)."""
    if value is None or value == "":
        return "(leeg)"
    return repr(value) if isinstance(value, str) else str(shown(value))


def differences_table(merged: "Merged") -> "Table | None":
    """The cells in which a workbook's copy of a shared afspraak differs from the others', for
    the top of the overview's summary: merged with --allow-invalid, they are not agreed."""
    from pa_sheets.merge.tables import Table  # tables.py reads combine.py, which reads this

    rows: list[list[object]] = []
    for source in merged.sources:
        nummers: dict[tuple[object, object], object] = {
            (r.sheet, r.row): r.values.get("nummer") for r in source.records
        }
        for item in source.report.findings:
            if item.code in MERGE_CODES:
                at = (item.sheet, item.row)
                nummer = nummers.get(at, "") if item.code == DIFFERENT else item.value
                rows.append(
                    [source.corporatie, nummer, item.sheet, item.cell, item.column, item.message]
                )
    if not rows:
        return None
    header = ["Corporatie", "Nummer", "Blad", "Cel", "Kolom", "Melding"]
    note = (
        "Deze afspraken staan in meer werkboeken, maar niet overal hetzelfde: wat hier staat is "
        "niet afgesproken. Samengevoegd met --allow-invalid; publish weigert ze."
    )
    return Table("GedeeldVerschilt", "Gedeelde afspraken die verschillen", header, rows, note=note)

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
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from pa_sheets.check.findings import Finding, finding
from pa_sheets.merge.sources import Record, Source
from pa_sheets.numbers import shown
from pa_sheets.spec.config import ALLE, Config, renamed_parties
from pa_sheets.spec.model import Spec, value_columns
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
    read = [source for source in sources if source.template is not None]
    if len(read) < 2:
        return []
    kind = read[0].template.kind  # type: ignore[union-attr]
    blocks = [b for b in spec.templates[kind].blocks if b.soort is not None]
    lopend = [block for block in blocks if block.lopend]
    if not lopend:
        return []
    other = set().union(*(block.fixed for block in blocks if not block.lopend))
    fields = [
        key for key in lopend[0].columns if key in lopend[0].fixed - other - OWN_FIXED_COLUMNS
    ]
    places = {
        block.key: value_columns(spec, [block], read[0].template.years)  # type: ignore[union-attr]
        for block in lopend
    }
    joint = set(spec.joint_scopes())
    groups, written_as = _groups(read, set(places), fields)
    folded = _Folded()  # the copies of an afspraak repeat their texts: each folded once
    named = [index for index, key in enumerate(fields) if key in PARTY_KEYS]
    figures = [i for i, key in enumerate(fields) if spec.column_for(key).type in FIGURE_TYPES]
    # Per workbook, its party cells by role: the same few trekkers on many rows.
    by_role = {id(source): PartiesByRole(source) for source in read}
    added = _missing(read, groups, shared)
    for where, copies in groups.items():
        if len({id(source) for source, _ in copies}) != len(copies) or len(copies) < 2:
            continue  # one workbook twice: X001 says so; not a matter between workbooks
        raw = written_as[where]
        distinct = set(raw)
        if len(distinct) == 1:
            continue  # the same as written: a row naming the corporaties by their own names
        nummer = str(copies[0][1].values.get("nummer"))
        scoped = any(record.values.get("scope") in joint for _, record in copies)
        if nummer not in shared and not scoped and _no_majority(raw, figures):
            continue  # afspraken of their own that share a nummer: no majority says otherwise
        version_of = {values: _version(values, folded) for values in distinct}
        written = [version_of[values] for values in raw]
        if len(set(written)) == 1:
            continue  # the same but for whitespace
        versions = [
            _by_role(version, by_role[id(source)], named)
            for (source, _), version in zip(copies, written, strict=True)
        ]
        counts = Counter(versions)
        if len(counts) == 1:
            continue
        most, top = counts.most_common(1)[0]
        if nummer not in shared and not scoped and top * 2 <= len(copies):
            continue  # afspraken of their own that share a nummer: no majority says otherwise
        tied = sum(1 for count in counts.values() if count == top) > 1
        agreed = None if tied else most
        for (source, record), version in zip(copies, versions, strict=True):
            if version == agreed:
                continue
            new = _findings(source, record, version, copies, versions, agreed, fields, places, spec)
            source.report.findings.extend(new)
            added += new
    return added


def _no_majority(raw: list[tuple[object, ...]], figures: list[int]) -> bool:
    """Whether no version of these copies (raw: their fixed values as written) can be held by
    more than half of them, seen from their figures (at `figures`: the cells that hold a
    number or a year, a text there read as ""): folding whitespace and naming parties by
    role change texts only, so the copies of one version agree in those. Cheaper than
    working out the versions, for the groups of each corporatie's own afspraken under one
    nummer."""
    counts = Counter(
        tuple(["" if isinstance(values[i], str) else values[i] for i in figures]) for values in raw
    )
    return max(counts.values()) * 2 <= len(raw)


def _missing(
    sources: list[Source], groups: dict[tuple[object, ...], list[Copy]], shared: Collection[str]
) -> list[Finding]:
    """A lopende afspraak the config puts in every workbook, carried by some and not by
    another: that one lost it (the row and its fingerprint deleted)."""
    added = []
    for (_, thema, party, nummer), copies in groups.items():
        if nummer not in shared:
            continue
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


def _groups(
    sources: Iterable[Source], lopend: set[str], fields: list[str]
) -> tuple[dict[tuple[object, ...], list[Copy]], dict[tuple[object, ...], list[tuple]]]:
    """The copies of each lopende afspraak by tab and nummer: each corporatie's own parties by
    their role, so 'BS Linde' in Linde's workbook and 'BS Baken' in Baken's are one tab. And
    per group the fixed values (`fields`) of each copy as written: read here, workbook by
    workbook, twice as fast as group by group (a row's values are near each other in memory)."""
    groups: dict[tuple[object, ...], list[Copy]] = {}
    written: dict[tuple[object, ...], list[tuple]] = {}
    for source in sources:
        for record in source.records:
            get = record.values.get
            nummer = get("nummer")
            if record.block not in lopend or not nummer:
                continue
            party = record.rol if record.rol in OWN_ROLES else record.partij
            key = (record.block, record.thema, party, nummer)
            if key in groups:
                groups[key].append((source, record))
                written[key].append(tuple(map(get, fields)))
            else:
                groups[key] = [(source, record)]
                written[key] = [tuple(map(get, fields))]
    return groups, written


def _version(values: tuple[object, ...], folded: "_Folded") -> tuple[object, ...]:
    """A copy's fixed values as written. Whitespace in a text counts as one space, as for the
    fingerprints (X005): it does not change what was agreed."""
    return tuple([folded[value] if isinstance(value, str) else value for value in values])


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

"""One rule for folding the rows of several corporaties' workbooks into one afspraak.

A lopende afspraak that stands in the workbook of every corporatie (combine.Collective) is one
agreement: its fixed text is the same in every copy (agreed.py compares them), so the text,
type, indicator, targets and bijdrage are taken from the agreement, never from "the first
workbook". What each corporatie reports on it (status, realisatie, toelichting, last year's
status) is its own, and is kept per corporatie, side by side. The trekker is the agreed one:
the party named in the fixed text (as the gemeente's config wrote it), with each corporatie's
own corporatie or huurdersorganisatie by its role, so a row for all corporaties reads "Alle
corporaties" and never names one of them.

publish (the page and the open data) and the overview's Wederkerigheid count by this rule; the
summary's tables count a collective once through Merged.counted, which this builds on.
"""

from dataclasses import dataclass

from pa_sheets.merge.combine import ALL_OF_ROLE, COLLECTIVE, DIFFERENT_STATUS, Collective, Merged
from pa_sheets.merge.sources import Record, Source
from pa_sheets.spec.config import renamed_parties
from pa_sheets.spec.names import OWN_ROLES

PARTY_KEYS = ("trekker", "betrokken")


@dataclass(frozen=True)
class Share:
    """One corporatie's part in an afspraak: its workbook's copy of the row."""

    corporatie: str
    l_nummer: str
    source: Source
    record: Record


@dataclass(frozen=True)
class Folded:
    """One afspraak as it is published: the agreed values, and per corporatie what it
    reports. `column` is the corporatie, or COLLECTIVE for one that every corporatie has."""

    column: str
    shares: tuple[Share, ...]  # one per corporatie, in the order of merged.sources
    agreed: dict[str, object]  # the fixed values, the parties by their agreed names
    collective: Collective | None = None

    @property
    def record(self) -> Record:
        """Where the afspraak stands (block, thema, rol, partij): the same in every copy."""
        return self.shares[0].record

    @property
    def thema(self) -> str:
        return self.record.thema

    @property
    def partij(self) -> str:
        """The party whose tab it stands on; for all corporaties 'Alle corporaties'."""
        return self.collective.partij if self.collective else self.record.partij

    @property
    def shared(self) -> bool:
        return self.collective is not None

    def value(self, key: str) -> object:
        """The agreed value of a fixed column; for a column each corporatie fills in, the
        value when every corporatie gives the same one, else None (see per_corporatie)."""
        if key in self.agreed:
            return self.agreed[key]
        found = {_hashable(s.record.values.get(key)) for s in self.shares}
        return self.shares[0].record.values.get(key) if len(found) == 1 else None

    def per_corporatie(self, key: str) -> dict[str, object]:
        """Corporatie -> the value its workbook gives `key`, in the order of the sources."""
        return {share.corporatie: share.record.values.get(key) for share in self.shares}

    def status(self, key: str = "status") -> object:
        """The status all corporaties give it, or DIFFERENT_STATUS."""
        found = {share.record.values.get(key) for share in self.shares}
        return found.pop() if len(found) == 1 else DIFFERENT_STATUS


def fold(merged: Merged, blocks: list | None = None) -> list[Folded]:
    """Every afspraak once (merged.counted's order), each with its shares and agreed values.

    Example: [f.agreed["trekker"] for f in fold(merged) if f.shared]
    """
    blocks = merged.afspraak_blocks() if blocks is None else blocks
    fixed = set(merged.afspraak_fields())
    source_of = {id(r): s for s in merged.sources for r in s.records}
    folded = []
    for column, record, collective in merged.counted(blocks):
        members = collective.members if collective else [(source_of[id(record)], record)]
        shares = tuple(
            Share(s.corporatie, s.template.l_nummer if s.template else "", s, r) for s, r in members
        )
        if collective is None:
            agreed = {k: v for k, v in record.values.items() if k in fixed}
        else:
            agreed = _agreed(collective, fixed)
        folded.append(Folded(column, shares, agreed, collective))
    return folded


def agreed_party(cell: object, source: Source) -> object:
    """A trekker or betrokken cell of one corporatie's copy as all copies share it: its own
    corporatie 'Alle corporaties', its own huurdersorganisatie 'Alle huurdersorganisaties'."""
    if not isinstance(cell, str):
        return cell
    own = {p["naam"]: ALL_OF_ROLE[p["rol"]] for p in source.parties if p["rol"] in OWN_ROLES}
    return renamed_parties(cell, own)


def _agreed(collective: Collective, fixed: set[str]) -> dict[str, object]:
    """The fixed values of a collective: each is the same in every copy (agreed.py refuses a
    copy that differs), the parties named by role where a copy names its own."""
    source, record = collective.members[0]
    values = {k: v for k, v in record.values.items() if k in fixed}
    for key in PARTY_KEYS:
        if key in values:
            values[key] = agreed_party(values[key], source)
    return values


def _hashable(value: object) -> object:
    return value if isinstance(value, str | int | float | type(None)) else repr(value)


__all__ = ["COLLECTIVE", "Folded", "Share", "agreed_party", "fold"]

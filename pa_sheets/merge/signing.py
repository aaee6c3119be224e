"""Who signed: the Ondertekening of every merged jaarschijf (spec 1.4), as tables for the
gezamenlijk overzicht and the evaluation, and as lines of `_bronnen` so an overview read back
still knows it.

Kept apart from tables.py: the summary's other tables are laid out there, this adds one.
"""

from pa_sheets.check.findings import PartySigning, Signing
from pa_sheets.merge.combine import Merged
from pa_sheets.merge.form import SIGNING_FIELDS
from pa_sheets.merge.sources import Source
from pa_sheets.merge.tables import Table
from pa_sheets.spec.model import Spec

YES, NO, UNKNOWN = "ja", "nee", "onbekend"


def signed(source: Source) -> str:
    """ja, nee, or onbekend for a workbook without an Ondertekening (made before spec 1.4)."""
    signing = source.report.signing
    if signing is None:
        return UNKNOWN
    return YES if signing.signed else NO


def ondertekening(merged: Merged) -> Table | None:
    """Per corporatie: getekend or not, who signed, with a voorbehoud, who did not (yet).
    None when no workbook has an Ondertekening (a bod, or older jaarschijven)."""
    if all(source.report.signing is None for source in merged.sources):
        return None
    signs = merged.spec.signing_akkoord()
    rows = []
    for source in merged.sources:
        groups: dict[str, list[str]] = {"ja": [], "voorbehoud": [], "nee": [], "open": []}
        for party in _parties(source):
            akkoord, name = party.akkoord, str(party.partij)
            groups["ja" if akkoord in signs else "nee" if akkoord else "open"].append(name)
            if party.voorbehoud or party.niet_getekend:
                groups["voorbehoud"].append(name)
        count = sum(map(len, (groups["ja"], groups["nee"], groups["open"])))
        rows.append(
            [
                source.corporatie,
                signed(source),
                count,
                len(groups["ja"]),
                *(", ".join(groups[key]) for key in ("voorbehoud", "nee", "open")),
            ]
        )
    header = ["Corporatie", "Getekend", "Partijen", "Akkoord", "Met voorbehoud", "Geen akkoord"]
    return Table(
        "Ondertekening",
        "Ondertekening per corporatie",
        [*header, "Nog niet getekend"],
        rows,
        note="Getekend: elke partij is akkoord (met of zonder voorbehoud); zie het blad "
        "Ondertekening.",
    )


def ondertekening_details(merged: Merged) -> Table | None:
    """Every party of every corporatie's jaarschijf with its akkoord, date, name and voorbehoud."""
    if all(source.report.signing is None for source in merged.sources):
        return None
    rows = [
        [source.corporatie, *_cells(party, shown=True)]
        for source in merged.sources
        for party in _parties(source)
    ]
    header = ["Corporatie", "Partij", "Rol", "Tekent voor", "Akkoord", "Datum", "Naam"]
    header += ["Functie", "Voorbehoud", "Thema's niet getekend"]
    return Table("OndertekeningPerPartij", "Ondertekening per partij", header, rows)


def signing_lines(source: Source) -> list[list[str]]:
    """The Ondertekening of one source as `_bronnen` lines (without kind and L-nummer)."""
    return [[str(value) for value in _cells(party)] for party in _parties(source)]


def signing_from_lines(lines: list[list[str]], spec: Spec) -> Signing | None:
    """What signing_lines() wrote, back as FileReport.signing; None when nothing was."""
    if not lines:
        return None
    parties = []
    for line in lines:
        values = {
            key: (line[i] if i < len(line) else "") or None for i, key in enumerate(SIGNING_FIELDS)
        }
        themas = str(values.pop("niet_getekend") or "").split(",")
        niet_getekend = tuple(code.strip() for code in themas if code.strip())
        parties.append(PartySigning(**values, niet_getekend=niet_getekend))
    signed = all(party.akkoord in spec.signing_akkoord() for party in parties)
    return Signing(signed, tuple(parties))


def _parties(source: Source) -> tuple[PartySigning, ...]:
    signing = source.report.signing
    return () if signing is None else signing.parties


def _cells(party: PartySigning, shown: bool = False) -> list[object]:
    """The fields of a party's row in SIGNING_FIELDS order; `shown`: the date as people write
    it (10-12-2026) rather than as stored (2026-12-10)."""
    values = {**party.to_dict(), "niet_getekend": ", ".join(party.niet_getekend)}
    day = str(values.get("datum") or "")
    if shown and len(day) == 10:
        values["datum"] = "-".join(reversed(day.split("-")))
    return ["" if values.get(key) is None else values[key] for key in SIGNING_FIELDS]

"""What the summary sheets show, as plain tables; every total is the sum of the rows above it.
The tables of the standard indicators are in indicator_tables.py.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pa_sheets.merge.combine import ALL_OF_ROLE, COLLECTIVE, DIFFERENT_STATUS, Merged
from pa_sheets.merge.fold import fold
from pa_sheets.merge.form import SMART_HEADER
from pa_sheets.merge.sources import Record
from pa_sheets.spec.model import year_key
from pa_sheets.spec.names import CORPORATIE, OWN_ROLES
from pa_sheets.spec.palette import GEEN_OF_ONBEKEND

NO_STATUS = GEEN_OF_ONBEKEND  # the last stoplicht column: no status, or one not in the spec
SUM_HEADER = "Gemeente"  # the column of all corporaties together


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
            numbers = [cell for cell in cells if isinstance(cell, int | float)]
            if len(numbers) == len(cells):
                totals[col] = sum(numbers)
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
    rows: list[list[object]] = []
    for code, naam in merged.themas().items():
        per_column = [counts[(c, code)] for c in columns]
        rows.append([f"{code} {naam}", *per_column, sum(per_column)])
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
        row: list[object] = [source.corporatie, source.facts.l_nummer]
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
        groups = _by_column(merged, _in_thema(code))
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
        groups = _by_column(merged, _in_thema(code))
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


def investeringen(merged: Merged) -> Table | None:
    """Bod: the corporaties' own planned investments per thema and year (the money columns
    per year of their own tabs, as the Investeringen sheet of each bod adds them up)."""
    keys = merged.spec.templates[merged.kind].investment_columns
    if not keys:
        return None
    corporaties = merged.corporaties
    # Floats summed per key; a key nothing was added to reads as 0, as in a Counter.
    sums: dict[tuple[str, int, str], float] = {}
    for source, record in merged.records():
        if record.rol != CORPORATIE:
            continue
        for year in merged.years:
            for key in keys:
                value = record.values.get(year_key(key, year))
                if isinstance(value, float):
                    at = (record.thema, year, source.corporatie)
                    sums[at] = sums.get(at, 0) + value
    rows: list[list[object]] = []
    for code, naam in merged.themas().items():
        for year in merged.years:
            amounts = [sums.get((code, year, c), 0) for c in corporaties]
            rows.append([f"{code} {naam}", year, *amounts, sum(amounts)])
    return Table(
        "Investeringen",
        "Eigen investeringen per thema en jaar (EUR)",
        ["Thema", "Jaar", *corporaties, SUM_HEADER],
        rows,
        note="Alleen de tabbladen van de corporaties zelf; wat zij van andere partijen vragen "
        "staat apart, op het blad Gevraagd per jaar.",
    ).add_totals("Totaal", 2)


def gevraagd(merged: Merged) -> Table | None:
    """Bod: what each corporatie asks of the other parties per year (the money columns of
    their tabs in its bod), apart from its own investments. None when nothing is asked."""
    keys = merged.spec.templates[merged.kind].investment_columns
    if not keys:
        return None
    corporaties = merged.corporaties
    sums: dict[tuple[str, int, str], float] = {}  # as in investeringen
    parties: dict[str, None] = {}
    for source, record in merged.records():
        if record.rol == CORPORATIE:
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
                    at = (party, year, source.corporatie)
                    sums[at] = sums.get(at, 0) + value
    if not parties:
        return None
    rows: list[list[object]] = []
    for party in parties:
        for year in merged.years:
            amounts = [sums.get((party, year, c), 0) for c in corporaties]
            rows.append([party, year, *amounts, sum(amounts)])
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
    commit themselves. Every afspraak counts once, as on the Samenvatting (fold.py): a
    collective one of one party (the gemeente, a partner) under that party, one that binds
    every corporatie (or every huurdersorganisatie) under 'Alle corporaties' ('Alle
    huurdersorganisaties'), never once per corporatie."""
    parties = merged.parties()
    counts: Counter[tuple[str, str, str]] = Counter()
    for folded in fold(merged):
        counts[(folded.thema, folded.record.rol, folded.partij)] += 1
    everyone = [
        (rol, naam)
        for rol, naam in ALL_OF_ROLE.items()
        if any(key[1:] == (rol, naam) for key in counts)
    ]
    last_own = max((i for i, (rol, _) in enumerate(parties) if rol in OWN_ROLES), default=0)
    parties = parties[: last_own + 1] + everyone + parties[last_own + 1 :]
    rows = []
    for code, naam in merged.themas().items():
        per_party = [counts[(code, rol, partij)] for rol, partij in parties]
        others = sum(n for (rol, _), n in zip(parties, per_party, strict=True) if rol != CORPORATIE)
        only = "ja" if sum(per_party) and not others else ""
        rows.append([f"{code} {naam}", *per_party, sum(per_party), only])
    table = Table(
        "Wederkerigheid",
        "Wederkerigheid: afspraken per thema en partij",
        ["Thema", *(partij for _, partij in parties), "Totaal", "Alleen corporaties"],
        rows,
        note="'Alleen corporaties': op dit thema leggen alleen de corporaties zich vast; de "
        "handreiking vraagt om wederkerige afspraken.\nElke afspraak telt één keer, zoals op de "
        "Samenvatting: een afspraak voor alle corporaties onder 'Alle corporaties'.",
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


def _in_thema(code: str) -> Callable[[Record], bool]:
    return lambda record: record.thema == code


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

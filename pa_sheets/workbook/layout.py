"""Plan a workbook before writing it: which sheets, which blocks where, which columns.

The plan is pure data. The generator writes it cell by cell and records it in the `_meta` sheet,
so the reader finds every block from `_meta` instead of guessing. Rows and columns here are
0-based, as xlsxwriter counts; `_meta` and every message to a user use Excel's 1-based rows.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from pa_sheets.errors import ConfigError
from pa_sheets.spec.config import Config, Corporatie, Party, renamed_parties
from pa_sheets.spec.model import Block, Column, Spec, Template, Thema, expand_header
from pa_sheets.spec.names import NAMED_ROLES, TAB_ROLES
from pa_sheets.workbook.output import name_part

# Rows above the first block: sheet title, subtitle, blank.
TOP_ROWS = 3
# Rows above a block's header (title, explanation) and blank rows after its last row.
BLOCK_HEAD_ROWS = 2
BLOCK_GAP_ROWS = 2
EXCEL_SHEET_NAME_MAX = 31
# What the Ondertekening says a party signs for when it signs for every thema.
ALL_THEMAS = "alle thema's"


@dataclass(frozen=True)
class PlacedColumn:
    column: Column
    key: str  # "aantal_2027" for per-year columns, otherwise the column key
    header: str
    message: str
    year: int | None
    index: int
    fixed: bool


@dataclass(frozen=True)
class PlacedBlock:
    block: Block
    title_row: int
    header_row: int
    rows: tuple[dict[str, object], ...]  # pre-filled rows (going concern)
    n_rows: int  # data rows: pre-filled plus empty ones to fill in
    columns: tuple[PlacedColumn, ...]

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        """The last data row; one before first_row when the block has no rows."""
        return self.first_row + self.n_rows - 1

    @property
    def fixed_rows(self) -> int:
        """The pre-filled rows that stay: the lopende afspraken of a going-concern block."""
        return len(self.rows) if self.block.lopend else 0

    @property
    def end_row(self) -> int:
        """The last row the block uses: a block without rows still shows a line saying so."""
        return max(self.last_row, self.first_row)


@dataclass(frozen=True)
class SheetPlan:
    name: str
    thema: Thema
    party: Party
    blocks: tuple[PlacedBlock, ...]


@dataclass(frozen=True)
class WorkbookPlan:
    template: Template
    spec: Spec
    config: Config
    corporatie: Corporatie
    years: tuple[int, ...]  # the jaarschijf's year, or the bod's five years
    deadline: dt.date
    parties: tuple[Party, ...]
    sheets: tuple[SheetPlan, ...]
    closed: tuple["ClosedAfspraak", ...] = ()  # rollover: finished or dropped last year
    gemeenten: tuple["BasisGemeente", ...] = ()  # a basisbod: the gemeenten it is for
    signing: PlacedBlock | None = None  # the Ondertekening sheet: a row per party
    # rollover: agreed to disagree on last year, open again among the nieuwe afspraken
    reopened: tuple["ClosedAfspraak", ...] = ()
    # A monitor: the first and last peildatum of its round, the signed file it reports on
    # (name, sha256), and the nummers whose target is shared, each corporatie reporting its part.
    round: tuple[dt.date, dt.date] | None = None
    signed: tuple[str, str] = ("", "")
    shared: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return self.template.kind

    @property
    def file_name(self) -> str:
        """kind-years-gemeente-corporatie.xlsx, e.g. jaarschijf-2027-voorbeeldstad-linde.xlsx."""
        years = "-".join(str(y) for y in sorted({self.years[0], self.years[-1]}))
        # Lindé keeps a hash of its name, so it never gets Linde's file; long names are cut.
        corporatie = name_part(self.corporatie.party.kort, keep_apart=True)
        if self.gemeenten:  # a basisbod is one corporatie's, for several gemeenten
            return f"{self.kind}-{years}-{corporatie}.xlsx"
        return f"{self.kind}-{years}-{name_part(self.config.gemeente.naam)}-{corporatie}.xlsx"

    @property
    def gemeente_names(self) -> str:
        """For which gemeente: 'Gemeente Voorbeeldstad', or those of a basisbod."""
        if self.gemeenten:
            return ", ".join(g.naam for g in self.gemeenten)
        return self.config.gemeente.display

    @property
    def gemeente_codes(self) -> str:
        return ", ".join(g.code for g in self.gemeenten) or str(self.config.gemeente.code)


def sheet_name(thema: Thema, party: Party) -> str:
    """The tab of one thema and party: the thema code and the party's short name."""
    return f"{thema.code} {party.kort}"[:EXCEL_SHEET_NAME_MAX]


@dataclass(frozen=True)
class ClosedAfspraak:
    """An afspraak of last year listed on the cover so nothing vanishes: one that does not come
    back (gerealiseerd or vervallen), or one open again (agree to disagree)."""

    nummer: str
    sheet: str  # its tab last year
    afspraak: str
    status: str  # last year's
    toelichting: str


@dataclass(frozen=True)
class BasisGemeente:
    """A gemeente of a basisbod, with the text of the config its own bod is made from."""

    code: str
    naam: str
    config_text: str


# Rows already answered, per tab and block: (thema code, party ref, block key) -> rows. A
# going-concern answer names its row by nummer and holds the cells to fill in (split-bod).
Answers = Mapping[tuple[str, str, str], list[dict[str, object]]]


def plan_workbook(
    spec: Spec,
    config: Config,
    kind: str,
    corporatie: Corporatie,
    years: tuple[int, ...],
    deadline: dt.date,
    closed: tuple[ClosedAfspraak, ...] = (),
    gemeenten: tuple[BasisGemeente, ...] = (),
    answers: Answers | None = None,
) -> WorkbookPlan:
    """Lay out one corporatie's workbook of the given kind, blank or with `answers`."""
    template = spec.templates[kind]
    going_concern = _going_concern_rows(config, corporatie, years)
    sheets = []
    for thema, party in tabs(config, corporatie):
        ref = party_ref(party, corporatie)
        rows = going_concern.get((thema.code, ref), [])
        answered = {
            block.key: (answers or {}).get((thema.code, ref, block.key), [])
            for block in template.blocks
        }
        sheets.append(_sheet(spec, template, thema, party, rows, years, answered))
    _check_sheet_names(config, sheets)
    parties = config.parties(corporatie)
    return WorkbookPlan(
        template,
        spec,
        config,
        corporatie,
        years,
        deadline,
        parties,
        tuple(sheets),
        closed,
        gemeenten,
        _signing(spec, template, config, parties, years),
    )


def tabs(config: Config, corporatie: Corporatie) -> list[tuple[Thema, Party]]:
    """The tabs of one corporatie's workbook: every thema for every party, a partner only for
    the themes it signs for."""
    return [
        (thema, party)
        for thema in config.themas
        for party in config.parties(corporatie)
        if party.themas is None or thema.code in party.themas
    ]


def party_ref(party: Party, corporatie: Corporatie | None = None) -> str:
    """How lopende_afspraken name a party: by rol, or a partner, samenwerkingsverband,
    huurdersfederatie or a corporatie's second huurdersorganisatie by its kort."""
    if party.rol in NAMED_ROLES or (corporatie and party in corporatie.meer_huurders):
        return party.kort
    return party.rol


def fixed_text_names(config: Config, corporatie: Corporatie) -> dict[str, str]:
    """How the trekkers and betrokken of a lopende afspraak are written in this corporatie's
    workbook: a rol as this workbook's party of it, and any party of the gemeente named by its
    kort (a samenwerkingsverband this corporatie is not part of, another corporatie's
    huurdersorganisatie) by its name, as in every other workbook. The fixed text may name a
    party that does not sign this workbook; it is the gemeente's text."""
    names = {party.kort: party.display for party in config.all_parties()}
    names |= {party_ref(party, corporatie): party.display for party in config.parties(corporatie)}
    return names


# ---------------------------------------------------------------------------------------------
# Private helpers.
# ---------------------------------------------------------------------------------------------


def _going_concern_rows(
    config: Config, corporatie: Corporatie, years: tuple[int, ...] = ()
) -> dict[tuple[str, str], list[dict[str, object]]]:
    """This corporatie's lopende afspraken per tab (thema, party ref), as the cells show them:
    the trekker by the party's name. One pass, so large configs plan in linear time."""
    names = fixed_text_names(config, corporatie)
    by_tab: dict[tuple[str, str], list[dict[str, object]]] = {}
    for row in config.lopend:
        if not row.is_for(corporatie.party.kort):
            continue
        values = dict(row.values)
        for key in ("trekker", "betrokken"):  # one or more parties, by name
            if key in values:
                values[key] = renamed_parties(values[key], names)
        if row.mijlpalen and len(years) == 1:  # a jaarschijf shows the milestone of its year
            values["mijlpaal"] = dict(row.mijlpalen).get(years[0])
        if (aandeel := row.aandeel(corporatie.party.kort)) is not None:
            values["aandeel"] = aandeel  # this corporatie's own share of a joint target
        by_tab.setdefault((row.thema, row.partij), []).append(values)
    return by_tab


def _sheet(
    spec: Spec,
    template: Template,
    thema: Thema,
    party: Party,
    gc_rows: list[dict[str, object]],
    years: tuple[int, ...],
    answered: dict[str, list[dict[str, object]]],
) -> SheetPlan:
    blocks = []
    row = TOP_ROWS
    for block in template.blocks:
        if not block.applies_to(TAB_ROLES.get(party.rol, party.rol), thema.code):
            continue
        if block.lopend:
            # Pre-filled rows say their soort themselves, so a reader never depends on the
            # block. What was answered for a row fills in its input cells.
            progress = {str(answer["nummer"]): answer for answer in answered[block.key]}
            prefilled = tuple(
                {**progress.get(str(row["nummer"]), {}), **row, "soort": block.soort}
                for row in gc_rows
            )
        else:
            prefilled = tuple(answered[block.key])
        placed = PlacedBlock(
            block=block,
            title_row=row,
            header_row=row + BLOCK_HEAD_ROWS,
            rows=prefilled,
            n_rows=len(prefilled) + block.empty_rows,
            columns=place_columns(spec, block, years),
        )
        blocks.append(placed)
        row = placed.end_row + 1 + BLOCK_GAP_ROWS
    return SheetPlan(sheet_name(thema, party), thema, party, tuple(blocks))


def _signing(
    spec: Spec, template: Template, config: Config, parties: tuple[Party, ...], years
) -> PlacedBlock | None:
    """The Ondertekening block: a pre-filled row per party, saying for which themas it signs."""
    signing = template.signing
    if signing is None:
        return None
    block = Block("ondertekening", signing.titel, signing.uitleg, signing.columns, signing.fixed)
    rows: tuple[dict[str, object], ...] = tuple(
        {
            "partij": party.display,
            "rol": spec.roles[party.rol],
            "tekent_voor": ", ".join(party.themas) if party.themas else ALL_THEMAS,
        }
        for party in parties
    )
    return PlacedBlock(
        block,
        TOP_ROWS,
        TOP_ROWS + BLOCK_HEAD_ROWS,
        rows,
        len(rows),
        place_columns(spec, block, years),
    )


def place_columns(spec: Spec, block: Block, years: tuple[int, ...]) -> tuple[PlacedColumn, ...]:
    """The columns of `block` as placed in a sheet: per-year columns once for every year."""
    placed: list[PlacedColumn] = []
    for key in block.columns:
        column = spec.columns[key]
        for year in years if column.per_jaar else (None,):
            placed.append(
                PlacedColumn(
                    column=column,
                    key=f"{key}_{year}" if year is not None else key,
                    header=expand_header(column.header, year),
                    message=expand_header(column.message, year),
                    year=year,
                    index=len(placed),
                    fixed=key in block.fixed,
                )
            )
    return tuple(placed)


def _check_sheet_names(config: Config, sheets: list[SheetPlan]) -> None:
    """Excel compares sheet names without regard to case; truncation can make twins."""
    seen: dict[str, SheetPlan] = {}
    for sheet in sheets:
        twin = seen.get(sheet.name.casefold())
        if twin is not None:
            raise ConfigError(
                f"{config.path}: de tabbladen voor {twin.party.naam} en {sheet.party.naam} "
                f"krijgen dezelfde naam {sheet.name!r}; geef een van beide een andere 'kort'."
            )
        seen[sheet.name.casefold()] = sheet

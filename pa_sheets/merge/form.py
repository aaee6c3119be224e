"""The form of the gezamenlijk overzicht (merge's xlsx): its sheets, the columns around the
values of every record, and the very hidden lines that say what each merged workbook was.

overview.py writes an overview by this module and read_overview.py reads one back by it (and
through read_overview, rollover and evaluate): change the form here and both follow.
"""

from dataclasses import fields

from pa_sheets.check.findings import PartySigning
from pa_sheets.spec.model import base_key
from pa_sheets.spec.names import SCREEN_ONLY_COLUMNS

# The sheets with a fixed name, in the order of the workbook: first the summary (SUMMARY_SHEET,
# in spec/names.py as validate knows it too). Between the summary and the tables: a sheet per
# thema (THEMA_SHEET) with its afspraken, and one per other block.
# A sheet holds one table: a sheet prints the header row of its table on every page, which
# above a second table would name the wrong columns.
KENGETALLEN_SHEET = "Kengetallen"
NIET_MEEGETELD_SHEET = "Niet meegeteld"  # the values no total on Kengetallen could take
INVESTMENTS_SHEET = "Investeringen"  # a bod's only
GEVRAAGD_SHEET = "Gevraagd per jaar"  # a bod's: what it asks of the other parties
WEDERKERIGHEID_SHEET = "Wederkerigheid"
BRONNEN_SHEET = "Bronnen"
SIGNING_SHEET = "Ondertekening"  # a jaarschijf of spec 1.4 on: each party's akkoord
# Very hidden, SOURCES_SHEET (spec/names.py): what each merged workbook said about itself in
# _meta (facts, parties, tabs, themes), so an overview can be read back as the workbooks it was
# made from.
THEMA_SHEET = "{code} {naam}"

# A record sheet has one row per record: provenance first (who and what), the values, then
# where exactly the row came from. (key, header, column width)
LEAD = [
    ("corporatie", "Corporatie", 28),
    ("l_nummer", "L-nummer", 10),
    ("thema", "Thema", 8),
    ("partij", "Partij", 24),
    ("rol", "Rol", 14),
    ("blok", "Blok", 13),
]
TRAIL = [
    ("onleesbaar", "Onleesbare waarden", 24),
    ("bronbestand", "Bronbestand", 36),
    ("bronblad", "Bronblad", 14),
    ("bronregel", "Bronregel", 10),
    ("bron_in_orde", "Bron in orde", 12),
]
LEAD_KEYS = frozenset(key for key, _, _ in LEAD + TRAIL)
# On paper a record sheet shows who agreed what and how it stands: its first columns are
# Corporatie and Nummer (they repeat on every printed page), then the columns not named here,
# in their order. These follow, for the screen only: facts of the row the sheet already says
# (thema, blok), the details of an afspraak, and where the row came from.
SCREEN_ONLY = (
    SCREEN_ONLY_COLUMNS | {"l_nummer", "thema", "rol", "blok"} | {key for key, _, _ in TRAIL}
)
IDENTIFYING = ("corporatie", "nummer")


def paper_order(columns: list[str]) -> tuple[list[str], int]:
    """The `columns` of a record sheet in their order on the sheet: the identifying ones, the
    rest that prints, then the screen's only; and how many print."""
    lead = [key for key in IDENTIFYING if key in columns]
    screen = [key for key in columns if base_key(key) in SCREEN_ONLY]
    printed = [key for key in columns if key not in screen and key not in lead]
    return lead + printed + screen, len(lead) + len(printed)


LEAD_HEADERS = {header: key for key, header, _ in LEAD + TRAIL}  # header -> key
# The Blok column holds the block's soort (going concern, nieuw), or its key if it has none.


def is_record_sheet(header_row: list[object]) -> bool:
    """Whether a sheet with this first row is a record sheet (a thema's, or a block's)."""
    found = {LEAD_HEADERS.get(str(cell)) for cell in header_row}
    return {"blok", "bronregel"} <= found


# The `_bronnen` sheet: a header row, then one line per fact, party, tab and thema of every
# merged workbook: [kind, L-nummer, *values].
SOURCES_HEADER = ["tabel", "l_nummer", "waarden"]
FACT, PARTY, TAB, THEMA = "feit", "partij", "tab", "thema"
# And one line per party of a workbook's Ondertekening: [SIGNING, L-nummer, *SIGNING_FIELDS].
SIGNING = "ondertekening"
SIGNING_FIELDS = tuple(field.name for field in fields(PartySigning))  # partij, rol, ...
# Facts the overview adds to a workbook's own _meta facts: its file name, and the verdict of
# validation when it was merged (VALID: no errors), and the SHA-256 of the file as merged (so
# a page published from the overview names the workbooks it was made from).
FILE_FACT, VERDICT_FACT, VALID = "bestand", "oordeel", "in orde"
SHA_FACT = "sha256"

# The summary's table per corporatie (combine.per_corporatie) ends with the SMART warnings
# validate gave each corporatie's workbook (M001-M003): the overview keeps their number per
# corporatie, not the findings themselves.
PER_CORPORATIE_FIRST = "Corporatie"
SMART_HEADER = "SMART-waarschuwingen"

"""The `_meta` sheet: what the generator writes about a workbook and the reader reads back.

Layout, top to bottom (rows are 1-based, as Excel shows them):
  facts       key | value                                   until the first empty row
  partijen    "partij" | rol | naam | kort | code           first row is the header
  blokken     "blok" | blad | thema | rol | partij | sleutel | kopregel | eerste_rij |
              laatste_rij | vaste_rijen | kolommen
  vast        "vast" | blad | nummer | vingerafdruk         one row per going-concern row
The fingerprint of a going-concern row lets `validate` notice fixed text that was changed.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

SHEET = "_meta"
PARTY_FIELDS = ("rol", "naam", "kort", "code")
BLOCK_FIELDS = (
    "blad",
    "thema",
    "rol",
    "partij",
    "sleutel",
    "kopregel",
    "eerste_rij",
    "laatste_rij",
    "vaste_rijen",
    "kolommen",
)
FIXED_FIELDS = ("blad", "nummer", "vingerafdruk")
TABLES = {"partij": PARTY_FIELDS, "blok": BLOCK_FIELDS, "vast": FIXED_FIELDS}


@dataclass(frozen=True)
class MetaBlock:
    sheet: str
    thema: str
    rol: str
    partij: str
    key: str
    header_row: int
    first_row: int
    last_row: int
    fixed_rows: int
    columns: tuple[str, ...]


@dataclass
class Meta:
    facts: dict[str, str]
    parties: list[dict[str, str]] = field(default_factory=list)
    blocks: list[MetaBlock] = field(default_factory=list)
    fixed: dict[tuple[str, str], str] = field(default_factory=dict)  # (blad, nummer) -> print


def fingerprint(values: list[object]) -> str:
    """A short hash of the fixed cells of a going-concern row, the same whether the values come
    from the generator (Python objects) or back from a spreadsheet (floats, dates, text)."""
    text = "\x1f".join(
        [" ".join(value.split()) if type(value) is str else _canonical(value) for value in values]
    )
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def parse(rows: list[list[object]]) -> Meta:
    """Read the _meta sheet's rows (as a reader returns them) into a Meta."""
    meta = Meta(facts={})
    rows_iter = iter(rows)
    for row in rows_iter:
        if not row or _text(row[0]) == "":
            break
        meta.facts[_text(row[0])] = _text(row[1]) if len(row) > 1 else ""
    seen_header: set[str] = set()
    for row in rows_iter:
        marker = _text(row[0]) if row else ""
        if marker not in TABLES:
            continue
        if marker not in seen_header:
            seen_header.add(marker)  # the table's own header row
            continue
        values = [row[i + 1] if i + 1 < len(row) else None for i in range(len(TABLES[marker]))]
        record = dict(zip(TABLES[marker], values, strict=True))
        if marker == "partij":
            meta.parties.append({key: _text(value) for key, value in record.items()})
        elif marker == "blok":
            meta.blocks.append(_block(record))
        else:
            meta.fixed[(_text(record["blad"]), _text(record["nummer"]))] = _text(
                record["vingerafdruk"]
            )
    return meta


def _block(record: dict[str, object]) -> MetaBlock:
    return MetaBlock(
        sheet=_text(record["blad"]),
        thema=_text(record["thema"]),
        rol=_text(record["rol"]),
        partij=_text(record["partij"]),
        key=_text(record["sleutel"]),
        header_row=int(float(record["kopregel"])),  # type: ignore[arg-type]
        first_row=int(float(record["eerste_rij"])),  # type: ignore[arg-type]
        last_row=int(float(record["laatste_rij"])),  # type: ignore[arg-type]
        fixed_rows=int(float(record["vaste_rijen"])),  # type: ignore[arg-type]
        columns=tuple(_text(record["kolommen"]).split(",")),
    )


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _canonical(value: object) -> str:
    if type(value) is str:  # the common case first
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())

"""The `_meta` sheet: what the generator writes about a workbook and the reader reads back,
and the few other names both must agree on.

Layout, top to bottom (rows are 1-based, as Excel shows them):
  facts       key | value                                   until the first empty row
  partijen    "partij" | rol | naam | kort | code           first row is the header
  blokken     "blok" | blad | thema | rol | partij | sleutel | kopregel | eerste_rij |
              laatste_rij | vaste_rijen | kolommen
  vast        "vast" | blad | vingerafdrukken               "BT-01:3f2a... BT-02:..." for at
                                                            most 1,000 going-concern rows
  blokafdruk  "blokafdruk" | blad | vingerafdruk            one per sheet with going-concern rows
  thema       "thema" | code | naam                         the themes of the tabs
  ondertekening  "ondertekening" | the fields of blok       the Ondertekening sheet (spec 1.4)
  afgerond    "afgerond" | nummer | status                  after rollover: last year's finished
                                                            and dropped afspraken
  gedeeld     "gedeeld" | nummer                            a monitor: the afspraken with a shared
                                                            target (each corporatie its part)
  gemeente    "gemeente" | code | naam | config             a basisbod only: each gemeente and
                                                            its config (YAML) as it was used,
                                                            in parts of at most CONFIG_PART
The fixed text itself is on a sheet of its own, `_vaste_tekst` (very hidden too): a row per
going-concern row, "blad" | "sleutel" | the fixed columns' values as written on the tab. `validate`
reads it only when a fingerprint differs, to show the text as it should be next to the text as
found; workbooks made before it existed lack it and show only the text as found. A workbook with
more going-concern rows than FIXED_TEXT_ROWS continues on `_vaste_tekst_2`, `_vaste_tekst_3`, ...:
a sheet stays within what the safety check vouches for quickly (row 9,999, column Z).

The fingerprint of a going-concern row lets `validate` notice fixed text that was changed. They
are packed many to a cell: one row each would make _meta the largest sheet of a big workbook.
The block's fingerprint covers all its going-concern rows at once: when it matches, `validate`
need not work out the fingerprint of every row. Workbooks made before it existed lack the table;
they are checked row by row, as before.
"""

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from pa_sheets.spec.kalender import WETTELIJK, Termijnen
from pa_sheets.spec.names import NAMED_ROLES

SHEET = "_meta"
FIXED_TEXT_SHEET = "_vaste_tekst"  # the going-concern rows' fixed text, for X005's message
FIXED_TEXT_ROWS = 9_998  # per sheet, below its header
# The other names both sides must agree on: the sheets around the tabs, the line an empty
# going-concern block shows, the mark of a required header.
COVER_SHEET = "Toelichting"
INVESTMENT_SHEET = "Investeringen"
LISTS_SHEET = "_lijsten"
CONTROL_SHEET = "Controle"  # added to the annotated copy by report.py
PLACEHOLDER = "Geen lopende afspraken op dit tabblad."
REQUIRED_MARK = " *"
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
FIXED_FIELDS = ("blad", "vingerafdrukken")
BLOCK_PRINT_FIELDS = ("blad", "vingerafdruk")
THEMA_FIELDS = ("code", "naam")
GEMEENTE_FIELDS = ("code", "naam", "config")
CLOSED_FIELDS = ("nummer", "status")
SHARED_FIELDS = ("nummer",)
PRINTS_PER_CELL = 1000  # 1,000 x ~26 characters stays under Excel's 32,767 per cell
CONFIG_PART = 30_000  # characters of config text per cell, under Excel's 32,767
# A reader skips tables it does not know, so a table can be added without a new spec version.
TABLES = {
    "partij": PARTY_FIELDS,
    "blok": BLOCK_FIELDS,
    "vast": FIXED_FIELDS,
    "blokafdruk": BLOCK_PRINT_FIELDS,
    "thema": THEMA_FIELDS,
    "gemeente": GEMEENTE_FIELDS,
    "afgerond": CLOSED_FIELDS,
    "ondertekening": BLOCK_FIELDS,
    "gedeeld": SHARED_FIELDS,
}


# The facts, the first lines of _meta, by their key there, in the order the generator writes them.
FACT_KEYS = (
    "soort",
    "spec_versie",
    "spec_hash",
    "pa_sheets_versie",
    "aangemaakt",
    "gemeente",
    "gemeente_code",
    "corporatie",
    "corporatie_kort",
    "l_nummer",
    "jaren",
    "periode",
    "inleverdatum",
)
# The kind of workbook of the monitoring round, and the facts only it has (after FACT_KEYS).
MONITOR = "monitor"
MONITOR_FACTS = ("peildatum_van", "peildatum_tot", "getekend_bron", "getekend_sha256")
# The facts an overview keeps of each merged workbook (in its `_bronnen`), in this order; a
# report shows them too, but for corporatie_kort.
CARRIED_FACTS = (
    "soort",
    "spec_versie",
    "gemeente",
    "gemeente_code",
    "corporatie",
    "corporatie_kort",
    "l_nummer",
    "jaren",
    "periode",
    "aangemaakt",
)


@dataclass(frozen=True)
class Facts:
    """What a workbook says about itself: the facts of its _meta. Written by to_texts(), read
    back by from_texts(); the reader judges kind and spec version against its spec."""

    kind: str  # soort: jaarschijf, bod, basisbod, monitor
    spec_version: str
    gemeente: str  # a basisbod's gemeenten, joined by ", "
    gemeente_code: str
    corporatie: str
    corporatie_kort: str
    l_nummer: str
    years: tuple[int, ...]  # every year of the workbook; written as "first-last" or one year
    period: tuple[int, int]  # the first and last year of the afspraken
    created: str = ""  # aangemaakt, ISO; an overview's sources lack the next three
    spec_hash: str = ""
    tool_version: str = ""  # pa_sheets_versie
    deadline: str = ""  # inleverdatum, ISO
    termijnen: Termijnen = WETTELIJK  # the deadlines it was made with: the law's, or agreed
    # A monitor (kind MONITOR) reports on the signed jaarschijf of its year (`years`, the
    # evaluated year): the first and last peildatum of its round, and the signed file it was
    # made from (its name and sha256). Other kinds have none.
    round: tuple[dt.date, dt.date] | None = None
    signed_source: str = ""
    signed_sha256: str = ""

    def to_texts(self, keys: Iterable[str] = FACT_KEYS) -> dict[str, str]:
        """The facts as _meta writes them, key by key (FACT_KEYS, or CARRIED_FACTS). The whole
        _meta also names agreed deadlines (termijn_*), so validate judges by them; a workbook
        made with the law's deadlines names none, as older workbooks do not."""
        texts = {
            "soort": self.kind,
            "spec_versie": self.spec_version,
            "spec_hash": self.spec_hash,
            "pa_sheets_versie": self.tool_version,
            "aangemaakt": self.created,
            "gemeente": self.gemeente,
            "gemeente_code": self.gemeente_code,
            "corporatie": self.corporatie,
            "corporatie_kort": self.corporatie_kort,
            "l_nummer": self.l_nummer,
            "jaren": years_text(self.years),
            "periode": f"{self.period[0]}-{self.period[1]}",
            "inleverdatum": self.deadline,
        }
        chosen = {key: texts[key] for key in keys}
        return (
            chosen | self.termijnen.facts() | self._monitor_facts() if keys is FACT_KEYS else chosen
        )

    def _monitor_facts(self) -> dict[str, str]:
        """A monitor's round and signed source (MONITOR_FACTS); none for other kinds."""
        if self.round is None:
            return {}
        first, last = self.round
        values = (first.isoformat(), last.isoformat(), self.signed_source, self.signed_sha256)
        return dict(zip(MONITOR_FACTS, values, strict=True))

    @classmethod
    def from_texts(cls, texts: dict[str, str]) -> "Facts":
        """The facts of a parsed _meta (Meta.facts) or of an overview's `_bronnen`. Raises
        KeyError naming a missing fact, ValueError when years or period are no years."""
        years = parse_years(texts["jaren"])
        first, last = (int(y) for y in texts["periode"].split("-"))
        return cls(
            kind=texts["soort"],
            spec_version=texts["spec_versie"],
            gemeente=texts["gemeente"],
            gemeente_code=texts["gemeente_code"],
            corporatie=texts["corporatie"],
            corporatie_kort=texts["corporatie_kort"],
            l_nummer=texts["l_nummer"],
            years=years,
            period=(first, last),
            created=texts.get("aangemaakt", ""),
            spec_hash=texts.get("spec_hash", ""),
            tool_version=texts.get("pa_sheets_versie", ""),
            deadline=texts.get("inleverdatum", ""),
            termijnen=Termijnen.from_facts(texts),
            round=_round(texts),
            signed_source=texts.get(MONITOR_FACTS[2], ""),
            signed_sha256=texts.get(MONITOR_FACTS[3], ""),
        )

    def to_dict(self) -> dict[str, object]:
        """The facts for a report (JSON): years and period as lists of numbers; a monitor's
        round and signed source too."""
        keys = [key for key in CARRIED_FACTS if key != "corporatie_kort"]
        texts: dict[str, object] = dict(self.to_texts(keys))
        years = {"jaren": list(self.years), "periode": list(self.period)}
        return texts | years | self._monitor_facts()


def _round(texts: dict[str, str]) -> tuple[dt.date, dt.date] | None:
    """A monitor's first and last peildatum; None when the facts name none. Raises ValueError
    when they are no dates."""
    first, last = (texts.get(key, "") for key in MONITOR_FACTS[:2])
    if not first and not last:
        return None
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)


def years_text(years: tuple[int, ...]) -> str:
    """The years of a workbook as _meta and its titles write them: '2027-2031', or '2027'."""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def parse_years(text: str) -> tuple[int, ...]:
    """Every year of a workbook from its fact `jaren`: '2027-2031' or one year ('2027')."""
    ends = [int(year) for year in text.split("-")]
    return tuple(range(ends[0], ends[-1] + 1))


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
    facts: dict[str, str]  # as written: Facts.to_texts(); Facts.from_texts() reads them
    parties: list[dict[str, str]] = field(default_factory=list)
    blocks: list[MetaBlock] = field(default_factory=list)
    fixed: dict[tuple[str, str], str] = field(default_factory=dict)  # (blad, nummer) -> print
    block_prints: dict[str, str] = field(default_factory=dict)  # blad -> block_fingerprint
    themas: dict[str, str] = field(default_factory=dict)  # code -> naam; older workbooks lack it
    gemeenten: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (naam, config)
    closed: dict[str, str] = field(default_factory=dict)  # nummer -> status, after rollover
    signing: MetaBlock | None = None  # the Ondertekening sheet; older workbooks lack it
    # A monitor: the nummers of the afspraken with a shared target, to which each corporatie
    # reports its own contribution.
    shared: list[str] = field(default_factory=list)


def row_key(nummer: object, gemeente: object = None) -> str:
    """How `vast` names a going-concern row: by its nummer; in a basisbod, where two gemeenten
    may each have a BT-01, by gemeente code and nummer (GM0344/BT-01)."""
    return f"{gemeente}/{nummer}" if gemeente else str(nummer)


def party_ref(party: dict[str, str]) -> str:
    """How the layout names a party of the `partij` table: by rol, or a partner or
    huurdersfederatie by its kort."""
    return party["kort"] if party["rol"] in NAMED_ROLES else party["rol"]


def config_parts(text: str) -> list[str]:
    """A config's text in parts that each fit in a cell; joined again by parse()."""
    return [text[i : i + CONFIG_PART] for i in range(0, len(text), CONFIG_PART)] or [""]


def fingerprint(values: list[object]) -> str:
    """A short hash of the fixed cells of a going-concern row, the same whether the values come
    from the generator (Python objects) or back from a spreadsheet (floats, dates, text)."""
    return fingerprints([[value] for value in values])[0]


def row_fingerprints(
    rows: list[dict[str, object]], fixed: list[str], gemeente_key: str | None = None
) -> dict[str, str]:
    """The fingerprints of one block's going-concern rows (values by column key; `fixed` the
    keys of its fixed columns; `gemeente_key` a basisbod's gemeente column), by row key."""
    prints = fingerprints([[row.get(key) for row in rows] for key in fixed])
    keys = [row_key(row["nummer"], row.get(gemeente_key or "")) for row in rows]
    return dict(zip(keys, prints, strict=True))


def block_fingerprint(columns: list[list[object]]) -> str:
    """One hash of the fixed cells of all going-concern rows of a block, given column by column
    as for fingerprints(): equal only when every row is as generated, in the same order."""
    canonical = [_canonical_column(column) for column in columns]
    rows = len(columns[0]) if columns else 0
    # The separators cannot occur in canonical text: str.split() counts them as whitespace.
    joined = f"{rows}\x1e" + "\x1e".join("\x1f".join(column) for column in canonical)
    return hashlib.sha1(joined.encode()).hexdigest()[:16]


def fingerprints(columns: list[list[object]]) -> list[str]:
    """fingerprint() of every row, given the rows' values column by column: one pass per
    column, so a workbook with 100,000 going-concern rows is checked in a fraction of a second."""
    canonical = [_canonical_column(column) for column in columns]
    sha1 = hashlib.sha1
    return [
        sha1("\x1f".join(row).encode()).hexdigest()[:16] for row in zip(*canonical, strict=True)
    ]


def _canonical_column(column: list[object]) -> list[str]:
    """_canonical() of every value, worked out once per distinct value (a column repeats most
    of its values). Texts that folding leaves alone (nearly all) are kept as they are, after one
    check of all of them joined: much faster than folding each."""
    if column and column[0] is None and column.count(None) == len(column):
        return [""] * len(column)  # empty: nearly half the columns of a going-concern block
    kinds = set(map(type, column))
    if bool in kinds:
        return [_canonical(value) for value in column]  # True == 1 would share a dict key
    distinct = set(column)
    # kinds == {str}: every value is a text (casts, as mypy cannot narrow a list by its kinds).
    all_texts = kinds == {str}
    texts = cast(set[str], distinct) if all_texts else [v for v in distinct if type(v) is str]
    if not _folded(texts):
        return [_canonical(value) for value in column]
    if all_texts:
        return cast(list[str], column)
    canonical = {
        # Floats directly: a column of amounts has many distinct ones, too many to cache.
        value: _canonical_float(value) if type(value) is float else _canonical(value)
        for value in distinct
        if type(value) is not str
    }
    # Texts are no key: they stay as they are, so every value comes out a text.
    return cast(list[str], list(map(canonical.get, column, column)))


def _folded(texts: Iterable[str]) -> bool:
    """Whether folding leaves every text alone: no whitespace but single inner spaces."""
    joined = "|".join(texts)
    # isprintable() is False for every whitespace character but the space.
    return (
        joined.isprintable()
        and "  " not in joined
        and " |" not in joined
        and "| " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
    )


def to_rows(info: Meta) -> list[list[object]]:
    """The rows of the _meta sheet for `info`, top to bottom; [] is a blank row. parse() reads
    them back into an equal Meta."""
    rows: list[list[object]] = [[key, value] for key, value in info.facts.items()]

    def table(name: str, entries: Iterable[Iterable[object]]) -> None:
        rows.extend([[], [name, *TABLES[name]]])
        rows.extend([name, *entry] for entry in entries)

    table("partij", ([party[key] for key in PARTY_FIELDS] for party in info.parties))
    table("blok", (_block_row(block) for block in info.blocks))
    table("thema", info.themas.items())
    if info.signing is not None:
        table("ondertekening", [_block_row(info.signing)])
    if info.closed:
        table("afgerond", info.closed.items())
    if info.shared:
        table("gedeeld", ([nummer] for nummer in info.shared))
    if info.gemeenten:
        gemeenten = info.gemeenten.items()
        table(
            "gemeente", ((c, n, part) for c, (n, text) in gemeenten for part in config_parts(text))
        )
    by_sheet: dict[str, list[str]] = {}
    for (sheet, key), print_ in info.fixed.items():
        by_sheet.setdefault(sheet, []).append(f"{key}:{print_}")
    table(
        "vast",
        (
            (sheet, " ".join(entries[i : i + PRINTS_PER_CELL]))
            for sheet, entries in by_sheet.items()
            for i in range(0, len(entries), PRINTS_PER_CELL)
        ),
    )
    table("blokafdruk", info.block_prints.items())
    return rows


def fixed_text_sheets(rows: int) -> list[str]:
    """The names of the sheets that hold `rows` going-concern rows' fixed text (at least one)."""
    count = max(1, -(-rows // FIXED_TEXT_ROWS))
    return [FIXED_TEXT_SHEET] + [f"{FIXED_TEXT_SHEET}_{n}" for n in range(2, count + 1)]


def is_fixed_text_sheet(name: str) -> bool:
    """Whether a sheet holds fixed texts: _vaste_tekst, _vaste_tekst_2, ..."""
    return name == FIXED_TEXT_SHEET or (
        name.startswith(f"{FIXED_TEXT_SHEET}_") and name[len(FIXED_TEXT_SHEET) + 1 :].isdigit()
    )


def fixed_text_header(keys: Iterable[str]) -> list[str]:
    """The first row of the `_vaste_tekst` sheet: the row's sheet and key, then the columns."""
    return ["blad", "sleutel", *keys]


def parse_fixed_texts(rows: list[list[object]]) -> dict[tuple[str, str], dict[str, object]]:
    """The `_vaste_tekst` sheet's rows (as a reader returns them): by (blad, row key) the
    fixed columns' values as generated."""
    if not rows or len(rows[0]) < 2:
        return {}
    keys = [_text(key) for key in rows[0][2:]]
    texts = {}
    for row in rows[1:]:
        if len(row) < 2:
            continue
        values = {key: row[i] if i < len(row) else None for i, key in enumerate(keys, start=2)}
        texts[(_text(row[0]), _text(row[1]))] = values
    return texts


def _block_row(block: MetaBlock) -> list[object]:
    return [
        block.sheet,
        block.thema,
        block.rol,
        block.partij,
        block.key,
        block.header_row,
        block.first_row,
        block.last_row,
        block.fixed_rows,
        ",".join(block.columns),
    ]


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
        if marker == "vast":
            sheet = _text(row[1])
            for entry in str(row[2]).split():
                nummer, _, print_ = entry.rpartition(":")
                meta.fixed[(sheet, nummer)] = print_
            continue
        if marker == "blokafdruk":
            meta.block_prints[_text(row[1])] = _text(row[2]) if len(row) > 2 else ""
            continue
        values = [row[i + 1] if i + 1 < len(row) else None for i in range(len(TABLES[marker]))]
        record = dict(zip(TABLES[marker], values, strict=True))
        if marker == "partij":
            meta.parties.append({key: _text(value) for key, value in record.items()})
        elif marker == "blok":
            meta.blocks.append(_block(record))
        elif marker == "ondertekening":
            meta.signing = _block(record)
        elif marker == "gedeeld":
            meta.shared.append(_text(record["nummer"]))
        elif marker == "afgerond":
            meta.closed[_text(record["nummer"])] = _text(record["status"])
        elif marker == "gemeente":
            code = _text(record["code"])
            naam, text = meta.gemeenten.get(code, (_text(record["naam"]), ""))
            part = record["config"]
            meta.gemeenten[code] = (naam, text + ("" if part is None else str(part)))
        else:
            meta.themas[_text(record["code"])] = _text(record["naam"])
    return meta


def _row_number(value: object) -> int:
    """A row number or count of the _meta sheet: a number, or a text that holds one."""
    if not isinstance(value, int | float | str):
        raise TypeError(f"geen getal: {value!r}")  # as float() says of it
    return int(float(value))


def _block(record: dict[str, object]) -> MetaBlock:
    return MetaBlock(
        sheet=_text(record["blad"]),
        thema=_text(record["thema"]),
        rol=_text(record["rol"]),
        partij=_text(record["partij"]),
        key=_text(record["sleutel"]),
        header_row=_row_number(record["kopregel"]),
        first_row=_row_number(record["eerste_rij"]),
        last_row=_row_number(record["laatste_rij"]),
        fixed_rows=_row_number(record["vaste_rijen"]),
        columns=tuple(_text(record["kolommen"]).split(",")),
    )


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


@functools.lru_cache(maxsize=65536, typed=True)  # typed: True and 1 are different cells
def _canonical(value: object) -> str:
    """Numbers, dates and empties as one text, whichever program wrote them (cached: a column
    repeats few of them)."""
    if type(value) is str:
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


def _canonical_float(value: float) -> str:
    """_canonical() of a float, without the cache and the type checks."""
    return str(int(value)) if value.is_integer() else repr(value)

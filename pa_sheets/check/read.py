"""Read a returned workbook: identify it through `_meta`, find every block by its header row,
and hand over the cell values with their Excel coordinates.

Reading never judges values; it only reports what stops it from reading safely (a missing sheet
or column) or what it had to work around (a renamed sheet, a moved column, rows typed between
blocks) as structure findings. Values are judged in validate.py.
"""

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import ge, methodcaller
from pathlib import Path
from xml.etree import ElementTree

from pa_sheets.check.findings import Finding, finding
from pa_sheets.check.safety import (
    DEFAULT_LIMITS,
    Limits,
    not_returned,
    open_xlsx,
    reader_failed,
    scan_file,
)
from pa_sheets.check.sheet_xml import MarkedCells
from pa_sheets.errors import UnusableWorkbook
from pa_sheets.spec.model import Spec, base_key
from pa_sheets.workbook import meta
from pa_sheets.workbook.layout import BLOCK_HEAD_ROWS

# The findings reading can give: what it had to work around, or what it could not read.
READ_CODES = ("S001", "S002", "S003", "S010", "S011", "S012", "S013", "S020", "S030")
SPECIAL_SHEETS = (
    meta.COVER_SHEET,
    meta.INVESTMENT_SHEET,
    meta.LISTS_SHEET,
    meta.SHEET,
    meta.CONTROL_SHEET,
)  # and the fixed-text sheets (meta.is_fixed_text_sheet)
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


@dataclass
class FoundBlock:
    """One block as found in the returned workbook."""

    meta: meta.MetaBlock
    sheet: str  # the sheet's name now (it may have been renamed)
    header_row: int  # Excel row, 1-based
    columns: dict[str, int]  # column key -> 0-based column index, for the columns found
    rows: list[int] = field(default_factory=list)  # Excel rows of the data rows
    values: dict[str, list[object]] = field(default_factory=dict)  # key -> one value per row

    @property
    def key(self) -> str:
        return self.meta.key


@dataclass
class WorkbookData:
    path: Path
    template: meta.Facts  # what the workbook says about itself
    meta: meta.Meta
    blocks: list[FoundBlock]
    findings: list[Finding]
    formulas: dict[str, dict[str, str]]  # sheet -> cell (A1) -> the formula in it, as typed
    investments: list[list[object]] | None  # the bod's Investeringen sheet, as cached values
    percents: dict[str, set[str]] = field(default_factory=dict)  # sheet -> cells shown as %
    signing: FoundBlock | None = None  # the Ondertekening sheet (spec 1.4), a row per party

    def typed_formulas(self, findings: Iterable[Finding]) -> dict[tuple[str, str], str]:
        """(sheet, cell) -> the formula as typed ('=HYPERLINK(...)'), for every cell a V010
        finding names: merge keeps it as text, so nothing a party wrote is lost."""
        typed = {}
        for item in findings:
            cells = self.formulas.get(item.sheet or "", {})
            if item.code == "V010" and item.sheet and item.cell and item.cell in cells:
                typed[(item.sheet, item.cell)] = cells[item.cell]
        return typed


def read_workbook(path: Path, spec: Spec, limits: Limits = DEFAULT_LIMITS) -> WorkbookData:
    """Open `path` safely and read every block; raise UnusableWorkbook when that is impossible."""
    marked = scan_file(path, limits)
    try:
        workbook = open_xlsx(path)
        names = list(workbook.sheet_names)
        if meta.SHEET not in names:
            raise not_returned(path, names)
        info = meta.parse(workbook.get_sheet_by_name(meta.SHEET).to_python())
        facts = _facts(path, info, spec)
        findings: list[Finding] = []
        sheets = _match_sheets(path, workbook, names, info, findings)
        template_blocks = spec.templates[facts.kind].blocks
        generated = frozenset(
            [
                meta.PLACEHOLDER,
                *(b.titel for b in template_blocks),
                *(b.uitleg for b in template_blocks),
            ]
        )
        blocks = []
        headers = _Headers(spec)
        for sheet_name, meta_blocks in _blocks_by_sheet(info).items():
            actual = sheets.get(sheet_name)
            if actual is None:
                continue
            grid = _Grid(workbook.get_sheet_by_name(actual))
            blocks += _read_blocks(actual, grid, meta_blocks, headers, findings, generated)
        signing = None
        if info.signing is not None:
            signing = _read_signing(workbook, names, info.signing, headers, findings, spec)
        investments = None
        if spec.templates[facts.kind].investment_columns and meta.INVESTMENT_SHEET in names:
            investments = _Grid(workbook.get_sheet_by_name(meta.INVESTMENT_SHEET)).rows
        workbook.close()
        formulas, percents = _marked_cells(path, set(sheets.values()), marked)
        findings += [finding("S030", value=target) for target in _external_links(path)]
    except BaseException as exc:  # calamine's own types, and a Rust panic (a BaseException)
        raise reader_failed(path, exc) from None
    return WorkbookData(
        path,
        facts,
        info,
        blocks,
        findings,
        formulas,
        investments,
        percents,
        signing,
    )


def read_fixed_texts(path: Path) -> dict[tuple[str, str], dict[str, object]]:
    """The going-concern rows' fixed text as generated (meta.FIXED_TEXT_SHEET and the sheets
    after it), by (blad, row key); {} for a workbook made before that sheet existed or one it
    cannot be read from. Only X005 asks, so an unchanged workbook never opens the sheet."""
    try:
        workbook = open_xlsx(path)
        texts: dict[tuple[str, str], dict[str, object]] = {}
        for name in filter(meta.is_fixed_text_sheet, workbook.sheet_names):
            texts |= meta.parse_fixed_texts(workbook.get_sheet_by_name(name).to_python())
        workbook.close()
        return texts
    except BaseException as exc:  # calamine's own types, and a Rust panic (a BaseException)
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        return {}  # the finding then shows the text as found, as for an older workbook


def _read_signing(workbook, names, signing: meta.MetaBlock, headers, findings, spec):
    """The Ondertekening sheet, read as a block; None when it is gone (S001, S010)."""
    if signing.sheet not in names:
        findings.append(finding("S001", sheet=signing.sheet))
        return None
    grid = _Grid(workbook.get_sheet_by_name(signing.sheet))
    header_row = _find_header(grid, signing, headers, 1)
    if header_row is None:
        findings.append(
            finding("S010", sheet=signing.sheet, row=signing.header_row, value=signing.key)
        )
        return None
    template = spec.templates["jaarschijf"].signing
    generated = frozenset([template.titel, template.uitleg] if template else [])
    return _read_block(
        signing.sheet, grid, signing, header_row, None, None, headers, findings, generated
    )


class _Grid:
    """A sheet's values addressed by Excel row (1-based) and 0-based column."""

    def __init__(self, sheet):
        self.rows = sheet.to_python()
        self.top, self.left = sheet.start if self.rows else (0, 0)

    @property
    def last_row(self) -> int:
        return self.top + len(self.rows)

    def row(self, excel_row: int) -> list[object]:
        """The row's values from column A on (not a copy when the sheet starts in A)."""
        index = excel_row - 1 - self.top
        if not 0 <= index < len(self.rows):
            return []
        return [None] * self.left + self.rows[index] if self.left else self.rows[index]

    def value(self, excel_row: int, col: int) -> object:
        row = self.row(excel_row)
        return row[col] if col < len(row) else None


def _facts(path: Path, info: meta.Meta, spec: Spec) -> meta.Facts:
    facts = facts_of(path, info.facts, spec)
    for block in info.blocks:
        unknown = [k for k in block.columns if base_key(k) not in spec.columns]
        if unknown or block.key not in {b.key for b in spec.templates[facts.kind].blocks}:
            raise UnusableWorkbook(f"{path}: _meta noemt onbekende blokken of kolommen.")
    if not info.blocks:
        raise UnusableWorkbook(f"{path}: _meta noemt geen blokken.")
    return facts


def facts_of(path: Path, texts: dict[str, str], spec: Spec) -> meta.Facts:
    """What a workbook says about itself, from the facts of its _meta (or of an overview),
    for this spec: a kind it knows, a spec version it can read."""
    kind = texts.get("soort", "")
    if kind not in spec.templates:
        raise UnusableWorkbook(f"{path}: onbekende soort werkboek {kind!r} in _meta.")
    version = texts.get("spec_versie", "")
    if not re.fullmatch(r"\d+\.\d+", version):
        raise UnusableWorkbook(f"{path}: _meta noemt geen geldige specversie ({version!r}).")
    have, want = (tuple(int(p) for p in v.split(".")) for v in (version, spec.version))
    if have[0] != want[0] or have > want:
        raise UnusableWorkbook(
            f"{path}: gemaakt met spec {version}; deze pa-sheets kent spec {spec.version}. "
            + ("Werk pa-sheets bij." if have > want else "Maak het werkboek opnieuw aan.")
        )
    try:
        return meta.Facts.from_texts(texts)
    except KeyError as exc:
        what = f"het gegeven {exc.args[0]!r} ontbreekt"
    except ValueError:
        what = "de jaren of de periode zijn geen jaartallen"
    raise UnusableWorkbook(
        f"{path}: _meta is onvolledig of gewijzigd ({what}). Gebruik het werkboek dat de "
        "gemeente heeft gestuurd."
    )


def _normal(value: object) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    return text.removesuffix(meta.REQUIRED_MARK.strip()).strip().casefold()


class _Headers:
    """Each column's expected header, as the generator writes it and as compared; worked out
    once per key, as every sheet of a big workbook has the same few columns."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.texts: dict[str, str] = {}
        self.normals: dict[str, str] = {}
        self.older: dict[str, tuple[str, ...]] = {}
        self.all_forms: dict[str, tuple[str, ...]] = {}
        self.cells: dict[tuple[type, object], str] = {}  # (type, value) -> _normal(value)
        self.blocks: dict[tuple[str, ...], tuple[list[tuple[str, ...]], frozenset[str]]] = {}

    def text(self, key: str) -> str:
        if key not in self.texts:
            self.texts[key] = self.spec.header_for(key)
        return self.texts[key]

    def normal(self, key: str) -> str:
        if key not in self.normals:
            self.normals[key] = _normal(self.text(key))
        return self.normals[key]

    def forms(self, key: str) -> tuple[str, ...]:
        """The header as compared, then as an earlier spec wrote it (eerdere_koppen)."""
        if key not in self.all_forms:
            old = self.spec.column_for(key).old_headers
            self.older[key] = tuple(_normal(text) for text in old)
            self.all_forms[key] = (self.normal(key), *self.older[key])
        return self.all_forms[key]

    def of_block(self, keys: tuple[str, ...]) -> tuple[list[tuple[str, ...]], frozenset[str]]:
        """The forms of each of a block's columns, and all of them as one set: worked out
        once per list of columns (the blocks of a big workbook have the same few)."""
        if keys not in self.blocks:
            wanted = [self.forms(key) for key in keys]
            self.blocks[keys] = (wanted, frozenset(chain.from_iterable(wanted)))
        return self.blocks[keys]

    def row(self, values: list[object]) -> list[str]:
        """A row's cells as compared with the headers: each distinct cell worked out once (the
        header rows of a big workbook repeat the same few texts)."""
        cells = self.cells
        normals = []
        for value in values:
            seen = (type(value), value)
            if seen not in cells:
                cells[seen] = _normal(value)
            normals.append(cells[seen])
        return normals


def _blocks_by_sheet(info: meta.Meta) -> dict[str, list[meta.MetaBlock]]:
    sheets: dict[str, list[meta.MetaBlock]] = {}
    for block in info.blocks:
        sheets.setdefault(block.sheet, []).append(block)
    return sheets


def _match_sheets(path, workbook, names, info, findings) -> dict[str, str]:
    """Map each sheet named in _meta to the sheet in the workbook that holds it now."""
    expected = list(_blocks_by_sheet(info))
    found = {name: name for name in expected if name in names}
    missing = [name for name in expected if name not in names]
    own = {info.signing.sheet} if info.signing is not None else set()
    extra = [
        n
        for n in names
        if n not in expected
        and n not in SPECIAL_SHEETS
        and not meta.is_fixed_text_sheet(n)
        and n not in own
    ]
    displays = {party["kort"]: party["naam"] for party in info.parties}
    for name in missing:
        block = next(b for b in info.blocks if b.sheet == name)
        candidates = [
            other
            for other in extra
            if _looks_like(workbook.get_sheet_by_name(other), block, displays.get(block.partij))
        ]
        if len(candidates) == 1:
            found[name] = candidates[0]
            extra.remove(candidates[0])
            findings.append(finding("S002", sheet=candidates[0], value=name))
        else:
            findings.append(finding("S001", sheet=name))
    for other in extra:
        findings.append(finding("S003", sheet=other))
    return found


def _looks_like(sheet, block: meta.MetaBlock, display: str | None) -> bool:
    """A renamed tab keeps its title (thema code first) and subtitle (the party's name)."""
    grid = _Grid(sheet)
    title, subtitle = str(grid.value(1, 0) or ""), str(grid.value(2, 0) or "")
    if not display:
        return False
    return title.startswith(f"{block.thema} ") and subtitle.startswith(display)


def _read_blocks(sheet_name, grid, meta_blocks, headers, findings, generated) -> list[FoundBlock]:
    """Find each block's header row in order, then read the rows up to the next block.
    `generated`: the lines the generator writes itself (titles, explanations)."""
    found: list[tuple[meta.MetaBlock, int | None]] = []
    search_from = 1
    for block in meta_blocks:
        header_row = _find_header(grid, block, headers, search_from)
        if header_row is None:
            findings.append(
                finding("S010", sheet=sheet_name, row=block.header_row, value=block.key)
            )
        else:
            search_from = header_row + 1
        found.append((block, header_row))
    blocks = []
    for i, (block, header_row) in enumerate(found):
        if header_row is None:
            continue
        # How far the next block that was found moved: rows inserted in this block or its gap.
        following = next(((b, h) for b, h in found[i + 1 :] if h is not None), None)
        next_header = following[1] if following else None
        shift = following[1] - following[0].header_row if following else None
        blocks.append(
            _read_block(
                sheet_name,
                grid,
                block,
                header_row,
                next_header,
                shift,
                headers,
                findings,
                generated,
            )
        )
    return blocks


def _find_header(grid: _Grid, block: meta.MetaBlock, headers: _Headers, start: int) -> int | None:
    """The first row from the expected one (or `start`) that holds most of the headers."""
    wanted = headers.of_block(block.columns)[0]
    needed = max(1, len(wanted) // 2 + 1) if len(wanted) > 2 else len(wanted)
    order = [block.header_row, *range(start, grid.last_row + 1)]
    for row in order:
        if row < start:
            continue
        cells = set(headers.row(grid.row(row)))
        if sum(any(form in cells for form in forms) for forms in wanted) >= needed:
            return row
    return None


def _read_block(
    sheet_name, grid, block, header_row, next_header, shift, headers, findings, generated
) -> FoundBlock:
    header = headers.row(grid.row(header_row))
    wanted, known = headers.of_block(block.columns)
    # Each text of the header row -> its first column, as header.index gives it (of a text
    # found twice, the first one is the last put in the dict).
    first = dict(zip(reversed(header), reversed(range(len(header))), strict=True))
    columns: dict[str, int] = {}
    moved = []
    for position, (key, forms) in enumerate(zip(block.columns, wanted, strict=True)):
        text = next((form for form in forms if form in first), None)
        if text is None:
            findings.append(
                finding("S011", sheet=sheet_name, row=header_row, column=headers.text(key))
            )
            continue
        columns[key] = first[text]
        if columns[key] != position:
            moved.append(key)
    if moved:
        names = ", ".join(repr(headers.text(key)) for key in moved)
        findings.append(
            finding("S012", sheet=sheet_name, row=header_row, col=columns[moved[0]], value=names)
        )
    width = max(len(block.columns), max(columns.values(), default=0) + 1)
    raw_header = grid.row(header_row)
    for col, text in enumerate(header[:width]):
        if text and text not in known:
            findings.append(
                finding("S013", sheet=sheet_name, row=header_row, col=col, value=raw_header[col])
            )
    # Rows inside the block run to the title of the next block; the two rows before it are the
    # blank gap the generator left, plus whatever rows were inserted inside the block.
    end = (next_header - BLOCK_HEAD_ROWS - 1) if next_header else grid.last_row
    planned_end = block.last_row + (shift or 0)
    result = FoundBlock(block, sheet_name, header_row, columns)
    start = max(header_row - grid.top, 0)  # index in grid.rows of the first row below
    region = grid.rows[start : max(end - grid.top, 0)]
    excel_rows = range(grid.top + 1 + start, grid.top + 1 + start + len(region))
    # Column by column (a transposition and one pass per column) rather than cell by cell.
    sheet_columns = list(zip(*region, strict=True)) if region else []
    picked: list[list[object]] = [
        _clean_column(sheet_columns[p - grid.left])
        if 0 <= p - grid.left < len(sheet_columns)
        else [None] * len(region)
        for p in columns.values()
    ]
    dropped = _dropped_rows(picked, len(region), generated)
    if next_header and shift is not None:
        # The rows typed below the block as planned (and its inserted rows), before the next.
        for index in range(max(planned_end - excel_rows.start + 1, 0), len(region)):
            if index not in dropped:
                findings.append(finding("S020", sheet=sheet_name, row=excel_rows[index], col=0))
                dropped.add(index)
    if not dropped:  # every row kept (the columns are new lists, not the grid's)
        result.rows = list(excel_rows)
        result.values = dict(zip(columns, picked, strict=True))
        return result
    keep = [True] * len(region)
    for index in dropped:
        keep[index] = False
    result.rows = list(compress(excel_rows, keep))
    result.values = {
        key: list(compress(values, keep)) for key, values in zip(columns, picked, strict=True)
    }
    return result


def _dropped_rows(picked: list[list[object]], count: int, generated: frozenset) -> set[int]:
    """The rows (indexes) that are empty, or hold only a line the generator wrote (a title).
    The empty cells of each row are counted in C; only a row with at most one value is looked
    at in Python."""
    width = len(picked)
    if width == 0:
        return set(range(count))  # no column found (S011): no rows at all
    if width >= 2 and None not in picked[0] and None not in picked[1]:
        return set()  # two columns filled in every row (nummer, afspraak): none to drop
    nones = list(map(methodcaller("count", None), zip(*picked, strict=True)))
    return {
        index
        for index in compress(range(count), map(ge, nones, repeat(width - 1)))
        if nones[index] == width
        or next(value for column in picked if (value := column[index]) is not None) in generated
    }


def _clean_column(values: tuple[object, ...]) -> list[object]:
    """Empty strings and cells with only spaces become None; other text loses outer spaces.
    Worked out once per distinct text: a column repeats most of its values."""
    if values and values[0] == "" and values.count("") == len(values):
        return [None] * len(values)  # an empty column: most of them, in C
    texts = [value for value in set(values) if type(value) is str]
    fixes: dict[object, object] = {  # looked up with every value, text or not
        text: text.strip() or None for text in texts if not text or text != text.strip()
    }
    if not fixes:
        return list(values)
    return list(map(fixes.get, values, values))  # fixes.get(value, value), at C speed


def _marked_cells(
    path: Path, sheets: set[str], marked: dict[str, MarkedCells]
) -> tuple[dict[str, dict[str, str]], dict[str, set[str]]]:
    """Per sheet, the cells holding a formula and the cells shown as a percentage, as
    scan_file found them in each sheet part (`marked`)."""
    if not marked:
        return {}, {}  # a workbook as generated: no need to know which sheet is which part
    with zipfile.ZipFile(path) as archive:
        parts = _sheet_parts(archive)
    found = {name: marked[parts[name]] for name in sheets if parts.get(name) in marked}
    formulas = {name: cells.formulas for name, cells in found.items() if cells.formulas}
    percents = {name: set(cells.percents) for name, cells in found.items() if cells.percents}
    return formulas, percents


def _external_links(path: Path) -> list[str]:
    """The files an external link part points at (read, never followed). Safe to parse:
    scan_file refused any part with a DOCTYPE."""
    targets = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if not re.fullmatch(r"xl/externalLinks/_rels/[^/]+\.rels", name):
                continue
            rels = ElementTree.fromstring(archive.read(name))
            targets += [rel.get("Target", "") for rel in rels.findall("rel:Relationship", _NS)]
    return targets


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part, from the workbook and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.findall("rel:Relationship", _NS)
    }
    parts = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[sheet.get("name", "")] = target
    return parts

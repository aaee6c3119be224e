"""One reading of a worksheet's XML, shared by the safety check and the reader: how far its
cells reach, which cells hold a formula and which are shown as a percentage (calamine gives
only values: 95% typed in Excel is 0.95, and a formula is its cached result).

A sheet is searched in a handful of passes in C, with a step in Python only for a cell it
reports (a formula, a percentage), never for every cell: a big sheet has a million. Whatever
the writer: attributes in any order (<c s="40" r="S23">), either quote, elements with a
namespace prefix (<x:c>, <x:f>). Only real elements and attributes count: text that looks
like XML cannot, as XML escapes "<" in every value (&lt;c r="A1"&gt;), comments and CDATA
are left out, and an attribute's value is read as a whole, so ` r='A1'` inside another
attribute's value is not a place. Safe to parse: the safety check refused any part with a
DOCTYPE before it hands a sheet here.
"""

import re
from dataclasses import dataclass, field
from operator import itemgetter
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%

# A sheet in the shape of its characters: the capital A as A, the other capitals as B (so a
# column AA to AZ can be told from BA to ZZ), other letters (but c, f and r) as a, digits as 0;
# whitespace, quotes and = as a space, so an attribute r reads " r " wherever it stands and
# however it is spaced (a word that starts with r reads " raaa"); and : as <, so a prefixed
# element (x:c) counts as one without a prefix. The same length as the sheet: a place in the
# one is the same place in the other.
SHAPE = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabdeghijklmnopqstuvwxyz0123456789\t\n\r\"'=:",
    b"A" + b"B" * 25 + b"a" * 23 + b"0" * 10 + b"      <",
)
# Column AZ up to row 9,999, or column ZZ up to row 999: a pa-sheets sheet reaches AB274 (spec
# 1.6 has 28 columns), a dense area calamine holds easily.
SMALL_AREA = max(52 * 9999, 26 * 27 * 999)

_NAME = rb"[A-Za-z_][\w.-]*"
_ELEMENT = rb"<(?:" + _NAME + rb":)?"  # the start of an element, with or without a prefix
# One attribute as calamine reads it: its key after whitespace or straight after the quote
# that closes the value before it, spaces around "=", either quote; the value whole.
_ATTRIBUTE = re.compile(rb"""\s*([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTRIBUTES = rb"""(?:\s*[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*"""
_CELL_TAG = re.compile(_ELEMENT + rb"c(?=[\s/>])(" + _ATTRIBUTES + rb")\s*(/?)>")
_FORMULA_NAME = re.compile(_ELEMENT + rb"f")
_FORMULA_TAG = re.compile(_ELEMENT + rb"f(?=[\s/>])" + _ATTRIBUTES + rb"\s*(/?)>")
_FORMULA_END = re.compile(rb"</(?:" + _NAME + rb":)?f\s*>")
_CELL_END = re.compile(rb"</(?:" + _NAME + rb":)?c\s*>")
_FORMULA = re.compile(rb"<f[ />]")  # in the shape, prefixed or not; usually none at all
# What XML holds besides elements, where "<" may stand unescaped: a comment, CDATA, a
# processing instruction. Blanked out before elements are looked for.
_NOT_ELEMENTS = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.DOTALL)
# Every attribute r, of a row or a cell, wherever it stands (calamine keeps a cell's last r):
# for the exact area, which would rather count one too many than miss one.
_REFERENCE = re.compile(rb"""[\s"']r\s*=\s*["']([A-Za-z]*)([0-9]*)""")
_CELL = re.compile(_ELEMENT + rb"c[\s/>]")
_PLACED = re.compile(_ELEMENT + rb"""c(?=\s)[^>]*?[\s"']r\s*=""")


@dataclass(frozen=True)
class MarkedCells:
    """What calamine's values do not show of one sheet, by cell (A1)."""

    formulas: dict[str, str] = field(default_factory=dict)  # -> the formula as typed
    percents: frozenset[str] = frozenset()  # shown as a percentage

    def __bool__(self) -> bool:
        return bool(self.formulas or self.percents)


def percent_styles(styles: bytes) -> frozenset[int]:
    """The cell styles (indexes into cellXfs, a cell's s) whose number format shows a
    percentage, from xl/styles.xml."""
    root = ElementTree.fromstring(styles)
    percent = set(_PERCENT_FORMATS)
    for fmt in root.iter(f"{_MAIN}numFmt"):
        code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))  # quoted text, escapes
        if "%" in code and fmt.get("numFmtId", "").isdigit():
            percent.add(int(fmt.get("numFmtId", "")))
    xfs = root.find(f"{_MAIN}cellXfs")
    return frozenset(
        index
        for index, xf in enumerate(xfs.iter(f"{_MAIN}xf") if xfs is not None else ())
        if xf.get("numFmtId", "0").isdigit() and int(xf.get("numFmtId", "0")) in percent
    )


def within_small_area(sheet: bytes, shape: bytes) -> bool:
    """Whether every cell of the sheet names its place first and within SMALL_AREA (column AZ
    up to row 9,999, or column ZZ up to row 999), as Excel and every library we know write
    them (<c r="B12" ...>). Two or three searches in C (each stops at the first cell it
    cannot vouch for) instead of a step in Python per cell; anything else (an r further on,
    or twice, a long reference, a cell without one) is left to exact_area, which reads each
    reference. Text that holds words starting with r, as inline strings do, stays on this
    way."""
    start, end = sheet.find(b"sheetData"), sheet.rfind(b"sheetData")
    if start < 0 or _OTHER_R.search(shape, start, end):
        return False
    # Up to AZ (a pa-sheets sheet reaches AB): rows to 9,999; up to ZZ: rows to 999.
    return (
        _PAST_AZ_OR_9999.search(shape, start, end) is None
        or _PAST_ZZ_OR_999.search(shape, start, end) is None
    )


# In the shape: an element c (or a "<c" in a comment) that does not start with its r, quoted,
# within A1:AZ9999 (<c r="AB1234" ...), or within A1:ZZ999. A column to AZ reads as A or B
# (A to Z), or A before A or B (AA to AZ); BA to ZZ read as BA or BB.
_PAST_AZ_OR_9999 = re.compile(rb"<c(?! r  A?[AB]0{1,4} )")
_PAST_ZZ_OR_999 = re.compile(rb"<c(?! r  [AB]{1,2}0{1,3} )")
# In the shape: an attribute r (or a word "r") that is neither a cell's nor a row's first
# one (<row r="...), such as a cell's second r: calamine keeps the last.
_OTHER_R = re.compile(rb" r (?<!<c r )(?! (?<=<raa r  ))")


def exact_area(sheet: bytes) -> tuple[int, int, int]:
    """The highest row and column any attribute r of a sheet names, and how many cells have
    none (their place would follow from the others). Exact, with a step in Python per cell:
    for the sheets within_small_area cannot vouch for."""
    references = _REFERENCE.findall(sheet)
    unplaced = len(_CELL.findall(sheet)) - len(_PLACED.findall(sheet))
    letters = {letters.upper() for letters in set(map(itemgetter(0), references))} - {b""}
    numbers = set(map(itemgetter(1), references)) - {b""}
    rows = max(map(int, numbers), default=0)
    return rows, max(map(column_number, letters), default=0), unplaced


def column_number(letters: bytes) -> int:
    """b"AB" -> 28."""
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column


def marked_cells(sheet: bytes, shape: bytes, percents: frozenset[int]) -> MarkedCells:
    """The cells of a sheet that hold a formula, and those whose style (`percents`, from
    percent_styles) shows a percentage. One search in C each; a step in Python only for a
    cell found, and a sheet as generated has none."""
    formula_at = [match.start() for match in _FORMULA.finditer(shape)]
    percent_at = _percent_attributes(sheet, percents)
    if not formula_at and not percent_at:
        return MarkedCells()
    elements = _only_elements(sheet)
    formulas: dict[str, str] = {}
    for at in formula_at:
        _add_formula(sheet, elements, at, formulas)
    cells = set()
    for at in percent_at:
        start = elements.rfind(b"<", 0, at)
        tag = _CELL_TAG.match(elements, start) if start >= 0 else None
        if tag is not None and tag.end() > at:
            attributes = _attributes(tag.group(1))
            style = attributes.get(b"s", b"")
            if b"r" in attributes and style.isdigit() and int(style) in percents:
                cells.add(attributes[b"r"].decode("ascii", "replace").upper())
    return MarkedCells(formulas, frozenset(cells))


def _percent_attributes(sheet: bytes, percents: frozenset[int]) -> list[int]:
    """Where an attribute s with a percentage style may stand: found in C, confirmed after."""
    if not percents:
        return []
    styles = b"|".join(b"%d" % style for style in sorted(percents))
    pattern = rb"""[\s"']s\s*=\s*["']0*(?:""" + styles + rb""")["']"""
    return [match.start() for match in re.finditer(pattern, sheet)]


def _only_elements(sheet: bytes) -> bytes:
    """The sheet with its comments, CDATA and processing instructions blanked out (the same
    length): every "<" left starts a real element."""
    if b"<!" not in sheet and sheet.count(b"<?") <= 1:  # at most the XML declaration
        return sheet
    return _NOT_ELEMENTS.sub(lambda match: b" " * len(match.group()), sheet)


def _attributes(text: bytes) -> dict[bytes, bytes]:
    """A start tag's attributes; of a key given twice the last, as calamine keeps it."""
    return {key: double or single for key, double, single in _ATTRIBUTE.findall(text)}


def _add_formula(sheet: bytes, elements: bytes, at: int, formulas: dict[str, str]) -> None:
    """The formula whose element f (or x:f) the shape shows at `at`, under its cell's place;
    nothing when that is text (a colon before an f) or no cell holds it."""
    if elements[at] not in b"<:":  # blanked out: in a comment or CDATA
        return
    start = at if elements[at] == ord("<") else elements.rfind(b"<", 0, at)
    if start < 0 or not _FORMULA_NAME.fullmatch(elements, start, at + 2):
        return  # a colon before an f in a text, not a prefix
    tag = _FORMULA_TAG.match(elements, start)
    if tag is None:
        return
    cell = _cell_around(elements, start)
    if cell is None:
        return
    attributes = _attributes(cell.group(1))
    if b"r" not in attributes:
        return  # a cell without a place: the safety check refuses the sheet
    place = attributes[b"r"].decode("ascii", "replace").upper()
    if tag.group(1):  # <f/>: a shared formula, its text in another cell
        text = ""
    else:
        end = _FORMULA_END.search(elements, tag.end())
        text = _text(sheet[tag.end() : end.start()]) if end else ""
    formulas.setdefault(place, f"={text}" if text else "(formule)")


def _cell_around(elements: bytes, at: int) -> re.Match | None:
    """The start tag of the cell an element at `at` stands in: the last one before it, as
    long as that cell is not closed before `at`."""
    start = at
    for _ in range(16):  # a cell holds f, v and is: never many elements before its f
        start = elements.rfind(b"<", 0, start)
        if start < 0:
            return None
        cell = _CELL_TAG.match(elements, start)
        if cell is not None:
            return None if cell.group(2) else cell  # <c .../> holds nothing
        if _CELL_END.match(elements, start):
            return None
    return None


def _text(content: bytes) -> str:
    """An element's text as XML means it (&amp; as &, a CDATA section as its content)."""
    if b"&" not in content and b"<" not in content:
        return content.decode("utf-8", "replace")
    try:
        return ElementTree.fromstring(b"<f>" + content + b"</f>").text or ""
    except ElementTree.ParseError:
        return ""

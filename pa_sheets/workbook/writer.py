"""The one way pa-sheets makes a workbook with xlsxwriter; every writer (generate, the overview,
the evaluation) opens its workbook here.

- Text is data: a string that starts with `=`, looks like a web address or like a number is
  written as that string, never as a formula, a link or a number. Text from a returned workbook
  or a config can then never run or link anything; the writers write their own formulas and
  links on purpose, with write_formula and write_url.
- The creation time is the caller's: xlsxwriter would stamp the moment of writing, so the same
  input would never give the same file.
- `Formats` makes each cell format once; `print_setup` prints a sheet on A4 landscape, at most
  two pages wide (then across before down), with its header row and its identifying columns on
  every page and its name and page number below; `paper_widths` narrows a table's columns
  (its text wraps) so that it prints one page wide at a scale still easy to read.
- xlsxwriter fits neither columns nor rows to what they hold: `fit_widths` and `row_height`
  estimate both from the text, the same way for every writer (and for the tests that check
  them); `place_charts` puts charts in a grid below the cells in use.

Writing the file atomically and refusing a target that may not be written are output.py's job.
xlsxwriter itself is imported only to make a workbook: validate uses the size estimates (for the
annotated copy) and should not pay for loading it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat, zip_longest
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xlsxwriter
    from xlsxwriter.chart import Chart
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

# Never a formula, a link or a number from a string.
TEXT_SAFE = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
A4 = 9  # xlsxwriter's paper code


def now() -> dt.datetime:
    """The creation time when the caller gives none: now, to the second, as a file keeps it."""
    return dt.datetime.now().replace(microsecond=0)


def text_safe_workbook(path: Path, created: dt.datetime, **properties: str) -> xlsxwriter.Workbook:
    """A new workbook at `path` that writes every string as text, stamped as made at `created`,
    with the document `properties` (title, subject, author, comments) set.

    Example: text_safe_workbook(Path("uit.xlsx"), dt.datetime(2027, 1, 1), title="Overzicht")
    """
    from pa_sheets.workbook.xlsx import QuickWorkbook

    workbook = QuickWorkbook(str(path), dict(TEXT_SAFE))
    workbook.set_properties({**properties, "created": created})
    return workbook


class Formats:
    """The cell formats of one workbook, each made once: asking again for the same properties
    gives the same format. `defaults` (a font, say) go into every format made here.

    Example: bold = Formats(workbook, font_size=10)(bold=True)
    """

    def __init__(self, workbook: xlsxwriter.Workbook, **defaults: object):
        self.workbook, self.defaults = workbook, defaults
        self.made: dict[tuple[tuple[str, object], ...], Format] = {}

    def __call__(self, **properties: object) -> Format:
        key = tuple(sorted(properties.items()))
        if key not in self.made:
            self.made[key] = self.workbook.add_format({**self.defaults, **properties})
        return self.made[key]


FOOTER = "&L&A&RPagina &P van &N"  # the sheet's name, and page N of M
PAGE_PIXELS = 1045  # the width of A4 landscape within margins of 1 cm, at 96 dots per inch
PAGE_HEIGHT_PIXELS = 688  # its height within print_setup's margins (0.5 and 0.6 inch)
SMALLEST_SCALE = 0.7  # one page wide down to this scale; a wider sheet gets two pages
# A page of many small tables (a summary) rather one page wide at this scale than two pages.
SUMMARY_SCALE = 0.62


def print_setup(
    sheet: Worksheet,
    *,
    repeat_row: int | None = None,
    repeat_columns: int = 0,
    header: str = "",
    footer: str = FOOTER,
    widths: Sequence[float] = (),
    scale: float = SMALLEST_SCALE,
) -> None:
    """Print `sheet` on A4 landscape with row `repeat_row` (0-based: the header row of its
    table) at the top of every page and its first `repeat_columns` columns (the ones that say
    which row is which: Nummer, Corporatie) at the left of every page, the page `header` and
    `footer` given (xlsxwriter's &-codes; by default the sheet's name and the page number).
    One page wide, or two when the column `widths` (characters) would not fit one at `scale`
    (one still easy to read); then the pages run across before down, so the second half of a row is
    on the page right after its first half."""
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.fit_to_pages(pages_wide(widths, scale), 0)
    sheet.print_across()
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row)
    if repeat_columns:
        sheet.repeat_columns(0, repeat_columns - 1)
    if header:
        sheet.set_header(header)
    if footer:
        sheet.set_footer(footer)


def pages_wide(widths: Sequence[float], scale: float = SMALLEST_SCALE) -> int:
    """How many pages wide columns of these `widths` (characters) print: one when they fit at
    `scale` or larger, else two."""
    pixels = sum(column_pixels(width) for width in widths)
    return 2 if pixels > PAGE_PIXELS / scale else 1


def paper_widths(
    widths: Sequence[float],
    floors: Sequence[float] = (),
    scale: float = SMALLEST_SCALE,
    low: float = 8,
    most: float = 1.0,
) -> list[float]:
    """`widths` (characters) narrowed so that they print one page wide at `scale` or larger:
    each column gives up the same share of what it has above its floor (`floors`, from
    `narrowest`: a number or a word does not wrap; at least `low`), so a wide text column
    stays the widest and its text wraps. Widths that fit already come back as they are;
    columns that cannot give enough stay wider than the page. A share above `most` leaves
    the widths as they are: squeezed that far, a table reads better on two pages.

    Example: paper_widths([10, 60, 60, 60, 60]) -> [9.0, 50.0, 50.0, 50.0, 50.0]"""
    result = [float(width) for width in widths]
    least = [
        min(width, max(low, floor))
        for width, floor in zip_longest(result, floors[: len(result)], fillvalue=low)
    ]
    excess = (sum(column_pixels(width) for width in result) - PAGE_PIXELS / scale) / 7
    spare = sum(width - floor for width, floor in zip(result, least, strict=True))
    if excess <= 0 or spare <= 0:
        return result
    share = min(1.0, excess / spare)
    if share > most:
        return result
    # Whole characters, rounded down: rounded up the columns would not fit the page, and a
    # spreadsheet program stores a width of whole pixels near it (a row's height is
    # estimated from the width given here).
    return [
        float(math.floor(width - (width - floor) * share))
        for width, floor in zip(result, least, strict=True)
    ]


WORD_FLOOR = 14  # a word this long is not broken on paper (a longer one may be)


def narrowest(header: Sequence[object], rows: Iterable[Sequence[object]]) -> list[float]:
    """Per column the width (characters) below which its cells would be cut: its header's
    longest word (headers wrap between words), its longest number or date (they never wrap)
    and its texts' longest word up to WORD_FLOOR characters (text wraps between words)."""
    floors = [
        max((len(word) for word in str(text or "").split()), default=0) + 2 for text in header
    ]
    for col, values in enumerate(zip_longest(*rows)):
        while len(floors) <= col:
            floors.append(0)
        others = [display_text(v) for v in values if v is not None and type(v) is not str]
        words = {word for v in values if type(v) is str for word in v.split()}
        longest_word = min(WORD_FLOOR, max(map(len, words), default=0))
        floors[col] = max(floors[col], max(map(len, others), default=0) + 2, longest_word + 1)
    return [float(floor) for floor in floors]


def column_pixels(width: float) -> int:
    """A column's width on screen, as Excel turns characters into pixels (Calibri 11)."""
    return int(width * 7 + 5)


# A number (or a date) keeps a character's room on the right of its cell: right-aligned
# against the edge it would run into the text of the next column ("85In 2027 ...").
NUMBER_ROOM = {"align": "right", "indent": 1}


# -- sizes: estimated from the text, as xlsxwriter measures nothing ----------------------------

LINE_HEIGHT = 15.0  # points per line of 11 pt text (Excel's default row)
LINE_10PT = 13.0  # points per line of 10 pt text (the templates and the Controle sheet)
# Running text per digit of column width: Calibri's letters average about 5.6 pixels against
# 7 for a digit (a line of 30 digits holds some 37 letters and spaces); a little less here.
TEXT_PER_DIGIT = 1.2
DEFAULT_ROW_PIXELS = 20
CHART_SIZE = (900, 380)  # pixels: two fit an A4 landscape page, at a size to read
# Four charts on one page, two by two, on a page at SUMMARY_SCALE.
GRID_CHART_SIZE = (820, 480)
CHART_GAP = 16


def display_text(value: object) -> str:
    """A value as a cell shows it, near enough to measure: 1234.5 as 1,234.5."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if isinstance(value, dt.datetime | dt.date):
        return "31-12-2027"
    return str(value)


def fit_widths(
    header: Sequence[object], rows: Iterable[Sequence[object]], low: float = 6, high: float = 44
) -> list[float]:
    """Per column a width (in characters) for what it holds, within low..high: its longest
    value, and its header on at most two lines (headers wrap; no word is cut)."""
    widths = [max(low, _header_width(str(text or ""))) for text in header]
    # Column by column: the overview has millions of cells. A short row is empty at its end.
    for col, values in enumerate(zip_longest(*rows)):
        while len(widths) <= col:
            widths.append(low)
        widths[col] = max(widths[col], _longest(values) + 2)
    return [min(max(width, low), high) for width in widths]


def _longest(values: Sequence[object]) -> int:
    """The longest line among `values` as cells show them; texts measured in C, each other
    value once."""
    texts = [value for value in values if type(value) is str]
    longest = max(map(len, texts), default=0)
    if any("\n" in text for text in texts):
        longest = max(len(line) for text in texts for line in text.split("\n"))
    others = {value for value in values if value is not None and type(value) is not str}
    return max(longest, max((len(display_text(value)) for value in others), default=0))


def _header_width(text: str) -> float:
    words = text.split()
    longest = max((len(word) for word in words), default=0)
    return max(longest, math.ceil(len(text) / 2)) + 2


def text_lines(text: object, width: float, size: float = 11) -> int:
    """The lines `text` in a `size` pt font takes in a wrapping cell `width` characters wide
    (a width counts digits of the 11 pt default font): words wrapped greedily, a word longer
    than a line broken. A line holds TEXT_PER_DIGIT characters of running text per digit (a
    letter is narrower than a digit), less one, so the estimate errs high but not by a line
    in four: rows too high print half the pages. A word longer than a line (a web address,
    a hash) is measured as digits: it breaks anywhere, a digit's width a character."""
    per_word = max(1, int(width * 11 / size) - 1)
    per_line = max(per_word, int(width * TEXT_PER_DIGIT * 11 / size) - 1)
    text = display_text(text)
    if len(text) <= per_word and "\n" not in text:  # most cells: one line, no words to count
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in paragraph.split():
            while len(word) > per_word:  # a long word (a web address) breaks anywhere
                if used:
                    count, used = count + 1, 0
                word = word[per_word:]
                count += 1
            if used and used + 1 + len(word) > per_line:
                count, used = count + 1, 0
            used += len(word) + (1 if used else 0)
        lines += count
    return lines


# A character's width in digits (what a column's width counts) where it is a tenth or more
# narrower or wider than a digit, after DejaVu Sans: the font LibreOffice prints Calibri in
# where Calibri is missing (as on the machine that renders the demo), whose letters are as
# wide against its digits as Calibri's or a little wider. Any other character is a digit wide.
CHAR_WIDTHS = {
    **dict.fromkeys("'IJijlï", 0.45),
    **dict.fromkeys(" ,.\u2018\u2019", 0.5),
    **dict.fromkeys("-/:;\\f|", 0.55),
    **dict.fromkeys("()[]t", 0.6),
    **dict.fromkeys("!r", 0.65),
    **dict.fromkeys('"', 0.7),
    **dict.fromkeys("*_`s\u201c\u201d\u2013", 0.8),
    **dict.fromkeys("?czç", 0.85),
    **dict.fromkeys("ABCRVXZ", 1.1),
    **dict.fromkeys("U", 1.15),
    **dict.fromkeys("DGHN", 1.2),
    **dict.fromkeys("&OQ", 1.25),
    **dict.fromkeys("#+<=>^w~", 1.3),
    **dict.fromkeys("M", 1.35),
    **dict.fromkeys("%", 1.5),
    **dict.fromkeys("@Wm\u2014\u2026", 1.55),
}
BOLD = 1.12  # bold letters are this much wider
BREAK_AFTER = re.compile(r"(?<=[-/])(?=.)")  # where a word may wrap: after - or /
# A line is this much narrower than its column (digits): the cell's padding, and room for
# a font whose letters are a little wider than the table above.
CELL_PADDING = 0.5


def text_width(text: str, size: float = 11, bold: bool = False) -> float:
    """The width of `text` on one line, in digits of the 11 pt default font (the unit of a
    column's width), letter by letter: "AG Aandachtsgroepen" is 17.6 digits wide, though
    19 characters of average running text would take some 16."""
    # map over the characters, each looked up with 1.0 for the rest: the same sum in the same
    # order as a generator would give, in a third of its time (the overview measures every cell).
    digits = sum(map(CHAR_WIDTHS.get, text, repeat(1.0)))
    return digits * size / 11 * (BOLD if bold else 1.0)


def measured_lines(text: object, width: float, size: float = 11, bold: bool = False) -> int:
    """The lines `text` takes in a wrapping cell `width` characters wide, as a spreadsheet
    program wraps it: words measured letter by letter (text_width) and put on a line while
    they fit; a word wider than a line broken after a hyphen or a slash where it has one
    (a file's path: "pa-sheets-|demo/|2-ingevuld/"), else anywhere (a hash). Unlike text_lines
    (an average per letter, good for running text), it is right for a short label whose
    capitals make it wider than its length says: a thema name in a narrow first column."""
    room = max(1.0, width - CELL_PADDING)
    space = text_width(" ", size, bold)
    lines = 0
    for paragraph in display_text(text).split("\n"):
        count, used = 1, 0.0
        for word in paragraph.split():
            for index, part in enumerate(BREAK_AFTER.split(word)):
                wide = text_width(part, size, bold) + (space if used and not index else 0.0)
                if used and used + wide > room:
                    count, used = count + 1, 0.0
                    wide = text_width(part, size, bold)
                while wide > room:  # longer than a line, with no hyphen: breaks anywhere
                    count, wide = count + 1, wide - room
                used += wide
        lines += count
    return lines


def row_height(
    cells: Iterable[tuple[object, float]],
    size: float = 11,
    lines_of: Callable[[object, float, float], int] = text_lines,
) -> float:
    """The height (points) of a row whose wrapping cells in a `size` pt font (11 or 10) hold
    these (text, column width), their lines counted by `lines_of` (text_lines, or
    measured_lines letter by letter)."""
    line = LINE_HEIGHT if size >= 11 else LINE_10PT
    lines = max((lines_of(text, width, size) for text, width in cells), default=1)
    if lines == 1:
        return line  # the default row: set by no writer
    # Whole pixels (3/4 point each), rounded up: xlsxwriter stores a height rounded down to
    # them, and 91 points would become 90.75, a hair short of seven lines of 13.
    return math.ceil(line * lines * 4 / 3) * 3 / 4


def place_charts(
    sheet: Worksheet,
    row: int,
    charts: Sequence[Chart],
    per_row: int = 1,
    size: tuple[int, int] = CHART_SIZE,
) -> int:
    """Put `charts` of `size` (pixels) in a grid from `row` (0-based) down, from column A,
    `per_row` side by side: below the cells in use, never over one. Returns the first row
    after them."""
    width, height = size
    rows_per_chart = chart_rows(1, 1, size)
    for index, chart in enumerate(charts):
        chart.set_size({"width": width, "height": height})
        line, column = divmod(index, per_row)
        options = {"x_offset": column * (width + CHART_GAP), "object_position": 2}
        sheet.insert_chart(row + line * rows_per_chart, 0, chart, options)
    return row + chart_rows(len(charts), per_row, size)


def chart_rows(count: int, per_row: int = 1, size: tuple[int, int] = CHART_SIZE) -> int:
    """The rows (of the default height) `count` charts of `size` take in place_charts' grid,
    `per_row` side by side: what to leave free for them before writing below them."""
    return math.ceil(count / per_row) * math.ceil((size[1] + CHART_GAP) / DEFAULT_ROW_PIXELS)

"""The one way pa-sheets makes a workbook with xlsxwriter; every writer (generate, the overview,
the evaluation) opens its workbook here.

- Text is data: a string that starts with `=`, looks like a web address or like a number is
  written as that string, never as a formula, a link or a number. Text from a returned workbook
  or a config can then never run or link anything; the writers write their own formulas and
  links on purpose, with write_formula and write_url.
- The creation time is the caller's: xlsxwriter would stamp the moment of writing, so the same
  input would never give the same file.
- `Formats` makes each cell format once; `print_setup` prints a sheet on A4 landscape, one page
  wide, with its header row on every page.

Writing the file atomically and refusing a target that may not be written are output.py's job.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter
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
    workbook = xlsxwriter.Workbook(str(path), dict(TEXT_SAFE))
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


def print_setup(
    sheet: Worksheet, *, repeat_row: int | None = None, header: str = "", footer: str = ""
) -> None:
    """Print `sheet` on A4 landscape, one page wide and as many pages down as it needs, with
    row `repeat_row` (0-based: the header row of its table) at the top of every page and the
    page `header` and `footer` given (xlsxwriter's &-codes)."""
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row)
    if header:
        sheet.set_header(header)
    if footer:
        sheet.set_footer(footer)

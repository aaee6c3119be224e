"""Write the gezamenlijk overzicht: as a workbook for people (xlsxwriter), or as one long table
(csv, parquet) for analysts, both from the same records of merge.py.

Text from the returned workbooks is always written as text: the workbook is opened by
workbook.writer's text-safe factory (strings_to_formulas, strings_to_urls and strings_to_numbers
off), so `=cmd|...` or a web address stays inert. The only formulas are the SUBTOTALs in the
totals rows under the tables, with their values cached, so every reader sees the totals without
recalculating. The sheets and the columns around the values are form.py's.
"""

import datetime as dt
import importlib.util
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from xlsxwriter.chart import Chart
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pa_sheets import __version__
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.errors import OutputError
from pa_sheets.merge.agreed import differences_table
from pa_sheets.merge.combine import Merged, merge_paths
from pa_sheets.merge.form import (
    BRONNEN_SHEET,
    FACT,
    FILE_FACT,
    GEVRAAGD_SHEET,
    IDENTIFYING,
    INVESTMENTS_SHEET,
    KENGETALLEN_SHEET,
    LEAD,
    NIET_MEEGETELD_SHEET,
    PARTY,
    SHA_FACT,
    SIGNING,
    SIGNING_SHEET,
    SOURCES_HEADER,
    TAB,
    THEMA,
    THEMA_SHEET,
    TRAIL,
    VERDICT_FACT,
    WEDERKERIGHEID_SHEET,
    paper_order,
)
from pa_sheets.merge.indicator_tables import (
    INDICATOR_LEAD,
    kengetallen,
    niet_meegeteld,
    standaardindicatoren,
)
from pa_sheets.merge.long import (
    column_kind,
    guard_long_target,
    long_header,
    long_table,
    merge_long,
    with_spans,
    write_long,
)
from pa_sheets.merge.signing import ondertekening, ondertekening_details, signing_lines
from pa_sheets.merge.sources import Record, Source
from pa_sheets.merge.tables import (
    Table,
    afspraken_per_thema,
    bronnen,
    collective_statuses,
    gevraagd,
    investeringen,
    investeringen_per_jaar,
    per_corporatie,
    per_thema_en_corporatie,
    stoplicht_per_thema,
    wederkerigheid,
)
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import Block
from pa_sheets.spec.names import SOURCES_SHEET, SUMMARY_SHEET
from pa_sheets.spec.palette import GEEN_OF_ONBEKEND, MARKS, palette
from pa_sheets.spec.types import LONG_FORMATS, OUTPUT_FORMATS, TYPES, WORKBOOK_FORMAT
from pa_sheets.workbook.meta import CARRIED_FACTS, PARTY_FIELDS
from pa_sheets.workbook.output import atomic_path, guard_output
from pa_sheets.workbook.writer import (
    CELL_PADDING,
    CHART_GAP,
    GRID_CHART_SIZE,
    LINE_HEIGHT,
    NUMBER_ROOM,
    SMALLEST_SCALE,
    SUMMARY_SCALE,
    Formats,
    chart_rows,
    column_pixels,
    fit_widths,
    measured_lines,
    narrowest,
    now,
    paper_widths,
    place_charts,
    print_setup,
    row_height,
    text_safe_workbook,
    text_width,
)

INVALID_FILL = "#FFE699"
EXCEL_CELL_MAX = 32_767
CUT = " [afgekort: te lang voor één cel; zie csv of parquet]"
# The number format of each column type in the overview; the others are shown as text.
NUMBER_FORMATS = {
    name: kind.overview_format for name, kind in TYPES.items() if kind.overview_format
}
TITLE_FONT = {"size": 12, "bold": True}
DEFAULT_WIDTH = 8.43  # a column's width when none is set
SCREEN_ONLY_NOTE = (
    "Onder de grafieken, op het scherm: de afspraken per thema en corporatie met hun status, "
    "en de standaardindicatoren; op papier staan ze op de themabladen en Kengetallen."
)
YEAR_HEADER = "Jaar"  # a year in a summary table: 2027, not 2.027
WRAPPED = ("afspraak", "toelichting", "vraag", "activiteit")
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


def write_overview(
    merged: Merged,
    path: Path,
    fmt: str = "xlsx",
    *,
    force: bool = False,
    created: dt.datetime | None = None,
) -> Path:
    """Write the overview to `path` atomically; never over an input file, nor over an existing
    file unless `force`.

    Example: write_overview(merge_paths([Path("terug/")]), Path("gezamenlijk.xlsx"))
    """
    if fmt in LONG_FORMATS:
        return write_long(merged, path, fmt, force=force)[0]
    guard_target(path, fmt, [s.path for s in merged.sources + merged.set_aside], force=force)
    with atomic_path(path, XlsxWriterException) as temp:
        _OverviewWriter(merged, temp, created or now()).write()
    return path


def merge_to(
    files: list[Path],
    out: Path,
    fmt: str,
    *,
    allow_invalid: bool = False,
    latest: bool = False,
    force: bool = False,
    progress: Callable[[Path], None] = lambda path: None,
    writing: Callable[[Path], None] = lambda path: None,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> tuple[Merged, list[Path]]:
    """Merge `files` (checked against the gemeente's `config` too, when given) and write them
    to `out` in `fmt`, refusing a target that may not be written before any workbook is read.
    A long table is written as the workbooks come (the memory stays that of one workbook); the
    overview once all are merged, after `writing(out)`.
    Raises what merge_paths raises (nothing written then). Returns what was merged and written.

    Example: merge_to([Path("terug/linde.xlsx")], Path("gezamenlijk.xlsx"), "xlsx")
    """
    guard_target(out, fmt, files, force=force)
    if fmt in LONG_FORMATS:
        return merge_long(
            files,
            out,
            fmt,
            allow_invalid=allow_invalid,
            latest=latest,
            force=force,
            progress=progress,
            config=config,
            sent=sent,
        )
    merged = merge_paths(
        files,
        allow_invalid=allow_invalid,
        latest=latest,
        progress=progress,
        config=config,
        sent=sent,
    )
    writing(out)
    return merged, [write_overview(merged, out, fmt, force=force)]


def output_format(path: Path, fmt: str | None = None) -> str:
    """The format to write `path` in: the one chosen, else by its extension; a folder that
    exists (with no known extension) holds a parquet dataset, anything else is xlsx."""
    if fmt:
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in OUTPUT_FORMATS else "parquet" if path.is_dir() else WORKBOOK_FORMAT


def guard_target(path: Path, fmt: str, inputs: Iterable[Path], *, force: bool = False) -> None:
    """Refuse, before any work is done, an output that cannot or may not be written: an
    unknown format, a target guard_output refuses, parquet without pyarrow."""
    if fmt not in OUTPUT_FORMATS:
        raise OutputError(f"onbekend formaat {fmt!r}; kies uit {', '.join(OUTPUT_FORMATS)}.")
    if fmt in LONG_FORMATS:
        guard_long_target(path, fmt, inputs, force=force)
    else:
        guard_output(path, inputs, force=force)
    if fmt == "parquet" and importlib.util.find_spec("pyarrow") is None:
        raise OutputError("parquet schrijven vraagt pyarrow: pip install 'pa-sheets[parquet]'.")


# ---------------------------------------------------------------------------------------------
# The workbook.
# ---------------------------------------------------------------------------------------------


class _Book:
    """The overview's workbook and how a table is written on it: the formats, the Excel
    tables with their totals, the widths of the columns, the print setup."""

    def __init__(self, merged: Merged, path: Path, created: dt.datetime):
        self.merged, self.created = merged, created
        template = merged.template
        # Not constant_memory: that mode has no Excel tables (add_table), and the tables with
        # their filters are what a coordinator works with.
        self.workbook = text_safe_workbook(
            path,
            created,
            title=f"Gezamenlijk overzicht {template.kind} {self._years()}",
            subject=f"Prestatieafspraken {template.gemeente}",
            author=f"pa-sheets {__version__}",
        )
        self._format = Formats(self.workbook)
        self.table_names: set[str] = set()
        self.widths: dict[str, list[float]] = {}  # sheet name -> its column widths

    def _fit_columns(
        self,
        sheet: Worksheet,
        tables: list[Table],
        first_width: float,
        high: float = 44,
        scale: float = SMALLEST_SCALE,
    ) -> None:
        """Widths for the tables one below the other on `sheet`: per column the widest, at
        most `high` (longer text wraps)."""
        widths: list[float] = []
        floors: list[float] = []
        for table in tables:
            rows = [*table.rows, *filter(None, [table.totals])]
            for col, width in enumerate(fit_widths(table.header, rows, high=high)):
                if col == len(widths):
                    widths.append(width)
                widths[col] = max(widths[col], width)
            for col, floor in enumerate(narrowest(table.header, rows)):
                if col == len(floors):
                    floors.append(floor)
                floors[col] = max(floors[col], floor)
        widths[0] = max(widths[0], first_width)
        self._set_widths(sheet, paper_widths(widths, floors, scale))  # one page wide on paper

    def _set_widths(self, sheet: Worksheet, widths: list[float]) -> None:
        self.widths[sheet.name] = widths
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)

    # -- tables and formats ------------------------------------------------------------------

    def _table(self, sheet: Worksheet, row: int, table: Table, filters: bool = True) -> int:
        """Write the title, then the table with its header on the next row; return the last
        row used."""
        sheet.write_string(row, 0, table.title, self._format(bold=True, font_size=12))
        # A column of numbers keeps a little room on its right, so a number does not run
        # into the next column's text (nor, without filters, a header into the next header).
        count = self._format(num_format="#,##0.##", valign="top", **NUMBER_ROOM)
        year = self._format(num_format=NUMBER_FORMATS["year"], valign="top", **NUMBER_ROOM)
        formats = [
            (year if header == YEAR_HEADER else count)
            if any(isinstance(r[col], int | float) for r in table.rows)
            else None
            for col, header in enumerate(table.header)
        ]
        widths = self.widths[sheet.name]
        last = self._write_table(
            sheet,
            row + 1,
            table.name,
            table.header,
            formats,
            table.rows,
            table.totals,
            widths,
            filters,
        )
        if table.note:  # below a blank row: the table ends where the blank row is
            last += 1
            for line in table.note.split("\n"):
                last += 1
                sheet.write_string(last, 0, line, self._format(italic=True))
        return last

    def _write_table(
        self,
        sheet: Worksheet,
        header_row: int,
        name: str,
        headers: list[str],
        formats: list[object | None],
        rows: Sequence[Sequence[object]],
        totals: list[object] | None,
        widths: list[float],
        filters: bool = True,
    ) -> int:
        """An Excel table (filters, banded rows) and, right below it, its totals: SUBTOTAL
        over the rows above, so a filter shows the total of what is visible. (A table's own
        totals row refers to columns by name, which LibreOffice cannot evaluate for names
        with spaces.) Headers wrap; text longer than its column wraps, and its row is as high
        as its text. Without `filters` (the Samenvatting, a page to read, not to sort) a
        column of numbers has its header on the right, above its numbers; with them the
        header stays on the left, clear of the filter button on the right. Returns the last
        row used."""
        last = header_row + max(len(rows), 1)
        header_formats = {
            numeric: self._format(
                bold=True,
                text_wrap=True,
                valign="top",
                **({"align": "right", "indent": 1} if numeric else {}),
            )
            for numeric in (False, True)
        }
        numeric = [not filters and _numeric(rows, col) for col in range(len(headers))]
        sheet.add_table(
            header_row,
            0,
            last,
            len(headers) - 1,
            {
                "name": self._table_name(name),
                "columns": [
                    {"header": header, "header_format": header_formats[is_number]}
                    for header, is_number in zip(_unique(headers), numeric, strict=True)
                ],
                "style": "Table Style Light 9",
                "autofilter": filters,
            },
        )
        _fit_row(sheet, header_row, zip(headers, widths, strict=False), bold=True)
        self._write_rows(sheet, header_row + 1, formats, rows, widths)
        if totals is None:
            return last
        self._write_totals(sheet, header_row + 1, last + 1, totals, filters)
        return last + 1

    def _write_rows(
        self,
        sheet: Worksheet,
        first_row: int,
        formats: list[object | None],
        rows: Sequence[Sequence[object]],
        widths: list[float],
    ) -> None:
        """The rows of a table from `first_row` on, each value in its column's format; text
        longer than its column wraps, and its row is as high as its text."""
        wrap, top = self._format(text_wrap=True, valign="top"), self._format(valign="top")
        formats = [top if fmt is None else fmt for fmt in formats]  # in line with wrapped text
        # Cell by cell rather than through add_table's data: an empty cell is then no cell at
        # all, and each value goes straight to its typed writer (a third less time).
        for row, values in enumerate(rows, start=first_row):
            wrapped = []
            for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
                if value is None:
                    continue
                if type(value) is str:
                    if fmt is top and text_width(value) > widths[col] - CELL_PADDING:
                        fmt = wrap
                    if fmt is wrap:
                        wrapped.append((value, widths[col]))
                    sheet.write_string(row, col, _fit(value), fmt)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(row, col, value, fmt)
                else:
                    sheet.write_number(row, col, value, fmt)
            _fit_row(sheet, row, wrapped)

    def _write_totals(
        self, sheet: Worksheet, first_row: int, row: int, totals: list[object], filters: bool
    ) -> None:
        """The totals on `row`, right below a table whose rows start at `first_row`: SUBTOTAL
        over the rows above, with its value cached."""
        bold = self._format(bold=True, top=1)
        number = self._format(bold=True, top=1, num_format="#,##0.##", **NUMBER_ROOM)
        for col, total in enumerate(totals):
            if isinstance(total, int | float):
                area = f"{xl_rowcol_to_cell(first_row, col)}:{xl_rowcol_to_cell(row - 1, col)}"
                sheet.write_formula(row, col, f"=SUBTOTAL(109,{area})", number, total)
            elif col == 0:
                sheet.write_string(row, col, str(total), bold)
            else:
                sheet.write_blank(row, col, None, bold)

    def _column_format(self, key: str, kind: str) -> object | None:
        if key in WRAPPED:
            return self._format(text_wrap=True, valign="top")
        number = NUMBER_FORMATS.get(kind)
        if number is None:
            return None
        return self._format(num_format=number, valign="top", **NUMBER_ROOM)

    def _table_name(self, wanted: str) -> str:
        name, number = wanted, 2
        while name.casefold() in self.table_names:
            name, number = f"{wanted}_{number}", number + 1
        self.table_names.add(name.casefold())
        return name

    def _print_setup(
        self,
        sheet: Worksheet,
        header_row: int | None,
        columns: int = 0,
        scale: float = SMALLEST_SCALE,
    ) -> None:
        widths = self.widths.get(sheet.name, ())
        print_setup(
            sheet, repeat_row=header_row, repeat_columns=columns, widths=widths, scale=scale
        )

    def _years(self) -> str:
        years = self.merged.years
        return f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"


class _SummarySheet(_Book):
    """The Samenvatting: the tables a coordinator reads first, and the charts made from them."""

    def _summary(self, sheet: Worksheet) -> None:
        """The coordinator's dashboard: a title, the tables one below the other, and the
        charts below the last table, so a table added above them moves them down."""
        merged, template = self.merged, self.merged.template
        title = self._format(bold=True, font_size=16)
        sheet.write_string(0, 0, f"Gezamenlijk overzicht {template.kind} {self._years()}", title)
        sheet.write_string(1, 0, f"{template.gemeente} ({template.gemeente_code})")
        merged_count = len(merged.sources)
        invalid = sum(not s.valid for s in merged.sources)
        line = f"{merged_count} werkboek(en) samengevoegd op {self.created:%d-%m-%Y %H:%M}"
        if invalid:
            line += f"; {invalid} met fouten (hun rijen zijn oranje gemarkeerd)"
        if merged.set_aside:
            line += f"; {len(merged.set_aside)} niet samengevoegd (zie Bronnen)"
        sheet.write_string(2, 0, line + ".")
        row = 4
        per_thema, indicators = afspraken_per_thema(merged), standaardindicatoren(merged)
        stoplicht, per_jaar = stoplicht_per_thema(merged), investeringen_per_jaar(merged)
        places = {}  # table name -> its header row
        maybe = [
            differences_table(merged),  # only with --allow-invalid: first, not to be missed
            per_thema,
            per_corporatie(merged),
            ondertekening(merged),
            collective_statuses(merged),
            stoplicht,
            per_jaar,
        ]
        printed = [table for table in maybe if table is not None]
        # Two long tables go below the charts, on the screen only: on paper they ran over
        # pages without their header (a sheet repeats no header above several tables), and
        # their rows are on the thema sheets and Kengetallen, with theirs on every page.
        on_screen = [per_thema_en_corporatie(merged), indicators]
        tables = printed + on_screen
        self._fit_columns(sheet, tables, first_width=36, high=30, scale=SUMMARY_SCALE)
        for table in printed:
            places[table.name] = row + 1
            row = self._table(sheet, row, table, filters=False) + 2
        sheet.write_string(row, 0, SCREEN_ONLY_NOTE, self._format(italic=True))
        row += 2
        key = _key_indicator(indicators, merged)
        count = 1 + sum(table is not None for table in (stoplicht, per_jaar)) + (key is not None)
        below = row + 2 + chart_rows(count, 2, GRID_CHART_SIZE)
        for table in on_screen:
            places[table.name] = below + 1
            below = self._table(sheet, below, table, filters=False) + 2
        charts = [self._count_chart(per_thema, places)]
        if stoplicht is not None:
            charts.append(self._stoplicht_chart(stoplicht, places))
        if per_jaar is not None:
            charts.append(self._investment_chart(per_jaar, places))
        charts.append(self._indicator_chart(indicators, places))
        charts = [chart for chart in charts if chart is not None]
        place_charts(sheet, row + 2, charts, per_row=2, size=GRID_CHART_SIZE)
        # On paper the charts start on a page of their own, all four, a row below the page's
        # top (a break at n: the page ends after row n, counted from 1).
        sheet.set_h_pagebreaks([row + 1])
        columns = _columns_for(self.widths[sheet.name], 2 * GRID_CHART_SIZE[0] + CHART_GAP)
        sheet.print_area(0, 0, row + 1 + chart_rows(count, 2, GRID_CHART_SIZE), columns - 1)
        self._print_setup(sheet, header_row=None, scale=SUMMARY_SCALE)  # one page wide

    # -- the charts of the summary, each from a table on it -----------------------------------

    def _series(self, table: Table, places: dict[str, int], col: int, **extra: object) -> dict:
        """The series of column `col` of `table`, its rows as categories."""
        first = places[table.name] + 1  # first data row (0-based)
        last = first + len(table.rows) - 1
        return {
            "name": [SUMMARY_SHEET, first - 1, col],
            "categories": [SUMMARY_SHEET, first, 0, last, 0],
            "values": [SUMMARY_SHEET, first, col, last, col],
            **extra,
        }

    def _count_chart(self, per_thema: Table, places: dict[str, int]) -> Chart:
        """Afspraken per thema, a column per corporatie."""
        chart = self.workbook.add_chart({"type": "bar"})  # thema names read across
        for col in range(1, len(self.merged.count_columns()) + 1):
            chart.add_series(self._series(per_thema, places, col, gap=50))  # thicker bars
        chart.set_title({"name": "Afspraken per thema en corporatie", "name_font": TITLE_FONT})
        chart.set_x_axis({"name": "Aantal afspraken", "major_gridlines": {"visible": True}})
        chart.set_y_axis({"reverse": True})
        return _chart_style(chart)

    def _stoplicht_chart(self, stoplicht: Table, places: dict[str, int]) -> Chart:
        """Per thema a bar stacked in the stoplicht's own colours."""
        colours = palette(self.merged.spec)  # uiteenlopend and geen status as marks
        chart = self.workbook.add_chart({"type": "bar", "subtype": "stacked"})
        for col, status in enumerate(stoplicht.header[1:], start=1):
            look = colours.get(status, MARKS[GEEN_OF_ONBEKEND]).chart()
            chart.add_series(self._series(stoplicht, places, col, gap=60, **look))
        chart.set_title({"name": "Stoplicht per thema", "name_font": TITLE_FONT})
        chart.set_x_axis({"name": "Aantal afspraken", "major_gridlines": {"visible": True}})
        chart.set_y_axis({"reverse": True})  # the themas top to bottom, as in the table
        return _chart_style(chart)

    def _investment_chart(self, per_jaar: Table, places: dict[str, int]) -> Chart:
        """Bod: the own investments per year, a column per corporatie."""
        chart = self.workbook.add_chart({"type": "column"})
        for col in range(1, len(self.merged.corporaties) + 1):
            chart.add_series(self._series(per_jaar, places, col))
        chart.set_title(
            {"name": "Eigen investeringen per jaar en corporatie", "name_font": TITLE_FONT}
        )
        chart.set_y_axis(
            {"name": "EUR", "num_format": "#,##0", "major_gridlines": {"visible": True}}
        )
        return _chart_style(chart)

    def _indicator_chart(self, indicators: Table, places: dict[str, int]) -> Chart | None:
        """A key indicator's targets per corporatie."""
        merged = self.merged
        key = _key_indicator(indicators, merged)
        if key is None:
            return None
        row = places[indicators.name] + 1 + key
        first, last = _value_columns(merged)
        chart = self.workbook.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": [SUMMARY_SHEET, row, 1],
                "categories": [SUMMARY_SHEET, row - key - 1, first, row - key - 1, last],
                "values": [SUMMARY_SHEET, row, first, row, last],
                "data_labels": {"value": True},
            }
        )
        naam, eenheid = indicators.rows[key][1], indicators.rows[key][2]
        chart.set_title({"name": f"{naam} ({eenheid}) per corporatie", "name_font": TITLE_FONT})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        return _chart_style(chart)


class _OverviewWriter(_SummarySheet):
    """Writes the overview of `merged` at `path`: the summary, a sheet per thema and per other
    block with a row per record, the sheets of tables, and the very hidden sources."""

    def write(self) -> None:
        merged = self.merged
        summary = self.workbook.add_worksheet(SUMMARY_SHEET)
        for code, naam in merged.themas().items():
            blocks = merged.afspraak_blocks()
            records = [(s, r) for s, r in merged.records(blocks) if r.thema == code]
            sheet = THEMA_SHEET.format(code=code, naam=naam)
            self._record_sheet(sheet, f"Thema_{code}", blocks, records)
        for block in merged.other_blocks():
            records = list(merged.records([block]))
            self._record_sheet(
                block.overview_sheet or block.key, f"Blok_{block.key}", [block], records
            )
        # A table a sheet: its header row repeats on every printed page.
        tables = [
            (KENGETALLEN_SHEET, kengetallen(merged)),
            (NIET_MEEGETELD_SHEET, niet_meegeteld(merged)),
            (INVESTMENTS_SHEET, investeringen(merged)),
            (GEVRAAGD_SHEET, gevraagd(merged)),
            (WEDERKERIGHEID_SHEET, wederkerigheid(merged)),
            (SIGNING_SHEET, ondertekening_details(merged)),
        ]
        for name, table in tables:
            if table is not None:
                self._tables_sheet(name, table)
        # Many columns of file facts: on one page, smaller, rather than on two.
        self._tables_sheet(BRONNEN_SHEET, bronnen(merged), scale=SUMMARY_SCALE)
        self._sources_sheet()
        self._summary(summary)
        summary.activate()
        self.workbook.close()

    # -- the sheets --------------------------------------------------------------------------

    def _record_sheet(
        self,
        name: str,
        table_name: str,
        blocks: list[Block],
        records: list[tuple[Source, Record]],
    ) -> None:
        """A sheet with one row per record: provenance, values, and where it came from."""
        merged = self.merged
        sheet = self.workbook.add_worksheet(_sheet_name(name, self.workbook.sheetnames))
        keys = with_spans(merged.columns(blocks))
        columns = [key for key, _, _ in LEAD] + keys + [key for key, _, _ in TRAIL]
        columns, printed = paper_order(columns)
        lead_headers = {key: header for key, header, _ in LEAD + TRAIL}
        headers = [lead_headers.get(k) or long_header(merged.spec, k) for k in columns]
        rows = list(zip(*long_table(merged.spec, merged.kind, records, columns), strict=True))
        kinds = [column_kind(merged.spec, key) for key in columns]
        formats = [self._column_format(key, kind) for key, kind in zip(columns, kinds, strict=True)]
        totals: list[object] = ["Totaal"] + [None] * (len(columns) - 1)
        for col, kind in enumerate(kinds):
            if kind == "money":  # amounts add up; counts of different units do not
                totals[col] = sum(r[col] for r in rows if isinstance(r[col], float))
        has_totals = any(total is not None for total in totals[1:])
        # Long text wraps in the column width of the spec; the rest is as wide as it holds.
        whole = fit_widths(headers, rows, high=48)  # a file name is not cut in two
        widths = [min(width, 24) for width in whole]
        for col, key in enumerate(columns):
            if key in WRAPPED:
                widths[col] = min(merged.spec.column_for(key).width, 40)
            elif key == "bronbestand":
                widths[col] = whole[col]
        # What prints is narrowed to one page; what only the screen shows is as wide as it
        # holds, so its text does not make the rows high on paper.
        floors = narrowest(headers, rows)[:printed]
        widths = paper_widths(widths[:printed], floors) + whole[printed:]
        self._set_widths(sheet, widths)
        self._write_table(
            sheet, 0, table_name, headers, formats, rows, totals if has_totals else None, widths
        )
        if any(row[-1] == "nee" for row in rows):
            status = xl_rowcol_to_cell(1, len(columns) - 1, col_abs=True)
            sheet.conditional_format(
                1,
                0,
                len(rows),
                len(columns) - 1,
                {
                    "type": "formula",
                    "criteria": f'={status}="nee"',
                    "format": self._format(bg_color=INVALID_FILL),
                },
            )
        identifying = sum(key in IDENTIFYING for key in columns)
        sheet.freeze_panes(1, identifying)
        # On paper who agreed what and how it stands, one page wide; the details and where
        # each row came from (the columns after these) are for the screen.
        on_paper = any(total is not None for total in totals[1:printed])  # a total printed
        sheet.print_area(0, 0, len(rows) + (1 if on_paper else 0), printed - 1)
        print_setup(sheet, repeat_row=0, repeat_columns=identifying, widths=widths[:printed])

    def _sources_sheet(self) -> None:
        """One line per fact, party, tab and theme of every merged workbook, by L-nummer."""
        sheet = self.workbook.add_worksheet(SOURCES_SHEET)
        sheet.write_row(0, 0, SOURCES_HEADER)
        rows: list[list[str]] = []
        for source in self.merged.sources:
            template = source.template
            assert template is not None  # merged sources were read
            number = template.l_nummer
            facts = {
                **template.to_texts(CARRIED_FACTS),
                **template.termijnen.facts(),  # agreed termijnen: rollover carries them on
                FILE_FACT: source.path.name,
                VERDICT_FACT: source.verdict,
                SHA_FACT: source.sha256,
            }
            rows += [[FACT, number, key, value] for key, value in facts.items()]
            rows += [[PARTY, number, *(p[f] for f in PARTY_FIELDS)] for p in source.parties]
            rows += [[TAB, number, *tab] for tab in source.tabs]
            rows += [[THEMA, number, code, naam] for code, naam in source.themas.items()]
            rows += [[SIGNING, number, *line] for line in signing_lines(source)]
        for row, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                sheet.write_string(row, col, value)
        sheet.very_hidden()

    def _tables_sheet(self, name: str, table: Table, scale: float = SMALLEST_SCALE) -> None:
        """A sheet of one `table`, every column as wide as what it holds, or narrower: one
        page wide at `scale` on paper, its header row on every page. (A second table below
        it would print under the first one's header on every page after its first.)"""
        sheet = self.workbook.add_worksheet(name)
        # A text up to 60 wide on one line: 'Niet meegeteld' then prints its 34 reasons on one
        # page, not wrapped on two (the page narrows the columns that are too wide).
        self._fit_columns(sheet, [table], first_width=12, high=60, scale=scale)
        self._table(sheet, 0, table)
        sheet.freeze_panes(2, 1)
        self._print_setup(sheet, header_row=1, columns=1, scale=scale)


def _columns_for(widths: Sequence[float], pixels: int) -> int:
    """How many columns of these `widths` (characters, then the default's) it takes to span
    `pixels`, and at least all of them."""
    count, spanned = 0, 0
    while count < len(widths) or spanned < pixels:
        spanned += column_pixels(widths[count] if count < len(widths) else DEFAULT_WIDTH)
        count += 1
    return count


def _fit(text: str) -> str:
    """A cell holds at most 32,767 characters: a longer text is cut, visibly (the long format
    keeps it whole)."""
    if len(text) <= EXCEL_CELL_MAX:
        return text
    return text[: EXCEL_CELL_MAX - len(CUT)] + CUT


def _value_columns(merged: Merged) -> tuple[int, int]:
    """The first and last column of the standaardindicatoren that hold a value per
    corporatie (and the collective afspraken): after the lead columns and Jaar."""
    first = len(INDICATOR_LEAD) + 1
    return first, first + len(merged.count_columns()) - 1


def _fit_row(
    sheet: Worksheet, row: int, cells: Iterable[tuple[object, float]], bold: bool = False
) -> None:
    """A row as high as the longest of its wrapping `cells` (text, column width) needs, their
    words measured letter by letter. A spreadsheet program does not fit the row itself: a row
    written without a height stays one line high, and its wrapped text runs over the rows
    below (LibreOffice) or is cut (Excel)."""
    height = row_height(
        cells, lines_of=lambda text, width, size: measured_lines(text, width, size, bold)
    )
    if height > LINE_HEIGHT:
        sheet.set_row(row, height)


def _chart_style(chart: Chart) -> Chart:
    """One look for every chart: the legend below, where it takes no width from the bars."""
    if not chart.legend:  # none set: the indicator chart has none
        chart.set_legend({"position": "bottom"})
    return chart


def _key_indicator(table: Table, merged: Merged) -> int | None:
    """The row of the indicator most corporaties have a total for (the first on a tie)."""
    first, last = _value_columns(merged)
    best, best_count = None, 0
    for index, row in enumerate(table.rows):
        if row[last + 1] is None:
            continue  # cannot be added up: no chart of totals
        count = sum(v is not None for v in row[first : first + len(merged.corporaties)])
        if count > best_count:
            best, best_count = index, count
    return best


def _numeric(rows: Sequence[Sequence[object]], col: int) -> bool:
    """Whether column `col` holds numbers (and nothing but numbers and empty cells)."""
    values = [row[col] for row in rows if col < len(row) and row[col] is not None]
    return bool(values) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    )


def _unique(headers: list[str]) -> list[str]:
    """Table headers must differ (case-insensitively); number the repeats."""
    seen: set[str] = set()
    result = []
    for header in headers:
        name, number = header, 2
        while name.casefold() in seen:
            name, number = f"{header} ({number})", number + 1
        seen.add(name.casefold())
        result.append(name)
    return result


def _sheet_name(wanted: str, taken: Iterable[str]) -> str:
    """A valid sheet name, different from those already `taken` (case-insensitively)."""
    base = _cut_at_word(SHEET_FORBIDDEN.sub(" ", wanted), 31) or "Blad"
    taken_folded = {name.casefold() for name in taken}
    name, number = base, 2
    while name.casefold() in taken_folded:
        suffix = f" ({number})"
        name, number = _cut_at_word(base, 31 - len(suffix)) + suffix, number + 1
    return name


def _cut_at_word(text: str, length: int) -> str:
    """`text` in at most `length` characters, cut after a whole word where it has one
    ("AG Aandachtsgroepen en", not "AG Aandachtsgroepen en spoedzoe")."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length + 1].rsplit(" ", 1)[0]
    return (cut if " " in text[: length + 1] else text[:length]).strip()

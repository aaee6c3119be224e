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
from collections.abc import Iterable, Sequence
from operator import attrgetter
from pathlib import Path

from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pa_sheets import __version__
from pa_sheets.errors import OutputError
from pa_sheets.merge.combine import (
    INDICATOR_LEAD,
    Merged,
    Record,
    Source,
    Table,
    afspraken_per_thema,
    bronnen,
    collective_statuses,
    gevraagd,
    investeringen,
    kengetallen,
    niet_meegeteld,
    per_corporatie,
    per_thema_en_corporatie,
    standaardindicatoren,
    wederkerigheid,
)
from pa_sheets.merge.form import (
    BRONNEN_SHEET,
    FACT,
    FILE_FACT,
    INVESTMENTS_SHEET,
    KENGETALLEN_SHEET,
    LEAD,
    LEAD_KEYS,
    PARTY,
    SOURCES_HEADER,
    SOURCES_SHEET,
    SUMMARY_SHEET,
    TAB,
    THEMA,
    THEMA_SHEET,
    TRAIL,
    VERDICT_FACT,
    WEDERKERIGHEID_SHEET,
)
from pa_sheets.spec.model import NUMERIC_TYPES, Block, base_key
from pa_sheets.spec.planning import planning_span
from pa_sheets.workbook.meta import PARTY_FIELDS
from pa_sheets.workbook.output import atomic_path, check_output
from pa_sheets.workbook.writer import Formats, now, print_setup, text_safe_workbook

FORMATS = ("xlsx", "csv", "parquet")
INVALID_FILL = "#FFE699"
EXCEL_CELL_MAX = 32_767
CUT = " [afgekort: te lang voor één cel; zie csv of parquet]"
NUMBER_FORMATS = {
    "integer": "0",
    "year": "0",
    "decimal": "#,##0.###",
    "money": "#,##0",
    "percentage": "0%",
    "date": "dd-mm-yyyy",
}
YEAR_HEADER = "Jaar"  # a year in a summary table: 2027, not 2.027
# What a planning means in time, next to it as typed: 2024-2028 runs from 01-01-2024 to
# 31-12-2028, eind 2028 from October; a frequency or doorlopend has no dates of its own.
SPAN = {"planning_van": ("Planning van", "start"), "planning_tot": ("Planning tot", "end")}
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
    check_target(path, fmt, [s.path for s in merged.sources + merged.set_aside], force=force)
    with atomic_path(path, XlsxWriterException) as temp:
        if fmt == "xlsx":
            _OverviewWriter(merged, temp, created or now()).write()
        else:
            _write_long(merged, temp, fmt)
    return path


def check_target(path: Path, fmt: str, inputs: Iterable[Path], *, force: bool = False) -> None:
    """Refuse, before any work is done, an output that cannot or may not be written: an
    unknown format, a target check_output refuses, parquet without pyarrow."""
    if fmt not in FORMATS:
        raise OutputError(f"onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}.")
    check_output(path, inputs, force=force)
    if fmt == "parquet" and importlib.util.find_spec("pyarrow") is None:
        raise OutputError("parquet schrijven vraagt pyarrow: pip install 'pa-sheets[parquet]'.")


def long_columns(merged: Merged) -> list[str]:
    """The columns of the long format: provenance, every value column of every block, and
    where the row came from."""
    blocks = merged.afspraak_blocks() + merged.other_blocks()
    keys = value_columns(merged, blocks)
    return [key for key, _, _ in LEAD] + keys + [key for key, _, _ in TRAIL]


def value_columns(merged: Merged, blocks: list[Block]) -> list[str]:
    """The value columns of these blocks, with the planning's start and end after it."""
    keys = merged.columns(blocks)
    if "planning" in keys:
        at = keys.index("planning") + 1
        keys[at:at] = list(SPAN)
    return keys


def _header(merged: Merged, key: str) -> str:
    return SPAN[key][0] if key in SPAN else merged.header(key)


def long_table(
    merged: Merged, records: Iterable[tuple[Source, Record]], columns: list[str]
) -> list[list[object]]:
    """One list per column in `columns`, one value per record: numbers as floats, dates as
    dates, the rest as text (a planning typed as 2027 becomes '2027'), empty cells as None.
    Built column by column: a list comprehension per column is several times faster than a
    dict per row."""
    pairs = list(records)
    recs = [record for _, record in pairs]
    soort = {b.key: b.soort or b.key for b in merged.spec.templates[merged.kind].blocks}
    sources = {id(source): source for source, _ in pairs}
    facts = {
        key: (s.corporatie, s.template.l_nummer, s.path.name, "ja" if s.valid else "nee")  # type: ignore[union-attr]
        for key, s in sources.items()
    }
    per_record = [facts[id(source)] for source, _ in pairs]
    lead = {
        "corporatie": [f[0] for f in per_record],
        "l_nummer": [f[1] for f in per_record],
        "thema": list(map(attrgetter("thema"), recs)),
        "partij": list(map(attrgetter("partij"), recs)),
        "rol": list(map(attrgetter("rol"), recs)),
        "blok": [soort[block] for block in map(attrgetter("block"), recs)],
        "onleesbaar": [text or None for text in map(attrgetter("unreadable"), recs)],
        "bronbestand": [f[2] for f in per_record],
        "bronblad": list(map(attrgetter("sheet"), recs)),
        "bronregel": list(map(attrgetter("row"), recs)),
        "bron_in_orde": [f[3] for f in per_record],
    }
    dicts = list(map(attrgetter("values"), recs))
    table = []
    for key in columns:
        if key in SPAN:
            spans = [planning_span(d["planning"]) if d.get("planning") else None for d in dicts]
            table.append([getattr(span, SPAN[key][1]) if span else None for span in spans])
            continue
        values = lead[key] if key in lead else [d.get(key) for d in dicts]
        kind = _kind(merged, key)
        usual = float if kind in NUMERIC_TYPES else str  # what most values already are
        if not set(map(type, values)) <= {usual, type(None)}:
            values = [v if v is None or type(v) is usual else _typed(kind, v) for v in values]
        table.append(values)
    return table


def _kind(merged: Merged, key: str) -> str:
    """The spec type of a column key (aantal_2027 is an integer); provenance is text, but
    the source row is a number."""
    if key == "bronregel":
        return "integer"
    if key in SPAN:
        return "date"
    column = merged.spec.columns.get(base_key(key))
    return column.type if column is not None and key not in LEAD_KEYS else "text"


def _typed(kind: str, value: object) -> object:
    if value is None or (type(value) is str and kind not in NUMERIC_TYPES):
        return value
    if kind in NUMERIC_TYPES:
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if kind == "date" and isinstance(value, dt.date):
        return value
    return _as_text(value)


# ---------------------------------------------------------------------------------------------
# The long format.
# ---------------------------------------------------------------------------------------------


def _write_long(merged: Merged, path: Path, fmt: str) -> None:
    import pandas as pd

    columns = long_columns(merged)
    series = {}
    for key, values in zip(columns, long_table(merged, merged.records(), columns), strict=True):
        kind = _kind(merged, key)
        if key == "bronregel":
            series[key] = pd.Series(values, dtype="int64")
        elif kind in NUMERIC_TYPES:
            series[key] = pd.Series(values, dtype="float64")
        elif kind == "date":
            series[key] = pd.to_datetime(pd.Series(values, dtype=object))
        else:
            series[key] = pd.Series(values, dtype=object)  # not pandas' str: None stays None
    frame = pd.DataFrame(series, columns=columns)
    if fmt == "csv":
        frame.to_csv(path, index=False, encoding="utf-8")
    else:
        frame.to_parquet(path, index=False)


def _as_text(value: object) -> str:
    """A value of a text column as text: a date as 2027-12-31, a whole number without .0."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------------------------------
# The workbook.
# ---------------------------------------------------------------------------------------------


class _OverviewWriter:
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
        apart = niet_meegeteld(merged)
        tables = [kengetallen(merged), *filter(None, [apart])]
        self._tables_sheet(KENGETALLEN_SHEET, tables, fit=True)
        invest = investeringen(merged)
        if invest is not None:
            self._tables_sheet(INVESTMENTS_SHEET, [invest, *filter(None, [gevraagd(merged)])])
        self._tables_sheet(WEDERKERIGHEID_SHEET, [wederkerigheid(merged)])
        self._tables_sheet(BRONNEN_SHEET, [bronnen(merged)])
        self._sources_sheet()
        self._summary(summary)
        summary.activate()
        self.workbook.close()

    # -- the sheets --------------------------------------------------------------------------

    def _summary(self, sheet: Worksheet) -> None:
        merged, template = self.merged, self.merged.template
        bold = self._format(bold=True, font_size=14)
        sheet.write_string(0, 0, f"Gezamenlijk overzicht {template.kind} {self._years()}", bold)
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
        places = {}  # table name -> its header row
        tables = [per_thema, per_corporatie(merged), collective_statuses(merged)]
        tables += [per_thema_en_corporatie(merged), indicators]
        for table in filter(None, tables):
            places[table.name] = row + 1
            row = self._table(sheet, row, table) + 2
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 30, 14)
        self._charts(sheet, per_thema, indicators, places)
        self._print_setup(sheet, header_row=None)

    def _charts(
        self, sheet: Worksheet, per_thema: Table, indicators: Table, places: dict[str, int]
    ) -> None:
        """Afspraken per thema per corporatie; a key indicator's targets per corporatie."""
        merged = self.merged
        first = places[per_thema.name] + 1  # first data row (0-based)
        last = first + len(per_thema.rows) - 1
        column = self.workbook.add_chart({"type": "column"})
        for col in range(1, len(merged.count_columns()) + 1):
            column.add_series(
                {
                    "name": [SUMMARY_SHEET, first - 1, col],
                    "categories": [SUMMARY_SHEET, first, 0, last, 0],
                    "values": [SUMMARY_SHEET, first, col, last, col],
                }
            )
        column.set_title({"name": "Afspraken per thema en corporatie"})
        column.set_y_axis({"name": "Aantal afspraken", "major_gridlines": {"visible": True}})
        column.set_size({"width": 720, "height": 360})
        width = len(per_thema.header) + 1
        sheet.insert_chart(places[per_thema.name], width, column)
        key = _key_indicator(indicators, merged)
        if key is None:
            return
        row = places[indicators.name] + 1 + key
        first, last = _value_columns(merged)
        bar = self.workbook.add_chart({"type": "bar"})
        bar.add_series(
            {
                "name": [SUMMARY_SHEET, row, 1],
                "categories": [SUMMARY_SHEET, row - key - 1, first, row - key - 1, last],
                "values": [SUMMARY_SHEET, row, first, row, last],
                "data_labels": {"value": True},
            }
        )
        naam, eenheid = indicators.rows[key][1], indicators.rows[key][2]
        bar.set_title({"name": f"{naam} ({eenheid}) per corporatie"})
        bar.set_legend({"none": True})
        bar.set_size({"width": 720, "height": 300})
        sheet.insert_chart(places[per_thema.name] + 20, width, bar)

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
        keys = value_columns(merged, blocks)
        headers = [h for _, h, _ in LEAD] + [_header(merged, k) for k in keys]
        headers += [h for _, h, _ in TRAIL]
        columns = [key for key, _, _ in LEAD] + keys + [key for key, _, _ in TRAIL]
        rows = list(zip(*long_table(merged, records, columns), strict=True))
        kinds = [_kind(merged, key) for key in columns]
        formats = [self._column_format(key, kind) for key, kind in zip(columns, kinds, strict=True)]
        totals: list[object] = ["Totaal"] + [None] * (len(columns) - 1)
        for col, kind in enumerate(kinds):
            if kind == "money":  # amounts add up; counts of different units do not
                totals[col] = sum(r[col] for r in rows if isinstance(r[col], float))
        has_totals = any(total is not None for total in totals[1:])
        self._write_table(
            sheet, 0, table_name, headers, formats, rows, totals if has_totals else None
        )
        widths = [w for _, _, w in LEAD]
        widths += [11 if k in SPAN else merged.spec.column_for(k).width for k in keys]
        widths += [w for _, _, w in TRAIL]
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
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
        sheet.freeze_panes(1, 2)
        self._print_setup(sheet, header_row=0)

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
                **template.facts(),
                FILE_FACT: source.path.name,
                VERDICT_FACT: source.verdict,
            }
            rows += [[FACT, number, key, value] for key, value in facts.items()]
            rows += [[PARTY, number, *(p[f] for f in PARTY_FIELDS)] for p in source.parties]
            rows += [[TAB, number, *tab] for tab in source.tabs]
            rows += [[THEMA, number, code, naam] for code, naam in source.themas.items()]
        for row, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                sheet.write_string(row, col, value)
        sheet.very_hidden()

    def _tables_sheet(self, name: str, tables: list[Table], *, fit: bool = False) -> None:
        """Tables one below the other; `fit`: every column as wide as what it holds (the
        Kengetallen, with their long indicator names and short codes)."""
        sheet = self.workbook.add_worksheet(name)
        row = 0
        for table in tables:
            row = self._table(sheet, row, table) + 2
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, 40, 14)
        if name == BRONNEN_SHEET:
            sheet.set_column(1, 2, 40)
        if fit:
            for col, width in enumerate(_widths(tables)):
                sheet.set_column(col, col, width)
        sheet.freeze_panes(2, 1)
        self._print_setup(sheet, header_row=1)

    # -- tables and formats ------------------------------------------------------------------

    def _table(self, sheet: Worksheet, row: int, table: Table) -> int:
        """Write the title, then the table with its header on the next row; return the last
        row used."""
        sheet.write_string(row, 0, table.title, self._format(bold=True, font_size=12))
        count = self._format(num_format="#,##0.##")
        year = self._format(num_format=NUMBER_FORMATS["year"])
        formats = [
            (year if header == YEAR_HEADER else count)
            if any(isinstance(r[col], int | float) for r in table.rows)
            else None
            for col, header in enumerate(table.header)
        ]
        last = self._write_table(
            sheet, row + 1, table.name, table.header, formats, table.rows, table.totals
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
    ) -> int:
        """An Excel table (filters, banded rows) and, right below it, its totals: SUBTOTAL
        over the rows above, so a filter shows the total of what is visible. (A table's own
        totals row refers to columns by name, which LibreOffice cannot evaluate for names
        with spaces.) Returns the last row used."""
        last = header_row + max(len(rows), 1)
        sheet.add_table(
            header_row,
            0,
            last,
            len(headers) - 1,
            {
                "name": self._table_name(name),
                "columns": [{"header": header} for header in _unique(headers)],
                "style": "Table Style Light 9",
            },
        )
        # Cell by cell rather than through add_table's data: an empty cell is then no cell at
        # all, and each value goes straight to its typed writer (a third less time).
        for row, values in enumerate(rows, start=header_row + 1):
            for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
                if value is None:
                    continue
                if type(value) is str:
                    sheet.write_string(row, col, _fit(value), fmt)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(row, col, value, fmt)
                else:
                    sheet.write_number(row, col, value, fmt)
        if totals is None:
            return last
        bold = self._format(bold=True, top=1)
        number = self._format(bold=True, top=1, num_format="#,##0.##")
        last += 1
        for col, total in enumerate(totals):
            if isinstance(total, int | float):
                area = (
                    f"{xl_rowcol_to_cell(header_row + 1, col)}:{xl_rowcol_to_cell(last - 1, col)}"
                )
                sheet.write_formula(last, col, f"=SUBTOTAL(109,{area})", number, total)
            elif col == 0:
                sheet.write_string(last, col, str(total), bold)
            else:
                sheet.write_blank(last, col, None, bold)
        return last

    def _column_format(self, key: str, kind: str) -> object | None:
        if key in WRAPPED:
            return self._format(text_wrap=True, valign="top")
        number = NUMBER_FORMATS.get(kind)
        return self._format(num_format=number) if number else None

    def _table_name(self, wanted: str) -> str:
        name, number = wanted, 2
        while name.casefold() in self.table_names:
            name, number = f"{wanted}_{number}", number + 1
        self.table_names.add(name.casefold())
        return name

    def _print_setup(self, sheet: Worksheet, header_row: int | None) -> None:
        print_setup(sheet, repeat_row=header_row, footer="&L&A&RPagina &P van &N")

    def _years(self) -> str:
        years = self.merged.years
        return f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"


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


def _widths(tables: list[Table], low: int = 6, high: int = 44) -> list[int]:
    """Per column the width of its longest header or value (a number as it is shown), within
    low..high; the last column of a table, where text may run on, not counted."""
    widths: list[int] = []
    for table in tables:
        for row in [table.header, *table.rows]:
            for col, value in enumerate(row[:-1] if row is not table.header else row):
                text = f"{value:,.2f}" if isinstance(value, float) else str(value or "")
                while len(widths) <= col:
                    widths.append(low)
                widths[col] = max(widths[col], min(len(text) + 2, high))
    return widths


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
    base = SHEET_FORBIDDEN.sub(" ", wanted)[:31].strip() or "Blad"
    taken_folded = {name.casefold() for name in taken}
    name, number = base, 2
    while name.casefold() in taken_folded:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    return name

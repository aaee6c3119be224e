"""A thema tab: per block a title band, an explanation, a header row, the pre-filled rows of
the lopende afspraken and empty input rows, each input column with its Excel rule. The
signing sheet writes its one block the same way (`BlockWriter`)."""

import datetime as dt

from xlsxwriter.worksheet import Worksheet

from pa_sheets.spec.model import MAX_MESSAGE, NUMERIC_TYPES, base_key
from pa_sheets.spec.names import MONITOR_SCREEN_ONLY_COLUMNS, SCREEN_ONLY_COLUMNS
from pa_sheets.workbook import meta
from pa_sheets.workbook.layout import PlacedBlock, PlacedColumn, SheetPlan, WorkbookPlan
from pa_sheets.workbook.lists import ListSheet
from pa_sheets.workbook.styles import (
    LOPEND_BAND,
    NEW_BAND,
    NUMBER_FORMATS,
    OTHER_BAND,
    PAGE_FOOTER,
    PROTECTION,
    WRAPPING_TYPES,
    Styles,
    header_style,
    page_header,
    years_text,
)
from pa_sheets.workbook.validation import excel_validation, unit_check
from pa_sheets.workbook.writer import (
    LINE_10PT,
    narrowest,
    pages_wide,
    paper_widths,
    print_setup,
    row_height,
)


class BlockWriter:
    """Writes the planned blocks of a workbook, each where its plan put it."""

    def __init__(self, plan: WorkbookPlan, styles: Styles, lists: ListSheet):
        self.plan, self.styles, self.lists = plan, styles, lists
        self._format = styles.format
        self.widths: dict[int, float] = {}  # the columns of the tab being written

    def write(
        self, worksheet: Worksheet, block: PlacedBlock, widths: dict[int, float] | None = None
    ) -> None:
        """Write `block`, its rows as high as their text needs in columns of these `widths`
        (by column; by default each column's own)."""
        self.widths = widths or {}
        spec_block = block.block
        colour = LOPEND_BAND if spec_block.lopend else NEW_BAND if spec_block.is_new else OTHER_BAND
        last_col = block.columns[-1].index
        band = self._format(bold=True, font_size=12, font_color="#FFFFFF", bg_color=colour)
        worksheet.write_string(block.title_row, 0, block.block.titel, band)
        for col in range(1, last_col + 1):
            worksheet.write_blank(block.title_row, col, None, band)
        worksheet.write_string(
            block.title_row + 1,
            0,
            block.block.uitleg,
            self._format(italic=True, font_color="#404040"),
        )
        for placed in block.columns:
            required = placed.column.required and not placed.fixed
            worksheet.write_string(
                block.header_row,
                placed.index,
                placed.header + (meta.REQUIRED_MARK if required else ""),
                self._format(**header_style(required)),
            )
        headers = [(p.header + meta.REQUIRED_MARK, self._width(p)) for p in block.columns]
        worksheet.set_row(block.header_row, max(30, row_height(headers, size=10)))
        if block.n_rows == 0:
            worksheet.write_string(
                block.first_row,
                0,
                meta.PLACEHOLDER,
                self._format(italic=True, font_color="#7F7F7F"),
            )
            return
        self._write_rows(worksheet, block)
        self._write_rules(worksheet, block)

    def _write_rows(self, worksheet: Worksheet, block: PlacedBlock) -> None:
        """Pre-filled rows, then empty input rows. The hot loop of a large workbook: what a
        column needs is worked out once per block, not once per cell."""
        write_string, write_number = worksheet.write_string, worksheet.write_number
        write_blank, write_datetime = worksheet.write_blank, worksheet.write_datetime
        cells = [
            (
                placed.index,
                placed.key,
                placed.column.type in NUMERIC_TYPES,
                self.styles.cell(placed, placed.fixed),
                self.styles.cell(placed, placed.fixed, NUMBER_FORMATS["date"]),
            )
            for placed in block.columns
        ]
        wrapping = [
            (p.key, self._width(p)) for p in block.columns if p.column.type in WRAPPING_TYPES
        ]
        for row, values in enumerate(block.rows, start=block.first_row):
            # A pre-filled row (going concern) as high as its longest text: xlsxwriter does
            # not fit a row, and wrapped text would run under the next one.
            height = row_height(((values.get(k), w) for k, w in wrapping), size=10)
            if height > LINE_10PT:
                worksheet.set_row(row, height)
            for col, key, numeric, fmt, date_fmt in cells:
                value = values.get(key)
                if value is None:
                    write_blank(row, col, None, fmt)
                elif isinstance(value, str):
                    write_string(row, col, value, fmt)
                elif numeric and isinstance(value, int | float) and not isinstance(value, bool):
                    write_number(row, col, value, fmt)
                elif isinstance(value, dt.date):
                    write_datetime(row, col, value, date_fmt)
                else:
                    write_string(row, col, str(value), fmt)
        # Empty rows are input, apart from columns fixed in the whole block (last year's
        # status in the nieuw block: there is no last year for a new afspraak).
        inputs = [
            (placed.index, self.styles.cell(placed, placed.fixed)) for placed in block.columns
        ]
        for row in range(block.first_row + len(block.rows), block.last_row + 1):
            for col, fmt in inputs:
                write_blank(row, col, None, fmt)

    def _width(self, placed: PlacedColumn) -> float:
        return self.widths.get(placed.index, placed.column.width)

    def _write_rules(self, worksheet: Worksheet, block: PlacedBlock) -> None:
        dates = self.plan.round  # a monitor's peildatum lies in its round
        for placed in block.columns:
            if placed.fixed:
                continue
            column = placed.column
            ref = self.lists.ref(column.list_name) if column.type == "enum" else None
            check = unit_check(block, placed)
            rule = excel_validation(placed, ref, check, dates)
            for first, last, message in self._messages(block, placed):
                told = rule if message is None else {**rule, "input_message": message}
                worksheet.data_validation(first, placed.index, last, placed.index, told)
            if column.values == "statussen":
                for term in self.plan.spec.statussen:
                    worksheet.conditional_format(
                        block.first_row,
                        placed.index,
                        block.last_row,
                        placed.index,
                        {
                            "type": "cell",
                            "criteria": "==",
                            "value": f'"{term.naam}"',
                            "format": self.styles.status(bg_color=term.kleur),
                        },
                    )

    def _messages(self, block: PlacedBlock, placed) -> list[tuple[int, int, str | None]]:
        """(first row, last row, input message or None for the column's own) for the rows of
        one column: one run, but in a monitor the realisatie of a shared afspraak asks for
        this corporatie's own contribution, so its rows get a message of their own."""
        if not self.plan.shared or placed.key != "realisatie":
            return [(block.first_row, block.last_row, None)]
        own = self.plan.corporatie.party.naam
        shared_message = (
            f"Gedeelde afspraak: vul alleen het cijfer van {own} in: zijn bijdrage (bij een "
            "percentage of rapportcijfer zijn eigen waarde). De gemeente telt de bijdragen op."
        )[:MAX_MESSAGE]
        runs: list[tuple[int, int, str | None]] = []
        for row, values in enumerate(block.rows, start=block.first_row):
            message = shared_message if str(values.get("nummer")) in self.plan.shared else None
            if runs and runs[-1][2] == message and runs[-1][1] == row - 1:
                runs[-1] = (runs[-1][0], row, message)
            else:
                runs.append((row, row, message))
        if block.last_row > block.first_row + len(block.rows) - 1:
            runs.append((block.first_row + len(block.rows), block.last_row, None))
        return runs


def write_tab(worksheet: Worksheet, sheet: SheetPlan, blocks: BlockWriter) -> None:
    """One tab of a thema and party: its title, a line saying whose it is, then its blocks."""
    plan, styles = blocks.plan, blocks.styles
    worksheet.write_string(
        0, 0, f"{sheet.thema.code} {sheet.thema.naam}", styles.format(bold=True, font_size=14)
    )
    role = plan.spec.roles[sheet.party.rol].lower()
    worksheet.write_string(
        1,
        0,
        f"{sheet.party.display} ({role}) · {plan.template.titel} {years_text(plan)} "
        f"· {plan.gemeente_names} en {plan.corporatie.party.naam}",
        styles.format(italic=True, font_color="#595959"),
    )
    screen = (
        MONITOR_SCREEN_ONLY_COLUMNS if plan.template.kind == meta.MONITOR else SCREEN_ONLY_COLUMNS
    )
    widths, printed = tab_widths(sheet, screen)
    for block in sheet.blocks:
        blocks.write(worksheet, block, widths)
    for index, width in widths.items():
        worksheet.set_column(index, index, width)
    first = sheet.blocks[0]
    worksheet.freeze_panes(first.header_row + 1, 1)
    # On paper what a reader needs, the columns before the screen's details.
    worksheet.print_area(0, 0, max(block.end_row for block in sheet.blocks), printed - 1)
    print_setup(
        worksheet,
        widths=[widths[i] for i in range(printed)],
        repeat_row=first.header_row,
        repeat_columns=identifying_columns(sheet),  # a second page says which afspraak
        header=page_header(sheet.name, plan),
        footer=PAGE_FOOTER,
    )
    worksheet.protect("", PROTECTION)


def tab_widths(
    sheet: SheetPlan, screen: frozenset[str] = SCREEN_ONLY_COLUMNS
) -> tuple[dict[int, float], int]:
    """Per column (0-based) of a tab its width, and how many columns print: those up to the
    last that is not for the screen only (`screen`, by a column's key), narrowed to one page wide
    (their text wraps; no header word and no pre-filled number cut)."""
    widths: dict[int, float] = {}
    headers: dict[int, list[str]] = {}
    printed = 1
    for block in sheet.blocks:
        for placed in block.columns:
            widths[placed.index] = max(widths.get(placed.index, 0), placed.column.width)
            headers.setdefault(placed.index, []).append(placed.header + meta.REQUIRED_MARK)
            if base_key(placed.key) not in screen:
                printed = max(printed, placed.index + 1)
    floors = [0.0] * printed
    for block in sheet.blocks:
        columns = [p for p in block.columns if p.index < printed]
        found = narrowest(
            [max(headers[p.index], key=len) for p in columns],
            [[row.get(p.key) for p in columns] for row in block.rows],
        )
        for placed, floor in zip(columns, found, strict=True):
            floors[placed.index] = max(floors[placed.index], floor)
    # At most half of what each column has above its floor: a bod's tab (its aantallen and
    # investeringen per year) would squeeze its Afspraak to a word a line; it prints on two
    # pages instead, Nummer on both.
    narrowed = paper_widths([widths[i] for i in range(printed)], floors, most=0.5)
    if pages_wide(narrowed) == 1:  # else narrower columns only make taller rows
        widths.update(enumerate(narrowed))
    return widths, printed


def identifying_columns(sheet: SheetPlan) -> int:
    """How many columns from A say which row is which: up to Nummer (a basisbod has the
    gemeente before it), else the first."""
    keys = [placed.key for placed in sheet.blocks[0].columns]
    return keys.index("nummer") + 1 if "nummer" in keys else 1

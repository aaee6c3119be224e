"""Write a planned workbook with xlsxwriter: cover sheet, one tab per thema and party, the
dropdown lists, the bod's Investeringen sheet and the very hidden `_meta` sheet.

Every Excel rule a column gets (dropdown, number or date check, input message) comes from its
spec through `excel_validation()`, the one mapping from spec types to Excel.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path

from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pa_sheets import __version__
from pa_sheets.errors import OutputError, UsageError
from pa_sheets.numbers import dutch_number
from pa_sheets.spec.config import ALLE, Config, load_config
from pa_sheets.spec.kalender import default_deadline, legal_deadline
from pa_sheets.spec.model import NUMERIC_TYPES, SPEC_LISTS, Spec, load_spec, year_key
from pa_sheets.spec.names import (
    ASKED_INVESTMENTS_HEADER,
    CORPORATIE,
    OWN_INVESTMENTS_HEADER,
    TOTAL_LABEL,
)
from pa_sheets.spec.types import TYPES
from pa_sheets.workbook import meta
from pa_sheets.workbook.layout import (
    PlacedBlock,
    PlacedColumn,
    SheetPlan,
    WorkbookPlan,
    plan_workbook,
)
from pa_sheets.workbook.output import atomic_path, check_output
from pa_sheets.workbook.writer import (
    LINE_10PT,
    Formats,
    now,
    print_setup,
    row_height,
    text_safe_workbook,
)

# The order of the lists on the hidden list sheet, one column each.
# Users may resize, insert and delete rows (to add afspraken), filter and format; never unlock.
PROTECTION = {
    "format_columns": True,
    "format_rows": True,
    "insert_rows": True,
    "delete_rows": True,
    "autofilter": True,
    "sort": False,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}
# The number format of each column type's input cells.
NUMBER_FORMATS = {name: kind.input_format for name, kind in TYPES.items()}
# The defined name of the eenheden's bereik on _lijsten.
UNIT_TABLE = "Eenheden"
# Bounds for numbers without min or max: Excel needs both ends of a "between" rule.
NUMBER_LIMIT = 1e15
DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2100, 12, 31))
# The title band of a block: lopende afspraken, new afspraken, the others (leefbaarheid, ...).
LOPEND_BAND, NEW_BAND, OTHER_BAND = "#1F4E78", "#375623", "#7F6000"
INPUT_FILL, FIXED_FILL, HEADER_FILL = "#FFFFFF", "#EDEDED", "#D9E1F2"
COVER_TEXT_WIDTH = 80


def excel_validation(
    placed: PlacedColumn, list_ref: str | None, unit_check: str | None = None
) -> dict | None:
    """The xlsxwriter data validation for an input cell of this column, or None.

    The kind of rule is the column type's `excel_rule` (spec/types.py): a list dropdown (open
    lists only inform), a whole or decimal number between min and max, a date range, a maximum
    length. A measure in the row's eenheid (`unit_check`, a formula) warns
    outside the eenheid's bereik. The input message is the spec's message.
    """
    column = placed.column
    excel_rule = TYPES[column.type].excel_rule
    rule: dict
    if unit_check is not None:
        rule = {
            "validate": "custom",
            "value": unit_check,
            "error_type": "warning",  # a standard indicator may have its own bereik
            "error_message": "Dit getal past niet bij de eenheid in deze rij (bijv. een "
            "rapportcijfer is 1 tot 10, een percentage 0 tot 100, woningen tel je heel). "
            "Klopt het?",
        }
    elif excel_rule == "list":
        rule = {
            "validate": "list",
            "source": list_ref,
            # Several values in one cell are typed, not picked: Excel then only informs.
            "error_type": "information" if column.open or column.meerdere else "stop",
            "error_message": "Kies een waarde uit de lijst."
            + (" Een eigen waarde mag ook." if column.open else "")
            + (" Meer waarden: zet komma's ertussen." if column.meerdere else ""),
        }
    elif excel_rule in ("integer", "decimal"):
        low, high = column.bounds()
        low = -NUMBER_LIMIT if low is None else low
        high = NUMBER_LIMIT if high is None else high
        rule = {
            "validate": excel_rule,
            "criteria": "between",
            "minimum": low,
            "maximum": high,
            "error_message": _number_message(column.type, low, high),
        }
    elif excel_rule == "date":
        rule = {
            "validate": "date",
            "criteria": "between",
            "minimum": DATE_RANGE[0],
            "maximum": DATE_RANGE[1],
            "error_message": "Vul een datum in, bijv. 31-12-2027.",
        }
    elif excel_rule == "length" and column.max_length is not None:
        rule = {
            "validate": "length",
            "criteria": "<=",
            "value": column.max_length,
            "error_message": f"Hoogstens {column.max_length} tekens.",
        }
    else:
        rule = {"validate": "any"}
    rule.update(
        {
            "input_title": placed.header,
            "input_message": placed.message,
            "error_title": placed.header,
        }
    )
    if rule["validate"] == "any":
        rule.pop("error_title")
    return rule


def write_workbook(plan: WorkbookPlan, path: Path, created: dt.datetime) -> None:
    """Write the planned workbook to `path` atomically: a temp file, then a rename."""
    with atomic_path(path, XlsxWriterException) as temp:
        _WorkbookWriter(plan, temp, created).write()


def write_workbooks(
    plans: Iterable[WorkbookPlan],
    out_dir: Path,
    force: bool,
    created: dt.datetime,
    progress: Callable[[Path], None] = lambda path: None,
    *,
    inputs: Iterable[Path] = (),
) -> list[Path]:
    """Write every plan into `out_dir`; refuse up front, before writing any, a file that would
    replace one of the `inputs` (the files the plans were made from) or that exists and not
    `force`."""
    plans, inputs = list(plans), list(inputs)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: kan de map niet maken ({exc.strerror or exc}).") from None
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: is geen map.")
    paths = [out_dir / plan.file_name for plan in plans]
    for path in paths:
        check_output(path, inputs, force=force)
    for plan, path in zip(plans, paths, strict=True):
        write_workbook(plan, path, created)
        progress(path)
    return paths


def _unit_check(block: PlacedBlock, placed: PlacedColumn) -> str | None:
    """For a measure (nulmeting, streefwaarde, realisatie) in a block with an eenheid column:
    the formula, for the block's first row, that a value is a number inside the bereik of the
    eenheid of its row and whole where that eenheid counts whole things."""
    unit = next((p for p in block.columns if p.key == "eenheid"), None)
    if unit is None or not placed.column.in_eenheid:
        return None
    cell = xl_rowcol_to_cell(block.first_row, placed.index)
    unit_cell = xl_rowcol_to_cell(block.first_row, unit.index, col_abs=True)

    # Written as LibreOffice writes it back (0 for FALSE, numbers in full), so that a re-saved
    # workbook keeps the same rule word for word.
    def look(col: int, default: int) -> str:
        return f"IFERROR(VLOOKUP({unit_cell},{UNIT_TABLE},{col},0),{default})"

    limit = int(NUMBER_LIMIT)
    return (
        f"=AND(ISNUMBER({cell}),{cell}>={look(2, -limit)},{cell}<={look(3, limit)},"
        f"OR({look(4, 0)}=0,{cell}=INT({cell})))"
    )


def _number_message(kind: str, low: float, high: float) -> str:
    if kind == "percentage":
        return f"Vul een percentage in tussen {low:.0%} en {high:.0%}, bijv. 15%."
    what = TYPES[kind].asked
    if abs(low) >= NUMBER_LIMIT and abs(high) >= NUMBER_LIMIT:
        return f"Vul {what} in, zonder tekst."
    if abs(high) >= NUMBER_LIMIT:
        return f"Vul {what} in van minstens {dutch_number(low)}, zonder tekst."
    return f"Vul {what} in tussen {dutch_number(low)} en {dutch_number(high)}, zonder tekst."


class _WorkbookWriter:
    """Writes one WorkbookPlan as a workbook at `path`."""

    def __init__(self, plan: WorkbookPlan, path: Path, created: dt.datetime):
        self.plan, self.created = plan, created
        self.workbook = text_safe_workbook(
            path,
            created,
            title=f"{plan.template.titel} {self._years_text()}",
            subject=f"{plan.gemeente_names} - {plan.corporatie.party.naam}",
            author="pa-sheets",
            comments=f"Gemaakt met pa-sheets {__version__}, spec {plan.spec.version}",
        )
        self._format = Formats(self.workbook, font_name="Calibri", font_size=10)
        # The fill of a status in conditional formatting: only the colour, no font.
        self._status_format = Formats(self.workbook)
        self.lists = self._list_values()

    def write(self) -> None:
        plan = self.plan
        cover = self.workbook.add_worksheet(meta.COVER_SHEET)
        sheets = [(self.workbook.add_worksheet(sheet.name), sheet) for sheet in plan.sheets]
        signing = (
            self.workbook.add_worksheet(plan.template.signing.sheet)
            if plan.signing is not None and plan.template.signing is not None
            else None
        )
        investments = (
            self.workbook.add_worksheet(meta.INVESTMENT_SHEET)
            if plan.template.investment_columns
            else None
        )
        lists = self.workbook.add_worksheet(meta.LISTS_SHEET)
        meta_sheet = self.workbook.add_worksheet(meta.SHEET)
        fixed_rows = sum(block.fixed_rows for sheet in plan.sheets for block in sheet.blocks)
        fixed_texts = [
            self.workbook.add_worksheet(name) for name in meta.fixed_text_sheets(fixed_rows)
        ]
        self._write_lists(lists)
        for worksheet, sheet in sheets:
            self._write_sheet(worksheet, sheet)
        if investments is not None:
            self._write_investments(investments)
        if signing is not None:
            self._write_signing(signing)
        self._write_cover(cover)
        self._write_meta(meta_sheet)
        self._write_fixed_texts(fixed_texts)
        cover.activate()
        self.workbook.close()

    # -----------------------------------------------------------------------------------------
    # Private helpers: formats, lists, the tabs, the cover, the investments and _meta.
    # -----------------------------------------------------------------------------------------

    def _cell_format(self, placed: PlacedColumn, fixed: bool, num_format: str | None = None):
        column = placed.column
        return self._format(
            num_format=num_format or NUMBER_FORMATS[column.type],
            border=1,
            border_color="#BFBFBF",
            valign="top",
            text_wrap=column.type == "text",
            locked=fixed,
            bg_color=FIXED_FILL if fixed else INPUT_FILL,
        )

    def _years_text(self) -> str:
        return meta.years_text(tuple(self.plan.years))

    def _list_values(self) -> dict[str, list[str]]:
        """Every list a dropdown draws from, a column each on _lijsten in the order of
        SPEC_LISTS; the parties and a basisbod's gemeenten are this workbook's own."""
        plan = self.plan
        own = {
            "partijen": [party.display for party in plan.parties],
            "gemeenten": [ALLE, *(g.code for g in plan.gemeenten)] if plan.gemeenten else [],
        }
        return {
            name: own[name] if name in own else plan.spec.list_values(name) for name in SPEC_LISTS
        }

    def _list_ref(self, name: str) -> str:
        col = xl_col_to_name(SPEC_LISTS.index(name))
        return f"='{meta.LISTS_SHEET}'!${col}$2:${col}${len(self.lists[name]) + 1}"

    def _write_lists(self, worksheet: Worksheet) -> None:
        bold = self._format(bold=True)
        for col, name in enumerate(SPEC_LISTS):
            worksheet.write_string(0, col, name, bold)
            for row, value in enumerate(self.lists[name], start=1):
                worksheet.write_string(row, col, value)
            worksheet.set_column(col, col, 30)
        # Each eenheid's bereik, for the check of a measure against the eenheid of its row.
        first = len(SPEC_LISTS) + 1
        worksheet.write_row(0, first, ["eenheid", "min", "max", "geheel"], bold)
        for row, unit in enumerate(self.plan.spec.eenheden, start=1):
            low = -NUMBER_LIMIT if unit.min is None else unit.min
            high = NUMBER_LIMIT if unit.max is None else unit.max
            worksheet.write_row(row, first, [unit.naam, low, high, int(unit.geheel)])
        top, bottom = (
            xl_rowcol_to_cell(1, first, True, True),
            xl_rowcol_to_cell(len(self.plan.spec.eenheden), first + 3, True, True),
        )
        self.workbook.define_name(UNIT_TABLE, f"='{meta.LISTS_SHEET}'!{top}:{bottom}")
        worksheet.protect("", PROTECTION)
        worksheet.hide()

    def _write_sheet(self, worksheet: Worksheet, sheet: SheetPlan) -> None:
        plan = self.plan
        worksheet.write_string(
            0, 0, f"{sheet.thema.code} {sheet.thema.naam}", self._format(bold=True, font_size=14)
        )
        role = plan.spec.roles[sheet.party.rol].lower()
        worksheet.write_string(
            1,
            0,
            f"{sheet.party.display} ({role}) · {plan.template.titel} {self._years_text()} "
            f"· {plan.gemeente_names} en {plan.corporatie.party.naam}",
            self._format(italic=True, font_color="#595959"),
        )
        widths: dict[int, float] = {}
        for block in sheet.blocks:
            self._write_block(worksheet, block)
            for placed in block.columns:
                widths[placed.index] = max(widths.get(placed.index, 0), placed.column.width)
        for index, width in widths.items():
            worksheet.set_column(index, index, width)
        first = sheet.blocks[0]
        worksheet.freeze_panes(first.header_row + 1, 1)
        print_setup(
            worksheet,
            widths=[widths[i] for i in sorted(widths)],
            repeat_row=first.header_row,
            header=f'&L&"Calibri,Bold"{sheet.name}&R{plan.corporatie.party.naam}',
            footer="&LGemaakt met pa-sheets&RPagina &P van &N",
        )
        worksheet.protect("", PROTECTION)

    def _write_signing(self, worksheet: Worksheet) -> None:
        """The Ondertekening sheet: a block with a fixed row per party, akkoord to fill in."""
        plan, block = self.plan, self.plan.signing
        assert block is not None
        worksheet.write_string(
            0,
            0,
            f"{block.block.titel} {plan.template.titel.lower()} {self._years_text()}",
            self._format(bold=True, font_size=14),
        )
        worksheet.write_string(
            1,
            0,
            f"{plan.gemeente_names} en {plan.corporatie.party.naam} · "
            f"{legal_deadline(plan.kind, plan.years[0], plan.config.termijnen)}",
            self._format(italic=True, font_color="#595959"),
        )
        self._write_block(worksheet, block)
        for placed in block.columns:
            worksheet.set_column(placed.index, placed.index, placed.column.width)
        for row in range(block.first_row, block.last_row + 1):
            worksheet.set_row(row, 45)  # room for a voorbehoud of a few lines
        worksheet.freeze_panes(block.header_row + 1, 1)
        name = worksheet.get_name()
        print_setup(
            worksheet,
            repeat_row=block.header_row,
            header=f'&L&"Calibri,Bold"{name}&R{plan.corporatie.party.naam}',
            footer="&LGemaakt met pa-sheets&RPagina &P van &N",
        )
        worksheet.protect("", PROTECTION)

    def _write_block(self, worksheet: Worksheet, block: PlacedBlock) -> None:
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
                self._format(
                    bold=True,
                    bg_color=HEADER_FILL,
                    border=1,
                    text_wrap=True,
                    valign="top",
                    font_color="#9C0006" if required else "#000000",
                ),
            )
        headers = [(p.header + meta.REQUIRED_MARK, p.column.width) for p in block.columns]
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
                self._cell_format(placed, placed.fixed),
                self._cell_format(placed, placed.fixed, NUMBER_FORMATS["date"]),
            )
            for placed in block.columns
        ]
        wrapping = [(p.key, p.column.width) for p in block.columns if p.column.type == "text"]
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
            (placed.index, self._cell_format(placed, placed.fixed)) for placed in block.columns
        ]
        for row in range(block.first_row + len(block.rows), block.last_row + 1):
            for col, fmt in inputs:
                write_blank(row, col, None, fmt)

    def _write_rules(self, worksheet: Worksheet, block: PlacedBlock) -> None:
        for placed in block.columns:
            if placed.fixed:
                continue
            column = placed.column
            ref = self._list_ref(column.list_name) if column.type == "enum" else None
            check = _unit_check(block, placed)
            worksheet.data_validation(
                block.first_row,
                placed.index,
                block.last_row,
                placed.index,
                excel_validation(placed, ref, check),
            )
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
                            "format": self._status_format(bg_color=term.kleur),
                        },
                    )

    def _write_cover(self, worksheet: Worksheet) -> None:
        plan, config = self.plan, self.plan.config
        title = self._format(bold=True, font_size=16)
        head = self._format(bold=True, font_size=12, font_color="#1F4E78")
        label = self._format(bold=True)
        wrap = self._format(text_wrap=True, valign="top")
        worksheet.set_column(0, 0, 28)
        worksheet.set_column(1, 1, COVER_TEXT_WIDTH + 5)
        worksheet.set_column(2, 3, 24)
        worksheet.write_string(0, 0, f"{plan.template.titel} {self._years_text()}", title)
        gemeenten = [f"{g.naam} ({g.code})" for g in plan.gemeenten]
        facts = [
            ("Gemeenten", ", ".join(gemeenten))
            if gemeenten
            else ("Gemeente", f"{config.gemeente.display} ({config.gemeente.code})"),
            ("Corporatie", f"{plan.corporatie.party.naam} ({plan.corporatie.party.code})"),
            (
                "Huurdersorganisaties" if plan.corporatie.meer_huurders else "Huurdersorganisatie",
                ", ".join(ho.naam for ho in plan.corporatie.huurdersorganisaties),
            ),
            *(
                [("Samenwerkingsverband", ", ".join(v.naam for v in verbanden))]
                if (verbanden := [p for p in plan.parties if p.leden])
                else []
            ),
            ("Overige partners", ", ".join(p.naam for p in config.partners) or "geen"),
            ("Jaar" if len(plan.years) == 1 else "Jaren", self._years_text()),
            ("Periode van de afspraken", f"{config.eerste_jaar}-{config.laatste_jaar}"),
        ]
        row = 2
        for key, value in facts:
            worksheet.write_string(row, 0, key, label)
            worksheet.write_string(row, 1, value)
            row += 1
        worksheet.write_string(row, 0, "Terugsturen vóór", label)
        worksheet.write_datetime(
            row,
            1,
            plan.deadline,
            self._format(num_format="dd-mm-yyyy", bold=True, font_color="#9C0006", align="left"),
        )
        row += 1
        worksheet.write_string(row, 0, "Wettelijke termijn", label)
        worksheet.write_string(
            row, 1, legal_deadline(plan.kind, plan.years[0], plan.config.termijnen), wrap
        )
        row += 2
        worksheet.write_string(row, 0, "Zo vult u dit werkboek in", head)
        for number, step in enumerate([plan.template.uitleg, *plan.spec.cover_steps], start=1):
            row += 1
            worksheet.write_string(row, 0, f"Stap {number}", self._format(bold=True, valign="top"))
            worksheet.write_string(row, 1, step, wrap)
            # Spreadsheet programs do not grow rows for wrapped text by themselves.
            worksheet.set_row(row, 13.5 * (1 + len(step) // COVER_TEXT_WIDTH))
        row = self._write_legend(worksheet, row + 2, head, label, wrap)
        if plan.closed:
            row = self._write_closed(worksheet, row, head, label, wrap)
        worksheet.write_string(row, 0, "Tabbladen", head)
        for col, text in enumerate(["Tabblad", "Thema", "Partij", "Lopende afspraken"]):
            worksheet.write_string(row + 1, col, text, label)
        row += 1
        for sheet in plan.sheets:
            row += 1
            worksheet.write_url(row, 0, f"internal:'{sheet.name}'!A1", string=sheet.name)
            worksheet.write_string(row, 1, sheet.thema.naam)
            worksheet.write_string(row, 2, sheet.party.display)
            worksheet.write_number(row, 3, sum(b.fixed_rows for b in sheet.blocks))
        if plan.signing is not None and plan.template.signing is not None:
            row += 1
            name = plan.template.signing.sheet
            worksheet.write_url(row, 0, f"internal:'{name}'!A1", string=name)
            worksheet.write_string(row, 1, "Akkoord en handtekening per partij")
            worksheet.write_string(row, 2, "alle partijen")
        worksheet.write_string(
            row + 2,
            0,
            f"Gemaakt met pa-sheets {__version__}, spec {plan.spec.version}.",
            self._format(italic=True, font_color="#7F7F7F"),
        )
        print_setup(worksheet)
        worksheet.protect("", PROTECTION)

    def _write_closed(
        self, worksheet: Worksheet, row: int, head: object, label: object, wrap: object
    ) -> int:
        """Afspraken of last year that are finished or dropped: listed, not silently lost."""
        year = self.plan.years[0] - 1
        worksheet.write_string(row, 0, f"Afgerond of vervallen in {year}", head)
        worksheet.write_string(
            row + 1,
            0,
            "Deze afspraken komen niet terug als lopende afspraak.",
            self._format(italic=True, font_color="#404040"),
        )
        row += 2
        for col, text in enumerate(["Nummer", "Afspraak", "Status", "Toelichting", "Tabblad"]):
            worksheet.write_string(row, col, text, label)
        for item in self.plan.closed:
            row += 1
            values = [item.nummer, item.afspraak, item.status, item.toelichting, item.sheet]
            for col, value in enumerate(values):
                worksheet.write_string(row, col, value, wrap)
        return row + 2

    def _write_legend(
        self, worksheet: Worksheet, row: int, head: object, label: object, wrap: object
    ) -> int:
        """Statuses with their colours, then the types and the soorten of afspraak."""
        spec = self.plan.spec
        sections = [
            ("Status (stoplicht)", spec.statussen),
            ("Type afspraak", spec.types),
            ("Soort afspraak", spec.soorten),
        ]
        for title, terms in sections:
            worksheet.write_string(row, 0, title, head)
            for term in terms:
                row += 1
                fmt = self._format(bold=True, bg_color=term.kleur) if term.kleur else label
                worksheet.write_string(row, 0, term.naam, fmt)
                worksheet.write_string(row, 1, term.omschrijving, wrap)
            row += 2
        return row

    def _write_investments(self, worksheet: Worksheet) -> None:
        """The corporatie's own investments per thema and year (the tabs of the corporatie),
        and apart from them what it asks of the other parties per year (their tabs)."""
        plan = self.plan
        worksheet.write_string(
            0,
            0,
            f"Investeringen per thema en jaar (EUR), {plan.corporatie.party.naam}",
            self._format(bold=True, font_size=14),
        )
        worksheet.write_string(
            1,
            0,
            "Berekend uit de tabbladen; vul de bedragen daar in.",
            self._format(italic=True, font_color="#595959"),
        )
        own = [s for s in plan.sheets if s.party.rol == CORPORATIE]
        others = [s for s in plan.sheets if s.party.rol != CORPORATIE]
        rows = [
            (f"{thema.code} {thema.naam}", [s for s in own if s.thema.code == thema.code])
            for thema in plan.config.themas
        ]
        last = self._investment_table(
            worksheet,
            2,
            f"Eigen investeringen van {plan.corporatie.party.naam}",
            OWN_INVESTMENTS_HEADER,
            rows,
        )
        parties = dict.fromkeys(s.party for s in others)
        rows = [(p.display, [s for s in others if s.party == p]) for p in parties]
        if any(self._investment_refs(sheets, plan.years[0])[0] for _, sheets in rows):
            self._investment_table(
                worksheet,
                last + 3,
                "Gevraagd van andere partijen (niet in de eigen investeringen)",
                ASKED_INVESTMENTS_HEADER,
                rows,
            )
        worksheet.set_column(0, 0, 40)
        worksheet.set_column(1, len(plan.years) + 1, 16)
        worksheet.freeze_panes(4, 1)
        print_setup(worksheet)
        worksheet.protect("", PROTECTION)

    def _investment_table(
        self,
        worksheet: Worksheet,
        title_row: int,
        title: str,
        first_header: str,
        rows: list[tuple[str, list[SheetPlan]]],
    ) -> int:
        """A title, a header (first_header, the years, Totaal), a row per label with the SUM
        of its tabs' investment cells per year, and a Totaal row; returns the Totaal row."""
        plan = self.plan
        head = self._format(bold=True, bg_color=HEADER_FILL, border=1)
        money = self._format(num_format=NUMBER_FORMATS["money"], border=1)
        total = self._format(num_format=NUMBER_FORMATS["money"], border=1, bold=True)
        worksheet.write_string(title_row, 0, title, self._format(bold=True))
        header_row, first = title_row + 1, title_row + 2
        worksheet.write_string(header_row, 0, first_header, head)
        for col, year in enumerate(plan.years, start=1):
            worksheet.write_string(header_row, col, str(year), head)
        total_col = len(plan.years) + 1
        worksheet.write_string(header_row, total_col, TOTAL_LABEL, head)
        # Cached values let a program that does not recalculate on open show the right sums.
        sums = []
        for offset, (label, sheets) in enumerate(rows):
            row = first + offset
            worksheet.write_string(row, 0, label)
            values = []
            for col, year in enumerate(plan.years, start=1):
                refs, cached = self._investment_refs(sheets, year)
                formula = f"=SUM({','.join(refs)})" if refs else "=0"
                worksheet.write_formula(row, col, formula, money, cached)
                values.append(cached)
            self._write_sum(
                worksheet, (row, 1), (row, total_col - 1), (row, total_col), sum(values), total
            )
            sums.append([*values, sum(values)])
        last = first + len(sums) - 1
        worksheet.write_string(last + 1, 0, TOTAL_LABEL, self._format(bold=True, border=1))
        for col in range(1, total_col + 1):
            self._write_sum(
                worksheet,
                (first, col),
                (last, col),
                (last + 1, col),
                sum(values[col - 1] for values in sums),
                total,
            )
        return last + 1

    def _investment_refs(self, sheets: list[SheetPlan], year: int) -> tuple[list[str], float]:
        """The ranges of the investment cells of these tabs for one year, and their sum now."""
        refs, cached = [], 0.0
        wanted = {year_key(key, year) for key in self.plan.template.investment_columns}
        for sheet in sheets:
            for block in sheet.blocks:
                for placed in block.columns:
                    if placed.key not in wanted or block.n_rows == 0:
                        continue
                    top = xl_rowcol_to_cell(block.first_row, placed.index, True, True)
                    bottom = xl_rowcol_to_cell(block.last_row, placed.index, True, True)
                    refs.append(f"'{sheet.name}'!{top}:{bottom}")
                    amounts = (row.get(placed.key) for row in block.rows)
                    cached += sum(float(a) for a in amounts if isinstance(a, int | float))
        return refs, cached

    @staticmethod
    def _write_sum(
        worksheet: Worksheet,
        top_left: tuple[int, int],
        bottom_right: tuple[int, int],
        at: tuple[int, int],
        cached: float,
        fmt: object,
    ) -> None:
        area = f"{xl_rowcol_to_cell(*top_left)}:{xl_rowcol_to_cell(*bottom_right)}"
        worksheet.write_formula(at[0], at[1], f"=SUM({area})", fmt, cached)

    def _write_meta(self, worksheet: Worksheet) -> None:
        """Facts about the workbook and where every block is, for the reader (meta.py)."""
        for row, values in enumerate(meta.to_rows(self._meta())):
            if values:
                worksheet.write_row(row, 0, values)
        worksheet.protect("", PROTECTION)
        worksheet.very_hidden()

    def _write_fixed_texts(self, worksheets: list[Worksheet]) -> None:
        """The fixed cells of every going-concern row as written on its tab, a row each, at most
        meta.FIXED_TEXT_ROWS to a sheet (meta.py): validate reads them only to show a changed
        text as it should be."""
        marker = self.plan.template.gemeente_column
        blocks = [
            (sheet.name, block)
            for sheet in self.plan.sheets
            for block in sheet.blocks
            if block.fixed_rows
        ]
        keys = list(dict.fromkeys(p.key for _, block in blocks for p in block.columns if p.fixed))

        def cells(block) -> list[tuple[int, str, bool]]:
            """(column, key, is a number) of the block's fixed columns on this sheet."""
            numeric = {p.key: p.column.type in NUMERIC_TYPES for p in block.columns if p.fixed}
            return [(col, key, numeric[key]) for col, key in enumerate(keys, 2) if key in numeric]

        rows = (
            (name, columns, values)
            for name, block in blocks
            for columns in [cells(block)]
            for values in block.rows[: block.fixed_rows]
        )
        date_format = self._format(num_format=NUMBER_FORMATS["date"])
        for worksheet in worksheets:
            worksheet.write_row(0, 0, meta.fixed_text_header(keys))
            write_string, write_number = worksheet.write_string, worksheet.write_number
            for row, (name, columns, values) in enumerate(islice(rows, meta.FIXED_TEXT_ROWS), 1):
                write_string(row, 0, name)
                write_string(row, 1, meta.row_key(values["nummer"], values.get(marker or "")))
                for col, key, is_number in columns:
                    value = values.get(key)
                    # As _write_rows writes it on the tab, without its format.
                    if value is None or value == "":
                        continue
                    if isinstance(value, str):
                        write_string(row, col, value)
                    elif (
                        is_number and isinstance(value, int | float) and not isinstance(value, bool)
                    ):
                        write_number(row, col, value)
                    elif isinstance(value, dt.date):
                        worksheet.write_datetime(row, col, value, date_format)
                    else:
                        write_string(row, col, str(value))
            worksheet.protect("", PROTECTION)
            worksheet.very_hidden()

    def _meta(self) -> meta.Meta:
        plan, config = self.plan, self.plan.config
        party = plan.corporatie.party
        facts = meta.Facts(
            kind=plan.kind,
            spec_version=plan.spec.version,
            spec_hash=plan.spec.hash,
            tool_version=__version__,
            created=self.created.isoformat(timespec="seconds"),
            gemeente=", ".join(g.naam for g in plan.gemeenten) or config.gemeente.naam,
            gemeente_code=plan.gemeente_codes,
            corporatie=party.naam,
            corporatie_kort=party.kort,
            l_nummer=party.code or "",
            years=tuple(plan.years),
            period=(config.eerste_jaar, config.laatste_jaar),
            deadline=plan.deadline.isoformat(),
            termijnen=config.termijnen,
        )
        info = meta.Meta(
            facts.to_texts(),
            parties=[
                dict(zip(meta.PARTY_FIELDS, (p.rol, p.display, p.kort, p.code or ""), strict=True))
                for p in plan.parties
            ],
            themas={t.code: t.naam for t in dict.fromkeys(sheet.thema for sheet in plan.sheets)},
            closed={item.nummer: item.status for item in plan.closed},
            gemeenten={g.code: (g.naam, g.config_text) for g in plan.gemeenten},
        )
        if plan.signing is not None and plan.template.signing is not None:
            block = plan.signing
            info.signing = meta.MetaBlock(
                plan.template.signing.sheet,
                "",
                "",
                "",
                block.block.key,
                block.header_row + 1,
                block.first_row + 1,
                block.last_row + 1,
                0,
                tuple(p.key for p in block.columns),
            )
        marker = plan.template.gemeente_column
        for sheet in plan.sheets:
            for block in sheet.blocks:
                info.blocks.append(
                    meta.MetaBlock(
                        sheet.name,
                        sheet.thema.code,
                        sheet.party.rol,
                        sheet.party.kort,
                        block.block.key,
                        block.header_row + 1,  # _meta counts rows as Excel shows them
                        block.first_row + 1,
                        block.last_row + 1,
                        block.fixed_rows,
                        tuple(p.key for p in block.columns),
                    )
                )
                # Pre-filled fixed cells: fingerprinted per row and as a whole.
                rows = list(block.rows[: block.fixed_rows])
                keys = [p.key for p in block.columns if p.fixed]
                if rows and keys:
                    prints = meta.row_fingerprints(rows, keys, marker)
                    info.fixed.update({(sheet.name, k): v for k, v in prints.items()})
                    columns = [[values.get(key) for values in rows] for key in keys]
                    info.block_prints[sheet.name] = meta.block_fingerprint(columns)
        return info


def generate(
    kind: str,
    config_path: Path,
    years: tuple[int, ...],
    out_dir: Path,
    corporaties: Iterable[str] = (),
    *,
    force: bool = False,
    deadline: dt.date | None = None,
    spec: Spec | None = None,
    created: dt.datetime | None = None,
    progress: Callable[[Path], None] = lambda path: None,
) -> list[Path]:
    """Generate one workbook of `kind` per corporatie (all, or those named) into `out_dir`.

    Example: generate("jaarschijf", Path("voorbeeldstad.yaml"), (2027,), Path("uit"))
    """
    spec = spec or load_spec()
    config = load_config(config_path, spec)
    if kind == "jaarschijf":
        config.check_year(years[0])
    else:
        check_bod_years(spec, config, years, config_path)
    chosen = [config.corporatie(kort) for kort in corporaties] or list(config.corporaties)
    deadline = deadline or default_deadline(kind, years[0], config.termijnen)
    plans = [
        plan_workbook(spec, config, kind, corporatie, years, deadline) for corporatie in chosen
    ]
    return write_workbooks(plans, out_dir, force, created or now(), progress, inputs=[config_path])


def check_bod_years(spec: Spec, config: Config, years: tuple[int, ...], path: Path) -> None:
    """A bod covers the next five calendar years (Woningwet art. 43), and starts inside the
    period of the gemeente's agreements."""
    wanted = spec.templates["bod"].years
    if wanted and len(years) != wanted:
        raise UsageError(
            f"een bod beslaat {wanted} kalenderjaren (Woningwet art. 43); "
            f"{years[0]}-{years[-1]} is {len(years)} jaar. Kies bijv. "
            f"{years[0]}-{years[0] + wanted - 1}."
        )
    if years[0] > config.laatste_jaar:
        raise UsageError(
            f"het bod begint in {years[0]}, na de periode {config.eerste_jaar}-"
            f"{config.laatste_jaar} van {path} (periode.eerste_jaar en periode.laatste_jaar)."
        )


def parse_years(text: str, count: int) -> tuple[int, ...]:
    """'2027-2031' -> (2027, ..., 2031); '2027' -> `count` years from 2027."""
    parts = text.strip().split("-")
    try:
        first = int(parts[0])
        last = int(parts[1]) if len(parts) == 2 else first + count - 1
    except (ValueError, IndexError):
        raise UsageError(f"jaren {text!r}: verwacht bijv. 2027-2031 of 2027.") from None
    if len(parts) > 2 or not 2000 <= first <= last <= first + 9 or last > 2100:
        raise UsageError(
            f"jaren {text!r}: verwacht een oplopende reeks van 1 tot 10 jaren, bijv. 2027-2031."
        )
    return tuple(range(first, last + 1))

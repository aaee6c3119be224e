"""The bod's Investeringen sheet: the corporatie's own investments per thema and year, and
apart from them what it asks of the other parties, each a SUM of the investment cells on the
tabs, with its value now cached for programs that do not recalculate on open."""

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pa_sheets.spec.model import year_key
from pa_sheets.spec.names import (
    ASKED_INVESTMENTS_HEADER,
    CORPORATIE,
    OWN_INVESTMENTS_HEADER,
    TOTAL_LABEL,
)
from pa_sheets.workbook.layout import SheetPlan, WorkbookPlan
from pa_sheets.workbook.styles import HEADER_FILL, NUMBER_FORMATS, PROTECTION, Styles
from pa_sheets.workbook.writer import print_setup


class InvestmentsWriter:
    """Writes the Investeringen sheet of one planned bod."""

    def __init__(self, plan: WorkbookPlan, styles: Styles):
        self.plan, self._format = plan, styles.format

    def write(self, worksheet: Worksheet) -> None:
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
        print_setup(worksheet, repeat_row=3)  # the header of the own investments
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

"""The cover sheet: what the workbook is and for whom, when it goes back, how to fill it in,
what the statuses, types and soorten mean, the afspraken that ended last year or are open
again, and a link to every tab."""

from xlsxwriter.worksheet import Worksheet

from pa_sheets import __version__
from pa_sheets.spec.kalender import legal_deadline
from pa_sheets.workbook.layout import WorkbookPlan
from pa_sheets.workbook.styles import PROTECTION, Styles, years_text
from pa_sheets.workbook.writer import LINE_10PT, LINE_HEIGHT, print_setup, row_height

COVER_TEXT_WIDTH = 80
# The columns of the lists of last year's afspraken: nummer, afspraak, status, toelichting, tab.
LISTED_WIDTHS = (28, COVER_TEXT_WIDTH + 5, 24, 24, 18)


class CoverWriter:
    """Writes the cover sheet of one planned workbook, section by section down the sheet."""

    def __init__(self, plan: WorkbookPlan, styles: Styles):
        self.plan, self._format = plan, styles.format
        self.title = self._format(bold=True, font_size=16)
        self.head = self._format(bold=True, font_size=12, font_color="#1F4E78")
        self.label = self._format(bold=True)
        self.wrap = self._format(text_wrap=True, valign="top")

    def write(self, worksheet: Worksheet) -> None:
        plan = self.plan
        worksheet.set_column(0, 0, 28)
        worksheet.set_column(1, 1, COVER_TEXT_WIDTH + 5)
        # The tab list's Partij (column C) holds a party's whole name: a number stands beside it.
        parties = max((len(sheet.party.display) for sheet in plan.sheets), default=0)
        worksheet.set_column(2, 2, min(max(24, parties + 2), 44))
        worksheet.set_column(3, 3, 24)
        worksheet.write_string(0, 0, f"{plan.template.titel} {years_text(plan)}", self.title)
        row = self._write_facts(worksheet, 2)
        row = self._write_steps(worksheet, row)
        row = self._write_legend(worksheet, row + 2)
        year = plan.years[0] - 1
        if plan.reopened or plan.closed:  # the tab of each listed afspraak, not cut off
            worksheet.set_column(4, 4, LISTED_WIDTHS[4])
        if plan.reopened:
            row = self._write_listed(
                worksheet,
                row,
                f"Open punten uit {year}",
                "Hierover waren de partijen het niet eens (agree to disagree). Ze staan weer bij "
                "de nieuwe afspraken van hun tabblad, met de tekst van vorig jaar om verder over "
                "te praten; de toelichting zegt hoe en wanneer.",
                plan.reopened,
            )
        if plan.closed:
            row = self._write_listed(
                worksheet,
                row,
                f"Afgerond of vervallen in {year}",
                "Deze afspraken komen niet terug als lopende afspraak.",
                plan.closed,
            )
        row = self._write_tab_list(worksheet, row)
        worksheet.write_string(
            row + 2,
            0,
            f"Gemaakt met pa-sheets {__version__}, spec {plan.spec.version}.",
            self._format(italic=True, font_color="#7F7F7F"),
        )
        print_setup(worksheet)
        worksheet.protect("", PROTECTION)

    def _write_facts(self, worksheet: Worksheet, row: int) -> int:
        """The parties, the years and the deadlines from `row` down; returns the row of the
        next section."""
        plan, config, label = self.plan, self.plan.config, self.label
        gemeenten = [f"{g.naam} ({g.code})" for g in plan.gemeenten]
        facts = [
            ("Gemeenten", ", ".join(gemeenten))
            if gemeenten
            else ("Gemeente", f"{config.gemeente.display} ({config.gemeente.code})"),
            ("Corporatie", f"{plan.corporatie.party.naam} ({plan.corporatie.party.code})"),
            (
                "Huurdersorganisaties" if plan.corporatie.meer_huurders else "Huurdersorganisatie",
                ", ".join(ho.naam for ho in plan.corporatie.huurdersorganisaties) or "geen",
            ),
            *(
                [("Samenwerkingsverband", ", ".join(v.naam for v in verbanden))]
                if (verbanden := [p for p in plan.parties if p.leden])
                else []
            ),
            ("Overige partners", ", ".join(p.naam for p in config.partners) or "geen"),
            ("Jaar" if len(plan.years) == 1 else "Jaren", years_text(plan)),
            ("Periode van de afspraken", f"{config.eerste_jaar}-{config.laatste_jaar}"),
        ]
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
            row, 1, legal_deadline(plan.kind, plan.years[0], plan.config.termijnen), self.wrap
        )
        return row + 2

    def _write_steps(self, worksheet: Worksheet, row: int) -> int:
        """How to fill in the workbook, a step a row; returns the last step's row."""
        plan = self.plan
        worksheet.write_string(row, 0, "Zo vult u dit werkboek in", self.head)
        steps = plan.template.cover_steps or plan.spec.cover_steps
        for number, step in enumerate([plan.template.uitleg, *steps], start=1):
            row += 1
            worksheet.write_string(row, 0, f"Stap {number}", self._format(bold=True, valign="top"))
            worksheet.write_string(row, 1, step, self.wrap)
            # Spreadsheet programs do not grow rows for wrapped text by themselves.
            worksheet.set_row(row, 13.5 * (1 + len(step) // COVER_TEXT_WIDTH))
        return row

    def _write_tab_list(self, worksheet: Worksheet, row: int) -> int:
        """A link to every tab with its thema, party and number of lopende afspraken, and to
        the signing sheet; returns the last row."""
        plan, label = self.plan, self.label
        worksheet.write_string(row, 0, "Tabbladen", self.head)
        # A template without new afspraken (a monitor) counts all its afspraken.
        fixed = "Lopende afspraken" if any(b.is_new for b in plan.template.blocks) else "Afspraken"
        for col, text in enumerate(["Tabblad", "Thema", "Partij", fixed]):
            worksheet.write_string(row + 1, col, text, label)
        row += 1
        for sheet in plan.sheets:
            row += 1
            worksheet.write_url(row, 0, f"internal:'{sheet.name}'!A1", string=sheet.name)
            worksheet.write_string(row, 1, sheet.thema.naam)
            worksheet.write_string(row, 2, sheet.party.display, self.wrap)  # beyond 44: wraps
            if (height := row_height([(sheet.party.display, 44)], size=10)) > LINE_10PT:
                worksheet.set_row(row, height)
            worksheet.write_number(row, 3, sum(b.fixed_rows for b in sheet.blocks))
        if plan.signing is not None and plan.template.signing is not None:
            row += 1
            name = plan.template.signing.sheet
            worksheet.write_url(row, 0, f"internal:'{name}'!A1", string=name)
            worksheet.write_string(row, 1, "Akkoord en handtekening per partij")
            worksheet.write_string(row, 2, "alle partijen")
        return row

    def _write_listed(self, worksheet: Worksheet, row: int, title: str, note: str, items) -> int:
        """Afspraken of last year that end or are open again: listed, not silently lost."""
        worksheet.write_string(row, 0, title, self.head)
        worksheet.write_string(row + 1, 0, note, self._format(italic=True, font_color="#404040"))
        row += 2
        for col, text in enumerate(["Nummer", "Afspraak", "Status", "Toelichting", "Tabblad"]):
            worksheet.write_string(row, col, text, self.label)
        for item in items:
            row += 1
            values = [item.nummer, item.afspraak, item.status, item.toelichting, item.sheet]
            for col, value in enumerate(values):
                worksheet.write_string(row, col, value, self.wrap)
            # A long toelichting (the procesafspraak of an open point) is read in full.
            height = row_height(zip(values, LISTED_WIDTHS, strict=True))
            if height > LINE_HEIGHT:
                worksheet.set_row(row, height)
        return row + 2

    def _write_legend(self, worksheet: Worksheet, row: int) -> int:
        """Statuses with their colours, then the types and the soorten of afspraak."""
        spec = self.plan.spec
        sections = [
            ("Status (stoplicht)", spec.statussen),
            ("Type afspraak", spec.types),
            ("Soort afspraak", spec.soorten),
        ]
        for title, terms in sections:
            worksheet.write_string(row, 0, title, self.head)
            for term in terms:
                row += 1
                fmt = self._format(bold=True, bg_color=term.kleur) if term.kleur else self.label
                worksheet.write_string(row, 0, term.naam, fmt)
                worksheet.write_string(row, 1, term.omschrijving, self.wrap)
            row += 2
        return row

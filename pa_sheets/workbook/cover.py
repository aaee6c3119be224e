"""The cover sheet: what the workbook is and for whom, when it goes back, how to fill it in,
what the statuses, types and soorten mean, the afspraken that ended last year or are open
again, and a link to every tab."""

from xlsxwriter.worksheet import Worksheet

from pa_sheets import __version__
from pa_sheets.spec.kalender import legal_deadline
from pa_sheets.spec.names import HUURDERSFEDERATIE
from pa_sheets.workbook.layout import WorkbookPlan
from pa_sheets.workbook.styles import PROTECTION, Styles, years_text
from pa_sheets.workbook.writer import LINE_10PT, LINE_HEIGHT, print_setup, row_height

COVER_TEXT_WIDTH = 80
# The columns of the lists of last year's afspraken (nummer, afspraak, status, toelichting, tab)
# at their least: the tab list above them may widen C to E.
LISTED_WIDTHS = (28, COVER_TEXT_WIDTH + 5, 24, 24, 18)
TAB_LIST_COLUMN = 2  # the tab list stands beside the legend, from column C
# The tab list's Thema and Partij: wider text wraps (a long party's name on two lines).
THEMA_WIDTH, PARTY_WIDTH = 34, 30


class CoverWriter:
    """Writes the cover sheet of one planned workbook, section by section down the sheet."""

    def __init__(self, plan: WorkbookPlan, styles: Styles):
        self.plan, self._format = plan, styles.format
        self.title = self._format(bold=True, font_size=16)
        self.head = self._format(bold=True, font_size=12, font_color="#1F4E78")
        self.label = self._format(bold=True)
        self.wrap = self._format(text_wrap=True, valign="top")

    def write(self, worksheet: Worksheet) -> None:
        """The cover on one printed page: the facts, the steps and the legend down columns A
        and B, the list of tabs beside the legend from column C (below it the list took a
        second page), then last year's listed afspraken across A to E."""
        plan = self.plan
        self._heights: dict[int, float] = {}
        self.widths = self._set_widths(worksheet)
        worksheet.write_string(0, 0, f"{plan.template.titel} {years_text(plan)}", self.title)
        row = self._write_facts(worksheet, 2)
        legend = self._write_steps(worksheet, row) + 2
        # Beside the legend, whose rows are one line each (a step's are not).
        tabs_end = self._write_tab_list(worksheet, legend - 1)
        row = self._write_legend(worksheet, legend)
        row = max(row, tabs_end + 3)
        year = plan.years[0] - 1
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
        worksheet.write_string(
            row,
            0,
            f"Gemaakt met pa-sheets {__version__}, spec {plan.spec.version}.",
            self._format(italic=True, font_color="#7F7F7F"),
        )
        for at, height in self._heights.items():
            worksheet.set_row(at, height)
        print_setup(worksheet)
        worksheet.protect("", PROTECTION)

    def _set_widths(self, worksheet: Worksheet) -> list[float]:
        """Columns A to F: the labels, the text, then the tab list's tab, thema, party and
        number (C to E also hold the listed afspraken' status, toelichting and tab)."""
        plan = self.plan
        names = [sheet.name for sheet in plan.sheets]
        if plan.signing is not None and plan.template.signing is not None:
            names.append(plan.template.signing.sheet)
        tab = max(len(name) for name in names) + 2 if names else 12
        thema = max((len(sheet.thema.naam) for sheet in plan.sheets), default=0) + 2
        party = max((len(sheet.party.display) for sheet in plan.sheets), default=0) + 2
        widths = [28.0, COVER_TEXT_WIDTH + 5.0, float(max(tab, 12)), min(thema, THEMA_WIDTH)]
        widths += [float(min(max(party, 16), PARTY_WIDTH)), 10.0]
        if plan.reopened or plan.closed:  # status, toelichting and tab of a listed afspraak
            for col in (2, 3, 4):
                widths[col] = max(widths[col], LISTED_WIDTHS[col])
        for col, width in enumerate(widths):
            worksheet.set_column(col, col, width)
        return widths

    def _height(self, row: int, height: float) -> None:
        """Row `row` at least `height` points high: the tab list shares its rows with the
        legend, and the taller of the two sets the row."""
        self._heights[row] = max(self._heights.get(row, 0.0), height)

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
                [("Huurdersfederatie", ", ".join(f.naam for f in federaties))]
                if (federaties := [p for p in plan.parties if p.rol == HUURDERSFEDERATIE])
                else []
            ),
            *(
                [("Samenwerkingsverband", ", ".join(v.naam for v in verbanden))]
                if (verbanden := [p for p in plan.parties if p.leden and p not in federaties])
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
            self._height(row, 13.5 * (1 + len(step) // COVER_TEXT_WIDTH))
        return row

    def _write_tab_list(self, worksheet: Worksheet, row: int) -> int:
        """A link to every tab with its thema, party and number of lopende afspraken, and to
        the signing sheet, from `row` down in columns C to F; returns the last row."""
        plan, col = self.plan, TAB_LIST_COLUMN
        worksheet.write_string(row, col, "Tabbladen", self.head)
        # A template without new afspraken (a monitor) counts all its afspraken.
        fixed = "Lopende afspraken" if any(b.is_new for b in plan.template.blocks) else "Afspraken"
        header = ["Tabblad", "Thema", "Partij", fixed]
        heading = self._format(bold=True, text_wrap=True, valign="bottom")
        for offset, text in enumerate(header):
            worksheet.write_string(row + 1, col + offset, text, heading)
        self._height(row + 1, row_height(zip(header, self.widths[col:], strict=True), size=10))
        row += 1
        for sheet in plan.sheets:
            row += 1
            worksheet.write_url(row, col, f"internal:'{sheet.name}'!A1", string=sheet.name)
            cells = [
                (sheet.thema.naam, self.widths[col + 1]),
                (sheet.party.display, self.widths[col + 2]),
            ]
            worksheet.write_string(row, col + 1, sheet.thema.naam, self.wrap)
            worksheet.write_string(row, col + 2, sheet.party.display, self.wrap)
            if (height := row_height(cells, size=10)) > LINE_10PT:
                self._height(row, height)
            worksheet.write_number(row, col + 3, sum(b.fixed_rows for b in sheet.blocks))
        if plan.signing is not None and plan.template.signing is not None:
            row += 1
            name = plan.template.signing.sheet
            worksheet.write_url(row, col, f"internal:'{name}'!A1", string=name)
            worksheet.write_string(row, col + 1, "Akkoord en handtekening per partij", self.wrap)
            worksheet.write_string(row, col + 2, "alle partijen")
            cells = [("Akkoord en handtekening per partij", self.widths[col + 1])]
            if (height := row_height(cells, size=10)) > LINE_10PT:
                self._height(row, height)
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
            height = row_height(zip(values, self.widths, strict=False))
            if height > LINE_HEIGHT:
                self._height(row, height)
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

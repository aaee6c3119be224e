"""Write the set-up workbook (opzetwerkboek) of a gemeente: the config as sheets a coordinator
fills in, in the house style of the jaarschijf (title, explanation, header band, white input
cells, dropdowns from a hidden _lijsten sheet, guidance as the input message of each cell).
The layout lives in spec/opzet.py, which also reads the workbook back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pa_sheets import __version__
from pa_sheets.spec import opzet
from pa_sheets.spec.config_schema import KORT_MAX
from pa_sheets.spec.model import MAX_MESSAGE, MAX_TITLE, Spec
from pa_sheets.spec.opzet import (
    FIRST_ROW,
    GEMEENTE_FIELDS,
    HEADER_ROW,
    TABLES,
    TITLE_ROW,
    UITLEG_ROW,
    Field,
)
from pa_sheets.workbook.meta import REQUIRED_MARK
from pa_sheets.workbook.output import atomic_path, guard_output
from pa_sheets.workbook.styles import (
    FIXED_FILL,
    INPUT_FILL,
    LOPEND_BAND,
    NUMBER_FORMATS,
    PROTECTION,
    REQUIRED_FONT,
    header_style,
)
from pa_sheets.workbook.writer import (
    LINE_10PT,
    Formats,
    now,
    print_setup,
    row_height,
    text_safe_workbook,
)

# The number format of each kind of Field's input cells.
KIND_FORMATS = {
    "text": NUMBER_FORMATS["text"],
    "list": NUMBER_FORMATS["text"],
    "mijlpalen": NUMBER_FORMATS["text"],
    "aandelen": NUMBER_FORMATS["text"],
    "planning": NUMBER_FORMATS["planning"],
    "year": NUMBER_FORMATS["year"],
    "number": NUMBER_FORMATS["decimal"],
    "money": NUMBER_FORMATS["money"],
}
FORM_WIDTHS = (28, 36, 90)
UITLEG_WIDTHS = (22, 95)

INTRO = (
    "Met dit werkboek zet u de prestatieafspraken van een gemeente op, zonder YAML te "
    "schrijven. pa-sheets maakt er de jaarschijven en biedingen van, voor elke corporatie één."
)
STEPS = (
    (
        "Gemeente",
        "Vul de naam, de CBS-code en de jaren van de afspraken in. Termijnen alleen "
        "als de partijen andere data afspraken dan de wet.",
    ),
    (
        "Thema's",
        "De standaardthema's staan er al. Haal weg wat niet meedoet, of voeg een eigen "
        "thema toe met code en naam.",
    ),
    (
        "Corporaties",
        "Een regel per corporatie, met L-nummer en huurdersorganisatie. Heeft een "
        "corporatie geen huurdersorganisatie, laat die cellen dan leeg.",
    ),
    (
        "Partners",
        "Partners die voor een of meer thema's tekenen (zorg, welzijn), en "
        "samenwerkingsverbanden van corporaties en huurdersfederaties. Mag leeg.",
    ),
    (
        "Lopende afspraken",
        "De afspraken uit eerdere jaren die doorlopen (going concern). Kies "
        "partij, type, indicator en eenheid uit de lijsten. Mag leeg.",
    ),
    (
        "Eigen indicatoren",
        "Indicatoren die niet in de standaardlijst staan, met hun eenheid. Mag leeg.",
    ),
)
LEGEND = (
    "Witte cellen vult u in; een kop in rood met * is verplicht. Wijs een cel aan voor uitleg. "
    "Regels invoegen mag; kolommen niet."
)


def write_setup(
    data: dict | None,
    path: Path,
    spec: Spec,
    *,
    source: str = "",
    force: bool = False,
    inputs: tuple[Path, ...] = (),
    created: dt.datetime | None = None,
) -> Path:
    """Write the set-up workbook of the config mapping `data` (as YAML holds it) to `path`;
    without data an empty one with the standard themes. `source` says where it came from.

    Example: write_setup(None, Path("opzet-2027.xlsx"), load_spec())
    """
    data = data or {}
    guard_output(path, inputs, force=force)
    with atomic_path(path, XlsxWriterException) as temp:
        _SetupWriter(data, spec, temp, created or now(), source).write()
    return path


class _SetupWriter:
    def __init__(self, data: dict, spec: Spec, path: Path, created: dt.datetime, source: str):
        self.data, self.spec, self.source = data, spec, source
        gemeente = (data.get("gemeente") or {}).get("naam") or ""
        self.workbook: Workbook = text_safe_workbook(
            path,
            created,
            title=f"Opzet prestatieafspraken {gemeente}".strip(),
            author="pa-sheets",
            comments=f"Gemaakt met pa-sheets {__version__}, spec {spec.version}",
        )
        self.format = Formats(self.workbook, font_name="Calibri", font_size=10)
        self.rows = {sheet: opzet.table_rows(data, sheet, spec) for sheet in TABLES}
        self.sizes = {
            sheet: len(rows) + opzet.EMPTY_ROWS[sheet] for sheet, rows in self.rows.items()
        }

    def write(self) -> None:
        workbook = self.workbook
        sheets = {name: workbook.add_worksheet(name) for name in opzet.SHEETS}
        lists = workbook.add_worksheet(opzet.LISTS)
        self.list_refs = self._write_lists(lists)
        _write_uitleg(self, sheets[opzet.UITLEG])
        self._write_gemeente(sheets[opzet.GEMEENTE])
        uitleg = {
            opzet.THEMAS: "Een regel per thema. Een standaardthema alleen bij code; een eigen "
            "thema met code en naam.",
            opzet.CORPORATIES: "Een regel per corporatie. Een tweede huurdersorganisatie van "
            "dezelfde corporatie: een regel eronder met alleen de huurdersorganisatie.",
            opzet.PARTNERS: "Partners tekenen voor de thema's die u noemt; een "
            "samenwerkingsverband of huurdersfederatie is een partij in de werkboeken van "
            "zijn corporaties.",
            opzet.LOPEND: "Een regel per afspraak die doorloopt. corporatie alle: in het "
            "werkboek van elke corporatie. Partij en trekker: gemeente, corporatie, "
            "huurdersorganisatie of de korte naam van een partner.",
            opzet.INDICATOREN: "Eigen indicatoren naast de standaardlijst; kies ze daarna bij "
            "een lopende afspraak.",
        }
        for name in TABLES:
            self._write_table(sheets[name], name, uitleg[name])
        sheets[opzet.UITLEG].activate()
        workbook.close()

    # -- sheets -------------------------------------------------------------------------------

    def _write_gemeente(self, sheet: Worksheet) -> None:
        self._heading(
            sheet,
            "Gemeente en periode",
            "De gemeente, de jaren van de afspraken en de termijnen die de partijen afspraken.",
            len(FORM_WIDTHS),
        )
        for col, (text, width) in enumerate(
            zip(("Gegeven", "Waarde", "Uitleg"), FORM_WIDTHS, strict=True)
        ):
            sheet.write_string(HEADER_ROW, col, text, self._header(False))
            sheet.set_column(col, col, width)
        values = opzet.form_values(self.data)
        for index, ((_, field), value) in enumerate(zip(GEMEENTE_FIELDS, values, strict=True)):
            row = FIRST_ROW + index
            label = field.header + (REQUIRED_MARK if field.required else "")
            sheet.write_string(
                row,
                0,
                label,
                self.format(
                    bold=True,
                    font_color=REQUIRED_FONT if field.required else "#000000",
                    border=1,
                    border_color="#BFBFBF",
                    bg_color=FIXED_FILL,
                    valign="top",
                ),
            )
            self._write_value(sheet, row, 1, value, field)
            sheet.write_string(
                row,
                2,
                field.help,
                self.format(italic=True, font_color="#404040", text_wrap=True, valign="top"),
            )
            sheet.data_validation(row, 1, row, 1, _rule(field, self.list_refs))
            sheet.set_row(row, max(LINE_10PT * 1.3, row_height([(field.help, 90)], size=10)))
        sheet.freeze_panes(FIRST_ROW, 0)
        print_setup(sheet, widths=FORM_WIDTHS, repeat_row=HEADER_ROW)
        sheet.protect("", PROTECTION)

    def _write_table(self, sheet: Worksheet, name: str, uitleg: str) -> None:
        fields = TABLES[name]
        self._heading(sheet, name, uitleg, len(fields))
        for col, field in enumerate(fields):
            sheet.write_string(
                HEADER_ROW,
                col,
                field.header + (REQUIRED_MARK if field.required else ""),
                self._header(field.required),
            )
            sheet.set_column(col, col, field.width)
        headers = [(f.header + REQUIRED_MARK, f.width) for f in fields]
        sheet.set_row(HEADER_ROW, max(30, row_height(headers, size=10)))
        rows = self.rows[name]
        last = FIRST_ROW + self.sizes[name] - 1
        wrapping = [(f.key, f.width) for f in fields if f.kind == "text"]
        for offset in range(self.sizes[name]):
            row = FIRST_ROW + offset
            values = rows[offset] if offset < len(rows) else {}
            height = row_height(((values.get(k), w) for k, w in wrapping), size=10)
            if height > LINE_10PT:
                sheet.set_row(row, height)
            for col, field in enumerate(fields):
                self._write_value(sheet, row, col, values.get(field.key), field)
        for col, field in enumerate(fields):
            sheet.data_validation(FIRST_ROW, col, last, col, _rule(field, self.list_refs))
        sheet.freeze_panes(FIRST_ROW, 1)
        print_setup(sheet, widths=[f.width for f in fields], repeat_row=HEADER_ROW)
        sheet.protect("", PROTECTION)

    def _write_lists(self, sheet: Worksheet) -> dict[str, str]:
        """The dropdowns' values, a column each; the parties, corporaties and own indicators
        follow what is typed on their sheets (a formula per row of the table)."""
        spec = self.spec
        fixed: dict[str, list[str]] = {
            "themas": [thema.code for thema in spec.themas],
            "soorten": list(opzet.SOORTEN),
            "types": spec.list_values("types"),
            "eenheden": spec.list_values("eenheden"),
            "doelsoorten": spec.list_values("doelsoorten"),
            "scopes": spec.list_values("scopes"),
            "corporaties": [opzet.ALLE],
            "partijen": list(opzet.ROLES),
            "indicatoren": [indicator.naam for indicator in spec.indicators],
            # Spec 1.5: after the lists a set-up workbook had before.
            "doeltermijnen": spec.list_values("doeltermijnen"),
            "referenties": spec.list_values("referenties"),
        }
        # (list, sheet, column of the short name, column of the name it falls back on)
        # (sheet, column of the short name, column of the name it falls back on, whether only
        # a row without corporatie counts: a second huurdersorganisatie, named by its kort)
        follows: dict[str, list[tuple[str, int, int | None, bool]]] = {
            "corporaties": [(opzet.CORPORATIES, 1, 0, False)],
            "partijen": [(opzet.PARTNERS, 2, 1, False), (opzet.CORPORATIES, 4, 3, True)],
            "indicatoren": [(opzet.INDICATOREN, 0, None, False)],
        }
        refs = {}
        bold = self.format(bold=True)
        for col, (name, values) in enumerate(fixed.items()):
            sheet.write_string(0, col, name, bold)
            for row, value in enumerate(values, start=1):
                sheet.write_string(row, col, value)
            end = len(values)
            for source, kort, naam, further in follows.get(name, []):
                for offset in range(self.sizes[source]):
                    end += 1
                    formula, value = self._follow(source, offset, kort, naam, further)
                    sheet.write_formula(end, col, formula, None, value)
            letter = xl_col_to_name(col)
            refs[name] = f"='{opzet.LISTS}'!${letter}$2:${letter}${end + 1}"
            sheet.set_column(col, col, 30)
        sheet.protect("", PROTECTION)
        sheet.hide()
        return refs

    def _follow(
        self, source: str, offset: int, kort: int, naam: int | None, further: bool
    ) -> tuple[str, str]:
        """A formula that shows the short name typed on row `offset` of `source` (or its
        name cut to the length of a short name), and its value now. `further`: only on a row
        without a corporatie (a corporatie's second huurdersorganisatie)."""
        fields = TABLES[source]
        row = FIRST_ROW + offset + 1
        quoted = "'" + source.replace("'", "''") + "'"
        k = f"{quoted}!${xl_col_to_name(kort)}${row}"
        if naam is None:
            shown = f'IF({k}="","",{k})'
        else:
            n = f"{quoted}!${xl_col_to_name(naam)}${row}"
            shown = f'IF({k}<>"",{k},IF({n}<>"",LEFT({n},{KORT_MAX}),""))'
        first = f"{quoted}!$A${row}"
        formula = f'=IF({first}<>"","",{shown})' if further else f"={shown}"
        rows = self.rows[source]
        values = rows[offset] if offset < len(rows) else {}
        value = values.get(fields[kort].key) or (
            str(values.get(fields[naam].key) or "")[:KORT_MAX] if naam is not None else ""
        )
        if further and values.get(fields[0].key):
            value = ""
        return formula, str(value or "")

    # -- cells --------------------------------------------------------------------------------

    def _heading(self, sheet: Worksheet, title: str, uitleg: str, width: int) -> None:
        band = self.format(bold=True, font_size=12, font_color="#FFFFFF", bg_color=LOPEND_BAND)
        sheet.write_string(TITLE_ROW, 0, title, band)
        for col in range(1, width):
            sheet.write_blank(TITLE_ROW, col, None, band)
        sheet.write_string(UITLEG_ROW, 0, uitleg, self.format(italic=True, font_color="#404040"))

    def _header(self, required: bool):
        return self.format(**header_style(required))

    def _input(self, field: Field, date: bool = False):
        return self.format(
            num_format=NUMBER_FORMATS["date"] if date else KIND_FORMATS[field.kind],
            border=1,
            border_color="#BFBFBF",
            valign="top",
            text_wrap=field.kind == "text",
            locked=False,
            bg_color=INPUT_FILL,
        )

    def _write_value(
        self, sheet: Worksheet, row: int, col: int, value: object, field: Field
    ) -> None:
        if value is None:
            sheet.write_blank(row, col, None, self._input(field))
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, value, self._input(field, date=True))
        elif isinstance(value, bool) or not isinstance(value, int | float):
            sheet.write_string(row, col, str(value), self._input(field))
        elif field.kind in ("text", "list", "planning", "mijlpalen", "aandelen"):
            # A number where text belongs (a naam of digits) stays as written, as text.
            sheet.write_string(row, col, str(value), self._input(field))
        else:
            sheet.write_number(row, col, value, self._input(field))


# ---------------------------------------------------------------------------------------------
# The Uitleg sheet and the rules of the cells.
# ---------------------------------------------------------------------------------------------


def _write_uitleg(writer: _SetupWriter, sheet: Worksheet) -> None:
    """The first sheet: what the workbook is for, how to fill it in, and what comes after."""
    fmt = writer.format
    gemeente = (writer.data.get("gemeente") or {}).get("naam")
    periode = writer.data.get("periode") or {}
    title = "Opzet prestatieafspraken" + (f" {gemeente}" if gemeente else "")
    if periode.get("eerste_jaar") and periode.get("laatste_jaar"):
        title += f" {periode['eerste_jaar']}-{periode['laatste_jaar']}"
    sheet.set_column(0, 0, UITLEG_WIDTHS[0])
    sheet.set_column(1, 1, UITLEG_WIDTHS[1])
    sheet.write_string(0, 0, title, fmt(bold=True, font_size=16))
    wrap = fmt(text_wrap=True, valign="top")
    sheet.write_string(2, 0, "Waarvoor", fmt(bold=True, valign="top"))
    sheet.write_string(2, 1, INTRO, wrap)
    _fit_row(sheet, 2, INTRO)
    head = fmt(bold=True, font_size=12, font_color="#1F4E78")
    sheet.write_string(4, 0, "Zo vult u het in", head)
    row = 5
    for name, text in STEPS:
        link = fmt(font_color="blue", underline=1, valign="top")
        quoted = name.replace("'", "''")  # the link to Thema's
        sheet.write_url(row, 0, f"internal:'{quoted}'!A1", link, name)
        sheet.write_string(row, 1, text, wrap)
        _fit_row(sheet, row, text)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Cellen", fmt(bold=True, valign="top"))
    sheet.write_string(row, 1, LEGEND, wrap)
    _fit_row(sheet, row, LEGEND)
    row += 2
    sheet.write_string(row, 0, "Daarna", head)
    code = fmt(font_name="Consolas", font_size=10)
    lines = (
        (
            "Jaarschijven",
            "pa-sheets generate jaarschijf --config opzet.xlsx --year 2027 --out jaarschijf-2027",
        ),
        (
            "Bod",
            "pa-sheets generate bod --config opzet.xlsx --corporatie KORT "
            "--years 2027-2031 --out bod",
        ),
        ("Fouten", "pa-sheets noemt elke fout met blad en cel, allemaal tegelijk."),
        (
            "Volgend jaar",
            "pa-sheets opzet --van opzet.xlsx --out opzet-2028.xlsx (of --van "
            "het getekende overzicht): de opzet van dit jaar als begin.",
        ),
        (
            "YAML",
            "pa-sheets opzet --van opzet.xlsx --out config.yaml: dezelfde config als "
            "tekst, voor versiebeheer.",
        ),
    )
    for label, text in lines:
        row += 1
        sheet.write_string(row, 0, label, fmt(bold=True))
        sheet.write_string(row, 1, text, code if text.startswith("pa-sheets ") else wrap)
    row += 2
    made = f"Gemaakt met pa-sheets {__version__}, spec {writer.spec.version}"
    if writer.source:
        made += f", uit {writer.source}"
    sheet.write_string(row, 0, made + ".", fmt(italic=True, font_color="#7F7F7F"))
    print_setup(sheet, widths=UITLEG_WIDTHS)
    sheet.protect("", PROTECTION)


def _fit_row(sheet: Worksheet, row: int, text: str) -> None:
    """A row of the Uitleg as high as its text; one line keeps the default height (a
    height of one 10 pt line would be rounded below it)."""
    height = row_height([(text, UITLEG_WIDTHS[1])], size=10)
    if height > LINE_10PT:
        sheet.set_row(row, height)


def _rule(field: Field, list_refs: dict[str, str]) -> dict:
    """The Excel rule of a Field's cells: a dropdown, a year, a number, a length; and its
    guidance as the input message."""
    rule: dict
    if field.choices is not None:
        rule = {
            "validate": "list",
            "source": list_refs[field.choices],
            "error_type": "information" if field.open or field.kind == "list" else "stop",
            "error_message": "Kies een waarde uit de lijst."
            + (" Een eigen waarde mag ook." if field.open else ""),
        }
    elif field.kind == "year":
        rule = {
            "validate": "integer",
            "criteria": "between",
            "minimum": 2000,
            "maximum": 2100,
            "error_message": "Vul een jaartal in, bijv. 2027.",
        }
    elif field.kind in ("number", "money"):
        rule = {
            "validate": "decimal",
            "criteria": "between",
            "minimum": -1e15,
            "maximum": 1e15,
            "error_message": "Vul een getal in, zonder tekst.",
        }
    elif field.key in ("kort", "ho_kort"):
        rule = {
            "validate": "length",
            "criteria": "<=",
            "value": KORT_MAX,
            "error_message": f"Hoogstens {KORT_MAX} tekens.",
        }
    else:
        rule = {"validate": "any"}
    rule["input_title"] = field.header[:MAX_TITLE]
    rule["input_message"] = field.help[:MAX_MESSAGE]
    if rule["validate"] != "any":
        rule["error_title"] = field.header[:MAX_TITLE]
    return rule

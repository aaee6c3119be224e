"""The evaluation as a workbook: the sheet Evaluatie (the counts with their shares, the
judgements, the collective afspraken, the charts), Aandacht, Status en cijfers, Indicatoren,
Trend and Historie per afspraak (with --historie), Verslag (which workbook beside it holds
each corporatie's section, verslag.py) and Ondertekening.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from xlsxwriter.chart import Chart
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pa_sheets.cycle.evaluate import Conflict, Evaluation
from pa_sheets.cycle.evaluation_tables import (
    CONFLICT_TITLE,
    GEDEELD_TITLE,
    JUDGEMENT_NOTE,
    TEGENSPRAAK_TITLE,
    TOT_HEADER,
    count_note,
    count_rows,
    judgement_tables,
    judgement_text,
    koers_header,
    koers_rows,
    tables,
    target_cell,
)
from pa_sheets.cycle.evaluation_trend import write_followed, write_trend
from pa_sheets.cycle.judgement import (
    AFWIJKEND,
    GEEN_DOEL,
    JUDGEMENTS,
    NIET_TE_BEOORDELEN,
)
from pa_sheets.cycle.verslag import verslag_paths, write_verslag, write_verslag_pointer
from pa_sheets.merge.tables import Table
from pa_sheets.spec.model import Spec
from pa_sheets.spec.names import ATTENTION_SHEET, EVALUATION_SHEET
from pa_sheets.spec.palette import EDGE, GEEN_STATUS, MARKS, UITEENLOPEND, Swatch, palette
from pa_sheets.workbook.output import atomic_path, guard_output
from pa_sheets.workbook.writer import (
    CHART_GAP,
    CHART_SIZE,
    DEFAULT_ROW_PIXELS,
    LINE_HEIGHT,
    NUMBER_ROOM,
    PAGE_HEIGHT_PIXELS,
    SUMMARY_SCALE,
    Formats,
    fit_widths,
    narrowest,
    now,
    paper_widths,
    place_charts,
    print_setup,
    row_height,
    text_safe_workbook,
)

# A judgement in the stoplicht's colours: what it resembles (the palette has one look each).
JUDGEMENT_LOOK = {
    "gehaald": "gerealiseerd",
    "op koers": "groen",
    "achter": "oranje",
    "niet gehaald": "rood",
    "afwijkend": "oranje",
    NIET_TE_BEOORDELEN: GEEN_STATUS,
    GEEN_DOEL: "vervallen",
}


def write_evaluation(
    evaluation: Evaluation,
    path: Path,
    spec: Spec,
    *,
    force: bool = False,
    created: dt.datetime | None = None,
) -> Path:
    """The same tables in a workbook, with shares and charts, and the judgements; beside it
    per corporatie a workbook with its section for the volkshuisvestingsverslag (named by
    verslag_paths; the evaluation's Verslag sheet says which). Every file is checked before
    any is written: never over one of the files evaluated, nor over an existing file unless
    `force`. Returns the evaluation's path.

    Example: write_evaluation(evaluate_paths([Path("terug/")]), Path("evaluatie-2027.xlsx"), spec)
    """
    verslagen = verslag_paths(evaluation, path)
    for target in (path, *verslagen.values()):
        guard_output(target, evaluation.inputs, force=force)
    colours = palette(spec)
    created = created or now()
    with atomic_path(path, XlsxWriterException) as temp:
        workbook = text_safe_workbook(temp, created, title=evaluation.title)
        fmt = Formats(workbook)
        _write_stoplicht(workbook, fmt, evaluation, colours)
        _write_attention(workbook, fmt, evaluation, colours)
        _write_tegenspraak(workbook, fmt, evaluation)
        _write_koers(workbook, fmt, evaluation, colours)
        if evaluation.historie is not None:
            write_trend(workbook, fmt, evaluation.historie)
            write_followed(workbook, fmt, evaluation.historie)
        write_verslag_pointer(workbook, fmt, evaluation, verslagen)
        _write_signing(workbook, fmt, evaluation)
        workbook.close()
    for corporatie, target in verslagen.items():
        write_verslag(evaluation, corporatie, target, colours, created)
    return path


def _look(colours: dict[str, Swatch], name: str) -> Swatch:
    """A status's swatch, or a judgement's (in the colour of the status it resembles;
    afwijkend, past the target on its far side, hatched over achter's colour)."""
    look = colours.get(JUDGEMENT_LOOK.get(name, name), MARKS[GEEN_STATUS])
    return replace(look, hatch=EDGE) if name == AFWIJKEND else look


def _write_stoplicht(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, Swatch]
) -> None:
    """The Evaluatie sheet: the counts per thema, partij and corporatie with their shares,
    the judgements per thema and corporatie, the collective afspraken the corporaties
    disagree on, and the charts per thema below."""
    bold, share = fmt(bold=True), fmt(num_format="0%")
    sheet = workbook.add_worksheet(EVALUATION_SHEET)
    sheet.write_string(0, 0, evaluation.title, fmt(bold=True, size=14))
    row = 2
    places = {}
    widths = _count_widths(evaluation)
    for table in tables(evaluation):
        places[table.name] = (row + 2, len(table.rows))
        _write_counts(sheet, fmt, row, table, evaluation.statuses, (bold, share), widths)
        row += len(table.rows) + 5
    _note(sheet, fmt, row - 2, count_note(evaluation), widths)
    row += 1
    for table in judgement_tables(evaluation):
        places[table.name] = (row + 2, len(table.rows))
        _write_counts(sheet, fmt, row, table, list(JUDGEMENTS), (bold, share), widths)
        row += len(table.rows) + 5
    _note(sheet, fmt, row - 2, JUDGEMENT_NOTE, widths)
    row += 1
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    # The tables of collective afspraken start a page (issue 27: the last rows of one printed
    # alone on a page without its header), the charts below them when they fit.
    breaks, below = [row], row
    if evaluation.conflicts:
        _write_conflicts(sheet, fmt, row, evaluation.conflicts, widths)
        row += len(evaluation.conflicts) + 5
    if evaluation.gedeeld:
        row = _write_gedeeld(sheet, fmt, row, evaluation, widths)
    if row > below and not _charts_fit_below(row - below):
        breaks.append(row)
    charts = [
        _count_chart(
            workbook, evaluation.statuses, places["Perthema"], colours, "Stoplicht per thema"
        ),
        _count_chart(
            workbook,
            list(JUDGEMENTS),
            places["Oordeelthema"],
            {j: _look(colours, j) for j in JUDGEMENTS},
            "Oordeel per thema",
        ),
    ]
    # Below the tables, never over a cell in use; on paper after the counts, on a page of
    # their own or below the tables of collective afspraken.
    place_charts(sheet, row + 1, charts)
    sheet.set_h_pagebreaks(breaks)
    print_setup(sheet, repeat_columns=1, widths=widths, scale=SUMMARY_SCALE)


def _charts_fit_below(rows: int) -> bool:
    """Whether the two charts fit on a page below `rows` rows of tables (rows of two lines
    at most, most of one), at the scale the Evaluatie sheet prints."""
    charts = 2 * (CHART_SIZE[1] + CHART_GAP)
    return charts + rows * 1.5 * DEFAULT_ROW_PIXELS <= PAGE_HEIGHT_PIXELS / SUMMARY_SCALE


NOTE_COLUMNS = 9  # a note below a table wraps over its first columns: one page wide


def _note(sheet: Worksheet, fmt: Formats, row: int, text: str, widths: list[float]) -> None:
    """An italic note over the first NOTE_COLUMNS columns (of `widths`)."""
    sheet.merge_range(row, 0, row, NOTE_COLUMNS - 1, text, fmt(italic=True, text_wrap=True))
    sheet.set_row(row, row_height([(text, sum(widths[:NOTE_COLUMNS]))]))


def _count_widths(evaluation: Evaluation) -> list[float]:
    """The columns of the count tables (of statuses, and of judgements): the labels, then
    counts and shares, narrowed to one page wide (their headers wrap)."""
    headers = [
        [*table.header, *(f"% {s}" for s in labels)]
        for tables_of, labels in (
            (tables, evaluation.statuses),
            (judgement_tables, list(JUDGEMENTS)),
        )
        for table in tables_of(evaluation)[:1]
    ]
    floors = [0.0] * max(len(header) for header in headers)
    for header in headers:  # no word of any table's header broken
        for col, floor in enumerate(narrowest(header, [[0] * len(header)])):
            floors[col] = max(floors[col], floor)
    floors[0] = 26  # a thema's name on a line or two
    widths = [34.0] + [max(11.0, floor) for floor in floors[1:]]
    return paper_widths(widths, floors, SUMMARY_SCALE)


def _write_counts(
    sheet: Worksheet,
    fmt: Formats,
    row: int,
    table: Table,
    statuses: list[str],
    formats: tuple[Format, Format],
    widths: list[float],
) -> None:
    """A table of counts from `row` on: its title, its header, then per row the counts and
    the share of each of `statuses` in the row's afspraken (`formats`: bold, and a share;
    `widths`: of the columns, for the header's height). A column after the statuses
    (uiteenlopend) is a mark: it has no share."""
    bold, share = formats
    sheet.write_string(row, 0, table.title, bold)
    header = [*table.header, *(f"% {s}" for s in statuses)]
    sheet.write_row(row + 1, 0, header, fmt(bold=True, text_wrap=True, valign="top"))
    sheet.set_row(row + 1, row_height(zip(header, widths[: len(header)], strict=True)))
    number = fmt(**NUMBER_ROOM)
    for index, (label, (total, *counts)) in enumerate(count_rows(table)):
        offset = row + 2 + index
        sheet.write_string(offset, 0, label, bold if index == len(table.rows) else None)
        sheet.write_row(offset, 1, [total, *counts], number)
        for col, count in enumerate(counts[: len(statuses)], start=len(table.header)):
            sheet.write_number(offset, col, count / total if total else 0, share)


def _write_conflicts(
    sheet: Worksheet, fmt: Formats, row: int, conflicts: list[Conflict], widths: list[float]
) -> None:
    """The collective afspraken whose corporaties gave different statuses, from `row` on, in
    the narrow columns (`widths`) of the counts above: Nummer and Thema one each, Partij and
    each corporatie two merged, so a name keeps its words whole; the afspraak runs on last."""
    sheet.write_string(row, 0, CONFLICT_TITLE, fmt(bold=True))
    corporaties = [c for c, _ in conflicts[0].statuses]
    spans = [(0, 0), (1, 1)] + [(2 + 2 * i, 3 + 2 * i) for i in range(len(corporaties) + 2)]
    spanned = [sum(widths[a : b + 1]) if b < len(widths) else 22.0 for a, b in spans]
    header, wrap = fmt(bold=True, text_wrap=True, valign="top"), fmt(text_wrap=True, valign="top")

    def write(line: int, values: list[str], style: Format, afspraak: str) -> None:
        for (first, last), value in zip(spans, values, strict=False):
            if first == last:
                sheet.write_string(line, first, value, style)
            else:
                sheet.merge_range(line, first, line, last, value, style)
        sheet.write_string(line, spans[len(values)][0], afspraak, fmt(valign="top"))
        sheet.set_row(line, row_height(zip(values, spanned, strict=False)))

    write(row + 1, ["Nummer", "Thema", "Partij", *corporaties], header, "Afspraak")
    for offset, conflict in enumerate(conflicts, start=row + 2):
        said = dict(conflict.statuses)
        values = [conflict.nummer, conflict.thema, conflict.partij]
        values += [said.get(c, "") for c in corporaties]
        write(offset, values, wrap, conflict.afspraak)
    note = (
        "Elke status is geteld bij haar corporatie, en de afspraak is gemarkeerd als "
        f"'{UITEENLOPEND}'. Spreek samen af welke status klopt."
    )
    sheet.write_string(row + len(conflicts) + 3, 0, note, fmt(italic=True))


GEDEELD_HEADER = ["Corporatie", "Nummer", "Realisatie", "Status of oordeel", "Doel", "Mijlpaal"]
TOGETHER = "Samen"
DOEL_COLUMN = GEDEELD_HEADER.index("Doel")


def _write_gedeeld(
    sheet: Worksheet, fmt: Formats, row: int, evaluation: Evaluation, widths: list[float]
) -> int:
    """The joint targets from `row` on: per target a row per corporatie (its contribution
    and its status), then the contributions together with the target and the judgement.
    Returns the first row after them."""
    sheet.write_string(row, 0, GEDEELD_TITLE, fmt(bold=True))
    sheet.write_row(row + 1, 0, GEDEELD_HEADER, fmt(bold=True, text_wrap=True, valign="top"))
    sheet.set_row(row + 1, row_height(zip(GEDEELD_HEADER, [34] + [11] * 5, strict=True)))
    # A figure keeps room before the status beside it; a bandbreedte's text stands as one.
    number, bold = fmt(num_format="#,##0.##", **NUMBER_ROOM), fmt(bold=True)
    bold_number = fmt(bold=True, num_format="#,##0.##", **NUMBER_ROOM)
    bold_range = fmt(bold=True, text_wrap=True, valign="top", **NUMBER_ROOM)
    offset = row + 2
    for shared in evaluation.gedeeld:
        # A corporatie's Doel is its aandeel in the target (spec 1.6), where it has one.
        aandelen = shared.aandelen or (None,) * len(shared.bijdragen)
        lines: list[tuple[list[object], bool]] = [
            ([corporatie, shared.nummer, realisatie, status, aandeel, None], False)
            for (corporatie, realisatie, status), aandeel in zip(
                shared.bijdragen, aandelen, strict=True
            )
        ]
        together = [TOGETHER, shared.nummer, shared.oordeel.realisatie, shared.oordeel.oordeel]
        target = target_cell(shared.streefwaarde, shared.streefwaarde_tot)
        lines.append(([*together, target, shared.mijlpaal], True))
        for values, total in lines:
            for col, value in enumerate(values):
                if isinstance(value, float):
                    sheet.write_number(offset, col, value, bold_number if total else number)
                elif col == DOEL_COLUMN and isinstance(value, str):  # a bandbreedte's
                    sheet.write_string(offset, col, value, bold_range)
                    # wrapped in its column less the character its indent takes
                    sheet.set_row(offset, row_height([(value, widths[col] - 1)]))
                elif value not in (None, ""):
                    sheet.write_string(offset, col, str(value), bold if total else None)
            offset += 1
    return offset + 2


def _count_chart(
    workbook: Workbook,
    columns: list[str],
    place: tuple[int, int],
    colours: Mapping[str, Swatch],
    title: str,
) -> Chart:
    """Per thema a bar stacked in the palette's colours, from the table at `place` (its
    first data row and its number of rows), one series per column from the third."""
    first, count = place
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    for col, name in enumerate(columns, start=2):
        look = colours.get(name, MARKS[GEEN_STATUS])
        series: dict[str, object] = {
            "name": [EVALUATION_SHEET, first - 1, col],
            "categories": [EVALUATION_SHEET, first, 0, first + count - 1, 0],
            "values": [EVALUATION_SHEET, first, col, first + count - 1, col],
            **look.chart(),
        }
        chart.add_series(series)
    chart.set_title({"name": title})
    chart.set_y_axis({"reverse": True})  # the themas top to bottom, as in the table
    chart.set_legend({"position": "bottom"})
    return chart


def _write_attention(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, Swatch]
) -> None:
    """The Aandacht sheet: every rood and oranje afspraak, in its status's colour, with its
    judgement beside it."""
    attention = workbook.add_worksheet(ATTENTION_SHEET)
    header = ["Status", "Corporatie", "Thema", "Partij", "Nummer", "Afspraak", "Trekker"]
    header += ["Toelichting", "Oordeel"]
    attention.write_row(0, 0, header, fmt(bold=True, indent=1))
    fills = {
        s: fmt(**_look(colours, s).cell(), valign="top") for s in evaluation.attention_statuses
    }
    fields = ("status", "corporatie", "thema", "partij", "nummer", "afspraak", "trekker")
    rows = [
        [*(getattr(item, name) for name in (*fields, "toelichting")), judgement_text(item)]
        for item in evaluation.attention()
    ]
    widths = fit_widths(header, rows, high=24)
    widths[5], widths[7], widths[8] = 50, 36, 36  # the afspraak, toelichting, oordeel wrap
    widths = paper_widths(widths, narrowest(header, rows))  # one page wide, their text wraps
    _text_rows(
        attention, 1, rows, widths, fmt(text_wrap=True, valign="top", align="left", indent=1), fills
    )
    attention.freeze_panes(1, 0)
    print_setup(attention, repeat_row=0, widths=widths)
    attention.autofilter(0, 0, max(len(evaluation.attention()), 1), len(header) - 1)


def _text_rows(
    sheet: Worksheet,
    first_row: int,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    wrap: Format,
    first: Mapping[str, Format] | None = None,
) -> None:
    """Rows of texts from `first_row` on, wrapped in columns of `widths` and each row as high
    as its longest text; the first column in the format `first` gives its value (a status in
    its colour) when given. `wrap` indents a text a character, so that two columns of wrapped
    text do not read as one line ('het project' and 'niet gehaald' ran together on paper)."""
    room = [width - wrap.indent for width in widths]  # an indent takes a character
    for offset, values in enumerate(rows, start=first_row):
        for col, value in enumerate(values):
            sheet.write_string(offset, col, value, first[value] if first and col == 0 else wrap)
        height = row_height(zip(values, room, strict=True))
        if height > LINE_HEIGHT:
            sheet.set_row(offset, height)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)


def _write_tegenspraak(workbook: Workbook, fmt: Formats, evaluation: Evaluation) -> None:
    """The sheet of the statuses that say otherwise than the figures."""
    sheet = workbook.add_worksheet("Status en cijfers")
    sheet.write_string(0, 0, TEGENSPRAAK_TITLE, fmt(bold=True, size=14))
    sheet.write_string(
        1,
        0,
        "De status die de partij meldt tegen het oordeel uit de cijfers (zie de noot op het "
        "blad Evaluatie). Vraag de partij welke klopt.",
        fmt(italic=True),
    )
    header = ["Corporatie", "Thema", "Nummer", "Afspraak", "Gemeld", "Oordeel", "Bevinding"]
    sheet.write_row(3, 0, header, fmt(bold=True, indent=1))
    rows = [
        [t.corporatie, t.thema, t.nummer, t.afspraak, t.status, t.oordeel, t.tekst]
        for t in evaluation.tegenspraak
    ]
    if not rows:
        sheet.write_string(4, 0, "Geen: elke status past bij de cijfers.", fmt(italic=True))
    widths = [28, 7, 9, 44, 12, 13, 60]  # Nummer and its indent
    _text_rows(sheet, 4, rows, widths, fmt(text_wrap=True, valign="top", align="left", indent=1))
    sheet.freeze_panes(4, 0)
    print_setup(sheet, repeat_row=3, widths=widths)


def _write_signing(workbook: Workbook, fmt: Formats, evaluation: Evaluation) -> None:
    """The Ondertekening per corporatie on a sheet of its own."""
    table = evaluation.signing
    if table is None:
        return
    sheet = workbook.add_worksheet("Ondertekening")
    sheet.write_string(0, 0, table.title, fmt(bold=True, size=14))
    sheet.write_row(2, 0, table.header, fmt(bold=True))
    number = fmt(**NUMBER_ROOM)  # a count keeps room before a name beside it
    for row, values in enumerate(table.rows, start=3):
        for col, value in enumerate(values):
            sheet.write(row, col, value, number if isinstance(value, int | float) else None)
    sheet.write_string(len(table.rows) + 4, 0, table.note, fmt(italic=True))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 3, 10)
    sheet.set_column(4, 6, 30)
    print_setup(sheet, repeat_row=2)


KOERS_NOTE = (
    "De afspraken met deze indicator in haar eenheid, een gezamenlijke afspraak één keer: de "
    "streefwaarde en realisatie van de afspraken met een realisatie (opgeteld, of het "
    "gemiddelde bij % en rapportcijfer) van doelen over dezelfde termijn en in dezelfde vorm "
    "(die van de meeste: Berekend als), en hoeveel afspraken elk oordeel kregen."
)
KOERS_TOT_NOTE = (
    " Van bandbreedtes (1.900 tot 2.500) de ondergrenzen als Streefwaarde, de bovengrenzen als "
    f"{TOT_HEADER}."
)


def _write_koers(
    workbook: Workbook, fmt: Formats, evaluation: Evaluation, colours: dict[str, Swatch]
) -> None:
    """The sheet Indicatoren: per standard indicator the realisatie of its afspraken and how
    many got each judgement."""
    sheet = workbook.add_worksheet("Indicatoren")
    sheet.write_string(0, 0, "Oordeel per indicator", fmt(bold=True, size=14))
    header = koers_header(evaluation)
    header_row = 3
    sheet.write_row(header_row, 0, header, fmt(bold=True, text_wrap=True, valign="bottom"))
    for offset, judgement in enumerate(JUDGEMENTS, start=header.index("Gehaald")):
        look = _look(colours, judgement).cell()
        sheet.write_string(
            header_row, offset, header[offset], fmt(bold=True, text_wrap=True, **look)
        )
    widths: list[float] = [7, 40, 11, 8, 9, 10, 10, 13, 11, 24, *([10] * len(JUDGEMENTS)), 12]
    if TOT_HEADER in header:
        widths.insert(header.index(TOT_HEADER), 13)
    # An indicator's name on one line, not cut by the Eenheid beside it.
    rows = koers_rows(evaluation)
    widths[1] = fit_widths(header, rows, high=64)[1]
    widths = paper_widths(widths, narrowest(header, rows))  # one page wide
    # The note wraps over the table: on one line it ran past it, and the page shrank to it.
    note = KOERS_NOTE + (KOERS_TOT_NOTE if TOT_HEADER in header else "")
    sheet.merge_range(1, 0, 1, len(header) - 1, note, fmt(italic=True, text_wrap=True))
    sheet.set_row(1, row_height([(note, sum(widths))]))
    # Narrowed to the page, a name or a 'gemiddelde (ongewogen)' wraps rather than is cut.
    number = fmt(num_format="#,##0.##", valign="top", **NUMBER_ROOM)
    wrap = fmt(text_wrap=True, valign="top")
    for row, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, value, wrap)
            else:
                sheet.write_number(row, col, value, number)
        if (height := row_height(zip(values, widths, strict=True))) > LINE_HEIGHT:
            sheet.set_row(row, height)
    last = header_row + max(len(evaluation.koers), 1)
    sheet.autofilter(header_row, 0, last, len(header) - 1)
    sheet.set_row(header_row, row_height(zip(header, widths, strict=True)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header_row + 1, 2)
    print_setup(sheet, repeat_row=header_row, widths=widths)

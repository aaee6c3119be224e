"""Year after year (evaluate --historie): the trend per indicator as a table for the terminal,
and the sheets Trend (the table and a line chart per indicator) and Historie per afspraak.
"""

import math

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook

from pa_sheets.cycle.evaluation_tables import shown
from pa_sheets.cycle.history import Historie
from pa_sheets.workbook.writer import (
    CHART_GAP,
    CHART_SIZE,
    DEFAULT_ROW_PIXELS,
    LINE_HEIGHT,
    Formats,
    print_setup,
    row_height,
)

TREND_TITLE = "Trend per indicator"
TREND_NOTE = (
    "Per jaar de realisatie van de afspraken met deze indicator in haar eenheid, zoals het blad "
    "Indicatoren van dat jaar haar telt: een gezamenlijke afspraak één keer, opgeteld (of het "
    "gemiddelde bij % en rapportcijfer). Uit de historie (evaluate --historie) en deze ronde."
)
FOLLOWED_SHEET = "Historie per afspraak"


def history_lines(found: Historie) -> list[str]:
    """The trend per indicator as a table for the terminal: a column per year."""
    years = found.years
    lines = [f"{TREND_TITLE}, {years[0]}-{years[-1]} (realisatie per jaar)"]
    lines.append(f"{'code':<5} {'indicator':<40} " + " ".join(f"{y:>12}" for y in years))
    for trend in found.trend:
        naam = trend.naam if len(trend.naam) <= 40 else trend.naam[:39] + "…"
        values = " ".join(f"{shown(v):>12}" for v in trend.waarden)
        mean = " (gemiddelde)" if trend.berekend != "som" else ""
        lines.append(f"{trend.code:<5} {naam:<40} {values}{mean}")
    lines.append(
        f"Afspraken gevolgd op hun nummer: {len(found.afspraken)} (per corporatie; in het "
        f"werkboek op het blad {FOLLOWED_SHEET})"
    )
    if found.note:
        lines.append(found.note)
    return [*lines, ""]


TREND_SHEET = "Trend"
TREND_CHART_HEIGHT = 300  # pixels: two to a landscape page
TREND_CHART_ROWS = math.ceil((TREND_CHART_HEIGHT + CHART_GAP) / DEFAULT_ROW_PIXELS)
TREND_CHARTS_PER_PAGE = 2


def write_trend(workbook: Workbook, fmt: Formats, found: Historie) -> None:
    """The sheet Trend: per indicator its realisatie per year, and below a line chart of
    each indicator measured in some year."""
    sheet = workbook.add_worksheet(TREND_SHEET)
    years = found.years
    sheet.write_string(0, 0, f"{TREND_TITLE}, {years[0]}-{years[-1]}", fmt(bold=True, size=14))
    widths = [7, 52, 11, 21, *([12] * len(years))]
    sheet.merge_range(1, 0, 1, len(widths) - 1, TREND_NOTE, fmt(italic=True, text_wrap=True))
    sheet.set_row(1, row_height([(TREND_NOTE, sum(widths))]))
    header_row = 3
    header = ["Code", "Indicator", "Eenheid", "Berekend als", *(str(y) for y in years)]
    sheet.write_row(header_row, 0, header, fmt(bold=True, text_wrap=True, valign="bottom"))
    number = fmt(num_format="#,##0.##")
    charts = []
    for row, trend in enumerate(found.trend, start=header_row + 1):
        for col, text in enumerate((trend.code, trend.naam, trend.eenheid, trend.berekend)):
            sheet.write_string(row, col, text)
        for col, value in enumerate(trend.waarden, start=4):
            if value is not None:
                sheet.write_number(row, col, value, number)
        if any(value is not None for value in trend.waarden):
            charts.append(_trend_chart(workbook, trend, row, header_row, len(years)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    last = header_row + len(found.trend)
    sheet.freeze_panes(header_row + 1, 2)
    # On paper from a page of their own, TREND_CHARTS_PER_PAGE to a page: never cut in two.
    first = last + 2
    breaks = [first]
    for index, chart in enumerate(charts):
        chart.set_size({"width": CHART_SIZE[0], "height": TREND_CHART_HEIGHT})
        row = first + index * TREND_CHART_ROWS
        if index and index % TREND_CHARTS_PER_PAGE == 0:
            breaks.append(row)
        sheet.insert_chart(row, 0, chart, {"object_position": 2})
    sheet.set_h_pagebreaks(breaks)
    print_setup(sheet, widths=widths)


def _trend_chart(workbook: Workbook, trend, row: int, header_row: int, count: int) -> Chart:
    """A line over the years of one indicator's row on the Trend sheet."""
    chart = workbook.add_chart({"type": "line"})
    chart.add_series(
        {
            "name": f"{trend.code} {trend.naam}",
            "categories": [TREND_SHEET, header_row, 4, header_row, 3 + count],
            "values": [TREND_SHEET, row, 4, row, 3 + count],
            "marker": {"type": "circle", "size": 6},
            "data_labels": {"value": True, "position": "above", "num_format": "#,##0.##"},
        }
    )
    how = "gemiddelde" if trend.berekend != "som" else "samen"
    chart.set_title({"name": f"{trend.code} {trend.naam} ({trend.eenheid}, {how})"})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "#,##0.##", "min": 0})
    return chart


def write_followed(workbook: Workbook, fmt: Formats, found: Historie) -> None:
    """The sheet Historie per afspraak: each afspraak of each corporatie, followed over the
    years by its nummer, its realisatie and its status per year."""
    sheet = workbook.add_worksheet(FOLLOWED_SHEET)
    years = found.years
    header = ["Corporatie", "L-nummer", "Nummer", "Afspraak", "Indicator", "Eenheid"]
    header += [f"Realisatie {y}" for y in years] + [f"Status {y}" for y in years]
    widths = [26, 9, 8, 44, 24, 11, *([11] * len(years)), *([12] * len(years))]
    sheet.write_row(0, 0, header, fmt(bold=True, text_wrap=True, valign="bottom"))
    sheet.set_row(0, row_height(zip(header, widths, strict=True)))
    number, wrap = fmt(num_format="#,##0.##", valign="top"), fmt(text_wrap=True, valign="top")
    for row, item in enumerate(found.afspraken, start=1):
        texts = (item.corporatie, item.l_nummer, item.nummer, item.afspraak, item.indicator)
        for col, text in enumerate((*texts, item.eenheid)):
            if text:
                sheet.write_string(row, col, text, wrap)
        for col, value in enumerate(item.realisatie, start=6):
            if value is not None:
                sheet.write_number(row, col, value, number)
        for col, status in enumerate(item.status, start=6 + len(years)):
            if status:
                sheet.write_string(row, col, status, wrap)
        height = row_height(zip([*texts, item.eenheid], widths, strict=False))
        if height > LINE_HEIGHT:
            sheet.set_row(row, height)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, max(len(found.afspraken), 1), len(header) - 1)
    print_setup(sheet, repeat_row=0, widths=widths)
    sheet.fit_to_pages(1, 0)  # the years beside the afspraak, on one page wide

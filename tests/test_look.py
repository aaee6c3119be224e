"""What a person sees: geometry read back from the written files. No chart covers a cell in
use, every wrapped text has a row high enough for it (by writer.row_height, the estimate the
writers use), headers and texts are never cut, years are never written as thousands, no number runs
into the text beside it, every sheet prints one page wide with its header row (and Nummer,
Corporatie) on every page. And, slow: every output of
the demo renders to pages with LibreOffice, within the page counts of issue 27."""

import os
import shutil
from itertools import pairwise

import openpyxl
import pytest
from conftest import ROOT, soffice

from pa_sheets.demo.fill import fill_workbook
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.workbook.writer import (
    LINE_10PT,
    LINE_HEIGHT,
    measured_lines,
    row_height,
    text_width,
)

BOD = ROOT / "samples" / "ingevuld" / "bod-2027-2031-voorbeeldstad-linde.xlsx"
DEFAULT_WIDTH = 8.43


@pytest.fixture(scope="module")
def outputs(golden_built, tmp_path_factory) -> dict[str, openpyxl.Workbook]:
    """Every kind of output, opened: template, filled, overview (jaarschijf and bod),
    evaluation, annotated copy."""
    out = tmp_path_factory.mktemp("look")
    paths = dict(golden_built)
    # Seed 1 fills BS Linde with a Toelichting the average per letter gave a line too few.
    paths["ingevuld"] = fill_workbook(paths["jaarschijf"], out / "ingevuld" / "j.xlsx", seed=1)
    merged = merge_paths([BOD], workers=1)
    paths["overzicht-bod"] = write_overview(merged, out / "overzicht-bod.xlsx")
    evaluation = paths["evaluatie"]  # beside it a Verslag workbook per corporatie
    paths["verslag"] = next(evaluation.parent.glob(f"{evaluation.stem}-verslag-*.xlsx"))
    return {name: openpyxl.load_workbook(path) for name, path in paths.items()}


def wrapped_cells(sheet):
    """Each wrapping text cell of `sheet` outside a merged range, with its column's width and
    its font size as row_height counts it (10 or 11)."""
    sizes = widths(sheet)
    for row in sheet.iter_rows():
        for cell in row:
            if not (isinstance(cell.value, str) and cell.alignment.wrap_text):
                continue
            if cell.coordinate in sheet.merged_cells:
                continue
            size = 10 if (cell.font.sz or 11) <= 10 else 11
            yield cell, sizes.get(cell.column, DEFAULT_WIDTH), size


def widths(sheet) -> dict[int, float]:
    """Column (1-based) -> width, also for columns given as a range."""
    found = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width and dimension.min:
            for col in range(dimension.min, (dimension.max or dimension.min) + 1):
                found[col] = dimension.width
    return found


def test_no_chart_covers_a_cell_in_use(outputs):
    charted = 0
    for name, workbook in outputs.items():
        for sheet in workbook.worksheets:
            for chart in sheet._charts:
                start, end = chart.anchor._from, chart.anchor.to
                used = [
                    sheet.cell(row + 1, col + 1).coordinate
                    for row in range(start.row, end.row + 1)
                    for col in range(start.col, end.col + 1)
                    if sheet.cell(row + 1, col + 1).value is not None
                ]
                assert used == [], (name, sheet.title)
                charted += 1
    assert charted >= 3 + 3 + 1  # overview (jaarschijf, bod) and evaluation


def test_the_summary_has_a_stoplicht_chart_and_a_bod_its_investments(outputs):
    def titles(workbook):
        return [
            "".join(r.t for p in c.title.tx.rich.p for r in p.r)
            for c in workbook["Samenvatting"]._charts
        ]

    assert "Stoplicht per thema" in titles(outputs["overzicht"])
    assert "Eigen investeringen per jaar en corporatie" in titles(outputs["overzicht-bod"])


def test_every_wrapped_text_has_a_row_that_fits_it(outputs):
    checked = 0
    for name, workbook in outputs.items():
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible" or sheet.title == "Toelichting":
                continue  # the cover's steps are sized by hand, per step
            if name == "controle" and sheet.title != "Controle":
                continue  # the party's own sheets (this sample predates the row heights)
            if name.startswith("overzicht") or name == "ingevuld":
                continue  # measured letter by letter: the test below
            for cell, width, size in wrapped_cells(sheet):
                need = row_height([(cell.value, width)], size)
                have = sheet.row_dimensions[cell.row].height or LINE_HEIGHT
                assert have >= need, (name, sheet.title, cell.coordinate, cell.value)
                checked += 1
    assert checked > 100


def test_every_wrapped_text_of_an_overview_fits_its_row_letter_by_letter(outputs):
    """Measured letter by letter (writer.measured_lines), as LibreOffice wraps it, every wrapped
    text of an overview and of a workbook the demo filled in has a row high enough: the
    average per letter (row_height's) gave "AG Aandachtsgroepen en spoedzoekers" two lines
    where it takes three, a row of one line ran its text over the row below ("Woningen
    aangepast voor" on Kengetallen), and a filled monitor cut a Toelichting's fourth line."""
    checked = 0
    for name in ("overzicht", "overzicht-bod", "ingevuld"):
        for sheet in outputs[name].worksheets:
            if sheet.sheet_state != "visible" or sheet.title == "Toelichting":
                continue  # the cover's steps are sized by hand, per step
            for cell, width, size in wrapped_cells(sheet):
                line = LINE_HEIGHT if size == 11 else LINE_10PT
                have = sheet.row_dimensions[cell.row].height or line
                lines = measured_lines(cell.value, width, size, bold=bool(cell.font.b))
                assert have >= line * lines - 0.5, (name, sheet.title, cell.coordinate, cell.value)
                checked += 1
    assert checked > 100


def test_a_sheet_that_repeats_a_header_holds_that_table_only(outputs):
    """A printed page under a repeated header row shows that header's table: the overview's
    Kengetallen printed its 'Niet meegeteld' under the columns of the table above it. A
    sheet of the overview that repeats a row holds one table, headed by that row."""
    sheets = 0
    for name in ("overzicht", "overzicht-bod"):
        for sheet in outputs[name].worksheets:
            titles = sheet.print_title_rows
            if sheet.sheet_state != "visible" or not titles or not sheet.tables:
                continue
            repeated = int(titles.split(":")[0].strip("$"))
            assert len(sheet.tables) == 1, (name, sheet.title, list(sheet.tables))
            (table,) = sheet.tables.values()
            first = openpyxl.utils.cell.range_boundaries(table.ref)[1]
            assert first == repeated, (name, sheet.title, titles, table.ref)
            sheets += 1
    assert sheets >= 2 * 7 + 4  # the thema sheets, Kengetallen, Niet meegeteld, ...


def test_the_summary_prints_its_short_tables_and_its_charts(outputs):
    """The Samenvatting repeats no header (it holds many tables): what it prints are the
    tables that fit its first page, and the charts. Its long tables (a row per thema and
    corporatie, per indicator) ran on over pages without their header; they are below the
    print area, on the screen."""
    for name in ("overzicht", "overzicht-bod"):
        sheet = outputs[name]["Samenvatting"]
        area = sheet.print_area[0] if isinstance(sheet.print_area, list) else sheet.print_area
        last = openpyxl.utils.cell.range_boundaries(area.split("!")[-1])[3]
        starts = {
            table.name: openpyxl.utils.cell.range_boundaries(table.ref)[1]
            for table in sheet.tables.values()
        }
        assert starts["PerThemaEnCorporatie"] > last and starts["Standaardindicatoren"] > last
        printed = [start for start in starts.values() if start <= last]
        assert len(printed) >= 3, (name, starts)
        assert all(chart.anchor._from.row < last for chart in sheet._charts), name


def test_no_header_is_cut(outputs):
    """A header fits its column, or wraps with every word fitting."""
    for name in ("overzicht", "overzicht-bod", "evaluatie", "verslag"):
        for sheet in outputs[name].worksheets:
            sizes = widths(sheet)
            for table in sheet.tables.values():
                first = openpyxl.utils.cell.range_boundaries(table.ref)
                for col in range(first[0], first[2] + 1):
                    cell = sheet.cell(first[1], col)
                    width = sizes.get(col, DEFAULT_WIDTH)
                    longest = max(len(word) for word in str(cell.value).split())
                    fits = len(str(cell.value)) <= width - 1
                    assert fits or (cell.alignment.wrap_text and longest <= width - 1), (
                        name,
                        sheet.title,
                        cell.coordinate,
                    )


def test_sheet_names_are_cut_at_a_word(outputs):
    names = outputs["overzicht"].sheetnames
    assert "AG Aandachtsgroepen en" in names
    assert not any(name.endswith("spoedzoe") for name in names)


def test_years_are_plain_numbers(outputs):
    """2027, never 2.027: every cell under a header Jaar... shows a whole number plainly."""
    seen = 0
    for name in ("overzicht", "overzicht-bod", "evaluatie", "verslag"):
        for sheet in outputs[name].worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if not (isinstance(cell.value, str) and cell.value.startswith("Jaar")):
                        continue
                    for below in sheet.iter_rows(
                        min_row=cell.row + 1,
                        max_row=cell.row + 40,
                        min_col=cell.column,
                        max_col=cell.column,
                    ):
                        value = below[0]
                        if isinstance(value.value, int | float) and 1900 < value.value < 2200:
                            assert value.number_format in ("0", "General"), (
                                name,
                                sheet.title,
                                value.coordinate,
                            )
                            seen += 1
    assert seen > 20


def test_every_sheet_prints_on_a4_landscape(outputs):
    for name, workbook in outputs.items():
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            if name == "controle" and sheet.title != "Controle":
                continue  # the party's own sheets print as the workbook they returned
            setup = sheet.page_setup
            assert setup.orientation == "landscape", (name, sheet.title)
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, (name, sheet.title)
            assert (setup.fitToWidth or 1) <= 2 and setup.fitToHeight == 0, (name, sheet.title)
            assert "&P" in (sheet.oddFooter.right.text or ""), (name, sheet.title)


def test_every_table_sheet_repeats_its_header_and_identifying_columns(outputs):
    """Each printed page says which rows it shows: a thema tab repeats its header row and
    Nummer, a record sheet of the overview its header row, Corporatie and Nummer, a sheet of
    one table its header row; and each prints one page wide."""
    tabs = records = 0
    for name, workbook in outputs.items():
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            if name == "controle" and sheet.title != "Controle":
                continue  # the party's own sheets print as the workbook they returned
            setup, titles = sheet.page_setup, sheet.print_title_rows
            # One page wide (openpyxl reads 1 as None); a bod's tab, too wide for one page at a
            # scale to read, two, with Nummer on both.
            wide = setup.fitToWidth or 1
            assert wide == 1 or (name == "bod" and sheet.print_title_cols), (name, sheet.title)
            first = int(titles.split(":")[0].strip("$")) if titles else None
            header = [cell.value for cell in sheet[first]] if first else []
            if "Nummer" in header and sheet.title[:2].isupper():
                if name.startswith("overzicht"):  # a record sheet per thema
                    assert header[:2] == ["Corporatie", "Nummer"], (name, sheet.title)
                    assert sheet.print_title_cols == "$A:$B", (name, sheet.title)
                    records += 1
                else:  # a thema tab of the workbook itself
                    assert header[0] == "Nummer", (name, sheet.title)
                    assert sheet.print_title_cols == "$A:$A", (name, sheet.title)
                    tabs += 1
            # Sheets of several tables, each with its own header, repeat none; nor a form
            # (a Verslag's Zienswijzen: two boxes to write in).
            elif sheet.title not in ("Toelichting", "Samenvatting", "Evaluatie", "Zienswijzen"):
                assert titles, (name, sheet.title)  # one table: its header on every page
    assert tabs > 20 and records >= 7 + 7


def test_no_number_runs_into_the_text_beside_it(outputs):
    """A number on the right of its cell keeps room (an indent) before a text in the next
    cell: "85 In 2027", never "85In 2027"."""
    checked = 0
    for name, workbook in outputs.items():
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            if name == "controle" and sheet.title != "Controle":
                continue
            for row in sheet.iter_rows():
                for cell, right in pairwise(row):
                    if not isinstance(cell.value, int | float) or isinstance(cell.value, bool):
                        continue
                    if not isinstance(right.value, str) or right.alignment.horizontal in (
                        "right",
                        "center",
                    ):
                        continue
                    checked += 1
                    room = (
                        cell.alignment.horizontal in ("left", "center")
                        or (cell.alignment.indent or 0) >= 1
                    )
                    assert room, (name, sheet.title, cell.coordinate, cell.value, right.value)
    assert checked > 50


@pytest.mark.slow  # LibreOffice prints every output of the demo: minutes
def test_every_demo_output_renders(tmp_path):
    from pa_sheets.render import render_all

    soffice()  # skips without LibreOffice; fails in CI
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("CI is gezet maar pdftoppm (poppler-utils) ontbreekt")
        pytest.skip("pdftoppm (poppler-utils) ontbreekt")
    pages = render_all(tmp_path)
    demo = tmp_path / "pa-sheets-demo"
    names = {path.relative_to(demo).as_posix(): count for path, count in pages.items()}
    # The demo's 29 workbooks (its set-up, 15 of the jaarschijven and bod, the monitoring
    # round's 3 blank and 3 filled monitors, its evaluation and a Verslag per corporatie, the
    # 3 jaarschijven 2028 rolled over), the evaluation of the jaarschijven with its 3 Verslag
    # workbooks, and a bod overview.
    assert len(names) == 34
    # On paper what a reader needs, one page wide: a tab of a jaarschijf on a page.
    most = {
        "1-leeg/jaarschijf-2027-voorbeeldstad-linde.xlsx": 25,
        "2-ingevuld/jaarschijf-2027-voorbeeldstad-linde.xlsx": 25,
        # The jaarschijf and its Controle sheet: the cover prints on one page (its list of
        # tabs beside the legend).
        "4-controle/jaarschijf-2027-voorbeeldstad-linde-controle.xlsx": 25,
        "5-gezamenlijk/gezamenlijk-jaarschijf-2027.xlsx": 20,
        # Issue 27: at most 8. The evaluation's tables and their charts, Aandacht, Status en
        # cijfers, Indicatoren, the Verslag sheet (which workbook holds each corporatie's
        # section) and Ondertekening: 7 (the monitoring round's, without Ondertekening, 6). Per
        # corporatie its section for the volkshuisvestingsverslag is a workbook of its own
        # beside it; in the evaluation it made 13 and 12.
        "7-extra/evaluatie-2027.xlsx": 8,
        "7-extra/gezamenlijk-bod-2027.xlsx": 30,
        "8-monitoring/evaluatie-2027.xlsx": 8,
    }
    # A Verslag: some 35 afspraken, their texts wrapped, the header row on every page (two or
    # three pages), then the Zienswijzen on a page of their own.
    for folder in ("7-extra", "8-monitoring"):
        for corporatie in (
            "stadswonen-voorbeeldstad",
            "wooncorporatie-het-baken",
            "woonstichting-de-linde",
        ):
            most[f"{folder}/evaluatie-2027-verslag-{corporatie}.xlsx"] = 4
    # A monitor's tab on one page wide (issue 27: two wide, 40 pages for Linde).
    for kind in ("leeg", "ingevuld"):
        for corporatie in ("baken", "linde", "stadswonen"):
            most[f"8-monitoring/{kind}/monitor-2027-voorbeeldstad-{corporatie}.xlsx"] = 25
    for corporatie in ("baken", "linde", "stadswonen"):  # next year's, as this year's
        most[f"9-rollover/jaarschijf-2028-voorbeeldstad-{corporatie}.xlsx"] = 25
    for name, count in names.items():
        assert 1 <= count <= most.get(name, 60), (name, count)
    assert names["7-extra/evaluatie-2027.xlsx"] >= 3  # tables, chart on its own page, Aandacht
    assert names["8-monitoring/evaluatie-2027.xlsx"] >= 3
    assert (tmp_path / "png" / "5-gezamenlijk_gezamenlijk-jaarschijf-2027-01.png").exists()


def test_the_readme_shows_the_overview_and_the_annotated_copy():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for picture in ("docs/overzicht-samenvatting.png", "docs/controle.png"):
        assert f"]({picture})" in readme
        assert (ROOT / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_text_is_cut_by_the_cell_beside_it(outputs):
    """A text that does not wrap fits its column, or nothing stands beside it (then it runs
    on over the empty cell): the evaluation's Indicatoren cut 'Nieuwbouw sociale
    huurwoningen opg' at the Eenheid beside it."""
    checked, cut = 0, []
    for name in ("overzicht", "overzicht-bod", "evaluatie", "verslag"):
        for sheet in outputs[name].worksheets:
            if sheet.sheet_state != "visible":
                continue
            sizes = widths(sheet)
            for row in sheet.iter_rows():
                for cell, right in pairwise(row):
                    if not isinstance(cell.value, str) or cell.alignment.wrap_text:
                        continue
                    if (
                        cell.data_type == "f"
                        or right.value is None
                        or cell.coordinate in sheet.merged_cells
                    ):
                        continue
                    checked += 1
                    # measured letter by letter: most letters are narrower than a digit
                    size = 10 if (cell.font.sz or 11) <= 10 else 11
                    wide = text_width(cell.value, size, bold=bool(cell.font.b))
                    fits = wide <= sizes.get(cell.column, DEFAULT_WIDTH)
                    if not fits:
                        cut.append((name, sheet.title, cell.coordinate, cell.value))
    assert not cut
    assert checked > 100

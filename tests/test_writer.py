"""The one workbook factory and the one output guard: text stays text, the creation time is the
caller's, pages print on A4 landscape, and no writer ever writes over one of its inputs."""

import shutil

import openpyxl
import pytest
from conftest import BOD_YEARS, CREATED, ROOT, SAMPLE

from pa_sheets.check.report import annotate
from pa_sheets.check.validate import validate_paths
from pa_sheets.cycle.basisbod import generate_basisbod, split_bod
from pa_sheets.cycle.evaluate import evaluate_paths
from pa_sheets.cycle.evaluation_workbook import write_evaluation
from pa_sheets.cycle.rollover import rollover
from pa_sheets.errors import OutputError
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.workbook.generate import generate
from pa_sheets.workbook.output import guard_output
from pa_sheets.workbook.writer import (
    LINE_10PT,
    LINE_HEIGHT,
    Formats,
    fit_widths,
    measured_lines,
    print_setup,
    row_height,
    text_lines,
    text_safe_workbook,
)

FILLED = ROOT / "samples" / "ingevuld"
ANDERDORP = ROOT / "samples" / "anderdorp.yaml"
INPUT = "is een van de invoerbestanden; kies een andere naam"
UNSAFE = ["=1+1", "=cmd|' /C calc'!A0", "+31 6 1234", "-5", "@SUM(A1)", "https://x.nl", "0123"]


@pytest.fixture
def written(tmp_path):
    path = tmp_path / "uit.xlsx"
    workbook = text_safe_workbook(path, CREATED, title="Proef")
    sheet = workbook.add_worksheet("Blad")
    for col, text in enumerate(UNSAFE):
        sheet.write(0, col, text)  # the generic write: where xlsxwriter would convert
    sheet.write_string(1, 0, "Kop")
    print_setup(sheet, repeat_row=1, footer="&RPagina &P")
    workbook.close()
    return path


def test_a_string_stays_a_string(written):
    sheet = openpyxl.load_workbook(written)["Blad"]
    cells = next(sheet.iter_rows(max_row=1))
    assert [cell.value for cell in cells] == UNSAFE
    assert {cell.data_type for cell in cells} == {"s"}
    assert not sheet._hyperlinks and all(cell.hyperlink is None for cell in cells)


def test_the_creation_time_is_the_one_given(written):
    assert openpyxl.load_workbook(written).properties.created == CREATED


def test_print_setup_is_a4_landscape_one_page_wide_with_the_header_row(written):
    sheet = openpyxl.load_workbook(written)["Blad"]
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # one page wide: the default, not written
    assert sheet.page_setup.fitToHeight == 0  # as many pages down as needed
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.oddFooter.right.text == "Pagina &P"  # a footer given replaces the default


def test_a_sheet_too_wide_for_one_page_prints_two_pages_wide(tmp_path):
    workbook = text_safe_workbook(tmp_path / "breed.xlsx", CREATED)
    narrow, wide = workbook.add_worksheet("Smal"), workbook.add_worksheet("Breed")
    print_setup(narrow, widths=[30, 20, 20])
    print_setup(wide, widths=[40] * 8)  # ~2300 px: one page would print at 45 %
    workbook.close()
    sheets = openpyxl.load_workbook(tmp_path / "breed.xlsx")
    assert sheets["Smal"].page_setup.fitToWidth in (None, 1)
    assert sheets["Breed"].page_setup.fitToWidth == 2
    assert sheets["Breed"].oddFooter.left.text == "&A"  # the sheet's name, and page N of M
    assert sheets["Breed"].oddFooter.right.text == "Pagina &P van &N"


def test_widths_follow_the_content_and_headers_wrap():
    header = ["Code", "Gemiddelde (ongewogen)", "Indicator"]
    rows = [["BS01", 1234.5, "Nieuwbouw sociale huurwoningen opgeleverd, en nog veel meer tekst"]]
    code, mean, indicator = fit_widths(header, rows, low=6, high=44)
    assert code == 6  # 'BS01' and 'Code' are short: the lower bound
    assert mean == len("(ongewogen)") + 2  # the header on two lines, no word cut
    assert indicator == 44  # longer text wraps at the upper bound


def test_row_heights_fit_wrapped_text():
    assert text_lines("kort", 20) == 1
    assert text_lines("een twee drie vier vijf zes", 10) == 3  # greedy, 10 characters a line
    assert text_lines("regel een\nregel twee", 40) == 2
    assert text_lines("x" * 50, 11) == 5  # a word longer than a line breaks anywhere
    assert row_height([("kort", 20), ("een twee drie vier vijf zes", 10)]) == 3 * LINE_HEIGHT
    # A 10 pt text fits more characters in the same column than 11 pt, on lower lines.
    assert text_lines("abcd efgh ijkl mnop qrst", 20, size=10) == 1
    assert text_lines("abcd efgh ijkl mnop qrst", 20) == 2
    assert row_height([("kort", 20)], size=10) == LINE_10PT


def test_measured_lines_wrap_as_libreoffice_does():
    """Measured letter by letter, as LibreOffice wrapped them in the render of issue 27 (a
    column 17 wide, in DejaVu Sans for Calibri): capitals are wider than a digit."""
    assert measured_lines("AG Aandachtsgroepen en spoedzoekers", 17) == 3  # AG|Aandachts...
    assert text_lines("AG Aandachtsgroepen en spoedzoekers", 17) == 2  # the average: short
    assert measured_lines("VD Verduurzaming en kwaliteit", 17) == 2
    assert measured_lines("LB Leefbaarheid", 17) == 1
    assert measured_lines("regel een\nregel twee", 40) == 2
    # A path wraps after a hyphen or slash (where LibreOffice breaks it); a hash anywhere.
    # The Bronnen sheet's Pad, 21 wide: pa-sheets-|demo/2-ingevuld/|jaarschijf-2027-|...
    path = (
        "/tmp/printing/r2/pa-sheets-demo/2-ingevuld/jaarschijf-2027-voorbeeldstad-stadswonen.xlsx"
    )
    assert measured_lines(path, 21) == 5  # broken anywhere it would take 4
    assert measured_lines("0123456789" * 6, 21) == 3
    assert measured_lines("Een kop", 7) == 1 < measured_lines("Een kop", 7, bold=True)


def test_a_format_is_made_once_with_the_defaults(tmp_path):
    workbook = text_safe_workbook(tmp_path / "f.xlsx", CREATED)
    formats = Formats(workbook, font_size=10)
    bold = formats(bold=True)
    assert formats(bold=True) is bold and formats(bold=True, italic=True) is not bold
    assert bold.font_size == 10 and formats(font_size=14).font_size == 14
    workbook.close()


# -- the guard ---------------------------------------------------------------------------------


def test_the_guard(tmp_path):
    source = tmp_path / "terug.xlsx"
    source.write_bytes(b"x")
    with pytest.raises(OutputError, match=INPUT):
        guard_output(tmp_path / "." / "terug.xlsx", [source], force=True)
    with pytest.raises(OutputError, match="bestaat al; gebruik --force om te overschrijven"):
        guard_output(source, [tmp_path / "ander.xlsx"])
    guard_output(source, [tmp_path / "ander.xlsx"], force=True)
    with pytest.raises(OutputError, match="de map bestaat niet"):
        guard_output(tmp_path / "geen" / "uit.xlsx", [source])
    guard_output(tmp_path / "nieuw.xlsx", [source])


@pytest.fixture(scope="module")
def returned(tmp_path_factory):
    """A copy of the filled jaarschijven, as a coordinator gets them back."""
    folder = tmp_path_factory.mktemp("terug")
    for path in sorted(FILLED.glob("jaarschijf-*.xlsx")):
        shutil.copyfile(path, folder / path.name)
    return sorted(folder.iterdir())


def _unchanged(path, before: bytes) -> bool:
    return path.read_bytes() == before


def test_generate_never_writes_over_its_config(tmp_path, spec):
    out = tmp_path / "uit"
    out.mkdir()
    config = tmp_path / "voorbeeldstad.yaml"
    shutil.copyfile(SAMPLE, config)
    before = config.read_bytes()
    # The last of the three would land on the config: refused before any is written.
    (out / "jaarschijf-2027-voorbeeldstad-baken.xlsx").symlink_to(config)
    with pytest.raises(OutputError, match=INPUT):
        generate("jaarschijf", config, (2027,), out, spec=spec, force=True, created=CREATED)
    assert _unchanged(config, before)
    assert [p.name for p in out.iterdir()] == ["jaarschijf-2027-voorbeeldstad-baken.xlsx"]


def test_the_overview_and_the_evaluation_never_write_over_a_returned_workbook(returned, spec):
    target = returned[0]
    before = target.read_bytes()
    merged = merge_paths(returned, spec=spec, workers=1)
    with pytest.raises(OutputError, match=INPUT):
        write_overview(merged, target, force=True)
    evaluation = evaluate_paths(returned, spec=spec)
    with pytest.raises(OutputError, match=INPUT):
        write_evaluation(evaluation, target, spec, force=True)
    assert _unchanged(target, before)


def test_the_evaluation_of_an_overview_never_writes_over_it(returned, spec, tmp_path):
    overview = write_overview(merge_paths(returned, spec=spec, workers=1), tmp_path / "o.xlsx")
    before = overview.read_bytes()
    with pytest.raises(OutputError, match=INPUT):
        write_evaluation(evaluate_paths([overview], spec=spec), overview, spec, force=True)
    assert _unchanged(overview, before)


def test_rollover_never_writes_over_a_returned_workbook(returned, spec, tmp_path):
    target = returned[0]
    before = target.read_bytes()
    (tmp_path / target.name.replace("2027", "2028")).symlink_to(target)
    with pytest.raises(OutputError, match=INPUT):
        rollover(returned, 2028, tmp_path, spec=spec, force=True, created=CREATED)
    assert _unchanged(target, before)


def test_basisbod_and_split_bod_never_write_over_their_input(filled_basisbod, tmp_path, spec):
    config = tmp_path / "voorbeeldstad.yaml"
    shutil.copyfile(SAMPLE, config)
    before = config.read_bytes()
    out = tmp_path / "basis"
    out.mkdir()
    (out / "basisbod-2027-2031-linde.xlsx").symlink_to(config)
    with pytest.raises(OutputError, match=INPUT):
        generate_basisbod([config, ANDERDORP], "Linde", BOD_YEARS, out, spec=spec, force=True)
    assert _unchanged(config, before)
    filled = shutil.copyfile(filled_basisbod, tmp_path / "ingevuld.xlsx")
    before = filled.read_bytes()
    boden = tmp_path / "boden"
    boden.mkdir()
    (boden / "bod-2027-2031-anderdorp-linde.xlsx").symlink_to(filled)
    with pytest.raises(OutputError, match=INPUT):
        split_bod(filled, boden, spec=spec, force=True)
    assert _unchanged(filled, before)


def test_the_annotated_copy_never_replaces_its_source(returned, tmp_path):
    source = tmp_path / "linde-controle.xlsx"  # the copy's name leads back to the source
    shutil.copyfile(returned[0], source)
    before = source.read_bytes()
    link = tmp_path / "linde.xlsx"
    link.symlink_to(source)
    report = validate_paths([link]).files[0]
    with pytest.raises(OutputError, match=INPUT):
        annotate(report, tmp_path)
    assert _unchanged(source, before)

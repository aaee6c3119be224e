"""safety.py on its own: the streaming scan of every byte, the limits on what a part may
inflate to, the xlsx reader whatever the name, and a reader's failure, a Rust panic included,
as UnusableWorkbook naming the file, also with several files in parallel. The whole hostile
corpus is tests/corpus.py."""

import faulthandler
import os
import random
import shutil
import zipfile

import pytest
from conftest import ROOT
from corpus import rezip

from pa_sheets.check import read
from pa_sheets.check.safety import Limits, reader_failed, scan_file
from pa_sheets.check.sheet_xml import (
    SHAPE,
    exact_area,
    marked_cells,
    percent_styles,
    within_small_area,
)
from pa_sheets.check.validate import validate_file, validate_paths
from pa_sheets.errors import UnusableWorkbook
from pa_sheets.merge.combine import merge_paths
from pa_sheets.parallel import map_files

LINDE = ROOT / "samples" / "ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
BAKEN = ROOT / "samples" / "ingevuld" / "jaarschijf-2027-voorbeeldstad-baken.xlsx"


class PanicException(BaseException):
    """What pyo3 raises for a Rust panic: a BaseException, which `except Exception` misses."""


def _with_comment(target, part: str, comment: bytes) -> None:
    def change(name: str, content: bytes) -> bytes:
        return content.replace(b">", b">" + comment, 1) if name == part else content

    rezip(LINDE, target, change)


@pytest.mark.parametrize(
    "declaration",
    [b"<!DOCTYPE x>", b"<!doctype x>", b"<!ENTITY a 'b'>"],
)
def test_a_declaration_anywhere_in_a_part_is_refused(declaration, tmp_path):
    target = tmp_path / "x.xlsx"
    _with_comment(target, "xl/styles.xml", b"<!--" + b"-" * 50_000 + declaration + b"-->")
    with pytest.raises(UnusableWorkbook, match=r"xl/styles\.xml bevat een DOCTYPE-declaratie"):
        scan_file(target)


@pytest.mark.parametrize("split", [1, 4, 9, 11])
def test_a_declaration_across_two_chunks_is_refused(split, tmp_path):
    """The part is inflated a megabyte at a time; a declaration cut in two is still seen."""
    from pa_sheets.check.safety import _CHUNK

    target = tmp_path / "x.xlsx"
    text = bytes(random.Random(split).choices(b"abcdefghij ", k=_CHUNK - 3 - split))
    part = b"<a>" + text + b"<!DOCTYPE x></a>"  # varied text: it must not inflate suspiciously
    rezip(LINDE, target, lambda n, c: c, [("docProps/extra.xml", part)])
    with pytest.raises(UnusableWorkbook, match=r"extra\.xml bevat een DOCTYPE-declaratie"):
        scan_file(target)


def test_a_declaration_in_utf16_in_any_part_is_refused(tmp_path):
    """A relationship may point a sheet at a part of any name; every part is searched."""
    target = tmp_path / "x.xlsx"
    declaration = "<!DOCTYPE x>".encode("utf-16-le")
    rezip(LINDE, target, lambda n, c: c, [("xl/media/image1.bin", b"\0" * 999 + declaration)])
    with pytest.raises(UnusableWorkbook, match=r"image1\.bin bevat een DOCTYPE-declaratie"):
        scan_file(target)


def test_a_part_in_utf16_is_refused(tmp_path):
    target = tmp_path / "x.xlsx"
    rezip(
        LINDE,
        target,
        lambda name, content: (
            content.decode().encode("utf-16") if name == "xl/styles.xml" else content
        ),
    )
    with pytest.raises(UnusableWorkbook, match=r"xl/styles.xml is geen gewone XML \(UTF-8\)"):
        scan_file(target)


def test_the_limits_on_sheets_and_shared_strings_are_settings(tmp_path):
    scan_file(LINDE)
    with pytest.raises(UnusableWorkbook, match=r"\(een werkblad\) pakt uit tot meer dan 0 MB"):
        scan_file(LINDE, Limits(max_sheet_bytes=1000))
    target = tmp_path / "x.xlsx"
    rezip(
        LINDE,
        target,
        lambda n, c: c,
        [("xl/sharedStrings.xml", b"<sst>" + b" " * 5000 + b"</sst>")],
    )
    scan_file(target)
    with pytest.raises(UnusableWorkbook, match=r"\(de gedeelde teksten\) pakt uit"):
        scan_file(target, Limits(max_shared_strings_bytes=1000))


def test_a_damaged_part_is_found_before_any_parser(tmp_path):
    """A flipped byte in a stored part: the checksum, checked while scanning."""
    target = tmp_path / "x.xlsx"
    with zipfile.ZipFile(LINDE) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item), zipfile.ZIP_STORED)
    data = bytearray(target.read_bytes())
    at = data.index(b"<workbook") + 3
    data[at] ^= 0x20
    target.write_bytes(bytes(data))
    with pytest.raises(UnusableWorkbook, match="het bestand is beschadigd of onvolledig"):
        scan_file(target)


def test_an_xlsx_under_another_name_is_read_as_xlsx(tmp_path, spec):
    for name in ("werkboek.ods", "werkboek.xlsb", "werkboek.XLSX", "werkboek"):
        shutil.copy(LINDE, tmp_path / name)
        assert validate_file(tmp_path / name, spec).valid(), name


def test_reader_failed_keeps_interrupts():
    with pytest.raises(KeyboardInterrupt):
        reader_failed(LINDE, KeyboardInterrupt())
    error = reader_failed(LINDE, PanicException("called `Option::unwrap()` on a `None` value"))
    assert str(error) == (
        f"{LINDE}: het werkboek kan niet worden gelezen; het bestand is beschadigd. "
        "Sla het op als Excel-werkmap (.xlsx) en stuur het opnieuw."
    )


@pytest.fixture
def panicking(monkeypatch, tmp_path):
    """A copy of Linde on which the reader panics; the workers fork with the patch."""
    bad = tmp_path / "paniek.xlsx"
    shutil.copy(LINDE, bad)
    real = read.open_xlsx

    def open_xlsx(path):
        if path.name == bad.name:
            raise PanicException("index out of bounds")
        return real(path)

    monkeypatch.setattr(read, "open_xlsx", open_xlsx)
    return bad


@pytest.mark.parametrize("workers", [1, 2])
def test_a_panic_in_the_reader_stops_only_its_own_file(panicking, workers, spec):
    report = validate_paths([panicking, BAKEN], spec=spec, workers=workers)
    bad, good = report.files
    assert bad.unusable.startswith(f"{panicking}: het werkboek kan niet worden gelezen")
    assert good.valid()
    merged = merge_paths([panicking, BAKEN], spec=spec, workers=workers, allow_invalid=True)
    assert [s.path for s in merged.sources] == [BAKEN]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_whose_check_raises_is_named_and_the_others_go_on(monkeypatch, workers, spec):
    """Whatever a check raises that no reader turned into a message ends as an unusable file
    naming it, never as a traceback for all."""
    real = read.read_workbook

    def read_workbook(path, *args, **kwargs):
        if path == LINDE:
            raise RuntimeError("a bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr("pa_sheets.check.validate.read_workbook", read_workbook)
    report = validate_paths([LINDE, BAKEN], spec=spec, workers=workers)
    assert report.files[0].unusable.startswith(f"{LINDE}: het werkboek kan niet worden gelezen")
    assert report.files[1].valid()


def test_pa_sheets_own_overview_and_evaluation_say_what_they_are(tmp_path, spec):
    from pa_sheets.cycle.evaluate import evaluate_paths
    from pa_sheets.cycle.evaluation_workbook import write_evaluation
    from pa_sheets.merge.overview import write_overview

    jaarschijven = [LINDE, BAKEN]
    overview = write_overview(merge_paths(jaarschijven, spec=spec, workers=1), tmp_path / "o.xlsx")
    evaluation = write_evaluation(evaluate_paths([overview], spec=spec), tmp_path / "e.xlsx", spec)
    report = validate_paths([overview, evaluation], spec=spec, workers=1)
    assert report.files[0].unusable == (
        f"{overview}: dit is een gezamenlijk overzicht (gemaakt door pa-sheets merge), geen "
        "teruggestuurd werkboek. Controleer de werkboeken van de corporaties zelf; het "
        "overzicht kunt u gebruiken met pa-sheets evaluate of pa-sheets rollover."
    )
    assert report.files[1].unusable.startswith(
        f"{evaluation}: dit is een evaluatie (gemaakt door pa-sheets evaluate), geen "
        "teruggestuurd werkboek; er valt niets aan te controleren."
    )


@pytest.mark.parametrize(
    ("window", "declares"),
    [
        (b"<c r='A1'><v>1</v></c>", False),
        (b"<!-- opmerking --><![CDATA[x]]>", False),
        (b"<!--" * 100 + b"<!DocType x>", True),  # past the 64 looked at one by one
        (b"<!--" * 100, False),
        ("<!ENTITY a 'b'>".encode("utf-16-be"), True),
        ("<!doctype x>".encode("utf-32"), True),
        (b"\0\x89PNG\0<!doctyp", False),
    ],
)
def test_declares(window, declares):
    from pa_sheets.check.safety import _declares

    assert _declares(window) is declares


def test_cells_without_a_place_are_refused(tmp_path):
    """Their place would follow from the cells before them: no bound on the area without
    reading the sheet as calamine does, so a sheet has every cell placed, as Excel writes it."""
    target = tmp_path / "x.xlsx"
    cells = b'<row r="5">' + b"<c><v>1</v></c>" * 20_000 + b"</row></sheetData>"
    rezip(
        LINDE,
        target,
        lambda n, c: c.replace(b"</sheetData>", cells) if n == "xl/worksheets/sheet3.xml" else c,
    )
    with pytest.raises(UnusableWorkbook, match="heeft cellen zonder plaats"):
        scan_file(target)


def _sheet(cells: bytes) -> bytes:
    return (
        b'<worksheet><cols><col min="1" max="3" width="9"/></cols><sheetData>'
        + cells
        + b"</sheetData><conditionalFormatting><cfRule/></conditionalFormatting></worksheet>"
    )


@pytest.mark.parametrize(
    "cells, area",
    [
        # As Excel, LibreOffice and xlsxwriter write them: vouched for without reading each.
        (b'<row r="1" spans="1:3"><c r="A1" s="2" t="s"><v>0</v></c><c r="C1" s="3"/></row>', None),
        (b'<row r="9999"><c r="Z9999"><v>1</v></c></row>', None),
        # Two letters: up to AZ (spec 1.6 reaches AB) to row 9,999, up to ZZ to row 999.
        (b'<row r="7"><c r="B7"><v>1</v></c><c r="AB70"><v>1</v></c></row>', None),
        (b'<row r="9999"><c r="AZ9999"><v>1</v></c><c r="Z9999"/></row>', None),
        (b'<row r="999"><c r="ZZ999"><v>1</v></c><c r="A999"/></row>', None),
        (b"<row r='5000'><c\tr='AB5000'/></row>", None),  # either quote, any whitespace
        # Inline strings as openpyxl writes them: words that start with r are no attribute r.
        (b'<row r="2"><c r="B2" t="inlineStr"><is><t>rood, r. rapport</t></is></c></row>', None),
        # The rest is read cell by cell, and its area is exact.
        (b'<row r="10000"><c r="A10000"><v>1</v></c></row>', (10000, 1, 0)),
        (b'<row r="10000"><c r="AA10000"><v>1</v></c></row>', (10000, 27, 0)),
        (b'<row r="1"><c r="BA1"/></row><row r="1000"><c r="B1000"/></row>', (1000, 53, 0)),
        (b"<row r='1'><c r='BA1'/></row><row r='1000'><c r='B1000'/></row>", (1000, 53, 0)),
        (b'<row r="1"><c r="ABC1"><v>1</v></c></row>', (1, 731, 0)),  # three letters
        (b'<row r="1"><c r="A1x"/></row>', (1, 1, 0)),  # more than the place
        (b'<row r="1"><c s="1" r="D1"><v>1</v></c></row>', (1, 4, 0)),  # r not first
        (b'<row r="1"><x:c r="C1"><x:v>1</x:v></x:c></row>', (1, 3, 0)),  # a prefix
        (b'<row r="1"><x:c s="1" r="XFD1"><x:v>1</x:v></x:c></row>', (1, 16384, 0)),
        (b"<row r='2'><c r='e2'><v>1</v></c></row>", (2, 5, 0)),  # quotes, lower case
        # A second r: calamine keeps the last, with a space before it or none.
        (b'<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>', (1048576, 16384, 0)),
        (b'<row r="1"><c r="A1" s="1"r = "XFD9"><v>1</v></c></row>', (9, 16384, 0)),
        (b'<row r="1"><c r="A1" r\t=\t"XFD9"><v>1</v></c></row>', (9, 16384, 0)),
        (b'<row r="3"><c><v>1</v></c><c s="1"/></row>', (3, 0, 2)),  # no place
    ],
)
def test_the_area_of_a_sheet(cells, area):
    """A sheet as every known program writes it passes in a few passes in C; any other is read
    reference by reference, also a second r in a cell (calamine keeps the last one)."""
    sheet = _sheet(cells)
    assert within_small_area(sheet, sheet.translate(SHAPE)) is (area is None)
    if area is not None:
        assert exact_area(sheet) == area


def test_a_second_reference_in_a_cell_is_refused(tmp_path):
    target = tmp_path / "x.xlsx"
    far = b'<row r="8"><c r="A8" s="1" r="XFD1048576"><v>1</v></c></row></sheetData>'
    rezip(
        LINDE,
        target,
        lambda n, c: c.replace(b"</sheetData>", far) if n == "xl/worksheets/sheet3.xml" else c,
    )
    with pytest.raises(UnusableWorkbook, match=r"reikt tot rij 1\.048\.576 en kolom 16\.384"):
        scan_file(target)


def _crashes_on_paniek(path):
    """Like a reader that aborts its process (calamine on an allocation it cannot make)."""
    if path.name == "paniek.xlsx":
        faulthandler.disable()  # pytest's, inherited by the fork: no dump of this in the log
        os.abort()
    return path.name


def test_a_worker_that_dies_stops_only_its_own_file(tmp_path):
    paths = [tmp_path / name for name in ("a.xlsx", "paniek.xlsx", "b.xlsx", "c.xlsx")]
    results = map_files(
        _crashes_on_paniek, paths, workers=2, failed=lambda path, exc: f"kapot: {path.name}"
    )
    assert results == ["a.xlsx", "kapot: paniek.xlsx", "b.xlsx", "c.xlsx"]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _marked(cells: bytes, percents=frozenset({7})) -> tuple[dict[str, str], set[str]]:
    sheet = f'<worksheet xmlns="{MAIN}" xmlns:x="{MAIN}"><sheetData><row r="1">'.encode()
    sheet += cells + b"</row></sheetData></worksheet>"
    marked = marked_cells(sheet, sheet.translate(SHAPE), percents)
    return marked.formulas, set(marked.percents)


@pytest.mark.parametrize(
    "cells, formulas, percents",
    [
        # Whatever the order of the attributes, either quote, with a prefix or not.
        (b'<c r="A1" s="7"><f>SUM(B1:B3)</f><v>6</v></c>', {"A1": "=SUM(B1:B3)"}, {"A1"}),
        (b'<c s="7" t="n" r="B1"><f>1+1</f><v>2</v></c>', {"B1": "=1+1"}, {"B1"}),
        (b"<c s='7' r='c1'><f>1</f></c>", {"C1": "=1"}, {"C1"}),
        (b'<x:c s = "07"\nr="D1"><x:f>A1&amp;"&lt;x&gt;"</x:f></x:c>', {"D1": '=A1&"<x>"'}, {"D1"}),
        (b'<x:c r="E1"><x:f t="shared" si="0"/><x:v>1</x:v></x:c>', {"E1": "(formule)"}, set()),
        (b'<c r="F1" s="1"/><c r="G1" s="8"><v>1</v></c>', {}, set()),
        # A second attribute of the same name: calamine keeps the last.
        (b'<c r="A1" s="1" r="H1" s="7"><v>1</v></c>', {}, {"H1"}),
        # Text that looks like XML, escaped in a value or inside another attribute's value.
        (
            b'<c r="A1" t="inlineStr"><is><t>&lt;c r="Z9" s="7"&gt;&lt;f&gt;1&lt;/f&gt; a:f '
            b'x:c s="7" r="Z8"</t></is></c>',
            {},
            set(),
        ),
        (b'<c r="B1" t="s" x=" r=\'Z1\' s=\'7\'"><v>1</v></c>', {}, set()),
        (b'<c x=" s=\'7\' " r="C1" s="2" y=\'r="Z1"\'><f>1</f></c>', {"C1": "=1"}, set()),
        # What is no element: a comment, CDATA.
        (b'<!-- <c r="Z1" s="7"><f>1</f></c> --><c r="D1"><v>1</v></c>', {}, set()),
        (b'<c r="E1" t="inlineStr"><is><t><![CDATA[<c r="Z1"><f>1</f>]]></t></is></c>', {}, set()),
        (b'<c r="F1"><f><![CDATA[A1<B1]]></f></c>', {"F1": "=A1<B1"}, set()),
    ],
)
def test_the_cells_holding_a_formula_or_shown_as_a_percentage(cells, formulas, percents):
    assert _marked(cells) == (formulas, percents)


def test_a_percentage_is_known_by_its_number_format():
    styles = (
        f'<styleSheet xmlns="{MAIN}"><numFmts count="3">'
        '<numFmt numFmtId="164" formatCode="0.0%"/>'
        '<numFmt numFmtId="165" formatCode="0&quot;%&quot;"/>'
        '<numFmt numFmtId="166" formatCode="#,##0\\%"/></numFmts>'
        '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="10"/>'
        '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs></styleSheet>'
    )
    assert percent_styles(styles.encode()) == {1, 2, 3}

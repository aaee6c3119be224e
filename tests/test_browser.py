"""The published page in a real browser: Debian's Chromium, driven by Playwright (whose own
browser download is not used). Every afspraak appears once, an injected script does not run,
axe-core finds no WCAG 2.1 A/AA violation (also at 200% zoom), and Chromium's print to PDF
has the title on page 1 and no table wider than the paper.

Slow: they start a browser. They skip when Chromium or Playwright is missing, except in CI.
"""

import os
import shutil
import subprocess
from collections import Counter
from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest
from conftest import PUBLISHED, ROOT

from pa_sheets.cycle.publish import ALL_CORPORATIES, publish_paths, signing_copy
from pa_sheets.merge.combine import COLLECTIVE, merge_paths

pytestmark = pytest.mark.slow

FILLED = ROOT / "samples" / "ingevuld"
JAARSCHIJVEN = sorted(FILLED.glob("jaarschijf-*.xlsx"))
PAGE = "prestatieafspraken-2027-voorbeeldstad"
SCRIPT = "<script>document.title='gehackt'; window.gehackt = 1;</script>"
ONERROR = '<img src="x" onerror="window.gehackt = 2">'
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# A4 landscape minus the page's margins (10 mm each side), in CSS pixels (96 per inch).
PRINT_WIDTH = round((297 - 20) / 25.4 * 96)


def chromium() -> str:
    """Debian's Chromium; required when CI is set, otherwise the tests skip."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError:
        found = None
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI is gezet maar Chromium of Playwright ontbreekt")
        pytest.skip("Chromium (apt-get install chromium) of Playwright is niet geïnstalleerd")
    return found


@pytest.fixture(scope="module")
def browser():
    binary = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=binary, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, spec) -> Path:
    out = tmp_path_factory.mktemp("website")
    publish_paths(JAARSCHIJVEN, out, spec=spec, created=PUBLISHED)
    return out / f"{PAGE}.html"


@pytest.fixture(scope="module")
def signing(tmp_path_factory, spec) -> Path:
    """The copy the parties sign, of the same jaarschijven."""
    return signing_copy(JAARSCHIJVEN, tmp_path_factory.mktemp("tekenen"), spec=spec)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, spec) -> Path:
    """A concept page from a workbook with a script and an image with onerror in its texts."""
    folder = tmp_path_factory.mktemp("vijandig")
    workbook = openpyxl.load_workbook(FILLED / "jaarschijf-2027-voorbeeldstad-linde.xlsx")
    workbook["BT Linde"]["B7"] = SCRIPT  # fixed text changed: X005, so a concept
    workbook["Ondertekening"]["H9"] = ONERROR
    workbook["Ondertekening"]["D9"] = "akkoord met voorbehoud"
    source = folder / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    workbook.save(source)
    out = folder / "web"
    out.mkdir()
    publish_paths([source], out, concept=True, spec=spec)
    return out / f"{PAGE}.html"


def _open(browser, path: Path, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    return page


def _axe(page) -> list[dict]:
    script = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    page.add_script_tag(content=script)  # from the installed package: no network
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def test_every_afspraak_of_the_overview_appears_exactly_once(browser, site, spec):
    page = _open(browser, site)
    shown = page.evaluate(
        """() => [...document.querySelectorAll('main table')]
            .filter(t => t.querySelector('thead th').textContent.trim() === 'Nummer')
            .flatMap(t => [...t.tBodies[0].rows].map(r => [
                r.cells[0].textContent.trim(),
                (r.cells[1].querySelector('.tekst') || r.cells[1]).textContent.trim()]))"""
    )
    merged = merge_paths(JAARSCHIJVEN, spec=spec, workers=1)
    expected = Counter(
        (str(r.values["nummer"]), str(r.values["afspraak"]))
        for _, r, _ in merged.counted(merged.afspraak_blocks())
    )
    assert Counter(map(tuple, shown)) == expected
    # Where the nummer and text repeat (each corporatie's own BT-03), the corporatie differs.
    corporaties = page.evaluate(
        """() => [...document.querySelectorAll('main table tbody tr')]
            .filter(r => r.cells.length >= 10).map(r => r.cells[2].textContent.trim())"""
    )
    assert set(corporaties) <= {ALL_CORPORATIES, *merged.corporaties}
    assert corporaties.count(ALL_CORPORATIES) == len(merged.collectives) > 0
    assert COLLECTIVE not in corporaties
    page.close()


def test_an_injected_script_does_not_run(browser, hostile):
    page = _open(browser, hostile)
    assert page.title().startswith("Concept: Prestatieafspraken 2027")
    assert page.evaluate("() => window.gehackt") is None
    assert page.evaluate("() => document.querySelectorAll('script, img').length") == 0
    text = page.inner_text("main")
    assert SCRIPT in text and ONERROR in text  # shown, as text
    assert "CONCEPT" in page.inner_text("header")
    page.close()


@pytest.mark.parametrize("width", [1280, 640])  # 640: a 1280 screen at 200% zoom
def test_axe_finds_no_wcag_21_aa_violations(browser, site, hostile, signing, width):
    for path in (site, hostile, signing):
        page = _open(browser, path, width)
        assert _axe(page) == [], path.name
        # At 200% zoom the text still fits: nothing sticks out beyond the window but tables,
        # which may scroll (WCAG 1.4.10 exempts data tables), and here do not.
        wide = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wide <= 0, f"{path.name} is {wide}px te breed bij {width}px"
        page.close()


def _pdf_text(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, through poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is niet geïnstalleerd")
    path = tmp_path / "pagina.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def test_print_to_pdf_has_the_title_first_and_no_table_cut_off(
    browser, site, hostile, signing, tmp_path
):
    for path in (site, hostile, signing):
        page = _open(browser, path)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": PRINT_WIDTH, "height": 700})
        sticking_out = page.evaluate(
            """width => [...document.querySelectorAll('table')]
                .filter(t => t.getBoundingClientRect().right > width + 0.5)
                .map(t => t.caption.textContent.trim())""",
            PRINT_WIDTH,
        )
        assert sticking_out == [], path.name
        pages = _pdf_text(page.pdf(prefer_css_page_size=True), tmp_path)
        title = page.evaluate("() => document.querySelector('h1').textContent")
        assert " ".join(title.split()) in " ".join(pages[0].split())
        assert len(pages) > 1
        if path == hostile:  # a concept says so on every printed page
            assert all("CONCEPT" in text for text in pages)
        else:
            assert not any("CONCEPT" in text for text in pages)
        page.close()


def test_axe_does_find_a_violation_where_there_is_one(browser):
    page = browser.new_page()
    page.set_content("<html><body><img src='data:,'><p style='color:#ccc'>grijs</p></body></html>")
    assert {"html-has-lang", "image-alt", "color-contrast"} <= {v["id"] for v in _axe(page)}
    page.close()


def test_the_copy_to_sign_prints_a_whole_block_per_party(browser, signing, spec, tmp_path):
    page = _open(browser, signing)
    page.emulate_media(media="print")
    pages = _pdf_text(page.pdf(prefer_css_page_size=True), tmp_path)
    page.close()
    merged = merge_paths(JAARSCHIJVEN, spec=spec, workers=1)
    parties = sum(len(s.report.signing.parties) for s in merged.sources)
    assert sum(text.count("Handtekening") for text in pages) == parties == 12
    for text in pages:  # a block is never split over two pages
        assert text.count("Plaats en datum") == text.count("Handtekening")
    assert not any("datapackage" in text or "CSV" in text for text in pages)

"""One palette of statuses: the overview, the evaluation and the web page show a status the
same way, and "uiteenlopend" and "geen status" never look like a stoplicht colour."""

import re
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from pa_sheets.cycle.evaluate import evaluate_paths
from pa_sheets.cycle.evaluation_workbook import write_evaluation
from pa_sheets.cycle.judgement import JUDGEMENTS
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.spec.palette import GEEN_OF_ONBEKEND, GEEN_STATUS, UITEENLOPEND, palette

JAARSCHIJVEN = sorted((ROOT / "samples" / "ingevuld").glob("jaarschijf-*.xlsx"))


def test_the_marks_are_no_stoplicht_colour(spec):
    colours = palette(spec)
    fills = {colours[term.naam].fill for term in spec.statussen}
    assert [term.naam for term in spec.statussen] == list(colours)[: len(spec.statussen)]
    for mark in (UITEENLOPEND, GEEN_STATUS, GEEN_OF_ONBEKEND):
        look = colours[mark]
        assert look.fill not in fills  # white: no status of the spec is white
        assert look.hatch or look.dashed
    assert colours[UITEENLOPEND] != colours[GEEN_STATUS]  # and not like each other
    assert colours[UITEENLOPEND].chart()["pattern"]
    assert colours[GEEN_STATUS].chart()["border"]["dash_type"] == "dash"


def _series(path: Path, title: str) -> dict[str, str]:
    """The series of the chart called `title`, by name, each as its XML."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/charts/chart"):
                xml = archive.read(name).decode()
                if title in xml:
                    parts = xml.split("<c:ser>")[1:]
                    names = [re.search(r"<c:v>([^<]*)</c:v>", p).group(1) for p in parts]
                    return dict(zip(names, parts, strict=True))
    raise AssertionError(f"no chart {title!r} in {path}")


@pytest.fixture(scope="module")
def overview(tmp_path_factory):
    merged = merge_paths(JAARSCHIJVEN, workers=1, allow_invalid=True)
    return write_overview(merged, tmp_path_factory.mktemp("palet") / "overzicht.xlsx")


def test_the_overview_draws_the_marks_apart(overview, spec):
    series = _series(overview, "Stoplicht per thema")
    assert "<a:pattFill" in series[UITEENLOPEND]  # hatched, not dark pink or white
    assert '<a:prstDash val="dash"/>' in series[GEEN_OF_ONBEKEND]
    for term in spec.statussen:
        assert f'<a:srgbClr val="{term.kleur.lstrip("#")}"/>' in series[term.naam]


def test_the_evaluation_draws_statuses_and_judgements_from_the_palette(spec, tmp_path):
    path = write_evaluation(evaluate_paths(JAARSCHIJVEN, spec=spec), tmp_path / "e.xlsx", spec)
    stoplicht = _series(path, "Stoplicht per thema")
    assert '<a:prstDash val="dash"/>' in stoplicht[GEEN_STATUS]  # not Excel's green
    assert UITEENLOPEND not in stoplicht  # an extra mark, not a share of the bar
    judged = _series(path, "Oordeel per thema")
    assert list(judged) == list(JUDGEMENTS)
    assert '<a:srgbClr val="FFC7CE"/>' in judged["niet gehaald"]  # rood's colour
    assert '<a:prstDash val="dash"/>' in judged["niet te beoordelen"]
    assert "<a:pattFill" in judged["afwijkend"] and "<a:pattFill" not in judged["achter"]


def test_the_web_page_takes_its_colours_from_the_palette(spec):
    """Last year's status on the page, as the palette colours it (the samples have none:
    two are set here, in memory)."""
    from pa_sheets.cycle.publish import _rows_per_thema

    merged = merge_paths(JAARSCHIJVEN, workers=1, allow_invalid=True)
    records = [r for _, r in merged.records(merged.afspraak_blocks()) if r.block == "nieuw"]
    records[0].values["status_vorig"] = "oranje"
    records[1].values["status_vorig"] = "agree to disagree"
    colours = palette(spec)
    themas, _ = _rows_per_thema(merged)
    shown = [row for rows in themas.values() for row in rows if row.cells.get("status_vorig")]
    assert len(shown) == 2
    for row in shown:
        assert row.status_kleur == colours[row.cells["status_vorig"]].fill

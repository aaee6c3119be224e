"""pa-sheets publish: the signed afspraken as a static page with open data next to it; refused
when not valid or not signed, unless --concept; every text from a workbook escaped."""

import csv
import datetime as dt
import functools
import html.parser
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import PUBLISHED, ROOT
from openpyxl.workbook.workbook import Workbook
from workbook_helpers import saved_with

from pa_sheets.cli import cli
from pa_sheets.cycle.publish import NotPublishable, publish_paths
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview

FILLED = ROOT / "samples" / "ingevuld"
JAARSCHIJVEN = sorted(FILLED.glob("jaarschijf-*.xlsx"))
LINDE = FILLED / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
PAGE = "prestatieafspraken-2027-voorbeeldstad"
SCRIPT = '<script>document.title="gehackt"</script>'
FORMULA = '=HYPERLINK("http://voorbeeld.invalid","klik")'


class Outline(html.parser.HTMLParser):
    """What a test needs of a page: headings in order, tables with caption and th scope,
    every link and every element that would load something."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3", "h4"):
            self.headings.append(int(tag[1]))

    def handle_data(self, data):
        self.text.append(data)


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def _linde() -> Workbook:
    return openpyxl.load_workbook(LINDE)


def with_text(tmp_path: Path, cells: dict[tuple[str, str], object]) -> Path:
    """A copy of the signed Linde sample with cells typed over (a formula typed as text, as a
    party might); one loaded workbook serves every copy."""
    return saved_with(_linde(), tmp_path / "terug" / LINDE.name, cells, text=True)


@pytest.fixture(scope="module")
def published(spec, tmp_path_factory):
    out = tmp_path_factory.mktemp("website")
    return (
        publish_paths(JAARSCHIJVEN, out, per_corporatie=True, spec=spec, created=PUBLISHED),
        out,
    )


def test_one_page_per_gemeente_and_per_corporatie_with_open_data(published):
    result, out = published
    assert [p.name for p in result.pages] == [
        f"{PAGE}.html",
        f"{PAGE}-linde.html",
        f"{PAGE}-stadswonen.html",
        f"{PAGE}-baken.html",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [p.name for p in result.pages] + [p.name for p in result.data]
    )
    page = outline(out / f"{PAGE}.html")
    links = [a["href"] for tag, a in page.tags if tag == "a"]
    assert f"{PAGE}-afspraken.csv" in links and f"{PAGE}.json" in links
    assert "datapackage.json" in links
    assert not result.problems


def test_the_page_is_self_contained_and_accessible_by_structure(published):
    _, out = published
    text = (out / f"{PAGE}.html").read_text(encoding="utf-8")
    assert text.startswith('<!DOCTYPE html>\n<html lang="nl">')
    page = outline(out / f"{PAGE}.html")
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert not any(tag == "link" for tag in tags)  # the stylesheet is inline
    assert "http://" not in text and "https://" not in text and "url(" not in text
    # Headings in order: one h1, no level skipped.
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    # Every table has a caption; every header cell a scope.
    assert tags.count("table") == tags.count("caption") > 7
    assert all(attrs.get("scope") in ("col", "row") for tag, attrs in page.tags if tag == "th")
    assert "@media print" in text and "@page" in text


def test_every_afspraak_once_and_the_open_data_holds_the_same_rows(published, spec):
    _, out = published
    rows = read_csv(out / f"{PAGE}-afspraken.csv")
    data = json.loads((out / f"{PAGE}.json").read_text(encoding="utf-8"))
    assert len(rows) == len(data["afspraken"])
    assert list(rows[0])[:5] == ["gemeente_code", "gemeente", "jaar", "corporatie", "l_nummer"]
    assert "afspraak" in rows[0]
    assert not {"bronregel", "toelichting", "onleesbaar"} & set(rows[0])  # not public: a choice
    merged = merge_paths(JAARSCHIJVEN, spec=spec, workers=1)
    counted = list(merged.counted(merged.afspraak_blocks()))
    # One row per afspraak and corporatie it binds: a shared one once per corporatie, marked.
    shared = [r for r in rows if r["gedeeld"] == "ja"]
    members = sum(len(c.members) for c in merged.collectives)
    assert len(rows) == len(counted) - len(merged.collectives) + members
    assert len(shared) == members > 0
    assert len({(r["thema"], r["partij"], r["nummer"]) for r in shared}) == len(merged.collectives)
    assert data["ondertekening"][2]["partijen"][2]["voorbehoud"]  # Baken's huurders
    # Agree to disagree is listed apart, not in its thema's table.
    apart = [r for r in rows if r["status"] == "agree to disagree"]
    assert len(apart) == 1
    page = (out / f"{PAGE}.html").read_text(encoding="utf-8")
    why = next(
        str(r.values["toelichting"])
        for _, r in merged.records()
        if r.values.get("nummer") == apart[0]["nummer"]
        and r.values.get("status") == apart[0]["status"]
    )
    assert page.count(why) == 1


def test_refused_when_not_signed_or_not_valid_unless_concept(spec, tmp_path):
    unsigned = with_text(tmp_path, {("Ondertekening", "D8"): None})
    out = tmp_path / "uit"
    out.mkdir()
    with pytest.raises(NotPublishable) as refused:
        publish_paths([unsigned], out, spec=spec, created=PUBLISHED)
    assert "nog niet getekend door Woonstichting De Linde" in refused.value.problems[0]
    assert list(out.iterdir()) == []
    result = publish_paths([unsigned], out, concept=True, spec=spec)
    text = result.pages[0].read_text(encoding="utf-8")
    assert "<title>Concept: " in text and 'class="concept"' in text and "CONCEPT" in text
    assert result.problems


def test_the_cli_lists_what_is_refused_and_exits_1(tmp_path):
    invalid = with_text(tmp_path, {("BT Linde", "D23"): "garantie"})
    runner = CliRunner()
    result = runner.invoke(cli, ["publish", str(invalid), "--out", str(tmp_path / "w")])
    assert result.exit_code == 1, result.output
    assert "niet in orde (" in result.output and "fout(en))" in result.output
    assert "--concept" in result.output
    result = runner.invoke(
        cli, ["publish", str(invalid), "--out", str(tmp_path / "w"), "--concept"]
    )
    assert result.exit_code == 0, result.output
    assert f"Pagina: {tmp_path / 'w' / PAGE}-linde.html" not in result.output
    assert f"{PAGE}.html" in result.output


def test_a_bod_is_not_published(tmp_path):
    bod = FILLED / "bod-2027-2031-voorbeeldstad-linde.xlsx"
    result = CliRunner().invoke(cli, ["publish", str(bod), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "alleen jaarschijven" in result.output


def test_from_the_overview_the_same_page(spec, tmp_path, published):
    _, out = published
    overview = write_overview(
        merge_paths(JAARSCHIJVEN, spec=spec, workers=1), tmp_path / "overzicht.xlsx"
    )
    again = tmp_path / "web"
    again.mkdir()
    publish_paths([overview], again, spec=spec, created=PUBLISHED)
    first = json.loads((out / f"{PAGE}.json").read_text(encoding="utf-8"))
    second = json.loads((again / f"{PAGE}.json").read_text(encoding="utf-8"))
    assert second["ondertekening"] == first["ondertekening"]
    keys = ("corporatie", "thema", "nummer", "afspraak", "status")
    assert [[r[k] for k in keys] for r in second["afspraken"]] == [
        [r[k] for k in keys] for r in first["afspraken"]
    ]


def test_every_text_is_escaped(spec, tmp_path):
    path = with_text(
        tmp_path,
        {
            ("BT Linde", "B23"): SCRIPT,
            ("BT Linde", "A23"): "BT-09",
            ("BT Linde", "D23"): "procesafspraak",
            ("BT Linde", "E23"): "Woonstichting De Linde",
            ("BT Linde", "K23"): "2027",
            ("BT Linde", "F23"): "Aantal huisuitzettingen",
            ("BT Linde", "J23"): 5,
            ("BT Linde", "B24"): FORMULA,
            ("Ondertekening", "H9"): "<b>vet</b> & meer",
            ("Ondertekening", "D9"): "akkoord met voorbehoud",
        },
    )
    out = tmp_path / "web"
    out.mkdir()
    publish_paths([path], out, concept=True, spec=spec)
    text = (out / f"{PAGE}.html").read_text(encoding="utf-8")
    assert SCRIPT not in text and "&lt;script&gt;document.title=" in text
    assert "<b>vet</b>" not in text and "&lt;b&gt;vet&lt;/b&gt; &amp; meer" in text
    assert "=HYPERLINK(" in text  # shown as text: a page has no formulas
    row = next(
        r for r in read_csv(out / f"{PAGE}-afspraken.csv") if r["afspraak"].endswith('"klik")')
    )
    assert row["afspraak"] == "'" + FORMULA  # a spreadsheet opening the CSV runs nothing
    data = json.loads((out / f"{PAGE}.json").read_text(encoding="utf-8"))
    assert SCRIPT in [r["afspraak"] for r in data["afspraken"]]  # JSON keeps the value as read


def test_a_signature_after_the_day_the_page_is_made_is_refused(spec, tmp_path):
    out = tmp_path / "web"
    with pytest.raises(NotPublishable) as refused:
        publish_paths([LINDE], out, spec=spec, created=dt.datetime(2026, 11, 30, 12))
    assert any("getekend na vandaag (30 november 2026)" in p for p in refused.value.problems)
    assert not out.exists()


def test_a_partner_that_has_not_signed_is_shown_but_does_not_block(spec, tmp_path):
    # Row 10 of the Ondertekening: the zorg partner, who signs only for its own themes.
    empty = {("Ondertekening", f"{col}10"): None for col in "DEFG"}
    path = with_text(tmp_path, empty)
    result = publish_paths([path], tmp_path / "web", spec=spec, created=PUBLISHED)
    assert result.problems == []
    text = result.pages[0].read_text(encoding="utf-8")
    assert "getekend door gemeente, corporatie en huurdersorganisatie" in text
    assert "nog niet door Zorggroep Voorbeeldstad" in text
    unsigned = with_text(tmp_path, {("Ondertekening", "D9"): None})  # the huurdersorganisatie
    with pytest.raises(NotPublishable):
        publish_paths([unsigned], tmp_path / "web2", spec=spec, created=PUBLISHED)


def test_a_late_signature_in_january_is_published_with_a_warning(spec, tmp_path):
    january = dt.datetime(2027, 1, 8)
    path = with_text(tmp_path, {("Ondertekening", f"E{row}"): january for row in range(7, 11)})
    result = publish_paths([path], tmp_path / "web", spec=spec, created=dt.datetime(2027, 1, 9, 9))
    assert result.problems == []
    data = json.loads(result.data[0].read_text(encoding="utf-8"))
    assert data["getekend"] == "2027-01-08"
    text = result.pages[0].read_text(encoding="utf-8")
    assert "Getekend op 8 januari 2027; deze pagina is gemaakt" in text


def test_the_page_is_dated_by_its_signatures_and_names_a_contact(published):
    _, out = published
    data = json.loads((out / f"{PAGE}.json").read_text(encoding="utf-8"))
    last = max(
        p["datum"]
        for item in data["ondertekening"]
        for p in item["partijen"]
        if p["rol"] != "Overige partner" and p["datum"]
    )
    assert data["getekend"] == last and data["gemaakt"].startswith("2026-12-14")
    assert data["looptijd"] == "2026-2030"
    assert data["contact"].startswith("Gemeente Voorbeeldstad")
    text = (out / f"{PAGE}.html").read_text(encoding="utf-8")
    assert "<dt>Getekend</dt>" in text and "<dt>Contact</dt>" in text
    assert "Bijdrage (EUR)</dt><dd>" in text  # a bijdrage under the afspraak it belongs to


def test_from_the_overview_every_source_has_its_sha256(spec, tmp_path):
    import hashlib

    overview = write_overview(
        merge_paths(JAARSCHIJVEN, spec=spec, workers=1), tmp_path / "overzicht.xlsx"
    )
    result = publish_paths([overview], tmp_path / "web", spec=spec, created=PUBLISHED)
    data = json.loads(result.data[0].read_text(encoding="utf-8"))
    hashes = {s["bestand"]: s["sha256"] for s in data["bronnen"]}
    assert hashes == {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in JAARSCHIJVEN
    }


def test_the_copy_to_sign_needs_no_signature_but_is_refused_when_not_in_order(spec, tmp_path):
    from pa_sheets.cycle.publish import signing_copy

    unsigned = with_text(tmp_path, {("Ondertekening", f"D{row}"): None for row in range(7, 11)})
    result = CliRunner().invoke(
        cli, ["publish", str(unsigned), "--out", str(tmp_path / "t"), "--ter-ondertekening"]
    )
    assert result.exit_code == 0, result.output
    [copy] = (tmp_path / "t").iterdir()  # the copy alone: no open data
    assert copy.name == f"{PAGE}-ter-ondertekening.html"
    text = copy.read_text(encoding="utf-8")
    assert text.count('class="tekenblok"') == 4 and "Ter ondertekening: " in text
    invalid = with_text(tmp_path, {("BT Linde", "D23"): "garantie"})
    with pytest.raises(NotPublishable):
        signing_copy([invalid], tmp_path / "nee", spec=spec)
    assert not (tmp_path / "nee").exists()

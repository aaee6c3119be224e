"""A workbook made with an older spec still counts. samples/oud/ keeps, on purpose, De Linde's
filled jaarschijf 2027 as it was made with spec 1.1: a corporatie may send back a workbook made
before the spec moved on. It is read and checked as any other, and merges with workbooks of the
current spec. Its numbers are those of the demo before spec 1.3 (rapportcijfers of 52): the
plausibility rules find them, and nothing else is wrong with it."""

from conftest import CREATED, ROOT
from test_merge import cells, input_rows, record_sheets, table

from pa_sheets.check.read import read_workbook
from pa_sheets.check.validate import validate_file
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview

OLD_VERSION = "1.1"  # the old sample's own version, as its name says; not the current spec's
OLD = ROOT / "samples" / "oud" / f"jaarschijf-2027-voorbeeldstad-linde-spec-{OLD_VERSION}.xlsx"
FILLED = ROOT / "samples" / "ingevuld"
CURRENT = [
    FILLED / "jaarschijf-2027-voorbeeldstad-baken.xlsx",
    FILLED / "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx",
]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_the_old_sample_is_older_than_the_spec(spec):
    assert read_workbook(OLD, spec).template.spec_version == OLD_VERSION
    assert _version(OLD_VERSION) < _version(spec.version)
    for path in CURRENT:
        assert read_workbook(path, spec).template.spec_version == spec.version


def test_a_workbook_of_an_older_spec_is_read_and_judged_by_todays_rules(spec):
    report = validate_file(OLD, spec)
    assert report.unusable is None
    assert report.template["spec_versie"] == OLD_VERSION
    assert {f.code[0] for f in report.findings} == {"P"}  # plausibility only
    assert ("P001", "LB HV Linde", "J13") in {(f.code, f.sheet, f.cell) for f in report.findings}


def test_a_workbook_of_an_older_spec_merges_with_current_ones(spec, tmp_path):
    merged = merge_paths([OLD, *CURRENT], spec=spec, workers=1, allow_invalid=True)
    assert sorted(s.path for s in merged.sources) == sorted([OLD, *CURRENT])
    assert [s.path for s in merged.sources if not s.valid] == [OLD]  # its numbers, see above
    overview = cells(write_overview(merged, tmp_path / "overzicht.xlsx", created=CREATED))
    rows = [
        (r["Bronbestand"], r["Bronblad"], int(r["Bronregel"]))
        for sheet in record_sheets(overview).values()
        for r in sheet
    ]
    assert len(rows) == len(set(rows))
    assert set(rows) == set().union(*(input_rows(p, spec) for p in [OLD, *CURRENT]))
    header, sources = table(overview["Bronnen"], "Bronnen")
    versions = {row[header.index("Bestand")]: row[header.index("Specversie")] for row in sources}
    assert versions == {
        OLD.name: OLD_VERSION,
        **{path.name: spec.version for path in CURRENT},
    }


def test_a_workbook_of_spec_1_3_validates_without_findings(spec):
    # Made just before spec 1.4 added trekkers in a list, scope, wijk, kader and more: its
    # blocks lack those columns, and nothing asks for them.
    old = ROOT / "samples" / "oud" / "jaarschijf-2027-voorbeeldstad-linde-spec-1.3.xlsx"
    report = validate_file(old, spec)
    assert report.template["spec_versie"] == "1.3"
    assert report.findings == []
    merged = merge_paths([old, CURRENT[0]], spec=spec, workers=1)
    assert len(merged.sources) == 2

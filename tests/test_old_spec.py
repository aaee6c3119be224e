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
        # The filled samples of the spec before 1.5: 1.5 only added columns and values, so
        # they were kept (tests name their cells) rather than made again.
        made = read_workbook(path, spec).template.spec_version
        assert _version(OLD_VERSION) < _version(made) <= _version(spec.version)


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
        **{path.name: read_workbook(path, spec).template.spec_version for path in CURRENT},
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


def test_a_workbook_of_spec_1_4_validates_unchanged_and_means_what_it_meant(spec):
    # Made just before spec 1.5 added the target forms (bandbreedte, Ten opzichte van,
    # Streefwaarde geldt): it has none of those columns, nothing asks for them, and its targets
    # are what they were: one number each, in totaal over its planning.
    from pa_sheets.check.read import read_workbook
    from pa_sheets.spec.targets import ENKEL, form_of

    old = ROOT / "samples" / "oud" / "jaarschijf-2027-voorbeeldstad-linde-spec-1.4.xlsx"
    report = validate_file(old, spec)
    assert report.template["spec_versie"] == "1.4"
    assert report.findings == []
    data = read_workbook(old, spec)
    assert all("streefwaarde_tot" not in block.columns for block in data.blocks)
    merged = merge_paths([old, CURRENT[0]], spec=spec, workers=1)
    forms = {
        form_of(record.values, spec)
        for source in merged.sources
        for record in source.records
        if source.path == old
    }
    assert {(f.vorm, f.per_jaar) for f in forms} == {(ENKEL, False)}


def test_a_code_is_read_with_the_meaning_it_had_in_the_workbooks_spec(spec, tmp_path):
    # Codes are for ever (issue 26): spec 1.3 renumbered the indicators. VD04 meant "Woningen
    # met zonnepanelen" up to spec 1.2 and means "Woningen aardgasvrij gemaakt" now; a workbook
    # made with spec 1.1 that says VD04 means the panels, one made now the gasless homes.
    from conftest import SAMPLE
    from workbook_helpers import typed

    from pa_sheets.check.validate import inspect_file
    from pa_sheets.workbook.generate import generate

    assert spec.indicator("VD04").naam == "Woningen aardgasvrij gemaakt"
    (current,) = generate("jaarschijf", SAMPLE, (2027,), tmp_path / "nu", ["Linde"], spec=spec)
    read = {}
    for name, path in (("1.1", OLD), ("nu", current)):
        row = {"nummer": "VD-90", "afspraak": "Zon op dak.", "type": "handelingsafspraak"}
        row |= {"indicator": "VD04", "eenheid": "woningen", "streefwaarde": 40}
        row |= {"trekker": "Woonstichting De Linde", "planning": "2027"}
        changed = typed(path, tmp_path / f"{name}.xlsx", {("VD Linde", "nieuw", 5): row})
        inspection = inspect_file(changed, spec)
        (clean,) = [
            c
            for block, c in zip(inspection.data.blocks, inspection.clean, strict=True)
            if block.sheet == "VD Linde" and block.key == "nieuw"
        ]
        read[name] = [v for v in clean["indicator"] if v][-1]
        assert "P012" not in {f.code for f in inspection.report.findings}
    assert read == {"1.1": "Woningen met zonnepanelen", "nu": "Woningen aardgasvrij gemaakt"}
    # A code whose meaning no standard indicator has now is an own indicator of its old name.
    assert spec.codes_as_of("1.2")["BT01"] == "Gemiddelde huurverhoging"
    assert spec.codes_as_of(None)["BT01"] == "Huursomstijging"


def test_a_config_written_for_an_older_spec_means_its_codes_then(spec, tmp_path):
    from pa_sheets.spec.config import load_config

    text = """
gemeente: {naam: Proefstad, code: "GM9999"}
periode: {eerste_jaar: 2026, laatste_jaar: 2030}
themas: [VD, BT]
corporaties:
  - {naam: Eik, l_nummer: L9999, huurdersorganisatie: {naam: Huurders Eik}}
lopende_afspraken:
  - {nummer: VD-01, partij: corporatie, afspraak: Zon op dak., type: handelingsafspraak,
     indicator: VD04, eenheid: woningen, streefwaarde: 40}
  - {nummer: BT-01, partij: corporatie, afspraak: Huren gematigd., type: garantieafspraak,
     indicator: BT01, streefwaarde: 2}
"""
    meant = {}
    for name, prefix in (("nu", ""), ("1.2", 'spec_versie: "1.2"\n')):
        path = tmp_path / f"{name}.yaml"
        path.write_text(prefix + text, encoding="utf-8")
        meant[name] = [
            (r.values["indicator"], r.values.get("eenheid")) for r in load_config(path, spec).lopend
        ]
    assert meant == {
        "nu": [("Woningen aardgasvrij gemaakt", "woningen"), ("Huursomstijging", None)],
        # BT01 meant the average rent rise: no standard indicator now, an own one of that name
        "1.2": [("Woningen met zonnepanelen", "woningen"), ("Gemiddelde huurverhoging", "%")],
    }


def test_a_retired_code_is_never_reused(tmp_path):
    import shutil

    import pytest

    from pa_sheets.errors import SpecError
    from pa_sheets.spec.model import default_spec_dir, load_spec

    folder = tmp_path / "spec"
    shutil.copytree(
        default_spec_dir(), folder, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    path = folder / "indicatoren.yaml"
    text = path.read_text(encoding="utf-8")
    retired = text.replace("vervallen: []", "vervallen:\n  - {code: SW03, sinds: '1.5', naam: Oud}")
    path.write_text(retired, encoding="utf-8")
    with pytest.raises(SpecError, match=r"SW03 is vervallen sinds spec 1\.5 .* nooit opnieuw"):
        load_spec(folder)
    renumbered = text.replace(
        '  - {code: AG02, tot: "1.2"',
        '  - {code: SW03, tot: "1.4", naam: x, eenheid: aantal}\n  - {code: AG02, tot: "1.2"',
    )
    path.write_text(renumbered, encoding="utf-8")
    with pytest.raises(SpecError, match=r"vanaf spec 1\.3 houdt een code haar betekenis"):
        load_spec(folder)


def test_a_workbook_of_spec_1_5_validates_unchanged_without_an_aandeel(spec):
    # Made just before spec 1.6 added Aandeel deze corporatie (a corporatie's share of a joint
    # target): it has no such column, nothing asks for it, and it merges with today's.
    from pa_sheets.check.read import read_workbook

    old = ROOT / "samples" / "oud" / "jaarschijf-2027-voorbeeldstad-linde-spec-1.5.xlsx"
    report = validate_file(old, spec)
    assert report.template["spec_versie"] == "1.5"
    assert [f for f in report.findings if f.severity == "error"] == []
    data = read_workbook(old, spec)
    assert all("aandeel" not in block.columns for block in data.blocks)
    assert any("streefwaarde_tot" in block.columns for block in data.blocks)
    merged = merge_paths([old, CURRENT[0]], spec=spec, workers=1, allow_invalid=True)
    assert [s.path for s in merged.sources if not s.valid] == []

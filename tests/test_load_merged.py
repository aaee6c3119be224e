"""One loader decides "an overview or returned workbooks?" for evaluate, rollover and publish."""

import pytest
from conftest import ROOT

from pa_sheets.errors import InvalidInputs
from pa_sheets.merge.overview import write_overview
from pa_sheets.merge.read_overview import load_merged

JAARSCHIJVEN = sorted((ROOT / "samples" / "ingevuld").glob("jaarschijf-*.xlsx"))
WITH_FAULTS = ROOT / "samples" / "fouten" / "dubbel-nummer.xlsx"


def test_an_overview_and_its_workbooks_load_as_the_same_afspraken(spec, tmp_path):
    returned = load_merged(JAARSCHIJVEN, spec)
    assert returned.overview is None
    assert sorted(returned.inputs) == JAARSCHIJVEN  # in the overview's order of corporaties
    path = write_overview(returned.merged, tmp_path / "gezamenlijk.xlsx")
    loaded = load_merged([path], spec)
    assert loaded.overview == path and loaded.inputs == [path]
    assert loaded.merged.corporaties == returned.merged.corporaties

    def afspraken(merged):
        return [(s.corporatie, r.thema, r.values.get("nummer")) for s, r in merged.records()]

    assert afspraken(loaded.merged) == afspraken(returned.merged)
    assert len(afspraken(loaded.merged)) > 50


def test_workbooks_with_errors_load_only_when_allowed(spec):
    with pytest.raises(InvalidInputs):
        load_merged([WITH_FAULTS], spec)
    loaded = load_merged([WITH_FAULTS], spec, allow_invalid=True)
    assert loaded.overview is None and loaded.inputs == [WITH_FAULTS]
    assert not loaded.merged.sources[0].valid

"""One rule for folding several workbooks' rows into one afspraak (merge/fold.py): a shared
afspraak shows its agreed trekker and each corporatie's own status side by side, nothing is
taken from the first workbook, and the order of the inputs changes no byte of what is made."""

import copy
import csv
import datetime as dt
import io
import json

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pa_sheets.cycle.opendata import afspraak_rows
from pa_sheets.cycle.publish import build_page, publish_merged
from pa_sheets.merge.combine import COLLECTIVE, combine
from pa_sheets.merge.fold import fold
from pa_sheets.merge.sources import read_source
from pa_sheets.merge.tables import afspraken_per_thema, wederkerigheid

FILLED = ROOT / "samples" / "ingevuld"
JAARSCHIJVEN = sorted(FILLED.glob("jaarschijf-*.xlsx"))
WHEN = dt.datetime(2026, 12, 14, 9, 0)


@pytest.fixture(scope="module")
def sources(spec):
    return [read_source(path, spec) for path in JAARSCHIJVEN]


def merged_in(sources, spec, order):
    return combine([copy.deepcopy(sources[i]) for i in order], spec)


def test_a_shared_afspraak_names_its_agreed_trekker_never_one_corporatie(sources, spec):
    merged = merged_in(sources, spec, range(len(sources)))
    corporaties = set(merged.corporaties)
    on_own_tab = [f for f in fold(merged) if f.shared and f.record.rol == "corporatie"]
    assert on_own_tab
    for folded in on_own_tab:
        assert folded.column == COLLECTIVE
        assert folded.agreed["trekker"] == "Alle corporaties"
        assert folded.partij == "Alle corporaties"
        assert {share.corporatie for share in folded.shares} == corporaties
    page = build_page(merged, concept=False, created=WHEN)
    for row in page.rows:
        if row.corporatie == "Alle corporaties":
            assert not corporaties & set(row.cells["trekker"].split(", ")), row.cells


def test_each_corporatie_reports_its_own_status_side_by_side(sources, spec):
    merged = merged_in(sources, spec, range(len(sources)))
    shared = next(f for f in fold(merged) if f.shared and f.record.rol == "corporatie")
    said = {"groen": 85.0, "oranje": 60.0, "rood": 10.0}
    for share, (status, realisatie) in zip(shared.shares, said.items(), strict=False):
        share.record.values.update(status=status, realisatie=realisatie, status_vorig=status)
    page = build_page(merged, concept=False, created=WHEN)
    row = next(r for r in page.rows if r.folded is not None and r.folded.record is shared.record)
    assert row.cells["status_vorig"] == ""  # not the first corporatie's 'groen'
    assert [(c, s) for c, s, _ in row.statuses] == [
        (share.corporatie, share.record.values["status_vorig"]) for share in shared.shares
    ]
    rows = [r for r in afspraak_rows(merged, page) if r["nummer"] == shared.agreed["nummer"]]
    rows = [r for r in rows if r["thema"] == shared.thema and r["gedeeld"]]
    assert [(r["corporatie"], r["status"], r["realisatie"]) for r in rows] == [
        (s.corporatie, s.record.values["status"], s.record.values["realisatie"])
        for s in shared.shares
    ]
    assert {r["trekker"] for r in rows} == {"Alle corporaties"}


def test_wederkerigheid_adds_up_to_the_samenvatting(sources, spec):
    merged = merged_in(sources, spec, range(len(sources)))
    table = wederkerigheid(merged)
    total = table.header.index("Totaal")
    assert table.totals[total] == afspraken_per_thema(merged).totals[-1]
    assert "Alle corporaties" in table.header
    for name in merged.corporaties:  # a shared afspraak is not counted once per corporatie
        column = table.header.index(name)
        own = [f for f in fold(merged) if f.column == name and f.record.rol == "corporatie"]
        assert table.totals[column] == len(own)


_published: dict[tuple[int, ...], dict[str, bytes]] = {}


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(order=st.permutations(range(3)))
def test_any_order_of_the_inputs_gives_the_same_bytes(sources, spec, tmp_path_factory, order):
    made = []
    for each in (range(3), order):
        if tuple(each) in _published:  # the inputs in their own order: published once
            made.append(_published[tuple(each)])
            continue
        out = tmp_path_factory.mktemp("web")
        merged = merged_in(sources, spec, each)
        published = publish_merged(merged, out, created=WHEN)
        made.append({p.name: p.read_bytes() for p in published.pages + published.data})
        if tuple(each) == (0, 1, 2):
            _published[(0, 1, 2)] = made[-1]
    assert made[0] == made[1]
    data = next(v for k, v in made[0].items() if k.endswith(".json"))
    assert json.loads(data)["afspraken"]
    text = next(v for k, v in made[0].items() if k.endswith(".csv")).decode("utf-8-sig")
    assert list(csv.DictReader(io.StringIO(text)))

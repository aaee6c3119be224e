"""The _meta sheet: what the generator writes is what the reader gets back."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pa_sheets.workbook import meta

CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
    st.text(alphabet=st.sampled_from("ab \t\n\xa0-|\x00"), max_size=8),
)


@given(st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6))
def test_fingerprints_by_column_equal_fingerprints_by_row(rows):
    columns = [list(column) for column in zip(*rows, strict=True)]
    assert meta.fingerprints(columns) == [meta.fingerprint(row) for row in rows]


def test_a_number_or_date_fingerprints_the_same_whichever_program_wrote_it():
    assert meta.fingerprint(["BT-01", 60, dt.date(2027, 1, 1)]) == meta.fingerprint(
        ["BT-01", 60.0, dt.datetime(2027, 1, 1)]
    )
    assert meta.fingerprint(["BT-01", "tekst"]) != meta.fingerprint(["BT-01", "Tekst"])


def test_parse_reads_back_what_the_generator_wrote(jaarschijf, spec):
    rows = [list(row) for row in jaarschijf["_meta"].iter_rows(values_only=True)]
    info = meta.parse(rows)
    assert info.facts["soort"] == "jaarschijf"
    assert [p["kort"] for p in info.parties] == ["Gemeente", "Linde", "HV Linde", "Zorggroep"]
    gc = next(b for b in info.blocks if b.sheet == "BS Linde" and b.key == "going_concern")
    assert (gc.header_row, gc.first_row, gc.last_row, gc.fixed_rows) == (6, 7, 7, 1)
    sheet = jaarschijf["BS Linde"]
    fixed = [
        k for k in gc.columns if k in spec.templates["jaarschijf"].block("going_concern").fixed
    ]
    values = [sheet.cell(7, gc.columns.index(key) + 1).value for key in fixed]
    assert info.fixed[("BS Linde", "BS-01")] == meta.fingerprint(values)
    assert info.block_prints["BS Linde"] == meta.block_fingerprint([[value] for value in values])


def test_to_rows_and_parse_are_each_others_inverse():
    info = meta.Meta(
        facts={"soort": "bod", "spec_versie": "1.2", "jaren": "2027-2031"},
        parties=[{"rol": "gemeente", "naam": "Gemeente X", "kort": "Gemeente", "code": "GM9001"}],
        blocks=[
            meta.MetaBlock(
                "BT Linde", "BT", "corporatie", "Linde", "going_concern", 6, 7, 9, 3, ("nummer",)
            )
        ],
        fixed={("BT Linde", "BT-01"): "ab12", ("BT Linde", "GM9001/BT-02"): "cd34"},
        block_prints={"BT Linde": "ef56"},
        themas={"BT": "Betaalbaarheid"},
        gemeenten={"GM9001": ("Voorbeeldstad", "x" * 70_000)},  # three cells of config text
        closed={"BT-09": "gerealiseerd"},
    )
    rows = meta.to_rows(info)
    assert meta.parse(rows) == info
    assert sum(row[:1] == ["gemeente"] for row in rows) == 1 + 3  # header and three parts


def test_many_fingerprints_are_packed_under_the_cell_limit():
    prints = meta.row_fingerprints(
        [{"nummer": f"ABCD-{i:03d}", "afspraak": f"tekst {i}"} for i in range(2500)],
        ["nummer", "afspraak"],
    )
    info = meta.Meta({"soort": "x"}, fixed={("Blad", key): value for key, value in prints.items()})
    cells = [row[2] for row in meta.to_rows(info) if row[:1] == ["vast"] and row[1] == "Blad"]
    assert len(cells) == 3 and all(len(cell) <= 32767 for cell in cells)
    assert meta.parse(meta.to_rows(info)) == info


@given(st.lists(CELL, min_size=1, max_size=12))
def test_a_column_canonicalises_as_its_values_do(column):
    assert meta._canonical_column(column) == [meta._canonical(value) for value in column]


FACTS = meta.Facts(
    kind="bod",
    spec_version="1.4",
    gemeente="Voorbeeldstad",
    gemeente_code="GM9001",
    corporatie="Woonstichting Linde",
    corporatie_kort="Linde",
    l_nummer="L0001",
    years=(2027, 2028, 2029, 2030, 2031),
    period=(2027, 2031),
    created="2026-11-01T09:00:00",
    spec_hash="ab12",
    tool_version="0.9",
    deadline="2027-07-01",
)


def test_facts_go_to_the_meta_sheet_and_back():
    info = meta.parse(meta.to_rows(meta.Meta(facts=FACTS.to_texts())))
    assert meta.Facts.from_texts(info.facts) == FACTS
    assert info.facts["jaren"] == "2027-2031"
    assert list(info.facts) == list(meta.FACT_KEYS)  # the order the generator writes


def test_the_facts_an_overview_keeps_read_back_without_what_it_leaves_out():
    carried = FACTS.to_texts(meta.CARRIED_FACTS)
    assert list(carried) == list(meta.CARRIED_FACTS)
    back = meta.Facts.from_texts(carried)
    assert back == dataclasses.replace(FACTS, spec_hash="", tool_version="", deadline="")


def test_every_year_of_a_bod_counts():
    assert meta.parse_years("2027-2031") == (2027, 2028, 2029, 2030, 2031)
    assert meta.parse_years("2027") == (2027,)
    one_year = dataclasses.replace(FACTS, years=(2027,))
    assert one_year.to_texts()["jaren"] == "2027"
    assert meta.Facts.from_texts(one_year.to_texts()).years == (2027,)


def test_facts_without_a_fact_or_with_no_years_are_refused():
    texts = FACTS.to_texts()
    with pytest.raises(KeyError, match="l_nummer"):
        meta.Facts.from_texts({k: v for k, v in texts.items() if k != "l_nummer"})
    with pytest.raises(ValueError):
        meta.Facts.from_texts(texts | {"periode": "2027"})


def test_a_report_shows_the_facts_with_years_as_numbers():
    assert FACTS.to_dict() == {
        "soort": "bod",
        "spec_versie": "1.4",
        "gemeente": "Voorbeeldstad",
        "gemeente_code": "GM9001",
        "corporatie": "Woonstichting Linde",
        "l_nummer": "L0001",
        "jaren": [2027, 2028, 2029, 2030, 2031],
        "periode": [2027, 2031],
        "aangemaakt": "2026-11-01T09:00:00",
    }

"""The _meta sheet: what the generator writes is what the reader gets back."""

import datetime as dt

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


def test_many_fingerprints_are_packed_under_the_cell_limit():
    rows = [{"nummer": f"ABCD-{i:03d}", "afspraak": f"tekst {i}"} for i in range(2500)]
    cells = meta.packed_fingerprints(rows, ["nummer", "afspraak"])
    assert len(cells) == 3 and all(len(cell) <= 32767 for cell in cells)
    info = meta.parse(
        [["soort", "x"], [], ["vast", "blad", "vingerafdrukken"]]
        + [["vast", "Blad", cell] for cell in cells]
    )
    assert len(info.fixed) == 2500


@given(st.lists(CELL, min_size=1, max_size=12))
def test_a_column_canonicalises_as_its_values_do(column):
    assert meta._canonical_column(column) == [meta._canonical(value) for value in column]

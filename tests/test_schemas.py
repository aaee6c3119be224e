"""validate leaves a column out of pandera when `schemas.passes` says its values pass every check
of its schema for sure (issue 22's speed). That shortcut may never hide a finding: whenever it
says "passes", pandera, given the same column as validate gives it, finds nothing."""

import math

import pandas as pd
import pandera.pandas as pa
import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pa_sheets.check.schemas import CROSS_CHECKED_LISTS, block_schema, passes
from pa_sheets.spec.model import load_spec
from pa_sheets.spec.types import TYPES

SPEC = load_spec()
# Each column once, in the first block that has it: its schema is the same in every block.
COLUMNS = list(
    {
        key: (kind, block.key, key)
        for kind, template in reversed(SPEC.templates.items())
        for block in reversed(template.blocks)
        for key in block.columns
        if not SPEC.columns[key].per_jaar
    }.values()
)


def _values(key: str) -> st.SearchStrategy[object]:
    """Values a returned workbook may hold in the column: its own list values and bounds, just
    outside them, other types, NaN and empty, long texts."""
    column = SPEC.columns[key]
    low, high = column.bounds()
    edges = [x for x in (low, high) if x is not None]
    numbers = st.one_of(
        st.floats(allow_nan=True, allow_infinity=False, width=32),
        st.sampled_from([e + d for e in edges for d in (-1, -0.5, 0, 0.5, 1)] or [0.0]),
    )
    # partijen and gemeenten are the workbook's own lists, checked elsewhere (X002, X008)
    own = column.values and column.values not in CROSS_CHECKED_LISTS
    listed = SPEC.list_values(column.values) if own else []
    texts = st.one_of(
        st.sampled_from(listed or ["x"]),
        st.text(max_size=5),
        st.text(min_size=column.max_length or 1, max_size=(column.max_length or 1) + 2),
    )
    return st.one_of(st.none(), numbers, texts)


@pytest.mark.parametrize(("template", "block", "key"), COLUMNS)
@settings(
    max_examples=examples(full=25, fast=10),  # per column: 36 columns in the fast suite
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_column_that_passes_for_sure_passes_pandera(template, block, key, data):
    values = data.draw(st.lists(_values(key), min_size=1, max_size=6))
    if not passes(SPEC, key, values):
        return
    numeric = TYPES[SPEC.columns[key].type].numeric
    frame = pd.DataFrame({key: pd.Series(values, dtype=float if numeric else object)})
    the_block = next(b for b in SPEC.templates[template].blocks if b.key == block)
    try:
        block_schema(SPEC, the_block, {key}).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:  # pragma: no cover - the failure this test looks for
        pytest.fail(f"{key}: passes() said yes, pandera found {exc.failure_cases.to_dict()}")


def test_passes_says_yes_to_good_values_and_no_to_bad_ones():
    """Not a shortcut that never fires, nor one that lets anything through."""
    status = next(key for key, c in SPEC.columns.items() if c.values == "statussen")
    good = SPEC.list_values("statussen")
    assert passes(SPEC, status, good)
    assert not passes(SPEC, status, [*good, "grün"])
    year = next(key for key, c in SPEC.columns.items() if c.type == "year")
    low, high = SPEC.columns[year].bounds()
    assert passes(SPEC, year, [float(low), float(high)])
    assert not passes(SPEC, year, [float(high) + 1])
    assert not passes(SPEC, year, [math.nan])
    assert not passes(SPEC, year, ["2027"])  # a text where a number belongs: pandera judges

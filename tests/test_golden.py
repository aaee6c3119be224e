"""The outputs stay the same cell for cell while the code around them is reorganised."""

import pytest
from golden_outputs import GOLDEN, build, parts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", ["jaarschijf", "bod", "overzicht", "evaluatie", "controle"])
def test_output_equals_its_reference_part_by_part(built, name):
    expected, actual = parts(GOLDEN / f"{name}.xlsx"), parts(built[name])
    assert sorted(actual) == sorted(expected)
    changed = [part for part in expected if actual[part] != expected[part]]
    assert changed == []

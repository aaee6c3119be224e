"""The outputs stay the same cell for cell while the code around them is reorganised.

A failure shows a diff of the changed parts; tests/golden_outputs.py says how to make a golden
again when an output changes on purpose (`pytest --update-golden=NAME`).
"""

import pytest
from golden_outputs import NAMES, differences, write_golden


@pytest.mark.parametrize("name", NAMES)
def test_output_equals_its_reference_part_by_part(golden_built, name, request):
    if name in request.config.getoption("update_golden"):
        write_golden(name, golden_built[name])
    message = differences(name, golden_built[name])
    if message:
        pytest.fail(message, pytrace=False)

"""The shape of the package: data flows one way, and the public API is importable from the top."""

import ast
from pathlib import Path

import pytest

import pa_sheets

PACKAGE = Path(pa_sheets.__file__).parent
# The steps in the order data flows through them: a step may use the ones before it, never after.
FLOW = ["spec", "workbook", "check", "merge", "cycle", "demo"]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("pa_sheets.")}


@pytest.mark.parametrize("step", FLOW)
def test_a_step_uses_only_the_steps_before_it(step):
    later = FLOW[FLOW.index(step) + 1 :]
    wrong = {
        f"{path.name} imports {name}"
        for path in (PACKAGE / step).glob("*.py")
        for name in _imports(path)
        if name.split(".")[1] in later
    }
    assert wrong == set()


def test_every_public_name_is_importable_from_the_top():
    missing = [name for name in pa_sheets.__all__ if getattr(pa_sheets, name, None) is None]
    assert missing == []
    with pytest.raises(AttributeError):
        pa_sheets.no_such_name  # noqa: B018


def test_what_the_command_line_loads(tmp_path):
    """--help loads no pandas; validate loads pandas and pandera but no writer (xlsxwriter,
    openpyxl): every library costs start-up time (issue 15: 0.3 s above the import floor)."""
    import subprocess
    import sys

    sample = PACKAGE.parent / "samples" / "ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    probe = (
        "import sys\nfrom pa_sheets.cli import main\nsys.argv = ['pa-sheets', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "names = ('pandas', 'pandera', 'xlsxwriter', 'openpyxl', 'jinja2')\n"
        "print('geladen:', *(m for m in names if m in sys.modules), file=sys.stderr)\n"
    )
    loaded = {}
    for args in (["--help"], ["validate", str(sample)]):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
        )
        loaded[args[0]] = set(done.stderr.strip().splitlines()[-1].split()[1:])
    assert loaded["--help"] == set()
    assert loaded["validate"] == {"pandas", "pandera"}

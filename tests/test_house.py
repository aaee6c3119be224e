"""The shape of the package: data flows one way, and the public API is importable from the top."""

import ast
from collections.abc import Iterator
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


# Where a step uses a later one all the same, and why; an entry no longer needed must leave.
AGAINST_THE_FLOW = {
    # The set-up workbook is a config, loaded where every config is (spec/config.py); like every
    # workbook pa-sheets reads, it passes the one safety gate before calamine opens it.
    ("spec", "opzet.py imports pa_sheets.check.safety"),
}


@pytest.mark.parametrize("step", FLOW)
def test_a_step_uses_only_the_steps_before_it(step):
    later = FLOW[FLOW.index(step) + 1 :]
    wrong = {
        f"{path.name} imports {name}"
        for path in (PACKAGE / step).glob("*.py")
        for name in _imports(path)
        if name.split(".")[1] in later
    }
    allowed = {entry for where, entry in AGAINST_THE_FLOW if where == step}
    assert wrong - allowed == set()
    assert allowed - wrong == set()  # no longer against the flow: take it off the list


def test_every_public_name_is_importable_from_the_top():
    missing = [name for name in pa_sheets.__all__ if getattr(pa_sheets, name, None) is None]
    assert missing == []
    with pytest.raises(AttributeError):
        pa_sheets.no_such_name  # noqa: B018


def test_what_the_command_line_loads(tmp_path):
    """--help loads no pandas; validate of a workbook in order loads neither pandas nor pandera
    (every column passes its checks for sure: schemas.passes) and no writer (xlsxwriter,
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
    assert loaded["validate"] == set()


# Issue 22: no class over 300 lines, no function over 70. What is still too big, by file and
# name, until its split is merged; an entry that is no longer too big must leave the list.
MAX_CLASS_LINES, MAX_FUNCTION_LINES = 300, 70
ALLOWED: set[str] = set()


def _too_big(tree: ast.AST, prefix: str = "") -> Iterator[str]:
    """The qualified names of the classes and functions in `tree` above their limit."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{node.name}"
            limit = MAX_CLASS_LINES if isinstance(node, ast.ClassDef) else MAX_FUNCTION_LINES
            if node.end_lineno - node.lineno + 1 > limit:  # type: ignore[operator]
                yield name
            yield from _too_big(node, f"{name}.")
        else:
            yield from _too_big(node, prefix)


def test_no_class_over_300_lines_and_no_function_over_70():
    found = {
        f"{path.relative_to(PACKAGE).as_posix()}:{name}"
        for path in PACKAGE.rglob("*.py")
        for name in _too_big(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert found - ALLOWED == set()
    assert ALLOWED - found == set()  # split since: take it off the list


def test_the_size_check_sees_a_long_method_inside_a_class():
    body = "\n".join(f"        x = {i}" for i in range(MAX_FUNCTION_LINES))
    tree = ast.parse(f"class A:\n    def long(self):\n{body}\n    def short(self):\n        pass\n")
    assert list(_too_big(tree)) == ["A.long"]

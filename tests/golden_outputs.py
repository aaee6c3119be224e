"""The outputs a refactoring must leave unchanged, kept as readable text.

Each golden is a folder tests/golden/NAME/ with one file per part of the workbook (the zip's
sheet XML, sharedStrings, styles, workbook.xml, ...), at the part's own path, written as
canonical XML (C14N 2.0: attributes in a fixed order) and pretty-printed one element a line.
The creation and modification stamps in docProps/core.xml are dropped: they differ per run.
tests/test_golden.py builds the same outputs anew and compares them part by part; a failure
names every changed part and shows a unified diff of the first few.

Make a golden again, from the current code, only when its output changes on purpose, and read
the diff (git diff tests/golden/NAME) before committing it:

    python -m tests.golden_outputs --update NAME [NAME ...]   # or --update all
    pytest tests/test_golden.py --update-golden=NAME           # the same, then compares

NAME is one of jaarschijf, bod, overzicht, evaluatie, controle. Run from the repository root.
"""

import argparse
import datetime as dt
import difflib
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.dom import minidom
from xml.etree.ElementTree import canonicalize

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
NAMES = ("jaarschijf", "bod", "overzicht", "evaluatie", "controle")
CREATED = dt.datetime(2026, 9, 1, 12, 0, 0)
FILLED = ROOT / "samples" / "ingevuld"
# Where the build puts its inputs: fixed names and times, so the overview's Bronnen are equal.
INPUT_MTIME = dt.datetime(2026, 10, 1, 9, 0, 0).timestamp()
# A failure shows at most this many diff lines per part, for at most this many parts.
DIFF_LINES = 60
DIFF_PARTS = 3


def build(out: Path) -> dict[str, Path]:
    """Every kind of output once, from the samples, written into `out`."""
    from pa_sheets.check.report import annotate
    from pa_sheets.check.validate import validate_paths
    from pa_sheets.cycle.evaluate import evaluate_paths
    from pa_sheets.cycle.evaluation_workbook import write_evaluation
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.merge.overview import write_overview
    from pa_sheets.workbook.generate import generate

    sample = ROOT / "samples" / "voorbeeldstad.yaml"
    outputs = {}
    for path in generate("jaarschijf", sample, (2027,), out, ["Linde"], created=CREATED):
        outputs["jaarschijf"] = path
    years = (2027, 2028, 2029, 2030, 2031)
    for path in generate("bod", sample, years, out, ["Linde"], created=CREATED):
        outputs["bod"] = path
    returned = out / "terug"
    returned.mkdir()
    for source in sorted(FILLED.glob("jaarschijf-*.xlsx")):
        shutil.copyfile(source, returned / source.name)
        os.utime(returned / source.name, (INPUT_MTIME, INPUT_MTIME))
    here = Path.cwd()
    os.chdir(out)  # relative paths, so the overview names its sources the same everywhere
    try:
        merged = merge_paths([Path("terug")], workers=1)
        outputs["overzicht"] = out / write_overview(
            merged, Path("gezamenlijk-jaarschijf-2027.xlsx"), created=CREATED
        )
        evaluation = evaluate_paths([Path("terug")])
        outputs["evaluatie"] = out / write_evaluation(
            evaluation, Path("evaluatie-2027.xlsx"), merged.spec, created=CREATED
        )
    finally:
        os.chdir(here)
    report = validate_paths([ROOT / "samples" / "fouten" / "ongeldig-type.xlsx"])
    outputs["controle"] = annotate(report.files[0], out)
    return outputs


# Parts (or parts of parts) that differ between two runs of the same code.
_VOLATILE = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:(created|modified)>")
_XML_PARTS = (".xml", ".rels", ".vml")


def _escape(text: str, quote: bool = False) -> str:
    """Escaped as C14N escapes text (and, with `quote`, attribute values)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#xD;")
    if quote:
        return text.replace('"', "&quot;").replace("\t", "&#x9;").replace("\n", "&#xA;")
    return text.replace(">", "&gt;")


def _inline(node) -> str:
    """A node exactly as it is, on one line: for text and mixed content."""
    if node.nodeType == node.TEXT_NODE:
        return _escape(node.data)
    attributes = "".join(f' {k}="{_escape(v, quote=True)}"' for k, v in node.attributes.items())
    if not node.childNodes:
        return f"<{node.tagName}{attributes}/>"
    inner = "".join(_inline(child) for child in node.childNodes)
    return f"<{node.tagName}{attributes}>{inner}</{node.tagName}>"


def _pretty(node, depth: int, lines: list[str]) -> None:
    """One element a line, indented; text is never touched, whitespace between elements is."""
    pad = "  " * depth
    texts = [c.data for c in node.childNodes if c.nodeType == c.TEXT_NODE]
    elements = [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE]
    preserve = node.getAttribute("xml:space") == "preserve"
    if not elements or preserve or any(text.strip() for text in texts):
        lines.append(pad + _inline(node))
        return
    attributes = "".join(f' {k}="{_escape(v, quote=True)}"' for k, v in node.attributes.items())
    lines.append(f"{pad}<{node.tagName}{attributes}>")
    for child in elements:
        _pretty(child, depth + 1, lines)
    lines.append(f"{pad}</{node.tagName}>")


def part_text(data: bytes) -> str:
    """One XML part as canonical, pretty-printed text, volatile stamps removed."""
    canonical = canonicalize(_VOLATILE.sub(b"", data).decode("utf-8"))
    lines: list[str] = []
    _pretty(minidom.parseString(canonical.encode("utf-8")).documentElement, 0, lines)
    return "\n".join(lines) + "\n"


def parts(path: Path) -> dict[str, bytes]:
    """Every zip part of a workbook: XML parts as canonical text, any other part as it is."""
    result = {}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            data = archive.read(name)
            result[name] = part_text(data).encode("utf-8") if name.endswith(_XML_PARTS) else data
    return result


def golden_parts(name: str) -> dict[str, bytes]:
    """The stored golden NAME, part name -> content."""
    folder = GOLDEN / name
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write_golden(name: str, workbook: Path) -> None:
    """Store `workbook` as golden NAME, replacing what was there."""
    folder = GOLDEN / name
    shutil.rmtree(folder, ignore_errors=True)
    for part, content in parts(workbook).items():
        target = folder / part
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def differences(name: str, workbook: Path) -> str:
    """What differs between `workbook` and golden NAME, as a readable message; '' if nothing."""
    expected, actual = golden_parts(name), parts(workbook)
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = [part for part in expected if part in actual and actual[part] != expected[part]]
    if not (missing or extra or changed):
        return ""
    message = [f"{name} verschilt van tests/golden/{name}/"]
    if missing:
        message.append(f"ontbrekende delen: {', '.join(missing)}")
    if extra:
        message.append(f"nieuwe delen: {', '.join(extra)}")
    if changed:
        message.append(f"veranderde delen: {', '.join(changed)}")
    for part in changed[:DIFF_PARTS]:
        before = expected[part].decode("utf-8", "replace").splitlines()
        after = actual[part].decode("utf-8", "replace").splitlines()
        diff = list(
            difflib.unified_diff(before, after, f"golden/{name}/{part}", "nu", lineterm="", n=2)
        )
        message += diff[:DIFF_LINES]
        if len(diff) > DIFF_LINES:
            message.append(f"... en nog {len(diff) - DIFF_LINES} regels diff")
    message.append(
        "Bedoeld? Maak hem opnieuw: python -m tests.golden_outputs --update "
        f"{name} (en lees git diff tests/golden/{name})"
    )
    return "\n".join(message)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update",
        nargs="+",
        required=True,
        choices=[*NAMES, "all"],
        metavar="NAME",
        help=f"de golden(s) om opnieuw te maken: {', '.join(NAMES)} of all",
    )
    wanted = parser.parse_args(argv).update
    names = NAMES if "all" in wanted else wanted
    with tempfile.TemporaryDirectory() as scratch:
        built = build(Path(scratch))
        for name in names:
            write_golden(name, built[name])
            print(f"{name}: {GOLDEN / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

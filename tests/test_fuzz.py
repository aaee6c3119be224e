"""Fuzzing: a valid filled workbook, mutated at random (bytes inside zip members, XML elements,
cell values, the zip itself), with a fixed seed. Whatever comes back by e-mail, validate never
raises, its reports can be printed, and merge either refuses with its own error or writes."""

import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from pa_sheets.check.findings import Report
from pa_sheets.check.report import annotate, json_report, text_report
from pa_sheets.check.validate import validate_file
from pa_sheets.errors import PaSheetsError, UnusableWorkbook
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves these out

SEED = 20261122
CASES = 300
SOURCE = ROOT / "samples" / "ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
ODD_VALUES = [
    "",
    " ",
    "=1+1",
    "@SUM(A1)",
    "-1",
    "1e308",
    "NaN",
    "inf",
    "31-02-2027",
    "Q5 2027",
    "\u202egroen",
    "x" * 40_000,
    "\x00",
    "&amp;",
    "<b>",
    "2027-13-45",
    "-0",
    "1.234,5.6",
]


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _flip_bytes(rng: random.Random, members: dict[str, bytes]) -> None:
    name = rng.choice(sorted(members))
    content = bytearray(members[name])
    for _ in range(rng.randint(1, 8)):
        if content:
            content[rng.randrange(len(content))] = rng.randrange(256)
    members[name] = bytes(content)


def _sheet(rng: random.Random, members: dict[str, bytes]) -> str:
    """A worksheet part, or now and then the shared strings (when there are any)."""
    if "xl/sharedStrings.xml" in members and rng.random() < 0.3:
        return "xl/sharedStrings.xml"
    return rng.choice(sorted(n for n in members if n.startswith("xl/worksheets/sheet")))


def _xml_element(rng: random.Random, members: dict[str, bytes]) -> None:
    """Drop, repeat or move a cell, row or shared string element."""
    name = _sheet(rng, members)
    text = members[name].decode("utf-8", "replace")
    tag = "si" if name.endswith("sharedStrings.xml") else rng.choice(["c", "row"])
    found = list(re.finditer(rf"<{tag}[ >].*?</{tag}>", text, re.S))
    if not found:
        return
    match = rng.choice(found)
    action = rng.choice(["drop", "repeat", "move"])
    if action == "drop":
        text = text[: match.start()] + text[match.end() :]
    elif action == "repeat":
        text = text[: match.end()] + match.group(0) + text[match.end() :]
    else:
        where = f'r="{rng.choice(["A1", "ZZ9", "B0", "XFE1", "A1048577"])}"'
        element = re.sub(r'r="[A-Z]*\d+"', where, match.group(0), count=1)
        text = text[: match.start()] + element + text[match.end() :]
    members[name] = text.encode()


def _cell_value(rng: random.Random, members: dict[str, bytes]) -> None:
    """Replace a text (inline or shared) or a number by an odd value."""
    name = _sheet(rng, members)
    text = members[name].decode()
    found = list(re.finditer(r"<(t|v)(?: [^>]*)?>[^<]*</\1>", text))
    if not found:
        return
    match = rng.choice(found)
    value = rng.choice(ODD_VALUES).replace("&", "&amp;").replace("<", "&lt;")
    value = value.replace("\x00", "&#0;") if rng.random() < 0.5 else value.replace("\x00", "")
    tag = match.group(1)
    text = text[: match.start()] + f"<{tag}>{value}</{tag}>" + text[match.end() :]
    members[name] = text.encode()


def mutate(rng: random.Random, original: bytes) -> bytes:
    kind = rng.choice(["bytes", "xml", "value", "value", "zip"])
    if kind == "zip":
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    members = _members(original)
    {"bytes": _flip_bytes, "xml": _xml_element, "value": _cell_value}[kind](rng, members)
    return _zip(members)


@pytest.fixture(scope="module")
def mutants(tmp_path_factory) -> list[Path]:
    rng = random.Random(SEED)
    original = SOURCE.read_bytes()
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for number in range(CASES):
        path = folder / f"mutant-{number:03d}.xlsx"
        path.write_bytes(mutate(rng, original))
        paths.append(path)
    return paths


def test_validate_never_raises_on_mutated_workbooks(mutants, spec, tmp_path):
    outcomes = {0: 0, 1: 0, 2: 0}
    for number, path in enumerate(mutants):
        report = validate_file(path, spec)
        whole = Report([report])
        outcomes[whole.exit_code] += 1
        assert text_report(whole) and json_report(whole)
        if number % 10 == 0 and not report.unusable:
            try:  # the copy for the corporatie: written, or refused with its own message
                annotate(report, tmp_path)
            except UnusableWorkbook as exc:
                assert "geen kopie met opmerkingen mogelijk" in str(exc)
    assert sum(outcomes.values()) == CASES
    assert outcomes[1] and outcomes[2], outcomes  # the mutations reach both outcomes


def test_merge_never_raises_on_mutated_workbooks(mutants, tmp_path):
    from test_merge import cells, record_sheets

    outcomes = {"refused": 0, "written": 0}
    for number, path in enumerate(mutants[:60]):
        try:
            merged = merge_paths([path], workers=1, allow_invalid=True)
        except PaSheetsError as exc:  # refused with its own message, as the CLI shows it
            assert str(exc), type(exc)  # a message the CLI can show
            outcomes["refused"] += 1
            continue
        out = write_overview(merged, tmp_path / f"o{number}.xlsx")
        rows = [r for rs in record_sheets(cells(out)).values() for r in rs]
        assert len(rows) == sum(len(source.records) for source in merged.sources), path.name
        assert {r["Bronbestand"] for r in rows} <= {path.name}
        outcomes["written"] += 1
    assert outcomes["refused"] and outcomes["written"], outcomes  # the mutants reach both

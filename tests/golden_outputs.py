"""The outputs a refactoring must leave unchanged, and their comparison as normalised XML.

`python tests/golden_outputs.py` writes the reference files into tests/golden/ (run it only when
an output changes on purpose); tests/test_golden.py builds the same outputs anew and compares
them part by part, the way XlsxWriter's own tests compare workbooks: never by bytes, with the
creation stamp stripped.
"""

import datetime as dt
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path
from xml.etree.ElementTree import canonicalize

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CREATED = dt.datetime(2026, 9, 1, 12, 0, 0)
FILLED = ROOT / "samples" / "ingevuld"
# Where the build puts its inputs: fixed names and times, so the overview's Bronnen are equal.
INPUT_MTIME = dt.datetime(2026, 10, 1, 9, 0, 0).timestamp()


def build(out: Path) -> dict[str, Path]:
    """Every kind of output once, from the samples, written into `out`."""
    from pa_sheets.check.report import annotate
    from pa_sheets.check.validate import validate_paths
    from pa_sheets.cycle.evaluate import evaluate_paths, write_evaluation
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


def parts(path: Path) -> dict[str, str]:
    """Every zip part of a workbook as canonical XML text, volatile stamps removed."""
    result = {}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            data = _VOLATILE.sub(b"", archive.read(name))
            if name.endswith((".xml", ".rels", ".vml")):
                result[name] = canonicalize(data.decode("utf-8"), strip_text=True)
            else:
                result[name] = data.hex()
    return result


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    scratch = GOLDEN / "_bouw"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    for name, path in build(scratch).items():
        shutil.copyfile(path, GOLDEN / f"{name}.xlsx")
        print(f"{name}: {GOLDEN / f'{name}.xlsx'}")
    shutil.rmtree(scratch)
    sys.exit(0)

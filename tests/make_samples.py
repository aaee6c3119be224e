"""Regenerate samples/ingevuld (valid filled workbooks) and samples/fouten (one real mistake
each, named after it) from the spec and the sample config.

Run: python tests/make_samples.py   (tests/test_samples.py checks the result)

samples/oud/ is left alone: it keeps, on purpose, workbooks made with older specs (1.1, 1.3),
taken from git history and named after their spec version (tests/test_old_spec.py,
tests/test_signing.py).
"""

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

from pa_sheets.demo.faults import FAULTS, apply_fault
from pa_sheets.demo.fill import fill_workbook
from pa_sheets.demo.run import sample_config
from pa_sheets.workbook.generate import generate

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CREATED = dt.datetime(2026, 9, 1, 9, 0, 0)  # fixed, so regenerating changes only what changed


def main() -> None:
    filled_dir, faults_dir = SAMPLES / "ingevuld", SAMPLES / "fouten"
    for folder in (filled_dir, faults_dir):
        shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory() as blank:
        paths = generate("jaarschijf", sample_config(), (2027,), Path(blank), created=CREATED)
        paths += generate(
            "bod",
            sample_config(),
            tuple(range(2027, 2032)),
            Path(blank),
            ["Linde"],
            created=CREATED,
        )
        filled = [fill_workbook(p, filled_dir / p.name, seed=i) for i, p in enumerate(paths)]
    linde = next(p for p in filled if p.name == "jaarschijf-2027-voorbeeldstad-linde.xlsx")
    for fault in FAULTS:
        apply_fault(fault, linde, faults_dir / f"{fault.name}.xlsx")
    print(
        f"{len(filled)} ingevulde en {len(FAULTS)} foute werkboeken in {SAMPLES}", file=sys.stderr
    )


if __name__ == "__main__":
    main()

"""Shared fixtures: the spec, the sample config and workbooks generated and filled from it once.

Session-scoped, so each pytest-xdist worker builds them once, whichever modules it runs. Tests
only read the files of these fixtures: a test that changes a workbook copies it first.
"""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from golden_outputs import NAMES, build

from pa_sheets.cycle.basisbod import generate_basisbod
from pa_sheets.demo.fill import fill_workbook
from pa_sheets.spec.config import load_config
from pa_sheets.spec.model import load_spec
from pa_sheets.workbook.generate import generate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "voorbeeldstad.yaml"
ANDERDORP = ROOT / "samples" / "anderdorp.yaml"
CREATED = dt.datetime(2026, 9, 1, 12, 0, 0)
# When the samples are published: after every signature (1-12 december), as publish requires.
PUBLISHED = dt.datetime(2026, 12, 14, 10, 0, 0)
BOD_YEARS = (2027, 2028, 2029, 2030, 2031)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="append",
        default=[],
        choices=NAMES,
        metavar="NAME",
        help="maak golden NAME (tests/golden/NAME) opnieuw uit de huidige code; herhaalbaar",
    )


@pytest.fixture(scope="session")
def golden_built(tmp_path_factory) -> dict[str, Path]:
    """Every kind of output once, as tests/golden holds it (test_golden, test_look)."""
    return build(tmp_path_factory.mktemp("golden"))


@pytest.fixture(scope="session")
def spec():
    return load_spec()


@pytest.fixture(scope="session")
def config(spec):
    return load_config(SAMPLE, spec)


@pytest.fixture(scope="session")
def generated(tmp_path_factory, spec) -> dict[str, Path]:
    """The three jaarschijven 2027 and Linde's bod 2027-2031, keyed by file name."""
    out = tmp_path_factory.mktemp("gegenereerd")
    paths = generate("jaarschijf", SAMPLE, (2027,), out, spec=spec, created=CREATED)
    paths += generate("bod", SAMPLE, BOD_YEARS, out, ["Linde"], spec=spec, created=CREATED)
    return {path.name: path for path in paths}


@pytest.fixture(scope="session")
def filled(generated, tmp_path_factory, spec) -> dict[str, Path]:
    """The generated workbooks filled in by the demo, each with its place in name order as
    seed (the bod 0, the jaarschijven of Baken 1, Linde 2, Stadswonen 3)."""
    out = tmp_path_factory.mktemp("ingevuld")
    return {
        name: fill_workbook(path, out / name, seed=i, spec=spec)
        for i, (name, path) in enumerate(sorted(generated.items()))
    }


@pytest.fixture(scope="session")
def basisbod(tmp_path_factory, spec) -> Path:
    """Linde's basisbod 2027-2031 for Voorbeeldstad and Anderdorp."""
    out = tmp_path_factory.mktemp("basisbod")
    return generate_basisbod(
        [SAMPLE, ANDERDORP], "Linde", BOD_YEARS, out, spec=spec, created=CREATED
    )


@pytest.fixture(scope="session")
def filled_basisbod(basisbod, tmp_path_factory, spec) -> Path:
    target = tmp_path_factory.mktemp("basisbod-ingevuld") / basisbod.name
    return fill_workbook(basisbod, target, seed=7, spec=spec)


@pytest.fixture(scope="session")
def jaarschijf(generated):
    return openpyxl.load_workbook(generated["jaarschijf-2027-voorbeeldstad-linde.xlsx"])


@pytest.fixture(scope="session")
def bod(generated):
    return openpyxl.load_workbook(generated["bod-2027-2031-voorbeeldstad-linde.xlsx"])


def soffice() -> str | None:
    """The LibreOffice binary; required when CI is set, otherwise tests using it skip."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI is gezet maar LibreOffice (soffice) ontbreekt")
        pytest.skip("LibreOffice (soffice) is niet geïnstalleerd")
    return found


def resave(paths: list[Path], out: Path, profile: Path) -> None:
    """Open and save each workbook in LibreOffice, as a user would, into `out`. `profile` is
    LibreOffice's user profile: give each call its own (tmp_path) so that calls in parallel
    (pytest-xdist) never share one; LibreOffice refuses a profile that is in use."""
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )

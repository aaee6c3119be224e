"""Shared fixtures: the spec, the sample config and workbooks generated and filled from it once.

Session-scoped, and the files are made once per run: with pytest-xdist by the first worker that
asks, in a folder all workers share (see _once). Tests only read the files of these fixtures: a
test that changes a workbook copies it first.
"""

import datetime as dt
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: each worker then makes its own
    fcntl = None  # type: ignore[assignment]

import openpyxl
import pytest
from golden_outputs import NAMES, build

from pa_sheets.cycle.basisbod import generate_basisbod
from pa_sheets.cycle.monitor import generate_monitor
from pa_sheets.cycle.rollover import rollover
from pa_sheets.demo.fill import fill_workbook
from pa_sheets.demo.monitor import fill_monitor
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


# Whether this run is the fast suite (`pytest -m "not slow"`), set in pytest_configure.
_FAST_RUN = False


def pytest_configure(config):
    global _FAST_RUN
    _FAST_RUN = "not slow" in (config.getoption("markexpr") or "")


def examples(full: int, fast: int) -> int:
    """How many examples a costly hypothesis test draws: `fast` in the fast suite, `full` in the
    whole suite (which runs the same test with the same strategy)."""
    return fast if _FAST_RUN else full


@pytest.fixture(autouse=True, scope="session")
def _one_process_per_xdist_worker():
    """In the fast suite under pytest-xdist every core already runs a worker: validate and merge
    there read their files in the worker's own process instead of forking a pool per call
    (which only adds fork and pickle time). The pool itself is tested with workers=2
    (test_merge, test_long, test_safety); the whole suite runs every command with its default."""
    if not (_FAST_RUN and os.environ.get("PYTEST_XDIST_WORKER")):
        yield
        return
    patch = pytest.MonkeyPatch()
    patch.setattr("pa_sheets.parallel.available_cores", lambda: 1)
    yield
    patch.undo()


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="append",
        default=[],
        choices=NAMES,
        metavar="NAME",
        help="maak golden NAME (tests/golden/NAME) opnieuw uit de huidige code; herhaalbaar",
    )


def _once(tmp_path_factory, name: str, make: Callable[[Path], dict[str, Path]]) -> dict[str, Path]:
    """`make(folder)` once per run. Under pytest-xdist the workers of a run share the parent of
    their basetemp: the first worker to ask makes the files there while holding a lock, and
    the others wait for it and then read what it made (the paths, kept as JSON beside them).
    Without xdist (or without fcntl) a folder of this session's own."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or fcntl is None:
        return make(tmp_path_factory.mktemp(name))
    root = tmp_path_factory.getbasetemp().parent
    folder, made = root / name, root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed left
            folder.mkdir()
            paths = make(folder)
            relative = {key: str(path.relative_to(folder)) for key, path in paths.items()}
            made.write_text(json.dumps(relative))
    return {key: folder / path for key, path in json.loads(made.read_text()).items()}


@pytest.fixture(scope="session")
def golden_built(tmp_path_factory) -> dict[str, Path]:
    """Every kind of output once, as tests/golden holds it (test_golden, test_look)."""
    return _once(tmp_path_factory, "golden", build)


@pytest.fixture(scope="session")
def spec():
    return load_spec()


@pytest.fixture(scope="session")
def config(spec):
    return load_config(SAMPLE, spec)


@pytest.fixture(scope="session")
def generated(tmp_path_factory, spec) -> dict[str, Path]:
    """The three jaarschijven 2027 and Linde's bod 2027-2031, keyed by file name."""

    def make(out: Path) -> dict[str, Path]:
        paths = generate("jaarschijf", SAMPLE, (2027,), out, spec=spec, created=CREATED)
        paths += generate("bod", SAMPLE, BOD_YEARS, out, ["Linde"], spec=spec, created=CREATED)
        return {path.name: path for path in paths}

    return _once(tmp_path_factory, "gegenereerd", make)


@pytest.fixture(scope="session")
def filled(generated, tmp_path_factory, spec) -> dict[str, Path]:
    """The generated workbooks filled in by the demo, each with its place in name order as
    seed (the bod 0, the jaarschijven of Baken 1, Linde 2, Stadswonen 3)."""

    def make(out: Path) -> dict[str, Path]:
        return {
            name: fill_workbook(path, out / name, seed=i, spec=spec)
            for i, (name, path) in enumerate(sorted(generated.items()))
        }

    return _once(tmp_path_factory, "ingevuld", make)


@pytest.fixture(scope="session")
def basisbod(tmp_path_factory, spec) -> Path:
    """Linde's basisbod 2027-2031 for Voorbeeldstad and Anderdorp."""

    def make(out: Path) -> dict[str, Path]:
        path = generate_basisbod(
            [SAMPLE, ANDERDORP], "Linde", BOD_YEARS, out, spec=spec, created=CREATED
        )
        return {"basisbod": path}

    return _once(tmp_path_factory, "basisbod", make)["basisbod"]


@pytest.fixture(scope="session")
def filled_basisbod(basisbod, tmp_path_factory, spec) -> Path:

    def make(out: Path) -> dict[str, Path]:
        return {"ingevuld": fill_workbook(basisbod, out / basisbod.name, seed=7, spec=spec)}

    return _once(tmp_path_factory, "basisbod-ingevuld", make)["ingevuld"]


@pytest.fixture(scope="session")
def monitor_round(filled, tmp_path_factory, spec) -> dict[str, Path]:
    """The filled jaarschijven 2027 as signed, in a folder of their own ("getekend"), their
    monitors ("leeg") and the monitors filled in ("ingevuld"), each with its place in name
    order as seed, from 1: Baken's stoplicht (seed 1) disagrees with its numbers. test_monitor
    and test_round only read them."""

    def make(out: Path) -> dict[str, Path]:
        signed = out / "getekend-2027"
        signed.mkdir()
        for name, path in filled.items():
            if name.startswith("jaarschijf-"):
                shutil.copyfile(path, signed / name)
        blank = generate_monitor([signed], out / "monitoring-2027", spec=spec, created=CREATED)
        back = out / "monitoring-2027-terug"
        for seed, path in enumerate(sorted(blank), start=1):
            fill_monitor(path, back / path.name, seed=seed, spec=spec)
        return {"getekend": signed, "leeg": out / "monitoring-2027", "ingevuld": back}

    return _once(tmp_path_factory, "monitorronde", make)


@pytest.fixture(scope="session")
def rolled_over(tmp_path_factory, spec) -> tuple[list[Path], list[str]]:
    """samples/ingevuld's three jaarschijven 2027 rolled over to 2028 (test_rollover and
    test_rollover_fates read them): the workbooks written, in order, and what rollover reported
    (its folder holds the report file too)."""

    def make(out: Path) -> dict[str, Path]:
        said: list[str] = []
        jaarschijven = sorted((ROOT / "samples" / "ingevuld").glob("jaarschijf-*.xlsx"))
        written = rollover(jaarschijven, 2028, out, spec=spec, created=CREATED, report=said.append)
        (out / "gezegd.json").write_text(json.dumps(said), encoding="utf-8")
        return {"gezegd": out / "gezegd.json", **{str(i): p for i, p in enumerate(written)}}

    made = _once(tmp_path_factory, "rollover-2028", make)
    said = json.loads(made.pop("gezegd").read_text(encoding="utf-8"))
    return [made[key] for key in sorted(made, key=int)], said


@pytest.fixture(scope="session")
def real_built(tmp_path_factory) -> Callable[[str], tuple[Path, list[Path]]]:
    """bron -> its config and filled jaarschijven (test_real.built), made once per run for each
    bron of tests/real: test_real and test_targets read the same files."""
    from test_real import built

    made: dict[str, tuple[Path, list[Path]]] = {}

    def get(bron: str) -> tuple[Path, list[Path]]:
        if bron not in made:

            def make(out: Path) -> dict[str, Path]:
                config, paths = built(bron, out)
                return {"config": config, **{str(i): path for i, path in enumerate(paths)}}

            files = _once(tmp_path_factory, f"echt-{bron}", make)
            config = files.pop("config")
            made[bron] = config, [files[key] for key in sorted(files, key=int)]
        return made[bron]

    return get


@pytest.fixture(scope="session")
def real_merged(real_built, spec):
    """bron -> its jaarschijven merged, once per worker: test_real and test_targets only read
    the result."""
    from pa_sheets.merge.combine import merge_paths

    done: dict[str, object] = {}

    def get(bron: str):
        if bron not in done:
            done[bron] = merge_paths(real_built(bron)[1], spec=spec, workers=1)
        return done[bron]

    return get


@pytest.fixture(scope="session")
def hogeland(tmp_path_factory, spec) -> list[Path]:
    """Het Hogeland's two jaarschijven 2024 filled in (two corporaties, a joint scope; see
    test_shared.make_hogeland), made once per run: test_shared and test_shared_text read them."""
    from test_shared import make_hogeland

    def make(out: Path) -> dict[str, Path]:
        return {str(i): path for i, path in enumerate(make_hogeland(out, spec))}

    made = _once(tmp_path_factory, "hogeland", make)
    return [made[key] for key in sorted(made, key=int)]


@pytest.fixture(scope="session")
def jaarschijf(generated):
    return openpyxl.load_workbook(generated["jaarschijf-2027-voorbeeldstad-linde.xlsx"])


@pytest.fixture(scope="session")
def bod(generated):
    return openpyxl.load_workbook(generated["bod-2027-2031-voorbeeldstad-linde.xlsx"])


def one_thema(config: dict, thema: str = "BS") -> dict:
    """A config's data (as read from its YAML) cut to one thema, its lopende afspraken and no
    partners: for a test that none of the other tabs matter to, generate is about four times
    as fast. Not for a workbook the demo fills in: its signing rows name BT."""
    config["themas"] = [thema]
    config["partners"] = []
    config["lopende_afspraken"] = [
        a for a in config["lopende_afspraken"] if a["nummer"].startswith(f"{thema}-")
    ]
    return config


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

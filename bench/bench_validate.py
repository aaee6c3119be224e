"""Benchmark: validating returned jaarschijf workbooks with pa-sheets, as ratios against raw reads.

What is measured, per workbook, is the median wall time of N runs (the sides interleaved, after
one untimed warm-up run of each) and the median CPU time. Each goal is printed as met or not in
both; the last line judges them in CPU time, the steadier on a shared machine, where the wall
clock counts the time a process waits for a core:

* validate: `pa_sheets.check.validate.validate_file(path, spec)` in-process, i.e. everything
  `pa-sheets validate` does for one file apart from starting Python and printing the report:
  the safety check of the zip, reading every sheet with python-calamine, finding the blocks,
  normalising the values, the pandera schemas, the cross checks and sorting the findings. The
  spec is loaded once beforehand, and pandas and pandera are imported by an untimed warm-up.
* calamine: the raw read of the same file with python-calamine: open the workbook and call
  `to_python()` on every sheet. The goal (issue 22) is validate / calamine <= 2.5 on every case.
* calamine_read: the same, but for the sheets validate reads: without the very hidden sheets
  of the going-concern rows' fixed texts (_vaste_tekst, ...), which hold as many cells again as
  those rows' fixed columns and which validate opens only to word an X005. Shown as v/read,
  for comparison; the goals are judged against the whole read (v/cal).
* safety: the safety check of check/safety.py alone (every part inflated and searched, each
  sheet's area bounded, its formula and percentage cells found), the part of validate that
  looks at every byte before calamine parses it. The goal is safety / calamine <= 1.0.
* pandas: `pandas.read_excel(path, sheet_name=None, engine="openpyxl")`, for comparison with
  what a hand-written script would do; fewer runs (one for large; after a run of more than
  --pandas-limit seconds no further runs).

Besides, the wall clock of the command line on the small workbook: `pa-sheets validate small`
as a subprocess, including Python's start-up and the imports, median of 5 after one warm-up,
interleaved with the floor `python -c "import pandera.pandas"` (validating needs pandas and
pandera; nothing can start faster): the goal is at most 0.3 s above that floor. The same
command is timed once more as `pip install pa-sheets` installs it, without the test extra's
hypothesis: pandera imports hypothesis at its first validation when it finds it (about 55 ms
that no user without hypothesis pays).
`pa-sheets --version` is timed the same way, for the start-up without pandas.

The workbooks are made untimed in a temporary folder, with pa_sheets' own generator, as a
corporatie would get them, and filled in as it returns them: every going-concern row carries
status, realisatie and toelichting (put into the rows' values, which the generator writes as
they are). Rows are realistic: afspraak text, type, trekker (the party's display name),
standard indicators with their eenheid, numbers, a planning inside the period (Q3 2027, 2028,
31-12-2029) and a bijdrage on some rows. The empty "nieuw" blocks stay empty. All nummers are
valid (the pattern ^[A-Z]{2,4}-[0-9]{2,3}$ allows at most 999 three-digit nummers per thema),
so the workbooks validate with few or no findings; the findings are counted by code and shown.

* small: samples/voorbeeldstad.yaml, the workbook of De Linde (22 sheets), its 8 lopende
  afspraken plus 32 going-concern rows per sheet: about 700 rows.
* medium: a config with 14 themes of four letters, the 7 default themes per wijk (BSCE is
  Beschikbaarheid in Centrum, so each keeps its standard indicators), the lokale driehoek plus a
  zorg partner for the WZ themes: 44 sheets of 228 rows, about 10,000 rows.
* large: the same with 20 wijken, 140 themes: 440 sheets of 228 rows, about 100,000 rows.
* large-new: the same rows typed as nieuwe afspraken (no progress, no last year): every cell
  is checked, where the going-concern rows of large pass by their block fingerprint.
* openpyxl: the workbook of large loaded and saved by openpyxl, as a party's script or an
  openpyxl-based tool returns it: every text an inline string in its cell (t="inlineStr"),
  where Excel and xlsxwriter keep them apart in xl/sharedStrings.xml, so the afspraken's words
  ("realiseert", "rapporteert") stand in the sheets' XML. With --quick: the reduced medium.

Usage: python bench/bench_validate.py [--quick] [--case NAME] [--runs N] [--profile]
--quick: small, a reduced medium (46 rows per sheet) and its openpyxl copy only, 1 run, no
warm-up, no profile.
Results: a table on stdout and bench/results/validate.json (--profile: validate_large.prof).
"""

import argparse
import cProfile
import dataclasses
import datetime as dt
import gc
import importlib.metadata
import json
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from pa_sheets import __version__
from pa_sheets.check.findings import FileReport
from pa_sheets.check.safety import scan_file
from pa_sheets.check.validate import validate_file
from pa_sheets.spec.config import ALLE, Config, Corporatie, LopendeAfspraak, load_config
from pa_sheets.spec.kalender import default_deadline
from pa_sheets.spec.model import Spec, load_spec
from pa_sheets.workbook import meta
from pa_sheets.workbook.generate import write_workbooks
from pa_sheets.workbook.layout import party_ref, plan_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "voorbeeldstad.yaml"
RESULTS = ROOT / "bench" / "results"
KIND, YEAR = "jaarschijf", 2027
CREATED = dt.datetime(2026, 9, 1, 12, 0, 0)
GOAL_RATIO = 2.5  # validate / calamine, every case
GOAL_SAFETY_RATIO = 1.0  # the safety check / calamine, every case
GOAL_CLI_ABOVE_FLOOR_S = 0.3  # pa-sheets validate small, over `python -c "import pandera.pandas"`
# What a party types in a new afspraak's row: no progress yet, no last year.
NEW_COLUMNS = frozenset(
    [
        "nummer",
        "afspraak",
        "type",
        "trekker",
        "indicator",
        "eenheid",
        "nulmeting",
        "nulmeting_jaar",
        "streefwaarde",
        "planning",
        "bijdrage",
    ]
)
MEASURE_COLUMNS = ("indicator", "eenheid", "nulmeting", "nulmeting_jaar", "streefwaarde")
ROWS_PER_SHEET = 228  # medium and large; the WZ themes have 4 sheets: 912 nummers of 999
WIJKEN = (
    ("CE", "Centrum"),
    ("NO", "Noord"),
    ("OO", "Oost"),
    ("ZU", "Zuid"),
    ("WE", "West"),
    ("HO", "De Hoven"),
    ("ZR", "Zuidrand"),
    ("WP", "Westpark"),
    ("HV", "Het Veld"),
    ("MW", "Molenwijk"),
    ("VW", "Vogelwijk"),
    ("BB", "Bloemenbuurt"),
    ("SK", "Stationskwartier"),
    ("HB", "Hoge Bergen"),
    ("KW", "Kanaalwijk"),
    ("DL", "De Linden"),
    ("BD", "Beekdal"),
    ("RW", "Rivierenwijk"),
    ("SP", "Sportpark"),
    ("EH", "Eikenhof"),
)
AFSPRAKEN = (
    "{wie} realiseert in {wijk} de afgesproken aantallen volgens de meerjarenplanning",
    "{wie} rapporteert twee keer per jaar over de voortgang in {wijk} aan de lokale driehoek",
    "{wie} stelt samen met de andere partijen een uitvoeringsplan op voor {wijk}",
    "{wie} informeert de huurders in {wijk} tijdig over de geplande werkzaamheden",
    "{wie} evalueert de aanpak in {wijk} en stelt die zo nodig bij",
)
OP_SCHEMA = "Loopt volgens planning; de eerste resultaten zijn met de partijen besproken."
STATUSES = ["groen"] * 5 + ["oranje", "rood", "gerealiseerd", "niet gestart"]
TOELICHTING = {
    "oranje": "Vertraging door lange vergunningprocedure; bijsturen in het volgende overleg.",
    "rood": "De locatie is vervallen; partijen zoeken samen een alternatief.",
}


# ---------------------------------------------------------------------------------------------
# The workbooks (untimed).
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Workbook:
    case: str
    path: Path
    sheets: int
    rows: int  # filled-in going-concern rows
    runs: int
    pandas_runs: int


def measures(rng: random.Random, spec: Spec, indicator) -> tuple[float, float]:
    """A plausible nulmeting and streefwaarde for `indicator`: inside its bereik, whole where
    its eenheid counts whole things, the streefwaarde in its richting from the nulmeting."""
    low, high = spec.bereik(indicator.eenheid, indicator)
    low = max(1.0, low if low is not None else 1.0)
    high = min(1000.0, high if high is not None else 1000.0)
    far = rng.uniform(low + (high - low) / 2, high)
    near = max(low, far * rng.uniform(0.3, 0.9))
    nulmeting, streefwaarde = (far, near) if indicator.richting == "lager" else (near, far)
    return _round(spec, indicator, nulmeting), _round(spec, indicator, streefwaarde)


def _round(spec: Spec, indicator, value: float) -> float:
    unit = spec.eenheid(indicator.eenheid)
    return float(round(value)) if unit is not None and unit.geheel else round(value, 1)


def progress_values(
    rng: random.Random, nulmeting: float | None = None, streefwaarde: float | None = None
) -> dict[str, object]:
    """Status, realisatie and toelichting as a careful party fills them in: a realisatie that
    meets the streefwaarde only where the status says it is gerealiseerd, halfway otherwise."""
    status = rng.choice(STATUSES)
    values: dict[str, object] = {"status": status}
    if streefwaarde is not None and nulmeting is not None and status != "niet gestart":
        halfway = round((nulmeting + streefwaarde) / 2)
        values["realisatie"] = streefwaarde if status == "gerealiseerd" else float(halfway)
    if status in TOELICHTING:
        values["toelichting"] = TOELICHTING[status]
    elif rng.random() < 0.3:
        values["toelichting"] = OP_SCHEMA
    return values


def going_concern_rows(
    spec: Spec, config: Config, corporatie: Corporatie, per_sheet: int, first: int, seed: int
) -> list[LopendeAfspraak]:
    """`per_sheet` filled-in going-concern rows for every sheet of `corporatie`'s workbook; the
    nummers of a thema run from `first` (three digits) over all its sheets."""
    rng = random.Random(seed)
    types = spec.list_values("types")
    rows = []
    for thema in config.themas:
        base = thema.code[:2]  # BSCE: Beschikbaarheid in Centrum, with the BS indicators
        wijk = next((naam for code, naam in WIJKEN if thema.code[2:] == code), None)
        indicators = [i for i in spec.indicators if i.thema == base]
        number = first
        for party in config.parties(corporatie):
            if party.themas is not None and thema.code not in party.themas:
                continue
            ref = party.kort if party.rol == "overig" else party.rol
            for i in range(per_sheet):
                year = 2026 + i % 5
                text = AFSPRAKEN[i % len(AFSPRAKEN)].format(
                    wie=party.display, wijk=wijk or WIJKEN[i % len(WIJKEN)][1]
                )
                values: dict[str, object] = {
                    "nummer": f"{thema.code}-{number:03d}",
                    "afspraak": f"{text} (deelproject {i + 1}).",
                    "type": types[i % len(types)],
                    "trekker": "gemeente" if i % 7 == 0 else ref,
                }
                nulmeting = streefwaarde = None
                if indicators and i % 4:
                    indicator = indicators[i % len(indicators)]
                    nulmeting, streefwaarde = measures(rng, spec, indicator)
                    values["indicator"] = indicator.naam
                    values["eenheid"] = indicator.eenheid
                    values["nulmeting"] = nulmeting
                    values["nulmeting_jaar"] = 2024 + i % 2
                    values["streefwaarde"] = streefwaarde
                values["planning"] = (f"Q{1 + i % 4} {year}", str(year), dt.date(year, 12, 31))[
                    i % 3
                ]
                if i % 3 == 0:
                    values["bijdrage"] = rng.randrange(10, 5000) * 1000
                values.update(progress_values(rng, nulmeting, streefwaarde))
                rows.append(LopendeAfspraak(str(values["nummer"]), thema.code, ref, ALLE, values))
                number += 1
    return rows


def write(
    spec: Spec, config: Config, corporatie: Corporatie, out: Path, answers: dict | None = None
) -> tuple[Path, int]:
    """Generate `corporatie`'s jaarschijf, with `answers` in its blocks for new afspraken;
    return its path and number of sheets."""
    deadline = default_deadline(KIND, YEAR)
    plan = plan_workbook(spec, config, KIND, corporatie, (YEAR,), deadline, answers=answers)
    (path,) = write_workbooks([plan], out, True, CREATED)
    return path, len(plan.sheets)


def small_workbook(spec: Spec, work: Path, runs: int) -> Workbook:
    """Voorbeeldstad's workbook for De Linde: its own lopende afspraken (with progress filled
    in) plus 32 rows per sheet (nummers from 101, after the sample's BS-01, BS-02, ...)."""
    base = load_config(SAMPLE, spec)
    corporatie = base.corporaties[0]
    rng = random.Random(1)
    own = [
        dataclasses.replace(
            row,
            values={
                **row.values,
                **progress_values(rng, row.values.get("nulmeting"), row.values.get("streefwaarde")),
            },
        )
        for row in base.lopend
        if row.corporatie in (ALLE, corporatie.party.kort)
    ]
    added = going_concern_rows(spec, base, corporatie, 32, 101, seed=YEAR)
    config = dataclasses.replace(base, lopend=(*own, *added))
    path, sheets = write(spec, config, corporatie, work / "small")
    return Workbook("small", path, sheets, len(own) + len(added), runs, runs)


def wijk_workbook(
    spec: Spec,
    work: Path,
    case: str,
    wijken: int,
    per_sheet: int,
    runs: int,
    pandas_runs: int,
    new: bool = False,
) -> Workbook:
    """Grootstad: the default themes once per wijk, one corporatie, a zorg partner; its rows
    are lopende afspraken, or with `new` nieuwe afspraken."""
    themas = [
        {"code": thema.code + code, "naam": f"{thema.naam}, {naam}"}
        for code, naam in WIJKEN[:wijken]
        for thema in spec.themas
    ]
    config_yaml = {
        "gemeente": {"naam": "Grootstad", "code": "GM9002"},
        "periode": {"eerste_jaar": 2026, "laatste_jaar": 2030},
        "themas": themas,
        "corporaties": [
            {
                "naam": "Woonstichting Groot Wonen",
                "kort": "Groot Wonen",
                "l_nummer": "L4567",
                "huurdersorganisatie": {"naam": "Huurdersraad Groot Wonen", "kort": "HR Groot"},
            }
        ],
        "partners": [
            {
                "naam": "Zorggroep Grootstad",
                "kort": "Zorggroep",
                "themas": [t["code"] for t in themas if t["code"].startswith("WZ")],
            }
        ],
    }
    config_path = work / f"{case}.yaml"
    config_path.write_text(yaml.safe_dump(config_yaml, allow_unicode=True, sort_keys=False))
    base = load_config(config_path, spec)
    corporatie = base.corporaties[0]
    rows = going_concern_rows(spec, base, corporatie, per_sheet, 1, seed=YEAR)
    if not new:
        config = dataclasses.replace(base, lopend=tuple(rows))
        path, sheets = write(spec, config, corporatie, work / case)
        return Workbook(case, path, sheets, len(rows), runs, pandas_runs)
    # The same rows as nieuwe afspraken: typed by the party, every cell checked (going-concern
    # rows are checked by their block's fingerprint first).
    answers: dict[tuple[str, str, str], list[dict[str, object]]] = {}
    measured: dict[str, object] = {}
    for number, row in enumerate(rows):
        values = {k: v for k, v in row.values.items() if k in NEW_COLUMNS}
        # As a careful party writes them: planned from the jaarschijf's year on, and measured
        # (a new afspraak without an indicator gets the SMART warning).
        values["planning"] = (f"Q{1 + number % 4} {YEAR}", str(YEAR + number % 4))[number % 2]
        if "indicator" in values:
            measured = {k: v for k, v in values.items() if k in MEASURE_COLUMNS}
        elif measured:
            values.update(measured)
        values["trekker"] = next(
            p.display for p in base.parties(corporatie) if party_ref(p) == row.values["trekker"]
        )
        answers.setdefault((row.thema, row.partij, "nieuw"), []).append(values)
    path, sheets = write(spec, base, corporatie, work / case, answers)
    return Workbook(case, path, sheets, len(rows), runs, pandas_runs)


def openpyxl_copy(book: Workbook, work: Path, case: str, runs: int) -> Workbook:
    """`book` loaded and saved by openpyxl: every text an inline string in its cell. No pandas
    runs: it reads the same rows as `book`."""
    import openpyxl

    folder = work / case
    folder.mkdir()
    path = folder / book.path.name
    openpyxl.load_workbook(book.path).save(path)
    return dataclasses.replace(book, case=case, path=path, runs=runs, pandas_runs=0)


# ---------------------------------------------------------------------------------------------
# Measuring.
# ---------------------------------------------------------------------------------------------


def read_calamine(path: Path, skip: Callable[[str], bool] = lambda name: False) -> int:
    """The raw read: every sheet's values as Python lists (but those `skip` names). Returns
    the number of rows."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = 0
    for name in workbook.sheet_names:
        if not skip(name):
            rows += len(workbook.get_sheet_by_name(name).to_python())
    workbook.close()
    return rows


def read_pandas(path: Path) -> int:
    import pandas as pd

    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    return sum(len(frame) for frame in frames.values())


def finding_counts(report: FileReport) -> dict[str, int]:
    if report.unusable:
        return {"unusable": 1}
    return dict(sorted(Counter(f.code for f in report.findings).items()))


def measure(book: Workbook, spec: Spec, warmup: bool, pandas_limit: float) -> dict:
    """Run the sides interleaved, `book.runs` times (pandas `book.pandas_runs` times)."""
    report: list[FileReport] = []
    sides: dict[str, Callable[[], object]] = {
        "validate": lambda: report.append(validate_file(book.path, spec)),
        "calamine": lambda: read_calamine(book.path),
        # The sheets validate reads: not the going-concern rows' fixed texts (_vaste_tekst,
        # as many cells again as their fixed columns), which it opens only for X005.
        "calamine_read": lambda: read_calamine(book.path, meta.is_fixed_text_sheet),
        # What validate does before calamine reads: inflate and search every part, bound each
        # sheet's area, find its formula and percentage cells.
        "safety": lambda: scan_file(book.path),
        "pandas": lambda: read_pandas(book.path),
    }
    if warmup:
        for name, run in sides.items():
            if name != "pandas" or book.pandas_runs > 1:
                run()
    wall: dict[str, list[float]] = {side: [] for side in sides}
    cpu: dict[str, list[float]] = {side: [] for side in sides}
    for number in range(book.runs):
        # Alternate the order, so no side always gets the warmer start.
        for side in list(sides) if number % 2 == 0 else reversed(sides):
            if side == "pandas" and (
                len(wall["pandas"]) >= book.pandas_runs
                or any(t > pandas_limit for t in wall["pandas"])
            ):
                continue
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            sides[side]()
            wall[side].append(time.perf_counter() - start)
            cpu[side].append(time.process_time() - start_cpu)
    median = {side: statistics.median(times) for side, times in wall.items() if times}
    median_cpu = {side: statistics.median(times) for side, times in cpu.items() if times}
    result: dict[str, object] = {
        "case": book.case,
        "file": book.path.name,
        "file_bytes": book.path.stat().st_size,
        "sheets": book.sheets,
        "rows": book.rows,
        "runs": book.runs,
        "pandas_runs": len(wall["pandas"]),
        "findings": finding_counts(report[-1]),
    }
    for side in sides:
        if side in median:
            result[f"{side}_s"] = round(median[side], 4)
            result[f"{side}_cpu_s"] = round(median_cpu[side], 4)
            result[f"{side}_runs_s"] = [round(t, 4) for t in wall[side]]
    for side in ("calamine", "calamine_read", "pandas"):
        if side in median:
            result[f"validate_{side}_ratio"] = round(median["validate"] / median[side], 3)
            result[f"validate_{side}_cpu_ratio"] = round(
                median_cpu["validate"] / median_cpu[side], 3
            )
    result["safety_calamine_ratio"] = round(median["safety"] / median["calamine"], 3)
    result["safety_calamine_cpu_ratio"] = round(median_cpu["safety"] / median_cpu["calamine"], 3)
    return result


AS_INSTALLED = (
    'import sys; sys.modules["hypothesis"] = None; from pa_sheets.cli import main; main()'
)


def pa_sheets_command() -> list[str]:
    local = Path(sys.executable).parent / "pa-sheets"
    found = str(local) if local.exists() else shutil.which("pa-sheets")
    if found is None:
        raise SystemExit("pa-sheets is not installed in this environment")
    return [found]


def measure_cli(small: Path, runs: int, warmup: bool) -> dict:
    """Wall clock of `pa-sheets --version`, `pa-sheets validate small` and the import floor
    as subprocesses, interleaved."""
    command = pa_sheets_command()
    commands = {
        "floor": [sys.executable, "-c", "import pandera.pandas"],
        "startup": [*command, "--version"],
        "validate": [*command, "validate", str(small)],
        # As `pip install pa-sheets` installs it: without the test extra's hypothesis, which
        # pandera imports (about 55 ms) when it finds it, at its first validation.
        "validate-installed": [sys.executable, "-c", AS_INSTALLED, "validate", str(small)],
    }
    codes: dict[str, int] = {}

    def run(name: str) -> float:
        start = time.perf_counter()
        done = subprocess.run(commands[name], capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        codes[name] = done.returncode
        return elapsed

    if warmup:
        for name in commands:
            run(name)
    wall: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name in commands:
            wall[name].append(run(name))
    median = {name: statistics.median(times) for name, times in wall.items()}
    return {
        "file": small.name,
        "runs": runs,
        "floor_s": round(median["floor"], 4),
        "startup_s": round(median["startup"], 4),
        "validate_s": round(median["validate"], 4),
        "above_floor_s": round(median["validate"] - median["floor"], 4),
        "validate_installed_s": round(median["validate-installed"], 4),
        "installed_above_floor_s": round(median["validate-installed"] - median["floor"], 4),
        "validate_runs_s": [round(t, 4) for t in wall["validate"]],
        "floor_runs_s": [round(t, 4) for t in wall["floor"]],
        "validate_exit_code": codes["validate"],
        "goal_above_floor_s": GOAL_CLI_ABOVE_FLOOR_S,
    }


def profile_validate(book: Workbook, spec: Spec, top: int) -> Path:
    """Run validate_file once under cProfile; print pa_sheets' hot spots; return the .prof."""
    profiler = cProfile.Profile()
    gc.collect()
    profiler.enable()
    validate_file(book.path, spec)
    profiler.disable()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"validate_{book.case}.prof"
    profiler.dump_stats(path)
    stats = pstats.Stats(profiler)
    print(f"\ncProfile of validate_file, {book.case} ({path.relative_to(ROOT)}):")
    stats.sort_stats("tottime").print_stats(r"pa_sheets[/\\]", top)
    stats.sort_stats("cumulative").print_stats(top)
    return path


# ---------------------------------------------------------------------------------------------
# Reporting.
# ---------------------------------------------------------------------------------------------


def _verdict(ratio: float, goal: float) -> str:
    return f"<= {goal:g} {'met' if ratio <= goal else 'NOT MET'}"


def print_table(results: list[dict], cli: dict | None) -> None:
    head = (
        "case", "runs", "sheets", "rows", "validate", "calamine", "cal read", "safety", "pandas",
        "v/cal", "v/read", "s/cal", "v/pd",
    )  # fmt: skip
    print("\n{:<10}{:>5}{:>8}{:>9}{:>11}{:>11}{:>11}{:>11}{:>11}{:>8}{:>8}{:>8}{:>8}".format(*head))
    for r in results:
        pandas = f"{r['pandas_s']:>10.3f}s" if "pandas_s" in r else f"{'-':>11}"
        ratio_pd = f"{r['validate_pandas_ratio']:>8.2f}" if "pandas_s" in r else f"{'-':>8}"
        print(
            f"{r['case']:<10}{r['runs']:>5}{r['sheets']:>8}{r['rows']:>9}"
            f"{r['validate_s']:>10.3f}s{r['calamine_s']:>10.3f}s{r['calamine_read_s']:>10.3f}s"
            f"{r['safety_s']:>10.3f}s{pandas}{r['validate_calamine_ratio']:>8.2f}"
            f"{r['validate_calamine_read_ratio']:>8.2f}{r['safety_calamine_ratio']:>8.2f}{ratio_pd}"
        )
        counts = ", ".join(f"{code} {n}" for code, n in r["findings"].items()) or "none"
        for clock, tail in (("wall clock", ""), ("CPU time", "_cpu")):
            ratio, safety = r[f"validate_calamine{tail}_ratio"], r[f"safety_calamine{tail}_ratio"]
            print(
                f"{'':<10}goals, {clock + ':':<12}validate/calamine {ratio:.2f} "
                f"{_verdict(ratio, GOAL_RATIO)}; safety/calamine {safety:.2f} "
                f"{_verdict(safety, GOAL_SAFETY_RATIO)}"
            )
        print(f"{'':<10}{r['file_bytes'] / 2**20:.1f} MB; findings: {counts}")
    # CPU time is the steadier measure on a shared machine: the wall clock counts the waits.
    unmet = [
        f"{r['case']} ({what})"
        for r in results
        for what, ratio, goal in (
            ("validate", r["validate_calamine_cpu_ratio"], GOAL_RATIO),
            ("safety", r["safety_calamine_cpu_ratio"], GOAL_SAFETY_RATIO),
        )
        if ratio > goal
    ]
    print(
        "\nGoals in CPU time: "
        + (f"NOT MET for {', '.join(unmet)}" if unmet else "met on every case")
    )
    if cli is not None:
        goal = GOAL_CLI_ABOVE_FLOOR_S

        def verdict(above: float) -> str:
            return "ok" if above <= goal else f"> {goal:g} s above the floor"

        print(
            f"\nCLI, pa-sheets validate {cli['file']} (median of {cli['runs']}): "
            f"{cli['validate_s']:.3f}s (exit code {cli['validate_exit_code']}); floor "
            f"(import pandera.pandas) {cli['floor_s']:.3f}s; above the floor "
            f"{cli['above_floor_s']:.3f}s  {verdict(cli['above_floor_s'])}; "
            f"pa-sheets --version: {cli['startup_s']:.3f}s\n"
            f"As installed without the test extra (no hypothesis for pandera to load): "
            f"{cli['validate_installed_s']:.3f}s; above the floor "
            f"{cli['installed_above_floor_s']:.3f}s  {verdict(cli['installed_above_floor_s'])}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: small, a reduced medium and its openpyxl copy, 1 run",
    )
    parser.add_argument(
        "--case",
        choices=["small", "medium", "large", "large-new", "openpyxl", "all"],
        default="all",
    )
    parser.add_argument("--runs", type=int, help="runs per case (default 5, 5, 3, 3 and 3)")
    parser.add_argument(
        "--pandas-limit", type=float, default=60.0, help="no more pandas runs after one this slow"
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile the largest case")
    parser.add_argument("--out", type=Path, default=RESULTS / "validate.json")
    args = parser.parse_args(argv)
    cases = ["small", "medium", "openpyxl"]
    if not args.quick:
        cases = ["small", "medium", "large", "large-new", "openpyxl"]
    if args.case != "all":
        cases = [c for c in cases if c == args.case]
    warmup = not args.quick

    def runs(default: int) -> int:
        return 1 if args.quick else (args.runs or default)

    spec = load_spec()
    results: list[dict] = []
    cli = None
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as temp:
        work = Path(temp)
        print("Building the workbooks (untimed) ...", flush=True)
        small = small_workbook(spec, work, runs(5))
        books = {"small": small}
        # The openpyxl copy is of large (about 100,000 rows), with --quick of medium.
        copied = "medium" if args.quick else "large"
        if "medium" in cases or (copied == "medium" and "openpyxl" in cases):
            per_sheet = 46 if args.quick else ROWS_PER_SHEET
            books["medium"] = wijk_workbook(spec, work, "medium", 2, per_sheet, runs(5), runs(3))
        for case in ("large", "large-new"):
            if case in cases or (case == copied and "openpyxl" in cases):
                books[case] = wijk_workbook(
                    spec, work, case, len(WIJKEN), ROWS_PER_SHEET, runs(3), 1, case == "large-new"
                )
        if "openpyxl" in cases:
            books["openpyxl"] = openpyxl_copy(books[copied], work, "openpyxl", runs(3))
        # Imports pandas and pandera (validate does so lazily), untimed.
        validate_file(small.path, spec)
        read_pandas(small.path)
        for case in cases:
            book = books[case]
            print(f"Measuring {case}: {book.rows} rows on {book.sheets} sheets ...", flush=True)
            results.append(measure(book, spec, warmup, args.pandas_limit))
        if "small" in cases:
            cli = measure_cli(small.path, 1 if args.quick else 5, warmup)
        print_table(results, cli)
        if args.profile and not args.quick:
            profile_validate(books[cases[-1]], spec, top=25)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "validate",
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "goal_ratio": GOAL_RATIO,
        "goal_safety_ratio": GOAL_SAFETY_RATIO,
        "goal_cli_above_floor_s": GOAL_CLI_ABOVE_FLOOR_S,
        "python": platform.python_version(),
        "versions": {
            name: importlib.metadata.version(name)
            for name in ("python-calamine", "pandas", "pandera", "openpyxl")
        },
        "pa_sheets": __version__,
        "results": results,
        "cli": cli,
    }
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nResults written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: evaluating filled monitors against validating the same files, and reading five
years of history (issue 24).

What is measured, per number of monitors N, in this process (the workers of both sides fork
from it), the two sides interleaved, the median wall time of --runs runs after one untimed
warm-up of each:

* validate: `validate_paths(files)`: what `pa-sheets validate` does, on every core.
* evaluate: `evaluate_paths(files)`: what `pa-sheets evaluate` does without --out: it validates
  the same way, merges, and judges every afspraak against what was agreed. The goal is
  evaluate / validate <= 1.2 at 1,000 monitors.
* history: five earlier years of the same N monitors in the long table (parquet, as
  `evaluate --historie` writes a round: one file per year), read back with `read_history`
  and counted per indicator with `trend_of`: the goal is at most 2 s for 1,000 monitors. The
  table per afspraak (Historie.afspraken, worked out only when the workbook is written) is
  timed apart as `followed`, without a goal.

The monitors are made untimed (on every core): bench_merge's filled jaarschijven of one
gemeente (Benchstad) with N corporaties, about 220 rows each, merged, and from each a monitor
planned as `generate monitor` plans it, its rows answered (realisatie up to the streefwaarde,
peildatum 31 December, groen or oranje with a toelichting) and written by the generator. The
five years of history are the round of those monitors, written once and copied into
jaar=2022 ... jaar=2026.

Usage: python bench/bench_evaluate.py [--quick] [--sizes 30,300,1000] [--runs N]
--quick: 3 and 30 monitors, 1 run, no warm-up: a smoke test for CI, no goals asserted.
Results: a table on stdout and bench/results/evaluate.json (--out to write elsewhere).
"""

import argparse
import dataclasses
import datetime as dt
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_merge import make_workbooks
from bench_validate import CREATED

from pa_sheets import __version__
from pa_sheets.parallel import available_cores, map_files

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL_RATIO = 1.2
GOAL_HISTORY_S = 2.0
HISTORY_YEARS = 5
MONITORS: list = []  # spec and the merged jaarschijven, before the workers fork
FOUND: list = []  # the history just counted: its table per afspraak is timed apart


def make_monitors(count: int, work: Path) -> list[Path]:
    """`count` filled monitors of different corporaties in one gemeente."""
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.spec.model import load_spec

    jaarschijven = make_workbooks(count, work)
    spec = load_spec()
    merged = merge_paths(jaarschijven, spec=spec, allow_invalid=True)
    MONITORS[:] = [spec, merged, work / "monitors"]
    return map_files(_make_one, [Path(str(n)) for n in range(len(merged.sources))])


def _make_one(number: Path) -> Path:
    """Monitor `number` (a Path, because map_files hands out paths), filled in."""
    from pa_sheets.cycle.monitor import plan_monitor
    from pa_sheets.workbook.generate import write_workbooks

    spec, merged, out = MONITORS
    n = int(str(number))
    plan = plan_monitor(spec, merged, merged.sources[n])
    rng = random.Random(n)
    year = merged.years[0]
    sheets = tuple(
        dataclasses.replace(
            sheet,
            blocks=tuple(
                dataclasses.replace(
                    block, rows=tuple(_answer(row, rng, year) for row in block.rows)
                )
                for block in sheet.blocks
            ),
        )
        for sheet in plan.sheets
    )
    (path,) = write_workbooks([dataclasses.replace(plan, sheets=sheets)], out, True, CREATED)
    return path


def _answer(row: dict[str, object], rng: random.Random, year: int) -> dict[str, object]:
    """A row as a party returns it: realisatie, peildatum, status and toelichting."""
    target = row.get("streefwaarde")
    answer: dict[str, object] = {"status": "groen"}
    if row.get("indicator") and isinstance(target, int | float) and not isinstance(target, bool):
        answer["realisatie"] = round(target * rng.uniform(0.6, 1.0))  # never past 100%
        answer["peildatum"] = dt.date(year, 12, 31)
    if rng.random() < 0.2:
        answer["status"] = "oranje"
        answer["toelichting"] = "Vertraging in de vergunningverlening; bijgestuurd."
    return {**row, **answer}


def make_history(files: list[Path], folder: Path) -> tuple[str, int]:
    """Five earlier years of these monitors in the history at `folder`, as `evaluate
    --historie` writes a round (one file per year); returns the gemeente code and the year
    after them."""
    from pa_sheets.cycle.history import record_round
    from pa_sheets.merge.combine import merge_paths

    merged = merge_paths(files)
    folder.mkdir(parents=True, exist_ok=True)
    record_round(merged, folder / "nu")
    year = merged.years[0]
    for back in range(1, HISTORY_YEARS + 1):
        shutil.copytree(folder / "nu" / f"jaar={year}", folder / f"jaar={year - back}")
    shutil.rmtree(folder / "nu")
    return merged.template.gemeente_code, year


def measure(files: list[Path], history: Path, runs: int, warm: bool) -> dict:
    import pandas  # noqa: F401  # imported before timing, as the command line does
    import pandera.pandas  # noqa: F401
    import pyarrow  # noqa: F401

    from pa_sheets.check.validate import validate_paths
    from pa_sheets.cycle.evaluate import evaluate_paths
    from pa_sheets.cycle.history import read_history, trend_of
    from pa_sheets.spec.model import load_spec

    spec = load_spec()
    code, year = make_history(files, history)

    def run_validate() -> dict:
        report = validate_paths(files, spec=spec)
        return {"valid": sum(f.valid() for f in report.files)}

    def run_evaluate() -> dict:
        evaluation = evaluate_paths(files, spec=spec)
        return {"afspraken": len(evaluation.afspraken)}

    def run_history() -> dict:
        rows = read_history(history, code, "monitor", year)
        found = trend_of(rows, spec)
        FOUND[:] = [found]
        return {"rows": rows.num_rows, "years": len(found.years), "indicators": len(found.trend)}

    def run_followed() -> dict:
        return {"afspraken": len(FOUND[0].afspraken)}

    jobs = {
        "validate": run_validate,
        "evaluate": run_evaluate,
        "history": run_history,
        "followed": run_followed,
    }
    if warm:
        for job in jobs.values():
            job()
    times: dict[str, list[float]] = {name: [] for name in jobs}
    outcome: dict[str, dict] = {}
    for _ in range(runs):
        for name, job in jobs.items():
            start = time.perf_counter()
            outcome[name] = job()
            times[name].append(time.perf_counter() - start)
    result = {name: round(statistics.median(t), 3) for name, t in times.items()}
    return {**result, **{f"{k}_{key}": v for k, o in outcome.items() for key, v in o.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="3 and 30 monitors, 1 run")
    parser.add_argument("--sizes", default="30,300,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "evaluate.json")
    args = parser.parse_args(argv)
    sizes = [3, 30] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-evaluate-") as temp:
            work = Path(temp)
            made = time.perf_counter()
            files = make_monitors(size, work)
            made = time.perf_counter() - made
            row = {"monitors": size, "made_s": round(made, 1)}
            row |= measure(files, work / "historie", runs, warm=not args.quick)
        row["ratio"] = round(row["evaluate"] / row["validate"], 3)
        results.append(row)
        print(
            f"{size:>5} monitors: validate {row['validate']:.2f} s, evaluate "
            f"{row['evaluate']:.2f} s, ratio {row['ratio']:.2f} (goal <= {GOAL_RATIO}); "
            f"{HISTORY_YEARS} years of history ({row['history_rows']} rows) read and counted "
            f"in {row['history']:.2f} s (goal <= {GOAL_HISTORY_S} at 1,000); the table per "
            f"afspraak ({row['followed_afspraken']} afspraken) {row['followed']:.2f} s",
            flush=True,
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "pa_sheets": __version__,
                "python": platform.python_version(),
                "cores": available_cores(),
                "runs": runs,
                "goals": {"ratio": GOAL_RATIO, "history_s": GOAL_HISTORY_S},
                "results": results,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    if args.quick:
        return 0
    big = [r for r in results if r["monitors"] >= 1000]
    failed = [r for r in big if r["ratio"] > GOAL_RATIO or r["history"] > GOAL_HISTORY_S]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

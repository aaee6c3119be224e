"""Benchmark: merging 30, 300 and 1,000 returned jaarschijven, against validating the same inputs
and against bare xlsxwriter writing the same overview.

What is measured, per number of workbooks N, each in a fresh Python process (so the peak
memory is that of one job, workers included; the process first imports pandas, pandera and
xlsxwriter, untimed, as the command line would before its work starts):

* validate: `validate_paths(files)`: what `pa-sheets validate` does, on every core.
* merge: `merge_paths(files)` and `write_overview(..., "xlsx")`: what `pa-sheets merge` does.
  It validates the same way, then writes the gezamenlijk overzicht.
* merge-parquet: `merge_long(files, dir, "parquet")`: what `pa-sheets merge --format parquet`
  does, writing each workbook's rows as it comes (a dataset by jaar, gemeente, soort_werkboek).
* bare: the floor of the xlsx overview. An untimed run records every xlsxwriter call the
  overview's writer makes (bench/xlsx_replay.py: the same cells, formats, tables, charts, widths
  and print settings); this job replays those calls on bare xlsxwriter, timed. The two files are
  then compared sheet by sheet (bench_generate's summary), which must find no difference.

Reported, as ratios within one run: merge-parquet / validate (`ratio_parquet`, goal at most
1.2), merge / (validate + bare) (`ratio_xlsx_floor`, goal at most 1.15), merge / validate
(`ratio`, for the record), and the peak resident memory of each job (this process plus its
largest worker; goal for merge-parquet: at most 500 MiB at 1,000 workbooks, not growing with
N). Sizes above --xlsx-max (default 1,000) run validate and merge-parquet only: they show that
the long table costs the same per workbook at 3,000.

The workbooks are made untimed (on every core): one gemeente (Benchstad) with N corporaties,
each with its huurdersorganisatie, the default themes and a zorg partner on WZ; each jaarschijf
has its going-concern rows filled in as a party returns them (bench_validate's rows: status,
realisatie, toelichting, indicators, plannings), 10 per sheet: about 220 rows per workbook.

Usage: python bench/bench_merge.py [--quick] [--sizes 30,300,1000] [--runs N] [--xlsx-max N]
Results: a table on stdout and bench/results/merge.json.
"""

import argparse
import dataclasses
import functools
import json
import pickle
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from bench_generate import compare
from bench_validate import CREATED, YEAR, going_concern_rows, write
from xlsx_replay import record, replay

from pa_sheets import __version__
from pa_sheets.parallel import available_cores, map_files
from pa_sheets.spec.config import load_config
from pa_sheets.spec.model import load_spec

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL_PARQUET = 1.2
GOAL_XLSX_FLOOR = 1.15
GOAL_PEAK_MIB = 500
ROWS_PER_SHEET = 10
JOBS = ("validate", "merge", "merge-parquet", "record", "bare")
LONG_ONLY = ("validate", "merge-parquet")


def make_workbooks(count: int, out: Path) -> list[Path]:
    """`count` filled jaarschijven of different corporaties in one gemeente."""
    config_yaml = {
        "gemeente": {"naam": "Benchstad", "code": "GM9003"},
        "periode": {"eerste_jaar": 2026, "laatste_jaar": 2030},
        "corporaties": [
            {
                "naam": f"Woonstichting Bench {n}",
                "kort": f"Bench {n}",
                "l_nummer": f"L{1000 + n}",
                "huurdersorganisatie": {"naam": f"Huurdersraad Bench {n}", "kort": f"HR {n}"},
            }
            for n in range(count)
        ],
        "partners": [{"naam": "Zorggroep Benchstad", "kort": "Zorggroep", "themas": ["WZ"]}],
    }
    config_path = out / "benchstad.yaml"
    config_path.write_text(yaml.safe_dump(config_yaml, allow_unicode=True, sort_keys=False))
    spec = load_spec()
    BENCHSTAD[:] = [spec, load_config(config_path, spec)]  # the forked workers inherit it
    make = functools.partial(_make_one, out=out / "werkboeken")
    return map_files(make, [Path(str(n)) for n in range(count)])


BENCHSTAD: list = []  # spec and config, loaded once before the workers fork


def _make_one(number: Path, out: Path) -> Path:
    """Corporatie `number`'s workbook (a Path, because map_files hands out paths)."""
    spec, base = BENCHSTAD
    n = int(str(number))
    corporatie = base.corporaties[n]
    rows = going_concern_rows(spec, base, corporatie, ROWS_PER_SHEET, 1, seed=YEAR + n)
    config = dataclasses.replace(base, lopend=tuple(rows))
    return write(spec, config, corporatie, out)[0]


def run_job(job: str, folder: Path, out: Path) -> dict:
    """One job in this process (called in a fresh child): time it, and its peak memory."""
    import pandas  # noqa: F401  # imported before timing, as the command line does
    import pandera.pandas  # noqa: F401
    import pyarrow  # noqa: F401
    import xlsxwriter  # noqa: F401

    from pa_sheets.check.validate import expand_paths, validate_paths
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.merge.long import merge_long
    from pa_sheets.merge.overview import write_overview

    spec = load_spec()
    files = expand_paths([folder])
    overview, log_file = out / "overzicht.xlsx", out / "xlsxwriter-calls.pickle"
    if job == "record":  # untimed: what the floor replays
        merged = merge_paths(files, spec=spec)
        log = record(lambda: write_overview(merged, overview, force=True, created=CREATED))
        log_file.write_bytes(pickle.dumps(log, protocol=pickle.HIGHEST_PROTOCOL))
        return {"calls": len(log)}
    if job == "bare":
        log = pickle.loads(log_file.read_bytes())
    start = time.perf_counter()
    if job == "validate":
        report = validate_paths(files, spec=spec)
        outcome = {"valid": sum(f.valid() for f in report.files)}
    elif job == "merge":
        merged = merge_paths(files, spec=spec)
        write_overview(merged, overview, "xlsx", force=True, created=CREATED)
        outcome = {
            "rows": sum(len(s.records) for s in merged.sources),
            "output_bytes": overview.stat().st_size,
        }
    elif job == "merge-parquet":
        dataset = out / "landelijk"
        merged, written = merge_long(files, dataset, "parquet", spec=spec, force=True)
        outcome = {
            "rows": sum(s.row_count for s in merged.sources),
            "output_bytes": sum(path.stat().st_size for path in written),
        }
    else:
        bare = out / "kaal.xlsx"
        replay(log, bare)
        outcome = {"output_bytes": bare.stat().st_size}
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if job == "bare":  # untimed: the floor wrote the same workbook
        outcome["differences"] = compare(overview, bare)
    return {"wall_s": wall, "peak_mib": round(max(own, workers) / 1024, 1), **outcome}


def measure(job: str, folder: Path, out: Path, runs: int) -> dict:
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, __file__, "--job", job, "--dir", str(folder), "--work", str(out)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if "wall_s" not in results[-1]:  # the untimed recording
        return results[-1]
    wall = statistics.median(r["wall_s"] for r in results)
    return {**results[-1], "wall_s": round(wall, 3), "runs": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="3 and 30 workbooks, 1 run")
    parser.add_argument("--sizes", default="30,300,1000")
    parser.add_argument(
        "--xlsx-max", type=int, default=1000, help="larger sizes: validate and parquet only"
    )
    parser.add_argument("--runs", type=int, help="runs per size (default 3, 2, 1)")
    parser.add_argument("--out", type=Path, default=RESULTS / "merge.json")
    parser.add_argument("--job", choices=JOBS, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.job:  # a child: one measured job
        print(json.dumps(run_job(args.job, args.dir, args.work)))
        return 0
    sizes = [3, 30] if args.quick else [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="pa-sheets-bench-") as temp:
        work = Path(temp)
        print(f"Werkboeken maken ({max(sizes)}) ...", file=sys.stderr)
        paths = make_workbooks(max(sizes), work)
        for size in sizes:
            folder = work / f"n{size}"
            folder.mkdir()
            for path in paths[:size]:
                (folder / path.name).symlink_to(path)
            runs = 1 if args.quick else args.runs or {3: 3, 30: 2}.get(size, 1)
            row: dict[str, object] = {"workbooks": size}
            for job in JOBS if size <= args.xlsx_max else LONG_ONLY:
                print(f"{size} werkboeken: {job} ...", file=sys.stderr)
                row[job] = measure(job, folder, work, runs)
            results.append(ratios(row))
    fit = linear_fit([(r["workbooks"], r["merge-parquet"]["wall_s"]) for r in results])  # type: ignore[index]
    print_table(results, fit)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "pa_sheets": __version__,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cores": available_cores(),
                "goal_ratio_parquet": GOAL_PARQUET,
                "goal_ratio_xlsx_floor": GOAL_XLSX_FLOOR,
                "goal_peak_mib": GOAL_PEAK_MIB,
                "rows_per_sheet": ROWS_PER_SHEET,
                "linear_fit": fit,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"\n{args.out}")
    return 0


def ratios(row: dict) -> dict:
    """The ratios of one size, from the wall times of its jobs."""
    validate = row["validate"]["wall_s"]
    row["ratio_parquet"] = round(row["merge-parquet"]["wall_s"] / validate, 3)
    if "merge" in row:
        row["ratio"] = round(row["merge"]["wall_s"] / validate, 3)
        floor = validate + row["bare"]["wall_s"]
        row["ratio_xlsx_floor"] = round(row["merge"]["wall_s"] / floor, 3)
    return row


def linear_fit(points: list[tuple[int, float]]) -> dict[str, float]:
    """Least squares t = a + b * n, and how far each point is from that line, in seconds and
    as a share of its time. A fixed start (imports, forking the workers) shows as `a`; linear
    growth as points close to the line."""
    if len(points) < 2:
        return {}
    n = [float(p[0]) for p in points]
    t = [p[1] for p in points]
    mean_n, mean_t = statistics.fmean(n), statistics.fmean(t)
    slope = sum((x - mean_n) * (y - mean_t) for x, y in zip(n, t, strict=True)) / sum(
        (x - mean_n) ** 2 for x in n
    )
    start = mean_t - slope * mean_n
    off = [abs(start + slope * x - y) for x, y in zip(n, t, strict=True)]
    return {
        "start_s": round(start, 3),
        "per_workbook_s": round(slope, 4),
        "worst_off_s": round(max(off), 3),
        "worst_off_share": round(max(o / y for o, y in zip(off, t, strict=True)), 3),
    }


def print_table(results: list[dict], fit: dict[str, float]) -> None:
    print(
        f"{'werkboeken':>10} {'rijen':>7} {'validate s':>10} {'parquet s':>9} {'parq/val':>8} "
        f"{'piek MiB':>8} {'merge s':>8} {'kaal s':>7} {'xlsx/vloer':>10} {'merge/val':>9}"
    )
    for row in results:
        parquet, validate = row["merge-parquet"], row["validate"]
        line = (
            f"{row['workbooks']:>10} {parquet['rows']:>7} {validate['wall_s']:>10.2f} "
            f"{parquet['wall_s']:>9.2f} {row['ratio_parquet']:>8.2f} {parquet['peak_mib']:>8.0f}"
        )
        if "merge" in row:
            line += (
                f" {row['merge']['wall_s']:>8.2f} {row['bare']['wall_s']:>7.2f} "
                f"{row['ratio_xlsx_floor']:>10.2f} {row['ratio']:>9.2f}"
            )
            if row["bare"]["differences"]:
                line += f"  VERSCHIL: {row['bare']['differences'][:3]}"
        print(line)
    if fit:
        print(
            f"Rechte lijn (parquet): {fit['start_s']:.2f} s + {1000 * fit['per_workbook_s']:.1f} "
            f"ms per werkboek; grootste afwijking {fit['worst_off_s']:.2f} s "
            f"({fit['worst_off_share']:.0%}). Doelen: parquet/validate <= {GOAL_PARQUET}, "
            f"piek <= {GOAL_PEAK_MIB} MiB, xlsx/(validate + kaal) <= {GOAL_XLSX_FLOOR}."
        )


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: merging 3, 30 and 300 returned jaarschijven, against validating the same inputs.

What is measured, per number of workbooks N, each in a fresh Python process (so the peak
memory is that of one job, workers included; the process first imports pandas, pandera and
xlsxwriter, untimed, as the command line would before its work starts):

* validate: `validate_paths(files)`: what `pa-sheets validate` does, on every core.
* merge: `merge_paths(files)` and `write_overview(..., "xlsx")`: what `pa-sheets merge` does.
  It validates the same way, then writes the gezamenlijk overzicht.
* merge-parquet: the same, writing the long format as parquet instead.

Reported: wall time, time per workbook, the ratio merge / validate (goal: at most 1.2, i.e.
merge adds at most 20% on top of validation), and the peak resident memory (this process plus
its largest worker). Linear growth is shown by the time per workbook staying level from 30
to 300 workbooks, and by a straight-line fit through all three points.

The workbooks are made untimed: one gemeente (Benchstad) with 300 corporaties, each with its
huurdersorganisatie, the default themes and a zorg partner on WZ; each jaarschijf has its
going-concern rows filled in as a party returns them (bench_validate's rows: status,
realisatie, toelichting, indicators, plannings), 10 per sheet: about 220 rows per workbook.

Usage: python bench/bench_merge.py [--quick] [--sizes 3,30,300] [--runs N]
Results: a table on stdout and bench/results/merge.json.
"""

import argparse
import dataclasses
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from bench_validate import CREATED, YEAR, going_concern_rows, write

from pa_sheets import __version__
from pa_sheets.parallel import available_cores
from pa_sheets.spec.config import load_config
from pa_sheets.spec.model import load_spec

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL_RATIO = 1.2
ROWS_PER_SHEET = 10
JOBS = ("validate", "merge", "merge-parquet")


def make_workbooks(count: int, out: Path) -> list[Path]:
    """`count` filled jaarschijven of different corporaties in one gemeente."""
    spec = load_spec()
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
    base = load_config(config_path, spec)
    paths = []
    for n, corporatie in enumerate(base.corporaties):
        rows = going_concern_rows(spec, base, corporatie, ROWS_PER_SHEET, 1, seed=YEAR + n)
        config = dataclasses.replace(base, lopend=tuple(rows))
        path, _ = write(spec, config, corporatie, out / "werkboeken")
        paths.append(path)
    return paths


def run_job(job: str, folder: Path, out: Path) -> dict:
    """One job in this process (called in a fresh child): time it, and its peak memory."""
    import pandas  # noqa: F401  # imported before timing, as the command line does
    import pandera.pandas  # noqa: F401
    import xlsxwriter  # noqa: F401

    from pa_sheets.check.validate import expand_paths, validate_paths
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.merge.overview import write_overview

    spec = load_spec()
    files = expand_paths([folder])
    start = time.perf_counter()
    if job == "validate":
        report = validate_paths(files, spec=spec)
        outcome = {"valid": sum(f.valid() for f in report.files)}
    else:
        merged = merge_paths(files, spec=spec)
        fmt = "xlsx" if job == "merge" else "parquet"
        target = out / f"overzicht.{fmt}"
        write_overview(merged, target, fmt, force=True, created=CREATED)
        outcome = {
            "rows": sum(len(s.records) for s in merged.sources),
            "output_bytes": target.stat().st_size,
        }
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
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
    wall = statistics.median(r["wall_s"] for r in results)
    return {**results[-1], "wall_s": round(wall, 3), "runs": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="3 and 30 workbooks, 1 run")
    parser.add_argument("--sizes", default="3,30,300")
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
            for job in JOBS:
                print(f"{size} werkboeken: {job} ...", file=sys.stderr)
                row[job] = measure(job, folder, work, runs)
            for job, key in (("merge", "ratio"), ("merge-parquet", "ratio_parquet")):
                row[key] = round(row[job]["wall_s"] / row["validate"]["wall_s"], 3)  # type: ignore[index]
            results.append(row)
    fit = linear_fit([(r["workbooks"], r["merge"]["wall_s"]) for r in results])  # type: ignore[index]
    print_table(results, fit)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "pa_sheets": __version__,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cores": available_cores(),
                "goal_ratio": GOAL_RATIO,
                "rows_per_sheet": ROWS_PER_SHEET,
                "linear_fit": fit,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"\n{args.out}")
    return 0


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
        f"{'werkboeken':>10} {'rijen':>7} {'validate s':>10} {'merge s':>8} {'per wb ms':>9} "
        f"{'merge/val':>9} {'parquet s':>9} {'parq/val':>8} {'piek MiB':>8}"
    )
    for row in results:
        merge, validate = row["merge"], row["validate"]
        per = 1000 * merge["wall_s"] / row["workbooks"]
        print(
            f"{row['workbooks']:>10} {merge['rows']:>7} {validate['wall_s']:>10.2f} "
            f"{merge['wall_s']:>8.2f} {per:>9.0f} {row['ratio']:>9.2f} "
            f"{row['merge-parquet']['wall_s']:>9.2f} {row['ratio_parquet']:>8.2f} "
            f"{merge['peak_mib']:>8.0f}"
        )
    if fit:
        print(
            f"Rechte lijn (merge): {fit['start_s']:.2f} s + {1000 * fit['per_workbook_s']:.0f} "
            f"ms per werkboek; grootste afwijking {fit['worst_off_s']:.2f} s "
            f"({fit['worst_off_share']:.0%}). Doel merge/validate <= {GOAL_RATIO}."
        )


if __name__ == "__main__":
    sys.exit(main())

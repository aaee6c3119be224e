"""Benchmark: evaluating filled monitors against validating the same files, and reading five
years of history (issue 24).

What is measured, per number of monitors N, in this process (the workers of both sides fork
from it), the two sides interleaved, the median wall time of --runs runs after one untimed
warm-up of each:

* validate: `validate_paths(files)`: what `pa-sheets validate` does, on every core.
* evaluate: `evaluate_paths(files)`: what `pa-sheets evaluate` does without --out: it validates
  the same way, merges, and judges every afspraak against what was agreed. The goal is
  evaluate / validate <= 1.2 at 1,000 monitors. Beside the time on the clock, the processor
  time of each (this process and its workers, user and system: `*_cpu`, `ratio_cpu`), which
  others working on the same machine disturb less. On two cores the clock ratio is about
  1 + 2 x (ratio_cpu - 1): validate runs on both, evaluate's own work (merge, judge) on one.
* history: five earlier years of the same N monitors in the long table (parquet, as
  `evaluate --historie` writes a round: one file per year), read back with `read_history`
  and counted per indicator with `trend_of`: the goal is at most 2 s for 1,000 monitors. The
  table per afspraak (Historie.afspraken, worked out only when the workbook is written) is
  timed apart as `followed`, without a goal.

The monitors are made untimed (on every core): bench_merge's filled jaarschijven of one
gemeente (Benchstad) with at most TEMPLATES corporaties, about 220 rows each, merged, and from
each a monitor planned as `generate monitor` plans it, its rows answered (realisatie up to the
streefwaarde, peildatum 31 December, groen or oranje with a toelichting) and written by the
generator. The other N - TEMPLATES monitors are copies of those under another corporatie's
identity (clone_monitor: its name, kort, L-nummer and huurdersorganisatie in every part of the
file but the fixed text of its afspraken, so the fingerprints in _meta still hold): making a
monitor costs about 2 s, copying one a few ms, so 1,000 can be made. The five years of history
are the round of those monitors, written once and copied into jaar=2022 ... jaar=2026.

Usage: python bench/bench_evaluate.py [--quick] [--sizes 30,300,1000] [--runs N] [--only history]
--quick: 3 and 30 monitors, 1 run, no warm-up: a smoke test for CI, no goals asserted.
--only history: the history and the table per afspraak alone (no validate, no evaluate).
Results: a table on stdout and bench/results/evaluate.json (--out to write elsewhere).
"""

import argparse
import dataclasses
import datetime as dt
import functools
import html
import json
import platform
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench_merge import make_workbooks
from bench_validate import CREATED

from pa_sheets import __version__
from pa_sheets.parallel import available_cores, map_files
from pa_sheets.workbook import meta
from pa_sheets.workbook.meta import FIXED_TEXT_SHEET

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL_RATIO = 1.2
GOAL_HISTORY_S = 2.0
HISTORY_YEARS = 5
SHARED = "xl/sharedStrings.xml"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
TEMPLATES = 10  # monitors made; the others are copies of these (clone_monitor)
MONITORS: list = []  # spec and the merged jaarschijven, before the workers fork
FOUND: list = []  # the history just counted: its table per afspraak is timed apart


def make_monitors(count: int, work: Path) -> list[Path]:
    """`count` filled monitors of different corporaties in one gemeente: the first TEMPLATES
    made, the others copied from them (clone_monitor)."""
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.spec.model import load_spec

    made = min(count, TEMPLATES)
    jaarschijven = make_workbooks(made, work)
    spec = load_spec()
    merged = merge_paths(jaarschijven, spec=spec, allow_invalid=True)
    MONITORS[:] = [spec, merged, work / "monitors"]
    templates = map_files(_make_one, [Path(str(n)) for n in range(len(merged.sources))])
    copy = functools.partial(_copy_one, templates=templates, out=work / "monitors")
    return [*templates, *map_files(copy, [Path(str(n)) for n in range(made, count)])]


def _copy_one(number: Path, templates: list[Path], out: Path) -> Path:
    """Monitor `number` (a Path, because map_files hands out paths): a copy of a template."""
    n = int(str(number))
    return clone_monitor(templates[n % len(templates)], n % len(templates), n, out)


def clone_monitor(template: Path, was: int, number: int, out: Path) -> Path:
    """Monitor `template` of corporatie `was` as corporatie `number` returns it: the same
    answers under the other's identity (bench_merge names corporatie n "Woonstichting Bench n",
    kort "Bench n", L-nummer L1000+n, with "Huurdersraad Bench n", kort "HR n"), in every part
    of the file, the fixed text of its afspraken too ("Woonstichting Bench n realiseert ...",
    its trekker), with _meta's fingerprints of that text worked out again (_reprint).

    Unlike made monitors, the copies of one template share the figures of the gemeente's and
    the partner's afspraken (made ones draw them per corporatie), so those are collective
    afspraken of the copies of a template (about a quarter of the rows): evaluate has a bit more
    to do than for made ones, never less."""
    # Plain replacements (regular expressions cost ~100 ms a copy): the template's own file
    # names no other corporatie, so "Bench 1" is never the start of "Bench 12" in it.
    rules = [
        (f"Bench {was}", f"Bench {number}"),
        (f"HR {was}", f"HR {number}"),
        (f"L{1000 + was}", f"L{1000 + number}"),
        (f"bench-{was}", f"bench-{number}"),
    ]

    def renamed(text: str) -> str:
        for old, new in rules:
            text = text.replace(old, new)
        return text

    with zipfile.ZipFile(template) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    texts = [
        html.unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", piece, flags=re.S)))
        for piece in re.findall(r"<si>(.*?)</si>", parts[SHARED].decode("utf-8"), flags=re.S)
    ]
    reprinted = _reprint(parts, texts, [renamed(text) for text in texts])
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            xml = renamed(data.decode("utf-8"))
            if name == SHARED:
                for old, new in reprinted.items():
                    xml = xml.replace(old, new)
            parts[name] = xml.encode("utf-8")
    path = out / renamed(template.name)
    if path == template:
        raise ValueError(f"{template}: its name does not name corporatie {was}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for name, data in parts.items():
            copy.writestr(zipfile.ZipInfo(name, (1980, 1, 31, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return path


def _reprint(parts: dict[str, bytes], texts: list[str], renamed: list[str]) -> dict[str, str]:
    """Old fingerprint -> new one, of every going-concern row and block whose fixed text
    changes from the shared strings `texts` to `renamed`: read from `_vaste_tekst` (a row per
    going-concern row: sheet, key, its fixed values) as validate reads the tabs. Each old one
    is first worked out again and checked against _meta, so a misread shows at once."""
    sheets = _sheet_parts(parts)
    cells = re.compile(r'<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>(?:<v>([^<]*)</v>)?</c>)')
    rows: dict[str, list[tuple[str, dict[str, object], dict[str, object]]]] = {}
    for name, part in sheets.items():
        if not name.startswith(FIXED_TEXT_SHEET):
            continue
        xml = parts[part].decode("utf-8")
        header: dict[str, str] = {}
        for body in re.findall(r"<row [^>]*>(.*?)</row>", xml, flags=re.S):
            found: dict[str, tuple[object, object]] = {}
            for column, attributes, value in cells.findall(body):
                if value == "":
                    continue
                if 't="s"' in attributes:
                    found[column] = (texts[int(value)], renamed[int(value)])
                elif " s=" in attributes:  # a date: the only styled number there
                    day = EXCEL_EPOCH + dt.timedelta(days=float(value))
                    found[column] = (day, day)
                else:
                    found[column] = (float(value), float(value))
            if not header:
                header = {column: str(old) for column, (old, _) in found.items()}
                continue
            sheet = str(found["A"][0])
            old = {header[c]: v[0] for c, v in found.items() if c not in ("A", "B")}
            new = {header[c]: v[1] for c, v in found.items() if c not in ("A", "B")}
            rows.setdefault(sheet, []).append((str(found["B"][0]), old, new))
    keys = [key for column, key in header.items() if column not in ("A", "B")]
    stored = meta_prints(parts, texts)
    changed = {}
    for sheet, entries in rows.items():
        for which, prints in ((1, stored), (2, None)):
            columns = [[entry[which].get(key) for entry in entries] for key in keys]
            row_prints = meta.fingerprints(columns)
            block_print = meta.block_fingerprint(columns)
            if prints is not None:
                expected = [prints[(sheet, key)] for key, _, _ in entries]
                if row_prints != expected or block_print != prints[(sheet, "")]:
                    raise ValueError(f"{sheet}: fingerprints read otherwise than _meta has them")
                before = [*row_prints, block_print]
            else:
                changed.update(
                    (old, new)
                    for old, new in zip(before, [*row_prints, block_print], strict=True)
                    if old != new
                )
    return changed


def meta_prints(parts: dict[str, bytes], texts: list[str]) -> dict[tuple[str, str], str]:
    """The fingerprints _meta holds: (sheet, row key) -> a row's, (sheet, "") -> a block's."""
    sheets = _sheet_parts(parts)
    xml = parts[sheets[meta.SHEET]].decode("utf-8")
    prints: dict[tuple[str, str], str] = {}
    for body in re.findall(r"<row [^>]*>(.*?)</row>", xml, flags=re.S):
        line = [texts[int(v)] for v in re.findall(r't="s"[^>]*><v>(\d+)</v>', body)]
        if len(line) >= 3 and line[0] == "vast":  # packed, PRINTS_PER_CELL a cell
            for entry in " ".join(line[2:]).split():
                key, _, value = entry.rpartition(":")
                prints[(line[1], key)] = value
        elif len(line) == 3 and line[0] == "blokafdruk":
            prints[(line[1], "")] = line[2]
    return prints


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Each sheet's name and the part of the file it is in."""
    book = parts["xl/workbook.xml"].decode("utf-8")
    links = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', links))
    found = re.findall(r'<sheet name="([^"]+)"[^>]*r:id="(rId\d+)"', book)
    return {html.unescape(name): f"xl/{targets[rid]}" for name, rid in found}


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


def measure(files: list[Path], history: Path, runs: int, warm: bool, only: str = "") -> dict:
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
    if only == "history":
        jobs = {"history": run_history, "followed": run_followed}
    if warm:
        for job in jobs.values():
            job()
    times: dict[str, list[float]] = {name: [] for name in jobs}
    cpu: dict[str, list[float]] = {name: [] for name in jobs}
    outcome: dict[str, dict] = {}
    for _ in range(runs):
        for name, job in jobs.items():
            start, used = time.perf_counter(), cpu_seconds()
            outcome[name] = job()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(cpu_seconds() - used)
    result = {name: round(statistics.median(t), 3) for name, t in times.items()}
    result |= {f"{name}_cpu": round(statistics.median(t), 3) for name, t in cpu.items()}
    return {**result, **{f"{k}_{key}": v for k, o in outcome.items() for key, v in o.items()}}


def cpu_seconds() -> float:
    """The processor time of this process and of its workers that ended (map_files waits for
    them), user and system: on a machine others use too, steadier than the time on the clock."""
    own, workers = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="3 and 30 monitors, 1 run")
    parser.add_argument("--sizes", default="30,300,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "evaluate.json")
    parser.add_argument("--only", choices=["history"], help="time only the history")
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
            row |= measure(files, work / "historie", runs, not args.quick, args.only or "")
        if args.only:
            print(
                f"{size:>5} monitors: {HISTORY_YEARS} years of history ({row['history_rows']} "
                f"rows) read and counted in {row['history']:.2f} s, processor time "
                f"{row['history_cpu']:.2f} s; the table per afspraak "
                f"({row['followed_afspraken']} afspraken) {row['followed']:.2f} s, "
                f"{row['followed_cpu']:.2f} s",
                flush=True,
            )
            continue
        row["ratio"] = round(row["evaluate"] / row["validate"], 3)
        row["ratio_cpu"] = round(row["evaluate_cpu"] / row["validate_cpu"], 3)
        results.append(row)
        print(
            f"{size:>5} monitors: validate {row['validate']:.2f} s, evaluate "
            f"{row['evaluate']:.2f} s, ratio {row['ratio']:.2f} (goal <= {GOAL_RATIO}; in "
            f"processor time {row['validate_cpu']:.2f} s, {row['evaluate_cpu']:.2f} s, ratio "
            f"{row['ratio_cpu']:.2f}); "
            f"{HISTORY_YEARS} years of history ({row['history_rows']} rows) read and counted "
            f"in {row['history']:.2f} s (goal <= {GOAL_HISTORY_S} at 1,000); the table per "
            f"afspraak ({row['followed_afspraken']} afspraken) {row['followed']:.2f} s",
            flush=True,
        )
    if args.only:
        return 0  # a part alone: bench/results keeps the last whole run
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

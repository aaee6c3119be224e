"""Benchmark: stacking the country's published open data with `pa-sheets verzamel`.

The packages are made untimed, as publish writes them (cycle/opendata.py: the same schemas,
CSV writer and descriptor): G gemeenten, each with C corporaties of A afspraken (a tenth of
them shared by every corporatie), their parties, signatures and indicators. Timed:

* verzamel: `verzamel(folder, out)`: every package's descriptor and data checked against schema
  1.0, then written as one parquet dataset per resource, partitioned by jaar and gemeente
  (goal: at most 10 s for 340 x 3 x 100 on 2 cores);
* count: a DuckDB `count(*)` over the stacked afspraken (goal: at most 1 s);
* query: the query of docs/open-data.md (new afspraken on beschikbaarheid per gemeente, a
  shared one once).

Times are printed and written, not asserted: the goals are for a quiet machine. The CPU time
of verzamel (DuckDB's threads included) and the load average are written beside the wall time:
on a shared machine the wall time says more about the neighbours than about verzamel.

Usage: python bench/bench_verzamel.py [--quick] [--gemeenten 340] [--corporaties 3]
       [--afspraken 100] [--out bench/results/verzamel.json]
"""

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pa_sheets import __version__
from pa_sheets.cycle.opendata import RESOURCES, Resource, schemas, write_package
from pa_sheets.cycle.verzamel import verzamel
from pa_sheets.parallel import available_cores
from pa_sheets.spec.model import load_spec

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL_STACK_S = 10.0
GOAL_COUNT_S = 1.0
YEAR = 2027
THEMAS = ("BS", "BT", "VD", "WZ", "AG", "LB", "SW")
QUERY = """
SELECT gemeente_code, count(*) FILTER (WHERE NOT gedeeld)
     + count(DISTINCT (thema, partij, nummer)) FILTER (WHERE gedeeld) AS afspraken
FROM read_parquet('{out}/afspraken/**/*.parquet', hive_partitioning = true)
WHERE jaar = {year} AND thema = 'BS' AND soort = 'nieuw'
GROUP BY ALL ORDER BY afspraken DESC
"""


def make_packages(folder: Path, gemeenten: int, corporaties: int, afspraken: int) -> int:
    """Write one package per gemeente into `folder`; returns the afspraak rows written."""
    spec = load_spec()
    made = schemas(spec, toelichting=False, herkomst=False)
    statuses = [term.naam for term in spec.statussen]
    indicator = spec.indicators[0]
    total = 0
    for g in range(gemeenten):
        code, naam = f"GM{g:04d}", f"Gemeente {g}"
        where = {"gemeente_code": code, "gemeente": naam, "jaar": YEAR}
        corps = [
            (f"L{(g * corporaties + c) % 10000:04d}", f"Corporatie {g}-{c}")
            for c in range(corporaties)
        ]
        rows = []
        for l_nummer, corporatie in corps:
            for a in range(afspraken):
                shared = a < afspraken // 10
                thema = THEMAS[a % len(THEMAS)]
                rows.append(
                    {
                        **where,
                        "corporatie": corporatie,
                        "l_nummer": l_nummer,
                        "thema": thema,
                        "partij": "Alle corporaties" if shared else corporatie,
                        "rol": "corporatie",
                        "blok": "going concern" if a % 3 else "nieuw",
                        "gedeeld": shared,
                        "nummer": f"{thema}-{a:03d}",
                        "afspraak": f"De corporatie doet afspraak {a} in gemeente {g}.",
                        "soort": "going concern" if a % 3 else "nieuw",
                        "type": "handelingsafspraak",
                        "trekker": "Alle corporaties" if shared else corporatie,
                        "indicator_code": indicator.code if a % 2 else None,
                        "indicator": indicator.naam if a % 2 else None,
                        "eenheid": indicator.eenheid if a % 2 else None,
                        "nulmeting": 10 + a,
                        "nulmeting_jaar": YEAR - 2,
                        "streefwaarde": 20 + a,
                        "planning": str(YEAR),
                        "planning_van": dt.date(YEAR, 1, 1),
                        "planning_tot": dt.date(YEAR, 12, 31),
                        "bijdrage": 1000.0 * a,
                        "status": statuses[a % len(statuses)],
                        "realisatie": 15.5 + a,
                    }
                )
        parties = [{**where, "rol": "gemeente", "naam": naam, "code": code}]
        parties += [{**where, "rol": "corporatie", "naam": n, "code": c} for c, n in corps]
        signing = [
            {**where, "l_nummer": c, "corporatie": n, "partij": party, "rol": rol.capitalize()}
            | {"akkoord": "akkoord", "datum": dt.date(YEAR - 1, 12, 10), "naam": "A. Bakker"}
            for c, n in corps
            for party, rol in ((naam, "gemeente"), (n, "corporatie"))
        ]
        indicators = [
            {**where, "code": indicator.code, "naam": indicator.naam, "thema": indicator.thema}
            | {"eenheid": indicator.eenheid, "soort": indicator.soort}
            | {"richting": indicator.richting}
        ]
        data = {
            "afspraken": rows,
            "partijen": parties,
            "ondertekening": signing,
            "indicatoren": indicators,
        }
        out = folder / code
        out.mkdir(parents=True)
        stem = f"prestatieafspraken-{YEAR}-{code.lower()}"
        resources = [
            Resource(name, f"{stem}-{name}.csv", made[name], data[name]) for name in RESOURCES
        ]
        write_package(out, stem, resources, f"Prestatieafspraken {YEAR} {naam}")
        total += len(rows)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="10 gemeenten, one run")
    parser.add_argument("--gemeenten", type=int, default=340)
    parser.add_argument("--corporaties", type=int, default=3)
    parser.add_argument("--afspraken", type=int, default=100)
    parser.add_argument("--out", type=Path, default=RESULTS / "verzamel.json")
    args = parser.parse_args(argv)
    gemeenten = 10 if args.quick else args.gemeenten
    with tempfile.TemporaryDirectory(prefix="pa-sheets-bench-") as temp:
        work = Path(temp)
        print(f"Pakketten maken ({gemeenten} gemeenten) ...", file=sys.stderr)
        rows = make_packages(work / "websites", gemeenten, args.corporaties, args.afspraken)
        start, cpu = time.perf_counter(), time.process_time()
        stacked = verzamel([work / "websites"], work / "landelijk")
        stack_s = time.perf_counter() - start
        stack_cpu_s = time.process_time() - cpu  # DuckDB's threads are this process's
        assert stacked.rows["afspraken"] == rows, (stacked.rows, rows)
        glob = f"{work}/landelijk/afspraken/**/*.parquet"
        with duckdb.connect() as db:
            start = time.perf_counter()
            counted = db.execute(
                f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = true)"
            ).fetchall()[0][0]
            count_s = time.perf_counter() - start
            start = time.perf_counter()
            answer = db.execute(QUERY.format(out=work / "landelijk", year=YEAR)).fetchall()
            query_s = time.perf_counter() - start
        assert counted == rows
    result = {
        "pa_sheets": __version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cores": available_cores(),
        "gemeenten": gemeenten,
        "corporaties": args.corporaties,
        "afspraken_per_corporatie": args.afspraken,
        "rows": rows,
        "verzamel_s": round(stack_s, 3),
        "verzamel_cpu_s": round(stack_cpu_s, 3),
        "load_average": os.getloadavg()[0],
        "count_s": round(count_s, 3),
        "query_s": round(query_s, 3),
        "query_groups": len(answer),
        "goal_verzamel_s": GOAL_STACK_S,
        "goal_count_s": GOAL_COUNT_S,
        "ratio_verzamel_goal": round(stack_s / GOAL_STACK_S, 3),
        "ratio_count_goal": round(count_s / GOAL_COUNT_S, 3),
    }
    print(
        f"{gemeenten} gemeenten x {args.corporaties} corporaties x {args.afspraken} afspraken "
        f"= {rows} rijen, {available_cores()} cores\n"
        f"  verzamel: {stack_s:6.2f} s  (doel <= {GOAL_STACK_S:.0f} s, "
        f"{result['ratio_verzamel_goal']:.2f} van het doel; cpu {stack_cpu_s:.2f} s, "
        f"load {os.getloadavg()[0]:.1f})\n"
        f"  count:    {count_s:6.3f} s  (doel <= {GOAL_COUNT_S:.0f} s)\n"
        f"  query:    {query_s:6.3f} s  ({len(answer)} gemeenten)"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\n{args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

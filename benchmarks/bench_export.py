"""Analysts' exports benchmark: the rate panel against one tariff stack per day, Arrow tables
against the JSON writer, and SQL over the panel's Parquet dataset.

Measures, through the public API only (``tradetruce`` and ``tradetruce.export``):

* **rate panel**: ``rate_panel`` for ``--products`` HS codes x ``--origins`` origins into one
  importer over ``--years`` years, on a generated scenario of ``--measures`` measures
  (``benchmarks/generate.py``): its build time, the Python memory it peaks at (tracemalloc),
  the Arrow memory it holds and its rows;
* against the **daily approach**, one ``Scenario.tariff_stack`` call per flow and day, the way
  a day-by-day tracker is filled. Timing every call would take hours, so ``--daily-sample``
  calls on random flows and days are timed and the whole is *extrapolated* (the printout says
  so);
* **entries to Arrow**: ``entries_table`` of a ``--entries-size``-measure scenario against
  ``tradetruce.to_json`` of the same scenario (best of ``--repeat``);
* **DuckDB over Parquet**: the panel written with ``write_panel_dataset``, then a query over the
  dataset (time-weighted average and highest rate by year, origin and legal basis), best of
  ``--repeat``;
* with ``--spark``, the same query by Apache Spark on a local session (when pyspark and Java are
  installed): the session's start and the query, apart.

    python benchmarks/bench_export.py                     # the sizes the docs quote (minutes)
    python benchmarks/bench_export.py --smoke             # a quick run for CI
    python benchmarks/bench_export.py --products 2000 --entries-size 20000 --json export.json

This is a benchmark, not a test: it checks only that the panel's sampled figures are the
stack's.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import HS_CHAPTERS, make_scenario

import tradetruce as tt
from tradetruce.export import entries_table, rate_panel, write_panel_dataset
from tradetruce.export.extras import require

QUERY = """
SELECT importer, year, origin, legal_basis,
       count(DISTINCT product) AS products,
       sum(low * (epoch_us(valid_to) - epoch_us(valid_from)))
           / sum(epoch_us(valid_to) - epoch_us(valid_from)) AS avg_low,
       max(high) AS max_high
FROM read_parquet('{path}/**/*.parquet', hive_partitioning = true)
WHERE measure IS NOT NULL
GROUP BY ALL ORDER BY ALL
"""


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs, in seconds, and the last result."""
    fastest, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, result


def products(n: int) -> list[str]:
    """``n`` distinct six-digit HS codes across the generator's chapters."""
    codes = [f"{ch}{i:04d}" for i in range(10_000) for ch in HS_CHAPTERS]
    return codes[:n]


def max_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000


def panel_figures(args: argparse.Namespace) -> dict[str, Any]:
    pa = require("pyarrow")
    scenario = make_scenario(args.measures, max(100, 2 * args.origins), args.seed)
    tariffs = [m for m in scenario.measures if m.kind is tt.MeasureKind.TARIFF]
    counts: dict[str, int] = {}
    for m in tariffs:
        counts[m.imposed_by] = counts.get(m.imposed_by, 0) + 1
    importer = max(counts, key=lambda p: counts[p])
    # The importer's trading partners with measures on them first, as a tracker lists them.
    targeted = [t for m in tariffs if m.imposed_by == importer for t in m.targets]
    others = [p.id for p in scenario.parties]
    origins = [p for p in dict.fromkeys([*targeted, *others]) if p != importer][: args.origins]
    codes = products(args.products)
    start = _dt.datetime(2022, 1, 1, tzinfo=_dt.UTC)
    end = _dt.datetime(2022 + args.years, 1, 1, tzinfo=_dt.UTC)
    scenario.at(start)  # the scenario's time index, built once for both approaches

    def build() -> Any:
        return rate_panel(
            scenario, importers=importer, origins=origins, products=codes, start=start, end=end
        )

    gc.collect()
    arrow_before = pa.total_allocated_bytes()
    t0 = time.perf_counter()
    panel = build()
    seconds = time.perf_counter() - t0
    arrow_held = pa.total_allocated_bytes() - arrow_before
    # Memory in a second build (tracemalloc slows Python down, so it is not timed).
    tracemalloc.start()
    build()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # The daily approach, timed on a sample and extrapolated.
    rng = random.Random(args.seed)
    days = (end - start).days
    sample = [
        (rng.choice(origins), rng.choice(codes), start + _dt.timedelta(days=rng.randrange(days)))
        for _ in range(args.daily_sample)
    ]
    t0 = time.perf_counter()
    stacks = [scenario.tariff_stack(importer, o, p, t) for o, p, t in sample]
    per_call = (time.perf_counter() - t0) / len(sample)
    flows = len(origins) * len(codes)
    daily = per_call * flows * days

    # Check the panel against the sampled stacks (not timed).
    pc = require("pyarrow.compute")
    wanted = pc.and_(
        pc.is_in(panel.column("origin").cast(pa.string()), pa.array([o for o, _, _ in sample])),
        pc.is_in(panel.column("product").cast(pa.string()), pa.array([p for _, p, _ in sample])),
    )
    totals: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in panel.filter(pc.and_(wanted, pc.is_null(panel.column("measure")))).to_pylist():
        totals.setdefault((r["origin"], r["product"]), []).append(r)
    for (o, p, t), stack in zip(sample, stacks, strict=True):
        for r in totals[o, p]:
            if r["valid_from"] <= t < r["valid_to"]:
                assert (r["low"], r["high"]) == (stack.total, stack.highest), (o, p, t)

    return {
        "scenario": {"measures": args.measures, "tariffs": len(tariffs), "seed": args.seed},
        "importer": importer,
        "origins": len(origins),
        "products": len(codes),
        "years": args.years,
        "flows": flows,
        "rows": panel.num_rows,
        "build_seconds": seconds,
        "python_peak_mb": peak / 1e6,
        "arrow_held_mb": arrow_held / 1e6,
        "max_rss_mb": max_rss_mb(),
        "daily": {
            "calls_timed": len(sample),
            "seconds_per_call": per_call,
            "calls_needed": flows * days,
            "extrapolated_seconds": daily,
        },
        "panel": panel,
    }


def entries_figures(args: argparse.Namespace) -> dict[str, Any]:
    scenario = make_scenario(args.entries_size, max(100, args.entries_size // 100), args.seed)
    entries = sum(len(e.history) for e in scenario.entities())
    arrow_s, table = best(lambda: entries_table(scenario), args.repeat)
    json_s, text = best(lambda: tt.to_json(scenario), args.repeat)
    return {
        "measures": args.entries_size,
        "entries": entries,
        "arrow_seconds": arrow_s,
        "to_json_seconds": json_s,
        "arrow_mb": table.nbytes / 1e6,
        "json_mb": len(text.encode()) / 1e6,
    }


def duckdb_figures(panel: Any, folder: Path, repeat: int) -> dict[str, Any]:
    duckdb = require("duckdb")
    t0 = time.perf_counter()
    write_panel_dataset(panel, folder)
    write = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    con = duckdb.connect()
    query = QUERY.format(path=folder)
    seconds, rows = best(lambda: con.sql(query).fetchall(), repeat)
    return {
        "write_dataset_seconds": write,
        "dataset_mb": size / 1e6,
        "files": sum(1 for _ in folder.rglob("*.parquet")),
        "query_seconds": seconds,
        "result_rows": len(rows),
    }


def spark_figures(folder: Path) -> dict[str, Any] | None:
    """The same query by a local Spark session, or ``None`` without pyspark or Java."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
        return None
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    t0 = time.perf_counter()
    sql = require("pyspark.sql")
    spark = (
        sql.SparkSession.builder.master("local[*]")
        .appName("tradetruce bench")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter() - t0
    spark.read.parquet(str(folder)).createOrReplaceTempView("panel")
    query = QUERY.format(path=folder).replace(
        f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)", "panel"
    )
    query = query.replace("epoch_us", "unix_micros").replace("GROUP BY ALL ORDER BY ALL", "")
    query += "GROUP BY importer, year, origin, legal_basis ORDER BY 1, 2, 3, 4"
    t0 = time.perf_counter()
    rows = spark.sql(query).collect()
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    spark.sql(query).collect()
    second = time.perf_counter() - t0
    spark.stop()
    return {
        "session_start_seconds": started,
        "first_query_seconds": first,
        "second_query_seconds": second,
        "result_rows": len(rows),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--products", type=int, default=10_000, help="HS codes in the panel")
    parser.add_argument("--origins", type=int, default=50, help="origins in the panel")
    parser.add_argument("--measures", type=int, default=1_000, help="measures of the scenario")
    parser.add_argument("--years", type=int, default=2, help="years the panel covers")
    parser.add_argument(
        "--entries-size", type=int, default=100_000, help="measures of the entries scenario"
    )
    parser.add_argument("--daily-sample", type=int, default=2_000, help="stack calls timed")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--spark", action="store_true", help="also time Apache Spark")
    parser.add_argument(
        "--smoke", action="store_true", help="small sizes: a check that it runs, for CI"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the figures to FILE")
    args = parser.parse_args(argv)
    if args.smoke:
        args.products, args.origins, args.measures = 200, 10, 200
        args.entries_size, args.daily_sample, args.repeat = 2_000, 200, 1

    print(
        f"rate panel: {args.products} products x {args.origins} origins, {args.years} years, "
        f"{args.measures}-measure scenario"
    )
    figures = panel_figures(args)
    panel = figures.pop("panel")
    daily = figures["daily"]
    print(f"  panel built in        {figures['build_seconds']:9.2f} s  ({figures['rows']} rows)")
    print(
        f"  memory                {figures['python_peak_mb']:9.1f} MB Python peak "
        f"(tracemalloc), {figures['arrow_held_mb']:.1f} MB Arrow, "
        f"{figures['max_rss_mb']:.0f} MB process peak so far"
    )
    print(
        f"  one stack per day     {daily['extrapolated_seconds']:9.0f} s  EXTRAPOLATED from "
        f"{daily['calls_timed']} timed calls ({daily['seconds_per_call'] * 1e6:.0f} us each) to "
        f"{daily['calls_needed']} calls"
    )
    ratio = daily["extrapolated_seconds"] / figures["build_seconds"]
    print(f"  ratio, daily / panel  {ratio:9.0f} x")

    print(f"\nentries to Arrow: {args.entries_size}-measure scenario")
    entries = entries_figures(args)
    print(
        f"  entries_table         {entries['arrow_seconds']:9.2f} s  ({entries['entries']} rows, "
        f"{entries['arrow_mb']:.0f} MB)"
    )
    print(
        f"  to_json               {entries['to_json_seconds']:9.2f} s  "
        f"({entries['json_mb']:.0f} MB of text)"
    )
    print(
        f"  ratio, to_json / Arrow {entries['to_json_seconds'] / entries['arrow_seconds']:8.2f} x"
    )

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "panel"
        print("\nDuckDB over the panel's Parquet dataset")
        db = duckdb_figures(panel, folder, args.repeat)
        print(
            f"  dataset written in    {db['write_dataset_seconds']:9.2f} s  "
            f"({db['files']} files, {db['dataset_mb']:.1f} MB)"
        )
        print(f"  query                 {db['query_seconds']:9.3f} s  ({db['result_rows']} rows)")
        spark = spark_figures(folder) if args.spark else None
        if args.spark:
            if spark is None:
                print("\nSpark: skipped (needs pyspark and a Java runtime)")
            else:
                print("\nSpark (local session) over the same dataset")
                print(f"  session start         {spark['session_start_seconds']:9.2f} s")
                print(f"  first query           {spark['first_query_seconds']:9.2f} s")
                print(f"  second query          {spark['second_query_seconds']:9.2f} s")

    if args.json is not None:
        record = {
            "panel": figures,
            "entries": entries,
            "duckdb": db,
            "spark": spark,
            "repeat": args.repeat,
            "machine": {
                "python": f"{platform.python_implementation()} {platform.python_version()}",
                "platform": platform.platform(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
                "tradetruce": tt.__version__,
                "pyarrow": require("pyarrow").__version__,
                "duckdb": require("duckdb").__version__,
            },
        }
        args.json.write_text(json.dumps(record, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

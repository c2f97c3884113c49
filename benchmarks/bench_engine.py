"""Time-engine benchmark: the scenario's indexed queries against a naive fold, in the same run.

Measures, on the generated scenario (``benchmarks/generate.py``, 100,000 measures by default),
through the public API only:

* the first ``scenario.at(t)`` on a new Scenario object, which builds the scenario's index
  ("first view, index included"), and likewise the first ``upcoming_deadlines`` and the first
  ``changes`` query, each of which builds its own part of the index;
* a whole-scenario point-in-time view (the snapshot of every entity at ``t``), and the same view
  with every state object assembled;
* a 30-day deadline query;
* a 3-day ``changes`` query;

each next to a naive scan that folds every entity's history with the entity's own public
``reading_at``, and prints the ratios. Query times are spread over the scenario's years; each
figure is the best of ``--repeat`` runs (the machine is shared, and the best run is the least
disturbed one). All runs share one process, so time values' cached bounds are warm for both
sides after the first naive scan (warm against warm); the first round of the first view, which
also pays any module the index imports on first use, is reported apart.

    python benchmarks/bench_engine.py             # the 100,000-measure scenario
    python benchmarks/bench_engine.py --size 2000 # a quick smoke run (CI)
    python benchmarks/bench_engine.py --size 20000 --json engine.json

This is a benchmark, not a test: it asserts only that both sides give the same answers.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import pendulum

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_scenario

import tradetruce as tt

WINDOW = pendulum.duration(days=30)
SPAN = pendulum.duration(days=3)
OPEN = (tt.DeadlineStatus.PENDING, tt.DeadlineStatus.EXTENDED)
WATCHED = ("numpy", "pycountry")


def best(
    fn: Callable[[], Any], repeat: int, before: Callable[[], object] | None = None
) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs, in seconds, and the last result (``before`` runs
    ahead of each, untimed)."""
    fastest, result = float("inf"), None
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        result = fn()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, result


def query_times(n: int) -> list[_dt.datetime]:
    """Instants spread over the generated scenario's years (2018 onwards), in UTC."""
    first = pendulum.datetime(2018, 6, 1, tz="UTC")
    return [first.add(days=int(i * 2400 / max(1, n - 1))) for i in range(n)]


# ------------------------------------------------------------------------------- naive scans
# Each folds every history with the entity's public reading_at, as a user without the index
# would; reading_at takes the query time in any accepted form, so it converts it every call.
def naive_view(s: tt.Scenario, t: _dt.datetime) -> dict[str, Any]:
    published = s.published
    return {e.id: e.reading_at(t, published=published) for e in s.entities()}


def naive_upcoming(s: tt.Scenario, start: _dt.datetime, end: _dt.datetime) -> list[str]:
    """The rule of ``upcoming_deadlines``: an open (or maybe open) deadline, listed by the first
    of its possible due times that meets the window: the due time as it stood at ``start``, then
    each one that an entry spanning ``start`` (which may or may not have happened) sets."""
    published = s.published
    found = []
    for d in s.deadlines:
        reading = d.reading_at(start, published=published)
        if not any(c in OPEN for c in reading.candidates):
            continue
        due = next((e.due for e in reversed(reading.entries) if e.due is not None), None)
        possible = [] if due is None else [due]
        possible += [e.due for e in reading.pending if e.due is not None and e.due not in possible]
        meets = next((w for w in possible if w.upper >= start and w.lower <= end), None)
        if meets is not None:
            found.append((meets.lower, meets.upper, d.id))
    return [i for *_, i in sorted(found)]


def naive_changes(s: tt.Scenario, t1: _dt.datetime, t2: _dt.datetime) -> set[tuple[str, int]]:
    published = s.published
    found = set()
    for e in s.entities():
        for entry in e.reading_at(None, published=published).entries:
            if entry.at.upper > t1 and entry.at.lower <= t2:
                found.add((e.id, id(entry)))
    return found


def all_states(s: tt.Scenario, t: _dt.datetime) -> list[Any]:
    """The view at ``t`` with every state object assembled."""
    return [st.status for _, g in s.at(t).groups() for st in g.values()]


# ----------------------------------------------------------------------------------- report
def row(name: str, indexed: float, naive: float | None) -> str:
    def ms(x: float) -> str:
        return f"{x * 1000:10.3f} ms"

    ratio = "" if naive is None else f"{naive / indexed:10.1f}x"
    return f"{name:<42}{ms(indexed)}{'' if naive is None else ms(naive)}{ratio}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=100_000, help="number of measures")
    parser.add_argument("--queries", type=int, default=5, help="query times to try")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best kept)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to FILE")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    scenario = make_scenario(args.size)
    made = time.perf_counter() - start
    n_entities = len(scenario.measures) + len(scenario.deadlines) + len(scenario.negotiations)
    print(
        f"scenario: {len(scenario.measures)} measures, {len(scenario.deadlines)} deadlines, "
        f"{len(scenario.negotiations)} negotiations ({made:.1f} s to generate)"
    )
    print(f"Python {sys.version.split()[0]}, tradetruce {tt.__version__}")
    print()
    print(f"{'':<42}{'indexed':>13}{'naive scan':>13}{'ratio':>11}")

    times = query_times(args.queries)
    t0, t0_end, t0_span = times[0], times[0] + WINDOW, times[0] + SPAN
    loaded_before = [m for m in WATCHED if m in sys.modules]

    # The first query on a new Scenario object builds that object's index (a scenario is
    # immutable; a changed one is a new object with a new index). Each round takes a new copy
    # (attrs.evolve, untimed; it validates the scenario again), and a full collection first:
    # otherwise a round may pay for collecting what generating the scenario or an earlier round
    # left behind. The copies share their entities, so only the first round computes the time
    # values' bounds and imports what the index imports on first use: it is reported apart.
    first: dict[str, float] = {"view": float("inf"), "upcoming": float("inf")}
    first["changes"] = float("inf")
    first_round: float | None = None
    for _ in range(args.repeat):
        fresh = attrs.evolve(scenario)
        gc.collect()
        start = time.perf_counter()
        fresh.at(t0)
        elapsed = time.perf_counter() - start
        first_round = elapsed if first_round is None else first_round
        first["view"] = min(first["view"], elapsed)
        start = time.perf_counter()
        fresh.upcoming_deadlines(t0, WINDOW)
        first["upcoming"] = min(first["upcoming"], time.perf_counter() - start)
        start = time.perf_counter()
        fresh.changes(t0, t0_span)
        first["changes"] = min(first["changes"], time.perf_counter() - start)
        del fresh
    loaded_by_index = [m for m in WATCHED if m in sys.modules and m not in loaded_before]

    naive_view(scenario, t0)  # warm every When's cached bounds: compare warm with warm
    naive_first = {
        "view": best(partial(naive_view, scenario, t0), 1)[0],
        "upcoming": best(partial(naive_upcoming, scenario, t0, t0_end), 1)[0],
        "changes": best(partial(naive_changes, scenario, t0, t0_span), 1)[0],
    }
    assert first_round is not None
    print(row("first view, index included", first["view"], naive_first["view"]))
    print(row("  first round in this process", first_round, None))
    print(
        row("first deadline query, its index included", first["upcoming"], naive_first["upcoming"])
    )
    print(row("first changes query, its index included", first["changes"], naive_first["changes"]))

    # Steady state: the scenario's own index, built by the first query below.
    scenario.at(t0)
    scenario.upcoming_deadlines(t0, WINDOW)
    scenario.changes(t0, t0_span)
    view_t = view_all = naive_t = float("inf")
    up_t = up_naive = ch_t = ch_naive = float("inf")
    for t in times:
        end, t2 = t + WINDOW, t + SPAN
        elapsed, got = best(partial(scenario.at, t), args.repeat)
        view_t = min(view_t, elapsed)
        view_all = min(view_all, best(partial(all_states, scenario, t), args.repeat)[0])
        elapsed, want = best(partial(naive_view, scenario, t), 1)
        naive_t = min(naive_t, elapsed)
        for e in list(scenario.entities())[:: max(1, n_entities // 500)]:
            assert got[e.id].candidates == want[e.id].candidates, e.id

        elapsed, found = best(partial(scenario.upcoming_deadlines, t, WINDOW), args.repeat * 20)
        up_t = min(up_t, elapsed)
        elapsed, want_up = best(partial(naive_upcoming, scenario, t, end), 1)
        up_naive = min(up_naive, elapsed)
        assert [u.deadline for u in found] == want_up, (t, found, want_up)

        elapsed, got_changes = best(partial(scenario.changes, t, t2), args.repeat)
        ch_t = min(ch_t, elapsed)
        elapsed, want_changes = best(partial(naive_changes, scenario, t, t2), 1)
        ch_naive = min(ch_naive, elapsed)
        assert {(c.entity, id(c.entry)) for c in got_changes} == want_changes

    print(row("whole-scenario view (snapshot)", view_t, naive_t))
    print(row("  ... with every state assembled", view_all, naive_t))
    print(row("deadline query, 30 days", up_t, up_naive))
    print(row("changes query, 3 days", ch_t, ch_naive))
    print()
    if loaded_by_index:
        print(f"modules the first query imported: {', '.join(loaded_by_index)}")
    print(
        "targets: first view (index included) < 500 ms, view < 20 ms, deadline query < 1 ms "
        "(at 100,000 measures)"
    )

    if args.json is not None:

        def pair(indexed: float, naive_s: float) -> dict[str, float]:
            return {"indexed": indexed, "naive": naive_s}

        record = {
            "size": args.size,
            "queries": args.queries,
            "repeat": args.repeat,
            "entities": n_entities,
            "seconds": {
                "first_view_index_included": pair(first["view"], naive_first["view"]),
                "first_view_first_round": first_round,
                "first_upcoming_index_included": pair(first["upcoming"], naive_first["upcoming"]),
                "first_changes_index_included": pair(first["changes"], naive_first["changes"]),
                "view": pair(view_t, naive_t),
                "view_all_states": pair(view_all, naive_t),
                "upcoming_30_days": pair(up_t, up_naive),
                "changes_3_days": pair(ch_t, ch_naive),
            },
            "modules_loaded_by_first_query": loaded_by_index,
            "machine": {
                "python": f"{platform.python_implementation()} {platform.python_version()}",
                "platform": platform.platform(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
                "tradetruce": tt.__version__,
            },
        }
        args.json.write_text(json.dumps(record, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

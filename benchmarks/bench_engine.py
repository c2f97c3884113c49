"""Time-engine benchmark: the lazy index against a naive full scan, in the same run.

Measures, on the generated scenario (``benchmarks/generate.py``, 100,000 measures by default):

* the one-time index build (folding every history once, and the deadline index);
* a whole-scenario point-in-time view (the snapshot of every entity at ``t``), and the same view
  with every state object assembled;
* a 30-day deadline query;
* a 3-day ``changes`` query;

each next to a naive full scan that folds every history with ``tradetruce.model.history.read``, and
prints the ratios. Query times are spread over the scenario's years; each figure is the best of
``--repeat`` runs (the machine is shared, and the best run is the least disturbed one).

    python benchmarks/bench_engine.py             # the 100,000-measure scenario
    python benchmarks/bench_engine.py --size 2000 # a quick smoke run (CI)

This is a benchmark, not a test: it asserts only that both sides give the same answers.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pendulum

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_scenario

import tradetruce as tt
from tradetruce.engine.timeline import Index
from tradetruce.model.history import read

WINDOW = pendulum.duration(days=30)
OPEN = (tt.DeadlineStatus.PENDING, tt.DeadlineStatus.EXTENDED)


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
def naive_view(s: tt.Scenario, t: _dt.datetime) -> dict[str, Any]:
    published = s.published
    return {e.id: read(e.history, t, None, published) for e in s.entities()}


def naive_upcoming(s: tt.Scenario, start: _dt.datetime, end: _dt.datetime) -> list[str]:
    published = s.published
    found = []
    for d in s.deadlines:
        reading = read(d.history, start, None, published)
        due = next((e.due for e in reversed(reading.entries) if e.due is not None), None)
        if due is None or not any(c in OPEN for c in reading.candidates):
            continue
        if due.upper >= start and due.lower <= end:
            found.append((due.lower, due.upper, d.id))
    return [i for *_, i in sorted(found)]


def naive_changes(s: tt.Scenario, t1: _dt.datetime, t2: _dt.datetime) -> set[tuple[str, int]]:
    published = s.published
    found = set()
    for e in s.entities():
        for entry in read(e.history, None, None, published).entries:
            if entry.at.upper > t1 and entry.at.lower <= t2:
                found.add((e.id, id(entry)))
    return found


# ----------------------------------------------------------------------------------- report
def row(name: str, indexed: float, naive: float | None) -> str:
    def ms(x: float) -> str:
        return f"{x * 1000:10.3f} ms"

    ratio = "" if naive is None else f"{naive / indexed:10.1f}x"
    return f"{name:<38}{ms(indexed)}{'' if naive is None else ms(naive)}{ratio}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=100_000, help="number of measures")
    parser.add_argument("--queries", type=int, default=5, help="query times to try")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best kept)")
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
    print(f"{'':<38}{'indexed':>13}{'naive scan':>13}{'ratio':>11}")

    def build() -> Index:
        index = Index(scenario)
        index.dues  # noqa: B018  (the deadline index is part of the build)
        return index

    # A full collection first: otherwise a build may pay for collecting what generating the
    # scenario left behind (runs then ranged from 1x to 2x the best).
    build_time, _ = best(build, args.repeat, before=gc.collect)
    first_view = scenario._engine  # the scenario's own lazy index, used below
    first_view.dues  # noqa: B018
    times = query_times(args.queries)

    naive_view(scenario, times[0])  # warm every When's cached bounds: compare warm with warm
    naive_one, _ = best(lambda: naive_view(scenario, times[0]), 1)
    print(row("index build (once per scenario)", build_time, naive_one))

    view_t = view_all = naive_t = float("inf")
    up_t = up_naive = ch_t = ch_naive = float("inf")
    for t in times:
        elapsed, view = best(lambda t=t: scenario.at(t), args.repeat)
        view_t = min(view_t, elapsed)
        elapsed, _ = best(
            lambda t=t: [st.status for _, g in scenario.at(t).groups() for st in g.values()],
            args.repeat,
        )
        view_all = min(view_all, elapsed)
        elapsed, naive = best(lambda t=t: naive_view(scenario, t), 1)
        naive_t = min(naive_t, elapsed)
        for e in list(scenario.entities())[:: max(1, n_entities // 500)]:
            assert view[e.id].candidates == naive[e.id].candidates, e.id

        end = t + WINDOW
        elapsed, found = best(
            lambda t=t: scenario.upcoming_deadlines(t, WINDOW),
            args.repeat * 20,
        )
        up_t = min(up_t, elapsed)
        elapsed, want = best(lambda t=t, end=end: naive_upcoming(scenario, t, end), 1)
        up_naive = min(up_naive, elapsed)
        assert [u.deadline for u in found] == want, (t, found, want)

        t2 = t + pendulum.duration(days=3)
        scenario.changes(t, t2)  # the entry index is built on the first changes query
        elapsed, changes = best(lambda t=t, t2=t2: scenario.changes(t, t2), args.repeat)
        ch_t = min(ch_t, elapsed)
        elapsed, want_changes = best(lambda t=t, t2=t2: naive_changes(scenario, t, t2), 1)
        ch_naive = min(ch_naive, elapsed)
        assert {(c.entity, id(c.entry)) for c in changes} == want_changes

    print(row("whole-scenario view (snapshot)", view_t, naive_t))
    print(row("  ... with every state assembled", view_all, naive_t))
    print(row("deadline query, 30 days", up_t, up_naive))
    print(row("changes query, 3 days", ch_t, ch_naive))
    print()
    print("targets: index build < 500 ms, view < 20 ms, deadline query < 1 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

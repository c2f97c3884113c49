"""Importing is cheap: ``import tradetruce`` loads the model and nothing heavy, and the
Hypothesis plugin adds next to nothing to ``import hypothesis``.

Each figure is measured in fresh interpreters, as the best of several runs taken in turn with
its baseline, and asserted only as a ratio against that baseline with a generous margin: the
targets themselves (1.5x ``import attrs, cattrs, pendulum``; 10 ms over ``import hypothesis``
without plugins) are benchmark figures, not timed here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

RUNS = 7


def run_python(
    code: str, env: Mapping[str, str] | None = None, *options: str
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *options, "-c", code],
        env=None if env is None else {**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def best_times(cache: Path, *runs: tuple[str, Mapping[str, str] | None]) -> list[float]:
    """The best wall time of each (code, environment) over RUNS rounds, less the interpreter's
    own start-up. The runs of a round are taken in turn, so that they share the machine's noise;
    bytecode is cached under ``cache`` (whatever PYTHONDONTWRITEBYTECODE says), as an installed
    package's is, and a first round that fills the cache is not counted."""
    runs = (("pass", None), *runs)
    options = ("-X", f"pycache_prefix={cache}")
    best = [float("inf")] * len(runs)
    for round_ in range(RUNS + 1):
        for i, (code, env) in enumerate(runs):
            start = time.perf_counter()
            run_python(code, {**(env or {}), "PYTHONDONTWRITEBYTECODE": ""}, *options)
            if round_:
                best[i] = min(best[i], time.perf_counter() - start)
    startup, *rest = best
    return [t - startup for t in rest]


def modules_after(code: str, env: Mapping[str, str] | None = None) -> set[str]:
    done = run_python(f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))", env)
    return set(json.loads(done.stdout.splitlines()[-1]))


# -------------------------------------------------------------------------------- tradetruce
def test_importing_tradetruce_loads_no_heavy_or_wire_dependency() -> None:
    loaded = modules_after("import tradetruce")
    heavy = {"numpy", "pycountry", "cattrs", "msgspec", "tomli_w", "hypothesis"}
    assert not heavy & loaded, sorted(heavy & loaded)
    wire = {m for m in loaded if m.startswith("tradetruce.wire")}
    assert not wire, sorted(wire)


def test_the_first_use_of_a_serializer_loads_the_wire_formats() -> None:
    code = (
        "import sys, tradetruce as tt\n"
        "assert 'tradetruce.wire.serialize' not in sys.modules\n"
        "print(tt.to_json(tt.Rate.percent('7.5'), indent=None))\n"
    )
    loaded = modules_after(code)
    assert {"tradetruce.wire.serialize", "cattrs", "msgspec"} <= loaded


def test_importing_tradetruce_costs_under_two_and_a_half_times_attrs_cattrs_and_pendulum(
    tmp_path: Path,
) -> None:
    peers, ours = best_times(
        tmp_path, ("import attrs, cattrs, pendulum", None), ("import tradetruce", None)
    )
    assert ours < 2.5 * peers, f"import tradetruce {ours * 1e3:.1f} ms, peers {peers * 1e3:.1f} ms"


# -------------------------------------------------------------------------------- hypothesis
def test_importing_hypothesis_does_not_import_tradetruce() -> None:
    loaded = modules_after("import hypothesis")
    ours = {m for m in loaded if m.startswith("tradetruce")}
    assert not ours, sorted(ours)


def test_the_plugin_adds_almost_nothing_to_importing_hypothesis() -> None:
    # What the entry point costs ``import hypothesis`` is loading its module and running its
    # hook; both are timed in a fresh process where tradetruce is not imported (comparing two
    # whole imports of hypothesis would measure the machine's load more than the hook).
    # benchmarks/bench_import.py records the whole-import figures.
    code = (
        "import time\n"
        "t = time.perf_counter()\n"
        "import _tradetruce_hypothesis\n"
        "_tradetruce_hypothesis._hypothesis_setup_hook()\n"
        "spent = time.perf_counter() - t\n"
        "import sys\n"
        "assert not [m for m in sys.modules if m.startswith('tradetruce')], 'tradetruce loaded'\n"
        "print(spent)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    spent = float(done.stdout)
    assert spent < 0.010, f"the hook took {spent * 1e3:.1f} ms"

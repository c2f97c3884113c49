"""Import-time benchmark: ``import tradetruce``, and what it adds to ``import hypothesis``.

Every figure comes from fresh interpreters (best of ``--repeat``, rounds taken in turn), so no
module is already imported:

* ``import tradetruce`` against ``import attrs, cattrs, pendulum`` (its core dependencies), and
  the ratio (target: at most 1.5x);
* ``import hypothesis`` in this environment, where Hypothesis runs every ``hypothesis`` entry
  point while it is imported (tradetruce registers one to add its strategies), against the same
  import with ``HYPOTHESIS_NO_PLUGINS=1``, the variable ``hypothesis/entry_points.py`` checks
  before it loads any entry point; the difference is the plugin's cost (target: at most 10 ms);
* which of numpy, pycountry, msgspec, cattrs and hypothesis are in ``sys.modules`` after
  ``import tradetruce`` (numpy and pycountry should not be).

Times are read from ``python -X importtime``: the cumulative time of every top-level import
made by the ``-c`` statement (the interpreter's own start-up is left out). A second figure, the
wall time around the import statement inside the child (``time.perf_counter``, without
``-X importtime`` and its small overhead), is printed next to it as a cross-check.

    python benchmarks/bench_import.py
    python benchmarks/bench_import.py --repeat 11 --json import.json
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

MARK = "--- bench_import: the statement starts here ---"
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "tradetruce": ("tradetruce", {}),
    "attrs_cattrs_pendulum": ("attrs, cattrs, pendulum", {}),
    "hypothesis": ("hypothesis", {}),
    "hypothesis_no_plugins": ("hypothesis", {"HYPOTHESIS_NO_PLUGINS": "1"}),
}
WATCHED = ("numpy", "pycountry", "msgspec", "cattrs", "hypothesis")
MUST_NOT_IMPORT = ("numpy", "pycountry")
TARGET_RATIO = 1.5
TARGET_PLUGIN_MS = 10.0


#: Where the children keep compiled bytecode: every package is measured as an installed one is
#: imported, from cached bytecode (a checkout with PYTHONDONTWRITEBYTECODE=1 would otherwise
#: compile tradetruce's source in every child, and no installed dependency's).
PYCACHE = tempfile.mkdtemp(prefix="tradetruce-bench-pycache-")


def child_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    env.update(extra)
    return env


def run(
    python: str, args: Sequence[str], extra: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [python, *args], capture_output=True, text=True, env=child_env(extra), check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{python} {' '.join(args)} failed:\n{proc.stderr}")
    return proc


def parse_importtime(stderr: str) -> list[tuple[int, int, int, str]]:
    """``(depth, self_us, cumulative_us, module)`` for every import after the mark."""
    lines = stderr.splitlines()
    start = lines.index(MARK) + 1
    rows = []
    for line in lines[start:]:
        if not line.startswith("import time:"):
            continue
        self_us, cumulative, name = line[len("import time:") :].split("|")
        if not self_us.strip().isdigit():  # the header line
            continue
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        rows.append((depth, int(self_us), int(cumulative), name.strip()))
    return rows


def importtime(python: str, statement: str, extra: Mapping[str, str]) -> dict[str, Any]:
    """One fresh interpreter under ``-X importtime``: the statement's total, and its rows."""
    code = f"import sys; print({MARK!r}, file=sys.stderr, flush=True); import {statement}"
    rows = parse_importtime(run(python, ["-X", "importtime", "-c", code], extra).stderr)
    total = sum(cumulative for depth, _, cumulative, _ in rows if depth == 0)
    return {"seconds": total / 1e6, "rows": rows}


def wall(python: str, statement: str, extra: Mapping[str, str]) -> float:
    """One fresh interpreter: wall time around the import statement, measured inside it."""
    code = (
        f"import time; t = time.perf_counter(); import {statement}; print(time.perf_counter() - t)"
    )
    return float(run(python, ["-c", code], extra).stdout.split()[-1])


def entry_point_scan(python: str) -> float:
    """One fresh interpreter: the time Hypothesis's loop spends finding its entry points (the
    scan of every installed distribution's metadata), without loading any of them."""
    code = (
        "import importlib.metadata, time; t = time.perf_counter(); "
        "list(importlib.metadata.entry_points(group='hypothesis')); "
        "print(time.perf_counter() - t)"
    )
    return float(run(python, ["-c", code], {}).stdout.split()[-1])


def modules_after(python: str, statement: str, names: Sequence[str]) -> dict[str, bool]:
    """Which of ``names`` a fresh interpreter holds after the import statement."""
    code = (
        f"import {statement}; import sys; print(*(int(m in sys.modules) for m in {tuple(names)!r}))"
    )
    found = run(python, ["-c", code], {}).stdout.split()
    return {name: flag == "1" for name, flag in zip(names, found, strict=True)}


def nested(rows: list[tuple[int, int, int, str]], name: str) -> float | None:
    """Cumulative seconds of the first import of ``name``, at whatever depth."""
    return next((c / 1e6 for _, _, c, n in rows if n == name), None)


def machine(python: str) -> dict[str, Any]:
    """The interpreter and the installed versions of the measured packages."""

    def version(dist: str) -> str | None:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return None

    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": python,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "versions": {
            d: version(d) for d in ("tradetruce", "attrs", "cattrs", "pendulum", "hypothesis")
        },
        "hypothesis_entry_points": [
            f"{e.name} = {e.value}" for e in importlib.metadata.entry_points(group="hypothesis")
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=7, help="fresh interpreters per figure")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to FILE")
    args = parser.parse_args(argv)
    python = sys.executable

    info = machine(python)
    print(f"machine: {info['python']}, {info['cpus']} cores, {info['machine']}")
    print(f"hypothesis entry points installed: {info['hypothesis_entry_points']}")
    print(f"best of {args.repeat} fresh interpreters per figure\n")

    best: dict[str, float] = {}
    best_wall: dict[str, float] = {}
    fastest_rows: dict[str, list[tuple[int, int, int, str]]] = {}
    scan = float("inf")
    for statement, extra in CASES.values():  # untimed: fills the bytecode cache
        wall(python, statement, extra)
    for _ in range(args.repeat):
        for case, (statement, extra) in CASES.items():
            measured = importtime(python, statement, extra)
            if measured["seconds"] < best.get(case, float("inf")):
                best[case] = measured["seconds"]
                fastest_rows[case] = measured["rows"]
            best_wall[case] = min(best_wall.get(case, float("inf")), wall(python, statement, extra))
        scan = min(scan, entry_point_scan(python))

    def ms(seconds: float) -> str:
        return f"{seconds * 1e3:8.1f} ms"

    print(f"{'':<44}{'-X importtime':>13}{'wall':>13}")
    for case, (statement, extra) in CASES.items():
        label = f"import {statement}" + (" (plugins off)" if extra else "")
        print(f"{label:<44}{ms(best[case]):>13}{ms(best_wall[case]):>13}")

    ratio = best["tradetruce"] / best["attrs_cattrs_pendulum"]
    ratio_wall = best_wall["tradetruce"] / best_wall["attrs_cattrs_pendulum"]
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(
        f"\nimport tradetruce / import attrs, cattrs, pendulum: x{ratio:.2f} "
        f"(wall x{ratio_wall:.2f}); target at most x{TARGET_RATIO}: {verdict}"
    )
    slowest = sorted(fastest_rows["tradetruce"], key=lambda r: r[1], reverse=True)[:8]
    print("  slowest modules of import tradetruce, by their own time:")
    for _, self_us, cumulative, name in slowest:
        print(f"    {name:<40}{self_us / 1e3:7.1f} ms own {cumulative / 1e3:8.1f} ms with imports")

    overhead = best["hypothesis"] - best["hypothesis_no_plugins"]
    overhead_wall = best_wall["hypothesis"] - best_wall["hypothesis_no_plugins"]
    verdict = "met" if overhead * 1e3 <= TARGET_PLUGIN_MS else "NOT met"
    rows = fastest_rows["hypothesis"]
    # What the hook imports shows as tradetruce modules imported directly under hypothesis,
    # whatever they are called. The hook's own module is loaded by importlib.import_module,
    # which -X importtime does not report: its cost is in the rest.
    hook_imports = [
        (name, cumulative)
        for depth, _, cumulative, name in rows
        if depth == 1 and (name == "tradetruce" or name.startswith(("tradetruce.", "_tradetruce")))
    ]
    plugin = sum(cumulative for _, cumulative in hook_imports) / 1e6
    breakdown = {
        "hook_imports": plugin,
        "tradetruce": nested(rows, "tradetruce"),
        "entry_point_scan": scan,
        "rest": overhead - plugin - scan,
    }
    print(
        f"\nimport hypothesis, entry points run minus HYPOTHESIS_NO_PLUGINS=1: "
        f"{overhead * 1e3:+.1f} ms (wall {overhead_wall * 1e3:+.1f} ms); "
        f"target at most {TARGET_PLUGIN_MS:.0f} ms: {verdict}"
    )
    print(
        "  leaving out the entry-point scan, paid with or without tradetruce: "
        f"{(overhead - scan) * 1e3:+.1f} ms"
    )
    labels = {
        "hook_imports": "the hook's imports: "
        + (", ".join(name for name, _ in hook_imports) or "none"),
        "tradetruce": "  of which the package, import tradetruce",
        "entry_point_scan": "Hypothesis's entry-point scan (paid with plugins on)",
        "rest": "the rest (loading the hook module, registering, noise)",
    }
    for name, seconds in breakdown.items():
        shown = "not imported" if seconds is None else f"{seconds * 1e3:6.1f} ms"
        print(f"  {labels[name]:<60}{shown}")

    after_tt = modules_after(python, "tradetruce", WATCHED)
    after_hyp = modules_after(python, "hypothesis", (*WATCHED, "tradetruce"))
    print("\nmodules in sys.modules after import tradetruce:")
    for name, present in after_tt.items():
        flag = "  <- should not be" if present and name in MUST_NOT_IMPORT else ""
        print(f"  {name:<12}{'yes' if present else 'no'}{flag}")
    pulled = [name for name, present in after_hyp.items() if present and name != "hypothesis"]
    print(f"after import hypothesis (plugins on): {', '.join(pulled) or 'none of them'}")

    if args.json is not None:
        record = {
            "repeat": args.repeat,
            "import_seconds": {case: best[case] for case in CASES},
            "import_wall_seconds": {case: best_wall[case] for case in CASES},
            "tradetruce_ratio": ratio,
            "tradetruce_ratio_wall": ratio_wall,
            "target_ratio": TARGET_RATIO,
            "hypothesis_plugin_seconds": overhead,
            "hypothesis_plugin_wall_seconds": overhead_wall,
            "hypothesis_plugin_breakdown_seconds": breakdown,
            "hypothesis_plugin_without_scan_seconds": overhead - scan,
            "target_plugin_seconds": TARGET_PLUGIN_MS / 1e3,
            "modules_after_import_tradetruce": after_tt,
            "modules_after_import_hypothesis": after_hyp,
            "machine": info,
        }
        args.json.write_text(json.dumps(record, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

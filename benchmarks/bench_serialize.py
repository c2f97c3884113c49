"""Serialization benchmark: tradetruce against msgspec, pydantic v2 and the bare JSON parse.

For each size, one run generates one scenario (benchmarks/generate.py), writes it as compact JSON
with tradetruce to a temporary file, then measures on that same document:

* decode with full validation: tradetruce ``tt.from_json(data, tt.Scenario)``, a msgspec
  ``Decoder`` of Structs, pydantic v2 ``model_validate_json``, and ``orjson.loads`` alone (parse
  only, no validation), each as its users call it;
* encode of the objects just decoded back to JSON (``tt.to_json``, ``msgspec.json.encode``,
  ``model_dump_json``, ``orjson.dumps`` of the parsed dicts);
* both again with the cyclic garbage collector paused around the timed call, for every library
  (the benchmark pauses it; no library is asked to);
* the resident memory (RSS) of a process that has decoded the document, and the memory held by
  the decoded objects (tracemalloc).

Every timed round runs in a fresh interpreter (``--time-child``): the library is imported, the
document read from the file, a small warm-up document of 20 measures decoded and encoded untimed
(so one-time set-up such as generating converters is not counted; its time is reported apart),
then one decode and one encode of the benchmark document are timed. No round sees caches, objects
or a heap left by an earlier round or by another library. Rounds go round-robin over the
libraries, and each figure is the best of ``--repeat`` rounds. The RSS pass (``--rss-child``)
runs one more fresh interpreter per library, without a warm-up: what a process that loads one
document pays, one-time set-up included.

It prints seconds and ratios; it is a benchmark, not a timed test. ``--size 2000`` is the CI
smoke run (a few tens of seconds).

    python benchmarks/bench_serialize.py                       # 100,000 measures, 1,000 parties
    python benchmarks/bench_serialize.py --size 2000           # smoke run
    python benchmarks/bench_serialize.py --sizes 1000,20000 --json out.json
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: The libraries, by the key they have in the JSON output, and the name they have in tables.
LIBRARIES = {
    "tradetruce": "tradetruce",
    "msgspec": "msgspec",
    "pydantic": "pydantic v2",
    "orjson": "orjson (no validation)",
}
WARMUP_MEASURES = 20

Codec = tuple[Callable[[bytes], Any], Callable[[Any], Any], Callable[[Any], int]]


# ------------------------------------------------------------------------------ in the child
def codec(lib: str) -> Codec:
    """``(decode, encode, count)`` for ``lib``, each called as that library's users call it.

    Only the library in question is imported (peers.py holds both msgspec and pydantic).
    ``count`` gives the number of measures decoded, for a check of the result.
    """
    if lib in ("tradetruce", "tradetruce-general"):
        import tradetruce as tt

        def tt_decode(data: bytes) -> Any:
            return tt.from_json(data, tt.Scenario)

        def tt_decode_general(data: bytes) -> Any:
            return tt.from_dict(json.loads(data), tt.Scenario)

        def tt_encode(obj: Any) -> Any:
            return tt.to_json(obj, indent=None)

        decode = tt_decode if lib == "tradetruce" else tt_decode_general
        return decode, tt_encode, lambda obj: len(obj.measures)
    if lib == "msgspec":
        import peers

        return peers.msgspec_decoder().decode, peers.msgspec_encode, lambda obj: len(obj.measures)
    if lib == "pydantic":
        import peers

        return peers.pydantic_decode, peers.pydantic_encode, lambda obj: len(obj.measures)
    if lib == "orjson":
        import orjson

        return orjson.loads, orjson.dumps, lambda obj: len(obj["measures"])
    raise SystemExit(f"unknown library {lib!r}")


def timed(fn: Callable[[], Any], *, paused: bool) -> tuple[float, Any]:
    """Wall time of one call, and its result; the collector is paused around it if asked."""
    gc.collect()
    if paused:
        gc.disable()
    try:
        start = time.perf_counter()
        result = fn()
        return time.perf_counter() - start, result
    finally:
        gc.enable()


def time_child(lib: str, file: str, warmup: str | None, paused: bool) -> dict[str, Any]:
    decode, encode, count = codec(lib)
    setup: dict[str, float | None] = {"decode": None, "encode": None}
    if warmup is not None:
        small = Path(warmup).read_bytes()
        start = time.perf_counter()
        obj = decode(small)
        setup["decode"] = time.perf_counter() - start
        start = time.perf_counter()
        encode(obj)
        setup["encode"] = time.perf_counter() - start
        del obj, small
    data = Path(file).read_bytes()
    decode_s, obj = timed(lambda: decode(data), paused=paused)
    encode_s, out = timed(lambda: encode(obj), paused=paused)
    return {
        "decode": decode_s,
        "encode": encode_s,
        "first_call_on_warmup": setup,
        "measures": count(obj),
        "encoded_bytes": len(out),
        "heavy_modules": [m for m in ("numpy", "pycountry") if m in sys.modules],
    }


def vm_rss() -> int:
    """This process's resident set size in bytes (Linux: /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status (the RSS pass needs Linux)")


def rss_child(lib: str, file: str) -> dict[str, Any]:
    decode, _, count = codec(lib)
    data = Path(file).read_bytes()
    gc.collect()
    before = vm_rss()
    obj = decode(data)
    gc.collect()
    after = vm_rss()
    return {"rss_before": before, "rss_after": after, "measures": count(obj)}


def held_child(lib: str, file: str, warmup: str | None) -> dict[str, Any]:
    decode, _, count = codec(lib)
    if warmup is not None:
        decode(Path(warmup).read_bytes())
    data = Path(file).read_bytes()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    obj = decode(data)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return {"held": held, "measures": count(obj)}


# ----------------------------------------------------------------------------- in the parent
def run_child(*args: str) -> dict[str, Any]:
    """Run this script in a fresh interpreter with ``args``; its last stdout line is JSON."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def machine() -> dict[str, Any]:
    def version(dist: str) -> str | None:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return None

    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "versions": {d: version(d) for d in ("tradetruce", "msgspec", "pydantic", "orjson")},
    }


def check(data: bytes, text: str, scenario: Any, general: bool) -> None:
    """Untimed checks, public API only: tradetruce reads back what it wrote and what was
    generated, and writes the document msgspec writes."""
    import peers

    import tradetruce as tt

    ours = tt.from_json(data, tt.Scenario)
    assert isinstance(ours, tt.Scenario) and ours == scenario, "decode must give the scenario"
    again = tt.to_json(ours, indent=None)
    assert again == text, "writing what was read must give the same text"
    assert tt.from_json(again, tt.Scenario) == ours, "round trip must be exact"
    if general:
        assert tt.from_dict(json.loads(data), tt.Scenario) == ours, "both paths must agree"
    written = json.loads(again)
    by_msgspec = peers.msgspec_encode(peers.msgspec_decoder().decode(data))
    assert json.loads(by_msgspec) == written, "msgspec must write the same document"
    by_pydantic = peers.pydantic_encode(peers.pydantic_decode(data))
    assert json.loads(by_pydantic) == written, "pydantic must write the same document"


def measure_size(args: argparse.Namespace, size: int, tmp: Path, warmup: Path) -> dict[str, Any]:
    from generate import make_scenario

    import tradetruce as tt

    parties = args.parties or max(50, size // 100)
    t0 = time.perf_counter()
    scenario = make_scenario(size, parties, args.seed)
    text = tt.to_json(scenario, indent=None)
    data = text.encode()
    doc = tmp / f"scenario-{size}.json"
    doc.write_bytes(data)
    made = time.perf_counter() - t0
    check(data, text, scenario, args.general)
    del scenario, text, data
    gc.collect()
    info = machine()
    load = "n/a" if info["load_average"] is None else f"{info['load_average'][0]:.2f}"
    print(
        f"\n=== {size} measures, {parties} parties, {doc.stat().st_size / 1e6:.1f} MB JSON "
        f"(generated and checked in {made:.1f} s; load average {load})"
    )

    libs = list(LIBRARIES)
    if args.general:
        libs.append("tradetruce-general")
    best: dict[str, dict[str, float]] = {
        k: {} for k in ("decode", "encode", "decode_collector_paused", "encode_collector_paused")
    }
    setup: dict[str, dict[str, float]] = {"decode": {}, "encode": {}}
    heavy: dict[str, list[str]] = {}
    # Round-robin: a burst of load on the shared machine hits one round of every library,
    # not every round of one.
    for _ in range(args.repeat):
        for paused in (False, True):
            suffix = "_collector_paused" if paused else ""
            for lib in libs:
                flags = ["--warmup", str(warmup)] + (["--paused"] if paused else [])
                r = run_child("--time-child", lib, str(doc), *flags)
                assert r["measures"] == size, (lib, r["measures"])
                for what in ("decode", "encode"):
                    key = what + suffix
                    best[key][lib] = min(best[key].get(lib, float("inf")), r[what])
                    first = r["first_call_on_warmup"][what]
                    setup[what][lib] = min(setup[what].get(lib, float("inf")), first)
                heavy[lib] = r["heavy_modules"]

    record: dict[str, Any] = {"size": size, "parties": parties, "seed": args.seed}
    record["json_bytes"] = doc.stat().st_size
    record["repeat"] = args.repeat
    for key in best:
        record[key] = {lib: best[key][lib] for lib in LIBRARIES}
    if args.general:
        record["decode_general_path"] = {
            "tradetruce": best["decode"]["tradetruce-general"],
            "tradetruce_collector_paused": best["decode_collector_paused"]["tradetruce-general"],
        }
    record["first_call_on_warmup"] = {w: {lib: setup[w][lib] for lib in LIBRARIES} for w in setup}
    record["modules_loaded_by_decode"] = {lib: heavy[lib] for lib in LIBRARIES}

    _table("decode (JSON -> validated objects), as each library's users call it", record["decode"])
    _table("decode, garbage collector paused for every library", record["decode_collector_paused"])
    if args.general:
        g = record["decode_general_path"]
        print(
            f"  {'tradetruce general path':<24} {g['tradetruce']:8.3f} s   "
            f"(collector paused {g['tradetruce_collector_paused']:.3f} s; "
            "tt.from_dict(json.loads(data)))"
        )
    _table("encode (objects just decoded -> JSON)", record["encode"])
    _table("encode, garbage collector paused for every library", record["encode_collector_paused"])
    print(
        f"\nfirst call in a fresh process, on the {WARMUP_MEASURES}-measure warm-up document "
        "(one-time set-up; not in the figures above)"
    )
    for lib, name in LIBRARIES.items():
        print(
            f"  {name:<24} decode {setup['decode'][lib] * 1e3:7.1f} ms   "
            f"encode {setup['encode'][lib] * 1e3:7.1f} ms"
        )

    if not args.no_memory:
        rss = {lib: run_child("--rss-child", lib, str(doc)) for lib in LIBRARIES}
        for lib, r in rss.items():
            assert r["measures"] == size, (lib, r["measures"])
        mb = 1e-6
        record["rss_mb"] = {lib: (r["rss_after"] - r["rss_before"]) * mb for lib, r in rss.items()}
        record["rss_before_mb"] = {lib: r["rss_before"] * mb for lib, r in rss.items()}
        record["rss_after_mb"] = {lib: r["rss_after"] * mb for lib, r in rss.items()}
        held = {
            lib: run_child("--held-child", lib, str(doc), "--warmup", str(warmup))["held"]
            for lib in LIBRARIES
        }
        record["held_mb"] = {lib: h * mb for lib, h in held.items()}
        print(
            "\nmemory after decoding, one fresh process per library "
            "(RSS: VmRSS after minus before the decode, collected, result kept alive)"
        )
        base_rss, base_held = record["rss_mb"]["msgspec"], record["held_mb"]["msgspec"]
        for lib, name in LIBRARIES.items():
            print(
                f"  {name:<24} RSS +{record['rss_mb'][lib]:7.1f} MB "
                f"({record['rss_before_mb'][lib]:6.1f} -> {record['rss_after_mb'][lib]:6.1f})"
                f"  x{record['rss_mb'][lib] / base_rss:5.2f} msgspec   "
                f"held {record['held_mb'][lib]:7.1f} MB  x{record['held_mb'][lib] / base_held:5.2f}"
            )
        print("  (held: tracemalloc, after a warm-up decode, so one-time set-up is not counted)")
    loaded = {lib: m for lib, m in heavy.items() if m}
    if loaded:
        print(f"\nmodules a decode brought in: {loaded}")
    record["machine"] = info
    return record


def _table(title: str, rows: dict[str, float]) -> None:
    print(f"\n{title}")
    m, p, o = rows["msgspec"], rows["pydantic"], rows["orjson"]
    for lib, seconds in rows.items():
        print(
            f"  {LIBRARIES[lib]:<24} {seconds:8.3f} s   x{seconds / m:6.2f} msgspec   "
            f"x{seconds / p:5.2f} pydantic   x{seconds / o:6.2f} orjson"
        )


def sizes_of(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of sizes: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive: {text!r}")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tradetruce serialization benchmark")
    parser.add_argument("--size", type=int, default=100_000, help="measures in the scenario")
    parser.add_argument(
        "--sizes", type=sizes_of, default=None, help="several sizes in one run, e.g. 1000,20000"
    )
    parser.add_argument("--parties", type=int, default=None, help="default: size // 100, >= 50")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="best of N fresh processes")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory passes")
    parser.add_argument(
        "--general", action="store_true", help="also time tt.from_dict(json.loads(data))"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the figures to FILE")
    # One measurement in a fresh interpreter (the parent runs these; see the module docs).
    parser.add_argument("--time-child", nargs=2, metavar=("LIB", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--rss-child",
        nargs=2,
        metavar=("LIB", "FILE"),
        help="decode FILE with LIB (tradetruce, msgspec, pydantic, orjson) in this process and "
        "print its RSS before and after as JSON",
    )
    parser.add_argument("--held-child", nargs=2, metavar=("LIB", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--warmup", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--paused", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.time_child:
        lib, file = args.time_child
        print(json.dumps(time_child(lib, file, args.warmup, args.paused)))
        return 0
    if args.rss_child:
        lib, file = args.rss_child
        print(json.dumps(rss_child(lib, file)))
        return 0
    if args.held_child:
        lib, file = args.held_child
        print(json.dumps(held_child(lib, file, args.warmup)))
        return 0

    from generate import make_scenario

    import tradetruce as tt

    sizes = args.sizes or [args.size]
    info = machine()
    print(f"machine: {info['python']}, {info['cpus']} cores, {info['machine']}")
    print(f"best of {args.repeat} fresh processes per figure; libraries: {info['versions']}")
    records = []
    with tempfile.TemporaryDirectory(prefix="tradetruce-bench-") as name:
        tmp = Path(name)
        warmup = tmp / "warmup.json"
        small = make_scenario(WARMUP_MEASURES, 50, args.seed + 1)
        warmup.write_text(tt.to_json(small, indent=None))
        for size in sizes:
            records.append(measure_size(args, size, tmp, warmup))
    if args.json is not None:
        args.json.write_text(json.dumps(records, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

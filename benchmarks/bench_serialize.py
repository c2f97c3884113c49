"""Serialization benchmark: tradetruce against msgspec, pydantic v2 and the bare JSON parse.

One run generates one scenario (benchmarks/generate.py), writes it as compact JSON with
tradetruce, then measures on that same document:

* decode with full validation: tradetruce ``from_json`` (and its general cattrs path), msgspec
  Structs, pydantic v2 models, and ``orjson.loads`` alone (parse only, no validation), each as
  its users call it, then again with the garbage collector paused for every library;
* encode of the decoded objects back to JSON;
* memory held by the decoded objects (tracemalloc, in a separate pass).

It prints seconds and ratios; it is a benchmark, not a timed test. ``--size 2000`` is the CI
smoke run (a few seconds).

    python benchmarks/bench_serialize.py               # 100,000 measures, 1,000 parties
    python benchmarks/bench_serialize.py --size 2000   # smoke run
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers
from generate import make_scenario

import tradetruce as tt
from tradetruce.wire import _decode as _fast


def best_of(
    repeat: int,
    fn: Callable[[], Any],
    *,
    before: Callable[[], None] | None = None,
    paused: bool = False,
) -> tuple[float, Any]:
    """The best wall time of ``repeat`` calls, and the last result.

    ``before`` runs untimed ahead of each call: it keeps every round as cold as the first (no
    time value parsed, no text formatted by an earlier round), so best-of-N is not flattered by
    caches that a real one-off load would not have. ``paused`` pauses the cyclic garbage
    collector around each call, as tradetruce does itself while it reads a document.
    """
    best = float("inf")
    result = None
    for _ in range(repeat):
        result = None
        if before is not None:
            before()
        gc.collect()
        if paused:
            gc.disable()
        try:
            start = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best, result


def held_memory(fn: Callable[[], Any]) -> int:
    """Bytes still allocated after ``fn()`` returns, while its result is kept."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = fn()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del result
    return held


def _cold(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` with When's caches emptied, so cached values from earlier runs are not
    missed by the memory count."""
    _parse_cache_clear()
    return fn()


def _parse_cache_clear() -> None:
    from tradetruce.values import when

    when._parse.cache_clear()
    when.forget_days()  # the memos of local midnights and calendar values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tradetruce serialization benchmark")
    parser.add_argument("--size", type=int, default=100_000, help="measures in the scenario")
    parser.add_argument("--parties", type=int, default=None, help="default: size // 100")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=None, help="best of N (default 3, 1 >50k)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory pass")
    parser.add_argument(
        "--general", action="store_true", help="also time the general (cattrs) decode path"
    )
    args = parser.parse_args(argv)
    parties = args.parties or max(50, args.size // 100)
    repeat = args.repeat or (1 if args.size > 50_000 else 3)

    t0 = time.perf_counter()
    scenario = make_scenario(args.size, parties, args.seed)
    text = tt.to_json(scenario, indent=None)
    data = text.encode()
    print(
        f"scenario: {args.size} measures, {parties} parties, {len(data) / 1e6:.1f} MB JSON "
        f"(generated in {time.perf_counter() - t0:.1f} s)"
    )
    print(
        f"machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}"
    )
    del scenario
    gc.collect()

    # Checked once, untimed: the fast path gives what the general path gives.
    ours = tt.from_json(data, tt.Scenario)
    assert isinstance(ours, tt.Scenario) and len(ours.measures) == args.size
    assert _fast.decode(text, tt.Scenario) == ours, "fast and general paths must agree"
    del ours
    _parse_cache_clear()
    gc.collect()

    # Only the times are kept: every library decodes into a heap that holds no earlier result
    # (a heap crowded with another library's objects slows whoever comes later).
    m_decoder = peers.msgspec_decoder()
    readers: dict[str, tuple[Callable[[], Any], Callable[[], None] | None]] = {
        "orjson.loads (parse only)": (lambda: orjson.loads(data), None),
        "msgspec": (lambda: m_decoder.decode(data), None),
        "pydantic v2": (lambda: peers.pydantic_decode(data), None),
        "tradetruce": (lambda: tt.from_json(data, tt.Scenario), _parse_cache_clear),
    }
    decode = {
        name: best_of(repeat, read, before=before)[0] for name, (read, before) in readers.items()
    }
    if args.general:
        decode["tradetruce (general path)"] = best_of(
            repeat, lambda: tt.from_dict(json.loads(data), tt.Scenario)
        )[0]
    # tradetruce pauses the garbage collector while it builds a document; the peers, called as
    # their users call them, do not, and at these sizes the collector costs them most of their
    # time. The same decode with the collector paused for every library shows the work alone.
    paused = {
        name: best_of(repeat, read, before=before, paused=True)[0]
        for name, (read, before) in readers.items()
    }

    # Writing is quick next to reading: best of at least 3 even for large documents, as one
    # timing of a fraction of a second swings by half on a shared machine.
    repeat_encode = max(repeat, 3)
    # Every library writes objects it has just read, each round: how fast objects are written
    # depends on where in memory they were built (a heap that has held and freed gigabytes
    # scatters them), so each gets the same treatment. For tradetruce this also means time
    # values that have not formatted their text in an earlier round.
    fresh: list[Any] = [None]

    def fresh_from(read: Callable[[], Any]) -> Callable[[], None]:
        def before() -> None:
            fresh[0] = None
            _parse_cache_clear()
            fresh[0] = read()

        return before

    writers: dict[str, tuple[Callable[[Any], Any], Callable[[], Any]]] = {
        "orjson.dumps (dicts only)": (orjson.dumps, readers["orjson.loads (parse only)"][0]),
        "msgspec": (peers.msgspec_encode, readers["msgspec"][0]),
        "pydantic v2": (peers.pydantic_encode, readers["pydantic v2"][0]),
        "tradetruce": (lambda x: tt.to_json(x, indent=None), readers["tradetruce"][0]),
    }
    written: dict[str, Any] = {}
    encode: dict[str, float] = {}
    for name, (write, read) in writers.items():
        seconds, out = best_of(
            repeat_encode, lambda write=write: write(fresh[0]), before=fresh_from(read)
        )
        fresh[0] = None
        encode[name] = seconds
        if name in ("msgspec", "tradetruce"):
            written[name] = json.loads(out)  # compared below, untimed
        del out
    assert written["tradetruce"] == written["msgspec"], "the peers must write the same document"
    del written

    _table("decode (JSON -> validated objects)", decode)
    _table("decode, garbage collector paused for every library", paused)
    _table("encode (objects -> JSON)", encode)

    if not args.no_memory:
        del decode, paused, encode
        gc.collect()
        memory = {
            "orjson.loads (dicts)": held_memory(lambda: orjson.loads(data)),
            "msgspec": held_memory(lambda: m_decoder.decode(data)),
            "pydantic v2": held_memory(lambda: peers.pydantic_decode(data)),
            "tradetruce": held_memory(lambda: _cold(lambda: tt.from_json(data, tt.Scenario))),
        }
        print("\nmemory held by the decoded objects (tracemalloc)")
        base = memory["msgspec"]
        for name, size in memory.items():
            print(f"  {name:<28} {size / 1e6:9.1f} MB   x{size / base:5.2f} msgspec")
    return 0


def _table(title: str, rows: dict[str, float]) -> None:
    print(f"\n{title}")
    m = rows["msgspec"]
    p = rows["pydantic v2"]
    o = next(v for k, v in rows.items() if k.startswith("orjson"))
    for name, seconds in rows.items():
        print(
            f"  {name:<28} {seconds:8.3f} s   x{seconds / m:6.2f} msgspec   "
            f"x{seconds / p:5.2f} pydantic   x{seconds / o:5.2f} orjson"
        )


if __name__ == "__main__":
    sys.exit(main())

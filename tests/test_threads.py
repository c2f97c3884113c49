"""Threads: readers and writers called at once, from a cold start, give exactly what one thread
gets; and no call touches the garbage collector."""

from __future__ import annotations

import gc
import json
import pickle
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import tradetruce as tt

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "tradetruce"

# Run in a fresh interpreter: every plan, reader and writer is made while the threads race.
# A tiny switch interval makes the interpreter change threads every few bytecodes.
CHILD = r"""
import json, pickle, sys, threading
sys.setswitchinterval(1e-6)
import tradetruce as tt

with open(sys.argv[1], "rb") as f:
    docs = pickle.load(f)
threads = int(sys.argv[2])
OPS = {
    "from_json": lambda: tt.from_json(docs["json"], tt.Scenario),
    "from_json bad": lambda: tt.from_json(docs["bad json"], tt.Scenario),
    "from_dict": lambda: tt.from_dict(docs["dict"], tt.Scenario),
    "from_dict bad": lambda: tt.from_dict(docs["bad dict"], tt.Scenario),
    "from_toml": lambda: tt.from_toml(docs["toml"], tt.Scenario),
    "from_toml bad": lambda: tt.from_toml(docs["bad toml"], tt.Scenario),
    "to_json": lambda: tt.to_json(docs["scenario"]),
    "to_dict": lambda: tt.to_dict(docs["scenario"]),
}
NAMES = list(OPS)


def outcome(name):
    try:
        result = OPS[name]()
    except tt.InvalidDataError as exc:
        return ["refused", [[p.path, p.message] for p in exc.problems]]
    except BaseException as exc:
        return ["escaped", f"{type(exc).__name__}: {exc}"]
    if isinstance(result, tt.Scenario):
        return ["read", result == docs["scenario"]]
    return ["wrote", result]


results = [None] * threads
start = threading.Barrier(threads)


def run(i):
    start.wait()
    order = NAMES[i % len(NAMES):] + NAMES[: i % len(NAMES)]
    results[i] = {name: outcome(name) for name in order}


workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(json.dumps(results))
"""


def _documents(tmp_path: Path) -> Path:
    scenario = tt.load_seed()
    doc = tt.to_dict(scenario)
    bad = json.loads(json.dumps(doc))
    bad["parties"][0]["kind"] = "country"
    bad["measures"][0]["history"][0]["at"] = "2025-10-32[Asia/Seoul]"
    bad["measures"][1]["nmae"] = "typo"
    bad["negotiations"][0]["history"][-1]["to"] = "proposed"
    toml = tt.to_toml(scenario)
    path = tmp_path / "documents.pickle"
    path.write_bytes(
        pickle.dumps(
            {
                "scenario": scenario,
                "json": tt.to_json(scenario),
                "bad json": json.dumps(bad),
                "dict": doc,
                "bad dict": bad,
                "toml": toml,
                "bad toml": toml.replace('kind = "state"', 'kind = "country"', 1),
            }
        )
    )
    return path


def _run(documents: Path, threads: int) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(documents), str(threads)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def test_threads_reading_and_writing_at_once_from_a_cold_start_get_what_one_thread_gets(
    tmp_path: Path,
) -> None:
    documents = _documents(tmp_path)
    (alone,) = _run(documents, 1)
    assert alone["from_json"] == alone["from_dict"] == alone["from_toml"] == ["read", True]
    assert alone["from_json bad"][0] == alone["from_dict bad"][0] == "refused"
    assert alone["from_toml bad"][0] == "refused"
    assert alone["from_json bad"] == alone["from_dict bad"]
    for run in range(5):  # each in a fresh interpreter
        for i, seen in enumerate(_run(documents, 8)):
            assert seen == alone, (run, i, {k: v for k, v in seen.items() if v != alone[k]})


# --------------------------------------------------------------------------------- collector
def test_the_collector_stays_on_while_documents_are_read_and_written() -> None:
    text = (ROOT / "tests" / "data" / "format-2" / "scenario.json").read_text("utf-8")
    scenario = tt.from_json(text, tt.Scenario)
    before = (gc.isenabled(), gc.get_threshold())
    seen_off = threading.Event()
    stop = threading.Event()

    def work() -> None:
        try:
            for _ in range(200):
                tt.from_json(text, tt.Scenario)
                tt.from_dict(json.loads(text), tt.Scenario)
                tt.to_json(scenario)
                tt.to_dict(scenario)
        finally:
            stop.set()

    worker = threading.Thread(target=work)
    worker.start()
    while not stop.is_set():
        if not gc.isenabled():
            seen_off.set()
    worker.join()
    assert not seen_off.is_set(), "a call switched the garbage collector off"
    assert (gc.isenabled(), gc.get_threshold()) == before


def test_nothing_in_the_wire_package_switches_the_collector() -> None:
    calls = re.compile(r"\bgc\.(?:disable|enable|freeze|set_threshold|collect)\b|\bimport gc\b")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((SRC / "wire").rglob("*.py"))
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if calls.search(line)
    ]
    assert not found, found


def test_reading_and_writing_leave_the_classes_attrs_attributes_as_declared() -> None:
    # Plans read the annotations; they never evaluate them into the shared attrs attributes.
    script = (
        "import attrs, tradetruce as tt\n"
        "seed = tt.load_seed()\n"
        "tt.from_json(tt.to_json(seed), tt.Scenario)\n"
        "tt.json_schema(tt.Scenario)\n"
        "print(sorted({type(a.type).__name__ for c in (tt.Scenario, tt.Measure, tt.MeasureEntry)"
        " for a in attrs.fields(c)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "['str']", done.stdout

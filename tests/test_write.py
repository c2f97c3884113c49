"""The JSON writers: the compiled one (tradetruce._speedups) writes exactly what the Python one
writes, falls back for anything it was not planned for, and leaks nothing."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradetruce as tt
import tradetruce.strategies as tst
from tradetruce import _write
from tradetruce.history import Evidence

compiled = pytest.mark.skipif(not _write.COMPILED, reason="built without the C extension")

DOCUMENTS: list[Callable[[], st.SearchStrategy[Any]]] = [
    tst.rates,
    tst.quantities,
    tst.terms,
    tst.sources,
    tst.parties,
    tst.links,
    tst.consequences,
    tst.deal_terms,
    lambda: tst.entries("measure"),
    lambda: tst.entries("deadline"),
    lambda: tst.entries("negotiation"),
    tst.measures,
    tst.deadlines,
    tst.negotiations,
    tst.scenarios,
]


@attrs.frozen
class Probe:
    """Every kind of field the writers know, with text the model's validators would refuse."""

    text: str
    number: int
    flag: bool = False
    amount: Decimal = Decimal("0")
    evidence: Evidence = Evidence.REPORTED
    when: tt.When | None = None
    code: tt.HSCode | None = None
    words: tuple[str, ...] = ()
    inner: Probe | None = None
    note: str = ""


def probes() -> st.SearchStrategy[Probe]:
    leaf = st.builds(
        Probe,
        text=st.text(),
        number=st.integers(),
        flag=st.booleans(),
        amount=st.decimals(allow_nan=False, allow_infinity=False),
        evidence=st.sampled_from(Evidence),
        when=st.none() | tst.times(),
        code=st.none() | tst.hs_codes(),
        words=st.lists(st.text(max_size=5), max_size=3).map(tuple),
        note=st.text(max_size=5),
    )
    return st.builds(
        Probe, text=st.text(), number=st.integers(), inner=st.none() | leaf, words=st.just(())
    )


def test_the_compiled_writer_is_built_where_it_is_required() -> None:
    # CI sets this: a wheel or checkout built there must carry the extension.
    if os.environ.get("TRADETRUCE_REQUIRE_COMPILED") == "1":
        assert _write.COMPILED


@compiled
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_compiled_writer_writes_what_the_python_writer_writes(data: st.DataObject) -> None:
    obj = data.draw(data.draw(st.sampled_from(DOCUMENTS))())
    text = _write._encode_compiled(obj)
    assert text == _write._encode_in_python(obj).decode("utf-8")
    assert json.loads(text) == tt.to_dict(obj)


@compiled
@settings(max_examples=200, deadline=None)
@given(probes())
def test_the_compiled_writer_escapes_and_converts_as_msgspec_does(probe: Probe) -> None:
    try:
        expected: str | None = _write._encode_in_python(probe).decode("utf-8")
    except msgspec.EncodeError:  # lone surrogates: msgspec will not write them
        expected = None
    if expected is None:
        with pytest.raises(Exception, match="not valid Unicode"):
            _write._encode_compiled(probe)
    else:
        assert _write._encode_compiled(probe) == expected
        assert _write.encode_json(probe, indent=None) == expected


def test_control_characters_quotes_and_non_ascii_text() -> None:
    text = "".join(map(chr, range(0x80))) + "é\u2028😀"
    probe = Probe(text=text, number=-(10**30), words=('a"b\\c', ""))
    written = _write._encode_compiled(probe)
    assert (
        written
        == msgspec.json.encode({"format": "tradetruce/1", **_write.unstructure(probe)}).decode()
    )
    assert json.loads(written)["text"] == text


@attrs.frozen
class Unplanned:
    value: str


@compiled
def test_anything_unplanned_falls_back_to_python() -> None:
    wrong = Probe(text="x", number=1, inner=Unplanned("v"))  # type: ignore[arg-type]
    with pytest.raises(_write._speedups.Unsupported, match="no plan"):  # type: ignore[union-attr]
        _write._encode_compiled(wrong)

    @attrs.frozen
    class SubRate(tt.Rate):
        pass

    terms = tt.Terms(rate=SubRate(Decimal("5")))
    with pytest.raises(Exception, match="no plan"):
        _write._encode_compiled(terms)
    # The Python writer writes a subclass by its base class's fields.
    assert tt.to_json(terms, indent=None) == '{"format":"tradetruce/1","rate":{"value":"5"}}'


def _counts(values: list[object]) -> list[int]:
    return [sys.getrefcount(v) for v in values]


@compiled
def test_the_compiled_writer_keeps_reference_counts_and_memory() -> None:
    scenario = tt.load_seed()
    measure = scenario.measures[0]
    values: list[object] = [
        scenario,
        measure,
        measure.history[0],
        measure.history[0].at,
        str(measure.history[0].at),
        measure.id,
        Evidence.REPORTED,
    ]
    wrong = Probe(text="x", number=1, inner=Unplanned("v"))  # type: ignore[arg-type]
    _write._encode_compiled(scenario)
    before = _counts(values)
    for _ in range(50):
        _write._encode_compiled(scenario)
        with pytest.raises(Exception, match="no plan"):
            _write._encode_compiled(wrong)
    assert _counts(values) == before
    gc.collect()
    tracemalloc.start()
    try:
        _write._encode_compiled(scenario)
        first, _ = tracemalloc.get_traced_memory()
        for _ in range(200):
            _write._encode_compiled(scenario)
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert after - first < 10_000


@compiled
def test_plans_refuse_malformed_field_descriptions() -> None:
    sp = _write._speedups
    assert sp is not None
    with pytest.raises(TypeError):
        sp.plan(Probe, ("not a tuple",))
    with pytest.raises(ValueError, match="unknown"):
        sp.plan(Probe, (("text", "text", 9, None, 0, None, False),))
    with pytest.raises(TypeError):
        sp.plan(Probe, (("evidence", "evidence", 0, None, 3, "not a dict", False),))
    with pytest.raises(TypeError):
        sp.encode(Probe("x", 1), {}, "not bytes")


def test_without_the_extension_python_writes_the_same_json(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = tt.load_seed()
    compiled_text = tt.to_json(scenario)
    monkeypatch.setattr(_write, "_speedups", None)
    assert tt.to_json(scenario) == compiled_text
    assert tt.to_json(scenario, indent=None) == json.dumps(
        tt.to_dict(scenario), ensure_ascii=False, separators=(",", ":")
    )


@given(tst.hs_codes())
def test_a_read_hs_code_keeps_text_that_is_its_written_form(code: tt.HSCode) -> None:
    parsed = tt.HSCode.parse(str(code))
    assert (
        str(parsed) == str(code) == (f"{code.edition}:{code.code}" if code.edition else code.code)
    )
    assert parsed == code and hash(parsed) == hash(code)


_WITHOUT_EXTENSION = """
import importlib.abc, json, sys

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "tradetruce._speedups":
            raise ImportError("no compiled extension here")
        return None

sys.meta_path.insert(0, Refuse())
import tradetruce as tt
from tradetruce import _write, when

assert not _write.COMPILED and when._READER is None
scenario = tt.load_seed()
text = tt.to_json(scenario)
assert tt.from_json(text, tt.Scenario) == scenario
values = [str(tt.When.parse(t)) for t in json.loads(sys.stdin.read())]
print(json.dumps({"json": text, "values": values}))
"""


def test_a_build_without_the_extension_reads_and_writes_the_same() -> None:
    # A fresh interpreter in which the extension cannot be imported, as where no compiler was.
    times = [
        "2025-11-10T00:01:00-05:00[America/New_York]",
        "2025-11-02T01:30:00-05:00[America/New_York]",
        "2026-11~[Asia/Shanghai]",
        "../2025-10-26[Asia/Kuala_Lumpur]",
    ]
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_EXTENSION],
        input=json.dumps(times),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["json"] == tt.to_json(tt.load_seed())
    assert out["values"] == [str(tt.When.parse(t)) for t in times]

"""The compiled reader of time values (tradetruce._speedups.read_when) builds exactly what the
Python reader builds, or leaves the text to it: never a different value, never a value the
Python reader refuses, and no leaks."""

from __future__ import annotations

import gc
import sys
import tracemalloc
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetruce import InvalidTimeError, When
from tradetruce import strategies as tts
from tradetruce import when as _when

compiled = pytest.mark.skipif(_when._READER is None, reason="built without the C extension")
pytestmark = compiled

SLOTS = ("zone", "instant", "start", "end", "is_range", "lo_us", "hi_us", "_text")


def read_compiled(text: Any) -> When | None:
    assert _when._read_when is not None
    found: When | None = _when._read_when(text, _when._READER)
    return found


def read_python(text: str) -> When | None:
    try:
        return _when._parse_in_python(text)
    except InvalidTimeError:
        return None


def assert_same(text: str) -> When | None:
    """The compiled reader gives None, or what the Python reader gives, slot for slot."""
    fast = read_compiled(text)
    slow = read_python(text)
    if fast is None:
        return None
    assert slow is not None, f"{text!r}: read by the compiled reader, refused in Python"
    assert type(fast) is When
    for name in SLOTS:
        assert getattr(fast, name) == getattr(slow, name), (text, name)
    if slow.instant is not None:
        a, b = fast.instant, slow.instant
        assert a is not None
        assert type(a) is type(b) is pendulum.DateTime
        assert a.tzinfo is b.tzinfo  # the zone object itself, not a copy
        assert (a.fold, a.isoformat()) == (b.fold, b.isoformat())
    return fast


@given(tts.times())
def test_written_values_read_the_same_in_c_and_python(w: When) -> None:
    assert_same(str(w))


# Characters that turn one valid form into another, or into near misses.
_EDITS = st.sampled_from([*"0123456789-:T+~?%/.[]Z ", "..", "\u0661", "00"])


@given(tts.times(), st.lists(st.tuples(st.integers(0, 60), _EDITS), min_size=1, max_size=3))
def test_edited_texts_read_the_same_or_are_left_to_python(
    w: When, edits: list[tuple[int, str]]
) -> None:
    text = str(w)
    for at, piece in edits:
        at %= len(text) + 1
        text = text[:at] + piece + text[at + 1 :]
    assert_same(text)


ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Mars/Olympus",
    "+08:00",
    "",
]


# Where each part of a written instant is: YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM
_PARTS = {
    "year": (0, 4),
    "month": (5, 7),
    "day": (8, 10),
    "hour": (11, 13),
    "minute": (14, 16),
    "second": (17, 19),
    "offset hours": (-5, -3),
    "offset minutes": (-2, None),
}


@st.composite
def instant_texts(draw: st.DrawFn) -> str:
    """Written instants, one part of which may be replaced: a number that may be out of range
    or not the zone's offset, another fraction or sign, another zone (which may not exist)."""
    head, _, zone = str(draw(tts.times(exact=True))).partition("[")
    zone = zone[:-1]
    part = draw(st.sampled_from([None, "fraction", "sign", "zone", *_PARTS]))
    if part == "fraction":
        frac = draw(st.sampled_from(["", ".000000", ".500000", ".000001", ".999999"]))
        head = head[:19] + frac + head[-6:]
    elif part == "sign":
        head = head[:-6] + ("+" if head[-6] == "-" else "-") + head[-5:]
    elif part == "zone":
        zone = draw(st.sampled_from(ZONES))
    elif part is not None:
        a, b = _PARTS[part]
        width = 4 if part == "year" else 2
        value = draw(st.integers(0, 10**width - 1) | st.integers(0, 61))
        head = head[:a] + f"{value:0{width}d}"[-width:] + (head[b:] if b is not None else "")
    return f"{head}[{zone}]"


@given(instant_texts())
def test_instants_near_and_out_of_range_read_the_same(text: str) -> None:
    assert_same(text)


@st.composite
def calendar_texts(draw: st.DrawFn) -> str:
    def part() -> str:
        y = draw(st.sampled_from([999, 1000, 1001, 2011, 9997, 9998]) | st.integers(1000, 9998))
        shape = draw(st.integers(0, 2))
        q = draw(st.sampled_from(["", "~", "?", "%", "~~"]))
        if shape == 0:
            return f"{y:04d}{q}"
        mo = draw(st.integers(0, 13))
        if shape == 1:
            return f"{y:04d}-{mo:02d}{q}"
        return f"{y:04d}-{mo:02d}-{draw(st.integers(0, 32)):02d}{q}"

    a = draw(st.just("..") | st.builds(lambda: part()))
    if draw(st.booleans()):  # a range
        a = f"{a}/{draw(st.just('..') | st.builds(lambda: part()))}"
    return f"{a}[{draw(st.sampled_from(ZONES))}]"


@given(calendar_texts())
def test_calendar_values_and_ranges_read_the_same(text: str) -> None:
    assert_same(text)


@pytest.mark.parametrize(
    "text",
    [
        "2025-11-10T00:01:00-05:00[America/New_York]",
        "2025-11-10T00:01:00.250000+08:00[Asia/Shanghai]",
        "2025-03-09T03:00:00-04:00[America/New_York]",  # the first wall time after the gap
        "2025-11-01[America/New_York]",
        "2025-03-09[America/New_York]",  # a 23-hour day
        "2026-11~[Asia/Shanghai]",
        "2025?[UTC]",
        "2025-02-28%[UTC]",
        "2025-10-27/2025-11-02[Asia/Seoul]",
        "../2025-10-26[Asia/Kuala_Lumpur]",
        "2025-10-26/..[Asia/Kuala_Lumpur]",
        "2011-12-29/2011-12-31[Pacific/Apia]",  # around the day Samoa skipped
    ],
)
def test_the_written_forms_are_read_by_the_compiled_reader(text: str) -> None:
    assert assert_same(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "2025-11-02T01:30:00-04:00[America/New_York]",  # a repeated hour: Python picks the fold
        "2025-11-02T01:30:00-05:00[America/New_York]",
        "2025-03-09T02:30:00-05:00[America/New_York]",  # in the gap: refused in Python
        "2025-11-10T00:01:00-04:00[America/New_York]",  # not the zone's offset then
        "2025-11-10T00:01:00Z[UTC]",
        "2025-11-10T00:01-05:00[America/New_York]",
        "2025-11-10T00:01:00.000000+00:00[UTC]",
        "2025-11-10T00:01:00-00:00[UTC]",
        "2011-12-30[Pacific/Apia]",  # a day the zone skipped
        "2025-11-03/2025-11-01[UTC]",
        "../..[UTC]",
        "9998-01-01[UTC]",
        "2025-11-01[Mars/Olympus]",
        "2025-11-01",
        "\uff12\uff10\uff12\uff15-11[UTC]",
        "2025-11-01[UTC][UTC]",
        "2025-11-01[UTC",
    ],
)
def test_rare_and_wrong_forms_are_left_to_python(text: str) -> None:
    assert read_compiled(text) is None


def test_values_other_than_text_are_left_to_python() -> None:
    assert read_compiled(20251101) is None
    assert read_compiled(b"2025-11-01[UTC]") is None


def test_parse_uses_the_compiled_reader_and_python_for_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    in_python: list[str] = []
    original = _when._parse_in_python

    def python_reader(text: str) -> When:
        in_python.append(text)
        return original(text)

    _when._parse.cache_clear()
    text = "2025-11-10T00:01:00-05:00[America/New_York]"
    gap = "2025-03-09T02:30:00-05:00[America/New_York]"
    monkeypatch.setattr(_when, "_parse_in_python", python_reader)
    try:
        assert When.parse(text) == original(text)
        assert in_python == []  # the compiled reader read it
        with pytest.raises(InvalidTimeError, match=r"daylight|offset"):
            When.parse(gap)
        assert in_python == [gap]  # left to Python, which explains what is wrong
    finally:
        _when._parse.cache_clear()


def test_without_the_extension_values_are_read_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_when, "_READER", None)
    _when._parse.cache_clear()
    try:
        w = When.parse("2025-10-27/2025-11-02[Asia/Seoul]")
        assert w == _when._parse_in_python("2025-10-27/2025-11-02[Asia/Seoul]")
    finally:
        _when._parse.cache_clear()


def test_the_reader_refuses_wrong_arguments() -> None:
    from tradetruce import _speedups as sp

    good = (When, pendulum.DateTime, _when.zone, _when._parse_calendar, 0, 1, 1000, 9998)
    with pytest.raises(TypeError):
        sp.when_reader(*good[:7])  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        sp.when_reader(object, *good[1:])  # no slots to fill
    with pytest.raises(TypeError):
        sp.when_reader(When, object, *good[2:])  # not a datetime class
    with pytest.raises(ValueError, match="years"):
        sp.when_reader(*good[:6], 0, 9998)
    with pytest.raises(ValueError, match="PyCapsule"):
        sp.read_when("2025[UTC]", object())
    assert sp.read_when("2025[UTC]", sp.when_reader(*good)) == When.parse("2025[UTC]")


def test_reading_keeps_reference_counts_and_memory() -> None:
    texts = [
        "2025-11-10T00:01:00-05:00[America/New_York]",
        "2025-10-27/2025-11-02~[Asia/Seoul]",
        "../2025-10-26[Asia/Kuala_Lumpur]",
        "2025-11-10T00:01:00-04:00[America/New_York]",  # read, then left to Python
        "2025-11-01[Mars/Olympus]",  # the zone refuses it
    ]
    for t in texts:
        read_compiled(t)
    gc.collect()
    before = [sys.getrefcount(t) for t in texts]
    tracemalloc.start()
    try:
        for t in texts:
            read_compiled(t)
        first, _ = tracemalloc.get_traced_memory()
        for _ in range(300):
            for t in texts:
                read_compiled(t)
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    gc.collect()
    assert [sys.getrefcount(t) for t in texts] == before
    assert after - first < 10_000

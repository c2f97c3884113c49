"""Whatever they are given, the readers return an object or raise InvalidDataError, and the
writers return text or raise InvalidValueError: nothing else.

Kinds of input: arbitrary bytes, arbitrary JSON values, valid documents with one mutation
(a key repeated among them), and any object for the writers. For mutated documents the JSON fast
path and the general cattrs path must also agree: the same object, or both refusing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradetruce as tt
import tradetruce.strategies as tst
from tradetruce.wire import _decode

EXAMPLE = json.loads((Path(__file__).parent / "data" / "format-2" / "scenario.json").read_text())
CLASSES = [tt.Scenario, tt.Measure, tt.Rate, tt.Party, tt.Terms, tt.Round]
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**30, max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["tradetruce/2", "2025-11-01[UTC]", "0201", "25", "proposed", "us"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["format", "id", "value", "history", "to", "at", "x"])
            | st.text(max_size=5),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


def fast_read(text: str, cls: type) -> Any:
    """What the fast path's reader and builder make of a JSON document (whatever its key order):
    the object, or ``_decode.FAILED``."""
    wire = _decode.read(text.encode(), cls)
    return wire if wire is _decode.FAILED else _decode.build(wire, cls)


def read_or_refuse(read: Any, *args: Any) -> object:
    """The result, or the InvalidDataError; any other exception fails the test."""
    try:
        return read(*args)
    except tt.InvalidDataError as exc:
        error = exc
    assert error.problems, "an error with no problems"
    for p in error.problems:
        assert p.path.startswith("$"), p
    return error


@FUZZ
@given(st.binary(max_size=200), st.sampled_from(CLASSES))
def test_arbitrary_bytes_give_only_invalid_data_errors(data: bytes, cls: type) -> None:
    read_or_refuse(tt.from_json, data, cls)
    read_or_refuse(tt.from_toml, data, cls)


@FUZZ
@given(st.text(max_size=200), st.sampled_from(CLASSES))
def test_arbitrary_text_gives_only_invalid_data_errors(text: str, cls: type) -> None:
    read_or_refuse(tt.from_json, text, cls)
    read_or_refuse(tt.from_toml, text, cls)


@FUZZ
@given(json_values, st.sampled_from(CLASSES), st.booleans())
def test_arbitrary_json_values_give_only_invalid_data_errors(
    value: Any, cls: type, with_format: bool
) -> None:
    if with_format and isinstance(value, dict):
        value = {"format": "tradetruce/2", **value}
    read_or_refuse(tt.from_dict, value, cls)
    read_or_refuse(tt.from_json, json.dumps(value), cls)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    doc = json.loads(json.dumps(EXAMPLE))
    path = draw(st.sampled_from(_paths(doc)[1:]))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    old = parent[last]
    how = draw(st.sampled_from(["replace", "delete", "extra", "tweak", "duplicate"]))
    if how == "replace":
        parent[last] = draw(json_values)
    elif how == "delete":
        del parent[last]
    elif how == "extra" and isinstance(old, dict):
        old[draw(st.text(max_size=6))] = draw(json_values)
    elif how == "tweak" and isinstance(old, str):
        at = draw(st.integers(0, len(old)))
        parent[last] = old[:at] + draw(st.text(max_size=2)) + old[at + 1 :]
    elif how == "duplicate" and isinstance(old, list) and old:
        old.append(old[0])
    else:
        parent[last] = draw(json_values)
    return doc


@FUZZ
@given(mutated_documents())
def test_mutated_documents_are_read_the_same_by_every_path(doc: Any) -> None:
    text = json.dumps(doc, ensure_ascii=False)
    general = read_or_refuse(tt.from_dict, doc, tt.Scenario)
    via_json = read_or_refuse(tt.from_json, text, tt.Scenario)
    fast = fast_read(text, tt.Scenario)
    alone = _decode.decode(text, tt.Scenario)
    if isinstance(general, tt.Scenario):
        assert via_json == general
        assert fast is _decode.FAILED or fast == general
        assert alone is _decode.FAILED or alone == general
    else:
        assert isinstance(via_json, tt.InvalidDataError)
        assert fast is _decode.FAILED, "the fast path accepted what the general path refuses"
        assert alone is _decode.FAILED
        assert via_json.problems == general.problems  # type: ignore[attr-defined]
    try:
        toml = tomli_w.dumps(doc)
    except (TypeError, ValueError):  # null or mixed arrays: not expressible in TOML
        return
    via_toml = read_or_refuse(tt.from_toml, toml, tt.Scenario)
    assert type(via_toml) is type(general)


def _dumps_repeating(doc: Any, at: tuple[Any, ...], value: Any) -> str:
    """``doc`` as JSON, the object at path ``at`` written with its first key twice."""
    if isinstance(doc, dict):
        pairs = [
            (k, _dumps_repeating(v, at[1:] if at and at[0] == k else (None,), value))
            for k, v in doc.items()
        ]
        if at == () and doc:
            pairs.append((next(iter(doc)), json.dumps(value)))
        return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in pairs) + "}"
    if isinstance(doc, list):
        items = [
            _dumps_repeating(v, at[1:] if at and at[0] == i else (None,), value)
            for i, v in enumerate(doc)
        ]
        return "[" + ", ".join(items) + "]"
    return json.dumps(doc)


@st.composite
def documents_with_a_repeated_key(draw: st.DrawFn) -> tuple[str, str]:
    doc = json.loads(json.dumps(EXAMPLE))
    objects = [p for p in _paths(doc) if isinstance(_at(doc, p), dict) and _at(doc, p)]
    at = draw(st.sampled_from(objects))
    first = next(iter(_at(doc, at)))
    value = draw(st.one_of(st.just(_at(doc, at)[first]), json_values))
    where = "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in at)
    return _dumps_repeating(doc, at, value), f"{where}.{first}"


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


@FUZZ
@given(documents_with_a_repeated_key())
def test_a_repeated_key_anywhere_is_refused_by_every_json_path(case: tuple[str, str]) -> None:
    text, where = case
    assert _decode.decode(text, tt.Scenario) is _decode.FAILED
    refused = read_or_refuse(tt.from_json, text, tt.Scenario)
    assert isinstance(refused, tt.InvalidDataError)
    assert [p.path for p in refused.problems] == [where]
    as_bytes = read_or_refuse(tt.from_json, text.encode(), tt.Scenario)
    assert isinstance(as_bytes, tt.InvalidDataError) and as_bytes.problems == refused.problems


objects = st.one_of(
    json_values,
    st.builds(object),
    st.sampled_from([tt.MEASURE, tt.When.parse("2025[UTC]"), tt.HSCode("01"), tt.Scenario, tt]),
    tst.scenarios().map(lambda s: s.at("2025-11-15[UTC]")),
    tst.scenarios(),
    tst.measures(),
    tst.rates(),
)


@FUZZ
@given(objects)
def test_writers_write_any_object_or_raise_invalid_value_errors(obj: object) -> None:
    for write in (tt.to_json, tt.to_dict, tt.to_toml):
        try:
            written = write(obj)
        except tt.InvalidValueError as exc:
            refused = exc
        else:
            assert isinstance(written, str | dict)
            continue
        assert refused.allowed, refused


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "tradetruce/2", "title": "\\ud800"}',
        '{"format": "tradetruce/2", "measures": [' + "{}," * 50 + "{}]}",
        '{"format": "tradetruce/2"}\n\n',
        ' {"format": "tradetruce/2"} x',
    ],
)
def test_edge_case_documents_are_read_the_same_by_both_paths(text: str) -> None:
    try:
        general = read_or_refuse(tt.from_dict, json.loads(text), tt.Scenario)
    except ValueError:
        general = None
    via_json = read_or_refuse(tt.from_json, text, tt.Scenario)
    if isinstance(general, tt.Scenario):
        assert via_json == general
    else:
        assert isinstance(via_json, tt.InvalidDataError)

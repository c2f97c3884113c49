"""Hostile and odd documents: every reader and writer answers with a tradetruce error, quickly,
in bounded memory, and never accepts what it cannot write back."""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import tradetruce as tt
from tradetruce.values._validate import MAX_WHOLE_NUMBER as ROUND_NUMBER_MAX

FORMAT = {"format": "tradetruce/2"}
EXAMPLE = Path(__file__).parent / "data" / "format-2" / "scenario.json"
MiB = 1 << 20


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    """Measures the peak of memory allocated inside the block, in bytes (found[0])."""
    found = [0]
    tracemalloc.start()
    try:
        yield found
    finally:
        found[0] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def refused(read: Callable[[], object]) -> tt.InvalidDataError:
    with pytest.raises(tt.InvalidDataError) as exc:
        read()
    return exc.value


# -------------------------------------------------------------------------- bounded reports
def test_a_flood_of_unknown_keys_gives_a_short_report_in_bounded_memory() -> None:
    n = 300_000
    text = json.dumps({**FORMAT, "value": "5", **{f"k{i}": 1 for i in range(n)}})
    with peak_memory() as peak:
        error = refused(lambda: tt.from_json(text, tt.Rate))
    assert len(error.problems) == tt.InvalidDataError.MAX_PROBLEMS
    assert error.more == n - len(error.problems)
    assert error.problems[0].path == "$.k0" and error.problems[0].message == "unknown key 'k0'"
    message = str(error)
    assert len(message) < 50_000 and message.endswith(f"... and {error.more} more problems")
    assert message.startswith(f"{n} problems found:")
    # The parsed document itself takes about 40 MB; the report adds little to it (a report of
    # every key took 270 MB more).
    assert peak[0] < 100 * MiB, peak[0] / MiB


def test_many_bad_values_deep_in_a_document_are_counted_not_kept() -> None:
    rounds = [{"number": i + 1, "participants": [1] * 100} for i in range(100)]
    doc = json.loads(EXAMPLE.read_text("utf-8"))
    doc["negotiations"][0]["rounds"] = rounds
    error = refused(lambda: tt.from_dict(doc, tt.Scenario))
    assert error.problems[0].path == "$.negotiations[0].rounds[0].participants[0]"
    assert len(error.problems) + error.more == 100 * 100
    assert len(error.problems) == tt.InvalidDataError.MAX_PROBLEMS


def test_a_report_lists_its_first_problems_and_counts_the_rest() -> None:
    problems = [tt.Problem(f"$.x[{i}]", "bad") for i in range(250)]
    error = tt.InvalidDataError(problems, file="f.json")
    assert (len(error.problems), error.more) == (100, 150)
    assert str(error).splitlines()[0] == "f.json: 250 problems found:"
    assert str(error).splitlines()[-1] == "  - ... and 150 more problems"
    assert error.with_file("g.json").more == 150


# ------------------------------------------------------------------------------ TOML depth
@pytest.mark.parametrize(
    "deep",
    [
        "a." * 10_000 + "a = 1",
        "[" + "a." * 10_000 + "a]\nb = 1",
        "x = {" + "a." * 10_000 + "a = 1}",
        'x = {y = 1, "q" . ' + "a." * 10_000 + "a = 1}",
    ],
    ids=["dotted key", "table header", "inline table", "quoted first key"],
)
def test_a_deep_dotted_toml_key_is_refused_before_parsing(deep: str) -> None:
    text = 'format = "tradetruce/2"\n' + deep
    start = time.perf_counter()
    with peak_memory() as peak:
        error = refused(lambda: tt.from_toml(text, tt.Rate))
    assert time.perf_counter() - start < 5
    assert peak[0] < 20 * MiB, peak[0] / MiB
    (problem,) = error.problems
    assert (problem.path, problem.message, problem.line) == ("$", "nested deeper than 32 levels", 2)


def test_dotted_toml_keys_within_the_limit_and_dots_in_values_are_read() -> None:
    text = (
        'format = "tradetruce/2"\nvalue = "7.5"\ncurrency = "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q"\n'
    )
    with pytest.raises(tt.InvalidDataError, match="percent rate has no currency"):
        tt.from_toml(text, tt.Rate)
    many_dots = ".".join("abcdefghijklmnopqrstuvwxyzabcdefghijkl")
    source = f'format = "tradetruce/2"\nid = "s"\ntitle = "{many_dots}"\n'
    assert tt.from_toml(source, tt.Source).title == many_dots


# --------------------------------------------------------------------------- JSON strings
def test_an_unterminated_string_of_escaped_quotes_is_refused_quickly() -> None:
    text = '"' + '\\"' * 40_000
    start = time.perf_counter()
    error = refused(lambda: tt.from_json(text, tt.Scenario))
    assert time.perf_counter() - start < 5
    assert "JSON syntax error" in error.problems[0].message


# ------------------------------------------------------------------------- repeated keys
@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"format": "tradetruce/2", "value": "1", "value": "2"}', "$.value"),
        ('{"format": "tradetruce/2", "format": "tradetruce/2", "value": "1"}', "$.format"),
        ('{"format":"tradetruce/2","value":"1","value":"1"}', "$.value"),
    ],
)
def test_a_repeated_key_is_refused_at_its_path(text: str, path: str) -> None:
    error = refused(lambda: tt.from_json(text, tt.Rate))
    assert [(p.path, p.message) for p in error.problems] == [
        (path, f"key {path[2:]!r} is repeated")
    ]


def test_a_repeated_key_deep_in_a_document_the_writer_wrote_is_refused() -> None:
    scenario = tt.from_json(EXAMPLE.read_text("utf-8"), tt.Scenario)
    text = tt.to_json(scenario, indent=None)
    first = text.index('"imposed_by":')
    end = text.index(",", first)
    again = text[:end] + "," + text[first:end] + text[end:]  # the key written twice, same value
    error = refused(lambda: tt.from_json(again, tt.Scenario))
    assert [p.path for p in error.problems] == ["$.measures[0].imposed_by"]


# ------------------------------------------------------------------ what writers can write
@pytest.mark.parametrize(
    "make",
    [
        lambda: tt.MEASURE,
        lambda: 5,
        lambda: {"format": "tradetruce/2"},
        lambda: tt.When.parse("2025[UTC]"),
        lambda: tt.Source,
    ],
    ids=["lifecycle", "int", "dict", "time value", "class"],
)
@pytest.mark.parametrize("write", [tt.to_json, tt.to_dict, tt.to_toml])
def test_writers_refuse_what_has_no_document_form(
    make: Callable[[], object], write: Callable[[object], object]
) -> None:
    with pytest.raises(tt.InvalidValueError, match="has a document form") as exc:
        write(make())
    assert "Scenario, Source, Party" in exc.value.allowed


def _with_text(obj: Any, field: str, text: str) -> Any:
    """``obj`` with text that escaped the model's checks (as a careless subclass might)."""
    object.__setattr__(obj, field, text)
    return obj


@pytest.mark.parametrize("write", [tt.to_json, tt.to_dict, tt.to_toml])
def test_writers_refuse_text_that_utf8_cannot_write(write: Callable[[object], object]) -> None:
    source = _with_text(tt.Source(id="s", title="T"), "title", "a\ud800b")
    with pytest.raises(tt.InvalidValueError, match="lone surrogate"):
        write(source)


# ------------------------------------------------------------ what readers refuse to read
@pytest.mark.parametrize(
    ("doc", "cls", "path"),
    [
        ({"title": "a\ud800"}, tt.Scenario, "$.title"),
        ({"id": "s", "title": "T", "url": "\udfff"}, tt.Source, "$.url"),
        (
            {"id": "x", "name": "X", "kind": "state", "aliases": ["ok", "\ud83d"]},
            tt.Party,
            "$.aliases[1]",
        ),
        ({"entity": "m", "to": "\ud800"}, tt.Term, "$.to"),
        ({"id": "\ud800", "title": "T"}, tt.Source, "$.id"),
    ],
)
def test_readers_refuse_text_that_utf8_cannot_write(
    doc: dict[str, Any], cls: type, path: str
) -> None:
    error = refused(lambda: tt.from_dict({**FORMAT, **doc}, cls))
    assert [p.path for p in error.problems] == [path]
    assert "lone surrogate" in error.problems[0].message
    escaped = json.dumps({**FORMAT, **doc})  # \ud800 escapes: valid JSON, not valid text
    assert [p.path for p in refused(lambda: tt.from_json(escaped, cls)).problems] == [path]


@pytest.mark.parametrize("read", [tt.from_json, tt.from_toml])
def test_a_document_holding_a_lone_surrogate_is_refused_where_it_is(
    read: Callable[[str, type], object],
) -> None:
    text = 'format = "tradetruce/2"\nvalue = "5"\ncurrency = "\ud800"\n'
    if read is tt.from_json:
        text = '{"format": "tradetruce/2",\n "value": "\ud800"}'
    error = refused(lambda: read(text, tt.Rate))
    (problem,) = error.problems
    assert "lone surrogate" in problem.message and problem.line == (
        2 if read is tt.from_json else 3
    )


# ---------------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    "number",
    [ROUND_NUMBER_MAX + 1, 2**64, 10**40, 10**5000, 0, -(2**63) - 1],
    ids=["max+1", "2**64", "10**40", "10**5000", "0", "-2**63-1"],
)
def test_round_numbers_beyond_what_the_writers_write_are_refused(number: int) -> None:
    error = refused(lambda: tt.from_dict({**FORMAT, "number": number}, tt.Round))
    (problem,) = error.problems
    assert problem.path == "$.number"
    assert problem.allowed == f"a whole number from 1 to {ROUND_NUMBER_MAX}"
    if number < 10**4000:  # Python reads no JSON number of more digits
        text = '{"format": "tradetruce/2", "number": ' + str(number) + "}"
        assert [p.path for p in refused(lambda: tt.from_json(text, tt.Round)).problems] == [
            "$.number"
        ]


def test_the_largest_round_number_is_read_and_written() -> None:
    text = tt.to_json(tt.Round(number=ROUND_NUMBER_MAX), indent=None)
    assert text == '{"format":"tradetruce/2","number":' + str(ROUND_NUMBER_MAX) + "}"
    assert tt.from_json(text, tt.Round).number == ROUND_NUMBER_MAX
    assert tt.from_toml(tt.to_toml(tt.Round(number=ROUND_NUMBER_MAX)), tt.Round).number == (
        ROUND_NUMBER_MAX
    )

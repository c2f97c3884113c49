"""The wire format: lossless round trips, strict reading, error reports, limits, stored examples."""

from __future__ import annotations

import json
import tomllib
import traceback
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradetruce as tt
import tradetruce.strategies as tst
from tradetruce.wire import _decode

EXAMPLES = Path(__file__).parent / "data" / "format-2"
FORMAT = {"format": "tradetruce/2"}
GENERAL = tt.make_converter()  # the general (cattrs) path, the reference for the fast paths

# Each public class with a document form, and a strategy for its values.
ENTITIES: list[tuple[type, Callable[[], st.SearchStrategy[Any]]]] = [
    (tt.Rate, tst.rates),
    (tt.Quantity, tst.quantities),
    (tt.Terms, tst.terms),
    (tt.Source, tst.sources),
    (tt.Party, tst.parties),
    (tt.Link, tst.links),
    (tt.Consequence, tst.consequences),
    (tt.Term, tst.deal_terms),
    (tt.Round, lambda: tst.rounds().filter(bool).map(lambda rs: rs[0])),
    (tt.MeasureEntry, lambda: tst.entries(tt.MEASURE)),
    (tt.DeadlineEntry, lambda: tst.entries(tt.DEADLINE)),
    (tt.NegotiationEntry, lambda: tst.entries(tt.NEGOTIATION)),
    (tt.Measure, tst.measures),
    (tt.Deadline, tst.deadlines),
    (tt.Negotiation, tst.negotiations),
    (tt.Scenario, tst.scenarios),
]
ROUND_TRIPS: dict[str, Callable[[Any, type], Any]] = {
    "dict": lambda x, cls: tt.from_dict(json.loads(json.dumps(tt.to_dict(x))), cls),
    "json": lambda x, cls: tt.from_json(tt.to_json(x), cls),
    "json-compact": lambda x, cls: tt.from_json(tt.to_json(x, indent=None).encode(), cls),
    "toml": lambda x, cls: tt.from_toml(tt.to_toml(x), cls),
}


def fast_read(text: str, cls: type) -> Any:
    """What the fast path's reader and builder make of a JSON document (whatever its key order):
    the object, or ``_decode.FAILED``."""
    wire = _decode.read(text.encode(), cls)
    return wire if wire is _decode.FAILED else _decode.build(wire, cls)


def problems(exc: pytest.ExceptionInfo[tt.InvalidDataError]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in exc.value.problems]


def example() -> tt.Scenario:
    return tt.from_toml((EXAMPLES / "scenario.toml").read_bytes(), tt.Scenario)


# ------------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("form", list(ROUND_TRIPS))
@pytest.mark.parametrize(("cls", "strategy"), ENTITIES, ids=[c.__name__ for c, _ in ENTITIES])
def test_every_entity_round_trips_losslessly(
    cls: type, strategy: Callable[[], st.SearchStrategy[Any]], form: str
) -> None:
    @settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(strategy())
    def check(value: Any) -> None:
        assert isinstance(value, cls)
        again = ROUND_TRIPS[form](value, cls)
        assert again == value, (form, tt.to_dict(value))
        assert tt.to_dict(again) == tt.to_dict(value)
        assert tt.to_dict(value) == {**FORMAT, **GENERAL.unstructure(value)}
        # The fast JSON writer gives byte for byte what the general path gives.
        assert tt.to_json(value) == json.dumps(tt.to_dict(value), ensure_ascii=False, indent=2)

    check()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tst.times())
def test_time_values_keep_zone_precision_and_qualifier(when: tt.When) -> None:
    rate_terms = tt.Terms(effective=when)
    again = tt.from_json(tt.to_json(rate_terms), tt.Terms).effective
    assert again is not None
    assert (again.zone, again.precision, again.is_approximate, str(again)) == (
        when.zone,
        when.precision,
        when.is_approximate,
        str(when),
    )


def test_the_stored_format_2_example_loads_and_is_written_back_as_stored() -> None:
    from_toml = example()
    text = (EXAMPLES / "scenario.json").read_text("utf-8")
    from_json = tt.from_json(text, tt.Scenario)
    assert from_toml == from_json
    assert tt.to_json(from_json) + "\n" == text
    assert tt.to_toml(from_toml) == (EXAMPLES / "scenario.toml").read_text("utf-8")
    paused = from_toml.measure("us-100pct").history[-1]
    assert paused.suspension is not None and paused.suspension.portion == tt.Rate.percent("24")
    assert from_toml.negotiation("kl-talks").terms[0].suspension is not None


def test_the_stored_format_1_example_keeps_loading_from_json_and_toml() -> None:
    old = Path(__file__).parent / "data" / "format-1"
    from_toml = tt.from_toml((old / "scenario.toml").read_bytes(), tt.Scenario)
    from_json = tt.from_json((old / "scenario.json").read_text("utf-8"), tt.Scenario)
    assert from_toml == from_json
    assert len(from_toml.measures) == 4 and from_toml.deadline("truce-expiry").due == tt.When.parse(
        "2026-11-10[America/New_York]"
    )
    assert tt.from_toml(tt.to_toml(from_toml), tt.Scenario) == from_toml
    assert tt.to_dict(from_toml)["format"] == "tradetruce/2"


def test_a_format_1_pause_with_an_expiry_is_read_as_a_suspension_until_then() -> None:
    old = Path(__file__).parent / "data" / "format-1" / "paused-until.toml"
    upgraded = tt.from_toml(old.read_bytes(), tt.Scenario)
    tariff = upgraded.measure("us-24pct")
    paused = tariff.history[1]
    until = tt.When.parse("2025-11-10T00:01:00-05:00[America/New_York]")
    assert paused.suspension == tt.Suspension(until=until)
    assert paused.terms == tt.Terms(rate=tt.Rate.percent("24"), legal_basis="IEEPA")
    # The restored tariff inherits the terms without the old end: the expiry is gone.
    assert tariff.terms.expires is None and tariff.status is tt.MeasureStatus.IN_FORCE
    # A deal term that paused with an expiry now carries the suspension.
    (term,) = upgraded.negotiation("talks").terms
    assert term.suspension == tt.Suspension(until=tt.When.parse("2026-11-10[America/New_York]"))
    assert term.expires is None
    # Every reader upgrades, and the document read reads the same written back as format 2.
    doc = tomllib.loads(old.read_text("utf-8"))
    assert tt.from_dict(doc, tt.Scenario) == upgraded
    assert tt.load_seed(old) == upgraded
    assert tt.from_json(json.dumps(doc), tt.Scenario) == upgraded
    assert tt.from_json(tt.to_json(upgraded), tt.Scenario) == upgraded
    entry = {**tt.to_dict(paused), "format": "tradetruce/1"}
    del entry["suspension"]
    entry["terms"] = {"expires": str(until)}
    assert tt.from_dict(entry, tt.MeasureEntry).suspension == tt.Suspension(until=until)


def test_a_format_1_document_cannot_use_a_key_of_format_2() -> None:
    doc = {
        "format": "tradetruce/1",
        "from": "in_force",
        "to": "paused",
        "at": "2025-11-10[UTC]",
        "source": "s",
        "suspension": {"until": "2026-11-10[UTC]"},
    }
    with pytest.raises(tt.InvalidDataError) as info:
        tt.from_dict(doc, tt.MeasureEntry)
    assert problems(info) == [
        (
            "$.suspension",
            "unknown key 'suspension' in a tradetruce/1 document (suspensions came with "
            "tradetruce/2)",
        )
    ]
    assert tt.from_dict({**doc, "format": "tradetruce/2"}, tt.MeasureEntry).suspension


def test_values_keep_their_exact_form() -> None:
    scenario = example()
    doc = tt.to_dict(scenario)
    us_tariff = doc["measures"][0]
    assert us_tariff["products"] == ["0201", "HS2022:120190"]
    assert us_tariff["history"][0]["terms"]["rate"] == {"value": "100"}
    assert "from" not in us_tariff["history"][0] and us_tariff["history"][1]["from"] == "proposed"
    assert doc["measures"][3]["history"][0]["terms"]["rate"]["value"] == "50.00"
    assert doc["measures"][1]["history"][1]["terms"]["effective"] == "2026-11~[Asia/Shanghai]"
    assert doc["sources"][1]["published"] == "2025-11-04T16:15:00-05:00[America/New_York]"
    assert list(doc) == [
        "format",
        "title",
        "description",
        "sources",
        "parties",
        "measures",
        *[
            "deadlines",
            "negotiations",
        ],
    ]
    rate = tt.from_dict({**FORMAT, "value": "7.50"}, tt.Rate)
    assert str(rate.value) == "7.50" and rate.value == Decimal("7.5")
    assert tt.to_dict(rate) == {**FORMAT, "value": "7.50"}


def test_defaults_and_nones_are_left_out() -> None:
    source = tt.Source(id="s", title="T")
    assert tt.to_dict(source) == {**FORMAT, "id": "s", "title": "T"}
    assert tt.to_json(source, indent=None) == '{"format":"tradetruce/2","id":"s","title":"T"}'


# --------------------------------------------------------------------- fast and general paths
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tst.scenarios())
def test_the_fast_paths_give_exactly_what_the_general_paths_give(scenario: tt.Scenario) -> None:
    general = tt.make_converter()
    doc = tt.to_dict(scenario)
    assert doc == {**FORMAT, **general.unstructure(scenario)}
    text = tt.to_json(scenario)
    assert text == json.dumps(doc, ensure_ascii=False, indent=2)
    assert tt.to_json(scenario, indent=None) == json.dumps(
        doc, ensure_ascii=False, separators=(",", ":")
    )
    fast = fast_read(text, tt.Scenario)
    assert fast is not _decode.FAILED
    assert fast == tt.from_dict(json.loads(text), tt.Scenario) == scenario
    assert _decode.decode(text, tt.Scenario) == scenario  # the writer's text: no second parse


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tst.scenarios(), st.sampled_from([None, 0, 2, 4]))
def test_what_the_writer_writes_needs_no_second_parse_for_repeated_keys(
    scenario: tt.Scenario, indent: int | None
) -> None:
    raw = tt.to_json(scenario, indent=indent).encode()
    wire = _decode.read(raw, tt.Scenario)
    assert wire is not _decode.FAILED and _decode.canonical(wire, raw)


def test_a_document_in_another_key_order_still_takes_the_fast_path() -> None:
    doc = tt.to_dict(example())
    shuffled = {k: doc[k] for k in reversed(doc)}
    text = json.dumps(shuffled)
    wire = _decode.read(text.encode(), tt.Scenario)
    assert not _decode.canonical(wire, text.encode())
    assert fast_read(text, tt.Scenario) == tt.from_json(text, tt.Scenario) == example()


def test_a_traceback_through_a_generated_reader_shows_its_source() -> None:
    text = '{"format": "tradetruce/2", "value": "5", "currency": "USD"}'
    wire = _decode.read(text.encode(), tt.Rate)
    assert _decode.build(wire, tt.Rate) is _decode.FAILED  # a percent rate has no currency
    with pytest.raises(tt.InvalidValueError) as exc:
        _decode._reader(tt.Rate)[1]()(wire)  # type: ignore[index]
    generated = [
        frame
        for frame in traceback.extract_tb(exc.value.__traceback__)
        if frame.filename.startswith("<tradetruce wire reader")
    ]
    assert generated and "Rate(" in (generated[-1].line or ""), generated


def test_the_stored_example_takes_the_fast_path() -> None:
    text = (EXAMPLES / "scenario.json").read_text("utf-8")
    assert fast_read(text, tt.Scenario) == example()


# ------------------------------------------------------------------------------- strictness
@pytest.mark.parametrize(
    ("doc", "cls", "path", "words"),
    [
        ({"id": 1, "name": "X", "kind": "state"}, tt.Party, "$.id", "expected text"),
        ({"id": "x", "name": "X", "kind": "state", "nmae": "Y"}, tt.Party, "$.nmae", "unknown"),
        ({"id": "x", "name": "X", "kind": "State"}, tt.Party, "$.kind", "not a PartyKind"),
        ({"id": "x", "name": "X"}, tt.Party, "$.kind", "required key is missing"),
        ({"value": 25}, tt.Rate, "$.value", "not a number"),
        ({"value": "25%"}, tt.Rate, "$.value", "not a decimal number"),
        ({"value": "NaN"}, tt.Rate, "$.value", "not a decimal number"),
        ({"number": True}, tt.Round, "$.number", "expected a whole number"),
        ({"number": 1.0}, tt.Round, "$.number", "expected a whole number"),
        ({"code": "1201"}, tt.Link, "$.code", "unknown key"),
        ({"effective": "2025-11-01T00:00:00"}, tt.Terms, "$.effective", "no [Zone] suffix"),
        ({"effective": "2025-11-01[Mars/Olympus]"}, tt.Terms, "$.effective", "unknown time zone"),
        ({"effective": 20251101}, tt.Terms, "$.effective", "expected a time value as text"),
        (
            {"aliases": "USA", "id": "x", "name": "X", "kind": "state"},
            tt.Party,
            "$.aliases",
            "array",
        ),
        ({"rate": ["25"]}, tt.Terms, "$.rate", "expected an object"),
        ({"id": "Bad Id", "name": "X", "kind": "state"}, tt.Party, "$.id", "not a valid id"),
    ],
)
def test_bad_values_are_refused_with_their_path_and_reason(
    doc: dict[str, Any], cls: type, path: str, words: str
) -> None:
    readers: list[Callable[[], object]] = [
        lambda: tt.from_dict({**FORMAT, **doc}, cls),
        lambda: tt.from_json(json.dumps({**FORMAT, **doc}), cls),
    ]
    for read in readers:
        with pytest.raises(tt.InvalidDataError) as exc:
            read()
        found = problems(exc)
        assert any(p == path and words in m for p, m in found), found
        assert all(p.allowed for p in exc.value.problems), exc.value


def test_every_problem_of_a_document_is_reported_at_once_with_json_paths() -> None:
    doc = tt.to_dict(example())
    doc["parties"][1]["kind"] = "country"
    doc["measures"][0]["history"][1]["at"] = "2025-10-32[Asia/Seoul]"
    doc["measures"][2]["history"][0]["terms"]["quantity"]["amount"] = 12
    doc["negotiations"][0]["rounds"][0]["number"] = "5"
    with pytest.raises(tt.InvalidDataError) as exc:
        tt.from_dict(doc, tt.Scenario)
    assert [p for p, _ in problems(exc)] == [
        "$.parties[1].kind",
        "$.measures[0].history[1].at",
        "$.measures[2].history[0].terms.quantity.amount",
        "$.negotiations[0].rounds[0].number",
    ]
    assert "day is out of range for month" in str(exc.value)


def test_attrs_validator_messages_and_allowed_values_are_kept() -> None:
    doc = {**FORMAT, "value": "5", "currency": "USD"}
    with pytest.raises(tt.InvalidDataError) as exc:
        tt.from_dict(doc, tt.Rate)
    (problem,) = exc.value.problems
    assert problem.path == "$.unit"
    assert problem.message == "a percent rate has no currency or per-unit"
    assert problem.allowed == "unit=specific for an amount per unit"


def test_an_illegal_history_points_at_the_entry() -> None:
    doc = tt.to_dict(example())
    # Expired rather than paused: no suspension rides on it.
    doc["measures"][0]["history"][1].update(to="expired", suspension=None)
    with pytest.raises(tt.InvalidDataError) as exc:
        tt.from_dict(doc, tt.Scenario)
    (problem,) = exc.value.problems
    assert problem.path == "$.measures[0].history[1].to"
    assert "cannot move from proposed to expired" in problem.message
    assert problem.entity == "us-100pct"


@pytest.mark.parametrize(
    ("change", "words", "field", "allowed"),
    [
        (
            lambda entry: entry.update(to="expired", suspension=None),
            "cannot move from proposed to expired",
            "to",
            "in_force, paused, scheduled, withdrawn",
        ),
        (
            lambda entry: entry.update({"from": "in_force"}),
            "says it moves from in_force, but the status before that entry is proposed",
            "from",
            "from = proposed",
        ),
    ],
)
def test_an_illegal_history_is_located_by_the_entry_index_the_error_carries(
    change: Callable[[dict[str, Any]], None], words: str, field: str, allowed: str
) -> None:
    doc = tt.to_dict(example())
    change(doc["measures"][0]["history"][1])
    with pytest.raises(tt.IllegalTransitionError) as direct:
        attrs.evolve(example().measures[0], history=_entries(doc["measures"][0]["history"]))
    assert direct.value.index == 1
    with pytest.raises(tt.InvalidDataError) as read:
        tt.from_json(json.dumps(doc), tt.Scenario)
    (problem,) = read.value.problems
    assert problem.path == f"$.measures[0].history[1].{field}" and words in problem.message
    assert problem.allowed == allowed


def _entries(history: list[dict[str, Any]]) -> tuple[tt.MeasureEntry, ...]:
    """Each entry read alone (an entry checks itself, not its place in a history)."""
    return tuple(tt.from_dict({**FORMAT, **e}, tt.MeasureEntry) for e in history)


def test_scenario_cross_reference_problems_come_through_unchanged() -> None:
    doc = tt.to_dict(example())
    doc["measures"][0]["imposed_by"] = "uk"
    doc["deadlines"][0]["governs"] = ["nothing-here"]
    scenario = example()
    with pytest.raises(tt.InvalidDataError) as direct:
        tt.Scenario(
            sources=scenario.sources,
            parties=scenario.parties,
            measures=(
                tt.from_dict({**FORMAT, **doc["measures"][0]}, tt.Measure),
                *scenario.measures[1:],
            ),
            deadlines=(tt.from_dict({**FORMAT, **doc["deadlines"][0]}, tt.Deadline),),
            negotiations=scenario.negotiations,
        )
    with pytest.raises(tt.InvalidDataError) as read:
        tt.from_json(json.dumps(doc), tt.Scenario)
    assert read.value.problems == direct.value.problems
    assert [p.path for p in read.value.problems] == [
        "$.measures[0].imposed_by",
        "$.deadlines[0].governs[0]",
    ]


def test_documents_need_a_known_format_version() -> None:
    with pytest.raises(tt.InvalidDataError) as missing:
        tt.from_dict({"value": "5"}, tt.Rate)
    assert problems(missing) == [("$.format", "the document has no format key")]
    with pytest.raises(tt.InvalidDataError) as future:
        tt.from_json('{"format": "tradetruce/3", "value": "5"}', tt.Rate)
    assert problems(future) == [("$.format", "unsupported format 'tradetruce/3'")]
    with pytest.raises(tt.InvalidDataError):
        tt.from_json('["tradetruce/2"]', tt.Rate)


def test_only_document_types_are_accepted() -> None:
    with pytest.raises(tt.InvalidValueError, match="has a document form"):
        tt.to_dict(tt.When.parse("2025[UTC]"))
    with pytest.raises(tt.InvalidValueError):
        tt.from_json("{}", dict)


# -------------------------------------------------------------------------- syntax and limits
def test_json_syntax_errors_give_line_and_column() -> None:
    with pytest.raises(tt.InvalidDataError) as exc:
        tt.from_json('{\n  "format": "tradetruce/2",\n  "value": "5",,\n}', tt.Rate)
    (problem,) = exc.value.problems
    assert (problem.line, problem.column) == (3, 16)
    assert "JSON syntax error" in problem.message


def test_toml_syntax_errors_give_line_and_column() -> None:
    with pytest.raises(tt.InvalidDataError) as exc:
        tt.from_toml('format = "tradetruce/2"\nvalue = "5\n', tt.Rate)
    (problem,) = exc.value.problems
    assert problem.line == 2 and problem.column is not None
    assert "TOML syntax error" in problem.message


def test_invalid_utf8_is_located() -> None:
    with pytest.raises(tt.InvalidDataError) as exc:
        tt.from_json(b'{"format": "tradetruce/2",\n "value": "\xff"}', tt.Rate)
    (problem,) = exc.value.problems
    assert (problem.line, problem.column) == (2, 12)


def test_non_finite_json_numbers_are_refused() -> None:
    for bad in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(tt.InvalidDataError, match="not valid JSON"):
            tt.from_json(f'{{"format": "tradetruce/2", "value": {bad}}}', tt.Rate)


def test_size_and_depth_limits_are_enforced_and_configurable() -> None:
    doc = tt.to_json(tt.Rate.percent("5"))
    small = tt.Limits(max_bytes=10)
    for read in (tt.from_json, tt.from_toml):
        with pytest.raises(tt.InvalidDataError, match="larger than the limit"):
            read(doc, tt.Rate, limits=small)
    deep = '{"format": "tradetruce/2", "value": ' + "[" * 100 + "]" * 100 + "}"
    with pytest.raises(tt.InvalidDataError, match="nested deeper than 32"):
        tt.from_json(deep, tt.Rate)
    with pytest.raises(tt.InvalidDataError, match="nested deeper than 32"):
        tt.from_toml('format = "tradetruce/2"\nvalue = ' + "[" * 100 + "]" * 100, tt.Rate)
    nested: list[Any] = []
    nested.append(nested)  # a cycle is infinitely deep
    with pytest.raises(tt.InvalidDataError, match="nested deeper"):
        tt.from_dict({**FORMAT, "value": nested}, tt.Rate)
    # The limit binds the fast path too: the scenario format nests 7 levels.
    text = (EXAMPLES / "scenario.json").read_text("utf-8")
    with pytest.raises(tt.InvalidDataError, match="nested deeper than 4"):
        tt.from_json(text, tt.Scenario, limits=tt.Limits(max_depth=4))
    assert tt.from_json(text, tt.Scenario, limits=tt.Limits(max_depth=7)) == example()


def test_huge_numbers_and_pathological_text_give_tradetruce_errors() -> None:
    for text in (
        '{"format": "tradetruce/2", "value": ' + "9" * 5000 + "}",
        '{"format": "tradetruce/2", "value": 1e999}',
        "[" * 200_000,
        "",
        "\ufeff{}",
    ):
        with pytest.raises(tt.InvalidDataError):
            tt.from_json(text, tt.Rate)


# -------------------------------------------------------------------------------- converter
def test_the_converter_factory_leaves_cattrs_global_converter_alone() -> None:
    converter = tt.make_converter()
    with pytest.raises(Exception, match="expected text"):
        converter.structure(1, str)
    assert cattrs.structure(1, str) == "1"


def test_configure_converter_prepares_an_applications_own_converter() -> None:
    converter = cattrs.Converter()
    tt.configure_converter(converter)
    when = tt.When.parse("2026-11~[Asia/Shanghai]")
    assert converter.unstructure(when) == "2026-11~[Asia/Shanghai]"
    assert converter.structure("2026-11~[Asia/Shanghai]", tt.When) == when
    link = tt.Link(tt.LinkKind.SUPERSEDES, "m")
    assert converter.structure(converter.unstructure(link), tt.Link) == link


def test_a_misspelt_key_is_refused_with_the_key_it_may_mean() -> None:
    text = '{"format": "tradetruce/2", "id": "x", "name": "X", "kind": "state", "imposd": 1}'
    with pytest.raises(tt.InvalidDataError) as exc:
        tt.from_json(text.replace("imposd", "jurisdction"), tt.Party)
    (problem,) = exc.value.problems
    assert problem.path == "$.jurisdction"
    assert "(did you mean 'jurisdiction'?)" in problem.message
    with pytest.raises(tt.InvalidDataError) as far:
        tt.from_json(text.replace("imposd", "zzzz"), tt.Party)
    assert "did you mean" not in far.value.problems[0].message

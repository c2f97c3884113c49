"""Answers as documents: views, states, stacks and changes through the library's writers, each
valid under its JSON Schema, with a stable shape; and the CLI's ``--json`` built from them."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradetruce as tt
from tradetruce.cli import main
from tradetruce.strategies import hs_codes, scenarios, times

BEV = Path(__file__).parent / "data" / "scenarios" / "eu-bev-cvd.toml"
NOON = "2024-10-30T12:00:00+01:00[Europe/Brussels]"

#: Every answer, with the derived properties its document carries besides its attrs fields.
ANSWERS: dict[type, tuple[str, ...]] = {
    tt.View: (),
    tt.MeasureState: ("exists",),
    tt.DeadlineState: ("exists",),
    tt.NegotiationState: ("exists",),
    tt.StateChange: (),
    tt.Upcoming: (),
    tt.Event: (),
    tt.Change: ("at",),
    tt.RecordedChange: ("at",),
    tt.TariffStack: ("low", "high"),
    tt.TariffLayer: (),
    tt.Amount: (),
}


def _validator(cls: type) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(tt.json_schema(cls))


def _keys(cls: type) -> list[str]:
    """The keys of an answer's document: format, answer, every attrs field (``from_`` written
    ``from``), then the derived properties."""
    fields = [a.name.removesuffix("_") for a in attrs.fields(cls)]
    return ["format", "answer", *fields, *ANSWERS[cls]]


def _check(obj: object) -> dict[str, Any]:
    """The document of ``obj``: valid under its schema, with every key, as to_json writes it."""
    cls = next(c for c in type(obj).__mro__ if c in ANSWERS)
    doc = tt.to_dict(obj)
    errors = [e.message for e in _validator(cls).iter_errors(doc)]
    assert not errors, (cls.__name__, errors[:3], doc)
    assert list(doc) == _keys(cls), (list(doc), _keys(cls))
    assert doc["format"] == tt.FORMAT and doc["answer"] == cls.__name__
    assert json.loads(tt.to_json(obj)) == doc
    return doc


@pytest.mark.parametrize("cls", list(ANSWERS), ids=lambda c: c.__name__)
def test_every_answer_has_a_schema_that_is_itself_valid(cls: type) -> None:
    schema = tt.json_schema(cls)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == _keys(cls)
    assert schema["properties"]["answer"] == {
        "const": cls.__name__,
        "description": "What the document answers: the class it holds; the second key.",
    }
    assert schema["additionalProperties"] is False


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)
@given(
    scenarios(max_parties=3, max_sources=2, max_measures=3, max_history=3),
    hs_codes(),
    times(),
    times(),
    st.data(),
)
def test_every_answer_about_a_generated_scenario_is_valid_under_its_schema(
    scenario: tt.Scenario, product: tt.HSCode, at: tt.When, known: tt.When, data: st.DataObject
) -> None:
    view = scenario.at(at, known_at=known)
    doc = _check(view)
    for kind in ("measures", "deadlines", "negotiations"):
        states = getattr(view, kind)
        assert list(doc[kind]) == list(states)
        for id in states:
            assert _check(states[id]) == {
                "format": tt.FORMAT,
                **doc[kind][id],
                "answer": type(states[id]).__name__,
            }
    for difference in view.diff(scenario.at(known)):
        _check(difference)
    for item in scenario.upcoming_deadlines(at):
        _check(item)
    for event in scenario.timeline():
        _check(event)
    first, last = sorted((at, known), key=lambda w: w.upper)
    if first.upper < last.upper:
        for change in scenario.changes(first, last):
            _check(change)
        for recorded in scenario.changes_recorded(first, last):
            _check(recorded)
    importer = data.draw(st.sampled_from(scenario.parties)).id
    exporter = data.draw(st.sampled_from(scenario.parties)).id
    stack = scenario.tariff_stack(importer, exporter, product, at, known)
    written = _check(stack)
    assert (written["low"], written["high"]) == (str(stack.low), str(stack.high))
    for layer in (*stack.layers, *stack.uncertain, *stack.per_unit, *stack.excluded):
        _check(layer)
    currencies = {layer.rate.currency or "EUR" for layer in stack.per_unit} or {"EUR"}
    if len(currencies) == 1:  # no currency conversion is made
        _check(stack.amount("1000", currencies.pop(), "3"))


def test_a_tariff_stack_document_has_a_stable_shape() -> None:
    scenario = tt.load_seed(BEV)
    stack = scenario.tariff_stack("fr", "cn", "87038010", NOON, producer="byd")
    doc = _check(stack)
    assert doc["at"] == "2024-10-30T11:00:00+00:00[UTC]"
    assert doc["known_at"] is None  # an open end is null, never left out
    assert (doc["importer"], doc["exporter"], doc["product"], doc["producer"]) == (
        "fr",
        "cn",
        "87038010",
        "byd",
    )
    assert (doc["low"], doc["high"]) == ("27.0", "27.4")
    (base,) = doc["layers"]
    assert base["measure"] == "eu-cars-duty" and base["base"] is True
    assert base["rate"] == {"value": "10"}  # a Rate as documents write it
    (cvd,) = doc["uncertain"]
    assert (cvd["measure"], cvd["certain"], cvd["low"]) == ("eu-bev-cvd", False, "17.0")
    assert cvd["rate"] == {"value": "17.4"}
    assert list(cvd) == _keys(tt.TariffLayer)[2:]  # nested answers carry no format key
    amount = _check(stack.amount(Decimal("40000"), "EUR"))
    assert amount == {
        "format": tt.FORMAT,
        "answer": "Amount",
        "currency": "EUR",
        "low": "10800.0",
        "high": "10960.0",
    }


def test_a_view_document_keeps_states_by_id_and_entries_as_documents_write_them() -> None:
    scenario = tt.load_seed()
    view = scenario.at("2025-11-12[America/New_York]", known_at="2025-11-01[America/New_York]")
    doc = _check(view)
    assert doc["t"] == "2025-11-13T04:59:59.999999+00:00[UTC]"
    assert doc["known_at"] == "2025-11-02T03:59:59.999999+00:00[UTC]"
    tariff = doc["measures"]["us-100pct-tariff"]
    state = view.measures["us-100pct-tariff"]
    assert tariff["status"] == (None if state.status is None else state.status.value)
    assert tariff["candidates"] == [None if c is None else c.value for c in state.candidates]
    first = tt.to_dict(state.entries[0])
    assert tariff["entries"][0] == {k: v for k, v in first.items() if k != "format"}
    assert tariff["suspension"] is None or isinstance(tariff["suspension"], dict)


@pytest.mark.parametrize("cls", [tt.View, tt.TariffStack, tt.Amount])
def test_answers_are_written_and_never_read(cls: type) -> None:
    with pytest.raises(tt.InvalidValueError, match="is an answer") as exc:
        tt.from_json('{"format": "tradetruce/2"}', cls)
    assert exc.value.field == "cls"
    with pytest.raises(tt.InvalidValueError, match="is an answer"):
        tt.from_dict({"format": "tradetruce/2"}, cls)


def test_answers_have_no_toml_form() -> None:
    stack = tt.load_seed(BEV).tariff_stack("fr", "cn", "87038010", NOON)
    with pytest.raises(tt.InvalidValueError, match="JSON only") as exc:
        tt.to_toml(stack)
    assert "to_json" in exc.value.allowed


# ------------------------------------------------------------------------------ the CLI
def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_tariff_json_is_the_stack_document_with_the_times_as_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    flow = ("--importer", "fr", "--exporter", "cn", "--product", "87038010", "--producer", "byd")
    doc = _cli(
        capsys,
        "tariff",
        str(BEV),
        *flow,
        "--at",
        NOON,
        "--value",
        "40000",
        "--currency",
        "EUR",
        "--json",
    )
    stack = tt.load_seed(BEV).tariff_stack("fr", "cn", "87038010", NOON, producer="byd")
    written = tt.to_dict(stack)
    assert list(doc)[: len(written)] == list(written)
    assert {k: v for k, v in doc.items() if k in written and k not in ("at", "known_at")} == {
        k: v for k, v in written.items() if k not in ("at", "known_at")
    }
    assert (doc["at"], doc["known_at"]) == (NOON, None)  # as the reader gave them
    assert doc["at_instant"] == "2024-10-30T11:00:00+00:00"
    assert doc["amount"] == {
        "value": "40000",
        "quantity": None,
        "currency": "EUR",
        "low": "10800.0",
        "high": "10960.0",
    }
    (uncertain,) = doc["uncertain"]
    assert uncertain["certain"] is False and uncertain["rate"] == {"value": "17.4"}


def test_changes_json_rows_are_recorded_change_documents(
    capsys: pytest.CaptureFixture[str],
) -> None:
    window = ("--recorded-from", "2025-10-25[UTC]", "--recorded-to", "2025-10-26[UTC]")
    doc = _cli(capsys, "changes", *window, "--json")
    found = tt.load_seed().changes_recorded("2025-10-25[UTC]", "2025-10-26[UTC]")
    assert len(doc["changes"]) == len(found) > 0
    validate = _validator(tt.RecordedChange)
    for row, change in zip(doc["changes"], found, strict=True):
        assert row["text"] == str(change)
        shown = {k: v for k, v in row.items() if k != "text"}
        document = {"format": tt.FORMAT, "answer": "RecordedChange", **shown}
        assert document == tt.to_dict(change)
        validate.validate(document)


def test_timeline_json_rows_are_event_documents_with_bounds_at_hand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = _cli(capsys, "timeline", "--json", "--tz", "UTC")
    events = tt.load_seed().timeline()
    assert len(doc["events"]) == len(events) > 0
    validate = _validator(tt.Event)
    for row, event in zip(doc["events"], events, strict=True):
        document = {"format": tt.FORMAT, "answer": "Event"}
        document |= {k: row[k] for k in _keys(tt.Event)[2:]}
        assert document == tt.to_dict(event)
        validate.validate(document)
        # The time's bounds in UTC, an open end null, never a made-up date.
        assert row["earliest"] is None or row["earliest"].endswith("+00:00")
        assert row["source"] == event.source and row["local"]
    assert doc["events"][0]["earliest"] is None


# ------------------------------------------------------------------ tables as JSON rows
_PANEL = (
    "--importer",
    "us",
    "--origin",
    "cn",
    "--product",
    "8517",
    "--from",
    "2025-10-01[UTC]",
    "--to",
    "2025-12-01[UTC]",
)


@pytest.mark.parametrize(
    ("name", "argv"),
    [
        ("entries", ("--table", "entries")),
        ("statuses", ("--table", "statuses")),
        ("deadlines", ("--table", "deadlines")),
        ("scope", ("--table", "scope")),
        ("panel", ("--table", "panel", *_PANEL)),
        ("daily", ("--table", "panel", *_PANEL, "--daily", "UTC")),
    ],
)
def test_export_jsonl_writes_every_row_typed_by_its_column(
    capsys: pytest.CaptureFixture[str], name: str, argv: tuple[str, ...]
) -> None:
    pytest.importorskip("pyarrow")
    from tradetruce.export._rows import row_schema
    from tradetruce.export.schema import TABLES

    assert main(["export", "--format", "jsonl", *argv]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines
    schema = row_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    validate = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for line in lines:
        row = json.loads(line)
        validate.validate(row)
        assert list(row) == [c.name for c in TABLES[name]]
        for c in TABLES[name]:
            if c.kind == "decimal" and row[c.name] is not None:
                assert isinstance(row[c.name], str)  # never a float
                Decimal(row[c.name])


def test_export_jsonl_to_a_file_reports_its_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("pyarrow")
    target = tmp_path / "statuses.jsonl"
    report = _cli(
        capsys, "export", "--format", "jsonl", "--table", "statuses", "-o", str(target), "--json"
    )
    written = target.read_text(encoding="utf-8").splitlines()
    assert report == {
        "format": "jsonl",
        "table": "statuses",
        "output": str(target),
        "rows": len(written),
    }
    first = json.loads(written[0])
    assert first["entity"] == "us-100pct-tariff" and first["rate"] == "100.000000"
    assert first["valid_at"] == "2025-10-26T15:59:59.999999+00:00" and first["known_at"] is None


def test_status_json_shows_every_field_of_terms_from_the_one_description(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = _cli(capsys, "status", "--json", "--tz", "UTC", "--at", "2025-03-01[UTC]", str(BEV))
    cvd = next(m for m in doc["measures"] if m["id"] == "eu-bev-cvd")
    terms = cvd["terms"]
    # Every field a Terms has (None as null), after the words.
    assert next(iter(terms)) == "text"
    assert set(terms) - {"text"} == {a.name.removesuffix("_") for a in attrs.fields(tt.Terms)}
    assert terms["rate"] == {
        "value": "35.3",
        "unit": "percent",
        "currency": None,
        "per": None,
        "high": None,
        "other": None,
        "combine": None,
        "floor": False,
    }
    byd = next(p for p in terms["scope"]["producers"] if p["producer"] == "byd")
    assert byd["rate"]["value"] == "17.0"
    assert terms["authority"] == "countervailing"

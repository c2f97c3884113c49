"""The generated JSON Schema accepts what tradetruce writes and refuses what it cannot read."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

import tradetruce as tt
import tradetruce.strategies as tst
from tradetruce.values._validate import _ID_RE
from tradetruce.values._validate import MAX_WHOLE_NUMBER as ROUND_NUMBER_MAX
from tradetruce.values.calendar import _CALENDAR_RE
from tradetruce.values.codes import _CODE_RE, _EDITION_RE
from tradetruce.values.when import _INSTANT_RE
from tradetruce.wire._scalars import DECIMAL_RE

EXAMPLES = Path(__file__).parent / "data" / "format-2"
DOCUMENT_TYPES = [
    tt.Scenario,
    tt.Source,
    tt.Party,
    tt.Measure,
    tt.Deadline,
    tt.Negotiation,
    tt.MeasureEntry,
    tt.DeadlineEntry,
    tt.NegotiationEntry,
    tt.Terms,
    tt.Rate,
    tt.Quantity,
    tt.Link,
    tt.Consequence,
    tt.Round,
    tt.Term,
]


def validator(cls: type) -> Any:
    return jsonschema.Draft202012Validator(tt.json_schema(cls))


@pytest.mark.parametrize("cls", DOCUMENT_TYPES, ids=lambda c: c.__name__)
def test_every_document_type_has_a_valid_draft_2020_12_schema(cls: type) -> None:
    schema = tt.json_schema(cls)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["format"] == {
        "const": "tradetruce/2",
        "description": "The format version of the document; always the first key.",
    }
    assert schema["additionalProperties"] is False


def test_the_schema_follows_the_model() -> None:
    schema = tt.json_schema(tt.Scenario)
    entry = schema["$defs"]["MeasureEntry"]
    assert entry["properties"]["to"]["enum"] == [s.value for s in tt.MeasureStatus]
    assert "from" in entry["properties"] and "from_" not in entry["properties"]
    assert entry["required"] == ["to", "at", "source"]
    assert entry["properties"]["evidence"]["default"] == "reported"
    party = schema["$defs"]["Party"]["properties"]
    assert party["kind"]["enum"] == [k.value for k in tt.PartyKind]
    assert {"US", "CN", "EU"} <= set(party["jurisdiction"]["anyOf"][0]["enum"])
    source = schema["$defs"]["Source"]["properties"]
    assert source["published"]["description"].startswith("when it was published")
    assert schema["$defs"]["Rate"]["properties"]["value"]["type"] == "string"
    # A round's number is optional (a leaders' meeting need not be numbered); its bounds stay.
    number = schema["$defs"]["Round"]["properties"]["number"]["anyOf"][0]
    assert (number["minimum"], number["maximum"]) == (1, ROUND_NUMBER_MAX)


def test_the_schema_takes_its_patterns_from_the_modules_that_own_the_rules() -> None:
    defs = tt.json_schema(tt.Scenario)["$defs"]
    id_pattern = defs["Party"]["properties"]["id"]["pattern"]
    code_pattern = defs["Measure"]["properties"]["products"]["items"]["pattern"]
    when_pattern = defs["Source"]["properties"]["published"]["anyOf"][0]["pattern"]
    decimal_pattern = defs["Rate"]["properties"]["value"]["pattern"]
    assert _ID_RE.pattern in id_pattern
    assert _CODE_RE.pattern in code_pattern and _EDITION_RE.pattern in code_pattern
    assert _INSTANT_RE.pattern in when_pattern and _CALENDAR_RE.pattern in when_pattern
    assert DECIMAL_RE.pattern in decimal_pattern
    # and they accept and refuse what the readers accept and refuse
    measure = json.loads((EXAMPLES / "scenario.json").read_text("utf-8"))["measures"][0]
    samples: list[tuple[str, type, str, Any, list[str]]] = [
        (id_pattern, tt.Link, "$.measure", lambda t: {"kind": "suspends", "measure": t}, IDS),
        (code_pattern, tt.Measure, "$.products", lambda t: {**measure, "products": [t]}, CODES),
        (decimal_pattern, tt.Rate, "$.value", lambda t: {"value": t}, DECIMALS),
    ]
    for pattern, cls, path, doc, texts in samples:
        for text in texts:
            where = _refused_at(cls, doc(text))
            assert where in ({path}, set()), (text, where)
            assert (re.search(pattern, text) is not None) is (not where), (path, text)
    for text in ["2025-11-01[UTC]", "2026-11~[Asia/Shanghai]", "../2025-10-26[Asia/Tokyo]"]:
        assert re.search(when_pattern, text) and tt.When.parse(text)


FORMAT = {"format": tt.FORMAT}


def _refused_at(cls: type, doc: dict[str, Any]) -> set[str]:
    """Where the reader finds problems in a ``cls`` document (array indexes left out)."""
    try:
        tt.from_dict({**FORMAT, **doc}, cls)
    except tt.InvalidDataError as exc:
        return {p.path.split("[")[0] for p in exc.problems}
    return set()


IDS = ["us-100pct", "US", "a" * 129, "a" * 128, "a.b", "-a", "a_", "é"]
CODES = ["0201", "HS2022:120190", "201", "HS22:01", "1201900000", "12019000001"]
DECIMALS = ["7.50", "1E+2", "NaN", "1_000", " 1", "-0", "+.5", "1e"]


def test_the_stored_example_validates_in_json_and_toml() -> None:
    check = validator(tt.Scenario)
    check.validate(json.loads((EXAMPLES / "scenario.json").read_text("utf-8")))
    check.validate(tomllib.loads((EXAMPLES / "scenario.toml").read_text("utf-8")))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tst.scenarios())
def test_every_generated_scenario_validates(scenario: tt.Scenario) -> None:
    validator(tt.Scenario).validate(tt.to_dict(scenario))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tst.measures())
def test_every_generated_measure_validates(measure: tt.Measure) -> None:
    validator(tt.Measure).validate(tt.to_dict(measure))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.pop("format"), "format"),
        (lambda d: d.update(format="tradetruce/0"), "format"),
        (lambda d: d.update(titel="typo"), "titel"),
        (lambda d: d["parties"][0].update(id="US"), "id"),
        (lambda d: d["parties"][0].update(kind="country"), "kind"),
        (lambda d: d["measures"][0]["history"][0]["terms"]["rate"].update(value=100), "value"),
        (lambda d: d["measures"][0].update(products=[201]), "products"),
        (lambda d: d["measures"][0]["history"][0].update(at="2025-11-01"), "at"),
        (lambda d: d["measures"][0]["history"][0].pop("source"), "source"),
        (lambda d: d["negotiations"][0]["rounds"][0].update(number=0), "number"),
        (lambda d: d["negotiations"][0]["rounds"][0].update(number=2**63), "number"),
        (lambda d: d["parties"][0].update(jurisdiction="XX"), "jurisdiction"),
    ],
)
def test_documents_the_reader_refuses_fail_the_schema_too(change: Any, where: str) -> None:
    doc = json.loads((EXAMPLES / "scenario.json").read_text("utf-8"))
    change(doc)
    errors = list(validator(tt.Scenario).iter_errors(doc))
    assert errors, where
    assert any(where in (str(e.path) + e.message) for e in errors), [e.message for e in errors]
    with pytest.raises(tt.InvalidDataError):
        tt.from_dict(doc, tt.Scenario)


def test_a_type_without_a_document_form_is_refused() -> None:
    with pytest.raises(tt.InvalidValueError):
        tt.json_schema(dict)

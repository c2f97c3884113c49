"""What became known between two knowledge times: Scenario.changes_recorded and the
`tradetruce changes` command."""

from __future__ import annotations

import io
import json

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import tradetruce as tt
from _engine_scenario import truce
from tradetruce import Delivery, Quantity, When
from tradetruce.cli import main
from tradetruce.model.history import recorded_time
from tradetruce.strategies import scenarios, times


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def every_item(s: tt.Scenario) -> list[tuple[str, object]]:
    items: list[tuple[str, object]] = []
    for e in s.entities():
        items += [(e.id, x) for x in e.history]
        commitment = getattr(e, "commitment", None)
        if commitment is not None:
            items += [(e.id, d) for d in commitment.deliveries]
    return items


def test_a_window_lists_exactly_the_entries_recorded_in_it_in_recorded_order() -> None:
    s = truce()
    k1, k2 = When.parse("2025-10-25[UTC]"), When.parse("2025-10-31[UTC]")
    found = s.changes_recorded(k1, k2)
    expected = [
        (entity, entry)
        for entity, entry in every_item(s)
        if k1.hi_us < recorded_time(entry, s.published).hi_us <= k2.hi_us  # type: ignore[arg-type]
    ]
    assert sorted((c.entity, id(c.entry)) for c in found) == sorted(
        (entity, id(entry)) for entity, entry in expected
    )
    assert [c.recorded.hi_us for c in found] == sorted(c.recorded.hi_us for c in found)
    assert found, "the window holds the talks' entries"


def test_a_delivery_reported_in_the_window_is_listed_as_a_delivery() -> None:
    s = tt.load_seed()
    soy = s.measure("cn-soybean-purchases")
    commitment = tt.Commitment(
        targets=(
            tt.Target(
                period=When.parse("2025[Asia/Shanghai]"),
                quantity=Quantity.of("12000000", "tonne", bound=tt.Bound.AT_LEAST),
            ),
        )
    )
    soy = attrs.evolve(soy, commitment=commitment).with_delivery(
        Delivery(
            at=When.parse("2025-11[Asia/Shanghai]"),
            quantity=Quantity.of("1000000", "tonne"),
            source=soy.history[0].source,
            recorded=When.parse("2025-12-05[Asia/Shanghai]"),
        )
    )
    s = s.replace(soy)
    found = s.changes_recorded("2025-12-01[UTC]", "2025-12-31[UTC]")
    assert [(c.kind, c.entity) for c in found] == [("delivery", "cn-soybean-purchases")]
    assert "delivery of 1000000 tonne" in str(found[0])


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(tt.InvalidValueError, match="ends"):
        truce().changes_recorded("2025-11-01[UTC]", "2025-10-01[UTC]")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), times(), times(), times())
def test_consecutive_windows_see_each_entry_once_and_only_what_known_at_adds(
    s: tt.Scenario, a: When, b: When, c: When
) -> None:
    k1, k2, k3 = sorted((a, b, c), key=lambda w: w.hi_us)
    first, second = s.changes_recorded(k1, k2), s.changes_recorded(k2, k3)
    whole = s.changes_recorded(k1, k3)
    assert sorted(id(x.entry) for x in (*first, *second)) == sorted(id(x.entry) for x in whole)
    # Whatever a window lists is known as of its end and was not as of its start.
    for change in whole:
        assert k1.hi_us < change.recorded.hi_us <= k3.hi_us


def test_the_changes_command_prints_the_window_and_each_change() -> None:
    code, text = run(
        "changes", "--recorded-from", "2025-10-25[UTC]", "--recorded-to", "2025-10-26[UTC]"
    )
    assert code == 0, text
    lines = text.splitlines()
    assert lines[0].endswith(f": {len(lines) - 1}"), lines[0]
    assert "measure us-100pct-tariff: (not yet) -> proposed" in text
    code, text = run(
        "changes",
        "--json",
        "--recorded-from",
        "2025-10-25[UTC]",
        "--recorded-to",
        "2025-10-26[UTC]",
    )
    doc = json.loads(text)
    assert doc["recorded_from"] == "2025-10-25[UTC]" and len(doc["changes"]) == len(lines) - 1
    # Each change is the RecordedChange document, with the line the text shows.
    assert list(doc["changes"][0]) == [
        "entity",
        "kind",
        "recorded",
        "entry",
        "corrects",
        "at",
        "text",
    ]
    assert doc["changes"][0]["entry"]["source"] == "art-2025-10-26"


def test_the_changes_command_refuses_a_window_backwards_and_needs_both_ends() -> None:
    assert (
        run("changes", "--recorded-from", "2025-11-01[UTC]", "--recorded-to", "2025-10-01[UTC]")[0]
        == 2
    )
    assert run("changes", "--recorded-from", "2025-11-01[UTC]")[0] == 2

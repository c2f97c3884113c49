"""Deadlines counted from another entity's event ("90 days after signing"), resolved as known."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings

import tradetruce as tt
from tradetruce import (
    Correction,
    CorrectionKind,
    DeadlineEntry,
    DeadlineStatus,
    Duration,
    NegotiationEntry,
    NegotiationStatus,
    RelativeDue,
    When,
)
from tradetruce.strategies import durations, times

W = When.parse
UNKNOWN = W("../..[UTC]")
NINETY_DAYS = RelativeDue("talks", "signed", Duration(days=90))


def talks(signed_at: str = "2025-10-30[Asia/Seoul]", recorded: str = "2025-10-31[UTC]") -> Any:
    return tt.Negotiation(
        id="talks",
        title="Talks",
        parties=("us", "cn"),
        history=(
            NegotiationEntry(
                from_=None,
                to=NegotiationStatus.SCHEDULED,
                at=W("2025-10-01[UTC]"),
                source="s",
                recorded=W("2025-10-01[UTC]"),
            ),
            NegotiationEntry(
                from_=NegotiationStatus.SCHEDULED,
                to=NegotiationStatus.IN_TALKS,
                at=W("2025-10-02[UTC]"),
                source="s",
                recorded=W("2025-10-02[UTC]"),
            ),
            NegotiationEntry(
                from_=NegotiationStatus.IN_TALKS,
                to=NegotiationStatus.SIGNED,
                at=W(signed_at),
                source="s",
                recorded=W(recorded),
                id="signing",
            ),
        ),
    )


def purchases(relative: RelativeDue = NINETY_DAYS) -> tt.Deadline:
    return tt.Deadline(
        id="purchases",
        title="Purchases due",
        kind=tt.DeadlineKind.OTHER,
        history=(
            DeadlineEntry(
                from_=None,
                to=DeadlineStatus.PENDING,
                at=W("2025-10-01[UTC]"),
                source="s",
                recorded=W("2025-10-01[UTC]"),
                due_after=relative,
            ),
        ),
    )


def scenario(*entities: Any) -> tt.Scenario:
    return tt.Scenario(
        sources=(tt.Source(id="s", title="Report"),),
        parties=(
            tt.Party(id="us", name="US", kind=tt.PartyKind.STATE),
            tt.Party(id="cn", name="China", kind=tt.PartyKind.STATE),
        ),
        negotiations=tuple(e for e in entities if isinstance(e, tt.Negotiation)),
        deadlines=tuple(e for e in entities if isinstance(e, tt.Deadline)),
    )


def test_a_deadline_on_its_own_cannot_see_the_event_so_its_due_time_is_unknown() -> None:
    d = purchases()
    assert str(d.due) == "../..[UTC]"
    assert d.due.earliest is tt.When.parse("../..[UTC]").earliest
    assert d.due_at(W("2026-01-01[UTC]")) == UNKNOWN


def test_a_view_resolves_the_due_time_once_the_event_is_known() -> None:
    s = scenario(talks(), purchases())
    t = W("2025-11-02[UTC]")
    assert s.at(t, known_at=W("2025-10-15[UTC]")).deadlines["purchases"].due == UNKNOWN
    resolved = W("2026-01-28[Asia/Seoul]")
    assert s.at(t, known_at=W("2025-11-01[UTC]")).deadlines["purchases"].due == resolved
    assert s.at(t).deadlines["purchases"].due == resolved


def test_upcoming_lists_an_unresolved_deadline_as_possible_in_any_window_never_certain() -> None:
    s = scenario(talks(), purchases())
    start = W("2025-11-01[UTC]")
    before = s.upcoming_deadlines(
        start=start, within=pendulum.duration(days=7), known_at=W("2025-10-15[UTC]")
    )
    assert [(u.deadline, u.due, u.certain) for u in before] == [("purchases", UNKNOWN, False)]
    assert "(possibly)" in str(before[0])
    after = s.upcoming_deadlines(start=start, known_at=W("2025-11-01[UTC]"))
    assert [(u.due, u.certain) for u in after] == [(W("2026-01-28[Asia/Seoul]"), True)]
    # Resolved, it falls only in the windows that hold it.
    assert s.upcoming_deadlines(start=start, within=pendulum.duration(days=7)) == ()


def test_an_erratum_of_the_event_moves_the_resolved_due_time_once_known() -> None:
    fix = Correction(
        kind=CorrectionKind.ERRATUM,
        entry="signing",
        source="s",
        recorded=W("2025-11-05[UTC]"),
        at=W("2025-11-01[Asia/Seoul]"),
    )
    s = scenario(attrs.evolve(talks(), corrections=(fix,)), purchases())
    t = W("2025-11-10[UTC]")
    assert s.at(t, known_at=W("2025-11-02[UTC]")).deadlines["purchases"].due == W(
        "2026-01-28[Asia/Seoul]"
    )
    assert s.at(t, known_at=W("2025-11-06[UTC]")).deadlines["purchases"].due == W(
        "2026-01-30[Asia/Seoul]"
    )


def test_a_relative_due_time_names_an_existing_entity_and_a_status_of_its_lifecycle() -> None:
    doc = json.loads(tt.to_json(scenario(talks(), purchases())))
    doc["deadlines"][0]["history"][0]["due_after"]["entity"] = "tallks"
    with pytest.raises(tt.InvalidDataError) as caught:
        tt.from_json(json.dumps(doc), tt.Scenario)
    assert [p.path for p in caught.value.problems] == ["$.deadlines[0].history[0].due_after.entity"]
    doc["deadlines"][0]["history"][0]["due_after"] = {
        "entity": "talks",
        "to": "in_force",
        "after": {"days": 90},
    }
    with pytest.raises(tt.InvalidDataError) as caught:
        tt.from_json(json.dumps(doc), tt.Scenario)
    assert [p.path for p in caught.value.problems] == ["$.deadlines[0].history[0].due_after.to"]


def test_only_an_entry_that_sets_a_due_time_may_count_it_from_an_event() -> None:
    with pytest.raises(tt.InvalidValueError) as caught:
        DeadlineEntry(
            from_=DeadlineStatus.PENDING,
            to=DeadlineStatus.MET,
            at=W("2025-11-01[UTC]"),
            source="s",
            due_after=NINETY_DAYS,
        )
    assert caught.value.field == "due_after"


def test_relative_due_times_round_trip_and_are_in_the_schema() -> None:
    s = scenario(talks(), purchases())
    assert tt.from_json(tt.to_json(s), tt.Scenario) == s
    assert tt.from_toml(tt.to_toml(s), tt.Scenario) == s
    schema = tt.json_schema(tt.Scenario)
    assert set(schema["$defs"]["RelativeDue"]["properties"]) == {"entity", "to", "after"}
    assert "due_after" in schema["$defs"]["DeadlineEntry"]["properties"]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(durations(), times(), times())
def test_the_due_time_is_unknown_until_the_event_is_known_then_the_duration_after_it(
    after: Duration, signed: When, k: When
) -> None:
    if signed.lo_us < W("2025-10-03[UTC]").lo_us:
        signed = W("2025-10-03[UTC]")  # after the talks began
    recorded = "2025-10-31T12:00:00+00:00[UTC]"
    s = scenario(talks(str(signed), recorded), purchases(RelativeDue("talks", "signed", after)))
    due = s.at(W("2025-11-01[UTC]"), known_at=k).deadlines["purchases"].due
    if k.hi_us < W("2025-10-01[UTC]").hi_us:
        assert due is None, "the deadline itself is not known yet"
    elif k.hi_us >= W(recorded).hi_us:
        assert due == after.after(signed)
    else:
        assert due == UNKNOWN


def test_the_calendar_writes_a_resolved_relative_deadline_and_leaves_out_an_unknown_one() -> None:
    import datetime as _dt

    import icalendar

    from tradetruce.ical import deadlines_ics

    unsigned = attrs.evolve(talks(), history=talks().history[:2])
    assert "VEVENT" not in deadlines_ics(scenario(unsigned, purchases()))
    [event] = icalendar.Calendar.from_ical(deadlines_ics(scenario(talks(), purchases()))).walk(
        "VEVENT"
    )
    assert event.decoded("DTSTART") == _dt.date(2026, 1, 28)


def test_a_deadline_can_be_created_counted_from_an_event_and_needs_a_due_time_of_some_kind() -> (
    None
):
    d = tt.Deadline.create(
        id="purchases",
        title="Purchases due",
        kind=tt.DeadlineKind.OTHER,
        at="2025-10-01[UTC]",
        source="s",
        due_after=NINETY_DAYS,
    )
    assert d.history[0].due_after == NINETY_DAYS and d.due == UNKNOWN
    with pytest.raises(tt.InvalidValueError):
        tt.Deadline.create(
            id="x", title="X", kind=tt.DeadlineKind.OTHER, at="2025-10-01[UTC]", source="s"
        )

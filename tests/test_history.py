"""The fold of a history: uncertainty, order as a fact, known time, and competing claims."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetruce import (
    Evidence,
    IllegalTransitionError,
    Measure,
    MeasureEntry,
    MeasureKind,
    MeasureStatus,
    When,
)
from tradetruce.model.history import read
from tradetruce.values.when import utc


def measure(at: str = "2025-10[UTC]") -> Measure:
    return Measure.propose(id="m", kind=MeasureKind.TARIFF, imposed_by="us", at=at, source="s")


def test_an_event_counts_once_a_later_listed_event_has_certainly_happened() -> None:
    m = measure("2025-10[UTC]").transition(MeasureStatus.IN_FORCE, at="2025-10-05[UTC]", source="s")
    # On 6 October the proposal's month is not over, but the later entry has happened.
    reading = m.reading_at(When.parse("2025-10-06T00:00[UTC]"))
    assert reading.certain
    assert reading.status is MeasureStatus.IN_FORCE


def test_an_event_may_only_have_happened_once_every_earlier_one_may_have() -> None:
    m = measure("2025-10-10[UTC]").transition(MeasureStatus.PAUSED, at="2025-10[UTC]", source="s")
    # The pause is listed after the proposal, so it cannot have happened before 10 October.
    before = m.reading_at(When.parse("2025-10-05T12:00[UTC]"))
    assert before.candidates == (None,)
    during = m.reading_at(When.parse("2025-10-10T12:00[UTC]"))
    assert set(during.candidates) == {None, MeasureStatus.PROPOSED, MeasureStatus.PAUSED}


def test_an_entry_certainly_before_an_earlier_listed_one_is_refused() -> None:
    with pytest.raises(ValueError, match="certainly before"):
        measure("2025-10-10[UTC]").transition(MeasureStatus.PAUSED, at="2025-09[UTC]", source="s")


def test_known_at_uses_the_source_publication_when_given() -> None:
    m = measure("2025-10-01[UTC]")
    published = {"s": When.parse("2025-10-26[Asia/Kuala_Lumpur]")}
    t = When.parse("2025-10-20[UTC]")
    assert m.status_at(t, known_at=When.parse("2025-10-20[UTC]"), published=published) is None
    assert (
        m.status_at(t, known_at=When.parse("2025-10-27[UTC]"), published=published)
        is MeasureStatus.PROPOSED
    )
    # Without publication data an entry counts as known when it happens.
    assert m.status_at(t, known_at=When.parse("2025-10-20[UTC]")) is MeasureStatus.PROPOSED


def test_a_later_record_wins_among_claims_of_equal_evidence() -> None:
    base = measure("2025-10-01[UTC]")
    at = When.parse("2025-10-30[UTC]")
    early = MeasureEntry(
        from_=MeasureStatus.PROPOSED,
        to=MeasureStatus.PAUSED,
        at=at,
        source="a",
        recorded=When.parse("2025-10-30[UTC]"),
    )
    late = MeasureEntry(
        from_=MeasureStatus.PROPOSED,
        to=MeasureStatus.WITHDRAWN,
        at=at,
        source="b",
        recorded=When.parse("2025-11-02[UTC]"),
    )
    m = base.with_entry(late).with_entry(early)
    assert m.status is MeasureStatus.WITHDRAWN
    then = When.parse("2025-11-01[UTC]")
    assert m.status_at(When.parse("2025-11-05[UTC]"), known_at=then) is MeasureStatus.PAUSED
    assert len(m.reading_at(When.parse("2025-11-05[UTC]")).disagreements) == 1


def test_the_event_after_competing_claims_moves_from_the_winning_claim() -> None:
    base = measure("2025-10-01[UTC]")
    at = When.parse("2025-10-30[UTC]")
    paused = MeasureEntry(
        from_=MeasureStatus.PROPOSED,
        to=MeasureStatus.PAUSED,
        at=at,
        source="a",
        evidence=Evidence.OFFICIAL,
    )
    withdrawn = MeasureEntry(
        from_=MeasureStatus.PROPOSED, to=MeasureStatus.WITHDRAWN, at=at, source="b"
    )
    disputed = base.with_entry(paused).with_entry(withdrawn)  # the official claim wins
    assert disputed.status is MeasureStatus.PAUSED
    later = When.parse("2025-11-05[UTC]")
    resumed = MeasureEntry(
        from_=MeasureStatus.PAUSED, to=MeasureStatus.IN_FORCE, at=later, source="a"
    )
    assert disputed.with_entry(resumed).status is MeasureStatus.IN_FORCE
    after_loser = MeasureEntry(
        from_=MeasureStatus.WITHDRAWN, to=MeasureStatus.IN_FORCE, at=later, source="b"
    )
    with pytest.raises(IllegalTransitionError, match=r"history\[3\] says it moves from withdrawn"):
        disputed.with_entry(after_loser)


def test_agreeing_claims_are_not_a_disagreement() -> None:
    base = measure("2025-10-01[UTC]")
    at = When.parse("2025-10-30[UTC]")
    a = MeasureEntry(from_=MeasureStatus.PROPOSED, to=MeasureStatus.PAUSED, at=at, source="a")
    b = MeasureEntry(
        from_=MeasureStatus.PROPOSED,
        to=MeasureStatus.PAUSED,
        at=at,
        source="b",
        evidence=Evidence.OFFICIAL,
    )
    reading = base.with_entry(a).with_entry(b).reading_at(None)
    assert reading.disagreements == ()
    assert reading.last is b


@given(st.integers(0, 40 * 24), st.integers(0, 40 * 24))
def test_a_reading_never_uses_an_entry_recorded_after_known_at(t_hours: int, k_hours: int) -> None:
    m = measure("2025-10-01[UTC]").transition(
        MeasureStatus.IN_FORCE, at="2025-10-10[UTC]", source="s", recorded="2025-10-20[UTC]"
    )
    start = When.parse("2025-10-01[UTC]").lower
    t, k = start + timedelta(hours=t_hours), start + timedelta(hours=k_hours)
    reading = read(m.history, t, k)
    for entry in (*reading.entries, *reading.pending):
        assert utc(entry.recorded or entry.at) <= k, (entry, k)
    if k >= utc(When.parse("2025-10-20[UTC]")) and t >= utc(When.parse("2025-10-10[UTC]")):
        assert reading.status is MeasureStatus.IN_FORCE


def test_readings_accept_the_text_form_of_a_time() -> None:
    m = measure("2025-10-01[UTC]")
    assert m.status_at("2025-10-02[UTC]") is MeasureStatus.PROPOSED
    assert m.status_at("2025-10-02[UTC]", known_at="2025-09-30[UTC]") is None
    assert m.terms_at("2025-10-02[UTC]") is not None

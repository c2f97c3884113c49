"""Point-in-time views, upcoming deadlines, changes, the timeline and the lazy index."""

from __future__ import annotations

import datetime as _dt
import gc
import subprocess
import sys
from typing import Any

import attrs
import numpy as np
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _engine_scenario import truce
from tradetruce import (
    Change,
    Deadline,
    DeadlineState,
    DeadlineStatus,
    EventKind,
    InvalidTimeError,
    InvalidValueError,
    Measure,
    MeasureKind,
    MeasureState,
    MeasureStatus,
    NegotiationStatus,
    Party,
    PartyKind,
    Scenario,
    Source,
    View,
    When,
)
from tradetruce.engine import _arrays
from tradetruce.engine.timeindex import ARRAYS_FROM, Index
from tradetruce.engine.view import view as view_of
from tradetruce.model.history import read
from tradetruce.strategies import scenarios, times
from tradetruce.values.when import to_us, utc

NY = "America/New_York"


def ny(year: int, month: int, day: int) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, tz=NY)


# ------------------------------------------------------------------------------ example views
def test_a_view_shows_each_measure_status_and_terms_as_they_stood() -> None:
    view = truce().at(ny(2025, 10, 21))
    threat = view.measures["us-100pct"]
    assert threat.status is MeasureStatus.PROPOSED and threat.certain
    assert threat.terms is not None and str(threat.terms.rate) == "100%"
    assert view.measures["us-fentanyl"].status is MeasureStatus.IN_FORCE
    assert view.deadlines["truce-expiry"].due == When.parse(
        "2025-11-10T00:01:00-05:00[America/New_York]"
    )
    assert view.negotiations["kl-talks"].status is NegotiationStatus.SCHEDULED
    assert view["cn-controls"].status is MeasureStatus.PROPOSED


def test_before_its_first_entry_an_entity_has_no_status_and_does_not_exist() -> None:
    state = truce().at(ny(2025, 10, 1)).measures["us-100pct"]
    assert state.status is None and state.certain and not state.exists
    assert state.terms is None and state.candidates == (None,)


def test_known_at_hides_what_was_reported_later() -> None:
    s = truce()
    nov3 = ny(2025, 11, 3)
    # By 3 November only the US fact sheet (1 November) was out: the suspension has an end.
    then = s.at(nov3, known_at=nov3).measures["cn-controls"]
    assert then.status is MeasureStatus.PAUSED
    assert then.suspension is not None
    assert str(then.suspension.until) == "2026-11~[Asia/Shanghai]"
    assert then.disagreements == ()
    # With China's notice (5 November, official) the official claim wins, and the dispute shows.
    now = s.at(nov3).measures["cn-controls"]
    assert now.status is MeasureStatus.PAUSED
    assert now.suspension is None
    assert [[e.source for e in g] for g in now.disagreements] == [["wh", "mofcom"]]
    assert now.last is not None and now.last.source == "mofcom"
    # Before anything about the pause was published, it is not in the view at all.
    oct31 = ny(2025, 10, 31)
    assert s.at(nov3, known_at=oct31).measures["cn-controls"].status is MeasureStatus.PROPOSED


def test_inside_an_approximate_time_value_the_status_is_uncertain_with_both_candidates() -> None:
    noon_in_seoul = pendulum.datetime(2025, 10, 30, 12, tz="Asia/Seoul")
    state = truce().at(noon_in_seoul).measures["cn-controls"]
    assert state.status is None and not state.certain
    assert state.candidates == (MeasureStatus.PROPOSED, MeasureStatus.PAUSED)
    assert "uncertain: proposed | paused" in str(state)


def test_a_calendar_when_stands_for_its_last_instant() -> None:
    s = truce()
    day = When.parse("2025-10-30[Asia/Seoul]")
    assert s.at(day) == s.at(day.latest)
    assert s.at(str(day)) == s.at(day)
    assert s.at(day).measures["cn-controls"].status is MeasureStatus.PAUSED


def test_naive_and_non_time_inputs_are_refused_with_tradetruce_errors() -> None:
    s = truce()
    with pytest.raises(InvalidTimeError):
        s.at(_dt.datetime(2025, 11, 1))
    with pytest.raises(InvalidValueError):
        s.at("2025-11-01")  # text without its zone
    with pytest.raises(InvalidValueError):
        s.at(20251101)  # type: ignore[arg-type]
    with pytest.raises(InvalidTimeError):
        s.at(ny(2025, 11, 1), known_at=_dt.datetime(2025, 11, 1))


def test_a_view_prints_one_line_per_entity_and_diffs_readably() -> None:
    s = truce()
    before, after = s.at(ny(2025, 10, 21)), s.at(ny(2025, 11, 3))
    text = str(after)
    assert text.splitlines()[0] == "View at 2025-11-03T05:00:00+00:00"
    assert "  truce-expiry: pending  due 2025-11-10T00:01:00-05:00[America/New_York]" in text
    claim = "wh (claimed) says paused (whole measure until 2026-11~[Asia/Shanghai], then restored)"
    assert f"[disputed: {claim}; mofcom (official) says paused]" in text
    changes = before.diff(after)
    assert [c.entity for c in changes] == ["cn-controls", "kl-talks"]
    assert str(changes[0]) == "measure cn-controls: proposed -> paused"
    assert str(changes[1]) == "negotiation kl-talks: scheduled -> preliminary_consensus"
    assert before.diff(before) == () and before == s.at(ny(2025, 10, 21))
    assert before != after


def test_diff_against_a_changed_scenario_shows_the_changed_terms() -> None:
    s = truce()
    t = ny(2025, 11, 3)
    signed = s.apply("kl-talks", to="signed", at="2025-10-30[Asia/Seoul]", source="kl")
    changes = {c.entity: c for c in s.at(t).diff(signed.at(t))}
    assert set(changes) == {"us-100pct", "us-fentanyl", "truce-expiry", "kl-talks"}
    assert str(changes["us-fentanyl"]) == (
        "measure us-fentanyl: in_force [20% (IEEPA)] -> in_force [10% (IEEPA)]"
    )


# ---------------------------------------------------------------------------- deadlines query
def test_upcoming_deadlines_are_listed_in_order_with_their_own_zones() -> None:
    s = truce()
    found = s.upcoming_deadlines(ny(2025, 11, 1), within=pendulum.duration(days=30))
    assert [u.deadline for u in found] == ["review", "truce-expiry"]
    review, expiry = found
    # "2025-12~" may fall anywhere from November to January: it can fall in the window.
    assert not review.certain and str(review.due) == "2025-12~[UTC]"
    assert expiry.certain and expiry.due.zone == NY and expiry.status is DeadlineStatus.PENDING
    assert str(expiry).startswith("2025-11-10T00:01:00-05:00[America/New_York]  truce-expiry")


def test_a_window_that_ends_before_an_exact_due_time_does_not_list_it() -> None:
    s = truce()
    just_before = pendulum.datetime(2025, 11, 10, 0, 0, tz=NY)
    window = s.upcoming_deadlines(ny(2025, 11, 3), within=just_before - ny(2025, 11, 3))
    assert "truce-expiry" not in [u.deadline for u in window]
    on_time = s.upcoming_deadlines(ny(2025, 11, 3), within=pendulum.duration(days=7, minutes=1))
    assert "truce-expiry" in [u.deadline for u in on_time]


def test_extended_met_and_past_deadlines_follow_the_view_at_the_start() -> None:
    s = truce().apply("kl-talks", to="signed", at="2025-10-30[Asia/Seoul]", source="kl")
    month = pendulum.duration(days=30)
    # From 1 November, the truce runs to 2026: nothing of it falls in the next 30 days.
    assert [u.deadline for u in s.upcoming_deadlines(ny(2025, 11, 1), month)] == ["review"]
    # On 20 October it had not been extended yet, and was due within 30 days.
    early = s.upcoming_deadlines(ny(2025, 10, 20), month)
    assert "truce-expiry" in [u.deadline for u in early]
    # Without an end, the window runs on to the extended due time.
    later = s.upcoming_deadlines(ny(2025, 11, 1))
    assert [str(u.due) for u in later][-1] == "2026-11-10T00:01:00-05:00[America/New_York]"
    # A deadline that may or may not have been set yet is listed, as uncertain.
    day_set = pendulum.datetime(2025, 8, 11, 12, tz=NY)
    maybe = s.upcoming_deadlines(day_set, pendulum.duration(days=100))
    assert [(u.deadline, u.certain, u.status) for u in maybe] == [("truce-expiry", False, None)]
    # After its due time, a deadline is no longer upcoming.
    assert s.upcoming_deadlines(ny(2027, 1, 1)) == ()


def test_a_negative_or_non_duration_window_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="within"):
        truce().upcoming_deadlines(ny(2025, 11, 1), within=pendulum.duration(days=-1))
    with pytest.raises(InvalidValueError, match="within"):
        truce().upcoming_deadlines(ny(2025, 11, 1), within=30)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------ changes
def test_changes_lists_every_move_that_can_fall_in_the_interval_in_order() -> None:
    s = truce()
    found = s.changes(ny(2025, 10, 24), ny(2025, 11, 3))
    assert [(c.entity, c.from_, c.to) for c in found] == [
        ("kl-talks", NegotiationStatus.SCHEDULED, NegotiationStatus.IN_TALKS),
        ("kl-talks", NegotiationStatus.IN_TALKS, NegotiationStatus.PRELIMINARY_CONSENSUS),
        ("cn-controls", MeasureStatus.PROPOSED, MeasureStatus.PAUSED),
    ]
    pause = found[-1]
    assert pause.disputed and pause.entry.source == "mofcom"
    assert str(pause) == (
        "2025-10-30[Asia/Seoul]  measure cn-controls: proposed -> paused  "
        "[mofcom, official] [disputed]"
    )


def test_changes_use_a_half_open_interval() -> None:
    s = truce()
    at = pendulum.datetime(2025, 3, 4, 0, 1, tz=NY)
    assert [c.entity for c in s.changes(at.subtract(minutes=1), at)] == ["us-fentanyl"]
    assert s.changes(at, at.add(minutes=1)) == ()
    with pytest.raises(InvalidValueError, match="before t1"):
        s.changes(at, at.subtract(days=1))


def test_an_amendment_is_a_change_without_a_move() -> None:
    s = truce().apply("kl-talks", to="signed", at="2025-10-30[Asia/Seoul]", source="kl")
    found = [c for c in s.changes(ny(2025, 10, 28), ny(2025, 11, 1)) if c.is_amendment]
    assert [c.entity for c in found] == ["us-fentanyl"]
    assert isinstance(found[0], Change) and "amended (10% (IEEPA))" in str(found[0])


# ----------------------------------------------------------------------------------- timeline
def test_the_timeline_holds_entries_due_times_and_rounds_in_order() -> None:
    events = truce().timeline()
    kinds = {e.kind for e in events}
    assert kinds == {EventKind.ENTRY, EventKind.DUE, EventKind.ROUND_START, EventKind.ROUND_END}
    keys = [(e.at.lower, e.at.upper) for e in events]
    assert keys == sorted(keys)
    # Competing claims are both in the timeline.
    pauses = [e for e in events if e.entity == "cn-controls" and e.to is MeasureStatus.PAUSED]
    assert [e.source for e in pauses] == ["wh", "mofcom"]
    due = next(e for e in events if e.kind is EventKind.DUE and e.entity == "truce-expiry")
    assert str(due.at) == "2025-11-10T00:01:00-05:00[America/New_York]" and due.to is None
    assert any("round 1 in Kuala Lumpur starts" in str(e) for e in events)


# -------------------------------------------------------------------------------------- index
def test_the_index_is_built_once_per_scenario_object_and_a_new_scenario_gets_its_own() -> None:
    s = truce()
    assert s._engine is s._engine
    before = s.at(ny(2025, 11, 3)).measures["us-100pct"].status
    moved = s.measure("us-100pct").transition(
        MeasureStatus.WITHDRAWN, at="2025-11-01[America/New_York]", source="wh"
    )
    s2 = s.replace(moved)
    assert s2._engine is not s._engine
    assert s2.at(ny(2025, 11, 3)).measures["us-100pct"].status is MeasureStatus.WITHDRAWN
    assert s.at(ny(2025, 11, 3)).measures["us-100pct"].status is before
    assert attrs.evolve(s)._engine is not s._engine


def _fresh(code: str) -> list[str]:
    """What ``code`` prints, run in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_every_query_on_a_small_scenario_runs_without_importing_numpy() -> None:
    code = (
        "import sys, tradetruce as tt\n"
        "s = tt.load_seed()\n"
        "t, k = '2025-11-02[America/New_York]', '2025-10-20[America/New_York]'\n"
        "for v in (s.at(t), s.at(t, known_at=k)):\n"
        "    [str(v[e.id]) for e in s.entities()]\n"
        "s.upcoming_deadlines('2025-10-01[UTC]', None, known_at=k)\n"
        "s.changes('2025-01-01[UTC]', '2026-12-31[UTC]')\n"
        "s.timeline()\n"
        "s.tariff_stack('us', 'cn', '8517', t, known_at=k)\n"
        "print(s._engine.arrays, 'numpy' in sys.modules)\n"
    )
    assert _fresh(code) == ["False", "False"]


def test_numpy_is_imported_when_an_index_with_arrays_first_counts_a_whole_view() -> None:
    code = (
        "import sys, tradetruce as tt\n"
        "from tradetruce.engine.timeindex import Index\n"
        "from tradetruce.engine.view import view\n"
        "s = tt.load_seed()\n"
        "v = view(Index(s, arrays=True), tt.When.parse('2025-11-02[UTC]').upper, None)\n"
        "v.measures['us-100pct-tariff']\n"
        "print('numpy' in sys.modules)\n"
        "list(v.measures.values())\n"
        "print('numpy' in sys.modules)\n"
    )
    assert _fresh(code) == ["False", "True"]


def test_an_index_counts_with_arrays_from_the_threshold_on() -> None:
    source = Source(id="s", title="A notice", published=When.parse("2025-10-01[UTC]"))
    party = Party(id="us", name="US", kind=PartyKind.STATE)
    measure = Measure.propose(
        id="m0", kind=MeasureKind.TARIFF, imposed_by="us", at="2025-10-01[UTC]", source="s"
    )
    many = tuple(attrs.evolve(measure, id=f"m{i}") for i in range(ARRAYS_FROM))
    small = Scenario(sources=(source,), parties=(party,), measures=many[:-1])
    large = small.replace(many[-1])
    assert (Index(small).arrays, Index(large).arrays) == (False, True)


def test_building_an_index_and_its_arrays_never_switches_the_collector() -> None:
    scenario = truce()
    switches = {gc.disable, gc.enable, gc.freeze, gc.unfreeze, gc.set_threshold}
    called: list[str] = []

    def watch(frame: object, event: str, arg: object) -> None:
        if event == "c_call" and arg in switches:
            called.append(getattr(arg, "__name__", "?"))

    sys.setprofile(watch)
    try:
        index = Index(scenario, arrays=True)
        states = list(view_of(index, utc(ny(2025, 11, 3)), None).measures.values())
    finally:
        sys.setprofile(None)
    assert called == [] and states, called


def test_an_empty_scenario_has_an_empty_snapshot() -> None:
    view = Scenario().at(ny(2025, 11, 3))
    assert (len(view.measures), len(view.deadlines), len(view.negotiations)) == (0, 0, 0)
    assert Scenario().upcoming_deadlines(ny(2025, 11, 3)) == ()


# --------------------------------------------------------------------------------- properties
#: Small scenarios: big enough for claims, extensions and uncertainty, quick to generate.
SMALL = scenarios(
    max_parties=3, max_sources=2, max_measures=3, max_deadlines=3, max_negotiations=2, max_history=3
)
SLOW_DATA = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None
)


def _instants() -> st.SearchStrategy[_dt.datetime]:
    return times().flatmap(
        lambda w: st.sampled_from([w.lower, w.upper, w.lower + (w.upper - w.lower) / 2])
    )


def _fold(scenario: Scenario, entity: Any, t: _dt.datetime, k: _dt.datetime | None) -> Any:
    return read(entity.history, t, k, scenario.published)


@SLOW_DATA
@given(SMALL, _instants(), st.none() | _instants())
def test_a_view_at_any_t_and_k_equals_folding_the_filtered_history(
    scenario: Scenario, t: _dt.datetime, k: _dt.datetime | None
) -> None:
    view = scenario.at(t, known_at=k)
    assert isinstance(view, View) and view.t == utc(t)
    for _, states in view.groups():
        assert len(states) == len(list(states))
    for entity in scenario.entities():
        state = view[entity.id]
        reading = _fold(scenario, entity, utc(t), None if k is None else utc(k))
        got = (
            state.status,
            state.certain,
            state.candidates,
            state.entries,
            state.pending,
            state.disagreements,
        )
        want = (
            reading.status,
            reading.certain,
            reading.candidates,
            reading.entries,
            reading.pending,
            reading.disagreements,
        )
        assert got == want, entity.id
        if isinstance(state, MeasureState) and isinstance(entity, Measure):
            assert state.terms == entity.terms_at(t, known_at=k, published=scenario.published)
        if isinstance(state, DeadlineState) and isinstance(entity, Deadline):
            assert state.due == entity.due_at(t, known_at=k, published=scenario.published)


@SLOW_DATA
@given(SMALL, _instants(), _instants())
def test_changes_are_exactly_the_winning_entries_that_can_fall_in_the_interval(
    scenario: Scenario, a: _dt.datetime, b: _dt.datetime
) -> None:
    t1, t2 = sorted((utc(a), utc(b)))
    found = {(c.entity, id(c.entry)) for c in scenario.changes(t1, t2)}
    want = set()
    for entity in scenario.entities():
        for e in read(entity.history, None, None, scenario.published).entries:
            if e.at.upper > t1 and e.at.lower <= t2:
                want.add((entity.id, id(e)))
    assert found == want
    keys = [(c.at.lower, c.at.upper) for c in scenario.changes(t1, t2)]
    assert keys == sorted(keys)


@SLOW_DATA
@given(SMALL)
def test_a_deadline_state_at_the_end_of_time_is_open_exactly_when_the_deadline_is(
    scenario: Scenario,
) -> None:
    view = scenario.at(_dt.datetime.max.replace(tzinfo=_dt.UTC))
    for deadline in scenario.deadlines:
        state = view.deadlines[deadline.id]
        if state.certain:  # else an open-ended time value may still be pending
            assert state.status is deadline.status, deadline.id
            assert state.is_open == deadline.is_open, deadline.id


@SLOW_DATA
@given(SMALL, _instants(), st.integers(0, 400), st.none() | _instants())
def test_upcoming_deadlines_match_a_scan_of_the_view_at_the_start(
    scenario: Scenario, start: _dt.datetime, days: int, k: _dt.datetime | None
) -> None:
    within = _dt.timedelta(days=days)
    try:
        end = utc(start) + within
    except OverflowError:  # past the last representable instant: an open window
        end = _dt.datetime.max.replace(tzinfo=_dt.UTC)
    found = scenario.upcoming_deadlines(start, within, known_at=k)
    view = scenario.at(start, known_at=k)
    want = []
    for state in view.deadlines.values():
        meets = [d for d in state.possible_dues if d.upper >= utc(start) and d.lower <= end]
        if state.is_open and meets:
            want.append((meets[0].lower, meets[0].upper, state.id))
    want.sort()
    assert [(u.due.lower, u.due.upper, u.deadline) for u in found] == want


@given(st.lists(st.lists(st.integers(-3, 3), min_size=1, max_size=6), max_size=8))
def test_running_extremes_stay_within_each_entity(runs: list[list[int]]) -> None:
    values = np.array([v for run in runs for v in run], dtype=np.int64)
    owner = np.array([i for i, run in enumerate(runs) for _ in run], dtype=np.int64)
    prefix_max = _arrays._running(values, owner, np.maximum, backwards=False).tolist()
    suffix_min = _arrays._running(values, owner, np.minimum, backwards=True).tolist()
    want_max = [max(run[: j + 1]) for run in runs for j in range(len(run))]
    want_min = [min(run[j:]) for run in runs for j in range(len(run))]
    assert (prefix_max, suffix_min) == (want_max, want_min)


@SLOW_DATA
@given(SMALL, _instants())
def test_the_counted_snapshot_equals_a_search_of_each_entity(
    scenario: Scenario, t: _dt.datetime
) -> None:
    index = Index(scenario, arrays=True)
    u = to_us(utc(t))
    for table in index.tables():
        counts = table.counts(u)
        assert counts is not None
        for i, id in enumerate(table.ids):
            counted = (int(counts[0][i]), int(counts[1][i]))
            assert counted == table.claims(i).counts(u), id


def _shown(state: Any) -> tuple[Any, ...]:
    detail = getattr(state, "terms", getattr(state, "due", None))
    reading = (state.entries, state.pending, state.disagreements)
    return (state.id, state.status, state.certain, state.candidates, reading, detail)


@SLOW_DATA
@given(SMALL, _instants(), st.none() | _instants())
def test_an_index_with_arrays_and_one_without_give_the_same_view(
    scenario: Scenario, t: _dt.datetime, k: _dt.datetime | None
) -> None:
    t, k = utc(t), None if k is None else utc(k)
    # Iterating a view counts every entity at once: with the arrays when the index has them.
    counted = [
        _shown(s)
        for _, g in view_of(Index(scenario, arrays=True), t, k).groups()
        for s in g.values()
    ]
    searched = [
        _shown(s)
        for _, g in view_of(Index(scenario, arrays=False), t, k).groups()
        for s in g.values()
    ]
    assert counted == searched

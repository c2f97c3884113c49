"""Corrections: retractions and errata of history entries, read bitemporally by the one fold."""

from __future__ import annotations

import datetime as _dt
import itertools
import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradetruce as tt
from tradetruce import (
    Correction,
    CorrectionKind,
    DeadlineEntry,
    DeadlineStatus,
    MeasureEntry,
    MeasureStatus,
    When,
)
from tradetruce.engine.timeindex import Index
from tradetruce.engine.view import view as view_of
from tradetruce.model.history import correction_time
from tradetruce.strategies import corrected, deadlines, measures, negotiations, times
from tradetruce.values.when import OPEN_START, to_us

W = When.parse
BEFORE = W("2025-11-03[UTC]")  # before either correction below was recorded
AFTER = W("2025-11-08[UTC]")  # after both


def tariff(*corrections: Correction) -> tt.Measure:
    """Proposed on 20 October; reported in force from 1 November (recorded 1 November)."""
    return tt.Measure(
        id="m",
        kind=tt.MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        history=(
            MeasureEntry(
                from_=None,
                to=MeasureStatus.PROPOSED,
                at=W("2025-10-20[UTC]"),
                source="s",
                recorded=W("2025-10-20[UTC]"),
                id="proposed",
            ),
            MeasureEntry(
                from_=MeasureStatus.PROPOSED,
                to=MeasureStatus.IN_FORCE,
                at=W("2025-11-01[UTC]"),
                source="s",
                recorded=W("2025-11-01[UTC]"),
                id="in-force",
            ),
        ),
        corrections=corrections,
    )


RETRACTION = Correction(
    kind=CorrectionKind.RETRACTION,
    entry="in-force",
    source="fix",
    recorded=W("2025-11-05[UTC]"),
)
ERRATUM = Correction(
    kind=CorrectionKind.ERRATUM,
    entry="in-force",
    source="fix",
    recorded=W("2025-11-06[UTC]"),
    at=W("2025-11-10[UTC]"),
)


def scenario(*entities: Any) -> tt.Scenario:
    return tt.Scenario(
        sources=(tt.Source(id="s", title="Report"), tt.Source(id="fix", title="Correction")),
        parties=(
            tt.Party(id="us", name="US", kind=tt.PartyKind.STATE),
            tt.Party(id="cn", name="China", kind=tt.PartyKind.STATE),
        ),
        measures=tuple(e for e in entities if isinstance(e, tt.Measure)),
        deadlines=tuple(e for e in entities if isinstance(e, tt.Deadline)),
    )


# ------------------------------------------------------------------------------ retraction
def test_a_retracted_entry_stands_as_known_before_the_retraction_and_not_after() -> None:
    m = tariff(RETRACTION)
    t = W("2025-11-04[UTC]")
    assert m.status_at(t, known_at=BEFORE) is MeasureStatus.IN_FORCE
    assert m.status_at(t, known_at=AFTER) is MeasureStatus.PROPOSED
    assert m.status_at(t) is MeasureStatus.PROPOSED
    assert m.status is MeasureStatus.PROPOSED
    assert m.history == tariff().history, "the history itself is never rewritten"


def test_a_scenario_view_reads_a_retraction_as_the_entity_does() -> None:
    s = scenario(tariff(RETRACTION))
    t = W("2025-11-04[UTC]")
    assert s.at(t, known_at=BEFORE).measures["m"].status is MeasureStatus.IN_FORCE
    assert s.at(t, known_at=AFTER).measures["m"].status is MeasureStatus.PROPOSED
    assert s.at(t).measures["m"].status is MeasureStatus.PROPOSED


# --------------------------------------------------------------------------------- erratum
def test_an_erratum_moves_the_entry_to_its_corrected_time_once_known() -> None:
    m = tariff(ERRATUM)
    t = W("2025-11-07[UTC]")  # after the date first reported, before the corrected one
    assert m.status_at(t, known_at=BEFORE) is MeasureStatus.IN_FORCE
    assert m.status_at(t, known_at=AFTER) is MeasureStatus.PROPOSED
    assert m.status_at(W("2025-11-11[UTC]"), known_at=AFTER) is MeasureStatus.IN_FORCE
    s = scenario(m)
    assert s.at(t, known_at=BEFORE).measures["m"].status is MeasureStatus.IN_FORCE
    assert s.at(t, known_at=AFTER).measures["m"].status is MeasureStatus.PROPOSED
    assert s.at(t).measures["m"].status is MeasureStatus.PROPOSED


def test_a_retraction_wins_over_an_erratum_of_the_same_entry() -> None:
    m = tariff(ERRATUM, RETRACTION)
    assert m.status_at(W("2025-11-11[UTC]")) is MeasureStatus.PROPOSED
    # known between the retraction (5 Nov) and the erratum (6 Nov): already retracted
    assert m.status_at(W("2025-11-11[UTC]"), known_at=W("2025-11-05[UTC]")) is (
        MeasureStatus.PROPOSED
    )


def deadline(*corrections: Correction) -> tt.Deadline:
    return tt.Deadline(
        id="d",
        title="Truce expires",
        kind=tt.DeadlineKind.EXPIRY,
        history=(
            DeadlineEntry(
                from_=None,
                to=DeadlineStatus.PENDING,
                at=W("2025-08-11[UTC]"),
                source="s",
                recorded=W("2025-08-11[UTC]"),
                due=W("2025-11-10[UTC]"),
                id="set",
            ),
        ),
        corrections=corrections,
    )


def test_an_erratum_of_a_due_time_moves_upcoming_deadlines_once_known() -> None:
    fix = Correction(
        kind=CorrectionKind.ERRATUM,
        entry="set",
        source="fix",
        recorded=W("2025-11-05[UTC]"),
        due=W("2025-11-12[UTC]"),
    )
    d = deadline(fix)
    assert d.due == W("2025-11-12[UTC]")
    assert d.due_at(W("2025-11-01[UTC]"), known_at=BEFORE) == W("2025-11-10[UTC]")
    s = scenario(d)
    start = W("2025-11-01[UTC]")
    before = s.upcoming_deadlines(start=start, known_at=BEFORE)
    after = s.upcoming_deadlines(start=start, known_at=AFTER)
    assert [u.due for u in before] == [W("2025-11-10[UTC]")]
    assert [u.due for u in after] == [W("2025-11-12[UTC]")]
    assert [u.due for u in s.upcoming_deadlines(start=start)] == [W("2025-11-12[UTC]")]


# ------------------------------------------------------------------------ what became known
def test_corrections_appear_in_the_window_of_recorded_time_they_were_recorded_in() -> None:
    s = scenario(tariff(RETRACTION, ERRATUM))
    found = s.changes_recorded(W("2025-11-04[UTC]"), W("2025-11-06[UTC]"))
    assert [(c.kind, c.entry) for c in found] == [
        ("correction", RETRACTION),
        ("correction", ERRATUM),
    ]
    assert all(c.corrects is not None and c.corrects.id == "in-force" for c in found)
    assert found[0].at == W("2025-11-01[UTC]")
    assert found[0].evidence is None
    assert "retracts in-force" in str(found[0])
    assert s.changes_recorded(W("2025-11-06[UTC]"), W("2025-12-01[UTC]")) == ()


def test_a_correction_without_a_recorded_time_is_known_when_its_source_is_published() -> None:
    fix = attrs.evolve(RETRACTION, recorded=None)
    s = tt.Scenario(
        sources=(
            tt.Source(id="s", title="Report"),
            tt.Source(id="fix", title="Correction", published=W("2025-11-05[UTC]")),
        ),
        parties=scenario().parties,
        measures=(tariff(fix),),
    )
    t = W("2025-11-04[UTC]")
    assert s.at(t, known_at=BEFORE).measures["m"].status is MeasureStatus.IN_FORCE
    assert s.at(t, known_at=AFTER).measures["m"].status is MeasureStatus.PROPOSED
    assert [c.kind for c in s.changes_recorded(BEFORE, AFTER)] == ["correction"]


# ------------------------------------------------------------------------------ validation
def test_a_correction_naming_an_unknown_entry_is_refused_at_its_path() -> None:
    doc = json.loads(tt.to_json(scenario(tariff(RETRACTION))))
    doc["measures"][0]["corrections"][0]["entry"] = "in-forse"
    with pytest.raises(tt.InvalidDataError) as caught:
        tt.from_json(json.dumps(doc), tt.Scenario)
    [problem] = caught.value.problems
    assert problem.path == "$.measures[0].corrections[0].entry", problem
    assert "'in-forse'" in problem.message and "in-force" in problem.allowed, problem


def test_entry_ids_are_unique_within_a_history() -> None:
    m = tariff()
    second = attrs.evolve(m.history[1], id="proposed")
    with pytest.raises(tt.InvalidValueError) as caught:
        attrs.evolve(m, history=(m.history[0], second))
    assert caught.value.field == "history[1].id", caught.value


def test_a_correction_that_leaves_an_illegal_history_is_refused() -> None:
    fix = attrs.evolve(RETRACTION, entry="proposed")  # the entry everything else follows
    with pytest.raises(tt.InvalidValueError) as caught:
        tariff(fix)
    assert caught.value.field == "corrections[0]", caught.value
    early = attrs.evolve(ERRATUM, at=W("2025-10-01[UTC]"))  # before the proposal
    with pytest.raises(tt.InvalidValueError):
        tariff(early)


def test_a_retraction_gives_no_times_and_an_erratum_gives_one() -> None:
    with pytest.raises(tt.InvalidValueError):
        attrs.evolve(RETRACTION, at=W("2025-11-10[UTC]"))
    with pytest.raises(tt.InvalidValueError):
        attrs.evolve(ERRATUM, at=None)
    with pytest.raises(tt.InvalidValueError) as caught:
        tariff(attrs.evolve(ERRATUM, due=W("2025-11-10[UTC]")))
    assert caught.value.field == "corrections[0].due", caught.value


def test_a_correction_citing_an_unknown_source_is_a_scenario_problem() -> None:
    doc = json.loads(tt.to_json(scenario(tariff(RETRACTION))))
    doc["measures"][0]["corrections"][0]["source"] = "nowhere"
    with pytest.raises(tt.InvalidDataError) as caught:
        tt.from_json(json.dumps(doc), tt.Scenario)
    assert [p.path for p in caught.value.problems] == ["$.measures[0].corrections[0].source"]


def test_in_a_scenario_a_correction_says_when_it_became_known() -> None:
    doc = json.loads(tt.to_json(scenario(tariff(RETRACTION))))
    del doc["measures"][0]["corrections"][0]["recorded"]
    with pytest.raises(tt.InvalidDataError) as caught:
        tt.from_json(json.dumps(doc), tt.Scenario)
    assert [p.path for p in caught.value.problems] == ["$.measures[0].corrections[0].recorded"]


def test_corrections_and_entry_ids_round_trip_through_json_and_toml() -> None:
    s = scenario(tariff(RETRACTION, ERRATUM), deadline())
    assert tt.from_json(tt.to_json(s), tt.Scenario) == s
    assert tt.from_toml(tt.to_toml(s), tt.Scenario) == s
    assert tt.from_json(tt.to_json(RETRACTION), Correction) == RETRACTION


def test_the_json_schema_describes_corrections() -> None:
    schema = tt.json_schema(tt.Scenario)
    fields = schema["$defs"]["Correction"]["properties"]
    assert set(fields) == {"kind", "entry", "source", "recorded", "at", "due", "note"}
    assert "corrections" in schema["$defs"]["Measure"]["properties"]
    assert "id" in schema["$defs"]["MeasureEntry"]["properties"]


# ------------------------------------------------------------------------ property tests
def _entities() -> st.SearchStrategy[Any]:
    return st.one_of(corrected(measures()), corrected(deadlines()), corrected(negotiations()))


def _k_before_every_correction(entity: Any) -> _dt.datetime | None:
    """The last instant before any correction may have been recorded (``None``: there is
    none, or one may have been recorded at any time)."""
    times_: list[When] = [c.recorded for c in entity.corrections if c.recorded is not None]
    if not times_:
        return None
    first = min(times_, key=lambda w: w.lo_us)
    if first.earliest is OPEN_START:
        return None
    before: _dt.datetime = first.lower - _dt.timedelta(microseconds=1)
    return before


PROPERTY = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@PROPERTY
@given(_entities(), times())
def test_as_known_before_any_correction_the_history_reads_as_first_recorded(
    entity: Any, t: When
) -> None:
    k = _k_before_every_correction(entity)
    if k is None:
        return
    plain = attrs.evolve(entity, corrections=())
    got = entity.reading_at(t, known_at=k)
    want = plain.reading_at(t, known_at=k)
    assert (got.status, got.candidates, got.entries) == (
        want.status,
        want.candidates,
        want.entries,
    )


@PROPERTY
@given(_entities(), times())
def test_with_everything_known_corrections_read_as_the_corrected_history(
    entity: Any, t: When
) -> None:
    rewritten = attrs.evolve(entity, history=entity.corrected_history, corrections=())
    got = entity.reading_at(t)
    want = rewritten.reading_at(t)
    assert (got.status, got.candidates, got.entries) == (
        want.status,
        want.candidates,
        want.entries,
    )
    assert entity.status == rewritten.status


@PROPERTY
@given(corrected(deadlines(id="d0", entities={}, parties=())), times(), times())
def test_views_read_corrections_as_the_entity_does_at_every_knowledge_time(
    d: tt.Deadline, t: When, k: When
) -> None:
    s = tt.Scenario(
        sources=(tt.Source(id="s0", title="Report", published=W("2000-01-01[UTC]")),),
        deadlines=(d,),
    )
    view = s.at(t, known_at=k).deadlines[d.id]
    own = d.reading_at(t, known_at=k, published=s.published)
    assert (view.status, view.candidates) == (own.status, own.candidates)


@PROPERTY
@given(
    corrected(deadlines(id="d0", entities={}, parties=())),
    st.lists(times(), min_size=1, max_size=4),
)
def test_polling_consecutive_windows_sees_each_correction_exactly_once(
    d: tt.Deadline, cuts: list[When]
) -> None:
    s = tt.Scenario(
        sources=(tt.Source(id="s0", title="Report", published=W("2000-01-01[UTC]")),),
        deadlines=(d,),
    )
    first = _dt.datetime(1000, 1, 1, tzinfo=_dt.UTC)
    bounds = [first, *sorted({w.upper for w in cuts})]
    seen = [
        c.entry
        for a, b in itertools.pairwise(bounds)
        for c in s.changes_recorded(a, b)
        if c.kind == "correction"
    ]
    last = to_us(bounds[-1])
    expected = [
        c
        for c in d.corrections
        if (w := correction_time(c, d.history, s.published)) is not None and w.hi_us <= last
    ]
    assert sorted(map(id, seen)) == sorted(map(id, expected)), (seen, d.corrections)


@PROPERTY
@given(corrected(deadlines(id="d0", entities={}, parties=())), times(), st.none() | times())
def test_an_index_with_arrays_reads_corrections_as_one_without(
    d: tt.Deadline, t: When, k: When | None
) -> None:
    s = tt.Scenario(
        sources=(tt.Source(id="s0", title="Report", published=W("2000-01-01[UTC]")),),
        deadlines=(d,),
    )
    tu, ku = t.upper, None if k is None else k.upper

    def shown(arrays: bool) -> list[tuple[Any, ...]]:
        found = view_of(Index(s, arrays=arrays), tu, ku)
        return [
            (x.id, x.status, x.candidates, x.entries, getattr(x, "due", None))
            for _, group in found.groups()
            for x in group.values()
        ]

    assert shown(True) == shown(False)

"""The strategies generate only valid objects, honour their arguments, shrink to readable
examples, and reach every public type through ``st.from_type`` (the Hypothesis plugin)."""

from __future__ import annotations

import ast
import datetime as _dt
import os
import re
import subprocess
import sys
import tomllib
import zoneinfo
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, example, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, invariant, run_state_machine_as_test

import tradetruce as tt
from tradetruce import (
    DEADLINE,
    MEASURE,
    NEGOTIATION,
    DeadlineStatus,
    Evidence,
    MeasureKind,
    MeasureStatus,
    NegotiationStatus,
    Precision,
    Scenario,
    When,
)
from tradetruce import strategies as tts
from tradetruce.model import history as fold
from tradetruce.values.calendar import MAX_YEAR, MIN_YEAR
from tradetruce.wire.serialize import from_dict, from_json, from_toml, to_dict, to_json, to_toml

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "how-to" / "testing-your-tool.md"
LIFECYCLE_OF = {"measures": MEASURE, "deadlines": DEADLINE, "negotiations": NEGOTIATION}
#: Hypothesis' own defaults: every health check on, the 200 ms deadline, 100 examples.
DEFAULTS = settings(settings.get_profile("default"), max_examples=100, database=None)


def rebuilt(obj: Any) -> Any:
    """The same object built again through its class, so every validator runs once more."""
    return attrs.evolve(obj)


# ------------------------------------------------------------------------------ validity
PUBLIC: list[tuple[str, Callable[[], st.SearchStrategy[Any]]]] = [
    ("times", tts.times),
    ("calendars", tts.calendars),
    ("hs_codes", tts.hs_codes),
    ("rates", tts.rates),
    ("quantities", tts.quantities),
    ("terms", tts.terms),
    ("sources", tts.sources),
    ("parties", tts.parties),
    ("links", tts.links),
    ("consequences", tts.consequences),
    ("deal_terms", tts.deal_terms),
    ("entries", tts.entries),
    ("measures", tts.measures),
    ("remedies", tts.remedies),
    ("deadlines", tts.deadlines),
    ("negotiations", tts.negotiations),
    ("readings", tts.readings),
    ("scenarios", tts.scenarios),
]


@pytest.mark.parametrize(("name", "strategy"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_every_strategy_gives_objects_that_pass_validation_again(
    name: str, strategy: Callable[[], st.SearchStrategy[Any]]
) -> None:
    @given(strategy())
    def check(value: Any) -> None:
        assert rebuilt(value) == value, name

    check()


def referenced_ids(s: Scenario) -> list[tuple[str, str]]:
    """(kind wanted, id) for every reference a scenario makes."""
    refs: list[tuple[str, str]] = []
    refs += [("party", p.parent) for p in s.parties if p.parent is not None]
    for m in s.measures:
        refs += [("party", m.imposed_by)] + [("party", t) for t in m.targets]
        refs += [("measure", link.measure) for link in m.links]
    for d in s.deadlines:
        refs += [("party", p) for p in d.parties]
        refs += [("entity", g) for g in d.governs] + [("entity", c.entity) for c in d.consequences]
    for n in s.negotiations:
        refs += [("party", p) for p in (*n.parties, *n.participants)]
        refs += [("party", p) for r in n.rounds for p in r.participants]
        refs += [("measure", m) for m in n.measures] + [("entity", t.entity) for t in n.terms]
    for e in s.entities():
        refs += [("source", x.source) for x in e.history]
        refs += [("party", x.claimed_by) for x in e.history if x.claimed_by is not None]
    return refs


@given(tts.scenarios())
def test_every_reference_in_a_scenario_names_something_of_the_right_kind(s: Scenario) -> None:
    kinds = {x.id: "party" for x in s.parties} | {x.id: "source" for x in s.sources}
    kinds |= {x.id: "measure" for x in s.measures} | {x.id: "deadline" for x in s.deadlines}
    kinds |= {x.id: "negotiation" for x in s.negotiations}
    for wanted, id in referenced_ids(s):
        assert id in kinds, (wanted, id)
        if wanted == "entity":
            assert kinds[id] in {"measure", "deadline", "negotiation"}, (wanted, id)
        else:
            assert kinds[id] == wanted, (wanted, id)
    assert all(src.published is not None for src in s.sources)
    for d in s.deadlines:
        for c in d.consequences:
            statuses = {m.value for m in s.entity(c.entity).lifecycle.statuses}
            assert c.to in statuses, (d.id, c)
    for n in s.negotiations:
        for term in n.terms:
            if term.to is not None:
                statuses = {m.value for m in s.entity(term.entity).lifecycle.statuses}
                assert term.to in statuses, (n.id, term)


@given(tts.scenarios())
def test_every_history_is_legal_and_in_order_and_folds_to_the_status(s: Scenario) -> None:
    for entity in s.entities():
        lifecycle: Any = entity.lifecycle  # a measure's depends on its kind
        history: tuple[tt.Entry[Any], ...] = entity.history
        current = None
        for group in fold.claim_groups(history):
            to = group[0].to
            assert all(e.to == to and e.from_ == current for e in group), entity.id
            assert lifecycle.can(current, to) or (isinstance(entity, tt.Measure) and to == current)
            current = to
        lowers = [e.at.lower for e in history]
        assert all(
            e.at.upper >= max(lowers[:i], default=e.at.upper) for i, e in enumerate(history)
        ), entity.id
        assert fold.read(history).status == entity.status == current


@given(tts.scenarios(), tts.times())
def test_a_scenario_can_be_viewed_at_any_time(s: Scenario, t: When) -> None:
    view = s.at(t)
    for entity in s.entities():
        state = view[entity.id]
        assert state.id == entity.id
        if state.certain:
            assert state.status == entity.status_at(t, published=s.published)
    end = s.at(_dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=_dt.UTC))
    for entity in s.entities():
        assert end[entity.id].status in (entity.status, None)


# ----------------------------------------------------------------------------- round trips
@given(tts.scenarios())
def test_scenarios_round_trip_through_every_serializer(s: Scenario) -> None:
    assert from_json(to_json(s), Scenario) == s
    assert from_toml(to_toml(s), Scenario) == s
    assert from_dict(to_dict(s), Scenario) == s


@pytest.mark.parametrize(
    ("cls", "strategy"),
    [
        (tt.Measure, tts.measures),
        (tt.Deadline, tts.deadlines),
        (tt.Negotiation, tts.negotiations),
        (tt.Party, tts.parties),
        (tt.Source, tts.sources),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_entities_round_trip_through_every_serializer(
    cls: type, strategy: Callable[[], st.SearchStrategy[Any]]
) -> None:
    @given(strategy())
    def check(value: Any) -> None:
        assert from_json(to_json(value), cls) == value
        assert from_toml(to_toml(value), cls) == value
        assert from_dict(to_dict(value), cls) == value

    check()


# ------------------------------------------------------------------------------- narrowing
@given(tts.measures(kind=MeasureKind.TARIFF, status="paused", imposed_by="us", targets=["cn"]))
def test_measures_keep_to_what_was_asked(m: tt.Measure) -> None:
    assert m.kind is MeasureKind.TARIFF and m.status is MeasureStatus.PAUSED
    assert m.imposed_by == "us" and m.targets == ("cn",)


@given(tts.measures(status=st.sampled_from([MeasureStatus.WITHDRAWN, MeasureStatus.EXPIRED])))
def test_narrowing_arguments_take_strategies(m: tt.Measure) -> None:
    assert MEASURE.is_terminal(m.status)


@pytest.mark.parametrize("status", list(DeadlineStatus), ids=str)
def test_deadlines_end_in_the_status_asked_for(status: DeadlineStatus) -> None:
    @given(tts.deadlines(status=status))
    def check(d: tt.Deadline) -> None:
        assert d.status is status
        assert d.history[0].due is not None

    check()


@pytest.mark.parametrize("status", list(NegotiationStatus), ids=str)
def test_histories_end_in_the_status_asked_for(status: NegotiationStatus) -> None:
    @given(tts.histories(tt.Negotiation, status=status, max_size=2))
    def check(history: tuple[tt.NegotiationEntry, ...]) -> None:
        assert fold.read(history).status is status

    check()


@given(tts.negotiations(parties=("us", "cn"), status=NegotiationStatus.SIGNED))
def test_negotiations_keep_their_sides(n: tt.Negotiation) -> None:
    assert n.parties == ("us", "cn") and n.status is NegotiationStatus.SIGNED


US = tt.Party(id="us", name="United States", kind=tt.PartyKind.STATE, jurisdiction="US")
CN = tt.Party(id="cn", name="China", kind=tt.PartyKind.STATE, jurisdiction="CN")


@given(tts.scenarios(parties=[US, CN], max_measures=3))
def test_scenarios_use_the_parties_given(s: Scenario) -> None:
    assert s.parties == (US, CN) and len(s.measures) <= 3
    assert {m.imposed_by for m in s.measures} <= {"us", "cn"}


@given(tts.times(zone="Asia/Seoul", precision=Precision.MONTH))
def test_times_keep_to_the_zone_and_precision_asked_for(w: When) -> None:
    assert w.zone == "Asia/Seoul" and w.precision is Precision.MONTH and not w.is_range


@given(tts.times(exact=True, zone="America/New_York"))
def test_exact_times_are_instants(w: When) -> None:
    assert w.is_exact and When.parse(str(w)) == w


@given(tts.measures(parties=("us", "cn", "eu"), links_to=("m7",), sources=("a", "b")))
def test_measures_draw_their_parties_links_and_sources_from_the_pools_given(m: tt.Measure) -> None:
    assert {m.imposed_by, *m.targets} <= {"us", "cn", "eu"}
    assert {link.measure for link in m.links} <= {"m7"}
    assert {e.source for e in m.history} <= {"a", "b"}
    assert {e.claimed_by for e in m.history} <= {None, m.imposed_by, *m.targets}


@given(tts.deadlines(id="d0", parties=("us",), entities={"d0": DEADLINE, "m9": MEASURE}))
def test_deadlines_name_only_the_entities_given_and_never_themselves(d: tt.Deadline) -> None:
    assert {*d.governs, *(c.entity for c in d.consequences)} <= {"m9"}
    assert set(d.parties) <= {"us"}


@given(
    tts.negotiations(
        id="n0",
        among=("us", "cn", "eu"),
        measures=("m3",),
        entities={"m3": MEASURE, "n0": NEGOTIATION},
    )
)
def test_negotiations_draw_sides_and_participants_from_among(n: tt.Negotiation) -> None:
    assert set(n.parties) <= {"us", "cn", "eu"} and len(n.parties) >= 2
    assert not set(n.participants) & set(n.parties)
    assert set(n.measures) <= {"m3"} and {t.entity for t in n.terms} <= {"m3"}


def calendar_years(w: When) -> list[int]:
    """The years a time value names: its instant's local year, or its calendar ends' years."""
    if w.instant is not None:
        return [w.instant.year]
    return [c.year for c in (w.start, w.end) if c is not None]


@given(tts.times())
def test_times_keep_to_the_default_zones_and_years(w: When) -> None:
    first, last = tts.YEARS
    assert w.zone in tts.ZONES
    assert all(first <= year <= last for year in calendar_years(w)), w


@given(tts.times(zone=tts.ALL_ZONES, years=(1000, 1100)), tts.calendars(years=(9990, 9998)))
def test_times_and_calendars_keep_to_the_years_asked_for(w: When, c: tt.Calendar) -> None:
    assert w.zone in tts.ALL_ZONES
    assert all(1000 <= year <= 1100 for year in calendar_years(w)), w
    assert 9990 <= c.year <= 9998


def test_all_zones_are_every_iana_zone_of_the_machine_with_utc_first() -> None:
    assert tts.ALL_ZONES[0] == "UTC" and len(set(tts.ALL_ZONES)) == len(tts.ALL_ZONES)
    assert set(tts.ALL_ZONES) == zoneinfo.available_timezones() - {"localtime", "Factory"}
    assert tts.ALL_YEARS == (MIN_YEAR, MAX_YEAR)


def test_the_whole_range_reaches_zones_whose_offset_had_seconds() -> None:
    found = find(
        tts.times(zone=tts.ALL_ZONES, years=tts.ALL_YEARS, exact=True),
        lambda w: w.instant is not None and w.instant.utcoffset().seconds % 60 != 0,
        settings=settings(database=None, max_examples=5000),
    )
    # Local mean time before a zone's first standard time; Liberia kept -00:44:30 until 1972.
    assert found.instant is not None and found.instant.year < 1973, found


def _reads_back(w: When) -> bool:
    try:
        return When.parse(str(w)) == w
    except tt.InvalidTimeError:
        return False


#: An instant in Monrovia in 1970, when Liberia's offset was -00:44:30.
MONROVIA_1970 = When.exact(
    _dt.datetime(1970, 6, 1, 12, tzinfo=_dt.UTC).astimezone(zoneinfo.ZoneInfo("Africa/Monrovia"))
)


@pytest.mark.xfail(
    not _reads_back(MONROVIA_1970),
    reason="an instant in a zone whose offset had seconds is written but refused when read "
    "back (the fix in tradetruce.values is under way); strict, so this turns into a failure "
    "to remove once it reads back",
    raises=tt.InvalidTimeError,
    strict=True,
)
@example(MONROVIA_1970)
@given(tts.times(zone=tts.ALL_ZONES, years=tts.ALL_YEARS))
def test_time_values_from_every_zone_and_year_read_back_as_themselves(w: When) -> None:
    assert When.parse(str(w)) == w


BAD_CALLS: list[tuple[str, Callable[[], object]]] = [
    ("measures(kind='tarif')", lambda: tts.measures(kind="tarif")),
    ("measures(status='signed')", lambda: tts.measures(status="signed")),
    ("measures(imposed_by='US')", lambda: tts.measures(imposed_by="US")),
    ("measures(targets='cn')", lambda: tts.measures(targets="cn")),
    ("measures(max_history=0)", lambda: tts.measures(max_history=0)),
    ("deadlines(status=1)", lambda: tts.deadlines(status=1)),  # type: ignore[arg-type]
    ("negotiations(parties=('us',))", lambda: tts.negotiations(parties=("us",))),
    ("histories('treaty')", lambda: tts.histories("treaty")),
    ("histories(sources=())", lambda: tts.histories("measure", sources=())),
    ("scenarios(max_measures=-1)", lambda: tts.scenarios(max_measures=-1)),
    ("scenarios(max_measures='3')", lambda: tts.scenarios(max_measures="3")),  # type: ignore[arg-type]
    ("scenarios(parties=['us'])", lambda: tts.scenarios(parties=["us"])),  # type: ignore[list-item]
    ("scenarios(parties=[US, US])", lambda: tts.scenarios(parties=[US, US])),
    ("times(zone='Mars/Base')", lambda: tts.times(zone="Mars/Base")),
    ("times(exact=True, precision=DAY)", lambda: tts.times(exact=True, precision=Precision.DAY)),
    ("hs_codes(level=3)", lambda: tts.hs_codes(level=3)),
    ("times(years=(999, 2000))", lambda: tts.times(years=(999, 2000))),
    ("times(years=(2000, 1990))", lambda: tts.times(years=(2000, 1990))),
    ("times(years=2000)", lambda: tts.times(years=2000)),  # type: ignore[arg-type]
    ("times(zone=())", lambda: tts.times(zone=())),
    ("times(zone=['UTC', 'Mars/Base'])", lambda: tts.times(zone=["UTC", "Mars/Base"])),
    ("calendars(years=(1000, 9999))", lambda: tts.calendars(years=(1000, 9999))),
    ("measures(parties=())", lambda: tts.measures(parties=())),
    ("measures(links_to=('M1',))", lambda: tts.measures(links_to=("M1",))),
    ("deadlines(entities={'d0': 'treaty'})", lambda: tts.deadlines(entities={"d0": "treaty"})),
    ("negotiations(among=('p0',))", lambda: tts.negotiations(among=("p0",))),
    ("consequences(entities={})", lambda: tts.consequences(entities={})),
    ("instants(None)", lambda: tts.instants(None)),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("call", [c for _, c in BAD_CALLS], ids=[n for n, _ in BAD_CALLS])
def test_bad_arguments_are_refused_when_the_strategy_is_built(call: Callable[[], object]) -> None:
    with pytest.raises(InvalidArgument) as info:
        call()
    assert "=" in str(info.value) or "expected" in str(info.value)


def test_a_bad_value_from_a_strategy_argument_is_named_when_drawn() -> None:
    @given(tts.measures(kind=st.just("tarif")))  # type: ignore[arg-type]
    def check(m: tt.Measure) -> None:
        raise AssertionError("never reached")

    with pytest.raises(InvalidArgument, match="kind='tarif'"):
        check()


# --------------------------------------------------------------------------------- shrinking
def test_a_failing_scenario_shrinks_to_a_small_readable_one() -> None:
    found = find(
        tts.scenarios(),
        lambda s: any(m.status is MeasureStatus.PAUSED for m in s.measures),
        settings=settings(database=None, max_examples=1000),
    )
    # A second party can survive: dropping it would change how the measure's choices are read.
    assert [p.id for p in found.parties] in (["p0"], ["p0", "p1"])
    assert [s.id for s in found.sources] == ["s0"]
    assert [m.id for m in found.measures] == ["m0"] and not found.deadlines
    assert not found.negotiations
    (m,) = found.measures
    assert [e.to for e in m.history] == [MeasureStatus.PROPOSED, MeasureStatus.PAUSED]
    times = [e.at for e in m.history] + [s.published for s in found.sources]
    assert all(w is not None and w.zone == "UTC" and w.precision is Precision.DAY for w in times)
    assert all(e.evidence is Evidence.REPORTED and e.recorded is None for e in m.history)


def test_a_failing_measure_shrinks_to_simple_ids_and_days() -> None:
    found = find(
        tts.measures(),
        lambda m: len(m.targets) > 0,
        settings=settings(database=None, derandomize=True),
    )
    assert found.id == "m0" and found.imposed_by == "p0" and found.targets == ("p1",)
    assert [str(e.at) for e in found.history] == ["2000-01-01[UTC]"]


def plain(entry: tt.Entry[Any]) -> bool:
    """An entry as simple as entries come: reported, no recorded time, no note, no claimant."""
    return (
        entry.evidence is Evidence.REPORTED
        and entry.recorded is None
        and entry.claimed_by is None
        and entry.note == ""
    )


def test_a_measure_with_two_entries_shrinks_to_two_plain_days_in_utc() -> None:
    found = find(
        tts.measures(),
        lambda m: len(m.history) >= 2,
        settings=settings(database=None, derandomize=True),
    )
    assert found.id == "m0" and found.imposed_by == "p0" and found.targets == ()
    assert [str(e.at) for e in found.history] == ["2000-01-01[UTC]", "2000-01-02[UTC]"]
    assert all(plain(e) and e.source == "s0" for e in found.history)
    assert found.products == () and found.links == () and found.title == ""


def test_a_scenario_with_a_measure_shrinks_to_one_of_everything_it_needs() -> None:
    found = find(
        tts.scenarios(),
        lambda s: len(s.measures) >= 1,
        settings=settings(database=None, derandomize=True),
    )
    assert [p.id for p in found.parties] == ["p0"] and [s.id for s in found.sources] == ["s0"]
    assert [m.id for m in found.measures] == ["m0"]
    assert not found.deadlines and not found.negotiations
    (entry,) = found.measures[0].history
    assert str(entry.at) == "2000-01-01[UTC]" and plain(entry)


def test_shrinking_a_later_entity_leaves_the_earlier_ones_minimal() -> None:
    found = find(
        tts.scenarios(),
        lambda s: len(s.measures) >= 3 and s.measures[2].status is MeasureStatus.PAUSED,
        settings=settings(database=None, max_examples=5000),
    )
    first, second, third = found.measures
    for m in (first, second):
        assert [e.to for e in m.history] == [MeasureStatus.PROPOSED], m
        assert m.targets == () and m.links == () and plain(m.history[0]), m
    assert [e.to for e in third.history] == [MeasureStatus.PROPOSED, MeasureStatus.PAUSED]


def test_a_failing_run_of_the_machine_shrinks_to_a_small_scenario() -> None:
    failing: list[Scenario] = []

    class NothingEverPauses(tts.ScenarioMachine):
        def initial_scenarios(self) -> st.SearchStrategy[Scenario]:
            return tts.scenarios(max_measures=2, max_deadlines=1, max_negotiations=1)

        @invariant()
        def no_measure_is_paused(self) -> None:
            if any(m.status is MeasureStatus.PAUSED for m in self.scenario.measures):
                failing.append(self.scenario)
                raise AssertionError("a measure is paused")

    with pytest.raises(AssertionError, match="a measure is paused"):
        run_state_machine_as_test(
            NothingEverPauses,
            # Derandomized: how far a shrink gets depends on the run's seed, and now and then
            # a random seed stops at a history one entry longer.
            settings=settings(
                max_examples=200,
                stateful_step_count=5,
                deadline=None,
                database=None,
                derandomize=True,
            ),
        )
    # Hypothesis runs the shrunk example last, to report it.
    shrunk = failing[-1]
    assert [m.id for m in shrunk.measures] == ["m0"], shrunk
    assert not shrunk.deadlines and not shrunk.negotiations, shrunk
    assert len(shrunk.measures[0].history) <= 2, shrunk


# ------------------------------------------------------------------------------ health/speed
def test_scenarios_pass_every_health_check_at_default_settings() -> None:
    seen: list[int] = []

    @DEFAULTS
    @given(tts.scenarios())
    def check(s: Scenario) -> None:
        seen.append(len(s.measures))

    check()
    assert len(seen) >= 100 and max(seen) > 3, seen


@pytest.mark.parametrize(("name", "strategy"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_every_strategy_passes_every_health_check_at_default_settings(
    name: str, strategy: Callable[[], st.SearchStrategy[Any]]
) -> None:
    @DEFAULTS
    @given(strategy())
    def check(value: Any) -> None:
        assert value is not None, name

    check()


def test_the_whole_range_of_times_passes_every_health_check_at_default_settings() -> None:
    @DEFAULTS
    @given(tts.times(zone=tts.ALL_ZONES, years=tts.ALL_YEARS))
    def check(w: When) -> None:
        assert w.lo_us <= w.hi_us

    check()


def test_instants_of_a_scenario_lie_on_the_edges_of_its_time_values() -> None:
    @DEFAULTS
    @given(st.data())
    def check(data: st.DataObject) -> None:
        scenario = data.draw(tts.scenarios(max_measures=3))
        t = data.draw(tts.instants(scenario))
        edges = {
            edge
            for e in scenario.entities()
            for w in (e.history[0].at, *(x.at for x in e.history), *(x.recorded for x in e.history))
            if w is not None
            for edge in (w.lower, w.upper)
        } | {s.published.upper for s in scenario.sources if s.published is not None}
        edges |= {s.published.lower for s in scenario.sources if s.published is not None}
        dues = [getattr(x, "due", None) for e in scenario.entities() for x in e.history]
        rounds = [w for n in scenario.negotiations for r in n.rounds for w in (r.start, r.end)]
        edges |= {edge for w in (*dues, *rounds) if w is not None for edge in (w.lower, w.upper)}
        one = _dt.timedelta(microseconds=1)
        assert t in edges or t - one in edges or t + one in edges, t

    check()


# ----------------------------------------------------------------------------------- plugin
PUBLIC_TYPES = [
    tt.When,
    tt.Calendar,
    tt.HSCode,
    tt.Rate,
    tt.Quantity,
    tt.Terms,
    tt.Source,
    tt.Party,
    tt.Link,
    tt.Consequence,
    tt.Term,
    tt.Round,
    tt.Measure,
    tt.Deadline,
    tt.Negotiation,
    tt.Scenario,
    tt.Entry,
    tt.MeasureEntry,
    tt.DeadlineEntry,
    tt.NegotiationEntry,
    tt.Reading,
    tt.Lifecycle,
    tt.Problem,
    tt.MeasureStatus,
    tt.Evidence,
    tt.Precision,
    tt.Suspension,
    tt.SuspensionEnd,
    tt.Correction,
    tt.CorrectionKind,
    tt.RelativeDue,
]


@pytest.mark.parametrize("kind", PUBLIC_TYPES, ids=lambda k: k.__name__)
def test_from_type_builds_every_public_type(kind: type) -> None:
    @settings(max_examples=10, suppress_health_check=[HealthCheck.filter_too_much])
    @given(st.from_type(kind))
    def check(value: object) -> None:
        assert isinstance(value, kind)

    check()


def test_the_plugin_is_declared_as_a_hypothesis_entry_point_outside_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    hooks = pyproject["project"]["entry-points"]["hypothesis"]
    assert list(hooks.values()) == ["_tradetruce_hypothesis:_hypothesis_setup_hook"]
    installed = [e for e in entry_points(group="hypothesis") if "tradetruce" in e.value]
    assert installed, "the package is installed with its entry point"
    for entry in installed:
        hook = entry.load()
        assert callable(hook)
        hook()  # a second call finds the types registered and does nothing


def test_the_hook_module_is_installed_beside_the_package_it_serves() -> None:
    # An editable install once ran a copy of the hook module made at install time, so that an
    # edit to src/_tradetruce_hypothesis.py took effect only after reinstalling.
    import _tradetruce_hypothesis

    hook_home = Path(_tradetruce_hypothesis.__file__ or "").resolve().parent
    assert hook_home == Path(tt.__file__ or "").resolve().parents[1], hook_home


def test_the_hook_module_imports_nothing_when_loaded() -> None:
    source = (ROOT / "src" / "_tradetruce_hypothesis.py").read_text("utf-8")
    top_level = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert top_level == ["from __future__ import annotations"], top_level


IMPORT_ORDERS = pytest.mark.parametrize(
    "first",
    ["import tradetruce\nimport hypothesis", "import hypothesis\nimport tradetruce"],
    ids=["tradetruce-first", "hypothesis-first"],
)

# Whether the strategies module was imported before a type was asked for, and after: our
# resolvers import it, Hypothesis' own inference from the attrs fields does not.
RESOLVE = """
import sys
from hypothesis import strategies as st
import tradetruce as tt

lazy = "tradetruce.strategies" not in sys.modules
st.from_type(tt.Measure).validate()
print({"lazy": lazy, "registered": "tradetruce.strategies" in sys.modules})
"""

GENERATE = """
from hypothesis import given, settings

@settings(max_examples=5, database=None)
@given(st.from_type(tt.Measure), st.from_type(tt.Round))
def check(measure, round_):
    assert isinstance(measure, tt.Measure) and isinstance(round_, tt.Round)

check()
"""


def printed_by_a_fresh_process(code: str, **env: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout.strip())


@IMPORT_ORDERS
def test_from_type_builds_tradetruce_types_whichever_package_is_imported_first(
    first: str,
) -> None:
    found = printed_by_a_fresh_process(first + RESOLVE + GENERATE)
    assert found == {"lazy": True, "registered": True}


@IMPORT_ORDERS
def test_hypothesis_no_plugins_turns_the_registration_off_in_either_order(first: str) -> None:
    found = printed_by_a_fresh_process(first + RESOLVE, HYPOTHESIS_NO_PLUGINS="1")
    assert found == {"lazy": True, "registered": False}


def test_hypothesis_imported_while_tradetruce_is_importing_waits_for_the_whole_package() -> None:
    # Another import (here an import hook) brings Hypothesis in half-way through tradetruce's
    # own import: the entry point must leave registration to the end of it, without a warning.
    code = (
        "import importlib.abc, sys, warnings\n"
        "class HypothesisFirst(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'tradetruce.model.scenario':\n"
        "            import hypothesis\n"
        "        return None\n"
        "sys.meta_path.insert(0, HypothesisFirst())\n"
        "warnings.simplefilter('error')\n"
        "import tradetruce\n"
    )
    found = printed_by_a_fresh_process(code + RESOLVE)
    assert found == {"lazy": True, "registered": True}


def test_a_failing_registration_on_import_of_tradetruce_is_a_warning_not_an_error() -> None:
    code = (
        "import warnings\n"
        "from hypothesis import strategies as st\n"
        "def broken(*args):\n"
        "    raise TypeError('simulated failure while registering')\n"
        "st.register_type_strategy = broken\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    import tradetruce\n"
        "print([str(w.message) for w in caught if w.category is RuntimeWarning])\n"
    )
    (message,) = printed_by_a_fresh_process(code)
    assert "could not register its types with Hypothesis" in message
    assert "simulated failure while registering" in message


def test_a_failing_registration_in_the_hook_is_a_warning_not_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import _tradetruce_hypothesis
    from tradetruce import _hypothesis_plugin

    def broken(*args: object) -> None:
        raise TypeError("simulated failure while registering")

    monkeypatch.setattr(_hypothesis_plugin, "_registered", False)
    monkeypatch.setattr(st, "register_type_strategy", broken)
    with pytest.warns(RuntimeWarning, match="could not register its types with Hypothesis"):
        _tradetruce_hypothesis._hypothesis_setup_hook()
    assert not _hypothesis_plugin._registered


def _public_classes() -> list[Any]:
    """Every class and enum in ``tradetruce.__all__`` that has values to draw (not errors)."""
    found = [getattr(tt, name) for name in tt.__all__]
    kinds = [k for k in found if isinstance(k, type) and not issubclass(k, BaseException)]
    unregistered: dict[Any, str] = {}
    return [
        pytest.param(
            k,
            id=k.__name__,
            marks=[pytest.mark.xfail(strict=True, reason=unregistered[k])]
            if k in unregistered
            else [],
        )
        for k in kinds
    ]


@pytest.mark.parametrize("kind", _public_classes())
def test_from_type_draws_an_instance_of_every_public_class_and_enum(kind: type) -> None:
    @settings(max_examples=10, database=None, deadline=None)
    @given(st.from_type(kind))
    def check(value: object) -> None:
        assert isinstance(value, kind), (kind, value)

    check()


# ---------------------------------------------------------------------------------- stateful
TestScenarioMachine = tts.ScenarioMachine.TestCase
TestScenarioMachine.settings = settings(max_examples=15, stateful_step_count=8, deadline=None)


def test_the_machine_can_be_extended_with_a_tool_under_test() -> None:
    grown: list[int] = []

    class CountingMachine(tts.ScenarioMachine):
        def changed(self, before: Scenario, after: Scenario) -> None:
            assert after is not before
            grown.append(len(list(after.entities())) - len(list(before.entities())))

    run_state_machine_as_test(
        CountingMachine, settings=settings(max_examples=10, stateful_step_count=6, deadline=None)
    )
    # Only a proposal adds an entity; every other step changes the ones there are.
    assert grown and set(grown) <= {0, 1}, grown


class SeedMachine(tts.ScenarioMachine):
    """The same steps, starting from the seed scenario instead of a generated one."""

    def initial_scenarios(self) -> st.SearchStrategy[Scenario]:
        return st.just(tt.load_seed())


TestSeedMachine = SeedMachine.TestCase
TestSeedMachine.settings = settings(max_examples=10, stateful_step_count=8, deadline=None)


# ------------------------------------------------------------------------------- docs page
def page_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text("utf-8"), re.S)


def test_the_docs_page_examples_run_as_tests() -> None:
    blocks = page_blocks()
    assert blocks, PAGE
    namespace: dict[str, Any] = {"__name__": "testing_your_tool"}
    for block in blocks:
        exec(compile(block, str(PAGE), "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    machines = [
        m
        for m in namespace.values()
        if isinstance(m, type)
        and issubclass(m, RuleBasedStateMachine)
        and m is not tts.ScenarioMachine
    ]
    assert len(tests) >= 3 and machines, sorted(namespace)
    for test in tests:
        test()
    for machine in machines:
        run_state_machine_as_test(
            machine, settings=settings(max_examples=5, stateful_step_count=5, deadline=None)
        )


def test_the_docs_page_shows_a_shrunk_example_that_the_strategies_really_give() -> None:
    text = PAGE.read_text("utf-8")
    shown = re.search(r"<!-- shrunk -->\s*```text\n(.*?)```", text, re.S)
    assert shown, "the page shows a shrunk example in a text block after <!-- shrunk -->"
    found = find(
        tts.measures(),
        lambda m: m.status is MeasureStatus.PAUSED and len(m.targets) > 0,
        settings=settings(database=None, max_examples=1000),
    )
    assert " ".join(shown.group(1).split()) == " ".join(repr(found).split())


def first_version_namespace() -> tuple[dict[str, Any], Callable[..., Any]]:
    """Every python block of the page run in order, and the panel's first version."""
    text = PAGE.read_text("utf-8")
    first = re.search(r"<!-- first version -->\s*```python\n(.*?)```", text, re.S)
    assert first, "the page shows the first version after <!-- first version -->"
    namespace: dict[str, Any] = {"__name__": "testing_your_tool"}
    first_version = None
    for block in page_blocks():
        exec(compile(block, str(PAGE), "exec"), namespace)
        if block == first.group(1):
            first_version = namespace["deadlines_due_soon"]
    assert first_version is not None and namespace["deadlines_due_soon"] is not first_version
    return namespace, first_version


def test_the_first_version_on_the_docs_page_fails_with_the_example_it_shows() -> None:
    namespace, first_version = first_version_namespace()
    namespace["deadlines_due_soon"] = first_version
    check = namespace["check_due_soon"]

    def fails(pair: tuple[Scenario, _dt.datetime]) -> bool:
        try:
            check(*pair)
        except AssertionError:
            return True
        return False

    with_moments = tts.scenarios().flatmap(lambda s: st.tuples(st.just(s), tts.instants(s)))
    scenario, today = find(with_moments, fails, settings=settings(database=None, max_examples=2000))
    shown = re.search(r"<!-- falsifying -->\s*```text\n(.*?)```", PAGE.read_text("utf-8"), re.S)
    assert shown, "the page shows the failing example in a text block after <!-- falsifying -->"
    assert shown.group(1).strip() == f"today = {today!r}\n\n{to_toml(scenario)}".strip()
    # "Hypothesis fails this test, usually within its first hundred examples."
    test = settings(max_examples=100, database=None, phases=[Phase.generate], derandomize=True)(
        namespace["test_the_panel_keeps_its_promise"]
    )
    assert fails_in_one_of(1, test)


def fails_in_one_of(runs: int, test: Callable[[], None]) -> bool:
    """Whether ``test`` fails with an AssertionError in one of ``runs`` runs. A search finds a
    bug with some probability per run; each run has a new seed, so a bug that the test finds
    in most runs is found in one of a few all but always."""
    for _ in range(runs):
        try:
            test()
        except AssertionError:
            return True
    return False


def test_the_machine_on_the_docs_page_fails_with_the_first_version_too() -> None:
    namespace, first_version = first_version_namespace()
    namespace["deadlines_due_soon"] = first_version
    # Started from the scenario the page shows failing, the machine must find the failure in
    # its own steps. A fixed seed keeps the run the same every time; starting from that
    # scenario keeps the search small, so the run does not hang on how a Hypothesis release
    # happens to explore a larger space.
    shown = re.search(r"<!-- falsifying -->\s*```text\n(.*?)```", PAGE.read_text("utf-8"), re.S)
    assert shown, "the page shows the failing example in a text block after <!-- falsifying -->"
    scenario = from_toml(shown.group(1).partition("\n\n")[2], Scenario)

    from_the_shown_scenario: Any = type(
        "FromTheShownScenario",
        (namespace["DashboardMachine"],),
        {"initial_scenarios": lambda self: st.just(scenario)},
    )

    run = settings(
        max_examples=200,
        stateful_step_count=10,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
    )
    assert fails_in_one_of(
        1, lambda: run_state_machine_as_test(from_the_shown_scenario, settings=run)
    )


@given(tts.times(zone="Pacific/Apia", years=(2011, 2011), precision=Precision.DAY))
def test_times_never_give_a_day_that_a_zone_skipped(w: When) -> None:
    # Samoa jumped over 30 December 2011: that day names no instant, so its month is drawn.
    assert str(w) != "2011-12-30[Pacific/Apia]"
    assert w.lo_us <= w.hi_us and When.parse(str(w)) == w


def test_a_day_that_a_zone_skipped_is_drawn_as_its_month() -> None:
    found = find(
        tts.times(zone="Pacific/Apia", years=(2011, 2011), exact=False),
        lambda w: w.start is not None and w.start.month == 12 and w.start.day is None,
        settings=settings(database=None, max_examples=2000),
    )
    assert str(found) == "2011-12[Pacific/Apia]"


# --------------------------------------------------------------- suspensions and their claims
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tts.suspended_measures())
def test_suspended_measures_are_paused_in_whole_or_part_and_extended_with_provenance(
    measure: tt.Measure,
) -> None:
    statuses = [e.to for e in measure.history]
    assert statuses[:3] == [
        tt.MeasureStatus.PROPOSED,
        tt.MeasureStatus.IN_FORCE,
        tt.MeasureStatus.PAUSED,
    ]
    assert measure.history[2].suspension is not None
    rate = measure.history[0].terms.rate if measure.history[0].terms else None
    assert rate is not None and measure.history[2].suspension.problem_with(rate) == ""
    for entry in measure.history[3:]:
        if entry.is_amendment:
            assert entry.suspension is not None  # an extension carries its suspension

"""A rule-based state machine that drives a Scenario through the public API."""

from __future__ import annotations

import datetime as _dt
import itertools
from typing import Any, Final

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from hypothesis.strategies import SearchStrategy

from tradetruce.errors import (
    IllegalTransitionError,
    InvalidTimeError,
    InvalidValueError,
    TradeTruceError,
)
from tradetruce.model.deadline import Deadline
from tradetruce.model.entries import Entry, Evidence
from tradetruce.model.history import read
from tradetruce.model.lifecycle import (
    DeadlineStatus,
    MeasureStatus,
    NegotiationStatus,
)
from tradetruce.model.measure import Measure, MeasureKind
from tradetruce.model.negotiation import Negotiation
from tradetruce.model.scenario import Scenario
from tradetruce.model.tracked import Tracked
from tradetruce.strategies import _choices, _shapes, _times, _values
from tradetruce.strategies._scenarios import instants, scenarios
from tradetruce.values.suspension import Suspension, SuspensionEnd
from tradetruce.values.when import When
from tradetruce.wire.serialize import from_json, to_json

_END_OF_TIME: Final = _dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=_dt.UTC)
_DAYS: Final = st.integers(1, 60)
_DUE_DAYS: Final = st.integers(1, 400)
_MONTH: Final = _dt.timedelta(days=30)
_KINDS: Final = st.sampled_from(list(MeasureKind))
_EVIDENCE: Final = st.sampled_from(list(Evidence))
_MAYBE_RATE: Final = st.none() | _values.rates()
_KNOWN: Final = st.sampled_from(("all", "then", "another"))


def latest_time(scenario: Scenario) -> _dt.datetime:
    """The UTC instant after which any new entry is in order for every history: the latest
    earliest instant of any entry (or the start of the default years)."""
    floor = _dt.datetime(_times.YEARS[0], 1, 1, tzinfo=_dt.UTC)
    for entity in scenario.entities():
        for entry in (*entity.history, *entity.corrected_history):  # errata move times too
            floor = max(floor, entry.at.lower)
    return floor


class ScenarioMachine(RuleBasedStateMachine):
    """Drives a Scenario through random legal steps; subclass it to test your tool alongside.

    ``self.scenario`` is the current scenario and ``self.now`` the UTC instant of the latest
    event. The rules use the public API, each step at a time after every event so far:
    :meth:`tradetruce.Measure.propose` a new measure, move an entity to a status its
    lifecycle allows (``transition``, :meth:`tradetruce.Deadline.extend` for an extension),
    :meth:`tradetruce.Measure.amend` a live measure's rate, add a rival claim about an entity's
    latest event, move talks with :meth:`tradetruce.Scenario.apply` (signing carries out the
    deal's terms), :meth:`tradetruce.Scenario.advance` the clock so that passed deadlines fire,
    and look at the scenario with :meth:`tradetruce.Scenario.at` at a drawn time as known at a
    drawn time. A step the library refuses must be refused with
    :class:`tradetruce.IllegalTransitionError` and leave the scenario as it was; ``refusals``
    counts them.

    After every step the invariants check that the scenario is still valid, that each status
    is the fold of its history, that the point-in-time view says exactly what each entity's
    own reading says (now, and now as known now), and that the scenario survives a round trip
    through ``to_json``/``from_json``. Add your own with ``@invariant()``, react to every change
    in :meth:`changed`, and override :meth:`initial_scenarios` to start elsewhere (a seed
    scenario, say).

    >>> from hypothesis import settings
    >>> from hypothesis.stateful import run_state_machine_as_test
    >>> run_state_machine_as_test(
    ...     ScenarioMachine, settings=settings(max_examples=5, stateful_step_count=5)
    ... )
    """

    scenario: Scenario
    now: _dt.datetime
    refusals: int

    def initial_scenarios(self) -> SearchStrategy[Scenario]:
        """Where each run starts; by default small generated scenarios."""
        return scenarios(max_measures=4, max_deadlines=2, max_negotiations=2, max_history=3)

    def changed(self, before: Scenario, after: Scenario) -> None:
        """Called after each step that changed the scenario; override to check your tool."""

    @initialize(data=st.data())
    def start(self, data: st.DataObject) -> None:
        self.scenario = data.draw(self.initial_scenarios(), label="scenario")
        assert self.scenario.sources, "every step cites a source: start from one that has some"
        self.now = latest_time(self.scenario)
        self.refusals = 0

    # ----------------------------------------------------------------------------- helpers
    def _set(self, after: Scenario) -> None:
        before = self.scenario
        self.scenario = after
        self.now = max(self.now, latest_time(after))
        if after != before:
            self.changed(before, after)

    def _refused(self, error: TradeTruceError, before: Scenario) -> None:
        assert self.scenario is before, "a refused step must not change the scenario"
        if isinstance(error, IllegalTransitionError):
            assert error.entity in self.scenario, error
        self.refusals += 1

    def _later(self, data: st.DataObject, last: When | None = None) -> tuple[_dt.datetime, When]:
        """An instant after every event so far, and a time value around it in any shape and
        zone; exact when the shape would reach back to ``last`` (the entity's latest time
        value) or before it: a vague time that nests an earlier claim with the same move is a
        rival claim about that event, not a new one."""
        start = self.now
        if last is not None and last.upper.year < _times.YEARS[1]:  # not an open end
            start = max(start, last.upper)
        instant = start + _dt.timedelta(days=data.draw(_DAYS, label="days later"))
        zone = data.draw(_times.zones(), label="zone")
        at = data.draw(_shapes.shapes, label="shape").around(instant, zone)
        if last is not None and at.lo_us <= last.hi_us:
            at = _shapes.EXACT.around(instant, zone)
        return instant, at

    def _cite(self, data: st.DataObject, at: When) -> dict[str, Any]:
        """A source to cite, and a recorded time when the source has no publication time."""
        source = data.draw(st.sampled_from(self.scenario.sources), label="source")
        return {"source": source.id, "recorded": None if source.published else at}

    def _movable(self) -> list[Tracked[Any, Any]]:
        return [e for e in self.scenario.entities() if e.allowed_transitions()]

    def _amendable(self) -> list[Measure]:
        return [m for m in self.scenario.measures if not m.lifecycle.is_terminal(m.status)]

    def _open_talks(self) -> list[Negotiation]:
        return [n for n in self.scenario.negotiations if n.allowed_transitions()]

    def _new_id(self) -> str:
        return next(f"m{i}" for i in itertools.count() if f"m{i}" not in self.scenario)

    def _named(self, entity: Any) -> Any:
        """``entity`` with its last entry named (``e0``, ``e1``, ...), so that a later step may
        correct it."""
        taken = {e.id for e in entity.history}
        name = next(f"e{i}" for i in itertools.count() if f"e{i}" not in taken)
        return entity.name_last_entry(name)

    @staticmethod
    def _last(entity: Any) -> When:
        """The latest time of an entity's entries, as recorded or as corrected."""
        found: list[When] = [entity.history[-1].at, entity.corrected_history[-1].at]
        return max(found, key=lambda w: w.hi_us)

    def _suspendable(self) -> list[Measure]:
        return [
            m
            for m in self.scenario.measures
            if m.status is MeasureStatus.IN_FORCE
            and MeasureStatus.PAUSED in m.allowed_transitions()
        ]

    def _suspended(self) -> list[Measure]:
        return [
            m
            for m in self.scenario.measures
            if m.status is MeasureStatus.PAUSED and m.suspension is not None
        ]

    def _correctable(self) -> list[Tracked[Any, Any]]:
        return [e for e in self.scenario.entities() if any(x.id is not None for x in e.history)]

    # ------------------------------------------------------------------------------- rules
    @precondition(lambda self: bool(self.scenario.parties))
    @rule(data=st.data())
    def propose(self, data: st.DataObject) -> None:
        """Propose a new measure (Measure.propose) and add it to the scenario."""
        party_ids = tuple(p.id for p in self.scenario.parties)
        imposer = data.draw(_choices.one_of_ids(party_ids), label="imposed_by")
        targets = data.draw(_choices.some_ids(party_ids, 2, (imposer,)), label="targets")
        _, at = self._later(data)
        measure = Measure.propose(
            id=self._new_id(),
            kind=data.draw(_KINDS, label="kind"),
            imposed_by=imposer,
            targets=targets,
            rate=data.draw(_MAYBE_RATE, label="rate"),
            at=at,
            **self._cite(data, at),
        )
        self._set(self.scenario.replace(self._named(measure)))

    @precondition(lambda self: bool(self._movable()))
    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        """Move an entity to a status its lifecycle allows (an extension moves the due time)."""
        entity = data.draw(st.sampled_from(self._movable()), label="entity")
        options = [s for s in entity.LIFECYCLE.status_type if s in entity.allowed_transitions()]
        to = data.draw(st.sampled_from(options), label="to")
        instant, at = self._later(data, self._last(entity))
        cite = self._cite(data, at)
        moved: Measure | Deadline | Negotiation
        if isinstance(entity, Deadline) and to is DeadlineStatus.EXTENDED:
            later = instant + _dt.timedelta(days=data.draw(_DUE_DAYS, label="due days"))
            due = data.draw(_shapes.shapes, label="due shape").around(later, at.zone)
            moved = entity.extend(due=due, at=at, **cite)
            assert moved.due == due
        else:
            assert isinstance(entity, Measure | Deadline | Negotiation)
            moved = entity.transition(to, at=at, **cite)
        assert moved.status is to
        self._set(self.scenario.replace(self._named(moved)))

    @precondition(lambda self: bool(self._amendable()))
    @rule(data=st.data())
    def amend(self, data: st.DataObject) -> None:
        """Change a live measure's rate without changing its status."""
        measure = data.draw(st.sampled_from(self._amendable()), label="measure")
        rate = data.draw(_values.rates(), label="rate")
        _, at = self._later(data, self._last(measure))
        before = self.scenario
        try:
            amended = measure.amend(rate=rate, at=at, **self._cite(data, at))
        except InvalidValueError as error:  # a rate below the portion suspended
            self._refused(error, before)
            return
        assert amended.status is measure.status and amended.terms.rate == rate
        self._set(self.scenario.replace(self._named(amended)))

    @precondition(lambda self: bool(self._suspendable()))
    @rule(data=st.data())
    def suspend(self, data: st.DataObject) -> None:
        """Pause a measure in force (Measure.suspend): all of it or part of its rate, until a
        later time or further notice, restored or expiring at the end."""
        measure = data.draw(st.sampled_from(self._suspendable()), label="measure")
        instant, at = self._later(data, self._last(measure))
        rate = measure.terms.rate
        portion = None
        if rate is not None and rate.value > 0 and data.draw(st.booleans(), label="in part"):
            share = data.draw(st.integers(1, 100), label="percent of the rate suspended")
            portion = attrs.evolve(rate, value=rate.value * share / 100)
        until = None
        if data.draw(st.booleans(), label="until a time"):
            later = instant + _dt.timedelta(days=data.draw(_DUE_DAYS, label="days suspended"))
            until = data.draw(_shapes.shapes, label="until shape").around(later, at.zone)
        at_end = data.draw(st.sampled_from(list(SuspensionEnd)), label="at end")
        before = self.scenario
        try:
            paused = measure.suspend(
                at=at, until=until, portion=portion, at_end=at_end, **self._cite(data, at)
            )
        except InvalidValueError as error:  # a portion above a rival claim's lower rate
            self._refused(error, before)
            return
        # The whole measure until further notice, restored, is a plain pause: no suspension.
        stated = Suspension(until=until, portion=portion, at_end=at_end)
        assert paused.status is MeasureStatus.PAUSED
        assert (paused.suspension or Suspension()) == stated
        self._set(self.scenario.replace(self._named(paused)))

    @precondition(lambda self: bool(self._suspended()))
    @rule(data=st.data())
    def extend_suspension(self, data: st.DataObject) -> None:
        """Move a suspension's end later, or to further notice (Measure.extend_suspension)."""
        measure = data.draw(st.sampled_from(self._suspended()), label="measure")
        instant, at = self._later(data, self._last(measure))
        until = None
        if data.draw(st.booleans(), label="until a time"):
            later = instant + _dt.timedelta(days=data.draw(_DUE_DAYS, label="days more"))
            until = data.draw(_shapes.shapes, label="until shape").around(later, at.zone)
        before = measure.suspension
        extended = measure.extend_suspension(until=until, at=at, **self._cite(data, at))
        assert extended.suspension is not None and before is not None
        assert extended.suspension.until == until
        assert extended.suspension.portion == before.portion
        self._set(self.scenario.replace(self._named(extended)))

    @precondition(lambda self: bool(self._correctable()))
    @rule(data=st.data())
    def correct(self, data: st.DataObject) -> None:
        """Retract an entity's latest entry (when it has a name), recorded now: as known
        before, nothing changes; a retraction the lifecycle cannot follow is refused."""
        entity: Any = data.draw(st.sampled_from(self._correctable()), label="entity")
        entry = entity.history[-1]
        _, recorded = self._later(data)
        source = data.draw(st.sampled_from(self.scenario.sources), label="source").id
        before = self.scenario
        moments = [self.now, entry.at.lower, entry.at.upper]
        published = before.published
        as_before = {
            m: entity.reading_at(m, known_at=self.now, published=published) for m in moments
        }
        try:
            fixed = entity.retract(entry.id, source=source, recorded=recorded)
            after = before.replace(fixed)
        except TradeTruceError as error:  # the history would no longer be legal
            self._refused(error, before)
            return
        # Recorded after everything so far: as known now, nothing has changed.
        for m, reading in as_before.items():
            again = fixed.reading_at(m, known_at=self.now, published=published)
            assert (again.status, again.candidates) == (reading.status, reading.candidates), m
        self._set(after)

    @precondition(lambda self: any(True for _ in self.scenario.entities()))
    @rule(data=st.data())
    def dispute(self, data: st.DataObject) -> None:
        """Add a rival claim about an entity's latest event: same time and starting status,
        another source, evidence or outcome (the lifecycle still decides what is legal)."""
        entity: Any = data.draw(st.sampled_from(list(self.scenario.entities())), label="entity")
        last: Entry[Any] = entity.corrected_history[-1]  # the latest event, as corrected
        lifecycle: Any = entity.lifecycle
        options = [
            s
            for s in lifecycle.statuses
            if lifecycle.can(last.from_, s)
            or (isinstance(entity, Measure) and s == last.from_ and not lifecycle.is_terminal(s))
        ]
        to = data.draw(st.sampled_from(options), label="to")
        evidence = data.draw(_EVIDENCE, label="evidence")
        party_ids = [p.id for p in self.scenario.parties]
        if evidence is Evidence.CLAIMED and not party_ids:
            evidence = Evidence.REPORTED
        extra: dict[str, Any] = {}
        if evidence is Evidence.CLAIMED:
            extra["claimed_by"] = data.draw(st.sampled_from(party_ids), label="claimed_by")
        if isinstance(entity, Deadline) and (last.from_ is None or to is DeadlineStatus.EXTENDED):
            # The due time the event set, or a month after everything so far.
            due = getattr(last, "due", None)
            extra["due"] = due or _shapes.EXACT.around(self.now + _MONTH, "UTC")
        rival = type(last)(
            from_=last.from_,
            to=to,
            at=last.at,
            evidence=evidence,
            **self._cite(data, last.at),
            **extra,
        )
        before = self.scenario
        try:
            disputed = entity.with_entry(rival)
        except TradeTruceError as error:  # a claim the corrected history cannot follow
            self._refused(error, before)
            return
        self._set(before.replace(disputed))

    @precondition(lambda self: bool(self._open_talks()))
    @rule(data=st.data())
    def apply(self, data: st.DataObject) -> None:
        """Move talks with Scenario.apply; signing carries out the deal's terms."""
        talks = data.draw(st.sampled_from(self._open_talks()), label="negotiation")
        options = [s for s in NegotiationStatus if s in talks.allowed_transitions()]
        to = data.draw(st.sampled_from(options), label="to")
        before = self.scenario
        _, at = self._later(data, self._last(talks))
        try:
            after = before.apply(talks.id, to=to, at=at, **self._cite(data, at))
        except (IllegalTransitionError, InvalidValueError) as error:
            # A term the lifecycles forbid just now, or terms that contradict the measure's own
            # (an effective time after its expiry).
            self._refused(error, before)
            return
        assert after.negotiation(talks.id).status is to
        self._set(after)

    @rule(data=st.data())
    def advance(self, data: st.DataObject) -> None:
        """Move the clock on: every deadline certainly passed unmet fires its consequences."""
        _, to = self._later(data)
        before = self.scenario
        try:
            after = before.advance(to)
        except IllegalTransitionError as error:  # a consequence the lifecycles forbid
            self._refused(error, before)
            return
        assert after.advance(to) == after, "advancing twice to one time changes nothing"
        self.now = max(self.now, to.lower)
        self._set(after)

    @rule(data=st.data())
    def look(self, data: st.DataObject) -> None:
        """View the scenario at a drawn moment as known at a drawn moment, both drawn from
        :func:`instants` (the edges of its time values, where a fold is easiest to get wrong);
        the moment known at is now and then the moment itself, or left out."""
        moments = instants(self.scenario)
        t = data.draw(moments, label="t")
        known = data.draw(_KNOWN, label="known_at")
        k = None
        if known == "then":
            k = t
        elif known == "another":
            k = data.draw(moments, label="k")
        self.check_view(t, k)
        self.check_projection(t, k)

    # -------------------------------------------------------------------------- invariants
    def check_view(self, t: _dt.datetime, known_at: _dt.datetime | None) -> None:
        """``scenario.at(t, known_at=known_at)`` says exactly what each entity's own reading
        says (status, certainty, candidates, entries, pending claims, disagreements, and a
        measure's terms or a deadline's due time)."""
        view = self.scenario.at(t, known_at=known_at)
        published = self.scenario.published
        for entity in self.scenario.entities():
            state = view[entity.id]
            reading = entity.reading_at(t, known_at=known_at, published=published)
            seen = (state.status, state.certain, state.candidates, state.entries, state.pending)
            folded = (
                reading.status,
                reading.certain,
                reading.candidates,
                reading.entries,
                reading.pending,
            )
            assert seen == folded, (entity.id, t, known_at, seen, folded)
            assert state.disagreements == reading.disagreements, (entity.id, t, known_at)
            if isinstance(entity, Measure):
                terms = entity.terms_at(t, known_at=known_at, published=published)
                assert getattr(state, "terms", None) == terms, (entity.id, t, known_at)
            if isinstance(entity, Deadline):
                due = entity.due_at(t, known_at=known_at, published=published)
                assert getattr(state, "due", None) == due, (entity.id, t, known_at)

    def check_projection(self, t: _dt.datetime, known_at: _dt.datetime | None) -> None:
        """The projected view at ``t`` as known at ``known_at`` is the view of the scenario
        advanced to ``t`` as known then, and says so; a projection the lifecycles forbid is
        refused the same way by both."""
        refused: list[str] = []
        for attempt in ("project", "advance"):
            try:
                if attempt == "project":
                    self.scenario.at(t, known_at=known_at, project=True)
                else:
                    self.scenario.advance(t, known_at=known_at)
            except (IllegalTransitionError, InvalidTimeError) as error:
                # A consequence the lifecycles forbid, or a moment outside the years a
                # projected entry can be dated in.
                refused.append(f"{type(error).__name__}: {error}")
        assert len(refused) in (0, 2) and len(set(refused)) <= 1, refused
        if refused:
            return
        projected = self.scenario.at(t, known_at=known_at, project=True)
        advanced = self.scenario.advance(t, known_at=known_at).at(t, known_at=known_at)
        assert projected.projected and not advanced.projected
        assert not projected.diff(advanced), (t, known_at, projected.diff(advanced))

    @invariant()
    def scenario_is_valid(self) -> None:
        """Rebuilding the scenario from its parts passes every cross-reference check."""
        attrs.evolve(self.scenario)

    @invariant()
    def status_is_the_fold_of_history(self) -> None:
        """Each status is where its history ends, read at any instant after the last event;
        there only a lapse (a stated end or start with nothing recorded) leaves it uncertain."""
        for entity in self.scenario.entities():
            history: tuple[Entry[Any], ...] = entity.history
            assert read(history, corrections=entity.corrections).status == entity.status, entity.id
            reading = entity.reading_at(_END_OF_TIME)
            assert reading.candidates[0] == entity.status, entity.id
            assert reading.certain == (not reading.lapses), entity.id

    @invariant()
    def the_view_agrees_with_each_history(self) -> None:
        """The view now, and now as known now, says what each entity's own reading says."""
        self.check_view(self.now, None)
        self.check_view(self.now, self.now)

    @invariant()
    def the_scenario_round_trips_through_json(self) -> None:
        """Writing the scenario and reading it back gives the same scenario."""
        assert from_json(to_json(self.scenario), Scenario) == self.scenario

"""The Scenario: every source, party, measure, deadline and negotiation of one story, by id.

A Scenario is immutable and checked whole when built: ids are unique across all entities, and
every reference (a measure's imposing party, a history entry's source, a deadline's consequence,
a deal's term) names something that exists and asks for a status its lifecycle has. Every problem
is reported at once, each with its JSON path (the checks are in ``model/_integrity.py``).
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from tradetruce.errors import InvalidDataError, InvalidValueError, UnknownEntityError
from tradetruce.model._integrity import scenario_problems
from tradetruce.model.base_rate import BaseRate
from tradetruce.model.commitment import TargetReading
from tradetruce.model.deadline import Deadline
from tradetruce.model.entries import Evidence
from tradetruce.model.legal_act import LegalAct
from tradetruce.model.lifecycle import NegotiationStatus
from tradetruce.model.measure import Measure
from tradetruce.model.negotiation import Negotiation
from tradetruce.model.party import Party
from tradetruce.model.source import Source
from tradetruce.model.stacking import StackingRule
from tradetruce.values import _validate as v
from tradetruce.values.codes import HSCode
from tradetruce.values.when import When

if TYPE_CHECKING:
    from tradetruce.engine.changes import Change
    from tradetruce.engine.recorded import RecordedChange
    from tradetruce.engine.tariffs import TariffStack
    from tradetruce.engine.timeindex import Index
    from tradetruce.engine.timeline import Event
    from tradetruce.engine.upcoming import Upcoming
    from tradetruce.engine.view import View

__all__ = ["Entity", "Scenario"]

Entity = Measure | Deadline | Negotiation


@attrs.frozen(kw_only=True)
class Scenario:
    """A whole story of trade policy, keyed by id.

    Collections keep the order they were given in (files diff well and round-trip exactly);
    look entities up by id with :meth:`measure`, :meth:`deadline`, :meth:`negotiation`,
    :meth:`party`, :meth:`source` or :meth:`entity`.
    """

    title: str = attrs.field(default="", validator=v.text)
    description: str = attrs.field(default="", validator=v.text)
    sources: tuple[Source, ...] = attrs.field(default=(), validator=v.tuple_of(Source))
    parties: tuple[Party, ...] = attrs.field(default=(), validator=v.tuple_of(Party))
    measures: tuple[Measure, ...] = attrs.field(default=(), validator=v.tuple_of(Measure))
    deadlines: tuple[Deadline, ...] = attrs.field(default=(), validator=v.tuple_of(Deadline))
    negotiations: tuple[Negotiation, ...] = attrs.field(
        default=(), validator=v.tuple_of(Negotiation)
    )
    #: Importers' applied (MFN) duties by product: the bottom layer of tariff stacks.
    base_rates: tuple[BaseRate, ...] = attrs.field(default=(), validator=v.tuple_of(BaseRate))
    #: Which tariff layers keep which others off the same goods.
    stacking_rules: tuple[StackingRule, ...] = attrs.field(
        default=(), validator=v.tuple_of(StackingRule)
    )
    #: Legal acts that group several measures (their terms name the act).
    legal_acts: tuple[LegalAct, ...] = attrs.field(default=(), validator=v.tuple_of(LegalAct))

    def __attrs_post_init__(self) -> None:
        problems = list(scenario_problems(self))
        if problems:
            raise InvalidDataError(problems)

    # ----------------------------------------------------------------------------------- lookup
    @functools.cached_property
    def _index(self) -> dict[str, Any]:
        return {x.id: x for group in self._groups() for x in group[1]}

    def _groups(self) -> Iterator[tuple[str, tuple[Any, ...]]]:
        yield "sources", self.sources
        yield "parties", self.parties
        yield "measures", self.measures
        yield "deadlines", self.deadlines
        yield "negotiations", self.negotiations

    def _get(self, id: str, kind: type, name: str) -> Any:
        found = self._index.get(id)
        if not isinstance(found, kind):
            raise UnknownEntityError(id, name)
        return found

    def source(self, id: str) -> Source:
        result: Source = self._get(id, Source, "source")
        return result

    def party(self, id: str) -> Party:
        result: Party = self._get(id, Party, "party")
        return result

    def measure(self, id: str) -> Measure:
        result: Measure = self._get(id, Measure, "measure")
        return result

    def deadline(self, id: str) -> Deadline:
        result: Deadline = self._get(id, Deadline, "deadline")
        return result

    def negotiation(self, id: str) -> Negotiation:
        result: Negotiation = self._get(id, Negotiation, "negotiation")
        return result

    def entity(self, id: str) -> Entity:
        """The measure, deadline or negotiation with this id."""
        result: Entity = self._get(id, (Measure, Deadline, Negotiation), "entity")  # type: ignore[arg-type]
        return result

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and id in self._index

    def entities(self) -> Iterator[Entity]:
        """Every measure, deadline and negotiation, in that order."""
        yield from self.measures
        yield from self.deadlines
        yield from self.negotiations

    @functools.cached_property
    def published(self) -> Mapping[str, When | None]:
        """Source id -> publication time: the default recorded time of the entries citing it."""
        return {s.id: s.published for s in self.sources}

    def fulfilment(
        self,
        measure: str,
        t: _dt.datetime | When | str,
        *,
        known_at: _dt.datetime | When | str | None = None,
    ) -> tuple[TargetReading, ...]:
        """Each target of a purchase commitment at ``t``, as known at ``known_at`` (only
        deliveries recorded by then count; a delivery without a recorded time is known when its
        source was published). See :class:`tradetruce.Commitment`.

        Raises:
            UnknownEntityError: no measure ``measure``.
            InvalidValueError: the measure carries no commitment.
        """
        commitment = self.measure(measure).commitment
        if commitment is None:
            raise InvalidValueError(
                f"{measure}: not a commitment: it has no targets to fulfil",
                field="commitment",
                value=None,
                allowed="the id of a purchase_commitment measure with a commitment",
            )
        return commitment.fulfilment(t, known_at=known_at, published=self.published)

    def members(self, group: str) -> tuple[Party, ...]:
        """Every party in ``group``, through groups within it, each once, in listed order
        (the groups within it included)."""
        found: dict[str, Party] = {}
        todo = list(reversed(self.party(group).members))
        while todo:
            p = self.party(todo.pop())
            if p.id not in found:
                found[p.id] = p
                todo.extend(reversed(p.members))
        return tuple(found.values())

    @functools.cached_property
    def _groups_of(self) -> Mapping[str, tuple[str, ...]]:
        direct: dict[str, list[str]] = {}
        for p in self.parties:
            for m in p.members:
                direct.setdefault(m, []).append(p.id)
        return {k: tuple(v) for k, v in direct.items()}

    def targeted_as(self, party: str) -> frozenset[str]:
        """The ids a measure can target to reach ``party``: the party, its parents
        (:meth:`lineage`), and every group any of them belongs to, directly or through a group
        within a group. A measure targeting an entity list applies to each listed firm.

        >>> from tradetruce import PartyKind
        >>> s = Scenario(
        ...     parties=(
        ...         Party("acme", "Acme", PartyKind.COMPANY),
        ...         Party("acme-sub", "Acme Sub", PartyKind.COMPANY, parent="acme"),
        ...         Party("list", "Entity list", PartyKind.GROUP, members=("acme",)),
        ...     )
        ... )
        >>> sorted(s.targeted_as("acme-sub"))
        ['acme', 'acme-sub', 'list']
        """
        found = {p.id for p in self.lineage(party)}
        todo = list(found)
        while todo:
            for g in self._groups_of.get(todo.pop(), ()):
                if g not in found:
                    found.add(g)
                    todo.append(g)
        return frozenset(found)

    def lineage(self, party: str) -> tuple[Party, ...]:
        """The party and its parents, innermost first (an official, their body, their state)."""
        chain = [self.party(party)]
        while chain[-1].parent is not None:
            chain.append(self.party(chain[-1].parent))
        return tuple(chain)

    # ---------------------------------------------------------------------------------- changes
    def replace(self, *entities: Entity | Party | Source) -> Scenario:
        """A copy with each given entity replacing the one with its id, or added at the end."""
        fields: dict[str, list[Any]] = {name: list(group) for name, group in self._groups()}
        where = {Source: "sources", Party: "parties", Measure: "measures"}
        where.update({Deadline: "deadlines", Negotiation: "negotiations"})
        for new in entities:
            group = fields[where[type(new)]]
            for i, old in enumerate(group):
                if old.id == new.id:
                    group[i] = new
                    break
            else:
                group.append(new)
        changed: dict[str, Any] = {k: tuple(g) for k, g in fields.items()}
        return attrs.evolve(self, **changed)

    # ------------------------------------------------------------------------------ time engine
    # What the engine computes once per Scenario object, on first use. Scenarios are immutable:
    # a changed scenario is a new object, so nothing here ever needs invalidating.
    @functools.cached_property
    def _engine(self) -> Index:
        """The time index (:mod:`tradetruce.engine.timeindex`)."""
        from tradetruce.engine.timeindex import Index

        return Index(self)

    @functools.cached_property
    def _timeline(self) -> tuple[Event, ...]:
        """Every dated event in order (:mod:`tradetruce.engine.timeline`)."""
        from tradetruce.engine.timeline import timeline

        return timeline(self)

    @functools.cached_property
    def _tariffs(self) -> Mapping[str, tuple[Measure, ...]]:
        """Tariff measures by imposing party (:mod:`tradetruce.engine.tariffs`)."""
        from tradetruce.engine.tariffs import tariffs_by_imposer

        return tariffs_by_imposer(self)

    def at(
        self,
        t: _dt.datetime | When | str,
        *,
        known_at: _dt.datetime | When | str | None = None,
        project: bool = False,
    ) -> View:
        """Every measure, deadline and negotiation as it stood at ``t``, as known at ``known_at``.

        The bitemporal rule: the view uses exactly the history entries valid at or before ``t``
        and recorded at or before ``known_at`` (an entry's recorded time is its ``recorded``,
        else its source's publication). A calendar When stands for its last instant. While ``t``
        lies inside an approximate time value, a state's status is ``None`` and its
        ``candidates`` list every status it may be in; so too once a stated end or start has
        come with nothing recorded about it (a suspension's end, an effective time, an expiry:
        the state's ``lapses`` say which).

        With ``project=True`` the view is a projection: what was scheduled, as known at
        ``known_at``, is carried out up to ``t`` (:meth:`advance` with ``known_at``), and the
        view is the advanced scenario's at ``t`` as known at ``known_at``. It is marked
        ``projected``, and so is each state a projected entry decides. An entity nothing was
        known of at ``known_at`` is not in a projected view (see :meth:`as_known_at`).
        >>> import pendulum
        >>> from tradetruce import Measure, MeasureKind, MeasureStatus, Party, PartyKind, Source
        >>> early = Source(id="early", title="A report", published=When.parse("2025-10-01[UTC]"))
        >>> late = Source(id="late", title="A notice", published=When.parse("2025-11-05[UTC]"))
        >>> tariff = Measure.propose(
        ...     id="tariff",
        ...     kind=MeasureKind.TARIFF,
        ...     imposed_by="us",
        ...     targets=("cn",),
        ...     at="2025-10-01[UTC]",
        ...     source="early",
        ... ).transition(MeasureStatus.IN_FORCE, at="2025-11-01[UTC]", source="late")
        >>> s = Scenario(
        ...     sources=(early, late),
        ...     parties=(
        ...         Party(id="us", name="US", kind=PartyKind.STATE),
        ...         Party(id="cn", name="China", kind=PartyKind.STATE),
        ...     ),
        ...     measures=(tariff,),
        ... )
        >>> nov3 = pendulum.datetime(2025, 11, 3, tz="UTC")
        >>> s.at(nov3).measures["tariff"].status
        <MeasureStatus.IN_FORCE: 'in_force'>
        >>> s.at(nov3, known_at=nov3).measures["tariff"].status  # the notice came out later
        <MeasureStatus.PROPOSED: 'proposed'>
        >>> noon = pendulum.datetime(2025, 11, 1, 12, tz="UTC")  # inside "2025-11-01[UTC]"
        >>> s.at(noon).measures["tariff"].candidates
        (<MeasureStatus.PROPOSED: 'proposed'>, <MeasureStatus.IN_FORCE: 'in_force'>)
        """
        from tradetruce.engine.view import instant, view

        k = None if known_at is None else instant(known_at, "known_at")
        if project:
            advanced = self.advance(t, known_at=known_at)
            return view(advanced._engine, instant(t), k, projected=True)
        return view(self._engine, instant(t), k)

    def as_known_at(self, known_at: _dt.datetime | When | str) -> Scenario:
        """The scenario as it was known at ``known_at``: each history keeps the entries recorded
        by then; an entity with no entry known then is left out, with every reference to it.

        A known entry that moves from a status its known history does not reach (its starting
        point was reported later) ends that history as known then; an entity whose first known
        entry is such an entry is left out. Otherwise ``as_known_at(k).at(t)`` is
        ``at(t, known_at=k)``.
        """
        from tradetruce.engine.view import instant
        from tradetruce.model._known import as_known_at

        return as_known_at(self, instant(known_at, "known_at"))

    def upcoming_deadlines(
        self,
        start: _dt.datetime | When | str,
        within: _dt.timedelta | None = None,
        *,
        known_at: _dt.datetime | When | str | None = None,
    ) -> tuple[Upcoming, ...]:
        """Open deadlines whose due time can fall in ``[start, start + within]``, in order.

        "Can fall" means the due time's span ``[earliest, latest]`` meets the window: a deadline
        due "2025-11~" is listed for a window in late October (marked ``certain=False``), one
        due on an exact instant only if that instant is inside. A deadline counts as open when
        the view at ``start`` (as known at ``known_at``) finds it pending or extended, or may;
        its due time is the one it had then, in its own zone (or, while the entry that sets or
        extends it may or may not have happened, the one that entry sets: listed, uncertain).
        A due time whose sources disagree (another due time, or none) is marked ``disputed``
        and is not certain. ``within=None`` leaves the window open-ended. Ordered by earliest,
        then latest due instant, then id.

        Args:
            start: the start of the window (a calendar When stands for its last instant).
            within: the window's length (a ``pendulum.Duration`` or ``datetime.timedelta``).
            known_at: only what was recorded by then.
        """
        from tradetruce.engine.upcoming import upcoming, window_end
        from tradetruce.engine.view import instant

        t = instant(start, "start")
        k = None if known_at is None else instant(known_at, "known_at")
        return upcoming(self._engine, t, window_end(t, within), k)

    def changes(
        self, t1: _dt.datetime | When | str, t2: _dt.datetime | When | str
    ) -> tuple[Change, ...]:
        """Every transition and amendment whose valid time can fall in ``(t1, t2]``, in order.

        An entry counts when its time value's span meets the interval (its latest instant is
        after ``t1`` and its earliest at or before ``t2``). Competing claims about one event give
        one change, the winning claim's, marked ``disputed`` when they disagree. Ordered by the
        time values (earliest, then latest instant), then entity kind and scenario order.
        """
        from tradetruce.engine.changes import changes, check_interval
        from tradetruce.engine.view import instant

        a, b = instant(t1, "t1"), instant(t2, "t2")
        check_interval(a, b)
        return changes(self._engine, a, b)

    def changes_recorded(
        self, k1: _dt.datetime | When | str, k2: _dt.datetime | When | str
    ) -> tuple[RecordedChange, ...]:
        """What became known between two knowledge times: every history entry and reported
        delivery recorded in ``(k1, k2]`` (known as of ``k2``, not as of ``k1``, by the rule of
        ``known_at``), in order of recorded time. Polling consecutive windows sees each once.

        A time value stands for its last instant.

        >>> from tradetruce import load_seed
        >>> s = load_seed()  # one source, published on 26 October in Kuala Lumpur
        >>> news = s.changes_recorded("2025-10-25[UTC]", "2025-10-26[UTC]")
        >>> print(news[0])  # doctest: +ELLIPSIS
        2025-10-26[Asia/Kuala_Lumpur]  measure us-100pct-tariff: (not yet) -> proposed at ...
        >>> s.changes_recorded("2025-10-26[UTC]", "2025-11-30[UTC]")
        ()
        """
        from tradetruce.engine.recorded import changes_recorded
        from tradetruce.engine.view import instant

        return changes_recorded(self, instant(k1, "k1"), instant(k2, "k2"))

    def timeline(self) -> tuple[Event, ...]:
        """Every dated event in order: each history entry (competing claims included), each due
        time a deadline has had, and the start and end of each negotiation round."""
        return self._timeline

    def apply(
        self,
        negotiation_id: str,
        *,
        to: NegotiationStatus | str,
        at: When | _dt.datetime | str,
        source: str | Source,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Scenario:
        """A new Scenario with the negotiation moved to ``to``; signing carries out its terms.

        When ``to`` is ``signed``, each of the negotiation's terms is carried out on the entity it
        names, in order: a measure moves to the term's status (or keeps its status) with its
        terms updated by the term's effective, expires, rate and quantity, and with the term's
        suspension, if any (on a measure already paused: an extension); a deadline with a
        ``due`` is extended to it; any other entity moves to the term's status. Every entry cites
        the signing's source, time and evidence, with a note naming the negotiation and the
        term. A term whose entity already stands where the term puts it (and changes nothing
        else) is skipped.

        Args:
            negotiation_id: the negotiation to move.
            to: its new status.
            at: when the move happens.
            source: the id of a source in the scenario, or a new :class:`Source` (added), so a
                what-if signing can cite a hypothetical source.
            evidence: how strongly the move is established.
            claimed_by: the claiming party, for ``Evidence.CLAIMED``.
            recorded: when the move became known; default the source's publication, or ``at``
                for a source without one.
            note: a note on the negotiation's entry.

        Raises:
            IllegalTransitionError: a move the lifecycles forbid (naming the entity and move).
            UnknownEntityError: no such negotiation or source.
        """
        from tradetruce.engine.project import apply

        return apply(
            self,
            negotiation_id,
            to=to,
            at=at,
            source=source,
            evidence=evidence,
            claimed_by=claimed_by,
            recorded=recorded,
            note=note,
        )

    def advance(
        self,
        to: When | _dt.datetime | str,
        *,
        known_at: When | _dt.datetime | str | None = None,
    ) -> Scenario:
        """A new Scenario where what was scheduled to happen by ``to`` has happened: a
        projection.

        Two kinds of things fall due. A *lapse* (:mod:`tradetruce.model.lapse`): a suspension
        that has ended with no extension recorded restores the measure (or, as the suspension
        says, it expires); a scheduled measure whose effective time has passed comes into
        force; a measure in force whose own expiry has passed expires. And a *deadline* still
        pending or extended whose due time has passed is marked missed, and each of its
        consequences moves the entity it names. Both fire once their time has certainly passed
        (its latest instant is at or before ``to``), in order of that time's latest instant,
        then earliest, then id, one after the other, until nothing more falls due by ``to``: a
        restored measure may then expire, too. So ``advance(t2)`` after ``advance(t1)`` equals
        ``advance(t2)``, and advancing twice to one time changes nothing the second time.

        The new entries are projections: they cite the projection source (added when needed),
        carry ``Evidence.PROJECTED``, happen at the due time value (exactly as precise as it is)
        and are recorded then, or at ``known_at``. A history runs forward, so an entity set or
        moved after its due time had passed moves when that happened. A measure's lapse fires
        only once every event of its history has certainly happened by ``to`` (an entry that may
        come later is not overtaken).

        A consequence is skipped when its entity already has the status it names, or when the
        entity's history already holds an entry certainly after the due time (what happened
        later is recorded, and a projection never rewrites recorded history).

        Args:
            to: how far to project.
            known_at: project what was known then: the scenario :meth:`as_known_at` gives, with
                the projected entries recorded at ``known_at``.

        Raises:
            IllegalTransitionError: a consequence the lifecycle forbids, naming the deadline,
                the entity and the move.
        """
        from tradetruce.engine.project import advance

        return advance(self, to, known_at)

    def tariff_stack(
        self,
        importer: str,
        exporter: str,
        product: HSCode | str,
        at: _dt.datetime | When | str,
        known_at: _dt.datetime | When | str | None = None,
        *,
        producer: str | None = None,
    ) -> TariffStack:
        """The total ad valorem tariff on imports into ``importer`` from ``exporter`` of
        ``product`` at ``at``, made by ``producer`` when known (a party's id: measures with
        producer rates charge it its own), with the layers behind it (see
        :mod:`tradetruce.engine.tariffs`)."""
        from tradetruce.engine.tariffs import tariff_stack

        return tariff_stack(self, importer, exporter, product, at, known_at, producer=producer)

    def _repr_html_(self) -> str:
        """The scenario as HTML tables, for notebooks (:mod:`tradetruce.export.html`)."""
        from tradetruce.export.html import scenario_html

        return scenario_html(self)

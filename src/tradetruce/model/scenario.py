"""The Scenario: every source, party, measure, deadline and negotiation of one story, by id.

A Scenario is immutable and checked whole when built: ids are unique across all entities, and
every reference (a measure's imposing party, a history entry's source, a deadline's consequence,
a deal's term) names something that exists and asks for a status its lifecycle has. Every problem
is reported at once, each with its JSON path.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from tradetruce.errors import InvalidDataError, Problem, UnknownEntityError
from tradetruce.model.deadline import Deadline
from tradetruce.model.entries import Entry, Evidence
from tradetruce.model.lifecycle import LIFECYCLES, Lifecycle, NegotiationStatus
from tradetruce.model.measure import Measure
from tradetruce.model.negotiation import Negotiation
from tradetruce.model.party import Party
from tradetruce.model.source import Source
from tradetruce.values import _validate as v
from tradetruce.values.codes import HSCode
from tradetruce.values.when import When

if TYPE_CHECKING:
    from tradetruce.engine.changes import Change
    from tradetruce.engine.tariffs import TariffStack
    from tradetruce.engine.timeindex import Index
    from tradetruce.engine.timeline import Event
    from tradetruce.engine.upcoming import Upcoming
    from tradetruce.engine.view import View

__all__ = ["Entity", "Scenario"]

Entity = Measure | Deadline | Negotiation

_KIND_OF: Mapping[type, str] = {
    Measure: "measure",
    Deadline: "deadline",
    Negotiation: "negotiation",
}


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

    def __attrs_post_init__(self) -> None:
        problems = list(_problems(self))
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
        self, t: _dt.datetime | When | str, *, known_at: _dt.datetime | When | str | None = None
    ) -> View:
        """Every measure, deadline and negotiation as it stood at ``t``, as known at ``known_at``.

        The bitemporal rule: the view uses exactly the history entries valid at or before ``t``
        and recorded at or before ``known_at`` (an entry's recorded time is its ``recorded``,
        else its source's publication). A calendar When stands for its last instant. While ``t``
        lies inside an approximate time value, a state's status is ``None`` and its
        ``candidates`` list every status it may be in.

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
        return view(self._engine, instant(t), k)

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
        ``within=None`` leaves the window open-ended. Ordered by earliest, then latest due
        instant, then id.

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
        terms updated by the term's effective, expires, rate and quantity; a deadline with a
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

    def advance(self, to: When | _dt.datetime | str) -> Scenario:
        """A new Scenario where every deadline that has certainly passed unmet by ``to`` fires.

        A deadline still pending or extended whose due time's latest instant is at or before
        ``to`` is marked missed, and each of its consequences moves the entity it names. The new
        entries are projections: they cite the projection source (added when needed), carry
        ``Evidence.PROJECTED``, happen at the deadline's due time value (exactly as precise as
        the deadline) and are recorded then. Deadlines fire in order of their due time's latest
        instant, then earliest, then id, so that ``advance(t2)`` after ``advance(t1)`` equals
        ``advance(t2)``; advancing twice to one time changes nothing the second time.

        A consequence is skipped when its entity already has the status it names, or when the
        entity's history already holds an entry certainly after the due time (what happened
        later is recorded, and a projection never rewrites recorded history). A deadline set
        after its own due time had passed is missed when it was set.

        Raises:
            IllegalTransitionError: a consequence the lifecycle forbids, naming the deadline,
                the entity and the move.
        """
        from tradetruce.engine.project import advance

        return advance(self, to)

    def tariff_stack(
        self,
        importer: str,
        exporter: str,
        product: HSCode | str,
        at: _dt.datetime | When | str,
        known_at: _dt.datetime | When | str | None = None,
    ) -> TariffStack:
        """The total ad valorem tariff on imports into ``importer`` from ``exporter`` of
        ``product`` at ``at``, with the layers behind it (see :mod:`tradetruce.engine.tariffs`)."""
        from tradetruce.engine.tariffs import tariff_stack

        return tariff_stack(self, importer, exporter, product, at, known_at)


def lifecycle_of(entity: object) -> Lifecycle[Any] | None:
    kind = _KIND_OF.get(type(entity))
    return LIFECYCLES[kind] if kind else None


_SINGULAR = {
    "sources": "source",
    "parties": "party",
    "measures": "measure",
    "deadlines": "deadline",
    "negotiations": "negotiation",
}


def _problems(s: Scenario) -> Iterator[Problem]:
    seen: dict[str, tuple[str, int]] = {}  # id -> where it first appears
    kind: dict[str, str] = {}  # id -> the group of its last appearance
    for name, group in s._groups():
        for i, item in enumerate(group):
            first = seen.get(item.id)
            if first is not None:
                yield Problem(
                    f"$.{name}[{i}].id",
                    f"duplicate id {item.id!r} (also at $.{first[0]}[{first[1]}])",
                    "ids unique across sources, parties, measures, deadlines and negotiations",
                    item.id,
                )
            else:
                seen[item.id] = (name, i)
            kind[item.id] = name
    ids = set(seen)

    def ref(path: str, owner: str, target: str | None, want: str, what: str) -> Iterator[Problem]:
        if target is None:
            return
        wanted = " or ".join(_SINGULAR[w] for w in want.split("|"))
        if target not in ids:
            yield Problem(path, f"{what} {target!r} does not exist", f"the id of a {wanted}", owner)
        elif kind[target] not in want.split("|"):
            yield Problem(
                path,
                f"{what} {target!r} is a {_SINGULAR[kind[target]]}, not a {wanted}",
                f"the id of a {wanted}",
                owner,
            )

    for i, p in enumerate(s.parties):
        yield from ref(f"$.parties[{i}].parent", p.id, p.parent, "parties", "parent")
    for i, p in enumerate(s.parties):
        chain, cur = {p.id}, p.parent
        while cur is not None and cur in ids and kind[cur] == "parties":
            if cur in chain:
                yield Problem(f"$.parties[{i}].parent", "parents form a cycle", "a tree", p.id)
                break
            chain.add(cur)
            cur = s.party(cur).parent

    measures_and_deadlines: tuple[tuple[str, tuple[Measure | Deadline, ...]], ...] = (
        ("measures", s.measures),
        ("deadlines", s.deadlines),
    )
    # Ids that any reference of that kind may name without a problem: the common case is then
    # a set lookup, and only a reference that fails it goes through the full check (which
    # writes the report).
    party_ids = {x for x in ids if kind[x] == "parties"}
    measure_ids = {x for x in ids if kind[x] == "measures"}
    for name, group in measures_and_deadlines:
        for i, ent in enumerate(group):
            base = f"$.{name}[{i}]"
            if (
                isinstance(ent, Measure)
                and ent.imposed_by in party_ids
                and party_ids.issuperset(ent.targets)
                and all(link.measure in measure_ids for link in ent.links)
            ):
                continue
            if isinstance(ent, Measure):
                yield from ref(f"{base}.imposed_by", ent.id, ent.imposed_by, "parties", "party")
                for j, t in enumerate(ent.targets):
                    yield from ref(f"{base}.targets[{j}]", ent.id, t, "parties", "party")
                for j, link in enumerate(ent.links):
                    yield from ref(
                        f"{base}.links[{j}].measure", ent.id, link.measure, "measures", "measure"
                    )
            else:
                for j, t in enumerate(ent.parties):
                    yield from ref(f"{base}.parties[{j}]", ent.id, t, "parties", "party")
                for j, t in enumerate(ent.governs):
                    yield from ref(
                        f"{base}.governs[{j}]",
                        ent.id,
                        t,
                        "measures|deadlines|negotiations",
                        "entity",
                    )
                for j, c in enumerate(ent.consequences):
                    yield from _status_ref(
                        s, f"{base}.consequences[{j}]", ent.id, c.entity, c.to, ids
                    )

    for i, n in enumerate(s.negotiations):
        base = f"$.negotiations[{i}]"
        for field in ("parties", "participants"):
            for j, t in enumerate(getattr(n, field)):
                yield from ref(f"{base}.{field}[{j}]", n.id, t, "parties", "party")
        for j, r in enumerate(n.rounds):
            for k, t in enumerate(r.participants):
                yield from ref(f"{base}.rounds[{j}].participants[{k}]", n.id, t, "parties", "party")
        for j, t in enumerate(n.measures):
            yield from ref(f"{base}.measures[{j}]", n.id, t, "measures", "measure")
        for j, term in enumerate(n.terms):
            yield from _status_ref(s, f"{base}.terms[{j}]", n.id, term.entity, term.to, ids)
            if term.entity in ids and kind[term.entity] != "measures" and term.changes_terms:
                yield Problem(
                    f"{base}.terms[{j}]",
                    f"term sets measure terms on {term.entity!r}, which is not a measure",
                    "effective/expires/rate/quantity only for measures",
                    n.id,
                )
            if term.due is not None and term.entity in ids and kind[term.entity] != "deadlines":
                yield Problem(
                    f"{base}.terms[{j}].due",
                    f"term sets a due time on {term.entity!r}, which is not a deadline",
                    "due only for deadlines",
                    n.id,
                )

    tracked: tuple[tuple[str, tuple[Entity, ...]], ...] = (
        ("measures", s.measures),
        ("deadlines", s.deadlines),
        ("negotiations", s.negotiations),
    )
    source_ids = {x for x in ids if kind[x] == "sources"}
    published = {x for x in source_ids if s.source(x).published is not None}
    for name, entities in tracked:
        for i, entity in enumerate(entities):
            history: tuple[Entry[Any], ...] = entity.history
            for j, entry in enumerate(history):
                if (
                    entry.source in published
                    or (entry.recorded is not None and entry.source in source_ids)
                ) and (entry.claimed_by is None or entry.claimed_by in party_ids):
                    continue  # nothing _entry_problems would report
                yield from _entry_problems(
                    s, f"$.{name}[{i}].history[{j}]", entity.id, entry, ids, kind
                )


def _status_ref(
    s: Scenario, path: str, owner: str, target: str, status: str | None, ids: set[str]
) -> Iterator[Problem]:
    if target not in ids:
        yield Problem(
            f"{path}.entity",
            f"entity {target!r} does not exist",
            "the id of a measure, deadline or negotiation",
            owner,
        )
        return
    found = s._index[target]
    lifecycle = lifecycle_of(found)
    if lifecycle is None:
        yield Problem(
            f"{path}.entity",
            f"{target!r} has no lifecycle (it is a {type(found).__name__.lower()})",
            "a measure, deadline or negotiation",
            owner,
        )
        return
    if status is not None and status not in {m.value for m in lifecycle.status_type}:
        yield Problem(
            f"{path}.to",
            f"{status!r} is not a {lifecycle.name} status ({target} is a {lifecycle.name})",
            ", ".join(m.value for m in lifecycle.status_type),
            owner,
        )


def _entry_problems(
    s: Scenario, path: str, owner: str, entry: Entry[Any], ids: set[str], kind: Mapping[str, str]
) -> Iterator[Problem]:
    if entry.source not in ids or kind[entry.source] != "sources":
        yield Problem(
            f"{path}.source", f"source {entry.source!r} does not exist", "the id of a source", owner
        )
    elif entry.recorded is None and s.source(entry.source).published is None:
        yield Problem(
            f"{path}.recorded",
            f"no recorded time, and source {entry.source!r} has no publication time to default to",
            "a recorded time, or a published time on the source",
            owner,
        )
    if entry.claimed_by is not None and (
        entry.claimed_by not in ids or kind[entry.claimed_by] != "parties"
    ):
        yield Problem(
            f"{path}.claimed_by",
            f"party {entry.claimed_by!r} does not exist",
            "the id of a party",
            owner,
        )

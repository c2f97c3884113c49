"""Projection: carrying out a signed deal's terms, and what was scheduled to happen by a time.

:func:`apply` moves a negotiation and, on signing, carries out its terms. :func:`advance` fires,
in order of their due time, every lapse that has passed (a suspension's end, an effective time,
an expiry: :mod:`tradetruce.model.lapse`) and every deadline passed unmet with its consequences,
on the scenario as known at a date if asked. Both return a new :class:`~tradetruce.Scenario`;
the one they are given never changes.
Both refuse what the lifecycles forbid with :class:`~tradetruce.IllegalTransitionError` naming
the entity and the move.
"""

from __future__ import annotations

import datetime as _dt
import heapq
from typing import TYPE_CHECKING, Any, Final, NoReturn

import attrs
import pendulum

from tradetruce.errors import IllegalTransitionError, InvalidTimeError, InvalidValueError
from tradetruce.model.deadline import Deadline
from tradetruce.model.entries import Evidence
from tradetruce.model.history import Claims
from tradetruce.model.lapse import Lapse
from tradetruce.model.lifecycle import DeadlineStatus, MeasureStatus, NegotiationStatus
from tradetruce.model.measure import Measure
from tradetruce.model.negotiation import Negotiation, Term
from tradetruce.model.source import Source, SourceKind
from tradetruce.values.calendar import MAX_YEAR
from tradetruce.values.when import When, to_us, utc

if TYPE_CHECKING:
    from tradetruce.model.scenario import Entity, Scenario

__all__ = ["PROJECTION_SOURCE", "advance", "apply"]

#: The source every projected entry cites (added to a scenario when first needed).
PROJECTION_SOURCE = Source(
    id="tradetruce-projection",
    title="Projected by tradetruce: what was scheduled to happen, carried out",
    kind=SourceKind.PROJECTION,
)


def _status(entity: Entity, name: object) -> Any:
    lifecycle = entity.lifecycle
    try:
        return lifecycle.parse(name)
    except ValueError:
        raise InvalidValueError(
            f"{entity.id}: {name!r} is not a {lifecycle.name} status",
            field="to",
            value=name,
            allowed=", ".join(m.value for m in lifecycle.statuses),
        ) from None


def _runs_past(entity: Entity, at: When) -> bool:
    """True when the entity's history already holds an entry certainly after ``at``."""
    return any(e.at.lower > at.upper for e in entity.corrected_history)


def _with_source(scenario: Scenario, source: str | Source) -> tuple[Scenario, Source]:
    if isinstance(source, Source):
        if source.id in scenario:
            existing = scenario.source(source.id)
            if existing != source:
                raise InvalidValueError(
                    f"source {source.id!r} already exists with other details",
                    field="source",
                    value=source,
                    allowed="the id of a source in the scenario, or a Source with a new id",
                )
            return scenario, existing
        return scenario.replace(source), source
    if not isinstance(source, str):
        raise InvalidValueError(
            f"source: expected a source id or a Source, not {type(source).__name__}",
            field="source",
            value=source,
            allowed="the id of a source in the scenario, or a Source object",
        )
    return scenario, scenario.source(source)


def apply(
    scenario: Scenario,
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
    """Move a negotiation; on signing, carry out its terms. See :meth:`Scenario.apply`."""
    negotiation = scenario.negotiation(negotiation_id)
    target = _status(negotiation, to)
    when = When.coerce(at)
    scenario, src = _with_source(scenario, source)
    rec = When.coerce(recorded) if recorded is not None else None
    if rec is None and src.published is None:
        rec = when  # a what-if source without a publication date is known when it happens
    common: dict[str, Any] = {
        "at": when,
        "source": src.id,
        "evidence": evidence,
        "claimed_by": claimed_by,
        "recorded": rec,
    }
    moved = negotiation.transition(target, note=note, **common)
    changed: dict[str, Entity] = {moved.id: moved}
    if target is NegotiationStatus.SIGNED:
        for number, term in enumerate(negotiation.terms):
            current = changed.get(term.entity) or scenario.entity(term.entity)
            new = _carry_out(current, term, negotiation.id, number, common)
            if new is not None:
                changed[new.id] = new
    return scenario.replace(*changed.values())


def _carry_out(
    entity: Entity, term: Term, negotiation: str, number: int, common: dict[str, Any]
) -> Entity | None:
    note = f"term {number + 1} of {negotiation}" + (f": {term.detail}" if term.detail else "")
    to: Any = entity.status if term.to is None else _status(entity, term.to)
    try:
        if isinstance(entity, Measure):
            if to == entity.status and not term.changes_terms and not term.suspends:
                return None  # the measure already stands where the deal puts it
            if term.suspends and to is not MeasureStatus.PAUSED:
                raise IllegalTransitionError(
                    entity.id,
                    entity.status,
                    MeasureStatus.PAUSED,
                    entity.allowed_transitions(),
                    reason=f"{note} extends a suspension, but the measure is not paused",
                )
            terms = None
            if term.changes_terms:
                changes = {
                    k: getattr(term, k)
                    for k in ("effective", "expires", "rate", "quantity")
                    if getattr(term, k) is not None
                }
                terms = attrs.evolve(entity.terms, **changes)
            return entity.transition(
                to, note=note, terms=terms, suspension=term.suspension, **common
            )
        if isinstance(entity, Deadline):
            if term.due is not None:
                if term.to is not None and to is not DeadlineStatus.EXTENDED:
                    raise IllegalTransitionError(
                        entity.id,
                        entity.status,
                        to,
                        entity.allowed_transitions(),
                        reason=f"{note} gives a new due time, which only an extension sets",
                    )
                return entity.extend(due=term.due, note=note, **common)
            if to == entity.status:
                return None
            if to is DeadlineStatus.EXTENDED:
                raise IllegalTransitionError(
                    entity.id,
                    entity.status,
                    to,
                    entity.allowed_transitions(),
                    reason=f"{note} extends the deadline without a new due time",
                )
            return entity.transition(to, note=note, **common)
        if to == entity.status:
            return None
        result: Negotiation = entity.transition(to, note=note, **common)
        return result
    except IllegalTransitionError as exc:
        if exc.reason:
            raise
        raise IllegalTransitionError(
            exc.entity, exc.source, exc.target, exc.allowed, reason=f"{note}, signed"
        ) from None


def advance(
    scenario: Scenario,
    to: When | _dt.datetime | str,
    known_at: When | _dt.datetime | str | None = None,
) -> Scenario:
    """Fire every lapse and missed deadline passed by ``to``. See :meth:`Scenario.advance`."""
    if isinstance(to, str):
        to = When.parse(to)
    horizon = utc(to) if isinstance(to, _dt.datetime | When) else _bad_time(to, "to")
    recorded: When | None = None
    if known_at is not None:
        recorded = _known_when(known_at)
        scenario = scenario.as_known_at(recorded)
    u = to_us(horizon)
    changed: dict[str, Entity] = {}

    def current(id: str) -> Entity:
        return changed.get(id) or scenario.entity(id)

    queue: list[tuple[int, int, str]] = []
    dated: tuple[Entity, ...] = (*scenario.measures, *scenario.deadlines)
    for entity in dated:
        _schedule(queue, entity, u)
    if not queue:
        return scenario
    if PROJECTION_SOURCE.id not in scenario:
        scenario = scenario.replace(PROJECTION_SOURCE)
    while queue:
        key = heapq.heappop(queue)
        entity = current(key[2])
        item = _next_due(entity, u)
        if item is None or item[0] != key:
            continue  # stale: the entity changed since this was queued
        _, when, lapse = item
        common: dict[str, Any] = {
            "at": when,
            "source": PROJECTION_SOURCE.id,
            "evidence": Evidence.PROJECTED,
            "recorded": when if recorded is None else recorded,
        }
        if lapse is not None:
            assert isinstance(entity, Measure)
            changed[entity.id] = moved = entity.transition(lapse.to, note=str(lapse), **common)
            _schedule(queue, moved, u)
            continue
        assert isinstance(entity, Deadline)
        changed[entity.id] = missed = entity.transition(
            DeadlineStatus.MISSED, note=f"passed unmet: {entity.title}", **common
        )
        _schedule(queue, missed, u)
        for c in entity.consequences:
            target = current(c.entity)
            status = _status(target, c.to)
            if target.status == status or _runs_past(target, when):
                # Already there; or its recorded history runs past the deadline, and what
                # happened later is known: a projection never rewrites known history.
                continue
            note = f"consequence of {entity.id} passing unmet" + (f": {c.note}" if c.note else "")
            if status is DeadlineStatus.EXTENDED:
                raise IllegalTransitionError(
                    target.id,
                    target.status,
                    status,
                    target.allowed_transitions(),
                    reason=f"{note}; a consequence cannot extend a deadline (no new due time)",
                )
            try:
                changed[target.id] = moved_target = target.transition(status, note=note, **common)
            except IllegalTransitionError as exc:
                raise IllegalTransitionError(
                    exc.entity, exc.source, exc.target, exc.allowed, reason=note
                ) from None
            _schedule(queue, moved_target, u)
    return scenario.replace(*changed.values())


def _known_when(value: When | _dt.datetime | str) -> When:
    """``known_at`` as a time value, the recorded time of projected entries."""
    if isinstance(value, str):
        return When.parse(value)
    if isinstance(value, When):
        return value
    if isinstance(value, _dt.datetime):
        t = utc(value)  # refuses a naive datetime
        try:
            return When.exact(value)  # in its own zone, when it has a named one
        except InvalidTimeError:
            # A fixed offset, or beyond the years a time value holds (everything is known by
            # then): the same instant in UTC, or the latest one a time value holds.
            return When.exact(pendulum.instance(min(t, _LATEST), tz="UTC"))
    return _bad_time(value, "known_at")


#: The latest instant a time value can hold (the end of year MAX_YEAR, in UTC).
_LATEST: Final = _dt.datetime(MAX_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=_dt.UTC)


def _schedule(queue: list[tuple[int, int, str]], entity: Entity, u: int) -> None:
    item = _next_due(entity, u)
    if item is not None:
        heapq.heappush(queue, item[0])


def _next_due(entity: Entity, u: int) -> tuple[tuple[int, int, str], When, Lapse | None] | None:
    """What falls due next for ``entity`` by ``u`` and can be projected: its sort key (the due
    time's latest and earliest instant, then the id), the time the projected entry happens at,
    and the lapse it carries out (``None``: a deadline passed unmet).

    A measure's lapse is the one its whole history leaves, and only once every event of the
    history has certainly happened by ``u`` (an entry that may come later could change it).
    """
    claims: Claims[Any]
    if isinstance(entity, Measure):
        claims = Claims.of(entity.corrected_history)
        n = len(claims.groups)
        if claims.settle[-1] > u:
            return None
        lapses = claims.reading(n, n, u).lapses
        if not lapses or not lapses[0].passed:
            return None
        lapse: Lapse | None = lapses[0]
        due = lapses[0].due
    elif isinstance(entity, Deadline):
        if not entity.is_open:
            return None
        due = entity.due
        if due.hi_us > u:
            return None
        claims = Claims.of(entity.corrected_history)
        lapse = None
    else:
        return None
    when = _placed(claims, due)
    if when.hi_us > u:
        return None
    return (due.hi_us, due.lo_us, entity.id), when, lapse


def _placed(claims: Claims[Any], due: When) -> When:
    """When a projected entry due at ``due`` goes at the end of the history ``claims`` reads.

    At ``due`` itself, unless the history holds an event certainly after it (an entity set or
    moved after the time it was due): then at the latest such event's time, since a history
    runs forward. An entry that would make a claim about the last event instead of one of its
    own (an amendment of the same status, at the same time) goes at that event's last instant,
    or the microsecond after it.
    """
    floor = claims.start[-1]
    when = due
    if due.hi_us < floor:
        when = next(t for t in reversed(claims.times) if t.lo_us == floor)
    last = claims.times[-1]
    amended = claims.winners[-1].is_amendment
    if amended and when.lo_us == last.lo_us and when.hi_us == last.hi_us:
        if last.upper >= _LATEST:
            raise InvalidTimeError(
                f"a projected entry due at {due} would follow an event at {last}, which has no "
                "end: there is no later instant to place it at",
                value=str(last),
                allowed=f"events that end by the end of year {MAX_YEAR}",
            )
        end = pendulum.instance(last.upper).in_tz(last.zone)
        if last.is_exact:
            end = end.add(microseconds=1)
        when = When.exact(end)
    return when


def _bad_time(value: object, name: str) -> NoReturn:
    raise InvalidValueError(
        f"{name}: expected an aware datetime or a When, not {type(value).__name__}",
        field=name,
        value=value,
        allowed="pendulum.datetime(..., tz=...) or a When",
    )

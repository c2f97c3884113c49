"""Projection: carrying out a signed deal's terms, and firing the consequences of missed deadlines.

Both functions return a new :class:`~tradetruce.Scenario`; the one they are given never changes.
Both refuse what the lifecycles forbid with :class:`~tradetruce.IllegalTransitionError` naming
the entity and the move.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

import attrs

from tradetruce.errors import IllegalTransitionError, InvalidValueError
from tradetruce.model.deadline import Deadline
from tradetruce.model.entries import Evidence
from tradetruce.model.lifecycle import DeadlineStatus, NegotiationStatus
from tradetruce.model.measure import Measure
from tradetruce.model.negotiation import Negotiation, Term
from tradetruce.model.source import Source, SourceKind
from tradetruce.values.when import When, utc

if TYPE_CHECKING:
    from tradetruce.model.scenario import Entity, Scenario

__all__ = ["PROJECTION_SOURCE", "advance", "apply"]

#: The source every projected entry cites (added to a scenario when first needed).
PROJECTION_SOURCE = Source(
    id="tradetruce-projection",
    title="Projected by tradetruce: deadlines that pass unmet fire their consequences",
    kind=SourceKind.PROJECTION,
)


def _status(entity: Entity, name: object) -> Any:
    kind: Any = entity.LIFECYCLE.status_type
    try:
        if not isinstance(name, str):
            raise ValueError(name)
        return kind(name)
    except ValueError:
        raise InvalidValueError(
            f"{entity.id}: {name!r} is not a {entity.LIFECYCLE.name} status",
            field="to",
            value=name,
            allowed=", ".join(m.value for m in kind),
        ) from None


def _runs_past(entity: Entity, at: When) -> bool:
    """True when the entity's history already holds an entry certainly after ``at``."""
    return any(e.at.lower > at.upper for e in entity.history)


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
            if to == entity.status and not term.changes_terms:
                return None  # the measure already stands where the deal puts it
            terms = None
            if term.changes_terms:
                changes = {
                    k: getattr(term, k)
                    for k in ("effective", "expires", "rate", "quantity")
                    if getattr(term, k) is not None
                }
                terms = attrs.evolve(entity.terms, **changes)
            return entity.transition(to, note=note, terms=terms, **common)
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


def advance(scenario: Scenario, to: When | _dt.datetime | str) -> Scenario:
    """Fire every deadline certainly passed unmet by ``to``. See :meth:`Scenario.advance`."""
    if isinstance(to, str):
        to = When.parse(to)
    horizon = utc(to) if isinstance(to, _dt.datetime | When) else _bad_time(to)
    due = sorted(
        (d for d in scenario.deadlines if d.is_open and d.due.upper <= horizon),
        key=lambda d: (d.due.upper, d.due.lower, d.id),
    )
    if not due:
        return scenario
    if PROJECTION_SOURCE.id not in scenario:
        scenario = scenario.replace(PROJECTION_SOURCE)
    source = PROJECTION_SOURCE.id
    changed: dict[str, Entity] = {}
    for original in due:
        d = changed.get(original.id) or original
        if not isinstance(d, Deadline) or not d.is_open:
            continue  # an earlier consequence met, missed or cancelled it
        when = d.due
        # A deadline cannot be missed before it was set: if it was set (or extended) after its
        # due time had passed, it is missed when it was set.
        last = d.history[-1].at
        if last.lower > when.upper:
            when = last
        common: dict[str, Any] = {
            "at": when,
            "source": source,
            "evidence": Evidence.PROJECTED,
            "recorded": when,
        }
        changed[d.id] = d.transition(
            DeadlineStatus.MISSED, note=f"passed unmet: {d.title}", **common
        )
        for c in d.consequences:
            target = changed.get(c.entity) or scenario.entity(c.entity)
            status = _status(target, c.to)
            if target.status == status or _runs_past(target, when):
                # Already there; or its recorded history runs past the deadline, and what
                # happened later is known: a projection never rewrites known history.
                continue
            note = f"consequence of {d.id} passing unmet" + (f": {c.note}" if c.note else "")
            if status is DeadlineStatus.EXTENDED:
                raise IllegalTransitionError(
                    target.id,
                    target.status,
                    status,
                    target.allowed_transitions(),
                    reason=f"{note}; a consequence cannot extend a deadline (no new due time)",
                )
            try:
                changed[target.id] = target.transition(status, note=note, **common)
            except IllegalTransitionError as exc:
                raise IllegalTransitionError(
                    exc.entity, exc.source, exc.target, exc.allowed, reason=note
                ) from None
    return scenario.replace(*changed.values())


def _bad_time(value: object) -> _dt.datetime:
    raise InvalidValueError(
        f"to: expected an aware datetime or a When, not {type(value).__name__}",
        field="to",
        value=value,
        allowed="pendulum.datetime(..., tz=...) or a When",
    )

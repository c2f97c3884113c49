"""A scenario as it was known at one time: what :meth:`tradetruce.Scenario.as_known_at` builds.

Each history keeps the entries recorded by then (an entry's recorded time is its own
``recorded``, else its source's publication: :func:`tradetruce.model.history.recorded_time`). An
entity none of whose entries was known yet is left out, and so is every reference to it (a
measure's links, what a deadline governs and its consequences, a negotiation's measures and deal
terms). A known entry that moves from a status its known history does not reach (its starting
point was reported later) cannot stand in a history: the history, as known then, ends before it
(and an entity whose first known entry is such an entry is left out). Base rates recorded later
and stacking rules (their own ``recorded`` time, else their source's publication) are left out
too.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from tradetruce.errors import TradeTruceError
from tradetruce.model.base_rate import BaseRate
from tradetruce.model.deadline import Deadline
from tradetruce.model.history import recorded_time
from tradetruce.model.measure import Measure
from tradetruce.model.stacking import StackingRule
from tradetruce.values.when import When, to_us

if TYPE_CHECKING:
    from tradetruce.model.scenario import Entity, Scenario

__all__ = ["as_known_at", "base_rate_known"]


def as_known_at(scenario: Scenario, k: _dt.datetime) -> Scenario:
    """``scenario`` with only what was recorded by ``k`` (a UTC datetime); see the module docs."""
    u = to_us(k)
    published = scenario.published
    kept: dict[str, Entity | None] = {}
    for entity in scenario.entities():
        history: tuple[Any, ...] = entity.history
        known = tuple(e for e in history if recorded_time(e, published).hi_us <= u)
        if len(known) == len(history):
            continue
        kept[entity.id] = _with_history(entity, known)
    base_rates = tuple(b for b in scenario.base_rates if base_rate_known(b, published, u))
    rules = tuple(r for r in scenario.stacking_rules if base_rate_known(r, published, u))
    if len(base_rates) != len(scenario.base_rates) or len(rules) != len(scenario.stacking_rules):
        scenario = attrs.evolve(scenario, base_rates=base_rates, stacking_rules=rules)
    if not kept:
        return scenario
    gone = {id for id, entity in kept.items() if entity is None}

    def still(entity: Entity) -> Entity | None:
        found = kept.get(entity.id, entity)
        if found is None or not gone:
            return found
        if isinstance(found, Measure):
            return attrs.evolve(found, links=tuple(x for x in found.links if x.measure not in gone))
        if isinstance(found, Deadline):
            return attrs.evolve(
                found,
                governs=tuple(x for x in found.governs if x not in gone),
                consequences=tuple(c for c in found.consequences if c.entity not in gone),
            )
        return attrs.evolve(
            found,
            measures=tuple(x for x in found.measures if x not in gone),
            terms=tuple(t for t in found.terms if t.entity not in gone),
        )

    def group(entities: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(x for x in map(still, entities) if x is not None)

    return attrs.evolve(
        scenario,
        measures=group(scenario.measures),
        deadlines=group(scenario.deadlines),
        negotiations=group(scenario.negotiations),
    )


def base_rate_known(
    base: BaseRate | StackingRule, published: Mapping[str, When | None], u: int
) -> bool:
    """True when a base rate or stacking rule was recorded by ``u`` (whole microseconds,
    :func:`to_us`): at its own ``recorded`` time, else at its source's publication."""
    recorded = base.recorded or published.get(base.source)
    return recorded is not None and recorded.hi_us <= u


def _with_history(entity: Entity, known: tuple[Any, ...]) -> Entity | None:
    """``entity`` with the history ``known``, or its longest prefix that is a legal history;
    ``None`` when there is none (the entity's first entry was reported later)."""
    for n in range(len(known), 0, -1):
        try:
            found: Entity = attrs.evolve(entity, history=known[:n])  # type: ignore[arg-type]
        except TradeTruceError:
            continue
        return found
    return None

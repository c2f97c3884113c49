"""The timeline: every dated event of a Scenario, in order.

Each history entry (competing claims included), each due time a deadline has had, and the start
and end of each negotiation round is an :class:`Event`; :func:`timeline` puts them in order (by
time value, then what they are, then entity kind and scenario order).
:meth:`tradetruce.Scenario.timeline` keeps the result for the scenario object.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import attrs

from tradetruce.engine.states import status_text
from tradetruce.model.entries import DeadlineEntry, Entry, Evidence, MeasureEntry
from tradetruce.values.when import When

if TYPE_CHECKING:
    from tradetruce.model.scenario import Entity, Scenario

__all__ = ["Event", "EventKind", "timeline"]


class EventKind(StrEnum):
    """What a timeline event is."""

    ENTRY = "entry"  #: a history entry (a transition, an amendment, a competing claim)
    DUE = "due"  #: a deadline's due time (as first set, or as extended)
    ROUND_START = "round_start"
    ROUND_END = "round_end"


@attrs.frozen(kw_only=True)
class Event:
    """One dated event of a scenario (see :meth:`tradetruce.Scenario.timeline`)."""

    at: When
    entity: str
    kind: EventKind
    text: str
    entry: Entry[Any] | None = None

    @property
    def source(self) -> str | None:
        """The source of the entry behind the event (``None`` for a round)."""
        return None if self.entry is None else self.entry.source

    @property
    def from_(self) -> Any:
        """For an entry: the status before; ``None`` otherwise."""
        return None if self.kind is not EventKind.ENTRY or self.entry is None else self.entry.from_

    @property
    def to(self) -> Any:
        """For an entry: the status after; ``None`` for due times and rounds."""
        return None if self.kind is not EventKind.ENTRY or self.entry is None else self.entry.to

    @property
    def evidence(self) -> Evidence | None:
        """The evidence of the entry behind the event (``None`` for a round)."""
        return None if self.entry is None else self.entry.evidence

    @property
    def claimed_by(self) -> str | None:
        return None if self.entry is None else self.entry.claimed_by

    def __str__(self) -> str:
        return f"{self.at}  {self.text}"


def timeline(scenario: Scenario) -> tuple[Event, ...]:
    """Every dated event of ``scenario``, in order (see the module docs)."""
    events: list[tuple[tuple[Any, ...], Event]] = []
    kinds: tuple[tuple[str, tuple[Entity, ...]], ...] = (
        ("measure", scenario.measures),
        ("deadline", scenario.deadlines),
        ("negotiation", scenario.negotiations),
    )
    for ti, (kind, entities) in enumerate(kinds):
        for i, entity in enumerate(entities):
            events.extend(_events(entity, kind, (ti, i)))
    events.sort(key=lambda ke: ke[0])
    return tuple(e for _, e in events)


def _events(entity: Entity, kind: str, order: tuple[int, int]) -> Iterator[tuple[Any, Event]]:
    history: tuple[Entry[Any], ...] = entity.corrected_history
    for n, entry in enumerate(history):
        verb = "amended" if entry.is_amendment else f"{status_text(entry.from_)} -> {entry.to}"
        text = f"{kind} {entity.id} {verb} ({entry.source}, {entry.evidence})"
        if isinstance(entry, MeasureEntry) and entry.details():
            text += ": " + "; ".join(entry.details())
        if entry.note:
            text += f" - {entry.note}"
        yield (
            (*entry.at.sort_key, 0, *order, n),
            Event(at=entry.at, entity=entity.id, kind=EventKind.ENTRY, text=text, entry=entry),
        )
        if isinstance(entry, DeadlineEntry) and entry.due is not None:
            title = getattr(entity, "title", "")
            yield (
                (*entry.due.sort_key, 1, *order, n),
                Event(
                    at=entry.due,
                    entity=entity.id,
                    kind=EventKind.DUE,
                    text=f"deadline {entity.id} due ({title}; set by {entry.source})",
                    entry=entry,
                ),
            )
    for i, r in enumerate(getattr(entity, "rounds", ())):
        place = f" in {r.place}" if r.place else ""
        for what, at in ((EventKind.ROUND_START, r.start), (EventKind.ROUND_END, r.end)):
            if at is None:
                continue
            verb = "starts" if what is EventKind.ROUND_START else "ends"
            yield (
                (*at.sort_key, 2, *order, i),
                Event(
                    at=at,
                    entity=entity.id,
                    kind=what,
                    text=f"negotiation {entity.id} {r.label}{place} {verb}",
                ),
            )

"""What became known between two knowledge times: the question a monitoring tool polls.

:meth:`tradetruce.Scenario.changes_recorded` lists every history entry, every reported delivery
and every correction whose recorded time falls in ``(k1, k2]``: known as of ``k2`` and not yet as
of ``k1``, by the same rule as ``known_at`` (:func:`tradetruce.model.history.recorded_time`: an
entry's own ``recorded`` time, else its source's publication, else its own time; it is known once
the latest instant of that time has come). Polling ``(k0, k1]``, ``(k1, k2]``... therefore sees each
entry exactly once.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

import attrs

from tradetruce.engine.states import status_text
from tradetruce.errors import InvalidValueError
from tradetruce.model.commitment import Delivery
from tradetruce.model.correction import Correction
from tradetruce.model.entries import Entry, Evidence
from tradetruce.model.history import correction_time, recorded_time
from tradetruce.values.when import When, to_us

if TYPE_CHECKING:
    from tradetruce.model.scenario import Scenario

__all__ = ["RecordedChange", "changes_recorded"]


@attrs.frozen(kw_only=True)
class RecordedChange:
    """One history entry, reported delivery or correction that became known in a window of
    recorded time.

    Attributes:
        entity: the id of the entity it belongs to.
        kind: ``measure``, ``deadline``, ``negotiation``, ``delivery`` (a delivery reported
            against a purchase commitment), or ``correction`` (a retraction or an erratum of
            one of the entity's entries).
        recorded: when it became known.
        entry: the history entry, the delivery, or the correction.
        corrects: for a correction, the entry it corrects.
    """

    entity: str
    kind: str
    recorded: When
    entry: Entry[Any] | Delivery | Correction
    corrects: Entry[Any] | None = None

    @property
    def at(self) -> When:
        """When what it reports happened (valid time); for a correction, the corrected entry's
        time as first recorded."""
        if isinstance(self.entry, Correction):
            assert self.corrects is not None
            return self.corrects.at
        return self.entry.at

    @property
    def evidence(self) -> Evidence | None:
        """How strongly what it reports is established (``None`` for a correction, which
        carries no evidence of its own)."""
        return None if isinstance(self.entry, Correction) else self.entry.evidence

    def __str__(self) -> str:
        e = self.entry
        if isinstance(e, Correction):
            return f"{self.recorded}  {self.kind} {self.entity}: {e.describe()}  [{e.source}]"
        if isinstance(e, Delivery):
            what = f"delivery of {e.quantity} at {e.at}"
        elif e.is_amendment:
            what = f"amended at {e.at}"
        else:
            what = f"{status_text(e.from_)} -> {e.to} at {e.at}"
        return f"{self.recorded}  {self.kind} {self.entity}: {what}  [{e.source}, {e.evidence}]"


def changes_recorded(
    scenario: Scenario, k1: _dt.datetime, k2: _dt.datetime
) -> tuple[RecordedChange, ...]:
    """The entries, deliveries and corrections recorded in ``(k1, k2]`` (UTC datetimes), in
    order of their recorded time, then in scenario order."""
    if k2 < k1:
        raise InvalidValueError(
            f"the window ends ({k2}) before it starts ({k1})",
            field="k2",
            value=k2,
            allowed="a second knowledge time no earlier than the first",
        )
    lo, hi = to_us(k1), to_us(k2)
    published = scenario.published
    found: list[tuple[int, int, RecordedChange]] = []
    for entity in scenario.entities():
        kind = type(entity).__name__.lower()
        items: list[tuple[str, Entry[Any] | Delivery]] = [(kind, e) for e in entity.history]
        commitment = getattr(entity, "commitment", None)
        if commitment is not None:
            items += [("delivery", d) for d in commitment.deliveries]
        for what, item in items:
            rec = recorded_time(item, published)
            if lo < rec.hi_us <= hi:
                change = RecordedChange(entity=entity.id, kind=what, recorded=rec, entry=item)
                found.append((rec.hi_us, len(found), change))
        history: tuple[Entry[Any], ...] = entity.history
        for c in entity.corrections:
            when = correction_time(c, history, published)
            if when is not None and lo < when.hi_us <= hi:
                target = next(e for e in history if e.id == c.entry)
                change = RecordedChange(
                    entity=entity.id, kind="correction", recorded=when, entry=c, corrects=target
                )
                found.append((when.hi_us, len(found), change))
    found.sort(key=lambda x: (x[0], x[1]))
    return tuple(c for _, _, c in found)

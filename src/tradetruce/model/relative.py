"""Due times defined by another entity's event: "90 days after signing".

A :class:`RelativeDue` names an entity, the status whose arrival is the event, and a
:class:`~tradetruce.Duration`. A deadline entry that gives one instead of a ``due`` time has no
date of its own: a Scenario resolves it, as known at a view's ``known_at``, from the first time
the named entity moved to that status (the time of that event as the fold reads it), shifted by
the duration. Until that event is known the due time is honestly unknown: an open range
(``../..``), never a made-up date.

>>> from tradetruce import Duration, When
>>> r = RelativeDue("us-cn-talks", "signed", Duration(days=90))
>>> r.describe()
'P90D after us-cn-talks moves to signed'
>>> str(r.resolve(When.parse("2025-10-30[Asia/Seoul]")))
'2026-01-28[Asia/Seoul]'
>>> str(unknown_due("Asia/Seoul"))
'../..[Asia/Seoul]'
"""

from __future__ import annotations

import attrs

from tradetruce.model.lifecycle import _status_name
from tradetruce.values import _validate as v
from tradetruce.values.duration import Duration
from tradetruce.values.when import When

__all__ = ["RelativeDue", "unknown_due"]


@attrs.frozen
class RelativeDue:
    """A due time ``after`` the first time ``entity`` moved to status ``to``.

    Attributes:
        entity: the measure, deadline or negotiation whose event it counts from.
        to: the status whose arrival is the event (``signed``, ``in_force``...), a status of
            that entity's own lifecycle (checked by the Scenario).
        after: how long after the event the due time falls.
    """

    entity: str = attrs.field(validator=v.an_id)
    to: str = attrs.field(validator=_status_name)
    after: Duration = attrs.field(validator=v.instance(Duration))

    def resolve(self, event: When) -> When:
        """The due time once the event's time is known: ``after`` it, in its own zone."""
        return self.after.after(event)

    def describe(self) -> str:
        """In words: ``P90D after us-cn-talks moves to signed``."""
        return f"{self.after} after {self.entity} moves to {self.to}"


def unknown_due(zone: str) -> When:
    """The due time of a relative deadline whose event is not known yet: any time at all."""
    return When.between(None, None, zone)

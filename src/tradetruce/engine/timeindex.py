"""The time index: what a Scenario builds once, on first use, to answer time queries quickly.

Each kind of entity (measures, deadlines, negotiations) gets a :class:`Table`: every history's
events resolved once (:class:`tradetruce.model.history.Claims`, gathered when a state is first
asked for), and the state of any entity at any moment as known at any time, built by the one
fold of :mod:`tradetruce.model.history`. The index also keeps interval indexes of deadline due
times and of winning history entries, for upcoming deadlines and changes.

Scenarios are immutable, so the index never needs invalidating: a changed scenario is a new
object with a new index. The index only makes finding how many of an entity's events have
happened by an instant faster. A state looked up by id searches its entity's own events; a
view that is iterated (every state wanted) of a scenario of :data:`ARRAYS_FROM` entities or
more counts them for every entity at once, in numpy arrays (:mod:`tradetruce.engine._arrays`),
built on that first iteration. Smaller scenarios never import numpy.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from tradetruce.engine._intervals import Intervals
from tradetruce.engine._relative import has_relative, resolved_history
from tradetruce.engine.states import AnyState, state_from
from tradetruce.model.deadline import entry_due
from tradetruce.model.history import Claims, corrected, correction_time, read, recorded_time
from tradetruce.values.when import When, to_us

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from tradetruce.engine._arrays import EventArrays
    from tradetruce.model.scenario import Scenario

__all__ = ["ARRAYS_FROM", "Index", "Table"]

#: From this many entities (measures, deadlines and negotiations together) on, an iterated view
#: counts events with numpy arrays. Each whole view is then about a quarter faster; numpy's
#: import (about 0.1 s, once per process) and the arrays (about 1.4 µs per entity, once per
#: scenario) are repaid after about ten whole views here, two at 100,000 entities, but would
#: take dozens at a thousand (docs/performance.md).
ARRAYS_FROM: Final = 10_000


class Table:
    """The histories of one kind of entity (measures, deadlines or negotiations), folded on use.

    With ``arrays``, the numpy event arrays of the whole table are built the first time every
    entity's counts are asked for (:meth:`counts`, when a view is iterated); a state looked up
    on its own always searches its entity's own events (:meth:`Claims.counts`). Both give the
    same counts.
    """

    def __init__(
        self,
        kind: str,
        entities: Sequence[Any],
        published: Mapping[str, When | None],
        *,
        arrays: bool,
        resolve: Callable[[Any, int | None], tuple[Any, ...]] | None = None,
    ):
        self.kind = kind
        self.resolve = resolve
        self.published = published
        self.entities = entities
        self.arrays = arrays
        self.ids = [e.id for e in entities]
        self.pos = {id: i for i, id in enumerate(self.ids)}
        self._claims: dict[int, Claims[Any]] = {}
        self._known: dict[int, int] = {}
        self._relative: dict[int, bool] = {}

    @functools.cached_property
    def _event_arrays(self) -> EventArrays:
        from tradetruce.engine._arrays import EventArrays  # numpy: only where it pays

        return EventArrays([e.corrected_history for e in self.entities])

    def claims(self, i: int) -> Claims[Any]:
        """The events of entity ``i``'s history: claim groups, winners, disputes, times."""
        found = self._claims.get(i)
        if found is None:
            entity = self.entities[i]
            if self.resolve is not None and self.relative(i):
                history = corrected(self.resolve(entity, None), entity.corrections)
                found = self._claims[i] = Claims.of(history)
            else:
                found = self._claims[i] = Claims.of(entity.corrected_history)
        return found

    def relative(self, i: int) -> bool:
        """True when entity ``i`` has a due time counted from an event, which this table
        resolves (found on first use)."""
        if self.resolve is None:
            return False
        found = self._relative.get(i)
        if found is None:
            found = self._relative[i] = has_relative(self.entities[i])
        return found

    def known(self, i: int) -> int:
        """When the last of entity ``i``'s entries and corrections became known (microseconds,
        see :attr:`When.hi_us`); only a view as known at some time asks, so it is found on
        first use."""
        found = self._known.get(i)
        if found is None:
            published = self.published
            entity = self.entities[i]
            history = entity.history
            found = max(recorded_time(e, published).hi_us for e in history)
            for c in entity.corrections:
                when = correction_time(c, history, published)
                if when is not None and when.hi_us > found:
                    found = when.hi_us
            self._known[i] = found
        return found

    def counts(self, u: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
        """How many of every entity's events have settled by ``u`` (microseconds) and how many
        may have started, counted at once; ``None`` for a table without arrays."""
        return self._event_arrays.counts(u) if self.arrays else None

    def state(
        self,
        i: int,
        t: _dt.datetime,
        k: _dt.datetime | None,
        p: tuple[int, int] | None = None,
    ) -> AnyState:
        """Entity ``i`` at ``t`` as known at ``k`` (``p``: its settled and started counts, if
        already counted)."""
        entity = self.entities[i]
        relative = self.relative(i)
        if k is not None and (relative or self.known(i) > to_us(k)):
            # Some entries or corrections were not yet known at k, or a due time counts from
            # an event that may not have been: fold the history as then.
            history = entity.history
            if relative:
                assert self.resolve is not None
                history = self.resolve(entity, to_us(k))
            reading = read(history, t, k, self.published, entity.corrections)
            return state_from(self.kind, entity.id, reading)
        claims = self.claims(i)
        u = to_us(t)
        settled, started = claims.counts(u) if p is None else p
        return state_from(self.kind, entity.id, claims.reading(settled, started, u))


class Index:
    """The tables and interval indexes of one Scenario (see the module docs).

    Args:
        scenario: the scenario to index.
        arrays: let an iterated view count events with numpy arrays (``True``), or always
            search each entity's own events (``False``); ``None`` decides by the scenario's
            size (arrays from :data:`ARRAYS_FROM` entities on). Every choice gives the same
            answers.
    """

    def __init__(self, scenario: Scenario, *, arrays: bool | None = None):
        self.scenario = scenario
        if arrays is None:
            size = len(scenario.measures) + len(scenario.deadlines) + len(scenario.negotiations)
            arrays = size >= ARRAYS_FROM
        self.arrays = arrays
        published = scenario.published
        self.measures = Table("measure", scenario.measures, published, arrays=arrays)
        self.deadlines = Table(
            "deadline",
            scenario.deadlines,
            published,
            arrays=arrays,
            resolve=lambda d, k: resolved_history(d, self._lookup, k, published),
        )
        self.negotiations = Table("negotiation", scenario.negotiations, published, arrays=arrays)

    def _lookup(self, id: str) -> Any:
        for table in self.tables():
            i = table.pos.get(id)
            if i is not None:
                return table.entities[i]
        return None

    def tables(self) -> tuple[Table, Table, Table]:
        """The measure, deadline and negotiation tables, in that order."""
        return (self.measures, self.deadlines, self.negotiations)

    @functools.cached_property
    def dues(self) -> Intervals[int]:
        """Every due time a deadline has had or been claimed to have, by deadline position."""
        items = []
        w: Any
        for i, deadline in enumerate(self.deadlines.entities):
            # Every claim, not only the winners: a view as known at some time may follow a
            # claim that loses once everything is known, or one an erratum later corrects.
            history = deadline.history
            if deadline.corrections:
                history = (*history, *deadline.corrected_history)
            for w in history:
                due = entry_due(w)
                if due is not None:
                    # A due time counted from an event is unknown until it resolves, which
                    # depends on what is known: it may fall in any window (``../..``).
                    lo, hi = due.lower, due.upper
                    items.append((lo, hi, (lo, hi, str(due), i), i))
        return Intervals(items)

    @functools.cached_property
    def entries(self) -> Intervals[tuple[int, int, int]]:
        """Every winning history entry, as (table, entity position, event number)."""
        items = []
        for ti, table in enumerate(self.tables()):
            for i in range(len(table.entities)):
                for j, w in enumerate(table.claims(i).times):
                    lo, hi = w.lower, w.upper
                    items.append((lo, hi, (lo, hi, ti, i, j), (ti, i, j)))
        return Intervals(items)

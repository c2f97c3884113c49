"""The event times of a whole table of entities as numpy arrays, counted for all at once.

:class:`tradetruce.model.history.Claims` says when each event of one history has certainly
happened (``settle``) and when it may have (``start``). For a large scenario, :class:`EventArrays`
computes the same two sequences for every entity of one kind in a few array operations, and
counts at an instant how many of every entity's events have settled and started (what
:meth:`Claims.counts` gives for one). It decides nothing else: readings are built by
:meth:`Claims.reading`. The property tests hold it to ``Claims``, entity by entity.

This is the only module that imports numpy, and the time index imports it only for scenarios
large enough for it to pay (:data:`tradetruce.engine.timeindex.ARRAYS_FROM`).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from tradetruce.model.history import claim_groups, event_time

__all__ = ["EventArrays"]

_LO: Final = operator.attrgetter("at.lo_us")
_HI: Final = operator.attrgetter("at.hi_us")


def _running(
    values: npt.NDArray[np.int64], owner: npt.NDArray[np.int64], ufunc: Any, *, backwards: bool
) -> npt.NDArray[np.int64]:
    """``ufunc`` (``np.maximum`` or ``np.minimum``) accumulated over ``values`` within each run of
    equal ``owner`` (owners ascending): a prefix maximum, or with ``backwards`` a suffix minimum.

    Values already in order within every owner are returned as they are (the common case).
    Otherwise they are replaced by their ranks, offset by owner so that no run can reach into
    the next, and accumulated in one pass.
    """
    if len(values) < 2 or not np.any((values[1:] < values[:-1]) & (owner[1:] == owner[:-1])):
        return values
    distinct, rank = np.unique(values, return_inverse=True)
    band = owner * len(distinct)
    key = band + rank
    key = ufunc.accumulate(key[::-1])[::-1] if backwards else ufunc.accumulate(key)
    found: npt.NDArray[np.int64] = distinct[key - band]
    return found


class EventArrays:
    """``settle`` and ``start`` of every event of a list of histories, entity after entity.

    Entity ``i`` owns events ``offsets[i]`` to ``offsets[i + 1]``. Competing claims about one
    event count once, at the time of the event (:func:`~tradetruce.model.history.claim_groups`
    and :func:`~tradetruce.model.history.event_time`, the fold's own functions). Claims about one
    event all contain its time, so they overlap: only a history in which two neighbouring
    entries overlap can hold one, and only such histories are grouped, in Python, by the fold's
    functions; every other entry is an event of its own.
    """

    def __init__(self, histories: Sequence[Sequence[Any]]):
        n = len(histories)
        entries = [e for h in histories for e in h]
        m = len(entries)
        lengths = np.fromiter(map(len, histories), np.int64, n)
        owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
        lo = np.fromiter(map(_LO, entries), np.int64, m)
        hi = np.fromiter(map(_HI, entries), np.int64, m)
        if m > 1:
            overlap = (owner[1:] == owner[:-1]) & (lo[1:] <= hi[:-1]) & (lo[:-1] <= hi[1:])
            keep = np.ones(m, dtype=bool)
            first = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(lengths, out=first[1:])
            for i in np.unique(owner[1:][overlap]).tolist():
                j = int(first[i])
                for group in claim_groups(histories[i]):
                    when = event_time(group)
                    lo[j], hi[j] = when.lo_us, when.hi_us
                    keep[j + 1 : j + len(group)] = False
                    j += len(group)
            if not keep.all():
                owner, lo, hi = owner[keep], lo[keep], hi[keep]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=n), out=offsets[1:])
        self.offsets = offsets
        self.settle = _running(hi, owner, np.minimum, backwards=True)
        self.start = _running(lo, owner, np.maximum, backwards=False)

    def counts(self, u: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """How many of every entity's events have settled by ``u`` (microseconds), and how many
        may have started (never fewer): one pass over the arrays for the whole table."""
        first = self.offsets[:-1]
        if not len(first):
            return first, first
        settled = np.add.reduceat(self.settle <= u, first, dtype=np.int64)
        started = np.add.reduceat(self.start <= u, first, dtype=np.int64)
        return settled, np.maximum(settled, started)

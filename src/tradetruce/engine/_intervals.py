"""An interval index: closed intervals of time with payloads, found by overlap with a window.

The time index (:mod:`tradetruce.engine.timeindex`) keeps one of deadline due times and one of
history entries; upcoming deadlines and changes are answered from them.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

#: Width classes of the interval index, doubling from an hour: a query scans the lowers in
#: [a - widest, b] of each class, so at most about half of what it scans falls outside.
_CAPS = (_dt.timedelta(0), *(_dt.timedelta(hours=2**k) for k in range(18)))

P = TypeVar("P")


class Intervals(Generic[P]):
    """Closed intervals [lower, upper] with payloads, grouped by width for overlap queries.

    Payloads are returned in the order of their sort keys.
    """

    def __init__(self, items: Sequence[tuple[_dt.datetime, _dt.datetime, tuple[Any, ...], P]]):
        classes: list[list[tuple[_dt.datetime, _dt.datetime, tuple[Any, ...], P]]] = [
            [] for _ in range(len(_CAPS) + 1)
        ]
        for item in items:
            classes[bisect.bisect_left(_CAPS, item[1] - item[0])].append(item)
        self._classes: list[tuple[_dt.timedelta, list[_dt.datetime], list[tuple[Any, ...]]]] = []
        for group in classes:
            if group:
                group.sort(key=lambda it: it[0])
                widest = max(it[1] - it[0] for it in group)
                self._classes.append((widest, [it[0] for it in group], group))

    def overlapping(
        self, a: _dt.datetime, b: _dt.datetime | None, *, open_left: bool = False
    ) -> list[P]:
        """Payloads whose interval meets [a, b]; ``(a, b]`` with ``open_left``; ``b=None``: open."""
        found: list[tuple[tuple[Any, ...], P]] = []
        for widest, lowers, group in self._classes:
            try:
                lo = bisect.bisect_left(lowers, a - widest)
            except OverflowError:
                lo = 0
            hi = len(lowers) if b is None else bisect.bisect_right(lowers, b)
            for j in range(lo, hi):
                _, upper, key, payload = group[j]
                if upper > a or (upper == a and not open_left):
                    found.append((key, payload))
        found.sort(key=lambda kp: kp[0])
        return [p for _, p in found]

"""Durations: "for three years", "90 days after signing"."""

from __future__ import annotations

import functools
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradetruce.strategies import _args
from tradetruce.values.duration import Duration


def durations(*, calendar_only: bool = False) -> SearchStrategy[Duration]:
    """Durations of up to a few years, in any mix of units, shrinking to one day.

    Args:
        calendar_only: only years, months, weeks and days (no hours or minutes).
    """
    return _durations(_args.flag("calendar_only", calendar_only))


_SMALL: Final = st.integers(0, 3)
_DAYS: Final = st.integers(0, 120)
_HOURS: Final = st.integers(0, 48)
_MINUTES: Final = st.integers(0, 90)
_NONE: Final = st.just(0)


@functools.cache
def _durations(calendar_only: bool) -> SearchStrategy[Duration]:
    hours, minutes = (_NONE, _NONE) if calendar_only else (_HOURS, _MINUTES)
    return st.tuples(_SMALL, _SMALL, _SMALL, _DAYS, hours, minutes).map(_duration)


def _duration(units: tuple[int, int, int, int, int, int]) -> Duration:
    # One day when every unit shrinks to zero: a duration is never empty.
    return Duration(*units) if any(units) else Duration(days=1)

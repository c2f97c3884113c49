"""Time values around instants: how precisely a source dates an event it reports.

A history is drawn as instants moving forward, and each event's time value as a *shape* around
its instant: a day (most often), the instant itself, a month, a year, a qualified day or month,
or a range of days, possibly open at one end. The value always contains its instant, so a
history drawn this way is in order whatever the shapes. A shape is drawn without its zone,
which the caller gives (an entity's events are mostly dated in one zone).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Final

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradetruce.strategies._times import YEARS, in_zone, tz, zones
from tradetruce.values.calendar import Calendar, Qualifier
from tradetruce.values.when import When


@attrs.frozen
class Shape:
    """The form of a time value around an instant, apart from the instant and the zone."""

    form: Callable[[Shape, _dt.datetime, str], When]
    qualifier: Qualifier = Qualifier.EXACT
    #: Days before and after the instant's local day that a range spans (``None``: open).
    before: int | None = 0
    after: int | None = 0

    def around(self, instant: _dt.datetime, zone: str) -> When:
        """A time value of this shape in ``zone`` that contains ``instant`` (aware)."""
        return self.form(self, instant, zone)

    def __repr__(self) -> str:
        # Shown in Hypothesis' reports of the draws of a failing example.
        name = self.form.__name__.strip("_")
        if name == "days":
            ends = ("..", "..") if self.before is None else (f"-{self.before}", "..")
            ends = (ends[0], ".." if self.after is None else f"+{self.after}")
            return f"Shape('days {ends[0]}/{ends[1]}')"
        return f"Shape('{name}{self.qualifier.value}')"


def _local(instant: _dt.datetime, zone: str) -> _dt.date:
    return instant.astimezone(tz(zone)).date()


def _day(shape: Shape, instant: _dt.datetime, zone: str) -> When:
    d = _local(instant, zone)
    return in_zone(zone, Calendar(d.year, d.month, d.day, shape.qualifier))


def _exact(shape: Shape, instant: _dt.datetime, zone: str) -> When:
    return When.exact(instant.astimezone(tz(zone)))


def _month(shape: Shape, instant: _dt.datetime, zone: str) -> When:
    d = _local(instant, zone)
    return When(zone, start=Calendar(d.year, d.month, qualifier=shape.qualifier))


def _year(shape: Shape, instant: _dt.datetime, zone: str) -> When:
    d = _local(instant, zone)
    return When(zone, start=Calendar(d.year, qualifier=shape.qualifier))


def _days(shape: Shape, instant: _dt.datetime, zone: str) -> When:
    d = _local(instant, zone)
    start = end = None
    if shape.before is not None:
        a = d - _dt.timedelta(days=shape.before)
        start = Calendar(a.year, a.month, a.day)
    if shape.after is not None:
        b = d + _dt.timedelta(days=shape.after)
        end = Calendar(b.year, b.month, b.day)
    return in_zone(zone, start, end, is_range=True)


DAY: Final = Shape(_day)
EXACT: Final = Shape(_exact)
MONTH: Final = Shape(_month)
YEAR: Final = Shape(_year)
_QUALIFIED_DAY, _QUALIFIED_MONTH, _RANGE, _OPEN_START, _OPEN_END = (
    "qualified day",
    "qualified month",
    "range",
    "open start",
    "open end",
)
#: The plain shapes take no further draw, so that shrinking prefers them; the most common
#: first (sources mostly give days).
_KINDS: Final = st.sampled_from(
    (DAY, EXACT, MONTH, YEAR, _QUALIFIED_DAY, _QUALIFIED_MONTH, _RANGE, _OPEN_START, _OPEN_END)
)
_QUALIFIERS: Final = st.sampled_from(
    (Qualifier.APPROXIMATE, Qualifier.UNCERTAIN, Qualifier.APPROXIMATE_UNCERTAIN)
)
_SPAN: Final = st.integers(0, 10)


@st.composite
def _shapes(draw: st.DrawFn) -> Shape:
    kind = draw(_KINDS)
    if isinstance(kind, Shape):
        return kind
    if kind == _QUALIFIED_DAY:
        return Shape(_day, draw(_QUALIFIERS))
    if kind == _QUALIFIED_MONTH:
        return Shape(_month, draw(_QUALIFIERS))
    before = None if kind == _OPEN_START else draw(_SPAN)
    after = None if kind == _OPEN_END else draw(_SPAN)
    return Shape(_days, before=before, after=after)


#: A shape, shrinking to a plain day.
shapes: SearchStrategy[Shape] = _shapes()

_EPOCH: Final = _dt.datetime(2000, 1, 1, tzinfo=_dt.UTC)


def _seconds_from_epoch(year: int) -> int:
    return int((_dt.datetime(year, 1, 1, tzinfo=_dt.UTC) - _EPOCH).total_seconds())


def _start(seconds: int) -> _dt.datetime:
    return _EPOCH + _dt.timedelta(seconds=seconds)


#: An instant to start a history at, in one draw: any second of the default years, shrinking
#: to midnight UTC, 1 January 2000.
starts: SearchStrategy[_dt.datetime] = st.integers(
    _seconds_from_epoch(YEARS[0]), _seconds_from_epoch(YEARS[1] + 1) - 1
).map(_start)


@st.composite
def _moments(draw: st.DrawFn) -> When:
    instant = draw(starts)
    return draw(shapes).around(instant, draw(zones()))


#: A time value of any shape and zone around a drawn instant (a publication time, say).
moments: SearchStrategy[When] = _moments()


@attrs.frozen
class Later:
    """A time some whole days after an instant (before it, for negative days), in a shape."""

    days: int
    shape: Shape

    def after(self, instant: _dt.datetime, zone: str) -> tuple[_dt.datetime, When]:
        """The instant that many days after ``instant``, and its time value in ``zone``."""
        later = instant + _dt.timedelta(days=self.days)
        return later, self.shape.around(later, zone)


def later(low: int, high: int) -> SearchStrategy[Later]:
    """A time ``low`` to ``high`` days after an instant (shrinking to ``low``, or to 0 when
    it is in range), in any shape."""
    return st.builds(Later, st.integers(low, high), shapes)

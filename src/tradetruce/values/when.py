"""`When`: a time value that is exactly as precise as its source, and no more.

A report rarely gives an instant. It says "from November 1" (a calendar day, in the zone of the
government that acts), "later this week" (a range of days), "about a year" (an approximate month).
:class:`When` holds any of these, always in a named IANA zone:

* an exact instant: ``2025-11-01T00:01:00-04:00[America/New_York]`` (RFC 9557: the offset and the
  zone name are both kept). Where the zone's offset then had seconds, as local mean time did
  (``1970-01-01T00:00:00-00:44:30[Africa/Monrovia]``), they are written as Python's
  ``isoformat`` writes them, and read back; RFC 3339 itself has no place for them;
* a calendar day, month or year, optionally approximate (``~``), uncertain (``?``) or both (``%``):
  ``2025-11-01[America/New_York]``, ``2026-11~[Asia/Shanghai]`` (EDTF level 1 plus a zone);
* a range of calendar values, either end possibly open: ``2025-10-27/2025-11-02[Asia/Seoul]``,
  ``../2025-10-26[Asia/Kuala_Lumpur]``; both ends open, ``../..[UTC]``, is a time not known at
  all (a due time counted from an event that has not been reported yet).

Every value knows its :attr:`~When.earliest` and :attr:`~When.latest` instants (both inclusive),
sorts by them, and compares honestly: :meth:`~When.definitely_before` and
:meth:`~When.possibly_before`.

A qualified calendar value (``~``, ``?`` or ``%``) widens by one unit of its own precision on each
side: ``2026-11~`` may be any instant from 1 October to 31 December 2026. EDTF leaves the width to
the reader; tradetruce fixes it so that answers are reproducible.

A time of day may be qualified the same way, after the wall time (and its offset, if given):
``2025-10-30T10:00~[Asia/Shanghai]`` is "about 10:00 Beijing time". A stated clock time is
rounded to the hour far more often than to the minute, so the unit it widens by is one hour,
:data:`TIME_OF_DAY_MARGIN`, on each side: from 09:00 to 11:00 (an hour of elapsed time, whatever
the zone's clocks do). EDTF level 1 qualifies only dates; this is tradetruce's extension, in the
same spirit.

>>> w = When.parse("2026-11~[Asia/Shanghai]")
>>> w.precision, w.is_approximate
(<Precision.MONTH: 'month'>, True)
>>> str(w.earliest), str(w.latest)
('2026-10-01 00:00:00+08:00', '2026-12-31 23:59:59.999999+08:00')
>>> When.parse("2025-11-02T01:30:00-05:00[America/New_York]").instant.fold
1
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import zoneinfo
from typing import Final

import attrs
import pendulum
from pendulum import DateTime

from tradetruce.errors import InvalidTimeError
from tradetruce.values._validate import shown
from tradetruce.values.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    Calendar,
    Precision,
    Qualifier,
)
from tradetruce.values.zones import _to_zone, _zone_name, zone

_QUALIFIER_TEXT: Final = {q: q.value for q in Qualifier}
_QUALIFIER_OF: Final = {q.value: q for q in Qualifier if q.value}

__all__ = ["TIME_OF_DAY_MARGIN", "When", "parse_instant", "utc"]

UTC: Final = pendulum.UTC
_ONE_US: Final = _dt.timedelta(microseconds=1)
#: How far a qualified time of day (``2025-10-30T10:00~[Asia/Shanghai]``) widens on each side.
TIME_OF_DAY_MARGIN: Final = _dt.timedelta(hours=1)
_MARGIN_US: Final = TIME_OF_DAY_MARGIN // _ONE_US
#: Stand-ins for the open end of a range: earlier and later than any real instant we model.
OPEN_START: Final = DateTime(1, 1, 2, tzinfo=UTC)
OPEN_END: Final = DateTime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


@attrs.frozen(repr=False, order=False)
class When:
    """A time value: an exact instant, or a calendar value or range in a named zone.

    Build one with :meth:`exact`, :meth:`day`, :meth:`month`, :meth:`year`, :meth:`between` or
    :meth:`parse`; never from naive datetimes.

    Attributes:
        zone: the IANA zone name, kept as given (``America/New_York``, never ``-04:00``).
        instant: the exact instant, for exact values; else ``None``.
        start: the calendar value, or the start of a range (``None`` if open); else ``None``.
        end: the end of a range (``None`` if open or not a range).
        is_range: whether this is a range of calendar values.
        qualifier: for a time of day (``instant`` set): approximate, uncertain or both, which
            widens it by :data:`TIME_OF_DAY_MARGIN` on each side; exact otherwise. A calendar
            value carries its qualifier in its :class:`Calendar`.
    """

    zone: str
    instant: DateTime | None = None
    start: Calendar | None = None
    end: Calendar | None = None
    is_range: bool = False
    qualifier: Qualifier = Qualifier.EXACT

    def __attrs_post_init__(self) -> None:
        zone(self.zone)  # raises InvalidTimeError for a name that is not an IANA zone
        if type(self.is_range) is not bool:
            raise InvalidTimeError(
                f"is_range must be True or False, not {shown(self.is_range)}",
                field="is_range",
                value=self.is_range,
                allowed="True for a range of calendar values, else False",
            )
        if not isinstance(self.qualifier, Qualifier):
            raise InvalidTimeError(
                f"qualifier must be a Qualifier, not {shown(self.qualifier)}",
                field="qualifier",
                value=self.qualifier,
                allowed="Qualifier.EXACT, APPROXIMATE, UNCERTAIN or APPROXIMATE_UNCERTAIN",
            )
        if self.qualifier is not Qualifier.EXACT and self.instant is None:
            raise InvalidTimeError(
                "only a time of day takes a qualifier of its own; a calendar value carries it "
                "in its Calendar",
                field="qualifier",
                value=self.qualifier,
                allowed="Calendar(..., qualifier=...) for a day, month or year",
            )
        if self.instant is not None:
            if self.start is not None or self.end is not None or self.is_range:
                raise InvalidTimeError("an exact instant has no calendar parts", value=self)
            if not isinstance(self.instant, DateTime):
                raise InvalidTimeError(
                    f"instant must be a pendulum DateTime, not {type(self.instant).__name__}",
                    value=self.instant,
                    allowed="When.exact(datetime) converts any aware datetime",
                )
            if not MIN_YEAR <= self.instant.year <= MAX_YEAR:
                raise InvalidTimeError(
                    f"instant {self.instant} is outside the supported years",
                    value=self.instant,
                    allowed=f"years {MIN_YEAR} to {MAX_YEAR}",
                )
            if getattr(self.instant.tzinfo, "name", None) != self.zone:
                raise InvalidTimeError(
                    f"instant {self.instant} is not in zone {self.zone}",
                    value=self.instant,
                    allowed="When.exact(), which keeps the datetime's own zone",
                )
        else:
            for name, part in (("start", self.start), ("end", self.end)):
                if part is not None and not isinstance(part, Calendar):
                    raise InvalidTimeError(
                        f"{name} must be a Calendar, not {type(part).__name__}",
                        field=name,
                        value=part,
                        allowed="Calendar(year, month, day), or When.parse('2025-11-01[UTC]')",
                    )
            if self.is_range:
                pass  # both ends open (``../..``): a time not known at all
            elif self.start is None or self.end is not None:
                raise InvalidTimeError(
                    "a calendar value needs start and no end", value=(self.start, self.end)
                )
        # The UTC bounds, fixed with the value: every comparison, history check and time
        # index reads them, so they are worked out once, here (see `_span`).
        lo, hi = _span(self)
        if hi < lo:
            # Local midnights never fall with the day: either the end's last day is before the
            # start's first day, or every day named was skipped by the zone.
            start, end = self.start, self.end
            if start is not None and end is not None and end.last_day() < start.first_day():
                raise InvalidTimeError(
                    f"range {start}/{end} ends before it starts",
                    value=str(self),
                    allowed="a start no later than the end",
                )
            raise InvalidTimeError(
                f"{self} names no instant: {self.zone} skipped those days",
                value=str(self),
                allowed="days that happened in the zone (its clocks once jumped past them)",
            )
        object.__setattr__(self, "lo_us", lo)
        object.__setattr__(self, "hi_us", hi)

    # ----------------------------------------------------------------------------- constructors
    @classmethod
    def exact(cls, value: _dt.datetime, *, qualifier: Qualifier = Qualifier.EXACT) -> When:
        """An exact instant from an aware datetime whose zone is an IANA zone; with a
        ``qualifier``, a time of day known only roughly (widened by
        :data:`TIME_OF_DAY_MARGIN` on each side).

        >>> str(When.exact(pendulum.datetime(2025, 11, 10, 0, 1, tz="America/New_York")))
        '2025-11-10T00:01:00-05:00[America/New_York]'
        >>> about = When.exact(
        ...     pendulum.datetime(2025, 10, 30, 10, tz="Asia/Shanghai"),
        ...     qualifier=Qualifier.APPROXIMATE,
        ... )
        >>> str(about), about.earliest.format("HH:mm"), about.latest.format("HH:mm")
        ('2025-10-30T10:00:00+08:00~[Asia/Shanghai]', '09:00', '11:00')
        """
        if not isinstance(value, _dt.datetime):
            raise InvalidTimeError(
                f"expected a datetime, not {type(value).__name__}",
                value=value,
                allowed="an aware datetime with an IANA zone",
            )
        name = _zone_name(value.tzinfo, value)
        tz = zone(name)
        if isinstance(value, DateTime) and value.tzinfo is tz:
            return cls(name, value, qualifier=qualifier)
        return cls(name, _to_zone(value, tz), qualifier=qualifier)

    @classmethod
    def day(
        cls, year: int, month: int, day: int, zone: str, *, qualifier: Qualifier = Qualifier.EXACT
    ) -> When:
        """A calendar day in a zone: ``When.day(2025, 11, 1, "America/New_York")``."""
        return cls(zone, start=Calendar(year, month, day, qualifier))

    @classmethod
    def month(
        cls, year: int, month: int, zone: str, *, qualifier: Qualifier = Qualifier.EXACT
    ) -> When:
        """A calendar month in a zone: ``When.month(2026, 11, "Asia/Shanghai", qualifier=~)``."""
        return cls(zone, start=Calendar(year, month, None, qualifier))

    @classmethod
    def year(cls, year: int, zone: str, *, qualifier: Qualifier = Qualifier.EXACT) -> When:
        """A calendar year in a zone."""
        return cls(zone, start=Calendar(year, None, None, qualifier))

    @classmethod
    def between(cls, start: Calendar | None, end: Calendar | None, zone: str) -> When:
        """A range of calendar values; ``None`` leaves that end open."""
        return cls(zone, start=start, end=end, is_range=True)

    @classmethod
    def coerce(cls, value: When | _dt.datetime | str) -> When:
        """Accept a When, an aware datetime, or the text form."""
        if isinstance(value, When):
            return value
        if isinstance(value, str):
            return cls.parse(value)
        return cls.exact(value)

    @classmethod
    def parse(cls, text: str) -> When:
        """Read the text form (see the module docs). Raises :class:`InvalidTimeError`.

        >>> When.parse("2025-10-27/2025-11-02[Asia/Seoul]").precision
        <Precision.DAY: 'day'>
        """
        if type(text) is not str:
            if not isinstance(text, str):
                raise InvalidTimeError(
                    f"expected text, not {type(text).__name__}", value=text, allowed=_FORMS
                )
            text = str.__str__(text)  # a plain str: the cache hashes and compares it
        return _parse(text)

    # ------------------------------------------------------------------------------- properties
    @property
    def precision(self) -> Precision:
        """The finest precision of the value (a range reports its finer end)."""
        if self.instant is not None:
            return Precision.INSTANT
        ends = [c.precision for c in (self.start, self.end) if c is not None]
        order = list(Precision)
        return max(ends, key=order.index)

    @property
    def is_exact(self) -> bool:
        """True only for exact instants (not for a qualified time of day)."""
        return self.instant is not None and self.qualifier is Qualifier.EXACT

    @property
    def is_approximate(self) -> bool:
        """True for ranges, qualified calendar values and qualified times of day."""
        if self.is_range or self.qualifier is not Qualifier.EXACT:
            return True
        return self.start is not None and self.start.qualifier is not Qualifier.EXACT

    @functools.cached_property
    def earliest(self) -> DateTime:
        """The first instant this value may mean (inclusive)."""
        if self.instant is not None and self.qualifier is Qualifier.EXACT:
            return self.instant
        if self.start is None and self.instant is None:
            return OPEN_START
        return _to_zone(self.lower, zone(self.zone))

    @functools.cached_property
    def latest(self) -> DateTime:
        """The last instant this value may mean (inclusive, to the microsecond)."""
        if self.instant is not None and self.qualifier is Qualifier.EXACT:
            return self.instant
        if self.hi_us == _OPEN_UPPER_US:
            return OPEN_END
        upper = self.upper
        # The zoned view of the UTC bound, so the two can never disagree.
        return _to_zone(upper, zone(self.zone))

    @functools.cached_property
    def lo_us(self) -> int:
        """:attr:`lower` as whole microseconds since 0001-01-01T00:00 UTC.

        Set when the value is built (and worked out on first read for a value that pickle or
        copy restored without building it); plain integers compare, sort and hash several
        times faster than aware datetimes and are exact, so comparisons and time indexes use
        them.
        """
        return _span(self)[0]

    @functools.cached_property
    def hi_us(self) -> int:
        """:attr:`upper` as whole microseconds since 0001-01-01T00:00 UTC."""
        return _span(self)[1]

    @functools.cached_property
    def lower(self) -> _dt.datetime:
        """:attr:`earliest` in UTC: what every comparison uses.

        Python compares two datetimes that share a zone by wall time, ignoring ``fold``, so
        01:30 EDT and 01:30 EST would compare equal; UTC values have no such trap.
        """
        return from_us(self.lo_us)

    @functools.cached_property
    def upper(self) -> _dt.datetime:
        """:attr:`latest` in UTC."""
        return from_us(self.hi_us)

    @property
    def sort_key(self) -> tuple[_dt.datetime, _dt.datetime, str]:
        """Orders values by earliest, then latest instant, then text."""
        return (self.lower, self.upper, str(self))

    # ------------------------------------------------------------------------------ comparisons
    def definitely_before(self, other: When | _dt.datetime) -> bool:
        """True when every instant of ``self`` is before every instant of ``other``."""
        if isinstance(other, When):
            return self.hi_us < other.lo_us
        return self.upper < utc(other)

    def possibly_before(self, other: When | _dt.datetime) -> bool:
        """True when some instant of ``self`` is before some instant of ``other``."""
        if isinstance(other, When):
            return self.lo_us < other.hi_us
        return self.lower < utc(other)

    def contains(self, t: _dt.datetime) -> bool:
        """True when the instant ``t`` lies within ``[earliest, latest]``."""
        u = utc(t)
        return self.lower <= u <= self.upper

    def _key(self) -> tuple[int, int, str]:
        # sort_key's order, on the integer bounds
        return (self.lo_us, self.hi_us, self._text)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self._key() >= other._key()

    # ------------------------------------------------------------------------------------- text
    def __str__(self) -> str:
        return self._text

    @functools.cached_property
    def _text(self) -> str:
        # Kept once worked out from the fields: the value is immutable, and writers ask for
        # the text of the same value again and again (a document shares one When per text).
        if self.instant is not None:
            q = _QUALIFIER_TEXT[self.qualifier]
            return f"{_dt.datetime.isoformat(self.instant)}{q}[{self.zone}]"
        if self.is_range:
            a = ".." if self.start is None else str(self.start)
            b = ".." if self.end is None else str(self.end)
            return f"{a}/{b}[{self.zone}]"
        return f"{self.start}[{self.zone}]"

    def __repr__(self) -> str:
        return f"When({str(self)!r})"

    def in_zone(self, name: str) -> str:
        """A human rendering of the value's span as seen from another zone."""
        tz = zone(name)
        if self.is_exact:
            assert self.instant is not None
            return f"{_to_zone(self.instant, tz).format('YYYY-MM-DD HH:mm')} {name}"
        fmt = "YYYY-MM-DD HH:mm"
        a = ".." if self.earliest is OPEN_START else _to_zone(self.earliest, tz).format(fmt)
        b = ".." if self.latest is OPEN_END else _to_zone(self.latest, tz).format(fmt)
        return f"{a} .. {b} {name}"


#: The origin of the integer bounds (:attr:`When.lo_us`, :attr:`When.hi_us`).
_ZERO: Final = _dt.datetime(1, 1, 1, tzinfo=_dt.UTC)
#: datetime's own subtraction: pendulum's subclass overrides it with a slower one.
_minus: Final = _dt.datetime.__sub__


def to_us(t: _dt.datetime) -> int:
    """An aware datetime as whole microseconds since 0001-01-01T00:00 UTC (exact)."""
    return _minus(t, _ZERO) // _ONE_US


def from_us(us: int) -> _dt.datetime:
    """The UTC datetime ``us`` microseconds after 0001-01-01T00:00 UTC (see :func:`to_us`)."""
    return _ZERO + _dt.timedelta(microseconds=us)


@functools.lru_cache(maxsize=1 << 16)  # integers: about 12 MB when full
def _midnight_us(day: _dt.date, name: str) -> int:
    """The first instant of a local day (see :func:`to_us`).

    ``fold=0`` in a DST gap takes the offset from before the gap, which lands on the first wall
    time after it: the day's real first instant.
    """
    return to_us(_dt.datetime(day.year, day.month, day.day, tzinfo=zoneinfo.ZoneInfo(name)))


def _span(w: When) -> tuple[int, int]:
    """A value's UTC bounds in microseconds (see :func:`to_us`), from the calendar and the
    standard library's zones: several times cheaper than building zoned pendulum values."""
    i = w.instant
    if i is not None:
        u = to_us(i)
        if w.qualifier is Qualifier.EXACT:
            return u, u
        return max(u - _MARGIN_US, _OPEN_LOWER_US), min(u + _MARGIN_US, _OPEN_UPPER_US)
    return _calendar_span(w.start, w.end, w.is_range, w.zone)


def _calendar_span(
    start: Calendar | None, end: Calendar | None, is_range: bool, name: str
) -> tuple[int, int]:
    lower = _OPEN_LOWER_US if start is None else _midnight_us(start._days[0], name)
    last = end if is_range else start
    after = None if last is None else last._days[1]
    if after is None:
        return lower, _OPEN_UPPER_US
    return lower, _midnight_us(after, name) - 1


def _utc(v: _dt.datetime) -> _dt.datetime:
    # A plain stdlib datetime: pendulum's arithmetic on a DateTime carrying datetime.UTC can
    # drop the zone, and plain values compare and hash faster.
    u = _dt.datetime.astimezone(v, _dt.UTC)
    return _dt.datetime(
        u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond, tzinfo=_dt.UTC
    )


_OPEN_START_UTC: Final = _utc(OPEN_START)
_OPEN_END_UTC: Final = _utc(OPEN_END)
_OPEN_LOWER_US: Final = to_us(_OPEN_START_UTC)
_OPEN_UPPER_US: Final = to_us(_OPEN_END_UTC)


def utc(v: _dt.datetime | When) -> _dt.datetime:
    """An aware datetime (or a When's last instant) as a UTC datetime; naive values refused."""
    if isinstance(v, When):
        return v.upper
    if not isinstance(v, _dt.datetime):
        raise InvalidTimeError(
            f"expected a datetime or When, not {type(v).__name__}",
            value=v,
            allowed="an aware datetime or a When",
        )
    if v.tzinfo is None or v.utcoffset() is None:
        raise InvalidTimeError(
            f"naive datetime {v} cannot be compared with zoned times",
            value=v,
            allowed="an aware datetime (pendulum.datetime(..., tz=...))",
        )
    return _utc(v)


def parse_instant(text: str) -> DateTime:
    """Read an instant: RFC 9557 text, or an ISO 8601 datetime with an offset or ``Z``.

    Unlike :meth:`When.parse` this accepts an offset without a zone name, since an instant only
    needs to say when. Naive text is refused.
    """
    if type(text) is not str:
        raise InvalidTimeError(
            f"expected text, not {type(text).__name__}",
            value=text,
            allowed="2025-11-10T00:01:00-05:00 or 2025-11-10T00:01:00-05:00[America/New_York]",
        )
    if "[" in text:
        w = When.parse(text)
        if w.instant is None or not w.is_exact:
            raise InvalidTimeError(
                f"{shown(text)} is a calendar value or a time of day known only roughly, not "
                "an instant",
                value=text,
                allowed="an exact time such as 2025-11-10T00:01:00-05:00[America/New_York]",
            )
        return w.instant
    try:
        value = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidTimeError(
            f"not an instant: {shown(text)}",
            value=text,
            allowed="2025-11-10T00:01:00-05:00 or 2025-11-10T00:01:00-05:00[America/New_York]",
        ) from None
    if value.tzinfo is None:
        raise InvalidTimeError(
            f"{shown(text)} has no offset or zone",
            value=text,
            allowed="add an offset (-05:00, Z) or a zone ([America/New_York])",
        )
    _check_year(value, text)
    return pendulum.instance(value)


def _check_year(value: _dt.datetime, text: str) -> None:
    # Before any arithmetic: the margins of the supported years keep every conversion between
    # zones within the years datetime can hold.
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidTimeError(
            f"{shown(text)} is outside the supported years",
            value=text,
            allowed=f"years {MIN_YEAR} to {MAX_YEAR}",
        )


_OFFSET: Final = r"[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
#: An instant: date, hours and minutes, optional seconds and fraction, and an optional ``Z`` or
#: offset. The offset may have seconds (and a fraction, as ``datetime.isoformat`` writes
#: them): a zone's local mean time had them, e.g. ``-00:44:30`` in Monrovia until 1972.
_INSTANT_RE: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    rf"(?:Z|{_OFFSET})?"
)
_FORMS: Final = (
    "an instant 2025-11-01T00:01:00-04:00[America/New_York] (with ~ after it: about that time "
    "of day), a calendar value "
    "2025-11-01[America/New_York] or 2026-11~[Asia/Shanghai], or a range "
    "2025-10-27/2025-11-02[Asia/Seoul] (.. for an open end)"
)


def _read(text: str) -> When:
    """Read the text form (a str), or raise the error that says what is wrong.

    Every value is built by the constructor, which makes every check of the parts.
    """
    head, sep, tail = text.partition("[")
    if not sep or not tail.endswith("]") or "[" in tail:
        raise InvalidTimeError(
            f"time value {shown(text)} has no [Zone] suffix", value=text, allowed=_FORMS
        )
    name = tail[:-1]
    tz = zone(name)
    if "T" in head:
        qualifier = _QUALIFIER_OF.get(head[-1:], Qualifier.EXACT)
        if qualifier is not Qualifier.EXACT:
            head = head[:-1]
        if _INSTANT_RE.fullmatch(head) is None:
            raise InvalidTimeError(f"not a time value: {shown(text)}", value=text, allowed=_FORMS)
        return When(name, _localize(head, tz, text), qualifier=qualifier)
    if "/" in head:
        a, _, b = head.partition("/")
        return When(
            name,
            start=None if a == ".." else Calendar.parse(a),
            end=None if b == ".." else Calendar.parse(b),
            is_range=True,
        )
    return When(name, start=Calendar.parse(head))


#: Cached: When is immutable, and real documents repeat the same few dates many times. About
#: 30 MB when full of exact instants.
_parse: Final = functools.lru_cache(maxsize=65536)(_read)


def _on_wall(wall: _dt.datetime, tz: pendulum.Timezone, fold: int) -> DateTime:
    """The pendulum DateTime showing the wall time of ``wall`` (its own tzinfo, if any, is
    ignored) in ``tz`` at ``fold``."""
    return DateTime(
        wall.year,
        wall.month,
        wall.day,
        wall.hour,
        wall.minute,
        wall.second,
        wall.microsecond,
        tzinfo=tz,
        fold=fold,
    )


def _localize(head: str, tz: pendulum.Timezone, text: str) -> DateTime:
    """The instant ``head`` names in ``tz``."""
    try:
        parsed = _dt.datetime.fromisoformat(head)
    except ValueError:
        raise InvalidTimeError(f"not a real date or time: {shown(text)}", value=text) from None
    _check_year(parsed, text)
    if parsed.tzinfo is not None:
        # The common case, an offset the zone really has then and no repeated hour: the
        # instant seen in the zone shows the same wall time, at fold 0 (it has the same
        # offset). This is the first candidate the full search below would find; anything
        # else goes through the search.
        seen = parsed.astimezone(tz)
        if seen.fold == 0 and seen.utcoffset() == parsed.utcoffset():
            return _on_wall(parsed, tz, 0)
    wall = parsed.replace(tzinfo=None)
    candidates = []
    for fold in (0, 1):
        local = _on_wall(wall, tz, fold)
        # A wall time in a DST gap does not survive a round trip through UTC.
        if _to_zone(local, tz).replace(tzinfo=None) != wall:
            continue
        if parsed.tzinfo is None or local.utcoffset() == parsed.utcoffset():
            candidates.append(local)
    if parsed.tzinfo is not None and candidates:
        return candidates[0]
    if not candidates:
        if parsed.tzinfo is not None:
            raise InvalidTimeError(
                f"offset in {shown(text)} does not match {tz.name} at that local time",
                value=text,
                allowed=f"the offset {tz.name} really has then, or no offset",
            )
        raise InvalidTimeError(
            f"{shown(text)} falls in a daylight-saving gap in {tz.name}: "
            "that wall time never happens",
            value=text,
            allowed="a wall time that exists in the zone",
        )
    if candidates[0].utcoffset() != candidates[-1].utcoffset():
        raise InvalidTimeError(
            f"{shown(text)} happens twice in {tz.name} (clocks go back): give its offset",
            value=text,
            allowed=", ".join(
                f"{_dt.datetime.isoformat(c)}[{tz.name}]" for c in (candidates[0], candidates[-1])
            ),
        )
    return candidates[0]

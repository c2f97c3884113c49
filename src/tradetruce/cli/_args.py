"""Reading the command line's values (TIME, DURATION, ZONE) and showing times to a reader."""

from __future__ import annotations

import datetime as _dt
import re

import pendulum
from pendulum.tz import get_local_timezone

from tradetruce.errors import InvalidValueError, UsageError
from tradetruce.values.when import OPEN_END, OPEN_START, When, parse_instant
from tradetruce.values.zones import zone

EXIT_OK = 0  #: success
EXIT_INVALID = 1  #: invalid data, or a file that is missing or cannot be read or written
EXIT_USAGE = 2  #: bad command line (argparse's own code for usage errors)


# ------------------------------------------------------------------------------- values
def parse_time(text: str, reader_zone: str | None = None) -> When:
    """A TIME argument: a When text form, an ISO instant with an offset (kept in UTC), ``now``
    or ``today`` (in ``reader_zone``, default this machine's zone).

    >>> str(parse_time("2025-11-02[America/New_York]"))
    '2025-11-02[America/New_York]'
    >>> str(parse_time("2025-11-10T05:01:00Z"))
    '2025-11-10T05:01:00+00:00[UTC]'
    >>> parse_time("today", "Asia/Tokyo").precision, parse_time("now").zone
    (<Precision.DAY: 'day'>, 'UTC')
    """
    word = text.strip().lower()
    if word == "now":
        return When.exact(pendulum.now("UTC").replace(microsecond=0))
    if word == "today":
        name = local_zone(reader_zone)
        day = pendulum.now(name).date()
        return When.day(day.year, day.month, day.day, name)
    try:
        if "[" in text:
            return When.parse(text)
        instant = parse_instant(text)
        return When.exact(pendulum.instance(_dt.datetime.astimezone(instant, _dt.UTC), tz="UTC"))
    except InvalidValueError as error:
        raise UsageError(f"TIME {text!r}: {error}; or now, today") from None


_UNITS = ("years", "months", "weeks", "days", "hours", "minutes")
_SHORT = re.compile(r"(?:(\d+)y)?(?:(\d+)mo)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")
_ISO = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?")
_DURATION_FORMS = "1y, 6mo, 2w, 30d, 12h, 90m, a mix such as 1y6mo, or P1Y, P6M, P30D, PT12H"


def parse_duration(text: str) -> pendulum.Duration:
    """A DURATION argument: ``1y``, ``6mo``, ``2w``, ``30d``, ``12h``, ``90m``, or ISO 8601.

    >>> parse_duration("2w").in_days(), parse_duration("P1DT12H").in_hours()
    (14, 36)
    >>> parse_duration("1y6mo").years, parse_duration("P1Y6M").months
    (1, 6)
    """
    cleaned = text.strip().replace(" ", "")
    if cleaned.startswith("-"):
        raise UsageError(
            f"DURATION {text!r}: a window cannot run backwards; give its length "
            f"({cleaned[1:] or '30d'}) and move its start (--from) earlier instead"
        )
    for pattern, value in ((_SHORT, cleaned.lower()), (_ISO, cleaned.upper())):
        found = pattern.fullmatch(value)
        if found and any(found.groups()):
            amounts = {k: int(n) for k, n in zip(_UNITS, found.groups(), strict=True) if n}
            return pendulum.Duration(**amounts)
    raise UsageError(f"DURATION {text!r}: not a duration (allowed: {_DURATION_FORMS})")


def window_length(start: When, duration: pendulum.Duration) -> _dt.timedelta | None:
    """How long a window of ``duration`` from ``start`` (its last instant) runs: calendar years,
    months, weeks and days are counted in ``start``'s zone; ``None`` past the supported years.

    >>> leap = When.parse("2028-02-29T12:00:00+00:00[UTC]")
    >>> window_length(leap, parse_duration("1y")).days
    365
    >>> window_length(leap, parse_duration("P1M")).days
    29
    """
    base = pendulum.instance(start.upper).in_tz(start.zone)
    try:
        end = base.add(
            years=duration.years,
            months=duration.months,
            weeks=duration.weeks,
            days=duration.remaining_days,
            hours=duration.hours,
            minutes=duration.minutes,
        )
    except (ValueError, OverflowError):
        return None
    span = end - base
    return _dt.timedelta(days=span.days, seconds=span.seconds, microseconds=span.microseconds)


def local_zone(name: str | None = None) -> str:
    """The reader's zone: ``--tz`` if given, else the machine's (its IANA name)."""
    if name:
        try:
            zone(name)
        except InvalidValueError as error:
            raise UsageError(str(error)) from None
        return name
    found = get_local_timezone()  # not pendulum.local_timezone: also a submodule's name
    local = getattr(found, "name", None)
    return local if isinstance(local, str) else "UTC"


def countdown(start: _dt.datetime, due: When) -> str:
    """How long from ``start`` until ``due`` may come, and until it must have come.

    >>> t = When.parse("2025-10-26T12:00:00+08:00[Asia/Kuala_Lumpur]").upper
    >>> countdown(t, When.parse("2025-11-01[America/New_York]"))
    'in 6d 0h .. 7d 0h'
    """
    lower, upper = due.lower - start, due.upper - start
    if due.is_exact:
        return _span(lower)
    if due.latest is OPEN_END:
        return f"{_span(lower)} or later"
    if due.earliest is OPEN_START:
        return f"by {_span(upper).removeprefix('in ')}"
    if lower == upper:
        return _span(lower)
    second = _span(upper)
    if lower >= _dt.timedelta(0) or upper < _dt.timedelta(0):
        second = second.removeprefix("in ")
    return f"{_span(lower)} .. {second}"


def _span(delta: _dt.timedelta) -> str:
    past = delta < _dt.timedelta(0)
    seconds = int(abs(delta).total_seconds() + 0.5)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d"] if days else []
    if hours or (days and not minutes):
        parts.append(f"{hours}h")
    if minutes and not days:
        parts.append(f"{minutes}m")
    text = " ".join(parts) or "0m"
    return f"{text} ago" if past else f"in {text}"


def local_time(due: When, name: str) -> str:
    """``due`` as the reader sees it in zone ``name``; an open end is said in words.

    >>> local_time(When.parse("../2025-10-26[Asia/Kuala_Lumpur]"), "UTC")
    'by 2025-10-26 15:59 UTC'
    >>> local_time(When.parse("2025-11-11/..[America/New_York]"), "UTC")
    '2025-11-11 05:00 UTC or later'
    """
    fmt = "YYYY-MM-DD HH:mm"
    if due.earliest is OPEN_START and due.latest is not OPEN_END:
        return f"by {pendulum.instance(due.upper).in_tz(name).format(fmt)} {name}"
    if due.latest is OPEN_END and due.earliest is not OPEN_START:
        return f"{pendulum.instance(due.lower).in_tz(name).format(fmt)} {name} or later"
    return due.in_zone(name)

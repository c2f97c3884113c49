"""IANA zones: looking a name up, the name behind an aware datetime, an instant seen in a zone.

Every time value carries the name of its zone, never a fixed offset: offsets lose the rules of
daylight-saving time.

>>> zone("Asia/Shanghai").name
'Asia/Shanghai'
"""

from __future__ import annotations

import datetime as _dt
import functools
import zoneinfo
from typing import Final

import pendulum
from pendulum import DateTime

from tradetruce.errors import InvalidTimeError, did_you_mean
from tradetruce.values._validate import shown

__all__ = ["NOT_ZONES", "known_zones", "zone"]

# The memos of this module are functools caches of pure functions of immutable arguments:
# thread-safe, bounded, and holding immutable results (Calendar and When fill their cached
# properties lazily, and any thread works out the same value), so no caller can observe them
# and none needs emptying.


#: Names the zone database holds that are not zones of a place: ``localtime`` is whatever the
#: machine is set to (the same text would mean another zone elsewhere), ``Factory`` a
#: placeholder with no offset of its own.
NOT_ZONES: Final = frozenset({"localtime", "Factory"})


@functools.cache  # no arguments: one immutable set of names
def known_zones() -> frozenset[str]:
    """Every zone name a time value may carry: the IANA database's, less :data:`NOT_ZONES`
    (read once, on first use)."""
    return (frozenset(zoneinfo.available_timezones()) | {"UTC"}) - NOT_ZONES


def zone(name: str) -> pendulum.Timezone:
    """The pendulum zone for an IANA name, or :class:`InvalidTimeError`."""
    if type(name) is not str:  # before the cache, which would hash it
        raise _unknown_zone(name)
    return _zone(name)


@functools.lru_cache(maxsize=1024)  # only known names are kept: some 600 zones
def _zone(name: str) -> pendulum.Timezone:
    if name not in known_zones():
        raise _unknown_zone(name)
    return pendulum.timezone(name)


def _unknown_zone(name: object) -> InvalidTimeError:
    return InvalidTimeError(
        f"unknown time zone {shown(name)}{did_you_mean(name, known_zones())}",
        field="zone",
        value=name,
        allowed="an IANA zone name such as America/New_York, Asia/Shanghai or UTC",
    )


def _zone_name(tz: _dt.tzinfo | None, value: object) -> str:
    """The IANA name behind an aware datetime's tzinfo, refusing naive and fixed-offset values."""
    if tz is None:
        raise InvalidTimeError(
            f"naive datetime {value!s} has no time zone",
            value=value,
            allowed="an aware datetime with an IANA zone: "
            "pendulum.datetime(..., tz='Asia/Shanghai')",
        )
    name = getattr(tz, "name", None) or getattr(tz, "key", None)
    if tz is _dt.UTC:
        name = "UTC"
    if not isinstance(name, str) or name not in known_zones():
        raise InvalidTimeError(
            f"datetime {value!s} has a fixed offset, not a named zone",
            value=value,
            allowed="an IANA zone (America/New_York, Asia/Shanghai, UTC); offsets lose DST rules",
        )
    return name


def _to_zone(value: _dt.datetime, tz: pendulum.Timezone) -> DateTime:
    """The same instant as a pendulum DateTime in ``tz`` (fold set right in repeated hours)."""
    local = tz.convert(value.astimezone(pendulum.UTC))
    return DateTime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=tz,
        fold=local.fold,
    )

"""Deadlines as an iCalendar file (RFC 5545) that calendar apps import.

Needs the optional extra ``ical`` (``pip install "tradetruce[ical]"``).

A due time becomes an event exactly as precise as it is: an exact instant is a timed event in its
own zone (with the zone's rules embedded), a calendar day is an all-day event, and a range or an
approximate value spans every day it may fall on. An open end cannot be drawn in a calendar, so a
value open at one end becomes one all-day event on the day it is bounded by, and its description
says which end is open. The due time in tradetruce's own notation is always in the description.

>>> import tradetruce as tt
>>> text = deadlines_ics(tt.load_seed())
>>> text.splitlines()[0], "SUMMARY:Truce expires" in text
('BEGIN:VCALENDAR', True)
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from typing import Any

from tradetruce.errors import TradeTruceError
from tradetruce.model.deadline import Deadline
from tradetruce.model.scenario import Scenario
from tradetruce.values.when import OPEN_END, OPEN_START, When

__all__ = ["IcalMissingError", "deadlines_ics"]

_PRODID = "-//tradetruce//deadlines//EN"


class IcalMissingError(TradeTruceError, ImportError):
    """The optional ``icalendar`` package is not installed."""

    def __str__(self) -> str:
        return 'iCalendar export needs the "ical" extra: pip install "tradetruce[ical]"'


def _icalendar() -> Any:
    try:
        import icalendar
    except ImportError:
        raise IcalMissingError() from None
    return icalendar


def _stamp(scenario: Scenario) -> _dt.datetime:
    # DTSTAMP must be present; the latest publication keeps the output reproducible.
    times = [s.published.upper for s in scenario.sources if s.published is not None]
    return max(times) if times else _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


def _dates(due: When) -> tuple[_dt.date, _dt.date, str]:
    """First and last local day of an inexact due time, and a remark about an open end."""
    if due.earliest is OPEN_START:
        day = due.latest.date()
        return day, day, "open start: due by this day at the latest"
    if due.latest is OPEN_END:
        day = due.earliest.date()
        return day, day, "open end: due on this day or later, no end date given"
    return due.earliest.date(), due.latest.date(), ""


def _event(icalendar: Any, deadline: Deadline, stamp: _dt.datetime) -> Any:
    due = deadline.due
    event = icalendar.Event()
    event.add("uid", f"{deadline.id}@tradetruce")
    event.add("dtstamp", stamp)
    event.add("summary", deadline.title)
    lines = [f"Due: {due}", f"Kind: {deadline.kind.value}", f"Status: {deadline.status.value}"]
    if due.instant is not None:
        # A plain datetime on a zoneinfo zone: the form icalendar writes as DTSTART;TZID=...
        local = _dt.datetime.astimezone(due.upper, zoneinfo.ZoneInfo(due.zone))
        event.add("dtstart", local)
        event.add("dtend", local)
    else:
        first, last, remark = _dates(due)
        event.add("dtstart", first)
        event.add("dtend", last + _dt.timedelta(days=1))
        if first != last:
            lines.append("May fall on any day of this span.")
        if remark:
            lines.append(remark[0].upper() + remark[1:] + ".")
    lines += [f"If missed: {c.entity} -> {c.to}" for c in deadline.consequences]
    if deadline.governs:
        lines.append("Governs: " + ", ".join(deadline.governs))
    event.add("description", "\n".join(lines))
    event.add("categories", [deadline.kind.value])
    return event


def deadlines_ics(scenario: Scenario, *, name: str | None = None) -> str:
    """Every deadline of ``scenario`` as an iCalendar document (text, CRLF line ends)."""
    icalendar = _icalendar()
    cal = icalendar.Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name or scenario.title or "tradetruce deadlines")
    stamp = _stamp(scenario)
    for deadline in sorted(scenario.deadlines, key=lambda d: d.due.sort_key):
        cal.add_component(_event(icalendar, deadline, stamp))
    cal.add_missing_timezones()
    text: str = cal.to_ical().decode("utf-8")
    return text

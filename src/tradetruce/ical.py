"""Deadlines as an iCalendar file (RFC 5545) that calendar apps import.

Needs the optional extra ``ical`` (``pip install "tradetruce[ical]"``).

A due time becomes an event exactly as precise as it is: an exact instant is a timed event in its
own zone (with the zone's rules embedded), a calendar day is an all-day event, and a range or an
approximate value spans every day it may fall on. An open end cannot be drawn in a calendar, so a
value open at one end becomes one all-day event on the day it is bounded by, and its description
says which end is open. The due time in tradetruce's own notation is always in the description.

So that a calendar app updates what it imported before instead of adding a copy:

* ``UID`` is ``<deadline id>.<scenario key>@tradetruce``: the scenario key is a stable hash of
  the scenario's title and first source's id, so two scenarios' deadlines of the same id never
  collide (pass ``namespace`` to choose the key yourself);
* ``SEQUENCE`` counts the times the deadline's due time changed in its history (each extension
  to a new due time), so an extended deadline replaces its earlier version;
* ``DTSTAMP`` is the latest recorded time of the deadline's history entries (their ``recorded``
  time, else their source's publication), in UTC. The file has no ``METHOD``, and for such a file
  RFC 5545 (section 3.8.7.2) defines DTSTAMP as the time the information in the event was last
  revised, not the time the file was written: the same scenario always gives the same file.

A deadline whose due time is not certain is marked ``STATUS:TENTATIVE``, with a line in its
description that says why: its sources disagree about the due time (one gives another, or none;
each claim is listed), or the due time is only known to a span (a range, an approximate or
uncertain value, an open end).

>>> import tradetruce as tt
>>> text = deadlines_ics(tt.load_seed())
>>> text.splitlines()[0], "SUMMARY:Truce expires" in text
('BEGIN:VCALENDAR', True)
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import zoneinfo
from collections.abc import Mapping
from typing import Any

import attrs

from tradetruce.engine._relative import has_relative, resolved_history
from tradetruce.errors import IcalMissingError
from tradetruce.model.deadline import Deadline
from tradetruce.model.entries import DeadlineEntry
from tradetruce.model.history import read, recorded_time
from tradetruce.model.scenario import Scenario
from tradetruce.values.calendar import Qualifier
from tradetruce.values.when import OPEN_END, OPEN_START, When

__all__ = ["deadlines_ics", "scenario_key"]

_PRODID = "-//tradetruce//deadlines//EN"


def _icalendar() -> Any:
    try:
        import icalendar
    except ImportError:
        raise IcalMissingError() from None
    return icalendar


def scenario_key(scenario: Scenario) -> str:
    """A short stable key for ``scenario``: a hash of its title and its first source's id.

    >>> import tradetruce as tt
    >>> key = scenario_key(tt.load_seed())
    >>> len(key), key == scenario_key(tt.load_seed())
    (12, True)
    """
    first = scenario.sources[0].id if scenario.sources else ""
    return hashlib.sha256(f"{scenario.title}\x00{first}".encode()).hexdigest()[:12]


def _stamp(deadline: Deadline, published: Mapping[str, When | None]) -> _dt.datetime:
    """The latest recorded time of the deadline's entries, in UTC, to the second."""
    latest = max(recorded_time(entry, published).upper for entry in deadline.history)
    return latest.astimezone(_dt.UTC).replace(microsecond=0)


def _sequence(deadline: Deadline) -> int:
    """How many times the due time changed along the deadline's history (its extensions to a
    new due time): the event's ``SEQUENCE``."""
    dues = [entry.due for entry in deadline.corrected_history if entry.due is not None]
    return sum(1 for before, after in itertools.pairwise(dues) if after != before)


def _dates(due: When) -> tuple[_dt.date, _dt.date, str]:
    """First and last local day of an inexact due time, and a remark about an open end."""
    if due.earliest is OPEN_START:
        day = due.latest.date()
        return day, day, "open start: due by this day at the latest"
    if due.latest is OPEN_END:
        day = due.earliest.date()
        return day, day, "open end: due on this day or later, no end date given"
    return due.earliest.date(), due.latest.date(), ""


def _claims(deadline: Deadline) -> tuple[DeadlineEntry, ...]:
    """The competing claims about the event that set the deadline's due time, when they
    disagree; ``()`` when they agree."""
    reading = read(deadline.corrected_history)
    setter = next(e for e in reversed(reading.entries) if e.due is not None)
    return next((g for g in reading.disagreements if any(e is setter for e in g)), ())


def _vague(due: When) -> bool:
    """True when a due time is only known to a span: not an instant and not one plain day."""
    if due.instant is not None:
        return not due.is_exact  # about a time of day: tentative
    day = due.start
    return due.is_range or day is None or day.day is None or day.qualifier is not Qualifier.EXACT


def _event(
    icalendar: Any, deadline: Deadline, key: str, published: Mapping[str, When | None]
) -> Any:
    due = deadline.due
    event = icalendar.Event()
    event.add("uid", f"{deadline.id}.{key}@tradetruce")
    event.add("dtstamp", _stamp(deadline, published))
    event.add("sequence", _sequence(deadline))
    event.add("summary", deadline.title)
    lines = [f"Due: {due}", f"Kind: {deadline.kind.value}", f"Status: {deadline.status.value}"]
    claims = _claims(deadline)
    if claims:
        said = "; ".join(
            f"{e.source} ({e.evidence.value}) gives "
            + (f"due {e.due}" if e.due is not None else "no due time")
            for e in claims
        )
        lines.append(f"Disputed due time: {said}.")
    if claims or _vague(due):
        event.add("status", "TENTATIVE")
    if due.instant is not None:
        # A plain datetime on a zoneinfo zone: the form icalendar writes as DTSTART;TZID=...
        # About a time of day spans its margin; an exact instant starts and ends at once.
        tz = zoneinfo.ZoneInfo(due.zone)
        event.add("dtstart", _dt.datetime.astimezone(due.lower, tz))
        event.add("dtend", _dt.datetime.astimezone(due.upper, tz))
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


def _dated(scenario: Scenario) -> list[Deadline]:
    """The scenario's deadlines with every due time counted from an event resolved from what
    the scenario knows; a deadline whose due time is still unknown (the event has not happened)
    has no day to put in a calendar and is left out."""
    found = []
    for deadline in scenario.deadlines:
        if has_relative(deadline):
            history = resolved_history(deadline, scenario._index.get, None, scenario.published)
            deadline = attrs.evolve(deadline, history=history)
        due = deadline.due
        if due.is_range and due.start is None and due.end is None:
            continue
        found.append(deadline)
    return found


def deadlines_ics(
    scenario: Scenario, *, name: str | None = None, namespace: str | None = None
) -> str:
    """Every deadline of ``scenario`` as an iCalendar document (text, CRLF line ends).

    Args:
        scenario: the scenario whose deadlines are written.
        name: the calendar's name (default: the scenario's title).
        namespace: the key that makes each event's ``UID`` unique to this scenario (default:
            :func:`scenario_key`); keep it when the scenario's title changes, so that calendar
            apps go on updating the events they imported.

    A deadline counted from an event (``due_after``) is written once the scenario knows the
    event, and left out while its due time is unknown.
    """
    icalendar = _icalendar()
    cal = icalendar.Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name or scenario.title or "tradetruce deadlines")
    key = namespace if namespace is not None else scenario_key(scenario)
    published = scenario.published
    for deadline in sorted(_dated(scenario), key=lambda d: d.due.sort_key):
        cal.add_component(_event(icalendar, deadline, key, published))
    cal.add_missing_timezones()
    text: str = cal.to_ical().decode("utf-8")
    return text

"""Suspensions, suspended measures, claims about one event across zones and precisions, and
disputed deadlines: the model's ways of saying "held back until", "one event, several
accounts" and "the sides disagree on the date"."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.model.deadline import Deadline, DeadlineKind
from tradetruce.model.entries import DeadlineEntry, Evidence, MeasureEntry
from tradetruce.model.lifecycle import DeadlineStatus, MeasureStatus
from tradetruce.model.measure import Measure, MeasureKind
from tradetruce.strategies import _args, _shapes, _text, _times
from tradetruce.values.calendar import Calendar
from tradetruce.values.suspension import Suspension, SuspensionEnd
from tradetruce.values.terms import Rate, Terms
from tradetruce.values.when import OPEN_END, When

#: How long a suspension runs, in days, and how its end is dated.
_RUNS: Final = _shapes.later(1, 400)
_ENDS: Final = st.sampled_from((SuspensionEnd.RESTORE, SuspensionEnd.EXPIRE))
#: Quarters of the rate a partial suspension holds back (0: none of it, shrinking there).
_QUARTERS: Final = st.integers(0, 4)
_CITED: Final = st.sampled_from((Evidence.REPORTED, Evidence.OFFICIAL, Evidence.CLAIMED))


@st.composite
def suspension_from(
    draw: st.DrawFn, instant: _dt.datetime, rate: Rate | None, zone: str | None = None
) -> Suspension:
    """A suspension starting at ``instant``: until a time value 1 to 400 days on (one time in
    four until further notice), of the whole measure or, with a percent ``rate``, of part of
    it. Shrinks to the whole measure until further notice."""
    until = None
    if draw(st.integers(0, 3)) != 3:
        until = draw(_RUNS).after(instant, zone or draw(_times.zones()))[1]
    portion = None
    if rate is not None and rate.is_ad_valorem and draw(st.booleans()):
        portion = Rate.percent(rate.value * draw(_QUARTERS) / 4)
    return Suspension(until=until, portion=portion, at_end=draw(_ENDS), note=draw(_text.notes))


def suspensions(*, rate: Rate | None = None) -> SearchStrategy[Suspension]:
    """Suspensions: of a whole measure or (with a percent ``rate``) part of it, until a time
    value or until further notice, restored or expiring at the end.

    Args:
        rate: the measure's rate, so that a portion is in its unit and not above it; without
            one, every suspension is of the whole measure.

    >>> from hypothesis import find
    >>> find(suspensions(), lambda s: True)
    Suspension(until=None, portion=None, at_end=<SuspensionEnd.RESTORE: 'restore'>, note='')
    """
    if rate is not None and not isinstance(rate, Rate):
        raise InvalidArgument(f"rate={rate!r} is not a Rate")
    return _shapes.starts.flatmap(lambda start: suspension_from(start, rate))


def suspended_measures(
    *,
    id: str | SearchStrategy[str] | None = None,
    extensions: int = 2,
    sources: Sequence[str] = ("s0",),
) -> SearchStrategy[Measure]:
    """Tariffs in force and then suspended, in whole or in part, for a time or until further
    notice; extended up to ``extensions`` times (each extension an amendment with its own
    source and evidence, which may also cut the rate, never below the part suspended); now and
    then restored, expired or withdrawn by a recorded entry at the end.

    Args:
        id: the id, or ids drawn from a strategy.
        extensions: the most extensions.
        sources: the source ids its entries cite.
    """
    most = _args.size("extensions", extensions)
    source_ids = _args.checked("sources", _args.nonempty_ids, sources)
    ids = _args.spec("id", id, _args.an_id)
    return _suspended_measures(ids, most, source_ids)


@st.composite
def _suspended_measures(
    draw: st.DrawFn, ids: _args.Spec, most: int, sources: tuple[str, ...]
) -> Measure:
    instant = draw(_shapes.starts)
    zone = draw(_times.zones())
    rate = Rate.percent(Decimal(draw(st.integers(0, 200))))
    pick = st.sampled_from(sources)

    def later(low: int, high: int) -> When:
        nonlocal instant
        instant, at = draw(_shapes.later(low, high)).after(instant, draw(_times.zones()))
        return at

    def cite() -> dict[str, Any]:
        evidence = draw(_CITED)
        return {
            "source": draw(pick),
            "evidence": evidence,
            "claimed_by": "p0" if evidence is Evidence.CLAIMED else None,
        }

    measure = Measure.propose(
        id=_args.drawn(draw, ids, _text.ids("m")),
        kind=MeasureKind.TARIFF,
        imposed_by="p0",
        targets=("p1",),
        rate=rate,
        at=_shapes.EXACT.around(instant, zone),
        source=draw(pick),
    ).transition(MeasureStatus.IN_FORCE, at=later(1, 60), source=draw(pick))
    at = later(1, 60)
    measure = measure.transition(
        MeasureStatus.PAUSED,
        at=at,
        suspension=draw(suspension_from(instant, rate)),
        note=draw(_text.notes),
        **cite(),
    )
    for _ in range(draw(st.integers(0, most))):
        at = later(1, 120)
        extension = draw(suspension_from(instant, rate))
        terms: Terms | None = None
        if draw(st.integers(0, 2)) == 2:
            # An extension that also cuts the rate: never below the part suspended.
            least = extension.portion.value if extension.portion else Decimal(0)
            rate = Rate.percent(least + (rate.value - least) * draw(_QUARTERS) / 4)
            terms = attrs.evolve(measure.terms, rate=rate)
        measure = measure.transition(
            MeasureStatus.PAUSED, at=at, suspension=extension, terms=terms, **cite()
        )
    ending = draw(
        st.sampled_from(
            (None, MeasureStatus.IN_FORCE, MeasureStatus.EXPIRED, MeasureStatus.WITHDRAWN)
        )
    )
    if ending is not None:
        measure = measure.transition(ending, at=later(1, 400), **cite())
    return measure


def claims_about_one_event(
    *, agree: bool | None = None
) -> SearchStrategy[tuple[MeasureEntry, ...]]:
    """A measure's history whose second event is told by several claims: the move at one
    instant written in several zones, and vaguer claims (its day, month or year in some zone,
    approximate or uncertain, a range of days around it) that contain that instant and say the
    same thing. With ``agree=False`` at least one claim at the same instant says something else
    (a dispute); with ``agree=True`` none does.

    The rule (:meth:`tradetruce.Entry.same_claim_slot`) reads every claim as one event; the
    first claim is always an exact one, so that a claim that disagrees has one to join.
    """
    if agree is not None:
        _args.flag("agree", agree)
    return _claims_about_one_event(agree)


_MOVES: Final = (MeasureStatus.SCHEDULED, MeasureStatus.IN_FORCE, MeasureStatus.PAUSED)
_CLAIMED: Final = st.sampled_from((Evidence.REPORTED, Evidence.OFFICIAL, Evidence.PROJECTED))


@st.composite
def _claims_about_one_event(draw: st.DrawFn, agree: bool | None) -> tuple[MeasureEntry, ...]:
    start = draw(_shapes.starts)
    instant = start + _dt.timedelta(
        days=draw(st.integers(1, 90)), seconds=draw(st.integers(0, 86399))
    )
    first = MeasureEntry(
        from_=None,
        to=MeasureStatus.PROPOSED,
        at=_shapes.EXACT.around(start, draw(_times.zones())),
        source="s0",
    )
    move = draw(st.sampled_from(_MOVES))
    others = tuple(s for s in _MOVES[:2] if s is not move)

    def claim(at: When, to: MeasureStatus) -> MeasureEntry:
        return MeasureEntry(
            from_=MeasureStatus.PROPOSED, to=to, at=at, source="s0", evidence=draw(_CLAIMED)
        )

    def exact() -> When:
        return _shapes.EXACT.around(instant, draw(_times.zones()))

    claims = [claim(exact(), move)]
    dissented = False
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            to = move
            if agree is not True and draw(st.integers(0, 2)) == 2:
                to, dissented = draw(st.sampled_from(others)), True
            claims.append(claim(exact(), to))
        else:
            claims.append(claim(_around(draw, instant), move))
    if agree is False and not dissented:
        claims.append(claim(exact(), draw(st.sampled_from(others))))
    rest = draw(st.permutations(claims[1:]))
    return (first, claims[0], *rest)


def _around(draw: st.DrawFn, instant: _dt.datetime) -> When:
    """A calendar value in some zone that contains ``instant`` (never the instant itself)."""
    zone = draw(_times.zones())
    shape = draw(_shapes.shapes.filter(lambda s: s != _shapes.EXACT))
    return shape.around(instant, zone)


def disputed_deadlines(
    *, id: str | SearchStrategy[str] | None = None, sources: Sequence[str] = ("s0", "s1")
) -> SearchStrategy[Deadline]:
    """Deadlines whose due time is disputed: the claims that create the deadline (or, now and
    then, that extend it) differ on the due time, and some give none at all. The winning claim
    (official) always gives one.

    Args:
        id: the id, or ids drawn from a strategy.
        sources: the source ids the claims cite.
    """
    source_ids = _args.checked("sources", _args.nonempty_ids, sources)
    ids = _args.spec("id", id, _args.an_id)
    return _disputed_deadlines(ids, source_ids)


@st.composite
def _disputed_deadlines(draw: st.DrawFn, ids: _args.Spec, sources: tuple[str, ...]) -> Deadline:
    instant = draw(_shapes.starts)
    at = draw(_shapes.shapes).around(instant, draw(_times.zones()))
    pick = st.sampled_from(sources)

    def due_after(low: int, high: int) -> When:
        return draw(_shapes.later(low, high)).after(instant, draw(_times.zones()))[1]

    def group(from_: DeadlineStatus | None, to: DeadlineStatus) -> list[DeadlineEntry]:
        official = DeadlineEntry(
            from_=from_,
            to=to,
            at=at,
            source=draw(pick),
            evidence=Evidence.OFFICIAL,
            due=due_after(1, 400),
        )
        rivals = [
            DeadlineEntry(
                from_=from_,
                to=to,
                at=at,
                source=draw(pick),
                evidence=Evidence.REPORTED,
                due=None if draw(st.booleans()) else _day_after(draw, official.due),
            )
            for _ in range(draw(st.integers(1, 2)))
        ]
        return list(draw(st.permutations([official, *rivals])))

    history: list[DeadlineEntry]
    if draw(st.booleans()):
        history = group(None, DeadlineStatus.PENDING)
    else:
        history = [
            DeadlineEntry(
                from_=None,
                to=DeadlineStatus.PENDING,
                at=at,
                source=draw(pick),
                due=due_after(1, 30),
            )
        ]
        instant += _dt.timedelta(days=draw(st.integers(1, 30)))
        at = _shapes.EXACT.around(instant, draw(_times.zones()))
        history += group(DeadlineStatus.PENDING, DeadlineStatus.EXTENDED)
    return Deadline(
        id=_args.drawn(draw, ids, _text.ids("d")),
        title=draw(_text.texts),
        kind=draw(st.sampled_from(list(DeadlineKind))),
        history=tuple(history),
    )


def _day_after(draw: st.DrawFn, due: When | None) -> When | None:
    """A day certainly after ``due`` (so a claim of it contradicts ``due``); ``None`` when
    ``due`` has no end (a claim that gives no due time contradicts it then)."""
    if due is None or due.latest is OPEN_END:
        return None
    zone = draw(_times.zones())
    day = (due.upper + _dt.timedelta(days=draw(st.integers(2, 400)))).astimezone(_times.tz(zone))
    return _times.in_zone(zone, Calendar(day.year, day.month, day.day))

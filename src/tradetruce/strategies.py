"""Hypothesis strategies that generate valid tradetruce objects, for your own property tests.

Needs the ``tradetruce[hypothesis]`` extra. Every object is built through the library's own
classes, so it passes their validation; scenarios are consistent as a whole (every id that is
referenced exists, histories are legal and chronological, sources have publication times).
Failing examples shrink towards small, readable objects: ids such as ``p0`` and ``m0``, UTC,
calendar days, few entries.

Keyword arguments narrow what is generated. Each takes a value or a strategy of values and is
checked when the strategy function is called (:class:`hypothesis.errors.InvalidArgument`).

>>> from hypothesis import given
>>> from tradetruce import MeasureKind, MeasureStatus
>>> @given(measures(kind=MeasureKind.TARIFF, status=MeasureStatus.PAUSED))
... def test_paused_tariffs(measure):
...     assert measure.status is MeasureStatus.PAUSED
>>> test_paused_tariffs()

Installing the extra also registers a Hypothesis plugin, so ``st.from_type(tradetruce.Measure)``
works without importing this module.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar, cast

import attrs
import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from hypothesis.strategies import SearchStrategy

from tradetruce.errors import IllegalTransitionError, InvalidTimeError, TradeTruceError
from tradetruce.model.deadline import Consequence, Deadline, DeadlineKind
from tradetruce.model.entries import (
    DeadlineEntry,
    Entry,
    Evidence,
    MeasureEntry,
    NegotiationEntry,
)
from tradetruce.model.history import Reading, read
from tradetruce.model.lifecycle import (
    DEADLINE,
    LIFECYCLES,
    MEASURE,
    NEGOTIATION,
    DeadlineStatus,
    Lifecycle,
    MeasureStatus,
    NegotiationStatus,
)
from tradetruce.model.measure import Link, LinkKind, Measure, MeasureKind
from tradetruce.model.negotiation import Negotiation, Round, Term
from tradetruce.model.party import Party, PartyKind
from tradetruce.model.scenario import Scenario
from tradetruce.model.source import Source, SourceKind
from tradetruce.model.tracked import Tracked
from tradetruce.values import _validate
from tradetruce.values.authority import Authority
from tradetruce.values.calendar import Calendar, Precision, Qualifier
from tradetruce.values.codes import HSCode
from tradetruce.values.scope import Exemption, ExemptionKind, ProducerRate, Scope
from tradetruce.values.suspension import Suspension, SuspensionEnd
from tradetruce.values.terms import Period, Quantity, Rate, Terms
from tradetruce.values.when import When

__all__ = [
    "ZONES",
    "ScenarioMachine",
    "calendars",
    "claims_about_one_event",
    "consequences",
    "deadlines",
    "deal_terms",
    "disputed_deadlines",
    "entries",
    "histories",
    "hs_codes",
    "links",
    "measures",
    "negotiations",
    "parties",
    "quantities",
    "rates",
    "readings",
    "rounds",
    "scenarios",
    "sources",
    "suspended_measures",
    "suspensions",
    "terms",
    "times",
    "zones",
]

T = TypeVar("T")
AnyLifecycle = Lifecycle[MeasureStatus] | Lifecycle[DeadlineStatus] | Lifecycle[NegotiationStatus]

#: Zones that exercise the hard cases: DST in both hemispheres, half- and quarter-hour offsets,
#: a zone that skips midnight, UTC, and the zones of the default scenario. UTC comes first, so
#: failing examples shrink to it.
ZONES = (
    "UTC",
    "America/New_York",
    "Asia/Shanghai",
    "Asia/Seoul",
    "Asia/Kuala_Lumpur",
    "Europe/Brussels",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/Santiago",
    "Pacific/Chatham",
)

#: The years generated values fall in (the model supports far more; tests need plausible ones).
MIN_YEAR, MAX_YEAR = 1990, 2040
#: Histories start in these years; the first day shrinks to 2000-01-01.
_HISTORY_START = (_dt.date(2000, 1, 1), _dt.date(2035, 12, 31))
_JURISDICTIONS = ("US", "CN", "EU", "KR", "MY", "JP", "DE", "MX", "CA", "VN", "IN", "BR")
_UNITS = ("tonne", "unit", "bushel", "net ton", "kg")
_CURRENCIES = ("USD", "CNY", "EUR", "KRW")
_LEGAL_BASES = ("Section 301", "IEEPA", "Section 232", "MOFCOM Announcement")


# ------------------------------------------------------------------------ argument checking
def _fail(name: str, value: object, wanted: str) -> InvalidArgument:
    return InvalidArgument(f"{name}={value!r}: expected {wanted}, or a strategy of them")


def _checked(name: str, check: Callable[[Any], T], value: object) -> T:
    try:
        return check(value)
    except (InvalidArgument, TypeError, ValueError) as exc:  # tradetruce's errors included
        raise InvalidArgument(f"{name}={value!r}: {exc}") from None


def _narrow(
    name: str, value: object, check: Callable[[Any], T], default: SearchStrategy[T]
) -> SearchStrategy[T]:
    """``default`` when ``value`` is None; a checked value as ``just``; a strategy, checked as
    it draws (a strategy cannot be checked before it is drawn from)."""
    if value is None:
        return default
    if isinstance(value, SearchStrategy):
        return value.map(functools.partial(_checked, name, check))
    return st.just(_checked(name, check, value))


def _enum(kind: type[Any]) -> Callable[[Any], Any]:
    def check(value: object) -> Any:
        if isinstance(value, kind):
            return value
        for member in kind:
            if isinstance(value, str) and member.value == value:
                return member
        allowed = ", ".join(repr(m.value) for m in kind)
        raise InvalidArgument(f"{value!r} is not a {kind.__name__}; allowed: {allowed}")

    return check


def _an_id(value: object) -> str:
    _validate.check_id(value)
    assert isinstance(value, str)
    return value


def _id_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgument(f"{value!r} is not a sequence of ids")
    for item in value:
        _validate.check_id(item)
    if len(set(value)) != len(value):
        raise InvalidArgument(f"{value!r} repeats an id")
    return tuple(value)


def _nonempty_ids(value: object) -> tuple[str, ...]:
    ids = _id_tuple(value)
    if not ids:
        raise InvalidArgument("needs at least one id")
    return ids


def _size(name: str, value: object, *, low: int = 0) -> int:
    if type(value) is not int or value < low:
        raise InvalidArgument(f"{name}={value!r}: expected a whole number >= {low}")
    return value


def _flag(name: str, value: object) -> bool:
    if type(value) is not bool:
        raise InvalidArgument(f"{name}={value!r}: expected True or False")
    return value


def _lifecycle(value: object) -> AnyLifecycle:
    """A lifecycle from itself, its name, an entity class or an entry class."""
    by_class: Mapping[object, AnyLifecycle] = {
        Measure: MEASURE,
        Deadline: DEADLINE,
        Negotiation: NEGOTIATION,
        MeasureEntry: MEASURE,
        DeadlineEntry: DEADLINE,
        NegotiationEntry: NEGOTIATION,
        MeasureStatus: MEASURE,
        DeadlineStatus: DEADLINE,
        NegotiationStatus: NEGOTIATION,
    }
    if isinstance(value, Lifecycle):
        return value
    if isinstance(value, str) and value in LIFECYCLES:
        return LIFECYCLES[value]
    if isinstance(value, type) and value in by_class:
        return by_class[value]
    raise InvalidArgument(
        f"{value!r} is not a lifecycle; expected MEASURE, DEADLINE or NEGOTIATION, their names "
        "('measure', 'deadline', 'negotiation'), or Measure, Deadline or Negotiation"
    )


_ENTRY_OF: Mapping[str, type[Entry[Any]]] = {
    "measure": MeasureEntry,
    "deadline": DeadlineEntry,
    "negotiation": NegotiationEntry,
}


# ------------------------------------------------------------------------------------ text
_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))


@functools.cache
def _text(*, max_size: int = 10) -> SearchStrategy[str]:
    """Non-empty printable text (any script), shrinking to ``"0"``."""
    return st.text(_CHARS, min_size=1, max_size=max_size).filter(str.strip)


@functools.cache
def _ids(prefix: str) -> SearchStrategy[str]:
    """Valid ids: mostly ``prefix`` plus a number (``p0``), sometimes any legal id."""
    simple = st.integers(0, 99).map(lambda i: f"{prefix}{i}")
    general = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,14}[a-z0-9]", fullmatch=True)
    return st.one_of(simple, general)


# ------------------------------------------------------------------------- seeded choices
_SEED_BITS = 512
# Bytes rather than an integer: Hypothesis draws integers this wide mostly small, and bytes
# shrink the way the reading below needs (earlier bytes first, towards zero).
_SEED = st.binary(min_size=_SEED_BITS // 8, max_size=_SEED_BITS // 8)
#: Characters that trip up text handling: accents, CJK, emoji, a line separator, quotes,
#: backslashes, tabs and newlines, combining marks, right-to-left text.
_TRICKY = (
    "é",
    "中国",
    "😀",
    "\u2028",
    '"',
    "'",
    "\\",
    "\t",
    "\n",
    "e\u0301",
    "עברית",
    "ﬁ",
    " ",
    "#",
    "[",
    "=",
)
_PLAIN = "abcdefghijklmnopqrstuvwxyz0123456789"


class _Seed:
    """Choices read from a few large integers that Hypothesis draws.

    Entities and scenarios need hundreds of small choices; drawing each from Hypothesis costs
    tens of microseconds, so instead each 64-byte draw is cut into bit fields, one per choice
    (the first choices from its most significant end), and a new one is drawn when it runs out.
    Zero bytes read as the first option of every choice, so shrinking the bytes towards zero
    shrinks objects towards the simplest ones.
    """

    __slots__ = ("_bits", "_draw", "_n")

    def __init__(self, draw: st.DrawFn) -> None:
        self._draw = draw
        self._n = 0
        self._bits = 0

    def number(self, low: int, high: int) -> int:
        span = high - low + 1
        width = (span - 1).bit_length()
        if width > self._bits:
            self._n = int.from_bytes(self._draw(_SEED), "big")
            self._bits = _SEED_BITS
        # Each choice takes its own bits, from the most significant end, so that shrinking
        # one choice's bits towards zero leaves the other choices alone.
        self._bits -= width
        field = self._n >> self._bits
        self._n &= (1 << self._bits) - 1
        return low + ((field * span) >> width)

    def flip(self) -> bool:
        return self.number(0, 1) == 1

    def few(self, most: int) -> int:
        """A count up to ``most``, small more often than large (the lesser of two draws)."""
        return min(self.number(0, most), self.number(0, most))

    def chance(self, one_in: int) -> bool:
        """True about once in ``one_in``; False when shrunk."""
        return self.number(0, one_in - 1) == one_in - 1

    def pick(self, options: Sequence[T]) -> T:
        return options[self.number(0, len(options) - 1)]

    def text(self) -> str:
        """Non-empty text: short and plain mostly, now and then with tricky characters."""
        if not self.chance(3):
            return "".join(self.pick(_PLAIN) for _ in range(self.number(1, 4)))
        parts = [self.pick(_TRICKY) if self.flip() else self.pick(_PLAIN) for _ in range(4)]
        text = "".join(parts[: self.number(1, 4)])
        return text if text.strip() else "x" + text

    def maybe_text(self) -> str:
        return self.text() if self.chance(4) else ""

    def start(self) -> _dt.datetime:
        """An instant to start a history at, shrinking to midnight UTC, 1 January 2000."""
        first, last = _HISTORY_START
        day = first + _dt.timedelta(days=self.number(0, (last - first).days))
        seconds = self.number(0, 86399) if self.flip() else 0
        return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC) + _dt.timedelta(
            seconds=seconds
        )

    def decimal(self, high: int, places: int) -> Decimal:
        return Decimal(self.number(0, high * 10**places)).scaleb(-places)

    def rate(self) -> Rate:
        value = self.decimal(1000, self.number(0, 2))
        if self.chance(4):
            return Rate.specific(value, currency=self.pick(_CURRENCIES), per=self.pick(_UNITS))
        return Rate.percent(value)

    def quantity(self) -> Quantity:
        return Quantity(
            self.decimal(10**8, 0),
            self.pick(_UNITS),
            self.pick(tuple(Period)),
            self.pick((None, "soybeans", "rare earths", "steel")),
        )

    def hs_code(self) -> HSCode:
        digits = self.pick((4, 2, 6, 8, 10))
        code = "".join(str(self.number(0, 9)) for _ in range(digits))
        if digits >= 6 and self.chance(4):
            code = _dotted(code)
        return HSCode(code, self.pick((None, "HS2022", "HS2017")))


# ------------------------------------------------------------------------- cached primitives
# Internal generation calls plain functions with ``draw`` and draws from these shared,
# memoised strategies: building and validating a fresh strategy for every draw would cost more
# than everything else put together.
@functools.cache
def _ints(low: int, high: int) -> SearchStrategy[int]:
    return st.integers(low, high)


def _pick(options: tuple[Any, ...]) -> SearchStrategy[Any]:
    # Keyed by type too: a StrEnum member equals (and hashes like) its text value.
    return _pick_cached(options, tuple(type(o) for o in options))


@functools.cache
def _pick_cached(options: tuple[Any, ...], _types: tuple[type, ...]) -> SearchStrategy[Any]:
    return st.sampled_from(options)


_BOOLS = st.booleans()


def _chance(draw: st.DrawFn, one_in: int) -> bool:
    """True about once in ``one_in`` draws; shrinks to False."""
    return draw(_ints(0, one_in - 1)) == one_in - 1


def _maybe_text(draw: st.DrawFn, *, one_in: int = 4) -> str:
    return draw(_text()) if _chance(draw, one_in) else ""


def _maybe(draw: st.DrawFn, strategy: SearchStrategy[T], *, one_in: int = 2) -> T | None:
    return draw(strategy) if _chance(draw, one_in) else None


# ---------------------------------------------------------------------------------- values
def zones() -> SearchStrategy[str]:
    """IANA zone names from :data:`ZONES`, shrinking towards UTC."""
    return _pick(ZONES)


@functools.cache
def calendars(*, precision: Precision | None = None) -> SearchStrategy[Calendar]:
    """Calendar years, months and days with every EDTF qualifier, shrinking to exact days.

    Args:
        precision: only this precision (``Precision.DAY``, ``MONTH`` or ``YEAR``).
    """
    levels = (Precision.DAY, Precision.MONTH, Precision.YEAR)
    if precision is not None and precision not in levels:
        raise InvalidArgument(f"precision={precision!r}: expected DAY, MONTH or YEAR")
    level = st.just(precision) if precision is not None else st.sampled_from(levels)
    return st.builds(
        _calendar,
        st.dates(_dt.date(MIN_YEAR, 1, 1), _dt.date(MAX_YEAR, 12, 31)),
        level,
        st.sampled_from(list(Qualifier)),
    )


def _calendar(day: _dt.date, precision: Precision, qualifier: Qualifier) -> Calendar:
    if precision is Precision.YEAR:
        return Calendar(day.year, qualifier=qualifier)
    if precision is Precision.MONTH:
        return Calendar(day.year, day.month, qualifier=qualifier)
    return Calendar(day.year, day.month, day.day, qualifier)


@functools.cache
def _transitions(name: str) -> tuple[int, ...]:
    """UTC timestamps (seconds) at which ``name`` changes its offset, 2015-2035."""
    tz = pendulum.timezone(name)
    start = int(_dt.datetime(2015, 1, 1, tzinfo=_dt.UTC).timestamp())
    end = int(_dt.datetime(2036, 1, 1, tzinfo=_dt.UTC).timestamp())

    def offset(ts: int) -> _dt.timedelta | None:
        return _dt.datetime.fromtimestamp(ts, tz).utcoffset()

    found = []
    step = 86400
    for ts in range(start, end, step):
        if offset(ts) != offset(ts + step):
            lo, hi = ts, ts + step  # the offsets at lo and hi differ: bisect to the second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(mid) == offset(lo) else (lo, mid)
            found.append(hi)
    return tuple(found)


@functools.cache
def _tz(zone: str) -> pendulum.Timezone:
    return pendulum.timezone(zone)


def _in_zone(instant: _dt.datetime, zone: str) -> When:
    return When.exact(instant.astimezone(_tz(zone)))


@functools.cache
def _instants(zone: str) -> SearchStrategy[When]:
    plain = st.datetimes(
        min_value=_dt.datetime(MIN_YEAR, 1, 2),
        max_value=_dt.datetime(MAX_YEAR, 12, 30),
        timezones=st.just(pendulum.timezone(zone)),
    ).map(When.exact)
    edges = _transitions(zone)
    if not edges:
        return plain
    # The hours around a clock change, where wall times repeat or never happen.
    near_edge = st.builds(
        lambda ts, delta: _in_zone(_dt.datetime.fromtimestamp(ts + delta, _dt.UTC), zone),
        st.sampled_from(edges),
        st.integers(-5400, 5400),
    )
    return st.one_of(plain, near_edge)


def _ranged(zone: str, a: Calendar | None, b: Calendar | None) -> When | None:
    if a is not None and b is not None and b.last_day() < a.first_day():
        a, b = b, a
    if a is not None and b is not None and b.last_day() < a.first_day():
        b = None  # qualifiers can leave even swapped ends disjoint
    if a is None and b is None:
        return When(zone, start=Calendar(2000, 1, 1))
    return _or_none(When.between, a, b, zone)


def _day_in(zone: str, c: Calendar) -> When | None:
    return _or_none(When, zone, start=c)


def _or_none(make: Callable[..., When], *args: Any, **kwargs: Any) -> When | None:
    # A zone that once skipped a whole day (Pacific/Apia, 30 December 2011) has no instant in
    # it: such values are refused, so the strategies leave them out.
    try:
        return make(*args, **kwargs)
    except InvalidTimeError:
        return None


def _existing(values: SearchStrategy[When | None]) -> SearchStrategy[When]:
    """``values`` without the ``None`` that :func:`_or_none` gives for days a zone skipped."""
    return cast("SearchStrategy[When]", values.filter(lambda w: w is not None))


@functools.cache
def _times(zone: str, level: Precision | None, exact: bool | None) -> SearchStrategy[When]:
    if level is Precision.INSTANT or exact is True:
        return _instants(zone)
    day_in = functools.partial(_day_in, zone)
    if level is not None:
        return _existing(calendars(precision=level).map(day_in))
    single = _existing(calendars().map(day_in))
    ranged = _existing(
        st.builds(
            functools.partial(_ranged, zone), st.none() | calendars(), st.none() | calendars()
        )
    )
    if exact is False:
        return single | ranged
    return st.one_of(single, _instants(zone), ranged)


@functools.cache
def _any_time() -> SearchStrategy[When]:
    return zones().flatmap(lambda z: _times(z, None, None))


def times(
    *,
    zone: str | SearchStrategy[str] | None = None,
    exact: bool | None = None,
    precision: Precision | str | SearchStrategy[Precision] | None = None,
) -> SearchStrategy[When]:
    """Time values across zones, precisions, qualifiers, ranges and DST edges.

    Shrinks towards a calendar day in UTC.

    Args:
        zone: only this IANA zone (or zones drawn from a strategy).
        exact: True for exact instants only, False for calendar values and ranges only.
        precision: only values of this precision (``INSTANT`` means exact instants); ranges
            are left out when a calendar precision is asked for.

    >>> from hypothesis import find
    >>> str(find(times(), lambda w: True))
    '2000-01-01[UTC]'
    """
    if exact is not None:
        _flag("exact", exact)
    if zone is None and exact is None and precision is None:
        return _any_time()
    zone_st = _narrow("zone", zone, _zone_name, zones())
    precision_st: SearchStrategy[Precision | None] = _narrow(
        "precision", precision, _enum(Precision), st.none()
    )
    if precision is not None and not isinstance(precision, SearchStrategy):
        level = _checked("precision", _enum(Precision), precision)
        if exact is True and level is not Precision.INSTANT:
            raise InvalidArgument(f"exact=True contradicts precision={precision!r}")
        if exact is False and level is Precision.INSTANT:
            raise InvalidArgument("exact=False contradicts precision=INSTANT")
    return st.tuples(zone_st, precision_st).flatmap(lambda zp: _times(zp[0], zp[1], exact))


def _zone_name(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidArgument(f"{value!r} is not an IANA zone name")
    When(value, start=Calendar(2000))  # raises InvalidTimeError for an unknown zone
    return value


@functools.cache
def hs_codes(*, level: int | None = None) -> SearchStrategy[HSCode]:
    """HS codes of every level, with and without an edition (leading zeros included); codes of
    six digits or more are sometimes written with dots (``9903.01.24``).

    Args:
        level: only codes of this many digits (2, 4, 6, 8 or 10).
    """
    if level is not None and (type(level) is not int or level not in (2, 4, 6, 8, 10)):
        raise InvalidArgument(f"level={level!r}: expected 2, 4, 6, 8 or 10")
    digits = st.just(level) if level is not None else st.sampled_from([4, 2, 6, 8, 10])
    plain = digits.flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))
    written = st.tuples(plain, st.booleans()).map(
        lambda pair: _dotted(pair[0]) if pair[1] and len(pair[0]) >= 6 else pair[0]
    )
    return st.builds(HSCode, written, st.none() | st.sampled_from(["HS2022", "HS2017", "HS2012"]))


def _dotted(code: str) -> str:
    """``99030124`` as tariff schedules write it: ``9903.01.24``."""
    return ".".join([code[:4], *(code[i : i + 2] for i in range(4, len(code), 2))])


@functools.cache
def rates(*, ad_valorem: bool | None = None) -> SearchStrategy[Rate]:
    """Ad valorem (percent) and specific rates, as Decimals.

    Args:
        ad_valorem: True for percent rates only, False for specific rates only.
    """
    if ad_valorem is not None:
        _flag("ad_valorem", ad_valorem)
    value = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False)
    percent = value.map(Rate.percent)
    specific = st.builds(
        lambda v, c, p: Rate.specific(v, currency=c, per=p),
        value,
        st.sampled_from(_CURRENCIES),
        st.sampled_from(_UNITS),
    )
    if ad_valorem is True:
        return percent
    if ad_valorem is False:
        return specific
    return percent | specific


@functools.cache
def quantities() -> SearchStrategy[Quantity]:
    """Quotas and purchase amounts: a Decimal amount of a unit, per period, of a commodity."""
    return st.builds(
        Quantity,
        st.decimals(min_value=0, max_value=10**9, places=0, allow_nan=False),
        st.sampled_from(_UNITS) | _text(),
        st.sampled_from(list(Period)),
        st.none() | st.sampled_from(("soybeans", "rare earths", "steel")) | _text(),
    )


@functools.cache
def terms() -> SearchStrategy[Terms]:
    """A measure's terms (rate, quantity, legal basis, effective and expiry times), shrinking
    to empty terms."""
    return st.builds(
        _terms,
        st.none() | rates(),
        st.none() | quantities(),
        st.none() | st.sampled_from(_LEGAL_BASES),
        st.none() | times(),
        st.none() | times(),
    )


def _terms(
    rate: Rate | None,
    quantity: Quantity | None,
    legal_basis: str | None,
    effective: When | None,
    expires: When | None,
) -> Terms:
    if effective is not None and expires is not None and expires.definitely_before(effective):
        effective, expires = expires, effective
    return Terms(rate, quantity, legal_basis, effective, expires)


def sources(
    *,
    id: str | SearchStrategy[str] | None = None,
    kind: SourceKind | str | SearchStrategy[SourceKind] | None = None,
    published: bool | None = None,
) -> SearchStrategy[Source]:
    """Sources (reports, statements, legal texts).

    Args:
        id: the id, or ids drawn from a strategy.
        kind: only this kind of source.
        published: True to always give a publication time (what a Scenario needs for entries
            without their own recorded time), False never to.
    """
    if published is not None:
        _flag("published", published)
    id_st = _narrow("id", id, _an_id, _ids("s"))
    kind_st = _narrow("kind", kind, _enum(SourceKind), _pick(tuple(SourceKind)))

    @st.composite
    def build(draw: st.DrawFn) -> Source:
        return _draw_source(_Seed(draw), draw(id_st), draw(kind_st), published)

    return build()


def _draw_source(r: _Seed, id: str, kind: SourceKind, published: bool | None) -> Source:
    when = None
    if published is True or (published is None and r.flip()):
        when = _moment(r, r.start(), r.pick(ZONES))
    return Source(
        id,
        r.text(),
        kind,
        publisher=r.text() if r.chance(2) else None,
        published=when,
        url=r.pick((None, "https://example.org/a", "https://example.org/b")),
    )


@functools.cache
def _moment_strategy() -> SearchStrategy[When]:
    @st.composite
    def moment(draw: st.DrawFn) -> When:
        r = _Seed(draw)
        return _moment(r, r.start(), r.pick(ZONES))

    return moment()


def parties(
    *,
    id: str | SearchStrategy[str] | None = None,
    kind: PartyKind | str | SearchStrategy[PartyKind] | None = None,
    parent: str | SearchStrategy[str | None] | None = None,
) -> SearchStrategy[Party]:
    """Parties: states, blocs, bodies, officials, companies.

    Args:
        id: the id, or ids drawn from a strategy.
        kind: only this kind of party.
        parent: the parent's id (``None``: sometimes a parent, sometimes not).
    """
    id_st = _narrow("id", id, _an_id, _ids("p"))
    kind_st = _narrow("kind", kind, _enum(PartyKind), _pick(tuple(PartyKind)))
    parent_st: SearchStrategy[str | None] = _narrow(
        "parent", parent, _optional(_an_id), st.none() | _ids("p")
    )

    @st.composite
    def build(draw: st.DrawFn) -> Party:
        return _draw_party(_Seed(draw), draw(id_st), draw(parent_st), draw(kind_st))

    return build()


def _optional(check: Callable[[Any], T]) -> Callable[[Any], T | None]:
    return lambda value: None if value is None else check(value)


def _draw_party(r: _Seed, id: str, parent: str | None, kind: PartyKind | None) -> Party:
    return Party(
        id,
        r.text(),
        kind if kind is not None else r.pick(tuple(PartyKind)),
        jurisdiction=r.pick((None, *_JURISDICTIONS)),
        parent=None if parent == id else parent,
        title=r.text() if r.chance(4) else None,
        aliases=(r.text(),) if r.chance(4) else (),
        customs_union=kind is PartyKind.BLOC and r.chance(2),
    )


def links(*, measures: Sequence[str] | SearchStrategy[str] | None = None) -> SearchStrategy[Link]:
    """Typed links to other measures.

    Args:
        measures: the ids links may point to (a sequence to choose from, or a strategy).
    """
    target: SearchStrategy[str]
    if measures is None:
        target = _ids("m")
    elif isinstance(measures, SearchStrategy):
        target = _narrow("measures", measures, _an_id, _ids("m"))
    else:
        target = st.sampled_from(_checked("measures", _nonempty_ids, measures))
    return st.builds(Link, st.sampled_from(list(LinkKind)), target)


def _entity_pool(name: str, value: Mapping[str, Any] | None) -> dict[str, AnyLifecycle]:
    if value is None:
        return {"m0": MEASURE, "m1": MEASURE, "d0": DEADLINE, "n0": NEGOTIATION}
    if not isinstance(value, Mapping) or not value:
        raise InvalidArgument(f"{name}={value!r}: expected a non-empty mapping id -> lifecycle")
    return {_checked(name, _an_id, k): _checked(name, _lifecycle, lc) for k, lc in value.items()}


def consequences(*, entities: Mapping[str, Any] | None = None) -> SearchStrategy[Consequence]:
    """What a deadline does if it passes: move an entity to a status of its own lifecycle.

    Args:
        entities: id -> lifecycle (or its name, or the entity class) of the entities a
            consequence may name; default: a few measures, deadlines and negotiations.
    """
    pool = tuple(sorted(_entity_pool("entities", entities).items()))

    @st.composite
    def build(draw: st.DrawFn) -> Consequence:
        return _draw_consequence(_Seed(draw), pool)

    return build()


def _draw_consequence(r: _Seed, pool: tuple[tuple[str, AnyLifecycle], ...]) -> Consequence:
    entity, lifecycle = pool[r.number(0, len(pool) - 1)]
    to = r.pick(tuple(s.value for s in lifecycle.status_type))
    return Consequence(entity, to, note=r.maybe_text())


def deal_terms(*, entities: Mapping[str, Any] | None = None) -> SearchStrategy[Term]:
    """What a deal would do to one entity (:class:`tradetruce.Term`): a status it moves the
    entity to, new measure terms, or a new due time for a deadline.

    Args:
        entities: id -> lifecycle (or its name, or the entity class) of the entities a term
            may act on; default: a few measures, deadlines and negotiations.
    """
    pool = tuple(sorted(_entity_pool("entities", entities).items()))

    @st.composite
    def build(draw: st.DrawFn) -> Term:
        return _draw_term(_Seed(draw), pool)

    return build()


def _draw_term(r: _Seed, pool: tuple[tuple[str, AnyLifecycle], ...]) -> Term:
    entity, lifecycle = pool[r.number(0, len(pool) - 1)]
    statuses = tuple(s.value for s in lifecycle.status_type)
    to = r.pick(statuses) if r.flip() else None
    changes: dict[str, Any] = {}
    if lifecycle is MEASURE and (to is None or r.chance(3)):
        new = _draw_terms(r, r.start())
        changes = {
            "effective": new.effective,
            "expires": new.expires,
            "rate": new.rate,
            "quantity": new.quantity,
        }
    elif lifecycle is DEADLINE and (to is None or r.chance(3)):
        changes = {"due": _moment(r, r.start(), r.pick(ZONES))}
    if to is None and all(v is None for v in changes.values()):
        to = r.pick(statuses)
    return Term(entity=entity, to=to, detail=r.maybe_text(), **changes)


# ------------------------------------------------------------------------------ histories
def _distances(lifecycle: AnyLifecycle, target: Any) -> Mapping[Any, int]:
    """Status -> the fewest moves that reach ``target`` (unreachable statuses are left out)."""
    return _distances_by_name(lifecycle.name, target)


@functools.cache
def _distances_by_name(name: str, target: Any) -> Mapping[Any, int]:
    lifecycle = LIFECYCLES[name]
    dist = {target: 0}
    frontier = [target]
    while frontier:
        nxt = []
        for status in frontier:
            for source, targets in lifecycle.table.items():
                if status in targets and source not in dist:
                    dist[source] = dist[status] + 1
                    nxt.append(source)
        frontier = nxt
    return dist


@functools.cache
def _moves(name: str, status: Any) -> tuple[Any, ...]:
    """Legal next statuses, in the order of the enumeration (so shrinking prefers early ones);
    a measure may also move to its own status (an amendment of its terms)."""
    lifecycle = LIFECYCLES[name]
    moves = set(lifecycle.table[status])
    if lifecycle is MEASURE and not lifecycle.is_terminal(status):
        moves.add(status)
    return tuple(s for s in lifecycle.status_type if s in moves)


def _draw_path(r: _Seed, lifecycle: AnyLifecycle, target: Any, max_size: int) -> list[Any]:
    """A legal sequence of statuses from the initial one to ``target``."""
    dist = _distances(lifecycle, target)
    path = [lifecycle.initial]
    budget = max(max_size - 1, dist[lifecycle.initial])
    while True:
        current = path[-1]
        # Nearest to the target first, so that shrinking gives the shortest legal path.
        options = tuple(
            sorted(
                (s for s in _moves(lifecycle.name, current) if dist.get(s, budget) < budget),
                key=lambda s: dist[s],
            )
        )
        if not options:
            break
        if current == target and not r.flip():
            break
        path.append(r.pick(options))
        budget -= 1
    return path


def _moment(r: _Seed, instant: _dt.datetime, zone: str) -> When:
    """A time value that contains ``instant``: the day (most often), the instant, the month,
    the year, a qualified day or month, or a range around it, possibly open at one end."""
    local = instant.astimezone(_tz(zone)).date()
    form = r.number(0, 6)
    if form == 0:
        return When.day(local.year, local.month, local.day, zone)
    if form == 1:
        return _in_zone(instant, zone)
    if form == 2:
        return When.month(local.year, local.month, zone)
    if form == 3:
        return When.year(local.year, zone)
    if form == 4:
        q = r.pick((Qualifier.APPROXIMATE, Qualifier.UNCERTAIN))
        if r.flip():
            return When.month(local.year, local.month, zone, qualifier=q)
        return When.day(local.year, local.month, local.day, zone, qualifier=q)
    before = local - _dt.timedelta(days=r.number(0, 10))
    after = local + _dt.timedelta(days=r.number(0, 10))
    a: Calendar | None = Calendar(before.year, before.month, before.day)
    b: Calendar | None = Calendar(after.year, after.month, after.day)
    if form == 6:
        if r.flip():
            a = None
        else:
            b = None
    return When.between(a, b, zone)


@functools.cache
def _history_start() -> SearchStrategy[_dt.datetime]:
    return st.builds(
        lambda d, s: (
            _dt.datetime(d.year, d.month, d.day, tzinfo=_dt.UTC) + _dt.timedelta(seconds=s)
        ),
        st.dates(*_HISTORY_START),
        st.integers(0, 86399),
    )


def _draw_history(
    r: _Seed,
    lifecycle: AnyLifecycle,
    target: Any,
    sources: tuple[str, ...],
    parties: tuple[str, ...],
    max_size: int,
    claims: bool,
    start: _dt.datetime | None = None,
) -> tuple[Any, ...]:
    path = _draw_path(r, lifecycle, target, max_size)
    entry_type = _ENTRY_OF[lifecycle.name]
    instant = start if start is not None else r.start()
    history: list[Entry[Any]] = []
    previous: Any = None
    for i, status in enumerate(path):
        if i:
            instant += _dt.timedelta(days=r.number(1, 90))
        at = _moment(r, instant, r.pick(ZONES))
        if history and (at.lo_us, at.hi_us) == (history[-1].at.lo_us, history[-1].at.hi_us):
            at = _in_zone(instant, at.zone)  # equal spans would make two events one claim slot
        args = (entry_type, previous, status, at, instant, sources, parties, i == 0)
        history.append(_draw_entry(r, *args))
        if claims and r.chance(10):
            # A rival claim about the same event: same time, same move, other provenance.
            history.append(_draw_entry(r, *args))
        previous = status
    return tuple(history)


def _draw_entry(
    r: _Seed,
    entry_type: type[Entry[Any]],
    from_: Any,
    to: Any,
    at: When,
    instant: _dt.datetime,
    sources: tuple[str, ...],
    parties: tuple[str, ...],
    first: bool,
) -> Entry[Any]:
    evidence_options: tuple[Evidence, ...] = (
        Evidence.REPORTED,
        Evidence.OFFICIAL,
        Evidence.PROJECTED,
    )
    if parties:
        evidence_options += (Evidence.CLAIMED,)
    evidence = r.pick(evidence_options)
    claimed_by = r.pick(parties) if evidence is Evidence.CLAIMED else None
    recorded = None
    if r.chance(5):
        later = instant + _dt.timedelta(days=r.number(-30, 30))
        recorded = _moment(r, later, r.pick(ZONES))
    extra: dict[str, Any] = {}
    if entry_type is MeasureEntry:
        if from_ == to or first or r.flip():
            extra["terms"] = _draw_terms(r, instant, parties)
        if to is MeasureStatus.PAUSED and r.chance(3):
            extra["suspension"] = _draw_suspension(r, instant, None)
    elif entry_type is DeadlineEntry and (first or to is DeadlineStatus.EXTENDED):
        due = instant + _dt.timedelta(days=r.number(1, 400))
        extra["due"] = _moment(r, due, r.pick(ZONES))
    return entry_type(
        from_=from_,
        to=to,
        at=at,
        source=r.pick(sources),
        recorded=recorded,
        evidence=evidence,
        claimed_by=claimed_by,
        note=r.maybe_text(),
        **extra,
    )


def _draw_terms(r: _Seed, instant: _dt.datetime, parties: tuple[str, ...] = ()) -> Terms:
    """Plausible terms: effective a little after ``instant``, expiring later still; now and then
    with a scope naming ``parties``."""
    effective = expires = None
    if r.flip():
        starts = instant + _dt.timedelta(days=r.number(0, 60))
        effective = _moment(r, starts, r.pick(ZONES))
        if r.flip():
            ends = starts + _dt.timedelta(days=r.number(30, 800))
            expires = _moment(r, ends, r.pick(ZONES))
    rate = r.rate() if r.flip() else None
    terms = _terms(
        rate,
        r.quantity() if r.chance(4) else None,
        r.pick((None, *_LEGAL_BASES)),
        effective,
        expires,
    )
    if r.chance(4):
        terms = attrs.evolve(terms, scope=_draw_scope(r, rate, parties))
    if r.chance(3):
        instrument = r.pick((None, "EO 14257", "9903.01.24", "Regulation (EU) 2024/2754"))
        terms = attrs.evolve(terms, authority=r.pick(tuple(Authority)), instrument=instrument)
    return terms


def _draw_scope(r: _Seed, rate: Rate | None, parties: tuple[str, ...]) -> Scope:
    """A scope naming some of ``parties``; producer and residual rates are never below ``rate``
    and in its unit, so a portion of ``rate`` is a portion of each."""

    def higher() -> Rate:
        if rate is None:
            return r.rate()
        return attrs.evolve(rate, value=rate.value + r.number(0, 30))

    origins = _draw_subset(r, parties, exclude=())
    excluded = _draw_subset(r, parties, exclude=origins)
    named = _draw_subset(r, parties, exclude=())
    return Scope(
        origins=origins,
        excluded_origins=excluded,
        products=tuple(r.hs_code() for _ in range(r.number(0, 2))),
        excluded_products=tuple(r.hs_code() for _ in range(r.number(0, 2))),
        producers=tuple(ProducerRate(producer=p, rate=higher()) for p in named),
        residual=higher() if r.flip() else None,
        exemptions=tuple(
            Exemption(holder=h, kind=r.pick(tuple(ExemptionKind)))
            for h in _draw_subset(r, parties, exclude=named)
        ),
    )


def _target(name: str, lifecycle: AnyLifecycle, status: object) -> SearchStrategy[Any]:
    return _narrow(name, status, _enum(lifecycle.status_type), _pick(tuple(lifecycle.status_type)))


def histories(
    kind: object,
    *,
    status: Any = None,
    sources: Sequence[str] = ("s0",),
    parties: Sequence[str] = ("p0", "p1"),
    max_size: int = 5,
    claims: bool = True,
) -> SearchStrategy[tuple[Any, ...]]:
    """Legal, chronological histories: tuples of entries ready to be an entity's ``history``.

    Every move is allowed by the lifecycle, times never go backwards, a deadline's first entry
    and extensions carry a due time, and a measure's amendments carry terms. Now and then an
    event has a rival claim (same time and move, other source or evidence).

    Args:
        kind: the lifecycle (``MEASURE``), its name (``"measure"``) or the entity class.
        status: the status the history ends in (a value or a strategy); default: any.
        sources: the source ids entries cite.
        parties: the party ids that may make claims (empty: no claimed evidence).
        max_size: the most moves, counting the first entry (raised when ``status`` needs more).
        claims: False for histories without rival claims.

    >>> from hypothesis import find
    >>> [e.to.value for e in find(histories("deadline", status="met"), lambda h: True)]
    ['pending', 'met']
    """
    lifecycle = _lifecycle(kind)
    target = _target("status", lifecycle, status)
    source_ids = _checked("sources", _nonempty_ids, sources)
    party_ids = _checked("parties", _id_tuple, parties)
    size = _size("max_size", max_size, low=1)
    with_claims = _flag("claims", claims)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Any, ...]:
        status = draw(target)
        return _draw_history(
            _Seed(draw), lifecycle, status, source_ids, party_ids, size, with_claims
        )

    return build()


def entries(kind: object = None, *, sources: Sequence[str] = ("s0",)) -> SearchStrategy[Entry[Any]]:
    """Single history entries (any legal move), of one lifecycle or of any.

    Args:
        kind: the lifecycle, its name, or the entity or entry class; default: any of the three.
        sources: the source ids entries cite.
    """
    kinds = (_lifecycle(kind),) if kind is not None else (MEASURE, DEADLINE, NEGOTIATION)
    kind_st = st.sampled_from(kinds)
    source_ids = _checked("sources", _nonempty_ids, sources)

    @st.composite
    def build(draw: st.DrawFn) -> Entry[Any]:
        lifecycle = draw(kind_st)
        r = _Seed(draw)
        target = r.pick(tuple(lifecycle.status_type))
        history = _draw_history(r, lifecycle, target, source_ids, ("p0",), 4, False)
        entry: Entry[Any] = r.pick(history)
        return entry

    return build()


def readings(kind: object = None) -> SearchStrategy[Reading[Any, Any]]:
    """What a history says at some moment (:class:`tradetruce.Reading`)."""
    kinds = (_lifecycle(kind),) if kind is not None else (MEASURE, DEADLINE, NEGOTIATION)
    kind_st = st.sampled_from(kinds)

    @st.composite
    def build(draw: st.DrawFn) -> Reading[Any, Any]:
        lifecycle = draw(kind_st)
        r = _Seed(draw)
        target = r.pick(tuple(lifecycle.status_type))
        history = _draw_history(r, lifecycle, target, ("s0",), ("p0",), 4, True)
        return read(history, draw(times()).upper)

    return build()


# ------------------------------------------------------------------------------- entities
def _draw_subset(
    r: _Seed, pool: Sequence[str], *, exclude: Sequence[str] = (), max_size: int = 3
) -> tuple[str, ...]:
    options = tuple(p for p in pool if p not in exclude)
    if not options:
        return ()
    chosen: list[str] = []
    for _ in range(r.number(0, min(max_size, len(options)))):
        left = tuple(o for o in options if o not in chosen)
        chosen.append(r.pick(left))
    return tuple(chosen)


def _draw_measure(
    r: _Seed,
    *,
    id: str,
    kind: MeasureKind,
    status: MeasureStatus,
    imposed_by: str,
    targets: tuple[str, ...] | None,
    party_pool: Sequence[str],
    measure_pool: Sequence[str],
    sources: tuple[str, ...],
    max_history: int,
) -> Measure:
    if targets is None:
        targets = _draw_subset(r, party_pool, exclude=(imposed_by,))
    targets = tuple(t for t in targets if t != imposed_by)
    others = tuple(m for m in measure_pool if m != id)
    linked = tuple(
        Link(r.pick(tuple(LinkKind)), r.pick(others))
        for _ in range(r.number(0, 2) if others else 0)
    )
    claimants = tuple(dict.fromkeys((imposed_by, *targets)))
    return Measure(
        id=id,
        kind=kind,
        title=r.maybe_text(),
        imposed_by=imposed_by,
        targets=targets,
        scope=r.maybe_text(),
        products=tuple(r.hs_code() for _ in range(r.number(0, 3))),
        links=linked,
        history=_draw_history(r, MEASURE, status, sources, claimants, max_history, True),
    )


def measures(
    *,
    id: str | SearchStrategy[str] | None = None,
    kind: MeasureKind | str | SearchStrategy[MeasureKind] | None = None,
    status: MeasureStatus | str | SearchStrategy[MeasureStatus] | None = None,
    imposed_by: str | SearchStrategy[str] | None = None,
    targets: Sequence[str] | SearchStrategy[Sequence[str]] | None = None,
    sources: Sequence[str] = ("s0",),
    max_history: int = 5,
) -> SearchStrategy[Measure]:
    """Measures with legal, chronological histories.

    Args:
        id: the id, or ids drawn from a strategy.
        kind: only this kind (``MeasureKind.TARIFF`` or ``"tariff"``).
        status: the status the measure ends in.
        imposed_by: the imposing party's id.
        targets: the target parties' ids (the imposing party is never its own target).
        sources: the source ids its entries cite.
        max_history: the most moves in its history.
    """
    size = _size("max_history", max_history, low=1)
    source_ids = _checked("sources", _nonempty_ids, sources)
    id_st = _narrow("id", id, _an_id, _ids("m"))
    kind_st = _narrow("kind", kind, _enum(MeasureKind), _pick(tuple(MeasureKind)))
    status_st = _target("status", MEASURE, status)
    imposer_st = _narrow("imposed_by", imposed_by, _an_id, _pick(("p0", "p1", "p2")))
    no_targets: SearchStrategy[tuple[str, ...] | None] = st.none()
    targets_st = _narrow("targets", targets, _id_tuple, no_targets)

    @st.composite
    def build(draw: st.DrawFn) -> Measure:
        return _draw_measure(
            _Seed(draw),
            id=draw(id_st),
            kind=draw(kind_st),
            status=draw(status_st),
            imposed_by=draw(imposer_st),
            targets=draw(targets_st),
            party_pool=("p0", "p1", "p2"),
            measure_pool=("m0", "m1"),
            sources=source_ids,
            max_history=size,
        )

    return build()


def _draw_deadline(
    r: _Seed,
    *,
    id: str,
    kind: DeadlineKind,
    status: DeadlineStatus,
    party_pool: Sequence[str],
    entity_pool: Mapping[str, AnyLifecycle],
    sources: tuple[str, ...],
    max_history: int,
) -> Deadline:
    others = tuple(sorted((k, v) for k, v in entity_pool.items() if k != id))
    chosen = _draw_subset(r, party_pool)
    return Deadline(
        id=id,
        title=r.text(),
        kind=kind,
        parties=chosen,
        governs=_draw_subset(r, [k for k, _ in others], max_size=2),
        consequences=tuple(
            _draw_consequence(r, others) for _ in range(r.number(0, 2) if others else 0)
        ),
        history=_draw_history(r, DEADLINE, status, sources, chosen, max_history, True),
    )


def deadlines(
    *,
    id: str | SearchStrategy[str] | None = None,
    kind: DeadlineKind | str | SearchStrategy[DeadlineKind] | None = None,
    status: DeadlineStatus | str | SearchStrategy[DeadlineStatus] | None = None,
    sources: Sequence[str] = ("s0",),
    max_history: int = 5,
) -> SearchStrategy[Deadline]:
    """Deadlines with legal histories (due times set first and moved by extensions).

    Args:
        id: the id, or ids drawn from a strategy.
        kind: only this kind.
        status: the status the deadline ends in (``DeadlineStatus.EXTENDED``, ``"met"``...).
        sources: the source ids its entries cite.
        max_history: the most moves in its history.
    """
    size = _size("max_history", max_history, low=1)
    source_ids = _checked("sources", _nonempty_ids, sources)
    id_st = _narrow("id", id, _an_id, _ids("d"))
    kind_st = _narrow("kind", kind, _enum(DeadlineKind), _pick(tuple(DeadlineKind)))
    status_st = _target("status", DEADLINE, status)

    @st.composite
    def build(draw: st.DrawFn) -> Deadline:
        return _draw_deadline(
            _Seed(draw),
            id=draw(id_st),
            kind=draw(kind_st),
            status=draw(status_st),
            party_pool=("p0", "p1"),
            entity_pool={"m0": MEASURE, "n0": NEGOTIATION, "d1": DEADLINE},
            sources=source_ids,
            max_history=size,
        )

    return build()


def rounds(*, parties: Sequence[str] = ("p0", "p1", "p2")) -> SearchStrategy[tuple[Round, ...]]:
    """Rounds of talks, numbered in ascending order, each with a place, times and participants.

    Args:
        parties: the party ids participants are chosen from.
    """
    pool = _checked("parties", _id_tuple, parties)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Round, ...]:
        r = _Seed(draw)
        return _draw_rounds(r, pool, r.start())

    return build()


def _draw_rounds(r: _Seed, party_pool: Sequence[str], start: _dt.datetime) -> tuple[Round, ...]:
    result = []
    number = 0
    instant = start
    for _ in range(r.number(0, 2)):
        number += r.number(1, 2)
        instant += _dt.timedelta(days=r.number(0, 60))
        zone = r.pick(ZONES)
        begins = _moment(r, instant, zone) if r.flip() else None
        ends = None
        if r.flip():
            ends = _moment(r, instant + _dt.timedelta(days=r.number(0, 3)), zone)
        result.append(
            Round(
                number=number,
                place=r.pick((None, "Kuala Lumpur", "Geneva", "Busan")),
                start=begins,
                end=ends,
                participants=_draw_subset(r, party_pool),
                outcome=r.maybe_text(),
            )
        )
    return tuple(result)


def _draw_negotiation(
    r: _Seed,
    *,
    id: str,
    status: NegotiationStatus,
    sides: tuple[str, ...],
    party_pool: Sequence[str],
    measure_pool: Sequence[str],
    entity_pool: Mapping[str, AnyLifecycle],
    sources: tuple[str, ...],
    max_history: int,
) -> Negotiation:
    start = r.start()
    others = tuple(sorted((k, v) for k, v in entity_pool.items() if k != id))
    deal = tuple(_draw_term(r, others) for _ in range(r.number(0, 3) if others else 0))
    return Negotiation(
        id=id,
        title=r.text(),
        parties=sides,
        participants=_draw_subset(r, party_pool, exclude=sides, max_size=2),
        rounds=_draw_rounds(r, party_pool, start),
        measures=_draw_subset(r, measure_pool, max_size=2),
        issues=(r.text(),) if r.chance(3) else (),
        terms=deal,
        history=_draw_history(r, NEGOTIATION, status, sources, sides, max_history, True, start),
    )


def _draw_sides(r: _Seed, pool: tuple[str, ...]) -> tuple[str, ...]:
    """Two distinct parties, now and then three."""
    first = r.pick(pool)
    rest = tuple(p for p in pool if p != first)
    second = r.pick(rest)
    if len(rest) > 1 and r.chance(4):
        return (first, second, r.pick(tuple(p for p in rest if p != second)))
    return (first, second)


def _two_or_more(value: object) -> tuple[str, ...]:
    ids = _id_tuple(value)
    if len(ids) < 2:
        raise InvalidArgument("talks need at least two distinct parties")
    return ids


def negotiations(
    *,
    id: str | SearchStrategy[str] | None = None,
    status: NegotiationStatus | str | SearchStrategy[NegotiationStatus] | None = None,
    parties: Sequence[str] | SearchStrategy[Sequence[str]] | None = None,
    sources: Sequence[str] = ("s0",),
    max_history: int = 5,
) -> SearchStrategy[Negotiation]:
    """Talks with rounds, terms on the table and a legal history.

    Args:
        id: the id, or ids drawn from a strategy.
        status: the status the talks end in.
        parties: the ids of the sides (two or more).
        sources: the source ids its entries cite.
        max_history: the most moves in its history.
    """
    size = _size("max_history", max_history, low=1)
    source_ids = _checked("sources", _nonempty_ids, sources)
    id_st = _narrow("id", id, _an_id, _ids("n"))
    sides_default = st.lists(_pick(("p0", "p1", "p2")), min_size=2, max_size=3, unique=True).map(
        tuple
    )
    sides_st = _narrow("parties", parties, _two_or_more, sides_default)
    status_st = _target("status", NEGOTIATION, status)

    @st.composite
    def build(draw: st.DrawFn) -> Negotiation:
        return _draw_negotiation(
            _Seed(draw),
            id=draw(id_st),
            status=draw(status_st),
            sides=draw(sides_st),
            party_pool=("p0", "p1", "p2", "p3"),
            measure_pool=("m0", "m1"),
            entity_pool={"m0": MEASURE, "d0": DEADLINE, "n1": NEGOTIATION},
            sources=source_ids,
            max_history=size,
        )

    return build()


# ------------------------------------------------------------------------------- scenarios
@st.composite
def _scenario(
    draw: st.DrawFn,
    *,
    parties: SearchStrategy[tuple[Party, ...]] | None,
    max_parties: int,
    max_sources: int,
    max_measures: int,
    max_deadlines: int,
    max_negotiations: int,
    max_history: int,
) -> Scenario:
    # Counts are drawn one by one, and each entity reads its own seeded draws: when shrinking
    # drops an entity, the entities after it stay as they were.
    def count(low: int, high: int) -> int:
        return int(draw(_ints(low, max(low, high))))

    def few(high: int) -> int:
        return min(count(0, high), count(0, high))

    if parties is None:
        cast: list[Party] = []
        for i in range(count(1, max_parties)):
            r = _Seed(draw)
            # A parent comes earlier in the list, so parent chains are trees.
            parent = r.pick(tuple(p.id for p in cast)) if cast and r.chance(3) else None
            cast.append(_draw_party(r, f"p{i}", parent, None))
        party_list = tuple(cast)
    else:
        party_list = draw(parties)
    party_ids = tuple(p.id for p in party_list)
    source_list = []
    for i in range(count(1, max_sources)):
        r = _Seed(draw)
        source_list.append(_draw_source(r, f"s{i}", r.pick(tuple(SourceKind)), True))
    source_ids = tuple(s.id for s in source_list)
    n_measures = few(max_measures) if party_ids else 0
    n_deadlines = few(max_deadlines)
    n_talks = few(max_negotiations) if len(party_ids) >= 2 else 0
    measure_ids = tuple(f"m{i}" for i in range(n_measures))
    pool: dict[str, AnyLifecycle] = dict.fromkeys(measure_ids, MEASURE)
    pool.update(dict.fromkeys((f"d{i}" for i in range(n_deadlines)), DEADLINE))
    pool.update(dict.fromkeys((f"n{i}" for i in range(n_talks)), NEGOTIATION))
    measure_list = []
    for mid in measure_ids:
        r = _Seed(draw)
        measure_list.append(
            _draw_measure(
                r,
                id=mid,
                kind=r.pick(tuple(MeasureKind)),
                status=r.pick(tuple(MeasureStatus)),
                imposed_by=r.pick(party_ids),
                targets=None,
                party_pool=party_ids,
                measure_pool=measure_ids,
                sources=source_ids,
                max_history=max_history,
            )
        )
    deadline_list = []
    for i in range(n_deadlines):
        r = _Seed(draw)
        deadline_list.append(
            _draw_deadline(
                r,
                id=f"d{i}",
                kind=r.pick(tuple(DeadlineKind)),
                status=r.pick(tuple(DeadlineStatus)),
                party_pool=party_ids,
                entity_pool=pool,
                sources=source_ids,
                max_history=max_history,
            )
        )
    talks = []
    for i in range(n_talks):
        r = _Seed(draw)
        talks.append(
            _draw_negotiation(
                r,
                id=f"n{i}",
                status=r.pick(tuple(NegotiationStatus)),
                sides=_draw_sides(r, party_ids),
                party_pool=party_ids,
                measure_pool=measure_ids,
                entity_pool=pool,
                sources=source_ids,
                max_history=max_history,
            )
        )
    r = _Seed(draw)
    return Scenario(
        title=r.maybe_text(),
        description=r.maybe_text(),
        sources=tuple(source_list),
        parties=party_list,
        measures=tuple(measure_list),
        deadlines=tuple(deadline_list),
        negotiations=tuple(talks),
    )


def _party_tuple(value: object) -> tuple[Party, ...]:
    if not isinstance(value, Sequence) or not all(isinstance(p, Party) for p in value):
        raise InvalidArgument(f"{value!r} is not a sequence of Party objects")
    ids = [p.id for p in value]
    if not ids:
        raise InvalidArgument("needs at least one party")
    if len(set(ids)) != len(ids):
        raise InvalidArgument(f"party ids repeat: {ids}")
    try:  # the Scenario itself finds unknown parents and cycles, with its own message
        Scenario(parties=tuple(value))
    except TradeTruceError as exc:
        raise InvalidArgument(str(exc)) from None
    return tuple(value)


def scenarios(
    *,
    parties: Sequence[Party] | SearchStrategy[Sequence[Party]] | None = None,
    max_parties: int = 4,
    max_sources: int = 3,
    max_measures: int = 10,
    max_deadlines: int = 4,
    max_negotiations: int = 3,
    max_history: int = 4,
) -> SearchStrategy[Scenario]:
    """Whole, consistent scenarios.

    Parties are ``p0``, ``p1``...; sources ``s0``... (each with a publication time); measures
    ``m0``..., deadlines ``d0``..., negotiations ``n0``.... Every reference names something of
    the right kind in the same scenario: imposing and target parties, parents (a tree), claims,
    sources, links between measures, what deadlines govern, and the entities that consequences
    and deal terms name, with a status of that entity's own lifecycle.

    Args:
        parties: use these parties (a sequence of :class:`tradetruce.Party`, or a strategy of
            them) instead of generated ones.
        max_parties: the most generated parties (at least one is always generated).
        max_sources: the most sources (at least one).
        max_measures: the most measures.
        max_deadlines: the most deadlines.
        max_negotiations: the most negotiations.
        max_history: the most moves in each entity's history.
    """
    bounds = {
        "max_parties": max_parties,
        "max_sources": max_sources,
        "max_measures": max_measures,
        "max_deadlines": max_deadlines,
        "max_negotiations": max_negotiations,
    }
    for name, value in bounds.items():
        _size(name, value)
    no_parties: SearchStrategy[tuple[Party, ...]] = st.just(())
    party_st = None if parties is None else _narrow("parties", parties, _party_tuple, no_parties)
    return _scenario(
        parties=party_st,
        max_parties=max_parties,
        max_sources=max_sources,
        max_measures=max_measures,
        max_deadlines=max_deadlines,
        max_negotiations=max_negotiations,
        max_history=_size("max_history", max_history, low=1),
    )


# --------------------------------------------------------------------------------- stateful
def _latest_time(scenario: Scenario) -> _dt.datetime:
    """The UTC instant after which any new entry is in order for every history."""
    floor = _dt.datetime(MIN_YEAR, 1, 1, tzinfo=_dt.UTC)
    for entity in scenario.entities():
        for entry in entity.history:
            floor = max(floor, entry.at.lower)
    return floor


_END_OF_TIME = _dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=_dt.UTC)


class ScenarioMachine(RuleBasedStateMachine):
    """Drives a Scenario through random legal steps; subclass it to test your tool alongside.

    ``self.scenario`` is the current scenario and ``self.now`` the UTC instant of the latest
    event. The rules move an entity to a status its lifecycle allows, amend a live measure's
    rate, move a negotiation with :meth:`tradetruce.Scenario.apply` (signing carries out its
    terms), and :meth:`tradetruce.Scenario.advance` the clock so that passed deadlines fire,
    each at a time after every event so far. A step the library refuses must be refused with
    :class:`tradetruce.IllegalTransitionError` and leave the scenario as it was; ``refusals``
    counts them.

    The invariants check that the scenario stays valid, that each status is the fold of its
    history, and that the point-in-time view agrees with it. Add your own with
    ``@invariant()``, react to every change in :meth:`changed`, and override
    :meth:`initial_scenarios` to start elsewhere (a seed scenario, say).

    >>> from hypothesis import settings
    >>> from hypothesis.stateful import run_state_machine_as_test
    >>> run_state_machine_as_test(
    ...     ScenarioMachine, settings=settings(max_examples=5, stateful_step_count=5)
    ... )
    """

    scenario: Scenario
    now: _dt.datetime
    refusals: int

    def initial_scenarios(self) -> SearchStrategy[Scenario]:
        """Where each run starts; by default small generated scenarios."""
        return scenarios(max_measures=4, max_deadlines=2, max_negotiations=2, max_history=3)

    def changed(self, before: Scenario, after: Scenario) -> None:
        """Called after each step that changed the scenario; override to check your tool."""

    @initialize(data=st.data())
    def start(self, data: st.DataObject) -> None:
        self.scenario = data.draw(self.initial_scenarios(), label="scenario")
        self.now = _latest_time(self.scenario)
        self.refusals = 0

    # ------------------------------------------------------------------------- helpers
    def _set(self, after: Scenario) -> None:
        before = self.scenario
        self.scenario = after
        self.now = max(self.now, _latest_time(after))
        self.changed(before, after)

    def _refused(self, error: IllegalTransitionError, before: Scenario) -> None:
        assert self.scenario is before, "a refused step must not change the scenario"
        assert error.entity in self.scenario, error
        self.refusals += 1

    def _later(self, data: st.DataObject) -> When:
        """A time value that starts after every event so far: an instant or the next day."""
        days = data.draw(_ints(1, 60), label="days later")
        instant = self.now + _dt.timedelta(days=days)
        zone = data.draw(zones(), label="zone")
        if data.draw(_BOOLS, label="exact"):
            return _in_zone(instant, zone)
        local = instant.astimezone(_tz(zone)).date() + _dt.timedelta(days=1)
        return When.day(local.year, local.month, local.day, zone)

    def _source(self, data: st.DataObject, at: When) -> dict[str, Any]:
        """A source to cite, and a recorded time when the source has no publication time."""
        source = data.draw(st.sampled_from(self.scenario.sources), label="source")
        return {"source": source.id, "recorded": None if source.published else at}

    def _movable(self) -> list[Tracked[Any, Any]]:
        return [e for e in self.scenario.entities() if e.allowed_transitions()]

    def _amendable(self) -> list[Measure]:
        return [m for m in self.scenario.measures if not MEASURE.is_terminal(m.status)]

    def _open_talks(self) -> list[Negotiation]:
        return [n for n in self.scenario.negotiations if n.allowed_transitions()]

    # --------------------------------------------------------------------------- rules
    @precondition(lambda self: bool(self._movable()))
    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        """Move an entity to a status its lifecycle allows from where it stands."""
        entity = data.draw(st.sampled_from(self._movable()), label="entity")
        lifecycle: Any = entity.LIFECYCLE
        options = [s for s in lifecycle.status_type if s in entity.allowed_transitions()]
        to = data.draw(st.sampled_from(options), label="to")
        at = self._later(data)
        cite = self._source(data, at)
        moved: Measure | Deadline | Negotiation
        if isinstance(entity, Deadline):
            due = None
            if to is DeadlineStatus.EXTENDED:
                due = _in_zone(at.upper + _dt.timedelta(days=30), at.zone)
            moved = entity.transition(to, at=at, due=due, **cite)
        else:
            assert isinstance(entity, Measure | Negotiation)
            moved = entity.transition(to, at=at, **cite)
        assert moved.status is to
        self._set(self.scenario.replace(moved))

    @precondition(lambda self: bool(self._amendable()))
    @rule(data=st.data())
    def amend(self, data: st.DataObject) -> None:
        """Change a live measure's rate without changing its status."""
        measure = data.draw(st.sampled_from(self._amendable()), label="measure")
        rate = data.draw(rates(), label="rate")
        at = self._later(data)
        amended = measure.amend(rate=rate, at=at, **self._source(data, at))
        assert amended.status is measure.status and amended.terms.rate == rate
        self._set(self.scenario.replace(amended))

    @precondition(lambda self: bool(self._open_talks()))
    @rule(data=st.data())
    def apply(self, data: st.DataObject) -> None:
        """Move talks with Scenario.apply; signing carries out the deal's terms."""
        talks = data.draw(st.sampled_from(self._open_talks()), label="negotiation")
        options = [s for s in NegotiationStatus if s in talks.allowed_transitions()]
        to = data.draw(st.sampled_from(options), label="to")
        before = self.scenario
        try:
            at = self._later(data)
            after = before.apply(talks.id, to=to, at=at, **self._source(data, at))
        except IllegalTransitionError as error:  # a term the lifecycles forbid just now
            self._refused(error, before)
            return
        assert after.negotiation(talks.id).status is to
        self._set(after)

    @rule(data=st.data())
    def advance(self, data: st.DataObject) -> None:
        """Move the clock on: every deadline certainly passed unmet fires its consequences."""
        to = self._later(data)
        before = self.scenario
        try:
            after = before.advance(to)
        except IllegalTransitionError as error:  # a consequence the lifecycles forbid
            self._refused(error, before)
            return
        assert after.advance(to) == after, "advancing twice to one time changes nothing"
        self.now = max(self.now, to.lower)
        self._set(after)

    # ---------------------------------------------------------------------- invariants
    @invariant()
    def scenario_is_valid(self) -> None:
        """Rebuilding the scenario from its parts passes every cross-reference check."""
        Scenario(
            title=self.scenario.title,
            description=self.scenario.description,
            sources=self.scenario.sources,
            parties=self.scenario.parties,
            measures=self.scenario.measures,
            deadlines=self.scenario.deadlines,
            negotiations=self.scenario.negotiations,
        )

    @invariant()
    def status_is_the_fold_of_history(self) -> None:
        """Each status is where its history ends, read at any instant after the last event;
        there only a lapse (a stated end or start with nothing recorded) leaves it uncertain."""
        for entity in self.scenario.entities():
            history: tuple[Entry[Any], ...] = entity.history
            assert read(history).status == entity.status, entity.id
            reading = entity.reading_at(_END_OF_TIME)
            assert reading.candidates[0] == entity.status, entity.id
            assert reading.certain == (not reading.lapses), entity.id

    @invariant()
    def the_view_agrees_with_each_history(self) -> None:
        """Where the point-in-time view is certain, it says what each entity's own fold says."""
        view = self.scenario.at(self.now)
        published = self.scenario.published
        for entity in self.scenario.entities():
            state = view[entity.id]
            if state.certain:
                assert state.status == entity.status_at(self.now, published=published), entity.id


# =============================================================================================
# Suspensions, extensions, claims across zones and precisions, disputed deadlines.
#
# One block of new functions: the general generators above call only _draw_suspension (a move
# to paused now and then carries a whole suspension; an amendment of a paused measure now and
# then extends it), and everything else here builds on the public strategies above.
# =============================================================================================
def _draw_suspension(r: _Seed, instant: _dt.datetime, rate: Rate | None) -> Suspension:
    """A suspension starting at ``instant``: until a time value 1 to 400 days on (or until
    further notice), of the whole measure or, with a percent ``rate``, of part of it."""
    until = None
    if not r.chance(4):
        end = instant + _dt.timedelta(days=r.number(1, 400))
        until = _moment(r, end, r.pick(ZONES))
    portion = None
    if rate is not None and rate.is_ad_valorem and r.flip():
        portion = Rate.percent(rate.value * r.number(0, 4) / 4)
    at_end = SuspensionEnd.EXPIRE if r.chance(4) else SuspensionEnd.RESTORE
    return Suspension(until=until, portion=portion, at_end=at_end, note=r.maybe_text())


def suspensions(*, rate: Rate | None = None) -> SearchStrategy[Suspension]:
    """Suspensions: of a whole measure or (with a percent ``rate``) part of it, until a time
    value or until further notice, restored or expiring at the end.

    Args:
        rate: the measure's rate, so that a portion is in its unit and not above it; without
            one, every suspension is of the whole measure.

    >>> from hypothesis import find
    >>> find(suspensions(), lambda s: True)
    Suspension(until=When('2000-01-02[UTC]'), portion=None, at_end=<SuspensionEnd.RESTORE: 'restore'>, note='')
    """  # noqa: E501
    if rate is not None and not isinstance(rate, Rate):
        raise InvalidArgument(f"rate={rate!r} is not a Rate")

    @st.composite
    def build(draw: st.DrawFn) -> Suspension:
        r = _Seed(draw)
        return _draw_suspension(r, r.start(), rate)

    return build()


def suspended_measures(
    *,
    id: str | SearchStrategy[str] | None = None,
    extensions: int = 2,
    sources: Sequence[str] = ("s0",),
) -> SearchStrategy[Measure]:
    """Tariffs in force and then suspended, in whole or in part, for a time or until further
    notice; extended up to ``extensions`` times (each extension an amendment with its own
    source and evidence, which may also give new terms); now and then restored, expired or
    withdrawn by a recorded entry at the end.

    Args:
        id: the id, or ids drawn from a strategy.
        extensions: the most extensions.
        sources: the source ids its entries cite.
    """
    most = _size("extensions", extensions)
    source_ids = _checked("sources", _nonempty_ids, sources)
    id_st = _narrow("id", id, _an_id, _ids("m"))

    @st.composite
    def build(draw: st.DrawFn) -> Measure:
        r = _Seed(draw)
        instant = r.start()
        zone = r.pick(ZONES)
        rate = Rate.percent(r.decimal(200, r.number(0, 1)))

        def later(days: tuple[int, int]) -> When:
            nonlocal instant
            instant += _dt.timedelta(days=r.number(*days))
            return _moment(r, instant, r.pick(ZONES))

        def cite() -> dict[str, Any]:
            evidence = r.pick((Evidence.REPORTED, Evidence.OFFICIAL, Evidence.CLAIMED))
            return {
                "source": r.pick(source_ids),
                "evidence": evidence,
                "claimed_by": "p0" if evidence is Evidence.CLAIMED else None,
            }

        measure = Measure.propose(
            id=draw(id_st),
            kind=MeasureKind.TARIFF,
            imposed_by="p0",
            targets=("p1",),
            rate=rate,
            at=_in_zone(instant, zone),
            source=r.pick(source_ids),
        ).transition(MeasureStatus.IN_FORCE, at=later((1, 60)), source=r.pick(source_ids))
        at = later((1, 60))
        suspension = _draw_suspension(r, instant, rate)
        measure = measure.transition(
            MeasureStatus.PAUSED, at=at, suspension=suspension, note=r.maybe_text(), **cite()
        )
        for _ in range(r.few(most)):
            at = later((1, 120))
            extension = _draw_suspension(r, instant, rate)
            if r.chance(3):
                # An extension that also cuts the rate: never below the part suspended.
                least = extension.portion.value if extension.portion else Decimal(0)
                cut = least + (rate.value - least) * r.number(0, 4) / 4
                terms: Terms | None = attrs.evolve(measure.terms, rate=Rate.percent(cut))
                rate = Rate.percent(cut)
            else:
                terms = None
            measure = measure.transition(
                MeasureStatus.PAUSED, at=at, suspension=extension, terms=terms, **cite()
            )
        if r.chance(3):
            to = r.pick((MeasureStatus.IN_FORCE, MeasureStatus.EXPIRED, MeasureStatus.WITHDRAWN))
            measure = measure.transition(to, at=later((1, 400)), **cite())
        return measure

    return build()


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
        _flag("agree", agree)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[MeasureEntry, ...]:
        r = _Seed(draw)
        start = r.start()
        instant = start + _dt.timedelta(days=r.number(1, 90), seconds=r.number(0, 86399))
        first = MeasureEntry(
            from_=None, to=MeasureStatus.PROPOSED, at=_in_zone(start, r.pick(ZONES)), source="s0"
        )
        move = r.pick((MeasureStatus.SCHEDULED, MeasureStatus.IN_FORCE, MeasureStatus.PAUSED))
        others = tuple(
            s for s in (MeasureStatus.SCHEDULED, MeasureStatus.IN_FORCE) if s is not move
        )

        def claim(at: When, to: MeasureStatus) -> MeasureEntry:
            evidence = r.pick((Evidence.REPORTED, Evidence.OFFICIAL, Evidence.PROJECTED))
            return MeasureEntry(
                from_=MeasureStatus.PROPOSED, to=to, at=at, source="s0", evidence=evidence
            )

        claims = [claim(_in_zone(instant, r.pick(ZONES)), move)]
        dissented = False
        for _ in range(r.number(1, 4)):
            zone = r.pick(ZONES)
            if r.flip():
                to = move
                if agree is not True and r.chance(3):
                    to, dissented = r.pick(others), True
                claims.append(claim(_in_zone(instant, zone), to))
            else:
                claims.append(claim(_moment_around(r, instant, zone), move))
        if agree is False and not dissented:
            claims.append(claim(_in_zone(instant, r.pick(ZONES)), r.pick(others)))
        return (first, claims[0], *_shuffled(r, claims[1:]))

    return build()


def _shuffled(r: _Seed, items: Sequence[T]) -> list[T]:
    """``items`` in an order drawn from ``r`` (kept as given when shrunk)."""
    left, out = list(items), []
    while left:
        out.append(left.pop(r.number(0, len(left) - 1)))
    return out


def _moment_around(r: _Seed, instant: _dt.datetime, zone: str) -> When:
    """A calendar value that contains ``instant`` (never the exact instant itself)."""
    found = _moment(r, instant, zone)
    while found.is_exact:
        found = _moment(r, instant, zone)
    return found


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
    source_ids = _checked("sources", _nonempty_ids, sources)
    id_st = _narrow("id", id, _an_id, _ids("d"))

    @st.composite
    def build(draw: st.DrawFn) -> Deadline:
        r = _Seed(draw)
        instant = r.start()
        at = _moment(r, instant, r.pick(ZONES))

        def due_after(days: int) -> When:
            return _moment(r, instant + _dt.timedelta(days=days), r.pick(ZONES))

        def group(from_: DeadlineStatus | None, to: DeadlineStatus) -> list[DeadlineEntry]:
            official = DeadlineEntry(
                from_=from_,
                to=to,
                at=at,
                source=r.pick(source_ids),
                evidence=Evidence.OFFICIAL,
                due=due_after(r.number(1, 400)),
            )
            rivals = [
                DeadlineEntry(
                    from_=from_,
                    to=to,
                    at=at,
                    source=r.pick(source_ids),
                    evidence=Evidence.REPORTED,
                    due=None if r.flip() else due_after(r.number(401, 800)),
                )
                for _ in range(r.number(1, 2))
            ]
            return _shuffled(r, [official, *rivals])

        history: list[DeadlineEntry]
        if r.flip():
            history = group(None, DeadlineStatus.PENDING)
        else:
            history = [
                DeadlineEntry(
                    from_=None,
                    to=DeadlineStatus.PENDING,
                    at=at,
                    source=r.pick(source_ids),
                    due=due_after(r.number(1, 30)),
                )
            ]
            instant += _dt.timedelta(days=r.number(1, 30))
            at = _in_zone(instant, r.pick(ZONES))
            history += group(DeadlineStatus.PENDING, DeadlineStatus.EXTENDED)
        return Deadline(
            id=draw(id_st),
            title=r.text(),
            kind=r.pick(tuple(DeadlineKind)),
            history=tuple(history),
        )

    return build()

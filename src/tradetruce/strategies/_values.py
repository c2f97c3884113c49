"""Value objects: HS codes, rates, quantities and a measure's terms."""

from __future__ import annotations

import datetime as _dt
import functools
from decimal import Decimal
from typing import Final

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.strategies import _args, _choices, _shapes, _text, _times
from tradetruce.values.codes import HSCode
from tradetruce.values.terms import Bound, Period, Quantity, Rate, Terms
from tradetruce.values.when import When

UNITS: Final = ("tonne", "unit", "bushel", "net ton", "kg")
CURRENCIES: Final = ("USD", "CNY", "EUR", "KRW")
LEGAL_BASES: Final = ("Section 301", "IEEPA", "Section 232", "MOFCOM Announcement")
COMMODITIES: Final = ("soybeans", "rare earths", "steel")
EDITIONS: Final = ("HS2022", "HS2017", "HS2012")
_LEVELS: Final = (4, 2, 6, 8, 10)


def hs_codes(*, level: int | None = None) -> SearchStrategy[HSCode]:
    """HS codes of every level, with and without an edition (leading zeros included); codes of
    six digits or more are sometimes written with dots (``9903.01.24``).

    Args:
        level: only codes of this many digits (2, 4, 6, 8 or 10).
    """
    if level is not None and (type(level) is not int or level not in _LEVELS):
        raise InvalidArgument(f"level={level!r}: expected 2, 4, 6, 8 or 10")
    return _hs_codes(level)


@functools.cache
def _hs_codes(level: int | None) -> SearchStrategy[HSCode]:
    return _codes(st.just(level) if level is not None else st.sampled_from(_LEVELS))


@st.composite
def _codes(draw: st.DrawFn, levels: SearchStrategy[int]) -> HSCode:
    code = draw(_digits(draw(levels)))
    if len(code) >= 6 and draw(st.booleans()):
        code = dotted(code)
    return HSCode(code, draw(_EDITIONS))


def dotted(code: str) -> str:
    """``99030124`` as tariff schedules write it: ``9903.01.24``."""
    return ".".join([code[:4], *(code[i : i + 2] for i in range(4, len(code), 2))])


@functools.cache
def _digits(n: int) -> SearchStrategy[str]:
    """``n`` digits in one draw: a number written with its leading zeros, shrinking to 0s."""
    return st.integers(0, 10**n - 1).map(f"{{:0{n}d}}".format)


_EDITIONS: Final = st.sampled_from((None, *EDITIONS))


def rates(*, ad_valorem: bool | None = None) -> SearchStrategy[Rate]:
    """Ad valorem (percent) and specific rates, as Decimals with up to two places.

    Args:
        ad_valorem: True for percent rates only, False for specific rates only.
    """
    if ad_valorem is not None:
        _args.flag("ad_valorem", ad_valorem)
    return _rates(ad_valorem)


#: Amounts in hundredths, up to 1000.00, in one draw.
_HUNDREDTHS: Final = st.integers(0, 100_000)
_CURRENCIES: Final = st.sampled_from(CURRENCIES)
_UNITS: Final = st.sampled_from(UNITS)


def amount(hundredths: int) -> Decimal:
    """``hundredths`` as a Decimal with no more places than it needs (``25``, ``7.5``,
    ``7.25``), so rates come with zero, one or two places."""
    for places in (0, 1):
        if hundredths % 10 ** (2 - places) == 0:
            return Decimal(hundredths // 10 ** (2 - places)).scaleb(-places)
    return Decimal(hundredths).scaleb(-2)


@functools.cache
def _rates(ad_valorem: bool | None) -> SearchStrategy[Rate]:
    units = (True, False) if ad_valorem is None else (ad_valorem,)
    return _rate(st.sampled_from(units))


@st.composite
def _rate(draw: st.DrawFn, percent: SearchStrategy[bool]) -> Rate:
    value = amount(draw(_HUNDREDTHS))
    if draw(percent):
        return Rate.percent(value)
    return Rate.specific(value, currency=draw(_CURRENCIES), per=draw(_UNITS))


def quantities() -> SearchStrategy[Quantity]:
    """Quotas and purchase amounts: a Decimal amount of a unit, per period, of a commodity,
    exactly, at least or at most."""
    return _QUANTITIES


_QUANTITIES: Final = st.builds(
    Quantity,
    st.decimals(min_value=0, max_value=10**9, places=0, allow_nan=False),
    st.sampled_from(UNITS + _text.TEXTS),
    st.sampled_from(list(Period)),
    st.sampled_from((None, *COMMODITIES, *_text.TEXTS)),
    st.sampled_from(list(Bound)),
)


def terms() -> SearchStrategy[Terms]:
    """A measure's terms (rate, quantity, legal basis, effective and expiry times), shrinking
    to empty terms."""
    return _TERMS


def _in_order(
    rate: Rate | None,
    quantity: Quantity | None,
    legal_basis: str | None,
    effective: When | None,
    expires: When | None,
) -> Terms:
    if effective is not None and expires is not None and expires.definitely_before(effective):
        effective, expires = expires, effective
    return Terms(rate, quantity, legal_basis, effective, expires)


_LEGAL: Final = st.sampled_from((None, *LEGAL_BASES))
_TERMS: Final = st.builds(
    _in_order,
    st.none() | rates(),
    st.none() | quantities(),
    _LEGAL,
    st.none() | _times.times(),
    st.none() | _times.times(),
)


# --------------------------------------------------------------------- terms after an instant
@attrs.frozen
class TermsPlan:
    """A measure's terms, with their times given relative to the entry that sets them: what
    :data:`plans` draws, before the instant they follow is known."""

    rate: Rate | None
    quantity: Quantity | None
    legal_basis: str | None
    effective: _shapes.Later | None
    expires: _shapes.Later | None

    def after(self, instant: _dt.datetime, zone: str) -> Terms:
        """Terms whose effective time falls a little after ``instant``, expiring later still,
        dated in ``zone``."""
        effective = expires = None
        if self.effective is not None:
            starts, effective = self.effective.after(instant, zone)
            if self.expires is not None:
                expires = self.expires.after(starts, zone)[1]
        return _in_order(self.rate, self.quantity, self.legal_basis, effective, expires)


#: Which parts terms have, in one draw: a rate or a legal basis about half the time, a quota
#: about one time in four, an effective time about half the time and an expiry with it.
_PARTS: Final = _choices.features(rate=2, legal_basis=2, quantity=4, effective=2, expires=2)
_EFFECTIVE: Final = _shapes.later(0, 60)
_EXPIRES: Final = _shapes.later(30, 800)
_LEGAL_BASES: Final = st.sampled_from(LEGAL_BASES)


@st.composite
def _plans(draw: st.DrawFn) -> TermsPlan:
    parts = draw(_PARTS)
    effective = draw(_EFFECTIVE) if "effective" in parts else None
    return TermsPlan(
        rate=draw(rates()) if "rate" in parts else None,
        quantity=draw(quantities()) if "quantity" in parts else None,
        legal_basis=draw(_LEGAL_BASES) if "legal_basis" in parts else None,
        effective=effective,
        expires=draw(_EXPIRES) if effective is not None and "expires" in parts else None,
    )


#: Terms for an entry at an instant not yet known, shrinking to empty terms.
plans: SearchStrategy[TermsPlan] = _plans()

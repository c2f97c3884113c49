"""What a duty is made of: a scope on drawn terms (origins and products with exclusions,
producer rates, exemptions), the authority and instrument a measure rests on, base rates and
stacking rules, and rates of every form with the shares of value they apply to."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.model.base_rate import BaseRate
from tradetruce.model.legal_act import LegalAct
from tradetruce.model.stacking import StackingRule
from tradetruce.strategies import _args, _choices, _text, _times, _values
from tradetruce.values.authority import Authority
from tradetruce.values.rates import Combine, ProductRate, RatePart
from tradetruce.values.scope import Exemption, ExemptionKind, ProducerRate, Scope
from tradetruce.values.terms import Rate, Share, Terms

#: The rarer parts of new terms, in one draw: a scope one in four, an authority one in three.
_EXTRAS: Final = _choices.features(scope=4, authority=3)
_AUTHORITIES: Final = st.sampled_from(list(Authority))
_INSTRUMENTS: Final = st.sampled_from((None, "EO 14257", "9903.01.24", "Regulation (EU) 2024/2754"))
_EXEMPTION_KINDS: Final = st.sampled_from(list(ExemptionKind))
#: Up to two products or excluded products, each a separate draw.
_CODES: Final = st.lists(_values.hs_codes(), max_size=2).map(tuple)
#: How far a producer or residual rate is above the measure's own.
_MORE: Final = st.integers(0, 30)


def with_extras(draw: st.DrawFn, terms: Terms, parties: tuple[str, ...]) -> Terms:
    """``terms``, now and then with a scope naming some of ``parties`` and an authority."""
    extras = draw(_EXTRAS)
    if "scope" in extras:
        terms = attrs.evolve(terms, scope=draw(_scope(terms.rate, parties)))
    if "authority" in extras:
        terms = attrs.evolve(terms, authority=draw(_AUTHORITIES), instrument=draw(_INSTRUMENTS))
    return terms


@st.composite
def _scope(draw: st.DrawFn, rate: Rate | None, parties: tuple[str, ...]) -> Scope:
    """A scope naming some of ``parties``; producer and residual rates are never below ``rate``
    and in its unit, so a portion of ``rate`` is a portion of each."""

    def higher() -> Rate:
        if rate is None:
            return draw(_values.rates())
        return attrs.evolve(rate, value=rate.value + draw(_MORE))

    origins = draw(_choices.some_ids(parties, 3))
    excluded = draw(_choices.some_ids(parties, 3, origins))
    named = draw(_choices.some_ids(parties, 3))
    return Scope(
        origins=origins,
        excluded_origins=excluded,
        products=draw(_CODES),
        excluded_products=draw(_CODES),
        producers=tuple(ProducerRate(producer=p, rate=higher()) for p in named),
        residual=higher() if draw(st.booleans()) else None,
        exemptions=tuple(
            Exemption(holder=h, kind=draw(_EXEMPTION_KINDS))
            for h in draw(_choices.some_ids(parties, 3, named))
        ),
    )


def scopes(
    *, parties: Sequence[str] = ("p0", "p1", "p2"), rate: Rate | None = None
) -> SearchStrategy[Scope]:
    """Scopes naming some of ``parties`` as origins, excluded origins, producers with their own
    rates and exempt holders, with up to two products and excluded products; producer and
    residual rates are never below ``rate`` (any rate when ``None``) and in its unit.

    Args:
        parties: the party ids the scope may name.
        rate: the measure's own rate, which producer and residual rates stay at or above.
    """
    pool = _args.checked("parties", _args.nonempty_ids, parties)
    if rate is not None and not isinstance(rate, Rate):
        raise InvalidArgument(f"rate={rate!r} must be a Rate or None")
    return _scope(rate, pool)


def base_rates(
    *,
    importers: Sequence[str] = ("p0", "p1"),
    sources: Sequence[str] = ("s0",),
    id: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[BaseRate]:
    """Base (MFN) rates of one of ``importers`` on a product, citing one of ``sources``, now and
    then with a start, an end after it, an instrument and a recorded time of its own.

    Args:
        importers: the importing party ids to choose from.
        sources: the source ids to choose from.
        id: the base rate's id, or ids drawn from a strategy.
    """
    pool = _args.checked("importers", _args.nonempty_ids, importers)
    cited = _args.checked("sources", _args.nonempty_ids, sources)
    return _base_rate(pool, cited, _args.spec("id", id, _args.an_id))


def stacking_rules(
    *,
    importers: Sequence[str] = ("p0", "p1"),
    measures: Sequence[str] = ("m0", "m1"),
    sources: Sequence[str] = ("s0",),
    id: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[StackingRule]:
    """Stacking rules of one of ``importers``: layers of some of ``measures`` or of some
    authorities that are kept off by layers of other measures or authorities.

    Args:
        importers: the importing party ids to choose from.
        measures: the measure ids a rule may name (at least two).
        sources: the source ids to choose from.
        id: the rule's id, or ids drawn from a strategy.
    """
    pool = _args.checked("importers", _args.nonempty_ids, importers)
    named = _args.checked("measures", _args.two_or_more, measures)
    cited = _args.checked("sources", _args.nonempty_ids, sources)
    return _stacking_rule(pool, named, cited, _args.spec("id", id, _args.an_id))


_SOME_TIME: Final = st.none() | _times.times()


@st.composite
def _base_rate(
    draw: st.DrawFn, importers: tuple[str, ...], sources: tuple[str, ...], id: _args.Spec
) -> BaseRate:
    start, end = draw(_SOME_TIME), draw(_SOME_TIME)
    if start is not None and end is not None and end.lower <= start.upper:
        start, end = (None, end) if draw(st.booleans()) else (start, None)
    return BaseRate(
        id=_args.drawn(draw, id, _text.ids("b")),
        importer=draw(st.sampled_from(importers)),
        product=draw(_values.hs_codes()),
        rate=draw(_values.rates()),
        source=draw(st.sampled_from(sources)),
        start=start,
        end=end,
        instrument=draw(_INSTRUMENTS),
        recorded=draw(_SOME_TIME),
    )


@st.composite
def _stacking_rule(
    draw: st.DrawFn,
    importers: tuple[str, ...],
    measures: tuple[str, ...],
    sources: tuple[str, ...],
    id: _args.Spec,
) -> StackingRule:
    order = draw(st.permutations(measures))
    cut = draw(st.integers(1, len(order) - 1))
    excluded, by = order[:cut], order[cut:]
    by_authority = draw(st.booleans())
    authorities = draw(st.permutations(list(Authority)))
    return StackingRule(
        id=_args.drawn(draw, id, _text.ids("r")),
        importer=draw(st.sampled_from(importers)),
        source=draw(st.sampled_from(sources)),
        excluded=() if by_authority else tuple(excluded),
        excluded_authorities=(authorities[0],) if by_authority else (),
        by=() if by_authority else tuple(by),
        by_authorities=(authorities[1],) if by_authority else (),
        recorded=draw(_SOME_TIME),
    )


def producer_rates(
    *, producers: Sequence[str] = ("p0", "p1", "p2")
) -> SearchStrategy[ProducerRate]:
    """A rate of one of ``producers``, now and then with the producer's code in the act."""
    pool = _args.checked("producers", _args.nonempty_ids, producers)
    return st.builds(
        ProducerRate,
        producer=st.sampled_from(pool),
        rate=_values.rates(),
        code=st.none() | st.sampled_from(("C999", "89GW")),
    )


def exemptions(*, holders: Sequence[str] = ("p0", "p1", "p2")) -> SearchStrategy[Exemption]:
    """An exemption of one of ``holders`` (an undertaking, a licence, ...)."""
    pool = _args.checked("holders", _args.nonempty_ids, holders)
    return st.builds(
        Exemption, holder=st.sampled_from(pool), kind=_EXEMPTION_KINDS, note=_text.notes
    )


def rate_forms(*, floors: bool = True) -> SearchStrategy[Rate]:
    """Rates of every form: plain ad valorem and specific rates, ranges, compound rates, the
    greater or the lesser of two rates, and (unless ``floors=False``) all-in floors.

    Args:
        floors: whether to draw all-in floors (:meth:`Rate.at_least`).
    """
    _args.flag("floors", floors)
    return _FORMS if floors else _NO_FLOORS


def rate_parts() -> SearchStrategy[RatePart]:
    """Parts of a rate of two parts: ad valorem or specific, now and then a range."""
    return _PARTS


def product_rates() -> SearchStrategy[ProductRate]:
    """A rate of one product heading in a measure's rate schedule."""
    return _PRODUCT_RATES


def legal_acts(
    *, sources: Sequence[str] = ("s0",), id: str | SearchStrategy[str] | None = None
) -> SearchStrategy[LegalAct]:
    """Legal acts citing one of ``sources``, now and then with an authority, an instrument and
    a link.

    Args:
        sources: the source ids to choose from.
        id: the act's id, or ids drawn from a strategy.
    """
    cited = _args.checked("sources", _args.nonempty_ids, sources)
    return _legal_act(cited, _args.spec("id", id, _args.an_id))


@st.composite
def _legal_act(draw: st.DrawFn, sources: tuple[str, ...], id: _args.Spec) -> LegalAct:
    return LegalAct(
        id=_args.drawn(draw, id, _text.ids("act")),
        source=draw(st.sampled_from(sources)),
        title=draw(st.sampled_from(("", "Reciprocal tariffs", "Section 301 modification"))),
        authority=draw(st.none() | _AUTHORITIES),
        instrument=draw(_INSTRUMENTS),
        link=draw(st.sampled_from((None, "https://www.federalregister.gov/d/2025-06063"))),
    )


def shares() -> SearchStrategy[Share]:
    """Shares of the customs value: known (``0.4``), a range, or unknown (0 to 1)."""
    return _SHARES


#: A fraction from 0 to 1 in hundredths.
_FRACTIONS: Final = st.integers(0, 100).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def _part(draw: st.DrawFn) -> Rate:
    """A plain rate, or now and then a range over one."""
    rate = draw(_values.rates())
    if draw(st.integers(0, 3)) == 0:
        rate = attrs.evolve(rate, high=rate.value + draw(_MORE))
    return rate


@st.composite
def _form(draw: st.DrawFn, floors: bool) -> Rate:
    first = draw(_part())
    how = draw(st.sampled_from((None, *Combine, "floor") if floors else (None, *Combine)))
    if how is None:
        return first
    if how == "floor":
        value = _values.amount(draw(st.integers(0, 5000)))
        high = None if first.high is None else value + draw(_MORE)
        return attrs.evolve(Rate.at_least(value), high=high)
    return attrs.evolve(first, other=RatePart.of(draw(_part())), combine=Combine(how))


@st.composite
def _share(draw: st.DrawFn) -> Share:
    low, high = sorted((draw(_FRACTIONS), draw(_FRACTIONS)))
    if draw(st.booleans()):
        high = low
    return Share(low, high, part=draw(st.sampled_from((None, "steel content", "non-metal"))))


_FORMS: Final = _form(True)
_NO_FLOORS: Final = _form(False)
_SHARES: Final = _share()
_PARTS: Final = _part().map(RatePart.of)
_PRODUCT_RATES: Final = st.builds(ProductRate, _values.hs_codes(), _values.rates())

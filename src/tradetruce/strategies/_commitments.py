"""Purchase commitments: targets per period, reported deliveries, and the commitments that hold
them.

Every drawn amount is in tonnes of soybeans, for the whole period: a commitment never mixes
units, so a drawn commitment can always be read for its fulfilment.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradetruce.model.commitment import Commitment, Delivery, Target
from tradetruce.model.entries import Evidence
from tradetruce.strategies import _args, _choices, _times
from tradetruce.values.terms import Bound, Period, Quantity

#: The one unit and commodity of drawn commitments.
UNIT: Final = "tonne"
COMMODITY: Final = "soybeans"


def _committed(amount: Decimal, bound: Bound = Bound.EXACTLY) -> Quantity:
    return Quantity(amount, UNIT, Period.TOTAL, COMMODITY, bound)


#: Whole tonnes up to 100 million, in one draw, shrinking to 0.
_AMOUNTS: Final = st.integers(0, 10**8).map(Decimal)
_BOUNDS: Final = st.sampled_from(list(Bound))


def targets() -> SearchStrategy[Target]:
    """Targets in tonnes of soybeans: a period (any time value: a year, a range, a vague
    month...) and an amount that is a floor, a ceiling or exact."""
    return _TARGETS


@st.composite
def _target(draw: st.DrawFn) -> Target:
    period = draw(_times.times())
    return Target(period=period, quantity=_committed(draw(_AMOUNTS), draw(_BOUNDS)))


_TARGETS: Final = _target()


def deliveries(
    *, sources: Sequence[str] = ("s0", "s1"), parties: Sequence[str] = ("p0", "p1")
) -> SearchStrategy[Delivery]:
    """Reported deliveries in tonnes of soybeans, at any time value, with every kind of
    evidence (``claimed`` naming a claiming party), sometimes disputed, sometimes with a
    recorded time.

    Args:
        sources: the source ids deliveries cite.
        parties: the party ids that claim or dispute them.
    """
    return _deliveries(
        _args.checked("sources", _args.nonempty_ids, sources),
        _args.checked("parties", _args.nonempty_ids, parties),
    )


@functools.lru_cache(maxsize=1024)
def _deliveries(sources: tuple[str, ...], parties: tuple[str, ...]) -> SearchStrategy[Delivery]:
    return _delivery(_choices.one_of_ids(sources), _choices.one_of_ids(parties))


_EVIDENCE: Final = st.sampled_from(list(Evidence))
#: A delivery disputed about one time in four, recorded at a time of its own one in four, in
#: one draw.
_EXTRAS: Final = _choices.features(disputed=4, recorded=4)


@st.composite
def _delivery(
    draw: st.DrawFn, sources: SearchStrategy[str], parties: SearchStrategy[str]
) -> Delivery:
    evidence = draw(_EVIDENCE)
    claimed = draw(parties) if evidence is Evidence.CLAIMED else None
    at = draw(_times.times())
    quantity = _committed(draw(_AMOUNTS))
    source = draw(sources)
    extras = draw(_EXTRAS)
    return Delivery(
        at=at,
        quantity=quantity,
        source=source,
        evidence=evidence,
        claimed_by=claimed,
        disputed_by=draw(parties) if "disputed" in extras else None,
        recorded=draw(_times.times()) if "recorded" in extras else None,
    )


def commitments(
    *, sources: Sequence[str] = ("s0", "s1"), parties: Sequence[str] = ("p0", "p1")
) -> SearchStrategy[Commitment]:
    """Commitments: one to four targets and up to eight deliveries (see :func:`deliveries`).

    Args:
        sources: the source ids deliveries cite.
        parties: the party ids that claim or dispute deliveries.
    """
    return _commitments(
        _args.checked("sources", _args.nonempty_ids, sources),
        _args.checked("parties", _args.nonempty_ids, parties),
    )


@functools.lru_cache(maxsize=1024)
def _commitments(sources: tuple[str, ...], parties: tuple[str, ...]) -> SearchStrategy[Commitment]:
    return st.builds(
        Commitment,
        targets=st.lists(_TARGETS, min_size=1, max_size=4).map(tuple),
        deliveries=st.lists(_deliveries(sources, parties), max_size=8).map(tuple),
    )

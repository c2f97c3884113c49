"""Trade remedies: anti-dumping, countervailing and safeguard measures on the remedy lifecycle."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.model.lifecycle import REMEDY, REMEDY_CHARGES, Charges, MeasureStatus
from tradetruce.model.measure import LIFECYCLE_OF_KIND, Measure, MeasureKind
from tradetruce.strategies import _args
from tradetruce.strategies._measures import measures

#: The measure kinds that follow the remedy lifecycle.
_REMEDY_KINDS: Final = tuple(k for k in MeasureKind if LIFECYCLE_OF_KIND.get(k) is REMEDY)


def remedies(
    *,
    kind: MeasureKind | str | SearchStrategy[MeasureKind] | None = None,
    status: MeasureStatus | str | SearchStrategy[MeasureStatus] | None = None,
    charges: Charges | str | None = None,
    sources: Sequence[str] = ("s0",),
    max_history: int = 5,
    parties: Sequence[str] = ("p0", "p1", "p2"),
    links_to: Sequence[str] = ("m0", "m1"),
) -> SearchStrategy[Measure]:
    """Trade remedies (anti-dumping, countervailing, safeguard measures) whose histories follow
    the :data:`~tradetruce.REMEDY` lifecycle.

    Args:
        kind: only this kind (``MeasureKind.ANTI_DUMPING`` or ``"anti_dumping"``).
        status: the status the measure ends in (a status of the remedy lifecycle).
        charges: only measures ending in a status that charges so (``Charges.SECURED``: a
            provisional duty secured by guarantees); see :data:`~tradetruce.REMEDY_CHARGES`.
        sources, max_history, parties, links_to: as for :func:`measures`.

    >>> from hypothesis import find
    >>> from tradetruce import Charges
    >>> find(remedies(charges=Charges.SECURED), lambda m: True).status.value
    'provisional_secured'
    """
    if kind is None:
        kinds: SearchStrategy[MeasureKind] | MeasureKind = _KINDS
    elif isinstance(kind, SearchStrategy):
        kinds = kind
    else:
        kinds = _args.checked("kind", _args.member(MeasureKind), kind)
        if kinds not in _REMEDY_KINDS:
            allowed = ", ".join(repr(k.value) for k in _REMEDY_KINDS)
            raise InvalidArgument(f"kind={kind!r} is not a trade remedy; allowed: {allowed}")
    if charges is not None and status is not None:
        raise InvalidArgument("give status or charges, not both")
    if charges is not None:
        wanted = _args.checked("charges", _args.member(Charges), charges)
        status = _ending_in(wanted)
    elif status is None:
        status = _STATUSES
    elif not isinstance(status, SearchStrategy):
        status = _args.checked("status", _args.status_of(REMEDY), status)
    return measures(
        kind=kinds,
        status=status,
        sources=sources,
        max_history=max_history,
        parties=parties,
        links_to=links_to,
    )


_KINDS: Final = st.sampled_from(_REMEDY_KINDS)
_STATUSES: Final = st.sampled_from(REMEDY.statuses)


@functools.cache
def _ending_in(charges: Charges) -> SearchStrategy[MeasureStatus]:
    return st.sampled_from([s for s in REMEDY.statuses if REMEDY_CHARGES[s] is charges])

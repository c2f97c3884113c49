"""Negotiations: their rounds, the terms of a deal, and their histories."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.model.lifecycle import DEADLINE, MEASURE, NEGOTIATION, NegotiationStatus
from tradetruce.model.negotiation import Negotiation, Round, RoundKind, Term
from tradetruce.strategies import (
    _args,
    _choices,
    _deadlines,
    _histories,
    _shapes,
    _text,
    _times,
    _values,
)


def deal_terms(*, entities: Mapping[str, Any] | None = None) -> SearchStrategy[Term]:
    """What a deal would do to one entity (:class:`tradetruce.Term`): a status it moves the
    entity to, new measure terms, or a new due time for a deadline.

    Args:
        entities: id -> lifecycle (or its name, or the entity class) of the entities a term
            may act on; default: a few measures, deadlines and negotiations.
    """
    return _deal_terms(_args.checked_pool("entities", entities))


@functools.lru_cache(maxsize=1024)
def _deal_terms(pool: _args.Pool) -> SearchStrategy[Term]:
    return _term(st.sampled_from(pool))


@functools.cache
def _maybe(names: SearchStrategy[str]) -> SearchStrategy[str | None]:
    return st.none() | names  # a deal term changes terms or due time only, or also moves


#: About one term in three that moves an entity also changes its terms or due time.
_ALSO: Final = st.integers(0, 2)


@st.composite
def _term(draw: st.DrawFn, pool: SearchStrategy[tuple[str, str]]) -> Term:
    entity, lifecycle = draw(pool)
    names = _deadlines.statuses(lifecycle)
    to = draw(_maybe(names))
    changes: dict[str, Any] = {}
    if lifecycle == MEASURE.name and (to is None or draw(_ALSO) == 2):
        new = draw(_values.plans).after(draw(_shapes.starts), draw(_times.zones()))
        changes = {
            "effective": new.effective,
            "expires": new.expires,
            "rate": new.rate,
            "quantity": new.quantity,
        }
    elif lifecycle == DEADLINE.name and (to is None or draw(_ALSO) == 2):
        changes = {"due": draw(_shapes.moments)}
    if to is None and all(v is None for v in changes.values()):
        to = draw(names)
    return Term(entity=entity, to=to, detail=draw(_text.notes), **changes)


def rounds(*, parties: Sequence[str] = ("p0", "p1", "p2")) -> SearchStrategy[tuple[Round, ...]]:
    """Rounds of talks in the order they happen: numbered rounds (numbers ascending) and other
    meetings (a leaders' meeting, a call), numbered or not, each with a place, times and
    participants.

    Args:
        parties: the party ids participants are chosen from.
    """
    return _rounds(_args.checked("parties", _args.id_tuple, parties))


@functools.lru_cache(maxsize=1024)
def _rounds(pool: tuple[str, ...]) -> SearchStrategy[tuple[Round, ...]]:
    return _round_list(_choices.some_ids(pool, 3))


_HOW_MANY: Final = st.integers(0, 2)
_STEP: Final = st.integers(1, 2)
#: Days from one round's start (or end) to the next round's.
_GAP: Final = st.integers(0, 60)
#: A negotiating round about three times in four, shrinking to one; any kind of meeting else.
_ROUND_KINDS: Final = st.sampled_from((RoundKind.ROUND,) * (2 * len(RoundKind)) + tuple(RoundKind))
#: Whether a meeting other than a negotiating round goes unnumbered (half of them do).
_UNNUMBERED: Final = st.booleans()
_PLACES: Final = st.sampled_from((None, "Kuala Lumpur", "Geneva", "Busan"))
_BEGINS: Final = st.none() | _shapes.shapes
_ENDS: Final = st.none() | _shapes.later(0, 3)


@st.composite
def _round_list(
    draw: st.DrawFn, participants: SearchStrategy[tuple[str, ...]]
) -> tuple[Round, ...]:
    result = []
    number = 0
    instant = draw(_shapes.starts)
    for _ in range(draw(_HOW_MANY)):
        number += draw(_STEP)
        instant += _dt.timedelta(days=draw(_GAP))
        zone = draw(_times.zones())
        begins, ends = draw(_BEGINS), draw(_ENDS)
        start = None if begins is None else begins.around(instant, zone)
        end = None
        if ends is not None:
            # The next round starts after this one ends: rounds are listed in time order.
            instant, end = ends.after(instant, zone)
        kind = draw(_ROUND_KINDS)
        result.append(
            Round(
                # A meeting other than a negotiating round is often unnumbered.
                number=None if kind is not RoundKind.ROUND and draw(_UNNUMBERED) else number,
                kind=kind,
                place=draw(_PLACES),
                start=start,
                end=end,
                participants=draw(participants),
                outcome=draw(_text.notes),
            )
        )
    return tuple(result)


def negotiations(
    *,
    id: str | SearchStrategy[str] | None = None,
    status: NegotiationStatus | str | SearchStrategy[NegotiationStatus] | None = None,
    parties: Sequence[str] | SearchStrategy[Sequence[str]] | None = None,
    sources: Sequence[str] = ("s0",),
    max_history: int = 5,
    among: Sequence[str] = ("p0", "p1", "p2", "p3"),
    measures: Sequence[str] = ("m0", "m1"),
    entities: Mapping[str, Any] | None = None,
) -> SearchStrategy[Negotiation]:
    """Talks with rounds, terms on the table and a legal history.

    Args:
        id: the id, or ids drawn from a strategy.
        status: the status the talks end in.
        parties: the ids of the sides (two or more; default: two or three of ``among``).
        sources: the source ids its entries cite.
        max_history: the most moves in its history.
        among: the party ids the sides (unless given), the other participants and the
            rounds' participants are chosen from (a scenario passes its own).
        measures: the ids of the measures the talks may be about.
        entities: id -> lifecycle of the entities the terms on the table may act on (a
            scenario passes its own); default: a measure, a deadline and other talks. The
            negotiation itself is left out.
    """
    pool = _args.checked("among", _args.id_tuple, among)
    if parties is None and len(pool) < 2:
        raise InvalidArgument(f"among={among!r}: talks need at least two parties to choose from")
    if entities is None:
        entities = {"m0": MEASURE, "d0": DEADLINE, "n1": NEGOTIATION}
    return _negotiations(
        _args.spec("id", id, _args.an_id),
        _args.spec("status", status, _args.member(NegotiationStatus)),
        _args.spec("parties", parties, _args.two_or_more),
        _args.checked("sources", _args.nonempty_ids, sources),
        _args.size("max_history", max_history, low=1),
        pool,
        _args.checked("measures", _args.id_tuple, measures),
        _args.entity_pool("entities", entities),
    )


@functools.lru_cache(maxsize=1024)
def _negotiations(
    id: _args.Spec,
    status: _args.Spec,
    sides: _args.Spec,
    sources: tuple[str, ...],
    max_history: int,
    among: tuple[str, ...],
    measures: tuple[str, ...],
    entities: _args.Pool,
) -> SearchStrategy[Negotiation]:
    return _negotiation(id, status, sides, sources, max_history, among, measures, entities)


@functools.lru_cache(maxsize=1024)
def _sides(pool: tuple[str, ...]) -> SearchStrategy[tuple[str, ...]]:
    """Two distinct parties of ``pool``, now and then three."""
    return st.lists(st.sampled_from(pool), min_size=2, max_size=3, unique=True).map(tuple)


@functools.lru_cache(maxsize=1024)
def _term_lists(pool: _args.Pool) -> SearchStrategy[tuple[Term, ...]]:
    if not pool:
        return st.just(())
    return st.lists(_deal_terms(pool), max_size=3).map(tuple)


_STATUSES: Final = st.sampled_from(list(NegotiationStatus))
_ISSUES: Final = st.lists(_text.texts, max_size=1).map(tuple)


@st.composite
def _negotiation(
    draw: st.DrawFn,
    id: _args.Spec,
    status: _args.Spec,
    sides: _args.Spec,
    sources: tuple[str, ...],
    max_history: int,
    among: tuple[str, ...],
    measures: tuple[str, ...],
    entities: _args.Pool,
) -> Negotiation:
    talks_id = _args.drawn(draw, id, _text.ids("n"))
    chosen = _args.drawn(draw, sides, _sides(among))
    history = _histories.histories(
        NEGOTIATION,
        status=_args.drawn(draw, status, _STATUSES),
        sources=sources,
        parties=chosen,
        max_size=max_history,
    )
    return Negotiation(
        id=talks_id,
        title=draw(_text.texts),
        parties=chosen,
        participants=draw(_choices.some_ids(among, 2, chosen)),
        rounds=draw(_rounds(among)),
        measures=draw(_choices.some_ids(measures, 2)),
        issues=draw(_ISSUES),
        terms=draw(_term_lists(tuple((k, v) for k, v in entities if k != talks_id))),
        history=draw(history),
    )

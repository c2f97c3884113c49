"""Deadlines and the consequences they carry."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradetruce.model.deadline import Consequence, Deadline, DeadlineKind
from tradetruce.model.lifecycle import DEADLINE, LIFECYCLES, MEASURE, NEGOTIATION, DeadlineStatus
from tradetruce.strategies import _args, _choices, _histories, _text


def consequences(*, entities: Mapping[str, Any] | None = None) -> SearchStrategy[Consequence]:
    """What a deadline does if it passes: move an entity to a status of its own lifecycle.

    Args:
        entities: id -> lifecycle (or its name, or the entity class) of the entities a
            consequence may name; default: a few measures, deadlines and negotiations.
    """
    return _consequences(_args.checked_pool("entities", entities))


@functools.lru_cache(maxsize=1024)
def _consequences(pool: _args.Pool) -> SearchStrategy[Consequence]:
    return _consequence(st.sampled_from(pool))


@st.composite
def _consequence(draw: st.DrawFn, pool: SearchStrategy[tuple[str, str]]) -> Consequence:
    entity, lifecycle = draw(pool)
    return Consequence(entity, draw(statuses(lifecycle)), note=draw(_text.notes))


@functools.cache
def statuses(lifecycle: str) -> SearchStrategy[str]:
    """The status names of the lifecycle named ``lifecycle``, in its order."""
    return st.sampled_from(tuple(s.value for s in LIFECYCLES[lifecycle].statuses))


@functools.lru_cache(maxsize=1024)
def _consequence_lists(pool: _args.Pool) -> SearchStrategy[tuple[Consequence, ...]]:
    if not pool:
        return st.just(())
    return st.lists(_consequences(pool), max_size=2).map(tuple)


def deadlines(
    *,
    id: str | SearchStrategy[str] | None = None,
    kind: DeadlineKind | str | SearchStrategy[DeadlineKind] | None = None,
    status: DeadlineStatus | str | SearchStrategy[DeadlineStatus] | None = None,
    sources: Sequence[str] = ("s0",),
    max_history: int = 5,
    parties: Sequence[str] = ("p0", "p1"),
    entities: Mapping[str, Any] | None = None,
) -> SearchStrategy[Deadline]:
    """Deadlines with legal histories (due times set first and moved by extensions).

    Args:
        id: the id, or ids drawn from a strategy.
        kind: only this kind.
        status: the status the deadline ends in (``DeadlineStatus.EXTENDED``, ``"met"``...).
        sources: the source ids its entries cite.
        max_history: the most moves in its history.
        parties: the party ids its parties (and the claimants of its history) are chosen from.
        entities: id -> lifecycle of the entities it may govern and its consequences may
            name (a scenario passes its own); default: a measure, a negotiation and another
            deadline. The deadline itself is left out.
    """
    if entities is None:
        entities = {"m0": MEASURE, "n0": NEGOTIATION, "d1": DEADLINE}
    return _deadlines(
        _args.spec("id", id, _args.an_id),
        _args.spec("kind", kind, _args.member(DeadlineKind)),
        _args.spec("status", status, _args.member(DeadlineStatus)),
        _args.checked("sources", _args.nonempty_ids, sources),
        _args.size("max_history", max_history, low=1),
        _args.checked("parties", _args.id_tuple, parties),
        _args.entity_pool("entities", entities),
    )


@functools.lru_cache(maxsize=1024)
def _deadlines(
    id: _args.Spec,
    kind: _args.Spec,
    status: _args.Spec,
    sources: tuple[str, ...],
    max_history: int,
    parties: tuple[str, ...],
    entities: _args.Pool,
) -> SearchStrategy[Deadline]:
    return _deadline(id, kind, status, sources, max_history, parties, entities)


_KINDS: Final = st.sampled_from(list(DeadlineKind))
_STATUSES: Final = st.sampled_from(list(DeadlineStatus))


@st.composite
def _deadline(
    draw: st.DrawFn,
    id: _args.Spec,
    kind: _args.Spec,
    status: _args.Spec,
    sources: tuple[str, ...],
    max_history: int,
    parties: tuple[str, ...],
    entities: _args.Pool,
) -> Deadline:
    deadline_id = _args.drawn(draw, id, _text.ids("d"))
    others = tuple((k, v) for k, v in entities if k != deadline_id)
    chosen = draw(_choices.some_ids(parties, 3))
    history = _histories.histories(
        DEADLINE,
        status=_args.drawn(draw, status, _STATUSES),
        sources=sources,
        parties=chosen,
        max_size=max_history,
    )
    return Deadline(
        id=deadline_id,
        title=draw(_text.texts),
        kind=_args.drawn(draw, kind, _KINDS),
        parties=chosen,
        governs=draw(_choices.some_ids(tuple(k for k, _ in others), 2)),
        consequences=draw(_consequence_lists(others)),
        history=draw(history),
    )

"""Party groups: an entity list, a group of firms."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.model.party import Party, PartyKind
from tradetruce.strategies import _args, _text


def party_groups(
    *, members: Sequence[str] = ("p0", "p1", "p2"), id: str | SearchStrategy[str] | None = None
) -> SearchStrategy[Party]:
    """Groups of kind ``group`` whose members are drawn from ``members`` (possibly none).

    Args:
        members: the party ids members are chosen from.
        id: the group's id, or ids drawn from a strategy (not one of ``members``).
    """
    pool = _args.checked("members", _args.nonempty_ids, members)
    group_id = _args.spec("id", id, _args.an_id)
    if isinstance(group_id, str) and group_id in pool:
        raise InvalidArgument(
            f"id={id!r} is one of members={members!r}: a group is not its own member"
        )
    return _party_groups(pool, group_id)


@functools.lru_cache(maxsize=1024)
def _party_groups(pool: tuple[str, ...], id: _args.Spec) -> SearchStrategy[Party]:
    return _group(pool, id)


@functools.lru_cache(maxsize=1024)
def _group_ids(id: _args.Spec, pool: tuple[str, ...]) -> SearchStrategy[str]:
    ids: SearchStrategy[str] = _text.ids("g") if id is None else id
    return ids.filter(lambda x: x not in pool)


@st.composite
def _group(draw: st.DrawFn, pool: tuple[str, ...], id: _args.Spec) -> Party:
    gid = _args.drawn(draw, id, _text.ids("g"))
    if gid in pool:  # a group is not its own member: draw another id
        gid = draw(_group_ids(id, pool))
    chosen = draw(st.lists(st.sampled_from(pool), unique=True, max_size=len(pool)))
    return Party(gid, draw(_text.texts), PartyKind.GROUP, members=tuple(chosen))

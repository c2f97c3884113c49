"""Parties: states, blocs, bodies, officials, companies; groups of parties."""

from __future__ import annotations

import functools
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradetruce.model.party import Party, PartyKind
from tradetruce.strategies import _args, _choices, _text

#: Jurisdictions drawn for parties (ISO 3166-1 codes and the EU), unset first.
JURISDICTIONS: Final = (
    None,
    "US",
    "CN",
    "EU",
    "KR",
    "MY",
    "JP",
    "DE",
    "MX",
    "CA",
    "VN",
    "IN",
    "BR",
)


def parties(
    *,
    id: str | SearchStrategy[str] | None = None,
    kind: PartyKind | str | SearchStrategy[PartyKind] | None = None,
    parent: str | SearchStrategy[str | None] | None = None,
) -> SearchStrategy[Party]:
    """Parties: states, blocs, bodies, officials, companies (groups with members:
    :func:`party_groups`).

    Args:
        id: the id, or ids drawn from a strategy.
        kind: only this kind of party.
        parent: the parent's id, or a strategy of ids or None (default: sometimes a parent,
            sometimes not). A party is never its own parent.
    """
    return _parties(
        _args.spec("id", id, _args.an_id),
        _args.spec("kind", kind, _args.member(PartyKind)),
        _args.spec("parent", parent, _args.optional(_args.an_id)),
    )


@functools.lru_cache(maxsize=1024)
def _parties(id: _args.Spec, kind: _args.Spec, parent: _args.Spec) -> SearchStrategy[Party]:
    return _party(id, kind, parent)


#: The kinds of party that act (a group with members is drawn by :func:`party_groups`).
ACTORS: Final = tuple(k for k in PartyKind if k is not PartyKind.GROUP)
_KINDS: Final = st.sampled_from(ACTORS)
_PARENTS: Final = st.none() | _text.ids("p")
_JURISDICTIONS: Final = st.sampled_from(JURISDICTIONS)
#: A title about one party in four, an alias one in four, a bloc that is a customs union one in
#: two, in one draw.
_EXTRAS: Final = _choices.features(title=4, alias=4, union=2)


@st.composite
def _party(draw: st.DrawFn, id: _args.Spec, kind: _args.Spec, parent: _args.Spec) -> Party:
    party_id = _args.drawn(draw, id, _text.ids("p"))
    party_kind = _args.drawn(draw, kind, _KINDS)
    up = _args.drawn(draw, parent, _PARENTS)
    name = draw(_text.texts)
    extras = draw(_EXTRAS)
    return Party(
        party_id,
        name,
        party_kind,
        jurisdiction=draw(_JURISDICTIONS),
        parent=None if up == party_id else up,
        title=draw(_text.texts) if "title" in extras else None,
        aliases=(draw(_text.texts),) if "alias" in extras else (),
        customs_union=party_kind is PartyKind.BLOC and "union" in extras,
    )

"""Measures and the links between them."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from tradetruce.model.lifecycle import MeasureStatus
from tradetruce.model.measure import Link, LinkKind, Measure, MeasureKind
from tradetruce.strategies import _args, _choices, _histories, _text, _values


def links(*, measures: Sequence[str] | SearchStrategy[str] | None = None) -> SearchStrategy[Link]:
    """Typed links to other measures.

    Args:
        measures: the ids links may point to (a sequence to choose from, or a strategy).
    """
    if measures is None:
        return _links(_text.ids("m"))
    if isinstance(measures, SearchStrategy):
        return _links(_args.narrow("measures", measures, _args.an_id, _text.ids("m")))
    pool = _args.checked("measures", _args.nonempty_ids, measures)
    return _links(_choices.one_of_ids(pool))


@functools.lru_cache(maxsize=1024)
def _links(targets: SearchStrategy[str]) -> SearchStrategy[Link]:
    return st.builds(Link, _LINK_KINDS, targets)


_LINK_KINDS: Final = st.sampled_from(list(LinkKind))


@functools.lru_cache(maxsize=1024)
def _link_lists(others: tuple[str, ...]) -> SearchStrategy[tuple[Link, ...]]:
    if not others:
        return st.just(())
    return st.lists(links(measures=others), min_size=1, max_size=2).map(tuple)


def measures(
    *,
    id: str | SearchStrategy[str] | None = None,
    kind: MeasureKind | str | SearchStrategy[MeasureKind] | None = None,
    status: MeasureStatus | str | SearchStrategy[MeasureStatus] | None = None,
    imposed_by: str | SearchStrategy[str] | None = None,
    targets: Sequence[str] | SearchStrategy[Sequence[str]] | None = None,
    sources: Sequence[str] = ("s0",),
    max_history: int = 5,
    parties: Sequence[str] = ("p0", "p1", "p2"),
    links_to: Sequence[str] = ("m0", "m1"),
) -> SearchStrategy[Measure]:
    """Measures with legal, chronological histories.

    Args:
        id: the id, or ids drawn from a strategy.
        kind: only this kind (``MeasureKind.TARIFF`` or ``"tariff"``); default: any kind
            whose lifecycle has ``status`` (trade remedies follow their own,
            :data:`~tradetruce.REMEDY`; :func:`remedies` draws them with their terms).
        status: the status the measure ends in (one of its kind's lifecycle).
        imposed_by: the imposing party's id (default: one of ``parties``).
        targets: the target parties' ids (default: a few of ``parties``); the imposing party is
            never its own target.
        sources: the source ids its entries cite.
        max_history: the most moves in its history.
        parties: the party ids the imposing party, the targets and the claimants of its
            history are chosen from (a scenario passes its own).
        links_to: the ids of the measures its links may point to (empty: no links; a link
            never points to the measure itself).
    """
    size = _args.size("max_history", max_history, low=1)
    source_ids = _args.checked("sources", _args.nonempty_ids, sources)
    party_ids = _args.checked("parties", _args.id_tuple, parties)
    if imposed_by is None and not party_ids:
        raise InvalidArgument("parties=(): a measure needs a party to impose it")
    return _measures(
        _args.spec("id", id, _args.an_id),
        _args.spec("kind", kind, _args.member(MeasureKind)),
        _args.spec("status", status, _args.member(MeasureStatus)),
        _args.spec("imposed_by", imposed_by, _args.an_id),
        _args.spec("targets", targets, _args.id_tuple),
        source_ids,
        size,
        party_ids,
        _args.checked("links_to", _args.id_tuple, links_to),
    )


@functools.lru_cache(maxsize=1024)
def _measures(
    id: _args.Spec,
    kind: _args.Spec,
    status: _args.Spec,
    imposed_by: _args.Spec,
    targets: _args.Spec,
    sources: tuple[str, ...],
    max_history: int,
    parties: tuple[str, ...],
    links_to: tuple[str, ...],
) -> SearchStrategy[Measure]:
    return _measure(id, kind, status, imposed_by, targets, sources, max_history, parties, links_to)


#: No status asked for: the history ends in any status of the kind's lifecycle.
_ANY_STATUS: Final = st.none()


@functools.cache
def _kinds_with(status: MeasureStatus | None) -> SearchStrategy[MeasureKind]:
    """The kinds whose lifecycle has ``status`` (any kind for ``None``)."""
    return st.sampled_from(
        [k for k in MeasureKind if status is None or status in k.lifecycle.table]
    )


_PRODUCTS: Final = st.lists(_values.hs_codes(), min_size=1, max_size=3).map(tuple)
#: The optional parts of a measure, in one draw: a title or a scope about one measure in four,
#: product codes or links to other measures about one in three.
_EXTRAS: Final = _choices.features(title=4, scope=4, products=3, links=3)


@st.composite
def _measure(
    draw: st.DrawFn,
    id: _args.Spec,
    kind: _args.Spec,
    status: _args.Spec,
    imposed_by: _args.Spec,
    targets: _args.Spec,
    sources: tuple[str, ...],
    max_history: int,
    parties: tuple[str, ...],
    links_to: tuple[str, ...],
) -> Measure:
    measure_id = _args.drawn(draw, id, _text.ids("m"))
    end = _args.drawn(draw, status, _ANY_STATUS)
    measure_kind = _args.drawn(draw, kind, _kinds_with(end))
    lifecycle = measure_kind.lifecycle
    if end is not None and end not in lifecycle.table:
        raise InvalidArgument(
            f"status={end.value!r} is not a {lifecycle.name} status, the lifecycle of a "
            f"{measure_kind.value} measure; allowed: "
            + ", ".join(repr(s.value) for s in lifecycle.statuses)
        )
    imposer = _args.drawn(draw, imposed_by, _choices.one_of_ids(parties))
    chosen = _args.drawn(draw, targets, _choices.some_ids(parties, 3, (imposer,)))
    aimed_at = tuple(t for t in chosen if t != imposer)
    claimants = tuple(dict.fromkeys((imposer, *aimed_at)))
    history = _histories.histories(
        lifecycle, status=end, sources=sources, parties=claimants, max_size=max_history
    )
    others = tuple(m for m in links_to if m != measure_id)
    extras = draw(_EXTRAS)
    return Measure(
        id=measure_id,
        kind=measure_kind,
        title=draw(_text.texts) if "title" in extras else "",
        imposed_by=imposer,
        targets=aimed_at,
        scope=draw(_text.texts) if "scope" in extras else "",
        products=draw(_PRODUCTS) if "products" in extras else (),
        links=draw(_link_lists(others)) if "links" in extras else (),
        history=draw(history),
    )

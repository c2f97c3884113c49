"""Sources: the reports, statements and legal texts that history entries cite."""

from __future__ import annotations

import functools
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradetruce.model.source import Source, SourceKind
from tradetruce.strategies import _args, _shapes, _text


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
        _args.flag("published", published)
    return _sources(
        _args.spec("id", id, _args.an_id),
        _args.spec("kind", kind, _args.member(SourceKind)),
        published,
    )


@functools.lru_cache(maxsize=1024)
def _sources(id: _args.Spec, kind: _args.Spec, published: bool | None) -> SearchStrategy[Source]:
    return _source(id, kind, published)


_KINDS: Final = st.sampled_from(list(SourceKind))
_PUBLISHERS: Final = st.sampled_from((None, *_text.TEXTS))
_URLS: Final = st.sampled_from((None, "https://example.org/a", "https://example.org/b"))
_MAYBE: Final = st.booleans()


@st.composite
def _source(draw: st.DrawFn, id: _args.Spec, kind: _args.Spec, published: bool | None) -> Source:
    source_id = _args.drawn(draw, id, _text.ids("s"))
    source_kind = _args.drawn(draw, kind, _KINDS)
    when = None
    if published is True or (published is None and draw(_MAYBE)):
        when = draw(_shapes.moments)
    return Source(
        source_id,
        draw(_text.texts),
        source_kind,
        publisher=draw(_PUBLISHERS),
        published=when,
        url=draw(_URLS),
    )

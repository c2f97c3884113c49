"""Where a fact comes from."""

from __future__ import annotations

from enum import StrEnum

import attrs

from tradetruce.values import _validate as v
from tradetruce.values.when import When

__all__ = ["Source", "SourceKind"]


class SourceKind(StrEnum):
    """What kind of document a source is; it sets how much its claims weigh (see Evidence)."""

    NEWS_REPORT = "news_report"
    OFFICIAL_STATEMENT = "official_statement"
    LEGAL_TEXT = "legal_text"
    PROJECTION = "projection"  #: made by tradetruce itself when it projects a scenario forward
    OTHER = "other"


@attrs.frozen
class Source:
    """A report, statement or legal text that history entries cite.

    Attributes:
        id: a stable id (``art-2025-10-26``).
        title: the document's title.
        kind: what kind of document it is.
        publisher: who published it, if known.
        published: when it was published, as precisely as known; entries that cite the source are
            taken to have become known then, unless they give their own ``recorded`` time.
        url: where to find it, if it has an address.
    """

    id: str = attrs.field(validator=v.an_id)
    title: str = attrs.field(validator=v.nonempty_text)
    kind: SourceKind = attrs.field(default=SourceKind.OTHER, validator=v.instance(SourceKind))
    publisher: str | None = attrs.field(default=None, kw_only=True, validator=v.optional_text)
    published: When | None = attrs.field(
        default=None, kw_only=True, validator=v.instance(When, optional=True)
    )
    url: str | None = attrs.field(default=None, kw_only=True, validator=v.optional_text)

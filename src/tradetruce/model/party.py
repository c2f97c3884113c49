"""The sides and actors of trade policy: states, blocs, government bodies, officials, companies."""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import Any

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v

__all__ = ["Party", "PartyKind", "is_jurisdiction"]


class PartyKind(StrEnum):
    STATE = "state"
    BLOC = "bloc"
    GOVERNMENT_BODY = "government_body"
    OFFICIAL = "official"
    COMPANY = "company"
    #: a named list of parties: an entity list, a group of firms; its ``members`` say who
    GROUP = "group"
    OTHER = "other"


#: Jurisdictions that are not ISO 3166-1 countries but act in trade policy as one.
EXTRA_JURISDICTIONS = frozenset({"EU"})


@functools.cache  # one entry, an immutable set: safe to share between threads
def _iso_codes() -> frozenset[str]:
    import pycountry  # loaded on first use: its database is large

    return frozenset(c.alpha_2 for c in pycountry.countries)


def is_jurisdiction(code: object) -> bool:
    """True for an ISO 3166-1 alpha-2 code (``US``, ``CN``) or ``EU``.

    >>> is_jurisdiction("CN"), is_jurisdiction("EU"), is_jurisdiction("XX")
    (True, True, False)
    """
    return isinstance(code, str) and (code in EXTRA_JURISDICTIONS or code in _iso_codes())


def _jurisdiction(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not is_jurisdiction(value):
        raise InvalidValueError(
            f"jurisdiction: {v.shown(value)} is not an ISO 3166-1 alpha-2 code",
            field=attribute.name,
            value=value,
            allowed="an upper-case ISO 3166-1 alpha-2 code such as US or CN, or EU",
        )


@attrs.frozen
class Party:
    """A side or an actor.

    An official belongs to a body, which belongs to a state: ``parent`` names the party one level
    up, and :meth:`tradetruce.Scenario.lineage` walks the chain. A group (an entity list of
    firms) names its ``members``; a measure that targets the group targets each of them
    (:meth:`tradetruce.Scenario.targeted_as`). Membership is static: a list that changes is
    recorded as a new group.

    A party with ``customs_union=True`` (the EU) has one tariff for all its members: a party
    whose parent chain reaches it (France) imports under the union's tariffs, so the union's
    measures are layers of the tariff stack on imports into the member, as into the union.

    >>> Party(id="us", name="United States", kind=PartyKind.STATE, jurisdiction="US").kind
    <PartyKind.STATE: 'state'>
    """

    id: str = attrs.field(validator=v.an_id)
    name: str = attrs.field(validator=v.nonempty_text)
    kind: PartyKind = attrs.field(validator=v.instance(PartyKind))
    jurisdiction: str | None = attrs.field(default=None, kw_only=True, validator=_jurisdiction)
    parent: str | None = attrs.field(default=None, kw_only=True, validator=v.an_optional_id)
    title: str | None = attrs.field(default=None, kw_only=True, validator=v.optional_text)
    aliases: tuple[str, ...] = attrs.field(default=(), kw_only=True, validator=v.texts)
    customs_union: bool = attrs.field(default=False, kw_only=True, validator=v.instance(bool))
    #: For a group: the ids of its members (parties, or other groups).
    members: tuple[str, ...] = attrs.field(default=(), kw_only=True, validator=v.ids)

    def __attrs_post_init__(self) -> None:
        if self.members and self.kind is not PartyKind.GROUP:
            raise InvalidValueError(
                f"party {self.id} is a {self.kind.value}, and only a group has members",
                field="members",
                value=self.members,
                allowed="members on a party of kind group",
            )
        if self.id in self.members:
            raise InvalidValueError(
                f"group {self.id} cannot be its own member",
                field="members",
                value=self.members,
                allowed="the ids of other parties",
            )
        if self.parent == self.id:
            raise InvalidValueError(
                f"party {self.id} cannot be its own parent",
                field="parent",
                value=self.parent,
                allowed="the id of another party",
            )

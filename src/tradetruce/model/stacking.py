"""Stacking rules as data: which tariff layers keep which others off the same goods.

In 2025 US practice a product under a Section 232 duty does not also pay the reciprocal IEEPA
duty: the 232 layer *pre-empts* it. A :class:`StackingRule` says so for the stacks on imports
into one importer (and the members of a customs union that is the importer), selecting layers by
measure id or by :class:`~tradetruce.Authority`. It names its source, so what was known when
covers it, like base rates.

>>> StackingRule(
...     id="232-over-reciprocal",
...     importer="us",
...     source="eo-14257",
...     excluded=("us-reciprocal",),
...     by_authorities=(Authority.SECTION_232,),
... ).describe()
'us-reciprocal excluded by section_232'
"""

from __future__ import annotations

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v
from tradetruce.values.authority import Authority
from tradetruce.values.when import When

__all__ = ["StackingRule"]


@attrs.frozen(kw_only=True)
class StackingRule:
    """Layers that do not apply to goods that pay certain other layers.

    Attributes:
        id: the rule's id.
        importer: the importing party whose stacks it governs.
        source: the act or notice that sets it.
        excluded: the measures it keeps off (by id) ...
        excluded_authorities: ... and every measure resting on one of these authorities.
        by: the measures that keep them off (by id) ...
        by_authorities: ... and every measure resting on one of these authorities.
        note: a short free-text note.
        recorded: when it was recorded, if not at its source's publication.
    """

    id: str = attrs.field(validator=v.an_id)
    importer: str = attrs.field(validator=v.an_id)
    source: str = attrs.field(validator=v.an_id)
    excluded: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    excluded_authorities: tuple[Authority, ...] = attrs.field(
        default=(), validator=v.tuple_of(Authority)
    )
    by: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    by_authorities: tuple[Authority, ...] = attrs.field(default=(), validator=v.tuple_of(Authority))
    note: str = attrs.field(default="", validator=v.text)
    recorded: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))

    def __attrs_post_init__(self) -> None:
        if not (self.excluded or self.excluded_authorities):
            raise InvalidValueError(
                f"{self.id}: a stacking rule must say which layers it excludes",
                field="excluded",
                value=self.excluded,
                allowed="measure ids in excluded, or authorities in excluded_authorities",
            )
        if not (self.by or self.by_authorities):
            raise InvalidValueError(
                f"{self.id}: a stacking rule must say which layers exclude them",
                field="by",
                value=self.by,
                allowed="measure ids in by, or authorities in by_authorities",
            )

    def excludes(self, measure: str, authority: Authority | None) -> bool:
        """True for a layer of ``measure`` resting on ``authority`` that this rule keeps off."""
        return measure in self.excluded or (
            authority is not None and authority in self.excluded_authorities
        )

    def pre_empts(self, measure: str, authority: Authority | None) -> bool:
        """True for a layer of ``measure`` resting on ``authority`` that keeps others off."""
        return measure in self.by or (authority is not None and authority in self.by_authorities)

    def describe(self) -> str:
        """``us-reciprocal excluded by section_232``."""
        out = ", ".join([*self.excluded, *(a.value for a in self.excluded_authorities)])
        by = ", ".join([*self.by, *(a.value for a in self.by_authorities)])
        return f"{out} excluded by {by}"

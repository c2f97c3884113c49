"""Legal acts: one act (an executive order, a regulation) that creates or changes several measures.

A measure's terms name the act they rest on (:attr:`Terms.act <tradetruce.Terms.act>`), so "every
measure of Executive Order 14257" is one selection, and each tariff layer carries its act
(:meth:`TariffStack.under_act <tradetruce.TariffStack.under_act>`).

>>> act = LegalAct(
...     id="eo-14257",
...     title="Regulating imports with a reciprocal tariff",
...     authority=Authority.IEEPA,
...     instrument="EO 14257",
...     source="wh",
...     link="https://www.federalregister.gov/d/2025-06063",
... )
>>> str(act)
'EO 14257 (ieepa): Regulating imports with a reciprocal tariff'
"""

from __future__ import annotations

import attrs

from tradetruce.values import _validate as v
from tradetruce.values.authority import Authority

__all__ = ["LegalAct"]


@attrs.frozen(kw_only=True)
class LegalAct:
    """One legal act that may create or change several measures.

    Attributes:
        id: the act's id (its own namespace: measures name it in their terms' ``act``).
        source: the id of the scenario source it is read from.
        title: its title, in words.
        authority: the kind of legal authority it rests on, when known.
        instrument: its identifier: an executive order's number, a Federal Register citation,
            an Official Journal or CELEX number, a ministry's announcement number.
        link: where to read it (a URL), when known.
        note: a short free-text note.
    """

    id: str = attrs.field(validator=v.an_id)
    source: str = attrs.field(validator=v.an_id)
    title: str = attrs.field(default="", validator=v.text)
    authority: Authority | None = attrs.field(
        default=None, validator=v.instance(Authority, optional=True)
    )
    instrument: str | None = attrs.field(default=None, validator=v.optional_text)
    link: str | None = attrs.field(default=None, validator=v.optional_text)
    note: str = attrs.field(default="", validator=v.text)

    def __str__(self) -> str:
        name = self.instrument or self.id
        authority = f" ({self.authority.value})" if self.authority is not None else ""
        title = f": {self.title}" if self.title else ""
        return f"{name}{authority}{title}"

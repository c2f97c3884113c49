"""Base rates: an importer's applied MFN duty on a product, as data rather than a measure.

A base rate is the bottom layer of every tariff stack on the product into the importer (and into
the members of a customs union that is the importer). It names its source, so what was known when
covers it: a stack as known at ``k`` uses only the base rates recorded by ``k`` (the rate's own
``recorded`` time, else its source's publication).

>>> from tradetruce import HSCode, Rate
>>> BaseRate(
...     id="eu-cars",
...     importer="eu",
...     product=HSCode("8703"),
...     rate=Rate.percent("10"),
...     source="cn-2024",
...     start=When.parse("2024-01-01[Europe/Brussels]"),
... ).describe()
'10% on 8703 from 2024-01-01[Europe/Brussels]'
"""

from __future__ import annotations

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v
from tradetruce.values.codes import HSCode
from tradetruce.values.rates import Rate
from tradetruce.values.when import When

__all__ = ["BaseRate"]


@attrs.frozen(kw_only=True)
class BaseRate:
    """An importer's applied (MFN) duty on a product for a time.

    Attributes:
        id: the base rate's id (its layer in a tariff stack carries it).
        importer: the importing party's id (a customs union's for its members).
        product: the HS code it applies to (finer codes included; the finest that applies wins).
        rate: the duty.
        source: the schedule or act it comes from.
        start: when it starts to apply, as precisely as known (``None``: always has).
        end: when it stops applying, as precisely as known (``None``: not known to stop).
        instrument: the act that sets it (a Combined Nomenclature regulation, an HTS edition).
        recorded: when it was recorded, if not at its source's publication.
    """

    id: str = attrs.field(validator=v.an_id)
    importer: str = attrs.field(validator=v.an_id)
    product: HSCode = attrs.field(validator=v.instance(HSCode))
    rate: Rate = attrs.field(validator=v.instance(Rate))
    source: str = attrs.field(validator=v.an_id)
    start: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    end: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))
    instrument: str | None = attrs.field(default=None, validator=v.optional_text)
    recorded: When | None = attrs.field(default=None, validator=v.instance(When, optional=True))

    def __attrs_post_init__(self) -> None:
        if (
            self.start is not None
            and self.end is not None
            and self.end.definitely_before(self.start)
        ):
            raise InvalidValueError(
                f"{self.id}: end {self.end} is before start {self.start}",
                field="end",
                value=self.end,
                allowed="an end that can fall after the start",
            )

    def describe(self) -> str:
        """A short human summary: ``10% on 8703 from 2024-01-01[Europe/Brussels]``."""
        text = f"{self.rate} on {self.product}"
        if self.start is not None:
            text += f" from {self.start}"
        if self.end is not None:
            text += f" until {self.end}"
        return text

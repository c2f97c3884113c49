"""What a measure reaches: origins, products and producers, with exclusions and exemptions.

A measure's :class:`Scope` is part of its :class:`~tradetruce.Terms`, so an entry that extends a
product exclusion or adds a producer's rate changes it like a rate cut does, and what was known
when covers it. A measure whose terms write no scope reaches its ``targets`` and ``products``.

>>> from tradetruce import HSCode, Rate
>>> cvd = Scope(
...     origins=("cn",),
...     products=(HSCode("870380"),),
...     producers=(ProducerRate(producer="byd", rate=Rate.percent("17.0")),),
...     residual=Rate.percent("35.3"),
... )
>>> cvd.reaches_origin({"cn"}), cvd.reaches_product(HSCode("8703.80.10"))
(True, True)
>>> [str(r) for r in cvd.rates_for("byd", Rate.percent("35.3"))]
['17.0%']
>>> sorted(str(r) for r in cvd.rates_for(None, Rate.percent("35.3")))
['17.0%', '35.3%']
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.values import _validate as v
from tradetruce.values.codes import HSCode
from tradetruce.values.rates import Rate

__all__ = ["Exemption", "ExemptionKind", "ProducerRate", "Scope", "covers_any"]


def covers_any(codes: Iterable[HSCode], product: HSCode) -> bool:
    """True when one of ``codes`` is ``product`` or a coarser code above it."""
    return any(code.covers(product) for code in codes)


@attrs.frozen(kw_only=True)
class ProducerRate:
    """A rate of its own for one producer (a company's id, or a group's).

    Attributes:
        producer: the producer's party id.
        rate: its rate, in place of the measure's.
        code: the customs additional code it is declared under (the EU's TARIC codes), if any.
    """

    producer: str = attrs.field(validator=v.an_id)
    rate: Rate = attrs.field(validator=v.instance(Rate))
    code: str | None = attrs.field(default=None, validator=v.optional_text)


class ExemptionKind(StrEnum):
    """Why a named holder does not pay."""

    LICENCE = "licence"  #: a licence or certificate
    UNDERTAKING = "undertaking"  #: a price undertaking accepted in place of the duty
    OTHER = "other"


@attrs.frozen(kw_only=True)
class Exemption:
    """A named holder that does not pay the measure."""

    holder: str = attrs.field(validator=v.an_id)
    kind: ExemptionKind = attrs.field(
        default=ExemptionKind.OTHER, validator=v.instance(ExemptionKind)
    )
    note: str = attrs.field(default="", validator=v.text)


def _distinct(field: str, values: Collection[object]) -> None:
    if len(set(values)) != len(values):
        raise InvalidValueError(
            f"{field}: a value is named twice",
            field=field,
            value=tuple(values),
            allowed="each value once",
        )


@attrs.frozen(kw_only=True)
class Scope:
    """The origins, products and producers a measure reaches.

    Attributes:
        origins: the parties whose goods it reaches (a party's sub-parties included); none: every
            origin.
        excluded_origins: origins it does not reach, even when ``origins`` names a party above
            them ("all origins except Canada and Mexico").
        products: the HS codes it reaches (finer codes included); none: all goods.
        excluded_products: codes it does not reach (product exclusions).
        producers: producers with a rate of their own.
        residual: the rate for every producer not named in ``producers`` (none: the terms' rate).
        exemptions: named holders that do not pay.
    """

    origins: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    excluded_origins: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    products: tuple[HSCode, ...] = attrs.field(default=(), validator=v.tuple_of(HSCode))
    excluded_products: tuple[HSCode, ...] = attrs.field(default=(), validator=v.tuple_of(HSCode))
    producers: tuple[ProducerRate, ...] = attrs.field(
        default=(), validator=v.tuple_of(ProducerRate)
    )
    residual: Rate | None = attrs.field(default=None, validator=v.instance(Rate, optional=True))
    exemptions: tuple[Exemption, ...] = attrs.field(default=(), validator=v.tuple_of(Exemption))

    def __attrs_post_init__(self) -> None:
        _distinct("producers", [p.producer for p in self.producers])
        _distinct("exemptions", [e.holder for e in self.exemptions])
        both = set(self.origins) & set(self.excluded_origins)
        if both:
            raise InvalidValueError(
                f"excluded_origins: {', '.join(sorted(both))} also named in origins",
                field="excluded_origins",
                value=self.excluded_origins,
                allowed="origins that are not also listed as reached",
            )

    def rates(self) -> tuple[Rate, ...]:
        """The rates the scope names: each producer's, then the residual."""
        residual = () if self.residual is None else (self.residual,)
        return (*(p.rate for p in self.producers), *residual)

    def reaches_origin(self, lineage: Collection[str]) -> bool:
        """True for goods from an origin whose parent chain (itself first) is ``lineage``."""
        if self.origins and not any(o in lineage for o in self.origins):
            return False
        return not any(o in lineage for o in self.excluded_origins)

    def reaches_product(self, product: HSCode) -> bool:
        """True for a product under one of ``products`` (or any, when none is named) and under
        none of ``excluded_products``."""
        if self.products and not covers_any(self.products, product):
            return False
        return not covers_any(self.excluded_products, product)

    def rates_for(
        self, producer: Collection[str] | str | None, rate: Rate | None
    ) -> list[Rate | None]:
        """The rates the measure may charge goods made by ``producer`` (its parent chain, or its
        id), when the terms' rate is ``rate``: one rate for a known producer, ``None`` for an
        exempt one; for an unknown producer (``None``), every rate it may be charged, ``None``
        included when a holder is exempt."""
        if producer is None:
            # Any named producer, or one not named (the residual), or an exempt holder.
            options: list[Rate | None] = [p.rate for p in self.producers]
            options.append(self.residual or rate)
            if self.exemptions:
                options.append(None)
            return list(dict.fromkeys(options))
        chain = (producer,) if isinstance(producer, str) else producer
        if any(e.holder in chain for e in self.exemptions):
            return [None]
        own = {p.producer: p.rate for p in self.producers}
        for party in chain:  # innermost first: a company's own rate before its group's
            if party in own:
                return [own[party]]
        return [self.residual or rate]

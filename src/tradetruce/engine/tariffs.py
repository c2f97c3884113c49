"""Stacked tariffs: the total ad valorem rate on one flow of goods at one instant.

Tariffs stack: a 10% layer under one legal basis and a 25% layer under another add up to 35%.
:func:`tariff_stack` finds the layers that apply to imports into ``importer`` from ``exporter`` of
a product, at ``t`` as known at ``known_at``, and adds them up.

A measure is a layer when it is a tariff; imposed by the importer or by one of its sub-parties
(a party whose :attr:`~tradetruce.Party.parent` chain reaches the importer); aimed at the exporter
(its targets name the exporter or a party above it in its parent chain, or it names no targets at
all and so applies to every origin); covers the product; has an ad valorem (percent) rate; and is
in force at ``t``. A layer is *uncertain* when the view cannot say whether it is in force at ``t``
(``t`` lies inside an approximate time value of its history, or of its effective or expiry
terms); uncertain layers are listed apart and are not in :attr:`TariffStack.total`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from tradetruce.engine.states import MeasureState
from tradetruce.engine.view import instant
from tradetruce.errors import InvalidValueError
from tradetruce.model.lifecycle import MeasureStatus
from tradetruce.model.measure import Measure, MeasureKind
from tradetruce.values.codes import HSCode
from tradetruce.values.terms import Rate

if TYPE_CHECKING:
    from tradetruce.model.scenario import Scenario
    from tradetruce.values.when import When

__all__ = ["TariffLayer", "TariffStack", "tariff_stack"]


@attrs.frozen(kw_only=True)
class TariffLayer:
    """One tariff that applies to a flow of goods.

    Attributes:
        measure: the measure's id.
        rate: its ad valorem rate.
        legal_basis: the instrument it rests on, when known.
        certain: False when it may or may not be in force at the moment asked about.
    """

    measure: str
    rate: Rate
    legal_basis: str | None
    certain: bool = True

    def __str__(self) -> str:
        basis = f" ({self.legal_basis})" if self.legal_basis else ""
        return f"{self.rate}{basis} {self.measure}"


@attrs.frozen(kw_only=True)
class TariffStack:
    """The tariff layers on one flow of goods at one moment, and their total.

    Attributes:
        importer: the importing party's id.
        exporter: the exporting party's id.
        product: the product's HS code.
        at: the moment, in UTC.
        known_at: only what was recorded by then (``None``: everything).
        layers: the layers certainly in force, in scenario order.
        uncertain: the layers that may or may not be in force.
    """

    importer: str
    exporter: str
    product: HSCode
    at: _dt.datetime
    known_at: _dt.datetime | None
    layers: tuple[TariffLayer, ...]
    uncertain: tuple[TariffLayer, ...]

    @property
    def total(self) -> Decimal:
        """The sum of the certain layers, in percent."""
        return sum((layer.rate.value for layer in self.layers), Decimal(0))

    @property
    def highest(self) -> Decimal:
        """The total if every uncertain layer were in force too."""
        return self.total + sum((layer.rate.value for layer in self.uncertain), Decimal(0))

    def __str__(self) -> str:
        head = (
            f"{self.importer} tariffs on {self.product} from {self.exporter} "
            f"at {self.at.isoformat()}: {self.total}%"
        )
        lines = [head, *(f"  + {layer}" for layer in self.layers)]
        lines += [f"  ? {layer} (may or may not apply)" for layer in self.uncertain]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The stack as an HTML table, for notebooks (:mod:`tradetruce.export.html`)."""
        from tradetruce.export.html import stack_html

        return stack_html(self)


def _code(product: HSCode | str) -> HSCode:
    if isinstance(product, HSCode):
        return product
    if isinstance(product, str):
        return HSCode.parse(product)
    raise InvalidValueError(
        f"product: expected an HS code, not {type(product).__name__}",
        field="product",
        value=product,
        allowed="an HSCode or its text form such as '1201' or 'HS2022:1201'",
    )


def tariffs_by_imposer(scenario: Scenario) -> Mapping[str, tuple[Measure, ...]]:
    """Tariff measures grouped by the party that imposes them, in scenario order (each Scenario
    keeps its own, found on first use)."""
    groups: dict[str, list[Measure]] = {}
    for m in scenario.measures:
        if m.kind is MeasureKind.TARIFF:
            groups.setdefault(m.imposed_by, []).append(m)
    return {k: tuple(v) for k, v in groups.items()}


def tariff_stack(
    scenario: Scenario,
    importer: str,
    exporter: str,
    product: HSCode | str,
    at: _dt.datetime | When | str,
    known_at: _dt.datetime | When | str | None = None,
) -> TariffStack:
    """The tariff layers in force; see the module docs and :meth:`Scenario.tariff_stack`."""
    code = _code(product)
    t = instant(at, "at")
    k = None if known_at is None else instant(known_at, "known_at")
    scenario.party(importer)
    origins = {p.id for p in scenario.lineage(exporter)}
    view = scenario.at(t, known_at=k)
    layers: list[TariffLayer] = []
    uncertain: list[TariffLayer] = []
    for imposer, measures in scenario._tariffs.items():
        if importer not in {p.id for p in scenario.lineage(imposer)}:
            continue
        for m in measures:
            if m.targets and origins.isdisjoint(m.targets):
                continue
            if not m.covers(code):
                continue
            layer = _layer(m, view.measures[m.id], t)
            if layer is not None:
                (layers if layer.certain else uncertain).append(layer)
    order = {m.id: i for i, m in enumerate(scenario.measures)}
    layers.sort(key=lambda layer: order[layer.measure])
    uncertain.sort(key=lambda layer: order[layer.measure])
    return TariffStack(
        importer=importer,
        exporter=exporter,
        product=code,
        at=t,
        known_at=k,
        layers=tuple(layers),
        uncertain=tuple(uncertain),
    )


def _layer(measure: Measure, state: MeasureState, t: _dt.datetime) -> TariffLayer | None:
    if MeasureStatus.IN_FORCE not in state.candidates:
        return None
    terms = state.terms
    if terms is None or terms.rate is None or not terms.rate.is_ad_valorem:
        return None
    certain = state.certain
    if terms.effective is not None:
        if terms.effective.lower > t:
            return None
        certain = certain and terms.effective.upper <= t
    if terms.expires is not None:
        if terms.expires.upper <= t:
            return None
        certain = certain and terms.expires.lower > t
    return TariffLayer(
        measure=measure.id, rate=terms.rate, legal_basis=terms.legal_basis, certain=certain
    )

"""Stacked tariffs: the total ad valorem rate on one flow of goods at one instant.

Tariffs stack: a 10% layer under one legal basis and a 25% layer under another add up to 35%.
:func:`tariff_stack` finds the layers that apply to imports into ``importer`` from ``exporter`` of
a product, at ``t`` as known at ``known_at``, and adds them up.

Stacking rules (:class:`~tradetruce.StackingRule`) of the importer's territory, recorded by
``known_at``, then keep layers off: a layer a rule excludes goes to :attr:`TariffStack.excluded`
when a layer that pre-empts it certainly applies, and becomes uncertain (adding nothing at the
least) when one may apply.

The bottom layer is the importer's base rate (:class:`~tradetruce.BaseRate`, data rather than a
measure): of the base rates of the importer or of a customs union it belongs to that cover the
product, were recorded by ``known_at`` and may apply at ``t``, the finest-coded ones; uncertain
while one may start or end around ``t`` or when several differ. Its layer has ``base=True``.

A measure is a layer when it is a tariff; imposed by the importer or by one of its sub-parties (a
party whose :attr:`~tradetruce.Party.parent` chain reaches the importer), or by a customs union the
importer belongs to (a party marked :attr:`~tradetruce.Party.customs_union` in the importer's parent
chain, or one of its sub-parties: France imports under the EU's tariff); reaches the exporter and
the product (the :class:`~tradetruce.Scope` its terms write, or else its targets and products: a
target or origin reaches the parties below it and, when it is a group, the parties it lists, an HS
code the finer codes below it, and excluded origins and products are left out); has a rate; and
applies at ``t``. It applies in force, once its ``effective`` time has come; and paused in part (a
:class:`~tradetruce.Suspension` with a ``portion``), where it adds its rate minus the portion. A
measure whose suspension has ended with nothing recorded may be back (the view's lapse): it is a
layer that may apply, at its full rate. A measure's own ``expires`` is its only end, and the view
reads it (an expiry that has come makes the state uncertain, too). A measure with a specific rate
(an amount per unit) makes a layer of :attr:`TariffStack.per_unit`, outside the percent total,
rather than vanish from the stack.

A scope with producer rates charges a given ``producer`` its own rate (or its group's: a party in
its parent chain, or a group that lists it), another producer the residual rate, and an exempt
holder nothing. With no producer given, the layer is uncertain when the rates differ: it carries the
highest, and the least it adds is the lowest (zero when some holder is exempt). Each way the measure
may stand at ``t`` is read through the scope it has that way, so an amended scope is as bitemporal
as a rate.

Rates come in several forms (:class:`~tradetruce.Rate`). A rate known only as a range makes a layer
that adds at least its lower end and at most its upper end, uncertain. A compound rate (an ad
valorem part plus a specific part) adds its ad valorem part to the percent total and names its
specific part; the greater or the lesser of an ad valorem and a specific rate cannot be decided
in percent alone, so its layer is uncertain (the greater of them adds its ad valorem part at the
least); :meth:`TariffStack.amount` decides every form for a given value and quantity. An all-in
floor (:meth:`Rate.at_least <tradetruce.Rate.at_least>`) adds what the base rate leaves to reach
it, ``max(0, floor - base)``, with bounds from the base rate's bounds. A measure whose terms
carry a :class:`~tradetruce.Share` of the value adds its ad valorem parts scaled by the share
(from nothing to the full rate for an unknown share). Each layer's bounds hold on their own, so
the stack's bounds contain every total the data allows; they may be wider than it.

A layer is *uncertain* when the view cannot say what it adds at ``t``: the state is uncertain (an
entry whose time spans ``t``, a lapse) or ``t`` lies inside its effective time. An uncertain layer
carries the rate it would have if it applied (the terms of the entry that would make it apply,
when that entry brings new ones) and the least it may add (``low``: zero when it may not apply at
all). The stack's :attr:`~TariffStack.low` and :attr:`~TariffStack.high` bound the total.
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
from tradetruce.model._known import base_rate_known
from tradetruce.model.base_rate import BaseRate
from tradetruce.model.entries import MeasureEntry, suspension_after
from tradetruce.model.lifecycle import REMEDY_CHARGES, Charges, MeasureStatus
from tradetruce.model.measure import Measure
from tradetruce.model.stacking import StackingRule
from tradetruce.values.authority import Authority
from tradetruce.values.codes import HSCode
from tradetruce.values.rates import Combine, RateUnit, decimal_number, scheduled
from tradetruce.values.suspension import Suspension
from tradetruce.values.terms import Rate, Share, Terms
from tradetruce.values.when import to_us

if TYPE_CHECKING:
    from tradetruce.model.scenario import Scenario
    from tradetruce.values.when import When

__all__ = ["Amount", "FlowInputs", "TariffLayer", "TariffStack", "flow_inputs", "tariff_stack"]


@attrs.frozen(kw_only=True)
class TariffLayer:
    """One tariff that applies, or may apply, to a flow of goods.

    Attributes:
        measure: the measure's id.
        rate: what it adds when it applies: its ad valorem rate, less any suspended portion (for
            an uncertain layer, the most it may add: the rate it would have if it applied).
        legal_basis: the legal basis it rests on, in words, when known.
        authority: the kind of legal authority it rests on, when known (to select, say, every
            Section 301 layer).
        instrument: the act that imposes it (an executive order, a Chapter 99 heading, an
            Official Journal number), when known.
        base: True for the importer's base (MFN) rate (:class:`~tradetruce.BaseRate`); then
            ``measure`` is the base rate's id.
        certain: False when what it adds at the moment asked about is not certain.
        low: the least it adds (zero for a layer that may not apply at all): in percent of the
            value, or per unit for a layer of :attr:`TariffStack.per_unit`.
        high: the most it adds, in the same unit (the upper end of a range rate, of a share,
            and what a floor adds over the lowest base rate).
        share: the share of the value it applies to, when its terms name one.
        settled: True when it surely charges ``rate`` (it applies and no other rate of it is
            pending); :meth:`TariffStack.amount` then takes the least a rate of two parts
            charges from the rate, and otherwise nothing.
        act: the id of the :class:`~tradetruce.LegalAct` its terms name, when they name one.
        note: what else a reader should know (``24 of 34 points suspended``).
    """

    measure: str
    rate: Rate
    legal_basis: str | None
    authority: Authority | None = None
    instrument: str | None = None
    base: bool = False
    certain: bool = True
    low: Decimal = attrs.field()
    high: Decimal = attrs.field()
    share: Share | None = None
    act: str | None = None
    settled: bool = attrs.field()
    note: str = ""

    @low.default
    def _low(self) -> Decimal:
        return _span(self.rate, None)[0] if self.certain else Decimal(0)

    @high.default
    def _high(self) -> Decimal:
        return _span(self.rate, None)[1]

    @settled.default
    def _settled(self) -> bool:
        return self.certain

    def charge(
        self, value: Decimal, quantity: Decimal | None, currency: str
    ) -> tuple[Decimal, Decimal]:
        """The least and the most this layer charges a shipment of customs ``value`` in
        ``currency`` and ``quantity`` units.

        Raises:
            InvalidValueError: the rate has a specific part and ``quantity`` is None, or that
                part is charged in another currency (no conversion is made).
        """
        for part in self.rate.parts:
            if part.unit is RateUnit.SPECIFIC:
                if quantity is None:
                    raise InvalidValueError(
                        f"{self.measure} charges {self.rate}: the amount needs a quantity",
                        field="quantity",
                        value=None,
                        allowed=f"the number of units ({part.per})",
                    )
                if part.currency != currency:
                    raise InvalidValueError(
                        f"{self.measure} charges {self.rate}, not in {currency}: "
                        "no currency conversion is made",
                        field="currency",
                        value=currency,
                        allowed=f"the currency of every duty per unit ({part.currency})",
                    )
        if not self.rate.has_specific:
            return value * self.low / 100, value * self.high / 100
        assert quantity is not None
        if not self.rate.has_percent:
            return quantity * self.low, quantity * self.high
        share = self.share or Share(Decimal(1), Decimal(1))
        low = self.rate.charge(value * share.low, quantity)[0] if self.settled else Decimal(0)
        return low, self.rate.charge(value * share.high, quantity)[1]

    def __str__(self) -> str:
        basis = f" ({self.legal_basis})" if self.legal_basis else ""
        note = f" [{self.note}]" if self.note else ""
        share = f" on {self.share}" if self.share is not None else ""
        return f"{self.rate}{share}{basis} {self.measure}{note}"


@attrs.frozen(kw_only=True)
class TariffStack:
    """The tariff layers on one flow of goods at one moment, and the bounds of their total.

    Attributes:
        importer: the importing party's id.
        exporter: the exporting party's id.
        product: the product's HS code.
        at: the moment, in UTC.
        known_at: only what was recorded by then (``None``: everything).
        producer: the producer's party id, when asked about one (``None``: any producer).
        layers: the layers that certainly apply, each with what it adds, in scenario order.
        uncertain: the layers that may or may not apply, or may add more or less.
        per_unit: the specific duties (an amount per unit: EUR 1,000 per vehicle) that apply or
            may apply; they are not part of :attr:`low` and :attr:`high`, which are in percent
            of the value, and each says whether it is certain and the least it charges. A rate
            with both an ad valorem and a specific part is a layer of :attr:`layers` or
            :attr:`uncertain`, which counts its ad valorem part; its rate names the specific
            part, and :meth:`amount` charges it.
        excluded: the layers a stacking rule keeps off (another layer that pre-empts them
            certainly applies), each with a note naming the rule and the layer; they are not
            part of the total.
    """

    importer: str
    exporter: str
    product: HSCode
    at: _dt.datetime
    known_at: _dt.datetime | None
    layers: tuple[TariffLayer, ...]
    uncertain: tuple[TariffLayer, ...]
    producer: str | None = None
    per_unit: tuple[TariffLayer, ...] = ()
    excluded: tuple[TariffLayer, ...] = ()

    @property
    def low(self) -> Decimal:
        """The least the total may be, in percent: every layer at the least it adds."""
        return sum((layer.low for layer in (*self.layers, *self.uncertain)), Decimal(0))

    @property
    def high(self) -> Decimal:
        """The most the total may be, in percent: every layer at the most it adds (a specific
        part of a layer's rate is outside it)."""
        return sum((layer.high for layer in (*self.layers, *self.uncertain)), Decimal(0))

    @property
    def total(self) -> Decimal:
        """The low bound (:attr:`low`), kept under its earlier name: the sum of the certain layers
        and of what the uncertain ones add at the least."""
        return self.low

    def amount(
        self,
        value: Decimal | int | str,
        currency: str,
        quantity: Decimal | int | str | None = None,
    ) -> Amount:
        """The duty on a shipment of customs ``value`` in ``currency`` (and ``quantity`` units,
        for duties charged per unit), as low and high bounds, in Decimal and unrounded.

        Raises:
            InvalidValueError: a duty per unit is in the stack and no ``quantity`` is given, or
                it is charged in another currency (no conversion is made), or a number is not
                a finite decimal.
        """
        worth = _amount_number(value, "value")
        count = None if quantity is None else _amount_number(quantity, "quantity")
        low = high = Decimal(0)
        for layer in (*self.layers, *self.uncertain, *self.per_unit):
            lo, hi = layer.charge(worth, count, currency)
            low += lo
            high += hi
        return Amount(currency=currency, low=low, high=high)

    def under(self, *authorities: Authority) -> tuple[TariffLayer, ...]:
        """Every layer (certain, uncertain and per unit) that rests on one of ``authorities``."""
        every = (*self.layers, *self.uncertain, *self.per_unit)
        return tuple(layer for layer in every if layer.authority in authorities)

    def under_act(self, *acts: str) -> tuple[TariffLayer, ...]:
        """Every layer (certain, uncertain and per unit) whose terms name one of ``acts`` (ids
        of the scenario's :class:`~tradetruce.LegalAct`)."""
        every = (*self.layers, *self.uncertain, *self.per_unit)
        return tuple(layer for layer in every if layer.act in acts)

    @property
    def highest(self) -> Decimal:
        """The high bound (:attr:`high`), kept under its earlier name."""
        return self.high

    def __str__(self) -> str:
        low, high = self.low, self.high
        bounds = f"{low}%" if low == high else f"{low}% to {high}%"
        head = (
            f"{self.importer} tariffs on {self.product} from {self.exporter} "
            f"at {self.at.isoformat()}: {bounds}"
        )
        lines = [head, *(f"  + {layer}" for layer in self.layers)]
        for layer in self.uncertain:
            least = "may or may not apply" if layer.low == 0 else f"adds {layer.low}% at least"
            lines.append(f"  ? {layer} ({least})")
        lines.extend(f"  - {layer} (excluded)" for layer in self.excluded)
        for layer in self.per_unit:
            how = "" if layer.certain else ", may or may not apply"
            if not layer.certain and layer.low:
                how = f", {layer.low} at least"
            lines.append(f"  ! {layer} (per unit, not in the percent total{how})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The stack as an HTML table, for notebooks (:mod:`tradetruce.export.html`)."""
        from tradetruce.export.html import stack_html

        return stack_html(self)


@attrs.frozen(kw_only=True)
class Amount:
    """A duty in money: the bounds of what a shipment pays (see :meth:`TariffStack.amount`)."""

    currency: str
    low: Decimal
    high: Decimal

    def __str__(self) -> str:
        if self.low == self.high:
            return f"{self.low} {self.currency}"
        return f"{self.low} to {self.high} {self.currency}"


def _amount_number(value: object, field: str) -> Decimal:
    """A customs value or quantity: a decimal as rates take one (:func:`decimal_number`: no
    floats, ASCII digits only), and not negative."""
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int | str):
        raise InvalidValueError(
            f"{field}: {value!r} is not a Decimal, an int or a decimal string",
            field=field,
            value=value,
            allowed="a Decimal, an int, or a decimal string such as '40000'",
        )
    number = decimal_number(value, field)
    if number < 0:
        raise InvalidValueError(
            f"{field}: {value!r} is negative: a non-negative decimal number is needed",
            field=field,
            value=value,
            allowed="a non-negative Decimal, int, or decimal string such as '40000'",
        )
    return number


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
    """Tariff measures (and trade remedies) grouped by the party that imposes them, in scenario
    order (each Scenario keeps its own, found on first use)."""
    groups: dict[str, list[Measure]] = {}
    for m in scenario.measures:
        if m.kind.charges_duty:
            groups.setdefault(m.imposed_by, []).append(m)
    return {k: tuple(v) for k, v in groups.items()}


def tariff_territory(scenario: Scenario, importer: str) -> frozenset[str]:
    """The parties whose tariffs (and their sub-parties' tariffs) apply to imports into
    ``importer``: the importer itself and each customs union in its parent chain."""
    chain = scenario.lineage(importer)
    return frozenset([importer, *(p.id for p in chain[1:] if p.customs_union)])


def tariff_stack(
    scenario: Scenario,
    importer: str,
    exporter: str,
    product: HSCode | str,
    at: _dt.datetime | When | str,
    known_at: _dt.datetime | When | str | None = None,
    *,
    producer: str | None = None,
) -> TariffStack:
    """The tariff layers in force; see the module docs and :meth:`Scenario.tariff_stack`."""
    code = _code(product)
    t = instant(at, "at")
    k = None if known_at is None else instant(known_at, "known_at")
    territory = tariff_territory(scenario, importer)
    # The exporter, its parents, and the groups they are listed in (an entity list).
    origins = scenario.targeted_as(exporter)
    made_by = None if producer is None else _producer_chain(scenario, producer)
    reach = _Reach(origins, code, made_by)
    view = scenario.at(t, known_at=k)
    layers: list[TariffLayer] = []
    uncertain: list[TariffLayer] = []
    per_unit: list[TariffLayer] = []
    for m in _territory_tariffs(scenario, territory):
        if not m.may_reach(origins, code):
            continue
        scoped = reach if m.writes_scope else None
        layer, specific = _layer(m, view.measures[m.id], t, scoped, code)
        if layer is not None:
            (layers if layer.certain else uncertain).append(layer)
        if specific is not None:
            per_unit.append(specific)
    order = {m.id: i for i, m in enumerate(scenario.measures)}
    layers.sort(key=lambda layer: order[layer.measure])
    uncertain.sort(key=lambda layer: order[layer.measure])
    per_unit.sort(key=lambda layer: order[layer.measure])
    rules = _rules(scenario, territory, k)
    excluded: list[TariffLayer] = []
    if rules:
        layers, uncertain, per_unit, excluded = _apply_rules(rules, layers, uncertain, per_unit)
        uncertain.sort(key=lambda layer: order[layer.measure])
    base = _base_layer(scenario, territory, code, t, k)
    if any(layer.rate.floor for layer in (*layers, *uncertain)):
        layers, uncertain = _floors(base, layers, uncertain)
    if base is not None and not base.rate.has_percent:
        per_unit.insert(0, base)
    elif base is not None:
        (layers if base.certain else uncertain).insert(0, base)
    return TariffStack(
        importer=importer,
        exporter=exporter,
        product=code,
        at=t,
        known_at=k,
        layers=tuple(layers),
        uncertain=tuple(uncertain),
        producer=producer,
        per_unit=tuple(per_unit),
        excluded=tuple(excluded),
    )


def _territory_tariffs(scenario: Scenario, territory: frozenset[str]) -> list[Measure]:
    """The tariffs imposed by a party of ``territory`` or one under it, in scenario order of
    their imposers."""
    return [
        m
        for imposer, measures in scenario._tariffs.items()
        if not territory.isdisjoint(p.id for p in scenario.lineage(imposer))
        for m in measures
    ]


@attrs.frozen
class FlowInputs:
    """Everything a flow's tariff stack may read, at any time and as known at any time: the
    tariffs that may be its layers, the base rates that cover its product, and the stacking
    rules of its importer's territory. Between two instants at which none of them changes (an
    entry's time, an effective, expiry or suspension end, a base rate's start or end) the stack
    stays the same; as known at two knowledge times between which none of them was recorded,
    too. :func:`tradetruce.export.rate_panel` cuts its intervals there.

    Attributes:
        measures: the tariffs some scope of which reaches the flow (:meth:`Measure.may_reach`).
        base_rates: the base rates of the territory that cover the product.
        rules: the stacking rules of the territory.
        reach: for each tariff of the territory that may reach the origin and each of its
            scopes, whether the scope reaches the product; then, for each base rate of the
            territory, whether it covers the product; then, for each heading of those
            tariffs' rate schedules, whether it covers the product. Two products with the same
            ``reach`` have the same stacks.
    """

    measures: tuple[Measure, ...]
    base_rates: tuple[BaseRate, ...]
    rules: tuple[StackingRule, ...]
    reach: tuple[bool, ...]


def flow_inputs(
    scenario: Scenario, importer: str, exporter: str, products: list[HSCode]
) -> list[FlowInputs]:
    """What the tariff stacks of imports into ``importer`` from ``exporter`` of each of
    ``products`` may read (:class:`FlowInputs`), one per product, by the rule
    :func:`tariff_stack` applies."""
    territory = tariff_territory(scenario, importer)
    origins = scenario.targeted_as(exporter)
    tariffs = [
        m
        for m in _territory_tariffs(scenario, territory)
        if any(s.reaches_origin(origins) for s in m.scopes)
    ]
    bases = [b for b in scenario.base_rates if b.importer in territory]
    # The headings of every rate schedule: products they cover alike have the same rates.
    headings = sorted(
        {
            p.product
            for m in tariffs
            for e in m.history
            if e.terms is not None
            for p in e.terms.schedule
        },
        key=str,
    )
    rules = tuple(r for r in scenario.stacking_rules if r.importer in territory)
    found: list[FlowInputs] = []
    for code in products:
        reach = (
            tuple(
                s.reaches_origin(origins) and s.reaches_product(code)
                for m in tariffs
                for s in m.scopes
            )
            + tuple(b.product.covers(code) for b in bases)
            + tuple(heading.covers(code) for heading in headings)
        )
        found.append(
            FlowInputs(
                measures=tuple(m for m in tariffs if m.may_reach(origins, code)),
                base_rates=tuple(b for b in bases if b.product.covers(code)),
                rules=rules,
                reach=reach,
            )
        )
    return found


def _producer_chain(scenario: Scenario, producer: str) -> tuple[str, ...]:
    """The producer, its parents (innermost first), then the groups any of them is listed in:
    the order in which a producer rate of its own wins over its group's."""
    chain = tuple(p.id for p in scenario.lineage(producer))
    return chain + tuple(sorted(scenario.targeted_as(producer) - set(chain)))


@attrs.frozen
class _Reach:
    """The goods asked about: the origin's parent chain, the product, the producer's chain."""

    origins: frozenset[str]
    code: HSCode
    producer: tuple[str, ...] | None


def _layer(
    measure: Measure, state: MeasureState, t: _dt.datetime, reach: _Reach | None, code: HSCode
) -> tuple[TariffLayer | None, TariffLayer | None]:
    """The layers ``measure`` makes at ``t``: what it adds in percent of the value, and what it
    charges per unit (a specific rate, outside the percent total); ``None`` for what it certainly
    does not add. ``reach`` is given when the measure's terms may carry a scope: each way it may
    stand is then read through the scope its terms have there."""
    options = [
        option
        for status, terms, suspension in _ways(state)
        for option in _scoped(measure, status, _for_product(terms, code), suspension, t, reach)
    ]
    ad_valorem = [o if o is not None and o[0].has_percent else None for o in options]
    per_unit = [o if o is not None and not o[0].has_percent else None for o in options]
    return _bounded(measure.id, ad_valorem), _bounded(measure.id, per_unit)


def _bounded(id: str, options: list[Option | None], *, base: bool = False) -> TariffLayer | None:
    """One layer from what each way a measure (or base rate) may stand adds (``None``:
    nothing): the most it adds, and the least (zero when some way adds nothing)."""
    found = [o for o in options if o is not None]
    if not found:
        return None
    spans = [_span(o[0], o[1].share) for o in found]
    most = max(hi for _, hi in spans)
    rate, terms, note, _ = next(o for o, (_, hi) in zip(found, spans, strict=True) if hi == most)
    may_miss = len(found) < len(options) or not all(o[3] for o in found)
    least = Decimal(0) if may_miss else min(lo for lo, _ in spans)
    # One rate and one share in every way it may stand: the rate's own bounds are the layer's.
    settled = not may_miss and (len(found) == 1 or len({(o[0], o[1].share) for o in found}) == 1)
    exact = all(_exact(o[0], o[1].share) for o in found)
    if not rate.decided:
        how = "whichever is greater" if rate.combine is Combine.GREATER else "whichever is lower"
        note = "; ".join(filter(None, (note, f"{how}: decided by the value and quantity")))
    elif rate.has_percent and rate.has_specific:
        extra = f"plus {rate.unit_bounds()[1]} {_specific(rate)}, outside the percent total"
        note = "; ".join(filter(None, (note, extra)))
    return TariffLayer(
        measure=id,
        base=base,
        rate=rate,
        legal_basis=terms.legal_basis,
        authority=terms.authority,
        instrument=terms.instrument,
        certain=settled and exact and least == most,
        low=least,
        high=most,
        share=terms.share,
        act=terms.act,
        settled=settled,
        note=note,
    )


def _span(rate: Rate, share: Share | None) -> tuple[Decimal, Decimal]:
    """The least and the most ``rate`` adds on ``share`` of the value: in percent when some part
    of it is ad valorem (a share scales that), else per unit."""
    if not rate.has_percent:
        return rate.unit_bounds()
    lo, hi = rate.percent_bounds()
    if share is None:
        return lo, hi
    return lo * share.low, hi * share.high


def _exact(rate: Rate, share: Share | None) -> bool:
    """Whether ``rate`` on ``share`` charges one known amount for a given value and quantity."""
    known_share = share is None or share.low == share.high
    return rate.decided and known_share and all(p.high in (None, p.value) for p in rate.parts)


def _specific(rate: Rate) -> str:
    part = next(p for p in rate.parts if p.unit is RateUnit.SPECIFIC)
    return f"{part.currency} per {part.per}"


def _floors(
    base: TariffLayer | None, layers: list[TariffLayer], uncertain: list[TariffLayer]
) -> tuple[list[TariffLayer], list[TariffLayer]]:
    """The layers with each all-in floor made to add what the base rate leaves to reach it:
    ``max(0, floor - base)``, at the least against the base's most and at the most against its
    least. A base charged per unit cannot be set against a percent: the floor then adds from
    nothing to its full rate."""
    kept: list[TariffLayer] = []
    maybe: list[TariffLayer] = []
    for layer in (*layers, *uncertain):
        if not layer.rate.floor:
            (kept if layer.certain else maybe).append(layer)
            continue
        if base is None:
            b_lo = b_hi = Decimal(0)
            why = "no base rate"
        elif not base.rate.has_percent:
            b_lo, b_hi = Decimal(0), layer.high
            why = f"the base rate {base.rate} is per unit"
        else:
            b_lo, b_hi = base.low, base.high
            shown = f"{b_lo}%" if b_lo == b_hi else f"{b_lo}% to {b_hi}%"
            why = f"over the base rate of {shown}"
        low = max(Decimal(0), layer.low - b_hi)
        high = max(Decimal(0), layer.high - b_lo)
        certain = layer.certain and low == high
        note = "; ".join(filter(None, (layer.note, f"all-in floor {why}")))
        floor = attrs.evolve(layer, low=low, high=high, certain=certain, note=note)
        (kept if certain else maybe).append(floor)
    return kept, maybe


def _rules(
    scenario: Scenario, territory: frozenset[str], k: _dt.datetime | None
) -> list[StackingRule]:
    """The stacking rules of the importer's territory, recorded by ``k``."""
    known = None if k is None else to_us(k)
    return [
        r
        for r in scenario.stacking_rules
        if r.importer in territory
        and (known is None or base_rate_known(r, scenario.published, known))
    ]


def _apply_rules(
    rules: list[StackingRule],
    layers: list[TariffLayer],
    uncertain: list[TariffLayer],
    per_unit: list[TariffLayer],
) -> tuple[list[TariffLayer], list[TariffLayer], list[TariffLayer], list[TariffLayer]]:
    """The layers once the rules are applied: a layer a rule excludes is kept off when a layer
    that pre-empts it certainly applies (into ``excluded``), and may be kept off when one may
    apply (it becomes uncertain, adding nothing at the least)."""
    every = [*layers, *uncertain, *per_unit]
    kept: tuple[list[TariffLayer], list[TariffLayer], list[TariffLayer]] = ([], [], [])
    excluded: list[TariffLayer] = []
    for group, out in zip((layers, uncertain, per_unit), kept, strict=True):
        for layer in group:
            sure: list[str] = []
            maybe: list[str] = []
            for rule in rules:
                if not rule.excludes(layer.measure, layer.authority):
                    continue
                for other in every:
                    if other is layer or not rule.pre_empts(other.measure, other.authority):
                        continue
                    (sure if other.certain else maybe).append(f"{other.measure} ({rule.id})")
            if sure:
                note = "; ".join(filter(None, (layer.note, "pre-empted by " + ", ".join(sure))))
                excluded.append(attrs.evolve(layer, note=note))
            elif maybe:
                note = "may be pre-empted by " + ", ".join(maybe)
                note = "; ".join(filter(None, (layer.note, note)))
                out.append(
                    attrs.evolve(layer, certain=False, low=Decimal(0), settled=False, note=note)
                )
            else:
                out.append(layer)
    layers_, uncertain_, per_unit_ = kept
    # A certain layer that may be pre-empted is now uncertain.
    uncertain_ = [x for x in layers_ if not x.certain] + uncertain_
    layers_ = [x for x in layers_ if x.certain]
    return layers_, uncertain_, per_unit_, excluded


def _base_layer(
    scenario: Scenario,
    territory: frozenset[str],
    code: HSCode,
    t: _dt.datetime,
    k: _dt.datetime | None,
) -> TariffLayer | None:
    """The base-rate layer: of the base rates of the importer's territory that cover the
    product, were recorded by ``k`` and may apply at ``t``, the finest-coded ones; uncertain when
    one may start or end around ``t``, or several apply and differ."""
    known = None if k is None else to_us(k)
    found: list[tuple[BaseRate, bool]] = []
    for b in scenario.base_rates:
        if b.importer not in territory or not b.product.covers(code):
            continue
        if known is not None and not base_rate_known(b, scenario.published, known):
            continue
        if (b.start is not None and b.start.lower > t) or (b.end is not None and b.end.upper <= t):
            continue
        sure = (b.start is None or b.start.upper <= t) and (b.end is None or b.end.lower > t)
        found.append((b, sure))
    if not found:
        return None
    finest = max(b.product.level for b, _ in found)
    chosen = [(b, sure) for b, sure in found if b.product.level == finest]
    ids = [b.id for b, _ in chosen]
    note = "" if len(ids) == 1 else "one of the base rates " + ", ".join(ids)
    options: list[Option | None] = []
    for b, sure in chosen:
        terms = Terms(b.rate, legal_basis="base rate", authority=Authority.CUSTOMS_TARIFF)
        terms = attrs.evolve(terms, instrument=b.instrument)
        options.append((b.rate, terms, note, sure))
    return _bounded(ids[0] if len(ids) == 1 else "+".join(ids), options, base=True)


def _for_product(terms: Terms | None, code: HSCode) -> Terms | None:
    """``terms`` with the rate their schedule gives ``code`` (the finest heading that covers
    it; the terms' own rate when none does)."""
    if terms is None or not terms.schedule:
        return terms
    rate = scheduled(terms.schedule, code)
    return terms if rate is None else attrs.evolve(terms, rate=rate)


Way = tuple[MeasureStatus | None, Terms | None, Suspension | None]
#: What a measure standing one way adds: its rate, its terms then, a note, and whether it is
#: certain to add it at the moment asked about.
Option = tuple[Rate, Terms, str, bool]


def _ways(state: MeasureState) -> list[Way]:
    """Each way the measure may stand at the view's moment: its status, terms and suspension as
    the settled entries leave them, as each entry that may or may not have happened would leave
    them, and as each lapse would (a restored measure applies its terms whole)."""
    settled = state.candidates[0]
    ways: list[Way] = [(settled, state.terms, state.suspension)]
    terms, suspension = state.terms, state.suspension
    for entry in state.pending:
        assert isinstance(entry, MeasureEntry)
        terms = entry.terms or terms
        suspension = suspension_after(entry, suspension)
        ways.append((entry.to, terms, suspension))
    ways.extend((lapse.to, state.terms, None) for lapse in state.lapses)
    return ways


def _scoped(
    measure: Measure,
    status: MeasureStatus | None,
    terms: Terms | None,
    suspension: Suspension | None,
    t: _dt.datetime,
    reach: _Reach | None,
) -> list[Option | None]:
    """What a measure standing so adds to the goods asked about: one option for each rate it may
    charge them (several for goods of an unknown producer; ``None`` where it charges nothing)."""
    if reach is None:
        return [_adds(status, terms, suspension, t)]
    scope = terms.scope if terms is not None and terms.scope is not None else None
    scope = scope or measure.default_scope
    if not (scope.reaches_origin(reach.origins) and scope.reaches_product(reach.code)):
        return [None]
    rate = terms.rate if terms is not None else None
    rates = scope.rates_for(reach.producer, rate)
    note = "depends on the producer" if len(rates) > 1 else ""
    options: list[Option | None] = []
    for r in rates:
        if r is None or terms is None:
            options.append(None)
            continue
        option = _adds(status, attrs.evolve(terms, rate=r), suspension, t)
        if option is not None and note:
            option = (option[0], option[1], "; ".join(filter(None, (option[2], note))), option[3])
        options.append(option)
    return options


def _adds(
    status: MeasureStatus | None,
    terms: Terms | None,
    suspension: Suspension | None,
    t: _dt.datetime,
) -> Option | None:
    """What a measure standing so adds at ``t``: its rate (ad valorem or specific), the terms it
    has then, a note, and whether that is certain (its effective time may span ``t``); ``None``
    when it adds nothing."""
    if terms is None or terms.rate is None:
        return None
    rate, note = terms.rate, ""
    charges = _charges(status)
    if status is MeasureStatus.PAUSED and suspension is not None and suspension.portion is not None:
        rate, note = suspension.kept(terms.rate), f"{suspension.part(terms.rate)} suspended"
    elif charges is Charges.NO:
        return None
    elif charges is Charges.SECURED:
        note = "secured by guarantee or deposit, collected only if definitive duties follow"
    definite = charges is not Charges.SECURED
    if terms.effective is not None:
        if terms.effective.lower > t:
            return None
        definite = definite and terms.effective.upper <= t
    return rate, terms, note, definite


def _charges(status: MeasureStatus | None) -> Charges:
    """What a measure in ``status`` charges: the remedy statuses say so in
    :data:`~tradetruce.REMEDY_CHARGES`; other measures charge while in force."""
    if status is MeasureStatus.IN_FORCE:
        return Charges.YES
    return REMEDY_CHARGES.get(status, Charges.NO) if status is not None else Charges.NO

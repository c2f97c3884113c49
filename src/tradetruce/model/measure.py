"""Measures: unilateral trade actions (tariffs, export controls, purchase commitments...)."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Collection, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

import attrs

from tradetruce.errors import IllegalTransitionError, InvalidValueError
from tradetruce.model.commitment import Commitment, Delivery
from tradetruce.model.correction import Correction
from tradetruce.model.entries import (
    Evidence,
    MeasureEntry,
    current_suspension,
    latest_terms,
    suspension_after,
)
from tradetruce.model.history import claim_groups, read, winner
from tradetruce.model.lifecycle import MEASURE, REMEDY, Lifecycle, MeasureStatus
from tradetruce.model.tracked import Tracked
from tradetruce.values import _validate as v
from tradetruce.values.authority import Authority
from tradetruce.values.codes import HSCode
from tradetruce.values.rates import ProductRate
from tradetruce.values.scope import Scope
from tradetruce.values.suspension import Suspension, SuspensionEnd
from tradetruce.values.terms import Quantity, Rate, Share, Terms
from tradetruce.values.when import When

__all__ = ["LIFECYCLE_OF_KIND", "Link", "LinkKind", "Measure", "MeasureKind", "latest_terms"]


class MeasureKind(StrEnum):
    TARIFF = "tariff"
    EXPORT_CONTROL = "export_control"
    IMPORT_RESTRICTION = "import_restriction"
    PURCHASE_COMMITMENT = "purchase_commitment"
    PORT_FEE = "port_fee"
    INVESTMENT_RESTRICTION = "investment_restriction"
    SANCTION = "sanction"
    OTHER = "other"
    #: trade remedies: their histories follow the :data:`~tradetruce.REMEDY` lifecycle
    ANTI_DUMPING = "anti_dumping"
    COUNTERVAILING = "countervailing"
    SAFEGUARD = "safeguard"

    @property
    def lifecycle(self) -> Lifecycle[MeasureStatus]:
        """The lifecycle a measure of this kind follows (:data:`LIFECYCLE_OF_KIND`).

        >>> MeasureKind.ANTI_DUMPING.lifecycle.name, MeasureKind.TARIFF.lifecycle.name
        ('remedy', 'measure')
        """
        return LIFECYCLE_OF_KIND.get(self, MEASURE)

    @property
    def charges_duty(self) -> bool:
        """True for the kinds that are layers of a tariff stack: tariffs and trade remedies."""
        return self is MeasureKind.TARIFF or self in LIFECYCLE_OF_KIND


#: The measure kinds whose histories follow a lifecycle other than :data:`~tradetruce.MEASURE`.
LIFECYCLE_OF_KIND: Mapping[MeasureKind, Lifecycle[MeasureStatus]] = {
    MeasureKind.ANTI_DUMPING: REMEDY,
    MeasureKind.COUNTERVAILING: REMEDY,
    MeasureKind.SAFEGUARD: REMEDY,
}


class LinkKind(StrEnum):
    """How one measure relates to another."""

    SUSPENDS = "suspends"
    RETALIATES_AGAINST = "retaliates_against"
    SUPERSEDES = "supersedes"
    IMPLEMENTS = "implements"


@attrs.frozen
class Link:
    """A typed link from a measure to another measure (``measure`` is its id)."""

    kind: LinkKind = attrs.field(validator=v.instance(LinkKind))
    measure: str = attrs.field(validator=v.an_id)


def _opt_when(value: When | _dt.datetime | str | None) -> When | None:
    return None if value is None else When.coerce(value)


class _Keep:
    """Marks an :meth:`Measure.amend` argument as "leave unchanged"."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


@attrs.frozen(kw_only=True)
class Measure(Tracked[MeasureStatus, MeasureEntry]):
    """A unilateral trade action, with its status and terms derived from its history.

    Build one with :meth:`propose`, move it with :meth:`transition`, change its terms with
    :meth:`amend`, hold it back with :meth:`suspend` and :meth:`extend_suspension`; each returns
    a new object.

    >>> import pendulum
    >>> m = Measure.propose(
    ...     id="us-100pct",
    ...     kind=MeasureKind.TARIFF,
    ...     imposed_by="us",
    ...     targets=("cn",),
    ...     rate=Rate.percent("100"),
    ...     at=When.parse("2025-10-10[America/New_York]"),
    ...     source="art-2025-10-26",
    ... )
    >>> m.status
    <MeasureStatus.PROPOSED: 'proposed'>
    >>> m.transition(MeasureStatus.EXPIRED, at=When.parse("2025-10-30[Asia/Seoul]"), source="x")
    Traceback (most recent call last):
    ...
    tradetruce.errors.IllegalTransitionError: us-100pct: cannot move from proposed to expired; ...
    """

    #: The lifecycle of most kinds; trade remedies follow :data:`~tradetruce.REMEDY`
    #: (:attr:`lifecycle`).
    LIFECYCLE: ClassVar[Lifecycle[MeasureStatus]] = MEASURE
    ENTRY: ClassVar[type[MeasureEntry]] = MeasureEntry
    AMENDABLE: ClassVar[bool] = True

    id: str = attrs.field(validator=v.an_id)
    kind: MeasureKind = attrs.field(validator=v.instance(MeasureKind))
    title: str = attrs.field(default="", validator=v.text)
    imposed_by: str = attrs.field(validator=v.an_id)
    targets: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    scope: str = attrs.field(default="", validator=v.text)
    products: tuple[HSCode, ...] = attrs.field(default=(), validator=v.tuple_of(HSCode))
    links: tuple[Link, ...] = attrs.field(default=(), validator=v.tuple_of(Link))
    #: For a purchase commitment: its targets and the deliveries reported against them.
    commitment: Commitment | None = attrs.field(
        default=None, validator=v.instance(Commitment, optional=True)
    )
    history: tuple[MeasureEntry, ...]
    #: Retractions and errata of entries of the history (:class:`~tradetruce.Correction`).
    corrections: tuple[Correction, ...] = attrs.field(default=(), validator=v.tuple_of(Correction))

    def __attrs_post_init__(self) -> None:
        if self.commitment is not None and self.kind is not MeasureKind.PURCHASE_COMMITMENT:
            raise InvalidValueError(
                f"{self.id}: a {self.kind.value} carries no commitment",
                field="commitment",
                value=self.kind,
                allowed="a commitment on a measure of kind purchase_commitment",
            )
        if self.imposed_by in self.targets:
            raise InvalidValueError(
                f"{self.id}: {self.imposed_by} cannot target itself",
                field="targets",
                value=self.targets,
                allowed="parties other than the one imposing the measure",
            )
        self._check_history()
        self._check_portions()

    @property
    def lifecycle(self) -> Lifecycle[MeasureStatus]:
        """The lifecycle the measure's history follows, chosen by its kind."""
        return self.kind.lifecycle

    def _check_portions(self) -> None:
        """A suspended portion is part of the measure's rate (and of each producer's and the
        residual rate in its scope): same unit, not above it, at the entry that suspends it and
        at every later one while it holds (a rate cut while paused cannot leave less than the
        portion)."""
        if all(e.suspension is None or e.suspension.portion is None for e in self.history):
            return
        index = 0
        terms: Terms | None = None
        current: Suspension | None = None
        for group in claim_groups(self.history):
            for entry in group:
                now = entry.terms or terms or Terms()
                suspension = suspension_after(entry, current)
                # Producers with rates of their own: the portion is part of each.
                charged = (now.rate, *(now.scope.rates() if now.scope else ()))
                found = [suspension.problem_with(r) for r in charged] if suspension else []
                problem = next((p for p in found if p), "")
                if problem:
                    raise InvalidValueError(
                        f"{self.id}: history[{index}] leaves suspended {problem}",
                        field=f"history[{index}]."
                        + ("suspension.portion" if entry.suspension else "terms.rate"),
                        value=suspension.portion if suspension else None,
                        allowed="a portion in the unit of the measure's rate, at most the "
                        "rate (or no portion: the whole measure)",
                    )
                index += 1
            last = winner(group)
            terms = last.terms or terms
            current = suspension_after(last, current)

    @classmethod
    def propose(
        cls,
        *,
        id: str,
        kind: MeasureKind,
        imposed_by: str,
        at: When | _dt.datetime | str,
        source: str,
        targets: tuple[str, ...] = (),
        title: str = "",
        scope: str = "",
        products: tuple[HSCode, ...] = (),
        links: tuple[Link, ...] = (),
        commitment: Commitment | None = None,
        rate: Rate | None = None,
        quantity: Quantity | None = None,
        legal_basis: str | None = None,
        effective: When | _dt.datetime | str | None = None,
        expires: When | _dt.datetime | str | None = None,
        terms_scope: Scope | None = None,
        authority: Authority | None = None,
        instrument: str | None = None,
        share: Share | None = None,
        schedule: tuple[ProductRate, ...] = (),
        act: str | None = None,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Measure:
        """A new measure in the initial status of its kind's lifecycle: ``proposed`` (announced
        or threatened), or ``initiated`` for a trade remedy (an investigation opened).

        ``rate``, ``quantity``, ``legal_basis``, ``effective``, ``expires``, ``terms_scope``,
        ``authority``, ``instrument``, ``share``, ``schedule`` and ``act`` are its first
        :class:`~tradetruce.Terms`.
        ``terms_scope`` is the terms' :class:`~tradetruce.Scope` (origins, products and
        producers with exclusions, producer rates and exemptions, amendable later); ``scope``
        is the measure's free-text description of what it covers.
        """
        terms = Terms(
            rate,
            quantity,
            legal_basis,
            _opt_when(effective),
            _opt_when(expires),
            scope=terms_scope,
            authority=authority,
            instrument=instrument,
            share=share,
            schedule=schedule,
            act=act,
        )
        entry = MeasureEntry.record(
            None,
            kind.lifecycle.initial,
            at=at,
            source=source,
            recorded=recorded,
            evidence=evidence,
            claimed_by=claimed_by,
            note=note,
            terms=terms,
        )
        return cls(
            id=id,
            kind=kind,
            title=title,
            imposed_by=imposed_by,
            targets=targets,
            scope=scope,
            products=products,
            links=links,
            commitment=commitment,
            history=(entry,),
        )

    def with_delivery(self, delivery: Delivery) -> Measure:
        """A copy with ``delivery`` reported against its commitment.

        Raises:
            InvalidValueError: the measure carries no commitment, or the delivery is in
                another unit.
        """
        if self.commitment is None:
            raise InvalidValueError(
                f"{self.id}: a delivery needs a commitment to count toward",
                field="commitment",
                value=None,
                allowed="a purchase_commitment measure with a commitment",
            )
        deliveries = (*self.commitment.deliveries, delivery)
        return attrs.evolve(self, commitment=attrs.evolve(self.commitment, deliveries=deliveries))

    def transition(
        self,
        to: MeasureStatus,
        *,
        at: When | _dt.datetime | str,
        source: str,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
        terms: Terms | None = None,
        suspension: Suspension | None = None,
    ) -> Measure:
        """A copy moved to ``to``; raises :class:`IllegalTransitionError` naming allowed moves.

        ``suspension`` only with ``to=paused`` (see :meth:`suspend`).
        """
        entry = MeasureEntry.record(
            self.status,
            to,
            at=at,
            source=source,
            recorded=recorded,
            evidence=evidence,
            claimed_by=claimed_by,
            note=note,
            terms=terms,
            suspension=suspension,
        )
        return self._moved(entry)

    def suspend(
        self,
        *,
        at: When | _dt.datetime | str,
        source: str,
        until: When | _dt.datetime | str | None = None,
        portion: Rate | None = None,
        at_end: SuspensionEnd = SuspensionEnd.RESTORE,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Measure:
        """A copy paused by a :class:`~tradetruce.Suspension`: the whole measure or ``portion``
        of its rate, until ``until`` (``None``: until further notice); when ``until`` comes
        with nothing recorded, the measure is restored or expires, as ``at_end`` says.

        >>> from tradetruce import MeasureStatus
        >>> m = Measure.propose(
        ...     id="t",
        ...     kind=MeasureKind.TARIFF,
        ...     imposed_by="us",
        ...     rate=Rate.percent("34"),
        ...     at="2025-04-02[America/New_York]",
        ...     source="s",
        ... ).transition(MeasureStatus.IN_FORCE, at="2025-04-09[America/New_York]", source="s")
        >>> paused = m.suspend(
        ...     portion=Rate.percent("24"),
        ...     until="2026-11-10T00:01:00-05:00[America/New_York]",
        ...     at="2025-11-10T00:01:00-05:00[America/New_York]",
        ...     source="s",
        ... )
        >>> paused.status, paused.suspension.describe(paused.terms.rate)
        (<MeasureStatus.PAUSED: 'paused'>, '24 of 34 points until 2026-11-10T00:01:00-05:00[America/New_York], then restored')
        """  # noqa: E501
        suspension: Suspension | None = Suspension(
            until=_opt_when(until), portion=portion, at_end=at_end
        )
        if suspension == Suspension():
            suspension = None  # the whole measure, until further notice: nothing to say
        return self.transition(
            MeasureStatus.PAUSED,
            at=at,
            source=source,
            evidence=evidence,
            claimed_by=claimed_by,
            recorded=recorded,
            note=note,
            suspension=suspension,
        )

    def extend_suspension(
        self,
        *,
        until: When | _dt.datetime | str | None,
        at: When | _dt.datetime | str,
        source: str,
        portion: Rate | None = KEEP,
        at_end: SuspensionEnd = KEEP,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Measure:
        """A copy whose suspension runs to ``until`` (``None``: until further notice): an
        amendment of the paused measure that replaces its suspension. ``portion`` and
        ``at_end`` keep their current values unless given.

        Raises:
            IllegalTransitionError: the measure is not paused.
        """
        status = self.status
        if status is not MeasureStatus.PAUSED:
            raise IllegalTransitionError(
                self.id,
                status,
                MeasureStatus.PAUSED,
                self.allowed_transitions(),
                reason="only a paused measure's suspension can be extended",
            )
        current = self.suspension or Suspension()
        changes: dict[str, Any] = {"until": _opt_when(until), "note": ""}
        if portion is not KEEP:
            changes["portion"] = portion
        if at_end is not KEEP:
            changes["at_end"] = at_end
        return self.transition(
            MeasureStatus.PAUSED,
            at=at,
            source=source,
            evidence=evidence,
            claimed_by=claimed_by,
            recorded=recorded,
            note=note,
            suspension=attrs.evolve(current, **changes),
        )

    def amend(
        self,
        *,
        at: When | _dt.datetime | str,
        source: str,
        rate: Rate | None = KEEP,
        quantity: Quantity | None = KEEP,
        legal_basis: str | None = KEEP,
        effective: When | _dt.datetime | str | None = KEEP,
        expires: When | _dt.datetime | str | None = KEEP,
        scope: Scope | None = KEEP,
        authority: Authority | None = KEEP,
        instrument: str | None = KEEP,
        share: Share | None = KEEP,
        schedule: tuple[ProductRate, ...] = KEEP,
        act: str | None = KEEP,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Measure:
        """A copy whose terms change without a status change (a rate cut from 25% to 15%, a
        product exclusion extended: a new :class:`~tradetruce.Scope`).

        Arguments left out keep their current value; pass ``None`` to clear one.
        """
        changes: dict[str, Any] = {
            k: val
            for k, val in (
                ("rate", rate),
                ("quantity", quantity),
                ("legal_basis", legal_basis),
                ("effective", effective if effective is KEEP else _opt_when(effective)),
                ("expires", expires if expires is KEEP else _opt_when(expires)),
                ("scope", scope),
                ("authority", authority),
                ("instrument", instrument),
                ("share", share),
                ("schedule", schedule),
                ("act", act),
            )
            if val is not KEEP
        }
        status = self.status
        return self.transition(
            status,
            at=at,
            source=source,
            evidence=evidence,
            claimed_by=claimed_by,
            recorded=recorded,
            note=note,
            terms=attrs.evolve(self.terms, **changes),
        )

    @property
    def terms(self) -> Terms:
        """The terms at the end of the history (empty Terms when none were ever given)."""
        terms = latest_terms(read(self.corrected_history).entries)
        return Terms() if terms is None else terms

    def terms_at(
        self,
        t: _dt.datetime | When | str,
        *,
        known_at: _dt.datetime | When | str | None = None,
        published: Mapping[str, When | None] | None = None,
    ) -> Terms | None:
        """The terms in force at ``t`` as known at ``known_at`` (``None`` before any entry)."""
        reading = self.reading_at(t, known_at=known_at, published=published)
        return latest_terms(reading.entries)

    @property
    def suspension(self) -> Suspension | None:
        """The suspension in force at the end of the history: ``None`` when the measure is not
        paused, or is paused as a whole until further notice without one."""
        return current_suspension(read(self.corrected_history).entries)

    def suspension_at(
        self,
        t: _dt.datetime | When | str,
        *,
        known_at: _dt.datetime | When | str | None = None,
        published: Mapping[str, When | None] | None = None,
    ) -> Suspension | None:
        """The suspension as it stood at ``t`` as known at ``known_at`` (the one the settled
        entries leave; its ``until`` may have come: :meth:`reading_at` lists the lapse)."""
        reading = self.reading_at(t, known_at=known_at, published=published)
        return current_suspension(reading.entries)

    def rate_value(self) -> Decimal | None:
        """The current ad valorem rate in percent, if the measure has one."""
        rate = self.terms.rate
        return rate.value if rate is not None and rate.is_ad_valorem else None

    def covers(self, product: HSCode) -> bool:
        """True when the measure's own ``products`` reach ``product`` (a measure without codes
        covers all); the scope its terms may write can say otherwise (:attr:`writes_scope`)."""
        return self.default_scope.reaches_product(product)

    @functools.cached_property
    def default_scope(self) -> Scope:
        """The scope of terms that write none: the measure's ``targets`` and ``products``."""
        # Kept once built (the tariff engine asks for it on every stack); not a field, so
        # equality, hashing and the wire format ignore it.
        return Scope(origins=self.targets, products=self.products)

    @functools.cached_property
    def scopes(self) -> tuple[Scope, ...]:
        """Every scope the measure may have at some time: its :attr:`default_scope`, then each
        distinct :class:`~tradetruce.Scope` its entries' terms write, in history order."""
        found = [self.default_scope]
        for e in self.history:
            if e.terms is not None and e.terms.scope is not None and e.terms.scope not in found:
                found.append(e.terms.scope)
        return tuple(found)

    def may_reach(self, origins: Collection[str], product: HSCode) -> bool:
        """True when one of the measure's :attr:`scopes` reaches goods from an origin whose
        parent chain (and groups) are ``origins`` of ``product``: the measure may then be a
        layer of their tariff stack at some time."""
        return any(s.reaches_origin(origins) and s.reaches_product(product) for s in self.scopes)

    @functools.cached_property
    def writes_scope(self) -> bool:
        """True when some entry's terms write a :class:`~tradetruce.Scope` of their own."""
        return any(e.terms is not None and e.terms.scope is not None for e in self.history)

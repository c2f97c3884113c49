"""Measures: unilateral trade actions (tariffs, export controls, purchase commitments...)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

import attrs

from tradetruce.errors import InvalidValueError
from tradetruce.model.entries import Evidence, MeasureEntry
from tradetruce.model.history import read
from tradetruce.model.lifecycle import MEASURE, Lifecycle, MeasureStatus
from tradetruce.model.tracked import Tracked
from tradetruce.values import _validate as v
from tradetruce.values.codes import HSCode
from tradetruce.values.terms import Quantity, Rate, Terms
from tradetruce.values.when import When

__all__ = ["Link", "LinkKind", "Measure", "MeasureKind"]


class MeasureKind(StrEnum):
    TARIFF = "tariff"
    EXPORT_CONTROL = "export_control"
    IMPORT_RESTRICTION = "import_restriction"
    PURCHASE_COMMITMENT = "purchase_commitment"
    PORT_FEE = "port_fee"
    INVESTMENT_RESTRICTION = "investment_restriction"
    SANCTION = "sanction"
    OTHER = "other"


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
    :meth:`amend`; each returns a new object.

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
    history: tuple[MeasureEntry, ...]

    def __attrs_post_init__(self) -> None:
        if self.imposed_by in self.targets:
            raise InvalidValueError(
                f"{self.id}: {self.imposed_by} cannot target itself",
                field="targets",
                value=self.targets,
                allowed="parties other than the one imposing the measure",
            )
        self._check_history()

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
        rate: Rate | None = None,
        quantity: Quantity | None = None,
        legal_basis: str | None = None,
        effective: When | _dt.datetime | str | None = None,
        expires: When | _dt.datetime | str | None = None,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Measure:
        """A new measure in status ``proposed`` (announced or threatened)."""
        terms = Terms(rate, quantity, legal_basis, _opt_when(effective), _opt_when(expires))
        entry = MeasureEntry.record(
            None,
            MeasureStatus.PROPOSED,
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
            history=(entry,),
        )

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
    ) -> Measure:
        """A copy moved to ``to``; raises :class:`IllegalTransitionError` naming allowed moves."""
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
        )
        return self._moved(entry)

    def amend(
        self,
        *,
        at: When | _dt.datetime | str,
        source: str,
        rate: Rate | None = KEEP,
        quantity: Quantity | None = KEEP,
        legal_basis: str | None = KEEP,
        effective: When | None = KEEP,
        expires: When | None = KEEP,
        evidence: Evidence = Evidence.REPORTED,
        claimed_by: str | None = None,
        recorded: When | _dt.datetime | str | None = None,
        note: str = "",
    ) -> Measure:
        """A copy whose terms change without a status change (a rate cut from 25% to 15%).

        Arguments left out keep their current value; pass ``None`` to clear one.
        """
        changes: dict[str, Any] = {
            k: val
            for k, val in (
                ("rate", rate),
                ("quantity", quantity),
                ("legal_basis", legal_basis),
                ("effective", effective),
                ("expires", expires),
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
        terms = latest_terms(read(self.history).entries)
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

    def rate_value(self) -> Decimal | None:
        """The current ad valorem rate in percent, if the measure has one."""
        rate = self.terms.rate
        return rate.value if rate is not None and rate.is_ad_valorem else None

    def covers(self, product: HSCode) -> bool:
        """True when the measure applies to ``product`` (a measure without codes covers all)."""
        return not self.products or any(p.covers(product) for p in self.products)


def latest_terms(entries: Sequence[MeasureEntry]) -> Terms | None:
    """The terms as a reading's settled entries leave them: the last entry's that gives terms,
    empty Terms when none does, ``None`` before the first entry (a view's
    :class:`~tradetruce.MeasureState` shows the same)."""
    if not entries:
        return None
    for entry in reversed(entries):
        if entry.terms is not None:
            return entry.terms
    return Terms()

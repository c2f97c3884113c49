"""Hypothesis strategies that generate valid tradetruce objects, for your own property tests.

Needs the ``tradetruce[hypothesis]`` extra. Every object is built through the library's own
classes, so it passes their validation; scenarios are consistent as a whole (every id that is
referenced exists, histories are legal and chronological, sources have publication times).

Every choice is a Hypothesis draw, so Hypothesis' shrinker, its explanations of a failure and
its statistics see each one. Failing examples shrink towards small, readable objects: ids such
as ``p0`` and ``m0``, UTC, calendar days from 1 January 2000, the shortest legal history.

Keyword arguments narrow what is generated. Each takes a value or a strategy of values and is
checked when the strategy function is called (:class:`hypothesis.errors.InvalidArgument`).

>>> from hypothesis import given
>>> from tradetruce import MeasureKind, MeasureStatus
>>> @given(measures(kind=MeasureKind.TARIFF, status=MeasureStatus.PAUSED))
... def test_paused_tariffs(measure):
...     assert measure.status is MeasureStatus.PAUSED
>>> test_paused_tariffs()

Time values are drawn from :data:`YEARS` (1970 to 2099) in the :data:`ZONES` unless asked
otherwise: ``times(zone=ALL_ZONES, years=ALL_YEARS)`` draws from every IANA zone and every year
a time value may name.

Installing the extra also registers a Hypothesis plugin, so ``st.from_type(tradetruce.Measure)``
works without importing this module.
"""

from tradetruce.strategies._commitments import commitments, deliveries, targets
from tradetruce.strategies._corrections import corrected, corrections, relative_dues
from tradetruce.strategies._deadlines import consequences, deadlines
from tradetruce.strategies._durations import durations
from tradetruce.strategies._duty import (
    base_rates,
    exemptions,
    legal_acts,
    producer_rates,
    product_rates,
    rate_forms,
    rate_parts,
    scopes,
    shares,
    stacking_rules,
)
from tradetruce.strategies._groups import party_groups
from tradetruce.strategies._histories import entries, histories, readings
from tradetruce.strategies._measures import links, measures
from tradetruce.strategies._negotiations import deal_terms, negotiations, rounds
from tradetruce.strategies._parties import parties
from tradetruce.strategies._remedies import remedies
from tradetruce.strategies._scenarios import changes, instants, scenarios, views
from tradetruce.strategies._sources import sources
from tradetruce.strategies._stateful import ScenarioMachine
from tradetruce.strategies._suspensions import (
    claims_about_one_event,
    disputed_deadlines,
    suspended_measures,
    suspensions,
)
from tradetruce.strategies._times import (
    ALL_YEARS,
    ALL_ZONES,
    YEARS,
    ZONES,
    calendars,
    times,
    zones,
)
from tradetruce.strategies._times_of_day import rough_times
from tradetruce.strategies._values import hs_codes, quantities, rates, terms

__all__ = [
    "ALL_YEARS",
    "ALL_ZONES",
    "YEARS",
    "ZONES",
    "ScenarioMachine",
    "base_rates",
    "calendars",
    "changes",
    "claims_about_one_event",
    "commitments",
    "consequences",
    "corrected",
    "corrections",
    "deadlines",
    "deal_terms",
    "deliveries",
    "disputed_deadlines",
    "durations",
    "entries",
    "exemptions",
    "histories",
    "hs_codes",
    "instants",
    "legal_acts",
    "links",
    "measures",
    "negotiations",
    "parties",
    "party_groups",
    "producer_rates",
    "product_rates",
    "quantities",
    "rate_forms",
    "rate_parts",
    "rates",
    "readings",
    "relative_dues",
    "remedies",
    "rough_times",
    "rounds",
    "scenarios",
    "scopes",
    "shares",
    "sources",
    "stacking_rules",
    "suspended_measures",
    "suspensions",
    "targets",
    "terms",
    "times",
    "views",
    "zones",
]

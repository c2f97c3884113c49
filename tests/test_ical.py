"""The iCalendar export, read back by the ``icalendar`` package's own parser."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs
import icalendar

import tradetruce as tt
from tradetruce.ical import deadlines_ics, scenario_key

SIGNED_AT = "2025-10-30[Asia/Seoul]"


def events(text: str) -> dict[str, Any]:
    """The VEVENTs of an iCalendar text by the deadline id that starts their UID."""
    calendar = icalendar.Calendar.from_ical(text)
    return {str(e["UID"]).split(".")[0]: e for e in calendar.walk("VEVENT")}


def signed(scenario: tt.Scenario) -> tt.Scenario:
    """The scenario with the framework signed: the truce's expiry is extended once."""
    what_if = tt.Source(
        id="what-if-signed",
        title="Suppose the presidents sign on 30 October",
        kind=tt.SourceKind.PROJECTION,
        published=tt.When.parse(SIGNED_AT),
    )
    return scenario.apply(
        "us-cn-talks", to=tt.NegotiationStatus.SIGNED, at=SIGNED_AT, source=what_if
    )


def test_every_deadline_reads_back_with_its_start_uid_sequence_and_stamp() -> None:
    seed = tt.load_seed()
    found = events(deadlines_ics(seed))
    assert sorted(found) == sorted(d.id for d in seed.deadlines)
    expiry = found["truce-expiry"]
    assert expiry.decoded("DTSTART") == _dt.date(2025, 11, 10)
    assert str(expiry["UID"]) == f"truce-expiry.{scenario_key(seed)}@tradetruce"
    assert expiry.decoded("SEQUENCE") == 0
    # The report's publication, 26 October in Kuala Lumpur, as its last second in UTC.
    assert expiry.decoded("DTSTAMP") == _dt.datetime(2025, 10, 26, 15, 59, 59, tzinfo=_dt.UTC)


def test_two_scenarios_with_the_same_deadline_ids_do_not_share_uids() -> None:
    seed = tt.load_seed()
    other = attrs.evolve(seed, title="The same truce, as another analyst models it")
    ours, theirs = events(deadlines_ics(seed)), events(deadlines_ics(other))
    assert {str(e["UID"]) for e in ours.values()}.isdisjoint(str(e["UID"]) for e in theirs.values())
    # The key is stable: the same scenario gives the same UIDs, run after run.
    assert deadlines_ics(seed) == deadlines_ics(tt.load_seed())


def test_a_chosen_namespace_keeps_uids_across_a_change_of_title() -> None:
    seed = tt.load_seed()
    renamed = attrs.evolve(seed, title="Renamed")
    a = events(deadlines_ics(seed, namespace="truce"))
    b = events(deadlines_ics(renamed, namespace="truce"))
    assert str(a["truce-expiry"]["UID"]) == str(b["truce-expiry"]["UID"])
    assert str(a["truce-expiry"]["UID"]) == "truce-expiry.truce@tradetruce"


def test_an_extended_deadline_gets_a_higher_sequence_and_the_extensions_stamp() -> None:
    after = events(deadlines_ics(signed(tt.load_seed())))
    expiry = after["truce-expiry"]
    assert expiry.decoded("SEQUENCE") == 1
    assert expiry.decoded("DTSTART") == _dt.date(2025, 11, 11)  # 2025-11-11/.. : its first day
    assert expiry.decoded("DTSTAMP") == _dt.datetime(2025, 10, 30, 14, 59, 59, tzinfo=_dt.UTC)
    # A deadline the signing met without moving its due time keeps SEQUENCE 0.
    assert after["framework-signing"].decoded("SEQUENCE") == 0


def test_the_uid_names_the_deadline_and_the_scenario_key() -> None:
    key = scenario_key(tt.load_seed())
    assert len(key) == 12 and int(key, 16) >= 0
    assert key != scenario_key(attrs.evolve(tt.load_seed(), title="Another"))

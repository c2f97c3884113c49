"""Talks that go on after a deal: one negotiation across a year of meetings of any kind, back to
talks after signing, and a framework agreed but not signed."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given

import tradetruce as tt
from _engine_scenario import truce
from tradetruce import NegotiationStatus, Round, RoundKind, When
from tradetruce.strategies import negotiations, rounds

SIGNING = "2025-10-30T11:00:00+09:00[Asia/Seoul]"
FORMAT = {"format": tt.FORMAT}


def year_of_talks() -> tt.Negotiation:
    """A deal in one city, an extension in another, a framework in a third, the leaders'
    meeting: one negotiation."""
    meetings = (
        Round(number=1, place="Geneva", start=When.parse("2025-05-10[Europe/Zurich]")),
        Round(number=2, place="London", start=When.parse("2025-06-09[Europe/London]")),
        Round(number=3, place="Stockholm", start=When.parse("2025-07-28[Europe/Stockholm]")),
        Round(kind=RoundKind.CALL, start=When.parse("2025-09-19[America/New_York]")),
        Round(number=5, place="Kuala Lumpur", start=When.parse("2025-10-25[Asia/Kuala_Lumpur]")),
        Round(
            kind=RoundKind.LEADERS_MEETING,
            place="Busan",
            start=When.parse("2025-10-30T11:00:00+09:00[Asia/Seoul]"),
            outcome="the truce extended by a year",
        ),
    )
    n = tt.Negotiation.schedule(
        id="us-cn-talks",
        title="US-China trade talks",
        parties=("us", "cn"),
        at="2025-05[Europe/Zurich]",
        source="s",
        rounds=meetings,
    )
    moves = [
        (NegotiationStatus.IN_TALKS, "2025-05-10[Europe/Zurich]"),
        (NegotiationStatus.SIGNED, "2025-05-12[Europe/Zurich]"),
        (NegotiationStatus.IN_EFFECT, "2025-05-14[Europe/Zurich]"),
        (NegotiationStatus.IN_TALKS, "2025-06-09[Europe/London]"),
        (NegotiationStatus.FRAMEWORK_AGREED, "2025-06-11[Europe/London]"),
        (NegotiationStatus.IN_TALKS, "2025-07-28[Europe/Stockholm]"),
        (NegotiationStatus.PRELIMINARY_CONSENSUS, "2025-10-26[Asia/Kuala_Lumpur]"),
        (NegotiationStatus.SIGNED, SIGNING),
    ]
    for to, at in moves:
        n = n.transition(to, at=at, source="s")
    return n


def test_a_year_of_rounds_with_a_deal_and_further_talks_is_one_negotiation() -> None:
    n = year_of_talks()
    assert n.status is NegotiationStatus.SIGNED
    assert [e.to for e in n.history].count(NegotiationStatus.SIGNED) == 2
    assert [r.label for r in n.rounds] == [
        "round 1",
        "round 2",
        "round 3",
        "call",
        "round 5",
        "leaders' meeting",
    ]
    # The status history folds to the same reading as the entity.
    assert tt.NEGOTIATION.can(NegotiationStatus.IN_EFFECT, NegotiationStatus.IN_TALKS)


def test_the_lifecycle_lets_a_deal_go_back_to_talks_and_a_framework_be_signed_or_reopened() -> None:
    table = tt.NEGOTIATION
    assert NegotiationStatus.IN_TALKS in table.allowed_transitions(NegotiationStatus.SIGNED)
    assert NegotiationStatus.IN_TALKS in table.allowed_transitions(NegotiationStatus.IN_EFFECT)
    assert table.allowed_transitions(NegotiationStatus.FRAMEWORK_AGREED) == {
        NegotiationStatus.IN_TALKS,
        NegotiationStatus.SIGNED,
        NegotiationStatus.SUSPENDED,
        NegotiationStatus.COLLAPSED,
    }
    # A framework is agreed, not signed: it does not take effect without a signature.
    assert not table.can(NegotiationStatus.FRAMEWORK_AGREED, NegotiationStatus.IN_EFFECT)


def test_an_agreed_framework_carries_out_no_terms_and_signing_it_does() -> None:
    s = truce()
    agreed = s.apply("kl-talks", to="framework_agreed", at=SIGNING, source="kl")
    assert agreed.negotiation("kl-talks").status is NegotiationStatus.FRAMEWORK_AGREED
    assert agreed.measure("us-100pct").history == s.measure("us-100pct").history
    signed = agreed.apply("kl-talks", to="signed", at=SIGNING, source="kl")
    assert signed.measure("us-100pct").status is tt.MeasureStatus.WITHDRAWN


def test_going_back_to_talks_after_a_deal_leaves_what_the_deal_did_in_place() -> None:
    signed = truce().apply("kl-talks", to="signed", at=SIGNING, source="kl")
    again = signed.apply("kl-talks", to="in_talks", at="2025-12-01[Asia/Shanghai]", source="kl")
    assert again.negotiation("kl-talks").status is NegotiationStatus.IN_TALKS
    for entity in ("us-100pct", "us-fentanyl", "truce-expiry"):
        assert again.entity(entity) == signed.entity(entity), entity


def test_an_unnumbered_leaders_meeting_round_trips_and_a_numbered_round_is_written_as_before() -> (
    None
):
    n = year_of_talks()
    for text in (tt.to_json(n), tt.to_json(n, indent=None)):
        assert tt.from_json(text, tt.Negotiation) == n
    assert tt.from_toml(tt.to_toml(n), tt.Negotiation) == n
    written = tt.to_dict(n)["rounds"]
    assert written[0] == {
        "number": 1,
        "place": "Geneva",
        "start": "2025-05-10[Europe/Zurich]",
    }, "a numbered round of the default kind is written exactly as format 2 wrote it before"
    assert written[5]["kind"] == "leaders_meeting" and "number" not in written[5]


def test_a_round_of_an_unknown_kind_is_refused_naming_its_path_and_the_kinds() -> None:
    doc = tt.to_dict(year_of_talks())
    doc["rounds"][3]["kind"] = "summit"
    readers: list[Callable[[], object]] = [
        lambda: tt.from_dict(doc, tt.Negotiation),
        lambda: tt.from_json(json.dumps(doc), tt.Negotiation),
    ]
    for read in readers:
        with pytest.raises(tt.InvalidDataError) as info:
            read()
        found = [(p.path, p.allowed) for p in info.value.problems]
        assert any(
            path == "$.rounds[3].kind" and "leaders_meeting" in allowed for path, allowed in found
        ), found


def test_rounds_listed_out_of_time_order_are_refused() -> None:
    later = Round(kind=RoundKind.LEADERS_MEETING, start=When.parse("2025-10-30[Asia/Seoul]"))
    earlier = Round(number=5, start=When.parse("2025-10-25[Asia/Kuala_Lumpur]"))
    with pytest.raises(tt.InvalidValueError, match="happens before it") as info:
        attrs.evolve(year_of_talks(), rounds=(later, earlier))
    assert info.value.allowed == "rounds listed in the order they happen"


def test_round_numbers_that_are_given_must_still_ascend() -> None:
    meetings = (Round(number=2), Round(kind=RoundKind.CALL), Round(number=1))
    with pytest.raises(tt.InvalidValueError, match="round 1 follows round 2"):
        attrs.evolve(year_of_talks(), rounds=meetings)


def test_vague_times_that_may_be_in_order_are_accepted() -> None:
    # A round in "October" may come after one on 25 October: the data cannot say it does not.
    meetings = (
        Round(number=5, start=When.parse("2025-10-25[Asia/Kuala_Lumpur]")),
        Round(kind=RoundKind.LEADERS_MEETING, start=When.parse("2025-10[Asia/Seoul]")),
    )
    assert attrs.evolve(year_of_talks(), rounds=meetings).rounds == meetings


def test_a_leaders_meeting_appears_on_the_timeline_by_its_kind() -> None:
    s = truce()
    talks = s.negotiation("kl-talks")
    busan = Round(
        kind=RoundKind.LEADERS_MEETING,
        place="Busan",
        start=When.parse("2025-10-30T11:00:00+09:00[Asia/Seoul]"),
    )
    s = s.replace(attrs.evolve(talks, rounds=(*talks.rounds, busan)))
    texts = [e.text for e in s.timeline()]
    assert "negotiation kl-talks leaders' meeting in Busan starts" in texts, texts


@given(rounds())
def test_drawn_rounds_are_in_time_order_with_ascending_numbers(drawn: tuple[Round, ...]) -> None:
    numbers = [r.number for r in drawn if r.number is not None]
    assert numbers == sorted(set(numbers))
    times = [r.when for r in drawn if r.when is not None]
    for earlier, later in itertools.pairwise(times):
        assert not later.definitely_before(earlier)


@given(negotiations())
def test_every_drawn_negotiation_folds_to_its_status_and_round_trips(n: tt.Negotiation) -> None:
    assert n.history[-1].to is n.status
    assert tt.from_json(tt.to_json(n), tt.Negotiation) == n

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import tradetruce as tt
from tradetruce import (
    DEADLINE,
    MEASURE,
    NEGOTIATION,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    Evidence,
    HSCode,
    IllegalTransitionError,
    InvalidValueError,
    Measure,
    MeasureKind,
    MeasureStatus,
    Negotiation,
    NegotiationStatus,
    Party,
    PartyKind,
    Rate,
    When,
)
from tradetruce import strategies as tts
from tradetruce.model import history as fold

DAY = "2025-10-{:02d}[America/New_York]"


def tariff() -> Measure:
    return Measure.propose(
        id="us-100pct",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        rate=Rate.percent("100"),
        effective="2025-11-01[America/New_York]",
        at=DAY.format(10),
        source="art",
    )


def test_propose_then_pause_returns_a_new_object() -> None:
    m = tariff()
    paused = m.transition(MeasureStatus.PAUSED, at=DAY.format(30), source="art")
    assert m.status is MeasureStatus.PROPOSED
    assert paused.status is MeasureStatus.PAUSED
    assert [e.to for e in paused.history] == [MeasureStatus.PROPOSED, MeasureStatus.PAUSED]
    assert paused.history[1].from_ is MeasureStatus.PROPOSED


def test_illegal_move_names_the_entity_and_the_allowed_moves() -> None:
    with pytest.raises(IllegalTransitionError) as info:
        tariff().transition(MeasureStatus.EXPIRED, at=DAY.format(30), source="art")
    err = info.value
    assert err.entity == "us-100pct"
    assert err.source is MeasureStatus.PROPOSED
    assert err.target is MeasureStatus.EXPIRED
    assert set(err.allowed) == {"scheduled", "in_force", "paused", "withdrawn"}
    assert "us-100pct" in str(err) and "paused" in str(err)
    assert isinstance(err, ValueError)


def test_status_cannot_disagree_with_history() -> None:
    m = tariff()
    entry = tt.MeasureEntry(
        from_=MeasureStatus.IN_FORCE,
        to=MeasureStatus.PAUSED,
        at=When.parse(DAY.format(20)),
        source="art",
    )
    with pytest.raises(IllegalTransitionError):
        attrs.evolve(m, history=(*m.history, entry))


def test_out_of_order_history_is_refused() -> None:
    m = tariff().transition(MeasureStatus.PAUSED, at=DAY.format(30), source="art")
    with pytest.raises(InvalidValueError, match="before"):
        m.transition(MeasureStatus.IN_FORCE, at=DAY.format(20), source="art")


def test_a_coarse_earlier_entry_may_be_followed_by_a_finer_one() -> None:
    m = Measure.propose(
        id="m", kind=MeasureKind.TARIFF, imposed_by="us", at="2025-10[America/New_York]", source="s"
    )
    later = m.transition(MeasureStatus.IN_FORCE, at=DAY.format(5), source="s")
    # Once the later event has happened, the earlier one certainly had too.
    assert later.status_at(When.parse(DAY.format(6))) is MeasureStatus.IN_FORCE


def test_amendment_changes_terms_without_a_status_change() -> None:
    m = tariff().transition(MeasureStatus.IN_FORCE, at="2025-11-01[America/New_York]", source="art")
    cut = m.amend(rate=Rate.percent("15"), at="2025-12-01[America/New_York]", source="art")
    assert cut.status is MeasureStatus.IN_FORCE
    assert cut.terms.rate == Rate.percent("15")
    assert cut.history[-1].is_amendment
    assert cut.terms_at(When.parse("2025-11-15[America/New_York]")).rate == Rate.percent("100")  # type: ignore[union-attr]


def test_terminal_measures_cannot_be_amended() -> None:
    gone = tariff().transition(MeasureStatus.WITHDRAWN, at=DAY.format(30), source="art")
    with pytest.raises(IllegalTransitionError):
        gone.amend(rate=Rate.percent("1"), at=DAY.format(31), source="art")


def test_status_at_an_instant_inside_an_uncertain_time_is_none_with_candidates() -> None:
    m = tariff().transition(
        MeasureStatus.PAUSED, at="2025-10-27/2025-11-02[Asia/Seoul]", source="art"
    )
    inside = When.parse("2025-10-29T12:00:00+09:00[Asia/Seoul]")
    reading = m.reading_at(inside)
    assert reading.status is None and not reading.certain
    assert reading.candidates == (MeasureStatus.PROPOSED, MeasureStatus.PAUSED)
    assert m.status_at(When.parse("2025-11-03[Asia/Seoul]")) is MeasureStatus.PAUSED
    assert m.status_at(When.parse(DAY.format(20))) is MeasureStatus.PROPOSED
    assert m.status_at(When.parse(DAY.format(1))) is None


def test_known_at_hides_entries_recorded_later() -> None:
    m = tariff().transition(
        MeasureStatus.PAUSED, at=DAY.format(30), source="art", recorded=DAY.format(31)
    )
    t = When.parse("2025-11-05[America/New_York]")
    assert m.status_at(t) is MeasureStatus.PAUSED
    assert m.status_at(t, known_at=When.parse(DAY.format(30))) is MeasureStatus.PROPOSED


def test_competing_claims_resolve_to_the_strongest_evidence_and_are_reported() -> None:
    base = tariff()
    official = tt.MeasureEntry(
        from_=MeasureStatus.PROPOSED,
        to=MeasureStatus.PAUSED,
        at=When.parse(DAY.format(30)),
        source="notice",
        evidence=Evidence.OFFICIAL,
        terms=attrs.evolve(base.terms, expires=When.parse("2026-11-10[America/New_York]")),
    )
    claim = tt.MeasureEntry(
        from_=MeasureStatus.PROPOSED,
        to=MeasureStatus.PAUSED,
        at=When.parse(DAY.format(30)),
        source="summary",
        evidence=Evidence.CLAIMED,
        claimed_by="cn",
        terms=base.terms,
    )
    m = base.with_entry(claim).with_entry(official)
    reading = m.reading_at(When.parse("2025-11-05[America/New_York]"))
    assert reading.last is official
    assert m.terms.expires == When.parse("2026-11-10[America/New_York]")
    assert reading.disagreements == ((claim, official),)
    # Order in the history does not matter: evidence decides.
    other = base.with_entry(official).with_entry(claim)
    assert other.terms == m.terms


def test_claimed_evidence_needs_the_claiming_party() -> None:
    with pytest.raises(InvalidValueError, match="claimed_by"):
        tariff().transition(
            MeasureStatus.PAUSED, at=DAY.format(30), source="s", evidence=Evidence.CLAIMED
        )


def test_deadline_extension_moves_the_due_time() -> None:
    d = Deadline.create(
        id="truce-expiry",
        title="Truce expires",
        kind=DeadlineKind.EXPIRY,
        due="2025-11-10[America/New_York]",
        at="2025-08-11[America/New_York]",
        source="s",
    )
    e = d.extend(due="2026-11-10[America/New_York]", at=DAY.format(30), source="s")
    assert e.status is DeadlineStatus.EXTENDED
    assert e.due == When.parse("2026-11-10[America/New_York]")
    assert e.due_at(When.parse(DAY.format(1))) == When.parse("2025-11-10[America/New_York]")
    again = e.extend(
        due="2027-11-10[America/New_York]", at="2026-11-01[America/New_York]", source="s"
    )
    assert again.status is DeadlineStatus.EXTENDED
    with pytest.raises(InvalidValueError, match="due"):
        d.transition(DeadlineStatus.EXTENDED, at=DAY.format(30), source="s")


def test_negotiation_needs_two_parties() -> None:
    with pytest.raises(InvalidValueError, match="two parties"):
        Negotiation.schedule(id="n", title="t", parties=("us",), at=DAY.format(1), source="s")


def test_party_validates_jurisdiction_with_the_iso_list() -> None:
    assert Party(id="eu", name="European Union", kind=PartyKind.BLOC, jurisdiction="EU")
    with pytest.raises(InvalidValueError, match="ISO 3166"):
        Party(id="x", name="X", kind=PartyKind.STATE, jurisdiction="XX")
    with pytest.raises(InvalidValueError, match="ISO 3166"):
        Party(id="x", name="X", kind=PartyKind.STATE, jurisdiction="us")


@pytest.mark.parametrize("bad", ["US", "us china", "", "-us", "a" * 129, 1])
def test_ids_are_checked(bad: Any) -> None:
    with pytest.raises(InvalidValueError, match="id"):
        Party(id=bad, name="X", kind=PartyKind.STATE)


def test_hs_codes_are_text_with_leading_zeros() -> None:
    code = HSCode.parse("HS2022:0201")
    assert code.code == "0201" and code.edition == "HS2022" and str(code) == "HS2022:0201"
    with pytest.raises(InvalidValueError):
        HSCode(201)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        HSCode("201")
    assert HSCode("02").covers(HSCode("020130"))
    assert not HSCode("02", "HS2017").covers(HSCode("0201", "HS2022"))


def test_rates_are_decimals_never_floats() -> None:
    assert Rate.percent("7.5").value == Decimal("7.5")
    with pytest.raises(InvalidValueError, match="float"):
        Rate.percent(7.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        Rate.percent("-1")
    with pytest.raises(InvalidValueError):
        Rate(Decimal("5"), tt.RateUnit.SPECIFIC)


# ------------------------------------------------------------------------- property tests

LIFECYCLE_CASES: list[tuple[Any, type, Any]] = [
    (MEASURE, MeasureStatus, tt.MeasureEntry),
    (DEADLINE, DeadlineStatus, tt.DeadlineEntry),
    (NEGOTIATION, NegotiationStatus, tt.NegotiationEntry),
]


@st.composite
def legal_paths(draw: st.DrawFn, lifecycle: Any) -> list[Any]:
    path = [lifecycle.initial]
    for _ in range(draw(st.integers(0, 6))):
        options = sorted(lifecycle.allowed_transitions(path[-1]), key=str)
        if not options:
            break
        path.append(draw(st.sampled_from(options)))
    return path


def build(kind: Any, path: list[Any]) -> Any:
    at = [When.parse(f"2025-{1 + i:02d}-01[UTC]") for i in range(len(path))]
    if kind is MEASURE:
        m = Measure.propose(id="m", kind=MeasureKind.TARIFF, imposed_by="us", at=at[0], source="s")
        for status, when in zip(path[1:], at[1:], strict=True):
            m = m.transition(status, at=when, source="s")
        return m
    if kind is DEADLINE:
        d = Deadline.create(
            id="d", title="D", kind=DeadlineKind.OTHER, due="2026[UTC]", at=at[0], source="s"
        )
        for status, when in zip(path[1:], at[1:], strict=True):
            due = "2027[UTC]" if status is DeadlineStatus.EXTENDED else None
            d = d.transition(status, at=when, source="s", due=due)
        return d
    n = Negotiation.schedule(id="n", title="N", parties=("a", "b"), at=at[0], source="s")
    for status, when in zip(path[1:], at[1:], strict=True):
        n = n.transition(status, at=when, source="s")
    return n


@pytest.mark.parametrize("lifecycle", [MEASURE, DEADLINE, NEGOTIATION], ids=lambda lc: lc.name)
@given(data=st.data())
def test_folding_any_legal_history_reproduces_the_status(
    lifecycle: Any, data: st.DataObject
) -> None:
    path = data.draw(legal_paths(lifecycle))
    entity = build(lifecycle, path)
    assert entity.status is path[-1]
    assert fold.read(entity.history).status is path[-1]
    for i, status in enumerate(path):
        assert entity.status_at(When.parse(f"2025-{1 + i:02d}-02T12:00[UTC]")) is status


@pytest.mark.parametrize("lifecycle", [MEASURE, DEADLINE, NEGOTIATION], ids=lambda lc: lc.name)
@given(data=st.data())
def test_every_illegal_move_raises(lifecycle: Any, data: st.DataObject) -> None:
    # Any generated entity, in any status, with a history of any shape (claims, vague times).
    strategies: dict[str, Any] = {
        "measure": tts.measures(),
        "deadline": tts.deadlines(),
        "negotiation": tts.negotiations(),
    }
    entity = data.draw(strategies[lifecycle.name])
    lifecycle = entity.lifecycle  # a trade remedy follows its own table
    status = entity.status
    illegal = sorted(set(lifecycle.status_type) - lifecycle.allowed_transitions(status), key=str)
    if lifecycle.status_type is MeasureStatus and not lifecycle.is_terminal(status):
        illegal = [s for s in illegal if s is not status]  # a same-status move is an amendment
    if not illegal:
        return
    target = data.draw(st.sampled_from(illegal))
    kwargs: dict[str, Any] = {"at": "2026-06-01[UTC]", "source": "s"}
    if lifecycle is DEADLINE and target is DeadlineStatus.EXTENDED:
        kwargs["due"] = "2027[UTC]"
    with pytest.raises(IllegalTransitionError) as info:
        entity.transition(target, **kwargs)
    assert info.value.entity == entity.id


class MeasureLifecycleMachine(RuleBasedStateMachine):
    """Drives a measure through random moves; legal ones succeed, illegal ones raise."""

    def __init__(self) -> None:
        super().__init__()
        self.measure = Measure.propose(
            id="m", kind=MeasureKind.TARIFF, imposed_by="us", at="2025-01-01[UTC]", source="s"
        )
        self.day = 1
        self.expected: list[MeasureStatus] = [MeasureStatus.PROPOSED]

    def _next_day(self) -> str:
        self.day += 1
        return f"2025-{1 + self.day // 28:02d}-{1 + self.day % 28:02d}[UTC]"

    @precondition(lambda self: self.day < 300)
    @rule(status=st.sampled_from(list(MeasureStatus)))
    def move(self, status: MeasureStatus) -> None:
        target = status
        at = self._next_day()
        if MEASURE.can(self.measure.status, target):
            self.measure = self.measure.transition(target, at=at, source="s")
            self.expected.append(target)
        elif target is self.measure.status and not MEASURE.is_terminal(target):
            self.measure = self.measure.transition(target, at=at, source="s")
        else:
            with pytest.raises(IllegalTransitionError):
                self.measure.transition(target, at=at, source="s")

    @precondition(lambda self: self.day < 300)
    @rule(value=st.integers(0, 200))
    def amend(self, value: int) -> None:
        at = self._next_day()
        if MEASURE.is_terminal(self.measure.status):
            with pytest.raises(IllegalTransitionError):
                self.measure.amend(rate=Rate.percent(value), at=at, source="s")
        else:
            self.measure = self.measure.amend(rate=Rate.percent(value), at=at, source="s")
            assert self.measure.terms.rate == Rate.percent(value)

    @invariant()
    def status_is_the_fold_of_history(self) -> None:
        assert self.measure.status is self.expected[-1]
        statuses = [e.to for e in self.measure.history if not e.is_amendment]
        assert statuses == self.expected


TestMeasureLifecycle = MeasureLifecycleMachine.TestCase

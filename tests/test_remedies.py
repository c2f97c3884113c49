"""Trade remedies: the remedy lifecycle, what each stage charges, and their strategies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import tradetruce as tt
import tradetruce.strategies as tts
from tradetruce import (
    MEASURE,
    REMEDY,
    REMEDY_CHARGES,
    Charges,
    IllegalTransitionError,
    InvalidDataError,
    Measure,
    MeasureKind,
    MeasureStatus,
    Party,
    PartyKind,
    Rate,
    Scenario,
    Source,
    SourceKind,
    from_json,
    from_toml,
    to_json,
)

M = MeasureStatus
REMEDY_KINDS = (MeasureKind.ANTI_DUMPING, MeasureKind.COUNTERVAILING, MeasureKind.SAFEGUARD)
AT = "2024-01-05[Asia/Shanghai]"


def test_remedy_table_is_the_documented_one() -> None:
    assert REMEDY.initial is M.INITIATED
    assert REMEDY.allowed_transitions(M.INITIATED) == {
        M.INVESTIGATION_EXTENDED,
        M.PROVISIONAL_SECURED,
        M.PROVISIONAL_COLLECTED,
        M.DEFINITIVE,
        M.TERMINATED,
    }
    assert REMEDY.can(M.INVESTIGATION_EXTENDED, M.INVESTIGATION_EXTENDED)
    assert REMEDY.allowed_transitions(M.PROVISIONAL_SECURED) == {
        M.PROVISIONAL_COLLECTED,
        M.DEFINITIVE,
        M.TERMINATED,
    }
    assert REMEDY.allowed_transitions(M.DEFINITIVE) == {
        M.INTERIM_REVIEW,
        M.EXPIRY_REVIEW,
        M.WITHDRAWN,
        M.EXPIRED,
    }
    # An expiry review keeps the duties for a further period, or they expire.
    assert REMEDY.allowed_transitions(M.EXPIRY_REVIEW) == {M.DEFINITIVE, M.EXPIRED}
    assert REMEDY.terminal == {M.TERMINATED, M.WITHDRAWN, M.EXPIRED}


def test_the_measure_and_remedy_tables_share_an_enumeration_but_not_their_statuses() -> None:
    assert MEASURE.statuses == (
        M.PROPOSED,
        M.SCHEDULED,
        M.IN_FORCE,
        M.PAUSED,
        M.WITHDRAWN,
        M.EXPIRED,
    )
    assert set(MEASURE.statuses) & set(REMEDY.statuses) == {M.WITHDRAWN, M.EXPIRED}
    assert set(MEASURE.statuses) | set(REMEDY.statuses) == set(MeasureStatus)
    with pytest.raises(ValueError, match="not a remedy status"):
        REMEDY.parse("in_force")


def test_what_each_remedy_status_charges_is_data() -> None:
    assert set(REMEDY_CHARGES) == set(REMEDY.statuses)
    assert {s for s, c in REMEDY_CHARGES.items() if c is Charges.YES} == {
        M.PROVISIONAL_COLLECTED,
        M.DEFINITIVE,
        M.INTERIM_REVIEW,
        M.EXPIRY_REVIEW,
    }
    assert {s for s, c in REMEDY_CHARGES.items() if c is Charges.SECURED} == {M.PROVISIONAL_SECURED}


def test_the_remedy_diagram_is_drawn_from_the_table() -> None:
    text = REMEDY.mermaid()
    assert "[*] --> initiated" in text
    assert "provisional_secured --> definitive" in text
    assert "expiry_review --> definitive" in text
    assert "in_force" not in text


@pytest.mark.parametrize("kind", REMEDY_KINDS, ids=str)
def test_a_trade_remedy_starts_as_an_investigation_and_follows_the_remedy_table(
    kind: MeasureKind,
) -> None:
    m = Measure.propose(id="r", kind=kind, imposed_by="cn", targets=("eu",), at=AT, source="s")
    assert kind.lifecycle is REMEDY and m.lifecycle is REMEDY
    assert m.status is M.INITIATED
    with pytest.raises(IllegalTransitionError) as info:
        m.transition(M.IN_FORCE, at="2024-10-11[Asia/Shanghai]", source="s")
    assert M.PROVISIONAL_SECURED in info.value.allowed
    moved = m.transition(M.PROVISIONAL_SECURED, at="2024-10-11[Asia/Shanghai]", source="s")
    assert moved.status is M.PROVISIONAL_SECURED


def test_a_tariff_cannot_take_a_remedy_status() -> None:
    m = Measure.propose(id="t", kind=MeasureKind.TARIFF, imposed_by="us", at=AT, source="s")
    assert m.lifecycle is MEASURE and m.status is M.PROPOSED
    with pytest.raises(IllegalTransitionError):
        m.transition(M.DEFINITIVE, at="2024-10-11[Asia/Shanghai]", source="s")


DOC = """
format = "tradetruce/2"

[[sources]]
id = "s"
title = "s"
kind = "legal_text"
published = "2024-01-05[Asia/Shanghai]"

[[parties]]
id = "cn"
name = "China"
kind = "state"

[[parties]]
id = "eu"
name = "EU"
kind = "bloc"

[[measures]]
id = "ad"
kind = "anti_dumping"
imposed_by = "cn"
targets = ["eu"]

[[measures.history]]
to = "initiated"
at = "2024-01-05[Asia/Shanghai]"
source = "s"

[[measures.history]]
from = "initiated"
to = "in_force"
at = "2024-10-11[Asia/Shanghai]"
source = "s"
"""


def test_a_file_moving_a_remedy_outside_its_table_is_refused_naming_the_entry() -> None:
    with pytest.raises(InvalidDataError) as info:
        from_toml(DOC, Scenario)
    text = str(info.value)
    assert "measures[0]" in text and "history[1]" in text, text
    assert "provisional_secured" in text, text  # the allowed moves are named


# ------------------------------------------------------------------------------ tariff stack
def _scenario(status: MeasureStatus) -> Scenario:
    path = {
        M.INITIATED: (),
        M.INVESTIGATION_EXTENDED: (M.INVESTIGATION_EXTENDED,),
        M.PROVISIONAL_SECURED: (M.PROVISIONAL_SECURED,),
        M.PROVISIONAL_COLLECTED: (M.PROVISIONAL_COLLECTED,),
        M.DEFINITIVE: (M.DEFINITIVE,),
        M.INTERIM_REVIEW: (M.DEFINITIVE, M.INTERIM_REVIEW),
        M.EXPIRY_REVIEW: (M.DEFINITIVE, M.EXPIRY_REVIEW),
        M.TERMINATED: (M.TERMINATED,),
        M.WITHDRAWN: (M.DEFINITIVE, M.WITHDRAWN),
        M.EXPIRED: (M.DEFINITIVE, M.EXPIRED),
    }[status]
    m = Measure.propose(
        id="ad",
        kind=MeasureKind.ANTI_DUMPING,
        imposed_by="cn",
        targets=("eu",),
        rate=Rate.percent("34.9"),
        at="2024-01-05[Asia/Shanghai]",
        source="s",
    )
    for i, to in enumerate(path):
        m = m.transition(to, at=f"2024-{2 + i:02d}-01[Asia/Shanghai]", source="s")
    return Scenario(
        sources=(
            Source(
                id="s",
                title="s",
                kind=SourceKind.LEGAL_TEXT,
                published=tt.When.parse("2024-01-05[Asia/Shanghai]"),
            ),
        ),
        parties=(
            Party(id="cn", name="China", kind=PartyKind.STATE),
            Party(id="eu", name="EU", kind=PartyKind.BLOC),
        ),
        measures=(m,),
    )


@pytest.mark.parametrize("status", REMEDY.statuses, ids=str)
def test_the_tariff_stack_charges_what_the_remedy_status_says(status: MeasureStatus) -> None:
    s = _scenario(status)
    assert s.measure("ad").status is status
    stack = s.tariff_stack("cn", "eu", "2208.20", "2025-01-01[Asia/Shanghai]")
    charges = REMEDY_CHARGES[status]
    if charges is Charges.NO:
        assert not stack.layers and not stack.uncertain, str(stack)
    elif charges is Charges.YES:
        assert [x.measure for x in stack.layers] == ["ad"] and not stack.uncertain, str(stack)
        assert stack.low == stack.high == Decimal("34.9")
    else:
        (layer,) = stack.uncertain
        assert not stack.layers
        assert (layer.low, layer.rate.value) == (Decimal(0), Decimal("34.9"))
        assert layer.note == "secured by guarantee or deposit, collected only if definitive " + (
            "duties follow"
        )
        assert (stack.low, stack.high) == (Decimal(0), Decimal("34.9"))


# -------------------------------------------------------------------------------- strategies
@given(tts.remedies())
def test_generated_remedies_follow_the_remedy_table_and_round_trip(m: Measure) -> None:
    assert m.kind in REMEDY_KINDS and m.lifecycle is REMEDY
    assert m.history[0].to is M.INITIATED
    assert m.status in REMEDY.statuses
    assert from_json(to_json(m), Measure) == m


@given(
    st.sampled_from(list(Charges)).flatmap(lambda c: st.tuples(st.just(c), tts.remedies(charges=c)))
)
def test_remedies_end_in_a_status_that_charges_as_asked(pair: tuple[Charges, Measure]) -> None:
    charges, m = pair
    assert REMEDY_CHARGES[m.status] is charges


@given(tts.measures())
def test_any_generated_measure_follows_its_kinds_lifecycle(m: Measure) -> None:
    assert m.lifecycle is m.kind.lifecycle
    assert m.history[0].to is m.lifecycle.initial


def test_charges_is_drawn_by_from_type() -> None:
    @given(st.from_type(Charges))
    def check(c: Charges) -> None:
        assert c in REMEDY_CHARGES.values()

    check()


def test_remedies_refuse_a_kind_that_is_not_a_remedy_and_a_status_outside_the_table() -> None:
    with pytest.raises(InvalidArgument, match="not a trade remedy"):
        tts.remedies(kind=MeasureKind.TARIFF)
    with pytest.raises(InvalidArgument, match="not a remedy status"):
        tts.remedies(status=M.IN_FORCE)
    with pytest.raises(InvalidArgument, match="not both"):
        tts.remedies(status=M.DEFINITIVE, charges=Charges.YES)


@pytest.mark.parametrize("status", [M.DEFINITIVE, M.INTERIM_REVIEW, M.EXPIRY_REVIEW])
def test_definitive_duties_past_their_expiry_with_nothing_recorded_may_have_expired(
    status: MeasureStatus,
) -> None:
    s = _scenario(status)
    m = s.measure("ad")
    m = m.amend(at="2024-06-01[Asia/Shanghai]", source="s", expires="2029-02-01[Asia/Shanghai]")
    s = s.replace(m)
    before = s.tariff_stack("cn", "eu", "2208.20", "2029-01-15[Asia/Shanghai]")
    after = s.tariff_stack("cn", "eu", "2208.20", "2029-03-01[Asia/Shanghai]")
    assert (before.low, before.high) == (Decimal("34.9"), Decimal("34.9"))
    state = s.at("2029-03-01[Asia/Shanghai]").measures["ad"]
    if status is M.EXPIRY_REVIEW:
        # An expiry review keeps the duties in force past their expiry while it runs.
        assert state.certain and (after.low, after.high) == (Decimal("34.9"), Decimal("34.9"))
        return
    assert not state.certain and state.candidates == (status, M.EXPIRED)
    assert (after.low, after.high) == (Decimal(0), Decimal("34.9")), str(after)
    advanced = s.advance("2029-03-01[Asia/Shanghai]")
    assert advanced.measure("ad").status is M.EXPIRED

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tradetruce as tt
from tradetruce import (
    DEADLINE,
    MEASURE,
    NEGOTIATION,
    REMEDY,
    DeadlineStatus,
    Lifecycle,
    MeasureStatus,
    NegotiationStatus,
)
from tradetruce.errors import LifecycleDefinitionError
from tradetruce.model.lifecycle import LIFECYCLES

ALL: list[Lifecycle[Any]] = [MEASURE, REMEDY, DEADLINE, NEGOTIATION]


@pytest.mark.parametrize("lifecycle", ALL, ids=lambda lc: lc.name)
def test_terminal_statuses_have_no_exits_and_everything_is_reachable(
    lifecycle: Lifecycle[Any],
) -> None:
    assert lifecycle.terminal
    for status in lifecycle.terminal:
        assert lifecycle.allowed_transitions(status) == frozenset()
    assert lifecycle.allowed_transitions(None) == {lifecycle.initial}


def test_measure_table_is_the_documented_one() -> None:
    m = MeasureStatus
    assert MEASURE.allowed_transitions(m.PROPOSED) == {
        m.SCHEDULED,
        m.IN_FORCE,
        m.PAUSED,
        m.WITHDRAWN,
    }
    assert MEASURE.allowed_transitions(m.SCHEDULED) == {m.IN_FORCE, m.PAUSED, m.WITHDRAWN}
    assert MEASURE.allowed_transitions(m.IN_FORCE) == {m.PAUSED, m.WITHDRAWN, m.EXPIRED}
    assert MEASURE.allowed_transitions(m.PAUSED) == {
        m.SCHEDULED,
        m.IN_FORCE,
        m.WITHDRAWN,
        m.EXPIRED,
    }
    assert MEASURE.terminal == {m.WITHDRAWN, m.EXPIRED}


def test_deadline_and_negotiation_tables() -> None:
    d = DeadlineStatus
    assert DEADLINE.allowed_transitions(d.PENDING) == {d.MET, d.MISSED, d.EXTENDED, d.CANCELLED}
    assert DEADLINE.can(d.EXTENDED, d.EXTENDED)
    n = NegotiationStatus
    assert NEGOTIATION.can(n.PRELIMINARY_CONSENSUS, n.IN_TALKS)
    assert NEGOTIATION.can(n.PRELIMINARY_CONSENSUS, n.SIGNED)
    assert NEGOTIATION.can(n.SIGNED, n.IN_EFFECT)
    assert NEGOTIATION.terminal == {n.COLLAPSED, n.TERMINATED}


def test_a_table_with_an_unreachable_status_is_refused_at_definition() -> None:
    m = MeasureStatus
    rows: dict[MeasureStatus, frozenset[MeasureStatus]] = {s: frozenset() for s in m}
    rows[m.PROPOSED] = frozenset({m.IN_FORCE})
    with pytest.raises(LifecycleDefinitionError):
        Lifecycle("broken", MeasureStatus, m.PROPOSED, rows)


def test_a_table_missing_a_row_is_refused() -> None:
    with pytest.raises(LifecycleDefinitionError, match="no row"):
        Lifecycle("broken", DeadlineStatus, DeadlineStatus.PENDING, {})


@pytest.mark.parametrize("lifecycle", ALL, ids=lambda lc: lc.name)
def test_mermaid_diagram_has_one_edge_per_allowed_move(lifecycle: Lifecycle[Any]) -> None:
    text = lifecycle.mermaid()
    edges = [line for line in text.splitlines() if "-->" in line and "[*]" not in line]
    assert len(edges) == sum(len(t) for t in lifecycle.table.values()), text


@given(st.sampled_from(ALL).flatmap(lambda lc: st.tuples(st.just(lc), st.text(max_size=20))))
def test_parse_accepts_only_status_names(pair: tuple[Lifecycle[Any], str]) -> None:
    lifecycle, text = pair
    names = {m.value for m in lifecycle.status_type}
    if text in names:
        assert lifecycle.parse(text).value == text
    else:
        with pytest.raises(ValueError, match="allowed"):
            lifecycle.parse(text)


def test_lifecycles_are_listed_by_name() -> None:
    assert set(LIFECYCLES) == {"measure", "remedy", "deadline", "negotiation"}


def test_every_error_the_library_raises_on_purpose_is_a_tradetruce_error_and_exported() -> None:
    for error in (
        tt.LifecycleDefinitionError,
        tt.UsageError,
        tt.IcalMissingError,
        tt.MissingExtraError,
    ):
        assert issubclass(error, tt.TradeTruceError), error
        assert error.__name__ in tt.__all__
    assert str(tt.IcalMissingError()) == (
        'iCalendar export needs the "ical" extra: pip install "tradetruce[ical]"'
    )

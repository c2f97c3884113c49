"""Party groups: an entity list of firms, a measure that targets each member, and the checks a
Scenario makes on groups."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tradetruce as tt
from tradetruce import Measure, MeasureKind, MeasureStatus, Party, PartyKind, Rate, When
from tradetruce.strategies import party_groups

NY = "America/New_York"
FIRMS = tuple(f"firm-{i}" for i in range(1, 16))


def listed(*, extra: tuple[Party, ...] = (), measure_target: str = "entity-list") -> tt.Scenario:
    """Fifteen firms on an entity list, and a tariff that targets the list."""
    firms = tuple(Party(f, f"Firm {f[5:]}", PartyKind.COMPANY, jurisdiction="CN") for f in FIRMS)
    tariff = Measure.propose(
        id="us-listed",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=(measure_target,),
        rate=Rate.percent("50"),
        at="2025-09-29[America/New_York]",
        source="notice",
    ).transition(MeasureStatus.IN_FORCE, at="2025-09-29[America/New_York]", source="notice")
    return tt.Scenario(
        sources=(
            tt.Source(id="notice", title="Notice", published=When.parse(f"2025-09-29[{NY}]")),
        ),
        parties=(
            Party("us", "United States", PartyKind.STATE, jurisdiction="US"),
            Party("cn", "China", PartyKind.STATE, jurisdiction="CN"),
            *firms,
            Party("entity-list", "Entity list", PartyKind.GROUP, members=FIRMS),
            *extra,
        ),
        measures=(tariff,),
    )


def test_a_measure_targeting_a_group_applies_to_each_member_and_to_no_one_else() -> None:
    s = listed(extra=(Party("other", "Other firm", PartyKind.COMPANY),))
    for firm in FIRMS:
        stack = s.tariff_stack("us", firm, "8542", f"2025-10-01[{NY}]")
        assert [layer.measure for layer in stack.layers] == ["us-listed"], firm
        assert stack.total == Decimal("50")
    assert s.tariff_stack("us", "other", "8542", f"2025-10-01[{NY}]").layers == ()
    assert s.tariff_stack("us", "cn", "8542", f"2025-10-01[{NY}]").layers == ()


def test_a_subsidiary_of_a_listed_firm_and_a_group_within_a_group_are_covered() -> None:
    s = listed(
        extra=(
            Party("firm-1-sub", "Subsidiary", PartyKind.COMPANY, parent="firm-1"),
            Party("affiliates", "Affiliates", PartyKind.GROUP, members=("entity-list",)),
        ),
        measure_target="affiliates",
    )
    assert s.targeted_as("firm-1-sub") == {"firm-1-sub", "firm-1", "entity-list", "affiliates"}
    assert s.tariff_stack("us", "firm-1-sub", "8542", f"2025-10-01[{NY}]").total == Decimal("50")
    assert [p.id for p in s.members("affiliates")] == ["entity-list", *FIRMS]


def test_groups_are_checked_when_the_scenario_is_built() -> None:
    with pytest.raises(tt.InvalidDataError) as info:
        listed(
            extra=(
                Party("a", "A", PartyKind.GROUP, members=("b", "nobody")),
                Party("b", "B", PartyKind.GROUP, members=("a",)),
                Party("unit", "Unit", PartyKind.COMPANY, parent="a"),
            )
        )
    found = {(p.path, p.message) for p in info.value.problems}
    n = 2 + len(FIRMS) + 1
    assert (f"$.parties[{n}].members[1]", "party 'nobody' does not exist") in found, found
    assert (f"$.parties[{n}].members", "groups contain each other in a cycle") in found, found
    assert any(path == f"$.parties[{n + 2}].parent" for path, _ in found), found
    s = listed()
    notice = attrs.evolve(s.measure("us-listed"), imposed_by="entity-list", targets=("cn",))
    with pytest.raises(tt.InvalidDataError, match="a group is targeted, it imposes nothing"):
        s.replace(notice)


def test_only_a_group_has_members_and_never_itself() -> None:
    with pytest.raises(tt.InvalidValueError, match="only a group has members"):
        Party("acme", "Acme", PartyKind.COMPANY, members=("x",))
    with pytest.raises(tt.InvalidValueError, match="its own member"):
        Party("g", "G", PartyKind.GROUP, members=("g",))


def test_a_group_round_trips_and_its_members_are_in_the_format() -> None:
    s = listed()
    assert tt.from_json(tt.to_json(s), tt.Scenario) == s
    assert tt.from_toml(tt.to_toml(s), tt.Scenario) == s
    assert tt.to_dict(s)["parties"][-1]["members"] == list(FIRMS)
    party = tt.json_schema(tt.Party)
    assert "members" in party["properties"] and "group" in party["properties"]["kind"]["enum"]


@given(st.data())
def test_a_party_is_targeted_through_a_group_exactly_when_the_group_holds_it(
    data: st.DataObject,
) -> None:
    pool = ("p0", "p1", "p2", "p3")
    inner = data.draw(party_groups(members=pool, id="inner"))
    outer = data.draw(party_groups(members=(*pool, "inner"), id="outer"))
    s = tt.Scenario(
        parties=(*(Party(p, p, PartyKind.COMPANY) for p in pool), inner, outer),
    )
    for p in pool:
        reach = s.targeted_as(p)
        assert ("inner" in reach) == (p in inner.members)
        assert ("outer" in reach) == (p in {m.id for m in s.members("outer")})
        assert p in reach


@given(st.from_type(Party))
def test_st_from_type_draws_acting_parties_without_members(p: Party) -> None:
    assert p.kind is not PartyKind.GROUP and p.members == ()

from __future__ import annotations

import attrs
import pytest

import tradetruce as tt
from tradetruce import (
    Consequence,
    Deadline,
    DeadlineKind,
    Evidence,
    InvalidDataError,
    Link,
    LinkKind,
    Measure,
    MeasureKind,
    Negotiation,
    Party,
    PartyKind,
    Scenario,
    Source,
    SourceKind,
    Term,
    UnknownEntityError,
    When,
)

SRC = Source(
    id="art", title="A report", kind=SourceKind.NEWS_REPORT, published=When.parse("2025-10-26[UTC]")
)
US = Party(id="us", name="United States", kind=PartyKind.STATE, jurisdiction="US")
CN = Party(id="cn", name="China", kind=PartyKind.STATE, jurisdiction="CN")
USTR = Party(id="ustr", name="USTR", kind=PartyKind.GOVERNMENT_BODY, parent="us")
GREER = Party(id="greer", name="Jamieson Greer", kind=PartyKind.OFFICIAL, parent="ustr")


def tariff(**overrides: object) -> Measure:
    kwargs: dict[str, object] = {
        "id": "tariff",
        "kind": MeasureKind.TARIFF,
        "imposed_by": "us",
        "targets": ("cn",),
        "at": "2025-10-10[America/New_York]",
        "source": "art",
    }
    kwargs.update(overrides)
    return Measure.propose(**kwargs)  # type: ignore[arg-type]


def test_a_consistent_scenario_builds_and_looks_entities_up() -> None:
    s = Scenario(sources=(SRC,), parties=(US, CN, USTR, GREER), measures=(tariff(),))
    assert s.measure("tariff").imposed_by == "us"
    assert [p.id for p in s.lineage("greer")] == ["greer", "ustr", "us"]
    assert "tariff" in s and "nothing" not in s
    with pytest.raises(UnknownEntityError):
        s.measure("us")
    with pytest.raises(KeyError):
        s.deadline("tariff")


def test_every_dangling_reference_is_reported_at_once_with_its_path() -> None:
    with pytest.raises(InvalidDataError) as info:
        Scenario(
            sources=(SRC,),
            parties=(US, Party(id="li", name="Li", kind=PartyKind.OFFICIAL, parent="mofcom")),
            measures=(tariff(targets=("cn",), source="nope"),),
        )
    paths = {p.path: p for p in info.value.problems}
    assert "$.parties[1].parent" in paths
    assert "$.measures[0].targets[0]" in paths
    assert "$.measures[0].history[0].source" in paths
    assert paths["$.measures[0].targets[0]"].entity == "tariff"
    assert "does not exist" in str(info.value)


def test_references_to_the_wrong_kind_of_entity_are_each_reported() -> None:
    other = tariff(id="other")
    wrong = tariff(
        imposed_by="other",
        targets=("cn", "art"),
        links=(Link(kind=LinkKind.RETALIATES_AGAINST, measure="cn"),),
        source="us",
        evidence=Evidence.CLAIMED,
        claimed_by="art",
    )
    with pytest.raises(InvalidDataError) as info:
        Scenario(sources=(SRC,), parties=(US, CN), measures=(other, wrong))
    paths = {p.path for p in info.value.problems}
    assert paths == {
        "$.measures[1].imposed_by",
        "$.measures[1].targets[1]",
        "$.measures[1].links[0].measure",
        "$.measures[1].history[0].source",
        "$.measures[1].history[0].claimed_by",
    }, paths


def test_duplicate_ids_are_refused_across_collections() -> None:
    with pytest.raises(InvalidDataError, match="duplicate id 'us'"):
        Scenario(sources=(SRC,), parties=(US, CN), measures=(tariff(id="us"),))


def test_consequences_and_terms_must_name_a_status_of_their_target() -> None:
    deadline = Deadline.create(
        id="d",
        title="D",
        kind=DeadlineKind.EXPIRY,
        due="2025-11-10[America/New_York]",
        at="2025-10-01[UTC]",
        source="art",
        consequences=(Consequence("tariff", "missed"),),
    )
    talks = Negotiation.schedule(
        id="talks",
        title="Talks",
        parties=("us", "cn"),
        at="2025-10-01[UTC]",
        source="art",
        terms=(Term(entity="tariff", to="paused"), Term(entity="d", to="signed")),
    )
    with pytest.raises(InvalidDataError) as info:
        Scenario(
            sources=(SRC,),
            parties=(US, CN),
            measures=(tariff(),),
            deadlines=(deadline,),
            negotiations=(talks,),
        )
    messages = {p.path: p.message for p in info.value.problems}
    assert "'missed' is not a measure status" in messages["$.deadlines[0].consequences[0].to"]
    assert "'signed' is not a deadline status" in messages["$.negotiations[0].terms[1].to"]
    assert "$.negotiations[0].terms[0].to" not in messages


def test_entries_need_a_recorded_time_when_their_source_has_none() -> None:
    undated = Source(id="art", title="Undated")
    with pytest.raises(InvalidDataError, match="recorded"):
        Scenario(sources=(undated,), parties=(US, CN), measures=(tariff(),))
    assert Scenario(
        sources=(undated,), parties=(US, CN), measures=(tariff(recorded="2025-10-10[UTC]"),)
    )


def test_party_cycles_are_refused() -> None:
    a = Party(id="a", name="A", kind=PartyKind.OTHER, parent="b")
    b = Party(id="b", name="B", kind=PartyKind.OTHER, parent="a")
    with pytest.raises(InvalidDataError, match="cycle"):
        Scenario(parties=(a, b))


def test_replace_swaps_by_id_and_leaves_the_original_alone() -> None:
    s = Scenario(sources=(SRC,), parties=(US, CN), measures=(tariff(),))
    paused = s.measure("tariff").transition(
        s.measure("tariff").allowed_transitions().__iter__().__next__(),
        at="2025-10-30[UTC]",
        source="art",
    )
    t = s.replace(paused)
    assert t.measure("tariff") == paused
    assert s.measure("tariff") != paused
    assert len(t.measures) == 1


def test_a_misspelt_reference_is_refused_with_the_id_it_may_mean() -> None:
    scenario = tt.load_seed()
    tariff = scenario.measure("us-100pct-tariff")
    with pytest.raises(tt.InvalidDataError) as exc:
        scenario.replace(attrs.evolve(tariff, imposed_by="uss"))
    messages = [p.message for p in exc.value.problems]
    assert messages == ["party 'uss' does not exist (did you mean 'us'?)"], messages

"""The strategies generate only valid objects, honour their arguments, shrink to readable
examples, and reach every public type through ``st.from_type`` (the Hypothesis plugin)."""

from __future__ import annotations

import ast
import datetime as _dt
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

import tradetruce as tt
from tradetruce import (
    DEADLINE,
    MEASURE,
    NEGOTIATION,
    DeadlineStatus,
    Evidence,
    MeasureKind,
    MeasureStatus,
    NegotiationStatus,
    Precision,
    Scenario,
    When,
)
from tradetruce import strategies as tts
from tradetruce.model import history as fold
from tradetruce.wire.serialize import from_dict, from_json, from_toml, to_dict, to_json, to_toml

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "how-to" / "testing-your-tool.md"
LIFECYCLE_OF = {"measures": MEASURE, "deadlines": DEADLINE, "negotiations": NEGOTIATION}
#: Hypothesis' own defaults: every health check on, the 200 ms deadline, 100 examples.
DEFAULTS = settings(settings.get_profile("default"), max_examples=100, database=None)


def rebuilt(obj: Any) -> Any:
    """The same object built again through its class, so every validator runs once more."""
    return attrs.evolve(obj)


# ------------------------------------------------------------------------------ validity
PUBLIC: list[tuple[str, Callable[[], st.SearchStrategy[Any]]]] = [
    ("times", tts.times),
    ("calendars", tts.calendars),
    ("hs_codes", tts.hs_codes),
    ("rates", tts.rates),
    ("quantities", tts.quantities),
    ("terms", tts.terms),
    ("sources", tts.sources),
    ("parties", tts.parties),
    ("links", tts.links),
    ("consequences", tts.consequences),
    ("deal_terms", tts.deal_terms),
    ("entries", tts.entries),
    ("measures", tts.measures),
    ("deadlines", tts.deadlines),
    ("negotiations", tts.negotiations),
]


@pytest.mark.parametrize(("name", "strategy"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_every_strategy_gives_objects_that_pass_validation_again(
    name: str, strategy: Callable[[], st.SearchStrategy[Any]]
) -> None:
    @given(strategy())
    def check(value: Any) -> None:
        assert rebuilt(value) == value, name

    check()


def referenced_ids(s: Scenario) -> list[tuple[str, str]]:
    """(kind wanted, id) for every reference a scenario makes."""
    refs: list[tuple[str, str]] = []
    refs += [("party", p.parent) for p in s.parties if p.parent is not None]
    for m in s.measures:
        refs += [("party", m.imposed_by)] + [("party", t) for t in m.targets]
        refs += [("measure", link.measure) for link in m.links]
    for d in s.deadlines:
        refs += [("party", p) for p in d.parties]
        refs += [("entity", g) for g in d.governs] + [("entity", c.entity) for c in d.consequences]
    for n in s.negotiations:
        refs += [("party", p) for p in (*n.parties, *n.participants)]
        refs += [("party", p) for r in n.rounds for p in r.participants]
        refs += [("measure", m) for m in n.measures] + [("entity", t.entity) for t in n.terms]
    for e in s.entities():
        refs += [("source", x.source) for x in e.history]
        refs += [("party", x.claimed_by) for x in e.history if x.claimed_by is not None]
    return refs


@given(tts.scenarios())
def test_every_reference_in_a_scenario_names_something_of_the_right_kind(s: Scenario) -> None:
    kinds = {x.id: "party" for x in s.parties} | {x.id: "source" for x in s.sources}
    kinds |= {x.id: "measure" for x in s.measures} | {x.id: "deadline" for x in s.deadlines}
    kinds |= {x.id: "negotiation" for x in s.negotiations}
    for wanted, id in referenced_ids(s):
        assert id in kinds, (wanted, id)
        if wanted == "entity":
            assert kinds[id] in {"measure", "deadline", "negotiation"}, (wanted, id)
        else:
            assert kinds[id] == wanted, (wanted, id)
    assert all(src.published is not None for src in s.sources)
    for d in s.deadlines:
        for c in d.consequences:
            statuses = {m.value for m in s.entity(c.entity).LIFECYCLE.status_type}
            assert c.to in statuses, (d.id, c)
    for n in s.negotiations:
        for term in n.terms:
            if term.to is not None:
                statuses = {m.value for m in s.entity(term.entity).LIFECYCLE.status_type}
                assert term.to in statuses, (n.id, term)


@given(tts.scenarios())
def test_every_history_is_legal_and_in_order_and_folds_to_the_status(s: Scenario) -> None:
    for entity in s.entities():
        lifecycle: Any = entity.LIFECYCLE
        history: tuple[tt.Entry[Any], ...] = entity.history
        current = None
        for group in fold.claim_groups(history):
            to = group[0].to
            assert all(e.to == to and e.from_ == current for e in group), entity.id
            assert lifecycle.can(current, to) or (lifecycle is MEASURE and to == current)
            current = to
        lowers = [e.at.lower for e in history]
        assert all(
            e.at.upper >= max(lowers[:i], default=e.at.upper) for i, e in enumerate(history)
        ), entity.id
        assert fold.read(history).status == entity.status == current


@given(tts.scenarios(), tts.times())
def test_a_scenario_can_be_viewed_at_any_time(s: Scenario, t: When) -> None:
    view = s.at(t)
    for entity in s.entities():
        state = view[entity.id]
        assert state.id == entity.id
        if state.certain:
            assert state.status == entity.status_at(t, published=s.published)
    end = s.at(_dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=_dt.UTC))
    for entity in s.entities():
        assert end[entity.id].status in (entity.status, None)


# ----------------------------------------------------------------------------- round trips
@given(tts.scenarios())
def test_scenarios_round_trip_through_every_serializer(s: Scenario) -> None:
    assert from_json(to_json(s), Scenario) == s
    assert from_toml(to_toml(s), Scenario) == s
    assert from_dict(to_dict(s), Scenario) == s


@pytest.mark.parametrize(
    ("cls", "strategy"),
    [
        (tt.Measure, tts.measures),
        (tt.Deadline, tts.deadlines),
        (tt.Negotiation, tts.negotiations),
        (tt.Party, tts.parties),
        (tt.Source, tts.sources),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_entities_round_trip_through_every_serializer(
    cls: type, strategy: Callable[[], st.SearchStrategy[Any]]
) -> None:
    @given(strategy())
    def check(value: Any) -> None:
        assert from_json(to_json(value), cls) == value
        assert from_toml(to_toml(value), cls) == value
        assert from_dict(to_dict(value), cls) == value

    check()


# ------------------------------------------------------------------------------- narrowing
@given(tts.measures(kind=MeasureKind.TARIFF, status="paused", imposed_by="us", targets=["cn"]))
def test_measures_keep_to_what_was_asked(m: tt.Measure) -> None:
    assert m.kind is MeasureKind.TARIFF and m.status is MeasureStatus.PAUSED
    assert m.imposed_by == "us" and m.targets == ("cn",)


@given(tts.measures(status=st.sampled_from([MeasureStatus.WITHDRAWN, MeasureStatus.EXPIRED])))
def test_narrowing_arguments_take_strategies(m: tt.Measure) -> None:
    assert MEASURE.is_terminal(m.status)


@pytest.mark.parametrize("status", list(DeadlineStatus), ids=str)
def test_deadlines_end_in_the_status_asked_for(status: DeadlineStatus) -> None:
    @given(tts.deadlines(status=status))
    def check(d: tt.Deadline) -> None:
        assert d.status is status
        assert d.history[0].due is not None

    check()


@pytest.mark.parametrize("status", list(NegotiationStatus), ids=str)
def test_histories_end_in_the_status_asked_for(status: NegotiationStatus) -> None:
    @given(tts.histories(tt.Negotiation, status=status, max_size=2))
    def check(history: tuple[tt.NegotiationEntry, ...]) -> None:
        assert fold.read(history).status is status

    check()


@given(tts.negotiations(parties=("us", "cn"), status=NegotiationStatus.SIGNED))
def test_negotiations_keep_their_sides(n: tt.Negotiation) -> None:
    assert n.parties == ("us", "cn") and n.status is NegotiationStatus.SIGNED


US = tt.Party(id="us", name="United States", kind=tt.PartyKind.STATE, jurisdiction="US")
CN = tt.Party(id="cn", name="China", kind=tt.PartyKind.STATE, jurisdiction="CN")


@given(tts.scenarios(parties=[US, CN], max_measures=3))
def test_scenarios_use_the_parties_given(s: Scenario) -> None:
    assert s.parties == (US, CN) and len(s.measures) <= 3
    assert {m.imposed_by for m in s.measures} <= {"us", "cn"}


@given(tts.times(zone="Asia/Seoul", precision=Precision.MONTH))
def test_times_keep_to_the_zone_and_precision_asked_for(w: When) -> None:
    assert w.zone == "Asia/Seoul" and w.precision is Precision.MONTH and not w.is_range


@given(tts.times(exact=True, zone="America/New_York"))
def test_exact_times_are_instants(w: When) -> None:
    assert w.is_exact and When.parse(str(w)) == w


BAD_CALLS: list[tuple[str, Callable[[], object]]] = [
    ("measures(kind='tarif')", lambda: tts.measures(kind="tarif")),
    ("measures(status='signed')", lambda: tts.measures(status="signed")),
    ("measures(imposed_by='US')", lambda: tts.measures(imposed_by="US")),
    ("measures(targets='cn')", lambda: tts.measures(targets="cn")),
    ("measures(max_history=0)", lambda: tts.measures(max_history=0)),
    ("deadlines(status=1)", lambda: tts.deadlines(status=1)),  # type: ignore[arg-type]
    ("negotiations(parties=('us',))", lambda: tts.negotiations(parties=("us",))),
    ("histories('treaty')", lambda: tts.histories("treaty")),
    ("histories(sources=())", lambda: tts.histories("measure", sources=())),
    ("scenarios(max_measures=-1)", lambda: tts.scenarios(max_measures=-1)),
    ("scenarios(max_measures='3')", lambda: tts.scenarios(max_measures="3")),  # type: ignore[arg-type]
    ("scenarios(parties=['us'])", lambda: tts.scenarios(parties=["us"])),  # type: ignore[list-item]
    ("scenarios(parties=[US, US])", lambda: tts.scenarios(parties=[US, US])),
    ("times(zone='Mars/Base')", lambda: tts.times(zone="Mars/Base")),
    ("times(exact=True, precision=DAY)", lambda: tts.times(exact=True, precision=Precision.DAY)),
    ("hs_codes(level=3)", lambda: tts.hs_codes(level=3)),
]


@pytest.mark.parametrize("call", [c for _, c in BAD_CALLS], ids=[n for n, _ in BAD_CALLS])
def test_bad_arguments_are_refused_when_the_strategy_is_built(call: Callable[[], object]) -> None:
    with pytest.raises(InvalidArgument) as info:
        call()
    assert "=" in str(info.value) or "expected" in str(info.value)


def test_a_bad_value_from_a_strategy_argument_is_named_when_drawn() -> None:
    @given(tts.measures(kind=st.just("tarif")))  # type: ignore[arg-type]
    def check(m: tt.Measure) -> None:
        raise AssertionError("never reached")

    with pytest.raises(InvalidArgument, match="kind='tarif'"):
        check()


# --------------------------------------------------------------------------------- shrinking
def test_a_failing_scenario_shrinks_to_a_small_readable_one() -> None:
    found = find(
        tts.scenarios(),
        lambda s: any(m.status is MeasureStatus.PAUSED for m in s.measures),
        settings=settings(database=None, max_examples=1000),
    )
    # A second party can survive: dropping it would change how the measure's choices are read.
    assert [p.id for p in found.parties] in (["p0"], ["p0", "p1"])
    assert [s.id for s in found.sources] == ["s0"]
    assert [m.id for m in found.measures] == ["m0"] and not found.deadlines
    assert not found.negotiations
    (m,) = found.measures
    assert [e.to for e in m.history] == [MeasureStatus.PROPOSED, MeasureStatus.PAUSED]
    times = [e.at for e in m.history] + [s.published for s in found.sources]
    assert all(w is not None and w.zone == "UTC" and w.precision is Precision.DAY for w in times)
    assert all(e.evidence is Evidence.REPORTED and e.recorded is None for e in m.history)


def test_a_failing_measure_shrinks_to_simple_ids_and_days() -> None:
    found = find(tts.measures(), lambda m: len(m.targets) > 0, settings=settings(database=None))
    assert found.id == "m0" and found.imposed_by == "p0" and found.targets == ("p1",)
    assert [str(e.at) for e in found.history] == ["2000-01-01[UTC]"]


# ------------------------------------------------------------------------------ health/speed
def test_scenarios_pass_every_health_check_at_default_settings() -> None:
    seen: list[int] = []

    @DEFAULTS
    @given(tts.scenarios())
    def check(s: Scenario) -> None:
        seen.append(len(s.measures))

    check()
    assert len(seen) >= 100 and max(seen) > 3, seen


def test_entities_pass_every_health_check_at_default_settings() -> None:
    @DEFAULTS
    @given(tts.measures(), tts.deadlines(), tts.negotiations(), tts.times())
    def check(m: tt.Measure, d: tt.Deadline, n: tt.Negotiation, w: When) -> None:
        assert m.history and d.history and n.history and str(w)

    check()


# ----------------------------------------------------------------------------------- plugin
PUBLIC_TYPES = [
    tt.When,
    tt.Calendar,
    tt.HSCode,
    tt.Rate,
    tt.Quantity,
    tt.Terms,
    tt.Source,
    tt.Party,
    tt.Link,
    tt.Consequence,
    tt.Term,
    tt.Round,
    tt.Measure,
    tt.Deadline,
    tt.Negotiation,
    tt.Scenario,
    tt.Entry,
    tt.MeasureEntry,
    tt.DeadlineEntry,
    tt.NegotiationEntry,
    tt.Reading,
    tt.Lifecycle,
    tt.Problem,
    tt.MeasureStatus,
    tt.Evidence,
    tt.Precision,
    tt.Suspension,
    tt.SuspensionEnd,
]


@pytest.mark.parametrize("kind", PUBLIC_TYPES, ids=lambda k: k.__name__)
def test_from_type_builds_every_public_type(kind: type) -> None:
    @settings(max_examples=10, suppress_health_check=[HealthCheck.filter_too_much])
    @given(st.from_type(kind))
    def check(value: object) -> None:
        assert isinstance(value, kind)

    check()


def test_the_plugin_is_declared_as_a_hypothesis_entry_point_outside_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    hooks = pyproject["project"]["entry-points"]["hypothesis"]
    assert list(hooks.values()) == ["_tradetruce_hypothesis:_hypothesis_setup_hook"]
    installed = [e for e in entry_points(group="hypothesis") if "tradetruce" in e.value]
    assert installed, "the package is installed with its entry point"
    for entry in installed:
        hook = entry.load()
        assert callable(hook)
        hook()  # a second call finds the types registered and does nothing


def test_the_hook_module_is_installed_beside_the_package_it_serves() -> None:
    # An editable install once ran a copy of the hook module made at install time, so that an
    # edit to src/_tradetruce_hypothesis.py took effect only after reinstalling.
    import _tradetruce_hypothesis

    hook_home = Path(_tradetruce_hypothesis.__file__ or "").resolve().parent
    assert hook_home == Path(tt.__file__ or "").resolve().parents[1], hook_home


def test_the_hook_module_imports_nothing_when_loaded() -> None:
    source = (ROOT / "src" / "_tradetruce_hypothesis.py").read_text("utf-8")
    top_level = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert top_level == ["from __future__ import annotations"], top_level


IMPORT_ORDERS = pytest.mark.parametrize(
    "first",
    ["import tradetruce\nimport hypothesis", "import hypothesis\nimport tradetruce"],
    ids=["tradetruce-first", "hypothesis-first"],
)

# Whether the strategies module was imported before a type was asked for, and after: our
# resolvers import it, Hypothesis' own inference from the attrs fields does not.
RESOLVE = """
import sys
from hypothesis import strategies as st
import tradetruce as tt

lazy = "tradetruce.strategies" not in sys.modules
st.from_type(tt.Measure).validate()
print({"lazy": lazy, "registered": "tradetruce.strategies" in sys.modules})
"""

GENERATE = """
from hypothesis import given, settings

@settings(max_examples=5, database=None)
@given(st.from_type(tt.Measure), st.from_type(tt.Round))
def check(measure, round_):
    assert isinstance(measure, tt.Measure) and isinstance(round_, tt.Round)

check()
"""


def printed_by_a_fresh_process(code: str, **env: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout.strip())


@IMPORT_ORDERS
def test_from_type_builds_tradetruce_types_whichever_package_is_imported_first(
    first: str,
) -> None:
    found = printed_by_a_fresh_process(first + RESOLVE + GENERATE)
    assert found == {"lazy": True, "registered": True}


@IMPORT_ORDERS
def test_hypothesis_no_plugins_turns_the_registration_off_in_either_order(first: str) -> None:
    found = printed_by_a_fresh_process(first + RESOLVE, HYPOTHESIS_NO_PLUGINS="1")
    assert found == {"lazy": True, "registered": False}


def test_hypothesis_imported_while_tradetruce_is_importing_waits_for_the_whole_package() -> None:
    # Another import (here an import hook) brings Hypothesis in half-way through tradetruce's
    # own import: the entry point must leave registration to the end of it, without a warning.
    code = (
        "import importlib.abc, sys, warnings\n"
        "class HypothesisFirst(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'tradetruce.model.scenario':\n"
        "            import hypothesis\n"
        "        return None\n"
        "sys.meta_path.insert(0, HypothesisFirst())\n"
        "warnings.simplefilter('error')\n"
        "import tradetruce\n"
    )
    found = printed_by_a_fresh_process(code + RESOLVE)
    assert found == {"lazy": True, "registered": True}


def test_a_failing_registration_on_import_of_tradetruce_is_a_warning_not_an_error() -> None:
    code = (
        "import warnings\n"
        "from hypothesis import strategies as st\n"
        "def broken(*args):\n"
        "    raise TypeError('simulated failure while registering')\n"
        "st.register_type_strategy = broken\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    import tradetruce\n"
        "print([str(w.message) for w in caught if w.category is RuntimeWarning])\n"
    )
    (message,) = printed_by_a_fresh_process(code)
    assert "could not register its types with Hypothesis" in message
    assert "simulated failure while registering" in message


def test_a_failing_registration_in_the_hook_is_a_warning_not_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import _tradetruce_hypothesis
    from tradetruce import _hypothesis_plugin

    def broken(*args: object) -> None:
        raise TypeError("simulated failure while registering")

    monkeypatch.setattr(_hypothesis_plugin, "_registered", False)
    monkeypatch.setattr(st, "register_type_strategy", broken)
    with pytest.warns(RuntimeWarning, match="could not register its types with Hypothesis"):
        _tradetruce_hypothesis._hypothesis_setup_hook()
    assert not _hypothesis_plugin._registered


# ---------------------------------------------------------------------------------- stateful
TestScenarioMachine = tts.ScenarioMachine.TestCase
TestScenarioMachine.settings = settings(max_examples=15, stateful_step_count=8, deadline=None)


def test_the_machine_can_be_extended_with_a_tool_under_test() -> None:
    calls: list[int] = []

    class CountingMachine(tts.ScenarioMachine):
        def changed(self, before: Scenario, after: Scenario) -> None:
            calls.append(len(list(after.entities())) - len(list(before.entities())))

    run_state_machine_as_test(
        CountingMachine, settings=settings(max_examples=10, stateful_step_count=6, deadline=None)
    )
    assert calls and all(c == 0 for c in calls), calls


class SeedMachine(tts.ScenarioMachine):
    """The same steps, starting from the seed scenario instead of a generated one."""

    def initial_scenarios(self) -> st.SearchStrategy[Scenario]:
        return st.just(tt.load_seed())


TestSeedMachine = SeedMachine.TestCase
TestSeedMachine.settings = settings(max_examples=10, stateful_step_count=8, deadline=None)


# ------------------------------------------------------------------------------- docs page
def page_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text("utf-8"), re.S)


def test_the_docs_page_examples_run_as_tests() -> None:
    blocks = page_blocks()
    assert blocks, PAGE
    namespace: dict[str, Any] = {"__name__": "testing_your_tool"}
    for block in blocks:
        exec(compile(block, str(PAGE), "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    machines = [
        m
        for m in namespace.values()
        if isinstance(m, type)
        and issubclass(m, RuleBasedStateMachine)
        and m is not tts.ScenarioMachine
    ]
    assert len(tests) >= 3 and machines, sorted(namespace)
    for test in tests:
        test()
    for machine in machines:
        run_state_machine_as_test(
            machine, settings=settings(max_examples=5, stateful_step_count=5, deadline=None)
        )


def test_the_docs_page_shows_a_shrunk_example_that_the_strategies_really_give() -> None:
    text = PAGE.read_text("utf-8")
    shown = re.search(r"<!-- shrunk -->\s*```text\n(.*?)```", text, re.S)
    assert shown, "the page shows a shrunk example in a text block after <!-- shrunk -->"
    found = find(
        tts.measures(),
        lambda m: m.status is MeasureStatus.PAUSED and len(m.targets) > 0,
        settings=settings(database=None, max_examples=1000),
    )
    assert " ".join(shown.group(1).split()) == " ".join(repr(found).split())


@given(tts.times(zone="Pacific/Apia"))
def test_times_leave_out_days_a_zone_skipped(w: When) -> None:
    assert w.lo_us <= w.hi_us


def test_a_day_a_zone_skipped_is_not_generated() -> None:
    skipped = tt.Calendar(2011, 12, 30)
    assert tts._day_in("Pacific/Apia", skipped) is None
    assert tts._ranged("Pacific/Apia", skipped, skipped) is None
    assert tts._day_in("UTC", skipped) == When.parse("2011-12-30[UTC]")


# --------------------------------------------------------------- suspensions and their claims
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tts.suspended_measures())
def test_suspended_measures_are_paused_in_whole_or_part_and_extended_with_provenance(
    measure: tt.Measure,
) -> None:
    statuses = [e.to for e in measure.history]
    assert statuses[:3] == [
        tt.MeasureStatus.PROPOSED,
        tt.MeasureStatus.IN_FORCE,
        tt.MeasureStatus.PAUSED,
    ]
    assert measure.history[2].suspension is not None
    rate = measure.history[0].terms.rate if measure.history[0].terms else None
    assert rate is not None and measure.history[2].suspension.problem_with(rate) == ""
    for entry in measure.history[3:]:
        if entry.is_amendment:
            assert entry.suspension is not None  # an extension carries its suspension

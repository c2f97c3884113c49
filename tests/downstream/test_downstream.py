"""A downstream tool's tests, run against the built wheel in a fresh environment.

tests/test_downstream_wheel.py copies this file into an empty directory outside the repository,
installs the wheel with its ``hypothesis`` extra into a new virtual environment, and runs it
there. It must work with nothing but what the wheel installs.
"""

from __future__ import annotations

import sys

import hypothesis
from hypothesis import given, settings
from hypothesis import strategies as st

import tradetruce

# The plugin registered itself when Hypothesis was imported, and lazily: it has not even
# imported the strategies module yet.
assert "tradetruce.strategies" not in sys.modules, "the plugin must not build anything at import"
assert hypothesis.__version__


@settings(max_examples=25)
@given(st.from_type(tradetruce.Measure))
def test_from_type_builds_measures_without_importing_the_strategies(
    measure: tradetruce.Measure,
) -> None:
    assert isinstance(measure, tradetruce.Measure)
    assert measure.status in tradetruce.MEASURE.status_type


@settings(max_examples=10)
@given(st.from_type(tradetruce.Scenario))
def test_from_type_builds_whole_scenarios(scenario: tradetruce.Scenario) -> None:
    for measure in scenario.measures:
        assert measure.imposed_by in scenario


def test_scenarios_from_the_strategies_module() -> None:
    from tradetruce import strategies as tts

    @settings(max_examples=25)
    @given(tts.scenarios(max_measures=5), tts.times())
    def check(scenario: tradetruce.Scenario, t: tradetruce.When) -> None:
        view = scenario.at(t)
        assert set(view.measures) == {m.id for m in scenario.measures}

    check()


def test_the_installed_package_is_the_wheel_not_a_checkout() -> None:
    assert "site-packages" in (tradetruce.__file__ or ""), tradetruce.__file__

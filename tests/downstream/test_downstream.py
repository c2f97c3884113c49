"""A downstream tool's tests, run against the built wheel in a fresh environment.

tests/test_downstream_wheel.py copies this file into an empty directory outside the repository,
installs the wheel with its ``hypothesis`` extra into a new virtual environment, and runs it
there. It must work with nothing but what the wheel installs.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import hypothesis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tradetruce

# Imported after Hypothesis, tradetruce registered its types itself, and lazily: the strategies
# module is not even imported yet.
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


def printed_by_a_fresh_process(code: str) -> object:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout.strip())


@pytest.mark.parametrize(
    "first",
    ["import tradetruce\nimport hypothesis", "import hypothesis\nimport tradetruce"],
    ids=["tradetruce-first", "hypothesis-first"],
)
def test_from_type_builds_measures_whichever_package_is_imported_first(first: str) -> None:
    code = first + (
        "\nimport sys\n"
        "from hypothesis import given, settings, strategies as st\n"
        "import tradetruce as tt\n"
        "lazy = 'tradetruce.strategies' not in sys.modules\n"
        "@settings(max_examples=5, database=None)\n"
        "@given(st.from_type(tt.Measure))\n"
        "def check(measure):\n"
        "    assert isinstance(measure, tt.Measure)\n"
        "check()\n"
        "print({'lazy': lazy, 'registered': 'tradetruce.strategies' in sys.modules})\n"
    )
    assert printed_by_a_fresh_process(code) == {"lazy": True, "registered": True}


def test_importing_hypothesis_alone_does_not_import_tradetruce() -> None:
    code = "import sys, hypothesis\nprint(sorted(m for m in sys.modules if 'tradetruce' in m))"
    # The entry point's own module, and nothing of the package.
    assert printed_by_a_fresh_process(code) == ["_tradetruce_hypothesis"]


def test_importing_tradetruce_leaves_the_wire_formats_until_first_use() -> None:
    code = (
        "import sys, tradetruce as tt\n"
        "before = sorted({'cattrs', 'msgspec', 'numpy', 'pycountry'} & set(sys.modules))\n"
        "text = tt.to_json(tt.Rate.percent('7.5'), indent=None)\n"
        "print({'before': before, 'text': text, 'cattrs': 'cattrs' in sys.modules})\n"
    )
    assert printed_by_a_fresh_process(code) == {
        "before": [],
        "text": '{"format":"tradetruce/2","value":"7.5"}',
        "cattrs": True,
    }

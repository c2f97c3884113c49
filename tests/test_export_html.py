"""Notebook views: a Scenario, a View and a TariffStack as HTML, every text escaped."""

from __future__ import annotations

import html.parser

import attrs
import pendulum
from hypothesis import HealthCheck, given, settings

import tradetruce as tt
from _engine_scenario import truce
from tradetruce.export.html import scenario_html, stack_html, view_html
from tradetruce.strategies import scenarios

HOSTILE = '<script>alert("x")</script> & <b>'


class _Text(html.parser.HTMLParser):
    """The text a browser would show, and the tags it would build."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(markup: str) -> _Text:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser


_OURS = {"div", "style", "strong", "table", "caption", "tr", "th", "td", "code", "span"}


def test_text_from_a_scenario_file_is_shown_never_run() -> None:
    s = truce()
    talks = s.negotiation("kl-talks")
    s = attrs.evolve(s, title=HOSTILE).replace(attrs.evolve(talks, title=HOSTILE))
    page = read(scenario_html(s))
    assert set(page.tags) <= _OURS, page.tags
    assert HOSTILE in "".join(page.text)


def test_the_scenario_lists_each_measure_with_its_status_and_terms() -> None:
    page = read(scenario_html(truce()))
    shown = "|".join(page.text)
    assert "us-fentanyl|tariff|us|cn|in_force|20% (IEEPA)" in shown
    assert "5 sources" not in shown and "4 sources, 4 parties, 5 measures" in shown


def test_an_uncertain_state_is_marked_and_a_dispute_named() -> None:
    inside = pendulum.datetime(2019, 6, 15, tz="America/New_York")
    markup = view_html(truce().at(inside))
    assert '<span class="uncertain">uncertain: proposed | in_force</span>' in markup
    later = view_html(truce().at(pendulum.datetime(2025, 11, 6, tz="Asia/Shanghai")))
    assert (
        "wh (claimed) says paused (whole measure until 2026-11~[Asia/Shanghai], then restored); "
        "mofcom (official) says paused</td>" in later
    )


def test_a_view_as_known_at_a_time_says_so() -> None:
    t = pendulum.datetime(2025, 11, 3, tz="UTC")
    markup = view_html(truce().at(t, known_at=t))
    assert "View at 2025-11-03T00:00:00+00:00, as known at 2025-11-03T00:00:00+00:00" in markup


def test_a_stack_shows_its_layers_and_both_totals() -> None:
    inside = pendulum.datetime(2019, 6, 15, tz="America/New_York")
    page = read(stack_html(truce().tariff_stack("us", "cn", "8517", inside)))
    shown = "|".join(page.text)
    assert "us-301|25%|Section 301|may or may not apply" in shown
    assert "0%" in shown and "up to 25% if every uncertain layer applies" in shown
    empty = read(stack_html(truce().tariff_stack("us", "kr", "8517", inside)))
    assert "no layer" in "".join(empty.text)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios(max_measures=3, max_deadlines=2, max_negotiations=1))
def test_any_scenario_gives_well_formed_markup_of_our_own_tags(scenario: tt.Scenario) -> None:
    for markup in (scenario_html(scenario), view_html(scenario.at("2025-01-01[UTC]"))):
        page = read(markup)
        assert set(page.tags) <= _OURS, page.tags


def test_notebooks_show_scenarios_views_and_stacks_as_these_tables() -> None:
    s = truce()
    t = pendulum.datetime(2025, 11, 3, tz="UTC")
    view = s.at(t)
    stack = s.tariff_stack("us", "cn", "8517", t)
    assert s._repr_html_() == scenario_html(s)
    assert view._repr_html_() == view_html(view)
    assert stack._repr_html_() == stack_html(stack)

"""The shipped escalation scenario (``us-china-2025-escalation``): its key answers, pinned.

The US duty on a Chinese product and China's duty on US soybeans on the days that matter, the
Geneva suspension's end across the end of daylight saving time, what was known when, statuses
at dates, the deadlines ahead, and the commands that read it.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import tradetruce as tt
from tradetruce.cli import EXIT_OK, main
from tradetruce.seeds import DEFAULT_SEED
from tradetruce.wire import serialize

NAME = "us-china-2025-escalation"
SEED_FILE = Path(__file__).resolve().parents[1] / "seeds" / f"{NAME}.toml"
NY, SH = "America/New_York", "Asia/Shanghai"
TOY = "9503.00.00"  # a product the US IEEPA duties reach; the scenario records no base rate for it
SOYBEANS = "1201"
W = tt.When.parse
M, D, N = tt.MeasureStatus, tt.DeadlineStatus, tt.NegotiationStatus


@pytest.fixture(scope="module")
def seed() -> tt.Scenario:
    return tt.load_seed(NAME)


def _bounds(stack: tt.TariffStack) -> tuple[Decimal, Decimal]:
    return stack.low, stack.high


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


# ------------------------------------------------------------------------------------ loading
def test_the_scenario_is_shipped_and_loads_by_name_and_by_path(seed: tt.Scenario) -> None:
    assert NAME in tt.list_seeds()
    assert tt.list_seeds()[0] == DEFAULT_SEED
    assert tt.load_seed(SEED_FILE) == seed
    assert seed.title == "US-China tariff escalation, February to October 2025"


def test_the_scenario_round_trips_through_toml_and_json(seed: tt.Scenario) -> None:
    assert serialize.from_toml(serialize.to_toml(seed), tt.Scenario) == seed
    assert serialize.from_json(serialize.to_json(seed), tt.Scenario) == seed


def test_the_help_names_the_scenario(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["--help"]) == EXIT_OK
    out = capsys.readouterr().out
    shipped = out[out.index("Shipped scenarios: ") :].replace("-\n", "-").replace("\n", " ")
    assert DEFAULT_SEED in shipped and NAME in shipped


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", str(SEED_FILE)],
        ["status", NAME, "--tz", "UTC"],
        ["status", NAME, "--at", "2025-11-11[America/New_York]", "--project", "--tz", "UTC"],
        ["timeline", NAME, "--tz", "UTC"],
        ["deadlines", NAME, "--tz", "UTC"],
        ["changes", NAME, "--recorded-from", "2025-05-01[UTC]", "--recorded-to", "2025-08-31[UTC]"],
        ["tariff", NAME, "--importer", "us", "--exporter", "cn", "--product", TOY],
    ],
    ids=lambda argv: " ".join(argv[:1]),
)
def test_every_reading_command_works_on_the_scenario(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, text = run(*argv)
    assert code == EXIT_OK, text
    assert text


def test_the_tariff_command_gives_the_headline_of_april(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    at = "2025-05-01[America/New_York]"
    code, text = run(
        "tariff", NAME, "--importer", "us", "--exporter", "cn", "--product", TOY, "--at", at
    )
    assert code == EXIT_OK
    assert f"us tariffs on {TOY} from cn at 2025-05-02T03:59:59.999999+00:00: 145%" in text


# ------------------------------------------------------------------------- the US duty on China
@pytest.mark.parametrize(
    ("at", "total"),
    [
        ("2025-02-03T12:00:00-05:00[America/New_York]", "0"),  # before the fentanyl duty
        ("2025-02-04T00:01:00-05:00[America/New_York]", "10"),  # EO 14195, to the minute
        ("2025-03-05[America/New_York]", "20"),  # EO 14228
        ("2025-04-06[America/New_York]", "30"),  # + the 10% baseline of EO 14257
        ("2025-04-09T12:00:00-04:00[America/New_York]", "104"),  # 84% (EO 14259)
        ("2025-05-01[America/New_York]", "145"),  # 125% (EO 14266): the headline 145%
        ("2025-05-14T00:00:59-04:00[America/New_York]", "145"),  # a minute before Geneva
        ("2025-05-14T00:01:00-04:00[America/New_York]", "30"),  # EO 14298: 10% kept
        ("2025-05-15[America/New_York]", "30"),
        ("2025-08-13[America/New_York]", "30"),  # extended by EO 14334
        ("2025-11-10T00:00:59-05:00[America/New_York]", "30"),  # the last minute of it
    ],
)
def test_the_us_duty_on_a_chinese_product_on_each_day(
    seed: tt.Scenario, at: str, total: str
) -> None:
    stack = seed.tariff_stack("us", "cn", TOY, at)
    assert _bounds(stack) == (Decimal(total), Decimal(total)), str(stack)
    assert stack.uncertain == ()


def test_the_us_duty_on_1_may_against_15_may(seed: tt.Scenario) -> None:
    may1 = seed.tariff_stack("us", "cn", TOY, "2025-05-01[America/New_York]")
    may15 = seed.tariff_stack("us", "cn", TOY, "2025-05-15[America/New_York]")
    assert [(x.measure, x.rate.value) for x in may1.layers] == [
        ("us-ieepa-fentanyl", Decimal("20")),
        ("us-ieepa-reciprocal", Decimal("125")),
    ]
    assert [(x.measure, x.rate.value, x.note) for x in may15.layers] == [
        ("us-ieepa-fentanyl", Decimal("20"), ""),
        ("us-ieepa-reciprocal", Decimal("10"), "24 of 34 points suspended"),
    ]
    assert {x.instrument for x in may15.under(tt.Authority.IEEPA)} == {
        "Executive Order 14228",
        "Executive Order 14298",
    }


def test_goods_of_hong_kong_pay_what_goods_of_china_pay(seed: tt.Scenario) -> None:
    at = "2025-05-01[America/New_York]"
    assert seed.tariff_stack("us", "hk", TOY, at).high == Decimal("145")


def test_section_301_is_recorded_without_rates_and_adds_nothing(seed: tt.Scenario) -> None:
    # The lists and their rates are not in the scenario: the measure is there, its rate is not.
    measure = seed.measure("us-section-301-china")
    assert measure.status is M.IN_FORCE and measure.terms.rate is None
    stack = seed.tariff_stack("us", "cn", TOY, "2025-05-01[America/New_York]")
    assert stack.under(tt.Authority.SECTION_301) == ()


# -------------------------------------------------------------- the suspension and daylight saving
def test_the_extended_suspension_ends_at_1201_est_in_new_yorks_zone(seed: tt.Scenario) -> None:
    state = seed.at("2025-10-26[Asia/Kuala_Lumpur]").measures["us-ieepa-reciprocal"]
    assert state.status is M.PAUSED
    suspension = state.suspension
    assert suspension is not None and suspension.until is not None
    assert str(suspension.until) == "2025-11-10T00:01:00-05:00[America/New_York]"
    assert suspension.portion == tt.Rate(Decimal("24"))
    assert suspension.until.zone == NY
    end = suspension.until.lower
    assert end == _dt.datetime(2025, 11, 10, 5, 1, tzinfo=_dt.UTC)
    assert end.astimezone(ZoneInfo(NY)).utcoffset() == _dt.timedelta(hours=-5)


def test_the_first_suspension_ended_at_1201_edt_and_the_extension_is_an_hour_longer_than_90_days(
    seed: tt.Scenario,
) -> None:
    geneva = seed.at("2025-06-01[America/New_York]").measures["us-ieepa-reciprocal"]
    assert geneva.suspension is not None and geneva.suspension.until is not None
    first_end = geneva.suspension.until.lower
    assert first_end.astimezone(ZoneInfo(NY)).utcoffset() == _dt.timedelta(hours=-4)
    extended_end = W("2025-11-10T00:01:00-05:00[America/New_York]").lower
    # 90 days on the wall clock; 90 days and an hour elapsed, across the end of summer time.
    assert extended_end - first_end == _dt.timedelta(days=90, hours=1)


def test_after_the_suspension_runs_out_the_reciprocal_points_may_be_back(
    seed: tt.Scenario,
) -> None:
    at = "2025-11-10T00:01:00-05:00[America/New_York]"
    stack = seed.tariff_stack("us", "cn", TOY, at)
    assert _bounds(stack) == (Decimal("30"), Decimal("54"))
    assert [(x.measure, x.rate.value, x.low) for x in stack.uncertain] == [
        ("us-ieepa-reciprocal", Decimal("34"), Decimal("10"))
    ]
    state = seed.at(at).measures["us-ieepa-reciprocal"]
    assert state.status is None and state.candidates == (M.PAUSED, M.IN_FORCE)
    projected = seed.at(at, project=True).measures["us-ieepa-reciprocal"]
    assert projected.status is M.IN_FORCE and projected.projected


# --------------------------------------------------------------------------- what was known when
def test_as_known_on_8_april_the_duty_due_on_10_april_was_104_not_145(seed: tt.Scenario) -> None:
    apr10 = "2025-04-10T12:00:00-04:00[America/New_York]"
    before = seed.tariff_stack("us", "cn", TOY, apr10, known_at="2025-04-08[America/New_York]")
    after = seed.tariff_stack("us", "cn", TOY, apr10, known_at="2025-04-09[America/New_York]")
    assert (before.high, after.high) == (Decimal("104"), Decimal("145"))


def test_before_the_extension_was_known_mid_august_was_in_doubt(seed: tt.Scenario) -> None:
    aug13 = "2025-08-13[America/New_York]"
    doubt = seed.tariff_stack("us", "cn", TOY, aug13, known_at="2025-08-01[America/New_York]")
    known = seed.tariff_stack("us", "cn", TOY, aug13, known_at="2025-08-11[America/New_York]")
    assert _bounds(doubt) == (Decimal("30"), Decimal("54"))
    assert _bounds(known) == (Decimal("30"), Decimal("30"))


# ------------------------------------------------------------------------ China's duty on soybeans
@pytest.mark.parametrize(
    ("at", "low", "high"),
    [
        ("2025-03-01[Asia/Shanghai]", "3", "3"),  # the MFN duty only
        ("2025-03-11[Asia/Shanghai]", "13", "13"),  # + 10% of announcement No. 2
        ("2025-04-08[Asia/Shanghai]", "13", "97"),  # 34% or 84%: the days are not in the sources
        ("2025-04-13[Asia/Shanghai]", "138", "138"),  # + 125%
        ("2025-05-15[Asia/Shanghai]", "23", "23"),  # Geneva: 10% kept
        ("2025-08-13[Asia/Shanghai]", "23", "23"),  # extended
        ("2025-10-26[Asia/Shanghai]", "23", "23"),
        ("2025-11-11[Asia/Shanghai]", "23", "47"),  # ran out, nothing recorded after
    ],
)
def test_chinas_duty_on_us_soybeans(seed: tt.Scenario, at: str, low: str, high: str) -> None:
    stack = seed.tariff_stack("cn", "us", SOYBEANS, at)
    assert _bounds(stack) == (Decimal(low), Decimal(high)), str(stack)


def test_soybeans_pay_the_mfn_rate_the_march_retaliation_and_the_reciprocal_layer(
    seed: tt.Scenario,
) -> None:
    stack = seed.tariff_stack("cn", "us", SOYBEANS, "2025-05-15[Asia/Shanghai]")
    assert [(x.measure, x.rate.value, x.base) for x in stack.layers] == [
        ("cn-mfn-soybeans", Decimal("3"), True),
        ("cn-retaliation-mar-10", Decimal("10"), False),
        ("cn-counter-reciprocal", Decimal("10"), False),
    ]


def test_coal_pays_the_february_retaliation_and_not_the_march_one(seed: tt.Scenario) -> None:
    stack = seed.tariff_stack("cn", "us", "2701", "2025-03-15[Asia/Shanghai]")
    assert [(x.measure, x.rate.value) for x in stack.layers] == [
        ("cn-retaliation-feb-15", Decimal("15"))
    ]


# -------------------------------------------------------------------------------------- statuses
@pytest.mark.parametrize(
    ("entity", "at", "status"),
    [
        ("us-ieepa-fentanyl", "2025-02-03[America/New_York]", M.PROPOSED),
        ("us-ieepa-fentanyl", "2025-02-05[America/New_York]", M.IN_FORCE),
        ("us-ieepa-reciprocal", "2025-05-01[America/New_York]", M.IN_FORCE),
        ("us-ieepa-reciprocal", "2025-05-15[America/New_York]", M.PAUSED),
        ("cn-counter-reciprocal", "2025-05-15[Asia/Shanghai]", M.PAUSED),
        ("us-bis-affiliates-rule", "2025-09-30[America/New_York]", M.IN_FORCE),
        ("us-100pct-threat", "2025-10-26[America/New_York]", M.PROPOSED),
        ("cn-export-controls-55-58", "2025-10-26[Asia/Shanghai]", M.SCHEDULED),
        ("cn-export-controls-62", "2025-10-10[Asia/Shanghai]", M.IN_FORCE),
        ("us-ship-fees", "2025-10-15[America/New_York]", M.IN_FORCE),
        ("cn-port-fees", "2025-10-15[Asia/Shanghai]", M.IN_FORCE),
    ],
)
def test_measure_statuses_at_dates(
    seed: tt.Scenario, entity: str, at: str, status: tt.MeasureStatus
) -> None:
    assert seed.at(at).measures[entity].status is status


@pytest.mark.parametrize(
    ("at", "status"),
    [
        ("2025-05-10T09:00:00+02:00[Europe/Zurich]", None),  # they began some time that day
        ("2025-05-11[Europe/Zurich]", N.IN_TALKS),
        ("2025-05-13T09:00:00+02:00[Europe/Zurich]", N.SIGNED),
        ("2025-05-20[Europe/Zurich]", N.IN_EFFECT),
        ("2025-07-15[Europe/Stockholm]", N.IN_TALKS),
        ("2025-10-27[Asia/Kuala_Lumpur]", N.PRELIMINARY_CONSENSUS),
    ],
)
def test_the_talks_go_back_to_talks_after_geneva(
    seed: tt.Scenario, at: str, status: tt.NegotiationStatus | None
) -> None:
    assert seed.at(at).negotiations["us-cn-talks-2025"].status is status


def test_the_talks_have_five_rounds_in_five_cities(seed: tt.Scenario) -> None:
    rounds = seed.negotiation("us-cn-talks-2025").rounds
    assert [(r.number, (r.place or "").split(",")[0]) for r in rounds] == [
        (1, "Geneva"),
        (2, "London"),
        (3, "Stockholm"),
        (4, "Madrid"),
        (5, "Kuala Lumpur"),
    ]


def test_the_kuala_lumpur_consensus_is_chinas_claim(seed: tt.Scenario) -> None:
    last = seed.negotiation("us-cn-talks-2025").history[-1]
    assert (last.to, last.evidence, last.claimed_by) == (
        N.PRELIMINARY_CONSENSUS,
        tt.Evidence.CLAIMED,
        "cn",
    )


def test_facts_read_in_official_texts_are_official_and_the_threat_is_a_claim(
    seed: tt.Scenario,
) -> None:
    for measure in ("us-ieepa-fentanyl", "us-bis-affiliates-rule"):
        assert {e.evidence for e in seed.measure(measure).history} == {tt.Evidence.OFFICIAL}
    threat = seed.measure("us-100pct-threat").history[0]
    assert (threat.evidence, threat.claimed_by) == (tt.Evidence.CLAIMED, "donald-trump")
    assert {e.evidence for e in seed.measure("us-ieepa-reciprocal").history} == {
        tt.Evidence.REPORTED
    }


# ------------------------------------------------------------------------------------- deadlines
def test_the_geneva_deadline_is_pending_in_summer_and_extended_in_autumn(
    seed: tt.Scenario,
) -> None:
    summer = seed.at("2025-08-01[America/New_York]").deadlines["geneva-suspension-end"]
    autumn = seed.at("2025-10-26[America/New_York]").deadlines["geneva-suspension-end"]
    assert (summer.status, str(summer.due)) == (
        D.PENDING,
        "2025-08-12T00:01:00-04:00[America/New_York]",
    )
    assert (autumn.status, str(autumn.due)) == (
        D.EXTENDED,
        "2025-11-10T00:01:00-05:00[America/New_York]",
    )


def test_the_deadlines_ahead_of_the_kuala_lumpur_report(seed: tt.Scenario) -> None:
    ahead = seed.upcoming_deadlines("2025-10-26[Asia/Kuala_Lumpur]")
    assert [(u.deadline, str(u.due)) for u in ahead] == [
        ("us-100pct-effective", "2025-11-01[America/New_York]"),
        ("cn-export-controls-effective", "2025-11-08[Asia/Shanghai]"),
        ("geneva-suspension-end", "2025-11-10T00:01:00-05:00[America/New_York]"),
        ("cn-rare-earth-de-minimis-effective", "2025-12-01[Asia/Shanghai]"),
    ]


def test_the_geneva_actions_deadline_was_met(seed: tt.Scenario) -> None:
    assert seed.at("2025-05-15[Asia/Shanghai]").deadlines["geneva-actions"].status is D.MET


# ---------------------------------------------------------------------------------- the sources
def test_the_seed_copies_no_sentence_of_its_fact_brief() -> None:
    # The brief lives in shared/source/, beside the repository (not part of the package).
    root = Path(__file__).resolve().parents[1]
    brief = root.parent / "shared" / "source" / "2025-us-china-escalation-facts.md"
    if not brief.exists():
        pytest.skip(f"needs the fact brief at {brief} (../shared/source/ beside the checkout)")
    words = re.findall(r"[a-z0-9']+", brief.read_text(encoding="utf-8").lower())
    seed_words = " ".join(re.findall(r"[a-z0-9']+", SEED_FILE.read_text(encoding="utf-8").lower()))
    # Lists of products and the names of ministries run to ten words or so; a sentence longer.
    n = 12
    copied = [
        " ".join(words[i : i + n])
        for i in range(len(words) - n + 1)
        if " ".join(words[i : i + n]) in seed_words
    ]
    assert copied == []


def test_the_affiliates_rule_targets_the_listed_entities_as_a_group(seed: tt.Scenario) -> None:
    listed = seed.party("bis-listed-entities")
    assert listed.kind is tt.PartyKind.GROUP and listed.members == ()
    rule = seed.measure("us-bis-affiliates-rule")
    assert (rule.targets, rule.terms.instrument) == (("bis-listed-entities",), "90 FR 47201")

"""The default seed: its facts, its loader, and the loader's errors on broken copies.

``expected_seed()`` builds the same scenario in Python, so the file and this test pin each other:
a change to one without the other fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

import tradetruce as tt
from tradetruce.seeds import DEFAULT_SEED, locate, seed_path

SEED_FILE = Path(__file__).resolve().parents[1] / "seeds" / f"{DEFAULT_SEED}.toml"
SRC = "art-2025-10-26"
KL, NY, SH, SEOUL = "Asia/Kuala_Lumpur", "America/New_York", "Asia/Shanghai", "Asia/Seoul"
BY_REPORT = f"../2025-10-26[{KL}]"
RECENT_WEEKS_NY = f"2025-09-26/2025-10-25[{NY}]"
RECENT_WEEKS_SH = f"2025-09-26/2025-10-25[{SH}]"
LATER_THIS_WEEK = f"2025-10-27/2025-11-02[{SEOUL}]"

W = tt.When.parse
M, D, N = tt.MeasureStatus, tt.DeadlineStatus, tt.NegotiationStatus


def _party(id: str, name: str, kind: str, parent: str | None = None, **kw: object) -> tt.Party:
    return tt.Party(id=id, name=name, kind=tt.PartyKind(kind), parent=parent, **kw)  # type: ignore[arg-type]


def _without_empty_terms(measure: tt.Measure) -> tt.Measure:
    # propose() always records terms; a file entry without a terms table records none.
    history = tuple(
        attrs.evolve(e, terms=None) if e.terms == tt.Terms() else e for e in measure.history
    )
    return attrs.evolve(measure, history=history)


def expected_seed() -> tt.Scenario:
    """The default scenario, built in Python from the same facts as the seed file."""
    source = tt.Source(
        id=SRC,
        title="U.S. and China Near Trade Truce, Eyeing Leader-Level Deal at APEC Summit",
        kind=tt.SourceKind.NEWS_REPORT,
        published=W(f"2025-10-26[{KL}]"),
    )
    parties = (
        _party("us", "United States", "state", jurisdiction="US"),
        _party("cn", "China", "state", jurisdiction="CN", aliases=("People's Republic of China",)),
        _party(
            "ustr",
            "Office of the United States Trade Representative",
            "government_body",
            "us",
            aliases=("USTR",),
        ),
        _party("us-treasury", "United States Department of the Treasury", "government_body", "us"),
        _party(
            "us-eop",
            "Executive Office of the President",
            "government_body",
            "us",
            aliases=("White House",),
        ),
        _party(
            "cn-state-council",
            "State Council of the People's Republic of China",
            "government_body",
            "cn",
        ),
        _party(
            "cn-mofcom",
            "Ministry of Commerce of the People's Republic of China",
            "government_body",
            "cn",
            aliases=("MOFCOM",),
        ),
        _party(
            "cn-presidency", "Presidency of the People's Republic of China", "government_body", "cn"
        ),
        _party(
            "jamieson-greer",
            "Jamieson Greer",
            "official",
            "ustr",
            title="U.S. Trade Representative",
        ),
        _party(
            "scott-bessent", "Scott Bessent", "official", "us-treasury", title="Treasury Secretary"
        ),
        _party(
            "donald-trump",
            "Donald Trump",
            "official",
            "us-eop",
            title="President of the United States",
        ),
        _party("he-lifeng", "He Lifeng", "official", "cn-state-council", title="Vice-Premier"),
        _party(
            "li-chenggang", "Li Chenggang", "official", "cn-mofcom", title="top trade negotiator"
        ),
        _party(
            "xi-jinping",
            "Xi Jinping",
            "official",
            "cn-presidency",
            title="President of the People's Republic of China",
        ),
    )
    tariff = tt.Measure.propose(
        id="us-100pct-tariff",
        kind=tt.MeasureKind.TARIFF,
        title="Threatened US 100% tariff on Chinese goods",
        imposed_by="us",
        targets=("cn",),
        scope="certain Chinese goods (the report does not list them)",
        at=RECENT_WEEKS_NY,
        source=SRC,
        rate=tt.Rate.percent("100"),
        effective=W(f"2025-11-01[{NY}]"),
        note="threatened as part of the recent escalation",
    )
    rare_earths = tt.Measure.propose(
        id="cn-rare-earth-controls",
        kind=tt.MeasureKind.EXPORT_CONTROL,
        title="China's export controls on rare earths",
        imposed_by="cn",
        scope="rare-earth materials",
        at=RECENT_WEEKS_SH,
        source=SRC,
        note="announced as part of the recent escalation",
    ).transition(
        M.SCHEDULED,
        at=RECENT_WEEKS_SH,
        source=SRC,
        note="adopted, implementation still ahead (no date in the report)",
    )
    soybeans = tt.Measure.propose(
        id="cn-soybean-purchases",
        kind=tt.MeasureKind.PURCHASE_COMMITMENT,
        title="Renewed Chinese purchases of US soybeans",
        imposed_by="cn",
        targets=("us",),
        scope="US soybeans (the report gives no quantity)",
        at=BY_REPORT,
        source=SRC,
        evidence=tt.Evidence.CLAIMED,
        claimed_by="scott-bessent",
        note="part of the framework, according to the Treasury Secretary",
    )

    def held_back(side: str, other: str, who: str) -> tt.Measure:
        return tt.Measure.propose(
            id=f"{side}-truce-suspended",
            kind=tt.MeasureKind.OTHER,
            title=f"{who} measures held back by the truce",
            imposed_by=side,
            targets=(other,),
            scope=f"the {who} escalation the truce suspends (rates and products not in the report)",
            at=BY_REPORT,
            source=SRC,
        ).suspend(
            at=BY_REPORT,
            source=SRC,
            until=f"2025-11-10[{NY}]",
            note="suspended by the truce",
        )

    measures = tuple(
        _without_empty_terms(m)
        for m in (
            tariff,
            rare_earths,
            soybeans,
            held_back("us", "cn", "US"),
            held_back("cn", "us", "Chinese"),
        )
    )
    deadlines = (
        tt.Deadline.create(
            id="truce-expiry",
            title="Truce expires",
            kind=tt.DeadlineKind.EXPIRY,
            parties=("us", "cn"),
            governs=("us-truce-suspended", "cn-truce-suspended"),
            due=f"2025-11-10[{NY}]",
            at=BY_REPORT,
            source=SRC,
        ),
        tt.Deadline.create(
            id="us-tariff-effective",
            title="Threatened US 100% tariff takes effect",
            kind=tt.DeadlineKind.EFFECTIVE_DATE,
            parties=("us", "cn"),
            governs=("us-100pct-tariff",),
            consequences=(
                tt.Consequence(
                    "us-100pct-tariff", "in_force", note="the tariff applies unless paused first"
                ),
            ),
            due=f"2025-11-01[{NY}]",
            at=RECENT_WEEKS_NY,
            source=SRC,
        ),
        tt.Deadline.create(
            id="leaders-meeting",
            title="Trump-Xi meeting on the sidelines of the APEC summit, South Korea",
            kind=tt.DeadlineKind.MEETING,
            parties=("us", "cn"),
            governs=("us-cn-talks",),
            due=LATER_THIS_WEEK,
            at=BY_REPORT,
            source=SRC,
            note="planned for later in the week of the report",
        ),
        tt.Deadline.create(
            id="framework-signing",
            title="Target for the presidents to sign the framework",
            kind=tt.DeadlineKind.SIGNING_TARGET,
            parties=("us", "cn"),
            governs=("us-cn-talks",),
            due=LATER_THIS_WEEK,
            at=BY_REPORT,
            source=SRC,
            evidence=tt.Evidence.CLAIMED,
            claimed_by="ustr",
        ),
    )
    negotiators = ("jamieson-greer", "scott-bessent", "he-lifeng", "li-chenggang")
    talks = tt.Negotiation.schedule(
        id="us-cn-talks",
        title="US-China trade talks",
        parties=("us", "cn"),
        participants=(*negotiators, "donald-trump", "xi-jinping"),
        rounds=(
            tt.Round(
                number=5,
                place="Kuala Lumpur, Malaysia",
                end=W(BY_REPORT),
                participants=negotiators,
                outcome="a framework agreed in principle, pending approval in Beijing and the "
                "presidents' signatures",
            ),
        ),
        measures=tuple(m.id for m in measures),
        issues=("Taiwan", "Hong Kong", "supply-chain security", "tech competition"),
        terms=(
            tt.Term(entity="us-100pct-tariff", to="paused", detail="pause the threatened tariff"),
            tt.Term(
                entity="cn-rare-earth-controls",
                detail="delay implementation by about a year",
                effective=W(f"2026-11~[{SH}]"),
            ),
            tt.Term(
                entity="cn-soybean-purchases",
                to="in_force",
                detail="renewed purchases of US soybeans",
            ),
            tt.Term(
                entity="truce-expiry",
                to="extended",
                detail="keep the truce alive while deeper talks go on",
                due=W(f"2025-11-11/..[{NY}]"),
            ),
            *(
                tt.Term(
                    entity=f"{side}-truce-suspended",
                    detail=f"keep the {who} measures suspended while deeper talks go on",
                    suspension=tt.Suspension(note="no new end date in the report"),
                )
                for side, who in (("us", "US"), ("cn", "Chinese"))
            ),
            tt.Term(
                entity="us-tariff-effective",
                to="cancelled",
                detail="the paused tariff no longer starts on 1 November",
            ),
            tt.Term(entity="framework-signing", to="met", detail="the framework is signed"),
        ),
        at=BY_REPORT,
        source=SRC,
    ).transition(N.IN_TALKS, at=BY_REPORT, source=SRC, note="five rounds of in-person talks")
    consensus = talks.transition(
        N.PRELIMINARY_CONSENSUS,
        at=BY_REPORT,
        source=SRC,
        note="an agreement in principle, by the report's reading",
    )
    claims = [
        ("cn", '"preliminary consensus", still to go through approval in Beijing'),
        (
            "jamieson-greer",
            "heading toward a framework for the presidents to sign; "
            '"a broad range of topics" covered',
        ),
    ]
    for party, note in claims:
        consensus = consensus.with_entry(
            tt.NegotiationEntry(
                from_=N.IN_TALKS,
                to=N.PRELIMINARY_CONSENSUS,
                at=W(BY_REPORT),
                source=SRC,
                evidence=tt.Evidence.CLAIMED,
                claimed_by=party,
                note=note,
            )
        )
    return tt.Scenario(
        title="US-China trade truce, October 2025",
        description=(
            "The fifth round of in-person US-China talks in Kuala Lumpur produced a framework, a "
            '"preliminary consensus" in the Chinese side\'s words, still to be approved in Beijing '
            "and to be signed by the two presidents at the APEC summit in South Korea. It would "
            "pause the threatened US 100% tariff, delay China's rare-earth export controls by "
            "about a year, bring back Chinese soybean purchases and keep alive the truce due to "
            "lapse on 10 November."
        ),
        sources=(source,),
        parties=parties,
        measures=measures,
        deadlines=deadlines,
        negotiations=(consensus,),
    )


@pytest.fixture(scope="module")
def seed() -> tt.Scenario:
    return tt.load_seed()


# ------------------------------------------------------------------------------------ loading
def test_the_seed_file_says_exactly_what_the_python_scenario_says(seed: tt.Scenario) -> None:
    expected = expected_seed()
    for group in ("sources", "parties", "measures", "deadlines", "negotiations"):
        assert getattr(seed, group) == getattr(expected, group), group
    assert seed == expected


def test_the_default_seed_is_listed_first_and_loads_by_name_and_by_path(seed: tt.Scenario) -> None:
    assert tt.list_seeds()[0] == DEFAULT_SEED
    assert tt.load_seed(DEFAULT_SEED) == seed
    assert tt.load_seed(SEED_FILE) == seed
    assert tt.load_seed(str(SEED_FILE)) == seed


def test_the_seed_is_read_from_the_one_seeds_folder() -> None:
    # In a checkout the loader reads seeds/ itself: there is no second copy to keep in step.
    assert Path(str(seed_path(DEFAULT_SEED))).read_bytes() == SEED_FILE.read_bytes()


def test_an_unknown_seed_name_lists_the_shipped_ones() -> None:
    with pytest.raises(tt.InvalidValueError, match="no file 'no-such-seed'") as info:
        tt.load_seed("no-such-seed")
    assert DEFAULT_SEED in info.value.allowed


def test_the_seed_round_trips_through_toml_and_json(seed: tt.Scenario) -> None:
    from tradetruce.wire import serialize

    assert serialize.from_toml(serialize.to_toml(seed), tt.Scenario) == seed
    assert serialize.from_json(serialize.to_json(seed), tt.Scenario) == seed


def test_the_seed_quotes_no_long_run_of_the_report() -> None:
    # The report lives in shared/source/, beside the repository (not part of the package).
    root = Path(__file__).resolve().parents[1]
    report = root.parent / "shared" / "source" / "2025-10-26-us-china-truce-article.txt"
    if not report.exists():
        pytest.skip(f"needs the source report at {report} (../shared/source/ beside the checkout)")
    words = re.findall(r"[a-z0-9']+", report.read_text(encoding="utf-8").lower())
    seed_words = " ".join(re.findall(r"[a-z0-9']+", SEED_FILE.read_text(encoding="utf-8").lower()))
    copied = [
        " ".join(words[i : i + 8])
        for i in range(len(words) - 7)
        if " ".join(words[i : i + 8]) in seed_words
    ]
    # The title is cited as a title; nothing else may run to eight words.
    title = "u s and china near trade truce eyeing leader level deal at apec summit"
    assert [c for c in copied if c not in title] == []


# ------------------------------------------------------------------------------------- facts
def test_every_official_has_a_body_and_a_state_above_them(seed: tt.Scenario) -> None:
    chains = {
        "jamieson-greer": ["ustr", "us"],
        "scott-bessent": ["us-treasury", "us"],
        "donald-trump": ["us-eop", "us"],
        "he-lifeng": ["cn-state-council", "cn"],
        "li-chenggang": ["cn-mofcom", "cn"],
        "xi-jinping": ["cn-presidency", "cn"],
    }
    for official, above in chains.items():
        lineage = seed.lineage(official)
        assert [p.id for p in lineage[1:]] == above, official
        kinds = [p.kind for p in lineage]
        assert kinds == [tt.PartyKind.OFFICIAL, tt.PartyKind.GOVERNMENT_BODY, tt.PartyKind.STATE]
    assert seed.party("us").jurisdiction == "US" and seed.party("cn").jurisdiction == "CN"
    assert seed.party("jamieson-greer").title == "U.S. Trade Representative"


def test_the_report_is_one_news_source_dated_in_kuala_lumpur(seed: tt.Scenario) -> None:
    (source,) = seed.sources
    assert source.kind is tt.SourceKind.NEWS_REPORT
    assert str(source.published) == "2025-10-26[Asia/Kuala_Lumpur]"
    assert source.published is not None and source.published.latest.isoformat() == (
        "2025-10-26T23:59:59.999999+08:00"
    )


def test_the_threatened_tariff_is_proposed_at_100_percent_from_november_1_new_york(
    seed: tt.Scenario,
) -> None:
    tariff = seed.measure("us-100pct-tariff")
    assert tariff.status is M.PROPOSED
    assert tariff.rate_value() == 100
    effective = tariff.terms.effective
    assert effective is not None and effective.zone == NY
    assert effective.earliest.isoformat() == "2025-11-01T00:00:00-04:00"


def test_the_tariff_threat_is_dated_only_as_recent_weeks(seed: tt.Scenario) -> None:
    tariff = seed.measure("us-100pct-tariff")
    published = seed.published
    before = tariff.reading_at(W(f"2025-09-20[{NY}]"), published=published)
    during = tariff.reading_at(W(f"2025-10-20[{NY}]"), published=published)
    after = tariff.reading_at(W(f"2025-10-26[{KL}]"), published=published)
    assert before.status is None and before.certain
    assert not during.certain and set(during.candidates) == {None, M.PROPOSED}
    assert after.status is M.PROPOSED


def test_statuses_at_the_report_and_as_known_before_it(seed: tt.Scenario) -> None:
    t = W(f"2025-10-26[{KL}]")
    expected = {
        "us-100pct-tariff": M.PROPOSED,
        "cn-rare-earth-controls": M.SCHEDULED,
        "cn-soybean-purchases": M.PROPOSED,
        "us-truce-suspended": M.PAUSED,
        "cn-truce-suspended": M.PAUSED,
        "truce-expiry": D.PENDING,
        "us-tariff-effective": D.PENDING,
        "leaders-meeting": D.PENDING,
        "framework-signing": D.PENDING,
        "us-cn-talks": N.PRELIMINARY_CONSENSUS,
    }
    for entity in seed.entities():
        assert entity.status_at(t, published=seed.published) == expected[entity.id], entity.id
        # Nothing was on record before the report was published.
        early = entity.reading_at(t, known_at=W(f"2025-10-25[{KL}]"), published=seed.published)
        assert early.status is None and early.entries == (), entity.id


def test_the_consensus_is_claimed_by_china_and_framed_by_greer_and_they_agree(
    seed: tt.Scenario,
) -> None:
    talks = seed.negotiation("us-cn-talks")
    slot = [e for e in talks.history if e.to is N.PRELIMINARY_CONSENSUS]
    assert {(e.evidence, e.claimed_by) for e in slot} == {
        (tt.Evidence.REPORTED, None),
        (tt.Evidence.CLAIMED, "cn"),
        (tt.Evidence.CLAIMED, "jamieson-greer"),
    }
    reading = talks.reading_at(W(f"2025-10-26[{KL}]"), published=seed.published)
    assert reading.status is N.PRELIMINARY_CONSENSUS and reading.disagreements == ()
    assert talks.issues == ("Taiwan", "Hong Kong", "supply-chain security", "tech competition")
    (round5,) = talks.rounds
    assert round5.number == 5 and round5.place == "Kuala Lumpur, Malaysia"


def test_soybeans_rest_on_bessents_claim(seed: tt.Scenario) -> None:
    (entry,) = seed.measure("cn-soybean-purchases").history
    assert (entry.evidence, entry.claimed_by) == (tt.Evidence.CLAIMED, "scott-bessent")


def test_deadline_instants_in_their_own_zones(seed: tt.Scenario) -> None:
    truce = seed.deadline("truce-expiry").due
    assert (truce.zone, truce.earliest.isoformat(), truce.latest.isoformat()) == (
        NY,
        "2025-11-10T00:00:00-05:00",  # after the end of daylight saving on 2 November
        "2025-11-10T23:59:59.999999-05:00",
    )
    tariff = seed.deadline("us-tariff-effective").due
    assert tariff.earliest.isoformat() == "2025-11-01T00:00:00-04:00"
    meeting = seed.deadline("leaders-meeting").due
    assert meeting.is_range and meeting.zone == SEOUL
    assert meeting.earliest.isoformat() == "2025-10-27T00:00:00+09:00"
    assert meeting.latest.isoformat() == "2025-11-02T23:59:59.999999+09:00"
    signing = seed.deadline("framework-signing").history[0]
    assert signing.claimed_by == "ustr" and signing.due == meeting


def test_the_framework_terms_stay_as_vague_as_the_report(seed: tt.Scenario) -> None:
    terms = {t.entity: t for t in seed.negotiation("us-cn-talks").terms}
    delay = terms["cn-rare-earth-controls"].effective
    assert delay is not None and delay.is_approximate and str(delay) == "2026-11~[Asia/Shanghai]"
    assert terms["cn-rare-earth-controls"].to is None
    extension = terms["truce-expiry"].due
    assert extension is not None and extension.latest.year == 9999  # no new end date given
    assert terms["us-100pct-tariff"].to == "paused"
    assert terms["us-tariff-effective"].to == "cancelled"
    assert seed.measure("cn-truce-suspended").terms == tt.Terms()  # no invented rates


# ----------------------------------------------------------------------------- broken copies
def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = SEED_FILE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_a_typod_key_is_refused_with_file_line_entity_and_path(tmp_path: Path) -> None:
    path = _broken(
        tmp_path, 'imposed_by = "cn"\nscope = "rare-earth', 'imposed_by = "cn"\nscpoe = "rare-earth'
    )
    with pytest.raises(tt.InvalidDataError) as info:
        tt.load_seed(path)
    error = info.value
    assert error.file == str(path)
    problem = next(p for p in error.problems if "scpoe" in p.path + p.message)
    assert problem.entity == "cn-rare-earth-controls"
    assert problem.path.startswith("$.measures[1]")
    assert problem.line == _line_of(path, "scpoe")
    assert str(path) in str(error)


def test_a_dangling_reference_names_its_path_and_what_is_allowed(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'parent = "cn-mofcom"', 'parent = "cn-mofcomm"')
    with pytest.raises(tt.InvalidDataError) as info:
        tt.load_seed(path)
    (problem,) = info.value.problems
    assert problem.path == "$.parties[12].parent"
    assert problem.entity == "li-chenggang"
    assert problem.line == _line_of(path, "cn-mofcomm")
    assert problem.allowed.startswith("the id of a part")  # a party id is what fits


def test_a_naive_time_is_refused_at_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'due = "2025-11-10[America/New_York]"', 'due = "2025-11-10T00:01:00"')
    with pytest.raises(tt.InvalidDataError) as info:
        tt.load_seed(path)
    (problem,) = info.value.problems
    assert problem.path == "$.deadlines[0].history[0].due"
    assert problem.entity == "truce-expiry"
    assert problem.line == _line_of(path, "2025-11-10T00:01:00")


def test_an_illegal_history_is_refused_naming_the_entity_and_the_move(tmp_path: Path) -> None:
    # A tariff cannot go from proposed to expired.
    path = _broken(
        tmp_path,
        'from = "proposed"\nto = "scheduled"',
        'from = "proposed"\nto = "expired"',
    )
    with pytest.raises(tt.InvalidDataError) as info:
        tt.load_seed(path)
    (problem,) = info.value.problems
    assert problem.entity == "cn-rare-earth-controls"
    assert problem.path.startswith("$.measures[1].history")
    assert "expired" in problem.message and "scheduled" in problem.message
    assert problem.line is not None


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'parent = "us"', 'parent = "usa"', count=3)
    with pytest.raises(tt.InvalidDataError) as info:
        tt.load_seed(path)
    problems = info.value.problems
    assert [p.entity for p in problems] == ["ustr", "us-treasury", "us-eop"]
    assert len({p.line for p in problems}) == 3


def test_a_toml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'id = "us-eop"', 'id = "us-eop')
    with pytest.raises(tt.InvalidDataError) as info:
        tt.load_seed(path)
    (problem,) = info.value.problems
    assert problem.line == _line_of(path, 'id = "us-eop')


def test_locate_finds_keys_in_nested_tables_and_skips_multiline_strings() -> None:
    text = SEED_FILE.read_text(encoding="utf-8")
    line = locate(text, "$.measures[0].history[0].terms.rate")
    assert line is not None and text.splitlines()[line - 1].startswith("rate = ")
    line = locate(text, "$.negotiations[0].terms[3].due")
    assert line is not None and "2025-11-11/.." in text.splitlines()[line - 1]
    line = locate(text, "$.negotiations[0].participants[2]")
    assert line is not None and text.splitlines()[line - 1].startswith("participants")
    assert locate(text, "$.description") == _line_of(SEED_FILE, "description = ")

"""A small hand-built scenario for the time-engine tests (not the seed: every fact is made up
for the test, so each assertion can be checked by reading this file).

Timeline, in words:
- 10 Oct (New York): the US threatens a 100% tariff on China, effective 1 November.
- since 4 Mar 2025: a 20% IEEPA tariff is in force; a 25% Section 301 tariff on chapter 85 too.
- a 24% tariff is paused, until the truce deadline of 10 Nov 00:01 New York time.
- 9 Oct (Shanghai): China proposes export controls. On 30 Oct (Seoul), both sides report a pause:
  the US side (claimed, published 1 Nov) suspends them until "about November 2026"; China's
  notice (official, published 5 Nov) gives no end.
- talks in Kuala Lumpur on 25-26 Oct reach a preliminary consensus, with three terms.
"""

from __future__ import annotations

from tradetruce import (
    Consequence,
    Deadline,
    DeadlineKind,
    Evidence,
    HSCode,
    Measure,
    MeasureKind,
    MeasureStatus,
    Negotiation,
    NegotiationStatus,
    Party,
    PartyKind,
    Rate,
    Round,
    Scenario,
    Source,
    SourceKind,
    Term,
    When,
)

NY = "America/New_York"
TRUCE_DUE = "2025-11-10T00:01:00-05:00[America/New_York]"


def sources() -> tuple[Source, ...]:
    return (
        Source(
            id="early",
            title="An early report",
            kind=SourceKind.NEWS_REPORT,
            published=When.parse("2025-10-10[America/New_York]"),
        ),
        Source(
            id="kl",
            title="A report from Kuala Lumpur",
            kind=SourceKind.NEWS_REPORT,
            published=When.parse("2025-10-26[Asia/Kuala_Lumpur]"),
        ),
        Source(
            id="wh",
            title="A US fact sheet",
            kind=SourceKind.OFFICIAL_STATEMENT,
            published=When.parse("2025-11-01[America/New_York]"),
        ),
        Source(
            id="mofcom",
            title="A Chinese notice",
            kind=SourceKind.LEGAL_TEXT,
            published=When.parse("2025-11-05[Asia/Shanghai]"),
        ),
    )


def parties() -> tuple[Party, ...]:
    return (
        Party(id="us", name="United States", kind=PartyKind.STATE, jurisdiction="US"),
        Party(id="cn", name="China", kind=PartyKind.STATE, jurisdiction="CN"),
        Party(id="ustr", name="USTR", kind=PartyKind.GOVERNMENT_BODY, parent="us"),
        Party(id="kr", name="Korea", kind=PartyKind.STATE, jurisdiction="KR"),
    )


def measures() -> tuple[Measure, ...]:
    threat = Measure.propose(
        id="us-100pct",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        rate=Rate.percent("100"),
        effective="2025-11-01[America/New_York]",
        at="2025-10-10[America/New_York]",
        source="early",
    )
    fentanyl = Measure.propose(
        id="us-fentanyl",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        rate=Rate.percent("20"),
        legal_basis="IEEPA",
        at="2025-02-01[America/New_York]",
        source="early",
        recorded="2025-02-01[America/New_York]",
    ).transition(
        MeasureStatus.IN_FORCE,
        at="2025-03-04T00:01:00-05:00[America/New_York]",
        source="early",
        recorded="2025-03-04[America/New_York]",
    )
    s301 = Measure.propose(
        id="us-301",
        kind=MeasureKind.TARIFF,
        imposed_by="ustr",
        targets=("cn",),
        products=(HSCode("85"),),
        rate=Rate.percent("25"),
        legal_basis="Section 301",
        at="2019-05[America/New_York]",
        source="early",
        recorded="2019-05[America/New_York]",
    ).transition(
        MeasureStatus.IN_FORCE,
        at="2019-06[America/New_York]",
        source="early",
        recorded="2019-06[America/New_York]",
    )
    reciprocal = Measure.propose(
        id="us-24pct",
        kind=MeasureKind.TARIFF,
        imposed_by="us",
        targets=("cn",),
        rate=Rate.percent("24"),
        legal_basis="IEEPA",
        at="2025-04-02[America/New_York]",
        source="early",
        recorded="2025-04-02[America/New_York]",
    ).transition(
        MeasureStatus.PAUSED,
        at="2025-05-14[America/New_York]",
        source="early",
        recorded="2025-05-14[America/New_York]",
    )
    controls = Measure.propose(
        id="cn-controls",
        kind=MeasureKind.EXPORT_CONTROL,
        imposed_by="cn",
        targets=("us",),
        at="2025-10-09[Asia/Shanghai]",
        source="early",
    )
    pause_at = "2025-10-30[Asia/Seoul]"
    controls = controls.suspend(
        at=pause_at,
        until="2026-11~[Asia/Shanghai]",
        source="wh",
        evidence=Evidence.CLAIMED,
        claimed_by="us",
    )
    controls = controls.with_entry(
        controls.history[-1].__class__(
            from_=MeasureStatus.PROPOSED,
            to=MeasureStatus.PAUSED,
            at=When.parse(pause_at),
            source="mofcom",
            evidence=Evidence.OFFICIAL,
        )
    )
    return (threat, fentanyl, s301, reciprocal, controls)


def deadlines() -> tuple[Deadline, ...]:
    truce = Deadline.create(
        id="truce-expiry",
        title="Truce expires",
        kind=DeadlineKind.EXPIRY,
        due=TRUCE_DUE,
        at="2025-08-11[America/New_York]",
        source="early",
        recorded="2025-08-11[America/New_York]",
        parties=("us", "cn"),
        governs=("us-24pct",),
        consequences=(Consequence("us-24pct", "in_force", note="the 24% tariff returns"),),
    )
    review = Deadline.create(
        id="review",
        title="Review of the export controls",
        kind=DeadlineKind.REVIEW,
        due="2025-12~[UTC]",
        at="2025-10-09[Asia/Shanghai]",
        source="early",
    )
    return (truce, review)


def negotiations() -> tuple[Negotiation, ...]:
    talks = Negotiation.schedule(
        id="kl-talks",
        title="Kuala Lumpur talks",
        parties=("us", "cn"),
        at="2025-10-20[Asia/Kuala_Lumpur]",
        source="early",
        recorded="2025-10-20[Asia/Kuala_Lumpur]",
        rounds=(
            Round(
                number=1,
                place="Kuala Lumpur",
                start=When.parse("2025-10-25[Asia/Kuala_Lumpur]"),
                end=When.parse("2025-10-26[Asia/Kuala_Lumpur]"),
            ),
        ),
        terms=(
            Term(entity="us-100pct", to="withdrawn", detail="drop the threatened 100% tariff"),
            Term(
                entity="truce-expiry",
                due=When.parse("2026-11-10T00:01:00-05:00[America/New_York]"),
                detail="extend the truce by a year",
            ),
            Term(entity="us-fentanyl", rate=Rate.percent("10"), detail="cut to 10%"),
        ),
    )
    talks = talks.transition(
        NegotiationStatus.IN_TALKS, at="2025-10-25[Asia/Kuala_Lumpur]", source="kl"
    ).transition(
        NegotiationStatus.PRELIMINARY_CONSENSUS, at="2025-10-26[Asia/Kuala_Lumpur]", source="kl"
    )
    return (talks,)


def truce() -> Scenario:
    return Scenario(
        title="A made-up truce",
        sources=sources(),
        parties=parties(),
        measures=measures(),
        deadlines=deadlines(),
        negotiations=negotiations(),
    )

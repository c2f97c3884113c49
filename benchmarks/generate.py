"""A large, realistic, deterministic scenario for benchmarks.

``make_scenario()`` builds a valid :class:`tradetruce.Scenario` from a seed: states, bodies,
officials and companies in a parent tree; sources with publication times; measures whose histories
follow legal lifecycle moves (1-5 entries, with amendments and competing claims); HS codes with
leading zeros; Decimal rates; exact instants and calendar values in several IANA zones; deadlines
that govern measures; negotiations with rounds and deal terms. Every cross-reference is valid.

Run ``python benchmarks/generate.py out.json [--size N]`` to write the JSON document.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import random
import sys
from pathlib import Path

import pendulum

import tradetruce as tt

ZONES = (
    "America/New_York",
    "Asia/Shanghai",
    "Asia/Seoul",
    "Asia/Kuala_Lumpur",
    "Europe/Brussels",
    "Asia/Tokyo",
    "UTC",
)
STATES = ("US", "CN", "KR", "JP", "MY", "DE", "FR", "BR", "IN", "MX", "CA", "AU", "VN", "GB")
HS_CHAPTERS = ("01", "02", "03", "07", "08", "10", "12", "27", "28", "72", "76", "84", "85", "87")
EPOCH = _dt.date(2018, 1, 1)


class _Times:
    """Draws time values; the same text gives the same (cached) When, as in real documents."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def zone(self) -> str:
        return self.rng.choice(ZONES)

    def at(self, day: int, zone: str | None = None) -> tt.When:
        """A time value on day ``day`` after 2018-01-01: mostly calendar, sometimes exact."""
        z = zone or self.zone()
        d = EPOCH + _dt.timedelta(days=day)
        roll = self.rng.random()
        if roll < 0.3:
            # Midday: far from any DST change, so the wall time always exists once.
            hour, minute = self.rng.randint(8, 20), self.rng.choice((0, 1, 15, 30))
            return tt.When.exact(pendulum.datetime(d.year, d.month, d.day, hour, minute, tz=z))
        if roll < 0.8:
            return tt.When.parse(f"{d.isoformat()}[{z}]")
        if roll < 0.9:
            return tt.When.parse(f"{d.year:04d}-{d.month:02d}{self.rng.choice('~?%')}[{z}]")
        end = d + _dt.timedelta(days=self.rng.randint(1, 6))
        return tt.When.parse(f"{d.isoformat()}/{end.isoformat()}[{z}]")

    def day(self, day: int, zone: str | None = None) -> tt.When:
        d = EPOCH + _dt.timedelta(days=day)
        return tt.When.parse(f"{d.isoformat()}[{zone or self.zone()}]")


def _parties(rng: random.Random, n: int) -> list[tt.Party]:
    parties: list[tt.Party] = []
    for code in STATES[: max(2, min(len(STATES), n))]:
        parties.append(
            tt.Party(
                id=code.lower(),
                name=f"State {code}",
                kind=tt.PartyKind.STATE,
                jurisdiction=code,
                aliases=(code,),
            )
        )
    states = [p.id for p in parties]
    bodies: list[str] = []
    i = 0
    while len(parties) < n:
        i += 1
        roll = rng.random()
        if roll < 0.3 or not bodies:
            parent = rng.choice(states)
            pid = f"{parent}-body-{i}"
            kind = tt.PartyKind.GOVERNMENT_BODY
            bodies.append(pid)
            parties.append(tt.Party(id=pid, name=f"Ministry {i}", kind=kind, parent=parent))
        elif roll < 0.6:
            parent = rng.choice(bodies)
            parties.append(
                tt.Party(
                    id=f"official-{i}",
                    name=f"Official {i}",
                    kind=tt.PartyKind.OFFICIAL,
                    parent=parent,
                    title=rng.choice(("Minister", "Trade Representative", "Vice Premier")),
                )
            )
        else:
            parties.append(
                tt.Party(
                    id=f"company-{i}",
                    name=f"Company {i} Ltd.",
                    kind=tt.PartyKind.COMPANY,
                    jurisdiction=rng.choice(STATES),
                )
            )
    return parties


def _sources(rng: random.Random, times: _Times, n: int) -> list[tt.Source]:
    kinds = list(tt.SourceKind)
    kinds.remove(tt.SourceKind.PROJECTION)
    out = []
    for i in range(n):
        published = times.at(rng.randint(0, 3400))
        out.append(
            tt.Source(
                id=f"src-{i}",
                title=f"Report {i}",
                kind=rng.choice(kinds),
                publisher=rng.choice((None, "Wire service", "Ministry of Commerce", "USTR")),
                published=published,
                url=f"https://example.org/{i}" if rng.random() < 0.5 else None,
            )
        )
    return out


def _rate(rng: random.Random) -> tt.Rate:
    if rng.random() < 0.9:
        return tt.Rate.percent(rng.choice(("10", "15", "20", "24", "25", "34", "50", "100", "7.5")))
    return tt.Rate.specific(
        rng.choice(("50", "80", "120.5")), currency=rng.choice(("USD", "CNY")), per="net ton"
    )


def _terms(rng: random.Random, times: _Times, day: int) -> tt.Terms:
    effective = times.day(day + rng.randint(0, 30)) if rng.random() < 0.7 else None
    expires = None
    if effective is not None and rng.random() < 0.3:
        expires = times.day(day + rng.randint(400, 800))
    quantity = None
    if rng.random() < 0.1:
        quantity = tt.Quantity.of(
            rng.choice(("12000000", "25000000")), "tonne", per=tt.Period.YEAR, commodity="soybeans"
        )
    return tt.Terms(
        rate=_rate(rng) if rng.random() < 0.85 else None,
        quantity=quantity,
        legal_basis=rng.choice((None, "IEEPA", "Section 301", "Section 232", "Export Control Law")),
        effective=effective,
        expires=expires,
    )


def _hs(rng: random.Random) -> tt.HSCode:
    code = rng.choice(HS_CHAPTERS) + "".join(
        rng.choice("0123456789") for _ in range(rng.choice((0, 2, 4, 6)))
    )
    return tt.HSCode(code, rng.choice((None, "HS2022", "HS2017")))


#: The kinds on the measure lifecycle, in their order before trade remedies were added (so that
#: a seed draws the same scenario as before); trade remedies follow a table of their own.
_KINDS = [k for k in tt.MeasureKind if k.lifecycle is tt.MEASURE]


def _measure(
    rng: random.Random,
    times: _Times,
    i: int,
    states: list[str],
    sources: list[tt.Source],
    earlier: list[str],
) -> tt.Measure:
    imposer = rng.choice(states)
    targets = tuple(sorted(rng.sample([s for s in states if s != imposer], rng.randint(1, 2))))
    zone = rng.choice(ZONES)
    day = rng.randint(0, 3000)
    links: tuple[tt.Link, ...] = ()
    if earlier and rng.random() < 0.1:
        links = (tt.Link(rng.choice(list(tt.LinkKind)), rng.choice(earlier)),)
    m = tt.Measure.propose(
        id=f"m-{i}",
        kind=rng.choice(_KINDS),
        imposed_by=imposer,
        targets=targets,
        title=f"Measure {i}",
        scope="goods" if rng.random() < 0.3 else "",
        products=tuple(_hs(rng) for _ in range(rng.randint(0, 3))),
        links=links,
        at=times.at(day, zone),
        source=rng.choice(sources).id,
        **_terms_kwargs(_terms(rng, times, day)),
    )
    for _ in range(rng.randint(0, 4)):
        status = m.status
        if tt.MEASURE.is_terminal(status):
            break
        day += rng.randint(1, 120)
        at = times.at(day, zone)
        src = rng.choice(sources).id
        evidence = rng.choice(list(tt.Evidence)[:3])
        claimed = rng.choice(states) if evidence is tt.Evidence.CLAIMED else None
        if rng.random() < 0.2:
            m = m.amend(at=at, source=src, rate=_rate(rng), evidence=evidence, claimed_by=claimed)
            continue
        to = rng.choice(sorted(tt.MEASURE.allowed_transitions(status)))
        m = m.transition(to, at=at, source=src, evidence=evidence, claimed_by=claimed)
        if rng.random() < 0.05 and len(m.history) < 5:
            # A competing claim about the same event, from another source.
            rival = tt.MeasureEntry(
                from_=status,
                to=rng.choice(sorted(tt.MEASURE.allowed_transitions(status))),
                at=at,
                source=rng.choice(sources).id,
                note="conflicting report",
            )
            m = m.with_entry(rival)
            break
    return m


def _terms_kwargs(t: tt.Terms) -> dict[str, object]:
    return {
        "rate": t.rate,
        "quantity": t.quantity,
        "legal_basis": t.legal_basis,
        "effective": t.effective,
        "expires": t.expires,
    }


def _deadline(
    rng: random.Random,
    times: _Times,
    i: int,
    states: list[str],
    sources: list[tt.Source],
    measures: list[tt.Measure],
) -> tt.Deadline:
    day = rng.randint(0, 3000)
    governed = rng.sample(measures, min(len(measures), rng.randint(1, 3)))
    consequences = tuple(
        tt.Consequence(m.id, rng.choice(("in_force", "expired", "paused")))
        for m in governed[: rng.randint(0, len(governed))]
    )
    d = tt.Deadline.create(
        id=f"d-{i}",
        title=f"Deadline {i}",
        kind=rng.choice(list(tt.DeadlineKind)),
        due=times.at(day + rng.randint(30, 400)),
        at=times.at(day),
        source=rng.choice(sources).id,
        parties=tuple(rng.sample(states, 2)),
        governs=tuple(m.id for m in governed),
        consequences=consequences,
    )
    for _ in range(rng.randint(0, 2)):
        if tt.DEADLINE.is_terminal(d.status):
            break
        day += rng.randint(1, 60)
        to = rng.choice(sorted(tt.DEADLINE.allowed_transitions(d.status)))
        due = times.at(day + rng.randint(60, 400)) if to is tt.DeadlineStatus.EXTENDED else None
        d = d.transition(to, at=times.at(day), source=rng.choice(sources).id, due=due)
    return d


def _negotiation(
    rng: random.Random,
    times: _Times,
    i: int,
    states: list[str],
    officials: list[str],
    sources: list[tt.Source],
    measures: list[tt.Measure],
    deadlines: list[tt.Deadline],
) -> tt.Negotiation:
    day = rng.randint(0, 3000)
    zone = rng.choice(ZONES)
    rounds = tuple(
        tt.Round(
            number=k + 1,
            place=rng.choice(("Geneva", "London", "Kuala Lumpur", None)),
            start=times.day(day + 10 * k, zone),
            end=times.day(day + 10 * k + 2, zone),
            participants=tuple(rng.sample(officials, min(2, len(officials)))),
            outcome="framework" if k else "",
        )
        for k in range(rng.randint(0, 3))
    )
    on_table = rng.sample(measures, min(len(measures), 2))
    terms: list[tt.Term] = [
        tt.Term(entity=m.id, to="paused", detail="pause", expires=times.day(day + 365))
        for m in on_table
    ]
    if deadlines:
        terms.append(
            tt.Term(entity=rng.choice(deadlines).id, to="extended", due=times.day(day + 400))
        )
    n = tt.Negotiation.schedule(
        id=f"n-{i}",
        title=f"Talks {i}",
        parties=tuple(rng.sample(states, 2)),
        participants=tuple(rng.sample(officials, min(2, len(officials)))),
        rounds=rounds,
        measures=tuple(m.id for m in on_table),
        issues=("tariffs", "export controls")[: rng.randint(1, 2)],
        terms=tuple(terms),
        at=times.at(day, zone),
        source=rng.choice(sources).id,
    )
    for _ in range(rng.randint(0, 3)):
        if tt.NEGOTIATION.is_terminal(n.status):
            break
        day += rng.randint(1, 45)
        to = rng.choice(sorted(tt.NEGOTIATION.allowed_transitions(n.status)))
        n = n.transition(to, at=times.at(day, zone), source=rng.choice(sources).id)
    return n


def make_scenario(n_measures: int = 100_000, n_parties: int = 1_000, seed: int = 0) -> tt.Scenario:
    """A valid scenario of ``n_measures`` measures and ``n_parties`` parties, the same for a seed.

    Deadlines number ``n_measures // 50`` and negotiations ``n_measures // 500`` (at least one
    each); sources ``max(20, n_measures // 20)``.
    """
    rng = random.Random(seed)
    times = _Times(rng)
    parties = _parties(rng, n_parties)
    states = [p.id for p in parties if p.kind is tt.PartyKind.STATE]
    officials = [p.id for p in parties if p.kind is tt.PartyKind.OFFICIAL] or states
    sources = _sources(rng, times, max(20, n_measures // 20))
    measures: list[tt.Measure] = []
    ids: list[str] = []
    for i in range(n_measures):
        m = _measure(rng, times, i, states, sources, ids)
        measures.append(m)
        ids.append(m.id)
    deadlines = [
        _deadline(rng, times, i, states, sources, measures) for i in range(max(1, n_measures // 50))
    ]
    negotiations = [
        _negotiation(rng, times, i, states, officials, sources, measures, deadlines)
        for i in range(max(1, n_measures // 500))
    ]
    return tt.Scenario(
        title=f"Generated scenario ({n_measures} measures, seed {seed})",
        description="A synthetic scenario for benchmarks.",
        sources=tuple(sources),
        parties=tuple(parties),
        measures=tuple(measures),
        deadlines=tuple(deadlines),
        negotiations=tuple(negotiations),
    )


def main(argv: list[str] | None = None) -> int:
    """Write the generated scenario as a JSON document."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("output", type=Path, help="where to write the JSON document")
    parser.add_argument("--size", type=int, default=100_000, help="number of measures")
    parser.add_argument("--parties", type=int, default=1_000, help="number of parties")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    scenario = make_scenario(args.size, args.parties, args.seed)
    args.output.write_text(tt.to_json(scenario), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

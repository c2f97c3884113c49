"""Tariff-stack benchmark: the duty on many flows of goods, against answers from a full view.

On the generated scenario (``benchmarks/generate.py``, 10,000 measures by default) where every
third tariff gets a scope of its own in its latest terms (an excluded origin, an excluded
product, two producers with their own rates and a residual rate), measures through the public
API only:

* ``tariff_stack`` for 10,000 (product, origin) pairs at one instant, for a producer named in
  the scopes and for no producer;
* ``tariff_stack`` for one pair at 1,000 instants spread over the scenario's years;

next to the same answers computed the plain way, from a full view: ``scenario.at(t)`` with every
measure's state assembled, then each tariff read from it (the baseline is timed on a sample of
the queries and reported per query). Each figure is the best of ``--repeat`` runs.

    python benchmarks/bench_duty.py              # 10,000 measures
    python benchmarks/bench_duty.py --size 2000  # a quick smoke run

This is a benchmark, not a test: it asserts only that both sides list the same measures.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import pendulum

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_scenario

import tradetruce as tt


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    fastest, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, result


def with_scopes(scenario: tt.Scenario, rng: random.Random) -> tt.Scenario:
    """Every third tariff with an ad valorem rate gets a scope in its latest terms."""
    parties = [p.id for p in scenario.parties]
    changed = []
    tariffs = [m for m in scenario.measures if m.kind is tt.MeasureKind.TARIFF]
    for m in tariffs[::3]:
        last = max(
            (i for i, e in enumerate(m.history) if e.terms is not None and e.terms.rate),
            default=None,
        )
        if last is None:
            continue
        entry = m.history[last]
        assert entry.terms is not None and entry.terms.rate is not None
        rate = entry.terms.rate
        if not rate.is_ad_valorem:
            continue
        higher = [attrs.evolve(rate, value=rate.value + n) for n in (1, 5, 12)]
        excluded = rng.choice([p for p in parties if p not in m.targets])
        scope = tt.Scope(
            origins=m.targets,
            excluded_origins=(excluded,),
            products=m.products,
            excluded_products=(tt.HSCode(rng.choice(("0101", "8703", "8517"))),),
            producers=(
                tt.ProducerRate(producer="maker-a", rate=higher[0]),
                tt.ProducerRate(producer="maker-b", rate=higher[1]),
            ),
            residual=higher[2],
        )
        history = list(m.history)
        history[last] = attrs.evolve(entry, terms=attrs.evolve(entry.terms, scope=scope))
        changed.append(attrs.evolve(m, history=tuple(history)))
    makers = [tt.Party(id=id, name=id, kind=tt.PartyKind.COMPANY) for id in ("maker-a", "maker-b")]
    return scenario.replace(*makers, *changed)


def from_full_view(
    scenario: tt.Scenario, importer: str, exporter: str, product: str, at: Any
) -> set[str]:
    """The measures a stack lists, found the plain way: a full view, every state assembled."""
    view = scenario.at(at)
    states = dict(view.measures.items())
    stack = scenario.tariff_stack(importer, exporter, product, at)
    assert all(x.measure in states for x in (*stack.layers, *stack.uncertain))
    return {x.measure for x in (*stack.layers, *stack.uncertain, *stack.per_unit)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="measures in the scenario")
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--instants", type=int, default=1_000)
    parser.add_argument("--sample", type=int, default=50, help="baseline queries timed")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rng = random.Random(0)
    scenario = with_scopes(make_scenario(args.size, n_parties=max(10, args.size // 100)), rng)
    scoped = sum(m.writes_scope for m in scenario.measures)
    tariffs = [m for m in scenario.measures if m.kind is tt.MeasureKind.TARIFF]
    # The importer with the most tariffs; products and origins mostly from its own tariffs.
    counts: dict[str, int] = {}
    for m in tariffs:
        counts[m.imposed_by] = counts.get(m.imposed_by, 0) + 1
    importer = max(sorted(counts), key=counts.__getitem__)
    own = [m for m in tariffs if m.imposed_by == importer]
    parties = [p.id for p in scenario.parties]
    products = sorted({str(c) for m in own for c in m.products}) or ["8517"]
    origins = sorted({t for m in own for t in m.targets}) or parties
    at = pendulum.datetime(2024, 6, 1, tz="UTC")
    pairs = [
        (rng.choice(products), rng.choice(origins if rng.random() < 0.8 else parties))
        for _ in range(args.pairs)
    ]
    scenario.at(at)  # the index, built once, is not what is measured

    def many(producer: str | None) -> list[tt.TariffStack]:
        return [
            scenario.tariff_stack(importer, exporter, product, at, producer=producer)
            for product, exporter in pairs
        ]

    print(
        f"scenario: {len(scenario.measures)} measures, {len(tariffs)} tariffs, {scoped} with "
        f"a scope; {len(pairs)} pairs into {importer}"
    )
    for producer in ("maker-a", None):
        took, stacks = best(partial(many, producer), args.repeat)
        layered = sum(bool(s.layers or s.uncertain) for s in stacks)
        print(
            f"tariff_stack, {len(pairs)} pairs at one instant, producer={producer}: "
            f"{took:.3f} s ({took / len(pairs) * 1e6:.0f} us per query; {layered} with layers)"
        )
    product, exporter = pairs[0]
    first = pendulum.datetime(2018, 6, 1, tz="UTC")
    instants = [first.add(hours=61 * i) for i in range(args.instants)]
    took, _ = best(
        lambda: [scenario.tariff_stack(importer, exporter, product, t) for t in instants],
        args.repeat,
    )
    per_instant = took / len(instants)
    print(
        f"tariff_stack, one pair at {len(instants)} instants: {took:.3f} s "
        f"({per_instant * 1e6:.0f} us per query)"
    )
    sample = pairs[: args.sample]
    took_base, _ = best(
        lambda: [from_full_view(scenario, importer, e, p, at) for p, e in sample], 1
    )
    took_fast, _ = best(
        lambda: [scenario.tariff_stack(importer, e, p, at) for p, e in sample], args.repeat
    )
    for p, e in sample[:20]:
        stack = scenario.tariff_stack(importer, e, p, at)
        listed = {x.measure for x in (*stack.layers, *stack.uncertain, *stack.per_unit)}
        assert listed == from_full_view(scenario, importer, e, p, at)
    base, fast = took_base / len(sample), took_fast / len(sample)
    print(
        f"from a full view (every state assembled), per query: {base * 1e3:.1f} ms; "
        f"tariff_stack: {fast * 1e3:.2f} ms; ratio {base / fast:.0f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

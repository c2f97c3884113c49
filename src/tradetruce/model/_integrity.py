"""The checks a Scenario passes when it is built: unique ids, and references that resolve.

Ids are unique across sources, parties, measures, deadlines and negotiations; every reference (a
measure's imposing party, a history entry's source, a deadline's consequence, a deal's term)
names something that exists, of the right kind, and asks for a status its lifecycle has. Every
problem is reported at once, each with its JSON path (:class:`~tradetruce.Problem`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from tradetruce.errors import Problem, did_you_mean
from tradetruce.model.deadline import Deadline
from tradetruce.model.entries import Entry
from tradetruce.model.lifecycle import Lifecycle
from tradetruce.model.measure import Measure
from tradetruce.model.negotiation import Negotiation
from tradetruce.model.party import PartyKind

if TYPE_CHECKING:
    from tradetruce.model.scenario import Entity, Scenario

__all__ = ["lifecycle_of", "scenario_problems"]


def lifecycle_of(entity: object) -> Lifecycle[Any] | None:
    """The lifecycle of a measure, deadline or negotiation; ``None`` for anything else."""
    if isinstance(entity, (Measure, Deadline, Negotiation)):
        return entity.lifecycle
    return None


_SINGULAR = {
    "sources": "source",
    "parties": "party",
    "measures": "measure",
    "deadlines": "deadline",
    "negotiations": "negotiation",
}


def scenario_problems(s: Scenario) -> Iterator[Problem]:
    """Every problem with a scenario's ids and references, each with its JSON path."""
    seen: dict[str, tuple[str, int]] = {}  # id -> where it first appears
    kind: dict[str, str] = {}  # id -> the group of its last appearance
    for name, group in s._groups():
        for i, item in enumerate(group):
            first = seen.get(item.id)
            if first is not None:
                yield Problem(
                    f"$.{name}[{i}].id",
                    f"duplicate id {item.id!r} (also at $.{first[0]}[{first[1]}])",
                    "ids unique across sources, parties, measures, deadlines and negotiations",
                    item.id,
                )
            else:
                seen[item.id] = (name, i)
            kind[item.id] = name
    ids = set(seen)

    def ref(path: str, owner: str, target: str | None, want: str, what: str) -> Iterator[Problem]:
        if target is None:
            return
        wanted = " or ".join(_SINGULAR[w] for w in want.split("|"))
        if target not in ids:
            kinds = want.split("|")
            hint = did_you_mean(target, [x for x in ids if kind[x] in kinds])
            yield Problem(
                path, f"{what} {target!r} does not exist{hint}", f"the id of a {wanted}", owner
            )
        elif kind[target] not in want.split("|"):
            yield Problem(
                path,
                f"{what} {target!r} is a {_SINGULAR[kind[target]]}, not a {wanted}",
                f"the id of a {wanted}",
                owner,
            )

    for i, p in enumerate(s.parties):
        yield from ref(f"$.parties[{i}].parent", p.id, p.parent, "parties", "parent")
    groups = {p.id for p in s.parties if p.kind is PartyKind.GROUP}
    for i, p in enumerate(s.parties):
        for j, member in enumerate(p.members):
            yield from ref(f"$.parties[{i}].members[{j}]", p.id, member, "parties", "party")
        if p.parent in groups:
            yield Problem(
                f"$.parties[{i}].parent",
                f"parent {p.parent!r} is a group: a group lists members, it is not a parent",
                "the id of a party that is not a group (list the party in the group instead)",
                p.id,
            )
    yield from _group_cycles(s, ids)
    for i, p in enumerate(s.parties):
        chain, cur = {p.id}, p.parent
        while cur is not None and cur in ids and kind[cur] == "parties":
            if cur in chain:
                yield Problem(f"$.parties[{i}].parent", "parents form a cycle", "a tree", p.id)
                break
            chain.add(cur)
            cur = s.party(cur).parent

    measures_and_deadlines: tuple[tuple[str, tuple[Measure | Deadline, ...]], ...] = (
        ("measures", s.measures),
        ("deadlines", s.deadlines),
    )
    # Ids that any reference of that kind may name without a problem: the common case is then
    # a set lookup, and only a reference that fails it goes through the full check (which
    # writes the report).
    party_ids = {x for x in ids if kind[x] == "parties"}
    measure_ids = {x for x in ids if kind[x] == "measures"}
    for name, group in measures_and_deadlines:
        for i, ent in enumerate(group):
            base = f"$.{name}[{i}]"
            if isinstance(ent, Measure):
                yield from _scope_refs(ent, base, party_ids, ref)
            if (
                isinstance(ent, Measure)
                and ent.imposed_by in party_ids
                and ent.imposed_by not in groups
                and party_ids.issuperset(ent.targets)
                and all(link.measure in measure_ids for link in ent.links)
            ):
                continue
            if isinstance(ent, Measure):
                yield from ref(f"{base}.imposed_by", ent.id, ent.imposed_by, "parties", "party")
                if ent.imposed_by in groups:
                    yield Problem(
                        f"{base}.imposed_by",
                        f"{ent.imposed_by!r} is a group: a group is targeted, it imposes nothing",
                        "the id of a party that is not a group",
                        ent.id,
                    )
                for j, t in enumerate(ent.targets):
                    yield from ref(f"{base}.targets[{j}]", ent.id, t, "parties", "party")
                for j, link in enumerate(ent.links):
                    yield from ref(
                        f"{base}.links[{j}].measure", ent.id, link.measure, "measures", "measure"
                    )
            else:
                for j, t in enumerate(ent.parties):
                    yield from ref(f"{base}.parties[{j}]", ent.id, t, "parties", "party")
                for j, t in enumerate(ent.governs):
                    yield from ref(
                        f"{base}.governs[{j}]",
                        ent.id,
                        t,
                        "measures|deadlines|negotiations",
                        "entity",
                    )
                for j, c in enumerate(ent.consequences):
                    yield from _status_ref(
                        s, f"{base}.consequences[{j}]", ent.id, c.entity, c.to, ids
                    )

    for i, m in enumerate(s.measures):
        if m.commitment is None:
            continue
        for j, d in enumerate(m.commitment.deliveries):
            base = f"$.measures[{i}].commitment.deliveries[{j}]"
            yield from ref(f"{base}.source", m.id, d.source, "sources", "source")
            yield from ref(f"{base}.claimed_by", m.id, d.claimed_by, "parties", "party")
            yield from ref(f"{base}.disputed_by", m.id, d.disputed_by, "parties", "party")
    yield from _base_rate_problems(s, ref)
    yield from _legal_act_problems(s, ref)

    for i, n in enumerate(s.negotiations):
        base = f"$.negotiations[{i}]"
        for field in ("parties", "participants"):
            for j, t in enumerate(getattr(n, field)):
                yield from ref(f"{base}.{field}[{j}]", n.id, t, "parties", "party")
        for j, r in enumerate(n.rounds):
            for k, t in enumerate(r.participants):
                yield from ref(f"{base}.rounds[{j}].participants[{k}]", n.id, t, "parties", "party")
        for j, t in enumerate(n.measures):
            yield from ref(f"{base}.measures[{j}]", n.id, t, "measures", "measure")
        for j, term in enumerate(n.terms):
            yield from _status_ref(s, f"{base}.terms[{j}]", n.id, term.entity, term.to, ids)
            if term.entity in ids and kind[term.entity] != "measures" and term.changes_terms:
                yield Problem(
                    f"{base}.terms[{j}]",
                    f"term sets measure terms on {term.entity!r}, which is not a measure",
                    "effective/expires/rate/quantity only for measures",
                    n.id,
                )
            if term.suspends and term.entity in ids and kind[term.entity] != "measures":
                yield Problem(
                    f"{base}.terms[{j}].suspension",
                    f"term suspends {term.entity!r}, which is not a measure",
                    "suspension only for measures",
                    n.id,
                )
            if term.due is not None and term.entity in ids and kind[term.entity] != "deadlines":
                yield Problem(
                    f"{base}.terms[{j}].due",
                    f"term sets a due time on {term.entity!r}, which is not a deadline",
                    "due only for deadlines",
                    n.id,
                )

    tracked: tuple[tuple[str, tuple[Entity, ...]], ...] = (
        ("measures", s.measures),
        ("deadlines", s.deadlines),
        ("negotiations", s.negotiations),
    )
    source_ids = {x for x in ids if kind[x] == "sources"}
    published = {x for x in source_ids if s.source(x).published is not None}
    for name, entities in tracked:
        for i, entity in enumerate(entities):
            history: tuple[Entry[Any], ...] = entity.history
            for j, entry in enumerate(history):
                if (
                    entry.source in published
                    or (entry.recorded is not None and entry.source in source_ids)
                ) and (entry.claimed_by is None or entry.claimed_by in party_ids):
                    continue  # nothing _entry_problems would report
                yield from _entry_problems(
                    s, f"$.{name}[{i}].history[{j}]", entity.id, entry, ids, kind
                )
            for j, fix in enumerate(entity.corrections):
                path = f"$.{name}[{i}].corrections[{j}]"
                yield from ref(f"{path}.source", entity.id, fix.source, "sources", "source")
                if fix.recorded is None and fix.source not in published:
                    # As for entries: a correction must say when it became known, or a
                    # back-test would apply it before anyone knew of it.
                    yield Problem(
                        f"{path}.recorded",
                        f"no recorded time, and source {fix.source!r} has no publication time "
                        "to default to",
                        "a recorded time, or a published time on the source",
                        entity.id,
                    )
            for j, entry in enumerate(history):
                rel = getattr(entry, "due_after", None)
                if rel is not None:
                    path = f"$.{name}[{i}].history[{j}].due_after"
                    yield from _status_ref(s, path, entity.id, rel.entity, rel.to, ids)


def _group_cycles(s: Scenario, ids: set[str]) -> Iterator[Problem]:
    """A group that contains itself through groups within it."""
    members = {p.id: [m for m in p.members if m in ids] for p in s.parties if p.members}
    for i, p in enumerate(s.parties):
        if not p.members:
            continue
        seen: set[str] = set()
        todo = list(members[p.id])
        while todo:
            cur = todo.pop()
            if cur == p.id:
                yield Problem(
                    f"$.parties[{i}].members",
                    "groups contain each other in a cycle",
                    "groups nested as a tree",
                    p.id,
                )
                break
            if cur not in seen:
                seen.add(cur)
                todo.extend(members.get(cur, ()))


def _status_ref(
    s: Scenario, path: str, owner: str, target: str, status: str | None, ids: set[str]
) -> Iterator[Problem]:
    if target not in ids:
        yield Problem(
            f"{path}.entity",
            f"entity {target!r} does not exist{did_you_mean(target, ids)}",
            "the id of a measure, deadline or negotiation",
            owner,
        )
        return
    found = s._index[target]
    lifecycle = lifecycle_of(found)
    if lifecycle is None:
        yield Problem(
            f"{path}.entity",
            f"{target!r} has no lifecycle (it is a {type(found).__name__.lower()})",
            "a measure, deadline or negotiation",
            owner,
        )
        return
    if status is not None and status not in {m.value for m in lifecycle.statuses}:
        yield Problem(
            f"{path}.to",
            f"{status!r} is not a {lifecycle.name} status ({target} is a {lifecycle.name})",
            ", ".join(m.value for m in lifecycle.statuses),
            owner,
        )


def _entry_problems(
    s: Scenario, path: str, owner: str, entry: Entry[Any], ids: set[str], kind: Mapping[str, str]
) -> Iterator[Problem]:
    if entry.source not in ids or kind[entry.source] != "sources":
        hint = did_you_mean(entry.source, [x for x in ids if kind[x] == "sources"])
        yield Problem(
            f"{path}.source",
            f"source {entry.source!r} does not exist{hint}",
            "the id of a source",
            owner,
        )
    elif entry.recorded is None and s.source(entry.source).published is None:
        yield Problem(
            f"{path}.recorded",
            f"no recorded time, and source {entry.source!r} has no publication time to default to",
            "a recorded time, or a published time on the source",
            owner,
        )
    if entry.claimed_by is not None and (
        entry.claimed_by not in ids or kind[entry.claimed_by] != "parties"
    ):
        yield Problem(
            f"{path}.claimed_by",
            f"party {entry.claimed_by!r} does not exist"
            + did_you_mean(entry.claimed_by, [x for x in ids if kind[x] == "parties"]),
            "the id of a party",
            owner,
        )


def _scope_refs(
    measure: Measure,
    base: str,
    party_ids: set[str],
    ref: Callable[[str, str, str | None, str, str], Iterator[Problem]],
) -> Iterator[Problem]:
    """Every party a scope in the measure's history names: origins, producers, exempt holders."""
    for j, entry in enumerate(measure.history):
        scope = entry.terms.scope if entry.terms is not None else None
        if scope is None:
            continue
        named = (
            [(f"origins[{k}]", x) for k, x in enumerate(scope.origins)]
            + [(f"excluded_origins[{k}]", x) for k, x in enumerate(scope.excluded_origins)]
            + [(f"producers[{k}].producer", p.producer) for k, p in enumerate(scope.producers)]
            + [(f"exemptions[{k}].holder", e.holder) for k, e in enumerate(scope.exemptions)]
        )
        for where, party in named:
            if party not in party_ids:
                path = f"{base}.history[{j}].terms.scope.{where}"
                yield from ref(path, measure.id, party, "parties", "party")


def _base_rate_problems(
    s: Scenario, ref: Callable[[str, str, str | None, str, str], Iterator[Problem]]
) -> Iterator[Problem]:
    """A base rate names a party and a source, has an id no other base rate has, and a recorded
    time (its own, or its source's publication) for what was known when."""
    yield from _rule_problems(s, ref)
    ids: set[str] = set()
    for i, b in enumerate(s.base_rates):
        base = f"$.base_rates[{i}]"
        if b.id in ids:
            yield Problem(f"{base}.id", f"base rate id {b.id!r} is used twice", "unique ids", b.id)
        ids.add(b.id)
        yield from ref(f"{base}.importer", b.id, b.importer, "parties", "party")
        yield from ref(f"{base}.source", b.id, b.source, "sources", "source")
        published = s.published.get(b.source)
        if b.recorded is None and published is None and b.source in s.published:
            yield Problem(
                f"{base}.recorded",
                f"base rate {b.id!r} has no recorded time and its source no publication time",
                "a recorded time, or a source with a published time",
                b.id,
            )


def _rule_problems(
    s: Scenario, ref: Callable[[str, str, str | None, str, str], Iterator[Problem]]
) -> Iterator[Problem]:
    """A stacking rule names a party, a source and measures that exist, and has an id no other
    rule has."""
    ids: set[str] = set()
    for i, r in enumerate(s.stacking_rules):
        base = f"$.stacking_rules[{i}]"
        if r.id in ids:
            yield Problem(
                f"{base}.id", f"stacking rule id {r.id!r} is used twice", "unique ids", r.id
            )
        ids.add(r.id)
        yield from ref(f"{base}.importer", r.id, r.importer, "parties", "party")
        yield from ref(f"{base}.source", r.id, r.source, "sources", "source")
        for field in ("excluded", "by"):
            for j, m in enumerate(getattr(r, field)):
                yield from ref(f"{base}.{field}[{j}]", r.id, m, "measures", "measure")


def _legal_act_problems(
    s: Scenario, ref: Callable[[str, str, str | None, str, str], Iterator[Problem]]
) -> Iterator[Problem]:
    """A legal act names a source and has an id no other act has; every act a measure's terms
    name is one of the scenario's legal acts."""
    ids: set[str] = set()
    for i, a in enumerate(s.legal_acts):
        base = f"$.legal_acts[{i}]"
        if a.id in ids:
            yield Problem(f"{base}.id", f"legal act id {a.id!r} is used twice", "unique ids", a.id)
        ids.add(a.id)
        yield from ref(f"{base}.source", a.id, a.source, "sources", "source")
    for i, m in enumerate(s.measures):
        for j, entry in enumerate(m.history):
            act = entry.terms.act if entry.terms is not None else None
            if act is None or act in ids:
                continue
            yield Problem(
                f"$.measures[{i}].history[{j}].terms.act",
                f"legal act {act!r} does not exist{did_you_mean(act, sorted(ids))}",
                "the id of one of the scenario's legal_acts",
                m.id,
            )

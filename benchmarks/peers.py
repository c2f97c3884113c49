"""The tradetruce/2 scenario schema as msgspec Structs and as pydantic v2 models, for comparison.

Both peers check what a schema library can check on its own: every key and type, no unknown
keys, no coercion, ids, HS codes, decimals and time values against the same patterns as the
JSON Schema, enumerations by value. They do not check what only the domain model knows
(lifecycle moves, history order, cross-references, DST gaps): that work is tradetruce's alone, so
the ratios below are an upper bound on its overhead.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
import pydantic

ID = r"^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$"
DECIMAL = r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$"
HS = r"^(?:HS(?:19|20)\d\d:)?\d{2}(?:\d{2}(?:\d{2}(?:\d{2}(?:\d{2})?)?)?)?$"
_CAL = r"\d{4}(?:-\d{2}(?:-\d{2})?)?[~?%]?"
WHEN = (
    r"^(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?"
    rf"|{_CAL}|(?:{_CAL}|\.\.)/(?:{_CAL}|\.\.))\[[A-Za-z0-9_+/-]+\]$"
)

MeasureStatus = Literal["proposed", "scheduled", "in_force", "paused", "withdrawn", "expired"]
DeadlineStatus = Literal["pending", "extended", "met", "missed", "cancelled"]
NegotiationStatus = Literal[
    "scheduled",
    "in_talks",
    "preliminary_consensus",
    "signed",
    "in_effect",
    "suspended",
    "collapsed",
    "terminated",
]
AnyStatus = MeasureStatus | DeadlineStatus | NegotiationStatus
Evidence = Literal["official", "claimed", "reported", "projected"]
SourceKind = Literal["news_report", "official_statement", "legal_text", "projection", "other"]
PartyKind = Literal["state", "bloc", "government_body", "official", "company", "other"]
MeasureKind = Literal[
    "tariff",
    "export_control",
    "import_restriction",
    "purchase_commitment",
    "port_fee",
    "investment_restriction",
    "sanction",
    "other",
]
LinkKind = Literal["suspends", "retaliates_against", "supersedes", "implements"]
DeadlineKind = Literal["effective_date", "expiry", "meeting", "signing_target", "review", "other"]
Period = Literal["day", "week", "month", "quarter", "year", "total"]


# ------------------------------------------------------------------------------------- msgspec
class M:
    """msgspec Structs (strict, unknown fields forbidden, defaults omitted on output)."""

    Id = Annotated[str, msgspec.Meta(pattern=ID)]
    Dec = Annotated[str, msgspec.Meta(pattern=DECIMAL)]
    When = Annotated[str, msgspec.Meta(pattern=WHEN)]
    Hs = Annotated[str, msgspec.Meta(pattern=HS)]
    Text = Annotated[str, msgspec.Meta(pattern=r"\S")]

    class Base(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, frozen=True):
        pass

    class Rate(Base):
        value: M.Dec
        unit: Literal["percent", "specific"] = "percent"
        currency: M.Text | None = None
        per: M.Text | None = None

    class Quantity(Base):
        amount: M.Dec
        unit: M.Text
        per: Period = "total"
        commodity: M.Text | None = None

    class Terms(Base):
        rate: M.Rate | None = None
        quantity: M.Quantity | None = None
        legal_basis: M.Text | None = None
        effective: M.When | None = None
        expires: M.When | None = None

    class Entry(Base, kw_only=True):
        at: M.When
        source: M.Id
        recorded: M.When | None = None
        evidence: Evidence = "reported"
        claimed_by: M.Id | None = None
        note: str = ""

    class MeasureEntry(Entry, kw_only=True):
        from_: MeasureStatus | None = msgspec.field(default=None, name="from")
        to: MeasureStatus
        terms: M.Terms | None = None

    class DeadlineEntry(Entry, kw_only=True):
        from_: DeadlineStatus | None = msgspec.field(default=None, name="from")
        to: DeadlineStatus
        due: M.When | None = None

    class NegotiationEntry(Entry, kw_only=True):
        from_: NegotiationStatus | None = msgspec.field(default=None, name="from")
        to: NegotiationStatus

    class Source(Base, kw_only=True):
        id: M.Id
        title: M.Text
        kind: SourceKind = "other"
        publisher: M.Text | None = None
        published: M.When | None = None
        url: M.Text | None = None

    class Party(Base, kw_only=True):
        id: M.Id
        name: M.Text
        kind: PartyKind
        jurisdiction: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")] | None = None
        parent: M.Id | None = None
        title: M.Text | None = None
        aliases: tuple[M.Text, ...] = ()

    class Link(Base):
        kind: LinkKind
        measure: M.Id

    class Measure(Base, kw_only=True):
        id: M.Id
        kind: MeasureKind
        title: str = ""
        imposed_by: M.Id
        targets: tuple[M.Id, ...] = ()
        scope: str = ""
        products: tuple[M.Hs, ...] = ()
        links: tuple[M.Link, ...] = ()
        history: tuple[M.MeasureEntry, ...]

    class Consequence(Base, kw_only=True):
        entity: M.Id
        to: AnyStatus
        note: str = ""

    class Deadline(Base, kw_only=True):
        id: M.Id
        title: M.Text
        kind: DeadlineKind
        parties: tuple[M.Id, ...] = ()
        governs: tuple[M.Id, ...] = ()
        consequences: tuple[M.Consequence, ...] = ()
        history: tuple[M.DeadlineEntry, ...]

    class Round(Base, kw_only=True):
        number: Annotated[int, msgspec.Meta(ge=1)]
        place: M.Text | None = None
        start: M.When | None = None
        end: M.When | None = None
        participants: tuple[M.Id, ...] = ()
        outcome: str = ""

    class Term(Base, kw_only=True):
        entity: M.Id
        to: AnyStatus | None = None
        detail: str = ""
        effective: M.When | None = None
        expires: M.When | None = None
        rate: M.Rate | None = None
        quantity: M.Quantity | None = None
        due: M.When | None = None

    class Negotiation(Base, kw_only=True):
        id: M.Id
        title: M.Text
        parties: tuple[M.Id, ...]
        participants: tuple[M.Id, ...] = ()
        rounds: tuple[M.Round, ...] = ()
        measures: tuple[M.Id, ...] = ()
        issues: tuple[M.Text, ...] = ()
        terms: tuple[M.Term, ...] = ()
        history: tuple[M.NegotiationEntry, ...]

    class Scenario(Base, kw_only=True):
        format: Literal["tradetruce/2"]
        title: str = ""
        description: str = ""
        sources: tuple[M.Source, ...] = ()
        parties: tuple[M.Party, ...] = ()
        measures: tuple[M.Measure, ...] = ()
        deadlines: tuple[M.Deadline, ...] = ()
        negotiations: tuple[M.Negotiation, ...] = ()


# ------------------------------------------------------------------------------------ pydantic
class P:
    """pydantic v2 models (strict, extra keys forbidden, frozen)."""

    Id = Annotated[str, pydantic.StringConstraints(pattern=ID)]
    Dec = Annotated[str, pydantic.StringConstraints(pattern=DECIMAL)]
    When = Annotated[str, pydantic.StringConstraints(pattern=WHEN)]
    Hs = Annotated[str, pydantic.StringConstraints(pattern=HS)]
    Text = Annotated[str, pydantic.StringConstraints(pattern=r"\S")]

    class Base(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(strict=True, extra="forbid", frozen=True)

    class Rate(Base):
        value: P.Dec
        unit: Literal["percent", "specific"] = "percent"
        currency: P.Text | None = None
        per: P.Text | None = None

    class Quantity(Base):
        amount: P.Dec
        unit: P.Text
        per: Period = "total"
        commodity: P.Text | None = None

    class Terms(Base):
        rate: P.Rate | None = None
        quantity: P.Quantity | None = None
        legal_basis: P.Text | None = None
        effective: P.When | None = None
        expires: P.When | None = None

    class Entry(Base):
        at: P.When
        source: P.Id
        recorded: P.When | None = None
        evidence: Evidence = "reported"
        claimed_by: P.Id | None = None
        note: str = ""

    class MeasureEntry(Entry):
        from_: MeasureStatus | None = pydantic.Field(default=None, alias="from")
        to: MeasureStatus
        terms: P.Terms | None = None

    class DeadlineEntry(Entry):
        from_: DeadlineStatus | None = pydantic.Field(default=None, alias="from")
        to: DeadlineStatus
        due: P.When | None = None

    class NegotiationEntry(Entry):
        from_: NegotiationStatus | None = pydantic.Field(default=None, alias="from")
        to: NegotiationStatus

    class Source(Base):
        id: P.Id
        title: P.Text
        kind: SourceKind = "other"
        publisher: P.Text | None = None
        published: P.When | None = None
        url: P.Text | None = None

    class Party(Base):
        id: P.Id
        name: P.Text
        kind: PartyKind
        jurisdiction: Annotated[str, pydantic.StringConstraints(pattern=r"^[A-Z]{2}$")] | None = (
            None
        )
        parent: P.Id | None = None
        title: P.Text | None = None
        aliases: tuple[P.Text, ...] = ()

    class Link(Base):
        kind: LinkKind
        measure: P.Id

    class Measure(Base):
        id: P.Id
        kind: MeasureKind
        title: str = ""
        imposed_by: P.Id
        targets: tuple[P.Id, ...] = ()
        scope: str = ""
        products: tuple[P.Hs, ...] = ()
        links: tuple[P.Link, ...] = ()
        history: tuple[P.MeasureEntry, ...]

    class Consequence(Base):
        entity: P.Id
        to: AnyStatus
        note: str = ""

    class Deadline(Base):
        id: P.Id
        title: P.Text
        kind: DeadlineKind
        parties: tuple[P.Id, ...] = ()
        governs: tuple[P.Id, ...] = ()
        consequences: tuple[P.Consequence, ...] = ()
        history: tuple[P.DeadlineEntry, ...]

    class Round(Base):
        number: Annotated[int, pydantic.Field(ge=1)]
        place: P.Text | None = None
        start: P.When | None = None
        end: P.When | None = None
        participants: tuple[P.Id, ...] = ()
        outcome: str = ""

    class Term(Base):
        entity: P.Id
        to: AnyStatus | None = None
        detail: str = ""
        effective: P.When | None = None
        expires: P.When | None = None
        rate: P.Rate | None = None
        quantity: P.Quantity | None = None
        due: P.When | None = None

    class Negotiation(Base):
        id: P.Id
        title: P.Text
        parties: tuple[P.Id, ...]
        participants: tuple[P.Id, ...] = ()
        rounds: tuple[P.Round, ...] = ()
        measures: tuple[P.Id, ...] = ()
        issues: tuple[P.Text, ...] = ()
        terms: tuple[P.Term, ...] = ()
        history: tuple[P.NegotiationEntry, ...]

    class Scenario(Base):
        format: Literal["tradetruce/2"]
        title: str = ""
        description: str = ""
        sources: tuple[P.Source, ...] = ()
        parties: tuple[P.Party, ...] = ()
        measures: tuple[P.Measure, ...] = ()
        deadlines: tuple[P.Deadline, ...] = ()
        negotiations: tuple[P.Negotiation, ...] = ()


def msgspec_decoder() -> msgspec.json.Decoder[M.Scenario]:
    return msgspec.json.Decoder(M.Scenario)


def msgspec_encode(doc: M.Scenario) -> bytes:
    return msgspec.json.encode(doc)


def pydantic_decode(text: str | bytes) -> P.Scenario:
    return P.Scenario.model_validate_json(text)


def pydantic_encode(doc: P.Scenario) -> str:
    return doc.model_dump_json(by_alias=True, exclude_defaults=True)

"""tradetruce: a typed, testable model of trade measures, deadlines and negotiations.

Who imposed which measure on whom, what state it is in, which deadlines bind it and in which
time zone, what a negotiation has agreed, and what was known when.
"""

from tradetruce.engine.changes import Change
from tradetruce.engine.states import DeadlineState, MeasureState, NegotiationState, State
from tradetruce.engine.tariffs import TariffLayer, TariffStack
from tradetruce.engine.timeline import Event, EventKind
from tradetruce.engine.upcoming import Upcoming
from tradetruce.engine.view import StateChange, View
from tradetruce.errors import (
    IllegalTransitionError,
    InvalidDataError,
    InvalidTimeError,
    InvalidValueError,
    Problem,
    TradeTruceError,
    UnknownEntityError,
)
from tradetruce.model.deadline import Consequence, Deadline, DeadlineKind
from tradetruce.model.entries import (
    DeadlineEntry,
    Entry,
    Evidence,
    MeasureEntry,
    NegotiationEntry,
)
from tradetruce.model.history import Reading
from tradetruce.model.lifecycle import (
    DEADLINE,
    MEASURE,
    NEGOTIATION,
    DeadlineStatus,
    Lifecycle,
    MeasureStatus,
    NegotiationStatus,
)
from tradetruce.model.measure import Link, LinkKind, Measure, MeasureKind
from tradetruce.model.negotiation import Negotiation, Round, Term
from tradetruce.model.party import Party, PartyKind
from tradetruce.model.scenario import Scenario
from tradetruce.model.source import Source, SourceKind
from tradetruce.seeds import list_seeds, load_seed
from tradetruce.values.codes import HSCode
from tradetruce.values.terms import Period, Quantity, Rate, RateUnit, Terms
from tradetruce.values.when import Calendar, Precision, Qualifier, When
from tradetruce.wire.schema import json_schema
from tradetruce.wire.serialize import (
    FORMAT,
    Limits,
    configure_converter,
    from_dict,
    from_json,
    from_toml,
    make_converter,
    to_dict,
    to_json,
    to_toml,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "DEADLINE",
    "FORMAT",
    "MEASURE",
    "NEGOTIATION",
    "Calendar",
    "Change",
    "Consequence",
    "Deadline",
    "DeadlineEntry",
    "DeadlineKind",
    "DeadlineState",
    "DeadlineStatus",
    "Entry",
    "Event",
    "EventKind",
    "Evidence",
    "HSCode",
    "IllegalTransitionError",
    "InvalidDataError",
    "InvalidTimeError",
    "InvalidValueError",
    "Lifecycle",
    "Limits",
    "Link",
    "LinkKind",
    "Measure",
    "MeasureEntry",
    "MeasureKind",
    "MeasureState",
    "MeasureStatus",
    "Negotiation",
    "NegotiationEntry",
    "NegotiationState",
    "NegotiationStatus",
    "Party",
    "PartyKind",
    "Period",
    "Precision",
    "Problem",
    "Qualifier",
    "Quantity",
    "Rate",
    "RateUnit",
    "Reading",
    "Round",
    "Scenario",
    "Source",
    "SourceKind",
    "State",
    "StateChange",
    "TariffLayer",
    "TariffStack",
    "Term",
    "Terms",
    "TradeTruceError",
    "UnknownEntityError",
    "Upcoming",
    "View",
    "When",
    "__version__",
    "configure_converter",
    "from_dict",
    "from_json",
    "from_toml",
    "json_schema",
    "list_seeds",
    "load_seed",
    "make_converter",
    "to_dict",
    "to_json",
    "to_toml",
]

"""tradetruce: a typed, testable model of trade measures, deadlines and negotiations.

Who imposed which measure on whom, what state it is in, which deadlines bind it and in which
time zone, what a negotiation has agreed, and what was known when.
"""

from tradetruce.codes import HSCode
from tradetruce.deadline import Consequence, Deadline, DeadlineKind
from tradetruce.errors import (
    IllegalTransitionError,
    InvalidDataError,
    InvalidTimeError,
    InvalidValueError,
    Problem,
    TradeTruceError,
    UnknownEntityError,
)
from tradetruce.history import (
    DeadlineEntry,
    Entry,
    Evidence,
    MeasureEntry,
    NegotiationEntry,
    Reading,
)
from tradetruce.lifecycle import (
    DEADLINE,
    MEASURE,
    NEGOTIATION,
    DeadlineStatus,
    Lifecycle,
    MeasureStatus,
    NegotiationStatus,
)
from tradetruce.measure import Link, LinkKind, Measure, MeasureKind
from tradetruce.negotiation import Negotiation, Round, Term
from tradetruce.party import Party, PartyKind
from tradetruce.scenario import Scenario
from tradetruce.schema import json_schema
from tradetruce.seeds import list_seeds, load_seed
from tradetruce.serialize import (
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
from tradetruce.source import Source, SourceKind
from tradetruce.tariffs import TariffLayer, TariffStack
from tradetruce.terms import Period, Quantity, Rate, RateUnit, Terms
from tradetruce.timeline import (
    Change,
    DeadlineState,
    Event,
    EventKind,
    MeasureState,
    NegotiationState,
    State,
    StateChange,
    Upcoming,
    View,
)
from tradetruce.when import Calendar, Precision, Qualifier, When

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

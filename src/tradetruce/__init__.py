"""tradetruce: a typed, testable model of trade measures, deadlines and negotiations.

Who imposed which measure on whom, what state it is in, which deadlines bind it and in which
time zone, what a negotiation has agreed, and what was known when.
"""

import importlib as _importlib
import typing as _typing

from tradetruce.engine.changes import Change
from tradetruce.engine.recorded import RecordedChange
from tradetruce.engine.states import DeadlineState, MeasureState, NegotiationState, State
from tradetruce.engine.tariffs import Amount, TariffLayer, TariffStack
from tradetruce.engine.timeline import Event, EventKind
from tradetruce.engine.upcoming import Upcoming
from tradetruce.engine.view import StateChange, View
from tradetruce.errors import (
    IcalMissingError,
    IllegalTransitionError,
    InvalidDataError,
    InvalidTimeError,
    InvalidValueError,
    LifecycleDefinitionError,
    MissingExtraError,
    Problem,
    TradeTruceError,
    UnknownEntityError,
    UsageError,
)
from tradetruce.model.base_rate import BaseRate
from tradetruce.model.commitment import Commitment, Delivery, Fulfilment, Target, TargetReading
from tradetruce.model.correction import Correction, CorrectionKind
from tradetruce.model.deadline import Consequence, Deadline, DeadlineKind
from tradetruce.model.entries import (
    DeadlineEntry,
    Entry,
    Evidence,
    MeasureEntry,
    NegotiationEntry,
)
from tradetruce.model.history import Reading
from tradetruce.model.lapse import Lapse, LapseKind
from tradetruce.model.legal_act import LegalAct
from tradetruce.model.lifecycle import (
    DEADLINE,
    MEASURE,
    NEGOTIATION,
    REMEDY,
    REMEDY_CHARGES,
    Charges,
    DeadlineStatus,
    Lifecycle,
    MeasureStatus,
    NegotiationStatus,
)
from tradetruce.model.measure import Link, LinkKind, Measure, MeasureKind
from tradetruce.model.negotiation import Negotiation, Round, RoundKind, Term
from tradetruce.model.party import Party, PartyKind
from tradetruce.model.relative import RelativeDue
from tradetruce.model.scenario import Scenario
from tradetruce.model.source import Source, SourceKind
from tradetruce.model.stacking import StackingRule
from tradetruce.seeds import list_seeds, load_seed
from tradetruce.values.authority import Authority
from tradetruce.values.calendar import Calendar, Precision, Qualifier
from tradetruce.values.codes import HSCode
from tradetruce.values.duration import Duration
from tradetruce.values.rates import Combine, ProductRate, RatePart
from tradetruce.values.scope import Exemption, ExemptionKind, ProducerRate, Scope
from tradetruce.values.suspension import Suspension, SuspensionEnd
from tradetruce.values.terms import Bound, Period, Quantity, Rate, RateUnit, Share, Terms
from tradetruce.values.when import When

# The model above is imported eagerly: it is what every user types. The wire formats (the cattrs
# converter, msgspec, tomli_w, json) and the JSON Schema are loaded on first use, through the
# module __getattr__ below (PEP 562), so that `import tradetruce` does not pay for them:
# `tradetruce.to_json` and `from tradetruce import to_json` work as before. Type checkers see the
# same names through the imports just below; they do not see __getattr__, so that a misspelt
# name is still an error to them.
if _typing.TYPE_CHECKING:
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

#: Each lazily loaded public name -> the module that defines it.
_LAZY = {
    "FORMAT": "tradetruce.wire.serialize",
    "Limits": "tradetruce.wire.serialize",
    "configure_converter": "tradetruce.wire.serialize",
    "from_dict": "tradetruce.wire.serialize",
    "from_json": "tradetruce.wire.serialize",
    "from_toml": "tradetruce.wire.serialize",
    "json_schema": "tradetruce.wire.schema",
    "make_converter": "tradetruce.wire.serialize",
    "to_dict": "tradetruce.wire.serialize",
    "to_json": "tradetruce.wire.serialize",
    "to_toml": "tradetruce.wire.serialize",
}


if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_importlib.import_module(module), name)
        globals()[name] = value  # later look-ups find it directly
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__version__ = "0.1.0.dev0"

__all__ = [
    "DEADLINE",
    "FORMAT",
    "MEASURE",
    "NEGOTIATION",
    "REMEDY",
    "REMEDY_CHARGES",
    "Amount",
    "Authority",
    "BaseRate",
    "Bound",
    "Calendar",
    "Change",
    "Charges",
    "Combine",
    "Commitment",
    "Consequence",
    "Correction",
    "CorrectionKind",
    "Deadline",
    "DeadlineEntry",
    "DeadlineKind",
    "DeadlineState",
    "DeadlineStatus",
    "Delivery",
    "Duration",
    "Entry",
    "Event",
    "EventKind",
    "Evidence",
    "Exemption",
    "ExemptionKind",
    "Fulfilment",
    "HSCode",
    "IcalMissingError",
    "IllegalTransitionError",
    "InvalidDataError",
    "InvalidTimeError",
    "InvalidValueError",
    "Lapse",
    "LapseKind",
    "LegalAct",
    "Lifecycle",
    "LifecycleDefinitionError",
    "Limits",
    "Link",
    "LinkKind",
    "Measure",
    "MeasureEntry",
    "MeasureKind",
    "MeasureState",
    "MeasureStatus",
    "MissingExtraError",
    "Negotiation",
    "NegotiationEntry",
    "NegotiationState",
    "NegotiationStatus",
    "Party",
    "PartyKind",
    "Period",
    "Precision",
    "Problem",
    "ProducerRate",
    "ProductRate",
    "Qualifier",
    "Quantity",
    "Rate",
    "RatePart",
    "RateUnit",
    "Reading",
    "RecordedChange",
    "RelativeDue",
    "Round",
    "RoundKind",
    "Scenario",
    "Scope",
    "Share",
    "Source",
    "SourceKind",
    "StackingRule",
    "State",
    "StateChange",
    "Suspension",
    "SuspensionEnd",
    "Target",
    "TargetReading",
    "TariffLayer",
    "TariffStack",
    "Term",
    "Terms",
    "TradeTruceError",
    "UnknownEntityError",
    "Upcoming",
    "UsageError",
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

# Last, when every name above is bound: if Hypothesis is already imported, tell it how to build
# tradetruce's types; otherwise its entry point does so if `import hypothesis` comes later. The
# entry point looks for this module to know that the package is whole, so it stays the last import.
from tradetruce import _hypothesis_plugin  # noqa: E402

_hypothesis_plugin.register()

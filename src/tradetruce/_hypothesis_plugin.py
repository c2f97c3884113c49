"""The Hypothesis plugin: lets ``st.from_type`` build every public tradetruce type.

:func:`register` tells Hypothesis how to build tradetruce's types once both packages are imported,
whichever comes first, and costs nothing to a process that imports only one of them:

- ``import hypothesis`` runs the ``hypothesis`` entry point,
  ``_tradetruce_hypothesis:_hypothesis_setup_hook`` (a top-level module, so that loading it
  imports nothing); the hook calls :func:`register` only if tradetruce is already imported, and
  never imports it;
- ``import tradetruce`` calls :func:`register` last, which registers only if Hypothesis is
  already imported, and never imports it.

Registration is by resolver functions: the strategies module is imported and a strategy built
only when a test first asks for a type. ``HYPOTHESIS_NO_PLUGINS`` (Hypothesis' switch for its
plugins) turns both paths off.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

#: Public type name -> (strategies function name, keyword arguments).
_TABLE: dict[str, tuple[str, dict[str, Any]]] = {
    "When": ("times", {}),
    "Calendar": ("calendars", {}),
    "HSCode": ("hs_codes", {}),
    "Rate": ("rates", {}),
    "Quantity": ("quantities", {}),
    "Terms": ("terms", {}),
    "Suspension": ("suspensions", {}),
    "Source": ("sources", {}),
    "Party": ("parties", {}),
    "Link": ("links", {}),
    "Consequence": ("consequences", {}),
    "Term": ("deal_terms", {}),
    "Measure": ("measures", {}),
    "Deadline": ("deadlines", {}),
    "Negotiation": ("negotiations", {}),
    "Scenario": ("scenarios", {}),
    "Entry": ("entries", {}),
    "MeasureEntry": ("entries", {"kind": "measure"}),
    "DeadlineEntry": ("entries", {"kind": "deadline"}),
    "NegotiationEntry": ("entries", {"kind": "negotiation"}),
    "Reading": ("readings", {}),
    "View": ("views", {}),
    "Change": ("changes", {}),
    "Target": ("targets", {}),
    "Delivery": ("deliveries", {}),
    "Commitment": ("commitments", {}),
    "Duration": ("durations", {}),
    "Correction": ("corrections", {}),
    "RelativeDue": ("relative_dues", {}),
    "Scope": ("scopes", {}),
    "ProducerRate": ("producer_rates", {}),
    "Exemption": ("exemptions", {}),
    "BaseRate": ("base_rates", {}),
    "StackingRule": ("stacking_rules", {}),
    "Share": ("shares", {}),
    "RatePart": ("rate_parts", {}),
    "ProductRate": ("product_rates", {}),
    "LegalAct": ("legal_acts", {}),
}

# Set once the types are registered. Two threads registering at once would only register the
# same resolvers twice, which is harmless, so the flag needs no lock.
_registered = False


def register() -> None:
    """Register tradetruce's types with Hypothesis, if both are imported and not done already.

    Never imports either package. A registration that fails does not break the import that
    called it: it is reported as a :class:`RuntimeWarning` (an error where warnings are errors,
    as the warning filters ask), and ``st.from_type`` then does not know tradetruce's types.
    """
    global _registered
    if _registered or "hypothesis" not in sys.modules or os.environ.get("HYPOTHESIS_NO_PLUGINS"):
        return
    try:
        _register_types()
    except Exception as error:
        warnings.warn(
            f"tradetruce could not register its types with Hypothesis ({error!r}), so "
            "st.from_type() does not know them; tradetruce.strategies still works. "
            "HYPOTHESIS_NO_PLUGINS=1 turns the plugin off.",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    _registered = True


def _hypothesis_setup_hook() -> None:
    """The hook under its earlier entry-point name (environments installed before the move)."""
    register()


def _register_types() -> None:
    from hypothesis import strategies as st

    # Already imported (register() runs only then); taken from sys.modules, not imported, so
    # the package and this module, which the package imports last, form no import cycle.
    tradetruce: Any = sys.modules["tradetruce"]
    for name, (factory, kwargs) in _TABLE.items():
        st.register_type_strategy(getattr(tradetruce, name), _resolver(factory, kwargs))
    st.register_type_strategy(tradetruce.Round, _resolver("rounds", {}, first_round=True))
    st.register_type_strategy(tradetruce.Lifecycle, _lifecycles)
    st.register_type_strategy(tradetruce.Problem, _problems)


def _resolver(
    factory: str, kwargs: dict[str, Any], *, first_round: bool = False
) -> Callable[[type], SearchStrategy[Any]]:
    def resolve(_kind: type) -> SearchStrategy[Any]:
        from tradetruce import strategies as tts

        strategy: SearchStrategy[Any] = getattr(tts, factory)(**kwargs)
        if first_round:
            strategy = strategy.filter(bool).map(lambda rounds: rounds[0])
        return strategy

    return resolve


def _lifecycles(_kind: type) -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    from tradetruce.model.lifecycle import LIFECYCLES

    return st.sampled_from(list(LIFECYCLES.values()))


def _problems(_kind: type) -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    from tradetruce.errors import Problem

    return st.builds(
        Problem,
        st.sampled_from(["$", "$.measures[0].history[1].at", "$.parties[2].parent"]),
        st.text(min_size=1, max_size=20),
        st.text(max_size=20),
        st.from_regex(r"[a-z0-9]{0,6}", fullmatch=True),
        st.none() | st.integers(1, 500),
        st.none() | st.integers(1, 120),
    )

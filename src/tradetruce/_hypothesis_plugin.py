"""The Hypothesis plugin: lets ``st.from_type`` build every public tradetruce type.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported (entry-point group
``hypothesis``). Registration is by resolver functions, so no strategy is built until a test asks
for one, and any failure here is swallowed: a broken plugin must never break ``import hypothesis``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def _hypothesis_setup_hook() -> None:
    try:
        _register()
    except Exception:
        # A plugin must never break `import hypothesis`; st.from_type then reports the type
        # as unregistered, which names the problem well enough.
        return


def _register() -> None:
    from hypothesis import strategies as st

    import tradetruce
    from tradetruce import strategies as tts

    table: dict[type, Callable[[], SearchStrategy[Any]]] = {
        tradetruce.When: tts.times,
        tradetruce.HSCode: tts.hs_codes,
        tradetruce.Rate: tts.rates,
    }
    for kind, factory in table.items():
        st.register_type_strategy(kind, _resolver(factory))


def _resolver(
    factory: Callable[[], SearchStrategy[Any]],
) -> Callable[[type], SearchStrategy[Any]]:
    def resolve(_kind: type) -> SearchStrategy[Any]:
        return factory()

    return resolve

"""tradetruce's Hypothesis entry point, kept outside the package on purpose.

Hypothesis loads every ``hypothesis`` entry point while ``import hypothesis`` runs, without
guarding the load. A hook inside the ``tradetruce`` package would import the package first (and
with it attrs, cattrs, pendulum...), so a broken installation of tradetruce would break
``import hypothesis`` for every project in the environment. This module imports nothing when it
is loaded; its hook registers the strategies (:mod:`tradetruce._hypothesis_plugin`) and
swallows any failure, after which ``st.from_type`` simply reports the types as unregistered.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    try:
        from tradetruce._hypothesis_plugin import _register

        _register()
    except Exception:
        return

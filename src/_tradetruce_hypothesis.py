"""tradetruce's Hypothesis entry point, kept outside the package on purpose.

Hypothesis loads every ``hypothesis`` entry point while ``import hypothesis`` runs, without
guarding the load. A hook inside the ``tradetruce`` package would import the package first (and
with it attrs, pendulum...): every ``import hypothesis`` in the environment would pay for it, and
a broken installation of tradetruce would break it. This module imports nothing when it is
loaded, and its hook never imports tradetruce: it registers the strategies only in a process
that has imported tradetruce already. Otherwise tradetruce registers them itself when it is
imported (:func:`tradetruce._hypothesis_plugin.register`).
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    import sys

    # tradetruce imports its plugin module last, so finding it means the whole package is
    # imported.
    plugin = sys.modules.get("tradetruce._hypothesis_plugin")
    if plugin is not None:
        plugin.register()

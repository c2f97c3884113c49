"""Test settings: Hypothesis profiles, and a local zone that is neither UTC nor the seed's zones.

Pinning the process to an unusual zone makes any code that leans on the machine's local time
fail loudly instead of passing by luck.
"""

from __future__ import annotations

import os
import time

from hypothesis import HealthCheck, settings

os.environ["TZ"] = "Pacific/Chatham"
time.tzset()

settings.register_profile("dev", max_examples=50)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

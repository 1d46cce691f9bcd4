"""Hypothesis profiles: a fast one for every run, a thorough one for nightly or release checks.

``TARIFFRULES_PROFILE=thorough`` selects the thorough profile (10,000
examples per property). Deadlines are off in both: the machines that run
the suite are shared, and a slow example is not a wrong one.

>>> from tariffrules.testing import register_profiles
>>> sorted(register_profiles())
['tariffrules-fast', 'tariffrules-thorough']
"""

from __future__ import annotations

import os
from typing import Mapping

from hypothesis import HealthCheck, settings

__all__ = ["PROFILES", "PROFILE_VARIABLE", "register_profiles", "load_profile"]

PROFILE_VARIABLE = "TARIFFRULES_PROFILE"

#: short name -> (Hypothesis profile name, settings)
PROFILES: Mapping[str, tuple[str, dict]] = {
    "fast": ("tariffrules-fast", {"max_examples": 40, "deadline": None,
                                  "suppress_health_check": [HealthCheck.too_slow]}),
    "thorough": ("tariffrules-thorough", {"max_examples": 10_000, "deadline": None,
                                          "suppress_health_check": [HealthCheck.too_slow,
                                                                    HealthCheck.filter_too_much]}),
}


def register_profiles() -> dict[str, settings]:
    """Register both profiles with Hypothesis and return them by Hypothesis name."""
    out = {}
    for name, options in PROFILES.values():
        settings.register_profile(name, **options)
        out[name] = settings.get_profile(name)
    return out


def load_profile(environ: Mapping[str, str] | None = None) -> str:
    """Register the profiles and load the one ``TARIFFRULES_PROFILE`` names (default ``fast``)."""
    environ = os.environ if environ is None else environ
    short = environ.get(PROFILE_VARIABLE, "fast").strip() or "fast"
    if short not in PROFILES:
        raise ValueError(f"{PROFILE_VARIABLE}={short!r} names no profile; use one of {', '.join(PROFILES)}")
    register_profiles()
    name = PROFILES[short][0]
    settings.load_profile(name)
    return name

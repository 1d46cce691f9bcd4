"""Property-test a rule set: Hypothesis strategies for queries and rule sets, and invariant checks.

Three lines in a user's test suite check every invariant (fast engine equals
the reference resolver, order independence, constancy between change
points, suspensions, relations, money bounds, JSON, every levy accounted for,
entry lines that split the value, one heading per declaration group per line)
on generated queries:

>>> import tariffrules
>>> from tariffrules.testing import check_rule_set
>>> check_rule_set(tariffrules.builtin("us"), max_examples=5)

Needs Hypothesis: ``pip install tariffrules[test]``.
"""

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the suite
    raise ImportError("tariffrules.testing needs Hypothesis; install it with: pip install tariffrules[test]") from exc

from .invariants import (INVARIANTS, Context, InvariantViolation, check_case, check_rule_set, shuffled_folder,
                         shuffled_rules)
from .profiles import PROFILE_VARIABLE, load_profile, register_profiles
from .scopes import RuleSetScopes, scopes_of
from .strategies import (QueryCase, amounts, content_amounts, entry_dates, entry_instants, hts_codes, known_instants,
                         origins, queries, scoped_codes)
from .synthetic import RuleSetSpec, rule_set_specs

__all__ = [
    "check_rule_set", "check_case", "InvariantViolation", "INVARIANTS", "Context", "shuffled_rules",
    "shuffled_folder", "QueryCase", "hts_codes", "scoped_codes", "origins", "entry_instants", "entry_dates",
    "amounts", "content_amounts", "known_instants", "queries", "RuleSetSpec", "rule_set_specs", "RuleSetScopes",
    "scopes_of", "register_profiles", "load_profile", "PROFILE_VARIABLE",
]

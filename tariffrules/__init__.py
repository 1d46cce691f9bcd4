"""tariffrules: which levies apply to a good, from an origin, entered at an instant, and why.

>>> import tariffrules
>>> rules = tariffrules.builtin("us")
>>> rules.resolve("8525.89.30", "JP", "2025-04-16").headings
('9903.01.25',)
"""

from .builtin import builtin, builtin_path
from .errors import (AmbiguousCodeError, BeforeKnownError, CoverageGapError, HorizonError, InvalidCodeError, InvalidFactError,
                     InvalidInstantError, MissingFactError, QueryError, RuleFileError, StaleRulesError, TariffRulesError,
                     UnknownCodeError, UnknownCountryError, UnknownFactError, UnknownLevyError, UnknownRuleSetError)
from .lines import EntryLine, LineLevy
from .loader import load
from .query import Query
from .result import AppliedLevy, Resolution, SkippedLevy
from .ruleset import RuleSet
from .timeline import Change, LevyDifference, Revision, Span

__version__ = "0.1.0"

__all__ = [
    "load", "builtin", "builtin_path", "RuleSet", "Resolution", "AppliedLevy", "SkippedLevy", "EntryLine",
    "LineLevy", "Query",
    "Span", "Change", "Revision", "LevyDifference",
    "TariffRulesError", "RuleFileError", "QueryError", "InvalidCodeError", "UnknownCountryError",
    "InvalidInstantError", "UnknownFactError", "InvalidFactError", "MissingFactError", "CoverageGapError", "HorizonError",
    "BeforeKnownError", "StaleRulesError", "UnknownRuleSetError", "UnknownLevyError", "UnknownCodeError", "AmbiguousCodeError",
]

"""One family of errors, so callers can catch ``TariffRulesError`` and nothing else.

Every error says *what* was wrong, *where* (file, levy, field or argument)
and *what was expected*. Errors about a caller's input also subclass
``ValueError`` (or ``LookupError``) so generic handlers keep working.
The command line maps the family to exit code 1 (bad input).
"""

from __future__ import annotations

import datetime as _dt
import json
import unicodedata
from decimal import Decimal
from typing import Any, Mapping, Pattern, Sequence

__all__ = [
    "shown",
    "quote",
    "visible",
    "invisible_character",
    "reworded",
    "TariffRulesError",
    "RuleFileError",
    "QueryError",
    "InvalidCodeError",
    "UnknownCodeError",
    "AmbiguousCodeError",
    "UnknownCountryError",
    "InvalidInstantError",
    "UnknownFactError",
    "InvalidFactError",
    "MissingFactError",
    "CoverageGapError",
    "HorizonError",
    "BeforeKnownError",
    "StaleRulesError",
    "UnknownRuleSetError",
    "UnknownLevyError",
]


def _invisible(char: str) -> bool:
    """A character a terminal shows as nothing or as a plain space: a format or control character (U+200B
    ZERO WIDTH SPACE, U+FEFF), a private-use or unassigned one, a line or paragraph separator, or a space
    other than U+0020 (U+00A0 NO-BREAK SPACE)."""
    category = unicodedata.category(char)
    return category in ("Cf", "Cc", "Co", "Cn", "Zl", "Zp") or (category == "Zs" and char != " ")


def visible(text: str) -> str:
    """``text`` with each invisible character (:func:`_invisible`) written as ``\\uXXXX``, so a message shows
    what a code or name really holds.

    >>> print(visible("8703\u200b2301"))
    8703\u200b2301
    """
    return "".join(f"\\u{ord(c):04x}" if _invisible(c) and ord(c) <= 0xFFFF else
                   f"\\U{ord(c):08x}" if _invisible(c) else c for c in text)


def invisible_character(text: Any) -> str | None:
    """Words naming the first invisible character of ``text`` and where it is, or ``None`` when it has none.

    >>> print(invisible_character("8703\u200b2301"))
    holds the invisible character U+200B (ZERO WIDTH SPACE) at character 5
    """
    if not isinstance(text, str):
        return None
    for index, char in enumerate(text.strip(), 1):
        if _invisible(char):
            name = unicodedata.name(char, "unnamed")
            return f"holds the invisible character U+{ord(char):04X} ({name}) at character {index}"
    return None


def quote(text: str, limit: int = 80) -> str:
    """Text in double quotes for a message, control and invisible characters escaped (``\\u200b``), cut at
    ``limit`` characters.

    >>> print(quote("MHDV"), quote("x" * 100)[-16:], quote("J\u200bP"))
    "MHDV" (100 characters) "J\u200bP"
    """
    body = visible(json.dumps(text[:limit], ensure_ascii=False))
    return body if len(text) <= limit else f"{body[:-1]}...\" ({len(text):,} characters)"


def shown(value: Any) -> str:
    """A value as a user would write it in a message: never a Python repr.

    Text is quoted (:func:`quote`), numbers and dates are written as such,
    a mapping as ``{steel: 1200}``, nothing given as ``(not given)``, and an
    object of another kind by its kind (``a Query``).

    >>> print(shown("8703"), shown(Decimal("1E+400")), shown(_dt.date(2025, 5, 1)), shown({"steel": Decimal(5)}))
    "8703" 1E+400 2025-05-01 {steel: 5}
    >>> print(shown(None), shown(True), shown(object()))
    (not given) True an object
    """
    if value is None:
        return "(not given)"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, (bool, int, float, Decimal)):
        return str(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return "bytes " + quote(bytes(value[:80]).decode("ascii", "backslashreplace"))
    if isinstance(value, Mapping):
        items = list(value.items())
        return "{" + ", ".join(f"{k if isinstance(k, str) and k.isidentifier() else shown(k)}: {shown(v)}"
                               for k, v in items[:8]) + (", ..." if len(items) > 8 else "") + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        return "[" + ", ".join(shown(v) for v in items[:8]) + (", ..." if len(items) > 8 else "") + "]"
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def reworded(text: str, words: Sequence[tuple[Pattern[str], str]]) -> str:
    """``text`` with each pattern of ``words`` replaced by its words: how the command line or a batch file says
    what a message says in Python terms (``resolve(..., value=...)`` is ``--value N`` or a ``value`` cell).

    >>> import re
    >>> print(reworded("expected resolve(..., value=...)", [(re.compile(r"resolve\\(\\.\\.\\., value=[^)]*\\)"), "a value cell")]))
    expected a value cell
    """
    for pattern, replacement in words:
        text = pattern.sub(replacement, text)
    return text


class TariffRulesError(Exception):
    """Root of every error tariffrules raises on purpose."""

    exit_code = 1


class RuleFileError(TariffRulesError, ValueError):
    """A rule file is malformed or inconsistent; raised by :func:`tariffrules.load`.

    >>> print(RuleFileError("must be a percent", file="a.toml", levy="x.y", field="rate",
    ...                     value="abc", expected='"25%"'))
    a.toml: levy x.y: field rate: must be a percent (got "abc"; expected "25%")
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        levy: str | None = None,
        field: str | None = None,
        value: Any = None,
        expected: str | None = None,
        kind: str = "levy",
    ) -> None:
        self.kind = kind
        self.problem = problem
        self.file = file
        self.levy = levy
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.levy:
            where.append(f"{self.kind} {self.levy}")
        if self.field:
            where.append(f"field {self.field}")
        text = ": ".join(where + [self.problem]) if where else self.problem
        details = []
        if self.value is not None:
            details.append(f"got {shown(self.value)}")
        if self.expected:
            details.append(f"expected {self.expected}")
        if details:
            text += f" ({'; '.join(details)})"
        return text


class QueryError(TariffRulesError, ValueError):
    """A query argument is malformed; the message names the argument."""

    def __init__(self, argument: str, value: Any, problem: str, expected: str | None = None) -> None:
        self.argument = argument
        self.value = value
        self.problem = problem
        self.expected = expected
        text = f"{argument}={shown(value)}: {problem}"
        if expected:
            text += f"; expected {expected}"
        super().__init__(text)


class InvalidCodeError(QueryError):
    """An HTS code is not digits (dots allowed) of an accepted length."""


class UnknownCodeError(InvalidCodeError):
    """A well-formed code that is not a line of the rule set's schedule in force at the entry (or not a good's
    code, such as a chapter 99 heading)."""


class AmbiguousCodeError(InvalidCodeError):
    """An 8-digit code whose 10-digit lines pay different levies at the entry: give the 10-digit line."""


class UnknownCountryError(QueryError):
    """An origin is not an ISO 3166-1 alpha-2 code."""


class InvalidInstantError(QueryError):
    """A date or time is malformed or naive (has no time zone)."""


class UnknownFactError(QueryError):
    """A query names a fact the rule set does not declare."""


class InvalidFactError(QueryError):
    """A fact has the wrong type or an impossible value (negative, content above value)."""


class MissingFactError(QueryError):
    """An answer needs a fact the query did not give (e.g. the value for a content base)."""


class CoverageGapError(QueryError):
    """The answer depends on a measure the rule set names but does not encode (a levy with ``gap``).

    The message names the levy, its citation and the rule set's own text on
    what is missing and what the caller can do (often: state a fact that
    takes the good out of the measure).
    """


class HorizonError(QueryError):
    """The entry instant is before the first instant the rule set covers."""


class BeforeKnownError(HorizonError):
    """An ``as_of`` instant before the first thing the rule set knows (its earliest ``known`` instant).

    As known then, no measure had been published, so every answer would be
    "no levy": a typo (2020 for 2026) would zero the duty silently. Give an
    ``as_of`` on or after the instant the message names, or none (everything
    known).
    """


class StaleRulesError(HorizonError):
    """The entry instant is after the day the rule set was last reviewed.

    Pass ``allow_stale=True`` to accept answers that may miss later measures.
    """


class UnknownRuleSetError(TariffRulesError, LookupError):
    """No bundled rule set has that name."""


class UnknownLevyError(TariffRulesError, LookupError):
    """No levy or suspension has that id."""

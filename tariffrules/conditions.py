"""Conditions on query facts: small predicates, combined with ``all`` and ``any``.

A condition on a fact the query did not give (and that has no default) does
not hold. So a levy with ``unless = [{fact = "loaded", before = ...}]``
applies when no loading date is given: the exemption must be claimed.
"""

from __future__ import annotations

import re

import datetime as _dt
from decimal import Decimal
from typing import Any, Callable, Iterator, Mapping

import attrs

__all__ = ["ON_MISSING", "FactSpec", "Compare", "AllOf", "AnyOf", "Condition", "BUILTIN_FACTS", "OPERATORS", "leaves",
           "facts_used"]

HUNDRED = Decimal(100)


#: what a rule set may say when a resolution reads a fact the query did not give
ON_MISSING = ("assume", "error")


@attrs.frozen(kw_only=True)
class FactSpec:
    """A fact a query may carry: its type (bool, text, choice, decimal, instant), default and limits.

    ``choices`` lists the values a ``choice`` fact may take; ``minimum`` and
    ``maximum`` bound a ``decimal`` fact (inclusive). ``on_missing`` says what
    a resolution does when it reads the fact and the query did not give it:
    ``"assume"`` uses ``default`` (or "not given", under which a condition on
    the fact does not hold) and lists it in ``Resolution.assumed``;
    ``"error"`` raises :class:`~tariffrules.errors.MissingFactError`.
    """

    name: str
    type: str
    default: Any = None
    description: str = ""
    choices: tuple[str, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    on_missing: str = "assume"

    def label(self) -> str:
        """The fact in words for messages: the first sentence of its description, at most about 90 characters
        (the name when there is no description)."""
        text = re.sub(r"(?<![\w'])'([^'\n]*)'(?![\w'])", r'"\1"', " ".join(self.description.split()))
        first = text.split(". ", 1)[0].rstrip(".")
        if not first:
            return self.name
        return first if len(first) <= 90 else first[:90].rsplit(" ", 1)[0] + " ..."

    def allowed(self) -> str:
        """What values the fact accepts, in words (for error messages)."""
        if self.type == "choice":
            return "one of " + ", ".join(self.choices)
        if self.type == "bool":
            return "true or false"
        if self.type == "decimal":
            low = "any number" if self.minimum is None else f"at least {self.minimum}"
            return low + ("" if self.maximum is None else f" and at most {self.maximum}")
        if self.type == "instant":
            return "a date or an aware date-time"
        return "text"


#: Facts every rule set knows. ``content.<kind>`` facts are decimals.
BUILTIN_FACTS: Mapping[str, FactSpec] = {
    "entered": FactSpec(name="entered", type="instant", description="the entry instant"),
    "loaded": FactSpec(name="loaded", type="instant", description="when the goods were loaded for export"),
    "value": FactSpec(name="value", type="decimal", description="customs value"),
    "mfn": FactSpec(name="mfn", type="decimal", description="general (MFN) rate, percent"),
}

#: operator -> fact types it accepts
OPERATORS: Mapping[str, tuple[str, ...]] = {
    "is": ("bool", "text", "choice"),
    "before": ("instant",),
    "on_or_after": ("instant",),
    "at_least": ("decimal",),
    "below": ("decimal",),
    "share_at_least": ("content",),
    "share_below": ("content",),
}

_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "is": lambda fact, operand: fact == operand,
    "before": lambda fact, operand: fact < operand,
    "on_or_after": lambda fact, operand: fact >= operand,
    "at_least": lambda fact, operand: fact >= operand,
    "below": lambda fact, operand: fact < operand,
}

_WORDS = {
    "is": "is",
    "before": "before",
    "on_or_after": "on or after",
    "at_least": "at least",
    "below": "below",
    "share_at_least": "share of value at least",
    "share_below": "share of value below",
}

Lookup = Callable[[str], Any]


def _show(operand: Any) -> str:
    if isinstance(operand, _dt.datetime):
        return operand.isoformat()
    if isinstance(operand, bool):
        return str(operand).lower()
    return str(operand)


@attrs.frozen(kw_only=True)
class Compare:
    """One comparison of one fact, e.g. ``loaded before 2025-04-05T00:01-04:00``.

    ``plus`` (share operators only) names further content facts whose amounts
    are added to ``fact``'s before the share of ``value`` is taken: the share
    of several content kinds together, e.g. the US content the chapter 98
    provision leaves out of the dutiable value plus the rest of the US content.
    A kind of the sum the query does not give counts as 0; if it gives none of
    them, the comparison does not hold.
    """

    fact: str
    op: str
    operand: Any
    note: str | None = None
    plus: tuple[str, ...] = ()

    def holds(self, lookup: Lookup) -> bool:
        if self.op in ("share_at_least", "share_below"):
            amounts = [amount for amount in map(lookup, (self.fact,) + self.plus) if amount is not None]
            value = lookup("value")
            if not amounts or not value:
                return False
            share = sum(amounts) * HUNDRED / value
            return share >= self.operand if self.op == "share_at_least" else share < self.operand
        fact = lookup(self.fact)
        if fact is None:
            return False
        return _COMPARE[self.op](fact, self.operand)

    def instants(self) -> tuple[_dt.datetime, ...]:
        """Instants at which this test on the entry instant can change its answer."""
        return (self.operand,) if self.fact == "entered" else ()

    def describe(self) -> str:
        suffix = "%" if self.op.startswith("share") else ""
        text = f"{' + '.join((self.fact,) + self.plus)} {_WORDS[self.op]} {_show(self.operand)}{suffix}"
        return f"{text} ({self.note})" if self.note else text


@attrs.frozen(kw_only=True)
class AllOf:
    """Holds when every item holds."""

    items: tuple["Condition", ...]
    note: str | None = None

    def holds(self, lookup: Lookup) -> bool:
        return all(item.holds(lookup) for item in self.items)

    def instants(self) -> tuple[_dt.datetime, ...]:
        return tuple(t for item in self.items for t in item.instants())

    def describe(self) -> str:
        text = "all of (" + "; ".join(item.describe() for item in self.items) + ")"
        return f"{text} ({self.note})" if self.note else text


@attrs.frozen(kw_only=True)
class AnyOf:
    """Holds when at least one item holds."""

    items: tuple["Condition", ...]
    note: str | None = None

    def holds(self, lookup: Lookup) -> bool:
        return any(item.holds(lookup) for item in self.items)

    def instants(self) -> tuple[_dt.datetime, ...]:
        return tuple(t for item in self.items for t in item.instants())

    def describe(self) -> str:
        text = "any of (" + "; ".join(item.describe() for item in self.items) + ")"
        return f"{text} ({self.note})" if self.note else text


Condition = Compare | AllOf | AnyOf


def leaves(condition: Condition) -> Iterator[Compare]:
    """The comparisons inside a condition, ``all`` and ``any`` opened."""
    if isinstance(condition, Compare):
        yield condition
    else:
        for item in condition.items:
            yield from leaves(item)


def facts_used(condition: Condition) -> set[str]:
    """Names of the facts a condition reads (for the memo key of the fast resolver)."""
    if isinstance(condition, Compare):
        names = {condition.fact, *condition.plus}
        if condition.op.startswith("share"):
            names.add("value")
        return names
    out: set[str] = set()
    for item in condition.items:
        out |= facts_used(item)
    return out

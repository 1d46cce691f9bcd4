"""Dutiable-value rules: a provision that charges duties on part of the customs value only.

Some provisions say that a good's duty is assessed on a *dutiable value*
smaller than its customs value: the value of the repairs or alterations,
the value of the processing abroad, or the value less the cost or value of
components of the importing country. A rule file states such a provision once
as a ``[[dutiable_value]]`` table (see :doc:`rule-format` "Dutiable value")
instead of restating the base of every levy it governs::

    [[dutiable_value]]
    id = "toy.repairs"
    title = "Articles repaired abroad: duty on the value of the repairs"
    citation = "..."
    when = [ { fact = "repaired_abroad", is = true } ]
    less = ["article_as_exported"]   # content kinds left out of the dutiable value
    levies = ["toy.extra.*"]         # the levies whose base loses them (ids or patterns)
    except_levies = []               # optional: ids or patterns taken back out of ``levies``
    general = true                   # the general (column 1, column 2, special) duty too

For a query where every ``when`` condition holds, each levy named takes the
``less`` kinds out of its base (a full-value base becomes the value less those
kinds; a base on another, disjoint content kind is unchanged), before
relations are settled; and with ``general = true`` the entry lines that hold
only those kinds carry no general duty. The conditions may test declared
facts only (not the entry instant, the value or content amounts): a rule
states how the levies' own texts define their base, so it holds whenever they
are in force. Both resolvers and the declaration check take the trimmed base
(:func:`holding`, :meth:`Cuts.base`), so a declaration group whose levies all
lose a slice is not required on that slice.
"""

from __future__ import annotations

from typing import Callable, Iterable

import attrs

from .conditions import Condition
from .rates import WHOLE, Portion

__all__ = ["DutiableValue", "Cuts", "holding", "NO_CUTS"]


@attrs.frozen(kw_only=True, slots=True)
class DutiableValue:
    """One ``[[dutiable_value]]`` table: under ``when``, the ``less`` content kinds are not dutiable for the
    levies in ``levies`` (ids matched at load) and, with ``general``, for the general duty."""

    id: str
    title: str
    citation: str
    when: tuple[Condition, ...]
    less: frozenset[str]
    levies: frozenset[str] = frozenset()
    general: bool = False

    @property
    def left_out(self) -> Portion:
        """The part of the value this rule takes out of the dutiable value."""
        return Portion(False, self.less)

    def describe(self) -> str:
        return f"{self.id} ({self.title}; {self.citation})"


@attrs.frozen(slots=True)
class Cuts:
    """The dutiable-value rules that hold for one query, and what they take out of each base."""

    rules: tuple[DutiableValue, ...] = ()

    def base(self, levy_id: str, base: Portion) -> tuple[Portion, tuple[tuple[str, str], ...]]:
        """A levy's base with the kinds its rules leave out taken away, and the parts taken as
        ``(rule id, what it took)`` pairs (none when nothing changed)."""
        parts = []
        for rule in self.rules:
            if levy_id in rule.levies:
                trimmed = base.minus(rule.left_out)
                if trimmed != base:
                    parts.append((rule.id, rule.left_out.describe()))
                    base = trimmed
        return base, tuple(parts)

    @property
    def general(self) -> Portion:
        """The part of the value the general duty applies to."""
        portion = WHOLE
        for rule in self.rules:
            if rule.general:
                portion = portion.minus(rule.left_out)
        return portion


NO_CUTS = Cuts()


def holding(rules: Iterable[DutiableValue], lookup: Callable[[str], object]) -> Cuts:
    """The rules whose conditions all hold, read through ``lookup`` (so the facts they read are recorded)."""
    found = tuple(rule for rule in rules if all(condition.holds(lookup) for condition in rule.when))
    return Cuts(found) if found else NO_CUTS

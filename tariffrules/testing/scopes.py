"""What a rule set talks about: its code prefixes, countries, content kinds, facts and instants.

Strategies draw from these so that generated queries hit the rule set's
boundaries (a code just inside an excluded prefix, an origin named in an
exception, a loading date on a condition's instant) instead of wandering in
the vast space of codes and countries no levy names.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs

from ..conditions import leaves
from ..ruleset import RuleSet

__all__ = ["RuleSetScopes", "scopes_of"]


@attrs.frozen(kw_only=True)
class RuleSetScopes:
    """The named parts of a rule set, each sorted so that draws are reproducible."""

    goods: tuple[str, ...]
    excluded_goods: tuple[str, ...]
    mfn_codes: tuple[str, ...]
    countries: tuple[str, ...]
    content_kinds: tuple[str, ...]
    #: (fact name, operand) for every comparison in a condition
    operands: tuple[tuple[str, Any], ...]




def scopes_of(rules: RuleSet) -> RuleSetScopes:
    """Collect the prefixes, countries, kinds and condition operands a rule set names."""
    goods: set[str] = set()
    excluded: set[str] = set()
    countries: set[str] = set()
    kinds: set[str] = set()
    operands: set[tuple[str, Any]] = set()
    for levy in rules.levies:
        for v in levy.versions:
            goods |= v.goods.prefixes
            excluded |= v.goods.excluded
            countries |= v.origins.members | v.origins.excluded
            if v.base.content:
                kinds.add(v.base.content)
            kinds.update(v.base.less)
            for condition in v.when + v.unless:
                for compare in leaves(condition):
                    if compare.fact.startswith("content."):
                        kinds.add(compare.fact[len("content."):])
                    operands.add((compare.fact, compare.operand))
    for suspension in rules.suspensions:
        for v in suspension.versions:
            countries |= v.origins.members | v.origins.excluded
    for _, members in rules.info.groups:
        countries |= members
    return RuleSetScopes(
        goods=tuple(sorted(goods)), excluded_goods=tuple(sorted(excluded)), mfn_codes=tuple(sorted(rules.mfn)),
        countries=tuple(sorted(countries)), content_kinds=tuple(sorted(kinds)),
        operands=tuple(sorted(operands, key=lambda pair: (pair[0], repr(pair[1])))),
    )


def horizon(rules: RuleSet) -> tuple[_dt.datetime, _dt.datetime]:
    """The instants a query may name without error: ``[horizon_start, stale_from)``."""
    return rules.info.horizon_start, rules.info.stale_from

"""The reference resolver: written to be obviously right, not fast. It is the test oracle.

It scans every levy, takes the version in force as known at ``as_of``,
screens it, takes out of each base what a dutiable-value rule that holds leaves out
(:mod:`tariffrules.dutiable`), and settles relations by their definition: a candidate is
replaced if a levy that replaces it applies; otherwise, if it names levies
it applies with, it is unaccompanied unless one of them applies; otherwise it
keeps the part of its base that no applying levy excluding it covers. The recursion follows
relations backwards (and ``applies_with`` forwards); relations are acyclic at every instant (checked at
load), so it ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dutiable import holding
from .evaluate import make_applied, screen, settled_skip, unaccompanied, version_at
from .model import visible_versions
from .query import Query
from .result import Resolution

if TYPE_CHECKING:  # pragma: no cover
    from .ruleset import RuleSet

__all__ = ["resolve"]


def resolve(rules: "RuleSet", query: Query) -> Resolution:
    """Resolve a normalised query by brute force.

    An 8-digit code whose 10-digit lines the rules split is answered line by
    line through this resolver, as the engine does (:mod:`tariffrules.schedule`).
    """
    split = rules.reader.split.get(query.code)
    if split is not None:
        return split.resolve(lambda line_query: resolve(rules, line_query), query, rules.info.schedule)
    lookup = rules.lookup_for(query)
    cuts = holding(rules.info.dutiable, lookup)
    suspensions = [v for s in rules.suspensions for v in visible_versions(s.versions, query.as_of)
                   if v.period.contains(query.entered)]
    candidates = {}
    for levy in rules.levies:
        version = version_at(visible_versions(levy.versions, query.as_of), query.entered)
        if version is not None and screen(version, query, lookup, suspensions) is None:
            candidates[levy.id] = version

    outcomes: dict[str, tuple] = {}

    def outcome(levy_id: str) -> tuple:
        """('applied', portion, parts), ('replaced', by), ('unaccompanied',) or ('excluded', by)."""
        if levy_id in outcomes:
            return outcomes[levy_id]
        version = candidates[levy_id]
        result = None
        for other in sorted(candidates):
            if levy_id in candidates[other].replaces and outcome(other)[0] == "applied":
                result = ("replaced", other)
                break
        if result is None and version.applies_with and not any(
                other in candidates and outcome(other)[0] == "applied" for other in sorted(version.applies_with)):
            result = ("unaccompanied",)
        if result is None:
            base, cut = cuts.base(levy_id, version.base.portion(query.value, query.content_map))
            portion = base
            parts = list(cut)
            excluders = []
            for other in sorted(candidates):
                if levy_id in candidates[other].excludes:
                    theirs = outcome(other)
                    if theirs[0] == "applied" and base.minus(theirs[1]) != base:
                        parts.append((other, theirs[1].describe()))
                        excluders.append(other)
                        portion = portion.minus(theirs[1])
            gone = portion.nothing_left(base, query.value, query.content_map)
            result = ("excluded", ", ".join(excluders)) if gone else ("applied", portion, parts)
        outcomes[levy_id] = result
        return result

    applied = {}
    settled = {}
    for levy_id, version in candidates.items():
        result = outcome(levy_id)
        if result[0] == "applied":
            applied[levy_id] = make_applied(version, result[1], query, result[2])
        elif result[0] == "unaccompanied":
            settled[levy_id] = unaccompanied(version)
        else:
            settled[levy_id] = settled_skip(version, result[0], result[1])
    return rules.finish(query, applied, settled, read=tuple(sorted(lookup.read)), general=cuts.general)

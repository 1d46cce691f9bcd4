"""The steps both resolvers share: screening one levy version, and explaining the rest.

Screening decides, for a version in force at the entry instant, whether its
goods and origin scopes match, whether a suspension switches it off, and
whether its conditions hold. Settling relations is *not* here: the fast
engine and the reference resolver each do it their own way, so that the
property tests compare two independent implementations.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

from .errors import CoverageGapError, MissingFactError
from .model import Levy, LevyVersion, SuspensionVersion, visible_versions
from .query import Query
from .result import AppliedLevy, SkippedLevy, applied_from

__all__ = ["screen", "version_at", "not_in_force", "explain_skipped", "make_applied", "settled_skip", "unaccompanied"]

Lookup = Callable[[str], object]


def screen(version: LevyVersion, query: Query, lookup: Lookup,
           suspensions: Iterable[SuspensionVersion], goods_checked: bool = False) -> SkippedLevy | None:
    """Why a version in force does not apply to this query, or ``None`` if it is a candidate.

    ``goods_checked`` skips the goods test when the caller found the version
    through its goods index already.
    """
    def skip(reason: str, detail: str, by: str | None = None) -> SkippedLevy:
        return SkippedLevy(id=version.levy_id, reason=reason, detail=detail, by=by, heading=version.heading,
                           citation=version.citation)

    if not goods_checked and not version.goods.covers(query.code):
        return skip("goods_out_of_scope", f"{query.code} is not in {version.goods.describe()}")
    if not version.origins.covers(query.origin):
        return skip("origin_out_of_scope", f"{query.origin} is not in {version.origins.describe()}")
    # a ruling is named before a suspension (the duty is not owed at all), then the smallest id, whatever
    # order they come in
    suspending = [s for s in suspensions if s.suspends(version.levy_id, query.origin)]
    if suspending:
        suspension = min(suspending, key=lambda s: (not s.is_ruling, s.suspension_id, s.label))
        until = suspension.period.end.isoformat() if suspension.period.end else "further notice"
        if suspension.is_ruling:
            return skip(suspension.effect, f"by {suspension.suspension_id} ({suspension.title}; "
                        f"{suspension.citation}; entries from {suspension.period.start.isoformat()} until {until}; "
                        f"known from {suspension.known.isoformat()})", suspension.suspension_id)
        return skip("suspended", f"by {suspension.suspension_id} ({suspension.title}; {suspension.citation}; "
                    f"until {until})", suspension.suspension_id)
    for condition in version.when:
        if not condition.holds(lookup):
            return skip("condition_not_met", f"requires {condition.describe()}")
    for condition in version.unless:
        if condition.holds(lookup):
            return skip("exempt", f"{condition.describe()}")
    return None


def version_at(versions: Sequence[LevyVersion], instant) -> LevyVersion | None:
    """The version whose period holds ``instant`` (versions given must not overlap)."""
    for version in versions:
        if version.period.contains(instant):
            return version
    return None


def not_in_force(levy: Levy, seen: Sequence[LevyVersion], query: Query) -> SkippedLevy:
    """The reason a levy has no version in force at the entry instant (as known at ``as_of``)."""
    t = query.entered
    last = seen[-1] if seen else levy.versions[-1]

    def skip(reason: str, detail: str) -> SkippedLevy:
        return SkippedLevy(id=levy.id, reason=reason, detail=detail, heading=last.heading, citation=last.citation)

    # versions in force at the entry instant that the as-of view cannot see yet (a superseded version is
    # not 'unknown': its successor says what holds)
    unknown = [v for v in levy.versions
               if query.as_of is not None and v.known > query.as_of and v.period.contains(t)]
    if unknown:
        v = unknown[0]
        return SkippedLevy(id=levy.id, reason="not_yet_known",
                           detail=f"version {v.label} in force then, but known only from {v.known.isoformat()}",
                           heading=v.heading, citation=v.citation)
    if not seen:
        return skip("not_yet_known", f"first known {min(v.known for v in levy.versions).isoformat()}")
    if all(v.period.start > t for v in seen):
        first = min(seen, key=lambda v: v.period.start)
        return skip("not_yet_in_force", f"in force from {first.period.start.isoformat()}")
    if all(v.period.end is not None and v.period.end <= t for v in seen):
        end = max(v.period.end for v in seen)
        return skip("ended", f"ended {end.isoformat()}")
    return skip("between_versions", "no version is in force at this instant")


def make_applied(version: LevyVersion, portion, query: Query,
                 parts: Iterable[tuple[str, str]]) -> AppliedLevy:
    """An applied levy; an all-in rate without a known general rate is an error, not a guess.

    The error names the levy, not the line's code: the engine memoises it for every line of the same
    memo key, whatever its code.

    A version marked ``gap`` (a measure the rule set does not encode) never
    applies silently: reaching it raises :class:`CoverageGapError`.
    """
    if version.gap:
        # named by the levy, not by the line's code or instant: the engine memoises this error for every
        # line of the same memo key
        raise CoverageGapError(
            "levy", version.levy_id, f"the answer depends on {version.levy_id} ({version.title}; "
            f"{version.citation}), which this rule set does not encode: {version.gap}",
            "a query the rule set covers (see the gap's text) or another source for that measure")
    if version.rate.all_in and query.mfn is None:
        raise MissingFactError(
            "mfn", None, f"levy {version.levy_id} is an all-in rate ({version.rate.describe()}) and the general "
            "rate of the good is not known as an ad valorem percent",
            "the general rate given as the fact mfn (e.g. mfn=\"2.5\" for 2.5%), or its ad valorem "
            "equivalent")
    return applied_from(version, portion, query.mfn, tuple(sorted(parts)))


def settled_skip(version: LevyVersion, reason: str, by: str) -> SkippedLevy:
    """A candidate removed by relations: ``replaced`` or ``excluded`` by the applied levies ``by``."""
    return SkippedLevy(id=version.levy_id, reason=reason, detail=f"by {by}", by=by, heading=version.heading,
                       citation=version.citation)


def unaccompanied(version: LevyVersion) -> SkippedLevy:
    """A candidate that applies only with other levies (``applies_with``), none of which applies."""
    named = sorted(version.applies_with)
    listed = ", ".join(named) if len(named) <= 4 else f"{', '.join(named[:4])} and {len(named) - 4} more"
    return SkippedLevy(id=version.levy_id, reason="unaccompanied",
                       detail=f"applies only with {listed}; none of them applies", heading=version.heading,
                       citation=version.citation)


def explain_skipped(levies: Sequence[Levy], suspensions: Sequence, query: Query, lookup: Lookup,
                    applied: Mapping[str, AppliedLevy], settled: Mapping[str, SkippedLevy]) -> tuple[SkippedLevy, ...]:
    """Every levy not in ``applied``, with its reason; ``settled`` holds those removed by relations."""
    live = [v for s in suspensions for v in visible_versions(s.versions, query.as_of)
            if v.period.contains(query.entered)]
    out = []
    for levy in levies:
        if levy.id in applied:
            continue
        if levy.id in settled:
            out.append(settled[levy.id])
            continue
        seen = visible_versions(levy.versions, query.as_of)
        version = version_at(seen, query.entered)
        if version is None:
            out.append(not_in_force(levy, seen, query))
            continue
        reason = screen(version, query, lookup, live)
        if reason is None:  # pragma: no cover - a candidate is always applied or settled
            raise AssertionError(f"levy {levy.id} is a candidate but was neither applied nor settled")
        out.append(reason)
    return tuple(out)

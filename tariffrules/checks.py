"""Whole-rule-set checks: supersession, overlapping versions, relation cycles (run at load time), and list codes
that are no line of the tariff schedule in force while the list is used (reported by ``validate``)."""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from typing import Any, Iterable, Sequence

from dateutil import tz

import attrs

from .errors import RuleFileError, shown
from .hts import dotted_code
from .model import Levy, Suspension, visible_versions

__all__ = ["check_wall_time", "check_goods_cover", "check_content_kinds", "check_supersedes", "check_overlaps", "check_cycles", "check_known_by_review", "settle_edges", "StaleListCode", "stale_list_codes"]


def _error(version, kind: str, field: str, problem: str, value=None, expected=None) -> RuleFileError:
    item = version.levy_id if kind == "levy" else version.suspension_id
    return RuleFileError(problem, file=version.source.file, levy=item, field=field, value=value,
                         expected=expected, kind=kind)


def _items(levies: Iterable[Levy], suspensions: Iterable[Suspension]):
    for levy in levies:
        yield "levy", levy.versions
    for suspension in suspensions:
        yield "suspension", suspension.versions


def check_supersedes(levies: Sequence[Levy], suspensions: Sequence[Suspension]) -> None:
    """A version may supersede only an existing, earlier-known version of the same item."""
    for kind, versions in _items(levies, suspensions):
        by_label = {v.label: v for v in versions}
        for v in versions:
            if v.supersedes is None:
                continue
            old = by_label.get(v.supersedes)
            if old is None or old is v:
                raise _error(v, kind, "supersedes", "names no other version of this item", v.supersedes,
                             "the label of another version: " + ", ".join(sorted(by_label)))
            if not v.known > old.known:
                raise _error(v, kind, "known", f"a superseding version must be known after version {shown(old.label)} "
                             f"(known {old.known.isoformat()})", v.known.isoformat())


def check_overlaps(levies: Sequence[Levy], suspensions: Sequence[Suspension]) -> None:
    """No two versions of one item may be in force at once in any as-of view."""
    for kind, versions in _items(levies, suspensions):
        if len(versions) < 2:
            continue
        for as_of in sorted({v.known for v in versions}):
            seen = sorted(visible_versions(versions, as_of), key=lambda v: v.period.start)
            for earlier, later in zip(seen, seen[1:]):
                if earlier.period.overlaps(later.period):
                    raise _error(later, kind, "start", f"versions {shown(earlier.label)} and {shown(later.label)} "
                                 f"are in force at the same time (as known at {as_of.isoformat()})",
                                 later.period.start.isoformat(),
                                 "periods that do not overlap, or 'supersedes' with a later 'known'")


def check_known_by_review(levies: Sequence[Levy], suspensions: Sequence[Suspension], reviewed: _dt.date,
                          stale_from: _dt.datetime) -> None:
    """No version may be known after the rule set's review day: what was published later, the rule set cannot know.

    A version's ``known`` (its start when not given) on or after ``stale_from`` (the start of the day after
    ``reviewed``, in the rule set's zone) would apply in every answer given today as if already published.

    :raises RuleFileError: naming the file, the item, its ``known`` and the review day.
    """
    for kind, versions in _items(levies, suspensions):
        for v in versions:
            if v.known >= stale_from:
                raise _error(v, kind, "known", f"version {shown(v.label)} is known from {v.known.isoformat()}, after "
                             f"the rule set's reviewed day {reviewed.isoformat()}: a rule set cannot know what was "
                             "published after its review", v.known.isoformat(),
                             f"a known instant on or before {reviewed.isoformat()} (when the text was published), "
                             "or a later reviewed day in [ruleset]")


def settle_edges(version) -> Iterable[tuple[str, str, str]]:
    """The settling dependencies a version brings, as (earlier, later, field): ``earlier`` must be settled
    before ``later``. A levy settles before those it excludes or replaces, and after those it applies with."""
    for target in sorted(version.excludes):
        yield version.levy_id, target, "excludes"
    for target in sorted(version.replaces):
        yield version.levy_id, target, "replaces"
    for companion in sorted(version.applies_with):
        yield companion, version.levy_id, "applies_with"


def check_cycles(levies: Sequence[Levy]) -> None:
    """Excludes, replaces and applies_with must not form a cycle among versions in force at one instant.

    The union of all relations is checked first; only where it has a cycle are
    the instants examined, so acyclic rule sets pay one graph walk.
    """
    versions = [v for levy in levies for v in levy.versions]
    union = {levy.id: set() for levy in levies}
    for v in versions:
        for earlier, later, _ in settle_edges(v):
            union[earlier].add(later)
    for component in _cyclic_components(union):
        members = [v for v in versions if v.levy_id in component]
        member_levies = [levy for levy in levies if levy.id in component]
        for as_of in sorted({v.known for v in members}):
            seen = [v for levy in member_levies for v in visible_versions(levy.versions, as_of)]
            _check_instants(seen, as_of)


def _check_instants(seen: list, as_of) -> None:
    """Relations among the versions of one as-of view must be acyclic at every instant."""
    instants = sorted({v.period.start for v in seen} | {v.period.end for v in seen if v.period.end})
    for instant in instants:
        live = [v for v in seen if v.period.contains(instant)]
        graph = {v.levy_id: set() for v in live}
        fields = {}
        for v in live:
            for earlier, later, field in settle_edges(v):
                if earlier in graph and later in graph:
                    graph[earlier].add(later)
                    fields.setdefault((earlier, later), (v, field))
        cycle = _find_cycle(graph)
        if cycle:
            culprit, field = fields[(cycle[0], (cycle + cycle[:1])[1])]
            raise _error(culprit, "levy", field, "relations form a cycle at "
                         f"{instant.isoformat()} (as known at {as_of.isoformat()}): "
                         + " -> ".join(cycle + [cycle[0]]), None,
                         "relations that settle in one order: remove one direction or split the period")


def _cyclic_components(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(component)
    return out


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of nodes, or ``None``."""
    colour: dict[str, int] = {}
    for root in sorted(graph):
        if colour.get(root):
            continue
        path = [root]
        colour[root] = 1
        work = [iter(sorted(graph[root]))]
        while work:
            for child in work[-1]:
                state = colour.get(child, 0)
                if state == 1:
                    return path[path.index(child):]
                if state == 0:
                    colour[child] = 1
                    path.append(child)
                    work.append(iter(sorted(graph[child])))
                    break
            else:
                colour[path.pop()] = 2
                work.pop()
    return None




@attrs.frozen(kw_only=True)
class StaleListCode:
    """A code a levy version names (in ``goods`` or ``except_goods``, written or from a list file) that is
    neither a line nor the prefix of a line of the schedule revision(s) in force during part of the version's
    period, while the version names no other line of the same 8-digit subheading there: the list no longer
    (or not yet) names a good there, so the lines in its place are left out."""

    levy: str
    label: str
    file: str
    code: str
    excluded: bool
    revision: str

    def describe(self) -> str:
        field = "except_goods" if self.excluded else "goods"
        return (f"{self.levy} (version {self.label}, {self.file}): {field} code {dotted_code(self.code)} is no line of "
                f"{self.revision}, in force during the version")


def _revision_masks(schedule, period) -> list[tuple[int, str]]:
    """(mask, names) of each schedule window that overlaps ``period`` (see :meth:`Schedule.window`)."""
    out = []
    revisions = schedule.revisions
    for i, revision in enumerate(revisions):
        until = revisions[i + 1].start if i + 1 < len(revisions) else None
        starts_before_end = period.end is None or revision.start < period.end
        ends_after_start = until is None or until > period.start
        if i == 0 and period.start < revision.start:
            ends_after_start = True
        if starts_before_end and ends_after_start:
            mask = schedule.window(max(revision.start, period.start))
            out.append((mask, schedule.names(mask)))
    return out


def stale_list_codes(levies: Sequence[Levy], schedule) -> tuple[StaleListCode, ...]:
    """Every code of a levy version's goods (or excluded goods) that is no line, nor the prefix of a line, of the
    schedule in force at some instant of the version's period, for the versions an answer with everything known
    sees (superseded ones are left out; codes under a ``not_goods`` prefix are skipped). A 10-digit code is not
    reported for a revision in which the same scope names another line of its 8-digit subheading: a list
    that names a deleted line and its successors (each a line in its own revisions) follows the change.

    ``schedule`` is a :class:`tariffrules.schedule.Schedule` (``None``: nothing to check, empty result).
    Found codes are a data fault to fix (typically: lines deleted or split by a later revision whose
    successors the list should name from the revision's date); they do not stop loading.
    """
    if schedule is None:
        return ()
    cache: dict[tuple[str, int], bool] = {}

    def known(code: str, mask: int) -> bool:
        key = (code, mask)
        if key not in cache:
            cache[key] = (schedule.is_line(code, mask) or (len(code) < 10 and any(
                schedule.codes[c] & mask for c in schedule._under(code))))
        return cache[key]

    found = []
    for levy in levies:
        for version in visible_versions(levy.versions, None):
            scope = version.goods
            if scope.everything and not scope.excluded:
                continue
            windows = _revision_masks(schedule, version.period)
            for excluded, codes in ((False, scope.prefixes), (True, scope.excluded)):
                by_subheading: dict[str, list[str]] = {}
                for code in codes:
                    by_subheading.setdefault(code[:8], []).append(code)
                for code in sorted(codes):
                    if any(code.startswith(prefix) for prefix, _ in schedule.not_goods):
                        continue
                    for mask, names in windows:
                        if not known(code, mask) and not any(
                                other != code and known(other, mask) for other in by_subheading[code[:8]]):
                            found.append(StaleListCode(levy=levy.id, label=version.label, file=version.source.file,
                                                       code=code, excluded=excluded, revision=names))
                            break
    return tuple(found)


def check_wall_time(where, field: str, raw: Any, zone: _dt.tzinfo) -> None:
    """Refuse a local date-time of a rule file (no offset: a wall time in the file's zone) that the zone skips
    (a daylight saving time gap: no instant has it) or passes twice (the hour repeated when clocks go back):
    either would be read as an instant the author may not mean. The error names the file, the item and the
    field, and shows the offsets to choose from."""
    if not isinstance(raw, _dt.datetime) or raw.tzinfo is not None:
        return
    wall = raw.replace(tzinfo=zone)
    name = re.sub(r"^.*zoneinfo/", "", getattr(zone, "_filename", None) or str(zone))
    if not tz.datetime_exists(wall):
        before = (wall - _dt.timedelta(hours=3)).utcoffset()
        after = (wall + _dt.timedelta(hours=3)).utcoffset()
        raise where.error(field, f"is a wall time the zone {name} skips (clocks go forward then): no instant has "
                          "it", raw.isoformat(), "the instant with its offset: "
                          f"{raw.replace(tzinfo=_dt.timezone(before)).isoformat()} (the offset before the change) "
                          f"or {raw.replace(tzinfo=_dt.timezone(after)).isoformat()} (the offset after it), or a "
                          "wall time that exists")
    if tz.datetime_ambiguous(wall):
        first = tz.enfold(wall, fold=0).utcoffset()
        second = tz.enfold(wall, fold=1).utcoffset()
        raise where.error(field, f"is a wall time the zone {name} passes twice (clocks go back then): it could "
                          "be either of two instants", raw.isoformat(), "the time with its offset: "
                          f"{raw.replace(tzinfo=_dt.timezone(first)).isoformat()} (the first) or "
                          f"{raw.replace(tzinfo=_dt.timezone(second)).isoformat()} (the second)")


def check_goods_cover(where, everything: bool, prefixes: frozenset[str], excluded: frozenset[str]) -> None:
    """Refuse goods that cover nothing: an empty ``goods`` (and no list file adding codes), or ``except_goods``
    excluding every code ``goods`` names (a levy that could never apply is a mistake, not a rule)."""
    if everything:
        return
    if not prefixes:
        raise where.error("goods", "names no code (and no goods_files add any): the levy would cover no good",
                          [], '["8703", "8704.21"], ["*"] for all goods, or goods_files = ["lists/..."]')
    uncovered = [p for p in prefixes if not any(p[:n] in excluded for n in range(2, len(p) + 1))]
    if not uncovered:
        raise where.error("except_goods", "excludes every code goods names: the levy would cover no good",
                          sorted(excluded)[:8], "except_goods naming only some goods under goods")


def check_content_kinds(levies: Sequence[Levy]) -> None:
    """Refuse a content kind read by fewer levies than a kind it is a near-spelling of (``stele`` beside
    ``steel``, ``Steel``): a typo there would make the levy need a content amount no query gives, and show up only
    as missing content or broken declarations."""
    readers: dict[str, dict[str, Any]] = {}
    for levy in levies:
        for v in levy.versions:
            kinds = {kind: "base" for kind in v.base.less}
            if v.base.content is not None:
                kinds[v.base.content] = "base"
            for field in ("when", "unless"):
                for condition in getattr(v, field):
                    for name in _facts_used(condition):
                        if name.startswith("content."):
                            kinds.setdefault(name[len("content."):], field)
            for kind, field in kinds.items():
                readers.setdefault(kind, {}).setdefault(levy.id, (v, field))
    for kind, by_levy in sorted(readers.items(), key=lambda item: len(item[1])):
        near = [k for k, r in readers.items() if k != kind and len(r) >= len(by_levy)
                and difflib.SequenceMatcher(None, kind.lower(), k.lower()).ratio() >= 0.8]
        if near:
            levy_id, (version, field) = next(iter(by_levy.items()))
            other = near[0]
            where = next(iter(readers[other]))
            raise _error(version, "levy", field, f"content kind {shown(kind)} (read by {len(by_levy)} levy(ies), "
                         f"here {levy_id}) and {shown(other)} (read by {len(readers[other])}, e.g. {where}) look like "
                         "two spellings of one kind: a query giving one would leave the other unread",
                         kind, "one spelling for one kind; kinds the rule set reads: "
                         + ", ".join(sorted(readers)))


def _facts_used(condition):
    from .conditions import facts_used

    return facts_used(condition)

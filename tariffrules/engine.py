"""The compiled resolver: epochs found by bisection, a prefix index, memoised answers.

Compiling a *view* (the rules as known at some instant) precomputes:

* the change points, so an entry instant finds its epoch by bisection;
* for every epoch, the levy versions and suspensions in force and the order
  in which relations settle (a topological order, ties broken by id);
* an index from code prefixes to the versions whose goods scope names them.

Answers are memoised per (code, origin, epoch, facts). A view is built on
first use and kept; views and the memo are the only state a rule set keeps,
they are filled under a lock, and what they hold never changes once stored.
"""

from __future__ import annotations

import bisect
import threading
from typing import TYPE_CHECKING

from .evaluate import make_applied, screen
from .model import visible_versions
from .periods import micros
from .query import Query
from .result import Resolution, SkippedLevy

if TYPE_CHECKING:  # pragma: no cover
    from .ruleset import RuleSet

__all__ = ["Engine"]

MEMO_LIMIT = 500_000


class _Epoch:
    __slots__ = ("in_force", "suspensions", "order")

    def __init__(self, in_force, suspensions, order):
        self.in_force = in_force          # set of id(version)
        self.suspensions = suspensions    # tuple of SuspensionVersion
        self.order = order                # levy id -> settle position


class _View:
    """The rules as known at one as-of slot, compiled."""

    def __init__(self, rules: "RuleSet", as_of) -> None:
        versions = [v for levy in rules.levies for v in visible_versions(levy.versions, as_of)]
        suspensions = [v for s in rules.suspensions for v in visible_versions(s.versions, as_of)]
        points = set()
        for v in versions:
            points.add(v.period.start)
            if v.period.end:
                points.add(v.period.end)
            for condition in v.when + v.unless:
                points.update(condition.instants())
        for s in suspensions:
            points.add(s.period.start)
            if s.period.end:
                points.add(s.period.end)
        self.change_points = sorted(points)
        self.point_keys = [micros(p) for p in self.change_points]
        self._day_warnings: dict = {}
        self.index: dict[str, list] = {}
        self.everything = []
        for v in versions:
            if v.goods.everything:
                self.everything.append(v)
            for prefix in v.goods.prefixes:
                self.index.setdefault(prefix, []).append(v)
        self.epochs = []
        for position in range(len(self.change_points) + 1):
            probe = self.change_points[position - 1] if position else None
            live = [v for v in versions if probe is not None and v.period.contains(probe)]
            live_s = tuple(s for s in suspensions if probe is not None and s.period.contains(probe))
            self.epochs.append(_Epoch({id(v) for v in live}, live_s, _settle_order(live)))


    def changes_within(self, start, end) -> tuple:
        """Change points strictly after ``start`` and before ``end`` (cached per start: bare dates repeat)."""
        found = self._day_warnings.get(start)
        if found is None:
            keys = self.point_keys
            low = bisect.bisect_right(keys, micros(start))
            high = bisect.bisect_left(keys, micros(end))
            found = tuple(self.change_points[low:high])
            if len(self._day_warnings) < 100_000:
                self._day_warnings[start] = found
        return found


def _settle_order(live) -> dict[str, int]:
    """Kahn's algorithm over relations among versions in force; ties by id, so the order is fixed."""
    targets = {v.levy_id: (v.excludes | v.replaces) for v in live}
    indegree = {levy_id: 0 for levy_id in targets}
    for levy_id, outs in targets.items():
        for t in outs:
            if t in indegree:
                indegree[t] += 1
    ready = sorted(levy_id for levy_id, n in indegree.items() if n == 0)
    order: dict[str, int] = {}
    while ready:
        levy_id = ready.pop(0)
        order[levy_id] = len(order)
        for t in sorted(targets[levy_id]):
            if t in indegree:
                indegree[t] -= 1
                if indegree[t] == 0:
                    bisect.insort(ready, t)
    return order


class Engine:
    """Fast resolution over a :class:`RuleSet`; see the module docstring."""

    def __init__(self, rules: "RuleSet") -> None:
        self.rules = rules
        instants = {v.known for levy in rules.levies for v in levy.versions}
        instants |= {v.known for s in rules.suspensions for v in s.versions}
        self.known_instants = sorted(instants)
        self._views: dict[int, _View] = {}
        self._memo: dict = {}
        self._lock = threading.Lock()

    def view(self, as_of) -> tuple[int, _View]:
        slot = len(self.known_instants) if as_of is None else bisect.bisect_right(self.known_instants, as_of)
        view = self._views.get(slot)
        if view is None:
            with self._lock:
                view = self._views.get(slot)
                if view is None:
                    probe = None if slot == len(self.known_instants) else (
                        self.known_instants[slot - 1] if slot else self.known_instants[0].replace(year=1))
                    view = _View(self.rules, probe)
                    self._views[slot] = view
        return slot, view

    def resolve(self, query: Query) -> Resolution:
        slot, view = self.view(query.as_of)
        position = bisect.bisect_right(view.point_keys, micros(query.entered))
        key = (query.code, query.origin, slot, position, query.value, query.mfn, query.loaded, query.content,
               query.claims)
        found = self._memo.get(key)
        if found is None:
            found = self._settle(view.epochs[position], view, query)
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        applied, settled = found
        return self.rules.finish(query, applied, settled)

    def _settle(self, epoch: _Epoch, view: _View, query: Query):
        lookup = self.rules.lookup_for(query)
        code = query.code
        seen = set()
        candidates = []
        for n in range(2, len(code) + 1):
            for v in view.index.get(code[:n], ()):
                if id(v) in epoch.in_force and id(v) not in seen:
                    seen.add(id(v))
                    candidates.append(v)
        for v in view.everything:
            if id(v) in epoch.in_force and id(v) not in seen:
                seen.add(id(v))
                candidates.append(v)
        live = [v for v in candidates if screen(v, query, lookup, epoch.suspensions) is None]
        live.sort(key=lambda v: epoch.order[v.levy_id])
        content = query.content_map
        # levy id -> [version, base, remaining portion, parts taken, replacers]
        state = {}
        for v in live:
            base = v.base.portion(query.value, content)
            state[v.levy_id] = [v, base, base, [], []]
        applied = {}
        settled = {}
        for v in live:
            _, base, portion, parts, replacers = state[v.levy_id]
            if replacers or portion.is_empty:
                by = min(replacers) if replacers else ", ".join(sorted(p[0] for p in parts))
                reason = "replaced" if replacers else "excluded"
                settled[v.levy_id] = SkippedLevy(id=v.levy_id, reason=reason, detail=f"by {by}", by=by,
                                                 heading=v.heading, citation=v.citation)
                continue
            applied[v.levy_id] = make_applied(v, portion, query, parts)
            for target in v.excludes:
                other = state.get(target)
                if other is not None and other[1].minus(portion) != other[1]:
                    other[3].append((v.levy_id, portion.describe()))
                    other[2] = other[2].minus(portion)
            for target in v.replaces:
                other = state.get(target)
                if other is not None:
                    other[4].append(v.levy_id)
        return applied, settled

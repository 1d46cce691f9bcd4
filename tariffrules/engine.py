"""The compiled resolver: epochs found by bisection, goods signatures, memoised answers.

Compiling a *view* (the rules as known at some instant) precomputes:

* the change points, so an entry instant finds its epoch by bisection of
  integer keys;
* for every epoch, the levy versions and suspensions in force and the order
  in which relations settle (a topological order, ties broken by id);
* an index from code prefixes to the versions whose goods scope names them.

A code's *goods signature* is the set of versions whose goods scope covers
it. Thousands of codes share a signature (most are covered only by levies on
all goods), so answers are memoised per (signature, origin, epoch, facts
that matter), where the facts that matter are those some condition reads,
the general rate when an all-in rate exists, and whether each ``min_share``
threshold is met. Customs values and content amounts change the money, not
which levies apply or on what portion, so they stay out of the key. A key
whose settlement ends in a typed error (an all-in rate without a general
rate) memoises that error the same way: later lines with the key raise it
without settling again.

A view is built on first use and kept. Views, signatures, the memo and the
columnar group plans (:mod:`tariffrules.table`) are the only state a rule set keeps; they are filled under a lock or by single
dictionary assignments, and an entry never changes once stored.
"""

from __future__ import annotations

import bisect
import threading
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .checks import settle_edges
from .conditions import facts_used, leaves
from .dutiable import holding
from .errors import TariffRulesError
from .evaluate import make_applied, screen, settled_skip, unaccompanied
from .model import visible_versions
from .periods import micros
from .query import Query
from .rates import HUNDRED
from .result import Resolution, SkippedLevy, reporting_order

if TYPE_CHECKING:  # pragma: no cover
    from .ruleset import RuleSet

__all__ = ["Engine"]

MEMO_LIMIT = 500_000
SIGNATURE_LIMIT = 200_000


class _Epoch:
    __slots__ = ("numbers", "suspensions", "order")

    def __init__(self, numbers, suspensions, order):
        self.numbers = numbers            # numbers of the versions in force
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
        # Versions are numbered; the index maps a code prefix to version numbers.
        self.versions = versions
        self.index: dict[str, list[int]] = {}
        self.everything: list[int] = []
        for number, v in enumerate(versions):
            if v.goods.everything:
                self.everything.append(number)
            for prefix in v.goods.prefixes:
                self.index.setdefault(prefix, []).append(number)
        self.excluded_index: dict[str, set[int]] = {}
        for number, v in enumerate(versions):
            for prefix in v.goods.excluded:
                self.excluded_index.setdefault(prefix, set()).add(number)
        self.epochs = []
        edges = {id(v): tuple(settle_edges(v)) for v in versions}  # each version's once, not per epoch
        for position in range(len(self.change_points) + 1):
            probe = self.change_points[position - 1] if position else None
            numbers = [n for n, v in enumerate(versions) if probe is not None and v.period.contains(probe)]
            live = [versions[n] for n in numbers]
            live_s = tuple(s for s in suspensions if probe is not None and s.period.contains(probe))
            self.epochs.append(_Epoch(numbers, live_s, _settle_order(live, edges)))
        self._signatures: dict[str, int] = {}
        self._signature_ids: dict[frozenset, int] = {}
        self.signature_versions: list[tuple] = []
        self.signature_members: list[frozenset[int]] = []
        self._epoch_candidates: dict[tuple[int, int, str], tuple] = {}
        self._epoch_origin: dict[tuple[int, str], frozenset[int]] = {}
        self._candidate_sets: dict[tuple, tuple] = {}
        #: the conditions of the dutiable-value rules: read for every query, so they are in every memo key
        self.rule_conditions = tuple(c for rule in rules.info.dutiable for c in rule.when)

    def day_warnings(self, entered) -> tuple[str, ...]:
        """Warnings for a bare-date entry: change points later on the same entry day (cached per day)."""
        found = self._day_warnings.get(entered)
        if found is None:
            keys = self.point_keys
            low = bisect.bisect_right(keys, micros(entered))
            high = bisect.bisect_left(keys, micros(entered + timedelta(days=1)))
            found = tuple(f"rules change at {t.isoformat()}, later on this entry day; the answer is for "
                          f"{entered.isoformat()}: pass a datetime for another time"
                          for t in self.change_points[low:high])
            if len(self._day_warnings) < 100_000:
                self._day_warnings[entered] = found
        return found

    def signature(self, code: str, lock: threading.Lock) -> int:
        """The id of the set of versions whose goods scope covers ``code``."""
        found = self._signatures.get(code)
        if found is not None:
            return found
        prefixes = [code[:n] for n in range(2, len(code) + 1)]
        covering = set(self.everything)
        for prefix in prefixes:
            covering.update(self.index.get(prefix, ()))
        for prefix in prefixes:
            covering -= self.excluded_index.get(prefix, set())
        members = frozenset(covering)
        with lock:
            sig = self._signature_ids.get(members)
            if sig is None:
                sig = len(self.signature_versions)
                self.signature_versions.append(tuple(self.versions[n] for n in sorted(members)))
                self.signature_members.append(members)
                self._signature_ids[members] = sig
            if len(self._signatures) < SIGNATURE_LIMIT:
                self._signatures[code] = sig
        return sig

    def candidates(self, sig: int, position: int, origin: str) -> tuple[tuple, tuple]:
        """Versions of a signature in force in an epoch, covering the origin and not suspended for it, and
        the spec of the facts that can change their answer (both cached).

        Origin scope and suspensions depend only on the epoch and the origin, so
        they are settled here once; the resolver then checks conditions only.
        """
        key = (sig, position, origin)
        found = self._epoch_candidates.get(key)
        if found is None:
            open_to_origin = self._open_to(position, origin)
            numbers = tuple(sorted(self.signature_members[sig] & open_to_origin))
            # Equal candidate sets share one entry (and one memo token): most codes, origins and epochs
            # reduce to a few hundred distinct sets. Keyed by version numbers, which hash fast.
            found = self._candidate_sets.get(numbers)
            if found is None:
                versions = tuple(self.versions[n] for n in numbers)
                found = (versions, _key_spec(versions, self.rule_conditions), len(self._candidate_sets))
                self._candidate_sets[numbers] = found
            if len(self._epoch_candidates) >= MEMO_LIMIT:
                self._epoch_candidates.clear()
            self._epoch_candidates[key] = found
        return found

    def _open_to(self, position: int, origin: str) -> frozenset[int]:
        """Numbers of the versions in force in an epoch that cover the origin and are not suspended for it."""
        key = (position, origin)
        found = self._epoch_origin.get(key)
        if found is None:
            epoch = self.epochs[position]
            found = frozenset(
                n for n in epoch.numbers
                if self.versions[n].origins.covers(origin)
                and not any(s.suspends(self.versions[n].levy_id, origin) for s in epoch.suspensions))
            if len(self._epoch_origin) >= MEMO_LIMIT:
                self._epoch_origin.clear()
            self._epoch_origin[key] = found
        return found

    @staticmethod
    def facts_key(query: Query, spec: tuple, declared) -> tuple:
        """The facts of a query that can change which of these candidates apply, and on what portion."""
        names, uses_mfn, floors, _, shares, excluding = spec
        # whether an excluded part leaves anything depends on the amounts (a zero value leaves nothing); only
        # a candidate that excludes another takes a part away
        amounts = excluding and (query.content or query.value == 0)
        if not (names or uses_mfn or floors or amounts or shares):  # most candidates read no fact
            return ()
        key: list[Any] = [query.fact(name, declared) for name in names]
        if shares:
            key.extend(compare.holds(lambda name: query.fact(name, declared)) for compare in shares)
        if uses_mfn:  # as text: 0.00 and 0 are equal Decimals but give differently written rates
            key.append(str(query.mfn))
        if amounts:
            key.append(_amounts_key(query.value, query.content))
        if floors:
            content = query.content_map
            value = query.value
            for kind, floor in floors:
                key.append(bool(value) and kind in content and content[kind] * HUNDRED >= floor * value)
        return tuple(key)


def _amounts_key(value, content: tuple) -> tuple:
    """What the customs value and content amounts can change in a settlement, and no more.

    Amounts only decide whether an excluded part leaves nothing: a portion
    "value less some kinds" is worth 0 exactly when those kinds' amounts add
    up to the value, and a portion "some kinds" exactly when each is 0 (or
    unknown when a kind is missing). So the key is the kinds given, which of
    them are 0, and which subsets of them add up to the value: lines with
    other amounts but the same pattern share one settlement.

    Amounts are never negative and (as the query reader checks) add up to at
    most the value; then a subset adds up to the value exactly when all the
    amounts do and every kind outside the subset is 0, so the subsets are
    told by the zero flags and one comparison (``True`` in the key). Amounts
    that break those bounds (a :class:`Query` built by hand) key on the
    subsets themselves.
    """
    if len(content) > 8:  # more kinds than any rule set uses: key on the amounts themselves
        return (value, content)
    kinds = tuple(kind for kind, _ in content)
    amounts = [amount for _, amount in content]
    zero = tuple(amount == 0 for amount in amounts)
    if value is None:
        return (kinds, zero, None)
    total = sum(amounts, Decimal(0))
    if total <= value and all(amount >= 0 for amount in amounts):
        return (kinds, zero, total == value)
    sums = [Decimal(0)] * (1 << len(amounts))  # the sum of each subset, from the subset less its lowest kind
    for mask in range(1, len(sums)):
        low = mask & -mask
        sums[mask] = sums[mask ^ low] + amounts[low.bit_length() - 1]
    whole = tuple(mask for mask, total in enumerate(sums) if total == value)
    return (kinds, zero, whole)


def _key_spec(versions: tuple, extra: tuple = ()) -> tuple:
    """Which facts matter for a set of candidate versions: condition facts, the general rate, share floors,
    whether a condition compares the entry instant (then the epoch matters too), the comparisons of
    amounts (content shares and the customs value against a threshold: only their outcome matters, not the
    amounts, so lines with other values share one settlement), and whether a candidate excludes another
    (only then can the amounts leave a levy nothing to apply to). ``extra`` are conditions read for every
    query (those of the dutiable-value rules)."""
    names = set()
    shares = set()
    for conditions in [v.when + v.unless for v in versions] + [extra]:
        for condition in conditions:
            for compare in leaves(condition):
                if compare.op.startswith("share") or compare.fact == "value":
                    shares.add(compare)
                else:
                    names |= facts_used(compare)
    uses_entered = "entered" in names
    names.discard("entered")  # constant within an epoch: its instants are change points
    uses_mfn = any(v.rate.all_in for v in versions)
    floors = tuple(sorted({floor for v in versions for floor in v.base.min_share}))
    excluding = any(v.excludes for v in versions)
    return (tuple(sorted(names)), uses_mfn, floors, uses_entered,
            tuple(sorted(shares, key=lambda c: (c.fact, c.plus, c.op, c.operand))), excluding)


def _settle_order(live, edges: dict) -> dict[str, int]:
    """Kahn's algorithm over relations among versions in force (a levy after those it applies with);
    ties by id, so the order is fixed."""
    targets: dict[str, set[str]] = {v.levy_id: set() for v in live}
    for v in live:
        for earlier, later, _ in edges[id(v)]:
            if earlier in targets and later in targets:
                targets[earlier].add(later)
    indegree = {levy_id: 0 for levy_id in targets}
    for levy_id, outs in targets.items():
        for t in outs:
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
        self.declared = {f.name: f for f in rules.info.facts}
        self._views: dict[int, _View] = {}
        self._memo: dict = {}
        #: what columnar batches (tariffrules.table) learn, per allow_stale: codes, dates and origins placed,
        #: and group plans (the broadcast form of one resolution of a memo key); kept like the memo, so
        #: later batches on this rule set reuse it
        self.tables: dict = {}
        self._lock = threading.Lock()

    def view(self, as_of) -> tuple[int, _View]:
        # slot -1: no as-of instant (everything known but rulings, see visible_versions)
        slot = -1 if as_of is None else bisect.bisect_right(self.known_instants, as_of)
        view = self._views.get(slot)
        if view is None:
            with self._lock:
                view = self._views.get(slot)
                if view is None:
                    probe = None if slot == -1 else (
                        self.known_instants[slot - 1] if slot else self.known_instants[0].replace(year=1))
                    view = _View(self.rules, probe)
                    self._views[slot] = view
        return slot, view

    def resolve(self, query: Query) -> Resolution:
        split = self.rules.reader.split.get(query.code)  # an 8-digit code whose lines differ: tariffrules.schedule
        if split is not None:
            return split.resolve(self.resolve, query, self.rules.info.schedule)
        slot, view = self.view(query.as_of)
        position = bisect.bisect_right(view.point_keys, query.entered_key)
        sig = view.signature(query.code, self._lock)
        candidates, spec, token = view.candidates(sig, position, query.origin)
        # The answer depends on the candidates and the facts that matter, not on which code, origin or
        # epoch produced them; the epoch only counts when a condition compares the entry instant.
        key = (token, slot, position if spec[3] else -1, view.facts_key(query, spec, self.declared))
        found = self._memo.get(key)
        if found is None:
            try:
                applied, settled, read, general = self._settle(candidates, view.epochs[position], query)
                found = (applied, settled, tuple(sorted(applied.values(), key=reporting_order)), read, general)
            except TariffRulesError as error:  # a typed error is the answer for its key too: memoised alike
                found = error
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        if type(found) is not tuple:
            raise found.with_traceback(None)  # the stored error, without the tracebacks of earlier raises
        applied, settled, levies, read, general = found
        warnings = view.day_warnings(query.entered) if query.bare_date else ()
        return self.rules.finish(query, applied, settled, levies, warnings, read, general)

    def _settle(self, candidates: tuple, epoch: _Epoch, query: Query):
        lookup = self.rules.lookup_for(query)
        live = [v for v in candidates if screen(v, query, lookup, epoch.suspensions, goods_checked=True) is None]
        live.sort(key=lambda v: epoch.order[v.levy_id])
        content = query.content_map
        cuts = holding(self.rules.info.dutiable, lookup)
        # levy id -> [version, base, remaining portion, parts taken, replacers]
        state = {}
        for v in live:
            base, cut = cuts.base(v.levy_id, v.base.portion(query.value, content))
            state[v.levy_id] = [v, base, base, list(cut), []]
        applied = {}
        settled = {}
        for v in live:
            _, base, portion, parts, replacers = state[v.levy_id]
            if replacers:
                settled[v.levy_id] = settled_skip(v, "replaced", min(replacers))
                continue
            if v.applies_with and not v.applies_with & applied.keys():
                settled[v.levy_id] = unaccompanied(v)
                continue
            if portion.nothing_left(base, query.value, content):
                settled[v.levy_id] = settled_skip(v, "excluded", ", ".join(sorted(p[0] for p in parts)))
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
        return applied, settled, tuple(sorted(lookup.read)), cuts.general



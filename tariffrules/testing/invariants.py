"""Invariants every rule set must satisfy, checked on generated queries.

:func:`check_rule_set` is the one call a user needs::

    def test_my_rules():
        check_rule_set(tariffrules.load("my_rules"), max_examples=200)

Each invariant is a function ``(rules, case, resolution, context)`` that
raises :class:`InvariantViolation` with the query and the auditor's
explanation, so a failure shrunk by Hypothesis reads like a bug report.
"""

from __future__ import annotations

import datetime as _dt
import json
import random
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import attrs
from hypothesis import given, settings as _settings

from .. import reference
from ..declarations import violations as declaration_violations
from ..errors import TariffRulesError
from ..loader import load
from ..model import visible_versions
from ..periods import micros
from ..rates import CENT, HUNDRED, round_money
from ..result import REASONS, Resolution
from ..ruleset import RuleSet
from .strategies import QueryCase, queries
from .toml_text import dumps

__all__ = ["InvariantViolation", "Context", "INVARIANTS", "check_rule_set", "check_case", "shuffled_rules",
           "shuffled_folder"]

_ONE = _dt.timedelta(microseconds=1)


class InvariantViolation(AssertionError):
    """A rule set broke an invariant for one query; the message holds the query and the explanation."""

    def __init__(self, invariant: str, problem: str, case: Any, resolution: Resolution | None = None) -> None:
        self.invariant = invariant
        self.case = case
        text = f"invariant {invariant!r} broken: {problem}\n  query: {case!r}"
        if resolution is not None:
            try:
                explained = resolution.explain()
            except Exception as exc:  # the explanation itself may be what is broken
                explained = f"(explain() raised {type(exc).__name__}: {exc})"
            text += "\n" + "\n".join("  | " + line for line in explained.splitlines())
        super().__init__(text)


@attrs.frozen(kw_only=True)
class Context:
    """What the invariants compare against: copies of the rule set with levies in another order."""

    shuffled: tuple[RuleSet, ...] = ()


def _skipped_set(resolution: Resolution) -> set[tuple]:
    return {(s.id, s.reason, s.by) for s in resolution.skipped}


def differential(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """The compiled engine and the reference resolver give equal resolutions (and equal skipped lists)."""
    query = resolution.query
    try:
        expected = reference.resolve(rules, query)
    except TariffRulesError as exc:
        raise InvariantViolation("differential", f"reference raised {type(exc).__name__}: {exc}; "
                                 "the engine answered", case, resolution) from None
    if expected != resolution:
        raise InvariantViolation("differential", "engine and reference disagree:\n  reference applies "
                                 f"{[(l.id, str(l.rate), l.base) for l in expected.levies]}\n  engine applies "
                                 f"{[(l.id, str(l.rate), l.base) for l in resolution.levies]}", case, resolution)
    if _skipped_set(expected) != _skipped_set(resolution):
        raise InvariantViolation("differential", f"skipped lists differ: reference "
                                 f"{sorted(_skipped_set(expected) - _skipped_set(resolution))}, engine "
                                 f"{sorted(_skipped_set(resolution) - _skipped_set(expected))}", case, resolution)


def _reasons(resolution: Resolution) -> set[tuple]:
    """Skipped levies with reason and cause."""
    return {(s.id, s.reason, s.by) for s in resolution.skipped}


def order_independence(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """The same rules with levies, suspensions or files in another order give the same answer, down to
    the cause named for each skipped levy (of several suspensions in force, the one with the smallest id)."""
    for index, other in enumerate(context.shuffled):
        answer = other.resolve_query(resolution.query)
        if answer.levies != resolution.levies:
            raise InvariantViolation("order_independence", f"shuffled copy #{index} applies "
                                     f"{[(l.id, str(l.rate), l.base) for l in answer.levies]} instead of "
                                     f"{[(l.id, str(l.rate), l.base) for l in resolution.levies]}", case, resolution)
        if _reasons(answer) != _reasons(resolution):
            raise InvariantViolation("order_independence", f"shuffled copy #{index} skips "
                                     f"{sorted(_reasons(answer) - _reasons(resolution), key=str)} instead of "
                                     f"{sorted(_reasons(resolution) - _reasons(answer), key=str)}",
                                     case, resolution)


def constancy(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """Between two consecutive change points the answer does not change: compare with both ends of the epoch."""
    query = resolution.query
    points = rules.change_points(query.as_of)
    start, stop = rules.info.horizon_start, rules.info.stale_from
    t = query.entered
    before = [p for p in points if p <= t]
    after = [p for p in points if p > t]
    first = max(before[-1] if before else start, start)
    last = min(after[0] if after else stop, stop) - _ONE
    for other in {first, last} - {t}:
        if not start <= other < stop:
            continue
        moved = attrs.evolve(query, entered=other, entered_key=micros(other), bare_date=False)
        answer = rules.resolve_query(moved)
        if answer.levies != resolution.levies:
            raise InvariantViolation("constancy", f"at {other.isoformat()}, in the same epoch as "
                                     f"{t.isoformat()}, the engine applies {[l.id for l in answer.levies]}",
                                     case, resolution)


def _version(rules: RuleSet, levy_id: str, label: str):
    return next(v for v in rules.get(levy_id).versions if v.label == label)


def suspended_never_apply(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """No applied levy is named, for this origin, by a suspension in force (as known at ``as_of``)."""
    query = resolution.query
    for suspension in rules.suspensions:
        for version in visible_versions(suspension.versions, query.as_of):
            if not version.period.contains(query.entered):
                continue
            for levy in resolution.levies:
                if version.suspends(levy.id, query.origin):
                    raise InvariantViolation("suspended_never_apply", f"{levy.id} applies although "
                                             f"{suspension.id} (version {version.label}) suspends it",
                                             case, resolution)


def relations_respected(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """A levy that applies removes those it replaces, and shares no part of the value with those it excludes."""
    applied = {levy.id: levy for levy in resolution.levies}
    for levy in resolution.levies:
        version = _version(rules, levy.id, levy.version)
        for other in version.replaces & applied.keys():
            raise InvariantViolation("relations_respected", f"{levy.id} replaces {other}, yet both apply",
                                     case, resolution)
        for other in version.excludes & applied.keys():
            theirs = applied[other].portion
            if theirs.minus(levy.portion) != theirs:
                raise InvariantViolation("relations_respected", f"{levy.id} excludes {other}, yet both apply to "
                                         f"the {levy.portion.minus(levy.portion.minus(theirs)).describe()}",
                                         case, resolution)


def _unreduced(rules: RuleSet, levy, query) -> Decimal | None:
    base = _version(rules, levy.id, levy.version).base.portion(query.value, query.content_map)
    return base.amount(query.value, query.content_map)


def money_bounds(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """Rates are not negative; duty is between 0 and the sum of rate times unreduced base; on full-value
    bases the total rate is the sum of the rates and the duty is that rate on the value, to the cent per levy."""
    query = resolution.query
    if any(levy.rate < 0 for levy in resolution.levies):
        raise InvariantViolation("money_bounds", "a negative rate applies", case, resolution)
    whole = all(levy.portion.is_whole for levy in resolution.levies)
    if whole:
        total = sum((levy.rate for levy in resolution.levies), Decimal(0))
        if resolution.rate != total:
            raise InvariantViolation("money_bounds", f"total rate {resolution.rate} is not the sum of the "
                                     f"full-value rates {total}", case, resolution)
    if query.value is None:
        return
    amounts = [_unreduced(rules, levy, query) for levy in resolution.levies]
    reduced = [levy.base_amount(query.value, query.content_map) for levy in resolution.levies]
    if any(a is None for a in amounts + reduced):
        return  # a part of the value the query does not give: the duty raises MissingFactError, as documented
    duty = resolution.duty()
    ceiling = sum((levy.rate * amount / HUNDRED for levy, amount in zip(resolution.levies, amounts)), Decimal(0))
    slack = CENT / 2 * sum(len(line.levies) for line in resolution.lines)  # rounded per levy per entry line
    if duty < 0 or duty > ceiling + slack:
        raise InvariantViolation("money_bounds", f"duty {duty} outside [0, {ceiling}] (sum of rate times base)",
                                 case, resolution)
    if whole:
        exact = resolution.rate * query.value / HUNDRED
        if abs(duty - exact) > slack:
            raise InvariantViolation("money_bounds", f"duty {duty} is not the total rate {resolution.rate}% of "
                                     f"{query.value} ({exact}) to the cent per levy", case, resolution)
        if duty != sum((round_money(levy.rate * query.value / HUNDRED) for levy in resolution.levies), Decimal(0)):
            raise InvariantViolation("money_bounds", "duty is not the sum of the per-levy amounts", case, resolution)


def json_round_trip(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """``to_dict()`` survives ``json.dumps``/``json.loads`` unchanged and names the query's code and origin."""
    data = resolution.to_dict()
    try:
        again = json.loads(json.dumps(data))
    except (TypeError, ValueError) as exc:
        raise InvariantViolation("json_round_trip", f"to_dict() is not JSON: {exc}", case, resolution) from None
    if again != data:
        raise InvariantViolation("json_round_trip", "to_dict() changes through JSON", case, resolution)
    if again["query"]["hts"] != resolution.query.code or again["query"]["origin"] != resolution.query.origin:
        raise InvariantViolation("json_round_trip", "to_dict() lost the query", case, resolution)
    if [levy["id"] for levy in again["levies"]] != [levy.id for levy in resolution.levies]:
        raise InvariantViolation("json_round_trip", "to_dict() lost the applied levies", case, resolution)


def every_levy_accounted(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """Each levy of the rule set is applied or skipped, exactly once, with a known reason and its cause."""
    applied = [levy.id for levy in resolution.levies]
    skipped = [s.id for s in resolution.skipped]
    every = sorted(levy.id for levy in rules.levies)
    if sorted(applied + skipped) != every:
        missing = sorted(set(every) - set(applied) - set(skipped))
        twice = sorted({i for i in applied + skipped if (applied + skipped).count(i) > 1})
        raise InvariantViolation("every_levy_accounted", f"missing {missing}, listed twice {twice}", case,
                                 resolution)
    # a levy on a zero base is on no entry line, so skipped (``zero_base``), but its relations stand: it may be the cause
    zero = {s.id for s in resolution.skipped if s.reason == "zero_base"}
    for s in resolution.skipped:
        if s.reason not in REASONS:
            raise InvariantViolation("every_levy_accounted", f"{s.id}: unknown reason {s.reason!r}", case, resolution)
        if s.reason in ("suspended", "replaced", "excluded"):
            causes = [c.strip() for c in (s.by or "").split(",") if c.strip()]
            if not causes or any(c not in applied and c not in zero and not _is_suspension(rules, c) for c in causes):
                raise InvariantViolation("every_levy_accounted", f"{s.id} is {s.reason} by {s.by!r}, which is not "
                                         "an applied levy or a suspension", case, resolution)
    text = resolution.explain()
    for levy_id in applied:
        if levy_id not in text:
            raise InvariantViolation("every_levy_accounted", f"explain() does not name {levy_id}", case, resolution)


def declarations(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """Each entry line carries exactly one heading of each declaration group in force for it
    (:mod:`tariffrules.declarations`; CSMS #64649265)."""
    found = declaration_violations(rules, resolution)
    if found:
        raise InvariantViolation("declarations", "; ".join(v.describe() for v in found), case, resolution)


def entry_lines(rules: RuleSet, case: QueryCase, resolution: Resolution, context: Context) -> None:
    """The entry lines split the value: their values add up to it, no line is worth 0 unless the value is,
    every applied levy is on some line (one on a zero base is not applied), and the chapter 99 duty is the sum
    of the lines' duties."""
    query = resolution.query
    lines = resolution.lines
    if not lines or [line.number for line in lines] != list(range(1, len(lines) + 1)):
        raise InvariantViolation("entry_lines", "lines are not numbered 1..n", case, resolution)
    on_lines = {levy.id for line in lines for levy in line.levies}
    for levy in resolution.levies:  # a levy on a zero base is skipped (zero_base), so every applied one is on a line
        if levy.id not in on_lines:
            raise InvariantViolation("entry_lines", f"{levy.id} applies but is on no line", case, resolution)
    values = [line.value for line in lines]
    if query.value is None or None in values:
        return
    if sum(values, Decimal(0)) != query.value:
        raise InvariantViolation("entry_lines", f"line values {values} do not add up to {query.value}",
                                 case, resolution)
    if len(lines) > 1 and 0 in values:
        raise InvariantViolation("entry_lines", f"a line worth 0 among {values}", case, resolution)
    duties = sum((line.additional_duty for line in lines), Decimal(0))
    if duties != resolution.duty():
        raise InvariantViolation("entry_lines", f"lines add up to {duties}, duty() is {resolution.duty()}",
                                 case, resolution)


def _is_suspension(rules: RuleSet, item: str) -> bool:
    return any(s.id == item for s in rules.suspensions)


Invariant = Callable[[RuleSet, QueryCase, Resolution, Context], None]

#: name -> check, in the order they run (cheap and fundamental first)
INVARIANTS: Mapping[str, Invariant] = {
    "every_levy_accounted": every_levy_accounted,
    "suspended_never_apply": suspended_never_apply,
    "relations_respected": relations_respected,
    "money_bounds": money_bounds,
    "json_round_trip": json_round_trip,
    "entry_lines": entry_lines,
    "declarations": declarations,
    "differential": differential,
    "order_independence": order_independence,
    "constancy": constancy,
}


def shuffled_rules(rules: RuleSet, seed: int) -> RuleSet:
    """The same loaded rules with levies and suspensions in another order (a fresh engine)."""
    rnd = random.Random(seed)
    levies = list(rules.levies)
    suspensions = list(rules.suspensions)
    rnd.shuffle(levies)
    rnd.shuffle(suspensions)
    return attrs.evolve(rules, levies=tuple(levies), suspensions=tuple(suspensions))


def shuffled_folder(source: str | Path, target: str | Path, seed: int) -> Path:
    """Copy a rule folder with its TOML files renamed into another order and their levies reordered.

    Files are re-written from their parsed form, so comments are lost;
    side files (lists, tables) are copied as they are.
    """
    import tomllib

    rnd = random.Random(seed)
    source, target = Path(source), Path(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.toml"))
    names = sorted(p.name for p in source.glob("*.toml"))
    order = names[:]
    rnd.shuffle(order)
    for index, name in enumerate(order):  # side files are named relative to the folder: renaming is safe
        doc = tomllib.loads((source / name).read_text(encoding="utf-8"))
        for key in ("levy", "suspension"):
            if isinstance(doc.get(key), list):
                rnd.shuffle(doc[key])
        (target / f"{index:03d}_{name}").write_text(dumps(doc), encoding="utf-8")
    return target


def _context(rules: RuleSet, shuffles: int, reload: bool) -> Context:
    copies = [shuffled_rules(rules, seed) for seed in range(1, shuffles + 1)]
    if reload and Path(rules.origin).is_dir():
        with tempfile.TemporaryDirectory(prefix="tariffrules-shuffled-") as tmp:
            copies.append(load(shuffled_folder(rules.origin, Path(tmp) / "rules", seed=0)))
    return Context(shuffled=tuple(copies))


def check_case(rules: RuleSet, case: QueryCase, *, context: Context | None = None,
               invariants: Iterable[str] | None = None) -> Resolution | TariffRulesError:
    """Resolve one case and check the chosen invariants (default: all); return the resolution.

    If the engine raises a :class:`TariffRulesError` (an all-in rate with no
    general rate raises ``MissingFactError``), the reference resolver must
    raise the same type about the same argument; the error is returned.
    """
    context = context or Context()
    query = case.query(rules)
    try:
        resolution = rules.resolve_query(query)
    except TariffRulesError as exc:
        try:
            reference.resolve(rules, query)
        except TariffRulesError as ref_exc:
            # the same error about the same argument; which of several all-in levies it names may differ
            if type(ref_exc) is type(exc) and getattr(ref_exc, "argument", None) == getattr(exc, "argument", None):
                return exc
            raise InvariantViolation("differential", f"engine raised {exc!r}, reference {ref_exc!r}", case) from None
        raise InvariantViolation("differential", f"engine raised {exc!r}; the reference answered", case) from None
    for name in (INVARIANTS if invariants is None else invariants):
        INVARIANTS[name](rules, case, resolution, context)
    return resolution


def check_rule_set(rules: RuleSet, *, max_examples: int | None = None, strategy: Any = None,
                   invariants: Sequence[str] | None = None, shuffles: int = 2, reload: bool = True,
                   settings: _settings | None = None) -> None:
    """Check every invariant on generated queries; raise :class:`InvariantViolation` for the simplest failure.

    ``max_examples`` defaults to the current Hypothesis profile's; ``settings``
    replaces the profile (the default turns the deadline off).
    ``strategy`` replaces the default :func:`~tariffrules.testing.queries`.
    ``invariants`` names a subset of :data:`INVARIANTS`. ``shuffles``
    copies with levies in another order are compared; ``reload`` also loads
    a copy of the rule folder with files renamed and levies reordered.
    """
    unknown = sorted(set(invariants or ()) - set(INVARIANTS))
    if unknown:
        raise ValueError(f"unknown invariant(s) {unknown}; choose among {sorted(INVARIANTS)}")
    context = _context(rules, shuffles, reload)
    # the first queries compile the engine's index for each copy: a deadline would call that a failure
    base = settings or _settings(deadline=None)
    if max_examples is not None:
        base = _settings(base, max_examples=max_examples)
    cases = strategy if strategy is not None else queries(rules)

    @base
    @given(case=cases)
    def check(case: QueryCase) -> None:
        check_case(rules, case, context=context, invariants=invariants)

    # Keep each rule set's saved failures apart in Hypothesis's example database (the same hook
    # Hypothesis uses for its stateful tests); without it every call shares one key.
    try:
        check.hypothesis.inner_test._hypothesis_internal_add_digest = (
            f"{rules.info.name}|{rules.origin}|{sorted(invariants or INVARIANTS)}".encode())
    except AttributeError:  # pragma: no cover - a Hypothesis without the hook: one shared key
        pass
    check()

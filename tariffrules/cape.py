"""A refund process as data: which entries it accepts, why it rejects the others, and what route remains.

A process file (TOML, e.g. ``data/us/refunds/cape.toml``) holds:

* ``[process]``: ``id``, ``title``, ``citation``, ``route`` (the route id of an
  accepted entry), ``rulings`` (ids or patterns of the rulings whose levies'
  duties it refunds), optional ``opens`` (instant) and ``note``.
* ``[declaration]``: the file a filer uploads: ``header`` (first row),
  ``max_entries`` (per file), ``entry_number`` (a regular expression a
  normalised entry number must match), ``strip`` (characters removed from an
  entry number before matching) and ``citation``.
* ``[interest]`` and ``[rounding]``: ``computed`` (bool), ``text`` and
  ``citation``: what the sources say, and whether this library computes it.
* ``[facts.NAME]``: the entry facts the validations read, each with ``type``
  (``bool``, ``text``, ``decimal``, ``instant``), optional ``default`` (then
  reported as assumed when not given), ``choices`` (text values allowed) and
  ``description``. The facts of :data:`COMPUTED_FACTS` are computed by the
  report, not read: whether the entry declares a heading of a levy a ruling of
  the process names (``declares_ruled_levy_heading``), whether its entry date is
  in that ruling's period (``entry_in_ruling_period``), whether the ruling is
  known at the report's ``now`` (``ruling_known``), all three together
  (``declares_ruled_heading``), the whole days from the liquidation date to the
  declaration day (``days_past_liquidation``), whether the declaration day is on
  or after ``[process] opens`` (``process_open``) and the declaration day
  itself, as the instant it starts (``declared_on``), the whole days from the
  entry date to the declaration day (``days_since_entry``), whether a
  liquidation date is given (``liquidation_date_given``) and whether a line of
  the entry has a per-heading difference no ruling explains
  (``other_difference``).
* ``[[check]]``: ``id``, ``text``, ``citation``, ``when``: facts that cannot
  hold together (a liquidation after the declaration day, say). An entry whose
  facts meet a check's conditions is undecided, with the check's text as the
  reason; no validation is run on it.
* ``[[validation]]``: ``id``, ``reject`` (the reason), ``citation``, ``when``
  (conditions, as in rule files; the entry is rejected when all hold) and
  ``routes`` (route ids tried in order for a rejected entry).
* ``[[route]]``: ``id``, ``title``, ``citation``, optional ``when`` and
  ``details``: a list of ``{ when = [...], text = "...", citation = "..." }``
  tried in order; the first whose conditions hold is added to the route's
  title (what happens next for this entry, e.g. when it liquidates). A detail
  whose conditions cannot be decided stops the search: no detail is claimed
  on a guess. Optional ``deadline = { after = FACT, days = N, text = "..." }``
  adds ``text`` and the date ``N`` days after the instant fact ``FACT``
  (e.g. the last day to protest) when that fact is given.
* ``[[advice]]``: ``id``, ``text``, ``citation``, ``when``, ``routes``: said
  (in :attr:`EntryDecision.advice`) on an entry whose route is one of
  ``routes`` and whose facts meet ``when`` (e.g. correct other errors before
  declaring).

Conditions are read three-valued: a fact neither given nor defaulted makes a
test *unknown*, and an entry whose decision hangs on an unknown test is
undecided, with the facts it needs named. Nothing here names a country,
programme or court: those are in the data.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Mapping

import attrs

from .conditions import AllOf, AnyOf, Compare, Condition, FactSpec, facts_used
from .errors import InvalidFactError, RuleFileError
from .query import yes_no
from .fields import Where, read_conditions, read_instant
from .periods import instant_from_query

__all__ = ["RefundProcess", "Validation", "Route", "RouteDetail", "Deadline", "Check", "Advice", "EntryDecision",
           "load_process",
           "COMPUTED_FACTS", "COMPUTED_FROM"]

#: facts the report computes for each entry: (name, type, the input column a user gives for it, description)
_COMPUTED = (
    ("declares_ruled_levy_heading", "bool", "declared",
     "a line of the entry declares, with duty, a heading of a levy a ruling of the process names"),
    ("entry_in_ruling_period", "bool", "entry_date",
     "the entry date is in the entries period of a ruling naming a levy whose heading is declared"),
    ("ruling_known", "bool", "now", "that ruling is known at the report's 'now'"),
    ("declares_ruled_heading", "bool", "declared",
     "a line declares a heading of a levy that a ruling known 'now' holds not owed for the entry"),
    ("days_past_liquidation", "decimal", "liquidation_date",
     "whole days from the liquidation date to the declaration day"),
    ("process_open", "bool", "on", "the declaration day is on or after the day the process opens"),
    ("declared_on", "instant", "on", "the declaration day (the report's 'on'), as the instant it starts"),
    ("days_since_entry", "decimal", "entry_date", "whole days from the entry date to the declaration day"),
    ("liquidation_date_given", "bool", "liquidation_date", "a liquidation date is given for the entry"),
    ("other_difference", "bool", "declared",
     "a line of the entry declares a heading with an amount that differs from the duty owed now, for a reason "
     "no ruling explains"),
)
#: the computed facts (see the module docstring)
COMPUTED_FACTS = {name: FactSpec(name=name, type=kind, description=text) for name, kind, _, text in _COMPUTED}
#: the input a user gives for each computed fact (messages name it, not the fact)
COMPUTED_FROM = {name: column for name, _, column, _ in _COMPUTED}
_TOP = {"process", "declaration", "interest", "rounding", "facts", "validation", "route", "check", "advice"}
UNKNOWN = None  # the third truth value


@attrs.frozen(kw_only=True)
class Validation:
    """One reason the process rejects an entry: rejected when every condition in ``when`` holds."""

    id: str
    reject: str
    citation: str
    when: tuple[Condition, ...]
    routes: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Check:
    """Entry facts that cannot hold together: an entry meeting every condition in ``when`` is undecided."""

    id: str
    text: str
    citation: str
    when: tuple[Condition, ...]


@attrs.frozen(kw_only=True)
class Advice:
    """What to do besides the route, for an entry whose route is in ``routes`` and whose facts meet ``when``."""

    id: str
    text: str
    citation: str
    when: tuple[Condition, ...]
    routes: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Deadline:
    """The last day of a route: ``days`` whole days after the instant fact ``after``, announced by ``text``."""

    after: str
    days: int
    text: str

    def describe(self, lookup: Callable[[str], Any]) -> str | None:
        start = lookup(self.after)
        if start is None:
            return None
        return f"{self.text} {(start.date() + _dt.timedelta(days=self.days)).isoformat()}"


@attrs.frozen(kw_only=True)
class Route:
    """A way to recover (or not) what was paid: taken when every condition in ``when`` holds."""

    id: str
    title: str
    citation: str
    when: tuple[Condition, ...] = ()
    details: tuple["RouteDetail", ...] = ()
    deadline: Deadline | None = None

    def described(self, lookup: Callable[[str], Any]) -> tuple[str, str]:
        """(title, citation) with the first detail that holds for the entry; none claimed on an unknown test.

        The deadline, if the route has one and its fact is given, ends the title.
        """
        title, citation = self.title, self.citation
        for detail in self.details:
            verdict = _all(detail.when, lookup)
            if verdict is True:
                title, citation = f"{self.title}; {detail.text}", f"{self.citation}; {detail.citation}"
                break
            if verdict is UNKNOWN:
                break
        last_day = self.deadline.describe(lookup) if self.deadline else None
        return (f"{title}; {last_day}" if last_day else title), citation


@attrs.frozen(kw_only=True)
class RouteDetail:
    """What happens next on a route for entries whose facts meet ``when`` (from the process's source)."""

    when: tuple[Condition, ...]
    text: str
    citation: str


@attrs.frozen(kw_only=True)
class Statement:
    """What a source says about interest or rounding, and whether this library computes it."""

    computed: bool
    text: str
    citation: str


@attrs.frozen(kw_only=True)
class EntryDecision:
    """Whether an entry goes on a declaration, else why not and what route remains.

    ``route`` is a route id, or ``None`` when undecided (then ``needs`` names
    the facts that would decide it). ``reasons`` are the rejections, each
    "reject text [citation]" (or, for an entry whose facts contradict each
    other, the process's check text); ``assumed`` the facts taken from their
    default; ``advice`` what else to do (see ``[[advice]]``).
    """

    accepted: bool | None
    route: str | None
    route_title: str
    source: str
    reasons: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    assumed: tuple[str, ...] = ()
    #: what to do besides the route ("text [citation]"), from the process's [[advice]]
    advice: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class RefundProcess:
    """A loaded process file (see the module docstring)."""

    id: str
    title: str
    citation: str
    route: str
    rulings: tuple[str, ...]
    opens: _dt.datetime | None
    header: str
    max_entries: int
    entry_number: str
    strip: str
    declaration_citation: str
    entry_number_form: str
    entry_number_citation: str
    interest: Statement
    rounding: Statement
    facts: tuple[FactSpec, ...]
    choices: tuple[tuple[str, tuple[str, ...]], ...]
    validations: tuple[Validation, ...]
    routes: tuple[Route, ...]
    source: str
    checks: tuple[Check, ...] = ()
    advice: tuple[Advice, ...] = ()

    def fact_spec(self, name: str) -> FactSpec | None:
        return next((f for f in self.facts if f.name == name), None)

    def route_named(self, route_id: str) -> Route:
        return next(r for r in self.routes if r.id == route_id)

    def entry_facts(self, cells: Mapping[str, Any],
                    to_instant: Callable[[_dt.date], _dt.datetime]) -> dict[str, Any]:
        """The process's facts from an entry's text cells (empty cells: not given), typed and checked.

        Raises :class:`InvalidFactError` for a value that is not of the fact's
        type or not among its choices.
        """
        out: dict[str, Any] = {}
        choices = dict(self.choices)
        for spec in self.facts:
            if spec.name in COMPUTED_FACTS:
                continue
            raw = cells.get(spec.name)
            text = "" if raw is None else str(raw).strip()
            if not text:
                continue
            out[spec.name] = _typed(spec, text, choices.get(spec.name), to_instant)
        return out

    def normalise_entry_number(self, text: str) -> str:
        """The entry number as the declaration file carries it; :class:`InvalidFactError` if malformed."""
        number = "".join(c for c in str(text).strip().upper() if c not in self.strip)
        if not re.fullmatch(self.entry_number, number):
            raise InvalidFactError("entry_number", text, f"is not an entry number: {self.entry_number_form} "
                                   f"({self.entry_number_citation})",
                                   "the entry number as on the entry summary, e.g. ABC-1234567-8")
        return number

    def decide(self, facts: Mapping[str, Any]) -> EntryDecision:
        """Accept or reject one entry from its facts (given, computed; defaults are applied here)."""
        assumed = []
        values = dict(facts)
        for spec in self.facts:
            if values.get(spec.name) is None and spec.default is not None:
                values[spec.name] = spec.default
                assumed.append(f"{spec.name}={_show(spec.default)}")
        lookup = values.get
        failed = [f"{check.text} [{check.citation}]" for check in self.checks if _all(check.when, lookup) is True]
        if failed:
            return EntryDecision(accepted=None, route=None, route_title="undecided", source=self.citation,
                                 reasons=tuple(failed), assumed=tuple(assumed))
        decision = self._decide(lookup, assumed)
        advice = tuple(f"{a.text} [{a.citation}]" for a in self.advice
                       if decision.route in a.routes and _all(a.when, lookup) is True)
        return attrs.evolve(decision, advice=advice) if advice else decision

    def _decide(self, lookup: Callable[[str], Any], assumed: list[str]) -> EntryDecision:
        reasons, routes, needs = [], [], set()
        for validation in self.validations:
            verdict = _all(validation.when, lookup)
            if verdict is True:
                reasons.append(f"{validation.reject} [{validation.citation}]")
                routes.append(validation.routes)
            elif verdict is UNKNOWN:
                needs |= _missing(validation.when, lookup)
        if not reasons:
            if needs:
                return EntryDecision(accepted=None, route=None, route_title="undecided",
                                     source=self.citation, needs=tuple(sorted(needs)), assumed=tuple(assumed))
            accepted = self.route_named(self.route)
            title, citation = accepted.described(lookup)
            return EntryDecision(accepted=True, route=accepted.id, route_title=title,
                                 source=f"{self.citation}; {citation}", assumed=tuple(assumed))
        for candidates in routes:  # the first rejection's routes, in order; the first that holds is taken
            for route_id in candidates:
                route = self.route_named(route_id)
                verdict = _all(route.when, lookup)
                if verdict is True:
                    title, citation = route.described(lookup)
                    return EntryDecision(accepted=False, route=route.id, route_title=title,
                                         source=citation, reasons=tuple(reasons), assumed=tuple(assumed))
                if verdict is UNKNOWN:
                    return EntryDecision(accepted=False, route=None, route_title="undecided",
                                         source=route.citation, reasons=tuple(reasons),
                                         needs=tuple(sorted(_missing(route.when, lookup))), assumed=tuple(assumed))
        return EntryDecision(accepted=False, route=None, route_title="no route in the process data",
                             source=self.citation, reasons=tuple(reasons), assumed=tuple(assumed))


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _typed(spec: FactSpec, text: str, choices: tuple[str, ...] | None,
           to_instant: Callable[[_dt.date], _dt.datetime] | None = None) -> Any:
    if spec.type == "bool":  # the yes/no words of every input (tariffrules.query.yes_no)
        return yes_no(spec.name, text)
    if spec.type == "decimal":
        try:
            return Decimal(text)
        except InvalidOperation:
            raise InvalidFactError(spec.name, text, "is not a decimal number", "e.g. 12.5") from None
    if spec.type == "instant":
        if to_instant is None:
            raise InvalidFactError(spec.name, text, "an instant cannot be a default", "no default")
        return instant_from_query(text, to_instant, spec.name)[0]
    value = text.lower().replace(" ", "_")
    if choices and value not in choices:
        raise InvalidFactError(spec.name, text, "is not one of the values the process knows",
                               ", ".join(choices))
    return value


def _test(condition: Condition, lookup: Callable[[str], Any]) -> bool | None:
    """Three-valued: True, False, or None when a fact it needs is missing."""
    if isinstance(condition, Compare):
        if all(lookup(name) is None for name in (condition.fact,) + condition.plus):
            return UNKNOWN
        return condition.holds(lookup)
    results = [_test(item, lookup) for item in condition.items]
    if isinstance(condition, AllOf):
        return _and(results)
    if isinstance(condition, AnyOf):
        if any(r is True for r in results):
            return True
        return UNKNOWN if any(r is UNKNOWN for r in results) else False
    raise AssertionError(condition)  # pragma: no cover


def _and(results: list) -> bool | None:
    if any(r is False for r in results):
        return False
    return UNKNOWN if any(r is UNKNOWN for r in results) else True


def _all(conditions: tuple[Condition, ...], lookup) -> bool | None:
    return _and([_test(c, lookup) for c in conditions])


def _missing(conditions: tuple[Condition, ...], lookup) -> set[str]:
    return {name for c in conditions for name in facts_used(c) if lookup(name) is None}


def load_process(path: str | Path, zone: _dt.tzinfo) -> RefundProcess:
    """Read a process file; :class:`RuleFileError` names the file, table and field of any problem."""
    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleFileError(f"cannot be read as TOML: {exc}", file=name) from None
    unknown = set(doc) - _TOP
    if unknown:
        raise RuleFileError(f"unknown top-level key(s) {sorted(unknown)}", file=name,
                            expected=", ".join(sorted(_TOP)))
    process = _table(name, doc, "process", {"id", "title", "citation", "route", "rulings", "opens", "note"},
                     {"id", "title", "citation", "route", "rulings"})
    declaration = _table(name, doc, "declaration", {"header", "max_entries", "entry_number", "strip", "citation",
                                                    "entry_number_form", "entry_number_citation"},
                         {"header", "max_entries", "entry_number", "citation"})
    where = Where(name, "declaration", kind="table")
    if not isinstance(declaration["max_entries"], int) or declaration["max_entries"] < 1:
        raise where.error("max_entries", "must be a whole number of at least 1", declaration["max_entries"])
    try:
        re.compile(declaration["entry_number"])
    except re.error as exc:
        raise where.error("entry_number", f"is not a regular expression: {exc}", declaration["entry_number"]) from None
    statements = {key: _statement(name, doc, key) for key in ("interest", "rounding")}
    facts, choices = _facts(name, doc.get("facts", {}))
    known = {**facts, **COMPUTED_FACTS}
    routes = tuple(_route(name, raw, known, zone) for raw in _array(name, doc, "route"))
    route_ids = {r.id for r in routes}
    if process["route"] not in route_ids:
        raise Where(name, "process", kind="table").error("route", "names no [[route]]", process["route"],
                                                         ", ".join(sorted(route_ids)))
    validations = tuple(_validation(name, raw, known, zone, route_ids) for raw in _array(name, doc, "validation"))
    checks = tuple(_check(name, raw, known, zone) for raw in _array(name, doc, "check"))
    advice = tuple(_advice(name, raw, known, zone, route_ids) for raw in _array(name, doc, "advice"))
    rulings = process["rulings"]
    if not isinstance(rulings, list) or not rulings or not all(isinstance(r, str) for r in rulings):
        raise Where(name, "process", kind="table").error("rulings", "must be a list of ruling ids or patterns",
                                                         rulings)
    opens = read_instant(Where(name, "process", kind="table"), "opens", process["opens"], zone) \
        if "opens" in process else None
    return RefundProcess(
        id=process["id"], title=process["title"], citation=process["citation"], route=process["route"],
        rulings=tuple(rulings), opens=opens, header=declaration["header"], max_entries=declaration["max_entries"],
        entry_number=declaration["entry_number"], strip=declaration.get("strip", ""),
        declaration_citation=declaration["citation"],
        entry_number_form=declaration.get("entry_number_form", f"it must match {declaration['entry_number']} "
                                          f"once {declaration.get('strip', '')!r} are removed"),
        entry_number_citation=declaration.get("entry_number_citation", declaration["citation"]),
        interest=statements["interest"],
        rounding=statements["rounding"], facts=tuple(facts.values()),
        choices=tuple(choices.items()), validations=validations, routes=routes, source=name, checks=checks,
        advice=advice)


def _table(name: str, doc: dict, key: str, allowed: set[str], required: set[str]) -> dict:
    raw = doc.get(key)
    where = Where(name, key, kind="table")
    if not isinstance(raw, dict):
        raise where.error(None, f"a [{key}] table is required")
    extra = sorted(set(raw) - allowed)
    if extra:
        raise where.error(extra[0], "unknown key", None, ", ".join(sorted(allowed)))
    for field in sorted(required):
        if field not in raw:
            raise where.error(field, "is required")
    return raw


def _array(name: str, doc: dict, key: str) -> list[dict]:
    items = doc.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise RuleFileError(f"must be an array of tables, written [[{key}]]", file=name, field=key)
    return items


def _statement(name: str, doc: dict, key: str) -> Statement:
    raw = _table(name, doc, key, {"computed", "text", "citation"}, {"computed", "text", "citation"})
    if not isinstance(raw["computed"], bool):
        raise Where(name, key, kind="table").error("computed", "must be true or false", raw["computed"])
    return Statement(computed=raw["computed"], text=raw["text"], citation=raw["citation"])


def _facts(name: str, raw: Any) -> tuple[dict[str, FactSpec], dict[str, tuple[str, ...]]]:
    if not isinstance(raw, dict):
        raise RuleFileError("must be a table of [facts.NAME] tables", file=name, field="facts")
    facts, choices = {}, {}
    for fact, spec in raw.items():
        where = Where(name, f"facts.{fact}", kind="table")
        if not isinstance(spec, dict) or set(spec) - {"type", "default", "choices", "description"}:
            raise where.error(None, "must be a table with type and optional default, choices, description", spec)
        if fact in COMPUTED_FACTS:
            raise where.error(None, "is computed by the report; do not declare it")
        kind = spec.get("type")
        if kind not in ("bool", "text", "decimal", "instant"):
            raise where.error("type", "must be bool, text, decimal or instant", kind)
        if "choices" in spec:
            if kind != "text" or not isinstance(spec["choices"], list) or not spec["choices"]:
                raise where.error("choices", "must be a non-empty list, on a text fact", spec["choices"])
            choices[fact] = tuple(str(c) for c in spec["choices"])
        default = spec.get("default")
        if default is not None:
            default = _typed(FactSpec(name=fact, type=kind), str(default), choices.get(fact))
        facts[fact] = FactSpec(name=fact, type=kind, default=default, description=spec.get("description", ""))
    return facts, choices


def _route(name: str, raw: dict, facts: dict, zone) -> Route:
    where = Where(name, raw.get("id"), kind="route")
    _keys(where, raw, {"id", "title", "citation", "when", "details", "deadline"}, {"id", "title", "citation"})
    details = raw.get("details", [])
    if not isinstance(details, list) or not all(isinstance(d, dict) for d in details):
        raise where.error("details", "must be a list of { when, text, citation } tables", details)
    read = []
    for item in details:
        if set(item) != {"when", "text", "citation"} or not all(isinstance(item[k], str) for k in ("text", "citation")):
            raise where.error("details", "each detail needs exactly when, text and citation", item,
                              '{ when = [ { fact = "liquidation_status", is = "liquidated" } ], text = "...", '
                              'citation = "..." }')
        when = read_conditions(where, "details", item["when"], facts, zone)
        if not when:
            raise where.error("details", "a detail needs at least one condition", item)
        read.append(RouteDetail(when=when, text=item["text"], citation=item["citation"]))
    return Route(id=raw["id"], title=raw["title"], citation=raw["citation"],
                 when=read_conditions(where, "when", raw.get("when", []), facts, zone), details=tuple(read),
                 deadline=_deadline(where, raw.get("deadline"), facts))


def _deadline(where: Where, raw: Any, facts: dict) -> Deadline | None:
    if raw is None:
        return None
    example = '{ after = "liquidation_date", days = 180, text = "last day to protest:" }'
    if not isinstance(raw, dict) or set(raw) != {"after", "days", "text"} or not isinstance(raw["text"], str):
        raise where.error("deadline", "needs exactly after, days and text", raw, example)
    spec = facts.get(raw["after"])
    if spec is None or spec.type != "instant":
        raise where.error("deadline", f"'after' must name an instant fact, not {raw['after']!r}", raw, example)
    if not isinstance(raw["days"], int) or isinstance(raw["days"], bool) or raw["days"] < 0:
        raise where.error("deadline", "'days' must be a whole number of days, 0 or more", raw, example)
    return Deadline(after=raw["after"], days=raw["days"], text=raw["text"])


def _check(name: str, raw: dict, facts: dict, zone) -> Check:
    where = Where(name, raw.get("id"), kind="check")
    _keys(where, raw, {"id", "text", "citation", "when"}, {"id", "text", "citation", "when"})
    return Check(id=raw["id"], text=raw["text"], citation=raw["citation"], when=_when(where, raw, facts, zone))


def _advice(name: str, raw: dict, facts: dict, zone, route_ids: set[str]) -> Advice:
    where = Where(name, raw.get("id"), kind="advice")
    _keys(where, raw, {"id", "text", "citation", "when", "routes"}, {"id", "text", "citation", "when", "routes"})
    return Advice(id=raw["id"], text=raw["text"], citation=raw["citation"], when=_when(where, raw, facts, zone),
                  routes=_routes(where, raw, route_ids))


def _validation(name: str, raw: dict, facts: dict, zone, route_ids: set[str]) -> Validation:
    where = Where(name, raw.get("id"), kind="validation")
    _keys(where, raw, {"id", "reject", "citation", "when", "routes"}, {"id", "reject", "citation", "when", "routes"})
    return Validation(id=raw["id"], reject=raw["reject"], citation=raw["citation"], when=_when(where, raw, facts, zone),
                      routes=_routes(where, raw, route_ids))


def _routes(where: Where, raw: dict, route_ids: set[str]) -> tuple[str, ...]:
    routes = raw["routes"]
    if not isinstance(routes, list) or not routes or any(r not in route_ids for r in routes):
        raise where.error("routes", "must list route ids defined in [[route]] tables", routes,
                          ", ".join(sorted(route_ids)))
    return tuple(routes)


def _when(where: Where, raw: dict, facts: dict, zone) -> tuple[Condition, ...]:
    when = read_conditions(where, "when", raw["when"], facts, zone)
    if not when:
        raise where.error("when", "needs at least one condition", raw["when"])
    return when


def _keys(where: Where, raw: dict, allowed: set[str], required: set[str]) -> None:
    extra = sorted(set(raw) - allowed)
    if extra:
        raise where.error(extra[0], "unknown key", None, ", ".join(sorted(allowed)))
    for field in sorted(required):
        if field not in raw:
            raise where.error(field, "is required")

"""A normalised query: the code, origin, entry instant and facts, checked once at the door.

Everything a resolver reads comes from a :class:`Query`, so a malformed
argument fails before any rule is looked at, with an error naming it.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from collections.abc import Mapping
from typing import Any, Callable

import attrs

from .conditions import FactSpec
from .errors import BeforeKnownError, HorizonError, InvalidFactError, MissingFactError, QueryError, StaleRulesError, UnknownFactError, shown
from .general_rate import general_rate
from .geo import normalize_origin
from .hts import normalize_code
from .model import RuleSetInfo
from .periods import day_instant, instant_from_query, micros

__all__ = ["Query", "QueryReader", "FactLookup", "assumed_facts", "stale_error", "yes_no", "YES_WORDS", "NO_WORDS",
           "YES_NO_TEXT"]

_BUILTIN_ARGS = ("value", "mfn", "loaded", "content")

#: the word a query gives as a content amount that is not known
UNKNOWN = "unknown"
#: the meanings a rule set may give an unknown content amount (``[ruleset] content_unknown``), in words
CONTENT_UNKNOWN = {"value": "the whole entered value, reported on one line"}
#: the words a yes/no fact may be given as in text (a batch cell, ``--fact``, or a keyword argument), in any case
#: and with spaces around: the single letters are what brokers' exports write (ACE flags are ``Y``)
YES_WORDS = ("yes", "y", "true", "1")
NO_WORDS = ("no", "n", "false", "0")
YES_NO_TEXT = "yes or no (also Y/N, true/false, 1/0, in any case)"
_END_OF_DAY = _dt.time(23, 59, 59, 999999)
#: amounts from here on cannot be multiplied by a rate and rounded to the cent within Decimal's default precision
_TOO_LARGE = Decimal(10) ** 20


@attrs.frozen(kw_only=True)
class Query:
    """One entry line to rate: code, origin, entry instant, and the facts given."""

    code: str
    origin: str
    entered: _dt.datetime
    #: ``entered`` as integer microseconds since 1970 UTC (a fast sort key)
    entered_key: int = attrs.field(default=attrs.Factory(lambda self: micros(self.entered), takes_self=True),
                                   eq=False, repr=False)
    bare_date: bool = False
    as_of: _dt.datetime | None = None
    value: Decimal | None = None
    mfn: Decimal | None = None
    mfn_from: str | None = None
    loaded: _dt.datetime | None = None
    content: tuple[tuple[str, Decimal], ...] = ()
    claims: tuple[tuple[str, Any], ...] = ()

    def fact(self, name: str, declared: Mapping[str, FactSpec] | None = None) -> Any:
        """The value of a fact by name (``None`` if not given and no default)."""
        if name == "entered":
            return self.entered
        if name in ("loaded", "value", "mfn"):
            return getattr(self, name)
        if name.startswith("content."):
            return dict(self.content).get(name[len("content."):])
        for claim, value in self.claims:
            if claim == name:
                return value
        spec = (declared or {}).get(name)
        return spec.default if spec else None

    def gives(self, name: str) -> bool:
        """True when the query itself gives the fact (not a default)."""
        if name == "entered":
            return True
        if name in ("loaded", "value", "mfn"):
            return getattr(self, name) is not None
        if name.startswith("content."):
            return any(kind == name[len("content."):] for kind, _ in self.content)
        return any(claim == name for claim, _ in self.claims)

    @property
    def content_map(self) -> dict[str, Decimal]:
        return dict(self.content)

    def to_dict(self) -> dict:
        """JSON-ready form: Decimals and instants as strings."""
        out: dict[str, Any] = {
            "hts": self.code, "origin": self.origin, "entered": self.entered.isoformat(),
            "bare_date": self.bare_date,
        }
        if self.as_of is not None:
            out["as_of"] = self.as_of.isoformat()
        for name in ("value", "mfn"):
            if getattr(self, name) is not None:
                out[name] = str(getattr(self, name))
        if self.mfn_from:
            out["mfn_from"] = self.mfn_from
        if self.loaded is not None:
            out["loaded"] = self.loaded.isoformat()
        if self.content:
            out["content"] = {k: str(v) for k, v in self.content}
        for name, value in self.claims:
            out[name] = value if isinstance(value, (bool, str)) else str(value)
        return out


def _numpy_kind(raw: Any) -> str | None:
    """The NumPy dtype kind of a NumPy scalar (``"i"``, ``"u"``, ``"b"``, ``"f"``, ...), else ``None``."""
    return getattr(getattr(raw, "dtype", None), "kind", None) if type(raw).__module__ == "numpy" else None


def numpy_scalar(raw: Any) -> Any:
    """A NumPy integer or bool scalar (what a pandas cell gives) as the Python int or bool it holds exactly;
    anything else unchanged (a NumPy float stays a float, refused as one). NumPy is not imported."""
    kind = _numpy_kind(raw)
    if kind in ("i", "u") and getattr(raw, "ndim", None) == 0:
        return int(raw)
    if kind == "b" and getattr(raw, "ndim", None) == 0:
        return bool(raw)
    return raw


def decimal_fact(argument: str, raw: Any, signed: bool = False) -> Decimal:
    """An amount fact (``value``, ``mfn``, a content amount) as a Decimal, the one reader of every amount a
    query or a resolution is given: a Decimal, an int or ASCII text; finite, not negative (unless
    ``signed``) and below 10**20. Raises :class:`InvalidFactError` naming ``argument`` otherwise (a float,
    a bool, NaN, Infinity, "1_000")."""
    if type(raw) is Decimal and raw.is_finite() and 0 <= raw < _TOO_LARGE:  # the common case, first
        return raw
    raw = numpy_scalar(raw)
    if isinstance(raw, Fraction):
        raise InvalidFactError(argument, raw, "is a fraction, not a decimal amount: it may have no exact decimal "
                               "(1/3)", "a Decimal, an int or text such as \"1234.56\"")
    if isinstance(raw, float) or isinstance(raw, bool) or _numpy_kind(raw) == "f":
        raise InvalidFactError(argument, raw, "is a float or bool; money and rates are Decimal",
                               "a Decimal, an int or text such as \"1234.56\"")
    if isinstance(raw, str) and (not raw.isascii() or "_" in raw):  # Decimal would read "١٠٠" and "1_000"
        raise InvalidFactError(argument, raw, "is not a number written with the digits 0-9", "a number such as 1234.56")
    try:
        number = Decimal(raw) if isinstance(raw, (Decimal, int, str)) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise InvalidFactError(argument, raw, "is not a number", "a number such as 1234.56")
    if number < 0 and not signed:
        raise InvalidFactError(argument, raw, "is negative", "zero or more")
    if abs(number) >= _TOO_LARGE:
        raise InvalidFactError(argument, raw, "is too large to rate exactly to the cent",
                               "less than 10**20 (amounts are Decimal with 28 significant digits)")
    return number


class QueryReader:
    """Checks and normalises queries for one rule set.

    Normalised codes, origins and entry dates are cached per reader (a rule
    set has one): a batch repeats the same few thousand values millions of
    times, and parsing them again is the main cost of a warm query.
    """

    _CACHE_LIMIT = 200_000

    def __init__(self, info: RuleSetInfo, mfn_lookup: Callable[[str], tuple[bool, Decimal | None]],
                 day: Callable[[_dt.date], _dt.datetime], first_known: _dt.datetime | None = None) -> None:
        self.info = info
        #: the earliest instant any version of the rule set became known (``None``: the set has none)
        self.first_known = first_known
        #: the first ``as_of`` the rule set can answer for: its horizon start, or its first known instant if
        #: later (before the horizon it holds only the measures still in force at it, so what was known then
        #: is incomplete)
        self.knows_from = None if first_known is None else max(first_known, info.horizon_start)
        self.mfn_lookup = mfn_lookup
        self.day = day
        self.declared = {f.name: f for f in info.facts}
        self.schedule = info.schedule
        self.split = {split.code: split for split in info.split_codes}
        self.kinds = frozenset(info.content_kinds)
        self._codes: dict[str, str] = {}
        self._origins: dict[str, str] = {}
        self._whens: dict[Any, tuple] = {}
        self._lines: set[tuple[str, int]] = set()  # (code, revisions) found to be a line of the schedule

    def _unknown_content(self, kinds: list[str], value: Decimal | None, raw: Any) -> dict[str, Decimal]:
        """The amounts of the content kinds given as ``"unknown"``, as the rule set's ``content_unknown`` counts
        them; a typed error where it gives them no meaning, where two kinds are unknown, or without a value."""
        info, kind = self.info, kinds[0]
        shown_raw = {k: str(v) for k, v in raw.items()}
        if info.content_unknown is None:
            raise InvalidFactError(f"content[{kind}]", UNKNOWN, f"is not an amount, and rule set {info.name} gives "
                                   "an unknown content amount no meaning", "the amount of that content")
        if len(kinds) > 1:
            raise InvalidFactError("content", shown_raw, f"gives {len(kinds)} kinds ({', '.join(kinds)}) as "
                                   f"unknown; rule set {info.name} counts an unknown content as "
                                   f"{CONTENT_UNKNOWN[info.content_unknown]} ({info.content_unknown_source}), "
                                   "which only one kind can be", "the amounts, or one kind given as unknown")
        if value is None:
            raise MissingFactError("value", None, f"content {kind} is given as unknown, which rule set {info.name} "
                                   f"counts as {CONTENT_UNKNOWN[info.content_unknown]} "
                                   f"({info.content_unknown_source}); that needs the value",
                                   "the entered value as the fact value (CLI --value N)")
        return {kind: value}

    def _code(self, hts: Any) -> tuple[str, bool, Decimal | None]:
        try:
            return self._codes[hts]
        except (KeyError, TypeError):
            pass
        code = normalize_code(hts, self.info.code_lengths)
        found = (code, *self.mfn_lookup(code))
        if len(self._codes) < self._CACHE_LIMIT:
            self._codes[hts] = found
        return found

    def _origin(self, origin: Any) -> str:
        try:
            return self._origins[origin]
        except (KeyError, TypeError):
            pass
        country = normalize_origin(origin)
        if len(self._origins) < self._CACHE_LIMIT:
            self._origins[origin] = country
        return country

    def _when(self, when: Any) -> tuple[_dt.datetime, bool, int, int, int]:
        """(instant, was a bare date, its integer key, -1 before the horizon / 1 stale / 0 inside, the schedule
        revisions in force as a bit mask)."""
        try:
            return self._whens[when]
        except (KeyError, TypeError):
            pass
        instant, bare = instant_from_query(when, self.day, "when", self.info.zone_name)
        place = -1 if instant < self.info.horizon_start else 1 if instant >= self.info.stale_from else 0
        found = (instant, bare, micros(instant), place, self.schedule.window(instant) if self.schedule else 0)
        if len(self._whens) < self._CACHE_LIMIT:
            self._whens[when] = found
        return found

    def code(self, hts: Any) -> str:
        """The normalised code for ``hts`` (raises :class:`InvalidCodeError`)."""
        return self._code(hts)[0]

    def origin(self, origin: Any) -> str:
        """The normalised origin (raises :class:`UnknownCountryError`)."""
        return self._origin(origin)

    def as_of(self, value: Any) -> _dt.datetime | None:
        """The known-time instant for ``as_of``: ``None`` stays ``None`` (everything known).

        A bare date means the end of that day in the rule set's zone, so
        everything signed or published that day is known.
        """
        if value is None:
            return None
        zone = self.info.zone
        instant, _ = instant_from_query(value, lambda d: day_instant(d, zone, _END_OF_DAY), "as_of")
        if self.knows_from is not None and instant < self.knows_from:
            raise self._before_known(value)
        return instant

    def _before_known(self, value: Any) -> BeforeKnownError:
        info, zone = self.info, self.info.zone
        start, first = self.knows_from.astimezone(zone), self.first_known.astimezone(zone)
        why = (f"where the horizon of rule set {info.name} starts; its earliest version became known at "
               f"{first.isoformat()}, but it encodes only measures in force from its horizon on, so what was known "
               "earlier is incomplete") if start > first else \
            f"when the earliest version of rule set {info.name} became known"
        return BeforeKnownError(
            "as_of", value, f"is before {start.isoformat()}, {why}; as known then, an answer would miss measures "
            "and could say no levy at all",
            f"an as_of on or after {start.date().isoformat()} (a date means the end of that day), or no as_of "
            "for everything the rule set knows")

    def read(self, hts: Any, origin: Any, when: Any, *, as_of: Any = None, allow_stale: bool = False,
             facts: Mapping[str, Any]) -> Query:
        """Check and normalise one query; raise the documented error naming a bad argument."""
        info = self.info
        if allow_stale is not False and allow_stale is not True:
            raise QueryError("allow_stale", allow_stale, "must be True or False", "allow_stale=True")
        code, mfn_found, mfn_default = self._code(hts)
        country = self._origin(origin)
        entered, bare, entered_key, place, revisions = self._when(when)
        if place:
            if place < 0:
                raise HorizonError("when", when, f"is before the rule set {info.name} starts "
                                   f"({info.horizon_start.isoformat()})", "an entry on or after that instant")
            if not allow_stale:
                raise stale_error(info, "when", when, "an earlier entry")
        if self.schedule is not None and (code, revisions) not in self._lines:
            self.schedule.check(code, entered, "hts", hts)
            if len(self._lines) < self._CACHE_LIMIT:
                self._lines.add((code, revisions))
        as_of_instant = None if as_of is None else self.as_of(as_of)
        value = mfn = loaded = None
        content: dict[str, Decimal] = {}
        unknown: list[str] = []
        claims = []
        for name, raw in facts.items():
            if raw is None:
                continue
            if name == "value":
                value = decimal_fact("value", raw)
            elif name == "mfn":
                mfn = decimal_fact("mfn", raw)
            elif name == "loaded":
                loaded, _ = instant_from_query(raw, self.day, "loaded", self.info.zone_name)
            elif name == "content":
                if not isinstance(raw, Mapping):
                    raise InvalidFactError("content", raw, "is not a mapping", "a mapping of kind to amount, e.g. {steel: 1200}")
                for kind, amount in raw.items():
                    if kind not in self.kinds:
                        raise InvalidFactError(f"content[{kind}]", amount, f"{shown(kind)} is not a content kind of "
                                               f"rule set {info.name}", _kinds(info.content_kinds))
                    if type(amount) is Decimal and amount.is_finite() and 0 <= amount < _TOO_LARGE:
                        content[kind] = amount  # the common case, without naming the argument
                    elif isinstance(amount, str) and amount.strip().lower() == UNKNOWN:
                        unknown.append(kind)
                    else:
                        content[kind] = decimal_fact(f"content[{kind}]", amount)
            elif name in self.declared:
                claims.append((name, _claim(name, raw, self.declared[name], self.day)))
            else:
                raise UnknownFactError(name, raw, f"is not a fact of rule set {info.name}",
                                       "one of " + ", ".join(sorted(set(_BUILTIN_ARGS) | set(self.declared))))
        if unknown:
            content.update(self._unknown_content(unknown, value, facts["content"]))
        if content and value is not None:
            check_content_within(content, value)
        if loaded is not None and loaded > entered:
            raise InvalidFactError("loaded", facts["loaded"], f"is after the entry ({entered.isoformat()}); goods are "
                                   "loaded for export before they are entered", "a loading date on or before the entry")
        if mfn is not None:
            mfn_from = "query"
        else:  # column 1, column 2 or a claimed special rate (tariffrules.general_rate)
            mfn, mfn_from = general_rate(info.general, code, country, entered, dict(claims), (mfn_found, mfn_default))
        return Query(code=code, origin=country, entered=entered, entered_key=entered_key, bare_date=bare,
                     as_of=as_of_instant, value=value,
                     mfn=mfn, mfn_from=mfn_from, loaded=loaded,
                     content=tuple(sorted(content.items())) if content else (),
                     claims=tuple(sorted(claims)) if claims else ())


def check_content_within(content: Mapping[str, Decimal], value: Decimal) -> None:
    """Raise :class:`InvalidFactError` when the content amounts add up to more than the customs value."""
    if sum(content.values()) > value:
        raise InvalidFactError("content", {k: str(v) for k, v in content.items()},
                               f"adds up to more than the customs value {value}",
                               "content values whose sum is at most the value")


def stale_error(info: RuleSetInfo, argument: str, value: Any, earlier: str) -> StaleRulesError:
    """The error for an instant after the rule set's review day (for an entry, or the end of a range)."""
    return StaleRulesError(argument, value, f"is after {info.reviewed.isoformat()}, the last day the rule set "
                           f"{info.name} was reviewed; later measures may be missing",
                           f"{earlier}, or allow_stale=True to accept possibly stale rules")


def _kinds(kinds: tuple[str, ...]) -> str:
    return ("one of " + ", ".join(kinds)) if kinds else "no content: no rule reads one"


def yes_no(name: str, raw: Any, label: str | None = None) -> bool:
    """A yes/no fact as a bool: ``True``/``False``, or text among :data:`YES_WORDS` and :data:`NO_WORDS` (any
    case, spaces around ignored), the same set in a batch cell, on the command line and in Python.

    Raises :class:`InvalidFactError` naming the fact for anything else (a number, ``"maybe"``, ``"t"``).

    >>> yes_no("usmca", " Y "), yes_no("usmca", "false"), yes_no("usmca", True)
    (True, False, True)
    """
    raw = numpy_scalar(raw)
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
    about = f" ({label})" if label else ""
    raise InvalidFactError(name, raw, f"is not a yes/no value{about}", f"True or False, or the text {YES_NO_TEXT}")


def _claim(name: str, raw: Any, spec: FactSpec, day: Callable[[_dt.date], _dt.datetime]) -> Any:
    if spec.type == "bool":
        return yes_no(name, raw, spec.label())
    if spec.type == "text":
        if isinstance(raw, str):
            return raw
        raise InvalidFactError(name, raw, f"must be text ({spec.label()})", "text")
    if spec.type == "choice":
        if isinstance(raw, str) and raw in spec.choices:
            return raw
        raise InvalidFactError(name, raw, f"is not a value of this fact ({spec.label()})", spec.allowed())
    if spec.type == "decimal":
        number = decimal_fact(name, raw, signed=spec.minimum is not None)
        if (spec.minimum is not None and number < spec.minimum) or (spec.maximum is not None
                                                                    and number > spec.maximum):
            raise InvalidFactError(name, raw, f"is out of range ({spec.label()})", spec.allowed())
        return number
    instant, _ = instant_from_query(raw, day, name)
    return instant


class FactLookup:
    """The fact lookup conditions use for one query: declared defaults, and a record of what was read.

    ``read`` collects the names of the facts some condition read. A fact the
    rule set declares with ``on_missing = "error"`` raises
    :class:`MissingFactError` when it is read and the query did not give it.
    """

    __slots__ = ("query", "declared", "read")

    def __init__(self, query: Query, declared: Mapping[str, FactSpec]) -> None:
        self.query, self.declared, self.read = query, declared, set()

    def __call__(self, name: str) -> Any:
        self.read.add(name)
        value = self.query.fact(name, self.declared)
        if value is None:
            spec = self.declared.get(name)
            if spec is not None and spec.on_missing == "error" and not self.query.gives(name):
                raise MissingFactError(name, None, f"the answer depends on this fact ({spec.label()}) and the rule "
                                       "set has no safe default for it",
                                       f"{name}=... ({spec.allowed()})")
        return value


def assumed_facts(query: Query, read: Any, declared: Mapping[str, FactSpec]) -> tuple[tuple[str, Any], ...]:
    """The facts read that the query did not give, each with the value used (``None``: not given).

    ``read`` is sorted (the engine memoises it so); this runs once per answer, so it avoids ``Query.gives``.
    """
    out = []
    kinds = claims = None
    for name in read:
        if name in ("loaded", "value", "mfn"):
            if getattr(query, name) is None:
                out.append((name, None))
        elif name.startswith("content."):
            if kinds is None:
                kinds = {kind for kind, _ in query.content}
            if name[len("content."):] not in kinds:
                out.append((name, None))
        elif name != "entered":
            if claims is None:
                claims = {claim for claim, _ in query.claims}
            if name not in claims:
                spec = declared.get(name)
                out.append((name, spec.default if spec else None))
    return tuple(out)

"""The general (chapters 1-97) rate of a good: column 1 general, column 2, or a claimed special rate.

HTSUS General Note 3 gives every line of chapters 1-97 three rate columns
(see :mod:`tariffrules.rate_columns`). Which one a good pays depends on its
origin, the entry instant and what the importer claims:

1. a claim of a special programme (a fact the rule set ties to special
   program indicators, e.g. ``usmca`` true for "S"/"S+", or ``spi = "KR"``)
   gives the rate the line's special column lists for the first of the
   programme's indicators found there (General Note 3(c)(i)). The claim is a
   :class:`~tariffrules.errors.InvalidFactError` naming the code, the
   programme and what the line allows when the programme is not in force at
   the entry, does not cover the origin, or the line's special column lists
   none of its indicators while its column 1 rate is not Free (on a Free line
   the claim changes nothing and the answer is the column 1 rate). Two
   claims at once are an error too.
2. otherwise a good of an origin the rule set lists for column 2 (General
   Note 3(b) and the acts that added countries to it) pays the column 2 rate;
3. otherwise the column 1 general rate.

A rate that is not ad valorem (specific, compound, or a reference to a
chapter 98/99 heading) is ``None``: the general duty then needs the
caller's ``mfn=`` (its ad valorem equivalent). A caller's ``mfn=`` always
wins. Which programmes exist, their indicators, origins, periods and facts,
and the column 2 origins are data (``[ruleset.general]``), never code.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from .errors import InvalidFactError
from .fields import Where, read_instant
from .hts import dotted_code
from .rate_columns import SpecialFieldError, ad_valorem, special_rates

__all__ = ["Column2", "SpecialProgram", "GeneralRules", "general_rate", "read_general"]

_COLUMN2_KEYS = {"origins", "start", "end", "source", "citation"}
_PROGRAM_KEYS = {"name", "indicators", "origins", "fact", "value", "start", "end", "citation"}


def _in_force(start: _dt.datetime | None, end: _dt.datetime | None, instant: _dt.datetime) -> bool:
    return (start is None or start <= instant) and (end is None or instant < end)


@attrs.frozen(kw_only=True, slots=True)
class Column2:
    """Origins whose goods pay the column 2 rate over [start, end) (``None``: open), with the legal source."""

    origins: frozenset[str]
    start: _dt.datetime | None
    end: _dt.datetime | None
    #: a short name of the source shown with the rate, e.g. "General Note 3(b)"
    source: str
    citation: str


@attrs.frozen(kw_only=True, slots=True)
class SpecialProgram:
    """A special programme: the claim that selects it (``fact`` equal to ``value``), its indicators in order of
    preference, the origins it covers and its period."""

    name: str
    indicators: tuple[str, ...]
    origins: frozenset[str]
    fact: str
    value: Any
    start: _dt.datetime | None
    end: _dt.datetime | None
    citation: str

    def claimed(self, claims: Mapping[str, Any]) -> bool:
        return self.fact in claims and claims[self.fact] == self.value

    def describe(self) -> str:
        return f"{self.name} ({', '.join(self.indicators)})"


def _frozen(table: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(table))


@attrs.frozen(kw_only=True, slots=True, getstate_setstate=False)
class GeneralRules:
    """The rule set's column 2 origins and special programmes, with the column 2 and special texts per code."""

    column2: tuple[Column2, ...] = ()
    programs: tuple[SpecialProgram, ...] = ()
    #: code prefix -> column 2 rate text, and code prefix -> special column text (as printed); read-only
    other: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen, eq=False, repr=False)
    special: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen, eq=False, repr=False)
    column2_origins: frozenset[str] = attrs.field(init=False, repr=False)
    claim_facts: frozenset[str] = attrs.field(init=False, repr=False)
    lengths: tuple[int, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "column2_origins", frozenset().union(*(group.origins for group in self.column2)))
        set_(self, "claim_facts", frozenset(program.fact for program in self.programs))
        set_(self, "lengths", tuple(sorted({len(code) for code in (*self.other, *self.special)}, reverse=True)))

    def __reduce__(self):
        """Pickle the tables as plain dicts (a read-only view does not pickle)."""
        return (_rebuild, (self.column2, self.programs, dict(self.other), dict(self.special)))

    def text(self, table: Mapping[str, str], code: str) -> str | None:
        """The text of ``table`` for ``code`` by longest prefix, ``None`` when the table has no row for it."""
        for n in self.lengths:
            if code[:n] in table:
                return table[code[:n]]
        return None


def _rebuild(column2, programs, other, special) -> GeneralRules:
    return GeneralRules(column2=column2, programs=programs, other=other, special=special)


def general_rate(rules: GeneralRules | None, code: str, origin: str, instant: _dt.datetime,
                 claims: Mapping[str, Any], column1: tuple[bool, Decimal | None]
                 ) -> tuple[Decimal | None, str | None]:
    """The general rate of a good and where it came from (see the module docstring).

    ``code`` is the normalised code, ``origin`` an ISO alpha-2 code,
    ``instant`` the aware entry instant, ``claims`` the facts the query gives,
    ``column1`` the (found, percent) of the column 1 table. Returns (percent
    or ``None`` when not ad valorem or unknown, a source such as ``"column 1"``,
    ``"column 2 (General Note 3(b))"`` or ``"special S (USMCA)"``; ``None``
    when the code has no row). Raises :class:`InvalidFactError` for a claim the
    line or origin does not allow.
    """
    found, percent = column1
    if rules is None:
        return percent, ("schedule" if found else None)
    if claims and not rules.claim_facts.isdisjoint(claims):
        chosen = [program for program in rules.programs if program.claimed(claims)]
        if len(chosen) > 1:
            raise InvalidFactError(chosen[1].fact, claims[chosen[1].fact], f"claims {chosen[1].describe()} while "
                                   f"{chosen[0].fact} claims {chosen[0].describe()}; a line has one special program",
                                   "one claim per line")
        if chosen:
            return _special(rules, chosen[0], code, origin, instant, claims, column1)
    if origin in rules.column2_origins:
        for group in rules.column2:
            if origin in group.origins and _in_force(group.start, group.end, instant):
                text = rules.text(rules.other, code)
                if text is None:
                    return None, None
                return ad_valorem(text), f"column 2 ({group.source})"
    return percent, ("column 1" if found else None)


def _special(rules: GeneralRules, program: SpecialProgram, code: str, origin: str, instant: _dt.datetime,
             claims: Mapping[str, Any], column1: tuple[bool, Decimal | None]) -> tuple[Decimal | None, str | None]:
    claim = claims[program.fact]

    def refuse(problem: str, expected: str) -> InvalidFactError:
        return InvalidFactError(program.fact, claim, f"claims {program.describe()} for {dotted_code(code)} from {origin} "
                                f"entered {instant.isoformat()}, but {problem}", expected)

    if not _in_force(program.start, program.end, instant):
        period = f"[{program.start.isoformat() if program.start else 'open'}, " \
                 f"{program.end.isoformat() if program.end else 'open'})"
        raise refuse(f"the program is in force only over {period} ({program.citation})",
                     "no claim, or an entry inside that period")
    if origin not in program.origins:
        raise refuse(f"the program does not cover goods of {origin} ({program.citation})",
                     "a claim for an origin of the program: " + ", ".join(sorted(program.origins)))
    text = rules.text(rules.special, code)
    if text is None:
        return column1[1], ("column 1" if column1[0] else None)
    try:
        listed = special_rates(text)
    except SpecialFieldError as exc:
        raise refuse(f"the line's special column cannot be read ({exc})",
                     "mfn=... with the special rate from the schedule") from None
    for indicator in program.indicators:
        for name, percent, _ in listed:
            if name == indicator:
                return percent, f"special {indicator} ({program.name})"
    if column1[0] and column1[1] == 0:  # a Free line lists no special rates; the claim changes nothing
        return column1[1], "column 1"
    allowed = ", ".join(name for name, _, _ in listed) or "none (the special column is empty)"
    raise refuse(f"the line's special column lists no indicator of the program (it lists {allowed})",
                 "no claim (the column 1 rate applies), or a program the line lists")


def read_general(raw: Any, file: str, zone: _dt.tzinfo, facts: Mapping[str, Any],
                 other: Mapping[str, str], special: Mapping[str, str]) -> GeneralRules | None:
    """Read ``[ruleset.general]`` (column 2 origin groups and special programmes; see docs/rule-format.md).

    ``facts`` are the declared fact specs (a programme's fact must be one,
    and its value one the fact admits). ``None`` when there is no such table
    and no column 2 or special text. Raises :class:`RuleFileError`.
    """
    if raw is None:
        return GeneralRules(other=other, special=special) if (other or special) else None
    where = Where(file, "general", kind="table")
    if not isinstance(raw, dict) or set(raw) - {"column2", "programs"}:
        raise where.error("general", "must be a table with column2 and programs", raw,
                          "[[ruleset.general.column2]] and [[ruleset.general.programs]] tables")
    groups = []
    for number, entry in enumerate(_list(where, raw, "column2"), 1):
        field = f"column2[{number}]"
        _keys(where, field, entry, _COLUMN2_KEYS, {"origins", "source", "citation"})
        groups.append(Column2(origins=_origins(where, field, entry["origins"]),
                              start=_instant(where, field, entry, "start", zone),
                              end=_instant(where, field, entry, "end", zone),
                              source=_text(where, field, entry, "source"), citation=_text(where, field, entry, "citation")))
    programs = []
    for number, entry in enumerate(_list(where, raw, "programs"), 1):
        field = f"programs[{number}]"
        _keys(where, field, entry, _PROGRAM_KEYS, _PROGRAM_KEYS - {"start", "end"})
        indicators = entry["indicators"]
        if not isinstance(indicators, list) or not indicators or not all(isinstance(i, str) and i for i in indicators):
            raise where.error(f"{field}.indicators", "must be a list of special program indicators", indicators,
                              '["S", "S+"]')
        spec = facts.get(entry["fact"])
        if spec is None or spec.type not in ("bool", "choice"):
            raise where.error(f"{field}.fact", "must name a declared bool or choice fact", entry["fact"])
        value = entry["value"]
        if (spec.type == "bool" and value is not True) or (spec.type == "choice" and value not in spec.choices):
            raise where.error(f"{field}.value", f"is not a claim fact {entry['fact']!r} can make", value,
                              "true for a bool fact, one of the choices for a choice fact")
        programs.append(SpecialProgram(name=_text(where, field, entry, "name"), indicators=tuple(indicators),
                                       origins=_origins(where, field, entry["origins"]), fact=entry["fact"],
                                       value=value, start=_instant(where, field, entry, "start", zone),
                                       end=_instant(where, field, entry, "end", zone),
                                       citation=_text(where, field, entry, "citation")))
    claims = [(p.fact, p.value) for p in programs]
    if len(set(claims)) != len(claims):
        raise where.error("programs", "two programs are claimed by the same fact value", claims)
    return GeneralRules(column2=tuple(groups), programs=tuple(programs), other=other, special=special)


def _list(where: Where, raw: dict, name: str) -> list:
    entries = raw.get(name, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise where.error(name, "must be an array of tables", entries, f"[[ruleset.general.{name}]]")
    return entries


def _keys(where: Where, field: str, entry: dict, allowed: set, required: set) -> None:
    unknown, missing = set(entry) - allowed, required - set(entry)
    if unknown or missing:
        raise where.error(field, f"unknown keys {sorted(unknown)}, missing keys {sorted(missing)}", sorted(entry),
                          ", ".join(sorted(allowed)))


def _origins(where: Where, field: str, raw: Any) -> frozenset[str]:
    if not isinstance(raw, list) or not raw or not all(isinstance(o, str) and len(o) == 2 and o.isupper()
                                                       for o in raw):
        raise where.error(f"{field}.origins", "must be a list of ISO 3166-1 alpha-2 codes", raw, '["CA", "MX"]')
    return frozenset(raw)


def _text(where: Where, field: str, entry: dict, name: str) -> str:
    if not isinstance(entry[name], str) or not entry[name]:
        raise where.error(f"{field}.{name}", "must be text", entry[name])
    return entry[name]


def _instant(where: Where, field: str, entry: dict, name: str, zone: _dt.tzinfo) -> _dt.datetime | None:
    return read_instant(where, f"{field}.{name}", entry[name], zone) if name in entry else None

"""Readers for the fields of rule files: each turns raw TOML into a value object or a precise error.

The loader calls these with a :class:`Where` that knows the file, the levy
(or suspension) and the field, so every :class:`RuleFileError` names all
three and says what was expected.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

import attrs

from .conditions import BUILTIN_FACTS, OPERATORS, AllOf, AnyOf, Condition, FactSpec, Compare
from .errors import RuleFileError, shown
from .geo import OriginScope, describe_unknown, expand_origins
from .hts import normalize_prefix
from .checks import check_wall_time
from .periods import instant_from_rule
from .rates import Base, Rate, parse_percent

__all__ = ["MAX_NESTING", "Where", "read_rate", "read_base", "read_conditions", "read_origins", "read_prefixes",
           "read_instant", "match_ids", "fact_type", "is_kind", "ID_PATTERN"]

ID_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
#: how deep ``all``/``any`` conditions may nest
MAX_NESTING = 16


@attrs.frozen
class Where:
    """A position in a rule file, used to build errors."""

    file: str
    item: str | None = None
    kind: str = "levy"

    def error(self, field: str | None, problem: str, value: Any = None, expected: str | None = None) -> RuleFileError:
        return RuleFileError(problem, file=self.file, levy=self.item, field=field, value=value,
                             expected=expected, kind=self.kind)


def read_instant(where: Where, field: str, raw: Any, zone: _dt.tzinfo) -> _dt.datetime:
    check_wall_time(where, field, raw, zone)
    instant = instant_from_rule(raw, zone)
    if instant is None:
        raise where.error(field, "is not a TOML date or date-time", raw,
                          "e.g. 2025-04-05T00:01:00 (file zone), 2025-04-05T00:01:00-04:00 or 2025-04-05")
    return instant


def read_rate(where: Where, raw: Any) -> Rate:
    if isinstance(raw, str):
        percent = parse_percent(raw)
        if percent is not None:
            return Rate(percent)
    elif isinstance(raw, dict) and set(raw) == {"all_in"}:
        percent = parse_percent(raw["all_in"])
        if percent is not None:
            return Rate(percent, all_in=True)
    raise where.error("rate", "is not a rate", raw, 'a percent such as "25%" (0 to below 100000, at most 6 decimal '
                      'places), or { all_in = "15%" }')


def read_base(where: Where, raw: Any) -> Base:
    expected = '"value", { content = "steel" } or { less = ["steel"], min_share = { steel = "20%" } }'
    if raw == "value":
        return Base()
    if isinstance(raw, dict) and set(raw) == {"content"} and is_kind(raw["content"]):
        return Base(content=raw["content"])
    if isinstance(raw, dict) and "less" in raw and set(raw) <= {"less", "min_share"}:
        less = raw["less"]
        shares = raw.get("min_share", {})
        if isinstance(less, list) and less and all(is_kind(k) for k in less) and isinstance(shares, dict):
            floors = []
            for kind, text in shares.items():
                percent = parse_percent(text)
                if kind not in less or percent is None:
                    raise where.error("base", f"min_share for {shown(kind)} must name a kind in 'less' and be a "
                                      "percent", raw, expected)
                floors.append((kind, percent))
            return Base(less=tuple(less), min_share=tuple(sorted(floors)))
    raise where.error("base", "is not a base", raw, expected)


def is_kind(kind: Any) -> bool:
    """True for a content kind name: lower-case letters, digits and ``_``, starting with a letter."""
    return isinstance(kind, str) and bool(re.fullmatch(r"[a-z][a-z0-9_]*", kind))


def fact_type(name: str, facts: Mapping[str, FactSpec]) -> str | None:
    """The type of a fact name: declared, built in, or ``content`` for ``content.<kind>``."""
    if name.startswith("content.") and is_kind(name[len("content."):]):
        return "content"
    spec = facts.get(name) or BUILTIN_FACTS.get(name)
    return spec.type if spec else None


def read_conditions(where: Where, field: str, raw: Any, facts: Mapping[str, FactSpec],
                    zone: _dt.tzinfo) -> tuple[Condition, ...]:
    if not isinstance(raw, list):
        raise where.error(field, "must be a list of condition tables", raw, '[ { fact = "usmca", is = true } ]')
    return tuple(_read_condition(where, field, item, facts, zone) for item in raw)


def _read_condition(where: Where, field: str, raw: Any, facts: Mapping[str, FactSpec],
                    zone: _dt.tzinfo, depth: int = 1) -> Condition:
    expected = ('{ fact = NAME, OP = VALUE } with OP one of ' + ", ".join(OPERATORS)
                + ', or { all = [...] } / { any = [...] }; each may add note = "..."')
    if not isinstance(raw, dict):
        raise where.error(field, "a condition must be a table", raw, expected)
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise where.error(field, "note must be text", note)
    keys = set(raw) - {"note"}
    for combinator, cls in (("all", AllOf), ("any", AnyOf)):
        if keys == {combinator}:
            items = raw[combinator]
            if not isinstance(items, list) or not items:
                raise where.error(field, f"'{combinator}' needs a non-empty list of conditions", items, expected)
            if depth >= MAX_NESTING:
                raise where.error(field, f"conditions nest more than {MAX_NESTING} levels deep", None,
                                  "a flatter condition: all/any of all/any is rarely needed twice")
            return cls(items=tuple(_read_condition(where, field, i, facts, zone, depth + 1) for i in items),
                       note=note)
    ops = keys - {"fact", "plus"}
    if "fact" not in keys or len(ops) != 1:
        raise where.error(field, "a condition needs 'fact' and exactly one operator", raw, expected)
    op = ops.pop()
    name = raw["fact"]
    kind = fact_type(name, facts) if isinstance(name, str) else None
    if kind is None:
        raise where.error(field, f"names an unknown fact {shown(name)}", raw,
                          "a built-in fact (" + ", ".join(BUILTIN_FACTS) + ", content.<kind>) or one declared in [facts]")
    if op not in OPERATORS:
        raise where.error(field, f"unknown operator {shown(op)}", raw, expected)
    if kind not in OPERATORS[op]:
        raise where.error(field, f"operator {shown(op)} does not apply to {kind} fact {shown(name)}", raw,
                          f"a fact of type {' or '.join(OPERATORS[op])}")
    operand = _read_operand(where, field, kind, op, raw[op], zone)
    spec = facts.get(name)
    if kind == "choice" and spec is not None and operand not in spec.choices:
        raise where.error(field, f"{shown(operand)} is not a value of choice fact {shown(name)}", raw, spec.allowed())
    return Compare(fact=name, op=op, operand=operand, note=note, plus=_read_plus(where, field, raw, facts, op))


def _read_plus(where: Where, field: str, raw: Mapping[str, Any], facts: Mapping[str, FactSpec],
               op: str) -> tuple[str, ...]:
    """``plus``: further content facts summed with ``fact`` by a share operator (none, distinct, not ``fact``)."""
    if "plus" not in raw:
        return ()
    plus = raw["plus"]
    expected = '[ "content.KIND", ... ] beside a share operator on a content fact'
    if not op.startswith("share"):
        raise where.error(field, f"'plus' applies only to the share operators, not {shown(op)}", raw, expected)
    if (not isinstance(plus, list) or not plus or len(set(plus)) != len(plus) or raw["fact"] in plus
            or not all(isinstance(n, str) and fact_type(n, facts) == "content" for n in plus)):
        raise where.error(field, "'plus' must list other content facts, each once", plus, expected)
    return tuple(plus)


def _read_operand(where: Where, field: str, kind: str, op: str, raw: Any, zone: _dt.tzinfo) -> Any:
    if kind == "instant":
        return read_instant(where, field, raw, zone)
    if kind == "bool" and isinstance(raw, bool):
        return raw
    if kind in ("text", "choice") and isinstance(raw, str):
        return raw
    if kind == "content":
        percent = parse_percent(raw)
        if percent is not None:
            return percent
        raise where.error(field, f"'{op}' needs a percent", raw, '"20%"')
    if kind == "decimal" and isinstance(raw, (str, int)) and not isinstance(raw, bool):
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            pass
    raise where.error(field, f"operand of '{op}' does not fit a {kind} fact", raw)


def read_origins(where: Where, raw_in: Any, raw_out: Any, groups: Mapping[str, frozenset[str]],
                 field_in: str = "origins", field_out: str = "except_origins") -> OriginScope:
    expected = 'a list of ISO 3166-1 alpha-2 codes, "@GROUP" names or "*"'
    for field, raw in ((field_in, raw_in), (field_out, raw_out)):
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise where.error(field, "must be a list of origins", raw, expected)
    everyone, members, unknown = expand_origins(raw_in, groups)
    if unknown:
        raise where.error(field_in, f"unknown origin(s) {describe_unknown(unknown)}", raw_in, expected)
    out_all, excluded, unknown = expand_origins(raw_out, groups)
    if unknown or out_all:
        raise where.error(field_out, f"unknown origin(s) {describe_unknown(unknown or ['*'])}", raw_out,
                          "codes or @GROUP names ('*' makes no sense here)")
    return OriginScope(everyone=everyone, members=members, excluded=excluded)


def read_prefixes(where: Where, field: str, raw: Any, allow_star: bool) -> tuple[bool, set[str]]:
    """Read a list of code prefixes; returns (everything, prefixes)."""
    if not isinstance(raw, list):
        raise where.error(field, "must be a list of code prefixes", raw, '["8703", "8704.21"]' + (' or ["*"]' if allow_star else ""))
    everything = False
    prefixes: set[str] = set()
    for item in raw:
        if item == "*" and allow_star:
            everything = True
            continue
        prefix = normalize_prefix(item)
        if prefix is None:
            raise where.error(field, f"malformed code prefix {shown(item)}", raw, "2 to 10 digits, dots allowed")
        prefixes.add(prefix)
    return everything, prefixes


def read_prefix_file(where: Where, field: str, path: str, text: str) -> frozenset[str]:
    """Read a side file of prefixes: one per line, ``#`` starts a comment."""
    prefixes: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        item = line.split("#", 1)[0].strip()
        if not item:
            continue
        prefix = normalize_prefix(item)
        if prefix is None:
            raise where.error(field, f"{path} line {number}: malformed code prefix {shown(item)}", None,
                              "2 to 10 digits, dots allowed")
        prefixes.add(prefix)
    return frozenset(prefixes)


def match_ids(where: Where, field: str, raw: Any, ids: Iterable[str]) -> frozenset[str]:
    """Resolve ids and fnmatch patterns against known ids; each must match at least one."""
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise where.error(field, "must be a list of levy ids or patterns", raw, '["us.ieepa.reciprocal.*"]')
    ids = list(ids)
    found: set[str] = set()
    for pattern in raw:
        hits = fnmatch.filter(ids, pattern) if any(c in pattern for c in "*?[") else [i for i in ids if i == pattern]
        if not hits:
            raise where.error(field, f"{shown(pattern)} matches no levy in the rule set", raw,
                              "the id of a levy defined in some file, or a pattern matching one")
        found.update(hits)
    return frozenset(found)

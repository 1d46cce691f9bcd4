"""Hypothesis strategies for queries against a rule set.

Each strategy takes the rule set it serves, so that draws land where the
rules change: codes under (and just beside) the prefixes its levies name,
origins it names and some it does not, entry instants on and around its
change points, and facts its conditions read. Every strategy shrinks toward
a plain case (the first prefix, the horizon's first instant, no facts).

>>> import tariffrules
>>> from tariffrules.testing import queries
>>> rules = tariffrules.builtin("us")
>>> case = queries(rules).example()  # doctest: +SKIP
>>> case.resolve(rules)              # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import datetime as _dt
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from ..conditions import FactSpec
from ..errors import InvalidFactError, TariffRulesError
from ..geo import iso_countries
from ..hts import dotted_code
from ..periods import instant_from_query
from ..query import Query
from ..result import Resolution
from ..ruleset import RuleSet
from .scopes import RuleSetScopes, horizon, scopes_of

__all__ = ["QueryCase", "hts_codes", "scoped_codes", "origins", "entry_instants", "entry_dates", "amounts",
           "content_amounts", "known_instants", "queries"]

_DIGITS = "0123456789"
_UTC = _dt.timezone.utc
_ONE = _dt.timedelta(microseconds=1)
#: offsets around a change point: the instant itself, a microsecond, a second and a minute either side
_NEAR = tuple(_dt.timedelta(microseconds=n) for n in (0, -1, 1, -1_000_000, 1_000_000, -60_000_000, 59_999_999))


@attrs.frozen(kw_only=True)
class QueryCase:
    """The arguments of one ``RuleSet.resolve`` call, as generated; its repr is the call to paste in a test.

    ``facts`` holds the keyword arguments (facts, and ``as_of`` when given) as pairs, content as pairs too.
    """

    hts: Any
    origin: Any
    when: Any
    facts: tuple[tuple[str, Any], ...] = ()

    @property
    def kwargs(self) -> dict[str, Any]:
        return {name: (dict(value) if name == "content" else value) for name, value in self.facts}

    def query(self, rules: RuleSet) -> Query:
        """The normalised :class:`~tariffrules.Query` (raises the documented error for a bad argument)."""
        return rules.query(self.hts, self.origin, self.when, **self.kwargs)

    def resolve(self, rules: RuleSet) -> Resolution:
        return rules.resolve(self.hts, self.origin, self.when, **self.kwargs)

    def __repr__(self) -> str:
        args = [repr(self.hts), repr(self.origin), repr(self.when)]
        args += [f"{name}={value!r}" for name, value in self.kwargs.items()]
        return f"resolve({', '.join(args)})"


_dotted = dotted_code


def _shown(digits: st.SearchStrategy[str], dotted: bool | None) -> st.SearchStrategy[str]:
    if dotted is None:
        return st.tuples(digits, st.booleans()).map(lambda pair: _dotted(pair[0]) if pair[1] else pair[0])
    return digits.map(_dotted) if dotted else digits


def hts_codes(lengths: tuple[int, ...] = (8, 10), *, dotted: bool | None = None) -> st.SearchStrategy[str]:
    """Valid codes of the given digit counts, with dots (``8703.23.01``), without, or either (``None``)."""
    if not lengths:
        raise ValueError("hts_codes needs at least one code length, e.g. (8, 10)")
    digits = st.sampled_from(sorted(lengths)).flatmap(
        lambda n: st.text(alphabet=_DIGITS, min_size=n, max_size=n))
    return _shown(digits, dotted)


def _extended(prefixes: tuple[str, ...], lengths: tuple[int, ...]) -> st.SearchStrategy[str]:
    """A prefix extended with digits to a full code length (or cut to the longest length)."""
    longest = max(lengths)

    def extend(prefix: str) -> st.SearchStrategy[str]:
        fits = [n for n in lengths if n >= len(prefix)]
        if not fits:
            return st.just(prefix[:longest])
        return st.sampled_from(fits).flatmap(
            lambda n: st.text(alphabet=_DIGITS, min_size=n - len(prefix), max_size=n - len(prefix)).map(
                lambda tail: prefix + tail))

    return st.sampled_from(prefixes).flatmap(extend)


def _beside(prefixes: tuple[str, ...], lengths: tuple[int, ...]) -> st.SearchStrategy[str]:
    """A code just outside a prefix: its last digit changed, then extended."""
    def sibling(pair: tuple[str, int]) -> str:
        prefix, digit = pair
        return prefix[:-1] + str((int(prefix[-1]) + digit) % 10)

    return st.tuples(st.sampled_from(prefixes), st.integers(1, 9)).map(sibling).flatmap(
        lambda p: _extended((p,), lengths))


def _schedule_lines(rules: RuleSet) -> list[str] | None:
    """The codes of the rule set's schedule that are lines in every revision and not split, sorted (or None)."""
    schedule = rules.info.schedule
    if schedule is None:
        return None
    full = (1 << len(schedule.revisions)) - 1
    split = {s.code for s in rules.info.split_codes}
    lengths = rules.info.code_lengths
    return sorted(code for code, mask in schedule.codes.items()
                  if mask == full and code not in split and len(code) in lengths
                  and not any(code.startswith(p) for p, _ in schedule.not_goods))


def _lines_under(lines: list[str], prefixes: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Schedule lines under one of the prefixes (any line when none is under it)."""
    def under(prefix: str) -> st.SearchStrategy[str]:
        low = bisect.bisect_left(lines, prefix)
        high = bisect.bisect_left(lines, prefix + ":")  # ':' sorts after every digit
        return st.sampled_from(lines[low:high]) if high > low else st.sampled_from(lines)

    return st.sampled_from(prefixes).flatmap(under)


def scoped_codes(rules: RuleSet, *, dotted: bool | None = None,
                 scopes: RuleSetScopes | None = None) -> st.SearchStrategy[str]:
    """Codes drawn from a rule set's own scopes.

    Its levies' goods prefixes and excluded prefixes extended to full length,
    codes just beside them, codes of its general-rate table, and any code.
    When the rule set has a schedule (``[ruleset.schedule]``), every code is a
    line of it in all its revisions and not a split 8-digit code, so the query
    is valid at any entry date.
    """
    scopes = scopes or scopes_of(rules)
    lengths = rules.info.code_lengths
    lines = _schedule_lines(rules)
    if lines:
        named = scopes.goods + scopes.excluded_goods + scopes.mfn_codes
        parts = [_lines_under(lines, named)] if named else []
        parts.append(st.sampled_from(lines))
        return _shown(st.one_of(parts), dotted)
    parts = []
    for prefixes in (scopes.goods, scopes.excluded_goods, scopes.mfn_codes):
        if prefixes:
            parts.append(_extended(prefixes, lengths))
    if scopes.goods or scopes.excluded_goods:
        parts.append(_beside(scopes.goods + scopes.excluded_goods, lengths))
    parts.append(st.sampled_from(sorted(lengths)).flatmap(lambda n: st.text(alphabet=_DIGITS, min_size=n, max_size=n)))
    split = {s.code for s in rules.info.split_codes}
    codes = st.one_of(parts)
    if split:
        codes = codes.filter(lambda code: code not in split)
    return _shown(codes, dotted)


def origins(rules: RuleSet, *, scopes: RuleSetScopes | None = None) -> st.SearchStrategy[str]:
    """Countries the rule set names (in scopes, exceptions, groups, suspensions), and others it does not."""
    scopes = scopes or scopes_of(rules)
    named = st.sampled_from(scopes.countries) if scopes.countries else st.nothing()
    unnamed = sorted(iso_countries() - set(scopes.countries))
    return st.one_of(named, st.sampled_from(unnamed) if unnamed else st.nothing())


def _zones(rules: RuleSet) -> st.SearchStrategy[_dt.tzinfo]:
    return st.sampled_from([rules.info.zone, _UTC, _dt.timezone(_dt.timedelta(hours=9))])


def entry_instants(rules: RuleSet, *, as_of: Any = None) -> st.SearchStrategy[_dt.datetime]:
    """Aware instants inside the rule set's horizon, half of them within a minute of a change point.

    Instants are shown in the rule set's zone, in UTC or at +09:00: the same
    instant written three ways must get the same answer.
    """
    start, stop = horizon(rules)
    last = stop - _ONE
    points = [p for p in rules.change_points(as_of) if start <= p < stop]

    def clip(t: _dt.datetime) -> _dt.datetime:
        return min(max(t, start), last)

    span = (last - start) // _ONE
    anywhere = st.integers(0, span).map(lambda n: start + n * _ONE)
    near = (st.tuples(st.sampled_from(points), st.sampled_from(_NEAR)).map(lambda pair: clip(pair[0] + pair[1]))
            if points else st.nothing())
    instants = st.one_of(near, anywhere) if points else anywhere
    return st.tuples(instants, _zones(rules)).map(lambda pair: pair[0].astimezone(pair[1]))


def entry_dates(rules: RuleSet, *, as_of: Any = None) -> st.SearchStrategy[_dt.date]:
    """Bare dates whose day instant lies in the horizon, half of them on or beside a change point's day."""
    start, stop = horizon(rules)
    zone = rules.info.zone
    first = start.astimezone(zone).date()
    last = stop.astimezone(zone).date()

    def inside(day: _dt.date) -> bool:
        return start <= rules.day_instant(day) < stop

    days = [p.astimezone(zone).date() + _dt.timedelta(days=d) for p in rules.change_points(as_of) for d in (-1, 0, 1)]
    days = sorted({d for d in days if first <= d <= last})
    anywhere = st.dates(min_value=first, max_value=last)
    chosen = st.one_of(st.sampled_from(days), anywhere) if days else anywhere
    return chosen.filter(inside)


def amounts(max_value: Decimal = Decimal("10000000")) -> st.SearchStrategy[Decimal]:
    """Money amounts in cents from 0 (shrinks to 0, which is a legal and tricky value)."""
    cents = int(max_value * 100)
    return st.one_of(st.sampled_from([Decimal(0), Decimal("0.01"), Decimal(1000), Decimal(2500)]),
                     st.integers(0, cents).map(lambda n: Decimal(n).scaleb(-2)))


def content_amounts(value: Decimal, kinds: tuple[str, ...]) -> st.SearchStrategy[dict[str, Decimal]]:
    """Content amounts for some kinds that never add up to more than ``value``."""
    if not kinds:
        return st.just({})
    cents = int(value * 100)

    def split(chosen: list[str]) -> st.SearchStrategy[dict[str, Decimal]]:
        # cut points in [0, cents]: each kind takes the gap between two cuts, so the sum is at most the value
        cut = st.one_of(st.sampled_from([0, cents]), st.integers(0, cents))  # ends often: content = whole value
        return st.lists(cut, min_size=len(chosen) + 1, max_size=len(chosen) + 1).map(
            lambda cuts: dict(zip(chosen, (Decimal(b - a).scaleb(-2) for a, b in zip(sorted(cuts), sorted(cuts)[1:])))))

    return st.lists(st.sampled_from(kinds), unique=True, max_size=len(kinds)).flatmap(split)


def _instant_near(operands: list[_dt.datetime], rules: RuleSet) -> st.SearchStrategy[Any]:
    zone = rules.info.zone
    start = rules.info.horizon_start - _dt.timedelta(days=120)
    anywhere = st.integers(0, 900 * 86_400).map(lambda s: start + _dt.timedelta(seconds=s))
    near = (st.tuples(st.sampled_from(operands), st.sampled_from(_NEAR)).map(lambda pair: pair[0] + pair[1])
            if operands else st.nothing())
    instant = st.one_of(near, anywhere).map(lambda t: t.astimezone(zone))
    return st.one_of(instant, instant.map(lambda t: t.date()))


def _fact_values(rules: RuleSet, scopes: RuleSetScopes, spec: FactSpec) -> st.SearchStrategy[Any]:
    name, kind = spec.name, spec.type
    operands = [operand for fact, operand in scopes.operands if fact == name]
    if kind == "bool":
        return st.booleans()
    if kind == "choice":
        return st.sampled_from(spec.choices)
    if kind == "text":
        return st.one_of(st.sampled_from(operands), st.text(max_size=8)) if operands else st.text(max_size=8)
    if kind == "decimal":
        low = Decimal(0) if spec.minimum is None else spec.minimum
        numbers = amounts() if spec.maximum is None and low == 0 else st.decimals(
            min_value=low, max_value=spec.maximum, allow_nan=False, allow_infinity=False, places=2)
        inside = [o for o in operands if (spec.minimum is None or o >= spec.minimum)
                  and (spec.maximum is None or o <= spec.maximum)]
        return st.one_of(st.sampled_from(inside), numbers) if inside else numbers
    return _instant_near([o for o in operands if isinstance(o, _dt.datetime)], rules)


@st.composite
def _facts(draw, rules: RuleSet, scopes: RuleSetScopes) -> tuple[tuple[str, Any], ...]:
    facts: dict[str, Any] = {}
    value = draw(st.none() | amounts())
    if value is not None:
        facts["value"] = value
        content = draw(content_amounts(value, scopes.content_kinds))
        if content:
            facts["content"] = tuple(sorted(content.items()))
    if draw(st.booleans()):
        mfn_operands = [o for f, o in scopes.operands if f == "mfn"]
        facts["mfn"] = draw(st.one_of(st.sampled_from([Decimal(0), Decimal("2.5"), Decimal(15), Decimal(25)]
                                                      + mfn_operands),
                                      st.integers(0, 5000).map(lambda n: Decimal(n).scaleb(-2))))
    if draw(st.booleans()):
        facts["loaded"] = draw(_instant_near([o for f, o in scopes.operands if f == "loaded"], rules))
    for spec in rules.info.facts:
        if draw(st.booleans()):
            facts[spec.name] = draw(_fact_values(rules, scopes, spec))
    return tuple(facts.items())


def _loaded_by_entry(rules: RuleSet, case: QueryCase) -> QueryCase:
    """The case with a loading instant after the entry moved to the entry itself (goods are loaded first)."""
    facts = dict(case.facts)
    if "loaded" not in facts:
        return case
    entered, _ = instant_from_query(case.when, rules.day_instant, "when")
    loaded, _ = instant_from_query(facts["loaded"], rules.day_instant, "loaded")
    if loaded <= entered:
        return case
    return attrs.evolve(case, facts=tuple((k, case.when if k == "loaded" else v) for k, v in case.facts))


def _claims_allowed(rules: RuleSet, case: QueryCase) -> QueryCase:
    """The case without its special-program claims when the good's line or origin does not allow them
    (:mod:`tariffrules.general_rate` refuses such a claim): a valid query claims only what the schedule allows."""
    general = rules.info.general
    if general is None or not any(name in general.claim_facts for name, _ in case.facts):
        return case
    try:
        case.query(rules)
    except InvalidFactError as exc:
        if exc.argument in general.claim_facts:
            return attrs.evolve(case, facts=tuple(pair for pair in case.facts if pair[0] not in general.claim_facts))
    except TariffRulesError:  # another argument's error is the case's own
        pass
    return case


def known_instants(rules: RuleSet) -> st.SearchStrategy[Any]:
    """``as_of`` values: the instants versions became known, a microsecond either side, or their dates; never
    before the first instant the rule set answers as of (``rules.reader.knows_from``: an earlier ``as_of`` is a
    :class:`~tariffrules.BeforeKnownError`, drawn by :func:`tariffrules.testing.bad_inputs.bad_facts`)."""
    start = rules.reader.knows_from
    known = sorted({v.known for levy in rules.levies for v in levy.versions}
                   | {v.known for s in rules.suspensions for v in s.versions} | ({start} if start else set()))
    known = [k for k in known if start is None or k >= start]
    if not known:
        return st.nothing()
    zone = rules.info.zone
    near = st.tuples(st.sampled_from(known), st.sampled_from(_NEAR[:3])).map(lambda pair: pair[0] + pair[1])
    return st.one_of(near, near.map(lambda t: t.astimezone(zone).date())).filter(
        lambda stamp: start is None or (stamp >= start if isinstance(stamp, _dt.datetime)
                                        else stamp >= start.astimezone(zone).date()))  # a date: its end


def queries(rules: RuleSet, *, facts: bool = True, bare_dates: bool = True, as_of: bool = True,
            scopes: RuleSetScopes | None = None) -> st.SearchStrategy[QueryCase]:
    """Whole valid queries: a scoped code, an origin, an entry instant or bare date, and facts.

    Facts are only those the rule set declares plus the core ones (``value``,
    ``content``, ``mfn``, ``loaded``); content amounts never add up to more
    than the value. ``facts=False`` gives bare (code, origin, when) triples.
    With ``as_of`` (the default), about one query in four asks as known at an
    instant some version became known.
    """
    scopes = scopes or scopes_of(rules)
    whens = st.one_of(entry_instants(rules), entry_dates(rules)) if bare_dates else entry_instants(rules)
    cases = st.builds(QueryCase, hts=scoped_codes(rules, scopes=scopes), origin=origins(rules, scopes=scopes),
                      when=whens, facts=_facts(rules, scopes) if facts else st.just(())).map(
                          lambda case: _claims_allowed(rules, _loaded_by_entry(rules, case)))
    if not as_of:
        return cases
    stamps = st.one_of(st.none(), st.none(), st.none(), known_instants(rules))
    return st.tuples(cases, stamps).map(
        lambda pair: pair[0] if pair[1] is None else attrs.evolve(pair[0], facts=pair[0].facts + (("as_of", pair[1]),)))


"""The declaration check: every entry line carries exactly one heading of each declaration group in force for it.

A programme states ``declaration = "GROUP"`` when CBP requires each entry
line to carry one of its chapter 99 headings whenever it is in force for the
good: the duty heading, or the 0% exemption heading that says why the duty
does not apply (CSMS #64649265, "Chapter 99 secondary classification
required": "All imported merchandise must be reported with either the HTSUS
classification under which the reciprocal tariff applies or one of the HTSUS
classifications pursuant to which the merchandise is excepted").

For a resolution, a group is *required* on an entry line when some levy of
the group has a version in force at the entry instant (as known at the
query's ``as_of``), covers the good and the origin, is not suspended for the
origin, and has a base that covers part of the line's slice of the value (after the dutiable-value
rules that hold, :mod:`tariffrules.dutiable`, took their kinds out of it); a
line whose slice is worth 0 needs no heading (a levy on a zero base is not
reported). A levy version marked ``declaration_required = false`` never
makes its group required (it still counts as the group's heading where it
applies): the data's way of saying, with a note, that the law leaves nothing
to declare where such a levy is in force but does not apply, e.g. a
claim-only duty on the full value whose group is otherwise declared on the
metal-content line only. A group one of whose levies a ruling holds not
owed (skip reason ``held_not_owed``) is not required: after the ruling
nothing of that programme is declared for the entry.
Whether its conditions hold and whether other levies replace or exclude it
do not matter: where the duty does not apply, an exemption heading must say
why. The line then carries exactly one heading of the group. A levy of the
group without a heading counts as that one declaration: it stands for an
exception reported under another number, e.g. goods entered under a chapter
98 provision, which report the chapter 98 number first and no chapter 99
exception heading (CSMS #64649265, "CHAPTER 98" and "HTSUS SEQUENCE").
:func:`violations` lists the lines that do not; :func:`sample_queries`
builds the queries ``validate`` checks a rule set with.
"""

from __future__ import annotations

import datetime as _dt
import bisect
import random
from typing import TYPE_CHECKING, Iterator

import attrs

from .conditions import leaves
from .dutiable import holding
from .evaluate import version_at
from .geo import iso_countries
from .model import HELD_NOT_OWED, visible_versions
from .query import Query
from .result import Resolution

if TYPE_CHECKING:  # pragma: no cover
    from .ruleset import RuleSet

__all__ = ["DeclarationViolation", "violations", "sample_queries", "check_declarations"]


@attrs.frozen(kw_only=True)
class DeclarationViolation:
    """An entry line that does not carry exactly one heading of a declaration group in force for it."""

    query: Query
    line: int
    slice: str
    group: str
    #: the levies of the group in force for the good and origin whose base covers the line
    required_by: tuple[str, ...]
    #: the headings of the group the line carries (none, or several); ``None`` for a levy without heading
    carried: tuple[str | None, ...]

    def describe(self) -> str:
        q = self.query
        found = ", ".join(h or "(a levy without heading)" for h in self.carried) or "none"
        return (f"{q.code} from {q.origin} entered {q.entered.isoformat()}, line {self.line} ({self.slice}): "
                f"declaration group {self.group!r} (in force by {', '.join(self.required_by)}) needs exactly one "
                f"heading; the line carries {found}")


def violations(rules: "RuleSet", resolution: Resolution) -> tuple[DeclarationViolation, ...]:
    """The entry lines of ``resolution`` that break the declaration rule of the module docstring."""
    query = resolution.query
    suspensions = [v for s in rules.suspensions for v in visible_versions(s.versions, query.as_of)
                   if v.period.contains(query.entered)]
    required: dict[str, list] = {}
    cuts = holding(rules.info.dutiable, rules.lookup_for(query))  # the bases a dutiable-value rule trims
    for levy in rules.levies:
        if not any(v.declaration for v in levy.versions):
            continue
        version = version_at(visible_versions(levy.versions, query.as_of), query.entered)
        if (version is None or version.declaration is None or not version.declaration_required
                or not version.goods.covers(query.code)
                or not version.origins.covers(query.origin)
                or any(s.suspends(levy.id, query.origin) for s in suspensions)):
            continue
        base, _ = cuts.base(levy.id, version.base.portion(query.value, query.content_map))
        required.setdefault(version.declaration, []).append((levy.id, base))
    # a ruling that holds a levy not owed takes its whole group off the line: nothing of it is declared
    held = {skip.id for skip in resolution.skipped if skip.reason == HELD_NOT_OWED}
    for levy in rules.levies:
        if levy.id in held:
            version = version_at(visible_versions(levy.versions, query.as_of), query.entered)
            if version is not None and version.declaration is not None:
                required.pop(version.declaration, None)
    if not required:
        return ()
    groups = {levy.id: levy.declaration for levy in resolution.levies}
    out = []
    for line in resolution.lines:
        if line.value == 0:  # a slice worth 0 is no base: a levy on a zero base is not reported
            continue
        for group, members in sorted(required.items()):
            by = tuple(levy_id for levy_id, base in members if line.slice.minus(base) != line.slice)
            if not by:
                continue
            carried = tuple(levy.heading for levy in line.levies if groups.get(levy.id) == group)
            if len(carried) != 1:
                out.append(DeclarationViolation(query=query, line=line.number, slice=line.describe(), group=group,
                                                required_by=by, carried=carried))
    return tuple(out)


def _padded(prefix: str, length: int) -> str:
    return (prefix + "0" * length)[:length]


def _first_line(lines: list[str], prefix: str) -> str | None:
    """The first code of the sorted ``lines`` under ``prefix``, or None."""
    at = bisect.bisect_left(lines, prefix)
    return lines[at] if at < len(lines) and lines[at].startswith(prefix) else None


def sample_queries(rules: "RuleSet", count: int = 2000, seed: int = 0) -> Iterator[Query]:
    """``count`` queries that probe the declaration groups, the same every time for the same rules and seed.

    Entry instants are the change points within the horizon (a new epoch
    starts at each); codes are the goods prefixes and excepted prefixes of
    the levies, padded with zeros (with a code table, the first line of the
    schedule under each; a query the reader refuses is skipped), and a code
    none of them names; origins
    are the countries the levies and suspensions name and one they do not; half the queries give a value of 1000 with every
    content kind the rules name at an equal share, about one in three was
    loaded the day before an instant a condition compares ``loaded`` with,
    and each declared yes/no fact is drawn at random, one without a default also left out
    one time in three (a special-program claim the
    line or origin does not allow, :mod:`tariffrules.general_rate`, is dropped).
    """
    from .errors import TariffRulesError
    from .hts import code_prefixes

    if count <= 0 or not any(v.declaration for levy in rules.levies for v in levy.versions):
        return
    versions = [v for levy in rules.levies for v in levy.versions]  # any levy may replace a declared one
    length = rules.info.code_lengths[0]
    prefixes = sorted({p for v in versions for p in v.goods.prefixes | v.goods.excluded})
    named = set(prefixes)
    codes = [_padded(p, length) for p in prefixes if len(p) <= length]
    codes += [c for c in (_padded(f"{ch:02d}", length) for ch in range(1, 98))
              if not named & set(code_prefixes(c))][:1]
    if rules.info.schedule is not None:  # a padded prefix is rarely a line: take the schedule's first line under it
        lines = sorted(rules.info.schedule.codes)
        codes = sorted({_first_line(lines, code.rstrip("0") or code) or code for code in codes})
    countries = {c for v in versions for c in v.origins.members | v.origins.excluded}
    countries |= {c for s in rules.suspensions for v in s.versions for c in v.origins.members | v.origins.excluded}
    countries.update(sorted(iso_countries() - countries)[:1])
    origins = sorted(countries)
    start, stop = rules.info.horizon_start, rules.info.stale_from
    instants = sorted({start} | {p for p in rules.change_points() if start <= p < stop})
    kinds = sorted({k for levy in rules.levies for v in levy.versions
                    for k in ((v.base.content,) if v.base.content else v.base.less)})
    flags = [f.name for f in rules.info.facts if f.type == "bool"]
    # a yes/no fact without a default and answered when not given is also drawn "not given": the answer a caller
    # gets without saying it must declare too
    unsaid = {f.name for f in rules.info.facts if f.type == "bool" and f.default is None and f.on_missing == "assume"}
    loaded = sorted({c.operand - _dt.timedelta(days=1) for v in versions for condition in v.when + v.unless
                     for c in leaves(condition) if c.fact == "loaded" and isinstance(c.operand, _dt.datetime)})
    draw = random.Random(seed)
    for _ in range(count):
        code, origin, instant = draw.choice(codes), draw.choice(origins), draw.choice(instants)
        facts: dict = {name: draw.random() < 0.5 for name in flags}
        for name in sorted(unsaid):
            if draw.random() < 1 / 3:
                del facts[name]
        if loaded and draw.random() < 0.3:
            # goods are loaded before they are entered (a later loading date is a typed error)
            before = [day for day in loaded if day <= instant]
            if before:
                facts["loaded"] = draw.choice(before)
        if draw.random() < 0.5:
            share = 1000 // (len(kinds) + 1)
            facts.update(value=1000, content={kind: share for kind in kinds})
        try:
            yield rules.query(code, origin, instant, **facts)
        except TariffRulesError as exc:  # not a line at that instant, or split by the rules: nothing to check
            claims = rules.info.general.claim_facts if rules.info.general is not None else ()
            if getattr(exc, "argument", None) in claims:  # a claim the line or origin does not allow: no claim
                yield rules.query(code, origin, instant, **{k: v for k, v in facts.items() if k not in claims})


def check_declarations(rules: "RuleSet", count: int = 2000, seed: int = 0) -> tuple[DeclarationViolation, ...]:
    """Resolve :func:`sample_queries` and return every declaration violation found (empty: none found).

    A query the engine cannot answer (e.g. an all-in rate without a general
    rate) is skipped: it has no lines to check.
    """
    from .errors import TariffRulesError

    found = []
    for query in sample_queries(rules, count, seed):
        try:
            resolution = rules.resolve_query(query)
            found.extend(violations(rules, resolution))
        except TariffRulesError:
            continue
    return tuple(found)

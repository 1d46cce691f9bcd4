"""Answers across time: timelines of one good, changes between dates, and re-rating as filed versus now.

A point lookup answers for one instant. Customs teams also ask how the duty
on a good moved, what changed between two dates, and what an entry owes now
compared with what was known when it was filed. These three questions share
one idea: the rules only change at *change points* (an instant some levy or
suspension starts or ends, or a condition compares a fact with), so between
two consecutive change points every answer is constant. A timeline resolves
the good once per stretch between change points and merges neighbours whose
answers are the same.

Effective time (when a rule applies to goods entered) and known time (when
the rule was signed or published) are separate axes: ``as_of`` picks the
rules known at an instant, the entry instant picks which of those apply.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import attrs

from .errors import InvalidInstantError, TariffRulesError
from .model import LevyVersion, SuspensionVersion, visible_versions
from .periods import instant_from_query, micros
from .query import Query, stale_error
from .result import REASONS, AppliedLevy, Resolution

if TYPE_CHECKING:  # pragma: no cover
    from .ruleset import RuleSet

__all__ = ["Span", "Change", "Revision", "LevyDifference", "timeline", "changes", "revisions"]


@attrs.frozen(kw_only=True)
class Span:
    """A stretch of entry time ``[start, end)`` over which one good's answer is constant."""

    start: _dt.datetime
    end: _dt.datetime
    resolution: Resolution

    def contains(self, instant: _dt.datetime) -> bool:
        return self.start <= instant < self.end

    def to_dict(self) -> dict[str, Any]:
        out = self.resolution.to_dict()
        out.pop("skipped")
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), **out}


@attrs.frozen(kw_only=True)
class Change:
    """A levy or suspension version that starts or ends at ``instant``.

    ``known`` is when the version became known; ``retroactive`` is true when
    that is after ``instant`` and the version changed what applied from that
    instant. A version that only sets or moves the end of an earlier one
    (an order ending a duty) is not retroactive where it starts: the terms
    in force from its start are those already known. ``version`` holds the full definition, with its goods and origin
    scopes: :meth:`RuleSet.changes` can filter to the changes that touch one
    good and origin.
    """

    instant: _dt.datetime
    event: str  # "starts" or "ends"
    kind: str  # "levy", "suspension" or "ruling"
    id: str
    label: str
    title: str
    citation: str
    heading: str | None
    known: _dt.datetime
    goods: str
    origins: str
    #: when the terms in force from a start were first known (earlier than ``known`` for an amendment
    #: that only moved the end); for an end, ``known``
    first_known: _dt.datetime
    #: true when the change became known after ``instant`` and reaches back over entries already made
    retroactive: bool
    version: LevyVersion | SuspensionVersion = attrs.field(repr=False)

    def describe(self) -> str:
        flag = f" (retroactive: known {self.first_known.isoformat()})" if self.retroactive else ""
        head = f"{self.heading} " if self.heading else ""
        return (f"{self.instant.isoformat()} {self.event:6} {self.kind} {self.id} [{self.label}] {head}"
                f"- {self.title}; {self.citation}; goods: {self.goods}; origins: {self.origins}{flag}")


@attrs.frozen(kw_only=True)
class LevyDifference:
    """One levy whose treatment differs between the answer as filed and the answer now."""

    id: str
    heading: str | None
    filed_rate: Decimal | None
    current_rate: Decimal | None
    #: why: the current citation for a levy now applied, the reason it is skipped now otherwise
    reason: str


@attrs.frozen(kw_only=True)
class Revision:
    """One line re-rated: its answer as filed and under current rules.

    ``changed`` is false when both answers apply the same levies at the same
    headings, rates and bases, even under different versions (then
    ``differences`` is empty): a version that only set an end date owes nothing.
    ``duty_change`` is ``current duty - filed duty`` (negative: a refund is due)
    when the line gives a customs value, else ``None``; ``rate_change`` the
    same for the total rate when it can be computed.
    """

    #: the line's place in the input, from 0 (``describe`` counts from 1, as a user does)
    line: int
    changed: bool
    filed: Resolution
    current: Resolution
    differences: tuple[LevyDifference, ...]
    rate_change: Decimal | None
    duty_change: Decimal | None

    def describe(self) -> str:
        q = self.current.query
        money = f", duty {self.duty_change:+}" if self.duty_change is not None else ""
        rate = f"rate {self.rate_change:+}%" if self.rate_change is not None else "rate changed"
        lines = [f"line {self.line + 1}: {q.code} from {q.origin} entered {q.entered.isoformat()}: {rate}{money}"]
        for d in self.differences:
            filed = "not applied" if d.filed_rate is None else f"{d.filed_rate}%"
            now = "not applied" if d.current_rate is None else f"{d.current_rate}%"
            lines.append(f"  {d.heading or '':12} {d.id}: {filed} as filed -> {now} now ({d.reason})")
        return "\n".join(lines)


def _instant(rules: "RuleSet", value: Any, argument: str) -> _dt.datetime:
    instant, _ = instant_from_query(value, rules.day_instant, argument, rules.info.zone_name)
    return instant


def _at(query: Query, instant: _dt.datetime) -> Query:
    return attrs.evolve(query, entered=instant, entered_key=micros(instant), bare_date=False)


def timeline(rules: "RuleSet", hts: Any, origin: Any, start: Any, end: Any, *, as_of: Any = None,
             allow_stale: bool = False, **facts: Any) -> tuple[Span, ...]:
    """The consecutive spans of ``[start, end)`` over which the answer for this good is constant.

    Every change point inside the range that alters the answer (the applied
    levies, their versions, rates or bases) starts a new span; none that
    leaves it unchanged does. Bare dates mean the rule set's day instant, as
    in :meth:`RuleSet.resolve`, so ``end=date(2026, 1, 1)`` stops at 00:01 that day.
    """
    first = rules.query(hts, origin, start, as_of=as_of, allow_stale=allow_stale, **facts)
    stop = _instant(rules, end, "end")
    if stop <= first.entered:
        raise InvalidInstantError("end", end, f"is not after start {first.entered.isoformat()}",
                                  "an end later than the start (the range is half-open, [start, end))")
    info = rules.info
    if stop > info.stale_from and not allow_stale:
        raise stale_error(info, "end", end, "an earlier end")
    engine = rules.engine
    _, view = engine.view(first.as_of)
    inside = [p for p in view.change_points if first.entered < p < stop]
    bounds = [first.entered, *inside, stop]
    spans: list[Span] = []
    for low, high in zip(bounds, bounds[1:]):
        answer = engine.resolve(_at(first, low))
        if spans and spans[-1].resolution.same_answer(answer):
            spans[-1] = attrs.evolve(spans[-1], end=high)
        else:
            spans.append(Span(start=low, end=high, resolution=answer))
    return tuple(spans)


def _touches(rules: "RuleSet", version: LevyVersion | SuspensionVersion, code: str | None,
             origin: str | None) -> bool:
    if isinstance(version, LevyVersion):
        return ((code is None or version.goods.covers(code))
                and (origin is None or version.origins.covers(origin)))
    if origin is not None and not version.origins.covers(origin):
        return False
    if code is None:
        return True
    return any(v.goods.covers(code) for levy_id in version.levies for v in rules.get(levy_id).versions)


def _terms(version: LevyVersion | SuspensionVersion) -> tuple:
    """What a version does, apart from its period and bookkeeping: two versions with equal terms differ only in time."""
    if isinstance(version, LevyVersion):
        return (version.rate, version.base, version.goods, version.origins, version.when, version.unless,
                version.excludes, version.replaces, version.applies_with, version.heading)
    return (version.levies, version.origins)


def _terms_known_since(rules: "RuleSet"):
    """For a version, when its terms from its start were first known: follows ``supersedes`` back
    through versions with the same start and the same terms (amendments that only moved the end)."""
    def known_since(version: LevyVersion | SuspensionVersion) -> _dt.datetime:
        item = rules.get(version.levy_id if isinstance(version, LevyVersion) else version.suspension_id)
        by_label = {v.label: v for v in item.versions}
        earliest = version.known
        current = version
        while current.supersedes in by_label:
            older = by_label[current.supersedes]
            if older.period.start != version.period.start or _terms(older) != _terms(version):
                break
            earliest = min(earliest, older.known)
            current = older
        return earliest

    return known_since


def changes(rules: "RuleSet", start: Any, end: Any, *, as_of: Any = None, hts: Any = None,
            origin: Any = None) -> tuple[Change, ...]:
    """Every levy or suspension version that starts or ends in ``[start, end)``, in time order.

    With ``hts`` and/or ``origin``, only versions whose scope touches that
    good or origin (a suspension touches a good when a levy it names covers it).
    """
    low = _instant(rules, start, "start")
    high = _instant(rules, end, "end")
    if high <= low:
        raise InvalidInstantError("end", end, f"is not after start {low.isoformat()}",
                                  "an end later than the start (the range is half-open, [start, end))")
    reader = rules.reader
    code = reader.code(hts) if hts is not None else None
    if code is not None and rules.info.schedule is not None:  # a code of no revision is no good's code
        rules.info.schedule.check_known(code, "hts", hts)
    country = reader.origin(origin) if origin is not None else None
    known_at = reader.as_of(as_of)
    versions = [v for levy in rules.levies for v in visible_versions(levy.versions, known_at)]
    versions += [v for s in rules.suspensions for v in visible_versions(s.versions, known_at)]
    found = []
    terms_since = _terms_known_since(rules)
    for v in versions:
        if not _touches(rules, v, code, country):
            continue
        levy = isinstance(v, LevyVersion)
        for event, instant in (("starts", v.period.start), ("ends", v.period.end)):
            if instant is not None and low <= instant < high:
                found.append(Change(
                    instant=instant, event=event,
                    kind="levy" if levy else "ruling" if v.is_ruling else "suspension",
                    id=v.levy_id if levy else v.suspension_id, label=v.label, title=v.title,
                    citation=v.citation, heading=v.heading if levy else None, known=v.known,
                    goods=v.goods.describe() if levy else "goods of " + ", ".join(sorted(v.levies)),
                    origins=v.origins.describe(),
                    first_known=(first := v.known if event == "ends" else terms_since(v)),
                    retroactive=first > instant,
                    version=v))
    found.sort(key=lambda c: (c.instant, c.event != "ends", c.id, c.label))
    return tuple(found)


def _duty_terms(levy: AppliedLevy) -> tuple:
    """What a levy contributes to the duty: heading, rate and the portion of the value it applies to."""
    return (levy.heading, levy.rate, levy.portion)


def _differences(filed: Resolution, current: Resolution) -> tuple[LevyDifference, ...]:
    """Levies applied in one answer and not the other, or at another heading, rate or base.

    A levy that applies on the same terms under a later version (say, one
    that only set its end date) is not a difference: it changes no duty.
    """
    before: dict[str, AppliedLevy] = {levy.id: levy for levy in filed.levies}
    after: dict[str, AppliedLevy] = {levy.id: levy for levy in current.levies}
    skipped_now = {s.id: s for s in current.skipped}
    out = []
    for levy_id in sorted(before.keys() | after.keys()):
        old, new = before.get(levy_id), after.get(levy_id)
        if old is not None and new is not None and _duty_terms(old) == _duty_terms(new):
            continue
        if new is not None:
            reason = f"now applies under {new.citation} [version {new.version}]"
            if old is not None:
                reason = f"version {old.version} -> {new.version}: {new.citation}"
        else:
            skip = skipped_now.get(levy_id)
            reason = f"no longer applies: {REASONS[skip.reason]} {skip.detail}" if skip else "no longer applies"
        some = new or old
        out.append(LevyDifference(id=levy_id, heading=some.heading,
                                  filed_rate=old.rate if old else None,
                                  current_rate=new.rate if new else None, reason=reason))
    return tuple(out)


def _difference(compute, filed: Resolution, current: Resolution) -> Decimal | None:
    try:
        return compute(current) - compute(filed)
    except TariffRulesError:
        return None


def revisions(rules: "RuleSet", lines: Iterable[Any], *, filed_as_of: Any = None, now: Any = None,
              allow_stale: bool = False) -> Iterator[Revision | TariffRulesError]:
    """Re-rate lines under the rules known ``now`` against the rules known when they were filed.

    Each line is what :meth:`RuleSet.resolve_many` takes. The filing instant
    is the line's own ``as_of`` (a mapping key or a :class:`Query` field), else
    ``filed_as_of``, else the entry instant itself (what was known when the
    goods were entered); a ``filed_as_of`` before a line's entry is that
    line's :class:`InvalidInstantError` (only the line's own ``as_of`` may
    be earlier: an entry summary filed before the goods arrived). ``now`` defaults to everything known, rulings that
    duties were not owed included (an answer without ``as_of`` leaves them
    out: it is what was to be declared). Yields, in
    input order, one :class:`Revision` per line (``changed`` tells whether the
    answer moved) or the :class:`TariffRulesError` of a line that fails, so no
    line is dropped: filter with ``[r for r in ... if getattr(r, "changed", True)]``.
    """
    now_instant = rules.reader.as_of(now)
    if now_instant is None:  # everything known, rulings included: what is owed now
        now_instant = rules.engine.known_instants[-1]
    default_filed = rules.reader.as_of(filed_as_of)
    if now is not None and default_filed is not None and default_filed > now_instant:
        raise InvalidInstantError("now", now, f"is before filed_as_of {default_filed.isoformat()}: what is known now "
                                  "includes what was known when the lines were filed",
                                  "now on or after filed_as_of, or no now (everything known)")
    engine = rules.engine
    for number, line in enumerate(lines):
        try:
            query = rules.line_query(line, allow_stale=allow_stale)
            filed_at = query.as_of or default_filed or query.entered
            if now is not None and query.as_of is not None and query.as_of > now_instant:
                raise InvalidInstantError("as_of", query.as_of, f"(the line's filing instant) is after now "
                                          f"{now_instant.isoformat()}", "a filing instant on or before now")
            if query.as_of is None and default_filed is not None and default_filed < query.entered:
                # filed_as_of is said of every line: one entered after it cannot have been filed then (a line's
                # own as_of may be earlier: an entry summary pre-filed before the goods arrive)
                raise InvalidInstantError("filed_as_of", filed_as_of, f"is before this line's entry "
                                          f"{query.entered.isoformat()}: a line cannot be filed before it is "
                                          "entered", "filed_as_of on or after every line's entry, or the line's "
                                          "own as_of for an entry summary filed before the goods arrived")
            filed = engine.resolve(attrs.evolve(query, as_of=filed_at))
            current = engine.resolve(attrs.evolve(query, as_of=now_instant))
        except TariffRulesError as error:
            yield error
            continue
        differences = () if filed.same_answer(current) else _differences(filed, current)
        value = query.value
        yield Revision(
            line=number, changed=bool(differences), filed=filed, current=current, differences=differences,
            rate_change=_difference(lambda r: r.rate, filed, current),
            duty_change=_difference(lambda r: r.duty(), filed, current) if value is not None else None,
        )


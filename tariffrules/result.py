"""What a resolution returns: applied levies in reporting order, skipped levies with reasons.

A :class:`Resolution` is a value: it can be compared, rendered as text for an
auditor (:meth:`Resolution.explain`) or as JSON-ready data
(:meth:`Resolution.to_dict`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Mapping

import attrs

from .errors import MissingFactError
from .model import LevyVersion
from .query import CONTENT_UNKNOWN, Query, check_content_within, decimal_fact
from .lines import REST, EntryLine, entry_lines
from .rates import WHOLE, Portion

__all__ = ["AppliedLevy", "SkippedLevy", "Resolution", "REASONS", "TIMING_REASONS", "SCOPE_REASONS"]

#: Reasons that only say a levy is not in force at the instant (counted, not listed, by default).
TIMING_REASONS = ("not_yet_in_force", "ended", "between_versions", "not_yet_known")
#: Reasons that say the levy does not cover the good or the origin.
SCOPE_REASONS = ("goods_out_of_scope", "origin_out_of_scope")

#: Reason codes of skipped levies, with the words used in explanations.
REASONS = {
    "not_yet_in_force": "not yet in force",
    "ended": "ended",
    "between_versions": "not in force at this instant (between versions)",
    "not_yet_known": "not yet known as of the as-of instant",
    "suspended": "suspended",
    "held_not_owed": "held not owed (a ruling on entries of this period)",
    "goods_out_of_scope": "goods out of scope",
    "origin_out_of_scope": "origin out of scope",
    "condition_not_met": "condition not met",
    "exempt": "exempt",
    "excluded": "excluded",
    "replaced": "replaced",
    "unaccompanied": "none of the levies it applies with applies",
    "zero_base": "its base is worth 0 (on no entry line)",
}


@attrs.frozen(kw_only=True)
class AppliedLevy:
    """A levy that applies, with the rate and base it applies at."""

    id: str
    title: str
    heading: str | None
    authority: str
    citation: str
    version: str
    rank: int
    #: additional duty as a percent of the base (an all-in rate already less the general rate)
    rate: Decimal
    rate_text: str
    #: description of the base, e.g. "full value", "steel content"
    base: str
    portion: Portion
    #: the part of the base other levies (or a dutiable-value rule, by its id) took away, e.g.
    #: (("us.s232.steel", "steel content"),)
    excluded_parts: tuple[tuple[str, str], ...] = ()
    partial: str | None = None
    note: str | None = None
    #: the declaration group of the levy's programme (``[program] declaration``), if any
    declaration: str | None = None

    def base_amount(self, value: Decimal | None, content: dict) -> Decimal | None:
        return self.portion.amount(value, content)

    def to_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "heading": self.heading, "authority": self.authority,
            "citation": self.citation, "version": self.version, "rate": str(self.rate),
            "rate_text": self.rate_text, "base": self.base,
            "excluded_parts": [list(p) for p in self.excluded_parts],
            "partial": self.partial, "note": self.note, "declaration": self.declaration,
        }


@attrs.frozen(kw_only=True)
class SkippedLevy:
    """A levy considered and not applied, with the reason code, the text and who caused it."""

    id: str
    reason: str
    detail: str
    by: str | None = None
    heading: str | None = None
    citation: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "reason": self.reason, "detail": self.detail, "by": self.by,
                "heading": self.heading, "citation": self.citation}


def applied_from(version: LevyVersion, portion: Portion, mfn: Decimal | None,
                 excluded_parts: tuple[tuple[str, str], ...]) -> AppliedLevy:
    """Build an :class:`AppliedLevy`; the caller has checked an all-in rate has its general rate."""
    rate = version.rate.effective(mfn)
    text = version.rate.describe()
    if version.rate.all_in:
        text = f"{version.rate.percent}% all-in less general rate {mfn}% = {rate}%"
    return AppliedLevy(
        id=version.levy_id, title=version.title, heading=version.heading, authority=version.authority,
        citation=version.citation, version=version.label, rank=version.rank, rate=rate, rate_text=text,
        base=portion.describe(), portion=portion, excluded_parts=excluded_parts, partial=version.partial,
        note=version.note, declaration=version.declaration,
    )


def _show_fact(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _json_fact(value: Any) -> Any:
    return value if value is None or isinstance(value, (bool, str)) else str(value)


def reporting_order(levy: AppliedLevy) -> tuple:
    """Entry-line order: rank, then heading, then id."""
    return (levy.rank, levy.heading or "", levy.id)


def unknown_hint(levy: AppliedLevy, unknown: str | None) -> str:
    """The words a missing-content error adds where the rule set gives an unknown content amount a meaning
    (``[ruleset] content_unknown``): how to say the amount is not known. Empty otherwise."""
    kinds = sorted(levy.portion.kinds)
    if unknown is None or not kinds:
        return ""
    return (f"; or, where the {kinds[0]} content is not known, content={{'{kinds[0]}': 'unknown'}} "
            f"(counted as {CONTENT_UNKNOWN[unknown]})")


def levy_shares(levies: tuple[AppliedLevy, ...], value: Decimal | None, content: dict,
                unknown: str | None = None) -> list[Decimal]:
    """Each levy's rate as a percent of the customs value ``value`` (a levy on part of the value counts as
    ``rate * part / value``); :class:`MissingFactError` when a part is not known (its text says how to give
    the amount, or, with ``unknown`` the rule set's ``content_unknown``, how to say it is not known).
    :attr:`Resolution.rate` is their sum, in this order; columnar batches rate rows with it too."""
    shares = []
    for levy in levies:
        if levy.portion.is_whole:
            shares.append(levy.rate)
            continue
        amount = levy.base_amount(value, content)
        if amount is None or not value:
            raise missing_part(levy, value, content, "the total rate", unknown)
        shares.append(levy.rate * amount / value)
    return shares


def missing_part(levy: AppliedLevy, value: Decimal | None, content: Mapping[str, Decimal],
                 needed_for: str, unknown: str | None = None) -> MissingFactError:
    """The error for a levy on part of the value whose amount the query does not tell: it names the fact
    missing, the customs value or the content kind (``content[steel]``), not one the query gave, and, with
    ``unknown`` the rule set's ``content_unknown``, how to say the amount is not known."""
    if not value:
        return MissingFactError("value", value, f"levy {levy.id} applies to the {levy.base}, so {needed_for} needs "
                                "a customs value above 0", "resolve(..., value=...)")
    kinds = sorted(k for k in levy.portion.kinds if k not in content) or sorted(levy.portion.kinds)
    kind = kinds[0] if kinds else "KIND"
    return MissingFactError(f"content[{kind}]", None, f"levy {levy.id} applies to the {levy.base}, so {needed_for} "
                            f"needs the amount of {' and '.join(kinds)} content, which is not given",
                            f"resolve(..., content={{'{kind}': Decimal('...')}})" + unknown_hint(levy, unknown))


def on_entry_lines(levies: tuple[AppliedLevy, ...], applied: Mapping[str, AppliedLevy],
                   settled: Mapping[str, SkippedLevy], query: Query, line_order: tuple[str, ...],
                   general: Portion = WHOLE):
    """The applied levies that are on some entry line, and the rest moved to the skipped ones.

    A levy on part of the value (a content kind, the value less one) whose
    part the query gives as worth 0 is on no entry line
    (:func:`tariffrules.lines.entry_lines`: an atom worth exactly 0 is no
    line), so it is not reported: it leaves ``levies`` (and so the headings,
    the rate, the duty and every output built on them) and is skipped with
    reason ``zero_base``. A levy on the whole value is on every line. Returns
    ``(levies, applied, settled, lines)``, the first three unchanged when every levy is on a line; ``lines``
    are the entry lines (as :attr:`Resolution.lines` builds them, ``general`` the general duty's part of the
    value) when they were built and stand, else ``None``.
    """
    if all(levy.portion.is_whole for levy in levies):
        return levies, applied, settled, None
    lines = entry_lines(levies, query.code, query.value, query.content_map, query.mfn, line_order, general)
    carried = {levy.id for line in lines for levy in line.levies}
    dropped = [levy for levy in levies if levy.id not in carried]
    if not dropped:
        return levies, applied, settled, lines
    settled = dict(settled)
    for levy in dropped:
        settled[levy.id] = SkippedLevy(
            id=levy.id, reason="zero_base", heading=levy.heading, citation=levy.citation,
            detail=f"applies to the {levy.base}, which the query gives as worth 0: no entry line carries it")
    return (tuple(levy for levy in levies if levy.id in carried),
            {key: levy for key, levy in applied.items() if key in carried}, settled, None)


@attrs.frozen(kw_only=True)
class Resolution:
    """The answer for one query.

    ``levies`` are the applied levies in reporting order. ``skipped`` lists
    every other levy of the rule set with the reason it does not apply; it is
    computed on first access, since bulk rating rarely needs it.
    """

    query: Query
    levies: tuple[AppliedLevy, ...]
    rule_set: str
    warnings: tuple[str, ...] = ()
    #: the rule set's filing order of the slices of the value (``[ruleset] line_order``)
    line_order: tuple[str, ...] = attrs.field(default=(REST,), eq=False, repr=False)
    #: the part of the value the general duty applies to: the whole value unless a dutiable-value rule
    #: (:mod:`tariffrules.dutiable`) leaves some content kinds out, e.g. the US components of an article
    #: assembled abroad
    general_base: Portion = WHOLE
    #: facts a condition read that the query did not give, with the value used (``None``: not given,
    #: so a condition on it did not hold), by name
    assumed: tuple[tuple[str, Any], ...] = ()
    #: what the rule set counts an unknown content amount as (``[ruleset] content_unknown``), for error texts
    content_unknown: str | None = attrs.field(default=None, eq=False, repr=False)
    _explain: Callable[[], tuple[SkippedLevy, ...]] | None = attrs.field(default=None, eq=False, repr=False)
    _skipped: tuple[SkippedLevy, ...] | None = attrs.field(init=False, default=None, eq=False, repr=False)
    _lines: tuple[EntryLine, ...] | None = attrs.field(init=False, default=None, eq=False, repr=False)

    @property
    def skipped(self) -> tuple[SkippedLevy, ...]:
        """Every other levy of the rule set, once, with its reason code, text and cause (computed on first access)."""
        if self._skipped is None:  # computed once; two threads racing here compute the same value
            object.__setattr__(self, "_skipped", self._explain() if self._explain else ())
        return self._skipped

    @property
    def headings(self) -> tuple[str, ...]:
        """Chapter 99 headings of the applied levies, in reporting order."""
        return tuple(levy.heading for levy in self.levies if levy.heading)

    @property
    def lines(self) -> tuple[EntryLine, ...]:
        """The entry summary lines, in filing order (computed on first access; see :mod:`tariffrules.lines`).

        One line per slice of the customs value that carries its own set of
        levies (e.g. the steel content and the rest), each with its value,
        its chapter 99 headings in reporting order, then the chapter 1-97
        number, each heading's rate and duty, and the line's general duty.
        Values and duties are ``None`` when the query lacks ``value`` or a
        needed ``content`` amount.
        """
        if self._lines is None:  # computed once; two threads racing here compute the same value
            object.__setattr__(self, "_lines", self._lines_for(self.query.value))
        return self._lines

    def _lines_for(self, value: Decimal | None) -> tuple[EntryLine, ...]:
        if value == self.query.value and self._lines is not None:
            return self._lines
        q = self.query
        return entry_lines(self.levies, q.code, value, q.content_map, q.mfn, self.line_order, self.general_base)

    def _value(self, value: Decimal | None) -> Decimal:
        if value is not None:  # read as the query's value fact is: same checks, same typed errors
            value = decimal_fact("value", value)
            if self.query.content:
                check_content_within(self.query.content_map, value)
        value = self.query.value if value is None else value
        if value is None:
            raise MissingFactError("value", None, "no customs value to compute a duty on",
                                   "resolution.duty(Decimal('1000')) or resolve(..., value=...)")
        return value

    def _shares(self, value: Decimal | None) -> list[Decimal]:
        return levy_shares(self.levies, value, self.query.content_map, self.content_unknown)

    @property
    def rate(self) -> Decimal:
        """Total additional duty as a percent of the customs value.

        Levies on a part of the value (a content kind) count as
        ``rate * part / value``, so the query must give ``value`` and
        ``content`` when such a levy applies.
        """
        return sum(self._shares(self.query.value), Decimal(0))

    def duty(self, value: Decimal | None = None) -> Decimal:
        """The chapter 99 (additional) duty on ``value`` (default: the query's value), in money.

        The sum over entry lines (:attr:`lines`) of each levy's duty on the
        line, rounded to the cent half up: on a one-line answer, the sum of
        each levy's rate times its base, rounded per levy. ``value`` is read
        as the query's ``value`` fact is (:func:`tariffrules.query.decimal_fact`:
        a Decimal, an int or text; a float, a bool, a negative, NaN, Infinity
        or 10**20 and more raise :class:`InvalidFactError`, as does a value
        below the sum of the query's content amounts). Raises
        :class:`MissingFactError` without a value, or when a levy applies to
        a content kind whose amount the query does not give.
        """
        total = Decimal(0)
        for line in self._lines_for(self._value(value)):
            for levy in line.levies:
                if levy.duty is None:
                    applied = next(applied for applied in self.levies if applied.id == levy.id)
                    raise missing_part(applied, self.query.value, self.query.content_map, "its duty",
                                       self.content_unknown)
                total += levy.duty
        return total

    def general_duty(self, value: Decimal | None = None) -> Decimal:
        """The general duty on ``value`` (column 1, column 2 or the claimed special rate; see
        :mod:`tariffrules.general_rate`): the general rate on each line's value, rounded to the
        cent half up per line, summed. Raises :class:`MissingFactError` when the general rate is not
        known as an ad valorem percent (pass ``mfn=``), or as :meth:`duty` does."""
        self.duty(value)  # the same checks of value and content
        if self.query.mfn is None:
            raise MissingFactError("mfn", None, f"the general rate of {self.query.code} is not known as an ad "
                                   "valorem percent", "the general rate given as the fact mfn, e.g. mfn=\"2.5\" for 2.5%")
        return sum((line.general_duty for line in self._lines_for(self._value(value))), Decimal(0))

    def total_duty(self, value: Decimal | None = None) -> Decimal:
        """Chapter 99 duty plus general duty on ``value`` (see :meth:`duty` and :meth:`general_duty`)."""
        return self.duty(value) + self.general_duty(value)

    def same_answer(self, other: "Resolution") -> bool:
        """True when both apply the same levies at the same rates on the same bases, and the general duty
        on the same part of the value. Raises :class:`~tariffrules.errors.QueryError` when ``other`` is not a
        :class:`Resolution` (e.g. ``None``)."""
        if not isinstance(other, Resolution):
            from .errors import QueryError

            raise QueryError("other", other, f"is {'None' if other is None else 'a ' + type(other).__name__}, not a "
                             "Resolution", "another answer to compare with, e.g. rules.resolve(hts, origin, when)")
        return self.levies == other.levies and self.general_base == other.general_base

    def explain(self, all_skipped: bool = False) -> str:
        """A text an auditor reads: the query, each applied levy with its citation, then the skipped levies.

        Levies in force but not applied (replaced, excluded, suspended, exempt,
        condition not met) are listed one by one; those not in force at the
        instant (not yet in force, ended, not yet known) are counted, or listed
        too with ``all_skipped=True``; those out of scope are counted.
        """
        q = self.query
        lines = [f"{q.code} from {q.origin}, entered {q.entered.isoformat()}"
                 + (" (bare date)" if q.bare_date else "")
                 + (f", as known at {q.as_of.isoformat()}" if q.as_of else "")
                 + f" [rule set {self.rule_set}]"]
        if q.mfn is not None:
            lines.append(f"  general rate: {q.mfn}% ({q.mfn_from})")
        lines.append("Applied, in reporting order:" if self.levies else "Applied: none")
        for levy in self.levies:
            lines.append(f"  {levy.heading or '(no heading)':12} {levy.rate}% on {levy.base}  {levy.id}")
            lines.append(f"  {'':12} {levy.title}; {levy.citation} [{levy.authority}; version {levy.version}]")
            for by, part in levy.excluded_parts:
                lines.append(f"  {'':12} not on the {part}: taken by {by}")
            if levy.partial:
                lines.append(f"  {'':12} scope partial: {levy.partial}")
            if levy.note:
                lines.append(f"  {'':12} note: {levy.note}")
        try:
            lines.append(f"Total additional rate: {self.rate}%")
        except MissingFactError:
            lines.append("Total additional rate: needs value and content (a levy applies to part of the value)")
        if q.value is not None:
            try:
                lines.append(f"Duty on {q.value}: {self.duty()}")
            except MissingFactError:
                pass
        lines.extend(self._explain_lines())
        for warning in self.warnings:
            lines.append(f"Warning: {warning}")
        if self.assumed:
            lines.append("Assumed (facts the rules read that the query did not give):")
            lines.extend(f"  {line}" for line in self.assumed_text())
        considered, timing, out_of_scope = self.skipped_summary(all_skipped)
        lines.append("Considered and not applied:" if considered else "Considered and not applied: none")
        for s in considered:
            lines.append(f"  {s.heading or '':12} {s.id}: {REASONS[s.reason]}: {s.detail}")
        if timing:
            lines.append(f"(not in force at this instant: {timing}; explain(all_skipped=True) lists them)")
        lines.append(f"({out_of_scope} other levies of the rule set are out of scope for this good or origin)")
        return "\n".join(lines)

    def _explain_lines(self) -> list[str]:
        """The entry lines as text: per line its slice and value, each number with its rate and duty."""
        def money(amount: Decimal | None) -> str:
            return "?" if amount is None else str(amount)

        out = ["Entry lines, in filing order:"]
        for line in self.lines:
            out.append(f"  line {line.number}: {line.describe()}, value {money(line.value)}")
            for levy in line.levies:
                out.append(f"    {levy.heading or '(no heading)':12} {levy.rate}% = {money(levy.duty)}  {levy.id}")
            general = "?" if line.general_rate is None else f"{line.general_rate}%"
            out.append(f"    {line.code:12} general {general} = {money(line.general_duty)}"
                       + ("" if line.dutiable else " (not dutiable: left out of the dutiable value)"))
            out.append(f"    line duty: additional {money(line.additional_duty)}, general "
                       f"{money(line.general_duty)}, total {money(line.total_duty)}")
        return out

    def assumed_text(self) -> tuple[str, ...]:
        """One line per assumed fact: its name and the value used, or that it was taken as not given."""
        return tuple(f"{name} = {_show_fact(value)} (the rule set's default)" if value is not None
                     else f"{name}: not given, so conditions on it do not hold" for name, value in self.assumed)

    def skipped_summary(self, all_skipped: bool = False) -> tuple[tuple[SkippedLevy, ...], str, int]:
        """The skipped levies to list, a text counting those not in force (empty when listed or none),
        and how many are out of scope: what an explanation shows, for any renderer."""
        hidden = SCOPE_REASONS if all_skipped else SCOPE_REASONS + TIMING_REASONS
        listed = tuple(s for s in self.skipped if s.reason not in hidden)
        timing = ""
        if not all_skipped:
            counts = {reason: sum(1 for s in self.skipped if s.reason == reason) for reason in TIMING_REASONS}
            timing = ", ".join(f"{REASONS[r]}: {n}" for r, n in counts.items() if n)
        return listed, timing, sum(1 for s in self.skipped if s.reason in SCOPE_REASONS)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: Decimals and instants as strings; ``rate``, ``duty``, ``general_duty`` and
        ``total_duty`` only when computable (else ``None``); ``lines`` the entry lines."""
        out: dict[str, Any] = {
            "rule_set": self.rule_set,
            "query": self.query.to_dict(),
            "levies": [levy.to_dict() for levy in self.levies],
            "headings": list(self.headings),
            "skipped": [s.to_dict() for s in self.skipped],
            "warnings": list(self.warnings),
            "assumed": {name: _json_fact(value) for name, value in self.assumed},
        }
        try:
            out["rate"] = str(self.rate)
        except MissingFactError:
            out["rate"] = None
        for key, amount in (("duty", self.duty), ("general_duty", self.general_duty),
                            ("total_duty", self.total_duty)):
            try:
                out[key] = str(amount()) if self.query.value is not None else None
            except MissingFactError:
                out[key] = None
        out["lines"] = [line.to_dict() for line in self.lines]
        return out

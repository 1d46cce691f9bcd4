"""Frozen value objects a loaded rule set is made of.

A *levy* is one additional duty, named by a stable dotted id. It has one or
more *versions*: each says, for a period of effective time, what the levy
is (rate, base, scope, conditions, relations) and since when that was
*known*. A *suspension* switches levies off for a period. Nothing here
changes after loading; an amendment is a new version, never an edit.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

import attrs

from .conditions import Condition, FactSpec
from .geo import OriginScope
from .periods import Period
from .rates import Base, Rate

#: the skip reason of a levy whose duties a ruling held not owed for the entry
HELD_NOT_OWED = "held_not_owed"

__all__ = ["HELD_NOT_OWED", "GoodsScope", "LevyVersion", "Levy", "SuspensionVersion", "Suspension", "RuleSetInfo", "FactFlag", "visible_versions"]


@attrs.frozen(kw_only=True)
class GoodsScope:
    """Goods a levy covers: codes under ``prefixes`` (or all goods) but not under ``excluded``."""

    everything: bool = False
    prefixes: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()

    def covers(self, code: str) -> bool:
        prefixes = [code[:n] for n in range(2, len(code) + 1)]
        if any(p in self.excluded for p in prefixes):
            return False
        return self.everything or any(p in self.prefixes for p in prefixes)

    def describe(self, show: int = 6) -> str:
        """A short text: the prefixes themselves when there are at most ``show``, else their count."""
        def listed(codes: frozenset[str], noun: str) -> str:
            return ", ".join(sorted(codes)) if len(codes) <= show else f"{len(codes)} {noun}"

        head = "all goods" if self.everything else "codes under " + listed(self.prefixes, "code prefixes")
        if self.excluded:
            head += " less " + listed(self.excluded, "excluded prefixes")
        return head


@attrs.frozen(kw_only=True)
class Source:
    """Where a definition was read: file and table, for error messages and audit."""

    file: str
    table: str


@attrs.frozen(kw_only=True)
class LevyVersion:
    """A levy as defined for one effective period, known from ``known``."""

    levy_id: str
    label: str
    title: str
    authority: str
    citation: str
    heading: str | None
    rank: int
    rate: Rate
    base: Base
    period: Period
    known: _dt.datetime
    goods: GoodsScope
    origins: OriginScope
    when: tuple[Condition, ...] = ()
    unless: tuple[Condition, ...] = ()
    excludes: frozenset[str] = frozenset()
    replaces: frozenset[str] = frozenset()
    #: ids of the levies this one needs: it applies only where at least one of them applies
    applies_with: frozenset[str] = frozenset()
    #: the programme's declaration group (``[program] declaration``), ``None`` when it needs no declaration
    declaration: str | None = None
    #: ``False``: the levy counts as a heading of its group where it applies, but its being in force never makes the
    #: group required on a line (``declaration_required = false``: a claim-only alternative whose base is wider than
    #: the lines CBP wants declared, or an exception reported under another programme's number)
    declaration_required: bool = True
    supersedes: str | None = None
    partial: str | None = None
    #: a measure the rule set names but does not encode: where it would apply, resolving raises
    #: CoverageGapError with this text (what is missing and what the caller can do)
    gap: str | None = None
    note: str | None = None
    source: Source

    @property
    def rate_text(self) -> str:
        """The rate as written, or ``not encoded (gap)`` for a measure the rule set does not encode."""
        return "not encoded (gap)" if self.gap else self.rate.describe()


@attrs.frozen(kw_only=True)
class Levy:
    """A levy id with all its versions, ordered by start then known."""

    id: str
    versions: tuple[LevyVersion, ...]


@attrs.frozen(kw_only=True)
class SuspensionVersion:
    """A suspension as defined for one period, known from ``known``."""

    suspension_id: str
    label: str
    title: str
    citation: str
    levies: frozenset[str]
    origins: OriginScope
    period: Period
    known: _dt.datetime
    supersedes: str | None = None
    note: str | None = None
    source: Source
    #: the skip reason it gives: ``"suspended"``, or ``"held_not_owed"`` for a ruling (a ``[[ruling]]`` table:
    #: the levies' duties were held not owed on entries of ``period``, known from ``known``)
    effect: str = "suspended"

    @property
    def is_ruling(self) -> bool:
        return self.effect == HELD_NOT_OWED

    def suspends(self, levy_id: str, origin: str) -> bool:
        """True when this version names ``levy_id`` and covers ``origin``."""
        return levy_id in self.levies and self.origins.covers(origin)


@attrs.frozen(kw_only=True)
class Suspension:
    """A suspension id with all its versions."""

    id: str
    versions: tuple[SuspensionVersion, ...]


@attrs.frozen(kw_only=True, slots=True)
class FactFlag:
    """A yes-flag of the command line that gives a declared fact one of its values (a rule file's
    ``[fact_flags.NAME]`` table): ``--NAME`` means ``--fact FACT=VALUE``. It lets a claim keep one fact
    whatever spelling the user knows it by; it is not a fact, and no condition can read it.

    ``name``: the flag, underscores for dashes; ``fact``: a declared text or choice fact; ``value``: the
    value the flag gives it; ``description``: what the flag claims (shown by ``--help``).
    """

    name: str
    fact: str
    value: str
    description: str = ""


@attrs.frozen(kw_only=True)
class RuleSetInfo:
    """A rule set's own settings (the ``[ruleset]`` table)."""

    name: str
    title: str
    zone_name: str
    zone: _dt.tzinfo = attrs.field(eq=False)
    horizon_start: _dt.datetime
    reviewed: _dt.date
    stale_from: _dt.datetime
    day_time: _dt.time
    heading_pattern: str | None
    code_lengths: tuple[int, ...]
    facts: tuple[FactSpec, ...]
    groups: tuple[tuple[str, frozenset[str]], ...]
    source: str
    #: filing order of the slices of a value split into entry lines: content kinds, "*" for the rest
    line_order: tuple[str, ...] = ("*",)
    #: hand-written Markdown for the coverage page (``[ruleset] coverage_notes`` side file), or None
    coverage_notes: str | None = None
    #: what a content amount given as ``"unknown"`` counts as (``[ruleset] content_unknown``): ``"value"``, the
    #: whole entered value (one line); None when the rule set gives an unknown amount no meaning (then refused)
    content_unknown: str | None = None
    #: the source of that meaning (``[ruleset] content_unknown_source``)
    content_unknown_source: str | None = None
    #: content kinds some base or condition of the rule set reads; a query may give only these
    content_kinds: tuple[str, ...] = ()
    #: the code table queries are checked against (see tariffrules.schedule), or None
    schedule: Any = attrs.field(default=None, eq=False)
    #: 8-digit codes whose 10-digit lines the rules treat differently (tariffrules.schedule.SplitCode)
    split_codes: tuple = attrs.field(default=(), eq=False)
    #: command-line yes-flags that set a fact to a value (``[fact_flags]`` tables)
    fact_flags: tuple[FactFlag, ...] = ()
    #: column 2 origins, special programmes and the column 2 / special texts (tariffrules.general_rate), or None
    general: Any = attrs.field(default=None, eq=False)
    #: the ``[[dutiable_value]]`` rules (tariffrules.dutiable.DutiableValue), by id
    dutiable: tuple = ()

    def __reduce__(self):
        """Pickle the zone by its IANA name: dateutil's zone objects do not unpickle across its versions."""
        fields = {a.name: getattr(self, a.name) for a in attrs.fields(RuleSetInfo) if a.name != "zone"}
        return (_info_with_zone, (fields,))


def _info_with_zone(fields: dict) -> RuleSetInfo:
    from .periods import zone_named

    return RuleSetInfo(zone=zone_named(fields["zone_name"]), **fields)


def visible_versions(versions: Iterable, as_of: _dt.datetime | None) -> list:
    """The versions an answer as of ``as_of`` sees: known by then, and not superseded.

    A version is dropped when another version known by ``as_of`` names it in
    ``supersedes``. ``as_of=None`` means everything known except rulings: a
    ruling (that duties were not owed) is told as known at an instant, so an
    answer without ``as_of`` is what the rules required to be declared.
    """
    if as_of is None:
        known = [v for v in versions if not getattr(v, "is_ruling", False)]
    else:
        known = [v for v in versions if v.known <= as_of]
    superseded = {v.supersedes for v in known if v.supersedes}
    return [v for v in known if v.label not in superseded]

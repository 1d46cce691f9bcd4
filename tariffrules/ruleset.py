"""The loaded, immutable rule set and its query methods.

A :class:`RuleSet` is a value: its levies, suspensions and settings never
change after :func:`tariffrules.load`. It is safe to share between threads;
the compiled index it builds on first use is filled under a lock and never
changed afterwards except to add entries.
"""

from __future__ import annotations

import datetime as _dt
import threading
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Callable, Iterable, Iterator, Mapping

import attrs

from .errors import TariffRulesError, UnknownLevyError, shown
from .evaluate import explain_skipped
from .model import Levy, RuleSetInfo, Suspension
from .periods import day_instant
from .rates import WHOLE, Portion
from .query import FactLookup, Query, QueryReader, assumed_facts
from .result import AppliedLevy, Resolution, SkippedLevy, on_entry_lines, reporting_order
from .timeline import Change, Revision, Span, changes, revisions, timeline

__all__ = ["RuleSet"]

#: resolutions kept for repeated identical ``resolve`` calls (they are immutable, so sharing is safe)
ANSWER_CACHE_LIMIT = 100_000


def _rebuild(info, levies, suspensions, mfn, origin):
    return RuleSet(info=info, levies=levies, suspensions=suspensions, mfn=mfn, origin=origin)


@attrs.frozen(kw_only=True, getstate_setstate=False)
class RuleSet:
    """A loaded rule set. Build one with :func:`tariffrules.load` or :func:`tariffrules.builtin`."""

    info: RuleSetInfo
    levies: tuple[Levy, ...]
    suspensions: tuple[Suspension, ...]
    mfn: Mapping[str, Decimal | None] = attrs.field(converter=lambda m: MappingProxyType(dict(m)), eq=False)
    origin: str = attrs.field(eq=False)
    _by_id: Mapping[str, Levy | Suspension] = attrs.field(init=False, eq=False, repr=False)
    _facts: Mapping = attrs.field(init=False, eq=False, repr=False)
    _mfn_lengths: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)
    _engine_box: list = attrs.field(init=False, eq=False, repr=False)
    _days: dict = attrs.field(init=False, eq=False, repr=False)
    _reader: QueryReader = attrs.field(init=False, eq=False, repr=False)
    _lock: Any = attrs.field(init=False, eq=False, repr=False)
    _answers: dict = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "_by_id", MappingProxyType({x.id: x for x in self.levies + self.suspensions}))
        set_(self, "_facts", MappingProxyType({f.name: f for f in self.info.facts}))
        set_(self, "_mfn_lengths", tuple(sorted({len(k) for k in self.mfn}, reverse=True)))
        set_(self, "_engine_box", [])
        set_(self, "_days", {})
        set_(self, "_reader", QueryReader(self.info, self.mfn_for, self.day_instant, first_known=min(
            (v.known for x in self.levies + self.suspensions for v in x.versions), default=None)))
        set_(self, "_lock", threading.Lock())
        set_(self, "_answers", {})

    def __reduce__(self):
        """Pickle the data only; the compiled index is rebuilt where the copy is used."""
        return (_rebuild, (self.info, self.levies, self.suspensions, dict(self.mfn), self.origin))

    # -- lookups ----------------------------------------------------------------
    def get(self, item_id: str) -> Levy | Suspension:
        """The levy or suspension with this id, or :class:`UnknownLevyError`."""
        try:
            return self._by_id[item_id]
        except KeyError:
            raise UnknownLevyError(f"no levy or suspension {shown(item_id)} in rule set {self.info.name}; "
                                   "list them with RuleSet.levies or `tariffrules list`") from None

    def mfn_for(self, code: str) -> tuple[bool, Decimal | None]:
        """The general rate from the rule set's schedule: (found, percent or None if not ad valorem)."""
        for n in self._mfn_lengths:
            if code[:n] in self.mfn:
                return True, self.mfn[code[:n]]
        return False, None

    def lookup_for(self, query: Query) -> FactLookup:
        """A fact lookup for conditions, with declared defaults; it records the facts read (``.read``)."""
        return FactLookup(query, self._facts)

    @property
    def engine(self):
        if not self._engine_box:
            with self._lock:
                if not self._engine_box:
                    from .engine import Engine

                    self._engine_box.append(Engine(self))
        return self._engine_box[0]

    @property
    def reader(self) -> QueryReader:
        """The rule set's query reader: normalises codes, origins and instants (cached)."""
        return self._reader

    def change_points(self, as_of: Any = None) -> tuple[_dt.datetime, ...]:
        """Every instant at which some levy or suspension starts or ends, or a condition compares
        an instant with (as known at ``as_of``). Between two consecutive points every answer is constant."""
        return tuple(self.engine.view(self._reader.as_of(as_of))[1].change_points)

    # -- time travel (see tariffrules.timeline) -------------------------------------
    def timeline(self, hts: Any, origin: Any, start: Any, end: Any, *, as_of: Any = None,
                 allow_stale: bool = False, **facts: Any) -> tuple[Span, ...]:
        """The consecutive spans of ``[start, end)`` over which this good's answer is constant.

        Each :class:`~tariffrules.timeline.Span` has ``start``, ``end`` and the
        ``resolution`` that holds throughout it. Arguments are those of
        :meth:`resolve`; bare dates mean the rule set's day instant.
        """
        return timeline(self, hts, origin, start, end, as_of=as_of, allow_stale=allow_stale, **facts)

    def changes(self, start: Any, end: Any, *, as_of: Any = None, hts: Any = None,
                origin: Any = None) -> tuple[Change, ...]:
        """Every levy or suspension version that starts or ends in ``[start, end)``, with its citation.

        ``hts`` and ``origin`` keep only the changes that touch that good or origin.
        """
        return changes(self, start, end, as_of=as_of, hts=hts, origin=origin)

    def revisions(self, lines: Iterable[Any], *, filed_as_of: Any = None, now: Any = None,
                  allow_stale: bool = False) -> Iterator[Revision | TariffRulesError]:
        """Re-rate lines as filed versus now: the refund finder (see :func:`tariffrules.timeline.revisions`)."""
        _check_lines(lines)
        return revisions(self, lines, filed_as_of=filed_as_of, now=now, allow_stale=allow_stale)

    # -- checks ------------------------------------------------------------------------
    def validate(self, samples: int = 2000, seed: int = 0) -> tuple:
        """Check the declaration groups on ``samples`` queries drawn from the rule set's own change points,
        goods and origins (see :mod:`tariffrules.declarations`); return every violation found.

        Loading already checked everything else. An empty tuple means no
        sampled entry line lacks, or doubles, a heading of a declaration
        group in force for it (CSMS #64649265); it is evidence, not proof.
        """
        from .declarations import check_declarations
        from .errors import QueryError

        if type(samples) is not int or samples < 1:
            raise QueryError("samples", samples, "is not a whole number of at least 1", "e.g. samples=2000")
        if type(seed) is not int:
            raise QueryError("seed", seed, "is not a whole number", "e.g. seed=0")
        return check_declarations(self, samples, seed)

    def stale_list_codes(self) -> tuple:
        """The list codes that are no line of the tariff schedule in force while their levy version is
        (see :func:`tariffrules.checks.stale_list_codes`): one
        :class:`~tariffrules.checks.StaleListCode` per levy version, code and revision found; empty without a
        ``schedule`` or when every listed code is a line (or the prefix of one) wherever it is used.
        """
        from .checks import stale_list_codes

        return stale_list_codes(self.levies, self.info.schedule)

    def refunds(self, entries: Iterable[Mapping[str, Any]], *, on: Any, now: Any = None, process: Any = None,
                allow_stale: bool = False) -> tuple:
        """The refund report: per entry summary line, declared vs owed now, and the entry's refund route.

        ``entries`` are mappings of text cells as a broker exports them
        (``entry_number``, ``line_number``, ``entry_date``, ``hts``,
        ``origin``, ``value``, ``declared`` and the process's entry facts);
        ``on`` is the day a refund declaration would be filed; ``now`` the
        as-of instant of "owed now" (default: everything known, rulings
        included); ``process`` a refund process file (default: the rule set's
        ``refunds/*.toml``). Returns one :class:`~tariffrules.refunds.RefundLine`
        per input line, in order. Raises :class:`RuleFileError` when there is
        no process file; a line that cannot be decided carries its error.
        See :mod:`tariffrules.refunds` and ``docs/refunds.md``.
        """
        from .refunds import refunds

        return refunds(self, entries, on=on, now=now, process=process, allow_stale=allow_stale)

    # -- resolving ----------------------------------------------------------------
    def query(self, hts: Any, origin: Any, when: Any, *, as_of: Any = None, allow_stale: bool = False,
              **facts: Any) -> Query:
        """Check and normalise a query without resolving it."""
        return self._reader.read(hts, origin, when, as_of=as_of, allow_stale=allow_stale, facts=facts)

    def day_instant(self, day: _dt.date) -> _dt.datetime:
        """The instant a bare date stands for in this rule set (cached: zone arithmetic is slow)."""
        instant = self._days.get(day)
        if instant is None:
            instant = day_instant(day, self.info.zone, self.info.day_time)
            if len(self._days) < 100_000:
                self._days[day] = instant
        return instant

    def resolve(self, hts: Any, origin: Any, when: Any, *, as_of: Any = None, allow_stale: bool = False,
                **facts: Any) -> Resolution:
        """Which levies apply to ``hts`` from ``origin`` entered at ``when``, and why.

        ``when`` is a ``date`` (the rule set's day instant, 00:01 by default, in
        its zone), an aware ``datetime`` or an ISO string. ``as_of`` answers
        with only the rules known at that instant. Facts: ``value``,
        ``content`` (mapping kind to value), ``mfn``, ``loaded`` and those the
        rule set declares (for the US set, ``usmca``).
        """
        try:  # the same arguments again: answer from the cache (types are in the key: True is not 1)
            key = (hts, origin, when, as_of, allow_stale, *((k, v.__class__, v) for k, v in facts.items()))
            found = self._answers.get(key)
        except TypeError:  # an unhashable argument, e.g. a content mapping: resolve in full
            key = found = None
        if found is not None:
            return found
        answer = self.engine.resolve(self.query(hts, origin, when, as_of=as_of, allow_stale=allow_stale, **facts))
        if key is not None:
            if len(self._answers) >= ANSWER_CACHE_LIMIT:
                self._answers.clear()
            self._answers[key] = answer
        return answer

    def resolve_query(self, query: Query) -> Resolution:
        """Resolve an already normalised :class:`Query`."""
        return self.engine.resolve(query)

    def resolve_many(self, lines: Iterable[Any], *, allow_stale: bool = False,
                     progress: Callable[[int], None] | None = None,
                     progress_every: int = 10_000) -> Iterator[Resolution | TariffRulesError]:
        """Resolve lines lazily, in input order; a line that fails yields its error in its place.

        A line is a :class:`Query`, a tuple ``(hts, origin, when)`` or
        ``(hts, origin, when, facts_mapping)``, or a mapping with keys
        ``hts``, ``origin``, ``when`` and any facts (and ``as_of``). Memory
        does not grow with the number of lines. ``progress`` is called with
        the count of lines done every ``progress_every`` lines and at the end.
        Raises :class:`~tariffrules.errors.QueryError` (on the first item) for ``lines`` that is one line, a
        string, a mapping or a DataFrame, for a ``progress`` that is not callable, and for a
        ``progress_every`` that is not a whole number of at least 1.
        """
        _check_lines(lines)
        _check_progress(progress, progress_every)
        done = 0
        resolve = self.engine.resolve
        line_query = self.line_query
        for line in lines:
            try:
                yield resolve(line_query(line, allow_stale=allow_stale))
            except TariffRulesError as error:
                yield error
            done += 1
            if progress is not None and done % progress_every == 0:
                progress(done)
        if progress is not None and done % progress_every:
            progress(done)

    def resolve_table(self, table: Any, *, allow_stale: bool = False, chunk_rows: int | None = None,
                      progress: Callable[[int], None] | None = None, keep_columns: Iterable[str] = ()) -> Any:
        """Resolve every row of an Arrow table (or a pandas or polars frame) into a table, one row per row.

        The columns are those of ``tariffrules batch``; the answers are
        :meth:`resolve_many`'s, row for row, computed once per memo key and
        broadcast. See :mod:`tariffrules.table` (needs ``pip install 'tariffrules[arrow]'``). A column named
        twice, or one whose name holds a read column's name (``Customs Value``) unless ``keep_columns`` names it,
        raises :class:`~tariffrules.csv_input.BatchFileError`, as in the batch command.
        """
        from .table import CHUNK_ROWS, resolve_table

        return resolve_table(self, table, allow_stale=allow_stale, chunk_rows=CHUNK_ROWS if chunk_rows is None else chunk_rows,
                             progress=progress, keep_columns=keep_columns)

    def line_query(self, line: Any, *, allow_stale: bool = False) -> Query:
        """The :class:`Query` for one batch line (a Query, a tuple or a mapping; see :meth:`resolve_many`)."""
        if type(line) is tuple and len(line) == 4 and type(line[3]) is dict:  # the common batch shape, first
            return self._reader.read(line[0], line[1], line[2], allow_stale=allow_stale, facts=line[3])
        if isinstance(line, Query):
            return line
        error = getattr(line, "error", None)
        if isinstance(error, TariffRulesError):  # a line that failed upstream (e.g. a bad CSV cell)
            raise error
        if isinstance(line, Mapping):
            _check_line_keys(line)
            facts = _line_facts({k: v for k, v in line.items() if k not in ("hts", "origin", "when")}, "line")
            return self.query(line.get("hts"), line.get("origin"), line.get("when"),
                              allow_stale=allow_stale, **facts)
        if isinstance(line, tuple) and len(line) in (3, 4):
            facts = _line_facts(line[3], "facts") if len(line) == 4 else {}
            return self.query(line[0], line[1], line[2], allow_stale=allow_stale, **facts)
        from .errors import QueryError

        raise QueryError("line", line, "is not a query", "a Query, (hts, origin, when[, facts]) or a mapping")

    def finish(self, query: Query, applied: Mapping[str, AppliedLevy], settled: Mapping[str, SkippedLevy],
               levies: tuple[AppliedLevy, ...] | None = None,
               warnings: tuple[str, ...] | None = None, read: Iterable[str] = (),
               general: Portion = WHOLE) -> Resolution:
        """Assemble a :class:`Resolution` (shared by both resolvers).

        ``levies`` (already in reporting order) and ``warnings`` may be passed
        by a caller that has them cached; otherwise they are computed here. ``read`` names the facts the
        conditions read: those the query did not give become ``Resolution.assumed``. ``general`` is the part
        of the value the general duty applies to (:meth:`tariffrules.dutiable.Cuts.general`).
        """
        if levies is None:
            levies = tuple(sorted(applied.values(), key=reporting_order))
        levies, applied, settled, lines = on_entry_lines(levies, applied, settled, query, self.info.line_order,
                                                         general)
        if warnings is None:
            warnings = self.engine.view(query.as_of)[1].day_warnings(query.entered) if query.bare_date else ()
        if query.as_of is not None and query.as_of >= self.info.stale_from:
            warnings = (*warnings, _stale_as_of(self.info, query.as_of))
        resolution = Resolution(query=query, levies=levies, rule_set=self.info.name, warnings=warnings,
                                line_order=self.info.line_order, general_base=general,
                                content_unknown=self.info.content_unknown,
                                assumed=assumed_facts(query, read, self._facts) if read else (),
                                explain=_Explainer(self, query, applied, settled))
        if lines is not None:  # already built to find the levies on no line: not built a second time
            object.__setattr__(resolution, "_lines", lines)
        return resolution


def _stale_as_of(info: RuleSetInfo, as_of: _dt.datetime) -> str:
    return (f"as_of {as_of.astimezone(info.zone).isoformat()} is after {info.reviewed.isoformat()}, the last day the "
            f"rule set {info.name} was reviewed: the answer holds what was known then, and measures published "
            "later are missing")


def _line_facts(facts: Any, argument: str) -> dict[str, Any]:
    """The facts of one batch line as keyword arguments of :meth:`RuleSet.query`, or a :class:`QueryError`
    naming the shape that is wrong (so a batch yields the error in the line's place instead of stopping)."""
    from .errors import QueryError

    if not isinstance(facts, Mapping):
        raise QueryError(argument, facts, "is not a mapping of fact name to value",
                         "(hts, origin, when, {\"value\": \"1000\"}) or no fourth item")
    bad = next((key for key in facts if not isinstance(key, str)), None)
    if bad is not None:
        raise QueryError(argument, dict(facts), f"has the key {bad!r}, which is not a fact name",
                         "fact names as text, e.g. \"value\"")
    if "allow_stale" in facts:
        raise QueryError("allow_stale", facts["allow_stale"], "is not a fact of one line; it applies to the "
                         "whole batch", "resolve_many(lines, allow_stale=True) or revisions(lines, allow_stale=True)")
    return dict(facts)


def _check_lines(lines: Any) -> None:
    """Lines must be an iterable of lines, not one line or a scalar (a string would be read char by char)."""
    from .errors import QueryError

    if type(lines).__module__.split(".")[0] in ("pandas", "polars") and hasattr(lines, "columns"):
        raise QueryError("lines", f"a {type(lines).__name__}", "is a table: iterating it gives its column names, "
                         "not its rows", "rules.resolve_table(frame) for a table, or "
                         "resolve_many(frame.to_dict(\"records\")) for its rows as mappings")
    if (type(lines) is tuple and len(lines) in (3, 4) and all(isinstance(item, str) for item in lines[:3])
            and (len(lines) == 3 or isinstance(lines[3], (str, Mapping)))):
        raise QueryError("lines", lines, "is one line (hts, origin, when[, facts]), not a list of lines",
                         "resolve_many([line]) or rules.resolve(*line)")
    if isinstance(lines, (str, bytes, Mapping, Query)) or not isinstance(lines, Iterable):
        raise QueryError("lines", lines, "is not an iterable of lines",
                         "a list or iterator of lines: Query objects, (hts, origin, when[, facts]) tuples or mappings")


def _check_progress(progress: Any, every: Any) -> None:
    """``progress`` must be callable (or None) and ``progress_every`` a whole number of at least 1."""
    from .errors import QueryError
    from .query import numpy_scalar

    if progress is not None and not callable(progress):
        raise QueryError("progress", progress, f"is a {type(progress).__name__}, not callable",
                         "a function called with the count of lines done, e.g. progress=print, or None")
    if type(numpy_scalar(every)) is not int or every < 1:
        raise QueryError("progress_every", every, "is not a whole number of at least 1",
                         "the count of lines between progress calls, e.g. progress_every=10000")


def _check_line_keys(line: Mapping) -> None:
    """A mapping line lacking ``hts``, ``origin`` or ``when`` but holding it in another case or spacing (``HTS``)
    raises :class:`QueryError`: keys are read exactly, and the line would fail as if the column were not given."""
    from .errors import QueryError

    for key in line:
        if isinstance(key, str) and key not in line.keys() & {"hts", "origin", "when", "as_of"}:
            near = key.strip().lower().replace(" ", "_")
            if near in ("hts", "origin", "when", "as_of") and near not in line:
                raise QueryError("line", dict(line), f"has the key {shown(key)}, not {near}: keys are read exactly, "
                                 "in lower case", "the keys hts, origin, when (lower case), and any facts and as_of")


class _Explainer:
    """Computes a resolution's skipped levies on demand (cheaper to build per line than a closure)."""

    __slots__ = ("rules", "query", "applied", "settled")

    def __init__(self, rules: RuleSet, query: Query, applied, settled) -> None:
        self.rules, self.query, self.applied, self.settled = rules, query, applied, settled

    def __call__(self) -> tuple[SkippedLevy, ...]:
        rules = self.rules
        return explain_skipped(rules.levies, rules.suspensions, self.query, rules.lookup_for(self.query),
                               self.applied, self.settled)

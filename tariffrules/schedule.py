"""The tariff schedule a rule set is checked against: which codes are lines at an instant, and which
8-digit codes are split by rules written at 10 digits.

A rule set may name, in data, a *code table*: every 8- and 10-digit line of
its schedule in each revision it knows, with the instant each revision took
effect (``[ruleset.schedule]``, see the rule-format page). A query's code
must then be a line of the schedule in force at the entry instant, or it is
an :class:`~tariffrules.errors.UnknownCodeError` naming the code and the
date. A revision is a snapshot unless marked exact: between two snapshots a
line may have been created or deleted on a date the table cannot tell, so an
instant between them accepts a line of either; before an exact revision
(one whose changes a dated change list places at its start) only the earlier
revision's lines count. An 8-digit line with no
10-digit line under it takes any statistical suffix. Prefixes the data marks
as not goods (chapter 99 headings, in the US set) are refused with the
reason the data gives.

*Split codes.* Where a levy's goods are written at 9 or 10 digits, an
8-digit query code does not say which of its lines the good is on. At load,
every 8-digit code with such prefixes under it is examined: when the scopes
cover every 10-digit line of the code alike, the prefixes are written back at
8 digits (so an 8-digit query is answered like its lines); otherwise the
code is *split*, and its lines are grouped by the levy versions covering
them. A query giving a split code is resolved once per group with lines in
force at the entry (the query's origin, instant and facts, a line of the
group standing in for it): when all agree it is answered for the 8-digit
code; otherwise it is an :class:`~tariffrules.errors.AmbiguousCodeError`
naming each group's lines and the headings it pays.

The table file is CSV (optionally gzip-compressed): a header ``code,in``
then one row per 8- or 10-digit code, ``in`` being the revisions that hold
the line as a bit mask (bit 0 = first revision declared). Build one from
HTS schedules with ``python -m tariffrules.schedule OUT SCHEDULE...``
(``*_lines.csv.gz`` with an ``htsno`` column, or the USITC ``*.json.gz``).
"""

from __future__ import annotations

import bisect
import csv
import datetime as _dt
import gzip
import io
import json
import sys
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

import attrs

from .errors import AmbiguousCodeError, TariffRulesError, UnknownCodeError, shown

if TYPE_CHECKING:  # pragma: no cover
    from .model import Levy, LevyVersion

__all__ = ["ScheduleRevision", "Schedule", "SplitCode", "read_code_table", "split_codes", "code_table_rows", "main"]


@attrs.frozen
class ScheduleRevision:
    """One revision of the schedule: its name, the instant it took effect, and whether its line changes are
    known to date from that instant (``exact``: a dated change record says so; otherwise the revision is a
    snapshot, and its changes since the previous one may have taken effect on any date between the two)."""

    name: str
    start: _dt.datetime
    exact: bool = False


@attrs.frozen(kw_only=True)
class SplitCode:
    """An 8-digit code whose 10-digit lines the rules treat differently.

    ``lines`` are its 10-digit lines (or, with no schedule, the prefixes the
    rules name plus ``"other"``); ``differing`` pairs each levy version that
    covers some lines and not others with the lines it covers; ``classes``
    groups the lines by the set of levy versions whose goods cover them, each
    group with a code that stands for it and the revisions holding some of its
    lines as a bit mask (lines of one group answer alike in every query, so
    one resolution per group decides a query).
    """

    code: str
    lines: tuple[str, ...]
    differing: tuple[tuple["LevyVersion", tuple[str, ...]], ...]
    classes: tuple[tuple[str, tuple[str, ...], int], ...] = ()

    def resolve(self, resolve: Callable[[Any], Any], query: Any, schedule: "Schedule | None" = None) -> Any:
        """Answer ``query`` (whose code is this 8-digit code) if every 10-digit line answers it alike.

        ``resolve`` answers a :class:`~tariffrules.query.Query` (the engine's);
        with ``schedule``, only the lines in force at the entry count. One line
        of each group is resolved with the query's origin, instant and facts;
        when their levies and rates agree, that is the answer, for the 8-digit
        code, listing every fact some group assumed; when they all end in the
        same error, that error is raised. Otherwise raises
        :class:`~tariffrules.errors.AmbiguousCodeError` listing the lines and
        what each group pays.
        """
        answers = []
        mask = schedule.window(query.entered) if schedule is not None and "other" not in self.lines else 0
        for stand_in, lines, revisions in self.classes:
            if mask and not revisions & mask:  # no line of the group is in the schedule in force at the entry
                continue
            try:
                answer = resolve(attrs.evolve(query, code=stand_in))
            except TariffRulesError as error:
                answer = error
            answers.append((lines, answer))
        if not answers:  # no line of the code at this entry: the reader refused it before
            return resolve(attrs.evolve(query, code=self.classes[0][0]))
        first = answers[0][1]
        if all(_alike(first, answer) for _, answer in answers[1:]):
            if isinstance(first, TariffRulesError):
                raise first.with_traceback(None)
            if len(answers) == 1:
                return attrs.evolve(first, query=query)
            assumed = dict(kv for _, answer in reversed(answers) for kv in answer.assumed)
            return attrs.evolve(first, query=query, assumed=tuple(sorted(assumed.items())))
        if mask:  # name only the lines in force at the entry
            answers = [(tuple(line for line in lines if schedule.codes.get(line, 0) & mask), answer)
                       for lines, answer in answers]
        raise AmbiguousCodeError(
            "hts", _dotted(self.code), f"is an 8-digit code whose 10-digit lines answer differently for this entry "
            f"(from {query.origin}, entered {query.entered.isoformat()}): {_differences(answers)}",
            f"the good's 10-digit statistical line, e.g. {_dotted(_example(answers))}")


def _alike(first: Any, other: Any) -> bool:
    """Two answers of lines agree: the same levies and rates (memoised answers share one tuple), or the same
    error. The facts assumed may differ: the answer lists them all."""
    if isinstance(first, TariffRulesError) or isinstance(other, TariffRulesError):
        return type(first) is type(other) and str(first) == str(other)
    return first.levies is other.levies or first.levies == other.levies


def _lines_text(lines: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(_dotted(line) for line in lines[:limit])
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")


def _differences(answers: Sequence[tuple[tuple[str, ...], Any]]) -> str:
    """What each group of lines pays, naming only the levies not common to every group."""
    common = None
    for _, answer in answers:
        if not isinstance(answer, TariffRulesError):
            ids = {levy.id for levy in answer.levies}
            common = ids if common is None else common & ids
    common = common or set()
    parts = []
    for lines, answer in answers[:6]:
        if isinstance(answer, TariffRulesError):
            what = f"cannot be answered ({answer})"
        else:
            own = [levy for levy in answer.levies if levy.id not in common]
            what = ("pay " + ", ".join(f"{levy.heading or 'no heading'} ({levy.id}, {levy.rate_text})" for levy in own)
                    if own else "pay none of these")
        parts.append(f"{_lines_text(lines)} {what}")
    if len(answers) > 6:
        parts.append(f"and {len(answers) - 6} more groups of lines")
    return "; ".join(parts)


def _example(answers: Sequence[tuple[tuple[str, ...], Any]]) -> str:
    return next((line for lines, _ in answers for line in lines if line != "other"), answers[0][0][0])


@attrs.frozen(kw_only=True, eq=False, getstate_setstate=False)
class Schedule:
    """A rule set's code table: revisions, the lines of each, and prefixes that are not goods."""

    file: str
    revisions: tuple[ScheduleRevision, ...]
    #: code (8 or 10 digits) -> bit mask of the revisions holding it as a line
    codes: Mapping[str, int]
    #: 8-digit code -> bit mask of the revisions in which it has no 10-digit line (any suffix is taken)
    leaves: Mapping[str, int]
    #: (prefix, why) pairs: codes under the prefix are not goods
    not_goods: tuple[tuple[str, str], ...] = ()
    #: (prefix, what to give instead) for the ``not_goods`` prefixes whose number a query states otherwise (e.g. a
    #: provision claimed as a fact on the good's own code); the others ask for the good's own code
    instead: tuple[tuple[str, str], ...] = ()
    _starts: list = attrs.field(init=False, repr=False)
    _sorted: list = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "codes", MappingProxyType(dict(self.codes)))
        object.__setattr__(self, "leaves", MappingProxyType(dict(self.leaves)))
        object.__setattr__(self, "_starts", [r.start for r in self.revisions])
        object.__setattr__(self, "_sorted", sorted(self.codes))

    def __reduce__(self):
        """Pickle the table only; the sorted index is rebuilt where the copy is used."""
        return (_rebuild, (self.file, self.revisions, dict(self.codes), dict(self.leaves), self.not_goods,
                          self.instead))

    def window(self, instant: _dt.datetime) -> int:
        """The revisions whose lines count at ``instant``, as a bit mask (see the module docstring)."""
        i = bisect.bisect_right(self._starts, instant) - 1
        if i < 0:
            return 1
        later = i + 1 < len(self.revisions) and not self.revisions[i + 1].exact
        return (1 << i) | ((1 << (i + 1)) if later else 0)

    def names(self, mask: int) -> str:
        return " and ".join(r.name for i, r in enumerate(self.revisions) if mask >> i & 1)

    def is_line(self, code: str, mask: int) -> bool:
        if self.codes.get(code, 0) & mask:
            return True
        return len(code) > 8 and bool(self.leaves.get(code[:8], 0) & mask)

    def check(self, code: str, instant: _dt.datetime, argument: str, value: object) -> None:
        """Raise :class:`UnknownCodeError` unless ``code`` is a line of the schedule in force at ``instant``."""
        self._refuse_not_goods(code, argument, value)
        mask = self.window(instant)
        if self.is_line(code, mask):
            return
        near = self.nearest(code, mask)
        raise UnknownCodeError(
            argument, value, f"is not a line of the tariff schedule in force on {instant.date().isoformat()} "
            f"({self.names(mask)})", "a code of that schedule" + (f", e.g. {', '.join(near)}" if near else ""))

    def check_known(self, code: str, argument: str, value: object) -> None:
        """Raise :class:`UnknownCodeError` unless ``code`` is a good's code and a line of some revision (for a
        question about a span of time, such as the changes touching a good)."""
        self._refuse_not_goods(code, argument, value)
        every = (1 << len(self.revisions)) - 1
        if not self.is_line(code, every):
            near = self.nearest(code, every)
            span = f"{self.revisions[0].name} to {self.revisions[-1].name}"
            raise UnknownCodeError(argument, value, f"is a line of none of the {len(self.revisions)} revisions of the "
                                   f"schedule ({span})",
                                   "a code of the schedule" + (f", e.g. {', '.join(near)}" if near else ""))

    def _refuse_not_goods(self, code: str, argument: str, value: object) -> None:
        for prefix, why in self.not_goods:
            if code.startswith(prefix):
                raise UnknownCodeError(argument, value, f"is not a good's code: {why}",
                                       dict(self.instead).get(prefix, "the good's own code in the schedule"))

    def nearest(self, code: str, mask: int, limit: int = 3) -> list[str]:
        """Up to ``limit`` lines sharing the longest prefix with ``code`` (for the error message)."""
        for n in range(len(code) - 1, 1, -1):
            found = sorted(c for c in self._under(code[:n]) if len(c) == len(code) and self.codes[c] & mask)
            if found:
                return [_dotted(c) for c in found[:limit]]
        return []

    def _under(self, prefix: str) -> Iterable[str]:
        codes = self._sorted
        i = bisect.bisect_left(codes, prefix)
        while i < len(codes) and codes[i].startswith(prefix):
            yield codes[i]
            i += 1

    def lines_under(self, code: str) -> tuple[str, ...]:
        """The 10-digit lines under an 8-digit code, in any revision."""
        return tuple(sorted(c for c in self._under(code) if len(c) == 10))


def _rebuild(file, revisions, codes, leaves, not_goods, instead=()) -> Schedule:
    return Schedule(file=file, revisions=revisions, codes=codes, leaves=leaves, not_goods=not_goods, instead=instead)


def _dotted(digits: str) -> str:
    if not digits.isdigit():
        return digits
    parts = [digits[:4]] + [digits[i:i + 2] for i in range(4, len(digits), 2)]
    return ".".join(parts)


def read_code_table(text: str, revisions: int) -> tuple[dict[str, int], dict[str, int]]:
    """Parse a code table (see the module docstring): ``(codes, leaves)``; raises ``ValueError`` with the line."""
    rows = text.splitlines()
    if not rows or rows[0].strip() != "code,in":
        raise ValueError("line 1: the header must be code,in")
    codes: dict[str, int] = {}
    full = (1 << revisions) - 1
    for number, row in enumerate(rows[1:], 2):
        code, _, mask = row.partition(",")
        if len(code) not in (8, 10) or not code.isdigit() or not code.isascii() or not mask.isdigit() \
                or not 0 < int(mask) <= full or code in codes:
            raise ValueError(f"line {number}: {shown(row)} is not an 8- or 10-digit code, once, with a mask of "
                             f"the {revisions} revision(s)")
        codes[code] = int(mask)
    has_lines: dict[str, int] = {}
    for code, mask in codes.items():
        if len(code) == 10:
            has_lines[code[:8]] = has_lines.get(code[:8], 0) | mask
    leaves = {code: mask & ~has_lines.get(code, 0) for code, mask in codes.items()
              if len(code) == 8 and mask & ~has_lines.get(code, 0)}
    return codes, leaves


def split_codes(levies: Sequence["Levy"], schedule: Schedule | None) -> tuple[dict[str, frozenset[str]],
                                                                                   dict[str, SplitCode]]:
    """Examine every 8-digit code with a longer prefix under it in some scope (see the module docstring).

    Returns the prefixes to add at 8 digits, per levy version label key ``(levy_id, label, field)``
    where ``field`` is ``"goods"`` or ``"excluded"``, and the split codes.
    """
    versions = [v for levy in levies for v in levy.versions]
    long: dict[str, set[str]] = {}
    for v in versions:
        for prefix in v.goods.prefixes | v.goods.excluded:
            if len(prefix) > 8:
                long.setdefault(prefix[:8], set()).add(prefix)
    if not long:
        return {}, {}
    index: dict[str, list[int]] = {}
    excluded: dict[str, list[int]] = {}
    everything = [n for n, v in enumerate(versions) if v.goods.everything]
    for n, v in enumerate(versions):
        for prefix in v.goods.prefixes:
            index.setdefault(prefix, []).append(n)
        for prefix in v.goods.excluded:
            excluded.setdefault(prefix, []).append(n)

    def covering(code: str) -> frozenset[int]:
        prefixes = [code[:k] for k in range(2, len(code) + 1)]
        found = set(everything)
        for p in prefixes:
            found.update(index.get(p, ()))
        for p in prefixes:
            found.difference_update(excluded.get(p, ()))
        return frozenset(found)

    widen: dict[tuple, set[str]] = {}
    split: dict[str, SplitCode] = {}
    for code in sorted(long):
        lines = schedule.lines_under(code) if schedule is not None else ()
        if lines:
            named = tuple(lines)
        else:  # no schedule (or no 10-digit line known): the named prefixes and every other line
            named = tuple(sorted(long[code])) + ("other",)
        sets = {line: (covering(code) if line == "other" else covering(line)) for line in named}
        distinct = set(sets.values())
        if len(distinct) == 1:
            if lines:  # every line alike: write the rules' prefixes at 8 digits, so the code answers like its lines
                common = distinct.pop()
                own = covering(code)
                for n in common - own:
                    widen.setdefault((versions[n].levy_id, versions[n].label, "goods"), set()).add(code)
                for n in own - common:
                    widen.setdefault((versions[n].levy_id, versions[n].label, "excluded"), set()).add(code)
            continue
        union = frozenset().union(*distinct)
        meet = frozenset.intersection(*distinct)
        differing = tuple((versions[n], tuple(line for line in named if n in sets[line]))
                          for n in sorted(union - meet, key=lambda n: (versions[n].levy_id, versions[n].label)))
        groups: dict[frozenset[int], list[str]] = {}
        for line in named:
            groups.setdefault(sets[line], []).append(line)
        classes = tuple((stand_in, tuple(group), _revisions(schedule, group)) for group in groups.values()
                        for stand_in in [_stand_in(code, group[0], long[code])] if stand_in is not None)
        split[code] = SplitCode(code=code, lines=named, differing=differing, classes=classes)
    return {k: frozenset(v) for k, v in widen.items()}, split


def _revisions(schedule: Schedule | None, lines: Sequence[str]) -> int:
    """The revisions holding some of ``lines``, as a bit mask (0 without a schedule)."""
    found = 0
    for line in lines:
        found |= schedule.codes.get(line, 0) if schedule is not None else 0
    return found


def _stand_in(code: str, line: str, named: set[str]) -> str | None:
    """The code resolved for a group of lines: the line itself, or for ``"other"`` (no schedule) a 10-digit
    code under ``code`` that no prefix the rules name covers."""
    if line != "other":
        return line
    return next((candidate for n in range(100) for candidate in [f"{code}{n:02d}"]
                 if not any(candidate.startswith(prefix) for prefix in named)), None)


# -- building a code table from schedules -------------------------------------------------
def _schedule_codes(path: str) -> set[str]:
    with gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8") as f:
        if ".json" in path:
            numbers = [row.get("htsno") or "" for row in json.load(f)]
        else:
            numbers = [row["htsno"] for row in csv.DictReader(f)]
    codes = set()
    for number in numbers:
        digits = number.replace(".", "").strip()
        if digits.isdigit() and len(digits) in (8, 10):
            codes.add(digits)
            codes.add(digits[:8])  # a 10-digit line printed without its 8-digit line still names the subheading
    return codes


def _derive(previous: set[str], dropped: set[str], added: set[str]) -> set[str]:
    """The lines of a revision made from the previous one by a dated change list of 10-digit lines: an 8-digit
    line goes when its last 10-digit line goes (unless the list adds it: then it keeps no 10-digit line, and
    takes any statistical suffix), and comes with its first one."""
    before = {c[:8] for c in previous if len(c) == 10}
    codes = (previous - dropped) | added
    after = {c[:8] for c in codes if len(c) == 10}
    return (codes - (before - after - added)) | after


def _read_changes(paths: Sequence[str]) -> dict[str, tuple[set[str], set[str]]]:
    """Change lists: CSV with ``old_hts10``, ``new_hts10`` and ``revision_to`` (``NA`` for none), as the HTS
    concordance of consecutive revisions is written; revision name -> (lines dropped, lines added)."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                dropped, added = found.setdefault(row["revision_to"], (set(), set()))
                for cell, into in ((row["old_hts10"], dropped), (row["new_hts10"], added)):
                    if cell and cell != "NA":
                        into.add(cell)
    return found


def code_table_rows(schedules: Sequence[str], skip: Sequence[str] = (),
                    changes: Sequence[str] | str = ()) -> list[tuple[str, int]]:
    """``(code, mask)`` rows for the revisions given, in revision order; codes under ``skip`` left out.

    A revision is ``PATH`` or ``NAME=PATH`` (a schedule file: a snapshot) or, with ``changes``, a bare
    ``NAME``: the previous revision with the change lists' lines dropped and added at ``NAME``. A snapshot
    with a change list must equal the previous revision so changed (``ValueError`` otherwise), so the dated
    changes are checked against every snapshot after them.
    """
    dated = _read_changes([changes] if isinstance(changes, str) else changes)
    unused = set(dated)
    masks: dict[str, int] = {}
    previous: set[str] | None = None
    for bit, item in enumerate(schedules):
        if "=" in item:
            name, _, path = item.partition("=")
        else:
            name, path = item, ("" if dated else item)
        dropped, added = dated.get(name, (set(), set()))
        unused.discard(name)
        if path:
            codes = {c for c in _schedule_codes(path) if not any(c.startswith(p) for p in skip)}
            if previous is not None and dated:
                made = _derive(previous, dropped, added)
                tens = lambda found: {c for c in found if len(c) == 10}  # noqa: E731
                if tens(made) != tens(codes):
                    raise ValueError(f"{item}: the change list does not lead to this snapshot: "
                                     f"{len(tens(codes) - tens(made))} lines missing, "
                                     f"{len(tens(made) - tens(codes))} too many")
        elif previous is None:
            raise ValueError(f"{item}: the first revision must be a schedule file")
        else:
            codes = _derive(previous, dropped, added)
        for code in codes:
            masks[code] = masks.get(code, 0) | (1 << bit)
        previous = codes
    if dated and unused:
        raise ValueError(f"the change list dates changes at revisions not given: {', '.join(sorted(unused))}")
    return sorted(masks.items())


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tariffrules.schedule OUT.csv.gz [--skip 99] [--changes CHANGES.csv] REVISION...``: write a
    code table (see :func:`code_table_rows` for the revisions)."""
    args = list(sys.argv[1:] if argv is None else argv)
    skip = []
    changes = []
    while "--skip" in args or "--changes" in args:
        flag = "--skip" if "--skip" in args else "--changes"
        i = args.index(flag)
        if i + 1 >= len(args):
            break
        if flag == "--skip":
            skip.append(args[i + 1])
        else:
            changes.append(args[i + 1])
        del args[i:i + 2]
    if len(args) < 2:
        sys.stderr.write("usage: python -m tariffrules.schedule OUT.csv.gz [--skip PREFIX] [--changes CHANGES.csv] "
                         "REVISION...\n")
        return 2
    out, schedules = args[0], args[1:]
    try:
        rows = code_table_rows(schedules, skip, changes)
    except (OSError, ValueError, KeyError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    body = "code,in\n" + "".join(f"{code},{mask}\n" for code, mask in rows)
    data = body.encode("ascii")
    with open(out, "wb") as f:
        f.write(gzip.compress(data, 9, mtime=0) if out.endswith(".gz") else data)
    sys.stderr.write(f"{out}: {body.count(chr(10)) - 1} codes of {len(schedules)} revision(s), {len(data)} bytes "
                     f"before compression\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

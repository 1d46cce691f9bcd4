"""Load-time check that no version knows the future: an ``end`` published after the version's ``known``.

A version that says "in force until E" claims that, at its ``known`` instant,
the end E was already public. When the change that happens at E (another
version or suspension starting or ending at E) was first known only later,
the version leaks that later knowledge into every as-of answer between the two
instants (an answer as of a date before the change was announced would end the
duty early). The fix in data is a version without the end, superseded or
amended by one with the end from the instant the change became known.

Only ends that coincide with some other change can be judged: a lone end (a
duty that simply lapses) is left alone.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import Iterable, Sequence

from .errors import RuleFileError, shown
from .model import Levy, Suspension

__all__ = ["find_foresight", "check_foresight"]


def _versions(levies: Iterable[Levy], suspensions: Iterable[Suspension]):
    for levy in levies:
        for v in levy.versions:
            yield "levy", levy.id, v
    for suspension in suspensions:
        for v in suspension.versions:
            yield "suspension", suspension.id, v


def find_foresight(levies: Sequence[Levy], suspensions: Sequence[Suspension]) -> list[tuple[str, str, object, _dt.datetime]]:
    """Every version whose end was first known after the version itself.

    :returns: ``(kind, item id, version, first known instant of the change at its end)``
        tuples, in item then start order. The change at the end E is the item's
        own next version, starting at E. Other items are not consulted: a
        lapse date written in the law (a 90-day pause, a 150-day surcharge) may
        coincide with an unrelated change announced later, and two versions
        that end together may share the same foresight.
    """
    starts: dict[tuple[str, _dt.datetime], list] = defaultdict(list)
    items = list(_versions(levies, suspensions))
    for kind, item, v in items:
        starts[(item, v.period.start)].append(v.known)
    found = []
    for kind, item, v in items:
        end = v.period.end
        if end is None:
            continue
        # a successor known exactly at its start says nothing of when it was published (the default
        # when `known` is not written), so it is not judged
        changes = [known for known in starts.get((item, end), []) if known != end]
        if changes and min(changes) > v.known:
            found.append((kind, item, v, min(changes)))
    return found


def check_foresight(levies: Sequence[Levy], suspensions: Sequence[Suspension]) -> None:
    """Raise :class:`RuleFileError` for the first version whose end was known only later.

    :raises RuleFileError: naming the file, the item, the version label, its end,
        its ``known`` and when the change at that end was first known.
    """
    found = find_foresight(levies, suspensions)
    if not found:
        return
    kind, item, v, first = found[0]
    more = f" ({len(found) - 1} more such version(s) in the rule set)" if len(found) > 1 else ""
    raise RuleFileError(
        f"version {shown(v.label)} ends at {v.period.end.isoformat()} but is known from {v.known.isoformat()}, "
        f"before the change at that end was first known ({first.isoformat()}){more}",
        file=v.source.file, levy=item, field="end", value=v.period.end.isoformat(), kind=kind,
        expected="a version without that end, amended (amends = LABEL) by one that adds the end, "
                 "known from when the change was published")

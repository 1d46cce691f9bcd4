"""Load-time check of levies the data declares exclusive in goods: a code is on at most one of them.

A programme declares groups in its ``[program]`` table::

    exclusive_goods = [["prog.list1", "prog.list2", "prog.list3"]]

Each inner list names levies (ids or ``fnmatch`` patterns, at least two levies
in all) whose product lists are mutually exclusive in law: no code may be
covered by two of them while both are in force (their periods overlap in some
version). A code is covered by two scopes when a prefix of one is covered by
the other, or the other holds a longer prefix under it that its own scope
covers (exclusions of either side are respected).
"""

from __future__ import annotations

import bisect
import itertools
from typing import Mapping, Sequence

from .errors import RuleFileError, shown
from .model import GoodsScope, Levy

__all__ = ["shared_code", "check_exclusive_goods"]


def shared_code(a: GoodsScope, b: GoodsScope) -> str | None:
    """The shortest code prefix both scopes cover, or ``None``.

    Two "all goods" scopes share everything (``"*"``); an "all goods" scope
    against a listed one shares the listed one's first prefix it does not
    exclude.
    """
    if a.everything and b.everything:
        return "*"
    if a.everything:
        a, b = b, a
    candidates: list[str] = []
    ordered_b = sorted(b.prefixes)
    for p in sorted(a.prefixes):
        if b.covers(p) and a.covers(p):
            candidates.append(p)
            continue
        start = bisect.bisect_left(ordered_b, p)
        for q in ordered_b[start:]:
            if not q.startswith(p):
                break
            if a.covers(q) and b.covers(q):
                candidates.append(q)
                break
    return min(candidates, key=lambda c: (len(c), c)) if candidates else None


def check_exclusive_goods(groups: Sequence[tuple[str, str, Sequence[frozenset[str]]]], levies: Sequence[Levy]) -> None:
    """Raise :class:`RuleFileError` when a code is on two levies of one exclusive group.

    :param groups: ``(file, programme id, [set of levy ids, ...])`` per programme that declares groups.
    :param levies: every levy of the rule set.
    :raises RuleFileError: naming the file, the code and both levies (and their versions).
    """
    by_id: Mapping[str, Levy] = {levy.id: levy for levy in levies}
    for file, program, sets in groups:
        for members in sets:
            for left, right in itertools.combinations(sorted(members), 2):
                for va, vb in itertools.product(by_id[left].versions, by_id[right].versions):
                    if not va.period.overlaps(vb.period):
                        continue
                    code = shared_code(va.goods, vb.goods)
                    if code is not None:
                        raise RuleFileError(
                            f"code {code} is on both {left} (version {shown(va.label)}) and {right} (version "
                            f"{shown(vb.label)}), which the programme declares exclusive in goods",
                            file=file, levy=program, field="exclusive_goods", value=code,
                            expected="each code on at most one levy of the group: remove it from one list",
                            kind="program")

"""Entry summary lines: the lines a filer sends for one resolution, one per slice of the customs value.

Where levies apply to different parts of the customs value (a metal
content, the US content, the rest), the entry summary carries one line per
part, each with the same chapter 1-97 number, its own value and its own
chapter 99 numbers (CBP, CSMS #64649265 "Reporting" for US content;
CSMS #65236645 "Reporting Instructions for Duties Based on Aluminum Content"
for metal content). :func:`entry_lines` splits a resolution that way:

* the *atoms* of the value are each content kind the query gives or an
  applied levy is based on (``{ content = "steel" }``), and the *rest* (the
  value less those kinds);
* each atom carries the applied levies whose portion covers it; atoms that
  carry the same levies are one line, and an atom worth exactly 0 is no line
  (a levy on a zero base is not reported);
* lines are filed in the rule set's ``line_order`` (content kinds, ``"*"``
  for the rest; kinds not listed follow in name order): CBP files the
  non-metal rest before the metal content, and the US content before the
  rest;
* on each line the levies keep the reporting order of the resolution, and
  the chapter 1-97 number comes last (CSMS #64649265 "HTSUS Sequence");
* the general duty applies to the resolution's ``general_base`` (the whole
  value unless a dutiable-value rule, :mod:`tariffrules.dutiable`, leaves
  content kinds out of it): atoms inside and outside it are never one line,
  and a line outside it has a general duty of 0 (``EntryLine.dutiable`` false).

Money: each levy's duty on a line is ``rate / 100 * line value`` rounded to
the cent half up, and so is the general duty of the line; line
and entry totals are sums of those rounded amounts, as each duty is
reported against its own number on the line (CSMS #64649265: duties on
several numbers of a line "must not be combined"). The values themselves
are used as given: 19 CFR 159.3(a) applies ad valorem rates to values in
whole dollars, rounding an invoice's value as a unit, which only the filer
can do, so pass whole-dollar values to get the duty CBP computes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

import attrs

from .rates import HUNDRED, WHOLE, Portion, content_amounts, round_money

__all__ = ["EntryLine", "LineLevy", "entry_lines", "REST"]

#: the name of the rest of the value (the value less the content kinds split off) in ``line_order``
REST = "*"


@attrs.frozen(kw_only=True)
class LineLevy:
    """One chapter 99 number on an entry line: the levy, its heading, its rate and its duty on the line."""

    id: str
    heading: str | None
    #: additional duty, percent of the line's value
    rate: Decimal
    #: rate times the line's value, rounded to the cent half up; ``None`` when the line's value is not known
    duty: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "heading": self.heading, "rate": str(self.rate),
                "duty": None if self.duty is None else str(self.duty)}


@attrs.frozen(kw_only=True)
class EntryLine:
    """One entry summary line: a slice of the customs value with its chapter 99 numbers and duties.

    ``number`` is the filing position (1 first). ``value`` is ``None`` when
    the query does not give the amounts; then every duty is ``None``.
    ``general_rate`` is the good's general rate in percent (column 1, column 2
    or a claimed special rate: :mod:`tariffrules.general_rate`), ``None`` when
    it has no ad valorem form or is unknown.
    """

    number: int
    #: the chapter 1-97 number, dotted, the same on every line of the good
    code: str
    slice: Portion
    value: Decimal | None
    levies: tuple[LineLevy, ...]
    general_rate: Decimal | None
    general_duty: Decimal | None
    #: False when a dutiable-value rule leaves the line's slice out of the general duty's base (its general
    #: duty is then 0, e.g. the US components of an article assembled abroad)
    dutiable: bool = True

    @property
    def headings(self) -> tuple[str, ...]:
        """The chapter 99 headings of the line, in CBP reporting order."""
        return tuple(levy.heading for levy in self.levies if levy.heading)

    @property
    def numbers(self) -> tuple[str, ...]:
        """Every number the line reports, in CBP order: the chapter 99 headings, then the chapter 1-97 number."""
        return self.headings + (self.code,)

    @property
    def additional_duty(self) -> Decimal | None:
        """The chapter 99 duty of the line: the sum of its levies' rounded duties (``None`` if not known)."""
        duties = [levy.duty for levy in self.levies]
        return None if None in duties else sum(duties, Decimal(0))

    @property
    def total_duty(self) -> Decimal | None:
        """Chapter 99 duty plus general duty; ``None`` if either is not known."""
        extra = self.additional_duty
        if extra is None or self.general_duty is None:
            return None
        return extra + self.general_duty

    def describe(self) -> str:
        """E.g. ``"steel content"``, ``"value less steel content"``, ``"full value"``."""
        return self.slice.describe()

    def to_dict(self) -> dict[str, Any]:
        def text(amount: Decimal | None) -> str | None:
            return None if amount is None else str(amount)

        return {"number": self.number, "slice": self.describe(), "value": text(self.value),
                "numbers": list(self.numbers), "levies": [levy.to_dict() for levy in self.levies],
                "general_rate": text(self.general_rate), "general_duty": text(self.general_duty),
                "dutiable": self.dutiable,
                "additional_duty": text(self.additional_duty), "total_duty": text(self.total_duty)}


def _covers(portion: Portion, atom: str) -> bool:
    if atom == REST:
        return portion.complement
    return (atom not in portion.kinds) if portion.complement else (atom in portion.kinds)


def _position(order: Sequence[str]):
    places = {name: index for index, name in enumerate(order)}
    return lambda atom: (places.get(atom, len(places)), atom)


def _money(rate: Decimal | None, amount: Decimal | None) -> Decimal | None:
    if rate is None or amount is None:
        return None
    return round_money(rate * amount / HUNDRED)


def entry_lines(levies: Sequence[Any], code: str, value: Decimal | None, content: Mapping[str, Decimal],
                general_rate: Decimal | None, order: Iterable[str] = (REST,),
                general_base: Portion = WHOLE) -> tuple[EntryLine, ...]:
    """Split applied levies (in reporting order) into entry lines; see the module docstring.

    ``levies`` are :class:`~tariffrules.AppliedLevy` objects (anything with
    ``id``, ``heading``, ``rate`` and ``portion``). ``code`` is the query's
    code as digits. A content kind that only some levy's base subtracts and
    the query does not give counts as 0, as in :meth:`Portion.amount`; when the
    kinds given make up the whole value (a value of 0 included), every kind not
    given is worth 0 (the query refuses content above the value), so a value of
    0 is one line worth 0. ``general_base`` is the part of the value the general duty applies to.
    """
    from .hts import dotted_code

    kinds = set(content)
    for levy in levies:
        if not levy.portion.complement:
            kinds |= levy.portion.kinds
    atoms = sorted(kinds) + [REST]
    amounts = content_amounts(kinds, value, content)
    unknown = value is None or any(amounts[kind] is None for kind in kinds)
    amounts[REST] = None if unknown else value - sum((amounts[k] for k in kinds), Decimal(0))
    kept = [atom for atom in atoms if amounts[atom] != 0] or [REST]
    groups: dict[tuple[int, ...], list[str]] = {}
    for atom in kept:
        members = tuple(i for i, levy in enumerate(levies) if _covers(levy.portion, atom))
        groups.setdefault((members, _covers(general_base, atom)), []).append(atom)
    position = _position(tuple(order))
    dotted = dotted_code(code)
    lines = []
    for number, ((members, dutiable), group) in enumerate(sorted(groups.items(),
                                                                  key=lambda g: min(map(position, g[1]))), 1):
        parts = [amounts[atom] for atom in group]
        amount = None if None in parts else sum(parts, Decimal(0))
        if REST in group:
            piece = Portion(True, frozenset(kinds - set(group)))
        else:
            piece = Portion(False, frozenset(group))
        lines.append(EntryLine(
            number=number, code=dotted, slice=piece, value=amount,
            levies=tuple(LineLevy(id=levies[i].id, heading=levies[i].heading, rate=levies[i].rate,
                                  duty=_money(levies[i].rate, amount)) for i in members),
            general_rate=general_rate, dutiable=dutiable,
            general_duty=_money(general_rate, amount) if dutiable else None if amount is None else round_money(Decimal(0))))
    return tuple(lines)

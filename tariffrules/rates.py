"""Rates, bases and the parts of a customs value they apply to.

All money and rates are :class:`decimal.Decimal`. Rates are percents.

Rounding: nothing is rounded while rates are combined. A duty amount is
rounded once per levy, to the cent (``0.01``) with ``ROUND_HALF_UP``, and a
total duty is the sum of the rounded levy amounts, as on an entry summary.

A *portion* is a symbolic part of a customs value: the whole value, some
content kinds (``steel``), or the value less some content kinds. Content
kinds are disjoint parts of the value. Exclusions subtract portions, so a
levy on the steel content that excludes another leaves that other levy the
value less the steel content.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable, Mapping

import attrs

__all__ = ["Rate", "Base", "Portion", "parse_percent", "round_money", "CENT"]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


#: a rate written in a rule file is below this percent, with at most this many decimal places
MAX_PERCENT = Decimal(100_000)
MAX_PLACES = 6


def parse_percent(text: object) -> Decimal | None:
    """``"25%"`` or ``"7.5%"`` to ``Decimal('25')``; ``None`` if malformed, negative, at or above
    :data:`MAX_PERCENT` or with more than :data:`MAX_PLACES` decimal places (``"1e400%"``)."""
    if not isinstance(text, str) or not text.strip().endswith("%"):
        return None
    try:
        number = Decimal(text.strip()[:-1].strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number >= MAX_PERCENT or number.as_tuple().exponent < -MAX_PLACES:
        return None
    return number


def round_money(amount: Decimal) -> Decimal:
    """Round a duty amount to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@attrs.frozen
class Rate:
    """A percent of the base, or a top-up to an all-in ceiling inclusive of the general rate."""

    percent: Decimal
    all_in: bool = False

    def effective(self, mfn: Decimal | None) -> Decimal | None:
        """The additional percent owed; ``None`` when an all-in rate lacks the general rate."""
        if not self.all_in:
            return self.percent
        if mfn is None:
            return None
        return max(Decimal(0), self.percent - mfn)

    def describe(self) -> str:
        if self.all_in:
            return f"{self.percent}% all-in (less the general rate)"
        return f"{self.percent}%"


@attrs.frozen
class Portion:
    """A symbolic part of a value: ``kinds`` if not ``complement``, else everything but ``kinds``."""

    complement: bool
    kinds: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not self.complement and not self.kinds

    @property
    def is_whole(self) -> bool:
        return self.complement and not self.kinds

    def minus(self, other: "Portion") -> "Portion":
        if not self.complement and not other.complement:
            return Portion(False, self.kinds - other.kinds)
        if not self.complement:
            return Portion(False, self.kinds & other.kinds)
        if not other.complement:
            return Portion(True, self.kinds | other.kinds)
        return Portion(False, other.kinds - self.kinds)

    def amount(self, value: Decimal | None, content: Mapping[str, Decimal]) -> Decimal | None:
        """The money this portion stands for; ``None`` if the facts do not say.

        Content is part of the value (a query refuses more), so when the kinds
        given make up the whole value, a kind not given is worth 0.
        """
        if self.complement:
            if value is None:
                return None
            return value - sum((content.get(k, Decimal(0)) for k in self.kinds), Decimal(0))
        amounts = content_amounts(self.kinds, value, content)
        if None in amounts.values():
            return None
        return sum(amounts.values(), Decimal(0))

    def nothing_left(self, base: "Portion", value: Decimal | None, content: Mapping[str, Decimal]) -> bool:
        """True when exclusions took everything: nothing symbolic remains, or the facts show the rest is worth 0.

        A levy on the value less the copper content has nothing to apply to when
        the copper content is the whole value, so it is excluded, not applied at 0.
        """
        if self.is_empty:
            return True
        if self == base:
            return False
        amount = self.amount(value, content)
        return amount is not None and amount == 0

    def describe(self) -> str:
        kinds = ", ".join(sorted(self.kinds))
        if self.is_whole:
            return "full value"
        if self.complement:
            return f"value less {kinds} content"
        return f"{kinds} content" if kinds else "nothing"


WHOLE = Portion(True)


def content_amounts(kinds: Iterable[str], value: Decimal | None,
                    content: Mapping[str, Decimal]) -> dict[str, Decimal | None]:
    """The money of each content kind in ``kinds``; ``None`` where the facts do not say.

    A kind given is its amount. Content is part of the value (a query refuses
    more), so when the kinds given make up the whole value (a value of 0
    included), a kind not given is worth 0; otherwise it is unknown.
    """
    whole = value is not None and sum(content.values(), Decimal(0)) == value
    return {kind: content[kind] if kind in content else (Decimal(0) if whole else None) for kind in kinds}


@attrs.frozen
class Base:
    """What a rate is applied to: the value, one content kind, or the value less some kinds."""

    content: str | None = None
    less: tuple[str, ...] = ()
    #: (kind, percent) pairs: subtract that kind only when its share of the value is at least percent.
    min_share: tuple[tuple[str, Decimal], ...] = ()

    def portion(self, value: Decimal | None, content: Mapping[str, Decimal]) -> Portion:
        """The portion for these facts; a ``min_share`` kind is subtracted only if its share is met."""
        if self.content is not None:
            return Portion(False, frozenset([self.content]))
        kinds = set()
        floors = dict(self.min_share)
        for kind in self.less:
            floor = floors.get(kind)
            if floor is None:
                kinds.add(kind)
            elif value and kind in content and content[kind] * HUNDRED >= floor * value:
                kinds.add(kind)
        return Portion(True, frozenset(kinds))

    def describe(self) -> str:
        if self.content is not None:
            return f"{self.content} content"
        if not self.less:
            return "full value"
        parts = []
        floors = dict(self.min_share)
        for kind in self.less:
            floor = floors.get(kind)
            parts.append(f"{kind} content (if at least {floor}% of value)" if floor is not None else f"{kind} content")
        return "value less " + ", ".join(parts)

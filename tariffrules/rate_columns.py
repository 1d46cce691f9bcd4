"""The rate columns of the HTSUS: reading "Free", "2.5%", "Free (A+,AU,S,SG) 2.5% (JP)" and building the table.

A line of chapters 1-97 has three rate columns (HTSUS General Note 3):
column 1 *general* (the normal trade relations rate), column 1 *special*
(preferential rates, each followed by the special program indicators in
parentheses that may claim it, General Note 3(c)(i)) and column 2 (the rate
for the countries of General Note 3(b)). This module reads their text:

* :func:`ad_valorem` gives the percent of a rate text, exactly as a
  :class:`~decimal.Decimal`: ``"Free"`` is 0, ``"2.5%"`` is 2.5. A rate that
  is not ad valorem (specific ``"1¢/kg"``, compound ``"5.5¢/kg + 2%"``, a
  reference ``"See 9822.04.25"``) is ``None``: it cannot be written as a
  percent of the value without the quantity.
* :func:`special_rates` splits a special column into (indicator, percent or
  ``None``, text) triples, e.g. ``"Free (A,AU) 2.5% (JP)"`` into
  ``("A", 0, "Free")``, ``("AU", 0, "Free")``, ``("JP", 2.5, "2.5%")``.

``python -m tariffrules.rate_columns OUT.csv LINES.csv.gz [OLDER_LINES.csv.gz ...]`` builds the rule set's
general-rate table (``mfn_table``) from USITC line exports (see the rule set's SOURCES.md).
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from decimal import Decimal, InvalidOperation

__all__ = ["ad_valorem", "special_rates", "SpecialFieldError", "build_table"]

_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
#: one group of a special column: a rate text, then the indicators in parentheses
_GROUP = re.compile(r"\s*([^()]*?)\s*\(([^()]*)\)")
_INDICATOR = re.compile(r"^[A-Z]{1,2}[*+]?$")


class SpecialFieldError(ValueError):
    """A special column text that does not read as rate groups, e.g. an unbalanced parenthesis."""


def ad_valorem(text: str) -> Decimal | None:
    """The percent of a rate text: ``"Free"`` -> 0, ``"2.5%"`` -> 2.5, anything else (specific, compound,
    a reference to another heading, empty) -> ``None``.

    >>> ad_valorem("Free"), ad_valorem("6.8%"), ad_valorem("4.4¢/kg"), ad_valorem("5.5¢/kg + 2%")
    (Decimal('0'), Decimal('6.8'), None, None)
    """
    text = text.strip()
    if text == "Free":
        return Decimal(0)
    found = _PERCENT.match(text)
    if not found:
        return None
    try:
        return Decimal(found.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal numbers
        return None


def special_rates(text: str) -> tuple[tuple[str, Decimal | None, str], ...]:
    """The (indicator, percent or ``None``, rate text) triples of a special column, in the column's order.

    Raises :class:`SpecialFieldError` when the text is not a sequence of
    ``RATE (IND,IND,...)`` groups, or names an indicator twice.

    >>> special_rates("Free (A,AU,BH)2.7% (JP)")
    (('A', Decimal('0'), 'Free'), ('AU', Decimal('0'), 'Free'), ('BH', Decimal('0'), 'Free'), ('JP', Decimal('2.7'), '2.7%'))
    >>> special_rates("Free (BH, SG) See 9822.04.25 (AU)")[-1]
    ('AU', None, 'See 9822.04.25')
    """
    out: list[tuple[str, Decimal | None, str]] = []
    at = 0
    text = text.strip()
    while at < len(text):
        found = _GROUP.match(text, at)
        if not found or not found.group(1):
            raise SpecialFieldError(f"cannot read the special rate column {text!r} from character {at}")
        rate_text = " ".join(found.group(1).split())
        rate = ad_valorem(rate_text)
        for indicator in (part.strip() for part in found.group(2).split(",")):
            if not _INDICATOR.match(indicator):
                raise SpecialFieldError(f"{indicator!r} in {text!r} is not a special program indicator")
            earlier = [seen for seen in out if seen[0] == indicator]
            if earlier and earlier[0][1:] != (rate, rate_text):
                raise SpecialFieldError(f"indicator {indicator} is named twice with different rates in {text!r}")
            if not earlier:  # a repeat with the same rate (a typo of the source) says nothing new
                out.append((indicator, rate, rate_text))
        at = found.end()
        while at < len(text) and text[at].isspace():
            at += 1
    return tuple(out)


def _agreed(values: list[str]) -> str:
    """The value all statistical lines of an 8-digit code share, or "" when they disagree."""
    return values[0] if values and all(v == values[0] for v in values) else ""


def build_table(line_files: list[str]) -> list[tuple[str, str, str, str]]:
    """(code, general percent, column 2 text, special text) per 8-digit code of chapters 1-97.

    The first file wins; later (older) files complete codes the first lacks. A
    column whose 8- and 10-digit lines disagree for a code is left empty.
    """
    rows: dict[str, tuple[str, str, str, str]] = {}
    for name in line_files:
        seen: dict[str, list[dict]] = {}
        with gzip.open(name, "rt", encoding="utf-8", newline="") as handle:
            for line in csv.DictReader(handle):
                code = line["hts8"]
                if code and code[:2] not in ("98", "99"):
                    seen.setdefault(code, []).append(line)
        for code, lines in seen.items():
            if code not in rows:
                rows[code] = (code, _agreed([_percent_text(line["general"]) for line in lines]),
                              _agreed([line["other"].strip() for line in lines]),
                              _agreed([line["special"].strip() for line in lines]))
    return [rows[code] for code in sorted(rows)]


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    table = build_table(argv[1:])
    with open(argv[0], "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "mfn", "other", "special"])
        for code, general, other, special in table:
            writer.writerow([code, general, other, special])
    print(f"{argv[0]}: {len(table)} codes")
    return 0


def _percent_text(text: str) -> str:
    """A general rate text as the table writes it: ``"6.8%"`` -> ``"6.8"``, ``"Free"`` -> ``"0"``, else ""."""
    percent = ad_valorem(text)
    return "" if percent is None else str(percent)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))

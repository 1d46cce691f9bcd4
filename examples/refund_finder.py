"""Refund finder: re-rate past entries under today's rules and list what changed and why.

Several 2025 measures reached back over entries already made: the EU and
Korea car deals, Japan's all-in 15% rate (EO 14345, back to Aug. 7, 2025),
and the stacking order of EO 14289 (back to March 4, 2025). An entry rated
with what was known when it was filed may now owe less (a refund) or more.
``RuleSet.revisions`` resolves each line twice, as known at its filing and as
known now, and reports every line, changed or not, in input order.

Run: ``python examples/refund_finder.py``
"""

from decimal import Decimal

import tariffrules

ENTRIES = [
    {"hts": "8703.23.01", "origin": "DE", "when": "2025-08-20", "value": Decimal("40000")},
    {"hts": "8703.23.01", "origin": "KR", "when": "2025-11-10", "value": Decimal("30000")},
    {"hts": "8482.10.50", "origin": "JP", "when": "2025-08-20", "value": Decimal("5000")},
    {"hts": "7208.51.00", "origin": "CA", "when": "2025-03-20", "value": Decimal("10000"),
     "content": {"steel": Decimal("10000")}},
    {"hts": "8525.89.30", "origin": "JP", "when": "2025-04-16", "value": Decimal("1000")},
    {"hts": "8525.89.3", "origin": "JP", "when": "2025-04-16", "value": Decimal("1000")},  # a typo
]


def main() -> None:
    us = tariffrules.builtin("us")
    total = Decimal(0)
    for number, result in enumerate(us.revisions(ENTRIES)):
        if isinstance(result, tariffrules.TariffRulesError):
            print(f"line {number}: not re-rated: {result}")
        elif result.changed:
            print(result.describe())
            total += result.duty_change
        else:
            print(f"line {number}: unchanged")
    print(f"\nNet change in duty over these entries: {total} (negative: refund due)")


if __name__ == "__main__":
    main()

"""A steel derivative whose value is split: the steel content pays Section 232, the rest pays the other levies.

From June 4, 2025 (Proc. 10947) the Section 232 duty on derivative steel
articles of chapter 73 is charged on the value of their steel content only.
The rest of the value is not steel, so the levies Section 232 steel would
otherwise exclude (the reciprocal duty, the Canada and Mexico border duties,
from Feb. 24, 2026 the Section 122 surcharge) apply to that rest. From
April 6, 2026 (Proc. 11021) the steel duty is charged on the full value again.

This script rates a steel structure (HTS 7308.90.60) worth 12,000 with 4,800
of steel content from several origins and dates with the built-in US rule
set, prints each levy with the part of the value it is charged on, and
checks that the duty is the sum of rate x part over the levies.

Run: ``python examples/steel_derivative.py``
"""

from decimal import ROUND_HALF_UP, Decimal

import tariffrules

CODE = "7308.90.60"
VALUE = Decimal("12000")
CONTENT = {"steel": Decimal("4800")}
ENTRIES = [
    ("JP", "2025-05-01", "before June 4, 2025: 25% on the full value, no reciprocal duty"),
    ("JP", "2025-07-01", "50% on the steel, the 10% baseline on the rest"),
    ("CN", "2025-07-01", "China: the full-value duties (fentanyl, Section 301) stack on top"),
    ("MX", "2025-07-01", "Mexico's border duty on the non-steel rest"),
    ("GB", "2025-07-01", "the United Kingdom's 25% steel rate"),
    ("DE", "2025-09-01", "the EU's 15% all-in rate on the rest (general rate 0%)"),
    ("JP", "2026-03-02", "the Section 122 surcharge on the rest"),
    ("JP", "2026-04-06", "Proc. 11021: full value again"),
]


def main() -> None:
    us = tariffrules.builtin("us")
    print(f"Steel structure {CODE}, customs value {VALUE}, steel content {CONTENT['steel']}\n")
    for origin, day, story in ENTRIES:
        r = us.resolve(CODE, origin, day, value=VALUE, content=CONTENT)
        print(f"{origin} entered {day}: {story}")
        expected = Decimal(0)
        for levy in r.levies:
            part = levy.base_amount(VALUE, CONTENT)
            duty = (levy.rate * part / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            expected += duty
            print(f"  {levy.heading}  {str(levy.rate) + '%':>5} on {levy.base:26} {part:>8} = {duty:>9}  {levy.id}")
            for by, taken in levy.excluded_parts:
                print(f"  {'':12} (not on the {taken}: that part pays {by})")
        assert r.duty() == expected, (r.duty(), expected)
        print(f"  total {r.rate}% of the value, duty {r.duty()}\n")

    # Without the steel content the split cannot be made, and the library says so instead of guessing.
    r = us.resolve(CODE, "JP", "2025-07-01")
    try:
        r.rate
    except tariffrules.MissingFactError as error:
        print(f"Without value and content: {type(error).__name__}: {error}")


if __name__ == "__main__":
    main()

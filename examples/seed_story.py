"""The seed story: what a Japanese car, steel coil and camera paid around the first US-Japan talks.

On April 16, 2025 Japan and the United States held their first round of
tariff talks. This script resolves three Japanese goods with the built-in US
rule set on that day, prints the full explanation for the car, then shows
each good before, during and after the 90-day pause of the country rates.

Run: ``python examples/seed_story.py``
"""

from decimal import Decimal

import tariffrules

GOODS = {
    "passenger car (8703.23.01.90)": "8703.23.01.90",
    "steel coil (7208.10.15.00)": "7208.10.15.00",
    "camera (8525.89.30.00)": "8525.89.30.00",
}
DATES = ["2025-04-04", "2025-04-05", "2025-04-09", "2025-04-16", "2025-07-15", "2025-08-07",
         "2025-09-16", "2026-03-02"]
VALUE = Decimal("30000")


def main() -> None:
    us = tariffrules.builtin("us")
    car = us.resolve(GOODS["passenger car (8703.23.01.90)"], "JP", "2025-04-16", value=VALUE)
    print("A Japanese passenger car entered on 2025-04-16, customs value", VALUE)
    print(car.explain())
    print()
    print("Each good from Japan, total additional duty (percent of customs value) and chapter 99 headings:")
    for name, code in GOODS.items():
        print(f"\n{name}")
        for day in DATES:
            r = us.resolve(code, "JP", day)
            print(f"  {day}  {str(r.rate) + '%':>7}  {' '.join(r.headings) or '-'}")


if __name__ == "__main__":
    main()

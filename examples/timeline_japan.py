"""How the US duty on three Japanese goods moved over 2025-2026, period by period.

``RuleSet.timeline`` splits a range of entry dates into the stretches over
which a good's answer is constant, and gives each stretch its resolution.
This prints the timeline of a Japanese passenger car, a steel coil and a
camera from January 2025 to the rule set's review date, with the chapter 99
headings and the total additional rate of each stretch, and a bar per stretch.

Run: ``python examples/timeline_japan.py``
"""

from decimal import Decimal

import tariffrules

GOODS = {
    "passenger car 8703.23.01": ("8703.23.01.90", {}),
    # a hot-rolled coil is all steel: its steel content is its whole value
    "steel coil 7208.10.15": ("7208.10.15.00", {"value": Decimal(1000), "content": {"steel": Decimal(1000)}}),
    "camera 8525.89.30": ("8525.89.30.00", {}),
}


def main() -> None:
    us = tariffrules.builtin("us")
    end = us.info.reviewed
    for name, (code, facts) in GOODS.items():
        print(f"{name} from JP, 2025-01-01 to {end}")
        for span in us.timeline(code, "JP", "2025-01-01", end, **facts):
            r = span.resolution
            bar = "#" * int(r.rate / 2)
            print(f"  {span.start:%Y-%m-%d %H:%M} -> {span.end:%Y-%m-%d %H:%M}  {str(r.rate) + '%':>6} "
                  f"{bar:25} {' + '.join(r.headings) or '-'}")
        print()


if __name__ == "__main__":
    main()

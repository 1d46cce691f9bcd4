"""Canadian and Mexican goods with and without a USMCA claim, from the border duties of 2025 to Section 122 in 2026.

A claim of USMCA preference is a fact of the query (``usmca=True``) that the
built-in US rule set declares. This script rates, with and without a claim:

* a camera (8525.89.30) under the IEEPA border duties on Canada and Mexico:
  25% from March 4, 2025, USMCA goods exempt from March 7 (reported at their
  own 0% heading), Canada raised to 35% from August 1, 2025;
* Canadian crude oil (2709.00.10), which paid the 10% energy rate;
* a car (8703.23.01.90) with 40% US content, whose Section 232 duty under a
  claim is charged on the non-US content only, and an auto part
  (a gear box, 8708.40.11), which pays nothing under a claim;
* the same camera after the IEEPA duties ended on February 24, 2026, when
  the Section 122 surcharge applies unless the goods are USMCA goods.

For each claimed entry it prints why the duty the unclaimed entry pays does
not apply, straight from the resolution's skipped levies.

Run: ``python examples/usmca_canada_mexico.py``
"""

from decimal import Decimal

import tariffrules

CAR_FACTS = {"value": Decimal("30000"), "content": {"us": Decimal("12000")}}
SECTIONS = [
    ("IEEPA border duties on a camera", [
        ("8525.89.30", "CA", "2025-03-06", {}),  # a claim before the exemption took effect changes nothing
        ("8525.89.30", "CA", "2025-03-07", {}),
        ("8525.89.30", "CA", "2025-08-01", {}),
        ("8525.89.30", "MX", "2025-08-01", {}),
        ("2709.00.10", "CA", "2025-04-16", {}),
    ]),
    ("Section 232 autos: a car worth 30000 with 12000 of US content, and an auto part", [
        ("8703.23.01.90", "CA", "2025-04-16", CAR_FACTS),
        ("8703.23.01.90", "MX", "2025-04-16", CAR_FACTS),
        ("8708.40.11", "MX", "2025-05-03", {"value": Decimal("5000")}),
    ]),
    ("2026: IEEPA duties ended, Section 122 surcharge", [
        ("8525.89.30", "CA", "2026-02-23", {}),
        ("8525.89.30", "CA", "2026-03-02", {}),
        ("8525.89.30", "MX", "2026-03-02", {}),
    ]),
]


def describe(r: tariffrules.Resolution) -> str:
    rate = f"{r.rate}%"
    duty = f", duty {r.duty()}" if r.query.value is not None else ""
    return f"{' + '.join(r.headings) or 'no heading':24} {rate:>5}{duty}"


def main() -> None:
    us = tariffrules.builtin("us")
    for title, entries in SECTIONS:
        print(title)
        for code, origin, day, facts in entries:
            plain = us.resolve(code, origin, day, **facts)
            claimed = us.resolve(code, origin, day, usmca=True, **facts)
            print(f"  {code} from {origin}, entered {day}")
            print(f"    no claim     {describe(plain)}")
            print(f"    USMCA claim  {describe(claimed)}")
            applied_without_claim = {levy.id for levy in plain.levies} - {levy.id for levy in claimed.levies}
            for skipped in claimed.skipped:
                if skipped.id in applied_without_claim:
                    print(f"      {skipped.id} does not apply: {skipped.reason}, {skipped.detail}")
            for levy in claimed.levies:
                if not levy.portion.is_whole:
                    print(f"      {levy.id}: {levy.rate}% on the {levy.base} "
                          f"({levy.base_amount(claimed.query.value, claimed.query.content_map)})")
        print()


if __name__ == "__main__":
    main()

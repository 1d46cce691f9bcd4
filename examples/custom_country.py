"""A rule set for a fictional country, written from scratch as a data folder and loaded with ``tariffrules.load``.

``examples/rules/freedonia/`` holds three TOML files: ``ruleset.toml`` (zone,
horizon, a group of partner countries, a declared fact), ``surcharges.toml``
(a general surcharge, a country surcharge that *replaces* it, a truce that
*suspends* the country surcharge, and an amendment that *supersedes* a
version) and ``metals.toml`` (a duty on the steel content that *excludes*
the surcharges from that part of the value). Nothing in this script or in
the library names the country: everything comes from the data folder.

The script resolves a few entries, prints one full explanation, answers
one entry as known before an amendment, and shows the error a broken rule
file raises.

Run: ``python examples/custom_country.py``
"""

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import tariffrules

RULES = Path(__file__).resolve().parent / "rules" / "freedonia"
TOY = "9503.00.00"  # a toy: only the surcharges can apply
SCREWS = "7318.15.20"  # steel screws: the steel duty applies to their steel content
ENTRIES = [
    (TOY, "DE", "2025-04-15", {}, "general surcharge"),
    (TOY, "NO", "2025-04-15", {}, "a partner country pays nothing"),
    (TOY, "DE", "2025-04-15", {"value": Decimal("100")}, "low-value consignment: exempt"),
    (TOY, "CN", "2025-05-15", {}, "the country surcharge replaces the general one"),
    (TOY, "CN", "2025-07-01", {}, "truce: the country surcharge is suspended, so the general one applies"),
    (TOY, "CN", "2025-11-15", {}, "the amended, lower country rate"),
    (SCREWS, "CN", "2025-05-15", {"value": Decimal("1000"), "content": {"steel": Decimal("600")}},
     "steel duty on the steel, country surcharge on the rest"),
    (SCREWS, "CN", "2025-05-15", {"value": Decimal("1000"), "content": {"steel": Decimal("600")},
                                  "licensed": True}, "a licensed importer: no steel duty"),
]


def main() -> None:
    rules = tariffrules.load(RULES)
    print(f"Loaded {rules.info.title!r}: {len(rules.levies)} levies, {len(rules.suspensions)} suspension(s), "
          f"zone {rules.info.zone_name}\n")
    for code, origin, day, facts, story in ENTRIES:
        r = rules.resolve(code, origin, day, **facts)
        print(f"{code} from {origin} on {day}: {' + '.join(r.headings) or 'nothing':18} {r.rate}%  ({story})")

    print("\nThe full explanation for the steel screws:")
    print(rules.resolve(SCREWS, "CN", "2025-05-15", value=Decimal("1000"),
                        content={"steel": Decimal("600")}).explain())

    # Answers as of an instant see only what was known then: before Order No. 4 the 30% rate had no end.
    known_then = rules.resolve(TOY, "CN", "2025-11-15", as_of="2025-10-01")
    print(f"\nA toy from CN on 2025-11-15, as known on 2025-10-01: {known_then.rate}% "
          f"(version {known_then.levies[0].version}); as known now: {rules.resolve(TOY, 'CN', '2025-11-15').rate}%")

    # A broken rule file is refused with the file, the levy and the field.
    with tempfile.TemporaryDirectory() as tmp:
        broken = Path(tmp) / "freedonia"
        shutil.copytree(RULES, broken)
        metals = broken / "metals.toml"
        metals.write_text(metals.read_text().replace('rate = "25%"', 'rate = "25"'))
        try:
            tariffrules.load(broken)
        except tariffrules.RuleFileError as error:
            print(f"\nA rate written without '%': RuleFileError: {error}")


if __name__ == "__main__":
    main()

"""Property-test a small rule set of your own with tariffrules.testing.

Writes the rules of a fictional country (Ruritania: a baseline surcharge, a
steel surcharge on the steel content that replaces it, a pause for one
trading partner) into a temporary folder, loads them, and lets Hypothesis
check every invariant on 200 generated queries: the fast engine agrees with
the reference resolver, the order of levies does not matter, answers are
constant between change points, and so on. Then it checks a property of its
own with the same query strategy, rates one case by hand, and shows what a
failure looks like.

Needs the test extra: pip install 'tariffrules[test]'.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
from hypothesis import given, settings

import tariffrules
from tariffrules.testing import Context, InvariantViolation, QueryCase, check_case, check_rule_set, queries

RULES = {
    "ruleset.toml": """
[ruleset]
name = "ruritania"
title = "Ruritanian surcharges"
zone = "Europe/Vienna"
horizon_start = 2025-01-01
reviewed = 2026-06-30
""",
    "surcharges.toml": """
[program]
id = "rt.sur"
title = "Surcharges"
authority = "Ruritanian Tariff Act"
rank = 100

[[levy]]
id = "rt.sur.base"
title = "Baseline surcharge"
citation = "Decree 1"
rate = "8%"
start = 2025-03-01T00:00:00
goods = ["*"]
origins = ["*"]

[[levy]]
id = "rt.sur.steel"
title = "Steel surcharge, on the steel content"
citation = "Decree 2"
rate = "20%"
base = { content = "steel" }
start = 2025-06-01T00:00:00
end = 2026-01-01T00:00:00
goods = ["72", "73"]
origins = ["*"]
replaces = ["rt.sur.base"]

[[suspension]]
id = "rt.sur.pause"
title = "Pause for Borduria"
citation = "Decree 3"
levies = ["rt.sur.base"]
origins = ["BD"]
start = 2025-09-01T00:00:00
end = 2025-12-01T00:00:00
""",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ruritania"
        folder.mkdir()
        for name, text in RULES.items():
            (folder / name).write_text(text, encoding="utf-8")
        rules = tariffrules.load(folder)

        # 1. Every invariant, on generated queries (pass max_examples=10_000 for a thorough check).
        check_rule_set(rules, max_examples=200)
        print(f"{len(rules.levies)} levies, {len(rules.change_points())} change points: "
              "every invariant held on 200 generated queries")

    # 2. A property of this rule set, written with the same query strategy.
    @settings(max_examples=200, deadline=None)
    @given(case=queries(rules))
    def no_more_than_twenty_percent(case: QueryCase) -> None:
        assert all(levy.rate <= 20 for levy in case.resolve(rules).levies)

    no_more_than_twenty_percent()
    print("no levy above 20% on 200 generated queries")

    # 3. One case by hand: steel from Borduria during the pause, with its explanation.
    case = QueryCase(hts="7308.10.00", origin="BD", when="2025-10-15",
                     facts=(("value", 1000), ("content", (("steel", 400),))))
    resolution = check_case(rules, case)
    print(f"\n{case!r}:\n{resolution.explain()}")

    # 4. What a failure looks like: compare with a copy that lost the pause, as if a file had been dropped.
    without_pause = attrs.evolve(rules, suspensions=())
    try:
        check_case(rules, case, invariants=["order_independence"], context=Context(shuffled=(without_pause,)))
    except InvariantViolation as failure:
        print(f"\nA copy without the pause is caught:\n{failure}")
    else:
        raise SystemExit("the copy without the pause was not caught")

if __name__ == "__main__":
    main()

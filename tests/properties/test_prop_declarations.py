"""Declaration groups and entry lines on generated queries.

The toy rule set keeps the declaration rule (one heading of each group in force per entry line, CSMS
#64649265) and the entry-line invariants on every generated query. With any one of its exemption lines
taken away, the sampled queries of RuleSet.validate find lines that break the rule, and the invariant hook
of check_rule_set reports such a line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import settings, strategies as st

import tariffrules
from tariffrules.testing import InvariantViolation, QueryCase, check_rule_set, queries

TOY = Path(__file__).resolve().parent.parent / "rules" / "toy"


@pytest.fixture(scope="module")
def toy_rules() -> tariffrules.RuleSet:
    return tariffrules.load(TOY)


def _without(rules, levy_id):
    return attrs.evolve(rules, levies=tuple(levy for levy in rules.levies if levy.id != levy_id))


def test_toy_lines_carry_one_heading_per_group(toy_rules):
    check_rule_set(toy_rules, strategy=queries(toy_rules), invariants=["entry_lines", "declarations"],
                   shuffles=0, reload=False, max_examples=max(settings.default.max_examples, 200))


@pytest.mark.parametrize("levy_id", ["toy.exempt.in_transit", "toy.exempt.us_content", "toy.exempt.autos",
                                     "toy.exempt.sector", "toy.exempt.steel"])
def test_without_an_exemption_line_sampled_queries_break_the_rule(toy_rules, levy_id):
    found = _without(toy_rules, levy_id).validate(2000)
    assert found and {v.group for v in found} == {"recip"}


def test_check_rule_set_reports_a_line_without_its_heading(toy_rules):
    # goods in transit (loaded before 2025-04-05, entered before 2025-05-28) with no in-transit line
    case = QueryCase(hts="8525.89.30", origin="DE", when=dt.date(2025, 4, 20),
                     facts=(("loaded", dt.date(2025, 4, 1)),))
    broken = _without(toy_rules, "toy.exempt.in_transit")
    with pytest.raises(InvariantViolation, match="declaration group 'recip'.*carries none"):
        check_rule_set(broken, strategy=st.just(case), invariants=["declarations"], shuffles=0, reload=False,
                       max_examples=1)
    check_rule_set(toy_rules, strategy=st.just(case), invariants=["declarations"], shuffles=0, reload=False,
                   max_examples=1)

"""Engine properties on generated queries: the toy set, the built-in US set and synthetic rule sets.

Every invariant of ``tariffrules.testing.INVARIANTS`` is checked, including
fast engine == reference resolver for every generated query.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st

import tariffrules
from tariffrules.testing import (INVARIANTS, Context, check_case, check_rule_set, queries, rule_set_specs,
                                 shuffled_rules)

TOY = Path(__file__).resolve().parent.parent / "rules" / "toy"


@pytest.fixture(scope="module")
def toy_rules() -> tariffrules.RuleSet:
    return tariffrules.load(TOY)


@pytest.fixture(scope="module")
def us_rules() -> tariffrules.RuleSet:
    return tariffrules.builtin("us")


def _examples(factor: int) -> int:
    """More examples for the cheap checks in everyday runs; the thorough profile's 10,000 as they are."""
    examples = settings.default.max_examples
    return examples if examples >= 10_000 else examples * factor


def test_toy_rule_set_keeps_every_invariant(toy_rules):
    check_rule_set(toy_rules, strategy=queries(toy_rules), max_examples=_examples(5))


def test_us_rule_set_keeps_every_invariant(us_rules):
    # every invariant, the declaration rule included (issue 11): each entry line carries exactly one heading of each
    # declaration group in force for it
    check_rule_set(us_rules, strategy=queries(us_rules), max_examples=_examples(3))


def test_us_declarations_hold_on_the_validate_sample(us_rules):
    """`tariffrules validate` on the US set (2000 sampled queries, seed 0) finds no entry line without exactly one
    heading of a declaration group in force (issue 11; the 35 lines of the last session were fixed in the data)."""
    found = us_rules.validate(2000, 0)
    assert len(found) == 0, "\n".join(v.describe() for v in found)


def test_us_rule_set_bare_triples_fast_equals_reference(us_rules):
    """Without facts, the queries the US set gets most (code, origin, date) agree with the oracle."""
    check_rule_set(us_rules, strategy=queries(us_rules, facts=False), max_examples=_examples(3),
                   invariants=["differential", "every_levy_accounted"], shuffles=0, reload=False)


@given(spec=rule_set_specs(), data=st.data())
def test_synthetic_rule_sets_keep_every_invariant(spec, data):
    rules = spec.load()
    context = Context(shuffled=(shuffled_rules(rules, 1), spec.shuffled(data.draw(st.integers(0, 2**16),
                                                                                   label="seed")).load()))
    strategy = queries(rules)
    for _ in range(3):
        check_case(rules, data.draw(strategy, label="query"), context=context)


@given(spec=rule_set_specs(), seed=st.integers(0, 2**16))
def test_synthetic_files_in_another_order_load_to_the_same_rule_set(spec, seed):
    assert _content(spec.shuffled(seed).load()) == _content(spec.load())


def _content(rules: tariffrules.RuleSet) -> tuple:
    """A rule set without where each part was read (file names differ between the copies)."""
    levies = tuple(attrs.evolve(levy, versions=tuple(attrs.evolve(v, source=None) for v in levy.versions))
                   for levy in rules.levies)
    suspensions = tuple(attrs.evolve(s, versions=tuple(attrs.evolve(v, source=None) for v in s.versions))
                        for s in rules.suspensions)
    return attrs.evolve(rules.info, source=None), levies, suspensions, dict(rules.mfn)

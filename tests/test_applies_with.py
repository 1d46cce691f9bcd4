"""`applies_with` and `[program] declaration`: loading, settling, errors; engine and reference agree.

Expected answers come from the toy rule set's files (tests/rules/toy): toy.exempt.sector is a 0% line
(heading 9903.01.33) on the steel content that applies only with toy.sector.steel_derivatives (25% on the
steel content of 7308 and 9401.61, except 7308.90.30, from 2025-03-12).
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

import tariffrules
from tariffrules import reference
from tariffrules.errors import RuleFileError

from test_loader import MINIMAL, load_error, write


def both(rules, *args, **facts):
    """The engine's answer, checked equal to the reference resolver's."""
    answer = rules.resolve(*args, **facts)
    expected = reference.resolve(rules, answer.query)
    assert expected == answer
    assert {(s.id, s.reason, s.detail) for s in expected.skipped} == {(s.id, s.reason, s.detail) for s in answer.skipped}
    return answer


def test_declaration_groups_are_read_from_the_program(toy):
    assert {v.declaration for v in toy.get("toy.recip.baseline").versions} == {"recip"}
    assert {v.declaration for v in toy.get("toy.exempt.sector").versions} == {"recip"}
    assert {v.declaration for v in toy.get("toy.border.ca").versions} == {None}  # declaration = false
    assert {v.declaration for v in toy.get("toy.sector.steel").versions} == {None}


def test_the_exemption_line_applies_with_its_companion(toy):
    # 7308.10.00 is a steel derivative: the sectoral duty on the steel content and the 0% line with it;
    # Japan's 24% (in force 2025-04-09, before the pause) on the rest
    r = both(toy, "7308.10.00", "JP", "2025-04-09", value=Decimal(1000), content={"steel": Decimal(300)})
    by_id = {levy.id: levy for levy in r.levies}
    assert set(by_id) == {"toy.recip.jp", "toy.exempt.sector", "toy.sector.steel_derivatives"}
    assert by_id["toy.exempt.sector"].rate == 0 and by_id["toy.exempt.sector"].base == "steel content"
    assert by_id["toy.exempt.sector"].heading == "9903.01.33"
    assert r.duty() == Decimal("168.00") + Decimal("75.00")  # 24% of 700, 25% of 300


def test_without_its_companion_the_exemption_line_does_not_apply(toy):
    # the toy's exemption line covers exactly the derivative levy's goods: take that levy away
    alone = attrs.evolve(toy, levies=tuple(levy for levy in toy.levies if levy.id != "toy.sector.steel_derivatives"))
    r = both(alone, "7308.10.00", "JP", "2025-04-09", value=Decimal(1000), content={"steel": Decimal(300)})
    assert "toy.exempt.sector" not in {levy.id for levy in r.levies}
    skip = next(s for s in r.skipped if s.id == "toy.exempt.sector")
    assert skip.reason == "unaccompanied" and "toy.sector.steel_derivatives" in skip.detail
    assert "toy.exempt.sector" in r.explain() and "none of the levies it applies with applies" in r.explain()


def test_before_its_own_start_it_does_not_apply_even_with_its_companion(toy):
    # the derivative levy is in force from 2025-03-12, the exemption line from 2025-04-05
    r = both(toy, "7308.10.00", "JP", "2025-03-20", value=Decimal(1000), content={"steel": Decimal(300)})
    assert [levy.id for levy in r.levies] == ["toy.sector.steel_derivatives"]
    assert next(s for s in r.skipped if s.id == "toy.exempt.sector").reason == "not_yet_in_force"


RULES = '''
[ruleset]
name = "with"
title = "applies_with"
zone = "Europe/Paris"
horizon_start = 2025-01-01
reviewed = 2025-12-31

[program]
id = "w.p"
title = "P"
authority = "Act"
rank = 1
declaration = "G"

[[levy]]
id = "w.p.duty"
title = "Duty"
citation = "Act s. 1"
rate = "10%"
start = 2025-02-01
goods = ["01"]
origins = ["*"]
when = [ { fact = "claim", is = false } ]

[[levy]]
id = "w.p.rival"
title = "Rival, replaces the duty for FR"
citation = "Act s. 3"
rate = "20%"
start = 2025-02-01
goods = ["01"]
origins = ["FR"]
replaces = ["w.p.duty"]

[[levy]]
id = "w.p.zero"
title = "Exemption line, with the duty"
heading = "9903.01.33"
citation = "Act s. 2"
rate = "0%"
start = 2025-02-01
goods = ["01"]
origins = ["*"]
applies_with = ["w.p.d*"]

[facts.claim]
type = "bool"
default = false

[[suspension]]
id = "w.p.pause"
title = "Pause"
citation = "Act s. 4"
levies = ["w.p.duty"]
origins = ["IT"]
start = 2025-06-01
'''


@pytest.fixture
def with_rules(tmp_path):
    return tariffrules.load(write(tmp_path, RULES))


@pytest.mark.parametrize("origin,when,facts,applies", [
    ("DE", "2025-03-01", {}, True),               # the duty applies: so does the line
    ("DE", "2025-03-01", {"claim": True}, False),  # the duty's condition fails
    ("FR", "2025-03-01", {}, False),              # the duty is replaced
    ("IT", "2025-03-01", {}, True),
    ("IT", "2025-06-02", {}, False),              # the duty is suspended for IT
])
def test_the_line_follows_its_companion_through_conditions_relations_and_suspensions(with_rules, origin, when,
                                                                                      facts, applies):
    r = both(with_rules, "0101.21.00", origin, when, **facts)
    assert ("w.p.zero" in {levy.id for levy in r.levies}) is applies
    if not applies:
        assert next(s for s in r.skipped if s.id == "w.p.zero").reason == "unaccompanied"


def test_a_pattern_is_resolved_at_load(with_rules):
    assert {v.applies_with for v in with_rules.get("w.p.zero").versions} == {frozenset({"w.p.duty"})}


@pytest.mark.parametrize("old,new,field,fragment", [
    ('applies_with = ["w.p.d*"]', 'applies_with = ["w.p.nothing"]', "applies_with", "matches no levy"),
    ('applies_with = ["w.p.d*"]', 'applies_with = ["w.p.zero"]', "applies_with", "names no levy other than"),
    ('applies_with = ["w.p.d*"]', 'applies_with = "w.p.duty"', "applies_with", "must be a list"),
    ('declaration = "G"', 'declaration = true', "declaration", "group name or false"),
    ('declaration = "G"', 'declaration = ""', "declaration", "group name or false"),
    ('declaration = "G"', 'declaration = 3', "declaration", "group name or false"),
    # a levy that excludes its own companion: the companion settles first and last at once
    ('applies_with = ["w.p.d*"]', 'applies_with = ["w.p.duty"]\nexcludes = ["w.p.duty"]', "applies_with", "cycle"),
])
def test_malformed_applies_with_and_declaration(tmp_path, old, new, field, fragment):
    assert old in RULES
    error = load_error(write(tmp_path, RULES.replace(old, new)))
    assert error.field == field and fragment in str(error)


def test_a_companion_that_replaces_the_line_is_no_cycle(tmp_path):
    # A replaces B and B applies with A: both settle A first; B never applies
    rules = tariffrules.load(write(tmp_path, RULES.replace('applies_with = ["w.p.d*"]', 'applies_with = ["w.p.duty"]')
                                   .replace('when = [ { fact = "claim", is = false } ]',
                                            'when = [ { fact = "claim", is = false } ]\nreplaces = ["w.p.zero"]')))
    r = both(rules, "0101.21.00", "DE", "2025-03-01")
    assert [levy.id for levy in r.levies] == ["w.p.duty"]
    assert next(s for s in r.skipped if s.id == "w.p.zero").reason == "replaced"


def test_a_cycle_through_two_companions_is_rejected(tmp_path):
    text = MINIMAL + '''
[[levy]]
id = "mini.p.b"
title = "B"
citation = "Act s. 2"
rate = "0%"
start = 2025-02-01
goods = ["01"]
origins = ["*"]
applies_with = ["mini.p.a"]
excludes = ["mini.p.c"]

[[levy]]
id = "mini.p.c"
title = "C"
citation = "Act s. 3"
rate = "0%"
start = 2025-02-01
goods = ["01"]
origins = ["*"]
replaces = ["mini.p.a"]
'''
    error = load_error(write(tmp_path, text))
    assert "cycle" in str(error) and "mini.p.a" in str(error) and "mini.p.c" in str(error)

"""Amendments that inherit (``amends``), the foresight check and exclusive product lists."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest

import tariffrules
from tariffrules.errors import RuleFileError
from tariffrules.exclusive import shared_code
from tariffrules.foresight import find_foresight
from tariffrules.model import GoodsScope

HEAD = '''
[ruleset]
name = "mini"
title = "Minimal"
zone = "America/New_York"
horizon_start = 2025-01-01
reviewed = 2026-12-31

[program]
id = "mini.p"
title = "P"
authority = "Act"
rank = 1
'''

AMENDED = HEAD + '''
[[levy]]
id = "mini.p.steel"
title = "Steel"
citation = "Order 1"
rate = "25%"
goods = ["72"]
origins = ["*"]
except_origins = ["GB"]

  [[levy.version]]
  label = "open"
  start = 2025-03-01
  known = 2025-02-10

  [[levy.version]]
  label = "ended"
  amends = "open"
  end = 2025-06-04
  known = 2025-06-03

  [[levy.version]]
  label = "cited"
  amends = "ended"
  citation = "Order 1 as corrected"
  known = 2025-07-01

  [[levy.version]]
  label = "fifty"
  start = 2025-06-04
  known = 2025-06-03
  rate = "50%"
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    return path


def load_error(path: Path) -> RuleFileError:
    with pytest.raises(RuleFileError) as info:
        tariffrules.load(path)
    return info.value


def versions(rules, levy_id):
    return {v.label: v for v in next(l for l in rules.levies if l.id == levy_id).versions}


def test_an_amendment_inherits_what_it_does_not_restate(tmp_path):
    rules = tariffrules.load(write(tmp_path, AMENDED))
    v = versions(rules, "mini.p.steel")
    ended = v["ended"]
    assert ended.supersedes == "open"
    assert ended.rate.percent == 25 and ended.goods.prefixes == frozenset({"72"})
    assert ended.period.start == v["open"].period.start
    assert ended.period.end is not None and ended.period.end.date() == _dt.date(2025, 6, 4)
    assert "GB" in ended.origins.excluded
    assert ended.known.date() == _dt.date(2025, 6, 3)
    # a chain: "cited" amends "ended", which amends "open"
    cited = v["cited"]
    assert cited.supersedes == "ended" and cited.citation == "Order 1 as corrected"
    assert cited.period == ended.period and cited.rate == ended.rate
    # a version that amends nothing takes the levy's defaults, not its neighbour's fields
    assert v["fifty"].rate.percent == 50 and v["fifty"].supersedes is None


def test_as_of_answers_see_the_amendment_only_from_its_known(tmp_path):
    rules = tariffrules.load(write(tmp_path, AMENDED))
    before = rules.resolve("7208.10.15.00", "JP", "2025-08-01", as_of="2025-05-01")
    after = rules.resolve("7208.10.15.00", "JP", "2025-08-01")
    assert [l.rate for l in before.levies] == [25]
    assert [l.rate for l in after.levies] == [50]


def test_supersedes_alone_inherits_nothing(tmp_path):
    text = AMENDED.replace('amends = "open"\n  end = 2025-06-04',
                           'supersedes = "open"\n  end = 2025-06-04\n  start = 2025-03-01\n  rate = "20%"')
    rules = tariffrules.load(write(tmp_path, text))
    ended = versions(rules, "mini.p.steel")["ended"]
    assert ended.rate.percent == 20
    # the levy's own except_origins still applies (a levy default), but nothing came from "open"
    assert versions(rules, "mini.p.steel")["cited"].rate.percent == 20


@pytest.mark.parametrize("old,new,fragment", [
    ('amends = "open"', 'amends = "nope"', "names no other version"),
    ('amends = "open"', 'amends = "open"\n  supersedes = "open"', "not both"),
    ('label = "open"', 'label = "open"\n  amends = "cited"', "loop"),
    ('known = 2025-06-03\n\n  [[levy.version]]\n  label = "cited"', 'known = 2025-01-01\n\n  [[levy.version]]\n  label = "cited"',
     "must be known after"),
])
def test_amendment_errors(tmp_path, old, new, fragment):
    assert old in AMENDED
    error = load_error(write(tmp_path, AMENDED.replace(old, new, 1)))
    assert fragment in str(error)
    assert error.levy == "mini.p.steel"


def test_amends_is_not_a_levy_level_key(tmp_path):
    text = AMENDED.replace('except_origins = ["GB"]', 'except_origins = ["GB"]\namends = "open"')
    assert "unknown key" in str(load_error(write(tmp_path, text)))


FORESIGHT = HEAD + '''
[[levy]]
id = "mini.p.cars"
title = "Cars"
citation = "Order 1"
rate = "25%"
goods = ["8703"]
origins = ["*"]

  [[levy.version]]
  label = "a"
  start = 2025-04-03
  end = 2025-08-01
  known = 2025-03-26

  [[levy.version]]
  label = "b"
  start = 2025-08-01
  known = 2025-07-30
  citation = "Order 2"
'''


def test_an_end_known_before_the_change_at_it_is_rejected(tmp_path):
    error = load_error(write(tmp_path, FORESIGHT))
    assert error.levy == "mini.p.cars" and error.field == "end"
    assert 'version "a"' in str(error) and "2025-07-30" in str(error)


def test_the_foresight_fix_is_an_amendment_known_with_the_change(tmp_path):
    fixed = FORESIGHT.replace("  end = 2025-08-01\n", "").replace(
        '  [[levy.version]]\n  label = "b"',
        '  [[levy.version]]\n  label = "a-end"\n  amends = "a"\n  end = 2025-08-01\n  known = 2025-07-30\n\n'
        '  [[levy.version]]\n  label = "b"')
    rules = tariffrules.load(write(tmp_path, fixed))
    assert find_foresight(rules.levies, rules.suspensions) == []
    # as of June, the Aug. 20 entry still pays the duty known then
    early = rules.resolve("8703.23.01.90", "JP", "2025-08-20", as_of="2025-06-01")
    assert [l.id for l in early.levies] == ["mini.p.cars"]
    assert early.levies[0].citation == "Order 1"


def test_a_lapse_date_with_no_successor_is_not_judged(tmp_path):
    text = FORESIGHT.replace('''  [[levy.version]]
  label = "b"
  start = 2025-08-01
  known = 2025-07-30
  citation = "Order 2"
''', "")
    rules = tariffrules.load(write(tmp_path, text))
    assert find_foresight(rules.levies, rules.suspensions) == []


EXCLUSIVE = HEAD.replace('rank = 1\n', 'rank = 1\nexclusive_goods = [["mini.p.list*"]]\n') + '''
[[levy]]
id = "mini.p.list1"
title = "List 1"
citation = "Notice 1"
rate = "25%"
start = 2025-01-01
goods = ["8413.50", "9028"]
except_goods = ["9028.10"]
origins = ["CN"]

[[levy]]
id = "mini.p.list2"
title = "List 2"
citation = "Notice 2"
rate = "25%"
start = 2025-01-01
goods = ["9028.10.00", "8414"]
origins = ["CN"]
'''


def test_exclusive_lists_load_when_disjoint(tmp_path):
    rules = tariffrules.load(write(tmp_path, EXCLUSIVE))
    assert len(rules.levies) == 2


def test_a_code_on_two_exclusive_lists_is_named(tmp_path):
    error = load_error(write(tmp_path, EXCLUSIVE.replace('"8414"', '"8413.50.00"')))
    assert "8413500" in str(error).replace(".", "") and "mini.p.list1" in str(error) and "mini.p.list2" in str(error)
    assert error.field == "exclusive_goods" and error.levy == "mini.p"


def test_exclusive_lists_in_different_periods_may_share_codes(tmp_path):
    text = EXCLUSIVE.replace('"8414"', '"8413.50.00"').replace(
        'goods = ["8413.50", "9028"]', 'goods = ["8413.50", "9028"]\nend = 2025-02-01').replace(
        'start = 2025-01-01\ngoods = ["9028.10.00"', 'start = 2025-02-01\ngoods = ["9028.10.00"')
    assert len(tariffrules.load(write(tmp_path, text)).levies) == 2


@pytest.mark.parametrize("group,fragment", [
    ('[["mini.p.list1"]]', "at least two"),
    ('["mini.p.list1"]', "list of lists"),
    ('[["mini.p.nothing", "mini.p.list1"]]', "matches no levy"),
])
def test_exclusive_goods_is_checked(tmp_path, group, fragment):
    text = EXCLUSIVE.replace('exclusive_goods = [["mini.p.list*"]]', f"exclusive_goods = {group}")
    assert fragment in str(load_error(write(tmp_path, text)))


@pytest.mark.parametrize("a,b,shared", [
    (GoodsScope(prefixes=frozenset({"8413"})), GoodsScope(prefixes=frozenset({"84135000"})), "84135000"),
    (GoodsScope(prefixes=frozenset({"8413"}), excluded=frozenset({"841350"})),
     GoodsScope(prefixes=frozenset({"84135000"})), None),
    (GoodsScope(prefixes=frozenset({"8413"})), GoodsScope(prefixes=frozenset({"8414"})), None),
    (GoodsScope(everything=True), GoodsScope(prefixes=frozenset({"72"})), "72"),
])
def test_shared_code(a, b, shared):
    assert shared_code(a, b) == shared
    assert shared_code(b, a) == shared


def test_the_us_rules_pass_the_checks():
    rules = tariffrules.load(tariffrules.builtin_path("us"))
    assert find_foresight(rules.levies, rules.suspensions) == []


def test_a_successor_without_a_known_is_not_judged(tmp_path):
    text = FORESIGHT.replace("  known = 2025-07-30\n", "")
    rules = tariffrules.load(write(tmp_path, text))
    assert find_foresight(rules.levies, rules.suspensions) == []


def test_suspension_versions_amend_too(tmp_path):
    text = AMENDED + '''
[[suspension]]
id = "mini.p.pause"
title = "Pause"
citation = "Order 3"
levies = ["mini.p.steel"]
origins = ["JP"]

  [[suspension.version]]
  label = "90-days"
  start = 2025-07-01
  end = 2025-09-29
  known = 2025-06-20

  [[suspension.version]]
  label = "extended"
  amends = "90-days"
  end = 2025-12-01
  known = 2025-09-20
  citation = "Order 4"
'''
    rules = tariffrules.load(write(tmp_path, text))
    versions = {v.label: v for v in rules.suspensions[0].versions}
    assert versions["extended"].supersedes == "90-days"
    assert versions["extended"].levies == frozenset({"mini.p.steel"}) and "JP" in versions["extended"].origins.members
    assert versions["extended"].period.start == versions["90-days"].period.start
    assert rules.resolve("7208.10.15.00", "JP", "2025-10-15").levies == ()
    assert [l.rate for l in rules.resolve("7208.10.15.00", "JP", "2025-10-15", as_of="2025-08-01").levies] == [50]


def test_a_version_label_that_is_not_text_is_a_rule_file_error(tmp_path):
    # found by the loader robustness property: a list label used to crash with TypeError
    error = load_error(write(tmp_path, AMENDED.replace('label = "open"', 'label = ["open"]', 1)))
    assert error.field.endswith("label") and "text" in str(error)

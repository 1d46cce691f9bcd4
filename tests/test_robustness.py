"""No silent answers: every bad input of issue 14 raises a typed error naming what, where and what is allowed.

One test (or a parametrised family) per kind: facts, codes, crashes, batch
files, rule files that must not validate, the command line. The catalogue of
``tests/robustness_inputs.py`` runs the same kinds as a count.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules
from tariffrules.errors import (InvalidFactError, MissingFactError, QueryError, RuleFileError)

RULESET = """\
[ruleset]
name = "mini"
title = "Mini rules for robustness tests"
zone = "America/New_York"
horizon_start = 2025-01-01
reviewed = 2026-06-30
{extra}
"""

PROGRAM = """\
[program]
id = "mini.duty"
title = "A duty"
authority = "Test"
rank = 100

[[levy]]
id = "mini.duty.base"
title = "Base duty"
citation = "Test 1"
heading = "9903.00.01"
rate = "10%"
goods = ["*"]
origins = ["*"]
start = 2025-01-01
{levy_extra}
"""


def write_rules(tmp_path: Path, extra: str = "", levy_extra: str = "", more: str = "") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "ruleset.toml").write_text(RULESET.format(extra=textwrap.dedent(extra)), encoding="utf-8")
    (folder / "duty.toml").write_text(PROGRAM.format(levy_extra=textwrap.dedent(levy_extra)) + textwrap.dedent(more),
                                      encoding="utf-8")
    return folder


FACTS = """
[ruleset.facts.part_of]
type = "choice"
choices = ["passenger", "mhdv"]
default = "passenger"
description = "what vehicle the part is for"

[ruleset.facts.share]
type = "decimal"
min = "0"
max = "100"
description = "a percent"

[ruleset.facts.certified]
type = "bool"
on_missing = "error"
description = "the importer certifies the origin of components"
"""

LEVY_FACTS = """\
when = [ { fact = "part_of", is = "passenger" } ]
unless = [ { fact = "certified", is = true } ]
"""


@pytest.fixture
def mini(tmp_path):
    return tariffrules.load(write_rules(tmp_path, FACTS, LEVY_FACTS + 'base = { content = "steel" }\n'))


# -- facts ----------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["MHDV", "Passenger", "", "truck", True, 3])
def test_an_unknown_choice_names_the_fact_the_value_and_the_choices(mini, value):
    with pytest.raises(InvalidFactError) as caught:
        mini.resolve("8703230100", "JP", "2025-05-01", part_of=value, certified=False)
    text = str(caught.value)
    assert caught.value.argument == "part_of" and repr(value) in text and "'passenger', 'mhdv'" in text


@pytest.mark.parametrize("value", ["-1", "100.01", "1e6"])
def test_a_number_outside_its_range_is_an_error(mini, value):
    with pytest.raises(InvalidFactError, match="at least 0 and at most 100") as caught:
        mini.resolve("8703230100", "JP", "2025-05-01", share=value, certified=False)
    assert caught.value.argument == "share"


def test_numbers_at_the_bounds_are_accepted(mini):
    for value in ("0", "100"):
        assert mini.resolve("8703230100", "JP", "2025-05-01", share=value, certified=False).headings == ("9903.00.01",)


@pytest.mark.parametrize("kind", ["stele", "Steel", "", " steel"])
def test_an_unknown_content_kind_names_the_kinds_the_rules_read(mini, kind):
    with pytest.raises(InvalidFactError, match="'steel'") as caught:
        mini.resolve("8703230100", "JP", "2025-05-01", value="100", content={kind: "10"}, certified=False)
    assert caught.value.argument == f"content[{kind!r}]"


def test_a_loading_date_after_the_entry_is_an_error(mini):
    with pytest.raises(InvalidFactError, match="after the entry") as caught:
        mini.resolve("8703230100", "JP", "2025-05-01", loaded="2025-05-02", certified=False)
    assert caught.value.argument == "loaded"
    assert mini.resolve("8703230100", "JP", "2025-05-01", loaded="2025-05-01", certified=False)


def test_content_above_the_value_is_an_error(mini):
    with pytest.raises(InvalidFactError, match="more than the customs value"):
        mini.resolve("8703230100", "JP", "2025-05-01", value="100", content={"steel": "100.01"}, certified=False)


@pytest.mark.parametrize("flag", ["no", "yes", 1, 0, None])
def test_allow_stale_must_be_a_bool(mini, flag):
    with pytest.raises(QueryError, match="must be True or False") as caught:
        mini.resolve("8703230100", "JP", "2025-05-01", allow_stale=flag)
    assert caught.value.argument == "allow_stale"


def test_a_fact_with_no_safe_default_must_be_given_when_read(mini):
    with pytest.raises(MissingFactError, match="certified") as caught:
        mini.resolve("8703230100", "JP", "2025-05-01")
    assert caught.value.argument == "certified"
    # not read (the when condition fails first): no error
    assert mini.resolve("8703230100", "JP", "2025-05-01", part_of="mhdv").levies == ()


def test_assumed_lists_the_defaults_and_unknowns_the_answer_read(mini):
    r = mini.resolve("8703230100", "JP", "2025-05-01", certified=False)
    assert r.assumed == (("part_of", "passenger"),)
    assert "part_of = passenger (the rule set's default)" in r.explain()
    assert r.to_dict()["assumed"] == {"part_of": "passenger"}
    given = mini.resolve("8703230100", "JP", "2025-05-01", certified=False, part_of="passenger")
    assert given.assumed == () and given.levies == r.levies


def test_assumed_names_a_builtin_fact_taken_as_not_given(tmp_path):
    rules = tariffrules.load(write_rules(tmp_path, levy_extra='unless = [ { fact = "loaded", before = 2025-04-05 } ]\n'))
    r = rules.resolve("8703230100", "JP", "2025-05-01")
    assert r.assumed == (("loaded", None),)
    assert "loaded: not given" in r.explain()
    assert rules.resolve("8703230100", "JP", "2025-05-01", loaded="2025-04-01").levies == ()


@pytest.mark.parametrize("spec,problem", [
    ('type = "choice"', "choices"),
    ('type = "choice"\nchoices = []', "choices"),
    ('type = "choice"\nchoices = ["a", "a"]', "choices"),
    ('type = "choice"\nchoices = ["a"]\ndefault = "b"', "default"),
    ('type = "text"\nchoices = ["a"]', "choices"),
    ('type = "bool"\nmin = "0"', "min"),
    ('type = "decimal"\nmin = "5"\nmax = "1"', "max"),
    ('type = "decimal"\nmax = "x"', "max"),
    ('type = "decimal"\nmax = "10"\ndefault = "11"', "default"),
    ('type = "bool"\non_missing = "guess"', "on_missing"),
    ('type = "bool"\ndefault = false\non_missing = "error"', "on_missing"),
])
def test_malformed_fact_declarations_are_rule_file_errors(tmp_path, spec, problem):
    with pytest.raises(RuleFileError) as caught:
        tariffrules.load(write_rules(tmp_path, "[ruleset.facts.f]\n" + spec + "\n"))
    assert problem in caught.value.field


def test_a_condition_on_a_choice_must_name_one_of_its_values(tmp_path):
    with pytest.raises(RuleFileError, match="'MHDV' is not a value of choice fact 'part_of'"):
        tariffrules.load(write_rules(tmp_path, FACTS, 'when = [ { fact = "part_of", is = "MHDV" } ]\n'))


def test_us_enumerated_facts_are_choices():
    us = tariffrules.builtin("us")
    specs = {f.name: f for f in us.info.facts}
    assert specs["vehicle_part_of"].choices == ("passenger", "mhdv")
    with pytest.raises(InvalidFactError, match="'passenger', 'mhdv'"):
        us.resolve("8703.23.01.90", "JP", "2025-06-01", vehicle_part_of="MHDV")
    assert Decimal(100) == specs["metal_us_share"].maximum

"""Minimal reproductions of engine and loader bugs the property tests found.

Each test states the documented behaviour and was shrunk by a property test;
all of them are fixed and stay here as regression tests. A bug found later and
not yet fixed goes here as a strict xfail until its fix lands.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import tariffrules
from tariffrules import reference
from tariffrules.testing.toml_text import dumps

TOY = Path(__file__).resolve().parent.parent / "rules" / "toy"


def test_memo_key_keeps_a_zero_value_apart():
    """Shrunk by test_toy_rule_set_keeps_every_invariant: a value-0 answer is reused for a query without value.

    toy.sector.steel_derivatives (steel content) excludes toy.recip.baseline;
    with value=0 nothing is left of the baseline's portion, so it is excluded.
    A later query without a value must still apply the baseline on the value
    less the steel content, as the reference resolver does.
    """
    rules = tariffrules.load(TOY)
    rules.resolve("73080000", "HR", dt.date(2026, 1, 1), value=0)
    query = rules.query("73080000", "HR", dt.date(2026, 1, 1))
    assert rules.resolve_query(query) == reference.resolve(rules, query)


def test_all_in_rate_text_follows_this_querys_general_rate():
    """Found by the thorough profile on the toy set: rate '15.00' and 'general rate 0.00%' for a query whose
    general rate is 0 (from the schedule), because an earlier query gave mfn=Decimal('0.00')."""
    rules = tariffrules.load(TOY)
    rules.resolve("73089030", "DK", "2026-03-01", mfn=Decimal("0.00"))
    query = rules.query("73089030", "DK", "2026-03-01")
    assert rules.resolve_query(query) == reference.resolve(rules, query)


@pytest.mark.parametrize("value", [
    pytest.param("1E+30", id="text"),
    pytest.param(Decimal("1E+30"), id="decimal"),
])
def test_huge_values_are_refused_or_rated(value):
    """Found while writing the bad-query properties: a value the query accepted could not be rated."""
    rules = tariffrules.load(TOY)
    try:
        resolution = rules.resolve("85258930", "DE", "2025-05-01", value=value)
    except tariffrules.InvalidFactError as error:
        assert error.argument == "value"
        return
    assert resolution.duty() == Decimal("1E+29")


def _rules(tmp_path: Path, ruleset_extra: dict | None = None, top: dict | None = None) -> Path:
    ruleset = {"name": "m", "title": "M", "zone": "UTC", "horizon_start": dt.date(2025, 1, 1),
               "reviewed": dt.date(2025, 12, 31), **(ruleset_extra or {})}
    doc = {"ruleset": ruleset, **(top or {}), "program": {"id": "m.p", "title": "P", "authority": "A", "rank": 1},
           "levy": [{"id": "m.p.a", "title": "A", "citation": "c", "rate": "5%", "start": dt.date(2025, 3, 1),
                     "goods": ["*"], "origins": ["*"]}]}
    path = tmp_path / "rules.toml"
    path.write_text(dumps(doc))
    return path


_SUSPENSION = {"id": "m.p.s", "title": "S", "citation": "c", "levies": ["m.p.a"], "start": dt.date(2025, 4, 1)}

LOADER_GAPS = [
    pytest.param({}, {"ruleset": 0}, id="ruleset-not-a-table"),
    pytest.param({"groups": "EU"}, None, id="groups-not-a-table"),
    pytest.param({"facts": [1]}, None, id="facts-not-a-table"),
    pytest.param({"facts": {"f": {"type": []}}}, None, id="fact-type-a-list"),
    pytest.param({"mfn_table": ["mfn.csv"]}, None, id="mfn-table-not-text"),
    pytest.param({}, {"suspension": [1]}, id="suspension-not-a-table"),
    pytest.param({}, {"suspension": [{**_SUSPENSION, "version": [1]}]}, id="suspension-version-not-a-table"),
]


@pytest.mark.parametrize("ruleset_extra, top", LOADER_GAPS)
def test_wrong_types_in_rule_files_raise_rule_file_error(tmp_path, ruleset_extra, top):
    """Found by test_broken_rule_files_raise_rule_file_error_or_load: these escaped as TypeError/AttributeError."""
    path = _rules(tmp_path, ruleset_extra, top)
    with pytest.raises(tariffrules.RuleFileError):
        tariffrules.load(path)


def test_the_suspension_named_does_not_depend_on_the_order_of_suspensions(tmp_path):
    """Shrunk by test_synthetic_rule_sets_keep_every_invariant."""
    doc = {"ruleset": {"name": "s", "title": "S", "zone": "UTC", "horizon_start": dt.date(2025, 1, 1),
                       "reviewed": dt.date(2025, 12, 31)},
           "program": {"id": "s.p", "title": "P", "authority": "A", "rank": 1},
           "levy": [{"id": "s.p.a", "title": "A", "citation": "c", "rate": "5%", "start": dt.date(2025, 1, 1),
                     "goods": ["*"], "origins": ["*"]}],
           "suspension": [{"id": f"s.p.{name}", "title": name, "citation": "c", "levies": ["s.p.a"],
                           "start": dt.date(2025, 1, 1)} for name in ("one", "two")]}
    (tmp_path / "rules.toml").write_text(dumps(doc))
    rules = tariffrules.load(tmp_path / "rules.toml")
    reordered = attrs.evolve(rules, suspensions=rules.suspensions[::-1])
    named = [r.resolve("01012100", "FR", "2025-05-01").skipped[0].by for r in (rules, reordered)]
    assert named[0] == named[1]

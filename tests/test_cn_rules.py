"""The built-in rule set of China's 2025 additional tariffs on US goods: loads, is cited, documented, and strict."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules
from tariffrules.builtin import default_name
from tariffrules.coverage import coverage_markdown
from tariffrules.errors import CoverageGapError, StaleRulesError

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = {"countermeasures_2018_2019": False}


@pytest.fixture(scope="module")
def cn():
    return tariffrules.builtin("cn")


def test_bundled_and_named(cn):
    assert "cn" in tariffrules.builtin()
    assert cn.info.name == "cn" and cn.info.zone_name == "Asia/Shanghai"
    assert cn.info.code_lengths == (8,)


def test_every_version_is_cited_and_headingless(cn):
    for levy in cn.levies:
        for v in levy.versions:
            assert v.citation.strip(), levy.id
            assert v.heading is None, levy.id
    for s in cn.suspensions:
        assert all(v.citation.strip() for v in s.versions), s.id


def test_soybeans_on_may_20_name_the_suspension(cn):
    r = cn.resolve("1201.90.11", "US", "2025-05-20", **OUTSIDE)
    assert r.rate == Decimal(20)
    skipped = {s.id: s for s in r.skipped}
    assert skipped["cn.ann2025_4.rate_24"].reason == "suspended"
    assert skipped["cn.ann2025_4.rate_24"].by == "cn.ann2025_4.pause_24"
    assert "cn.ann2025_4.pause_24" in r.explain()


def test_the_command_line_explains_the_soybean_answer():
    done = subprocess.run([sys.executable, "-m", "tariffrules", "resolve", "1201.90.11", "US", "2025-05-20",
                           "--rules", "cn", "--no-countermeasures-2018-2019", "--explain"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Total additional rate: 20%" in done.stdout
    assert "cn.ann2025_4.pause_24" in done.stdout and "suspended" in done.stdout


def test_the_command_line_refuses_without_the_statement_on_2018_2019():
    done = subprocess.run([sys.executable, "-m", "tariffrules", "resolve", "1201.90.11", "US", "2025-05-20",
                           "--rules", "cn"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert "cn.countermeasures_2018_2019.listed" in done.stderr
    assert "--no-countermeasures-2018-2019" in done.stderr


def test_every_us_query_needs_the_statement(cn):
    with pytest.raises(CoverageGapError):
        cn.resolve("9018.12.10", "US", "2025-02-01")


def test_horizon(cn):
    cn.resolve("9018.12.10", "US", cn.info.reviewed.isoformat(), **OUTSIDE)
    with pytest.raises(StaleRulesError):
        cn.resolve("9018.12.10", "US", "2025-11-11", **OUTSIDE)


def test_coverage_page_matches_the_data(cn):
    page = ROOT / "docs" / "cn-coverage.md"
    assert page.read_text() == coverage_markdown(cn), (
        "docs/cn-coverage.md is stale: run `python -m tariffrules.coverage cn > docs/cn-coverage.md`")


def test_the_code_names_no_country_of_this_set():
    """The engine is generic: the set's name, country, zone and authority appear only in its data, tests and docs.

    (The code's examples use the origin code CN for the US set, as they use JP or MX: not this set.)
    """
    done = subprocess.run(["git", "grep", "-n", "-I", "-E",
                           r"\b([Cc]hin(a|ese)|CHIN(A|ESE)|PRC)\b|\"cn\"|'cn'|Asia/Shanghai|[Tt]ariff [Cc]ommission",
                           "--", "tariffrules/*.py", "tariffrules/testing"],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode == 128:
        pytest.skip("not a git checkout")
    assert done.stdout == "", done.stdout


def test_the_engine_invariants_hold_on_this_set(cn):
    from tariffrules.testing import check_rule_set

    check_rule_set(cn, max_examples=100)


def _group_prefixes(name):
    lines = (ROOT / "tariffrules" / "data" / "cn" / "lists" / name).read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


@pytest.mark.parametrize("name,when", [("ann2025_1_annex2_groups.txt", "2025-06-01"),
                                       ("ann2025_2_annex2_groups.txt", "2025-06-01")])
def test_no_line_of_a_partly_encoded_annex_group_is_answered_without_the_statement(cn, name, when):
    """A line of the groups an annex names, not encoded, raises without annex_listed; with it, it is answered."""
    for prefix in _group_prefixes(name):
        code = (prefix + "99999999")[:8]
        with pytest.raises(CoverageGapError, match="annex_listed"):
            cn.resolve(code, "US", when, **OUTSIDE)
        listed = cn.resolve(code, "US", when, annex_listed=True, **OUTSIDE)
        unlisted = cn.resolve(code, "US", when, annex_listed=False, **OUTSIDE)
        assert listed.rate == unlisted.rate + 10, code


def test_the_command_line_names_the_statement_for_a_large_car():
    done = subprocess.run([sys.executable, "-m", "tariffrules", "resolve", "87032421", "US", "2025-06-01",
                           "--rules", "cn", "--no-countermeasures-2018-2019"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1, done.stdout
    assert "cn.ann2025_1.unencoded" in done.stderr and "--annex-listed" in done.stderr
    done = subprocess.run([sys.executable, "-m", "tariffrules", "resolve", "87032421", "US", "2025-06-01",
                           "--rules", "cn", "--no-countermeasures-2018-2019", "--annex-listed"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Total additional rate: 20%" in done.stdout


def test_the_hour_before_no_10_shows_why_the_24_applies(cn):
    """12:01-13:01 Nov. 10, 2025: the 24% applies as written, the answer says why and does not call it suspended."""
    r = cn.resolve("9018.12.10", "US", "2025-11-10T12:30:00+08:00", **OUTSIDE)
    assert r.rate == Decimal(34)
    applied = {levy.id: levy for levy in r.levies}["cn.ann2025_4.rate_24"]
    assert "suspended)" not in applied.citation and "24% suspended" not in applied.citation
    assert "note: " in r.explain() and "12:01 on Nov. 10, 2025" in r.explain()


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "tariffrules", *args], capture_output=True, text=True, cwd=ROOT)


def test_help_lists_the_facts_of_the_chosen_rule_set():
    done = _cli("resolve", "--rules", "cn", "--help")
    assert done.returncode == 0, done.stderr
    assert "facts of rule set 'cn'" in done.stdout
    assert "--annex-listed / --no-annex-listed" in done.stdout
    assert "--no-usmca" not in done.stdout and "bundled US set" not in done.stdout
    default = _cli("timeline", "--help")
    assert f"facts of rule set {default_name()!r}" in default.stdout
    assert "--annex-listed" not in default.stdout


def test_validate_takes_a_bundled_name():
    done = _cli("validate", "cn")
    assert done.returncode == 0, done.stderr
    assert "valid rule set 'cn'" in done.stdout and "annex_listed (bool)" in done.stdout

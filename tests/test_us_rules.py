"""The built-in US rule set as data: every levy cited, headings well formed, the horizon enforced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tariffrules
from tariffrules.coverage import coverage_markdown
from tariffrules.errors import StaleRulesError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def us():
    return tariffrules.builtin("us")


def test_builtin_lists_and_loads(us):
    assert "us" in tariffrules.builtin()
    assert us.info.name == "us"
    with pytest.raises(tariffrules.UnknownRuleSetError):
        tariffrules.builtin("atlantis")


def test_every_levy_is_cited_with_authority_period_and_heading(us):
    pattern = re.compile(us.info.heading_pattern)
    assert len(us.levies) >= 40
    for levy in us.levies:
        for v in levy.versions:
            assert v.citation.strip() and v.authority.strip(), levy.id
            assert v.period.start >= us.info.horizon_start.replace(year=2018), levy.id
            assert v.heading is None or pattern.match(v.heading), (levy.id, v.heading)
            assert v.known is not None


def test_every_levy_reports_a_heading(us):
    # A levy whose heading was not found says so in its partial note; none may silently lack one.
    missing = sorted({levy.id for levy in us.levies for v in levy.versions
                      if not v.heading and "heading" not in (v.partial or "").lower()})
    assert not missing, f"levies without a chapter 99 heading (and no partial note saying why): {missing}"


def test_no_two_visible_versions_overlap(us):
    from tariffrules.model import visible_versions

    for levy in us.levies:
        for as_of in sorted({v.known for v in levy.versions}) + [None]:
            seen = sorted(visible_versions(levy.versions, as_of), key=lambda v: v.period.start)
            for a, b in zip(seen, seen[1:]):
                assert not a.period.overlaps(b.period), (levy.id, a.label, b.label)


def test_country_codes_are_iso(us):
    from tariffrules.geo import iso_countries

    codes = iso_countries()
    for levy in us.levies:
        for v in levy.versions:
            assert v.origins.members <= codes and v.origins.excluded <= codes, levy.id


def test_horizon(us):
    last = us.info.reviewed
    us.resolve("8525.89.30", "JP", last.isoformat())
    with pytest.raises(StaleRulesError) as info:
        us.resolve("8525.89.30", "JP", "2026-11-25")
    assert "allow_stale=True" in str(info.value)
    assert us.resolve("8525.89.30", "JP", "2026-11-25", allow_stale=True) is not None


def test_coverage_page_matches_the_data(us):
    page = ROOT / "docs" / "us-coverage.md"
    assert page.read_text() == coverage_markdown(us), (
        "docs/us-coverage.md is stale: run `python -m tariffrules.coverage us > docs/us-coverage.md`")

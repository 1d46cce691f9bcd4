"""The entry-line headings page (docs/entry-lines-headings.md) is current, and every heading is reported or explained."""

from __future__ import annotations

from pathlib import Path

import pytest

import tariffrules
from tariffrules.builtin import builtin_path
from tariffrules.headings_report import heading_rows, headings_markdown, read_catalogue

PAGE = Path(__file__).resolve().parent.parent / "docs" / "entry-lines-headings.md"


@pytest.fixture(scope="module")
def us():
    return tariffrules.builtin("us"), builtin_path("us")


def test_page_is_current(us):
    rules, folder = us
    assert PAGE.read_text(encoding="utf-8") == headings_markdown(rules, folder), (
        "docs/entry-lines-headings.md is stale: python -m tariffrules.headings_report us > docs/entry-lines-headings.md")


def test_every_heading_is_reported_or_explained(us):
    rules, folder = us
    rows = list(heading_rows(rules, read_catalogue(folder)))
    unexplained = [row.heading for row in rows if not row.reported and not row.not_modelled]
    assert not unexplained, f"headings neither reported nor explained in chapter99_headings.csv: {unexplained}"


def test_catalogue_gives_no_reason_for_a_reported_heading(us):
    rules, folder = us
    reported = {row.heading for row in heading_rows(rules, read_catalogue(folder)) if row.reported}
    stale = [entry.heading for entry in read_catalogue(folder) if entry.heading in reported and entry.not_modelled]
    assert not stale, f"chapter99_headings.csv explains why these are not modelled, but the rules report them: {stale}"


@pytest.mark.parametrize("heading", ["9903.01.33", "9903.81.92", "9903.85.09", "9903.94.02", "9903.94.04", "9903.74.07",
                                     "9903.74.11", "9903.85.71", "9903.85.72"])
def test_issue_11_headings_are_reported(us, heading):
    """Headings issue 11 lists as missing, fixed in the data (chapter 99 notes 2(v), 16, 19, 33, 38)."""
    rules, folder = us
    rows = {row.heading: row for row in heading_rows(rules, read_catalogue(folder))}
    assert rows[heading].reported


@pytest.mark.parametrize("heading", ["9903.01.35", "9903.01.39", "9903.85.69", "9903.85.70"])
def test_headings_not_modelled_say_why(us, heading):
    rules, folder = us
    rows = {row.heading: row for row in heading_rows(rules, read_catalogue(folder))}
    assert not rows[heading].reported and rows[heading].not_modelled

"""Shared fixtures: the toy rule set and a helper to write rule sets into temporary folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import tariffrules

HERE = Path(__file__).parent
TOY = HERE / "rules" / "toy"


@pytest.fixture(scope="session")
def toy() -> tariffrules.RuleSet:
    return tariffrules.load(TOY)


@pytest.fixture
def toy_copy(tmp_path: Path) -> Path:
    """A writable copy of the toy rule set, for tests that break one file."""
    target = tmp_path / "toy"
    shutil.copytree(TOY, target)
    return target


TIMELINE = HERE / "rules" / "timeline"


@pytest.fixture(scope="session")
def timeline_rules() -> tariffrules.RuleSet:
    """A small rule set with a retroactive levy, an end-only amendment and a suspension."""
    return tariffrules.load(TIMELINE)


@pytest.fixture(scope="session")
def us() -> tariffrules.RuleSet:
    return tariffrules.builtin("us")


# Hypothesis profiles for the property tests (tests/properties): fast by default,
# TARIFFRULES_PROFILE=thorough for 10,000 examples per property.
from tariffrules.testing import load_profile as _load_hypothesis_profile  # noqa: E402

_load_hypothesis_profile()

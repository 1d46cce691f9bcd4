"""Worked cases from published sources, kept as data under tests/cases/<rule set>/.

Each case states the expected chapter 99 headings and total rate, derived by
hand from the cited source; see tests/cases/README.md for the format.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "source", "hts", "origin", "when", "facts", "as_of", "headings", "levies", "rate", "note",
             "allow_stale", "error", "lines", "general_duty"}
#: at least this many worked cases per bundled rule set
MINIMUM_CASES = {"us": 80, "cn": 30}


def _collect():
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        for file in sorted(folder.glob("*.toml")):
            with file.open("rb") as handle:
                data = tomllib.load(handle)
            for index, case in enumerate(data.get("case", [])):
                yield pytest.param(folder.name, file.name, case,
                                   id=f"{folder.name}/{file.stem}/{index}-{case.get('name', '')[:60]}")


@pytest.fixture(scope="module")
def rule_sets():
    return {}


@pytest.mark.parametrize("rule_set,file,case", list(_collect()))
def test_worked_case(rule_set, file, case, rule_sets):
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"{file}: unknown case keys {unknown}"
    assert case.get("source"), f"{file}: case {case.get('name')!r} cites no source"
    if rule_set not in rule_sets:
        rule_sets[rule_set] = tariffrules.builtin(rule_set)
    rules = rule_sets[rule_set]
    facts = dict(case.get("facts", {}))
    if "content" in facts:
        facts["content"] = {k: str(v) for k, v in facts["content"].items()}
    for key in ("value", "mfn"):
        if key in facts:
            facts[key] = str(facts[key])
    def resolve():
        return rules.resolve(case["hts"], case["origin"], case["when"], as_of=case.get("as_of"),
                             allow_stale=case.get("allow_stale", False), **facts)

    if "error" in case:  # the case must fail loudly with this error class
        with pytest.raises(getattr(tariffrules, case["error"])):
            resolve()
        return
    resolution = resolve()
    explanation = resolution.explain()
    assert list(resolution.headings) == case["headings"], explanation
    if "levies" in case:  # a rule set without headings names the applied levies
        assert [levy.id for levy in resolution.levies] == case["levies"], explanation
    assert resolution.rate == Decimal(str(case["rate"])), explanation
    if "general_duty" in case:  # the general (column 1, column 2 or special) duty in money, on the query's value
        assert resolution.general_duty() == Decimal(str(case["general_duty"])), explanation
    if "lines" in case:  # the entry summary lines in filing order: each line's chapter 99 headings (and value)
        got = [{"headings": [levy.heading for levy in line.levies if levy.heading],
                **({"value": line.value} if line.value is not None else {})} for line in resolution.lines]
        want = [{"headings": line["headings"], **({"value": Decimal(str(line["value"]))} if "value" in line else {})}
                for line in case["lines"]]
        assert [{k: g[k] for k in w} for g, w in zip(got, want)] == want and len(got) == len(want), \
            f"lines {got}\n{explanation}"


@pytest.mark.parametrize("rule_set,minimum", sorted(MINIMUM_CASES.items()))
def test_there_are_enough_cases(rule_set, minimum):
    cases = [c for c in _collect() if c.values[0] == rule_set]
    assert len(cases) >= minimum, f"only {len(cases)} worked cases for {rule_set!r}"

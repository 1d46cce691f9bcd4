"""Generated rule files, valid and broken: the loader loads them or raises RuleFileError, nothing else, quickly.

Shapes this found escaping as ``TypeError``/``AttributeError`` (now fixed)
are pinned in ``test_prop_known_bugs.py``.
"""

from __future__ import annotations

import datetime as dt
import time

from hypothesis import given, strategies as st

import tariffrules
from tariffrules.testing import rule_set_specs
from tariffrules.testing.corrupt import corrupted_specs
from tariffrules.testing.toml_text import dumps

#: a load of these small files (even with a 20,000-item list) takes well under a second
SECONDS = 10.0


def _load(root) -> tuple[object, float]:
    started = time.perf_counter()
    try:
        outcome = tariffrules.load(root)
    except tariffrules.RuleFileError as error:
        outcome = error
    return outcome, time.perf_counter() - started


@given(spec=rule_set_specs())
def test_generated_rule_sets_load(spec, tmp_path_factory):
    rules, seconds = _load(spec.write(tmp_path_factory.mktemp("valid")))
    assert isinstance(rules, tariffrules.RuleSet), f"a valid generated rule set was refused: {rules}"
    assert seconds < SECONDS
    assert sorted(levy.id for levy in rules.levies) == sorted(
        levy["id"] for _, doc in spec.files for levy in doc.get("levy", []))


@given(broken=corrupted_specs())
def test_broken_rule_files_raise_rule_file_error_or_load(broken, tmp_path_factory):
    outcome, seconds = _load(broken.write(tmp_path_factory.mktemp("broken")))
    assert isinstance(outcome, (tariffrules.RuleSet, tariffrules.RuleFileError)), broken.what
    assert seconds < SECONDS, f"{broken.what}: loading took {seconds:.1f} s"
    if isinstance(outcome, tariffrules.RuleFileError):
        assert outcome.file, f"{broken.what}: the error names no file: {outcome}"


@given(broken=corrupted_specs())
def test_damage_the_format_forbids_is_refused(broken, tmp_path_factory):
    """References to no levy, ends not after starts, malformed dates and unknown keys never load.

    (A generated "cycle" may be harmless: a levy naming itself, or two levies never in force together.)
    """
    if broken.kind not in ("unknown_ref", "backwards", "unknown_key", "bad_date"):
        return
    if broken.kind == "unknown_key" and not broken.path:
        return
    outcome, _ = _load(broken.write(tmp_path_factory.mktemp("refused")))
    if broken.kind == "unknown_key" and isinstance(broken.path[-1], int):
        return  # the chosen spot was a list item: nothing was added
    assert isinstance(outcome, tariffrules.RuleFileError), f"{broken.what} was accepted"


@given(first=st.sampled_from(["excludes", "replaces"]), second=st.sampled_from(["excludes", "replaces"]),
       others=st.integers(0, 3), shift=st.integers(0, 40))
def test_relation_cycles_between_levies_in_force_together_are_refused(first, second, others, shift, tmp_path_factory):
    """Levy a relates to b and b to a while both are in force: a cycle, refused at load with the field named."""
    start = dt.date(2025, 3, 1)
    levies = [{"id": "c.p.a", "title": "A", "citation": "c", "rate": "5%", "start": start, "goods": ["*"],
               "origins": ["*"], first: ["c.p.b"]},
              {"id": "c.p.b", "title": "B", "citation": "c", "rate": "5%", "start": start + dt.timedelta(days=shift),
               "goods": ["*"], "origins": ["*"], second: ["c.p.a"]}]
    levies += [{"id": f"c.p.x{n}", "title": "X", "citation": "c", "rate": "1%", "start": start, "goods": ["87"],
                "origins": ["*"], "excludes": ["c.p.a"]} for n in range(others)]
    doc = {"ruleset": {"name": "c", "title": "Cycle", "zone": "UTC", "horizon_start": dt.date(2025, 1, 1),
                       "reviewed": dt.date(2025, 12, 31)},
           "program": {"id": "c.p", "title": "P", "authority": "A", "rank": 1}, "levy": levies}
    root = tmp_path_factory.mktemp("cycle")
    (root / "rules.toml").write_text(dumps(doc))
    outcome, _ = _load(root)
    assert isinstance(outcome, tariffrules.RuleFileError) and outcome.field in (first, second), outcome
    assert "cycle" in str(outcome)

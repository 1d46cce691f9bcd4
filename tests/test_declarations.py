"""The declaration check: one heading of each declaration group in force per entry line (CSMS #64649265).

The toy rule set (tests/rules/toy) puts the reciprocal levies and their 0% exemption lines in group
"recip"; the border and sectoral programmes state `declaration = false`. Breaking the toy by taking an
exemption line away (or letting two apply) must be caught.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal as D

import attrs

import tariffrules

from tariffrules.cli import main
from tariffrules.declarations import sample_queries, violations

from test_cli import EXIT_BAD_INPUT, EXIT_OK, TOY


def without(rules, levy_id):
    return attrs.evolve(rules, levies=tuple(levy for levy in rules.levies if levy.id != levy_id))


def test_the_toy_lines_each_carry_one_reciprocal_heading(toy):
    for args, facts in [(("7308.10.00", "DE", "2025-04-20"), {"loaded": dt.date(2025, 4, 1), "value": D(1000),
                                                              "content": {"steel": D(300), "us": D(300)}}),
                        (("8703.23.01", "JP", "2025-10-01"), {}),
                        (("2709.00.10", "DE", "2025-05-01"), {}),
                        (("8525.89.30", "CN", "2026-03-01"), {})]:
        r = toy.resolve(*args, **facts)
        assert violations(toy, r) == ()


def test_a_missing_exemption_line_is_a_violation(toy):
    # without the in-transit line, goods in transit carry no reciprocal heading: the baseline is exempt
    broken = without(toy, "toy.exempt.in_transit")
    r = broken.resolve("8525.89.30", "DE", "2025-04-20", loaded=dt.date(2025, 4, 1))
    found = violations(broken, r)
    # (the US content line's base, the US content, is part of the only line: it is required there too)
    assert [(v.line, v.group, v.required_by, v.carried) for v in found] == [
        (1, "recip", ("toy.exempt.us_content", "toy.recip.baseline"), ())]
    assert "needs exactly one heading; the line carries none" in found[0].describe()


def test_two_headings_of_one_group_on_a_line_are_a_violation(toy):
    # if the 9903.01.33 line did not take the steel content from the in-transit line, both would be on it
    exempt = toy.get("toy.exempt.sector")
    loose = attrs.evolve(exempt, versions=tuple(attrs.evolve(v, excludes=frozenset()) for v in exempt.versions))
    broken = attrs.evolve(toy, levies=tuple(loose if levy.id == exempt.id else levy for levy in toy.levies))
    r = broken.resolve("7308.10.00", "DE", "2025-04-20", loaded=dt.date(2025, 4, 1), value=D(1000),
                       content={"steel": D(300)})
    found = violations(broken, r)
    assert [(v.line, v.slice, v.carried) for v in found] == [(2, "steel content", ("9903.01.28", "9903.01.33"))]


def test_a_programme_marked_false_needs_no_declaration(toy):
    # toy.border.ca does not apply to a good claiming the preference, and no line says why: border is false
    r = toy.resolve("8525.89.30", "CA", "2025-05-01", usmca=True)
    assert r.levies == () and violations(toy, r) == ()


def test_validate_finds_violations_on_sampled_queries(toy):
    assert toy.validate(500) == ()
    found = without(toy, "toy.exempt.autos").validate(500)
    assert found and all(v.group == "recip" and v.query.code.startswith("8703") for v in found)


def test_sampled_queries_are_the_same_every_time(toy):
    first = [(q.code, q.origin, q.entered, q.value) for q in sample_queries(toy, 50)]
    assert first == [(q.code, q.origin, q.entered, q.value) for q in sample_queries(toy, 50)]
    assert first != [(q.code, q.origin, q.entered, q.value) for q in sample_queries(toy, 50, seed=1)]
    assert len({q.code for q in sample_queries(toy, 300)}) > 3


def test_validate_command_reports_violations_and_exits_1(capsys, tmp_path):
    target = tmp_path / "toy"
    shutil.copytree(TOY, target)
    text = (target / "exemptions.toml").read_text()
    start = text.index("# Passenger vehicles")
    end = text.index("# Steel of chapter 72")
    (target / "exemptions.toml").write_text(text[:start] + text[end:].replace(
        ', "toy.exempt.autos"', ""))
    code = main(["validate", str(target), "--samples", "500"])
    out, err = capsys.readouterr()
    assert code == EXIT_BAD_INPUT
    assert "break the declaration rule" in err and "8703" in err and "declaration group 'recip'" in err
    assert main(["validate", str(target), "--samples", "0"]) == EXIT_OK


def test_a_value_of_zero_is_one_line_worth_zero_needing_no_heading(toy):
    # found by the property test: with value 0 the baseline has nothing left (excluded), the steel levies
    # apply to a steel content the query does not give; content is part of the value, so every slice is 0
    # (issue 12: the steel levies, on no line, are not applied either, so the one line is the full value)
    r = toy.resolve("73080000", "CN", dt.date(2025, 4, 5), value=0)
    assert [(line.describe(), line.value, line.headings) for line in r.lines] == [
        ("full value", D(0), ())]
    assert r.headings == () and "zero_base" in {s.reason for s in r.skipped if s.id.startswith("toy.sector.steel")}
    assert violations(toy, r) == ()


def test_a_group_levy_without_a_heading_is_the_lines_declaration(us):
    # goods entered under a chapter 98 provision report the chapter 98 number, no chapter 99 exception
    # heading (CSMS #64649265 "CHAPTER 98"): the data's 0% levy without heading stands for it
    r = us.resolve("0102.29.40.38", "AE", "2025-04-05", chapter98="excepted")
    assert [levy.heading for levy in r.levies] == [None]
    assert violations(us, r) == ()


def test_sampled_queries_are_loaded_before_they_are_entered(toy):
    queries = list(sample_queries(toy, 300))
    assert any(q.loaded is not None for q in queries)
    assert all(q.loaded is None or q.loaded <= q.entered for q in queries)


def test_sampled_queries_of_a_rule_set_with_a_code_table_are_lines_of_it():
    # a padded prefix (73029000) is often no line of the schedule: the sampler takes a real line under it
    # and never lets the reader's refusal escape (it used to stop `tariffrules validate` on the US set)
    from tariffrules.declarations import sample_queries

    us = tariffrules.builtin("us")
    queries = list(sample_queries(us, 300, 0))
    assert len(queries) >= 250
    codes = us.info.schedule.codes
    assert all(q.code.replace(".", "") in codes for q in queries)


def test_a_version_not_requiring_its_group_still_declares_it(toy):
    # the baseline marked declaration_required = false no longer makes "recip" required: with the in-transit line
    # gone, the goods in transit need no reciprocal heading; where the baseline applies, it still declares the line
    broken = without(toy, "toy.exempt.in_transit")
    exempt_line = broken.get("toy.exempt.us_content")
    baseline = broken.get("toy.recip.baseline")
    relaxed = {levy.id: attrs.evolve(levy, versions=tuple(attrs.evolve(v, declaration_required=False)
                                                          for v in levy.versions))
               for levy in (baseline, exempt_line)}
    rules = attrs.evolve(broken, levies=tuple(relaxed.get(levy.id, levy) for levy in broken.levies))
    r = rules.resolve("8525.89.30", "DE", "2025-04-20", loaded=dt.date(2025, 4, 1))
    assert violations(rules, r) == ()
    applied = rules.resolve("8525.89.30", "DE", "2025-04-20")
    assert [levy.id for levy in applied.levies if levy.id == "toy.recip.baseline"] and violations(rules, applied) == ()


def test_loader_reads_a_version_group_and_declaration_required(tmp_path):
    shutil.copytree(TOY, tmp_path / "toy")
    path = next(p for p in (tmp_path / "toy").glob("*.toml") if 'id = "toy.exempt.in_transit"' in p.read_text())
    text = path.read_text()
    marked = text.replace('id = "toy.exempt.in_transit"\n',
                          'id = "toy.exempt.in_transit"\ndeclaration = "other"\ndeclaration_required = false\n', 1)
    path.write_text(marked)
    rules = tariffrules.load(tmp_path / "toy")
    version = rules.get("toy.exempt.in_transit").versions[0]
    assert (version.declaration, version.declaration_required) == ("other", False)
    path.write_text(text.replace('id = "toy.exempt.in_transit"\n',
                                 'id = "toy.exempt.in_transit"\ndeclaration_required = "no"\n', 1))
    try:
        tariffrules.load(tmp_path / "toy")
    except tariffrules.RuleFileError as error:
        assert "declaration_required" in str(error) and "true or false" in str(error)
    else:
        raise AssertionError("a declaration_required that is not true or false must be refused")


def test_a_donation_under_9802_carries_one_reciprocal_heading_per_line():
    # found by the US invariant test: a 1702(b) donation (9903.01.30) entered under 9802.00.60 with some US content
    # carried 9903.01.30 and 9903.01.34 on the US-content line; the donation takes the place of every reciprocal
    # exemption line but the chapter 98 one (note 2(v)(ii); CSMS #64649265)
    import tariffrules
    from tariffrules.declarations import violations
    us = tariffrules.builtin("us")
    for chapter98 in ("9802.00.40", "9802.00.60", "9802.00.80"):
        r = us.resolve("0101.21.00", "AE", "2025-04-05", value="1000", chapter98=chapter98, ieepa_1702b="donation",
                       content={"ch98_nondutiable": "999.99", "us": "0.01", "steel": "0", "aluminum": "0",
                                "copper": "0"})
        assert violations(us, r) == ()
        assert "9903.01.34" not in r.headings

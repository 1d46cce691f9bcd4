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
from tariffrules.errors import (AmbiguousCodeError, InvalidFactError, InvalidInstantError, MissingFactError, QueryError,
                                RuleFileError, UnknownCodeError, shown)

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
    assert caught.value.argument == "part_of" and shown(value) in text and "one of passenger, mhdv" in text
    assert "what vehicle the part is for" in text  # the fact's label, not only its name


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
    with pytest.raises(InvalidFactError, match="one of steel") as caught:
        mini.resolve("8703230100", "JP", "2025-05-01", value="100", content={kind: "10"}, certified=False)
    assert caught.value.argument == f"content[{kind}]"


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
    with pytest.raises(RuleFileError, match='"MHDV" is not a value of choice fact "part_of"'):
        tariffrules.load(write_rules(tmp_path, FACTS, 'when = [ { fact = "part_of", is = "MHDV" } ]\n'))


def test_us_enumerated_facts_are_choices():
    us = tariffrules.builtin("us")
    specs = {f.name: f for f in us.info.facts}
    assert specs["vehicle_part_of"].choices == ("passenger", "mhdv")
    with pytest.raises(InvalidFactError, match="one of passenger, mhdv"):
        us.resolve("8703.23.01.90", "JP", "2025-06-01", vehicle_part_of="MHDV")
    assert Decimal(100) == specs["metal_us_share"].maximum


# -- codes ----------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["9999.99.99", "9903.01.25", "9903.94.01.00"])
def test_chapter_99_is_not_a_good(code):
    with pytest.raises(UnknownCodeError, match="not a good's code") as caught:
        tariffrules.builtin("us").resolve(code, "JP", "2025-05-01")
    assert caught.value.argument == "hts"


@pytest.mark.parametrize("code,when", [("0000.00.00", "2025-05-01"), ("8703.23.99", "2026-03-01"),
                                       ("8701.21.00.00", "2025-11-01")])
def test_a_code_that_is_no_line_of_the_schedule_names_code_and_date(code, when):
    with pytest.raises(UnknownCodeError) as caught:
        tariffrules.builtin("us").resolve(code, "JP", when)
    text = str(caught.value)
    assert code in text and when in text and "HTSUS" in text


def test_a_line_dropped_at_a_dated_revision_is_refused_from_that_day():
    # 9401.99.30.30 is a line of HTSUS 2025 Revision 16 only (established 2025-06-06, gone in Revision 17 of
    # 2025-07-01: the Budget Lab concordance, checked against the USITC snapshots)
    us = tariffrules.builtin("us")
    assert us.resolve("9401.99.30.30", "JP", "2025-06-30").headings
    for when in ("2025-06-05", "2025-07-01"):
        with pytest.raises(UnknownCodeError, match=when):
            us.resolve("9401.99.30.30", "JP", when)


def test_between_two_snapshots_a_line_of_either_is_taken_but_not_before_an_exact_revision(tmp_path):
    schedule_toml = ('[ruleset.schedule]\ncodes = "codes.csv"\nrevisions = [ { name = "r1", start = 2025-01-01 }, '
                     '{ name = "r2", start = 2025-06-01 }, { name = "r3", start = 2025-09-01, exact = true } ]\n')
    folder = write_rules(tmp_path, schedule_toml, levy_extra="", more="")
    (folder / "codes.csv").write_text("code,in\n01012100,7\n01012900,1\n01013000,2\n01019000,4\n")
    rules = tariffrules.load(folder)
    assert rules.resolve("0101.30.00", "JP", "2025-05-01").headings == ("9903.00.01",)  # r2 is a snapshot
    with pytest.raises(UnknownCodeError, match="r1 and r2"):
        rules.resolve("0101.90.00", "JP", "2025-05-01")  # r3 only, two revisions on
    with pytest.raises(UnknownCodeError, match="r2"):
        rules.resolve("0101.90.00", "JP", "2025-08-31")  # r3 is exact: not before its start
    assert rules.resolve("0101.90.00", "JP", "2025-09-01").headings == ("9903.00.01",)
    with pytest.raises(UnknownCodeError):
        rules.resolve("0101.29.00", "JP", "2025-06-01")


def test_a_split_eight_digit_code_lists_its_lines_and_how_they_differ():
    # 8482.10.50.44 and .48 are on the general-use auto-parts list (lists/s232_auto_parts_general_use.txt), the
    # other lines of 8482.10.50 are not: declared auto parts, they pay 9903.94.05 and the others do not
    us = tariffrules.builtin("us")
    with pytest.raises(AmbiguousCodeError) as caught:
        us.resolve("8482.10.50", "JP", "2025-08-20", auto_part=True)
    text = str(caught.value)
    assert "8482.10.50.44" in text and "8482.10.50.04" in text and "us.s232.autos.general_use.parts" in text
    assert "9903.94.05" in text and "9903.02.73" in text
    assert us.resolve("8482.10.50.04", "JP", "2025-08-20", auto_part=True).headings  # the 10-digit lines answer
    assert us.resolve("8482.10.50.44", "JP", "2025-08-20", auto_part=True).headings


def test_a_split_code_answers_where_its_lines_agree_for_this_query():
    us = tariffrules.builtin("us")
    # before the auto-parts duty the lines agree: the 8-digit code answers like each of them
    assert us.resolve("8482.10.50", "JP", "2025-04-01").headings == us.resolve("8482.10.50.04", "JP",
                                                                               "2025-04-01").headings
    # not declared an auto part, the general-use lines (.44, .48) carry 9903.94.06 at 0% (note 33(h)(ii); issue
    # 12, h12-rest) and the others no autos heading: the lines no longer agree, so the 8-digit code is refused
    with pytest.raises(AmbiguousCodeError) as caught:
        us.resolve("8482.10.50", "JP", "2025-08-20")
    assert "9903.94.06" in str(caught.value) and "8482.10.50.44" in str(caught.value)
    # declared not auto parts, the lines still differ the same way; the 10-digit lines answer
    assert us.resolve("8482.10.50.44", "JP", "2025-08-20").headings == ("9903.02.73", "9903.94.06")


def test_a_split_code_is_checked_at_every_instant_of_a_timeline():
    us = tariffrules.builtin("us")
    with pytest.raises(AmbiguousCodeError):
        us.timeline("8482.10.50", "JP", "2025-04-01", "2025-09-01", auto_part=True)


def test_a_list_naming_every_line_of_a_code_covers_the_code(tmp_path):
    folder = write_rules(tmp_path, '[ruleset.schedule]\ncodes = "codes.csv"\n'
                                   'revisions = [ { name = "r1", start = 2025-01-01 } ]\n',
                         levy_extra="", more="")
    text = (folder / "duty.toml").read_text().replace('goods = ["*"]', 'goods = ["0101210010", "0101210020"]')
    (folder / "duty.toml").write_text(text)
    (folder / "codes.csv").write_text("code,in\n01012100,1\n0101210010,1\n0101210020,1\n01012900,1\n")
    rules = tariffrules.load(folder)
    assert rules.resolve("0101.21.00", "JP", "2025-05-01").headings == ("9903.00.01",)
    assert rules.resolve("0101.29.00", "JP", "2025-05-01").headings == ()
    with pytest.raises(UnknownCodeError):
        rules.resolve("0101.21.00.30", "JP", "2025-05-01")


# -- crashes ----------------------------------------------------------------------------
@pytest.mark.parametrize("when", ["9999-12-31", dt.date(9999, 12, 31), "0001-01-01"])
def test_the_ends_of_the_calendar_are_invalid_instants(mini, when):
    with pytest.raises(InvalidInstantError, match="outside the years"):
        mini.resolve("8703230100", "JP", when, allow_stale=True, certified=False)


@pytest.mark.parametrize("path", [None, 5, "", b"x"])
def test_load_needs_a_path(path):
    with pytest.raises(RuleFileError, match="needs the path"):
        tariffrules.load(path)


@pytest.mark.parametrize("lines", [5, None, "8703.23.01"])
def test_revisions_and_resolve_many_need_an_iterable_of_lines(mini, lines):
    for method in (mini.revisions, mini.resolve_many):
        with pytest.raises(QueryError, match="not an iterable of lines"):
            list(method(lines))


def test_a_latin1_comment_is_a_rule_file_error_naming_byte_and_line(tmp_path):
    folder = write_rules(tmp_path)
    (folder / "duty.toml").write_bytes(b"# caf\xe9\n" + (folder / "duty.toml").read_bytes())
    with pytest.raises(RuleFileError, match="byte 0xe9 on line 1"):
        tariffrules.load(folder)


@pytest.mark.parametrize("depth", [17, 3000])
def test_deeply_nested_conditions_are_refused(tmp_path, depth):
    cond = '{ fact = "loaded", before = 2025-04-05 }'
    for _ in range(depth):
        cond = "{ all = [" + cond + "] }"
    with pytest.raises(RuleFileError, match="nest"):
        tariffrules.load(write_rules(tmp_path, levy_extra=f"when = [{cond}]\n"))


@pytest.mark.parametrize("rate", ["1e400%", "1e-400%", "100000%", "0.0000001%"])
def test_rates_beyond_exact_arithmetic_are_refused(tmp_path, rate):
    folder = write_rules(tmp_path)
    (folder / "duty.toml").write_text((folder / "duty.toml").read_text().replace('"10%"', f'"{rate}"'))
    with pytest.raises(RuleFileError, match="is not a rate"):
        tariffrules.load(folder)


# -- rule files that must not validate ----------------------------------------------------
@pytest.mark.parametrize("field", ["replaces", "excludes"])
def test_a_levy_naming_itself_is_refused(tmp_path, field):
    with pytest.raises(RuleFileError, match="names itself"):
        tariffrules.load(write_rules(tmp_path, levy_extra=f'{field} = ["mini.duty.base"]\n'))


SUSPENSION = """
[[suspension]]
id = "mini.duty.pause"
title = "Pause"
citation = "Test 2"
levies = ["mini.duty.base"]
start = 2025-02-01
"""


def test_a_suspension_id_defined_twice_is_refused(tmp_path):
    with pytest.raises(RuleFileError, match="suspension id defined twice"):
        tariffrules.load(write_rules(tmp_path, more=SUSPENSION + SUSPENSION.replace("2025-02-01", "2025-03-01")))


@pytest.mark.parametrize("rows,problem", [("8703,2.5\n8703,3\n", "listed twice"), ("8703,-1\n", "not a percent")])
def test_a_bad_mfn_table_is_refused(tmp_path, rows, problem):
    folder = write_rules(tmp_path, 'mfn_table = "mfn.csv"\n')
    (folder / "mfn.csv").write_text("code,mfn\n" + rows)
    with pytest.raises(RuleFileError, match=problem):
        tariffrules.load(folder)


def test_reviewed_before_the_horizon_is_refused(tmp_path):
    folder = write_rules(tmp_path)
    text = (folder / "ruleset.toml").read_text().replace("reviewed = 2026-06-30", "reviewed = 2024-12-31")
    (folder / "ruleset.toml").write_text(text)
    with pytest.raises(RuleFileError, match="before horizon_start"):
        tariffrules.load(folder)


# -- batch files ------------------------------------------------------------------------------
def _batch(tmp_path, data: bytes, *argv: str) -> tuple[int, list[dict], str]:
    import contextlib
    import csv
    import io

    from tariffrules.cli import main

    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(data)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["batch", str(source), str(target), *argv])
    if not target.exists():
        return code, [], err.getvalue()
    csv.field_size_limit(1 << 24)
    with open(target, newline="", encoding="utf-8") as f:
        return code, list(csv.DictReader(f)), err.getvalue()


GOOD_ROW = b"8703.23.01.90,JP,2025-05-01,1000\n"


def test_batch_keeps_blank_lines_bad_bytes_long_cells_and_extra_cells_in_place(tmp_path):
    data = (b"hts,origin,when,value\n" + GOOD_ROW + b"\n" + b"8703.23.01.90,J\xe9,2025-05-01,1\n"
            + b"8703.23.01.90,JP,2025-05-01," + b"9" * 200_000 + b"\n" + b"8703.23.01.90,JP,2025-05-01,1,000\n"
            + b"8703.23.01.90,JP,2025-05-01,nan\n" + GOOD_ROW)
    code, rows, err = _batch(tmp_path, data)
    assert code == 0 and len(rows) == 7
    errors = [row["error"] for row in rows]
    assert errors[0] == errors[6] == ""
    assert "line 3" in errors[1] and "blank" in errors[1]
    assert "byte 0xe9" in errors[2] and "line 4" in errors[2]
    assert "characters long" in errors[3]
    assert "has 5 cells" in errors[4] and rows[4]["extra_cells"] == "000"
    assert "value" in errors[5] and "not a number" in errors[5]
    assert "7 row(s) written" in err and "comma-separated" in err


@pytest.mark.parametrize("sep,name", [(b";", "semicolon"), (b"\t", "tab")])
def test_batch_sniffs_the_separator_and_reads_headers_in_any_case(tmp_path, sep, name):
    data = sep.join([b" HTS ", b"Origin", b"WHEN", b"Value"]) + b"\n" + GOOD_ROW.replace(b",", sep)
    code, rows, err = _batch(tmp_path, data)
    # the car carries the reciprocal exception for goods subject to Section 232 (9903.01.33), then the 232
    # autos duty, in the HTSUS sequence of CSMS #64649265 (reciprocal before 232)
    assert code == 0 and rows[0]["headings"] == "9903.01.33 9903.94.01" and rows[0]["duty"] == "250.00"
    assert f"{name}-separated" in err


def test_batch_output_never_overwrites_an_input_column(tmp_path):
    code, rows, _ = _batch(tmp_path, b"hts,origin,when,rate,error\n8703.23.01.90,JP,2025-05-01,mine,also mine\n")
    assert rows[0]["rate"] == "mine" and rows[0]["error"] == "also mine"
    assert rows[0]["tariffrules_rate"] == "25" and rows[0]["tariffrules_error"] == ""


@pytest.mark.parametrize("data,problem", [
    (b"hts,HTS,origin,when\n1,2,3,4\n", 'names column "hts" twice'),
    (b"code,origin,date\n1,2,3\n", "has no column hts, when"),
    (b"", "is empty"),
])
def test_batch_refuses_a_header_it_cannot_read_saying_what_was_expected(tmp_path, data, problem):
    code, rows, err = _batch(tmp_path, data)
    assert code == 1 and problem in err and "expected" in err and "['" not in err


# -- command line -------------------------------------------------------------------------------
@pytest.mark.parametrize("argv,problem", [
    (["--fact", "usmca=no", "--usmca"], "conflicts with --usmca"),
    (["--content", "steel=1", "--content", "steel=2"], "is given twice"),
    (["--fact", "vehicle_part_of=mhdv", "--fact", "vehicle_part_of=passenger"], "is given twice"),
    (["--usmca", "--no-usmca"], "conflict"),
])
def test_conflicting_flags_are_errors(capsys, argv, problem):
    from tariffrules.cli import main

    code = main(["resolve", "8703.23.01.90", "JP", "2025-05-01", *argv])
    assert code in (1, 2) and problem in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--value", "x"], ["--content", "stele=1"], ["--loaded", "2025-06-01"]])
def test_cli_messages_show_no_python_reprs(capsys, argv):
    from tariffrules.cli import main

    assert main(["resolve", "8703.23.01.90", "JP", "2025-05-01", *argv]) == 1
    err = capsys.readouterr().err
    assert "Decimal(" not in err and "datetime." not in err and "{'" not in err


def test_all_skipped_implies_explain(capsys):
    from tariffrules.cli import main

    assert main(["resolve", "8703.23.01.90", "JP", "2025-05-01", "--all-skipped"]) == 0
    assert "Considered and not applied" in capsys.readouterr().out


def test_validate_json_reports_the_problem(capsys, tmp_path):
    import json

    from tariffrules.cli import main

    folder = write_rules(tmp_path, levy_extra='replaces = ["mini.duty.base"]\n')
    assert main(["validate", str(folder), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False and data["field"] == "replaces" and data["item"] == "mini.duty.base"


# -- the catalogue ---------------------------------------------------------------------------------
def test_the_catalogue_of_bad_inputs_has_no_crash_and_no_silent_answer():
    import importlib.util

    spec = importlib.util.spec_from_file_location("robustness_inputs", Path(__file__).with_name("robustness_inputs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counts = module.run_catalogue()
    assert sum(counts.values()) >= 242
    assert counts["crash"] == 0 and counts["silent"] == 0 and counts["unclear"] == 0


def test_a_not_goods_entry_may_name_the_fact_its_numbers_are_claimed_with(tmp_path):
    schedule_toml = ('[ruleset.schedule]\ncodes = "codes.csv"\nrevisions = [ { name = "r1", start = 2025-01-01 } ]\n'
                     'not_goods = [ { prefix = "98", fact = "claim", why = "a special provision beside the code" } ]\n'
                     '[ruleset.facts.claim]\ntype = "choice"\nchoices = ["none", "returned"]\ndefault = "none"\n'
                     'description = "the special provision claimed"\n')
    folder = write_rules(tmp_path, schedule_toml, levy_extra="", more="")
    (folder / "codes.csv").write_text("code,in\n01012100,1\n98010010,1\n")
    rules = tariffrules.load(folder)
    with pytest.raises(UnknownCodeError, match="a special provision beside the code; expected the good's own code in "
                                               r"the schedule, with the provision claimed as the fact claim \(one of "
                                               r"none, returned\)"):
        rules.resolve("9801.00.10", "JP", "2025-05-01")
    assert rules.resolve("0101.21.00", "JP", "2025-05-01", claim="returned").headings == ("9903.00.01",)
    # the fact must be declared (a choice, bool or text fact)
    (folder / "ruleset.toml").write_text((folder / "ruleset.toml").read_text().replace('fact = "claim"',
                                                                                       'fact = "nope"'))
    with pytest.raises(RuleFileError, match="schedule.not_goods.*not a declared choice"):
        tariffrules.load(folder)

"""General capabilities a second jurisdiction needs, on a small made-up rule set.

The rule set below has no chapter 99 headings, 8-digit codes only, a zone
without daylight saving time, measures taking effect at midday, and a
measure it names but does not encode (a ``gap``): a query that reaches the
gap must raise ``CoverageGapError``, never answer without it.
"""

from __future__ import annotations

import datetime as _dt
import subprocess
import sys
from decimal import Decimal

import pytest

import tariffrules
from tariffrules.coverage import coverage_markdown
from tariffrules.errors import CoverageGapError, InvalidCodeError, RuleFileError

RULES = '''
[ruleset]
name = "mini"
title = "A made-up jurisdiction with no chapter 99 headings"
zone = "Asia/Kolkata"
horizon_start = 2025-01-01
reviewed = 2025-12-31
code_lengths = [8]
day_time = "00:00"

[ruleset.facts.old_measures_apply]
type = "bool"
description = "The good is subject to the older measures this rule set does not encode."

[program]
id = "mini.extra"
title = "Additional duties"
authority = "Mini Tariff Act"
rank = 100

[[levy]]
id = "mini.extra.all"
title = "Additional duty on all goods"
citation = "Notice 4"
rate = "10%"
start = 2025-04-10T12:01:00
goods = ["*"]
origins = ["NZ"]

[[levy]]
id = "mini.extra.old"
title = "Older measures"
citation = "Notices of 2019"
gap = "the older measures' lists are not encoded; state old_measures_apply = false for a good they do not reach"
start = 2025-01-01
goods = ["*"]
origins = ["NZ"]
unless = [ { fact = "old_measures_apply", is = false } ]
'''


@pytest.fixture
def mini(tmp_path):
    (tmp_path / "rules.toml").write_text(RULES)
    return tariffrules.load(tmp_path / "rules.toml")


def test_a_query_reaching_a_gap_raises_and_names_it(mini):
    with pytest.raises(CoverageGapError) as error:
        mini.resolve("12019011", "NZ", "2025-05-20")
    message = str(error.value)
    assert "mini.extra.old" in message and "Notices of 2019" in message
    assert "old_measures_apply = false" in message
    assert isinstance(error.value, ValueError)


def test_a_gap_the_query_steps_out_of_is_explained_not_applied(mini):
    r = mini.resolve("12019011", "NZ", "2025-05-20", old_measures_apply=False)
    assert [levy.id for levy in r.levies] == ["mini.extra.all"]
    assert r.rate == Decimal(10)
    assert r.headings == ()
    skipped = {s.id: s.reason for s in r.skipped}
    assert skipped == {"mini.extra.old": "exempt"}
    assert "(no heading)" in r.explain()


def test_a_gap_out_of_scope_does_not_raise(mini):
    r = mini.resolve("12019011", "FJ", "2025-05-20")
    assert r.levies == () and r.rate == Decimal(0)


def test_batches_keep_the_gap_error_in_place(mini):
    out = list(mini.resolve_many([("12019011", "FJ", "2025-05-20"), ("12019011", "NZ", "2025-05-20"),
                                  ("12019011", "NZ", "2025-05-20", {"old_measures_apply": False})]))
    assert isinstance(out[1], CoverageGapError)
    assert out[0].rate == Decimal(0) and out[2].rate == Decimal(10)


def test_the_coverage_page_lists_gaps(mini):
    page = coverage_markdown(mini)
    assert "## Measures named but not encoded" in page
    assert "`mini.extra.old`" in page and "not encoded (gap)" in page
    assert "| heading |" not in page  # no levy has a heading: no heading column


def test_a_levy_without_a_gap_still_needs_a_rate(tmp_path):
    (tmp_path / "rules.toml").write_text(RULES.replace('rate = "10%"\n', ""))
    with pytest.raises(RuleFileError, match="rate"):
        tariffrules.load(tmp_path / "rules.toml")


def test_midday_instants_in_a_zone_without_daylight_saving(mini):
    # 12:01 in a zone at UTC+05:30 all year: the duty starts at 06:31 UTC
    start = mini.get("mini.extra.all").versions[0].period.start
    assert start.utcoffset() == _dt.timedelta(hours=5, minutes=30)
    assert start.astimezone(_dt.timezone.utc).time() == _dt.time(6, 31)
    before = mini.resolve("12019011", "NZ", "2025-04-10T12:00:59+05:30", old_measures_apply=False)
    after = mini.resolve("12019011", "NZ", "2025-04-10T12:01:00+05:30", old_measures_apply=False)
    assert (before.rate, after.rate) == (Decimal(0), Decimal(10))
    # a bare date is midnight (day_time "00:00"): before the midday start
    assert mini.resolve("12019011", "NZ", "2025-04-10", old_measures_apply=False).rate == Decimal(0)
    # winter and summer alike
    assert mini.day_instant(_dt.date(2025, 1, 15)).utcoffset() == mini.day_instant(_dt.date(2025, 7, 15)).utcoffset()


def test_only_the_declared_code_length_is_accepted(mini):
    with pytest.raises(InvalidCodeError, match="8 digits"):
        mini.resolve("1201901100", "NZ", "2025-05-20", old_measures_apply=False)


def test_the_command_line_shows_no_heading_column_and_reports_the_gap(tmp_path, capsys):
    from tariffrules.cli import EXIT_BAD_INPUT, EXIT_OK, main

    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    assert main(["resolve", "12019011", "NZ", "2025-05-20", "--rules", str(path), "--no-old-measures-apply",
                 "--explain"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "mini.extra.all" in out and "Total additional rate: 10%" in out
    assert "heading" not in out
    assert main(["timeline", "12019011", "NZ", "2025-04-01", "2025-05-01", "--rules", str(path),
                 "--no-old-measures-apply"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "headings" not in out and "2025-04-10T12:01+05:30" in out
    assert main(["resolve", "12019011", "NZ", "2025-05-20", "--rules", str(path)]) == EXIT_BAD_INPUT
    assert "mini.extra.old" in capsys.readouterr().err
    assert main(["list", "--rules", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "heading" not in out and "not encoded (gap)" in out
    assert main(["show", "mini.extra.old", "--rules", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "not encoded (gap)" in out and "old_measures_apply = false" in out


def test_the_default_bundled_set_is_named_in_data_not_code():
    from tariffrules.builtin import default_name

    assert default_name(["aa", "bb"]) is None  # several sets, none named: the caller must choose
    assert default_name(["aa"]) == "aa"  # a single bundled set is the default
    assert default_name() in tariffrules.builtin()


def test_the_note_of_an_applied_version_is_shown(tmp_path):
    """An applied levy's note (e.g. how a doubtful hour was read) is in explain(), to_dict() and the CLI text."""
    text = RULES.replace('citation = "Notice 4"', 'citation = "Notice 4"\nnote = "read literally for the first hour"')
    (tmp_path / "rules.toml").write_text(text)
    rules = tariffrules.load(tmp_path / "rules.toml")
    r = rules.resolve("12019011", "NZ", "2025-05-20", old_measures_apply=False)
    assert "note: read literally for the first hour" in r.explain()
    assert r.levies[0].to_dict()["note"] == "read literally for the first hour"
    done = subprocess.run([sys.executable, "-m", "tariffrules", "resolve", "12019011", "NZ", "2025-05-20",
                           "--rules", str(tmp_path / "rules.toml"), "--no-old-measures-apply"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "mini.extra.all: note: read literally for the first hour" in done.stdout


def test_help_lists_the_facts_of_a_rule_file(tmp_path):
    """``resolve --rules FILE --help`` lists that rule set's facts (a yes/no fact as its flags)."""
    (tmp_path / "rules.toml").write_text(RULES)
    done = subprocess.run([sys.executable, "-m", "tariffrules", "resolve", "--rules", str(tmp_path / "rules.toml"),
                           "--help"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "facts of rule set 'mini'" in done.stdout
    assert "--old-measures-apply / --no-old-measures-apply" in done.stdout
    assert "The good is subject to the older measures this rule set does not encode" in done.stdout

"""Generated bad inputs (tariffrules.testing.bad_inputs) are refused with a typed error, never answered.

The thorough profile (``TARIFFRULES_PROFILE=thorough``) runs each 10,000 times.
"""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from hypothesis import given, settings

import tariffrules
from tariffrules.cli import main
from tariffrules.errors import AmbiguousCodeError, InvalidCodeError, InvalidFactError, InvalidInstantError, QueryError, TariffRulesError
from tariffrules.testing.strategies import queries
from tariffrules.testing.bad_inputs import (bad_codes, bad_facts, bad_instants, batch_file_bytes, conflicting_command_lines,
                                            early_as_of, split_code_queries)

US = tariffrules.builtin("us")
queries_without_as_of = queries(US, facts=False, as_of=False)


@given(case=bad_codes(US))
def test_codes_that_are_no_line_at_the_entry_are_refused(case):
    with pytest.raises(InvalidCodeError) as caught:
        case.resolve(US)
    assert caught.value.argument == "hts"


@given(case=split_code_queries(US))
def test_a_split_code_answers_only_where_every_line_answers_alike(case):
    split = next(s for s in US.info.split_codes if s.code == case.hts)
    try:
        answer = case.resolve(US)
    except AmbiguousCodeError as error:
        assert error.argument == "hts" and "expected the good's 10-digit statistical line" in str(error)
        return
    except TariffRulesError:
        return  # an error every line shares (e.g. a fact the answer needs)
    mask = US.info.schedule.window(answer.query.entered)
    for line in split.lines:
        if US.info.schedule.codes.get(line, 0) & mask:  # the lines in force at the entry
            assert US.resolve(line, case.origin, case.when, **case.kwargs).levies == answer.levies, line


@given(argv=conflicting_command_lines(US))
def test_a_command_line_that_contradicts_itself_is_refused(argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's usage error
            code = exit_.code
    assert code in (1, 2) and "error:" in err.getvalue() and "Traceback" not in err.getvalue()


@given(case=bad_facts(US))
def test_impossible_facts_are_refused(case):
    with pytest.raises(InvalidFactError):
        case.resolve(US)


@given(case=queries_without_as_of, as_of=early_as_of(US))
def test_an_as_of_before_what_the_rule_set_knows_is_refused(case, as_of):
    with pytest.raises(tariffrules.BeforeKnownError) as caught:
        US.resolve(case.hts, case.origin, case.when, as_of=as_of, **dict(case.facts))
    assert caught.value.argument == "as_of"


@given(when=bad_instants())
def test_impossible_entry_instants_are_refused(when):
    with pytest.raises(QueryError) as caught:
        US.resolve("8703.23.01.90", "JP", when, allow_stale=True)
    assert isinstance(caught.value, InvalidInstantError) or caught.value.argument == "when"


@settings(max_examples=max(10, settings.default.max_examples // 4))  # each example is a whole batch run
@given(drawn=batch_file_bytes())
def test_a_batch_file_keeps_one_output_row_per_input_row(tmp_path_factory, drawn):
    data, rows = drawn
    folder = tmp_path_factory.mktemp("batch")
    source, target = folder / "in.csv", folder / "out.csv"
    source.write_bytes(data)
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["batch", str(source), str(target)]) == 0
    csv.field_size_limit(1 << 24)
    with open(target, newline="", encoding="utf-8") as f:
        out = list(csv.DictReader(f))
    assert len(out) == rows
    for row in out:  # every row either answers or says why not
        assert row["error"] or row["headings"]

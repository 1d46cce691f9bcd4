"""Inputs a second robustness tester found crashing or answered silently (issue 14, tester14b), each now
refused with a typed error in its place."""

import csv
import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest

import tariffrules

US = tariffrules.builtin("us")
LINE = ("8525.89.30", "JP", "2025-07-01")


def unambiguous_amount(text, column):
    from tariffrules.tabular import unambiguous_amount as read

    return read(text, column)


def _looks_like(header, names):
    from tariffrules.csv_input import _looks_like as looks

    return looks(header, names)


def _cli(*args, cwd=None):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "tariffrules", *args], capture_output=True, text=True, cwd=cwd,
                          env=env)


# 1. resolve_many and revisions keep every line, an odd one with its typed error in place
ODD_LINES = [LINE + (None,), LINE + ("value=1",), LINE + ({1: "x"},),
             {"hts": LINE[0], "origin": "JP", "when": LINE[2], "allow_stale": True}]


@pytest.mark.parametrize("odd", ODD_LINES, ids=["facts None", "facts text", "facts int key", "allow_stale key"])
@pytest.mark.parametrize("method", ["resolve_many", "revisions"])
def test_an_odd_line_yields_its_error_in_place_and_the_batch_goes_on(method, odd):
    answers = list(getattr(US, method)([LINE, odd, LINE]))
    assert len(answers) == 3
    assert isinstance(answers[1], tariffrules.QueryError)
    assert not isinstance(answers[0], tariffrules.TariffRulesError)
    assert not isinstance(answers[2], tariffrules.TariffRulesError)


def test_the_allow_stale_line_key_error_says_it_is_for_the_whole_batch():
    (_, error) = US.resolve_many([LINE, {"hts": LINE[0], "origin": "JP", "when": LINE[2], "allow_stale": True}])
    assert error.argument == "allow_stale" and "resolve_many(lines, allow_stale=True)" in str(error)


# 2. Resolution.duty/general_duty/total_duty read their value as the query's value fact
@pytest.mark.parametrize("method", ["duty", "general_duty", "total_duty"])
@pytest.mark.parametrize("amount,problem", [("abc", "not a number"), (1000.0, "float"), (True, "bool"),
                                            (Decimal("Infinity"), "not a number"), (Decimal("NaN"), "not a number"),
                                            (Decimal("1e30"), "too large"), (Decimal("-5"), "negative")])
def test_duty_refuses_what_the_value_fact_refuses(method, amount, problem):
    answer = US.resolve("8703.23.01", "JP", "2025-04-16")
    with pytest.raises(tariffrules.InvalidFactError, match=problem) as raised:
        getattr(answer, method)(amount)
    assert raised.value.argument == "value"


def test_duty_reads_text_and_int_as_the_value_fact_does():
    # 8703.23.01 JP entered 2025-04-16: the 25% Section 232 automobile duty (9903.94.01): 25% of 1000 = 250.00
    answer = US.resolve("8703.23.01", "JP", "2025-04-16")
    assert answer.duty("1000") == answer.duty(1000) == answer.duty(Decimal("1000")) == Decimal("250.00")


def test_duty_refuses_a_value_below_the_content_the_query_gave():
    answer = US.resolve("7308.90.95", "DE", "2025-07-01", value="10000", content={"steel": "4000"})
    with pytest.raises(tariffrules.InvalidFactError, match="more than the customs value 100"):
        answer.duty(Decimal("100"))


# 3. resolve_table's chunk_rows
@pytest.mark.parametrize("rows", [-1, 0, 1.5, "10", True])
def test_resolve_table_refuses_a_chunk_rows_that_is_not_a_positive_whole_number(rows):
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"hts": [LINE[0]], "origin": ["JP"], "when": [LINE[2]]})
    with pytest.raises(tariffrules.QueryError, match="chunk_rows"):
        US.resolve_table(table, chunk_rows=rows)


# 4. an amount whose only separator is a dot before three digits: forty or forty thousand?
@pytest.mark.parametrize("text", ["40.000", "1.234", " 4.000 ", "-1.500", "999.000"])
def test_a_dot_before_three_digits_is_ambiguous(text):
    with pytest.raises(tariffrules.InvalidFactError, match="ambiguous") as raised:
        unambiguous_amount(text, "value")
    whole, _, part = text.strip().partition(".")
    assert f"{whole}{part} if it separates thousands" in str(raised.value)


@pytest.mark.parametrize("text", ["40000", "40000.00", "1234.567", "40.00", "4.0000", "40.5"])
def test_other_amounts_are_not_ambiguous(text):
    assert unambiguous_amount(text, "value") == text


def _batch(tmp_path, text):
    source = tmp_path / "in.csv"
    source.write_text(text)
    done = _cli("batch", str(source), "-")
    return done, list(csv.DictReader(io.StringIO(done.stdout)))


def test_batch_refuses_value_40_000_in_place(tmp_path):
    done, rows = _batch(tmp_path, "hts;origin;when;value\n8703.23.01;DE;2025-08-20;40.000\n"
                                  "8703.23.01;DE;2025-08-20;40000\n")
    assert len(rows) == 2
    assert "ambiguous" in rows[0]["error"] and "40000" in rows[0]["error"] and rows[0]["duty"] == ""
    # the second row: 8703.23.01 DE on 2025-08-20 pays the EU 15% all-in rate under 9903.94.51 less the
    # 2.5% general rate: 12.5% of 40000 = 5000.00 (the tester's expected duty)
    assert rows[1]["error"] == "" and rows[1]["duty"] == "5000.00"


def test_batch_refuses_content_steel_4_000_in_place(tmp_path):
    done, rows = _batch(tmp_path, "hts,origin,when,value,content\n7308.90.95,DE,2025-07-01,10000,steel=4.000\n")
    assert len(rows) == 1 and "content[steel]" in rows[0]["error"] and "ambiguous" in rows[0]["error"]


def test_resolve_table_refuses_dot_thousands_in_value_and_content():
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"hts": ["8703.23.01", "7308.90.95"], "origin": ["DE", "DE"],
                      "when": ["2025-08-20", "2025-07-01"], "value": ["40.000", "10000"],
                      "content": [None, "steel=4.000"]})
    errors = US.resolve_table(table).column("error").to_pylist()
    assert all(error and "ambiguous" in error for error in errors)


def test_the_command_line_refuses_value_40_000():
    done = _cli("resolve", "8703.23.01", "DE", "2025-08-20", "--value", "40.000")
    assert done.returncode == 1 and "--value" in done.stderr and "ambiguous" in done.stderr


def test_refunds_reads_amounts_with_the_same_rule():
    from tariffrules.refunds import read_amount

    with pytest.raises(tariffrules.InvalidFactError, match="40000 if it separates thousands"):
        read_amount("40.000", "value")
    assert read_amount("40,000.00", "value") == Decimal("40000.00")


# 5. empty option values are errors naming the option, not "not given"
@pytest.mark.parametrize("option", ["--as-of", "--value", "--loaded", "--mfn", "--rules"])
def test_an_empty_single_valued_option_is_refused(option):
    done = _cli("resolve", LINE[0], "JP", "2025-08-10", option, "")
    assert done.returncode == 2 and f"{option} is empty" in done.stderr and done.stdout == ""


@pytest.mark.parametrize("option,value,named", [("--fact", "usmca=", "--fact usmca"),
                                                 ("--fact", "chapter98=", "--fact chapter98"),
                                                 ("--content", "", "--content"),
                                                 ("--content", "steel=", "--content steel")])
def test_an_empty_fact_or_content_is_refused(option, value, named):
    done = _cli("resolve", LINE[0], "JP", "2025-08-10", option, value)
    assert done.returncode == 1 and f"error: {named}" in done.stderr and done.stdout == ""


# 6. look-alike headers by stem and abbreviation
@pytest.mark.parametrize("header,name", [("load_date", "loaded"), ("loading_date", "loaded"), ("ch98", "chapter98"),
                                         ("values", "value"), ("usmca_claimed", "usmca")])
def test_a_header_holding_a_stem_or_abbreviation_looks_like_the_fact(header, name):
    assert _looks_like(header, ["loaded", "chapter98", "value", "usmca", "postal_item"]) == name


@pytest.mark.parametrize("header", ["po_number", "invoice", "notes", "contact", "valuation", "payload",
                                    "postal_code", "chapter", "ch"])
def test_ordinary_headers_look_like_no_fact(header):
    assert _looks_like(header, ["loaded", "chapter98", "value", "usmca", "postal_item", "content"]) is None


@pytest.mark.parametrize("header", ["Load Date", "loading date", "Ch98"])
def test_batch_refuses_a_look_alike_column_and_keep_column_copies_it(tmp_path, header):
    source = tmp_path / "in.csv"
    source.write_text(f"hts,origin,when,value,{header}\n8525.89.30,JP,2025-04-16,1000,2025-04-01\n")
    done = _cli("batch", str(source), "-")
    assert done.returncode == 1 and f'column "{header}" is not read' in done.stderr and done.stdout == ""
    kept = _cli("batch", str(source), "-", "--keep-column", header)
    assert kept.returncode == 0 and header in kept.stdout.splitlines()[0]


# as_of after the rule set's review day: answered, with a warning saying later measures are missing
def test_as_of_after_the_review_day_warns():
    reviewed = US.info.reviewed.isoformat()
    late = US.resolve(*LINE, as_of="2099-01-01")
    assert any(f"after {reviewed}" in warning and "as_of" in warning for warning in late.warnings)
    on_time = US.resolve(*LINE, as_of=reviewed)  # a bare date: the end of the review day, still reviewed
    assert not any("as_of" in warning for warning in on_time.warnings)
    done = _cli("resolve", *LINE, "--as-of", "2099-01-01")
    assert done.returncode == 0 and f"is after {reviewed}" in done.stdout + done.stderr


def test_validate_refuses_a_negative_sample_count(tmp_path):
    # tester14b V-row: `validate --samples -1` exited 0 and silently skipped the declaration check
    done = _cli("validate", "us", "--samples", "-1", cwd=tmp_path)
    assert done.returncode == 2 and "--samples" in done.stderr and "is negative" in done.stderr
    done = _cli("validate", "us", "--samples", "x", cwd=tmp_path)
    assert done.returncode == 2 and "not a whole number" in done.stderr

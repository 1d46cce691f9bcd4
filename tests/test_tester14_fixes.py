"""Inputs a robustness tester found answered silently or crashing (issue 14), each now refused."""

import csv
import os
import subprocess
import sys

import pytest

import tariffrules
from tariffrules.hts import normalize_code


def _cli(*args, cwd=None):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "tariffrules", *args], capture_output=True, text=True, cwd=cwd,
                          env=env)


@pytest.mark.parametrize("code", ["870.323.01", "8703.2.301", "87.0323.01", "8703..23.01", "8703.23.01.9.0"])
def test_a_dot_out_of_place_is_refused(code):
    with pytest.raises(tariffrules.InvalidCodeError, match="dot out of place"):
        normalize_code(code)


@pytest.mark.parametrize("code,digits", [("8703.23.01", "87032301"), ("8703.23.0190", "8703230190"),
                                         ("8703.2301", "87032301"), ("8703230190", "8703230190")])
def test_dots_where_the_schedule_writes_them_are_accepted(code, digits):
    assert normalize_code(code) == digits


def test_json_and_json_full_together_are_a_usage_error():
    done = _cli("resolve", "8703.23.01.90", "JP", "2025-07-01", "--json", "--json-full")
    assert done.returncode != 0
    assert "--json" in done.stderr and "cannot be given" in done.stderr
    assert done.stdout == ""


def test_abbreviated_options_are_not_guessed():
    done = _cli("resolve", "8703.23.01.90", "JP", "2025-07-01", "--val", "1000")
    assert done.returncode == 2
    assert "--val" in done.stderr


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")
def test_batch_refuses_an_output_hard_linked_to_its_input(tmp_path):
    source = tmp_path / "in.csv"
    rows = "hts,origin,when\n" + "8703.23.01.90,JP,2025-07-01\n" * 50
    source.write_text(rows)
    os.link(source, tmp_path / "out.csv")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    assert done.returncode != 0
    assert "is the input file" in done.stderr
    assert source.read_text() == rows  # the input is untouched


# -- an as_of before what the rule set knows (F26/F43, B21) -------------------------------------------------
US = tariffrules.builtin("us")


@pytest.mark.parametrize("as_of", ["2020-01-01", "2024-12-31", "2024-12-31T23:59:59.999999-05:00"])
def test_an_as_of_before_the_rule_set_knows_anything_is_an_error(as_of):
    with pytest.raises(tariffrules.BeforeKnownError) as caught:
        US.resolve("8525.89.30", "JP", "2025-07-01", as_of=as_of, value="1000")
    assert isinstance(caught.value, tariffrules.HorizonError)
    assert caught.value.argument == "as_of"
    message = str(caught.value)
    # the first instant it answers as of (the horizon start: before it, only measures still in force then are
    # encoded) and the earliest known instant of its versions, and what to do
    assert US.info.horizon_start.isoformat() in message
    assert "2018-03-08" in message  # us.s232.*.pre2025_articles: known from the 2018 proclamations
    assert "on or after 2025-01-01" in message and "no as_of" in message


def test_the_first_as_of_the_rule_set_answers_is_its_horizon_start():
    assert US.reader.knows_from == US.info.horizon_start
    answer = US.resolve("8525.89.30", "JP", "2025-07-01", as_of="2025-01-01", value="1000")
    assert answer.levies == ()  # nothing about reciprocal duties was known on 2025-01-01: exact, not refused


def test_a_batch_as_of_cell_before_the_rule_set_knows_is_an_error_row(tmp_path):
    (tmp_path / "in.csv").write_text("hts,origin,when,value,as_of\n8525.89.30,JP,2025-07-01,1000,2020-01-01\n"
                                     "8525.89.30,JP,2025-07-01,1000,2025-07-01\n")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader((tmp_path / "out.csv").open()))
    assert rows[0]["error"].startswith("BeforeKnownError: as_of=")
    assert rows[0]["rate"] == "" and rows[0]["duty"] == ""
    assert rows[1]["error"] == "" and rows[1]["rate"] == "10"  # 9903.01.25, the 10% baseline in force then


def test_the_as_of_strategy_draws_only_instants_the_rule_set_answers_as_of():
    from hypothesis import given, settings

    from tariffrules.testing.strategies import known_instants

    @settings(max_examples=200, database=None)
    @given(stamp=known_instants(US))
    def check(stamp):
        US.resolve("8703.23.01.90", "JP", "2025-07-01", as_of=stamp)

    check()


# -- a column that looks like a fact (B26) --------------------------------------------------------------------
def test_a_column_holding_a_fact_name_is_an_error_of_the_file(tmp_path):
    (tmp_path / "in.csv").write_text("hts,origin,when,value,USMCA claim\n8703.23.01,MX,2025-07-01,1000,yes\n")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    assert done.returncode == 1
    assert '"USMCA claim"' in done.stderr and "the fact usmca" in done.stderr
    assert "the exact header usmca" in done.stderr and '--keep-column "USMCA claim"' in done.stderr
    assert not (tmp_path / "out.csv").exists()


def test_keep_column_copies_such_a_column_unread(tmp_path):
    (tmp_path / "in.csv").write_text("hts,origin,when,value,USMCA claim\n8703.23.01,MX,2025-07-01,1000,yes\n")
    done = _cli("batch", "in.csv", "out.csv", "--keep-column", "usmca  CLAIM", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    row = next(csv.DictReader((tmp_path / "out.csv").open()))
    assert row["USMCA claim"] == "yes"
    assert "usmca=false" in row["assumed"]  # copied unread, as asked
    assert '"USMCA claim" are not facts' in done.stderr


@pytest.mark.parametrize("keep,problem", [("Note", "has no column"), ("value", "is read as value")])
def test_keep_column_must_name_an_unread_column_of_the_file(tmp_path, keep, problem):
    (tmp_path / "in.csv").write_text("hts,origin,when,value\n8703.23.01,MX,2025-07-01,1000\n")
    done = _cli("batch", "in.csv", "out.csv", "--keep-column", keep, cwd=tmp_path)
    assert done.returncode == 1 and problem in done.stderr


def test_a_column_holding_an_input_column_name_is_an_error_too(tmp_path):
    (tmp_path / "in.csv").write_text("hts,origin,when,Customs Value\n8703.23.01,MX,2025-07-01,1000\n")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    assert done.returncode == 1 and "the input column value" in done.stderr


def test_a_column_of_another_name_is_still_copied_unread(tmp_path):
    (tmp_path / "in.csv").write_text("hts,origin,when,Reference\n8703.23.01,MX,2025-07-01,A-1\n")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    assert done.returncode == 0
    assert next(csv.DictReader((tmp_path / "out.csv").open()))["Reference"] == "A-1"


# -- yes/no words (B10, F9) -----------------------------------------------------------------------------------
@pytest.mark.parametrize("word,claim", [("Y", True), ("y", True), (" yes ", True), ("TRUE", True), ("1", True),
                                        ("N", False), ("no", False), ("False", False), ("0", False)])
def test_yes_no_text_reads_alike_in_the_api_and_a_batch(tmp_path, word, claim):
    api = US.resolve("8525.89.30", "MX", "2025-07-01", value="1000", usmca=word)
    assert api.query.fact("usmca") is claim
    assert api.levies == US.resolve("8525.89.30", "MX", "2025-07-01", value="1000", usmca=claim).levies
    assert api.levies != US.resolve("8525.89.30", "MX", "2025-07-01", value="1000", usmca=not claim).levies
    (tmp_path / "in.csv").write_text(f"hts,origin,when,value,usmca\n8525.89.30,MX,2025-07-01,1000,{word}\n")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    row = next(csv.DictReader((tmp_path / "out.csv").open()))
    assert row["error"] == "" and row["levies"] == " ".join(levy.id for levy in api.levies), done.stderr


@pytest.mark.parametrize("word", ["t", "f", "maybe", "yes please", 2, 1])
def test_other_yes_no_values_are_refused_in_both(tmp_path, word):
    with pytest.raises(tariffrules.InvalidFactError, match="yes/no") as caught:
        US.resolve("8703.23.01.90", "MX", "2025-07-01", usmca=word)
    assert "Y/N" in str(caught.value)
    if isinstance(word, str):
        (tmp_path / "in.csv").write_text(f"hts,origin,when,usmca\n8703.23.01.90,MX,2025-07-01,{word}\n")
        _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
        row = next(csv.DictReader((tmp_path / "out.csv").open()))
        assert row["error"].startswith("InvalidFactError: usmca=") and "Y/N" in row["error"]
        assert "True or False" not in row["error"]  # Python words, not the file's


# -- messages (O4, O9, D9, L10, B6, B7, B10, B19) -----------------------------------------------------------
@pytest.mark.parametrize("origin,use", [("UK", "GB"), ("el", "GR"), ("FX", "FR"), ("IC", "ES"), ("JPN", "JP"),
                                        ("392", "JP")])
def test_a_non_iso_origin_names_the_code_to_use(origin, use):
    with pytest.raises(tariffrules.UnknownCountryError) as caught:
        US.resolve("8703.23.01.90", origin, "2025-05-01")
    assert str(caught.value).endswith(f"expected {use}")
    assert "two letters such as" not in str(caught.value)


def test_the_non_iso_table_names_only_codes_that_are_not_iso():
    from tariffrules.geo import iso_countries, non_iso_codes

    table = non_iso_codes()
    assert {"UK", "EL"} <= set(table)
    for code, (means, use) in table.items():
        assert code not in iso_countries() and means
        assert set(use) <= iso_countries()


def test_an_unassigned_two_letter_origin_does_not_ask_for_two_letters():
    with pytest.raises(tariffrules.UnknownCountryError, match="officially assigned"):
        US.resolve("8703.23.01.90", "XK", "2025-05-01")


def test_a_compact_date_is_called_so():
    with pytest.raises(tariffrules.InvalidInstantError) as caught:
        US.resolve("8703.23.01.90", "JP", "20250405")
    assert caught.value.problem.startswith("is a compact date")
    assert "2025-04-05" in caught.value.expected


def test_content_without_an_amount_gives_a_content_example():
    done = _cli("resolve", "7308.90.95", "DE", "2025-07-01", "--value", "1000", "--content", "steel")
    assert done.returncode == 1
    assert "--content steel=1200" in done.stderr and "usmca" not in done.stderr


def test_excel_trailing_empty_columns_are_not_columns(tmp_path):
    (tmp_path / "in.csv").write_text("hts;origin;when;value;;\n8525.89.30;JP;2025-07-01;1000;;\n"
                                     "8525.89.30;JP;2025-07-01;1000;x;\n8525.89.30;JP;2025-07-01;1000\n")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader((tmp_path / "out.csv").open()))
    assert [r["rate"] for r in rows] == ["10", "", "10"]
    assert rows[1]["extra_cells"] == "x" and "has 5 cells" in rows[1]["error"]  # text under them: kept, flagged
    assert "2 empty header cell(s) at the end" in done.stderr
    assert "column(s)  are" not in done.stderr


def test_an_unnamed_column_between_named_ones_is_refused(tmp_path):
    (tmp_path / "in.csv").write_text("hts,,origin,when\n8703.23.01.90,,JP,2025-05-01\n")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    assert done.returncode == 1 and "no name in header cell 2" in done.stderr


def test_a_batch_missing_value_speaks_of_columns(tmp_path):
    (tmp_path / "in.csv").write_text("hts,origin,when,content\n7308.90.95,DE,2025-07-01,steel=10\n")
    _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    error = next(csv.DictReader((tmp_path / "out.csv").open()))["error"]
    assert error.startswith("MissingFactError") and "a value cell" in error
    assert "resolve(" not in error and "Decimal(" not in error


def test_a_nul_byte_is_named_and_never_written(tmp_path):
    (tmp_path / "in.csv").write_bytes(b"hts,origin,when,value\n8525.89.30,JP,2025-07-01,1000\x00\n"
                                      b"8525.89.30,JP,2025-07-01,1000\n")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    out = (tmp_path / "out.csv").read_bytes()
    assert b"\x00" not in out
    rows = list(csv.DictReader(out.decode().splitlines()))
    assert "a NUL byte (0x00)" in rows[0]["error"] and "\\u0000" not in rows[0]["error"]
    assert rows[1]["error"] == "", done.stderr

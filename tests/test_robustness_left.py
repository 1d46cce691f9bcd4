"""Inputs the second robustness tester (tester14b) and the columnar tester (perf16) found answered silently or
with an unclear message, each now refused, or read as documented, with a message saying what, where and what
to do (issue 14; /work/wt/_notes/tester14b.md rows R2-R7, L5, L8, L12, RV3, V13, V14, V17, V19, V31, T16,
T17, B-l, B-m, B-n, H18, P2, P6, F3, IO1; perf16.md section 5)."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules
from tariffrules.cli import main
from tariffrules.errors import (BeforeKnownError, InvalidCodeError, InvalidFactError, InvalidInstantError,
                                MissingFactError, RuleFileError, StaleRulesError, UnknownCountryError)
from tariffrules.refunds import read_declared

HERE = Path(__file__).resolve().parent
TOY = HERE / "rules" / "toy"
US = tariffrules.builtin("us")


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def _entry(**cells):
    row = {"entry_number": "ABC-1234567-1", "line_number": "1", "entry_date": "2025-04-16", "hts": "8525.89.30",
           "origin": "JP", "value": "12000.00", "declared": "9903.01.25=1200.00", "entry_type": "01",
           "liquidation_status": "unliquidated"}
    row.update(cells)
    return row


# -- refunds (R2, R3, R4, R5, R7) ----------------------------------------------------------------------------
def test_a_liquidation_date_before_the_entry_date_is_an_error_on_its_row_not_a_final_route():
    # an entry is liquidated after it is made (19 U.S.C. 1500, 1504: liquidation follows entry); 2025-03-01 for an
    # entry of 2025-04-16 is a typo, and 180 days counted from it routed the entry "final" (no refund)
    line, = US.refunds([_entry(liquidation_status="liquidated", liquidation_date="2025-03-01")], on="2026-05-01")
    assert line.error.startswith("InvalidFactError: liquidation_date=\"2025-03-01\": data row 1: is before the "
                                 "entry date 2025-04-16")
    assert line.decision.route is None  # undecided, not "final"
    same_day, = US.refunds([_entry(liquidation_status="liquidated", liquidation_date="2025-04-16")],
                           on="2026-05-01")
    assert same_day.error is None


@pytest.mark.parametrize("number", ["0", "-1", "00", "1.5", "a"])
def test_a_line_number_that_is_not_a_whole_number_from_1_is_an_error(number):
    line, = US.refunds([_entry(line_number=number)], on="2026-05-01")
    assert line.error.startswith(f"InvalidFactError: line_number=\"{number}\": data row 1: is not a line number")
    assert line.decision.accepted is None


def test_a_declared_amount_finer_than_a_cent_is_an_error():
    with pytest.raises(InvalidFactError, match="finer than a cent"):
        read_declared("9903.01.25=1200.005")
    assert read_declared("9903.01.25=1200.010") == (("9903.01.25", Decimal("1200.010")),)
    line, = US.refunds([_entry(declared="9903.01.25=1200.005")], on="2026-05-01")
    assert "finer than a cent" in line.error and line.decision.route is None


def test_refund_entry_date_errors_name_the_column_and_the_command_line_flag():
    late, early = US.refunds([_entry(entry_date="2026-11-16"), _entry(entry_number="ABC-1234568-9",
                                                                      entry_date="2024-11-16")], on="2026-05-01")
    assert late.error.startswith("StaleRulesError: entry_date=\"2026-11-16\"") and "--allow-stale" in late.error
    assert early.error.startswith("HorizonError: entry_date=\"2024-11-16\"") and "when=" not in early.error


def test_refunds_now_errors_name_now(tmp_path):
    with pytest.raises(BeforeKnownError) as caught:
        US.refunds([_entry()], on="2026-05-01", now="2020-01-01")
    assert caught.value.argument == "now" and "as_of" not in str(caught.value)
    source = tmp_path / "in.csv"
    with source.open("w", newline="") as f:
        writer = csv.DictWriter(f, list(_entry()))
        writer.writeheader()
        writer.writerow(_entry())
    code, _, err = _run("refunds", source, "-", "--on", "2026-05-01", "--now", "2020-01-01")
    assert code == 1 and "--now 2020-01-01" in err and "--as-of" not in err


# -- list, revisions (L12, RV3) ------------------------------------------------------------------------------
@pytest.mark.parametrize("code,why", [("9903.01.25", "chapter 99"), ("9801.00.10", "chapter 98"),
                                      ("0000.00.00", "none of the")])
def test_list_refuses_a_code_resolve_refuses(code, why):
    status, out, err = _run("list", "--hts", code)
    assert status == 1 and out == "" and f"--hts {code}" in err and why in err


def test_revisions_refuse_now_before_the_filing():
    line = {"hts": "8525.89.30", "origin": "JP", "when": "2025-04-16", "value": "1000"}
    with pytest.raises(InvalidInstantError, match="is before filed_as_of"):
        list(US.revisions([line], filed_as_of="2026-03-01", now="2025-05-01"))
    late, = US.revisions([{**line, "as_of": "2026-03-01"}], now="2025-05-01")
    assert isinstance(late, InvalidInstantError) and "is after now" in str(late)
    fine, = US.revisions([line], filed_as_of="2025-04-20", now="2026-03-01")
    assert fine.duty_change is not None


# -- validate (V13, V14, V17, V31, V19) ----------------------------------------------------------------------
def _toy(tmp_path, file, old, new):
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    text = (folder / file).read_text()
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1))
    return folder


START = 'start = 2025-04-03T00:01:00\ngoods = ["8703"]'


@pytest.mark.parametrize("start,words", [
    ("2025-03-09T02:30:00", "skips (clocks go forward then)"),      # America/New_York: 02:00 -> 03:00
    ("2025-11-02T01:30:00", "passes twice (clocks go back then)")])  # 02:00 EDT -> 01:00 EST
def test_a_wall_time_the_zone_skips_or_repeats_is_refused(tmp_path, start, words):
    folder = _toy(tmp_path, "sector.toml", START, START.replace("2025-04-03T00:01:00", start))
    with pytest.raises(RuleFileError) as caught:
        tariffrules.load(folder)
    error = caught.value
    assert error.file.endswith("sector.toml") and error.levy == "toy.sector.autos" and error.field == "start"
    assert words in error.problem and "-04:00" in error.expected and "-05:00" in error.expected
    status, _, err = _run("validate", folder, "--samples", "0")
    assert status == 1 and "toy.sector.autos" in err and words in err
    # the same instant with its offset is read as written
    assert tariffrules.load(_toy(tmp_path / "b", "sector.toml", START,
                                 START.replace("2025-04-03T00:01:00", "2025-11-02T01:30:00-05:00"))).info.name == "toy"


@pytest.mark.parametrize("old,new,field", [('goods = ["8703"]', "goods = []", "goods"),
                                           ('goods = ["8703"]', 'goods = ["8703"]\nexcept_goods = ["8703"]',
                                            "except_goods"),
                                           ('goods = ["8703"]', 'goods = ["8703.23"]\nexcept_goods = ["8703"]',
                                            "except_goods")])
def test_goods_that_cover_nothing_are_refused(tmp_path, old, new, field):
    with pytest.raises(RuleFileError) as caught:
        tariffrules.load(_toy(tmp_path, "sector.toml", old, new))
    assert caught.value.field == field and "would cover no good" in caught.value.problem
    assert tariffrules.load(_toy(tmp_path / "b", "sector.toml", old, 'goods = ["8703"]\nexcept_goods = '
                                 '["8703.23"]')).info.name == "toy"


def test_a_misspelt_content_kind_is_refused_naming_both_spellings(tmp_path):
    folder = _toy(tmp_path, "sector.toml", 'base = { content = "steel" }', 'base = { content = "stele" }')
    with pytest.raises(RuleFileError) as caught:
        tariffrules.load(folder)
    error = caught.value
    assert error.field == "base" and '"stele"' in error.problem and '"steel"' in error.problem
    assert "steel, stele" in error.expected and error.levy in ("toy.sector.steel_derivatives", "toy.exempt.sector")
    status, _, err = _run("validate", folder, "--samples", "0")
    assert status == 1 and "two spellings of one kind" in err


# -- resolve_table header checks (T16, T17) ------------------------------------------------------------------
def test_resolve_table_refuses_look_alike_and_duplicate_columns():
    pa = pytest.importorskip("pyarrow")
    from tariffrules.csv_input import BatchFileError

    base = {"hts": ["8525.89.30"], "origin": ["JP"], "when": ["2025-07-01"]}
    for name in ("Customs Value", "USMCA claim"):
        with pytest.raises(BatchFileError, match=f'column "{name}" is not read') as caught:
            US.resolve_table(pa.table({**base, name: ["5"]}))
        assert "keep_columns=" in str(caught.value) and "--keep-column" not in str(caught.value)
    kept = US.resolve_table(pa.table({**base, "USMCA claim": ["Y"]}), keep_columns=["USMCA claim"])
    assert kept.column("USMCA claim").to_pylist() == ["Y"] and kept.column("error").to_pylist() == [None]
    twice = pa.Table.from_arrays([pa.array(v) for v in base.values()] + [pa.array(["1"]), pa.array(["2"])],
                                 names=list(base) + ["value", "value"])
    with pytest.raises(BatchFileError, match='names column "value" twice'):
        US.resolve_table(twice)


# -- batch: as_of after the review day (B-l), as resolve warns -----------------------------------------------
@pytest.mark.parametrize("columnar", [False, True])
def test_batch_warns_of_rows_answered_as_known_after_the_review_day(tmp_path, columnar):
    if columnar:
        pytest.importorskip("pyarrow")
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,when,value,as_of\n8525.89.30,JP,2025-08-10,1000,2099-01-01\n"
                      "8525.89.30,JP,2025-08-10,1000,2026-01-01\n8525.89.30,JP,2025-08-10,1000,2099-01-01\n")
    code, out, err = _run("batch", source, "-", *(["--columnar"] if columnar else []))
    reviewed = US.info.reviewed.isoformat()
    assert code == 0 and len(out.splitlines()) == 4
    assert f"2 row(s) (1, 3) have an as_of after {reviewed}" in err
    assert any("as_of" in w for w in US.resolve("8525.89.30", "JP", "2025-08-10", as_of="2099-01-01").warnings)


# -- batch files: UTF-16, sep=, CR in the header, columnar faults (B-m, B-n, perf16) -------------------------
def _batch(tmp_path, data: bytes, *options):
    source = tmp_path / "in.csv"
    source.write_bytes(data)
    return _run("batch", source, "-", *options)


@pytest.mark.parametrize("columnar", [False, True])
def test_a_utf16_file_is_refused_saying_so(tmp_path, columnar):
    code, out, err = _batch(tmp_path, "hts,origin,when\n8703.23.01,JP,2025-04-15\n".encode("utf-16"),
                            *(["--columnar"] if columnar else []))
    assert code == 1 and out == "" and "is UTF-16 text" in err and "UTF-8" in err and "Traceback" not in err


@pytest.mark.parametrize("columnar", [False, True])
def test_an_excel_sep_line_states_the_separator(tmp_path, columnar):
    code, out, err = _batch(tmp_path, b"sep=;\nhts;origin;when\n8703.23.01;JP;2025-04-15\n",
                            *(["--columnar"] if columnar else []))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 1 and rows[0]["headings"] and "semicolon-separated" in err


@pytest.mark.parametrize("columnar", [False, True])
def test_a_carriage_return_inside_the_header_is_a_typed_error(tmp_path, columnar):
    code, out, err = _batch(tmp_path, b"hts,origin,when\r,,\n8703.23.01,JP,2025-04-15\n",
                            *(["--columnar"] if columnar else []))
    assert code == 1 and "carriage return (CR, 0x0d) inside its header row" in err and "Traceback" not in err


def test_columnar_reads_trailing_empty_header_cells_as_the_row_reader_does(tmp_path):
    pytest.importorskip("pyarrow")
    data = b"hts,origin,when,,\n8703.23.01,JP,2025-04-15,,\n8703.23.01,JP,2025-04-15,,x\n"
    rows_code, rows_out, _ = _batch(tmp_path, data)
    col_code, col_out, col_err = _batch(tmp_path, data, "--columnar")
    assert rows_code == col_code == 0 and rows_out == col_out
    out = list(csv.DictReader(io.StringIO(col_out)))
    assert "" not in out[0] and not out[0]["error"] and out[1]["error"].startswith("BatchRowError")
    assert "read row by row" in col_err


def test_columnar_to_standard_output_falls_back_on_a_row_arrow_cannot_read(tmp_path):
    pytest.importorskip("pyarrow")
    data = b"hts,origin,when\n8703.23.01,JP,2025-04-15\r,x\n8703.23.01,JP,2025-04-15\n"
    code, out, err = _batch(tmp_path, data, "--columnar")
    assert code == 0 and out == _batch(tmp_path, data)[1]
    assert out.count("hts,origin,when") == 1 and len(list(csv.DictReader(io.StringIO(out)))) == 2


def test_a_semicolon_file_with_columnar_is_read_row_by_row_saying_why(tmp_path):
    pytest.importorskip("pyarrow")
    code, out, err = _batch(tmp_path, b"hts;origin;when\n8703.23.01;JP;2025-04-15\n", "--columnar")
    assert code == 0 and "IN is semicolon-separated" in err and len(out.splitlines()) == 2


def test_a_float_parquet_column_names_the_column_and_its_type(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"hts": ["8703.23.01"], "origin": ["JP"], "when": ["2025-05-01"], "value": [1000.0]}),
                   source)
    code, _, err = _run("batch", source, "-")
    assert code == 1 and "column value double: has a floating-point type" in err and "--value" not in err


# -- messages (H18, P6, F3, L5, L8, IO1) ---------------------------------------------------------------------
def test_an_invisible_character_in_a_code_or_origin_is_shown_escaped_and_named():
    with pytest.raises(InvalidCodeError) as caught:
        US.resolve("8703\u200b2301", "JP", "2025-05-01")
    assert "\u200b" not in str(caught.value) and "\\u200b" in str(caught.value)
    assert "U+200B (ZERO WIDTH SPACE) at character 5" in str(caught.value)
    with pytest.raises(UnknownCountryError, match=r"U\+200B"):
        US.resolve("8703.23.01", "J\u200bP", "2025-05-01")
    code, _, err = _run("resolve", "8703\u200b2301", "JP", "2025-05-01")
    assert code == 1 and "\u200b" not in err and "HTS 8703\\u200b2301" in err


def test_a_code_that_lost_its_leading_zero_says_so():
    # 0101.21.00 (live horses, purebred breeding) read as a number: 1012100
    with pytest.raises(InvalidCodeError) as caught:
        US.resolve("1012100", "JP", "2025-05-01")
    assert "lost its leading zero" in str(caught.value) and "0101.21.00" in str(caught.value)
    assert "1 more digit" not in str(caught.value)


def test_a_missing_content_amount_names_the_kind_not_the_value():
    r = US.resolve("7308.90.95", "DE", "2025-07-01", value="10000")
    for compute in (lambda: r.rate, r.duty):
        with pytest.raises(MissingFactError) as caught:
            compute()
        assert caught.value.argument == "content[steel]" and "value=" not in str(caught.value)
        assert "content={'steel'" in caught.value.expected  # the API speaks Python
    code, out, _ = _run("resolve", "7308.90.95", "DE", "2025-07-01", "--value", "10000")
    assert code == 0 and "expected --content steel=N" in out and "{'" not in out


@pytest.mark.parametrize("fact,option", [("loaded", "--loaded DATE"), ("value", "--value N"),
                                         ("as_of", "--as-of INSTANT"), ("content", "--content KIND=N")])
def test_fact_of_a_query_argument_points_to_its_option(fact, option):
    code, _, err = _run("resolve", "8703.23.01", "JP", "2025-05-01", "--fact", f"{fact}=1")
    assert code == 1 and "an argument of its own" in err and f"expected {option}" in err


def test_validate_of_an_empty_path_speaks_command_line():
    code, _, err = _run("validate", "")
    assert code == 2 and "PATH is empty" in err and "load()" not in err


def test_a_full_disk_names_the_output(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,when\n8703.23.01,JP,2025-04-15\n")
    code, _, err = _run("batch", source, "/dev/full")
    assert code == 1 and "OUT /dev/full: No space left on device" in err and "error: :" not in err


def test_a_declared_pair_without_equals_is_quoted_in_double_quotes():
    with pytest.raises(InvalidFactError) as caught:
        read_declared("9903.01.25:1200")
    assert '"9903.01.25:1200" is not HEADING=AMOUNT' in str(caught.value) and "'" not in str(caught.value)


def test_refunds_declarations_naming_a_file_is_refused(tmp_path):
    source = tmp_path / "in.csv"
    with source.open("w", newline="") as f:
        writer = csv.DictWriter(f, list(_entry()))
        writer.writeheader()
        writer.writerow(_entry())
    code, out, err = _run("refunds", source, "-", "--on", "2026-05-01", "--declarations", source)
    assert code == 1 and out == "" and "--declarations" in err and "is a file, not a folder" in err

"""Issue 14, tester14c (notes /work/wt/_notes/tester14c.md): crashes, silent and unclear answers of the
batch readers, resolve_table and resolve_many. Each test failed before its fix."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules
from tariffrules.csv_input import BatchFileError
from tariffrules.errors import QueryError

US = tariffrules.builtin("us")
LINE = ("8525.89.30", "JP", "2025-04-16")
ROOT = Path(__file__).resolve().parents[1]


def _cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tariffrules", *argv], capture_output=True, text=True, cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


# 1. crashes -> typed errors naming the argument
@pytest.mark.parametrize("options,argument", [({"progress": lambda n: None, "progress_every": 0}, "progress_every=0"),
                                              ({"progress": lambda n: None, "progress_every": True}, "progress_every"),
                                              ({"progress": "yes"}, 'progress="yes"')])
def test_resolve_many_progress_arguments_are_checked(options, argument):
    with pytest.raises(QueryError) as caught:
        list(US.resolve_many([LINE], **options))
    assert argument in str(caught.value) and "expected" in str(caught.value)


def test_same_answer_with_none_is_a_query_error():
    with pytest.raises(QueryError, match="not a Resolution"):
        US.resolve(*LINE).same_answer(None)
    assert US.resolve(*LINE).same_answer(US.resolve(*LINE))


# 2. look-alike columns of read columns that are present, and camelCase / joined names
@pytest.mark.parametrize("header", ["Country of Origin", "countryoforigin", "CustomsValue", "HTSCode", "COO"])
def test_batch_refuses_a_look_alike_of_a_present_column(tmp_path, header):
    source = tmp_path / "in.csv"
    source.write_text(f"hts,origin,when,value,{header}\n8525.89.30,JP,2025-04-16,1000,CN\n")
    for argv in ((), ("--columnar",)):
        done = _cli("batch", str(source), "-", *argv)
        assert done.returncode == 1 and f'column "{header}" is not read' in done.stderr, done.stderr
        assert "rated on that column alone" in done.stderr and done.stdout == ""
    kept = _cli("batch", str(source), "-", "--keep-column", header)
    assert kept.returncode == 0 and header in kept.stdout.splitlines()[0]


def test_batch_refuses_camel_case_value_without_a_value_column(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,when,CustomsValue\n8525.89.30,JP,2025-04-16,1000\n")
    done = _cli("batch", str(source), "-")
    assert done.returncode == 1 and "as if value were not given" in done.stderr


@pytest.mark.parametrize("header", ["part_number", "entry_number", "line_no", "currency", "HTS Description",
                                    "Original Invoice", "origin name",
                                    # a read column's name qualifying another word, beside that column (retest14c)
                                    "value_currency", "origin_port", "value_date", "hts_chapter"])
def test_honest_other_columns_are_still_copied(tmp_path, header):
    source = tmp_path / "in.csv"
    source.write_text(f"hts,origin,when,value,{header}\n8525.89.30,JP,2025-04-16,1000,x\n")
    done = _cli("batch", str(source), "-")
    assert done.returncode == 0 and "copied to the output unread" in done.stderr


def test_resolve_table_refuses_country_of_origin():
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(BatchFileError, match='"Country of Origin" is not read'):
        US.resolve_table(pa.table({"hts": [LINE[0]], "origin": ["JP"], "when": [LINE[2]],
                                   "Country of Origin": ["CN"]}))


# 3. never CSV bytes in a .parquet file
@pytest.mark.parametrize("name", ["out.parquet", "OUT.PARQUET", "out.pq"])
def test_a_csv_batch_to_a_parquet_name_writes_parquet(tmp_path, name):
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,when,value\n8525.89.30,JP,2025-04-16,1000\n")
    done = _cli("batch", str(source), str(tmp_path / name))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / name).read_bytes()[:4] == b"PAR1"


def test_a_row_read_file_to_a_parquet_name_is_refused(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("hts;origin;when;value\n8525.89.30;JP;2025-04-16;1000\n")
    for argv in ((), ("--columnar",)):
        done = _cli("batch", str(source), str(tmp_path / "out.parquet"), *argv)
        assert done.returncode == 1 and "names a Parquet file" in done.stderr and "semicolon" in done.stderr
        assert not (tmp_path / "out.parquet").exists()


# 4. unclear -> says what is expected
def test_resolve_many_names_an_upper_case_key():
    answer, = US.resolve_many([{"HTS": LINE[0], "origin": "JP", "when": LINE[2]}])
    assert isinstance(answer, QueryError) and '"HTS", not hts' in str(answer) and "lower case" in str(answer)


def test_resolve_many_of_a_data_frame_says_to_use_resolve_table():
    pd = pytest.importorskip("pandas")
    with pytest.raises(QueryError, match="resolve_table"):
        list(US.resolve_many(pd.DataFrame({"hts": [LINE[0]], "origin": ["JP"], "when": [LINE[2]]})))


def test_resolve_many_of_one_bare_tuple_says_so():
    with pytest.raises(QueryError, match="is one line"):
        list(US.resolve_many(LINE))


def test_resolve_table_names_the_near_miss_column_and_index():
    pd = pytest.importorskip("pandas")
    with pytest.raises(QueryError, match='the column "HTS" is not read as hts'):
        US.resolve_table(pd.DataFrame({"HTS": [LINE[0]], "origin": ["JP"], "when": [LINE[2]]}))
    indexed = pd.DataFrame({"origin": ["JP"], "when": [LINE[2]]}, index=pd.Index([LINE[0]], name="hts"))
    with pytest.raises(QueryError, match="reset_index"):
        US.resolve_table(indexed)


def test_keep_columns_as_a_string_says_to_pass_a_list():
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(QueryError, match=r'keep_columns=\["note"\]'):
        US.resolve_table(pa.table({"hts": [LINE[0]], "origin": ["JP"], "when": [LINE[2]], "note": ["x"]}),
                         keep_columns="note")


def test_columnar_batch_of_an_empty_file_says_it_is_empty(tmp_path):
    pytest.importorskip("pyarrow")
    (tmp_path / "e.csv").write_bytes(b"")
    done = _cli("batch", "--columnar", str(tmp_path / "e.csv"), "-")
    assert done.returncode == 1 and "is empty" in done.stderr and "[]" not in done.stderr


def test_an_unclosed_quote_is_named_with_its_line(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('hts,origin,when,value\n8525.89.30,JP,"2025-04-16,1000\n8525.89.30,CN,2025-04-16,1000\n')
    done = _cli("batch", str(source), "-")
    assert "line 2" in done.stdout and "quote" in done.stdout and "not closed on that line" in done.stdout


def test_the_lines_an_unclosed_quote_would_swallow_are_rated_in_their_place(tmp_path):
    # issue 14 kind 4: nothing merged; a quote left open in line 2 must not take lines 3 and 4 with it
    source = tmp_path / "in.csv"
    source.write_text('hts,origin,when,value\n8525.89.30,JP,"2025-04-16,1000\n8525.89.30,CN,2025-04-16,1000\n'
                      '8525.89.30,DE,2025-04-16,1000\n')
    for argv in ((), ("--columnar",)):
        done = _cli("batch", str(source), "-", *argv)
        rows = done.stdout.splitlines()[1:]
        assert len(rows) == 3, done.stdout
        assert "not closed on that line" in rows[0] and ",JP," in rows[0]
        assert rows[1].startswith("8525.89.30,CN,2025-04-16,1000,9903.88.03") and rows[1].endswith(",")
        assert rows[2].startswith("8525.89.30,DE,2025-04-16,1000,9903.01.25") and rows[2].endswith(",")


def test_a_value_with_a_leading_zero_dot_is_a_decimal(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,when,value\n8525.89.30,JP,2025-04-16,0.005\n8525.89.30,JP,2025-04-16,1.005\n")
    done = _cli("batch", str(source), "-")
    first, second = done.stdout.splitlines()[1:]
    assert US.resolve(*LINE, value=Decimal("0.005")).duty() == Decimal("0.00")
    assert first.split(",")[7] == "0.00" and "ambiguous" not in first  # the duty column
    assert "ambiguous" in second  # 1.005: one thousand and five, or one: still refused


def test_a_typed_decimal_column_has_no_thousands_separator():
    pa = pytest.importorskip("pyarrow")
    table = US.resolve_table(pa.table({"hts": [LINE[0]] * 2, "origin": ["JP"] * 2, "when": [LINE[2]] * 2,
                                       "value": pa.array([Decimal("0.005"), Decimal("1.500")], pa.decimal256(40, 3))}))
    assert table.column("error").to_pylist() == [None, None]
    assert table.column("duty").to_pylist() == [Decimal("0.00"), Decimal("0.15")]  # 10% of 1.5


def test_a_map_content_column_names_its_type_not_an_option(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    content = pa.array([[("steel", "400")]], pa.map_(pa.string(), pa.string()))
    pq.write_table(pa.table({"hts": [LINE[0]], "origin": ["JP"], "when": [LINE[2]], "content": content}),
                   tmp_path / "in.parquet")
    done = _cli("batch", str(tmp_path / "in.parquet"), "-")
    assert done.returncode == 1 and "--content" not in done.stderr
    assert "map<string, string>" in done.stderr and "steel=1200" in done.stderr

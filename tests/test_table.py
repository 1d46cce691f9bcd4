"""Columnar batches: RuleSet.resolve_table and the batch command reading CSV or Parquet through it."""

from __future__ import annotations

import csv
import datetime as _dt
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules
from tariffrules.cli import main
from tariffrules.tabular import resolve_rows

pa = pytest.importorskip("pyarrow", reason="the arrow extra is not installed: pip install 'tariffrules[arrow]'")
from tariffrules.table import DUTY_TYPE, resolve_batches, resolve_table, text_batch  # noqa: E402

TOY = str(Path(__file__).parent / "rules" / "toy")

ROWS = [
    {"hts": "8703.23.01", "origin": "JP", "when": "2025-04-15", "value": "1000", "content": "", "usmca": ""},
    {"hts": "8703", "origin": "JP", "when": "2025-04-15", "value": "", "content": "", "usmca": ""},  # bad code
    {"hts": "7308.10.00", "origin": "JP", "when": "2025-04-09", "value": "1000", "content": "steel=300",
     "usmca": ""},
    {"hts": "8525.89.30", "origin": "CA", "when": "2025-04-15", "value": "", "content": "", "usmca": "maybe"},
    {"hts": "8525.89.30", "origin": "CA", "when": "2025-04-15", "value": "", "content": "", "usmca": "yes"},
    {"hts": "8703.23.01", "origin": "JP", "when": "2025-04-16", "value": "1234.5", "content": "", "usmca": ""},
]


def _texts(table):
    return pa.Table.from_batches([text_batch(b) for b in table.to_batches()]).to_pylist()


def test_one_row_per_input_row_in_order_with_typed_result_columns(toy):
    table = resolve_table(toy, pa.Table.from_pylist(ROWS))
    assert table.column_names == list(ROWS[0]) + ["headings", "levies", "rate", "duty", "assumed", "error"]
    assert table.schema.field("duty").type == DUTY_TYPE
    for name in ("headings", "levies", "rate", "assumed", "error"):
        assert pa.types.is_dictionary(table.schema.field(name).type)
    rows = table.to_pylist()
    assert [r["hts"] for r in rows] == [r["hts"] for r in ROWS]
    # worked by hand: 25% autos duty on 1000 is 250.00; on 1234.5 it is 308.625, half up 308.63
    # autos under the sectoral duty are exempt from the reciprocal duty, reported on 9903.01.33 at 0% before the
    # sectoral heading (toy exemptions.toml, toy.exempt.autos, "Toy Order 1 sec. 3(b)")
    assert rows[0]["headings"] == "9903.01.33 9903.94.01" and rows[0]["rate"] == "25"
    assert rows[0]["duty"] == Decimal("250.00")
    assert rows[5]["duty"] == Decimal("308.63")
    assert rows[2]["rate"] == "24.3" and rows[2]["duty"] == Decimal("243.00")  # as test_cli's batch case
    assert rows[1]["error"].startswith("InvalidCodeError") and rows[1]["headings"] is None
    assert rows[1]["rate"] is None and rows[1]["duty"] is None
    assert rows[3]["error"].startswith("InvalidFactError") and "usmca" in rows[3]["error"]
    assert rows[4]["headings"] == "" and rows[4]["rate"] == "0" and rows[4]["duty"] is None
    assert _texts(table) == list(resolve_rows(toy, ROWS))


def test_half_a_cent_rounds_up(toy):
    # 25% of 0.02 is 0.005: half up gives 0.01 (rates.round_money), half to even would give 0.00
    table = resolve_table(toy, pa.table({"hts": ["8703.23.01"] * 2, "origin": ["JP"] * 2,
                                         "when": ["2025-04-15"] * 2, "value": ["0.02", "0.06"]}))
    assert table.column("duty").to_pylist() == [Decimal("0.01"), Decimal("0.02")]


def test_codes_of_one_memo_key_keep_their_own_general_rate(us):
    # EU 15% all-in less the general rate (EO 14326): 6.5% gives 8.5, 5.3% gives 9.7; 2001.90.42 has a specific
    # general rate (4.9 cents/kg, HTSUS 2025 Revision 32), so the all-in rate cannot be computed
    assert us.mfn["39011010"] == Decimal("6.5") and us.mfn["39269099"] == Decimal("5.3")
    rows = [{"hts": code, "origin": "DE", "when": "2025-09-02", "value": "1000"}
            for code in ("39011010", "39269099", "39011010", "20019042")]
    table = resolve_table(us, pa.Table.from_pylist(rows))
    assert table.column("rate").to_pylist()[:3] == ["8.5", "9.7", "8.5"]
    assert table.column("duty").to_pylist()[:3] == [Decimal("85.00"), Decimal("97.00"), Decimal("85.00")]
    assert table.column("error").to_pylist()[3].startswith("MissingFactError")  # a specific general rate
    assert _texts(table) == list(resolve_rows(us, rows))


def test_typed_columns_and_frames_read_like_text(toy):
    pd = pytest.importorskip("pandas")
    text = pa.Table.from_pylist(ROWS)
    typed = pa.table({
        "hts": pa.array([r["hts"] for r in ROWS]).dictionary_encode(),
        "origin": [r["origin"] for r in ROWS],
        "when": pa.array([_dt.date.fromisoformat(r["when"]) for r in ROWS], pa.date32()),
        "value": pa.array([Decimal(r["value"]) if r["value"] else None for r in ROWS], pa.decimal128(12, 2)),
        "content": [r["content"] for r in ROWS],
        "usmca": [r["usmca"] for r in ROWS],
    })
    expected = resolve_table(toy, text)
    got = resolve_table(toy, typed)
    for name in ("headings", "levies", "rate", "duty", "assumed", "error"):
        assert got.column(name).to_pylist() == expected.column(name).to_pylist()
    from_pandas = resolve_table(toy, pd.DataFrame(ROWS))
    assert from_pandas.column("error").to_pylist() == expected.column("error").to_pylist()


def test_float_and_naive_timestamp_columns_are_typed_errors(toy):
    with pytest.raises(tariffrules.InvalidFactError, match="value"):
        resolve_table(toy, pa.table({"hts": ["8703.23.01"], "origin": ["JP"], "when": ["2025-04-15"],
                                     "value": [1000.0]}))
    with pytest.raises(tariffrules.InvalidInstantError, match="when"):
        resolve_table(toy, pa.table({"hts": ["8703.23.01"], "origin": ["JP"],
                                     "when": pa.array([_dt.datetime(2025, 4, 15)], pa.timestamp("us"))}))
    with pytest.raises(tariffrules.QueryError, match="table"):
        resolve_table(toy, [{"hts": "8703.23.01"}])


def test_chunks_give_the_same_rows_and_report_progress(toy):
    rows = ROWS * 7
    done = []
    small = resolve_table(toy, pa.Table.from_pylist(rows), chunk_rows=4, progress=done.append)
    assert done == list(range(4, len(rows), 4)) + [len(rows)]
    assert _texts(small) == _texts(resolve_table(toy, pa.Table.from_pylist(rows)))


def test_an_empty_table_gives_an_empty_table_with_the_result_columns(toy):
    table = resolve_table(toy, pa.table({"hts": pa.array([], pa.string()), "origin": pa.array([], pa.string()),
                                         "when": pa.array([], pa.string())}))
    assert table.num_rows == 0 and table.column_names[-6:] == ["headings", "levies", "rate", "duty", "assumed",
                                                                      "error"]


def test_an_input_column_named_like_a_result_is_replaced(toy):
    rows = [dict(ROWS[0], error="old")]
    table = resolve_table(toy, pa.Table.from_pylist(rows))
    assert table.column_names.count("error") == 1 and table.column("error").to_pylist() == [None]


def test_streamed_batches_keep_memory_to_the_chunk(toy):
    pool = pa.default_memory_pool()
    batch = pa.RecordBatch.from_pylist(ROWS * 2_000)
    for out in resolve_batches(toy, [batch] * 3):  # warm: the pool's peak with one chunk in flight
        pass
    peak = pool.max_memory()
    for out in resolve_batches(toy, (batch for _ in range(30))):
        assert out.num_rows == batch.num_rows
    assert pool.max_memory() <= peak * 1.5


# -- the batch command -------------------------------------------------------------------------------------
def _write(path, rows):
    with open(path, "w", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _rows_path(toy, monkeypatch, source, target):
    """Run the batch command on the row-by-row reader."""
    import tariffrules.cli_batch as cli_batch

    monkeypatch.setattr(cli_batch, "_columnar", lambda args: None)
    assert main(["batch", str(source), str(target), "--rules", TOY]) == 0
    monkeypatch.undo()


def test_batch_writes_the_same_file_through_arrow_as_row_by_row(toy, tmp_path, monkeypatch):
    rows = [dict(r, note="a, \"quoted\" note" if n == 2 else "") for n, r in enumerate(ROWS * 3)]
    source = tmp_path / "in.csv"
    _write(source, rows)
    _rows_path(toy, monkeypatch, source, tmp_path / "rows.csv")
    assert main(["batch", str(source), str(tmp_path / "arrow.csv"), "--rules", TOY]) == 0
    assert (tmp_path / "arrow.csv").read_bytes() == (tmp_path / "rows.csv").read_bytes()
    assert b"9903.94.01" in (tmp_path / "arrow.csv").read_bytes() and b'"a, ""quoted"" note"' in (tmp_path / "arrow.csv").read_bytes()


def test_batch_reads_and_writes_parquet(toy, tmp_path, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), source)
    _write(tmp_path / "in.csv", ROWS)
    _rows_path(toy, monkeypatch, tmp_path / "in.csv", tmp_path / "rows.csv")
    assert main(["batch", str(source), str(tmp_path / "out.csv"), "--rules", TOY]) == 0
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "rows.csv").read_bytes()
    assert main(["batch", str(source), str(tmp_path / "out.parquet"), "--rules", TOY]) == 0
    written = pq.read_table(tmp_path / "out.parquet")
    assert written.schema.field("duty").type == DUTY_TYPE
    assert written.column("duty").to_pylist()[0] == Decimal("250.00")


def test_batch_reads_a_ragged_csv_row_by_row(toy, tmp_path, monkeypatch):
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,when,value\n8703.23.01,JP,2025-04-15,1000\n8703.23.01,JP\n")
    assert main(["batch", str(source), str(tmp_path / "out.csv"), "--rules", TOY]) == 0
    rows = list(csv.DictReader(open(tmp_path / "out.csv", newline="")))
    # the row reader keeps a short row in place with its error (tariffrules.csv_input)
    assert len(rows) == 2 and rows[0]["duty"] == "250.00" and rows[1]["error"].startswith("BatchRowError")
    assert "has 2 cells, the header 4" in rows[1]["error"]


def test_batch_lines_through_arrow_writes_the_same_file_as_row_by_row(toy, tmp_path, monkeypatch):
    # entry lines (issue 16, item 2): a steel article splits into its steel content and the rest, a bad code
    # keeps one row with its error, and the row numbers run over chunks
    source = tmp_path / "in.csv"
    _write(source, ROWS * 3)
    import tariffrules.cli_batch as cli_batch

    monkeypatch.setattr(cli_batch, "_columnar", lambda args: None)
    assert main(["batch", str(source), str(tmp_path / "rows.csv"), "--rules", TOY, "--lines"]) == 0
    monkeypatch.undo()
    assert main(["batch", str(source), str(tmp_path / "arrow.csv"), "--rules", TOY, "--lines", "--columnar"]) == 0
    written = (tmp_path / "arrow.csv").read_bytes()
    assert written == (tmp_path / "rows.csv").read_bytes()
    rows = list(csv.DictReader(written.decode().splitlines()))
    steel = [r for r in rows if r["row"] == "3"]
    # toy rules: 7308.10.00 from JP on 2025-04-09 with steel=300 of 1000: a steel content line and the rest
    assert [r["slice"] for r in steel] == ["value less steel content", "steel content"] \
        or [r["slice"] for r in steel] == ["steel content", "value less steel content"]
    assert sorted(r["line_value"] for r in steel) == ["300", "700"]
    assert [r["row"] for r in rows if r["hts"] == "8703"] == ["2", "8", "14"]


def test_lines_column_equals_each_resolutions_lines(toy):
    table = resolve_table(toy, pa.Table.from_pylist(ROWS), lines=True, chunk_rows=4)
    results = list(toy.resolve_many([(r["hts"], r["origin"], r["when"], {k: v for k, v in
                                      (("value", r["value"]),) if v}) for r in ROWS]))
    for cells, row, result in zip(table.column("lines").to_pylist(), ROWS, results):
        if row["content"] or row["usmca"]:
            continue  # lines given facts beyond the value: compared through the batch files above
        if isinstance(result, tariffrules.TariffRulesError):
            assert cells == []
        else:
            assert [c["line_value"] for c in cells] == [str(line.value) if line.value is not None else ""
                                                        for line in result.lines]
            assert [c["numbers"].split()[-1] for c in cells] == [line.code for line in result.lines]


def test_batch_lines_keeps_an_input_column_named_lines(toy, tmp_path, monkeypatch):
    source = tmp_path / "in.csv"
    _write(source, [dict(r, lines="note") for r in ROWS])
    import tariffrules.cli_batch as cli_batch

    monkeypatch.setattr(cli_batch, "_columnar", lambda args: None)
    assert main(["batch", str(source), str(tmp_path / "rows.csv"), "--rules", TOY, "--lines"]) == 0
    monkeypatch.undo()
    assert main(["batch", str(source), str(tmp_path / "arrow.csv"), "--rules", TOY, "--lines", "--columnar"]) == 0
    assert (tmp_path / "arrow.csv").read_bytes() == (tmp_path / "rows.csv").read_bytes()
    assert all(r["lines"] == "note" for r in csv.DictReader((tmp_path / "arrow.csv").open()))


def test_rows_failing_on_different_empty_cells_keep_their_own_errors(toy):
    """An empty code and an empty origin read alike as text: the group of a failed row must still know which cell
    failed (found by the equivalence property: a later batch reported a missing code for a missing origin)."""
    rows = [{"hts": "", "origin": "CN", "when": "2025-08-26"},
            {"hts": "8703.23.01", "origin": "", "when": "2025-08-26"},
            {"hts": "8703.23.01", "origin": "CN", "when": ""}]
    for _ in range(2):  # the second batch starts from the groups the first one kept
        errors = resolve_table(toy, pa.Table.from_pylist(rows)).column("error").to_pylist()
        expected = [row["error"] for row in resolve_rows(toy, rows)]
        assert errors == expected
        assert [e.split(":")[0] for e in errors] == ["InvalidCodeError", "UnknownCountryError", "InvalidInstantError"]


def test_rows_of_a_split_code_are_grouped_and_answer_as_resolve_many(us, monkeypatch):
    # 2930.90.92 and 8501.51.40 are 8-digit codes whose 10-digit lines the US rules treat differently
    # (tariffrules.schedule.SplitCode); each answers per query when its lines agree. 8706.00.05 from CN on
    # 2026-03-02 does not: an AmbiguousCodeError naming the row's own origin and entry date, so those rows
    # are answered one by one and keep their own dates.
    assert {"29309092", "85015140", "87060005"} <= set(us.reader.split)
    rows = [{"hts": code, "origin": origin, "when": f"2025-06-0{day}", "value": f"{1000 + 137 * k}.5"}
            for code in ("29309092", "85015140") for origin in ("CN", "MX") for day in (2, 3) for k in range(3)]
    rows += [{"hts": "87060005", "origin": "CN", "when": when, "value": "1000"}
             for when in ("2026-03-02", "2026-03-03")]
    resolved = []
    many = type(us).resolve_many

    def counting(self, lines, **options):
        lines = list(lines)
        resolved.extend(lines)
        return many(self, lines, **options)

    monkeypatch.setattr(type(us), "resolve_many", counting)
    table = resolve_table(us, pa.Table.from_pylist(rows))
    monkeypatch.undo()
    # before: every row of a split code was resolved on its own (26 lines); now one line per group (code,
    # origin, epoch: 4), and the ambiguous rows one by one after their group's sample (3)
    assert len(resolved) <= 7, [(r.get("hts"), r.get("origin"), r.get("when")) for r in resolved]
    errors = table.column("error").to_pylist()
    assert errors[:24] == [None] * 24
    assert "2026-03-02" in errors[24] and "2026-03-03" in errors[25]
    assert _texts(table) == list(resolve_rows(us, rows))


@pytest.mark.parametrize("cell", ["0", "7", "40", "40.0", "40.00", "40.000", "400.000", "4000.000", "1.2345",
                                  "1.23456", "12345678901234", "123456789012345", "12345678901234.5678", ".5",
                                  "5.", " 5", "5 ", "-5", "+5", "1e3", "1,000", "40.000,00", "", "a", "1.2.3",
                                  "0040.000", "999.999", "1000.001"])
def test_clear_amount_is_plain_and_not_dot_thousands(cell):
    """The one regular expression of the array path's common case accepts exactly the cells the two tests
    accept (a plain amount, not DOT_THOUSANDS), as Arrow's regular expressions read them."""
    import pyarrow.compute as pc

    from tariffrules.table import _CLEAR_AMOUNT, _PLAIN_VALUE
    from tariffrules.tabular import DOT_THOUSANDS

    cells = pa.array([cell])
    expected = pc.match_substring_regex(cells, _PLAIN_VALUE)[0].as_py() \
        and not pc.match_substring_regex(cells, DOT_THOUSANDS.pattern)[0].as_py()
    assert pc.match_substring_regex(cells, _CLEAR_AMOUNT)[0].as_py() == expected


def test_errors_of_a_split_codes_rows_are_memoised_by_group_origin_and_entry(us, monkeypatch):
    # rows of 8706.00.05 from CN on 2026-03-02 end in an AmbiguousCodeError naming the origin and entry date:
    # rows of one group with the same origin and entry cells are resolved once, in this batch and the next;
    # another entry date is resolved on its own and keeps its own date; answers equal resolve_many's
    rows = [{"hts": "87060005", "origin": origin, "when": when, "value": value}
            for when in ("2026-03-02", "2026-03-03") for origin in ("CN", "cn") for value in ("1000", "1200.5")]
    resolved = []
    many = type(us).resolve_many

    def counting(self, lines, **options):
        lines = list(lines)
        resolved.extend(lines)
        return many(self, lines, **options)

    expected = list(resolve_rows(us, rows))
    monkeypatch.setattr(type(us), "resolve_many", counting)
    first = resolve_table(us, pa.Table.from_pylist(rows))
    once = len(resolved)
    again = resolve_table(us, pa.Table.from_pylist(rows))
    monkeypatch.undo()
    assert _texts(first) == expected and _texts(again) == expected
    errors = first.column("error").to_pylist()
    assert all("AmbiguousCodeError" in e for e in errors)
    assert all("2026-03-02" in e for e in errors[:4]) and all("2026-03-03" in e for e in errors[4:])
    # at most: one sample per group, and one row per (group, origin cell, entry cell): 2 x 2 x 2; none again
    assert once <= 2 + 4 < len(rows) + 2, once
    assert len(resolved) == once

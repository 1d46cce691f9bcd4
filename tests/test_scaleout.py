"""Dask scale-out: partitions of a CSV or Parquet file give the same rows as one process."""

from __future__ import annotations

import csv

import pytest

from tariffrules.tabular import resolve_rows

dd = pytest.importorskip("dask.dataframe", reason="the dask extra is not installed: pip install 'tariffrules[dask]'")
import dask  # noqa: E402
import pandas as pd  # noqa: E402

from tariffrules.scaleout import resolve_csv, resolve_parquet  # noqa: E402

ROWS = [
    {"hts": "8525.89.30", "origin": "JP", "when": "2025-04-16", "value": "1000", "usmca": ""},
    {"hts": "8703.23.01", "origin": "CA", "when": "2025-05-10", "value": "30000", "usmca": "true"},
    {"hts": "bad", "origin": "JP", "when": "2025-04-16", "value": "", "usmca": ""},
    {"hts": "7208.51.00", "origin": "DE", "when": "2025-06-10", "value": "500", "usmca": ""},
    {"hts": "9401.61.40", "origin": "XX", "when": "2025-06-10", "value": "", "usmca": ""},
    {"hts": "8525.89.30", "origin": "CN", "when": "2026-03-02", "value": "80", "usmca": "no"},
] * 5


def _expected(rules):
    return [{k: str(v) for k, v in row.items()} for row in resolve_rows(rules, [dict(r) for r in ROWS])]


def _records(frame):
    return [{k: str(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def test_csv_partitions_match_one_process(tmp_path, toy):
    path = tmp_path / "entries.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    with dask.config.set(scheduler="synchronous"):
        frame = resolve_csv(str(path), toy, blocksize=200).compute()
    assert _records(frame) == _expected(toy)
    assert sum(1 for row in _records(frame) if row["error"]) == 10  # bad code and unknown country, kept


def test_parquet_partitions_match_one_process(tmp_path, toy):
    pytest.importorskip("pyarrow", reason="Parquet needs pyarrow")
    path = tmp_path / "entries.parquet"
    pd.DataFrame(ROWS).to_parquet(path)
    with dask.config.set(scheduler="synchronous"):
        frame = resolve_parquet(str(path), toy).compute()
    assert _records(frame) == _expected(toy)

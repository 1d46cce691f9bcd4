"""Files of entry lines through Arrow: CSV or Parquet in, chunk by chunk, and CSV or Parquet out.

Used by ``tariffrules batch`` when pyarrow is installed. A CSV is read with
every column as text, exactly the cells :mod:`tariffrules.tabular` reads,
and written as the row-by-row writer writes it (minimal quoting, ``\\n``
line ends, empty cells for nulls), so the output does not depend on which
reader ran. Memory is bounded by the chunk: ``BLOCK_BYTES`` of CSV, or one
Parquet row group, at a time.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from .table import text_batch

__all__ = ["is_parquet", "read_csv_batches", "read_parquet_batches", "CsvSink", "ParquetSink", "BLOCK_BYTES"]

#: bytes of CSV per chunk (about 100,000 entry lines)
BLOCK_BYTES = 8 << 20
#: rows per chunk of a Parquet file
PARQUET_ROWS = 131_072
_NEEDS_QUOTES = r'[",\r\n]'


def is_parquet(name: str) -> bool:
    """True for a file named ``*.parquet`` or ``*.pq``, or one that starts with Parquet's magic bytes."""
    if name == "-":
        return False
    if Path(name).suffix.lower() in (".parquet", ".pq"):
        return True
    try:
        with open(name, "rb") as stream:
            return stream.read(4) == b"PAR1"
    except OSError:
        return False


def read_csv_batches(source: str | IO[bytes], header: list[str]) -> Iterator[pa.RecordBatch]:
    """The data rows of a CSV whose header row is ``header`` (already read), every cell as text.

    Raises ``pyarrow.ArrowInvalid`` for a row with more or fewer cells than
    the header (the caller falls back to the row-by-row reader).
    """
    reader = pcsv.open_csv(
        source,
        read_options=pcsv.ReadOptions(column_names=header, skip_rows=1, block_size=BLOCK_BYTES),
        convert_options=pcsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                            strings_can_be_null=False, quoted_strings_can_be_null=False))
    for batch in reader:
        yield batch


def read_parquet_batches(path: str) -> tuple[list[str], Iterator[pa.RecordBatch]]:
    """The column names of a Parquet file and its rows in chunks."""
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    return list(handle.schema_arrow.names), handle.iter_batches(batch_size=PARQUET_ROWS)


class CsvSink:
    """Writes resolved batches as CSV text with the given columns, in order."""

    def __init__(self, stream: IO[bytes], columns: list[str]) -> None:
        self.stream = stream
        self.columns = columns
        self._line(columns)

    def _line(self, cells: list[str]) -> None:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(cells)
        self.stream.write(text.getvalue().encode("utf-8"))

    def write(self, batch: pa.RecordBatch) -> None:
        texts = text_batch(batch)
        texts = pa.RecordBatch.from_arrays([texts.column(texts.schema.get_field_index(c)) for c in self.columns],
                                           names=self.columns)
        if any(pc.any(pc.match_substring_regex(column, _NEEDS_QUOTES)).as_py() for column in texts.columns):
            text = io.StringIO()  # cells that need quotes: the csv module quotes exactly as the row writer does
            csv.writer(text, lineterminator="\n").writerows(zip(*(c.to_pylist() for c in texts.columns)))
            self.stream.write(text.getvalue().encode("utf-8"))
            return
        pcsv.write_csv(texts, self.stream, pcsv.WriteOptions(include_header=False, quoting_style="none"))

    def close(self) -> None:
        self.stream.flush()


class ParquetSink:
    """Writes resolved batches to a Parquet file (typed: dictionary strings, decimal duty)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.writer = None

    def write(self, batch: pa.RecordBatch) -> None:
        import pyarrow.parquet as pq

        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, batch.schema)
        self.writer.write_batch(batch)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

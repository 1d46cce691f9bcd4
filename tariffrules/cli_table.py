"""The ``batch`` command through Arrow: CSV or Parquet in, chunk by chunk, through :meth:`RuleSet.resolve_table`.

Imported only when pyarrow is installed (:mod:`tariffrules.cli_batch` falls
back to the row-by-row reader otherwise, and for standard input). The
output is the same file the row-by-row reader writes: every input column,
then headings, levies, rate, duty, assumed, error (with ``--lines``, one row per
entry line with the entry-line columns, as the row-by-row writer writes them);
``OUT`` ending in ``.parquet`` is written as Parquet with typed columns.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import shutil
import sys
import tempfile
from typing import Any, Callable

import pyarrow as pa

from .cli_output import Output
from .errors import QueryError
from .ruleset import RuleSet
from .table import explode_lines, resolve_batches
from .table_columns import LateAsOf
from .table_io import CsvSink, ParquetSink, is_parquet, read_csv_batches, read_parquet_batches
from .tabular import LINE_COLUMNS, RESULT_COLUMNS

__all__ = ["run_columnar"]


def run_columnar(args: argparse.Namespace, err: Output, rules: RuleSet,
                 check_header: Callable[..., None], count_lines: Callable[[str], int | None]) -> tuple[int, int] | None:
    """Resolve ``args.input`` into ``args.output``; (rows written, rows with an error).

    ``None`` when the CSV has a row with more or fewer cells than its header
    (or another line Arrow cannot parse): the caller then runs the row-by-row
    reader, which keeps such rows with their error and rewrites the output (standard output is spooled
    until the end, so nothing of the Arrow run reaches it);
    ``None`` too, before writing anything, for ``--lines`` on input with a
    column named ``lines``.
    """
    if is_parquet(args.input):
        header, batches = read_parquet_batches(args.input)
        total = None
    else:
        with open(args.input, "rb") as stream:  # the header line alone: a later byte that is not UTF-8 is its row's
            first = stream.readline().removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace").rstrip("\r\n")
        header = next(csv.reader([first]), [])
        batches = read_csv_batches(args.input, header)
        total = count_lines(args.input) if err.fancy else None
    check_header(args, err, rules, header)
    if args.lines and "lines" in header:  # the columnar lines column would replace it: the row reader keeps it
        if is_parquet(args.input):
            raise QueryError("IN", args.input, "has a column named lines, which --lines through Arrow replaces",
                             "another name for that column, or a CSV file")
        return None
    columns = header + [c for c in RESULT_COLUMNS if c not in header] + (list(LINE_COLUMNS) if args.lines else [])
    written = failed = rows = 0
    args.late_as_of = late = LateAsOf(rules)
    try:
        with _sink(args.output, columns) as sink, err.progress(total, "resolving rows") as update:
            for batch in resolve_batches(rules, batches, allow_stale=args.allow_stale, progress=update,
                                         lines=args.lines):
                failed += batch.num_rows - batch.column("error").null_count
                count = batch.num_rows
                if "as_of" in header:  # a row answered as known after the review day: warned of, as resolve does
                    errors = batch.column("error").is_valid().to_pylist()
                    for i, (cell, bad) in enumerate(zip(batch.column("as_of").to_pylist(), errors)):
                        late.add(rows + i + 1, cell, bad)
                if args.lines:  # one row per entry line, keyed by the input row's number
                    batch = explode_lines(batch, rows + 1)
                rows += count
                sink.write(batch)
                written += batch.num_rows
    except (pa.ArrowInvalid, UnicodeDecodeError):  # nothing reached standard output yet (it is spooled), and a
        # file OUT is rewritten: the row reader starts over and keeps such rows in place with their error
        return None
    return written, failed


@contextlib.contextmanager
def _sink(name: str, columns: list[str]) -> Any:
    if name.lower().endswith((".parquet", ".pq")):
        sink = ParquetSink(name)
        try:
            yield sink
        finally:
            sink.close()
        return
    if name == "-":  # spooled, so that a row Arrow cannot read leaves standard output untouched for the row reader
        with tempfile.SpooledTemporaryFile(max_size=64 << 20) as spool:
            sink = CsvSink(spool, columns)
            yield sink
            sink.close()
            spool.seek(0)
            binary = getattr(sys.stdout, "buffer", None)  # a text stream without one (a test's StringIO) gets text
            if binary is None:
                sys.stdout.write(spool.read().decode("utf-8"))
            else:
                sys.stdout.flush()
                shutil.copyfileobj(spool, binary)
                binary.flush()
        return
    with open(name, "wb") as stream:
        sink = CsvSink(stream, columns)
        yield sink
        sink.close()

"""The ``batch`` command: a CSV of entry lines in, the same rows with their levies out.

The meaning of each column is :mod:`tariffrules.tabular`'s, shared with the
Dask scale-out; this module only moves rows between files, so a CSV gives
the same answers whichever way it is run. No row is dropped: a row that
fails keeps its place and says why in the ``error`` column.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator

from .cli_args import add_command, add_rules_option
from .cli_output import Output
from .csv_input import EXTRA_COLUMN, BatchFileError, TableRow, columnar_refusal, read_table, unread_columns
from .errors import QueryError, TariffRulesError, quote
from .table_columns import LateAsOf, read_and_lookalike
from .ruleset import RuleSet
from .tabular import INPUT_COLUMNS, LINE_COLUMNS, RESULT_COLUMNS, Failed, line_from_row, row_from_result, rows_per_line

__all__ = ["add_batch", "REQUIRED_COLUMNS", "KNOWN_COLUMNS"]

REQUIRED_COLUMNS = ("hts", "origin", "when")
#: Columns every rule set reads (see tariffrules.tabular); a declared fact's name is read too.
KNOWN_COLUMNS = INPUT_COLUMNS
#: Rows between two updates of the progress bar.
PROGRESS_EVERY = 500

BATCH_EPILOG = """\
examples:
  tariffrules batch entries.csv rated.csv
  tariffrules batch entries.csv - --allow-stale | less     # '-' is standard input/output
  tariffrules batch entries.csv rated.csv --strict         # exit 1 if any row failed

input columns (header row required, names in any case and spacing; separator comma,
semicolon or tab, sniffed; only hts, origin, when are required; empty cell = not given):
  hts, origin, when, value, mfn, loaded, as_of, content (steel=1200;aluminum=300),
  and one column per fact the rule set declares (listed below; yes/no facts: yes/no, Y/N,
  true/false or 1/0). A column whose name holds a fact's or input column's name as a word
  ('USMCA claim') is an error unless --keep-column names it; other columns are copied unread.
output (comma-separated): every input column, then headings, levies, rate, duty, assumed,
error, one row per input row, in input order (a result column an input column already
names is written tariffrules_NAME). A failed row, a blank line, a row with too many or
too few cells or with bytes that are not UTF-8 keeps its place with its message in
error. A progress bar is shown on stderr when it is a terminal.
With --lines: one row per entry summary line instead (a value split into steel
content and the rest gives two), keyed by row (the input row's number) and line,
with slice, line_value, numbers (chapter 99 headings, then the chapter 1-97
number), rates, duties (one per number) and line_duty; a failed row gives one
row with its error.
"""


def add_batch(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, parents, "batch", epilog=BATCH_EPILOG,
        summary="resolve every row of a CSV file into another CSV file",
        description="Resolve every row of the CSV file IN and write one row per input row to OUT.")
    parser.add_argument("input", metavar="IN", help="input CSV or Parquet file ('-' for standard input, CSV)")
    parser.add_argument("output", metavar="OUT", help="output CSV file ('-' for standard output); "
                                                      "an OUT ending in .parquet or .pq (any case) is written as "
                                                      "Parquet through Arrow (needs pyarrow and, for CSV, a file "
                                                      "--columnar reads; otherwise an error)")
    add_rules_option(parser)
    parser.add_argument("--allow-stale", action="store_true",
                        help="accept entry dates after the rule set's review date")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when any row has an error")
    parser.add_argument("--columnar", action="store_true",
                        help="read a well-formed UTF-8 comma-separated CSV through Arrow, chunk by chunk (faster; "
                             "needs pyarrow; Parquet input always goes this way)")
    parser.add_argument("--keep-column", action="append", default=[], metavar="NAME",
                        help="copy column NAME to the output unread although its name holds the name of a fact or "
                             "input column (e.g. 'USMCA claim'); without it such a column is an error (repeatable)")
    parser.add_argument("--lines", action="store_true",
                        help="one output row per entry summary line of each input row, keyed by the input row's "
                             "number (columns row, line, slice, line_value, numbers, rates, duties, line_duty)")
    parser.set_defaults(run=run_batch, parser=parser, lists_facts=True)


@contextlib.contextmanager
def _opened(name: str, mode: str) -> Iterator[IO[str]]:
    if name == "-":
        stream = sys.stdin if mode == "r" else sys.stdout
        yield stream
        return
    # utf-8-sig reads files saved by spreadsheet programs (with a byte-order mark) and plain UTF-8 alike
    with open(name, mode, newline="", encoding="utf-8-sig" if mode == "r" else "utf-8") as stream:
        yield stream


def _source(name: str) -> IO[bytes]:
    """The input as a seekable binary file (standard input is spooled: it is read twice)."""
    if name != "-":
        return open(name, "rb")
    spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)
    shutil.copyfileobj(sys.stdin.buffer, spool)
    spool.seek(0)
    return spool


def _survey(source: IO[bytes], known: tuple[str, ...], name: str) -> tuple[int, bool]:
    """Rows in the file and whether any has more cells than the header (a first pass; cheap next to rating)."""
    count = extra = 0
    for row in read_table(source, REQUIRED_COLUMNS, known, name).rows:
        count += 1
        extra = extra or EXTRA_COLUMN in row.cells
    source.seek(0)
    return count, bool(extra)


def _count_lines(name: str) -> int | None:
    """Data lines in the file (newlines less the header), for the progress bar; ``None`` for standard input."""
    if name == "-":
        return None
    count = 0
    with open(name, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            count += chunk.count(b"\n")
    return max(count - 1, 0)


def _check_paths(args: argparse.Namespace) -> None:
    if args.input != "-" and args.output != "-" and Path(args.output).exists() and Path(args.input).exists() \
            and Path(args.input).samefile(args.output):  # same path, symlink or hard link
        raise QueryError("OUT", args.output, "is the input file; writing would destroy it", "another file name")


def require_columns(reader: csv.DictReader, name: str, required: tuple[str, ...], command: str) -> list[str]:
    """The header row of a CSV input; :class:`QueryError` naming the required columns it lacks."""
    header = list(reader.fieldnames or [])
    _refuse_missing(header, name, required, command)
    return header


def _refuse_missing(header: list[str], name: str, required: tuple[str, ...], command: str) -> None:
    if not any(str(cell).strip() for cell in header):  # as the row reader says of an empty file
        raise BatchFileError(name, None, "is empty", "a header row naming at least " + ", ".join(required))
    missing = [c for c in required if c not in header]
    if missing:
        raise QueryError("IN", name, f"has no column {', '.join(missing)} in its header row "
                         f"({','.join(map(str, header))})",
                         f"a header row naming at least {', '.join(required)} (see `tariffrules {command} --help`)")


def _check_header(args: argparse.Namespace, err: Output, rules: RuleSet, header: list[str]) -> None:
    """Refuse a header without the required columns or with a column that looks like one read (see
    :func:`tariffrules.csv_input.unread_columns`); note the columns no rule reads (the columnar reader reads
    header names as written)."""
    _refuse_missing(header, args.input, REQUIRED_COLUMNS, "batch")
    _note_unread(args, err, rules, header, header)


def _note_unread(args: argparse.Namespace, err: Output, rules: RuleSet, header: Any, columns: Any) -> None:
    """Refuse a column that looks like a read one unless kept; name the columns copied unread on stderr."""
    read, lookalikes = read_and_lookalike(rules)
    unread = unread_columns(header, columns, read, lookalikes, args.keep_column, "IN")
    if unread:
        err.line(f"tariffrules batch: note: column(s) {', '.join(quote(c) for c in unread)} are not facts of rule "
                 f"set {rules.info.name} nor input columns; they are copied to the output unread")


def _columnar(args: argparse.Namespace):
    """The columnar runner (tariffrules.cli_table) for a Parquet input, or a CSV file with ``--columnar``.

    Other CSV input goes through the row reader of :mod:`tariffrules.csv_input`, which sniffs the
    separator and keeps blank, short, long and undecodable rows in place with their error; the
    Arrow CSV reader expects a well-formed UTF-8 comma-separated file.
    """
    parquet = args.input.lower().endswith(".parquet")
    if args.input == "-":
        args.row_reason = "is standard input"
        return None
    if not (parquet or args.columnar or _parquet_out(args)):  # an OUT.parquet is written by the columnar runner
        return None
    reason = None if parquet else columnar_refusal(args.input)
    if reason is not None:  # the row reader reads it as documented; Arrow would read it otherwise
        args.row_reason = reason
        reader = "--columnar" if args.columnar or parquet else "Arrow (for a Parquet OUT)"
        sys.stderr.write(f"tariffrules batch: note: IN {reason}; {reader} reads a plain comma-separated file, "
                         "so it is read row by row\n")
        return None
    try:
        from .cli_table import run_columnar
    except ImportError:  # pyarrow is an optional extra: the row-by-row reader needs nothing
        if parquet:
            raise QueryError("IN", args.input, "is a Parquet file, and reading Parquet needs pyarrow",
                             "pip install 'tariffrules[arrow]', or give a CSV file") from None
        args.row_reason = "is read without pyarrow (not installed)"
        return None
    return run_columnar


def _parquet_out(args: argparse.Namespace) -> bool:
    """Whether OUT names a Parquet file (``.parquet`` or ``.pq``, any case)."""
    return args.output.lower().endswith((".parquet", ".pq"))


def _refuse_csv_as_parquet(args: argparse.Namespace) -> None:
    """The row reader writes CSV only: never CSV text into a file named as Parquet."""
    if _parquet_out(args):
        reason = getattr(args, "row_reason", None) or "has rows Arrow cannot read as a plain CSV file"
        raise QueryError("OUT", args.output, f"names a Parquet file, but IN {reason}, so it is read row by row, "
                         "and that reader writes CSV only",
                         "OUT ending in .csv (or - for standard output), or IN saved as a plain comma-separated "
                         "UTF-8 file (with pyarrow installed) to have Parquet written")


def run_batch(args: argparse.Namespace, out: Output, rules: RuleSet, flags: dict) -> int:
    _check_paths(args)
    err = Output(sys.stderr, plain=args.plain)
    columnar = _columnar(args)
    if columnar is not None:
        counts = columnar(args, err, rules, _check_header, _count_lines)
        if counts is not None:
            written, failed = counts
            where = "standard output" if args.output == "-" else args.output
            sys.stderr.write(f"tariffrules batch: {written} row(s) written to {where}, {failed} with an error"
                             + (" (see the error column)" if failed else "") + "; read through Arrow\n")
            if getattr(args, "late_as_of", None) is not None and args.late_as_of.warning():
                sys.stderr.write(f"tariffrules batch: {args.late_as_of.warning()}\n")
            return 1 if failed and args.strict else 0
    _refuse_csv_as_parquet(args)
    facts = {spec.name: spec.type for spec in rules.info.facts}
    known = KNOWN_COLUMNS + tuple(sorted(facts))
    written = failed = 0
    with _source(args.input) as source:
        total, extra = _survey(source, known, "IN")
        table = read_table(source, REQUIRED_COLUMNS, known, "IN")
        _note_unread(args, err, rules, table.header, table.columns)
        if table.unnamed:
            err.line(f"tariffrules batch: note: {table.unnamed} empty header cell(s) at the end of the header row "
                     "are not columns (a spreadsheet's unused columns); their empty cells are dropped, a cell with "
                     f"text under them is kept in {EXTRA_COLUMN} with an error on its row")
        taken = set(table.header) | set(table.columns)
        added = RESULT_COLUMNS + (LINE_COLUMNS if args.lines else ())
        # result columns never overwrite an input column: a clash gets the prefix "tariffrules_"
        names = {c: (f"tariffrules_{c}" if c in taken else c) for c in added + (EXTRA_COLUMN,)}
        fieldnames = list(table.header) + ([names[EXTRA_COLUMN]] if extra else []) + [names[c] for c in added]
        rows = 0
        late = LateAsOf(rules)
        with _opened(args.output, "w") as target, err.progress(total if err.fancy else None,
                                                                "resolving rows") as update:
            writer = csv.DictWriter(target, fieldnames, lineterminator="\n")
            writer.writeheader()
            for row, result in _resolved(rules, table.rows, facts, args.allow_stale):
                rows += 1
                cells = {names[EXTRA_COLUMN] if k == EXTRA_COLUMN else k: v for k, v in row.cells.items()}
                produced = rows_per_line({}, rows, result) if args.lines else [row_from_result({}, result)]
                for out in produced:
                    writer.writerow({**cells, **{names[k]: v for k, v in out.items()}})
                    written += 1
                failed_row = isinstance(result, TariffRulesError) or bool(produced[0]["error"])
                failed += failed_row
                late.add(rows, row.fields.get("as_of"), failed_row)
                if rows % PROGRESS_EVERY == 0:
                    update(rows)
            update(rows)
    where = "standard output" if args.output == "-" else args.output
    line_rows = f" ({written} entry line rows)" if args.lines else ""
    sys.stderr.write(f"tariffrules batch: {rows} row(s){line_rows} written to {where}, {failed} with an error"
                     + (" (see the error column)" if failed else "")
                     + f"; input read as {table.separator_name}-separated, output comma-separated\n")
    if late.warning():
        sys.stderr.write(f"tariffrules batch: {late.warning()}\n")
    return 1 if failed and args.strict else 0


def _resolved(rules: RuleSet, rows: Iterator[TableRow], facts: dict[str, str],
              allow_stale: bool) -> Iterator[tuple[TableRow, Any]]:
    """Each row with its resolution or error, in order (a row that failed to read keeps its error)."""
    kept: list[TableRow] = []

    def lines() -> Iterator[Any]:
        for row in rows:
            kept.append(row)
            if row.error is not None:
                yield Failed(row.error)
                continue
            try:
                yield line_from_row(row.fields, facts)
            except TariffRulesError as error:
                yield Failed(error)

    for result in rules.resolve_many(lines(), allow_stale=allow_stale):
        yield kept.pop(0), result

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
import sys
from pathlib import Path
from typing import IO, Any, Iterator

from .cli_args import add_command, add_rules_option
from .cli_output import Output
from .errors import QueryError
from .ruleset import RuleSet
from .tabular import INPUT_COLUMNS, RESULT_COLUMNS, resolve_rows

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

input columns (header row required; only hts, origin, when are required; empty cell = not given):
  hts, origin, when, value, mfn, loaded, as_of, content (steel=1200;aluminum=300),
  and one column per fact the rule set declares (usmca: yes/no for the bundled US set)
output: every input column, then headings, levies, rate, duty, error, one row per
input row, in input order. A failed row has its message in error and the other
result columns empty. A progress bar is shown on stderr when it is a terminal.
"""


def add_batch(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, parents, "batch", epilog=BATCH_EPILOG,
        summary="resolve every row of a CSV file into another CSV file",
        description="Resolve every row of the CSV file IN and write one row per input row to OUT.")
    parser.add_argument("input", metavar="IN", help="input CSV file ('-' for standard input)")
    parser.add_argument("output", metavar="OUT", help="output CSV file ('-' for standard output)")
    add_rules_option(parser)
    parser.add_argument("--allow-stale", action="store_true",
                        help="accept entry dates after the rule set's review date")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when any row has an error")
    parser.set_defaults(run=run_batch, parser=parser)


@contextlib.contextmanager
def _opened(name: str, mode: str) -> Iterator[IO[str]]:
    if name == "-":
        stream = sys.stdin if mode == "r" else sys.stdout
        yield stream
        return
    # utf-8-sig reads files saved by spreadsheet programs (with a byte-order mark) and plain UTF-8 alike
    with open(name, mode, newline="", encoding="utf-8-sig" if mode == "r" else "utf-8") as stream:
        yield stream


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
    if args.input != "-" and args.output != "-" and Path(args.output).exists() \
            and Path(args.input).resolve() == Path(args.output).resolve():
        raise QueryError("OUT", args.output, "is the input file; writing would destroy it", "another file name")


def _check_header(args: argparse.Namespace, err: Output, rules: RuleSet, header: list[str]) -> None:
    """Refuse a header without the required columns; note the columns no rule reads."""
    declared = {spec.name for spec in rules.info.facts}
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise QueryError("IN", args.input, f"has no column {', '.join(missing)} in its header row {header}",
                         "a header row naming at least hts, origin and when (see `tariffrules batch --help`)")
    unread = [c for c in header if c not in KNOWN_COLUMNS and c not in declared and c not in RESULT_COLUMNS]
    if unread:
        err.line(f"tariffrules batch: note: column(s) {', '.join(unread)} are not facts of rule set "
                 f"{rules.info.name!r}; they are copied to the output unread")


def _columnar(args: argparse.Namespace):
    """The columnar runner (tariffrules.cli_table) when pyarrow is installed and the input is a file."""
    if args.input == "-" or getattr(args, "lines", False):  # one output row per entry line: row by row
        return None
    try:
        from .cli_table import run_columnar
    except ImportError:  # pyarrow is an optional extra: the row-by-row reader needs nothing
        return None
    return run_columnar


def run_batch(args: argparse.Namespace, out: Output, rules: RuleSet, flags: dict) -> int:
    _check_paths(args)
    err = Output(sys.stderr, plain=args.plain)
    counts = None
    columnar = _columnar(args)
    if columnar is not None:
        counts = columnar(args, err, rules, _check_header, _count_lines)
    written, failed = counts if counts is not None else _run_rows(args, err, rules)
    where = "standard output" if args.output == "-" else args.output
    sys.stderr.write(f"tariffrules batch: {written} row(s) written to {where}, {failed} with an error"
                     + (" (see the error column)" if failed else "") + "\n")
    return 1 if failed and args.strict else 0


def _run_rows(args: argparse.Namespace, err: Output, rules: RuleSet) -> tuple[int, int]:
    """The row-by-row reader and writer (the csv module): (rows written, rows with an error)."""
    written = failed = 0
    with _opened(args.input, "r") as source:
        reader = csv.DictReader(source)
        header = list(reader.fieldnames or [])
        _check_header(args, err, rules, header)
        total = _count_lines(args.input) if err.fancy else None
        with _opened(args.output, "w") as target, err.progress(total, "resolving rows") as update:
            writer = csv.DictWriter(target, header + [c for c in RESULT_COLUMNS if c not in header],
                                    extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            for row in resolve_rows(rules, reader, allow_stale=args.allow_stale):
                writer.writerow(row)
                written += 1
                failed += bool(row["error"])
                if written % PROGRESS_EVERY == 0:
                    update(written)
            update(written)
    return written, failed


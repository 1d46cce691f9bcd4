"""The ``refunds`` command: an importer's entry summary lines in, the refund report out.

Each output row is an input row followed by the report's columns
(:data:`tariffrules.refunds.REPORT_COLUMNS`); with ``--declarations DIR`` the
entries that go on a refund declaration are written there in the process's
file format. The meaning of every column is :mod:`tariffrules.refunds`'s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from .cli_args import add_command, add_rules_option
from .cli_batch import _check_paths, _opened
from .cli_output import Output
from .errors import QueryError
from .refunds import ENTRY_DATE, ENTRY_NUMBER, REPORT_COLUMNS, RefundLine, process_for, write_declarations
from .ruleset import RuleSet

__all__ = ["add_refunds", "summary"]

REQUIRED_COLUMNS = (ENTRY_NUMBER, ENTRY_DATE, "hts", "origin", "value", "declared")

REFUNDS_EPILOG = """\
examples:
  tariffrules refunds entries.csv report.csv --on 2026-05-01
  tariffrules refunds entries.csv - --on 2026-05-01 --declarations cape/   # also write the CAPE files

input columns (header row required; empty cell = not given):
  entry_number, line_number, entry_date, hts, origin, value, content, the rule set's facts (usmca),
  declared: the chapter 99 duty declared on the line, 9903.01.25=100.00;9903.88.03=250.00,
  and the refund process's entry facts: entry_type, liquidation_status, liquidation_date, protest,
  reconciliation, reconciliation_entry_filed, drawback, adcvd, surety_paid, value_on_ieepa_line
  (see docs/refunds.md); amounts may carry comma thousands separators (10,000.00)
output: every input column, then declared_total, owed_total, difference (owed - declared), held_not_owed,
  other_difference, headings_detail, owed_headings, uncertain (duty an IEEPA levy replaced at entry, not
  counted), cape (yes/no/undecided), route, route_reason, route_source, assumed, interest, error; one row per
  input row, in input order; messages number data rows from 1 (the first row after the header).
"""


def add_refunds(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, parents, "refunds", epilog=REFUNDS_EPILOG,
        summary="refund report over an importer's entry summary lines (declared vs owed now, route per entry)",
        description="Compare what each entry summary line of IN declared with what is owed now, and say for "
                    "each entry whether it goes on a refund declaration or what route remains.")
    parser.add_argument("input", metavar="IN", help="input CSV file ('-' for standard input)")
    parser.add_argument("output", metavar="OUT", help="output CSV file ('-' for standard output)")
    add_rules_option(parser)
    parser.add_argument("--on", metavar="DATE", default=None,
                        help="day the declaration would be filed (days past liquidation count to it); default today")
    parser.add_argument("--now", metavar="INSTANT", default=None,
                        help="answer 'owed now' as known at this instant (default: everything known)")
    parser.add_argument("--process", metavar="PATH", default=None,
                        help="refund process file (default: the rule set's refunds/*.toml)")
    parser.add_argument("--declarations", metavar="DIR", default=None,
                        help="write the declaration files (entry numbers only) into DIR")
    parser.add_argument("--allow-stale", action="store_true", help="accept entry dates after the review date")
    parser.set_defaults(run=run_refunds, parser=parser, positional={"now": "--now", "on": "--on"})


def run_refunds(args: argparse.Namespace, out: Output, rules: RuleSet, flags: dict) -> int:
    _check_paths(args)
    if args.declarations and Path(args.declarations).exists() and not Path(args.declarations).is_dir():
        raise QueryError("--declarations", args.declarations, "is a file, not a folder",
                         "a folder to write the declaration files into (made if missing)")
    on = args.on or _dt.datetime.now(rules.info.zone).date().isoformat()
    process = process_for(rules, args.process)
    with _opened(args.input, "r") as source:
        reader = csv.DictReader(source)
        header = _header(reader, args.input)
        report = rules.refunds(list(reader), on=on, now=args.now, process=process, allow_stale=args.allow_stale)
    with _opened(args.output, "w") as target:
        writer = csv.DictWriter(target, header + [c for c in REPORT_COLUMNS if c not in header],
                                extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for line in report:
            writer.writerow(line.to_row())
    message = f"tariffrules refunds: {summary(report)}; declaration day {on}"
    if args.declarations:
        paths = write_declarations(report, args.declarations, process)
        message += f"; {len(paths)} declaration file(s) in {args.declarations}"
    sys.stderr.write(message + "\n")
    late = review_warning(rules, args.now)
    if late:
        sys.stderr.write(f"tariffrules refunds: {late}\n")
    return 0


def _header(reader: csv.DictReader, name: str) -> list[str]:
    """The header row of the refunds file; :class:`QueryError` naming the required columns it lacks, the header
    as written (comma-separated), and, for a header of one cell holding semicolons, that only commas separate."""
    header = list(reader.fieldnames or [])
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if not missing:
        return header
    expected = f"a header row naming at least {','.join(REQUIRED_COLUMNS)} (see `tariffrules refunds --help`)"
    if len(header) == 1 and ";" in header[0]:
        raise QueryError("IN", name, f"is semicolon-separated (header row {header[0]}): the refunds file is read "
                         "with commas between cells only", "the file saved with commas between cells (CSV), "
                         + expected)
    raise QueryError("IN", name, f"has no column {','.join(missing)} in its header row {','.join(header)}", expected)


def review_warning(rules: RuleSet, now: Any) -> str | None:
    """The warning for a report whose "owed now" is answered after the rule set's review day, else ``None``.

    ``now`` is the ``--now`` text (``None``: the current time, answered with everything known). The owed
    amounts hold what the rule set knew when it was last reviewed (``[ruleset] reviewed``), so a measure
    published later, a retroactive one included, is missing from them, as :meth:`RuleSet.resolve` warns of an
    ``as_of`` after that day.
    """
    info = rules.info
    instant = _dt.datetime.now(info.zone) if now is None else rules.reader.as_of(now)
    if instant is None or instant < info.stale_from:
        return None
    when = "the current time" if now is None else f"--now {now}"
    return (f"warning: 'owed now' is answered at {when}, after {info.reviewed.isoformat()}, the last day rule set "
            f"{info.name} was reviewed: the owed amounts hold what was known then, and measures published later "
            "(retroactive ones included) are missing; give --now on or before that day for a report as known then")


def summary(report: Sequence[RefundLine]) -> str:
    """The report in one line: rows, rows with an error, entries left undecided, duty held not owed per route.

    Each route's total is the ``held_not_owed`` of its entries' lines (to the
    cent; lines with an error count nothing), so an importer sees what CAPE
    would refund apart from what needs a protest or waits.
    """
    failed = sum(1 for line in report if line.error)
    by_route: dict[str, Decimal] = {}
    undecided: set[str] = set()
    for line in report:
        route = line.to_row()["route"] or "undecided"
        if route == "undecided":
            undecided.add(line.entry_number or f"row {line.line + 1}")
        by_route[route] = by_route.get(route, Decimal("0.00")) + (line.held_not_owed or Decimal("0.00"))
    total = sum(by_route.values(), Decimal("0.00"))
    routes = ", ".join(f"{route} {amount}" for route, amount in by_route.items())
    return (f"{len(report)} row(s), {failed} with an error, {len(undecided)} entr{'y' if len(undecided) == 1 else 'ies'}"
            f" undecided; duty held not owed {total}" + (f" ({routes})" if routes else ""))

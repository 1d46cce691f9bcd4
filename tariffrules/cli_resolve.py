"""The ``resolve`` and ``timeline`` commands: what one good pays at an instant, and how that moved over time."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import Any

from .cli_args import (add_command, add_good_arguments, add_query_options, cli_argument, cli_message, has_headings,
                       percent, query_line, show_instant)
from .cli_output import Column, Output
from .errors import QueryError, MissingFactError
from .query import CONTENT_UNKNOWN
from .result import REASONS, TIMING_REASONS, Resolution
from .ruleset import RuleSet

__all__ = ["add_resolve", "add_timeline"]


RESOLVE_EPILOG = """\
examples:
  # (these use the default rule set; --rules NAME chooses another)
  # what does a Japanese car entered on 2025-04-15 pay, and why?
  tariffrules resolve 8703.23.01 JP 2025-04-15 --explain

  # duty in money on a steel-containing good, with its steel content, and the entry lines to file
  tariffrules resolve 7308.90.95 DE 2025-07-01 --value 10000 --content steel=4000 --lines

  # a Canadian good claiming the preference (a yes/no fact of the default set, as a flag)
  tariffrules resolve 8481.80.50 CA 2025-04-15 --usmca

  # what was known when the entry was filed, as JSON for a program
  tariffrules resolve 8525.89.30 CN 2025-04-09 --as-of 2025-04-08 --json

DATE is a date (the rule set's day instant on that date, in the rule set's zone:
see `tariffrules validate NAME`) or an aware date-time such as
2025-04-15T09:30:00-04:00. Every yes/no fact the rule set declares is also a
flag: --NAME or --no-NAME; other facts: --fact NAME=VALUE (listed below).
exit status: 0 answered, 1 bad input (message on stderr), 2 usage error.
"""

TIMELINE_EPILOG = """\
examples:
  # (these use the default rule set; --rules NAME chooses another)
  # how the levies on a Japanese car moved from January 2025 to August 2026
  tariffrules timeline 8703.23.01 JP 2025-01-01 2026-08-01

  # the same, as known on 2025-06-01 (before later orders were signed)
  tariffrules timeline 8703.23.01 JP 2025-01-01 2026-01-01 --as-of 2025-06-01

The range [START, END) is half-open; a span starts wherever the answer
changes (a levy starts, ends, changes rate or is suspended). Takes the same
facts as `tariffrules resolve`. The chart draws one bar per span,
proportional to its total additional rate.
"""


def add_resolve(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, parents, "resolve", epilog=RESOLVE_EPILOG,
        summary="which levies apply to a good from an origin entered on a date, and why",
        description="Which levies apply to the good HTS from ORIGIN entered at DATE: heading, rate, base and "
                    "citation of each, the total rate and, with --value, the duty.")
    add_good_arguments(parser)
    parser.add_argument("when", metavar="DATE", help="entry date, or an aware date-time")
    add_query_options(parser, "print the resolution as JSON: the query, applied levies, lines, total, "
                              "assumed facts and the levies in force not applied, with counts of the rest")
    parser.add_argument("--json-full", action="store_true",
                        help="print Resolution.to_dict() in full, every skipped levy included (long)")
    parser.add_argument("--explain", action="store_true",
                        help="also list the levies considered and not applied, with the reason")
    parser.add_argument("--all-skipped", action="store_true",
                        help="also list levies not in force at that instant (implies --explain; long)")
    parser.add_argument("--lines", action="store_true",
                        help="also print the entry summary lines: one per slice of the value (e.g. the steel "
                             "content and the rest), each with its numbers in filing order, rates and duties")
    parser.set_defaults(run=run_resolve, parser=parser, takes_fact_flags=True, lists_facts=True,
                        positional={"hts": "HTS", "origin": "ORIGIN", "when": "DATE"})


def add_timeline(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, parents, "timeline", epilog=TIMELINE_EPILOG,
        summary="the periods over which a good's levies were constant, as a table and a chart",
        description="The spans of [START, END) over which the answer for HTS from ORIGIN is constant, "
                    "with their levies and total rate.")
    add_good_arguments(parser)
    parser.add_argument("start", metavar="START", help="first entry date (or aware date-time) of the range")
    parser.add_argument("end", metavar="END", help="end of the range, excluded")
    add_query_options(parser, "print the spans as JSON (Span.to_dict() each)")
    parser.set_defaults(run=run_timeline, parser=parser, takes_fact_flags=True, lists_facts=True,
                        positional={"hts": "HTS", "origin": "ORIGIN", "when": "START", "start": "START",
                                    "end": "END"})


def _rate(resolution: Resolution) -> Decimal | None:
    try:
        return resolution.rate
    except MissingFactError:
        return None


# -- resolve -------------------------------------------------------------------------
def run_resolve(args: argparse.Namespace, out: Output, rules: RuleSet, flags: dict[str, bool]) -> int:
    if args.json and args.json_full:
        raise QueryError("--json-full", "--json", "cannot be given with --json (they choose two forms of output)",
                         "--json for the compact form or --json-full for every skipped levy")
    resolution = rules.resolve_query(rules.line_query(query_line(rules, args, flags, args.when),
                                                      allow_stale=args.allow_stale))
    if args.json or args.json_full:
        data = resolution.to_dict() if args.json_full else compact_dict(resolution, args.all_skipped)
        out.raw(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    render_resolution(out, rules, resolution, args.hts, explain=args.explain or args.all_skipped,
                      all_skipped=args.all_skipped, lines=args.lines)
    return 0


def compact_dict(resolution: Resolution, all_skipped: bool = False) -> dict[str, Any]:
    """``to_dict()`` with only the skipped levies an explanation lists, and counts of the rest."""
    data = resolution.to_dict()
    listed, _, scope = resolution.skipped_summary(all_skipped)
    timing = sum(1 for s in resolution.skipped if s.reason in TIMING_REASONS) if not all_skipped else 0
    data["skipped"] = [s.to_dict() for s in listed]
    data["skipped_not_listed"] = {"not_in_force": timing, "out_of_scope": scope}
    return data


def render_resolution(out: Output, rules: RuleSet, resolution: Resolution, code: str, *, explain: bool,
                      all_skipped: bool, lines: bool = False) -> None:
    """The readable answer: the query, the applied levies, the total, the duty, with ``lines`` the entry
    lines, and with ``explain`` the rest."""
    q = resolution.query
    entered = show_instant(q.entered, rules)
    how = " (a bare date: the rule set's day instant)" if q.bare_date else ""
    out.line(f"{code} from {q.origin}, entered {entered}{how} [rule set {resolution.rule_set}]", style="bold")
    if q.as_of is not None:
        out.line(f"as known at {q.as_of.isoformat()}")
    if q.mfn is not None:
        out.line(f"general rate: {q.mfn}% ({q.mfn_from})")
    headed = has_headings(rules)
    if resolution.levies:
        rows = [(levy.heading or "",) * headed + (levy.id, percent(levy.rate), levy.base, levy.citation)
                for levy in resolution.levies]
        out.line()
        out.table("Applied levies, in reporting order", [Column("heading")] * headed + [
            Column("levy"), Column("rate", True), Column("base"), Column("citation", wrap=True)], rows)
        for levy in resolution.levies:
            for by, part in levy.excluded_parts:
                out.line(f"  {levy.id}: not on the {part} (taken by {by})")
            if levy.partial:
                out.line(f"  {levy.id}: scope known to be partial: {levy.partial}")
            if levy.note:
                out.line(f"  {levy.id}: note: {levy.note}")
    else:
        out.line("Applied levies: none")
    rate = _rate(resolution)
    if rate is None:
        unknown = (f" (or --content KIND=unknown: {CONTENT_UNKNOWN[resolution.content_unknown]})"
                   if resolution.content_unknown else "")
        out.line(f"Total additional rate: needs --value and --content{unknown} (a levy applies to part of the value)")
    else:
        out.line(f"Total additional rate: {rate}%", style="bold")
    if q.value is not None:
        try:
            out.line(f"Duty on {q.value}: {resolution.duty()}", style="bold")
        except MissingFactError as error:
            out.line(f"Duty on {q.value}: not computable: {cli_message(error, cli_argument(error, {}, ()))}")
        try:
            out.line(f"General duty: {resolution.general_duty()}; total duty: {resolution.total_duty()}")
        except MissingFactError:
            pass
    if lines:
        render_lines(out, resolution)
    for warning in resolution.warnings:
        out.line(f"Warning: {warning}", style="yellow")
    if resolution.assumed:
        out.line()
        out.line("Assumed (facts the rules read that were not given; --fact NAME=VALUE or a flag gives them):")
        for text in resolution.assumed_text():
            out.line(f"  {text}")
    if explain:
        render_skipped(out, resolution, all_skipped=all_skipped, headed=headed)


def render_lines(out: Output, resolution: Resolution) -> None:
    """The entry summary lines: for each, its slice and value, then each number with its rate and duty."""
    def money(amount: Decimal | None) -> str:
        return "" if amount is None else str(amount)

    rows = []
    for line in resolution.lines:
        first = (str(line.number), line.describe(), money(line.value))
        for levy in line.levies:
            rows.append(first + (levy.heading or "(no heading)", percent(levy.rate), money(levy.duty), levy.id))
            first = ("", "", "")
        general = percent(line.general_rate) if line.general_rate is not None else "?"
        rows.append(first + (line.code, general, money(line.general_duty),
                             "general duty" if line.dutiable else "general duty (not dutiable: left out of the dutiable value)"))
        rows.append(("", "", "", "", "", money(line.total_duty), "line total"))
    out.line()
    out.table("Entry lines, in filing order (numbers in reporting order, the chapter 1-97 number last)",
              [Column("line"), Column("slice"), Column("value", True), Column("number"), Column("rate", True),
               Column("duty", True), Column("levy")], rows)


def render_skipped(out: Output, resolution: Resolution, *, all_skipped: bool, headed: bool = True) -> None:
    """The levies considered and not applied: in full those in force, counts for the rest."""
    listed, timing, scope = resolution.skipped_summary(all_skipped)
    out.line()
    if listed:
        rows = [(s.heading or "",) * headed + (s.id, REASONS[s.reason], s.detail) for s in listed]
        out.table("Considered and not applied", [Column("heading")] * headed + [
            Column("levy"), Column("reason"), Column("why", wrap=True)], rows)
    else:
        out.line("Considered and not applied: none")
    if timing:
        out.line(f"Not in force at this instant ({timing}); --all-skipped lists them")
    out.line(f"Out of scope for this good or origin: {scope} other levies of the rule set")


# -- timeline -----------------------------------------------------------------------
def run_timeline(args: argparse.Namespace, out: Output, rules: RuleSet, flags: dict[str, bool]) -> int:
    line = query_line(rules, args, flags, args.start)
    facts = {k: v for k, v in line.items() if k not in ("hts", "origin", "when", "as_of")}
    spans = rules.timeline(line.get("hts"), line.get("origin"), line.get("when"), args.end,
                           as_of=line.get("as_of"), allow_stale=args.allow_stale, **facts)
    if args.json:
        out.raw(json.dumps([span.to_dict() for span in spans], indent=2, ensure_ascii=False) + "\n")
        return 0
    q = spans[0].resolution.query
    out.line(f"{args.hts} from {q.origin}, {show_instant(spans[0].start, rules)} to "
             f"{show_instant(spans[-1].end, rules)} [rule set {rules.info.name}]", style="bold")
    out.line()
    rows = []
    chart = []
    headed = has_headings(rules)
    for span in spans:
        start, end = show_instant(span.start, rules), show_instant(span.end, rules)
        rate = _rate(span.resolution)
        levies = span.resolution.levies
        rows.append((start, end) + (" ".join(span.resolution.headings) or "-",) * headed + (
                     " ".join(f"{levy.id} [{levy.version}]" for levy in levies) or "-",
                     percent(rate) if rate is not None else "needs --value/--content"))
        chart.append((f"{start} .. {end}", rate, percent(rate) if rate is not None else "(rate needs --value)"))
    out.table(f"{len(spans)} span(s), each [from, to)", [Column("from"), Column("to")] + [Column("headings")] * headed
              + [Column("levies", wrap=True), Column("rate", True)], rows)
    out.line()
    out.bars("Total additional rate per span", chart)
    return 0

"""The ``validate``, ``show`` and ``list`` commands: check a rule folder, and browse the levies in it."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .cli_args import add_command, add_rules_option, has_headings, rules_source, show_instant
from .cli_output import Column, Output
from .errors import RuleFileError
from .loader import load
from .model import Levy, LevyVersion, Suspension, SuspensionVersion, visible_versions
from .periods import instant_from_query
from .ruleset import RuleSet

__all__ = ["add_validate", "add_show", "add_list"]

VALIDATE_EPILOG = """\
examples:
  tariffrules validate path/to/rules          # a folder of .toml files
  tariffrules validate path/to/rules/steel.toml

PATH may also name a bundled rule set (as --rules does): its source files are checked.
On success prints a summary (levies, suspensions, horizon, facts, declaration
groups) and exits 0. On the first problem found, prints the file, the levy or
suspension, the field, what was wrong and what was expected, and exits 1.
Then checks the declaration groups on --samples queries drawn from the rules'
own change points, goods and origins: an entry line lacking (or doubling) a
heading of a group in force for it is listed on stderr, with exit status 1.
"""

SHOW_EPILOG = """\
examples:
  tariffrules show us.s232.autos.vehicles
  tariffrules show us.ieepa.reciprocal.pause          # a suspension
  tariffrules show toy.recip.cn --rules tests/rules/toy

Find ids with `tariffrules list`.
"""

LIST_EPILOG = """\
examples:
  tariffrules list                                    # every version of every levy and suspension
  tariffrules list --at 2025-04-15 --origin JP        # in force for Japan on that day
  tariffrules list --at 2025-10-01 --hts 8703.23.01   # covering passenger cars on that day
  tariffrules list --json | python -m json.tool
"""


def _sample_count(text: str) -> int:
    """``--samples``: a whole number of queries, 0 to skip the declaration check; a negative count is an error."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; expected e.g. 2000, or 0 to skip "
                                         "the declaration check") from None
    if count < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative; expected a number of queries such as 2000, "
                                         "or 0 to skip the declaration check")
    return count


def add_validate(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, parents, "validate", epilog=VALIDATE_EPILOG,
        summary="load a rule folder or file and report the first problem, or a summary",
        description="Load the rule folder or .toml file PATH (or the bundled set named PATH) with every check "
                    "the loader makes.")
    parser.add_argument("path", metavar="PATH", help="a rule folder or .toml file, or the name of a bundled rule set")
    parser.add_argument("--samples", metavar="N", type=_sample_count, default=2000,
                        help="queries drawn from the rule set's own change points, goods and origins on which "
                             "the declaration groups are checked (default 2000; 0 skips the check)")
    parser.add_argument("--json", action="store_true",
                        help="print the summary, or the problem found (file, item, field, problem, got, expected), "
                             "as JSON on standard output")
    parser.set_defaults(run=run_validate, parser=parser, needs_rules=False)


def add_show(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, parents, "show", epilog=SHOW_EPILOG,
        summary="every version of one levy or suspension", description="Every version of the levy or suspension "
        "LEVY_ID: period, rate, base, heading, citation, when it became known, and its scope.")
    parser.add_argument("levy_id", metavar="LEVY_ID", help="a levy or suspension id, e.g. us.s232.autos.vehicles")
    add_rules_option(parser)
    parser.add_argument("--json", action="store_true", help="print the versions as JSON")
    parser.set_defaults(run=run_show, parser=parser)


def add_list(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, parents, "list", epilog=LIST_EPILOG,
        summary="the levies and suspensions of the rule set, optionally filtered",
        description="One line per version of each levy and suspension; the options keep only some.")
    parser.add_argument("--at", metavar="DATE", help="only versions in force at this date or aware date-time")
    parser.add_argument("--origin", metavar="CC", help="only versions whose origins include this country")
    parser.add_argument("--hts", metavar="CODE", help="only versions whose goods include this code")
    add_rules_option(parser)
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    parser.set_defaults(run=run_list, parser=parser, positional={"hts": "--hts", "origin": "--origin"})


# -- validate -----------------------------------------------------------------------
def run_validate(args: argparse.Namespace, out: Output, rules: None, flags: dict) -> int:
    err = Output(sys.stderr, plain=args.plain or args.json)
    if not args.path.strip():  # `validate ''`: the command line's words, not load()'s
        sys.stderr.write("tariffrules validate: error: PATH is empty; expected a rule folder, a .toml file or the "
                         "name of a bundled rule set, e.g. tariffrules validate us\n")
        return 2
    try:
        with err.status(f"validating {args.path}") as update:
            loaded = load(rules_source(args.path), progress=update)
    except RuleFileError as error:
        if args.json:
            out.raw(json.dumps({"valid": False, "path": args.path, "file": error.file, "item": error.levy,
                                "kind": error.kind, "field": error.field, "problem": error.problem,
                                "got": _plain(error.value), "expected": error.expected}, indent=2) + "\n")
            return 1
        err = Output(sys.stderr, plain=True)
        err.line(f"tariffrules validate: {args.path} is not a valid rule set")
        err.fields(None, [("file", error.file), (error.kind if error.levy else "levy", error.levy),
                          ("field", error.field), ("problem", error.problem),
                          ("got", _plain(error.value)), ("expected", error.expected)])
        return 1
    info = loaded.info
    versions = sum(len(levy.versions) for levy in loaded.levies)
    files = {v.source.file for item in loaded.levies + loaded.suspensions for v in item.versions}
    schedule = info.schedule
    summary = [
        ("title", info.title),
        ("levies", f"{len(loaded.levies)} ({versions} versions)"),
        ("suspensions", f"{len(loaded.suspensions)} "
                        f"({sum(len(s.versions) for s in loaded.suspensions)} versions)"),
        ("horizon", f"entries from {show_instant(info.horizon_start, loaded)} to the end of {info.reviewed} "
                    "(reviewed; later entries need --allow-stale)"),
        ("zone", info.zone_name),
        ("day instant", f"a bare date means {info.day_time.isoformat(timespec='minutes')} that day"),
        ("facts", ", ".join(f"{f.name} ({f.type})" for f in info.facts)),
        ("groups", ", ".join(f"{name} ({len(members)})" for name, members in info.groups)),
        ("schedule", f"{len(schedule.codes)} codes in {len(schedule.revisions)} revision(s) ({schedule.file}); "
                     f"{len(info.split_codes)} 8-digit codes split by 10-digit rules" if schedule else None),
        ("files with levies", len(files)),
        ("change points", len(loaded.change_points())),
        ("declarations", _groups(loaded)),
    ]
    stale = loaded.stale_list_codes()
    summary.append(("list codes", f"{len(stale)} listed code(s) are no line of the schedule in force while used"
                    if stale else ("every listed code is a line of the schedule wherever used" if schedule else None)))
    checked = args.samples > 0 and _groups(loaded) != "none"
    found = loaded.validate(args.samples) if checked else ()
    if args.json:
        data = {"valid": not found, "path": args.path, "name": info.name}
        data.update({name.replace(" ", "_"): value for name, value in summary})
        data["stale_list_codes"] = [item.describe() for item in stale]
        data["declaration_samples"] = args.samples if checked else 0
        data["declaration_violations"] = [violation.describe() for violation in found]
        out.raw(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 1 if found else 0
    out.fields(f"{args.path}: valid rule set {info.name!r}", summary)
    if stale:
        warn = Output(sys.stderr, plain=True)
        warn.line(f"tariffrules validate: {args.path}: {len(stale)} listed code(s) are no line (nor the prefix of "
                  "a line) of the schedule in force while their levy version is; name the lines in their place "
                  "from the revision's date:")
        for item in stale[:20]:
            warn.line(f"  {item.describe()}")
        if len(stale) > 20:
            warn.line(f"  ... and {len(stale) - 20} more (--json lists them all)")
    if not checked:
        return 0
    if not found:
        out.line(f"declarations: checked on {args.samples} sampled queries: every entry line carries exactly "
                 "one heading of each group in force for it")
        return 0
    err = Output(sys.stderr, plain=True)
    err.line(f"tariffrules validate: {args.path}: {len(found)} entry line(s) in {args.samples} sampled queries "
             "break the declaration rule (exactly one heading of each declaration group in force):")
    for violation in found[:20]:
        err.line(f"  {violation.describe()}")
    if len(found) > 20:
        err.line(f"  ... and {len(found) - 20} more")
    return 1


def _groups(rules: RuleSet) -> str:
    """The declaration groups and how many levies each has; programmes that need none are not counted."""
    counts: dict[str, int] = {}
    for levy in rules.levies:
        for group in sorted({v.declaration for v in levy.versions if v.declaration}):
            counts[group] = counts.get(group, 0) + 1
    return ", ".join(f"{group} ({n} levies)" for group, n in sorted(counts.items())) or "none"


def _plain(value: Any) -> str | None:
    """A value from a rule file as TOML would write it, not as Python's repr."""
    if value is None:
        return None
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_plain(v) or "" for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_plain(v)}" for k, v in value.items()) + " }"
    return str(value)


# -- show -----------------------------------------------------------------------------
def _period(version: LevyVersion | SuspensionVersion, rules: RuleSet) -> str:
    end = show_instant(version.period.end, rules) if version.period.end else "open"
    return f"[{show_instant(version.period.start, rules)}, {end})"


def _ids(ids: frozenset[str], limit: int | None) -> str:
    """Ids, sorted; past ``limit`` only the first few and the count (``--json`` lists them all)."""
    names = sorted(ids)
    if limit is None or len(names) <= limit:
        return ", ".join(names)
    return f"{len(names)} levies: {', '.join(names[:limit])}, ... (--json lists all)"


def _levy_fields(v: LevyVersion, rules: RuleSet, limit: int | None = 8) -> list[tuple[str, Any]]:
    return [
        ("title", v.title), ("in force", _period(v, rules)), ("rate", v.rate_text), ("base", v.base.describe()),
        ("heading", v.heading), ("citation", v.citation), ("authority", v.authority),
        ("known since", show_instant(v.known, rules)), ("supersedes", v.supersedes),
        ("goods", v.goods.describe()), ("origins", v.origins.describe()),
        ("when", "; ".join(c.describe() for c in v.when)), ("unless", "; ".join(c.describe() for c in v.unless)),
        ("excludes", _ids(v.excludes, limit)), ("replaces", _ids(v.replaces, limit)),
        ("applies with", _ids(v.applies_with, limit)), ("declaration", v.declaration),
        ("partial", v.partial), ("gap", v.gap), ("note", v.note), ("file", v.source.file),
    ]


def _suspension_fields(v: SuspensionVersion, rules: RuleSet, limit: int | None = 8) -> list[tuple[str, Any]]:
    return [
        ("title", v.title), ("in force", _period(v, rules)), ("suspends", _ids(v.levies, limit)), ("origins", v.origins.describe()),
        ("citation", v.citation), ("known since", show_instant(v.known, rules)), ("supersedes", v.supersedes),
        ("note", v.note), ("file", v.source.file),
    ]


def run_show(args: argparse.Namespace, out: Output, rules: RuleSet, flags: dict) -> int:
    item = rules.get(args.levy_id)
    kind = "levy" if isinstance(item, Levy) else "ruling" if item.versions[0].is_ruling else "suspension"
    describe = _levy_fields if isinstance(item, Levy) else _suspension_fields
    if args.json:
        data = {"id": item.id, "kind": kind,
                "versions": [{"label": v.label, **{name.replace(" ", "_"): value for name, value in describe(v, rules, None)}}
                             for v in item.versions]}
        out.raw(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        return 0
    out.line(f"{kind} {item.id}: {len(item.versions)} version(s) [rule set {rules.info.name}]", style="bold")
    for v in item.versions:
        out.line()
        out.fields(f"version {v.label}", describe(v, rules))
    return 0


# -- list -------------------------------------------------------------------------------
def _touches_code(rules: RuleSet, version: LevyVersion | SuspensionVersion, code: str) -> bool:
    if isinstance(version, LevyVersion):
        return version.goods.covers(code)
    return any(lv.goods.covers(code) for levy_id in version.levies for lv in rules.get(levy_id).versions)


def run_list(args: argparse.Namespace, out: Output, rules: RuleSet, flags: dict) -> int:
    at = instant_from_query(args.at, rules.day_instant, "--at", rules.info.zone_name)[0] if args.at is not None else None
    origin = rules.reader.origin(args.origin) if args.origin is not None else None
    code = rules.reader.code(args.hts) if args.hts is not None else None
    if code is not None and rules.info.schedule is not None:  # as resolve and changes: a good's code of the schedule
        rules.info.schedule.check_known(code, "hts", args.hts)
    items: list[Levy | Suspension] = [*rules.levies, *rules.suspensions]
    rows = []
    for item in items:
        ruling = isinstance(item, Suspension) and item.versions[0].is_ruling
        for v in (item.versions if ruling else visible_versions(item.versions, None)):
            if at is not None and not v.period.contains(at):
                continue
            if origin is not None and not v.origins.covers(origin):
                continue
            if code is not None and not _touches_code(rules, v, code):
                continue
            levy = isinstance(v, LevyVersion)
            rows.append({"id": item.id, "kind": "levy" if levy else "ruling" if ruling else "suspension",
                         "version": v.label,
                         "heading": v.heading if levy else None,
                         "rate": v.rate_text if levy else f"suspends {len(v.levies)} levies",
                         "in_force": _period(v, rules), "title": v.title})
    if args.json:
        out.raw(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    filters = [f"{name} {value}" for name, value in (("at", args.at), ("origin", origin), ("hts", args.hts)) if value]
    title = f"{len(rows)} version(s) in rule set {rules.info.name}" + (f" ({', '.join(filters)})" if filters else "")
    headed = has_headings(rules)
    out.table(title, [Column("id"), Column("version")] + [Column("heading")] * headed + [
                      Column("rate", wrap=True), Column("in force", wrap=True), Column("title", wrap=True)],
              [(r["id"], r["version"]) + (r["heading"],) * headed + (r["rate"], r["in_force"], r["title"])
               for r in rows])
    return 0

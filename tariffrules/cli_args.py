"""Options shared by the commands: which rule set, the facts of a query, and how instants are shown.

A query's facts reach the library the way a CSV row does (through
:func:`tariffrules.tabular.line_from_row`), so ``--value 1000 --usmca`` on
the command line and a row ``value=1000, usmca=yes`` in a batch file mean
exactly the same thing.

Yes/no facts the rule set declares are also flags (``--NAME``, ``--no-NAME``,
dashes or underscores). They are read after the rule set is loaded, because
the facts come from the rules, not from this code.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import re
import textwrap
from pathlib import Path
from typing import Any, Mapping, Sequence

from .builtin import builtin, builtin_path, default_name
from .errors import InvalidFactError, QueryError, UnknownFactError, UnknownRuleSetError, reworded, visible
from .loader import load
from .ruleset import RuleSet
from .tabular import line_from_row

__all__ = ["has_headings", "add_rules_option", "add_fact_options", "load_rules", "rules_source", "rules_named_in",
           "facts_help", "query_line", "fact_flags", "cli_argument", "cli_message", "show_instant", "percent"]

_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z\"'])")  # "No. 1" does not end a sentence
_FLAG = re.compile(r"^--(no[-_])?([A-Za-z][A-Za-z0-9_-]*)$")

#: How the library names a query argument, and how this command line spells it.
_SPELLING = {"value": "--value", "mfn": "--mfn", "loaded": "--loaded", "as_of": "--as-of",
             "content": "--content", "line": "the query"}


def add_command(subparsers: Any, parents: list[argparse.ArgumentParser], name: str, *, summary: str,
                description: str, epilog: str) -> argparse.ArgumentParser:
    """A subcommand whose epilog (its examples) keeps its line breaks in ``--help``."""
    return subparsers.add_parser(name, parents=parents, epilog=epilog, help=summary, description=description,
                                 formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)


class _Once(argparse._StoreAction):
    """An option that takes one value: given twice with different values, the command line is refused (the
    last one silently winning would answer a question the user did not ask); so is an empty value
    (``--as-of ''``), which would otherwise read as the option left out."""

    def __call__(self, parser, namespace, values, option_string=None):
        seen = getattr(namespace, "_given_once", None)
        if seen is None:
            seen = {}
            setattr(namespace, "_given_once", seen)
        if isinstance(values, str) and not values.strip():  # `--as-of ''`: not "not given" (the API refuses "")
            parser.error(f"{option_string} is empty; give it a value or leave the option out")
        if self.dest in seen and seen[self.dest] != values:
            parser.error(f"{option_string} is given twice ({seen[self.dest]} and {values}); give it once")
        seen[self.dest] = values
        super().__call__(parser, namespace, values, option_string)


def refuse_repeated_options(parser: argparse.ArgumentParser) -> None:
    """Make every single-valued option of ``parser`` (``--value``, ``--as-of``, ...) refuse a second, different
    value; options meant to repeat (``--fact``, ``--content``) are lists and stay as they are."""
    for action in parser._actions:
        if type(action) is argparse._StoreAction and action.option_strings:
            action.__class__ = _Once


def add_good_arguments(parser: argparse.ArgumentParser) -> None:
    """The HTS and ORIGIN positionals of the commands that resolve a good."""
    parser.add_argument("hts", metavar="HTS", help="the good's code, e.g. 8703.23.01 or 8703.23.01.90")
    parser.add_argument("origin", metavar="ORIGIN", help="country of origin, ISO 3166-1 alpha-2 (e.g. JP)")


def add_query_options(parser: argparse.ArgumentParser, json_help: str) -> None:
    """The facts, ``--rules`` and ``--json`` options shared by the commands that resolve a good."""
    add_fact_options(parser)
    add_rules_option(parser)
    parser.add_argument("--json", action="store_true", help=json_help)


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="PATH", default=None,
                        help="a rule folder or .toml file, or the name of a bundled rule set "
                             "(default: the bundled set named in tariffrules/data/default.txt)")


def add_fact_options(parser: argparse.ArgumentParser) -> None:
    """The facts of a query, shared by ``resolve`` and ``timeline``."""
    group = parser.add_argument_group("facts of the entry")
    group.add_argument("--value", metavar="N", help="customs value (a decimal number, e.g. 10000 or 1234.56)")
    group.add_argument("--content", metavar="KIND=N", action="append", default=[],
                       help="value of a content kind, e.g. --content steel=1200 (repeat for several kinds)")
    group.add_argument("--mfn", metavar="P", help="general (MFN) rate in percent (default: the rule set's schedule)")
    group.add_argument("--loaded", metavar="DATE", help="date (or aware date-time) the goods were loaded for export")
    group.add_argument("--fact", metavar="NAME=VALUE", action="append", default=[],
                       help="any fact the rule set declares, e.g. --fact NAME=yes (listed below, and by `tariffrules validate`)")
    group.add_argument("--as-of", metavar="INSTANT", dest="as_of",
                       help="answer with only the rules known at this instant (a bare date: the end of that day)")
    group.add_argument("--allow-stale", action="store_true",
                       help="accept dates after the rule set's review date (later measures may be missing)")


def rules_source(spec: str) -> str | Path:
    """What ``--rules SPEC`` (or ``validate SPEC``) reads: an existing path, else a bundled set's folder by name."""
    if not Path(spec).exists() and spec in builtin():
        return builtin_path(spec)
    return spec


def rules_named_in(argv: Sequence[str]) -> str | None:
    """The value of ``--rules`` in a command line not yet parsed (for ``--help``), or ``None``."""
    for i, word in enumerate(argv):
        if word == "--rules" and i + 1 < len(argv):
            return argv[i + 1]
        if word.startswith("--rules="):
            return word[len("--rules="):]
    return None


def facts_help(rules: RuleSet) -> str:
    """The facts a rule set declares, as ``--help`` lists them: flags for yes/no facts, ``--fact`` for others."""
    lines = [f"facts of rule set {rules.info.name!r} (--rules chooses another):"]
    for spec in rules.info.facts:
        dashed = spec.name.replace("_", "-")
        option = f"--{dashed} / --no-{dashed}" if spec.type == "bool" else f"--fact {spec.name}=VALUE ({spec.type})"
        first = _SENTENCE_END.split(spec.description, maxsplit=1)[0].rstrip(".")
        lines.append(f"  {option}")
        if first:
            lines.extend(textwrap.wrap(first, width=78, initial_indent="      ", subsequent_indent="      "))
    for flag in rules.info.fact_flags:
        lines.append(f"  --{flag.name.replace('_', '-')} (= --fact {flag.fact}={flag.value})")
        if flag.description:
            lines.extend(textwrap.wrap(flag.description, width=78, initial_indent="      ",
                                       subsequent_indent="      "))
    if len(lines) == 1:
        lines.append("  none")
    return "\n".join(lines) + "\n"


def load_rules(spec: str | None) -> RuleSet:
    """The rule set for ``--rules``: an existing path is loaded; otherwise a bundled name; otherwise the path's error."""
    if spec is None:
        names = builtin()
        name = default_name(names)
        if name is None:
            raise UnknownRuleSetError(f"several rule sets are bundled ({', '.join(names)}) and none is the default; "
                                      "choose one with --rules NAME")
        return builtin(name)
    source = rules_source(spec)
    return builtin(spec) if source != spec else load(spec)


def fact_flags(parser: argparse.ArgumentParser, rules: RuleSet, extras: Sequence[str]) -> dict[str, bool]:
    """Read ``--NAME`` / ``--no-NAME`` for the rule set's yes/no facts; anything else is a usage error."""
    booleans = {spec.name for spec in rules.info.facts if spec.type == "bool"}
    value_flags = {flag.name for flag in rules.info.fact_flags}  # --NAME gives a fact a value (no --no-NAME)
    flags: dict[str, bool] = {}
    unknown = []
    for token in extras:
        match = _FLAG.match(token)
        name = match.group(2).replace("-", "_") if match else None
        if name in value_flags and match.group(1) is None:
            flags[name] = True
        elif name in booleans:
            on = match.group(1) is None
            if name in flags and flags[name] != on:
                parser.error(f"--{name.replace('_', '-')} and --no-{name.replace('_', '-')} conflict: give one")
            flags[name] = on
        else:
            unknown.append(token)
    if unknown:
        hint = (f"; yes/no facts of rule set {rules.info.name}: "
                + ", ".join(f"--{n.replace('_', '-')}" for n in sorted(booleans))) if booleans else ""
        parser.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")
    return flags


#: what each query argument of its own takes on the command line, for `--fact NAME=...` of one of them
_OPTION_VALUES = {"value": "N", "mfn": "P", "loaded": "DATE", "as_of": "INSTANT", "content": "KIND=N", "line": ""}
_OWN_OPTIONS = {"when": "the DATE argument", "hts": "the HTS argument", "origin": "the ORIGIN argument",
                "line": "one query per command"}

#: an example of each NAME=VALUE option, for its error messages
_PAIR_EXAMPLES = {"--fact": "--fact usmca=yes", "--content": "--content steel=1200 (a content kind and the value "
                  "of that content, like --value)"}


def _fact_pairs(texts: Sequence[str], option: str = "--fact") -> dict[str, str]:
    pairs: dict[str, str] = {}
    for text in texts:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise InvalidFactError(option, text, "is not NAME=VALUE" if option == "--fact" else "is not KIND=AMOUNT",
                                   _PAIR_EXAMPLES.get(option, f"{option} NAME=VALUE"))
        name = name.strip()
        if not value.strip():  # `--fact usmca=`: not "not given" (a batch cell can be empty; an option is typed)
            raise InvalidFactError(f"{option} {name}", "", "has no value; leave the option out for \"not given\"",
                                   f"{option} {name}=VALUE" if option == "--fact" else f"{option} {name}=1200")
        if name in pairs:
            raise InvalidFactError(f"{option} {name}", text, f"is given twice ({option} {name}={pairs[name]} "
                                   f"and {option} {text}); the answer could not say which holds", "one value")
        pairs[name] = value.strip()
    return pairs


def query_line(rules: RuleSet, args: argparse.Namespace, flags: Mapping[str, bool],
               when: Any) -> dict[str, Any]:
    """The line (a mapping for :meth:`RuleSet.line_query`) for the query on the command line."""
    declared = {spec.name: spec.type for spec in rules.info.facts}
    for text in args.fact:  # a query argument of its own is an option, not a --fact (`--fact loaded=...`)
        name = text.partition("=")[0].strip()
        if name not in declared and (name in _SPELLING or name in ("when", "hts", "origin")):
            option = _OWN_OPTIONS.get(name) or f"{_SPELLING[name]} {_OPTION_VALUES[name]}"
            raise UnknownFactError(f"--fact {name}", text.partition("=")[2], "is not a fact of rule set "
                                   f"{rules.info.name} but an argument of its own", option)
    extra = _fact_pairs(args.fact)
    for name in extra:
        if name not in declared:
            raise UnknownFactError(f"--fact {name}", extra[name], f"is not a fact of rule set {rules.info.name}",
                                   "one of " + ", ".join(sorted(declared)) if declared else "no --fact for this rule set")
    if any(not text.strip() for text in args.content):
        raise InvalidFactError("--content", "", "is empty; leave the option out for \"not given\"",
                               _PAIR_EXAMPLES["--content"])
    content = _fact_pairs([part for text in args.content for part in text.split(";") if part.strip()],
                          "--content")
    for name, on in flags.items():
        if name in extra:
            flag = f"--{name.replace('_', '-')}" if on else f"--no-{name.replace('_', '-')}"
            raise InvalidFactError(f"--fact {name}", extra[name], f"conflicts with {flag}", "one of the two")
    row: dict[str, Any] = {"hts": args.hts, "origin": args.origin, "when": when, "value": args.value,
                           "mfn": args.mfn, "loaded": args.loaded, "as_of": args.as_of,
                           "content": ";".join(f"{k}={v}" for k, v in content.items()) if content else None}
    row.update(extra)
    given = {name: f"--fact {name}" for name in extra}
    for flag in rules.info.fact_flags:  # --NAME of a [fact_flags] table: --fact FACT=VALUE, once, in agreement
        if flags.get(flag.name):
            option = f"--{flag.name.replace('_', '-')}"
            if row.get(flag.fact, flag.value) != flag.value:
                raise InvalidFactError(given[flag.fact], row[flag.fact], f"conflicts with {option} "
                                       f"({flag.fact}={flag.value})", "one of the two")
            row[flag.fact] = flag.value
            given.setdefault(flag.fact, option)
    row.update({name: "true" if on else "false" for name, on in flags.items() if name in declared})
    return line_from_row(row, declared)


#: library spellings in "expected" texts, and how the command line says them
_CLI_WORDS = ((re.compile(r"content=\{'(\w+)': 'unknown'\}"), r"--content \1=unknown"),
              (re.compile(r"Decimal\('([^']*)'\)"), r"\1"), (re.compile(r"allow_stale=True"), "--allow-stale"),
              (re.compile(r"resolve\(\.\.\., mfn=[^)]*\)"), "--mfn P"),
              (re.compile(r"resolve\(\.\.\., value=[^)]*\)"), "--value N and --content KIND=N"),
              (re.compile(r"resolve\(\.\.\., content=\{'(\w+)': [^}]*\}\)"), r"--content \1=N"),
              (re.compile(r"resolve\(\.\.\., content=[^)]*\)"), "--content KIND=N"),
              (re.compile(r"\{'steel': [^}]*\}"), "--content steel=1200"),
              (re.compile(r"True or False, or the text "), ""), (re.compile(r"(?<![-\w])as_of\b"), "--as-of"))


def cli_message(error: QueryError, spelled: str) -> str:
    """An error's message in command-line terms: the option as spelled, the value as typed, no Python reprs."""
    value = error.value
    if isinstance(value, dict):
        shown = ";".join(f"{k}={v}" for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        shown = ",".join(map(str, value))
    else:
        shown = "" if value is None else visible(str(value))
    text = f"{spelled}{' ' + shown if shown else ''}: {error.problem}"
    if error.expected:
        text += f"; expected {reworded(error.expected, _CLI_WORDS)}"
    return text


def cli_argument(error: QueryError, positional: Mapping[str, str], declared: Sequence[str]) -> str:
    """The command-line spelling of the argument an error names, e.g. ``DATE`` for ``when``."""
    name = error.argument
    if name in positional:
        return positional[name]
    if name.startswith("content["):
        return f"--content {name[len('content['):-1].strip(chr(39))}"
    if name in _SPELLING:
        return _SPELLING[name]
    if name in declared:
        return f"--fact {name}"
    return name


def has_headings(rules: RuleSet) -> bool:
    """False for a rule set whose levies have no headings (no chapter 99): its tables get no heading column."""
    return any(v.heading for levy in rules.levies for v in levy.versions)


def show_instant(instant: _dt.datetime, rules: RuleSet) -> str:
    """An instant in the rule set's zone; just the date when it is the rule set's day instant (what a bare date means)."""
    local = instant.astimezone(rules.info.zone)
    if local.time() == rules.info.day_time:
        return local.date().isoformat()
    return local.isoformat(timespec="minutes") if not local.second and not local.microsecond else local.isoformat()


def percent(value: Any) -> str:
    """A Decimal percent for display: ``25%``; ``None`` shows as ``?``."""
    return "?" if value is None else f"{value}%"

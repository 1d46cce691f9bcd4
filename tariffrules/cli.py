"""The ``tariffrules`` command line: resolve, timeline, batch, validate, show, list.

``main(argv)`` returns the exit status instead of exiting, so tests and other
programs run it in-process. Exit status: 0 done, 1 bad input (any
:class:`~tariffrules.errors.TariffRulesError`, or a file that cannot be read
or written; the message on stderr names the argument), 2 usage error
(argparse). Results go to stdout, everything else to stderr.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import sys
from typing import Sequence

from . import __version__
from .cli_args import (cli_argument, cli_message, fact_flags, facts_help, load_rules, refuse_repeated_options,
                       rules_named_in)
from .csv_input import BatchFileError
from .cli_batch import add_batch
from .cli_browse import add_list, add_show, add_validate
from .cli_output import Output
from .cli_refunds import add_refunds
from .cli_resolve import add_resolve, add_timeline
from .errors import QueryError, StaleRulesError, TariffRulesError

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_BAD_INPUT", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2

EPILOG = """\
examples:
  tariffrules resolve 8703.23.01 JP 2025-04-15 --explain
  tariffrules timeline 8703.23.01 JP 2025-01-01 2026-08-01
  tariffrules batch entries.csv rated.csv
  tariffrules validate path/to/rules
  tariffrules list --at 2025-04-15 --origin JP
  tariffrules show us.s232.autos.vehicles

The examples use the default rule set. Each command has its own --help with
examples (and, for those taking facts, the facts of the rule set --rules
names, else of the default). Commands that read rules use the default bundled
set unless --rules names a folder, a .toml file or another bundled set.
exit status: 0 done, 1 bad input (message on stderr), 2 usage error.
"""


def build_parser(facts_text: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand (each sets ``run``, the function that carries it out).

    ``facts_text`` (from :func:`~tariffrules.cli_args.facts_help`) ends the
    ``--help`` of each command that reads facts.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--plain", action="store_true",
                        help="plain text even on a terminal (no colour, tables or progress bar)")
    parser = argparse.ArgumentParser(
        prog="tariffrules", allow_abbrev=False, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Which additional duties (levies) apply to a good, from an origin, entered at an instant, "
                    "at what rate, and why.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND", required=True)
    for add in (add_resolve, add_timeline, add_batch, add_refunds, add_validate, add_show, add_list):
        add(subparsers, [common])
    for command in subparsers.choices.values():
        refuse_repeated_options(command)
    if facts_text:
        for command in subparsers.choices.values():
            if command.get_default("lists_facts"):
                command.epilog = f"{command.epilog}\n{facts_text}"
    return parser


def _facts_for_help(argv: Sequence[str]) -> str | None:
    """For ``--help``: the facts of the rule set ``--rules`` names, else of the default set."""
    if "-h" not in argv and "--help" not in argv:
        return None
    try:
        return facts_help(load_rules(rules_named_in(argv)))
    except (TariffRulesError, OSError) as error:
        return f"facts: not listed (--rules: {error})\n"


def _report(error: TariffRulesError, args: argparse.Namespace) -> None:
    """The message for an error about the input, naming the argument as spelled on the command line."""
    text = str(error)
    if isinstance(error, QueryError) and not isinstance(error, BatchFileError):
        declared = getattr(args, "declared_facts", ())
        text = cli_message(error, cli_argument(error, getattr(args, "positional", {}), declared))
    if isinstance(error, StaleRulesError) and hasattr(args, "allow_stale") and "--allow-stale" not in text:
        text += " (on the command line: --allow-stale)"
    sys.stderr.write(f"tariffrules {args.command}: error: {text}\n")


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _usage_status(stop: SystemExit) -> int:
    return stop.code if isinstance(stop.code, int) else EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_facts_for_help(argv))
    try:
        # unknown options may be yes/no facts of the rule set, known only once it is loaded
        args, extras = parser.parse_known_args(argv)
        if extras and not getattr(args, "takes_fact_flags", False):
            args.parser.error(f"unrecognized arguments: {' '.join(extras)}")
    except SystemExit as stop:  # argparse exits for --help and --version (0) and for usage errors (2)
        return _usage_status(stop)
    out = Output(sys.stdout, plain=args.plain or getattr(args, "json", False))
    rules = None
    flags: dict[str, bool] = {}
    if getattr(args, "needs_rules", True):
        try:
            rules = load_rules(args.rules)
        except TariffRulesError as error:
            sys.stderr.write(f"tariffrules {args.command}: error: --rules: {error}\n")
            return EXIT_BAD_INPUT
        args.declared_facts = tuple(spec.name for spec in rules.info.facts)
        if getattr(args, "takes_fact_flags", False):
            try:
                flags = fact_flags(args.parser, rules, extras)
            except SystemExit as stop:
                return _usage_status(stop)
    try:
        return args.run(args, out, rules, flags)
    except TariffRulesError as error:
        _report(error, args)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader stopped early (`| head`): output is incomplete, but nothing to say
        _silence_stdout()
        return EXIT_BAD_INPUT
    except OSError as error:
        sys.stderr.write(f"tariffrules {args.command}: error: {_os_message(error, args)}\n")
        return EXIT_BAD_INPUT


def _os_message(error: OSError, args: argparse.Namespace) -> str:
    """An operating system error in words: the file it names, or (a full disk says no name) the output written."""
    name = getattr(error, "filename", None)
    text = error.strerror or str(error)
    if name:
        return f"{name}: {text}"
    output = getattr(args, "output", "-")  # a command without OUT writes to standard output
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
        where = "standard output" if output == "-" else output
        return f"OUT {where}: {text} while writing it; the output is incomplete: free space (or write elsewhere) " \
               "and run again"
    return text

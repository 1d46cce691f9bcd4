"""The catalogue of bad inputs of issue 14: run each, count clear typed errors, unclear ones, untyped crashes
and silent answers.

Run: ``python tests/robustness_inputs.py`` (``-v`` lists every input and its outcome). Exit status 1 when
any input crashes untyped or is answered silently. ``tests/test_robustness.py`` runs it too.

An outcome is

* *clear*: a :class:`~tariffrules.TariffRulesError` whose message names the argument (or file and field)
  and says what was expected, or (for the command line) exit status 1 or 2 with such a message on stderr
  and no Python repr in it; for a batch file, one output row per input row with the bad rows' errors in place;
* *unclear*: a typed error that does not say what was expected;
* *crash*: any other exception (or a traceback from the command line);
* *exact*: an 8-digit code split by 10-digit rules, answered because every one of its lines in force answers
  that query alike (checked line by line); or a file read exactly as documented (an Excel ``sep=`` line, a
  semicolon file given ``--columnar``: read row by row, saying so);
* *silent*: an answer where none may be given.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import tariffrules  # noqa: E402
from tariffrules.cli import main as cli_main  # noqa: E402
from tariffrules.errors import RuleFileError, TariffRulesError  # noqa: E402

TOY = HERE / "rules" / "toy"
US = tariffrules.builtin("us")
GOOD = ("8703.23.01.90", "JP", "2025-05-01")
PYTHON_REPR = re.compile(r"Decimal\(|datetime\.|\{'|\['|Traceback")
#: what a message for a user must not hold: a Python repr of an object, a Decimal or a date, a quoted repr of
#: text ('...'), a collection's repr, a keyword call such as Query(code=...)
REPR_LOOKING = re.compile(r"<|object at 0x|Decimal\(|datetime\.|tzinfo=|\{'|\['|\('|(?<![\w'])'[^'\n]{0,120}'(?![\w'])"
                          r"|\b[A-Z][A-Za-z]+\([a-z_]+=|Traceback")


def repr_looking(message: str) -> str | None:
    """The part of ``message`` that looks like a Python repr, or None."""
    found = REPR_LOOKING.search(message)
    return found.group(0) if found else None


def error_messages() -> list[tuple[str, str, str]]:
    """(kind, input, message) of every typed error the catalogue's inputs raise."""
    found = []
    for kind, what, run in catalogue():
        try:
            run()
        except TariffRulesError as error:
            found.append((kind, what, str(error)))
        except Exception:  # noqa: BLE001 - crashes are counted by run_catalogue
            pass
    return found


def _clear(error: TariffRulesError) -> bool:
    """Names what was wrong and where, and says what was expected or what to do."""
    text = str(error)
    if isinstance(error, RuleFileError):
        return bool(error.expected) or (bool(error.file) and (bool(error.field) or "UTF-8" in text
                                                              or "line" in text))
    if isinstance(error, LookupError):  # an unknown name: the message lists what exists or where to look
        return "bundled:" in text or "list them" in text
    return "expected" in text and bool(getattr(error, "argument", None))


def classify(run: Callable[[], Any]) -> tuple[str, str]:
    try:
        answer = run()
    except TariffRulesError as error:
        return ("clear" if _clear(error) else "unclear"), f"{type(error).__name__}: {error}"[:300]
    except _Exact as exact:
        return "exact", str(exact)
    except Exception as error:  # noqa: BLE001 - the point is to count them
        return "crash", f"{type(error).__name__}: {error}"[:300]
    return "silent", repr(answer)[:300]


# -- library inputs -----------------------------------------------------------------------
def _resolve(*args: Any, rules=US, **facts: Any) -> Callable[[], Any]:
    def run():
        r = rules.resolve(*args, **facts)
        return (r.headings, r.rate) if not r.levies or all(l.portion.is_whole for l in r.levies) else r.headings
    return run


class _Exact(Exception):
    """An 8-digit code answered where each of its 10-digit lines in force answers alike: exact, not silent."""


def _split(code: str, origin: str, when: Any, **facts: Any) -> Callable[[], Any]:
    """A split 8-digit code: clear when refused, exact when answered like every one of its lines, else silent."""
    def run():
        answer = US.resolve(code, origin, when, **facts)
        split = next(s for s in US.info.split_codes if s.code == answer.query.code)
        mask = US.info.schedule.window(answer.query.entered)
        for line in split.lines:
            if US.info.schedule.codes.get(line, 0) & mask and \
                    US.resolve(line, origin, when, **facts).levies != answer.levies:
                return answer.headings
        raise _Exact(f"answered like each of its {len(split.lines)} lines")
    return run


def library_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    cases: list[tuple[str, str, Callable[[], Any]]] = []
    add = lambda kind, what, run: cases.append((kind, what, run))  # noqa: E731
    # 1. codes
    for code in ["9999.99.99", "0000.00.00", "9999999999", "0000000000", "9903.01.25", "9903.94.01", "9903.88.15",
                 "9903.01.25.00", "9817.00.96.00"[:0] or "9903.85.08", "0101.99.99", "8703.23.99", "8703.99.99.99",
                 "2709.00.00.99", "8471.30.02", "7208.51.00.99", "1234.56.78", "9802.00.99", "0000.00.01.00",
                 "8703.23.01.99"]:
        for when in ("2025-05-01", "2026-03-01"):
            add("codes", f"{code} on {when}", _resolve(code, "JP", when))
    for split in US.info.split_codes[:40]:
        version = split.differing[0][0]
        origin = "DE" if version.origins.covers("DE") else (sorted(version.origins.members) or ["JP"])[0]
        start = max(version.period.start, US.info.horizon_start)
        add("codes", f"split 8-digit {split.code} from {origin}", _split(split.code, origin, start))
        add("codes", f"split 8-digit {split.code} from {origin}, auto_part", _split(split.code, origin, start,
                                                                                   auto_part=True))
    add("codes", "split 8482.10.50 from JP, auto part", _split("8482.10.50", "JP", "2025-08-20", auto_part=True))
    for when in ("2025-06-05", "2025-07-01"):  # a line of 2025 Revision 16 only
        add("codes", f"9401.99.30.30 on {when}", _resolve("9401.99.30.30", "JP", when))
    # 2. facts
    for value in ["MHDV", "Passenger", "", "truck", True, 1]:
        add("facts", f"vehicle_part_of={value!r}", _resolve(*GOOD, vehicle_part_of=value))
    for name in ("s232_uas_annex", "ca_s338_annex", "pharma_company_tier", "semiconductor_end_use",
                 "s232_polysilicon_product"):
        for value in ("iv", "Dairy", " I"):
            add("facts", f"{name}={value!r}", _resolve(*GOOD, **{name: value}))
    for kind in ("stele", "Steel", "", " steel", "STEEL", "alu"):
        add("facts", f"content kind {kind!r}", _resolve(*GOOD, value="1000", content={kind: "10"}))
    for loaded in ("2025-05-02", "2025-12-31", "2026-01-01"):
        add("facts", f"loaded {loaded} after entry", _resolve(*GOOD, loaded=loaded))
    for over in ("1000.01", "2000", "1e6"):
        add("facts", f"content {over} above value 1000", _resolve(*GOOD, value="1000", content={"steel": over}))
    for flag in ("no", "yes", "False", 0, 1, None):
        add("facts", f"allow_stale={flag!r}", _resolve(*GOOD, allow_stale=flag))
    for name in ("metal_us_share", "metal_uk_share", "metal_weight_share"):
        for value in ("-1", "100.5", "1e9", "500"):
            add("facts", f"{name}={value}", _resolve(*GOOD, **{name: value}))
    for cell in ("nan", "NaN", "inf", "-5", "1,000", "1e400", 1.5, True, "12 USD"):
        add("facts", f"value={cell!r}", _resolve(*GOOD, value=cell))
    for cell in ("١٠٠٠", "１０００", "1_000", Decimal("NaN"), "sNaN", "0x10", "1000 USD", "--5"):  # fresh, issue 14
        add("facts", f"value={cell!r} (digits)", _resolve(*GOOD, value=cell))
    add("facts", "content steel=١٠ (Arabic-Indic digits)", _resolve(*GOOD, value="100", content={"steel": "١٠"}))
    for fact, value in (("usmca", "yes"), ("usmca", 1), ("nonsense", True), ("mfn", "-2"), ("mfn", "abc"),
                        ("loaded", "yesterday"), ("content", "steel=5"), ("transshipped", "maybe")):
        add("facts", f"{fact}={value!r}", _resolve(*GOOD, **{fact: value}))
    # 3. crashes
    add("crashes", "9999-12-31 with allow_stale", _resolve("8703.23.01.90", "JP", "9999-12-31", allow_stale=True))
    add("crashes", "date 9999-12-31", _resolve("8703.23.01.90", "JP", dt.date(9999, 12, 31), allow_stale=True))
    add("crashes", "date 0001-01-01", _resolve("8703.23.01.90", "JP", dt.date(1, 1, 1)))
    add("crashes", "as_of 0001-01-01", _resolve(*GOOD, as_of="0001-01-01"))
    add("crashes", "as_of 9999-12-31", _resolve(*GOOD, as_of="9999-12-31"))
    add("crashes", "timeline to 9999-12-31", lambda: US.timeline("8703.23.01.90", "JP", "2025-05-01", "9999-12-31",
                                                                 allow_stale=True))
    add("crashes", "timeline end before start", lambda: US.timeline("8703.23.01.90", "JP", "2025-05-01",
                                                                    "2025-04-01"))
    for bad in (None, 5, "", b"us", 3.5, ["a"]):
        add("crashes", f"load({bad!r})", lambda bad=bad: tariffrules.load(bad))
    add("crashes", "load(missing folder)", lambda: tariffrules.load("/nonexistent/rules"))
    for bad in (5, None, "8703", 3.5, {"hts": "8703.23.01"}):
        add("crashes", f"revisions({bad!r})", lambda bad=bad: list(US.revisions(bad)))
        add("crashes", f"resolve_many({bad!r})", lambda bad=bad: list(US.resolve_many(bad)))
    add("crashes", "builtin('nope')", lambda: tariffrules.builtin("nope"))
    for code in ("9999.99.99", "9903.01.25", "0101.99.99"):  # a span of time: the code must be a line of some revision
        add("codes", f"changes(hts={code})", lambda code=code: US.changes("2025-01-01", "2025-06-01", hts=code))
    for samples, seed in ((-1, 0), (0, 0), ("x", 0), (10, 1.5), (True, 0)):
        add("crashes", f"validate(samples={samples!r}, seed={seed!r})",
            lambda samples=samples, seed=seed: US.validate(samples=samples, seed=seed))
    add("crashes", "when with offset +25:00", _resolve("8703.23.01.90", "JP", "2025-05-01T12:00:00+25:00"))
    add("crashes", "get('nope')", lambda: US.get("nope"))
    for when in ("2025-02-30", "31/12/2025", "", "today", dt.datetime(2025, 5, 1, 12), 20250501, None):
        add("crashes", f"when={when!r}", _resolve("8703.23.01.90", "JP", when))
    for origin in ("XX", "EU", "", None, "jpn", 81):
        add("crashes", f"origin={origin!r}", _resolve("8703.23.01.90", origin, "2025-05-01"))
    for code in (None, 87032301, "8703", "8703.23.01.9", "87O3.23.01", "８７０３２３０１", ""):
        add("crashes", f"hts={code!r}", _resolve(code, "JP", "2025-05-01"))
    # tester14 (issue 14): an as_of before what the rule set knows, non-ISO origins, a compact date, yes/no text
    for as_of in ("2020-01-01", "2024-12-31", dt.date(2019, 1, 1), "2024-12-31T23:59:59-05:00"):
        add("facts", f"as_of={as_of!r} (before the rule set knows)", _resolve("8525.89.30", "JP", "2025-07-01",
                                                                             as_of=as_of, value="1000"))
    for origin in ("UK", "EL", "EU", "JPN", "392", "FX", "XK"):
        add("crashes", f"origin={origin!r} (not ISO alpha-2)", _resolve("8703.23.01.90", origin, "2025-05-01"))
    for when in ("20250405", "20250229"):
        add("crashes", f"when={when!r} (compact)", _resolve("8703.23.01.90", "JP", when))
    for cell in ("t", "f", "maybe", "yes please", "Ja", 2):
        add("facts", f"usmca={cell!r} (yes/no text)", _resolve("8703.23.01.90", "MX", "2025-07-01", usmca=cell))
    # tester14b (issue 14): odd batch lines, duty() arguments, chunk_rows
    line = ("8525.89.30", "JP", "2025-07-01")
    for odd in (line + (None,), line + ("value=1",), {"hts": line[0], "origin": "JP", "when": line[2],
                                                      "allow_stale": True}):
        add("crashes", f"resolve_many line {odd!r}", _in_place(US.resolve_many, [line, odd, line]))
        add("crashes", f"revisions line {odd!r}", _in_place(US.revisions, [line, odd, line]))
    for amount in ("abc", 1000.0, Decimal("Infinity"), Decimal("1e30"), Decimal("-5"), Decimal("NaN"), True):
        for method in ("duty", "general_duty", "total_duty"):
            add("facts", f"Resolution.{method}({amount!r})",
                lambda amount=amount, method=method: getattr(US.resolve("8703.23.01", "JP", "2025-04-16"),
                                                             method)(amount))
    add("crashes", "resolve_table(chunk_rows=-1)", _table_chunks(-1))
    return cases


def _in_place(method: Callable[..., Any], lines: list) -> Callable[[], Any]:
    """Run a batch method on three lines, the middle one odd: clear when every line has its answer in place and
    the odd one its typed error (raised here to be classified)."""
    def run():
        answers = list(method(lines))
        if len(answers) == len(lines) and isinstance(answers[1], TariffRulesError) \
                and not isinstance(answers[2], TariffRulesError):
            raise answers[1]
        return answers
    return run


def _table_chunks(rows: Any) -> Callable[[], Any]:
    def run():
        import pyarrow as pa

        return US.resolve_table(pa.table({"hts": ["8525.89.30"], "origin": ["JP"], "when": ["2025-07-01"]}),
                                chunk_rows=rows)
    return run


# -- rule files ---------------------------------------------------------------------------------
def _rule_variant(edit: Callable[[Path], None]) -> Callable[[], Any]:
    def run():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "toy"
            shutil.copytree(TOY, folder)
            edit(folder)
            return tariffrules.load(folder).info.name
    return run


def _sub(file: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return edit


def _nested(depth: int) -> Callable[[Path], None]:
    cond = '{ fact = "usmca", is = true }'
    for _ in range(depth):
        cond = "{ all = [" + cond + "] }"
    return _sub("sector.toml", "[[levy]]", "[[levy]]\nwhen = [" + cond + "]")


def _bytes(file: str, prefix: bytes) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        (folder / file).write_bytes(prefix + (folder / file).read_bytes())
    return edit


def rule_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    cases = []
    add = lambda what, edit: cases.append(("rule files", what, _rule_variant(edit)))  # noqa: E731
    sector = (TOY / "sector.toml").read_text()
    steel_id = re.search(r'id = "(toy\.sector\.[a-z_]+)"', sector).group(1)
    add("a levy that replaces itself", _sub("sector.toml", f'id = "{steel_id}"',
                                            f'id = "{steel_id}"\nreplaces = ["{steel_id}"]'))
    add("a levy that excludes itself", _sub("border.toml", 'id = "toy.border.ca"',
                                            'id = "toy.border.ca"\nexcludes = ["toy.border.ca"]'))
    baseline = (TOY / "baseline.toml").read_text()
    suspension = baseline[baseline.index("[[suspension]]"):]
    suspension = suspension[:suspension.index("\n[[", 1)] if "\n[[" in suspension[1:] else suspension
    add("a suspension id defined twice", lambda folder: (folder / "baseline.toml").write_text(
        (folder / "baseline.toml").read_text() + "\n" + suspension.split("[[suspension.version]]")[0]))
    add("an MFN code twice", lambda folder: (folder / "mfn.csv").write_text(
        (folder / "mfn.csv").read_text() + "8703,2.5\n8703,3\n"))
    add("a negative MFN rate", lambda folder: (folder / "mfn.csv").write_text(
        (folder / "mfn.csv").read_text() + "8704,-2.5\n"))
    add("MFN rate 1e400", lambda folder: (folder / "mfn.csv").write_text((folder / "mfn.csv").read_text()
                                                                         + "8705,1e400\n"))
    add("reviewed before horizon_start", _sub("ruleset.toml", "reviewed = ", "reviewed = 2024-06-30\n#"))
    add("a Latin-1 comment", _bytes("sector.toml", b"# caf\xe9 cr\xe8me\n"))
    add("a NUL byte", _bytes("sector.toml", b"# \x00\n"))
    add("a UTF-16 file", lambda folder: (folder / "sector.toml").write_bytes(
        (folder / "sector.toml").read_text().encode("utf-16")))
    for depth in (17, 100, 5000):
        add(f"conditions nested {depth} deep", _nested(depth))
    for rate in ("1e400%", "1e-400%", "NaN%", "Infinity%", "-5%", "100000%", "25", "25 %x"):
        add(f"rate {rate}", lambda folder, rate=rate: (folder / "sector.toml").write_text(
            re.sub(r'rate = "[^"]*"', f'rate = "{rate}"', (folder / "sector.toml").read_text(), count=1)))
    add("a choice fact with no choices", _sub("ruleset.toml", 'type = "bool"', 'type = "choice"'))
    add("a fact type 'enum'", _sub("ruleset.toml", 'type = "bool"', 'type = "enum"'))
    add("a fact default of the wrong type", _sub("ruleset.toml", "default = false", 'default = "no"'))
    add("on_missing = 'guess'", _sub("ruleset.toml", 'type = "bool"', 'type = "bool"\non_missing = "guess"'))
    add("min on a bool fact", _sub("ruleset.toml", 'type = "bool"', 'type = "bool"\nmin = "0"'))
    add("an unknown key", _sub("sector.toml", "[[levy]]", "[[levy]]\ncolour = \"blue\""))
    add("end before start", _sub("sector.toml", "[[levy]]", "[[levy]]\nend = 2020-01-01"))
    add("relation to no levy", _sub("sector.toml", f'id = "{steel_id}"', f'id = "{steel_id}"\nreplaces = ["nope.x"]'))
    add("a schedule with no code file", _sub("ruleset.toml", "[ruleset]",
                                             '[ruleset]\nschedule = { codes = "none.csv", revisions = '
                                             '[ { name = "a", start = 2025-01-01 } ] }'))
    add("a schedule with unordered revisions", _sub("ruleset.toml", "[ruleset]",
                                                    '[ruleset]\nschedule = { codes = "mfn.csv", revisions = ['
                                                    '{ name = "b", start = 2025-06-01 }, '
                                                    '{ name = "a", start = 2025-01-01 } ] }'))
    add("a code table with a bad header", _sub("ruleset.toml", "[ruleset]",
                                               '[ruleset]\nschedule = { codes = "mfn.csv", revisions = ['
                                               '{ name = "a", start = 2025-01-01 } ] }'))
    return cases


# -- batch files ----------------------------------------------------------------------------------
def _batch(data: bytes, rows: int | None, *argv: str) -> Callable[[], Any]:
    """Run ``batch`` on the bytes; clear when every data row has its output row, bad ones with an error."""
    def run():
        with tempfile.TemporaryDirectory() as tmp:
            source, target = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
            source.write_bytes(data)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = cli_main(["batch", str(source), str(target), *argv])
            message = err.getvalue()
            if "Traceback" in message:
                raise RuntimeError(message)
            if rows is None:  # the whole file must be refused with a message naming what was expected
                if code == 1 and "expected" in message and not PYTHON_REPR.search(message):
                    raise _CliRefused(message)
                return f"exit {code}: {message}"
            csv.field_size_limit(1 << 24)  # the output keeps long cells as they were
            with open(target, newline="", encoding="utf-8") as f:
                out = list(csv.DictReader(f))
            errors = sum(1 for row in out if row.get("error"))
            if len(out) == rows and errors >= 1:
                raise _CliRefused(f"{rows} rows out, {errors} with an error in place")
            return f"{len(out)} rows out for {rows} in, {errors} errors"
    return run


class _CliRefused(TariffRulesError):
    """The command line refused the input clearly (exit 1 or 2, a message saying what was expected)."""

    argument = "command line"

    def __init__(self, message: str) -> None:
        super().__init__(message.strip() + " (expected: a clear refusal)")


def batch_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    head = b"hts,origin,when,value\n"
    good = b"8703.23.01.90,JP,2025-05-01,1000\n"
    cases = []
    add = lambda what, data, rows, *argv: cases.append(("batch files", what, _batch(data, rows, *argv)))  # noqa
    add("a blank line between rows", head + good + b"\n" + good, 3)
    add("two blank lines", head + good + b"\n\n" + good, 4)
    add("a line of spaces", head + good + b"   \n" + good, 3)
    add("a byte that is not UTF-8", head + good + b"8703.23.01.90,J\xe9,2025-05-01,1\n" + good, 3)
    add("a Latin-1 file", head + "8703.23.01.90,JP,2025-05-01,1000 ¤\n".encode("latin-1"), 1)
    add("a cell over the CSV field limit", head + good + b"8703.23.01.90,JP,2025-05-01," + b"9" * 200_000 + b"\n", 2)
    add("a quoted cell over the limit", head + b'8703.23.01.90,JP,2025-05-01,"' + b"x" * 300_000 + b'"\n' + good, 2)
    add("an extra cell (1,000 unquoted)", head + b"8703.23.01.90,JP,2025-05-01,1,000\n" + good, 2)
    add("a missing cell", head + b"8703.23.01.90,JP,2025-05-01\n" + good, 2)
    add("value nan", head + b"8703.23.01.90,JP,2025-05-01,nan\n" + good, 2)
    add("value NaN", head + b"8703.23.01.90,JP,2025-05-01,NaN\n" + good, 2)
    add("value None", head + b"8703.23.01.90,JP,2025-05-01,None\n" + good, 2)
    add("hts nan", head + b"nan,JP,2025-05-01,1\n" + good, 2)
    add("origin nan", head + b"8703.23.01.90,nan,2025-05-01,1\n" + good, 2)
    add("a chapter 99 heading as hts", head + b"9903.01.25,JP,2025-05-01,1\n" + good, 2)
    add("9999.99.99 as hts", head + b"9999.99.99,JP,2025-05-01,1\n" + good, 2)
    add("date 9999-12-31", head + b"8703.23.01.90,JP,9999-12-31,1\n" + good, 2, "--allow-stale")
    add("an unclosed quote", head + good + b'"8703.23.01.90,JP,2025-05-01,1\n', 2)
    add("a NUL byte", head + b"8703.23.01.90,JP,2025-05-01,1\x00\n" + good, 2)
    add("duplicate header names", b"hts,HTS,origin,when\n1,2,3,4\n", None)
    add("duplicate header names (spacing)", b"hts,origin,when,when \n1,2,3,4\n", None)
    add("a missing column", b"code,origin,when\n8703,JP,2025-05-01\n", None)
    add("an empty file", b"", None)
    add("only blank lines", b"\n\n\n", None)
    add("a header only of separators", b",,,\n", None)
    add("semicolons without when", b"hts;origin;date\n8703.23.01.90;JP;2025-05-01\n", None)
    add("unknown choice in a column", head[:-1] + b",vehicle_part_of\n8703.23.01.90,JP,2025-05-01,1,MHDV\n"
        + b"8703.23.01.90,JP,2025-05-01,1,mhdv\n", 2)
    add("content kind stele", head[:-1] + b",content\n8703.23.01.90,JP,2025-05-01,100,stele=5\n" + b"\n", 2)
    add("content twice", head[:-1] + b",content\n8703.23.01.90,JP,2025-05-01,100,steel=5;steel=6\n", 1)
    add("a bool cell 'maybe'", head[:-1] + b",usmca\n8703.23.01.90,JP,2025-05-01,100,maybe\n", 1)
    add("Arabic-Indic digits in value", head + "8703.23.01.90,JP,2025-05-01,١٠٠\n".encode() + good, 2)
    add("value 1_000", head + b"8703.23.01.90,JP,2025-05-01,1_000\n" + good, 2)
    add("tab-separated, duplicate header", b"hts\torigin\twhen\tHTS\n1\t2\t3\t4\n", None)
    # tester14 (issue 14)
    add("as_of 2020-01-01 (before the rule set knows)", head[:-1] + b",as_of\n8525.89.30,JP,2025-07-01,1000,2020-01-01\n"
        + b"8525.89.30,JP,2025-07-01,1000,2025-07-01\n", 2)
    add("a column USMCA claim", head[:-1] + b",USMCA claim\n8703.23.01,MX,2025-07-01,1000,yes\n", None)
    add("a column Customs Value", b"hts,origin,when,Customs Value\n8703.23.01,MX,2025-07-01,1000\n", None)
    add("--keep-column of no column", head + good, None, "--keep-column", "USMCA claim")
    add("--keep-column of a read column", head + good, None, "--keep-column", "value")
    add("Excel trailing empty columns, text under one", head.replace(b",", b";")[:-1] + b";;\n"
        + good.replace(b",", b";")[:-1] + b";;\n" + good.replace(b",", b";")[:-1] + b";x;\n", 2)
    add("an unnamed column between named ones", b"hts,,origin,when\n8703.23.01.90,,JP,2025-05-01\n", None)
    add("a bool cell 't'", head[:-1] + b",usmca\n8703.23.01.90,MX,2025-07-01,100,t\n" + good, 2)
    add("a NUL byte in hts", head + b"8703.23.01.90\x00,JP,2025-05-01,1\n" + good, 2)
    add("a compact date", head + b"8703.23.01.90,JP,20250501,1\n" + good, 2)
    add("origin UK", head + b"8703.23.01.90,UK,2025-05-01,1\n" + good, 2)
    # tester14b (issue 14): a dot before three digits (40.000: forty or forty thousand?), look-alike headers
    semi = b"hts;origin;when;value;content\n"
    add("value 40.000 (dot thousands?)", semi + b"8703.23.01;DE;2025-08-20;40.000;\n8703.23.01;DE;2025-08-20;40000;\n", 2)
    add("content steel=4.000 (dot thousands?)", semi + b"7308.90.95;DE;2025-07-01;10000;steel=4.000\n"
        + b"7308.90.95;DE;2025-07-01;10000;steel=4000\n", 2)
    for header in (b"Load Date", b"loading date", b"Ch98"):
        add(f"a column {header.decode()}", head[:-1] + b"," + header + b"\n8525.89.30,JP,2025-04-16,1000,2025-04-01\n",
            None)
    add("BOM, CRLF and a blank line", b"\xef\xbb\xbf" + head.replace(b"\n", b"\r\n") + good.replace(b"\n", b"\r\n")
        + b"\r\n" + good.replace(b"\n", b"\r\n"), 3)
    return cases


# -- command line -------------------------------------------------------------------------------------
def _cli(*argv: str) -> Callable[[], Any]:
    def run():
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = cli_main(list(argv))
        message = err.getvalue()
        if "Traceback" in message:
            raise RuntimeError(message)
        if code in (1, 2) and message.strip():
            if PYTHON_REPR.search(message):
                raise _Unclear(message)
            raise _CliRefused(message)
        return f"exit {code}: {out.getvalue()[:200]}"
    return run


class _Unclear(TariffRulesError):
    """A refusal whose message shows a Python repr."""


def cli_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    g = ["8703.23.01.90", "JP", "2025-05-01"]
    cases = []
    add = lambda what, *argv: cases.append(("command line", what, _cli(*argv)))  # noqa: E731
    add("--fact usmca=no --usmca", "resolve", *g, "--fact", "usmca=no", "--usmca")
    add("--fact usmca=yes --no-usmca", "resolve", *g, "--fact", "usmca=yes", "--no-usmca")
    add("--usmca --no-usmca", "resolve", *g, "--usmca", "--no-usmca")
    add("repeated --content steel=", "resolve", *g, "--content", "steel=1", "--content", "steel=2")
    add("--content steel=1;steel=2", "resolve", *g, "--content", "steel=1;steel=2")
    add("repeated --fact", "resolve", *g, "--fact", "vehicle_part_of=mhdv", "--fact", "vehicle_part_of=passenger")
    add("--content stele=1", "resolve", *g, "--value", "10", "--content", "stele=1")
    add("--value x", "resolve", *g, "--value", "x")
    add("--value nan", "resolve", *g, "--value", "nan")
    add("--mfn -1", "resolve", *g, "--mfn", "-1")
    add("--loaded after entry", "resolve", *g, "--loaded", "2025-06-01")
    add("--fact vehicle_part_of=MHDV", "resolve", *g, "--fact", "vehicle_part_of=MHDV")
    add("--fact metal_us_share=500", "resolve", *g, "--fact", "metal_us_share=500")
    add("--fact nonsense=1", "resolve", *g, "--fact", "nonsense=1")
    add("--fact without =", "resolve", *g, "--fact", "usmca")
    add("DATE 9999-12-31 --allow-stale", "resolve", "8703.23.01.90", "JP", "9999-12-31", "--allow-stale")
    add("DATE after review", "resolve", "8703.23.01.90", "JP", "2027-01-01")
    add("DATE 2025-02-30", "resolve", "8703.23.01.90", "JP", "2025-02-30")
    add("HTS 9903.01.25", "resolve", "9903.01.25", "JP", "2025-05-01")
    add("HTS 9999.99.99", "resolve", "9999.99.99", "JP", "2025-05-01")
    add("HTS 0000.00.00", "resolve", "0000.00.00", "JP", "2025-05-01")
    add("ORIGIN XX", "resolve", "8703.23.01.90", "XX", "2025-05-01")
    add("--as-of garbage", "resolve", *g, "--as-of", "soon")
    add("timeline END before START", "timeline", "8703.23.01.90", "JP", "2025-05-01", "2025-01-01")
    add("--rules missing", "resolve", *g, "--rules", "/nonexistent")
    add("validate a missing folder", "validate", "/nonexistent")
    add("show an unknown id", "show", "nope.nope")
    add("list --at garbage", "list", "--at", "garbage")
    add("batch same IN and OUT", "batch", str(TOY / "ruleset.toml"), str(TOY / "ruleset.toml"))
    add("batch missing IN", "batch", "/nonexistent.csv", "-")
    for option, first, second in (("--value", "10", "20"), ("--as-of", "2025-04-01", "2025-06-01"),
                                  ("--mfn", "2.5", "0"), ("--loaded", "2025-04-01", "2025-04-02"),
                                  ("--rules", "us", "cn")):  # the last one silently winning would answer another question
        add(f"{option} twice", "resolve", *g, option, first, option, second)
    add("--value ١٠٠", "resolve", *g, "--value", "١٠٠")
    add("--content steel (no =)", "resolve", "7308.90.95", "DE", "2025-07-01", "--value", "1000", "--content", "steel")
    add("--as-of 2020-01-01", "resolve", *g, "--as-of", "2020-01-01")
    add("ORIGIN UK", "resolve", "8703.23.01.90", "UK", "2025-05-01")
    add("DATE 20250501", "resolve", "8703.23.01.90", "JP", "20250501")
    add("--fact usmca=t", "resolve", "8703.23.01.90", "MX", "2025-07-01", "--fact", "usmca=t")
    add("timeline --value twice", "timeline", "8703.23.01.90", "JP", "2025-04-01", "2025-06-01", "--value", "1",
        "--value", "2")
    for option in ("--as-of", "--value", "--loaded", "--mfn", "--rules"):  # tester14b: empty values
        add(f"{option} ''", "resolve", *g, option, "")
    for pair in ("--content=", "--fact=usmca=", "--fact=chapter98="):
        add(f"{pair}''", "resolve", *g, pair.split("=", 1)[0], pair.split("=", 1)[1])
    return cases


def catalogue() -> list[tuple[str, str, Callable[[], Any]]]:
    return (library_cases() + rule_cases() + batch_cases() + cli_cases() + chapter98_code_cases() + left_cases()
            + tester14c_other_cases() + tester14c_batch_cases())


def run_catalogue(verbose: bool = False) -> dict[str, int]:
    counts = {"clear": 0, "exact": 0, "unclear": 0, "crash": 0, "silent": 0}
    by_kind: dict[str, dict[str, int]] = {}
    for kind, what, run in catalogue():
        outcome, detail = classify(run)
        counts[outcome] += 1
        by_kind.setdefault(kind, dict.fromkeys(counts, 0))[outcome] += 1
        if verbose or outcome in ("crash", "silent"):
            print(f"{outcome:8} {kind:13} {what}: {detail}")
    for kind, kinds in by_kind.items():
        print(f"{kind:13} " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    total = sum(counts.values())
    print(f"{total} bad inputs: {counts['clear']} clear typed errors, {counts['exact']} exact answers (a split "
          f"code whose lines agree, or a file read as documented), {counts['unclear']} unclear, "
          f"{counts['crash']} untyped crashes, {counts['silent']} silent answers")
    return counts


# -- chapter 98 numbers given as the good's code (issue 14 finding; helper h12-9802) ------------------------------
def chapter98_code_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    """A chapter 98 provision is claimed with the fact chapter98 on the good's chapter 1-97 code: its number in
    place of the code is refused (schedule.not_goods of the US rule set), whatever the facts."""
    cases = [("codes", "9801.00.10 from JP on 2025-04-16", _resolve("9801.00.10", "JP", "2025-04-16")),
             ("codes", "9802.00.80 from MX on 2025-07-01", _resolve("9802.00.80", "MX", "2025-07-01")),
             ("codes", "9802.00.80 from MX with chapter98=9802.00.80",
              _resolve("9802.00.80", "MX", "2025-07-01", chapter98="9802.00.80", value="1000")),
             ("codes", "9817.00.96 from JP on 2026-03-01", _resolve("9817.00.96", "JP", "2026-03-01"))]
    cases.append(("codes", "changes(hts=9802.00.80)", lambda: US.changes("2025-01-01", "2025-06-01", hts="9802.00.80")))
    return cases


# -- tester14b and perf16 items fixed by helper h14-left ---------------------------------------------------------------
class _InPlace(TariffRulesError):
    """A batch-like call kept the bad line in place with its typed error (the report's error cell)."""

    argument = "row"


def _refund(**cells: Any) -> Callable[[], Any]:
    """One refund line: clear when its error cell says what and what was expected and the entry is undecided."""
    def run():
        row = {"entry_number": "ABC-1234567-1", "line_number": "1", "entry_date": "2025-04-16", "hts": "8525.89.30",
               "origin": "JP", "value": "12000.00", "declared": "9903.01.25=1200.00", "entry_type": "01",
               "liquidation_status": "unliquidated", **cells}
        line, = US.refunds([row], on="2026-05-01")
        if line.error and "expected" in line.error and line.decision.route is None:
            raise _InPlace(line.error)
        return line.to_row()["route"], line.error
    return run


def _table(columns: dict, names: list[str] | None = None) -> Callable[[], Any]:
    def run():
        import pyarrow as pa

        table = pa.Table.from_arrays([pa.array(v) for v in columns.values()], names=names or list(columns))
        return US.resolve_table(table).to_pylist()
    return run


def _batch_stderr(data: bytes, needle: str, *argv: str, exact: bool = False) -> Callable[[], Any]:
    """Run ``batch IN -``: clear (or exact) when stderr holds ``needle`` and every data row has its output row."""
    def run():
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "in.csv"
            source.write_bytes(data)
            err, out = io.StringIO(), io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                code = cli_main(["batch", str(source), "-", *argv])
            if "Traceback" in err.getvalue():
                raise RuntimeError(err.getvalue())
            if needle in err.getvalue() and code in (0, 1):
                if exact:
                    raise _Exact(f"read as documented: {err.getvalue().strip()[:200]}")
                raise _CliRefused(err.getvalue())
            return f"exit {code}: {err.getvalue()[:200]} {out.getvalue()[:200]}"
    return run


def _says(run: Callable[[], Any], *words: str) -> Callable[[], Any]:
    """``run``, with a typed error counted unclear unless its message holds every one of ``words`` (what the
    message must name to be understood: the invisible character, the option to use, ...)."""
    def checked():
        try:
            return run()
        except TariffRulesError as error:
            if all(word in str(error) for word in words):
                raise
            raise _Unclear(f"{error} (does not say {', '.join(w for w in words if w not in str(error))})") from None
    return checked


def left_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    cases: list[tuple[str, str, Callable[[], Any]]] = []
    add = lambda kind, what, run: cases.append((kind, what, run))  # noqa: E731
    # refunds (R2-R4) and revisions (RV3)
    add("facts", "refunds: liquidation date before the entry date",
        _refund(liquidation_status="liquidated", liquidation_date="2025-03-01"))
    for number in ("0", "-1"):
        add("facts", f"refunds: line_number {number}", _refund(line_number=number))
    add("facts", "refunds: declared 1200.005 (finer than a cent)", _refund(declared="9903.01.25=1200.005"))
    add("facts", "refunds: declared 9903.01.25:1200 (no =)", _says(_refund(declared="9903.01.25:1200"),
                                                                   '"9903.01.25:1200" is not'))
    add("facts", "refunds: entry_date after the review day", _says(_refund(entry_date="2026-11-16"), "entry_date=", "--allow-stale"))
    add("facts", "revisions: now before filed_as_of", lambda: list(US.revisions(
        [{"hts": "8525.89.30", "origin": "JP", "when": "2025-04-16", "value": "1000"}], filed_as_of="2026-03-01",
        now="2025-05-01")))
    add("facts", "refunds: now before the rule set knows", _says(lambda: US.refunds([], on="2026-05-01",
                                                                                   now="2020-01-01"), "now="))
    # codes written oddly (H18, P6)
    add("codes", "a zero-width space inside a code", _says(_resolve("8703\u200b2301", "JP", "2025-05-01"), "U+200B"))
    add("codes", "a code that lost its leading zero (1012100)", _says(_resolve("1012100", "JP", "2025-05-01"), "leading zero"))
    add("crashes", "a zero-width space inside an origin", _says(_resolve("8703.23.01", "J\u200bP", "2025-05-01"), "U+200B"))
    # rule files (V13, V14, V17, V31, V19)
    start = 'start = 2025-04-03T00:01:00\ngoods = ["8703"]'
    cases.append(("rule files", "a start the zone skips (DST gap)", _rule_variant(_sub(
        "sector.toml", start, start.replace("2025-04-03T00:01:00", "2025-03-09T02:30:00")))))
    cases.append(("rule files", "a start the zone passes twice (DST fold)", _rule_variant(_sub(
        "sector.toml", start, start.replace("2025-04-03T00:01:00", "2025-11-02T01:30:00")))))
    cases.append(("rule files", "goods = []", _rule_variant(_sub("sector.toml", 'goods = ["8703"]', "goods = []"))))
    cases.append(("rule files", "except_goods equal to goods", _rule_variant(_sub(
        "sector.toml", 'goods = ["8703"]', 'goods = ["8703"]\nexcept_goods = ["8703"]'))))
    cases.append(("rule files", "a content kind misspelt (stele)", _rule_variant(_sub(
        "sector.toml", 'base = { content = "steel" }', 'base = { content = "stele" }'))))
    # resolve_table headers (T16, T17)
    base = {"hts": ["8525.89.30"], "origin": ["JP"], "when": ["2025-07-01"]}
    for header in ("Customs Value", "USMCA claim", "Load Date"):
        add("batch files", f"resolve_table with a column {header}", _table({**base, header: ["5"]}))
    add("batch files", "resolve_table with two value columns",
        _table({**base, "value": ["1"], "value2": ["2"]}, list(base) + ["value", "value"]))
    for missing in ("hts", "origin", "when"):  # tester14b T3: every row said "origin=(not given)"
        add("batch files", f"resolve_table without a {missing} column",
            _says(_table({k: v for k, v in base.items() if k != missing}), f"has no column {missing}"))
    # batch files (B-l, B-m, B-n, perf16 section 5)
    head, good = b"hts,origin,when\n", b"8703.23.01,JP,2025-04-15\n"
    add("batch files", "a row with as_of after the review day", _batch_stderr(
        b"hts,origin,when,value,as_of\n8525.89.30,JP,2025-08-10,1000,2099-01-01\n", "have an as_of after"))
    for argv in ((), ("--columnar",)):
        flag = " with --columnar" if argv else ""
        add("batch files", f"a UTF-16 file{flag}", _batch_stderr((head + good).decode().encode("utf-16"),
                                                                 "is UTF-16 text", *argv))
        add("batch files", f"a CR inside the header row{flag}", _batch_stderr(
            b"hts,origin,when\r,,\n" + good, "carriage return (CR, 0x0d)", *argv))
        add("batch files", f"an Excel sep=; line{flag}", _batch_stderr(
            b"sep=;\nhts;origin;when\n8703.23.01;JP;2025-04-15\n", "1 row(s) written", *argv, exact=True))
    add("batch files", "trailing empty header cells, text under one, --columnar", _batch(
        b"hts,origin,when,,\n8703.23.01,JP,2025-04-15,,\n8703.23.01,JP,2025-04-15,,x\n", 2, "--columnar"))
    add("batch files", "a semicolon file with --columnar", _batch_stderr(
        b"hts;origin;when\n8703.23.01;JP;2025-04-15\n", "IN is semicolon-separated", "--columnar", exact=True))
    add("batch files", "--columnar to standard output, a row Arrow cannot parse", _batch_stderr(
        head + b"8703.23.01,JP,2025-04-15\r,x\n" + good, "2 row(s) written to standard output, 1 with an error",
        "--columnar"))
    # found by the generator tariffrules.testing.bad_inputs.batch_file_bytes run through both readers
    add("batch files", "a blank line, --columnar", _batch(head + good + b"\n" + good, 3, "--columnar"))
    add("batch files", "a byte that is not UTF-8, --columnar", _batch(head + b"8703.23.01,J\xe9,2025-04-15\n" + good,
                                                                     2, "--columnar"))
    add("batch files", "header HTS,Origin,When with --columnar", _batch_stderr(
        b"HTS,Origin,When\n" + good, "read row by row", "--columnar", exact=True))
    # command line (L5, L8, L12)
    for code in ("9903.01.25", "9801.00.10", "0000.00.00"):
        cases.append(("command line", f"list --hts {code}", _cli("list", "--hts", code)))
    for fact in ("loaded=2025-04-01", "value=1", "as_of=2025-06-01", "content=steel=1"):
        option = "--" + fact.split("=")[0].replace("_", "-")
        cases.append(("command line", f"--fact {fact}", _says(_cli("resolve", *GOOD, "--fact", fact), option)))
    cases.append(("command line", "validate ''", _says(_cli("validate", ""), "PATH is empty")))
    return cases


# -- tester14c: revisions, rule files, refunds and query arguments (helper h14e) ---------------------------------
def _refunds_file(data: bytes, *words: str) -> Callable[[], Any]:
    """``refunds IN -`` on the bytes: clear when refused with a message holding every one of ``words``."""
    def run():
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "in.csv"
            source.write_bytes(data)
            return _says(_cli("refunds", str(source), "-", "--on", "2026-05-01"), *words)()
    return run


def _check_bytes(file: str, prefix: bytes) -> Callable[[], Any]:
    """A toy rule file with ``prefix`` before its text: exact when it loads like the toy rule set (read past)."""
    def run():
        name = _rule_variant(_bytes(file, prefix))()
        raise _Exact(f"read as documented: rule set {name} loads")
    return run


def tester14c_other_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    cases: list[tuple[str, str, Callable[[], Any]]] = []
    add = lambda kind, what, run: cases.append((kind, what, run))  # noqa: E731
    numpy = __import__("importlib").util.find_spec("numpy") is not None
    # S5: a filing months before the entry
    add("facts", "revisions: filed_as_of months before the entry", _in_place(
        lambda lines: US.revisions(lines, filed_as_of="2025-01-02"),
        [{"hts": "8703.23.01", "origin": "DE", "when": "2025-01-10", "value": "40000"},
         {"hts": "8703.23.01", "origin": "DE", "when": "2025-08-20", "value": "40000"},
         {"hts": "8703.23.01", "origin": "DE", "when": "2025-01-02", "value": "40000"}]))
    # S6, S7: rule files that know the future, a zone that is no place
    start = 'start = 2025-04-03T00:01:00\ngoods = ["8703"]'
    add("rule files", "known after the reviewed day", _says(_rule_variant(_sub(
        "sector.toml", start, start + "\nknown = 2099-01-01T00:00:00")), "2099-01-01", "2026-12-31"))
    for zone in ("EST", "CET", "UTC+1"):
        add("rule files", f"zone = {zone}", _says(_rule_variant(_sub(
            "ruleset.toml", 'zone = "America/New_York"', f'zone = "{zone}"')), "IANA region name"))
    # S4: a declared duty above what its heading could give
    add("facts", "refunds: declared 99999.00 on a line of 1000.00", _says(_refund(
        declared="9903.01.25=99999.00", value="1000.00"), "at most 10% = 100.00"))
    # U1-U7: query arguments
    for origin in ("\uff2a\uff30", "\u0408\u0420"):
        add("origins", f"origin {origin} (look-alike letters)", _says(_resolve("8525.89.30", origin, "2025-04-16"),
                                                                     "not ASCII letters", "use JP"))
    add("instants", "when 2025-04-16+09:00 (an offset, no time)", _says(
        _resolve("8525.89.30", "JP", "2025-04-16+09:00"), "no time before it", "2025-04-16T00:00+09:00"))
    add("facts", "value Fraction(1, 3)", _says(_resolve("8525.89.30", "JP", "2025-04-16",
                                                         value=__import__("fractions").Fraction(1, 3)),
                                                "is a fraction"))
    if numpy:
        import numpy as np
        import pandas as pd

        add("instants", "when pandas.NaT", _says(_resolve("8525.89.30", "JP", pd.NaT), "is NaT"))
        add("facts", "value numpy.float64(1000)", _resolve("8525.89.30", "JP", "2025-04-16", value=np.float64(1000)))
    # U: refunds files and rule files
    add("batch files", "refunds: BOM and semicolons", _refunds_file(
        b"\xef\xbb\xbfentry_number;entry_date;hts;origin;value;declared\n", "semicolon-separated", "commas"))
    add("batch files", "refunds: no declared column", _refunds_file(
        b"entry_number,entry_date,hts,origin,value\n", "header row entry_number,entry_date,hts,origin,value"))
    add("facts", "refunds: declared 9903.01.2500 (10 digits)", _says(_refund(declared="9903.01.2500=1200.00"),
                                                                     "has 10 digits"))
    add("facts", "refunds: blank entry_date", _says(_refund(entry_date=""), "entry_date="))
    add("rule files", "origins = [cn] (lower case)", _says(_rule_variant(_sub(
        "sector.toml", 'origins = ["*"]', 'origins = ["cn"]')), "write CN"))
    add("rule files", "a group member UK", _says(_rule_variant(_sub(
        "ruleset.toml", 'NORDIC = ["DK"', 'NORDIC = ["UK", "DK"')), "use GB"))
    add("rule files", "a rule file with a UTF-8 byte-order mark", _check_bytes("sector.toml", b"\xef\xbb\xbf"))
    return cases


def _batch_to(data: bytes, out: str, *argv: str) -> Callable[[], Any]:
    """Run ``batch IN OUT`` with OUT named ``out``: exact when OUT is Parquet (magic bytes), clear when refused
    with a message naming what was expected and nothing written; silent when CSV text lands under that name."""
    def run():
        with tempfile.TemporaryDirectory() as tmp:
            source, target = Path(tmp) / "in.csv", Path(tmp) / out
            source.write_bytes(data)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = cli_main(["batch", str(source), str(target), *argv])
            if "Traceback" in err.getvalue():
                raise RuntimeError(err.getvalue())
            written = target.read_bytes() if target.exists() else b""
            if code == 0 and written[:4] == b"PAR1":
                raise _Exact("written as Parquet")
            if code == 1 and "expected" in err.getvalue() and not written:
                raise _CliRefused(err.getvalue())
            return f"exit {code}: {written[:40]!r}"
    return run


def tester14c_batch_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    """tester14c (issue 14, notes in the session's tester14c.md): batch, table and resolve_many inputs."""
    cases: list[tuple[str, str, Callable[[], Any]]] = []
    add = lambda kind, what, run: cases.append((kind, what, run))  # noqa: E731
    line = ("8525.89.30", "JP", "2025-04-16")
    add("crashes", "resolve_many(progress_every=0)", _says(lambda: list(US.resolve_many(
        [line], progress=lambda n: None, progress_every=0)), "progress_every=0"))
    add("crashes", "resolve_many(progress=\"yes\")", _says(lambda: list(US.resolve_many([line], progress="yes")),
                                                            "progress=", "not callable"))
    add("crashes", "Resolution.same_answer(None)", _says(lambda: US.resolve(*line).same_answer(None),
                                                         "not a Resolution"))
    add("facts", "resolve_many with a key HTS", _says(_in_place(US.resolve_many, [
        line, {"HTS": line[0], "origin": "JP", "when": line[2]}, line]), '"HTS"', "lower case"))
    add("facts", "resolve_many of one bare tuple", _says(lambda: list(US.resolve_many(line)), "is one line"))

    def frame_lines():
        import pandas as pd
        return list(US.resolve_many(pd.DataFrame({"hts": [line[0]], "origin": ["JP"], "when": [line[2]]})))
    add("facts", "resolve_many of a DataFrame", _says(frame_lines, "resolve_table"))

    def index_named_hts():
        import pandas as pd
        return US.resolve_table(pd.DataFrame({"origin": ["JP"], "when": [line[2]]},
                                             index=pd.Index([line[0]], name="hts")))
    add("batch files", "resolve_table with hts as the frame's index", _says(index_named_hts, "reset_index"))
    base = {"hts": [line[0]], "origin": ["JP"], "when": [line[2]]}
    add("batch files", "resolve_table with a column HTS", _says(
        _table({"HTS": [line[0]], "origin": ["JP"], "when": [line[2]]}), '"HTS" is not read as hts'))
    add("batch files", "resolve_table with Country of Origin beside origin", _table({**base, "Country of Origin": ["CN"]}))

    def keep_string():
        import pyarrow as pa
        return US.resolve_table(pa.table({**base, "note": ["x"]}), keep_columns="note")
    add("batch files", "resolve_table(keep_columns=\"note\")", _says(keep_string, "a list"))

    def decimal_value():
        import pyarrow as pa
        out = US.resolve_table(pa.table({**base, "value": pa.array([Decimal("0.005")], pa.decimal256(40, 3))}))
        if out.column("error").to_pylist() == [None] and out.column("duty").to_pylist() == [Decimal("0.00")]:
            raise _Exact("a typed decimal 0.005 read as 0.005")
        return out.to_pylist()
    add("batch files", "resolve_table with a decimal256 value 0.005", decimal_value)
    head = b"hts,origin,when,value"
    row = b"\n8525.89.30,JP,2025-04-16,1000"
    for header in (b"Country of Origin", b"countryoforigin", b"CustomsValue"):
        for argv in ((), ("--columnar",)):
            add("batch files", f"a column {header.decode()} beside the read ones {' '.join(argv)}".strip(),
                _batch(head + b"," + header + row + b",CN\n", None, *argv))
    add("batch files", "a column CustomsValue and no value", _batch(
        b"hts,origin,when,CustomsValue\n8525.89.30,JP,2025-04-16,1000\n", None))
    plain, semi = head + row + b"\n", head.replace(b",", b";") + row.replace(b",", b";") + b"\n"
    add("batch files", "CSV to out.parquet", _batch_to(plain, "out.parquet"))
    add("batch files", "CSV to OUT.PARQUET", _batch_to(plain, "OUT.PARQUET"))
    add("batch files", "semicolon CSV to out.parquet", _batch_to(semi, "out.parquet"))
    add("batch files", "semicolon CSV to out.parquet, --columnar", _batch_to(semi, "out.parquet", "--columnar"))
    add("batch files", "an empty file, --columnar", _says(_batch(b"", None, "--columnar"), "is empty"))
    add("batch files", "an unclosed quote (the lines it would swallow read on their own)", _batch_stderr(
        head + b'\n8525.89.30,JP,"2025-04-16,1000\n8525.89.30,CN,2025-04-16,1000\n', "1 with an error"))
    add("batch files", "value 0.005 in a CSV cell", _batch_stderr(
        head + b"\n8525.89.30,JP,2025-04-16,0.005\n", "0 with an error", exact=True))
    return cases


if __name__ == "__main__":
    result = run_catalogue(verbose="-v" in sys.argv)
    sys.exit(1 if result["crash"] or result["silent"] else 0)

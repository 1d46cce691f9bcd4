"""Inputs that must never be answered: strategies for the kinds of issue 14 (codes, facts, crashes, batch files).

Each strategy draws a case whose right outcome is a typed error; the robustness
properties (``tests/properties/test_prop_robustness.py``) check that the
engine raises one, and the thorough profile runs them 10,000 times.

>>> import tariffrules
>>> from tariffrules.testing.bad_inputs import bad_codes
>>> case = bad_codes(tariffrules.builtin("us")).example()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ..ruleset import RuleSet
from .strategies import QueryCase, entry_dates, origins, scoped_codes

__all__ = ["bad_codes", "split_code_queries", "conflicting_command_lines", "bad_facts", "bad_instants", "early_as_of",
           "batch_file_bytes", "mangled_codes", "bad_refund_rows", "INVISIBLE", "BAD_CELLS"]

#: characters that print as nothing or as a plain space, found in codes copied from web pages and PDFs
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", "\u202f", "\u00ad")

#: cells a broker's export may hold that are not values: each must be an error where a value is expected
BAD_CELLS = ("nan", "NaN", "None", "null", "N/A", "-", "?", "1,000", "1.000,50", "١٠٠", "1e400", "inf", " ",
             "1_000", "１０００", "sNaN", "0x10", "12 USD", "--5")


def _valid(rules: RuleSet) -> st.SearchStrategy[QueryCase]:
    return st.builds(QueryCase, hts=scoped_codes(rules), origin=origins(rules), when=entry_dates(rules))


@st.composite
def bad_codes(draw, rules: RuleSet) -> QueryCase:
    """Well-formed codes that are not lines of the schedule at the entry: a made-up code, or one under a prefix
    the schedule marks as not a good (a chapter 99 heading)."""
    case = draw(_valid(rules))
    schedule = rules.info.schedule
    choices = []
    if schedule is not None:
        def missing(code: str) -> bool:
            return not any(code.startswith(p) for p, _ in schedule.not_goods) and not any(
                schedule.is_line(code, 1 << i) or schedule.is_line(code, schedule.window(r.start))
                for i, r in enumerate(schedule.revisions))
        choices.append(st.text("0123456789", min_size=8, max_size=8).filter(missing))
        choices.append(st.sampled_from(["00000000", "0000000000", "99999999", "9999999999", "98765432"]))
        for prefix, _ in schedule.not_goods:
            choices.append(st.text("0123456789", min_size=8 - len(prefix), max_size=8 - len(prefix)).map(
                lambda tail, prefix=prefix: prefix + tail))
        # a line of some revision, entered on a day no revision then in force holds it (created later, or gone)
        dated = sorted(code for code, mask in schedule.codes.items() if mask != (1 << len(schedule.revisions)) - 1
                       and not any(code.startswith(p) for p, _ in schedule.not_goods))
        if dated:
            code = draw(st.sampled_from(dated))
            days = [r.start for i, r in enumerate(schedule.revisions)
                    if not schedule.is_line(code, schedule.window(r.start)) and rules.info.horizon_start <= r.start
                    < rules.info.stale_from]
            if days:
                when = draw(st.sampled_from(days)).astimezone(rules.info.zone)
                choices.append(st.just(QueryCase(hts=code, origin=case.origin, when=when)))
    if not choices:
        return draw(st.nothing())
    drawn = draw(st.one_of(choices))
    return drawn if isinstance(drawn, QueryCase) else QueryCase(hts=drawn, origin=case.origin, when=case.when)


@st.composite
def split_code_queries(draw, rules: RuleSet) -> QueryCase:
    """A query giving a split 8-digit code (see :mod:`tariffrules.schedule`) with an origin, an entry and facts
    drawn around a levy that covers only some of its lines: the right outcome is an
    :class:`~tariffrules.errors.AmbiguousCodeError`, or an answer equal to every 10-digit line's answer."""
    splits = [s for s in rules.info.split_codes if s.differing]
    if not splits:
        return draw(st.nothing())
    split = draw(st.sampled_from(splits))
    version = draw(st.sampled_from([v for v, _ in split.differing]))
    members = sorted(version.origins.members)
    origin = draw(st.sampled_from(members)) if members else draw(origins(rules))
    start = max(version.period.start, rules.info.horizon_start)
    end = min(version.period.end or rules.info.stale_from, rules.info.stale_from)
    if start >= end:
        return draw(st.nothing())
    when = (start + (end - start) * draw(st.floats(0, 0.999))).astimezone(rules.info.zone)
    facts = []
    for spec in rules.info.facts:
        if spec.type == "bool" and draw(st.integers(0, 3)) == 0:
            facts.append((spec.name, draw(st.booleans())))
    return QueryCase(hts=split.code, origin=origin, when=when, facts=tuple(facts))


@st.composite
def bad_facts(draw, rules: RuleSet) -> QueryCase:
    """A valid query with one impossible fact: an unknown choice, a number out of range, an unknown content
    kind, content above the value, a loading date after the entry, a cell such as ``nan``."""
    case = draw(_valid(rules))
    kinds = rules.info.content_kinds
    options: list[st.SearchStrategy[tuple[str, Any]]] = [
        st.sampled_from(BAD_CELLS).map(lambda cell: ("value", cell)),
        st.integers(1, 400).map(lambda days: ("loaded", _later(case.when, days))),
        st.text(max_size=6).filter(lambda k: k not in kinds).map(lambda k: ("content", {k: Decimal(1)})),
    ]
    if kinds:
        options.append(st.sampled_from(kinds).flatmap(lambda kind: st.integers(1, 10**6).map(
            lambda over: ("content", {kind: Decimal(100 + over)}))))
    for spec in rules.info.facts:
        if spec.type == "choice":
            options.append(st.text(max_size=12).filter(lambda v, spec=spec: v not in spec.choices).map(
                lambda v, spec=spec: (spec.name, v)))
            options.append(st.sampled_from(spec.choices).map(lambda v, spec=spec: (spec.name, v.upper() + " ")))
        if spec.type == "decimal" and spec.maximum is not None:
            options.append(st.integers(1, 10**6).map(lambda n, spec=spec: (spec.name, spec.maximum + n)))
        if spec.type == "decimal" and spec.minimum is not None:
            options.append(st.integers(1, 10**6).map(lambda n, spec=spec: (spec.name, spec.minimum - n)))
        if spec.type == "bool":  # text yes/no, Y/N, true/false, 1/0 is read (tariffrules.query.yes_no)
            options.append(st.sampled_from(["maybe", "t", "f", "yes please", "", 1, 0, 2, "Ja"]).map(
                lambda v, spec=spec: (spec.name, v)))
    name, value = draw(st.one_of(options))
    facts = (("value", Decimal(100)), (name, value)) if name == "content" else ((name, value),)
    return QueryCase(hts=case.hts, origin=case.origin, when=case.when, facts=facts)


def _later(when: Any, days: int) -> Any:
    return when + _dt.timedelta(days=days)


@st.composite
def conflicting_command_lines(draw, rules: RuleSet) -> list[str]:
    """A ``tariffrules resolve`` command line that contradicts itself: a single-valued option given twice with
    different values, a yes/no fact given by ``--fact`` and by its flag, both flags of a fact, or one content
    kind given twice. The right outcome is exit status 2 (usage) or 1 (bad input) with a message."""
    good = ["resolve", "8703.23.01.90", "JP", "2025-05-01"]
    option, first, second = draw(st.sampled_from([
        ("--value", "10", "20"), ("--as-of", "2025-04-01", "2025-06-01"), ("--mfn", "2.5", "0"),
        ("--loaded", "2025-04-01", "2025-04-02")]))
    kinds = list(rules.info.content_kinds) or ["steel"]
    flags = [f.name for f in rules.info.facts if f.type == "bool"]
    options = [[option, first, option, second]]
    kind = draw(st.sampled_from(kinds))
    options.append(["--value", "100", "--content", f"{kind}=1", "--content", f"{kind}=2"])
    if flags:
        name = draw(st.sampled_from(flags))
        dashed = name.replace("_", "-")
        options.append(["--fact", f"{name}=no", f"--{dashed}"])
        options.append([f"--{dashed}", f"--no-{dashed}"])
    return good + draw(st.sampled_from(options))


def early_as_of(rules: RuleSet) -> st.SearchStrategy[Any]:
    """``as_of`` instants or dates before the first the rule set answers as of (``rules.reader.knows_from``):
    each must be a :class:`~tariffrules.BeforeKnownError`, never an answer with no levy."""
    start = rules.reader.knows_from
    if start is None:
        return st.nothing()
    zone = rules.info.zone
    before = st.integers(1, 20 * 366 * 86_400_000_000).map(lambda n: start - _dt.timedelta(microseconds=n))
    return st.one_of(before, before.map(lambda t: t.astimezone(zone).date()).filter(
        lambda day: day < start.astimezone(zone).date()))


def bad_instants() -> st.SearchStrategy[Any]:
    """Entry dates no answer can be given for: the ends of the calendar, naive times, impossible text."""
    return st.one_of(
        st.sampled_from([_dt.date(9999, 12, 31), _dt.date(1, 1, 1), "9999-12-31", "0001-01-01", "2025-02-30",
                         "2025-13-01", "31/12/2025", "", "today", _dt.datetime(2025, 5, 1, 12, 0)]),
        st.datetimes(min_value=_dt.datetime(2025, 1, 2), max_value=_dt.datetime(2026, 6, 1)))


@st.composite
def batch_file_bytes(draw) -> tuple[bytes, int]:
    """A batch file as bytes, with its number of data rows: separators (stated on an Excel ``sep=`` line or
    not), header spellings, empty header cells at the end, blank lines, bytes that are not UTF-8, extra cells,
    long cells and ``nan`` cells, mixed with good rows."""
    sep = draw(st.sampled_from([",", ";", "\t"]))
    spell = draw(st.sampled_from([("hts", "origin", "when"), ("HTS", "Origin", "When"), (" Hts ", "ORIGIN", "when ")]))
    # an Excel "sep=" first line naming the separator; a spreadsheet's unused columns at the end of the header
    header = draw(st.sampled_from(["", f"sep={sep}\n"])) + sep.join(spell + ("value",)) + sep * draw(st.integers(0, 2))
    good = sep.join(("8703.23.01", "JP", "2025-05-01", "1000"))
    rows = draw(st.lists(st.sampled_from([
        good.encode(), b"", sep.join(("8703.23.01", "J\xe9", "2025-05-01", "1")).encode("latin-1"),
        (good + sep + "extra").encode(), sep.join(("8703.23.01", "JP", "2025-05-01")).encode(),
        sep.join(("8703.23.01", "JP", "2025-05-01", "nan")).encode(),
        sep.join(("8703.23.01", "JP", "2025-05-01", "x" * 20_000)).encode(),
    ]), min_size=1, max_size=12))
    return (header.encode() + b"\n" + b"\n".join(rows) + b"\n", len(rows))


@st.composite
def mangled_codes(draw, rules: RuleSet) -> tuple[QueryCase, str]:
    """A line of the schedule written as a spreadsheet or a web page mangles it, with the words its error must
    hold: an invisible character inside (``U+200B``...), or a code of chapters 01-09 that lost its leading
    zero (``leading zero``). The right outcome is an :class:`~tariffrules.errors.InvalidCodeError` naming it."""
    case = draw(_valid(rules))
    schedule = rules.info.schedule
    code = case.hts.replace(".", "")
    options = [st.tuples(st.sampled_from(INVISIBLE), st.integers(1, len(code) - 1)).map(
        lambda pair: (code[:pair[1]] + pair[0] + code[pair[1]:], f"U+{ord(pair[0]):04X}"))]
    if schedule is not None:
        zeros = sorted(c for c in schedule.codes if c.startswith("0") and c[1] != "0" and len(c) in
                       rules.info.code_lengths)
        if zeros:
            options.append(st.sampled_from(zeros).map(lambda c: (c[1:], "leading zero")))
    hts, words = draw(st.one_of(options))
    return QueryCase(hts=hts, origin=case.origin, when=case.when), words


@st.composite
def bad_refund_rows(draw) -> tuple[dict[str, str], str]:
    """An entry summary line of the refund report (``RuleSet.refunds``) with one contradiction, and the column
    its error must name: a liquidation date before the entry date, a line number below 1, a declared amount
    finer than a cent. The right outcome is the error in the line's place and the entry left undecided."""
    entry = _dt.date(2025, 4, 16) + _dt.timedelta(days=draw(st.integers(0, 200)))
    row = {"entry_number": "ABC-1234567-1", "line_number": "1", "entry_date": entry.isoformat(),
           "hts": "8525.89.30", "origin": "JP", "value": "12000.00", "declared": "9903.01.25=1200.00",
           "entry_type": "01", "liquidation_status": "unliquidated"}
    fault = draw(st.sampled_from(["liquidation_date", "line_number", "declared"]))
    if fault == "liquidation_date":
        row["liquidation_status"] = "liquidated"
        row["liquidation_date"] = (entry - _dt.timedelta(days=draw(st.integers(1, 800)))).isoformat()
    elif fault == "line_number":
        row["line_number"] = draw(st.sampled_from(["0", "-1", "00", "000", "-5", "1.0", "x"]))
    else:
        cents = draw(st.integers(0, 10**7))
        row["declared"] = f"9903.01.25={cents // 100}.{cents % 100:02d}{draw(st.integers(1, 9))}"
    return row, fault

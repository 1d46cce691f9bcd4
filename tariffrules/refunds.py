"""The refund report: an importer's entry summary lines, what was declared, what is owed now, and the route.

:meth:`RuleSet.refunds` takes the lines as a broker exports them (one mapping
of text cells per entry summary line) and returns one :class:`RefundLine` per
input line, in input order, none dropped. Each line gives:

* ``declared``: the chapter 99 headings and duty declared on it (the
  ``declared`` cell, ``HEADING=AMOUNT`` pairs separated by ``;``);
* ``owed``: the chapter 99 headings and duty owed under the rules as known
  ``now`` (rulings included: a levy whose duties were held not owed for the
  entry is skipped), each levy's rate times its base rounded half up to the cent;
* ``headings``: the difference per heading (owed minus declared; negative
  means paid too much), each with why;
* ``held_not_owed``: the duty declared under headings of levies that a ruling
  of the refund process held not owed for this entry (the refund the process
  pays), and ``other_difference``: the rest of the difference (an over- or
  underpayment the ruling does not explain, not refunded by that process);
* ``revived``: duty that a levy held not owed *replaced* at entry (so it was
  not owed then) and that would apply if that levy were treated as never
  imposed; not counted in ``owed``, since no source says it is assessed;
* ``decision``: for the line's entry, whether it goes on the process's
  declaration, else why not and what route remains, with the source;
* ``error``: why the line cannot be decided, when it cannot (the line keeps
  its place; a malformed entry number leaves its decision undecided, saying so).

Amounts (``value``, the ``content`` amounts, the ``declared`` amounts) are read
by :func:`read_amount`: exact decimals, comma thousands separators allowed,
ambiguous forms refused. Messages name input columns and number data rows
from 1 (the first row after the header).

The entry facts the process reads (entry type, liquidation status, ...) are
declared in its data file (:mod:`tariffrules.cape`); the lines of one entry
must agree on them. ``days_past_liquidation`` is counted to ``on``, the day
the declaration would be filed. Interest is not computed (see the process's
``[interest]`` statement).
"""

from __future__ import annotations

import csv
import datetime as _dt
import fnmatch
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

import attrs

from .cape import COMPUTED_FROM, EntryDecision, RefundProcess, load_process
from .errors import (InvalidFactError, MissingFactError, QueryError, RuleFileError,
                     TariffRulesError, quote)
from .model import visible_versions
from .rates import HUNDRED, round_money
from .tabular import line_from_row, unambiguous_amount

__all__ = ["HeadingDifference", "RefundLine", "refunds", "read_amount", "read_declared", "write_declarations",
           "process_for", "REPORT_COLUMNS"]

#: the entry summary line's own columns (besides the query columns of tariffrules.tabular and the process facts)
ENTRY_NUMBER, LINE_NUMBER, ENTRY_DATE, DECLARED = "entry_number", "line_number", "entry_date", "declared"
#: the process fact holding the liquidation date, from which days_past_liquidation is counted
LIQUIDATION_DATE = "liquidation_date"
REPORT_COLUMNS = ("declared_total", "owed_total", "difference", "held_not_owed", "other_difference", "headings_detail",
                  "owed_headings", "uncertain", "cape", "route", "route_reason", "route_source", "assumed", "interest", "error")
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
_HEADING = re.compile(r"^(\d{4})\.?(\d{2})\.?(\d{2})$")


@attrs.frozen(kw_only=True)
class HeadingDifference:
    """One heading of a line: declared and owed duty, owed minus declared, and why they differ."""

    heading: str
    declared: Decimal
    owed: Decimal
    difference: Decimal
    why: str


@attrs.frozen(kw_only=True)
class RefundLine:
    """One input line of the refund report (see the module docstring)."""

    line: int
    entry_number: str | None
    line_number: str | None
    row: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    declared: tuple[tuple[str, Decimal], ...] = ()
    owed: tuple[tuple[str, Decimal], ...] = ()
    #: duty (heading, amount) that a levy held not owed replaced at entry and that would apply if that levy were
    #: treated as never imposed; not in ``owed``: no source says it is assessed after the ruling
    revived: tuple[tuple[str, Decimal], ...] = ()
    #: why ``revived`` could not be worked out (the answer at entry failed), else ``None``
    revived_unknown: str | None = None
    headings: tuple[HeadingDifference, ...] = ()
    held_not_owed: Decimal | None = None
    decision: EntryDecision | None = None
    interest: str = ""
    error: str | None = None

    @property
    def declared_total(self) -> Decimal:
        return round_money(sum((amount for _, amount in self.declared), Decimal(0)))

    @property
    def owed_total(self) -> Decimal | None:
        return round_money(sum((amount for _, amount in self.owed), Decimal(0))) if self.error is None else None

    @property
    def difference(self) -> Decimal | None:
        """Owed now minus declared (negative: paid too much), or ``None`` when the line failed."""
        return None if self.error is not None else self.owed_total - self.declared_total

    @property
    def other_difference(self) -> Decimal | None:
        """The difference the ruling does not explain: ``difference + held_not_owed``."""
        return None if self.error is not None else self.difference + self.held_not_owed

    def to_row(self) -> dict[str, Any]:
        """The input cells followed by :data:`REPORT_COLUMNS` (text; empty when not known)."""
        out = dict(self.row)
        d = self.decision
        failed = self.error is not None
        out.update({
            "declared_total": str(self.declared_total),
            "owed_total": "" if failed else str(self.owed_total),
            "difference": "" if failed else str(self.difference),
            "held_not_owed": "" if failed else str(self.held_not_owed),
            "other_difference": "" if failed else str(self.other_difference),
            "headings_detail": "; ".join(f"{h.heading}: declared {h.declared}, owed {h.owed}, {h.difference:+} "
                                         f"({h.why})" for h in self.headings),
            "owed_headings": " ".join(h for h, _ in self.owed),
            "uncertain": "; ".join([f"{h}={a}: replaced at entry by a levy held not owed; not counted as owed"
                                    for h, a in self.revived] + ([self.revived_unknown] if self.revived_unknown else [])),
            "cape": "" if d is None else {True: "yes", False: "no", None: "undecided"}[d.accepted],
            "route": "" if d is None else (d.route or "undecided"),
            "route_reason": "" if d is None else "; ".join(
                [d.route_title, *d.reasons, *d.advice] + ([f"needs {', '.join(d.needs)}"] if d.needs else [])),
            "route_source": "" if d is None else d.source,
            "assumed": "" if d is None else ", ".join(d.assumed),
            "interest": self.interest,
            "error": self.error or "",
        })
        return out


_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")


def read_amount(text: Any, column: str) -> Decimal:
    """A money amount as brokers' exports write it: ``10000.00`` or ``10,000.00``; decimal.Decimal, exact.

    Commas are read as thousands separators only where every group after the
    first has three digits and a dot, if any, comes after them (``1,234,567.89``).
    A form that another convention reads differently is refused with
    :class:`InvalidFactError`: a comma not grouping thousands (``10,00``,
    ``1,5``), a dot before a comma (``1.000,00``), more than one dot
    (``1.000.000``), and a dot followed by exactly three digits with at most
    three before it (``1.000``: one, or one thousand?).
    """
    raw = str(text).strip()
    if _PLAIN.match(raw):
        return Decimal(unambiguous_amount(raw, column))  # the batch's rule for 1.000 (docs/cli.md)
    if _GROUPED.match(raw):
        return Decimal(raw.replace(",", ""))
    if re.match(r"^-?[\d.]+,\d+$", raw) and "." in raw:
        why = "is ambiguous: a dot before a comma, as in a comma-decimal convention"
    elif "," in raw:
        why = "is ambiguous: a comma that does not separate groups of three digits"
    elif re.match(r"^-?\d{1,3}(\.\d{3})+$", raw):
        why = "is ambiguous: dots between groups of three digits, as thousands separators in some exports"
    else:
        why = "is not an amount"
    raise InvalidFactError(column, text, why, "digits with a dot for decimals and, optionally, commas between "
                           "groups of three digits: 10000.00 or 10,000.00")


def _amount_cells(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with its ``value`` and ``content`` amounts rewritten without thousands separators."""
    cells = dict(row)
    value = _cell(row, "value")
    if value is not None:
        cells["value"] = str(read_amount(value, "value"))
    content = _cell(row, "content")
    if content is not None:
        parts = []
        for part in content.split(";"):
            kind, sep, amount = part.partition("=")
            parts.append(f"{kind.strip()}={read_amount(amount, 'content')}" if sep and amount.strip() else part)
        cells["content"] = ";".join(parts)
    return cells


def read_declared(text: Any) -> tuple[tuple[str, Decimal], ...]:
    """The ``declared`` cell: ``9903.01.25=100.00;9903.88.03=250`` as (heading, amount) pairs, in order.

    An empty cell declares nothing; amounts are read by :func:`read_amount`.
    Raises :class:`InvalidFactError` for a malformed pair, heading or amount,
    a negative amount (a deposited duty is not negative), an amount finer than
    a cent (``1200.005``: a deposit is in whole cents; ``1200.010`` is read as
    1200.01) or a heading given twice.
    """
    out: list[tuple[str, Decimal]] = []
    for part in str(text or "").split(";"):
        if not part.strip():
            continue
        heading, sep, amount = part.partition("=")
        match = _HEADING.match(heading.strip())
        digits = heading.strip().replace(".", "")
        if sep and digits.isdigit() and digits.isascii() and len(digits) == 10:
            raise InvalidFactError(DECLARED, text, f"heading {heading.strip()} has 10 digits: a chapter 99 heading has "
                                   "8 (the statistical suffix belongs to the chapter 1-97 number)",
                                   f"the 8-digit heading, e.g. {digits[:4]}.{digits[4:6]}.{digits[6:8]}={amount.strip()}")
        if not sep or not match:
            raise InvalidFactError(DECLARED, text, f"{quote(part.strip())} is not HEADING=AMOUNT",
                                   "9903.01.25=100.00;9903.88.03=250.00")
        money = read_amount(amount, DECLARED)
        name = ".".join(match.groups())
        if money != money.quantize(CENT):
            raise InvalidFactError(DECLARED, text, f"heading {name} is declared as {amount.strip()}, finer than a "
                                   "cent: the duty deposited on a line is in whole cents", "the amount as on the "
                                   "entry summary line, at most two decimal places, e.g. 1200.01")
        if money < 0:
            raise InvalidFactError(DECLARED, text, f"heading {name} is declared with a negative amount: the duty "
                                   "deposited on a line is not negative", "the duty as declared on the entry "
                                   "summary line, 0 or more")
        if any(name == h for h, _ in out):
            raise InvalidFactError(DECLARED, text, f"heading {name} is declared twice on one line",
                                   "one amount per heading")
        out.append((name, money))
    return tuple(out)


def _heading_ceilings(rules) -> dict[str, Decimal]:
    """Per chapter 99 heading, the most percent of a line's value it can carry: the sum over the levies filed
    under it of each one's highest rate in any version (an all-in rate tops up to at most its percent)."""
    highest: dict[tuple[str, str], Decimal] = {}
    for levy in rules.levies:
        for v in levy.versions:
            if v.heading and v.rate is not None:
                key = (v.heading, levy.id)
                highest[key] = max(highest.get(key, Decimal(0)), v.rate.percent)
    out: dict[str, Decimal] = {}
    for (heading, _), percent in highest.items():
        out[heading] = out.get(heading, Decimal(0)) + percent
    return out


def _check_declared_possible(declared, value: Decimal | None, ceilings: Mapping[str, Decimal], text: Any) -> None:
    """Refuse a declared amount no rate under its heading could give on the line's value (a slipped digit or a
    value in the wrong column): each levy's base is part of the value, so a heading's duty is at most the value
    times its ceiling. A heading the rule set does not carry, or a line without a value, is not judged."""
    if value is None:
        return
    for heading, amount in declared:
        ceiling = ceilings.get(heading)
        if ceiling is None:
            continue
        most = round_money(value * ceiling / HUNDRED)
        if amount > most:
            raise InvalidFactError(DECLARED, text, f"heading {heading} is declared as {amount}, more than any of its "
                                   f"rates can give on the line's value {value} (at most {ceiling}% = {most})",
                                   "the duty as declared on the entry summary line, and the line's value in "
                                   "the value column")


def process_for(rules, process: Any = None) -> RefundProcess:
    """The refund process: a loaded one, a path, or the rule set's own ``refunds/*.toml`` (exactly one)."""
    if isinstance(process, RefundProcess):
        return process
    if process is not None:
        return load_process(process, rules.info.zone)
    from .builtin import builtin, builtin_path

    folders = [Path(rules.origin) / "refunds"]
    if rules.info.name in builtin():
        folders.append(builtin_path(rules.info.name) / "refunds")
    for folder in folders:
        files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        if len(files) == 1:
            return load_process(files[0], rules.info.zone)
        if files:
            raise RuleFileError(f"holds {len(files)} refund process files; pass process= to choose one",
                                file=str(folder))
    raise RuleFileError(f"rule set {rules.info.name!r} has no refund process (a refunds/*.toml beside its rules)",
                        file=str(folders[0]), expected="process=PATH to a process file")


@attrs.frozen(kw_only=True)
class _Ruled:
    """A ruling version of the process, the headings of the levies it names, and whether it is known ``now``."""

    id: str
    version: Any
    levies: frozenset[str]
    headings: frozenset[str]
    known_now: bool


def _ruled(rules, process: RefundProcess, now: _dt.datetime) -> list[_Ruled]:
    """Every ruling version of the process's rulings (known ``now`` or not), newest knowledge last."""
    out = []
    for item in rules.suspensions:
        if not any(fnmatch.fnmatchcase(item.id, p) for p in process.rulings):
            continue
        visible = visible_versions(item.versions, now)
        for v in item.versions:
            if v.is_ruling:
                headings = frozenset(lv.heading for levy_id in v.levies for lv in rules.get(levy_id).versions
                                     if lv.heading)
                out.append(_Ruled(id=item.id, version=v, levies=frozenset(v.levies), headings=headings,
                                  known_now=any(v is w for w in visible)))
    return out


def _owed(resolution) -> tuple[tuple[str, Decimal], ...]:
    """Chapter 99 duty per heading, in reporting order: each levy's rate times its base, to the cent."""
    query = resolution.query
    if query.value is None:
        raise MissingFactError("value", None, "the owed duty needs the line's customs value", "a value column")
    content = query.content_map
    totals: dict[str, Decimal] = {}
    for levy in resolution.levies:
        amount = levy.base_amount(query.value, content)
        if amount is None:
            raise MissingFactError("content", None, f"levy {levy.id} applies to the {levy.base}; its amount is "
                                   "not given", "a content column, e.g. steel=1200")
        if amount == 0:  # a levy on a zero base is on no entry line (tariffrules.lines): nothing is owed under it
            continue
        key = levy.heading or levy.id
        totals[key] = totals.get(key, Decimal(0)) + round_money(levy.rate * amount / HUNDRED)
    return tuple(totals.items())


def _revived(at_entry, current) -> frozenset[str]:
    """Headings owed now only because a levy held not owed no longer replaces them.

    At entry the levy replaced them (``replaced`` by it in ``at_entry``, the
    answer without rulings); now that its duty is held not owed they apply
    again in ``current``. No source here says such a duty is assessed after
    the ruling, so the report does not count it as owed (see
    :attr:`RefundLine.revived`).
    """
    held = {s.id for s in current.skipped if s.reason == "held_not_owed"}
    replaced = {s.id for s in at_entry.skipped if s.reason == "replaced" and s.by in held}
    return frozenset(levy.heading or levy.id for levy in current.levies if levy.id in replaced)


def _compare(declared, owed, ruled: Mapping[str, str], revived: Mapping[str, Decimal], known: frozenset[str]
             ) -> tuple[tuple[HeadingDifference, ...], Decimal, bool]:
    """Per-heading differences, the declared duty under ruled headings, and whether another heading differs.

    A declared heading that no levy of the rule set carries (``known``) says
    so: it may be a mistyped number rather than a duty not owed.
    """
    have, want = dict(declared), dict(owed)
    order = [h for h, _ in declared] + [h for h, _ in owed if h not in have] + [
        h for h in revived if h not in have and h not in want]
    out, held, other = [], ZERO, False
    for heading in order:
        d, o = round_money(have.get(heading, Decimal(0))), want.get(heading, ZERO)
        if heading in ruled and heading not in want:
            why = f"held not owed: {ruled[heading]}"
            held += d
        elif heading in revived:
            why = (f"not owed at entry: the levy held not owed replaced it; {revived[heading]} if it applies now "
                   "(no source states that; the refund process removes only the ruled headings): not counted as owed")
        elif heading not in have:
            why = "owed now, not declared"
        elif heading not in want:
            why = "declared, not owed under the rules as known now" + (
                "" if heading in known else "; heading not in the rule set: check the number")
        elif d != o:
            why = "declared amount differs from the rate times the base"
        else:
            why = "as declared"
        other = other or (o != d and heading not in revived and not (heading in ruled and heading not in want))
        out.append(HeadingDifference(heading=heading, declared=d, owed=o, difference=o - d, why=why))
    return tuple(out), held, other


def refunds(rules, entries: Iterable[Mapping[str, Any]], *, on: Any, now: Any = None, process: Any = None,
            allow_stale: bool = False) -> tuple[RefundLine, ...]:
    """The refund report over entry summary lines; see the module docstring and :meth:`RuleSet.refunds`."""
    proc = process_for(rules, process)
    on_day = _day(on)
    now_instant = _now(rules, now)
    rulings = _ruled(rules, proc, now_instant)
    fact_types = {f.name: f.type for f in rules.info.facts}
    interest = f"not computed: {proc.interest.text} [{proc.interest.citation}]" if not proc.interest.computed else ""
    known = frozenset(v.heading for levy in rules.levies for v in levy.versions if v.heading)
    ceilings = _heading_ceilings(rules)
    lines: list[dict[str, Any]] = []
    seen_lines: dict[tuple[str, str], int] = {}
    for number, row in enumerate(entries):
        item: dict[str, Any] = {"line": number, "row": dict(row), "entry": _cell(row, ENTRY_NUMBER),
                                "line_number": _cell(row, LINE_NUMBER), "interest": interest}
        try:
            if item["entry"] is None:
                raise MissingFactError(ENTRY_NUMBER, None, "each line needs its entry number", "e.g. ABC-1234567-8")
            item["entry_key"] = proc.normalise_entry_number(item["entry"])
            _check_line_number(item, seen_lines)
            item["declared"] = read_declared(_cell(row, DECLARED))
            item["facts"] = proc.entry_facts(row, rules.day_instant)
            cells = _amount_cells(row)
            cells["when"] = _cell(row, ENTRY_DATE) or _cell(row, "when")
            query = _line_query(rules, cells, fact_types, allow_stale)
            _check_declared_possible(item["declared"], query.value, ceilings, _cell(row, DECLARED))
            if not _liquidated_after_entry(item["facts"], query.entered.astimezone(rules.info.zone).date()):
                facts = item.pop("facts")  # dates that contradict tell no route: the entry is decided without them
                raise _liquidation_error(facts, query.entered.astimezone(rules.info.zone).date(),
                                         _cell(row, LIQUIDATION_DATE), number)
            current = rules.engine.resolve(attrs.evolve(query, as_of=now_instant))
            owed = _owed(current)
            try:
                revived = _revived(rules.engine.resolve(attrs.evolve(query, as_of=None)), current)
            except TariffRulesError as error:  # the answer at entry needs what the answer now does not
                revived = frozenset()
                item["revived_unknown"] = (f"not checked whether a levy held not owed replaced another duty at "
                                           f"entry: {type(error).__name__}: {error}")
            item["owed"] = tuple((h, a) for h, a in owed if h not in revived)
            item["revived"] = tuple((h, a) for h, a in owed if h in revived)
            item["entered"] = query.entered
            covering = [r for r in rulings if r.version.origins.covers(query.origin)]
            declared_with_duty = {h for h, amount in item["declared"] if amount}
            item["ruled_levy"] = [r for r in covering if r.headings & declared_with_duty]
            ruled = {h: r.id for r in covering if r.known_now and r.version.period.contains(query.entered)
                     for h in r.headings}
            item["ruled"] = ruled
            item["headings"], item["held"], item["other"] = _compare(item["declared"], item["owed"], ruled,
                                                                    dict(item["revived"]), known)
        except TariffRulesError as error:
            item["error"] = f"{type(error).__name__}: {error}"
        lines.append(item)
    all_ruled = frozenset(h for r in rulings for h in r.headings)
    decisions = _decide(proc, lines, on_day, now_instant, rules.day_instant(on_day), all_ruled)
    return tuple(RefundLine(
        line=i["line"], entry_number=i.get("entry_key") or i["entry"], line_number=i["line_number"], row=i["row"],
        declared=i.get("declared", ()), owed=i.get("owed", ()), revived=i.get("revived", ()),
        revived_unknown=i.get("revived_unknown"),
        headings=i.get("headings", ()), held_not_owed=i.get("held"),
        decision=decisions.get(i.get("entry_key")) or _unreadable_entry(i, proc), interest=i["interest"],
        error=i.get("error")) for i in lines)


def _line_query(rules, cells: Mapping[str, Any], fact_types: Mapping[str, str], allow_stale: bool):
    """The line's query; an entry date outside the rule set's span is worded for the report's columns and the
    command line (``entry_date``, ``--allow-stale``), not as Python arguments."""
    try:
        return rules.line_query(line_from_row(cells, fact_types), allow_stale=allow_stale)
    except QueryError as error:  # the entry date is read as the query's when: name the report's column
        if error.argument != "when":
            raise
        expected = (error.expected or "").replace("allow_stale=True", "--allow-stale (in Python: allow_stale=True)")
        raise type(error)(ENTRY_DATE, error.value, error.problem, expected or None) from None


def _now(rules, now: Any) -> _dt.datetime:
    """The instant ``now`` (default: everything known); its errors name ``now`` (``--now``), not ``as_of``."""
    try:
        return rules.reader.as_of(now) or rules.engine.known_instants[-1]
    except QueryError as error:
        if error.argument != "as_of":
            raise
        expected = (error.expected or "").replace("an as_of", "now (--now)").replace("no as_of", "no now (leave "
                                                                                      "--now out)")
        raise type(error)("now", error.value, error.problem.replace("as_of", "now"), expected or None) from None


def _liquidated_after_entry(facts: Mapping[str, Any], entry_day: _dt.date) -> bool:
    """Whether the liquidation date (if given) is not before the entry date: an entry is liquidated after it is
    made, so an earlier date contradicts it (often a mistyped year), and days past liquidation counted from it
    would route the entry wrongly."""
    liquidated = facts.get(LIQUIDATION_DATE)
    return liquidated is None or liquidated.date() >= entry_day


def _liquidation_error(facts: Mapping[str, Any], entry_day: _dt.date, text: str | None,
                       number: int) -> InvalidFactError:
    return InvalidFactError(LIQUIDATION_DATE, text, f"data row {number + 1}: is before the entry date "
                            f"{entry_day.isoformat()}: an entry is liquidated after it is made",
                            "the date of the entry's liquidation (check the year), or an empty cell when it is "
                            "not liquidated")


def _check_line_number(item: dict, seen: dict[tuple[str, str], int]) -> None:
    """Refuse a line number that is not a whole number from 1, and an entry summary line given twice (same entry
    and line number: a repeated export)."""
    if item["line_number"] is None:
        return
    text = item["line_number"]
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise InvalidFactError(LINE_NUMBER, text, f"data row {item['line'] + 1}: is not a line number: the lines of "
                               "an entry summary are numbered from 1", "a whole number from 1, e.g. 1 or 001")
    key = (item["entry_key"], str(int(text)))
    first = seen.setdefault(key, item["line"])
    if first != item["line"]:
        item["duplicate_of"] = first
        raise InvalidFactError(LINE_NUMBER, text, f"repeats line {text} of entry {item['entry_key']}, given in "
                               f"data row {first + 1}: its duty would be counted twice",
                               "each entry summary line once (remove the repeated row)")


def _unreadable_entry(item: dict, proc: RefundProcess) -> EntryDecision:
    """The decision cell of a line whose entry number is missing or malformed: undecided, and why."""
    return EntryDecision(accepted=None, route=None, route_title="undecided", source=proc.entry_number_citation,
                         reasons=(f"data row {item['line'] + 1}: the entry number is missing or malformed; correct it "
                                  "to decide the entry",))


def _rows(items: Iterable[dict]) -> str:
    return ", ".join(str(i["line"] + 1) for i in items)


def _decide(proc: RefundProcess, lines: list[dict], on_day: _dt.date, now: _dt.datetime,
            on_instant: _dt.datetime, all_ruled: frozenset[str]) -> dict[str, EntryDecision]:
    """One decision per entry number, from the facts its lines agree on.

    The lines must agree on the process's facts and on the entry date, and
    give each line number once; otherwise the entry is undecided, saying
    why. Messages name the input columns and the 1-based data rows (1 = the
    first row after the header), never the computed facts.
    """
    by_entry: dict[str, list[dict]] = {}
    for item in lines:
        if item.get("entry_key"):
            by_entry.setdefault(item["entry_key"], []).append(item)
    out = {}
    for entry, items in by_entry.items():
        facts_seen = [i["facts"] for i in items if "facts" in i]
        entered = [i["entered"] for i in items if "entered" in i]
        conflicts = sorted({name for f in facts_seen for g in facts_seen for name in f.keys() | g.keys()
                            if f.get(name) != g.get(name)} | ({ENTRY_DATE} if len(set(entered)) > 1 else set()))
        repeated = [i for i in items if "duplicate_of" in i]
        if conflicts or repeated or not facts_seen:
            why = ([f"the lines of entry {entry} (data rows {_rows(items)}) disagree on {', '.join(conflicts)}"]
                   if conflicts else []) + [
                f"data rows {i['duplicate_of'] + 1} and {i['line'] + 1} both give line {i['line_number']} of entry "
                f"{entry}: remove the repeated row" for i in repeated]
            out[entry] = EntryDecision(accepted=None, route=None, route_title="undecided", source=proc.citation,
                                       reasons=tuple(why or [f"no line of entry {entry} could be read "
                                                             f"(data rows {_rows(items)})"]))
            continue
        facts = dict(facts_seen[0])
        failed = [i for i in items if "error" in i]
        # a line that failed after its declared cell was read, declaring no ruled heading with duty, cannot make
        # the entry declare one
        unsettled = [i for i in failed if "declared" not in i or any(
            amount and h in all_ruled for h, amount in i["declared"])]
        unknown = None if unsettled else False
        ruled_levy = [r for i in items for r in i.get("ruled_levy", ())]
        in_period = [r for r in ruled_levy if any(r.version.period.contains(e) for e in entered)]
        facts["declares_ruled_levy_heading"] = True if ruled_levy else unknown
        facts["entry_in_ruling_period"] = True if in_period else (unknown if ruled_levy else None)
        facts["ruling_known"] = True if any(r.known_now for r in in_period) else (
            unknown if in_period else None)
        facts["declares_ruled_heading"] = True if any(
            h in i.get("ruled", {}) and amount for i in items for h, amount in i.get("declared", ())) else unknown
        facts["process_open"] = proc.opens is None or on_day >= proc.opens.astimezone(on_instant.tzinfo).date()
        facts["declared_on"] = on_instant
        facts["other_difference"] = True if any(i.get("other") for i in items) else (None if failed else False)
        if entered:
            facts["days_since_entry"] = Decimal((on_day - entered[0].astimezone(on_instant.tzinfo).date()).days)
        liquidated = facts.get(LIQUIDATION_DATE)
        facts["liquidation_date_given"] = liquidated is not None
        if liquidated is not None:
            facts["days_past_liquidation"] = Decimal((on_day - liquidated.date()).days)
        decision = proc.decide(facts)
        notes = []
        if ruled_levy and not in_period:
            notes.extend(f"entry date {entered[0].date().isoformat()} is outside {r.id}'s entries "
                         f"[{r.version.period.start.date().isoformat()}, {r.version.period.end.date().isoformat()})"
                         for r in _unique(ruled_levy) if entered)
        if in_period and not any(r.known_now for r in in_period):
            notes.extend(f"as of {now.isoformat()} {r.id} was not known yet (known from "
                         f"{r.version.known.isoformat()})" for r in _unique(in_period))
        if failed and decision.accepted is None:
            notes.append(f"data row(s) {_rows(failed)} of the entry could not be read (see their error)")
        # the period and knowledge of a ruling matter only once a ruled levy's heading is known to be declared;
        # what the failed rows leave unknown is named by the note above, not as a column to add
        derived = {"entry_in_ruling_period", "ruling_known"} if not ruled_levy else set()
        if failed:
            derived |= {"declares_ruled_levy_heading", "entry_in_ruling_period", "ruling_known",
                        "declares_ruled_heading", "other_difference"}
        needs = tuple(dict.fromkeys(COMPUTED_FROM.get(n, n) for n in decision.needs if n not in derived))
        out[entry] = attrs.evolve(decision, reasons=decision.reasons + tuple(notes), needs=needs)
    return out


def _unique(rulings: list[_Ruled]) -> list[_Ruled]:
    seen: dict[str, _Ruled] = {}
    for r in rulings:
        seen.setdefault(r.id, r)
    return list(seen.values())


def _cell(row: Mapping[str, Any], name: str) -> str | None:
    value = row.get(name)
    text = "" if value is None else str(value).strip()
    return text or None


def _day(on: Any) -> _dt.date:
    if isinstance(on, _dt.datetime):
        return on.date()
    if isinstance(on, _dt.date):
        return on
    try:
        return _dt.date.fromisoformat(str(on).strip())
    except ValueError:
        raise InvalidFactError("on", on, "is not a date", "the day the declaration is filed, e.g. 2026-05-01") \
            from None


def write_declarations(lines: Iterable[RefundLine], folder: str | Path, process: RefundProcess,
                       stem: str = "cape_declaration") -> tuple[Path, ...]:
    """Write the accepted entries' numbers, each once, in input order, ``max_entries`` per file.

    Files are ``<stem>_001.csv``, ``<stem>_002.csv``, ... with the process's
    header row; returns their paths (none when no entry is accepted).
    """
    seen: list[str] = []
    for line in lines:
        if line.decision is not None and line.decision.accepted and line.entry_number not in seen:
            seen.append(line.entry_number)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    size = process.max_entries
    for index, start in enumerate(range(0, len(seen), size), 1):
        path = folder / f"{stem}_{index:03d}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow([process.header])
            writer.writerows([number] for number in seen[start:start + size])
        paths.append(path)
    return tuple(paths)


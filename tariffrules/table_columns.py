"""Which columns of a table of entry lines are read, and the checks every reader of such a table makes on its
header: ``tariffrules batch`` (both readers) and :meth:`RuleSet.resolve_table` alike.

* a column named twice is an error: a row could not say which one holds the value;
* a column no rule reads whose name holds, as words, the name of a fact or input column (``USMCA claim``,
  ``Customs Value``, ``CustomsValue``, ``Country of Origin``) is an error unless kept on purpose (see
  :func:`tariffrules.csv_input.unread_columns`): every row would be rated as if that fact were not given, or
  on the other column of that name alone.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from .csv_input import EXTRA_COLUMN, BatchFileError, unread_columns
from .errors import shown
from .tabular import INPUT_COLUMNS, LINE_COLUMNS, RESULT_COLUMNS

__all__ = ["REQUIRED_COLUMNS", "read_and_lookalike", "check_columns"]

REQUIRED_COLUMNS = ("hts", "origin", "when")


def read_and_lookalike(rules) -> tuple[set[str], dict[str, str]]:
    """(the column names a table of ``rules`` is read by, the names a column must not merely contain with what
    each is in words): the input columns and declared facts, and a previous output's own columns as read."""
    declared = {spec.name: f"the fact {spec.name} ({spec.label()})" for spec in rules.info.facts}
    made = set(RESULT_COLUMNS) | set(LINE_COLUMNS) | {EXTRA_COLUMN}
    made |= {f"tariffrules_{c}" for c in made}
    inputs = {c: f"the input column {c}" for c in INPUT_COLUMNS}
    return set(INPUT_COLUMNS) | set(declared) | made, {**inputs, **declared}


def check_columns(names: Sequence[str], rules, keep: Iterable[str] = (), name: str = "table") -> list[str]:
    """Refuse a column named twice or one that looks like a column read (see the module docstring) with
    :class:`~tariffrules.csv_input.BatchFileError`; return the columns copied unread. ``names`` are the
    table's column names as read (exactly as written)."""
    seen: set[str] = set()
    for column in names:
        if column in seen:
            raise BatchFileError(name, ",".join(names), f"names column {shown(column)} twice; a row could not say "
                                 "which one holds the value", "each column once")
        seen.add(column)
    read, lookalikes = read_and_lookalike(rules)
    try:
        return unread_columns(list(names), list(names), read, lookalikes, keep, name)
    except BatchFileError as error:  # in the API's terms: a table's names are read exactly, kept by keep_columns
        expected = re.sub(r"--keep-column (\"[^\"]*\")", r"keep_columns=[\1]", error.expected or "")
        raise BatchFileError(name, error.value, error.problem.replace("--keep-column", "keep_columns"),
                             expected.replace(" (any case; spaces or underscores)", "")) from None


class LateAsOf:
    """The rows of a batch answered with an ``as_of`` after the rule set's review day, for one warning line:
    :meth:`RuleSet.resolve` answers such a query with a warning in ``Resolution.warnings`` (the answer holds
    what was known on the review day; measures published later are missing), and a batch says the same of its
    rows on standard error, whichever reader ran it."""

    def __init__(self, rules) -> None:
        self.rules = rules
        self.rows: list[int] = []
        self._late: dict[str, bool] = {}

    def add(self, row: int, as_of: object, failed: bool) -> None:
        """Count data row ``row`` (from 1) if it was answered (not ``failed``) with a late ``as_of`` cell."""
        text = "" if as_of is None else str(as_of).strip()
        if failed or not text:
            return
        late = self._late.get(text)
        if late is None:
            try:
                instant = self.rules.reader.as_of(text)
                late = instant is not None and instant >= self.rules.info.stale_from
            except Exception:  # noqa: BLE001 - a bad cell is its row's error, not this warning's
                late = False
            if len(self._late) < 10_000:
                self._late[text] = late
        if late:
            self.rows.append(row)

    def warning(self) -> str | None:
        """The warning line, or ``None`` when no row had a late ``as_of``."""
        if not self.rows:
            return None
        shown_rows = ", ".join(map(str, self.rows[:10])) + (", ..." if len(self.rows) > 10 else "")
        info = self.rules.info
        return (f"warning: {len(self.rows)} row(s) ({shown_rows}) have an as_of after {info.reviewed.isoformat()}, "
                f"the last day rule set {info.name} was reviewed: they are answered with what was known then, and "
                "measures published later are missing")

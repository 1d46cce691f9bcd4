"""Which columns of a table of entry lines are read, and the checks every reader of such a table makes on its
header: ``tariffrules batch`` (both readers) and :meth:`RuleSet.resolve_table` alike.

* a column named twice is an error: a row could not say which one holds the value;
* a column no rule reads whose name holds, as words, the name of a fact or optional input column the table
  lacks (``USMCA claim``, ``Customs Value``) is an error unless kept on purpose (see
  :func:`tariffrules.csv_input.unread_columns`): every row would be rated as if that fact were not given.
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
    optional = {c: f"the input column {c}" for c in INPUT_COLUMNS if c not in REQUIRED_COLUMNS}
    return set(INPUT_COLUMNS) | set(declared) | made, {**optional, **declared}


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

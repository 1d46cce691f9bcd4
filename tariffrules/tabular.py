"""Entry lines as table rows (CSV, a pandas partition): read a row into a query, write a result as a row.

The command line's ``batch`` and the Dask scale-out share these functions, so
one CSV means the same thing everywhere.

Input columns (only ``hts``, ``origin`` and ``when`` are required; empty
cells mean "not given"; any other text, ``nan`` included, is read as given):

===========  ============================================================
``hts``      the code, e.g. ``8703.23.01.90``
``origin``   ISO 3166-1 alpha-2 code
``when``     entry date ``2025-04-16`` or aware date-time
``value``    customs value (decimal)
``mfn``      general rate, percent (default: the rule set's schedule)
``loaded``   date the goods were loaded for export
``content``  content values, ``steel=1200;aluminum=300``
``as_of``    answer with the rules known at this instant
any fact     a column named like a fact the rule set declares (e.g. ``usmca``: yes/no, Y/N, true/false, 1/0)
===========  ============================================================

Output columns: the input columns, then ``headings`` (space-separated, in
reporting order), ``levies`` (ids), ``rate`` (percent of value), ``duty``
(when a value is given), ``assumed`` (facts the rules read that the row did
not give, ``name=value`` with the default used, or ``name=`` for "not given",
separated by ``; ``), and ``error`` (the message, when the line failed;
the other result columns are then empty).

With entry lines (``lines=True``, ``tariffrules batch --lines``) each input
row gives one output row per entry line (:attr:`Resolution.lines`), keyed by
``row`` (the input row's number, 1 for the first data row) and ``line`` (the
entry line's number, in filing order), with ``slice`` and ``line_value``,
``numbers`` (the chapter 99 headings then the chapter 1-97 number),
``rates`` and ``duties`` (one per number, in the same order; the last is
the general rate and duty) and ``line_duty`` (the line's total). A row that
failed gives one output row with its error; nothing is dropped.
"""

from __future__ import annotations

import re
from collections import deque
from decimal import Decimal
from typing import Any, Iterable, Iterator, Mapping

from .errors import InvalidFactError, MissingFactError, TariffRulesError, shown
from .csv_input import row_message
from .query import yes_no

__all__ = ["cell_text", "line_from_row", "line_or_failed", "row_from_result", "rows_per_line", "line_cells",
           "resolve_rows",
           "Failed", "INPUT_COLUMNS", "RESULT_COLUMNS", "LINE_COLUMNS"]

#: columns read as text, besides ``content`` (``kind=amount`` pairs) and the rule set's declared facts
TEXT_COLUMNS = ("hts", "origin", "when", "value", "mfn", "loaded", "as_of")
#: every column a row may have that is not a declared fact
INPUT_COLUMNS = TEXT_COLUMNS + ("content",)
RESULT_COLUMNS = ("headings", "levies", "rate", "duty", "assumed", "error")
#: the columns an output row per entry line adds (``lines=True``)
LINE_COLUMNS = ("row", "line", "slice", "line_value", "numbers", "rates", "duties", "line_duty")
_CENT = Decimal("0.01")


#: an amount whose only separator is a dot followed by exactly three digits, with one to three digits before
#: it (``40.000``): forty in the dot-decimal convention, forty thousand in the dot-thousands one
DOT_THOUSANDS = re.compile(r"^\s*-?(?:[1-9][0-9]{0,2}|0[0-9]{1,2})\.[0-9]{3}\s*$")  # not 0.005: no group


def unambiguous_amount(text: str, column: str) -> str:
    """``text`` (an amount cell of a table, a batch file or the command line) unchanged, or
    :class:`InvalidFactError` naming ``column`` when the cell is ``DOT_THOUSANDS``: exports that write
    thousands with a dot (``40.000,00``) and those that write decimals with one (``40.000``) read it
    differently, and a money amount read a thousand times too small is a silent wrong duty. The one rule for
    ``value`` and ``content`` amounts in ``batch``, :meth:`RuleSet.resolve_table`, the command line and
    ``refunds`` (docs/cli.md).

    >>> unambiguous_amount("40000.00", "value"), unambiguous_amount("1234.567", "value")
    ('40000.00', '1234.567')
    """
    if DOT_THOUSANDS.match(text):
        whole, _, part = text.strip().partition(".")
        raise InvalidFactError(column, text, f"is ambiguous: {whole}.{part} if the dot is a decimal point, "
                               f"{whole}{part} if it separates thousands",
                               f"{whole}{part} for the second reading, {whole}.{part}0 for the first")
    return text


def _content(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        kind, sep, amount = part.partition("=")
        if not sep or not kind.strip():
            raise InvalidFactError("content", text, "is not kind=amount pairs", "'steel=1200;aluminum=300'")
        if kind.strip() in out:
            raise InvalidFactError("content", text, f"gives {shown(kind.strip())} twice", "each content kind once")
        out[kind.strip()] = unambiguous_amount(amount.strip(), f"content[{kind.strip()}]")
    return out


def cell_text(cell: Any) -> str | None:
    """A cell as the text it gives, or ``None`` when empty ("not given": no cell, blanks, or a missing
    float cell of a pandas frame). The text "nan" is text, read like any other (and refused where it
    means nothing): it is never taken as "not given"."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return None
    text = str(cell).strip()
    return text or None


def line_from_row(row: Mapping[str, Any], facts: Mapping[str, str]) -> dict[str, Any]:
    """A mapping for :meth:`RuleSet.resolve_many` from a row of text cells.

    ``facts`` maps the rule set's declared fact names to their types; bool
    cells accept yes/no, Y/N, true/false, 1/0 in any case (:func:`tariffrules.query.yes_no`).
    """
    line: dict[str, Any] = {}
    for name, cell in row.items():
        text = cell_text(cell)
        if text is None:
            continue
        if name == "content":
            line["content"] = _content(text)
        elif name == "value":
            line[name] = unambiguous_amount(text, name)
        elif name in TEXT_COLUMNS:
            line[name] = text
        elif facts.get(name) == "bool":
            line[name] = yes_no(name, text)
        elif name in facts:
            line[name] = text
    return line


def row_from_result(row: Mapping[str, Any], result: Any) -> dict[str, Any]:
    """The output row for one input row and its result (a Resolution or an error)."""
    out = dict(row)
    out.update({column: "" for column in RESULT_COLUMNS})
    if isinstance(result, TariffRulesError):
        out["error"] = row_message(result)
        return out
    out["headings"] = " ".join(result.headings)
    out["levies"] = " ".join(levy.id for levy in result.levies)
    out["assumed"] = "; ".join(f"{name}={'' if value is None else str(value).lower() if isinstance(value, bool) else value}"
                               for name, value in result.assumed)
    try:
        out["rate"] = str(result.rate)
        if result.query.value is not None:
            duty = result.duty()
            # money to the cent on every row with a levy: a levy on a zero base is on no entry line, so
            # Resolution.duty can be a bare 0 there (exact: the sum of amounts in cents)
            out["duty"] = str(duty.quantize(_CENT) if result.levies else duty)
    except MissingFactError as error:
        out["error"] = row_message(error)
    return out


def line_cells(line: Any) -> dict[str, str]:
    """The cells of one entry line (:class:`~tariffrules.lines.EntryLine`) in the ``LINE_COLUMNS`` after ``row``."""
    def text(amount: Any) -> str:
        return "" if amount is None else str(amount)

    general = (text(line.general_rate), text(line.general_duty))
    return {"line": str(line.number), "slice": line.describe(), "line_value": text(line.value),
            "numbers": " ".join(levy.heading or "-" for levy in line.levies) + (" " if line.levies else "")
            + line.code,
            "rates": " ".join([str(levy.rate) for levy in line.levies] + [general[0] or "?"]),
            "duties": " ".join([text(levy.duty) or "?" for levy in line.levies] + [general[1] or "?"]),
            "line_duty": text(line.total_duty)}


def rows_per_line(row: Mapping[str, Any], number: int, result: Any) -> list[dict[str, Any]]:
    """The output rows for input row ``number`` and its result: one per entry line (one if it failed)."""
    base = row_from_result(row, result)
    base.update({column: "" for column in LINE_COLUMNS})
    base["row"] = str(number)
    if isinstance(result, TariffRulesError):
        return [base]
    return [{**base, **line_cells(line)} for line in result.lines]


def resolve_rows(rules, rows: Iterable[Mapping[str, Any]], *, allow_stale: bool = False,
                 progress=None, lines: bool = False) -> Iterator[dict[str, Any]]:
    """Resolve rows lazily, in order; failures fill ``error``. One output row per input row, or with
    ``lines`` one per entry line of each input row (see the module docstring)."""
    facts = {f.name: f.type for f in rules.info.facts}

    def read(kept: deque):
        for row in rows:
            kept.append(row)
            yield line_or_failed(row, facts)

    kept: deque = deque()
    number = 0
    for result in rules.resolve_many(read(kept), allow_stale=allow_stale, progress=progress):
        number += 1
        if lines:
            yield from rows_per_line(kept.popleft(), number, result)
        else:
            yield row_from_result(kept.popleft(), result)


class Failed:
    """A line that failed before resolution; resolve_many re-raises it in place."""

    def __init__(self, error: TariffRulesError) -> None:
        self.error = error


def line_or_failed(row: Mapping[str, Any], facts: Mapping[str, str]) -> Any:
    """The line of a row for :meth:`RuleSet.resolve_many`, or a stand-in that raises the row's error there."""
    try:
        return line_from_row(row, facts)
    except TariffRulesError as error:
        return Failed(error)

"""Reading a batch file the way brokers' exports look, without dropping, merging or guessing.

* The separator (comma, semicolon or tab) is sniffed from the header row and
  stated; the header names are matched in any case and spacing (``HTS``,
  ``Entry Date`` is not ``when``, but ``As Of`` is ``as_of``).
* Two header cells naming the same column are an error before any row is read.
* Every physical row becomes one :class:`TableRow`, in order: a blank line, a
  row with more or fewer cells than the header, a cell that is not UTF-8, a
  cell longer than :data:`MAX_CELL` characters or a line the CSV parser
  refuses each becomes a row with its error, so the output has one row per
  input row. Extra cells are kept (in the ``extra_cells`` output column).
* A cell is given when it is not empty (after trimming spaces): ``nan`` is a
  value like any other, and an error where a number or code is expected.
"""

from __future__ import annotations

import csv
import re
import sys
from typing import IO, Iterable, Iterator, Mapping, Sequence

import attrs

from .errors import QueryError, TariffRulesError, shown

__all__ = ["Table", "TableRow", "BatchFileError", "BatchRowError", "read_table", "canonical", "MAX_CELL", "SEPARATORS", "EXTRA_COLUMN"]

#: longest cell read, in characters (a longer one is an error on its row, not a stopped run)
MAX_CELL = 10_000
#: separators sniffed, with the words used to state them
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
EXTRA_COLUMN = "extra_cells"


class BatchFileError(QueryError):
    """A batch file's header (or its whole layout) cannot be read: the message says what was expected."""

    def __init__(self, argument: str, value: object, problem: str, expected: str | None = None) -> None:
        super().__init__(argument, value, problem, expected)
        shown = f" (header: {value})" if value else ""
        Exception.__init__(self, f"{argument}{shown}: {problem}" + (f"; expected {expected}" if expected else ""))


class BatchRowError(BatchFileError):
    """One row of a batch file cannot be read (blank, wrong number of cells, not UTF-8, a cell too long)."""

    def __init__(self, argument: str, value: object, problem: str, expected: str | None = None) -> None:
        super().__init__(argument, value, problem, expected)
        shown = f" ({value})" if value else ""
        Exception.__init__(self, f"{argument}{shown}: {problem}" + (f"; expected {expected}" if expected else ""))


def canonical(name: str) -> str:
    """A header name as a column key: trimmed, lower case, runs of spaces, dashes and dots as ``_``."""
    return re.sub(r"[\s\-.]+", "_", name.strip().lstrip("\ufeff").lower()).strip("_")


@attrs.frozen(kw_only=True)
class TableRow:
    """One physical row: its line number, its cells by output column, the fields read, or its error."""

    number: int
    cells: Mapping[str, str]
    fields: Mapping[str, str] = attrs.field(factory=dict)
    error: TariffRulesError | None = None


@attrs.frozen(kw_only=True)
class Table:
    """A batch file opened for reading: header as written, the column each header cell stands for, the rows."""

    header: tuple[str, ...]
    columns: tuple[str, ...]
    separator: str
    rows: Iterator[TableRow]

    @property
    def separator_name(self) -> str:
        return SEPARATORS[self.separator]


def _sniff(line: str) -> str:
    """The separator of a header line: the candidate giving the most cells (comma on a tie)."""
    counts = {sep: len(next(csv.reader([line], delimiter=sep), [])) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: (counts[sep], sep == ","))


def _lines(source: IO[bytes]) -> Iterator[str]:
    """Decoded physical lines; bytes that are not UTF-8 survive as surrogates, found later per row."""
    first = True
    for raw in source:
        if first:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark from a spreadsheet program
            first = False
        yield raw.decode("utf-8", "surrogateescape")


def _bad_bytes(cells: Sequence[str]) -> str | None:
    for cell in cells:
        for char in cell:
            if "\udc80" <= char <= "\udcff":
                return f"byte 0x{ord(char) - 0xdc00:02x}"
    return None


def _clean(cell: str) -> str:
    return cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_table(source: IO[bytes], required: Sequence[str], known: Iterable[str], name: str = "IN") -> Table:
    """Open a batch file (bytes): read its header and return a :class:`Table` whose rows are read lazily.

    ``required`` columns must be present; ``known`` are every column read.
    Raises :class:`BatchFileError` for an empty file, duplicate header names
    or a missing required column.
    """
    lines = _lines(source)
    header_line = next(lines, None)
    offset = 1
    while header_line is not None and not header_line.strip():
        header_line = next(lines, None)
        offset += 1
    if header_line is None:
        raise BatchFileError(name, None, "is empty", "a header row naming at least " + ", ".join(required))
    separator = _sniff(header_line)
    header = tuple(_clean(cell).strip() for cell in next(csv.reader([header_line], delimiter=separator)))
    columns = tuple(canonical(cell) for cell in header)
    seen: dict[str, str] = {}
    for written, column in zip(header, columns):
        if column in seen:
            raise BatchFileError(name, separator.join(header), f"names column {shown(column)} twice "
                                 f"({shown(seen[column])} and {shown(written)}); a row could not say which one holds the value",
                                 "each column once in the header row")
        seen[column] = written
    missing = [c for c in required if c not in seen]
    if missing:
        raise BatchFileError(
            name, separator.join(header), f"has no column {', '.join(missing)} (read as {SEPARATORS[separator]}-separated; "
            f"columns found: {', '.join(columns) or 'none'})",
            f"a header row naming {', '.join(required)} (any case and spacing), separated by commas, semicolons "
            "or tabs; optional: " + ", ".join(c for c in known if c not in required))
    return Table(header=header, columns=columns, separator=separator,
                 rows=_rows(lines, header, columns, separator, known, offset))


def _rows(lines: Iterator[str], header: tuple[str, ...], columns: tuple[str, ...], separator: str,
          known: Iterable[str], offset: int) -> Iterator[TableRow]:
    known = set(known)
    width = len(header)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize // 2)  # our own MAX_CELL check runs per row instead
    try:
        reader = csv.reader(lines, delimiter=separator)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number = offset + reader.line_num
                yield TableRow(number=number, cells={}, error=BatchRowError(
                    f"line {number}", "", f"cannot be read as CSV: {exc}", "cells separated by "
                    f"{SEPARATORS[separator]}s, quoted with \" where they hold one"))
                continue
            number = offset + reader.line_num
            out = {written: _clean(cells[i]) if i < len(cells) else "" for i, written in enumerate(header)}
            if len(cells) > width:
                out[EXTRA_COLUMN] = separator.join(_clean(c) for c in cells[width:])
            yield TableRow(number=number, cells=out, fields=_fields(cells, columns, known),
                           error=_row_error(number, cells, header, width, separator))
    finally:
        csv.field_size_limit(old_limit)


def _fields(cells: Sequence[str], columns: tuple[str, ...], known: set[str]) -> dict[str, str]:
    return {column: cells[i] for i, column in enumerate(columns) if column in known and i < len(cells)}


def _row_error(number: int, cells: Sequence[str], header: tuple[str, ...], width: int,
               separator: str) -> TariffRulesError | None:
    where = f"line {number}"
    if not cells or (len(cells) == 1 and not cells[0].strip() and width > 1):
        return BatchRowError(where, None, "is blank; it is kept as a row so that rows stay in step with the input",
                          "an entry line, or delete the blank line")
    if len(cells) != width:
        more = len(cells) > width
        return BatchRowError(where, separator.join(_clean(c) for c in cells)[:200],
                          f"has {len(cells)} cells, the header {width}" + (
                              " (a value holding the separator must be quoted; the extra cells are in the "
                              f"{EXTRA_COLUMN} column)" if more else ""),
                          f"{width} cells separated by {SEPARATORS[separator]}s")
    bad = _bad_bytes(cells)
    if bad:
        column = next(header[i] for i, c in enumerate(cells) if _bad_bytes([c]))
        return BatchRowError(f"{where} column {column}", _clean(cells[header.index(column)])[:200],
                          f"holds the {bad}, which is not UTF-8 text", "a file saved as UTF-8")
    for i, cell in enumerate(cells):
        if len(cell) > MAX_CELL:
            return BatchRowError(f"{where} column {header[i]}", cell[:40] + "...",
                              f"is {len(cell)} characters long", f"a cell of at most {MAX_CELL} characters")
    return None

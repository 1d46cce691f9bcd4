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
* Empty header cells at the end of the header row (a spreadsheet's unused
  columns, ``hts;origin;when;value;;``) are not columns: empty cells under
  them are dropped, a cell with text under them is an extra cell (its row's
  error says so). An empty header cell between named ones is an error.
* A cell holding a NUL byte is an error on its row, and the byte is never
  written out (it is replaced by U+FFFD, like a byte that is not UTF-8).
* A column that is not read but whose name holds a read column's name as a
  word (``USMCA claim`` for the fact ``usmca``) is an error naming the header
  to use, unless the caller keeps it on purpose (:func:`unread_columns`).
"""

from __future__ import annotations

import csv
import re
import sys
from typing import IO, Collection, Iterable, Iterator, Mapping, Sequence

import attrs

from .errors import QueryError, TariffRulesError, quote, reworded, shown

__all__ = ["Table", "TableRow", "BatchFileError", "BatchRowError", "read_table", "canonical", "unread_columns",
           "row_message", "CSV_WORDS", "refuse_utf16", "separator_line", "columnar_refusal",
           "MAX_CELL", "SEPARATORS", "EXTRA_COLUMN"]

#: longest cell read, in characters (a longer one is an error on its row, not a stopped run)
MAX_CELL = 10_000
#: separators sniffed, with the words used to state them
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
EXTRA_COLUMN = "extra_cells"
#: library spellings in messages, and how a batch file says them (its columns)
CSV_WORDS = ((re.compile(r"resolve\(\.\.\., content=\{'(\w+)': Decimal\('[^']*'\)\}\)"), r"a content cell with \1=N"),
             (re.compile(r"resolution\.duty\(Decimal\('[^']*'\)\) or resolve\(\.\.\., value=[^)]*\)"), "a value cell"),
             (re.compile(r"resolve\(\.\.\., value=[^)]*\)"), "a value cell and, for a content base, a content cell "
              "(steel=1200;aluminum=300)"),
             (re.compile(r"resolve\(\.\.\., mfn=[^)]*\)"), "an mfn cell (percent)"),
             (re.compile(r"resolve\(\.\.\., content=[^)]*\)"), "a content cell (steel=1200;aluminum=300)"),
             (re.compile(r"Decimal\('([^']*)'\)"), r"\1"), (re.compile(r"allow_stale=True"), "--allow-stale"),
             (re.compile(r"True or False, or the text "), ""))


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
    #: empty header cells at the end of the header row, not read as columns (a spreadsheet's unused columns)
    unnamed: int = 0

    @property
    def separator_name(self) -> str:
        return SEPARATORS[self.separator]


def _sniff(line: str) -> str:
    """The separator of a header line: the candidate giving the most cells (comma on a tie)."""
    counts = {sep: len(next(csv.reader([line], delimiter=sep), [])) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: (counts[sep], sep == ","))


def _lines(source: IO[bytes], name: str = "IN") -> Iterator[str]:
    """Decoded physical lines; bytes that are not UTF-8 survive as surrogates, found later per row.

    A file in UTF-16 (a spreadsheet's "Unicode text") is refused at its first line: read as UTF-8 its header
    would be letters between NUL bytes, and the message would only say a column is missing.
    """
    first = True
    for raw in source:
        if first:
            refuse_utf16(raw[:256], name)
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark from a spreadsheet program
            first = False
        yield raw.decode("utf-8", "surrogateescape")


def refuse_utf16(start: bytes, name: str = "IN") -> None:
    """Raise :class:`BatchFileError` when ``start`` (a file's first bytes) is UTF-16 or UTF-32 text: a
    byte-order mark ``FF FE`` / ``FE FF``, or a NUL byte beside every other byte."""
    bom = start.startswith((b"\xff\xfe", b"\xfe\xff"))
    if bom or (len(start) >= 8 and start[1::2].count(0) * 4 >= len(start[1::2]) * 3) or \
            (len(start) >= 8 and start[0::2].count(0) * 4 >= len(start[0::2]) * 3):
        raise BatchFileError(name, None, "is UTF-16 text (a spreadsheet's \"Unicode text\" export), not UTF-8",
                             "a CSV file saved as UTF-8 (in Excel: Save As, \"CSV UTF-8 (Comma delimited)\")")


#: Excel's first line naming the separator (``sep=;``), written before the header row by some exports
_SEP_LINE = re.compile(r'^\s*"?sep=(.)"?\s*$', re.IGNORECASE)


def separator_line(line: str) -> str | None:
    """The separator a spreadsheet's ``sep=X`` line names, or ``None`` when ``line`` is not one.

    >>> separator_line("sep=;"), separator_line("hts;origin;when")
    (';', None)
    """
    found = _SEP_LINE.match(line.rstrip("\r\n"))
    return found.group(1) if found else None


def _refuse_carriage_return(header_line: str, name: str) -> None:
    """A carriage return (CR) inside the header row: a stray CR, or a file with old Mac line ends (CR only)."""
    body = header_line.rstrip("\r\n")
    if "\r" in body:
        raise BatchFileError(name, None, f"has a carriage return (CR, 0x0d) inside its header row, at character "
                             f"{body.index(chr(13)) + 1}: a stray CR, or line ends of CR alone (old Mac files), "
                             "which are not read", "a header row ending with a line feed (LF or CR LF); remove the "
                             "stray CR or re-save the file with Windows or Unix line ends")


def _bad_bytes(cells: Sequence[str]) -> str | None:
    for cell in cells:
        for char in cell:
            if "\udc80" <= char <= "\udcff":
                return f"byte 0x{ord(char) - 0xdc00:02x}"
    return None


def _clean(cell: str) -> str:
    """The cell as text to write: bytes that are not UTF-8 and NUL bytes become U+FFFD."""
    return cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\x00", "\ufffd")


def read_table(source: IO[bytes], required: Sequence[str], known: Iterable[str], name: str = "IN") -> Table:
    """Open a batch file (bytes): read its header and return a :class:`Table` whose rows are read lazily.

    ``required`` columns must be present; ``known`` are every column read.
    Raises :class:`BatchFileError` for an empty file, duplicate header names
    or a missing required column.
    """
    lines = _lines(source, name)
    header_line = next(lines, None)
    offset = 1
    while header_line is not None and not header_line.strip():
        header_line = next(lines, None)
        offset += 1
    stated = separator_line(header_line) if header_line is not None else None
    if stated is not None:  # Excel's "sep=;" line: it names the separator; the header row follows
        if stated not in SEPARATORS:
            raise BatchFileError(name, None, f"states the separator {quote(stated)} on its first line (sep=), which "
                                 "is not read", "comma, semicolon or tab")
        header_line = next(lines, None)
        offset += 1
    if header_line is None:
        raise BatchFileError(name, None, "is empty", "a header row naming at least " + ", ".join(required))
    _refuse_carriage_return(header_line, name)
    separator = stated or _sniff(header_line)
    header = tuple(_clean(cell).strip() for cell in next(csv.reader([header_line], delimiter=separator)))
    unnamed = len(header) - len(tuple(_trimmed(header)))  # a spreadsheet's unused columns at the end
    header = header[:len(header) - unnamed]
    if "" in header:
        raise BatchFileError(name, separator.join(header), f"has no name in header cell {header.index('') + 1} "
                             "(between named columns); a row could not say what that column holds",
                             "a name for every column (empty header cells are ignored only at the end of the row)")
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
    return Table(header=header, columns=columns, separator=separator, unnamed=unnamed,
                 rows=_rows(lines, header, columns, separator, known, offset, unnamed))


def _trimmed(cells: Sequence[str]) -> Sequence[str]:
    """The cells without the empty ones at the end."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _rows(lines: Iterator[str], header: tuple[str, ...], columns: tuple[str, ...], separator: str,
          known: Iterable[str], offset: int, unnamed: int = 0) -> Iterator[TableRow]:
    known = set(known)
    width = len(header)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize // 2)  # our own MAX_CELL check runs per row instead
    try:
        tape = _Tape(lines)
        reader = csv.reader(tape, delimiter=separator)
        ended = 0  # the last line of the previous record: a record spans the lines after it to reader.line_num
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
            number, first, ended = offset + reader.line_num, offset + ended + 1, reader.line_num
            raw = tape.take()
            unclosed = _unclosed_quote(first, number, cells, width, separator)
            if unclosed is not None and len(raw) == number - first + 1:
                # a quote left open swallowed the lines after it: its own line is the error, and every line it
                # swallowed is read again on its own, in its place, so no entry line is merged or dropped
                own = next(csv.reader([raw[0].rstrip("\r\n")], delimiter=separator), [])
                yield _row(first, own, header, columns, separator, known, unnamed, unclosed)
                for at, line in enumerate(raw[1:], first + 1):
                    alone = next(csv.reader([line.rstrip("\r\n")], delimiter=separator), [])
                    yield _row(at, alone, header, columns, separator, known, unnamed)
                continue
            yield _row(number, cells, header, columns, separator, known, unnamed, unclosed)
    finally:
        csv.field_size_limit(old_limit)


class _Tape:
    """The lines a CSV reader takes, kept until :meth:`take` (the raw lines of the record just read)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines, self._kept = lines, []

    def __iter__(self) -> "_Tape":
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._kept.append(line)
        return line

    def take(self) -> list[str]:
        kept, self._kept = self._kept, []
        return kept


def _row(number: int, cells: Sequence[str], header: tuple[str, ...], columns: tuple[str, ...], separator: str,
         known: set[str], unnamed: int, error: TariffRulesError | None = None) -> TableRow:
    """Data line ``number`` read as ``cells``: its cells by header name (extra cells joined under
    :data:`EXTRA_COLUMN`), its fields, and ``error`` or the error its cells have."""
    width = len(header)
    if unnamed and len(cells) > width:  # empty cells under the unnamed columns at the end are not cells
        cells = list(cells[:width]) + list(_trimmed(cells[width:]))
    out = {written: _clean(cells[i]) if i < len(cells) else "" for i, written in enumerate(header)}
    if len(cells) > width:
        out[EXTRA_COLUMN] = separator.join(_clean(c) for c in cells[width:])
    return TableRow(number=number, cells=out, fields=_fields(cells, columns, known),
                    error=error or _row_error(number, cells, header, width, separator))


def _fields(cells: Sequence[str], columns: tuple[str, ...], known: set[str]) -> dict[str, str]:
    return {column: cells[i] for i, column in enumerate(columns) if column in known and i < len(cells)}


def _unclosed_quote(first: int, number: int, cells: Sequence[str], width: int,
                    separator: str) -> TariffRulesError | None:
    """A record read over several lines with a cell count unlike the header's: a quote opened in line
    ``first`` and closed (or not) only in line ``number`` merged those lines into one cell."""
    if number == first or len(cells) == width:
        return None
    cell = next((c for c in cells if "\n" in c or "\r" in c), None)
    if cell is None:
        return None
    return BatchRowError(f"line {first}", separator.join(_clean(c) for c in cells)[:200].split("\n")[0],
                         f"has a quote (\") that is not closed on that line, so a CSV reader would read the lines "
                         f"up to line {number} as one row; this line is not rated, and lines {first + 1} to "
                         f"{number} are read on their own, each in its place",
                         "a closing quote on the same line, or no quote in that cell")


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
        if "\x00" in cell:
            return BatchRowError(f"{where} column {header[i] if i < width else EXTRA_COLUMN}", None,
                                 f"holds a NUL byte (0x00) at character {cell.index(chr(0)) + 1}, which is not text "
                                 "(it is written out as U+FFFD)", "text without control bytes; re-export the file")
        if len(cell) > MAX_CELL:
            return BatchRowError(f"{where} column {header[i]}", cell[:40] + "...",
                              f"is {len(cell)} characters long", f"a cell of at most {MAX_CELL} characters")
    return None


def unread_columns(header: Sequence[str], columns: Sequence[str], read: Collection[str],
                   lookalikes: Mapping[str, str], keep: Iterable[str] = (), name: str = "IN") -> list[str]:
    """The header cells a batch copies to its output unread, after refusing any that looks like a column it reads.

    ``columns`` are the keys the reader reads the header cells by, ``read`` the keys it reads, ``lookalikes``
    the names a column must not merely contain (the optional input columns and the declared facts), each with
    what it is in words, ``keep`` the columns the caller copies on purpose (``--keep-column``, any case and
    spacing).

    A column not read whose name holds the name of a column that is read, as words or their stems (``USMCA
    claim`` holds ``usmca``, ``Load Date`` holds ``loaded``, ``Ch98`` holds ``chapter98``), written in
    camelCase or joined (``CustomsValue``, ``countryoforigin``; see :func:`_looks_like`), raises
    :class:`BatchFileError` naming the column, the name it looks like and the header to use: the rows would
    otherwise be rated as if the fact were not given, or on the column of that name alone when the file has
    it too (``Country of Origin`` beside ``origin``). A column that has the read column beside it and only
    describes it (``HTS description``, ``origin name``) is copied. A kept column that is not in the header,
    or that is read, raises one too.

    >>> unread_columns(["hts", "Note"], ["hts", "note"], {"hts", "usmca"}, {"usmca": "the fact usmca"})
    ['Note']
    """
    written = {canonical(cell): cell for cell in header}
    kept = {canonical(cell): cell for cell in keep}
    present = {column: cell for cell, column in zip(header, columns) if column in read}
    text = ",".join(header)
    for wanted, given in kept.items():
        if wanted not in written:
            raise BatchFileError(name, text, f"has no column {quote(given)} to keep (--keep-column)",
                                 "the name of a column of the header row, in any case and spacing")
    unread = []
    for cell, column in zip(header, columns):
        if column in read:
            if canonical(cell) in kept:
                raise BatchFileError(name, text, f"column {quote(cell)} is read as {column}; --keep-column is for "
                                     "columns no rule reads", f"--keep-column only for such a column")
            continue
        words = canonical(_CAMEL.sub("_", cell.strip()))
        words = _SHORT_FORMS.get(words, words)
        like = None if canonical(cell) in kept else _looks_like(words, lookalikes.keys())
        if like is not None and like in present and (_DESCRIBES.search(words) or not _ends_with(words, like)):
            like = None  # beside the column it names, only a name that ends with it holds its value
        if like is not None:
            beside = (f"the file also has the column {quote(present[like])}, read as {like}, and every row "
                      f"would be rated on that column alone" if like in present else
                      f"every row would be rated as if {like} were not given")
            raise BatchFileError(name, text, f"column {quote(cell)} is not read, but its name holds {like}: "
                                 f"{lookalikes[like]}, read only from a column named {like}; {beside}",
                                 f"the exact header {like} for that column (any case; spaces or underscores)"
                                 + (" and one such column only" if like in present else "") +
                                 f", or --keep-column {quote(cell)} to copy it to the output unread")
        unread.append(cell)
    return unread


#: where a lower-case letter or digit meets an upper-case one, or an acronym meets a capitalised word
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: header abbreviations brokers' exports use for a read column, as the words they stand for
_SHORT_FORMS = {"coo": "country_of_origin", "c_o_o": "country_of_origin"}
#: last words that make a header the read column's own name written out (``HTS code``, ``HTS number``)
_IDENTIFIER_WORDS = frozenset({"code", "codes", "number", "no", "nr", "num", "id"})


def _ends_with(words: str, name: str) -> bool:
    """``words`` (a header's words joined by ``_``) end with the words of ``name``, as :func:`_looks_like`
    compares them: the name is the head of the header (``customs_value``, ``country_of_origin``,
    ``customsvalue``, also before a word such as ``code``: ``hts_code``), not a qualifier of another word
    (``value_date``, ``origin_port``, ``hts_chapter``).

    >>> _ends_with("customs_value", "value"), _ends_with("countryoforigin", "origin"), _ends_with("value_date", "value")
    (True, True, False)
    """
    parts, cells = name.split("_"), words.split("_")
    if len(cells) > 1 and cells[-1] in _IDENTIFIER_WORDS:  # "HTS code", "origin number": the name itself
        cells = cells[:-1]
    last = cells[-len(parts):]
    return (len(last) == len(parts) and all(_same_word(word, part) for word, part in zip(last, parts))) \
        or cells[-1].endswith("".join(parts))


#: words of a column that describes a read column beside it rather than holding its value
_DESCRIBES = re.compile(r"(^|_)(desc|descr|description|name|text|title|note|notes|comment|comments|remark|"
                        r"remarks|label)(_|$)")


def _looks_like(column: str, names: Iterable[str]) -> str | None:
    """The longest of ``names`` that ``column`` holds as words (words split at ``_``), or None.

    Words are compared by stem (:func:`_stem`: ``Load Date`` and ``loading date`` hold ``loaded``,
    ``Values`` holds ``value``) and a word of letters then digits also as an abbreviation of a name word with
    the same digits (``Ch98`` holds ``chapter98``), and a word joined from others ends with the name
    (``customsvalue`` holds ``value``); ``PO number`` or ``Invoice`` hold no name.

    >>> _looks_like("load_date", ["loaded"]), _looks_like("ch98", ["chapter98"]), _looks_like("po_number", ["loaded"])
    ('loaded', 'chapter98', None)
    >>> _looks_like("countryoforigin", ["origin"]), _looks_like("original_invoice", ["origin"])
    ('origin', None)
    """
    words = column.split("_")
    for name in sorted(names, key=lambda n: (-len(n), n)):
        parts = name.split("_")
        joined = "".join(parts)
        if any(len(word) > len(joined) >= 3 and word.endswith(joined) for word in words):
            return name
        if any(all(_same_word(word, part) for word, part in zip(words[i:i + len(parts)], parts))
               for i in range(len(words) - len(parts) + 1)):
            return name
    return None


_SUFFIXES = ("ing", "ed", "es", "s", "er", "ment")
_LETTERS_DIGITS = re.compile(r"^([a-z]+)([0-9]+)$")


def _stem(word: str) -> str:
    """A header word without one inflection suffix (at least three letters kept), a doubled final consonant
    and a final ``e``: ``loading``, ``loaded`` and ``load`` give ``load``; ``value``, ``values`` ``valu``."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[:-len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou0123456789":
        word = word[:-1]
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _same_word(word: str, name_word: str) -> bool:
    """``word`` of a header names ``name_word`` of a fact: the same word or stem, or an abbreviation of
    letters then the same digits (``ch98`` for ``chapter98``)."""
    if word == name_word or _stem(word) == _stem(name_word):
        return True
    short, full = _LETTERS_DIGITS.match(word), _LETTERS_DIGITS.match(name_word)
    return bool(short and full and short[2] == full[2] and len(short[1]) >= 2 and full[1].startswith(short[1]))


def row_message(error: TariffRulesError) -> str:
    """An error as a batch row's ``error`` cell: its kind and message, in the file's terms (columns, not
    Python calls).

    >>> from tariffrules.errors import MissingFactError
    >>> print(row_message(MissingFactError("value", None, "no customs value", "resolve(..., value=...)")))
    MissingFactError: value=(not given): no customs value; expected a value cell and, for a content base, a content cell (steel=1200;aluminum=300)
    """
    return f"{type(error).__name__}: {reworded(str(error), CSV_WORDS)}"


def columnar_refusal(path: str, name: str = "IN") -> str | None:
    """Why the Arrow CSV reader (``batch --columnar``) would read the file at ``path`` otherwise than the row
    reader (:func:`read_table`) does, or ``None`` when it reads it alike.

    The Arrow reader takes the first line as the header, split at commas, every header cell as a column named
    as written, a bare CR as a line end, and skips empty lines; so a ``sep=`` first line, another separator, a
    CR inside the header row, empty header cells at the end of it (a spreadsheet's unused columns, which the
    row reader drops), header names in another case or spacing and a blank line are read row by row instead,
    where each has its documented handling. A UTF-16 file raises :class:`BatchFileError`.
    """
    with open(path, "rb") as stream:
        start = stream.read(1 << 16)
    refuse_utf16(start[:256], name)
    lines = start.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace").split("\n")
    first = next((line for line in lines if line.strip()), "")
    if separator_line(first) is not None:
        return "starts with a sep= line"
    if "\r" in first.rstrip("\r"):
        return "has a carriage return (CR) inside its header row"
    if _sniff(first) != ",":
        return f"is {SEPARATORS[_sniff(first)]}-separated"
    header = next(csv.reader([first.rstrip("\r")]), [])
    if header and not header[-1].strip():
        return "has empty header cells at the end of its header row"
    if any(canonical(cell) != cell for cell in header):
        return "has header names written otherwise than the columns are read (any case and spacing)"
    if _has_blank_line(path):
        return "has a blank line (kept in place as a row with its error)"
    return None


def _has_blank_line(path: str) -> bool:
    """Whether the file holds an empty line, which the Arrow reader would skip (the row reader keeps it)."""
    with open(path, "rb") as stream:
        tail = b""
        for chunk in iter(lambda: stream.read(1 << 22), b""):
            text = tail + chunk
            if b"\n\n" in text or b"\n\r\n" in text:
                return True
            tail = text[-2:]
    return False

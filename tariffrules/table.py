"""Columnar batches over Apache Arrow: a table of entry lines in, the same rows with their levies out.

:meth:`RuleSet.resolve_table` takes a ``pyarrow.Table`` (or a pandas or
polars frame, through Arrow) with the columns the ``batch`` command reads
(see :mod:`tariffrules.tabular`) and returns the input columns followed by,
for every input row and in input order:

=============  ============================  ===============================================
``headings``   dictionary<string>            chapter 99 headings in reporting order, space-separated
``levies``     dictionary<string>            levy ids in reporting order, space-separated
``rate``       dictionary<string>            total additional rate, percent of the value, exact decimal text
``duty``       decimal128(38, 2)             duty in money when the row gives a value
``assumed``    dictionary<string>            facts read that the row did not give (``name=value; ...``)
``error``      dictionary<string>            ``ErrorType: message`` when the row failed
=============  ============================  ===============================================

A failed row keeps its place: ``error`` says why and the other result
columns are null (``headings`` and ``levies`` stay when only the rate or duty
could not be computed). The duty is that of :meth:`Resolution.duty`: per
levy, ``rate x value / 100`` rounded half up to the cent, then summed. The
rate is text because a rate can carry more decimals than a fixed-scale
column holds; ``pyarrow.compute.cast(column, pyarrow.decimal128(38, 10))``
makes it numeric.

How it is fast without a second implementation of the rules: the engine
memoises settlements by a key (the set of candidate versions, which the
goods signature of the code, the epoch of the entry instant and the origin
decide; the epoch itself only when a condition compares the entry instant;
the facts a candidate reads; the outcome of each comparison of an amount;
what the amounts can change of an exclusion). In each chunk, every column
is dictionary-encoded and each distinct code, origin and date is read once
by the rule set's reader and placed (code to signature, date to epoch).
Values and content amounts are read as exact integers (10**-4) with array
operations, and reduced to what the key reads of them: the interval of the
value between the thresholds the compiled rules compare it with (a test
``value below 800.01`` has one answer on each side), which content kinds
are given and which are zero, whether they add up to the value, and the
outcome of each share test and share floor (``kind x 100 >= percent x
value``), all derived from the compiled conditions. Rows are grouped by
those columns and every cell the key does not cover but an error could
come from (the cells of facts, ``mfn``, ``loaded``; a code, origin or date
that fails to read). One row of each group is resolved through
:meth:`RuleSet.resolve_many` (the path of ``tariffrules batch``); its
headings, levies, assumed facts and error are broadcast to the group,
and its entry lines (:attr:`Resolution.lines`) give the group's *slots*:
per levy on each line, the line's slice of the value and the levy's rate.
Each row's duty is then computed from its own amounts in exact integer
arithmetic: per slot, the slice's amount times rate / 100, rounded half up
to the cent, summed (:meth:`Resolution.duty`'s rule). The rate is the
group's when every levy is on the whole value; otherwise each row's is the
exact ``Decimal`` sum of :func:`tariffrules.result.levy_shares` of its own
amounts (the function :attr:`Resolution.rate` uses). What is learnt
(placements, group answers) is kept by the rule set's engine, like its
memo, so a second batch on the same rule set starts warm.

Rows the key cannot speak for take the per-row path
(:meth:`RuleSet.resolve_many`): an ``as_of`` cell, a value or amount not
written as plain digits (at most 14 before the point and 4 after), a kind
the rule set does not know or given twice, amounts adding up to more than
the value, a code the schedule or a split code checks at its date, a
candidate whose condition compares a content amount itself, and a group
whose rate or duty fails on its own amounts (a levy on a kind the row does
not give) or whose rate has more than six decimals or reaches 1,000%.

Input is processed in chunks of ``chunk_rows`` rows, so memory is bounded by
the chunk (and by the output, which :func:`resolve_batches` streams). Needs
the optional extra ``arrow`` (``pip install 'tariffrules[arrow]'``).
"""

from __future__ import annotations

import bisect
import re
import threading
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .csv_input import canonical
from .errors import InvalidFactError, InvalidInstantError, QueryError, TariffRulesError, shown
from .conditions import leaves
from .engine import MEMO_LIMIT
from .result import Resolution, levy_shares
from .lines import entry_lines
from .rates import WHOLE
from .table_columns import REQUIRED_COLUMNS, check_columns
from .tabular import (DOT_THOUSANDS, INPUT_COLUMNS, LINE_COLUMNS, RESULT_COLUMNS, cell_text, line_cells, line_from_row,
                      line_or_failed, row_from_result)

if TYPE_CHECKING:  # pragma: no cover
    from .ruleset import RuleSet

__all__ = ["resolve_table", "resolve_batches", "as_table", "text_batch", "explode_lines", "CHUNK_ROWS", "DUTY_TYPE",
           "LINES_TYPE"]

#: rows per chunk: memory is bounded by this many rows at a time
CHUNK_ROWS = 131_072
#: the type of the duty column: money to the cent
DUTY_TYPE = pa.decimal128(38, 2)
#: values the array path computes duties for exactly: 14 digits before the point, 4 after (others go per row)
_PLAIN_VALUE = r"^[0-9]{1,14}(\.[0-9]{1,4})?$"
#: a plain amount that is not ``tabular.DOT_THOUSANDS`` (``40.000``), no blanks: one regular expression for the
#: two tests (plain, and not one to three digits, a dot and exactly three); equal to ``_PLAIN_VALUE`` and not
#: ``DOT_THOUSANDS``, checked by tests/test_table.py
_CLEAR_AMOUNT = r"^(?:[0-9]{1,14}|[0-9]{1,14}\.(?:[0-9]{1,2}|[0-9]{4})|(?:0|[0-9]{4,14})\.[0-9]{3})$"
_VALUE_TYPE = pa.decimal128(18, 4)
#: a levy's rate / 100 as the array path holds it: an integer count of 10**-8, from 0 to below 10**9 (1,000%)
_SHARE_STEP = Decimal("1e-8")
_SHARE_LIMIT = 10**9
_STRING_COLUMNS = ("headings", "levies", "rate", "assumed", "error")
#: the ``lines`` column (``lines=True``): per row, its entry lines with the cells of ``batch --lines``
LINES_TYPE = pa.list_(pa.struct([pa.field(name, pa.string()) for name in LINE_COLUMNS[1:]]))
#: distinct values kept between chunks (codes, origins, dates, groups) before the caches start over
_CACHE_LIMIT = 200_000


def as_table(data: Any) -> pa.Table:
    """An Arrow table from a ``pyarrow.Table`` or ``RecordBatch``, a pandas or a polars ``DataFrame``.

    Raises :class:`QueryError` for anything else.
    """
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if hasattr(data, "to_arrow"):  # polars
        return data.to_arrow()
    if type(data).__module__.startswith("pandas"):
        return pa.Table.from_pandas(data, preserve_index=False)
    if hasattr(data, "__arrow_c_stream__"):
        return pa.table(data)
    raise QueryError("table", type(data).__name__, "is not a table",
                     "a pyarrow.Table, a pandas or a polars DataFrame")


def resolve_table(rules: "RuleSet", table: Any, *, allow_stale: bool = False, chunk_rows: int = CHUNK_ROWS,
                  progress: Callable[[int], None] | None = None, lines: bool = False,
                  keep_columns: Iterable[str] = ()) -> pa.Table:
    """Resolve every row of ``table``; see the module docstring for the columns.

    ``progress`` is called with the count of rows done after each chunk.
    ``lines`` adds the column ``lines`` (:data:`LINES_TYPE`): each row's
    entry lines (:attr:`Resolution.lines`), as the cells ``tariffrules batch
    --lines`` writes for them; empty for a row that failed.
    Raises :class:`QueryError` (or a subclass) only for a table without a
    column ``hts``, ``origin`` or ``when``, a column of a type
    that cannot be read (e.g. floats for money), a ``chunk_rows`` that is not
    a whole number of at least 1, and, as ``tariffrules batch`` does, a column
    named twice or one whose name holds a read column's name without being it
    (``Customs Value``, ``USMCA claim``; :mod:`tariffrules.table_columns`)
    unless ``keep_columns`` names it; a row's own failure is in its ``error`` cell.
    """
    if type(chunk_rows) is not int or chunk_rows < 1:
        raise QueryError("chunk_rows", chunk_rows, "is not a whole number of at least 1",
                         f"e.g. chunk_rows={CHUNK_ROWS}, or leave it out for that default")
    if isinstance(keep_columns, (str, bytes)):
        raise QueryError("keep_columns", keep_columns, "is one string, which would be read letter by letter",
                         f"a list of column names, e.g. keep_columns=[{shown(keep_columns)}]")
    index = [name for name in (getattr(getattr(table, "index", None), "names", None) or []) if name is not None]
    table = as_table(table)
    missing = [column for column in REQUIRED_COLUMNS if column not in table.schema.names]
    if missing:  # as the batch command: every row would fail alike, so the table is refused
        near = [f"the column {shown(name)} is not read as {canonical(name)} (names are read exactly, in lower case)"
                for name in table.schema.names if canonical(name) in missing]
        near += [f"{name} is the frame's index, which is not read (frame.reset_index() makes it a column)"
                 for name in index if str(name) in missing]
        raise QueryError("table", ", ".join(table.schema.names), f"has no column {', '.join(missing)}"
                         + "".join(f"; {n}" for n in near),
                         f"columns named exactly {', '.join(REQUIRED_COLUMNS)} (lower case), and any of the optional "
                         "input columns and facts")
    check_columns(table.schema.names, rules, keep_columns)  # as the batch command: duplicates, look-alikes
    batches = list(resolve_batches(rules, _chunks(table, chunk_rows), allow_stale=allow_stale, progress=progress,
                                   lines=lines))
    if not batches:
        return pa.Table.from_batches([], schema=_output_schema(table.schema, lines))
    return pa.Table.from_batches(batches)


def _chunks(table: pa.Table, rows: int) -> Iterator[pa.RecordBatch]:
    """The table in record batches of ``rows`` rows (the last shorter), small batches joined: the fewer the
    chunks, the fewer times each distinct code, date and group is looked up."""
    for start in range(0, table.num_rows, max(rows, 1)):
        part = table.slice(start, rows)
        batches = part.to_batches()
        yield batches[0] if len(batches) == 1 else part.combine_chunks().to_batches()[0]


def resolve_batches(rules: "RuleSet", batches: Iterable[pa.RecordBatch], *, allow_stale: bool = False,
                    progress: Callable[[int], None] | None = None, lines: bool = False) -> Iterator[pa.RecordBatch]:
    """Resolve a stream of record batches lazily, one output batch per input batch (in order).

    Memory is bounded by the largest batch; what is learnt about codes,
    origins, dates and groups carries from one batch to the next.
    """
    context = _Context.of(rules, allow_stale)
    done = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        with context.busy:  # one chunk at a time per context (its numbering of origins and rates is shared)
            resolved = _resolve_chunk(context, batch, lines)
        yield resolved
        done += batch.num_rows
        if progress is not None:
            progress(done)


def _output_schema(schema: pa.Schema, lines: bool = False) -> pa.Schema:
    fields = [f for f in schema if f.name not in RESULT_COLUMNS and not (lines and f.name == "lines")]
    strings = pa.dictionary(pa.int32(), pa.string())
    extra = [pa.field(name, DUTY_TYPE if name == "duty" else strings) for name in RESULT_COLUMNS]
    return pa.schema(fields + extra + ([pa.field("lines", LINES_TYPE)] if lines else []))


def explode_lines(batch: pa.RecordBatch, first_row: int) -> pa.RecordBatch:
    """A batch with a ``lines`` column as ``tariffrules batch --lines`` writes it: one row per entry line
    (one for a row without lines), the ``lines`` column replaced by ``LINE_COLUMNS`` (``row`` counts from
    ``first_row``)."""
    column = batch.column(batch.schema.get_field_index("lines"))
    counts = pc.fill_null(pc.list_value_length(column), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    parent = np.repeat(np.arange(batch.num_rows), np.maximum(counts, 1))
    rest = batch.drop_columns(["lines"]).take(pa.array(parent))
    flat = pc.list_flatten(column)
    # the place of each entry line among the output rows: rows without lines hold one empty row
    placed = np.flatnonzero(np.repeat(counts > 0, np.maximum(counts, 1)))
    arrays = [pa.array((parent + first_row).astype(str))]
    for field in LINE_COLUMNS[1:]:
        cells = np.full(len(parent), "", object)
        cells[placed] = pc.struct_field(flat, field).to_numpy(zero_copy_only=False)
        arrays.append(pa.array(cells, pa.string()))
    return pa.RecordBatch.from_arrays(rest.columns + arrays, names=rest.schema.names + list(LINE_COLUMNS))


def _text(name: str, column: pa.Array) -> pa.Array:
    """A column as the text cells the batch command reads."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        return _text(name, column.dictionary_decode())
    if pa.types.is_string(kind):
        return column
    if pa.types.is_decimal(kind) and kind.scale == 3:  # a typed decimal has no thousands separator: as text
        wider = (pa.decimal128 if kind.precision < 38 else pa.decimal256)(kind.precision + 1, 4)  # 1.5000
        return pc.cast(pc.cast(column, wider), pa.string())  # not 1.500, which a text cell would make ambiguous
    if pa.types.is_large_string(kind) or pa.types.is_integer(kind) or pa.types.is_decimal(kind) \
            or pa.types.is_date(kind) or pa.types.is_null(kind):
        return pc.cast(column, pa.string())
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "true", "false")
    if pa.types.is_timestamp(kind):
        if kind.tz is None:
            raise InvalidInstantError(name, str(kind), "is a column of naive timestamps (no time zone)",
                                      "an aware timestamp column, or text such as 2025-04-16T00:01:00-04:00")
        return pc.strftime(column, format="%Y-%m-%dT%H:%M:%S%z")
    if pa.types.is_floating(kind):
        raise InvalidFactError(f"column {name}", str(kind), "has a floating-point type, which cannot hold every "
                               "amount or code exactly (money and rates are Decimal)", "a decimal column "
                               "(decimal128) or a text column (in pandas, read with dtype=str)")
    typed = re.sub(r" \('[^']*'\)", "", str(kind))  # map<string, string>, without pyarrow's field names
    raise QueryError(f"column {name}", typed, f"has the type {typed}, which the batch cannot read",
                     "text, integers, decimals, booleans, dates or aware timestamps"
                     + ("; content as text such as steel=1200;aluminum=300" if name == "content" else ""))


def text_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A resolved batch with every column as plain text, as ``tariffrules batch`` writes it.

    Nulls become empty cells; a duty of a row with no levy is ``0``, as
    :meth:`Resolution.duty` prints it.
    """
    columns = []
    for name, column in zip(batch.schema.names, batch.columns):
        if name == "duty":
            text = pc.cast(column, pa.string())
            none = pc.and_(pc.equal(pc.fill_null(_decoded(batch.column("levies")), "x"), ""), pc.is_valid(column))
            column = pc.if_else(none, "0", text)
        elif pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        try:
            column = _text(name, column)
        except QueryError:  # a column no rule reads (say, floats): written as Arrow prints it
            column = pc.cast(column, pa.string())
        columns.append(pc.fill_null(column, ""))
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _decoded(column: pa.Array) -> pa.Array:
    return column.dictionary_decode() if pa.types.is_dictionary(column.type) else column


class _Context:
    """What columnar batches on one rule set learn and keep between chunks and calls: kept by the rule
    set's engine (``Engine.tables``), like its memo, never global."""

    @classmethod
    def of(cls, rules: "RuleSet", allow_stale: bool) -> "_Context":
        engine = rules.engine
        found = engine.tables.get(allow_stale)
        if found is None:
            made = cls(rules, allow_stale)  # outside the lock: compiling the view takes it
            with engine._lock:
                found = engine.tables.setdefault(allow_stale, made)
        return found

    def __init__(self, rules: "RuleSet", allow_stale: bool) -> None:
        self.rules = rules
        self.allow_stale = allow_stale
        self.facts = {f.name: f.type for f in rules.info.facts}
        self.kinds = tuple(rules.info.content_kinds)
        self.reader = rules.reader
        engine = rules.engine
        self.lock = engine._lock
        _, self.view = engine.view(None)
        self.epochs = len(self.view.point_keys) + 1
        self.thresholds, self.shares = _comparisons(self.view.versions, self.kinds)
        self.codes: dict = {}
        self.origins: dict = {}
        self.whens: dict = {}
        self.countries: dict[str, int] = {}
        self.country_names: list[str] = []
        self.mfns: dict[str, int] = {}
        self.triples: dict = {}
        self.checks: dict = {}
        self.groups: dict = {}
        #: errors of rows of a split code's group, by the group's key, the origin cell and the entry cell
        self.errors: dict = {}
        self.busy = threading.Lock()

    @staticmethod
    def _kept(cache: dict) -> dict:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        return cache

    def code(self, raw: Any) -> tuple[int, int]:
        """(signature, general-rate id) of a code cell; (-1, -1) when it fails to read."""
        found = self.codes.get(raw)
        if found is None:
            try:
                code, _, mfn = self.reader._code(cell_text(raw))
                sig = self.view.signature(code, self.lock)
                found = (sig, self.mfns.setdefault(str(mfn), len(self.mfns)))
            except TariffRulesError:
                found = (-1, -1)
            self._kept(self.codes)[raw] = found
        return found

    def origin(self, raw: Any) -> int:
        found = self.origins.get(raw)
        if found is None:
            try:
                country = self.reader._origin(cell_text(raw))
                found = self.countries.get(country)
                if found is None:
                    found = self.countries[country] = len(self.country_names)
                    self.country_names.append(country)
            except TariffRulesError:
                found = -1
            self._kept(self.origins)[raw] = found
        return found

    def when(self, raw: Any) -> tuple[int, int]:
        """(epoch, schedule revisions in force as a bit mask) of an entry cell; (-1, 0) when it fails to read
        or is outside the horizon (unless allowed)."""
        found = self.whens.get(raw)
        if found is None:
            try:
                _, _, key, place, window = self.reader._when(cell_text(raw))
                found = (-1, 0) if place < 0 or (place > 0 and not self.allow_stale) else \
                    (bisect.bisect_right(self.view.point_keys, key), window)
            except TariffRulesError:
                found = (-1, 0)
            self._kept(self.whens)[raw] = found
        return found

    def own_check(self, code_raw: Any, window: int, when_raw: Any) -> int:
        """What a readable code and entry date need of the reader's own check of the pair: 2 for a code
        that is not a line of the schedule revisions in force at that date (its error names both: the
        per-row path), 1 for an 8-digit code the rules split (:class:`tariffrules.schedule.SplitCode`:
        its rows are grouped by the code itself, see :meth:`split_reads`), 0 for neither. The answer
        depends on the code and the revisions in force only, and is kept by those."""
        key = (code_raw, window)
        found = self.checks.get(key)
        if found is None:
            reader = self.reader
            code = reader._code(cell_text(code_raw))[0]
            instant = reader._when(cell_text(when_raw))[0]
            found = 2 if reader.schedule is not None and not _is_line(reader.schedule, code, instant) else \
                1 if code in reader.split else 0
            self._kept(self.checks)[key] = found
        return found

    def split_reads(self, code_raw: Any, epoch: int, country: int) -> bool:
        """Whether some line standing in for a split code's groups has, in the epoch and for the origin, a
        candidate comparing a content amount itself (its rows then take the per-row path). A split code's
        answer is that of its groups' stand-in lines (:meth:`tariffrules.schedule.SplitCode.resolve`),
        each keyed by its own candidates in the epoch for the origin: so the rows of a split code are
        grouped by the code itself, the epoch, the origin, the schedule revisions in force and the rest
        of the key, never by the 8-digit code's own candidates."""
        key = ("split", code_raw, epoch, country)
        found = self.triples.get(key)
        if found is None:
            split = self.reader.split[self.reader._code(cell_text(code_raw))[0]]
            found = False
            for stand_in, _, _ in split.classes:
                sig = self.view.signature(stand_in, self.lock)
                found = found or self.triple((sig * self.epochs + epoch) * _COUNTRIES + country)[3]
            self._kept(self.triples)[key] = found
        return found

    def triple(self, key: int) -> tuple[int, bool, bool, bool]:
        """(memo token, reads the entry instant, reads the general rate, compares an amount itself) of a
        (signature, epoch, origin) triple."""
        found = self.triples.get(key)
        if found is None:
            rest, country = divmod(key, _COUNTRIES)
            sig, position = divmod(rest, self.epochs)
            _, spec, token = self.view.candidates(sig, position, self.country_names[country])
            names, uses_mfn, _, uses_entered, *_ = spec
            # the engine keys on the outcome of value thresholds and share comparisons (columns of the chunk
            # below); a condition comparing a content amount itself keys on the amount: per row
            reads = "value" in names or any(name.startswith("content.") for name in names)
            found = (token, uses_entered, uses_mfn or "mfn" in names, reads)
            self._kept(self.triples)[key] = found
        return found

    def one_by_one(self, batch: pa.RecordBatch, rows: np.ndarray, keys: dict) -> list:
        """The results (a :class:`Resolution` or an error) of the given rows of ``batch``, each resolved on its
        own through :meth:`RuleSet.resolve_many`, except rows with a key in ``keys`` (see
        :func:`_split_error_keys`) whose key already ended in an error: that error is theirs, memoised
        like the engine memoises errors."""
        out: list = [None] * len(rows)
        first, second, seen = [], [], set()
        for n, row in enumerate(rows.tolist()):
            key = keys.get(row)
            found = None if key is None else self.errors.get(key)
            if found is not None:
                out[n] = found
            elif key is None or key not in seen:
                first.append(n)
                seen.add(key)
            else:  # another row of this batch with the key comes first
                second.append(n)
        self._resolve_into(batch, rows, first, keys, out)
        rest = []
        for n in second:
            found = self.errors.get(keys[int(rows[n])])
            if found is not None:
                out[n] = found
            else:
                rest.append(n)
        self._resolve_into(batch, rows, rest, keys, out)
        return out

    def _resolve_into(self, batch: pa.RecordBatch, rows: np.ndarray, todo: list, keys: dict, out: list) -> None:
        if not todo:
            return
        sample = batch.take(pa.array(rows[todo], pa.int64())).to_pylist()
        results = self.rules.resolve_many([line_or_failed(r, self.facts) for r in sample],
                                          allow_stale=self.allow_stale)
        for n, result in zip(todo, results):
            out[n] = result
            key = keys.get(int(rows[n]))
            if key is not None and isinstance(result, TariffRulesError):
                if len(self.errors) >= MEMO_LIMIT:
                    self.errors.clear()
                self.errors[key] = result

    def outcome(self, key: tuple, row: dict) -> Any:
        """What one group's rows share (:class:`_Plan`), or ``None`` when each row is resolved on its own."""
        found = self.groups.get(key, _MISSING)
        if found is _MISSING:
            result = next(self.rules.resolve_many([line_or_failed(row, self.facts)], allow_stale=self.allow_stale))
            found = _plan(result, {kind: n for n, kind in enumerate(self.kinds)})
            if len(self.groups) >= MEMO_LIMIT:
                self.groups.clear()
            self.groups[key] = found
        return found


_MISSING = object()
#: the numbering of (signature, epoch, origin) triples: origins below this many
_COUNTRIES = 1 << 12


def _comparisons(versions: Iterable[Any], kinds: tuple[str, ...]) -> tuple[np.ndarray, tuple]:
    """What the compiled rules compare amounts with: the value thresholds (in 10**-4, sorted: a value's
    interval between two of them decides every ``value at_least / below`` test), and the (kind index,
    percent) pairs of the share tests and share floors (each holds when the kind is given, the value is
    positive and kind x 100 >= percent x value)."""
    thresholds, shares = set(), set()
    index = {kind: n for n, kind in enumerate(kinds)}
    for v in versions:
        for condition in v.when + v.unless:
            for compare in leaves(condition):
                if compare.fact == "value" and compare.op in ("at_least", "below"):
                    thresholds.add(int((Decimal(compare.operand) * 10**4).to_integral_value(ROUND_CEILING)))
                elif compare.op.startswith("share") and compare.fact[len("content."):] in index:
                    shares.add((index[compare.fact[len("content."):]], Decimal(compare.operand)))
        for kind, percent in v.base.min_share:
            if kind in index:
                shares.add((index[kind], Decimal(percent)))
    return np.array(sorted(thresholds), np.int64), tuple(sorted(shares))


def _is_line(schedule: Any, code: str, instant: Any) -> bool:
    try:
        schedule.check(code, instant, "hts", code)
    except TariffRulesError:
        return False
    return True


@attrs.frozen(slots=True)
class _Plan:
    """A group's shared answer: its text cells, and how to rate a row of it on the row's own amounts.

    ``slots`` holds, per levy on each entry line of the group, (the line's slice is the value less its
    kinds, a bit mask of those kinds, the levy's rate / 100 in 10**-8): a row's duty is the sum over slots
    of the slice's amount times the share, rounded half up to the cent. ``rate`` is ``None`` when a levy
    is on part of the value: the row's rate is then ``levy_shares`` of its own amounts.
    """

    headings: str | None
    levies: str | None
    rate: str | None
    assumed: str | None
    error: str | None
    slots: tuple = ()
    applied: tuple = ()
    #: the applied levies of the group (for its rows' entry lines)
    found: tuple = ()
    #: the part of the value the group's general duty applies to (Resolution.general_base)
    general: Any = WHOLE


def _plan(result: Any, kinds: dict[str, int]) -> _Plan | None:
    """A group's plan from its sample row's result; ``None`` when its rows must be rated one by one (a rate
    or duty that fails on the row's own amounts, a rate the integer arithmetic cannot hold)."""
    lines = result.lines if isinstance(result, Resolution) else ()  # first: row_from_result's duty reuses them
    cells = row_from_result({}, result)
    if not isinstance(result, Resolution):
        return _Plan(None, None, None, None, cells["error"])
    if cells["error"]:  # a levy on a part the row does not give: the error names the row's amounts
        return None
    slots = []
    for line in lines:
        if any(kind not in kinds for kind in line.slice.kinds):
            return None
        mask = sum(1 << kinds[kind] for kind in line.slice.kinds)
        for levy in line.levies:
            units = levy.rate / 100 / _SHARE_STEP
            if units != units.to_integral_value() or not 0 <= units < _SHARE_LIMIT:
                return None
            slots.append((line.slice.complement, mask, int(units)))
    whole = all(levy.portion.is_whole for levy in result.levies)
    return _Plan(cells["headings"], cells["levies"], cells["rate"] if whole else None, cells["assumed"] or None,
                 None, tuple(slots), () if whole else result.levies, result.levies, result.general_base)


#: the amount of a content pair as the array path reads it: plain digits, blanks around (as tabular strips them)
_PLAIN_AMOUNT = r"^\s*[0-9]{1,14}(\.[0-9]{1,4})?\s*$"


def _np(array: pa.Array) -> np.ndarray:
    return array.to_numpy(zero_copy_only=False)


class _Amounts:
    """The ``value`` and ``content`` cells of a chunk as exact integers (10**-4), read with array operations.

    A value must be plain digits (at most 14 before the point and 4 after, not
    ``tabular.DOT_THOUSANDS`` such as ``40.000``, which the per-row path refuses);
    a content cell ``kind=amount`` pairs separated by ``;`` with plain
    amounts, each kind one of the rule set's content kinds, once. Other
    cells are ``odd`` (those rows take the per-row path, which reads them
    or names their error), as are rows whose amounts add up to more than
    the value (an error naming them).
    """

    def __init__(self, text: dict, kinds: tuple[str, ...], rows: int) -> None:
        self.odd = np.zeros(rows, bool)
        if "value" in text:
            cells = text["value"]
            plain = pc.fill_null(pc.match_substring_regex(cells, _CLEAR_AMOUNT), False)
            self.given = _np(plain)
            if not self.given.all():  # which of the others are empty (not given) rather than odd
                absent = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(cells), ""), True)
                self.odd |= ~(_np(absent) | self.given)
            self.value_text = pc.if_else(plain, cells, pa.scalar(None, pa.string()))
            self.value = _unscaled(pc.cast(self.value_text, _VALUE_TYPE))
        else:
            self.given = np.zeros(rows, bool)
            self.value_text = pa.nulls(rows, pa.string())
            self.value = np.zeros(rows, np.int64)
        count = len(kinds)
        self.amounts = np.zeros((count, rows), np.int64)
        self.has = np.zeros((count, rows), bool)
        self.kinds = kinds
        #: the pairs read, in row order: each one's row, kind index and amount text (for ``texts``)
        self.pieces: tuple = (np.zeros(0, np.int64), np.zeros(0, np.int64), pa.array([], pa.string()))
        if "content" in text:
            parts = pc.split_pattern(pc.fill_null(text["content"], ""), ";")
            parent = _np(pc.list_parent_indices(parts)).astype(np.int64)
            pairs = pc.split_pattern(pc.list_flatten(parts), "=", max_splits=1)
            two = _np(pc.equal(pc.list_value_length(pairs), 2))
            # kinds: a few distinct cells, each read once (stripped, and one of the rule set's kinds)
            names = pc.dictionary_encode(pc.list_element(pairs, 0))
            index = {kind: n for n, kind in enumerate(kinds)}
            known = np.array([index.get(name.strip(), -1) for name in names.dictionary.to_pylist()] + [-1],
                             np.int64)[_np(names.indices.fill_null(len(names.dictionary))).astype(np.int64)]
            blank = np.array([not name.strip() for name in names.dictionary.to_pylist()] + [True],
                             bool)[_np(names.indices.fill_null(len(names.dictionary))).astype(np.int64)] & ~two
            usable = two & (known >= 0)
            use = np.flatnonzero(usable)
            # the common case, every piece a pair of a known kind: no take
            amount = pc.list_element(pairs, 1) if len(use) == len(usable) else \
                pc.list_element(pairs.take(pa.array(use, pa.int64())), 1)
            plain, amount = _plain_amounts(amount)
            self.odd[parent[~blank & ~usable]] = True
            self.odd[parent[use[~plain]]] = True
            if not plain.all():
                use, amount = use[plain], amount.filter(pa.array(plain))
            kind, row = known[use], parent[use]
            twice = np.bincount(row * count + kind, minlength=rows * count) > 1
            self.odd[np.flatnonzero(twice) // max(count, 1)] = True
            self.amounts[kind, row] = _unscaled(pc.cast(amount, _VALUE_TYPE))
            self.pieces = (row, kind, amount)
            self.has[kind, row] = True
        self.total = self.amounts.sum(axis=0)
        self.any = self.has.any(axis=0)
        self.odd |= self.given & self.any & (self.total > self.value)

    def parts(self, thresholds: np.ndarray, shares: tuple) -> list[np.ndarray]:
        """What the engine's memo key reads of the amounts, as integer columns (finer than the key where
        simpler): the value absent, positive or zero, its interval between the thresholds, which kinds are
        given and which are zero, whether they add up to the value, and each share test's outcome."""
        given, value = self.given, self.value
        bits = (1 << np.arange(len(self.has), dtype=np.int64))[:, None]
        out = [np.where(given, np.where(value == 0, 2, 1), 0),
               np.where(given, np.searchsorted(thresholds, value, side="right"), -1),
               (self.has * bits).sum(axis=0), ((self.has & (self.amounts == 0)) * bits).sum(axis=0),
               (given & self.any & (self.total == value)).astype(np.int64)]
        positive = given & (value > 0)
        for kind, percent in shares:
            out.append((self.has[kind] & positive & _at_least(self.amounts[kind], value, percent)).astype(np.int64))
        return out

    def texts(self, rows: np.ndarray) -> Iterator[tuple[Decimal, dict]]:
        """The value and content of the given rows as the per-row reader reads them (Decimals of their text)."""
        values = self.value_text.take(pa.array(rows, pa.int64())).to_pylist()
        # the rows asked for are not odd: every pair of theirs was read (a known kind once, a plain amount), so
        # their pieces are their content, as tabular._content reads it (Decimal of the amount's text)
        row, kind, amount = self.pieces
        start, end = np.searchsorted(row, rows, "left"), np.searchsorted(row, rows, "right")
        counts = end - start
        at = np.repeat(start - np.concatenate(([0], np.cumsum(counts)[:-1])), counts) + np.arange(counts.sum())
        texts = amount.take(pa.array(at, pa.int64())).to_pylist()
        names = [self.kinds[k] for k in kind[at]]
        done = 0
        for value, count in zip(values, counts.tolist()):
            yield Decimal(value), {names[n]: Decimal(texts[n]) for n in range(done, done + count)}
            done += count


def _plain_amounts(amount: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Which content amounts the array path reads (``_PLAIN_AMOUNT`` and not ``DOT_THOUSANDS``), and the
    amounts with the blanks around them stripped. One regular expression for the common case (no blanks);
    the two tests, and the stripping, only where it fails."""
    plain = _np(pc.fill_null(pc.match_substring_regex(amount, _CLEAR_AMOUNT), False))
    if plain.all():
        return plain, amount
    other = np.flatnonzero(~plain)
    rest = amount.take(pa.array(other, pa.int64()))
    plain[other] = _np(pc.fill_null(pc.match_substring_regex(rest, _PLAIN_AMOUNT), False)) \
        & ~_np(pc.fill_null(pc.match_substring_regex(rest, DOT_THOUSANDS.pattern), False))
    return plain, pc.utf8_trim_whitespace(amount)


def _at_least(part: np.ndarray, value: np.ndarray, percent: Decimal) -> np.ndarray:
    """part x 100 >= percent x value, exactly (integers; Python integers where int64 could overflow)."""
    sign, digits, exponent = percent.as_tuple()
    scale = 10 ** max(0, -exponent)
    numerator = int(percent * scale)
    high = int(part.max(initial=0)) * 100 * scale, int(value.max(initial=0)) * max(numerator, 1)
    if max(high) < 2**62:
        return part * (100 * scale) >= value * numerator
    return np.array([int(p) * 100 * scale >= int(v) * numerator for p, v in zip(part, value)], bool)


def _encode(column: pa.Array) -> tuple[np.ndarray, list]:
    """Each row's index into the column's distinct values (a null is the last value, ``None``)."""
    encoded = pc.dictionary_encode(column)
    values = encoded.dictionary.to_pylist()
    indices = encoded.indices.fill_null(len(values)).to_numpy(zero_copy_only=False).astype(np.int64)
    values.append(None)
    return indices, values


def _indices(column: pa.Array) -> np.ndarray:
    """Each row's index into the column's distinct values (a null is one more value)."""
    encoded = pc.dictionary_encode(column)
    return encoded.indices.fill_null(len(encoded.dictionary)).to_numpy(zero_copy_only=False).astype(np.int64)


def _dense(key: np.ndarray) -> tuple[np.ndarray, int]:
    """Group ids 0.. in order of first appearance."""
    encoded = pc.dictionary_encode(pa.array(key))
    return encoded.indices.to_numpy().astype(np.int64), len(encoded.dictionary)


def _combine(parts: list[np.ndarray], rows: int) -> tuple[np.ndarray, int]:
    key = np.zeros(rows, np.int64)
    for part in parts:
        part = part + 1
        card = int(part.max()) + 1 if rows else 1
        if rows and int(key.max()) >= (1 << 62) // card:
            key, _ = _dense(key)
        key = key * card + part
    return _dense(key) if rows else (key, 0)


def _resolve_chunk(context: _Context, batch: pa.RecordBatch, lines: bool = False) -> pa.RecordBatch:
    rows = batch.num_rows
    names = batch.schema.names
    read = [n for n in names if n in INPUT_COLUMNS or n in context.facts]
    text = {n: _text(n, batch.column(names.index(n))) for n in read}
    nulls = pa.nulls(rows, pa.string())
    per_row = np.zeros(rows, bool)
    if "as_of" in text:  # another view of the rules: the per-row path
        indices, values = _encode(text["as_of"])
        per_row |= np.array([cell_text(v) is not None for v in values])[indices]
    amounts = _Amounts(text, context.kinds, rows)
    per_row |= amounts.odd

    indices, values = _encode(text.get("hts", nulls))
    code_at, code_values = indices, values
    found = np.array([context.code(v) for v in values], np.int64).reshape(-1, 2)
    sig, mfn_id = found[indices, 0], found[indices, 1]
    bad_code = np.where(sig < 0, indices, -1)
    indices, values = _encode(text.get("origin", nulls))
    origin = np.array([context.origin(v) for v in values], np.int64)[indices]
    bad_origin = np.where(origin < 0, indices, -1)
    indices, values = _encode(text.get("when", nulls))
    when_at, when_values = indices, values
    found = np.array([context.when(v) for v in values], np.int64).reshape(-1, 2)
    epoch, window = found[indices, 0], found[indices, 1]
    bad_when = np.where(epoch < 0, indices, -1)

    valid = (sig >= 0) & (origin >= 0) & (epoch >= 0)
    if valid.any():  # the schedule's lines and split codes: the code and the revisions in force decide
        pairs = np.where(valid, code_at * (int(window.max()) + 1) + window, -1)
        indices, values = _encode(pa.array(pairs))
        at = np.full(len(values), -1, np.int64)
        at[indices[::-1]] = np.arange(rows)[::-1]
        own = np.array([0 if v is None or v < 0 else context.own_check(
            code_values[code_at[row]], int(window[row]), when_values[when_at[row]])
            for v, row in zip(values, at)], np.int64)[indices]
        per_row |= own == 2
        split = own == 1
    else:
        split = np.zeros(rows, bool)
    triple = np.where(valid, (sig * context.epochs + epoch) * _COUNTRIES + origin, -1)
    indices, values = _encode(pa.array(triple))
    facts = np.array([(-1, 0, 0, 0) if v is None or v < 0 else context.triple(v) for v in values],
                     np.int64).reshape(-1, 4)[indices]
    token = np.where(valid, facts[:, 0], -1)
    per_row |= valid & ~split & (facts[:, 3] == 1)
    epoch_part = np.where(valid & (split | (facts[:, 1] == 1)), epoch, -1)
    mfn_part = np.where(valid & (split | (facts[:, 2] == 1)), mfn_id, -1)
    # a split code: keyed by the code itself (and the revisions in force) instead of its candidates
    split_part = np.full(rows, -1, np.int64)
    if split.any():
        token = np.where(split, -1, token)  # the split code's own part below stands for its candidates
        pairs = np.where(split, (code_at * context.epochs + epoch) * _COUNTRIES + origin, -1)
        indices, values = _encode(pa.array(pairs))
        at = np.full(len(values), -1, np.int64)
        at[indices[::-1]] = np.arange(rows)[::-1]
        per_row |= np.array([v is not None and v >= 0 and context.split_reads(
            code_values[code_at[row]], int(epoch[row]), int(origin[row])) for v, row in zip(values, at)],
            bool)[indices]
        split_part = np.where(split, code_at * (int(window.max()) + 1) + window, -1)
    amount_parts = amounts.parts(context.thresholds, context.shares)
    keyed = [n for n in read if n not in ("hts", "origin", "when", "value", "content", "as_of")]
    keyed_parts = [_indices(text[n]) for n in keyed]

    # group the rows the key speaks for; one row of each group is resolved, its answer broadcast
    fast = np.flatnonzero(~per_row)
    # the general rate (column 2, a programme's claim) depends on the origin itself, not only on the origin's
    # class in the levies' scopes: where the rule set has such rules, the origin is part of the key
    origin_part = np.where(valid, origin, -1) if context.reader.info.general is not None else np.zeros(rows, np.int64)
    origin_part = np.where(split, origin, origin_part)
    numbers = [token, epoch_part, mfn_part, origin_part, *amount_parts]
    parts = [p[fast] for p in [*numbers, split_part, bad_code, bad_origin, bad_when, *keyed_parts]]
    group, groups = _combine(parts, len(fast))
    first = np.empty(groups, np.int64)
    first[group[::-1]] = fast[::-1]
    samples = pa.RecordBatch.from_arrays([text[n] for n in read], names=read).take(pa.array(first)).to_pylist()
    ints = np.stack([p[first] for p in numbers], axis=1).tolist() if groups else []
    outcomes = []
    keys: list[tuple] = []
    split_errors: set[int] = set()
    for g, row in enumerate(samples):
        at = first[g]
        key = (*ints[g],
               ("split", cell_text(row.get("hts")), int(window[at])) if split[at] else None,
               # which cell failed is part of the key: an empty code and an empty origin read alike as text
               ("hts", cell_text(row.get("hts"))) if bad_code[at] >= 0 else None,
               ("origin", cell_text(row.get("origin"))) if bad_origin[at] >= 0 else None,
               ("when", cell_text(row.get("when"))) if bad_when[at] >= 0 else None,
               *(row[n] for n in keyed))
        outcome = context.outcome(key, row)
        keys.append(key)
        # a split code's error (AmbiguousCodeError) names the row's origin and entry date: per row
        if split[at] and outcome is not None and outcome.error is not None:
            outcome = None
            split_errors.add(g)
        outcomes.append(outcome)
    alone = np.array([o is None for o in outcomes] + [False], bool)
    row_keys: dict[int, tuple] = {}
    if alone.any():  # groups whose rows are rated one by one
        moved = alone[group]
        if split_errors:
            row_keys = _split_error_keys(text, fast[moved], group[moved], keys, split_errors)
        per_row[fast[moved]] = True
        fast, group = fast[~moved], group[~moved]
    slow = np.flatnonzero(per_row)
    slow_rows: list = []
    if len(slow):
        results = context.one_by_one(pa.RecordBatch.from_arrays([text[n] for n in read], names=read), slow,
                                     row_keys)
        slow_rows = [row_from_result({}, result) for result in results]

    row_group = np.full(rows, groups, np.int64)
    row_group[fast] = group
    plans = [o if o is not None else _Plan(None, None, None, None, None) for o in outcomes]
    # rates of rows with a levy on part of the value: each on its own amounts, with its group's levies
    own_rate: dict[int, str] = {}
    partial = np.array([bool(p.applied) for p in plans] + [False], bool)
    if partial.any():
        at = fast[partial[group]]
        for row, (value, content) in zip(at, amounts.texts(at)):
            own_rate[row] = str(sum(levy_shares(plans[row_group[row]].applied, value, content), Decimal(0)))

    out = {}
    for column in _STRING_COLUMNS:
        words: dict[str, int] = {}
        at_group = np.array([-1 if getattr(p, column) is None else words.setdefault(getattr(p, column), len(words))
                             for p in plans] + [-1], np.int64)
        at_row = at_group[row_group]
        if column == "rate" and own_rate:
            rated = np.fromiter(own_rate, np.int64, len(own_rate))
            at_row[rated] = [words.setdefault(cell, len(words)) for cell in own_rate.values()]
        if len(slow):
            at_row[slow] = [_slow_index(words, column, r) for r in slow_rows]
        out[column] = pa.DictionaryArray.from_arrays(pa.array(at_row.astype(np.int32), mask=at_row < 0),
                                                     pa.array(list(words), pa.string()))

    # duty: per levy on each entry line, rate / 100 x the line's value rounded half up to the cent, summed
    failed = np.array([p.error is not None for p in plans] + [True], bool)
    owed = amounts.given & ~failed[row_group]
    duty = _duties(amounts, plans, row_group, owed)
    if len(slow):
        mask = np.zeros(rows, bool)
        mask[slow] = True
        duty = pc.replace_with_mask(duty, pa.array(mask), pa.array(
            [Decimal(r["duty"]) if r["duty"] else None for r in slow_rows], DUTY_TYPE))
    out["duty"] = duty
    if lines:
        out["lines"] = _lines_column(context, read, text, fast, row_group, plans, slow, results if len(slow) else [])

    kept = [(n, batch.column(i)) for i, n in enumerate(names) if n not in RESULT_COLUMNS
            and not (lines and n == "lines")]
    result = kept + [(n, out[n]) for n in RESULT_COLUMNS + (("lines",) if lines else ())]
    return pa.RecordBatch.from_arrays([c for _, c in result], names=[n for n, _ in result])


def _split_error_keys(text: dict, rows: np.ndarray, groups: np.ndarray, keys: list, split_errors: set) -> dict:
    """For each row of a split code's group whose answer was an error: its group's key, its origin cell and its
    entry cell. Rows with one such key answer alike: the group's key holds the code, the schedule revisions
    in force, the origin's country and every other part of each stand-in line's memo key, and the error
    (:meth:`tariffrules.schedule.SplitCode.resolve`) names the code, the origin and the entry instant, read
    from those two cells, besides what the stand-in lines answer."""
    taken = pa.array(rows, pa.int64())
    origins = text["origin"].take(taken).to_pylist()
    whens = text["when"].take(taken).to_pylist()
    return {row: (keys[g], origin, when) for row, g, origin, when in zip(rows.tolist(), groups.tolist(), origins, whens)
            if g in split_errors}


def _lines_column(context: _Context, read: list, text: dict, fast: np.ndarray, row_group: np.ndarray,
                  plans: list, slow: np.ndarray, results: list) -> pa.Array:
    """Each row's entry lines as ``tariffrules batch --lines`` writes them: a row of a group splits its own
    value with the group's levies (:func:`tariffrules.lines.entry_lines`, as :attr:`Resolution.lines`,
    on the row's query as the reader reads it); a row resolved on its own gives its resolution's lines."""
    rules = context.rules
    cells: list = [None] * len(row_group)
    rows = pa.RecordBatch.from_arrays([text[n] for n in read], names=read).take(pa.array(fast, pa.int64())).to_pylist()
    order = rules.info.line_order
    for at, row in zip(fast, rows):
        plan = plans[row_group[at]]
        if plan.error is not None:
            cells[at] = []
            continue
        query = rules.line_query(line_from_row(row, context.facts), allow_stale=context.allow_stale)
        cells[at] = [line_cells(line) for line in
                     entry_lines(plan.found, query.code, query.value, query.content_map, query.mfn, order,
                                 plan.general)]
    for at, result in zip(slow, results):
        cells[at] = [line_cells(line) for line in result.lines] if isinstance(result, Resolution) else []
    return pa.array(cells, LINES_TYPE)


def _duties(amounts: _Amounts, plans: list, row_group: np.ndarray, owed: np.ndarray) -> pa.Array:
    """Each row's duty: per levy on each entry line, the line's value x rate / 100 rounded half up to the
    cent, summed (as Resolution.duty).

    Exact integer arithmetic: an amount is a count of 10**-4 below 10**18, a
    share (rate / 100) a count of 10**-8 below 10**9. An amount is split in
    two parts below 10**9 so that no product leaves int64 (below 9.2 x 10**18).
    """
    cents = np.zeros(len(row_group), np.int64)
    counts = np.array([len(p.slots) for p in plans] + [0], np.int64)
    width = int(counts.max())
    bits = (1 << np.arange(len(amounts.amounts), dtype=np.int64))[:, None]
    # the slots of every group as three (groups + 1) x width arrays, filled once
    slots = np.zeros((len(plans) + 1, max(width, 1), 3), np.int64)
    for g, plan in enumerate(plans):
        if plan.slots:
            slots[g, :len(plan.slots)] = plan.slots
    with_row = counts[row_group]
    for j in range(width):
        # only the rows whose group has a j-th slot (most groups have one or two)
        at = np.flatnonzero((with_row > j) & owed)
        if not len(at):
            continue
        groups = row_group[at]
        rest = slots[groups, j, 0] != 0
        kinds = slots[groups, j, 1]
        share = slots[groups, j, 2]
        part = (amounts.amounts[:, at] * ((kinds[None, :] & bits) != 0)).sum(axis=0) if kinds.any() else 0
        units = np.where(rest, amounts.value[at] - part, part)
        high, low = np.divmod(units, 10**9)
        # amount x share = high x share x 10**9 + low x share, in 10**-12; a cent is 10**10 of them
        tens, ones = np.divmod(high * share, 10)
        whole, remainder = np.divmod(ones * 10**9 + low * share, 10**10)
        cents[at] += tens + whole + (remainder >= 5 * 10**9)  # half a cent and more rounds up
    return _decimal_cents(cents, owed)


def _unscaled(value: pa.Array) -> np.ndarray:
    """The unscaled integers of a non-negative decimal128 array below 10**18 (nulls read as 0)."""
    value = pc.fill_null(value, pa.scalar(Decimal(0), value.type))
    words = np.frombuffer(value.buffers()[1], dtype=np.int64)[2 * value.offset:2 * (value.offset + len(value))]
    return words[0::2].copy()


def _decimal_cents(cents: np.ndarray, valid: np.ndarray) -> pa.Array:
    """A decimal128(38, 2) array of non-negative cents, null where not ``valid``."""
    words = np.zeros(2 * len(cents), np.int64)
    words[0::2] = cents
    return pa.Array.from_buffers(DUTY_TYPE, len(cents), [pa.array(valid).buffers()[1],
                                                         pa.py_buffer(words.tobytes())])


def _slow_index(words: dict[str, int], column: str, row: dict) -> int:
    """The dictionary index of a per-row result cell; -1 (null) for a cell the row does not have."""
    cell = row[column]
    if column in ("headings", "levies") and row["error"] and not row["levies"]:
        return -1  # the row failed before any levy was found: no answer, not an empty one
    if cell == "" and column in ("rate", "assumed", "error"):
        return -1
    return words.setdefault(cell, len(words))

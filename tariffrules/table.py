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
the facts a candidate reads; whether the value is zero). In each chunk,
every column is dictionary-encoded and each distinct code, origin and date
is read once by the rule set's reader and placed (code to signature, date to
epoch); rows are then grouped by that key, computed with array operations,
with every cell the key does not cover but an error could come from (the
cells of facts, ``mfn``, ``loaded``; a code, origin or date that fails to
read) added to it. One row of each group is resolved through
:meth:`RuleSet.resolve_many` (the path of ``tariffrules batch``) and its
headings, levies, rate and error are broadcast to the group; only the duty
is computed per row, in exact integer arithmetic. Rows with content amounts
(one or two ``kind=amount`` pairs) are grouped the same way, with what the
key reads of the amounts added (which kinds, which are zero, which add up
to the value, which share floors are met); their group gives their levies
and each is rated on its own value and amounts by :meth:`Resolution.rate`
and :meth:`Resolution.duty`, as is a row whose group has a levy on content
without amounts to rate it, or a rate of 1,000% or more or with more than
six decimals. Rows the key cannot
speak for take the per-row path (:meth:`RuleSet.resolve_many`): an
``as_of`` cell, a value or amount not written as plain digits (at most 14
before the point and 4 after), more than two content kinds, or a candidate
whose condition reads the value or a content amount.

Input is processed in chunks of ``chunk_rows`` rows, so memory is bounded by
the chunk (and by the output, which :func:`resolve_batches` streams). Needs
the optional extra ``arrow`` (``pip install 'tariffrules[arrow]'``).
"""

from __future__ import annotations

import bisect
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import InvalidFactError, InvalidInstantError, QueryError, TariffRulesError
from .result import Resolution
from .tabular import INPUT_COLUMNS, RESULT_COLUMNS, cell_text, line_or_failed, resolve_rows, row_from_result

if TYPE_CHECKING:  # pragma: no cover
    from .ruleset import RuleSet

__all__ = ["resolve_table", "resolve_batches", "as_table", "text_batch", "CHUNK_ROWS", "DUTY_TYPE"]

#: rows per chunk: memory is bounded by this many rows at a time
CHUNK_ROWS = 131_072
#: the type of the duty column: money to the cent
DUTY_TYPE = pa.decimal128(38, 2)
#: values the array path computes duties for exactly: 14 digits before the point, 4 after (others go per row)
_PLAIN_VALUE = r"^[0-9]{1,14}(\.[0-9]{1,4})?$"
_VALUE_TYPE = pa.decimal128(18, 4)
#: a levy's rate / 100 as the array path holds it: an integer count of 10**-8, from 0 to below 10**9 (1,000%)
_SHARE_STEP = Decimal("1e-8")
_SHARE_LIMIT = 10**9
_STRING_COLUMNS = ("headings", "levies", "rate", "assumed", "error")
#: where a group's outcome tuple holds the error and the levies' shares (after the string columns)
_ERROR, _SHARES = _STRING_COLUMNS.index("error"), len(_STRING_COLUMNS)
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
                  progress: Callable[[int], None] | None = None) -> pa.Table:
    """Resolve every row of ``table``; see the module docstring for the columns.

    ``progress`` is called with the count of rows done after each chunk.
    Raises :class:`QueryError` (or a subclass) only for a column of a type
    that cannot be read (e.g. floats for money); a row's own failure is in its
    ``error`` cell.
    """
    table = as_table(table)
    batches = list(resolve_batches(rules, table.to_batches(max_chunksize=chunk_rows), allow_stale=allow_stale,
                                   progress=progress))
    if not batches:
        return pa.Table.from_batches([], schema=_output_schema(table.schema))
    return pa.Table.from_batches(batches)


def resolve_batches(rules: "RuleSet", batches: Iterable[pa.RecordBatch], *, allow_stale: bool = False,
                    progress: Callable[[int], None] | None = None) -> Iterator[pa.RecordBatch]:
    """Resolve a stream of record batches lazily, one output batch per input batch (in order).

    Memory is bounded by the largest batch; what is learnt about codes,
    origins, dates and groups carries from one batch to the next.
    """
    context = _Context(rules, allow_stale)
    done = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        yield _resolve_chunk(context, batch)
        done += batch.num_rows
        if progress is not None:
            progress(done)


def _output_schema(schema: pa.Schema) -> pa.Schema:
    fields = [f for f in schema if f.name not in RESULT_COLUMNS]
    strings = pa.dictionary(pa.int32(), pa.string())
    extra = [pa.field(name, DUTY_TYPE if name == "duty" else strings) for name in RESULT_COLUMNS]
    return pa.schema(fields + extra)


def _text(name: str, column: pa.Array) -> pa.Array:
    """A column as the text cells the batch command reads."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        return _text(name, column.dictionary_decode())
    if pa.types.is_string(kind):
        return column
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
        raise InvalidFactError(name, str(kind), "is a column of floats; money and rates are Decimal",
                               "a decimal128 or text column")
    raise QueryError(name, str(kind), "is a column of a type the batch cannot read",
                     "text, integers, decimals, booleans, dates or aware timestamps")


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
    """What one resolve call learns and keeps between chunks (local to the call: no global state)."""

    def __init__(self, rules: "RuleSet", allow_stale: bool) -> None:
        self.rules = rules
        self.allow_stale = allow_stale
        self.facts = {f.name: f.type for f in rules.info.facts}
        self.reader = rules.reader
        engine = rules.engine
        self.lock = engine._lock
        _, self.view = engine.view(None)
        self.epochs = len(self.view.point_keys) + 1
        self.codes: dict = {}
        self.origins: dict = {}
        self.whens: dict = {}
        self.countries: dict[str, int] = {}
        self.country_names: list[str] = []
        self.mfns: dict[str, int] = {}
        self.triples: dict = {}
        self.checks: dict = {}
        self.groups: dict = {}
        #: the (kind, percent) share floors of the candidate sets met so far
        self.floors: set = set()

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

    def when(self, raw: Any) -> int:
        """The epoch of an entry cell; -1 when it fails to read or is outside the horizon (unless allowed)."""
        found = self.whens.get(raw)
        if found is None:
            try:
                _, _, key, place, _ = self.reader._when(cell_text(raw))
                found = -1 if place < 0 or (place > 0 and not self.allow_stale) else \
                    bisect.bisect_right(self.view.point_keys, key)
            except TariffRulesError:
                found = -1
            self._kept(self.whens)[raw] = found
        return found

    def own_check(self, code_raw: Any, when_raw: Any) -> bool:
        """Whether a readable code and entry date need the reader's own check of the pair: a code that is
        not a line of the schedule in force at that date (its error names both), or a code whose scope is
        split by date or origin. Such rows take the per-row path."""
        key = (code_raw, when_raw)
        found = self.checks.get(key)
        if found is None:
            reader = self.reader
            code = reader._code(cell_text(code_raw))[0]
            instant = reader._when(cell_text(when_raw))[0]
            found = code in reader.split or (reader.schedule is not None and not _is_line(reader.schedule, code,
                                                                                         instant))
            self._kept(self.checks)[key] = found
        return found

    def triple(self, key: int) -> tuple[int, bool, bool, bool]:
        """(memo token, reads the entry instant, reads the general rate, reads the value) of a
        (signature, epoch, origin) triple."""
        found = self.triples.get(key)
        if found is None:
            rest, country = divmod(key, len(self.country_names))
            sig, position = divmod(rest, self.epochs)
            _, spec, token = self.view.candidates(sig, position, self.country_names[country])
            names, uses_mfn, floors, uses_entered, shares = spec
            self.floors.update(floors)
            # a share comparison reads the value and content amounts: rows with it take the per-row path
            reads = bool(shares) or "value" in names or any(name.startswith("content.") for name in names)
            found = (token, uses_entered, uses_mfn or "mfn" in names, reads)
            self._kept(self.triples)[key] = found
        return found

    def outcome(self, key: tuple, row: dict, amounts: bool) -> Any:
        """What one group's rows share: (headings, levies, rate, assumed, error, rates / 100), or only their levies
        (:class:`_Own`). ``amounts``: the rows give content amounts."""
        found = self.groups.get(key)
        if found is None:
            result = next(self.rules.resolve_many([line_or_failed(row, self.facts)], allow_stale=self.allow_stale))
            found = _Own(result) if amounts and isinstance(result, Resolution) else _outcome(result)
            self._kept(self.groups)[key] = found
        return found


def _is_line(schedule: Any, code: str, instant: Any) -> bool:
    try:
        schedule.check(code, instant, "hts", code)
    except TariffRulesError:
        return False
    return True


class _Own:
    """A group whose rows share their levies (one memo key) but whose rate and duty depend on each row's
    amounts: each row is rated by :meth:`Resolution.rate` and :meth:`Resolution.duty` on its own value and
    content, with the group's levies."""

    __slots__ = ("result",)

    def __init__(self, result: Resolution) -> None:
        self.result = result


def _outcome(result: Any) -> Any:
    """A group's shared answer from its sample row's result (rows of a group carry no content amounts)."""
    cells = row_from_result({}, result)
    if not isinstance(result, Resolution):
        return (None, None, None, None, cells["error"], ())
    assumed = cells["assumed"] or None
    if cells["error"]:  # a levy on part of the value and no amounts to rate it: the error names the value
        if result.query.value is not None:
            return _Own(result)
        return (cells["headings"], cells["levies"], None, assumed, cells["error"], ())
    shares = []
    for levy in result.levies:
        # without content amounts, a levy on the value less some content is on the whole value; a levy on
        # content itself cannot be rated, and its error names the row's value: per row
        share = levy.rate / 100
        units = share / _SHARE_STEP
        if not levy.portion.complement or units != units.to_integral_value() or not 0 <= units < _SHARE_LIMIT:
            return _Own(result)
        shares.append(int(units))
    return (cells["headings"], cells["levies"], cells["rate"], assumed, None, tuple(shares))


#: one or two ``kind=amount`` pairs, amounts written as plain digits (as tabular reads them: ';' between pairs)
_PAIR = r"(?P<k{n}>[^=;\s](?:[^=;]*[^=;\s])?)\s*=\s*(?P<x{n}>[0-9]{{1,14}}(?:\.[0-9]{{1,4}})?)\s*"
_CONTENT = r"^[\s;]*" + _PAIR.format(n=1) + r"(?:;[\s;]*" + _PAIR.format(n=2) + r")?[\s;]*$"
_HUNDRED = pa.scalar(Decimal(100), pa.decimal128(3, 0))


class _Content:
    """The ``content`` cells of a chunk, read with array operations.

    Cells of one or two ``kind=amount`` pairs with plain amounts are read
    here; others (more kinds, a kind twice, amounts written otherwise) are
    ``unread`` and take the per-row path. :meth:`parts` gives what the
    engine's memo key reads of the amounts (see ``engine._amounts_key``:
    which kinds, which are zero, which add up to the value; and every share
    floor met), as integer columns, finer than the key where simpler.
    """

    def __init__(self, cells: pa.Array) -> None:
        trimmed = pc.utf8_trim_whitespace(cells)
        absent = pc.fill_null(pc.or_(pc.equal(trimmed, ""), pc.equal(pc.utf8_lower(trimmed), "nan")), True)
        parsed = pc.extract_regex(cells, _CONTENT)
        matched = pc.is_valid(parsed)
        self.k1, self.x1 = parsed.field("k1"), parsed.field("x1")
        self.k2, self.x2 = parsed.field("k2"), parsed.field("x2")
        two = pc.fill_null(pc.and_(matched, pc.not_equal(self.k2, "")), False)
        same = pc.fill_null(pc.and_(two, pc.equal(self.k1, self.k2)), False)
        active = pc.and_(pc.fill_null(matched, False), pc.invert(same))
        self.unread = ~(absent.to_numpy(zero_copy_only=False) | active.to_numpy(zero_copy_only=False))
        self.active = active.to_numpy(zero_copy_only=False)
        swap = pc.fill_null(pc.and_(two, pc.less(self.k2, self.k1)), False)
        none = pa.scalar(None, pa.string())
        self.first = pc.if_else(active, pc.if_else(swap, self.k2, self.k1), none)
        self.second = pc.if_else(pc.and_(active, two), pc.if_else(swap, self.k1, self.k2), none)
        self.xa = pc.cast(pc.if_else(active, pc.if_else(swap, self.x2, self.x1), none), _VALUE_TYPE)
        self.xb = pc.cast(pc.if_else(pc.and_(active, two), pc.if_else(swap, self.x1, self.x2), none), _VALUE_TYPE)

    def more_than(self, value: pa.Array, given: np.ndarray) -> np.ndarray:
        """Rows whose amounts add up to more than the value (an error naming them: per row)."""
        total = pc.add(self.xa, pc.fill_null(self.xb, pa.scalar(Decimal(0), _VALUE_TYPE)))
        return given & pc.fill_null(pc.greater(total, value), False).to_numpy(zero_copy_only=False)

    def parts(self, value: pa.Array, given: np.ndarray, floors: set) -> list[np.ndarray]:
        def flag(condition: pa.Array) -> np.ndarray:
            return pc.fill_null(condition, False).to_numpy(zero_copy_only=False).astype(np.int64)

        kinds, _ = _encode(pc.binary_join_element_wise(self.first, pc.fill_null(self.second, ""), "\x00"))
        zero = pa.scalar(Decimal(0), _VALUE_TYPE)
        out = [np.where(self.active, kinds, -1), flag(pc.equal(self.xa, zero)), flag(pc.equal(self.xb, zero)),
               flag(pc.equal(self.xa, value)), flag(pc.equal(self.xb, value)),
               flag(pc.equal(pc.add(self.xa, self.xb), value))]
        positive = pc.greater(value, zero)
        for kind, percent in sorted(floors):
            scale = max(0, -percent.as_tuple().exponent)
            floor = pc.multiply(value, pa.scalar(percent, pa.decimal128(min(19, 6 + scale), scale)))
            met = pc.or_kleene(pc.and_kleene(pc.equal(self.first, kind),
                                             pc.greater_equal(pc.multiply(self.xa, _HUNDRED), floor)),
                               pc.and_kleene(pc.equal(self.second, kind),
                                             pc.greater_equal(pc.multiply(self.xb, _HUNDRED), floor)))
            out.append(flag(pc.and_kleene(positive, met)) & given)
        return out

    def kinds(self, rows: np.ndarray) -> list:
        """The kinds of the given rows, (first, second) in order, ``None`` for a row without content."""
        at = pa.array(rows, pa.int64())
        return [None if a is None else (a, b) for a, b in zip(self.first.take(at).to_pylist(),
                                                             self.second.take(at).to_pylist())]

    def rated(self, values: pa.Array | None, given: np.ndarray, rows: np.ndarray, owns: list) -> Iterator[dict]:
        """The result cells of rows rated on their own value and amounts with their group's levies
        (:meth:`Resolution.rate` and :meth:`Resolution.duty`, through ``row_from_result``)."""
        at = pa.array(rows, pa.int64())
        texts = values.take(at).to_pylist() if values is not None else [None] * len(rows)
        pairs = zip(self.k1.take(at).to_pylist(), self.x1.take(at).to_pylist(), self.k2.take(at).to_pylist(),
                    self.x2.take(at).to_pylist())
        for row, text, (k1, x1, k2, x2), own in zip(rows, texts, pairs, owns):
            amounts = {}
            if self.active[row]:
                amounts[k1] = Decimal(x1)
                if k2:
                    amounts[k2] = Decimal(x2)
            result = own.result
            query = attrs.evolve(result.query, value=Decimal(text) if given[row] else None,
                                 content=tuple(sorted(amounts.items())))
            # the facts read are the group's (its key holds the same content kinds and fact cells)
            yield row_from_result({}, Resolution(query=query, levies=result.levies, rule_set=result.rule_set,
                                                 warnings=result.warnings, line_order=result.line_order,
                                                 assumed=result.assumed))


def _encode(column: pa.Array) -> tuple[np.ndarray, list]:
    """Each row's index into the column's distinct values (a null is the last value, ``None``)."""
    encoded = pc.dictionary_encode(column)
    values = encoded.dictionary.to_pylist()
    indices = encoded.indices.fill_null(len(values)).to_numpy(zero_copy_only=False).astype(np.int64)
    values.append(None)
    return indices, values


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


def _resolve_chunk(context: _Context, batch: pa.RecordBatch) -> pa.RecordBatch:
    rows = batch.num_rows
    names = batch.schema.names
    read = [n for n in names if n in INPUT_COLUMNS or n in context.facts]
    text = {n: _text(n, batch.column(names.index(n))) for n in read}
    nulls = pa.nulls(rows, pa.string())
    per_row = np.zeros(rows, bool)
    if "as_of" in text:  # another view of the rules: the per-row path
        indices, values = _encode(text["as_of"])
        per_row |= np.array([cell_text(v) is not None for v in values])[indices]
    content = _Content(text["content"] if "content" in text else nulls)
    per_row |= content.unread

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
    epoch = np.array([context.when(v) for v in values], np.int64)[indices]
    bad_when = np.where(epoch < 0, indices, -1)

    valid = (sig >= 0) & (origin >= 0) & (epoch >= 0)
    if valid.any():  # the schedule's lines and split codes: the pair of code and date decides
        pairs = np.where(valid, code_at * (len(when_values) + 1) + when_at, -1)
        indices, values = _encode(pa.array(pairs))
        own = np.array([v is not None and v >= 0 and context.own_check(
            code_values[v // (len(when_values) + 1)], when_values[v % (len(when_values) + 1)]) for v in values],
            bool)
        per_row |= own[indices]
    triple = np.where(valid, (sig * context.epochs + epoch) * max(len(context.country_names), 1) + origin, -1)
    indices, values = _encode(pa.array(triple))
    facts = np.array([(-1, 0, 0, 0) if v is None or v < 0 else context.triple(v) for v in values],
                     np.int64).reshape(-1, 4)[indices]
    token = np.where(valid, facts[:, 0], -1)
    per_row |= valid & (facts[:, 3] == 1)
    epoch_part = np.where(valid & (facts[:, 1] == 1), epoch, -1)
    mfn_part = np.where(valid & (facts[:, 2] == 1), mfn_id, -1)

    if "value" in text:
        cells = text["value"]
        trimmed = pc.utf8_trim_whitespace(cells)
        absent = pc.fill_null(pc.or_(pc.equal(trimmed, ""), pc.equal(pc.utf8_lower(trimmed), "nan")), True)
        plain = pc.fill_null(pc.match_substring_regex(cells, _PLAIN_VALUE), False)
        per_row |= ~(absent.to_numpy(zero_copy_only=False) | plain.to_numpy(zero_copy_only=False))
        value = pc.cast(pc.if_else(plain, cells, pa.scalar(None, pa.string())), _VALUE_TYPE)
        zero = pc.fill_null(pc.equal(value, pa.scalar(Decimal(0), _VALUE_TYPE)), False).to_numpy(zero_copy_only=False)
        given = plain.to_numpy(zero_copy_only=False)
        value_part = np.where(given, np.where(zero, 2, 1), 0)
    else:
        value = pa.nulls(rows, _VALUE_TYPE)
        given = np.zeros(rows, bool)
        value_part = np.zeros(rows, np.int64)
    per_row |= content.more_than(value, given)
    content_parts = content.parts(value, given, context.floors)
    keyed = [n for n in read if n not in ("hts", "origin", "when", "value", "content", "as_of")]
    keyed_parts = [_encode(text[n])[0] for n in keyed]

    # group the rows the key speaks for; one row of each group is resolved, its answer broadcast
    fast = np.flatnonzero(~per_row)
    parts = [p[fast] for p in [token, bad_code, bad_origin, bad_when, epoch_part, mfn_part, value_part,
                               *content_parts, *keyed_parts]]
    group, groups = _combine(parts, len(fast))
    first = np.empty(groups, np.int64)
    first[group[::-1]] = fast[::-1]
    samples = pa.RecordBatch.from_arrays([text[n] for n in read], names=read).take(pa.array(first)).to_pylist()
    kinds = content.kinds(first)
    outcomes = []
    for g, row in enumerate(samples):
        at = first[g]
        key = (int(token[at]), int(epoch_part[at]), int(mfn_part[at]), int(value_part[at]),
               cell_text(row.get("hts")) if bad_code[at] >= 0 else None,
               cell_text(row.get("origin")) if bad_origin[at] >= 0 else None,
               cell_text(row.get("when")) if bad_when[at] >= 0 else None,
               kinds[g], tuple(int(p[at]) for p in content_parts[1:]),
               tuple(cell_text(row[n]) for n in keyed))
        outcomes.append(context.outcome(key, row, kinds[g] is not None))
    own = np.array([type(o) is _Own for o in outcomes], bool)
    to_row = own
    slow_rows: list = [None] * rows
    if own.any():  # rows rated on their own amounts, with their group's levies
        moved = np.flatnonzero(own[group])
        for at, cells in zip(fast[moved], content.rated(text.get("value"), given, fast[moved],
                                                        [outcomes[g] for g in group[moved]])):
            slow_rows[at] = cells
    if to_row.any():
        moved = to_row[group]
        per_row[fast[moved]] = True
        fast, group = fast[~moved], group[~moved]
    slow = np.flatnonzero(per_row)
    unresolved = [at for at in slow if slow_rows[at] is None]
    if unresolved:
        sample = pa.RecordBatch.from_arrays([text[n] for n in read], names=read).take(
            pa.array(unresolved, pa.int64())).to_pylist()
        for at, cells in zip(unresolved, resolve_rows(context.rules, sample, allow_stale=context.allow_stale)):
            slow_rows[at] = cells
    slow_rows = [slow_rows[at] for at in slow]

    # string columns: dictionary-encoded, one dictionary per chunk
    row_group = np.full(rows, groups, np.int64)
    row_group[fast] = group
    out = {}
    for column in _STRING_COLUMNS:
        words: dict[str, int] = {}
        at_group = np.array([-1 if type(o) is not tuple or o[_STRING_COLUMNS.index(column)] is None
                             else words.setdefault(o[_STRING_COLUMNS.index(column)], len(words))
                             for o in outcomes] + [-1], np.int64)
        at_row = at_group[row_group]
        if len(slow):
            at_row[slow] = [_slow_index(words, column, r) for r in slow_rows]
        out[column] = pa.DictionaryArray.from_arrays(pa.array(at_row.astype(np.int32), mask=at_row < 0),
                                                     pa.array(list(words), pa.string()))

    # duty: per levy, rate / 100 x value rounded half up to the cent, summed (Resolution.duty's arithmetic)
    failed = np.array([type(o) is not tuple or o[_ERROR] is not None for o in outcomes] + [True], bool)
    owed = given & ~failed[row_group]
    duty = _duties(value, outcomes, row_group, owed)
    if len(slow):
        mask = np.zeros(rows, bool)
        mask[slow] = True
        duty = pc.replace_with_mask(duty, pa.array(mask), pa.array(
            [Decimal(r["duty"]) if r["duty"] else None for r in slow_rows], DUTY_TYPE))
    out["duty"] = duty

    kept = [(n, batch.column(i)) for i, n in enumerate(names) if n not in RESULT_COLUMNS]
    result = kept + [(n, out[n]) for n in RESULT_COLUMNS]
    return pa.RecordBatch.from_arrays([c for _, c in result], names=[n for n, _ in result])


def _duties(value: pa.Array, outcomes: list, row_group: np.ndarray, owed: np.ndarray) -> pa.Array:
    """Each row's duty: per levy, value x rate / 100 rounded half up to the cent, summed (as Resolution.duty).

    Exact integer arithmetic: a value is a count of 10**-4 below 10**18, a
    share (rate / 100) a count of 10**-8 below 10**9. The value is split in
    two parts below 10**9 so that no product leaves int64 (below 9.2 x 10**18).
    """
    units = _unscaled(value)  # value in 10**-4
    high, low = np.divmod(units, 10**9)
    cents = np.zeros(len(units), np.int64)
    width = max((len(o[_SHARES]) for o in outcomes if type(o) is tuple), default=0)
    for j in range(width):
        share = np.array([o[_SHARES][j] if type(o) is tuple and len(o[_SHARES]) > j else 0 for o in outcomes] + [0],
                         np.int64)[row_group]
        # value x share = high x share x 10**9 + low x share, in 10**-12; a cent is 10**10 of them
        tens, ones = np.divmod(high * share, 10)
        whole, rest = np.divmod(ones * 10**9 + low * share, 10**10)
        cents += tens + whole + (rest >= 5 * 10**9)  # half a cent and more rounds up
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

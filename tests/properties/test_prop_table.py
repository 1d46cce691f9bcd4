"""Equivalence: ``resolve_table`` == ``resolve_many`` == the reference resolver, row for row, on generated tables.

Tables are built from generated queries (every fact type the rule set
declares, content amounts on partial-value bases, general rates, loading
dates, as-of instants), each repeated with other customs values so rows
share memo keys and with values and content amounts straddling every
threshold the rules compare (a value test's operand, a share test's or
share floor's percent of the value, each minus, at and plus a cent or a
ten-thousandth), plus rows that fail (bad codes, unknown origins, entries
before the horizon or after the review day, bad yes/no cells, values that
are not plain or not numbers, content worth more than the value).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import tariffrules
from tariffrules import reference
from tariffrules.errors import TariffRulesError
from tariffrules.tabular import line_from_row, resolve_rows, row_from_result
from tariffrules.testing import queries

pa = pytest.importorskip("pyarrow", reason="the arrow extra is not installed: pip install 'tariffrules[arrow]'")
from tariffrules.table import explode_lines, resolve_table, text_batch  # noqa: E402

TOY = Path(__file__).resolve().parent.parent / "rules" / "toy"
_TOY = tariffrules.load(TOY)
_US = tariffrules.builtin("us")
#: codes of each rule set's general-rate schedule (ad valorem or not), for rows that share a key across codes,
#: and 8-digit codes its rules split (grouped by the code itself)
_CODES = {rules.info.name: sorted(rules.mfn)[::max(1, len(rules.mfn) // 400)]
          + sorted(rules.reader.split)[::max(1, len(rules.reader.split) // 40)] for rules in (_TOY, _US)}


def _thresholds(rules):
    """What the rules compare amounts with: the value thresholds, and (kind, percent) of share tests and floors."""
    from tariffrules.conditions import leaves

    values, shares = set(), set()
    for levy in rules.levies:
        for v in levy.versions:
            for condition in v.when + v.unless:
                for compare in leaves(condition):
                    if compare.fact == "value":
                        values.add(Decimal(compare.operand))
                    elif compare.op.startswith("share"):
                        shares.add((compare.fact[len("content."):], Decimal(compare.operand)))
            shares.update((kind, Decimal(percent)) for kind, percent in v.base.min_share)
    return sorted(values), sorted(shares)


_THRESHOLDS = {rules.info.name: _thresholds(rules) for rules in (_TOY, _US)}
_CENT = Decimal("0.01")


@st.composite
def straddling(draw, rules, row):
    """The row with a value just below, at or just above a value threshold of the rules, or a content amount
    at, just below or just above a share test's percent of the value (the boundaries of the memo key)."""
    values, shares = _THRESHOLDS[rules.info.name]
    row = dict(row)
    step = draw(st.sampled_from([-_CENT, Decimal(0), _CENT, Decimal("0.0001"), -Decimal("0.0001")]))
    if values and draw(st.booleans()):
        row["value"] = str(max(Decimal(0), draw(st.sampled_from(values)) + step))
    elif shares:
        kind, percent = draw(st.sampled_from(shares))
        if kind not in rules.info.content_kinds:
            return row
        value = Decimal(draw(st.integers(1, 10**6))) * 100
        amount = max(Decimal(0), min(value, value * percent / 100 + step))
        others = [p for p in (row.get("content") or "").split(";") if p and p.split("=")[0].strip() != kind]
        if any(Decimal(p.split("=")[1]) for p in others if p.split("=")[1].strip().replace(".", "").isdigit()):
            others = [f"{p.split('=')[0]}=0" for p in others]  # keep the sum within the value
        row["value"] = str(value)
        row["content"] = ";".join(others + [f"{kind}={amount}"])
    return row


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, tuple):  # content pairs
        return ";".join(f"{kind}={amount}" for kind, amount in value)
    return str(value)


def _row(rules, case) -> dict[str, str]:
    row = {"hts": _cell(case.hts), "origin": _cell(case.origin), "when": _cell(case.when)}
    row.update({name: _cell(value) for name, value in case.facts})
    return row


# cells that fail, or that the array path leaves to the per-row path
_ODD = {
    "hts": ["8703", "abc", "", "  8703.23.01  "],
    "origin": ["XX", "", "jp"],
    "when": ["2024-06-01", "2030-01-01", "2025-13-01", "2025-04-16T00:01:00", ""],
    "value": ["-5", "abc", "1e3", "0", "0.00", "12.345678", " 10 ", "nan", "123456789012345678"],
    "usmca": ["maybe", "yes", "NO", ""],
    "content": ["steel", "steel=99999999", "steel=0", ";steel=1;"],
    "mfn": ["x", "2.50", ""],
}


@st.composite
def tables(draw, rules):
    cases = draw(st.lists(queries(rules), min_size=1, max_size=8))
    codes = _CODES[rules.info.name]
    rows = []
    for case in cases:
        row = _row(rules, case)
        for _ in range(draw(st.integers(1, 4))):
            copy = dict(row)
            if draw(st.booleans()):  # another code of the schedule: the same memo key or another
                copy["hts"] = draw(st.sampled_from(codes))
            if "value" in copy and draw(st.booleans()):  # another value; small ones hit half cents
                copy["value"] = str(draw(st.one_of(
                    st.integers(0, 10**9).map(lambda n: Decimal(n).scaleb(-2)),
                    st.integers(0, 10**12).map(lambda n: Decimal(n).scaleb(-4)),
                    st.integers(0, 2000).map(lambda n: Decimal(n).scaleb(-2)))))
            if copy.get("content") and draw(st.booleans()):  # other amounts of the same kinds
                kinds = [pair.split("=")[0] for pair in copy["content"].split(";")]
                value = Decimal(copy.get("value") or "0")
                amounts = [draw(st.sampled_from([Decimal(0), value, value / 4, value / 3]))
                           .quantize(Decimal("0.01")) for _ in kinds]
                copy["content"] = ";".join(f"{k}={a}" for k, a in zip(kinds, amounts))
            rows.append(copy)
            if draw(st.booleans()):  # the same line at a boundary of a value or share threshold
                rows.append(draw(straddling(rules, copy)))
    for _ in range(draw(st.integers(0, 4))):
        row = dict(draw(st.sampled_from(rows)))
        column = draw(st.sampled_from(sorted(_ODD)))
        row[column] = draw(st.sampled_from(_ODD[column]))
        rows.insert(draw(st.integers(0, len(rows))), row)
    rows = draw(st.permutations(rows))
    columns = sorted({c for row in rows for c in row})
    return [{c: row.get(c, "") for c in columns} for row in rows]


def _reference_rows(rules, rows):
    facts = {f.name: f.type for f in rules.info.facts}
    out = []
    for row in rows:
        try:
            result = reference.resolve(rules, rules.line_query(line_from_row(row, facts)))
        except TariffRulesError as error:
            result = error
        out.append(row_from_result(row, result))
    return out


def _table_rows(rules, rows, chunk_rows):
    table = resolve_table(rules, pa.Table.from_pylist(rows), chunk_rows=chunk_rows)
    texts = pa.Table.from_batches([text_batch(b) for b in table.to_batches()])
    return texts.to_pylist()


def _line_rows(rules, rows, chunk_rows):
    table = resolve_table(rules, pa.Table.from_pylist(rows), chunk_rows=chunk_rows, lines=True)
    done, out = 0, []
    for batch in table.to_batches():
        out.extend(text_batch(explode_lines(batch, done + 1)).to_pylist())
        done += batch.num_rows
    return out


def _check(rules, rows, chunk_rows):
    many = list(resolve_rows(rules, rows))
    assert _table_rows(rules, rows, chunk_rows) == many
    # the reference resolver, split 8-digit codes included (it answers them line by line, as the engine does)
    assert _reference_rows(rules, rows) == many
    # the entry lines column, one output row per entry line, as `tariffrules batch --lines` writes them
    assert _line_rows(rules, rows, chunk_rows) == list(resolve_rows(rules, rows, lines=True))


@given(data=st.data())
@settings(deadline=None)
def test_toy_table_equals_resolve_many_and_reference(data):
    rows = data.draw(tables(_TOY), label="rows")
    _check(_TOY, rows, data.draw(st.sampled_from([3, 7, 1000]), label="chunk_rows"))


@given(data=st.data())
@settings(deadline=None, max_examples=max(10, settings.default.max_examples // 4))
def test_us_table_equals_resolve_many_and_reference(data):
    rows = data.draw(tables(_US), label="rows")
    _check(_US, rows, data.draw(st.sampled_from([5, 1000]), label="chunk_rows"))

"""Property: the refund report agrees with resolving each line as filed and as known now.

For generated lines of the toy rule set with a ruling over its reciprocal
levies, declaring exactly what was owed as known at entry: the report keeps
every line in order, owes what ``resolve(as_of=now)`` owes, and the duty it
holds not owed is the filed duty of the levies skipped now as ``held_not_owed``.
"""

from __future__ import annotations

import datetime as _dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import tariffrules
from tariffrules.rates import HUNDRED, round_money
from tariffrules.testing import queries

TOY = Path(__file__).resolve().parent.parent / "rules" / "toy"
NOW = "2026-06-01"
RULING = """
[[ruling]]
id = "toy.ruling.court"
title = "The Toy Emergency Act does not authorize duties"
citation = "Toy Court, No. 1 (2026)"
levies = ["toy.recip.*"]
entries = { start = 2025-01-01, end = 2026-02-24T00:01:00 }
known = 2026-02-20T10:00:00-05:00
"""
PROCESS = """
[process]
id = "toy.refund"
title = "Toy refund process"
citation = "Toy Notice 1"
route = "refund"
rulings = ["toy.ruling.*"]
[declaration]
header = "Entry"
max_entries = 3
entry_number = '^E[0-9]+$'
citation = "Toy Notice 1 sec. 2"
[interest]
computed = false
text = "not given by the toy notice"
citation = "Toy Notice 1"
[rounding]
computed = true
text = "to the cent"
citation = "Toy Notice 1"
[facts.liquidation_status]
type = "text"
choices = ["unliquidated", "liquidated"]
default = "unliquidated"
[[validation]]
id = "nothing"
reject = "nothing ruled declared"
citation = "Toy Notice 1 sec. 3"
when = [ { fact = "declares_ruled_heading", is = false } ]
routes = ["none"]
[[route]]
id = "refund"
title = "claim the refund"
citation = "Toy Notice 1 sec. 4"
[[route]]
id = "none"
title = "nothing to claim"
citation = "Toy Notice 1 sec. 3"
"""


@pytest.fixture(scope="module")
def ruled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("toy") / "toy"
    shutil.copytree(TOY, folder)
    (folder / "ruling.toml").write_text(RULING)
    (folder / "refunds").mkdir()
    (folder / "refunds" / "process.toml").write_text(PROCESS)
    return tariffrules.load(folder)


def _text(value) -> str:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (tuple, list)):
        return ";".join(f"{kind}={amount}" for kind, amount in value)
    return str(value)


def _per_heading(resolution) -> dict[str, Decimal]:
    q = resolution.query
    out: dict[str, Decimal] = {}
    for levy in resolution.levies:
        key = levy.heading or levy.id
        amount = levy.base_amount(q.value, q.content_map)
        if amount is None:
            raise tariffrules.MissingFactError("content", None, "a content amount is missing")
        if amount == 0:  # a levy on a zero base is on no entry line, so nothing is owed or declared under it
            continue
        out[key] = out.get(key, Decimal(0)) + round_money(levy.rate * amount / HUNDRED)
    return out


def test_report_agrees_with_resolve(ruled):
    cases = queries(ruled, as_of=False).filter(lambda c: dict(c.facts).get("value") is not None)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(cases, min_size=1, max_size=4))
    def check(batch):
        rows, expected = [], []
        for number, case in enumerate(batch):
            kwargs = case.kwargs
            try:
                now = ruled.resolve(case.hts, case.origin, case.when, as_of=NOW, **kwargs)
                owed = _per_heading(now)
                held_ids = {s.id for s in now.skipped if s.reason == "held_not_owed"}
                try:  # a duty a held levy replaced at entry is reported apart, not as owed (RefundLine.revived)
                    at = ruled.resolve(case.hts, case.origin, case.when, **kwargs)
                    replaced = {s.id for s in at.skipped if s.reason == "replaced" and s.by in held_ids}
                except tariffrules.TariffRulesError:
                    replaced = set()
                revived = {levy.heading or levy.id for levy in now.levies if levy.id in replaced}
                owed = {h: a for h, a in owed.items() if h not in revived}
            except tariffrules.TariffRulesError:
                declared = owed = None
            else:
                try:  # what was owed as known at entry (a line that cannot be rated then declares nothing)
                    declared = _per_heading(ruled.resolve(case.hts, case.origin, case.when,
                                                          as_of=case.query(ruled).entered, **kwargs))
                except tariffrules.TariffRulesError:
                    declared = {}
            row = {"entry_number": f"E{number}", "entry_date": _text(case.when), "hts": case.hts,
                   "origin": case.origin, "declared": ";".join(f"{h}={a}" for h, a in (declared or {}).items())}
            row.update({name: _text(value) for name, value in case.facts})
            rows.append(row)
            held = None
            if declared is not None:
                ruled_now = {s.heading for s in now.skipped if s.reason == "held_not_owed"}
                held = sum((a for h, a in declared.items() if h in ruled_now and h not in owed), Decimal(0))
            expected.append((declared, owed, held))
        report = ruled.refunds(rows, on="2026-05-01", now=NOW)
        assert [line.line for line in report] == list(range(len(rows)))
        for line, (declared, owed, held) in zip(report, expected):
            if declared is None:
                assert line.error is not None
                continue
            assert line.error is None, line.error
            assert dict(line.owed) == owed
            assert line.difference == sum(owed.values(), Decimal(0)) - sum(declared.values(), Decimal(0))
            assert line.held_not_owed == held
            assert line.other_difference == line.difference + held

    check()

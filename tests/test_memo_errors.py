"""The engine memoises a line that ends in a typed error like an answered one."""

from __future__ import annotations

from decimal import Decimal

import pytest

import tariffrules
from tariffrules.engine import Engine


def test_a_typed_error_is_memoised_and_raised_again_without_settling(monkeypatch):
    rules = tariffrules.builtin("us")  # a fresh rule set: its own memo
    # an EU good whose general rate is specific (not ad valorem) on a day the 15% all-in rate applies
    code = next(c for c, rate in rules.mfn.items() if rate is None and len(c) == 8)
    with pytest.raises(tariffrules.MissingFactError) as first:
        rules.resolve(code, "DE", "2025-09-02", value=Decimal(100))
    assert "all-in" in str(first.value)
    calls = []
    settle = Engine._settle
    monkeypatch.setattr(Engine, "_settle", lambda self, *a: calls.append(1) or settle(self, *a))
    for value in (Decimal(200), Decimal(300)):  # other lines, same memo key
        with pytest.raises(tariffrules.MissingFactError) as again:
            rules.resolve(code, "DE", "2025-09-02", value=value)
        assert str(again.value) == str(first.value)
        assert again.value.__traceback__ is not None
    assert calls == []
    # the error was raised twice; its traceback is the last raise's, not a growing chain
    assert len(list(_frames(again.value.__traceback__))) < 10


def _frames(tb):
    while tb is not None:
        yield tb
        tb = tb.tb_next

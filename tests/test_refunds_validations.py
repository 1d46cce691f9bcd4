"""CAPE entry validations a broker tester found too loose or too strict (CSMS #68340863 sec. 1)."""

from __future__ import annotations

import pytest

import tariffrules


@pytest.fixture(scope="module")
def us():
    return tariffrules.builtin("us")


def _entry(**cells):
    row = {"entry_number": "ABC12345671", "entry_date": "2025-04-16", "hts": "8525.89.30", "origin": "JP",
           "value": "100", "declared": "9903.01.25=10", "entry_type": "01", "liquidation_status": "unliquidated"}
    row.update(cells)
    return row


@pytest.mark.parametrize("typed", ["9", "8", "147", "1"])
def test_an_entry_type_without_its_two_digits_is_refused_not_declared(us, typed):
    # Excel turns 09 (reconciliation) into 9: that entry must not reach a CAPE declaration
    (line,) = us.refunds([_entry(entry_type=typed)], on="2026-05-01")
    assert line.decision is None or line.decision.accepted is not True
    assert "entry_type" in (line.error or "") + " ".join(getattr(line.decision, "reasons", ()) or ())


def test_a_two_digit_consumption_entry_is_accepted(us):
    (line,) = us.refunds([_entry()], on="2026-05-01")
    assert line.decision.accepted is True


def test_adcvd_entry_still_suspended_is_accepted(us):
    # only AD/CVD entry summaries pending liquidation are rejected (validation i)
    (line,) = us.refunds([_entry(entry_type="03", adcvd="yes", liquidation_status="suspended")], on="2026-05-01")
    assert line.decision.accepted is True


def test_adcvd_entry_pending_liquidation_is_rejected(us):
    (line,) = us.refunds([_entry(entry_type="03", adcvd="yes", liquidation_status="pending")], on="2026-05-01")
    assert line.decision.accepted is False
    assert any("AD/CVD" in reason for reason in line.decision.reasons)

"""Refund report faults a broker-style tester found (issue 15), each checked against its source.

Sources: CSMS #68340863 (CAPE Phase 1: deployment 8 a.m. EDT Apr. 20, 2026; validation a; sec. 3 liquidation
of accepted entries), CSMS #67834313 (IEEPA collection ends for entries from Feb. 24, 2026), CSMS #65054270
(EO 14289: Canadian steel before June 4, 2025 reports 9903.01.10 at 25%, not Section 232), CBP Form 7501
instructions block 2 (entry types 21, 22 warehouse; 31-38 warehouse withdrawals), 19 CFR 142.3a(b) (entry
number XXX-NNNNNNN-N), 19 U.S.C. 1514(c)(3)(A) (180-day protest period).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules
from tariffrules.refunds import read_amount

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def us():
    return tariffrules.builtin("us")


def _entry(**cells):
    row = {"entry_number": "ABC-1234567-1", "entry_date": "2025-04-16", "hts": "8525.89.30", "origin": "JP",
           "value": "1000.00", "declared": "9903.01.25=100.00", "entry_type": "01",
           "liquidation_status": "unliquidated"}
    row.update(cells)
    return row


def _one(us, on="2026-05-01", now=None, **cells):
    (line,) = us.refunds([_entry(**cells)], on=on, now=now)
    return line


# 1. "nothing" says the real cause -------------------------------------------------------------------------------

def test_ieepa_declared_after_the_ruled_entries_is_an_entry_date_question_not_nothing_declared(us):
    line = _one(us, entry_date="2026-03-02")  # IEEPA numbers inactive in ACE from Feb. 24, 2026 (CSMS #67834313)
    assert line.decision.route == "check-entry-date"
    text = line.to_row()["route_reason"]
    assert "no IEEPA duty declared" not in text
    assert "entry date 2026-03-02 is outside us.ruling.learning_resources's entries [2025-02-01, 2026-02-24)" in text


def test_a_report_as_of_before_the_ruling_says_the_ruling_was_not_known(us):
    line = _one(us, now="2026-02-19")  # the opinion is of Feb. 20, 2026
    assert line.decision.route == "owed-as-of" and line.held_not_owed == Decimal("0.00")
    text = line.to_row()["route_reason"]
    assert "no IEEPA duty declared" not in text and "was not known yet" in text


def test_nothing_declared_keeps_its_own_reason(us):
    line = _one(us, declared="9903.88.03=0.00")
    assert line.decision.route == "nothing"
    assert "no IEEPA duty declared" in line.decision.route_title


# 2. before CAPE opens ---------------------------------------------------------------------------------------------

def test_before_cape_opens_an_unliquidated_entry_waits(us):
    line = _one(us, on="2026-04-19")
    assert line.decision.accepted is False and line.decision.route == "wait"
    assert "Apr. 20, 2026" in line.decision.route_title and "68340863" in line.decision.source
    assert _one(us, on="2026-04-20").decision.route == "cape"


def test_before_cape_opens_a_liquidated_entry_is_protested(us):
    # liquidated Mar. 20, 2026; Apr. 1 is 12 days later: within the 180 days of 19 U.S.C. 1514(c)(3)(A)
    line = _one(us, on="2026-04-01", liquidation_status="liquidated", liquidation_date="2026-03-20")
    assert line.decision.route == "protest"
    assert any("not open" in reason for reason in line.decision.reasons)


# 3. the CAPE route follows the entry's facts (CSMS #68340863 sec. 3) -------------------------------------------

@pytest.mark.parametrize("cells, says, never", [
    ({}, "45 days", None),
    ({"entry_type": "21"}, "after all withdrawals", "set to liquidate 45 days from"),
    ({"entry_type": "31"}, "after all withdrawals", "set to liquidate 45 days from"),
    ({"liquidation_status": "extended"}, "refund is issued when it liquidates", "45 days from"),
    ({"liquidation_status": "suspended", "adcvd": "yes", "entry_type": "03"}, "when it liquidates", "45 days from"),
    ({"liquidation_status": "liquidated", "liquidation_date": "2026-04-01"}, "next business day", "45 days"),
])
def test_cape_route_text_follows_the_entry(us, cells, says, never):
    line = _one(us, **cells)
    assert line.decision.route == "cape"
    assert says in line.decision.route_title
    if never:
        assert never not in line.decision.route_title


def test_cape_route_claims_no_timing_where_the_source_says_none(us):
    # CSMS #68340863 sec. 3 gives no timing for an entry pending liquidation that is not AD/CVD
    line = _one(us, liquidation_status="pending")
    assert line.decision.route == "cape"
    assert "45 days" not in line.decision.route_title and "next business day" not in line.decision.route_title


# 4. messages name columns and 1-based data rows -------------------------------------------------------------------

def test_messages_name_columns_and_data_rows(us):
    rows = [_entry(), _entry(line_number="2", hts="8525.89.3")]
    lines = us.refunds(rows, on="2026-05-01")
    text = lines[0].to_row()["route_reason"]
    assert "declares_ruled_heading" not in text and "declares_ruled_levy_heading" not in text
    # the first row reads and declares IEEPA duty: the entry is decided despite the bad second row
    assert lines[0].decision.route == "cape"
    rows = [_entry(declared="9903.88.03=0"), _entry(line_number="2", hts="8525.89.3")]
    lines = us.refunds(rows, on="2026-05-01")
    decision = lines[0].decision
    # the failed row declares IEEPA duty: undecided, and the reason names the row, not a column already given
    assert decision.accepted is None and decision.needs == ()
    assert "data row(s) 2 of the entry could not be read" in " ".join(decision.reasons)


# 5. entry numbers ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["AB-123", "ABC-123456-1", "ABC-1234567-12", "AB!-1234567-1", "ABC-12345A7-1"])
def test_malformed_entry_number_is_an_error_in_its_row_with_cells_filled(us, number):
    rows = [_entry(entry_number=number), _entry(entry_number="ABC-2345678-2")]
    lines = us.refunds(rows, on="2026-05-01")
    first = lines[0].to_row()
    assert first["error"].startswith("InvalidFactError: entry_number=") and "XXX-NNNNNNN-C" in first["error"]
    assert first["cape"] == "undecided" and first["route"] == "undecided"
    assert "data row 1" in first["route_reason"]
    assert lines[1].decision.route == "cape"


# 6. amounts with thousands separators ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [("10,000.00", "10000.00"), ("1,234,567.89", "1234567.89"),
                                         ("10000.00", "10000.00"), ("1,000", "1000"), ("12.5", "12.5")])
def test_comma_thousands_with_dot_decimal_are_read(text, value):
    assert read_amount(text, "value") == Decimal(value)


@pytest.mark.parametrize("text", ["10,00", "1.000,00", "1.000", "1.000.000", "1,0000", "1 000", "10,000.00.0"])
def test_ambiguous_amounts_are_refused(text):
    with pytest.raises(tariffrules.InvalidFactError):
        read_amount(text, "value")


def test_report_reads_separated_value_content_and_declared(us):
    line = _one(us, value="10,000.00", declared="9903.01.25=1,000.00")
    assert line.error is None and line.held_not_owed == Decimal("1000.00")
    steel = _one(us, hts="9403.20.00", origin="CN", entry_date="2025-06-10", value="20,000.00",
                 content="steel=4,000.00;aluminum=0", declared="9903.81.91=2,000.00")  # 9403.20.00: also note 19(k)
    assert steel.error is None and dict(steel.owed)["9903.81.91"] == Decimal("2000.00")  # 50% of 4,000
    bad = _one(us, value="10.000,00")
    assert bad.error.startswith("InvalidFactError: value=") and "ambiguous" in bad.error


# 7. Canada/Mexico steel before June 4, 2025 ---------------------------------------------------------------------

def test_canadian_steel_before_june_4_refunds_the_ieepa_duty_and_reports_the_replaced_232_apart(us):
    # CSMS #65054270: non-USMCA steel from Canada reports 9903.01.10 / 25% (IEEPA Canada), not 232 steel
    line = _one(us, hts="7208.51.00", origin="CA", entry_date="2025-03-20", value="10000.00",
                content="steel=10000", usmca="false", declared="9903.01.10=2500.00")
    assert line.held_not_owed == Decimal("2500.00")
    assert line.owed == () and line.difference == Decimal("-2500.00") and line.other_difference == Decimal("0.00")
    assert line.revived == (("9903.81.87", Decimal("2500.00")),)  # 25% of the steel, if it applied now
    assert "9903.81.87=2500.00" in line.to_row()["uncertain"]


def test_canadian_steel_declared_under_both_headings_shows_the_232_overpayment(us):
    line = _one(us, hts="7208.51.00", origin="CA", entry_date="2025-03-20", value="10000.00",
                content="steel=10000", usmca="false", declared="9903.01.10=2500.00;9903.81.87=2500.00")
    assert line.held_not_owed == Decimal("2500.00") and line.other_difference == Decimal("-2500.00")
    why = {h.heading: h.why for h in line.headings}
    assert why["9903.81.87"].startswith("not owed at entry")


def test_canadian_steel_from_june_4_owes_232_and_no_ieepa(us):
    # CSMS #65236574: from June 4, 2025 steel from Canada reports 9903.81.87 / 50%
    line = _one(us, hts="7208.51.00", origin="CA", entry_date="2025-06-10", value="10000.00",
                content="steel=10000", usmca="false", declared="9903.81.87=5000.00")
    assert line.owed == (("9903.81.87", Decimal("5000.00")),) and line.revived == ()
    assert line.decision.route == "nothing"


# 8. the example file ------------------------------------------------------------------------------------------------

def test_example_rows_answer_or_say_why_they_show_an_error(us):
    path = ROOT / "examples" / "data" / "entries_ieepa.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row, line in zip(rows, us.refunds(rows, on="2026-05-01")):
        assert line.error is None or "shows an error" in row["note"], (row, line.error)
    bearing = us.refunds([rows[7]], on="2026-05-01")[0]
    assert bearing.error is None and bearing.held_not_owed == Decimal("750.00")


# 10. the broker-style check file: each route written beforehand from its source (expected_basis column) -------

def test_broker_check_file_routes_match_their_sources(us):
    path = ROOT / "examples" / "data" / "entries_broker_check.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 32
    lines = us.refunds(rows, on="2026-07-15")
    got = [(i + 1, line.to_row()["route"]) for i, line in enumerate(lines)]
    assert got == [(i + 1, row["expected_route"]) for i, row in enumerate(rows)]
    recon = lines[7].decision.route_title  # flagged for reconciliation: no 45-day claim (CSMS #69035485)
    assert "reconciliation" in recon and "45 days" not in recon
    assert lines[29].error.startswith("InvalidFactError: entry_number=")


def test_reconciliation_flagged_entries_follow_the_june_29_deployment(us):
    # CSMS #69035485 (June 23, 2026, as summarised by Expeditors and Tuttle Law): from June 29, 2026 CAPE takes
    # reconciliation-flagged entries whose reconciliation entry is not filed; before, validation b rejects them
    assert _one(us, on="2026-06-28", reconciliation="yes", reconciliation_entry_filed="no").decision.route == "later"
    assert _one(us, on="2026-06-29", reconciliation="yes", reconciliation_entry_filed="no").decision.route == "cape"
    assert _one(us, on="2026-06-29", reconciliation="yes", reconciliation_entry_filed="yes").decision.route == "later"
    unknown = _one(us, on="2026-06-29", reconciliation="yes").decision
    assert unknown.accepted is None and unknown.needs == ("reconciliation_entry_filed",)

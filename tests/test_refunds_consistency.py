"""Refund report faults from the second broker-style test (issue 15, /work/wt/_notes/broker15.md), against sources.

Sources: CSMS #68340863 (CAPE Phase 1: validations j, k and the surety rule; "Post Summary Corrections": a PSC
"for any other issue should be filed prior to submitting a CAPE declaration"); post-summary corrections under
the 19 CFR 101.9(b) test (76 FR 37136, June 24, 2011): filed before liquidation, within 300 days of the entry
date and at least 15 days before the scheduled liquidation date, whichever is earlier (82 FR 50523, Nov. 1,
2017), or up to 15 days before an extended liquidation date (84 FR 40430, Aug. 14, 2019); 19 U.S.C.
1514(c)(3)(A): a protest is filed within 180 days after the date of liquidation.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules
from tariffrules.cli_refunds import summary
from tariffrules.refunds import process_for, read_declared

ROOT = Path(__file__).resolve().parent.parent
US = ROOT / "tariffrules" / "data" / "us"


@pytest.fixture(scope="module")
def us():
    return tariffrules.builtin("us")


def _entry(**cells):
    row = {"entry_number": "ABC-1234567-1", "line_number": "1", "entry_date": "2025-04-16", "hts": "8525.89.30",
           "origin": "JP", "value": "1000.00", "declared": "9903.01.25=100.00", "entry_type": "01",
           "liquidation_status": "unliquidated"}
    row.update(cells)
    return row


def _one(us, on="2026-05-01", **cells):
    (line,) = us.refunds([_entry(**cells)], on=on)
    return line


def _reason(line):
    return line.to_row()["route_reason"]


# F1: impossible or inconsistent lines ------------------------------------------------------------------------------

def test_a_negative_declared_duty_is_the_rows_error(us):
    line = _one(us, declared="9903.01.25=-100.00")
    assert line.error.startswith("InvalidFactError: declared=") and "negative" in line.error
    assert line.held_not_owed is None and line.decision.accepted is None
    with pytest.raises(tariffrules.InvalidFactError, match="negative"):
        read_declared("9903.01.25=-1")


@pytest.mark.parametrize("again", ["1", "001"])
def test_the_same_entry_line_twice_is_an_error_and_counted_once(us, again):
    lines = us.refunds([_entry(line_number="1"), _entry(line_number=again)], on="2026-05-01")
    assert lines[0].error is None and lines[0].held_not_owed == Decimal("100.00")
    assert lines[1].error.startswith("InvalidFactError: line_number=") and "data row 1" in lines[1].error
    assert lines[1].held_not_owed is None
    for line in lines:
        assert line.decision.accepted is None
        assert "data rows 1 and 2 both give line" in _reason(line)


def test_lines_of_one_entry_with_different_entry_dates_are_undecided(us):
    lines = us.refunds([_entry(entry_date="2025-06-10"), _entry(line_number="2", entry_date="2025-07-10")],
                       on="2026-05-01")
    assert all(line.decision.accepted is None for line in lines)
    assert "disagree on entry_date" in _reason(lines[0])


def test_lines_of_one_entry_on_different_line_numbers_and_one_date_are_decided(us):
    lines = us.refunds([_entry(), _entry(line_number="2")], on="2026-05-01")
    assert [line.decision.route for line in lines] == ["cape", "cape"]


# F2: dates that contradict the declaration day or the status -------------------------------------------------------

def test_a_liquidation_after_the_declaration_day_is_undecided(us):
    line = _one(us, on="2026-11-29", liquidation_status="liquidated", liquidation_date="2026-12-15")
    assert line.decision.accepted is None and line.decision.route is None
    assert "liquidation_date is after the declaration day" in _reason(line)


def test_before_cape_opens_a_later_liquidation_is_not_protested(us):
    line = _one(us, on="2026-04-19", liquidation_status="liquidated", liquidation_date="2026-06-02")
    assert line.decision.route is None and "liquidation_date is after" in _reason(line)


def test_unliquidated_with_a_liquidation_date_is_undecided(us):
    line = _one(us, liquidation_date="2026-03-20")
    assert line.decision.accepted is None and "unliquidated but a liquidation_date is given" in _reason(line)


def test_an_entry_after_the_declaration_day_is_undecided(us):
    line = _one(us, on="2025-05-01", entry_date="2025-06-10")
    assert line.decision.accepted is None and "entry_date is after the declaration day" in _reason(line)


# F3: a post-summary correction only where one can still be filed ----------------------------------------------------

@pytest.mark.parametrize("entered, route", [
    ("2025-07-01", "correct"),        # 2026-04-27 is day 300 after 2025-07-01: within the PSC window
    ("2025-06-30", "no-correction"),  # day 301
])
def test_value_on_ieepa_line_is_corrected_only_within_300_days_of_entry(us, entered, route):
    line = _one(us, on="2026-04-27", entry_date=entered, value_on_ieepa_line="yes")
    assert line.decision.accepted is False and line.decision.route == route


def test_value_on_ieepa_line_long_after_entry_is_not_sent_to_correct(us):
    line = _one(us, on="2026-11-29", entry_date="2025-06-10", value_on_ieepa_line="yes")
    assert line.decision.route == "no-correction"
    assert "protest" in _reason(line) and "300 days" in _reason(line)


def test_value_on_ieepa_line_liquidated_is_protested_not_corrected(us):
    line = _one(us, on="2026-11-29", entry_date="2025-06-10", value_on_ieepa_line="yes",
                liquidation_status="liquidated", liquidation_date="2026-10-15")
    assert line.decision.route == "protest"


def test_value_on_ieepa_line_with_extended_liquidation_can_be_corrected(us):
    line = _one(us, on="2026-11-29", entry_date="2025-06-10", value_on_ieepa_line="yes",
                liquidation_status="extended")
    assert line.decision.route == "correct" and "15 days before the extended liquidation date" in _reason(line)


# F5: other differences on an entry going to CAPE: correct them first --------------------------------------------

def test_cape_entry_with_another_difference_is_told_to_file_the_psc_first(us):
    # 9903.88.03 (Section 301, China) declared on a Japanese good: a non-IEEPA overpayment CAPE does not touch
    line = _one(us, on="2026-05-01", entry_date="2025-12-10", declared="9903.01.25=100.00;9903.88.03=50.00")
    assert line.decision.route == "cape" and line.other_difference == Decimal("-50.00")
    assert "filed before the CAPE Declaration, so file the PSC first" in _reason(line)


def test_cape_entry_with_another_difference_past_the_psc_window_is_told_so(us):
    line = _one(us, on="2026-11-29", entry_date="2025-06-10", declared="9903.01.25=100.00;9903.88.03=50.00")
    assert line.decision.route == "cape"
    assert "no longer possible" in _reason(line) and "PSC first" not in _reason(line)


def test_cape_entry_without_another_difference_gets_no_advice(us):
    line = _one(us, on="2026-05-01", entry_date="2025-12-10")
    assert line.decision.route == "cape" and line.decision.advice == ()


# F6: surety-paid entries keep the statutory protest ---------------------------------------------------------------

def test_surety_paid_liquidated_within_180_days_is_protested(us):
    line = _one(us, on="2026-05-01", surety_paid="yes", liquidation_status="liquidated",
                liquidation_date="2026-03-17")
    assert line.decision.accepted is False and line.decision.route == "protest"


def test_surety_paid_unliquidated_has_no_route_stated(us):
    assert _one(us, surety_paid="yes").decision.route == "not-stated"


# clearer output -----------------------------------------------------------------------------------------------------

def test_protest_route_gives_its_last_day(us):
    # 180 days after Oct. 15, 2026 is Apr. 13, 2027 (19 U.S.C. 1514(c)(3)(A))
    line = _one(us, on="2026-11-29", entry_date="2025-06-10", liquidation_status="liquidated",
                liquidation_date="2026-07-01")
    assert line.decision.route == "protest"
    line = _one(us, on="2026-11-29", entry_date="2025-06-10", liquidation_status="liquidated",
                liquidation_date="2026-10-15", value_on_ieepa_line="yes")
    assert "last day to protest: 2027-04-13" in _reason(line)


@pytest.mark.parametrize("liquidated, says", [("2026-03-04", "within 80 days"), ("2025-12-01", "more than 80 days")])
def test_open_protest_says_whether_cape_is_open_to_the_entry(us, liquidated, says):
    # Mar. 4 is 58 days and Dec. 1 is 151 days before May 1, 2026; CAPE rejects entries over 80 days (validation j)
    line = _one(us, protest="open", liquidation_status="liquidated", liquidation_date=liquidated)
    assert line.decision.route == "open-protest" and f"this entry is {says}" in _reason(line)


def test_a_heading_the_rule_set_does_not_know_says_so(us):
    line = _one(us, declared="9903.01.25=100.00;9903.01.99=100.00")
    why = {h.heading: h.why for h in line.headings}
    assert "heading not in the rule set" in why["9903.01.99"]
    assert "not in the rule set" not in why["9903.01.25"]


def test_summary_totals_per_route_to_the_cent(us):
    lines = us.refunds([_entry(), _entry(entry_number="ABC-1234568-1", declared="9903.01.25=50.00",
                                         liquidation_status="liquidated", liquidation_date="2025-12-01")],
                       on="2026-05-01")
    text = summary(lines)
    assert "duty held not owed 150.00 (cape 100.00, protest 50.00)" in text and "0 entries undecided" in text
    nothing = us.refunds([_entry(declared="9903.88.03=0")], on="2026-05-01")
    assert "duty held not owed 0.00" in summary(nothing)
    bad = us.refunds([_entry(), _entry(entry_date="2025-05-01", line_number="2")], on="2026-05-01")
    assert "1 entry undecided" in summary(bad)


def test_rulings_entries_periods_are_aware():
    with (US / "rulings.toml").open("rb") as handle:
        doc = tomllib.load(handle)
    for ruling in doc["ruling"]:
        assert ruling["entries"]["start"].tzinfo is not None and ruling["entries"]["end"].tzinfo is not None


@pytest.mark.parametrize("addition, field", [
    ('\n[[check]]\nid = "x"\ntext = "t"\ncitation = "c"\nwhen = []\n', "when"),
    ('\n[[advice]]\nid = "x"\ntext = "t"\ncitation = "c"\nwhen = [ { fact = "surety_paid", is = true } ]\n'
     'routes = ["nowhere"]\n', "routes"),
])
def test_process_checks_and_advice_are_validated(us, tmp_path, addition, field):
    path = tmp_path / "cape.toml"
    path.write_text((US / "refunds" / "cape.toml").read_text() + addition)
    with pytest.raises(tariffrules.RuleFileError) as caught:
        process_for(us, path)
    assert caught.value.field == field


def test_route_deadline_must_count_from_an_instant_fact(us, tmp_path):
    text = (US / "refunds" / "cape.toml").read_text().replace('after = "liquidation_date"', 'after = "surety_paid"')
    path = tmp_path / "cape.toml"
    path.write_text(text)
    with pytest.raises(tariffrules.RuleFileError) as caught:
        process_for(us, path)
    assert caught.value.field == "deadline"

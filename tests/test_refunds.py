"""Rulings (duties held not owed) and the refund report with its CAPE routes.

Expected values are worked by hand from the sources: rates from the orders
(EO 14257 baseline 10%, EO 14195 as amended 20%, Section 301 List 3 25%,
Section 232 steel 25%, EO 14323 Brazil 40%), the ruling instants from the
opinion (Feb. 20, 2026) and CSMS #68340863 (Apr. 13, 2026), the CAPE
validations and the 80-day limit from CSMS #68340863, the 180-day protest
period from 19 U.S.C. 1514(c)(3)(A).
"""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import tariffrules
from tariffrules.cli import main
from tariffrules.refunds import read_declared, write_declarations, process_for
from tariffrules.testing import check_rule_set, queries

ROOT = Path(__file__).resolve().parent.parent
US = ROOT / "tariffrules" / "data" / "us"
EXAMPLE = ROOT / "examples" / "data" / "entries_ieepa.csv"

TOY_RULING = """
[[ruling]]
id = "toy.ruling.court"
title = "The Toy Emergency Act does not authorize duties"
citation = "Toy Court, No. 1 (2026)"
levies = ["toy.recip.*"]
entries = { start = 2025-01-01, end = 2026-02-24T00:01:00 }
known = 2026-02-20T10:00:00-05:00
"""


@pytest.fixture(scope="module")
def us():
    return tariffrules.load(US)


@pytest.fixture
def toy_ruled(toy_copy):
    (toy_copy / "ruling.toml").write_text(TOY_RULING)
    return tariffrules.load(toy_copy)


# -- the ruling as data ------------------------------------------------------------------------------------------

def test_toy_ruling_answers_as_known_then_and_now(toy_ruled):
    before = toy_ruled.resolve("8471.30.01", "JP", "2025-04-16", as_of="2026-02-19")
    after = toy_ruled.resolve("8471.30.01", "JP", "2025-04-16", as_of="2026-02-21")
    declared = toy_ruled.resolve("8471.30.01", "JP", "2025-04-16")
    assert before.headings == ("9903.01.25",) and declared.headings == ("9903.01.25",)
    assert after.headings == ()
    (skip,) = [s for s in after.skipped if s.id == "toy.recip.baseline"]
    assert skip.reason == "held_not_owed" and skip.by == "toy.ruling.court"
    assert "Toy Court" in after.explain()


def test_toy_ruling_is_not_an_end(toy_ruled):
    # an entry after the ruling's period is answered by the levy's own end, not by the ruling
    later = toy_ruled.resolve("8471.30.01", "JP", "2026-03-01", as_of="2026-03-02")
    (skip,) = [s for s in later.skipped if s.id == "toy.recip.baseline"]
    assert skip.reason == "ended"


def test_a_group_held_not_owed_needs_no_declaration(toy_ruled):
    # found by the invariant test below: the ruling holds toy.recip.baseline not owed, so its group "recip"
    # (whose 0% exemption lines the ruling does not name) is declared on no line, and that is no violation
    from tariffrules.declarations import violations
    after = toy_ruled.resolve("27000000", "CN", "2025-04-05", as_of="2026-02-20T10:00:00-05:00")
    assert after.headings == () and violations(toy_ruled, after) == ()
    before = toy_ruled.resolve("27000000", "CN", "2025-04-05", as_of="2026-02-20T09:59:00-05:00")
    assert before.headings and violations(toy_ruled, before) == ()


def test_toy_ruling_reference_matches_engine(toy_ruled):
    check_rule_set(toy_ruled, strategy=queries(toy_ruled), max_examples=40)


@pytest.mark.parametrize("broken, field", [
    (TOY_RULING.replace('known = 2026-02-20T10:00:00-05:00\n', ''), "known"),
    (TOY_RULING.replace('entries = { start = 2025-01-01, end = 2026-02-24T00:01:00 }\n', ''), "entries"),
    (TOY_RULING.replace('"toy.recip.*"', '"toy.nothing.*"'), "levies"),
    (TOY_RULING.replace('id = "toy.ruling.court"', 'id = "toy.recip.baseline"'), "id"),
    (TOY_RULING.replace('entries = {', 'entries = { until = 2026-01-01, '), "entries"),
])
def test_malformed_ruling_is_a_rule_file_error(toy_copy, broken, field):
    (toy_copy / "ruling.toml").write_text(broken)
    with pytest.raises(tariffrules.RuleFileError) as caught:
        tariffrules.load(toy_copy)
    assert caught.value.field == field


def test_us_reciprocal_held_not_owed_from_the_opinion(us):
    # EO 14257 baseline 10% on a Japanese camera entered Apr. 16, 2025 (9903.01.25)
    then = us.resolve("8525.89.30", "JP", "2025-04-16", as_of="2026-02-20T09:59:00-05:00")
    now = us.resolve("8525.89.30", "JP", "2025-04-16", as_of="2026-02-20T10:00:00-05:00")
    assert then.headings == ("9903.01.25",)
    assert now.headings == ()
    assert {s.id: s.reason for s in now.skipped}["us.ieepa.reciprocal.baseline"] == "held_not_owed"


def test_us_brazil_known_only_from_the_cape_message(us):
    # EO 14323 Brazil 40% (9903.01.77): the Court did not rule on it; CBP's CAPE message of Apr. 13, 2026 does
    assert "9903.01.77" in us.resolve("0901.11.00", "BR", "2025-09-16", as_of="2026-03-01").headings
    assert "9903.01.77" not in us.resolve("0901.11.00", "BR", "2025-09-16", as_of="2026-04-14").headings


def test_us_301_and_232_stay_owed(us):
    # Section 301 List 3 (9903.88.03, 25% of 20000 = 5000) and Section 232 steel stay; the EO ending IEEPA duties
    # sec. 2(d). 9403.20.00 is a steel derivative outside chapter 73 from Mar. 12, 2025 (Proc. 10896; HTSUS
    # 2025 Rev. 32 footnote to U.S. note 16), 50% of the steel content from June 4, 2025 (Proc. 10947):
    # 9903.81.91, 50% of 4000 = 2000
    # 9403.20.00 is also an aluminum derivative of note 19(k) (issue 12): the aluminum content is part of the query
    china = us.resolve("9403.20.00", "CN", "2025-06-10", as_of="2026-06-01", value="20000",
                       content={"steel": "4000", "aluminum": "0"})
    assert {h for line in china.lines for h in line.headings} == {"9903.88.03", "9903.81.91"}
    assert china.duty() == Decimal("7000.00")
    steel = us.resolve("7208.51.00", "CA", "2025-03-20", as_of="2026-06-01", value="10000",
                       content={"steel": "10000"}, usmca=False)
    assert "9903.01.10" not in steel.headings and steel.duty() == Decimal("2500.00")


def test_us_revisions_find_the_refund(us):
    (revision,) = us.revisions([{"hts": "8525.89.30", "origin": "JP", "when": "2025-04-16", "value": "1000"}])
    assert revision.duty_change == Decimal("-100.00")  # the 10% baseline, no longer owed


# -- the refund report -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(us):
    with EXAMPLE.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows, us.refunds(rows, on="2026-05-01")


def test_every_line_kept_in_order(report):
    rows, lines = report
    assert [line.line for line in lines] == list(range(len(rows)))
    assert [line.row for line in lines] == rows


def test_unliquidated_reciprocal_entry_goes_on_cape(report):
    _, lines = report
    first, second = lines[0], lines[1]
    assert first.held_not_owed == Decimal("1200.00") and second.held_not_owed == Decimal("500.00")
    assert first.difference == Decimal("-1200.00") and first.other_difference == Decimal("0.00")
    assert first.decision.accepted is True and first.decision.route == "cape"
    assert "68340863" in first.decision.source


def test_ieepa_refunded_301_stays_and_wrong_301_heading_is_another_difference(report):
    _, lines = report
    good, wrong = lines[2], lines[3]
    # 20000 with steel content 4000: 301 25% = 5000 and 232 steel derivative 50% of the steel = 2000 stay;
    # fentanyl 20% = 4000 and reciprocal 10% of the non-steel 16000 = 1600 (HTSUS ch. 99 U.S. note 16(vii))
    # are held not owed, with the 0% exemption line 9903.01.33 on the steel (an IEEPA number CAPE removes,
    # CSMS #68340863)
    # (9403.20.00 is also an aluminum derivative of note 19(k): its aluminum content of 0 owes nothing)
    assert tuple(o for o in good.owed if o[1]) == (("9903.88.03", Decimal("5000.00")), ("9903.81.91", Decimal("2000.00")))
    assert good.held_not_owed == Decimal("5600.00") and good.other_difference == Decimal("0.00")
    assert {h.heading: h.why for h in good.headings}["9903.01.33"] == "held not owed: us.ruling.learning_resources"
    # 8000, steel 2000: fentanyl 1600 and reciprocal 10% of 6000 = 600 held not owed; declared under List 4A
    # 7.5% (600) where List 3 25% (2000) is owed: underpaid 1400, not the ruling's
    assert wrong.held_not_owed == Decimal("2200.00")
    assert wrong.other_difference == Decimal("1400.00")
    why = {h.heading: h.why for h in wrong.headings}
    assert why["9903.88.03"] == "owed now, not declared"
    # liquidated 2026-03-20, 42 days before 2026-05-01: within 80 days
    assert good.decision.route == "cape"


def test_liquidated_over_80_days_goes_to_protest_then_none(report):
    _, lines = report
    steel, final = lines[4], lines[7]
    # liquidated 2025-12-01: 151 days before 2026-05-01, within the 180-day protest period
    assert steel.decision.accepted is False and steel.decision.route == "protest"
    # Canadian steel entered Mar. 20, 2025, declared as CBP said: 9903.01.10 only (CSMS #65054270: EO 14289 puts the
    # IEEPA Canada duty before Section 232 steel until June 4, 2025): the IEEPA duty is refunded and the 232 duty
    # it replaced is reported apart, not counted as owed
    assert steel.held_not_owed == Decimal("2500.00") and steel.owed == ()
    assert steel.revived == (("9903.81.87", Decimal("2500.00")),)
    # liquidated 2025-09-30: 213 days: final
    assert final.decision.route == "final"


def test_reconciliation_entry_type_rejected(report):
    _, lines = report
    brazil = lines[5]
    assert brazil.held_not_owed == Decimal("4000.00")
    assert brazil.decision.accepted is False and brazil.decision.route == "later"
    assert any("entry type 09" in reason for reason in brazil.decision.reasons)


def test_entry_after_the_ruling_period_has_nothing_to_refund(report):
    _, lines = report
    s122 = lines[6]
    assert s122.held_not_owed == Decimal("0.00") and s122.difference == Decimal("0.00")
    assert s122.decision.route == "nothing"


def test_undecidable_lines_say_why(report):
    _, lines = report
    typo, undated = lines[8], lines[9]
    assert typo.error.startswith("InvalidCodeError") and typo.to_row()["owed_total"] == ""
    assert typo.decision.route == "open-protest"
    assert "mistyped" in typo.row["note"]  # the example row exists to show the error
    assert undated.decision.accepted is None and undated.decision.needs == ("liquidation_date",)
    assert "not computed" in undated.to_row()["interest"]


def test_lines_of_one_entry_must_agree(us):
    rows = [{"entry_number": "ABC12345671", "entry_date": "2025-04-16", "hts": "8525.89.30", "origin": "JP",
             "value": "100", "declared": "9903.01.25=10", "entry_type": "01", "liquidation_status": status}
            for status in ("unliquidated", "liquidated")]
    lines = us.refunds(rows, on="2026-05-01")
    assert all(line.decision.accepted is None for line in lines)
    assert "disagree on liquidation_status" in lines[0].decision.reasons[0]


def test_bad_cells_are_errors_in_place(us):
    rows = [{"entry_number": "12", "entry_date": "2025-04-16", "hts": "8525.89.30", "origin": "JP", "value": "1"},
            {"entry_number": "ABC12345671", "entry_date": "2025-04-16", "hts": "8525.89.30", "origin": "JP",
             "value": "1", "declared": "9903.01.25:10"},
            {"entry_number": "ABC12345672", "entry_date": "2025-04-16", "hts": "8525.89.30", "origin": "JP",
             "value": "1", "liquidation_status": "paid"}]
    lines = us.refunds(rows, on="2026-05-01")
    assert [line.error.split(":")[0] for line in lines] == ["InvalidFactError"] * 3


def test_read_declared():
    assert read_declared("9903.01.25=100.00; 99038803 = 2.5") == (("9903.01.25", Decimal("100.00")),
                                                                  ("9903.88.03", Decimal("2.5")))
    with pytest.raises(tariffrules.InvalidFactError):
        read_declared("9903.01.25=1;9903.01.25=2")


def test_declaration_files_hold_entry_numbers_only_in_chunks(us, report, tmp_path):
    _, lines = report
    process = process_for(us)
    assert process.max_entries == 9999 and process.header == "Entry Number"  # CSMS #68340863 sec. 1
    paths = write_declarations(lines, tmp_path, attrs.evolve(process, max_entries=1))
    texts = [p.read_bytes().decode() for p in paths]
    assert texts == ["Entry Number\r\nABC12345671\r\n", "Entry Number\r\nABC23456782\r\n"]


def test_cli_refunds(tmp_path, capsys):
    out = tmp_path / "report.csv"
    status = main(["refunds", str(EXAMPLE), str(out), "--on", "2026-05-01", "--declarations", str(tmp_path / "cape"),
                   "--rules", str(US)])
    assert status == 0
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 10 and rows[0]["cape"] == "yes" and rows[4]["route"] == "protest"
    assert (tmp_path / "cape" / "cape_declaration_001.csv").read_text().splitlines() == [
        "Entry Number", "ABC12345671", "ABC23456782"]


def test_rule_set_without_process_says_so(toy):
    with pytest.raises(tariffrules.RuleFileError, match="no refund process"):
        toy.refunds([], on="2026-05-01")


def test_process_file_errors_name_the_field(us, tmp_path):
    text = (US / "refunds" / "cape.toml").read_text().replace('routes = ["nothing"]', 'routes = ["nowhere"]')
    path = tmp_path / "cape.toml"
    path.write_text(text)
    with pytest.raises(tariffrules.RuleFileError) as caught:
        process_for(us, path)
    assert caught.value.field == "routes"
    shutil.rmtree(tmp_path)


def test_changes_list_a_ruling_as_retroactive_only_once_known(us):
    found = [c for c in us.changes("2025-01-31", "2025-02-02", as_of="2026-05-01") if c.kind == "ruling"]
    assert {c.id for c in found} == {"us.ruling.learning_resources", "us.ruling.ieepa_brazil_india"}
    assert all(c.retroactive for c in found)
    assert not [c for c in us.changes("2025-01-31", "2025-02-02", as_of="2026-02-19") if c.kind == "ruling"]


def test_a_levy_on_a_zero_base_is_not_owed(us):
    # 9403.20.00 is an aluminum derivative outside chapter 76 (9903.85.08, HTSUS note 19(k)) and a steel derivative
    # (9903.81.91): with no aluminum in it, the aluminum duty has no base, is on no entry line and is not owed
    rows = [{"entry_number": "ABC-1234567-1", "entry_type": "01", "line_number": "001", "entry_date": "2025-06-10",
             "liquidation_status": "unliquidated", "hts": "9403.20.00", "origin": "CN", "value": "20000",
             "content": "steel=4000;aluminum=0", "declared": "9903.88.03=5000.00;9903.01.24=2000.00;9903.81.91=2000.00"}]
    (line,) = us.refunds(rows, on="2026-05-01")
    assert line.error is None, line.error
    assert "9903.85.08" not in dict(line.owed) and "9903.81.91" in dict(line.owed)

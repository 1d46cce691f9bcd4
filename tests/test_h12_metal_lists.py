"""Issue 12 (h12-data): the 2025 aluminum derivative lists against HTSUS note 19 as printed, list codes that are no
line of the schedule in force (``validate``), and the Korean civil-aircraft relief's declaration groups."""

from __future__ import annotations

import csv
import re
import textwrap
from pathlib import Path

import pytest

import tariffrules
from tariffrules.checks import stale_list_codes

LISTS = Path(tariffrules.__file__).parent / "data" / "us" / "lists"
SHARED = Path("/work/shared/data")
NOTES = SHARED / "chapter99" / "chapter99_2026_rev6.txt"
CURATION = SHARED / "lists" / "s232_derivative_products.csv"
CODE = re.compile(r"\b\d{4}\.\d{2}(?:\.\d{2}(?:\d{2})?)?\b")


def _list(name: str) -> list[str]:
    return [line.split("#")[0].strip() for line in (LISTS / name).read_text().splitlines() if line.split("#")[0].strip()]


def _subdivision(lines: list[str], start: str, stop: str) -> list[str]:
    """The codes of one subdivision of note 19 (the text between ``start`` and ``stop``), heading numbers left out."""
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    out = []
    for line in lines[first:]:
        if out and re.match(stop, line):
            break
        out.append(line)
    return [c for c in CODE.findall(" ".join(out)) if not c.startswith("9903")]


def _rounds(heading: str):
    """code -> the rounds the research curation dates it to ("orig" = Annex 1 of 90 FR 11251), matching its rows
    (prefixes of 8 or 10 digits) that lie over or under the code."""
    rows = [(r["hts_prefix"], r["effective_date"] or "orig") for r in csv.DictReader(CURATION.open())
            if r["ch99_code"] == heading]

    def rounds(code: str) -> set[str]:
        digits = code.replace(".", "")
        return {when for prefix, when in rows if digits.startswith(prefix) or prefix.startswith(digits)}
    return rounds


@pytest.mark.skipif(not (NOTES.exists() and CURATION.exists()), reason="shared source texts not present")
def test_the_2025_aluminum_lists_are_note_19_as_printed_split_by_round():
    lines = NOTES.read_text(encoding="utf-8", errors="replace").splitlines()
    j = _subdivision(lines, "(j) The rates of duty set forth in heading 9903.85.07", r"^(\(k\)|\s*Harmonized)")
    k = _subdivision(lines, "(k) The rates of duty in heading 9903.85.08", r"^For any derivative")
    assert len(j) == 24 and len(k) == 224          # as printed in 2026 Rev. 6
    april = {"2203.00.00", "7612.90.10"}           # the Apr. 4, 2025 round (CBP CSMS #64639013)
    dated_k, dated_j = _rounds("9903.85.08"), _rounds("9903.85.07")
    # a code the curation dates to both rounds (8503.00.95, 9401.99.90) is taken from the later one: never apply a
    # list to a date before it was in force; 8708.10.3050 has no row (its 8708.10.30 rows are note 19(i)): Mar. 12
    aug_k = [c for c in k if "2025-08-18" in dated_k(c)]
    mar_k = [c for c in k if c not in aug_k and ("orig" in dated_k(c) or c == "8708.10.3050")]
    mar_j = [c for c in j if "orig" in dated_j(c)]
    undated_j = [c for c in j if c not in mar_j and c not in april]
    assert _list("s232_aluminum_derivatives_other_2025.txt") == mar_k
    assert _list("s232_aluminum_derivatives_incl_2025-08-18.txt") == aug_k
    assert _list("s232_aluminum_derivatives_ch76_2025.txt") == mar_j
    assert _list("s232_aluminum_derivatives_other_incl_2025-04-04.txt") == ["2203.00.00"]
    assert _list("s232_aluminum_derivatives_ch76_incl_2025-04-04.txt") == ["7612.90.10"]
    gap = next(levy for levy in tariffrules.builtin("us").levies if levy.id == "us.s232.aluminum.derivatives_ch76_undated")
    assert len(undated_j) == 4 and all(gap.versions[0].goods.covers(c.replace(".", "")) for c in undated_j)
    assert not any(gap.versions[0].goods.covers(c.replace(".", "")) for c in mar_j)
    # every code of note 19(k) is on exactly one dated list
    assert sorted(mar_k + aug_k + ["2203.00.00"]) == sorted(k)


RULES = """\
[ruleset]
name = "t"
title = "stale list codes"
zone = "America/New_York"
horizon_start = 2025-01-01
reviewed = 2026-12-31
schedule = { codes = "codes.csv", revisions = [ { name = "r1", start = 2025-01-01 }, { name = "r2", start = 2025-07-01, exact = true } ] }
"""

PROGRAM = """\
[program]
id = "t.duty"
title = "A duty"
authority = "test"
rank = 100

[[levy]]
id = "t.duty.a"
title = "A duty on listed goods"
heading = "9903.00.01"
citation = "test"
rate = "10%"
start = {start}
origins = ["*"]
goods = {goods}
"""


def _rules(tmp_path: Path, goods: str, start: str = "2025-03-01") -> tariffrules.RuleSet:
    (tmp_path / "ruleset.toml").write_text(RULES)
    (tmp_path / "duty.toml").write_text(PROGRAM.format(goods=goods, start=start))
    # 0101.21.00.10 is a line of r1 only; r2 splits it into .20 and .30
    (tmp_path / "codes.csv").write_text("code,in\n01012100,3\n0101210010,1\n0101210020,2\n0101210030,2\n01019000,3\n")
    return tariffrules.load(tmp_path)


def test_a_listed_line_deleted_by_a_later_revision_is_reported(tmp_path):
    rules = _rules(tmp_path, '["0101.21.00.10", "0101.90"]')
    found = rules.stale_list_codes()
    assert [(f.levy, f.code, f.revision, f.excluded) for f in found] == [("t.duty.a", "0101210010", "r2", False)]
    assert "0101.21.00.10 is no line of r2" in found[0].describe()


def test_a_list_naming_the_successors_too_is_not_reported(tmp_path):
    rules = _rules(tmp_path, '["0101.21.00.10", "0101.21.00.20", "0101.21.00.30"]')
    assert rules.stale_list_codes() == ()


def test_a_code_listed_before_it_exists_is_reported_for_the_earlier_revision(tmp_path):
    found = _rules(tmp_path, '["0101.21.00.20"]').stale_list_codes()
    assert [(f.code, f.revision) for f in found] == [("0101210020", "r1")]
    assert _rules(tmp_path, '["0101.21.00.20"]', start="2025-07-01").stale_list_codes() == ()


def test_validate_reports_stale_list_codes(tmp_path, capsys):
    from tariffrules.cli import main

    _rules(tmp_path, '["0101.21.00.10"]')
    main(["validate", str(tmp_path), "--samples", "0"])
    captured = capsys.readouterr()
    assert "1 listed code(s) are no line of the schedule" in captured.out
    assert "0101.21.00.10 is no line of r2" in captured.err


def test_the_us_lists_name_the_successors_of_lines_deleted_in_2026_revision_11():
    us = tariffrules.builtin("us")
    rev11 = {f.code for f in stale_list_codes(us.levies, us.info.schedule) if f.revision == "HTSUS 2026 Revision 11"}
    # left: the lines of 8413.91.90, whose six deleted lines are re-split into ten without a concordance
    assert rev11 == {"8413919010", "8413919055", "8413919060", "8413919085", "8413919096"}


def test_the_korean_2025_civil_aircraft_relief_declares_each_metal_group():
    us = tariffrules.builtin("us")
    groups = {levy.id: levy.versions[0].declaration for levy in us.levies
              if levy.id.startswith("us.s232x.civil_aircraft.kr_metals_2025")}
    assert groups == {
        "us.s232x.civil_aircraft.kr_metals_2025": "s232_steel",
        "us.s232x.civil_aircraft.kr_metals_2025_aluminum": "s232_aluminum",
        "us.s232x.civil_aircraft.kr_metals_2025_aluminum_with_steel": "s232_aluminum",
        "us.s232x.civil_aircraft.kr_metals_2025_copper": "s232_copper",
    }

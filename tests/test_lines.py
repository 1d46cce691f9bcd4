"""Entry summary lines (Resolution.lines), the general and total duty, and their rounding.

Expected values are computed by hand from the toy rule set's files (tests/rules/toy): toy.recip.baseline
10% on the value less US content of at least 20%; toy.sector.steel_derivatives 25% on the steel content
of 7308 and 9401.61 (not 7308.90.30); toy.sector.steel 25% on the full value of chapter 72; the 0% lines
of exemptions.toml (9903.01.33 on the steel content with the derivative levy, 9903.01.34 on US content of
at least 20%); the schedule mfn.csv (7308 and 72: 0%, 9401: 5%); line_order = ["us", "*"]. The filing
order follows CBP: US content first (CSMS #64649265), the non-metal rest before the metal content
(CSMS #65236645).
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from tariffrules.errors import MissingFactError
from tariffrules.lines import REST, entry_lines

BEAM = "7308.10.00"       # a steel derivative (toy.sector.steel_derivatives), general rate 0%
SEAT = "9401.61.40"       # a steel derivative with a 5% general rate
SHEET = "7208.10.15"      # chapter 72: toy.sector.steel on the full value
CAMERA = "8525.89.30"     # only the reciprocal duties


def summary(resolution):
    return [(line.number, line.describe(), line.value, [(l.heading, l.rate, l.duty) for l in line.levies],
             line.general_duty, line.total_duty) for line in resolution.lines]


def test_a_steel_derivative_is_filed_as_the_rest_then_the_steel_content(toy):
    r = toy.resolve(BEAM, "DE", "2025-05-01", value=D(10000), content={"steel": D(4000)})
    assert summary(r) == [
        (1, "value less steel content", D(6000), [("9903.01.25", D(10), D("600.00"))], D("0.00"), D("600.00")),
        (2, "steel content", D(4000), [("9903.01.33", D(0), D("0.00")), ("9903.81.91", D(25), D("1000.00"))],
         D("0.00"), D("1000.00")),
    ]
    assert [line.numbers for line in r.lines] == [("9903.01.25", "7308.10.00"),
                                                  ("9903.01.33", "9903.81.91", "7308.10.00")]
    assert r.duty() == D("1600.00") and r.general_duty() == D("0.00") and r.total_duty() == D("1600.00")


def test_us_content_comes_first_then_the_rest_then_the_metal(toy):
    r = toy.resolve(BEAM, "DE", "2025-05-01", value=D(1000), content={"us": D(300), "steel": D(200)})
    assert summary(r) == [
        (1, "us content", D(300), [("9903.01.34", D(0), D("0.00"))], D("0.00"), D("0.00")),
        (2, "value less steel, us content", D(500), [("9903.01.25", D(10), D("50.00"))], D("0.00"), D("50.00")),
        (3, "steel content", D(200), [("9903.01.33", D(0), D("0.00")), ("9903.81.91", D(25), D("50.00"))],
         D("0.00"), D("50.00")),
    ]


def test_the_filing_order_is_the_rule_sets(toy):
    r = toy.resolve(BEAM, "DE", "2025-05-01", value=D(1000), content={"us": D(300), "steel": D(200)})
    levies, q = r.levies, r.query
    default = entry_lines(levies, q.code, q.value, q.content_map, q.mfn)  # the rest first, kinds by name
    assert [line.describe() for line in default] == ["value less steel, us content", "steel content", "us content"]
    mine = entry_lines(levies, q.code, q.value, q.content_map, q.mfn, ("steel", "us", REST))
    assert [line.describe() for line in mine] == ["steel content", "us content", "value less steel, us content"]


def test_parts_that_carry_the_same_levies_are_one_line(toy):
    # 10% US content is under the 20% floor: the baseline is on the full value, so no US content line
    r = toy.resolve(CAMERA, "DE", "2025-05-01", value=D(1000), content={"us": D(100)})
    assert summary(r) == [(1, "full value", D(1000), [("9903.01.25", D(10), D("100.00"))], D("0.00"),
                           D("100.00"))]
    # steel content of a good no levy rates on its steel: one line
    r = toy.resolve(CAMERA, "DE", "2025-05-01", value=D(1000), content={"steel": D(400)})
    assert [(line.describe(), line.value) for line in r.lines] == [("full value", D(1000))]


def test_a_levy_on_a_zero_base_is_on_no_line(toy):
    r = toy.resolve(BEAM, "DE", "2025-05-01", value=D(1000), content={"steel": D(0)})
    # on no entry line, so not applied either (issue 12: the headings are those of the lines)
    assert "toy.sector.steel_derivatives" not in [levy.id for levy in r.levies]
    assert next(s for s in r.skipped if s.id == "toy.sector.steel_derivatives").reason == "zero_base"
    assert r.headings == ("9903.01.25",)
    assert summary(r) == [(1, "value less steel content", D(1000), [("9903.01.25", D(10), D("100.00"))],
                           D("0.00"), D("100.00"))]
    # all steel: the baseline has nothing left, and there is no rest line
    r = toy.resolve(BEAM, "DE", "2025-05-01", value=D(1000), content={"steel": D(1000)})
    assert [(line.describe(), line.value, line.headings) for line in r.lines] == [
        ("steel content", D(1000), ("9903.01.33", "9903.81.91"))]


def test_without_a_value_the_lines_have_numbers_but_no_money(toy):
    r = toy.resolve(BEAM, "DE", "2025-05-01")
    assert [line.numbers for line in r.lines] == [("9903.01.25", "7308.10.00"),
                                                  ("9903.01.33", "9903.81.91", "7308.10.00")]
    assert all(line.value is None and line.total_duty is None for line in r.lines)
    with pytest.raises(MissingFactError):
        r.duty()
    assert "line 2: steel content, value ?" in r.explain()


def test_the_general_duty_is_per_line(toy):
    # 9401 has a 5% general rate in the toy schedule
    r = toy.resolve(SEAT, "DE", "2025-05-01", value=D(1000), content={"steel": D(400)})
    assert [(line.value, line.general_rate, line.general_duty, line.total_duty) for line in r.lines] == [
        (D(600), D(5), D("30.00"), D("90.00")), (D(400), D(5), D("20.00"), D("120.00"))]
    assert r.duty() == D("160.00") and r.general_duty() == D("50.00") and r.total_duty() == D("210.00")


def test_without_an_ad_valorem_general_rate_the_general_duty_is_asked_for(toy):
    # the toy schedule gives 2709 no ad valorem rate
    r = toy.resolve("2709.00.10", "DE", "2025-05-01", value=D(1000))
    assert r.lines[0].general_rate is None and r.lines[0].total_duty is None
    assert r.duty() == D("0.00")
    with pytest.raises(MissingFactError) as info:
        r.general_duty()
    assert info.value.argument == "mfn"
    assert r.to_dict()["general_duty"] is None and r.to_dict()["total_duty"] is None


def test_each_heading_is_rounded_on_each_line(toy):
    # toy.sector.steel (25%, full value) is on both lines: 5.01 * 25% = 1.2525 -> 1.25 on each, so the
    # entry owes 1.25 + 1.25 + 0.50 (10% of 5.01 = 0.501) = 3.00, not 25% of 10.02 = 2.505 -> 2.51 + 0.50
    r = toy.resolve(SHEET, "DE", "2025-05-01", value=D("10.02"), content={"us": D("5.01")})
    assert [[(l.heading, l.duty) for l in line.levies] for line in r.lines] == [
        [("9903.01.34", D("0.00")), ("9903.80.01", D("1.25"))],
        [("9903.01.25", D("0.50")), ("9903.80.01", D("1.25"))]]
    assert r.duty() == D("3.00")
    # half up to the cent: 10% of 10.05 = 1.005 -> 1.01
    assert toy.resolve(CAMERA, "DE", "2025-05-01", value=D("10.05")).duty() == D("1.01")


def test_duty_on_another_value_uses_its_own_lines(toy):
    r = toy.resolve(BEAM, "DE", "2025-05-01", value=D(1000), content={"steel": D(400)})
    assert r.duty() == D("160.00")              # 10% of 600 + 25% of 400
    assert r.duty(D(2000)) == D("260.00")       # 10% of 1600 + 25% of 400
    assert [line.value for line in r.lines] == [D(600), D(400)]  # the query's lines are unchanged


def test_lines_in_to_dict_explain_and_json(toy):
    r = toy.resolve(BEAM, "DE", "2025-05-01", value=D(10000), content={"steel": D(4000)})
    data = json.loads(json.dumps(r.to_dict()))
    assert [line["numbers"] for line in data["lines"]] == [["9903.01.25", "7308.10.00"],
                                                           ["9903.01.33", "9903.81.91", "7308.10.00"]]
    assert data["lines"][1]["value"] == "4000" and data["lines"][1]["levies"][1]["duty"] == "1000.00"
    assert data["duty"] == "1600.00" and data["general_duty"] == "0.00" and data["total_duty"] == "1600.00"
    text = r.explain()
    assert "line 1: value less steel content, value 6000" in text
    assert "9903.81.91   25% = 1000.00  toy.sector.steel_derivatives" in text


def test_lines_are_computed_once_and_do_not_change_equality(toy):
    query = toy.query(BEAM, "DE", "2025-05-01", value="1000", content={"steel": "400"})
    first, second = toy.resolve_query(query), toy.resolve_query(query)
    assert first.lines is first.lines
    assert first == second


# -- command line -------------------------------------------------------------------------------------------
def test_resolve_lines_prints_one_row_group_per_line(capsys):
    from tariffrules.cli import main
    from test_cli import TOY

    assert main(["resolve", BEAM, "DE", "2025-05-01", "--value", "10000", "--content", "steel=4000", "--lines",
                 "--rules", TOY]) == 0
    out = capsys.readouterr().out
    section = out[out.index("Entry lines"):].split("\n\n")[0]  # the table, up to the next section
    rows = [row.split() for row in section.splitlines()[3:]]
    assert rows == [["1", "value", "less", "steel", "content", "6000", "9903.01.25", "10%", "600.00",
                     "toy.recip.baseline"],
                    ["7308.10.00", "0%", "0.00", "general", "duty"], ["600.00", "line", "total"],
                    ["2", "steel", "content", "4000", "9903.01.33", "0%", "0.00", "toy.exempt.sector"],
                    ["9903.81.91", "25%", "1000.00", "toy.sector.steel_derivatives"],
                    ["7308.10.00", "0%", "0.00", "general", "duty"], ["1000.00", "line", "total"]]


def test_batch_lines_gives_a_row_per_entry_line_keyed_to_the_input_row(capsys, tmp_path):
    import csv

    from tariffrules.cli import main
    from test_cli import TOY

    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("hts,origin,when,value,content\n"
                      f"{BEAM},DE,2025-05-01,10000,steel=4000\n"
                      "8525,DE,2025-05-01,100,\n"                    # malformed code: one row, with its error
                      f"{CAMERA},DE,2025-05-01,100,\n")
    assert main(["batch", str(source), str(target), "--lines", "--rules", TOY]) == 0
    rows = list(csv.DictReader(open(target, newline="")))
    assert [(r["row"], r["line"], r["slice"], r["line_value"], r["numbers"], r["rates"], r["duties"],
             r["line_duty"], bool(r["error"])) for r in rows] == [
        ("1", "1", "value less steel content", "6000", "9903.01.25 7308.10.00", "10 0", "600.00 0.00", "600.00",
         False),
        ("1", "2", "steel content", "4000", "9903.01.33 9903.81.91 7308.10.00", "0 25 0", "0.00 1000.00 0.00",
         "1000.00", False),
        ("2", "", "", "", "", "", "", "", True),
        ("3", "1", "full value", "100", "9903.01.25 8525.89.30", "10 0", "10.00 0.00", "10.00", False)]
    assert rows[0]["duty"] == rows[1]["duty"] == "1600.00"  # the entry's columns repeat on each of its lines
    assert "3 row(s) (4 entry line rows)" in capsys.readouterr().err


def test_us_steel_derivative_is_two_lines(us):
    # 7308.90.95 is a steel derivative of chapter 73 on 2025-07-01: the Section 232 duty on the steel content
    # (9903.81.xx) and the reciprocal baseline 9903.01.25 on the rest, which is not on the steel content
    # (EO 14257 as amended, sec. 3(c); CSMS #65236645 for the two lines: the non-metal line first)
    r = us.resolve("7308.90.95", "DE", "2025-07-01", value=D(10000), content={"steel": D(4000)})
    first, second = r.lines
    assert (first.value, second.value) == (D(6000), D(4000))
    assert "9903.01.25" in first.numbers and first.numbers[-1] == second.numbers[-1] == "7308.90.95"
    assert "9903.01.25" not in second.numbers and any(h.startswith("9903.81.") for h in second.headings)


def test_content_given_as_the_whole_value_makes_other_kinds_worth_nothing(toy):
    # found by the toy invariant test: US content equal to the value leaves no room for steel content (a query
    # refuses content above the value), so the steel line and the rest are worth 0 and on no line, and the
    # total is known: the baseline's base (value less US content of at least 20%) is 0, the steel content is 0
    r = toy.resolve(BEAM, "CN", "2025-04-05", value=D("0.01"), content={"us": D("0.01")})
    assert [(line.describe(), line.value) for line in r.lines] == [("us content", D("0.01"))]
    assert r.duty() == D("0.00")
    from tariffrules.declarations import violations
    assert violations(toy, r) == ()


def test_content_short_of_the_value_leaves_an_unknown_kind_unknown(toy):
    r = toy.resolve(BEAM, "CN", "2025-04-05", value=D("100"), content={"us": D("30")})
    assert [line.value for line in r.lines if line.describe() == "steel content"] == [None]
    with pytest.raises(MissingFactError):
        r.duty()

"""The general (chapters 1-97) rate: column 1, column 2 (General Note 3(b)) or a claimed special rate.

Expected rates are read from the USITC HTS exports in shared/data/hts (HTS 2026 Revision 10, the revision
mfn.csv is built from; the 2025 basic edition prints the same text for the lines used here), line by line:

* 8481.80.50 (valves, other): general "3%", special "Free (A*,AU,B,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",
  column 2 "45%".
* 8704.21.01 (trucks): general "25%", special "Free (A+,AU,B,...,S,SG)25% (KR)", column 2 "25%".
* 0603.12.70 (carnations): general "6.4%", special "Free (A,AU,...,S,SG) 3.2% (JP)", column 2 "40%".
* 1701.91.44 (sugar): general "6%", special "Free (OM,PE,S)", column 2 "20%".
* 7308.90.95 (structures of steel, other): general "Free", special empty, column 2 "45%".
* 0401.40.25 (milk): general specific (cents/liter), special "... See 9822.04.05 (AU) ...".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tariffrules.errors import InvalidFactError, MissingFactError, RuleFileError
from tariffrules.general_rate import GeneralRules, general_rate, read_general
from tariffrules.rate_columns import SpecialFieldError, ad_valorem, build_table, special_rates

WHEN = "2025-06-01"


# -- the parser -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,percent", [
    ("Free", D(0)), ("6.8%", D("6.8")), (" 25% ", D(25)), ("0.9%", D("0.9")),
    ("4.4¢/kg", None), ("5.5¢/kg + 2%", None), ("$1.104/kg + 14.9%", None), ("See 9822.04.25", None), ("", None),
])
def test_ad_valorem_rates_are_exact_and_other_rates_are_none(text, percent):
    assert ad_valorem(text) == percent


def test_a_special_field_with_two_rates_glued_together():
    # HTS 2026 Rev. 10 prints "...,S,SG)2.7% (JP)" without a space
    rates = special_rates("Free (A,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)2.7% (JP)")
    assert rates[0] == ("A", D(0), "Free") and rates[-1] == ("JP", D("2.7"), "2.7%")
    assert [name for name, _, _ in rates][:3] == ["A", "AU", "BH"] and len(rates) == 18


def test_spaces_inside_the_indicators_and_marked_indicators():
    rates = dict((name, rate) for name, rate, _ in special_rates("Free (A+,AU,BH, CL,CO,E*, IL,JO,KR, MA,OM,P, SG)"))
    assert rates["CL"] == D(0) and rates["E*"] == D(0) and rates["A+"] == D(0) and "E" not in rates


def test_a_reference_to_another_heading_is_a_rate_without_a_percent():
    rates = special_rates("Free (BH,CL,CO,JO,KR,MA,OM,P,P+,PA,PE,SG) See 9822.04.05 (AU) See 9823.01.01-9823.01.07 (S+)")
    assert ("AU", None, "See 9822.04.05") in rates and ("S+", None, "See 9823.01.01-9823.01.07") in rates


def test_a_reference_with_several_headings_and_no_space_before_the_parenthesis():
    rates = special_rates("Free (BH,SG) See 9918.04.60, 9918.04.61 (CO) See 9822.03.01(MA)")
    assert rates[-2:] == (("CO", None, "See 9918.04.60, 9918.04.61"), ("MA", None, "See 9822.03.01"))


def test_an_indicator_repeated_with_the_same_rate_is_read_once():
    # HTS 2026 Rev. 10 prints "...,JO,L,KR,L,MA,..." on some lines
    rates = special_rates("Free (A,AU,L,KR,L,MA)")
    assert [name for name, _, _ in rates] == ["A", "AU", "L", "KR", "MA"]


@pytest.mark.parametrize("text", [
    "Free (PA (PA)",                       # unbalanced, as printed on one line of Rev. 10
    "Free (AU) 2% (AU)",                   # one indicator, two rates
    "Free",                                # a rate without indicators
    "Free (au)",                           # not an indicator
    "(AU)",                                # indicators without a rate
])
def test_unreadable_special_fields_are_refused(text):
    with pytest.raises(SpecialFieldError):
        special_rates(text)


def test_an_empty_special_field_lists_nothing():
    assert special_rates("") == () and special_rates("  ") == ()


def test_the_table_build_keeps_a_column_only_where_the_statistical_lines_agree(tmp_path):
    import gzip

    path = tmp_path / "lines.csv.gz"
    head = "htsno,hts8,general,special,other\n"
    rows = ("0101.30.00.00,01013000,6.8%,Free (AU),15%\n"
            "0102.90.00.10,01029000,1¢/kg,Free (AU),5%\n0102.90.00.20,01029000,1¢/kg,Free (AU),6%\n"
            "9903.01.25,99030125,+ 10%,,\n")
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(head + rows)
    assert build_table([str(path)]) == [("01013000", "6.8", "15%", "Free (AU)"), ("01029000", "", "", "Free (AU)")]


# -- the built-in US rule set -------------------------------------------------------------------------------------
def rate(us, code, origin, when=WHEN, **facts):
    query = us.resolve(code, origin, when, **facts).query
    return query.mfn, query.mfn_from


def test_without_a_claim_a_canadian_good_pays_the_column_1_rate(us):
    assert rate(us, "8481.80.50", "CA") == (D(3), "column 1")


def test_a_usmca_claim_gives_the_special_rate_s(us):
    assert rate(us, "8481.80.50", "CA", usmca=True) == (D(0), "special S (USMCA)")
    assert rate(us, "8481.80.50", "MX", usmca=True) == (D(0), "special S (USMCA)")


def test_the_general_duty_and_total_of_a_claimed_good(us):
    plain = us.resolve("8481.80.50", "CA", WHEN, value=D(1000))
    claimed = us.resolve("8481.80.50", "CA", WHEN, value=D(1000), usmca=True)
    assert plain.general_duty() == D("30.00") and claimed.general_duty() == D("0.00")
    assert [line.general_rate for line in claimed.lines] == [D(0)]
    assert claimed.to_dict()["query"]["mfn_from"] == "special S (USMCA)"
    assert "general rate: 0% (special S (USMCA))" in claimed.explain()


@pytest.mark.parametrize("origin", ["RU", "BY", "CU", "KP"])
def test_goods_of_column_2_countries_pay_the_column_2_rate(us, origin):
    # HTSUS General Note 3(b); Pub. L. 117-110 for Russia and Belarus (from Apr. 9, 2022)
    assert rate(us, "8481.80.50", origin) == (D(45), "column 2 (General Note 3(b))")
    assert us.resolve("8481.80.50", origin, WHEN, value=D(1000)).general_duty() == D("450.00")


def test_a_free_column_1_line_is_not_free_in_column_2(us):
    assert rate(us, "7308.90.95", "DE") == (D(0), "column 1")
    assert rate(us, "7308.90.95", "RU") == (D(45), "column 2 (General Note 3(b))")


def test_a_korus_claim_gives_the_line_s_kr_rate(us):
    assert rate(us, "8481.80.50", "KR", spi="KR") == (D(0), "special KR (KORUS)")
    assert rate(us, "8704.21.01", "KR", spi="KR") == (D(25), "special KR (KORUS)")  # "25% (KR)", not Free


def test_a_japan_claim_gives_the_line_s_jp_rate(us):
    assert rate(us, "0603.12.70", "JP", spi="JP") == (D("3.2"), "special JP (US-Japan Trade Agreement)")
    assert rate(us, "0603.12.70", "JP") == (D("6.4"), "column 1")


def test_a_cafta_dr_claim_covers_each_member(us):
    for origin in ("CR", "DO", "SV", "GT", "HN", "NI"):
        assert rate(us, "8481.80.50", origin, spi="P") == (D(0), "special P (CAFTA-DR)")


def test_the_korean_all_in_rate_follows_the_claimed_special_rate(us):
    # CSMS #66987366: from Nov. 14, 2025 the combined "Column 1 (General or Special, whichever is applicable)" and
    # reciprocal rate of a product of South Korea is 15% (heading 9903.02.80); SPI "KR" selects the special rate
    plain = us.resolve("8481.80.50", "KR", "2025-12-01", value=D(1000))
    claimed = us.resolve("8481.80.50", "KR", "2025-12-01", value=D(1000), spi="KR")
    assert plain.headings == claimed.headings == ("9903.02.80",)
    assert (plain.rate, plain.general_duty()) == (D(12), D("30.00"))
    assert (claimed.rate, claimed.general_duty()) == (D(15), D("0.00"))
    assert plain.total_duty() == claimed.total_duty() == D("150.00")


def test_a_claim_for_an_origin_the_program_does_not_cover_is_an_error(us):
    with pytest.raises(InvalidFactError, match=r"KORUS \(KR\) for 8481\.80\.50 from DE.*does not cover.*KR"):
        us.resolve("8481.80.50", "DE", WHEN, spi="KR")
    with pytest.raises(InvalidFactError, match="USMCA"):
        us.resolve("8481.80.50", "JP", WHEN, usmca=True)


def test_a_claim_the_line_does_not_list_is_an_error_naming_what_it_lists(us):
    with pytest.raises(InvalidFactError, match=r"1701\.91\.44.*lists OM, PE, S"):
        us.resolve("1701.91.44", "KR", WHEN, spi="KR")


def test_a_claim_on_a_free_line_changes_nothing(us):
    assert rate(us, "7308.90.95", "CA", usmca=True) == (D(0), "column 1")


def test_two_claims_on_one_line_are_an_error(us):
    with pytest.raises(InvalidFactError, match="one special program"):
        us.resolve("8481.80.50", "CA", WHEN, usmca=True, spi="KR")


def test_a_special_rate_that_is_a_reference_leaves_the_general_duty_to_the_caller(us):
    resolution = us.resolve("0401.40.25", "AU", WHEN, spi="AU", value=D(1000))
    assert (resolution.query.mfn, resolution.query.mfn_from) == (None, "special AU (Australia FTA)")
    with pytest.raises(MissingFactError, match="mfn"):
        resolution.general_duty()


def test_the_caller_s_mfn_wins(us):
    assert rate(us, "8481.80.50", "RU", mfn=D("3")) == (D(3), "query")
    assert rate(us, "8481.80.50", "CA", usmca=True, mfn=D("3")) == (D(3), "query")


def test_an_unknown_program_choice_is_refused(us):
    with pytest.raises(InvalidFactError, match="spi"):
        us.resolve("8481.80.50", "KR", WHEN, spi="XX")


def test_resolve_lines_shows_the_claimed_general_rate(capsys):
    from tariffrules.cli import main

    assert main(["resolve", "8481.80.50", "CA", WHEN, "--usmca", "--value", "1000", "--lines"]) == 0
    out = capsys.readouterr().out
    assert "general rate: 0% (special S (USMCA))" in out and "General duty: 0.00" in out


def test_the_arrow_path_checks_a_claim_per_origin(us):
    pa = pytest.importorskip("pyarrow")
    origins = ("AU", "NZ", "DE", "FR", "AU")
    rows = [{"hts": "8481.80.50", "origin": origin, "when": WHEN, "value": "1000", "spi": "AU"} for origin in origins]
    errors = us.resolve_table(pa.Table.from_pylist(rows)).column("error").to_pylist()
    assert errors[0] is None and errors[4] is None
    for origin, error in zip(origins[1:4], errors[1:4]):  # each row's own error, naming its own origin
        assert error.startswith("InvalidFactError") and f"from {origin} " in error


# -- the rules as data --------------------------------------------------------------------------------------------
ZONE = dt.timezone.utc


def test_rules_without_general_data_keep_the_schedule_rate():
    assert general_rate(None, "84818050", "RU", dt.datetime(2025, 1, 1, tzinfo=ZONE), {}, (True, D(3))) == \
        (D(3), "schedule")


def test_a_column_2_group_applies_only_inside_its_period():
    rules = read_general({"column2": [{"origins": ["RU"], "start": dt.date(2022, 4, 9), "source": "GN 3(b)",
                                       "citation": "Pub. L. 117-110"}]}, "r.toml", ZONE, {},
                         {"84818050": "45%"}, {"84818050": ""})
    before, after = dt.datetime(2022, 4, 8, tzinfo=ZONE), dt.datetime(2022, 4, 9, tzinfo=ZONE)
    assert general_rate(rules, "84818050", "RU", before, {}, (True, D(3))) == (D(3), "column 1")
    assert general_rate(rules, "84818050", "RU", after, {}, (True, D(3))) == (D(45), "column 2 (GN 3(b))")


@pytest.mark.parametrize("raw,field", [
    ({"programs": [{"name": "X", "fact": "nope", "value": True, "indicators": ["S"], "origins": ["CA"],
                    "citation": "c"}]}, "fact"),
    ({"programs": [{"name": "X", "fact": "usmca", "value": "yes", "indicators": ["S"], "origins": ["CA"],
                    "citation": "c"}]}, "value"),
    ({"programs": [{"name": "X", "fact": "usmca", "value": True, "indicators": [], "origins": ["CA"],
                    "citation": "c"}]}, "indicators"),
    ({"column2": [{"origins": ["Russia"], "source": "s", "citation": "c"}]}, "origins"),
    ({"column2": [{"origins": ["RU"], "source": "s"}]}, "column2"),
    ({"other": 1}, "general"),
])
def test_malformed_general_tables_are_rule_file_errors(us, raw, field):
    facts = {f.name: f for f in us.info.facts}
    with pytest.raises(RuleFileError, match=field):
        read_general(raw, "r.toml", ZONE, facts, {}, {})


def test_the_us_rule_set_names_its_programs_and_column_2_groups_in_data(us):
    general = us.info.general
    assert isinstance(general, GeneralRules)
    assert general.column2_origins == {"BY", "CU", "KP", "RU"}
    assert general.claim_facts == {"usmca", "spi"}
    assert len(general.special) == len(general.other) == len(us.mfn) == 11414


def test_batch_lines_carry_the_general_rate_each_row_claims(us):
    from tariffrules.tabular import resolve_rows

    rows = [{"hts": "8481.80.50", "origin": "CA", "when": WHEN, "value": "1000", "usmca": usmca}
            for usmca in ("yes", "no")] + [{"hts": "8481.80.50", "origin": "RU", "when": WHEN, "value": "1000"},
                                          {"hts": "8481.80.50", "origin": "DE", "when": WHEN, "spi": "KR"}]
    out = list(resolve_rows(us, rows, lines=True))
    assert [row["rates"].split()[-1] for row in out[:3]] == ["0", "3", "45"]
    assert [row["duties"].split()[-1] for row in out[:3]] == ["0.00", "30.00", "450.00"]
    assert out[3]["error"].startswith("InvalidFactError") and "KORUS" in out[3]["error"]


def test_the_general_rules_are_read_only_and_pickle(us):
    import pickle

    general = us.info.general
    with pytest.raises(TypeError):
        general.special["84818050"] = "Free (XX)"
    copy = pickle.loads(pickle.dumps(general))
    assert copy == general and dict(copy.special) == dict(general.special) and copy.claim_facts == general.claim_facts

from decimal import Decimal as D

import pytest

from tariffrules.rates import Base, Portion, Rate, parse_percent, round_money

WHOLE = Portion(True)
STEEL = Portion(False, frozenset({"steel"}))


@pytest.mark.parametrize("text,expected", [("25%", D(25)), ("7.5 %", D("7.5")), ("0%", D(0))])
def test_parse_percent(text, expected):
    assert parse_percent(text) == expected


@pytest.mark.parametrize("text", ["25", "-5%", "abc%", 25, None, "nan%"])
def test_parse_percent_rejects(text):
    assert parse_percent(text) is None


def test_all_in_rate_tops_up_to_the_ceiling_and_never_goes_negative():
    rate = Rate(D(15), all_in=True)
    assert rate.effective(D("2.5")) == D("12.5")
    assert rate.effective(D(20)) == D(0)
    assert rate.effective(None) is None
    assert Rate(D(25)).effective(None) == D(25)


def test_round_money_half_up():
    assert round_money(D("0.005")) == D("0.01")
    assert round_money(D("1.234")) == D("1.23")


def test_portion_algebra():
    less_steel = WHOLE.minus(STEEL)
    assert less_steel == Portion(True, frozenset({"steel"}))
    assert less_steel.minus(WHOLE).is_empty
    assert STEEL.minus(less_steel) == STEEL
    assert STEEL.minus(WHOLE).is_empty
    assert Portion(True, frozenset({"al"})).minus(less_steel) == Portion(False, frozenset({"steel"}))


def test_portion_amounts():
    content = {"steel": D(300), "us": D(100)}
    assert WHOLE.amount(D(1000), content) == D(1000)
    assert WHOLE.minus(STEEL).amount(D(1000), content) == D(700)
    assert STEEL.amount(None, content) == D(300)
    assert Portion(False, frozenset({"copper"})).amount(D(1000), content) is None
    assert WHOLE.amount(None, content) is None


def test_base_min_share_subtracts_only_above_the_threshold():
    base = Base(less=("us",), min_share=(("us", D(20)),))
    assert base.portion(D(1000), {"us": D(200)}) == Portion(True, frozenset({"us"}))
    assert base.portion(D(1000), {"us": D(199)}) == WHOLE
    assert base.portion(None, {"us": D(200)}) == WHOLE
    assert Base(content="steel").portion(None, {}) == STEEL
    assert "if at least 20% of value" in base.describe()


def test_content_amounts_reads_missing_kinds_as_zero_only_when_the_given_kinds_make_the_whole_value():
    from tariffrules.rates import content_amounts

    d = D
    # steel 600 + aluminum 400 make the whole value 1000: copper, not given, is worth 0
    assert content_amounts({"steel", "copper"}, d("1000"), {"steel": d("600"), "aluminum": d("400")}) == {
        "steel": d("600"), "copper": d("0")}
    # steel 600 of 1000: the other 400 may be copper, so copper is unknown
    assert content_amounts({"steel", "copper"}, d("1000"), {"steel": d("600")}) == {
        "steel": d("600"), "copper": None}
    # no value given: nothing not given can be known
    assert content_amounts({"copper"}, None, {"steel": d("0")}) == {"copper": None}
    # a zero value with no content: every kind is worth 0
    assert content_amounts({"copper"}, d("0"), {}) == {"copper": d("0")}


def test_portion_amount_of_a_kind_not_given():
    d = D
    copper = Portion(False, frozenset({"copper"}))
    content = {"steel": d("1000")}
    assert copper.amount(d("1000"), content) == d("0")
    assert copper.amount(d("2000"), content) is None

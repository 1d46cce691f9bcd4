import datetime as dt
from decimal import Decimal as D

from tariffrules.conditions import AllOf, AnyOf, Compare

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 4, 5, 4, 1, tzinfo=UTC)


def lookup_from(facts):
    return facts.get


def test_missing_fact_never_holds():
    assert not Compare(fact="loaded", op="before", operand=T0).holds(lookup_from({}))
    assert not Compare(fact="content.us", op="share_at_least", operand=D(20)).holds(lookup_from({"content.us": D(1)}))


def test_comparisons():
    facts = lookup_from({"loaded": T0 - dt.timedelta(minutes=1), "value": D(100), "content.us": D(20),
                         "usmca": True})
    assert Compare(fact="loaded", op="before", operand=T0).holds(facts)
    assert not Compare(fact="loaded", op="on_or_after", operand=T0).holds(facts)
    assert Compare(fact="value", op="at_least", operand=D(100)).holds(facts)
    assert not Compare(fact="value", op="below", operand=D(100)).holds(facts)
    assert Compare(fact="content.us", op="share_at_least", operand=D(20)).holds(facts)
    assert not Compare(fact="content.us", op="share_below", operand=D(20)).holds(facts)
    assert Compare(fact="usmca", op="is", operand=True).holds(facts)


def test_combinators_and_instants():
    a = Compare(fact="entered", op="before", operand=T0)
    b = Compare(fact="usmca", op="is", operand=True, note="claimed")
    facts = lookup_from({"entered": T0, "usmca": True})
    assert not AllOf(items=(a, b)).holds(facts)
    assert AnyOf(items=(a, b)).holds(facts)
    assert AllOf(items=(a, b)).instants() == (T0,)
    assert "usmca is true (claimed)" in AnyOf(items=(a, b)).describe()


def test_share_of_several_content_kinds_together():
    # the 20% US-content test of HTSUS ch. 99 note 2(v)(xvii) counts the 9802.00.80 US components with the rest of
    # the US content: 10 + 15 of 100 is 25%, though neither part reaches 20% alone
    summed = Compare(fact="content.us", op="share_at_least", operand=D(20), plus=("content.ch98_nondutiable",))
    facts = lookup_from({"value": D(100), "content.us": D(10), "content.ch98_nondutiable": D(15)})
    assert summed.holds(facts)
    assert not Compare(fact="content.us", op="share_at_least", operand=D(20)).holds(facts)
    # a kind not given counts as 0; none given: does not hold
    assert summed.holds(lookup_from({"value": D(100), "content.ch98_nondutiable": D(20)}))
    assert not summed.holds(lookup_from({"value": D(100), "content.ch98_nondutiable": D(19)}))
    assert not summed.holds(lookup_from({"value": D(100)}))
    assert "content.us + content.ch98_nondutiable share of value at least 20%" in summed.describe()

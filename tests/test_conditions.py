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

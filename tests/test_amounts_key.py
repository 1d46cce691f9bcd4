"""The memo's amounts key: lines share a key only when the same subsets of their content amounts add up to
the customs value (what decides whether an excluded part leaves nothing)."""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from hypothesis import given, strategies as st

from tariffrules.engine import _amounts_key

amount = st.sampled_from([Decimal(n) for n in (0, 1, 2, 3, 5, 10)])


def _subsets_at_value(amounts, value):
    return sorted(sum(1 << i for i in chosen) for size in range(len(amounts) + 1)
                  for chosen in combinations(range(len(amounts)), size)
                  if sum((amounts[i] for i in chosen), Decimal(0)) == value)


@given(st.lists(amount, max_size=6), st.lists(amount, max_size=6), st.none() | amount, st.none() | amount)
def test_equal_keys_mean_equal_subsets_at_the_value(first, second, v1, v2):
    """Whatever the amounts (within the reader's bounds or not), two lines with one key have the same kinds,
    the same zero amounts and the same subsets adding up to the value."""
    one = tuple((f"k{i}", a) for i, a in enumerate(first))
    two = tuple((f"k{i}", a) for i, a in enumerate(second))
    if _amounts_key(v1, one) != _amounts_key(v2, two):
        return
    assert [k for k, _ in one] == [k for k, _ in two]
    assert [a == 0 for a in first] == [a == 0 for a in second]
    assert (v1 is None) == (v2 is None)
    if v1 is not None:
        assert _subsets_at_value(first, v1) == _subsets_at_value(second, v2)


@given(st.lists(amount, min_size=1, max_size=6), amount)
def test_amounts_within_the_value_key_on_zero_flags_and_the_total(amounts, value):
    content = tuple((f"k{i}", a) for i, a in enumerate(amounts))
    kinds, zero, whole = _amounts_key(value, content)
    assert kinds == tuple(k for k, _ in content) and zero == tuple(a == 0 for a in amounts)
    if sum(amounts) <= value:
        assert whole is (sum(amounts) == value)
    else:  # beyond the reader's bounds: the subsets themselves
        assert sorted(whole) == _subsets_at_value(amounts, value)


def test_same_pattern_other_amounts_share_a_key():
    # 1000 split as 300 steel + 700 rest and 250 steel + 750 rest: the same key; all of it steel: another
    assert _amounts_key(Decimal(1000), (("steel", Decimal(300)),)) == \
        _amounts_key(Decimal(2000), (("steel", Decimal(250)),))
    assert _amounts_key(Decimal(1000), (("steel", Decimal(1000)),)) != \
        _amounts_key(Decimal(1000), (("steel", Decimal(300)),))

"""The memo's amounts key: which subsets of the content amounts add up to the customs value."""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from hypothesis import given, strategies as st

from tariffrules.engine import _amounts_key

amount = st.sampled_from([Decimal(n) for n in (0, 1, 2, 3, 5, 10)])


@given(st.lists(amount, max_size=6), st.none() | amount)
def test_whole_lists_exactly_the_subsets_that_add_up_to_the_value(amounts, value):
    content = tuple((f"k{i}", a) for i, a in enumerate(amounts))
    kinds, zero, whole = _amounts_key(value, content)
    assert kinds == tuple(k for k, _ in content)
    assert zero == tuple(a == 0 for a in amounts)
    if value is None:
        assert whole is None
        return
    expected = sorted(sum(1 << i for i in chosen) for size in range(len(amounts) + 1)
                      for chosen in combinations(range(len(amounts)), size)
                      if sum((amounts[i] for i in chosen), Decimal(0)) == value)
    assert sorted(whole) == expected

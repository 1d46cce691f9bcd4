"""Generated bad queries raise the documented QueryError subclass, naming the bad argument.

One argument at a time is broken; the others come from the valid query
strategies, so the error can only be about the broken one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import tariffrules
from tariffrules.errors import (HorizonError, InvalidCodeError, InvalidFactError, InvalidInstantError,
                                QueryError, StaleRulesError, UnknownCountryError, UnknownFactError)
from tariffrules.geo import iso_countries
from tariffrules.query import NO_WORDS, YES_WORDS
from tariffrules.testing import QueryCase, queries

RULES = tariffrules.load(Path(__file__).resolve().parent.parent / "rules" / "toy")
VALID = queries(RULES, facts=False)
UTC = dt.timezone.utc


def _raises(case: QueryCase, error: type[QueryError], argument: str) -> QueryError:
    with pytest.raises(error) as caught:
        case.resolve(RULES)
    assert caught.value.argument == argument, str(caught.value)
    assert str(caught.value).startswith(f"{argument}="), str(caught.value)
    return caught.value


def _is_valid_code(text: object) -> bool:
    if not isinstance(text, str):
        return False
    digits = text.strip().replace(".", "")
    return digits.isascii() and digits.isdigit() and len(digits) in RULES.info.code_lengths


bad_codes = st.one_of(
    st.text(max_size=14),
    st.text(alphabet="0123456789.", max_size=14),
    st.text(alphabet="0123456789", max_size=14).map(lambda digits: digits + "x"),
    st.sampled_from([None, 87032301, 8703.2301, b"87032301", ["8703"], "８７０３２３０１"]),
).filter(lambda text: not _is_valid_code(text))


@given(case=VALID, hts=bad_codes)
def test_malformed_codes_raise_invalid_code_error(case, hts):
    _raises(QueryCase(hts=hts, origin=case.origin, when=case.when), InvalidCodeError, "hts")


bad_origins = st.one_of(st.text(max_size=4), st.sampled_from([None, 1, "EU", "UK", "@EU", ("J", "P")])).filter(
    lambda text: not (isinstance(text, str) and text.strip().upper() in iso_countries()))


@given(case=VALID, origin=bad_origins)
def test_unknown_countries_raise_unknown_country_error(case, origin):
    _raises(QueryCase(hts=case.hts, origin=origin, when=case.when), UnknownCountryError, "origin")


@given(case=VALID, when=st.datetimes(min_value=dt.datetime(2025, 1, 2), max_value=dt.datetime(2026, 12, 30)),
       as_text=st.booleans())
def test_naive_entry_times_raise_invalid_instant_error(case, when, as_text):
    _raises(QueryCase(hts=case.hts, origin=case.origin, when=when.isoformat() if as_text else when),
            InvalidInstantError, "when")


@given(case=VALID, loaded=st.datetimes(max_value=dt.datetime(2026, 12, 30)))
def test_naive_loading_times_raise_invalid_instant_error(case, loaded):
    _raises(QueryCase(hts=case.hts, origin=case.origin, when=case.when, facts=(("loaded", loaded),)),
            InvalidInstantError, "loaded")


@given(case=VALID, before=st.integers(1, 10**7), bare=st.booleans())
def test_entries_before_the_horizon_raise_horizon_error(case, before, bare):
    instant = RULES.info.horizon_start - dt.timedelta(seconds=before)
    when = instant.astimezone(RULES.info.zone).date() - dt.timedelta(days=1) if bare else instant.astimezone(UTC)
    error = _raises(QueryCase(hts=case.hts, origin=case.origin, when=when), HorizonError, "when")
    assert not isinstance(error, StaleRulesError)


@given(case=VALID, after=st.integers(0, 10**8), bare=st.booleans())
def test_entries_after_the_review_raise_stale_rules_error(case, after, bare):
    instant = RULES.info.stale_from + dt.timedelta(seconds=after)
    when = RULES.info.reviewed + dt.timedelta(days=1 + after // 86_400) if bare else instant
    _raises(QueryCase(hts=case.hts, origin=case.origin, when=when), StaleRulesError, "when")
    assert case.query(RULES) is not None  # the same line inside the horizon is fine


negative = st.one_of(st.integers(max_value=-1), st.decimals(max_value=Decimal("-0.01"), allow_nan=False,
                                                              allow_infinity=False, places=2))


@given(case=VALID, amount=negative, fact=st.sampled_from(["value", "mfn"]))
def test_negative_amounts_raise_invalid_fact_error(case, amount, fact):
    _raises(QueryCase(hts=case.hts, origin=case.origin, when=case.when, facts=((fact, amount),)),
            InvalidFactError, fact)


@given(case=VALID, amount=negative)
def test_negative_content_raises_invalid_fact_error(case, amount):
    facts = (("content", (("steel", amount),)),)
    _raises(QueryCase(hts=case.hts, origin=case.origin, when=case.when, facts=facts), InvalidFactError,
            "content[steel]")


@given(case=VALID, value=st.integers(0, 10**6), over=st.integers(1, 10**6), split=st.integers(0, 10**6))
def test_content_above_the_value_raises_invalid_fact_error(case, value, over, split):
    steel = min(split, value + over)
    facts = (("value", value), ("content", (("steel", steel), ("us", value + over - steel))))
    _raises(QueryCase(hts=case.hts, origin=case.origin, when=case.when, facts=facts), InvalidFactError, "content")


@given(case=VALID, amount=st.floats(allow_nan=False), fact=st.sampled_from(["value", "mfn"]))
def test_floats_for_money_raise_invalid_fact_error(case, amount, fact):
    _raises(QueryCase(hts=case.hts, origin=case.origin, when=case.when, facts=((fact, amount),)),
            InvalidFactError, fact)


@given(case=VALID, name=st.from_regex(r"[a-z_]{1,12}", fullmatch=True), raw=st.booleans())
def test_undeclared_facts_raise_unknown_fact_error(case, name, raw):
    if name in ("value", "mfn", "loaded", "content") or name in {f.name for f in RULES.info.facts}:
        return
    _raises(QueryCase(hts=case.hts, origin=case.origin, when=case.when, facts=((name, raw),)), UnknownFactError, name)


@given(case=VALID, raw=st.one_of(st.text().filter(lambda t: t.strip().lower() not in YES_WORDS + NO_WORDS),
                                   st.integers(), st.none().map(lambda _: 0.5)))
def test_declared_flags_of_the_wrong_type_raise_invalid_fact_error(case, raw):
    # the yes/no words (YES_WORDS, NO_WORDS: any case, spaces around) are the one documented text form of a flag
    _raises(QueryCase(hts=case.hts, origin=case.origin, when=case.when, facts=(("usmca", raw),)),
            InvalidFactError, "usmca")

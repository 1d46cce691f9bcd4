"""The toolkit itself: strategies draw what they promise, invariants can fail, profiles switch, TOML round-trips."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, find, given, settings, strategies as st

import tariffrules
from tariffrules import reference
from tariffrules.testing import (INVARIANTS, Context, InvariantViolation, QueryCase, amounts, check_case,
                                 check_rule_set,
                                 content_amounts,
                                 entry_dates, entry_instants, hts_codes, load_profile, origins, queries,
                                 scoped_codes, scopes_of, shuffled_folder)
from tariffrules.testing.toml_text import dumps

TOY_PATH = Path(__file__).resolve().parent.parent / "rules" / "toy"
TOY = tariffrules.load(TOY_PATH)
US = tariffrules.builtin("us")
NY = dt.timezone(dt.timedelta(hours=-4))
CAMERA_JP = QueryCase(hts="8525.89.30", origin="JP", when=dt.datetime(2025, 4, 16, 12, tzinfo=NY))
FEW = settings(max_examples=300, database=None, suppress_health_check=[HealthCheck.too_slow])


# -- strategies draw what they promise ---------------------------------------------------------------

@given(code=hts_codes((8, 10)))
def test_hts_codes_are_accepted_by_the_rule_set(code):
    assert TOY.query(code, "DE", "2025-05-01").code == code.replace(".", "")


@given(code=scoped_codes(US))
def test_scoped_codes_are_valid_codes_of_the_rule_set(code):
    assert len(US.query(code, "DE", "2025-05-01").code) in US.info.code_lengths


@pytest.mark.parametrize("rules", [TOY, US], ids=["toy", "us"])
def test_scoped_codes_reach_excluded_prefixes_and_just_beside_goods_prefixes(rules):
    scopes = scopes_of(rules)
    excluded = find(scoped_codes(rules, dotted=False), lambda c: any(c.startswith(p) for p in scopes.excluded_goods),
                    settings=FEW)
    assert any(excluded.startswith(p) for p in scopes.excluded_goods)
    outside = find(scoped_codes(rules, dotted=False),
                   lambda c: not any(c.startswith(p) for p in scopes.goods + scopes.excluded_goods), settings=FEW)
    assert not any(outside.startswith(p) for p in scopes.goods)


@given(origin=origins(TOY))
def test_origins_are_countries(origin):
    assert TOY.query("85258930", origin, "2025-05-01").origin == origin


def test_origins_reach_named_and_unnamed_countries():
    named = set(scopes_of(TOY).countries)
    assert find(origins(TOY), lambda o: o in named, settings=FEW) in named
    assert find(origins(TOY), lambda o: o not in named, settings=FEW) not in named


@given(when=entry_instants(US))
def test_entry_instants_are_aware_and_inside_the_horizon(when):
    assert when.utcoffset() is not None
    assert US.info.horizon_start <= when < US.info.stale_from


@pytest.mark.parametrize("rules", [TOY, US], ids=["toy", "us"])
def test_entry_instants_reach_a_change_point_and_the_microsecond_before_it(rules):
    points = set(rules.change_points())
    assert find(entry_instants(rules), lambda t: t in points, settings=FEW) in points
    before = {p - dt.timedelta(microseconds=1) for p in points}
    assert find(entry_instants(rules), lambda t: t in before, settings=FEW) in before


@given(day=entry_dates(TOY))
def test_entry_dates_are_inside_the_horizon(day):
    assert type(day) is dt.date
    assert TOY.info.horizon_start <= TOY.day_instant(day) < TOY.info.stale_from


@given(case=queries(US))
def test_generated_queries_are_valid_and_use_only_known_facts(case):
    query = case.query(US)  # raises if any argument were invalid
    allowed = {"value", "content", "mfn", "loaded", "as_of"} | {f.name for f in US.info.facts}
    assert {name for name, _ in case.facts} <= allowed
    if query.value is not None:
        assert sum(query.content_map.values(), Decimal(0)) <= query.value


@given(value=amounts(), kinds=st.lists(st.sampled_from(["steel", "us", "copper"]), unique=True), data=st.data())
def test_content_amounts_never_add_up_to_more_than_the_value(value, kinds, data):
    content = data.draw(content_amounts(value, tuple(kinds)))
    assert set(content) <= set(kinds) and sum(content.values(), Decimal(0)) <= value


def test_content_amounts_reach_the_whole_value():
    whole = find(content_amounts(Decimal(100), ("steel", "us")), lambda c: sum(c.values()) == 100, settings=FEW)
    assert sum(whole.values()) == 100


def test_a_case_prints_as_the_call_to_paste_into_a_test():
    case = QueryCase(hts="8703.23.01", origin="JP", when=dt.date(2025, 4, 16), facts=(("value", Decimal(5)),))
    assert repr(case) == "resolve('8703.23.01', 'JP', datetime.date(2025, 4, 16), value=Decimal('5'))"


# -- each invariant can fail --------------------------------------------------------------------------

def _violation(name, rules, case, resolution, context=Context()):
    with pytest.raises(InvariantViolation) as caught:
        INVARIANTS[name](rules, case, resolution, context)
    assert caught.value.invariant == name
    text = str(caught.value)
    assert "query: resolve('8525.89.30', 'JP'" in text and "\n  | " in text  # the query and explain() lines
    return text


def test_differential_fails_when_the_reference_disagrees(monkeypatch):
    resolution = CAMERA_JP.resolve(TOY)
    assert resolution.levies  # the baseline applies
    monkeypatch.setattr(reference, "resolve", lambda rules, query: attrs.evolve(resolution, levies=()))
    assert "engine and reference disagree" in _violation("differential", TOY, CAMERA_JP, resolution)


def test_suspended_levies_that_apply_are_caught():
    unpaused = attrs.evolve(TOY, suspensions=())
    resolution = CAMERA_JP.resolve(unpaused)
    assert "toy.recip.jp" in [levy.id for levy in resolution.levies]
    assert "toy.recip.pause" in _violation("suspended_never_apply", TOY, CAMERA_JP, resolution)


def test_replaced_levies_that_apply_are_caught():
    def forget(levy):
        return attrs.evolve(levy, versions=tuple(attrs.evolve(v, replaces=frozenset()) for v in levy.versions))

    loose = attrs.evolve(TOY, levies=tuple(forget(levy) for levy in TOY.levies))
    case = QueryCase(hts="8525.89.30", origin="JP", when=dt.date(2025, 9, 1))
    resolution = case.resolve(loose)
    with pytest.raises(InvariantViolation, match="replaces toy.recip.baseline"):
        INVARIANTS["relations_respected"](TOY, case, resolution, Context())


def test_order_independence_fails_against_different_rules():
    fewer = attrs.evolve(TOY, levies=tuple(levy for levy in TOY.levies if levy.id != "toy.recip.baseline"))
    _violation("order_independence", TOY, CAMERA_JP, CAMERA_JP.resolve(TOY), Context(shuffled=(fewer,)))


def test_constancy_fails_when_change_points_are_missing(monkeypatch):
    monkeypatch.setattr(tariffrules.RuleSet, "change_points", lambda self, as_of=None: ())
    _violation("constancy", TOY, CAMERA_JP, CAMERA_JP.resolve(TOY))


def test_negative_rates_and_broken_sums_are_caught():
    resolution = CAMERA_JP.resolve(TOY)
    negative = attrs.evolve(resolution, levies=tuple(attrs.evolve(l, rate=-l.rate) for l in resolution.levies))
    _violation("money_bounds", TOY, CAMERA_JP, negative)


def test_data_that_is_not_json_is_caught():
    resolution = CAMERA_JP.resolve(TOY)
    odd = attrs.evolve(resolution, levies=tuple(attrs.evolve(l, note=object()) for l in resolution.levies))
    assert "not JSON" in _violation("json_round_trip", TOY, CAMERA_JP, odd)


def test_levies_neither_applied_nor_skipped_are_caught():
    resolution = attrs.evolve(CAMERA_JP.resolve(TOY), explain=lambda: ())
    assert "missing" in _violation("every_levy_accounted", TOY, CAMERA_JP, resolution)


def test_check_rule_set_reports_the_shrunk_query_and_the_explanation(monkeypatch):
    real = reference.resolve

    def wrong(rules, query):  # a planted bug: the oracle forgets the Japanese rate
        answer = real(rules, query)
        return attrs.evolve(answer, levies=tuple(l for l in answer.levies if l.id != "toy.recip.jp"))

    monkeypatch.setattr(reference, "resolve", wrong)
    with pytest.raises(InvariantViolation) as caught:
        check_rule_set(TOY, strategy=queries(TOY, facts=False), settings=settings(FEW, max_examples=2000),
                       invariants=["differential"], shuffles=0, reload=False)
    text = str(caught.value)
    assert "invariant 'differential' broken" in text and "toy.recip.jp" in text
    assert "query: resolve(" in text and "  | Applied, in reporting order:" in text


def test_unknown_invariant_names_are_refused():
    with pytest.raises(ValueError, match="unknown invariant"):
        check_rule_set(TOY, invariants=["speed"])


# -- shuffled copies, TOML, profiles, missing Hypothesis -----------------------------------------------

@settings(max_examples=5)
@given(seed=st.integers(0, 2**16))
def test_a_shuffled_copy_of_a_folder_loads_to_the_same_levies(seed, tmp_path_factory):
    copy = tariffrules.load(shuffled_folder(TOY_PATH, tmp_path_factory.mktemp("shuffled") / "toy", seed))
    assert [levy.id for levy in copy.levies] == [levy.id for levy in TOY.levies]
    strip = lambda levy: [attrs.evolve(v, source=None) for v in levy.versions]  # noqa: E731
    assert [strip(levy) for levy in copy.levies] == [strip(levy) for levy in TOY.levies]
    assert copy.suspensions == TOY.suspensions or [s.id for s in copy.suspensions] == [s.id for s in TOY.suspensions]


_scalars = st.one_of(st.booleans(), st.integers(-2**63, 2**63 - 1), st.text(),
                     st.floats(allow_nan=False), st.dates(),
                     st.datetimes(min_value=dt.datetime(1900, 1, 1)),
                     st.datetimes(min_value=dt.datetime(1900, 1, 2), timezones=st.sampled_from(
                         [dt.timezone.utc, dt.timezone(dt.timedelta(hours=-4))])))
_documents = st.recursive(
    st.dictionaries(st.text(min_size=1), _scalars, max_size=3),
    lambda inner: st.dictionaries(st.text(min_size=1), st.one_of(_scalars, inner, st.lists(_scalars, max_size=3),
                                                                 st.lists(inner, min_size=1, max_size=2)), max_size=3),
    max_leaves=12)


@given(document=_documents)
def test_written_toml_reads_back_the_same(document):
    assert tomllib.loads(dumps(document)) == document


def test_the_thorough_profile_is_chosen_by_environment_variable():
    try:
        assert load_profile({"TARIFFRULES_PROFILE": "thorough"}) == "tariffrules-thorough"
        assert settings.default.max_examples >= 10_000
        assert load_profile({}) == "tariffrules-fast"
        assert settings.default.max_examples < 100
        with pytest.raises(ValueError, match="TARIFFRULES_PROFILE='slow'"):
            load_profile({"TARIFFRULES_PROFILE": "slow"})
    finally:
        load_profile()  # back to what this run asked for


def test_without_hypothesis_the_import_error_says_what_to_install():
    code = ("import sys; sys.modules['hypothesis'] = None\n"
            "try:\n    import tariffrules.testing\nexcept ImportError as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "pip install tariffrules[test]" in done.stdout, done.stderr


def test_money_bounds_skip_the_duty_when_an_excluded_remainder_needs_content(tmp_path):
    """Shrunk by the thorough profile: a full-value levy excluded by one on the value less steel keeps the steel
    content, so without content the duty is unknown (MissingFactError, documented) and the check must not ask."""
    levy = {"title": "L", "citation": "c", "start": dt.date(2025, 1, 1), "goods": ["*"], "origins": ["*"]}
    doc = {"ruleset": {"name": "m", "title": "M", "zone": "UTC", "horizon_start": dt.date(2025, 1, 1),
                       "reviewed": dt.date(2025, 12, 31)},
           "program": {"id": "m.p", "title": "P", "authority": "A", "rank": 1},
           "levy": [{**levy, "id": "m.p.whole", "rate": "10%"},
                    {**levy, "id": "m.p.rest", "rate": "5%", "base": {"less": ["steel"]}, "excludes": ["m.p.whole"]}]}
    (tmp_path / "rules.toml").write_text(dumps(doc))
    rules = tariffrules.load(tmp_path / "rules.toml")
    case = QueryCase(hts="72000000", origin="CA", when=dt.date(2025, 5, 1), facts=(("value", Decimal("0.01")),))
    resolution = check_case(rules, case)
    assert [levy.base for levy in resolution.levies] == ["value less steel content", "steel content"]
    with pytest.raises(tariffrules.MissingFactError):
        resolution.duty()


def test_a_key_ending_in_a_newline_is_quoted():
    """Shrunk by the thorough profile: a bare-key pattern ending in '$' let '0\\n' through unquoted."""
    assert tomllib.loads(dumps({"0\n": False})) == {"0\n": False}

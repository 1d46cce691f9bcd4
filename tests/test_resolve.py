"""Resolution on the toy rule set: every feature, every boundary minute."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from dateutil import tz

import tariffrules
from tariffrules import reference
from tariffrules.errors import (HorizonError, InvalidFactError, InvalidInstantError, MissingFactError,
                                StaleRulesError, UnknownFactError)

NY = tz.gettz("America/New_York")
CAMERA = "8525.89.30"
CAR = "8703.23.01"
COIL = "7208.10.15"
BEAM = "7308.10.00"


def ids(resolution):
    return [levy.id for levy in resolution.levies]


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


class TestBoundaryMinute:
    def test_baseline_starts_at_1201_am(self, toy):
        assert ids(toy.resolve(CAMERA, "JP", at(2025, 4, 5, 0, 0))) == []
        assert ids(toy.resolve(CAMERA, "JP", at(2025, 4, 5, 0, 1))) == ["toy.recip.baseline"]

    def test_a_bare_date_is_the_day_a_1201_measure_takes_effect(self, toy):
        assert ids(toy.resolve(CAMERA, "JP", dt.date(2025, 4, 4))) == []
        assert ids(toy.resolve(CAMERA, "JP", dt.date(2025, 4, 5))) == ["toy.recip.baseline"]
        assert toy.resolve(CAMERA, "JP", "2025-04-05") == toy.resolve(CAMERA, "JP", dt.date(2025, 4, 5))

    def test_an_instant_in_another_zone_is_the_same_instant(self, toy):
        utc = dt.datetime(2025, 4, 5, 4, 1, tzinfo=dt.timezone.utc)  # 00:01 EDT
        assert ids(toy.resolve(CAMERA, "JP", utc)) == ["toy.recip.baseline"]
        assert ids(toy.resolve(CAMERA, "JP", utc - dt.timedelta(minutes=1))) == []

    def test_end_is_exclusive(self, toy):
        assert ids(toy.resolve(CAMERA, "DE", at(2026, 2, 24, 0, 0))) == ["toy.recip.baseline"]
        assert ids(toy.resolve(CAMERA, "DE", at(2026, 2, 24, 0, 1))) == []
        assert ids(toy.resolve(CAMERA, "DE", dt.date(2026, 2, 24))) == []


class TestPauseAndReplacement:
    def test_country_rate_replaces_the_baseline(self, toy):
        r = toy.resolve(CAMERA, "JP", "2025-04-09")
        assert ids(r) == ["toy.recip.jp"] and r.rate == 24
        skipped = {s.id: s for s in r.skipped}
        assert skipped["toy.recip.baseline"].reason == "replaced"
        assert skipped["toy.recip.baseline"].by == "toy.recip.jp"

    def test_the_pause_lets_the_baseline_apply(self, toy):
        r = toy.resolve(CAMERA, "JP", "2025-04-10")
        assert ids(r) == ["toy.recip.baseline"] and r.rate == 10
        jp = next(s for s in r.skipped if s.id == "toy.recip.jp")
        assert jp.reason == "suspended" and jp.by == "toy.recip.pause"

    def test_china_is_excepted_from_the_pause_and_raised(self, toy):
        assert toy.resolve(CAMERA, "CN", "2025-04-09").rate == 34
        assert toy.resolve(CAMERA, "CN", "2025-04-10").rate == 125

    def test_the_extension_is_an_amendment_known_later(self, toy):
        before = toy.resolve(CAMERA, "JP", "2025-07-15", as_of=at(2025, 7, 1))
        after = toy.resolve(CAMERA, "JP", "2025-07-15")
        assert ids(before) == ["toy.recip.jp"]
        assert ids(after) == ["toy.recip.baseline"]
        assert ids(toy.resolve(CAMERA, "JP", "2025-08-01")) == ["toy.recip.jp"]

    def test_as_of_before_a_version_is_known_does_not_apply_it(self, toy):
        then = toy.resolve(CAMERA, "CN", "2025-04-10", as_of="2025-04-08")
        assert ids(then) == ["toy.recip.cn"] and then.rate == 34 and then.levies[0].version == "34"
        now = toy.resolve(CAMERA, "CN", "2025-04-10")
        assert now.rate == 125 and now.levies[0].version == "125"
        early = toy.resolve(CAMERA, "CN", "2025-04-10", as_of="2025-04-01")
        assert ids(early) == []
        cn = next(s for s in early.skipped if s.id == "toy.recip.cn")
        assert cn.reason == "not_yet_known"

    def test_sectoral_levy_stacks_on_the_baseline_but_excludes_the_country_rate(self, toy):
        r = toy.resolve(COIL, "JP", "2025-04-09")
        assert ids(r) == ["toy.recip.baseline", "toy.sector.steel"]
        assert r.rate == 35
        skipped = {s.id: s for s in r.skipped}
        assert skipped["toy.recip.jp"].reason == "excluded" and skipped["toy.recip.jp"].by == "toy.sector.steel"

    def test_reporting_order_is_by_rank(self, toy):
        r = toy.resolve(BEAM, "CA", "2025-04-09", value="1000", content={"steel": "300"})
        assert r.headings == ("9903.01.10", "9903.81.91")


class TestBasesAndRates:
    def test_content_split(self, toy):
        r = toy.resolve(BEAM, "JP", "2025-04-09", value="1000", content={"steel": "300"})
        by_id = {levy.id: levy for levy in r.levies}
        assert by_id["toy.sector.steel_derivatives"].base == "steel content"
        assert by_id["toy.recip.jp"].base == "value less steel content"
        assert by_id["toy.recip.jp"].excluded_parts == (("toy.sector.steel_derivatives", "steel content"),)
        assert r.rate == D("24") * D("0.7") + D("25") * D("0.3")
        assert r.duty() == D("168.00") + D("75.00")

    def test_content_split_needs_the_value_for_a_total(self, toy):
        r = toy.resolve(BEAM, "JP", "2025-04-09")
        with pytest.raises(MissingFactError):
            r.rate
        with pytest.raises(MissingFactError):
            r.duty(D(1000))
        assert "needs value and content" in r.explain()

    def test_excluded_goods_in_a_side_file(self, toy):
        # outside the baseline, the energy goods carry the 0% exemption line (toy/exemptions.toml) instead
        assert ids(toy.resolve("2709.00.10", "DE", "2025-05-01")) == ["toy.exempt.energy"]
        assert ids(toy.resolve("2710.12.15", "DE", "2025-05-01")) == ["toy.exempt.energy"]
        assert ids(toy.resolve("2710.19.05", "DE", "2025-05-01")) == ["toy.recip.baseline"]

    def test_except_goods_inside_a_scope(self, toy):
        assert "toy.sector.steel_derivatives" not in ids(toy.resolve("7308.90.30", "DE", "2025-05-01"))

    def test_all_in_rate_uses_the_schedule(self, toy):
        r = toy.resolve(CAR, "JP", "2025-09-16")
        assert ids(r) == ["toy.exempt.autos", "toy.sector.autos_jp_deal"]  # with its 0% exemption line
        assert r.levies[1].rate == D("12.5")
        assert r.query.mfn_from == "schedule"
        assert toy.resolve(CAR, "JP", "2025-09-16", mfn="20").rate == 0

    def test_all_in_rate_without_a_general_rate_asks_for_it(self, toy):
        with pytest.raises(MissingFactError) as info:
            toy.resolve("2709.00.10", "SE", "2025-09-01")
        assert "mfn" in str(info.value)
        assert toy.resolve("2709.00.10", "SE", "2025-09-01", mfn="0").rate == 15

    def test_groups_with_exceptions(self, toy):
        assert ids(toy.resolve(CAMERA, "NO", "2025-09-01")) == ["toy.recip.nordic"]
        assert ids(toy.resolve(CAMERA, "IS", "2025-09-01")) == ["toy.recip.baseline"]

    def test_us_content_threshold(self, toy):
        low = toy.resolve(CAMERA, "DE", "2025-05-01", value="1000", content={"us": "199"})
        high = toy.resolve(CAMERA, "DE", "2025-05-01", value="1000", content={"us": "200"})
        assert low.rate == 10 and low.levies[0].base == "full value"
        assert high.rate == 8 and high.levies[0].base == "value less us content"

    def test_duty_rounds_each_levy_to_the_cent(self, toy):
        r = toy.resolve(BEAM, "JP", "2025-04-09", value="100.05", content={"steel": "0.03"})
        assert r.duty() == D("24.00") + D("0.01")


class TestConditions:
    def test_preference_claim(self, toy):
        assert ids(toy.resolve(CAMERA, "CA", "2025-04-09")) == ["toy.border.ca"]
        r = toy.resolve(CAMERA, "CA", "2025-04-09", usmca=True)
        assert ids(r) == []
        assert next(s for s in r.skipped if s.id == "toy.border.ca").reason == "condition_not_met"

    def test_in_transit_exemption(self, toy):
        loaded = dt.date(2025, 4, 4)
        assert ids(toy.resolve(CAMERA, "DE", "2025-05-27", loaded=loaded)) == ["toy.exempt.in_transit"]
        assert ids(toy.resolve(CAMERA, "DE", "2025-05-28", loaded=loaded)) == ["toy.recip.baseline"]
        assert ids(toy.resolve(CAMERA, "DE", "2025-05-27", loaded=dt.date(2025, 4, 5))) == ["toy.recip.baseline"]
        r = toy.resolve(CAMERA, "DE", "2025-05-27", loaded=loaded)
        assert next(s for s in r.skipped if s.id == "toy.recip.baseline").reason == "exempt"


class TestQueryErrors:
    @pytest.mark.parametrize("kwargs,error,argument", [
        ({"when": dt.datetime(2025, 5, 1, 12)}, InvalidInstantError, "when"),
        ({"when": "2024-12-31"}, HorizonError, "when"),
        ({"when": "2027-01-01"}, StaleRulesError, "when"),
        ({"colour": "red"}, UnknownFactError, "colour"),
        ({"value": 10.5}, InvalidFactError, "value"),
        ({"value": "-1"}, InvalidFactError, "value"),
        ({"value": "10", "content": {"steel": "11"}}, InvalidFactError, "content"),
        ({"usmca": "maybe"}, InvalidFactError, "usmca"),  # text yes/no, Y/N, true/false, 1/0 is read (issue 14)
        ({"loaded": dt.datetime(2025, 4, 1)}, InvalidInstantError, "loaded"),
        ({"as_of": "last week"}, InvalidInstantError, "as_of"),
    ])
    def test_bad_arguments_raise_the_documented_error(self, toy, kwargs, error, argument):
        args = {"when": "2025-05-01", **kwargs}
        when = args.pop("when")
        with pytest.raises(error) as info:
            toy.resolve(CAMERA, "DE", when, **args)
        assert info.value.argument == argument
        assert str(info.value).startswith(argument)

    def test_stale_rules_can_be_accepted_explicitly(self, toy):
        assert ids(toy.resolve(CAMERA, "CN", "2027-01-01", allow_stale=True)) == ["toy.recip.cn"]


class TestOutput:
    def test_every_levy_is_applied_or_skipped_once(self, toy):
        r = toy.resolve(BEAM, "JP", "2025-04-09", value="1000", content={"steel": "300"})
        seen = ids(r) + [s.id for s in r.skipped]
        assert sorted(seen) == sorted(levy.id for levy in toy.levies)

    def test_explain_cites_and_gives_reasons(self, toy):
        text = toy.resolve(CAMERA, "JP", "2025-04-10").explain()
        assert "Toy Order 1 sec. 2" in text
        assert "toy.recip.jp: suspended: by toy.recip.pause" in text

    def test_to_dict_is_json_ready(self, toy):
        r = toy.resolve(BEAM, "JP", "2025-04-09", value="1000", content={"steel": "300"})
        data = json.loads(json.dumps(r.to_dict()))
        assert data["rate"] == str(r.rate)
        assert data["headings"] == list(r.headings)
        assert data["query"]["content"] == {"steel": "300"}

    def test_reference_agrees(self, toy):
        q = toy.query(BEAM, "JP", "2025-04-09", value="1000", content={"steel": "300"})
        assert reference.resolve(toy, q) == toy.resolve_query(q)


def test_bare_date_warns_when_rules_change_later_that_day(tmp_path):
    text = (tmp_path / "r.toml")
    text.write_text('''
[ruleset]
name = "noon"
title = "Noon change"
zone = "UTC"
horizon_start = 2025-01-01
reviewed = 2025-12-31
[program]
id = "n.p"
title = "P"
authority = "A"
rank = 1
[[levy]]
id = "n.p.a"
title = "A"
citation = "c"
rate = "5%"
start = 2025-03-01T12:00:00
goods = ["*"]
origins = ["*"]
''')
    rules = tariffrules.load(text)
    r = rules.resolve("01012100", "FR", "2025-03-01")
    assert r.levies == () and "2025-03-01T12:00:00+00:00" in r.warnings[0]
    assert rules.resolve("01012100", "FR", "2025-03-02").warnings == ()


def test_repeated_resolve_is_answered_from_the_cache_without_confusing_types(toy):
    first = toy.resolve("8703.23.01", "CA", "2025-05-01", usmca=True)
    assert toy.resolve("8703.23.01", "CA", "2025-05-01", usmca=True) is first
    with pytest.raises(tariffrules.InvalidFactError, match="usmca"):
        toy.resolve("8703.23.01", "CA", "2025-05-01", usmca=1)  # 1 == True, but it is not a bool


def test_unhashable_facts_skip_the_cache(toy):
    a = toy.resolve("7308.90.60", "DE", "2025-05-01", value="100", content={"steel": "40"})
    b = toy.resolve("7308.90.60", "DE", "2025-05-01", value="100", content={"steel": "40"})
    assert a == b and a is not b


def test_explain_counts_levies_not_in_force_and_lists_them_on_request(toy):
    r = toy.resolve(CAMERA, "JP", "2025-04-06")  # before the Japan rate (Apr. 9) and the Nordic rate (Aug. 7)
    not_in_force = [s for s in r.skipped if s.reason == "not_yet_in_force"]
    assert not_in_force
    short, full = r.explain(), r.explain(all_skipped=True)
    assert f"not yet in force: {len(not_in_force)}" in short
    for s in not_in_force:
        assert f"{s.id}: not yet in force" not in short
        assert f"{s.id}: not yet in force" in full

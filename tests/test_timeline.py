"""Timelines, changes between dates, as-of answers and the refund finder.

The small rule set in tests/rules/timeline has dates chosen to be checked by
hand: a 10% baseline from Feb. 1, 2025; a 5% duty on Japanese electronics
effective Mar. 1 but published Apr. 15 (retroactive); a 20% steel duty from
Mar. 1 that a later order (May 20) ends on June 1; a pause of the baseline
for China in May. Real US cases come from the orders cited next to them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dateutil import tz
from hypothesis import given, settings
from hypothesis import strategies as st

import tariffrules
from tariffrules import InvalidInstantError, StaleRulesError

NY = tz.gettz("America/New_York")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


def ids(resolution) -> list[str]:
    return [levy.id for levy in resolution.levies]


# -- timeline ------------------------------------------------------------------
def test_timeline_of_japanese_electronics(timeline_rules):
    spans = timeline_rules.timeline("8501.10.20", "JP", "2025-01-01", "2025-12-31")
    assert [(s.start, s.end, ids(s.resolution)) for s in spans] == [
        (at(2025, 1, 1, 0, 1), at(2025, 2, 1, 0, 1), []),
        (at(2025, 2, 1, 0, 1), at(2025, 3, 1, 0, 1), ["t.base"]),
        (at(2025, 3, 1, 0, 1), at(2025, 12, 31, 0, 1), ["t.base", "t.retro"]),
    ]


def test_timeline_skips_change_points_that_do_not_touch_the_good(timeline_rules):
    # Steel starts and ends and the China pause comes and goes; none touches Japanese electronics
    # after Mar. 1, so there is one span from then on.
    spans = timeline_rules.timeline("8501.10.20", "JP", "2025-03-15", "2025-09-01")
    assert len(spans) == 1
    assert ids(spans[0].resolution) == ["t.base", "t.retro"]


def test_timeline_of_chinese_steel_shows_pause_and_end(timeline_rules):
    spans = timeline_rules.timeline("7208.51.00", "CN", "2025-02-15", "2025-07-01")
    assert [(s.start, ids(s.resolution)) for s in spans] == [
        (at(2025, 2, 15, 0, 1), ["t.base"]),
        (at(2025, 3, 1, 0, 1), ["t.base", "t.steel"]),
        (at(2025, 5, 1, 0, 1), ["t.steel"]),
        (at(2025, 6, 1, 0, 1), ["t.base"]),
    ]
    assert spans[-1].end == at(2025, 7, 1, 0, 1)


def test_timeline_as_of_before_publication_leaves_out_the_retroactive_levy(timeline_rules):
    spans = timeline_rules.timeline("8501.10.20", "JP", "2025-01-01", "2025-12-31", as_of="2025-04-01")
    assert [ids(s.resolution) for s in spans] == [[], ["t.base"]]


def test_timeline_rejects_an_empty_or_reversed_range(timeline_rules):
    with pytest.raises(InvalidInstantError, match="end"):
        timeline_rules.timeline("8501.10.20", "JP", "2025-03-01", "2025-03-01")


def test_timeline_end_after_the_horizon_needs_allow_stale(timeline_rules):
    with pytest.raises(StaleRulesError, match="end"):
        timeline_rules.timeline("8501.10.20", "JP", "2025-03-01", "2026-06-01")
    spans = timeline_rules.timeline("8501.10.20", "JP", "2025-03-01", "2026-06-01", allow_stale=True)
    assert spans[-1].end == at(2026, 6, 1, 0, 1)


def test_us_japanese_camera_timeline(us):
    # EO 14257 (10% from Apr. 5, 2025; Japan 24% from Apr. 9, heading 9903.01.53 per ch. 99 note 2(v));
    # EO 14266 (pause from Apr. 10); EO 14326 and EO 14345 (Japan 15% all-in from Aug. 7; a camera's
    # general rate is free, so 15%); end of IEEPA duties (CBP CSMS #67834313); Section 122 10% from
    # 12:01 a.m. Feb. 24, 2026 for 150 days; Section 301 memorandum of July 23, 2026 sec. 1(a)(ii) (Japan 12.5%
    # inclusive of the MFN rate; heading and start date unverified, see s301_2026.toml).
    spans = us.timeline("8525.89.30", "JP", "2025-03-01", "2026-08-01")
    got = [(s.start.date().isoformat(), s.resolution.headings, s.resolution.rate) for s in spans]
    assert got == [
        ("2025-03-01", (), Decimal(0)),
        ("2025-04-05", ("9903.01.25",), Decimal(10)),
        ("2025-04-09", ("9903.01.53",), Decimal(24)),
        ("2025-04-10", ("9903.01.25",), Decimal(10)),
        ("2025-08-07", ("9903.02.73",), Decimal(15)),
        ("2026-02-24", (), Decimal(0)),  # 12:00 a.m. (IEEPA ends) to 12:01 a.m. (Section 122 starts)
        ("2026-02-24", ("9903.03.01",), Decimal(10)),
        ("2026-07-24", ("9903.05.49",), Decimal("12.5")),  # Section 301 (60 economies): 12.5% all-in, MFN free
    ]


def spans_strategy():
    days = st.integers(min_value=0, max_value=364)
    return st.tuples(days, days).filter(lambda p: p[0] != p[1]).map(sorted)


CODES = ["8501.10.20", "7208.51.00", "0101.21.00"]
ORIGINS = ["JP", "CN", "DE"]


@settings(max_examples=60, deadline=None)
@given(span=spans_strategy(), code=st.sampled_from(CODES), origin=st.sampled_from(ORIGINS),
       minute=st.integers(min_value=0, max_value=60 * 24 * 365), as_of=st.sampled_from([None, "2025-04-01"]))
def test_spans_tile_the_range_and_hold_throughout(timeline_rules, span, code, origin, minute, as_of):
    start = dt.date(2025, 1, 1) + dt.timedelta(days=span[0])
    end = dt.date(2025, 1, 1) + dt.timedelta(days=span[1])
    spans = timeline_rules.timeline(code, origin, start, end, as_of=as_of)
    assert spans[0].start == timeline_rules.day_instant(start)
    assert spans[-1].end == timeline_rules.day_instant(end)
    for before, after in zip(spans, spans[1:]):
        assert before.end == after.start  # no gap, no overlap
        assert not before.resolution.same_answer(after.resolution)  # no needless split
    probe = spans[0].start + dt.timedelta(minutes=minute)
    for s in spans:
        if s.contains(probe):
            answer = timeline_rules.resolve(code, origin, probe, as_of=as_of)
            assert answer.levies == s.resolution.levies


@settings(max_examples=25, deadline=None)
@given(code=st.sampled_from(["8525.89.30", "8703.23.01", "7208.51.00", "9401.61.40.01"]),  # 9401.61.40 is split by 301
       origin=st.sampled_from(["JP", "CN", "CA", "DE", "VN", "GB"]))
def test_us_timeline_is_exact_at_every_change_point(us, code, origin):
    start, end = at(2025, 1, 1, 0, 1), at(2026, 8, 1, 0, 1)
    spans = us.timeline(code, origin, start, end, content={"steel": "100"}, value="1000")
    starts = {s.start for s in spans}
    for point in us.change_points():
        if not start < point < end:
            continue
        before = us.resolve(code, origin, point - dt.timedelta(microseconds=1), content={"steel": "100"}, value="1000")
        after = us.resolve(code, origin, point, content={"steel": "100"}, value="1000")
        assert (point in starts) == (not before.same_answer(after)), point


@settings(max_examples=60, deadline=None)
@given(day=st.integers(min_value=0, max_value=364), code=st.sampled_from(CODES), origin=st.sampled_from(ORIGINS))
def test_as_of_far_in_the_future_equals_the_plain_answer(timeline_rules, day, code, origin):
    when = dt.date(2025, 1, 1) + dt.timedelta(days=day)
    plain = timeline_rules.resolve(code, origin, when)
    later = timeline_rules.resolve(code, origin, when, as_of=at(2099, 1, 1))
    assert plain.levies == later.levies


@settings(max_examples=60, deadline=None)
@given(day=st.integers(min_value=0, max_value=364), known_day=st.integers(min_value=0, max_value=364),
       code=st.sampled_from(CODES), origin=st.sampled_from(ORIGINS))
def test_as_of_before_publication_never_applies_a_version(timeline_rules, day, known_day, code, origin):
    when = dt.date(2025, 1, 1) + dt.timedelta(days=day)
    as_of = at(2025, 1, 1) + dt.timedelta(days=known_day)
    if as_of < timeline_rules.reader.knows_from:  # before anything the rules know: refused, not "no levy" (issue 14)
        with pytest.raises(tariffrules.BeforeKnownError):
            timeline_rules.resolve(code, origin, when, as_of=as_of)
        return
    answer = timeline_rules.resolve(code, origin, when, as_of=as_of)
    for levy in answer.levies:
        version = next(v for v in timeline_rules.get(levy.id).versions if v.label == levy.version)
        assert version.known <= as_of


# -- changes -------------------------------------------------------------------------
def test_changes_lists_starts_and_ends_in_time_order(timeline_rules):
    found = timeline_rules.changes("2025-01-01", "2025-12-31")
    assert [(c.instant, c.event, c.id) for c in found] == [
        (at(2025, 2, 1, 0, 1), "starts", "t.base"),
        (at(2025, 3, 1, 0, 1), "starts", "t.retro"),
        (at(2025, 3, 1, 0, 1), "starts", "t.steel"),
        (at(2025, 5, 1, 0, 1), "starts", "t.pause"),
        (at(2025, 6, 1, 0, 1), "ends", "t.pause"),
        (at(2025, 6, 1, 0, 1), "ends", "t.steel"),
    ]
    assert all(c.citation for c in found)


def test_changes_mark_retroactive_starts_but_not_end_only_amendments(timeline_rules):
    found = {(c.id, c.event): c for c in timeline_rules.changes("2025-01-01", "2025-12-31")}
    assert found["t.retro", "starts"].retroactive
    assert found["t.retro", "starts"].first_known == at(2025, 4, 15, 12)
    # The ended version of steel is known on May 20 but its terms from Mar. 1 were known on Feb. 20.
    assert not found["t.steel", "starts"].retroactive
    assert found["t.steel", "starts"].first_known == at(2025, 2, 20, 12)
    assert not found["t.steel", "ends"].retroactive
    assert "retroactive" in found["t.retro", "starts"].describe()


def test_changes_filtered_to_a_good_and_origin(timeline_rules):
    for_jp_electronics = timeline_rules.changes("2025-01-01", "2025-12-31", hts="8501.10.20", origin="JP")
    assert [c.id for c in for_jp_electronics] == ["t.base", "t.retro"]
    for_cn_steel = timeline_rules.changes("2025-01-01", "2025-12-31", hts="7208.51.00", origin="CN")
    assert [c.id for c in for_cn_steel] == ["t.base", "t.steel", "t.pause", "t.pause", "t.steel"]


def test_changes_as_of_sees_only_what_was_known(timeline_rules):
    found = timeline_rules.changes("2025-01-01", "2025-12-31", as_of="2025-04-01")
    assert [(c.id, c.event) for c in found] == [("t.base", "starts"), ("t.steel", "starts")]


def test_us_changes_on_april_2025_include_the_pause(us):
    found = us.changes("2025-04-01", "2025-04-12", hts="8525.89.30", origin="JP")
    starts = [(c.instant.date().isoformat(), c.kind, c.heading) for c in found if c.event == "starts"]
    # EO 14257: the baseline from Apr. 5, the Japan rate from Apr. 9, paused from Apr. 10 (EO 14266).
    assert [s for s in starts if s[2] in ("9903.01.25", "9903.01.53") or s[1] == "suspension"] == [
        ("2025-04-05", "levy", "9903.01.25"),
        ("2025-04-09", "levy", "9903.01.53"),
        ("2025-04-10", "suspension", None),
    ]
    # CBP CSMS #64649265: from Apr. 5, 2025 a line carries 9903.01.25 or one of the exception headings
    # 9903.01.26-.34; those open to a Japanese good start that day too (.26, .27, .29 are other origins'; .32 is
    # Annex II, which does not list 8525.89.30; the chapter 98 exception has no heading).
    assert {s[2] for s in starts if s[0] == "2025-04-05" and s[2] != "9903.01.25"} == {
        None, "9903.01.28", "9903.01.30", "9903.01.31", "9903.01.33", "9903.01.34"}


# -- revisions (the refund finder) -----------------------------------------------------
def test_revision_finds_the_retroactive_duty(timeline_rules):
    lines = [
        {"hts": "8501.10.20", "origin": "JP", "when": "2025-03-10", "value": "1000"},  # filed before Apr. 15
        {"hts": "8501.10.20", "origin": "JP", "when": "2025-05-10", "value": "1000"},  # filed after
        {"hts": "BAD", "origin": "JP", "when": "2025-03-10"},
    ]
    out = list(timeline_rules.revisions(lines))
    assert len(out) == 3
    first, second, third = out
    assert first.changed and first.line == 0
    assert first.duty_change == Decimal("50.00") and first.rate_change == Decimal(5)
    assert [(d.id, d.filed_rate, d.current_rate) for d in first.differences] == [("t.retro", None, Decimal(5))]
    assert "t.retro" in first.describe()
    assert not second.changed and second.differences == ()
    assert isinstance(third, tariffrules.InvalidCodeError)


def test_revision_with_an_explicit_filing_instant(timeline_rules):
    line = {"hts": "7208.51.00", "origin": "CN", "when": "2025-05-10", "value": "200", "as_of": "2025-04-20"}
    # Filed on Apr. 20, before the goods arrived (its own as_of) and before the pause was known: baseline and
    # steel; now: steel only. A filed_as_of for every line may not be before a line's entry.
    (refused,) = timeline_rules.revisions([{**line, "as_of": None}], filed_as_of="2025-04-20")
    assert isinstance(refused, tariffrules.InvalidInstantError) and "before this line's entry" in str(refused)
    (revision,) = timeline_rules.revisions([line])
    assert revision.changed
    assert revision.duty_change == Decimal("-20.00")
    # Steel applies on the same terms under the version that ended it (known May 20): no difference.
    (base,) = revision.differences
    assert base.id == "t.base" and base.current_rate is None and "suspended" in base.reason
    assert {levy.version for levy in revision.filed.levies if levy.id == "t.steel"} == {"open"}
    assert {levy.version for levy in revision.current.levies if levy.id == "t.steel"} == {"ended"}


def test_revision_as_of_now_in_the_past(timeline_rules):
    line = ("8501.10.20", "JP", "2025-03-10", {"value": "1000"})
    (revision,) = timeline_rules.revisions([line], now="2025-04-01")
    assert not revision.changed


def test_us_refund_for_eu_car_entered_before_the_deal_was_published(us):
    # US-EU framework: 15% all-in on EU cars retroactive to Aug. 1, 2025 (notice of Sep. 25, 2025);
    # the car's general rate is 2.5%, so 12.5% replaces the 25% Section 232 duty: a 12.5% refund.
    line = {"hts": "8703.23.01", "origin": "DE", "when": "2025-08-20", "value": "40000"}
    (revision,) = us.revisions([line])
    # As filed it carries 9903.01.33 at 0%: goods subject to Section 232 declare it instead of a reciprocal
    # heading (CBP CSMS #64649265; kept for EU cars under the deal, CSMS #66336270). Re-rated with everything
    # known, the IEEPA duties of the period were held not owed (Learning Resources, Inc. v. Trump, 607 U.S. ___
    # (2026); CAPE, CSMS #68340863), their 0% exemption headings with them: only 9903.94.51 remains.
    assert revision.filed.headings == ("9903.01.33", "9903.94.01")
    assert revision.current.headings == ("9903.94.51",)
    assert revision.duty_change == Decimal("-5000.00")


def test_us_unchanged_line_is_reported_unchanged(us):
    # Section 122 (9903.03.01) on a Japanese camera entered in March 2026: nothing reached back since (a 2025
    # entry under the IEEPA baseline now changes: the duty was held not owed, see tests/test_refunds.py)
    line = {"hts": "8525.89.30", "origin": "JP", "when": "2026-03-10", "value": "1000"}
    (revision,) = us.revisions([line])
    assert not revision.changed and revision.duty_change == Decimal(0)


def test_a_superseded_version_is_not_reported_as_unknown(timeline_rules):
    # Steel's open-ended first version is superseded by one ending June 1; after that day the levy has
    # ended. (It was once reported as "not yet known" because the superseded version covers the instant.)
    (steel,) = [s for s in timeline_rules.resolve("7208.51.00", "JP", "2025-07-01").skipped if s.id == "t.steel"]
    assert steel.reason == "ended"
    # As known before the ending order, the levy applies: the open version is what was known.
    assert "t.steel" in ids(timeline_rules.resolve("7208.51.00", "JP", "2025-07-01", as_of="2025-05-01"))
    # And a version in force but published after as_of is the one reported as not yet known.
    (retro,) = [s for s in timeline_rules.resolve("8501.10.20", "JP", "2025-03-10", as_of="2025-04-01").skipped
                if s.id == "t.retro"]
    assert retro.reason == "not_yet_known"

import datetime as dt

import pytest
from dateutil import tz

from tariffrules.errors import InvalidInstantError
from tariffrules.periods import Period, day_instant, instant_from_query, instant_from_rule

NY = tz.gettz("America/New_York")


def DAY(d):
    return day_instant(d, NY, dt.time(0, 1))


def test_rule_local_time_takes_the_zone_with_daylight_time():
    t = instant_from_rule(dt.datetime(2025, 4, 5, 0, 1), NY)
    assert t.utcoffset() == dt.timedelta(hours=-4)
    winter = instant_from_rule(dt.datetime(2026, 2, 24, 0, 1), NY)
    assert winter.utcoffset() == dt.timedelta(hours=-5)


def test_rule_date_means_midnight_and_offsets_are_kept():
    assert instant_from_rule(dt.date(2025, 4, 5), NY) == dt.datetime(2025, 4, 5, tzinfo=NY)
    aware = dt.datetime(2025, 4, 5, 4, 1, tzinfo=dt.timezone.utc)
    assert instant_from_rule(aware, NY) is aware
    assert instant_from_rule("2025-04-05", NY) is None


def test_time_in_a_dst_gap_moves_forward():
    t = instant_from_rule(dt.datetime(2025, 3, 9, 2, 30), NY)
    assert (t.hour, t.minute) == (3, 30)


def test_query_bare_date_means_the_day_instant():
    t, bare = instant_from_query(dt.date(2025, 4, 5), DAY)
    assert bare and t == dt.datetime(2025, 4, 5, 0, 1, tzinfo=NY)
    t2, bare2 = instant_from_query("2025-04-05", DAY)
    assert bare2 and t2 == t


def test_query_iso_string_with_offset():
    t, bare = instant_from_query("2025-04-05T00:00:00-04:00", DAY)
    assert not bare and t == dt.datetime(2025, 4, 5, 0, 0, tzinfo=NY)


@pytest.mark.parametrize("value", [dt.datetime(2025, 4, 5, 12), "2025-04-05T12:00:00", "05/04/2025", 20250405, None])
def test_naive_or_malformed_instants_raise(value):
    with pytest.raises(InvalidInstantError) as info:
        instant_from_query(value, DAY)
    assert str(info.value).startswith("when=")


def test_periods_are_half_open():
    start = dt.datetime(2025, 4, 5, 0, 1, tzinfo=NY)
    end = dt.datetime(2025, 4, 9, 0, 1, tzinfo=NY)
    p = Period(start, end)
    assert p.contains(start)
    assert not p.contains(end)
    assert not p.contains(start - dt.timedelta(microseconds=1))
    assert not p.overlaps(Period(end, None))
    assert p.overlaps(Period(end - dt.timedelta(minutes=1)))
    assert Period(start).contains(dt.datetime(2099, 1, 1, tzinfo=NY))


def test_a_naive_string_is_shown_as_typed_with_the_zone_named():
    with pytest.raises(InvalidInstantError) as info:
        instant_from_query("2025-11-10T12:30", DAY, "when", "Asia/Kolkata")
    message = str(info.value)
    assert message.startswith('when="2025-11-10T12:30":')
    assert "e.g. 2025-11-10T12:30:00+05:30 " in message and 'tz.gettz("Asia/Kolkata")' in message
    assert "America/New_York" not in message


def test_a_naive_time_without_a_zone_name_takes_the_offset_of_a_bare_date():
    with pytest.raises(InvalidInstantError) as info:
        instant_from_query(dt.datetime(2025, 4, 5, 12), DAY)
    assert "e.g. 2025-04-05T12:00:00-04:00 " in str(info.value)

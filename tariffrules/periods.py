"""Instants, half-open periods, and what a bare date means.

Rules take effect at instants ("12:01 a.m. eastern daylight time"), so every
time inside the engine is an aware ``datetime``. Periods are half-open,
``[start, end)``: a version whose ``end`` equals another's ``start`` hands
over at exactly that instant, with no gap and no overlap.

A bare date, in a query, means the rule set's *day instant* on that date:
by default 00:01 in the rule set's zone, the minute at which legal texts make
measures effective. So a measure effective "12:01 a.m. on April 5" applies to
goods entered on ``date(2025, 4, 5)``, and a measure that ends at 12:01 a.m.
that day does not. Pass a ``datetime`` to ask about another minute.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable

import attrs
from dateutil import tz

from .errors import InvalidInstantError

__all__ = ["Period", "zone_named", "instant_from_rule", "instant_from_query", "fixed", "day_instant", "micros", "FOREVER"]

#: Sorts after every real instant; the end of an open period.
FOREVER = _dt.datetime.max.replace(tzinfo=_dt.timezone.utc)

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_MICROSECOND = _dt.timedelta(microseconds=1)


def micros(instant: _dt.datetime) -> int:
    """Microseconds since 1970 UTC, exactly: a sort key that compares fast."""
    return (instant - _EPOCH) // _MICROSECOND


def zone_named(name: str) -> _dt.tzinfo | None:
    """The zone for an IANA name, through dateutil; ``None`` if unknown."""
    if not isinstance(name, str) or not name:
        return None
    return tz.gettz(name)


def fixed(instant: _dt.datetime) -> _dt.datetime:
    """The same instant with a fixed-offset zone (its offset at that instant).

    Instants are stored this way: they print in local time (``-04:00``) yet
    compare at C speed, without asking a zone database each time.
    """
    if type(instant.tzinfo) is _dt.timezone:
        return instant
    return instant.replace(tzinfo=_dt.timezone(instant.utcoffset()))


def _attach(wall: _dt.datetime, zone: _dt.tzinfo) -> _dt.datetime:
    """Give a wall-clock time its zone; a time skipped by a DST jump moves forward."""
    return fixed(tz.resolve_imaginary(wall.replace(tzinfo=zone)))


def instant_from_rule(value: Any, zone: _dt.tzinfo, day_time: _dt.time = _dt.time(0, 0)) -> _dt.datetime | None:
    """Read a TOML date or date-time from a rule file as an aware instant.

    An offset date-time is kept; a local date-time takes ``zone``; a date means
    ``day_time`` (midnight unless stated) on that day in ``zone``.
    Returns ``None`` for anything else, so the loader can name the field.
    """
    if isinstance(value, _dt.datetime):
        return fixed(value) if value.tzinfo is not None else _attach(value, zone)
    if isinstance(value, _dt.date):
        return _attach(_dt.datetime.combine(value, day_time), zone)
    return None


def day_instant(day: _dt.date, zone: _dt.tzinfo, day_time: _dt.time) -> _dt.datetime:
    """The instant a bare date stands for: ``day_time`` on ``day`` in ``zone``."""
    return _attach(_dt.datetime.combine(day, day_time), zone)


#: instants are shifted by zones and by a day (bare-date warnings): the first and last years stay clear of the
#: limits of datetime
_FIRST_YEAR, _LAST_YEAR = 2, 9998
def _naive_error(argument: str, typed: Any, naive: _dt.datetime,
                 to_instant: Callable[[_dt.date], _dt.datetime], zone_name: str | None) -> InvalidInstantError:
    """The error for a naive date-time: it shows what was typed and the same wall time in the rule set's zone."""
    zone = zone_named(zone_name) if zone_name else None
    if zone is not None:
        example = _attach(naive, zone).isoformat()
        python = f'tzinfo dateutil.tz.gettz("{zone_name}")'
    else:  # the offset a bare date of that day takes
        example = naive.replace(tzinfo=_dt.timezone(to_instant(naive.date()).utcoffset())).isoformat()
        python = "tzinfo the rule set's zone (dateutil.tz.gettz)"
    where = f"the rule set's zone {zone_name}" if zone is not None else "the rule set's zone"
    return InvalidInstantError(
        argument, typed,
        "is a naive date-time (no time zone)",
        f"an aware date-time, e.g. {example} (that wall time in {where}; in Python a datetime with {python}), "
        "or a bare date")


#: a date with an offset or Z and no time: 2025-04-16+09:00, 2025-04-16Z
_DATE_AND_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[+-]\d{2}(?::?\d{2})?|Z)$")


def _is_date(digits: str) -> bool:
    try:
        _dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return True


def instant_from_query(
    value: Any, to_instant: Callable[[_dt.date], _dt.datetime], argument: str = "when",
    zone_name: str | None = None,
) -> tuple[_dt.datetime, bool]:
    """Read a query's ``date``, aware ``datetime`` or ISO string.

    Returns ``(instant, was_bare_date)``; ``to_instant`` says what a bare date
    means (see :func:`day_instant`). A naive ``datetime`` is refused: the
    engine will not guess which zone the caller meant; the error suggests the
    same wall time in ``zone_name`` (the rule set's zone, an IANA name).
    """
    raw = typed = value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 8 and text.isdigit() and _is_date(text):  # Python would read 20250405 as a naive midnight
            raise InvalidInstantError(argument, value, "is a compact date (YYYYMMDD), which is not read: it could "
                                      "be taken for a number or a naive date-time", f"the date written "
                                      f"{text[:4]}-{text[4:6]}-{text[6:]} (YYYY-MM-DD), or an aware date-time such as "
                                      f"{text[:4]}-{text[4:6]}-{text[6:]}T09:30:00-04:00")
        if _DATE_AND_OFFSET.match(text):  # Python reads the offset of "2025-04-16+09:00" as a time of day
            day = text[:10]
            raise InvalidInstantError(argument, value, "is a date followed by a UTC offset with no time before it",
                                      f"a date-time with its offset, such as {day}T00:00{text[10:]}, or the bare "
                                      f"date {day}")
        try:
            if len(text) == 10:
                value = _dt.date.fromisoformat(text)
            else:
                value = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInstantError(
                argument, value, "is not an ISO date or date-time",
                "2025-04-16 or 2025-04-16T09:30:00-04:00",
            ) from None
    if isinstance(value, _dt.date) and value != value:  # pandas.NaT: a missing time, equal to nothing
        raise InvalidInstantError(argument, "NaT", "is NaT (not a time): the date is missing",
                                  "a date, an aware datetime or an ISO string")
    if isinstance(value, _dt.date) and not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise InvalidInstantError(argument, raw, "is outside the years tariffrules can compute with",
                                  f"a date from {_FIRST_YEAR} to {_LAST_YEAR}")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _naive_error(argument, typed, value.replace(tzinfo=None), to_instant, zone_name)
        return fixed(value), False
    if isinstance(value, _dt.date):
        return to_instant(value), True
    if type(value).__module__ == "numpy" and type(value).__name__ == "datetime64":
        raise InvalidInstantError(argument, str(value), "is a NumPy datetime64, which carries no time zone",
                                  "a date (value.astype('datetime64[D]').item()), an aware datetime or an ISO string "
                                  "such as 2025-04-16")
    raise InvalidInstantError(argument, value, "is not a date or date-time", "a date, an aware datetime or an ISO string")


@attrs.frozen
class Period:
    """A half-open interval of instants, ``[start, end)``; ``end=None`` is open."""

    start: _dt.datetime
    end: _dt.datetime | None = None

    def contains(self, instant: _dt.datetime) -> bool:
        return self.start <= instant and (self.end is None or instant < self.end)

    @property
    def stop(self) -> _dt.datetime:
        """``end``, or :data:`FOREVER` for an open period (handy for comparisons)."""
        return FOREVER if self.end is None else self.end

    def overlaps(self, other: "Period") -> bool:
        return self.start < other.stop and other.start < self.stop

    def describe(self, zone: _dt.tzinfo | None = None) -> str:
        def show(t: _dt.datetime) -> str:
            return (t.astimezone(zone) if zone else t).isoformat()

        return f"[{show(self.start)}, {show(self.end) if self.end else 'open'})"

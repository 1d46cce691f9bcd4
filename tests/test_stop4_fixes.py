"""Inputs left open by the issue-14 helper of the fourth stop of 2026-11-29 (tester14b rows R8 and T3), each
now said: a refund report answered after the rule set's review day warns that later measures are missing, as
``resolve`` warns of a late ``as_of``; a table without a required column is refused, as ``batch`` refuses such a
file, instead of one identical error per row."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io

import pytest

import tariffrules
from tariffrules.cli import main
from tariffrules.errors import QueryError

US = tariffrules.builtin("us")
ENTRY = {"entry_number": "ABC-1234567-1", "line_number": "1", "entry_date": "2025-04-16", "hts": "8525.89.30",
         "origin": "JP", "value": "12000.00", "declared": "9903.01.25=1200.00", "entry_type": "01",
         "liquidation_status": "unliquidated"}


def _refunds(tmp_path, *argv):
    source = tmp_path / "in.csv"
    with source.open("w", newline="") as f:
        writer = csv.DictWriter(f, list(ENTRY))
        writer.writeheader()
        writer.writerow(ENTRY)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["refunds", str(source), "-", "--on", "2026-05-01", *argv])
    return code, err.getvalue()


def test_refunds_warn_when_owed_now_is_answered_after_the_review_day(tmp_path):
    reviewed = US.info.reviewed
    after = (reviewed + dt.timedelta(days=1)).isoformat()
    code, err = _refunds(tmp_path, "--now", after)
    assert code == 0 and "warning" in err and reviewed.isoformat() in err and "--now" in err
    # the review day itself (as known at its end) is what the rule set holds: no warning
    code, err = _refunds(tmp_path, "--now", reviewed.isoformat())
    assert code == 0 and "warning" not in err


def test_refunds_without_now_warn_when_today_is_after_the_review_day(tmp_path):
    code, err = _refunds(tmp_path)
    today = dt.datetime.now(US.info.zone).date()
    assert code == 0
    assert ("warning" in err) == (today > US.info.reviewed)


@pytest.mark.parametrize("missing", ["hts", "origin", "when"])
def test_resolve_table_refuses_a_table_without_a_required_column(missing):
    pa = pytest.importorskip("pyarrow")
    columns = {"hts": ["8525.89.30"], "origin": ["JP"], "when": ["2025-07-01"], "value": ["1000"]}
    del columns[missing]
    with pytest.raises(QueryError, match=f"has no column {missing}"):
        US.resolve_table(pa.table(columns))


# retest14c N4, N6, N11: NumPy scalars of other kinds than the int and bool the reader takes exactly
def test_a_numpy_float32_value_is_refused_as_a_float():
    np = pytest.importorskip("numpy")
    from tariffrules.errors import InvalidFactError

    with pytest.raises(InvalidFactError, match="is a float"):
        US.resolve("8525.89.30", "JP", "2025-04-16", value=np.float32(1000))


def test_a_numpy_datetime64_entry_says_how_to_convert_it():
    np = pytest.importorskip("numpy")
    from tariffrules.errors import InvalidInstantError

    with pytest.raises(InvalidInstantError, match="NumPy datetime64") as caught:
        US.resolve("8525.89.30", "JP", np.datetime64("2025-04-16"))
    assert "astype" in str(caught.value)


def test_progress_every_takes_a_numpy_integer():
    np = pytest.importorskip("numpy")
    seen = []
    answers = list(US.resolve_many([("8525.89.30", "JP", "2025-04-16")] * 3, progress=seen.append,
                                   progress_every=np.int64(1)))
    assert len(answers) == 3 and seen and seen[-1] == 3

"""The code table builder: dated change lists between schedule snapshots (issue 14, schedule revisions)."""

from __future__ import annotations

import pytest

from tariffrules.schedule import code_table_rows


def _lines(path, *codes):
    path.write_text("htsno\n" + "".join(f"{c}\n" for c in codes), encoding="utf-8")
    return str(path)


def _changes(path, *rows):
    path.write_text("old_hts10,new_hts10,revision_from,revision_to\n" + "".join(",".join(r) + "\n" for r in rows),
                    encoding="utf-8")
    return str(path)


def test_dated_changes_make_the_revisions_between_two_snapshots(tmp_path):
    first = _lines(tmp_path / "a_lines.csv", "0101.21.00.10", "0101.21.00.20", "0101.29.00.00")
    last = _lines(tmp_path / "b_lines.csv", "0101.21.00.10", "0101.30.00.00")
    changes = _changes(tmp_path / "c.csv", ("0101210020", "NA", "a", "m"), ("0101290000", "0101300000", "m", "b"))
    rows = dict(code_table_rows([f"a={first}", "m", f"b={last}"], changes=changes))
    assert rows["0101210020"] == 0b001  # dropped at m
    assert rows["0101290000"] == 0b011 and rows["01012900"] == 0b011  # the 8-digit line goes with its last line
    assert rows["0101300000"] == 0b100 and rows["01013000"] == 0b100
    assert rows["0101210010"] == 0b111


def test_changes_that_do_not_lead_to_the_next_snapshot_are_refused(tmp_path):
    first = _lines(tmp_path / "a_lines.csv", "0101.21.00.10", "0101.21.00.20")
    last = _lines(tmp_path / "b_lines.csv", "0101.21.00.10")
    changes = _changes(tmp_path / "c.csv", ("NA", "0101210030", "a", "b"))
    with pytest.raises(ValueError, match="0 lines missing, 2 too many"):
        code_table_rows([f"a={first}", f"b={last}"], changes=changes)
    with pytest.raises(ValueError, match="revisions not given: z"):
        code_table_rows([f"a={first}", "b"], changes=_changes(tmp_path / "d.csv", ("NA", "0101210030", "a", "z")))


def test_the_us_table_follows_2026_revision_11():
    # USITC change record, 2026 HTS Revision 11: 0704.20.0000 annotated into 0704.20.0020 and .0040, July 1, 2026
    import tariffrules
    from tariffrules.errors import UnknownCodeError

    us = tariffrules.builtin("us")
    assert us.resolve("0704.20.00.00", "JP", "2026-06-30").query.code == "0704200000"
    assert us.resolve("0704.20.00.20", "JP", "2026-07-01").query.code == "0704200020"
    for code, when in (("0704.20.00.20", "2026-06-30"), ("0704.20.00.00", "2026-07-01")):
        with pytest.raises(UnknownCodeError, match=when):
            us.resolve(code, "JP", when)


def test_an_eight_digit_code_the_change_list_adds_keeps_its_line_and_takes_any_suffix(tmp_path):
    first = _lines(tmp_path / "a_lines.csv", "0101.21.00.00")
    changes = _changes(tmp_path / "c.csv", ("0101210000", "NA", "a", "m"), ("NA", "01012100", "a", "m"))
    rows = dict(code_table_rows([f"a={first}", "m"], changes=changes))
    assert rows["01012100"] == 0b11 and rows["0101210000"] == 0b01

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

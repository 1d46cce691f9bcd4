"""Rows in, rows out: the shared CSV semantics of the batch command and the Dask scale-out."""

from __future__ import annotations

import pytest

from tariffrules.errors import InvalidFactError
from tariffrules.tabular import RESULT_COLUMNS, line_from_row, resolve_rows

FACTS = {"usmca": "bool"}


def test_line_from_row_reads_cells():
    line = line_from_row({"hts": " 7308.10.00 ", "origin": "JP", "when": "2025-04-09", "value": "1000",
                          "content": "steel=300; aluminum=20", "usmca": "Yes", "mfn": "", "note": "ignored"}, FACTS)
    assert line == {"hts": "7308.10.00", "origin": "JP", "when": "2025-04-09", "value": "1000",
                    "content": {"steel": "300", "aluminum": "20"}, "usmca": True}


@pytest.mark.parametrize("row,argument", [({"content": "steel"}, "content"), ({"usmca": "maybe"}, "usmca")])
def test_bad_cells_raise_naming_the_column(row, argument):
    with pytest.raises(InvalidFactError) as info:
        line_from_row(row, FACTS)
    assert info.value.argument == argument


def test_one_output_row_per_input_row_in_order(toy):
    rows = [
        {"hts": "7308.10.00", "origin": "JP", "when": "2025-04-09", "value": "1000", "content": "steel=300"},
        {"hts": "1", "origin": "JP", "when": "2025-04-09"},
        {"hts": "7308.10.00", "origin": "CA", "when": "2025-04-09", "usmca": "maybe"},
        {"hts": "8525.89.30", "origin": "CA", "when": "2025-04-09", "usmca": "yes", "value": "10"},
    ]
    out = list(resolve_rows(toy, rows))
    assert [r["hts"] for r in out] == [r["hts"] for r in rows]
    assert all(set(RESULT_COLUMNS) <= set(r) for r in out)
    assert out[0]["rate"] == "24.3" and out[0]["duty"] == "243.00" and out[0]["error"] == ""
    assert out[1]["error"].startswith("InvalidCodeError") and out[1]["rate"] == ""
    assert out[2]["error"].startswith("InvalidFactError")
    assert out[3]["headings"] == "" and out[3]["rate"] == "0" and out[3]["duty"] == "0"

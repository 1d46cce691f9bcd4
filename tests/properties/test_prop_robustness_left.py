"""Generated mangled codes, contradictory refund lines and spreadsheet-shaped batch files
(tariffrules.testing.bad_inputs) are refused with a message naming the fault, or read as documented, whichever
reader runs (issue 14, tester14b and perf16 items). The thorough profile runs each 10,000 times."""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from hypothesis import given, settings

import tariffrules
from tariffrules.cli import main
from tariffrules.errors import InvalidCodeError
from tariffrules.testing.bad_inputs import bad_refund_rows, batch_file_bytes, mangled_codes

US = tariffrules.builtin("us")


@given(drawn=mangled_codes(US))
def test_a_mangled_code_is_refused_naming_what_is_wrong(drawn):
    case, words = drawn
    with pytest.raises(InvalidCodeError) as caught:
        case.resolve(US)
    assert words in str(caught.value)


@given(drawn=bad_refund_rows())
def test_a_contradictory_refund_line_is_an_error_in_place(drawn):
    row, column = drawn
    line, = US.refunds([row], on="2026-05-01")
    assert line.error is not None and f"{column}=" in line.error and line.decision.route is None


@settings(max_examples=max(5, settings.default.max_examples // 8))  # each example is two whole batch runs
@given(drawn=batch_file_bytes())
def test_columnar_and_row_readers_write_the_same_rows(tmp_path_factory, drawn):
    pytest.importorskip("pyarrow")
    data, rows = drawn
    folder = tmp_path_factory.mktemp("batch")
    source = folder / "in.csv"
    source.write_bytes(data)
    outputs = []
    for options in ([], ["--columnar"]):
        target = folder / f"out{len(outputs)}.csv"
        with contextlib.redirect_stderr(io.StringIO()):
            assert main(["batch", str(source), str(target), *options]) == 0
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    csv.field_size_limit(1 << 24)
    assert len(list(csv.DictReader(io.StringIO(outputs[1].decode())))) == rows

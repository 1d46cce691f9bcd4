"""Inputs a robustness tester found answered silently or crashing (issue 14), each now refused."""

import os
import subprocess
import sys

import pytest

import tariffrules
from tariffrules.hts import normalize_code


def _cli(*args, cwd=None):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "tariffrules", *args], capture_output=True, text=True, cwd=cwd,
                          env=env)


@pytest.mark.parametrize("code", ["870.323.01", "8703.2.301", "87.0323.01", "8703..23.01", "8703.23.01.9.0"])
def test_a_dot_out_of_place_is_refused(code):
    with pytest.raises(tariffrules.InvalidCodeError, match="dot out of place"):
        normalize_code(code)


@pytest.mark.parametrize("code,digits", [("8703.23.01", "87032301"), ("8703.23.0190", "8703230190"),
                                         ("8703.2301", "87032301"), ("8703230190", "8703230190")])
def test_dots_where_the_schedule_writes_them_are_accepted(code, digits):
    assert normalize_code(code) == digits


def test_json_and_json_full_together_are_a_usage_error():
    done = _cli("resolve", "8703.23.01.90", "JP", "2025-07-01", "--json", "--json-full")
    assert done.returncode != 0
    assert "--json" in done.stderr and "cannot be given" in done.stderr
    assert done.stdout == ""


def test_abbreviated_options_are_not_guessed():
    done = _cli("resolve", "8703.23.01.90", "JP", "2025-07-01", "--val", "1000")
    assert done.returncode == 2
    assert "--val" in done.stderr


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")
def test_batch_refuses_an_output_hard_linked_to_its_input(tmp_path):
    source = tmp_path / "in.csv"
    rows = "hts,origin,when\n" + "8703.23.01.90,JP,2025-07-01\n" * 50
    source.write_text(rows)
    os.link(source, tmp_path / "out.csv")
    done = _cli("batch", "in.csv", "out.csv", cwd=tmp_path)
    assert done.returncode != 0
    assert "is the input file" in done.stderr
    assert source.read_text() == rows  # the input is untouched

"""Error messages read as sentences for a user: no Python reprs (issue 14, library messages).

Checked over every typed error the robustness catalogue (``tests/robustness_inputs.py``) raises, for the
library and the command line alike, and on the messages the fact checks build.
"""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tariffrules.errors import InvalidFactError, QueryError, RuleFileError, shown

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def catalogue():
    spec = importlib.util.spec_from_file_location("robustness_inputs", HERE / "robustness_inputs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("robustness_inputs", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("message", [
    "hts='8703': has 4 digits", "got Decimal('5')", "at datetime.datetime(2025, 5, 1)", "<tariffrules.Query object>",
    "content {'steel': 5}", "levy 'us.x'", "Query(code='8703')", "a <Levy us.x>",
])
def test_the_repr_check_catches_a_repr(catalogue, message):
    assert catalogue.repr_looking(message)


@pytest.mark.parametrize("message", [
    'hts="8703": has 4 digits; expected a code of 8 or 10 digits', "the good's own code in the rule set's schedule",
    "value=1E+400: is not a number of at most 28 digits", "content={steel: 5}: adds up to more than the value 1",
])
def test_the_repr_check_lets_a_sentence_pass(catalogue, message):
    assert catalogue.repr_looking(message) is None


def test_no_message_of_the_catalogue_looks_like_a_repr(catalogue):
    messages = catalogue.error_messages()
    assert len(messages) > 250
    bad = [(kind, what, message[:200]) for kind, what, message in messages if catalogue.repr_looking(message)]
    assert not bad, "\n".join(f"{kind} / {what}: {message}" for kind, what, message in bad[:20])


def test_values_are_shown_as_written():
    assert str(QueryError("value", Decimal("1E+400"), "is too large")) == "value=1E+400: is too large"
    assert str(InvalidFactError("content", {"steel": Decimal("5")}, "adds up to more")) == \
        "content={steel: 5}: adds up to more"
    assert str(RuleFileError("bad", file="a.toml", levy="x.y", field="rate", value=Decimal("2"))) == \
        "a.toml: levy x.y: field rate: bad (got 2)"
    assert shown(object()) == "an object" and shown(None) == "(not given)"


def test_a_revision_describes_its_line_counting_from_one():
    import tariffrules

    us = tariffrules.builtin("us")
    first = next(iter(us.revisions([("8703.23.01.90", "JP", "2025-04-15")], filed_as_of="2025-04-20")))
    assert first.line == 0 and first.describe().startswith("line 1: ")


def test_a_fact_error_names_the_fact_by_its_label():
    import tariffrules

    with pytest.raises(InvalidFactError) as caught:
        tariffrules.builtin("us").resolve("8703.23.01.90", "JP", "2025-06-01", vehicle_part_of="MHDV")
    spec = next(f for f in tariffrules.builtin("us").info.facts if f.name == "vehicle_part_of")
    assert spec.label() and spec.label() in str(caught.value) and "'" not in spec.label()

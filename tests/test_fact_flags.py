"""Fact flags (``[fact_flags.NAME]`` tables): a command-line yes-flag that gives a declared fact one value.

The US rule set spells the 50 U.S.C. 1702(b) claims as one fact, ``ieepa_1702b``, read by the IEEPA,
Section 122 and Section 301 exception headings; ``--humanitarian-donation`` and ``--informational-material``
set it. Expected headings are from the chapter 99 texts named beside each case.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tariffrules
from tariffrules.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, main
from tariffrules.errors import RuleFileError, UnknownFactError


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv,heading", [
    # EO 14257 sec. 3(b)(i); HTSUS note 2(v)(ii), heading 9903.01.30 (donations, reciprocal duties, 2025)
    (["6109.10.00", "VN", "2025-06-01", "--humanitarian-donation"], "9903.01.30"),
    # HTSUS heading 9903.01.31 (informational materials, reciprocal duties, 2025)
    (["4901.99.00", "VN", "2025-06-01", "--informational-material"], "9903.01.31"),
    # HTSUS heading 9903.03.10 (2026 Rev. 6): Section 122 donations
    (["6109.10.00", "VN", "2026-03-02", "--humanitarian-donation"], "9903.03.10"),
    # HTSUS heading 9903.05.92 (2026 Rev. 13): Section 301 (60 economies) informational materials
    (["4901.99.00", "VN", "2026-08-03", "--informational-material"], "9903.05.92"),
])
def test_the_1702b_flags_claim_the_exception_of_every_programme(capsys, argv, heading):
    code, out, _ = run(capsys, "resolve", *argv, "--json")
    assert code == EXIT_OK
    assert heading in json.loads(out)["headings"]


def test_a_flag_means_the_same_as_the_fact_it_sets(capsys):
    _, flag, _ = run(capsys, "resolve", "6109.10.00", "BR", "2026-08-03", "--humanitarian-donation", "--json")
    _, fact, _ = run(capsys, "resolve", "6109.10.00", "BR", "2026-08-03", "--fact", "ieepa_1702b=donation", "--json")
    _, none, _ = run(capsys, "resolve", "6109.10.00", "BR", "2026-08-03", "--json")
    assert json.loads(flag)["headings"] == json.loads(fact)["headings"]
    assert "9903.05.08" in json.loads(flag)["headings"]      # note 50, heading 9903.05.08 (2026 Rev. 12)
    assert "9903.05.08" not in json.loads(none)["headings"]


@pytest.mark.parametrize("extra,named", [
    (["--fact", "ieepa_1702b=informational"], "--fact ieepa_1702b"),
    (["--informational-material"], "--humanitarian-donation"),
])
def test_a_flag_contradicting_another_value_of_its_fact_is_refused(capsys, extra, named):
    code, _, err = run(capsys, "resolve", "6109.10.00", "VN", "2026-03-02", "--humanitarian-donation", *extra)
    assert code == EXIT_BAD_INPUT
    assert named in err and "conflicts with" in err


def test_a_fact_flag_has_no_negative_form_and_is_not_a_fact(capsys, us):
    code, _, err = run(capsys, "resolve", "6109.10.00", "VN", "2026-03-02", "--no-humanitarian-donation")
    assert code == EXIT_USAGE and "--no-humanitarian-donation" in err
    with pytest.raises(UnknownFactError):
        us.resolve("6109.10.00", "VN", "2026-03-02", facts={"humanitarian_donation": True})


def test_help_lists_the_fact_flags(capsys):
    code, out, _ = run(capsys, "resolve", "--help")
    assert code == EXIT_OK
    assert "--humanitarian-donation (= --fact ieepa_1702b=donation)" in out


RULES = '''
[ruleset]
name = "mini"
title = "Minimal"
zone = "Europe/Paris"
horizon_start = 2025-01-01
reviewed = 2025-12-31

[facts.claim]
type = "choice"
choices = ["none", "gift"]
default = "none"

[facts.usmca]
type = "bool"
default = false

[program]
id = "mini.p"
title = "P"
authority = "Act"
rank = 1

[[levy]]
id = "mini.p.a"
title = "A"
citation = "Act s. 1"
rate = "5%"
start = 2025-02-01
goods = ["01"]
origins = ["*"]
unless = [ { fact = "claim", is = "gift" } ]

[fact_flags.gift]
fact = "claim"
value = "gift"
'''


def test_a_fact_flag_table_loads(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    rules = tariffrules.load(path)
    [flag] = rules.info.fact_flags
    assert (flag.name, flag.fact, flag.value) == ("gift", "claim", "gift")


@pytest.mark.parametrize("old,new,fragment", [
    ('fact = "claim"\nvalue', 'fact = "nothing"\nvalue', "is not a declared text or choice fact"),
    ('fact = "claim"\nvalue', 'fact = "usmca"\nvalue', "is not a declared text or choice fact"),
    ('value = "gift"', 'value = "loan"', "is not a value of fact claim"),
    ('[fact_flags.gift]', '[fact_flags.usmca]', "named like a fact"),
    ('value = "gift"\n', '', "is required"),
    ('value = "gift"\n', 'value = "gift"\ncolour = "red"\n', "unknown key"),
])
def test_a_bad_fact_flag_table_is_a_rule_file_error(tmp_path, old, new, fragment):
    assert RULES.count(old) == 1
    path = tmp_path / "rules.toml"
    path.write_text(RULES.replace(old, new))
    with pytest.raises(RuleFileError) as info:
        tariffrules.load(path)
    assert fragment in str(info.value) and "fact_flags" in str(info.value)

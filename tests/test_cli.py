"""The command line, run in-process through ``main(argv)`` (and once as ``python -m tariffrules``).

Expected answers come from the toy rule set's files (tests/rules/toy), worked
by hand, or from the library called directly in the test, never from the
command's own output.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tariffrules.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, main
from tariffrules.cli_output import BAR_WIDTH, Column, Output, bar_length

TOY = str(Path(__file__).parent / "rules" / "toy")
ESCAPE = "\x1b"
COMMANDS = ("resolve", "timeline", "batch", "validate", "show", "list")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_toy(capsys, *argv: str) -> tuple[int, str, str]:
    """Run a command against the toy rule set."""
    return run(capsys, *argv, "--rules", TOY)


NEEDS_RICH = "the cli extra (rich) is not installed: pip install -e '.[cli]'"


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal, so the rich path is taken."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch):
    """Call it in the test body (pytest's capture re-installs its own streams when the test starts):
    stdout and stderr become terminals with colour, whatever the environment running the tests says."""
    def install() -> tuple[FakeTerminal, FakeTerminal]:
        for name in ("NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR", "COLUMNS"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("TERM", "xterm-256color")
        out, err = FakeTerminal(), FakeTerminal()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        return out, err

    return install


@pytest.fixture
def no_rich(monkeypatch):
    """Make ``import rich`` fail, as when the ``cli`` extra is not installed."""
    for name in [m for m in sys.modules if m == "rich" or m.startswith("rich.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "rich", None)


# -- help and usage ------------------------------------------------------------------
def test_python_dash_m_help_runs_as_a_subprocess():
    done = subprocess.run([sys.executable, "-m", "tariffrules", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    for command in COMMANDS:
        assert command in done.stdout
    assert "exit status" in done.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_teaches_with_examples(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == EXIT_OK
    assert "examples:" in out and f"tariffrules {command}" in out


@pytest.mark.parametrize("argv", [
    [],                                                       # no command
    ["frob"],                                                 # unknown command
    ["resolve", "8703.23.01", "JP"],                          # missing DATE
    ["resolve", "8703.23.01", "JP", "2025-04-15", "--bogus"],  # not an option nor a yes/no fact
    ["resolve", "8703.23.01", "JP", "2025-04-15", "--usmca=1"],  # a flag takes no value
    ["list", "--bogus"],
    ["show"],
])
def test_usage_errors_exit_2_with_usage_on_stderr(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == EXIT_USAGE
    assert out == ""
    assert "usage:" in err


def test_unknown_flag_names_the_yes_no_facts_of_the_rule_set(capsys):
    code, _, err = run_toy(capsys, "resolve", "8703.23.01", "JP", "2025-04-15", "--bogus")
    assert code == EXIT_USAGE and "--usmca" in err


# -- resolve ---------------------------------------------------------------------------------
def test_resolve_prints_the_applied_levy_total_and_duty(capsys):
    # toy.sector.autos: 25% on 8703 from 2025-04-03, heading 9903.94.01, Toy Proclamation 8; 25% of 1000 = 250.00
    code, out, err = run_toy(capsys, "resolve", "8703.23.01", "JP", "2025-04-15", "--value", "1000")
    assert code == EXIT_OK and err == ""
    row = next(line for line in out.splitlines() if line.startswith("9903.94.01"))
    assert "toy.sector.autos" in row and "25%" in row and "full value" in row and "Toy Proclamation 8" in row
    assert "Total additional rate: 25%" in out
    assert "Duty on 1000: 250.00" in out
    assert "Considered and not applied" not in out


def test_resolve_with_content_shows_both_bases_and_the_duty(capsys):
    # 24% on 700 (value less steel) + 25% on 300 (steel content) = 168 + 75 = 243.00, i.e. 24.3% of 1000
    code, out, _ = run_toy(capsys, "resolve", "7308.10.00", "JP", "2025-04-09", "--value", "1000",
                       "--content", "steel=300")
    assert code == EXIT_OK
    assert "value less steel content" in out and "steel content" in out
    assert "Total additional rate: 24.3%" in out and "Duty on 1000: 243.00" in out
    assert "toy.recip.jp: not on the steel content (taken by toy.sector.steel_derivatives)" in out


def test_resolve_explain_says_what_was_skipped_and_why(capsys):
    code, out, _ = run_toy(capsys, "resolve", "8703.23.01", "JP", "2025-04-15", "--explain")
    assert code == EXIT_OK
    lines = out.splitlines()
    baseline = next(line for line in lines if "toy.recip.baseline" in line)
    assert "replaced" in baseline and "by toy.sector.autos" in baseline
    jp = next(line for line in lines if "toy.recip.jp" in line)
    assert "suspended" in jp and "toy.recip.pause" in jp
    # levies only not yet in force are counted, not listed, unless --all-skipped
    assert "toy.recip.nordic" not in out and "not yet in force: 2" in out
    assert "Out of scope for this good or origin: 7" in out  # steel, derivatives, border, 4 exemption lines


def test_resolve_all_skipped_lists_levies_not_in_force(capsys):
    code, out, _ = run_toy(capsys, "resolve", "8703.23.01", "JP", "2025-04-15", "--all-skipped")
    assert code == EXIT_OK
    nordic = next(line for line in out.splitlines() if "toy.recip.nordic" in line)
    assert "not yet in force" in nordic


def test_resolve_json_full_is_the_resolution_as_a_dict(capsys, toy):
    code, out, err = run(capsys, "resolve", "7308.10.00", "JP", "2025-04-09", "--value", "1000",
                         "--content", "steel=300", "--rules", TOY, "--json-full")
    assert code == EXIT_OK and err == ""
    expected = toy.resolve("7308.10.00", "JP", "2025-04-09", value=Decimal(1000),
                           content={"steel": Decimal(300)}).to_dict()
    assert json.loads(out) == expected
    assert ESCAPE not in out


def test_resolve_json_is_compact_without_the_out_of_scope_levies(capsys, toy):
    code, out, err = run(capsys, "resolve", "7308.10.00", "JP", "2025-04-09", "--value", "1000",
                         "--content", "steel=300", "--rules", TOY, "--json")
    assert code == EXIT_OK and err == ""
    full = toy.resolve("7308.10.00", "JP", "2025-04-09", value=Decimal(1000), content={"steel": Decimal(300)})
    data = json.loads(out)
    assert data["levies"] == full.to_dict()["levies"] and data["rate"] == str(full.rate)
    # only the levies in force and not applied are listed (here: the baseline, replaced by Japan's rate, and
    # the in-transit and US-content exemption lines, whose conditions are not given); the others are counted:
    # not yet in force: the Nordic rate and the Japan autos deal; out of scope: China's rate and the Canada
    # border duty (origin), the autos, steel and energy exemption lines and the steel and autos duties (goods)
    assert [s["id"] for s in data["skipped"]] == ["toy.exempt.in_transit", "toy.exempt.us_content",
                                                  "toy.recip.baseline"]
    assert data["skipped_not_listed"] == {"not_in_force": 2, "out_of_scope": 7}
    assert len(full.skipped) == 3 + 2 + 7


def test_resolve_uses_the_bundled_us_rules_by_default(capsys, us):
    code, out, _ = run(capsys, "resolve", "8703.23.01", "JP", "2025-04-15", "--json-full")
    assert code == EXIT_OK
    assert json.loads(out) == us.resolve("8703.23.01", "JP", "2025-04-15").to_dict()


def test_newcomer_question_is_answered_with_the_reason(capsys, us):
    code, out, _ = run(capsys, "resolve", "8703.23.01", "JP", "2025-04-15", "--explain")
    assert code == EXIT_OK
    answer = us.resolve("8703.23.01", "JP", "2025-04-15")
    for levy in answer.levies:
        assert levy.id in out and levy.heading in out
    decisive = [s for s in answer.skipped if s.reason in ("replaced", "suspended", "excluded", "exempt")]
    assert decisive
    for skipped in decisive:
        assert skipped.id in out


@pytest.mark.parametrize("flags,expected_headings", [
    ([], ["9903.01.10"]),                      # toy.border.ca applies when no preference is claimed
    (["--no-usmca"], ["9903.01.10"]),
    (["--usmca"], []),                         # a yes/no fact of the rule set is a flag
    (["--fact", "usmca=yes"], []),             # or a --fact NAME=VALUE
    (["--fact", "usmca=no"], ["9903.01.10"]),
])
def test_yes_no_facts_are_flags(capsys, flags, expected_headings):
    code, out, _ = run_toy(capsys, "resolve", "8525.89.30", "CA", "2025-04-15", "--json", *flags)
    assert code == EXIT_OK
    assert json.loads(out)["headings"] == expected_headings


def test_as_of_answers_with_what_was_known_then(capsys):
    # toy.recip.cn: 34% known 2025-04-02, replaced by 125% from Apr. 10, signed Apr. 9
    _, then, _ = run_toy(capsys, "resolve", "8525.89.30", "CN", "2025-04-11", "--as-of", "2025-04-08", "--json")
    _, now, _ = run_toy(capsys, "resolve", "8525.89.30", "CN", "2025-04-11", "--json")
    assert json.loads(then)["rate"] == "34"
    assert json.loads(now)["rate"] == "125"


def test_mfn_sets_the_general_rate_of_an_all_in_levy(capsys):
    # toy.sector.autos_jp_deal: 15% all-in; the toy schedule gives 8703 a 2.5% general rate
    _, schedule, _ = run_toy(capsys, "resolve", "8703.23.01", "JP", "2025-10-01", "--json")
    _, given_mfn, _ = run_toy(capsys, "resolve", "8703.23.01", "JP", "2025-10-01", "--mfn", "5", "--json")
    assert json.loads(schedule)["rate"] == "12.5"
    assert json.loads(given_mfn)["rate"] == "10"


def test_loaded_claims_the_in_transit_exemption(capsys):
    # toy.recip.baseline is exempt for goods loaded before Apr. 5 and entered before May 28, 2025;
    # the line then carries the in-transit exemption heading, toy.exempt.in_transit (9903.01.28)
    _, plain, _ = run_toy(capsys, "resolve", "8525.89.30", "DE", "2025-04-20", "--json")
    _, loaded, _ = run_toy(capsys, "resolve", "8525.89.30", "DE", "2025-04-20", "--loaded", "2025-04-01",
                           "--json", "--explain")
    assert json.loads(plain)["headings"] == ["9903.01.25"]
    assert json.loads(loaded)["headings"] == ["9903.01.28"]
    skipped = {s["id"]: s["reason"] for s in json.loads(loaded)["skipped"]}
    assert skipped["toy.recip.baseline"] == "exempt"


def test_allow_stale_accepts_dates_after_the_review(capsys):
    # the toy set was reviewed up to 2026-12-31
    code, _, err = run_toy(capsys, "resolve", "8703.23.01", "JP", "2027-01-05")
    assert code == EXIT_BAD_INPUT and "--allow-stale" in err
    code, out, _ = run_toy(capsys, "resolve", "8703.23.01", "JP", "2027-01-05", "--allow-stale")
    assert code == EXIT_OK and "9903.94.41" in out


@pytest.mark.parametrize("argv,named", [
    (["resolve", "8703", "JP", "2025-04-15"], "HTS"),
    (["resolve", "8703.23.01", "XX", "2025-04-15"], "ORIGIN"),
    (["resolve", "8703.23.01", "JP", "2025-13-01"], "DATE"),
    (["resolve", "8703.23.01", "JP", "2024-06-01"], "DATE"),                 # before the horizon
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--value", "abc"], "--value"),
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--value", "-5"], "--value"),
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--mfn", "x"], "--mfn"),
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--loaded", "soon"], "--loaded"),
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--content", "steel"], "--content"),
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--content", "steel=abc"], "--content"),
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--value", "10", "--content", "steel=40"], "--content"),
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--fact", "bogus=1"], "--fact bogus"),
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--fact", "usmca=maybe"], "--fact usmca"),
    (["resolve", "8703.23.01", "JP", "2025-04-15", "--as-of", "later"], "--as-of"),
    (["timeline", "8703.23.01", "JP", "2025-05-01", "2025-04-01"], "END"),
    (["timeline", "8703.23.01", "JP", "2025-02-30", "2025-04-01"], "START"),
    (["list", "--at", "yesterday"], "--at"),
    (["list", "--hts", "12"], "--hts"),
    (["list", "--origin", "ZZ"], "--origin"),
    (["show", "toy.nothing"], "toy.nothing"),
])
def test_bad_input_exits_1_naming_the_argument(capsys, argv, named):
    code, out, err = run_toy(capsys, *argv)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err.startswith(f"tariffrules {argv[0]}: error: ")
    assert named in err
    assert len(err.strip().splitlines()) == 1


def test_missing_rules_folder_exits_1_naming_rules(capsys, tmp_path):
    code, _, err = run(capsys, "resolve", "8703.23.01", "JP", "2025-04-15", "--rules", str(tmp_path / "none"))
    assert code == EXIT_BAD_INPUT
    assert "--rules" in err and "no such file or folder" in err


def test_rules_may_name_a_bundled_set(capsys, us):
    code, out, _ = run(capsys, "show", us.levies[0].id, "--rules", "us")
    assert code == EXIT_OK and us.levies[0].id in out


# -- timeline ---------------------------------------------------------------------------
def test_timeline_table_and_chart(capsys):
    # toy: nothing before autos (Apr. 3), then 25% autos, with its 0% exemption line from Apr. 5, then from
    # Sep. 16 the Japan deal: 15% all-in less the 2.5% general rate = 12.5%
    code, out, _ = run_toy(capsys, "timeline", "8703.23.01", "JP", "2025-01-01", "2025-12-31")
    assert code == EXIT_OK
    lines = out.splitlines()
    rows = [line.split() for line in lines if re.match(r"^2025-\d\d-\d\d  ", line)]
    assert [(r[0], r[1], r[-1]) for r in rows] == [
        ("2025-01-01", "2025-04-03", "0%"), ("2025-04-03", "2025-04-05", "25%"), ("2025-04-05", "2025-09-16", "25%"),
        ("2025-09-16", "2025-12-31", "12.5%")]
    bars = [line for line in lines if " .. " in line and "|" in line]
    assert [line.count("#") for line in bars] == [0, BAR_WIDTH, BAR_WIDTH, BAR_WIDTH // 2]


def test_timeline_json_matches_the_library(capsys, toy):
    code, out, _ = run(capsys, "timeline", "7308.10.00", "JP", "2025-01-01", "2025-12-31", "--value", "1000",
                       "--content", "steel=300", "--rules", TOY, "--json")
    assert code == EXIT_OK
    spans = toy.timeline("7308.10.00", "JP", "2025-01-01", "2025-12-31", value=Decimal(1000),
                         content={"steel": Decimal(300)})
    assert json.loads(out) == [span.to_dict() for span in spans]


def test_timeline_takes_fact_flags(capsys, toy):
    code, out, _ = run(capsys, "timeline", "8525.89.30", "CA", "2025-01-01", "2025-12-31", "--usmca", "--json",
                       "--rules", TOY)
    assert code == EXIT_OK
    expected = toy.timeline("8525.89.30", "CA", "2025-01-01", "2025-12-31", usmca=True)
    assert json.loads(out) == [span.to_dict() for span in expected]
    assert all(span["headings"] == [] for span in json.loads(out))


# -- batch ---------------------------------------------------------------------------------------
def _write_csv(path: Path, rows: list[dict], header: list[str]) -> None:
    with open(path, "w", newline="") as stream:
        writer = csv.DictWriter(stream, header)
        writer.writeheader()
        writer.writerows(rows)


BATCH_HEADER = ["hts", "origin", "when", "value", "content", "usmca", "ref"]
BATCH_ROWS = [
    {"hts": "8703.23.01", "origin": "JP", "when": "2025-04-15", "value": "1000", "ref": "a"},
    {"hts": "8703", "origin": "JP", "when": "2025-04-15", "ref": "b"},                       # bad code
    {"hts": "7308.10.00", "origin": "JP", "when": "2025-04-09", "value": "1000", "content": "steel=300", "ref": "c"},
    {"hts": "8525.89.30", "origin": "CA", "when": "2025-04-15", "usmca": "maybe", "ref": "d"},  # bad yes/no
    {"hts": "8525.89.30", "origin": "CA", "when": "2025-04-15", "usmca": "yes", "ref": "e"},
]


def test_batch_keeps_every_row_in_order_with_an_error_column(capsys, tmp_path, toy):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    _write_csv(source, BATCH_ROWS, BATCH_HEADER)
    code, out, err = run(capsys, "batch", str(source), str(target), "--rules", TOY)
    assert code == EXIT_OK and out == ""
    assert "5 row(s) written" in err and "2 with an error" in err
    with open(target, newline="") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
    assert reader.fieldnames == BATCH_HEADER + ["headings", "levies", "rate", "duty", "assumed", "error"]
    assert [r["ref"] for r in rows] == ["a", "b", "c", "d", "e"]
    assert [bool(r["error"]) for r in rows] == [False, True, False, True, False]
    assert rows[1]["error"].startswith("InvalidCodeError") and rows[1]["rate"] == ""
    assert rows[3]["error"].startswith("InvalidFactError") and "usmca" in rows[3]["error"]
    first = toy.resolve("8703.23.01", "JP", "2025-04-15", value=Decimal(1000))
    assert rows[0]["headings"] == " ".join(first.headings) and rows[0]["duty"] == str(first.duty())
    assert rows[2]["rate"] == "24.3" and rows[2]["duty"] == "243.00"   # worked by hand above
    assert rows[4]["headings"] == "" and rows[4]["rate"] == "0"


def test_batch_to_standard_output_and_strict(capsys, tmp_path):
    source = tmp_path / "in.csv"
    _write_csv(source, BATCH_ROWS, BATCH_HEADER)
    code, out, _ = run(capsys, "batch", str(source), "-", "--rules", TOY, "--strict")
    assert code == EXIT_BAD_INPUT                       # rows failed and --strict was given
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(BATCH_ROWS)
    assert ESCAPE not in out


def test_batch_without_a_required_column_exits_1_naming_it(capsys, tmp_path):
    source = tmp_path / "in.csv"
    _write_csv(source, [{"hts": "8703.23.01", "origin": "JP"}], ["hts", "origin"])
    code, _, err = run(capsys, "batch", str(source), str(tmp_path / "out.csv"), "--rules", TOY)
    assert code == EXIT_BAD_INPUT
    assert "IN" in err and "when" in err


def test_batch_reads_a_file_saved_with_a_byte_order_mark(capsys, tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("hts,origin,when\n8703.23.01,JP,2025-04-15\n", encoding="utf-8-sig")
    code, _, _ = run(capsys, "batch", str(source), str(target), "--rules", TOY)
    assert code == EXIT_OK
    row = next(csv.DictReader(open(target, newline="")))
    assert row["hts"] == "8703.23.01" and row["headings"] == "9903.01.33 9903.94.01" and row["error"] == ""


def test_batch_missing_input_file_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, "batch", str(tmp_path / "none.csv"), str(tmp_path / "out.csv"), "--rules", TOY)
    assert code == EXIT_BAD_INPUT and "none.csv" in err


def test_batch_refuses_to_overwrite_its_input(capsys, tmp_path):
    source = tmp_path / "in.csv"
    _write_csv(source, BATCH_ROWS, BATCH_HEADER)
    before = source.read_text()
    code, _, err = run(capsys, "batch", str(source), str(source), "--rules", TOY)
    assert code == EXIT_BAD_INPUT and "OUT" in err
    assert source.read_text() == before


def test_batch_notes_columns_it_does_not_read(capsys, tmp_path):
    source = tmp_path / "in.csv"
    _write_csv(source, BATCH_ROWS, BATCH_HEADER)
    _, _, err = run(capsys, "batch", str(source), str(tmp_path / "out.csv"), "--rules", TOY)
    assert "ref" in err.splitlines()[0]


def test_batch_shows_a_progress_bar_only_on_a_terminal(capsys, tmp_path, terminal):
    pytest.importorskip("rich", reason=NEEDS_RICH)
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    _write_csv(source, BATCH_ROWS, BATCH_HEADER)
    _, err = terminal()
    assert main(["batch", str(source), str(target), "--rules", TOY]) == EXIT_OK
    assert "resolving rows" in err.getvalue() and ESCAPE in err.getvalue()
    assert len(list(csv.DictReader(open(target, newline="")))) == len(BATCH_ROWS)


def test_batch_shows_no_progress_when_not_a_terminal(capsys, tmp_path):
    source = tmp_path / "in.csv"
    _write_csv(source, BATCH_ROWS, BATCH_HEADER)
    _, _, err = run(capsys, "batch", str(source), str(tmp_path / "out.csv"), "--rules", TOY)
    assert "resolving rows" not in err and ESCAPE not in err


# -- validate ----------------------------------------------------------------------------------
def test_validate_prints_a_summary(capsys, toy):
    code, out, _ = run(capsys, "validate", TOY)
    assert code == EXIT_OK
    versions = sum(len(levy.versions) for levy in toy.levies)
    assert f"levies             {len(toy.levies)} ({versions} versions)" in out
    assert f"suspensions        {len(toy.suspensions)}" in out
    assert "2025-01-01" in out and "2026-12-31" in out        # horizon_start and reviewed in ruleset.toml


def test_validate_reports_file_levy_and_field_of_a_broken_rule(capsys, toy_copy):
    broken = toy_copy / "sector.toml"
    broken.write_text(broken.read_text().replace('rate = "25%"\nbase = { content = "steel" }',
                                                 'rate = "lots"\nbase = { content = "steel" }'))
    code, out, err = run(capsys, "validate", str(toy_copy))
    assert code == EXIT_BAD_INPUT and out == ""
    assert "is not a valid rule set" in err
    fields = dict(line.split(None, 1) for line in err.splitlines()[1:])
    assert fields["file"].endswith("sector.toml")
    assert fields["levy"] == "toy.sector.steel_derivatives"
    assert fields["field"] == "rate"
    assert fields["got"] == '"lots"'  # as TOML writes it, not Python's repr


def test_validate_a_file_that_is_not_toml(capsys, tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text("this is = = not toml\n")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == EXIT_BAD_INPUT
    assert str(bad) in err and "TOML" in err


# -- show and list ---------------------------------------------------------------------------------
def test_show_lists_every_version_of_a_levy(capsys):
    code, out, _ = run_toy(capsys, "show", "toy.recip.cn")
    assert code == EXIT_OK
    assert out.count("version ") >= 3
    for label, rate in (("34", "34%"), ("34-cut", "34%"), ("125", "125%")):
        assert f"version {label}\n" in out
    assert "Toy Order 2 sec. 4" in out and "supersedes   34" in out
    assert "[2025-04-09, 2025-04-10)" in out and "[2025-04-10, open)" in out
    assert "origins      CN" in out and "known since  2025-04-09T13:00-04:00" in out


def test_show_a_suspension_and_as_json(capsys, toy):
    code, out, _ = run_toy(capsys, "show", "toy.recip.pause", "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["kind"] == "suspension"
    assert [v["label"] for v in data["versions"]] == [v.label for v in toy.get("toy.recip.pause").versions]


def test_list_filters_by_instant_origin_and_code(capsys, toy):
    code, out, _ = run_toy(capsys, "list", "--at", "2025-04-15", "--origin", "JP", "--json")
    assert code == EXIT_OK
    ids = {row["id"] for row in json.loads(out)}
    # in force on Apr. 15 and covering Japan: baseline, jp, the pause, steel, steel derivatives, autos,
    # and the 0% exemption lines (toy/exemptions.toml)
    assert ids == {"toy.recip.baseline", "toy.recip.jp", "toy.recip.pause", "toy.sector.steel",
                   "toy.sector.steel_derivatives", "toy.sector.autos", "toy.exempt.sector", "toy.exempt.autos",
                   "toy.exempt.in_transit", "toy.exempt.us_content", "toy.exempt.energy", "toy.exempt.steel"}
    _, out, _ = run_toy(capsys, "list", "--hts", "7308.10.00", "--json")
    ids = {row["id"] for row in json.loads(out)}
    assert "toy.sector.steel_derivatives" in ids and "toy.sector.autos" not in ids
    _, out, _ = run_toy(capsys, "list")
    # every version of every levy and suspension, less the three superseded ones (cn "34", pause "90-days",
    # border "original", amended by "original-end")
    every = sum(len(item.versions) for item in toy.levies + toy.suspensions)
    assert out.splitlines()[0].startswith(f"{every - 3} version(s)")
    assert "90-days" not in out and "extended" in out


# -- output: plain, rich, no rich --------------------------------------------------------------------
PLAIN_COMMANDS = [
    ["resolve", "7308.10.00", "JP", "2025-04-09", "--value", "1000", "--content", "steel=300", "--explain"],
    ["timeline", "8703.23.01", "JP", "2025-01-01", "2025-12-31"],
    ["show", "toy.recip.cn"],
    ["list"],
]


@pytest.mark.parametrize("argv", PLAIN_COMMANDS, ids=lambda a: a[0])
def test_plain_output_has_no_escape_codes(capsys, argv):
    code, out, err = run_toy(capsys, *argv)
    assert code == EXIT_OK and out
    assert ESCAPE not in out and ESCAPE not in err


def test_validate_plain_output_has_no_escape_codes(capsys):
    code, out, _ = run(capsys, "validate", TOY)
    assert code == EXIT_OK and ESCAPE not in out


def test_a_terminal_gets_rich_tables_and_colour(terminal):
    pytest.importorskip("rich", reason=NEEDS_RICH)
    out, _ = terminal()
    assert main(["resolve", "8703.23.01", "JP", "2025-04-15", "--rules", TOY]) == EXIT_OK
    text = out.getvalue()
    assert ESCAPE in text and "┃" in text and "9903.94.01" in text


@pytest.mark.parametrize("flag", ["--plain", "--json"])
def test_plain_and_json_stay_plain_on_a_terminal(terminal, flag):
    out, _ = terminal()
    assert main(["resolve", "8703.23.01", "JP", "2025-04-15", "--rules", TOY, flag]) == EXIT_OK
    assert out.getvalue() and ESCAPE not in out.getvalue()


@pytest.mark.parametrize("argv", PLAIN_COMMANDS, ids=lambda a: a[0])
def test_without_rich_a_terminal_gets_plain_text(terminal, no_rich, argv):
    out, _ = terminal()
    assert main([*argv, "--rules", TOY]) == EXIT_OK
    text = out.getvalue()
    assert text and ESCAPE not in text
    assert "-----" in text or "version" in text


def test_without_rich_batch_still_runs_on_a_terminal(terminal, no_rich, tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    _write_csv(source, BATCH_ROWS, BATCH_HEADER)
    _, err = terminal()
    assert main(["batch", str(source), str(target), "--rules", TOY]) == EXIT_OK
    assert "row(s) written" in err.getvalue() and ESCAPE not in err.getvalue()
    assert len(list(csv.DictReader(open(target, newline="")))) == len(BATCH_ROWS)


def test_no_rich_fixture_really_blocks_the_import(no_rich):
    from tariffrules.cli_output import load_rich

    assert load_rich() is None


def test_plain_table_aligns_columns():
    stream = io.StringIO()
    Output(stream).table("t", [Column("id"), Column("rate", numeric=True)], [("a.b", "5%"), ("c", "125%")])
    lines = stream.getvalue().splitlines()
    assert lines == ["t", "id   rate", "---  ----", "a.b    5%", "c    125%"]


@given(st.decimals(min_value=0, max_value=1000, places=2), st.decimals(min_value=0, max_value=1000, places=2))
def test_bars_are_proportional_and_bounded(a, b):
    largest = max(a, b)
    la, lb = bar_length(a, largest), bar_length(b, largest)
    assert 0 <= la <= BAR_WIDTH and 0 <= lb <= BAR_WIDTH
    assert (la > 0) == (a > 0)
    if a <= b:
        assert la <= lb
    if largest > 0:
        assert max(la, lb) == BAR_WIDTH


# -- docs/cli.md shows real output -----------------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent


def _console_blocks() -> list[tuple[str, list[str]]]:
    text = (ROOT / "docs" / "cli.md").read_text()
    blocks = re.findall(r"```console\n\$ (.*?)\n(.*?)```", text, flags=re.S)
    return [(command, output.splitlines()) for command, output in blocks]


def _normal(line: str) -> str:
    """Spacing is layout, not content; the counts of other levies grow as rules are added to the US set."""
    line = " ".join(line.split())
    counts = ("Not in force at this instant", "Out of scope for this good or origin")
    return re.sub(r"\d+", "N", line) if line.startswith(counts) else line


def test_docs_show_the_newcomer_question():
    commands = [command for command, _ in _console_blocks()]
    assert "tariffrules resolve 8703.23.01 JP 2025-04-15 --explain" in commands
    assert {c.split()[1] for c in commands} >= {"resolve", "timeline", "validate", "list"}


@pytest.mark.parametrize("command,documented", _console_blocks(), ids=lambda v: v if isinstance(v, str) else "")
def test_docs_console_blocks_are_real_output(capsys, monkeypatch, command, documented):
    monkeypatch.chdir(ROOT)
    argv = command.split()
    assert argv[0] == "tariffrules"
    code = main(argv[1:])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert [_normal(line) for line in out.splitlines()] == [_normal(line) for line in documented]


def _help_examples() -> list[str]:
    """Commands shown in the epilogs of every --help that need no file of the reader's own."""
    from tariffrules.cli import EPILOG
    from tariffrules.cli_batch import BATCH_EPILOG
    from tariffrules.cli_browse import LIST_EPILOG, SHOW_EPILOG, VALIDATE_EPILOG
    from tariffrules.cli_resolve import RESOLVE_EPILOG, TIMELINE_EPILOG

    found = []
    for epilog in (EPILOG, RESOLVE_EPILOG, TIMELINE_EPILOG, BATCH_EPILOG, VALIDATE_EPILOG, SHOW_EPILOG, LIST_EPILOG):
        for line in epilog.splitlines():
            command = line.split("#")[0].strip()
            if command.startswith("tariffrules ") and not re.search(r"entries\.csv|path/to|\|", command):
                found.append(command)
    return sorted(set(found))


def test_help_examples_are_found():
    assert len(_help_examples()) >= 10


@pytest.mark.parametrize("command", _help_examples())
def test_help_examples_run(capsys, monkeypatch, command):
    monkeypatch.chdir(ROOT)
    code = main(command.split()[1:])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, err
    assert out


def test_without_rules_and_several_bundled_sets_asks_which(capsys, monkeypatch):
    import tariffrules.cli_args as cli_args

    monkeypatch.setattr(cli_args, "builtin", lambda name=None: ["aa", "bb"] if name is None else None)
    code, out, err = run(capsys, "resolve", "8525.89.30", "JP", "2025-04-16")
    assert code == EXIT_BAD_INPUT
    assert "--rules" in err and "aa, bb" in err


def test_coverage_page_needs_a_rule_set_name(capsys):
    from tariffrules.coverage import main as coverage_main

    assert coverage_main([]) == 2
    assert "usage" in capsys.readouterr().err

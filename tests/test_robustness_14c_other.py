"""Inputs the third robustness tester (tester14c) found answered silently or with an unclear message, outside
batch files and tables: revisions, rule files, refunds and query arguments (issue 14;
/work/wt/_notes/tester14c.md SILENT 4-7, UNCLEAR 1-7 and the refunds and rule-file rows f18-f21, v05, v07, v37)."""

from __future__ import annotations

import contextlib
import io
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

import tariffrules
from tariffrules.cli import main
from tariffrules.errors import InvalidFactError, InvalidInstantError, RuleFileError, UnknownCountryError

HERE = Path(__file__).resolve().parent
FREEDONIA = HERE.parent / "examples" / "rules" / "freedonia"
US = tariffrules.builtin("us")


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def _variant(tmp_path, file, old, new):
    folder = tmp_path / "freedonia"
    shutil.copytree(FREEDONIA, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _entry(**cells):
    row = {"entry_number": "ABC-1234567-1", "line_number": "1", "entry_date": "2025-04-16", "hts": "8525.89.30",
           "origin": "JP", "value": "1000.00", "declared": "9903.01.25=100.00", "entry_type": "01",
           "liquidation_status": "unliquidated"}
    row.update(cells)
    return row


# -- 1. revisions: a filing before the entry (S5) ------------------------------------------------------------
def test_a_filed_as_of_before_the_entry_is_that_lines_error():
    lines = [{"hts": "8703.23.01", "origin": "DE", "when": "2025-08-20", "value": "40000"},
             {"hts": "8703.23.01", "origin": "DE", "when": "2025-04-16", "value": "40000"}]
    late, fine = US.revisions(lines, filed_as_of="2025-04-20")
    assert isinstance(late, InvalidInstantError) and late.argument == "filed_as_of"
    assert "before this line's entry 2025-08-20" in str(late)
    assert fine.duty_change is not None  # entered Apr. 16, filed Apr. 20: possible


# -- 2. rule files: known after the review, an abbreviated zone (S6, S7) ----------------------------------------
def test_a_version_known_after_the_review_day_is_a_load_error(tmp_path):
    folder = _variant(tmp_path, "metals.toml", "start = 2025-04-01\n", "start = 2025-04-01\nknown = 2099-01-01T00:00:00\n")
    with pytest.raises(RuleFileError) as caught:
        tariffrules.load(folder)
    text = str(caught.value)
    assert "metals.toml" in text and "fd.metals" in text and "2099-01-01" in text and "2026-12-31" in text


@pytest.mark.parametrize("zone", ["EST", "CET", "UTC+1", "Etc/GMT+5"])
def test_a_zone_that_is_no_region_is_refused(tmp_path, zone):
    folder = _variant(tmp_path, "ruleset.toml", 'zone = "Europe/Lisbon"', f'zone = "{zone}"')
    with pytest.raises(RuleFileError) as caught:
        tariffrules.load(folder)
    assert "not an IANA region name" in str(caught.value) and "America/New_York" in str(caught.value)


def test_the_built_in_rule_sets_and_utc_still_load(tmp_path):
    assert tariffrules.load(_variant(tmp_path, "ruleset.toml", 'zone = "Europe/Lisbon"', 'zone = "UTC"')).info.name
    for name in ("us", "cn"):
        assert tariffrules.builtin(name).levies


# -- 3. refunds: a declared amount its heading cannot give (S4) ------------------------------------------------
def test_a_declared_amount_above_what_its_rates_can_give_is_the_rows_error():
    line, = US.refunds([_entry(declared="9903.01.25=99999.00")], on="2026-05-01")
    assert line.error.startswith('InvalidFactError: declared="9903.01.25=99999.00": heading 9903.01.25 is '
                                 "declared as 99999.00, more than any of its rates can give on the line's value "
                                 "1000.00 (at most 10% = 100.00)")
    assert line.decision.route is None
    right, = US.refunds([_entry(declared="9903.01.25=100.00")], on="2026-05-01")  # 10% of 1000.00 (EO 14257 sec. 3)
    assert right.error is None


# -- 4. query arguments (U1-U7) ----------------------------------------------------------------------------
@pytest.mark.parametrize("origin", ["\uff2a\uff30", "\u0408\u0420", "\u0408P"])
def test_an_origin_of_look_alike_letters_names_the_ascii_code(origin):
    with pytest.raises(UnknownCountryError) as caught:
        US.resolve("8525.89.30", origin, "2025-04-16")
    assert "not ASCII letters" in str(caught.value) and "use JP" in str(caught.value)


def test_nat_and_a_date_with_an_offset_but_no_time_say_so():
    pd = pytest.importorskip("pandas")
    with pytest.raises(InvalidInstantError, match=r"is NaT \(not a time\)"):
        US.resolve("8525.89.30", "JP", pd.NaT)
    with pytest.raises(InvalidInstantError) as caught:
        US.resolve("8525.89.30", "JP", "2025-04-16+09:00")
    assert "no time before it" in str(caught.value) and "2025-04-16T00:00+09:00" in str(caught.value)
    assert "naive" not in str(caught.value)


def test_numpy_integer_and_bool_scalars_are_read_exactly_and_a_numpy_float_is_not():
    np = pytest.importorskip("numpy")
    answer = US.resolve("8525.89.30", "JP", "2025-04-16", value=np.int64(1000))
    assert answer.duty() == answer.duty() and str(answer.duty()) == "100.00"  # 10% of 1000 (EO 14257 sec. 3)
    yes = US.resolve("8703.23.01", "MX", "2025-05-01", usmca=np.bool_(True), value="1000", content={"us": "unknown"})
    plain = US.resolve("8703.23.01", "MX", "2025-05-01", usmca=True, value="1000", content={"us": "unknown"})
    assert yes.levies == plain.levies
    with pytest.raises(InvalidFactError, match="is a float"):
        US.resolve("8525.89.30", "JP", "2025-04-16", value=np.float64(1000))


def test_a_fraction_is_not_a_decimal_amount():
    with pytest.raises(InvalidFactError, match="is a fraction, not a decimal amount"):
        US.resolve("8525.89.30", "JP", "2025-04-16", value=Fraction(1, 3))


# -- 5. refunds files and rule files (f18-f21, v05, v07, v37) --------------------------------------------------
def test_a_semicolon_refunds_file_and_a_missing_column_are_named_in_csv_terms(tmp_path):
    semi = tmp_path / "semi.csv"
    semi.write_bytes(b"\xef\xbb\xbfentry_number;entry_date;hts;origin;value;declared\n"
                     b"ABC-1234567-1;2025-04-16;8525.89.30;JP;1000;9903.01.25=100\n")
    status, _, err = _run("refunds", semi, "-", "--on", "2026-05-01")
    assert status == 1 and "is semicolon-separated" in err and "commas" in err
    short = tmp_path / "short.csv"
    short.write_text("entry_number,entry_date,hts,origin,value\n")
    status, _, err = _run("refunds", short, "-", "--on", "2026-05-01")
    assert status == 1 and "has no column declared in its header row entry_number,entry_date,hts,origin,value" in err
    assert "['" not in err


def test_a_ten_digit_chapter_99_heading_and_a_blank_entry_date_say_what_to_write():
    line, = US.refunds([_entry(declared="9903.01.2500=100.00")], on="2026-05-01")
    assert "has 10 digits: a chapter 99 heading has 8" in line.error and "9903.01.25=100.00" in line.error
    blank, = US.refunds([_entry(entry_date="")], on="2026-05-01")
    assert blank.error.startswith("InvalidInstantError: entry_date=(not given)")


def test_rule_file_origins_in_lower_case_or_non_iso_say_what_to_write(tmp_path):
    folder = _variant(tmp_path, "ruleset.toml", 'zone = "Europe/Lisbon"', 'zone = "Europe/Lisbon"')
    text = (folder / "surcharges.toml").read_text(encoding="utf-8")
    first = text.index("origins = [")
    end = text.index("]", first)
    (folder / "surcharges.toml").write_text(text[:first] + 'origins = ["cn"' + text[end:], encoding="utf-8")
    with pytest.raises(RuleFileError, match="codes are upper case: write CN"):
        tariffrules.load(folder)


def test_a_group_member_uk_names_gb(tmp_path):
    ruleset = (FREEDONIA / "ruleset.toml").read_text(encoding="utf-8")
    if "[ruleset.groups]" not in ruleset:
        pytest.skip("the example declares no origin group")
    folder = _variant(tmp_path, "ruleset.toml", "[ruleset.groups]", "[ruleset.groups]\nISLES = [\"UK\"]")
    with pytest.raises(RuleFileError, match="use GB"):
        tariffrules.load(folder)


def test_a_rule_file_with_a_byte_order_mark_is_read(tmp_path):
    folder = _variant(tmp_path, "ruleset.toml", 'zone = "Europe/Lisbon"', 'zone = "Europe/Lisbon"')
    (folder / "metals.toml").write_bytes(b"\xef\xbb\xbf" + (folder / "metals.toml").read_bytes())
    def terms(rules):
        return [(levy.id, [(v.label, v.rate, v.period, v.known) for v in levy.versions]) for levy in rules.levies]
    assert terms(tariffrules.load(folder)) == terms(tariffrules.load(FREEDONIA))

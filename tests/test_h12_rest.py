"""Issue 12 (h12-rest): declaration groups of the general-use auto parts and of the Japanese civil-aircraft relief,
checked over their whole lists; a levy on a zero base is on no entry line and so not applied."""

from __future__ import annotations

import bisect
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules
from tariffrules.declarations import violations
from tariffrules.tabular import row_from_result

LISTS = Path(tariffrules.__file__).parent / "data" / "us" / "lists"


@pytest.fixture(scope="module")
def us() -> tariffrules.RuleSet:
    return tariffrules.builtin("us")


def _listed(name: str) -> list[str]:
    return [line.split("#")[0].strip() for line in (LISTS / name).read_text().splitlines() if line.split("#")[0].strip()]


def _first_line(us: tariffrules.RuleSet, prefix: str) -> str | None:
    """The first 10-digit line of the schedule under a listed prefix (lists print 8- and 10-digit provisions);
    None for a provision that is no line (chapter 98, or deleted)."""
    lines = sorted(us.info.schedule.codes)
    digits = prefix.replace(".", "")
    at = bisect.bisect_left(lines, digits)
    return next((code for code in lines[at:at + 200] if len(code) == 10 and code.startswith(digits)), None)


def _in_force(us: tariffrules.RuleSet, prefix: str, when: str) -> str | None:
    """The first 10-digit line under ``prefix`` in the schedule in force at ``when`` (None: none)."""
    lines = sorted(us.info.schedule.codes)
    digits = prefix.replace(".", "")
    for code in lines[bisect.bisect_left(lines, digits):]:
        if not code.startswith(digits):
            return None
        try:
            if len(code) == 10:
                us.query(code, "JP", when)
                return code
        except tariffrules.TariffRulesError:
            continue
    return None


def _check(us, code, origin, when, **facts):
    resolution = us.resolve(code, origin, when, **facts)
    found = violations(us, resolution)
    assert not found, "\n".join(v.describe() for v in found)
    return resolution


@pytest.mark.parametrize("when", ["2025-05-03", "2025-11-01", "2026-06-01"])
def test_every_general_use_auto_part_without_the_fact_carries_one_autos_heading(us, when):
    # note 33(h)(ii): an article of a note 33(g) provision that is not a passenger-vehicle part is entered under
    # 9903.94.06 at no additional duty; before, such a line carried no heading of the group (validate's check)
    for prefix in _listed("s232_auto_parts_general_use.txt"):
        code = _first_line(us, prefix)
        for origin in ("AE", "JP", "CA"):
            resolution = _check(us, code, origin, when)
            autos = [levy.heading for levy in resolution.levies if levy.declaration == "s232_autos"]
            assert autos == ["9903.94.06"], (code, origin, when, autos)
            assert ("auto_part", None) in resolution.assumed


def test_a_general_use_auto_part_declared_either_way_carries_one_autos_heading(us):
    for prefix in _listed("s232_auto_parts_general_use.txt")[::6]:
        code = _first_line(us, prefix)
        yes = _check(us, code, "AE", "2025-06-01", auto_part=True)
        no = _check(us, code, "AE", "2025-06-01", auto_part=False)
        assert [lv.heading for lv in yes.levies if lv.declaration == "s232_autos"] == ["9903.94.05"]
        assert [lv.heading for lv in no.levies if lv.declaration == "s232_autos"] == ["9903.94.06"]


@pytest.mark.parametrize("when", ["2025-10-01", "2026-05-01"])
def test_the_japanese_civil_aircraft_relief_keeps_the_declaration_groups_over_its_list(us, when):
    # note 35(b) prints 558 provisions, most on no steel list: without the claim the relief declares no group (it
    # used to require a steel heading on e.g. a plastic tube 3917.21.00), with it the one heading 9903.96.02
    codes = _listed("s232_civil_aircraft_jp.txt")
    metals = set(_listed("s232_eu_civil_aircraft_metal_2025.txt"))
    picked = [c for c in codes[::7] + [c for c in codes if c in metals][::3] if not c.startswith("98")]
    for listed in picked:
        code = _in_force(us, listed, when)
        if code is None:
            continue
        _check(us, code, "JP", when, mfn="2")  # a general rate given: some lines have none ad valorem
        claimed = _check(us, code, "JP", when, civil_aircraft=True, mfn="2")
        # a code also on the auto-parts list stays under the autos duty when auto_part is not denied (which
        # replaces every us.s232.steel.* levy, the relief included)
        autos = any(levy.declaration == "s232_autos" and levy.heading != "9903.94.06" for levy in claimed.levies)
        assert claimed.headings.count("9903.96.02") == (0 if autos else 1), (code, claimed.headings)


def test_a_levy_on_a_zero_content_is_on_no_line_and_not_applied(us):
    # Proc. 10947 cl. 6: chapter 73 derivatives pay on the steel content from June 4, 2025; with no steel content the
    # 232 heading and its reciprocal exemption line are on no entry line (CSMS #65236645), so not reported at all
    resolution = us.resolve("7308.90.95", "DE", "2025-07-01", value=Decimal("10000"), content={"steel": Decimal("0")})
    on_lines = [levy.heading for line in resolution.lines for levy in line.levies if levy.heading]
    assert list(resolution.headings) == on_lines == ["9903.01.25"]
    skipped = {s.id: s for s in resolution.skipped}
    assert skipped["us.s232.steel.derivatives_ch73"].reason == "zero_base"
    assert skipped["us.ieepa.reciprocal_exempt.s232_steel"].reason == "zero_base"
    assert resolution.to_dict()["headings"] == ["9903.01.25"]
    assert "9903.81.90" not in resolution.explain().split("Considered and not applied")[0]
    assert "its base is worth 0" in resolution.explain()
    assert row_from_result({}, resolution)["headings"] == "9903.01.25"
    assert resolution.duty() == Decimal("1000.00")
    # the same good with steel content: both lines, the 232 heading on the steel line
    split = us.resolve("7308.90.95", "DE", "2025-07-01", value=Decimal("10000"), content={"steel": Decimal("4000")})
    assert "9903.81.90" in split.headings and len(split.lines) == 2


def test_the_declaration_sample_leaves_a_yes_no_fact_without_default_unsaid_sometimes(us):
    from tariffrules.declarations import sample_queries

    unsaid = [q for q in sample_queries(us, 300, 0) if "auto_part" not in dict(q.claims)]
    said = [q for q in sample_queries(us, 300, 0) if "auto_part" in dict(q.claims)]
    assert unsaid and said


def test_an_unknown_content_counts_as_the_whole_value_on_one_line(us):
    # CBP CSMS #65236645: content "the same as the entered value or ... unknown": the duty on the entire entered value,
    # on one entry summary line ([ruleset] content_unknown = "value" in the US data)
    known = us.resolve("7308.90.95", "DE", "2025-07-01", value="10000", content={"steel": "10000"})
    unknown = us.resolve("7308.90.95", "DE", "2025-07-01", value="10000", content={"steel": "unknown"})
    assert unknown.headings == known.headings == ("9903.01.33", "9903.81.90")
    assert [line.value for line in unknown.lines] == [Decimal("10000")] and unknown.duty() == Decimal("5000.00")
    # in a batch line too, and in any case
    batch = list(us.resolve_many([("7308.90.95", "DE", "2025-07-01", {"value": "10000", "content": {"steel": "Unknown"}})]))
    assert batch[0].headings == known.headings


def test_an_unknown_content_is_refused_where_it_means_nothing_or_cannot_hold(us):
    from tariffrules import InvalidFactError, MissingFactError

    toy = tariffrules.load(Path(__file__).parent / "rules" / "toy")
    with pytest.raises(InvalidFactError, match="gives an unknown content amount no meaning"):
        toy.resolve("73081000", "DE", "2025-05-01", value="100", content={"steel": "unknown"})
    with pytest.raises(InvalidFactError, match="only one kind can be"):
        us.resolve("7616.99.51", "DE", "2025-07-01", value="100", content={"steel": "unknown", "aluminum": "unknown"})
    with pytest.raises(MissingFactError, match="needs the value"):
        us.resolve("7308.90.95", "DE", "2025-07-01", content={"steel": "unknown"})


def test_the_missing_content_error_names_the_unknown_option(us, capsys):
    from tariffrules import MissingFactError
    from tariffrules.cli import main

    resolution = us.resolve("7308.90.95", "DE", "2025-07-01", value="10000")
    with pytest.raises(MissingFactError, match=r"content=\{'steel': 'unknown'\}"):
        resolution.duty()
    with pytest.raises(MissingFactError, match=r"content=\{'steel': 'unknown'\}"):
        resolution.rate
    main(["resolve", "7308.90.95", "DE", "2025-07-01", "--value", "10000", "--plain"])
    out = capsys.readouterr().out
    assert "--content steel=unknown" in out and "--content KIND=unknown" in out

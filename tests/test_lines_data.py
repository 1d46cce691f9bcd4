"""The list of codes in both Section 232 parts lists is derived from them, and must stay so."""

from __future__ import annotations

from tariffrules.builtin import builtin_path

LISTS = builtin_path("us") / "lists"


def _codes(name: str) -> list[str]:
    lines = (LISTS / name).read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.strip() and not line.startswith("#")]


def test_parts_of_both_lists_is_the_overlap_of_the_two_lists():
    """lists/s232_mhdv_parts_also_note33g.txt: for each overlapping pair of a note 38(i) code and a note 33(g) code,
    the longer one (the lines both cover), nothing else."""
    mhdv, autos = _codes("s232_mhdv_parts.txt"), _codes("s232_auto_parts.txt")
    digits = lambda code: code.replace(".", "")  # noqa: E731
    overlap = set()
    for m in mhdv:
        for a in autos:
            if digits(m).startswith(digits(a)):
                overlap.add(m)
            elif digits(a).startswith(digits(m)):
                overlap.add(a)
    listed = _codes("s232_mhdv_parts_also_note33g.txt")
    assert sorted(listed, key=digits) == listed and set(listed) == overlap and len(listed) == len(overlap)
    assert "8708.30.50" in {code[:10] for code in listed}  # brake drums: in both notes (cases in audit_fixes.toml)

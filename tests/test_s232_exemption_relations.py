"""The "subject to Section 232" exemption headings name the Section 232 headings they cover: the data must match.

Each exemption levy below (a 0% heading that stands for "not subject to this duty, because subject to Section 232")
carries ``applies_with`` naming the Section 232 levies it goes with. The chapter 99 note says which Section 232
headings those are. The test reads the heading numbers out of the note's words (quoted below with their citation),
and checks, over every Section 232 levy of the built-in US rule set, that each levy reporting a named heading is in
the exemption's relations and that the relations name no Section 232 levy whose heading the note does not name.
"""

from __future__ import annotations

import re

import pytest

import tariffrules

# HTSUS ch. 99 subch. III note 52(f)(1)-(8) (heading 9903.05.90), note 50(a)(vi)(1)-(8) (9903.05.07) and note 51(c)(1)-(8)
# (9903.03.15), 2026 Rev. 18 (shared/data/chapter99/ch99-notes-2026-rev18.md): the three paragraphs name the same
# headings, word for word. Only the heading lists are quoted here.
NOTE_52F_50AVI_51C = (
    "(1) ... provided for in headings 9903.82.02 and 9903.82.04–9903.82.26; "
    "(2) ... provided for in headings 9903.94.01, 9903.94.02 (as applied to the U.S. content of passenger vehicles and "
    "light trucks described in subdivision 33(d) ...), 9903.94.03, 9903.94.31, 9903.94.40, 9903.94.41, 9903.94.50, "
    "9903.94.51, 9903.94.60 and 9903.94.61; "
    "(3) ... provided for in headings 9903.94.05, 9903.94.06 (as applied to parts of passenger vehicles that are "
    "eligible for special tariff treatment under the United States-Mexico-Canada Agreement (USMCA) other than "
    "automobile knock-down kits or parts compilations), 9903.94.07, 9903.94.32, 9903.94.33, 9903.94.42, 9903.94.43, "
    "9903.94.44, 9903.94.45, 9903.94.52, 9903.94.53, 9903.94.54, 9903.94.55, 9903.94.62, 9903.94.63, 9903.94.64, "
    "9903.94.65, 9903.94.66, 9903.94.67, 9903.94.68 and 9903.94.69 ...; "
    "(4) wood products provided for in headings 9903.76.01, 9903.76.02, 9903.76.03, 9903.76.20, 9903.76.21, "
    "9903.76.22, 9903.76.23 and 9903.76.24; "
    "(5) ... provided for in headings 9903.74.01, 9903.74.02, 9903.74.03 and 9903.74.06; "
    "(6) ... provided for in headings 9903.74.08, 9903.74.09 and 9903.74.10 ...; "
    "(7) semiconductor articles provided for in heading 9903.79.01; and "
    "(8) patented pharmaceutical articles provided for in headings 9903.04.60–9903.04.66"
)

# Note 2(aa)(v) (heading 9903.03.06, Section 122), 2026 Rev. 18 (as modified after its expiry, 91 FR 18183): the same
# list with the pharmaceutical headings first.
NOTE_2AA_V = (
    "(1) patented pharmaceutical articles provided for in headings 9903.04.60, 9903.04.61, 9903.04.62, 9903.04.63, "
    "9903.04.64, 9903.04.65 and 9903.04.66; "
    "(2) ... provided for in headings 9903.82.02 and 9903.82.04–9903.82.26; " + NOTE_52F_50AVI_51C.split("; (2)", 1)[1]
)

# Levies reporting a named heading that the note's qualifier leaves out ("as applied to ..."): heading 9903.94.02 is
# named only "as applied to the U.S. content" of USMCA vehicles (note 33(d)), 9903.94.06 only "as applied to parts of
# passenger vehicles" eligible for USMCA.
QUALIFIED_OUT = {
    "us.s232.autos.vehicles.not_passenger": "9903.94.02 for articles that are not passenger vehicles or light trucks",
    "us.s232.autos.parts.not_auto_part": "9903.94.06 for articles that are not parts of passenger vehicles",
    "us.s232.autos.parts.not_auto_part_general_use": "9903.94.06 for articles that are not parts of passenger vehicles",
    "us.s232.autos.parts.mhdv_part": "9903.94.06 for parts of medium- and heavy-duty vehicles",
}

# exemption levy id -> (the note's heading text, whether the relations may name no other Section 232 heading)
EXEMPTIONS = {
    "us.s301.fl.x.s232": (NOTE_52F_50AVI_51C, True),   # note 52(f), heading 9903.05.90
    "us.s301.br.x.s232": (NOTE_52F_50AVI_51C, True),   # note 50(a)(vi), heading 9903.05.07
    "us.s338x.ca.s232": (NOTE_52F_50AVI_51C, True),    # note 51(c), heading 9903.03.15
    # Section 122 ran from Feb. 24, 2026, before the 9903.82 headings (Apr. 6, 2026): until then note 2(aa)(v) named
    # the 2025 headings (9903.81/9903.85), which its relations also keep, so only coverage is checked here.
    "us.s122x.s232_value": (NOTE_2AA_V, False),
}

HEADING = re.compile(r"(9903\.\d\d\.\d\d)(?:\s*[–-]\s*(9903\.\d\d\.\d\d))?")


def named_headings(text: str) -> frozenset[str]:
    """The heading numbers a note's text names, ranges ("9903.82.04–9903.82.26") spelled out."""
    out: set[str] = set()
    for first, last in HEADING.findall(text):
        if not last:
            out.add(first)
            continue
        assert first[:8] == last[:8], (first, last)
        out.update(f"{first[:8]}{n:02d}" for n in range(int(first[8:]), int(last[8:]) + 1))
    return frozenset(out)


def test_named_headings_reads_ranges():
    assert named_headings("headings 9903.82.02 and 9903.82.04–9903.82.06; 9903.79.01") == {
        "9903.82.02", "9903.82.04", "9903.82.05", "9903.82.06", "9903.79.01"}
    assert "9903.82.03" not in named_headings(NOTE_52F_50AVI_51C)
    assert "9903.82.26" in named_headings(NOTE_52F_50AVI_51C)
    assert named_headings(NOTE_2AA_V) == named_headings(NOTE_52F_50AVI_51C)


@pytest.fixture(scope="module")
def us():
    return tariffrules.builtin("us")


@pytest.mark.parametrize("exemption", sorted(EXEMPTIONS))
def test_exemption_relations_cover_the_headings_the_note_names(us, exemption):
    text, exact = EXEMPTIONS[exemption]
    named = named_headings(text)
    s232 = {levy.id: {v.heading for v in levy.versions} for levy in us.levies if levy.id.startswith("us.s232")}
    [levy] = [levy for levy in us.levies if levy.id == exemption]
    relations = frozenset().union(*(v.applies_with for v in levy.versions))
    needed = {i for i, headings in s232.items() if headings & named} - set(QUALIFIED_OUT)
    missing = sorted(needed - relations)
    assert not missing, f"{exemption}: Section 232 levies under headings the note names, not in applies_with: {missing}"
    if exact:
        other = sorted(i for i in relations if i in QUALIFIED_OUT or not (s232.get(i, set()) & named))
        assert not other, f"{exemption}: applies_with names levies whose heading the note does not name: {other}"


def test_every_annex_ic_levy_reports_a_named_heading(us):
    # F2 of issue 13: the Annex I-C levies carry their note 16 headings, all within the exemption notes' range.
    named = named_headings(NOTE_52F_50AVI_51C)
    ic = [levy for levy in us.levies if levy.id.startswith(("us.s232.steel.annex_ic", "us.s232.steel_ic."))]
    assert len(ic) >= 8
    for levy in ic:
        assert all(v.heading in named for v in levy.versions), (levy.id, [v.heading for v in levy.versions])

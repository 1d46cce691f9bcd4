"""`[ruleset] coverage_notes`: a hand-written Markdown side file the coverage page includes, and the measures table."""

from __future__ import annotations

from pathlib import Path

import pytest

import tariffrules
from tariffrules.coverage import coverage_markdown
from tariffrules.errors import RuleFileError

RULES = '''
[ruleset]
name = "notes"
title = "Notes"
zone = "Europe/Paris"
horizon_start = 2025-01-01
reviewed = 2025-12-31
{notes}

[program]
id = "notes.p"
title = "P"
authority = "Act"
rank = 1
declaration = "duty-p"

[[levy]]
id = "notes.p.a"
title = "A"
citation = "Act s. 1"
heading = "0001.00.01"
rate = "5%"
start = 2025-02-01
end = 2025-06-01
goods = ["01"]
origins = ["*"]

[[levy]]
id = "notes.p.b"
title = "B"
citation = "Act s. 2"
rate = "7%"
start = 2025-03-01
goods = ["02"]
origins = ["*"]
partial = "List not found."
'''


def _write(tmp_path: Path, notes_key: str, notes_text: str | None = None) -> Path:
    (tmp_path / "rules.toml").write_text(RULES.format(notes=notes_key))
    if notes_text is not None:
        (tmp_path / "NOTES.md").write_text(notes_text)
    return tmp_path


def test_the_notes_file_is_read_and_placed_after_the_measures(tmp_path):
    rules = tariffrules.load(_write(tmp_path, 'coverage_notes = "NOTES.md"', "## Looked for\n\nNothing found.\n"))
    assert rules.info.coverage_notes == "## Looked for\n\nNothing found.\n"
    page = coverage_markdown(rules)
    assert page.index("## Measures") < page.index("## Looked for") < page.index("## Levies whose product scope")


def test_without_the_key_there_are_no_notes(tmp_path):
    rules = tariffrules.load(_write(tmp_path, ""))
    assert rules.info.coverage_notes is None
    assert "## Looked for" not in coverage_markdown(rules)


def test_one_measure_row_per_declaration_group_with_its_span_and_status(tmp_path):
    page = coverage_markdown(tariffrules.load(_write(tmp_path, "")))
    row = next(line for line in page.splitlines() if line.startswith("| `duty-p`"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:6] == ["partial", "2025-02-01 to open", "2025-03-01", "2", "0001.00.01"]


@pytest.mark.parametrize("value, fragment", [('""', "must be the name"), ("3", "must be the name"),
                                             ('"MISSING.md"', "cannot read side file")])
def test_a_bad_notes_key_is_a_rule_file_error_naming_the_field(tmp_path, value, fragment):
    with pytest.raises(RuleFileError) as info:
        tariffrules.load(_write(tmp_path, f"coverage_notes = {value}"))
    assert info.value.field == "coverage_notes"
    assert fragment in str(info.value)

"""README claims and example scripts are checked by the suite, so they cannot drift."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def _bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def test_readme_starts_with_the_two_newcomer_commands():
    text = (ROOT / "README.md").read_text()
    first, second = [block.strip() for block in _bash_blocks(text)[:2]]
    assert "pip install" in first and "examples/" in first
    assert "pip install" in second and "pytest" in second
    script = Path(first.split("python ")[-1]).name
    assert (ROOT / "examples" / script).is_file()


def test_ci_runs_the_readme_test_command():
    second = _bash_blocks((ROOT / "README.md").read_text())[1].strip()
    assert second in (ROOT / ".ci" / "run").read_text()


def test_readme_examples_run():
    failures, tried = doctest.testfile(str(ROOT / "README.md"), module_relative=False,
                                       optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


def test_there_are_examples():
    assert EXAMPLES


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script, tmp_path):
    text = script.read_text()
    assert text.lstrip().startswith(('"""', '#!')), f"{script.name} needs a docstring saying what it shows"
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip(), f"{script.name} printed nothing"

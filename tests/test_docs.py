"""The documentation site builds cleanly and stays in step with the code.

The site is built once per session with ``python -m sphinx -W --keep-going``
(every warning is an error: a broken cross-reference, a docstring with bad
reStructuredText, a page missing from the table of contents). The doctests
in ``docs/*.md`` run separately, through pytest's ``--doctest-glob=*.md``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import tariffrules

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p.stem for p in DOCS.glob("*.md"))


def _need_sphinx() -> None:
    for module in ("sphinx", "myst_parser", "furo"):
        pytest.importorskip(module, reason=f"{module} is not installed; install the docs extra: "
                                           "pip install -e '.[docs]'")


def _build(source: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                           str(source), str(out)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    _need_sphinx()
    out = tmp_path_factory.mktemp("site")
    done = _build(DOCS, out)
    assert done.returncode == 0, f"Sphinx build failed:\n{done.stderr[-5000:]}"
    return out


def test_site_builds_with_warnings_as_errors(site):
    for page in PAGES:
        assert (site / f"{page}.html").is_file(), f"docs/{page}.md was not built"


def test_cross_references_in_the_pages_resolve(tmp_path):
    """A {class} or {meth} reference that matches nothing renders as plain text without a warning;
    a nitpicky build reports it. Only the pages are checked here: docstrings may name standard
    library types, which would need network access (intersphinx) to resolve."""
    _need_sphinx()
    done = subprocess.run([sys.executable, "-m", "sphinx", "-n", "-q", "-b", "html", str(DOCS),
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    in_pages = [line for line in done.stderr.splitlines()
                if re.match(rf"{re.escape(str(DOCS))}/[\w-]+\.md:\d+: WARNING", line)]
    assert not in_pages, "\n".join(in_pages)


def test_broken_cross_reference_fails_the_build(tmp_path):
    """The build test can fail: a page linking to a missing page breaks the build."""
    _need_sphinx()
    source = tmp_path / "docs"
    source.mkdir()
    (source / "conf.py").write_text((DOCS / "conf.py").read_text())
    (source / "index.md").write_text("# Broken\n\nSee {doc}`no-such-page`.\n")
    done = _build(source, tmp_path / "out")
    assert done.returncode != 0
    assert "no-such-page" in done.stderr


def _toctree_entries() -> set[str]:
    blocks = re.findall(r"```\{toctree\}\n(.*?)```", (DOCS / "index.md").read_text(), flags=re.S)
    return {line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.lstrip().startswith(":")}


def test_every_page_is_in_the_table_of_contents():
    assert _toctree_entries() == set(PAGES) - {"index"}


@pytest.mark.parametrize("page", ["quickstart", "concepts", "semantics", "rule-format", "us-coverage", "cn-coverage",
                                  "api", "cli", "testing", "performance", "time", "errors", "changelog"])
def test_required_page_exists(page):
    assert (DOCS / f"{page}.md").is_file()


def _documented_objects(site: Path) -> set[str]:
    html = (site / "api.html").read_text()
    return set(re.findall(r'<dt class="sig sig-object py" id="([\w.]+)"', html))


def test_api_page_documents_every_public_name(site):
    documented = {name.rsplit(".", 1)[-1] for name in _documented_objects(site)}
    missing = sorted(set(tariffrules.__all__) - documented)
    assert not missing, f"public names missing from docs/api.md: {missing}"


def test_api_page_renders_docstrings(site):
    """The reference shows the docstrings, not just the signatures."""
    html = (site / "api.html").read_text()
    resolve_doc = tariffrules.RuleSet.resolve.__doc__.split("\n")[0]
    first_words = re.sub(r"``([^`]*)``", r"\1", resolve_doc).split(",")[0]
    text = re.sub(r"<[^>]+>", "", html)
    assert first_words in text
    assert "Root of every error tariffrules raises on purpose" in text


def test_changelog_page_includes_the_changelog(site):
    text = re.sub(r"<[^>]+>", "", (site / "changelog.html").read_text())
    headings = re.findall(r"^##+ (.+)$", (ROOT / "CHANGELOG.md").read_text(), flags=re.M)
    assert headings
    for heading in headings:
        assert heading.strip() in text, f"CHANGELOG heading {heading!r} missing from the changelog page"


def test_quickstart_answers_the_car_question_with_doctests():
    text = (DOCS / "quickstart.md").read_text()
    assert 'us.resolve("8703.23.01", "JP", "2025-04-15"' in text
    assert text.count(">>> ") >= 10


def test_index_lists_every_example_script():
    text = (DOCS / "index.md").read_text()
    listed = set(re.findall(r"^\| `(\w+\.py)` \|", text, flags=re.M))
    present = {p.name for p in (ROOT / "examples").glob("*.py")}
    assert listed == present


# -- the examples are documentation too: their claims are checked here ------------------------------------------

EXAMPLES = ROOT / "examples"


def _run_example(name: str, *args: str, prelude: str = "") -> subprocess.CompletedProcess:
    """Run an example as a script (``__main__``), optionally after some setup code, and return the result."""
    script = EXAMPLES / name
    code = (f"{prelude}\nimport runpy, sys\nsys.argv = [{str(script)!r}, *{list(args)!r}]\n"
            f"runpy.run_path({str(script)!r}, run_name='__main__')")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_plot_example_writes_a_png_where_asked(tmp_path):
    pytest.importorskip("matplotlib", reason="the plot extra is not installed: pip install -e '.[plot]'")
    out = tmp_path / "chart" / "camera.png"
    done = _run_example("plot_rate_over_time.py", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert done.stdout.strip().splitlines()[-1] == str(out)


def test_plot_example_without_matplotlib_says_how_to_install(tmp_path):
    done = _run_example("plot_rate_over_time.py", str(tmp_path / "x.png"),
                        prelude="import sys; sys.modules['matplotlib'] = None")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "pip install 'tariffrules[plot]'" in done.stdout
    assert not (tmp_path / "x.png").exists()


def test_invoice_example_rates_every_line_in_place():
    done = _run_example("invoice_batch.py")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    rated = [line for line in lines if line.startswith("E-")]
    assert len(rated) == 9  # one output line per invoice line, none dropped
    assert "InvalidCodeError" in rated[8] and "2709.00" in rated[8]
    # E-1001: camera 10% of 18000; steel structure 50% of 4800 + 10% of 7200; brake parts 25% of 6500
    assert "E-1001: value    36500, additional duty    6545.00" in done.stdout
    # E-1003: the claimed line pays 0, the unclaimed 35% of 3000, the bad line is not rated
    assert "E-1003: value    10000, additional duty    1050.00  (1 line(s) not rated" in done.stdout


def test_custom_country_rules_load_and_stack_as_documented():
    rules = tariffrules.load(EXAMPLES / "rules" / "freedonia")
    toy = "9503.00.00"
    assert rules.resolve(toy, "DE", "2025-04-15").headings == ("FD10.01",)
    assert rules.resolve(toy, "NO", "2025-04-15").headings == ()  # partner group
    assert rules.resolve(toy, "CN", "2025-05-15").headings == ("FD10.02",)  # replaces the general surcharge
    during_truce = rules.resolve(toy, "CN", "2025-07-01")
    assert during_truce.headings == ("FD10.01",)  # a suspended levy replaces nothing
    assert {s.id: s.reason for s in during_truce.skipped}["fd.surcharge.country_cn"] == "suspended"
    screws = rules.resolve("7318.15.20", "CN", "2025-05-15", value="1000", content={"steel": "600"})
    # 25% of the 600 of steel + 30% of the other 400
    assert screws.duty() == Decimal("270.00")
    assert rules.resolve(toy, "CN", "2025-11-15", as_of="2025-10-01").rate == Decimal("30")
    assert rules.resolve(toy, "CN", "2025-11-15").rate == Decimal("15")


"""Sphinx configuration for the tariffrules documentation (MyST Markdown, furo theme).

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.
The package must be importable (``pip install -e '.[docs]'``): the API page
is generated from the docstrings with ``sphinx.ext.autodoc``.
"""

import tariffrules

project = "tariffrules"
author = "tariffrules contributors"
copyright = "2025-2026, tariffrules contributors"
release = tariffrules.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# Cross-links like [text](semantics.md#settle-relations) need heading anchors.
myst_heading_anchors = 3
myst_enable_extensions = ["deflist"]  # definition lists, used by the concepts page

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
# Long signatures (the attrs value objects) are shown one parameter per line.
python_maximum_signature_line_length = 90
autodoc_default_options = {"show-inheritance": True}

html_theme = "furo"
html_title = f"tariffrules {release}"

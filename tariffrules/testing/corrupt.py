"""Broken rule files, for checking that a loader fails cleanly.

:func:`corrupted_specs` takes valid generated rule sets and breaks them one
way: a key removed, a value of the wrong type, a bad date, an end before its
start, a relation cycle, a reference to no levy, a huge list, or the TOML
text itself cut or garbled. The loader must then load (some changes are
harmless) or raise :class:`~tariffrules.RuleFileError`; nothing else.
"""

from __future__ import annotations

import copy
import datetime as _dt
from typing import Any

import attrs
from hypothesis import strategies as st

from .synthetic import RuleSetSpec, rule_set_specs

__all__ = ["JUNK", "corrupted_specs", "Corruption", "paths"]

#: Values of every type TOML can hold, for "wrong type" corruptions.
JUNK = (0, -1, 10**30, 1.5, float("inf"), True, "", "x", "2025-13-45", "25", [], [1], ["*", 3], {}, {"a": 1},
        [{"a": 1}], _dt.date(2025, 2, 30 - 2), _dt.datetime(2025, 1, 1, 0, 0), _dt.time(12, 0))


@attrs.frozen
class Corruption:
    """A broken rule set and what was done to it (shown when a property fails)."""

    what: str
    spec: RuleSetSpec
    texts: tuple[tuple[str, str], ...] | None = None
    #: the kind of damage ("remove", "retype", "cycle", ...), and for key-level damage the file and key path
    kind: str = ""
    file: str | None = None
    path: tuple = ()
    junk: Any = None

    def write(self, directory) -> Any:
        root = self.spec.write(directory)
        for name, text in self.texts or ():
            (root / name).write_text(text, encoding="utf-8")
        return root


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every position (a tuple of keys and indexes) in a document tree."""
    out = []
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return out
    for key, child in items:
        out.append(prefix + (key,))
        out.extend(paths(child, prefix + (key,)))
    return out


def _parent(doc: Any, path: tuple) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


@st.composite
def corrupted_specs(draw, specs: st.SearchStrategy[RuleSetSpec] | None = None) -> Corruption:
    """Rule sets broken in one way (see the module docstring)."""
    spec = draw(specs if specs is not None else rule_set_specs(max_levies=4))
    files = [[name, copy.deepcopy(doc)] for name, doc in spec.files]
    kind = draw(st.sampled_from(["remove", "retype", "bad_date", "backwards", "cycle", "unknown_ref", "huge",
                                 "unknown_key", "text"]))
    what = kind
    where: tuple = (None, ())
    junk = None
    if kind in ("remove", "retype", "unknown_key"):
        f = draw(st.integers(0, len(files) - 1))
        spots = paths(files[f][1])
        path = draw(st.sampled_from(spots)) if spots else None
        if path is not None:
            parent = _parent(files[f][1], path)
            if kind == "remove":
                del parent[path[-1]]
            elif kind == "retype":
                junk = draw(st.sampled_from(JUNK))
                parent[path[-1]] = junk
            elif isinstance(parent, dict):
                parent["colour"] = "blue"
            what = f"{kind} {files[f][0]}:{'.'.join(map(str, path))}"
            where = (files[f][0], path)
    elif kind in ("bad_date", "backwards", "cycle", "unknown_ref", "huge"):
        levies = [(f, i, levy["id"]) for f, (_, doc) in enumerate(files) for i, levy in enumerate(doc.get("levy", []))]
        f, i, levy_id = draw(st.sampled_from(levies))
        levy = files[f][1]["levy"][i]
        target = levy["version"][0] if "version" in levy else levy
        if kind == "bad_date":
            target["start"] = draw(st.sampled_from(["2025-02-30", "yesterday", "2025-04-05 00:01", 20250405]))
        elif kind == "backwards":
            target["end"] = target["start"] - _dt.timedelta(days=draw(st.integers(0, 30)))
        elif kind == "cycle":
            g, j, other = draw(st.sampled_from(levies))
            files[g][1]["levy"][j].setdefault("excludes", [])
            files[g][1]["levy"][j]["excludes"] = list(files[g][1]["levy"][j]["excludes"]) + [levy_id]
            levy["replaces"] = list(levy.get("replaces", [])) + [other]
            what = f"cycle {levy_id} <-> {other}"
        elif kind == "unknown_ref":
            field = draw(st.sampled_from(["excludes", "replaces"]))
            levy[field] = list(levy.get(field, [])) + [draw(st.sampled_from(["nope.none", "zz.*", "p0.l9?"]))]
        else:
            field = draw(st.sampled_from(["goods", "except_goods", "origins", "excludes"]))
            size = draw(st.sampled_from([1_000, 20_000]))
            filler = {"goods": lambda n: f"{n % 10**6:06d}", "except_goods": lambda n: f"{n % 10**8:08d}",
                      "origins": lambda n: ["FR", "DE", "@BLOC", "Zz"][n % 4] if n % 997 == 0 else "FR",
                      "excludes": lambda n: levy_id}[field]
            levy[field] = [filler(n) for n in range(size)]
            what = f"huge {levy_id}.{field} ({size})"
        what = what if what != kind else f"{kind} {levy_id}"
    broken = attrs.evolve(spec, files=tuple((name, doc) for name, doc in files))
    texts = None
    if kind == "text":
        name, text = draw(st.sampled_from(sorted(broken.texts().items())))
        cut = draw(st.integers(0, len(text)))
        junk = draw(st.sampled_from(["", "[", "]]", "= =", '"', "\x00", "[levy]\n", "\u00e9", "[[levy]]\nid = 1\n"]))
        texts = ((name, text[:cut] + junk + text[cut + draw(st.integers(0, 20)):]),)
        what = f"text {name} at {cut}: {junk!r}"
    return Corruption(what=what, spec=broken, texts=texts, kind=kind, file=where[0], path=where[1], junk=junk)

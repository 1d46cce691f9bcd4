"""Compiled snapshots of the bundled rule sets, so ``builtin()`` loads fast and its first answer comes soon.

Parsing and checking the US rule files takes seconds; unpickling the loaded
rule set a few tenths of one. A snapshot is that pickle, compressed, together
with the rule set's compiled index as known now (the engine's view without an
as-of instant: the change points, the code index and, per epoch between two
change points, the versions in force and their settling order), which a
fresh process would otherwise build on its first query or batch (0.6 s or
more for the US set); with a key: a hash of the rule files and of the modules
that define or build the pickled classes. ``builtin()`` uses a snapshot only when its key matches the
files on disk, and loads from source otherwise, so a stale snapshot can cost
time but never change an answer. The suite checks the shipped snapshots are
current; regenerate them after editing rules or those modules with::

    python -m tariffrules.snapshot          # every bundled rule set, or name some
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import zlib
from pathlib import Path

__all__ = ["source_key", "snapshot_path", "read", "write"]

#: bump when the snapshot layout changes
FORMAT = b"tariffrules-snapshot-3"
_PACKAGE = Path(__file__).parent
#: modules whose code decides what a loaded rule set holds
_MODULES = ("model", "rates", "periods", "geo", "conditions", "hts", "fields", "loader", "checks", "ruleset",
            "schedule", "engine", "dutiable")


def source_key(folder: Path) -> str:
    """A hash of every file of a rule folder (by relative path) and of the modules that build it."""
    digest = hashlib.sha256(FORMAT)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for module in _MODULES:
        digest.update(module.encode() + b"\0" + (_PACKAGE / f"{module}.py").read_bytes() + b"\0")
    return digest.hexdigest()


def snapshot_path(folder: Path) -> Path:
    """Where a rule folder's snapshot lives: beside the folder, ``<name>.snapshot``."""
    return folder.with_name(folder.name + ".snapshot")


#: stands for the rule folder in the paths a snapshot records, so a checkout anywhere can use it
_HERE = "<rules>"


def _rebase(rules, old: str, new: str, view=None):
    """The same rule set with the file paths it records moved from folder ``old`` to ``new``; with ``view``
    (its compiled index, see :func:`write`), that index is given to the new rule set's engine, pointing
    at the moved versions."""
    import attrs

    def moved(path: str) -> str:
        return new + path[len(old):] if path.startswith(old) else path

    def version(v):
        return attrs.evolve(v, source=attrs.evolve(v.source, file=moved(v.source.file)))

    levies = tuple(attrs.evolve(levy, versions=tuple(version(v) for v in levy.versions)) for levy in rules.levies)
    suspensions = tuple(attrs.evolve(s, versions=tuple(version(v) for v in s.versions)) for s in rules.suspensions)
    out = type(rules)(info=attrs.evolve(rules.info, source=moved(rules.info.source)), levies=levies,
                      suspensions=suspensions, mfn=dict(rules.mfn), origin=moved(rules.origin))
    if view is not None:
        _give_view(view, rules, out)
    return out


def _give_view(view, rules, out) -> None:
    """Point the compiled ``view`` of ``rules`` at the same versions of ``out`` (the rebased copy) and make
    it ``out``'s view without an as-of instant (the one :meth:`Engine.view` compiles for ``as_of=None``)."""
    same = {id(a): b for x, y in zip(rules.levies + rules.suspensions, out.levies + out.suspensions)
            for a, b in zip(x.versions, y.versions)}
    view.versions = [same[id(v)] for v in view.versions]
    for epoch in view.epochs:
        epoch.suspensions = tuple(same[id(v)] for v in epoch.suspensions)
    out.engine._views.setdefault(-1, view)


def read(folder: Path):
    """The snapshot's rule set if it exists and matches the folder, else ``None``."""
    path = snapshot_path(folder)
    try:
        key, _, body = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    if key.decode("ascii", "replace") != source_key(folder):
        return None
    try:
        rules, view = pickle.loads(zlib.decompress(body))
        return _rebase(rules, _HERE, str(folder), view)
    except Exception:  # a damaged or incompatible snapshot is only a missed shortcut
        return None


def write(folder: Path) -> Path:
    """Load the folder from source and write its snapshot; return the snapshot's path."""
    from .loader import load

    rules = _rebase(load(folder), str(folder), _HERE)
    view = rules.engine.view(None)[1]  # compiled before any query: its caches of codes and candidates are empty
    path = snapshot_path(folder)
    # one pickle, so the view's versions are the rule set's own objects when read
    body = zlib.compress(pickle.dumps((rules, view), protocol=5), 9)
    path.write_bytes(source_key(folder).encode("ascii") + b"\n" + body)
    return path


def main(argv: list[str] | None = None) -> int:
    from .builtin import builtin, builtin_path

    names = (argv if argv is not None else sys.argv[1:]) or builtin()
    for name in names:
        print(write(builtin_path(name)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

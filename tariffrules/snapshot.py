"""Compiled snapshots of the bundled rule sets, so ``builtin()`` loads in milliseconds.

Parsing and checking the US rule files takes over 100 ms; unpickling the
loaded rule set takes about 30. A snapshot is that pickle, compressed, with a
key: a hash of the rule files and of the modules that define or build the
pickled classes. ``builtin()`` uses a snapshot only when its key matches the
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
FORMAT = b"tariffrules-snapshot-2"
_PACKAGE = Path(__file__).parent
#: modules whose code decides what a loaded rule set holds
_MODULES = ("model", "rates", "periods", "geo", "conditions", "hts", "fields", "loader", "checks", "ruleset",
            "schedule", "dutiable")


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


def _rebase(rules, old: str, new: str):
    """The same rule set with the file paths it records moved from folder ``old`` to ``new``."""
    import attrs

    def moved(path: str) -> str:
        return new + path[len(old):] if path.startswith(old) else path

    def version(v):
        return attrs.evolve(v, source=attrs.evolve(v.source, file=moved(v.source.file)))

    levies = tuple(attrs.evolve(levy, versions=tuple(version(v) for v in levy.versions)) for levy in rules.levies)
    suspensions = tuple(attrs.evolve(s, versions=tuple(version(v) for v in s.versions)) for s in rules.suspensions)
    return type(rules)(info=attrs.evolve(rules.info, source=moved(rules.info.source)), levies=levies,
                       suspensions=suspensions, mfn=dict(rules.mfn), origin=moved(rules.origin))


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
        return _rebase(pickle.loads(zlib.decompress(body)), _HERE, str(folder))
    except Exception:  # a damaged or incompatible snapshot is only a missed shortcut
        return None


def write(folder: Path) -> Path:
    """Load the folder from source and write its snapshot; return the snapshot's path."""
    from .loader import load

    rules = _rebase(load(folder), str(folder), _HERE)
    path = snapshot_path(folder)
    body = zlib.compress(pickle.dumps(rules, protocol=5), 9)
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

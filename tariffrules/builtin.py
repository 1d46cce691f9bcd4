"""Rule sets bundled with the package, found by name under ``tariffrules/data/``."""

from __future__ import annotations

import functools
from pathlib import Path

from .errors import UnknownRuleSetError, shown

__all__ = ["builtin", "builtin_path", "default_name"]

_DATA = Path(__file__).parent / "data"


def _names() -> list[str]:
    return sorted(p.name for p in _DATA.iterdir() if (p / "ruleset.toml").is_file())


def default_name(names: list[str] | None = None) -> str | None:
    """The bundled set a caller means when it names none (the command line without ``--rules``).

    It is the name written in ``tariffrules/data/default.txt`` (one line; ``#``
    starts a comment) when that is one of ``names`` (default: the bundled
    sets), else the only bundled set, else ``None``: the code names no set.
    """
    names = _names() if names is None else names
    path = _DATA / "default.txt"
    if path.is_file():
        chosen = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
        chosen = [name for name in chosen if name]
        if len(chosen) == 1 and chosen[0] in names:
            return chosen[0]
    return names[0] if len(names) == 1 else None


def builtin_path(name: str) -> Path:
    """The folder of a bundled rule set."""
    if name not in _names():
        raise UnknownRuleSetError(f"no bundled rule set {shown(name)}; bundled: {', '.join(_names())}")
    return _DATA / name


def builtin(name: str | None = None):
    """``builtin()`` lists the bundled rule sets; ``builtin("us")`` loads one (cached per process).

    A bundled set loads from its compiled snapshot when the snapshot matches
    the rule files (see :mod:`tariffrules.snapshot`), else from source: the
    answers are the same either way.

    >>> import tariffrules
    >>> "us" in tariffrules.builtin()
    True
    """
    if name is None:
        return _names()
    return _load_cached(name)


@functools.lru_cache(maxsize=None)
def _load_cached(name: str):
    """Load from the shipped snapshot when it matches the rule files, else from source."""
    from . import snapshot
    from .loader import load

    folder = builtin_path(name)
    return snapshot.read(folder) or load(folder)

"""A small TOML writer for generated rule files.

The standard library reads TOML but does not write it, and the toolkit must
write rule files (synthetic rule sets, shuffled copies, corrupted files)
without another dependency. Only what rule files use is supported: strings,
integers, booleans, floats, dates, date-times (naive or aware), lists,
tables, and lists of tables (``[[levy]]`` with nested ``[[levy.version]]``).

>>> print(dumps({"program": {"id": "a.b", "rank": 1}, "levy": [{"id": "a.b.c", "goods": ["*"]}]}), end="")
[program]
id = "a.b"
rank = 1
<BLANKLINE>
[[levy]]
id = "a.b.c"
goods = ["*"]
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Mapping

__all__ = ["dumps"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, the rest kept."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _inline(value: Any) -> str:
    """One value written inline (tables become inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(str(k))} = {_inline(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML: {value!r}")


def _table(lines: list[str], path: tuple[str, ...], table: Mapping[str, Any], header: str | None) -> None:
    if header is not None:
        if lines:
            lines.append("")
        lines.append(header)
    nested = []
    for key, value in table.items():
        if isinstance(value, Mapping) and value:
            nested.append((key, value, False))
        elif _is_table_list(value):
            nested.append((key, value, True))
        else:
            lines.append(f"{_key(str(key))} = {_inline(value)}")
    for key, value, many in nested:
        name = ".".join(_key(part) for part in path + (str(key),))
        if many:
            for item in value:
                _table(lines, path + (str(key),), item, f"[[{name}]]")
        else:
            _table(lines, path + (str(key),), value, f"[{name}]")


def dumps(document: Mapping[str, Any]) -> str:
    """TOML text for a document whose top level is a table."""
    lines: list[str] = []
    _table(lines, (), document, None)
    return "\n".join(lines) + "\n"

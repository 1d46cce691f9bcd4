"""Origins: ISO 3166-1 alpha-2 countries, named groups and "all except" scopes.

The list of countries comes from pycountry (a maintained copy of the ISO
3166 data), not from a table typed here.
"""

from __future__ import annotations

import functools
from typing import Iterable, Mapping

import attrs

from .errors import UnknownCountryError

__all__ = ["iso_countries", "normalize_origin", "OriginScope"]


@functools.lru_cache(maxsize=1)
def iso_countries() -> frozenset[str]:
    """Every officially assigned ISO 3166-1 alpha-2 code (cached: the list never changes in a process)."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def normalize_origin(text: object, argument: str = "origin") -> str:
    """Return an upper-case alpha-2 code, or raise :class:`UnknownCountryError`.

    >>> normalize_origin("jp")
    'JP'
    """
    if isinstance(text, str):
        code = text.strip().upper()
        if code in iso_countries():
            return code
    raise UnknownCountryError(
        argument, text, "is not an ISO 3166-1 alpha-2 country code", "two letters such as JP or CA"
    )


@attrs.frozen(kw_only=True)
class OriginScope:
    """The origins a levy or suspension covers: some countries, or all except some."""

    everyone: bool = False
    members: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()

    def covers(self, origin: str) -> bool:
        if origin in self.excluded:
            return False
        return self.everyone or origin in self.members

    def describe(self) -> str:
        head = "all origins" if self.everyone else ", ".join(sorted(self.members)) or "no origin"
        if self.excluded:
            head += " except " + ", ".join(sorted(self.excluded))
        return head


def expand_origins(
    names: Iterable[str], groups: Mapping[str, frozenset[str]]
) -> tuple[bool, frozenset[str], list[str]]:
    """Expand codes, ``@GROUP`` names and ``*``; return (everyone, codes, unknown names)."""
    everyone = False
    codes: set[str] = set()
    unknown: list[str] = []
    for name in names:
        if name == "*":
            everyone = True
        elif isinstance(name, str) and name.startswith("@"):
            if name[1:] in groups:
                codes |= groups[name[1:]]
            else:
                unknown.append(name)
        elif isinstance(name, str) and name.upper() == name and name in iso_countries():
            codes.add(name)
        else:
            unknown.append(name)
    return everyone, frozenset(codes), unknown

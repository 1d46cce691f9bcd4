"""Origins: ISO 3166-1 alpha-2 countries, named groups and "all except" scopes.

The list of countries comes from pycountry (a maintained copy of the ISO
3166 data), not from a table typed here.
"""

from __future__ import annotations

import functools
import unicodedata
from types import MappingProxyType
from typing import Iterable, Mapping

import attrs

from .errors import UnknownCountryError, invisible_character

__all__ = ["iso_countries", "non_iso_codes", "normalize_origin", "describe_unknown", "OriginScope"]


@functools.lru_cache(maxsize=1)
def iso_countries() -> frozenset[str]:
    """Every officially assigned ISO 3166-1 alpha-2 code (cached: the list never changes in a process)."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


@functools.lru_cache(maxsize=1)
def non_iso_codes() -> Mapping[str, tuple[str, tuple[str, ...]]]:
    """Codes users write for an origin that are not ISO alpha-2 codes: code -> (what it means, codes to use).

    Read from ``tariffrules/data/geo/non_iso_codes.toml`` (cited there); used only for hints.
    """
    import tomllib
    from importlib.resources import files

    table = tomllib.loads(files("tariffrules").joinpath("data/geo/non_iso_codes.toml").read_text(encoding="utf-8"))
    return MappingProxyType({row["code"]: (row["means"], tuple(row["use"])) for row in table["code"]})


def _hint(code: str) -> str:
    """What to write instead of ``code`` (upper case, trimmed), or "" when nothing is known about it."""
    import pycountry

    if code in non_iso_codes():
        means, use = non_iso_codes()[code]
        return f"{code} means {means}" + (f"; use {' or '.join(use)}" if use else "")
    country = (pycountry.countries.get(alpha_3=code) if len(code) == 3 and code.isalpha() else
               pycountry.countries.get(numeric=code) if len(code) == 3 and code.isdigit() else None)
    if country is not None:
        kind = "alpha-3" if code.isalpha() else "numeric"
        return f"{code} is the ISO {kind} code of {country.name}; use its alpha-2 code {country.alpha_2}"
    old = pycountry.historic_countries.get(alpha_2=code) if len(code) == 2 else None
    if old is not None:
        withdrawn = getattr(old, "withdrawal_date", "")
        return (f"{code} was the code of {old.name}, withdrawn from ISO 3166-1{' on ' + withdrawn if withdrawn else ''};"
                " use the code of the country the good comes from today")
    return ""


#: letters of other scripts drawn like Latin capitals (Cyrillic, Greek), by the Latin letter they look like
_LOOKALIKES = {**dict.fromkeys("\u0410\u0391", "A"), **dict.fromkeys("\u0412\u0392", "B"), "\u0421": "C",
               **dict.fromkeys("\u0415\u0395", "E"), **dict.fromkeys("\u041d\u0397", "H"),
               **dict.fromkeys("\u0406\u0399", "I"), "\u0408": "J", **dict.fromkeys("\u041a\u039a", "K"),
               **dict.fromkeys("\u041c\u039c", "M"), "\u039d": "N", **dict.fromkeys("\u041e\u039f", "O"),
               **dict.fromkeys("\u0420\u03a1", "P"), "\u0405": "S", **dict.fromkeys("\u0422\u03a4", "T"),
               **dict.fromkeys("\u0425\u03a7", "X"), **dict.fromkeys("\u04ae\u03a5", "Y"), "\u0396": "Z"}


def ascii_lookalike(code: str) -> str | None:
    """The ASCII code that ``code`` (upper case) looks like: fullwidth letters (NFKC) and Cyrillic or Greek
    capitals drawn like Latin ones, or None when some character looks like no ASCII letter.

    >>> ascii_lookalike("\uff2a\uff30"), ascii_lookalike("\u0408\u0420"), ascii_lookalike("J\u00e9")
    ('JP', 'JP', None)
    """
    out = "".join(_LOOKALIKES.get(c, c) for c in unicodedata.normalize("NFKC", code)).upper()
    return out if out.isascii() and out.isalpha() else None


def describe_unknown(codes: Iterable[str]) -> str:
    """The unknown origin codes of a rule file, each quoted with what to write instead when that is known:
    upper case for a lower-case code (``"jp"``), the ISO code for a non-ISO one (``"UK"``: GB).

    >>> print(describe_unknown(["jp", "XX"]))
    "jp" (codes are upper case: write JP), "XX"
    """
    out = []
    for code in codes:
        hint = ""
        if isinstance(code, str) and not code.startswith("@") and code != "*":
            upper = code.strip().upper()
            hint = (f"codes are upper case: write {upper}" if upper != code and upper in iso_countries()
                    else _hint(upper))
        out.append(f'"{code}"' + (f" ({hint})" if hint else ""))
    return ", ".join(out)


def normalize_origin(text: object, argument: str = "origin") -> str:
    """Return an upper-case alpha-2 code, or raise :class:`UnknownCountryError`.

    The error says what a known non-ISO code (``UK``, ``EL``), an alpha-3 or
    numeric code or a withdrawn code stands for, and which code to use.

    >>> normalize_origin("jp")
    'JP'
    >>> normalize_origin("uk")
    Traceback (most recent call last):
    ...
    tariffrules.errors.UnknownCountryError: origin="uk": is not an ISO 3166-1 alpha-2 country code (UK means the United Kingdom (UK is reserved in ISO 3166-1 at the United Kingdom's request, and used in EU texts); use GB); expected GB
    """
    code = text.strip().upper() if isinstance(text, str) else ""
    if code in iso_countries():
        return code
    hint = _hint(code) if code else ""
    if hint:
        use = non_iso_codes().get(code, ("", ()))[1]
        expected = " or ".join(use) if use else "the ISO alpha-2 code of the country of origin"
        if not use and "alpha-2 code " in hint:
            expected = hint.rsplit(" ", 1)[1]
        raise UnknownCountryError(argument, text, f"is not an ISO 3166-1 alpha-2 country code ({hint})", expected)
    ascii_code = ascii_lookalike(code)
    if ascii_code and ascii_code != code:
        odd = next(c for c in code if not c.isascii())
        raise UnknownCountryError(argument, text, "is not an ISO 3166-1 alpha-2 country code: its letters are not "
                                  f"ASCII letters (U+{ord(odd):04X} {unicodedata.name(odd, 'unnamed')}) though they "
                                  f"look like {ascii_code}", f"use {ascii_code}, typed with the letters A-Z")
    hidden = invisible_character(text)
    if hidden:
        raise UnknownCountryError(argument, text, f"is not an ISO 3166-1 alpha-2 country code: it {hidden}",
                                  "two letters such as JP or CA (retype the code)")
    raise UnknownCountryError(
        argument, text, "is not an ISO 3166-1 alpha-2 country code",
        "two letters such as JP or CA" if len(code) != 2 else "one of the officially assigned ISO 3166-1 alpha-2 "
        "codes, such as JP or CA (two letters are not enough: the code must be assigned to a country)")


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

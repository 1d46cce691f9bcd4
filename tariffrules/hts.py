"""Tariff codes: parsing, normalising and prefix matching.

Codes are handled as strings of digits. Dots are presentation only:
``"8703.23.01"``, ``"8703.23.0190"`` and ``"87032301"`` name the same line.
"""

from __future__ import annotations

from .errors import InvalidCodeError, invisible_character

__all__ = ["normalize_code", "normalize_prefix", "code_prefixes", "dotted_code"]

_PREFIX_LENGTHS = range(2, 11)


def _digits(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    digits = text.strip().replace(".", "")
    if not digits.isascii() or not digits.isdigit():
        return None
    return digits


def _dots_in_place(text: str) -> bool:
    """Whether every dot of a typed code follows the 4th, 6th or 8th digit, as the schedule writes them.

    A code such as ``"870.323.01"`` has the digits of a line but could be a typing slip for another: refused.
    """
    count, places = 0, []
    for char in text.strip():
        if char == ".":
            places.append(count)
        else:
            count += 1
    return all(p in (4, 6, 8) for p in places) and len(places) == len(set(places))


def _shape(lengths: tuple[int, ...], digits: str = "") -> str:
    """Examples of a code of the accepted lengths, made from what was typed (no nomenclature assumed)."""
    def one(n: int) -> str:
        if not digits:
            return "".join(str(i % 10) for i in range(1, n + 1))
        if len(digits) < n:
            more = n - len(digits)
            return f"{digits} and {more} more digit{'s' if more > 1 else ''}"
        return f"{digits[:n]} if that is the line"
    return ", or ".join(one(n) for n in lengths)


def normalize_code(text: object, lengths: tuple[int, ...] = (8, 10), argument: str = "hts") -> str:
    """Return a query's code as digits, or raise :class:`InvalidCodeError`.

    A query must name a tariff line, so only the rule set's accepted lengths
    (``code_lengths``; by default 8 or 10 digits) are allowed: a shorter code
    could match several lines with different levies, and the engine never
    guesses. The error's examples are made from those lengths and the digits
    given.

    >>> normalize_code("8703.23.01.90")
    '8703230190'
    >>> normalize_code("870.323.01")
    Traceback (most recent call last):
    ...
    tariffrules.errors.InvalidCodeError: hts="870.323.01": has a dot out of place; expected dots only after the 4th, 6th and 8th digits, e.g. 8703.23.01
    >>> normalize_code("8703")
    Traceback (most recent call last):
    ...
    tariffrules.errors.InvalidCodeError: hts="8703": has 4 digits; expected a code of 8 or 10 digits (dots optional), e.g. 8703 and 4 more digits, or 8703 and 6 more digits
    """
    digits = _digits(text)
    wanted = " or ".join(str(n) for n in lengths)
    if digits is None:
        hidden = invisible_character(text)
        raise InvalidCodeError(
            argument, text, f"is not a tariff code{': it ' + hidden if hidden else ''}",
            f"{wanted} digits with optional dots, e.g. {_shape(lengths)}"
            + (" (retype the code: a copy from a web page or PDF can carry such characters)" if hidden else "")
        )
    if not _dots_in_place(text):
        raise InvalidCodeError(
            argument, text, "has a dot out of place",
            f"dots only after the 4th, 6th and 8th digits, e.g. {dotted_code(digits) if len(digits) in lengths else _shape(lengths)}"
        )
    if len(digits) + 1 in lengths and digits[0] != "0" and "." not in text.strip():
        raise InvalidCodeError(
            argument, text, f"has {len(digits)} digits: it likely lost its leading zero (a spreadsheet or a number "
            "column drops it from codes of chapters 01 to 09)",
            f"the code with its leading zero, {dotted_code('0' + digits)} (keep the column as text), or, if a digit "
            f"is missing at the end, a code of {wanted} digits")
    if len(digits) not in lengths:
        raise InvalidCodeError(
            argument,
            text,
            f"has {len(digits)} digits",
            f"a code of {wanted} digits (dots optional), e.g. {_shape(lengths, digits)}",
        )
    return digits


def normalize_prefix(text: object) -> str | None:
    """Return a scope prefix (2 to 10 digits) as digits, or ``None`` if malformed."""
    digits = _digits(text)
    if digits is None or len(digits) not in _PREFIX_LENGTHS:
        return None
    return digits


def code_prefixes(code: str) -> list[str]:
    """Every prefix of ``code`` a scope may name, shortest first.

    >>> code_prefixes("87032301")
    ['87', '870', '8703', '87032', '870323', '8703230', '87032301']
    """
    return [code[:n] for n in range(2, len(code) + 1)]


def dotted_code(digits: str) -> str:
    """A code as digits, written with dots: ``87032301`` -> ``8703.23.01``; ``8703230190`` -> ``8703.23.01.90``."""
    parts = [digits[:4]] + [digits[i:i + 2] for i in range(4, len(digits), 2)]
    return ".".join(part for part in parts if part)

"""Amendments that state only what changes: ``amends = "label"`` on a version.

A version written with ``amends = "label"`` supersedes the version of that
label (exactly like ``supersedes = "label"``) and inherits every field of it
that it does not restate itself, except ``label`` and ``known``, which belong
to each version. The amended version may itself be an amendment: fields are
resolved along the chain, oldest first. The result is the raw table the
loader then reads as if it had been written in full, so an amendment is
checked exactly like any other version (a superseding version must be known
later; versions may not overlap in one as-of view).

``supersedes`` alone keeps its meaning: the new version is written in full
(from the item's defaults), nothing is inherited. An amendment cannot remove a
field (for example an ``end``); write such a change as a full ``supersedes``
version.
"""

from __future__ import annotations

from typing import Mapping

from .fields import Where

__all__ = ["resolve_amendments", "OWN_FIELDS"]

OWN_FIELDS = frozenset({"label", "known", "amends", "supersedes"})
"""Fields a version never inherits from the version it amends."""


def resolve_amendments(where: Where, common: Mapping, versions: list[dict]) -> list[dict]:
    """Each version's full raw table: ``common`` defaults, then inherited fields, then its own.

    :param where: the item being read, for errors.
    :param common: the fields written on the ``[[levy]]`` / ``[[suspension]]`` table (defaults).
    :param versions: the ``[[...version]]`` tables in file order; each a dict.
    :returns: one merged dict per version, in the same order; an amendment carries
        ``supersedes`` set to the label it amends and no ``amends`` key.
    :raises RuleFileError: ``amends`` and ``supersedes`` on one version, ``amends``
        naming no other version's label, or amendments that form a loop.
    """
    labels = [own.get("label", str(index)) for index, own in enumerate(versions, 1)]
    for label in labels:
        if not isinstance(label, str):
            raise where.error("version.label", "must be text", label, '"2025-04-05"')
    by_label = dict(zip(labels, versions))
    resolved: dict[str, dict] = {}

    def resolve(label: str, chain: tuple[str, ...]) -> dict:
        if label in resolved:
            return resolved[label]
        own = by_label[label]
        target = own.get("amends")
        if target is None:
            merged = {**common, **own}
        else:
            if "supersedes" in own:
                raise where.error("version.amends", "a version takes 'amends' or 'supersedes', not both", target,
                                  "amends = LABEL (inherit what is not restated) or supersedes = LABEL (written in full)")
            if not isinstance(target, str) or target not in by_label or target == label:
                raise where.error("version.amends", "names no other version of this item", target,
                                  "the label of another version: " + ", ".join(sorted(by_label)))
            if target in chain:
                raise where.error("version.amends", "amendments form a loop: " + " -> ".join(chain + (target,)),
                                  target)
            inherited = {k: v for k, v in resolve(target, chain + (label,)).items() if k not in OWN_FIELDS}
            merged = {**common, **inherited, **{k: v for k, v in own.items() if k != "amends"}}
            merged["supersedes"] = target
        merged["label"] = label
        resolved[label] = merged
        return merged

    return [resolve(label, (label,)) for label in labels]

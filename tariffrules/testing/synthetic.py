"""Random but valid rule sets, written as TOML folders that :func:`tariffrules.load` accepts.

A generated :class:`RuleSetSpec` is plain data (the TOML documents as
dictionaries), so Hypothesis shrinks it like any value: fewer levies, fewer
versions, simpler scopes. Codes, countries and instants come from small
pools, so levies overlap and relations, suspensions and conditions interact.
Relations (``excludes``, ``replaces``) only point forward in a random order
of the levies, and ``applies_with`` only backward, so they never form a cycle.
Programmes state ``declaration = false`` or nothing: random levies in a
declaration group would break the declaration rule.
"""

from __future__ import annotations

import datetime as _dt
import random
import tempfile
from pathlib import Path
from typing import Any

import attrs
from hypothesis import strategies as st

from ..loader import load
from ..ruleset import RuleSet
from .toml_text import dumps

__all__ = ["RuleSetSpec", "rule_set_specs", "GOODS_POOL", "ORIGIN_POOL"]

#: Code prefixes synthetic levies name: nested, so scopes and exceptions overlap.
GOODS_POOL = ("72", "7208", "720810", "73", "7308", "730890", "85", "8525", "852589", "87", "8703", "870323")
#: Countries synthetic levies name.
ORIGIN_POOL = ("CA", "CN", "DE", "FR", "JP", "MX")
KINDS = ("steel", "us")
ZONES = ("UTC", "America/New_York", "Asia/Tokyo")
HORIZON = _dt.date(2025, 1, 1)
REVIEWED = _dt.date(2026, 12, 31)
_DAYS = (REVIEWED - HORIZON).days
_TIMES = (_dt.time(0, 0), _dt.time(0, 1), _dt.time(12, 0))


@attrs.frozen(kw_only=True)
class RuleSetSpec:
    """A rule set as TOML documents: ``files`` maps a file name to its document (a dict)."""

    files: tuple[tuple[str, Any], ...]
    side_files: tuple[tuple[str, str], ...] = ()

    def texts(self) -> dict[str, str]:
        """File name -> text, including side files (mfn table)."""
        out = {name: dumps(doc) for name, doc in self.files}
        out.update(self.side_files)
        return out

    def write(self, directory: str | Path) -> Path:
        """Write the files into ``directory`` (created if needed) and return it."""
        root = Path(directory)
        root.mkdir(parents=True, exist_ok=True)
        for name, text in self.texts().items():
            (root / name).write_text(text, encoding="utf-8")
        return root

    def load(self) -> RuleSet:
        """Write to a temporary folder and load it (the loader reads every file before returning)."""
        with tempfile.TemporaryDirectory(prefix="tariffrules-spec-") as tmp:
            return load(self.write(tmp))

    def shuffled(self, seed: int) -> "RuleSetSpec":
        """The same rules with files renamed into another order and levies and suspensions reordered."""
        rnd = random.Random(seed)
        names = [name for name, _ in self.files]
        order = names[:]
        rnd.shuffle(order)
        renamed = {name: f"{index:02d}_{name}" for index, name in enumerate(order)}
        files = []
        for name, doc in self.files:
            doc = dict(doc)
            for key in ("levy", "suspension"):
                if key in doc:
                    items = list(doc[key])
                    rnd.shuffle(items)
                    doc[key] = items
            files.append((renamed[name], doc))
        rnd.shuffle(files)
        return attrs.evolve(self, files=tuple(files))


def _instant(day: int, time: _dt.time) -> _dt.datetime:
    """A naive date-time: the loader reads it in the file's zone."""
    return _dt.datetime.combine(HORIZON + _dt.timedelta(days=day), time)


_instants = st.builds(_instant, st.integers(0, _DAYS), st.sampled_from(_TIMES))


@st.composite
def _periods(draw, count: int) -> list[tuple[_dt.datetime, _dt.datetime | None]]:
    """``count`` back-to-back or separated periods, the last possibly open."""
    cuts = sorted(draw(st.lists(_instants, min_size=count + 1, max_size=count + 1, unique=True)))
    open_end = draw(st.booleans())
    periods = []
    for index in range(count):
        start, end = cuts[index], cuts[index + 1]
        if index == count - 1 and open_end:
            end = None
        periods.append((start, end))
    return periods


def _condition(facts: list[str]) -> st.SearchStrategy[dict]:
    simple = st.one_of(
        st.builds(lambda name, flag: {"fact": name, "is": flag}, st.sampled_from(facts), st.booleans())
        if facts else st.nothing(),
        st.builds(lambda t: {"fact": "loaded", "before": t}, _instants),
        st.builds(lambda t: {"fact": "entered", "on_or_after": t}, _instants),
        st.builds(lambda n: {"fact": "value", "at_least": str(n)}, st.sampled_from([0, 800, 2500])),
        st.builds(lambda kind, n: {"fact": f"content.{kind}", "share_at_least": f"{n}%"},
                  st.sampled_from(KINDS), st.sampled_from([0, 20, 50])),
        st.builds(lambda kinds, n, op: {"fact": f"content.{kinds[0]}", "plus": [f"content.{k}" for k in kinds[1:]],
                                        op: f"{n}%"},
                  st.permutations(KINDS), st.sampled_from([20, 50]), st.sampled_from(["share_at_least", "share_below"])),
    )
    return st.one_of(simple, st.builds(lambda items, op: {op: items}, st.lists(simple, min_size=1, max_size=2),
                                       st.sampled_from(["all", "any"])))


_rates = st.one_of(
    st.builds(lambda n: f"{n}%", st.sampled_from([0, 5, 10, 25, 50, 125])),
    st.builds(lambda n: f"{n}%", st.decimals(min_value=0, max_value=200, places=1, allow_nan=False)),
    st.builds(lambda n: {"all_in": f"{n}%"}, st.sampled_from([0, 10, 15])),
)
_bases = st.one_of(
    st.just("value"),
    st.builds(lambda kind: {"content": kind}, st.sampled_from(KINDS)),
    st.builds(lambda kinds: {"less": kinds}, st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True)),
    st.just({"less": ["us"], "min_share": {"us": "20%"}}),
)


def _origins(with_group: bool) -> st.SearchStrategy[list[str]]:
    pool = list(ORIGIN_POOL) + (["@BLOC"] if with_group else [])
    return st.one_of(st.just(["*"]), st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))


@st.composite
def _levy(draw, levy_id: str, facts: list[str], later: list[str], earlier: list[str] = ()) -> dict:
    levy: dict[str, Any] = {"id": levy_id, "title": f"Levy {levy_id}", "citation": f"Order {levy_id}",
                            "heading": f"9903.{draw(st.integers(10, 99))}.{draw(st.integers(10, 99))}"}
    if draw(st.booleans()):
        levy["goods"] = ["*"]
    else:
        levy["goods"] = draw(st.lists(st.sampled_from(GOODS_POOL), min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):
        excluded = draw(st.lists(st.sampled_from(GOODS_POOL[1::2] + GOODS_POOL[2::3]), min_size=1, max_size=2,
                                 unique=True))
        # a levy whose except_goods excludes every code its goods name covers nothing: the loader refuses it
        if levy["goods"] == ["*"] or not all(any(g.startswith(e) for e in excluded) for g in levy["goods"]):
            levy["except_goods"] = excluded
    levy["origins"] = draw(_origins(True))
    if draw(st.booleans()):
        levy["except_origins"] = draw(st.lists(st.sampled_from(ORIGIN_POOL), min_size=1, max_size=2, unique=True))
    if draw(st.booleans()):
        levy["base"] = draw(_bases)
    if draw(st.integers(0, 3)) == 0:
        levy["when"] = draw(st.lists(_condition(facts), min_size=1, max_size=2))
    if draw(st.integers(0, 3)) == 0:
        levy["unless"] = draw(st.lists(_condition(facts), min_size=1, max_size=2))
    if later:
        for relation in ("excludes", "replaces"):
            if draw(st.booleans()):
                levy[relation] = draw(st.lists(st.sampled_from(later), min_size=1, max_size=2, unique=True))
    if earlier and draw(st.integers(0, 3)) == 0:  # companions settle first: they come earlier in the order
        levy["applies_with"] = draw(st.lists(st.sampled_from(list(earlier)), min_size=1, max_size=2, unique=True))
    count = draw(st.integers(1, 3))
    periods = draw(_periods(count))
    if count == 1:
        start, end = periods[0]
        levy["rate"] = draw(_rates)
        levy["start"] = start
        if end is not None:
            levy["end"] = end
    else:
        versions = []
        for index, (start, end) in enumerate(periods, 1):
            version = {"label": f"v{index}", "rate": draw(_rates), "start": start}
            if draw(st.integers(0, 3)) == 0:  # published before it takes effect, or after (retroactive)
                version["known"] = start + _dt.timedelta(days=draw(st.integers(-20, 20)))
            if end is not None:
                version["end"] = end
            if draw(st.integers(0, 3)) == 0:
                version["origins"] = draw(_origins(True))
            versions.append(version)
        for before, after in zip(reversed(versions[:-1]), reversed(versions[1:])):
            # no foresight (checked at load): a version whose end is the next version's start must have
            # been known no earlier than that next version was published
            published = after.get("known", after["start"])
            if before.get("end") == after["start"] and published != after["start"] \
                    and published > before.get("known", before["start"]):
                before["known"] = published
        levy["version"] = versions
    return levy


@st.composite
def _suspension(draw, suspension_id: str, levy_ids: list[str]) -> dict:
    (start, end), = draw(_periods(1))
    out: dict[str, Any] = {"id": suspension_id, "title": "Pause", "citation": f"Order {suspension_id}",
                           "levies": draw(st.lists(st.sampled_from(levy_ids), min_size=1, max_size=3, unique=True)),
                           "start": start}
    if end is not None:
        out["end"] = end
    if draw(st.booleans()):
        out["origins"] = draw(_origins(True))
    if draw(st.booleans()):
        out["except_origins"] = draw(st.lists(st.sampled_from(ORIGIN_POOL), min_size=1, max_size=2, unique=True))
    return out


@st.composite
def rule_set_specs(draw, *, max_levies: int = 6, max_programs: int = 3,
                   max_suspensions: int = 2) -> RuleSetSpec:
    """Valid rule sets: 1 to ``max_programs`` programme files, up to ``max_levies`` levies in all.

    Levies get random rates (percent or all-in), bases, versions, scopes,
    conditions on a declared flag, ``loaded``, ``entered``, ``value`` and
    content shares, and acyclic relations; suspensions pause random levies.
    """
    zone = draw(st.sampled_from(ZONES))
    programs = draw(st.integers(1, max_programs))
    counts = [draw(st.integers(1 if p == 0 else 0, max(1, max_levies // programs))) for p in range(programs)]
    ids = [f"p{p}.l{i}" for p, n in enumerate(counts) for i in range(n)]
    order = draw(st.permutations(ids))  # relations only point forward in this order: never a cycle
    facts = ["claim"] if draw(st.booleans()) else []
    ruleset: dict[str, Any] = {"name": "synthetic", "title": "Synthetic rules", "zone": zone,
                               "horizon_start": HORIZON, "reviewed": REVIEWED, "code_lengths": [8, 10],
                               "groups": {"BLOC": draw(st.lists(st.sampled_from(ORIGIN_POOL), min_size=1,
                                                                max_size=3, unique=True))}}
    if facts:
        ruleset["facts"] = {"claim": {"type": "bool", "default": False, "description": "a preference claim"}}
    side: list[tuple[str, str]] = []
    mfn_rows = draw(st.lists(st.tuples(st.sampled_from(GOODS_POOL), st.sampled_from(["0", "2.5", "15", "30", ""])),
                             max_size=4, unique_by=lambda row: row[0]))
    if mfn_rows:
        ruleset["mfn_table"] = "mfn.csv"
        side.append(("mfn.csv", "code,mfn\n" + "".join(f"{code},{rate}\n" for code, rate in mfn_rows)))
    files: list[tuple[str, Any]] = [("ruleset.toml", {"ruleset": ruleset})]
    for p, n in enumerate(counts):
        program = {"id": f"p{p}", "title": f"Programme {p}", "authority": "Synthetic Act",
                   "rank": draw(st.sampled_from([100, 200, 300]))}
        declaration = draw(st.sampled_from([None, False]))  # a group would need exemption lines to hold
        if declaration is not None:
            program["declaration"] = declaration
        levies = [draw(_levy(f"p{p}.l{i}", facts, list(order[order.index(f"p{p}.l{i}") + 1:]),
                             list(order[:order.index(f"p{p}.l{i}")])))
                  for i in range(n)]
        doc: dict[str, Any] = {"program": program}
        if levies:
            doc["levy"] = levies
        files.append((f"program{p}.toml", doc))
    suspensions = draw(st.integers(0, max_suspensions))
    for s in range(suspensions):
        program = f"p{draw(st.integers(0, programs - 1))}"
        doc = dict(files[1 + int(program[1:])][1])
        doc["suspension"] = list(doc.get("suspension", [])) + [draw(_suspension(f"{program}.pause{s}", ids))]
        files[1 + int(program[1:])] = (files[1 + int(program[1:])][0], doc)
    return RuleSetSpec(files=tuple(files), side_files=tuple(side))

"""Read a folder (or one file) of TOML rules into an immutable :class:`RuleSet`.

Loading is strict: an unknown key, an unknown or malformed code, country,
fact, zone or instant, a relation or suspension naming no levy, two versions
of one levy in force at once, or relations that form a cycle at some instant
each raise :class:`RuleFileError` naming the file, the levy and the field.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping

from .checks import check_cycles, check_overlaps, check_supersedes
from .conditions import BUILTIN_FACTS, FactSpec
from .errors import RuleFileError
from .fields import (ID_PATTERN, Where, match_ids, read_base, read_conditions, read_instant, read_origins,
                     read_prefix_file, read_prefixes, read_rate)
from .geo import expand_origins
from .model import GoodsScope, Levy, LevyVersion, RuleSetInfo, Source, Suspension, SuspensionVersion
from .periods import Period, zone_named
from .ruleset import RuleSet

__all__ = ["load"]

_FILE_KEYS = {"ruleset", "program", "levy", "suspension", "groups", "facts"}
_RULESET_KEYS = {"name", "title", "zone", "horizon_start", "reviewed", "heading_pattern", "code_lengths",
                 "mfn_table", "groups", "facts", "day_time"}
_RULESET_REQUIRED = {"name", "title", "zone", "horizon_start", "reviewed"}
_PROGRAM_KEYS = {"id", "title", "authority", "rank", "zone", "note"}
_FACT_KEYS = {"type", "default", "description"}
_FACT_TYPES = {"bool", "text", "decimal", "instant"}
_VERSION_KEYS = {"label", "supersedes", "title", "heading", "citation", "authority", "rank", "rate", "base",
                 "start", "end", "known", "goods", "goods_files", "except_goods", "except_goods_files", "origins",
                 "except_origins", "when", "unless", "excludes", "replaces", "partial", "gap", "note"}
_LEVY_KEYS = _VERSION_KEYS | {"id", "version"}
_SUSPENSION_VERSION_KEYS = {"label", "supersedes", "title", "citation", "levies", "except_levies", "origins",
                            "except_origins", "start", "end", "known", "note"}
_SUSPENSION_KEYS = _SUSPENSION_VERSION_KEYS | {"id", "version"}


def load(path: str | Path) -> RuleSet:
    """Load a rule set from a folder of ``*.toml`` files or from one file.

    >>> import tariffrules
    >>> rules = tariffrules.load(tariffrules.builtin_path("us"))
    >>> rules.info.name
    'us'
    """
    return _Loader(Path(path)).run()


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.text_cache: dict[Path, str] = {}
        self.prefix_cache: dict[Path, frozenset[str]] = {}

    # -- files ---------------------------------------------------------------
    def run(self) -> RuleSet:
        if self.root.is_file():
            files = [self.root]
        elif self.root.is_dir():
            files = sorted(self.root.glob("*.toml"))
        else:
            raise RuleFileError("no such file or folder", file=str(self.root), expected="a .toml file or a folder of them")
        if not files:
            raise RuleFileError("the folder holds no .toml file", file=str(self.root))
        docs = [(str(f), f, self._parse(f)) for f in files]
        info, ruleset_file = self._ruleset(docs)
        zone = info.zone
        groups = dict(info.groups)
        facts = {f.name: f for f in info.facts}
        for name, _, doc in docs:
            self._declare(name, doc, groups, facts, ruleset_file)
        info = _with_declarations(info, groups, facts)
        pending = []
        for name, file, doc in docs:
            if "program" in doc:
                pending.append(self._program(name, file, doc, zone))
            elif "levy" in doc or "suspension" in doc:
                raise RuleFileError("levies and suspensions need a [program] table in their file", file=name,
                                    field="program", expected='[program] with id, title, authority, rank')
        ids = _unique_ids(pending)
        levies = [self._levy(p, raw, ids, groups, facts, info) for p in pending for raw in p["levies"]]
        suspensions = [self._suspension(p, raw, ids, groups) for p in pending for raw in p["suspensions"]]
        check_supersedes(levies, suspensions)
        check_overlaps(levies, suspensions)
        check_cycles(levies)
        mfn = self._mfn_table(ruleset_file, docs)
        return RuleSet(info=info, levies=tuple(sorted(levies, key=lambda l: l.id)),
                       suspensions=tuple(sorted(suspensions, key=lambda s: s.id)), mfn=mfn, origin=str(self.root))

    def _read_text(self, path: Path, where: Where, field: str) -> str:
        if path not in self.text_cache:
            try:
                self.text_cache[path] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise where.error(field, f"cannot read side file {path}: {exc}") from None
        return self.text_cache[path]

    def _parse(self, file: Path) -> dict:
        try:
            with file.open("rb") as handle:
                doc = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise RuleFileError(f"is not valid TOML: {exc}", file=str(file)) from None
        except OSError as exc:
            raise RuleFileError(f"cannot be read: {exc}", file=str(file)) from None
        unknown = set(doc) - _FILE_KEYS
        if unknown:
            raise RuleFileError(f"unknown top-level key(s) {sorted(unknown)}", file=str(file),
                                expected="tables among " + ", ".join(sorted(_FILE_KEYS)))
        return doc

    # -- [ruleset] -----------------------------------------------------------
    def _ruleset(self, docs: list) -> tuple[RuleSetInfo, str]:
        holders = [(name, doc["ruleset"]) for name, _, doc in docs if "ruleset" in doc]
        if len(holders) != 1:
            raise RuleFileError(f"exactly one file must hold [ruleset]; found {len(holders)}",
                                file=str(self.root), field="ruleset",
                                value=[name for name, _ in holders] or None)
        name, raw = holders[0]
        where = Where(name, "ruleset", kind="table")
        if not isinstance(raw, dict):
            raise where.error("ruleset", "must be a table", raw, "[ruleset] with name, title, zone, ...")
        _check_keys(where, raw, _RULESET_KEYS, _RULESET_REQUIRED)
        zone = zone_named(raw["zone"])
        if zone is None:
            raise where.error("zone", "is not a known IANA time zone", raw["zone"], '"America/New_York"')
        reviewed = raw["reviewed"]
        if not isinstance(reviewed, _dt.date) or isinstance(reviewed, _dt.datetime):
            raise where.error("reviewed", "must be a date", reviewed, "2026-08-18")
        day_time = _dt.time(0, 1)
        if "day_time" in raw:
            try:
                day_time = _dt.time.fromisoformat(raw["day_time"])
            except (TypeError, ValueError):
                raise where.error("day_time", "is not a wall-clock time", raw["day_time"], '"00:01"') from None
        pattern = raw.get("heading_pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except (TypeError, re.error):
                raise where.error("heading_pattern", "is not a regular expression", pattern) from None
        lengths = raw.get("code_lengths", [8, 10])
        if not isinstance(lengths, list) or not lengths or not all(isinstance(n, int) and 4 <= n <= 14 for n in lengths):
            raise where.error("code_lengths", "must be a list of digit counts", lengths, "[8, 10]")
        for field in ("name", "title"):
            if not isinstance(raw[field], str) or not raw[field]:
                raise where.error(field, "must be non-empty text", raw[field])
        info = RuleSetInfo(
            name=raw["name"], title=raw["title"], zone_name=raw["zone"], zone=zone,
            horizon_start=read_instant(where, "horizon_start", raw["horizon_start"], zone),
            reviewed=reviewed,
            stale_from=read_instant(where, "reviewed", reviewed + _dt.timedelta(days=1), zone),
            day_time=day_time, heading_pattern=pattern, code_lengths=tuple(sorted(lengths)),
            facts=(), groups=(), source=name,
        )
        return info, name

    def _declare(self, name: str, doc: dict, groups: dict, facts: dict, ruleset_file: str) -> None:
        tables = [(doc.get("groups"), doc.get("facts"))]
        if "ruleset" in doc:
            tables.append((doc["ruleset"].get("groups"), doc["ruleset"].get("facts")))
        for raw_groups, raw_facts in tables:
            where = Where(name, "groups", kind="table")
            if not isinstance(raw_groups or {}, dict):
                raise where.error("groups", "must be a table of group = [codes]", raw_groups, 'EU = ["AT", "BE"]')
            if not isinstance(raw_facts or {}, dict):
                raise Where(name, "facts", kind="table").error(
                    "facts", "must be a table of fact tables", raw_facts, '[ruleset.facts.usmca] type = "bool"')
            for group, members in (raw_groups or {}).items():
                if group in groups:
                    raise where.error(group, "group declared twice in the rule set")
                if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
                    raise where.error(group, "must be a list of country codes or @GROUP names", members)
                everyone, codes, unknown = expand_origins(members, groups)
                if unknown or everyone:
                    raise where.error(group, f"unknown member(s) {unknown or ['*']}", members,
                                      "ISO 3166-1 alpha-2 codes or groups declared earlier")
                groups[group] = codes
            where = Where(name, "facts", kind="table")
            for fact, spec in (raw_facts or {}).items():
                facts[fact] = _read_fact(where, fact, spec, facts)

    # -- [program] and its levies ------------------------------------------------
    def _program(self, name: str, file: Path, doc: dict, rules_zone: _dt.tzinfo) -> dict:
        raw = doc["program"]
        where = Where(name, raw.get("id") if isinstance(raw, dict) else None, kind="program")
        if not isinstance(raw, dict):
            raise where.error("program", "must be a table")
        _check_keys(where, raw, _PROGRAM_KEYS, {"id", "title", "authority", "rank"})
        if not isinstance(raw["id"], str) or not ID_PATTERN.match(raw["id"]):
            raise where.error("id", "is not a dotted id", raw["id"], '"us.ieepa.reciprocal"')
        if not isinstance(raw["rank"], int) or isinstance(raw["rank"], bool):
            raise where.error("rank", "must be a whole number", raw["rank"], "200")
        zone = rules_zone
        if "zone" in raw:
            zone = zone_named(raw["zone"])
            if zone is None:
                raise where.error("zone", "is not a known IANA time zone", raw["zone"], '"America/New_York"')
        levies = doc.get("levy", [])
        suspensions = doc.get("suspension", [])
        for key, items in (("levy", levies), ("suspension", suspensions)):
            if not isinstance(items, list):
                raise where.error(key, f"must be an array of tables, written [[{key}]]")
        return {"name": name, "dir": file.parent, "program": raw, "zone": zone,
                "levies": levies, "suspensions": suspensions}

    def _levy(self, p: dict, raw: dict, ids: list[str], groups: dict, facts: dict, info: RuleSetInfo) -> Levy:
        levy_id = raw["id"]
        where = Where(p["name"], levy_id)
        versions_raw = raw.get("version", [{}])
        if not isinstance(versions_raw, list) or not versions_raw:
            raise where.error("version", "must be a non-empty array of tables, written [[levy.version]]")
        common = {k: v for k, v in raw.items() if k != "version"}
        versions = []
        for index, own in enumerate(versions_raw, 1):
            if not isinstance(own, dict):
                raise where.error("version", "each version must be a table")
            _check_keys(where, own, _VERSION_KEYS, set(), field_prefix="version.")
            merged = {**common, **own}
            versions.append(self._levy_version(p, where, levy_id, merged, index, ids, groups, facts, info))
        _check_labels(where, versions)
        return Levy(id=levy_id, versions=tuple(sorted(versions, key=lambda v: (v.period.start, v.known, v.label))))

    def _levy_version(self, p: dict, where: Where, levy_id: str, raw: dict, index: int, ids: list[str],
                      groups: dict, facts: dict, info: RuleSetInfo) -> LevyVersion:
        program = p["program"]
        zone = p["zone"]
        # a gap (a measure named but not encoded) needs no rate: it never applies, it raises
        _require(where, raw, ("title", "citation", "start", "goods", "origins") + (() if raw.get("gap") else ("rate",)))
        for field in ("title", "citation", "authority", "heading", "partial", "gap", "note", "label", "supersedes"):
            if field in raw and (not isinstance(raw[field], str) or not raw[field].strip()):
                raise where.error(field, "must be non-empty text", raw[field])
        heading = raw.get("heading")
        if heading is not None and info.heading_pattern and not re.match(info.heading_pattern, heading):
            raise where.error("heading", "does not match the rule set's heading_pattern", heading, info.heading_pattern)
        rank = raw.get("rank", program["rank"])
        if not isinstance(rank, int) or isinstance(rank, bool):
            raise where.error("rank", "must be a whole number", rank)
        period = self._period(where, raw, zone)
        known = read_instant(where, "known", raw["known"], zone) if "known" in raw else period.start
        excludes = match_ids(where, "excludes", raw.get("excludes", []), ids) - {levy_id}
        replaces = match_ids(where, "replaces", raw.get("replaces", []), ids) - {levy_id}
        return LevyVersion(
            levy_id=levy_id, label=raw.get("label", str(index)), title=raw["title"],
            authority=raw.get("authority", program["authority"]), citation=raw["citation"], heading=heading,
            rank=rank, rate=read_rate(where, raw.get("rate", "0%")), base=read_base(where, raw.get("base", "value")),
            period=period, known=known, goods=self._goods(p, where, raw),
            origins=read_origins(where, raw["origins"], raw.get("except_origins", []), groups),
            when=read_conditions(where, "when", raw.get("when", []), facts, zone),
            unless=read_conditions(where, "unless", raw.get("unless", []), facts, zone),
            excludes=excludes, replaces=replaces, supersedes=raw.get("supersedes"),
            partial=raw.get("partial"), gap=raw.get("gap"), note=raw.get("note"),
            source=Source(file=p["name"], table=f"levy {levy_id!r} version {raw.get('label', str(index))}"),
        )

    def _period(self, where: Where, raw: dict, zone: _dt.tzinfo) -> Period:
        start = read_instant(where, "start", raw["start"], zone)
        end = read_instant(where, "end", raw["end"], zone) if "end" in raw else None
        if end is not None and end <= start:
            raise where.error("end", "must be after start", raw["end"], f"an instant after {start.isoformat()}")
        return Period(start, end)

    def _goods(self, p: dict, where: Where, raw: dict) -> GoodsScope:
        everything, prefixes = read_prefixes(where, "goods", raw["goods"], allow_star=True)
        _, excluded = read_prefixes(where, "except_goods", raw.get("except_goods", []), allow_star=False)
        for field, target in (("goods_files", prefixes), ("except_goods_files", excluded)):
            names = raw.get(field, [])
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise where.error(field, "must be a list of file paths", names, '["lists/annex_ii.txt"]')
            for name in names:
                path = p["dir"] / name
                if path not in self.prefix_cache:  # many versions share one list: parse it once
                    self.prefix_cache[path] = read_prefix_file(where, field, name, self._read_text(path, where, field))
                target |= self.prefix_cache[path]
        return GoodsScope(everything=everything, prefixes=frozenset(prefixes), excluded=frozenset(excluded))

    def _suspension(self, p: dict, raw: dict, ids: list[str], groups: dict) -> Suspension:
        if not isinstance(raw, dict):
            raise Where(p["name"], None, kind="suspension").error("suspension", "each [[suspension]] must be a table",
                                                                  raw)
        sid = raw.get("id")
        where = Where(p["name"], sid, kind="suspension")
        _check_keys(where, raw, _SUSPENSION_KEYS, {"id"})
        if not isinstance(sid, str) or not ID_PATTERN.match(sid) or not sid.startswith(p["program"]["id"] + "."):
            raise where.error("id", f"must be a dotted id under the program id {p['program']['id']!r}", sid)
        common = {k: v for k, v in raw.items() if k != "version"}
        versions_raw = raw.get("version", [{}])
        if not isinstance(versions_raw, list) or not versions_raw:
            raise where.error("version", "must be a non-empty array of tables, written [[suspension.version]]")
        versions = []
        for index, own in enumerate(versions_raw, 1):
            if not isinstance(own, dict):
                raise where.error("version", "each version must be a table")
            _check_keys(where, own, _SUSPENSION_VERSION_KEYS, set(), field_prefix="version.")
            merged = {**common, **own}
            _require(where, merged, ("title", "citation", "levies", "start"))
            period = self._period(where, merged, p["zone"])
            levies = match_ids(where, "levies", merged["levies"], ids)
            levies -= match_ids(where, "except_levies", merged.get("except_levies", []), ids)
            label = merged.get("label", str(index))
            versions.append(SuspensionVersion(
                suspension_id=sid, label=label, title=merged["title"], citation=merged["citation"],
                levies=levies,
                origins=read_origins(where, merged.get("origins", ["*"]), merged.get("except_origins", []), groups),
                period=period,
                known=read_instant(where, "known", merged["known"], p["zone"]) if "known" in merged else period.start,
                supersedes=merged.get("supersedes"), note=merged.get("note"),
                source=Source(file=p["name"], table=f"suspension {sid!r} version {label}"),
            ))
        _check_labels(where, versions)
        return Suspension(id=sid, versions=tuple(sorted(versions, key=lambda v: (v.period.start, v.known, v.label))))

    # -- side tables -------------------------------------------------------------
    def _mfn_table(self, ruleset_file: str, docs: list) -> Mapping[str, Decimal | None]:
        raw = next(doc["ruleset"] for name, _, doc in docs if name == ruleset_file)
        if "mfn_table" not in raw:
            return {}
        where = Where(ruleset_file, "ruleset", kind="table")
        if not isinstance(raw["mfn_table"], str) or not raw["mfn_table"]:
            raise where.error("mfn_table", "must be the name of a CSV file beside the rule files", raw["mfn_table"],
                              '"mfn.csv"')
        path = Path(ruleset_file).parent / raw["mfn_table"]
        table: dict[str, Decimal | None] = {}
        reader = csv.reader(io.StringIO(self._read_text(path, where, "mfn_table")))
        header = next(reader, None)
        if header != ["code", "mfn"]:
            raise where.error("mfn_table", f"{path}: header must be code,mfn", header)
        for number, row in enumerate(reader, 2):
            try:
                code, rate = row
                if not code.isdigit():
                    raise ValueError
                table[code] = Decimal(rate) if rate else None
            except (ValueError, InvalidOperation):
                raise where.error("mfn_table", f"{path} line {number}: malformed row", row,
                                  "code digits, then a percent or nothing") from None
        return table


def _read_fact(where: Where, name: str, spec: Any, facts: Mapping[str, FactSpec]) -> FactSpec:
    if name in facts or name in BUILTIN_FACTS or name.startswith("content.") or not ID_PATTERN.match(name):
        raise where.error(name, "fact declared twice, built in, or not a plain name")
    if not isinstance(spec, dict):
        raise where.error(name, "must be a table", spec, '{ type = "bool", default = false }')
    _check_keys(where, spec, _FACT_KEYS, {"type"}, field_prefix=f"{name}.")
    if not isinstance(spec["type"], str) or spec["type"] not in _FACT_TYPES:
        raise where.error(f"{name}.type", "unknown fact type", spec["type"], " or ".join(sorted(_FACT_TYPES)))
    default = spec.get("default")
    ok = {"bool": lambda d: isinstance(d, bool), "text": lambda d: isinstance(d, str),
          "decimal": lambda d: isinstance(d, str), "instant": lambda d: False}[spec["type"]]
    if default is not None and not ok(default):
        raise where.error(f"{name}.default", f"does not fit type {spec['type']}", default)
    if spec["type"] == "decimal" and default is not None:
        default = Decimal(default)
    return FactSpec(name=name, type=spec["type"], default=default, description=spec.get("description", ""))


def _with_declarations(info: RuleSetInfo, groups: dict, facts: dict) -> RuleSetInfo:
    import attrs

    return attrs.evolve(info, groups=tuple(sorted(groups.items())),
                        facts=tuple(sorted(facts.values(), key=lambda f: f.name)))


def _unique_ids(pending: list[dict]) -> list[str]:
    seen: dict[str, str] = {}
    for p in pending:
        prefix = p["program"]["id"] + "."
        for raw in p["levies"]:
            levy_id = raw.get("id") if isinstance(raw, dict) else None
            where = Where(p["name"], levy_id)
            if not isinstance(raw, dict):
                raise where.error("levy", "each [[levy]] must be a table")
            _check_keys(where, raw, _LEVY_KEYS, {"id"})
            if not isinstance(levy_id, str) or not ID_PATTERN.match(levy_id) or not levy_id.startswith(prefix):
                raise where.error("id", f"must be a dotted lower-case id under the program id {prefix[:-1]!r}",
                                  levy_id, f'"{prefix}something"')
            if levy_id in seen:
                raise where.error("id", f"levy id defined twice (also in {seen[levy_id]}); "
                                  "write changes over time as [[levy.version]] tables", levy_id)
            seen[levy_id] = p["name"]
    return sorted(seen)


def _check_keys(where: Where, raw: Mapping, allowed: set[str], required: set[str], field_prefix: str = "") -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise where.error(field_prefix + unknown[0], "unknown key", None, "one of " + ", ".join(sorted(allowed)))
    _require(where, raw, sorted(required), field_prefix)


def _require(where: Where, raw: Mapping, fields, field_prefix: str = "") -> None:
    for field in fields:
        if field not in raw:
            raise where.error(field_prefix + field, "is required")


def _check_labels(where: Where, versions: list) -> None:
    labels = [v.label for v in versions]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise where.error("label", f"version label(s) used twice: {duplicates}")

"""Read a folder (or one file) of TOML rules into an immutable :class:`RuleSet`.

Loading is strict: an unknown key, an unknown or malformed code, country,
fact, zone or instant, a relation or suspension naming no levy, two versions
of one levy in force at once, or relations that form a cycle at some instant
each raise :class:`RuleFileError` naming the file, the levy and the field.
"""

from __future__ import annotations

import csv
import datetime as _dt
import gzip
import io
import re
import tomllib
from decimal import Decimal, InvalidOperation
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Mapping

import attrs

from .amend import resolve_amendments
from .checks import check_content_kinds, check_cycles, check_goods_cover, check_known_by_review, check_overlaps, check_supersedes
from .conditions import BUILTIN_FACTS, ON_MISSING, FactSpec, facts_used
from .dutiable import DutiableValue
from .errors import RuleFileError, shown
from .exclusive import check_exclusive_goods
from .foresight import check_foresight
from .fields import (ID_PATTERN, MAX_NESTING, Where, is_kind, match_ids, read_base, read_conditions, read_instant,
                     read_origins, read_prefix_file, read_prefixes, read_rate)
from .geo import describe_unknown, expand_origins
from .hts import normalize_prefix
from .model import (HELD_NOT_OWED, FactFlag, GoodsScope, Levy, LevyVersion, RuleSetInfo, Source, Suspension,
                    SuspensionVersion)
from .periods import Period, zone_named
from .query import CONTENT_UNKNOWN
from .ruleset import RuleSet
from .general_rate import read_general
from .schedule import Schedule, ScheduleRevision, read_code_table, split_codes

__all__ = ["load"]

_FILE_KEYS = {"ruleset", "program", "levy", "suspension", "ruling", "groups", "facts", "fact_flags", "dutiable_value"}
_DUTIABLE_KEYS = {"id", "title", "citation", "when", "less", "levies", "except_levies", "general"}
_RULESET_KEYS = {"name", "title", "zone", "horizon_start", "reviewed", "heading_pattern", "code_lengths", "schedule",
                 "mfn_table", "groups", "facts", "day_time", "line_order", "coverage_notes", "general",
                 "content_unknown", "content_unknown_source"}
_RULESET_REQUIRED = {"name", "title", "zone", "horizon_start", "reviewed"}
_PROGRAM_KEYS = {"id", "title", "authority", "rank", "zone", "note", "declaration", "exclusive_goods"}
_GROUP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_FACT_KEYS = {"type", "default", "description", "choices", "min", "max", "on_missing"}
_FACT_TYPES = {"bool", "text", "choice", "decimal", "instant"}
_VERSION_KEYS = {"label", "supersedes", "amends", "title", "heading", "citation", "authority", "rank", "rate", "base",
                 "start", "end", "known", "goods", "goods_files", "except_goods", "except_goods_files", "origins",
                 "except_origins", "when", "unless", "excludes", "replaces", "applies_with", "partial", "gap", "note",
                 "declaration", "declaration_required"}
_LEVY_KEYS = (_VERSION_KEYS - {"amends"}) | {"id", "version"}
_SUSPENSION_VERSION_KEYS = {"label", "supersedes", "amends", "title", "citation", "levies", "except_levies", "origins",
                            "except_origins", "start", "end", "known", "note"}
_SUSPENSION_KEYS = (_SUSPENSION_VERSION_KEYS - {"amends"}) | {"id", "version"}
_RULING_VERSION_KEYS = (_SUSPENSION_VERSION_KEYS - {"start", "end", "amends"}) | {"entries"}
_RULING_KEYS = (_RULING_VERSION_KEYS - {"amends"}) | {"id", "version"}


def load(path: str | Path, *, progress: Callable[[str], None] | None = None) -> RuleSet:
    """Load a rule set from a folder of ``*.toml`` files or from one file.

    >>> import tariffrules
    >>> rules = tariffrules.load(tariffrules.builtin_path("us"))
    >>> rules.info.name
    'us'

    ``progress``, if given, is called with a short text at each step (reading a file, building the levies,
    the whole-set checks): the command line's ``validate`` shows it on a terminal.
    """
    if not isinstance(path, (str, PathLike)) or (isinstance(path, str) and not path.strip()):
        raise RuleFileError("load() needs the path of a rule folder or .toml file", value=path,
                            expected='a str or pathlib.Path, e.g. tariffrules.builtin_path("us")')
    return _Loader(Path(path), progress).run()


class _Loader:
    def __init__(self, root: Path, progress: Callable[[str], None] | None = None) -> None:
        self.root = root
        self.progress = progress or (lambda text: None)
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
        docs = []
        for number, f in enumerate(files, 1):
            self.progress(f"reading {f.name} ({number}/{len(files)})")
            docs.append((str(f), f, self._parse(f)))
        info, ruleset_file = self._ruleset(docs)
        zone = info.zone
        groups = dict(info.groups)
        facts = {f.name: f for f in info.facts}
        for name, _, doc in docs:
            self._declare(name, doc, groups, facts, ruleset_file)
        info = _with_declarations(info, groups, facts)
        info = attrs.evolve(info, fact_flags=_read_fact_flags(docs, facts))
        pending = []
        for name, file, doc in docs:
            if "program" in doc:
                pending.append(self._program(name, file, doc, zone))
            elif "levy" in doc or "suspension" in doc:
                raise RuleFileError("levies and suspensions need a [program] table in their file", file=name,
                                    field="program", expected='[program] with id, title, authority, rank')
        ids = _unique_ids(pending)
        self.progress(f"building {len(ids)} levies")
        levies = [self._levy(p, raw, ids, groups, facts, info) for p in pending for raw in p["levies"]]
        suspensions = [self._suspension(p, raw, ids, groups) for p in pending for raw in p["suspensions"]]
        suspensions += [self._ruling(name, raw, ids, groups, zone) for name, _, doc in docs
                         for raw in _tables(name, doc, "ruling")]
        _unique_suspension_ids(suspensions, ids)
        dutiable = _read_dutiable(docs, ids, {s.id for s in suspensions}, facts, zone)
        self.progress("checking versions, overlaps and relation cycles")
        check_supersedes(levies, suspensions)
        check_overlaps(levies, suspensions)
        check_cycles(levies)
        check_content_kinds(levies)
        check_foresight(levies, suspensions)
        check_known_by_review(levies, suspensions, info.reviewed, info.stale_from)
        check_exclusive_goods(_exclusive_groups(pending, ids), levies)
        mfn, other, special = self._mfn_table(ruleset_file, docs)
        general = read_general(next(doc["ruleset"] for name, _, doc in docs if name == ruleset_file).get("general"),
                               ruleset_file, zone, facts, other, special)
        self.progress("reading the code table and finding split codes")
        schedule = self._schedule(ruleset_file, docs, zone, facts)
        widen, split = split_codes(levies, schedule)
        if widen:
            levies = [_widened(levy, widen) for levy in levies]
        kinds = tuple(sorted(set(_content_kinds(levies)).union(*(rule.less for rule in dutiable))))
        info = attrs.evolve(info, content_kinds=kinds, schedule=schedule, general=general, dutiable=dutiable,
                            split_codes=tuple(split[code] for code in sorted(split)))
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
            data = file.read_bytes()
            text = data.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark (Notepad's UTF-8) is read past
            doc = tomllib.loads(text)
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise RuleFileError(f"is not UTF-8 text: byte 0x{data[exc.start]:02x} on line {line} (TOML files are "
                                "UTF-8; re-save the file as UTF-8)", file=str(file)) from None
        except tomllib.TOMLDecodeError as exc:
            raise RuleFileError(f"is not valid TOML: {_unquoted(str(exc))}", file=str(file)) from None
        except RecursionError:
            raise RuleFileError("nests tables or arrays too deeply to read", file=str(file),
                                expected=f"at most {MAX_NESTING} levels of conditions") from None
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
        zone = _rule_zone(where, raw["zone"])
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
        line_order = raw.get("line_order", ["*"])
        if not isinstance(line_order, list) or len(set(map(str, line_order))) != len(line_order) or not all(
                isinstance(k, str) and (k == "*" or is_kind(k)) for k in line_order):
            raise where.error("line_order", "must list distinct content kinds and \"*\" (the rest of the value)",
                              line_order, '["us", "*"]: US content first, then the rest, then other kinds')
        content_unknown, unknown_source = raw.get("content_unknown"), raw.get("content_unknown_source")
        if content_unknown is not None and content_unknown not in CONTENT_UNKNOWN:
            raise where.error("content_unknown", "is not a meaning the engine knows for an unknown content amount",
                              content_unknown, " or ".join(f'"{m}" ({w})' for m, w in CONTENT_UNKNOWN.items()))
        if content_unknown is not None and (not isinstance(unknown_source, str) or not unknown_source.strip()):
            raise where.error("content_unknown_source", "must cite the rule that gives an unknown content amount its "
                              "meaning", unknown_source, '"CBP CSMS #..."')
        horizon_start = read_instant(where, "horizon_start", raw["horizon_start"], zone)
        if reviewed < horizon_start.astimezone(zone).date():
            raise where.error("reviewed", f"is before horizon_start ({horizon_start.date().isoformat()}): no entry "
                              "could be answered without allow_stale", reviewed, "a date on or after horizon_start")
        info = RuleSetInfo(
            name=raw["name"], title=raw["title"], zone_name=raw["zone"], zone=zone,
            horizon_start=horizon_start,
            reviewed=reviewed,
            stale_from=read_instant(where, "reviewed", reviewed + _dt.timedelta(days=1), zone),
            day_time=day_time, heading_pattern=pattern, code_lengths=tuple(sorted(lengths)),
            facts=(), groups=(), source=name, line_order=tuple(line_order),
            content_unknown=content_unknown, content_unknown_source=unknown_source,
            coverage_notes=self._coverage_notes(name, raw, where),
        )
        return info, name

    def _coverage_notes(self, ruleset_file: str, raw: dict, where: Where) -> str | None:
        """The text of the ``coverage_notes`` side file (Markdown), or None when the key is absent."""
        if "coverage_notes" not in raw:
            return None
        if not isinstance(raw["coverage_notes"], str) or not raw["coverage_notes"]:
            raise where.error("coverage_notes", "must be the name of a Markdown file beside the rule files",
                              raw["coverage_notes"], '"COVERAGE.md"')
        return self._read_text(Path(ruleset_file).parent / raw["coverage_notes"], where, "coverage_notes")

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
                    raise where.error(group, f"unknown member(s) {describe_unknown(unknown or ['*'])}", members,
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
        declaration = raw.get("declaration")
        if declaration is not None and declaration is not False and not (
                isinstance(declaration, str) and _GROUP_NAME.match(declaration)):
            raise where.error("declaration", "must be a group name or false", declaration,
                              'a name shared by the programmes whose headings are declared together, e.g. '
                              '"reciprocal", or false for a programme needing no declaration')
        zone = rules_zone
        if "zone" in raw:
            zone = _rule_zone(where, raw["zone"])
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
        for own in versions_raw:
            if not isinstance(own, dict):
                raise where.error("version", "each version must be a table")
            _check_keys(where, own, _VERSION_KEYS, set(), field_prefix="version.")
        versions = [self._levy_version(p, where, levy_id, merged, index, ids, groups, facts, info)
                    for index, merged in enumerate(resolve_amendments(where, common, versions_raw), 1)]
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
        for field in ("excludes", "replaces"):
            if isinstance(raw.get(field), list) and levy_id in raw[field]:
                raise where.error(field, f"the levy names itself: a levy cannot {field[:-1]} itself", raw[field],
                                  "the ids of other levies (a pattern may match this levy too; it is ignored there)")
        excludes = match_ids(where, "excludes", raw.get("excludes", []), ids) - {levy_id}
        replaces = match_ids(where, "replaces", raw.get("replaces", []), ids) - {levy_id}
        applies_with = match_ids(where, "applies_with", raw.get("applies_with", []), ids) - {levy_id}
        if "applies_with" in raw and not applies_with:
            raise where.error("applies_with", "names no levy other than this one", raw["applies_with"],
                              "ids or patterns of the levies this one applies with")
        declaration = raw.get("declaration", program.get("declaration"))
        if "declaration" in raw and not (raw["declaration"] is False or (
                isinstance(raw["declaration"], str) and _GROUP_NAME.match(raw["declaration"]))):
            raise where.error("declaration", "must be a group name or false", raw["declaration"],
                              'the group of this levy or version when it differs from its programme\'s, e.g. '
                              '"s232_metals"')
        required = raw.get("declaration_required", True)
        if not isinstance(required, bool):
            raise where.error("declaration_required", "must be true or false", required,
                              "false for a levy that declares its group where it applies but never requires it")
        return LevyVersion(
            levy_id=levy_id, label=raw.get("label", str(index)), title=raw["title"],
            authority=raw.get("authority", program["authority"]), citation=raw["citation"], heading=heading,
            rank=rank, rate=read_rate(where, raw.get("rate", "0%")), base=read_base(where, raw.get("base", "value")),
            period=period, known=known, goods=self._goods(p, where, raw),
            origins=read_origins(where, raw["origins"], raw.get("except_origins", []), groups),
            when=read_conditions(where, "when", raw.get("when", []), facts, zone),
            unless=read_conditions(where, "unless", raw.get("unless", []), facts, zone),
            excludes=excludes, replaces=replaces, applies_with=applies_with,
            declaration=declaration if isinstance(declaration, str) else None, declaration_required=required,
            supersedes=raw.get("supersedes"),
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
        check_goods_cover(where, everything, frozenset(prefixes), frozenset(excluded))
        return GoodsScope(everything=everything, prefixes=frozenset(prefixes), excluded=frozenset(excluded))

    def _ruling(self, name: str, raw: dict, ids: list[str], groups: dict, zone: _dt.tzinfo) -> Suspension:
        """A ``[[ruling]]``: the named levies' duties held not owed on entries of ``entries``, known from ``known``.

        Read as a suspension whose skip reason is ``held_not_owed``; it needs no
        ``[program]`` (a court is not a programme) and its ``known`` is required,
        since a ruling always reaches back over entries made before it.
        """
        where = Where(name, raw.get("id"), kind="ruling")
        _check_keys(where, raw, _RULING_KEYS, {"id"})
        if not isinstance(raw["id"], str) or not ID_PATTERN.match(raw["id"]):
            raise where.error("id", "is not a dotted id", raw["id"], '"us.ruling.learning_resources"')
        versions = []
        versions_raw = raw.get("version", [{}])
        if not isinstance(versions_raw, list) or not versions_raw:
            raise where.error("version", "must be a non-empty array of tables, written [[ruling.version]]")
        for own in versions_raw:
            if not isinstance(own, dict):
                raise where.error("version", "each version must be a table")
            _check_keys(where, own, _RULING_VERSION_KEYS, set(), field_prefix="version.")
            merged = {k: v for k, v in {**raw, **own}.items() if k != "version"}
            _require(where, merged, ("entries", "known"))
            entries = merged.pop("entries")
            if not isinstance(entries, dict) or "start" not in entries or set(entries) - {"start", "end"}:
                raise where.error("entries", "must be a table with start and optionally end", entries,
                                  "{ start = 2025-02-01, end = 2026-02-24T00:00:00 }")
            merged.update(entries)
            versions.append(merged)
        return self._switch(name, where, raw["id"], versions, ids, groups, zone, HELD_NOT_OWED)

    def _suspension(self, p: dict, raw: dict, ids: list[str], groups: dict) -> Suspension:
        if not isinstance(raw, dict):
            raise Where(p["name"], None, kind="suspension").error("suspension", "each [[suspension]] must be a table",
                                                                  raw)
        sid = raw.get("id")
        where = Where(p["name"], sid, kind="suspension")
        _check_keys(where, raw, _SUSPENSION_KEYS, {"id"})
        if not isinstance(sid, str) or not ID_PATTERN.match(sid) or not sid.startswith(p["program"]["id"] + "."):
            raise where.error("id", f"must be a dotted id under the program id {shown(p['program']['id'])}", sid)
        common = {k: v for k, v in raw.items() if k != "version"}
        versions_raw = raw.get("version", [{}])
        if not isinstance(versions_raw, list) or not versions_raw:
            raise where.error("version", "must be a non-empty array of tables, written [[suspension.version]]")
        for own in versions_raw:
            if not isinstance(own, dict):
                raise where.error("version", "each version must be a table")
            _check_keys(where, own, _SUSPENSION_VERSION_KEYS, set(), field_prefix="version.")
        return self._switch(p["name"], where, sid, resolve_amendments(where, common, versions_raw), ids, groups,
                            p["zone"], "suspended")

    def _switch(self, name: str, where: Where, sid: str, merged_versions: list[dict], ids: list[str],
                groups: dict, zone: _dt.tzinfo, effect: str) -> Suspension:
        """A suspension or ruling from its versions' merged tables: levies switched off for a period."""
        kind = where.kind
        versions = []
        for index, merged in enumerate(merged_versions, 1):
            _require(where, merged, ("title", "citation", "levies", "start"))
            for field in ("title", "citation"):
                if not isinstance(merged[field], str) or not merged[field].strip():
                    raise where.error(field, "must be non-empty text", merged[field])
            period = self._period(where, merged, zone)
            levies = match_ids(where, "levies", merged["levies"], ids)
            levies -= match_ids(where, "except_levies", merged.get("except_levies", []), ids)
            label = merged.get("label", str(index))
            versions.append(SuspensionVersion(
                suspension_id=sid, label=label, title=merged["title"], citation=merged["citation"],
                levies=levies,
                origins=read_origins(where, merged.get("origins", ["*"]), merged.get("except_origins", []), groups),
                period=period,
                known=read_instant(where, "known", merged["known"], zone) if "known" in merged else period.start,
                supersedes=merged.get("supersedes"), note=merged.get("note"), effect=effect,
                source=Source(file=name, table=f"{kind} {sid!r} version {label}"),
            ))
        _check_labels(where, versions)
        return Suspension(id=sid, versions=tuple(sorted(versions, key=lambda v: (v.period.start, v.known, v.label))))

    # -- side tables -------------------------------------------------------------
    def _schedule(self, ruleset_file: str, docs: list, zone: _dt.tzinfo,
                  facts: Mapping[str, FactSpec]) -> Schedule | None:
        raw = next(doc["ruleset"] for name, _, doc in docs if name == ruleset_file).get("schedule")
        if raw is None:
            return None
        where = Where(ruleset_file, "ruleset", kind="table")
        expected = ('{ codes = "schedule/codes.csv.gz", revisions = [ { name = "2025 basic", start = 2025-01-01 } ], '
                    'not_goods = [ { prefix = "99", why = "..." } ] } (an entry may add fact = NAME)')
        if not isinstance(raw, dict) or set(raw) - {"codes", "revisions", "not_goods"} or "codes" not in raw \
                or not isinstance(raw["codes"], str) or not isinstance(raw.get("revisions"), list) \
                or not raw["revisions"]:
            raise where.error("schedule", "is not a schedule table", raw, expected)
        revisions = []
        for item in raw["revisions"]:
            if not isinstance(item, dict) or not {"name", "start"} <= set(item) <= {"name", "start", "exact"} \
                    or not isinstance(item["name"], str) or not isinstance(item.get("exact", False), bool):
                raise where.error("schedule.revisions", "each revision needs name and start (and exact = true or "
                                  "false)", item, expected)
            start = read_instant(where, "schedule.revisions", item["start"], zone)
            revisions.append(ScheduleRevision(item["name"], start, item.get("exact", False)))
        if [r.start for r in revisions] != sorted({r.start for r in revisions}):
            raise where.error("schedule.revisions", "revisions must be in order of start, each start once",
                              [r.name for r in revisions])
        not_goods, instead = [], []
        for item in raw.get("not_goods", []):
            if not isinstance(item, dict) or not {"prefix", "why"} <= set(item) <= {"prefix", "why", "fact"} \
                    or normalize_prefix(item["prefix"]) is None or not isinstance(item["why"], str):
                raise where.error("schedule.not_goods", "each entry needs a code prefix and why (and may name a "
                                  "fact)", item, expected)
            prefix = normalize_prefix(item["prefix"])
            not_goods.append((prefix, item["why"]))
            if "fact" in item:
                instead.append((prefix, _claimed_instead(where, item["fact"], facts)))
        path = Path(ruleset_file).parent / raw["codes"]
        try:
            data = path.read_bytes()
            text = (gzip.decompress(data) if raw["codes"].endswith(".gz") else data).decode("ascii")
            codes, leaves = read_code_table(text, len(revisions))
        except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, ValueError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise where.error("schedule.codes", f"cannot read the code table {path}: {why}") from None
        return Schedule(file=raw["codes"], revisions=tuple(revisions), codes=codes, leaves=leaves,
                        not_goods=tuple(not_goods), instead=tuple(instead))

    def _mfn_table(self, ruleset_file: str, docs: list) -> tuple[Mapping[str, Decimal | None], dict, dict]:
        """(code -> column 1 percent, code -> column 2 text, code -> special text); the last two only when the
        table has the columns ``other`` and ``special`` (tariffrules.rate_columns)."""
        raw = next(doc["ruleset"] for name, _, doc in docs if name == ruleset_file)
        if "mfn_table" not in raw:
            return {}, {}, {}
        where = Where(ruleset_file, "ruleset", kind="table")
        if not isinstance(raw["mfn_table"], str) or not raw["mfn_table"]:
            raise where.error("mfn_table", "must be the name of a CSV file beside the rule files", raw["mfn_table"],
                              '"mfn.csv"')
        path = Path(ruleset_file).parent / raw["mfn_table"]
        table: dict[str, Decimal | None] = {}
        other: dict[str, str] = {}
        special: dict[str, str] = {}
        reader = csv.reader(io.StringIO(self._read_text(path, where, "mfn_table")))
        header = next(reader, None)
        if header not in (["code", "mfn"], ["code", "mfn", "other", "special"]):
            raise where.error("mfn_table", f"{path}: header must be code,mfn or code,mfn,other,special", header)
        for number, row in enumerate(reader, 2):
            try:
                code, rate, *texts = row
                if len(texts) != len(header) - 2:
                    raise ValueError
                if not code.isdigit() or not code.isascii():
                    raise ValueError
                percent = Decimal(rate) if rate else None
            except (ValueError, InvalidOperation):
                raise where.error("mfn_table", f"{path} line {number}: malformed row", row,
                                  "code digits, then a percent or nothing") from None
            if code in table:
                raise where.error("mfn_table", f"{path} line {number}: code {code} is listed twice", row,
                                  "each code once (the longest matching prefix gives the rate)")
            if percent is not None and (not percent.is_finite() or percent < 0 or percent >= 100_000):
                raise where.error("mfn_table", f"{path} line {number}: rate of {code} is not a percent from 0",
                                  row, "a rate of zero or more, e.g. 2.5")
            table[code] = percent
            if texts:
                other[code], special[code] = texts
        return table, other, special


def _read_fact(where: Where, name: str, spec: Any, facts: Mapping[str, FactSpec]) -> FactSpec:
    if name in facts or name in BUILTIN_FACTS or name.startswith("content.") or not ID_PATTERN.match(name):
        raise where.error(name, "fact declared twice, built in, or not a plain name")
    if not isinstance(spec, dict):
        raise where.error(name, "must be a table", spec, '{ type = "bool", default = false }')
    _check_keys(where, spec, _FACT_KEYS, {"type"}, field_prefix=f"{name}.")
    kind = spec["type"]
    if not isinstance(kind, str) or kind not in _FACT_TYPES:
        raise where.error(f"{name}.type", "unknown fact type", kind, " or ".join(sorted(_FACT_TYPES)))
    choices: tuple[str, ...] = ()
    if kind == "choice":
        raw = spec.get("choices")
        if (not isinstance(raw, list) or not raw or not all(isinstance(c, str) and c.strip() == c and c for c in raw)
                or len(set(raw)) != len(raw)):
            raise where.error(f"{name}.choices", "a choice fact needs a list of distinct, non-empty values", raw,
                              '["passenger", "mhdv"]')
        choices = tuple(raw)
    elif "choices" in spec:
        raise where.error(f"{name}.choices", f"only a fact of type choice has choices (this one is {kind})")
    bounds: dict[str, Decimal | None] = {"min": None, "max": None}
    for key in bounds:
        if key not in spec:
            continue
        if kind != "decimal":
            raise where.error(f"{name}.{key}", f"only a decimal fact has {key} (this one is {kind})", spec[key])
        bounds[key] = _decimal_text(where, f"{name}.{key}", spec[key])
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        raise where.error(f"{name}.max", f"is below min {bounds['min']}", spec["max"])
    on_missing = spec.get("on_missing", "assume")
    if on_missing not in ON_MISSING:
        raise where.error(f"{name}.on_missing", "unknown value", on_missing, " or ".join(f'"{o}"' for o in ON_MISSING))
    default = spec.get("default")
    ok = {"bool": lambda d: isinstance(d, bool), "text": lambda d: isinstance(d, str),
          "choice": lambda d: d in choices, "decimal": lambda d: isinstance(d, (str, int)) and not isinstance(d, bool),
          "instant": lambda d: False}[kind]
    if default is not None and not ok(default):
        raise where.error(f"{name}.default", f"does not fit type {kind}", default,
                          "one of the choices" if kind == "choice" else None)
    if kind == "decimal" and default is not None:
        default = _decimal_text(where, f"{name}.default", default)
        if (bounds["min"] is not None and default < bounds["min"]) or (bounds["max"] is not None
                                                                      and default > bounds["max"]):
            raise where.error(f"{name}.default", "is outside min..max", spec["default"])
    if on_missing == "error" and default is not None:
        raise where.error(f"{name}.on_missing", 'a fact with a default is never missing; drop the default or '
                          'on_missing = "error"', on_missing)
    return FactSpec(name=name, type=kind, default=default, description=spec.get("description", ""),
                    choices=choices, minimum=bounds["min"], maximum=bounds["max"], on_missing=on_missing)


def _decimal_text(where: Where, field: str, raw: Any) -> Decimal:
    try:
        if isinstance(raw, (str, int)) and not isinstance(raw, bool):
            number = Decimal(raw)
            if number.is_finite():
                return number
    except InvalidOperation:
        pass
    raise where.error(field, "is not a number", raw, '"100" or 100')


def _widened(levy: Levy, widen: Mapping[tuple, frozenset[str]]) -> Levy:
    """The levy with 8-digit codes added where its scope names every 10-digit line of the code."""
    versions = []
    for v in levy.versions:
        more = widen.get((v.levy_id, v.label, "goods"), frozenset())
        fewer = widen.get((v.levy_id, v.label, "excluded"), frozenset())
        if more or fewer:
            v = attrs.evolve(v, goods=attrs.evolve(v.goods, prefixes=v.goods.prefixes | more,
                                                   excluded=v.goods.excluded | fewer))
        versions.append(v)
    return attrs.evolve(levy, versions=tuple(versions))


def _claimed_instead(where: Where, name: Any, facts: Mapping[str, FactSpec]) -> str:
    """What a query gives instead of a ``not_goods`` number claimed with a fact: the good's own code and the fact."""
    spec = facts.get(name) if isinstance(name, str) else None
    if spec is None or spec.type not in ("choice", "bool", "text"):
        raise where.error("schedule.not_goods", f"fact {shown(name)} is not a declared choice, bool or text fact",
                          name, "the fact a query claims such a number with")
    return (f"the good's own code in the schedule, with the provision claimed as the fact {spec.name} "
            f"({spec.allowed()})")


def _content_kinds(levies: list[Levy]) -> tuple[str, ...]:
    """Every content kind a base or a condition of the rule set reads."""
    kinds: set[str] = set()
    for levy in levies:
        for v in levy.versions:
            kinds.update(v.base.less)
            if v.base.content is not None:
                kinds.add(v.base.content)
            for condition in v.when + v.unless:
                kinds.update(name[len("content."):] for name in facts_used(condition) if name.startswith("content."))
    return tuple(sorted(kinds))


def _read_fact_flags(docs: list, facts: Mapping[str, FactSpec]) -> tuple[FactFlag, ...]:
    """The ``[fact_flags.NAME]`` tables of every file: ``fact`` (a declared text or choice fact) and the ``value``
    the flag gives it, with an optional ``description``."""
    flags: dict[str, FactFlag] = {}
    for name, _, doc in docs:
        raw_flags = doc.get("fact_flags") or {}
        where = Where(name, "fact_flags", kind="table")
        if not isinstance(raw_flags, dict):
            raise where.error("fact_flags", "must be a table of flag tables", raw_flags,
                              '[fact_flags.donation] fact = "claim"; value = "donation"')
        for flag, spec in raw_flags.items():
            if flag in flags or flag in facts or flag in BUILTIN_FACTS or not ID_PATTERN.match(flag):
                raise where.error(flag, "flag declared twice, named like a fact, or not a plain name")
            if not isinstance(spec, dict):
                raise where.error(flag, "must be a table", spec, '{ fact = "claim", value = "donation" }')
            _check_keys(where, spec, {"fact", "value", "description"}, {"fact", "value"}, field_prefix=f"{flag}.")
            target = facts.get(spec["fact"]) if isinstance(spec["fact"], str) else None
            if target is None or target.type not in ("text", "choice"):
                raise where.error(f"{flag}.fact", "is not a declared text or choice fact", spec["fact"])
            value = spec["value"]
            if not isinstance(value, str) or not value or (target.type == "choice" and value not in target.choices):
                raise where.error(f"{flag}.value", f"is not a value of fact {target.name}", value, target.allowed())
            flags[flag] = FactFlag(name=flag, fact=target.name, value=value,
                                   description=spec.get("description", ""))
    return tuple(sorted(flags.values(), key=lambda f: f.name))


def _read_dutiable(docs: list, ids: list[str], suspension_ids: set[str], facts: Mapping[str, FactSpec],
                   zone: _dt.tzinfo) -> tuple[DutiableValue, ...]:
    """The ``[[dutiable_value]]`` tables of every file (see :mod:`tariffrules.dutiable`), sorted by id."""
    rules: dict[str, DutiableValue] = {}
    for name, _, doc in docs:
        for raw in _tables(name, doc, "dutiable_value"):
            rid = raw.get("id")
            where = Where(name, rid, kind="dutiable_value")
            _check_keys(where, raw, _DUTIABLE_KEYS, {"id", "title", "citation", "less"})
            if not isinstance(rid, str) or not ID_PATTERN.match(rid):
                raise where.error("id", "must be a dotted id", rid, 'e.g. "us.ch98.s232"')
            if rid in rules or rid in ids or rid in suspension_ids:
                raise where.error("id", "is also the id of another dutiable-value rule, a levy or a suspension", rid,
                                  "an id of its own")
            for field in ("title", "citation"):
                if not isinstance(raw[field], str) or not raw[field].strip():
                    raise where.error(field, "must be non-empty text", raw[field])
            less = raw["less"]
            if not isinstance(less, list) or not less or not all(is_kind(kind) for kind in less):
                raise where.error("less", "must be a non-empty list of content kinds", less, '["ch98_nondutiable"]')
            when = read_conditions(where, "when", raw.get("when", []), facts, zone)
            undeclared = sorted(set().union(*(facts_used(c) for c in when)) - set(facts))
            if undeclared:
                raise where.error("when", f"tests {shown(undeclared[0])}, which is not a declared fact", raw["when"],
                                  "conditions on declared facts only: the rule holds whenever its levies are in force, "
                                  "whatever the entry instant, value or content")
            general = raw.get("general", False)
            if not isinstance(general, bool):
                raise where.error("general", "must be true or false", general)
            levies = frozenset()
            if "levies" in raw:
                levies = match_ids(where, "levies", raw["levies"], ids)
                levies -= match_ids(where, "except_levies", raw.get("except_levies", []), ids)
            elif "except_levies" in raw:
                raise where.error("except_levies", "needs levies", raw["except_levies"], "levies = [...] first")
            if not levies and not general:
                raise where.error("levies", "the rule governs no levy and not the general duty", raw.get("levies"),
                                  "levies = [ids or patterns] and/or general = true")
            rules[rid] = DutiableValue(id=rid, title=raw["title"], citation=raw["citation"], when=when,
                                       less=frozenset(less), levies=levies, general=general)
    return tuple(rules[rid] for rid in sorted(rules))


#: zones a rule file may name without a region: clearly meant to be fixed
_FIXED_ZONES_MEANT = frozenset({"UTC", "Etc/UTC"})


def _rule_zone(where: Where, name: Any) -> _dt.tzinfo:
    """The zone of ``zone = "..."``: an IANA region name (Area/Location) or UTC.

    An abbreviation or offset (``"EST"``, ``"CET"``, ``"UTC+1"``, ``"Etc/GMT+5"``) names a fixed offset or a
    POSIX rule, not the clocks of a place: ``"EST"`` is UTC-5 all year, so "00:01" in summer is 01:01 EDT.
    """
    zone = zone_named(name)
    if zone is None:
        raise where.error("zone", "is not a known IANA time zone", name, '"America/New_York"')
    if name not in _FIXED_ZONES_MEANT and ("/" not in name or name.startswith("Etc/")):
        raise where.error("zone", "is an abbreviation, a POSIX rule or a fixed offset, not an IANA region name: "
                          "such a name is a fixed offset or a rule of its own, not the clocks of a place (\"EST\" "
                          "is UTC-5 all year, so 00:01 in summer is 01:01 EDT), and a rule set's instants must "
                          "follow the place whose law they state",
                          name, 'an IANA region name such as "America/New_York" or "Europe/Lisbon", or "UTC"')
    return zone


def _with_declarations(info: RuleSetInfo, groups: dict, facts: dict) -> RuleSetInfo:
    return attrs.evolve(info, groups=tuple(sorted(groups.items())),
                        facts=tuple(sorted(facts.values(), key=lambda f: f.name)))


def _tables(name: str, doc: dict, key: str) -> list[dict]:
    """The ``[[key]]`` tables of a file, each checked to be a table."""
    items = doc.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise RuleFileError(f"must be an array of tables, written [[{key}]]", file=name, field=key)
    return items


def _exclusive_groups(pending: list[dict], ids: list[str]) -> list[tuple[str, str, list[frozenset[str]]]]:
    """Read each programme's ``exclusive_goods``: lists of levy ids or patterns, two levies or more each."""
    out = []
    for p in pending:
        raw = p["program"].get("exclusive_goods")
        if raw is None:
            continue
        where = Where(p["name"], p["program"]["id"], kind="program")
        expected = '[["prog.list1", "prog.list2"]]: lists of levy ids or patterns'
        if not isinstance(raw, list) or not all(isinstance(group, list) for group in raw):
            raise where.error("exclusive_goods", "must be a list of lists of levy ids", raw, expected)
        groups = [match_ids(where, "exclusive_goods", group, ids) for group in raw]
        for group, members in zip(raw, groups):
            if len(members) < 2:
                raise where.error("exclusive_goods", "a group must name at least two levies", group, expected)
        out.append((p["name"], p["program"]["id"], groups))
    return out


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
                raise where.error("id", f"must be a dotted lower-case id under the program id {shown(prefix[:-1])}",
                                  levy_id, f'"{prefix}something"')
            if levy_id in seen:
                raise where.error("id", f"levy id defined twice (also in {seen[levy_id]}); "
                                  "write changes over time as [[levy.version]] tables", levy_id)
            seen[levy_id] = p["name"]
    return sorted(seen)


def _unique_suspension_ids(suspensions: list[Suspension], levy_ids: list[str]) -> None:
    """A suspension id names one suspension, and no levy: a relation or a report could not tell them apart."""
    seen: dict[str, str] = {}
    for suspension in suspensions:
        file = suspension.versions[0].source.file
        kind = suspension.versions[0].source.table.split()[0]
        where = Where(file, suspension.id, kind=kind)
        if suspension.id in seen:
            raise where.error("id", f"{kind} id defined twice (also in {seen[suspension.id]}); write changes "
                              "over time as [[suspension.version]] tables", suspension.id)
        if suspension.id in levy_ids:
            raise where.error("id", "is also the id of a levy", suspension.id, "an id of its own")
        seen[suspension.id] = file


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


def _unquoted(text: str) -> str:
    """A parser's message with its single-quoted reprs (``'\\x00'``) written in double quotes."""
    return re.sub(r"'((?:[^'\\]|\\.)*)'", r'"\1"', text)

"""Compiled snapshots: used only when they match the rule files, never changing an answer."""

from __future__ import annotations

import pytest

import tariffrules
from tariffrules import snapshot


@pytest.mark.parametrize("name", tariffrules.builtin())
def test_shipped_snapshots_are_current_and_equal_the_source(name):
    folder = tariffrules.builtin_path(name)
    from_snapshot = snapshot.read(folder)
    assert from_snapshot is not None, f"stale: run `python -m tariffrules.snapshot {name}` and commit the file"
    assert from_snapshot == tariffrules.load(folder)


def test_snapshot_round_trip_answers_the_same(toy_copy):
    snapshot.write(toy_copy)
    rules = snapshot.read(toy_copy)
    source = tariffrules.load(toy_copy)
    assert rules == source
    for when in ("2025-04-09", "2025-04-10", "2025-08-07"):
        assert rules.resolve("8525.89.30", "JP", when).levies == source.resolve("8525.89.30", "JP", when).levies


def test_a_changed_rule_file_makes_the_snapshot_stale(toy_copy):
    snapshot.write(toy_copy)
    program = toy_copy / "sector.toml"
    program.write_text(program.read_text().replace('rate = "25%"', 'rate = "26%"', 1))
    assert snapshot.read(toy_copy) is None


def test_a_damaged_snapshot_is_ignored(toy_copy):
    path = snapshot.write(toy_copy)
    key, _, body = path.read_bytes().partition(b"\n")
    path.write_bytes(key + b"\n" + body[: len(body) // 2])
    assert snapshot.read(toy_copy) is None


def test_no_snapshot_reads_as_none(toy_copy):
    assert snapshot.read(toy_copy) is None


def test_snapshots_hold_no_zone_object(toy_copy):
    # dateutil's zone objects do not unpickle across its versions (2.9 vs 4.0): the zone travels by name
    import zlib

    body = snapshot.write(toy_copy).read_bytes().partition(b"\n")[2]
    assert b"dateutil" not in zlib.decompress(body)
    assert snapshot.read(toy_copy).info.zone is not None


def test_a_snapshot_works_from_another_checkout(tmp_path, toy_copy):
    # paths recorded in a snapshot are relative to the rule folder, so a copy elsewhere still matches
    import shutil

    snapshot.write(toy_copy)
    elsewhere = tmp_path / "elsewhere" / "toy"
    shutil.copytree(toy_copy, elsewhere)
    shutil.copy(snapshot.snapshot_path(toy_copy), snapshot.snapshot_path(elsewhere))
    moved = snapshot.read(elsewhere)
    assert moved == tariffrules.load(elsewhere)
    assert all(v.source.file.startswith(str(elsewhere)) for levy in moved.levies for v in levy.versions)


def test_a_snapshot_ships_the_compiled_index_of_its_own_versions(toy_copy):
    # the index a fresh process would compile on its first query comes with the snapshot, pointing at the
    # read rule set's own (moved) versions, and equal to the one compiled from source
    snapshot.write(toy_copy)
    rules = snapshot.read(toy_copy)
    shipped = rules.engine._views.get(-1)
    assert shipped is not None
    own = {id(v) for x in rules.levies + rules.suspensions for v in x.versions}
    assert all(id(v) in own for v in shipped.versions)
    assert all(id(v) in own for epoch in shipped.epochs for v in epoch.suspensions)
    fresh = tariffrules.load(toy_copy).engine.view(None)[1]
    assert shipped.versions == fresh.versions and shipped.change_points == fresh.change_points
    assert [(e.numbers, e.suspensions, e.order) for e in shipped.epochs] == \
        [(e.numbers, e.suspensions, e.order) for e in fresh.epochs]
    assert shipped.index == fresh.index and shipped.excluded_index == fresh.excluded_index
    assert rules.resolve("8703.23.01", "CN", "2025-06-01") == tariffrules.load(toy_copy).resolve(
        "8703.23.01", "CN", "2025-06-01")

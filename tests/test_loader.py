"""Loading: every kind of broken rule file raises RuleFileError naming file, levy and field."""

from __future__ import annotations

from pathlib import Path

import pytest

import tariffrules
from tariffrules.errors import RuleFileError

MINIMAL = '''
[ruleset]
name = "mini"
title = "Minimal"
zone = "Europe/Paris"
horizon_start = 2025-01-01
reviewed = 2025-12-31

[program]
id = "mini.p"
title = "P"
authority = "Act"
rank = 1

[[levy]]
id = "mini.p.a"
title = "A"
citation = "Act s. 1"
rate = "5%"
start = 2025-02-01
goods = ["01"]
origins = ["*"]
'''


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def load_error(path: Path) -> RuleFileError:
    with pytest.raises(RuleFileError) as info:
        tariffrules.load(path)
    return info.value


def test_a_single_file_loads(tmp_path):
    rules = tariffrules.load(write(tmp_path, MINIMAL))
    assert [levy.id for levy in rules.levies] == ["mini.p.a"]
    assert rules.resolve("0101.21.00", "FR", "2025-03-01").headings == ()
    assert rules.resolve("0101.21.00", "FR", "2025-03-01").levies[0].rate == 5


@pytest.mark.parametrize("old,new,field,fragment", [
    ('rate = "5%"', 'rate = "5"', "rate", "is not a rate"),
    ('rate = "5%"', 'rate = "5%"\ncolour = "red"', "colour", "unknown key"),
    ('goods = ["01"]', 'goods = ["0A"]', "goods", "malformed code prefix"),
    ('origins = ["*"]', 'origins = ["XX"]', "origins", "unknown origin"),
    ('origins = ["*"]', 'origins = ["@NOPE"]', "origins", "unknown origin"),
    ('origins = ["*"]', 'origins = ["*"]\nexcept_origins = ["*"]', "except_origins", "unknown origin"),
    ('start = 2025-02-01', 'start = "yesterday"', "start", "is not a TOML date"),
    ('start = 2025-02-01', 'start = 2025-02-01\nend = 2025-01-01', "end", "must be after start"),
    ('citation = "Act s. 1"\n', '', "citation", "is required"),
    ('rate = "5%"', 'rate = "5%"\nbase = { content = "Steel" }', "base", "is not a base"),
    ('rate = "5%"', 'rate = "5%"\nbase = { less = ["us"], min_share = { steel = "20%" } }', "base", "min_share"),
    ('rate = "5%"', 'rate = "5%"\nwhen = [ { fact = "colour", is = true } ]', "when", "unknown fact"),
    ('rate = "5%"', 'rate = "5%"\nwhen = [ { fact = "value", before = 2025-01-01 } ]', "when", "does not apply"),
    ('rate = "5%"', 'rate = "5%"\nwhen = [ { fact = "value", at_least = "lots" } ]', "when", "does not fit"),
    ('rate = "5%"', 'rate = "5%"\nwhen = [ { fact = "value", plus = ["content.us"], at_least = "5" } ]', "when",
     "applies only to the share operators"),
    ('rate = "5%"', 'rate = "5%"\nwhen = [ { fact = "content.us", plus = ["value"], share_at_least = "20%" } ]', "when",
     "must list other content facts"),
    ('rate = "5%"', 'rate = "5%"\nwhen = [ { fact = "content.us", plus = ["content.us"], share_below = "20%" } ]',
     "when", "must list other content facts"),
    ('rate = "5%"', 'rate = "5%"\nexcludes = ["mini.p.zzz"]', "excludes", "matches no levy"),
    ('rate = "5%"', 'rate = "5%"\nreplaces = ["other.*"]', "replaces", "matches no levy"),
    ('id = "mini.p.a"', 'id = "other.a"', "id", "under the program id"),
    ('id = "mini.p.a"', 'id = "mini.p.A"', "id", "under the program id"),
])
def test_malformed_levy_fields(tmp_path, old, new, field, fragment):
    assert old in MINIMAL
    error = load_error(write(tmp_path, MINIMAL.replace(old, new, 1)))
    assert error.field == field
    assert fragment in str(error)
    assert str(tmp_path) in str(error)
    if field != "id":
        assert error.levy == "mini.p.a"


@pytest.mark.parametrize("old,new,field", [
    ('zone = "Europe/Paris"', 'zone = "Mars/Olympus"', "zone"),
    ('reviewed = 2025-12-31', 'reviewed = "soon"', "reviewed"),
    ('name = "mini"\n', '', "name"),
    ('reviewed = 2025-12-31', 'reviewed = 2025-12-31\nheading_pattern = "("', "heading_pattern"),
    ('reviewed = 2025-12-31', 'reviewed = 2025-12-31\ncode_lengths = []', "code_lengths"),
    ('reviewed = 2025-12-31', 'reviewed = 2025-12-31\nday_time = "noonish"', "day_time"),
])
def test_malformed_ruleset_table(tmp_path, old, new, field):
    error = load_error(write(tmp_path, MINIMAL.replace(old, new, 1)))
    assert error.field == field


def test_invalid_toml_names_the_file(tmp_path):
    error = load_error(write(tmp_path, MINIMAL + "\n[[levy]\n"))
    assert "is not valid TOML" in str(error) and "rules.toml" in str(error)


def test_unknown_top_level_key(tmp_path):
    error = load_error(write(tmp_path, "[levies]\n" + MINIMAL))
    assert "unknown top-level key" in str(error)


def test_missing_path_and_empty_folder(tmp_path):
    assert "no such file" in str(load_error(tmp_path / "nope"))
    assert "no .toml file" in str(load_error(tmp_path))


def test_ruleset_must_be_declared_once(tmp_path):
    write(tmp_path, MINIMAL, "a.toml")
    write(tmp_path, MINIMAL.replace('"mini.p', '"mini.q'), "b.toml")
    assert "exactly one file must hold [ruleset]" in str(load_error(tmp_path))


def test_levies_need_a_program(tmp_path):
    write(tmp_path, MINIMAL, "a.toml")
    write(tmp_path, MINIMAL[MINIMAL.index("[[levy]]"):].replace("mini.p.a", "mini.p.b"), "b.toml")
    assert "need a [program]" in str(load_error(tmp_path))


def test_duplicate_levy_ids(tmp_path):
    levy = MINIMAL[MINIMAL.index("[[levy]]"):]
    error = load_error(write(tmp_path, MINIMAL + levy))
    assert "defined twice" in str(error) and error.levy == "mini.p.a"


def test_heading_must_match_the_pattern(tmp_path):
    text = MINIMAL.replace('reviewed = 2025-12-31', "reviewed = 2025-12-31\nheading_pattern = '^99\\d{2}$'")
    error = load_error(write(tmp_path, text.replace('rate = "5%"', 'rate = "5%"\nheading = "12"')))
    assert error.field == "heading"


def test_group_and_fact_declared_twice(tmp_path):
    text = MINIMAL + '\n[groups]\nG = ["FR"]\n[facts.claim]\ntype = "bool"\n'
    tariffrules.load(write(tmp_path, text))
    error = load_error(write(tmp_path, text.replace('[ruleset]', '[ruleset.groups]\nG = ["DE"]\n[ruleset]')))
    assert "declared twice" in str(error)


def test_fact_declarations_are_checked(tmp_path):
    error = load_error(write(tmp_path, MINIMAL + '\n[facts.claim]\ntype = "colour"\n'))
    assert error.field == "claim.type"
    error = load_error(write(tmp_path, MINIMAL + '\n[facts.claim]\ntype = "bool"\ndefault = "yes"\n'))
    assert error.field == "claim.default"


VERSIONS = MINIMAL.replace('rate = "5%"\nstart = 2025-02-01\n', '') + '''
  [[levy.version]]
  label = "one"
  rate = "5%"
  start = 2025-02-01
  end = 2025-06-01

  [[levy.version]]
  label = "two"
  rate = "7%"
  start = 2025-06-01
'''


def test_versions_hand_over_at_the_boundary(tmp_path):
    rules = tariffrules.load(write(tmp_path, VERSIONS))
    assert rules.resolve("01012100", "FR", "2025-05-31").levies[0].rate == 5
    assert rules.resolve("01012100", "FR", "2025-06-01").levies[0].rate == 7


def test_overlapping_versions_are_rejected(tmp_path):
    error = load_error(write(tmp_path, VERSIONS.replace("start = 2025-06-01", "start = 2025-05-01")))
    assert "in force at the same time" in str(error) and error.levy == "mini.p.a"


def test_supersedes_needs_a_later_known_and_an_existing_label(tmp_path):
    overlapping = VERSIONS.replace('label = "two"', 'label = "two"\nsupersedes = "one"').replace(
        "start = 2025-06-01", "start = 2025-05-01")
    ok = tariffrules.load(write(tmp_path, overlapping))  # known defaults to start: later than one's
    assert ok.resolve("01012100", "FR", "2025-05-15").levies[0].rate == 7
    assert ok.resolve("01012100", "FR", "2025-03-15").levies == ()  # one is superseded entirely
    error = load_error(write(tmp_path, overlapping.replace('supersedes = "one"', 'supersedes = "one"\nknown = 2025-01-15')))
    assert error.field == "known"
    error = load_error(write(tmp_path, overlapping.replace('supersedes = "one"', 'supersedes = "three"')))
    assert error.field == "supersedes"


def test_duplicate_version_labels(tmp_path):
    error = load_error(write(tmp_path, VERSIONS.replace('label = "two"', 'label = "one"')))
    assert error.field == "label"


CYCLE = MINIMAL + '''
[[levy]]
id = "mini.p.b"
title = "B"
citation = "Act s. 2"
rate = "5%"
start = 2025-02-01
goods = ["01"]
origins = ["*"]
replaces = ["mini.p.a"]
'''


def test_cycles_are_rejected(tmp_path):
    text = CYCLE.replace('rate = "5%"\nstart = 2025-02-01\ngoods', 'rate = "5%"\nexcludes = ["mini.p.b"]\n'
                         'start = 2025-02-01\ngoods', 1)
    error = load_error(write(tmp_path, text))
    assert "cycle" in str(error)


def test_opposite_relations_in_disjoint_periods_are_not_a_cycle(tmp_path):
    text = CYCLE.replace('rate = "5%"\nstart = 2025-02-01\ngoods', 'rate = "5%"\nexcludes = ["mini.p.b"]\n'
                         'start = 2025-02-01\nend = 2025-03-01\ngoods', 1)
    text = text.replace('start = 2025-02-01\ngoods = ["01"]\norigins = ["*"]\nreplaces',
                        'start = 2025-03-01\ngoods = ["01"]\norigins = ["*"]\nreplaces')
    rules = tariffrules.load(write(tmp_path, text))
    assert rules.resolve("01012100", "FR", "2025-02-15").levies[0].id == "mini.p.a"


def test_suspension_errors_name_the_suspension(tmp_path):
    text = MINIMAL + '''
[[suspension]]
id = "mini.p.pause"
title = "Pause"
citation = "Act s. 3"
levies = ["mini.p.nothing*"]
start = 2025-03-01
'''
    error = load_error(write(tmp_path, text))
    assert error.kind == "suspension" and error.levy == "mini.p.pause" and error.field == "levies"
    assert "suspension mini.p.pause" in str(error)


def test_side_files(tmp_path):
    (tmp_path / "list.txt").write_text("# a list\n0101  # horses\n\n0102\n")
    text = MINIMAL.replace('goods = ["01"]', 'goods = []\ngoods_files = ["list.txt"]')
    rules = tariffrules.load(write(tmp_path, text))
    assert rules.resolve("01022100", "FR", "2025-03-01").levies
    assert not rules.resolve("01031000", "FR", "2025-03-01").levies
    (tmp_path / "list.txt").write_text("0101\nhorses\n")
    error = load_error(write(tmp_path, text))
    assert "list.txt line 2" in str(error) and error.field == "goods_files"
    error = load_error(write(tmp_path, text.replace("list.txt", "missing.txt")))
    assert "cannot read side file" in str(error)


def test_mfn_table_is_checked(tmp_path):
    (tmp_path / "mfn.csv").write_text("code,mfn\n0101,x\n")
    error = load_error(write(tmp_path, MINIMAL.replace('reviewed = 2025-12-31', 'reviewed = 2025-12-31\nmfn_table = "mfn.csv"')))
    assert "line 2" in str(error)


def test_toy_loads_every_feature(toy):
    assert toy.info.name == "toy"
    assert {levy.id for levy in toy.levies} >= {"toy.recip.baseline", "toy.recip.jp", "toy.sector.steel"}
    assert toy.get("toy.recip.pause").versions[1].supersedes == "90-days"
    with pytest.raises(tariffrules.UnknownLevyError):
        toy.get("toy.nope")


def test_a_share_condition_may_sum_content_kinds(tmp_path):
    text = MINIMAL.replace('rate = "5%"', 'rate = "5%"\nwhen = [ { fact = "content.us", plus = ["content.parts"], '
                                          'share_at_least = "20%" } ]')
    rules = tariffrules.load(write(tmp_path, text))
    assert "parts" in rules.info.content_kinds  # a kind named only in plus is a kind the rules read
    assert rules.resolve("0101.21.00", "FR", "2025-03-01", value="100", content={"us": "10", "parts": "10"}).levies
    assert not rules.resolve("0101.21.00", "FR", "2025-03-01", value="100", content={"us": "10", "parts": "9"}).levies

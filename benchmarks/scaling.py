"""How cost grows with rule-set size and batch size, on generated rule sets.

Writes rule sets of growing size (country levies on all goods, sectoral
levies on lists of prefixes, with versions, a suspension and relations) to a
temporary folder, then measures load time, index compile time, cold and warm
resolve latency and batch throughput for each, and throughput for growing
batch sizes on the largest.

Run: ``python benchmarks/scaling.py``
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import tariffrules

COUNTRIES = ["JP", "CN", "DE", "FR", "IT", "KR", "VN", "TW", "IN", "GB", "BR", "MX", "CA", "TH", "MY", "CH", "IE",
             "SG", "ID", "PH", "ES", "NL", "BE", "AT", "SE", "PL", "TR", "ZA", "AU", "NZ"]


def write_rules(folder: Path, sectors: int, countries: int, prefixes: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    (folder / "ruleset.toml").write_text(
        '[ruleset]\nname = "gen"\ntitle = "Generated"\nzone = "America/New_York"\n'
        'horizon_start = 2025-01-01\nreviewed = 2026-12-31\n')
    out = ['[program]\nid = "gen.c"\ntitle = "Country"\nauthority = "A"\nrank = 200\n',
           '[[levy]]\nid = "gen.c.base"\ntitle = "Base"\ncitation = "c"\nrate = "10%"\n'
           'start = 2025-04-05T00:01:00\ngoods = ["*"]\norigins = ["*"]\n']
    for n, cc in enumerate(COUNTRIES[:countries]):
        out.append(f'[[levy]]\nid = "gen.c.{cc.lower()}"\ntitle = "{cc}"\ncitation = "c"\ngoods = ["*"]\n'
                   f'origins = ["{cc}"]\nreplaces = ["gen.c.base"]\n'
                   f'  [[levy.version]]\n  rate = "{10 + n}%"\n  start = 2025-04-09T00:01:00\n'
                   f'  end = 2025-08-07T00:01:00\n'
                   f'  [[levy.version]]\n  rate = "{15 + n % 10}%"\n  start = 2025-08-07T00:01:00\n')
    out.append('[[suspension]]\nid = "gen.c.pause"\ntitle = "Pause"\ncitation = "c"\nlevies = ["gen.c.*"]\n'
               'except_levies = ["gen.c.base"]\nstart = 2025-04-10T00:01:00\nend = 2025-07-09T00:01:00\n')
    (folder / "country.toml").write_text("\n".join(out))
    out = ['[program]\nid = "gen.s"\ntitle = "Sector"\nauthority = "B"\nrank = 300\n']
    for n in range(sectors):
        codes = sorted({f"{rng.randrange(1, 98):02d}{rng.randrange(0, 100):02d}{rng.randrange(0, 100):02d}"
                        for _ in range(prefixes)})
        (folder / f"s{n}.txt").write_text("\n".join(codes) + "\n")
        base = 'base = { content = "steel" }\n' if n % 3 == 0 else ""
        out.append(f'[[levy]]\nid = "gen.s.s{n}"\ntitle = "S{n}"\ncitation = "c"\nrate = "25%"\n{base}'
                   f'start = 2025-0{1 + n % 9}-12T00:01:00\ngoods = []\ngoods_files = ["s{n}.txt"]\n'
                   f'origins = ["*"]\nexcludes = ["gen.c.*"]\n')
    (folder / "sector.toml").write_text("\n".join(out))


def queries(rules, count: int, seed: int = 3):
    rng = random.Random(seed)
    prefixes = sorted({p for levy in rules.levies for v in levy.versions for p in v.goods.prefixes})
    for _ in range(count):
        code = (rng.choice(prefixes) + "0000000000")[:10] if prefixes and rng.random() < 0.5 else \
            f"{rng.randrange(1, 98):02d}{rng.randrange(0, 10**8):08d}"
        yield (code, rng.choice(COUNTRIES), f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               {"value": "1000", "content": {"steel": "100"}})


def measure(folder: Path, count: int) -> dict:
    t = time.perf_counter()
    rules = tariffrules.load(folder)
    load = time.perf_counter() - t
    t = time.perf_counter()
    rules.engine.view(None)
    compile_ = time.perf_counter() - t
    lines = list(queries(rules, count))
    cold, warm = [], []
    for line in lines[:2000]:
        t = time.perf_counter()
        rules.resolve(line[0], line[1], line[2], **line[3])
        cold.append(time.perf_counter() - t)
        t = time.perf_counter()
        rules.resolve(line[0], line[1], line[2], **line[3])
        warm.append(time.perf_counter() - t)
    t = time.perf_counter()
    for _ in rules.resolve_many(lines):
        pass
    rate = len(lines) / (time.perf_counter() - t)
    return {"levies": len(rules.levies), "load_ms": load * 1e3, "compile_ms": compile_ * 1e3,
            "cold_us": statistics.median(cold) * 1e6, "warm_us": statistics.median(warm) * 1e6, "lines_s": rate}


def main() -> int:
    print("rule-set size (batch of 20,000 lines):")
    print(f"  {'levies':>7} {'load ms':>9} {'compile ms':>11} {'cold p50 µs':>12} {'warm p50 µs':>12} {'lines/s':>10}")
    largest = None
    for sectors, countries, prefixes in ((5, 5, 50), (20, 15, 200), (60, 30, 500), (150, 30, 1000)):
        with tempfile.TemporaryDirectory() as tmp:
            write_rules(Path(tmp), sectors, countries, prefixes)
            m = measure(Path(tmp), 20_000)
        print(f"  {m['levies']:>7} {m['load_ms']:>9.1f} {m['compile_ms']:>11.1f} {m['cold_us']:>12.1f} "
              f"{m['warm_us']:>12.1f} {m['lines_s']:>10,.0f}")
        largest = (sectors, countries, prefixes)
    print("batch size (largest rule set, fresh rule set per batch):")
    with tempfile.TemporaryDirectory() as tmp:
        write_rules(Path(tmp), *largest)
        for count in (1_000, 10_000, 100_000):
            rules = tariffrules.load(tmp)
            lines = list(queries(rules, count))
            t = time.perf_counter()
            for _ in rules.resolve_many(lines):
                pass
            print(f"  {count:>7,} lines: {count / (time.perf_counter() - t):>10,.0f} lines/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: load time, single-resolve latency, batch throughput, memory, and the ratio to the reference resolver.

Run from the repository root::

    python benchmarks/bench.py            # built-in US set, 1,000,000 lines
    python benchmarks/bench.py --lines 200000 --rules tests/rules/toy
    python benchmarks/bench.py --profile  # where the time of 100,000 warm lines goes (cProfile)

Prints a table; every figure comes from this run on this machine.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import pickle
import platform
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tariffrules  # noqa: E402
from tariffrules import reference  # noqa: E402
from workload import lines  # noqa: E402

CHUNK = 100_000


def _load(path):
    return tariffrules.load(path) if path else tariffrules.load(tariffrules.builtin_path("us"))


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", help="rule folder (default: the built-in US set)")
    parser.add_argument("--lines", type=int, default=1_000_000, help="batch size (default 1,000,000)")
    parser.add_argument("--reference-lines", type=int, default=2_000, help="lines timed on the reference resolver")
    parser.add_argument("--profile", action="store_true",
                        help="only profile 100,000 warm lines with cProfile and print the top functions")
    args = parser.parse_args(argv)
    if args.profile:
        return _profile(args.rules)
    rows = []

    loads = []
    for _ in range(5):
        t = time.perf_counter()
        rules = _load(args.rules)
        loads.append(time.perf_counter() - t)
    rows.append(("load rule set from its TOML files (median of 5)", f"{statistics.median(loads) * 1e3:.1f} ms"))
    if not args.rules:
        from tariffrules import snapshot

        folder = tariffrules.builtin_path("us")
        snaps = []
        for _ in range(5):
            t = time.perf_counter()
            found = snapshot.read(folder)
            snaps.append(time.perf_counter() - t)
        state = "current" if found is not None else "STALE: builtin() falls back to the TOML files"
        rows.append((f"load bundled rule set, builtin('us') (snapshot {state})",
                     f"{statistics.median(snaps) * 1e3:.1f} ms"))
    t = time.perf_counter()
    rules.engine.view(None)
    rows.append(("compile index (first view)", f"{(time.perf_counter() - t) * 1e3:.1f} ms"))

    sample = list(lines(rules, 5_000, seed=7))
    cold, warm, same_key = [], [], []
    fresh = _load(args.rules)
    fresh.engine.view(None)
    for hts, origin, when, facts in sample:
        try:
            t = time.perf_counter()
            fresh.resolve(hts, origin, when, **facts)
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            fresh.resolve(hts, origin, when, **facts)
            warm.append(time.perf_counter() - t)
            # the same good, origin and day with another customs value: not the same call, same memo key
            other = dict(facts, value=Decimal(facts.get("value", 0)) + 1)
            t = time.perf_counter()
            fresh.resolve(hts, origin, when, **other)
            same_key.append(time.perf_counter() - t)
        except tariffrules.TariffRulesError:
            pass
    rows.append(("resolve, cold (first time for its key): p50 / p99",
                 f"{percentile(cold, .5) * 1e6:.1f} / {percentile(cold, .99) * 1e6:.1f} µs"))
    rows.append(("resolve, warm (the same call again): p50 / p99",
                 f"{percentile(warm, .5) * 1e6:.1f} / {percentile(warm, .99) * 1e6:.1f} µs"))
    rows.append(("resolve, warm key (another value, same memo key): p50 / p99",
                 f"{percentile(same_key, .5) * 1e6:.1f} / {percentile(same_key, .99) * 1e6:.1f} µs"))

    batch = _load(args.rules)
    gc.collect()
    errors = done = 0
    resolving = 0.0
    wall = time.perf_counter()
    source = lines(batch, args.lines)
    while True:
        # Lines are generated in chunks outside the timed loop, so the figure is the resolver's own;
        # memory stays bounded by the chunk, as it would reading a file.
        chunk = list(itertools.islice(source, CHUNK))
        if not chunk:
            break
        t = time.perf_counter()
        for result in batch.resolve_many(chunk):
            done += 1
            if type(result) is not tariffrules.Resolution:
                errors += 1
        resolving += time.perf_counter() - t
    wall = time.perf_counter() - wall
    fast_rate = done / resolving
    rows.append((f"resolve_many, {done:,} realistic lines (resolving only)",
                 f"{fast_rate:,.0f} lines/s ({errors:,} lines yielded errors)"))
    rows.append(("  end to end, generating the lines too", f"{done / wall:,.0f} lines/s"))

    tracemalloc.start()
    for _ in batch.resolve_many(lines(batch, min(args.lines, 100_000), seed=3)):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("peak traced memory of a further 100,000-line batch", f"{peak / 1e6:.1f} MB"))

    ref_lines = list(lines(rules, args.reference_lines, seed=11))
    # The reference reads each line too, so both sides do the same work per line.
    t = time.perf_counter()
    for hts, origin, when, facts in ref_lines:
        try:
            reference.resolve(rules, rules.query(hts, origin, when, **facts))
        except tariffrules.TariffRulesError:
            pass
    ref_rate = len(ref_lines) / (time.perf_counter() - t)
    queries = ref_lines
    rows.append((f"reference resolver, {len(queries):,} lines", f"{ref_rate:,.0f} lines/s"))
    rows.append(("speed ratio, resolve_many / reference", f"{fast_rate / ref_rate:,.1f}x"))

    tracemalloc.start()
    sized = _load(args.rules)
    sized.engine.view(None)
    for hts, origin, when, facts in sample[:2000]:
        try:
            sized.resolve(hts, origin, when, **facts)
        except tariffrules.TariffRulesError:
            pass
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("rule set + index + memo after 2,000 queries (traced)", f"{size / 1e6:.1f} MB"))
    rows.append(("pickled rule set", f"{len(pickle.dumps(rules)) / 1e6:.2f} MB"))

    width = max(len(r[0]) for r in rows)
    print(f"tariffrules benchmark: {rules.info.name} ({len(rules.levies)} levies), Python {platform.python_version()}, "
          f"{platform.machine()}")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    return 0


def _profile(rules_path) -> int:
    import cProfile
    import pstats

    rules = _load(rules_path)
    batch = list(lines(rules, 500_000))
    for _ in rules.resolve_many(batch[:400_000]):  # warm the caches and the memo
        pass
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in rules.resolve_many(batch[400_000:]):
        pass
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

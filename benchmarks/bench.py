"""Benchmark: what a user waits for, on three workloads, the row path and the columnar path in one run.

Run from the repository root::

    python benchmarks/bench.py                       # built-in US set, 1,000,000 lines per workload
    python benchmarks/bench.py --lines 200000 --workloads importer
    python benchmarks/bench.py --profile             # where 100,000 warm importer lines spend it (cProfile)

For each workload (``benchmarks/workload.py``: importer, broker, uniform) it
writes the lines as a CSV and a Parquet file, reports how often keys repeat,
then times, on the same files:

* ``tariffrules batch`` end to end (read the CSV, resolve, write rate,
  headings, duty and error columns), row by row as before (``resolve_many``)
  and through Arrow (``resolve_table``), each in a fresh process;
* the same from and to Parquet through Arrow;
* resolving only: ``resolve_many`` on parsed lines, and ``resolve_table`` on
  a table in memory, cold (a fresh process: the rule set just loaded) and
  warm (the same rule set again);
* the peak resident memory of each batch process (its own high-water mark,
  ``VmHWM`` in ``/proc/self/status``: see ``PEAK``), also with smaller and
  larger CSV chunks, and CPU seconds beside wall seconds (the machine is shared).

Before the workloads: load times, and the latency of one ``resolve``: cold
(memo and caches cleared before each call, so each is settled from scratch),
warm (the same call again) and in a fresh process (load, compile, answer).
Every figure comes from this run on this machine; the machine's load average
is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import tariffrules  # noqa: E402
from tariffrules import reference  # noqa: E402
from workload import WORKLOADS, write_csv  # noqa: E402


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh Python process (this checkout first on the path); it prints one JSON object."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


#: the child's own peak resident memory in MB: VmHWM of /proc/self/status, the high-water mark of this
#: process's address space, which exec starts afresh. Not getrusage's ru_maxrss: Linux carries the parent's
#: high-water mark into a child started by fork or vfork and exec, so every child would report at least
#: this benchmark's own peak (tester's note perf16). None where /proc is missing (not Linux).
PEAK = """
def cpu_s():
    import resource
    used = resource.getrusage(resource.RUSAGE_SELF)  # CPU time is the process's own (not inherited)
    return used.ru_utime + used.ru_stime

def peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
"""


BATCH = PEAK + """
import json, sys, time
start = time.perf_counter()
import tariffrules.cli_batch as cli_batch
import tariffrules.table_io as table_io
from tariffrules.cli import main
if sys.argv[1] == "rows":
    cli_batch._columnar = lambda args: None
if len(sys.argv) > 4:  # bytes of CSV per chunk
    table_io.BLOCK_BYTES = int(sys.argv[4])
code = main(["batch", sys.argv[2], sys.argv[3]] + ([] if sys.argv[1] == "rows" else ["--columnar"]))
print(json.dumps({"seconds": time.perf_counter() - start, "code": code, "cpu": cpu_s(),
                  "rss_mb": peak_mb()}))
"""

COLD_TABLE = PEAK + """
import json, sys, time
import pyarrow as pa, pyarrow.csv as pcsv
start = time.perf_counter()
import tariffrules
rules = tariffrules.builtin("us")
loaded = time.perf_counter()
names = sys.argv[2].split(",")
table = pcsv.read_csv(sys.argv[1], convert_options=pcsv.ConvertOptions(
    column_types={n: pa.string() for n in names}, strings_can_be_null=False))
t, c = time.perf_counter(), cpu_s()
out = rules.resolve_table(table)
resolved, resolved_cpu = time.perf_counter() - t, cpu_s() - c
t, c = time.perf_counter(), cpu_s()
rules.resolve_table(table)
warm, warm_cpu = time.perf_counter() - t, cpu_s() - c
print(json.dumps({"load": loaded - start, "cold": resolved, "warm": warm, "rows": out.num_rows,
                  "cold_cpu": resolved_cpu, "warm_cpu": warm_cpu,
                  "rss_mb": peak_mb()}))
"""

FIRST_QUERY = """
import json, time
start = time.perf_counter()
import tariffrules
rules = tariffrules.builtin("us")
t = time.perf_counter()
rules.resolve("8703.23.01.90", "JP", "2025-09-02")
print(json.dumps({"first": time.perf_counter() - t, "import_and_load": t - start}))
"""


def latency_rows(rules_path, samples: list) -> list[tuple[str, str]]:
    rows = []
    loads = []
    for _ in range(5):
        t = time.perf_counter()
        rules = tariffrules.load(rules_path or tariffrules.builtin_path("us"))
        loads.append(time.perf_counter() - t)
    rows.append(("load the rule set from its TOML files (median of 5)", f"{statistics.median(loads) * 1e3:.1f} ms"))
    if not rules_path:
        from tariffrules import snapshot

        snaps = []
        for _ in range(5):
            t = time.perf_counter()
            found = snapshot.read(tariffrules.builtin_path("us"))
            snaps.append(time.perf_counter() - t)
        state = "current" if found is not None else "STALE: builtin() falls back to the TOML files"
        rows.append((f"load the bundled set, builtin('us') (snapshot {state}, median of 5)",
                     f"{statistics.median(snaps) * 1e3:.1f} ms"))
    t = time.perf_counter()
    rules.engine.view(None)
    rows.append(("compile the index (first view)", f"{(time.perf_counter() - t) * 1e3:.1f} ms"))
    cold, warm = [], []
    for hts, origin, when, facts in samples:
        rules._answers.clear()  # cold: nothing memoised, so the call settles its key from scratch
        rules.engine._memo.clear()
        try:
            t = time.perf_counter()
            rules.resolve(hts, origin, when, **facts)
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            rules.resolve(hts, origin, when, **facts)
            warm.append(time.perf_counter() - t)
        except tariffrules.TariffRulesError:
            pass
    rows.append(("resolve, cold (memo cleared before each call): p50 / p99",
                 f"{percentile(cold, .5) * 1e6:.1f} / {percentile(cold, .99) * 1e6:.1f} µs"))
    rows.append(("resolve, warm (the same call again): p50 / p99",
                 f"{percentile(warm, .5) * 1e6:.1f} / {percentile(warm, .99) * 1e6:.1f} µs"))
    if not rules_path:
        first = _child(FIRST_QUERY)
        rows.append(("first resolve in a fresh process (after import and builtin('us'))",
                     f"{first['first'] * 1e3:.1f} ms (import and load {first['import_and_load'] * 1e3:.0f} ms)"))
    ref = samples[:1000]
    t = time.perf_counter()
    for hts, origin, when, facts in ref:
        try:
            reference.resolve(rules, rules.query(hts, origin, when, **facts))
        except tariffrules.TariffRulesError:
            pass
    ref_rate = len(ref) / (time.perf_counter() - t)
    rows.append((f"reference resolver, {len(ref):,} lines (reading each too)", f"{ref_rate:,.0f} lines/s"))
    return rows


def workload_rows(name: str, rules, count: int, folder: Path) -> list[tuple[str, str]]:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    lines = list(WORKLOADS[name](rules, count))
    source = folder / f"{name}.csv"
    write_csv(source, iter(lines))
    columns = source.open().readline().strip().split(",")
    table = pcsv.read_csv(source, convert_options=pcsv.ConvertOptions(
        column_types={c: pa.string() for c in columns}, strings_can_be_null=False))
    pq.write_table(table, folder / f"{name}.parquet")
    rows = []
    codes = len({line[0] for line in lines})
    triples = len({line[:3] for line in lines})
    content = sum(1 for line in lines if "content" in line[3])
    fresh = tariffrules.builtin("us")
    t = time.perf_counter()
    for _ in fresh.resolve_many(lines):
        pass
    many_cold = count / (time.perf_counter() - t)
    keys = len(fresh.engine._memo)
    t = time.perf_counter()
    for _ in fresh.resolve_many(lines):
        pass
    many_warm = count / (time.perf_counter() - t)
    rows.append(("distinct codes / (code, origin, day) / memo keys",
                 f"{codes:,} / {triples:,} ({triples / count:.1%} of lines) / {keys:,} ({keys / count:.2%})"))
    rows.append(("lines with content amounts", f"{content:,} ({content / count:.1%})"))

    cold = _child(COLD_TABLE, str(source), ",".join(columns))
    t = time.perf_counter()
    out = fresh.resolve_table(table)
    table_warm = count / (time.perf_counter() - t)
    errors = out.column("error").null_count
    groups = len(fresh.engine.tables[False].groups)
    rows.append(("resolve_table groups (answers resolved once and broadcast)", f"{groups:,} ({groups / count:.2%})"))
    rows.append(("resolve_many, resolving parsed lines: first pass / again",
                 f"{many_cold:,.0f} / {many_warm:,.0f} lines/s"))
    rows.append(("resolve_table, cold (fresh process, set just loaded)",
                 f"{count / cold['cold']:,.0f} lines/s, {count / cold['cold_cpu']:,.0f} per CPU s "
                 f"(load {cold['load'] * 1e3:.0f} ms before; peak RSS {_mb(cold['rss_mb'])})"))
    rows.append(("resolve_table, warm (same process, again)",
                 f"{count / cold['warm']:,.0f} lines/s, {count / cold['warm_cpu']:,.0f} per CPU s; "
                 f"in this process after resolve_many: {table_warm:,.0f}"))
    rows.append(("  ratio resolve_table warm / resolve_many again", f"{count / cold['warm'] / many_warm:.1f}x"))
    rows.append(("  rows with an error in place", f"{count - errors:,} ({(count - errors) / count:.1%})"))

    old = _child(BATCH, "rows", str(source), str(folder / "rows.csv"))
    new = _child(BATCH, "arrow", str(source), str(folder / "arrow.csv"))
    same = (folder / "rows.csv").read_bytes() == (folder / "arrow.csv").read_bytes()
    parquet = _child(BATCH, "arrow", str(folder / f"{name}.parquet"), str(folder / "out.parquet"))
    rows.append(("tariffrules batch CSV -> CSV, row by row (before)", _batch_cell(count, old)))
    rows.append(("tariffrules batch CSV -> CSV, through Arrow", _batch_cell(count, new)))
    rows.append(("  ratio Arrow / row by row (wall; CPU); output files identical",
                 f"{old['seconds'] / new['seconds']:.1f}x; {old['cpu'] / new['cpu']:.1f}x; {'yes' if same else 'NO'}"))
    rows.append(("tariffrules batch Parquet -> Parquet, through Arrow", _batch_cell(count, parquet)))
    for block in (1 << 20, 32 << 20):  # the CSV chunk (table_io.BLOCK_BYTES, 8 MB by default) against peak memory
        other = _child(BATCH, "arrow", str(source), str(folder / "chunk.csv"), str(block))
        rows.append((f"  through Arrow with {block >> 20} MB CSV chunks", _batch_cell(count, other)))
    return rows


def _mb(value) -> str:
    return "unknown (no /proc)" if value is None else f"{value:.0f} MB"


def _batch_cell(count: int, run: dict) -> str:
    return (f"{count / run['seconds']:,.0f} lines/s ({run['seconds']:.1f} s wall, {run['cpu']:.1f} s CPU, "
            f"peak RSS {_mb(run['rss_mb'])})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", help="rule folder for the latency figures (default: the built-in US set)")
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines per workload (default 1,000,000)")
    parser.add_argument("--workloads", default="importer,broker,uniform", help="comma-separated workload names")
    parser.add_argument("--profile", action="store_true",
                        help="only profile 100,000 warm importer lines (resolve_many, resolve_table) with cProfile")
    args = parser.parse_args(argv)
    if args.profile:
        return _profile()
    rules = tariffrules.builtin("us")
    print(f"tariffrules benchmark: {rules.info.name} ({len(rules.levies)} levies), Python "
          f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    _print("single lines", latency_rows(args.rules, list(WORKLOADS["uniform"](rules, 5_000, seed=7))))
    with tempfile.TemporaryDirectory() as folder:
        for name in args.workloads.split(","):
            load = os.getloadavg()[0]
            _print(f"{name} workload, {args.lines:,} lines (load average {load:.1f} at its start)",
                   workload_rows(name, rules, args.lines, Path(folder)))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


def _print(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{title}:")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    sys.stdout.flush()


def _profile() -> int:
    """cProfile of warm work on the importer workload: 100,000 lines through resolve_many, then the same
    lines as a table through resolve_table (after a first pass of each, so the memo and plans are warm)."""
    import cProfile
    import pstats

    import pyarrow as pa

    rules = tariffrules.builtin("us")
    batch = list(WORKLOADS["importer"](rules, 100_000))
    table = pa.Table.from_pylist([{"hts": hts, "origin": origin, "when": when.isoformat(),
                                   "value": str(facts.get("value", "")), "usmca": "true" if facts.get("usmca") else "",
                                   "content": ";".join(f"{k}={v}" for k, v in facts.get("content", {}).items())}
                                  for hts, origin, when, facts in batch])
    for name, run in (("resolve_many", lambda: sum(1 for _ in rules.resolve_many(batch))),
                      ("resolve_table", lambda: rules.resolve_table(table))):
        run()  # warm the caches, the memo and the group plans
        profiler = cProfile.Profile()
        profiler.enable()
        run()
        profiler.disable()
        print(f"{name}, 100,000 warm importer lines, load average {os.getloadavg()[0]:.1f}:")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""resolve_table alone, in CPU seconds of this process (steadier than wall time on a shared machine).

Run from a checkout's root (its code is the one timed)::

    python benchmarks/table_cpu.py 200000            # the importer workload, 200,000 lines
    python benchmarks/table_cpu.py 200000 uniform

Writes the workload once as a CSV under the temporary folder, reads it with
pyarrow as text, then times ``resolve_table`` on a freshly loaded rule set
(cold: the first batch) and twice again (warm), printing lines per second of
wall time and of this process's CPU time, and the load average.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import pyarrow as pa  # noqa: E402
import pyarrow.csv as pcsv  # noqa: E402

import tariffrules  # noqa: E402
from workload import WORKLOADS, write_csv  # noqa: E402


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 200_000
    name = argv[1] if len(argv) > 1 else "importer"
    source = Path(tempfile.gettempdir()) / f"tariffrules-{name}-{count}.csv"
    rules = tariffrules.builtin("us")
    if not source.exists():
        write_csv(source, iter(WORKLOADS[name](rules, count)))
    columns = source.open().readline().strip().split(",")
    table = pcsv.read_csv(source, convert_options=pcsv.ConvertOptions(
        column_types={c: pa.string() for c in columns}, strings_can_be_null=False))
    figures = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        rules.resolve_table(table)
        figures.append((time.perf_counter() - wall, time.process_time() - cpu))
    (cold, cold_cpu), (_, _), (warm, warm_cpu) = figures
    print(f"{name} {count:,} lines: cold {count / cold:,.0f} lines/s wall, {count / cold_cpu:,.0f} CPU; "
          f"warm {count / warm:,.0f} lines/s wall, {count / warm_cpu:,.0f} CPU; load average "
          f"{os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Scale-out: rate a CSV of entry lines on Dask's local scheduler and check it line for line.

Writes a CSV of entry lines, resolves it in one process row by row with
``tariffrules.tabular.resolve_rows`` and as one partition with
``tariffrules.scaleout.resolve_partition`` (``RuleSet.resolve_table``), then
with Dask (processes scheduler, partitions of the file, ``resolve_table``
on each) for 1 and 2 workers, checks that every output row is identical,
and prints lines per second for each run.

Needs the ``dask`` extra: ``pip install 'tariffrules[dask]'``.
Run: ``python examples/dask_scaleout.py [LINES]``
"""

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

try:
    import dask
    import pandas as pd
except ImportError:  # the dask extra is optional: say how to get it, as the plot example does
    print("dask is not installed; install the dask extra: pip install 'tariffrules[dask]'")
    sys.exit(0)

import tariffrules
from tariffrules.scaleout import resolve_csv, resolve_partition
from tariffrules.tabular import resolve_rows

ORIGINS = ["MX", "CN", "CA", "DE", "JP", "VN", "KR", "TW", "IN", "GB", "FR", "BR", "CH", "IT"]


def write_lines(rules, path: Path, count: int) -> None:
    rng = random.Random(1)
    codes = sorted(code for code in rules.mfn if len(code) == 8)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["hts", "origin", "when", "value", "usmca"])
        for _ in range(count):
            origin = rng.choice(ORIGINS)
            day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            usmca = "true" if origin in ("CA", "MX") and rng.random() < 0.5 else ""
            writer.writerow([rng.choice(codes), origin, day, f"{rng.randint(100, 90000)}.00", usmca])


def _records(frame) -> list[dict[str, str]]:
    return _records_of(frame.to_dict(orient="records"))


def _records_of(rows) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in rows]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    rules = tariffrules.builtin("us")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entries.csv"
        write_lines(rules, path, count)
        with path.open(newline="") as handle:
            start = time.perf_counter()
            single = list(resolve_rows(rules, csv.DictReader(handle)))
            rate = count / (time.perf_counter() - start)
        print(f"one process, row by row (resolve_rows): {count:,} lines, {rate:,.0f} lines/s")
        start = time.perf_counter()
        frame = resolve_partition(pd.read_csv(path, dtype=str, keep_default_na=False), rules)
        rate = count / (time.perf_counter() - start)
        same = _records(frame) == _records_of(single)
        print(f"one process, one partition (resolve_table): {rate:,.0f} lines/s, identical to row by row: {same}")
        if not same:
            raise SystemExit("resolve_table answers differ from the row-by-row answers")
        for workers in (1, 2):
            with dask.config.set(scheduler="processes", num_workers=workers):
                start = time.perf_counter()
                frame = resolve_csv(str(path), rules, blocksize=max(1, path.stat().st_size // 4)).compute()
                rate = count / (time.perf_counter() - start)
            same = _records(frame) == _records_of(single)
            print(f"dask, {workers} worker(s): {len(frame):,} lines, {rate:,.0f} lines/s, "
                  f"identical to one process: {same}")
            if not same:
                raise SystemExit("Dask answers differ from the single-process answers")
        errors = sum(1 for row in single if row["error"])
        print(f"lines with an error in place (none dropped): {errors:,}")


if __name__ == "__main__":
    main()

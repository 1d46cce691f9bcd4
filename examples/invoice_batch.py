"""Rate a batch of invoice lines with ``RuleSet.resolve_many``: duty per line, totals per entry, errors in place.

``examples/data/invoice.csv`` holds the lines of three customs entries (a
container from Japan, a German shipment, a Canadian one with and without a
USMCA claim). Each row is read with the same CSV rules the command line
uses (``tariffrules.tabular.line_from_row``: ``content`` as ``steel=4800``,
declared facts such as ``usmca`` as true/false; other columns are ignored)
and the whole batch goes through ``resolve_many`` in one pass.

``resolve_many`` yields one answer per line, in input order. The last line
has a mistyped code: it yields its error in its place, so the invoice keeps
its shape and the other lines are still rated. Money is ``Decimal``
throughout; each entry's total is the sum of its lines' duties.

Run: ``python examples/invoice_batch.py [path/to/invoice.csv]``
"""

import csv
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import tariffrules
from tariffrules.tabular import line_from_row

DEFAULT_INVOICE = Path(__file__).resolve().parent / "data" / "invoice.csv"


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_INVOICE
    us = tariffrules.builtin("us")
    declared = {fact.name: fact.type for fact in us.info.facts}
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    lines = [line_from_row(row, declared) for row in rows]

    totals: dict[str, Decimal] = defaultdict(Decimal)
    values: dict[str, Decimal] = defaultdict(Decimal)
    failed: dict[str, int] = defaultdict(int)
    print(f"{'entry':7} {'ln':>2}  {'description':32} {'code':14} {'from':4} {'value':>8} "
          f"{'rate':>6} {'duty':>10}  headings")
    for row, answer in zip(rows, us.resolve_many(lines)):
        entry = row["entry"]
        head = (f"{entry:7} {row['line']:>2}  {row['description']:32} {row['hts']:14} {row['origin']:4} "
                f"{row['value']:>8}")
        if isinstance(answer, tariffrules.TariffRulesError):
            failed[entry] += 1
            print(f"{head}  ERROR {type(answer).__name__}: {answer}")
            continue
        duty = answer.duty()
        totals[entry] += duty
        values[entry] += answer.query.value
        print(f"{head} {str(answer.rate) + '%':>6} {duty:>10}  {' '.join(answer.headings) or '-'}")

    print("\nTotals per entry:")
    for entry in sorted({row["entry"] for row in rows}):
        note = f"  ({failed[entry]} line(s) not rated: fix and re-run them)" if failed[entry] else ""
        print(f"  {entry}: value {values[entry]:>8}, additional duty {totals[entry]:>10}{note}")
    print(f"  all entries: additional duty {sum(totals.values(), Decimal(0))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

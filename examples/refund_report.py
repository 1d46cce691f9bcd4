"""Refund report: an importer's entry summary lines, the IEEPA duty held not owed, and the route of each entry.

The IEEPA duties were held unlawful on Feb. 20, 2026 and CBP refunds them
through CAPE declarations (CSMS #68340863). ``RuleSet.refunds`` reads the
lines a broker exports (``examples/data/entries_ieepa.csv``), compares what
was declared with what is owed now, and says for each entry whether it goes
on a CAPE declaration or which route remains; the declaration file itself
(entry numbers only) is written beside. Section 232 and 301 duties stay owed.
Rows with a ``note`` show what the report does with a bad or incomplete row.

Run: ``python examples/refund_report.py``
"""

import csv
import tempfile
from decimal import Decimal
from pathlib import Path

import tariffrules
from tariffrules.refunds import process_for, write_declarations

ENTRIES = Path(__file__).parent / "data" / "entries_ieepa.csv"


def main() -> None:
    us = tariffrules.builtin("us")
    with ENTRIES.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    report = us.refunds(rows, on="2026-05-01")
    held = other = Decimal(0)
    for line in report:
        head = f"{line.entry_number} line {line.line_number}: "
        if line.error:
            print(head + f"not rated: {line.error}")
        else:
            print(head + f"declared {line.declared_total}, owed now {line.owed_total}, "
                  f"held not owed {line.held_not_owed}, other difference {line.other_difference:+}")
            held += line.held_not_owed
            other += line.other_difference
            for heading, amount in line.revived:
                print(f"    not counted: {heading} {amount}, a duty the IEEPA duty replaced at entry (EO 14289); "
                      "no source says it is owed now")
        d = line.decision
        status = {True: "on the CAPE declaration", False: "not on CAPE", None: "undecided"}[d.accepted]
        print(f"    {status}: {d.route_title}" + (f" ({'; '.join(d.reasons)})" if d.reasons else "")
              + (f" - needs {', '.join(d.needs)}" if d.needs else ""))
        for advice in d.advice:  # e.g. a non-IEEPA difference to correct before the CAPE declaration
            print(f"    also: {advice}")
    with tempfile.TemporaryDirectory() as folder:
        for path in write_declarations(report, folder, process_for(us)):
            numbers = path.read_text().split()[2:]  # after the two-word header
            print(f"\n{path.name}: {len(numbers)} entries: {', '.join(numbers)}")
    print(f"\nDuty held not owed over these lines: {held}; other differences (not refunded by CAPE): {other:+}")
    print(f"Interest: {report[0].interest}")


if __name__ == "__main__":
    main()

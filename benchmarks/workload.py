"""A realistic batch of entry lines for benchmarks and the scale-out example.

Codes are drawn from the real tariff schedule (the 10-digit lines of HTS 2026
Revision 10 in ../shared/data when present, else the 8-digit lines of the
rule set's own general-rate table); origins from about 60 countries weighted
like US goods imports; entry dates spread over the rule set's horizon; some
lines carry a customs value, a USMCA claim or steel content.

Origin weights: approximate shares of US goods imports by partner in 2024
(US Census Bureau, "Top Trading Partners - December 2024", total imports),
rounded; the long tail shares the rest. They shape the benchmark only.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import random
from decimal import Decimal
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
SHARED_LINES = ROOT.parent / "shared" / "data" / "hts" / "hts_2026_rev_10_lines.csv.gz"

ORIGIN_WEIGHTS = {
    "MX": 15.5, "CN": 13.4, "CA": 12.6, "DE": 4.9, "JP": 4.5, "VN": 4.2, "KR": 4.0, "TW": 3.6, "IE": 2.5,
    "IN": 2.7, "IT": 2.3, "CH": 1.9, "GB": 2.0, "TH": 1.9, "MY": 1.6, "FR": 1.6, "SG": 1.3, "BR": 1.3,
    "IL": 0.7, "ID": 0.9, "NL": 0.8, "ES": 0.8, "AT": 0.5, "BE": 0.6, "AU": 0.5, "SE": 0.4, "PH": 0.5,
    "CO": 0.6, "CL": 0.6, "DK": 0.4, "KH": 0.4, "BD": 0.3, "PL": 0.3, "TR": 0.5, "ZA": 0.4, "SA": 0.4,
    "AE": 0.2, "NO": 0.2, "FI": 0.2, "PE": 0.3, "EC": 0.3, "CR": 0.3, "GT": 0.2, "HN": 0.2, "DO": 0.2,
    "NZ": 0.2, "AR": 0.2, "PK": 0.2, "LK": 0.1, "HU": 0.2, "CZ": 0.2, "PT": 0.2, "NG": 0.1, "SV": 0.1,
    "NI": 0.1, "RU": 0.1, "UA": 0.1, "EG": 0.1, "MA": 0.1, "JO": 0.1,
}


def schedule_codes(rules) -> list[str]:
    """Codes from the real schedule: 10-digit lines of chapters 1-97."""
    codes: list[str] = []
    if SHARED_LINES.is_file():
        with gzip.open(SHARED_LINES, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                digits = row["htsno"].replace(".", "")
                if len(digits) == 10 and digits[:2] != "99":
                    codes.append(digits)
    if not codes:
        codes = [code for code in rules.mfn if len(code) == 8]
    return codes


def lines(rules, count: int, seed: int = 2025) -> Iterator[tuple]:
    """``count`` lines ``(hts, origin, when, facts)``, reproducible from ``seed``."""
    rng = random.Random(seed)
    codes = schedule_codes(rules)
    origins = list(ORIGIN_WEIGHTS)
    weights = list(ORIGIN_WEIGHTS.values())
    first = rules.info.horizon_start.date()
    days = (rules.info.reviewed - first).days + 1
    dates = [first + dt.timedelta(days=n) for n in range(days)]
    for _ in range(count):
        code = rng.choice(codes)
        origin = rng.choices(origins, weights)[0]
        facts: dict = {}
        roll = rng.random()
        if roll < 0.5:
            facts["value"] = Decimal(rng.randrange(100, 500_000)) / 100
        if origin in ("CA", "MX") and rng.random() < 0.5:
            facts["usmca"] = True
        if code[:2] in ("72", "73", "76", "84", "85", "87", "94") and "value" in facts and roll < 0.2:
            facts["content"] = {"steel": (facts["value"] * Decimal("0.3")).quantize(Decimal("0.01"))}
        yield (code, origin, rng.choice(dates), facts)

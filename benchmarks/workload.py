"""Batches of entry lines for benchmarks and the scale-out example: three workloads a user recognises.

* ``importer``: one importer's history: a catalogue of a few thousand codes
  (some sold far more than others), a few origins, entries on working days
  over the rule set's horizon, a customs value on every line, USMCA claims on
  most Mexican lines, and the metal content declared on every line of a good
  that a levy on metal content names (steel and aluminum derivatives);
* ``broker``: a customs broker's book: many importers, each with its own
  catalogue and origins, the same shape of lines;
* ``uniform``: the worst case for reuse: codes drawn uniformly from the whole
  schedule, about 60 origins, any day (the workload of earlier versions).

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
import itertools
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
    """The uniform workload (see :func:`uniform`)."""
    return uniform(rules, count, seed)


def working_days(rules) -> list[dt.date]:
    """Monday to Friday over the rule set's horizon (first day to its review day)."""
    first = rules.info.horizon_start.date()
    days = (rules.info.reviewed - first).days + 1
    return [d for d in (first + dt.timedelta(days=n) for n in range(days)) if d.weekday() < 5]


def _metal_shares(rules, rng, codes: list[str], known: dict | None = None) -> dict[str, dict[str, Decimal]]:
    """The metal content shares an importer declares: for each code a levy on metal content names (a steel or
    aluminum derivative), a share of the value for each such metal, fixed per product. ``known`` caches the
    metals of each code between importers."""
    versions = [v for levy in rules.levies for v in levy.versions if v.base.content]
    known = {} if known is None else known
    shares = {}
    for code in codes:
        kinds = known.get(code)
        if kinds is None:
            kinds = known[code] = sorted({v.base.content for v in versions if v.goods.covers(code)})
        if kinds:
            shares[code] = {k: Decimal(rng.randrange(10, 90 // len(kinds))) / 100 for k in kinds}
    return shares


def _history(rng, codes: list[str], origins: dict[str, float], days: list[dt.date], count: int,
             metals: dict[str, dict[str, Decimal]]) -> Iterator[tuple]:
    """Lines of one importer: popular codes (Zipf-like weights), its origins, entries in date order, the metal
    content of derivatives declared."""
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(codes))))
    names = list(origins)
    shares = list(itertools.accumulate(origins.values()))
    base, extra = divmod(count, len(days))
    cent = Decimal("0.01")
    for n, day in enumerate(days):
        for _ in range(base + (n < extra)):
            code = rng.choices(codes, cum_weights=cumulative)[0]
            origin = rng.choices(names, cum_weights=shares)[0]
            value = Decimal(rng.randrange(5_000, 5_000_000)) / 100
            facts: dict = {"value": value}
            if origin in ("CA", "MX") and rng.random() < 0.8:
                facts["usmca"] = True
            if code in metals:
                facts["content"] = {k: (value * share).quantize(cent) for k, share in metals[code].items()}
            yield (code, origin, day, facts)


def importer(rules, count: int, seed: int = 2025) -> Iterator[tuple]:
    """One importer: 3,000 codes, four origins, every working day (``count`` lines in date order)."""
    rng = random.Random(seed)
    codes = rng.sample(schedule_codes(rules), 3_000)
    origins = {"CN": 40, "VN": 25, "MX": 20, "DE": 15}
    yield from _history(rng, codes, origins, working_days(rules), count, _metal_shares(rules, rng, codes))


def broker(rules, count: int, seed: int = 2025, importers: int = 200) -> Iterator[tuple]:
    """A broker's book: ``importers`` importers of 300 codes and 1 to 3 origins each, their lines interleaved
    day by day."""
    rng = random.Random(seed)
    schedule = schedule_codes(rules)
    countries, weights = list(ORIGIN_WEIGHTS), list(ORIGIN_WEIGHTS.values())
    days = working_days(rules)
    books = []
    known: dict = {}
    for _ in range(importers):
        origins = {c: rng.random() for c in rng.choices(countries, weights, k=rng.randint(1, 3))}
        share = count // importers + (len(books) < count % importers)
        codes = rng.sample(schedule, 300)
        books.append(_history(rng, codes, origins, days, share, _metal_shares(rules, rng, codes, known)))
    while books:
        for book in list(books):  # a day of each importer in turn
            day = None
            for line in book:
                yield line
                if day is None:
                    day = line[2]
                elif line[2] != day:
                    break
            else:
                books.remove(book)


WORKLOADS = {"importer": importer, "broker": broker, "uniform": lambda rules, count, seed=2025: uniform(rules, count, seed)}


def uniform(rules, count: int, seed: int = 2025) -> Iterator[tuple]:
    """``count`` lines ``(hts, origin, when, facts)``, reproducible from ``seed``: codes uniform over the
    schedule, origins weighted like US imports, any day of the horizon."""
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


COLUMNS = ("hts", "origin", "when", "value", "usmca", "content")


def write_csv(path: Path, batch: Iterator[tuple]) -> int:
    """Write lines as the CSV ``tariffrules batch`` reads; return the count."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for hts, origin, when, facts in batch:
            content = ";".join(f"{k}={v}" for k, v in facts.get("content", {}).items())
            writer.writerow((hts, origin, when.isoformat(), facts.get("value", ""),
                             "true" if facts.get("usmca") else "", content))
            count += 1
    return count

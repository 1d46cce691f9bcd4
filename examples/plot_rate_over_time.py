"""Chart one good's total additional US duty over 2025-2026, one line per origin, from ``RuleSet.timeline``.

``RuleSet.timeline(hts, origin, start, end)`` returns the stretches of entry
time over which the good's answer is constant, each with its resolution, so
the chart is exact: every step is a change in the rules, at the instant it
took effect, and nothing is sampled. This draws a camera (HTS 8525.89.30)
from Japan, China, Viet Nam, Germany and Canada from January 1, 2025 to the
rule set's review date, writes a PNG and prints its path.

Needs the ``plot`` extra (``pip install 'tariffrules[plot]'``); without
matplotlib it says so and exits normally.

Run: ``python examples/plot_rate_over_time.py [out.png]``
"""

import sys
import tempfile
from pathlib import Path

import tariffrules

CODE = "8525.89.30"
ORIGINS = ["JP", "CN", "VN", "DE", "CA"]
# origins often pay the same rate at the same time (JP and DE from August 2025): dashes keep both visible
STYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1))]
START = "2025-01-01"


def steps(rules: tariffrules.RuleSet, origin: str) -> tuple[list, list]:
    """Instants and rates of a step chart: each span's rate from its start; the last rate held to the end."""
    spans = rules.timeline(CODE, origin, START, rules.info.reviewed)
    times = [span.start for span in spans] + [spans[-1].end]
    rates = [float(span.resolution.rate) for span in spans]  # floats only for drawing; the data stays Decimal
    return times, rates + rates[-1:]


def main(argv: list[str]) -> int:
    try:
        import matplotlib
    except ImportError:
        print("matplotlib is not installed; install the plot extra: pip install 'tariffrules[plot]'")
        return 0
    matplotlib.use("Agg")  # draw to a file, never open a window
    import matplotlib.pyplot as plt

    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.gettempdir()) / "tariffrules_camera_rates.png"
    us = tariffrules.builtin("us")
    figure, axes = plt.subplots(figsize=(11, 5), layout="constrained")
    for origin, style in zip(ORIGINS, STYLES):
        times, rates = steps(us, origin)
        axes.step(times, rates, where="post", label=origin, linewidth=1.8, linestyle=style)
        print(f"{origin}: {len(times) - 1} spans, highest rate {max(rates):g}%")
    axes.set_title(f"Additional US duty on a camera ({CODE}) by origin, by entry date")
    axes.set_ylabel("percent of customs value")
    axes.set_xlabel(f"entry date ({us.info.zone_name})")
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    axes.legend(title="origin")
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=110)
    plt.close(figure)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

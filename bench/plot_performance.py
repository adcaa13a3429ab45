#!/usr/bin/env python3
"""Draws docs/performance.png from the CSV that bench_coroutines writes.

    python3 bench/plot_performance.py perf.csv docs/performance.png

One group of bars per workload, one bar per variant: kernel time relative
to the hand-written state machine, on a log scale (1 = as fast as
hand-written). Needs matplotlib (Debian: python3-matplotlib).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(csv_path, png_path):
    rows = list(csv.DictReader(open(csv_path)))
    workloads = list(dict.fromkeys(r["workload"] for r in rows))
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    ratio = {(r["workload"], r["variant"]): float(r["ratio"]) for r in rows}
    width = 0.8 / len(variants)
    fig, ax = plt.subplots(figsize=(11, 4.8))
    for i, variant in enumerate(variants):
        xs = [w + (i - (len(variants) - 1) / 2) * width
              for w in range(len(workloads))]
        ys = [ratio[(workload, variant)] for workload in workloads]
        ax.bar(xs, ys, width, label=variant)
    ax.set_yscale("log")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(workloads)))
    ax.set_xticklabels([w.replace(" (", "\n(") for w in workloads], fontsize=8)
    ax.set_ylabel("kernel time / hand-written (log)")
    ax.set_title("Coroutines on an H200: time relative to a hand-written "
                 "state machine")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

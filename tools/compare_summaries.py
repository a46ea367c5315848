#!/usr/bin/env python3
"""Prints how far run B lands from run A: mode shares (percentage points) and CO2 (per cent),
whole city and the study area. Used to state how close a warm-started what-if is to the
cold-start converged run of the same scenario (docs/viewer.md).
Usage: tools/compare_summaries.py RUN_A RUN_B   (folders holding summary.json)"""
import json
import sys
from pathlib import Path


def load(run):
    with open(Path(run) / "summary.json", encoding="utf-8") as f:
        return json.load(f)


def co2_t(s):
    c = s["co2_kg"]
    return (c["total"] if isinstance(c, dict) else c) / 1000


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = load(sys.argv[1]), load(sys.argv[2])
    for label, sa, sb in (("city", a, b), ("study area", a["study_area"], b["study_area"])):
        ca, cb = co2_t(sa), co2_t(sb)
        print(f"{label}: CO2 {ca:,.1f} -> {cb:,.1f} t/day ({100 * (cb - ca) / ca:+.2f} %)")
        worst = max(sa["mode_share"], key=lambda m: abs(sb["mode_share"].get(m, 0) - sa["mode_share"][m]))
        shares = ", ".join(f"{m} {100 * sa['mode_share'][m]:.1f}->{100 * sb['mode_share'].get(m, 0):.1f}"
                           for m in sa["mode_share"] if sa["mode_share"][m] > 0.001)
        d = 100 * (sb["mode_share"].get(worst, 0) - sa["mode_share"][worst])
        print(f"  shares % {shares}; largest gap {worst} {d:+.2f} pp")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Prints the distributions behind the generic signal rule of scenarios/data/road_traffic.json
from ETRI's 115 real plans (docs/validation.md, "Signal rule from the real plans").

Usage: tools/etri_signal_stats.py [--etri ../shared/data/daejeon/etri/doan2022]
                                  [--matched networks/daejeon/signals_etri.csv]

- cycle at five times of day over all plans (each plan's TODPlan: the default schedule from
  00:00, then each <plan> from its startTime);
- the same by the leading road class of the matched network node (signals_etri.csv);
- green stages per schedule (runs of phases with a G light and no yellow, as the importer counts);
- main-road g/C: per matched junction the largest through-approach green / cycle.
"""
import argparse
import collections
import csv
import pathlib
import statistics
import xml.etree.ElementTree as ET

TIMES = [("night 03:00", 3 * 3600), ("am 08:00", 8 * 3600), ("midday 12:00", 12 * 3600),
         ("pm 18:00", 18 * 3600), ("evening 22:00", 22 * 3600)]
CLASS_ORDER = ["motorway", "trunk", "primary", "secondary", "tertiary", "residential", "service"]


def schedule_at(signal, t):
    schedules = {s.get("id"): s for s in signal.findall("schedule")}
    tod = signal.find("TODPlan")
    current = tod.get("defaultPlan")
    for p in tod.findall("plan"):
        if float(p.get("startTime")) <= t:
            current = p.get("schedule")
    return schedules[current]


def cycle(schedule):
    return sum(float(p.get("duration")) for p in schedule.findall("phase"))


def stages(schedule):
    states = [p.get("state") for p in schedule.findall("phase")]
    flags = ["G" in s and "y" not in s and "Y" not in s for s in states]
    n = sum(1 for i, f in enumerate(flags) if f and (i == 0 or not flags[i - 1]))
    if len(flags) > 1 and flags[0] and flags[-1]:
        n -= 1  # a stage running over the end of the cycle into its start
    return max(n, 1)


def counts(values):
    c = collections.Counter(values)
    return ", ".join(f"{v:g} s at {n}" for v, n in sorted(c.items(), key=lambda x: (-x[1], -x[0])))


def main():
    ap = argparse.ArgumentParser()
    root = pathlib.Path(__file__).resolve().parent.parent
    ap.add_argument("--etri", default=root.parent / "shared/data/daejeon/etri/doan2022")
    ap.add_argument("--matched", default=root / "networks/daejeon/signals_etri.csv")
    a = ap.parse_args()
    signals = ET.parse(pathlib.Path(a.etri) / "tss.xml").getroot().findall("trafficSignal")
    print(f"{len(signals)} plans")
    starts = collections.Counter(p.get("startTime") for s in signals for p in s.iter("plan"))
    print("switch times: " + ", ".join(
        f"{int(t) // 3600:02d}:{int(t) % 3600 // 60:02d} at {n}"
        for t, n in sorted(starts.items(), key=lambda x: int(x[0]))))
    print("\ncycle by time of day (all plans):")
    for name, t in TIMES:
        cs = [cycle(schedule_at(s, t)) for s in signals]
        print(f"  {name:14s} median {statistics.median(cs):g} s; {counts(cs)}")
    print("\ngreen stages per schedule (all plans):")
    for name, t in TIMES:
        print(f"  {name:14s} {counts(stages(schedule_at(s, t)) for s in signals).replace(' s', '')}")

    with open(a.matched, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))
                if r["link"]]
    by_node = collections.defaultdict(list)
    for r in rows:
        by_node[r["source_node"]].append(r)
    lead = {n: min((r["link_class"] for r in rs), key=CLASS_ORDER.index)
            for n, rs in by_node.items()}
    by_id = {s.get("nodeID"): s for s in signals}
    print(f"\ncycle by the leading road class of the matched node ({len(by_node)} junctions):")
    for cls in sorted(set(lead.values()), key=CLASS_ORDER.index):
        nodes = [n for n in by_node if lead[n] == cls]
        print(f"  {cls} ({len(nodes)} junctions)")
        for name, t in TIMES:
            cs = [cycle(schedule_at(by_id[n], t)) for n in nodes]
            print(f"    {name:14s} median {statistics.median(cs):g} s; {counts(cs)}")
    print("\ngreen stages per AM schedule of the matched junctions: " + counts(
        stages(schedule_at(by_id[n], 8 * 3600)) for n in by_node).replace(" s", ""))
    shorter = [n for n in by_id if cycle(schedule_at(by_id[n], 3 * 3600)) <
               cycle(schedule_at(by_id[n], 8 * 3600))]
    print(f"plans with a shorter cycle at 03:00 than at 08:00: {len(shorter)} of {len(by_id)}")
    print("\nmain-road g/C (per matched junction: the largest through green / cycle):")
    for name, t in TIMES:
        gcs = []
        for n, rs in by_node.items():
            cur = {}
            for r in rs:
                if r["movement"] == "through" and float(r["start_s"]) <= t:
                    cur[r["link"]] = float(r["green_s"]) / float(r["cycle_s"])
            if cur:
                gcs.append(max(cur.values()))
        q = statistics.quantiles(gcs, n=4)
        print(f"  {name:14s} median {statistics.median(gcs):.2f} (quartiles {q[0]:.2f}-{q[2]:.2f}, "
              f"{len(gcs)} junctions)")


if __name__ == "__main__":
    main()

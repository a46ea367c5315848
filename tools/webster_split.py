#!/usr/bin/env python3
"""Webster's green split from a run's own volumes, as a matched-plans file (the format of
networks/daejeon/signals_etri.csv) that a road-traffic rules file can name in
"signals.real_plans". An experiment of docs/volumes.md ("Seed study, and two split rules without
data"): it was tried against the fitted capacity split and not kept.

For every junction timed by the rule (two axes in signals.csv), each axis' green follows its
critical flow ratio y = max over its approaches of (design volume / (lanes x saturation flow));
the design volume is the mean of the two busiest hours 07-22 h for the day plan and the busiest
hour 23-07 h for the night plan. Cycles, offsets, lost times, the left-turn share and the
minimum greens stay those of the rules file. --damping D moves each split only the share D of
the way from the run's split to Webster's.

Usage: tools/webster_split.py RUN_DIR RULES_JSON OUT_CSV [--damping D]
"""
import argparse
import collections
import csv
import json
import sys

SAT_PCPHGPL = 2200.0  # networks/daejeon/road_rules.csv: every rule's saturation flow (KHCM)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run")
    ap.add_argument("rules")
    ap.add_argument("out")
    ap.add_argument("--damping", type=float, default=1.0)
    a = ap.parse_args()
    sig_rules = json.load(open(a.rules))["signals"]
    left = sig_rules["left_phase_share"]["value"]
    min_g = sig_rules["min_green_s"]["value"]
    lost = sig_rules["lost_time_per_phase_s"]["value"] * sig_rules["phases_per_axis"]["value"] * 2

    lanes, ext, cls = {}, {}, {}
    for r in csv.DictReader(open(f"{a.run}/links.csv")):
        lanes[r["link_id"]] = float(r["lanes"])
        ext[r["link_id"]] = r["external_id"]
        cls[r["link_id"]] = r["road_class"]
    vol = collections.defaultdict(dict)
    for r in csv.DictReader(open(f"{a.run}/link_hourly.csv")):
        if int(r["hour"]) < 24:
            vol[r["link_id"]][int(r["hour"])] = float(r["vehicles"])

    def design(link, hours, top):
        v = sorted((vol[link].get(h, 0.0) for h in hours), reverse=True)[:top]
        return sum(v) / len(v)

    def retime(appr, cols, hours, top):
        cyc_col, beg_col, g_col = cols
        c = float(appr[0][cyc_col])
        begins = sorted({float(x[beg_col]) for x in appr})
        if len(begins) != 2:
            return None
        grp = {b: [x for x in appr if float(x[beg_col]) == b] for b in begins}
        t = {b: float(grp[b][0][g_col]) / (1 - left) for b in begins}  # axis times
        order = None
        for b0 in begins:  # axis 0 starts at the offset; axis 1 after axis 0 and half the lost time
            b1 = begins[1] if b0 == begins[0] else begins[0]
            if abs(((b1 - b0) % c) - (t[b0] + lost / 2)) < 0.15:
                order = (b0, b1)
        if order is None:
            return None
        y = {b: max(design(x["link"], hours, top) / (lanes[x["link"]] * SAT_PCPHGPL) for x in grp[b])
             for b in begins}
        if y[order[0]] + y[order[1]] <= 0:
            return None
        old0 = t[order[0]] / (t[order[0]] + t[order[1]])
        share0 = old0 + a.damping * (y[order[0]] / (y[order[0]] + y[order[1]]) - old0)
        avail = max(2 * min_g, c - lost)
        at = [avail * share0, avail * (1 - share0)]
        need = min_g / (1 - left)
        for k in (0, 1):
            if at[k] < need:
                at[k] = min(need, avail / 2)
                at[1 - k] = avail - at[k]
        begin = {order[0]: order[0], order[1]: (order[0] + at[0] + lost / 2) % c}
        green = {order[0]: max(1.0, at[0] * (1 - left)), order[1]: max(1.0, at[1] * (1 - left))}
        return {x["link"]: (c, round(begin[float(x[beg_col])], 1) % c, green[float(x[beg_col])])
                for x in appr}

    by_node = collections.defaultdict(list)
    for r in csv.DictReader(open(f"{a.run}/signals.csv")):
        by_node[r["node"]].append(r)
    rows, done, skipped = [], 0, 0
    day_cols = ("cycle_s", "green_begin_s", "green_s")
    night_cols = ("night_cycle_s", "night_green_begin_s", "night_green_s")
    for node, appr in sorted(by_node.items(), key=lambda kv: int(kv[0])):
        if any(x["plan"] != "rule" for x in appr) or night_cols[0] not in appr[0]:
            skipped += 1
            continue
        day = retime(appr, day_cols, range(7, 23), 2)
        night = retime(appr, night_cols, list(range(0, 7)) + [23], 1)
        if day is None or night is None:
            skipped += 1
            continue
        done += 1
        for x in appr:
            for start, plan in ((0, night), (25200, day), (82800, night)):
                c, b, g = plan[x["link"]]
                rows.append([f"W{node}", "", node, "0", "0", "0", ext[x["link"]], cls[x["link"]], "",
                             "0", "through", str(start), "1", f"{c:.1f}", f"{b:.1f}", f"{g:.1f}",
                             "0.0", "0.0", "2", ""])
    with open(a.out, "w", newline="") as f:
        f.write(f"# Webster split from the volumes of {a.run} (tools/webster_split.py, damping "
                f"{a.damping}); an experiment, see docs/volumes.md\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["cross_no", "cross_name", "source_node", "node_lat", "node_lon", "match_m",
                    "link", "link_class", "source_edge", "heading_diff_deg", "movement", "start_s",
                    "schedule", "cycle_s", "green_begin_s", "green_s", "green2_begin_s",
                    "green2_s", "stages", "note"])
        w.writerows(rows)
    print(f"retimed {done} junctions, left {skipped} as they were", file=sys.stderr)


if __name__ == "__main__":
    main()

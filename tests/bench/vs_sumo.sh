#!/usr/bin/env bash
# Side-by-side benchmark: SUMO meso vs modeshift on the same SUMO network and fixed routes.
#
# Usage: tests/bench/vs_sumo.sh [--rounds N] [--case DIR] [--congested] [--junction-control] [--threads T] [--build DIR]
#   --case DIR   directory with grid.net.xml.gz and routes.rou.xml.gz
#                (default: ../shared/bench/sumo_grid/g30_t100000_w7200 beside the repository)
#   --rounds N   A B A B ... rounds (default 3); figures are medians over the rounds
#   --congested  double the demand in the same window: every vehicle gets a copy departing half a
#                departure period later (same route); both tools run that doubled route file
#   --junction-control  both tools obey the net's traffic lights: SUMO meso with
#                --meso-junction-control, modeshift with the same fixed-time programs
#                (`import sumo --junction-control`: cycle, green window per approach)
#   --build DIR  modeshift build directory (default build/release; built if the CLI is missing)
# Each run is timed with /usr/bin/time -v (wall incl. loading, peak RSS). SUMO runs as in
# ../shared/bench/sumo_baseline.sh: --mesosim, no outputs except --statistic-output (a few lines,
# needed for its mean travel time / arrived count) and --duration-log.statistics.
# delay_s = mean travel time minus free-flow time of the route (SUMO: its timeLoss statistic).
# SUMO's link traversals = route edges of arrived vehicles (routes are fixed, so this is exact when
# every vehicle arrives). modeshift counts traversals from its own event stream.
# The LAST line is the throughput ratio (link traversals per wall second, modeshift / SUMO meso).
set -euo pipefail
export SUMO_HOME="${SUMO_HOME:-/usr/share/sumo}"  # SUMO needs it for its XML schemas

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CASE="$REPO/../shared/bench/sumo_grid/g30_t100000_w7200"
ROUNDS=3; CONGESTED=0; JUNCTION=0; THREADS=0; BUILD="$REPO/build/release"; SEED=42
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --case) CASE="$2"; shift 2 ;;
    --congested) CONGESTED=1; shift ;;
    --junction-control) JUNCTION=1; shift ;;
    --threads) THREADS="$2"; shift 2 ;;
    --build) BUILD="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 1 ;;
  esac
done

if ! command -v sumo >/dev/null; then
  if [[ $(id -u) == 0 ]]; then apt-get update -qq && apt-get install -y -qq sumo time >/dev/null
  else echo "sumo is missing: run 'sudo apt-get install sumo'" >&2; exit 1; fi
fi
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
MS="$BUILD/sim/cli/modeshift"
if [[ ! -x "$MS" ]]; then
  cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMODESHIFT_BUILD_VIEWER=OFF >/dev/null
  ninja -C "$BUILD" modeshift >/dev/null
fi

NET="$CASE/grid.net.xml.gz"; ROU="$CASE/routes.rou.xml.gz"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vs_sumo.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [[ $CONGESTED == 1 ]]; then
  # Copies depart half the smallest gap after their original, so departures stay sorted.
  python3 - "$ROU" "$WORK/routes.rou.xml" <<'PY'
import sys, gzip, xml.etree.ElementTree as ET
root = ET.parse(gzip.open(sys.argv[1])).getroot()
veh = [v for v in root if v.tag == 'vehicle']
deps = sorted(float(v.get('depart')) for v in veh)
gap = min((b - a for a, b in zip(deps, deps[1:]) if b > a), default=1.0)
out = ET.Element('routes')
for v in veh:
    out.append(v)
    c = ET.fromstring(ET.tostring(v)); c.set('id', v.get('id') + '_copy')
    c.set('depart', f"{float(v.get('depart')) + gap / 2:.3f}"); out.append(c)
ET.ElementTree(out).write(sys.argv[2])
PY
  ROU="$WORK/routes.rou.xml"
fi

# Static facts: vehicles and route edges of the route file.
read -r NVEH NTRAV < <(python3 - "$ROU" <<'PY'
import sys, gzip
op = gzip.open if sys.argv[1].endswith('.gz') else open
import xml.etree.ElementTree as ET
veh = trav = 0
for _, el in ET.iterparse(op(sys.argv[1], 'rb')):
    if el.tag == 'route' and el.get('edges'): trav += len(el.get('edges').split())
    elif el.tag == 'vehicle': veh += 1; el.clear()
print(veh, trav)
PY
)
SUMO_JC=(); MS_JC=()
if [[ $JUNCTION == 1 ]]; then SUMO_JC=(--meso-junction-control); MS_JC=(--junction-control); fi
echo "# case $(basename "$CASE")$([[ $CONGESTED == 1 ]] && echo ' (congested: demand doubled)')$([[ $JUNCTION == 1 ]] && echo ' (traffic lights: junction control)'): vehicles=$NVEH route_edges=$NTRAV rounds=$ROUNDS"
echo "# $(sumo --version 2>/dev/null | head -1); modeshift $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cpus; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

run_sumo() {  # round
  /usr/bin/time -v -o "$WORK/sumo.$1.time" \
    sumo --mesosim "${SUMO_JC[@]}" -n "$NET" -r "$ROU" --seed "$SEED" --no-step-log --duration-log.statistics \
      --statistic-output "$WORK/sumo.$1.stats.xml" > "$WORK/sumo.$1.log" 2>&1
}
run_ms() {  # round
  /usr/bin/time -v -o "$WORK/ms.$1.time" \
    "$MS" import sumo --net "$NET" --routes "$ROU" --out "$WORK/net.msnet" --simulate "${MS_JC[@]}" \
      --threads "$THREADS" --seed "$SEED" > "$WORK/ms.$1.log" 2>&1
}
for ((r = 1; r <= ROUNDS; r++)); do
  run_sumo "$r"; run_ms "$r"
  echo "# round $r done"
done

python3 - "$WORK" "$ROUNDS" "$NVEH" "$NTRAV" <<'PY'
import sys, re, statistics, xml.etree.ElementTree as ET
work, rounds, nveh, ntrav = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def timev(p):
    t = open(p).read()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(':')
    wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(m)))
    return wall, int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
rows = {'sumo_meso': [], 'modeshift': []}
for r in range(1, rounds + 1):
    wall, rss = timev(f"{work}/sumo.{r}.time")
    st = ET.parse(f"{work}/sumo.{r}.stats.xml").getroot()
    ts = st.find('vehicleTripStatistics'); arrived = int(ts.get('count'))
    rows['sumo_meso'].append(dict(wall=wall, rss=rss, veh=int(st.find('vehicles').get('inserted')),
        arrived=arrived, trav=ntrav * arrived / nveh, tt=float(ts.get('duration')), delay=float(ts.get('timeLoss')),
        extra=f"teleports={st.find('teleports').get('total')} depart_delay_s={ts.get('departDelay')}"))
    wall, rss = timev(f"{work}/ms.{r}.time")
    kv = dict(re.findall(r"(\w+)=(\S+)", [l for l in open(f"{work}/ms.{r}.log") if l.startswith('simulate:')][0]))
    rows['modeshift'].append(dict(wall=wall, rss=rss, veh=int(kv['vehicles']), arrived=int(kv['arrived']),
        trav=int(kv['link_traversals']), tt=float(kv['mean_travel_time_s']),
        delay=float(kv['mean_travel_time_s']) - float(kv['mean_freeflow_s']),
        extra=f"stuck={kv['stuck']} pushes={kv['gridlock_pushes']} sim_wall_s={kv['sim_wall_s']}"))
print(f"{'tool':10s} {'wall_s':>8s} {'peak_rss_MB':>11s} {'vehicles':>9s} {'arrived':>8s} {'link_trav':>10s} "
      f"{'mean_tt_s':>9s} {'delay_s':>7s} {'trav_per_s':>11s}  (medians over {rounds} rounds; walls: per round)")
med = {}
for tool, rs in rows.items():
    m = {k: statistics.median(r[k] for r in rs) for k in ('wall', 'rss', 'veh', 'arrived', 'trav', 'tt', 'delay')}
    m['tps'] = m['trav'] / m['wall']; med[tool] = m
    walls = ', '.join('%.2f' % r['wall'] for r in rs)
    print(f"{tool:10s} {m['wall']:8.2f} {m['rss']:11.0f} {m['veh']:9.0f} {m['arrived']:8.0f} {m['trav']:10.0f} "
          f"{m['tt']:9.1f} {m['delay']:7.1f} {m['tps']:11.0f}  walls=[{walls}] {rs[-1]['extra']}")
d = (med['modeshift']['tt'] / med['sumo_meso']['tt'] - 1) * 100
print(f"mean travel time modeshift vs SUMO meso: {d:+.1f} % (sanity band for the uncongested case: +-10 %)")
print(f"peak RSS modeshift / SUMO meso: {med['modeshift']['rss'] / med['sumo_meso']['rss']:.2f}")
print(f"throughput ratio (link traversals per wall second, modeshift / SUMO meso): "
      f"{med['modeshift']['tps'] / med['sumo_meso']['tps']:.1f}x")
PY

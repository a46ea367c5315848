#!/usr/bin/env python3
"""Pins the output of a tiny scenario (the bundled baseline at 0.5 %, two days): its summary.json
must equal tests/house/golden-summary.json field for field, except the fields that measure the
machine (wall times, thread count) or name local paths.

A change that is meant to move the results (a model change, a recalibration) updates the pin:
    python3 tests/house/check_golden.py build/release/sim/cli/modeshift --update
and says in its commit message why the figures moved. A change that is meant to be pure code
motion (a refactoring) must leave it alone: this test then proves it.

Usage: check_golden.py MODESHIFT_BINARY [--update]   exit 0 equal, 1 different, 2 cannot run
"""
import difflib
import json
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
SCENARIO = HERE / "golden-scenario.json"
PINNED = HERE / "golden-summary.json"
# Machine-dependent: how long it took, on how many threads, and where the files lay.
VOLATILE_TOP = {"wall_s", "threads"}
VOLATILE_HISTORY = {"wall_s", "simulate_s"}
VOLATILE_PROVENANCE = {"network_file", "scenario_file"}


def stable(summary: dict) -> dict:
    out = {k: v for k, v in summary.items() if k not in VOLATILE_TOP}
    out["history"] = [{k: v for k, v in h.items() if k not in VOLATILE_HISTORY}
                      for h in summary.get("history", [])]
    out["provenance"] = {k: v for k, v in summary.get("provenance", {}).items()
                         if k not in VOLATILE_PROVENANCE}
    return out


def text(summary: dict) -> str:
    return json.dumps(summary, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--update"):
        print(__doc__, file=sys.stderr)
        return 2
    binary, update = sys.argv[1], len(sys.argv) == 3
    with tempfile.TemporaryDirectory(prefix="modeshift-golden-") as tmp:
        out = pathlib.Path(tmp) / "run"
        run = subprocess.run([binary, "run", str(SCENARIO), "--out", str(out), "--threads", "2",
                              "--quiet"], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"check_golden: the run failed (exit {run.returncode}):\n{run.stderr}")
            return 2
        got = text(stable(json.loads((out / "summary.json").read_text(encoding="utf-8"))))
    if update:
        PINNED.write_text(got, encoding="utf-8")
        print(f"check_golden: pinned {PINNED}")
        return 0
    want = PINNED.read_text(encoding="utf-8")
    if got == want:
        print("check_golden: summary.json equals the pinned golden-summary.json")
        return 0
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                               "golden-summary.json (pinned)", "summary.json (now)"))
    print("\ncheck_golden: the results moved. If that is intended, update the pin (see the header "
          "of tests/house/check_golden.py) and say why in the commit message.")
    return 1


if __name__ == "__main__":
    sys.exit(main())

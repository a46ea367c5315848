#!/usr/bin/env bash
# README command 1: set up, build, and run the main job.
# (Until the Seo-gu scenario runner lands this runs the static assignment on Sioux Falls.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake --preset release -DMODESHIFT_BUILD_TESTS=OFF -DMODESHIFT_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release -j "${MODESHIFT_JOBS:-2}"
build/release/sim/cli/modeshift --help

#!/usr/bin/env bash
# Installs modeshift's build and test dependencies from Debian 12 packages.
# As root it runs apt-get; otherwise it prints exactly what to install.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-graph-dev libtbb-dev libcereal-dev libsfml-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev zlib1g-dev
  libosmium2-dev libprotozero-dev libbz2-dev libexpat1-dev libzip-dev libpugixml-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin libxlsxwriter-dev python3-openpyxl
  clang libclang-rt-14-dev clang-format python3
  fonts-nanum xvfb xauth
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} Debian packages are installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing Debian packages; install them as root with:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages crmpolicy needs, only those missing, without questions.
# Usage: scripts/setup.sh [--fuzz] [--peers]
#   --fuzz   adds clang and libFuzzer for the fuzz targets
#   --peers  adds numpy, pandas and QuantLib, the peers of scripts/bench-peers.sh
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config tzdata python3
          libboost-date-time-dev libboost-serialization-dev libsqlite3-dev nlohmann-json3-dev libopencc-dev libpq-dev libsodium-dev libcli11-dev postgresql
          libgtest-dev libbenchmark-dev
          python3-ephem python3-lunardate python3-gi gir1.2-lunardate-3.0)
for arg in "$@"; do
  case "$arg" in
    --fuzz) packages+=(clang libclang-rt-dev) ;;
    --peers) packages+=(python3-numpy python3-pandas libquantlib0-dev) ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up, builds and runs the demo: `crmctl demo` creates an embedded SQLite database
# (build/demo/crmctl-demo.db) with the seed policy and a generated year of customer demands for a
# fictional company, then prints the monthly report the policy is judged by.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCRMPOLICY_BUILD_TESTS=OFF -DCRMPOLICY_BUILD_BENCHMARKS=OFF -DCRMPOLICY_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/demo --target crmctl
build/demo/examples/crmctl/crmctl demo --db build/demo/crmctl-demo.db

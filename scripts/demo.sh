#!/usr/bin/env bash
# Sets up, builds and runs the demo: the demand-management policy, stored in an embedded SQLite
# file (build/demo/crmpolicy-demo.db), classifies sample demands and gives them their response
# deadlines on the China working calendar.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCRMPOLICY_BUILD_TESTS=OFF -DCRMPOLICY_BUILD_BENCHMARKS=OFF -DCRMPOLICY_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/demo --target policy_example ledger_example
build/demo/examples/policy_example data/policies/demand-management.json build/demo/crmpolicy-demo.db
build/demo/examples/ledger_example build/demo/crmpolicy-demo.db

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The store's benchmarks on both engines in one run (issue 15 §5): a Release build, a private
# PostgreSQL cluster (scripts/with-postgres.sh), then the ledger benchmarks (import of 100,000
# demands with 3 events each; work list, next wake-up and monthly report over 1,000,000 open
# demands) and the customer lists, each on SQLite and on PostgreSQL. Extra arguments go to both
# benchmark binaries (e.g. --benchmark_filter=Import).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCRMPOLICY_BUILD_TESTS=OFF -DCRMPOLICY_BUILD_BENCHMARKS=ON -DCRMPOLICY_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/bench --target ledger_bench customers_bench
# shellcheck disable=SC2016
scripts/with-postgres.sh bash -c 'export CRMPOLICY_BENCH_POSTGRES=$CRMPOLICY_TEST_POSTGRES
  build/bench/benchmarks/ledger_bench "$@" && build/bench/benchmarks/customers_bench "$@"' bench "$@"

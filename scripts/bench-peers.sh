#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# crmpolicy's hot paths beside their peers, on the same inputs, in one run (issue 16): working-day
# deadlines against numpy busday_offset and QuantLib, working-hour deadlines with a lunch break
# against pandas CustomBusinessHour, timeliness by department x month over 10,000,000 targets
# against SQLite GROUP BY (covering index) and pandas groupby. Prints each figure and the ratio.
# Usage: scripts/bench-peers.sh   (installs the peers from Debian when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --peers
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCRMPOLICY_BUILD_TESTS=OFF -DCRMPOLICY_BUILD_BENCHMARKS=ON -DCRMPOLICY_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/bench --target calendar_bench metrics_bench quantlib_bench >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bench=build/bench/benchmarks
json=(--benchmark_format=json --benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
"$bench/calendar_bench" --benchmark_filter='^BM_Peer_' "${json[@]}" > "$out/calendar.json"
"$bench/quantlib_bench" "${json[@]}" > "$out/quantlib.json"
CRMPOLICY_BENCH_EXPORT_TARGETS="$out/targets.bin" "$bench/metrics_bench" "${json[@]}" > "$out/metrics.json"
/usr/bin/python3 benchmarks/peers/peers.py data/calendars/cn.txt "$out/targets.bin" > "$out/python.jsonl"
/usr/bin/python3 benchmarks/peers/ratios.py "$out"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up, builds with warnings as errors, and runs every test (beside a private PostgreSQL cluster,
# scripts/with-postgres.sh); then installs the library and
# builds the example against the installed package with find_package and with pkg-config.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build=build/test
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRMPOLICY_DEBUG_LINES_ONLY=ON -DCRMPOLICY_WERROR=ON \
      -DCRMPOLICY_BUILD_TESTS=ON -DCRMPOLICY_BUILD_BENCHMARKS=ON -DCRMPOLICY_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build"
# The engine-independent suites run on SQLite and on a private PostgreSQL cluster started for them.
scripts/with-postgres.sh ctest --test-dir "$build" --output-on-failure -j "$(nproc)"

echo "== install and consume"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S examples -B "$prefix/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/consumer" >/dev/null
LD_LIBRARY_PATH="$prefix/lib:${LD_LIBRARY_PATH:-}" "$prefix/consumer/calendar_example" data/calendars/cn-office.json >/dev/null
LD_LIBRARY_PATH="$prefix/lib:${LD_LIBRARY_PATH:-}" "$prefix/consumer/policy_example" data/policies/demand-management.json "$prefix/demo.db" >/dev/null
LD_LIBRARY_PATH="$prefix/lib:${LD_LIBRARY_PATH:-}" "$prefix/consumer/ledger_example" "$prefix/demo.db" >/dev/null
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" cc -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Werror examples/c/calendar.c \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs crmpolicy) -o "$prefix/calendar_pc"
LD_LIBRARY_PATH="$prefix/lib" "$prefix/calendar_pc" data/calendars/cn-office.json >/dev/null
echo "install: find_package and pkg-config consumers built and ran: 2 passed, 0 failed"

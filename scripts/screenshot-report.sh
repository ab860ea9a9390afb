#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Renders the demo's HTML report with headless Chromium to build/report.png, to check it by eye.
# usage: scripts/screenshot-report.sh [CRMCTL]   (after scripts/demo.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { sudo=$([ "$(id -u)" = 0 ] || echo sudo); $sudo apt-get install -y chromium; }
crmctl=${1:-build/demo/examples/crmctl/crmctl}
"$crmctl" --db build/demo/crmctl-demo.db report --at 2025-12-31T18:00 --by department --format html -o build/report.html
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2200 \
  --screenshot="$PWD/build/report.png" "file://$PWD/build/report.html" 2>/dev/null
echo "wrote build/report.png"

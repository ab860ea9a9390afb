#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Renders the demo's HTML reports with headless Chromium, to check them by eye: by day (December),
# by week (the year), by month (the default 24 months) and by department, each in a wide and a
# narrow window, in Chinese (the sample policy's language), and the month and department reports in
# English (*-en), to build/screenshots/*.png. Installs Chromium and the Noto CJK fonts (without
# them every Chinese character is a box) when missing.
# usage: scripts/screenshot-report.sh [CRMCTL]   (after scripts/demo.sh, which makes the database)
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null || missing+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
crmctl=${1:-build/demo/examples/crmctl/crmctl}
db=build/demo/crmctl-demo.db
[ -f "$db" ] || { echo "no $db: run scripts/demo.sh first" >&2; exit 1; }
out=build/screenshots
mkdir -p "$out"
report() {  # NAME LANGUAGE ARGS...
  local name=$1 language=$2
  shift 2
  "$crmctl" --db "$db" --lang "$language" report --at 2025-12-31T18:00 --format html -o "$out/$name.html" "$@"
  for width in 1280 720; do
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$width,2400 \
      --screenshot="$PWD/$out/$name-$width.png" "file://$PWD/$out/$name.html" 2>/dev/null
  done
  echo "wrote $out/$name-1280.png and $out/$name-720.png"
}
report day zh-CN --period day --from 2025-12-01T00:00 --to 2026-01-01T00:00
report week zh-CN --period week --from 2025-01-01T00:00 --to 2026-01-01T00:00
report month zh-CN
report department zh-CN --by department
report year-of-days zh-CN --period day --from 2025-01-01T00:00 --to 2026-01-01T00:00
report month-en en
report department-en en --by department

#!/usr/bin/env bash
# Renders an HTML report in headless Chromium (Debian's `chromium`) to PNGs, at desktop and
# phone widths, so a person can look at it: scripts/screenshot_report.sh [reports/metrics.html]
# Writes <report>.png (1200 px wide) and <report>.phone.png (400 px wide) beside the report.
set -euo pipefail
report="${1:-reports/metrics.html}"
[ -f "$report" ] || { echo "screenshot: $report not found (run make demo first)" >&2; exit 2; }
if ! command -v chromium >/dev/null 2>&1; then
  echo "screenshot: installing Debian's chromium" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null
fi
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
base="${report%.html}"
shot() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --virtual-time-budget=2000 --window-size="$1" --screenshot="$2" "$url" >/dev/null 2>&1
  echo "screenshot: $2"
}
shot 1200,3800 "$base.png"
shot 400,7600 "$base.phone.png"

#!/usr/bin/env bash
# Renders an HTML report in headless Chromium and saves a PNG, to check by eye that the report
# renders (charts, tables, no missing resources). Not part of the test suite: CI has no Chromium.
# Usage: analyzer/scripts/screenshot-report.sh [report.html] [out.png]
#   With no report given, builds one from the web12 cache2k trace with the trace tool.
# Needs: chromium (Debian: apt-get install -y chromium).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
report="${1:-}"
png="${2:-/tmp/keywarm-report.png}"
if [ -z "$report" ]; then
  out="$(mktemp -d)"
  "$here/run-test-main.sh" dev.keywarm.analyzer.tools.TraceReport \
    "$here/../../../shared/traces/cache2k/web12.trace.xz" "$out" >&2
  report="$out/web12.html"
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --hide-scrollbars --window-size=1280,"${HEIGHT:-5200}" --screenshot="$png" "file://$(realpath "$report")" \
  2>/dev/null
echo "$png"

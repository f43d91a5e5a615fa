#!/usr/bin/env bash
# Load on `kb serve` (release build) over the demo project, after `make demo`: wrk, 20
# connections, 2 threads, 30 s each against /api/search (hybrid, queries rotated) and the
# review queue page, on loopback. Prints p50/p99, requests/s, errors and the server's peak RSS
# (VmHWM). Usage: bench/serve_load.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
KB=${KB:-.build/release/kb}
port=${PORT:-18080}
[ -x "$KB" ] && [ -f kb/index.sqlite ] || { echo "serve_load: run \`make demo\` first" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
lua=$(mktemp --suffix=.lua)
log=$(mktemp)
trap 'kill $pid 2>/dev/null || true; rm -f "$lua" "$log"' EXIT
cat > "$lua" <<'LUA'
local queries = {
  "my customer's card keeps getting declined", "how do I reset two-factor authentication",
  "refund a payment", "webhook signature verification fails", "export invoices to CSV",
  "change the company logo on invoices", "invite a colleague to the account", "cancel my subscription",
  "payout delayed", "api rate limit exceeded", "how to update billing address", "dispute a charge",
}
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]:gsub(" ", "%%20"):gsub("'", "%%27")
  return wrk.format("GET", "/api/search?q=" .. q)
end
LUA
"$KB" serve --log-level warning --port "$port" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/static/style.css" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$port/api/search?q=warm%20up" >/dev/null
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(grep -o -m1 -w 'avx512f\|avx2' /proc/cpuinfo | head -1 | tr a-z A-Z)"
echo "== /api/search, one connection (latency without queueing): wrk -t1 -c1 -d10s --latency -s rotate.lua"
wrk -t1 -c1 -d10s --latency -s "$lua" "http://127.0.0.1:$port/api/search" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
echo "== /api/search (hybrid, 12 queries rotated): wrk -t2 -c20 -d${secs}s --latency -s rotate.lua"
wrk -t2 -c20 -d"${secs}s" --latency -s "$lua" "http://127.0.0.1:$port/api/search" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
echo "== /queue (review queue page): wrk -t2 -c20 -d${secs}s --latency"
wrk -t2 -c20 -d"${secs}s" --latency "http://127.0.0.1:$port/queue" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
echo "peak RSS of kb serve: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)"

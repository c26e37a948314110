#!/usr/bin/env bash
# Load test of `govreport serve` on loopback: throughput, p50/p99 latency,
# errors, the server's CPU time per successful export (utime+stime of the
# server process from /proc/PID/stat, divided by the 200s) and peak RSS at
# concurrency 1, 8 and 32, exporting the seed report as PDF. Bounded:
# DURATION seconds per level (default 15). The load generator runs on the
# same machine, so throughput is shared with it; CPU per export is not.
#   scripts/load.sh [report.json] [format]
#   GOVREPORT_BIN=/path/to/govreport scripts/load.sh   (another build, e.g. main's)
#   LEVELS="8" scripts/load.sh                          (only some concurrencies)
set -euo pipefail
cd "$(dirname "$0")/.."
report=${1:-testdata/reports/yongxing-2024.json}
format=${2:-pdf}
duration=${DURATION:-15}
command -v wrk >/dev/null || { echo "load.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }

dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
bin=${GOVREPORT_BIN:-$dir/govreport}
[ -n "${GOVREPORT_BIN:-}" ] || go build -tags server -o "$bin" ./cmd/govreport
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --addr "127.0.0.1:$port" 2>"$dir/server.log" &
pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

cat >"$dir/post.lua" <<LUA
local f = io.open("$report", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) shed = 0; other = 0; ok = 0; backoff = false end
-- Clients honour Retry-After: after a 503 the next request waits a second.
function delay()
  if backoff then backoff = false; return 1000 end
  return 0
end
function response(status, headers, body)
  if status == 503 then shed = shed + 1; backoff = true
  elseif status == 200 then ok = ok + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local s, o, k = 0, 0, 0
  for _, t in ipairs(threads) do s = s + t:get("shed"); o = o + t:get("other"); k = k + t:get("ok") end
  io.write(string.format("STATUS %d %d %d\n", s, o, k))
end
LUA

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "report: $report, format: $format, ${duration}s per level"
printf '%-12s %10s %10s %10s %8s %8s %12s %12s\n' concurrency "200/s" p50 p99 "503" errors "CPU/export" "peak RSS"
tck=$(getconf CLK_TCK)
cputicks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
for c in ${LEVELS:-1 8 32}; do
  t0=$(cputicks)
  out=$(wrk -t$(( c < 2 ? 1 : 2 )) -c$c -d${duration}s --timeout 10s --latency -s "$dir/post.lua" \
    "http://127.0.0.1:$port/v1/reports/export?format=$format")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  # 503s are the queue shedding load by design; anything else is an error.
  read -r shed other okn < <(awk '/^STATUS/ {print $2, $3, $4}' <<<"$out")
  rps=$(python3 -c "print(f'{$okn/$duration:.2f}')")
  sockerr=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$out")
  errs=$(( other + ${sockerr:-0} ))
  t1=$(cputicks)
  cpu=$(python3 -c "print(f'{($t1-$t0)/$tck*1000/max($okn,1):.1f} ms')")
  rss=$(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$pid/status)
  printf '%-12s %10s %10s %10s %8s %8s %12s %12s\n' "$c" "$rps" "$p50" "$p99" "$shed" "$errs" "$cpu" "$rss"
done

#!/usr/bin/env bash
# Soak test of `govreport serve` on loopback: 32 clients send a mix of
# valid, invalid and hostile requests (scripts/soak/main.go lists them) for
# DURATION (default 10m), and the run reports every status, transport
# errors, 5xx and the server's RSS at the start, after the warm-up and at
# the end. Exit 1 on an unexpected status, a transport error or a 5xx.
#   DURATION=10m CLIENTS=32 scripts/soak.sh [serve flags...]
# The queue is sized for the clients (64), so that a well-behaved client
# is never shed: the acceptance is 0 5xx, 503 included.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10m}
clients=${CLIENTS:-32}
warmup=${WARMUP:-1m}

# DURATION as Go writes durations (10m, 90s, 1m30s, 2h) in seconds, for
# the backstop below.
secs=0 rest=$duration
while [[ $rest =~ ^([0-9]+)([hms])(.*)$ ]]; do
  case ${BASH_REMATCH[2]} in
    h) secs=$((secs + BASH_REMATCH[1] * 3600)) ;;
    m) secs=$((secs + BASH_REMATCH[1] * 60)) ;;
    s) secs=$((secs + BASH_REMATCH[1])) ;;
  esac
  rest=${BASH_REMATCH[3]}
done
if [ -n "$rest" ] || [ "$secs" -le 0 ]; then
  echo "soak.sh: DURATION=$duration: want a duration such as 10m, 90s or 1m30s" >&2
  exit 2
fi

dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$dir"' EXIT
go build -o "$dir/govreport" ./cmd/govreport
go build -o "$dir/soak" ./scripts/soak
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$dir/govreport" serve --addr "127.0.0.1:$port" --queue 64 --render-timeout 60s --log-level warn "$@" 2>"$dir/server.log" &
pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
# The client stops itself after DURATION; timeout is the backstop.
timeout --kill-after=10s "$((secs + 120))" \
  "$dir/soak" -url "http://127.0.0.1:$port" -duration "$duration" -warmup "$warmup" -c "$clients" -pid "$pid" || status=$?
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -q '"level":"ERROR"' "$dir/server.log"; then
  echo "server logged errors:"; grep '"level":"ERROR"' "$dir/server.log" | head -5
  status=1
fi
kill -0 $pid 2>/dev/null || { echo "the server died"; status=1; }
exit $status

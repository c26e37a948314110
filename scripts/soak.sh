#!/usr/bin/env bash
# Soak test of `govreport serve` on loopback: 32 clients send a mix of
# valid, invalid and hostile requests (scripts/soak/main.go lists them:
# among them 2 MiB long arrays, many objects, many keys and deep nesting,
# gzip bombs, gzip bodies whose trailer never comes, slow uploads) for
# DURATION (default 10m), and the run reports every status, transport
# errors, 5xx and the server's RSS at the start, after the warm-up and at
# the end. Exit 1 on an unexpected status, a transport error, a 5xx, an
# OOM kill or a dead server.
#   DURATION=10m CLIENTS=32 [PROFILE=deploy] [MEMORY_MAX=320M] scripts/soak.sh [serve flags...]
# PROFILE=local (the default) sizes the queue for the clients (64), so that
# a well-behaved client is never shed: the acceptance is 0 5xx, 503
# included. PROFILE=deploy runs the server as deploy/kubernetes does
# (GOMEMLIMIT 256MiB, 2 renders, queue 32, 2 MiB bodies, 10 s render
# timeout): its 34 places hold the 32 clients, so a 503 with Retry-After
# would be load shedding, counted apart (CLIENTS=40 shows it), and only
# other 5xx fail.
# MEMORY_MAX runs the server in a memory cgroup of that size (the
# Deployment's limit is 320M): through systemd-run --scope when systemd
# runs, else a cgroup made under this shell's own (v2 or v1); the OOM
# kills of that cgroup are reported.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10m}
clients=${CLIENTS:-32}
warmup=${WARMUP:-1m}
profile=${PROFILE:-local}

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
soakflags=()
case $profile in
  local) serveflags=(--queue 64 --render-timeout 60s) ;;
  deploy)
    serveflags=(--max-renders 2 --queue 32 --body-limit 2MiB --render-timeout 10s)
    export GOMEMLIMIT=256MiB
    soakflags=(-shed-ok)
    ;;
  *) echo "soak.sh: PROFILE=$profile: want local or deploy" >&2; exit 2 ;;
esac

dir=$(mktemp -d)
pid= cg=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$cg" ]; then rmdir "$cg" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
go build -tags server -o "$dir/govreport" ./cmd/govreport
go build -o "$dir/soak" ./scripts/soak
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
serve=("$dir/govreport" serve --addr "127.0.0.1:$port" --log-level warn "${serveflags[@]}" "$@")
shown="govreport serve ${serve[*]:2}"

# oomkills prints the OOM kills of the server's cgroup so far.
oomkills() { echo 0; }
cgpeak() { echo "?"; }
limited=none
if [ -n "${MEMORY_MAX:-}" ]; then
  bytes=$(numfmt --from=iec "$MEMORY_MAX")
  if [ -d /run/systemd/system ] && unit=govreport-soak-$$ &&
    systemd-run --quiet --scope --unit "$unit" -p MemoryMax="$bytes" -p MemorySwapMax=0 true 2>/dev/null; then
    limited="systemd-run --scope -p MemoryMax=$MEMORY_MAX"
    serve=(systemd-run --quiet --scope --unit "$unit-serve" -p MemoryMax="$bytes" -p MemorySwapMax=0 "${serve[@]}")
    oomkills() { systemctl show -p OOMKills --value "$unit-serve.scope" 2>/dev/null || echo "?"; }
  elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then # cgroup v2
    cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)/govreport-soak.$$
    mkdir "$cg" && echo "$bytes" >"$cg/memory.max" && echo 0 >"$cg/memory.swap.max" 2>/dev/null || true
    limited="cgroup v2 $cg, memory.max $bytes"
    oomkills() { sed -n 's/^oom_kill //p' "$cg/memory.events"; }
    cgpeak() { cat "$cg/memory.peak" 2>/dev/null || echo "?"; }
  else # cgroup v1
    cg=/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)/govreport-soak.$$
    mkdir "$cg" && echo "$bytes" >"$cg/memory.limit_in_bytes"
    limited="cgroup v1 $cg, memory.limit_in_bytes $bytes"
    oomkills() { sed -n 's/^oom_kill //p' "$cg/memory.oom_control"; }
    cgpeak() { cat "$cg/memory.max_usage_in_bytes"; }
  fi
  if [ -n "$cg" ]; then
    # The server joins the cgroup before it starts: exec keeps the pid.
    serve=(bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "${serve[@]}")
  fi
fi
"${serve[@]}" 2>"$dir/server.log" &
pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "server: $shown; GOMEMLIMIT=${GOMEMLIMIT:-unset}; memory limit: $limited"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
# The client stops itself after DURATION; timeout is the backstop.
timeout --kill-after=10s "$((secs + 120))" \
  "$dir/soak" -url "http://127.0.0.1:$port" -duration "$duration" -warmup "$warmup" -c "$clients" -pid "$pid" "${soakflags[@]}" || status=$?
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -q '"level":"ERROR"' "$dir/server.log"; then
  echo "server logged errors:"; grep '"level":"ERROR"' "$dir/server.log" | head -5
  status=1
fi
kills=$(oomkills)
echo "OOM kills: $kills; the cgroup's peak usage (page cache included): $(cgpeak | numfmt --to=iec 2>/dev/null || cgpeak)"
if [ "$kills" != 0 ]; then status=1; fi
kill -0 $pid 2>/dev/null || { echo "the server died"; status=1; }
exit $status

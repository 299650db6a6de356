#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The demo as `build-aux/run demo` starts it, on a private port and private
# XDG directories: the server answers, the simulator runs, and the console
# stays up, signs in and makes its cache.
#
#   demo-smoke.sh SOURCE_DIR BUILD_DIR      (needs a display: display suite)
set -euo pipefail
src=$1 build=$2
tmp=$(mktemp -d)
export XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$tmp/demo.log
demo=""
finish() {
  local status=$?
  if [[ -n $demo ]]; then
    kill -TERM "$demo" 2>/dev/null || true
    wait "$demo" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap finish EXIT
fail() { echo "FAIL: $*"; echo "---- demo output"; cat "$log"; exit 1; }

SIGNPOST_DEMO_PORT=$port "$src/build-aux/demo" "$build" >"$log" 2>&1 &
demo=$!

for _ in $(seq 600); do
  grep -q "Console started" "$log" && break
  kill -0 "$demo" 2>/dev/null || fail "the demo stopped before starting the console"
  sleep 0.1
done
grep -q "Console started" "$log" || fail "no console within 60 s"
curl -fsS "http://127.0.0.1:$port/api/v1/healthz" >/dev/null || fail "the demo server does not answer"

# Signed in and synced: the console's cache appears under the data dir.
for _ in $(seq 600); do
  compgen -G "$XDG_DATA_HOME/signpost/cache-*.db" >/dev/null && break
  kill -0 "$demo" 2>/dev/null || fail "the console exited"
  sleep 0.1
done
compgen -G "$XDG_DATA_HOME/signpost/cache-*.db" >/dev/null || fail "the console made no cache within 60 s"
sleep 2
kill -0 "$demo" 2>/dev/null || fail "the demo stopped"
if grep -E "CRITICAL|-ERROR|Trace/breakpoint|Segmentation" "$log"; then
  fail "errors in the demo's output"
fi
grep -q "Call simulator running" "$log" || fail "the call simulator did not start"
# It signs in and reads the patients first (slower in a sanitizer build).
for _ in $(seq 600); do
  grep -q "Practices: 2" "$XDG_STATE_HOME/signpost-demo/callgen.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "Practices: 2" "$XDG_STATE_HOME/signpost-demo/callgen.log" || fail "the call simulator found no practices within 60 s"
echo "ok: server, simulator and console up; console signed in"

#!/usr/bin/env bash
# The project's test broker (librdkafka's mock cluster on 127.0.0.1). Needs gcc, pkg-config and
# librdkafka-dev (apt-get install librdkafka-dev).
#
#   scripts/test-broker.sh build                 compile the host (cached by source checksum)
#   scripts/test-broker.sh run [topic ...]       run in the foreground; first line: bootstrap.servers=…
#   scripts/test-broker.sh start [topic ...]     run in the background; prints the address, PID in .broker.pid
#   scripts/test-broker.sh stop                  stop the background broker by its PID
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/test/broker/mock-broker.c"
cache="$root/node_modules/.cache/churn-datagen"
sum="$(sha256sum "$src" | cut -c1-16)"
bin="$cache/mock-broker-$sum"
pidfile="$root/.broker.pid"

build() {
  if [ ! -x "$bin" ]; then
    mkdir -p "$cache"
    # shellcheck disable=SC2046
    gcc -O1 -o "$bin.tmp" "$src" $(pkg-config --cflags --libs rdkafka) -lpthread
    mv "$bin.tmp" "$bin"
  fi
}

case "${1:-}" in
  build) build; echo "$bin" ;;
  run) shift; build; exec "$bin" "$@" ;;
  start)
    shift; build
    log="$(mktemp)"
    "$bin" "$@" >"$log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 50); do
      if grep -q '^bootstrap.servers=' "$log"; then grep '^bootstrap.servers=' "$log"; exit 0; fi
      sleep 0.1
    done
    echo "test-broker: did not start; log: $log" >&2; exit 1 ;;
  stop)
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile" ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac

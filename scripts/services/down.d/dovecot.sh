#!/usr/bin/env bash
# Stops the test Dovecot started by up.d/20-dovecot.sh (its own instance only).
set -uo pipefail
source "$(dirname "$0")/../env.sh"
pidfile=$TEST_DOVECOT_DIR/run/master.pid
[ -f "$pidfile" ] || exit 0
pid=$(cat "$pidfile")
kill "$pid" 2>/dev/null || exit 0
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
kill -9 "$pid" 2>/dev/null || true

#!/usr/bin/env bash
# Starts the servers the tests need, on loopback only, recording what it started.
set -euo pipefail
here=$(dirname "$0")
source "$here/env.sh"
mkdir -p "$TEST_STATE_DIR"
: > "$TEST_STATE_DIR/started"
for s in "$here"/up.d/*.sh; do
  [ -e "$s" ] || continue
  bash "$s"
done

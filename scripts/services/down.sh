#!/usr/bin/env bash
# Stops only what up.sh started.
set -uo pipefail
here=$(dirname "$0")
source "$here/env.sh"
[ -f "$TEST_STATE_DIR/started" ] || exit 0
tac "$TEST_STATE_DIR/started" | while read -r name; do
  [ -x "$here/down.d/$name.sh" ] || [ -f "$here/down.d/$name.sh" ] && bash "$here/down.d/$name.sh"
done
rm -f "$TEST_STATE_DIR/started"

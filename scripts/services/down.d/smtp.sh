#!/usr/bin/env bash
# Stops the Postfix instance that up.d/30-smtp.sh started.
source "$(dirname "$0")/../env.sh"
dir="$TEST_STATE_DIR/postfix"
[ -f "$dir/main.cf" ] && command -v postfix >/dev/null && postfix -c "$dir" stop >/dev/null 2>&1
exit 0

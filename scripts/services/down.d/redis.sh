#!/usr/bin/env bash
source "$(dirname "$0")/../env.sh"
[ -f "$TEST_STATE_DIR/redis.pid" ] && kill "$(cat "$TEST_STATE_DIR/redis.pid")" 2>/dev/null
rm -f "$TEST_STATE_DIR/redis.pid"

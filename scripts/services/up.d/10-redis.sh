#!/usr/bin/env bash
# Redis: use the one answering at TEST_REDIS_URL, else start a throwaway one.
set -euo pipefail
source "$(dirname "$0")/../env.sh"
port=$(node -e 'console.log(new URL(process.argv[1]).port||6379)' "$TEST_REDIS_URL")
if node -e '
  const s=require("net").connect(+process.argv[1],"127.0.0.1");
  s.on("connect",()=>{s.write("PING\r\n")});
  s.on("data",d=>process.exit(String(d).startsWith("+PONG")?0:1));
  s.on("error",()=>process.exit(1)); setTimeout(()=>process.exit(1),2000);' "$port"; then
  exit 0
fi
if ! command -v redis-server >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
  --dir "$TEST_STATE_DIR" --pidfile "$TEST_STATE_DIR/redis.pid" --logfile "$TEST_STATE_DIR/redis.log"
echo redis >> "$TEST_STATE_DIR/started"
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && exit 0; sleep 0.1; done
echo "redis did not start" >&2; exit 1

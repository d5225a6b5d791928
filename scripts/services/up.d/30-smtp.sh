#!/usr/bin/env bash
# SMTP for the receipt tests: a throwaway Postfix instance with its own config
# and queue under $TEST_STATE_DIR, listening on loopback only, that hands every
# message to Dovecot's LMTP on loopback. It has no other transport, so it can
# never relay anything off this machine.
set -euo pipefail
source "$(dirname "$0")/../env.sh"
smtp_port=${TEST_SMTP_PORT:-10025}
lmtp_port=${TEST_LMTP_PORT:-10024}
dir="$TEST_STATE_DIR/postfix"

if ! command -v postfix >/dev/null; then
  # "No configuration": the package must not set up or start a system-wide MTA.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string localhost" | debconf-set-selections
  # Another installer may hold apt's locks: wait for them rather than fail.
  for _ in $(seq 60); do apt-get -o DPkg::Lock::Timeout=600 update -qq && break; sleep 5; done
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends postfix >/dev/null
fi

# A stale instance from an earlier run would hold the port.
[ -f "$dir/main.cf" ] && postfix -c "$dir" stop >/dev/null 2>&1 || true
rm -rf "$dir"
mkdir -p "$dir/queue" "$dir/data"
chown postfix "$dir/data"

cat > "$dir/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
myhostname = smtp.test.invalid
mydomain = test.invalid
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
relay_domains =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
# Every domain goes to Dovecot over LMTP on loopback; nothing else is reachable.
default_transport = lmtp:inet:127.0.0.1:$lmtp_port
relay_transport = lmtp:inet:127.0.0.1:$lmtp_port
smtp_dns_support_level = disabled
lmtp_host_lookup = native
alias_maps =
alias_database =
biff = no
# Short retry times so a delivery deferred during a test is retried within it.
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 30s
smtpd_banner = \$myhostname ESMTP test
message_size_limit = 52428800
CF

cat > "$dir/master.cf" <<CF
127.0.0.1:$smtp_port inet n - n - - smtpd
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n - 0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n - - trivial-rewrite
bounce     unix  - - n - 0 bounce
defer      unix  - - n - 0 bounce
trace      unix  - - n - 0 bounce
verify     unix  - - n - 1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n - - proxymap
proxywrite unix  - - n - 1 proxymap
showq      unix  n - n - - showq
error      unix  - - n - - error
retry      unix  - - n - - error
discard    unix  - - n - - discard
lmtp       unix  - - n - - lmtp
anvil      unix  - - n - 1 anvil
scache     unix  - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
CF

# Postfix reports to stderr only on a terminal; the maillog has the rest.
if ! postfix -c "$dir" start >/dev/null 2>&1; then
  echo "postfix -c $dir start failed:" >&2
  script -qc "postfix -c '$dir' check" /dev/null >&2 || true
  tail -20 "$dir/maillog" >&2 2>/dev/null || true
  exit 1
fi
echo smtp >> "$TEST_STATE_DIR/started"
for _ in $(seq 100); do
  if node -e '
    const s=require("net").connect(+process.argv[1],"127.0.0.1");
    s.on("data",d=>process.exit(String(d).startsWith("220")?0:1));
    s.on("error",()=>process.exit(1)); setTimeout(()=>process.exit(1),1000);' "$smtp_port"; then
    exit 0
  fi
  sleep 0.1
done
echo "postfix did not start on 127.0.0.1:$smtp_port (see $dir/maillog)" >&2; exit 1

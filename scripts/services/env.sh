# Addresses of the test servers, shared by up.sh, down.sh and the tests.
export TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379}
export TEST_STATE_DIR=${TEST_STATE_DIR:-/tmp/exchange-intake-test}
# Dovecot (up.d/20-dovecot.sh): IMAP and LMTP on loopback, users in $TEST_DOVECOT_DIR/users.
export TEST_IMAP_HOST=${TEST_IMAP_HOST:-127.0.0.1}
export TEST_IMAP_PORT=${TEST_IMAP_PORT:-10143}
export TEST_LMTP_PORT=${TEST_LMTP_PORT:-10024}
# Postfix (up.d/30-smtp.sh): SMTP on loopback, handing every message to the LMTP above.
export TEST_SMTP_PORT=${TEST_SMTP_PORT:-10025}
export TEST_DOVECOT_DIR=${TEST_DOVECOT_DIR:-$TEST_STATE_DIR/dovecot}

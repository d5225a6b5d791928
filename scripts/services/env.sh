# Addresses of the test servers, shared by up.sh, down.sh and the tests.
export TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379}
export TEST_STATE_DIR=${TEST_STATE_DIR:-/tmp/exchange-intake-test}

#!/usr/bin/env bash
# The whole test suite: install, type check, lint, package-graph check, then the
# tests against real servers. Starts what the tests need on loopback (Redis when
# none answers, Dovecot, an SMTP server) and stops what it started afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/pnpm.sh --silent typecheck
bash scripts/pnpm.sh --silent lint
bash scripts/pnpm.sh --silent check:deps
source scripts/services/env.sh
bash scripts/services/up.sh
trap 'bash scripts/services/down.sh' EXIT
bash scripts/pnpm.sh --silent vitest "$@"

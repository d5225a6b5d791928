#!/usr/bin/env bash
# Installs the workspace's dependencies exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pnpm.sh install --frozen-lockfile

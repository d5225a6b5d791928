#!/usr/bin/env bash
# Runs the project's pinned pnpm through npm, so a machine needs only Node and npm.
set -euo pipefail
exec npx --yes pnpm@12.4.2 "$@"

#!/usr/bin/env bash
# Chromium (headless, driven by playwright-core in the report's browser tests)
# and a CJK font so Chinese pages render and screenshot legibly. Idempotent;
# installs nothing when both are present, starts no process.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null

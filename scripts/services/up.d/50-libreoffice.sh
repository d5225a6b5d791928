#!/usr/bin/env bash
# LibreOffice Calc, headless (the report's CSV test converts the CSV with it and
# reads the cells back, as Excel and WPS users would see them). Idempotent;
# installs nothing when it is present, starts no process.
set -euo pipefail
dpkg-query -W -f='${Status}' libreoffice-calc-nogui 2>/dev/null | grep -q "install ok installed" && exit 0
dpkg-query -W -f='${Status}' libreoffice-calc 2>/dev/null | grep -q "install ok installed" && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null

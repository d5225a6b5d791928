#!/usr/bin/env bash
# The embedded default: parse the sample mailboxes shipped in samples/ and write
# the records, the receipts (outbox) and the reviewers' report to out/demo.
# Needs no Redis, IMAP or SMTP.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
out=${1:-out/demo}
rm -rf "$out"
bash scripts/pnpm.sh --silent intake parse samples/mailboxes --out "$out/records" --archive "$out/archive"
bash scripts/pnpm.sh --silent intake report --archive "$out/archive" --out "$out/report"
echo
echo "records:  $out/records"
echo "report:   $out/report/index.html, $out/report/submissions.xlsx, $out/report/submissions.csv"

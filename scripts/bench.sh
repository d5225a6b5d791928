#!/usr/bin/env bash
# Prints the speed and memory figures: Word forms per second, seconds per
# scanned copy (with tesseract.js against the native CLI when installed), the
# fields read from each scanned copy alone, and
# the reviewers' web view on 5000 submissions, and the whole pipeline over the
# corpus of the measurement data (INTAKE_SHARED_DIR, default ../shared, as
# test/support/shared-dir.ts finds it). Numbers, not pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$(realpath -m "${INTAKE_SHARED_DIR:-../shared}")
[ -d "$shared/corpus" ] || { echo "bench: needs the measurement data, $shared/corpus not found (set INTAKE_SHARED_DIR)" >&2; exit 1; }
echo "== Word forms (packages/form/scripts/bench.ts)"
npx tsx packages/form/scripts/bench.ts
echo
echo "== Scanned copies (packages/scan/scripts/bench.ts)"
npx tsx packages/scan/scripts/bench.ts
echo
echo "== Scanned copies read alone, fields by OCR (packages/pipeline/scripts/measure-scan-fields.ts)"
npx tsx packages/pipeline/scripts/measure-scan-fields.ts | tail -3
echo
echo "== Reviewers' web view at 5000 submissions (services/report/bench/workbench.ts)"
npx tsx services/report/bench/workbench.ts 5000 | grep -v '^archive:'
echo
echo "== Whole pipeline: intake parse over $shared/corpus/mailboxes"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx tsx services/intake/src/cli.ts parse "$shared/corpus/mailboxes" --out "$out/records" --archive "$out/archive" --stats 2>&1 | grep -E '^(parsed|stats)'
node "$shared/tools/score.mjs" --expected "$shared/corpus/expected" --actual "$out/records" | tail -1

#!/usr/bin/env bash
# Prints the speed and memory figures: Word forms per second, seconds per
# scanned copy (Word-plus-scan and scan-only; tesseract.js, the native CLI and
# PP-OCR on the same pages), the
# reliability of the signature and seal decisions (confidence against share right), the
# fields read from the scan of each scan-only submission, and
# the reviewers' web view on 5000 submissions, and the whole pipeline over the
# corpus of the measurement data (INTAKE_SHARED_DIR, default ../shared, as
# test/support/shared-dir.ts finds it). Numbers, not pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$(realpath -m "${INTAKE_SHARED_DIR:-../shared}")
[ -d "$shared/corpus" ] || { echo "bench: needs the measurement data, $shared/corpus not found (set INTAKE_SHARED_DIR)" >&2; exit 1; }
# The native tesseract CLI is compared with tesseract.js and PP-OCR on the same pages (bench only,
# never used by the pipeline): installed from Debian's packages when missing and this is root.
if ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing tesseract-ocr and tesseract-ocr-chi-sim (apt-get) for the OCR engines' comparison" >&2
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-chi-sim; } >/dev/null ||
      echo "bench: tesseract-ocr could not be installed: the native tesseract line is skipped" >&2
  else
    echo "bench: no native tesseract with chi_sim (as root: apt-get install tesseract-ocr tesseract-ocr-chi-sim): its line is skipped" >&2
  fi
fi
echo "== Word forms (packages/form/scripts/bench.ts)"
npx tsx packages/form/scripts/bench.ts
echo
echo "== Scanned copies (packages/scan/scripts/bench.ts)"
npx tsx packages/scan/scripts/bench.ts
echo
echo "== Signature and seal decisions, reliability per decision kind (packages/scan/scripts/measure.ts)"
npx tsx packages/scan/scripts/measure.ts | sed -n '/^== /,$p'
echo
echo "== Scan-only submissions, fields read from the scan per scan mode (packages/pipeline/scripts/measure-scan-fields.ts --scan-only)"
npx tsx packages/pipeline/scripts/measure-scan-fields.ts --scan-only | grep -E '^(fields read|form flags|seconds|CPU seconds|peak)'
echo
echo "== Reviewers' web view at 5000 submissions (services/report/bench/workbench.ts)"
npx tsx services/report/bench/workbench.ts 5000 | grep -v '^archive:'
echo
echo "== Whole pipeline: intake parse over $shared/corpus/mailboxes"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx tsx services/intake/src/cli.ts parse "$shared/corpus/mailboxes" --out "$out/records" --archive "$out/archive" --stats 2>&1 | grep -E '^(parsed|stats)'
node "$shared/tools/score.mjs" --expected "$shared/corpus/expected" --actual "$out/records" | tail -1

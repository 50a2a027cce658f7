#!/usr/bin/env bash
# Browser tests: a real server on a temporary data directory, driven by Debian's Chromium
# through playwright-core. Screenshots go to test-results/. Entry point of `npm run test:e2e`.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node --import tsx test/e2e/e2e.ts "$@"

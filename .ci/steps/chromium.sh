#!/usr/bin/env bash
# Debian's chromium for the dashboard's browser tests. Idempotent; `npm test` installs it when root.
set -euo pipefail
bash "$(dirname "$0")/../../scripts/chromium.sh"

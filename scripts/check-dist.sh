#!/usr/bin/env bash
# Fails when the committed action bundle (action/dist) differs from a fresh build of the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/bundle-action.mjs >/dev/null
if ! git diff --quiet --exit-code -- action/dist || [ -n "$(git ls-files --others --exclude-standard -- action/dist)" ]; then
  echo "action/dist is stale: run 'npm run build' and commit action/dist." >&2
  git status --short -- action/dist >&2
  exit 1
fi
echo "action/dist is fresh."

#!/usr/bin/env bash
# Lint and format (Biome), types (tsc), and the committed action bundle is fresh.
set -euo pipefail
npm run lint
npm run typecheck
if [ -f scripts/check-dist.sh ]; then bash scripts/check-dist.sh; fi

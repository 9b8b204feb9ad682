#!/usr/bin/env bash
# Installs the project's npm dependencies exactly as locked.
set -euo pipefail
npm ci --no-audit --no-fund

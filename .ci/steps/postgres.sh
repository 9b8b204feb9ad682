#!/usr/bin/env bash
# A PostgreSQL server for the run-history tests (Debian's postgresql, installed when missing).
# Idempotent; `npm test` starts the same server when run as root.
set -euo pipefail
bash "$(dirname "$0")/../../scripts/postgres-server.sh"

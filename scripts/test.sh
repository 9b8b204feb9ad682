#!/usr/bin/env bash
# `npm test`: every suite. Docker-backed suites need an engine and the sandbox image, so this
# starts the engine (installing it from Debian's packages when root and missing) and builds the
# sandbox image and the allowlist proxy image first. Without Docker those suites skip with a message, unless INHOUSE_REQUIRE_DOCKER=1
# (CI), which turns the missing engine into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${INHOUSE_SKIP_DOCKER_SETUP:-}" != "1" ]; then
  if bash scripts/docker-engine.sh && bash runner-image/build.sh && bash runner-image/egress-proxy/build.sh; then
    :
  elif [ "${INHOUSE_REQUIRE_DOCKER:-}" = "1" ]; then
    echo "test: Docker setup failed and INHOUSE_REQUIRE_DOCKER=1; see the messages above" >&2
    exit 1
  else
    echo "test: no Docker engine; Docker-backed suites will be skipped (run as root, or start dockerd)" >&2
  fi
fi

# The run-history tests need a PostgreSQL server beside the embedded store, and the dashboard's
# browser tests Debian's chromium (root: installed and started here).
if [ "$(id -u)" = "0" ]; then
  bash scripts/postgres-server.sh || echo "test: could not start PostgreSQL; the store's PostgreSQL tests will skip (or fail under INHOUSE_REQUIRE_POSTGRES=1)" >&2
  bash scripts/chromium.sh || echo "test: could not install chromium; the browser tests will skip (or fail under INHOUSE_REQUIRE_CHROMIUM=1)" >&2
fi

exec npx vitest run "$@"

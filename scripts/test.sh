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

# gVisor (Debian's runsc) registered with dockerd as the runtime `runsc`, for the sandbox suites
# that run under it (root only; INHOUSE_REQUIRE_RUNSC=1 in CI makes a missing runsc a failure).
if [ "$(id -u)" = "0" ] && [ "${INHOUSE_SKIP_DOCKER_SETUP:-}" != "1" ]; then
  bash scripts/gvisor-runtime.sh || echo "test: could not register gVisor; the runsc suites will skip (or fail under INHOUSE_REQUIRE_RUNSC=1)" >&2
fi

if [ $# -gt 0 ]; then exec npx vitest run "$@"; fi

npx vitest run
# The sandbox's own suites and the attack catalogue's attacks from inside the sandbox once more,
# every sandbox under gVisor (test/action/sandbox/runsc.test.ts covers what only gVisor does).
# runsc is registered --network=none here, so the catalogue's allowlist cases are skipped with the
# reason and counted apart in its summary line (docs/security.md, "Under gVisor").
if docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'; then
  INHOUSE_SANDBOX_RUNTIME=runsc npx vitest run test/action/sandbox/exec.test.ts test/action/sandbox/files.test.ts \
    test/action/sandbox/workspace-path.test.ts test/action/sandbox/hardening.test.ts
  INHOUSE_SANDBOX_RUNTIME=runsc npx vitest run test/security/catalogue.test.ts -t "from inside the sandbox"
elif [ "${INHOUSE_REQUIRE_RUNSC:-}" = "1" ]; then
  echo "test: INHOUSE_REQUIRE_RUNSC=1 but dockerd offers no runsc runtime" >&2
  exit 1
fi

#!/usr/bin/env bash
# Installs gVisor (Debian's `runsc` package) and registers it with dockerd as the runtime `runsc`,
# keeping runc the default. Idempotent. dockerd re-reads `runtimes` on SIGHUP, so a running engine
# picks it up without a restart ("Configuration reload behavior":
# https://docs.docker.com/reference/cli/dockerd/#configuration-reload-behavior).
#
# RUNSC_ARGS: runtime arguments (default `--network=none`: gVisor's own network stack refuses to start
# in a root network namespace on some hosts, "cannot run with network enabled in root network
# namespace"; with it a runsc sandbox has only the `none` network profile). Set RUNSC_ARGS="" where
# gVisor's network works (https://gvisor.dev/docs/user_guide/networking/).
set -euo pipefail
args=${RUNSC_ARGS---network=none}
config=${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}

if ! command -v runsc >/dev/null 2>&1; then
  echo "gvisor-runtime: installing runsc from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends runsc >/dev/null
fi
path=$(command -v runsc)
command -v python3 >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-minimal >/dev/null; }

mkdir -p "$(dirname "$config")"
[ -s "$config" ] || echo '{}' >"$config"
# Merge, keeping every other setting (and the default runtime) as it is.
changed=$(RUNSC_PATH="$path" RUNSC_ARGS="$args" CONFIG="$config" python3 - <<'PY'
import json, os
path = os.environ["CONFIG"]
with open(path) as f:
    config = json.load(f)
args = os.environ["RUNSC_ARGS"].split()
want = {"path": os.environ["RUNSC_PATH"], **({"runtimeArgs": args} if args else {})}
runtimes = config.setdefault("runtimes", {})
if runtimes.get("runsc") == want:
    print("no")
else:
    runtimes["runsc"] = want
    with open(path + ".new", "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    os.replace(path + ".new", path)
    print("yes")
PY
)

if [ "$changed" = "yes" ]; then
  echo "gvisor-runtime: registered runsc in $config"
  if pid=$(pgrep -x dockerd | head -n1); then
    kill -HUP "$pid"
    echo "gvisor-runtime: dockerd ($pid) reloaded its configuration"
  fi
fi

if docker info >/dev/null 2>&1; then
  for _ in $(seq 1 20); do
    if docker info --format '{{json .Runtimes}}' | grep -q '"runsc"'; then
      echo "gvisor-runtime: dockerd offers runsc (default runtime: $(docker info --format '{{.DefaultRuntime}}'))"
      exit 0
    fi
    sleep 0.5
  done
  echo "gvisor-runtime: dockerd does not list runsc after a reload; restart dockerd" >&2
  exit 1
fi

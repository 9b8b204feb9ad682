#!/usr/bin/env bash
# Installs the Docker engine from Debian's packages when it is missing, starts dockerd in the
# background when no daemon answers, and waits for its socket. Safe to run again.
set -euo pipefail

if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker-engine: installing docker.io from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io iptables ca-certificates >/dev/null
fi

if docker info >/dev/null 2>&1; then
  echo "docker-engine: daemon already answering"
  exit 0
fi

log=${DOCKERD_LOG:-/var/log/dockerd.log}
echo "docker-engine: starting dockerd (log: $log)"
nohup dockerd >"$log" 2>&1 &

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "docker-engine: daemon ready"
    exit 0
  fi
  sleep 1
done
echo "docker-engine: dockerd did not answer within 60 s; last lines of $log:" >&2
tail -n 30 "$log" >&2
exit 1

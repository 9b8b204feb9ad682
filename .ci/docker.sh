#!/usr/bin/env bash
# CI step (called by .ci/run): a Docker engine and the sandbox image, from a fresh Debian machine
# as root. Installs what it needs, starts dockerd, builds inhouse-sandbox:latest (quick when built).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

need=()
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v sha256sum >/dev/null 2>&1 || need+=(coreutils)
[ -f /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
# base-image.sh debootstraps the base when no registry answers; install it here, after apt-get update.
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

bash "$root/scripts/docker-engine.sh"
bash "$root/runner-image/build.sh" "$@"
docker image inspect inhouse-sandbox:latest --format 'ci/docker: inhouse-sandbox:latest {{.Id}} ({{.Size}} bytes)'

#!/usr/bin/env bash
# Builds the sandbox image (default tag inhouse-sandbox:latest). Safe to run again: when an image
# with the same tag already carries the hash of this Dockerfile and CA bundle, nothing is rebuilt.
#
#   bash runner-image/build.sh [--ca-bundle FILE] [--tag TAG]
#   INHOUSE_CA_BUNDLE=FILE bash runner-image/build.sh
#
# The CA bundle is trusted by apt during the build and by curl/pip/npm/git inside the image
# (TLS-intercepting proxies). Default: this machine's /etc/ssl/certs/ca-certificates.crt if present.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tag=${INHOUSE_IMAGE:-inhouse-sandbox:latest}
ca_bundle=${INHOUSE_CA_BUNDLE:-}

while [ $# -gt 0 ]; do
  case "$1" in
    --ca-bundle) ca_bundle=$2; shift 2 ;;
    --ca-bundle=*) ca_bundle=${1#*=}; shift ;;
    --tag) tag=$2; shift 2 ;;
    --tag=*) tag=${1#*=}; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (expected --ca-bundle FILE or --tag TAG)" >&2; exit 2 ;;
  esac
done
if [ -z "$ca_bundle" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  ca_bundle=/etc/ssl/certs/ca-certificates.crt
fi
if [ -n "$ca_bundle" ] && [ ! -r "$ca_bundle" ]; then
  echo "build.sh: CA bundle $ca_bundle is not readable; pass an existing PEM file with --ca-bundle" >&2
  exit 2
fi

if ! docker info >/dev/null 2>&1; then
  echo "build.sh: no Docker engine answers; start one with: bash scripts/docker-engine.sh" >&2
  exit 1
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$here/Dockerfile" "$context/Dockerfile"
if [ -n "$ca_bundle" ]; then cp "$ca_bundle" "$context/extra-ca.pem"; else : >"$context/extra-ca.pem"; fi

hash=$(cat "$context/Dockerfile" "$context/extra-ca.pem" | sha256sum | cut -c1-16)
current=$(docker image inspect --format '{{ index .Config.Labels "inhouse.dockerfile-hash" }}' "$tag" 2>/dev/null || true)
if [ "$current" = "$hash" ]; then
  echo "build.sh: $tag is up to date (hash $hash)"
  exit 0
fi

bash "$here/base-image.sh"
echo "build.sh: building $tag (hash $hash)"
docker build --label "inhouse.dockerfile-hash=$hash" -t "$tag" "$context"
echo "build.sh: built $tag"

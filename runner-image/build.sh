#!/usr/bin/env bash
# Builds the sandbox image (default tag inhouse-sandbox:latest). Safe to run again: when an image
# with the same tag already carries the hash of this Dockerfile and CA bundle, nothing is rebuilt.
#
#   bash runner-image/build.sh [--ca-bundle FILE] [--tag TAG]
#   INHOUSE_CA_BUNDLE=FILE bash runner-image/build.sh
#
# The CA bundle is trusted by apt during the build and by curl/pip/npm/git inside the image
# (TLS-intercepting proxies). Default: this machine's /etc/ssl/certs/ca-certificates.crt if present.
# The allowlist proxy image has its own script: egress-proxy/build.sh (same options).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=build-lib.sh
source "$here/build-lib.sh"
tag=${INHOUSE_IMAGE:-inhouse-sandbox:latest}
ca_bundle=${INHOUSE_CA_BUNDLE:-}

while [ $# -gt 0 ]; do
  case "$1" in
    --ca-bundle) ca_bundle=$2; shift 2 ;;
    --ca-bundle=*) ca_bundle=${1#*=}; shift ;;
    --tag) tag=$2; shift 2 ;;
    --tag=*) tag=${1#*=}; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (expected --ca-bundle FILE or --tag TAG)" >&2; exit 2 ;;
  esac
done
ca_bundle=${ca_bundle:-$(default_ca_bundle)}

build_image_with_ca "$tag" "$ca_bundle" build.sh "$here/Dockerfile"

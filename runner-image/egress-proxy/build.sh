#!/usr/bin/env bash
# Builds the allowlist egress proxy image (default tag inhouse-egress-proxy:latest): Debian's
# Squid, run by the sandbox layer for network profile "allowlist" (see README.md here).
# Same options and idempotence as ../build.sh.
#
#   bash runner-image/egress-proxy/build.sh [--ca-bundle FILE] [--tag TAG]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../build-lib.sh
source "$here/../build-lib.sh"
tag=${INHOUSE_PROXY_IMAGE:-inhouse-egress-proxy:latest}
ca_bundle=${INHOUSE_CA_BUNDLE:-}

while [ $# -gt 0 ]; do
  case "$1" in
    --ca-bundle) ca_bundle=$2; shift 2 ;;
    --ca-bundle=*) ca_bundle=${1#*=}; shift ;;
    --tag) tag=$2; shift 2 ;;
    --tag=*) tag=${1#*=}; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "egress-proxy/build.sh: unknown argument $1 (expected --ca-bundle FILE or --tag TAG)" >&2; exit 2 ;;
  esac
done
ca_bundle=${ca_bundle:-$(default_ca_bundle)}

build_image_with_ca "$tag" "$ca_bundle" egress-proxy/build.sh "$here/Dockerfile" "$here/entrypoint.sh"

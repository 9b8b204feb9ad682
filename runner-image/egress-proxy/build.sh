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

parse_build_args egress-proxy/build.sh 2,6p "$@"

build_image_with_ca "$tag" "$ca_bundle" egress-proxy/build.sh "$here/Dockerfile" "$here/entrypoint.sh" "$here/../apt-install.sh"

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

parse_build_args build.sh 2,10p "$@"

build_image_with_ca "$tag" "$ca_bundle" build.sh "$here/Dockerfile" "$here/apt-install.sh"

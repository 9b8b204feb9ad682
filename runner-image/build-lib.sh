#!/usr/bin/env bash
# Shared by build.sh (sandbox image) and egress-proxy/build.sh (allowlist proxy image): pick the CA
# bundle, check the engine, and build a directory's Dockerfile with the bundle as extra-ca.pem,
# skipping the build when the tagged image already carries the same content hash.
#
#   source runner-image/build-lib.sh
#   build_image_with_ca <tag> <ca-bundle-or-empty> <log-name> <Dockerfile> [other context files...]
#
# The hash covers the context files in name order, then the CA bundle (for the sandbox image that
# is exactly "Dockerfile + bundle", the hash build.sh has always used).

# Reads `--ca-bundle FILE` and `--tag TAG` (also `--opt=value`) into $ca_bundle and $tag, which the
# caller set to its defaults; the bundle falls back to this machine's when none was given.
#   parse_build_args <log-name> <help-lines> "$@"
parse_build_args() {
  local name=$1 help=$2
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      --ca-bundle) ca_bundle=$2; shift 2 ;;
      --ca-bundle=*) ca_bundle=${1#*=}; shift ;;
      --tag) tag=$2; shift 2 ;;
      --tag=*) tag=${1#*=}; shift ;;
      -h|--help) sed -n "$help" "$0"; exit 0 ;;
      *) echo "$name: unknown argument $1 (expected --ca-bundle FILE or --tag TAG)" >&2; exit 2 ;;
    esac
  done
  ca_bundle=${ca_bundle:-$(default_ca_bundle)}
}

default_ca_bundle() {
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then echo /etc/ssl/certs/ca-certificates.crt; fi
}

build_image_with_ca() {
  local tag=$1 ca_bundle=$2 name=$3
  shift 3
  if [ -n "$ca_bundle" ] && [ ! -r "$ca_bundle" ]; then
    echo "$name: CA bundle $ca_bundle is not readable; pass an existing PEM file with --ca-bundle" >&2
    return 2
  fi
  if ! docker info >/dev/null 2>&1; then
    echo "$name: no Docker engine answers; start one with: bash scripts/docker-engine.sh" >&2
    return 1
  fi

  local context
  context=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: $context is local
  trap "rm -rf '$context'" RETURN
  cp "$@" "$context/"
  if [ -n "$ca_bundle" ]; then cp "$ca_bundle" "$context/extra-ca.pem"; else : >"$context/extra-ca.pem"; fi

  local hash current
  hash=$(cd "$context" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 cat | sha256sum | cut -c1-16)
  current=$(docker image inspect --format '{{ index .Config.Labels "inhouse.dockerfile-hash" }}' "$tag" 2>/dev/null || true)
  if [ "$current" = "$hash" ]; then
    echo "$name: $tag is up to date (hash $hash)"
    return 0
  fi

  bash "$(dirname "${BASH_SOURCE[0]}")/base-image.sh"
  echo "$name: building $tag (hash $hash)"
  docker build --label "inhouse.dockerfile-hash=$hash" -t "$tag" "$context"
  echo "$name: built $tag"
}

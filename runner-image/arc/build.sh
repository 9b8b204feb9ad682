#!/usr/bin/env bash
# Builds the ARC runner image (default tag inhouse-arc-runner:latest): the actions-runner image's
# shape on debian:bookworm-slim, plus git, tar, node on PATH and the inhouse action (Dockerfile).
#
#   bash runner-image/arc/build.sh [--runner-version V] [--runner-tarball FILE] [--ca-bundle FILE] [--tag TAG]
#
# The base image comes from ../base-image.sh (debootstrap from the Debian archive) when no registry
# answers, as for the sandbox image. The runner release is downloaded from GitHub
# (actions/runner releases) unless --runner-tarball names a copy; where neither a registry nor
# github.com answers (this project's CI), download it elsewhere and pass it. Push the result to
# your registry and name it in values.yaml (template.spec.containers[runner].image).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tag=${INHOUSE_ARC_IMAGE:-inhouse-arc-runner:latest}
ca_bundle=${INHOUSE_CA_BUNDLE:-}
runner_version=2.328.0
runner_tarball=""

die() { echo "arc/build.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --runner-version) runner_version=$2; shift 2 ;;
    --runner-tarball) runner_tarball=$2; shift 2 ;;
    --ca-bundle) ca_bundle=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
if [ -z "$ca_bundle" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then ca_bundle=/etc/ssl/certs/ca-certificates.crt; fi
[ -z "$ca_bundle" ] || [ -r "$ca_bundle" ] || die "CA bundle $ca_bundle is not readable; pass an existing PEM file with --ca-bundle"
[ -f "$root/action/dist/main.js" ] || die "action/dist is missing; run npm run build first"
docker info >/dev/null 2>&1 || die "no Docker engine answers; start one with: bash scripts/docker-engine.sh"

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
tarball="actions-runner-linux-x64-$runner_version.tar.gz"
if [ -z "$runner_tarball" ]; then
  runner_tarball="$context/$tarball"
  curl -fsSL -o "$runner_tarball" "https://github.com/actions/runner/releases/download/v$runner_version/$tarball" ||
    die "could not download $tarball from github.com; download it elsewhere and pass --runner-tarball FILE"
fi
[ -f "$runner_tarball" ] || die "--runner-tarball $runner_tarball does not exist; pass the path of $tarball"
mkdir -p "$context/actions-runner" "$context/inhouse-action/action"
tar -xzf "$runner_tarball" -C "$context/actions-runner"
[ -x "$context/actions-runner/run.sh" ] || die "$runner_tarball holds no run.sh: is it an actions/runner release?"
[ -x "$context/actions-runner/externals/node24/bin/node" ] ||
  die "runner $runner_version has no externals/node24: the action runs on node24 (runner 2.327.1 or later)"
cp "$here/Dockerfile" "$here/../apt-install.sh" "$context/"
cp "$root/action.yml" "$context/inhouse-action/"
cp -r "$root/action/dist" "$context/inhouse-action/action/"
if [ -n "$ca_bundle" ]; then cp "$ca_bundle" "$context/extra-ca.pem"; else : >"$context/extra-ca.pem"; fi

bash "$here/../base-image.sh"
echo "arc/build.sh: building $tag (runner $runner_version)"
docker build -t "$tag" "$context"
echo "arc/build.sh: built $tag; push it to your registry and set it in values.yaml"

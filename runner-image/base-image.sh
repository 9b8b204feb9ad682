#!/usr/bin/env bash
# Makes sure `debian:bookworm-slim` exists locally. With a reachable registry it is pulled as usual;
# without one (air-gapped runners, this project's CI) it is built from the Debian archive with
# debootstrap, using the mirror from this machine's apt sources, and imported under that tag.
set -euo pipefail
tag=${BASE_IMAGE:-debian:bookworm-slim}

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base-image: $tag already present"
  exit 0
fi
if timeout 20 docker pull -q "$tag" >/dev/null 2>&1; then
  echo "base-image: pulled $tag"
  exit 0
fi

echo "base-image: no registry answered; building $tag from the Debian archive"
if ! command -v debootstrap >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(grep -rhoE '^URIs: *\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
fi
if [ -z "$mirror" ]; then
  mirror=$(grep -hoE '^deb +\S+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase bookworm "$root" "$mirror" >/tmp/debootstrap.log 2>&1 || {
  echo "base-image: debootstrap failed; see /tmp/debootstrap.log" >&2
  tail -n 20 /tmp/debootstrap.log >&2
  exit 1
}
# The official slim image points apt at the archive; keep the mirror we used so later apt-get works.
echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - "$tag" >/dev/null
echo "base-image: imported $tag"

#!/usr/bin/env bash
# gVisor for the runsc sandbox suites: Debian's runsc, registered with dockerd as `runsc` (runc stays
# the default). Before the engine starts it only writes /etc/docker/daemon.json; a running engine reloads.
set -euo pipefail
bash "$(dirname "$0")/../../scripts/gvisor-runtime.sh"

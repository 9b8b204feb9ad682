#!/bin/sh
# Writes the squid.conf the sandbox layer generated to the tmpfs and runs Squid in the foreground.
set -eu
if [ -z "${INHOUSE_SQUID_CONF:-}" ]; then
  echo "inhouse-egress-proxy: INHOUSE_SQUID_CONF is empty; start this image through action/sandbox" >&2
  exit 2
fi
printf '%s\n' "$INHOUSE_SQUID_CONF" >/tmp/squid.conf
squid -k parse -f /tmp/squid.conf
exec squid -N -f /tmp/squid.conf

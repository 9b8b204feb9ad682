#!/bin/sh
# Installs Debian packages while an image builds, the one way every inhouse image does it
# (the sandbox, the egress proxy, the ARC runner):
#
#   COPY extra-ca.pem apt-install.sh /usr/local/share/inhouse/
#   RUN sh /usr/local/share/inhouse/apt-install.sh PACKAGE...
#
# The build script puts a PEM bundle in extra-ca.pem (possibly empty). Behind a TLS-intercepting
# proxy apt must trust its CA to fetch anything, and so must the tools in the finished image: when
# the bundle is not empty, apt is told to trust it, and when the packages brought
# update-ca-certificates, the bundle joins the system store. apt's lists, downloaded packages and
# docs are removed afterwards so the layer holds only what was installed.
set -eux
ca=/usr/local/share/inhouse/extra-ca.pem
apt_ca=""
if [ -s "$ca" ]; then apt_ca="-o Acquire::https::CAInfo=$ca"; fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # $apt_ca is empty or two words on purpose
apt-get $apt_ca update
# shellcheck disable=SC2086
apt-get $apt_ca install -y --no-install-recommends "$@"
if [ -s "$ca" ] && command -v update-ca-certificates >/dev/null; then
  cp "$ca" /usr/local/share/ca-certificates/inhouse-extra.crt
  update-ca-certificates
fi
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/* /usr/share/doc/* /usr/share/man/*

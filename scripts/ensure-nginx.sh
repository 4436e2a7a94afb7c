#!/usr/bin/env bash
# The edge tests run the repository's edge/nginx.conf with a local nginx binary
# (their own instance, on free loopback ports). Install it from the Debian
# packages when it is missing.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
echo "Installing nginx from the Debian packages (for the edge tests)..."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null

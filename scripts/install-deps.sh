#!/usr/bin/env bash
# Installs the Debian packages Homeshore needs to build and test, when they are missing.
set -euo pipefail
# chromium runs the dashboard browser test; fonts-liberation lets it draw legible text even where
# apt is set not to install recommended packages. python3's csv module reads the creditor export
# back in a test, as a reader that is not ours.
needed=(libsqlite3-dev libssl-dev zlib1g-dev sqlite3 ca-certificates curl chromium fonts-liberation python3)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing missing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"

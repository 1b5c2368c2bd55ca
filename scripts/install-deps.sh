#!/usr/bin/env bash
# Installs the Debian packages Homeshore needs to build and test, when they are missing, and the
# Python virtual environment of the API checks (.venv-api/, schemathesis), when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium runs the dashboard browser test; fonts-liberation lets it draw legible text even where
# apt is set not to install recommended packages. python3's csv module reads the creditor export
# back in a test, as a reader that is not ours. python3-venv builds .venv-api for the API fuzzer.
# faketime runs the whole suite at a chosen hour and date (a Sunday night, a daylight-saving change)
# to show that no test depends on when it runs. strace shows that local client commands open no
# socket and start no thread (LocalCommandCostTests); gdb lets the test watchdog print the threads of
# a hung test process.
needed=(libsqlite3-dev libssl-dev zlib1g-dev sqlite3 ca-certificates curl chromium fonts-liberation python3 python3-venv faketime strace gdb)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# The API contract check and fuzzer (scripts/api/) run in their own virtual environment, built
# with Debian's python3 so it does not depend on whatever python a shell finds first. The pinned
# versions are written to a stamp file: when it matches, nothing is done (no network, < 0.1 s).
VENV=.venv-api
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"
requirements=(schemathesis==4.32.5)
stamp="$VENV/.homeshore-requirements"
if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "${requirements[*]}" ]; then
  exit 0
fi
echo "Creating the API check environment $VENV (${requirements[*]})"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${requirements[@]}"
printf '%s' "${requirements[*]}" >"$stamp"

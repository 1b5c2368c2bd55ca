#!/usr/bin/env bash
# Runs the whole test suite with the wall clock of every process (test runner, hubs, clients,
# Chromium) starting at a chosen UTC instant and running on from there:
#   scripts/test-at.sh "2026-12-06 02:00:00"      # 03:00 on a Sunday in Paris
# Needs Debian's faketime (scripts/install-deps.sh) and a built tree (swift build --build-tests).
#
# Three things make libfaketime 0.9.10 usable with Swift here:
# - the "+SECONDS" offset form, not "@DATE": with "@" every new process starts again at DATE, so a
#   client's clock would be behind the hub's that enrolled it;
# - FAKETIME_DONT_FAKE_MONOTONIC=1: durations, sleeps and timeouts keep the real monotonic clock;
# - timerfd_passthrough.so, preloaded before libfaketime: its timerfd_settime wrapper shifts absolute
#   deadlines on monotonic timers by the offset, which libdispatch rejects (EINVAL), so every Swift
#   Task.sleep would hang forever.
set -euo pipefail
target="${1:?usage: test-at.sh 'YYYY-MM-DD HH:MM:SS' (UTC)}"
here="$(cd "$(dirname "$0")" && pwd)"
shim="$(mktemp -d)/timerfd_passthrough.so"
"${CC:-clang}" -shared -fPIC -O2 -o "$shim" "$here/faketime/timerfd_passthrough.c"
offset=$(( $(date -u -d "$target" +%s) - $(date -u +%s) ))
echo "Running the suite from $(TZ=Europe/Paris date -d "@$(( $(date +%s) + offset ))" '+%a %F %T %Z') (offset ${offset} s)."
export LD_PRELOAD="$shim${LD_PRELOAD:+:$LD_PRELOAD}" FAKETIME_DONT_FAKE_MONOTONIC=1
cd "$here/.."
exec faketime -f "+${offset}" ${SWIFT:-swift} test --skip-build

#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (the real
# Secret Service) and fresh XDG dirs, so tests use a real OS keychain and never touch the
# user's own. Usage: scripts/with-keyring.sh <command> [args...]
set -euo pipefail
if [ "${PULSEMAP_IN_KEYRING_SESSION:-}" = 1 ]; then exec "$@"; fi
tmp=$(mktemp -d)
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export PULSEMAP_IN_KEYRING_SESSION=1
status=0
dbus-run-session -- bash -c 'echo -n pulsemap-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' bash "$@" || status=$?
rm -rf "$tmp"
exit $status

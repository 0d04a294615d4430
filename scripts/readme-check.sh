#!/usr/bin/env bash
# Runs the README's command-line block exactly as written (the ```sh block under
# "## Command line"), in a private keychain session like a headless machine needs, and checks
# that it lists the simulator's surveys. Fails when the README's commands do not work as pasted.
set -euo pipefail
cd "$(dirname "$0")/.."
block=$(awk '/^## Command line/{s=1} s&&/^```sh$/{b=1;next} b&&/^```$/{exit} b' README.md)
[ -n "$block" ] || { echo "readme-check: no sh block under '## Command line' in README.md" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Its own process group, so whatever the block leaves running (e.g. a simulator it never
# stops) is ended afterwards; a block that hangs fails after 10 minutes.
setsid scripts/with-keyring.sh bash -euo pipefail -c "$block" >"$log" 2>&1 &
pid=$!
for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
kill -- -"$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
out=$(cat "$log")
if [ "$status" != 0 ]; then
  echo "$out" >&2
  echo "readme-check: the README's command-line block failed with status $status (above)" >&2
  exit 1
fi
# It must connect, list the simulator's surveys, and never mark the connection failed.
if ! grep -q "^Connected as " <<<"$out" || ! grep -q "^SV_.*Website Pulse" <<<"$out" \
  || grep -qiE "^(error|state: *failed)" <<<"$out"; then
  echo "$out" >&2
  echo "readme-check: the block ran but did not list the simulator's surveys cleanly" >&2
  exit 1
fi
echo "ok: README command-line block works as pasted"

#!/usr/bin/env bash
# Sets up and runs the Pulsemap desktop app. With no Qualtrics account configured it starts in
# demo mode on the bundled simulator. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd ui && npm run build --silent)
cargo build -p pulsemap-app
app=target/debug/pulsemap-app
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run-app: no display found; running under Xvfb (headless)" >&2
  exec xvfb-run -a "$app" "$@"
fi
exec "$app" "$@"

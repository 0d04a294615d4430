#!/usr/bin/env bash
# End-to-end tests of the real Pulsemap desktop app: builds the UI and the app, installs
# tauri-driver if missing, then runs `src-tauri/tests/e2e.rs` (PULSEMAP_E2E=1) under a virtual
# X display and a private unlocked gnome-keyring (the real Secret Service).
# Screenshots land in target/e2e-screenshots/. Extra arguments go to the test binary.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd ui && npm run build --silent)

if ! command -v tauri-driver >/dev/null; then
  echo "e2e: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
command -v WebKitWebDriver >/dev/null || {
  echo "e2e: WebKitWebDriver missing (Debian package webkit2gtk-driver; see scripts/setup.sh --tests)" >&2
  exit 1
}

# Build first so the test run below does not race the build against its own timeouts.
# `--workspace` (not `-p pulsemap-app`) keeps the feature set of `cargo test --workspace`,
# so the dependencies built by the Rust test step are reused instead of built a second time.
cargo build --workspace --tests --bins

rm -rf target/e2e-screenshots
export PULSEMAP_E2E=1
exec xvfb-run -a --server-args="-screen 0 1600x1000x24" \
  scripts/with-keyring.sh cargo test --workspace --test e2e -- --nocapture --test-threads=1 "$@"

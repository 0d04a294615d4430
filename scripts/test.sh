#!/usr/bin/env bash
# Sets up and runs every Pulsemap check: formatting, lints, UI unit tests, all Rust tests
# (against the bundled simulator over loopback and a private real Secret Service), stale
# ts-rs bindings, the no-tauri-in-core rule, and the end-to-end tests of the real app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests

step() { printf '\n==> %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "UI: typecheck, unit tests, build"
(cd ui && npm run typecheck && npm test && npm run build)

step "clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "core and qualtrics do not depend on tauri"
for p in pulsemap-core qualtrics qualtrics-sim pulsemap-cli; do
  if cargo tree -p "$p" -i tauri --locked >/dev/null 2>&1; then
    echo "error: $p depends on tauri" >&2; exit 1
  fi
done
echo "ok"

step "Rust tests (real Secret Service in a private D-Bus session)"
scripts/with-keyring.sh cargo test --workspace --locked

step "ts-rs bindings are up to date"
if [ -n "$(git status --porcelain -- ui/src/ipc/bindings)" ]; then
  git status --porcelain -- ui/src/ipc/bindings
  echo "error: ui/src/ipc/bindings is stale; run cargo test -p pulsemap-core and commit the result" >&2
  exit 1
fi
echo "ok"

step "end-to-end tests of the real app"
scripts/e2e.sh

step "all checks passed"

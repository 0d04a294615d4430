#!/usr/bin/env bash
# Sets up and runs every Pulsemap check: formatting, lints, UI unit tests, all Rust tests
# (against the bundled simulator over loopback and a private real Secret Service), stale
# ts-rs bindings, the no-tauri-in-core rule, the end-to-end tests of the real app, and the
# install-launch-remove test of the .deb package.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
# Incremental compilation caches only help repeated local builds; on a fresh machine they
# would add about 1.7 GB to target/.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

step() { printf '\n==> %s\n' "$*"; }

step "the repository stands alone (nothing names a folder beside it)"
# A user's clone has nothing beside it: reference material outside the repository must be
# copied in (crates/qualtrics/tests/fixtures/recorded/), never read from where it lies.
outside='\.\./shared'
if hits=$(git grep -nE "$outside" -- crates src-tauri benches scripts ui ':!ui/package-lock.json'); then
  echo "$hits" >&2
  echo "error: the files above read outside the repository" >&2
  exit 1
fi
echo "ok"

step "rustfmt"
cargo fmt --all -- --check

step "UI: typecheck + ipc boundary, unit tests, build, browser checks (headless Chromium)"
(cd ui && npm run lint && npm test && npm run test:browser)

step "clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "core and qualtrics do not depend on tauri"
# `cargo tree -i tauri` fails with "did not match any packages" when tauri is not among a
# package's dependencies; any other outcome (a tree, or another error) fails the check.
for p in pulsemap-core qualtrics qualtrics-sim pulsemap-cli; do
  out=$(cargo tree -p "$p" -i tauri --locked -e normal,build,dev 2>&1 || true)
  if ! grep -q "did not match any packages" <<<"$out"; then
    echo "error: $p depends on tauri (or cargo tree failed):" >&2
    echo "$out" >&2
    exit 1
  fi
done
out=$(cargo tree -p pulsemap-app -i tauri --locked 2>&1)
grep -q "^tauri v2" <<<"$out" || { echo "error: the check itself is broken: $out" >&2; exit 1; }
echo "ok: only src-tauri depends on tauri"

step "Rust tests (real Secret Service in a private D-Bus session)"
scripts/with-keyring.sh cargo test --workspace --locked

step "the README's command-line block works as pasted"
scripts/readme-check.sh

step "ts-rs bindings are up to date"
if [ -n "$(git status --porcelain -- ui/src/ipc/bindings)" ]; then
  git status --porcelain -- ui/src/ipc/bindings
  echo "error: ui/src/ipc/bindings is stale; run cargo test -p pulsemap-core -p pulsemap-app --lib and commit the result" >&2
  exit 1
fi
echo "ok"

step "end-to-end tests of the real app"
scripts/e2e.sh

step "the Linux package installs, runs and removes cleanly"
start=$SECONDS
scripts/package-test.sh
echo "package test took $((SECONDS - start)) s"

step "all checks passed"

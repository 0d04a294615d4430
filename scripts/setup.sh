#!/usr/bin/env bash
# Installs what Pulsemap needs on a fresh Debian machine, skipping what is already there.
#   scripts/setup.sh          build + run dependencies (Rust toolchain must exist: rustup)
#   scripts/setup.sh --tests  also what the test suite needs (keyring, Xvfb, WebDriver, tauri-driver)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

pkgs=(build-essential pkg-config file curl libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev
      librsvg2-dev libayatana-appindicator3-dev libxdo-dev dbus dbus-x11 gnome-keyring
      fonts-dejavu-core xvfb xauth)
if [ "$want_tests" = 1 ]; then
  pkgs+=(webkit2gtk-driver imagemagick unzip poppler-utils chromium)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup first" >&2; exit 1; }
rustup component add rustfmt clippy >/dev/null 2>&1 || true
command -v node >/dev/null || { echo "setup: node (>= 20) not found; install Node.js first" >&2; exit 1; }

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing UI dependencies"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$want_tests" = 1 ] && ! command -v tauri-driver >/dev/null; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
echo "setup: ok"

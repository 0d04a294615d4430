#!/usr/bin/env bash
# The installable package, end to end: builds the debug .deb (scripts/package.sh --debug,
# reusing the test build), installs it with apt, checks its contents, runs the installed
# `pulsemap --version`, starts the installed app under Xvfb in demo mode and checks through
# tauri-driver that the sample map paints (screenshot in target/e2e-screenshots/), then removes
# the package and checks nothing of it is left.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
fail() { echo "package-test: $*" >&2; exit 1; }

made=$(scripts/package.sh --debug)
deb=$(grep '\.deb$' <<<"$made" | head -n1)
[ -f "$deb" ] || fail "no .deb was made"
grep -q '\.rpm$' <<<"$made" || fail "no .rpm was made"
name=$(dpkg-deb -f "$deb" Package)
echo "package-test: $deb (package $name)"

dpkg-query -W "$name" >/dev/null 2>&1 && fail "$name is already installed; remove it first"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$(realpath "$deb")" >/dev/null
removed=0
cleanup() { [ "$removed" = 1 ] || $SUDO apt-get remove -y -qq "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT

files=$(dpkg -L "$name")
for f in /usr/bin/pulsemap-app /usr/bin/pulsemap /usr/share/icons/hicolor/128x128/apps/pulsemap-app.png; do
  grep -qx "$f" <<<"$files" || { echo "$files" >&2; fail "the package lacks $f"; }
done
desktop=$(grep -E '^/usr/share/applications/.*\.desktop$' <<<"$files" | head -n1)
[ -n "$desktop" ] || fail "the package has no .desktop entry"
grep -q '^Exec=pulsemap-app' "$desktop" || { cat "$desktop" >&2; fail "the .desktop entry does not start pulsemap-app"; }
grep -q '^Icon=pulsemap-app' "$desktop" || fail "the .desktop entry has no icon"

version=$(cd / && pulsemap --version)
[ "$version" = "pulsemap $(dpkg-deb -f "$deb" Version)" ] || fail "installed pulsemap --version said '$version'"
echo "package-test: installed CLI: $version"

PULSEMAP_E2E=1 PULSEMAP_INSTALLED_APP=/usr/bin/pulsemap-app \
  xvfb-run -a --server-args="-screen 0 1600x1000x24" \
  scripts/with-keyring.sh cargo test --workspace --test e2e installed_ -- --nocapture --test-threads=1

DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq "$name" >/dev/null
removed=1
dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed" && fail "$name is still installed"
while read -r f; do
  [ -f "$f" ] && fail "$f is still there after removal"
done <<<"$files"
command -v pulsemap >/dev/null && fail "pulsemap is still on PATH after removal"
# Disk is scarce on CI: the packages and the bundler's staging trees (~160 MB) go too.
rm -rf "$(dirname "$(dirname "$deb")")"
echo "ok: package installs, runs and removes cleanly"

#!/usr/bin/env bash
# Builds the installable Linux packages of Pulsemap with Tauri's own bundler (the `tauri` CLI
# from ui/node_modules, @tauri-apps/cli): a .deb and an .rpm holding the app
# (/usr/bin/pulsemap-app), the `pulsemap` command line (/usr/bin/pulsemap), a .desktop entry
# and the icons from icons/. Everything is built offline.
#   scripts/package.sh          release build  -> <target>/release/bundle/{deb,rpm}/
#   scripts/package.sh --debug  debug build, reusing the test suite's build (CI)
# Prints the path of each package made, one a line, last.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
cargo_flags=(--release)
bundle_flags=()
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  cargo_flags=()
  bundle_flags=(--debug)
fi

scripts/setup.sh >/dev/null
(cd ui && npm run build --silent)
# The same package set and features as `cargo build --workspace` in the test suite, so a debug
# package reuses what the tests built.
cargo build --workspace --bins "${cargo_flags[@]}"

target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$target_dir" ] || { echo "package: cannot find cargo's target directory" >&2; exit 1; }
cli="$target_dir/$profile/pulsemap"
[ -x "$cli" ] || { echo "package: $cli was not built" >&2; exit 1; }

# The CLI rides along as an extra file of each package (its path depends on the target dir).
extra=$(printf '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/pulsemap":"%s"}},"rpm":{"files":{"/usr/bin/pulsemap":"%s"}}}}}' "$cli" "$cli")
out="$target_dir/$profile/bundle"
rm -rf "$out/deb" "$out/rpm"
CI=true ui/node_modules/.bin/tauri bundle "${bundle_flags[@]}" --bundles deb,rpm --config "$extra" >&2
ls "$out"/deb/*.deb "$out"/rpm/*.rpm

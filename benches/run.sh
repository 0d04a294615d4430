#!/usr/bin/env bash
# Runs the Pulsemap benchmark suite (see docs/BENCHMARKS.md) and prints Markdown figures.
#
#   benches/run.sh                      # sizes 10k, 100k, 1M; Python comparison included
#   benches/run.sh --sizes 10000        # any `pulsemap-bench run` option passes through
#
# Builds the release binaries, creates target/bench-venv with the Python `qualtrics` 0.4.2
# package if missing, and runs inside a private unlocked keyring session (the CLI stores
# the simulator token in the Secret Service). Figures also go to target/bench-results.json.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import qualtrics' 2>/dev/null; then
  echo "==> creating $venv with qualtrics==0.4.2" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'qualtrics==0.4.2'
fi

echo "==> building release binaries" >&2
cargo build --release -p pulsemap-cli -p qualtrics-sim -p pulsemap-bench >&2

# Binaries live in CARGO_TARGET_DIR when it is set (a worktree's own target dir).
exec scripts/with-keyring.sh "${CARGO_TARGET_DIR:-target}/release/pulsemap-bench" run "$@"

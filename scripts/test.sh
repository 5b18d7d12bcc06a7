#!/usr/bin/env bash
# The README's test command: installs missing build packages (as root),
# configures, builds and runs every test.
#   scripts/test.sh [PRESET]      PRESET: release (default), dev or asan
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
ensure_build_deps

preset=${1:-release}
jobs=$(nproc 2>/dev/null || echo 2)
echo "==> configure ($preset)"
cmake --preset "$preset" >/dev/null
echo "==> build ($preset)"
cmake --build --preset "$preset" -j "$jobs"
if [ ! -d ../shared/data ] || [ ! -d ../shared/golden ]; then
  echo "note: ../shared/data or ../shared/golden is absent; the tests that need them will be skipped" >&2
fi
echo "==> test ($preset)"
ctest --preset "$preset" -j "$jobs"

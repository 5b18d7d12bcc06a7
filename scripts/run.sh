#!/usr/bin/env bash
# The README's run command: builds Kite if needed and runs its main job. For
# now that is kite-kt on the bundled example: fit BKT on a class's answers,
# then evaluate it on answers it has not seen.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
ensure_build_deps

build=build/release
if [ ! -x "$build/app/kite-kt" ] || [ -n "$(find app engine CMakeLists.txt -newer "$build/app/kite-kt" -print -quit 2>/dev/null)" ]; then
  echo "==> building kite-kt"
  cmake --preset release >/dev/null
  cmake --build --preset release --target kite-kt -j "$(nproc 2>/dev/null || echo 2)"
fi
kt=$build/app/kite-kt
example=resources/examples
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo
echo "==> kite-kt bkt fit $example/fractions_train.csv --out params.json"
"$kt" bkt fit "$example/fractions_train.csv" --out "$out/params.json"
echo
echo "==> kite-kt bkt eval params.json $example/fractions_test.csv"
"$kt" bkt eval "$out/params.json" "$example/fractions_test.csv"
echo
echo "Parameters are in PARAMS.json (docs/formats.md). Try your own data:"
echo "  $kt bkt fit TRAIN.csv --out params.json && $kt bkt eval params.json TEST.csv"

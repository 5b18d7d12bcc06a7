#!/usr/bin/env bash
# The README's run command: builds Kite if needed and runs what there is so
# far: the sample course checked, a simulated class studying it through the
# real study loop and store, and kite-kt fitting BKT on a class's answers.
# (The desktop app and the server replace this as they arrive.)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
ensure_build_deps

build=build/release
stamp=$build/app/kite-sim
if [ ! -x "$stamp" ] || [ -n "$(find app engine sync CMakeLists.txt -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "==> building kite-kt, kite-pack, kite-sim"
  cmake --preset release >/dev/null
  cmake --build --preset release --target kite-kt kite-pack kite-sim -j "$(nproc 2>/dev/null || echo 2)"
fi
kt=$build/app/kite-kt
example=resources/examples
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo
echo "==> kite-pack check resources/courses/fractions"
"$build/app/kite-pack" check resources/courses/fractions
echo
echo "==> kite-sim run: a class of 5 answers 1,000 items of the sample course"
"$build/app/kite-sim" run --profile "$out/classroom" --learners 5 --answers 1000

echo
echo "==> kite-kt bkt fit $example/fractions_train.csv --out params.json"
"$kt" bkt fit "$example/fractions_train.csv" --out "$out/params.json"
echo
echo "==> kite-kt bkt eval params.json $example/fractions_test.csv"
"$kt" bkt eval "$out/params.json" "$example/fractions_test.csv"
echo
echo "Parameters are in PARAMS.json (docs/formats.md). Try your own data:"
echo "  $kt bkt fit TRAIN.csv --out params.json && $kt bkt eval params.json TEST.csv"

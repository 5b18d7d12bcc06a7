#!/bin/bash
# The push load benchmark of docs/BENCHMARKS.md: a fresh kite-server on
# loopback (embedded defaults, its own temporary data folder) and load_push
# against it; prints load_push's JSON and then the server's stats.
#
#   bench/load_server.sh BUILD_DIR [load_push options...]
#   bench/load_server.sh build/release --devices 1000 --batch 20 --seconds 30 --rate 20000
#
# KITE_SERVER_WRAP="perf record -g -o F --" profiles the server.
set -euo pipefail
build=${1:?usage: load_server.sh BUILD_DIR [load_push options]}
shift
server=$build/app/kite-server
load=$build/bench/load_push
for b in "$server" "$load"; do
  [[ -x $b ]] || { echo "load_server.sh: $b is missing: build the project with benchmarks on" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
code=$("$server" init --data "$work/data" --school "Load School" --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["enrollment_code"])')
${KITE_SERVER_WRAP:-} "$server" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
address=$(sed -n 's|.*listening on http://||p' "$work/serve.out")
[[ -n $address ]] || { echo "load_server.sh: kite-server did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }
if ! "$load" --server "$address" --code "$code" "$@"; then
  echo "load_server.sh: load_push failed; the server's last words:" >&2
  tail -5 "$work/serve.err" >&2
fi
"$server" stats --data "$work/data" --json

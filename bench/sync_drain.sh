#!/bin/bash
# Long offline (docs/BENCHMARKS.md, "The sync engine"): a profile with N
# answers waiting drains to a fresh local kite-server through the real sync
# engine (kite-sim sync); prints the wall time and the client's peak memory.
#
#   bench/sync_drain.sh BUILD_DIR [ANSWERS]     (default 100000)
#
# The profile is made once per ANSWERS in $TMPDIR/kite-drain-N (kite-sim run,
# offline: minutes for 100,000) and copied for each run.
set -euo pipefail
build=${1:?usage: sync_drain.sh BUILD_DIR [ANSWERS]}
answers=${2:-100000}
sim=$build/app/kite-sim
server=$build/app/kite-server
for b in "$sim" "$server"; do [[ -x $b ]] || { echo "sync_drain.sh: $b is missing: build first" >&2; exit 2; }; done
profile=${TMPDIR:-/tmp}/kite-drain-$answers
if [[ ! -f $profile/kite.db ]]; then
  echo "sync_drain.sh: recording $answers answers offline into $profile (once)" >&2
  "$sim" run --profile "$profile" --learners 30 --answers "$answers" >&2
fi
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$profile" "$work/profile"
"$server" init --data "$work/data" --school "Drain School" --json >"$work/school.json"
code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enrollment_code"])' "$work/school.json")
"$server" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
address=$(sed -n 's|.*listening on ||p' "$work/serve.out")
/usr/bin/time -f "drained in %e s; kite-sim peak memory %M KB" \
  "$sim" sync --profile "$work/profile" --server "$address" --enroll "$code" --json --timeout 300
"$server" stats --data "$work/data" --json
echo

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
[[ -x $sim ]] || { echo "sync_drain.sh: $sim is missing: build first" >&2; exit 2; }
profile=${TMPDIR:-/tmp}/kite-drain-$answers
if [[ ! -f $profile/kite.db ]]; then
  echo "sync_drain.sh: recording $answers answers offline into $profile (once)" >&2
  "$sim" run --profile "$profile" --learners 30 --answers "$answers" >&2
fi
source "$(dirname "$0")/server.sh"
kite_server_start "$build" "Drain School"
cp -r "$profile" "$work/profile"
/usr/bin/time -f "drained in %e s; kite-sim peak memory %M KB" \
  "$sim" sync --profile "$work/profile" --server "http://$address" --enroll "$code" --json --timeout 300
"$server" stats --data "$work/data" --json
echo

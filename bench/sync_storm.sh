#!/bin/bash
# Reconnect storm (docs/BENCHMARKS.md, "The sync engine"): DEVICES profiles,
# each with ANSWERS answers recorded offline, come online at once and sync to
# a fresh local kite-server through the real sync engine (bench/sync_storm).
# Prints each device's time to get up to date, the server's stats and its
# own latency histograms.
#
#   bench/sync_storm.sh BUILD_DIR [DEVICES] [ANSWERS]     (default 1000 100)
#
# The profiles are recorded once per DEVICES and ANSWERS into
# $TMPDIR/kite-storm-DEVICES-ANSWERS (kite-sim run, one learner each: a
# couple of minutes for 1,000) and copied for each run. The server has the
# sample course, so that each device's first pull offers it.
set -euo pipefail
build=${1:?usage: sync_storm.sh BUILD_DIR [DEVICES] [ANSWERS]}
devices=${2:-1000}
answers=${3:-100}
sim=$build/app/kite-sim
storm=$build/bench/sync_storm
for b in "$sim" "$storm"; do
  [[ -x $b ]] || { echo "sync_storm.sh: $b is missing: build the project with benchmarks on" >&2; exit 2; }
done
profiles=${TMPDIR:-/tmp}/kite-storm-$devices-$answers
if [[ ! -f $profiles/complete ]]; then
  echo "sync_storm.sh: recording $devices profiles of $answers answers offline into $profiles (once)" >&2
  rm -rf "$profiles"
  mkdir -p "$profiles"
  seq -w 1 "$devices" | xargs -P "$(nproc)" -I{} \
    "$sim" run --profile "$profiles/device-{}" --learners 1 --answers "$answers" --seed {} >/dev/null
  touch "$profiles/complete"
fi
source "$(dirname "$0")/server.sh"
export KITE_SERVER_RETRAIN_EVERY=${KITE_SERVER_RETRAIN_EVERY:-0}
kite_server_start "$build" "Storm School"
"$server" course import --data "$work/data" "$(dirname "$0")/../resources/courses/fractions" >/dev/null
cp -r "$profiles" "$work/profiles"
rm -f "$work/profiles/complete"
"$storm" --server "http://$address" --code "$code" --profiles "$work/profiles" || status=$?
"$server" stats --data "$work/data" --json
echo
kite_server_metrics push pull stream lag write_wait_push
exit "${status:-0}"

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
for b in "$sim" "$storm" "$build/bench/load_push"; do
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
# Bystanders: 20 devices already online keep pushing 5 answers each, 200
# answers a second in all, through the storm (load_push); their push latency
# is what a student in another class sees meanwhile.
"$build/bench/load_push" --server "$address" --code "$code" --devices 20 --batch 5 --rate 200 --seconds 15 \
  --probes 0 --threads 1 >"$work/bystanders.json" 2>"$work/bystanders.err" &
bystanders=$!
for _ in $(seq 100); do grep -q enrolled "$work/bystanders.err" 2>/dev/null && break; sleep 0.1; done
before=$(ps -o times= -p "$pid")
/usr/bin/time -f "sync_storm: the devices' process: %U s user, %S s system, peak memory %M KB" \
  ${KITE_STORM_WRAP:-} "$storm" --server "http://$address" --code "$code" --profiles "$work/profiles" || status=$?
echo "sync_storm.sh: kite-server used $(($(ps -o times= -p "$pid") - before)) s of CPU meanwhile" >&2
wait "$bystanders" || echo "sync_storm.sh: the bystanders failed: $(tail -3 "$work/bystanders.err")" >&2
echo "bystanders (load_push, 15 s around the storm): $(cat "$work/bystanders.json")"
"$server" stats --data "$work/data" --json
echo
kite_server_metrics push pull stream lag write_wait_push
exit "${status:-0}"

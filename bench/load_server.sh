#!/bin/bash
# The push load benchmark of docs/BENCHMARKS.md: a fresh kite-server on
# loopback (embedded defaults, its own temporary data folder) and load_push
# against it; prints load_push's JSON and then the server's stats.
#
#   bench/load_server.sh BUILD_DIR [load_push options...]
#   bench/load_server.sh build/release --devices 1000 --batch 20 --seconds 30 --rate 20000
#
# KITE_SERVER_WRAP="perf record -g -o F --" profiles the server.
# KITE_LOAD_DKT=1 first pushes 5 s of answers and trains the school's DKT
# model (a dkt_retrain job), so that the measured run's mastery updates step
# each learner's LSTM too. At the end it prints, from /metrics, the workers'
# lag per model and the pushes' time inside the server.
# The scheduled refit and retraining is off (KITE_SERVER_RETRAIN_EVERY=0)
# unless that variable is set: a retraining that starts mid-run is measured
# on purpose, with KITE_SERVER_RETRAIN_EVERY and KITE_SERVER_JOB_CHECK_SECONDS.
set -euo pipefail
export KITE_SERVER_RETRAIN_EVERY=${KITE_SERVER_RETRAIN_EVERY:-0}
build=${1:?usage: load_server.sh BUILD_DIR [load_push options]}
shift
load=$build/bench/load_push
[[ -x $load ]] || { echo "load_server.sh: $load is missing: build the project with benchmarks on" >&2; exit 2; }
source "$(dirname "$0")/server.sh"
kite_server_start "$build" "Load School"
if [[ ${KITE_LOAD_DKT:-} == 1 ]]; then
  echo "load_server.sh: 5 s of answers to train DKT on" >&2
  "$load" --server "$address" --code "$code" --devices 200 --batch 20 --seconds 5 --rate 10000 --probes 0 >/dev/null
  job=$(curl -sf -X POST -H "Authorization: Bearer $admin" -d '{"kind": "dkt_retrain"}' "http://$address/v1/jobs" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  for _ in $(seq 600); do
    state=$(curl -sf -H "Authorization: Bearer $admin" "http://$address/v1/jobs/$job" |
      python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["state"], j.get("message", ""))')
    [[ $state == done* || $state == dead* || $state == failed* ]] && break
    sleep 1
  done
  echo "load_server.sh: DKT job: $state" >&2
fi
if ! "$load" --server "$address" --code "$code" "$@"; then
  echo "load_server.sh: load_push failed; the server's last words:" >&2
  tail -5 "$work/serve.err" >&2
fi
"$server" stats --data "$work/data" --json
kite_server_metrics

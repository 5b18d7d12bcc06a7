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
server=$build/app/kite-server
load=$build/bench/load_push
for b in "$server" "$load"; do
  [[ -x $b ]] || { echo "load_server.sh: $b is missing: build the project with benchmarks on" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
"$server" init --data "$work/data" --school "Load School" --json >"$work/school.json"
code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enrollment_code"])' "$work/school.json")
admin=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["admin_token"])' "$work/school.json")
${KITE_SERVER_WRAP:-} "$server" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
address=$(sed -n 's|.*listening on http://||p' "$work/serve.out")
[[ -n $address ]] || { echo "load_server.sh: kite-server did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }
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
# From the server's own histograms, as bucket bounds: the workers' lag per
# model, the pushes' time inside the server (arrival to reply), and each
# connection's wait for and hold of the write turn.
curl -sf "http://$address/metrics" | python3 -c '
import re, sys
series = {}
for line in sys.stdin:
    m = re.match(r"(kite_mastery_lag_seconds|kite_http_request_duration_seconds|kite_write_(?:wait|hold)_seconds)_bucket\{(.*)\} (\S+)", line)
    if not m: continue
    labels = dict(re.findall(r"(\w+)=\"([^\"]*)\"", m.group(2)))
    if m.group(1) == "kite_mastery_lag_seconds": key = "lag_" + labels["model"]
    elif m.group(1).startswith("kite_write_"): key = m.group(1)[5:-8] + "_" + labels["connection"]
    elif labels.get("route") == "/v1/sync/push": key = "push_in_server"
    else: continue
    series.setdefault(key, []).append((float("inf") if labels["le"] == "+Inf" else float(labels["le"]), float(m.group(3))))
out = {}
for key, bs in series.items():
    bs.sort()
    total = bs[-1][1]
    if total == 0: continue
    def q(p):
        return next(le for le, n in bs if n >= p * total)
    out[key] = {"count": int(total), "p50_le_s": q(0.5), "p99_le_s": q(0.99)}
print(out)
' || true

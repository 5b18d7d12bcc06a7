# Sourced by the bench scripts: a fresh kite-server on loopback, on embedded
# defaults in its own temporary folder, stopped and removed on exit.
#
#   source "$(dirname "$0")/server.sh"
#   kite_server_start BUILD_DIR "School name"
#     sets: work (the temporary folder), pid, address (HOST:PORT), code (the
#     enrollment code), admin (the admin token)
#   kite_server_metrics [KEY_PREFIX...]   prints the server's own latency
#     histograms (below), those whose name starts with a KEY_PREFIX if given

kite_server_start() {
  local build=$1 school=$2
  server=$build/app/kite-server
  [[ -x $server ]] || { echo "$(basename "$0"): $server is missing: build first" >&2; exit 2; }
  work=$(mktemp -d)
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"; true' EXIT
  "$server" init --data "$work/data" --school "$school" --json >"$work/school.json"
  code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enrollment_code"])' "$work/school.json")
  admin=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["admin_token"])' "$work/school.json")
  ${KITE_SERVER_WRAP:-} "$server" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!
  for _ in $(seq 100); do
    grep -q "listening on" "$work/serve.out" 2>/dev/null && break
    sleep 0.1
  done
  address=$(sed -n 's|.*listening on http://||p' "$work/serve.out")
  [[ -n $address ]] || { echo "$(basename "$0"): kite-server did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }
}

# From the server's /metrics histograms, as bucket bounds: the workers' lag
# per model, each sync route's time inside the server (arrival to reply), and
# each connection's wait for and hold of the write turn.
kite_server_metrics() {
  curl -sf "http://$address/metrics" | python3 -c '
import re, sys
series = {}
for line in sys.stdin:
    m = re.match(r"(kite_mastery_lag_seconds|kite_http_request_duration_seconds|kite_write_(?:wait|hold)_seconds)_bucket\{(.*)\} (\S+)", line)
    if not m: continue
    labels = dict(re.findall(r"(\w+)=\"([^\"]*)\"", m.group(2)))
    if m.group(1) == "kite_mastery_lag_seconds": key = "lag_" + labels["model"]
    elif m.group(1).startswith("kite_write_"): key = m.group(1)[5:-8] + "_" + labels["connection"]
    elif labels.get("route", "").startswith("/v1/sync/"): key = labels["route"][9:] + "_in_server"
    elif labels.get("route") == "/v1/stream": key = "stream_open_in_server"
    else: continue
    series.setdefault(key, []).append((float("inf") if labels["le"] == "+Inf" else float(labels["le"]), float(m.group(3))))
for key, bs in sorted(series.items()):
    bs.sort()
    total = bs[-1][1]
    if total == 0 or (sys.argv[1:] and not key.startswith(tuple(sys.argv[1:]))): continue
    def q(p):
        return next(le for le, n in bs if n >= p * total)
    print(f"{key}: {int(total)}, p50 <= {q(0.5)} s, p99 <= {q(0.99)} s, max <= {q(1.0)} s")
' "$@" || true
}

#!/usr/bin/env bash
# The README's run command: builds Kite if needed, starts a local kite-server
# on embedded defaults with the sample course (once: a demo school in
# KITE_HOME), and opens the app connected and enrolled, ready to study.
#
#   scripts/run.sh            KITE_HOME defaults to ~/.local/share/kite-demo
#
# Without a display (no DISPLAY or WAYLAND_DISPLAY) the app runs offscreen,
# saves a picture of its first page in KITE_HOME/first-page.png and exits.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
ensure_build_deps

build=build/release
if [ ! -x "$build/app/kite" ] || [ ! -x "$build/app/kite-server" ] ||
   [ -n "$(find app engine sync server ui CMakeLists.txt -newer "$build/app/kite" -print -quit 2>/dev/null)" ]; then
  echo "==> building kite and kite-server"
  cmake --preset release >/dev/null
  cmake --build --preset release --target kite kite-server -j "$(nproc 2>/dev/null || echo 2)"
fi

home=${KITE_HOME:-$HOME/.local/share/kite-demo}
mkdir -p "$home"
server=$build/app/kite-server
if [ ! -f "$home/school.json" ]; then
  echo "==> a demo school in $home/server, with the sample course"
  "$server" init --data "$home/server" --school "Demo School" --json >"$home/school.json.new"
  "$server" course import --data "$home/server" resources/courses/fractions >/dev/null
  mv "$home/school.json.new" "$home/school.json"
fi
code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enrollment_code"])' "$home/school.json")

"$server" serve --data "$home/server" --listen 127.0.0.1:0 >"$home/server.out" 2>"$home/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$home/server.out" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { echo "kite-server did not start:" >&2; cat "$home/server.log" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's|.*listening on ||p' "$home/server.out")
echo "==> kite-server on $url (log: $home/server.log)"

# A demo teacher (once), for the app's Teacher page: paste the token printed here.
if [ ! -f "$home/teacher.json" ]; then
  python3 - "$url" "$home/school.json" >"$home/teacher.json.new" <<'PY'
import json, sys, urllib.request
url, school = sys.argv[1], json.load(open(sys.argv[2]))
headers = {"Authorization": "Bearer " + school["admin_token"], "Content-Type": "application/json"}
def post(path, body):
    request = urllib.request.Request(url + path, json.dumps(body).encode(), headers)
    return json.load(urllib.request.urlopen(request, timeout=10))
teacher = post("/v1/teachers", {"name": "Demo Teacher"})
post("/v1/classes", {"name": "Demo class"})
json.dump(teacher, sys.stdout)
PY
  mv "$home/teacher.json.new" "$home/teacher.json"
fi
teacher_token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$home/teacher.json")
echo "==> teacher mode: in the app, Teacher, then paste this token: $teacher_token"

app=("$build/app/kite" --profile "$home/device" --server "$url" --enroll "$code")
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "==> no display: the app runs offscreen and saves its first page in $home/first-page.png"
  QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software "${app[@]}" --grab "$home/first-page.png" || status=$?
else
  echo "==> kite (close the window to stop the server too)"
  "${app[@]}" || status=$?
fi
exit "${status:-0}"

#!/usr/bin/env bash
# Side-by-side BKT comparison: Kite (kite-kt) against pyBKT (CAHLR/pyBKT 1.4, C++ build),
# on the standard train/test splits in ../shared/data, in one run.
#
# Usage:
#   bench/compare_bkt.sh [-n REPS] [--json FILE] [--datasets LIST] [--restarts N]
#                        [--seed S] [--threads N] [--pybkt-path DIR] [--no-pybkt]
#
#   -n, --reps N        repetitions per configuration (default 3); Kite and pyBKT
#                       alternate within each repetition
#   --json FILE         also write every measurement and the medians as JSON
#                       (FILE "-" prints the JSON to stdout after the tables)
#   --datasets LIST     comma-separated subset of: assist2015, assist2015-forgets,
#                       statics2011, synthetic5 (default: all four)
#   --restarts N        starts per skill for both tools (default 5, pyBKT's num_fits)
#   --seed S            seed for both tools (default 42)
#   --threads N         kite-kt --threads (default: kite-kt's default, one per core)
#   --pybkt-path DIR    directory containing the pyBKT package (or PYBKT_PATH)
#   --no-pybkt          Kite only
#
# Environment:
#   KITE_KT           kite-kt binary (default: build/release/app/kite-kt)
#   KITE_SHARED_DIR   data directory (default: ../shared/data from the repo root)
#   PYBKT_PATH        as --pybkt-path
#   PYTHON            Python with numpy and pandas for pyBKT (default /usr/bin/python3)
#
# What is measured, per configuration and repetition:
#   Kite   `kite-kt bkt fit TRAIN --out P.json --json --quiet` timed from outside
#          as a whole process (read + fit + write), plus its in-process
#          fit_seconds; then `kite-kt bkt eval P.json TEST --json` for AUC/RMSE.
#          The train log-likelihood is the fit's "loglik".
#   pyBKT  bench/pybkt_reference.py: only model.fit is timed (fit_seconds);
#          AUC/RMSE from pyBKT's evaluate; the train log-likelihood is
#          recomputed with a forward pass (first repetition only).
# Speed ratios are pyBKT fit seconds / Kite seconds, once against Kite's whole
# process ("process": conservative for Kite, which also pays for reading the
# file, starting up and writing the parameters) and once against Kite's
# in-process fit time ("fit"). Times are medians over the repetitions.
#
# pyBKT is never built or vendored in this repository; build CAHLR/pyBKT 1.4.2
# with its C++ extensions elsewhere and point to it (docs/BENCHMARKS.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KITE_KT=${KITE_KT:-$ROOT/build/release/app/kite-kt}
SHARED=${KITE_SHARED_DIR:-$ROOT/../shared/data}
PYTHON=${PYTHON:-/usr/bin/python3}
PYBKT_REF=$ROOT/bench/pybkt_reference.py

REPS=3
JSON_OUT=""
DATASETS="assist2015,assist2015-forgets,statics2011,synthetic5"
RESTARTS=5
SEED=42
THREADS=""
PYBKT_DIR=${PYBKT_PATH:-}
USE_PYBKT=1

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "compare_bkt.sh: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        -n | --reps) REPS=${2:?}; shift 2 ;;
        --json) JSON_OUT=${2:?}; shift 2 ;;
        --datasets) DATASETS=${2:?}; shift 2 ;;
        --restarts) RESTARTS=${2:?}; shift 2 ;;
        --seed) SEED=${2:?}; shift 2 ;;
        --threads) THREADS=${2:?}; shift 2 ;;
        --pybkt-path) PYBKT_DIR=${2:?}; shift 2 ;;
        --no-pybkt) USE_PYBKT=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"
[[ -x $KITE_KT ]] || die "kite-kt not found at $KITE_KT: build it (cmake --preset release && cmake --build --preset release --target kite-kt) or set KITE_KT"
command -v "$PYTHON" >/dev/null || die "Python not found at $PYTHON (set PYTHON)"

# name|train|test|extra kite/pyBKT flags
config() {
    case "$1" in
        assist2015) echo "assist2015|assist2015/assist2015_train.csv|assist2015/assist2015_test.csv|" ;;
        assist2015-forgets) echo "assist2015 --forgets|assist2015/assist2015_train.csv|assist2015/assist2015_test.csv|--forgets" ;;
        statics2011) echo "statics2011|statics2011/STATICS_train.csv|statics2011/STATICS_test.csv|" ;;
        synthetic5) echo "synthetic5|synthetic5/naive_c5_q50_s4000_v0_train.csv|synthetic5/naive_c5_q50_s4000_v0_test.csv|" ;;
        *) die "unknown dataset '$1' (assist2015, assist2015-forgets, statics2011, synthetic5)" ;;
    esac
}

# Is pyBKT importable?
PYBKT_NOTE=""
if [[ $USE_PYBKT == 1 ]]; then
    if ! PYBKT_PATH=$PYBKT_DIR "$PYTHON" - <<'EOF' 2>/dev/null; then
import os, sys
p = os.environ.get("PYBKT_PATH")
if p: sys.path.insert(0, p)
import numpy, pandas
from pyBKT.models import Model
EOF
        USE_PYBKT=0
        PYBKT_NOTE="pyBKT is not importable${PYBKT_DIR:+ from $PYBKT_DIR}; reporting Kite only. Build CAHLR/pyBKT 1.4.2 (C++ extensions) outside this repository and pass --pybkt-path DIR or set PYBKT_PATH=DIR, where DIR contains the pyBKT package (e.g. PYBKT_PATH=/work/ext/pybkt/site)."
        echo "compare_bkt.sh: $PYBKT_NOTE" >&2
    fi
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kite-compare-bkt.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
RUNS=$WORK/runs.jsonl
: >"$RUNS"

kite_threads=()
[[ -n $THREADS ]] && kite_threads=(--threads "$THREADS")

IFS=',' read -r -a wanted <<<"$DATASETS"
for key in "${wanted[@]}"; do
    IFS='|' read -r name train test flags <<<"$(config "$key")"
    train=$SHARED/$train
    test=$SHARED/$test
    if [[ ! -f $train || ! -f $test ]]; then
        echo "compare_bkt.sh: skipping $name: $train or $test is absent (set KITE_SHARED_DIR to the data directory)" >&2
        "$PYTHON" -c 'import json,sys; print(json.dumps({"config":sys.argv[1],"tool":"skip","rep":0,"reason":"data absent"}))' "$name" >>"$RUNS"
        continue
    fi
    # shellcheck disable=SC2206  # flags is a word list on purpose
    extra=($flags)
    for ((rep = 1; rep <= REPS; rep++)); do
        echo "[$name] repetition $rep/$REPS" >&2
        params=$WORK/params.json
        t0=$EPOCHREALTIME
        if ! "$KITE_KT" bkt fit "$train" --out "$params" --restarts "$RESTARTS" --seed "$SEED" \
            "${extra[@]}" "${kite_threads[@]}" --json --quiet >"$WORK/fit.json"; then
            echo "compare_bkt.sh: kite-kt bkt fit failed on $name" >&2
            continue
        fi
        t1=$EPOCHREALTIME
        if ! "$KITE_KT" bkt eval "$params" "$test" --json >"$WORK/eval.json"; then
            echo "compare_bkt.sh: kite-kt bkt eval failed on $name" >&2
            continue
        fi
        "$PYTHON" - "$name" "$rep" "$t0" "$t1" "$WORK/fit.json" "$WORK/eval.json" >>"$RUNS" <<'EOF2'
import json, os, sys
name, rep, t0, t1, fit, ev = sys.argv[1:]
print(json.dumps({"config": name, "tool": "kite", "rep": int(rep), "process_seconds": float(t1) - float(t0),
                  "fit": json.load(open(fit)), "eval": json.load(open(ev)), "load1": os.getloadavg()[0]}))
EOF2

        if [[ $USE_PYBKT == 1 ]]; then
            ll=()
            ((rep > 1)) && ll=(--no-loglik)
            t0=$EPOCHREALTIME
            if ! PYBKT_PATH=$PYBKT_DIR "$PYTHON" "$PYBKT_REF" "$train" "$test" --restarts "$RESTARTS" \
                --seed "$SEED" "${extra[@]}" "${ll[@]}" --json >"$WORK/pybkt.json"; then
                echo "compare_bkt.sh: pybkt_reference.py failed on $name" >&2
                continue
            fi
            t1=$EPOCHREALTIME
            "$PYTHON" - "$name" "$rep" "$t0" "$t1" "$WORK/pybkt.json" >>"$RUNS" <<'EOF2'
import json, os, sys
name, rep, t0, t1, out = sys.argv[1:]
d = json.load(open(out))
d.pop("train_loglik", None)  # per-skill detail
d.pop("params", None)
d.update(config=name, tool="pybkt", rep=int(rep), script_seconds=float(t1) - float(t0),
         load1=os.getloadavg()[0])
print(json.dumps(d))
EOF2
        fi
    done
done

# Medians, Markdown tables and JSON.
KITE_KT_PATH=$KITE_KT REPS=$REPS RESTARTS=$RESTARTS SEED=$SEED THREADS=$THREADS PYBKT_NOTE=$PYBKT_NOTE \
    "$PYTHON" - "$RUNS" "$JSON_OUT" <<'EOF'
import json, os, statistics, sys, time, platform

runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
json_out = sys.argv[2]
order = []
for r in runs:
    if r["config"] not in order:
        order.append(r["config"])

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None

def fmt(x, spec):
    return "—" if x is None else format(x, spec)

def ratio(a, b):
    return a / b if a is not None and b else None

summary = []
for c in order:
    kite = [r for r in runs if r["config"] == c and r["tool"] == "kite"]
    py = [r for r in runs if r["config"] == c and r["tool"] == "pybkt"]
    skipped = any(r["tool"] == "skip" for r in runs if r["config"] == c)
    s = {"config": c, "skipped": skipped, "kite_runs": len(kite), "pybkt_runs": len(py)}
    if kite:
        s["kite_process_seconds"] = med([r["process_seconds"] for r in kite])
        s["kite_fit_seconds"] = med([r["fit"]["fit_seconds"] for r in kite])
        s["kite_process_seconds_all"] = [r["process_seconds"] for r in kite]
        s["kite_fit_seconds_all"] = [r["fit"]["fit_seconds"] for r in kite]
        last = kite[-1]
        s["kite_auc"] = last["eval"]["auc"]
        s["kite_rmse"] = last["eval"]["rmse"]
        s["kite_accuracy"] = last["eval"]["accuracy"]
        s["kite_test_n"] = last["eval"]["n"]
        s["kite_train_loglik"] = last["fit"]["loglik"]
        s["kite_estep_evaluations"] = last["fit"]["estep_evaluations"]
        s["kite_converged_skills"] = last["fit"]["converged"]
        s["kite_skills"] = last["fit"]["skills"]
        s["kite_deterministic"] = len({(r["eval"]["auc"], r["fit"]["loglik"]) for r in kite}) == 1
    if py:
        s["pybkt_fit_seconds"] = med([r["fit_seconds"] for r in py])
        s["pybkt_fit_seconds_all"] = [r["fit_seconds"] for r in py]
        s["pybkt_script_seconds"] = med([r["script_seconds"] for r in py])
        s["pybkt_auc"] = py[-1]["auc"]
        s["pybkt_rmse"] = py[-1]["rmse"]
        s["pybkt_accuracy"] = py[-1]["accuracy"]
        s["pybkt_test_n"] = py[-1]["n"]
        s["pybkt_train_loglik"] = next((r["train_loglik_total"] for r in py if "train_loglik_total" in r), None)
        s["pybkt_cpp"] = all(r.get("pybkt_cpp") for r in py)
    s["ratio_process"] = ratio(s.get("pybkt_fit_seconds"), s.get("kite_process_seconds"))
    s["ratio_fit"] = ratio(s.get("pybkt_fit_seconds"), s.get("kite_fit_seconds"))
    summary.append(s)

reps = os.environ["REPS"]
print(f"## BKT: Kite vs pyBKT ({reps} repetition{'s' if reps != '1' else ''}, medians; restarts {os.environ['RESTARTS']}, seed {os.environ['SEED']})")
print()
print("| data | Kite fit, process (s) | Kite fit, in-process (s) | pyBKT fit (s) | pyBKT/Kite, process | pyBKT/Kite, fit |")
print("|---|---:|---:|---:|---:|---:|")
for s in summary:
    if s["skipped"]:
        print(f"| {s['config']} | skipped: data absent | | | | |")
        continue
    print(f"| {s['config']} | {fmt(s.get('kite_process_seconds'), '.3f')} | {fmt(s.get('kite_fit_seconds'), '.3f')} | "
          f"{fmt(s.get('pybkt_fit_seconds'), '.3f')} | {fmt(s['ratio_process'], '.1f')}{'x' if s['ratio_process'] else ''} | "
          f"{fmt(s['ratio_fit'], '.1f')}{'x' if s['ratio_fit'] else ''} |")
print()
print("| data | test AUC Kite | test AUC pyBKT | RMSE Kite | RMSE pyBKT | train loglik Kite | train loglik pyBKT | Δ loglik |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for s in summary:
    if s["skipped"]:
        continue
    kl, pl = s.get("kite_train_loglik"), s.get("pybkt_train_loglik")
    d = kl - pl if kl is not None and pl is not None else None
    print(f"| {s['config']} | {fmt(s.get('kite_auc'), '.4f')} | {fmt(s.get('pybkt_auc'), '.4f')} | "
          f"{fmt(s.get('kite_rmse'), '.4f')} | {fmt(s.get('pybkt_rmse'), '.4f')} | "
          f"{fmt(kl, '.1f')} | {fmt(pl, '.1f')} | {fmt(d, '+.1f')} |")
print()
loads = [r["load1"] for r in runs if "load1" in r]
if loads:
    print(f"1-minute load average after each run: {min(loads):.2f} to {max(loads):.2f} "
          f"(this machine has {os.cpu_count()} CPUs; above ~1 the timings are unreliable, pyBKT's OpenMP E-step most of all).")
    print()
note = os.environ.get("PYBKT_NOTE")
if note:
    print(f"Note: {note}")
    print()
for s in summary:
    if s.get("kite_runs") and not s.get("kite_deterministic", True):
        print(f"Warning: {s['config']}: Kite's results differ between repetitions.")
    if s.get("pybkt_runs") and not s.get("pybkt_cpp", True):
        print(f"Warning: {s['config']}: pyBKT ran its pure-Python fallback, not the C++ build.")

if json_out:
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    doc = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "host": {"nproc": os.cpu_count(), "machine": platform.machine(), "loadavg_at_end": load},
        "kite_kt": os.environ["KITE_KT_PATH"],
        "reps": int(reps), "restarts": int(os.environ["RESTARTS"]), "seed": int(os.environ["SEED"]),
        "threads": os.environ.get("THREADS") or None,
        "pybkt_note": note or None,
        "summary": summary,
        "runs": runs,
    }
    text = json.dumps(doc, indent=2)
    if json_out == "-":
        print(text)
    else:
        with open(json_out, "w") as f:
            f.write(text + "\n")
EOF

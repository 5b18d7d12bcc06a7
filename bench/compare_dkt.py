#!/usr/bin/env python3
"""Side-by-side DKT comparison: Kite (kite-kt, bench_dkt) against the PyTorch
reference (bench/dkt_reference.py), in one run, alternating the two tools.

Usage:
  /usr/bin/python3 bench/compare_dkt.py [epochs|step|accuracy ...] [-n REPS]
      [--epochs E] [--datasets assist2015,statics2011] [--seeds 42,43,44]
      [--json FILE]

  epochs    seconds per epoch (training pass, and validation pass), peak RSS:
            each repetition runs Kite then PyTorch for E epochs (default 3) on
            the same training file, 2 threads each.
  step      one student advanced by one answer, batch 1: Kite's bench_dkt
            (BM_DktIncrementalStep/100/200, BM_DktStepAndPredictAll/100/200 and
            /1223/200) then `dkt_reference.py step` (K=100 and K=1223, H=200,
            all K outputs), REPS times.
  accuracy  Kite trained to early stopping with each of --seeds, then
            evaluated on the test file (PyTorch's accuracy runs take an hour:
            run dkt_reference.py train without --max-epochs-timing for those).
With no mode, epochs and step run. Times are medians over repetitions.

Environment: KITE_BUILD (default build/release), KITE_SHARED_DIR (default
../shared/data). The PyTorch side runs under /usr/bin/python3 with Debian's
OpenBLAS (LD_LIBRARY_PATH and OPENBLAS_CORETYPE set here, as
../shared/data/README.md asks for a fair comparison).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("KITE_BUILD", os.path.join(ROOT, "build", "release"))
SHARED = os.environ.get("KITE_SHARED_DIR", os.path.join(ROOT, "..", "shared", "data"))
KITE_KT = os.path.join(BUILD, "app", "kite-kt")
BENCH_DKT = os.path.join(BUILD, "bench", "bench_dkt")
REFERENCE = os.path.join(ROOT, "bench", "dkt_reference.py")
DATASETS = {
    "assist2015": ("assist2015/assist2015_train.csv", "assist2015/assist2015_test.csv"),
    "statics2011": ("statics2011/STATICS_train.csv", "statics2011/STATICS_test.csv"),
}
TORCH_ENV = dict(os.environ, LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp",
                 OPENBLAS_CORETYPE="SkylakeX")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def run_json(cmd, env=None):
    """Runs cmd and returns the last line of its stdout parsed as JSON."""
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"compare_dkt.py: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def paths(name):
    train, test = (os.path.join(SHARED, p) for p in DATASETS[name])
    for p in (train, test):
        if not os.path.exists(p):
            sys.exit(f"compare_dkt.py: {p} not found (set KITE_SHARED_DIR)")
    return train, test


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def epochs_mode(a, out):
    rows = []
    for name in a.datasets:
        train, test = paths(name)
        kite, torch = {"train": [], "valid": [], "rss": []}, {"train": [], "valid": [], "rss": []}
        for rep in range(1, a.n + 1):
            with tempfile.TemporaryDirectory() as tmp:
                k = run_json([KITE_KT, "dkt", "train", train, "--out", os.path.join(tmp, "m.kdkt"),
                              "--epochs", str(a.epochs), "--patience", str(a.epochs + 1),
                              "--threads", "2", "--json", "--quiet"])
            kite["train"] += [e["train_seconds"] for e in k["history"]]
            kite["valid"] += [e["valid_seconds"] for e in k["history"]]
            kite["rss"].append(k["peak_rss_mb"])
            t = run_json(["/usr/bin/python3", REFERENCE, "train", train, test, "--threads", "2",
                          "--max-epochs-timing", str(a.epochs), "--json"], env=TORCH_ENV)
            torch["train"] += [e["epoch_seconds"] for e in t["history"]]
            torch["valid"] += [e["valid_seconds"] for e in t["history"]]
            torch["rss"].append(t["peak_rss_mb"])
            log(f"{name} rep {rep}/{a.n}: Kite {median(kite['train']):.2f} s/epoch, "
                f"PyTorch {median(torch['train']):.2f} s/epoch (medians so far)")
        row = {"dataset": name, "epochs_per_rep": a.epochs, "reps": a.n}
        for tool, m in (("kite", kite), ("pytorch", torch)):
            row[tool] = {"train_seconds": median(m["train"]), "valid_seconds": median(m["valid"]),
                         "epoch_seconds": median([x + y for x, y in zip(m["train"], m["valid"])]),
                         "peak_rss_mb": max(m["rss"]), "all_train_seconds": m["train"]}
        row["ratio_train"] = row["pytorch"]["train_seconds"] / row["kite"]["train_seconds"]
        row["ratio_epoch"] = row["pytorch"]["epoch_seconds"] / row["kite"]["epoch_seconds"]
        rows.append(row)
    print(f"\nSeconds per epoch, median of {a.n} x {a.epochs} epochs, 2 threads each")
    print("| data | Kite train | PyTorch train | ratio | Kite train+valid | PyTorch train+valid | ratio "
          "| Kite peak RSS | PyTorch peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        k, t = r["kite"], r["pytorch"]
        print(f"| {r['dataset']} | {k['train_seconds']:.2f} s | {t['train_seconds']:.2f} s | "
              f"{r['ratio_train']:.1f}x | {k['epoch_seconds']:.2f} s | {t['epoch_seconds']:.2f} s | "
              f"{r['ratio_epoch']:.1f}x | {k['peak_rss_mb']:.0f} MB | {t['peak_rss_mb']:.0f} MB |")
    out["epochs"] = rows


def step_mode(a, out):
    # Kite's state update alone (what the server does per answer), then the
    # same work as the PyTorch step: the update plus P(correct) of all K skills.
    cases = [("BM_DktIncrementalStep/100/200", 100), ("BM_DktStepAndPredictAll/100/200", 100),
             ("BM_DktStepAndPredictAll/1223/200", 1223)]
    kite = {c: [] for c, _ in cases}
    torch = {c: [] for c, _ in cases}
    for rep in range(1, a.n + 1):
        for case, skills in cases:
            done = subprocess.run([BENCH_DKT, f"--benchmark_filter=^{case}$", "--benchmark_format=json",
                                   "--benchmark_min_time=1"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, check=True)
            k = json.loads(done.stdout)["benchmarks"][0]
            scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[k["time_unit"]]
            kite[case].append(k["real_time"] * scale)
            t = run_json(["/usr/bin/python3", REFERENCE, "step", "--skills", str(skills), "--hidden", "200",
                          "--threads", "1", "--json"], env=TORCH_ENV)
            torch[case].append(t["median_us"])
        log(f"step rep {rep}/{a.n} done")
    rows = []
    print(f"\nIncremental step, batch 1, median of {a.n} runs each")
    print("| Kite case | Kite | PyTorch | ratio |")
    print("|---|---:|---:|---:|")
    for case, skills in cases:
        k, t = median(kite[case]), median(torch[case])
        rows.append({"case": case, "kite_us": k, "pytorch_us": t, "kite_all": kite[case],
                     "pytorch_all": torch[case]})
        print(f"| {case} (PyTorch: K={skills}, all outputs) | {k:.1f} µs | {t:.1f} µs | {t / k:.1f}x |")
    out["step"] = rows


def accuracy_mode(a, out):
    rows = []
    for name in a.datasets:
        train, test = paths(name)
        for seed in a.seeds:
            with tempfile.TemporaryDirectory() as tmp:
                model = os.path.join(tmp, "m.kdkt")
                k = run_json([KITE_KT, "dkt", "train", train, "--out", model, "--seed", str(seed),
                              "--threads", "2", "--json", "--quiet"])
                e = run_json([KITE_KT, "dkt", "eval", model, test, "--json"])
            rows.append({"dataset": name, "seed": seed, "test_auc": e["auc"], "test_rmse": e["rmse"],
                         "best_epoch": k["best_epoch"], "valid_auc": k["valid_auc"],
                         "seconds": k["seconds"], "peak_rss_mb": k["peak_rss_mb"]})
            log(f"{name} seed {seed}: test AUC {e['auc']:.4f}")
    print("\nKite test AUC, trained to early stopping (10% of training students), one row per seed")
    print("| data | seed | test AUC | RMSE | best epoch | training s | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['dataset']} | {r['seed']} | {r['test_auc']:.4f} | {r['test_rmse']:.4f} | "
              f"{r['best_epoch']} | {r['seconds']:.0f} | {r['peak_rss_mb']:.0f} MB |")
    out["accuracy"] = rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("modes", nargs="*", help="epochs, step, accuracy (default: epochs step)")
    ap.add_argument("-n", type=int, default=3, help="repetitions (default 3)")
    ap.add_argument("--epochs", type=int, default=3, help="epochs per timing repetition (default 3)")
    ap.add_argument("--datasets", default="assist2015,statics2011")
    ap.add_argument("--seeds", default="42,43,44")
    ap.add_argument("--json", help="also write every measurement as JSON to this file")
    a = ap.parse_args()
    a.datasets = [d for d in a.datasets.split(",") if d]
    a.seeds = [int(s) for s in a.seeds.split(",") if s]
    for d in a.datasets:
        if d not in DATASETS:
            sys.exit(f"compare_dkt.py: unknown dataset {d} (known: {', '.join(DATASETS)})")
    for exe in (KITE_KT, BENCH_DKT):
        if not os.path.exists(exe):
            sys.exit(f"compare_dkt.py: {exe} not found: build the release preset first")
    modes = a.modes or ["epochs", "step"]
    for m in modes:
        if m not in ("epochs", "step", "accuracy"):
            sys.exit(f"compare_dkt.py: unknown mode {m} (epochs, step, accuracy)")
    out = {"loadavg_start": os.getloadavg()}
    for mode in modes:
        {"epochs": epochs_mode, "step": step_mode, "accuracy": accuracy_mode}[mode](a, out)
    out["loadavg_end"] = os.getloadavg()
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reference BKT run with pyBKT, for side-by-side comparison with Kite.

Usage:
  /usr/bin/python3 bench/pybkt_reference.py TRAIN_3LINE TEST_3LINE \
      [--forgets] [--restarts 5] [--seed 42] [--json] [--pybkt-path DIR]

This script only *imports* an already-installed pyBKT (C++ build). pyBKT is
never built or vendored inside this repository: build it elsewhere and point
to it with --pybkt-path DIR or the PYBKT_PATH environment variable (a
directory that contains the `pyBKT` package).

Input is the "3-line" format: per student, a line with the number of answers,
a line of comma-separated skill ids, a line of comma-separated 0/1 answers
(1-based integer ids; trailing commas allowed). It becomes a DataFrame with
columns user_id, skill_name (skill id as a string), correct, order_id, where
order_id increases in file order. Train user ids are 1 + the student's index
in the train file; test user ids are 100001 + the index in the test file.

Only `model.fit` is timed. AUC and RMSE come from pyBKT's `evaluate` (which
pools every test row whose skill was seen in training); accuracy (p >= 0.5)
is computed over those same rows from `model.predict`. The train
log-likelihood is recomputed here with a plain scaled forward pass over each
(user, skill) sequence in order_id order using `model.coef_`, because pyBKT
does not expose it (its EM keeps only an integer-truncated value).
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd

import seq3  # bench/seq3.py, beside this script

TRAIN_USER_BASE = 1
TEST_USER_BASE = 100001


def read_3line(path, user_base):
    """Reads a 3-line file into a DataFrame (user_id, skill_name, correct, order_id)."""
    users, skills, answers = [], [], []
    for i, (sk, an) in enumerate(seq3.read_students(path)):
        users.extend([user_base + i] * len(sk))
        skills.extend(sk)
        answers.extend(an)
    return pd.DataFrame({
        "user_id": np.asarray(users, dtype=np.int64),
        "skill_name": [str(s) for s in skills],
        "correct": np.asarray(answers, dtype=np.int64),
        "order_id": np.arange(1, len(users) + 1, dtype=np.int64),
    })


def import_pybkt(path):
    for p in ([path] if path else []) + ([os.environ["PYBKT_PATH"]] if os.environ.get("PYBKT_PATH") else []):
        if p not in sys.path:
            sys.path.insert(0, p)
    try:
        from pyBKT.models import Model  # noqa: F401
        import pyBKT.fit.E_step as E_step
    except ImportError as e:
        sys.exit(
            "error: cannot import pyBKT (%s).\n"
            "pyBKT must be built OUTSIDE this repository (e.g. `python3 setup.py build` in a\n"
            "pyBKT checkout under /work/ext) and pointed to with --pybkt-path DIR or\n"
            "PYBKT_PATH=DIR, where DIR contains the `pyBKT` package." % e)
    efile = getattr(E_step, "__file__", "") or ""
    cpp = efile.endswith((".so", ".pyd"))
    if not cpp:
        print("warning: pyBKT.fit.E_step is not a compiled extension (%s); this is the pure-Python "
              "source-py fallback, which uses a different stopping rule" % efile, file=sys.stderr)
    return Model, efile, cpp


def _scalar(x):
    return float(np.asarray(x, dtype=float).reshape(-1)[0])


def train_loglik(df, coef):
    """Natural-log likelihood of df under coef, per skill (plain scaled forward pass).

    Each (user, skill) pair in order_id order is one sequence starting from prior;
    after each answer: Bayes update, then P(L)' = P(L)(1-forget) + (1-P(L)) learn.
    """
    d = df[df["skill_name"].isin(list(coef.keys()))]
    d = d.sort_values(["skill_name", "user_id", "order_id"], kind="mergesort")
    skill = d["skill_name"].to_numpy()
    user = d["user_id"].to_numpy()
    obs = d["correct"].to_numpy()
    n = len(d)
    if n == 0:
        return {}, 0.0
    new_seq = np.ones(n, dtype=bool)
    new_seq[1:] = (skill[1:] != skill[:-1]) | (user[1:] != user[:-1])
    seq = np.cumsum(new_seq) - 1
    starts = np.flatnonzero(new_seq)
    pos = np.arange(n) - starts[seq]
    nseq = len(starts)

    names = sorted(coef.keys())
    sidx = {s: i for i, s in enumerate(names)}
    P = np.array([[_scalar(coef[s]["prior"]), _scalar(coef[s]["learns"]),
                   _scalar(coef[s].get("forgets", 0.0)), _scalar(coef[s]["guesses"]),
                   _scalar(coef[s]["slips"])] for s in names])
    seq_skill = np.array([sidx[s] for s in skill[starts]], dtype=np.int64)
    prior, learn, forget, guess, slip = (P[seq_skill, j] for j in range(5))

    pL = prior.copy()
    ll_row = np.empty(n)
    order = np.argsort(pos, kind="stable")
    bounds = np.searchsorted(pos[order], np.arange(pos.max() + 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        for t in range(pos.max() + 1):
            rows = order[bounds[t]:bounds[t + 1]]
            q = seq[rows]
            l, g, s, o = pL[q], guess[q], slip[q], obs[rows]
            pc = l * (1 - s) + (1 - l) * g
            like = np.where(o == 1, pc, 1 - pc)
            ll_row[rows] = np.log(like)
            post = np.where(o == 1, l * (1 - s) / pc, l * s / (1 - pc))
            post = np.where(like > 0, post, l)  # zero-probability answer: keep P(L)
            pL[q] = post * (1 - forget[q]) + (1 - post) * learn[q]
    per_skill = pd.Series(ll_row).groupby(skill).sum()
    out = {s: float(per_skill[s]) for s in names if s in per_skill.index}
    return out, float(sum(out.values()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train")
    ap.add_argument("test")
    ap.add_argument("--forgets", action="store_true")
    ap.add_argument("--restarts", type=int, default=5, help="pyBKT num_fits (default 5)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--pybkt-path", default=None, help="directory containing the pyBKT package")
    ap.add_argument("--no-loglik", action="store_true", help="skip the train log-likelihood")
    args = ap.parse_args()

    Model, efile, cpp = import_pybkt(args.pybkt_path)

    train_df = read_3line(args.train, TRAIN_USER_BASE)
    test_df = read_3line(args.test, TEST_USER_BASE)

    model = Model(seed=args.seed, num_fits=args.restarts)
    fit_df = train_df.copy()  # pyBKT sorts/modifies the frame it is given
    t0 = time.perf_counter()
    model.fit(data=fit_df, forgets=args.forgets)
    fit_seconds = time.perf_counter() - t0

    auc, rmse = model.evaluate(data=test_df.copy(), metric=["auc", "rmse"])
    pred = model.predict(data=test_df.copy())
    trained = set(model.coef_.keys())
    seen = pred["skill_name"].isin(trained).to_numpy()
    y = pred["correct"].to_numpy()[seen]
    p = pred["correct_predictions"].to_numpy()[seen]
    accuracy = float(np.mean((p >= 0.5) == (y == 1))) if len(y) else float("nan")

    res = {
        "tool": "pyBKT",
        "train": args.train,
        "test": args.test,
        "forgets": bool(args.forgets),
        "restarts": args.restarts,
        "seed": args.seed,
        "fit_seconds": fit_seconds,
        "auc": float(auc),
        "rmse": float(rmse),
        "accuracy": accuracy,
        "n": int(seen.sum()),
        "test_rows": int(len(test_df)),
        "test_rows_unseen_skill": int((~seen).sum()),
        "train_rows": int(len(train_df)),
        "skills": len(trained),
        "pybkt_cpp": cpp,
        "pybkt_E_step": efile,
    }
    if not args.no_loglik:
        per_skill, total = train_loglik(train_df, model.coef_)
        res["train_loglik_total"] = total
        res["train_loglik"] = per_skill
        res["params"] = {
            s: {"prior": _scalar(c["prior"]), "learn": _scalar(c["learns"]),
                "forget": _scalar(c.get("forgets", 0.0)), "guess": _scalar(c["guesses"]),
                "slip": _scalar(c["slips"])}
            for s, c in sorted(model.coef_.items())}

    if args.json:
        print(json.dumps(res))
    else:
        line = ("pyBKT%s  train=%s test=%s forgets=%s restarts=%d  fit %.3f s  "
                "AUC %.4f  RMSE %.4f  acc %.4f  n=%d" % (
                    "" if cpp else "(PY FALLBACK)", os.path.basename(args.train),
                    os.path.basename(args.test), args.forgets, args.restarts, fit_seconds,
                    auc, rmse, accuracy, res["n"]))
        if "train_loglik_total" in res:
            line += "  train loglik %.3f" % res["train_loglik_total"]
        if res["test_rows_unseen_skill"]:
            line += "  (%d test rows of unseen skills excluded)" % res["test_rows_unseen_skill"]
        print(line)


if __name__ == "__main__":
    main()

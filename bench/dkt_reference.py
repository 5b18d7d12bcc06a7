#!/usr/bin/env python3
"""Reference Deep Knowledge Tracing (DKT) in PyTorch, for side-by-side comparison with Kite.

Usage:
  /usr/bin/python3 bench/dkt_reference.py train TRAIN_3LINE TEST_3LINE \
      [--hidden 200] [--epochs 50] [--batch 64] [--lr 1e-3] [--dropout 0.2] \
      [--valid-fraction 0.1] [--patience 3] [--seed 42] [--threads 2] \
      [--chunk 200] [--batching shuffle|sorted] [--max-epochs-timing N] [--json]
  /usr/bin/python3 bench/dkt_reference.py step --skills K [--hidden 200] \
      [--threads 1] [--iters 20000] [--repeats 1] [--cell lstmcell|lstm] [--json]

Fair timing needs OpenBLAS (Debian's libopenblas0-openmp); Debian's torch calls
whatever libblas.so.3 is loaded, so run with
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_CORETYPE=SkylakeX
The "blas" field of the output names the BLAS library actually mapped into the
process (and OpenBLAS's core/config when it is OpenBLAS).

Input: "3-line" files; per student a line with the number of answers, a line
of comma-separated 1-based skill ids, a line of comma-separated 0/1 answers
(trailing commas allowed). K = largest skill id over train + test.

Model (standard DKT): the interaction index (skill - 1) + K * correct is
embedded (size = hidden), one nn.LSTM layer (hidden units), dropout, then
Linear(hidden, K) and a sigmoid. At step t the output for skill q[t+1] is the
prediction of answer r[t+1]; the loss is binary cross-entropy over every such
prediction (padding masked), averaged over the batch's predictions.

Sequences are cut into consecutive chunks of at most --chunk (200) steps;
chunks with fewer than 2 steps are dropped. Each chunk starts from a zero
LSTM state, so the first answer of every chunk is not predicted.

Batching: --batching shuffle (default) draws plain random batches of --batch
chunks each epoch, each padded to its own longest chunk (the usual DKT set-up;
on assist2015, where most chunks are short, that is ~5x the real steps).
--batching sorted sorts the chunks by length (ties broken randomly each
epoch), cuts that order into batches, and shuffles the order of the batches
each epoch: almost no padding (~5x faster per epoch on assist2015), but batches
are no longer i.i.d. (measured here: assist2015 test AUC 0.7290 sorted vs
0.7316 shuffle; statics2011, whose chunks are mostly full, is barely affected).
Padded positions are masked out of the loss and the metrics in both modes.

Early stopping: --valid-fraction of the training students (a seeded random
choice) are held out; validation AUC is computed after every epoch, the best
state is kept, and training stops after --patience epochs without improvement
(or after --epochs). Test AUC and RMSE are then pooled over every predicted
answer of the test file. "epoch seconds" is the training pass only; the
validation pass is timed separately.

Step: times the incremental inference of one student by one answer, batch 1,
under torch.no_grad(): embedding lookup, one LSTM cell step with carried
(h, c), output layer, sigmoid over all K skills. Weights are random (the
timing does not depend on them). Reports the median microseconds per step
over all timed steps, and with --repeats R the median of each of R runs and
the best of those (the host's speed drifts over tens of seconds on a shared
VM, so the best run median is the steadier figure).
"""

import argparse
import copy
import ctypes
import json
import math
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import seq3  # bench/seq3.py, beside this script


# ----------------------------------------------------------------------------- data

def read_3line(path):
    """Returns a list of (skills, answers) int64 numpy arrays, one per student."""
    return [(np.asarray(sk, dtype=np.int64), np.asarray(an, dtype=np.int64))
            for sk, an in seq3.read_students(path)]


def make_chunks(students, chunk):
    """Cuts every student into consecutive chunks of <= chunk steps; drops chunks < 2 steps."""
    out = []
    for sk, an in students:
        for s in range(0, len(sk), chunk):
            if len(sk[s:s + chunk]) >= 2:
                out.append((sk[s:s + chunk], an[s:s + chunk]))
    return out


def make_batches(chunks, batch, mode, rng):
    """Returns a list of index arrays (one per batch) over chunks."""
    n = len(chunks)
    if mode == "shuffle":
        order = rng.permutation(n)
        return [order[i:i + batch] for i in range(0, n, batch)]
    lengths = np.fromiter((len(c[0]) for c in chunks), dtype=np.int64, count=n)
    order = np.lexsort((rng.random(n), lengths))  # by length, ties random
    batches = [order[i:i + batch] for i in range(0, n, batch)]
    return [batches[i] for i in rng.permutation(len(batches))]


def collate(chunks, idx, K):
    """Pads a batch. Returns (x, q_next, r_next, mask) tensors, shapes (B,T) and (B,T-1)."""
    T = max(len(chunks[i][0]) for i in idx)
    B = len(idx)
    x = np.zeros((B, T), dtype=np.int64)
    q = np.zeros((B, T), dtype=np.int64)
    r = np.zeros((B, T), dtype=np.float32)
    m = np.zeros((B, T), dtype=bool)
    for b, i in enumerate(idx):
        sk, an = chunks[i]
        L = len(sk)
        x[b, :L] = (sk - 1) + K * an
        q[b, :L] = sk - 1
        r[b, :L] = an
        m[b, :L] = True
    return (torch.from_numpy(x), torch.from_numpy(q[:, 1:]),
            torch.from_numpy(r[:, 1:]), torch.from_numpy(m[:, 1:]))


# ----------------------------------------------------------------------------- model

class DKT(nn.Module):
    def __init__(self, K, hidden, dropout):
        super().__init__()
        self.K = K
        self.emb = nn.Embedding(2 * K, hidden)
        self.lstm = nn.LSTM(hidden, hidden, num_layers=1, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, K)

    def forward(self, x):
        h, _ = self.lstm(self.emb(x))
        return self.out(self.drop(h))  # logits (B, T, K)


def next_logits(model, x, q_next):
    """Logit of the prediction for the next answer's skill at each step: (B, T-1)."""
    logits = model(x)[:, :-1, :]
    return logits.gather(2, q_next.unsqueeze(2)).squeeze(2)


def auc_score(y, p):
    """ROC AUC (Mann-Whitney, ties get average ranks)."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    n1 = y.sum()
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    order = np.argsort(p, kind="mergesort")
    ps = p[order]
    ranks = np.empty(len(p), dtype=np.float64)
    # average rank of each run of equal scores (ranks are 1-based)
    boundaries = np.flatnonzero(np.diff(ps)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(ps)]))
    avg = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(avg, ends - starts)
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


@torch.no_grad()
def evaluate(model, chunks, K, batch):
    """Pooled predictions over every predicted answer. Returns (auc, rmse, n)."""
    model.eval()
    lengths = np.array([len(c[0]) for c in chunks])
    order = np.argsort(lengths, kind="stable")
    ys, ps = [], []
    for i in range(0, len(order), batch):
        x, q, r, m = collate(chunks, order[i:i + batch], K)
        p = torch.sigmoid(next_logits(model, x, q))
        ys.append(r[m].numpy())
        ps.append(p[m].numpy())
    y = np.concatenate(ys)
    p = np.concatenate(ps).astype(np.float64)
    rmse = float(np.sqrt(np.mean((p - y) ** 2)))
    return auc_score(y, p), rmse, int(len(y))


# ----------------------------------------------------------------------------- env info

def blas_info():
    """Which BLAS library the process has mapped, plus OpenBLAS core/config if it is OpenBLAS."""
    libs = []
    try:
        with open("/proc/self/maps") as f:
            for ln in f:
                path = ln.split()[-1] if len(ln.split()) >= 6 else ""
                base = os.path.basename(path)
                if ("blas" in base or "lapack" in base or "mkl" in base) and path not in libs:
                    libs.append(path)
    except OSError:
        pass
    info = {"libraries": libs, "BLAS_INFO": None,
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            "LD_LIBRARY_PATH": os.environ.get("LD_LIBRARY_PATH")}
    cfg = torch.__config__.show()
    for tok in cfg.replace(",", " ").split():
        if tok.startswith("BLAS_INFO="):
            info["BLAS_INFO"] = tok.split("=", 1)[1]
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            fn_core = lib.openblas_get_corename
            fn_cfg = lib.openblas_get_config
        except (OSError, AttributeError):
            continue
        fn_core.restype = ctypes.c_char_p
        fn_cfg.restype = ctypes.c_char_p
        info["openblas_core"] = fn_core().decode()
        info["openblas_config"] = fn_cfg().decode().strip()
        break
    return info


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def load_avg():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# ----------------------------------------------------------------------------- train

def cmd_train(a):
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)

    t0 = time.perf_counter()
    train = read_3line(a.train)
    test = read_3line(a.test)
    K = int(max(max(int(s.max()) for s, _ in train if len(s)),
                max(int(s.max()) for s, _ in test if len(s))))

    n_valid = int(round(a.valid_fraction * len(train)))
    perm = rng.permutation(len(train))
    valid_students = [train[i] for i in sorted(perm[:n_valid])]
    fit_students = [train[i] for i in sorted(perm[n_valid:])]
    fit_chunks = make_chunks(fit_students, a.chunk)
    valid_chunks = make_chunks(valid_students, a.chunk)
    test_chunks = make_chunks(test, a.chunk)
    n_fit_pred = sum(len(c[0]) - 1 for c in fit_chunks)
    load_s = time.perf_counter() - t0
    log = (lambda *s: print(*s, file=sys.stderr, flush=True)) if a.json else \
        (lambda *s: print(*s, flush=True))
    log(f"K={K} train students={len(train)} (fit {len(fit_students)}, valid {len(valid_students)}) "
        f"test students={len(test)}; chunks fit/valid/test = {len(fit_chunks)}/"
        f"{len(valid_chunks)}/{len(test_chunks)}; fit predictions/epoch = {n_fit_pred}; "
        f"load {load_s:.2f} s; torch {torch.__version__}, threads {torch.get_num_threads()}")
    bi = blas_info()
    log(f"blas: {bi}")

    model = DKT(K, a.hidden, a.dropout)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)

    max_epochs = a.epochs if a.max_epochs_timing is None else min(a.epochs, a.max_epochs_timing)
    best_auc, best_epoch, best_state, bad = -1.0, 0, None, 0
    epoch_secs, valid_secs, history = [], [], []
    epochs_run = 0
    for epoch in range(1, max_epochs + 1):
        model.train()
        t0 = time.perf_counter()
        loss_sum, n_sum = 0.0, 0
        for idx in make_batches(fit_chunks, a.batch, a.batching, rng):
            x, q, r, m = collate(fit_chunks, idx, K)
            z = next_logits(model, x, q)
            loss = F.binary_cross_entropy_with_logits(z[m], r[m])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            k = int(m.sum())
            loss_sum += float(loss) * k
            n_sum += k
        secs = time.perf_counter() - t0
        t1 = time.perf_counter()
        v_auc, v_rmse, v_n = evaluate(model, valid_chunks, K, max(a.batch, 256))
        vsecs = time.perf_counter() - t1
        epochs_run = epoch
        epoch_secs.append(secs)
        valid_secs.append(vsecs)
        improved = v_auc > best_auc
        history.append({"epoch": epoch, "train_loss": loss_sum / n_sum, "valid_auc": v_auc,
                        "valid_rmse": v_rmse, "epoch_seconds": secs, "valid_seconds": vsecs,
                        "loadavg": load_avg()})
        log(f"epoch {epoch:3d}  train loss {loss_sum / n_sum:.5f}  valid AUC {v_auc:.5f}  "
            f"RMSE {v_rmse:.5f}  epoch {secs:.2f} s  (valid {vsecs:.2f} s)  "
            f"load {load_avg()}{'  *' if improved else ''}")
        if improved:
            best_auc, best_epoch, bad = v_auc, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad += 1
            if bad >= a.patience:
                log(f"early stop: {a.patience} epochs without improvement")
                break

    model.load_state_dict(best_state)
    t0 = time.perf_counter()
    auc, rmse, n = evaluate(model, test_chunks, K, max(a.batch, 256))
    test_secs = time.perf_counter() - t0
    log(f"best epoch {best_epoch} (valid AUC {best_auc:.5f}); test AUC {auc:.5f}  RMSE {rmse:.5f}  "
        f"n={n} predictions (test answers {sum(len(s) for s, _ in test)}, first answer of each "
        f"of {len(test_chunks)} chunks not predicted); median epoch "
        f"{float(np.median(epoch_secs)):.2f} s; peak RSS {peak_rss_mb():.0f} MB")
    if a.json:
        print(json.dumps({
            "tool": "pytorch-dkt", "torch": torch.__version__, "blas": bi,
            "threads": torch.get_num_threads(), "hidden": a.hidden, "K": K,
            "batch": a.batch, "lr": a.lr, "dropout": a.dropout, "chunk": a.chunk,
            "batching": a.batching, "seed": a.seed,
            "timing_only": a.max_epochs_timing is not None,
            "epochs_run": epochs_run, "best_epoch": best_epoch, "best_valid_auc": best_auc,
            "median_epoch_seconds": float(np.median(epoch_secs)),
            "median_valid_seconds": float(np.median(valid_secs)),
            "test_seconds": test_secs,
            "test_auc": auc, "test_rmse": rmse, "n": n,
            "test_answers": int(sum(len(s) for s, _ in test)), "test_chunks": len(test_chunks),
            "fit_predictions_per_epoch": n_fit_pred,
            "peak_rss_mb": peak_rss_mb(), "loadavg_end": load_avg(), "history": history,
        }))


# ----------------------------------------------------------------------------- step

def cmd_step(a):
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    K, H = a.skills, a.hidden
    emb = nn.Embedding(2 * K, H)
    out = nn.Linear(H, K)
    if a.cell == "lstmcell":
        cell = nn.LSTMCell(H, H)
    else:
        cell = nn.LSTM(H, H, batch_first=True)
    for mod in (emb, cell, out):
        mod.eval()
    g = torch.Generator().manual_seed(a.seed)
    total = a.warmup + a.iters
    clock = time.perf_counter_ns
    rep_medians, all_t = [], []
    for rep in range(a.repeats):
        xs = torch.randint(0, 2 * K, (total,), generator=g)
        h = torch.zeros(1, H)
        c = torch.zeros(1, H)
        if a.cell == "lstm":
            h, c = h.unsqueeze(0), c.unsqueeze(0)  # (layers, B, H)
        times = np.empty(total, dtype=np.int64)
        with torch.no_grad():
            for i in range(total):
                t0 = clock()
                e = emb(xs[i:i + 1])                          # (1, H)
                if a.cell == "lstmcell":
                    h, c = cell(e, (h, c))
                    p = torch.sigmoid(out(h))                 # (1, K)
                else:
                    y, (h, c) = cell(e.unsqueeze(0), (h, c))  # y (1, 1, H)
                    p = torch.sigmoid(out(y[0]))
                times[i] = clock() - t0
        rt = times[a.warmup:] / 1000.0
        rep_medians.append(float(np.median(rt)))
        all_t.append(rt)
    t = np.concatenate(all_t)
    res = {"tool": "pytorch-dkt-step", "torch": torch.__version__, "blas": blas_info(),
           "threads": torch.get_num_threads(), "cell": a.cell, "skills": K, "hidden": H,
           "iters": a.iters, "repeats": a.repeats, "median_us": float(np.median(t)),
           "repeat_medians_us": rep_medians, "best_repeat_median_us": min(rep_medians),
           "mean_us": float(t.mean()),
           "p10_us": float(np.percentile(t, 10)), "p90_us": float(np.percentile(t, 90)),
           "checksum": float(p.sum()), "loadavg": load_avg()}
    if a.json:
        print(json.dumps(res))
    else:
        print(f"step K={K} H={H} {a.cell} threads={res['threads']}: median {res['median_us']:.1f} us "
              f"(p10 {res['p10_us']:.1f}, p90 {res['p90_us']:.1f}, mean {res['mean_us']:.1f}) "
              f"over {a.repeats}x{a.iters} steps; per-repeat medians "
              f"{[round(x, 1) for x in rep_medians]}; load {res['loadavg']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="train with early stopping, evaluate on test")
    t.add_argument("train")
    t.add_argument("test")
    t.add_argument("--hidden", type=int, default=200)
    t.add_argument("--epochs", type=int, default=50)
    t.add_argument("--batch", type=int, default=64)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--dropout", type=float, default=0.2)
    t.add_argument("--valid-fraction", type=float, default=0.1)
    t.add_argument("--patience", type=int, default=3)
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--chunk", type=int, default=200)
    t.add_argument("--batching", choices=["shuffle", "sorted"], default="shuffle")
    t.add_argument("--max-epochs-timing", type=int, default=None,
                   help="stop after N epochs (timing only; test metrics use the best of those)")
    t.add_argument("--json", action="store_true", help="JSON on stdout, progress on stderr")
    s = sub.add_parser("step", help="time incremental batch-1 inference, one answer at a time")
    s.add_argument("--skills", type=int, required=True)
    s.add_argument("--hidden", type=int, default=200)
    s.add_argument("--threads", type=int, default=1)
    s.add_argument("--iters", type=int, default=20000)
    s.add_argument("--warmup", type=int, default=1000, help="untimed steps before each repeat")
    s.add_argument("--repeats", type=int, default=1,
                   help="independent runs of --iters steps (reports each run's median and the best)")
    s.add_argument("--cell", choices=["lstmcell", "lstm"], default="lstmcell")
    s.add_argument("--seed", type=int, default=42)
    s.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.cmd == "train":
        cmd_train(a)
    else:
        cmd_step(a)


if __name__ == "__main__":
    main()

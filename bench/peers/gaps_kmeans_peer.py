"""KMeans told the true number of intents: the peer `kb gaps` (never told k) is compared with.

Numpy only (k-means++ seeding, Lloyd iterations, best of several restarts by inertia) on the
unit-length MiniLM vectors `kb embed --lines` writes. Outliers: none (every question assigned).

    cut -d, -f1 … > texts.txt   # see docs/GAPS.md for the exact commands
    .build/release/kb embed --lines /tmp/topics/hwu_texts.txt > /tmp/topics/hwu_vec.jsonl
    python3 bench/peers/gaps_kmeans_peer.py /tmp/topics/hwu_vec.jsonl /tmp/topics/hwu_labels.txt [restarts] [seed]
"""
import json, sys
import numpy as np


def load(vectors_path, labels_path):
    if vectors_path.endswith(".npy"):
        X = np.load(vectors_path)
    else:
        X = np.array([json.loads(l) for l in open(vectors_path) if l.strip()], dtype=np.float32)
    labels = [l for l in open(labels_path).read().split("\n") if l]
    assert len(labels) == len(X), (len(labels), len(X))
    return X, labels


def kmeans_pp(X, k, rng):
    n = len(X)
    sq = (X * X).sum(1)
    centers = [X[rng.integers(n)]]
    d2 = sq - 2 * X @ centers[0] + centers[0] @ centers[0]
    for _ in range(1, k):
        # sklearn's greedy variant: 2 + log(k) candidates, keep the one lowering potential most
        cands = rng.choice(n, size=2 + int(np.log(k)), p=np.maximum(d2, 0) / np.maximum(d2, 0).sum())
        best, best_pot, best_d2 = None, np.inf, None
        for c in cands:
            nd2 = np.minimum(d2, sq - 2 * X @ X[c] + X[c] @ X[c])
            if nd2.sum() < best_pot:
                best, best_pot, best_d2 = c, nd2.sum(), nd2
        centers.append(X[best]); d2 = best_d2
    return np.array(centers)


def lloyd(X, C, iters=300, tol=1e-6):
    sq = (X * X).sum(1)
    prev = np.inf
    for _ in range(iters):
        d2 = sq[:, None] - 2 * X @ C.T + (C * C).sum(1)[None, :]
        a = d2.argmin(1)
        inertia = d2[np.arange(len(X)), a].sum()
        for j in range(len(C)):
            m = a == j
            if m.any():
                C[j] = X[m].mean(0)
        if prev - inertia <= tol * abs(prev if np.isfinite(prev) else inertia):
            break
        prev = inertia
    return a, inertia


def kmeans(X, k, restarts=10, seed=0):
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(restarts):
        a, inertia = lloyd(X, kmeans_pp(X, k, rng).astype(np.float64))
        if best is None or inertia < best[1]:
            best = (a, inertia)
    return best[0]


def nmi_ari(labels, pred):
    from collections import Counter
    _, y = np.unique(labels, return_inverse=True)
    _, p = np.unique(pred, return_inverse=True)
    C = np.zeros((y.max() + 1, p.max() + 1)); np.add.at(C, (y, p), 1)
    n = C.sum(); a = C.sum(1); b = C.sum(0)
    nz = C > 0
    mi = (C[nz] / n * np.log(C[nz] * n / np.outer(a, b)[nz])).sum()
    ha = -(a / n * np.log(a / n)).sum(); hb = -(b / n * np.log(b / n)).sum()
    nmi = 2 * mi / (ha + hb) if ha + hb > 0 else 1.0
    comb = lambda x: x * (x - 1) / 2
    sij = comb(C).sum(); sa = comb(a).sum(); sb = comb(b).sum(); expected = sa * sb / comb(n)
    ari = (sij - expected) / ((sa + sb) / 2 - expected)
    return nmi, ari


if __name__ == "__main__":
    X, labels = load(sys.argv[1], sys.argv[2])
    restarts = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    seeds = [int(sys.argv[4])] if len(sys.argv) > 4 else [0, 1, 2]
    k = len(set(labels))
    for seed in seeds:
        pred = kmeans(X.astype(np.float64), k, restarts, seed)
        nmi, ari = nmi_ari(labels, pred)
        print(f"KMeans told k={k} ({len(X)} questions, k-means++ x{restarts}, seed {seed}): NMI {nmi:.3f} ARI {ari:.3f}")

"""Research for issue 15 (topics that match how people ask): clustering rules measured on
intent sets and their random subsets (peer only, not used by kb).

    .build/release/kb embed --lines texts.txt > vec.jsonl      # one JSON vector per question
    python3 bench/peers/gaps_topics_lab.py vec.jsonl labels.txt [method …]

Methods: `base` (average linkage cut at mean + 2 std, min size, nearest-centroid rescue: the
old kb rule); `bg` (the cut repeated with the background of pairs in different groups until it
settles); `bg_final` (bg + spherical k-means refinement on 5-NN-smoothed vectors, own vector against the
threshold as outlier test, + merging of near-duplicate topics: what kb does); `bg_refine`, `bg_refine_merge`, `refine`, `s5_…` (5-NN
smoothed vectors) variants measured in docs/GAPS.md.
"""
import json, sys, time
import numpy as np
from scipy.cluster.hierarchy import linkage, fcluster
from scipy.spatial.distance import pdist
sys.path.insert(0, __file__.rsplit("/", 1)[0])
from gaps_kmeans_peer import load, nmi_ari


def pair_sums(X):
    """Sum and sum of squares of cosine similarities over unordered pairs of rows of X."""
    n = len(X)
    v = X.sum(0)
    G = X.T @ X
    return (v @ v - n) / 2, ((G * G).sum() - n) / 2, n * (n - 1) / 2


def background(X, groups=None):
    """Mean and std of pair similarities; with `groups`, of pairs in different groups only."""
    s, q, m = pair_sums(X)
    if groups is not None:
        for g in np.unique(groups):
            idx = groups == g
            if idx.sum() > 1:
                ws, wq, wm = pair_sums(X[idx])
                s -= ws; q -= wq; m -= wm
    mean = s / m
    return None, mean, np.sqrt(max(q / m - mean * mean, 0))


def avg_groups(X, thr):
    Z = linkage(pdist(X, "cosine"), "average")
    return fcluster(Z, 1 - thr, "distance"), Z


def finish(X, groups, minsize, floor):
    """Groups >= minsize become topics; the rest join the nearest centroid if cos >= floor."""
    ids, cnt = np.unique(groups, return_counts=True)
    big = ids[cnt >= minsize]
    a = np.full(len(X), -1)
    for t, g in enumerate(big):
        a[groups == g] = t
    if len(big) == 0:
        return a
    C = centroids(X, a, len(big))
    out = a < 0
    sims = X[out] @ C.T
    best = sims.argmax(1)
    ok = sims[np.arange(len(best)), best] >= floor
    idx = np.where(out)[0]
    a[idx[ok]] = best[ok]
    return a


def centroids(X, a, k):
    C = np.zeros((k, X.shape[1]))
    np.add.at(C, a[a >= 0], X[a >= 0])
    n = np.linalg.norm(C, axis=1, keepdims=True)
    return C / np.maximum(n, 1e-12)


def means(X, a, k):
    M = np.zeros((k, X.shape[1])); c = np.bincount(a[a >= 0], minlength=k)
    np.add.at(M, a[a >= 0], X[a >= 0])
    return M / np.maximum(c, 1)[:, None], c


def refine(X, a, iters=10, floor=None):
    """Spherical k-means from the topics' centroids; points below `floor` stay outliers."""
    k = a.max() + 1
    for _ in range(iters):
        C = centroids(X, a, k)
        S = X @ C.T
        b = S.argmax(1)
        if floor is not None:
            b[S[np.arange(len(X)), b] < floor] = -1
        if (b == a).all():
            break
        a = b
    return relabel(a)


def relabel(a):
    ids = [t for t in np.unique(a) if t >= 0]
    m = {t: i for i, t in enumerate(ids)}
    return np.array([m.get(t, -1) for t in a])


def merge(X, a, thr):
    """Average linkage over topics: merge while the mean pairwise cosine of two topics >= thr."""
    while True:
        k = a.max() + 1
        if k < 2:
            return a
        M, c = means(X, a, k)
        S = M @ M.T
        np.fill_diagonal(S, -np.inf)
        i, j = np.unravel_index(S.argmax(), S.shape)
        if S[i, j] < thr:
            return a
        a = np.where(a == j, i, a)
        a = relabel(a)


def refine_smoothed(X, Y, a, t, iters=50):
    """Refinement moving questions by smoothed vectors Y; the outlier test on their own X."""
    k = a.max() + 1
    for _ in range(iters):
        Cy = centroids(Y, a, k); Cx = centroids(X, a, k)
        b = (Y @ Cy.T).argmax(1)
        b[(X * Cx[b]).sum(1) < t] = -1
        if (b == a).all():
            break
        a = b
    return relabel(a)


def merge_duplicates(X, a):
    """Merge two topics while their mean pairwise cosine >= the smaller of their own within means."""
    while True:
        k = a.max() + 1
        if k < 2:
            return a
        M, c = means(X, a, k)
        within = (c * c * (M * M).sum(1) - c) / np.maximum(c * (c - 1), 1)
        S = M @ M.T
        np.fill_diagonal(S, -np.inf)
        R = S - np.minimum(within[:, None], within[None, :])
        i, j = np.unravel_index(R.argmax(), R.shape)
        if R[i, j] < 0:
            return a
        a = relabel(np.where(a == j, i, a))


def smooth(X, k):
    """Each vector replaced by the normalised mean of itself and its k-1 nearest neighbours."""
    S = X @ X.T
    idx = np.argpartition(-S, k - 1, axis=1)[:, :k]
    Y = X[idx].mean(1)
    return Y / np.linalg.norm(Y, axis=1, keepdims=True)


def method(X, name):
    n = len(X)
    if name.startswith("s") and "_" in name and name[1].isdigit():
        k, name = name[1:].split("_", 1)
        X = smooth(X, int(k))
    S, mu, sd = background(X)
    minsize = max(3, int(np.ceil(0.001 * n)))
    thr = mu + 2 * sd
    if name == "base":
        g, _ = avg_groups(X, thr)
        return finish(X, g, minsize, thr)
    if name.startswith("refine"):
        # base, then spherical k-means; then merge topics whose average linkage >= thr
        g, _ = avg_groups(X, thr)
        a = finish(X, g, minsize, thr)
        a = refine(X, a)
        if "merge" in name:
            a = merge(X, a, thr)
        return a
    if name.startswith("bg"):
        # iterate: background = pairs in different groups of the current cut
        z = 2.0
        Z = linkage(pdist(X, "cosine"), "average")
        t = thr
        for it in range(20):
            g = fcluster(Z, 1 - t, "distance")
            _, m2, s2 = background(X, g)
            t2 = m2 + z * s2
            if abs(t2 - t) < 1e-4:
                break
            t = t2
        print(f"   bg threshold {thr:.3f} -> {t:.3f} after {it} iterations", file=sys.stderr)
        a = finish(X, g, minsize, t)
        if name == "bg_final":   # what kb does (ClusteringOptions.gapTopics)
            return merge_duplicates(X, refine_smoothed(X, smooth(X, 5), a, t))
        if name == "bg_final_unsmoothed":
            return merge_duplicates(X, refine(X, a, floor=t))
        if "refine" in name:
            a = refine(X, a)
        if "merge" in name:
            a = merge(X, a, t)
        return a
    raise ValueError(name)


def run(X, labels, name):
    t = time.time()
    a = method(X, name)
    nmi, ari = nmi_ari(labels, np.where(a < 0, -1, a))
    return nmi, ari, a.max() + 1, (a < 0).mean(), time.time() - t


if __name__ == "__main__":
    X, labels = load(sys.argv[1], sys.argv[2])
    X = X.astype(np.float64)
    names = sys.argv[3:] or ["base"]
    labels = np.array(labels)
    intents = sorted(set(labels))
    for name in names:
        rng = np.random.default_rng(7)
        nmi, ari, k, out, secs = run(X, labels, name)
        print(f"{name:24s} full     NMI {nmi:.3f} ARI {ari:.3f} topics {k:4d}/{len(intents)} out {out:.3f} ({secs:.1f}s)", flush=True)
        for m, q in [(5, 60), (10, 40), (20, 30), (30, 0)]:
            if m >= len(intents):
                continue
            rows = []
            for rep in range(3):
                pick = rng.choice(intents, m, replace=False)
                idx = np.where(np.isin(labels, pick))[0]
                if q:
                    idx = np.concatenate([rng.choice(np.where(labels == p)[0], min(q, (labels == p).sum()), replace=False) for p in pick])
                rows.append(run(X[idx], labels[idx], name) + (len(idx),))
            r = np.array(rows)
            print(f"{name:24s} {m:2d} intents x{q or 'all'} (n≈{int(r[:,5].mean())}): NMI {r[:,0].min():.3f}–{r[:,0].max():.3f} "
                  f"ARI {r[:,1].min():.3f}–{r[:,1].max():.3f} topics {int(r[:,2].min())}–{int(r[:,2].max())} out {r[:,3].max():.3f}", flush=True)

"""Issue 15, topics with no k (third round): starts that keep the linkage's coherent topics whole
and split or merge only where that pays, measured on both intent sets, their random subsets
(the draws of gaps_topics_lab.py) and the demo (peer only, not used by kb).

    python3 bench/peers/gaps_topics_lab3.py SET [method …]

SET: `b77`, `hwu` (vectors /tmp/topics/{b77,hwu}_vec.npy + _labels.txt), `b77sub`, `hwusub`
(5×60, 10×40, 20×30 intents, three draws each, seed 7), `b77sub11`, `hwusub11` (five other
draws per size, seed 11), `demo147` (the planted gap tickets), `demo547` (all demo tickets +
questions.csv, as the pipeline reads them; every question clustered). Vectors: `kb embed
--lines` (docs/GAPS.md).

Methods: `bg_final` (steps 1–5 of kb), `kmpp3` (lab 2's restarts), `split_t` / `split_mid`
(bisect topics whose halves are separated), `swap` / `swap_t` / `swapx_t` (split-and-merge
moves at the cut's k; `_t`: merges only at or above the threshold; `x`: on raw vectors),
`swapm_t` (merges only), `swapz<z>` (splits only whose gain stands out, mean + z·std),
`zm<z>` (`swapz<z>`, then merges alone: what kb does, `TopicSwaps.swift`). Set `LOG = []` to
record every move with the gold labels (diagnostics only).
"""
import json, sys, time
import numpy as np
sys.path.insert(0, __file__.rsplit("/", 1)[0])
from gaps_kmeans_peer import load, nmi_ari
from gaps_topics_lab import background, finish, smooth, refine_smoothed, merge_duplicates, centroids, relabel
from scipy.cluster.hierarchy import linkage, fcluster
from scipy.spatial.distance import pdist

D = "/tmp/topics/"
GAPS = {"pdf-currency-symbol-locale", "bank-feed-duplicates-reconnect", "android15-receipt-crash", "webhook-retry-flood",
        "vat-rounding-difference", "accountant-invite-expired", "stripe-payout-fees-missing", "csv-import-ddmmyyyy"}


def tree(X):
    return linkage(pdist(X, "cosine"), "average")


def bg_cut(X, Z, z=2.0):
    _, mu, sd = background(X)
    t = mu + z * sd
    for _ in range(30):
        g = fcluster(Z, 1 - t, "distance")
        _, m2, s2 = background(X, g)
        t2 = m2 + z * s2
        if abs(t2 - t) < 1e-4:
            break
        t = t2
    return g, t


def start(X, Z):
    n = len(X)
    minsize = max(3, int(np.ceil(0.001 * n)))
    g, t = bg_cut(X, Z)
    a = finish(X, g, minsize, t)
    return a, t, minsize


def two_means(Y, rng_seed=0, iters=30):
    """Spherical 2-means on rows of Y, seeded by the row farthest from the mean and the row
    farthest from that one (deterministic)."""
    m = Y.mean(0)
    i = int(np.argmin(Y @ m))
    j = int(np.argmin(Y @ Y[i]))
    C = np.stack([Y[i], Y[j]])
    b = None
    for _ in range(iters):
        nb = (Y @ C.T).argmax(1)
        if b is not None and (nb == b).all():
            break
        b = nb
        for c in range(2):
            if (b == c).any():
                v = Y[b == c].sum(0); C[c] = v / np.linalg.norm(v)
    return b


def mean_cross(XA, XB):
    return float(XA.sum(0) @ XB.sum(0)) / (len(XA) * len(XB))


def mean_within(XA):
    m = len(XA); v = XA.sum(0)
    return (v @ v - m) / max(m * (m - 1), 1)


def split_pass(X, Y, a, t, minsize, rule):
    """Split every topic whose 2-means halves are well separated (rule); returns new a, splits."""
    a = a.copy(); nxt = a.max() + 1; splits = 0
    for g in range(a.max() + 1):
        idx = np.where(a == g)[0]
        if len(idx) < 2 * minsize:
            continue
        b = two_means(Y[idx])
        A, B = idx[b == 0], idx[b == 1]
        if min(len(A), len(B)) < minsize:
            continue
        cross = mean_cross(X[A], X[B])
        wa, wb = mean_within(X[A]), mean_within(X[B])
        ok = {"t": cross < t,
              "mid": cross < (t + min(wa, wb)) / 2,   # closer to the background than to the looser half
              }[rule]
        if ok:
            a[B] = nxt; nxt += 1; splits += 1
    return a, splits


LOG = None
CUR_LABELS = None


def _bimodal(YA, YB):
    """Share of the spread along the axis between the two halves' means that the split explains."""
    u = YA.mean(0) - YB.mean(0); u /= np.linalg.norm(u)
    pa, pb = YA @ u, YB @ u
    p = np.concatenate([pa, pb])
    between = len(pa) * (pa.mean() - p.mean()) ** 2 + len(pb) * (pb.mean() - p.mean()) ** 2
    return between / ((p - p.mean()) ** 2).sum()


def heldout_split(Yg):
    """2-means fitted on every other member; the rest assigned to the nearer centre. Returns the
    share of the spread along the centres' axis that the split explains on the held-out members."""
    fit, held = Yg[0::2], Yg[1::2]
    b = two_means(fit)
    if min((b == 0).sum(), (b == 1).sum()) == 0 or len(held) < 2:
        return 0.0
    ca, cb = fit[b == 0].mean(0), fit[b == 1].mean(0)
    u = ca - cb; u /= np.linalg.norm(u)
    p = held @ u
    side = held @ ca - held @ cb >= 0 if False else (np.linalg.norm(held - cb, axis=1) > np.linalg.norm(held - ca, axis=1))
    if side.all() or (~side).all():
        return 0.0
    pa, pb = p[side], p[~side]
    between = len(pa) * (pa.mean() - p.mean()) ** 2 + len(pb) * (pb.mean() - p.mean()) ** 2
    return between / ((p - p.mean()) ** 2).sum()


def _major(idx):
    if CUR_LABELS is None:
        return None
    v, c = np.unique(CUR_LABELS[idx], return_counts=True)
    return v[c.argmax()]


def swap_moves(X, Y, a, t, minsize, rounds=10, merge_rule=None, merge_only=False, split_z=None):
    """Split-and-merge at a fixed number of topics under the k-means objective on the smoothed
    vectors (a topic's share is |sum of its vectors|): split a topic in two (2-means) and merge the
    two closest others when the split gains more than the merge loses; all such disjoint pairs of
    moves per round, then k-means again."""
    for _ in range(rounds):
        k = a.max() + 1
        S = np.zeros((k, Y.shape[1])); np.add.at(S, a[a >= 0], Y[a >= 0])
        norm = np.linalg.norm(S, axis=1)
        splits = []
        for g in range(k):
            idx = np.where(a == g)[0]
            if len(idx) < 2 * minsize:
                continue
            b = two_means(Y[idx])
            if min((b == 0).sum(), (b == 1).sum()) < minsize:
                continue
            gain = np.linalg.norm(Y[idx[b == 0]].sum(0)) + np.linalg.norm(Y[idx[b == 1]].sum(0)) - norm[g]
            splits.append((gain, g, idx[b == 1]))
        splits.sort(key=lambda x: -x[0])
        if split_z is not None and splits:
            gains = np.array([x[0] for x in splits] + [0.0] * (k - len(splits)))   # unsplittable topics gain nothing
            splits = [x for x in splits if x[0] >= gains.mean() + split_z * gains.std()]
        M = norm[:, None] + norm[None, :] - np.linalg.norm(S[:, None, :] + S[None, :, :], axis=2)
        np.fill_diagonal(M, np.inf)
        if merge_rule == "t":    # only pairs the cut's rule would join: mean cross similarity >= t
            Sx = np.zeros((k, X.shape[1])); np.add.at(Sx, a[a >= 0], X[a >= 0])
            c = np.bincount(a[a >= 0], minlength=k)
            cross = (Sx @ Sx.T) / np.maximum(np.outer(c, c), 1)
            M[cross < t] = np.inf
        merges = sorted((M[i, j], i, j) for i in range(k) for j in range(i + 1, k))
        used = set(); nxt = k; moved = 0; a = a.copy()
        mi = 0
        for gain, g, B in splits:
            if g in used:
                continue
            while mi < len(merges) and (merges[mi][1] in used or merges[mi][2] in used or g in merges[mi][1:]):
                mi += 1
            if mi >= len(merges) or merges[mi][0] >= gain or not np.isfinite(merges[mi][0]):
                break
            _, i, j = merges[mi]; mi += 1
            if LOG is not None:
                A = np.setdiff1d(np.where(a == g)[0], B)
                LOG.append(dict(n=len(a), t=t, gain=gain, loss=_, cross=mean_cross(X[A], X[B]), wa=mean_within(X[A]), wb=mean_within(X[B]),
                                w=mean_within(X[a == g]), size=(a == g).sum(), msizes=((a == i).sum(), (a == j).sum()),
                                mcross=mean_cross(X[a == i], X[a == j]),
                                R=_bimodal(Y[A], Y[B]), Rho=heldout_split(Y[np.where(a == g)[0]]), good_split=_major(A) != _major(B), good_merge=_major(np.where(a == i)[0]) == _major(np.where(a == j)[0])))
            a[a == j] = i
            if not merge_only:
                a[B] = j          # j's slot takes the split-off half
            used |= {g, i, j}; moved += 1
        if moved == 0:
            break
        a = refine_smoothed(X, Y, relabel(a), t)
    return merge_duplicates(X, a)


def method(X, Z, name):
    a0, t, minsize = start(X, Z)
    Y = smooth(X, 5)
    if name == "bg_final":
        return merge_duplicates(X, refine_smoothed(X, Y, a0, t))
    if name.startswith("kmpp"):
        from sklearn.cluster import KMeans
        best = merge_duplicates(X, refine_smoothed(X, Y, a0, t))
        obj = lambda a: (Y @ centroids(Y, a, a.max() + 1).T).max(1).sum()
        k = a0.max() + 1
        for r in range(3):
            a = KMeans(k, n_init=1, random_state=r).fit_predict(Y)
            a = merge_duplicates(X, refine_smoothed(X, Y, a, t))
            if obj(a) > obj(best):
                best = a
        return best
    if name.startswith("split"):             # split_<rule>[_once]: bisect well-separated topics, refine, merge
        rule = name.split("_")[1]
        a = merge_duplicates(X, refine_smoothed(X, Y, a0, t))
        for _ in range(1 if "once" in name else 10):
            a, s = split_pass(X, Y, a, t, minsize, rule)
            if s == 0:
                break
            a = merge_duplicates(X, refine_smoothed(X, Y, relabel(a), t))
        return a
    return from_linkage(X, Y, merge_duplicates(X, refine_smoothed(X, Y, a0, t)), t, minsize, name)


def from_linkage(X, Y, a, t, minsize, name, cache=None):
    """Variants that start from kb's refined linkage partition `a` (cache: prepared k-means++ runs)."""
    if name == "m_then_swap":
        a = swap_moves(X, Y, a, t, minsize, merge_rule="t", merge_only=True)
        return swap_moves(X, Y, a, t, minsize, merge_rule="t")
    if name == "swap_then_m":
        a = swap_moves(X, Y, a, t, minsize, merge_rule="t")
        return swap_moves(X, Y, a, t, minsize, merge_rule="t", merge_only=True)
    if name.startswith("zm"):                # zm<z>: swapz<z>, then merges paid for by any split
        a = swap_moves(X, Y, a, t, minsize, merge_rule="t", split_z=float(name[2:]))
        return swap_moves(X, Y, a, t, minsize, merge_rule="t", merge_only=True)
    if name.startswith("swapz"):             # swapz<z>: only splits whose gain stands out (mean + z std of all topics' gains)
        return swap_moves(X, Y, a, t, minsize, merge_rule="t", split_z=float(name[5:]))
    if name.startswith("swapx"):             # the objective and the 2-means on the questions' own vectors
        return swap_moves(X, X, a, t, minsize, merge_rule="t")
    if name.startswith("swap"):
        return swap_moves(X, Y, a, t, minsize, merge_rule="t" if "_t" in name else None, merge_only="m_" in name)
    raise ValueError(name)


def demo_score(labels, a):
    gap_one, mixed = 0, {}
    out = []
    for p in sorted(set(labels)):
        idx = [i for i, l in enumerate(labels) if l == p]
        ts = {a[i] for i in idx if a[i] >= 0}
        if p in GAPS:
            gap_one += len(ts) == 1
            if len(ts) != 1:
                out.append(f"{p}:{len(ts)}")
            for tt in ts:
                if 5 * sum(a[i] == tt for i in idx) >= len(idx):
                    mixed.setdefault(tt, set()).add(p)
    return gap_one, sum(len(v) > 1 for v in mixed.values()), out


def main():
    set_, names = sys.argv[1], sys.argv[2:]
    base = set_.split("sub")[0]
    X, labels = load(D + (f"{base}_vec.npy" if base in ("b77", "hwu") else f"{base}_vec.jsonl"), D + f"{base}_labels.txt")
    X = X.astype(np.float64); X /= np.linalg.norm(X, axis=1, keepdims=True)
    labels = np.array(labels)
    if "sub" in set_:
        seed = int(set_.split("sub")[1] or 7)      # b77sub11: other draws (seed 11), five per size
        intents = sorted(set(labels)); rng = np.random.default_rng(seed)
        draws = []
        for m, q in [(5, 60), (10, 40), (20, 30)]:
            for rep in range(3 if seed == 7 else 5):
                pick = rng.choice(intents, m, replace=False)
                draws.append((m, np.concatenate([rng.choice(np.where(labels == p)[0], min(q, (labels == p).sum()), replace=False) for p in pick])))
        trees = [tree(X[idx]) for _, idx in draws]
        for name in names:
            res = {}
            for (m, idx), Z in zip(draws, trees):
                global CUR_LABELS
                CUR_LABELS = labels[idx]
                a = method(X[idx], Z, name)
                res.setdefault(m, []).append(nmi_ari(labels[idx], np.where(a < 0, -1, a)) + (len(set(a[a >= 0])), (a < 0).mean()))
            print(f"{set_:7s} {name:16s} " + " | ".join(
                f"{m}: " + " ".join(f"{r[0]:.3f}/{r[1]:.3f}/{r[2]}" for r in rs) for m, rs in res.items()), flush=True)
            print(f"{set_:7s} {name:16s} means NMI/ARI " + " | ".join(
                f"{m}: {np.mean([r[0] for r in rs]):.3f}/{np.mean([r[1] for r in rs]):.3f}" for m, rs in res.items()), flush=True)
        return
    zpath = D + f"{set_}_tree.npy"
    try:
        Z = np.load(zpath)
    except FileNotFoundError:
        Z = tree(X); np.save(zpath, Z)
    for name in names:
        t0 = time.time()
        a = method(X, Z, name)
        if set_.startswith("demo"):
            one, mixed, split = demo_score(list(labels), a)
            nmi, ari = nmi_ari(labels[np.isin(labels, list(GAPS))], a[np.isin(labels, list(GAPS))])
            print(f"{set_:7s} {name:16s} gap problems in one topic {one}/8 mixing {mixed} split {split} topics {a.max()+1} "
                  f"out {(a<0).mean():.3f} (gap tickets NMI {nmi:.3f} ARI {ari:.3f})", flush=True)
        else:
            nmi, ari = nmi_ari(labels, np.where(a < 0, -1, a))
            print(f"{set_:7s} {name:16s} NMI {nmi:.3f} ARI {ari:.3f} topics {len(set(a[a >= 0]))}/{len(set(labels))} "
                  f"out {(a < 0).mean():.3f} ({time.time() - t0:.0f}s)", flush=True)


if __name__ == "__main__":
    main()

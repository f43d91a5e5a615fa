"""Issue 15, topics with no k (second round): variants of kb's rule measured on both intent sets
(peer only, not used by kb). Vectors as .npy or JSONL from `kb embed --lines`.

    python3 bench/peers/gaps_topics_lab2.py vec.npy labels.txt [method …]

Methods: `bg_final` (what kb does, from gaps_topics_lab.py); `km_smooth` (kb's cut decides k and
seeds, then spherical k-means on 5-NN-smoothed vectors); `louvain_mknn` (Louvain on a mutual
k-NN graph with cosine weights); `refine_s` (refinement with centroids of smoothed vectors too);
see `method()` for the rest.
"""
import sys, time
import numpy as np
import networkx as nx
sys.path.insert(0, __file__.rsplit("/", 1)[0])
from gaps_kmeans_peer import load, nmi_ari
from gaps_topics_lab import background, finish, smooth, refine_smoothed, merge_duplicates, centroids
from scipy.cluster.hierarchy import linkage, fcluster
from scipy.spatial.distance import pdist


_TREES = {}


def tree(X):
    key = (len(X), float(X[:, :4].sum()))
    if key not in _TREES:
        _TREES[key] = linkage(pdist(X, "cosine"), "average")
    return _TREES[key]


def objective(Y, a):
    """Spherical k-means objective: each (smoothed) vector's best cosine to a topic centroid."""
    C = centroids(Y, a, a.max() + 1)
    return (Y @ C.T).max(1).sum()


def agreement(X, a, t):
    """Correlation-clustering score of a partition against the cut's threshold: the sum over
    pairs in the same topic of (cosine - t); pairs above t gain by being together, below t lose."""
    total = 0.0
    for g in np.unique(a[a >= 0]):
        Xg = X[a == g]; m = len(Xg); v = Xg.sum(0)
        total += (v @ v - m) / 2 - t * m * (m - 1) / 2
    return total


def silhouette(X, a):
    from sklearn.metrics import silhouette_score
    m = a >= 0
    return silhouette_score(X[m], a[m], metric="cosine") if len(set(a[m])) > 1 else -1


def bg_cut(X, Z=None, z=2.0):
    Z = tree(X) if Z is None else Z
    _, mu, sd = background(X)
    t = mu + z * sd
    for _ in range(30):
        g = fcluster(Z, 1 - t, "distance")
        _, m2, s2 = background(X, g)
        t2 = m2 + z * s2
        if abs(t2 - t) < 1e-4:
            break
        t = t2
    return g, t, Z


def spherical_kmeans(Y, a, floor_X=None, t=None, iters=50):
    """Spherical k-means on Y from assignment a (outliers -1 kept out of the seeds)."""
    k = a.max() + 1
    for _ in range(iters):
        C = centroids(Y, a, k)
        b = (Y @ C.T).argmax(1)
        if floor_X is not None:
            Cx = centroids(floor_X, np.where(b >= 0, b, -1), k)
            own = (floor_X * Cx[b]).sum(1)
            b = np.where(own >= t, b, -1)
        if (b == a).all():
            break
        a = b
    return a


def knn(X, k):
    S = X @ X.T
    np.fill_diagonal(S, -1)
    idx = np.argpartition(-S, k, axis=1)[:, :k]
    return S, idx


def louvain_mknn(X, k, res=1.0, mutual=True):
    S, idx = knn(X, k)
    n = len(X)
    G = nx.Graph()
    G.add_nodes_from(range(n))
    nb = [set(r) for r in idx]
    for i in range(n):
        for j in idx[i]:
            if (not mutual) or i in nb[j]:
                G.add_edge(i, int(j), weight=max(float(S[i, j]), 0))
    comms = nx.community.louvain_communities(G, weight="weight", resolution=res, seed=0)
    a = np.full(n, -1)
    for c, m in enumerate(comms):
        a[list(m)] = c
    return a


def drop_small(X, a, minsize, t):
    ids, cnt = np.unique(a, return_counts=True)
    g = a.copy()
    return finish(X, g, minsize, t)


def method(X, name):
    n = len(X)
    minsize = max(3, int(np.ceil(0.001 * n)))
    if name == "bg_final":
        g, t, _ = bg_cut(X)
        a = finish(X, g, minsize, t)
        return merge_duplicates(X, refine_smoothed(X, smooth(X, 5), a, t))
    if name.startswith("kmpp"):               # kmpp[R]: k from the cut, k-means++ restarts on smoothed vectors
        from sklearn.cluster import KMeans
        R = int(name.lstrip("kmpxsc") or 3)
        g, t, _ = bg_cut(X)
        a0 = finish(X, g, minsize, t)
        Y = smooth(X, 5)
        k = a0.max() + 1
        best = merge_duplicates(X, refine_smoothed(X, Y, a0, t))
        crit = {"kmpp": lambda a: objective(Y, a), "kmppx": lambda a: objective(X, a),
                "kmpps": lambda a: silhouette(X, a), "kmppc": lambda a: agreement(X, a, t)}[name.rstrip("0123456789")]
        objective_ = crit
        obj0 = objective_(best)
        objs = [obj0]
        for r in range(R):
            a = KMeans(k, n_init=1, random_state=r).fit_predict(Y)
            a = merge_duplicates(X, refine_smoothed(X, Y, a, t))
            o = objective_(a); objs.append(o)
            if o > objective_(best):
                best = a
        print("   objectives (linkage seed first):", " ".join(f"{o:.1f}" for o in objs), file=sys.stderr)
        return best
    if name.startswith("km_smooth"):          # km_smooth[K]: smoothing with K neighbours
        k = int(name[9:] or 5)
        g, t, _ = bg_cut(X)
        a = finish(X, g, minsize, t)
        Y = smooth(X, k)
        a = np.where(a < 0, (Y @ centroids(Y, a, a.max() + 1).T).argmax(1), a)
        return spherical_kmeans(Y, a, X, t)
    if name.startswith("bgs_km"):             # cut on smoothed vectors, threshold from raw
        k = int(name[6:] or 5)
        Y = smooth(X, k)
        g, t, _ = bg_cut(X)
        Z = linkage(pdist(Y, "cosine"), "average")
        g2 = fcluster(Z, 1 - t, "distance")
        a = finish(Y, g2, minsize, t)
        a = np.where(a < 0, (Y @ centroids(Y, a, a.max() + 1).T).argmax(1), a)
        return spherical_kmeans(Y, a, X, t)
    if name.startswith("louvain"):            # louvain[K][r]: mutual kNN
        parts = name.split("_")
        k = int(parts[1]); res = float(parts[2]) if len(parts) > 2 else 1.0
        a = louvain_mknn(X, k, res, mutual="mut" in name)
        _, t, _ = bg_cut(X)
        return finish(X, a, minsize, t)
    raise ValueError(name)


if __name__ == "__main__":
    X, labels = load(sys.argv[1], sys.argv[2])
    X = X.astype(np.float64)
    labels = np.array(labels)
    subsets = "--subsets" in sys.argv
    intents = sorted(set(labels))
    for name in [a for a in sys.argv[3:] if not a.startswith("--")]:
        if subsets:     # the subset draws of gaps_topics_lab.py: 5 intents x 60, 10 x 40, 20 x 30, three each
            rng = np.random.default_rng(7)
            for m, q in [(5, 60), (10, 40), (20, 30)]:
                rows = []
                for rep in range(3):
                    pick = rng.choice(intents, m, replace=False)
                    idx = np.concatenate([rng.choice(np.where(labels == p)[0], min(q, (labels == p).sum()), replace=False) for p in pick])
                    a = method(X[idx], name)
                    rows.append(nmi_ari(labels[idx], np.where(a < 0, -1, a)) + (len(set(a[a >= 0])), (a < 0).mean()))
                r = np.array(rows)
                print(f"{name:22s} {m:2d} intents x{q}: NMI {r[:,0].min():.3f}–{r[:,0].max():.3f} ARI {r[:,1].min():.3f}–{r[:,1].max():.3f} "
                      f"topics {int(r[:,2].min())}–{int(r[:,2].max())} out {r[:,3].max():.3f}", flush=True)
            continue
        t0 = time.time()
        a = method(X, name)
        nmi, ari = nmi_ari(labels, np.where(a < 0, -1, a))
        print(f"{name:22s} NMI {nmi:.3f} ARI {ari:.3f} topics {len(set(a[a >= 0]))}/{len(set(labels))} "
              f"out {(a < 0).mean():.3f} ({time.time() - t0:.0f}s)", flush=True)

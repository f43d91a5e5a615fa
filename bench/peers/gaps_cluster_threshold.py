"""Gap-clustering research peer (not used by kb); run from the worktree root after gaps_embed.py."""
import sys; sys.path.insert(0, "bench/peers"); from gaps_cluster_lab import *
from scipy.cluster.hierarchy import linkage, fcluster
from scipy.spatial.distance import squareform
def refine(Ex, p, m, t):
    N = len(Ex); ids, cnt = np.unique(p, return_counts=True); big = ids[cnt >= m]
    C = np.stack([Ex[p == c].mean(0) for c in big]); C /= np.linalg.norm(C, axis=1, keepdims=True)
    q = np.full(N, -1)
    for j, c in enumerate(big): q[p == c] = j
    small = q < 0
    if small.any():
        sims = Ex[small] @ C.T; q[small] = np.where(sims.max(1) >= 1 - t, sims.argmax(1), -1)
    return q
def go(Ex, yx, name, zs=(1.5, 2.0, 2.5)):
    N = len(Ex); S = (Ex @ Ex.T).astype(np.float64); iu = np.triu_indices(N, 1); off = S[iu]
    mu, sd = off.mean(), off.std()
    D = np.clip(1 - S, 0, 2); np.fill_diagonal(D, 0); Z = linkage(squareform(D, checks=False), "average")
    m = max(3, int(np.ceil(N / 1000)))
    for z in zs:
        t = 1 - (mu + z * sd); p = fcluster(Z, t, "distance"); q = refine(Ex, p, m, t)
        k = len(set(q[q>=0])); out = (q<0).mean()
        print(f"{name} N={N} mu {mu:.3f} sd {sd:.3f} z={z} t={t:.3f} m={m}: NMI {nmi(yx,q):.3f} ARI {ari(yx,q):.3f} ACC {acc(yx,q):.3f} k {k} out {out:.3f}", flush=True)
go(E, y, "full")
rng = np.random.default_rng(0)
for rep in range(3):
    sub = rng.choice(len(E), 3080, replace=False); go(E[sub], y[sub], f"sub{rep}", (2.0,))
# fewer intents: 30 random intents
for rep in range(2):
    keep = rng.choice(77, 30, replace=False); sub = np.where(np.isin(y, keep))[0]; go(E[sub], y[sub], f"30int{rep}", (2.0,))

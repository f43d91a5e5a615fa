"""Gap-clustering research peer (not used by kb); run from the worktree root after gaps_embed.py."""
import sys; sys.path.insert(0, "bench/peers"); from gaps_cluster_lab import *
import gaps_cluster_lab as G0
import networkx as nx
def run(Ex, yx, kk, seed=0, name=""):
    N = len(Ex); S = Ex @ Ex.T; np.fill_diagonal(S, -1)
    idx = np.argsort(-S, axis=1)[:, :kk]
    G = nx.Graph()
    for i in range(N):
        for j in idx[i]: G.add_edge(i, int(j), weight=float(S[i, j]))
    comms = nx.community.louvain_communities(G, weight="weight", seed=seed)
    p = np.zeros(N, int)
    for c, s in enumerate(comms): p[list(s)] = c
    k = len(comms)
    print(f"{name} N={N} kNN{kk} seed{seed}: NMI {nmi(yx,p):.3f} ARI {ari(yx,p):.3f} ACC {acc(yx,p):.3f} k {k}", flush=True)
for kk in [6, 8, 10, 12]:
    for seed in [0, 1]:
        run(E, y, kk, seed, "full")
rng = np.random.default_rng(0)
for rep in range(2):
    sub = rng.choice(len(E), 3080, replace=False)
    for kk in [5, 7, 10]:
        run(E[sub], y[sub], kk, 0, f"sub{rep}")

"""Research: clustering BANKING77 MiniLM embeddings without k (peer only, not used by kb)."""
import numpy as np, sys, time
from sklearn.metrics import normalized_mutual_info_score as nmi, adjusted_rand_score as ari
from scipy.optimize import linear_sum_assignment
E = np.load("/tmp/gaps/b77_emb.npy"); L = open("/tmp/gaps/b77_labels.txt").read().split("\n")
_, y = np.unique(L, return_inverse=True)
def acc(y, p):
    _, pi = np.unique(p, return_inverse=True)
    C = np.zeros((pi.max()+1, y.max()+1)); np.add.at(C, (pi, y), 1)
    r, c = linear_sum_assignment(-C); return C[r, c].sum()/len(y)
def score(name, p):
    p = np.asarray(p); k = len(set(p[p >= 0])); out = (p < 0).mean()
    print(f"{name:50s} NMI {nmi(y,p):.3f} ARI {ari(y,p):.3f} ACC {acc(y,p):.3f} k {k:4d} out {out:.3f}", flush=True)

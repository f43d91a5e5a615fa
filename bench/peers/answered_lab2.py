#!/usr/bin/env python3
"""Answered-or-not lab, second round (issue 15): variants of the KB's own answered test on the
features `kb eval gaps --queries` writes with --dump-features DIR (one seed-N.jsonl per seed:
the fit's pseudo-questions, present and left out, and the test queries, each with every
top-10 candidate's 12 features and the query's cosine mean / std / 99th percentile over the KB).

    .build/release/kb eval gaps --queries … --seeds 1,2,3,4,5 --dump-features /tmp/gen/dump-psh
    python3 bench/peers/answered_lab2.py /tmp/gen/dump-psh [variant …]

Each seed: fitted on that seed's pseudo-questions only, scored on its test queries (never seen).
"""
import glob, json, sys
import numpy as np


def load(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    return rows


def auroc(s, y):
    s = np.asarray(s, float); y = np.asarray(y, bool)
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s)); ranks[order] = np.arange(1, len(s) + 1)
    # ties: average ranks
    _, inv, cnt = np.unique(s, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, ranks); ranks = sums[inv] / cnt[inv]
    p, n = y.sum(), (~y).sum()
    return (ranks[y].sum() - p * (p + 1) / 2) / (p * n)


def caught(s, y):
    s = np.asarray(s); y = np.asarray(y, bool)
    pos = np.sort(s[y]); t = pos[int(len(pos) * 0.05)]
    return (s[~y] < t).mean()


def logistic(X, y, l2=1.0, w=None):
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    b = np.zeros(Z.shape[1])
    sw = np.ones(len(X)) if w is None else w
    for _ in range(50):
        p = 1 / (1 + np.exp(-Z @ b))
        g = Z.T @ ((p - y) * sw) + l2 * np.r_[b[:-1], 0]
        H = (Z * (p * (1 - p) * sw)[:, None]).T @ Z + l2 * np.diag(np.r_[np.ones(len(b) - 1), 1e-9])
        step = np.linalg.solve(H, g); b -= step
        if np.abs(step).max() < 1e-8:
            break
    return lambda Xn: 1 / (1 + np.exp(-(np.hstack([(Xn - mu) / sd, np.ones((len(Xn), 1))]) @ b)))


def cand_features(r, variant):
    F = np.array(r["f"], float)
    if len(F) == 0:
        return F
    mean, sd, p99 = r["stats"]
    extra = []
    if "z" in variant:            # cosine among the KB's cosines for this query
        extra.append((F[:, 0] - mean) / sd)
        extra.append((F[:, 11] - mean) / sd)
    if "p99" in variant:
        extra.append((F[:, 0] - p99) / sd)
    if "len" in variant:
        extra.append(np.full(len(F), np.log(1 + r["words"])))
    if extra:
        F = np.hstack([F, np.array(extra).T])
    return F


def run(rows_by_seed, variant):
    res = []
    for seed, rows in sorted(rows_by_seed.items()):
        pseudo = [r for r in rows if r["kind"] != "query" and len(r["f"])]
        if "sent" in variant:
            pseudo = [r for r in pseudo if "sentence" in r["kind"]]
        if "title" in variant.split("+"):
            pseudo = [r for r in pseudo if "title" in r["kind"]]
        X = np.vstack([cand_features(r, variant) for r in pseudo])
        y = np.concatenate([np.array(r["src"], float) for r in pseudo])
        model = logistic(X, y)
        queries = [r for r in rows if r["kind"] == "query"]

        def qscore(rs, stage2=None):
            out = []
            for r in rs:
                if not len(r["f"]):
                    out.append(np.zeros(5)); continue
                p = np.sort(model(cand_features(r, variant)))[::-1]
                q = p / p.sum()
                out.append(np.array([p[0], p[0] - (p[1] if len(p) > 1 else 0), -(q * np.log(q + 1e-12)).sum(), p.sum(),
                                     (r["f"][0][0] - r["stats"][0]) / r["stats"][1]]))
            return np.array(out)

        Sq = qscore(queries)
        yq = np.array([r["positive"] for r in queries])
        if "stage2" in variant:
            Sp = qscore(pseudo)
            yp = np.array([r["positive"] for r in pseudo], float)
            cols = [0, 1, 2] if "stage2e" in variant else [0, 1]
            m2 = logistic(Sp[:, cols], yp)
            score = m2(Sq[:, cols])
        elif "gap" in variant:
            score = Sq[:, 1]
        else:
            score = Sq[:, 0]
        cos = np.array([max([f[0] for f in r["f"]] or [0]) for r in queries])
        res.append((auroc(score, yq), caught(score, yq), auroc(cos, yq)))
    r = np.array(res)
    print(f"{variant:28s} AUROC {r[:,0].mean():.3f} caught {r[:,1].mean()*100:5.1f} %  per seed "
          + " ".join(f"{a:.3f}" for a in r[:, 0]) + f"   (max cos {r[:,2].mean():.3f})", flush=True)


if __name__ == "__main__":
    d = sys.argv[1]
    rows_by_seed = {int(p.split("-")[-1].split(".")[0]): load(p) for p in glob.glob(d + "/seed-*.jsonl")}
    for v in sys.argv[2:] or ["base"]:
        run(rows_by_seed, v)

#!/usr/bin/env python3
"""Answered-or-not lab, round 4 (issue 15): new evidence for the conditional logit (the kept
form, score = 1 − P(none)) from the article's whole structure and its neighbours, computed here
from the index and a --dump-features dump (answered_lab2.py):

- `hmax`: max cosine of the question to the candidate's section headings (heading paths other
  than the title; for a present pseudo-question, not its own chunk's);
- `fcos`: cosine to the candidate's first remaining chunk (its description-like opening);
- `excl`: article-IDF-weighted share of the question's words in the candidate article, minus
  the best other candidate's (is it the only one holding the rare words?);
- `spec`: log of the number of allowed articles whose best cosine is within 0.03 of the best
  (generic questions match many siblings), the same for every candidate (acts on "none");
- `sib`: candidate cosine minus the best cosine of an allowed article in its folder;
- `conf`: cosine of the candidate's best chunk to its nearest chunk of another allowed article;
- `q2`: a second stage over [logit(1 − P(none)), spec] fitted on the pseudo-questions;
- `xspec`: spec and its products with the cosine and the cosine margin;
- `hub`, `kids`, `crowd`: from the paths alone, a folder landing page (_index.md, index.md,
  README.md), the share of the other candidates inside it, in the candidate's own folder;
- `smax`: max cosine to one prose sentence of the candidate (every chunk's sentences embedded),
  and its margin over the best other candidate;
- `selfz`: the candidate's cosine minus the mean best cosine its own sentences get from its other
  chunks (and over their std);
- `real`: reference, not label-free: fitted on half of the real queries, scored on the other half.

Round-4 figures: docs/GAPS.md, "What was tried" (all flat on both sets).

    python3 bench/peers/answered_lab4.py DB DUMPDIR CACHEDIR [variant …]   (variant: base, hmax+spec, …)

Vectors of the dump's texts, titles and headings are embedded once with `kb embed --lines`
(KB env KB_BIN, default /tmp/kb-base/kb) and cached in CACHEDIR.
"""
import sys, os, glob, json, math, re, sqlite3, collections, subprocess
import numpy as np
sys.path.insert(0, __file__.rsplit("/", 1)[0])
from answered_lab2 import load, auroc, caught, logistic
from answered_lab3 import WORD, STOP, terms


def embed(texts, cache):
    """Vectors of `texts` (newlines flattened), cached by text in cache.npz."""
    texts = [t.replace("\n", " ") for t in texts]
    known = {}
    if os.path.exists(cache):
        z = np.load(cache, allow_pickle=True)
        known = dict(zip(z["t"].tolist(), z["v"]))
    todo = sorted(set(t for t in texts if t not in known))
    if todo:
        src = cache + ".todo.txt"
        open(src, "w").write("\n".join(todo) + "\n")
        out = subprocess.run(["nice", os.environ.get("KB_BIN", "/tmp/kb-base/kb"), "embed", "--lines", src],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        assert len(out) == len(todo), (len(out), len(todo))
        for t, l in zip(todo, out):
            known[t] = np.array(json.loads(l), np.float32)
        keys = list(known)
        np.savez(cache, t=np.array(keys, dtype=object), v=np.stack([known[k] for k in keys]))
    return np.stack([known[t] for t in texts])


def clogit(groups, answers, l2=1.0):
    """Conditional logit with a 'none' option (ListwiseFit.swift); returns p(groups) -> (G, K)."""
    G, K = len(groups), max(len(g) for g in groups)
    d = groups[0].shape[1]
    X = np.zeros((G, K, d)); mask = np.zeros((G, K), bool)
    for i, g in enumerate(groups):
        X[i, :len(g)] = g; mask[i, :len(g)] = True
    rows = X[mask]
    mu, sd = rows.mean(0), rows.std(0) + 1e-9
    Z = np.concatenate([(X - mu) / sd, np.ones((G, K, 1))], 2) * mask[..., None]
    A = np.array([-1 if a is None else a for a in answers])
    has = A >= 0
    zr = np.zeros((G, d + 1)); zr[has] = Z[np.where(has)[0], A[has]]
    w = np.zeros(d + 1)
    reg = np.r_[np.full(d, l2), 0]

    def probs(w, Z, mask):
        u = np.where(mask, Z @ w, -np.inf)
        top = np.maximum(u.max(1), 0)
        e = np.exp(u - top[:, None]); tot = e.sum(1) + np.exp(-top)
        return e / tot[:, None], top + np.log(tot)

    def loss(w):
        _, lz = probs(w, Z, mask)
        return lz.sum() - (zr @ w)[has].sum() + 0.5 * (reg * w * w).sum()
    cur = loss(w)
    for _ in range(60):
        p, _ = probs(w, Z, mask)
        E = np.einsum("gk,gkd->gd", p, Z)
        grad = E.sum(0) - zr[has].sum(0) + reg * w
        H = np.einsum("gk,gka,gkb->ab", p, Z, Z) - E.T @ E + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, grad)
        s = 1.0
        while s > 1e-6:
            nw = w - s * step; v = loss(nw)
            if v <= cur: break
            s /= 2
        if v > cur: break
        moved = np.abs(s * step).max(); w, cur = nw, v
        if moved < 1e-8: break

    def predict(gs):
        out = []
        for g in gs:
            if not len(g):
                out.append(np.zeros(0)); continue
            z = np.hstack([(g - mu) / sd, np.ones((len(g), 1))])
            u = z @ w; top = max(u.max(), 0); e = np.exp(u - top)
            out.append(e / (e.sum() + np.exp(-top)))
        return out
    return predict


class KB:
    def __init__(self, db, cachedir):
        con = sqlite3.connect(db)
        arts = con.execute("select id, path, title, external from article order by path").fetchall()
        self.paths = [a[1] for a in arts]
        self.titles = [a[2] for a in arts]
        self.external = np.array([bool(a[3]) for a in arts])
        aidx = {a[0]: i for i, a in enumerate(arts)}
        self.pidx = {p: i for i, p in enumerate(self.paths)}
        rows = con.execute("""select chunk.articleId, chunk.idx, chunk.heading_path, chunk.text, embedding.vector from chunk
            left join embedding on embedding.text_hash = chunk.text_hash order by chunk.articleId, chunk.idx""").fetchall()
        self.cart = np.array([aidx[r[0]] for r in rows])
        self.M = np.stack([np.frombuffer(r[4], dtype=np.float32) if r[4] else np.zeros(384, np.float32) for r in rows])
        self.heading = [r[2] for r in rows]
        self.ctoks = [set(terms(r[2] + " " + r[3])) for r in rows]
        self.achunks = collections.defaultdict(list)
        for i, a in enumerate(self.cart):
            self.achunks[a].append(i)
        self.avocab = [set() for _ in arts]
        for i, c in enumerate(self.ctoks):
            self.avocab[self.cart[i]] |= c
        self.folder = [p.rsplit("/", 1)[0] if "/" in p else "" for p in self.paths]
        # Section headings (not the title itself), embedded.
        self.hidx = np.array([i for i in range(len(rows)) if self.heading[i] != self.titles[self.cart[i]]])
        self.H = embed([self.heading[i] for i in self.hidx], cachedir + "/headings.npz") if len(self.hidx) else np.zeros((0, 384))
        self.hart = self.cart[self.hidx]
        # Each chunk's nearest chunk of another article (top 30 kept, filtered by the allowed set later).
        self.nn = []
        for s in range(0, len(rows), 2000):
            S = self.M[s:s + 2000] @ self.M.T
            S[self.cart[s:s + 2000][:, None] == self.cart[None, :]] = -1
            top = np.argsort(-S, 1)[:, :30]
            self.nn.extend(zip(top, np.take_along_axis(S, top, 1)))


def sentences(text):
    """Prose sentences of a chunk (5–40 words), code blocks out."""
    flat = re.sub(r"\s+", " ", re.sub(r"```.*?```", " ", text, flags=re.S))
    return [x for x in re.split(r"(?<=[.?!])\s+", flat) if 5 <= len(x.split()) <= 40]


def sentence_max(kb, r, qv, allowed):
    """`smax`: per candidate, max cosine of the question to one sentence of its allowed chunks, and
    that minus the best other candidate's."""
    src = source_chunk(kb, r)
    cos = kb.S @ qv
    out = []
    for p in r["paths"]:
        a = kb.pidx[p]
        ok = (kb.sart == a) & (kb.schunk != (src if src is not None else -1))
        out.append(float(cos[ok].max()) if ok.any() else -1.0)
    out = np.array(out)
    marg = [v - (np.delete(out, j).max() if len(out) > 1 else 0) for j, v in enumerate(out)]
    return np.c_[out, marg]


def source_chunk(kb, r):
    if r["kind"] != "present-sentence":
        return None
    a = kb.pidx[r["article"]]
    st = set(terms(r["text"]))
    return max(kb.achunks[a], key=lambda i: len(st & kb.ctoks[i]) / (len(st) or 1))


def extras(kb, r, qv, allowed, adf, nallowed):
    """Extra features per candidate: hmax, fcos, excl, spec, sib, conf."""
    src = source_chunk(kb, r)
    chunk_ok = allowed[kb.cart].copy()
    if src is not None:
        chunk_ok[src] = False
    if r["kind"].startswith("absent"):
        chunk_ok[kb.cart == kb.pidx[r["article"]]] = False
    cos = kb.M @ qv
    acos = np.full(len(kb.paths), -1.0)
    np.maximum.at(acos, kb.cart[chunk_ok], cos[chunk_ok])
    best = acos.max()
    spec = math.log(1 + ((acos >= best - 0.03) & (acos > -1)).sum())
    hcos = kb.H @ qv if len(kb.H) else np.zeros(0)
    hok = chunk_ok[kb.hidx] if len(kb.hidx) else np.zeros(0, bool)
    qt = set(terms(r["text"]))
    idf = lambda t: math.log((nallowed + 1) / (adf.get(t, 0) + 0.5))
    qw = sum(idf(t) for t in qt) or 1
    cands = [kb.pidx[p] for p in r["paths"]]
    covs = []
    out = []
    for a in cands:
        ch = [i for i in kb.achunks[a] if chunk_ok[i]]
        voc = set().union(*[kb.ctoks[i] for i in ch]) if ch else set()
        covs.append(sum(idf(t) for t in qt if t in voc) / qw)
    covs = np.array(covs)
    for j, a in enumerate(cands):
        ch = [i for i in kb.achunks[a] if chunk_ok[i]]
        hs = hcos[(kb.hart == a) & hok] if len(hcos) else []
        hmax = float(hs.max()) if len(hs) else float(acos[a])
        fcos = float(cos[ch[0]]) if ch else 0.0
        other = np.delete(covs, j)
        excl = covs[j] - (other.max() if len(other) else 0)
        out.append([hmax, fcos, excl, spec, acos[a], 0.0, 0.0])
        bestc = max(ch, key=lambda i: cos[i]) if ch else None
        conf = 0.0
        if bestc is not None:
            for n_, s_ in zip(*kb.nn[bestc]):
                if chunk_ok[n_]:
                    conf = float(s_); break
        out[-1][6] = conf
    # sib: candidate cosine minus the best allowed article of its folder
    for j, a in enumerate(cands):
        sib = kb.folder_members[kb.folder[a]]
        vals = [acos[b] for b in sib if b != a and acos[b] > -1]
        out[j][5] = acos[a] - (max(vals) if vals else acos[a] - 0.1)
    return np.array(out)


NAMES = ["hmax", "fcos", "excl", "spec", "acos", "sib", "conf"]
HUB_FILES = ("_index.md", "index.md", "README.md", "readme.md")


def structure(paths):
    """Per candidate, from the paths alone: `hub` (a folder's landing page: _index.md, index.md,
    README.md), `kids` (share of the other candidates inside a hub's folder), `crowd` (share of the
    other candidates in the candidate's own folder)."""
    out = []
    n = max(len(paths) - 1, 1)
    for p in paths:
        folder = p.rsplit("/", 1)[0] if "/" in p else ""
        hub = p.rsplit("/", 1)[-1] in HUB_FILES
        kids = sum(1 for o in paths if o != p and hub and o.startswith(folder + "/")) / n
        crowd = sum(1 for o in paths if o != p and (o.rsplit("/", 1)[0] if "/" in o else "") == folder) / n
        out.append([float(hub), kids, crowd])
    return np.array(out)


SNAMES = ["hub", "kids", "crowd"]


def main():
    db, dump, cachedir = sys.argv[1:4]
    variants = sys.argv[4:] or ["base"]
    os.makedirs(cachedir, exist_ok=True)
    kb = KB(db, cachedir)
    kb.folder_members = collections.defaultdict(list)
    for i, f in enumerate(kb.folder):
        kb.folder_members[f].append(i)
    seeds = {int(p.split("-")[-1].split(".")[0]): load(p) for p in sorted(glob.glob(dump + "/seed-*.jsonl"))}
    if any("smax" in v or "selfz" in v for v in variants):
        con = sqlite3.connect(db)
        texts_ = [r[0] for r in con.execute("select chunk.text from chunk order by chunk.articleId, chunk.idx")]
        sent, owner = [], []
        for i, t in enumerate(texts_):
            for x in sentences(t):
                sent.append(x); owner.append(i)
        kb.S = embed(sent, cachedir + "/sentences.npz")
        kb.schunk = np.array(owner); kb.sart = kb.cart[kb.schunk]
        # Each article's own calibration: how well its sentences match its other chunks (mean, std).
        kb.self_mean = np.zeros(len(kb.paths)); kb.self_sd = np.ones(len(kb.paths))
        for a, ch in kb.achunks.items():
            si = np.where(kb.sart == a)[0]
            if len(ch) < 2 or not len(si):
                continue
            C = kb.S[si] @ kb.M[ch].T
            C[kb.schunk[si][:, None] == np.array(ch)[None, :]] = -1
            best = C.max(1)
            kb.self_mean[a] = best.mean(); kb.self_sd[a] = best.std() + 0.05
        has = kb.self_mean != 0
        kb.self_mean[~has] = kb.self_mean[has].mean()
    texts = sorted({r["text"] for rows in seeds.values() for r in rows})
    V = dict(zip(texts, embed(texts, cachedir + "/texts.npz")))
    import pickle
    store = cachedir + "/extras.pkl"
    cache_x = pickle.load(open(store, "rb")) if os.path.exists(store) else {}
    need = any(p in NAMES or p in ("q2", "xspec") for v in variants for p in v.split("+"))
    for seed, rows in seeds.items():
        if not need or any(k[0] == seed for k in cache_x):
            continue
        dropped = {r["article"] for r in rows if r["kind"] == "query" and not r["positive"]}
        allowed = kb.external & np.array([p not in dropped for p in kb.paths])
        adf = collections.Counter(t for a in np.where(allowed)[0] for t in kb.avocab[a])
        nallowed = int(allowed.sum())
        for k, r in enumerate(rows):
            if len(r["f"]):
                cache_x[(seed, k)] = extras(kb, r, V[r["text"]], allowed, adf, nallowed)
        print(f"seed {seed}: extras done", file=sys.stderr, flush=True)
        pickle.dump(cache_x, open(store, "wb"))
    for v in variants:
        res = []
        parts = v.split("+")
        sel = [NAMES.index(p) for p in parts if p in NAMES]
        ssel = [SNAMES.index(p) for p in parts if p in SNAMES]
        for seed, rows in seeds.items():
            idx = [k for k, r in enumerate(rows) if r["kind"] != "query" and len(r["f"])]
            if "sent" in parts:
                idx = [k for k in idx if "sentence" in rows[k]["kind"]]

            def F(k):
                f = np.array(rows[k]["f"], float)
                if sel:
                    f = np.hstack([f, cache_x[(seed, k)][:, sel]])
                if ssel:
                    f = np.hstack([f, structure(rows[k]["paths"])[:, ssel]])
                if "selfz" in parts:  # the candidate's cosine against what its own sentences get from it
                    a_ = [kb.pidx[p_] for p_ in rows[k]["paths"]]
                    f = np.hstack([f, np.c_[f[:, 0] - kb.self_mean[a_], (f[:, 0] - kb.self_mean[a_]) / kb.self_sd[a_]]])
                if "smax" in parts:
                    f = np.hstack([f, sentence_max(kb, rows[k], V[rows[k]["text"]], None)])
                if "xspec" in parts:  # specificity × cosine and × cosine margin (a linear fit has no interactions)
                    sp = cache_x[(seed, k)][:, 3:4]
                    f = np.hstack([f, sp, sp * f[:, 0:1], sp * f[:, 1:2]])
                return f
            groups = [F(k) for k in idx]
            answers = [next((i for i, s in enumerate(rows[k]["src"]) if s), None) for k in idx]
            qk = [k for k, r in enumerate(rows) if r["kind"] == "query"]
            yq = np.array([rows[k]["positive"] for k in qk])
            if "real" in parts:
                # Reference, not label-free: fitted on one half of the real queries, scored on the other.
                sq = np.zeros(len(qk))
                fold = np.random.default_rng(seed).permutation(len(qk)) % 2
                for f_ in (0, 1):
                    tr = [k for k, z in zip(qk, fold) if z != f_ and len(rows[k]["f"])]
                    ans = [rows[k]["paths"].index(rows[k]["article"]) if rows[k]["positive"] and rows[k]["article"] in rows[k]["paths"]
                           else None for k in tr]
                    pr = clogit([F(k) for k in tr], ans)
                    for j, (k, z) in enumerate(zip(qk, fold)):
                        if z == f_ and len(rows[k]["f"]):
                            sq[j] = pr([F(k)])[0].sum()
                res.append((auroc(sq, yq), caught(sq, yq)))
                continue
            pred = clogit(groups, answers)
            sq = np.array([pred([F(k)])[0].sum() if len(rows[k]["f"]) else 0 for k in qk])
            if "q2" in parts:
                sp = np.array([p.sum() for p in pred(groups)])
                lg = lambda s: np.log(np.clip(s, 1e-6, 1 - 1e-6) / (1 - np.clip(s, 1e-6, 1 - 1e-6)))
                spec_p = np.array([cache_x[(seed, k)][0, 3] for k in idx])
                yp = np.array([rows[k]["positive"] for k in idx], float)
                m2 = logistic(np.c_[lg(sp), spec_p], yp)
                spec_q = np.array([cache_x[(seed, k)][0, 3] if len(rows[k]["f"]) else 0 for k in qk])
                sq = m2(np.c_[lg(sq), spec_q])
            res.append((auroc(sq, yq), caught(sq, yq)))
        r = np.array(res)
        print(f"{v:28s} AUROC {r[:,0].mean():.3f} caught {r[:,1].mean()*100:5.1f} %  per seed "
              + " ".join(f"{a:.3f}" for a in r[:, 0]), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Answered-or-not lab, new signals (issue 15): adds to the 12 candidate features of a
--dump-features dump (see answered_lab2.py) signals computed here from the index itself:

- `cent`: cosine of the question to the candidate article's centroid (mean of its chunk vectors;
  for a present pseudo-question, without the chunk its sentence came from);
- `tcos`: cosine of the question to the candidate's title (title pseudo-questions dropped from
  the fit: theirs is 1);
- `cov`: chunk-IDF-weighted share of the question's words found anywhere in the article, and the
  IDF of the rarest question word missing from it over the question's rarest word.

    python3 bench/peers/answered_lab3.py DB DUMPDIR TEXTS.txt TEXTS.jsonl TITLES.tsv TITLES.jsonl [variant …]
"""
import sys, glob, json, math, re, sqlite3, collections
import numpy as np
sys.path.insert(0, __file__.rsplit("/", 1)[0])
from answered_lab2 import load, auroc, caught, logistic

WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOP = set("""a an the and or but if of to in on at by for with from as is are was were be been being it its this that
these those i you he she we they me my your our their his her them us do does did have has had can could will would
should may might so than then there what which who whom when where why how not no into about after before up out over
under again all any some such only own same too very use using used get how learn see find""".split())


def terms(t):
    return [w[:5] for w in WORD.findall(t.lower()) if w not in STOP and len(w) > 1 and not w.isdigit()]


def main():
    db, dump, tx, tv, tt, tvv = sys.argv[1:7]
    variants = sys.argv[7:] or ["base"]
    con = sqlite3.connect(db)
    arts = con.execute("select id, path, title from article order by path").fetchall()
    aidx = {a[0]: i for i, a in enumerate(arts)}
    path_idx = {a[1]: i for i, a in enumerate(arts)}
    rows = con.execute("""select chunk.articleId, chunk.heading_path || ' ' || chunk.text, embedding.vector from chunk
        left join embedding on embedding.text_hash = chunk.text_hash order by chunk.id""").fetchall()
    cart = np.array([aidx[r[0]] for r in rows])
    M = np.stack([np.frombuffer(r[2], dtype=np.float32) if r[2] else np.zeros(384, np.float32) for r in rows]).astype(float)
    ctoks = [set(terms(r[1])) for r in rows]
    df = collections.Counter(t for c in ctoks for t in c)
    N = len(rows)
    idf = lambda t: math.log((N + 1) / (df.get(t, 0) + 0.5))
    avocab = [set() for _ in arts]
    for i, c in enumerate(ctoks):
        avocab[cart[i]] |= c
    achunks = collections.defaultdict(list)
    for i, a in enumerate(cart):
        achunks[a].append(i)
    texts = [l.rstrip("\n") for l in open(tx)]
    vec = {t: np.array(json.loads(v)) for t, v in zip(texts, open(tv))}
    titles = [l.rstrip("\n").split("\t") for l in open(tt)]
    tvec = {p: np.array(json.loads(v)) for (p, _), v in zip(titles, open(tvv))}
    csum = {a: M[ix].sum(0) for a, ix in achunks.items()}

    def extra(r):
        q = vec[r["text"].replace("\n", " ")]
        qt = set(terms(r["text"]))
        qw = sum(idf(t) for t in qt) or 1
        qmax = max([idf(t) for t in qt] or [1])
        out = []
        src_chunk = None
        if r["kind"] == "present-sentence":
            a = path_idx[r["article"]]
            st = set(terms(r["text"]))
            src_chunk = max(achunks[a], key=lambda i: len(st & ctoks[i]) / (len(st) or 1))
        for p in r["paths"]:
            a = path_idx[p]
            s = csum[a] - (M[src_chunk] if src_chunk is not None and cart[src_chunk] == a else 0)
            n = np.linalg.norm(s)
            cent = float(q @ s / n) if n > 0 else 0.0
            tcos = float(q @ tvec[p])
            voc = avocab[a]
            if src_chunk is not None and cart[src_chunk] == a:
                voc = set().union(*[ctoks[i] for i in achunks[a] if i != src_chunk]) if len(achunks[a]) > 1 else set()
            cov = sum(idf(t) for t in qt if t in voc) / qw
            missing = max([idf(t) for t in qt if t not in voc] or [0]) / qmax
            out.append([cent, tcos, cov, missing])
        return np.array(out)

    for v in variants:
        res = []
        for p in sorted(glob.glob(dump + "/seed-*.jsonl")):
            rows_ = load(p)
            pseudo = [r for r in rows_ if r["kind"] != "query" and len(r["f"])]
            if "tcos" in v or "sent" in v:
                pseudo = [r for r in pseudo if "sentence" in r["kind"]]
            cols = {"cent": [0], "tcos": [1], "cov": [2, 3]}
            sel = [c for k, cs in cols.items() if k in v for c in cs]
            base_cols = list(range(12))
            if "only" in v:
                base_cols = [0, 1]

            def F(r):
                f = np.array(r["f"], float)[:, base_cols]
                if sel:
                    f = np.hstack([f, extra(r)[:, sel]])
                return f
            X = np.vstack([F(r) for r in pseudo])
            y = np.concatenate([np.array(r["src"], float) for r in pseudo])
            m = logistic(X, y)
            qs = [r for r in rows_ if r["kind"] == "query"]
            yq = np.array([r["positive"] for r in qs])
            s = np.array([m(F(r)).max() if len(r["f"]) else 0 for r in qs])
            res.append((auroc(s, yq), caught(s, yq)))
        r = np.array(res)
        print(f"{v:24s} AUROC {r[:,0].mean():.3f} caught {r[:,1].mean()*100:5.1f} %  per seed " + " ".join(f"{a:.3f}" for a in r[:, 0]), flush=True)


if __name__ == "__main__":
    main()

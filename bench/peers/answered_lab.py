#!/usr/bin/env python3
"""Answered-or-not lab: compares per-KB self-supervised detectors with max-cosine on the
drop-half known-item test (docs/GAPS.md, "Answered or not"). Reads a kb index (SQLite),
a known-item TSV and the queries' vectors (from `kb embed --lines`), all local.

    kb embed --lines <(cut -f1 Q.tsv) > /tmp/q.jsonl
    python3 bench/peers/answered_lab.py --db INDEX --queries Q.tsv --vectors /tmp/q.jsonl \
        --pseudo-vectors /tmp/p.jsonl     # written by --write-pseudo first

Candidate articles come from a hybrid ranking close to kb's (0.7 BM25/best + 0.3 scaled cosine).
"""
import argparse, json, math, re, sqlite3, sys, collections
import numpy as np

WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOP = set("""a an the and or but if of to in on at by for with from as is are was were be been being it its this that
these those i you he she we they me my your our their his her them us do does did have has had can could will would
should may might so than then there what which who whom when where why how not no into about after before up out over
under again all any some such only own same too very use using used""".split())


def words(t):
    return [w for w in WORD.findall(t.lower())]


def stem(w):
    return w[:5]


def content(t):
    return [stem(w) for w in words(t) if w not in STOP and len(w) > 1 and not w.isdigit()]


class Corpus:
    def __init__(self, db):
        con = sqlite3.connect(db)
        arts = con.execute("select id, path, title from article order by path").fetchall()
        self.apath = [a[1] for a in arts]
        self.atitle = [a[2] for a in arts]
        aid = {a[0]: i for i, a in enumerate(arts)}
        rows = con.execute("""select chunk.articleId, chunk.heading_path, chunk.text, embedding.vector from chunk
            left join embedding on embedding.text_hash = chunk.text_hash order by chunk.id""").fetchall()
        self.cart = np.array([aid[r[0]] for r in rows])
        self.ctext = [r[1] + "\n" + r[2] for r in rows]
        self.M = np.stack([np.frombuffer(r[3], dtype=np.float32) if r[3] else np.zeros(384, np.float32) for r in rows])
        # BM25 over chunks (content stems)
        self.ctoks = [collections.Counter(content(t)) for t in self.ctext]
        self.clen = np.array([sum(c.values()) for c in self.ctoks], dtype=float)
        self.avg = self.clen.mean()
        self.post = collections.defaultdict(list)
        for i, c in enumerate(self.ctoks):
            for t, n in c.items():
                self.post[t].append((i, n))
        N = len(self.ctoks)
        self.idf = {t: math.log(1 + (N - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.post.items()}
        # article-level vocab and idf
        self.avocab = [set() for _ in self.apath]
        for i, c in enumerate(self.ctoks):
            self.avocab[self.cart[i]].update(c)
        for i, t in enumerate(self.atitle):
            self.avocab[i].update(content(t))
        A = len(self.apath)
        df = collections.Counter()
        for v in self.avocab:
            df.update(v)
        self.aidf = {t: math.log((A + 1) / (n + 0.5)) for t, n in df.items()}
        self.abigrams = [set() for _ in self.apath]
        for i, t in enumerate(self.ctext):
            w = content(t)
            self.abigrams[self.cart[i]].update(zip(w, w[1:]))
        self.achunks = collections.defaultdict(list)
        for i, a in enumerate(self.cart):
            self.achunks[a].append(i)

    def bm25(self, q):
        s = np.zeros(len(self.ctoks))
        for t in set(content(q)):
            if t not in self.post:
                continue
            idf = self.idf[t]
            for i, n in self.post[t]:
                s[i] += idf * n * 2.2 / (n + 1.2 * (0.25 + 0.75 * self.clen[i] / self.avg))
        return s

    def candidates(self, q, v, exclude_articles=(), exclude_chunks=(), depth=10):
        cos = self.M @ v
        kw = self.bm25(q)
        mask = np.ones(len(cos), bool)
        for a in exclude_articles:
            mask[self.achunks[a]] = False
        for c in exclude_chunks:
            mask[c] = False
        cos = np.where(mask, cos, -2)
        kw = np.where(mask, kw, 0)
        best_s, best_k = {}, {}
        for i in np.argsort(-cos)[:100]:
            a = self.cart[i]
            if a not in best_s:
                best_s[a] = cos[i]
        for i in np.argsort(-kw)[:100]:
            if kw[i] <= 0:
                break
            a = self.cart[i]
            if a not in best_k:
                best_k[a] = kw[i]
        smax, smin = max(best_s.values()), min(best_s.values())
        kmax = max(best_k.values()) if best_k else 1
        arts = set(best_s) | set(best_k)
        hyb = {a: 0.7 * best_k.get(a, 0) / kmax + 0.3 * ((best_s[a] - smin) / max(smax - smin, 1e-9) if a in best_s else 0) for a in arts}
        top = sorted(arts, key=lambda a: -hyb[a])[:depth]
        # per-article best cosine over its allowed chunks (exact, not just the top 100)
        out = []
        for r, a in enumerate(top):
            ch = [c for c in self.achunks[a] if mask[c]]
            out.append(dict(a=a, rank=r, s=float(cos[ch].max()), k=float(best_k.get(a, 0)), kmax=float(kmax), h=hyb[a]))
        return out

    def features(self, q, cands):
        qt = set(content(q))
        qidf = sum(self.aidf.get(t, 1) for t in qt) or 1
        stop = max(c["s"] for c in cands)
        feats = []
        srt = sorted((c["s"] for c in cands), reverse=True)
        ql = content(q)
        qb = set(zip(ql, ql[1:]))
        rare = sorted(qt, key=lambda t: -self.aidf.get(t, 10))[:3]
        rsum = sum(self.aidf.get(t, 10) for t in rare) or 1
        for c in cands:
            a = c["a"]
            tt = set(content(self.atitle[a]))
            tp = tt | set(content(self.apath[a].replace("/", " ").replace("-", " ").replace("_", " ").replace(".md", "")))
            q_in_tp = sum(self.aidf.get(t, 1) for t in qt if t in tp) / qidf
            tidf = sum(self.aidf.get(t, 1) for t in tt) or 1
            title_cov = sum(self.aidf.get(t, 1) for t in tt if t in qt) / tidf
            q_cov = sum(self.aidf.get(t, 1) for t in qt if t in self.avocab[a]) / qidf
            srank = srt.index(c["s"])
            feats.append([c["s"], c["s"] - stop, 1 / (1 + srank), c["k"] / max(c["kmax"], 1e-9), math.log1p(c["k"]),
                          1 / (1 + c["rank"]), title_cov, q_cov, c["s"] - (srt[1] if len(srt) > 1 else 0),
                          len(qb & self.abigrams[a]) / max(len(qb), 1),
                          sum(self.aidf.get(t, 10) for t in rare if t in self.avocab[a]) / rsum,
                          sum(self.aidf.get(t, 10) for t in rare if t in tt) / rsum, q_in_tp,
                          sum(self.aidf.get(t, 1) for t in tp if t in qt) / (sum(self.aidf.get(t, 1) for t in tp) or 1)])
        return feats


NAMES = ["cos", "cos-top", "1/srank", "kw/kmax", "log1p kw", "1/hrank", "title_cov", "q_cov", "cos-2nd", "bigram_cov", "rare_cov", "rare_title", "q_in_titlepath", "titlepath_in_q"]


def auroc(scores, pos):
    scores = np.asarray(scores); pos = np.asarray(pos, bool)
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores)); ranks[order] = np.arange(1, len(scores) + 1)
    # ties: average
    s_sorted = scores[order]
    i = 0
    while i < len(s_sorted):
        j = i
        while j + 1 < len(s_sorted) and s_sorted[j + 1] == s_sorted[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j + 2) / 2
        i = j + 1
    n1 = pos.sum(); n0 = len(pos) - n1
    return (ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def caught(scores, pos, rate=0.95):
    scores = np.asarray(scores); pos = np.asarray(pos, bool)
    t = np.sort(scores[pos])[int(len(scores[pos]) * (1 - rate))]
    return float((scores[~pos] < t).mean())


def logit_fit(X, y, l2=1.0, it=50):
    X = np.asarray(X, float); y = np.asarray(y, float)
    mu = X.mean(0); sd = X.std(0) + 1e-9
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    for _ in range(it):
        p = 1 / (1 + np.exp(-Z @ w))
        g = Z.T @ (p - y) + l2 * np.r_[w[:-1], 0]
        H = (Z * (p * (1 - p))[:, None]).T @ Z + l2 * np.diag(np.r_[np.ones(len(w) - 1), 0]) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return lambda F: 1 / (1 + np.exp(-(np.hstack([(np.asarray(F) - mu) / sd, np.ones((len(F), 1))]) @ w)))


def read_vectors(path):
    return np.array([json.loads(l) for l in open(path)], dtype=np.float32)


MD = re.compile(r"(!?\[([^\]]*)\]\([^)]*\))|[`*_>#|]|\{\{[^}]*\}\}|<[^>]+>")


def sentences(text):
    text = MD.sub(lambda m: m.group(2) or " ", text)
    for line in text.split("\n"):
        line = line.strip(" -\t")
        if not line or line.startswith(("```", ":::")):
            continue
        for s in re.split(r"(?<=[.?!])\s+", line):
            if 5 <= len(s.split()) <= 40:
                yield s


def pseudo_questions(corpus, per_article=2, rng=None):
    """(text, article, excluded chunk or -1): a sentence from one chunk, that chunk left out."""
    out = []
    for a, chunks in corpus.achunks.items():
        picks = []
        if len(chunks) > 1:
            for c in chunks:
                s = next(iter(sentences(corpus.ctext[c].split("\n", 1)[-1])), None)
                if s:
                    picks.append((s, a, c))
        if rng is not None and len(picks) > per_article:
            idx = rng.choice(len(picks), per_article, replace=False)
            picks = [picks[i] for i in idx]
        out += picks[:per_article]
        out.append((corpus.atitle[a], a, -1))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--vectors")
    ap.add_argument("--write-pseudo")
    ap.add_argument("--pseudo")
    ap.add_argument("--pseudo-vectors")
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--train", type=int, default=800)
    ap.add_argument("--kinds", default="sent,title")
    a = ap.parse_args()
    corpus = Corpus(a.db)
    index = {p: i for i, p in enumerate(corpus.apath)}
    if a.write_pseudo:
        ps = pseudo_questions(corpus, rng=np.random.default_rng(0))
        with open(a.write_pseudo, "w") as f:
            for t, art, c in ps:
                f.write(f"{t.replace(chr(9), ' ').replace(chr(10), ' ')}\t{art}\t{c}\n")
        print(len(ps), "pseudo-questions", file=sys.stderr)
        return
    pairs = [l.rstrip("\n").split("\t") for l in open(a.queries) if l.strip()]
    qv = read_vectors(a.vectors)
    ps = [l.rstrip("\n").split("\t") for l in open(a.pseudo)]
    pv = read_vectors(a.pseudo_vectors)
    kinds = set(a.kinds.split(","))
    targets = sorted({p for _, p in pairs})
    res = collections.defaultdict(list)
    for seed in [int(s) for s in a.seeds.split(",")]:
        rng = np.random.default_rng(seed)
        dropped = set(index[p] for p in rng.permutation(targets)[: len(targets) // 2] if p in index)
        # training set: pseudo-questions of kept articles
        X, y, Xq, yq = [], [], [], []
        cand_ids = [i for i, (t, art, c) in enumerate(ps) if int(art) not in dropped
                    and (("title" in kinds) if int(c) < 0 else ("sent" in kinds))]
        for i in rng.permutation(cand_ids)[: a.train]:
            t, art, c = ps[i]; art = int(art); c = int(c)
            present = corpus.candidates(t, pv[i], exclude_articles=dropped, exclude_chunks=[c] if c >= 0 else [])
            F = corpus.features(t, present)
            X += F; y += [int(x["a"] == art) for x in present]
            absent = corpus.candidates(t, pv[i], exclude_articles=dropped | {art})
            F = corpus.features(t, absent)
            X += F; y += [0] * len(F)
        model = logit_fit(X, y)
        scores, maxcos, pos, RF, RY = [], [], [], [], []
        for (q, p), v in zip(pairs, qv):
            cands = corpus.candidates(q, v, exclude_articles=dropped)
            F = corpus.features(q, cands)
            RF.append(np.array(F)); RY.append([int(c["a"] == index.get(p, -1)) for c in cands])
            scores.append(float(model(F).max()))
            maxcos.append(max(c["s"] for c in cands))
            pos.append(index.get(p, -1) not in dropped)
        for j, n in enumerate(NAMES):
            res["max " + n].append((auroc([f[:, j].max() for f in RF], pos), 0))
        # oracle: detector fitted on the other half of the real queries (2-fold)
        half = np.arange(len(RF)) % 2 == 0
        osc = np.zeros(len(RF))
        for part in (half, ~half):
            m = logit_fit(np.vstack([RF[i] for i in np.where(~part)[0]]), sum([RY[i] for i in np.where(~part)[0]], []))
            for i in np.where(part)[0]:
                osc[i] = m(RF[i]).max()
        res["oracle 2-fold"].append((auroc(osc, pos), caught(osc, pos)))
        res["maxcos"].append((auroc(maxcos, pos), caught(maxcos, pos)))
        res["detector"].append((auroc(scores, pos), caught(scores, pos)))
        print(f"seed {seed}: maxcos {res['maxcos'][-1][0]:.3f}/{res['maxcos'][-1][1]:.2f}  detector {res['detector'][-1][0]:.3f}/{res['detector'][-1][1]:.2f}  (train {len(X)} rows, {sum(y)} pos)", file=sys.stderr)
    for k, v in res.items():
        v = np.array(v)
        print(f"{k}: AUROC {v[:, 0].mean():.3f}  caught@95 {v[:, 1].mean() * 100:.1f} %")


if __name__ == "__main__":
    main()

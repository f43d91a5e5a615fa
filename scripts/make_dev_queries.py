"""Development set for ranking work: description queries of a help center's articles that are
NOT in the evaluation set, so parameters are never tuned on the set they are judged on.
Usage: make_dev_queries.py KB_DIR EVAL_TSV OUT_TSV [COUNT=600] [SEED=11]
Index a copy without descriptions (../shared/data/eval/strip_descriptions.py) before evaluating."""
import os, random, re, sys, yaml

src, eval_tsv, out = sys.argv[1:4]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 600
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 11
held_out = {line.rstrip("\n").split("\t")[1] for line in open(eval_tsv, encoding="utf-8") if "\t" in line}
rows = []
for root, dirs, files in os.walk(src):
    dirs.sort()
    for f in sorted(files):
        if not f.endswith(".md"):
            continue
        rel = os.path.relpath(os.path.join(root, f), src)
        if rel.split(os.sep)[0] == "includes" or rel in held_out:
            continue
        text = open(os.path.join(root, f), encoding="utf-8").read()
        end = text.find("\n---", 3)
        if not text.startswith("---") or end < 0:
            continue
        try:
            meta = yaml.safe_load(text[4:end]) or {}
        except Exception:
            continue
        if meta.get("layout") == "redirect" or meta.get("redirect"):
            continue
        d = re.sub(r"\s+", " ", str(meta.get("description") or "").strip())
        t = str(meta.get("title") or "").strip()
        if len(d.split()) >= 6 and d.lower() != t.lower() and "\t" not in d:
            rows.append((d, rel))
random.Random(seed).shuffle(rows)
with open(out, "w", encoding="utf-8") as q:
    for d, rel in rows[:count]:
        q.write(f"{d}\t{rel}\n")
print(f"{min(count, len(rows))} dev queries of {len(rows)} eligible -> {out}")

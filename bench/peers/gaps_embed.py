"""Cache MiniLM embeddings of BANKING77 train for gap-clustering research (peer only)."""
import csv, sys, numpy as np
from sentence_transformers import SentenceTransformer
src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/banking77/train.csv"
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/gaps/b77"
rows = list(csv.DictReader(open(src, newline="", encoding="utf-8")))
texts = [r["text"] for r in rows]; labels = [r["category"] for r in rows]
m = SentenceTransformer(".models/all-MiniLM-L6-v2", device="cpu")
E = m.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
np.save(out + "_emb.npy", E.astype(np.float32))
with open(out + "_labels.txt", "w") as f: f.write("\n".join(labels))
with open(out + "_texts.txt", "w") as f: f.write("\n".join(t.replace("\n", " ") for t in texts))
print(E.shape)

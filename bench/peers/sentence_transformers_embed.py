#!/usr/bin/env python3
"""Peer benchmark for `kb bench embed --peer`: sentence-transformers (torch, CPU) on exactly
the texts kb embedded, measured the same way. Never needed by `kb` or its tests.

  pip install sentence-transformers torch
  python3 bench/peers/sentence_transformers_embed.py --model .models/all-MiniLM-L6-v2 \
      --chunks chunks.jsonl --questions questions.jsonl [--threads 2] [--report out.json]

Input files hold one JSON string per line (what `kb bench embed --peer` writes). Figures:
chunks/s and real (non-pad) tokens/s on the chunks, questions/s, single-query p50/p99 (ms),
peak RSS (MB). --vectors-out writes the chunk vectors as little-endian float32.
"""
import argparse
import json
import resource
import sys
import time


def read_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="model folder (.models/all-MiniLM-L6-v2)")
    ap.add_argument("--chunks", required=True, help="JSON-lines file of chunk texts")
    ap.add_argument("--questions", required=True, help="JSON-lines file of short questions")
    ap.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    ap.add_argument("--batch-size", type=int, default=32, help="sentence-transformers batch size (its default is 32)")
    ap.add_argument("--latency-runs", type=int, default=500, help="single-query runs timed")
    ap.add_argument("--vectors-out", help="write chunk vectors here (float32, little-endian)")
    ap.add_argument("--report", help="write the figures here as JSON")
    args = ap.parse_args()

    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    import sentence_transformers
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(args.model, device="cpu")
    model.eval()
    chunks, questions = read_texts(args.chunks), read_texts(args.questions)
    tok = model.tokenizer
    max_len = model.max_seq_length

    def real_tokens(texts):
        return sum(min(len(ids), max_len) for ids in tok(texts, add_special_tokens=True, truncation=False)["input_ids"])

    def timed(texts):
        start = time.perf_counter()
        vectors = model.encode(texts, batch_size=args.batch_size, convert_to_numpy=True, normalize_embeddings=False)
        return vectors, time.perf_counter() - start

    with torch.inference_mode():
        model.encode(questions[:64], batch_size=args.batch_size)  # warm-up
        chunk_vectors, chunk_s = timed(chunks)
        _, question_s = timed(questions)
        queries = questions[:100]
        for q in queries[:20]:
            model.encode([q])
        times = []
        for i in range(args.latency_runs):
            start = time.perf_counter()
            model.encode([queries[i % len(queries)]])
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    chunk_tokens = real_tokens(chunks)
    pct = lambda p: times[min(len(times) - 1, int(len(times) * p))]
    report = {
        "version": sentence_transformers.__version__,
        "torch": torch.__version__,
        "threads": args.threads,
        "chunk_tokens": chunk_tokens,
        "chunks_per_s": len(chunks) / chunk_s,
        "chunk_tokens_per_s": chunk_tokens / chunk_s,
        "questions_per_s": len(questions) / question_s,
        "query_p50_ms": pct(0.5),
        "query_p99_ms": pct(0.99),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if args.vectors_out:
        np.asarray(chunk_vectors, dtype="<f4").tofile(args.vectors_out)
    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f)
    print("sentence-transformers %s (torch %s, %d threads): %.1f chunks/s, %.0f real tokens/s, %.0f questions/s, "
          "query p50 %.2f ms p99 %.2f ms, peak RSS %.0f MB" % (
              report["version"], report["torch"], args.threads, report["chunks_per_s"], report["chunk_tokens_per_s"],
              report["questions_per_s"], report["query_p50_ms"], report["query_p99_ms"], report["peak_rss_mb"]),
          file=sys.stderr)


if __name__ == "__main__":
    main()

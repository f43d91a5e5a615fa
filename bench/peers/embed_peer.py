#!/usr/bin/env python3
"""Peer benchmark for `kb bench embed`: sentence-transformers (torch, CPU, 2 threads) on
exactly the texts kb measured. Never needed by kb or its tests.

usage: embed_peer.py MODEL_DIR CHUNKS.txt QUESTIONS.txt QUERIES.txt   (one text per line, \\n escaped as \\\\n)
prints one JSON object with chunks_per_s, tokens_per_s, questions_per_s, query_p50_ms, query_p99_ms, peak_rss_mb
"""
import json
import resource
import sys
import time

import torch
from sentence_transformers import SentenceTransformer


def read(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").replace("\\n", "\n") for line in f]


def main():
    model_dir, chunks_path, questions_path, queries_path = sys.argv[1:5]
    torch.set_num_threads(2)
    model = SentenceTransformer(model_dir, device="cpu")
    chunks, questions, queries = read(chunks_path), read(questions_path), read(queries_path)
    model.encode(chunks[:32], batch_size=32)  # warm-up
    tokens = sum(min(len(model.tokenizer(t)["input_ids"]), 256) for t in chunks)
    t = time.perf_counter()
    model.encode(chunks, batch_size=32)
    chunk_s = time.perf_counter() - t
    t = time.perf_counter()
    model.encode(questions, batch_size=64)
    question_s = time.perf_counter() - t
    lat = []
    for q in queries:
        t = time.perf_counter()
        model.encode([q])
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    print(json.dumps({
        "chunks_per_s": len(chunks) / chunk_s, "tokens_per_s": tokens / chunk_s,
        "questions_per_s": len(questions) / question_s,
        "query_p50_ms": lat[len(lat) // 2], "query_p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()

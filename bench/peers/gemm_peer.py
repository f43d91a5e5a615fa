"""The dense-product ceiling as numpy's and PyTorch's own sgemm see it.

Runs all-MiniLM-L6-v2's four dense products per layer ([M,384]x[384,1152], [M,384]x[384,384],
[M,384]x[384,1536], [M,1536]x[1536,384]) on M = 4096 rows with two threads and prints GFLOP/s,
to compare with the ceiling `kb bench embed` prints. Benchmarks only; never needed by kb.

    python3 bench/peers/gemm_peer.py
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("OMP_NUM_THREADS", "2")
import time

import numpy as np

M, ROUNDS = 4096, 20
SHAPES = [(384, 1152), (384, 384), (384, 1536), (1536, 384)]
FLOPS = sum(2 * M * k * n for k, n in SHAPES)


def measure(a, w, matmul):
    for _ in range(3):
        for (k, _), wk in zip(SHAPES, w):
            matmul(a[k], wk)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for (k, _), wk in zip(SHAPES, w):
            matmul(a[k], wk)
    return FLOPS * ROUNDS / (time.perf_counter() - start) / 1e9


rng = np.random.default_rng(0)
A = {k: rng.random((M, k), dtype=np.float32) for k in (384, 1536)}
W = [rng.random((k, n), dtype=np.float32) for k, n in SHAPES]
print(f"numpy sgemm, 2 threads: {measure(A, W, np.matmul):.0f} GFLOP/s")
try:
    import torch

    torch.set_num_threads(2)
    TA = {k: torch.from_numpy(v) for k, v in A.items()}
    TW = [torch.from_numpy(w) for w in W]
    print(f"torch sgemm, 2 threads: {measure(TA, TW, torch.matmul):.0f} GFLOP/s")
except ImportError:
    print("torch not installed")

"""OpenBLAS float32 GEMM (through numpy) at workload W's and the wide network's shapes, 1 and 2 threads."""
import time
import numpy as np
from threadpoolctl import threadpool_limits

SHAPES = [
    ("W forward X·W1 200x784x128", "nn", 200, 784, 128),
    ("W weight grad X^T·dZ 784x200x128", "tn", 200, 784, 128),
    ("W output forward 200x128x10", "nn", 200, 128, 10),
    ("W input grad dZ·W2^T 200x10x128", "nt", 200, 10, 128),
    ("wide forward 200x2048x2048", "nn", 200, 2048, 2048),
    ("wide weight grad 2048x200x2048", "tn", 200, 2048, 2048),
    ("wide input grad 200x2048x2048", "nt", 200, 2048, 2048),
]
rng = np.random.default_rng(1)
for threads in (1, 2):
    with threadpool_limits(threads):
        for name, kind, m, k, n in SHAPES:
            a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
            b = rng.uniform(-1, 1, {"nn": (k, n), "tn": (m, n), "nt": (n, k)}[kind]).astype(np.float32)
            product = {"nn": lambda: a @ b, "tn": lambda: a.T @ b, "nt": lambda: a @ b.T}[kind]
            for _ in range(20):
                product()
            calls = max(1, int(0.02 / (2 * m * n * k / 2e11)))
            best = float("inf")
            for _ in range(15):
                t = time.perf_counter()
                for _ in range(calls):
                    product()
                best = min(best, (time.perf_counter() - t) / calls)
            print(f'KERNEL name="{name}" threads={threads} simd=openblas us={best * 1e6:.1f} '
                  f'gflops={2 * m * n * k / best / 1e9:.1f}')

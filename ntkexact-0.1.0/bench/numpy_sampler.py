"""A straightforward NumPy implementation of `ntkexact sample`, for the
benchmark: the same network, K by backpropagation, and g by the same jets
with frozen masks, one network at a time.  Prints samples per second.

Usage: python3 bench/numpy_sampler.py WIDTHS SAMPLES"""
import sys
import time
import numpy as np


def sample(widths, rng, x2=1.0, ch=2.0, co=1.0):
    d = len(widths) - 1
    c = [ch] * (d - 1) + [co]
    scale = [np.sqrt(c[i] / widths[i]) for i in range(d)]
    lw = [c[i] / widths[i] for i in range(d)]
    W = [rng.standard_normal((widths[i + 1], widths[i])) * scale[i] for i in range(d)]
    a = [np.zeros(widths[0])]
    a[0][0] = np.sqrt(x2)
    for i in range(d):
        z = W[i] @ a[i]
        a.append(np.maximum(z, 0.0) if i < d - 1 else z)
    delta = [None] * d
    delta[d - 1] = np.ones(1)
    for i in range(d - 1, 0, -1):
        delta[i - 1] = (W[i].T @ delta[i]) * (a[i] > 0)
    kw = sum(lw[i] * (a[i] @ a[i]) * (delta[i] @ delta[i]) for i in range(d))
    kb = sum(delta[i] @ delta[i] for i in range(d))
    js = jt = jss = jst = np.zeros(widths[0])
    for i in range(d):
        aa, as_, at = a[i] @ a[i], a[i] @ js, a[i] @ jt
        zs = W[i] @ js + lw[i] * delta[i] * aa
        zt = W[i] @ jt + delta[i]
        zss = W[i] @ jss + lw[i] * delta[i] * as_
        zst = W[i] @ jst + lw[i] * delta[i] * at
        if i < d - 1:
            m = a[i + 1] > 0
            zs, zt, zss, zst = zs * m, zt * m, zss * m, zst * m
        js, jt, jss, jst = zs, zt, zss, zst
    n = a[d][0]
    return kw + kb, n * 2 * jss[0], n * jst[0]


def main():
    widths = []
    for item in sys.argv[1].split(","):
        w, _, k = item.partition("x")
        widths += [int(w)] * (int(k) if k else 1)
    samples = int(sys.argv[2])
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    ks = [sample(widths, rng) for _ in range(samples)]
    dt = time.perf_counter() - t0
    print(f"{samples / dt:.1f} samples/s (mean K {np.mean([k[0] for k in ks]):.4g})")


main()

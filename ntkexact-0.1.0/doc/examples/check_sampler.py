"""Checking your own empirical-NTK sampler against ntkexact.

This is the pattern for using ntkexact as a test oracle: sample K(x, x) of
random ReLU networks with your code (here a small NumPy sampler written for the
example), ask `ntkexact moments --format json` for the exact E[K] and E[K^2],
and compare with z-scores.  Exit status 0 when every |z| <= 5.

Usage: python3 check_sampler.py [--widths 3,4x3,1] [--x2 1] [--samples 20000]
                                [--ntkexact PATH] [--seed 1] [--forget-output-bias]
"""
import argparse
import json
from fractions import Fraction
import subprocess
import sys

import numpy as np


def my_ntk_sampler(widths, x2, samples, rng, output_bias=True):
    """Your sampler: K = K_w + K_b for `samples` random networks (NTK
    parametrization, weights N(0, c/n_{l-1}) with c = 2 hidden and 1 output,
    zero but trainable biases), by backpropagation, vectorized over samples."""
    d = len(widths) - 1
    c = [2.0] * (d - 1) + [1.0]
    a = np.zeros((samples, widths[0]))
    a[:, 0] = np.sqrt(x2)
    acts, weights, masks = [a], [], []
    for i in range(d):
        w = rng.standard_normal((samples, widths[i + 1], widths[i])) * np.sqrt(c[i] / widths[i])
        z = np.einsum("sjk,sk->sj", w, acts[-1])
        weights.append(w)
        if i < d - 1:
            masks.append(z > 0)
            acts.append(z * masks[-1])
    delta = np.ones((samples, 1))
    k = np.zeros(samples)
    for i in range(d - 1, -1, -1):
        k += (c[i] / widths[i]) * np.sum(acts[i] ** 2, 1) * np.sum(delta ** 2, 1)   # K_w
        if i < d - 1 or output_bias:
            k += np.sum(delta ** 2, 1)                                             # K_b
        if i > 0:
            delta = np.einsum("sj,sjk->sk", delta, weights[i]) * masks[i - 1]
    return k


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--widths", default="3,4x3,1")
    p.add_argument("--x2", default="1")
    p.add_argument("--samples", type=int, default=20000)
    p.add_argument("--ntkexact", default="ntkexact")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--forget-output-bias", action="store_true",
                   help="simulate a common bug: leave the output bias out of K")
    args = p.parse_args()
    widths = []
    for item in args.widths.split(","):
        w, _, k = item.partition("x")
        widths += [int(w)] * (int(k) if k else 1)
    exact = json.loads(subprocess.run(
        [args.ntkexact, "moments", "--widths", args.widths, "--x2", args.x2, "--format", "json"],
        capture_output=True, text=True, check=True).stdout)
    x2 = float(Fraction(args.x2))
    k = my_ntk_sampler(widths, x2, args.samples, np.random.default_rng(args.seed),
                       output_bias=not args.forget_output_bias)
    worst = 0.0
    for name, values in (("E_K", k), ("E_K2", k ** 2)):
        mean, se = values.mean(), values.std(ddof=1) / np.sqrt(len(values))
        want = float(exact["decimal"][name])
        z = (mean - want) / se
        worst = max(worst, abs(z))
        print(f"{name:5s} exact {exact['exact'][name]:>12s} = {want:.6g}   "
              f"sampled {mean:.6g} +- {se:.2g}   z = {z:+.2f}")
    print("PASS" if worst <= 5 else "FAIL", f"(largest |z| = {worst:.2f}, {args.samples} samples)")
    return 0 if worst <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())

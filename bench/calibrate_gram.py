"""Calibration of ntkexact.testing.check_gram, the Gram-matrix oracle (not
part of make check; doc/python.md quotes its results).

1. False alarms: a correct batched PyTorch NTK Gram matrix (written by hand,
   no autograd; it agrees with the torch.func one of
   doc/examples/torch_gram.py, checked here first) on several profiles,
   many seeds each, at the rule's default sample count.  For each run it
   records the largest |z| - trunc/SE over the entries, and counts the runs
   that fail at the default alpha = 1e-4 and, to see the calibration, at
   alpha = 0.01 and 0.1 (where failures are expected: about alpha per run).
2. Power: planted cross-input bugs, the smallest sample count (of a
   ladder) at which each is caught in 10 of 10 seeds.
3. Truncation (--truncation): the Monte Carlo residual of the off-diagonal
   means against Theta + sum_l c_l/n_l at small widths, where it is
   visible, beside the oracle's estimated bound.

Usage: nice -n 10 python3 bench/calibrate_gram.py [--profiles I:SEEDS,...] [--truncation]
       [--skip-power] [--skip-false-alarms]
(PYTHONPATH=python; about 45 minutes of one core with the defaults).
"""

import argparse
import math
import os
import sys
import time

import numpy as np
import torch

import ntkexact
from ntkexact import _gram, _ntkexact
from ntkexact.testing import check_gram

INPUTS = np.array([[1.0, 0.0, 0.0, 0.0], [0.9, 0.3, 0.0, 0.0], [0.0, 1.0, -1.0, 0.5],
                   [-1.0, -0.2, 0.1, 0.0]])
BUGS = ("paired-activations", "norm-broadcast", "batch-mixing", "summed-gradients",
        "weak-mixing")


class TorchGram:
    """sample_fn(inputs, m, generator): the NTK Gram matrices of m networks
    (weights N(0, c/n_in), zero trainable biases, NTK parametrization),
    computed from dN/dW = delta a^T layer by layer.  bug= plants:
      paired-activations  the gradients of input i with the activations of
                          input i-1 (a batch index off by one)
      norm-broadcast      |a_i|^2 and |a_j|^2 averaged for a_i . a_j (the
                          diagonal stays right)
      batch-mixing        the first hidden layer minus 0.2 times its batch
                          mean (a batch-norm-like coupling)
      summed-gradients    one side's gradients summed over the batch
      weak-mixing         batch-mixing at 0.02 instead of 0.2 (a subtle one)
    """

    def __init__(self, widths, slope=0.0, bias=True, bug=None):
        self.n, self.slope, self.bias, self.bug = ntkexact.profile_widths(widths), slope, bias, bug
        d = len(self.n) - 1
        self.cw = [2.0 / (1 + slope * slope)] * (d - 1) + [1.0]

    def __call__(self, inputs, m, gen):
        n, c, d = self.n, self.cw, len(self.n) - 1
        x = torch.as_tensor(np.asarray(inputs, dtype=float))
        k = x.shape[0]
        ws = [torch.randn(m, n[i + 1], n[i], generator=gen, dtype=torch.float64)
              * math.sqrt(c[i] / n[i]) for i in range(d)]
        a, gates = [x.expand(m, k, n[0])], []
        for i in range(d):
            z = torch.einsum("mjh,mkh->mkj", ws[i], a[-1])
            if i < d - 1:
                s = torch.where(z > 0, 1.0, self.slope).to(torch.float64)
                gates.append(s)
                nxt = s * z
                if self.bug in ("batch-mixing", "weak-mixing") and i == 0:
                    mix = 0.2 if self.bug == "batch-mixing" else 0.02
                    nxt = nxt - mix * nxt.mean(dim=1, keepdim=True)
                a.append(nxt)
        delta = [None] * d
        delta[d - 1] = torch.ones(m, k, 1, dtype=torch.float64)
        for i in range(d - 1, 0, -1):
            delta[i - 1] = torch.einsum("mkj,mjh->mkh", delta[i], ws[i]) * gates[i - 1]
        out = torch.zeros(m, k, k, dtype=torch.float64)
        for i in range(d):
            other = delta[i]
            if self.bug == "summed-gradients":
                other = delta[i].sum(dim=1, keepdim=True).expand_as(delta[i])
            dd = torch.einsum("mkj,mlj->mkl", delta[i], other)
            if self.bug == "summed-gradients":
                dd = 0.5 * (dd + dd.transpose(1, 2))
            if self.bug == "paired-activations":
                ai = a[i].roll(1, dims=1)
                aa = torch.einsum("mkj,mlj->mkl", ai, ai)
            elif self.bug == "norm-broadcast":
                sq = (a[i] ** 2).sum(dim=2)
                aa = 0.5 * (sq[:, :, None] + sq[:, None, :])
            else:
                aa = torch.einsum("mkj,mlj->mkl", a[i], a[i])
            out = out + c[i] / n[i] * dd * aa + (dd if self.bias else 0.0)
        return out


PROFILES = [
    dict(widths="4,128,128,1"),
    dict(widths="4,32,1", bias=False),
    dict(widths="4,96,96,1", slope=0.5, activation="leaky:1/2"),
    dict(widths="4,192x3,1"),
    dict(widths="4,64,64,1"),
]


def selfcheck():
    """The largest difference between TorchGram and the torch.func Gram
    matrix of doc/examples/torch_gram.py on the same weights."""
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        "torch_gram", os.path.join(here, "..", "doc", "examples", "torch_gram.py"))
    ex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ex)
    s = ex.GramSampler()
    params = s.draw(4, torch.Generator().manual_seed(1))
    ours = TorchGram("4,128,128,1")
    worst = 0.0
    for n in range(4):
        one = {k: v[n] for k, v in params.items()}
        want = s.gram_one(one, ex.INPUTS)
        ws = [one[f"{2 * i}.weight"] / math.sqrt(s.scale[f"{2 * i}.weight"]) for i in range(3)]
        gen = _FixedWeights(ws)
        got = ours(ex.INPUTS.numpy(), 1, gen)[0]
        worst = max(worst, float((got - want).abs().max() / want.abs().max()))
    return worst


class _FixedWeights:
    """A stand-in generator: torch.randn is patched to return these."""

    def __init__(self, ws):
        self.ws = list(ws)


_randn = torch.randn


def _patched_randn(*shape, generator=None, dtype=None):
    if isinstance(generator, _FixedWeights):
        w = generator.ws.pop(0)
        return w.reshape(shape).to(dtype)
    return _randn(*shape, generator=generator, dtype=dtype)


torch.randn = _patched_randn


def run_check(profile, samples, seed, bug=None, alpha=None):
    kw = {k: v for k, v in profile.items() if k in ("bias", "activation")}
    fn = TorchGram(profile["widths"], profile.get("slope", 0.0), profile.get("bias", True), bug)
    gen = torch.Generator().manual_seed(seed)
    return check_gram(fn, profile["widths"], INPUTS, samples, batch=500, rng=gen,
                      raise_on_failure=False, alpha=alpha, **kw)


def margin(report):
    """max over the entries of |z| - trunc/SE: a run fails at level alpha
    when this exceeds the Bonferroni threshold of alpha (or the symmetry
    fails, never here)."""
    out = 0.0
    for r in report.rows:
        if r.z is None:
            return math.inf
        t = r.truncation / r.stderr if r.stderr > 0 else 0.0
        out = max(out, abs(r.z) - t)
    return out


def false_alarms(which):
    print("# false alarms: correct batched PyTorch NTK, 4 inputs, seeds 1..S per profile")
    print("profile | N (rule) | fail a=1e-4 | fail a=1e-2 (expect) | fail a=0.1 (expect) | "
          "largest |z|-t/SE | seconds")
    total = [0, 0, 0, 0]
    for idx, seeds in which:
        p = PROFILES[idx]
        t0 = time.time()
        ms, n = [], None
        for seed in range(1, seeds + 1):
            r = run_check(p, None, seed)
            n = r.samples
            ms.append(margin(r))
        q = len(r.rows)
        counts = [sum(m > _ntkexact._check_threshold(a, q) for m in ms) for a in (1e-4, 1e-2, 0.1)]
        total = [total[0] + counts[0], total[1] + counts[1], total[2] + counts[2], total[3] + seeds]
        name = p["widths"] + ("" if p.get("bias", True) else " no bias") + \
            (" " + p["activation"] if "activation" in p else "")
        print(f"{name} ({seeds} seeds) | {n} | {counts[0]} | {counts[1]} ({seeds * 0.01:.1f}) | "
              f"{counts[2]} ({seeds * 0.1:.0f}) | {max(ms):.2f} | {time.time() - t0:.0f}", flush=True)
    print(f"all {total[3]} runs | | {total[0]} | {total[1]} ({total[3] * 0.01:.1f}) | "
          f"{total[2]} ({total[3] * 0.1:.0f}) | |")


LADDER = (50, 100, 200, 300, 500, 1000, 2000, 5000, 10000)


def power(bugs=BUGS):
    print("# power: the smallest N of %s caught in 10 of 10 seeds (default alpha)" % (LADDER,))
    print("bug | " + " | ".join(p["widths"] for p in PROFILES[:2] + PROFILES[4:]))
    for bug in bugs:
        cells = []
        for p in PROFILES[:2] + PROFILES[4:]:
            found = "> %d" % LADDER[-1]
            for n in LADDER:
                try:
                    caught = sum(not run_check(p, n, seed, bug).passed for seed in range(1, 11))
                except ValueError:      # above the rule's cap
                    found = "> %d (the cap)" % last
                    break
                last = n
                if caught == 10:
                    found = str(n)
                    break
            cells.append(found)
        print(f"{bug} | " + " | ".join(cells), flush=True)


TRUNCATION_CASES = [
    ("4,8x3,1", {}), ("4,16x3,1", {}),
    ("4,8x3,1", dict(slope=0.5, activation="leaky:1/2")),
    ("4,8x3,1", dict(bias=False)),
]


def truncation(cases=TRUNCATION_CASES, n=2_000_000):
    print("# truncation: Monte Carlo residual of the off-diagonal means (%d networks)" % n)
    print("widths | rho | mu | largest |residual| (its SE) | its pair's bound | "
          "largest |residual|/bound")
    g = ntkexact.exact_gram(INPUTS)
    for w, kw in cases:
        conv = {k: v for k, v in kw.items() if k in ("bias", "activation")}
        plan = _gram._Plan(w, g, conv, None)
        fn = TorchGram(w, kw.get("slope", 0.0), kw.get("bias", True))
        gen = torch.Generator().manual_seed(11)
        s = torch.zeros(4, 4, dtype=torch.float64)
        s2 = torch.zeros(4, 4, dtype=torch.float64)
        done = 0
        while done < n:
            k = fn(INPUTS, 20000, gen)
            s += k.sum(0)
            s2 += (k * k).sum(0)
            done += 20000
        mean, var = (s / n).numpy(), (s2 / n - (s / n) ** 2).numpy()
        worst, ratio = None, 0.0
        for (i, j), bound in plan.trunc.items():
            res = mean[i, j] - plan.reference[i][j]
            se = math.sqrt(var[i, j] / n)
            if worst is None or abs(res) > abs(worst[0]):
                worst = (res, se, bound)
            ratio = max(ratio, abs(res) / bound)
        name = w + "".join(f" {k}={v}" for k, v in conv.items())
        print(f"{name} | {plan.rho:.3g} | {plan.mu:.3g} | {abs(worst[0]):.2e} ({worst[1]:.1e}) | "
              f"{worst[2]:.2e} | {ratio:.3f}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--profiles", default="4:200,1:400,2:100,0:60,3:20",
                   help="INDEX:SEEDS,... of PROFILES (default: about 30 minutes)")
    p.add_argument("--truncation", action="store_true")
    p.add_argument("--skip-false-alarms", action="store_true")
    p.add_argument("--skip-power", action="store_true")
    p.add_argument("--bugs", default=",".join(BUGS), help="the planted bugs of the power table")
    args = p.parse_args()
    torch.set_num_threads(1)
    print(f"# selfcheck: TorchGram against torch.func, largest relative difference "
          f"{selfcheck():.2e}")
    if args.truncation:
        truncation()
    if not args.skip_power:
        power(args.bugs.split(","))
    if not args.skip_false_alarms:
        which = [tuple(int(v) for v in item.split(":")) for item in args.profiles.split(",")]
        false_alarms(which)


if __name__ == "__main__":
    sys.exit(main())

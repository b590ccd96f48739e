"""Testing an empirical NTK written with PyTorch against the exact moments.

The model is a torch.nn.Sequential of Linear and ReLU layers with the
conventions of ntkexact (doc/derivation.md, sections 1 and 2): weights
N(0, c/n_in) with c = 2 for the hidden layers and 1 for the output layer,
zero biases that are trainable, a linear output, an input x with
||x||^2 = x2 (along e_1; for Gaussian weights any direction gives the same
law).  For each freshly initialized network, torch.autograd gives

    K = sum over parameters of (dN/dtheta)^2, where in the NTK
        parametrization the weights are the unit-variance W of
        What = sqrt(c/n_in) W, so each squared weight gradient of the
        torch module (a gradient with respect to What) is multiplied by
        c/n_in; in the standard parametrization it is not;
    g = sum over parameter pairs of dN/dtheta d2N/dtheta dtheta' dN/dtheta',
        the first-SGD-update term (dK = -2 lambda N g), as a
        Hessian-vector product, and its weight-weight part g_ww (then the
        weight-bias part g_wb = (g - g_ww)/2: the bias-bias block of the
        Hessian is 0),

and ntkexact.testing compares the moments of K, K_w, K_b, N, N g, N g_ww
and N g_wb with the exact values, on four profiles: one in the NTK
parametrization, one with a hidden layer of width 1 (which is dead, all
gates shut, half the time), one in the standard parametrization, and one
with the leaky ReLU of slope 1/2 (torch.nn.LeakyReLU, at its critical
hidden variance 8/5).

Usage: python3 torch_ntk.py [--samples 4000] [--seed 1]
                            [--bug output-bias|cw-hidden-1|relu-variance]
--bug simulates a common mistake (a model without its output bias, hidden
weights of variance 1/n_in, or a leaky ReLU network initialized with ReLU's
variance 2/n_in); the check then fails.  Exit status 0 when every check
passes, 1 otherwise.
"""

import argparse
import math
import sys
from fractions import Fraction

import torch

import ntkexact
from ntkexact.testing import KernelCheckError, check_kernel_moments

# the four profiles of the example and their conventions
PROFILES = [
    dict(widths="3,4x3,1"),
    dict(widths="3,1,6,1", x2=2),
    dict(widths="4,8,8,1", x2="1/2", param="standard"),
    dict(widths="3,4x3,1", activation="leaky:1/2"),
]


def leaky_slope(activation):
    """The negative slope of "relu" (0) or "leaky:P/Q"."""
    return 0.0 if activation == "relu" else float(Fraction(activation.split(":")[1]))


def make_network(widths, output_bias=True, slope=0.0):
    """Linear, ReLU (or LeakyReLU), ..., Linear: a linear output of width 1."""
    layers = []
    for i in range(len(widths) - 1):
        last = i == len(widths) - 2
        layers.append(torch.nn.Linear(widths[i], widths[i + 1], bias=output_bias or not last,
                                      dtype=torch.float64))
        if not last:
            layers.append(torch.nn.LeakyReLU(slope) if slope else torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


class EmpiricalNTK:
    """sample_fn for ntkexact.testing: initializes the network afresh with the
    generator it is given and returns K_w, K_b, N and g at the input x."""

    def __init__(self, widths, x2=1.0, cw_hidden=2.0, cw_output=1.0, param="ntk",
                 output_bias=True, slope=0.0):
        self.net = make_network(widths, output_bias, slope)
        self.linears = [m for m in self.net if isinstance(m, torch.nn.Linear)]
        self.variances = [cw_hidden] * (len(self.linears) - 1) + [cw_output]
        self.x = torch.zeros(widths[0], dtype=torch.float64)
        self.x[0] = math.sqrt(x2)
        # the metric of the kernel: (dN/dW)^2 = (c/n_in) (dN/dWhat)^2 in the
        # NTK parametrization; biases are used as they are
        self.params, self.metric, self.is_weight = [], [], []
        for lin, c in zip(self.linears, self.variances):
            self.params.append(lin.weight)
            self.metric.append(c / lin.in_features if param == "ntk" else 1.0)
            self.is_weight.append(True)
            if lin.bias is not None:
                self.params.append(lin.bias)
                self.metric.append(1.0)
                self.is_weight.append(False)

    def initialize(self, generator):
        with torch.no_grad():
            for lin, c in zip(self.linears, self.variances):
                lin.weight.normal_(0.0, math.sqrt(c / lin.in_features), generator=generator)
                if lin.bias is not None:
                    lin.bias.zero_()

    def __call__(self, generator):
        self.initialize(generator)
        out = self.net(self.x)[0]
        grads = torch.autograd.grad(out, self.params, create_graph=True)
        v = [m * g.detach() for m, g in zip(self.metric, grads)]
        parts = [float((g.detach() * u).sum()) for g, u in zip(grads, v)]
        k_w = sum(p for p, w in zip(parts, self.is_weight) if w)
        k_b = sum(p for p, w in zip(parts, self.is_weight) if not w)
        # g = v . H v: the gradient of grad(N) . v, with v held fixed, is H v;
        # the output bias does not enter it (allow_unused).  g_ww = v_w . H v_w
        # from the weights' part v_w of v alone.
        hv = torch.autograd.grad(sum((g * u).sum() for g, u in zip(grads, v)), self.params,
                                 retain_graph=True, allow_unused=True)
        g = sum(float((u * h).sum()) for u, h in zip(v, hv) if h is not None)
        hw = torch.autograd.grad(sum((g * u).sum() for g, u, w in zip(grads, v, self.is_weight)
                                     if w), self.params, allow_unused=True)
        g_ww = sum(float((u * h).sum()) for u, h, w in zip(v, hw, self.is_weight)
                   if w and h is not None)
        return {"K_w": k_w, "K_b": k_b, "N": float(out), "g": g, "g_ww": g_ww}


def check_profile(profile, samples=4000, seed=1, bug=None, raise_on_failure=True, **options):
    """Checks the torch NTK on one profile (a dict of PROFILES) against the
    exact moments; bug in (None, "output-bias", "cw-hidden-1",
    "relu-variance"); options go to check_kernel_moments (alpha=,
    guarantee=, ...)."""
    conv = {k: v for k, v in profile.items() if k != "widths"}
    x2 = float(Fraction(conv.get("x2", 1)))
    slope = leaky_slope(conv.get("activation", "relu"))
    # the critical hidden variance 1/A_2 = 2/(1 + slope^2) (2 for ReLU)
    cw_hidden = 1.0 if bug == "cw-hidden-1" else 2.0 if bug == "relu-variance" \
        else 2.0 / (1.0 + slope * slope)
    sampler = EmpiricalNTK(ntkexact.profile_widths(profile["widths"]), x2=x2, cw_hidden=cw_hidden,
                           param=conv.get("param", "ntk"), output_bias=bug != "output-bias",
                           slope=slope)
    generator = torch.Generator().manual_seed(seed)
    return check_kernel_moments(sampler, profile["widths"], samples=samples, rng=generator,
                                raise_on_failure=raise_on_failure, **conv, **options)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=4000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--bug", choices=["output-bias", "cw-hidden-1", "relu-variance"])
    args = p.parse_args(argv)
    failed = 0
    for profile in PROFILES:
        try:
            report = check_profile(profile, args.samples, args.seed, args.bug)
            print(report.table(), end="\n\n")
        except KernelCheckError as e:
            print(e.report.table(), end="\n\n")
            failed += 1
    print("PASS" if not failed else f"FAIL: {failed} of {len(PROFILES)} profiles")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

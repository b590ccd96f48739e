"""A batched empirical NTK in PyTorch, written by hand (no autograd), with
the five planted bugs of the calibration (bench/calibrate.py).

For m networks at once (weights of shape (m, n_out, n_in), float64) it
computes the forward pass, the backward pass (dN/dW = delta a^T, dN/db =
delta), K_w and K_b in the NTK or the standard parametrization, and the
first-update term g = v . H v with v the metric times the gradient, as the
second derivative of N along v with the gates frozen: a second-order
forward pass z' = W a' + V a + V_b, z'' = W a'' + 2 V a', a' = s z',
a'' = s z''.  g_ww is the same along the weights' part of v.  It shares no
code with ntkexact's sampler nor with doc/examples/torch_ntk.py (autograd),
against which selfcheck() compares it.

Bugs (bug=):
  hidden-variance  hidden weights of variance 1/n_in instead of 2/n_in
  bias-gradients   the bias gradients left out of K (and of g)
  input            the input not normalized: x = (1, ..., 1), ||x||^2 = n_0
  first-layer      the first layer at variance 1/n_0 instead of 2/n_0
  output-bias      the output bias left out of the model
"""

import math

import torch

import ntkexact


BUGS = ("hidden-variance", "bias-gradients", "input", "first-layer", "output-bias")


class BatchedNTK:
    """sample_fn(generator, m) for ntkexact.testing.check_kernel_moments_batched."""

    def __init__(self, widths, x2=1.0, slope=0.0, cw_hidden=None, cw_output=1.0, param="ntk",
                 bug=None):
        if bug is not None and bug not in BUGS:
            raise ValueError(f"bug: {bug} is not one of {', '.join(BUGS)}")
        self.n = ntkexact.profile_widths(widths)
        d = len(self.n) - 1
        critical = 2.0 / (1.0 + slope * slope)
        ch = critical if cw_hidden is None else cw_hidden
        self.cw = [ch] * (d - 1) + [cw_output]
        if bug == "hidden-variance":
            self.cw = [ch / 2.0] * (d - 1) + [cw_output]
        if bug == "first-layer" and d > 1:
            self.cw[0] = ch / 2.0
        self.slope, self.param, self.bug = slope, param, bug
        self.x = torch.zeros(self.n[0], dtype=torch.float64)
        if bug == "input":
            self.x[:] = 1.0
        else:
            self.x[0] = math.sqrt(x2)

    def __call__(self, generator, m):
        n, c, d = self.n, self.cw, len(self.n) - 1
        ws = [torch.randn(m, n[i + 1], n[i], generator=generator, dtype=torch.float64)
              * math.sqrt(c[i] / n[i]) for i in range(d)]
        has_bias = [self.bug != "output-bias" or i < d - 1 for i in range(d)]
        a = [self.x.expand(m, n[0])]
        gates = []
        for i in range(d):
            z = torch.einsum("mjk,mk->mj", ws[i], a[-1])     # zero biases
            if i < d - 1:
                s = torch.where(z > 0, 1.0, self.slope).to(torch.float64)
                gates.append(s)
                a.append(s * z)
        out = z[:, 0]
        # backward: delta[i] = dN/dz_i
        delta = [None] * d
        delta[d - 1] = torch.ones(m, 1, dtype=torch.float64)
        for i in range(d - 1, 0, -1):
            delta[i - 1] = torch.einsum("mj,mjk->mk", delta[i], ws[i]) * gates[i - 1]
        metric = [c[i] / n[i] if self.param == "ntk" else 1.0 for i in range(d)]
        kw = sum(metric[i] * (delta[i] ** 2).sum(1) * (a[i] ** 2).sum(1) for i in range(d))
        bias_in_k = self.bug != "bias-gradients"
        kb = sum((delta[i] ** 2).sum(1) for i in range(d) if has_bias[i] and bias_in_k)
        if not isinstance(kb, torch.Tensor):
            kb = torch.zeros(m, dtype=torch.float64)
        # v = metric * gradient: V_W = metric delta a^T, V_b = delta
        vw = [metric[i] * torch.einsum("mj,mk->mjk", delta[i], a[i]) for i in range(d)]
        vb = [delta[i] if has_bias[i] and bias_in_k else None for i in range(d)]
        g = self._second(ws, gates, a, vw, vb)
        g_ww = self._second(ws, gates, a, vw, [None] * d)
        return {"K_w": kw, "K_b": kb, "N": out, "g": g, "g_ww": g_ww}

    @staticmethod
    def _second(ws, gates, a, vw, vb):
        """The second derivative of N along (vw, vb), the gates frozen."""
        d = len(ws)
        m = a[0].shape[0]
        a1 = torch.zeros_like(a[0])
        a2 = torch.zeros_like(a[0])
        for i in range(d):
            z1 = torch.einsum("mjk,mk->mj", ws[i], a1) + torch.einsum("mjk,mk->mj", vw[i], a[i])
            if vb[i] is not None:
                z1 = z1 + vb[i]
            z2 = torch.einsum("mjk,mk->mj", ws[i], a2) + 2.0 * torch.einsum("mjk,mk->mj", vw[i], a1)
            if i < d - 1:
                a1, a2 = gates[i] * z1, gates[i] * z2
        return z2.reshape(m)


def selfcheck(widths="3,4x3,1", m=5, seed=3):
    """The largest relative difference between this NTK and the autograd one
    of doc/examples/torch_ntk.py on m networks with the same weights."""
    import importlib.util
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        "torch_ntk", os.path.join(here, "..", "doc", "examples", "torch_ntk.py"))
    ex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ex)
    ws = ntkexact.profile_widths(widths)
    batched = BatchedNTK(ws)
    auto = ex.EmpiricalNTK(ws)
    worst = 0.0
    for k in range(m):
        gen = torch.Generator().manual_seed(seed + k)
        b = batched(gen, 1)
        # the same weights in the torch module (biases zero)
        gen = torch.Generator().manual_seed(seed + k)
        weights = [torch.randn(1, ws[i + 1], ws[i], generator=gen, dtype=torch.float64)
                   * math.sqrt(batched.cw[i] / ws[i]) for i in range(len(ws) - 1)]
        with torch.no_grad():
            for lin, w in zip(auto.linears, weights):
                lin.weight.copy_(w[0])
                lin.bias.zero_()
        auto.initialize = lambda generator: None
        r = auto(None)
        for key in ("K_w", "K_b", "N", "g", "g_ww"):
            x, y = float(b[key][0]), float(r[key])
            worst = max(worst, abs(x - y) / max(abs(y), 1e-300))
    return worst

"""ntkexact.testing.check_gram, the Gram-matrix oracle, with a hand-written
batched NumPy NTK of several inputs (correct, and with planted cross-input
bugs); each run a second or less.  The oracle's error rates over many seeds
are measured by bench/calibrate_gram.py (doc/python.md)."""

import math

import numpy as np
import pytest

import ntkexact
from ntkexact.testing import check_gram, GramCheckError, GramReport

X = np.array([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [0.0, -1.0, 1.0], [-1.0, 0.5, 0.2]])


class GramNTK:
    """sample_fn(inputs, m, rng): the NTK matrices of m ReLU (or leaky)
    networks, weights N(0, c/n_in), zero trainable biases, NTK
    parametrization; bug= plants a cross-input bug."""

    def __init__(self, widths, slope=0.0, bias=True, bug=None):
        self.n, self.slope, self.bias, self.bug = ntkexact.profile_widths(widths), slope, bias, bug
        d = len(self.n) - 1
        self.cw = [2.0 / (1 + slope * slope)] * (d - 1) + [1.0]

    def __call__(self, inputs, m, rng):
        n, c, d = self.n, self.cw, len(self.n) - 1
        x = np.asarray(inputs, dtype=float)
        k = x.shape[0]
        ws = [rng.standard_normal((m, n[i + 1], n[i])) * math.sqrt(c[i] / n[i]) for i in range(d)]
        a, gates = [np.broadcast_to(x, (m,) + x.shape)], []
        for i in range(d):
            z = np.einsum("mjh,mkh->mkj", ws[i], a[-1])
            if i < d - 1:
                s = np.where(z > 0, 1.0, self.slope)
                gates.append(s)
                nxt = s * z
                if self.bug == "batch-mixing" and i == 0:     # a batch-norm-like mixing
                    nxt = nxt - 0.2 * nxt.mean(axis=1, keepdims=True)
                a.append(nxt)
        delta = [None] * d
        delta[d - 1] = np.ones((m, k, 1))
        for i in range(d - 1, 0, -1):
            delta[i - 1] = np.einsum("mkj,mjh->mkh", delta[i], ws[i]) * gates[i - 1]
        if self.bug == "summed-gradients":     # one side: the gradient of the batch's sum
            other = [dl.sum(axis=1, keepdims=True).repeat(k, axis=1) for dl in delta]
        else:
            other = delta
        out = np.zeros((m, k, k))
        for i in range(d):
            dd = np.einsum("mkj,mlj->mkl", delta[i], other[i])
            if self.bug == "summed-gradients":
                dd = 0.5 * (dd + dd.transpose(0, 2, 1))
            if self.bug == "swapped-activations":   # input i's gradients, another input's activations
                ai = a[i][:, ::-1]
                aa = np.einsum("mkj,mlj->mkl", ai, ai)
            elif self.bug == "norm-broadcast":     # |a_i|^2, |a_j|^2 broadcast for a_i . a_j
                sq = (a[i] ** 2).sum(axis=2)
                aa = 0.5 * (sq[:, :, None] + sq[:, None, :])
            else:
                aa = np.einsum("mkj,mlj->mkl", a[i], a[i])
            out += c[i] / n[i] * dd * aa + (dd if self.bias else 0.0)
        return out


@pytest.mark.parametrize("widths,kwargs", [
    ("3,64,64,1", {}),
    ("3,24,1", dict(bias=False)),
    ("3,96,96,1", dict(slope=0.5)),
], ids=["relu", "depth2-nobias", "leaky"])
def test_correct_gram_passes(widths, kwargs):
    slope = kwargs.get("slope", 0.0)
    act = "relu" if slope == 0 else "leaky:1/2"
    report = check_gram(GramNTK(widths, **kwargs), widths, X, samples=1500, seed=5,
                        bias=kwargs.get("bias", True), activation=act)
    assert isinstance(report, GramReport) and report.passed
    assert len(report.rows) == 2 * 4 + 6 and report.samples == 1500
    assert report.symmetric and "PASS" in report.table()
    # the references: the exact E[K] on the diagonal, Theta + first order off it
    r = ntkexact.kernel(widths, X[0] @ X[0], X[1] @ X[1], X[0] @ X[1], digits=20,
                        bias=kwargs.get("bias", True), activation=act)
    want = float(r["infinite_width"]["Theta_xy"]) + float(r["first_order"]["E_Kxy"]["at_widths"])
    assert report.reference[0][1] == pytest.approx(want, rel=1e-15)


BUGS = ["swapped-activations", "norm-broadcast", "batch-mixing", "summed-gradients"]


@pytest.mark.parametrize("bug", BUGS)
def test_planted_cross_input_bugs_are_caught(bug):
    with pytest.raises(GramCheckError) as e:
        check_gram(GramNTK("3,64,64,1", bug=bug), "3,64,64,1", X, samples=1500, seed=5)
    assert "FAIL" in str(e.value)
    failures = e.value.report.failures
    if bug == "norm-broadcast":     # the diagonal is right: only the cross terms can tell
        assert failures and all(f.startswith("E_Kxy") for f in failures)


def test_asymmetry_is_caught():
    def lopsided(inputs, m, rng):
        k = GramNTK("3,64,64,1")(inputs, m, rng)
        k[:, 0, 1] *= 1.01
        return k
    r = check_gram(lopsided, "3,64,64,1", X, samples=1000, raise_on_failure=False)
    assert not r.passed and r.failures[0] == "symmetry"


def test_the_default_rule_on_the_truncation():
    # deep and narrow: the 1/n expansion is too coarse for any useful sample count
    with pytest.raises(ValueError, match="make the hidden layers wider"):
        check_gram(GramNTK("3,16x3,1"), "3,16x3,1", X)
    # a sample count above the rule's cap is refused, the default takes the cap
    with pytest.raises(ValueError, match="^samples: 20000 networks"):
        check_gram(GramNTK("3,64,64,1"), "3,64,64,1", X, samples=20000)
    r = check_gram(GramNTK("3,64,64,1"), "3,64,64,1", X, batch=2000)
    assert r.samples == r.max_samples < 10000
    for row in r.rows:
        if row.kind == "E_Kxy":
            assert 0 < row.truncation <= 0.1 * row.stderr_model * (1 + 1e-9)
    # depth 2: E[K(x,x')] has no finite-width correction at all, no truncation
    r = check_gram(GramNTK("3,8,1"), "3,8,1", X, samples=500)
    assert all(row.truncation == 0 for row in r.rows) and r.max_samples >= 10 ** 12


@pytest.mark.parametrize("call,start", [
    (lambda: check_gram(GramNTK("3,8,1"), "3,8,1", X, mu4="9/5"), "mu4"),
    (lambda: check_gram(GramNTK("3,1"), "3,1", X), "widths"),
    (lambda: check_gram(GramNTK("3,8,1"), "4,8,1", X), "inputs"),
    (lambda: check_gram(lambda i, m, r: np.zeros((m, 3, 3)), "3,8,1", X, samples=10),
     "sample_fn returned an array of shape"),
    (lambda: check_gram(GramNTK("3,8,1"), "3,8,1", X, alpha=0), "alpha"),
    (lambda: check_gram(GramNTK("3,8,1"), "3,8,1", X, max_bias=2), "max_bias"),
])
def test_bad_input(call, start):
    with pytest.raises(ValueError) as e:
        call()
    assert str(e.value).startswith(start), str(e.value)

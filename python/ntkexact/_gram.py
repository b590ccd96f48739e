"""The Gram-matrix oracle of ntkexact.testing (private; re-exported there):
check an empirical NTK Gram matrix K(x_i, x_j) of a batch of inputs,
computed for many random networks by the user's code.

    from ntkexact.testing import check_gram
    report = check_gram(sample_fn, "4,64x3,1", inputs)

sample_fn(inputs, m, rng) returns the NTK matrices of m independent
networks at the inputs: an array of shape (m, k, k) (NumPy, torch, nested
lists), k the number of inputs (the rows of `inputs`).

What is checked, with one false-alarm level alpha for the whole check
(Bonferroni over every decided entry, both tails):

- the diagonal, exactly: for each input, the mean of K(x_i, x_i) against
  the exact E[K] and the sample variance against the exact Var[K] (the
  one-input moments at x2 = |x_i|^2), with the exact standard errors
  sqrt(Var/N) (Var = E_K2 - E_K^2, and from M4_K for Var_K), as
  check_kernel_moments does;
- every off-diagonal mean, to first order: E[K(x_i, x_j)] = Theta_ij +
  sum_l c_l/n_l + R_ij (ntkexact.kernel), with the standard error from the
  first-order variance Var[K(x_i, x_j)] = sum_l v_l/n_l (inflated by the
  measured relative truncation of the diagonal's variance) or the sample's,
  whichever is larger; R_ij, the truncation, is bounded by an estimate
  (see _truncation) which widens that entry's threshold, and the check
  refuses a sample count at which the bound is not below `max_bias` (0.1)
  standard errors;
- symmetry: K(x_i, x_j) = K(x_j, x_i) for every network, to 1e-9 relative.

doc/python.md states the rule, the truncation bound and the measured error
rates (bench/calibrate_gram.py).
"""

import math
from fractions import Fraction
from typing import Any, Callable, Dict, List, Optional

import numpy as np

import ntkexact
from ntkexact import _args, _ntkexact

#: The default level of the whole check, the largest default sample count,
#: the smallest one the rule accepts, and the largest truncation bound in
#: units of an entry's standard error.
GRAM_ALPHA = 1e-4
GRAM_SAMPLES = 10000
GRAM_MIN_SAMPLES = 1000
GRAM_MAX_BIAS = 0.1
#: The safety factor of the truncation estimate (see _truncation).
TRUNCATION_SAFETY = 2.0
#: The constant of `ntkexact check --xy`'s truncation bound
#: B = PAIR_KAPPA (sum_l |c_l|/n_l) (sum_l 1/n_l) (doc/derivation.md, 16),
#: from the project's convergence study; check_gram's bound is at least B.
PAIR_KAPPA = 4.0
#: The relative asymmetry |K_ij - K_ji| / max|K| a network may have.
SYMMETRY_TOL = 1e-9

# ntk_check_verdict_t
_PASS, _FAIL, _NO_SPREAD, _BEYOND, _NOT_ESTIMABLE = range(5)


class GramEntry:
    """One checked entry: kind "E_K" (mean of K(x_i, x_i), exact), "Var_K"
    (its variance, exact) or "E_Kxy" (mean of K(x_i, x_j), i < j, to first
    order in 1/n); reference the value compared with, estimate the sample's,
    stderr the standard error that decided (stderr_model: the exact or
    first-order one; stderr_sample: the sample's), truncation the bound on
    the reference's error (0 for the exact rows), z, threshold and ok."""

    __slots__ = ("kind", "i", "j", "reference", "estimate", "stderr", "stderr_model",
                 "stderr_sample", "decided_by", "truncation", "z", "threshold", "ok")

    def __init__(self, kind, i, j, reference, estimate, stderr_sample):
        self.kind, self.i, self.j = kind, i, j
        self.reference, self.estimate, self.stderr_sample = reference, estimate, stderr_sample
        self.stderr, self.stderr_model, self.decided_by = stderr_sample, None, "sample"
        self.truncation, self.z, self.threshold, self.ok = 0.0, None, math.inf, True

    @property
    def name(self) -> str:
        return f"{self.kind}[{self.i},{self.j}]"

    def __repr__(self):
        z = "None" if self.z is None else f"{self.z:+.2f}"
        return (f"GramEntry({self.name}, reference={self.reference:.6g}, "
                f"estimate={self.estimate:.6g}, stderr={self.stderr:.3g}, z={z})")


class GramReport:
    """The result of check_gram: rows (GramEntry, the diagonal's E_K and
    Var_K then the off-diagonal means), passed, failures, the threshold of
    an entry without truncation (tolerance), alpha, samples, the exact Gram
    matrix of the inputs (gram), the first-order reference matrix
    (reference: Theta + sum_l c_l/n_l off the diagonal, the exact E[K] on
    it), rho (the measured relative truncation of the diagonal's variance),
    asymmetry (the largest |K_ij - K_ji| / max|K| seen) and table()."""

    def __init__(self, widths, samples, rows, tolerance, alpha, gram, reference, rho,
                 asymmetry, max_samples):
        self.widths, self.samples, self.rows = widths, samples, rows
        self.tolerance, self.alpha, self.gram, self.reference = tolerance, alpha, gram, reference
        self.rho, self.asymmetry, self.max_samples = rho, asymmetry, max_samples

    @property
    def symmetric(self) -> bool:
        return self.asymmetry <= SYMMETRY_TOL

    @property
    def failures(self) -> List[str]:
        out = [r.name for r in self.rows if not r.ok]
        return (["symmetry"] if not self.symmetric else []) + out

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def z(self) -> Dict[str, Optional[float]]:
        return {r.name: r.z for r in self.rows}

    def table(self) -> str:
        k = len(self.gram)
        lines = [f"ntkexact.testing.check_gram: widths {self.widths}, {k} inputs, "
                 f"{self.samples} networks",
                 f"  {'entry':<13} {'reference':<16} {'estimate':<16} {'stderr':<10} "
                 f"{'SE':<7} {'trunc/SE':<9} z"]
        for r in self.rows:
            z = "no number" if r.z is None else f"{r.z:+.2f}"
            t = r.truncation / r.stderr if r.stderr > 0 else 0.0
            lines.append(f"{'*' if not r.ok else ' '} {r.name:<13} {r.reference:<16.10g} "
                         f"{r.estimate:<16.10g} {r.stderr:<10.3g} {r.decided_by:<7} {t:<9.3f} {z}")
        lines.append(f"{'FAIL' if self.failures else 'PASS'}: {len(self.failures)} of "
                     f"{len(self.rows) + 1} checks failed; |z| > {self.tolerance:.3g} "
                     "(+ the entry's trunc/SE) fails")
        lines.append(f"symmetry: largest |K_ij - K_ji| / max|K| = {self.asymmetry:.3g} "
                     f"({'ok' if self.symmetric else 'FAILS'}: at most {SYMMETRY_TOL:g})")
        lines.append(f"alpha = {self.alpha:g}: Bonferroni over {len(self.rows)} entries (a normal "
                     f"estimate has |z| > {self.tolerance:.3g} with probability "
                     f"alpha/{len(self.rows)})")
        lines.append("E_K, Var_K: exact values and exact standard errors (one-input moments); "
                     "E_Kxy: Theta + sum_l c_l/n_l, first order in 1/n, the truncation bound "
                     f"added to the threshold (relative truncation of the diagonal's variance "
                     f"rho = {self.rho:.3g}; at most {self.max_samples} networks keep every bound "
                     f"below {GRAM_MAX_BIAS:g} standard errors)")
        return "\n".join(lines)

    __str__ = table

    def __repr__(self):
        return f"<GramReport {self.widths}: {'passed' if self.passed else 'FAILED'}>"


class GramCheckError(AssertionError):
    """check_gram failed: str(error) is the table, error.report the report."""

    def __init__(self, report: GramReport):
        super().__init__("\n" + report.table())
        self.report = report


class _Plan:
    """The exact and first-order references of every entry, computed before
    any sampling, and the truncation bounds."""

    def __init__(self, widths, gram, conv_kw, threads):
        self.widths = _args.widths(widths)
        self.gram = gram
        self.k = k = len(gram)
        self.conv_kw = conv_kw
        self.threads = _args.threads(threads)
        profile = [int(w) for w in ntkexact.kernel(self.widths, xy=0, order=0, digits=5,
                                                   **conv_kw)["widths"]]
        if len(profile) < 3:
            raise ValueError("widths: check_gram needs a hidden layer (with depth 1 the NTK is "
                             "not random)")
        self.beta = sum(1.0 / n for n in profile[1:-1])
        self.exact = [ntkexact.moments(self.widths, gram[i][i], threads=threads, **conv_kw)
                      for i in range(k)]
        first = {}
        for i in range(k):
            for j in range(i, k):
                first[i, j] = ntkexact.kernel(self.widths, gram[i][i], gram[j][j], gram[i][j],
                                              digits=20, per_layer=i != j, **conv_kw)
        self.first = first
        # the diagonal: exact variance against first order, and the dead-layer gap
        self.rho, self.dead = 0.0, []
        for i in range(k):
            fo = first[i, i]["first_order"]["Var_Kxy"]["at_widths"]
            v1, vx = float(fo), float(self.exact[i]["Var_K"])
            if v1 > 0:
                self.rho = max(self.rho, abs(vx - v1) / v1)
            elif vx > 0:
                self.rho = math.inf
            self.dead.append(abs(float(self.exact[i]["E_K"])
                                 - float(first[i, i]["infinite_width"]["Theta_xy"])))
        # mu: the largest relative first-order mean correction, over the
        # pairs and each input with an orthogonal one of the same norm
        self.mu = 0.0
        for (i, j), r in first.items():
            if i != j:
                self.mu = max(self.mu, _relative_m1(r))
        for x2 in sorted(set(gram[i][i] for i in range(k))):
            if x2 > 0:
                self.mu = max(self.mu, _relative_m1(ntkexact.kernel(
                    self.widths, x2, x2, 0, digits=20, **conv_kw)))
        self.reference = [[0.0] * k for _ in range(k)]
        self.var1 = {}
        self.trunc = {}
        for (i, j), r in first.items():
            if i == j:
                self.reference[i][i] = float(self.exact[i]["E_K"])
                continue
            m1 = float(r["first_order"]["E_Kxy"]["at_widths"])
            theta = float(r["infinite_width"]["Theta_xy"])
            self.reference[i][j] = self.reference[j][i] = theta + m1
            v1 = max(float(r["first_order"]["Var_Kxy"]["at_widths"]), 0.0)
            self.var1[i, j] = v1 * (1.0 + TRUNCATION_SAFETY * self.rho)
            per_layer = sum(abs(float(c)) / n for c, n in
                            zip(r["per_layer"]["E_Kxy"], profile[1:-1]))
            self.trunc[i, j] = max(_truncation(theta, self.mu, self.rho,
                                               max(self.dead[i], self.dead[j])),
                                   PAIR_KAPPA * per_layer * self.beta)

    def max_samples(self, max_bias):
        """The most networks at which every truncation bound stays below
        max_bias first-order standard errors: T <= max_bias sqrt(V/N)."""
        best = math.inf
        for key, t in self.trunc.items():
            if t > 0:
                best = min(best, (max_bias ** 2) * self.var1[key] / (t * t))
        return best

    def variances(self, i, n):
        conv = _args.conv(3, self.conv_kw.get("cw_hidden"), self.conv_kw.get("cw_output", 1),
                          self.conv_kw.get("param", "ntk"), self.conv_kw.get("bias", True),
                          self.conv_kw.get("activation", "relu"), 15, 105)
        (v,) = _ntkexact._check_variances(self.widths, _args.rational(self.gram[i][i], "inputs"),
                                          conv, 1, 4, [n], self.threads)
        names = list(ntkexact.QUANTITIES)
        return {q: None if v[names.index(q)] is None else _args.fraction_of(v[names.index(q)])
                for q in ("E_K", "Var_K")}


def _truncation(theta, mu, rho, dead):
    """An estimate of a bound on |R|, the error of the first-order mean
    Theta + sum_l c_l/n_l of K(x, x'): TRUNCATION_SAFETY (rho mu |Theta| +
    dead).

    The expansion is in powers of the inverse widths, and a term of order p
    is about the first-order term times (second/first ratio)^(p-1).  The
    ratio is measured exactly on the diagonal, where the one-input moments
    are exact: rho = |Var_K - sum_l v_l/n_l| / sum_l v_l/n_l, the relative
    size of everything beyond first order in Var[K(x_i, x_i)] (the largest
    over the inputs).  The first-order term of the mean is taken at its
    largest relative size mu = max |sum_l c_l/n_l| / Theta over the pairs of
    the batch and each input with an orthogonal one of the same norm (so
    that a pair whose first-order coefficient happens to cross 0 still gets
    a bound).  The dead-layer parts (2^-n_l, one slope 0 and biases), which
    no power of 1/n holds, are measured exactly on the diagonal too (exact
    E[K] - Theta) and added.  This is an estimate, not a proof:
    bench/calibrate_gram.py measures the true residual by Monte Carlo at
    small widths (at most 0.12 of this bound there, doc/python.md).  The
    check uses the larger of this and the bound of `check --xy`
    (PAIR_KAPPA)."""
    return TRUNCATION_SAFETY * (rho * mu * abs(theta) + dead)


def _relative_m1(r):
    theta = float(r["infinite_width"]["Theta_xy"])
    m1 = float(r["first_order"]["E_Kxy"]["at_widths"])
    return abs(m1) / abs(theta) if theta != 0 else 0.0


def _matrices(value, m, k):
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    a = np.asarray(value, dtype=float)
    if a.shape != (m, k, k):
        raise ValueError(f"sample_fn returned an array of shape {a.shape}; expected ({m}, {k}, "
                         f"{k}): the NTK matrices of the {m} networks at the {k} inputs")
    return a


def _var_estimate(x):
    """The unbiased variance and its standard error from the fourth central
    moment (as the library's sampler and check_kernel_moments)."""
    c = x - x.mean()
    m2, m4 = float((c ** 2).mean()), float((c ** 4).mean())
    return float((c ** 2).sum() / (x.size - 1)), math.sqrt(max(m4 - m2 * m2, 0.0) / x.size)


def _pair(f):
    return (f.numerator, f.denominator)


def _decide_exact(row, exact, var, threshold):
    """A diagonal row: z over the larger of the exact and the sample's
    standard errors (the rule of check_kernel_moments)."""
    row.threshold = threshold
    row.stderr_model = math.sqrt(float(var)) if var is not None else None
    by_exact = var is not None and not row.stderr_sample > row.stderr_model
    verdict, z = _ntkexact._check_compare(_pair(exact), row.estimate,
                                          _pair(var) if by_exact else None, row.stderr_sample,
                                          threshold)
    row.decided_by = "exact" if by_exact else "sample"
    row.stderr = row.stderr_model if by_exact else row.stderr_sample
    row.z = None if math.isnan(z) else z
    row.ok = verdict == _PASS


def _decide_first_order(row, var1, n, threshold):
    """An off-diagonal row: z over the larger of the first-order and the
    sample's standard errors; the threshold widened by the truncation bound
    in those units."""
    row.stderr_model = math.sqrt(var1 / n)
    row.decided_by = "model" if row.stderr_model >= row.stderr_sample else "sample"
    row.stderr = max(row.stderr_model, row.stderr_sample)
    diff = row.estimate - row.reference
    if row.stderr > 0:
        row.z = diff / row.stderr
        row.threshold = threshold + row.truncation / row.stderr
        row.ok = abs(row.z) <= row.threshold
    else:
        row.ok = abs(diff) <= max(row.truncation, 1e-12 * abs(row.reference))
        row.z = 0.0 if row.ok else None
        row.threshold = threshold


def check_gram(sample_fn: Callable[[Any, int, Any], Any], widths: ntkexact.Widths, inputs: Any,
               samples: Optional[int] = None, *, batch: int = 1000,
               cw_hidden: Optional[ntkexact.Rational] = None, cw_output: ntkexact.Rational = 1,
               param: str = "ntk", bias: bool = True, activation: str = "relu",
               mu4: ntkexact.Rational = 3, alpha: Optional[float] = None,
               max_bias: float = GRAM_MAX_BIAS, seed: int = 0, rng: Any = None,
               raise_on_failure: bool = True, threads: Optional[int] = None) -> GramReport:
    """Check an empirical NTK Gram matrix against the exact and first-order
    moments.

    sample_fn(inputs, m, rng): the NTK matrices K(x_i, x_j) of m independent
        networks of the profile at the inputs, shape (m, k, k); called with
        m = batch until `samples` networks are drawn.  `inputs` is passed as
        given, `rng` too (default numpy.random.default_rng(seed); give a
        torch.Generator with rng=).
    widths: the profile n_0, ..., n_d (n_d = 1), n_0 the inputs' dimension.
    inputs: the k inputs, the rows of a k x n_0 matrix (NumPy array, torch
        tensor, nested lists of rationals); their Gram matrix is computed
        exactly (a float is the binary number it holds).
    samples: the number of networks; default GRAM_SAMPLES (10000), or fewer
        where the truncation of the 1/n expansion needs it: the largest N at
        which every off-diagonal truncation bound is below max_bias (0.1)
        standard errors.  A ValueError when that N is below
        GRAM_MIN_SAMPLES (1000) (widen the hidden layers), or when a given
        `samples` exceeds it.
    cw_hidden, cw_output, param, bias, activation: the conventions, as for
        ntkexact.moments; mu4 must be 3 (Gaussian weights).
    alpha: the false-alarm level of the whole check (default 1e-4),
        Bonferroni over the 2k + k(k-1)/2 entries, both tails.

    Raises GramCheckError (an AssertionError whose text is the table) when
    an entry or the symmetry fails, unless raise_on_failure is False;
    returns the GramReport.
    """
    conv_kw = dict(cw_hidden=cw_hidden, cw_output=cw_output, param=param, bias=bias,
                   activation=activation, mu4=mu4)
    alpha_ = GRAM_ALPHA if alpha is None else alpha
    if isinstance(alpha_, bool) or not isinstance(alpha_, (int, float)):
        raise TypeError(f"alpha: expected a number, not {type(alpha_).__name__}")
    if not 1e-100 <= alpha_ < 1:
        raise ValueError(f"alpha: {alpha_!r} is not a level in [1e-100, 1)")
    if isinstance(max_bias, bool) or not isinstance(max_bias, (int, float)):
        raise TypeError(f"max_bias: expected a number, not {type(max_bias).__name__}")
    if not 0 < max_bias <= 1:
        raise ValueError(f"max_bias: {max_bias!r} is not in (0, 1]")
    gram = ntkexact.exact_gram(inputs)
    k = len(gram)
    if k < 1:
        raise ValueError("inputs: no input")
    plan = _Plan(widths, gram, conv_kw, threads)
    if len(plan.first[0, 0]["widths"]) and plan.first[0, 0]["widths"][0] != len(
            _matrix_width(inputs)):
        raise ValueError(f"inputs: {len(_matrix_width(inputs))} coordinates, but n_0 = "
                         f"{plan.first[0, 0]['widths'][0]}")
    cap = plan.max_samples(max_bias)
    if samples is None:
        if cap < GRAM_MIN_SAMPLES:
            raise ValueError(_too_narrow(plan, cap, max_bias))
        n = int(min(GRAM_SAMPLES, cap))
    else:
        n = _args.in_range(samples, "samples", 2, 10 ** 12)
        if n > cap:
            raise ValueError(f"samples: {n} networks would make the truncation of the 1/n "
                             f"expansion more than {max_bias:g} standard errors; "
                             + _too_narrow(plan, cap, max_bias))
    size = _args.in_range(batch, "batch", 1, 10 ** 9)
    if rng is None:
        rng = np.random.default_rng(_args.in_range(seed, "seed", 0, 2 ** 64 - 1))
    parts, done = [], 0
    while done < n:
        m = min(size, n - done)
        parts.append(_matrices(sample_fn(inputs, m, rng), m, k))
        done += m
    data = np.concatenate(parts)
    if not np.all(np.isfinite(data)):
        raise ValueError("sample_fn returned a value that is not finite")
    return _report(plan, data, alpha_, max_bias, raise_on_failure)


def _matrix_width(inputs):
    rows = inputs.detach().cpu().numpy() if hasattr(inputs, "detach") else inputs
    rows = rows.tolist() if hasattr(rows, "tolist") else rows
    return list(rows[0])


def _too_narrow(plan, cap, max_bias):
    worst = max(plan.trunc.values(), default=0.0)
    return (f"at widths {plan.widths} the estimated truncation of the 1/n expansion (up to "
            f"{worst:.3g}; the diagonal's relative truncation rho = {plan.rho:.3g}, the relative "
            f"first-order mean correction mu = {plan.mu:.3g}) allows at "
            f"most {int(cap)} networks (max_bias = {max_bias:g}); make the hidden layers wider "
            f"(a factor w divides the bound by about w^2 and the allowed N grows like w^3)")


def _report(plan, data, alpha, max_bias, raise_on_failure):
    n, k = data.shape[0], plan.k
    count = 2 * k + k * (k - 1) // 2
    threshold = _ntkexact._check_threshold(alpha, count)
    scale = float(np.max(np.abs(data))) or 1.0
    asym = float(np.max(np.abs(data - np.transpose(data, (0, 2, 1))))) / scale
    rows = []
    for i in range(k):
        x = data[:, i, i]
        var = plan.variances(i, n)
        exact = plan.exact[i]
        row = GramEntry("E_K", i, i, float(exact["E_K"]), float(x.mean()),
                        float(x.std(ddof=1) / math.sqrt(n)))
        _decide_exact(row, exact["E_K"], var["E_K"], threshold)
        rows.append(row)
        v, se = _var_estimate(x)
        row = GramEntry("Var_K", i, i, float(exact["Var_K"]), v, se)
        _decide_exact(row, exact["Var_K"], var["Var_K"], threshold)
        rows.append(row)
    for i in range(k):
        for j in range(i + 1, k):
            x = 0.5 * (data[:, i, j] + data[:, j, i])
            row = GramEntry("E_Kxy", i, j, plan.reference[i][j], float(x.mean()),
                            float(x.std(ddof=1) / math.sqrt(n)))
            row.truncation = plan.trunc[i, j]
            _decide_first_order(row, plan.var1[i, j], n, threshold)
            rows.append(row)
    report = GramReport(plan.widths, n, rows, threshold, alpha, plan.gram, plan.reference,
                        plan.rho, asym, int(min(plan.max_samples(max_bias), 10 ** 12)))
    if raise_on_failure and not report.passed:
        raise GramCheckError(report)
    return report

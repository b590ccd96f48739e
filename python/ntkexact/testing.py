"""Checking an implementation of the NTK against the exact moments.

Write a function that initializes one network afresh and returns its NTK
diagonal K(x, x), and check it in one call:

    from ntkexact.testing import check_kernel_moments
    report = check_kernel_moments(my_sample_fn, "3,4x3,1")

my_sample_fn(rng) returns K, or a dict (or a tuple in this order) with some
of "K", "K_w", "K_b", "N" (the output N(x)), "g" (the first-update term,
sum over parameter pairs of dN/dt H dN/dt', so that dK = -2 lambda N g),
"g_ww" and "g_wb" (its weight-weight and weight-bias parts, g = g_ww +
2 g_wb).  The check estimates every moment of ESTIMABLE that these values
allow, compares it with the exact value of ntkexact.moments(), and raises
KernelCheckError (an AssertionError) with a readable table when a
quantity fails; otherwise it returns the report.

The rule is that of `ntkexact check` (doc/derivation.md, section 15): z
divides by the larger of the exact standard error (sqrt(Var/N), Var an
exact moment: E_K2 - E_K^2, E_K4 - E_K2^2, ..., 4 E_N2g2 - E_dK^2 for
E_dK) and the sample's, and a
quantity fails when |z| exceeds the Bonferroni threshold of alpha (default
1e-4) over the quantities checked; guarantee=True decides by the median of
block means instead, with a false-alarm rate at most alpha for any law with
the exact variances.  The batched variant, check_kernel_moments_batched,
calls sample_fn(rng, batch) for arrays of `batch` independent networks.
This module needs NumPy.
"""

import math
from fractions import Fraction
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np

import ntkexact
from ntkexact import _args, _ntkexact

#: What sample_fn may return, in the order of a tuple.
FIELDS = ("K", "K_w", "K_b", "N", "g", "g_ww", "g_wb")
#: The quantities the check can estimate (given the fields they need):
#: every quantity of ntkexact.QUANTITIES.
ESTIMABLE = tuple(ntkexact.QUANTITIES)
#: The fields each quantity needs (K_w and K_b: one of them and K will do).
NEEDS = {"E_K": ("K",), "E_K2": ("K",), "Var_K": ("K",), "E_Kw": ("K_w", "K_b"),
         "E_Kb": ("K_w", "K_b"), "E_Kw2": ("K_w", "K_b"), "E_Kb2": ("K_w", "K_b"),
         "E_KwKb": ("K_w", "K_b"), "E_dK": ("N", "g"), "E_Dww": ("N", "g_ww"),
         "E_Dwb": ("N", "g_wb"), "E_N2": ("N",), "E_N4": ("N",)}
#: The default level of the whole check and the default sample count.
ALPHA = 1e-4
SAMPLES = 10000

__all__ = ["check_kernel_moments", "check_kernel_moments_batched", "KernelReport",
           "QuantityCheck", "KernelCheckError", "FIELDS", "ESTIMABLE", "NEEDS", "ALPHA",
           "SAMPLES"]

# ntk_check_verdict_t
_PASS, _FAIL, _NO_SPREAD, _BEYOND, _NOT_ESTIMABLE = range(5)


class QuantityCheck:
    """One quantity: the exact value, the estimate (the mean, or with
    guarantee=True the median of the block estimates), the sample's and the
    exact standard errors, z = (estimate - exact) / stderr (None where it is
    no number: the note says why) and whether it passed.  decided is False
    for a quantity shown but not decided (no exact variance, guarantee=True)."""

    __slots__ = ("name", "exact", "estimate", "mean", "stderr", "stderr_sample", "stderr_exact",
                 "decided_by", "z", "threshold", "ok", "decided", "note")

    def __init__(self, name: str, exact: Fraction, mean: float, stderr_sample: float):
        self.name, self.exact, self.mean, self.estimate = name, exact, mean, mean
        self.stderr_sample, self.stderr, self.stderr_exact = stderr_sample, stderr_sample, None
        self.decided_by, self.z, self.threshold = "sample", None, math.inf
        self.ok, self.decided, self.note = True, True, None

    def __repr__(self):
        z = "None" if self.z is None else f"{self.z:+.2f}"
        return (f"QuantityCheck({self.name!r}, exact={self.exact}, estimate={self.estimate:.6g}, "
                f"stderr={self.stderr:.3g} ({self.decided_by}), z={z})")


class KernelReport:
    """The result of a check: `rows` maps each checked quantity to its
    QuantityCheck; `passed` says whether every decided quantity passed.
    rule is "bonferroni", "tolerance" or "guarantee"; tolerance the |z|
    threshold (of a mean, with guarantee); alpha the level of the whole
    check; `median` the plan of guarantee=True (blocks, min_block, t, bound,
    threshold, catches) or None."""

    def __init__(self, widths: str, x2: Any, samples: int, tolerance: float,
                 rows: Dict[str, QuantityCheck], rule: str = "tolerance",
                 alpha: Optional[float] = None, median: Optional[Dict[str, Any]] = None):
        self.widths, self.x2, self.samples, self.tolerance = widths, x2, samples, tolerance
        self.rows, self.rule, self.alpha, self.median = rows, rule, alpha, median

    @property
    def z(self) -> Dict[str, Optional[float]]:
        """The z-score of every checked quantity (None where it is no number)."""
        return {name: row.z for name, row in self.rows.items()}

    @property
    def failures(self) -> List[str]:
        """The decided quantities that failed."""
        return [name for name, row in self.rows.items() if row.decided and not row.ok]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def exact_stderr(self) -> List[str]:
        """The quantities whose exact standard error is known."""
        return [name for name, row in self.rows.items() if row.stderr_exact is not None]

    def table(self) -> str:
        """Exact value, estimate, both standard errors and z of every
        quantity; a '*' marks a failure; then the rule and its level."""
        guarantee = self.rule == "guarantee"
        estimate = "median of means" if guarantee else "estimate"
        lines = [f"ntkexact.testing: widths {self.widths}, x2 = {self.x2}, {self.samples} samples",
                 f"  {'quantity':<8} {'exact':<20} {estimate:<20} {'+- stderr':<11} "
                 f"{'exact SE':<11} {'SE':<7} z"]
        for row in self.rows.values():
            se = "-" if row.stderr_exact is None else f"{row.stderr_exact:.3g}"
            z = row.note if row.note is not None else f"{row.z:+.2f}"
            tail = "" if row.decided else " (not decided: no exact variance)"
            lines.append(f"{'*' if row.decided and not row.ok else ' '} {row.name:<8} "
                         f"{_float(row.exact):<20.12g} {row.estimate:<20.12g} "
                         f"{row.stderr_sample:<11.3g} {se:<11} {row.decided_by:<7} {z}{tail}")
        decided = [r for r in self.rows.values() if r.decided]
        lines.append(f"{'FAIL' if self.failures else 'PASS'}: {len(self.failures)} of "
                     f"{len(decided)} quantities with |z| > {self.tolerance:.3g}")
        lines.append(self._rule_line(len(decided)))
        if self.exact_stderr:
            lines.append(f"{', '.join(self.exact_stderr)}: exact standard errors, from the exact "
                         "moments" + ("" if guarantee else "; z takes the larger of the exact "
                                      "and the sample's"))
        others = [r.name for r in self.rows.values() if r.stderr_exact is None]
        if others:
            lines.append(f"{', '.join(others)}: " + ("not decided (no exact variance)" if guarantee
                         else "the sample's standard errors (no exact variance: outside the "
                              "false-alarm guarantee)"))
        return "\n".join(lines)

    def _rule_line(self, q):
        if self.rule == "guarantee":
            m = self.median
            return (f"alpha = {self.alpha:g} for ANY law with the exact variances: each quantity "
                    f"is the median of {m['blocks']} block estimates (blocks of >= {m['min_block']} "
                    f"samples), which fails with probability <= {m['bound']:.3g} = alpha/{q}; a "
                    f"mean off by {m['catches']:.3g} sigma/sqrt(N) or more fails with "
                    f"probability >= 1 - alpha")
        if self.rule == "bonferroni":
            return (f"alpha = {self.alpha:g}: Bonferroni over {q} quantities (a normal estimate "
                    f"has |z| > {self.tolerance:.3g} with probability alpha/{q})")
        return (f"alpha = {self.alpha:.3g}: the level of tolerance {self.tolerance:g} over {q} "
                f"quantities, for normal estimates")

    def advice(self) -> str:
        """What to try when the check failed: for a lone failure of a
        heavy-tailed quantity, or of one without an exact variance, the
        signs that it may be chance; else nothing."""
        if len(self.failures) != 1:
            return ""
        row = self.rows[self.failures[0]]
        if row.stderr_exact is None:
            return (f"Only {row.name} failed, and it has no exact variance: its standard error "
                    "is the sample's, which a heavy-tailed value makes too small when the sample "
                    "misses the tail. Before chasing a bug, run again with 10 times the samples "
                    "or another seed, or a profile of smaller beta = sum of 1/n_i.")
        ratio = row.stderr_sample / row.stderr_exact if row.stderr_exact > 0 else math.inf
        mean = _float(row.exact)
        spread = (row.stderr_exact * math.sqrt(self.samples) / abs(mean)) if mean else math.inf
        if ratio < 0.5 or spread > 3:
            return (f"Only {row.name} failed, and its per-network value is heavy-tailed (standard "
                    f"deviation {spread:.3g} times its mean; the sample's standard error is "
                    f"{ratio:.2g} times the exact one). Before chasing a bug, run again with 10 "
                    "times the samples or another seed, or with guarantee=True, whose false-alarm "
                    "rate alpha holds for any law with the exact variances.")
        return ""

    __str__ = table

    def __repr__(self):
        return f"<KernelReport {self.widths}: {'passed' if self.passed else 'FAILED'} {self.z}>"


class KernelCheckError(AssertionError):
    """A check failed: str(error) is the table (and what to try), error.report
    the report."""

    def __init__(self, report: KernelReport):
        advice = report.advice()
        super().__init__("\n" + report.table() + ("\n" + advice if advice else ""))
        self.report = report


def check_kernel_moments(sample_fn: Callable[[Any], Any], widths: ntkexact.Widths,
                         samples: int = SAMPLES, *, x2: ntkexact.Rational = 1,
                         mu4: ntkexact.Rational = 3, cw_hidden: Optional[ntkexact.Rational] = None,
                         cw_output: ntkexact.Rational = 1, param: str = "ntk", bias: bool = True,
                         activation: str = "relu", mu6: Optional[ntkexact.Rational] = None,
                         mu8: Optional[ntkexact.Rational] = None, alpha: Optional[float] = None,
                         guarantee: bool = False, tolerance: Optional[float] = None,
                         seed: int = 0, rng: Any = None,
                         quantities: Optional[Sequence[str]] = None,
                         raise_on_failure: bool = True,
                         threads: Optional[int] = None) -> KernelReport:
    """Checks sample_fn, which initializes one network of the given widths
    and conventions afresh and returns its K (or a dict or tuple of the
    FIELDS, see the module's documentation), `samples` times.

    The conventions are those of ntkexact.moments(): x2, mu4, cw_hidden
    (None: the activation's critical 1/A_2, 2 for ReLU), cw_output, param,
    bias, activation ("relu", "leaky:1/2", ...).  The exact variances of
    E_K2, E_Kw2, E_Kb2, E_KwKb, Var_K, E_N4 and of E_dK, E_Dww, E_Dwb (from
    the update's second moment) need the weight law's mu6 and mu8: by
    default those of the Gaussian law for mu4 = 3 and of the uniform law
    for mu4 = 9/5; for another law give them, else those rows use the
    sample's standard error.

    alpha: the false-alarm level of the whole check (default ALPHA = 1e-4;
    Bonferroni over the quantities checked).  guarantee=True: decide by the median of block
    means, with false-alarm rate at most alpha for any law with the exact
    variances (the quantities without one are shown, not decided).
    tolerance: a fixed |z| threshold instead of alpha's (not with alpha).

    rng is passed to every call of sample_fn: by default
    numpy.random.default_rng(seed); give your own (a torch.Generator, ...)
    to draw the weights with it.  quantities restricts the check to some of
    ESTIMABLE.  Raises KernelCheckError when a decided quantity fails
    (unless raise_on_failure is False) and returns the KernelReport.
    """
    n = _check_samples(samples)
    target = _Target(n, widths, x2, mu4, cw_hidden, cw_output, param, bias, activation, mu6, mu8,
                     alpha, guarantee, tolerance, threads)
    if rng is None:
        rng = np.random.default_rng(seed)
    columns: Dict[str, List[float]] = {}
    for i in range(n):
        fields = _fields(sample_fn(rng), i)
        if i == 0:
            columns = {k: [] for k in fields}
        elif set(fields) != set(columns):
            raise ValueError(f"sample_fn returned {sorted(fields)} at sample {i}, "
                             f"{sorted(columns)} before")
        for k, v in fields.items():
            columns[k].append(_scalar(v, k))
    data = {k: np.asarray(v, dtype=float) for k, v in columns.items()}
    return target.report(data, quantities, raise_on_failure)


def check_kernel_moments_batched(sample_fn: Callable[[Any, int], Any], widths: ntkexact.Widths,
                                 samples: int = SAMPLES, *, batch: int = 1000,
                                 x2: ntkexact.Rational = 1, mu4: ntkexact.Rational = 3,
                                 cw_hidden: Optional[ntkexact.Rational] = None,
                                 cw_output: ntkexact.Rational = 1, param: str = "ntk",
                                 bias: bool = True, activation: str = "relu",
                                 mu6: Optional[ntkexact.Rational] = None,
                                 mu8: Optional[ntkexact.Rational] = None,
                                 alpha: Optional[float] = None,
                                 guarantee: bool = False, tolerance: Optional[float] = None,
                                 seed: int = 0, rng: Any = None,
                                 quantities: Optional[Sequence[str]] = None,
                                 raise_on_failure: bool = True,
                                 threads: Optional[int] = None) -> KernelReport:
    """The same check for a vectorized sampler: sample_fn(rng, m) returns, for
    m independent networks, an array of m values of K, or a dict or tuple of
    such arrays (NumPy arrays, torch tensors, lists).  It is called with
    m = batch until `samples` networks are drawn (the last call with fewer)."""
    n = _check_samples(samples)
    size = _args.in_range(batch, "batch", 1, 10 ** 9)
    target = _Target(n, widths, x2, mu4, cw_hidden, cw_output, param, bias, activation, mu6, mu8,
                     alpha, guarantee, tolerance, threads)
    if rng is None:
        rng = np.random.default_rng(seed)
    parts: Dict[str, List[np.ndarray]] = {}
    done = 0
    while done < n:
        m = min(size, n - done)
        fields = _fields(sample_fn(rng, m), done)
        if done == 0:
            parts = {k: [] for k in fields}
        elif set(fields) != set(parts):
            raise ValueError(f"sample_fn returned {sorted(fields)} at sample {done}, "
                             f"{sorted(parts)} before")
        for k, v in fields.items():
            parts[k].append(_array(v, k, m))
        done += m
    data = {k: np.concatenate(v) for k, v in parts.items()}
    return target.report(data, quantities, raise_on_failure)


# ------------------------------------------------------------ helpers

def _check_samples(samples):
    return _args.in_range(samples, "samples", 2, 10 ** 12)


def _fields(value, index):
    """The FIELDS of one return value of sample_fn, K included."""
    if isinstance(value, dict):
        unknown = set(value) - set(FIELDS)
        if unknown:
            raise ValueError(f"sample_fn returned unknown keys {sorted(unknown)}; "
                             f"the keys are {', '.join(FIELDS)}")
        fields = dict(value)
    elif isinstance(value, (tuple, list)):
        if not 1 <= len(value) <= len(FIELDS):
            raise ValueError(f"sample_fn returned {len(value)} values; a tuple is "
                             f"({', '.join(FIELDS)}) or a prefix of it")
        fields = dict(zip(FIELDS, value))
    else:
        fields = {"K": value}
    fields = {k: v for k, v in fields.items() if v is not None}
    if "K" not in fields:
        if "K_w" not in fields or "K_b" not in fields:
            raise ValueError(f"sample_fn returned no K (sample {index}): give K, or K_w and K_b")
        fields["K"] = _Sum(fields["K_w"], fields["K_b"])
    return fields


class _Sum:
    """K = K_w + K_b when sample_fn gives only the parts."""

    def __init__(self, a, b):
        self.a, self.b = a, b


def _scalar(v, name):
    if isinstance(v, _Sum):
        return _scalar(v.a, "K_w") + _scalar(v.b, "K_b")
    if hasattr(v, "detach"):     # a torch tensor
        v = v.detach()
    try:
        return float(v)
    except (TypeError, ValueError):
        raise TypeError(f"sample_fn: {name} is not a number ({type(v).__name__})") from None


def _array(v, name, m):
    if isinstance(v, _Sum):
        return _array(v.a, "K_w", m) + _array(v.b, "K_b", m)
    if hasattr(v, "detach"):
        v = v.detach().cpu().numpy()
    a = np.asarray(v, dtype=float).reshape(-1)
    if a.size != m:
        raise ValueError(f"sample_fn: {name} has {a.size} values for a batch of {m}")
    return a


def _float(x):
    try:
        return float(x)
    except OverflowError:
        return math.copysign(math.inf, x)


def _sqrt(x):
    """sqrt of a Fraction >= 0, inf beyond double precision."""
    return math.sqrt(_float(x))


def _complete(data):
    """The fields with the derived ones: K_w, K_b from K and the other part,
    g from its parts, a part of g from g and the other part."""
    d = dict(data)
    if "K_w" in d and "K_b" not in d:
        d["K_b"] = d["K"] - d["K_w"]
    if "K_b" in d and "K_w" not in d:
        d["K_w"] = d["K"] - d["K_b"]
    if "g" not in d and "g_ww" in d and "g_wb" in d:
        d["g"] = d["g_ww"] + 2.0 * d["g_wb"]
    if "g" in d and "g_ww" in d and "g_wb" not in d:
        d["g_wb"] = (d["g"] - d["g_ww"]) / 2.0
    if "g" in d and "g_wb" in d and "g_ww" not in d:
        d["g_ww"] = d["g"] - 2.0 * d["g_wb"]
    return d


def _values(d, q):
    """The per-network value whose mean estimates q (for Var_K: K)."""
    k = d["K"]
    table = {"E_K": lambda: k, "E_K2": lambda: k * k, "Var_K": lambda: k,
             "E_Kw": lambda: d["K_w"], "E_Kb": lambda: d["K_b"],
             "E_Kw2": lambda: d["K_w"] ** 2, "E_Kb2": lambda: d["K_b"] ** 2,
             "E_KwKb": lambda: d["K_w"] * d["K_b"], "E_dK": lambda: -2.0 * d["N"] * d["g"],
             "E_Dww": lambda: d["N"] * d["g_ww"], "E_Dwb": lambda: d["N"] * d["g_wb"],
             "E_N2": lambda: d["N"] ** 2, "E_N4": lambda: d["N"] ** 4}
    return table[q]()


def _estimate(x, q):
    """The estimate of q from the values x and the sample's standard error:
    the mean, or for Var_K the unbiased variance with its standard error
    from the fourth central moment (as the library's sampler)."""
    if q != "Var_K":
        return float(x.mean()), float(x.std(ddof=1) / math.sqrt(x.size))
    c = x - x.mean()
    m2, m4 = float((c ** 2).mean()), float((c ** 4).mean())
    return float((c ** 2).sum() / (x.size - 1)), math.sqrt(max(m4 - m2 * m2, 0.0) / x.size)


def _block_estimate(x, q):
    return float(x.var(ddof=1)) if q == "Var_K" else float(x.mean())


def _pair(f):
    return None if f is None else (f.numerator, f.denominator)


def _note(verdict, by_exact):
    if verdict == _NO_SPREAD:
        return ("the exact variance is 0; the estimate differs" if by_exact
                else "the sample has no spread; the exact value differs")
    if verdict == _BEYOND:
        return "differs by more than 1e308 standard errors"
    if verdict == _NOT_ESTIMABLE:
        return "not estimable"
    return None


class _Target:
    """The exact moments and variances to check against, computed before
    any sampling so that bad input fails at once."""

    def __init__(self, samples, widths, x2, mu4, cw_hidden, cw_output, param, bias, activation,
                 mu6, mu8, alpha, guarantee, tolerance, threads):
        if tolerance is not None:
            if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
                raise TypeError(f"tolerance: expected a number, not {type(tolerance).__name__}")
            if not (tolerance > 0 and math.isfinite(tolerance)):
                raise ValueError(f"tolerance: {tolerance!r} is not a positive number")
        if alpha is not None and tolerance is not None:
            raise ValueError("alpha: tolerance sets the threshold itself, alpha from a level: "
                             "give one")
        alpha = ALPHA if alpha is None else alpha
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
            raise TypeError(f"alpha: expected a number, not {type(alpha).__name__}")
        if not 1e-100 <= alpha < 1:
            raise ValueError(f"alpha: {alpha!r} is not a level in [1e-100, 1)")
        if not isinstance(guarantee, bool):
            raise TypeError(f"guarantee: expected a bool, not {type(guarantee).__name__}")
        if guarantee and tolerance is not None:
            raise ValueError("tolerance: a threshold for normal z-scores; guarantee=True takes "
                             "its level from alpha")
        self.widths = _args.widths(widths)
        self.x2 = _args.exact(x2, "x2")
        self.alpha, self.guarantee, self.tolerance = float(alpha), guarantee, tolerance
        self.threads = _args.threads(threads)
        self.exact = ntkexact.moments(self.widths, self.x2, mu4, cw_hidden, cw_output, param, bias,
                                      activation, threads=threads)
        m4 = _args.exact(mu4, "mu4")
        if (mu6 is None) != (mu8 is None):
            raise ValueError("mu6, mu8: give both (the exact variances need the law's moments "
                             "up to the eighth) or neither")
        if mu6 is None and m4 in _args.LAW_HIGHER:
            mu6, mu8 = _args.LAW_HIGHER[m4]
        self.order = 2 if mu6 is None else 4
        self.conv = _args.conv(mu4, cw_hidden, cw_output, param, bias, activation, mu6, mu8)
        self.gaussian = int(m4 == 3)
        self.samples = samples
        self.variances = self._variances(samples)     # and checks the law's moments

    def _variances(self, size):
        (v,) = _ntkexact._check_variances(self.widths, _args.rational(self.x2, "x2"), self.conv,
                                          self.gaussian, self.order, [size], self.threads)
        return {q: (None if p is None else _args.fraction_of(p))
                for q, p in zip(ntkexact.QUANTITIES, v)}

    def _names(self, data, d, quantities):
        able = [q for q in ESTIMABLE if set(NEEDS[q]) <= set(d)]
        if quantities is None:
            return able
        if isinstance(quantities, str):
            raise TypeError("quantities: expected a sequence of names, not a str")
        for q in quantities:
            if q not in ESTIMABLE:
                raise ValueError(f"quantities: {q} is not one of {', '.join(ESTIMABLE)}")
            if q not in able:
                raise ValueError(f"quantities: {q} cannot be estimated from "
                                 f"{', '.join(sorted(data))} (it needs {', '.join(NEEDS[q])})")
        return [q for q in able if q in quantities]

    def report(self, data, quantities, raise_on_failure):
        d = _complete(data)
        names = self._names(data, d, quantities)
        n = len(d["K"])
        var_n = self.variances if n == self.samples else self._variances(n)
        decided = [q for q in names if not self.guarantee or var_n[q] is not None]
        q_count = max(len(decided), 1)
        median = None
        if self.guarantee:
            k, m, t, bound, thr, catches = _ntkexact._check_median_plan(self.alpha / q_count, n, 1)
            median = dict(blocks=k, min_block=m, t=t, bound=bound, threshold=thr, catches=catches)
            threshold, alpha = thr, self.alpha
            var_m = self._variances(m)
        elif self.tolerance is not None:
            threshold = float(self.tolerance)
            alpha = min(1.0, q_count * math.erfc(threshold / math.sqrt(2.0)))
        else:
            threshold, alpha = _ntkexact._check_threshold(self.alpha, q_count), self.alpha
        rows = {}
        for q in names:
            x = _values(d, q)
            row = QuantityCheck(q, self.exact[q], *_estimate(x, q))
            if var_n[q] is not None:
                row.stderr_exact = _sqrt(var_n[q])
            row.decided = q in decided
            if self.guarantee and row.decided:
                self._decide_median(row, x, median, var_n[q], var_m[q])
            else:
                self._decide_mean(row, var_n[q], threshold if row.decided else math.inf)
            rows[q] = row
        rule = "guarantee" if self.guarantee else "tolerance" if self.tolerance else "bonferroni"
        report = KernelReport(self.widths, self.x2, n, threshold, rows, rule, alpha, median)
        if raise_on_failure and not report.passed:
            raise KernelCheckError(report)
        return report

    @staticmethod
    def _verdict(row, verdict, z, by_exact):
        row.z = None if math.isnan(z) else z
        row.ok = verdict == _PASS
        row.note = _note(verdict, by_exact)

    def _decide_mean(self, row, var, threshold):
        """z over the larger of the exact and the sample's standard errors."""
        row.threshold = threshold
        exact = _pair(row.exact)
        by_exact = var is not None and not row.stderr_sample > row.stderr_exact
        verdict, z = _ntkexact._check_compare(exact, row.mean, _pair(var) if by_exact else None,
                                              row.stderr_sample, threshold)
        row.decided_by = "exact" if by_exact else "sample"
        row.stderr = row.stderr_exact if by_exact else row.stderr_sample
        self._verdict(row, verdict, z, by_exact)

    def _decide_median(self, row, x, plan, var_n, var_m):
        """The median of the block estimates, in block standard deviations
        (blocks [b n / k, (b+1) n / k), as check's chunks), then z and the
        threshold in units of the exact standard error of the whole sample."""
        k, n = plan["blocks"], x.size
        cuts = [b * n // k for b in range(k + 1)]
        blocks = sorted(_block_estimate(x[cuts[b]:cuts[b + 1]], row.name) for b in range(k))
        row.estimate = blocks[k // 2]
        verdict, zb = _ntkexact._check_compare(_pair(row.exact), row.estimate, _pair(var_m), 0.0,
                                               plan["t"])
        scale = _sqrt(var_m / var_n) if var_n else 1.0
        row.decided_by, row.stderr = "exact", row.stderr_exact
        row.threshold = plan["t"] * scale
        self._verdict(row, verdict, zb * scale, True)

# The Gram-matrix oracle (several inputs) lives in its own module.
from ._gram import (check_gram, GramReport, GramEntry, GramCheckError,  # noqa: E402,F401
                    GRAM_ALPHA, GRAM_SAMPLES, GRAM_MIN_SAMPLES, GRAM_MAX_BIAS)
__all__ += ["check_gram", "GramReport", "GramEntry", "GramCheckError", "GRAM_ALPHA",
            "GRAM_SAMPLES", "GRAM_MIN_SAMPLES", "GRAM_MAX_BIAS"]

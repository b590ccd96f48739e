"""Checking an implementation of the NTK against the exact moments.

Write a function that initializes one network afresh and returns its NTK
diagonal K(x, x), and check it in one call:

    from ntkexact.testing import check_kernel_moments
    report = check_kernel_moments(my_sample_fn, "3,4x3,1", samples=4000)

my_sample_fn(rng) returns K, or a dict (or a tuple in this order) with some
of "K", "K_w", "K_b", "N" (the output N(x)) and "g" (the first-update term,
sum over parameter pairs of dN/dt H dN/dt', so that dK = -2 lambda N g).
The check estimates every moment that these values allow, with its standard
error, compares it with the exact value of ntkexact.moments(), and raises
KernelCheckError (an AssertionError) with a readable table when some |z|
exceeds the tolerance; otherwise it returns the report.  The batched
variant, check_kernel_moments_batched, calls sample_fn(rng, batch) for
arrays of `batch` independent networks.  This module needs NumPy.
"""

import math
from fractions import Fraction
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np

import ntkexact
from ntkexact import _args

#: What sample_fn may return, in the order of a tuple.
FIELDS = ("K", "K_w", "K_b", "N", "g")

__all__ = ["check_kernel_moments", "check_kernel_moments_batched", "KernelReport",
           "QuantityCheck", "KernelCheckError", "FIELDS"]


class QuantityCheck:
    """One quantity: the exact value, the estimate, its standard error and
    z = (estimate - exact) / stderr."""

    __slots__ = ("name", "exact", "estimate", "stderr", "z", "ok")

    def __init__(self, name: str, exact: Fraction, estimate: float, stderr: float,
                 tolerance: float):
        self.name, self.exact, self.estimate, self.stderr = name, exact, estimate, stderr
        self.z = _zscore(exact, estimate, stderr)
        self.ok = abs(self.z) <= tolerance

    def __repr__(self):
        return (f"QuantityCheck({self.name!r}, exact={self.exact}, estimate={self.estimate:.6g}, "
                f"stderr={self.stderr:.3g}, z={self.z:+.2f})")


class KernelReport:
    """The result of a check: `rows` maps each checked quantity to its
    QuantityCheck; `passed` says whether every |z| <= tolerance."""

    def __init__(self, widths: str, x2: Any, samples: int, tolerance: float,
                 rows: Dict[str, QuantityCheck]):
        self.widths, self.x2, self.samples, self.tolerance = widths, x2, samples, tolerance
        self.rows = rows

    @property
    def z(self) -> Dict[str, float]:
        """The z-score of every checked quantity."""
        return {name: row.z for name, row in self.rows.items()}

    @property
    def failures(self) -> List[str]:
        """The quantities with |z| > tolerance."""
        return [name for name, row in self.rows.items() if not row.ok]

    @property
    def passed(self) -> bool:
        return not self.failures

    def table(self) -> str:
        """Exact value, estimate, standard error and z of every quantity; a
        '*' marks |z| > tolerance."""
        lines = [f"ntkexact.testing: widths {self.widths}, x2 = {self.x2}, "
                 f"{self.samples} samples, tolerance |z| <= {self.tolerance:g}",
                 f"  {'quantity':<8} {'exact':<20} {'estimate':<20} {'+- stderr':<11} z"]
        for row in self.rows.values():
            lines.append(f"{' ' if row.ok else '*'} {row.name:<8} {_float(row.exact):<20.12g} "
                         f"{row.estimate:<20.12g} {row.stderr:<11.3g} {row.z:+.2f}")
        n_fail = len(self.failures)
        lines.append(f"{'FAIL' if n_fail else 'PASS'}: {n_fail} of {len(self.rows)} quantities "
                     f"with |z| > {self.tolerance:g}")
        return "\n".join(lines)

    __str__ = table

    def __repr__(self):
        return f"<KernelReport {self.widths}: {'passed' if self.passed else 'FAILED'} {self.z}>"


class KernelCheckError(AssertionError):
    """A check failed: str(error) is the table, error.report the report."""

    def __init__(self, report: KernelReport):
        super().__init__("\n" + report.table())
        self.report = report


def check_kernel_moments(sample_fn: Callable[[Any], Any], widths: ntkexact.Widths,
                         samples: int = 10000, *, x2: ntkexact.Rational = 1,
                         mu4: ntkexact.Rational = 3, cw_hidden: ntkexact.Rational = 2,
                         cw_output: ntkexact.Rational = 1, param: str = "ntk", bias: bool = True,
                         tolerance: float = 5.0, seed: int = 0, rng: Any = None,
                         quantities: Optional[Sequence[str]] = None,
                         raise_on_failure: bool = True) -> KernelReport:
    """Checks sample_fn, which initializes one network of the given widths
    and conventions afresh and returns its K (or a dict or tuple of the
    FIELDS, see the module's documentation), `samples` times.

    rng is passed to every call of sample_fn: by default
    numpy.random.default_rng(seed); give your own (a torch.Generator, ...)
    to draw the weights with it.  quantities restricts the check to some of
    ntkexact.QUANTITIES.  Raises KernelCheckError when some |z| > tolerance
    (unless raise_on_failure is False) and returns the KernelReport.
    """
    n = _check_samples(samples)
    target = _Target(widths, x2, mu4, cw_hidden, cw_output, param, bias, tolerance)
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
                                 samples: int = 10000, *, batch: int = 1000,
                                 x2: ntkexact.Rational = 1, mu4: ntkexact.Rational = 3,
                                 cw_hidden: ntkexact.Rational = 2,
                                 cw_output: ntkexact.Rational = 1, param: str = "ntk",
                                 bias: bool = True, tolerance: float = 5.0, seed: int = 0,
                                 rng: Any = None, quantities: Optional[Sequence[str]] = None,
                                 raise_on_failure: bool = True) -> KernelReport:
    """The same check for a vectorized sampler: sample_fn(rng, m) returns, for
    m independent networks, an array of m values of K, or a dict or tuple of
    such arrays (NumPy arrays, torch tensors, lists).  It is called with
    m = batch until `samples` networks are drawn (the last call with fewer)."""
    n = _check_samples(samples)
    size = _args.in_range(batch, "batch", 1, 10 ** 9)
    target = _Target(widths, x2, mu4, cw_hidden, cw_output, param, bias, tolerance)
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


def _zscore(exact, mean, stderr):
    """(mean - exact) / stderr; 0 or +-inf when stderr = 0, as the library."""
    diff = mean - _float(exact)
    if stderr > 0:
        return diff / stderr
    return 0.0 if diff == 0 else math.copysign(math.inf, diff)


def _float(x):
    try:
        return float(x)
    except OverflowError:
        return math.copysign(math.inf, x)


def _mean(v):
    return float(v.mean()), float(v.std(ddof=1) / math.sqrt(v.size))


def _variance(k):
    """The unbiased variance of K, its standard error from the fourth
    central moment (as ntk_sample_run)."""
    c = k - k.mean()
    m2, m4 = float((c ** 2).mean()), float((c ** 4).mean())
    return float((c ** 2).sum() / (k.size - 1)), math.sqrt(max(m4 - m2 * m2, 0.0) / k.size)


def _estimates(data):
    """Estimate and standard error of every quantity the data allow."""
    k = data["K"]
    out = {"E_K": _mean(k), "E_K2": _mean(k * k), "Var_K": _variance(k)}
    kw, kb = data.get("K_w"), data.get("K_b")
    if kw is not None and kb is None:
        kb = k - kw
    if kb is not None and kw is None:
        kw = k - kb
    if kw is not None:
        out.update({"E_Kw": _mean(kw), "E_Kb": _mean(kb), "E_Kw2": _mean(kw * kw),
                    "E_Kb2": _mean(kb * kb), "E_KwKb": _mean(kw * kb)})
    if "N" in data:
        nn = data["N"] ** 2
        out.update({"E_N2": _mean(nn), "E_N4": _mean(nn * nn)})
        if "g" in data:
            out["E_dK"] = _mean(-2.0 * data["N"] * data["g"])
    return out


class _Target:
    """The exact moments to check against, computed before any sampling so
    that bad input fails at once."""

    def __init__(self, widths, x2, mu4, cw_hidden, cw_output, param, bias, tolerance):
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
            raise TypeError(f"tolerance: expected a number, not {type(tolerance).__name__}")
        if not (tolerance > 0 and math.isfinite(tolerance)):
            raise ValueError(f"tolerance: {tolerance!r} is not a positive number")
        self.widths = _args.widths(widths)
        self.x2 = _args.exact(x2, "x2")
        self.tolerance = float(tolerance)
        self.exact = ntkexact.moments(self.widths, self.x2, mu4, cw_hidden, cw_output, param, bias)

    def report(self, data, quantities, raise_on_failure):
        estimates = _estimates(data)
        names = [q for q in ntkexact.QUANTITIES if q in estimates]
        if quantities is not None:
            for q in quantities:
                if q not in estimates:
                    raise ValueError(f"quantities: {q} cannot be estimated from "
                                     f"{', '.join(sorted(data))}")
            names = [q for q in names if q in quantities]
        rows = {q: QuantityCheck(q, self.exact[q], *estimates[q], self.tolerance) for q in names}
        report = KernelReport(self.widths, self.x2, len(data["K"]), self.tolerance, rows)
        if raise_on_failure and not report.passed:
            raise KernelCheckError(report)
        return report

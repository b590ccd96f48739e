"""The NTK across inputs (private; re-exported by ntkexact): kernel() for a
pair of inputs, kernel_gram() for the infinite-width Gram matrices of many,
exact_gram() for the exact Gram matrix of input vectors.

The values are not rational (doc/derivation.md, section 16): the library
computes them in ball arithmetic and gives decimal strings whose every digit
is certified, which become decimal.Decimal here, as limit() returns them.
"""

import decimal
import fractions
import numbers
from typing import Any, Dict, List, Optional, Sequence

from . import _args
from . import _ntkexact

#: The coefficients of kernel()'s "first_order" and "per_layer", in the
#: order of the command's JSON (ntk_kernel_coeff_t).
KERNEL_COEFFS = ("E_Kxy", "Var_Kxy", "Cov_Kxx_Kyy", "E_NxNy", "Var_Kxx", "Var_Kyy",
                 "Cov_Kxx_Kxy", "Cov_Kxy_Kyy")
#: The keys of kernel()'s "infinite_width", in the order of the JSON.
KERNEL_INFINITE = ("Theta_xy", "Theta_xx", "Theta_yy", "Sigma_xy", "Sigma_xx", "Sigma_yy")

DIGITS_MAX = 1000     # as the command's --digits


def _decimals(strs):
    return [decimal.Decimal(s) for s in strs]


def kernel(widths, x2=1, y2=None, xy=None, *, order: int = 1, per_layer: bool = False,
           digits: int = 30, mu4=3, cw_hidden=None, cw_output=1, param: str = "ntk",
           bias: bool = True, activation: str = "relu") -> Dict[str, Any]:
    """The NTK of two inputs x, x' at infinite width and the coefficients of
    1/n_l of the moments of K(x, x'), as `ntkexact kernel --format json`.

    The inputs are given by their Gram entries x2 = |x|^2, y2 = |x'|^2
    (default: x2) and xy = x.x' (required; xy^2 <= x2 y2), exact rationals as
    everywhere in the package, with n_0 = widths[0] the input width.
    Gaussian weights only (mu4 = 3).  order: 0, the infinite-width kernels
    only; 1 (default), also "first_order"; per_layer=True (order 1) also
    every hidden layer's coefficient.  digits: 1..1000 significant digits
    (default 30), every one correct.

    Returns the JSON's object: "widths" (list of ints), "widths_spec",
    "depth", "x2", "mu4", "cw_hidden", "cw_output" (Fractions), "param",
    "bias", "activation", "a_plus", "a_minus" (always present here), "y2",
    "xy", "digits", "infinite_width": {"Theta_xy", "Theta_xx", "Theta_yy",
    "Sigma_xy", "Sigma_xx", "Sigma_yy": Decimal}, and with order 1
    "first_order": {q: {"sum": Decimal, "at_widths": Decimal}} for q in
    KERNEL_COEFFS (each moment M = M_inf + sum_l c_l/n_l + O(1/n^2): "sum"
    is sum_l c_l, "at_widths" sum_l c_l/n_l at the profile's widths), and
    with per_layer "per_layer": {q: [c_1, ..., c_{d-1}]}.
    """
    spec = _args.widths(widths)
    if xy is None:
        raise ValueError("xy: required: the inner product x.x' of the two inputs "
                         "(for example x2=1, y2=2, xy='1/2')")
    for name, v in (("x2", x2), ("y2", y2), ("xy", xy)):
        if _args.is_symbolic(v):
            raise ValueError(f"{name}: 'symbolic' is for moments(); the kernel needs a number")
    if not isinstance(per_layer, bool):
        raise TypeError(f"per_layer: expected True or False, not {type(per_layer).__name__}")
    order_ = _args.in_range(order, "order", 0, 1)
    if per_layer and order_ == 0:
        raise ValueError("per_layer: needs order=1 (the coefficients)")
    digits_ = _args.in_range(digits, "digits", 1, DIGITS_MAX)
    conv = _args.conv(mu4, cw_hidden, cw_output, param, bias, activation)
    x2_ = _args.rational(x2, "x2")
    y2_ = x2_ if y2 is None else _args.rational(y2, "y2")
    xy_ = _args.rational(xy, "xy")
    what = 0 if order_ == 0 else 2 if per_layer else 1
    head, inf, sums, at, layers = _ntkexact._kernel(spec, x2_, y2_, xy_, conv, what, digits_)
    depth, widths_list, widths_spec, cw_h, act, a_plus, a_minus = head
    out = {"widths": widths_list, "widths_spec": widths_spec, "depth": depth,
           "x2": _args.exact(x2, "x2"), "mu4": _args.exact(mu4, "mu4"),
           "cw_hidden": _args.fraction_of(cw_h), "cw_output": _args.exact(cw_output, "cw_output"),
           "param": param, "bias": bool(bias), "activation": act,
           "a_plus": _args.fraction_of(a_plus), "a_minus": _args.fraction_of(a_minus),
           "y2": _args.exact(x2 if y2 is None else y2, "y2"), "xy": _args.exact(xy, "xy"),
           "digits": digits_, "infinite_width": dict(zip(KERNEL_INFINITE, _decimals(inf)))}
    if sums is not None:
        out["first_order"] = {q: {"sum": s, "at_widths": a}
                              for q, s, a in zip(KERNEL_COEFFS, _decimals(sums), _decimals(at))}
    if layers is not None:
        out["per_layer"] = {q: _decimals(v) for q, v in zip(KERNEL_COEFFS, layers)}
    return out


def _matrix_rows(gram, name):
    """The rows of a square matrix given as nested sequences or a NumPy
    array (anything with .tolist()), as lists."""
    if hasattr(gram, "detach"):       # a torch tensor
        gram = gram.detach().cpu().numpy()
    if hasattr(gram, "tolist") and not isinstance(gram, (list, tuple)):
        gram = gram.tolist()
    if isinstance(gram, (str, bytes)) or not hasattr(gram, "__iter__"):
        raise TypeError(f"{name}: expected a square matrix (nested lists or a NumPy array), "
                        f"not {type(gram).__name__}")
    rows = [list(r) if hasattr(r, "__iter__") and not isinstance(r, (str, bytes)) else None
            for r in gram]
    if any(r is None for r in rows):
        raise TypeError(f"{name}: expected a matrix: a sequence of rows")
    return rows


def kernel_gram(widths, gram, *, digits: int = 30, mu4=3, cw_hidden=None, cw_output=1,
                param: str = "ntk", bias: bool = True, activation: str = "relu",
                threads: Optional[int] = None) -> Dict[str, List[List[decimal.Decimal]]]:
    """The infinite-width NTK Theta and NNGP kernel Sigma of m inputs given by
    their Gram matrix: gram is m x m, symmetric, with every 2 x 2 principal
    minor admissible (|gram[i][j]|^2 <= gram[i][i] gram[j][j]); its entries
    are exact rationals (ints, Fractions, strs such as "1/2"; a float, e.g.
    of a NumPy array, is the binary number it holds).  exact_gram(inputs)
    makes it from input vectors.  Computed on `threads` threads.

    Returns {"theta": [[Decimal] * m] * m, "sigma": ...}: each entry with
    `digits` significant digits, every one correct (the library's
    ntk_kernel_gram_get_strs)."""
    spec = _args.widths(widths)
    rows = _matrix_rows(gram, "gram")
    m = len(rows)
    if any(len(r) != m for r in rows):
        raise ValueError(f"gram: not square ({m} rows of lengths "
                         f"{sorted(set(len(r) for r in rows))})")
    digits_ = _args.in_range(digits, "digits", 1, DIGITS_MAX)
    conv = _args.conv(mu4, cw_hidden, cw_output, param, bias, activation)
    entries = [_args.rational(v, f"gram[{i}][{j}]") for i, r in enumerate(rows)
               for j, v in enumerate(r)]
    theta, sigma = _ntkexact._kernel_gram(spec, entries, m, conv, digits_,
                                          _args.threads(threads))

    def matrix(flat):
        d = _decimals(flat)
        return [d[i * m:(i + 1) * m] for i in range(m)]

    return {"theta": matrix(theta), "sigma": matrix(sigma)}


def exact_gram(inputs) -> List[List[fractions.Fraction]]:
    """The Gram matrix x_i . x_j of the rows of `inputs` (m x n_0: nested
    sequences of rationals, a NumPy array or a torch tensor), exactly: a float
    is the binary number it holds, so this is the Gram matrix of the inputs
    your network really gets."""
    rows = _matrix_rows(inputs, "inputs")
    vecs = []
    for i, r in enumerate(rows):
        vecs.append([_args.exact(v, f"inputs[{i}][{j}]") if not isinstance(v, numbers.Integral)
                     or isinstance(v, bool) else fractions.Fraction(int(v))
                     for j, v in enumerate(r)])
    if len(set(len(v) for v in vecs)) > 1:
        raise ValueError("inputs: the rows have different lengths")
    return [[sum((a * b for a, b in zip(u, v)), fractions.Fraction(0)) for v in vecs]
            for u in vecs]

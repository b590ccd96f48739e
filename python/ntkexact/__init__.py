"""Exact moments of the neural tangent kernel of deep ReLU networks at initialization.

The diagonal NTK K(x, x) of a ReLU network with widths n_0, ..., n_d (n_d = 1),
weights of variance c/n_{i-1} (c = 2 hidden, 1 output), zero but trainable
biases and an input of squared norm x2 has moments that are rational numbers;
this package computes them exactly with libntkexact:

    >>> import ntkexact
    >>> m = ntkexact.moments("3,2,1")
    >>> m["E_K"], m["E_dK"]
    (Fraction(13, 6), Fraction(-10, 9))

moments() mirrors `ntkexact moments`, sample() `ntkexact sample`, expand()
`ntkexact expand`, limit() `ntkexact limit` and kernel() `ntkexact kernel`
(two inputs; kernel_gram() the infinite-width Gram matrices of many);
ntkexact.testing checks an
implementation of the NTK (yours) against the exact values.  Bad input raises
ValueError with the library's message, which begins with the keyword at
fault; a value of the wrong type raises TypeError.  A long computation runs
without the GIL and stops on Ctrl-C (KeyboardInterrupt).  See doc/python.md.
"""

import decimal
import fractions
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _args
from . import _ntkexact
from ._kernel import kernel, kernel_gram, exact_gram, KERNEL_COEFFS, KERNEL_INFINITE

__version__ = _ntkexact.VERSION

#: Every quantity of the moments of order 2 (the default), in the order of
#: the command's JSON: the eleven of its "exact" object, then E_N2 and E_N4
#: (the moments of the output N(x)).
QUANTITIES = tuple(_ntkexact.QUANTITIES[:_ntkexact.N_QUANTITIES_2])
#: The quantities of moments(order=k), k = 2, 3, 4: order 3 adds E_K3, its
#: parts E_Kw3, E_Kw2Kb, E_KwKb2, E_Kb3, the central moment M3_K, the
#: squared skewness Skew2_K and E_N6; order 4 adds E_K4, its parts, M4_K,
#: the excess kurtosis Kurt_K and E_N8.
ORDER_QUANTITIES = {2: QUANTITIES,
                    3: tuple(_ntkexact.QUANTITIES[:_ntkexact.N_QUANTITIES_3]),
                    4: tuple(_ntkexact.QUANTITIES[:_ntkexact.N_QUANTITIES_4])}
#: The quantities of the second moment of the first SGD update, which
#: moments(update=True) and sample(update=True) add after those of the order:
#: E_g2 = E[g^2], E_N2g2 = E[N^2 g^2] and its parts E_N2gww2, E_N2gwwgwb,
#: E_N2gwb2 (g = g_ww + 2 g_wb), and at the target y E_dK2 = E[dK^2]/lambda^2
#: = 4 (E_N2g2 + y^2 E_g2), Var_dK = E_dK2 - E_dK^2 and RelVar_dK =
#: Var_dK / E_dK^2.
UPDATE_QUANTITIES = tuple(_ntkexact.QUANTITIES[_ntkexact.N_QUANTITIES_4:])

#: The names of sample(..., xy=...)'s estimates (two inputs): the moments whose
#: 1/n coefficients `ntkexact kernel` gives, then the diagonal's means.
PAIR_QUANTITIES = ("E_Kxy", "Var_Kxy", "Cov_Kxx_Kyy", "E_NxNy", "Var_Kxx", "Var_Kyy",
                   "Cov_Kxx_Kxy", "Cov_Kxy_Kyy", "E_Kxx", "E_Kyy", "E_Nx2", "E_Ny2")
#: The quantities that are ratios (rational functions of x2), left out of
#: symbolic results.
RATIOS = ("Skew2_K", "Kurt_K", "RelVar_dK")
#: The eleven quantities of the JSON "exact" object.
INTERFACE_QUANTITIES = QUANTITIES[:_ntkexact.N_INTERFACE_QUANTITIES]

#: An exact rational: an int, a Fraction, a Decimal, a float (the binary
#: number it holds) or a str such as "9/5" or "2.27".
Rational = Union[int, fractions.Fraction, decimal.Decimal, float, str]
#: A profile n_0,...,n_d: a sequence of ints or a str such as "10,100x10,1".
Widths = Union[str, Sequence[int]]
#: One value of moments(): a Fraction (exact), its coefficients [c0, c1, c2]
#: (x2="symbolic"), a Decimal (precision=) or a float (double=True); None
#: when the floating-point mode guarantees no digit.
Value = Union[fractions.Fraction, List[fractions.Fraction], decimal.Decimal, float, None]

#: The ratios whose series expand(depth="symbolic") gives, in their order:
#: the first two for moments=2, four for moments=3, all six for moments=4.
SERIES_RATIOS = tuple(_ntkexact.SERIES_RATIOS)

__all__ = ["moments", "sample", "profile_widths", "expand", "expansion_value", "series_coefficient", "limit",
           "kernel", "kernel_gram", "exact_gram", "KERNEL_COEFFS", "KERNEL_INFINITE",
           "QUANTITIES", "INTERFACE_QUANTITIES", "ORDER_QUANTITIES", "UPDATE_QUANTITIES",
           "PAIR_QUANTITIES", "RATIOS",
           "SERIES_RATIOS", "Rational", "Widths", "Value", "__version__"]

_FORM = "sum_j 2^(-j n) sum_p c[j][p] n^p"
_FORM_SERIES = "sum_p c[0][p] n^p + O(n^-(order+1)), the 2^-n part left out"
_FORM_POLY = ("sum_p c_p(d) n^p, the 2^-n parts left out; c_p(d) = sum_i poly[i] d^i "
              "(ratios: num(d)/den(d)) for d >= d_min, below[d] for 2 <= d < d_min")
_FORM_EXP = ("sum_p c_p(d) n^p, the 2^-n parts left out; c_p(d) = sum over the items of "
             "sum of lambda^d poly[i] d^i (ratios: num_sum(d)/den_sum(d)) for d >= d_min, "
             "below[d] for 2 <= d < d_min")
_SERIES = ("E[K^2]/E[K]^2 - 1", "E[dK]/(lambda E[K])", "E[K^3]/E[K]^3", "E[K^4]/E[K]^4")
_LIMIT_KEYS = ("E_K_over_d", "E_K2_over_d2", "ratio_K2", "ratio_dK", "ratio_N4",
               "E_K3_over_d3", "ratio_K3", "ratio_N6", "E_K4_over_d4", "ratio_K4", "ratio_N8")


def moments(widths: Widths, x2: Rational = 1, mu4: Rational = 3, cw_hidden: Optional[Rational] = None,
            cw_output: Rational = 1, param: str = "ntk", bias: bool = True,
            activation: str = "relu", *,
            precision: Optional[int] = None, double: bool = False, digits: Optional[int] = None,
            threads: Optional[int] = None, order: int = 2, mu6: Optional[Rational] = None,
            mu8: Optional[Rational] = None, update: bool = False,
            target: Optional[Rational] = None) -> Dict[str, Value]:
    """Every moment of the diagonal NTK, exactly, as `ntkexact moments`.

    widths: the profile n_0,...,n_d with n_d = 1, as a sequence of ints or
        a str in which an item NxK stands for K widths N ("10,100x10,1").
    x2: ||x||^2 >= 0, or "symbolic": then every value is the list
        [c0, c1, c2] of the coefficients of c0 + c1 x2 + c2 x2^2, valid for
        x2 > 0 (at x2 = 0 the input is dead and K = 1: ask for x2=0); at
        order 3 and 4 the lists have order + 1 coefficients and the ratios
        Skew2_K, Kurt_K (no polynomials) are left out.
    mu4: the fourth moment of the unit-variance weight law, >= 1 (3 Gaussian,
        9/5 uniform).  cw_hidden, cw_output: the weight variances c > 0
        (cw_hidden None: the activation's critical 1/A_2, 2 for ReLU).
    param: "ntk" (derivatives with respect to the unit-variance weights) or
        "standard".  bias: whether the biases are trainable parameters.
    activation: "relu", "linear", "abs", "leaky:ALPHA" or
        "slopes:A_PLUS,A_MINUS", as the command's --activation.
    precision: compute in floating point with this many bits (2..2^20), for
        profiles beyond exact reach; each value is then a decimal.Decimal of
        the digits the computation guarantees (at most `digits`), or None.
    double: the same with 53 bits, each value a float.
    threads: worker threads (default: the online CPUs); never changes a value.
    order: 2 (default), 3 or 4: also E[K^3] (and E[K^4]), their parts, the
        central moments, the squared skewness and excess kurtosis, E[N^6]
        (E[N^8]), as ORDER_QUANTITIES[order] lists.  mu6, mu8: the law's
        sixth and eighth moments (orders 3 and 4); without them those of
        the Gaussian law for mu4 = 3, of the uniform one (with a warning)
        for mu4 = 9/5, and required for any other mu4.
    update: also the second moment of the first SGD update, the names of
        UPDATE_QUANTITIES after those of the order (as `--update`); its
        eight-path families use mu6 and mu8 as order 4 does, and the values
        are polynomials of degree <= 4 in x2 (x2="symbolic": five
        coefficients, RelVar_dK left out).  target: the target y of the loss
        (N - y)^2/2 for E_dK2, Var_dK, RelVar_dK, a rational (default 0);
        giving it implies update=True.

    Returns a dict from each name of ORDER_QUANTITIES[order] (for order 2
    QUANTITIES: "E_K", "E_Kw", "E_Kb", "E_K2", "E_Kw2", "E_Kb2", "E_KwKb",
    "Var_K", "E_dK", "E_Dww", "E_Dwb", "E_N2", "E_N4") to its value: a
    fractions.Fraction in the exact mode; None for Skew2_K and Kurt_K where
    Var_K = 0 (at x2 = 0 for ReLU), and for RelVar_dK where E_dK = 0 (at
    x2 = 0 and depth 1).
    """
    spec = _args.widths(widths)
    symbolic = _args.is_symbolic(x2)
    order_ = _args.order(order)
    update_ = _args.bias(update, "update") or target is not None
    y = (0, 1) if target is None else _args.rational(target, "target")
    if update_ and order_ < 4:
        mu6_, mu8_ = _args.law_moments(mu4, mu6, mu8, 4, keyword="update")
    else:
        mu6_, mu8_ = _args.law_moments(mu4, mu6, mu8, order_)
    conv = _args.conv(mu4, cw_hidden, cw_output, param, bias, activation, mu6_, mu8_)
    bits = _args.precision(precision, double)
    if symbolic and bits:
        raise ValueError("x2: 'symbolic' is exact only; drop precision/double")
    cap = _args.digits(digits, bits)
    point = None if symbolic else _args.rational(x2, "x2")
    values = _ntkexact._moments(spec, point, conv, _args.threads(threads), bits, cap, order_,
                                int(update_), y)
    names = ORDER_QUANTITIES[order_] + (UPDATE_QUANTITIES if update_ else ())
    if bits:
        number = float if double else decimal.Decimal
        return {q: None if v is None else number(v) for q, v in zip(names, values)}
    if symbolic:
        return {q: [_args.fraction_of(c) for c in v] for q, v in zip(names, values)
                if q not in RATIOS}
    return {q: None if v is None else _args.fraction_of(v) for q, v in zip(names, values)}


def profile_widths(widths: Widths) -> List[int]:
    """The widths n_0, ..., n_d of a profile as a list of ints, "NxK" items
    expanded: profile_widths("3,100x2,1") == [3, 100, 100, 1].  The profile
    is read and checked by the library's parser, as every other function
    here reads it (ValueError with its message when it is not a profile)."""
    return list(_ntkexact._profile_widths(_args.widths(widths)))


def sample(widths: Widths, samples: Optional[int] = None, x2: Rational = 1,
           mu4: Optional[Rational] = None, cw_hidden: Optional[Rational] = None, cw_output: Rational = 1,
           param: str = "ntk", bias: bool = True, activation: str = "relu", *,
           law: Optional[str] = None, method: str = "auto", seed: int = 0,
           threads: Optional[int] = None, update: bool = False,
           y2: Optional[Rational] = None, xy: Optional[Rational] = None) -> Dict[str, Any]:
    """Monte Carlo estimates of every moment, from real random networks, as
    `ntkexact sample`.

    Draws `samples` (>= 2) networks with Gaussian weights (mu4=3 or
    law="gaussian", the default) or uniform ones (mu4=9/5 or law="uniform"),
    input sqrt(x2) e_1, computes K by backpropagation and the first-update
    term by an exact second derivative with the slopes frozen.  Sample k uses
    stream k of `seed` (0..2^64-1): the result does not depend on threads.
    method="projected" draws each Gaussian weight matrix only through its
    action on the vectors the computation touches (O(d n) per network),
    "full" draws every weight (any law); "auto" (the default) is projected
    for Gaussian weights and full for uniform ones, as `--method`.

    Returns {"samples": int, "seed": int, "law": str, "method": str,
    "mean": {name: float}, "stderr": {name: float}} over the names of
    QUANTITIES; "Var_K" is the unbiased sample variance of K.  update=True
    adds the names of UPDATE_QUANTITIES, estimated at the target y = 0
    from each network's g_ww and g_wb ("Var_dK": the unbiased sample
    variance of dK/lambda; "RelVar_dK" is not estimated: nan).

    xy (x.x', a rational) makes it a run of two inputs, as `sample --xy`:
    x = sqrt(x2) e_1 and x' with |x'|^2 = y2 (default x2) and x.x' = xy
    ((x.x')^2 <= |x|^2 |x'|^2; with n_0 = 1 the inputs must be parallel).
    Each network is evaluated at both; the result is {"samples", "seed",
    "law", "method", "mean", "stderr"} over the names of PAIR_QUANTITIES: "E_Kxy" = E[K(x,x')], "Var_Kxy",
    "Cov_Kxx_Kyy", "E_NxNy" = E[N(x) N(x')], "Var_Kxx", "Var_Kyy",
    "Cov_Kxx_Kxy", "Cov_Kxy_Kyy" (the moments whose 1/n coefficients
    `ntkexact kernel` gives), then the diagonal's means "E_Kxx", "E_Kyy",
    "E_Nx2", "E_Ny2"; (co)variances are unbiased sample (co)variances,
    their standard errors from the sample's mixed fourth central moments.
    update=True is refused with xy.
    """
    if xy is not None or y2 is not None:
        return _sample_pair(widths, samples, x2, y2, xy, mu4, cw_hidden, cw_output, param, bias,
                            activation, law, method, seed, threads, update)
    spec = _args.widths(widths)
    if samples is None:
        raise ValueError("samples: required (for example samples=100000)")
    n = _args.integer(samples, "samples")
    if n > _args.SAMPLES_MAX:
        raise ValueError(f"samples: {n} is not an integer in 2..{_args.SAMPLES_MAX}")
    seed_ = _args.in_range(seed, "seed", 0, _args.SEED_MAX)
    if _args.is_symbolic(x2):
        raise ValueError("x2: 'symbolic' is for moments(); sampling needs a number")
    law_id, law_mu4 = _args.law(law, mu4)
    conv = _args.conv(law_mu4, cw_hidden, cw_output, param, bias, activation)
    method_id = _args.method(method, law_id)
    update_ = _args.bias(update, "update")
    done, mean, stderr, ran = _ntkexact._sample(spec, _args.rational(x2, "x2"), conv, law_id,
                                                method_id, _args.clamp(n, _args.LONG_MAX), seed_,
                                                _args.threads(threads), int(update_))
    names = QUANTITIES + (UPDATE_QUANTITIES if update_ else ())
    return {"samples": done, "seed": seed_, "law": ("gaussian", "uniform")[law_id],
            "method": ran, "mean": dict(zip(names, mean)),
            "stderr": dict(zip(names, stderr))}


def _sample_pair(widths, samples, x2, y2, xy, mu4, cw_hidden, cw_output, param, bias,
                 activation, law, method, seed, threads, update) -> Dict[str, Any]:
    """sample() of two inputs (xy given)."""
    spec = _args.widths(widths)
    if xy is None:
        raise ValueError("y2: needs xy (the second input is given by both)")
    if samples is None:
        raise ValueError("samples: required (for example samples=100000)")
    n = _args.integer(samples, "samples")
    if n > _args.SAMPLES_MAX:
        raise ValueError(f"samples: {n} is not an integer in 2..{_args.SAMPLES_MAX}")
    if _args.bias(update, "update"):
        raise ValueError("update: the update's second moment is sampled for one input; "
                         "leave out update or xy")
    seed_ = _args.in_range(seed, "seed", 0, _args.SEED_MAX)
    if _args.is_symbolic(x2):
        raise ValueError("x2: 'symbolic' is for moments(); sampling needs a number")
    x2_ = _args.rational(x2, "x2")
    y2_ = x2_ if y2 is None else _args.rational(y2, "y2")
    xy_ = _args.rational(xy, "xy")
    law_id, law_mu4 = _args.law(law, mu4)
    conv = _args.conv(law_mu4, cw_hidden, cw_output, param, bias, activation)
    method_id = _args.method(method, law_id)
    done, names, mean, stderr, ran = _ntkexact._sample_pair(
        spec, x2_, y2_, xy_, conv, law_id, method_id, _args.clamp(n, _args.LONG_MAX), seed_,
        _args.threads(threads))
    return {"samples": done, "seed": seed_, "law": ("gaussian", "uniform")[law_id],
            "method": ran, "mean": dict(zip(names, mean)), "stderr": dict(zip(names, stderr))}


def expand(depth: Union[int, str, None] = None, n0: int = 1, x2: Rational = 1, mu4: Rational = 3,
           cw_hidden: Optional[Rational] = None, cw_output: Rational = 1, param: str = "ntk",
           bias: bool = True, activation: str = "relu", *, order: int = 4, moments: int = 2,
           mu6: Optional[Rational] = None, mu8: Optional[Rational] = None,
           series: bool = False) -> Dict[str, Any]:
    """Every moment of the profile n0, n x (depth-1), 1 as an exact function
    of the hidden width n, as `ntkexact expand --format json`.

    depth: the number of weight layers, 2..400 (2..1000 when no dead-layer
    part exists: no zero slope, or no biases); n0: the input width; x2 >= 0
    (x2 = 0 is the dead input: every gate is a_minus, and for ReLU K is the
    output bias, 1, exactly).  Each quantity q is sum_j 2^(-j n) sum_p
    c[j][p] n^p, and result["expansion"][q][j] is the dict {p: c[j][p]} of
    the non-zero Fractions (j = 0: the part polynomial in 1/n; j >= 1: the
    dead-layer parts).  result["series"] holds the series in 1/n, to
    `order`, of E[K^2]/E[K]^2 - 1 and E[dK]/(lambda E[K]): the lists of the
    coefficients of n^0, n^-1, ..., or None when a series starts with a
    positive power of n (or E[K] = 0: x2 = 0 without biases).
    expansion_value() evaluates an expansion at a width.

    moments: 2 (default), 3 or 4, as --moments: the expansion then holds
    every quantity of ORDER_QUANTITIES[moments] but the ratios Skew2_K and
    Kurt_K (E[K^3], its parts E_Kw3, ..., M3_K, E_N6; at 4 also E[K^4], ...,
    M4_K, E_N8), and the series also E[K^3]/E[K]^3 (and E[K^4]/E[K]^4);
    depth up to 200 at 3, 100 at 4.  mu6, mu8: the law's sixth and eighth
    moments, as in moments() (mu6 only with moments 3 and 4, mu8 only
    with 4).

    series=True, as --series: only the part without 2^-n, truncated after
    n^-order (order <= 40), at any depth up to 2^40 (up to 10000 off the
    critical cw_hidden, and at x2 = 0 unless |a_minus| = |a_plus|); "form"
    says so.

    depth="symbolic", as --depth symbolic: the coefficient of n^p of every
    quantity, p = hi .. -order, as a function of the depth d, and the series
    of SERIES_RATIOS[:2 moments - 2] (with Skew2_K and Kurt_K): see
    series_coefficient() and doc/python.md for the form of the result.
    """
    if depth is None:
        raise ValueError("depth: required (for example depth=4, or depth='symbolic')")
    if not isinstance(series, bool):
        raise TypeError(f"series: expected True or False, not {type(series).__name__}")
    n0_ = _args.in_range(n0, "n0", 1, _args.WIDTH_MAX)
    if _args.is_symbolic(x2):
        raise ValueError("x2: 'symbolic' is for moments(); expand needs a number >= 0")
    point = _args.rational(x2, "x2")
    symbolic = isinstance(depth, str) and depth == "symbolic"
    depth_ = None if symbolic else _args.integer(depth, "depth")
    k = _args.expand_moments(moments, depth_, mu6, mu8, exact=not (symbolic or series))
    mu6_, mu8_ = _args.law_moments(mu4, mu6, mu8, k, "moments")
    conv = _args.conv(mu4, cw_hidden, cw_output, param, bias, activation, mu6_, mu8_)
    order_ = _args.in_range(order, "order", 0, 1000)
    if symbolic:
        return _expand_symbolic(n0_, x2, point, conv, param, bias, order_, k)
    d = _args.clamp(depth_, _args.LONG_MAX if series else _args.INT_MAX)
    parts, series_ = _ntkexact._expand(d, n0_, point, conv, order_, k, series)
    expansion = {q: [{p: _args.fraction(num, den) for p, num, den in part} for part in qparts]
                 for q, qparts in zip(ORDER_QUANTITIES[k], parts) if qparts is not None}
    ratios = {name: None if r is None else [_args.fraction_of(c) for c in r]
              for name, r in zip(_SERIES, series_)}
    return {"n0": n0_, "depth": d, "x2": _args.exact(x2, "x2"), "param": param,
            "bias": bool(bias), "form": _FORM_SERIES if series else _FORM, "expansion": expansion,
            "order": order_, "series": ratios}


def _expand_symbolic(n0, x2, point, conv, param, bias, order, k):
    """expand(depth="symbolic"): the result of _ntkexact._series as the
    command's JSON, with Fractions."""
    quantities, ratios = _ntkexact._series(n0, point, conv, order, k)

    def parts(items):
        # the part of lambda = 1 always, the others when not zero
        return [{"lambda": _args.fraction_of(lam), "poly": [_args.fraction_of(c) for c in poly]}
                for i, (lam, poly) in enumerate(items) if i == 0 or poly]

    exp = any(len(c[3]) > 1 for q in quantities if q is not None for c in q)

    def coeff(c, ratio):
        power, d_min, below, num, den = c
        out = {"power": power}
        if exp:
            out["num_sum" if ratio else "sum"] = parts(num)
            if ratio:
                out["den_sum"] = parts(den)
        else:
            out["num" if ratio else "poly"] = [_args.fraction_of(x) for x in num[0][1]]
            if ratio:
                out["den"] = [_args.fraction_of(x) for x in den[0][1]]
        out["d_min"] = d_min
        out["below"] = {d: _args.fraction_of(v) for d, v in enumerate(below, 2)}
        return out

    lam = None
    for q in quantities:
        for c in q or []:
            if len(c[3]) > 1 and lam is None:
                lam = _args.fraction_of(c[3][1][0])
    return {"n0": n0, "depth": "symbolic", "x2": _args.exact(x2, "x2"), "param": param,
            "bias": bool(bias), "moments": k, "order": order, "lambda": lam,
            "form": _FORM_EXP if exp else _FORM_POLY,
            "series": {q: [coeff(c, False) for c in cs]
                       for q, cs in zip(ORDER_QUANTITIES[k], quantities) if cs is not None},
            "ratios": {name: None if cs is None else [coeff(c, True) for c in cs]
                       for name, cs in zip(SERIES_RATIOS, ratios)}}


def series_coefficient(result: Dict[str, Any], name: str, power: int,
                       depth: int) -> fractions.Fraction:
    """The coefficient of n^power of `name` (a quantity of
    result["series"] or a ratio of result["ratios"]) at the depth d >= 2,
    exactly, from the result of expand(depth="symbolic")."""
    d = _args.in_range(depth, "depth", 2, _args.WIDTH_MAX)
    table = result["series"] if name in result["series"] else result["ratios"]
    if name not in table:
        raise ValueError(f"name '{name}' is not one of {', '.join(list(result['series']) + list(result['ratios']))}")
    if table[name] is None:
        raise ValueError(f"name '{name}': the ratio has no series in 1/n here")
    coeffs = [c for c in table[name] if c["power"] == power]
    if not coeffs:
        raise ValueError(f"power: {power} is not one of the powers of {name} "
                         f"({table[name][0]['power']} .. {table[name][-1]['power']})")
    c = coeffs[0]
    if d < c["d_min"]:
        return c["below"][d]

    def poly(p):
        return sum((x * fractions.Fraction(d) ** i for i, x in enumerate(p)), fractions.Fraction(0))

    def total(items):
        return sum((t["lambda"] ** d * poly(t["poly"]) for t in items), fractions.Fraction(0))

    if "sum" in c:
        return total(c["sum"])
    if "num_sum" in c:
        return total(c["num_sum"]) / total(c["den_sum"])
    return poly(c["poly"]) if "poly" in c else poly(c["num"]) / poly(c["den"])


def expansion_value(expansion: Dict[str, Any], quantity: str, n: int) -> fractions.Fraction:
    """The value of `quantity` (a key of expansion["expansion"]: with
    moments=3 or 4 also E_K3, M3_K, E_N6, ...) at the hidden width n >= 1,
    exactly, from the result of expand(): the moment of the profile
    n0, n x (depth-1), 1."""
    n_ = _args.in_range(n, "n", 1, _args.WIDTH_MAX)
    if quantity not in expansion["expansion"]:
        raise ValueError(f"quantity '{quantity}' is not one of {', '.join(expansion['expansion'])}")
    total = fractions.Fraction(0)
    for j, part in enumerate(expansion["expansion"][quantity]):
        poly = sum((c * fractions.Fraction(n_) ** p for p, c in part.items()), fractions.Fraction(0))
        total += poly / fractions.Fraction(2) ** (j * n_)
    return total


def limit(beta: Union[Rational, Sequence[Rational], None] = None, a: Optional[Rational] = None,
          *, x2: Optional[Rational] = None, n0: Optional[int] = None, mu4: Rational = 3,
          cw_hidden: Optional[Rational] = None, cw_output: Rational = 1, param: str = "ntk",
          bias: bool = True, activation: str = "relu", digits: int = 30,
          moments: int = 2, order: int = 0) -> Union[Dict[str, Any], List[Dict[str, Any]]]:
    """The limits as the hidden width n and the depth d grow together with
    beta = (number of hidden layers)/n fixed, as `ntkexact limit`.

    beta: one value > 0, or a sequence of them.  a = x2/n_0 >= 0 (default
    1/10), or give x2= and n0= instead.  The limit is defined for the
    critical cw_hidden 1/A_2 (2 for ReLU, the default) in the NTK
    parametrization; mu4 drops out of the limits (not of their corrections).

    Returns, for each beta, {"beta": Fraction, "E_K_over_d", "E_K2_over_d2",
    "ratio_K2", "ratio_dK", "ratio_N4": decimal.Decimal of `digits`
    significant digits, every one correct (None where undefined:
    E[N^4]/E[N^2]^2 at a = 0, the input x = 0), "closed_form": {the same five
    from the closed forms}, "closed_form_agrees_to_digits": int}: one dict
    for one beta, a list of them for a sequence (the entries of the
    command's JSON "limits").

    moments: 2 (default), 3 or 4, as --moments: each dict (and its
    "closed_form") also holds "E_K3_over_d3", "ratio_K3" (E[K^3]/E[K]^3),
    "ratio_N6" (E[N^6]/E[N^2]^3) and, at 4, "E_K4_over_d4", "ratio_K4",
    "ratio_N8"; for every activation (with slopes 0,a_minus and biases
    beta <= 1/moments).

    order: 0 (default), the limits F_0; 1, as --order 1, their 1/n
    corrections F_1 (each value is F_0 + F_1/n + O(1/n^2) at
    beta = (d-1)/n, d = beta n + 1 where d appears), under the same keys, at
    every moments (with slopes 0,a_minus and biases beta < 1/moments).
    """
    if beta is None:
        raise ValueError("beta: required (for example beta=[0.5, 1, 2])")
    single = isinstance(beta, str) or not hasattr(beta, "__iter__")
    betas = [beta] if single else list(beta)
    if not betas:
        raise ValueError("beta: required (for example beta=[0.5, 1, 2])")
    a_ = _limit_a(a, x2, n0)
    conv = _args.conv(mu4, cw_hidden, cw_output, param, bias, activation)
    digits_ = _args.in_range(digits, "digits", 1, 1000)
    moments_ = _args.order(moments, "moments")
    order_ = _args.in_range(order, "order", 0, 1)
    pairs = [_args.rational(b, "beta") for b in betas]
    rows = _ntkexact._limit(pairs, (a_.numerator, a_.denominator), conv, digits_, moments_, order_)
    out = []
    def dec(v):
        return None if v is None else decimal.Decimal(v)
    for b, (values, closed, agree) in zip(pairs, rows):
        row = {"beta": _args.fraction_of(_ntkexact._rational(b, "beta"))}
        row.update(zip(_LIMIT_KEYS, map(dec, values)))
        row["closed_form"] = dict(zip(_LIMIT_KEYS, map(dec, closed)))
        row["closed_form_agrees_to_digits"] = agree
        out.append(row)
    return out[0] if single else out


def _limit_a(a, x2, n0):
    """a = x2/n_0: from a=, or from both x2= and n0=, as the command."""
    if (x2 is None) != (n0 is None) or (x2 is not None and a is not None):
        raise ValueError("a: give either a=, or both x2= and n0=")
    if x2 is None:
        return fractions.Fraction(1, 10) if a is None else _args.exact(a, "a")
    if _args.is_symbolic(x2):
        raise ValueError("x2: 'symbolic' is for moments(); the limit needs a number")
    x2_ = _args.exact(x2, "x2")
    if x2_ < 0:
        raise ValueError(f"x2 '{x2_}': the squared norm of the input must be >= 0")
    return x2_ / _args.in_range(n0, "n0", 1, _args.WIDTH_MAX)

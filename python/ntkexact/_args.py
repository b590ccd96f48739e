"""Argument checking for the ntkexact package (private).

The functions of ntkexact take Python values (ints, Fractions, Decimals,
floats, strs, lists); the extension module _ntkexact takes strs, pairs of
ints and small ints.  This module converts the former into the latter and
raises TypeError for a value of the wrong type.  The library itself checks
every value, so that the messages of ValueError are the library's: they begin
with the name of the parameter, which is also the Python keyword.
"""

import decimal
import fractions
import math
import numbers
import operator
import os

from . import _ntkexact

THREADS_MAX = _ntkexact.THREADS_MAX
PRECISION_MAX = _ntkexact.PRECISION_MAX
WIDTH_MAX = _ntkexact.WIDTH_MAX
INT_MAX = 2 ** 31 - 1
LONG_MAX = 2 ** 63 - 1
SAMPLES_MAX = 10 ** 12
SEED_MAX = 2 ** 64 - 1
LAWS = {"gaussian": 0, "uniform": 1}
LAW_MU4 = {"gaussian": fractions.Fraction(3), "uniform": fractions.Fraction(9, 5)}
PARAMS = {"ntk": 0, "standard": 1}


def _make_fraction():
    """A constructor of Fractions from coprime (numerator, denominator > 0).

    The library's fractions are already in lowest terms, and Fraction(n, d)
    would compute gcd(n, d) again: quadratic in the length, hours for the
    multi-million-digit values of deep profiles.  Python 3.12 has
    Fraction._from_coprime_ints; before it, the two slots are set directly.
    Either is checked against Fraction(n, d) once, here.
    """
    make = getattr(fractions.Fraction, "_from_coprime_ints", None)
    if make is None:
        def make(numerator, denominator):
            f = object.__new__(fractions.Fraction)
            f._numerator = numerator
            f._denominator = denominator
            return f
    try:
        f, g = make(-3, 4), fractions.Fraction(-3, 4)
        if (type(f) is fractions.Fraction and f == g and hash(f) == hash(g)
                and str(f) == "-3/4" and f + 1 == fractions.Fraction(1, 4)):
            return make
    except (AttributeError, TypeError):
        pass
    return fractions.Fraction


fraction = _make_fraction()


def fraction_of(pair):
    """A Fraction from the extension's (numerator, denominator) pair."""
    return fraction(pair[0], pair[1])


def _type_name(value):
    return type(value).__name__


def no_nul(text, name):
    """text, which must not hold a NUL (the library reads C strings)."""
    if "\0" in text:
        raise ValueError(f"{name}: the text contains a NUL character")
    return text


def rational(value, name):
    """value as the extension takes a rational: a str for the library's
    parser, or an exact (numerator, denominator) pair of ints."""
    if isinstance(value, bool):
        raise TypeError(f"{name}: expected a number, not bool")
    if isinstance(value, str):
        return no_nul(value, name)
    if isinstance(value, int):
        return (value, 1)
    if isinstance(value, fractions.Fraction):
        return (value.numerator, value.denominator)
    if isinstance(value, (float, decimal.Decimal)):
        # a float is the binary rational it holds; a Decimal its decimal value
        finite = value.is_finite() if isinstance(value, decimal.Decimal) else math.isfinite(value)
        if not finite:
            raise ValueError(f"{name} {value!r} is not a finite number")
        return value.as_integer_ratio()
    if isinstance(value, numbers.Rational):      # numpy integers, other rationals
        return (int(value.numerator), int(value.denominator))
    if isinstance(value, numbers.Real):          # numpy floats
        return rational(float(value), name)
    raise TypeError(f"{name}: expected an int, Fraction, Decimal, float or a str such as "
                    f"'9/5', not {_type_name(value)}")


def exact(value, name):
    """value as a Fraction, read by the library's parser when it is a str."""
    return fraction_of(_ntkexact._rational(rational(value, name), name))


def integer(value, name):
    """value as a Python int (numpy integers included, bool refused)."""
    if isinstance(value, bool):
        raise TypeError(f"{name}: expected an int, not bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name}: expected an int, not {_type_name(value)}") from None


def clamp(value, limit):
    """value if |value| <= limit, else -1: an out-of-range value that the
    library rejects with its own message, and that fits in a C integer."""
    return value if -limit <= value <= limit else -1


def in_range(value, name, lo, hi):
    """The int value, which must be in lo..hi (the command line's check)."""
    v = integer(value, name)
    if not lo <= v <= hi:
        raise ValueError(f"{name}: {v} is not an integer in {lo}..{hi}")
    return v


def widths(value):
    """The profile as the library's text "n_0,n_1,...,n_d": a str is passed
    on as it is (run-length items NxK included), a sequence of ints joined."""
    if isinstance(value, str):
        return no_nul(value, "widths")
    if isinstance(value, (bytes, bytearray)) or not hasattr(value, "__iter__"):
        raise TypeError("widths: expected a str such as '10,100x10,1' or a sequence of ints, "
                        f"not {_type_name(value)}")
    items = []
    for i, w in enumerate(value):
        if isinstance(w, bool) or not hasattr(type(w), "__index__"):
            raise TypeError(f"widths: n_{i} = {w!r} is not an int")
        w = operator.index(w)
        if w.bit_length() > 256:     # too long to quote; the library takes <= 2^40
            raise ValueError(f"widths: n_{i} is a {w.bit_length()}-bit integer "
                             f"(widths are positive integers <= 2^40)")
        items.append(str(w))
    return ",".join(items)


def threads(value):
    """The worker threads: by default the number of online CPUs, as the
    command line (the results never depend on it)."""
    if value is None:
        return max(1, min(os.cpu_count() or 1, THREADS_MAX))
    return clamp(integer(value, "threads"), INT_MAX)


def precision(value, double):
    """The bits of the floating-point mode, 0 for the exact one."""
    if not isinstance(double, bool):
        raise TypeError(f"double: expected True or False, not {_type_name(double)}")
    if double:
        if value is not None:
            raise ValueError("double: double=True means precision=53; give one of them")
        return 53
    if value is None:
        return 0
    v = integer(value, "precision")
    if not 2 <= v <= PRECISION_MAX:
        raise ValueError(f"precision: must be 2..{PRECISION_MAX} bits")
    return v


def digits(value, bits):
    """The cap on the digits of the floating-point mode (0: every digit it
    guarantees)."""
    if value is None:
        return 0
    if bits == 0:
        raise ValueError("digits: only for precision= or double=True (exact values are Fractions)")
    return in_range(value, "digits", 1, 1000)


def param(value):
    if not isinstance(value, str):
        raise TypeError(f"param: expected 'ntk' or 'standard', not {_type_name(value)}")
    if value not in PARAMS:
        raise ValueError(f"param '{no_nul(value, 'param')}' is not one of ntk, standard")
    return PARAMS[value]


def bias(value, name="bias"):
    """A flag (the argument `name`): True, False, 1 or 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        if value in (0, 1):
            return value
        raise ValueError(f"{name}: {value} is neither True nor False")
    raise TypeError(f"{name}: expected True or False, not {_type_name(value)}")


def conv(mu4, cw_hidden, cw_output, param_, bias_, activation="relu", mu6=None, mu8=None):
    """The network conventions as the extension takes them; cw_hidden None is
    the activation's critical variance 1/A_2; mu6, mu8 None are the
    library's defaults (Gaussian)."""
    if not isinstance(activation, str):
        raise TypeError(f"activation: expected a str such as 'leaky:1/2', not {_type_name(activation)}")
    return (rational(mu4, "mu4"), None if cw_hidden is None else rational(cw_hidden, "cw_hidden"),
            rational(cw_output, "cw_output"), param(param_), bias(bias_),
            no_nul(activation, "activation"), None if mu6 is None else rational(mu6, "mu6"),
            None if mu8 is None else rational(mu8, "mu8"))


#: The sixth and eighth moments of the laws with mu4 3 and 9/5.
LAW_HIGHER = {fractions.Fraction(3): (fractions.Fraction(15), fractions.Fraction(105)),
              fractions.Fraction(9, 5): (fractions.Fraction(27, 7), fractions.Fraction(9))}


def law_moments(mu4, mu6, mu8, order_, keyword="order"):
    """mu6 and mu8 for the moments of order_ (the argument `keyword`), as the
    command: when not given, those of the Gaussian law (mu4 = 3) or of the
    uniform one (mu4 = 9/5, with a warning); for another mu4 they are
    required."""
    import warnings
    # a value given is checked, or refused where no moment uses it
    if order_ < 3 and mu6 is not None:
        raise ValueError(f"mu6: applies with {keyword}=3|4 (the moments up to E[K^2] use mu4 only)")
    if order_ < 4 and mu8 is not None:
        raise ValueError(f"mu8: applies with {keyword}=4 (the moments up to E[K^3] use mu4 and mu6 "
                         f"only)")
    out = [mu6, mu8]
    for k, (name, given) in enumerate((("mu6", mu6), ("mu8", mu8))):
        if given is not None or order_ < 3 + k:
            continue
        m4 = exact(mu4, "mu4")
        if m4 not in LAW_HIGHER:
            what = "update=True" if keyword == "update" else f"{keyword}={order_}"
            raise ValueError(f"{name}: required with {what} and mu4={m4} (the default is "
                             f"the Gaussian law's for mu4 = 3, the uniform law's for mu4 = 9/5)")
        out[k] = LAW_HIGHER[m4][k]
        if m4 == fractions.Fraction(9, 5):
            warnings.warn(f"{name} not given: the uniform law's {out[k]} (mu4 = 9/5)", stacklevel=3)
    return out[0], out[1]


def order(order_, name="order"):
    """The order of the moments (the argument `name`): 2, 3 or 4."""
    return in_range(order_, name, 2, 4)


#: The largest depth of expand() at moments 3 and 4, and the time there (as
#: the command's message).
EXPAND_DEPTH_MAX = {3: (_ntkexact.EXPAND_DEPTH_MAX3, "10"), 4: (_ntkexact.EXPAND_DEPTH_MAX4, "20")}


def expand_moments(moments, depth, mu6, mu8, exact=True):
    """The moment order of expand(), checked with the depth (of the exact
    function of n: exact=True) and the law's higher moments given, as
    `ntkexact expand --moments K`."""
    k = order(moments, "moments")
    if k < 3 and mu6 is not None:
        raise ValueError("mu6: applies with moments=3|4 (the moments up to E[K^2] use mu4 only)")
    if k < 4 and mu8 is not None:
        raise ValueError("mu8: applies with moments=4")
    if exact and k >= 3 and depth > EXPAND_DEPTH_MAX[k][0]:
        cap, seconds = EXPAND_DEPTH_MAX[k]
        raise ValueError(f"depth: with moments={k} the exact function of n is computed up to "
                         f"depth {cap}, not {depth} (there about {seconds} s; the time grows "
                         f"like D^3 or faster)")
    return k


def is_symbolic(x2):
    return isinstance(x2, str) and x2 == "symbolic"


METHODS = {"auto": 0, "full": 1, "projected": 2}


def method(method_, law_id):
    """The sampling method's id (the library's ntk_sample_method_t), as
    --method: the projected method needs Gaussian weights."""
    if not isinstance(method_, str):
        raise TypeError(f"method: expected 'auto', 'full' or 'projected', not {_type_name(method_)}")
    if method_ not in METHODS:
        raise ValueError(f"method '{no_nul(method_, 'method')}' is not one of auto, full, projected")
    if method_ == "projected" and law_id != 0:
        raise ValueError("method: the projected method needs Gaussian weights (it rests on their "
                         "rotation invariance); the uniform law takes the full method")
    return METHODS[method_]


def law(law_, mu4):
    """The sampler's weight law (0 Gaussian, 1 uniform) and its mu4, from
    law= or mu4= (which must agree when both are given), as the command."""
    if law_ is None:
        if mu4 is None:
            return 0, LAW_MU4["gaussian"]
        return _ntkexact._law_of_mu4(rational(mu4, "mu4")), mu4
    if not isinstance(law_, str):
        raise TypeError(f"law: expected 'gaussian' or 'uniform', not {_type_name(law_)}")
    if law_ not in LAWS:
        raise ValueError(f"law '{no_nul(law_, 'law')}' is not one of gaussian, uniform")
    want = LAW_MU4[law_]
    if mu4 is not None and exact(mu4, "mu4") != want:
        raise ValueError(f"law {law_} and mu4 disagree: the {law_} law has mu4 = {want}")
    return LAWS[law_], want

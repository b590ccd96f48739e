#!/usr/bin/python3
"""The closed forms of the depth-to-width limits of the moments of order 3
and 4 (doc/derivation.md, section 8, "The moments of order 3 and 4"),
written independently of src/lib/limit/limit_moments.c, for every
scale-invariant activation (slopes a_plus, a_minus): r = A_4/A_2^2 and
A_2 = (a_plus^2 + a_minus^2)/2 (ReLU: r = 2, A_2 = 1/2).

Continuum states: (marks placed, pairing of the present paths), with the
pairings enumerated explicitly (no reduction).  Per unit of t = layer/n the
generator is
    G(pi, pi)  = (r - 1) C(m,2)    (m present pairs: -C(m,2) from the falling
                                    factorial, +r per pair of pairs that merge
                                    into a 4-block and split back the same way)
    G(pi, pi') = r                  pi' = pi with two pairs re-paired
plus the marks: a pending weight mark whose paths form a pair of pi is placed
with rate 1; a pending bias mark is born as a new pair with rate A_2.
Start: each pairing of the full paths; end: every pairing of all paths.
Then C_ab(beta) = start' exp(beta M) end is the limit of
E[K_w^a K_b'^b] / (n^(a+b) c_d^(a+b) a^a), and C_N(k) that of
E[N^(2k)] / (c_d a)^k.

Each f(beta) is an exponential polynomial sum_lambda P_lambda(beta)
e^(lambda beta); its exponents are the eigenvalues of G on m <= k pairs,
-C(m,2) + r (m^2 - 2m + content(2 mu))/2 for the partitions mu of m (ReLU:
C(m,2) - m + content(2 mu)); the coefficients of P_lambda (degree < k + 2)
are solved exactly from as many Taylor coefficients start' M^j end, and 10
more are checked.  The exponents depend on r, and for some r two of them
meet (r = 1: 3r - 1 = 8r - 6 and -1 = 5r - 6; r = 2: 3r - 1 = 4r - 3; r = 3/2:
11r - 6 = 9r - 3), where the coefficients as functions of r have poles: there
is no one formula in r, and the fit is made for each rational r.

Usage: python3 doc/tools/limit_moments_closed_form.py
           (ReLU: prints the forms and the table of
           src/lib/limit/limit_moments_closed_form.c)
       python3 doc/tools/limit_moments_closed_form.py --slopes A,B [--moments K]
           (the forms for slopes A, B, up to the moments of order K = 3 or 4)
       python3 doc/tools/limit_moments_closed_form.py --slopes A,B --moments K
           --values BETA A C_D BIAS DIGITS
           (the values E[K^k]/d^k, E[K^k]/E[K]^k, E[N^2k]/E[N^2]^k, k = 3..K, in
           the order of 'ntkexact limit --moments K', to DIGITS digits, from the
           closed forms; BIAS is 1 or 0)"""
from fractions import Fraction as Fr
from itertools import combinations
from math import comb, factorial
import sys
import mpmath
import sympy as sp


def pairings(paths):
    paths = sorted(paths)
    if not paths:
        yield ()
        return
    a = paths[0]
    for j in range(1, len(paths)):
        b = paths[j]
        rest = paths[1:j] + paths[j + 1:]
        for r in pairings(rest):
            yield tuple(sorted(((a, b),) + r))


def repairings(pi):
    out = []
    for i, j in combinations(range(len(pi)), 2):
        (a, b), (c, d) = pi[i], pi[j]
        rest = [pi[k] for k in range(len(pi)) if k not in (i, j)]
        for new in (((a, c), (b, d)), ((a, d), (b, c))):
            out.append(tuple(sorted(rest + [tuple(sorted(x)) for x in new])))
    return out


def term_marks(a, b):
    return [('w', 2 * j, 2 * j + 1) for j in range(a)] + \
           [('b', 2 * (a + j), 2 * (a + j) + 1) for j in range(b)]


def generator(n_paths, marks, bias=True, r=Fr(2), a2=Fr(1, 2)):
    """Sparse M: dict state -> list of (state', rate)."""
    full = [p for p in range(n_paths)
            if not any(k == 'b' and p in (x, y) for k, x, y in marks)]
    nm = len(marks)
    M = {}
    todo = []
    start = [((0, pi), 1) for pi in pairings(full)]
    seen = set(s for s, _ in start)
    todo = [s for s, _ in start]
    while todo:
        st = todo.pop()
        done, pi = st
        m = len(pi)
        out = [((done, pi), (r - 1) * comb(m, 2))]
        for pi2 in repairings(pi):
            out.append(((done, pi2), r))
        for k, (kind, p, q) in enumerate(marks):
            if (done >> k) & 1:
                continue
            if kind == 'w' and (min(p, q), max(p, q)) in pi:
                out.append(((done | 1 << k, pi), Fr(1)))
            if kind == 'b' and bias:
                out.append(((done | 1 << k, tuple(sorted(pi + ((p, q),)))), a2))
        agg = {}
        for s2, rate in out:
            agg[s2] = agg.get(s2, 0) + rate
        M[st] = [(s2, rate) for s2, rate in agg.items() if rate != 0]
        for s2 in agg:
            if s2 not in seen:
                seen.add(s2)
                todo.append(s2)
    end = {s: 1 for s in M if s[0] == (1 << nm) - 1 and len(s[1]) * 2 == n_paths}
    return M, start, end, len(full) // 2


def taylor(M, start, end, J):
    """start' M^j end for j < J (end weights 1 per pair-complete state; the
    c_d^k and a^(f/2) factors are applied by the caller)."""
    v = dict(end)
    out = []
    for j in range(J):
        out.append(sum(w * v.get(s, 0) for s, w in start))
        nv = {}
        for s, row in M.items():
            t = 0
            for s2, r in row:
                x = v.get(s2)
                if x:
                    t += r * x
            if t:
                nv[s] = t
        v = nv
    return out


def exponents(max_pairs, r=Fr(2)):
    """The distinct eigenvalues of G on m <= max_pairs pairs."""
    lam = set()
    for m in range(0, max_pairs + 1):
        for mu in sp.utilities.iterables.partitions(m):
            parts = sorted([k for k, c in mu.items() for _ in range(c)], reverse=True) if m else []
            content = 0
            for i, row in enumerate(parts):
                for j in range(2 * row):
                    content += j - i
            lam.add(-comb(m, 2) + r * (m * m - 2 * m + content) / 2)
    return sorted(lam)


def solve(A, b):
    """x with A x = b, exactly (Fractions, Gauss-Jordan)."""
    n = len(b)
    A = [row[:] + [b[i]] for i, row in enumerate(A)]
    for c in range(n):
        p = next(i for i in range(c, n) if A[i][c] != 0)
        A[c], A[p] = A[p], A[c]
        piv = A[c][c]
        A[c] = [x / piv for x in A[c]]
        for i in range(n):
            if i != c and A[i][c] != 0:
                f = A[i][c]
                A[i] = [x - f * y for x, y in zip(A[i], A[c])]
    return [A[i][n] for i in range(n)]


def fit_exp_poly(coeffs, lams, mult):
    """Exact exponential polynomial sum c_{l,i} beta^i e^{l beta} with the
    given Taylor coefficients f^(j)(0): {(l, i): c}, the zero c left out."""
    unknowns = [(l, i) for l in lams for i in range(mult)]
    N = len(unknowns)
    assert len(coeffs) >= N + 8

    def basis(j, u):
        l, i = unknowns[u]
        # d^j/dbeta^j of beta^i e^{l beta} at 0 = j!/(j-i)! l^(j-i)
        return Fr(factorial(j) // factorial(j - i)) * Fr(l) ** (j - i) if j >= i else Fr(0)
    sol = solve([[basis(j, u) for u in range(N)] for j in range(N)], list(coeffs[:N]))
    for j in range(N, len(coeffs)):
        assert sum(sol[u] * basis(j, u) for u in range(N)) == coeffs[j], 'fit failed'
    return {unknowns[u]: sol[u] for u in range(N) if sol[u] != 0}


def as_sympy(form):
    b = sp.Symbol('beta')
    return sp.expand(sum(sp.Rational(c.numerator, c.denominator) * b ** i
                         * sp.exp(sp.Rational(l.numerator, l.denominator) * b)
                         for (l, i), c in form.items()))


def closed_forms(order_max=4, bias=True, r=Fr(2), a2=Fr(1, 2), orders=None):
    """C[(a,b)]: the limit of E[K_w^a K_b'^b] / (n^(a+b) c_d^(a+b) a^a), and
    C[('N', k)] that of E[N^(2k)] / (c_d a)^k, as {(lambda, power): coefficient}."""
    out = {}
    for tot in (orders or range(1, order_max + 1)):
        lams = exponents(tot, r)
        for a in range(tot + 1):
            b = tot - a
            M, start, end, f = generator(2 * tot, term_marks(a, b), bias, r, a2)
            mult = tot + 2
            N = len(lams) * mult
            co = taylor(M, start, end, N + 10)
            out[(a, b)] = fit_exp_poly(co, lams, mult)
    for k in sorted({1} | set(orders or range(1, order_max + 1))):
        M, start, end, f = generator(2 * k, [], True, r, a2)
        lams = exponents(k, r)
        co = taylor(M, start, end, 2 * len(lams) + 10)
        out[('N', k)] = fit_exp_poly(co, lams, 2)
    return out


def values(C, moments, beta, a, c, lb, digits):
    """The values of order 3 .. moments of 'ntkexact limit' from the forms."""
    mp = mpmath.mp
    mp.dps = digits + 30
    b = mp.mpf(beta.numerator) / beta.denominator
    av = mp.mpf(a.numerator) / a.denominator
    cv = mp.mpf(c.numerator) / c.denominator

    def ev(form):
        return sum(mp.mpf(co.numerator) / co.denominator * b ** i
                   * mp.exp(mp.mpf(l.numerator) / l.denominator * b)
                   for (l, i), co in form.items())

    def t(i, j):
        return ev(C[(i, j)]) * av ** i * lb ** j
    ek = t(1, 0) + t(0, 1)
    out = []
    for k in range(3, moments + 1):
        s = sum(comb(k, i) * t(i, k - i) for i in range(k + 1))
        out += [s * cv ** k / b ** k, s / ek ** k, ev(C[('N', k)]) / ev(C[('N', 1)]) ** k]
    return [mp.nstr(v, digits) for v in out]


def c_table(C):
    """Rows { kind, i, j, lambda, power, "coefficient" } of the C table."""
    b = sp.Symbol('beta')
    rows = []
    keys = [(1, 0), (0, 1)] + [(i, t - i) for t in (3, 4) for i in range(t, -1, -1)]
    for key in keys + [('N', 1), ('N', 3), ('N', 4)]:
        f = sp.expand(C[key])
        for term in sp.Add.make_args(f):
            coeff, lam, power = sp.Integer(1), 0, 0
            for fac in sp.Mul.make_args(term):
                if fac.func == sp.exp:
                    lam = fac.args[0] / b
                elif fac.has(b):
                    power = sp.degree(fac, b)
                else:
                    coeff *= fac
            rows.append((key, int(lam), int(power), sp.Rational(coeff)))
    rows.sort(key=lambda r: (str(r[0]), -r[1], -r[2]))
    return rows


def slopes_arg(text):
    ap, am = (Fr(x) for x in text.split(','))
    a2 = (ap ** 2 + am ** 2) / 2
    return (ap ** 4 + am ** 4) / 2 / a2 ** 2, a2


if __name__ == '__main__':
    args = sys.argv[1:]
    if not args:
        C = {k: as_sympy(v) for k, v in closed_forms(4).items()}
        b = sp.Symbol('beta')
        for key, v in C.items():
            print('/*', key, '=', sp.factor_terms(sp.collect(v, [sp.exp(l * b) for l in range(-10, 40)])), '*/')
        for key, lam, power, c in c_table(C):
            kind, i, j = (1, 0, key[1]) if key[0] == 'N' else (0, key[0], key[1])
            print('    { %d, %d, %d, %d, %d, "%s" },' % (kind, i, j, lam, power, c))
        sys.exit(0)
    opts = dict(zip(args[0::2], args[1::2]))
    r, a2 = slopes_arg(opts['--slopes'])
    moments = int(opts.get('--moments', 4))
    if '--values' in args:
        beta, a, c, bias, digits = args[args.index('--values') + 1:][:5]
        C = closed_forms(moments, bias == '1', r, a2, orders=[1] + list(range(3, moments + 1)))
        print(','.join(values(C, moments, Fr(beta), Fr(a), Fr(c), 1, int(digits))))
        sys.exit(0)
    C = closed_forms(moments, True, r, a2)
    print('# r = A_4/A_2^2 = %s, A_2 = %s; exponents %s' % (r, a2, ', '.join(map(str, exponents(moments, r)))))
    for key, form in C.items():
        print(key, '=', as_sympy(form))

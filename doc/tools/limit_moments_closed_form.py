#!/usr/bin/python3
"""The closed forms of the depth-to-width limits of the moments of order 3
and 4 (doc/derivation.md, section 8, "The moments of order 3 and 4"),
written independently of src/lib/limit/limit_moments.c, for ReLU (A_4/A_2^2 = 2,
A_2 = 1/2).

Continuum states: (marks placed, pairing of the present paths), with the
pairings enumerated explicitly (no reduction).  Per unit of t = layer/n the
generator is
    G(pi, pi)  = C(m,2)            (m present pairs: -C(m,2) from the falling
                                    factorial, +2 per pair of pairs that merge
                                    into a 4-block and split back the same way)
    G(pi, pi') = 2                  pi' = pi with two pairs re-paired
plus the marks: a pending weight mark whose paths form a pair of pi is placed
with rate 1; a pending bias mark is born as a new pair with rate 1/2.
Start: each pairing of the full paths; end: every pairing of all paths.
Then C_ab(beta) = start' exp(beta M) end is the limit of
E[K_w^a K_b'^b] / (n^(a+b) c_d^(a+b) a^a), and C_N(k) that of
E[N^(2k)] / (c_d a)^k.

Each f(beta) is an exponential polynomial sum_lambda P_lambda(beta)
e^(lambda beta); its exponents are the eigenvalues of G on m <= k pairs,
C(m,2) - m + content(2 mu) for the partitions mu of m; the coefficients of
P_lambda (degree < k + 2) are solved exactly from as many Taylor
coefficients start' M^j end, and 10 more are checked.

Usage: python3 doc/tools/limit_moments_closed_form.py   (prints the forms and
the table of src/lib/limit/limit_moments_closed_form.c)"""
from fractions import Fraction as Fr
from itertools import combinations
from math import comb, factorial
import sys
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


def generator(n_paths, marks, bias=True):
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
        out = [((done, pi), Fr(comb(m, 2)))]
        for pi2 in repairings(pi):
            out.append(((done, pi2), Fr(2)))
        for k, (kind, p, q) in enumerate(marks):
            if (done >> k) & 1:
                continue
            if kind == 'w' and (min(p, q), max(p, q)) in pi:
                out.append(((done | 1 << k, pi), Fr(1)))
            if kind == 'b' and bias:
                out.append(((done | 1 << k, tuple(sorted(pi + ((p, q),)))), Fr(1, 2)))
        agg = {}
        for s2, r in out:
            agg[s2] = agg.get(s2, 0) + r
        M[st] = list(agg.items())
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


def exponents(max_pairs):
    lam = set()
    for m in range(0, max_pairs + 1):
        for mu in sp.utilities.iterables.partitions(m):
            parts = sorted([k for k, c in mu.items() for _ in range(c)], reverse=True) if m else []
            content = 0
            for i, r in enumerate(parts):
                for j in range(2 * r):
                    content += j - i
            lam.add(comb(m, 2) - m + content)
    return sorted(lam)


def fit_exp_poly(coeffs, lams, mult):
    """Exact exponential polynomial sum c_{l,i} beta^i e^{l beta} with the
    given Taylor coefficients f^(j)(0)."""
    unknowns = [(l, i) for l in lams for i in range(mult)]
    N = len(unknowns)
    assert len(coeffs) >= N + 8
    A = sp.Matrix(N, N, lambda j, u: sp.ff(j, unknowns[u][1]) * sp.Integer(unknowns[u][0]) ** (j - unknowns[u][1])
                  if j >= unknowns[u][1] else 0)
    rhs = sp.Matrix([sp.Rational(c.numerator, c.denominator) for c in coeffs[:N]])
    sol = A.LUsolve(rhs)
    # check the remaining Taylor coefficients
    for j in range(N, len(coeffs)):
        val = sum(sol[u] * (sp.ff(j, unknowns[u][1]) * sp.Integer(unknowns[u][0]) ** (j - unknowns[u][1])
                            if j >= unknowns[u][1] else 0) for u in range(N))
        assert val == sp.Rational(coeffs[j].numerator, coeffs[j].denominator), 'fit failed'
    b = sp.Symbol('beta')
    return sp.expand(sum(sol[u] * b ** unknowns[u][1] * sp.exp(unknowns[u][0] * b) for u in range(N)))


def closed_forms(order_max=4, bias=True):
    """C[(a,b)](beta): the limit of E[K_w^a K_b'^b] / (n^(a+b) c_d^(a+b) a^a)."""
    out = {}
    for tot in range(1, order_max + 1):
        lams = exponents(tot)
        for a in range(tot + 1):
            b = tot - a
            M, start, end, f = generator(2 * tot, term_marks(a, b), bias)
            mult = tot + 2
            N = len(lams) * mult
            co = taylor(M, start, end, N + 10)
            out[(a, b)] = fit_exp_poly(co, lams, mult)
    for k in range(1, order_max + 1):
        M, start, end, f = generator(2 * k, [])
        co = taylor(M, start, end, 30)
        out[('N', k)] = fit_exp_poly(co, exponents(k), 2)
    return out


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


if __name__ == '__main__':
    C = closed_forms(4)
    b = sp.Symbol('beta')
    for key, v in C.items():
        print('/*', key, '=', sp.factor_terms(sp.collect(v, [sp.exp(l * b) for l in range(-10, 40)])), '*/')
    for key, lam, power, c in c_table(C):
        kind, i, j = (1, 0, key[1]) if key[0] == 'N' else (0, key[0], key[1])
        print('    { %d, %d, %d, %d, %d, "%s" },' % (kind, i, j, lam, power, c))

"""The NTK of two inputs at infinite width and the coefficients of 1/n_l of its
moments (doc/derivation.md, section 16), written independently of
src/lib/kernel: the Gaussian integrals are SymPy's own (the orthant moments
integrated symbolically, the derivatives with respect to the covariance by
symbolic differentiation of arccos(G_01/sqrt(G_00 G_11))), the Stein vectors
are G^-1 E[z f(z)], and the numbers are mpmath floats (no error bounds).  It
was used to validate the recursion before the C code was written: at x' = x
against `ntkexact expand`, at depth 2 against a two-dimensional quadrature,
per layer against exact `moments` at large widths, and against a NumPy Monte
Carlo of real networks.  Nondegenerate inputs only (0 < angle < pi, both
inputs non-zero).

Usage: python3 doc/tools/kernel_recursion.py --widths 3,100x3,1 --x2 1 --y2 2 --xy 3/5
           [--activation relu|leaky:A|slopes:P,M] [--cw-hidden Q] [--cw-output Q]
           [--no-bias] [--param ntk|standard] [--digits D]"""
import argparse
import fractions
import functools
import itertools
import mpmath as mp
import sympy as sp

th, phi = sp.symbols("theta phi", real=True)
q0s, q1s, cs = sp.symbols("q0 q1 c", positive=True)


@functools.lru_cache(None)
def orthant(p, q):
    """E[u^p v^q; u > 0, v > 0], u, v standard with correlation cos(theta)."""
    f = sp.expand(sp.cos(phi) ** p * (sp.cos(phi) * sp.cos(th) + sp.sin(phi) * sp.sin(th)) ** q)
    integral = sp.integrate(f, (phi, th - sp.pi / 2, sp.pi / 2))
    m = p + q
    radial = 2 ** sp.Rational(m, 2) * sp.gamma(1 + sp.Rational(m, 2))
    return sp.simplify(radial * integral / (2 * sp.pi))


@functools.lru_cache(None)
def gauss_funcs(f0, f1):
    """E[F0(z0) F1(z1)] with F(z) = alpha+ z^p (z > 0), alpha- z^p (z < 0),
    f = (p, alpha+, alpha-): value, gradient and Hessian in (q0, c, q1)."""
    (p0, ap0, am0), (p1, ap1, am1) = f0, f1
    al0, al1 = {1: ap0, -1: am0}, {1: ap1, -1: am1}
    tot = 0
    for s0, s1 in itertools.product((1, -1), repeat=2):
        if s0 == s1:
            o = orthant(p0, p1) * (1 if s0 == 1 else (-1) ** (p0 + p1))
        else:
            o = orthant(p0, p1).subs(th, sp.pi - th) * ((-1) ** p1 if s0 == 1 else (-1) ** p0)
        tot += al0[s0] * al1[s1] * o
    e = q0s ** sp.Rational(p0, 2) * q1s ** sp.Rational(p1, 2) * tot
    e = e.subs(th, sp.acos(cs / sp.sqrt(q0s * q1s)))
    x = [q0s, cs, q1s]
    val = sp.lambdify(x, e, "mpmath")
    grad = [sp.lambdify(x, sp.diff(e, v), "mpmath") for v in x]
    hess = [[sp.lambdify(x, sp.diff(e, v, w), "mpmath") for w in x] for v in x]
    return val, grad, hess


class Layer:
    """The Gaussian integrals over z ~ N(0, G) of products of sigma ('s'),
    sigma' ('d') and z ('z') at the inputs 0, 1."""

    def __init__(self, ap, am, G):
        self.a_plus, self.a_minus = ap, am
        self.x = [G[0][0], G[0][1], G[1][1]]
        self.G = mp.matrix([[G[0][0], G[0][1]], [G[1][0], G[1][1]]])

    def factors(self, ops):
        f = []
        for a in range(2):
            p = sum(1 for k, b in ops if b == a and k in "sz")
            e = sum(1 for k, b in ops if b == a and k in "sd")
            f.append((p, self.a_plus ** e, self.a_minus ** e))
        return tuple(f)

    def E(self, ops):
        return gauss_funcs(*self.factors(ops))[0](*self.x)

    def grad(self, ops):
        return [g(*self.x) for g in gauss_funcs(*self.factors(ops))[1]]

    def hess(self, ops):
        return [[h(*self.x) for h in row] for row in gauss_funcs(*self.factors(ops))[2]]

    def stein(self, ops):
        """E[grad f] = G^-1 E[z f]."""
        v = mp.matrix([self.E(ops + [("z", e)]) for e in range(2)])
        r = mp.lu_solve(self.G, v)
        return [r[0], r[1]]


PAIRS = [(0, 0), (0, 1), (1, 1)]
PI = {p: i for i, p in enumerate(PAIRS)}


def kernel(widths, X, ap, am, cw, co, bias=True, param="ntk"):
    """widths n_0..n_d, X the 2 x 2 Gram matrix of the inputs.  Returns the
    infinite-width NTK and NNGP kernel and the coefficients of 1/n_l (lists
    over the hidden layers) of E[K], E[N N] and Cov[K_p, K_r]."""
    d = len(widths) - 1
    H = max(d - 1, 1)
    lb = 1 if bias else 0

    def c(l):
        return mp.mpf(co) if l == d else mp.mpf(cw)

    def mu(l):
        return mp.mpf(1) if param == "ntk" else mp.mpf(widths[l - 1]) / c(l)

    def vec():
        return mp.matrix([0] * H)

    G0 = [[c(1) * X[a][b] / widths[0] for b in range(2)] for a in range(2)]
    T0 = [[mp.mpf(0)] * 2 for _ in range(2)]
    G1 = [vec() for _ in range(3)]
    T1 = [vec() for _ in range(3)]
    C = [[vec() for _ in range(6)] for _ in range(6)]      # (G00, G01, G11, T00, T01, T11)
    Phi = {p: [[vec(), vec()], [vec(), vec()]] for p in PAIRS}
    Psi = {t: vec() for t in itertools.product(range(2), repeat=4)}
    for l in range(0, d - 1):      # interface l -> l + 1, the layer of width n_{l+1}
        cp, m, src = c(l + 2), mu(l + 1), l
        Th = [[lb + m * G0[a][b] + T0[a][b] for b in range(2)] for a in range(2)]
        L = Layer(ap, am, G0)
        g = {p: L.E([("s", p[0]), ("s", p[1])]) for p in PAIRS}
        j = {p: L.E([("d", p[0]), ("d", p[1])]) for p in PAIRS}
        dg = {p: L.grad([("s", p[0]), ("s", p[1])]) for p in PAIRS}
        dj = {p: L.grad([("d", p[0]), ("d", p[1])]) for p in PAIRS}
        hg = {p: L.hess([("s", p[0]), ("s", p[1])]) for p in PAIRS}
        hj = {p: L.hess([("d", p[0]), ("d", p[1])]) for p in PAIRS}
        nG0 = [[cp * g[(min(a, b), max(a, b))] for b in range(2)] for a in range(2)]
        nT0 = [[cp * j[(min(a, b), max(a, b))] * Th[a][b] for b in range(2)] for a in range(2)]
        nG1, nT1 = [], []
        for p in PAIRS:
            a, b = p
            ip = PI[p]
            v = sum((dg[p][i] * G1[i] for i in range(3)), vec())
            v += sum((hg[p][i][k] * C[i][k] for i in range(3) for k in range(3)), vec()) / 2
            nG1.append(cp * v)
            w = sum((dj[p][i] * G1[i] for i in range(3)), vec()) * Th[a][b]
            w += j[p] * (m * G1[ip] + T1[ip])
            w += sum((hj[p][i][k] * C[i][k] for i in range(3) for k in range(3)), vec()) * (Th[a][b] / 2)
            w += sum((dj[p][i] * (m * C[i][ip] + C[i][3 + ip]) for i in range(3)), vec())
            F = Phi[p]
            w += 2 * F[0][0] * dj[p][0] + 2 * F[1][1] * dj[p][2] + (F[0][1] + F[1][0]) * dj[p][1]
            nT1.append(cp * w)
        J = [[mp.mpf(0)] * 6 for _ in range(6)]
        for p in PAIRS:
            ip = PI[p]
            a, b = p
            for i in range(3):
                J[ip][i] = cp * dg[p][i]
                J[3 + ip][i] = cp * (dj[p][i] * Th[a][b] + (j[p] * m if i == ip else 0))
            J[3 + ip][3 + ip] = cp * j[p]
        S = [[mp.mpf(0)] * 6 for _ in range(6)]
        for p in PAIRS:
            for r in PAIRS:
                ip, ir = PI[p], PI[r]
                S[ip][ir] = cp ** 2 * (L.E([("s", p[0]), ("s", p[1]), ("s", r[0]), ("s", r[1])]) - g[p] * g[r])
                S[3 + ip][ir] = cp ** 2 * (L.E([("d", p[0]), ("d", p[1]), ("s", r[0]), ("s", r[1])])
                                           - j[p] * g[r]) * Th[p[0]][p[1]]
                S[ir][3 + ip] = S[3 + ip][ir]
                S[3 + ip][3 + ir] = cp ** 2 * (L.E([("d", p[0]), ("d", p[1]), ("d", r[0]), ("d", r[1])])
                                               - j[p] * j[r]) * Th[p[0]][p[1]] * Th[r[0]][r[1]]
        nC = [[vec() for _ in range(6)] for _ in range(6)]
        for u in range(6):
            for v in range(6):
                acc = vec()
                for i in range(6):
                    for k in range(6):
                        if J[u][i] != 0 and J[v][k] != 0:
                            acc += J[u][i] * J[v][k] * C[i][k]
                acc[src] += S[u][v]
                nC[u][v] = acc
        nPhi = {}
        for p in PAIRS:
            a, b = p
            M = [[vec(), vec()], [vec(), vec()]]
            for gm in range(2):
                for dl in range(2):
                    eg, ed = L.stein([("s", gm), ("d", a)]), L.stein([("s", dl), ("d", b)])
                    acc = vec()
                    for e1 in range(2):
                        for e2 in range(2):
                            acc += eg[e1] * Phi[p][e1][e2] * ed[e2]
                    acc *= cp ** 2
                    acc[src] += cp ** 2 * L.E([("s", gm), ("d", a), ("d", b), ("s", dl)]) * Th[a][b]
                    M[gm][dl] = acc
            nPhi[p] = M
        nPsi = {}
        for t, v in Psi.items():
            a, b, cc, dd = t
            acc = cp ** 2 * L.E([("d", a), ("d", dd)]) * L.E([("d", b), ("d", cc)]) * v
            acc[src] += cp ** 2 * L.E([("d", a), ("d", b), ("d", cc), ("d", dd)]) * Th[a][b] * Th[cc][dd]
            nPsi[t] = acc
        G0, T0, G1, T1, C, Phi, Psi = nG0, nT0, nG1, nT1, nC, nPhi, nPsi
    md = mu(d)
    out = {"Sigma": G0, "Theta": [[lb + md * G0[a][b] + T0[a][b] for b in range(2)] for a in range(2)],
           "E_K": {p: md * G1[PI[p]] + T1[PI[p]] for p in PAIRS},
           "E_NN": {p: G1[PI[p]] for p in PAIRS}, "Cov": {}}
    for p in PAIRS:
        for r in PAIRS:
            ip, ir = PI[p], PI[r]
            v = md * md * C[ip][ir] + md * C[ip][3 + ir] + md * C[3 + ip][ir] + C[3 + ip][3 + ir]
            v += Psi[(p[0], p[1], r[0], r[1])] + Psi[(p[0], p[1], r[1], r[0])]
            out["Cov"][(p, r)] = v
    if d == 1:
        for key in ("E_K", "E_NN"):
            out[key] = {p: mp.matrix([0]) * 0 for p in PAIRS}
    return out


def widths_of(spec):
    out = []
    for item in spec.split(","):
        if "x" in item:
            n, k = item.split("x")
            out += [int(n)] * int(k)
        else:
            out.append(int(item))
    return out


def rat(s):
    f = fractions.Fraction(s)
    return f


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--widths", required=True)
    ap.add_argument("--x2", default="1")
    ap.add_argument("--y2")
    ap.add_argument("--xy", required=True)
    ap.add_argument("--activation", default="relu")
    ap.add_argument("--cw-hidden")
    ap.add_argument("--cw-output", default="1")
    ap.add_argument("--no-bias", action="store_true")
    ap.add_argument("--param", default="ntk")
    ap.add_argument("--digits", type=int, default=20)
    a = ap.parse_args()
    mp.mp.dps = a.digits + 20
    act = a.activation
    if act == "relu":
        ps, ms = "1", "0"
    elif act == "linear":
        ps, ms = "1", "1"
    elif act == "abs":
        ps, ms = "1", "-1"
    elif act.startswith("leaky:"):
        ps, ms = "1", act[6:]
    else:
        ps, ms = act[7:].split(",")
    apr, amr = sp.Rational(ps), sp.Rational(ms)
    A2 = (rat(ps) ** 2 + rat(ms) ** 2) / 2
    cw = rat(a.cw_hidden) if a.cw_hidden else 1 / A2
    co = rat(a.cw_output)

    def f(q):
        return mp.mpf(q.numerator) / q.denominator

    x2, xy = rat(a.x2), rat(a.xy)
    y2 = rat(a.y2) if a.y2 else x2
    X = [[f(x2), f(xy)], [f(xy), f(y2)]]
    ws = widths_of(a.widths)
    o = kernel(ws, X, apr, amr, f(cw), f(co), not a.no_bias, a.param)
    D = a.digits
    print("Theta(x,x')", mp.nstr(o["Theta"][0][1], D))
    print("Theta(x,x) ", mp.nstr(o["Theta"][0][0], D))
    print("Theta(x',x')", mp.nstr(o["Theta"][1][1], D))
    print("Sigma(x,x')", mp.nstr(o["Sigma"][0][1], D))
    rows = [("E[K(x,x')]", o["E_K"][(0, 1)]), ("Var[K(x,x')]", o["Cov"][((0, 1), (0, 1))]),
            ("Cov[K(x,x),K(x',x')]", o["Cov"][((0, 0), (1, 1))]), ("E[N(x)N(x')]", o["E_NN"][(0, 1)]),
            ("Var[K(x,x)]", o["Cov"][((0, 0), (0, 0))]), ("Var[K(x',x')]", o["Cov"][((1, 1), (1, 1))]),
            ("Cov[K(x,x),K(x,x')]", o["Cov"][((0, 0), (0, 1))]),
            ("Cov[K(x,x'),K(x',x')]", o["Cov"][((0, 1), (1, 1))])]
    for name, v in rows:
        per = [v[i] for i in range(len(ws) - 2)]
        print(f"{name:24s} sum c_l {mp.nstr(sum(per), D)}   per layer {[mp.nstr(x, 12) for x in per]}")


if __name__ == "__main__":
    main()

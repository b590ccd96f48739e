"""Closed forms of the depth-to-width limits (doc/derivation.md, sections 8
and 11), for every scale-invariant activation, derived symbolically with SymPy (Debian's python3-sympy) from the continuum
model, written here independently of src/lib/limit/limit.c.

States: which marks are placed, and how the present paths pair up.  Between
marks the pairings of four paths move with generator G = -I + r J, where
r = A_4/A_2^2 (2 for ReLU); a weight mark W(p,q) is placed at rate 1 where
p, q are paired; a bias pair is born at rate A_2 = (a_plus^2 + a_minus^2)/2
(1/2 for ReLU); full paths start paired with weight a per pair, and end with c
per pair.  Each limit is start' exp(beta M) end.  With L = 3r - 1 and
E = e^{L beta} the results are printed in the form of src/lib/limit/limit_closed_form.c.

Usage: python3 doc/tools/limit_closed_form.py"""
import itertools
import sympy as sp

beta, a, c, r, A2 = sp.symbols("beta a c r A_2", positive=True)


def pairings(paths):
    paths = sorted(paths)
    if not paths:
        return [frozenset()]
    first, rest = paths[0], paths[1:]
    out = []
    for i, q in enumerate(rest):
        for tail in pairings(rest[:i] + rest[i + 1:]):
            out.append(frozenset({frozenset({first, q})}) | tail)
    return out


def limit(n_paths, marks):
    """marks: list of ('w'|'b', p, q)."""
    born = {p for k, p, q in marks if k == "b"} | {q for k, p, q in marks if k == "b"}
    full = [p for p in range(n_paths) if p not in born]
    states = []
    for done in itertools.product([0, 1], repeat=len(marks)):
        present = set(full)
        for (k, p, q), dn in zip(marks, done):
            if k == "b" and dn:
                present |= {p, q}
        for pr in pairings(list(present)):
            states.append((done, pr))
    idx = {s: i for i, s in enumerate(states)}
    M = sp.zeros(len(states))
    for (done, pr), i in idx.items():
        if len(pr) == 2:  # four present paths: G = -I + r J
            for (d2, p2), j in idx.items():
                if d2 == done and len(p2) == 2:
                    M[i, j] += r - 1 if p2 == pr else r
        for m, (k, p, q) in enumerate(marks):
            if done[m]:
                continue
            nd = tuple(1 if t == m else x for t, x in enumerate(done))
            if k == "w" and frozenset({p, q}) in pr:
                M[i, idx[(nd, pr)]] += 1
            if k == "b":
                M[i, idx[(nd, pr | {frozenset({p, q})})]] += A2
    E = (beta * M).exp()
    total = 0
    for (done, pr), i in idx.items():
        if any(done) or sum(2 for _ in pr) != len(full):
            continue
        for (d2, p2), j in idx.items():
            if all(d2) and 2 * len(p2) == n_paths:
                total += a ** (len(full) // 2) * E[i, j] * c ** len(p2)
    return sp.simplify(sp.expand(total))


terms = {
    "Kw": (2, [("w", 0, 1)]), "Kb": (2, [("b", 0, 1)]),
    "Kw2": (4, [("w", 0, 1), ("w", 2, 3)]), "Kb2": (4, [("b", 0, 1), ("b", 2, 3)]),
    "KwKb": (4, [("w", 0, 1), ("b", 2, 3)]),
    "Dww": (4, [("w", 0, 1), ("w", 1, 2)]), "Dwb": (4, [("b", 0, 1), ("w", 1, 2)]),
    "N2": (2, []), "N4": (4, []),
}
C = {name: limit(*t) for name, t in terms.items()}
for name, v in C.items():
    print(f"C_{name} =", sp.simplify(v))
K = sp.simplify(C["Kw"] + C["Kb"])
K2 = sp.simplify(C["Kw2"] + 2 * C["KwKb"] + C["Kb2"])
print("lim E[K]/d =", sp.simplify(K / beta))
print("lim E[K^2]/E[K]^2 =", sp.simplify(K2 / K ** 2))
print("lim E[dK]/(lambda E[K] d beta) =", sp.simplify(-2 * (C["Dww"] + 2 * C["Dwb"]) / (beta ** 2 * K)))
print("lim E[N^4]/E[N^2]^2 =", sp.simplify(C["N4"] / C["N2"] ** 2))

# The forms written in src/lib/limit/limit_closed_form.c, per unit c (one pair) or
# c^2 (two pairs), checked against the derivation above.
L, E, em = 3 * r - 1, sp.exp((3 * r - 1) * beta), sp.exp(-beta)
b = beta
written = {
    "Kw": a * b, "Kb": A2 * b,
    "Kw2": a**2 * ((9 * r**2 * b**2 + 12 * r * b - 4) * E + 4 * em) / (27 * r**2),
    "Kb2": 2 * A2**2 * (E - 1 - L * b) / L**2,
    "KwKb": A2 * a * ((3 * r * L * b + 12 * r - 2) * E - 9 * r * L * b - 18 * r**2 + 2 * L**2 * em) / (9 * r * L**2),
    "Dww": a**2 * ((9 * r**2 * b**2 - 6 * r * b + 2) * E - 2 * em) / (27 * r**2),
    "Dwb": A2 * a * ((3 * r * L * b - 6 * r + 1) * E + 9 * r**2 - L**2 * em) / (9 * r * L**2),
}
for name, v in written.items():
    pairs = 1 if name in ("Kw", "Kb") else 2
    same = sp.simplify(C[name] - v * c**pairs) == 0
    print(f"C_{name} as written in src/lib/limit/limit_closed_form.c:", "agrees" if same else "DIFFERS")

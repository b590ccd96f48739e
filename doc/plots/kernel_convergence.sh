#!/bin/sh
# The Monte Carlo convergence study of the two-input 1/n coefficients
# (doc/derivation.md, section 16.7): `ntkexact sample --xy` at hidden widths
# n = 16 .. 512 on eight geometries, against `ntkexact kernel`.  For each
# width, n (MC - Theta) for E[K(x,x')] (with K(x,x), K(x',x') as control
# variates: their exact means from `ntkexact moments`) and n Var, n Cov for
# Var[K(x,x')], Cov[K(x,x),K(x',x')]; these must approach the coefficient c
# of 1/n, and the residual n (MC - M_inf) - c must shrink like 1/n: the
# weighted fit of B n^-p to it gives the rate p.
#
# Usage: doc/plots/kernel_convergence.sh [NTKEXACT [OUTDIR]] [--samples S] [--threads T] [--replot]
#   --samples S  networks per width and geometry (default 1000000: about 7
#                minutes of one core; the study in the derivation)
#   --replot     only draw the figure again from OUTDIR/kernel_convergence.dat
# Writes kernel_convergence.svg, .png and .dat (the table) into OUTDIR and
# the study's tables (markdown) on stdout; needs gnuplot and python3.
set -e
NTK=${1:-./ntkexact}; [ $# -gt 0 ] && shift
OUT=${1:-doc/figures}; [ $# -gt 0 ] && shift
S=1000000; T=2; REPLOT=
while [ $# -gt 0 ]; do
    case $1 in
        --replot) REPLOT=1; shift ;;
        --samples) S=$2; shift 2 ;;
        --threads) T=$2; shift 2 ;;
        *) echo "kernel_convergence.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
command -v gnuplot >/dev/null || { echo "kernel_convergence.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 2; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
mkdir -p "$OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -n "$REPLOT" ] || "$PY" - "$NTK" "$tmp" "$OUT" "$S" "$T" <<'PYEOF'
import json, math, subprocess, sys
from fractions import Fraction as F
ntk, tmp, out, S, T = sys.argv[1:]
S = int(S)
WIDTHS = [16, 32, 64, 128, 256, 512]
# name, hidden layers, x2, y2, xy, extra options
GEOS = [
    ("ReLU, d = 3, cos 0.95",              2, "1", "1", "19/20", []),
    ("ReLU, d = 3, cos 0",                 2, "1", "1", "0", []),
    ("ReLU, d = 3, cos -0.95",             2, "1", "1", "-19/20", []),
    ("ReLU, d = 3, cos 0.6, y2 = 4, no biases", 2, "1", "4", "6/5", ["--no-bias"]),
    ("ReLU, d = 4, cos 0.5, no biases",    3, "1", "1", "1/2", ["--no-bias"]),
    ("ReLU, d = 4, cos -0.3",              3, "1", "1", "-3/10", []),
    ("leaky 1/5, d = 3, cos 0.3",          2, "1", "1", "3/10", ["--activation", "leaky:1/5"]),
    ("abs, d = 3, cos -0.5, y2 = 2",        2, "1", "2", "-1", ["--activation", "abs"]),
]
def run(*args):
    r = subprocess.run(["nice", "-n", "10", ntk, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"kernel_convergence.sh: {' '.join(args)}: {r.stderr}")
    return json.loads(r.stdout)
def widths(n, h):
    return f"3,{n}x{h},1"
def solve2(a, b, c, d, u, v):          # [[a b] [c d]]^-1 [u v]
    det = a * d - b * c
    return ((d * u - b * v) / det, (a * v - c * u) / det)
def fit_line(xs, ys, ss):               # y = c1 + c2 x, weighted: c1 and its error
    w = [1 / s ** 2 for s in ss]
    sw, sx, sxx = sum(w), sum(wi * x for wi, x in zip(w, xs)), sum(wi * x * x for wi, x in zip(w, xs))
    sy, sxy = sum(wi * y for wi, y in zip(w, ys)), sum(wi * x * y for wi, x, y in zip(w, xs, ys))
    det = sw * sxx - sx * sx
    return (sxx * sy - sx * sxy) / det, math.sqrt(sxx / det)
def fit_rate(ns, rs, ss):               # r = B n^-p: p and its 1-sigma range (chi^2 + 1)
    def chi(p):
        g = [n ** -p for n in ns]
        B = sum(r * gi / s ** 2 for r, gi, s in zip(rs, g, ss)) / sum(gi * gi / s ** 2 for gi, s in zip(g, ss))
        return sum(((r - B * gi) / s) ** 2 for r, gi, s in zip(rs, g, ss))
    grid = [k / 200 for k in range(0, 601)]
    chis = [chi(p) for p in grid]
    k = min(range(len(grid)), key=lambda i: chis[i])
    ok = [grid[i] for i in range(len(grid)) if chis[i] <= chis[k] + 1]
    return grid[k], min(ok), max(ok), chis[k]
rows, summary = [], []
for g, (name, h, x2, y2, xy, opts) in enumerate(GEOS):
    kern = run("kernel", "--widths", widths(64, h), "--x2", x2, "--y2", y2, "--xy", xy,
               "--digits", "12", "--format", "json", "--quiet", *opts)
    theta = float(kern["infinite_width"]["Theta_xy"])
    coef = {q: float(kern["first_order"][q]["sum"]) for q in ("E_Kxy", "Var_Kxy", "Cov_Kxx_Kyy")}
    data = {q: [] for q in coef}
    for n in WIDTHS:
        w = widths(n, h)
        exact = [F(run("moments", "--widths", w, "--x2", a, "--format", "json", "--quiet",
                       *opts)["exact"]["E_K"]) for a in (x2, y2)]
        smp = run("sample", "--widths", w, "--x2", x2, "--y2", y2, "--xy", xy, "--samples", str(S),
                  "--seed", str(1000 * g + n), "--threads", T, "--format", "json", "--quiet", *opts)
        m, se = smp["mean"], smp["stderr"]
        # control variates K(x,x), K(x',x'): beta = Sigma^-1 c
        vxx, vyy, cxy = m["Var_Kxx"], m["Var_Kyy"], m["Cov_Kxx_Kyy"]
        c1, c2 = m["Cov_Kxx_Kxy"], m["Cov_Kxy_Kyy"]
        b1, b2 = solve2(vxx, cxy, cxy, vyy, c1, c2)
        est = m["E_Kxy"] - b1 * (m["E_Kxx"] - float(exact[0])) - b2 * (m["E_Kyy"] - float(exact[1]))
        resid_var = max(m["Var_Kxy"] - (b1 * c1 + b2 * c2), 0.0)
        e_se = math.sqrt(resid_var / S)
        data["E_Kxy"].append((n, n * (est - theta), n * e_se, n * se["E_Kxy"]))
        data["Var_Kxy"].append((n, n * m["Var_Kxy"], n * se["Var_Kxy"], 0))
        data["Cov_Kxx_Kyy"].append((n, n * m["Cov_Kxx_Kyy"], n * se["Cov_Kxx_Kyy"], 0))
        for q in data:
            y, s = data[q][-1][1], data[q][-1][2]
            rows.append(f"{g} {q} {n} {y:.10g} {s:.6g} {coef[q]:.10g} {(y - coef[q]) / abs(coef[q]):.6g} {s / abs(coef[q]):.6g}")
        print(f"# {name}, n = {n}: done", file=sys.stderr)
    for q in data:
        ns = [d[0] for d in data[q]]; ys = [d[1] for d in data[q]]; ss = [d[2] for d in data[q]]
        c_fit, c_err = fit_line([1 / n for n in ns], ys, ss)
        p, plo, phi, chi2 = fit_rate(ns, [y - coef[q] for y in ys], ss)
        summary.append((name, q, coef[q], c_fit, c_err, p, plo, phi, chi2, data[q]))
with open(f"{out}/kernel_convergence.dat", "w") as f:
    f.write("# geometry quantity n value(n (MC - M_inf)) stderr coefficient relative_residual relative_stderr\n")
    for g, geo in enumerate(GEOS):
        f.write(f"# geo {g} {geo[0]}\n")
    f.write("\n".join(rows) + "\n")
# the tables, in the derivation's markdown
print(f"{S} networks per width and geometry (n_0 = 3, hidden widths n, `cw_hidden` 2 (ReLU), "
      "the critical one otherwise), E[K(x,x')] with K(x,x), K(x',x') as control variates.\n")
print("| geometry | quantity | coefficient c | " + " | ".join(f"n = {n}" for n in WIDTHS)
      + " | fit c_1 + c_2/n: c_1 | rate p of the residual |")
print("|---|---|---|" + "---|" * len(WIDTHS) + "---|---|")
for name, q, c, cf, ce, p, plo, phi, chi2, d in summary:
    cells = " | ".join(f"{y:.4g}({s:.2g})" for _, y, s, _ in d)
    print(f"| {name} | `{q}` | {c:.6g} | {cells} | {cf:.5g}({ce:.2g}) | {p:.2f} [{plo:.2f}, {phi:.2f}] |")
PYEOF
sed -n 's/^# geo [0-9]* //p' "$OUT/kernel_convergence.dat" >"$tmp/geos.txt"
geos=$(wc -l <"$tmp/geos.txt")
for term in svg png; do
    if [ $term = svg ]; then setterm="set terminal svg size 1100,500 dynamic font 'Sans,12'"; else setterm="set terminal pngcairo size 1100,500 font 'Sans,10'"; fi
    plots_e=""; plots_v=""
    g=0
    while [ $g -lt "$geos" ]; do
        name=$(sed -n "$((g + 1))p" "$tmp/geos.txt")
        plots_e="$plots_e '< grep \"^$g E_Kxy \" $OUT/kernel_convergence.dat' using 3:7:8 with yerrorlines lc $((g + 1)) title '$name',"
        plots_v="$plots_v '< grep \"^$g Var_Kxy \" $OUT/kernel_convergence.dat' using 3:(abs(\$7)):8 with yerrorlines lc $((g + 1)) notitle,"
        g=$((g + 1))
    done
    gnuplot <<GP
$setterm
set output '$OUT/kernel_convergence.$term'
set multiplot layout 1,2 title "Two inputs: n (MC - M_{inf}) against the 1/n coefficient c of 'ntkexact kernel' (ntkexact sample --xy, 10^6 networks per point)"
set grid
set logscale x 2
set xlabel 'hidden width n'
set xrange [12:700]
set key bottom right font ',9'
set ylabel '(n (E[K(x,x'')] - Theta) - c) / |c|'
plot $plots_e 0 with lines lc rgb 'black' notitle
unset key
set logscale y
set yrange [1e-4:1]
set ylabel '|n Var[K(x,x'')] - c| / c'
set format y '10^{%T}'
plot $plots_v 2/x with lines dt 2 lc rgb 'black' title '2/n'
unset multiplot
GP
done

#!/bin/sh
# E[K^2]/E[K]^2 against beta = (hidden layers)/n at hidden widths n = 10, 30, 100
# (exact), beside the depth-to-width limit F_0(beta) and the limit with its 1/n
# correction F_0(beta) + F_1(beta)/n; right panel: the relative error of each
# approximation, i.e. how much of the finite-width gap the first correction closes.
#
# Usage: doc/plots/correction.sh [NTKEXACT [OUTDIR]] [--a Q] [--n0 N] [--beta-max B]
# Writes correction.svg and correction.png into OUTDIR; needs gnuplot (gnuplot-nox) and python3.
set -e
NTK=${1:-./ntkexact}; [ $# -gt 0 ] && shift
OUT=${1:-doc/figures}; [ $# -gt 0 ] && shift
A=1/10; N0=10; BMAX=2
while [ $# -gt 0 ]; do
    case $1 in
        --a) A=$2; shift 2 ;;
        --n0) N0=$2; shift 2 ;;
        --beta-max) BMAX=$2; shift 2 ;;
        *) echo "correction.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
command -v gnuplot >/dev/null || { echo "correction.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 2; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
mkdir -p "$OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$PY" - "$NTK" "$tmp" "$A" "$N0" "$BMAX" <<'PYEOF'
import json, subprocess, sys
from fractions import Fraction as F
ntk, tmp, a, n0, bmax = sys.argv[1:]
a, n0, bmax = F(a), int(n0), F(bmax)
def run(*args):
    return json.loads(subprocess.run([ntk, *args], capture_output=True, text=True, check=True).stdout)
def limits(betas, order):
    out = []
    for k in range(0, len(betas), 200):
        chunk = betas[k:k + 200]
        out += run("limit", "--beta", ",".join(str(b) for b in chunk), "--a", str(a), "--order", str(order),
                   "--digits", "17", "--format", "json")["limits"]
    return [float(l["ratio_K2"]) for l in out]
for n in (10, 30, 100):
    hs = list(range(1, int(bmax * n) + 1))
    betas = [F(h, n) for h in hs]
    f0, f1 = limits(betas, 0), limits(betas, 1)
    with open(f"{tmp}/n{n}.dat", "w") as f:
        for h, b, l0, l1 in zip(hs, betas, f0, f1):
            d = run("moments", "--widths", f"{n0},{n}x{h},1", "--x2", str(a * n0),
                    "--precision", "128", "--format", "json", "--quiet")["decimal"]
            ex = float(d["E_K2"]) / float(d["E_K"]) ** 2
            f.write(f"{float(b)} {ex} {l0} {l0 + l1 / n} {(l0 - ex) / ex} {(l0 + l1 / n - ex) / ex}\n")
betas = [bmax * k / 200 for k in range(1, 201)]
with open(f"{tmp}/f0.dat", "w") as f:
    for b, l0 in zip(betas, limits(betas, 0)):
        f.write(f"{float(b)} {l0}\n")
PYEOF
for term in svg png; do
    if [ $term = svg ]; then setterm="set terminal svg size 1100,500 dynamic font 'Sans,12'"; else setterm="set terminal pngcairo size 1100,500 font 'Sans,10'"; fi
    gnuplot <<GP
$setterm
set output '$OUT/correction.$term'
set multiplot layout 1,2 title "E[K^2]/E[K]^2, a = x2/n_0 = $A: exact at widths n, the limit F_0 and F_0 + F_1/n"
set xlabel 'beta = (hidden layers) / n'
set grid
set key top left
set logscale y
set ylabel 'E[K^2] / E[K]^2'
plot '$tmp/f0.dat' using 1:2 with lines lw 2 lc rgb 'black' title 'F_0(beta)', \
     '$tmp/n10.dat' using 1:2 with points pt 7 ps 0.5 lc 1 title 'n = 10, exact', \
     '$tmp/n10.dat' using 1:4 with lines lw 1 dt 2 lc 1 title 'n = 10, F_0 + F_1/n', \
     '$tmp/n30.dat' using 1:2 with points pt 7 ps 0.4 lc 2 title 'n = 30, exact', \
     '$tmp/n30.dat' using 1:4 with lines lw 1 dt 2 lc 2 title 'n = 30, F_0 + F_1/n', \
     '$tmp/n100.dat' using 1:2 with points pt 7 ps 0.3 lc 3 title 'n = 100, exact', \
     '$tmp/n100.dat' using 1:4 with lines lw 1 dt 2 lc 3 title 'n = 100, F_0 + F_1/n'
set ylabel '|approximation - exact| / exact'
set key bottom right
plot '$tmp/n10.dat' using 1:(abs(\$5)) with lines lw 2 lc 1 title 'n = 10, F_0', \
     '$tmp/n10.dat' using 1:(abs(\$6)) with lines lw 1 dt 2 lc 1 title 'n = 10, F_0 + F_1/n', \
     '$tmp/n30.dat' using 1:(abs(\$5)) with lines lw 2 lc 2 title 'n = 30, F_0', \
     '$tmp/n30.dat' using 1:(abs(\$6)) with lines lw 1 dt 2 lc 2 title 'n = 30, F_0 + F_1/n', \
     '$tmp/n100.dat' using 1:(abs(\$5)) with lines lw 2 lc 3 title 'n = 100, F_0', \
     '$tmp/n100.dat' using 1:(abs(\$6)) with lines lw 1 dt 2 lc 3 title 'n = 100, F_0 + F_1/n'
unset multiplot
GP
done
echo "wrote $OUT/correction (.svg, .png)"

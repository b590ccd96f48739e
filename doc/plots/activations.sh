#!/bin/sh
# E[K^2]/E[K]^2 against beta = depth/width for ReLU, leaky ReLU (slopes 1/2
# and 1/10) and linear networks at one width, each at its critical variance,
# with each activation's depth-to-width limit curve.
#
# Usage: doc/plots/activations.sh [NTKEXACT [OUTDIR]] [--n N] [--a Q] [--n0 N] [--beta-max B]
# Writes activations.svg and activations.png into OUTDIR; needs gnuplot (gnuplot-nox) and python3.
set -e
NTK=${1:-./ntkexact}; [ $# -gt 0 ] && shift
OUT=${1:-doc/figures}; [ $# -gt 0 ] && shift
N=30; A=1/10; N0=10; BMAX=2
while [ $# -gt 0 ]; do
    case $1 in
        --n) N=$2; shift 2 ;;
        --a) A=$2; shift 2 ;;
        --n0) N0=$2; shift 2 ;;
        --beta-max) BMAX=$2; shift 2 ;;
        *) echo "activations.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
command -v gnuplot >/dev/null || { echo "activations.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 2; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
mkdir -p "$OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$PY" - "$NTK" "$tmp" "$N" "$A" "$N0" "$BMAX" <<'PYEOF'
import json, subprocess, sys
from fractions import Fraction as F
ntk, tmp, n, a, n0, bmax = sys.argv[1:]
n, a, n0, bmax = int(n), F(a), int(n0), float(bmax)
def run(*args):
    return json.loads(subprocess.run([ntk, *args], capture_output=True, text=True, check=True).stdout)
acts = ["relu", "leaky:1/2", "leaky:1/10", "linear"]
betas = [bmax * k / 80 for k in range(1, 81)]
for i, act in enumerate(acts):
    with open(f"{tmp}/exact_{i}.dat", "w") as f:
        for h in sorted({max(1, round(k * bmax * n / 60)) for k in range(1, 61)}):
            d = run("moments", "--widths", f"{n0},{n}x{h},1", "--x2", str(a * n0), "--activation", act,
                    "--precision", "64", "--format", "json", "--quiet")["decimal"]
            f.write(f"{h / n} {float(d['E_K2']) / float(d['E_K']) ** 2}\n")
    lim = run("limit", "--beta", ",".join(str(F(b).limit_denominator(10 ** 6)) for b in betas),
              "--a", str(a), "--activation", act, "--digits", "17", "--format", "json")["limits"]
    with open(f"{tmp}/limit_{i}.dat", "w") as f:
        for b, l in zip(betas, lim):
            f.write(f"{b} {l['ratio_K2']}\n")
PYEOF
for term in svg png; do
    if [ $term = svg ]; then setterm="set terminal svg size 800,560 dynamic font 'Sans,12'"; else setterm="set terminal pngcairo size 800,560 font 'Sans,11'"; fi
    gnuplot <<GP
$setterm
set output '$OUT/activations.$term'
set title "E[K^2] / E[K]^2 by activation, hidden width n = $N, a = x2/n_0 = $A (critical variances)"
set xlabel 'beta = (hidden layers) / n'
set ylabel 'E[K^2] / E[K]^2'
set logscale y
set key top left
set grid
plot '$tmp/exact_0.dat' using 1:2 with lines lw 2 lc 1 title 'ReLU, exact', \
     '$tmp/limit_0.dat' using 1:2 with lines lw 1 dt 2 lc 1 title 'ReLU, limit (growth e^{5 beta})', \
     '$tmp/exact_1.dat' using 1:2 with lines lw 2 lc 2 title 'leaky 1/2, exact', \
     '$tmp/limit_1.dat' using 1:2 with lines lw 1 dt 2 lc 2 title 'leaky 1/2, limit (e^{77 beta/25})', \
     '$tmp/exact_2.dat' using 1:2 with lines lw 2 lc 3 title 'leaky 1/10, exact', \
     '$tmp/limit_2.dat' using 1:2 with lines lw 1 dt 2 lc 3 title 'leaky 1/10, limit', \
     '$tmp/exact_3.dat' using 1:2 with lines lw 2 lc 4 title 'linear, exact', \
     '$tmp/limit_3.dat' using 1:2 with lines lw 1 dt 2 lc 4 title 'linear, limit (e^{2 beta})'
GP
done
echo "wrote $OUT/activations (.svg, .png)"

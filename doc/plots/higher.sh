#!/bin/sh
# E[K^k]/E[K]^k, k = 2, 3, 4, against beta = (hidden layers)/n at one hidden
# width n (exact, `moments --order 4`), beside what a log-normal with the same
# first two moments gives, (E[K^2]/E[K]^2)^(k(k-1)/2); a second, lighter width
# shows how the ratios move with n, and the depth-to-width limit (n -> infinity
# at fixed beta, `limit --moments 4`) where they go.  Right panel: exact over
# log-normal.
#
# Usage: doc/plots/higher.sh [NTKEXACT [OUTDIR]] [--n N] [--n2 N] [--a Q] [--n0 N] [--beta-max B]
#   --n N    hidden width of the main curves (default 100)
#   --n2 N   hidden width of the lighter curves (default 30; 0: none)
# Writes higher.svg and higher.png into OUTDIR; needs gnuplot (gnuplot-nox) and python3.
set -e
NTK=${1:-./ntkexact}; [ $# -gt 0 ] && shift
OUT=${1:-doc/figures}; [ $# -gt 0 ] && shift
N=100; N2=30; A=1/10; N0=10; BMAX=2
while [ $# -gt 0 ]; do
    case $1 in
        --n) N=$2; shift 2 ;;
        --n2) N2=$2; shift 2 ;;
        --a) A=$2; shift 2 ;;
        --n0) N0=$2; shift 2 ;;
        --beta-max) BMAX=$2; shift 2 ;;
        *) echo "higher.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
command -v gnuplot >/dev/null || { echo "higher.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 2; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
mkdir -p "$OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$PY" - "$NTK" "$tmp" "$N" "$N2" "$A" "$N0" "$BMAX" <<'PYEOF'
import json, subprocess, sys
from fractions import Fraction as F
ntk, tmp, n, n2, a, n0, bmax = sys.argv[1:]
n, n2, a, n0, bmax = int(n), int(n2), F(a), int(n0), float(bmax)
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)  # the exact moments have thousands of digits
def run(*args):
    return json.loads(subprocess.run([ntk, *args], capture_output=True, text=True, check=True).stdout)
# columns: beta, E[K^k]/E[K]^k for k = 2, 3, 4, log-normal for k = 3, 4, exact/log-normal for k = 3, 4
for w in [m for m in (n, n2) if m > 0]:
    with open(f"{tmp}/n{w}.dat", "w") as f:
        for h in sorted({round(k * bmax * w / 40) for k in range(0, 41)}):
            widths = f"{n0},{w}x{h},1" if h > 0 else f"{n0},1"  # no hidden layer: K is not random
            e = run("moments", "--widths", widths, "--x2", str(a * n0), "--order", "4",
                    "--format", "json", "--quiet")["exact"]
            k1 = F(e["E_K"])
            r2, r3, r4 = (F(e[f"E_K{k}"]) / k1 ** k for k in (2, 3, 4))
            l3, l4 = r2 ** 3, r2 ** 6
            f.write(f"{h / w} {float(r2)} {float(r3)} {float(r4)} {float(l3)} {float(l4)} "
                    f"{float(r3 / l3)} {float(r4 / l4)}\n")
# the limits n -> infinity (beta > 0): the same columns
betas = [F(k, 40) * F(bmax).limit_denominator(1000) for k in range(1, 41)]
lim = run("limit", "--beta", ",".join(str(b) for b in betas), "--a", str(a), "--moments", "4",
          "--digits", "17", "--format", "json")["limits"]
with open(f"{tmp}/limit.dat", "w") as f:
    f.write("0 1 1 1 1 1 1 1\n")
    for row in lim:
        r2, r3, r4 = (float(row[f"ratio_K{k}"]) for k in (2, 3, 4))
        f.write(f"{float(F(row['beta']))} {r2} {r3} {r4} {r2 ** 3} {r2 ** 6} {r3 / r2 ** 3} {r4 / r2 ** 6}\n")
PYEOF
light=""; lightr=""
if [ "$N2" -gt 0 ]; then
    light="'$tmp/n$N2.dat' using 1:2 with lines lw 1 lc 1 title 'thin: exact, n = $N2', \
     '$tmp/n$N2.dat' using 1:3 with lines lw 1 lc 2 notitle, \
     '$tmp/n$N2.dat' using 1:4 with lines lw 1 lc 3 notitle,"
    lightr="'$tmp/n$N2.dat' using 1:7 with lines lw 1 lc 2 title 'k = 3, n = $N2', \
     '$tmp/n$N2.dat' using 1:8 with lines lw 1 lc 3 title 'k = 4, n = $N2',"
fi
for term in svg png; do
    if [ $term = svg ]; then setterm="set terminal svg size 1100,500 dynamic font 'Sans,12'"; else setterm="set terminal pngcairo size 1100,500 font 'Sans,10'"; fi
    gnuplot <<GP
$setterm
set output '$OUT/higher.$term'
set multiplot layout 1,2 title "E[K^k]/E[K]^k of the ReLU NTK (exact), a = x2/n_0 = $A, n_0 = $N0, against a log-normal with the same E[K], E[K^2]"
set xlabel 'beta = (hidden layers) / n'
set grid
set key top left
set logscale y
set format y '10^{%T}'
set ylabel 'E[K^k] / E[K]^k'
plot '$tmp/n$N.dat' using 1:2 with lines lw 2 lc 1 title 'k = 2, exact, n = $N', \
     '$tmp/n$N.dat' using 1:3 with lines lw 2 lc 2 title 'k = 3, exact', \
     '$tmp/n$N.dat' using 1:5 with lines lw 2 dt 2 lc 2 title 'k = 3, log-normal (E[K^2]/E[K]^2)^3', \
     '$tmp/n$N.dat' using 1:4 with lines lw 2 lc 3 title 'k = 4, exact', \
     '$tmp/n$N.dat' using 1:6 with lines lw 2 dt 2 lc 3 title 'k = 4, log-normal (E[K^2]/E[K]^2)^6', \
     $light \
     '$tmp/limit.dat' using 1:2 with lines lw 2 dt 3 lc 1 title 'dotted: n -> infinity (limit)', \
     '$tmp/limit.dat' using 1:3 with lines lw 2 dt 3 lc 2 notitle, \
     '$tmp/limit.dat' using 1:4 with lines lw 2 dt 3 lc 3 notitle, \
     1/0 notitle
set ylabel 'exact / log-normal'
set format y '%g'
plot '$tmp/n$N.dat' using 1:7 with lines lw 2 lc 2 title 'k = 3, n = $N', \
     '$tmp/n$N.dat' using 1:8 with lines lw 2 lc 3 title 'k = 4, n = $N', \
     $lightr \
     '$tmp/limit.dat' using 1:7 with lines lw 2 dt 3 lc 2 title 'k = 3, n -> infinity', \
     '$tmp/limit.dat' using 1:8 with lines lw 2 dt 3 lc 3 title 'k = 4, n -> infinity', \
     1/0 notitle
unset multiplot
GP
done
echo "wrote $OUT/higher (.svg, .png)"

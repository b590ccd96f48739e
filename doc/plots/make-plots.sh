#!/bin/sh
# Plots of the exact moments against beta = depth/width, with the paper's
# exp(5 beta), the n -> infinity limit curve, and Monte Carlo points.
#
# Usage: doc/plots/make-plots.sh [NTKEXACT [OUTDIR]] [options]
#   --widths N,...   hidden widths of the curves (default 10,30,100,300)
#   --a Q            a = x2/n_0 (default 1/10)
#   --n0 N           input width (default 10)
#   --beta-max B     largest beta (default 2.5)
#   --mc N           hidden width of the Monte Carlo points (default 30; 0: none)
#   --samples S      networks per Monte Carlo point (default 20000)
#   --mc-wide N      hidden width of the second set of Monte Carlo points (default
#                    1000; 0: none), at beta 0.1, 0.25, 0.5 and 1: depths up to
#                    1000 layers of width 1000, which only the projected sampler
#                    reaches (about 10 ms a network)
#   --wide-samples S networks per point of the second set (default 20000)
# Writes OUTDIR/ratio_k2, ratio_dk (normalized by d beta, where the limit
# exists) and dk_per_k (-E[dK]/(lambda E[K]) itself, with each width's limit
# prediction dashed), as .svg and .png; needs gnuplot
# (Debian: gnuplot-nox) and python3.  `make plots` runs it with the defaults,
# and beside it activations.sh (E[K^2]/E[K]^2 by activation), correction.sh
# (the 1/n correction of the limit) and higher.sh (E[K^3], E[K^4] against a
# log-normal), which take the same [NTKEXACT [OUTDIR]] arguments.
set -e
NTK=${1:-./ntkexact}; [ $# -gt 0 ] && shift
OUT=${1:-doc/figures}; [ $# -gt 0 ] && shift
WIDTHS=10,30,100,300,1000; A=1/10; N0=10; BMAX=2.5; MCN=30; SAMPLES=20000; WIDE=1000; WSAMPLES=20000
while [ $# -gt 0 ]; do
    case $1 in
        --widths) WIDTHS=$2; shift 2 ;;
        --a) A=$2; shift 2 ;;
        --n0) N0=$2; shift 2 ;;
        --beta-max) BMAX=$2; shift 2 ;;
        --mc) MCN=$2; shift 2 ;;
        --samples) SAMPLES=$2; shift 2 ;;
        --mc-wide) WIDE=$2; shift 2 ;;
        --wide-samples) WSAMPLES=$2; shift 2 ;;
        *) echo "make-plots.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
command -v gnuplot >/dev/null || { echo "make-plots.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 2; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
mkdir -p "$OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$PY" - "$NTK" "$tmp" "$WIDTHS" "$A" "$N0" "$BMAX" "$MCN" "$SAMPLES" "$WIDE" "$WSAMPLES" <<'PYEOF'
import json, subprocess, sys
from fractions import Fraction as F
ntk, tmp, widths, a, n0, bmax, mcn, samples, wide, wsamples = sys.argv[1:]
a, n0, bmax, mcn, wide = F(a), int(n0), float(bmax), int(mcn), int(wide)
x2 = a * n0
def run(*args):
    return json.loads(subprocess.run([ntk, *args], capture_output=True, text=True, check=True).stdout)
def exact(n, h):
    d = run("moments", "--widths", f"{n0},{n}x{h},1", "--x2", str(x2), "--precision", "64",
            "--format", "json", "--quiet")["decimal"]
    return float(d["E_K"]), float(d["E_K2"]), float(d["E_dK"])
for n in [int(w) for w in widths.split(",")]:
    with open(f"{tmp}/exact_{n}.dat", "w") as f:
        for h in sorted({max(1, round(k * bmax * n / 60)) for k in range(1, 61)}):
            k, k2, dk = exact(n, h)
            beta, d = h / n, h + 1
            f.write(f"{beta} {k2 / k ** 2} {-dk / (k * d * beta)} {-dk / k}\n")
betas = [bmax * k / 80 for k in range(1, 81)]
lim = run("limit", "--beta", ",".join(str(F(b).limit_denominator(10 ** 6)) for b in betas),
          "--a", str(a), "--digits", "17", "--format", "json")["limits"]
with open(f"{tmp}/limit.dat", "w") as f:
    for b, l in zip(betas, lim):
        f.write(f"{b} {l['ratio_K2']} {-float(l['ratio_dK'])}\n")
# the limit's prediction of -E[dK]/(lambda E[K]) at width n: ratio_dK * d * beta, d = beta n + 1
for n in [int(w) for w in widths.split(",")]:
    with open(f"{tmp}/limit_{n}.dat", "w") as f:
        for b, l in zip(betas, lim):
            f.write(f"{b} {-float(l['ratio_dK']) * (b * n + 1) * b}\n")
# Monte Carlo points: each estimate over the exact E[K], with its standard error
def monte_carlo(n, betas, samples, name):
    with open(f"{tmp}/{name}", "w") as f:
        for h in sorted({max(1, round(b * n)) for b in betas}):
            k, k2, dk = exact(n, h)
            s = run("sample", "--widths", f"{n0},{n}x{h},1", "--x2", str(x2), "--samples", samples,
                    "--seed", "1", "--format", "json", "--quiet")
            beta, d = h / n, h + 1
            m, e = s["mean"], s["stderr"]
            f.write(f"{beta} {m['E_K2'] / k ** 2} {e['E_K2'] / k ** 2} "
                    f"{-m['E_dK'] / (k * d * beta)} {e['E_dK'] / (k * d * beta)} "
                    f"{-m['E_dK'] / k} {e['E_dK'] / k}\n")
if mcn > 0:
    monte_carlo(mcn, (0.1, 0.2, 0.3, 0.5), samples, "mc.dat")
if wide > 0:
    monte_carlo(wide, (0.1, 0.25, 0.5, 1.0), wsamples, "mcw.dat")
PYEOF
[ "$MCN" -gt 0 ] || : >"$tmp/mc.dat"
[ "$WIDE" -gt 0 ] || : >"$tmp/mcw.dat"
for term in svg png; do
    if [ $term = svg ]; then setterm="set terminal svg size 800,560 dynamic font 'Sans,12'"; else setterm="set terminal pngcairo size 800,560 font 'Sans,11'"; fi
    curves=""; limits=""; i=0
    for n in $(echo "$WIDTHS" | tr ',' ' '); do
        i=$((i + 1))
        curves="$curves '$tmp/exact_$n.dat' using 1:COL with lines lw 2 lc $i title 'exact, n = $n',"
        if [ $i -eq 1 ]; then ltitle="title 'dashed: the limit, ratio x d beta, at each n'"; else ltitle=notitle; fi
        limits="$limits '$tmp/limit_$n.dat' using 1:2 with lines lw 1 dt 2 lc $i $ltitle,"
    done
    gnuplot <<GP
$setterm
set output '$OUT/ratio_k2.$term'
set title "E[K^2] / E[K]^2 of the diagonal NTK, a = x2/n_0 = $A, n_0 = $N0"
set xlabel 'beta = (hidden layers) / n'
set ylabel 'E[K^2] / E[K]^2'
set logscale y
set key top left
set grid
plot $(echo "$curves" | sed 's/COL/2/g') \
     '$tmp/limit.dat' using 1:2 with lines lw 2 dt 2 lc rgb 'black' title 'limit n -> infinity (ntkexact limit)', \
     exp(5*x) with lines lw 1 dt 3 lc rgb 'gray40' title 'exp(5 beta) (the paper)', \
     '$tmp/mc.dat' using 1:2:3 with yerrorbars pt 7 ps 0.8 lc rgb 'red' title 'Monte Carlo E[K^2] / exact E[K]^2, n = $MCN', \
     '$tmp/mcw.dat' using 1:2:3 with yerrorbars pt 5 ps 0.8 lc rgb 'dark-blue' title 'Monte Carlo, n = $WIDE (projected sampler)'
set output '$OUT/ratio_dk.$term'
set title "-E[dK] / (lambda E[K] d beta): the first SGD update of the NTK, a = $A"
set ylabel '-E[dK] / (lambda E[K] d beta)'
plot $(echo "$curves" | sed 's/COL/3/g') \
     '$tmp/limit.dat' using 1:3 with lines lw 2 dt 2 lc rgb 'black' title 'limit n -> infinity (ntkexact limit)', \
     exp(5*x)/$N0 with lines lw 1 dt 3 lc rgb 'gray40' title 'exp(5 beta)/n_0 (the paper, up to constants)', \
     '$tmp/mc.dat' using 1:4:5 with yerrorbars pt 7 ps 0.8 lc rgb 'red' title 'Monte Carlo, n = $MCN', \
     '$tmp/mcw.dat' using 1:4:5 with yerrorbars pt 5 ps 0.8 lc rgb 'dark-blue' title 'Monte Carlo, n = $WIDE (projected sampler)'
set output '$OUT/dk_per_k.$term'
set title "-E[dK] / (lambda E[K]): the first SGD update relative to the kernel, a = $A, n_0 = $N0"
set ylabel '-E[dK] / (lambda E[K])'
plot $(echo "$curves" | sed 's/COL/4/g') $limits \
     exp(5*x) with lines lw 1 dt 3 lc rgb 'gray40' title 'exp(5 beta)', \
     '$tmp/mc.dat' using 1:6:7 with yerrorbars pt 7 ps 0.8 lc rgb 'red' title 'Monte Carlo, n = $MCN', \
     '$tmp/mcw.dat' using 1:6:7 with yerrorbars pt 5 ps 0.8 lc rgb 'dark-blue' title 'Monte Carlo, n = $WIDE (projected sampler)'
GP
done
echo "wrote $OUT/ratio_k2, ratio_dk, dk_per_k (.svg, .png)"

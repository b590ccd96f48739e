#!/bin/sh
# The relative spread of the first SGD update, RelVar_dK = Var[dK]/E[dK]^2 at
# the target y = 0 (exact, `moments --update`), against beta = (hidden
# layers)/n for a few hidden widths n, beside the relative variance of the
# kernel itself, Var[K]/E[K]^2; the widest width is computed in the
# floating-point mode (`--double`, every printed digit correct) and stands for
# the depth-to-width limit, which `limit` does not compute for the update.
# Right panel: the local exponential rates d log(.)/d beta, against the 20 of
# e^{20 beta} and the 5 of e^{5 beta}.
#
# Usage: doc/plots/update_spread.sh [NTKEXACT [OUTDIR]] [--n N,...] [--n-wide N] [--a Q] [--n0 N] [--beta-max B]
#   --n N,...    the hidden widths of the exact curves (default 10,30,100)
#   --n-wide N   the width of the floating-point curve (default 1000; 0: none)
# Writes update_spread.svg and update_spread.png into OUTDIR; needs gnuplot
# (gnuplot-nox) and python3.
set -e
NTK=${1:-./ntkexact}; [ $# -gt 0 ] && shift
OUT=${1:-doc/figures}; [ $# -gt 0 ] && shift
NS=10,30,100; NW=1000; A=1/10; N0=10; BMAX=3
while [ $# -gt 0 ]; do
    case $1 in
        --n) NS=$2; shift 2 ;;
        --n-wide) NW=$2; shift 2 ;;
        --a) A=$2; shift 2 ;;
        --n0) N0=$2; shift 2 ;;
        --beta-max) BMAX=$2; shift 2 ;;
        *) echo "update_spread.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
command -v gnuplot >/dev/null || { echo "update_spread.sh: gnuplot is missing (apt-get install gnuplot-nox)" >&2; exit 2; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
mkdir -p "$OUT"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$PY" - "$NTK" "$tmp" "$NS" "$NW" "$A" "$N0" "$BMAX" <<'PYEOF'
import json, math, subprocess, sys
from fractions import Fraction as F
ntk, tmp, ns, nw, a, n0, bmax = sys.argv[1:]
ns, nw, a, n0, bmax = [int(v) for v in ns.split(",")], int(nw), F(a), int(n0), float(bmax)
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)  # the exact moments have thousands of digits
def run(*args):
    return json.loads(subprocess.run([ntk, *args], capture_output=True, text=True, check=True).stdout)
def ratios(widths, exact):
    """RelVar_dK and Var_K/E_K^2 of one profile (exact, or its correct digits)."""
    args = ["moments", "--widths", widths, "--x2", str(a * n0), "--update", "--format", "json",
            "--quiet"]
    if exact:
        e = {k: F(v) for k, v in run(*args)["exact"].items() if v is not None}
        return float(e["RelVar_dK"]), float(e["Var_K"] / e["E_K"] ** 2)
    e = run(*args, "--double")["decimal"]
    return float(e["RelVar_dK"]), float(e["Var_K"]) / float(e["E_K"]) ** 2
# columns: beta, RelVar_dK, Var_K/E_K^2, and their local rates d log/d beta
# (centred differences between the neighbouring points, at the midpoint)
for n in ns + ([nw] if nw > 0 else []):
    rows = []
    for h in sorted({max(1, round(k * bmax * n / 30)) for k in range(0, 31)}):
        rows.append((h / n, *ratios(f"{n0},{n}x{h},1", n != nw)))
    with open(f"{tmp}/n{n}.dat", "w") as f:
        for b, r, v in rows:
            f.write(f"{b} {r} {v}\n")
    with open(f"{tmp}/rate{n}.dat", "w") as f:
        for (b0, r0, v0), (b1, r1, v1) in zip(rows, rows[1:]):
            f.write(f"{(b0 + b1) / 2} {math.log(r1 / r0) / (b1 - b0)} "
                    f"{math.log(v1 / v0) / (b1 - b0)}\n")
PYEOF
ns_sp=$(echo "$NS" | tr ',' ' ')
left=""; right=""; c=1
for n in $ns_sp; do
    left="$left '$tmp/n$n.dat' using 1:2 with lines lw 2 lc $c title 'RelVar\_dK, n = $n', \
     '$tmp/n$n.dat' using 1:3 with lines lw 1 dt 2 lc $c title 'Var K/E[K]^2, n = $n',"
    right="$right '$tmp/rate$n.dat' using 1:2 with lines lw 2 lc $c title 'RelVar\_dK, n = $n', \
     '$tmp/rate$n.dat' using 1:3 with lines lw 1 dt 2 lc $c notitle,"
    c=$((c + 1))
done
if [ "$NW" -gt 0 ]; then
    left="$left '$tmp/n$NW.dat' using 1:2 with lines lw 2 dt 3 lc 8 title 'n = $NW (--double)', \
     '$tmp/n$NW.dat' using 1:3 with lines lw 1 dt 3 lc 8 notitle,"
    right="$right '$tmp/rate$NW.dat' using 1:2 with lines lw 2 dt 3 lc 8 title 'n = $NW', \
     '$tmp/rate$NW.dat' using 1:3 with lines lw 1 dt 3 lc 8 notitle,"
fi
for term in svg png; do
    if [ $term = svg ]; then setterm="set terminal svg size 1100,500 dynamic font 'Sans,12'"; else setterm="set terminal pngcairo size 1100,500 font 'Sans,10'"; fi
    gnuplot <<GP
$setterm
set output '$OUT/update_spread.$term'
set multiplot layout 1,2 title "Relative spread of the first SGD update of the ReLU NTK (exact, y = 0), a = x2/n_0 = $A, n_0 = $N0"
set xlabel 'beta = (hidden layers) / n'
set grid
set key top left
set logscale y
set format y '10^{%T}'
set ylabel 'Var[dK] / E[dK]^2  (dashed: Var[K] / E[K]^2)'
plot $left 1/0 notitle
unset logscale y
set format y '%g'
set yrange [0:28]
set key top center horizontal maxrows 3 samplen 2 font ',9'
set ylabel 'local rate d log(.) / d beta'
plot $right 20 with lines lw 1 lc 0 dt 4 title '20 (e^{20 beta})', \
     5 with lines lw 1 lc 0 dt 5 title '5 (e^{5 beta})', 1/0 notitle
unset multiplot
GP
done
echo "wrote $OUT/update_spread (.svg, .png)"

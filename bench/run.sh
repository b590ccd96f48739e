#!/bin/sh
# ntkexact benchmark: prints figures, asserts nothing (machines are shared and
# noisy).  Usage: bench/run.sh [path/to/ntkexact]   (or: make bench)
NTK=${1:-./ntkexact}
# time the program, not libtool's wrapper script around it (a shell that
# costs ~0.1 s per run on a loaded machine)
dir=$(dirname "$NTK")
if [ -x "$dir/.libs/ntkexact" ] && [ -d "$dir/.libs" ]; then
    LD_LIBRARY_PATH="$dir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
    NTK="$dir/.libs/ntkexact"
fi
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: /usr/bin/time is missing (apt-get install time)"; exit 1; }
out=${TMPDIR:-/tmp}/ntk-bench.$$
trap 'rm -f "$out" "$out.t"' EXIT

# measure LABEL ARGS...: wall seconds and peak memory of one run
measure() {
    label=$1; shift
    $TIME -f "%e %M" -o "$out.t" "$NTK" "$@" >"$out" 2>/dev/null || { echo "$label: FAILED"; return; }
    read secs kb <"$out.t"
    printf '%-44s %8.2f s %8.1f MiB\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)"
    eval "t_$(echo "$label" | tr -c 'a-zA-Z0-9\n' '_')=$secs"
}

echo "== exact engine: all moments, JSON output written whole (threads: all CPUs)"
measure "10,1000x1000,1" moments --widths 10,1000x1000,1 --format json --quiet
measure "10,1000x2000,1" moments --widths 10,1000x2000,1 --format json --quiet
measure "10,1000x4000,1" moments --widths 10,1000x4000,1 --format json --quiet
measure "10,1000x8000,1" moments --widths 10,1000x8000,1 --format json --quiet
measure "10,1000x10000,1" moments --widths 10,1000x10000,1 --format json --quiet
measure "10,1000x10000,1 --threads 1" moments --widths 10,1000x10000,1 --format json --quiet --threads 1
measure "10,1000x10000,1 --no-bias" moments --widths 10,1000x10000,1 --format json --quiet --no-bias
echo "ratio time(depth 4000) / time(depth 2000): $(echo "$t_10_1000x4000_1 / $t_10_1000x2000_1" | bc -l | cut -c1-5)"
echo "ratio time(depth 8000) / time(depth 4000): $(echo "$t_10_1000x8000_1 / $t_10_1000x4000_1" | bc -l | cut -c1-5)"
echo "  (4 for quadratic: O(d) layer steps on integers of O(d) bits; cubic would be 8. Below"
echo "   d ~ 10^4 fixed and per-layer costs still weigh, so the ratio climbs towards 4.)"
echo "E_dK of 10,1000x1000,1 (part of every run above): $("$NTK" moments --widths 10,1000x1000,1 --format csv --digits 12 --quiet | grep '^E_dK,' | cut -d, -f3)"
echo
echo "== the activation family: all moments of 10,1000x1000,1, JSON written whole"
measure "relu" moments --widths 10,1000x1000,1 --format json --quiet
measure "leaky 1/2" moments --widths 10,1000x1000,1 --activation leaky:1/2 --format json --quiet
measure "slopes 0,1 (a dead phase)" moments --widths 10,1000x1000,1 --activation slopes:0,1 --format json --quiet
echo "ratio time(leaky 1/2) / time(relu): $(echo "$t_leaky_1_2 / $t_relu" | bc -l | cut -c1-5)   (no zero slope: no dead-layer factors)"
measure "leaky 1/2, 10,1000x100000,1 (exact)" moments --widths 10,1000x100000,1 --activation leaky:1/2 --format json --quiet

echo
echo "== higher moments (--order 3|4): 6- and 8-path families, JSON written whole"
echo "   state spaces (tests/t-space.c): the order-3 terms 76 states, the order-4 terms 293"
echo "   (13005 without the symmetry reduction); the terms of order <= 2: 51"
measure "10,1000x1000,1 --order 2" moments --widths 10,1000x1000,1 --format json --quiet
measure "10,1000x1000,1 --order 3" moments --widths 10,1000x1000,1 --order 3 --format json --quiet
measure "10,100x100,1 --order 4" moments --widths 10,100x100,1 --order 4 --format json --quiet
measure "10,1000x100,1 --order 4" moments --widths 10,1000x100,1 --order 4 --format json --quiet
echo "ratio time(--order 3) / time(--order 2), 10,1000x1000,1: $(echo "$t_10_1000x1000_1___order_3 / $t_10_1000x1000_1___order_2" | bc -l | cut -c1-5)"
echo
echo "== the first update's second moment (--update): six- and eight-path terms, JSON written whole"
echo "   reduced state spaces: 53, 50, 24 (six paths), 188, 149, 57 (eight); about 1.5 times --order 4's cost"
measure "10,100x10,1" moments --widths 10,100x10,1 --format json --quiet
measure "10,100x10,1 --update" moments --widths 10,100x10,1 --update --format json --quiet
measure "10,100x1000,1" moments --widths 10,100x1000,1 --format json --quiet
measure "10,100x1000,1 --update" moments --widths 10,100x1000,1 --update --format json --quiet
measure "10,100x1000,1 --order 4" moments --widths 10,100x1000,1 --order 4 --format json --quiet
measure "10,100x1000,1 --update --double" moments --widths 10,100x1000,1 --update --double --format json --quiet
echo "ratio time(--update) / time(--order 4), 10,100x1000,1: $(echo "$t_10_100x1000_1___update / $t_10_100x1000_1___order_4" | bc -l | cut -c1-5)"
echo
echo "== sampler: networks per second, both methods in this run (Gaussian weights, all CPUs)"
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
# rate LABEL SAMPLES ARGS...: networks per second of one sampling run
rate() {
    label=$1; samples=$2; shift 2
    $TIME -f "%e" -o "$out.t" "$NTK" sample --samples "$samples" --seed 1 --format csv --quiet "$@" \
        >"$out" 2>/dev/null || { echo "$label: FAILED"; return; }
    r=$(echo "$samples / $(cat "$out.t")" | bc -l)
    printf '%-52s %10.1f networks/s\n' "$label" "$r"
    eval "r_$(echo "$label" | tr -c 'a-zA-Z0-9\n' '_')=$r"
}
rate "10,100x100,1 --method full" 1000 --widths 10,100x100,1 --method full
rate "10,100x100,1 --method projected" 40000 --widths 10,100x100,1 --method projected
rate "10,1000x1000,1 --method projected" 1000 --widths 10,1000x1000,1 --method projected
rate "10,100x100,1 --method full, 1 thread" 500 --widths 10,100x100,1 --method full --threads 1
rate "10,100x100,1 --method projected, 1 thread" 20000 --widths 10,100x100,1 --method projected --threads 1
rate "10,1000x1000,1 --method projected, 1 thread" 200 --widths 10,1000x1000,1 --method projected --threads 1
printf 'ratio projected / full at 10,100x100,1: %.1f (1 thread: %.1f)\n' \
    "$(echo "$r_10_100x100_1___method_projected / $r_10_100x100_1___method_full" | bc -l)" \
    "$(echo "$r_10_100x100_1___method_projected__1_thread / $r_10_100x100_1___method_full__1_thread" | bc -l)"
echo "  (targets of issue 16: a ratio of at least 20, and 100 networks/s at 10,1000x1000,1)"
if $PY -c 'import numpy' 2>/dev/null; then
    np=$($PY "$here/numpy_sampler.py" 10,100x100,1 300 | cut -d' ' -f1)
    printf 'NumPy full-matrix sampler (python3-numpy), 10,100x100,1, 1 process: %8.1f networks/s\n' "$np"
else
    echo "NumPy: python3-numpy is not installed"
fi
S=40000
"$NTK" sample --widths 10,100x100,1 --samples $S --seed 1 --format csv --quiet >"$out" 2>/dev/null
stderr_k2=$(grep '^E_K2,' "$out" | cut -d, -f3)
mean_k2=$(grep '^E_K2,' "$out" | cut -d, -f2)
$TIME -f "%e" -o "$out.t" "$NTK" moments --widths 10,100x100,1 --quiet >/dev/null 2>&1
exact=$(cat "$out.t")
need=$(echo "$S * ($stderr_k2 / (0.01 * $mean_k2))^2" | bc -l)
printf 'samples for a 1%% standard error on E_K2 at 10,100x100,1 (from %d): %.3g, i.e. %.3g s projected, %.3g s full\n' \
    "$S" "$need" "$(echo "$need / $r_10_100x100_1___method_projected" | bc -l)" \
    "$(echo "$need / $r_10_100x100_1___method_full" | bc -l)"
printf 'time of the exact computation of every moment: %.2f s\n' "$exact"

echo
echo "== two inputs (sample --xy): cost per network of the two-input sampler against the one-input one, 1 thread"
rate "10,100x100,1 projected, one input" 20000 --widths 10,100x100,1 --method projected --threads 1
rate "10,100x100,1 projected, two inputs" 10000 --widths 10,100x100,1 --method projected --threads 1 --y2 2 --xy 1/2
rate "3,512x3,1 projected, one input" 100000 --widths 3,512x3,1 --method projected --threads 1
rate "3,512x3,1 projected, two inputs" 50000 --widths 3,512x3,1 --method projected --threads 1 --y2 2 --xy 1/2
rate "3,512x3,1 projected, two inputs, x.x' = 0" 50000 --widths 3,512x3,1 --method projected --threads 1 --y2 2 --xy 0
rate "3,512x3,1 projected, two inputs, x.x' = -1.4" 50000 --widths 3,512x3,1 --method projected --threads 1 --y2 2 --xy -14/10
rate "3,512x3,1 leaky 1/5 projected, one input" 20000 --widths 3,512x3,1 --method projected --threads 1 --activation leaky:1/5
rate "3,512x3,1 leaky 1/5 projected, two inputs" 10000 --widths 3,512x3,1 --method projected --threads 1 --y2 2 --xy 1/2 --activation leaky:1/5
rate "10,100x100,1 full, one input" 500 --widths 10,100x100,1 --method full --threads 1
rate "10,100x100,1 full, two inputs" 500 --widths 10,100x100,1 --method full --threads 1 --y2 2 --xy 1/2
printf 'cost ratio two inputs / one input per network: projected %.2f (10,100x100,1), %.2f (3,512x3,1), %.2f (leaky); full %.2f\n' \
    "$(echo "$r_10_100x100_1_projected__one_input / $r_10_100x100_1_projected__two_inputs" | bc -l)" \
    "$(echo "$r_3_512x3_1_projected__one_input / $r_3_512x3_1_projected__two_inputs" | bc -l)" \
    "$(echo "$r_3_512x3_1_leaky_1_5_projected__one_input / $r_3_512x3_1_leaky_1_5_projected__two_inputs" | bc -l)" \
    "$(echo "$r_10_100x100_1_full__one_input / $r_10_100x100_1_full__two_inputs" | bc -l)"
printf '  3,512x3,1 ReLU at other angles (|x|^2 = 1, |x'"'"'|^2 = 2): %.2f (x.x'"'"' = 0), %.2f (x.x'"'"' = -1.4, nearly opposite)\n' \
    "$(echo "$r_3_512x3_1_projected__one_input / $r_3_512x3_1_projected__two_inputs__x_x____0" | bc -l)" \
    "$(echo "$r_3_512x3_1_projected__one_input / $r_3_512x3_1_projected__two_inputs__x_x_____1_4" | bc -l)"
echo "  (target of issue 23: within 2x.  The one-input projected method draws only the positive"
echo "   side of a ReLU layer; the two-input one both inputs' images of every neuron, and two"
echo "   backward directions on the neurons live at either input: the most at opposite inputs)"
if [ -x "$dir/bench/pair_rule" ]; then
    echo "check --xy's rule, false alarms and power (10 seeds x 36 profiles, 10000 samples each):"
    "$dir/bench/pair_rule" 10 10000 | sed 's/^/  /'
fi

echo
MPI_S=200000
echo "== sampling across processes and with checkpoints: 10,100x100,1, $MPI_S networks"
# wall rate of one run, mpirun's start included (a second at most: small against the run)
mrate() {
    label=$1; shift
    $TIME -f "%e" -o "$out.t" "$@" >"$out" 2>/dev/null </dev/null || { echo "$label: FAILED"; return; }
    r=$(echo "$MPI_S / $(cat "$out.t")" | bc -l)
    printf '%-52s %10.1f networks/s\n' "$label" "$r"
    eval "m_$(echo "$label" | tr -c 'a-zA-Z0-9\n' '_')=$r"
}
SAMPLE="sample --widths 10,100x100,1 --samples $MPI_S --seed 1 --format json --quiet"
mrate "1 process x 2 threads" "$NTK" $SAMPLE --threads 2
MPIRUN=$(command -v mpirun)
if [ -n "$MPIRUN" ] && ldd "$NTK" 2>/dev/null | grep -q libmpi; then
    MR="$MPIRUN --allow-run-as-root -x LD_LIBRARY_PATH"
    mrate "mpirun -np 1 x 2 threads (--bind-to none)" $MR --bind-to none -np 1 "$NTK" $SAMPLE --threads 2
    mrate "mpirun -np 2 x 1 thread" $MR -np 2 "$NTK" $SAMPLE --threads 1
    printf 'ratio 2 processes x 1 thread / 1 process x 2 threads: %.3f (mpirun -np 1: %.3f)\n' \
        "$(echo "$m_mpirun__np_2_x_1_thread / $m_1_process_x_2_threads" | bc -l)" \
        "$(echo "$m_mpirun__np_2_x_1_thread / $m_mpirun__np_1_x_2_threads____bind_to_none_" | bc -l)"
    echo "  (target of issue 14: within 10%; the output of every run is the same bytes)"
else
    echo "mpirun: ntkexact is built without MPI (configure --with-mpi) or mpirun is missing"
fi
ck=${TMPDIR:-/tmp}/ntk-bench-ckpt.$$
rm -f "$ck"
mrate "--checkpoint, default interval (60 s)" "$NTK" $SAMPLE --threads 2 --checkpoint "$ck"
rm -f "$ck"
mrate "--checkpoint-every 1" "$NTK" $SAMPLE --threads 2 --checkpoint "$ck" --checkpoint-every 1
rm -f "$ck" "$ck.tmp"
# a round of about 1 s and its checkpoint cost c = (1/r_1 - 1/r_0) per network x r_0 s;
# at the default interval that cost comes once a minute
over1=$(echo "$m_1_process_x_2_threads / $m___checkpoint_every_1 - 1" | bc -l)
printf 'checkpoint overhead: %.2f%% at the default interval (this run), %.2f%% at 1 s, so about %.3f%% at 60 s\n' \
    "$(echo "100 * ($m_1_process_x_2_threads / $m___checkpoint__default_interval__60_s_ - 1)" | bc -l)" \
    "$(echo "100 * $over1" | bc -l)" "$(echo "100 * $over1 / 60" | bc -l)"
echo "  (target of issue 14: under 1% at the default interval; a run this short has only its first"
echo "   and last checkpoints, so the 1 s figure, divided by 60, is the one to read; negative = noise)"

echo
echo "== floating-point mode (--precision BITS, --double): repeated squaring per run of equal widths"
measure "10,1000x1000000,1 --precision 128" moments --widths 10,1000x1000000,1 --precision 128 --format json --quiet
measure "10,1000x1000000,1 --double" moments --widths 10,1000x1000000,1 --double --format json --quiet
measure "10,1000x1000000000,1 --double" moments --widths 10,1000x1000000000,1 --double --format json --quiet
measure "10,1000x10000,1 --precision 128" moments --widths 10,1000x10000,1 --precision 128 --format json --quiet
measure "1000 alternating runs, --precision 128" moments --widths 10,$(yes 500,700 | head -1000 | tr '\n' ',')1 --precision 128 --format json --quiet

echo
echo "== analysis commands"
measure "expand --depth 40 --n0 10" expand --depth 40 --n0 10 --format json --quiet
measure "expand --depth 80 --n0 10" expand --depth 80 --n0 10 --format json --quiet
measure "expand --depth 160 --n0 10" expand --depth 160 --n0 10 --format json --quiet
echo "== expand: the one pass with polynomials in 1/n against the interpolation at d + 14 widths"
measure "expand --depth 80 --method interpolate" expand --depth 80 --n0 10 --format json --quiet --method interpolate
measure "expand --depth 80 (one pass)" expand --depth 80 --n0 10 --format json --quiet
measure "expand --depth 160 --method interpolate" expand --depth 160 --n0 10 --format json --quiet --method interpolate
echo "ratio time(interpolate) / time(one pass), depth 80: $(echo "$t_expand___depth_80___method_interpolate / $t_expand___depth_80__one_pass_" | bc -l | cut -c1-6)"
echo "ratio time(interpolate) / time(one pass), depth 160: $(echo "$t_expand___depth_160___method_interpolate / $t_expand___depth_160___n0_10" | bc -l | cut -c1-6)"
measure "expand --depth 400 (with the 2^-n part)" expand --depth 400 --n0 10 --format json --quiet
echo "== expand --moments 3|4: E[K^3], E[K^4] as exact functions of n (the depth limits 200, 100)"
measure "expand --depth 50 --moments 3" expand --depth 50 --n0 10 --moments 3 --format json --quiet
measure "expand --depth 200 --moments 3" expand --depth 200 --n0 10 --moments 3 --format json --quiet
measure "expand --depth 50 --moments 4" expand --depth 50 --n0 10 --moments 4 --format json --quiet
measure "expand --depth 100 --moments 4" expand --depth 100 --n0 10 --moments 4 --format json --quiet
measure "expand --depth 20 --moments 4 --method interpolate" expand --depth 20 --n0 10 --moments 4 --format json --quiet --method interpolate
measure "expand --depth 1000 --no-dead-part" expand --depth 1000 --n0 10 --no-dead-part --format json --quiet
measure "expand --depth 1000 --series --order 6" expand --depth 1000 --n0 10 --series --order 6 --format json --quiet
measure "expand --depth symbolic --order 6" expand --depth symbolic --n0 10 --order 6 --format json --quiet
measure "expand --depth symbolic --order 40" expand --depth symbolic --n0 10 --order 40 --format json --quiet
echo "== the series of the moments up to E[K^4], off the critical cw_hidden, at x2 = 0 (issue 24)"
measure "expand --depth symbolic --moments 4 --order 3" expand --depth symbolic --n0 10 --moments 4 --order 3 --format json --quiet
measure "expand --depth symbolic --moments 4 --order 40" expand --depth symbolic --n0 10 --moments 4 --order 40 --format json --quiet
measure "expand --depth symbolic --moments 3 --order 40" expand --depth symbolic --n0 10 --moments 3 --order 40 --format json --quiet
measure "expand --depth symbolic --cw-hidden 3/2 --order 20" expand --depth symbolic --n0 10 --cw-hidden 3/2 --order 20 --format json --quiet
measure "expand --depth symbolic --cw-hidden 3/2 --moments 4 --order 4" expand --depth symbolic --n0 10 --cw-hidden 3/2 --moments 4 --order 4 --format json --quiet
measure "expand --depth symbolic --cw-hidden 3/2 --moments 4 --order 20" expand --depth symbolic --n0 10 --cw-hidden 3/2 --moments 4 --order 20 --format json --quiet
measure "expand --depth 10000 --series --cw-hidden 3/2 --moments 4" expand --depth 10000 --n0 10 --series --cw-hidden 3/2 --moments 4 --format json --quiet
measure "expand --depth 100 --x2 0 --activation leaky:1/2 --moments 4" expand --depth 100 --n0 10 --x2 0 --activation leaky:1/2 --moments 4 --format json --quiet
measure "limit, 5 values of beta, 30 digits" limit --beta 1/4,1/2,1,2,4 --format json
measure "limit --order 1, 5 values of beta, 30 digits" limit --beta 1/4,1/2,1,2,4 --order 1 --format json
measure "limit, 5 values of beta, 300 digits" limit --beta 1/4,1/2,1,2,4 --digits 300 --format json
measure "compare-paper, default grid (48 profiles)" compare-paper --format json

echo
echo "== two inputs (kernel): Arb balls, every printed digit certified"
measure "kernel depth 1000, 50 digits, infinite width" kernel --widths 10,100x999,1 --xy 1/2 --digits 50 --order 0
measure "kernel depth 1000, 50 digits, 1/n coefficients" kernel --widths 10,100x999,1 --xy 1/2 --digits 50
measure "kernel depth 1000, 50 digits, per layer" kernel --widths 10,100x999,1 --xy 1/2 --digits 50 --per-layer --format json
measure "kernel depth 1000, 50 digits, leaky 1/10" kernel --widths 10,100x999,1 --xy 1/2 --digits 50 --activation leaky:1/10
measure "kernel depth 100, 1000 digits, 1/n coefficients" kernel --widths 10,100x99,1 --xy 1/2 --digits 1000
measure "kernel depth 10, x.x' = (1 - 10^-30)|x||x'|" kernel --widths 10,100x9,1 --xy 0.999999999999999999999999999999 --digits 50
echo "  (target of issue 23: depth 1000 at 50 digits under a second; the loss to the small angle"
echo "   of deep ReLU networks, about 6 log2(1/theta) bits, is in the first precision tried)"
if [ -x "$dir/bench/kernel_gram" ]; then
    LD_LIBRARY_PATH="$dir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$dir/bench/kernel_gram" 10,100x9,1 100 30 2 |
        sed 's/^/100 x 100 Gram matrix, depth 10, 30 digits, 2 threads: /'
    LD_LIBRARY_PATH="$dir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$dir/bench/kernel_gram" 10,100x9,1 100 30 1 |
        sed 's/^/100 x 100 Gram matrix, depth 10, 30 digits, 1 thread:  /'
    echo "  (target of issue 23: under a second)"
fi

echo
echo "== Python (python/ntkexact): ntkexact.moments against the C call, and a table filled from Python"
if [ -f "$dir/python/ntkexact/_ntkexact.so" ] && [ -x "$dir/bench/moments_loop" ]; then
    PYTHONPATH="$dir/python" PYTHONDONTWRITEBYTECODE=1 $PY "$here/python_overhead.py" \
        "$dir/bench/moments_loop" "$NTK"
else
    echo "the Python package or bench/moments_loop is not built (make bench builds the latter)"
fi

#!/bin/sh
# Memory checks: the test programs and the tool under valgrind (definite and
# indirect leaks, invalid accesses), with inputs kept small for speed.  TAP.

if [ -z "$VALGRIND" ]; then
    echo "1..0 # SKIP valgrind not found (apt-get install valgrind)"
    exit 0
fi
B=${TOP_BUILDDIR:-.}
n=0
fails=0
run() {   # run DESCRIPTION COMMAND...
    desc=$1; shift
    n=$((n + 1))
    log=${TMPDIR:-/tmp}/ntk-vg.$$.$n
    "$B/libtool" --mode=execute "$VALGRIND" -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect "$@" >/dev/null 2>"$log"
    st=$?
    if [ $st -eq 99 ]; then
        echo "not ok $n - valgrind clean: $desc"; sed 's/^/# /' "$log" | head -40; fails=$((fails + 1))
    elif [ -n "$WANT_EXIT" ] && [ $st -ne "$WANT_EXIT" ]; then
        echo "not ok $n - $desc: exit $st, not $WANT_EXIT"; sed 's/^/# /' "$log" | head -40; fails=$((fails + 1))
    else
        echo "ok $n - valgrind clean: $desc (exit $st)"
    fi
    rm -f "$log"
}
for t in t-profile t-rational t-conv t-parallel t-api t-space t-hessian t-closed t-activation t-numeric t-limit t-expand t-paper; do
    run "tests/$t" "$B/tests/$t"
done
NTK_BRUTE_QUICK=1 run "tests/t-brute (a few of order 3 and 4)" "$B/tests/t-brute"
run "tests/t-kernel" "$B/tests/t-kernel"
run "tests/t-kernel-api" "$B/tests/t-kernel-api"
NTK_KERNEL_QUICK=1 run "tests/t-kernel-brute (depth <= 3)" "$B/tests/t-kernel-brute"
NTK_SAMPLE_SCALE=200 run "tests/t-sample (samples / 200)" "$B/tests/t-sample"
NTK_SAMPLE_SCALE=2000 run "tests/t-sample-projected (samples / 2000)" "$B/tests/t-sample-projected"
NTK_SAMPLE_SCALE=2000 run "tests/t-sample-activation (samples / 2000)" "$B/tests/t-sample-activation"
NTK_BRUTE_QUICK=1 run "tests/t-brute-update (a few)" "$B/tests/t-brute-update"
NTK_SAMPLE_SCALE=2000 run "tests/t-sample-update (samples / 2000)" "$B/tests/t-sample-update"
NTK_SAMPLE_SCALE=2000 run "tests/t-sample-pair (samples / 2000)" "$B/tests/t-sample-pair"
run "moments json" "$B/ntkexact" moments --widths 3,4x3,1 --format json --threads 2
run "moments symbolic text" "$B/ntkexact" moments --widths 2,1,3,1 --x2 symbolic --full
run "moments csv no-bias" "$B/ntkexact" moments --widths 5,2,1 --format csv --no-bias --param standard
run "moments with long fractions, threaded output" "$B/ntkexact" moments --widths 10,1000x200,1 --format json --threads 2
run "moments --double (numeric)" "$B/ntkexact" moments --widths 5,3x40,1 --double --format json
run "moments --order 4" "$B/ntkexact" moments --widths 3,3x3,1 --order 4 --format json --threads 2
run "moments --order 3 --x2 symbolic, text" "$B/ntkexact" moments --widths 2,2,1 --order 3 --x2 symbolic
run "moments --order 4 --double, x2 = 0" "$B/ntkexact" moments --widths 4,3x5,1 --order 4 --double --x2 0
run "table --order 4" "$B/ntkexact" table --profile 3,2,1 --order 4 --mu4 9/5 --format jsonl
run "moments --update --target, threaded" "$B/ntkexact" moments --widths 3,3x3,1 --target 1/2 --format json --threads 2
run "moments --update --x2 symbolic, text" "$B/ntkexact" moments --widths 2,3,2,1 --update --x2 symbolic
run "moments --update --double, x2 = 0" "$B/ntkexact" moments --widths 4,3x5,1 --update --double --x2 0
run "sample --update, both methods" "$B/ntkexact" sample --widths 3,4x2,1 --samples 300 --update --method full --format json
run "sample --update --checkpoint" "$B/ntkexact" sample --widths 3,4x2,1 --samples 300 --update --checkpoint "${TMPDIR:-/tmp}/ntk-vg.$$.ckpt"
run "sample, 2 threads" "$B/ntkexact" sample --widths 3,4x2,1 --samples 300 --threads 2 --format json
run "sample --method full" "$B/ntkexact" sample --widths 3,4x2,1 --samples 300 --method full --format csv
run "check --method projected, wide" "$B/ntkexact" check --widths 5,300x3,1 --samples 20 --method projected
run "check uniform no-bias" "$B/ntkexact" check --widths 3,2,1 --samples 300 --mu4 9/5 --no-bias
run "check --guarantee --order 4 (exact variances, blocks)" "$B/ntkexact" check --widths 3,2,1 --samples 600 --guarantee --order 4 --format json
run "check --order 3 csv (not estimable rows), --tolerance" "$B/ntkexact" check --widths 3,2,1 --samples 300 --order 3 --format csv --tolerance 3
run "check --update text (the update's rows; E_dK's exact variance)" "$B/ntkexact" check --widths 3,2,1 --samples 300 --update
run "sample --xy, 2 threads, projected" "$B/ntkexact" sample --widths 3,4x2,1 --samples 300 --y2 2 --xy 1/2 --threads 2 --format json
run "sample --xy --method full, csv" "$B/ntkexact" sample --widths 3,4x2,1 --samples 300 --xy -1/2 --method full --format csv
run "check --xy text (first-order and exact rows)" "$B/ntkexact" check --widths 3,5x2,1 --samples 300 --y2 2 --xy 1/2
rm -f "${TMPDIR:-/tmp}/ntk-vg.$$.pair.ckpt"
run "sample --xy --checkpoint (written)" "$B/ntkexact" sample --widths 3,4x2,1 --samples 300 --y2 2 --xy 1/2 --threads 2 --checkpoint "${TMPDIR:-/tmp}/ntk-vg.$$.pair.ckpt"
run "check --xy --checkpoint (resumed from the finished file)" "$B/ntkexact" check --widths 3,4x2,1 --samples 300 --y2 2 --xy 1/2 --checkpoint "${TMPDIR:-/tmp}/ntk-vg.$$.pair.ckpt"
run "sample --order 4 text (not estimable)" "$B/ntkexact" sample --widths 3,2,1 --samples 300 --order 4
NTK_SAMPLE_SCALE=40 run "tests/t-check (trials / 40)" "$B/tests/t-check"
run "expand" "$B/ntkexact" expand --depth 3 --n0 2 --format json
run "limit" "$B/ntkexact" limit --beta 1/2,2 --digits 40
run "expand, one pass with the 2^-n part" "$B/ntkexact" expand --depth 8 --n0 3 --format json
run "expand --method interpolate --no-dead-part" "$B/ntkexact" expand --depth 6 --method interpolate --no-dead-part
run "expand --depth symbolic" "$B/ntkexact" expand --depth symbolic --n0 3 --mu4 9/5 --order 3 --format json
run "expand --series, critical and not" "$B/ntkexact" expand --depth 50 --series --order 4 --param standard
run "expand --series off the critical variance" "$B/ntkexact" expand --depth 12 --series --order 3 --cw-hidden 3
run "expand --depth symbolic off the critical variance (exponential polynomials)" "$B/ntkexact" expand --depth symbolic --cw-hidden 3 --order 2 --moments 3 --format json
run "expand --depth symbolic --moments 4" "$B/ntkexact" expand --depth symbolic --moments 4 --order 1
run "expand --series --moments 3 off the critical variance" "$B/ntkexact" expand --depth 7 --series --moments 3 --cw-hidden 3 --order 1
run "expand --x2 0 --moments 4 --method interpolate" "$B/ntkexact" expand --depth 3 --x2 0 --moments 4 --activation leaky:1/2 --method interpolate
run "expand --depth symbolic --x2 0" "$B/ntkexact" expand --depth symbolic --x2 0 --order 2 --moments 3 --activation slopes:0,1
run "expand --depth symbolic refused (order)" "$B/ntkexact" expand --depth symbolic --cw-hidden 3 --order 21
run "expand --moments 4, the 2^-n part" "$B/ntkexact" expand --depth 4 --n0 2 --moments 4 --format json
run "expand --moments 3 --method interpolate, standard" "$B/ntkexact" expand --depth 3 --moments 3 --method interpolate --param standard
run "limit --order 1" "$B/ntkexact" limit --beta 1/2,2 --order 1 --digits 40 --activation leaky:1/2
run "limit --moments 4" "$B/ntkexact" limit --beta 1/2,2 --moments 4 --digits 40 --format json
run "limit --moments 3 (leaky, the spectral closed forms)" "$B/ntkexact" limit --beta 1/2 --moments 3 --activation leaky:1/2
run "limit --order 1 --moments 4" "$B/ntkexact" limit --beta 1/2 --order 1 --moments 4 --digits 20 --activation slopes:3/2,-1/3
run "limit --moments 4 refused (dead phase)" "$B/ntkexact" limit --beta 1/2 --moments 4 --activation slopes:0,1
run "table" "$B/ntkexact" table --depths 2,3 --hidden-widths 1,3 --a 0,1 --mu4 3,9/5 --format jsonl
run "kernel json, per layer" "$B/ntkexact" kernel --widths 3,10,20,1 --xy 1/3 --per-layer --format json
run "kernel csv, a zero input, linear" "$B/ntkexact" kernel --widths 3,5x3,1 --x2 0 --y2 2 --xy 0 --activation linear --format csv
run "kernel text, x' = -x, |x|, standard" "$B/ntkexact" kernel --widths 2,4x3,1 --x2 1 --y2 4 --xy -2 --activation abs --param standard
run "kernel --order 0, deep" "$B/ntkexact" kernel --widths 3,100x200,1 --xy 1/2 --order 0 --digits 50
run "kernel refused (mu4)" "$B/ntkexact" kernel --widths 3,2,1 --xy 0 --mu4 9/5
run "compare-paper" "$B/ntkexact" compare-paper --n 10 --beta 1/2 --a 1
run "bad widths" "$B/ntkexact" moments --widths 3,0,1
run "bad option" "$B/ntkexact" moments --widths 3,2,1 --mu4 0
# the Python extension: Python's own allocator off, so that valgrind sees
# every block (Python frees what it should at exit; none is definitely lost)
if [ -n "$PYTHON" ] && [ -f "$B/python/ntkexact/_ntkexact.so" ]; then
    PYTHONPATH="$B/python" PYTHONMALLOC=malloc PYTHONDONTWRITEBYTECODE=1 WANT_EXIT=0 \
        run "the Python package (python/tests/leakcheck.py)" "$PYTHON" "${SRCDIR:-.}/python/tests/leakcheck.py"
fi
rm -f "${TMPDIR:-/tmp}/ntk-vg.$$.ckpt" "${TMPDIR:-/tmp}/ntk-vg.$$.pair.ckpt"
echo "1..$n"
[ $fails -eq 0 ]

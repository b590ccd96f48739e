#!/bin/sh
# SIGINT and SIGTERM end every long command within a second, with status
# 130 and 143, a line on stderr and nothing half-written on stdout (table
# rows written before the signal stay whole).  TAP.
NTK=${NTKEXACT:-./ntkexact}
dir=$(dirname "$NTK")
if [ -x "$dir/.libs/ntkexact" ]; then
    LD_LIBRARY_PATH="$dir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
    NTK="$dir/.libs/ntkexact"
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=${TMPDIR:-/tmp}/ntk-sig.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
# each runs for many seconds when left alone
set -- \
    "moments --widths 10,1000x40000,1 --format json" \
    "moments --widths 10,1000x40000,1 --precision 200000" \
    "sample --widths 10,100x100,1 --samples 1000000" \
    "check --widths 10,100x100,1 --samples 1000000" \
    "expand --depth 300 --n0 10 --method interpolate" \
    "limit --beta 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 --digits 1000" \
    "table --depths 1000,2000,3000,4000,5000,6000 --hidden-widths 1000" \
    "compare-paper --n 300 --beta 10,20,30 --threads 1"
for cmd in "$@"; do
    for sig in INT TERM; do
        n=$((n + 1))
        $NTK $cmd >"$tmp/out" 2>"$tmp/err" &
        pid=$!
        sleep 1.5
        start=$(date +%s%N)
        kill -s $sig $pid 2>/dev/null
        wait $pid
        st=$?
        took=$(( ($(date +%s%N) - start) / 1000000 ))
        want=$([ $sig = INT ] && echo 130 || echo 143)
        case "$cmd" in
            table*) whole=$("$PY" -c 'import csv, sys; csv.field_size_limit(sys.maxsize)
rows = list(csv.reader(open(sys.argv[1])))
text = open(sys.argv[1]).read()
print("" if all(len(r) == len(rows[0]) for r in rows) and text.endswith("\n") else "partial")' "$tmp/out");;
            *) whole=$([ -s "$tmp/out" ] && echo "output");;
        esac
        if [ $st -eq $want ] && [ $took -lt 1000 ] && [ -z "$whole" ] && grep -q '^ntkexact: ' "$tmp/err"; then
            echo "ok $n - SIG$sig ends '$cmd' in $took ms with status $st"
        else
            echo "not ok $n - SIG$sig on '$cmd': status $st (want $want), $took ms, stdout: ${whole:-clean}"
            fails=$((fails + 1))
        fi
    done
done
echo "1..$n"
[ $fails -eq 0 ]

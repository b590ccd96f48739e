#!/bin/sh
# sample, check and table across MPI ranks (mpirun -np P, P = 1, 2, 3 on
# this small machine: --oversubscribe), with 1 and 2 threads each: the
# output is byte-identical to the tool's without a launcher.  Bad input is
# reported once with status 2; a killed rank ends the job, never a hang
# (every run has a time limit); a checkpoint written by 2 ranks and cut by
# SIGTERM is finished by 3 ranks with the bytes of the plain run, for one
# input and for two (--xy); table
# --resume across ranks, and its refusals with one message.  Skipped in a
# build without MPI.  TAP.
NTK=${NTKEXACT:-./ntkexact}
if [ -z "$MPIRUN" ]; then
    echo "1..0 # SKIP ntkexact is built without MPI"
    exit 0
fi
dir=$(dirname "$NTK")
if [ -x "$dir/.libs/ntkexact" ]; then
    LD_LIBRARY_PATH="$dir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
    NTK="$dir/.libs/ntkexact"
fi
# one machine: shared memory between the ranks, no network probing, no
# binding (several threads per rank), no complaint about running as root
OMPI_MCA_btl=self,vader
OMPI_MCA_btl_base_warn_component_unused=0
OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_btl OMPI_MCA_btl_base_warn_component_unused OMPI_MCA_rmaps_base_oversubscribe
# a sanitizer's leak report on MPI's own allocations is not ours
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
MR="$MPIRUN --oversubscribe --allow-run-as-root --bind-to none -x LD_LIBRARY_PATH -x ASAN_OPTIONS"
LIMIT=120
tmp=${TMPDIR:-/tmp}/ntk-mpi.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
# runs: mpi P ARGS... (stdout: $tmp/out, stderr: $tmp/err, status: $st)
mpi() {
    p=$1
    shift
    timeout $LIMIT $MR -np $p "$NTK" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
}
# the lines of ntkexact itself on stderr (mpirun adds its own)
ours() { grep -c '^ntkexact: ' "$tmp/err"; }

# ---------------------------------------------------------------- byte identity
while read -r args; do
    $NTK $args >"$tmp/plain" 2>/dev/null
    want=$?
    same=""
    differ=""
    for p in 1 2 3; do
        for t in 1 2; do
            mpi $p $args --threads $t
            if [ $st -eq $want ] && cmp -s "$tmp/out" "$tmp/plain"; then
                same="$same ${p}x$t"
            else
                differ="$differ ${p}x$t(exit $st)"
            fi
        done
    done
    [ -z "$differ" ]
    ok $? "'$args' (exit $want): byte-identical for ranks x threads$same${differ:+; differs:$differ}"
done <<EOF
sample --widths 10,100x100,1 --samples 3000 --format json
check --widths 4,6x3,1 --samples 5000 --law uniform --format csv
check --widths 3,4x3,1 --samples 20000 --guarantee --format json
table --depths 2,3,5 --hidden-widths 2,5 --a 1,2 --mu4 3,9/5
sample --widths 10,50x20,1 --samples 3000 --y2 2 --xy 3/5 --format json
check --widths 3,64x2,1 --samples 4000 --y2 2 --xy 3/5 --format json
EOF
while read -r args; do
    $NTK $args >"$tmp/plain" 2>/dev/null
    want=$?
    mpi 3 $args
    [ $st -eq $want ] && cmp -s "$tmp/out" "$tmp/plain"
    ok $? "'$args' on 3 ranks: the plain tool's bytes (exit $st)"
done <<EOF
sample --widths 3,2,1 --samples 2 --format json
check --widths 3,5x4,1 --samples 20000 --seed 7 --activation leaky:1/3
table --depths 2,3 --hidden-widths 2,5 --profile 3,4,5,1 --format jsonl --digits 10
moments --widths 3,4x3,1 --format json
EOF
mpi 3 sample --widths 10,100x100,1 --samples 30000 --progress
[ $st -eq 0 ] && [ "$(grep -c 'ntkexact sample: 100% of the samples' "$tmp/err")" -eq 1 ] \
    && [ "$(grep -c '^ntkexact' "$tmp/err")" -eq "$(grep -c '^ntkexact sample: ' "$tmp/err")" ]
ok $? "--progress on 3 ranks: one progress line per update, of the whole job, to 100% once"

# ---------------------------------------------------------------- errors
while read -r args; do
    mpi 3 $args
    [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(ours)" -eq 1 ]
    ok $? "bad input on 3 ranks: '$args': exit $st, one message: $(grep '^ntkexact: ' "$tmp/err" | head -c 120)"
done <<EOF
sample --widths 3,0,1 --samples 100
check --widths 3,2,1 --samples 1
table --depths 2 --hidden-widths 0
sample --widths 3,2,1 --samples 100 --checkpoint-every 0
table --depths 2 --hidden-widths 2 --resume
sample --widths 3,2,1 --samples 100 --y2 1 --xy 2
EOF
$NTK sample --widths 3,4x3,1 --samples 2000 --checkpoint "$tmp/other.ckpt" >/dev/null 2>&1
mpi 2 sample --widths 3,4x3,1 --samples 2000 --seed 9 --checkpoint "$tmp/other.ckpt"
[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(ours)" -eq 1 ] && grep -q '(--seed)' "$tmp/err"
ok $? "a checkpoint of another seed on 2 ranks: exit $st, one message naming --seed"
mpi 2 sample --widths 3,4x3,1 --samples 2000 --y2 2 --xy 1/2 --checkpoint "$tmp/other.ckpt"
[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(ours)" -eq 1 ] && grep -q 'of a one-input run' "$tmp/err"
ok $? "a one-input checkpoint in a two-input run on 2 ranks: exit $st, one message: $(grep '^ntkexact: ' "$tmp/err" | head -c 100)"
mpi 2 sample --widths 3,4x3,1 --samples 2000 --checkpoint /nonexistent/dir/run.ckpt
[ $st -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(ours)" -eq 1 ]
ok $? "a checkpoint that cannot be written on 2 ranks: exit $st, one message"
# a rank killed in the middle of the run
timeout $LIMIT $MR -np 3 "$NTK" sample --widths 10,100x100,1 --samples 3000000 --threads 1 \
    </dev/null >"$tmp/out" 2>"$tmp/err" &
job=$!
sleep 3
# timeout's child is mpirun, whose children are the ranks
launcher=$(pgrep -P $job | head -1)
victim=$(pgrep -P "${launcher:-0}" | tail -1)
start=$(date +%s)
[ -n "$victim" ] && kill -9 $victim
wait $job
st=$?
took=$(( $(date +%s) - start ))
[ $st -ne 0 ] && [ $st -ne 124 ] && [ ! -s "$tmp/out" ]
ok $? "kill -9 of one of 3 ranks (pid ${victim:-none}) ends the job in ${took} s with status $st, stdout empty"

# ---------------------------------------------------------------- checkpoints
S="sample --widths 10,100x100,1 --samples 80000 --format json"
$NTK $S >"$tmp/plain" 2>/dev/null
ck="$tmp/run.ckpt"
timeout $LIMIT $MR -np 2 "$NTK" $S --threads 1 --checkpoint "$ck" --checkpoint-every 0.2 \
    </dev/null >"$tmp/out" 2>"$tmp/err" &
job=$!
# until the first round is in the checkpoint
k=0
while [ "$(sed -n 's/^next //p' "$ck" 2>/dev/null)" = 0 ] || [ ! -s "$ck" ]; do
    sleep 0.1
    k=$((k + 1))
    [ $k -lt 300 ] || break
done
kill -TERM $job
wait $job
st=$?
held=$(sed -n 's/^next //p' "$ck")
[ $st -ne 0 ] && [ ! -s "$tmp/out" ] && [ "${held:-0}" -gt 0 ]
ok $? "SIGTERM to mpirun (2 ranks): exit $st, the checkpoint holds ${held:-no} chunks: $(grep '^ntkexact' "$tmp/err" | head -c 160)"
mpi 3 $S --threads 2 --checkpoint "$ck" --checkpoint-every 0.2
[ $st -eq 0 ] && cmp -s "$tmp/out" "$tmp/plain"
ok $? "resumed on 3 ranks x 2 threads: the bytes of the plain uninterrupted run"
mpi 2 $S --checkpoint "$ck"
[ $st -eq 0 ] && cmp -s "$tmp/out" "$tmp/plain"
ok $? "the finished checkpoint on 2 ranks: the same output at once"

# two inputs: cut by SIGTERM on 2 ranks, finished on 3
P="sample --widths 10,100x50,1 --samples 40000 --y2 2 --xy 3/5 --format json"
$NTK $P >"$tmp/plain" 2>/dev/null
ck="$tmp/pair.ckpt"
timeout $LIMIT $MR -np 2 "$NTK" $P --threads 1 --checkpoint "$ck" --checkpoint-every 0.2 \
    </dev/null >"$tmp/out" 2>"$tmp/err" &
job=$!
k=0
while [ "$(sed -n 's/^next //p' "$ck" 2>/dev/null)" = 0 ] || [ ! -s "$ck" ]; do
    sleep 0.1
    k=$((k + 1))
    [ $k -lt 300 ] || break
done
kill -TERM $job
wait $job
st=$?
held=$(sed -n 's/^next //p' "$ck")
mpi 3 $P --threads 2 --checkpoint "$ck" --checkpoint-every 0.2
[ $st -eq 0 ] && cmp -s "$tmp/out" "$tmp/plain" && [ "${held:-0}" -gt 0 ]
ok $? "two inputs: cut by SIGTERM on 2 ranks (chunk ${held:-none}), resumed on 3 ranks x 2 threads: the plain run's bytes"

# ---------------------------------------------------------------- table --resume
T="table --depths 2,3,5,8 --hidden-widths 2,5,7 --a 1,2,1/2 --mu4 3,9/5"
$NTK $T >"$tmp/table"
for p in 2 3; do
    head -c 9000 "$tmp/table" >"$tmp/t.csv"
    mpi $p $T --output "$tmp/t.csv" --resume
    [ $st -eq 0 ] && [ ! -s "$tmp/out" ] && cmp -s "$tmp/t.csv" "$tmp/table"
    ok $? "table --resume on $p ranks from the first 9000 bytes: the same bytes"
done
# refusals on 3 ranks, before and after the work began (issue 22, point 8:
# rank 0's message came with one "ntkexact: terminated" per other rank)
head -6 "$tmp/table" | sed '4s/^"1,2,1",2/"1,3,1",2/' >"$tmp/t.csv"
cp "$tmp/t.csv" "$tmp/before"
mpi 3 $T --output "$tmp/t.csv" --resume
[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(ours)" -eq 1 ] && cmp -s "$tmp/t.csv" "$tmp/before"
ok $? "table --resume of another table's rows on 3 ranks: exit $st, one message: $(grep '^ntkexact' "$tmp/err" | head -c 100)"
head -6 "$tmp/table" | sed '2s/,7\/2,3\.5000/,9\/2,3.5000/' >"$tmp/t.csv"
cp "$tmp/t.csv" "$tmp/before"
mpi 3 $T --output "$tmp/t.csv" --resume
[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(ours)" -eq 1 ] && cmp -s "$tmp/t.csv" "$tmp/before" \
    && grep -q 'line 2 (the row .*) holds values this table does not compute' "$tmp/err"
ok $? "table --resume of an edited value on 3 ranks: exit $st, one message: $(grep '^ntkexact' "$tmp/err" | head -c 100)"
mkfifo "$tmp/fifo"
mpi 3 sample --widths 3,4x3,1 --samples 2000 --checkpoint "$tmp/fifo"
[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(ours)" -eq 1 ] && grep -q -- '--checkpoint' "$tmp/err"
ok $? "a FIFO as --checkpoint on 3 ranks: exit $st, one message"
# --output FILE: under mpirun a failed write to stdout is invisible (mpirun
# forwards it), a failed write to FILE is not
C="check --widths 3,5x4,1 --samples 20000 --seed 7 --format json"
$NTK $C >"$tmp/plain" 2>/dev/null
mpi 3 $C --output "$tmp/o.json"
[ $st -eq 0 ] && [ ! -s "$tmp/out" ] && cmp -s "$tmp/o.json" "$tmp/plain"
ok $? "check --output FILE on 3 ranks: FILE holds the plain tool's bytes (exit $st)"
mpi 3 sample --widths 3,4x3,1 --samples 2000 --output /dev/full
[ $st -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(ours)" -eq 1 ]
ok $? "sample --output /dev/full on 3 ranks: exit $st, one message: $(grep '^ntkexact' "$tmp/err" | head -c 100)"
mpi 2 check --widths 3,4x3,1 --samples 2000 --output /nonexistent/dir/o
[ $st -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(ours)" -eq 1 ]
ok $? "check --output into a missing directory on 2 ranks: exit $st before any work, one message"
echo "1..$n"
[ $fails -eq 0 ]

#!/bin/sh
# Checkpoints of sample and check (--checkpoint), and table --output
# --resume, without MPI (tests/mpi.sh runs them across ranks): a run killed
# with kill -9 at random moments, three times, then finished, prints the
# bytes of a run never interrupted; SIGINT and SIGTERM save the checkpoint
# first; a checkpoint from other options is refused naming the option, a
# damaged one is refused, and so is a file that is not a regular file (a
# FIFO, a directory, a device, a socket; a symbolic link is followed to a
# regular file that exists); a table cut anywhere is completed to the same bytes,
# and a file that is not a partial output of the command is refused, as is
# a kept row with other values (checked by the hash of its unit, or
# computed again).  Two-input runs (--xy) likewise: kill -9 and resume,
# a finished checkpoint, and refusals of other inputs, of a one-input
# checkpoint and of a damaged one.  TAP.
NTK=${NTKEXACT:-./ntkexact}
dir=$(dirname "$NTK")
if [ -x "$dir/.libs/ntkexact" ]; then
    LD_LIBRARY_PATH="$dir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
    NTK="$dir/.libs/ntkexact"
fi
tmp=${TMPDIR:-/tmp}/ntk-ckpt.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
# a random delay in seconds between $1 and $2 (dash has no $RANDOM)
delay() {
    awk -v lo="$1" -v hi="$2" -v r="$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')" \
        'BEGIN { printf "%.2f", lo + (hi - lo) * r / 65535 }'
}
next_of() { sed -n 's/^next //p' "$1" 2>/dev/null; }

# ---------------------------------------------------------------- kill -9
S="sample --widths 10,100x100,1 --samples 40000 --threads 2 --format json"
$NTK $S >"$tmp/plain" 2>/dev/null
st=$?
ok $st "uninterrupted run of '$S'"
ck="$tmp/run.ckpt"
killed=""
for k in 1 2 3; do
    $NTK $S --checkpoint "$ck" --checkpoint-every 0.1 >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    d=$(delay 0.3 1.2)
    sleep "$d"
    kill -9 $pid 2>/dev/null
    wait $pid
    killed="$killed ${d}s:chunk$(next_of "$ck")"
done
$NTK $S --checkpoint "$ck" --checkpoint-every 0.1 >"$tmp/out" 2>"$tmp/err"
st=$?
cmp -s "$tmp/out" "$tmp/plain"
ok $(( st + $? )) "kill -9 three times (after$killed), then resumed: the bytes of the uninterrupted run"
[ ! -s "$tmp/err" ] && [ "$(next_of "$ck")" = "$(sed -n 's/^chunks //p' "$ck")" ]
ok $? "the resumed run is silent and its checkpoint holds every chunk"
$NTK $S --checkpoint "$ck" >"$tmp/out" 2>"$tmp/err"
cmp -s "$tmp/out" "$tmp/plain"
ok $? "a finished checkpoint gives the same output at once"
C="check --widths 10,100x100,1 --samples 40000 --threads 2 --format json"
$NTK $C >"$tmp/plain-check" 2>/dev/null
$NTK $C --checkpoint "$ck" >"$tmp/out" 2>/dev/null
cmp -s "$tmp/out" "$tmp/plain-check"
ok $? "check with the checkpoint of the same sampling: the output of a plain check"

# ---------------------------------------------------------------- SIGINT, SIGTERM
for sig in INT TERM; do
    ck="$tmp/sig-$sig.ckpt"
    # the default interval: only the signal saves anything after the start
    $NTK $S --checkpoint "$ck" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    sleep 0.8
    kill -s $sig $pid
    wait $pid
    st=$?
    want=$([ $sig = INT ] && echo 130 || echo 143)
    held=$(next_of "$ck")
    if [ $st -eq 0 ]; then
        n=$((n + 1))
        echo "ok $n - SIG$sig saves the checkpoint # SKIP the run ended before the signal"
    else
        [ $st -eq $want ] && [ ! -s "$tmp/out" ] && grep -q "^ntkexact: .*the checkpoint .* holds [0-9]* of the 40000 samples" "$tmp/err" \
            && [ "${held:-0}" -gt 0 ]
        ok $? "SIG$sig saves the checkpoint (chunk $held) and exits $st (want $want), stdout empty"
    fi
    $NTK $S --checkpoint "$ck" >"$tmp/out" 2>/dev/null
    cmp -s "$tmp/out" "$tmp/plain"
    ok $? "resumed after SIG$sig: the bytes of the uninterrupted run"
done

# ---------------------------------------------------------------- other options
B="sample --widths 3,4x3,1 --samples 20000 --seed 5"
ck="$tmp/small.ckpt"
$NTK $B --checkpoint "$ck" >"$tmp/small" 2>/dev/null
cp "$ck" "$tmp/small.good"
while IFS='|' read -r opts flag; do
    $NTK sample --samples 20000 $opts --checkpoint "$ck" >"$tmp/out" 2>"$tmp/err"
    st=$?
    [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q -- "($flag" "$tmp/err" && cmp -s "$ck" "$tmp/small.good"
    ok $? "refuses a checkpoint of other options: '$opts' (exit $st: $(head -c 160 "$tmp/err"))"
done <<EOF
--widths 3,4x4,1 --seed 5|--widths
--widths 3,4x3,1 --seed 5 --x2 2|--x2
--widths 3,4x3,1 --seed 5 --activation leaky:1/2|--activation
--widths 3,4x3,1 --seed 5 --cw-hidden 3|--cw-hidden
--widths 3,4x3,1 --seed 5 --cw-output 2|--cw-output
--widths 3,4x3,1 --seed 5 --param standard|--param
--widths 3,4x3,1 --seed 5 --no-bias|--no-bias
--widths 3,4x3,1 --seed 5 --law uniform|--law
--widths 3,4x3,1 --seed 5 --method full|--method
--widths 3,4x3,1 --seed 6|--seed
EOF
$NTK sample --widths 3,4x3,1 --samples 20001 --seed 5 --checkpoint "$ck" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- "(--samples" "$tmp/err"
ok $? "refuses a checkpoint of another --samples"
$NTK sample --widths 3,4,4,4,1 --samples 20000 --seed 5 --threads 1 --cw-hidden 2 --method projected \
    --checkpoint "$ck" --format text >"$tmp/out" 2>"$tmp/err"
cmp -s "$tmp/out" "$tmp/small"
ok $? "accepts the same run spelled otherwise (3,4,4,4,1, --cw-hidden 2, --method projected, --threads 1)"

# ---------------------------------------------------------------- two inputs
P="sample --widths 10,100x50,1 --samples 40000 --y2 2 --xy 3/5 --threads 2 --format json"
$NTK $P >"$tmp/plain-pair" 2>/dev/null
ok $? "uninterrupted two-input run of '$P'"
ck="$tmp/pair.ckpt"
killed=""
for k in 1 2 3; do
    $NTK $P --checkpoint "$ck" --checkpoint-every 0.1 >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    d=$(delay 0.3 1.2)
    sleep "$d"
    kill -9 $pid 2>/dev/null
    wait $pid
    killed="$killed ${d}s:chunk$(next_of "$ck")"
done
$NTK $P --checkpoint "$ck" --checkpoint-every 0.1 >"$tmp/out" 2>"$tmp/err"
st=$?
cmp -s "$tmp/out" "$tmp/plain-pair" && [ ! -s "$tmp/err" ] \
    && [ "$(next_of "$ck")" = "$(sed -n 's/^chunks //p' "$ck")" ]
ok $(( st + $? )) "two inputs: kill -9 three times (after$killed), then resumed: the bytes of the uninterrupted run, every chunk held"
$NTK $P --checkpoint "$ck" >"$tmp/out" 2>"$tmp/err"
cmp -s "$tmp/out" "$tmp/plain-pair"
ok $? "two inputs: a finished checkpoint gives the same output at once"
for sig in INT TERM; do
    $NTK $P --checkpoint "$tmp/pair-$sig.ckpt" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    sleep 0.6
    kill -s $sig $pid
    wait $pid
    st=$?
    held=$(next_of "$tmp/pair-$sig.ckpt")
    $NTK $P --checkpoint "$tmp/pair-$sig.ckpt" >"$tmp/out2" 2>/dev/null
    if [ $st -eq 0 ]; then
        cmp -s "$tmp/out2" "$tmp/plain-pair"
        ok $? "two inputs: resumed after SIG$sig # SKIP the run ended before the signal"
    else
        [ $st -eq $([ $sig = INT ] && echo 130 || echo 143) ] && [ ! -s "$tmp/out" ] \
            && [ "${held:-0}" -gt 0 ] && cmp -s "$tmp/out2" "$tmp/plain-pair"
        ok $? "two inputs: SIG$sig saves the checkpoint (chunk $held, exit $st), resumed to the same bytes"
    fi
done
$NTK $P --threads 1 --checkpoint "$tmp/pair1.ckpt" --checkpoint-every 0.05 >"$tmp/out" 2>/dev/null
cmp -s "$tmp/out" "$tmp/plain-pair"
ok $? "two inputs: one thread, checkpointed every 0.05 s: the same bytes"
cp "$ck" "$tmp/pair.good"
refused() {   # refused DESCRIPTION PATTERN COMMAND...
    what=$1
    pattern=$2
    shift 2
    "$@" --checkpoint "$ck" >"$tmp/out" 2>"$tmp/err"
    st=$?
    [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
        && grep -q -- "$pattern" "$tmp/err" && cmp -s "$ck" "$tmp/pair.good"
    ok $? "two inputs: refuses $what (exit $st: $(head -c 150 "$tmp/err"))"
}
PW="--widths 10,100x50,1 --samples 40000 --threads 2 --format json"
refused "a checkpoint of another --y2" "(--y2" $NTK sample $PW --y2 3 --xy 3/5
refused "a checkpoint of another --xy" "(--xy" $NTK sample $PW --y2 2 --xy 1/2
refused "a checkpoint of another --x2" "(--x2" $NTK sample $PW --x2 2 --y2 2 --xy 3/5
refused "its checkpoint in a one-input run" "of a two-input run (--xy), not of this one-input" \
    $NTK sample $PW
B1="$tmp/small.good"
cp "$B1" "$ck"
cp "$ck" "$tmp/pair.good"
refused "a one-input checkpoint" "of a one-input run (no --xy), not of this two-input" \
    $NTK sample --widths 3,4x3,1 --samples 20000 --seed 5 --y2 2 --xy 3/5
C2="check --widths 3,64x2,1 --samples 4000 --y2 2 --xy 3/5 --threads 2 --format json"
$NTK $C2 >"$tmp/plain-check2" 2>/dev/null
$NTK $C2 --checkpoint "$tmp/check2.ckpt" --checkpoint-every 0.05 >"$tmp/out" 2>/dev/null
st=$?
$NTK $C2 --checkpoint "$tmp/check2.ckpt" >"$tmp/out2" 2>/dev/null
cmp -s "$tmp/out" "$tmp/plain-check2" && cmp -s "$tmp/out2" "$tmp/plain-check2"
ok $(( st + $? )) "check --xy with a checkpoint, and from its finished checkpoint: the bytes of a plain check"
for line in 4 20 40; do
    awk -v l=$line 'NR == l { sub(/[0-9]/, (substr($0, match($0, /[0-9]/), 1) + 1) % 10) } { print }' \
        "$tmp/check2.ckpt" >"$ck"
    cp "$ck" "$tmp/pair.good"
    refused "a two-input checkpoint with a digit changed on line $line" "^ntkexact: --checkpoint" $NTK $C2
done

# ---------------------------------------------------------------- damaged files
size=$(wc -c <"$tmp/small.good")
damage() {
    $NTK $B --checkpoint "$ck" >"$tmp/out" 2>"$tmp/err"
    st=$?
    [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "^ntkexact: --checkpoint" "$tmp/err"
    ok $? "refuses $1 (exit $st: $(head -c 120 "$tmp/err"))"
}
for cut in 0 1 30 $((size / 2)) $((size - 20)) $((size - 1)); do
    head -c $cut "$tmp/small.good" >"$ck"
    damage "a checkpoint cut to $cut of $size bytes"
done
for line in 3 14 16 18 30; do
    # one digit changed on line $line
    awk -v l=$line 'NR == l { sub(/[0-9]/, (substr($0, match($0, /[0-9]/), 1) + 1) % 10) } { print }' \
        "$tmp/small.good" >"$ck"
    cmp -s "$ck" "$tmp/small.good" && echo "# line $line unchanged"
    damage "a checkpoint with a digit changed on line $line"
done
sed 's/^ntkexact-checkpoint [0-9]*$/ntkexact-checkpoint 99/' "$tmp/small.good" >"$ck"
damage "a checkpoint of another format version"
printf 'hello\n' >"$ck"
damage "a file that is not a checkpoint"
cp "$tmp/small.good" "$ck"
$NTK $B --checkpoint "$ck" >"$tmp/out" 2>/dev/null
cmp -s "$tmp/out" "$tmp/small"
ok $? "the intact checkpoint is accepted after all that"

# ---------------------------------------------------------------- not a regular file
# (issue 22, point 5: a FIFO as --checkpoint blocked the run forever before
# any work): refused at once, naming --checkpoint, the file left alone
notregular() {   # notregular PATH DESCRIPTION [COMMAND]
    start=$(date +%s)
    timeout 20 $NTK ${3:-$B} --checkpoint "$1" >"$tmp/out" 2>"$tmp/err"
    st=$?
    [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
        && grep -q "^ntkexact: --checkpoint $1" "$tmp/err"
    ok $? "refuses $2 as --checkpoint in $(( $(date +%s) - start )) s (exit $st: $(head -c 140 "$tmp/err"))"
}
mkfifo "$tmp/fifo"
notregular "$tmp/fifo" "a FIFO"
notregular "$tmp/fifo" "a FIFO, before check computes anything" \
    "check --widths 3,10000x300,1 --samples 100"
[ -p "$tmp/fifo" ]
ok $? "the FIFO is left a FIFO"
mkdir "$tmp/adir"
notregular "$tmp/adir" "a directory"
notregular /dev/null "a character device"
if "${PYTHON:-python3}" -c "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" \
        "$tmp/sock" 2>/dev/null; then
    notregular "$tmp/sock" "a socket"
fi
mkfifo "$tmp/new.ckpt.tmp"
timeout 20 $NTK $B --checkpoint "$tmp/new.ckpt" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "new.ckpt.tmp, through which" "$tmp/err" && [ ! -e "$tmp/new.ckpt" ]
ok $? "refuses a FIFO as FILE.tmp, through which the checkpoint is written (exit $st)"
ln -s "$tmp/nothing" "$tmp/dangling"
notregular "$tmp/dangling" "a symbolic link to nothing"
ln -s /dev/null "$tmp/devlink"
notregular "$tmp/devlink" "a symbolic link to a device"
# a link to a regular file is followed: the checkpoint is written where it
# points (the link stays a link) and the run resumes through it
ck="$tmp/target.ckpt"
$NTK $S --checkpoint "$ck" --checkpoint-every 0.1 >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -9 $pid 2>/dev/null
wait $pid
held=$(next_of "$ck")
ln -s "$ck" "$tmp/link.ckpt"
$NTK $S --checkpoint "$tmp/link.ckpt" --checkpoint-every 0.1 >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 0 ] && cmp -s "$tmp/out" "$tmp/plain" && [ -L "$tmp/link.ckpt" ] && [ ! -e "$tmp/link.ckpt.tmp" ] \
    && [ "$(next_of "$ck")" = "$(sed -n 's/^chunks //p' "$ck")" ]
ok $? "a symbolic link to a checkpoint (chunk ${held:-none}) is followed: resumed to the same bytes, written where it points, the link stays a link (exit $st)"
rm -f "$ck"
notregular "$tmp/link.ckpt" "a symbolic link to a checkpoint not written yet"

# ---------------------------------------------------------------- table --resume
T="table --depths 2,3,5,8 --hidden-widths 2,5,7 --a 1,2,1/2 --mu4 3,9/5"
for fmt in csv jsonl; do
    $NTK $T --format $fmt >"$tmp/table.$fmt"
    total=$(wc -c <"$tmp/table.$fmt")
    cuts=""
    good=0
    for cut in 0 1 $(delay 2 $total | cut -d. -f1) $(delay 2 $total | cut -d. -f1) $((total - 1)) $total; do
        head -c $cut "$tmp/table.$fmt" >"$tmp/t.out"
        $NTK $T --format $fmt --output "$tmp/t.out" --resume 2>"$tmp/err" || good=1
        cmp -s "$tmp/t.out" "$tmp/table.$fmt" || good=1
        cuts="$cuts $cut"
    done
    ok $good "table --format $fmt cut at bytes$cuts of $total, resumed: the same bytes"
done
$NTK $T --no-header >"$tmp/nh"
head -3 "$tmp/nh" >"$tmp/t.out"
$NTK $T --no-header --output "$tmp/t.out" --resume && cmp -s "$tmp/t.out" "$tmp/nh"
ok $? "table --no-header resumed"
rm -f "$tmp/new.csv"
$NTK $T --output "$tmp/new.csv" --resume && cmp -s "$tmp/new.csv" "$tmp/table.csv"
ok $? "table --resume on a file that does not exist writes it all"
notpartial() {
    $NTK $T --output "$tmp/t.out" --resume >"$tmp/out" 2>"$tmp/err"
    st=$?
    [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "^ntkexact: --resume: .* is not a partial output" "$tmp/err" \
        && cmp -s "$tmp/t.out" "$tmp/before"
    ok $? "table --resume refuses $1, leaving it alone (exit $st)"
}
head -6 "$tmp/table.csv" | sed '4s/^"1,2,1",2/"1,3,1",2/' >"$tmp/t.out"; cp "$tmp/t.out" "$tmp/before"
notpartial "a row of another profile"
head -6 "$tmp/table.csv" | sed '4s/,[^,]*,[^,]*$//' >"$tmp/t.out"; cp "$tmp/t.out" "$tmp/before"
notpartial "a row with columns missing"
cp "$tmp/table.jsonl" "$tmp/t.out"; cp "$tmp/t.out" "$tmp/before"
notpartial "a JSON Lines output where CSV is written"
(cat "$tmp/table.csv"; tail -1 "$tmp/table.csv") >"$tmp/t.out"; cp "$tmp/t.out" "$tmp/before"
notpartial "one row more than the table"
$NTK $T --mu4 3 >"$tmp/t.out"; cp "$tmp/t.out" "$tmp/before"
notpartial "the output of another --mu4"
# kept rows are checked by their bytes (issue 22, point 4: an edited value
# was kept, and a row of nan,inf): every kept row that is not what this
# table writes is refused, naming the line, before the file is touched
edited() {   # edited DESCRIPTION LINE [TABLE]: t.out is the edited file
    cp "$tmp/t.out" "$tmp/before"
    $NTK ${3:-$T} --output "$tmp/t.out" --resume >"$tmp/out" 2>"$tmp/err"
    st=$?
    [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
        && grep -q "^ntkexact: --resume: .* line $2 (the row .*) holds values this table does not compute" "$tmp/err" \
        && cmp -s "$tmp/t.out" "$tmp/before"
    ok $? "table --resume refuses $1, naming line $2, leaving it alone (exit $st: $(head -c 90 "$tmp/err"))"
}
head -c 2000 "$tmp/table.csv" | sed '2s/,7\/2,3\.5000/,9\/2,3.5000/' >"$tmp/t.out"
grep -q ',9/2,3.5000' "$tmp/t.out" || echo "# the edit did not apply"
edited "a value edited from 7/2 to 9/2" 2
head -c 2000 "$tmp/table.csv" | sed '3s/,[^,]*,[^,]*$/,nan,inf/' >"$tmp/t.out"
edited "a row ending in nan,inf" 3
head -c 2000 "$tmp/table.csv" | sed '4s/\(.*\)9/\17/' >"$tmp/t.out"
edited "a row with one digit changed in its last column" 4
head -c 3000 "$tmp/table.jsonl" | sed '1s/"E_K": \["7\/2"/"E_K": ["9\/2"/' >"$tmp/t.out"
grep -q '"E_K": \["9/2"' "$tmp/t.out" || echo "# the edit did not apply"
edited "an edited JSON Lines row" 1 "$T --format jsonl"
# a table killed while it writes: FILE.ntkexact-sums has the hash of each
# unit written, so that the kept rows are checked without computing them
B2="table --depths 300,400,500,600,700,800 --hidden-widths 100,200 --a 1,2 --threads 2"
$NTK $B2 >"$tmp/big" 2>/dev/null
rm -f "$tmp/t.out"
$NTK $B2 --output "$tmp/t.out" 2>/dev/null &
pid=$!
# killed once a few rows are there (the later rows take longer)
k=0
while [ "$(wc -l <"$tmp/t.out" 2>/dev/null || echo 0)" -lt 4 ] && [ $k -lt 600 ]; do
    sleep 0.05
    k=$((k + 1))
done
kill -9 $pid 2>/dev/null
wait $pid
rows=$(wc -l <"$tmp/t.out")
sums=$(grep -c '^u ' "$tmp/t.out.ntkexact-sums" 2>/dev/null)
cp "$tmp/t.out" "$tmp/killed"
cp "$tmp/t.out.ntkexact-sums" "$tmp/killed.sums" 2>/dev/null
$NTK $B2 --output "$tmp/t.out" --resume && cmp -s "$tmp/t.out" "$tmp/big" && [ ! -e "$tmp/t.out.ntkexact-sums" ]
ok $? "a table killed with kill -9 ($rows of $(wc -l <"$tmp/big") lines written, ${sums:-no} unit hashes), resumed: the same bytes, the sums file gone"
cp "$tmp/killed" "$tmp/t.out"
sed -i '2s/,\([0-9]*\)\/\([0-9]*\),/,1\1\/\2,/' "$tmp/t.out"
cp "$tmp/killed.sums" "$tmp/t.out.ntkexact-sums" 2>/dev/null
edited "an edited row whose unit hash is recorded" 2 "$B2"
cp "$tmp/killed" "$tmp/t.out"
printf 'ntkexact-table-sums 1\nu 0 0123456789abcdef\ngarbage\n' >"$tmp/t.out.ntkexact-sums"
$NTK $B2 --output "$tmp/t.out" --resume && cmp -s "$tmp/t.out" "$tmp/big"
ok $? "a sums file with wrong hashes: the kept rows computed again and found right, the same bytes"
echo "1..$n"
[ $fails -eq 0 ]

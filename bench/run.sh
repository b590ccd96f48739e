#!/bin/sh
# ntkexact benchmark: prints figures, asserts nothing (machines are shared and
# noisy).  Usage: bench/run.sh [path/to/ntkexact]   (or: make bench)
NTK=${1:-./ntkexact}
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
measure "10,1000x10000,1" moments --widths 10,1000x10000,1 --format json --quiet
measure "10,1000x10000,1 --threads 1" moments --widths 10,1000x10000,1 --format json --quiet --threads 1
measure "10,1000x10000,1 --no-bias" moments --widths 10,1000x10000,1 --format json --quiet --no-bias
echo "ratio time(depth 4000) / time(depth 2000): $(echo "$t_10_1000x4000_1 / $t_10_1000x2000_1" | bc -l | cut -c1-5)"
echo "  (about 4 expected: O(d) layer steps on integers of O(d) bits; cubic would be 8)"

#!/bin/sh
# The test driver of `make check`: runs the TAP driver given as arguments
# and writes the test's wall-clock seconds beside its log (TEST.time), from
# which `make check` prints its ten slowest tests, so that the time budget
# of the suite stays visible.
log=
prev=
for arg in "$@"; do
    [ "$prev" = --log-file ] && log=$arg
    prev=$arg
done
start=$(date +%s.%N)
"$@"
status=$?
end=$(date +%s.%N)
if [ -n "$log" ]; then
    awk -v s="$start" -v e="$end" -v t="${log%.log}" \
        'BEGIN { printf "%.1f %s\n", e - s, t }' >"${log%.log}.time" || exit 99
fi
exit $status

#!/bin/sh
# The calibration of the test oracle: false alarms of `ntkexact check` and of
# ntkexact.testing on correct code (9 profiles x 500 seeds at the default
# 10000 samples, both rules; a correct batched PyTorch NTK), and the smallest
# sample count at which five planted bugs are caught in 10 of 10 seeds,
# before and after the exact standard errors.  Not part of make check: about
# an hour on one core.  It runs niced, one thread per run; the tables it
# prints are those of doc/python.md ("Calibration") and the man page.
# Usage: bench/calibrate.sh [BUILDDIR] [options of bench/calibrate.py]
#        (--seeds 500 --bug-seeds 10 --samples 10000 --parts cli,python,bugs
#         --profiles 0,1: the first two profiles only)
B=${1:-.}
[ $# -gt 0 ] && shift
S=$(cd "$(dirname "$0")/.." && pwd)
NTK=$B/ntkexact
# the program itself, not libtool's wrapper script (a shell per run)
if [ -x "$B/.libs/ntkexact" ]; then
    LD_LIBRARY_PATH="$B/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
    NTK=$B/.libs/ntkexact
fi
[ -x "$NTK" ] || { echo "calibrate: no $NTK (build first, or give the build directory)"; exit 2; }
# the interpreter the package was built for (configure's PYTHON), with torch
PY=$(sed -n 's/^PYTHON = //p' "$B/Makefile" 2>/dev/null)
PY=${PY:-/usr/bin/python3}
PYTHONPATH="$B/python${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1 OMP_NUM_THREADS=1 \
    exec nice -n 10 "$PY" "$S/bench/calibrate.py" --ntkexact "$NTK" "$@"

#!/bin/sh
# The Python package (python/): the pytest tests of python/tests, one TAP
# line per test (python/tests/conftest.py writes them), and pytest's own
# report as TAP comments.  TAP.
B=${TOP_BUILDDIR:-.}
S=${SRCDIR:-.}
PY=${PYTHON:-/usr/bin/python3}
if [ ! -f "$B/python/ntkexact/_ntkexact.so" ]; then
    echo "1..0 # SKIP the Python package is not built (configure --disable-python?)"
    exit 0
fi
if ! "$PY" -c 'import pytest' 2>/dev/null; then
    echo "1..0 # SKIP pytest is not installed for $PY (apt-get install python3-pytest)"
    exit 0
fi
tmp=${TMPDIR:-/tmp}/ntk-pytest.$$
trap 'rm -f "$tmp.tap" "$tmp.out"' EXIT
# the package from the build tree; no .pyc files or caches in the sources
PYTHONPATH="$B/python${PYTHONPATH:+:$PYTHONPATH}" NTK_TAP_FILE="$tmp.tap" PYTHONDONTWRITEBYTECODE=1 \
    NTKEXACT="${NTKEXACT:-$B/ntkexact}" SRCDIR="$S" \
    "$PY" -m pytest -p no:cacheprovider -q -rfEs "$S/python/tests" >"$tmp.out" 2>&1
st=$?
cat "$tmp.tap"
sed 's/^/# /' "$tmp.out"
exit $st

#!/bin/sh
# The examples of doc/examples run as documented.  TAP.
NTK=${NTKEXACT:-./ntkexact}
B=${TOP_BUILDDIR:-.}
EX=${SRCDIR:-.}/doc/examples
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
out=$("$B/doc/examples/moments" 3,2,1 1)
echo "$out" | grep -q '^E_K     2.16666666666667$' && echo "$out" | grep -q '^E_dK    -1.11111111111111$'
ok $? "the C example (libntkexact) prints E_K = 13/6 and E_dK = -10/9 for 3,2,1"
want=$("$NTK" moments --widths 5,7x4,1 --x2 2 --format csv --digits 15 | grep '^Var_K,' | cut -d, -f3)
"$B/doc/examples/moments" 5,7x4,1 2 | grep -q "^Var_K   $want\$"
ok $? "the C example agrees with the tool on 5,7x4,1 (Var_K = $want)"
"$B/doc/examples/moments" 3,0,1 >/dev/null 2>&1
[ $? -eq 2 ]
ok $? "the C example reports a bad profile"
if "$PY" -c 'import numpy' 2>/dev/null; then
    "$PY" "$EX/check_sampler.py" --ntkexact "$NTK" --samples 20000 >/dev/null
    ok $? "the Python example: a correct sampler passes against ntkexact moments --format json"
    "$PY" "$EX/check_sampler.py" --ntkexact "$NTK" --samples 20000 --forget-output-bias >/dev/null
    [ $? -eq 1 ]
    ok $? "the Python example: a sampler that forgets the output bias fails"
else
    echo "ok 4 # SKIP python3-numpy is not installed"
    echo "ok 5 # SKIP python3-numpy is not installed"
    n=5
fi
echo "1..$n"
[ $fails -eq 0 ]

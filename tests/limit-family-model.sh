#!/bin/sh
# The limits of order 3 and 4 for activations with both slopes non-zero
# against an independent model: doc/tools/limit_moments_closed_form.py builds
# the continuum generator with every pairing explicit (no reduction, no code
# shared with src/lib/limit/), fits each term's exponential polynomial exactly
# to its Taylor coefficients (exponents -C(m,2) + r (m^2 - 2m + content(2 mu))/2,
# r = A_4/A_2^2, ten more coefficients checked) and evaluates it with mpmath;
# 'ntkexact limit --moments K --digits 40' must agree to 38 digits (at a = 0,
# the input x = 0, the N ratios are undefined and left out).  make
# check: --moments 3 (about a second per activation); NTK_LIMIT_SLOW=1 (make
# check-slow): --moments 4 as well (10 to 30 s per activation).  TAP.
NTK=${NTKEXACT:-./ntkexact}
S=${SRCDIR:-.}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import sympy, mpmath' 2>/dev/null; then
    echo "1..0 # SKIP no sympy/mpmath for $PY (apt-get install python3-sympy)"
    exit 0
fi
tmp=${TMPDIR:-/tmp}/ntk-lfam.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
k=0
cases="leaky:1/2,1,1/2,3,1/2,1/10,1,1 linear,1,1,3,2,1/3,2,1 slopes:3/2,-1/3,3/2,-1/3,3,1,1/10,1,0
abs,1,-1,3,1/4,0,1,1"
[ -n "$NTK_LIMIT_SLOW" ] && cases="$cases
leaky:1/2,1,1/2,4,1/2,1/10,1,1 linear,1,1,4,1,2,3/2,1 slopes:3/2,-1/3,3/2,-1/3,4,2,1/10,1,1
leaky:1/10,1,1/10,4,1/4,1,1,0 abs,1,-1,4,1/2,0,1,1"
for c in $cases; do
    # activation, a_plus, a_minus, moments, beta, a, c_d, bias
    act=$(echo "$c" | "$PY" -c 'import sys; print(sys.stdin.read().strip().rsplit(",", 7)[0])')
    set -- $(echo "$c" | "$PY" -c 'import sys; print(" ".join(sys.stdin.read().strip().rsplit(",", 7)[1:]))')
    ap=$1; am=$2; m=$3; beta=$4; a=$5; co=$6; bias=$7
    k=$((k + 1))
    nb=""; [ "$bias" = 0 ] && nb="--no-bias"
    "$NTK" limit --beta "$beta" --a "$a" --cw-output "$co" $nb --moments "$m" --activation "$act" \
        --digits 40 --format json >"$tmp/ntk.json"
    "$PY" "$S/doc/tools/limit_moments_closed_form.py" --slopes "$ap,$am" --moments "$m" \
        --values "$beta" "$a" "$co" "$bias" 45 >"$tmp/model" 2>"$tmp/err"
    r=$("$PY" - "$tmp/ntk.json" "$tmp/model" "$m" <<'PYEOF'
import json, sys
from decimal import Decimal, getcontext
getcontext().prec = 60
d = json.load(open(sys.argv[1]))["limits"][0]
model = [Decimal(x) for x in open(sys.argv[2]).read().strip().split(",")]
keys = ["E_K3_over_d3", "ratio_K3", "ratio_N6", "E_K4_over_d4", "ratio_K4", "ratio_N8"][:3 * (int(sys.argv[3]) - 2)]
# at a = 0 the N ratios are undefined (N = 0): null in the JSON
worst = min(-(abs(Decimal(d[k]) - x) / abs(x)).log10() if Decimal(d[k]) != x else Decimal(99)
            for k, x in zip(keys, model) if d[k] is not None)
print("%.1f" % worst)
PYEOF
)
    if [ -n "$r" ] && "$PY" -c "import sys; sys.exit(0 if float('$r') >= 38 else 1)"; then
        echo "ok $k - limit --moments $m --activation $act --beta $beta --a $a --cw-output $co (biases $bias): the unreduced model's closed forms agree to $r digits"
    else
        echo "not ok $k - limit --moments $m --activation $act --beta $beta: the model agrees to ${r:-no} digits ($(head -c 200 "$tmp/err"))"
    fi
done
echo "1..$k"

#!/bin/sh
# The second moment of the first SGD update on the command line
# (doc/ntkexact.1, --update and --target): the keys after the others, the
# identities between them, the target, x2 = 0 and depth 1, symbolic x2, the
# floating-point mode, the opt-in (output without --update unchanged),
# sample --update and check (the exact variances of E_dK, E_Dww, E_Dwb;
# check --update), and the commands that refuse it.  TAP output.

NTK=${NTKEXACT:-./ntkexact}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=${TMPDIR:-/tmp}/ntk-update.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

ok() {   # ok CONDITION-EXIT-STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

bad() {  # bad NEEDLE ARGS...: exit 2, empty stdout, one stderr line containing NEEDLE
    needle=$1; shift
    "$NTK" "$@" >"$tmp/out" 2>"$tmp/err"
    st=$?
    lines=$(wc -l <"$tmp/err")
    [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$lines" -eq 1 ] && grep -qF -- "$needle" "$tmp/err"
    ok $? "rejects '$*' (exit $st, stderr: $(head -c 150 "$tmp/err"))"
}

W=3,2x2,1
"$NTK" moments --widths $W --x2 5/2 --format json >"$tmp/plain.json" &&
"$NTK" moments --widths $W --x2 5/2 --format json --update >"$tmp/u.json" &&
"$NTK" moments --widths $W --x2 5/2 --format json --target 3/2 >"$tmp/t.json"
ok $? "moments --update and --target run"
"$PY" - "$tmp/plain.json" "$tmp/u.json" "$tmp/t.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
p, u, t = (json.load(open(f)) for f in sys.argv[1:4])
new = ["E_g2", "E_N2g2", "E_N2gww2", "E_N2gwwgwb", "E_N2gwb2", "E_dK2", "Var_dK", "RelVar_dK"]
# the old keys first, unchanged, then the new ones in this order
assert list(u["exact"]) == list(p["exact"]) + new, list(u["exact"])
assert all(u["exact"][k] == p["exact"][k] for k in p["exact"])
assert u["update"] is True and u["target"] == "0" and t["target"] == "3/2"
assert u["mu6"] == "15" and u["mu8"] == "105" and "order" not in u
for d, y in ((u, F(0)), (t, F(3, 2))):
    e = {k: F(v) for k, v in d["exact"].items()}
    assert e["E_N2g2"] == e["E_N2gww2"] + 4 * e["E_N2gwwgwb"] + 4 * e["E_N2gwb2"]
    assert e["E_dK2"] == 4 * (e["E_N2g2"] + y * y * e["E_g2"])
    assert e["Var_dK"] == e["E_dK2"] - e["E_dK"] ** 2
    assert e["RelVar_dK"] == e["Var_dK"] / e["E_dK"] ** 2
    assert e["E_g2"] > 0 and 4 * e["E_N2g2"] >= e["E_dK"] ** 2
    for k in new:
        assert abs(float(d["decimal"][k]) - float(e[k])) <= 1e-15 * abs(float(e[k]))
# the target changes only the three keys that depend on it
assert all(t["exact"][k] == u["exact"][k] for k in u["exact"] if k not in new[5:])
assert t["exact"]["E_dK2"] != u["exact"]["E_dK2"]
PYEOF
ok $? "json: the old keys unchanged, then E_g2 .. RelVar_dK; the identities; the target"

# the opt-in: every format without --update is byte-identical to the output
# with it less the new keys (text and csv rows)
for f in text csv; do
    "$NTK" moments --widths $W --format $f >"$tmp/p.$f" &&
    "$NTK" moments --widths $W --format $f --update >"$tmp/u.$f" || ok 1 "$f"
done
grep -v -e '^E_g2' -e '^E_N2g' -e '^E_dK2' -e '^Var_dK' -e '^RelVar_dK' "$tmp/u.csv" | cmp -s - "$tmp/p.csv"
ok $? "csv: the rows of --update less the new ones are the plain output"
grep -q '^RelVar_dK  *96\.025927977839335180 *866634/9025$' "$tmp/u.text" &&
grep -q 'the first SGD update at the target y = 0' "$tmp/u.text" &&
grep -q '^E_N2gwwgwb 333\.17592592592592593 *35983/108$' "$tmp/u.text"
ok $? "text: RelVar_dK = 866634/9025 for 3,2x2,1; the name column widened"

# x2 = 0 and depth 1: g = 0, RelVar_dK undefined
"$NTK" moments --widths $W --x2 0 --update --format json >"$tmp/z.json" &&
"$NTK" moments --widths 3,1 --update --format csv >"$tmp/d1.csv" &&
"$NTK" moments --widths $W --x2 0 --update >"$tmp/z.text" &&
"$PY" - "$tmp/z.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
for k in ["E_g2", "E_N2g2", "E_N2gww2", "E_N2gwwgwb", "E_N2gwb2", "E_dK2", "Var_dK", "E_dK"]:
    assert d["exact"][k] == "0", k
assert d["exact"]["RelVar_dK"] is None and d["decimal"]["RelVar_dK"] is None
PYEOF
[ $? -eq 0 ] && grep -q '^RelVar_dK,,$' "$tmp/d1.csv" && grep -q '^E_g2,0,0$' "$tmp/d1.csv" &&
grep -q 'RelVar_dK  *undefined (E_dK = 0)' "$tmp/z.text"
ok $? "x2 = 0 and depth 1: g = 0, RelVar_dK undefined (null, empty, 'undefined (E_dK = 0)')"

# symbolic x2: five coefficients that reproduce the values at x2 = 5/2
"$NTK" moments --widths $W --x2 symbolic --target 3/2 --format json >"$tmp/s.json" &&
"$PY" - "$tmp/s.json" "$tmp/t.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
s, t = (json.load(open(f)) for f in sys.argv[1:3])
assert "RelVar_dK" not in s["exact"] and "RelVar_dK" in s["not_polynomials"]
x = F(5, 2)
for k, c in s["exact"].items():
    assert len(c) == 5, k
    assert sum(F(v) * x ** j for j, v in enumerate(c)) == F(t["exact"][k]), k
assert all(s["exact_at_x2_zero"][k] == "0" for k in ["E_g2", "E_N2g2", "E_dK2", "Var_dK"])
PYEOF
ok $? "--x2 symbolic --target: five coefficients per key, RelVar_dK listed as not a polynomial"

# the floating-point mode: the printed digits are those of the exact values
"$NTK" moments --widths 10,20x8,1 --update --target 1 --format json >"$tmp/e.json" &&
"$NTK" moments --widths 10,20x8,1 --update --target 1 --double --format json >"$tmp/f.json" &&
"$PY" - "$tmp/e.json" "$tmp/f.json" <<'PYEOF'
import json, sys
from decimal import Decimal, localcontext
from fractions import Fraction
e, f = (json.load(open(a)) for a in sys.argv[1:3])
assert f["exact"] is None and f["precision"] == 53
for k, v in f["decimal"].items():
    digits = len(v.lstrip("-").split("e")[0].replace(".", "").lstrip("0"))
    x = Fraction(e["exact"][k])
    with localcontext() as c:
        c.prec = digits
        want = Decimal(x.numerator) / Decimal(x.denominator)
    assert Decimal(v) == want, (k, v, want)
assert 10 <= len(f["decimal"]["Var_dK"].replace(".", "")) <= 16
PYEOF
ok $? "--double --update: every printed digit agrees with the exact values"

# sample --update: the estimates of the new keys (y = 0), near the exact values
"$NTK" sample --widths 4,6x3,1 --samples 20000 --seed 2 --update --format json --quiet >"$tmp/sa.json" &&
"$NTK" sample --widths 4,6x3,1 --samples 20000 --seed 2 --format json --quiet >"$tmp/sp.json" &&
"$NTK" moments --widths 4,6x3,1 --update --format json >"$tmp/ex.json" &&
"$PY" - "$tmp/sa.json" "$tmp/sp.json" "$tmp/ex.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
a, p, e = (json.load(open(f)) for f in sys.argv[1:4])
new = ["E_g2", "E_N2g2", "E_N2gww2", "E_N2gwwgwb", "E_N2gwb2", "E_dK2", "Var_dK", "RelVar_dK"]
assert list(a["mean"]) == list(p["mean"]) + new and a["update"] is True
# the same networks: the old estimates are the same numbers
assert all(a["mean"][k] == p["mean"][k] and a["stderr"][k] == p["stderr"][k] for k in p["mean"])
assert a["mean"]["RelVar_dK"] is None and a["stderr"]["RelVar_dK"] is None
for k in new[:-1]:
    z = (a["mean"][k] - float(F(e["exact"][k]))) / a["stderr"][k]
    assert abs(z) < 6, (k, z)
# E_dK2 = 4 E_N2g2 per network, and Var_dK = E_dK2 - E_dK^2 up to n/(n-1)
m = a["mean"]
assert abs(m["E_dK2"] - 4 * m["E_N2g2"]) <= 1e-9 * m["E_dK2"]
n = a["samples"]
assert abs(m["Var_dK"] - (m["E_dK2"] - m["E_dK"] ** 2) * n / (n - 1)) <= 1e-6 * m["Var_dK"]
PYEOF
ok $? "sample --update: old estimates unchanged, the new ones within 6 standard errors"

# a checkpoint: resumed with --update gives the output of one run; the old
# format (version 2, without the update's moments) is refused by name
ck="$tmp/run.ckpt"
B="sample --widths 3,5,4,1 --samples 3000 --seed 7 --update --format csv --quiet"
$NTK $B >"$tmp/once.csv" && $NTK $B --checkpoint "$ck" >"$tmp/ck.csv" && cmp -s "$tmp/once.csv" "$tmp/ck.csv" &&
grep -q '^ntkexact-checkpoint 3$' "$ck" && grep -q '^q E_N2gwb2 ' "$ck" &&
$NTK $B --checkpoint "$ck" >"$tmp/again.csv" && cmp -s "$tmp/once.csv" "$tmp/again.csv"
ok $? "checkpoint format 3 holds the update's moments; resuming gives the same output"
sed 's/^ntkexact-checkpoint 3$/ntkexact-checkpoint 2/' "$ck" >"$ck.2" && mv "$ck.2" "$ck"
bad "has format version 2; this ntkexact reads version 3" $B --checkpoint "$ck"

# check: the exact variances of E_dK, E_Dww, E_Dwb from the update's second
# moment (at the target y = 0, the sampler's), with or without --update;
# --update adds the new keys as rows of the sample's standard error
W=4,20x3,1
"$NTK" check --widths $W --samples 3000 --seed 2 --format json --quiet >"$tmp/c0.json" &&
"$NTK" check --widths $W --samples 3000 --seed 2 --update --format json --quiet >"$tmp/cu.json" &&
"$NTK" check --widths $W --samples 3000 --seed 2 --update --guarantee --format json --quiet >"$tmp/cg.json" &&
"$NTK" moments --widths $W --update --format json >"$tmp/ex.json" &&
"$PY" - "$tmp/c0.json" "$tmp/cu.json" "$tmp/cg.json" "$tmp/ex.json" <<'PYEOF'
import json, math, sys
from fractions import Fraction as F
c, u, g, e = (json.load(open(f)) for f in sys.argv[1:5])
x = {k: F(v) for k, v in e["exact"].items()}
new = ["E_g2", "E_N2g2", "E_N2gww2", "E_N2gwwgwb", "E_N2gwb2", "E_dK2", "Var_dK", "RelVar_dK"]
assert list(u["exact"]) == list(c["exact"]) + new and u["update"] is True and "update" not in c
var = {"E_dK": 4 * x["E_N2g2"] - x["E_dK"] ** 2, "E_Dww": x["E_N2gww2"] - x["E_Dww"] ** 2,
       "E_Dwb": x["E_N2gwb2"] - x["E_Dwb"] ** 2}
assert var["E_dK"] == x["Var_dK"]
for d in (c, u, g):
    for q, v in var.items():
        assert q in d["stderr_exact"], q
        se = math.sqrt(v / d["samples"])
        assert abs(d["stderr_exact_values"][q] - se) <= 1e-12 * se, (q, d["stderr_exact_values"][q], se)
# the same networks: the rows of the order are the same numbers
assert all(u[k][q] == c[k][q] for k in ("mean", "stderr", "z") for q in c["mean"])
assert c["decided"] == 13 and u["decided"] == 20 and g["decided"] == 13
for q in new[:-1]:
    assert q not in u["stderr_exact"] and u["decided_by"][q] == "sample", q
    assert u["exact"][q] == e["exact"][q] and u["stderr"][q] == u["stderr_sample"][q] > 0, q
    assert q in g["not_decided"] and g["median_of_means"][q] is None, q
assert u["notes"]["RelVar_dK"] == "not estimable" and u["mean"]["RelVar_dK"] is None
assert u["pass"] and g["pass"] and c["pass"]
PYEOF
ok $? "check: exact standard errors of E_dK, E_Dww, E_Dwb from the update's second moment; --update adds its rows (sample's SE, not decided by --guarantee)"
"$NTK" check --widths 3,2,1 --samples 500 --update --quiet >"$tmp/cu.txt"
st=$?
[ $st -eq 0 ] && grep -q '^  E_N2gwwgwb 0.388888888889 ' "$tmp/cu.txt" && grep -q '^PASS: 0 of 20 ' "$tmp/cu.txt" &&
grep -q '^E_g2, E_N2g2, E_N2gww2, E_N2gwwgwb, E_N2gwb2, E_dK2, Var_dK: the sample' "$tmp/cu.txt" &&
"$NTK" check --help | grep -q -- '--update'
ok $? "check --update text: the rows of the new keys, their names in full (exit $st)"
bad "check compares E_dK2 and Var_dK at the target y = 0" check --widths 3,2,1 --target 1

# the commands that do not take it, and bad values
bad "the sampler estimates E_dK2 and Var_dK at the target y = 0" sample --widths 3,2,1 --samples 10 --target 1
bad "table rows hold the moments of K and E_dK" table --profile 3,2,1 --update
bad "table rows hold the moments of K and E_dK" table --profile 3,2,1 --target 1
bad "--target 'x' is not an exact rational" moments --widths 3,2,1 --target x
bad "--mu6 is required with --update and --mu4 5" moments --widths 3,2,1 --update --mu4 5
bad "option '--update' does not apply" expand --depth 3 --update
"$NTK" moments --help | grep -q -- '--target Y' && "$NTK" example --help | grep -q -- '--update'
ok $? "moments --help and example --help list --update and --target"

echo "1..$n"
[ $fails -eq 0 ]

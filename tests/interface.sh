#!/bin/sh
# The command-line contract (doc/ntkexact.1): JSON keys and formats, run-length
# widths, symbolic x2, and every class of bad input (exit 2, a message on
# stderr naming the problem, nothing on stdout).  TAP output.

NTK=${NTKEXACT:-./ntkexact}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=${TMPDIR:-/tmp}/ntk-iface.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

ok() {   # ok CONDITION-EXIT-STATUS DESCRIPTION
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

# bad ARGS... NEEDLE: exit 2, empty stdout, one stderr line containing NEEDLE
bad() {
    needle=$1; shift
    "$NTK" "$@" >"$tmp/out" 2>"$tmp/err"
    st=$?
    lines=$(wc -l <"$tmp/err")
    [ $st -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$lines" -eq 1 ] && grep -qF -- "$needle" "$tmp/err"
    ok $? "rejects '$*' (exit $st, stderr: $(head -c 150 "$tmp/err"))"
}

# JSON: every key of the contract, reduced fractions, the widths list
"$NTK" moments --widths 3,2x2,1 --x2 2.5 --format json >"$tmp/j.json" 2>"$tmp/err"
ok $? "moments --format json runs"
"$PY" - "$tmp/j.json" <<'PYEOF'
import json, sys, re
from fractions import Fraction
d = json.load(open(sys.argv[1]))
keys = ["E_K","E_Kw","E_Kb","E_K2","E_Kw2","E_Kb2","E_KwKb","Var_K","E_dK","E_Dww","E_Dwb"]
assert d["widths"] == [3, 2, 2, 1], d["widths"]
assert d["x2"] == "5/2" and d["mu4"] == "3" and d["cw_hidden"] == "2" and d["cw_output"] == "1"
assert d["param"] == "ntk" and d["bias"] is True
for k in keys:
    e = d["exact"][k]
    assert re.fullmatch(r"-?[0-9]+(/[0-9]+)?", e), (k, e)
    f = Fraction(e)
    if "/" in e:
        assert f.denominator != 1 and str(f.numerator) + "/" + str(f.denominator) == e, e
    assert abs(float(d["decimal"][k]) - float(f)) <= 1e-15 * abs(float(f)), k
    assert len(d["decimal"][k].lstrip("-").replace(".", "").split("e")[0].lstrip("0")) <= 20
ex = {k: Fraction(d["exact"][k]) for k in keys}
assert ex["E_K"] == ex["E_Kw"] + ex["E_Kb"]
assert ex["Var_K"] == ex["E_K2"] - ex["E_K"] ** 2
assert ex["E_dK"] == -2 * (ex["E_Dww"] + 2 * ex["E_Dwb"]) and ex["E_dK"] < 0
assert ex["E_Kw"] == Fraction(3 * 5, 2 * 3)   # d x2 / n0
PYEOF
ok $? "json: all keys, reduced p/q, decimals agree, identities hold"

# symbolic x2: coefficient lists, and they reproduce the value at x2 = 5/2
"$NTK" moments --widths 3,2x2,1 --x2 symbolic --format json >"$tmp/s.json"
"$PY" - "$tmp/s.json" "$tmp/j.json" <<'PYEOF'
import json, sys
from fractions import Fraction
s = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))
assert s["x2"] == "symbolic"
x = Fraction(5, 2)
for k, v in j["exact"].items():
    c = s["exact"][k]
    assert isinstance(c, list) and len(c) == 3, k
    assert sum(Fraction(c[i]) * x ** i for i in range(3)) == Fraction(v), k
assert s["exact_at_x2_zero"]["E_K"] == "1"
PYEOF
ok $? "json --x2 symbolic: [c0,c1,c2] lists evaluate to the exact values"

# run-length widths mean the same as the explicit list
"$NTK" moments --widths 3,2,2,1 --x2 2.5 --format json --quiet >"$tmp/k.json"
cmp -s "$tmp/k.json" "$tmp/j.json"
ok $? "3,2x2,1 and 3,2,2,1 give identical output"

# determinism across thread counts
"$NTK" moments --widths 5,7x30,1 --threads 1 --format json >"$tmp/t1.json"
"$NTK" moments --widths 5,7x30,1 --threads 2 --format json >"$tmp/t2.json"
cmp -s "$tmp/t1.json" "$tmp/t2.json"
ok $? "--threads 1 and --threads 2 give identical output"

# csv and text
"$NTK" moments --widths 3,2,1 --format csv >"$tmp/c.csv"
[ "$(head -1 "$tmp/c.csv")" = "quantity,exact,decimal" ] && grep -q '^E_K,13/6,2.1666' "$tmp/c.csv" \
    && [ "$(wc -l <"$tmp/c.csv")" -eq 14 ]
ok $? "csv: header and E_K,13/6 row"
"$NTK" moments --widths 3,2,1 >"$tmp/t.txt"
grep -q '^E_K  *2.1666666666666666667  *13/6$' "$tmp/t.txt" && grep -q 'depth 2' "$tmp/t.txt"
ok $? "text: a readable row per quantity"
"$NTK" moments --widths 1,1,1,1 --x2 0 --format csv --digits 5 >"$tmp/z.csv"
grep -q '^E_K,1,1.0000$' "$tmp/z.csv" && grep -q '^Var_K,0,0$' "$tmp/z.csv"
ok $? "--x2 0: K = 1 exactly"
"$NTK" moments --widths 1,1,1,1 --format csv >"$tmp/d.csv"
grep -q '^E_Kb,7/4,' "$tmp/d.csv"
ok $? "dead layers: E_Kb = 7/4 for widths 1,1,1,1"
"$NTK" moments --widths 3,2,1 --no-bias --param standard --mu4 9/5 --cw-hidden 1.5 --cw-output 1/2 --format json >"$tmp/o.json"
grep -q '"bias": false' "$tmp/o.json" && grep -q '"param": "standard"' "$tmp/o.json" \
    && grep -q '"E_Kb": "0"' "$tmp/o.json" && grep -q '"cw_hidden": "3/2"' "$tmp/o.json"
ok $? "conventions are echoed and applied"

for cmd in moments example; do
    "$NTK" $cmd --help >"$tmp/h" 2>&1 && grep -q 'Usage: ntkexact' "$tmp/h"
    ok $? "$cmd --help"
done
"$NTK" --help >"$tmp/h" && grep -q moments "$tmp/h"
ok $? "ntkexact --help"
"$NTK" example --format csv --quiet >"$tmp/e" && grep -q '^E_K,' "$tmp/e"
ok $? "example runs the built-in profile"

# sample and check
"$NTK" sample --widths 4,5x3,1 --samples 3000 --seed 11 --threads 1 --format json >"$tmp/s1.json" &&
"$NTK" sample --widths 4,5x3,1 --samples 3000 --seed 11 --threads 2 --format json >"$tmp/s2.json" &&
cmp -s "$tmp/s1.json" "$tmp/s2.json"
ok $? "sample: the same seed gives identical output for --threads 1 and 2"
"$NTK" sample --widths 4,5x3,1 --samples 3000 --seed 11 --threads 1 --method full --format json >"$tmp/f1.json" &&
"$NTK" sample --widths 4,5x3,1 --samples 3000 --seed 11 --threads 2 --method full --format json >"$tmp/f2.json" &&
cmp -s "$tmp/f1.json" "$tmp/f2.json"
ok $? "sample --method full: the same seed gives identical output for --threads 1 and 2"
"$NTK" sample --widths 10,300x20,1 --samples 600 --seed 3 --threads 1 --method projected --format json >"$tmp/p1.json" &&
"$NTK" sample --widths 10,300x20,1 --samples 600 --seed 3 --threads 2 --method projected --format json >"$tmp/p2.json" &&
cmp -s "$tmp/p1.json" "$tmp/p2.json"
ok $? "sample --method projected: the same seed gives identical output for --threads 1 and 2 (several chunks)"
"$NTK" sample --widths 4,5x3,1 --samples 3000 --seed 11 --threads 1 --method projected --format json | cmp -s - "$tmp/s1.json" &&
grep -q '"method": "projected"' "$tmp/s1.json" && grep -q '"method": "full"' "$tmp/f1.json" &&
! cmp -s "$tmp/s1.json" "$tmp/f1.json"
ok $? "sample: projected by default for Gaussian weights (JSON names the method); full draws other numbers"
"$NTK" sample --widths 3,2,1 --samples 500 --law uniform --format json | grep -q '"method": "full"' &&
"$NTK" check --widths 3,2,1 --samples 500 --mu4 9/5 | grep -q '^PASS.*full method'
ok $? "sample and check: the full method for uniform weights"
"$NTK" sample --widths 4,5x3,1 --samples 3000 --seed 12 --format json >"$tmp/s3.json"
! cmp -s "$tmp/s1.json" "$tmp/s3.json"
ok $? "sample: another seed gives other estimates"
"$PY" - "$tmp/s1.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
keys = ["E_K","E_Kw","E_Kb","E_K2","E_Kw2","E_Kb2","E_KwKb","Var_K","E_dK","E_Dww","E_Dwb"]
assert d["samples"] == 3000 and d["seed"] == 11 and d["widths"] == [4, 5, 5, 5, 1]
for k in keys:
    assert isinstance(d["mean"][k], float) and d["stderr"][k] > 0, k
PYEOF
ok $? "sample json: mean and stderr objects with every key"
"$NTK" check --widths 3,2,1 --samples 20000 --seed 5 >"$tmp/c.txt"
st=$?
[ $st -eq 0 ] && grep -q '^PASS: 0 of 13' "$tmp/c.txt" && grep -q 'E_dK' "$tmp/c.txt"
ok $? "check passes on 3,2,1 (exit $st)"
"$NTK" check --widths 3,2,1 --samples 20000 --seed 5 --method full >"$tmp/c.txt"
st=$?
[ $st -eq 0 ] && grep -q '^PASS: 0 of 13 .*full method' "$tmp/c.txt"
ok $? "check --method full passes on 3,2,1 (exit $st)"
"$NTK" check --widths 3,2,1 --samples 20000 --seed 5 --tolerance 0.001 >"$tmp/c.txt"
st=$?
[ $st -eq 1 ] && grep -q '^FAIL' "$tmp/c.txt" && grep -q '^\*' "$tmp/c.txt"
ok $? "check exits 1 and marks |z| > tolerance (exit $st)"
"$NTK" check --widths 3,2,1 --samples 5000 --format json >"$tmp/c.json" && "$PY" -c "
import json,sys; d=json.load(open('$tmp/c.json')); assert d['pass'] is True and set(d['z']) == set(d['exact'])"
ok $? "check json: exact, mean, stderr, z, pass"
"$NTK" sample --widths 3,2,1 --samples 1000 --format csv | head -1 | grep -q '^quantity,mean,stderr$'
ok $? "sample csv header"
for cmd in sample check; do
    "$NTK" $cmd --help >"$tmp/h" 2>&1 && grep -q "Usage: ntkexact $cmd" "$tmp/h"
    ok $? "$cmd --help"
done
bad "--mu4: sampling draws Gaussian" sample --widths 3,2,1 --samples 100 --mu4 2
bad "--method 'auto' is not one of full, projected" sample --widths 3,2,1 --samples 100 --method auto
bad "--method projected needs Gaussian weights" sample --widths 3,2,1 --samples 100 --method projected --mu4 9/5
bad "--method projected needs Gaussian weights" check --widths 3,2,1 --samples 100 --law uniform --method projected
bad "more than the full method holds" sample --widths 3,20000,20000,1 --samples 2 --method full
bad "more than the projected method holds" sample --widths 3,16777216,1 --samples 2
bad "--samples is required" sample --widths 3,2,1
bad "--samples '1'" check --widths 3,2,1 --samples 1
bad "--x2 symbolic is for 'moments'" sample --widths 3,2,1 --samples 100 --x2 symbolic
bad "--tolerance '-1'" check --widths 3,2,1 --samples 100 --tolerance -1
bad "--seed '-3'" sample --widths 3,2,1 --samples 100 --seed -3
bad "option '--full' does not apply" sample --widths 3,2,1 --samples 100 --full
bad "option '--samples' does not apply" moments --widths 3,2,1 --samples 100
bad "option '--tolerance' does not apply" sample --widths 3,2,1 --samples 100 --tolerance 3
bad "'0' is zero" check --widths 3,0,1 --samples 100

# --order 3|4: the third and fourth moments
"$NTK" moments --widths 3,2x2,1 --x2 2.5 --order 4 --format json >"$tmp/o4.json" 2>"$tmp/err"
ok $? "moments --order 4 --format json runs"
"$PY" - "$tmp/o4.json" "$tmp/j.json" <<'PYEOF'
import json, sys, math
from fractions import Fraction as F
d = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))
o3 = ["E_K3","E_Kw3","E_Kw2Kb","E_KwKb2","E_Kb3","M3_K","Skew2_K","E_N6"]
o4 = ["E_K4","E_Kw4","E_Kw3Kb","E_Kw2Kb2","E_KwKb3","E_Kb4","M4_K","Kurt_K","E_N8"]
assert d["order"] == 4 and d["mu6"] == "15" and d["mu8"] == "105"
assert list(d["exact"]) == list(j["exact"]) + o3 + o4, list(d["exact"])
assert list(d["decimal"]) == list(j["exact"]) + o3[:7] + ["Skew_K"] + o3[7:] + o4
for k, v in j["exact"].items():
    assert d["exact"][k] == v, k                      # order 2 values unchanged
e = {k: F(v) for k, v in d["exact"].items()}
assert e["E_K3"] == e["E_Kw3"] + 3 * e["E_Kw2Kb"] + 3 * e["E_KwKb2"] + e["E_Kb3"]
assert e["E_K4"] == e["E_Kw4"] + 4 * e["E_Kw3Kb"] + 6 * e["E_Kw2Kb2"] + 4 * e["E_KwKb3"] + e["E_Kb4"]
m, v = e["E_K"], e["Var_K"]
assert e["M3_K"] == e["E_K3"] - 3 * m * e["E_K2"] + 2 * m ** 3
assert e["M4_K"] == e["E_K4"] - 4 * m * e["E_K3"] + 6 * m * m * e["E_K2"] - 3 * m ** 4
assert e["Skew2_K"] == e["M3_K"] ** 2 / v ** 3 and e["Kurt_K"] == e["M4_K"] / v ** 2 - 3
s = float(d["decimal"]["Skew_K"])
assert abs(s - math.copysign(math.sqrt(float(e["Skew2_K"])), float(e["M3_K"]))) < 1e-14 * abs(s)
assert e["E_K4"] > e["E_K2"] ** 2 and e["E_N8"] > 0
PYEOF
ok $? "--order 4 json: the order-2 keys unchanged, then E_K3 .. E_N8, the identities, Skew_K"
"$NTK" moments --widths 3,2x2,1 --x2 2.5 --order 3 --format json >"$tmp/o3.json" &&
"$PY" -c "
import json; a = json.load(open('$tmp/o3.json')); b = json.load(open('$tmp/o4.json'))
assert a['order'] == 3 and 'mu8' not in a and 'E_K4' not in a['exact']
assert all(b['exact'][k] == v for k, v in a['exact'].items())"
ok $? "--order 3: a prefix of --order 4, no mu8"
"$NTK" moments --widths 3,2,1 --x2 0 --order 4 --format json >"$tmp/oz.json" &&
"$PY" -c "
import json; d = json.load(open('$tmp/oz.json'))
assert d['exact']['E_K3'] == '1' and d['exact']['E_K4'] == '1' and d['exact']['M4_K'] == '0'
assert d['exact']['Skew2_K'] is None and d['exact']['Kurt_K'] is None and d['decimal']['Skew_K'] is None"
ok $? "--order 4 at x2 = 0: E[K^k] = 1, the ratios null"
"$NTK" moments --widths 3,2x2,1 --x2 symbolic --order 4 --format json >"$tmp/os.json" &&
"$PY" - "$tmp/os.json" "$tmp/o4.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
s = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))
assert s["not_polynomials"] == ["Skew2_K", "Skew_K", "Kurt_K"]
assert "Skew2_K" not in s["exact"] and "Kurt_K" not in s["decimal"] and "Skew_K" not in s["decimal"]
x = F(5, 2)
for k, c in s["exact"].items():
    assert len(c) == 5 and sum(F(c[i]) * x ** i for i in range(5)) == F(d["exact"][k]), k
PYEOF
ok $? "--order 4 --x2 symbolic: five coefficients, the ratios left out and listed"
"$NTK" moments --widths 3,2,1 --order 3 --format csv >"$tmp/o3.csv" &&
grep -q '^Skew_K,,2\.' "$tmp/o3.csv" && [ "$(wc -l <"$tmp/o3.csv")" -eq 23 ]
ok $? "--order 3 csv: a row per quantity, Skew_K without an exact value"
"$NTK" moments --widths 3,2,1 --order 4 --mu4 9/5 --format json >"$tmp/ou.json" 2>"$tmp/err" &&
grep -q '"mu6": "27/7", "mu8": "9"' "$tmp/ou.json" && grep -q 'warning: --mu6 not given' "$tmp/err"
ok $? "--mu4 9/5 without --mu6, --mu8: the uniform law's, with a warning"
"$NTK" moments --widths 3,2,1 --order 4 --double --format json >"$tmp/od.json" &&
grep -q '"E_K4": "208.133101851852"' "$tmp/od.json"
ok $? "--order 4 --double"
"$NTK" table --profile 3,2,1 --order 4 >"$tmp/ot.csv" && head -1 "$tmp/ot.csv" | grep -q ',mu4,mu6,mu8,cw_hidden,' &&
head -1 "$tmp/ot.csv" | grep -q ',Kurt_K,Kurt_K_decimal,E_N8,E_N8_decimal$'
ok $? "table --order 4: mu6, mu8 and the order-4 columns"
"$NTK" check --widths 3,4,4,1 --samples 200000 --order 4 --format json --quiet >"$tmp/oc.json"
ok $? "check --order 4 passes on 3,4,4,1"
"$PY" -c "
import json; d = json.load(open('$tmp/oc.json'))
assert d['order'] == 4 and d['pass'] is True and d['failed'] == 0
assert d['exact']['E_K4'] and d['mean']['E_K4'] > 0 and abs(d['z']['E_K3']) <= 5
assert d['mean']['Kurt_K'] is None and d['z']['M4_K'] is None and d['mean']['E_N8'] > 0"
ok $? "check --order 4 json: E_K3 .. E_N8 compared, the ratios null"
# E_N6, E_N8 with Gaussian weights: exact standard errors.  Seed 3 gave
# z(E_N8) = -6.3 with the sample's own; on a light-tailed profile the exact
# one agrees with the sample's (within 15%: 200000 samples of N^12).
"$NTK" check --widths 4,20x3,1 --samples 20000 --seed 3 --order 4 --format json --quiet >"$tmp/oe.json"
ok $? "check --order 4 passes on 4,20x3,1 at seed 3 (E_N8's tail)"
"$NTK" check --widths 10,200x2,1 --samples 200000 --seed 1 --order 4 --format json --quiet >"$tmp/oe2.json" &&
"$NTK" sample --widths 10,200x2,1 --samples 200000 --seed 1 --order 4 --format json --quiet >"$tmp/os2.json" &&
"$PY" -c "
import json; c = json.load(open('$tmp/oe.json')); d = json.load(open('$tmp/oe2.json')); s = json.load(open('$tmp/os2.json'))
assert {'E_N6', 'E_N8', 'E_K', 'E_K2', 'E_N4'} <= set(c['stderr_exact']) and d['pass'] is True
assert 'E_K3' not in c['stderr_exact'] and {'E_dK', 'E_Dww', 'E_Dwb'} <= set(c['stderr_exact'])
for q in ('E_N6', 'E_N8', 'E_K', 'E_K2', 'E_N4', 'E_dK', 'E_Dww', 'E_Dwb'):
    r = d['stderr_exact_values'][q] / s['stderr'][q]
    assert 1 / 1.15 < r < 1.15, (q, r)
    assert d['stderr'][q] == max(d['stderr_exact_values'][q], d['stderr_sample'][q])
assert d['stderr']['E_K3'] == s['stderr']['E_K3'] == d['stderr_sample']['E_K3']
assert d['decided_by']['E_K3'] == 'sample' and d['stderr_exact_values']['E_K3'] is None"
ok $? "check --order 4: exact standard errors (stderr_exact), near the sample's on 10,200x2,1; z over the larger"
"$NTK" check --widths 3,4,4,1 --mu4 9/5 --samples 20000 --order 4 --format json --quiet >"$tmp/ou2.json"
ok $? "check --order 4 with uniform weights"
"$PY" -c "
import json; d = json.load(open('$tmp/ou2.json'))
assert 'E_N6' not in d['stderr_exact'] and 'E_N8' not in d['stderr_exact']
assert {'E_K', 'E_K2', 'E_N4'} <= set(d['stderr_exact'])"
ok $? "uniform weights: exact standard errors from the uniform law's moments, the sample's for E_N6, E_N8 (no closed form)"
"$NTK" sample --widths 3,2,1 --samples 1000 --order 3 --format csv --quiet | grep -q '^E_K3,'
ok $? "sample --order 3 csv has E_K3"
bad "--order '5' is not an integer in 2..4" moments --widths 3,2,1 --order 5
bad "--order 'x' is not an integer in 2..4" moments --widths 3,2,1 --order x
bad "--mu6: the sixth moment of a unit-variance law is at least mu4^2" moments --widths 3,2,1 --order 3 --mu6 8
bad "--mu8: no unit-variance law has these mu4, mu6, mu8" moments --widths 3,2,1 --order 4 --mu4 2 --mu6 6 --mu8 19
bad "--mu6 is required with --order 3|4 and --mu4 5" moments --widths 3,2,1 --order 3 --mu4 5
bad "--mu8 is required with --order 4 and --mu4 5" moments --widths 3,2,1 --order 4 --mu4 5 --mu6 30
bad "--mu6 '1/0'" moments --widths 3,2,1 --order 3 --mu6 1/0
bad "option '--mu6' does not apply" sample --widths 3,2,1 --samples 100 --mu6 15
bad "--mu6: the sixth moment" table --profile 3,2,1 --order 3 --mu6 1

# the floating-point mode
"$NTK" moments --widths 3,2,1 --double --format json >"$tmp/d.json" && "$PY" - "$tmp/d.json" "$tmp/j.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["precision"] == 53 and d["exact"] is None
assert d["decimal"]["E_K"] == "2.16666666666667", d["decimal"]["E_K"]
PYEOF
ok $? "--double: precision 53, exact null, 15 correct digits"
"$NTK" moments --widths 10,1000x1000000000,1 --double --format json >"$tmp/b.json" &&
grep -q '"widths": null' "$tmp/b.json" && grep -q '"E_Kw": "100000000.100000"' "$tmp/b.json"
ok $? "--double: depth 10^9 by repeated squaring, widths list left out"
bad "--precision '1'" moments --widths 3,2,1 --precision 1
bad "--x2 symbolic is exact only" moments --widths 3,2,1 --precision 64 --x2 symbolic
bad "option '--double' does not apply" sample --widths 3,2,1 --samples 10 --double
bad "use --no-bias or --precision" moments --widths 3,10000000x300,1

# expand and limit
"$NTK" expand --depth 3 --n0 2 --format json >"$tmp/x.json" && "$PY" - "$tmp/x.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
d = json.load(open(sys.argv[1]))
assert d["expansion"]["E_K"][0] == {"0": "7/2"} and d["expansion"]["E_K"][1] == {"0": "-1/2"}
assert d["series"]["E[K^2]/E[K]^2 - 1"][:3] == ["0", "141/49", "216/49"]
PYEOF
ok $? "expand json: E_K = 7/2 - 2^-n/2 for depth 3, n0 2; the ratio series"
"$NTK" expand --depth 3 --n0 2 >"$tmp/x.txt" && grep -q '^E_K = 7/2$' "$tmp/x.txt" && grep -q 'E\[K^2\]/E\[K\]^2 - 1 = (141/49) n^-1' "$tmp/x.txt"
ok $? "expand text"
"$NTK" limit --beta 1 --a 1/10 --format json >"$tmp/l.json" && "$PY" - "$tmp/l.json" <<'PYEOF'
import json, sys, math
d = json.load(open(sys.argv[1]))
l = d["limits"][0]
assert l["ratio_K2"].startswith("14.72509222803694832442811396"), l["ratio_K2"]
assert abs(float(l["ratio_N4"]) - 3 * math.exp(5)) < 1e-9 and l["closed_form"]["ratio_dK"] == l["ratio_dK"]
PYEOF
ok $? "limit json: 30 digits, 3 e^5, closed form equal"
"$NTK" limit --beta 1/2,1,2 --x2 1 --n0 10 --format csv >"$tmp/l.csv" && [ "$(wc -l <"$tmp/l.csv")" -eq 4 ]
ok $? "limit csv: a row per beta; --x2 with --n0"
# limit --moments (issue 12, point 4)
for f in text json csv; do
    "$NTK" limit --beta 1/2,2 --format $f >"$tmp/m2a" && "$NTK" limit --beta 1/2,2 --moments 2 --format $f >"$tmp/m2b" &&
        cmp -s "$tmp/m2a" "$tmp/m2b"
    ok $? "limit --moments 2 --format $f: byte-identical to the default"
done
"$NTK" limit --beta 1/2 --moments 4 --format json >"$tmp/m4.json" && "$PY" - "$tmp/m4.json" <<'PYEOF'
import json, sys, math
d = json.load(open(sys.argv[1]))
assert d["moments"] == 4
l = d["limits"][0]
assert l["ratio_K3"].startswith("48.50177630045188274638035581"), l["ratio_K3"]
assert l["ratio_K4"].startswith("6260.155719528085977332708263"), l["ratio_K4"]
assert abs(float(l["ratio_N6"]) / (15 * math.exp(7.5)) - 1) < 1e-14
assert abs(float(l["ratio_N8"]) / (105 * math.exp(15)) - 1) < 1e-14
for k in ["E_K3_over_d3", "ratio_K3", "ratio_N6", "E_K4_over_d4", "ratio_K4", "ratio_N8", "ratio_K2"]:
    assert l["closed_form"][k] == l[k], k
assert d["limits"][0]["closed_form_agrees_to_digits"] == 30
PYEOF
ok $? "limit --moments 4 json: the six keys, 30 digits, closed form equal"
"$NTK" limit --beta 1/2 --moments 3 --format csv | head -1 |
    grep -qx 'beta,E_K_over_d,E_K2_over_d2,ratio_K2,ratio_dK,ratio_N4,E_K3_over_d3,ratio_K3,ratio_N6,closed_form_agrees_to_digits'
ok $? "limit --moments 3 csv: the columns of order 3 after ratio_N4"
"$NTK" limit --beta 1/2 --moments 4 >"$tmp/m4.txt" && grep -q '^  E\[K^4\]/E\[K\]^4  *6260.15571952808597733270826329$' "$tmp/m4.txt" &&
    grep -q 'closed form agrees to all 30' "$tmp/m4.txt"
ok $? "limit --moments 4 text"
# issue 24: every activation, and the 1/n corrections, at the moments of order 3 and 4
"$NTK" limit --beta 1 --moments 3 --order 1 --format json >"$tmp/m3f1.json" && "$PY" - "$tmp/m3f1.json" <<'PYEOF'
import json, sys, math
d = json.load(open(sys.argv[1]))
assert d["order"] == 1 and d["moments"] == 3
l = d["limits"][0]
# F_1 of E[N^6]/E[N^2]^3 = 15 e^{15 beta} beta (M - L^2/2), M - L^2/2 = -137/2 for ReLU
assert abs(float(l["ratio_N6"]) / (15 * math.exp(15) * -68.5) - 1) < 1e-14, l["ratio_N6"]
assert "ratio_K4" not in l and l["closed_form"]["ratio_K3"] == l["ratio_K3"]
assert l["closed_form_agrees_to_digits"] == 30
PYEOF
ok $? "limit --moments 3 --order 1 json: F_1 of the order-3 values, E[N^6] ratio's exact"
"$NTK" limit --beta 1 --moments 4 --activation leaky:1/2 --format json >"$tmp/m4l.json" && "$PY" - "$tmp/m4l.json" <<'PYEOF'
import json, sys, math
d = json.load(open(sys.argv[1]))
l = d["limits"][0]
L = 3 * 2 * (1 + 1 / 16) / (1 + 1 / 4) ** 2 - 1          # 3 A_4/A_2^2 - 1 = 77/25
assert abs(float(l["ratio_N8"]) / (105 * math.exp(6 * L)) - 1) < 1e-14, l["ratio_N8"]
assert l["closed_form_agrees_to_digits"] == 30
PYEOF
ok $? "limit --moments 4 --activation leaky:1/2: answered, 105 e^{6 L beta}, closed form equal"
bad "E[K^3]/d^3 diverges for beta > 1/3" limit --beta 1/2 --moments 3 --activation slopes:0,1
bad "F_1 of the moments of order 4 needs beta < 1/4" limit --beta 1/4 --moments 4 --order 1 --activation slopes:0,1
bad "--moments '5' is not an integer in 2..4" limit --beta 1 --moments 5
# the series in 1/n with coefficients in the depth, and the 1/n correction (issue 15)
"$NTK" expand --depth symbolic --n0 10 --order 3 --format json >"$tmp/s.json" && "$PY" - "$tmp/s.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
d = json.load(open(sys.argv[1]))
assert d["depth"] == "symbolic" and d["order"] == 3
e = d["series"]["E_K"]
assert e[0] == {"power": 0, "poly": ["1/2", "3/5"], "d_min": 2, "below": {}}, e[0]
c1 = d["ratios"]["E[K^2]/E[K]^2 - 1"][1]
assert c1["power"] == -1 and c1["num"] == ["0", "173/6", "-185/2", "191/3"] and c1["den"] == ["25", "60", "36"], c1
ev = lambda p, x: sum(F(c) * x ** i for i, c in enumerate(p))
assert ev(c1["num"], 4) / ev(c1["den"], 4) == F(2710, 841)
PYEOF
ok $? "expand --depth symbolic json: polynomials in d as p/q lists; c_1(4) = 2710/841"
"$NTK" expand --depth 4 --n0 10 --series --order 3 --format json >"$tmp/s4.json" \
    && "$NTK" expand --depth 4 --n0 10 --order 3 --format json >"$tmp/e4.json" && "$PY" - "$tmp/s4.json" "$tmp/e4.json" <<'PYEOF'
import json, sys
s, e = (json.load(open(f)) for f in sys.argv[1:3])
assert s["series"] == e["series"]
for q, parts in e["expansion"].items():
    assert s["expansion"][q][0] == {p: v for p, v in parts[0].items() if int(p) >= -3}, q
PYEOF
ok $? "expand --series: the 2^-n-free part of the exact function, truncated"
# expand --moments 3|4 (issue 12, point 4)
same=0
for a in "--depth 3 --n0 2" "--depth 4 --format json" "--depth 5 --activation slopes:0,1 --param standard" \
         "--depth 3 --method interpolate --format json" "--depth 6 --series --order 3" "--depth symbolic --order 2"; do
    "$NTK" expand $a >"$tmp/m0" && "$NTK" expand $a --moments 2 >"$tmp/m2" && cmp -s "$tmp/m0" "$tmp/m2" || same=1
done
[ $same -eq 0 ]
ok $? "expand --moments 2: byte-identical to the default (text, json, interpolate, --series, symbolic)"
"$NTK" expand --depth 3 --n0 2 --moments 4 --mu4 2 --mu6 5 --mu8 14 --format json >"$tmp/m4.json" \
    && "$NTK" moments --widths 2,5x2,1 --order 4 --mu4 2 --mu6 5 --mu8 14 --format json >"$tmp/w5.json" \
    && "$PY" - "$tmp/m4.json" "$tmp/w5.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
e, m = (json.load(open(f)) for f in sys.argv[1:3])
keys = ("E_K E_Kw E_Kb E_K2 E_Kw2 E_Kb2 E_KwKb Var_K E_dK E_Dww E_Dwb E_N2 E_N4 E_K3 E_Kw3 E_Kw2Kb "
        "E_KwKb2 E_Kb3 M3_K E_N6 E_K4 E_Kw4 E_Kw3Kb E_Kw2Kb2 E_KwKb3 E_Kb4 M4_K E_N8").split()
assert list(e["expansion"]) == keys, list(e["expansion"])
n = 5
for q in keys:
    v = sum(F(c) * F(n) ** int(p) / 2 ** (j * n) for j, part in enumerate(e["expansion"][q])
            for p, c in part.items())
    assert v == F(m["exact"][q]), q
s = e["series"]
assert list(s) == ["E[K^2]/E[K]^2 - 1", "E[dK]/(lambda E[K])", "E[K^3]/E[K]^3", "E[K^4]/E[K]^4"]
assert s["E[K^3]/E[K]^3"][0] == "1" and s["E[K^4]/E[K]^4"][0] == "1" and len(s["E[K^4]/E[K]^4"]) == 5
PYEOF
ok $? "expand --moments 4 json: the keys of moments --order 4, equal to it at n = 5; the series of E[K^3]/E[K]^3, E[K^4]/E[K]^4"
"$NTK" expand --depth 3 --n0 2 --moments 3 >"$tmp/m3.txt" && grep -q '^E_K3 = 343/8 + (2961/8) n^-1' "$tmp/m3.txt" \
    && grep -q '^E\[K^3\]/E\[K\]^3 = 1 + (423/49) n^-1' "$tmp/m3.txt" && ! grep -q 'E_K4\|Skew' "$tmp/m3.txt"
ok $? "expand --moments 3 text: E_K3 and the series of E[K^3]/E[K]^3, no E_K4, no ratio"
bad "--moments '5' is not an integer in 2..4" expand --depth 3 --moments 5
bad "--moments '1' is not an integer in 2..4" expand --depth 3 --moments 1
bad "--moments 'x' is not an integer in 2..4" expand --depth 3 --moments x
bad "computed up to depth 100" expand --depth 101 --moments 4
bad "computed up to depth 200" expand --depth 201 --moments 3
bad "--mu6 applies with --moments 3|4" expand --depth 3 --mu6 15
# the series of the moments up to E[K^4], off the critical cw_hidden, x2 = 0 (issue 24, points 3-4)
"$NTK" expand --depth symbolic --n0 10 --moments 4 --order 2 --format json >"$tmp/y4.json" && "$PY" - "$tmp/y4.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
d = json.load(open(sys.argv[1]))
assert d["moments"] == 4 and d["mu6"] == "15" and d["mu8"] == "105" and "lambda" not in d
keys = ("E_K E_Kw E_Kb E_K2 E_Kw2 E_Kb2 E_KwKb Var_K E_dK E_Dww E_Dwb E_N2 E_N4 E_K3 E_Kw3 E_Kw2Kb "
        "E_KwKb2 E_Kb3 M3_K E_N6 E_K4 E_Kw4 E_Kw3Kb E_Kw2Kb2 E_KwKb3 E_Kb4 M4_K E_N8").split()
assert list(d["series"]) == keys, list(d["series"])
assert list(d["ratios"]) == ["E[K^2]/E[K]^2 - 1", "E[dK]/(lambda E[K])", "E[K^3]/E[K]^3", "Skew2_K",
                             "E[K^4]/E[K]^4", "Kurt_K"]
ev = lambda p, x: sum(F(c) * x ** i for i, c in enumerate(p))
r = d["ratios"]["E[K^3]/E[K]^3"][1]
assert ev(r["num"], 4) / ev(r["den"], 4) == F(8130, 841)
m4 = d["series"]["M4_K"][2]
assert m4["power"] == -2 and len(m4["poly"]) == 7 and ev(m4["poly"], 4) == F(220323, 100)
PYEOF
ok $? "expand --depth symbolic --moments 4 json: 28 quantities, 6 ratios; E[K^3]/E[K]^3 and M4_K at d = 4"
"$NTK" expand --depth 4 --n0 10 --moments 4 --series --order 3 --format json >"$tmp/s44.json" \
    && "$NTK" expand --depth 4 --n0 10 --moments 4 --order 3 --format json >"$tmp/e44.json" \
    && "$PY" - "$tmp/s44.json" "$tmp/e44.json" <<'PYEOF'
import json, sys
s, e = (json.load(open(f)) for f in sys.argv[1:3])
assert s["series"] == e["series"] and list(s["expansion"]) == list(e["expansion"])
for q, parts in e["expansion"].items():
    assert s["expansion"][q][0] == {p: v for p, v in parts[0].items() if int(p) >= -3}, q
PYEOF
ok $? "expand --series --moments 4: the 2^-n-free part of the exact function, truncated"
"$NTK" expand --depth symbolic --n0 3 --cw-hidden 3/2 --moments 3 --order 2 --format json >"$tmp/c.json" \
    && "$NTK" expand --depth 7 --n0 3 --cw-hidden 3/2 --moments 3 --order 2 --format json >"$tmp/c7.json" \
    && "$PY" - "$tmp/c.json" "$tmp/c7.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
d, e = (json.load(open(f)) for f in sys.argv[1:3])
assert d["lambda"] == "3/4" and "sum_p c_p(d) n^p" in d["form"]
ev = lambda p, x: sum(F(c) * x ** i for i, c in enumerate(p))
es = lambda items, x: sum(F(t["lambda"]) ** x * ev(t["poly"], x) for t in items)
for q, coeffs in d["series"].items():
    for c in coeffs:
        assert c["sum"][0]["lambda"] == "1" and c["d_min"] <= 7, (q, c)
        want = F(e["expansion"][q][0].get(str(c["power"]), "0"))
        assert es(c["sum"], 7) == want, (q, c["power"])
for name, coeffs in d["ratios"].items():
    if name in e["series"]:
        for k, c in enumerate(coeffs):
            assert es(c["num_sum"], 7) / es(c["den_sum"], 7) == F(e["series"][name][k]), (name, k)
PYEOF
ok $? "expand --depth symbolic --cw-hidden 3/2 json: sums lambda^d P(d), lambda = c A_2 = 3/4; = the exact expansion at d = 7"
"$NTK" expand --depth symbolic --n0 3 --cw-hidden 3/2 --order 1 >"$tmp/c.txt" \
    && grep -q '^  n^0    (9/16)^d \[(16/81) d^2\]$' "$tmp/c.txt" && grep -q 'lambda = 1, 3/4, (3/4)^2' "$tmp/c.txt"
ok $? "expand --depth symbolic --cw-hidden 3/2 text: E_Kw2 = (9/16)^d (16/81) d^2 + O(1/n)"
"$NTK" expand --depth 3 --x2 0 >"$tmp/z.txt" && grep -q '^E_K = 1$' "$tmp/z.txt" && grep -q '^Var_K = 0$' "$tmp/z.txt" \
    && grep -q '^E\[K^2\]/E\[K\]^2 - 1 = O(n^-5)$' "$tmp/z.txt"
ok $? "expand --x2 0 (ReLU): K = 1, the output bias"
"$NTK" expand --depth 3 --x2 0 --no-bias --format json >"$tmp/z.json" && "$PY" - "$tmp/z.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert all(v == [{}] for v in d["expansion"].values()), d["expansion"]
assert d["series"]["E[K^2]/E[K]^2 - 1"] is None and d["series"]["E[dK]/(lambda E[K])"] is None
PYEOF
ok $? "expand --x2 0 --no-bias json: K = 0, the ratios null"
"$NTK" expand --depth 3 --n0 2 --x2 0 --activation leaky:1/2 --moments 4 --format json >"$tmp/z4.json" \
    && "$NTK" moments --widths 2,5x2,1 --x2 0 --activation leaky:1/2 --order 4 --format json >"$tmp/zm.json" \
    && "$PY" - "$tmp/z4.json" "$tmp/zm.json" <<'PYEOF'
import json, sys
from fractions import Fraction as F
e, m = (json.load(open(f)) for f in sys.argv[1:3])
for q, parts in e["expansion"].items():
    assert len(parts) == 1, q
    assert sum(F(c) * F(5) ** int(p) for p, c in parts[0].items()) == F(m["exact"][q]), q
PYEOF
ok $? "expand --x2 0 --activation leaky:1/2 --moments 4: one part, = moments --x2 0 at n = 5"
"$NTK" expand --depth symbolic --x2 0 --activation leaky:1/2 --order 1 | grep -q 'lambda = 1, 2/5, (2/5)^2, ... (c a_minus^2 at x2 = 0'
ok $? "expand --depth symbolic --x2 0 --activation leaky:1/2: lambda = c a_minus^2 = 2/5"
bad "--order: must be 0..20 away from the critical cw_hidden" expand --depth symbolic --cw-hidden 3 --order 21
bad "--order: must be 0..20 at x2 = 0" expand --depth symbolic --x2 0 --activation leaky:1/2 --order 21
bad "--order 41: the series are computed to n^-40 at most" expand --depth symbolic --moments 4 --order 41
"$NTK" limit --beta 1 --order 1 --format json >"$tmp/f1.json" && "$PY" - "$tmp/f1.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["order"] == 1 and d["mu4"] == "3"
l = d["limits"][0]
assert l["ratio_K2"].startswith("-144.287265082158288124931773373"), l["ratio_K2"]
assert l["E_K_over_d"] == "0.5" and d["limits"][0]["closed_form_agrees_to_digits"] == 30
PYEOF
ok $? "limit --order 1 json: F_1, order and mu4 keys"
"$NTK" limit --beta 1 --order 1 --format csv | head -1 | grep -q ',order$'
ok $? "limit --order 1 csv: an order column"
for cmd in expand limit; do
    "$NTK" $cmd --help >"$tmp/h" 2>&1 && grep -q "Usage: ntkexact $cmd" "$tmp/h"
    ok $? "$cmd --help"
done
bad "--depth is required" expand --n0 3
bad "--depth '1'" expand --depth 1
bad "--x2 '-1': the squared norm of the input must be >= 0" expand --depth 3 --x2 -1
bad "--format 'csv' is not one of text, json" expand --depth 3 --format csv
bad "--beta is required" limit
bad "--beta: the limit is computed for 10^-1000 <= beta <= 1000000" limit --beta 0
bad "--cw-hidden: the limit is defined for the critical cw_hidden 2" limit --beta 1 --cw-hidden 3
bad "either --a, or both --x2 and --n0" limit --beta 1 --x2 2
bad "--beta 'x'" limit --beta 1,x

"$NTK" compare-paper --n 10,100 --beta 1/2,1 --a 1 --format json >"$tmp/p.json" && "$PY" - "$tmp/p.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["rows"]) == 4 and len(d["ratios"]) == 8
for r in d["rows"]:
    assert r["r3"] == 1 and r["r0"] > 1     # E_Kw = d a exactly; E_K above d(1/2 + a)
lo, hi = d["range"]["E_K2 / Thm1"]
assert 0 < lo <= hi
PYEOF
ok $? "compare-paper json: rows, ratios, ranges; E_Kw = d a"
"$NTK" compare-paper --widths 5,3,7,2,4,1 --a 1/2 >"$tmp/p.txt" && grep -q '^5,3,7,2,4,1 ' "$tmp/p.txt" && grep -q 'range of each ratio' "$tmp/p.txt"
ok $? "compare-paper text with a user profile"
"$NTK" compare-paper --help | grep -q "Usage: ntkexact compare-paper"
ok $? "compare-paper --help"
bad "has no hidden layer" compare-paper --widths 3,1
bad "--a: values are in [10^-100, 10^100]" compare-paper --n 10 --a 0

# NTK parametrization: the moments depend on x2 and n_0 only through a = x2/n_0
# (as data/README.md says), for any weight law; not so in the standard one
"$NTK" moments --widths 1,4x3,1 --x2 2/3 --mu4 9/5 --format csv >"$tmp/a1.csv" &&
"$NTK" moments --widths 6,4x3,1 --x2 4 --mu4 9/5 --format csv >"$tmp/a6.csv" && cmp -s "$tmp/a1.csv" "$tmp/a6.csv" &&
"$NTK" moments --widths 1,4x3,1 --x2 2/3 --param standard --format csv >"$tmp/s1.csv" &&
"$NTK" moments --widths 6,4x3,1 --x2 4 --param standard --format csv >"$tmp/s6.csv" && ! cmp -s "$tmp/s1.csv" "$tmp/s6.csv"
ok $? "moments depend on x2, n_0 only through a = x2/n_0 in the NTK parametrization (not in the standard one)"

# the man page documents every option of every command's --help
man=${SRCDIR:-.}/doc/ntkexact.1
missing=""
for c in $("$NTK" help --commands); do
    for o in $("$NTK" $c --help | grep -oE -- '--[a-z0-9-]+' | sort -u); do
        sed 's/\\-/-/g' "$man" | grep -qF -- "$o" || missing="$missing $c:$o"
    done
done
[ -z "$missing" ]
ok $? "the man page documents every option of every command${missing:+ (missing:$missing)}"

# the command table: help, the command list, and options that do not apply
"$NTK" help --commands >"$tmp/cmds" && [ "$(wc -l <"$tmp/cmds")" -ge 10 ] && grep -qx moments "$tmp/cmds" \
    && grep -qx compare-paper "$tmp/cmds"
ok $? "help --commands lists the commands of the table"
"$NTK" help sample >"$tmp/h1" && "$NTK" sample --help >"$tmp/h2" && cmp -s "$tmp/h1" "$tmp/h2"
ok $? "'help sample' is 'sample --help'"
for c in $(cat "$tmp/cmds"); do
    "$NTK" help 2>/dev/null | grep -q "^  $c " || { echo "# $c missing from help"; false; } || break
done
ok $? "'ntkexact help' lists every command of the table"
"$NTK" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "Usage: ntkexact COMMAND" "$tmp/err"
ok $? "bare ntkexact: usage on stderr, exit 2 (exit $st)"
bad "does not apply: the paper's theorems are stated for the critical cw_hidden 2" compare-paper --cw-hidden 3
bad "does not apply: the paper's theorems include the biases" compare-paper --no-bias
bad "help: unknown command 'bogus'" help bogus
bad "unknown option '--bogus'" version --bogus
bad "--law uniform and --mu4 disagree" sample --widths 3,2,1 --samples 10 --law uniform --mu4 3
"$NTK" sample --widths 3,2,1 --samples 500 --law uniform --format json >"$tmp/l1" &&
"$NTK" sample --widths 3,2,1 --samples 500 --mu4 9/5 --format json >"$tmp/l2" && cmp -s "$tmp/l1" "$tmp/l2"
ok $? "sample --law uniform is --mu4 9/5"
"$NTK" compare-paper --n 10 --beta 1/2 --a 1 --mu4 9/5 --format csv >"$tmp/p1" &&
"$NTK" compare-paper --n 10 --beta 1/2 --a 1 --format csv >"$tmp/p2" && ! cmp -s "$tmp/p1" "$tmp/p2"
ok $? "compare-paper honours --mu4"

bad "last width is 2" moments --widths 3,2
bad "'0' is zero" moments --widths 3,0,1
bad "'-1' is negative" moments --widths 3,-1,1
bad "'abc' is not a positive integer" moments --widths 3,abc,1
bad "too large" moments --widths 3,123456789012345678901234,1
bad "empty" moments --widths ""
bad "'' is empty" moments --widths 3,,1
bad "repeat count is zero" moments --widths 3,100x0,1
bad "at least an input and an output" moments --widths 1
bad "--widths is required" moments
bad "--mu4" moments --widths 3,2,1 --mu4 0.5
bad "--mu4 'x'" moments --widths 3,2,1 --mu4 x
bad "--cw-hidden" moments --widths 3,2,1 --cw-hidden 0
bad "--cw-output" moments --widths 3,2,1 --cw-output -1
bad "--x2" moments --widths 3,2,1 --x2 -1
bad "--x2 '1/0'" moments --widths 3,2,1 --x2 1/0
bad "--param 'foo'" moments --widths 3,2,1 --param foo
bad "--format 'xml'" moments --widths 3,2,1 --format xml
bad "--digits" moments --widths 3,2,1 --digits 0
bad "--threads" moments --widths 3,2,1 --threads many
bad "unknown option" moments --widths 3,2,1 --bogus
bad "missing its value" moments --widths
bad "unexpected argument" moments --widths 3,2,1 extra
bad "unknown command 'frobnicate'" frobnicate

# --activation: named in every report when given, the critical cw_hidden by default
"$NTK" moments --widths 3,2,1 --format json >"$tmp/r1" &&
"$NTK" moments --widths 3,2,1 --activation relu --format json >"$tmp/r2" &&
! grep -q activation "$tmp/r1" && grep -q '"activation": "relu", "a_plus": "1", "a_minus": "0"' "$tmp/r2" &&
[ "$(grep -v activation "$tmp/r2")" = "$(cat "$tmp/r1")" ]
ok $? "--activation relu: the ReLU values, the activation named only when given"
"$NTK" moments --widths 3,5,1 --activation leaky:1/2 --format json >"$tmp/r3" &&
grep -q '"cw_hidden": "8/5"' "$tmp/r3" && grep -q '"E_K": "55/24"' "$tmp/r3" &&
"$NTK" moments --widths 3,5,1 --activation slopes:1,1/2 --cw-hidden 8/5 --format json >"$tmp/r4" &&
[ "$(grep -v activation "$tmp/r3")" = "$(grep -v activation "$tmp/r4")" ]
ok $? "--activation leaky:1/2 = slopes:1,1/2 with the critical cw_hidden 8/5 by default"
"$NTK" moments --widths 3,5,1 --activation linear --format csv | sed -n 1,2p >"$tmp/r5" &&
[ "$(sed -n 1p "$tmp/r5")" = "quantity,exact,decimal,activation" ] && grep -q ',linear$' "$tmp/r5" &&
"$NTK" moments --widths 3,5,1 --activation abs | sed -n 2p | grep -q 'cw_hidden = 1, .*activation abs$' &&
"$NTK" expand --depth 3 --activation linear | sed -n 1p | grep -q 'activation linear, cw_hidden 1' &&
"$NTK" limit --beta 1 --activation linear --format csv | sed -n 1p | grep -q ',activation$' &&
"$NTK" table --depths 2 --hidden-widths 3 --activation leaky:1/10 | sed -n 2p | grep -q 'leaky:1/10'
ok $? "--activation is named in the csv, text, expand, limit and table reports"
# table's grid widths: --hidden-widths; the old --widths still works, with a note
"$NTK" table --depths 2,3 --hidden-widths 3,5 >"$tmp/hw.csv" 2>"$tmp/hw.err" && [ ! -s "$tmp/hw.err" ] &&
"$NTK" table --depths 2,3 --widths 3,5 >"$tmp/ow.csv" 2>"$tmp/ow.err" && cmp -s "$tmp/hw.csv" "$tmp/ow.csv" &&
[ "$(wc -l <"$tmp/ow.err")" -eq 1 ] && grep -q 'note: table --widths means the hidden widths' "$tmp/ow.err" &&
grep -q -- '--hidden-widths' "$tmp/ow.err"
ok $? "table --widths (the old name of --hidden-widths): the same table, one note on stderr"
bad "--hidden-widths (or its old name --widths) is given twice" table --depths 2 --widths 3 --hidden-widths 3
bad "--depths and --hidden-widths go together" table --depths 2
for a in leaky:1/2 linear abs; do
    "$NTK" check --widths 4,6x4,1 --activation $a --samples 100000 --seed 11 --quiet >"$tmp/c" &&
    grep -q "activation $a" "$tmp/c"
    ok $? "check --activation $a passes on 4,6x4,1 and names the activation"
done
bad "the slopes are both 0" moments --widths 3,2,1 --activation slopes:0,0
bad "'x' is not an exact rational" moments --widths 3,2,1 --activation leaky:x
bad "takes two rationals" moments --widths 3,2,1 --activation slopes:1
bad "is not one of relu, linear, abs" moments --widths 3,2,1 --activation relu2
bad "about ReLU networks" compare-paper --activation linear
bad "critical cw_hidden 1" limit --beta 1 --activation linear --cw-hidden 2

# CSV: an activation with two slopes is one quoted field (RFC 4180), in
# every command's CSV, and table --resume keeps such a table
for c in "moments --widths 3,2,1" "limit --beta 1" "table --depths 2 --hidden-widths 3" \
         "check --widths 3,2,1 --samples 100 --quiet" "sample --widths 3,2,1 --samples 100 --quiet"; do
    # shellcheck disable=SC2086
    "$NTK" $c --activation slopes:1/2,-1/3 --format csv >"$tmp/act.csv" 2>"$tmp/err"
    "$PY" - "$tmp/act.csv" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
col = rows[0].index("activation")
assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows), rows[:3]
assert all(r[col] == "slopes:1/2,-1/3" for r in rows[1:]), [r[col] for r in rows[1:]]
PYEOF
    ok $? "$c --activation slopes:1/2,-1/3 --format csv: the activation is one quoted field"
done
"$NTK" table --depths 2,3 --hidden-widths 3,4 --activation slopes:1/2,-1/3 --format csv \
    --output "$tmp/full.csv" 2>/dev/null
head -n 3 "$tmp/full.csv" >"$tmp/part.csv"
"$NTK" table --depths 2,3 --hidden-widths 3,4 --activation slopes:1/2,-1/3 --format csv \
    --output "$tmp/part.csv" --resume 2>"$tmp/err"
st=$?
cmp -s "$tmp/full.csv" "$tmp/part.csv"
ok $((st + $?)) "table --resume keeps a table whose activation is a quoted field (exit $st)"

echo "1..$n"
[ $fails -eq 0 ]

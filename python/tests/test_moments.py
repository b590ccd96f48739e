"""ntkexact.moments against the reference tables of data/ and the JSON of
`ntkexact moments`, exactly, value by value."""

import csv
import decimal
import fractions
from fractions import Fraction

import pytest

import ntkexact
from ntkhelp import cli_json, fraction, source

KEYS = ["E_K", "E_Kw", "E_Kb", "E_K2", "E_Kw2", "E_Kb2", "E_KwKb", "Var_K", "E_dK", "E_Dww",
        "E_Dwb", "E_N2", "E_N4"]


def test_quantities_are_the_json_keys():
    assert ntkexact.QUANTITIES == tuple(KEYS)
    assert ntkexact.INTERFACE_QUANTITIES == tuple(KEYS[:11])
    json_keys = list(cli_json("moments", "--widths", "3,2,1")["exact"])
    assert json_keys == KEYS


def _data_rows():
    with open(source("data", "moments.csv"), newline="") as f:
        return list(csv.DictReader(f))


ROWS = _data_rows()
DEPTHS = sorted({int(r["depth"]) for r in ROWS})


@pytest.mark.parametrize("depth", DEPTHS, ids=[f"depth-{d}" for d in DEPTHS])
def test_data_table_rows(depth):
    """Every row of data/moments.csv of this depth: its 13 exact values."""
    rows = [r for r in ROWS if int(r["depth"]) == depth]
    assert rows
    for r in rows:
        m = ntkexact.moments(r["widths"], x2=r["x2"], mu4=r["mu4"], cw_hidden=r["cw_hidden"],
                             cw_output=r["cw_output"], param=r["param"], bias=r["bias"] == "true")
        for q in KEYS:
            assert m[q] == Fraction(r[q]), (r["widths"], r["a"], r["mu4"], q)
            assert type(m[q]) is Fraction


def test_data_table_is_whole():
    assert len(ROWS) == 1224 and sum(1 for r in ROWS if int(r["depth"]) in DEPTHS) == 1224


# profiles and conventions beyond the tables: each against the tool's JSON
CASES = [
    ("3,2x2,1", ["--x2", "2.5"], dict(x2="2.5")),
    ("3,2,1", ["--no-bias", "--param", "standard", "--mu4", "9/5", "--cw-hidden", "1.5",
               "--cw-output", "1/2"],
     dict(bias=False, param="standard", mu4=Fraction(9, 5), cw_hidden=decimal.Decimal("1.5"),
          cw_output=0.5)),
    ("1,1,1,1", ["--x2", "0"], dict(x2=0)),
    ("5,7x30,1", ["--x2", "7/3", "--threads", "1"], dict(x2=Fraction(7, 3), threads=2)),
    ("2,1x10,1", ["--param", "standard", "--x2", "3"], dict(param="standard", x2=3)),
    ("784,256,128,64,1", ["--mu4", "9/5", "--x2", "1e-3"], dict(mu4="9/5", x2="1e-3")),
    ("10,1000x60,1", [], {}),
    ("4,3,9,2,1", ["--cw-hidden", "3", "--cw-output", "7", "--x2", "11"],
     dict(cw_hidden=3, cw_output=7, x2=11)),
]


@pytest.mark.parametrize("widths,args,kwargs", CASES, ids=[c[0] for c in CASES])
def test_against_the_tool(widths, args, kwargs):
    want = cli_json("moments", "--widths", widths, *args)
    got = ntkexact.moments(widths, **kwargs)
    assert list(got) == KEYS
    for q in KEYS:
        assert got[q] == fraction(want["exact"][q]), q


def test_long_fractions():
    """Values beyond the 4300-digit limit of int(str): through base 16."""
    m = ntkexact.moments("10,1000x60,1")
    assert len(str(m["E_K"].denominator)) > 4300
    assert m["E_Kw"] == Fraction(60 + 1, 10)        # d x2 / n0
    assert m["E_K"] == m["E_Kw"] + m["E_Kb"]


@pytest.mark.parametrize("widths", ["3,2x2,1", "2,1,3,1", "5,4x6,1"])
def test_symbolic_x2(widths):
    want = cli_json("moments", "--widths", widths, "--x2", "symbolic")
    got = ntkexact.moments(widths, x2="symbolic")
    for q in KEYS:
        assert got[q] == fraction(want["exact"][q]), q
        assert len(got[q]) == 3
    x = Fraction(5, 2)
    at = ntkexact.moments(widths, x2=x)
    for q in KEYS:
        assert sum(c * x ** k for k, c in enumerate(got[q])) == at[q]
    zero = ntkexact.moments(widths, x2=0)
    assert {q: str(v) for q, v in zero.items()} == want["exact_at_x2_zero"]


def test_widths_forms_agree():
    a = ntkexact.moments("3,2x2,1")
    assert ntkexact.moments([3, 2, 2, 1]) == a
    assert ntkexact.moments((3, 2, 2, 1)) == a
    assert ntkexact.moments(range(3, 0, -1)) == ntkexact.moments("3,2,1")
    np = pytest.importorskip("numpy")
    assert ntkexact.moments(np.array([3, 2, 2, 1])) == a


def test_x2_forms_agree():
    want = ntkexact.moments("3,2,1", x2="1/2")
    for x2 in (Fraction(1, 2), 0.5, decimal.Decimal("0.5"), "0.5", "5e-1", "2/4"):
        assert ntkexact.moments("3,2,1", x2=x2) == want, x2
    # a float is the binary number it holds
    tenth = ntkexact.moments("3,2,1", x2=0.1)
    assert tenth == ntkexact.moments("3,2,1", x2=Fraction(0.1))
    assert tenth != ntkexact.moments("3,2,1", x2="0.1")


def test_threads_do_not_change_values():
    one = ntkexact.moments("5,7x30,1", threads=1)
    assert ntkexact.moments("5,7x30,1", threads=2) == one
    assert ntkexact.moments("5,7x30,1", threads=64) == one


@pytest.mark.parametrize("widths,bits", [("3,2,1", 128), ("5,3x40,1", 64),
                                         ("10,1000x100000,1", 200)])
def test_precision_against_the_tool(widths, bits):
    want = cli_json("moments", "--widths", widths, "--precision", str(bits), "--digits", "1000")
    got = ntkexact.moments(widths, precision=bits)
    assert want["exact"] is None
    for q in KEYS:
        w = want["decimal"][q]
        assert (got[q] is None) if w is None else (got[q] == decimal.Decimal(w)), q
        assert w is None or str(got[q]) == w or got[q].as_tuple().exponent != 0
    capped = ntkexact.moments(widths, precision=bits, digits=7)
    want7 = cli_json("moments", "--widths", widths, "--precision", str(bits), "--digits", "7")
    assert {q: None if v is None else decimal.Decimal(v) for q, v in want7["decimal"].items()} \
        == capped


def test_double_against_the_tool():
    want = cli_json("moments", "--widths", "10,1000x1000000,1", "--double")
    got = ntkexact.moments("10,1000x1000000,1", double=True)
    assert got["E_Kw"] == 100000.1
    for q in KEYS:
        assert got[q] == float(want["decimal"][q]), q
        assert type(got[q]) is float


def test_floating_point_agrees_with_exact():
    exact = ntkexact.moments("4,9x20,1")
    approx = ntkexact.moments("4,9x20,1", precision=100)
    for q in KEYS:
        if approx[q] is not None:
            digits = len(approx[q].as_tuple().digits)
            with decimal.localcontext() as ctx:
                ctx.prec = digits
                want = decimal.Decimal(exact[q].numerator) / decimal.Decimal(exact[q].denominator)
            assert approx[q] == want, q


def test_fractions_are_normal():
    """The fast construction of Fractions gives ordinary, reduced Fractions."""
    m = ntkexact.moments("3,2,1")
    for v in m.values():
        assert fractions.Fraction(v.numerator, v.denominator) == v
        assert hash(v) == hash(fractions.Fraction(v.numerator, v.denominator))
    assert m["E_K"] == Fraction(13, 6) and m["E_dK"] == Fraction(-10, 9)
    assert m["E_K"] + m["E_dK"] == Fraction(19, 18) and hash(m["E_N2"] * 3) == hash(1)


@pytest.mark.parametrize("act", ["linear", "abs", "leaky:1/2", "slopes:0,1", "slopes:3/2,-1/3"])
def test_activation_against_the_tool(act):
    """The slopes and their critical variance, as the command takes them."""
    for widths, x2 in (("3,4x3,1", "5/2"), ("2,1,3,1", "0")):
        want = cli_json("moments", "--widths", widths, "--x2", x2, "--activation", act)
        got = ntkexact.moments(widths, x2=Fraction(x2), activation=act)
        assert {k: Fraction(v) for k, v in want["exact"].items()} == got


# the moments of order 3 and 4 (moments(order=...)), against the tool's JSON
ORDER_CASES = [
    ("3,2x2,1", 4, ["--x2", "2.5"], dict(x2="2.5")),
    ("3,2,1", 3, ["--no-bias", "--param", "standard", "--mu4", "5", "--mu6", "40"],
     dict(bias=False, param="standard", mu4=5, mu6=40)),
    ("2,3,1,2,1", 4, ["--mu4", "2", "--mu6", "6", "--mu8", "20", "--activation", "leaky:1/3"],
     dict(mu4=2, mu6=6, mu8=20, activation="leaky:1/3")),
    ("10,100x30,1", 4, [], {}),
    ("3,2,1", 4, ["--x2", "0", "--activation", "slopes:0,2"], dict(x2=0, activation="slopes:0,2")),
]


@pytest.mark.parametrize("widths,order,args,kwargs", ORDER_CASES,
                         ids=[f"{c[0]}-order-{c[1]}" for c in ORDER_CASES])
def test_order_against_the_tool(widths, order, args, kwargs):
    want = cli_json("moments", "--widths", widths, "--order", str(order), *args)
    got = ntkexact.moments(widths, order=order, **kwargs)
    assert tuple(got) == ntkexact.ORDER_QUANTITIES[order]
    assert list(got) == list(want["exact"])
    for q in got:
        assert got[q] == (None if want["exact"][q] is None else fraction(want["exact"][q])), q


def test_order_quantities():
    o3 = ("E_K3", "E_Kw3", "E_Kw2Kb", "E_KwKb2", "E_Kb3", "M3_K", "Skew2_K", "E_N6")
    o4 = ("E_K4", "E_Kw4", "E_Kw3Kb", "E_Kw2Kb2", "E_KwKb3", "E_Kb4", "M4_K", "Kurt_K", "E_N8")
    assert ntkexact.ORDER_QUANTITIES == {2: tuple(KEYS), 3: tuple(KEYS) + o3,
                                         4: tuple(KEYS) + o3 + o4}
    assert ntkexact.moments("3,2,1", order=2) == ntkexact.moments("3,2,1")


def test_order_identities_and_the_dead_input():
    m = ntkexact.moments("4,3x3,1", order=4)
    k, v = m["E_K"], m["Var_K"]
    assert m["M4_K"] == m["E_K4"] - 4 * k * m["E_K3"] + 6 * k * k * m["E_K2"] - 3 * k ** 4
    assert m["Kurt_K"] == m["M4_K"] / v ** 2 - 3 and m["Skew2_K"] == m["M3_K"] ** 2 / v ** 3
    zero = ntkexact.moments("4,3x3,1", x2=0, order=4)
    assert zero["E_K3"] == zero["E_K4"] == 1 and zero["Skew2_K"] is None and zero["Kurt_K"] is None


def test_order_symbolic_and_floating_point():
    s = ntkexact.moments("3,2x2,1", x2="symbolic", order=4)
    assert "Skew2_K" not in s and "Kurt_K" not in s and len(s["E_K4"]) == 5
    x = Fraction(5, 2)
    at = ntkexact.moments("3,2x2,1", x2=x, order=4)
    for q, c in s.items():
        assert sum(ck * x ** i for i, ck in enumerate(c)) == at[q], q
    d = ntkexact.moments("3,2x2,1", x2=x, order=4, double=True)
    assert abs(d["E_K4"] - float(at["E_K4"])) <= 1e-14 * float(at["E_K4"])


def test_order_law_defaults():
    gauss = ntkexact.moments("3,2,1", order=4)
    assert gauss == ntkexact.moments("3,2,1", order=4, mu6=15, mu8=105)
    with pytest.warns(UserWarning, match="uniform law's 27/7"):
        uniform = ntkexact.moments("3,2,1", order=4, mu4="9/5")
    assert uniform == ntkexact.moments("3,2,1", order=4, mu4="9/5", mu6="27/7", mu8=9)
    with pytest.raises(ValueError, match="^mu6: required"):
        ntkexact.moments("3,2,1", order=3, mu4=5)
    with pytest.raises(ValueError, match="^mu6: the sixth moment"):
        ntkexact.moments("3,2,1", order=3, mu6=8)
    with pytest.raises(ValueError, match="^mu8: no unit-variance law"):
        ntkexact.moments("3,2,1", order=4, mu4=2, mu6=6, mu8=19)
    with pytest.raises(ValueError, match="^order"):
        ntkexact.moments("3,2,1", order=5)
    with pytest.raises(TypeError):
        ntkexact.moments("3,2,1", order="4")


def test_profile_widths():
    """The library's parser: NxK items expanded, a list passed through, and
    the widths the tool reports for the same profile."""
    assert ntkexact.profile_widths("3,100x2,1") == [3, 100, 100, 1]
    assert ntkexact.profile_widths([2, 3, 1]) == [2, 3, 1]
    assert ntkexact.profile_widths("10,5x3,7,1x1,1") == [10, 5, 5, 5, 7, 1, 1]
    for spec in ("3,4x3,1", "1,1", "2,7,1x3,1"):
        assert ntkexact.profile_widths(spec) == cli_json("moments", "--widths", spec,
                                                         "--format", "json")["widths"]
    with pytest.raises(TypeError):
        ntkexact.profile_widths(3)

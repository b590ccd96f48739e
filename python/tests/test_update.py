"""ntkexact.moments(update=True, target=...) and sample(update=True): the
second moment of the first SGD update, against `ntkexact moments --update`
value by value, its identities, and the sampler."""

from fractions import Fraction

import pytest

import ntkexact
from ntkhelp import cli_json

UPDATE = ["E_g2", "E_N2g2", "E_N2gww2", "E_N2gwwgwb", "E_N2gwb2", "E_dK2", "Var_dK", "RelVar_dK"]


def test_update_quantities():
    assert ntkexact.UPDATE_QUANTITIES == tuple(UPDATE)
    assert "RelVar_dK" in ntkexact.RATIOS
    m = ntkexact.moments("3,2,1", update=True)
    assert list(m) == list(ntkexact.QUANTITIES) + UPDATE
    assert list(ntkexact.moments("3,2,1", order=3, update=True)) == \
        list(ntkexact.ORDER_QUANTITIES[3]) + UPDATE
    # opt-in: without update the keys and values are those of before
    plain = ntkexact.moments("3,2,1")
    assert list(plain) == list(ntkexact.QUANTITIES)
    assert all(m[q] == plain[q] for q in plain)


CASES = [
    ("3,2x2,1", ["--x2", "5/2"], dict(x2="5/2")),
    ("3,2x2,1", ["--target", "3/2"], dict(target="3/2")),
    ("4,3,2,1", ["--no-bias", "--param", "standard", "--mu4", "9/5", "--mu6", "27/7", "--mu8",
                 "9", "--target", "-1"],
     dict(bias=False, param="standard", mu4=Fraction(9, 5), mu6=Fraction(27, 7), mu8=9,
          target=-1)),
    ("2,3,3,1", ["--activation", "leaky:1/10", "--x2", "7/3"],
     dict(activation="leaky:1/10", x2=Fraction(7, 3))),
    ("1,1,1,1", ["--activation", "abs"], dict(activation="abs")),
    ("3,5,1", ["--order", "4", "--update"], dict(order=4)),
]


@pytest.mark.parametrize("widths,args,kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_update_against_the_tool(widths, args, kwargs):
    kw = dict(kwargs)
    if "target" not in kw:
        kw["update"] = True
    m = ntkexact.moments(widths, **kw)
    j = cli_json("moments", "--widths", widths, "--update", *args)
    for q, v in j["exact"].items():
        assert m[q] == (None if v is None else Fraction(v)), (widths, q)


def test_update_identities():
    y = Fraction(3, 2)
    m = ntkexact.moments("4,5,4,1", x2=2, target=y)
    assert m["E_N2g2"] == m["E_N2gww2"] + 4 * m["E_N2gwwgwb"] + 4 * m["E_N2gwb2"]
    assert m["E_dK2"] == 4 * (m["E_N2g2"] + y * y * m["E_g2"])
    assert m["Var_dK"] == m["E_dK2"] - m["E_dK"] ** 2
    assert m["RelVar_dK"] == m["Var_dK"] / m["E_dK"] ** 2
    assert m["E_g2"] > 0 and 4 * m["E_N2g2"] >= m["E_dK"] ** 2
    # x2 = 0 and depth 1: g = 0, RelVar_dK undefined
    for widths, x2 in (("4,5,4,1", 0), ("4,1", 1)):
        z = ntkexact.moments(widths, x2=x2, update=True)
        assert all(z[q] == 0 for q in UPDATE[:-1]) and z["RelVar_dK"] is None


def test_update_symbolic_and_floating_point():
    s = ntkexact.moments("3,4,3,1", x2="symbolic", target=1)
    e = ntkexact.moments("3,4,3,1", x2=Fraction(5, 2), target=1)
    assert "RelVar_dK" not in s and all(len(c) == 5 for c in s.values())
    for q, c in s.items():
        assert sum(v * Fraction(5, 2) ** k for k, v in enumerate(c)) == e[q], q
    d = ntkexact.moments("3,4,3,1", x2=Fraction(5, 2), target=1, double=True)
    for q in UPDATE:
        assert abs(d[q] - float(e[q])) <= 1e-13 * abs(float(e[q])), q


def test_update_arguments():
    with pytest.raises(ValueError, match="mu6: required with update=True and mu4=5"):
        ntkexact.moments("3,2,1", update=True, mu4=5)
    with pytest.raises(ValueError, match="update: 2 is neither True nor False"):
        ntkexact.moments("3,2,1", update=2)
    with pytest.raises(TypeError, match="update: expected True or False"):
        ntkexact.sample("3,2,1", 10, update="yes")
    with pytest.raises(ValueError, match="target"):
        ntkexact.moments("3,2,1", target="1/0")


def test_sample_update():
    """The estimates of the same networks, with and without update; the new
    ones near the exact values (4,8x2,1: light tails; |z| < 5 at these seeds)."""
    a = ntkexact.sample("4,8x2,1", 40000, seed=11, update=True)
    p = ntkexact.sample("4,8x2,1", 40000, seed=11)
    assert list(a["mean"]) == list(ntkexact.QUANTITIES) + UPDATE
    assert all(a["mean"][q] == p["mean"][q] for q in p["mean"])
    assert a["mean"]["RelVar_dK"] != a["mean"]["RelVar_dK"]     # nan: not estimated
    e = ntkexact.moments("4,8x2,1", update=True)
    for q in UPDATE[:-1]:
        z = (a["mean"][q] - float(e[q])) / a["stderr"][q]
        assert abs(z) < 5, (q, z)

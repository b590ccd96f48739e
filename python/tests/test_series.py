"""expand(depth="symbolic"), expand(series=True) and expand(x2=0) against the
JSON of `ntkexact expand --depth symbolic`, `--series` and `--x2 0`, and
series_coefficient() against the truncated expansion at one depth."""

from fractions import Fraction

import pytest

import ntkexact
from ntkhelp import cli_json


def _from_cli(c, ratio):
    """A coefficient of the command's JSON in the form of expand()'s."""
    out = {"power": c["power"]}
    for key in ("poly", "num", "den"):
        if key in c:
            out[key] = [Fraction(x) for x in c[key]]
    for key in ("sum", "num_sum", "den_sum"):
        if key in c:
            out[key] = [{"lambda": Fraction(t["lambda"]), "poly": [Fraction(x) for x in t["poly"]]}
                        for t in c[key]]
    out["d_min"] = c["d_min"]
    out["below"] = {int(d): Fraction(v) for d, v in c["below"].items()}
    return out


@pytest.mark.parametrize("args,kwargs", [
    (["--n0", "10", "--order", "3"], dict(n0=10, order=3)),
    (["--n0", "3", "--moments", "4", "--order", "2", "--param", "standard", "--mu4", "9/5"],
     dict(n0=3, moments=4, order=2, param="standard", mu4="9/5", mu6="27/7", mu8=9)),
    (["--n0", "3", "--cw-hidden", "3/2", "--moments", "3", "--order", "2"],
     dict(n0=3, cw_hidden="3/2", moments=3, order=2)),
    (["--n0", "2", "--x2", "0", "--activation", "leaky:1/2", "--moments", "4", "--order", "2"],
     dict(n0=2, x2=0, activation="leaky:1/2", moments=4, order=2)),
    (["--x2", "0", "--no-bias", "--moments", "3", "--order", "1"],
     dict(x2=0, bias=False, moments=3, order=1)),
    (["--n0", "2", "--x2", "1/3", "--activation", "slopes:0,1", "--cw-hidden", "3", "--no-bias"],
     dict(n0=2, x2="1/3", activation="slopes:0,1", cw_hidden=3, bias=False)),
], ids=["critical", "moments4-standard", "off-critical-moments3", "x2-0-leaky", "x2-0-no-bias",
        "dead-phase-off-critical"])
def test_symbolic_against_the_tool(args, kwargs):
    want = cli_json("expand", "--depth", "symbolic", *args)
    got = ntkexact.expand("symbolic", **kwargs)
    assert got["depth"] == "symbolic" and got["order"] == want["order"]
    assert got["moments"] == want.get("moments", 2)
    assert got["lambda"] == (Fraction(want["lambda"]) if "lambda" in want else None)
    assert got["form"] == want["form"]
    assert list(got["series"]) == list(want["series"])
    for q, coeffs in want["series"].items():
        assert got["series"][q] == [_from_cli(c, False) for c in coeffs], q
    assert list(got["ratios"]) == list(want["ratios"])
    assert list(got["ratios"]) == list(ntkexact.SERIES_RATIOS[:2 * got["moments"] - 2])
    for name, coeffs in want["ratios"].items():
        if coeffs is None:
            assert got["ratios"][name] is None, name
        else:
            assert got["ratios"][name] == [_from_cli(c, True) for c in coeffs], name


@pytest.mark.parametrize("args,kwargs", [
    (["--depth", "1000000", "--n0", "3", "--moments", "4", "--order", "3"],
     dict(depth=10 ** 6, n0=3, moments=4, order=3)),
    (["--depth", "40", "--cw-hidden", "3", "--moments", "3", "--order", "2"],
     dict(depth=40, cw_hidden=3, moments=3, order=2)),
    (["--depth", "9", "--x2", "0", "--activation", "abs", "--moments", "4", "--order", "2"],
     dict(depth=9, x2=0, activation="abs", moments=4, order=2)),
], ids=["critical-deep", "off-critical", "x2-0"])
def test_series_against_the_tool(args, kwargs):
    want = cli_json("expand", "--series", *args)
    got = ntkexact.expand(series=True, **kwargs)
    assert got["form"] == want["form"] and got["depth"] == want["depth"]
    for q, parts in want["expansion"].items():
        assert got["expansion"][q] == [{int(p): Fraction(c) for p, c in part.items()}
                                       for part in parts], q
    for name, s in want["series"].items():
        assert got["series"][name] == (None if s is None else [Fraction(c) for c in s]), name


def test_x2_zero_against_the_tool_and_moments():
    want = cli_json("expand", "--depth", "4", "--n0", "2", "--x2", "0", "--activation", "slopes:0,1",
                    "--moments", "3")
    got = ntkexact.expand(4, n0=2, x2=0, activation="slopes:0,1", moments=3)
    assert got["x2"] == 0
    for q, parts in want["expansion"].items():
        assert got["expansion"][q] == [{int(p): Fraction(c) for p, c in part.items()}
                                       for part in parts], q
    m = ntkexact.moments("2,5x3,1", x2=0, activation="slopes:0,1", order=3)
    for q in got["expansion"]:
        assert ntkexact.expansion_value(got, q, 5) == m[q], q
    relu = ntkexact.expand(5, x2=0, moments=4)
    assert relu["expansion"]["E_K4"] == [{0: 1}] and relu["expansion"]["Var_K"] == [{}]
    assert ntkexact.expand(3, x2=0, bias=False)["series"] == {"E[K^2]/E[K]^2 - 1": None,
                                                              "E[dK]/(lambda E[K])": None}


@pytest.mark.parametrize("kwargs,depths", [
    (dict(n0=10, moments=4, order=3), (2, 3, 5, 17)),
    (dict(n0=3, cw_hidden="3/2", moments=3, order=2), (2, 4, 9, 30)),
    (dict(n0=2, x2=0, activation="leaky:1/3", moments=4, order=2), (2, 3, 12)),
], ids=["critical", "off-critical", "x2-0"])
def test_series_coefficient_is_the_truncated_expansion(kwargs, depths):
    sym = ntkexact.expand("symbolic", **kwargs)
    for d in depths:
        e = ntkexact.expand(d, series=True, **kwargs)
        for q, coeffs in sym["series"].items():
            for c in coeffs:
                want = e["expansion"][q][0].get(c["power"], Fraction(0))
                assert ntkexact.series_coefficient(sym, q, c["power"], d) == want, (d, q, c["power"])
        for name, s in e["series"].items():
            for k, v in enumerate(s):
                assert ntkexact.series_coefficient(sym, name, -k, d) == v, (d, name, k)


def test_series_errors():
    sym = ntkexact.expand("symbolic", order=1)
    with pytest.raises(ValueError, match="^name"):
        ntkexact.series_coefficient(sym, "E_X", 0, 3)
    with pytest.raises(ValueError, match="^power"):
        ntkexact.series_coefficient(sym, "E_K", -2, 3)
    with pytest.raises(ValueError, match="^depth"):
        ntkexact.series_coefficient(sym, "E_K", 0, 1)
    with pytest.raises(ValueError, match="^order"):
        ntkexact.expand("symbolic", order=41)
    with pytest.raises(ValueError, match="^order"):
        ntkexact.expand("symbolic", cw_hidden=3, order=21)
    with pytest.raises(ValueError, match="^depth"):
        ntkexact.expand(10001, cw_hidden=3, series=True, moments=3)
    with pytest.raises(ValueError, match="^x2"):
        ntkexact.expand("symbolic", x2=-1)
    with pytest.raises(TypeError):
        ntkexact.expand("sym")
    with pytest.raises(TypeError):
        ntkexact.expand(3, series=1)
    undefined = ntkexact.expand("symbolic", x2=0, bias=False, moments=4, order=1)
    assert all(r is None for r in undefined["ratios"].values())
    with pytest.raises(ValueError, match="no series"):
        ntkexact.series_coefficient(undefined, "Kurt_K", 0, 3)

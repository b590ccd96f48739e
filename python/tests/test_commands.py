"""sample, expand and limit against the JSON of the commands they mirror, and
expand against moments (an independent path: interpolation in the width
against the recursion at one width)."""

import decimal
import math
from fractions import Fraction

import pytest

import ntkexact
from ntkhelp import cli_json, fraction


@pytest.mark.parametrize("widths,args,kwargs", [
    ("4,5x3,1", ["--seed", "11"], dict(seed=11)),
    ("3,2,1", ["--mu4", "9/5", "--no-bias", "--x2", "2"], dict(mu4="9/5", bias=False, x2=2)),
    ("3,4,1", ["--law", "uniform", "--param", "standard", "--seed", "18446744073709551615"],
     dict(law="uniform", param="standard", seed=2 ** 64 - 1)),
    ("2,3,1", ["--cw-hidden", "3", "--cw-output", "1/2", "--x2", "0"],
     dict(cw_hidden=3, cw_output="1/2", x2=0)),
], ids=["gaussian", "uniform-no-bias", "law-standard", "variances-x0"])
def test_sample_against_the_tool(widths, args, kwargs):
    want = cli_json("sample", "--widths", widths, "--samples", "3000", *args)
    got = ntkexact.sample(widths, 3000, **kwargs)
    assert got["samples"] == 3000 and got["seed"] == want["seed"]
    assert list(got["mean"]) == list(want["mean"])
    for q in ntkexact.QUANTITIES:
        # the tool prints %.17g: the same double
        for key in ("mean", "stderr"):
            w, g = want[key][q], got[key][q]
            assert g == w if w is not None else not math.isfinite(g), (key, q)


def test_sample_does_not_depend_on_threads():
    a = ntkexact.sample("4,5x3,1", 5000, seed=3, threads=1)
    assert ntkexact.sample("4,5x3,1", 5000, seed=3, threads=2) == a
    assert ntkexact.sample("4,5x3,1", 5000, seed=4, threads=2) != a


def test_sample_law_is_mu4():
    assert ntkexact.sample("3,2,1", 500, law="uniform") == ntkexact.sample("3,2,1", 500, mu4="9/5")
    assert ntkexact.sample("3,2,1", 500, law="uniform", mu4=Fraction(9, 5))["law"] == "uniform"
    assert ntkexact.sample("3,2,1", 500, mu4=3)["law"] == "gaussian"
    assert ntkexact.sample("3,2,1", 500) == ntkexact.sample("3,2,1", 500, law="gaussian")


@pytest.mark.parametrize("method,args,kwargs", [
    ("projected", [], {}),
    ("full", ["--method", "full"], dict(method="full")),
    ("projected", ["--method", "projected", "--activation", "leaky:1/2"],
     dict(method="projected", activation="leaky:1/2")),
    ("full", ["--law", "uniform"], dict(law="uniform")),
], ids=["auto-gaussian", "full", "projected-leaky", "auto-uniform"])
def test_sample_method_against_the_tool(method, args, kwargs):
    want = cli_json("sample", "--widths", "4,5x3,1", "--samples", "2000", *args)
    got = ntkexact.sample("4,5x3,1", 2000, **kwargs)
    assert want["method"] == method and got["method"] == method
    for q in ntkexact.QUANTITIES:
        assert got["mean"][q] == want["mean"][q], q


@pytest.mark.parametrize("activation,refused", [
    ("slopes:1e200,0", True), ("slopes:0,1e-200", True), ("leaky:-1e300", True),
    ("slopes:1e20,-3e-20", False), ("leaky:1e-300", False), ("abs", False)])
def test_sample_extreme_slopes(activation, refused):
    # issue 22, point 1: slopes of any size are factored out of the weights;
    # the estimates agree with the exact moments, or the activation is refused
    # where they are beyond double precision, as by the tool
    for bias in (True, False):
        args = ["--widths", "3,2,1", "--samples", "3000"] + ([] if bias else ["--no-bias"])
        try:
            got = ntkexact.sample("3,2,1", 3000, bias=bias, activation=activation)
        except ValueError as e:
            assert bias and refused and str(e).startswith("activation"), e
            with pytest.raises(AssertionError, match="--activation"):
                cli_json("sample", *args, "--activation", activation)
            continue
        assert not (bias and refused)
        want = cli_json("sample", *args, "--activation", activation)
        exact = ntkexact.moments("3,2,1", bias=bias, activation=activation)
        for q in ntkexact.QUANTITIES:
            assert got["mean"][q] == want["mean"][q], q
            z = (got["mean"][q] - float(exact[q])) / got["stderr"][q] if got["stderr"][q] else 0
            assert abs(z) < 5, (q, z)


def test_sample_slopes_factor_out_without_biases():
    one = ntkexact.sample("3,4x2,1", 2000, bias=False, activation="slopes:3/2,-1/3")
    big = ntkexact.sample("3,4x2,1", 2000, bias=False,
                          activation=f"slopes:{3 * 2 ** 300}/2,-{2 ** 300}/3")
    assert big["mean"] == one["mean"] and big["stderr"] == one["stderr"]


def test_sample_methods_differ_but_agree():
    # two samplers, two streams of networks: different numbers, the same law
    full = ntkexact.sample("3,4x2,1", 20000, method="full", seed=2)
    proj = ntkexact.sample("3,4x2,1", 20000, method="projected", seed=2)
    assert full["mean"] != proj["mean"]
    for q in ntkexact.QUANTITIES:
        d = full["mean"][q] - proj["mean"][q]
        s = math.hypot(full["stderr"][q], proj["stderr"][q])
        assert abs(d) < 5 * s, (q, d / s)


def test_sample_estimates_the_moments():
    exact = ntkexact.moments("3,2,1")
    est = ntkexact.sample("3,2,1", 20000, seed=5)
    for q in ntkexact.QUANTITIES:
        z = (est["mean"][q] - float(exact[q])) / est["stderr"][q]
        assert abs(z) < 5, (q, z)


@pytest.mark.parametrize("args,kwargs", [
    (["--depth", "3", "--n0", "2"], dict(depth=3, n0=2)),
    (["--depth", "4", "--n0", "10", "--x2", "1/2", "--order", "6"],
     dict(depth=4, n0=10, x2="1/2", order=6)),
    (["--depth", "3", "--param", "standard", "--no-bias", "--mu4", "9/5"],
     dict(depth=3, param="standard", bias=False, mu4="9/5")),
], ids=["d3", "d4-order6", "standard-no-bias"])
def test_expand_against_the_tool(args, kwargs):
    want = cli_json("expand", *args)
    got = ntkexact.expand(**kwargs)
    for key in ("n0", "depth", "param", "bias", "form", "order"):
        assert got[key] == want[key], key
    assert got["x2"] == Fraction(want["x2"])
    assert list(got["expansion"]) == list(want["expansion"])
    for q, parts in want["expansion"].items():
        assert got["expansion"][q] == [{int(p): Fraction(c) for p, c in part.items()}
                                       for part in parts], q
    for name, series in want["series"].items():
        assert got["series"][name] == (None if series is None else fraction(series)), name


def test_expand_known_values():
    e = ntkexact.expand(3, n0=2)
    assert e["expansion"]["E_K"] == [{0: Fraction(7, 2)}, {0: Fraction(-1, 2)}]
    assert e["series"]["E[K^2]/E[K]^2 - 1"][:3] == [0, Fraction(141, 49), Fraction(216, 49)]


@pytest.mark.parametrize("depth,n0,x2,kwargs", [
    (3, 2, 1, {}),
    (5, 3, Fraction(7, 2), dict(mu4="9/5")),
    (4, 1, 2, dict(param="standard", cw_output=3)),
    (3, 4, Fraction(1, 3), dict(bias=False, cw_hidden=Fraction(3, 2))),
], ids=["d3", "d5-uniform", "d4-standard", "d3-no-bias"])
def test_expansion_is_the_moments_at_every_width(depth, n0, x2, kwargs):
    e = ntkexact.expand(depth, n0=n0, x2=x2, **kwargs)
    for n in (1, 2, 3, 7, 40):
        m = ntkexact.moments(f"{n0},{n}x{depth - 1},1", x2=x2, **kwargs)
        for q in ntkexact.QUANTITIES:
            assert ntkexact.expansion_value(e, q, n) == m[q], (n, q)


@pytest.mark.parametrize("args,kwargs", [
    (["--beta", "1"], dict(beta=[1])),
    (["--beta", "1/2,1,2", "--a", "1"], dict(beta=["1/2", 1, 2], a=1)),
    (["--beta", "0.5", "--x2", "1", "--n0", "10", "--digits", "50"],
     dict(beta=[decimal.Decimal("0.5")], x2=1, n0=10, digits=50)),
    (["--beta", "1", "--no-bias", "--cw-output", "3"], dict(beta=[1], bias=False, cw_output=3)),
], ids=["beta-1", "three-betas", "x2-n0-50-digits", "no-bias"])
def test_limit_against_the_tool(args, kwargs):
    want = cli_json("limit", *args)
    got = ntkexact.limit(**kwargs)
    assert len(got) == len(want["limits"])
    for g, w in zip(got, want["limits"]):
        assert g["beta"] == Fraction(w["beta"])
        for key, value in w.items():
            if key == "closed_form":
                assert g[key] == {k: decimal.Decimal(v) for k, v in value.items()}
            elif key == "closed_form_agrees_to_digits":
                assert g[key] == value
            elif key != "beta":
                assert g[key] == decimal.Decimal(value) and str(g[key]) == value, key


def test_limit_single_beta():
    one = ntkexact.limit(1, a=Fraction(1, 10))
    assert isinstance(one, dict) and one == ntkexact.limit([1])[0]
    assert str(one["ratio_K2"]).startswith("14.72509222803694832442811396")
    assert one["closed_form"]["ratio_dK"] == one["ratio_dK"]


# the moments of order 3 and 4 (expand(moments=...), limit(moments=...))
EXPAND_MOMENTS_CASES = [
    (["--depth", "3", "--n0", "2", "--moments", "4"], dict(depth=3, n0=2, moments=4)),
    (["--depth", "4", "--x2", "1/2", "--order", "3", "--moments", "3"],
     dict(depth=4, x2="1/2", order=3, moments=3)),
    (["--depth", "3", "--n0", "3", "--moments", "4", "--param", "standard", "--no-bias",
      "--mu4", "2", "--mu6", "6", "--mu8", "20"],
     dict(depth=3, n0=3, moments=4, param="standard", bias=False, mu4=2, mu6=6, mu8=20)),
    (["--depth", "3", "--moments", "4", "--activation", "leaky:1/3", "--cw-output", "3"],
     dict(depth=3, moments=4, activation="leaky:1/3", cw_output=3)),
]


@pytest.mark.parametrize("args,kwargs", EXPAND_MOMENTS_CASES,
                         ids=["d3-moments4", "d4-moments3", "standard-law-moments4",
                              "leaky-moments4"])
def test_expand_moments_against_the_tool(args, kwargs):
    want = cli_json("expand", *args)
    got = ntkexact.expand(**kwargs)
    assert set(got) <= set(want)      # the tool also reports the activation
    for key in ("n0", "depth", "param", "bias", "form", "order"):
        assert got[key] == want[key], key
    k = kwargs["moments"]
    names = [q for q in ntkexact.ORDER_QUANTITIES[k] if q not in ntkexact.RATIOS]
    assert list(got["expansion"]) == list(want["expansion"]) == names
    for q, parts in want["expansion"].items():
        assert got["expansion"][q] == [{int(p): Fraction(c) for p, c in part.items()}
                                       for part in parts], q
    assert list(got["series"]) == list(want["series"])
    assert ("E[K^4]/E[K]^4" in got["series"]) == (k == 4) and "E[K^3]/E[K]^3" in got["series"]
    for name, series in want["series"].items():
        assert got["series"][name] == (None if series is None else fraction(series)), name


def test_expand_moments_default_is_order_2():
    e = ntkexact.expand(3, n0=2)
    assert e == ntkexact.expand(3, n0=2, moments=2)
    assert list(e["expansion"]) == list(ntkexact.QUANTITIES)
    assert list(e["series"]) == ["E[K^2]/E[K]^2 - 1", "E[dK]/(lambda E[K])"]
    # the quantities of order 2 are the same at every moment order
    e4 = ntkexact.expand(3, n0=2, moments=4)
    assert {q: e4["expansion"][q] for q in ntkexact.QUANTITIES} == e["expansion"]
    assert {k: e4["series"][k] for k in e["series"]} == e["series"]


@pytest.mark.parametrize("depth,n0,x2,kwargs", [
    (3, 2, 1, {}),
    (4, 1, Fraction(7, 2), dict(mu4="9/5", mu6="27/7", mu8=9)),
    (3, 3, 2, dict(param="standard", bias=False, mu4=2, mu6=6, mu8=20)),
    (3, 2, Fraction(1, 3), dict(activation="leaky:1/2")),
], ids=["d3", "d4-uniform", "d3-standard-law", "d3-leaky"])
def test_expansion_of_order_4_is_the_moments_at_every_width(depth, n0, x2, kwargs):
    # the pass with the width symbolic against the recursion at one width
    e = ntkexact.expand(depth, n0=n0, x2=x2, moments=4, **kwargs)
    for n in (1, 2, 5, 17):
        m = ntkexact.moments(f"{n0},{n}x{depth - 1},1", x2=x2, order=4, **kwargs)
        for q in ntkexact.ORDER_QUANTITIES[4]:
            if q not in ntkexact.RATIOS:
                assert ntkexact.expansion_value(e, q, n) == m[q], (n, q)


def test_expansion_value_of_order_3_and_the_ratios():
    e = ntkexact.expand(3, n0=2, moments=3)
    m = ntkexact.moments("2,4x2,1", order=3)
    assert ntkexact.expansion_value(e, "E_K3", 4) == m["E_K3"]
    assert ntkexact.expansion_value(e, "M3_K", 4) == m["M3_K"]
    for q in ("Skew2_K", "E_K4"):
        with pytest.raises(ValueError, match=f"^quantity '{q}' is not one of E_K, "):
            ntkexact.expansion_value(e, q, 4)


@pytest.mark.parametrize("args,kwargs", [
    (["--beta", "1", "--moments", "4"], dict(beta=[1], moments=4)),
    (["--beta", "1/2,2", "--a", "1", "--moments", "3"], dict(beta=["1/2", 2], a=1, moments=3)),
    (["--beta", "0.5", "--x2", "0", "--n0", "10", "--moments", "4", "--digits", "40"],
     dict(beta=[decimal.Decimal("0.5")], x2=0, n0=10, moments=4, digits=40)),
    (["--beta", "1", "--no-bias", "--cw-output", "3", "--moments", "4"],
     dict(beta=[1], bias=False, cw_output=3, moments=4)),
], ids=["beta-1-moments4", "two-betas-moments3", "x0-40-digits-moments4", "no-bias-moments4"])
def test_limit_moments_against_the_tool(args, kwargs):
    want = cli_json("limit", *args)
    assert want["moments"] == kwargs["moments"]
    got = ntkexact.limit(**kwargs)
    assert len(got) == len(want["limits"])
    for g, w in zip(got, want["limits"]):
        assert list(g) == list(w)
        assert g["beta"] == Fraction(w["beta"])
        assert g["closed_form_agrees_to_digits"] == w["closed_form_agrees_to_digits"]
        assert list(g["closed_form"]) == list(w["closed_form"])
        for key in w["closed_form"]:
            for gv, wv in ((g[key], w[key]), (g["closed_form"][key], w["closed_form"][key])):
                if wv is None:
                    assert gv is None, key
                else:
                    assert gv == decimal.Decimal(wv) and str(gv) == wv, key


# every activation at moments 3 and 4, and the 1/n corrections (limit(order=1)), issue 24
LIMIT_ORDER_CASES = [
    (["--beta", "1", "--order", "1"], dict(beta=[1], order=1)),
    (["--beta", "1/2,2", "--order", "1", "--moments", "4", "--a", "1"],
     dict(beta=["1/2", 2], order=1, moments=4, a=1)),
    (["--beta", "1", "--order", "1", "--moments", "3", "--activation", "leaky:1/2", "--mu4", "9/5",
      "--cw-output", "2", "--digits", "40"],
     dict(beta=[1], order=1, moments=3, activation="leaky:1/2", mu4="9/5", cw_output=2, digits=40)),
    (["--beta", "1/4", "--moments", "4", "--activation", "slopes:3/2,-1/3", "--no-bias"],
     dict(beta=["1/4"], moments=4, activation="slopes:3/2,-1/3", bias=False)),
    (["--beta", "1/8", "--order", "1", "--moments", "4", "--activation", "slopes:0,1"],
     dict(beta=["1/8"], order=1, moments=4, activation="slopes:0,1")),
    (["--beta", "1", "--order", "1", "--moments", "4", "--activation", "linear", "--x2", "0",
      "--n0", "3"],
     dict(beta=[1], order=1, moments=4, activation="linear", x2=0, n0=3)),
]


@pytest.mark.parametrize("args,kwargs", LIMIT_ORDER_CASES,
                         ids=["order1", "order1-moments4", "order1-leaky-mu4", "slopes-moments4",
                              "order1-dead-phase", "order1-linear-x0"])
def test_limit_order_against_the_tool(args, kwargs):
    want = cli_json("limit", *args)
    assert want.get("order", 0) == kwargs.get("order", 0)
    got = ntkexact.limit(**kwargs)
    assert len(got) == len(want["limits"])
    for g, w in zip(got, want["limits"]):
        assert list(g) == list(w) and list(g["closed_form"]) == list(w["closed_form"])
        assert g["beta"] == Fraction(w["beta"])
        assert g["closed_form_agrees_to_digits"] == w["closed_form_agrees_to_digits"]
        for key in w["closed_form"]:
            for gv, wv in ((g[key], w[key]), (g["closed_form"][key], w["closed_form"][key])):
                if wv is None:
                    assert gv is None, key
                else:
                    # the same digits (Decimal writes E where MPFR writes e)
                    assert gv == decimal.Decimal(wv) and str(gv).lower() == wv, key


def test_limit_order_1():
    f0 = ntkexact.limit(1, moments=4)
    f1 = ntkexact.limit(1, moments=4, order=1)
    assert ntkexact.limit(1, moments=4, order=0) == f0
    assert list(f1) == list(f0) and f1 != f0
    # ReLU: F_1 of E[N^2k]/E[N^2]^k = F_0 beta (M - L^2/2), -25/2, -137/2, -199
    ctx, fine = decimal.Context(prec=25), decimal.Context(prec=60)
    for key, rate in (("ratio_N4", decimal.Decimal("-12.5")), ("ratio_N6", decimal.Decimal("-68.5")),
                      ("ratio_N8", decimal.Decimal(-199))):
        assert ctx.plus(f1[key]) == ctx.plus(fine.multiply(f0[key], rate)), key
    # mu4 enters F_1, not F_0
    assert ntkexact.limit(1, moments=4, mu4="9/5") == f0
    assert ntkexact.limit(1, moments=4, mu4="9/5", order=1)["ratio_K4"] != f1["ratio_K4"]


def test_limit_moments_default_is_order_2():
    two = ntkexact.limit([1, "1/2"])
    assert two == ntkexact.limit([1, "1/2"], moments=2)
    assert list(two[0]) == ["beta", "E_K_over_d", "E_K2_over_d2", "ratio_K2", "ratio_dK",
                            "ratio_N4", "closed_form", "closed_form_agrees_to_digits"]
    four = ntkexact.limit([1, "1/2"], moments=4)
    for t, f in zip(two, four):
        for key in two[0]["closed_form"]:
            assert f[key] == t[key] and f["closed_form"][key] == t["closed_form"][key], key
    # E[N^6]/E[N^2]^3 = 15 exp(15 beta), E[N^8]/E[N^2]^4 = 105 exp(30 beta)
    ctx, fine = decimal.Context(prec=25), decimal.Context(prec=60)
    for key, c, rate in (("ratio_N6", 15, 15), ("ratio_N8", 105, 30)):
        want = ctx.plus(fine.multiply(c, fine.exp(decimal.Decimal(rate))))
        assert ctx.plus(four[0][key]) == want, key


def test_expand_moments_law_defaults():
    assert ntkexact.expand(3, moments=4) == ntkexact.expand(3, moments=4, mu6=15, mu8=105)
    with pytest.warns(UserWarning, match="uniform law's 27/7"):
        uniform = ntkexact.expand(3, moments=3, mu4="9/5")
    assert uniform == ntkexact.expand(3, moments=3, mu4="9/5", mu6="27/7")

"""ntkexact.kernel and kernel_gram against the JSON of `ntkexact kernel`
(the independent reference: the command's own printing of the library's
balls), and against the exact one-input values at x' = x."""

import decimal
from fractions import Fraction

import pytest

import ntkexact
from ntkhelp import cli_json, memory_growth

CASES = [
    ("3,5,4,1", dict(x2=1, y2=2, xy="1/2"), ["--x2", "1", "--y2", "2", "--xy", "1/2"]),
    ("2,6x3,1", dict(x2="3/2", xy="-1/3", activation="leaky:1/2", bias=False),
     ["--x2", "3/2", "--xy", "-1/3", "--activation", "leaky:1/2", "--no-bias"]),
    ("4,3,7,1", dict(x2=2, y2="1/2", xy=-1, param="standard", cw_hidden=3, cw_output="1/2"),
     ["--x2", "2", "--y2", "1/2", "--xy", "-1", "--param", "standard", "--cw-hidden", "3",
      "--cw-output", "1/2"]),
    ("3,8,1", dict(x2=1, xy=0, activation="abs"), ["--x2", "1", "--xy", "0", "--activation", "abs"]),
]


def _plain(value):
    """The JSON's strings for the package's Fractions and Decimals."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


@pytest.mark.parametrize("widths,kwargs,args", CASES, ids=["relu", "leaky-nobias", "standard",
                                                           "abs-depth2"])
@pytest.mark.parametrize("order,per_layer", [(0, False), (1, False), (1, True)])
def test_kernel_against_the_tool(widths, kwargs, args, order, per_layer):
    extra = ["--order", str(order)] + (["--per-layer"] if per_layer else [])
    want = cli_json("kernel", "--widths", widths, "--digits", "25", *args, *extra)
    got = ntkexact.kernel(widths, digits=25, order=order, per_layer=per_layer, **kwargs)
    plain = _plain(got)
    # the package always names the activation; the command only when given
    for key in ("activation", "a_plus", "a_minus"):
        if key not in want:
            plain.pop(key)
    assert plain == want
    assert all(isinstance(v, decimal.Decimal) for v in got["infinite_width"].values())


def test_kernel_defaults_and_digits():
    r = ntkexact.kernel([3, 5, 4, 1], xy="1/2")
    assert r["digits"] == 30 and r["y2"] == 1 and "first_order" in r and "per_layer" not in r
    assert len(r["infinite_width"]["Theta_xy"].as_tuple().digits) == 30
    # x' = x without biases (no dead-layer 2^-n part): Theta is the exact
    # E[K], and E[K(x,x)] has no 1/n term
    m = ntkexact.moments("3,5,4,1", bias=False)
    r = ntkexact.kernel("3,5,4,1", xy=1, digits=20, bias=False)
    assert Fraction(r["infinite_width"]["Theta_xy"]) == m["E_K"]
    assert r["first_order"]["E_Kxy"]["sum"] == 0
    # with biases the exact E[K] holds the dead-layer parts 2^-n that the
    # expansion leaves out: 191/64 against 3 here
    assert ntkexact.moments("3,5,4,1")["E_K"] == Fraction(191, 64)


def test_kernel_at_x_equal_x_prime_matches_the_exact_moments():
    """E[K(x,x)] has no 1/n term and Var[K(x,x)] = c/n + O(1/n^2): the
    coefficient against the exact Var_K at growing widths."""
    r = ntkexact.kernel("3,5x2,1", x2=2, xy=2, digits=20)
    m = ntkexact.moments("3,5x2,1", x2=2)
    th = Fraction(r["infinite_width"]["Theta_xy"])
    assert abs(th - m["E_K"]) <= Fraction(2, 2 ** 5)      # the dead-layer parts
    c = Fraction(r["first_order"]["Var_Kxy"]["sum"])
    for n in (1000, 4000):
        v = ntkexact.moments(f"3,{n}x2,1", x2=2)["Var_K"]
        assert abs(v * n - c) < Fraction(200, n) * abs(c)


def test_kernel_gram_against_kernel():
    x = [[1, 0, 0], [Fraction(1, 2), 1, 0], [0, -1, 2], [1, 1, 1]]
    g = ntkexact.exact_gram(x)
    assert g[1][2] == -1 and g[3][3] == 3
    out = ntkexact.kernel_gram("3,6x3,1", g, digits=20, activation="leaky:1/10")
    for i in range(4):
        for j in range(4):
            r = ntkexact.kernel("3,6x3,1", x2=g[i][i], y2=g[j][j], xy=g[i][j], order=0,
                                digits=20, activation="leaky:1/10")
            assert out["theta"][i][j] == r["infinite_width"]["Theta_xy"]
            assert out["sigma"][i][j] == r["infinite_width"]["Sigma_xy"]


def test_kernel_gram_takes_numpy_floats_exactly():
    np = pytest.importorskip("numpy")
    x = np.array([[0.1, 0.2], [0.3, -0.5]])
    g = ntkexact.exact_gram(x)
    assert g[0][1] == Fraction(0.1) * Fraction(0.3) + Fraction(0.2) * Fraction(-0.5)
    a = ntkexact.kernel_gram("2,4,1", np.array(g, dtype=object), digits=15)
    b = ntkexact.kernel_gram("2,4,1", [[str(v) for v in r] for r in g], digits=15, threads=1)
    assert a == b


@pytest.mark.parametrize("call,start", [
    (lambda: ntkexact.kernel("3,5,1"), "xy: required"),
    (lambda: ntkexact.kernel("3,5,1", x2=1, y2=1, xy=2), "xy"),
    (lambda: ntkexact.kernel("3,5,1", xy=0, mu4="9/5"), "mu4"),
    (lambda: ntkexact.kernel("3,0,1", xy=0), "widths"),
    (lambda: ntkexact.kernel("3,5,1", xy=0, digits=0), "digits"),
    (lambda: ntkexact.kernel("3,5,1", xy=0, order=0, per_layer=True), "per_layer"),
    (lambda: ntkexact.kernel("3,5,1", x2=-1, xy=0), "x2"),
    (lambda: ntkexact.kernel("3,5,1", xy="symbolic"), "xy"),
    (lambda: ntkexact.kernel_gram("3,5,1", [[1, 2], [2, 1]]), "gram"),
    (lambda: ntkexact.kernel_gram("3,5,1", [[1, 0], [1, 1]]), "gram"),
    (lambda: ntkexact.kernel_gram("3,5,1", [[1, 0]]), "gram"),
    (lambda: ntkexact.kernel_gram("3,5,1", [[1]], mu4=2), "mu4"),
    (lambda: ntkexact.kernel_gram("3,5,1", [[1]], threads=0), "threads"),
])
def test_kernel_bad_values(call, start):
    with pytest.raises(ValueError) as e:
        call()
    assert str(e.value).startswith(start), str(e.value)


@pytest.mark.parametrize("call", [
    lambda: ntkexact.kernel("3,5,1", xy=True),
    lambda: ntkexact.kernel("3,5,1", xy=0, per_layer=1),
    lambda: ntkexact.kernel("3,5,1", xy=0, format="json"),
    lambda: ntkexact.kernel_gram("3,5,1", 3),
    lambda: ntkexact.kernel_gram("3,5,1", [[None]]),
])
def test_kernel_bad_types(call):
    with pytest.raises(TypeError):
        call()


def test_kernel_releases_the_gil_and_leaks_nothing():
    import gc
    import threading
    import time
    import tracemalloc
    done, ticks = threading.Event(), []

    def compute():
        ntkexact.kernel("3,20x3000,1", xy="1/2", digits=50, per_layer=True)
        done.set()

    worker = threading.Thread(target=compute)
    worker.start()
    while not done.is_set():
        ticks.append(1)
        time.sleep(0.001)
    worker.join()
    assert len(ticks) > 10

    def round_():
        ntkexact.kernel("3,5,4,1", xy="1/2", digits=20, per_layer=True)
        ntkexact.kernel_gram("3,5,4,1", [[1, 0], [0, 2]], digits=10, threads=1)
        for bad in (lambda: ntkexact.kernel("3,5,1", xy=5),
                    lambda: ntkexact.kernel_gram("3,5,1", [[1, 2], [2, 1]], threads=1)):
            try:
                bad()
            except ValueError:
                pass

    grown = memory_growth(round_, 10, 100)
    assert grown < 16384, f"Python memory grew by {grown} bytes in 100 rounds"

"""sample(..., xy=...): the two-input sampler against `ntkexact sample --xy`
(the same doubles), its contract, and the depth-2 identity E[K(x,x')] =
Theta(x,x') at every width (|z| <= 5.5: a normal false alarm 3.8e-8)."""

import math

import pytest

import ntkexact
from ntkhelp import cli_json


@pytest.mark.parametrize("widths,args,kwargs", [
    ("3,5x2,1", ["--y2", "2", "--xy", "1/2", "--seed", "7"], dict(y2=2, xy="1/2", seed=7)),
    ("1,4,1", ["--x2", "1", "--y2", "4", "--xy", "-2", "--no-bias"], dict(y2=4, xy=-2, bias=False)),
    ("3,4x2,1", ["--xy", "0", "--law", "uniform"], dict(xy=0, law="uniform")),
    ("3,4x2,1", ["--xy", "1/3", "--method", "full", "--activation", "leaky:1/5"],
     dict(xy="1/3", method="full", activation="leaky:1/5")),
], ids=["projected", "n0-1-parallel", "uniform-full", "full-leaky"])
def test_sample_pair_against_the_tool(widths, args, kwargs):
    want = cli_json("sample", "--widths", widths, "--samples", "2000", *args)
    got = ntkexact.sample(widths, 2000, **kwargs)
    assert got["samples"] == 2000 and got["method"] == want["method"]
    assert tuple(got["mean"]) == ntkexact.PAIR_QUANTITIES == tuple(want["mean"])
    for q in ntkexact.PAIR_QUANTITIES:
        for key in ("mean", "stderr"):
            assert got[key][q] == want[key][q], (key, q)


def test_sample_pair_contract():
    a = ntkexact.sample("3,6x2,1", 3000, xy="1/2", y2=2, seed=5, threads=1)
    assert ntkexact.sample("3,6x2,1", 3000, xy="1/2", y2=2, seed=5, threads=2) == a
    # x' = x: every pair estimate is the diagonal's
    s = ntkexact.sample("3,6x2,1", 500, xy=1)
    assert s["mean"]["E_Kxy"] == s["mean"]["E_Kxx"] == s["mean"]["E_Kyy"]
    with pytest.raises(ValueError, match="xy"):
        ntkexact.sample("3,6,1", 10, xy=2)                 # Cauchy-Schwarz
    with pytest.raises(ValueError, match="xy"):
        ntkexact.sample("1,6,1", 10, xy="1/2")             # n_0 = 1: parallel inputs only
    with pytest.raises(ValueError, match="needs xy"):
        ntkexact.sample("3,6,1", 10, y2=2)
    with pytest.raises(ValueError, match="update"):
        ntkexact.sample("3,6,1", 10, xy=0, update=True)
    with pytest.raises(ValueError, match="method"):
        ntkexact.sample("3,6,1", 10, xy=0, law="uniform", method="projected")


def test_sample_pair_depth2_mean_is_infinite_width():
    theta = float(cli_json("kernel", "--widths", "3,7,1", "--y2", "2", "--xy", "-1/2",
                           "--order", "0")["infinite_width"]["Theta_xy"])
    s = ntkexact.sample("3,7,1", 20000, y2=2, xy="-1/2", seed=1)
    z = (s["mean"]["E_Kxy"] - theta) / s["stderr"]["E_Kxy"]
    assert math.isfinite(z) and abs(z) <= 5.5, z

"""doc/examples/torch_ntk.py: a PyTorch model's empirical NTK, checked with
ntkexact.testing, passes on its four profiles (a leaky ReLU one among them),
and the same check fails when the model forgets its output bias, has
cw_hidden = 1, or initializes a leaky ReLU network with ReLU's variance."""

import importlib.util
import subprocess
import sys

import pytest

from ntkhelp import source

torch = pytest.importorskip("torch", reason="python3-torch is not installed")
pytest.importorskip("numpy", reason="python3-numpy is not installed")

import ntkexact                                    # noqa: E402
from ntkexact.testing import KernelCheckError      # noqa: E402

SCRIPT = source("doc", "examples", "torch_ntk.py")


def _load():
    spec = importlib.util.spec_from_file_location("torch_ntk", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


example = _load()


@pytest.mark.parametrize("profile", example.PROFILES, ids=[p["widths"] for p in example.PROFILES])
def test_the_model_passes(profile):
    report = example.check_profile(profile, samples=4000, seed=1)
    assert report.passed
    # every quantity: K_w, K_b, N, g and g_ww give them all
    assert list(report.rows) == list(ntkexact.QUANTITIES)


def test_leaky_relu_model():
    """torch.nn.LeakyReLU(1/2) at the critical variance 8/5 passes, with the
    activation passed to the check as for moments(); initialized with
    ReLU's variance 2 it fails, as it does checked as a ReLU network."""
    leaky = example.PROFILES[3]
    assert leaky["activation"] == "leaky:1/2"
    report = example.check_profile(leaky, samples=3000, seed=2, guarantee=True)
    assert report.passed and report.rule == "guarantee"
    assert report.rows["E_K"].exact == ntkexact.moments("3,4x3,1", activation="leaky:1/2")["E_K"]
    with pytest.raises(KernelCheckError) as info:
        example.check_profile(leaky, samples=3000, seed=2, bug="relu-variance")
    z = info.value.report.z
    assert z["E_Kw"] > 5 and z["E_K"] > 5
    with pytest.raises(KernelCheckError):
        example.check_profile(dict(widths="3,4x3,1"), samples=3000, seed=2, bug=None,
                              activation="leaky:1/2")


def test_forgotten_output_bias_fails():
    with pytest.raises(KernelCheckError) as info:
        example.check_profile(example.PROFILES[0], samples=2000, seed=1, bug="output-bias")
    z = info.value.report.z
    assert z["E_Kb"] < -5 and z["E_K"] < -5
    assert abs(z["E_Kw"]) < 5       # the weights are right


def test_hidden_variance_one_fails():
    with pytest.raises(KernelCheckError) as info:
        example.check_profile(example.PROFILES[0], samples=1000, seed=1, bug="cw-hidden-1")
    report = info.value.report
    z = report.z
    assert z["E_K"] < -5 and z["E_Kw"] < -5
    # E_dK moves up as well, but z divides by the exact standard error of
    # the correct law, whose heavy-tailed update spreads 40 times more than
    # the buggy network's: z = +2.3 here (+90 by the sample's own, the rule
    # before the update's exact variance); the bug is caught by K
    assert z["E_dK"] > 0 and report.rows["E_dK"].decided_by == "exact"


def test_the_script_runs():
    """As documented: --help, and exit status 1 with a bug (the passing runs
    are test_the_model_passes: the same check_profile as the script's main)."""
    run = subprocess.run([sys.executable, SCRIPT, "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "--bug" in run.stdout
    run = subprocess.run([sys.executable, SCRIPT, "--samples", "300", "--bug", "cw-hidden-1"],
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.rstrip().endswith("FAIL: 4 of 4 profiles")
    assert example.main(["--samples", "600", "--bug", "output-bias"]) == 1

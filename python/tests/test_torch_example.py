"""doc/examples/torch_ntk.py: a PyTorch model's empirical NTK, checked with
ntkexact.testing, passes on its three profiles, and the same check fails
(|z| > 5) when the model forgets its output bias or has cw_hidden = 1."""

import importlib.util
import subprocess
import sys

import pytest

from ntkhelp import source

torch = pytest.importorskip("torch", reason="python3-torch is not installed")
pytest.importorskip("numpy", reason="python3-numpy is not installed")

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
    # every quantity that K_w, K_b, N and g give, E_dK included
    assert {"E_K", "E_Kb", "E_KwKb", "Var_K", "E_dK", "E_N4"} <= set(report.rows)


def test_forgotten_output_bias_fails():
    with pytest.raises(KernelCheckError) as info:
        example.check_profile(example.PROFILES[0], samples=2000, seed=1, bug="output-bias")
    z = info.value.report.z
    assert z["E_Kb"] < -5 and z["E_K"] < -5
    assert abs(z["E_Kw"]) < 5       # the weights are right


def test_hidden_variance_one_fails():
    with pytest.raises(KernelCheckError) as info:
        example.check_profile(example.PROFILES[0], samples=1000, seed=1, bug="cw-hidden-1")
    z = info.value.report.z
    assert z["E_K"] < -5 and z["E_Kw"] < -5 and z["E_dK"] > 5


def test_the_script_runs():
    """As documented: --help, and exit status 1 with a bug (the passing runs
    are test_the_model_passes: the same check_profile as the script's main)."""
    run = subprocess.run([sys.executable, SCRIPT, "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "--bug" in run.stdout
    run = subprocess.run([sys.executable, SCRIPT, "--samples", "300", "--bug", "cw-hidden-1"],
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.rstrip().endswith("FAIL: 3 of 3 profiles")
    assert example.main(["--samples", "600", "--bug", "output-bias"]) == 1

"""doc/examples/torch_gram.py: a 4 x 4 NTK Gram matrix of a PyTorch model
(torch.func / functorch), checked with one call of check_gram, passes; a
planted cross-input bug (gradients of one input paired with another's
activations; a batch mean across the inputs) is caught."""

import importlib.util
import subprocess
import sys

import pytest

from ntkhelp import source

torch = pytest.importorskip("torch", reason="python3-torch is not installed")
pytest.importorskip("numpy", reason="python3-numpy is not installed")

from ntkexact.testing import GramCheckError      # noqa: E402

SCRIPT = source("doc", "examples", "torch_gram.py")


def _load():
    spec = importlib.util.spec_from_file_location("torch_gram", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


example = _load()


def test_the_gram_matrix_passes():
    report = example.check(samples=1000, seed=3)
    assert report.passed and len(report.rows) == 14 and report.symmetric


def test_two_routes_to_the_gram_matrix_agree():
    """jacrev's Gram matrix equals the one from delta a^T (shift 0)."""
    s = example.GramSampler()
    params = s.draw(3, torch.Generator().manual_seed(9))
    for n in range(3):
        one = {k: v[n] for k, v in params.items()}
        a = s.gram_one(one, example.INPUTS)
        b = s.gram_paired(one, example.INPUTS, shift=0)
        assert torch.allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("bug", example.BUGS)
def test_a_planted_cross_input_bug_is_caught(bug):
    with pytest.raises(GramCheckError) as e:
        example.check(samples=1000, seed=3, bug=bug)
    report = e.value.report
    assert any(f.startswith("E_Kxy") for f in report.failures)


def test_the_script_runs():
    run = subprocess.run([sys.executable, SCRIPT, "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "--bug" in run.stdout
    assert example.main(["--samples", "500", "--bug", "paired-activations"]) == 1

"""ntkexact.testing with a small vectorized NumPy sampler of the empirical
NTK (written here, sharing nothing with the library's sampler): correct
samplers pass, the usual bugs fail with |z| > 5, and the report reads well."""

import math
from fractions import Fraction

import pytest

np = pytest.importorskip("numpy")

import ntkexact                                   # noqa: E402
from ntkexact import testing                      # noqa: E402


def numpy_ntk(widths, x2=1.0, cw_hidden=2.0, cw_output=1.0, param="ntk", output_bias=True):
    """sample_fn(rng, m): K_w, K_b and N of m random networks by
    backpropagation (weights N(0, c/n_in), zero trainable biases)."""
    ws = ntkexact.profile_widths(widths)
    d = len(ws) - 1
    c = [cw_hidden] * (d - 1) + [cw_output]

    def sample(rng, m):
        a = np.zeros((m, ws[0]))
        a[:, 0] = math.sqrt(x2)
        acts, weights, masks = [a], [], []
        for i in range(d):
            w = rng.standard_normal((m, ws[i + 1], ws[i])) * math.sqrt(c[i] / ws[i])
            z = np.einsum("sjk,sk->sj", w, acts[-1])
            weights.append(w)
            if i < d - 1:
                masks.append(z > 0)
                acts.append(z * masks[-1])
        out = z[:, 0]
        delta = np.ones((m, 1))
        kw, kb = np.zeros(m), np.zeros(m)
        for i in range(d - 1, -1, -1):
            metric = c[i] / ws[i] if param == "ntk" else 1.0
            kw += metric * np.sum(acts[i] ** 2, 1) * np.sum(delta ** 2, 1)
            if i < d - 1 or output_bias:
                kb += np.sum(delta ** 2, 1)
            if i > 0:
                delta = np.einsum("sj,sjk->sk", delta, weights[i]) * masks[i - 1]
        return {"K_w": kw, "K_b": kb, "N": out}
    return sample


def one_at_a_time(batched, keys=None):
    """The per-network form sample_fn(rng) of a batched sampler."""
    def sample(rng):
        fields = batched(rng, 1)
        return {k: float(v[0]) for k, v in fields.items() if keys is None or k in keys}
    return sample


def test_batched_sampler_passes():
    report = testing.check_kernel_moments_batched(numpy_ntk("3,4x3,1"), "3,4x3,1",
                                                  samples=20000, batch=5000, seed=1)
    assert report.passed and report.samples == 20000
    assert set(report.rows) == set(ntkexact.QUANTITIES) - {"E_dK", "E_Dww", "E_Dwb"}
    assert report.rows["E_K"].exact == ntkexact.moments("3,4x3,1")["E_K"]
    assert all(abs(z) <= 5 for z in report.z.values())


@pytest.mark.parametrize("widths,kwargs", [
    ("2,1,3,1", {}),
    ("3,5,4,1", dict(param="standard", x2="1/2")),
    ("2,6x2,1", dict(cw_hidden=3, cw_output="1/2", x2=2)),
], ids=["width-1-layer", "standard", "variances"])
def test_batched_sampler_passes_other_conventions(widths, kwargs):
    x2 = float(ntkexact._args.exact(kwargs.get("x2", 1), "x2"))
    sampler = numpy_ntk(widths, x2=x2, cw_hidden=float(kwargs.get("cw_hidden", 2)),
                        cw_output=float(ntkexact._args.exact(kwargs.get("cw_output", 1), "c")),
                        param=kwargs.get("param", "ntk"))
    report = testing.check_kernel_moments_batched(sampler, widths, samples=20000, batch=4000,
                                                  seed=2, **kwargs)
    assert report.passed


def test_one_network_at_a_time():
    report = testing.check_kernel_moments(one_at_a_time(numpy_ntk("3,2,1")), "3,2,1",
                                          samples=3000, seed=3)
    assert report.passed and report.samples == 3000


def test_forgotten_output_bias_fails():
    with pytest.raises(testing.KernelCheckError) as info:
        testing.check_kernel_moments_batched(numpy_ntk("3,4x3,1", output_bias=False), "3,4x3,1",
                                             samples=20000, batch=5000, seed=1)
    report = info.value.report
    assert isinstance(info.value, AssertionError)
    assert not report.passed and report.z["E_K"] < -5 and report.z["E_Kb"] < -5
    assert "E_Kb" in report.failures and "E_Kw" not in report.failures
    table = str(info.value)
    assert "* E_Kb" in table and "FAIL:" in table and "E_Kw" in table


def test_wrong_variance_fails():
    report = testing.check_kernel_moments_batched(numpy_ntk("3,4x3,1", cw_hidden=1.0), "3,4x3,1",
                                                  samples=5000, seed=1, raise_on_failure=False)
    assert not report.passed and report.z["E_K"] < -5
    assert "FAIL" in report.table() and repr(report).startswith("<KernelReport 3,4x3,1: FAILED")


def test_return_forms():
    batched = numpy_ntk("3,2,1")

    def as_tuple(rng):
        f = batched(rng, 1)
        return (f["K_w"][0] + f["K_b"][0], f["K_w"][0], None, None)

    r = testing.check_kernel_moments(as_tuple, "3,2,1", samples=2000)
    assert {"E_Kb", "E_KwKb"} <= set(r.rows) and "E_N2" not in r.rows     # K_b = K - K_w
    r = testing.check_kernel_moments(lambda rng: float(sum(batched(rng, 1)["K_w"]) + 1.0 +
                                                       sum(batched(rng, 1)["K_b"]) - 1.0),
                                     "3,2,1", samples=500, raise_on_failure=False)
    assert set(r.rows) == {"E_K", "E_K2", "Var_K"}
    r = testing.check_kernel_moments(one_at_a_time(batched, keys=("K_w", "K_b")), "3,2,1",
                                     samples=2000, quantities=["E_K", "E_Kw"])
    assert list(r.rows) == ["E_K", "E_Kw"] and r.passed


def test_constant_kernel_has_zero_z():
    """At x2 = 0 the input is dead: K = 1 exactly, and z = 0 with stderr 0."""
    r = testing.check_kernel_moments(lambda rng: 1.0, "1,1,1,1", samples=10, x2=0)
    assert r.passed and r.z == {"E_K": 0.0, "E_K2": 0.0, "Var_K": 0.0}
    with pytest.raises(testing.KernelCheckError) as info:
        testing.check_kernel_moments(lambda rng: 1.5, "1,1,1,1", samples=10, x2=0)
    row = info.value.report.rows["E_K"]
    # no number: z is None (JSON null), and the row says why in words
    assert row.z is None and not row.ok and row.decided_by == "exact"
    assert row.note == "the exact variance is 0; the estimate differs"
    assert "the exact variance is 0; the estimate differs" in str(info.value)
    assert "inf" not in str(info.value) and "nan" not in str(info.value)


def test_the_rng_is_passed_through():
    seen = []

    class Mine:
        pass

    mine = Mine()
    testing.check_kernel_moments(lambda rng: seen.append(rng) or 1.0, "1,1,1,1", samples=3,
                                 x2=0, rng=mine)
    assert seen == [mine] * 3


def test_errors_of_the_sampler():
    with pytest.raises(ValueError, match="unknown keys"):
        testing.check_kernel_moments(lambda rng: {"K": 1.0, "k_w": 0.5}, "3,2,1", samples=5)
    with pytest.raises(ValueError, match="no K"):
        testing.check_kernel_moments(lambda rng: {"N": 1.0}, "3,2,1", samples=5)
    with pytest.raises(ValueError, match="a tuple is"):
        testing.check_kernel_moments(lambda rng: (1, 2, 3, 4, 5, 6, 7, 8), "3,2,1", samples=5)
    calls = []

    def changing(rng):
        calls.append(1)
        return 1.0 if len(calls) == 1 else {"K": 1.0, "N": 0.0}

    with pytest.raises(ValueError, match="at sample 1"):
        testing.check_kernel_moments(changing, "3,2,1", samples=5)
    with pytest.raises(ValueError, match="3 values for a batch of 4"):
        testing.check_kernel_moments_batched(lambda rng, m: np.ones(3), "3,2,1", samples=8,
                                             batch=4)
    with pytest.raises(ValueError, match="cannot be estimated"):
        testing.check_kernel_moments(lambda rng: 1.0, "3,2,1", samples=5, quantities=["E_N2"])
    with pytest.raises(ValueError, match="E_Dww cannot be estimated .* needs N, g_ww"):
        testing.check_kernel_moments(lambda rng: {"K": 1.0, "K_w": 0.5, "N": 0.0, "g": 1.0}, "3,2,1",
                                     samples=5, quantities=ntkexact.INTERFACE_QUANTITIES)
    with pytest.raises(ValueError, match="is not one of"):
        testing.check_kernel_moments(lambda rng: 1.0, "3,2,1", samples=5, quantities=["E_K3"])
    with pytest.raises(ValueError, match="batch"):
        testing.check_kernel_moments_batched(lambda rng, m: np.ones(m), "3,2,1", batch=0)


def test_bad_input_fails_before_sampling():
    calls = []
    with pytest.raises(ValueError, match="widths"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,0,1", samples=5)
    with pytest.raises(ValueError, match="mu4"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", samples=5, mu4=0)
    with pytest.raises(ValueError, match="activation"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", activation="leaky")
    with pytest.raises(ValueError, match="alpha"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", alpha=0)
    with pytest.raises(ValueError, match="alpha"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", alpha=1.5)
    with pytest.raises(TypeError, match="alpha"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", alpha="0.1")
    with pytest.raises(ValueError, match="tolerance"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", guarantee=True,
                                     tolerance=5)
    with pytest.raises(ValueError, match="alpha: tolerance sets"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", alpha=0.01,
                                     tolerance=5)
    with pytest.raises(TypeError, match="guarantee"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", guarantee=1)
    with pytest.raises(ValueError, match="mu6, mu8: give both"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", mu4=2, mu6=5)
    with pytest.raises(ValueError, match="mu8"):
        testing.check_kernel_moments(lambda rng: calls.append(1), "3,2,1", mu4=2, mu6=5, mu8=1)
    assert calls == []


def test_exact_standard_errors_and_the_rule():
    """The exact standard errors are those of the library's table, z takes
    the larger of the two, and the threshold is Bonferroni's at alpha."""
    report = testing.check_kernel_moments_batched(numpy_ntk("3,4x3,1"), "3,4x3,1", samples=8000,
                                                  batch=4000, seed=4)
    m = ntkexact.moments("3,4x3,1", order=4)
    row = report.rows["E_K2"]
    assert row.stderr_exact == pytest.approx(math.sqrt((m["E_K4"] - m["E_K2"] ** 2) / 8000),
                                             rel=1e-12)
    assert row.stderr == max(row.stderr_exact, row.stderr_sample)
    assert row.z == pytest.approx((row.estimate - float(row.exact)) / row.stderr, rel=1e-9)
    var = report.rows["Var_K"]
    assert var.stderr_exact == pytest.approx(
        math.sqrt(float((m["M4_K"] - m["Var_K"] ** 2 * Fraction(7997, 7999)) / 8000)), rel=1e-12)
    assert report.rule == "bonferroni" and report.alpha == 1e-4
    assert report.tolerance == pytest.approx(4.4172, abs=1e-3)       # 10 quantities
    assert set(report.exact_stderr) == set(report.rows)
    assert "Bonferroni over 10 quantities" in report.table()
    fixed = testing.check_kernel_moments_batched(numpy_ntk("3,2,1"), "3,2,1", samples=2000,
                                                 tolerance=6, seed=1)
    assert fixed.rule == "tolerance" and fixed.tolerance == 6 and fixed.alpha < 1e-6


def test_guarantee():
    """guarantee=True: the median of block means, its plan printed; correct
    code passes, a wrong hidden variance fails."""
    report = testing.check_kernel_moments_batched(numpy_ntk("3,4x3,1"), "3,4x3,1", samples=10000,
                                                  batch=5000, seed=5, guarantee=True, alpha=1e-6)
    assert report.passed and report.rule == "guarantee" and report.alpha == 1e-6
    plan = report.median
    assert plan["blocks"] % 2 == 1 and plan["bound"] <= 1e-6 / 10
    assert report.tolerance == plan["threshold"] and plan["catches"] > plan["threshold"]
    assert "for ANY law" in report.table()
    with pytest.raises(testing.KernelCheckError) as info:
        testing.check_kernel_moments_batched(numpy_ntk("3,4x3,1", cw_hidden=1.0), "3,4x3,1",
                                             samples=10000, batch=5000, seed=5, guarantee=True)
    assert "E_K" in info.value.report.failures


def test_interface_quantities_with_the_parts_of_g():
    """Given g_ww and g_wb (or g and one part), E_Dww and E_Dwb are
    estimable: the interface's list is."""
    rng = np.random.default_rng(0)

    def fake(r, m):
        n = r.standard_normal(m)
        return {"K": np.ones(m) * 2, "K_w": np.ones(m), "N": n, "g": 3 * n, "g_ww": n}

    report = testing.check_kernel_moments_batched(fake, "3,2,1", samples=100, rng=rng,
                                                  quantities=ntkexact.INTERFACE_QUANTITIES,
                                                  raise_on_failure=False)
    assert list(report.rows) == list(ntkexact.INTERFACE_QUANTITIES)
    assert testing.ESTIMABLE == ntkexact.QUANTITIES
    assert report.rows["E_Dwb"].estimate == pytest.approx(report.rows["E_Dww"].estimate)


def test_advice_for_a_lone_heavy_tailed_failure():
    """A lone failure of a quantity without an exact variance, or of a
    heavy-tailed one, says what to try."""
    report = testing.check_kernel_moments_batched(numpy_ntk("3,4x3,1"), "3,4x3,1", samples=2000,
                                                  seed=1, raise_on_failure=False)
    rows = report.rows
    for name, row in rows.items():
        row.ok = name != "E_N4"
    assert report.failures == ["E_N4"]
    assert "heavy-tailed" in report.advice() and "guarantee=True" in report.advice()
    rows["E_N4"].ok, rows["E_K"].ok = True, False
    assert report.advice() == ""        # E_K is not heavy-tailed
    rows["E_K"].ok, rows["E_N2"].ok, rows["E_N4"].ok = True, False, False
    assert report.advice() == ""        # two failures: no such advice

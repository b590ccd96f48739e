"""The calibration of the test oracle (bench/calibrate.sh runs it; not part of
make check): how often `ntkexact check` and ntkexact.testing fail correct
code (false alarms, both tails), and the smallest sample count at which they
catch five planted bugs, before (the sample's standard error, |z| > 5) and
after (the default rule and --guarantee).  doc/python.md and the man page
hold the tables it printed.

Usage: calibrate.py [--seeds 500] [--bug-seeds 10] [--parts cli,python,bugs]
                    [--ntkexact PATH] [--samples 10000] [--profiles 0,1]
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))

# the profiles of the false-alarm runs: (label, options of check)
PROFILES = [
    ("3,4x3,1", ["--widths", "3,4x3,1"]),
    ("2,3x6,1", ["--widths", "2,3x6,1"]),
    ("3,1,6,1", ["--widths", "3,1,6,1"]),
    ("4,20x6,1", ["--widths", "4,20x6,1"]),
    ("3,1,1,4,1 (width-1 layers)", ["--widths", "3,1,1,4,1"]),
    ("3,4x3,1 leaky ReLU 1/10", ["--widths", "3,4x3,1", "--activation", "leaky:1/10"]),
    ("3,4x3,1 abs, no biases", ["--widths", "3,4x3,1", "--activation", "abs", "--no-bias"]),
    ("4,8,8,1 standard, x2 = 1/2", ["--widths", "4,8,8,1", "--param", "standard", "--x2", "1/2"]),
    ("3,4x3,1 uniform weights", ["--widths", "3,4x3,1", "--law", "uniform"]),
]
OLD_THRESHOLD = 5.0
BUG_PROFILE = "3,4x3,1"
BUG_SAMPLES = [100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10000]


def old_fails(d):
    """The rule before: z by the sample's standard error, |z| > 5."""
    n = 0
    for q, e in d["exact"].items():
        mean, se = d["mean"].get(q), d["stderr_sample"].get(q)
        if e is None or mean is None or se is None:
            continue
        diff = mean - float(Fraction(e))
        z = diff / se if se > 0 else (0.0 if diff == 0 else math.inf)
        n += abs(z) > OLD_THRESHOLD
    return n


def run_check(ntk, options, seed, samples, guarantee):
    args = [ntk, "check", *options, "--seed", str(seed), "--samples", str(samples), "--threads",
            "1", "--quiet", "--format", "json"] + (["--guarantee"] if guarantee else [])
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)}: exit {out.returncode}: {out.stderr}")
    return json.loads(out.stdout)


#: the rows of the first update, whose exact variances come from its second moment
UPDATE_ROWS = ("E_dK", "E_Dww", "E_Dwb")


def cli_part(ntk, seeds, samples, chosen=None):
    print(f"## check: false alarms of correct code, {seeds} seeds x {samples} samples per profile")
    print()
    print("| profile | old rule (sample SE, \\|z\\| > 5) | default: rows with exact SE (high/low) "
          "| of them E_dK, E_Dww, E_Dwb | default: rows with the sample's SE | --guarantee "
          "| largest \\|z\\|, exact-SE rows | largest \\|z\\|, E_dK, E_Dww, E_Dwb |")
    print("|---|---|---|---|---|---|---|---|")
    totals = [0, 0, 0, 0, 0, 0]
    for k, (label, options) in enumerate(PROFILES):
        if chosen is not None and k not in chosen:
            continue
        start = time.time()
        old = exact_rows = exact_hi = exact_lo = update = other = guar = 0
        worst = worst_update = 0.0
        for seed in range(1, seeds + 1):
            d = run_check(ntk, options, seed, samples, False)
            old += old_fails(d) > 0
            exact_set = set(d["stderr_exact"])
            bad = [q for q, z in d["z"].items() if q in exact_set
                   and (z is None or abs(z) > d["threshold"])]
            exact_rows += bool(bad)
            exact_hi += any(d["z"][q] is not None and d["z"][q] > 0 for q in bad)
            exact_lo += any(d["z"][q] is not None and d["z"][q] < 0 for q in bad)
            update += any(q in UPDATE_ROWS for q in bad)
            other += any(q not in exact_set and z is not None and abs(z) > d["threshold"]
                         for q, z in d["z"].items())
            worst = max([worst] + [abs(z) for q, z in d["z"].items()
                                   if q in exact_set and z is not None])
            worst_update = max([worst_update] + [abs(d["z"][q]) for q in UPDATE_ROWS
                                                 if q in exact_set and d["z"][q] is not None])
            g = run_check(ntk, options, seed, samples, True)
            guar += not g["pass"]
        for i, v in enumerate((old, exact_rows, update, other, guar)):
            totals[i] += v
        totals[5] += seeds
        print(f"| {label} | {old} | {exact_rows} ({exact_hi}/{exact_lo}) | {update} | {other} | "
              f"{guar} | {worst:.2f} | {worst_update:.2f} |", flush=True)
        print(f"<!-- {label}: {time.time() - start:.0f} s -->", file=sys.stderr, flush=True)
    print(f"| all {totals[5]} runs | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} | "
          f"{totals[4]} | | |")
    print()
    print("alpha = 1e-4 per run (the default); a run counts once however many rows fail. "
          "Threshold of the default rule: |z| > 4.47 (13 rows).")
    print()


def python_part(seeds, samples):
    import torch
    from ntkexact.testing import check_kernel_moments_batched
    sys.path.insert(0, HERE)
    from torch_batched_ntk import BatchedNTK, selfcheck
    print(f"## ntkexact.testing: false alarms of a correct batched PyTorch NTK "
          f"({BUG_PROFILE}, {seeds} seeds)")
    print()
    print(f"(the batched NTK agrees with the autograd one of doc/examples/torch_ntk.py to "
          f"{selfcheck():.1e} relative)")
    print()
    print("| samples | old rule (sample SE, \\|z\\| > 5) | default (exact-SE rows / of them "
          "E_dK, E_Dww, E_Dwb / others) | guarantee=True |")
    print("|---|---|---|---|")
    for n in (4000, samples):
        old = new_exact = new_update = new_other = guar = 0
        for seed in range(1, seeds + 1):
            fn = BatchedNTK(BUG_PROFILE)
            rep = check_kernel_moments_batched(fn, BUG_PROFILE, samples=n, batch=n,
                                               rng=torch.Generator().manual_seed(seed),
                                               raise_on_failure=False)
            old += _old_fails(rep)
            new_exact += any(q in rep.failures for q in rep.exact_stderr)
            new_update += any(q in rep.failures for q in rep.exact_stderr if q in UPDATE_ROWS)
            new_other += any(q in rep.failures for q in rep.rows if q not in rep.exact_stderr)
            rep = check_kernel_moments_batched(fn, BUG_PROFILE, samples=n, batch=n,
                                               rng=torch.Generator().manual_seed(seed),
                                               raise_on_failure=False, guarantee=True)
            guar += not rep.passed
        print(f"| {n} | {old} | {new_exact} / {new_update} / {new_other} | {guar} |", flush=True)
    print()


#: the quantities of ntkexact.testing before g_ww, g_wb were fields
OLD_PYTHON_ROWS = ("E_K", "E_Kw", "E_Kb", "E_K2", "E_Kw2", "E_Kb2", "E_KwKb", "Var_K", "E_dK",
                   "E_N2", "E_N4")


def _old_fails(rep):
    return any(_old_z(r) > OLD_THRESHOLD for q, r in rep.rows.items() if q in OLD_PYTHON_ROWS)


def _old_z(row):
    diff = row.mean - float(row.exact)
    if row.stderr_sample > 0:
        return abs(diff / row.stderr_sample)
    return 0.0 if diff == 0 else math.inf


def bugs_part(seeds):
    import numpy as np
    import torch
    from ntkexact.testing import check_kernel_moments_batched
    sys.path.insert(0, HERE)
    from torch_batched_ntk import BUGS, BatchedNTK
    print(f"## Planted bugs: the smallest N (of {', '.join(map(str, BUG_SAMPLES))}) at which "
          f"the check fails in {seeds} of {seeds} seeds ({BUG_PROFILE}, batched PyTorch NTK)")
    print()
    print("| bug | old rule (sample SE, \\|z\\| > 5) | default rule | guarantee=True |")
    print("|---|---|---|---|")
    top = BUG_SAMPLES[-1]
    for bug in BUGS:
        caught = {rule: [0] * len(BUG_SAMPLES) for rule in ("old", "new", "guarantee")}
        for seed in range(1, seeds + 1):
            full = BatchedNTK(BUG_PROFILE, bug=bug)(torch.Generator().manual_seed(seed), top)
            full = {k: v.numpy() for k, v in full.items()}
            for i, n in enumerate(BUG_SAMPLES):
                part = {k: np.ascontiguousarray(v[:n]) for k, v in full.items()}
                fn = lambda rng, m, part=part: part          # noqa: E731
                rep = check_kernel_moments_batched(fn, BUG_PROFILE, samples=n, batch=n,
                                                   raise_on_failure=False)
                caught["old"][i] += _old_fails(rep)
                caught["new"][i] += not rep.passed
                rep = check_kernel_moments_batched(fn, BUG_PROFILE, samples=n, batch=n,
                                                   raise_on_failure=False, guarantee=True)
                caught["guarantee"][i] += not rep.passed
        cells = []
        for rule in ("old", "new", "guarantee"):
            n_min = next((n for n, c in zip(BUG_SAMPLES, caught[rule]) if c == seeds), None)
            cells.append(f"> {top}" if n_min is None else str(n_min))
        print(f"| {bug} | {' | '.join(cells)} |", flush=True)
    print()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=500)
    p.add_argument("--bug-seeds", type=int, default=10)
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--parts", default="cli,python,bugs")
    p.add_argument("--profiles", help="the indices (from 0) of the profiles of the cli part, "
                   "comma-separated (default: all)")
    p.add_argument("--ntkexact", default=os.path.join(HERE, "..", "ntkexact"))
    a = p.parse_args(argv)
    parts = a.parts.split(",")
    if "bugs" in parts:
        bugs_part(a.bug_seeds)
    if "python" in parts:
        python_part(a.seeds, a.samples)
    if "cli" in parts:
        chosen = None if a.profiles is None else {int(k) for k in a.profiles.split(",")}
        cli_part(a.ntkexact, a.seeds, a.samples, chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The Python figures of make bench (printed, not asserted): the overhead of
ntkexact.moments against the same work in C (bench/moments_loop.c), and the
time to fill a table of 1001 rows from Python, against `ntkexact table`.
Both sides are timed in one run of this script, so the ratios compare like
with like on a shared machine.

Usage: python3 bench/python_overhead.py DRIVER NTKEXACT   (PYTHONPATH: the package)"""

import subprocess
import sys
import time
from fractions import Fraction

import ntkexact

WIDTHS = "10,100x10,1"
DEPTHS = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]
HIDDEN = [1, 2, 3, 4, 6, 8, 12, 16, 32, 64, 128, 256, 1024]
A_VALUES = ["1/8", "1/4", "1/2", "1", "2", "4", "8"]


def per_call(fn, repeats):
    fn()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats


def c_per_call(driver, repeats, threads):
    out = subprocess.run([driver, WIDTHS, str(repeats), str(threads)], capture_output=True,
                         text=True, check=True)
    return float(out.stdout)


def overhead(driver):
    print(f"ntkexact.moments({WIDTHS!r}) against the C call (profile parsing, "
          "ntk_moments_compute, 13 evaluations):")
    for threads in (1, 2):
        repeats = 300
        # alternate the two sides, keep the best of three: the machine is shared
        c, py = [], []
        for _ in range(3):
            c.append(c_per_call(driver, repeats, threads))
            py.append(per_call(lambda: ntkexact.moments(WIDTHS, threads=threads), repeats))
        print(f"  threads={threads}: C {min(c) * 1e3:7.3f} ms, Python {min(py) * 1e3:7.3f} ms, "
              f"ratio Python / C = {min(py) / min(c):.2f}")


def table_rows_per_call():
    rows = []
    for d in DEPTHS:
        for n in HIDDEN:
            for a in A_VALUES:
                rows.append(ntkexact.moments(f"1,{n}x{d - 1},1", x2=a))
    return rows


def table_rows_symbolic():
    rows = []
    points = [Fraction(a) for a in A_VALUES]
    for d in DEPTHS:
        for n in HIDDEN:
            poly = ntkexact.moments(f"1,{n}x{d - 1},1", x2="symbolic")
            for x in points:
                rows.append({q: c[0] + x * (c[1] + x * c[2]) for q, c in poly.items()})
    return rows


def table(ntk):
    n_rows = len(DEPTHS) * len(HIDDEN) * len(A_VALUES)
    print(f"a table of {n_rows} rows ({len(DEPTHS)} depths x {len(HIDDEN)} widths x "
          f"{len(A_VALUES)} values of a, every quantity exact):")
    start = time.perf_counter()
    rows = table_rows_per_call()
    t_calls = time.perf_counter() - start
    start = time.perf_counter()
    rows2 = table_rows_symbolic()
    t_sym = time.perf_counter() - start
    assert rows == rows2 and len(rows) == n_rows
    args = [ntk, "table", "--depths", ",".join(map(str, DEPTHS)), "--hidden-widths",
            ",".join(map(str, HIDDEN)), "--a", ",".join(A_VALUES), "--quiet"]
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
    t_cli = time.perf_counter() - start
    print(f"  Python, one ntkexact.moments call per row:        {t_calls:6.2f} s")
    print(f"  Python, x2='symbolic' once per profile:          {t_sym:6.2f} s")
    print(f"  ntkexact table (CSV with decimals, to /dev/null): {t_cli:6.2f} s")


def main():
    driver, ntk = sys.argv[1], sys.argv[2]
    overhead(driver)
    table(ntk)


if __name__ == "__main__":
    main()

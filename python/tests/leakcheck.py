"""Every entry point of the package, successes and failures, for valgrind
(tests/valgrind.sh runs it with PYTHONMALLOC=malloc so that valgrind sees
every allocation): the C side must free all that it allocates."""

from fractions import Fraction

import ntkexact
from ntkexact import _args, _ntkexact

M = ntkexact.moments
CONV = _args.conv(3, None, 1, "ntk", True, "leaky:1/2", 15, 105)


def bad_calls():
    yield lambda: M("3,0,1")
    yield lambda: M("3,2,1", mu4="x")
    yield lambda: M("3,2,1", x2="1/0")
    yield lambda: M("3,2,1", x2=-1)
    yield lambda: M("3,2,1", cw_hidden=0)
    yield lambda: M("3,10000000x300,1")
    yield lambda: M("3,2,1", threads=0)
    yield lambda: ntkexact.sample("3,2,1", 100, mu4=2)
    yield lambda: ntkexact.sample("3,2,1", 1)
    yield lambda: ntkexact.sample("10,20000x2,1", 100)
    yield lambda: ntkexact.expand(1)
    yield lambda: ntkexact.expand(3, x2=-1)
    yield lambda: ntkexact.expand("symbolic", cw_hidden=3, order=21)
    yield lambda: ntkexact.limit([1, 0])
    yield lambda: ntkexact.limit(1, cw_hidden=3)
    yield lambda: ntkexact.limit("1/2", moments=3, activation="slopes:0,1")
    yield lambda: ntkexact.limit("1/4", moments=4, order=1, activation="slopes:0,1")
    yield lambda: ntkexact.expand(3, moments=4, mu4=2, mu6=6, mu8=19)
    yield lambda: _ntkexact._check_variances("3,0,1", (1, 1), CONV, 1, 4, [10], 1)
    yield lambda: _ntkexact._check_variances("3,2,1", (1, 1), CONV, 1, 4, [10], 0)
    yield lambda: _ntkexact._check_compare("x", 1.0, None, 1.0, 5.0)
    yield lambda: _ntkexact._check_median_plan(0.0, 100, 1)
    yield lambda: ntkexact.kernel("3,5,1", x2=1, y2=1, xy=2)
    yield lambda: ntkexact.kernel("3,0,1", xy=0)
    yield lambda: ntkexact.kernel_gram("3,5,1", [[1, 2], [2, 1]])
    yield lambda: ntkexact.kernel_gram("3,5,1", [[1, 0], [0, "x"]])
    yield lambda: M("3,2,1", update=True, mu4=2, mu6=6, mu8=19)
    yield lambda: M("3,2,1", target="1/0")
    yield lambda: ntkexact.profile_widths("3,5x0,1")


for _ in range(2):
    M("3,4x3,1", x2="symbolic", threads=2)
    ntkexact.profile_widths("3,4x3,1")
    M("5,7x3,1", x2=Fraction(10 ** 30 + 1, 7), mu4=10 ** 40, threads=1)
    M("10,1000x60,1", threads=2)
    M("4,9x20,1", precision=80)
    M("10,1000x1000,1", double=True, digits=5)
    ntkexact.sample("3,4,1", 40, threads=2, law="uniform")
    ntkexact.expand(3, n0=2, param="standard")
    ntkexact.limit(["1/2", 1], digits=20)
    ntkexact.expand(3, n0=2, moments=4, activation="leaky:1/2")
    ntkexact.expand("symbolic", n0=2, moments=3, cw_hidden=3, order=1)
    ntkexact.expand(3, x2=0, moments=4, activation="leaky:1/2")
    ntkexact.expand(10 ** 6, moments=4, series=True, order=2)
    ntkexact.limit(["1/2", 1], digits=20, moments=4)
    ntkexact.limit(["1/2", 1], digits=20, moments=4, order=1, activation="leaky:1/2")
    _ntkexact._check_variances("3,4x2,1", (1, 2), CONV, 1, 4, [100, 7], 2)
    _ntkexact._check_compare((13, 6), 2.0, (1, 100), 0.0, 5.0)
    _ntkexact._check_compare((13, 6), 2.0, None, 0.0, 5.0)
    _ntkexact._check_median_plan(1e-5, 10000, 1)
    _ntkexact._check_threshold(1e-4, 13)
    ntkexact.kernel("3,5,4,1", x2=1, y2=2, xy="1/2", digits=20, per_layer=True)
    ntkexact.kernel("3,5,4,1", xy=0, order=0, activation="leaky:1/2", bias=False)
    ntkexact.kernel_gram("3,6x3,1", [[1, "1/2", 0], ["1/2", 2, -1], [0, -1, 3]], digits=20,
                         threads=2)
    M("3,4,3,1", x2="symbolic", target=2, threads=2)
    M("4,5x3,1", target=Fraction(1, 3), precision=80)
    ntkexact.sample("3,4,1", 40, threads=2, update=True)
    for call in bad_calls():
        try:
            call()
        except ValueError:
            pass

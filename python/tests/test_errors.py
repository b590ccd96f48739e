"""Bad input from Python: every class of bad input of the command line
(tests/interface.sh) raises ValueError with the library's message, which
begins with the keyword at fault; a value of a wrong type raises TypeError;
nothing crashes the interpreter.  Also: Ctrl-C stops long computations, the
GIL is released, and a loop of calls does not leak."""

import decimal
import os
import signal
import threading
import time
from fractions import Fraction

import pytest

import ntkexact
import ntkexact.testing
from ntkhelp import memory_growth

M = ntkexact.moments

# (call, the start of the message, a piece of it): ValueError expected
BAD_VALUES = [
    # widths, as text (the messages of the command line, --widths -> widths)
    (lambda: M("3,2"), "widths", "last width is 2"),
    (lambda: M("3,0,1"), "widths", "'0' is zero"),
    (lambda: ntkexact.profile_widths("3,0,1"), "widths", "'0' is zero"),
    (lambda: ntkexact.profile_widths("3,5x0,1"), "widths", "repeat count is zero"),
    (lambda: M("3,-1,1"), "widths", "'-1' is negative"),
    (lambda: M("3,abc,1"), "widths", "'abc' is not a positive integer"),
    (lambda: M("3,123456789012345678901234,1"), "widths", "too large"),
    (lambda: M("3,2199023255553,1"), "widths", "too large"),
    (lambda: M(""), "widths", "empty"),
    (lambda: M("3,,1"), "widths", "'' is empty"),
    (lambda: M("3,100x0,1"), "widths", "repeat count is zero"),
    (lambda: M("1"), "widths", "at least an input and an output"),
    (lambda: M("3, 2, 1"), "widths", "not a positive integer"),
    (lambda: M("3,2\0,1"), "widths", "NUL"),
    (lambda: M("3,10000000x300,1"), "widths", "use bias=False or precision=BITS"),
    # widths, as a sequence
    (lambda: M([3, 0, 1]), "widths", "'0' is zero"),
    (lambda: M([3, -1, 1]), "widths", "'-1' is negative"),
    (lambda: M([3, 2]), "widths", "last width is 2"),
    (lambda: M([]), "widths", "empty"),
    (lambda: M([1]), "widths", "at least an input and an output"),
    (lambda: M([3, 2 ** 41, 1]), "widths", "too large"),
    (lambda: M([3, 10 ** 2000, 1]), "widths", "bit integer"),
    # rationals and conventions
    (lambda: M("3,2,1", mu4="0.5"), "mu4", "at least 1"),
    (lambda: M("3,2,1", mu4=Fraction(1, 2)), "mu4", "at least 1"),
    (lambda: M("3,2,1", mu4="x"), "mu4", "'x' is not an exact rational"),
    (lambda: M("3,2,1", mu4="+3"), "mu4", "is not an exact rational"),
    (lambda: M("3,2,1", mu4="3\0"), "mu4", "NUL"),
    (lambda: M("3,2,1", cw_hidden=0), "cw_hidden", "must be positive"),
    (lambda: M("3,2,1", cw_output=-1), "cw_output", "must be positive"),
    (lambda: M("3,2,1", cw_output=decimal.Decimal("-0.5")), "cw_output", "must be positive"),
    (lambda: M("3,2,1", x2=-1), "x2", "must be >= 0"),
    (lambda: M("3,2,1", x2=Fraction(-1, 2)), "x2 '-1/2'", "must be >= 0"),
    (lambda: M("3,2,1", x2="1/0"), "x2 '1/0'", "denominator is zero"),
    (lambda: M("3,2,1", x2="symbol"), "x2 'symbol'", "is not an exact rational"),
    (lambda: M("3,2,1", x2=float("nan")), "x2", "not a finite number"),
    (lambda: M("3,2,1", x2=float("inf")), "x2", "not a finite number"),
    (lambda: M("3,2,1", x2=decimal.Decimal("NaN")), "x2", "not a finite number"),
    (lambda: M("3,2,1", param="foo"), "param 'foo'", "not one of ntk, standard"),
    (lambda: M("3,2,1", bias=2), "bias", "neither True nor False"),
    # the floating-point mode, digits, threads
    (lambda: M("3,2,1", precision=1), "precision", "must be 2.."),
    (lambda: M("3,2,1", precision=0), "precision", "must be 2.."),
    (lambda: M("3,2,1", precision=2 ** 21), "precision", "must be 2.."),
    (lambda: M("3,2,1", precision=64, double=True), "double", "give one of them"),
    (lambda: M("3,2,1", precision=64, x2="symbolic"), "x2", "exact only"),
    (lambda: M("3,2,1", double=True, x2="symbolic"), "x2", "exact only"),
    (lambda: M("3,2,1", precision=64, digits=0), "digits", "1..1000"),
    (lambda: M("3,2,1", precision=64, digits=1001), "digits", "1..1000"),
    (lambda: M("3,2,1", digits=10), "digits", "only for precision"),
    (lambda: M("3,2,1", threads=0), "threads", "must be 1..64"),
    (lambda: M("3,2,1", threads=65), "threads", "must be 1..64"),
    (lambda: M("3,2,1", threads=10 ** 30), "threads", "must be 1..64"),
    # a law's moment that no moment of the order uses (issue 22, point 7: mu6=-1
    # was accepted and ignored at order 2)
    (lambda: M("3,2,1", mu6=-1), "mu6", "applies with order=3|4"),
    (lambda: M("3,2,1", mu6=15), "mu6", "applies with order=3|4"),
    (lambda: M("3,2,1", order=3, mu8=105), "mu8", "applies with order=4"),
    # sample
    (lambda: ntkexact.sample("3,2,1"), "samples", "required"),
    (lambda: ntkexact.sample("3,2,1", 1), "samples", "at least 2"),
    (lambda: ntkexact.sample("3,2,1", -5), "samples", "at least 2"),
    (lambda: ntkexact.sample("3,2,1", 10 ** 13), "samples", "2..1000000000000"),
    (lambda: ntkexact.sample("3,2,1", 100, mu4=2), "mu4", "sampling draws Gaussian"),
    (lambda: ntkexact.sample("3,2,1", 100, mu4="x"), "mu4", "not an exact rational"),
    (lambda: ntkexact.sample("3,2,1", 100, x2="symbolic"), "x2", "is for moments()"),
    (lambda: ntkexact.sample("3,2,1", 100, seed=-3), "seed", "0..18446744073709551615"),
    (lambda: ntkexact.sample("3,2,1", 100, seed=2 ** 64), "seed", "0..18446744073709551615"),
    (lambda: ntkexact.sample("3,2,1", 100, law="cauchy"), "law 'cauchy'", "gaussian, uniform"),
    (lambda: ntkexact.sample("3,2,1", 100, law="uniform", mu4=3), "law uniform and mu4",
     "disagree"),
    (lambda: ntkexact.sample("3,2,1", 100, method="fast"), "method 'fast'",
     "auto, full, projected"),
    (lambda: ntkexact.sample("3,2,1", 100, law="uniform", method="projected"), "method",
     "needs Gaussian"),
    (lambda: ntkexact.sample("3,0,1", 100), "widths", "'0' is zero"),
    (lambda: ntkexact.sample("3,2,1", 100, x2=-2), "x2", "must be >= 0"),
    (lambda: ntkexact.sample("3,2,1", 100, cw_hidden=0), "cw_hidden", "must be positive"),
    (lambda: ntkexact.sample("3,2,1", 100, threads=0), "threads", "must be 1..64"),
    # slopes whose K_b is beyond double precision (issue 22, point 1: the
    # sampler returned E_K = 1 for slopes:1e162,0, the exact value 5.0e+323)
    (lambda: ntkexact.sample("3,2,1", 100, activation="slopes:1e200,0"), "activation",
     "beyond the double precision of the sampler"),
    (lambda: ntkexact.sample("3,2,1", 100, activation="slopes:1e-200,0"), "activation",
     "without biases the sampler takes slopes of any size"),
    (lambda: ntkexact.sample("3,2,1", 100, activation="leaky:-1e300", method="full"), "activation",
     "beyond the double precision of the sampler"),
    (lambda: ntkexact.sample("10,20000x2,1", 100, method="full"), "widths",
     "more than the full method holds"),
    (lambda: ntkexact.sample("3,2x100000000,1", 100), "widths",
     "more than the projected method holds"),
    # expand
    (lambda: ntkexact.expand(), "depth", "required"),
    (lambda: ntkexact.expand(1), "depth", "must be 2..400"),
    (lambda: ntkexact.expand(401), "depth", "must be 2..400"),
    (lambda: ntkexact.expand(10 ** 20), "depth", "must be 2..400"),
    (lambda: ntkexact.expand(3, x2=-1), "x2", "must be >= 0"),
    (lambda: ntkexact.expand(3, x2="symbolic"), "x2", "is for moments()"),
    (lambda: ntkexact.expand(3, n0=0), "n0", "1..1099511627776"),
    (lambda: ntkexact.expand(3, n0=2 ** 41), "n0", "1..1099511627776"),
    (lambda: ntkexact.expand(3, order=-1), "order", "0..1000"),
    (lambda: ntkexact.expand(3, mu4="0"), "mu4", "at least 1"),
    # expand(moments=...), as expand --moments
    (lambda: ntkexact.expand(3, moments=5), "moments", "2..4"),
    (lambda: ntkexact.expand(3, moments=1), "moments", "2..4"),
    (lambda: ntkexact.expand(101, moments=4), "depth", "computed up to depth 100, not 101"),
    (lambda: ntkexact.expand(201, moments=3), "depth", "computed up to depth 200, not 201"),
    (lambda: ntkexact.expand(10 ** 20, moments=3), "depth", "computed up to depth 200"),
    (lambda: ntkexact.expand(1, moments=4), "depth", "must be 2..100"),
    (lambda: ntkexact.expand(3, moments=3, mu8=9), "mu8", "applies with moments=4"),
    (lambda: ntkexact.expand(3, mu6=15), "mu6", "applies with moments=3|4"),
    (lambda: ntkexact.expand(3, moments=3, mu4=5), "mu6", "required with moments=3 and mu4=5"),
    (lambda: ntkexact.expand(3, moments=4, mu4=2, mu6=6), "mu8",
     "required with moments=4 and mu4=2"),
    (lambda: ntkexact.expand(3, moments=3, mu6=8), "mu6", "at least mu4^2"),
    (lambda: ntkexact.expand(3, moments=4, mu4=2, mu6=6, mu8=19), "mu8",
     "no unit-variance law"),
    # limit
    (lambda: ntkexact.limit(), "beta", "required"),
    (lambda: ntkexact.limit([]), "beta", "required"),
    (lambda: ntkexact.limit(0), "beta", "the limit is computed for 10^-1000 <= beta"),
    (lambda: ntkexact.limit([1, -1]), "beta", "the limit is computed for 10^-1000 <= beta"),
    (lambda: ntkexact.limit([1, "x"]), "beta 'x'", "not an exact rational"),
    (lambda: ntkexact.limit(1, a=-1), "a", "the limit is computed for 0 <= a"),
    (lambda: ntkexact.limit(1, cw_hidden=3), "cw_hidden", "the critical cw_hidden 2"),
    (lambda: ntkexact.limit(1, param="standard"), "param", "the limit is defined in the NTK parametrization"),
    (lambda: ntkexact.limit(1, x2=2), "a", "either a=, or both x2= and n0="),
    (lambda: ntkexact.limit(1, a=1, x2=2, n0=3), "a", "either a=, or both x2= and n0="),
    (lambda: ntkexact.limit(1, x2=-2, n0=3), "x2", "must be >= 0"),
    (lambda: ntkexact.limit(1, x2=2, n0=0), "n0", "1..1099511627776"),
    (lambda: ntkexact.limit(1, digits=0), "digits", "1..1000"),
    (lambda: ntkexact.limit(1, mu4="1/2"), "mu4", "at least 1"),
    (lambda: ntkexact.limit(1, moments=5), "moments", "2..4"),
    (lambda: ntkexact.limit(1, order=2), "order", "0..1"),
    (lambda: ntkexact.limit("1/2", moments=3, activation="slopes:0,1"), "beta",
     "E[K^3]/d^3 diverges for beta > 1/3"),
    (lambda: ntkexact.limit("1/4", moments=4, order=1, activation="slopes:0,1"), "beta",
     "F_1 of the moments of order 4 needs beta < 1/4"),
    # expansion_value
    (lambda: ntkexact.expansion_value(ntkexact.expand(3), "E_X", 3), "quantity", "not one of"),
    (lambda: ntkexact.expansion_value(ntkexact.expand(3), "E_K", 0), "n", "1..1099511627776"),
    # the test oracle
    (lambda: ntkexact.testing.check_kernel_moments(lambda r: 1.0, "3,2,1", samples=10,
                                                   tolerance=-1), "tolerance", "positive"),
    (lambda: ntkexact.testing.check_kernel_moments(lambda r: 1.0, "3,2,1", samples=1),
     "samples", "2..1000000000000"),
    (lambda: ntkexact.testing.check_kernel_moments(lambda r: 1.0, "3,0,1", samples=10),
     "widths", "'0' is zero"),
]


@pytest.mark.parametrize("call,start,piece", BAD_VALUES,
                         ids=[f"{i:02d}-{b[1]}" for i, b in enumerate(BAD_VALUES)])
def test_bad_value(call, start, piece):
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert message.startswith(start) and piece in message, message


BAD_TYPES = [
    lambda: M(None),
    lambda: M(3),
    lambda: M(b"3,2,1"),
    lambda: M([3, 2.0, 1]),
    lambda: M([3, True, 1]),
    lambda: M([3, "2", 1]),
    lambda: M("3,2,1", x2=[1]),
    lambda: M("3,2,1", x2=True),
    lambda: M("3,2,1", x2=None),
    lambda: M("3,2,1", mu4=None),
    lambda: M("3,2,1", mu4=1j),
    lambda: M("3,2,1", param=1),
    lambda: M("3,2,1", bias="yes"),
    lambda: M("3,2,1", bias=None),
    lambda: M("3,2,1", precision=2.5),
    lambda: M("3,2,1", precision="64"),
    lambda: M("3,2,1", double="yes"),
    lambda: M("3,2,1", threads="many"),
    lambda: M("3,2,1", threads=1.0),
    lambda: M("3,2,1", format="json"),      # options of the tool that do not apply
    lambda: M("3,2,1", samples=100),
    lambda: M("3,2,1", 1, 3, 2, 1, "ntk", True, 5),
    lambda: ntkexact.sample("3,2,1", "100"),
    lambda: ntkexact.sample("3,2,1", 100, seed=1.5),
    lambda: ntkexact.sample("3,2,1", 100, law=1),
    lambda: ntkexact.sample("3,2,1", 100, double=True),
    lambda: ntkexact.sample("3,2,1", 100, full=True),
    lambda: ntkexact.sample("3,2,1", 100, method=1),
    lambda: ntkexact.expand("3"),
    lambda: ntkexact.expand(3, n0=2.0),
    lambda: ntkexact.limit(object()),
    lambda: ntkexact.limit(1, digits="30"),
    lambda: ntkexact.expand(3, moments="x"),
    lambda: ntkexact.expand(3, moments=3.0),
    lambda: ntkexact.expand(3, moments=True),
    lambda: ntkexact.limit(1, moments="4"),
    lambda: ntkexact.limit(1, order="1"),
    lambda: ntkexact.limit(1, order=1.0),
    lambda: ntkexact.testing.check_kernel_moments(lambda r: 1.0, "3,2,1", samples=10,
                                                  tolerance="5"),
    lambda: ntkexact.testing.check_kernel_moments(lambda r: "K", "3,2,1", samples=10),
]


@pytest.mark.parametrize("call", BAD_TYPES, ids=[f"{i:02d}" for i in range(len(BAD_TYPES))])
def test_bad_type(call):
    with pytest.raises(TypeError):
        call()


def test_text_that_is_not_utf8():
    with pytest.raises(ValueError):      # UnicodeEncodeError is a ValueError
        M("3,2,1", mu4="\ud800")
    with pytest.raises(ValueError):
        M("3,\ud800,1")


def test_huge_rationals_in():
    """Python ints of any size reach the library exactly (through base 16)."""
    big = 10 ** 5000 + 1
    m = M("3,2,1", x2=Fraction(big, 3))
    assert m["E_Kw"] == Fraction(2, 3) * Fraction(big, 3)      # d x2 / n0
    assert M("3,2,1", mu4=big)["E_K"] == M("3,2,1", mu4=3)["E_K"]
    assert M("3,2,1", x2=-Fraction(-big, big))["E_K"] == Fraction(13, 6)


def _interrupt_after(seconds, call):
    """Runs call with SIGALRM due after `seconds`; returns the time it took
    to stop and the exception (a signal handler's) that stopped it."""
    class Stop(Exception):
        pass

    def handler(signum, frame):
        raise Stop()

    old = signal.signal(signal.SIGALRM, handler)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with pytest.raises(Stop):
            call()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return time.monotonic() - start


def test_signal_stops_sampling():
    took = _interrupt_after(0.2, lambda: ntkexact.sample("10,100x100,1", 10 ** 9, threads=2))
    assert took < 5, took
    # and the module still works afterwards
    assert M("3,2,1")["E_K"] == Fraction(13, 6)


def test_signal_stops_exact_moments():
    took = _interrupt_after(0.2, lambda: M("10,1000x40000,1", threads=2))
    assert took < 10, took


def test_ctrl_c_raises_keyboard_interrupt():
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            ntkexact.sample("10,100x100,1", 10 ** 9, threads=1)
    finally:
        timer.cancel()


def test_the_gil_is_released():
    """Another Python thread runs while the library computes."""
    ticks = []
    done = threading.Event()

    def compute():
        # the full method: long enough for the other thread to tick
        ntkexact.sample("10,50x20,1", 1000, method="full", threads=1)
        done.set()

    worker = threading.Thread(target=compute)
    worker.start()
    while not done.is_set():
        ticks.append(1)
        time.sleep(0.001)
    worker.join()
    assert len(ticks) > 10


def test_no_leak_in_a_loop():
    """Every entry point, successes and failures, many times: the memory of
    Python objects stays flat (tests/valgrind.sh runs python/tests/leakcheck.py
    under valgrind for the memory of the C side)."""
    def round_():
        M("3,4x3,1", x2="symbolic", threads=1)
        M("5,7x3,1", x2=Fraction(10 ** 30 + 1, 7), threads=1)
        M("4,3x5,1", precision=80, threads=1)
        ntkexact.sample("3,4,1", 40, threads=1)
        ntkexact.expand(2, n0=2)
        ntkexact.expand(2, n0=2, moments=4)
        ntkexact.limit(["1/2", 1], digits=10)
        ntkexact.limit(1, digits=10, moments=4)
        ntkexact.profile_widths("3,4x3,1")
        for bad in (lambda: M("3,0,1"), lambda: M("3,2,1", mu4="x"),
                    lambda: ntkexact.profile_widths("3,0,1"),
                    lambda: M("3,10000000x300,1"), lambda: ntkexact.expand(1),
                    lambda: M("3,2,1", x2=(1, 2))):
            try:
                bad()
            except (ValueError, TypeError):
                pass

    grown = memory_growth(round_, 20, 200)
    assert grown < 16384, f"Python memory grew by {grown} bytes in 200 rounds"

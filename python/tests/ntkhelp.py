"""Helpers of the Python tests: the command-line tool, whose JSON output is
the independent reference of the package, the files of the sources, and the
growth of Python's memory over repeated calls."""

import gc
import json
import os
import subprocess
import tracemalloc
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("SRCDIR") or os.path.dirname(os.path.dirname(HERE))
NTKEXACT = os.environ.get("NTKEXACT") or os.path.join(SRCDIR, "ntkexact")


def cli(*args):
    """The tool's output for args (exit status 0 required)."""
    out = subprocess.run([NTKEXACT, *args], capture_output=True, text=True)
    assert out.returncode == 0, f"ntkexact {' '.join(args)}: {out.stderr}"
    return out.stdout


def cli_json(*args):
    return json.loads(cli(*args, "--format", "json"))


def fraction(text):
    """A JSON "exact" string as a Fraction, or a list of them."""
    if isinstance(text, list):
        return [Fraction(t) for t in text]
    return Fraction(text)


def source(*parts):
    return os.path.join(SRCDIR, *parts)


def memory_growth(round_, warm, rounds):
    """The bytes of Python objects gained over `rounds` calls of round_()
    after `warm` calls (caches filled): flat, a few kilobytes at most, when
    nothing leaks."""
    tracemalloc.start()
    try:
        for _ in range(warm):
            round_()
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(rounds):
            round_()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()

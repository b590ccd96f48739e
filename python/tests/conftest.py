"""pytest setup for the tests of the Python package, and their TAP output.

tests/python.sh runs pytest with NTK_TAP_FILE set; then every test writes one
TAP line ("ok N - file::test" or "not ok N - ...") to that file, so that make
check counts each pytest test in its closing "N passed, M failed" line.  A
plan "1..N" is written only when the session ends normally: a crash of the
interpreter leaves no plan, which the TAP driver reports as an error.
"""

import os
import sys

import pytest

# the exact values are long: read their decimal strings whole
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)


class _Tap:
    def __init__(self, path):
        self.out = open(path, "w", buffering=1, encoding="utf-8")
        self.n = 0

    def line(self, ok, desc, directive=""):
        self.n += 1
        desc = desc.replace("\\", "\\\\").replace("#", "\\#").replace("\n", " ")
        self.out.write(f"{'ok' if ok else 'not ok'} {self.n} - {desc}{directive}\n")

    def close(self, exitstatus):
        if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            self.line(False, f"pytest ended with exit status {int(exitstatus)}")
        self.out.write(f"1..{self.n}\n")
        self.out.close()


_tap = None


def pytest_configure(config):
    global _tap
    path = os.environ.get("NTK_TAP_FILE")
    if path and _tap is None:
        _tap = _Tap(path)


def _skip_reason(report):
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).replace("Skipped: ", "")
    return "skipped"


def pytest_runtest_logreport(report):
    if _tap is None:
        return
    if report.when == "call":
        if report.skipped:
            _tap.line(True, report.nodeid, f" # SKIP {_skip_reason(report)}")
        else:
            _tap.line(report.passed, report.nodeid)
    elif report.when == "setup" and not report.passed:
        if report.skipped:
            _tap.line(True, report.nodeid, f" # SKIP {_skip_reason(report)}")
        else:
            _tap.line(False, report.nodeid + " (setup)")
    elif report.when == "teardown" and report.failed:
        _tap.line(False, report.nodeid + " (teardown)")


def pytest_collectreport(report):
    if _tap is not None and report.failed:
        _tap.line(False, f"collecting {report.nodeid}")


def pytest_sessionfinish(session, exitstatus):
    global _tap
    if _tap is not None:
        _tap.close(exitstatus)
        _tap = None

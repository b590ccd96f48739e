#!/bin/sh
# make check-long: the limits of every activation at every beta against the
# exact engine extrapolated, at larger widths (tests/t-limit-richardson with
# NTK_LIMIT_SLOW).  TAP.
B=${TOP_BUILDDIR:-.}
NTK_LIMIT_SLOW=1 exec "$B/tests/t-limit-richardson"

#!/bin/sh
# make check-long: ten times the samples of tests/t-sample-projected, on
# wider and deeper profiles (a few minutes on two cores).  TAP.
B=${TOP_BUILDDIR:-.}
NTK_SAMPLE_SLOW=1 exec "$B/tests/t-sample-projected"

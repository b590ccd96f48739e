#!/bin/sh
# make check-long: ten times the samples of tests/t-sample-pair (the
# two-input sampler's z-tests).  TAP.
B=${TOP_BUILDDIR:-.}
NTK_SAMPLE_SLOW=1 exec "$B/tests/t-sample-pair"
